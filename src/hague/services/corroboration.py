"""Across documents: reused passages, incidents with their independent sources, positions and mixed messages,
and the sources (outlets) with their Admiralty grades."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from hague import resolve
from hague.assessments import review_states, wording_for
from hague.corroboration.positions import MixedMessage, PositionTimeline
from hague.corroboration.stored import load_positions
from hague.errors import InvalidInput
from hague.evidence import ledger
from hague.model import Document, IncidentRow, ReuseRow, Source
from hague.records import IncidentRecord, ReuseRecord, SourceRecord, doc_refs, grade_of
from hague.services.common import DEFAULT_LIMIT, Page, Within, check_window, page, require_within
from hague.vocab import Action
from hague.workspace import Workspace

__all__ = ["Graded", "IncidentDetail", "Positions", "get_incident", "grade_source", "list_incidents", "list_reuse",
           "list_sources", "positions"]

RELIABILITY = "ABCDEF"  # Admiralty: A completely reliable ... E unreliable, F cannot be judged
CREDIBILITY = "123456"  # 1 confirmed ... 5 improbable, 6 cannot be judged


def list_reuse(ws: Workspace, document: str | None = None, *, within: Within | None = None,
               limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[ReuseRecord]:
    """Passages a later document reuses from an earlier one (B reuses A), with similarity and the basis of the
    direction; of one document (as copier or origin) or all, in the copier's reading order; with ``within``,
    only links whose two documents are both inside."""
    q = select(ReuseRow).order_by(ReuseRow.to_document_id, ReuseRow.to_start)
    if within is not None:
        q = q.where(ReuseRow.to_document_id.in_(within.documents()),
                    ReuseRow.from_document_id.in_(within.documents()))
    with ws.read() as s:
        if document is not None:
            d = resolve.document(s, document)
            q = q.where((ReuseRow.to_document_id == d.id) | (ReuseRow.from_document_id == d.id))
        rows = page(s, q, limit, offset, lambda r: r)
        ids = {r.from_document_id for r in rows.items} | {r.to_document_id for r in rows.items}
        refs = doc_refs(s, ids)
        texts = {i: t for i, t in s.execute(select(Document.id, Document.text).where(
            Document.id.in_({r.to_document_id for r in rows.items})))}
        items = [ReuseRecord.of(r, refs[r.from_document_id], refs[r.to_document_id],
                                texts[r.to_document_id][r.to_start:r.to_end]) for r in rows.items]
    return Page(items, rows.total, rows.limit, rows.offset)


def list_incidents(ws: Workspace, *, within: Within | None = None, limit: int = DEFAULT_LIMIT,
                   offset: int = 0) -> Page[IncidentRecord]:
    """Incidents (reports of one event across documents) by id, each with merged facts, independent sources,
    review state and the label output may use for it; those ``within`` a case when given."""
    q = select(IncidentRow).order_by(IncidentRow.id)
    if within is not None:
        q = q.where(IncidentRow.id.in_(within.incidents()))
    with ws.read() as s:
        rows = page(s, q, limit, offset, lambda r: r)
        states = review_states(s, [r.id for r in rows.items])
    return Page([IncidentRecord.of(r, states[r.id], wording_for(states[r.id], r.status).label) for r in rows.items],
                rows.total, rows.limit, rows.offset)


@dataclass(frozen=True)
class IncidentDetail:
    """One incident, and the Admiralty grade of each outlet among its sources (None when ungraded)."""

    incident: IncidentRecord
    grades: dict[str, str | None]

    def to_json(self) -> dict[str, Any]:
        return {**self.incident.to_json(), "source_grades": self.grades}


def get_incident(ws: Workspace, ref: str, *, within: Within | None = None) -> IncidentDetail:
    """One incident by its id or a unique start of it; ``NotFound`` for one outside ``within``."""
    with ws.read() as s:
        row = resolve.incident(s, ref)
        require_within(s, within.incidents() if within else None, row.id, "incident", ref)
        state = review_states(s, [row.id])[row.id]
        outlets = {g.get("outlet") for g in row.data.get("independent_sources", []) if g.get("outlet")}
        sources = {src.name: src for src in s.scalars(select(Source).where(Source.name.in_(outlets)))}
        return IncidentDetail(IncidentRecord.of(row, state, wording_for(state, row.status).label),
                              {o: grade_of(sources.get(o)) for o in sorted(outlets)})


@dataclass(frozen=True)
class Positions:
    """Each actor's position over time, and mixed messages (one government asserting a violation while
    another of its voices says there is no conclusion or cannot confirm)."""

    timelines: list[PositionTimeline]
    mixed: list[MixedMessage]

    def to_json(self) -> dict[str, Any]:
        return {"positions": [t.to_json() for t in self.timelines],
                "mixed_messages": [m.to_json() for m in self.mixed]}


def positions(ws: Workspace, window_days: int = 14) -> Positions:
    """Positions and mixed messages; opposite stances within ``window_days`` of each other count as mixed."""
    if window_days < 0:
        raise InvalidInput(f"window {window_days} must not be negative")
    with ws.read() as s:
        return Positions(*load_positions(s, window_days))


def list_sources(ws: Workspace, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[SourceRecord]:
    """Sources (outlets) by name, with grades and how many documents each published."""
    check_window(limit, offset)
    q = (select(Source, func.count(Document.id)).join(Document, Document.source_id == Source.id, isouter=True)
         .group_by(Source.id).order_by(Source.name))
    with ws.read() as s:
        total = s.scalar(select(func.count(Source.id))) or 0
        rows = s.execute(q.limit(limit).offset(offset)).all()
    return Page([SourceRecord.of(src, n) for src, n in rows], total, limit, offset)


@dataclass(frozen=True)
class Graded:
    source: SourceRecord
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {**self.source.to_json(), "tree_head": self.tree_head}


def grade_source(ws: Workspace, actor: str, name: str, reliability: str, credibility: str) -> Graded:
    """Set a source's Admiralty grade: reliability A (completely reliable) to F (cannot be judged), credibility
    1 (confirmed) to 6 (cannot be judged). Shown beside every corroboration count; one ``source.grade`` entry."""
    reliability, credibility = reliability.strip().upper(), credibility.strip()
    if len(reliability) != 1 or reliability not in RELIABILITY:
        raise InvalidInput(f"reliability {reliability!r} must be one letter A–F")
    if len(credibility) != 1 or credibility not in CREDIBILITY:
        raise InvalidInput(f"credibility {credibility!r} must be one digit 1–6")
    with ws.write() as s:
        src = resolve.source(s, name)
        src.reliability, src.credibility = reliability, credibility
        ledger.append(s, actor, Action.SOURCE_GRADE, [], {"source": src.name, "grade": reliability + credibility})
        s.flush()
        n = s.scalar(select(func.count(Document.id)).where(Document.source_id == src.id)) or 0
        record = SourceRecord.of(src, n)
    return Graded(record, ws.seal().to_json())
