"""The workspace in a real browser: Debian's chromium driven by Playwright against the real server.

Signs in, uploads, opens the viewer, searches, filters the map; a partner cannot see an unshared case and
a viewer cannot change anything; hostile text stays text. Screenshots of the main pages are written to
SCREENSHOTS (``build/screenshots/web`` in the checkout, or ``$HAGUE_SCREENSHOTS``), one PNG per page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import PASSWORD, Seeded
from tests.web.conftest import SCREENSHOTS, Person, Server, needs_chromium

pytestmark = needs_chromium

HOSTILE = """Statement on the shelling
<script>window.__pwned = "script"</script>
<img src=x onerror="window.__pwned='img'">
<a href="javascript:window.__pwned='link'">click</a>
The mayor said on Monday that the hospital in Kharkiv was shelled, killing three civilians.
"""


@pytest.fixture()
def person(browser, server: Server):  # type: ignore[no-untyped-def]
    opened: list[Person] = []

    def sign_in(name: str) -> Person:
        p = Person(browser, server, name)
        opened.append(p)
        return p

    yield sign_in
    for p in opened:
        p.close()


def test_login_page(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(server.url + "/c/ukraine")
    assert page.url.startswith(server.url + "/login")
    page.screenshot(path=str(SCREENSHOTS / "01-sign-in.png"))
    page.close()


def test_analyst_uploads_then_reads_it_in_the_viewer(person, seeded: Seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    analyst = person("analyst")
    analyst.shot("02-dashboard")
    analyst.go("/c/ukraine")
    analyst.shot("03-case-overview")
    analyst.go("/c/ukraine/items")
    sample = tmp_path / "kharkiv-report.txt"
    sample.write_text("Kharkiv, 2022-03-02. Local officials said on Tuesday that a hospital in Kharkiv was shelled, "
                      "killing four civilians and injuring ten. \"This was a deliberate attack on civilians,\" the "
                      "regional governor Oleh Synehubov said.\n", encoding="utf-8")
    analyst.page.click("summary:has-text('Upload originals')")
    analyst.page.set_input_files("input[type=file]", str(sample))
    analyst.page.fill("input[name=outlet]", "Test Wire")
    analyst.page.fill("input[name=published]", "2022-03-02")
    analyst.page.click("button:has-text('Preserve and read')")
    # the request only queues the file: the worker preserves and reads it while the page shows its progress
    analyst.page.wait_for_selector("#job-progress[data-state=done]", timeout=120_000)
    assert "1 of 1 preserved" in analyst.page.inner_text("#job-progress")
    analyst.shot("04-upload-progress")
    analyst.go("/c/ukraine/items")
    analyst.shot("04-items-after-upload")
    analyst.page.click("table tbody tr:first-child td:nth-child(2) a")  # newest capture first
    analyst.page.wait_for_selector("#doctext")
    marks = analyst.page.locator("mark[data-refs]")
    assert marks.count() > 0
    marks.first.click()
    shown = analyst.page.locator(".finding.shown")
    assert shown.count() >= 1 and "confidence" in shown.first.inner_text()
    analyst.shot("05-document-viewer")
    with seeded.ws.read() as s:
        from sqlalchemy import select

        from hague.model import LedgerEntry

        capture = s.scalars(select(LedgerEntry).where(LedgerEntry.action == "capture")
                            .order_by(LedgerEntry.seq.desc()).limit(1)).one()
    assert capture.actor == "analyst" and capture.details["origin"] == "upload:kharkiv-report.txt"


def test_search_statements_and_documents(person) -> None:  # type: ignore[no-untyped-def]
    viewer = person("viewer")
    viewer.go("/c/ukraine/search")
    viewer.page.fill("input[name=q]", "Marsh")
    viewer.page.select_option("select[name=kind]", "statements")
    viewer.page.click("#search-form button")
    hits = viewer.page.locator("#hits li")
    assert hits.count() >= 1 and "Marsh" in hits.first.inner_text()  # found by speaker
    viewer.page.fill("input[name=q]", "confirm")
    viewer.page.click("#search-form button")
    assert viewer.page.locator("#hits mark.hit").first.inner_text().lower() == "confirm"  # found in the quote
    viewer.shot("06-search")
    viewer.page.fill("input[name=q]", "children's hospital")
    viewer.page.select_option("select[name=kind]", "documents")
    viewer.page.click("#search-form button")
    assert viewer.page.locator("#hits li").count() >= 1


def test_map_draws_offline_and_filters(person, server: Server) -> None:  # type: ignore[no-untyped-def]
    lead = person("lead")
    requests: list[str] = []
    lead.page.on("request", lambda r: requests.append(r.url))
    lead.go("/c/ukraine/map")
    lead.page.wait_for_selector("#map[data-ready]")
    drawn = int(lead.page.locator("#map").get_attribute("data-ready"))
    assert drawn >= 2
    assert lead.page.locator("path.leaflet-interactive").count() > drawn  # country outlines plus points
    assert all(u.startswith(server.url) for u in requests), [u for u in requests if not u.startswith(server.url)]
    rows = lead.page.locator("#incident-table tbody tr").count()
    lead.shot("07-map-and-timeline")
    options = lead.page.locator("select[name=event] option").all_inner_texts()
    event = next(o for o in options if o != "any")
    lead.page.select_option("select[name=event]", event)
    lead.page.click("#incident-filters button")
    lead.page.wait_for_selector("#map[data-ready]")
    filtered = int(lead.page.locator("#map").get_attribute("data-ready"))
    assert filtered <= drawn and lead.page.locator("#incident-table tbody tr").count() <= rows
    lead.page.locator("#timeline a").first.click()
    lead.page.wait_for_selector("#map[data-ready]")
    assert "date_from=" in lead.page.url
    lead.page.locator("#incident-table tbody tr a").first.click()
    assert "Candidate provisions" in lead.page.content()
    lead.shot("08-incident")
    lead.go("/c/ukraine/statements")
    lead.shot("09-statements")
    lead.go("/c/ukraine/positions")
    lead.shot("10-positions")
    lead.go("/c/ukraine/custody")
    lead.page.click("button:has-text('Verify now')")
    assert "verified" in lead.page.locator("#verify-result").inner_text()
    lead.shot("11-custody-verified")


def test_partner_sees_only_what_was_shared(person, seeded: Seeded) -> None:  # type: ignore[no-untyped-def]
    partner = person("partner")
    cases = partner.page.locator("ul.cases li").all_inner_texts()
    assert len(cases) == 1 and "Ukraine 2022" in cases[0]
    response = partner.go(f"/c/{seeded.other_case}")
    assert response.status == 404 and "Other case" not in partner.page.content()
    partner.go("/c/ukraine/incidents")
    shown = partner.page.locator("#incident-table tbody tr a").all_inner_texts()
    assert shown == [seeded.shared_incident]
    assert partner.go(f"/c/ukraine/incidents/{seeded.unshared_incident}").status == 404
    assert partner.go("/c/ukraine/members").status == 403
    partner.go("/c/ukraine/incidents")
    partner.shot("12-partner-incidents")


def test_viewer_cannot_change_anything(person) -> None:  # type: ignore[no-untyped-def]
    viewer = person("viewer")
    viewer.go("/c/ukraine/items")
    assert viewer.page.locator("input[type=file]").count() == 0
    viewer.go("/c/ukraine/members")
    assert viewer.page.locator("form[action$='/members']").count() == 0
    viewer.shot("13-viewer-members")
    # even a hand-made request with the viewer's own CSRF token is refused by the server
    status = viewer.page.evaluate("""async () => {
        const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];
        const body = new URLSearchParams({csrf: token, name: 'outsider', role: 'lead'});
        const r = await fetch('/c/ukraine/members', {method: 'POST', body});
        return r.status; }""")
    assert status == 403


def test_hostile_document_renders_inert(person, seeded: Seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    analyst = person("analyst")
    violations: list[str] = []
    analyst.page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    analyst.go("/c/ukraine/items")
    analyst.page.click("summary:has-text('Upload originals')")
    analyst.page.set_input_files("input[type=file]", str(hostile))
    analyst.page.fill("input[name=title]", "<img src=x onerror=\"window.__pwned='title'\">")
    analyst.page.click("button:has-text('Preserve and read')")
    analyst.page.wait_for_selector("#job-progress[data-state=done]", timeout=120_000)
    analyst.go("/c/ukraine/items")
    analyst.page.locator("table a", has_text="<img src=x").first.click()
    analyst.page.wait_for_selector("#doctext")
    text = analyst.page.locator("#doctext").inner_text()
    assert "<script>window.__pwned" in text and "onerror=" in text  # shown as text
    assert analyst.page.evaluate("window.__pwned") is None
    assert analyst.page.locator("#doctext script, #doctext img, #doctext a, h1 img").count() == 0
    marks = analyst.page.locator("mark[data-refs]")
    if marks.count():
        marks.first.click()
    assert analyst.page.evaluate("window.__pwned") is None and not analyst.dialogs
    analyst.shot("14-hostile-document")


def test_a_member_enrols_an_authenticator_by_its_qr_code(person, browser, seeded: Seeded,  # type: ignore[no-untyped-def]
                                                          server: Server) -> None:
    import pyotp
    import segno

    from hague.team import accounts

    with seeded.ws.write() as s:
        accounts.create(s, "admin", "enrols", PASSWORD)
    member = person("enrols")
    violations: list[str] = []
    member.page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    member.go("/account/totp")
    qr = member.page.locator("#totp-qr svg")
    assert qr.count() == 1 and qr.bounding_box()["width"] >= 150  # drawn in the page, big enough to scan
    secret = member.page.get_attribute("input[name=secret]", "value")
    uri = member.page.inner_text("code.wrap")
    assert f"secret={secret}" in uri and "enrols" in uri
    # the code drawn is the link shown (the same modules segno draws for it), so a phone scans this account's key
    drawn = member.page.get_attribute("#totp-qr svg path[stroke]", "d")
    assert drawn and drawn in segno.make(uri, error="m").svg_inline(scale=5, border=4, lineclass=None)
    member.shot("17-totp-enrolment")
    member.page.fill("input[name=code]", pyotp.TOTP(secret).now())
    member.page.click("button:has-text('Turn on')")
    assert "second factor on" in member.page.inner_text("main")
    assert not violations, violations


def test_admin_creates_a_case_invites_an_analyst_and_a_partner(person, browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    admin = person("admin")
    admin.page.fill("form[action='/cases'] input[name=name]", "West Darfur 2023")
    admin.page.click("form[action='/cases'] button")
    admin.page.wait_for_url(server.url + "/c/west-darfur-2023")
    admin.page.click("button:has-text('Add every preserved item')")
    admin.go("/admin/users")
    for name in ("darfur-analyst", "darfur-partner"):
        admin.page.fill("form[action='/admin/users'] input[name=name]", name)
        admin.page.fill("form[action='/admin/users'] input[name=password]", PASSWORD)
        admin.page.click("form[action='/admin/users'] button")
    admin.shot("15-admin-users")
    admin.go("/c/west-darfur-2023/members")
    for name, role in (("darfur-analyst", "analyst"), ("darfur-partner", "partner")):
        admin.page.fill("form[action$='/members'] input[name=name]", name)
        admin.page.select_option("form[action$='/members'] select[name=role]", role)
        admin.page.click("form[action$='/members'] button")
    members = admin.page.locator("table tbody").first.inner_text()
    assert "darfur-analyst" in members and "darfur-partner" in members
    admin.go("/c/west-darfur-2023/incidents")
    first = admin.page.locator("#incident-table tbody tr a").first
    shared_id = first.inner_text()
    first.click()
    admin.page.click("#share-form button")
    assert "Stop sharing" in admin.page.locator("#share-form button").inner_text()
    admin.go("/c/west-darfur-2023/members")
    admin.shot("16-case-members-and-shares")
    partner = person("darfur-partner")
    partner.go("/c/west-darfur-2023/incidents")
    assert partner.page.locator("#incident-table tbody tr a").all_inner_texts() == [shared_id]
    analyst = person("darfur-analyst")
    analyst.go("/c/west-darfur-2023/items")
    assert analyst.page.locator("input[type=file]").count() == 1
    assert analyst.go("/c/west-darfur-2023/members").status == 200
    assert analyst.page.locator("form[action$='/members']").count() == 0  # only leads change members
