"""Review state of incidents as stored, and the wording it allows in every output."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from hague.law.review import REVIEW_STATES, Wording, wording
from hague.model import IncidentRow, ReviewRow

# What an incident may be called in each state, in our own voice (checked against the wording policy by a test).
_LABELS = {
    "ingested": "reported", "coded": "reported", "provisions_suggested": "reported",
    "evidence_linked": "reported", "analyst_assessed": "assessed by an analyst",
    "peer_reviewed": "assessed and peer-reviewed", "legal_reviewed": "legally reviewed",
    "export_ready": "legally reviewed, ready to share",
}


@dataclass(frozen=True)
class IncidentWording:
    state: str
    label: str
    policy: Wording


def incident_state(session: Session, incident_id: str) -> str:
    row = session.get(ReviewRow, incident_id)
    if row is not None:
        return row.state
    inc = session.get(IncidentRow, incident_id)
    return "provisions_suggested" if inc is not None else REVIEW_STATES[0]


def incident_wording(session: Session, incident_id: str) -> IncidentWording:
    state = incident_state(session, incident_id)
    inc = session.get(IncidentRow, incident_id)
    status = (inc.status if inc is not None else None) or "reported"
    label = _LABELS[state] if state in ("analyst_assessed", "peer_reviewed", "legal_reviewed", "export_ready") \
        else f"{status} (not reviewed)"
    return IncidentWording(state, label, wording(state))
