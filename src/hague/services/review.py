"""Legal review: candidate provisions with their element checklists, a reviewer's findings and decisions, and
the conflict classification an incident is reviewed under.

Every act is taken by an account (:class:`~hague.team.acting.Member`: a signed-in session or an API token, never
a typed name) whose role in the case lets it review (a reviewer or the lead), on an incident of that case, and
is a ledger entry naming the account. A decision records the evidence it saw; when that changes afterwards the
decision is stale and the incident's review state falls back (:func:`hague.assessments.review_standing`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague import assessments, resolve
from hague.assessments import IncidentReview, ReviewStanding, StoredFinding
from hague.errors import InvalidInput
from hague.evidence import ledger
from hague.law.review import Transition
from hague.model import IncidentRow
from hague.report.voice import headline
from hague.services.common import DEFAULT_LIMIT, Page, page
from hague.team.acting import Member
from hague.team.roles import REVIEWERS
from hague.vocab import Action, ConflictType, ProvisionStatus, values
from hague.workspace import Workspace

__all__ = ["ContextSet", "Decision", "ElementSet", "ReviewSummary", "ReviewView", "decide", "get_review",
           "list_reviews", "set_context", "set_element", "TABLE"]

TABLE = "table"  # set_context: drop the override and use the conflict table again


@dataclass(frozen=True)
class ReviewSummary:
    """An incident's review state and how far its candidate provisions' elements are addressed."""

    incident: str
    review_state: str
    label: str
    candidate_provisions: list[str]
    elements: dict[str, int]  # element status -> how many, over the candidate provisions

    @classmethod
    def of(cls, review: IncidentReview) -> ReviewSummary:
        tally: dict[str, int] = {}
        for p in review.provisions:
            for k, n in p.counts().items():
                tally[k] = tally.get(k, 0) + n
        return cls(review.incident_id, review.wording.state, review.wording.label,
                   [p.provision_id for p in review.provisions if p.status == ProvisionStatus.SUGGESTED], tally)

    def to_json(self) -> dict[str, Any]:
        return {"incident": self.incident, "review_state": self.review_state, "label": self.label,
                "candidate_provisions": self.candidate_provisions, "elements": self.elements}


def list_reviews(ws: Workspace, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[ReviewSummary]:
    """Incidents by id with their review state and element tally (candidate provisions are computed)."""
    with ws.read() as s:
        return page(s, select(IncidentRow.id).order_by(IncidentRow.id), limit, offset,
                    lambda i: ReviewSummary.of(assessments.incident_review(s, i)))


@dataclass(frozen=True)
class ReviewView:
    """One incident's review: candidate provisions (suggested, kept by a reviewer, then show-only) with their
    checklists, the conflict classification, the history of decisions, and the headline its state allows."""

    review: IncidentReview
    headline: str
    confidence_label: str | None
    standing: ReviewStanding | None = None

    def to_json(self) -> dict[str, Any]:
        stale = self.standing.to_json()["stale"] if self.standing else None
        return {**self.review.to_json(), "headline": self.headline, "stale": stale}


def get_review(ws: Workspace, incident: str) -> ReviewView:
    """The review of one incident (by id or a unique start of it)."""
    with ws.read() as s:
        review = assessments.incident_review(s, resolve.incident(s, incident).id)
        standing = assessments.review_standing(s, review.incident_id)
    label = assessments.confidence_label(review.history, review.wording.state)
    return ReviewView(review, headline(review.wording.state, label), label, standing)


@dataclass(frozen=True)
class ElementSet:
    """A reviewer's finding on one element, as stored, and the signed head after it."""

    incident: str
    provision: str
    finding: StoredFinding
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"incident": self.incident, "provision": self.provision, **self.finding.to_json(),
                "tree_head": self.tree_head}


def _reviewable(s: Session, who: Member, incident: str, act: str) -> str:
    """The incident's id, once ``who`` may ``act`` on it: a reviewer or lead of a case that holds it."""
    who.require(REVIEWERS, act)
    return who.incident(s, incident)


def set_element(ws: Workspace, who: Member, incident: str, provision: str, element: str, status: str,
                evidence: Sequence[str] = (), note: str | None = None) -> ElementSet:
    """Record ``actor``'s finding on one element of a provision for an incident; one ``review.element`` entry.

    ``status`` is an :class:`~hague.vocab.ElementStatus`. ``evidence`` items are ``report:ID``,
    ``statement:ID``, ``item:SHA256`` (8+ hex digits) or ``doc:KEY:START-END``; given, they replace the
    element's evidence, else it keeps what is linked. A provision the machine did not suggest may be assessed
    too (its checklist is made then). Raises ``NotFound`` (incident, provision, element, evidence),
    ``AmbiguousReference`` and ``InvalidInput`` (status, span).
    """
    with ws.write() as s:
        incident_id = _reviewable(s, who, incident, "record element findings")
        stored = assessments.set_element(s, who.name, incident_id, provision, element, status, list(evidence), note)
    return ElementSet(incident_id, provision, stored, ws.seal().to_json())


@dataclass(frozen=True)
class Decision:
    """A review decision (from state, to state, who, when, why, label), the headline the new state allows, and
    the signed head after it."""

    incident: str
    transition: Transition
    headline: str
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"incident": self.incident, **self.transition.to_json(), "headline": self.headline,
                "tree_head": self.tree_head}


def decide(ws: Workspace, who: Member, incident: str, state: str, reason: str, label: str | None = None) -> Decision:
    """Move an incident to the next review state (law.md §4.6), or back to ``coded`` to re-open it; one
    ``review.transition`` entry. ``label`` is the analyst's confidence label when assessing.

    The move starts from the state that still holds (a stale decision no longer counts), and records the evidence
    the decision saw. Raises ``Refused`` for an account that may not review here, and (``IllegalTransition``)
    for a move the workflow does not allow, a missing reason, an unknown label, or a peer review by the account
    that made the assessment (four eyes: another account, not another name).
    """
    with ws.write() as s:
        incident_id = _reviewable(s, who, incident, "decide review states")
        step = assessments.decide(s, who.name, incident_id, state, reason, label)
    return Decision(incident_id, step, headline(step.to_state, step.label), ws.seal().to_json())


@dataclass(frozen=True)
class ContextSet:
    incident: str
    context: str  # a ConflictType, or "table"
    reason: str
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"incident": self.incident, "context": self.context, "reason": self.reason,
                "tree_head": self.tree_head}


def set_context(ws: Workspace, who: Member, incident: str, context: str, reason: str) -> ContextSet:
    """Set the armed-conflict classification one incident is reviewed under (a :class:`~hague.vocab.ConflictType`),
    overriding the conflict table by country and date, or ``"table"`` to use the table again. Candidate
    provisions are recomputed; one ``review.context`` entry with the reason."""
    if context != TABLE and context not in values(ConflictType):
        raise InvalidInput(f"unknown classification {context!r}: use one of {', '.join(values(ConflictType))} "
                           f"or {TABLE!r}")
    if not reason.strip():
        raise InvalidInput("a classification needs a reason")
    with ws.write() as s:
        row = resolve.incident(s, _reviewable(s, who, incident, "classify the conflict"))
        row.context_override = None if context == TABLE else context
        ledger.append(s, who.name, Action.REVIEW_CONTEXT, [], {"incident": row.id, "context": context,
                                                                "reason": reason})
        s.flush()
        assessments.refresh_assessments(s, who.name, only=[row.id], members_changed=False)
        incident_id = row.id
    return ContextSet(incident_id, context, reason, ws.seal().to_json())
