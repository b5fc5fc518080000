"""Corroboration views computed from what is stored: statement references, positions and mixed messages."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.corroboration.incidents import Incident
from hague.corroboration.positions import MixedMessage, PositionTimeline, StatementRef, mixed_messages, positions
from hague.findings import load_docs, statement_of
from hague.model import IncidentRow, ReportRow, StatementRow


def statement_refs(session: Session, document_ids: set[int] | None = None) -> list[StatementRef]:
    """Statements with their documents' dates, outlets and texts (of ``document_ids`` only, when given)."""
    docs = {d.id: d for d in load_docs(session, document_ids)}
    q = select(StatementRow).order_by(StatementRow.document_id, StatementRow.idx)
    rows = session.scalars(q) if document_ids is None else (
        r for chunk in _chunks(sorted(docs)) for r in session.scalars(q.where(StatementRow.document_id.in_(chunk))))
    return [StatementRef(docs[r.document_id].key, r.idx, statement_of(r), docs[r.document_id].published,
                         docs[r.document_id].outlet, docs[r.document_id].text) for r in rows]


def _chunks(ids: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def stored_incidents(session: Session, ids: Collection[str] | None = None,
                     document_ids: Collection[int] | None = None) -> list[Incident]:
    """Incidents rebuilt from their stored JSON, enough for linking statements to them: every incident, or
    those named in ``ids``, or those with a report in ``document_ids``."""
    if ids is None and document_ids is not None:
        ids = {i for chunk in _chunks(sorted(document_ids)) for i in session.scalars(
            select(ReportRow.incident_id).where(ReportRow.document_id.in_(chunk),
                                                ReportRow.incident_id.is_not(None)).distinct())}
    q = select(IncidentRow)
    rows = session.scalars(q) if ids is None else (
        r for chunk in _chunks(sorted(ids)) for r in session.scalars(q.where(IncidentRow.id.in_(chunk))))
    out = []
    for row in rows:
        data = row.data
        out.append(Incident(row.id, [tuple(m) for m in data["members"]], {}, row.status or "", data["pattern"],
                            [tuple(e) for e in data["evidence"]], []))
    return out


def load_positions(session: Session, window_days: int = 14, document_ids: set[int] | None = None
                   ) -> tuple[list[PositionTimeline], list[MixedMessage]]:
    refs = statement_refs(session, document_ids)
    incidents = stored_incidents(session, document_ids=document_ids)
    return positions(refs, incidents), mixed_messages(refs, window_days, incidents)
