"""Review as services: findings and decisions under explicit actors, refusals that change nothing."""

from __future__ import annotations

import pytest

from hague.errors import InvalidInput, Refused
from hague.services import evidence, review
from hague.workspace import Workspace


def _hospital(ws: Workspace) -> str:
    return next(r.incident for r in review.list_reviews(ws, limit=100).items
                if "hospital" in r.incident and "RS 8(2)(b)(ix)" in r.candidate_provisions)


def test_a_review_from_suggestion_to_assessment(seeded_ws: Workspace) -> None:
    incident = _hospital(seeded_ws)
    view = review.get_review(seeded_ws, incident)
    assert view.review.wording.state == "provisions_suggested" and view.headline
    done = review.set_element(seeded_ws, "ann", incident, "RS 8(2)(b)(ix)", "B9.INTENT", "unknown", note="unclear")
    assert done.finding.set_by == "ann" and done.finding.finding.origin == "analyst"
    with pytest.raises(Refused, match="cannot move"):
        review.decide(seeded_ws, "ann", incident, "legal_reviewed", "too early")
    review.decide(seeded_ws, "ann", incident, "evidence_linked", "linked")
    step = review.decide(seeded_ws, "ann", incident, "analyst_assessed", "one origin", label="credible_allegation")
    assert step.transition.to_state == "analyst_assessed" and "information suggests" in step.headline
    with pytest.raises(Refused, match="second person"):
        review.decide(seeded_ws, "ann", incident, "peer_reviewed", "self check")
    actors = [(e.action, e.actor) for e in evidence.list_ledger(seeded_ws, limit=4).items]
    assert actors[:3] == [("review.transition", "ann")] * 2 + [("review.element", "ann")]


def test_conflict_context_is_checked_and_recorded(seeded_ws: Workspace) -> None:
    incident = _hospital(seeded_ws)
    with pytest.raises(InvalidInput, match="unknown classification"):
        review.set_context(seeded_ws, "ann", incident, "war", "because")
    with pytest.raises(InvalidInput, match="reason"):
        review.set_context(seeded_ws, "ann", incident, "niac", " ")
    done = review.set_context(seeded_ws, "ann", incident, "niac", "analyst classification")
    assert done.incident == incident
    assert review.get_review(seeded_ws, incident).review.context.conflict_type == "niac"
    entry = evidence.list_ledger(seeded_ws, action="review.context").items[0]
    assert entry.actor == "ann" and entry.details["context"] == "niac"
