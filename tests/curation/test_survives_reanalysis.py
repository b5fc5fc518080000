"""Corrections survive re-analysis: correct, re-analyse with changed rules and with new documents, check.

The changed rules are other extractors chosen through the registry (a setting each, as a team would switch to a
new version): every document is read again with other spans (each finding's span one character shorter at its
start), another speaker for every statement and another place for every report, so no machine row keeps its id,
its index or its exact span, and the machine now disagrees with what people set.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, Team, config_at

from hague import pipeline
from hague.reading.extractors import REPORTS, STATEMENTS, rule_reports, rule_statements
from hague.reading.fields import Field, Report, Statement
from hague.reading.text import TextDoc
from hague.services import curation, evidence
from hague.services.evidence import AddOptions
from hague.vocab import Verdict
from hague.workspace import open_workspace


def _nudge(field: Field, value: object = None) -> Field:
    start = field.start + 1 if field.start is not None and field.end is not None and field.end - field.start > 4 \
        else field.start
    return dataclasses.replace(field, start=start, value=field.value if value is None else value)


def changed_statements(doc: TextDoc) -> list[Statement]:
    """The rule-based statements with other spans and another speaker: what a new extractor might say."""
    found = rule_statements(doc)
    for st in found:
        st.quote, st.speaker = _nudge(st.quote), _nudge(st.speaker, "A Changed Speaker")
    return found


def changed_reports(doc: TextDoc) -> list[Report]:
    found = rule_reports(doc)
    for rep in found:
        rep.evidence = [(s + 1, e) if e - s > 4 else (s, e) for s, e in rep.evidence]
        rep.place = _nudge(rep.place, "Elsewhere")
    return found


FORGOTTEN: set[tuple[int, int]] = set()  # quote spans the forgetful extractor no longer finds


def forgetful_statements(doc: TextDoc) -> list[Statement]:
    return [st for st in rule_statements(doc) if (st.quote.start, st.quote.end) not in FORGOTTEN]


def reanalyse_with_changed_rules(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    """Choose the changed extractors (registered components, a setting each) and analyse: every document is read
    again, because the extractors' names and versions changed."""
    if "changed" not in STATEMENTS.names():
        STATEMENTS.register("changed", "0.0.1", "rules, other spans and speakers (a test component)")(
            changed_statements)
        REPORTS.register("changed", "0.0.1", "rules, other spans and places (a test component)")(changed_reports)
    monkeypatch.setenv("HAGUE_STATEMENTS_EXTRACTOR", "changed")
    monkeypatch.setenv("HAGUE_REPORTS_EXTRACTOR", "changed")
    ws = open_workspace(config_at(team.ws.config.home))
    done = pipeline.analyze(ws, "tester")
    assert done.read == len(team.documents()), "the new extractors read every document again"


def test_every_kind_of_correction_survives_changed_rules_and_new_documents(
        team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    analyst = team.member("analyst")
    statements, reports = team.statements(), team.reports()
    incidents = team.incidents()
    rejected, corrected, accepted = statements[0], statements[1], statements[2]
    curation.reject(team.ws, analyst, "statement", rejected.id)
    curation.correct(team.ws, analyst, "statement", corrected.id, {"speaker": "Helena Brandt",
                                                                   "stance": "condemns"})
    curation.accept(team.ws, analyst, "statement", accepted.id)
    report = next(r for r in reports if r.incident_id)
    curation.correct(team.ws, analyst, "report", report.id, {"killed": "7"})
    keep, gone = incidents[0], incidents[1]
    curation.merge(team.ws, analyst, keep, [gone])
    curation.correct_incident(team.ws, analyst, keep, {"date": "2022-03-04", "place": "Enerhodar",
                                                       "coordinates": "47.4989,34.6574"})
    members_before = sorted((r.document_id, r.evidence[0][0]) for r in team.reports() if r.incident_id == keep)

    reanalyse_with_changed_rules(team, monkeypatch)

    now = team.statements()
    speakers = {(s.document_id, s.quote_end): s for s in now}
    assert (rejected.document_id, rejected.quote_end) not in speakers, "a rejected statement stays rejected"
    fixed = speakers[(corrected.document_id, corrected.quote_end)]
    assert (fixed.speaker, fixed.stance) == ("Helena Brandt", "condemns")
    assert fixed.fields["speaker"]["origin"] == "analyst"
    assert fixed.fields["curation"]["fields"]["speaker"]["machine"] == "A Changed Speaker"  # the machine's, beside
    kept = speakers[(accepted.document_id, accepted.quote_end)]
    assert kept.speaker == accepted.speaker and kept.fields["curation"]["verdict"] == Verdict.ACCEPTED
    assert all(s.speaker == "A Changed Speaker" for s in now if "curation" not in s.fields)  # the new rules ran

    merged = team.incident(keep)
    assert merged is not None and team.incident(gone) is None, "a merged incident stays merged"
    assert merged.data["fields"]["date"]["value"] == "2022-03-04"
    assert merged.data["fields"]["place"]["value"] == "Enerhodar"  # though the machine now says Elsewhere
    assert merged.data["fields"]["place"]["machine"] == "Elsewhere"
    members_after = sorted((r.document_id, r.evidence[0][0] - 1) for r in team.reports() if r.incident_id == keep)
    assert members_after == members_before
    again = next(r for r in team.reports() if (r.document_id, r.evidence[0][1]) == (report.document_id,
                                                                                     report.evidence[0][1]))
    assert again.fields["killed"]["value"] == 7

    # the machine now disagrees with people: shown as conflicts, never settled by the machine
    conflicts = curation.list_conflicts(team.ws, analyst).items
    about = {(c.target.split(":")[0], c.field): c for c in conflicts}
    assert about[("decision", "speaker")].machine_now == "A Changed Speaker"
    assert about[("incident", "place")].person == "Enerhodar" and about[("incident", "place")].machine_now == \
        "Elsewhere"
    target = next(c.target for c in conflicts if c.target.startswith("incident:") and c.field == "place")
    curation.resolve(team.ws, analyst, target, "place", take_machine=False)
    assert team.incident(keep).data["fields"]["place"]["value"] == "Enerhodar"
    assert not [c for c in curation.list_conflicts(team.ws, analyst).items if c.target == target]

    # new documents: another analysis keeps every decision too
    extra = tmp_path / "extra"
    extra.mkdir()
    source = sorted(EXAMPLES.glob("*.txt"))[0]
    shutil.copy(source, extra / "copy.txt")
    (extra / "copy.txt").write_text(source.read_text(encoding="utf-8") + "\nUpdated.", encoding="utf-8")
    evidence.add(team.ws, "tester", [str(extra / "copy.txt")], AddOptions(None, "2022-03-05", "Wire", None, None))
    assert team.incident(gone) is None and team.incident(keep).data["fields"]["date"]["value"] == "2022-03-04"
    assert (rejected.document_id, rejected.quote_end) not in {(s.document_id, s.quote_end) for s in team.statements()}


def test_a_finding_the_machine_no_longer_finds_stays_and_is_shown_as_a_conflict(
        team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    analyst = team.member("analyst")
    st = team.statements()[3]
    curation.accept(team.ws, analyst, "statement", st.id)

    FORGOTTEN.add((st.quote_start, st.quote_end))
    if "forgetful" not in STATEMENTS.names():
        STATEMENTS.register("forgetful", "0.0.1", "rules, less what a test forgets")(forgetful_statements)
    monkeypatch.setenv("HAGUE_STATEMENTS_EXTRACTOR", "forgetful")
    pipeline.analyze(open_workspace(config_at(team.ws.config.home)), "tester")
    back = [s for s in team.statements() if (s.document_id, s.quote_start) == (st.document_id, st.quote_start)]
    assert len(back) == 1 and back[0].speaker == st.speaker and back[0].analyzer == "person"
    gone = [c for c in curation.list_conflicts(team.ws, analyst).items if c.field == "*"]
    assert len(gone) == 1 and gone[0].machine_now == "not found"
