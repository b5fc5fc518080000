"""Assessments and review states in a real workspace built from the bundled example documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from tests.conftest import EXAMPLES, Team

from hague.assessments import (
    MemberFeatures,
    compact,
    decide,
    expand,
    findings_of,
    incident_features,
    incident_review,
    incident_wording,
    kept_features,
    member_features,
    member_reports,
    refresh_assessments,
    resolve_evidence,
    set_element,
    stored_findings,
)
from hague.errors import InvalidInput, NotFound
from hague.law import suggest
from hague.law.review import IllegalTransition
from hague.model import AssessmentRow, Document, IncidentLawFeatures, IncidentRow, LedgerEntry, ReportRow
from hague.services import curation, evidence, review
from hague.services.evidence import AddOptions
from hague.workspace import Workspace


@pytest.fixture()
def ws(seeded_ws: Workspace) -> Workspace:
    with seeded_ws.write() as s:
        refresh_assessments(s, "machine")
    return seeded_ws


def _incident_with(ws: Workspace, target: str) -> str:
    """The attack on ``target`` (incident ids are the pipeline's business, so tests find them by facts)."""
    with ws.read() as s:
        for row in s.scalars(select(IncidentRow).order_by(IncidentRow.id)):
            fields = row.data["fields"]
            if fields["event"]["value"] == "attack" and target in (fields["targets"]["value"] or []):
                return row.id
    raise LookupError(target)


def _assessed(ws: Workspace, incident_id: str) -> set[str]:
    with ws.read() as s:
        return set(s.scalars(select(AssessmentRow.provision_id).where(AssessmentRow.incident_id == incident_id)))


def test_example_incidents_get_the_expected_candidate_provisions(ws: Workspace) -> None:
    assert {"RS 8(2)(b)(i)", "AP I 51(2)", "RS 8(2)(b)(ii)", "RS 8(2)(b)(iv)"} <= _assessed(
        ws, _incident_with(ws, "residential_building"))
    hospital = _assessed(ws, _incident_with(ws, "hospital"))
    assert {"RS 8(2)(b)(ix)", "AP I 51(4)(b)", "AP I 51(4)(c)", "CIHL 71"} <= hospital
    with ws.read() as s:
        listed = suggest(incident_features(s, _incident_with(ws, "hospital")))
    lower = {x.provision_id for x in listed if (x.why_not or "").startswith("ranked below")}
    assert lower and not lower & hospital  # each rule's best few get a checklist; the rest are listed lower
    assert "RS 8(2)(b)(ix)" in _assessed(ws, _incident_with(ws, "kindergarten"))


def test_features_merge_every_member_report_as_evidence(ws: Workspace) -> None:
    incident_id = _incident_with(ws, "hospital")
    with ws.read() as s:
        features = incident_features(s, incident_id)
        members = len(s.get(IncidentRow, incident_id).data["members"])
    assert "hospital" in features.targets and "cluster_munition" in features.weapons
    refs = features.evidence["targets:hospital"]
    assert len({r.report_id for r in refs}) == members
    assert all("hospital" in (r.quote or "") for r in refs)


def test_refresh_is_idempotent_and_writes_no_ledger_entry_the_second_time(ws: Workspace) -> None:
    with ws.write() as s:
        before = s.scalar(select(LedgerEntry.seq).order_by(LedgerEntry.seq.desc()).limit(1))
        again = refresh_assessments(s, "machine")
        after = s.scalar(select(LedgerEntry.seq).order_by(LedgerEntry.seq.desc()).limit(1))
    assert (again.created, again.updated, again.removed, again.errors) == (0, 0, 0, [])
    assert before == after


def test_machine_findings_are_suggestions_and_a_reviewer_finding_survives_refresh(ws: Workspace) -> None:
    incident_id = _incident_with(ws, "hospital")
    with ws.read() as s:
        review = incident_review(s, incident_id)
    rs9 = next(p for p in review.provisions if p.provision_id == "RS 8(2)(b)(ix)")
    filled = [f.finding for f in rs9.findings if f.finding.status != "not_addressed"]
    assert filled and all(f.origin == "machine" for f in filled)
    with ws.write() as s:
        report_ref = f"report:{rs9.findings[0].finding.evidence[0].report_id}"
        set_element(s, "alice", incident_id, "RS 8(2)(b)(ix)", "B9.INTENT", "unknown", [report_ref], "unclear")
    with ws.write() as s:
        assert refresh_assessments(s, "machine").kept_reviewed == 0
        entry = s.scalars(select(LedgerEntry).where(LedgerEntry.action == "review.element")).one()
    with ws.read() as s:
        after = next(p for p in incident_review(s, incident_id).provisions if p.provision_id == "RS 8(2)(b)(ix)")
    intent = next(f for f in after.findings if f.finding.element_id == "B9.INTENT")
    assert (intent.finding.status, intent.finding.origin, intent.set_by) == ("unknown", "analyst", "alice")
    assert intent.finding.evidence[0].quote
    assert entry.actor == "alice" and entry.details["element"] == "B9.INTENT" and entry.subjects


def test_a_stored_checklist_keeps_only_what_its_elements_definitions_and_the_defaults_do_not_give(
        ws: Workspace) -> None:
    with ws.read() as s:
        rows = list(s.scalars(select(AssessmentRow)))
        stored = [f for a in rows for f in a.elements.values()]
        assert stored and not any("text" in f or "kind" in f or "origin" in f for f in stored)
        assert {} in stored and any("status" in f and f.get("evidence") for f in stored)
        whole = sum(len(json.dumps([f.to_json() for f in stored_findings(a)])) for a in rows)
        assert sum(len(json.dumps(a.elements)) for a in rows) * 3 < whole


def test_compact_and_expand_give_back_every_finding_and_whole_findings_read_as_stored(ws: Workspace) -> None:
    incident_id = _incident_with(ws, "hospital")
    with ws.write() as s:
        set_element(s, "alice", incident_id, "RS 8(2)(b)(ix)", "B9.INTENT", "unknown", [], "unclear")
    with ws.read() as s:
        views = {a.id: findings_of(a) for a in s.scalars(select(AssessmentRow))}
        seen = incident_review(s, incident_id).to_json()
        person = next(a.elements["B9.INTENT"] for a in s.scalars(select(AssessmentRow).where(
            AssessmentRow.incident_id == incident_id, AssessmentRow.provision_id == "RS 8(2)(b)(ix)")))
    assert (person["origin"], person["set_by"], person["status"], person["note"]) == ("analyst", "alice", "unknown",
                                                                                      "unclear")
    assert person["text"] and person["set_at"]  # a person's finding is stored whole
    for view in views.values():  # the same dicts, keys in the same order
        assert json.dumps(expand(compact(view))) == json.dumps(view)
    machine = next(f for view in views.values() for f in view.values() if f["origin"] == "machine")
    older = {machine["element_id"]: {**machine, "text": "an older wording of the element"}}
    assert compact(older) == older == expand(older)  # not what the law data gives now: kept whole

    # rows stored whole, as before compact findings: read the same, and a refresh neither rewrites nor records them
    with ws.write() as s:
        for a in s.scalars(select(AssessmentRow)):
            a.elements = views[a.id]
    with ws.read() as s:
        assert all(json.dumps(a.elements) == json.dumps(findings_of(a)) == json.dumps(views[a.id])
                   for a in s.scalars(select(AssessmentRow)))
        assert incident_review(s, incident_id).to_json() == seen
    with ws.write() as s:
        before = s.scalar(select(LedgerEntry.seq).order_by(LedgerEntry.seq.desc()).limit(1))
        again = refresh_assessments(s, "machine")
        after = s.scalar(select(LedgerEntry.seq).order_by(LedgerEntry.seq.desc()).limit(1))
    assert (again.created, again.updated, again.removed, before) == (0, 0, 0, after)


def test_set_element_refuses_unknown_things(ws: Workspace) -> None:
    incident_id = _incident_with(ws, "hospital")
    with ws.write() as s:
        with pytest.raises(NotFound, match="no element of RS 8.2..b..ix. 'B99.NOPE'"):
            set_element(s, "alice", incident_id, "RS 8(2)(b)(ix)", "B99.NOPE", "supported")
        with pytest.raises(InvalidInput, match="unknown element status"):
            set_element(s, "alice", incident_id, "RS 8(2)(b)(ix)", "B9.INTENT", "proven")
        with pytest.raises(NotFound, match="no provision 'RS 99'"):
            set_element(s, "alice", incident_id, "RS 99", "B9.INTENT", "supported")
        with pytest.raises(NotFound, match="no report '999999'"):
            resolve_evidence(s, "report:999999")
        with pytest.raises(InvalidInput, match="use report:ID"):
            resolve_evidence(s, "page:3")


def test_decisions_follow_the_workflow_go_to_the_ledger_and_change_the_wording(ws: Workspace) -> None:
    incident_id = _incident_with(ws, "kindergarten")
    with ws.write() as s:
        assert incident_wording(s, incident_id).label.endswith("(not reviewed)")
        with pytest.raises(IllegalTransition):
            decide(s, "alice", incident_id, "legal_reviewed", "too early")
    with ws.write() as s:
        decide(s, "alice", incident_id, "evidence_linked", "linked")
        decide(s, "alice", incident_id, "analyst_assessed", "one source", label="credible_allegation")
    with ws.write() as s, pytest.raises(IllegalTransition, match="second person"):
        decide(s, "alice", incident_id, "peer_reviewed", "self check")
    with ws.write() as s:
        decide(s, "bob", incident_id, "peer_reviewed", "checked")
        entries = list(s.scalars(select(LedgerEntry).where(LedgerEntry.action == "review.transition")))
        words = incident_wording(s, incident_id)
    assert [(e.actor, e.details["to_state"]) for e in entries] == [
        ("alice", "evidence_linked"), ("alice", "analyst_assessed"), ("bob", "peer_reviewed")]
    assert words.state == "peer_reviewed" and words.label == "assessed and peer-reviewed"
    assert "consistent with a possible violation of" in words.policy.allowed


def kept_features_are_fresh(ws: Workspace) -> None:
    """Every incident's kept member features equal a fresh reading of its reports, and nothing is kept for an
    incident that is gone: what a refresh without changed members relies on."""
    with ws.read() as s:
        ids = list(s.scalars(select(IncidentRow.id).order_by(IncidentRow.id)))
        kept = kept_features(s, ids)
        assert set(s.scalars(select(IncidentLawFeatures.incident_id))) == set(ids) == set(kept)
        for incident_id in ids:
            assert kept[incident_id] == member_features(member_reports(s, incident_id)), incident_id


def _checklists(ws: Workspace, incident_id: str) -> dict[str, dict]:
    with ws.read() as s:
        return {a.provision_id: a.elements for a in s.scalars(select(AssessmentRow)
                                                              .where(AssessmentRow.incident_id == incident_id))}


def test_a_refresh_without_changed_members_reads_the_kept_features_and_computes_them_when_missing(
        ws: Workspace) -> None:
    kept_features_are_fresh(ws)
    incident_id = _incident_with(ws, "hospital")
    with ws.write() as s:  # what a decision does: a classification, then a refresh of its checklists
        s.get(IncidentRow, incident_id).context_override = "niac"
        refresh_assessments(s, "alice", only=[incident_id], members_changed=False)
    niac = _checklists(ws, incident_id)
    with ws.write() as s:
        again = refresh_assessments(s, "machine", only=[incident_id])  # read from the reports
    assert (again.created, again.updated, again.removed) == (0, 0, 0) and _checklists(ws, incident_id) == niac
    starvation = "RS 8(2)(b)(xxv)"
    assert starvation not in niac
    with ws.write() as s:  # the kept features are what it reads: a provision they say a source cites is suggested
        kept = kept_features(s, [incident_id])[incident_id]
        held = MemberFeatures([*kept.named, starvation], {**kept.evidence, f"named:{starvation}": []})
        s.get(IncidentLawFeatures, incident_id).features = held.to_json()
        refresh_assessments(s, "alice", only=[incident_id], members_changed=False)
    assert starvation in _checklists(ws, incident_id)
    with ws.write() as s:  # a workspace from before features were kept: computed from the reports, and kept
        s.execute(delete(IncidentLawFeatures))
        refresh_assessments(s, "alice", only=[incident_id], members_changed=False)
        assert list(s.scalars(select(IncidentLawFeatures.incident_id))) == [incident_id]
    assert _checklists(ws, incident_id) == niac


def test_features_kept_for_an_incident_whose_changed_members_cannot_be_read_are_dropped(ws: Workspace) -> None:
    incident_id = _incident_with(ws, "hospital")
    with ws.write() as s:
        assert kept_features(s, [incident_id])
        member = s.scalars(select(ReportRow).where(ReportRow.incident_id == incident_id)).first()
        member.fields = {}  # unreadable: the refresh reports it and goes on
        summary = refresh_assessments(s, "machine", only=[incident_id])
        assert [e for e in summary.errors if e.startswith(incident_id)]
        assert not kept_features(s, [incident_id])


def test_kept_features_equal_a_fresh_reading_after_every_kind_of_change(
        team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tests.curation.test_survives_reanalysis import reanalyse_with_changed_rules

    ws, analyst = team.ws, team.member("analyst")
    kept_features_are_fresh(ws)
    with_two = next(i for i in team.incidents() if sum(r.incident_id == i for r in team.reports()) >= 2)
    first, second = [r for r in team.reports() if r.incident_id == with_two][:2]
    curation.correct(ws, analyst, "report", first.id, {"targets": "hospital, school", "killed": "7"})
    kept_features_are_fresh(ws)
    split = curation.split(ws, analyst, with_two, [first.id])
    kept_features_are_fresh(ws)
    curation.move(ws, analyst, [first.id], with_two)
    kept_features_are_fresh(ws)
    assert team.incident(split.details["incident"]) is None
    rejected = curation.reject(ws, analyst, "report", second.id)
    kept_features_are_fresh(ws)
    curation.undo(ws, analyst, rejected.details["decision"])
    kept_features_are_fresh(ws)
    other = next(i for i in team.incidents() if i != with_two)
    curation.merge(ws, analyst, with_two, [other])
    kept_features_are_fresh(ws)
    with ws.read() as s:
        doc = s.get(Document, first.document_id)
        key, start = doc.external_id or str(doc.id), first.evidence[0][0]
    curation.add(ws, analyst, "report", key, start, start + 30, {"event": "attack", "targets": "school"},
                 incident=with_two)
    kept_features_are_fresh(ws)
    curation.correct_incident(ws, analyst, with_two, {"place": "Enerhodar"})
    review.set_context(ws, team.member("lead"), with_two, "niac", "analyst classification")
    kept_features_are_fresh(ws)
    reanalyse_with_changed_rules(team, monkeypatch)  # every report read again: new rows, other spans
    kept_features_are_fresh(ws)
    extra = tmp_path / "extra"
    extra.mkdir()
    source = sorted(EXAMPLES.glob("*.txt"))[1]
    (extra / "copy.txt").write_text(source.read_text(encoding="utf-8") + "\nUpdated.", encoding="utf-8")
    evidence.add(ws, "tester", [str(extra / "copy.txt")], AddOptions(None, "2022-03-05", "Wire", None, None))
    kept_features_are_fresh(ws)


def test_a_workspace_of_the_schema_before_kept_features_migrates_and_keeps_them_at_the_next_refresh(
        ws: Workspace) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from hague import db
    from hague.workspace import open_workspace

    incident_id = _incident_with(ws, "hospital")
    before = _checklists(ws, incident_id)
    cfg = db._alembic_config(ws.engine)
    with ws.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    assert db.current_revision(ws.engine) == "0007" and not inspect(ws.engine).has_table("incident_law_features")
    migrated = open_workspace(ws.config)
    try:
        assert db.current_revision(migrated.engine) == db.SCHEMA_HEAD
        with migrated.write() as s:
            assert not kept_features(s, [incident_id])
            refresh_assessments(s, "alice", only=[incident_id], members_changed=False)
        with migrated.read() as s:
            assert kept_features(s, [incident_id])[incident_id] == member_features(member_reports(s, incident_id))
        assert _checklists(migrated, incident_id) == before
    finally:
        migrated.engine.dispose()
