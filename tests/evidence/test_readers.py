"""Every kind of original the issue names is read into text: PDF, JSON post, WARC file (and text/HTML
elsewhere), with real files built here."""

from __future__ import annotations

import io
import json
from pathlib import Path

from tests.conftest import sql
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from hague.evidence import readers

SENTENCE = "Shelling was reported near the railway station on Monday morning."


def make_pdf(text: str) -> bytes:
    """A minimal one-page PDF with ``text`` in Helvetica, cross-reference offsets computed exactly."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_warc(html: str, url: str) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                  http_headers=headers))
    return out.getvalue()


def test_pdf_text_is_extracted() -> None:
    ex = readers.read_pdf(make_pdf(SENTENCE))
    assert SENTENCE in ex.text and ex.reader == "pypdf"


def test_json_post_text_and_metadata_are_read() -> None:
    post = {"data": {"full_text": SENTENCE, "created_at": "2022-03-07T09:00:00Z",
                     "user": {"screen_name": "regional_admin"}, "url": "https://example.org/post/1"}}
    ex = readers.read_json(json.dumps(post).encode())
    assert ex.text == SENTENCE
    assert ex.meta == {"published": "2022-03-07T09:00:00Z", "url": "https://example.org/post/1",
                       "outlet": "regional_admin"}


def test_every_kind_is_added_through_the_cli(hague, home: Path, tmp_path: Path) -> None:
    from tests.evidence.test_add import ARTICLE_HTML

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "statement.pdf").write_bytes(make_pdf(SENTENCE))
    (folder / "post.json").write_text(json.dumps({"text": SENTENCE + " Two were injured."}))
    (folder / "page.warc").write_bytes(make_warc(ARTICLE_HTML, "https://example.org/article"))
    hague("init")
    res = hague.json("add", "--no-analyze", str(folder))
    assert sorted(r["status"] for r in res["results"]) == ["added"] * 3
    rows = dict(sql(home, "SELECT i.media_type, d.reader FROM items i JOIN documents d ON d.item_sha256 = i.sha256"))
    assert rows == {"application/pdf": "pypdf", "application/json": "json-post",
                    "application/warc": "warc+trafilatura"}
    hague("verify")
