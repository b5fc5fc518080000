"""People correct the machine, in a real browser (Debian's chromium, Playwright) against the real server.

An analyst merges two incidents, fixes a date and a place (on the map) and rejects a statement; a re-analysis
with changed rules keeps all of it; a reviewer proposes (assesses), the same account cannot confirm, a second
reviewer confirms; a new document, captured from the browser and run by the worker, then makes the decision
stale and the page says so; the lead builds a package for a partner, who downloads it and it verifies offline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, PASSWORD, Team
from tests.curation.test_survives_reanalysis import reanalyse_with_changed_rules
from tests.web.conftest import Person, Server, needs_chromium

from hague.services import capture
from hague.team import accounts, cases
from hague.team.roles import Role

pytestmark = needs_chromium


@pytest.fixture()
def team_server(team: Team) -> Iterator[Server]:
    """The server over a private team workspace with a second reviewer, and a worker beside it."""
    with team.ws.write() as s:
        second = accounts.create(s, "admin", "reviewer2", PASSWORD, display_name="Second Reviewer")
        cases.set_member(s, "admin", cases.get(s, "ukraine"), second, Role.REVIEWER)
    stop = threading.Event()
    worker = threading.Thread(target=capture.run_worker, args=(team.ws,), kwargs={"stop": stop}, daemon=True)
    worker.start()
    with Server(team.ws) as srv:
        yield srv
    stop.set()
    worker.join(60)


def _fields(team: Team, incident_id: str) -> dict:
    return team.incident(incident_id).data["fields"]


def _reload_text(p: Person, path: str) -> str:
    p.go(path)
    return p.page.inner_text("main")


def test_analyst_curates_a_reanalysis_keeps_it_reviewers_decide_and_a_new_document_makes_it_stale(
        browser, team: Team, team_server: Server, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
        tmp_path: Path) -> None:
    # the machine read the embassy's words about the hospital strike as a strike of its own in Kyiv; the analyst
    # merges that split-off incident into the hospital strike
    keep = next(i for i in team.incidents() if "hospital" in (_fields(team, i)["targets"]["value"] or []))
    gone = next(i for i in team.incidents() if _fields(team, i)["weapons"]["value"] == ["unknown_explosive"])
    statement = team.statements()[0]
    analyst = Person(browser, team_server, "analyst")
    page = analyst.page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # merge two incidents
    analyst.go(f"/c/ukraine/incidents/{keep}/work")
    page.fill("#merge-form input[name=other]", gone)
    page.click("#merge-form button")
    assert "merged into this incident" in page.inner_text(".notice")
    # fix the date, and the place: a name, and its point picked on the map
    page.fill("#correct-incident input[name=date]", "2022-03-09")
    page.fill("#correct-incident input[name=place]", "Saltivka")
    page.wait_for_selector("#pick-map[data-ready='1']")
    box = page.locator("#pick-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.3)
    picked = page.input_value("#pick-value")
    assert picked and "," in picked
    page.click("#save-corrections")
    assert "corrected" in page.inner_text(".notice")
    analyst.shot("curation-incident")
    # reject a statement, on the document's findings page
    analyst.go(f"/c/ukraine/documents/{statement.document_id}/findings")
    page.click(f"#statement-{statement.id} button:has-text('Reject')")
    assert "statement rejected" in page.inner_text(".notice")
    assert page.locator(f"#statement-{statement.id}").count() == 0
    analyst.shot("curation-findings")

    # a re-analysis with changed rules keeps all of it
    reanalyse_with_changed_rules(team, monkeypatch)
    facts = _reload_text(analyst, f"/c/ukraine/incidents/{keep}/work")
    assert "2022-03-09" in facts and "Saltivka" in facts and "machine: 2022-03-10" in facts
    assert analyst.page.input_value("#pick-value") == picked
    assert team.incident(gone) is None
    analyst.go(f"/c/ukraine/incidents/{gone}")  # the merged incident's id leads to the one it became
    assert keep in analyst.page.inner_text("h1")
    findings = _reload_text(analyst, f"/c/ukraine/documents/{statement.document_id}/findings")
    assert "rejected by analyst" in findings.replace("\n", " ") or "rejected" in findings
    assert (statement.document_id, statement.quote_end) not in {(s.document_id, s.quote_end)
                                                               for s in team.statements()}

    # a reviewer proposes; the same account cannot confirm; a second reviewer confirms
    first = Person(browser, team_server, "reviewer")
    desk = f"/c/ukraine/incidents/{keep}/work"
    for state, label in (("evidence_linked", ""), ("analyst_assessed", "credible_allegation")):
        first.go(desk)
        first.page.select_option("#decide-form select[name=state]", state)
        first.page.fill("#decide-form input[name=reason]", f"{state}: sources checked")
        if label:
            first.page.select_option("#decide-form select[name=label]", label)
        first.page.click("#decide-form button")
        assert f"now {state}" in first.page.inner_text(".notice")
    first.go(desk)
    assert first.page.locator("#decide-form option[value=peer_reviewed]").count() == 1
    first.page.select_option("#decide-form select[name=state]", "peer_reviewed")
    first.page.fill("#decide-form input[name=reason]", "my own check")
    first.page.click("#decide-form button")
    assert "needs a second person" in first.page.inner_text(".error")
    second = Person(browser, team_server, "reviewer2")
    second.go(desk)
    second.page.select_option("#decide-form select[name=state]", "peer_reviewed")
    second.page.fill("#decide-form input[name=reason]", "attribution and sources checked")
    second.page.click("#decide-form button")
    assert "now peer_reviewed" in second.page.inner_text(".notice")
    assert second.page.inner_text("#review-state") == "peer reviewed"
    second.shot("curation-reviewed")

    # a new document, captured from the browser (a worker runs it), joins the incident: the decision is stale,
    # and the incident page says so
    source = next(p for p in sorted(EXAMPLES.glob("*.txt")))
    text = source.read_text(encoding="utf-8") + "\nThis later copy adds a line."
    analyst.go("/c/ukraine/capture")
    analyst.page.set_input_files("#capture-form input[name=files]",
                                 files=[{"name": "later.txt", "mimeType": "text/plain", "buffer": text.encode()}])
    analyst.page.fill("#capture-form textarea[name=urls]", "http://127.0.0.1:9/unreachable")
    analyst.page.click("#capture-form button")
    analyst.page.wait_for_selector("#job-progress[data-state=partial]", timeout=120_000)
    progress = analyst.page.inner_text("#job-progress")
    assert "1 of 2 preserved, 1 failed" in progress and "later.txt" in progress
    analyst.shot("curation-capture")
    second.go(f"/c/ukraine/incidents/{keep}")
    second.page.wait_for_selector("#stale-notice")
    notice = second.page.inner_text("#stale-notice")
    assert "Stale decision" in notice and "peer reviewed" in notice and "no longer holds" in notice
    assert second.page.inner_text("#review-standing").count("peer reviewed") == 1  # only in the stale notice
    second.shot("curation-stale")

    # the lead builds a package of the incident for a partner (the redaction previewed first) and shares it;
    # the partner sees that it verifies, downloads it, and it verifies offline
    lead = Person(browser, team_server, "lead")
    lead.go("/c/ukraine/packages")
    lead.page.fill("#package-form input[name=recipient]", "Commission of Inquiry")
    lead.page.check(f"#package-form input[name=incident][value='{keep}']")
    lead.page.fill("#package-form textarea[name=redact]", "Daniel Marsh")
    lead.page.click("#preview-button")
    assert "Daniel Marsh" in lead.page.inner_text("#redaction-preview")
    lead.page.check("#package-form input[name=partners]")
    lead.page.click("#build-button")
    assert lead.page.get_attribute("#verification", "data-ok") == "true"
    lead.shot("curation-package")
    partner = Person(browser, team_server, "partner")
    partner.go("/c/ukraine/packages")
    partner.page.click("#package-list a")
    assert "Verified" in partner.page.inner_text("#verification")
    with partner.page.expect_download() as got:
        partner.page.click("#download")
    saved = tmp_path / "from-the-browser.zip"
    got.value.save_as(saved)
    key = partner.page.inner_text("#verification").split("--key ")[1].split()[0]
    offline = subprocess.run([sys.executable, "-m", "hague.cli", "package", "verify", str(saved), "--key", key,
                              "--json"], capture_output=True, text=True, cwd=tmp_path,
                             env={**os.environ, "HAGUE_HOME": str(tmp_path / "no-workspace")}, timeout=300)
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert json.loads(offline.stdout)["ok"] is True
    with zipfile.ZipFile(saved) as bag:  # the name given for this package is pseudonymised everywhere in it
        assert not [n for n in bag.namelist() if b"Daniel Marsh" in bag.read(n)]
    assert not errors, errors
    for p in (analyst, first, second, lead, partner):
        assert not p.dialogs
        p.close()


def test_the_dashboard_shows_mentions_and_how_the_machines_suggestions_fare(
        browser, team: Team, team_server: Server) -> None:  # type: ignore[no-untyped-def]
    from hague.services import curation, discussion

    analyst = team.member("analyst")
    curation.accept(team.ws, analyst, "statement", team.statements()[0].id)
    curation.reject(team.ws, analyst, "statement", team.statements()[1].id)
    discussion.comment(team.ws, analyst, team.incidents()[0], "@reviewer <script>alert(1)</script> check this")
    reviewer = Person(browser, team_server, "reviewer")
    reviewer.page.wait_for_selector("#waiting-for-me .acceptance")
    shown = reviewer.page.inner_text("#waiting-for-me")
    assert "machine suggestions accepted unchanged: 50.0%" in shown and "<script>alert(1)</script>" in shown
    assert not reviewer.dialogs  # hostile text stays text
    reviewer.shot("curation-dashboard")
    reviewer.close()
