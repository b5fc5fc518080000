"""Review as services: findings and decisions by accounts (reviewers of the case), refusals that change nothing,
and decisions that go stale when the evidence they saw changes."""

from __future__ import annotations

import pytest
from tests.conftest import Team

from hague.errors import InvalidInput, NotFound, Refused
from hague.services import evidence, review
from hague.workspace import Workspace


def _hospital(ws: Workspace) -> str:
    return next(r.incident for r in review.list_reviews(ws, limit=100).items
                if "hospital" in r.incident and "RS 8(2)(b)(ix)" in r.candidate_provisions)


def test_a_review_from_suggestion_to_assessment(team: Team) -> None:
    seeded_ws, ann = team.ws, team.member("reviewer")
    incident = _hospital(seeded_ws)
    view = review.get_review(seeded_ws, incident)
    assert view.review.wording.state == "provisions_suggested" and view.headline
    done = review.set_element(seeded_ws, ann, incident, "RS 8(2)(b)(ix)", "B9.INTENT", "unknown", note="unclear")
    assert done.finding.set_by == "reviewer" and done.finding.finding.origin == "analyst"
    with pytest.raises(Refused, match="cannot move"):
        review.decide(seeded_ws, ann, incident, "legal_reviewed", "too early")
    review.decide(seeded_ws, ann, incident, "evidence_linked", "linked")
    step = review.decide(seeded_ws, ann, incident, "analyst_assessed", "one origin", label="credible_allegation")
    assert step.transition.to_state == "analyst_assessed" and "information suggests" in step.headline
    with pytest.raises(Refused, match="second person"):
        review.decide(seeded_ws, ann, incident, "peer_reviewed", "self check")
    actors = [(e.action, e.actor) for e in evidence.list_ledger(seeded_ws, limit=4).items]
    assert actors[:3] == [("review.transition", "reviewer")] * 2 + [("review.element", "reviewer")]


def test_conflict_context_is_checked_and_recorded(team: Team) -> None:
    seeded_ws, ann = team.ws, team.member("lead")
    incident = _hospital(seeded_ws)
    with pytest.raises(InvalidInput, match="unknown classification"):
        review.set_context(seeded_ws, ann, incident, "war", "because")
    with pytest.raises(InvalidInput, match="reason"):
        review.set_context(seeded_ws, ann, incident, "niac", " ")
    done = review.set_context(seeded_ws, ann, incident, "niac", "analyst classification")
    assert done.incident == incident
    assert review.get_review(seeded_ws, incident).review.context.conflict_type == "niac"
    entry = evidence.list_ledger(seeded_ws, action="review.context").items[0]
    assert entry.actor == "lead" and entry.details["context"] == "niac"


def test_only_reviewers_of_the_case_move_review_states(team: Team) -> None:
    incident = _hospital(team.ws)
    for name in ("analyst", "viewer", "partner"):
        with pytest.raises(Refused, match=f"{name} is a {name}"):
            review.decide(team.ws, team.member(name), incident, "evidence_linked", "linked")
    from hague.team import accounts, cases
    from hague.team.roles import Role

    with team.ws.write() as s:  # a case that holds none of the incident's documents
        empty = cases.create(s, "admin", "Empty", slug="empty", lead=accounts.get(s, "admin"))
        cases.set_member(s, "admin", empty, accounts.get(s, "reviewer"), Role.REVIEWER)
    with pytest.raises(NotFound, match="not in case 'empty'"):
        review.decide(team.ws, team.member("reviewer", case="empty"), incident, "evidence_linked", "linked")


def test_four_eyes_means_another_account_and_a_decision_goes_stale_when_its_evidence_changes(team: Team) -> None:
    from hague.services import curation

    incident = _hospital(team.ws)
    first, second = team.member("reviewer"), team.member("lead")
    review.decide(team.ws, first, incident, "evidence_linked", "linked")
    review.decide(team.ws, first, incident, "analyst_assessed", "one origin", label="credible_allegation")
    with pytest.raises(Refused, match="second person"):
        review.decide(team.ws, first, incident, "peer_reviewed", "my own check")
    done = review.decide(team.ws, second, incident, "peer_reviewed", "checked attribution")
    assert done.transition.evidence and len(done.transition.evidence) == 64
    assert review.get_review(team.ws, incident).review.wording.state == "peer_reviewed"
    assert review.get_review(team.ws, incident).to_json()["stale"] is None

    report = next(r for r in team.reports() if r.incident_id == incident)
    curation.correct(team.ws, team.member("analyst"), "report", report.id, {"killed": "3"})
    view = review.get_review(team.ws, incident)
    assert view.review.wording.state == "provisions_suggested"  # falls back to what still holds
    assert view.confidence_label is None and "information suggests" not in view.headline
    stale = view.to_json()["stale"]
    assert stale["decision"]["to_state"] == "peer_reviewed" and stale["decision"]["reviewer"] == "lead"
    assert any(c.startswith("changed: report") for c in stale["changes"])
    listed = {r.incident: r.review_state for r in review.list_reviews(team.ws, limit=100).items}
    assert listed[incident] == "provisions_suggested"
    with pytest.raises(Refused, match="cannot move"):
        review.decide(team.ws, second, incident, "peer_reviewed", "still fine?")
    review.decide(team.ws, first, incident, "evidence_linked", "re-linked after the correction")
    review.decide(team.ws, first, incident, "analyst_assessed", "still one origin", label="credible_allegation")
    review.decide(team.ws, second, incident, "peer_reviewed", "checked again")
    assert review.get_review(team.ws, incident).review.wording.state == "peer_reviewed"
