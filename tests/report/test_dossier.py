"""The dossier on the seed documents: contents, wording per review state, offline, and rendered by Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest
from tests.conftest import copy_workspace, reviewer_token, sql, use_workspace, workspace_env
from typer.testing import CliRunner

from hague.cli.root import app
from hague.law.review import WordingError, assert_wording_allowed

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
SECTION = re.compile(r'<section class="incident" id="incident-\d+" data-state="(\w+)">(.*?)</section>', re.DOTALL)
QUOTED = re.compile(r"<(q|cite)\b[^>]*>.*?</\1>", re.DOTALL)


def run(home: Path, *args: str, token: str = "") -> str:
    result = CliRunner().invoke(app, list(args), env={**workspace_env(home), "HAGUE_TOKEN": token})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("dossier") / "ws"
    run(home, "init")
    run(home, "add", str(EXAMPLES))
    return home


@pytest.fixture(scope="module")
def dossier(home: Path) -> str:
    out = home.parent / "dossier.html"
    run(home, "report", "--out", str(out))
    return out.read_text(encoding="utf-8")


def _sections(html: str) -> dict[str, tuple[str, str]]:
    """Incident id -> (review state, section HTML)."""
    out = {}
    for state, body in SECTION.findall(html):
        out[re.search(r"<h3>\d+\. ([^<]+)</h3>", body).group(1)] = (state, body)
    return out


def _own_voice(fragment: str) -> str:
    return re.sub(r"<[^>]+>", " ", QUOTED.sub(" ", fragment))


def _with(sections: dict[str, tuple[str, str]], *words: str) -> str:
    return next(body for _, body in sections.values() if all(w in body.split("<h4>")[0] for w in words))


def test_example_incidents_show_their_candidate_provisions_with_checklists(dossier: str) -> None:
    sections = _sections(dossier)
    shelling = _with(sections, "residential_building", "attack", "artillery")
    hospital = _with(sections, "hospital", "cluster_munition")
    kindergarten = _with(sections, "kindergarten", "orphanage")
    for body, provisions in ((shelling, ["RS 8(2)(b)(i)", "AP I 51(2)", "RS 8(2)(b)(ii)", "RS 8(2)(b)(iv)"]),
                             (hospital, ["RS 8(2)(b)(ix)", "AP I 51(4)(b)", "AP I 51(4)(c)", "CIHL 71"]),
                             (kindergarten, ["RS 8(2)(b)(ix)"])):
        for pid in provisions:
            assert f"<b>{pid}</b>" in body, pid
        assert "<th>element</th>" in body and "machine suggestion" in body
    assert 'class="show_only"' in hospital and "Why not suggested" in hospital


def test_every_section_keeps_to_its_wording_and_nothing_is_fetched(dossier: str) -> None:
    sections = _sections(dossier)
    assert len(sections) >= 3
    for state, body in sections.values():
        assert_wording_allowed(_own_voice(body), state)
    for pattern in ("<script", "<link", "@import", "url(", " src="):
        assert pattern not in dossier
    assert "<svg" in dossier and "<path" in dossier  # the map with its country outlines
    assert re.search(r"[0-9a-f]{64}", dossier)  # source hashes and the tree head


def test_own_voice_outside_the_policy_is_refused(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from hague.report.gather import incident_entries, incident_ids
    from hague.report.scope import WHOLE
    from hague.report.to_html import incident_html
    from hague.workspace import open_workspace

    use_workspace(monkeypatch, home)
    with open_workspace().read() as s:
        entry = next(incident_entries(s, incident_ids(s, WHOLE)))
    with pytest.raises(WordingError):
        incident_html(replace(entry, headline="Russian forces committed war crimes here."), {})


def test_a_review_decision_changes_the_dossier_wording(home: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ws"
    copy_workspace(home, copy)
    sections = _sections((home.parent / "dossier.html").read_text(encoding="utf-8"))
    incident_id = next(i for i, (_, body) in sections.items() if "kindergarten" in body.split("<h4>")[0])
    token = reviewer_token(copy)
    run(copy, "review", "decide", incident_id, "evidence_linked", "--reason", "linked", token=token)
    run(copy, "review", "decide", incident_id, "analyst_assessed", "--reason", "one origin",
        "--label", "credible_allegation", token=token)
    run(copy, "report", "--out", str(tmp_path / "d.html"))
    run(copy, "report", "--out", str(tmp_path / "d.md"), "--format", "md")
    state, body = _sections((tmp_path / "d.html").read_text(encoding="utf-8"))[incident_id]
    assert state == "analyst_assessed" and "information suggests" in body
    assert "information suggests" not in sections[incident_id][1]
    assert_wording_allowed(_own_voice(body), state)
    md = (tmp_path / "d.md").read_text(encoding="utf-8")
    assert "information suggests" in md and "## Signed tree head" in md


def _png_pixels(path: Path) -> bytes:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    idat, pos = b"", 8
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        if data[pos + 4:pos + 8] == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return zlib.decompress(idat)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_chromium_renders_the_dossier_offline(home: Path, dossier: str) -> None:
    page = home.parent / "dossier.html"
    shot = home.parent / "dossier.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
                        f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri()],
                       capture_output=True, timeout=60, check=False)
    assert shot.exists()
    pixels = _png_pixels(shot)
    assert len(set(pixels)) > 50  # text, map and colours, not a blank page


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_dossier_is_written_once_review_has_moved_on(team, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """The overview names the review states incidents are in; that tally is vocabulary, not a claim, and must
    not stop the dossier once an incident is past ``provisions_suggested``."""
    from hague.services import corroboration, review, sharing

    incident = corroboration.list_incidents(team.ws, limit=1).items[0].id
    review.decide(team.ws, team.member("reviewer"), incident, "evidence_linked", "linked")
    dossier = sharing.report(team.ws, "reviewer", fmt=fmt)
    assert "1 evidence linked" in dossier.text and dossier.counts["incidents"] > 1


SECTION_MD = re.compile(r"^### (\d+)\. (\S+)$", re.MULTILINE)


def test_a_dossier_is_scoped_to_a_case_incidents_a_day_or_a_page(team) -> None:  # type: ignore[no-untyped-def]
    """Scoped dossiers show exactly the incidents asked for, a page numbered as in the whole one, with counts and
    sources over their documents only; the scope is recorded in the ledger entry."""
    from hague.errors import InvalidInput, NotFound
    from hague.evidence import ledger
    from hague.report.scope import DossierScope
    from hague.services import sharing

    home = team.ws.config.home
    whole = sharing.report(team.ws, "reviewer", fmt="md")
    numbered = [(int(n), i) for n, i in SECTION_MD.findall(whole.text)]
    assert len(numbered) == whole.counts["incidents"] > 2

    in_case = {r[0] for r in sql(home, "SELECT DISTINCT r.incident_id FROM reports r "
                                       "JOIN documents d ON d.id = r.document_id "
                                       "JOIN case_items c ON c.item_sha256 = d.item_sha256 "
                                       "JOIN cases k ON k.id = c.case_id WHERE k.slug = 'other'")}
    other = sharing.report(team.ws, "reviewer", fmt="md", scope=DossierScope(case="other"))
    assert {i for _, i in SECTION_MD.findall(other.text)} == in_case and in_case
    reports = [r for r in sql(home, "SELECT document_id, incident_id FROM reports") if r[1] in in_case]
    docs = {r[0] for r in reports}
    assert other.counts["documents"] == len(docs) and other.counts["reports"] == len(reports)
    assert other.text.count("| `") == len(docs)  # one source row per document the incidents stand on
    with team.ws.read() as s:
        entry = ledger.entries_for(s, other.sha256)[-1]
    assert entry.details["scope"] == {"case": "other"} and entry.details["incidents"] == len(in_case)

    one = numbered[1][1]
    single = sharing.report(team.ws, "reviewer", fmt="html", scope=DossierScope(incidents=(one,)))
    assert _sections(single.text).keys() == {one} and single.counts["incidents"] == 1
    assert single.counts["reports"] < whole.counts["reports"]
    assert 'id="incident-1"' in single.text and "Scope of this dossier" in single.text

    page = sharing.report(team.ws, "reviewer", fmt="md", scope=DossierScope(limit=2, offset=1))
    assert [(int(n), i) for n, i in SECTION_MD.findall(page.text)] == numbered[1:3]

    dated = [r[0] for r in sql(home, "SELECT date FROM incidents WHERE date IS NOT NULL ORDER BY date")]
    later = sharing.report(team.ws, "reviewer", fmt="md", scope=DossierScope(since=dated[-1][:10]))
    assert 1 <= later.counts["incidents"] < whole.counts["incidents"]
    assert sharing.report(team.ws, "reviewer", fmt="md", scope=DossierScope(since="2999-01-01")
                          ).counts["incidents"] == 0

    with pytest.raises(NotFound):
        sharing.report(team.ws, "reviewer", fmt="md", scope=DossierScope(incidents=(one, "no-such-incident")))
    with pytest.raises(NotFound):
        sharing.report(team.ws, "reviewer", fmt="md", scope=DossierScope(case="no-such-case"))
    with pytest.raises(InvalidInput):
        DossierScope(since="last tuesday")


def test_report_cli_scopes_and_leaves_nothing_behind_on_a_bad_scope(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "one.md"
    run(home, "report", "--out", str(out), "--format", "md", "--limit", "1")
    assert len(SECTION_MD.findall(out.read_text(encoding="utf-8"))) == 1
    bad = tmp_path / "bad.md"
    result = CliRunner().invoke(app, ["report", "--out", str(bad), "--incident", "no-such-incident"],
                                env=workspace_env(home))
    assert result.exit_code != 0 and "no-such-incident" in result.output
    assert not bad.exists() and not list(tmp_path.glob(".bad.md*"))
