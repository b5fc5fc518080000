"""Assessments and review states in a real workspace built from the bundled example documents."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hague.assessments import (
    decide,
    incident_features,
    incident_review,
    incident_wording,
    refresh_assessments,
    resolve_evidence,
    set_element,
)
from hague.errors import InvalidInput, NotFound
from hague.law import suggest
from hague.law.review import IllegalTransition
from hague.model import AssessmentRow, IncidentRow, LedgerEntry
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
