"""Hostile text stays text over HTTP: escaped in pages, originals never served with a type a browser runs."""

from __future__ import annotations

from tests.conftest import Seeded
from tests.web.conftest import Server, captured, signed_in

from hague.web.security import CSP

PAYLOAD = (b"<script>alert(1)</script> <img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">x</a>\n"
           b"<svg onload=alert(4)></svg> The minister said on Monday that the shelling must stop.\n")


def test_hostile_upload_is_escaped_and_downloaded_inert(seeded: Seeded, server: Server) -> None:
    sent = {"files": ("evil<script>.html.txt", PAYLOAD, "text/plain")}
    queued = signed_in(seeded, server, "analyst").post(f"/c/{seeded.case}/capture", files=sent)
    assert queued.status_code == 303, queued.text
    [sha] = captured(seeded.ws, queued.headers["location"])  # preserved and read by the worker, not the request
    v = signed_in(seeded, server, "viewer")
    item = v.client.get(f"/c/ukraine/items/{sha}")
    doc_link = item.text.split('/documents/')[1].split('"')[0]
    page = v.client.get(f"/c/ukraine/documents/{doc_link}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<img src=x" not in page.text and "<svg onload" not in page.text
    assert page.headers["content-security-policy"] == CSP and "unsafe-inline" not in CSP
    assert "upload:evilscript.html.txt" in item.text  # the recorded origin, stripped of markup
    original = v.client.get(f"/c/ukraine/items/{sha}/original")
    assert original.content == PAYLOAD  # byte for byte
    assert original.headers["content-type"] == "application/octet-stream"
    assert original.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in original.headers["content-security-policy"]
    assert original.headers["x-content-type-options"] == "nosniff"
    text = v.client.get(f"/c/ukraine/documents/{doc_link}/text")
    assert text.headers["content-type"].startswith("text/plain")


def test_every_page_carries_the_policy_and_no_inline_script(seeded: Seeded, server: Server) -> None:
    v = signed_in(seeded, server, "lead")
    for path in ("/", "/c/ukraine", "/c/ukraine/map", "/c/ukraine/documents/1", "/c/ukraine/search?q=war",
                 "/login"):
        r = v.client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        html = r.text
        assert "<script>" not in html, path
        assert all('src="/static/' in tag for tag in html.split("<script")[1:]), path
