"""Review states (law.md §4.6), the moves between them, and the wording each state allows.

Every transition records who, when and why, and is meant to become one custody-ledger entry
(``Transition.to_json``). The wording policy is one checker used by every output surface (CLI, JSON,
dossier): phrases a later state introduces ("may amount to") are refused before it, and phrases that
state a legal conclusion ("committed a war crime", "guilty") are refused in every state. Attributed
quotations are what a source said, not our voice: surfaces pass them as ``quoted`` to exempt them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache
from typing import Any

from hague.errors import Refused
from hague.law.datafiles import load_yaml
from hague.timestamps import stamp, utc_now
from hague.vocab import Action, ConfidenceLabel, ReviewState

ANY = "any"


def _states() -> list[dict[str, Any]]:
    return load_yaml("review")["states"]


REVIEW_STATES: tuple[ReviewState, ...] = tuple(ReviewState)  # review.yaml describes each, in this order (tested)
ANALYST_CONFIDENCE_LABELS: tuple[ConfidenceLabel, ...] = tuple(ConfidenceLabel)


class IllegalTransition(Refused, ValueError):
    """A review move the workflow does not allow (or one missing who/why)."""


class WordingError(Refused, ValueError):
    """Output text uses phrasing its review state does not allow."""


def allowed_transitions(current: str | None) -> tuple[str, ...]:
    """States reachable from ``current`` (None: a new incident, which starts ``ingested``)."""
    if current is None:
        return (REVIEW_STATES[0],)
    if current not in REVIEW_STATES:
        raise IllegalTransition(f"unknown review state {current!r}")
    targets = [b for a, b in load_yaml("review")["transitions"] if a in (current, ANY) and b != current]
    return tuple(dict.fromkeys(targets))


@dataclass(frozen=True, slots=True)
class Transition:
    """One review decision: from which state to which, by whom, when, why."""

    from_state: str | None
    to_state: str
    reviewer: str
    reason: str
    at: str  # hague.timestamps format (UTC)
    label: str | None = None  # analyst confidence label, when assessing

    def to_json(self) -> dict[str, Any]:
        """The ledger payload of this decision (action ``review.transition``)."""
        return {"action": Action.REVIEW_TRANSITION, **asdict(self)}


def transition(current: str | None, new: str, reviewer: str, reason: str, *, label: str | None = None,
               history: Sequence[Transition] = (), at: datetime | None = None) -> Transition:
    """Check and record a move; raises :class:`IllegalTransition` for any move law.md §4.6 does not allow.

    ``history`` (earlier transitions of the same assessment) enforces the four-eyes rule: the peer
    reviewer must not be the analyst who made the latest assessment.
    """
    if new not in allowed_transitions(current):
        raise IllegalTransition(f"cannot move from {current or 'nothing'!r} to {new!r}; "
                                f"allowed: {', '.join(allowed_transitions(current))}")
    if not reviewer.strip():
        raise IllegalTransition("a review decision needs the reviewer's name")
    if not reason.strip():
        raise IllegalTransition("a review decision needs a reason")
    if label is not None and label not in ANALYST_CONFIDENCE_LABELS:
        raise IllegalTransition(f"unknown confidence label {label!r}; "
                                f"expected one of {', '.join(ANALYST_CONFIDENCE_LABELS)}")
    spec = next(s for s in _states() if s["id"] == new)
    if spec.get("four_eyes"):
        assessed = [t for t in history if t.to_state == REVIEW_STATES[REVIEW_STATES.index(new) - 1]]
        if assessed and assessed[-1].reviewer.strip().casefold() == reviewer.strip().casefold():
            raise IllegalTransition(f"{new} needs a second person: {reviewer!r} made the assessment")
    return Transition(current, ReviewState(new), reviewer.strip(), reason.strip(), stamp(at) if at else utc_now(),
                      label)


@dataclass(frozen=True, slots=True)
class Wording:
    """What output may say in one review state."""

    state: str
    allowed: tuple[str, ...]  # phrases usable in this state (cumulative along the chain)
    not_yet: tuple[tuple[str, str], ...]  # (phrase, the state from which it becomes usable)
    forbidden: tuple[tuple[str, str], ...]  # (regular expression, why) — refused in every state

    def violations(self, text: str, quoted: Iterable[str] = ()) -> list[str]:
        """Each problem in ``text`` as a readable line; empty when the text may be output."""
        for quote in sorted(quoted, key=len, reverse=True):
            if quote:
                text = text.replace(quote, " ")
        found = []
        for pattern, why in self.forbidden:
            for m in re.finditer(pattern, text, re.IGNORECASE):
                found.append(f"{m.group(0)!r}: {why}")
        lowered = " ".join(text.lower().split())
        for phrase, from_state in self.not_yet:
            if re.search(rf"\b{re.escape(phrase.lower())}\b", lowered):
                found.append(f"{phrase!r}: not before review state {from_state!r} (now {self.state!r})")
        return found


@cache
def wording(state: str) -> Wording:
    """The wording policy of ``state``."""
    if state not in REVIEW_STATES:
        raise ValueError(f"unknown review state {state!r}")
    upto = REVIEW_STATES.index(state)
    allowed = tuple(p for s in _states()[: upto + 1] for p in s.get("allows", ()))
    not_yet = tuple((p, s["id"]) for s in _states()[upto + 1:] for p in s.get("allows", ()))
    forbidden = tuple((f["pattern"], f["why"]) for f in load_yaml("review")["forbidden"])
    return Wording(state, allowed, not_yet, forbidden)


def assert_wording_allowed(text: str, state: str, quoted: Iterable[str] = ()) -> None:
    """Raise :class:`WordingError` if ``text`` (less attributed ``quoted`` passages) breaks the policy."""
    problems = wording(state).violations(text, quoted)
    if problems:
        raise WordingError(f"wording not allowed in state {state!r}: " + "; ".join(problems))


def institutional_standards() -> dict[str, str]:
    """Standards of proof used by institutions, for display and comparison only — never auto-assigned."""
    return dict(load_yaml("review")["institutional_reference_standards"])
