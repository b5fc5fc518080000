"""Corroboration views computed from what is stored: statement references, positions and mixed messages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.corroboration.incidents import Incident
from hague.corroboration.positions import MixedMessage, PositionTimeline, StatementRef, mixed_messages, positions
from hague.findings import load_docs, statement_of
from hague.model import IncidentRow, StatementRow


def statement_refs(session: Session, document_ids: set[int] | None = None) -> list[StatementRef]:
    """Statements with their documents' dates, outlets and texts (of ``document_ids`` only, when given)."""
    docs = {d.id: d for d in load_docs(session) if document_ids is None or d.id in document_ids}
    q = select(StatementRow).order_by(StatementRow.document_id, StatementRow.idx)
    if document_ids is not None:
        q = q.where(StatementRow.document_id.in_(list(docs)))
    rows = session.scalars(q)
    return [StatementRef(docs[r.document_id].key, r.idx, statement_of(r), docs[r.document_id].published,
                         docs[r.document_id].outlet, docs[r.document_id].text) for r in rows]


def stored_incidents(session: Session) -> list[Incident]:
    """Incidents rebuilt from their stored JSON, enough for linking statements to them."""
    out = []
    for row in session.scalars(select(IncidentRow)):
        data = row.data
        out.append(Incident(row.id, [tuple(m) for m in data["members"]], {}, row.status or "", data["pattern"],
                            [tuple(e) for e in data["evidence"]], []))
    return out


def load_positions(session: Session, window_days: int = 14, document_ids: set[int] | None = None
                   ) -> tuple[list[PositionTimeline], list[MixedMessage]]:
    refs = statement_refs(session, document_ids)
    incidents = stored_incidents(session)
    return positions(refs, incidents), mixed_messages(refs, window_days, incidents)
