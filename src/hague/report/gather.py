"""What the dossier shows, read from the workspace into plain data, one incident at a time.

A dossier covers a :class:`DossierScope` (a case, named incidents, incidents dated since a day, a page of
them) or the whole workspace. Incidents are read in batches (:func:`incident_entries`), each with its
merged facts, reports, sources, reuse, statements and candidate provisions, so that a renderer can write
one section and forget it: memory follows the batch, not the workspace. The parts about no one incident
(overview counts, positions and mixed messages, the source list, the signed head) are read afterwards
over the documents the incidents in scope stand on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hague import __version__
from hague.assessments import IncidentReview, confidence_label, incident_review, member_reports
from hague.corroboration.positions import position_entries
from hague.corroboration.stored import load_positions, statement_refs, stored_incidents
from hague.errors import NotFound
from hague.evidence import ledger
from hague.findings import doc_key, parse_day
from hague.law.suggest import SUGGESTED
from hague.model import (
    Case,
    CaseItem,
    Document,
    IncidentRow,
    Item,
    ReportRow,
    ReuseRow,
    Source,
    StatementRow,
)
from hague.records import grade_of
from hague.report.scope import DossierScope
from hague.report.voice import headline
from hague.timestamps import utc_now

BATCH = 100  # incidents read together: one query each for their statements, reuse and document keys
_CHUNK = 500  # ids per IN (...) query


@dataclass
class IncidentEntry:
    """One incident as the dossier shows it."""

    number: int
    row: IncidentRow
    review: IncidentReview
    headline: str
    confidence_label: str | None
    reports: list[dict[str, Any]]
    reuse: list[dict[str, Any]]
    statements: list[dict[str, Any]]
    points: list[tuple[float, float]]  # (lat, lon) of its reports' places
    documents: set[int] = field(default_factory=set, repr=False)

    @property
    def state(self) -> str:
        return self.review.wording.state

    @property
    def date(self) -> str | None:
        return self.row.data["fields"].get("date", {}).get("value")

    def mark(self) -> IncidentMark:
        return IncidentMark(self.number, self.row.id, self.state, self.date, self.points)

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, **self.row.data, "review": self.review.to_json(),
                "headline": self.headline, "confidence_label": self.confidence_label, "reports": self.reports,
                "reuse": self.reuse, "statements": self.statements, "points": [list(p) for p in self.points]}


@dataclass(frozen=True)
class IncidentMark:
    """What the map, the timeline and the overview keep of an incident once its section is written."""

    number: int
    id: str
    state: str
    date: str | None
    points: list[tuple[float, float]]


@dataclass
class Dossier:
    """The parts of a dossier about no one incident, read after its incidents were written."""

    generated_at: str
    version: str
    scope: dict[str, Any]
    counts: dict[str, int]
    states: dict[str, int]
    incidents: list[IncidentMark]
    positions: list[dict[str, Any]]
    mixed: list[dict[str, Any]]
    tree_head: dict[str, Any] | None


def _chunks(ids: Iterable[Any]) -> Iterator[list[Any]]:
    ids = list(ids)
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def incident_ids(session: Session, scope: DossierScope) -> list[str]:
    """The ids of the incidents in scope, in dossier order (reported date, then id); ``NotFound`` names an
    unknown case or incident."""
    q = select(IncidentRow.id)
    if scope.incidents:
        known = {i for chunk in _chunks(scope.incidents)
                 for i in session.scalars(select(IncidentRow.id).where(IncidentRow.id.in_(chunk)))}
        missing = [i for i in scope.incidents if i not in known]
        if missing:
            raise NotFound("incident", ", ".join(missing), "see `hague incidents`")
        q = q.where(IncidentRow.id.in_(list(scope.incidents)))
    if scope.case:
        case_id = session.scalar(select(Case.id).where(Case.slug == scope.case))
        if case_id is None:
            raise NotFound("case", scope.case, "see `hague case list`")
        q = q.where(IncidentRow.id.in_(
            select(ReportRow.incident_id).join(Document, Document.id == ReportRow.document_id)
            .join(CaseItem, CaseItem.item_sha256 == Document.item_sha256).where(CaseItem.case_id == case_id)))
    if scope.since:
        q = q.where(IncidentRow.date >= str(parse_day(scope.since)))
    q = q.order_by(func.coalesce(IncidentRow.date, "9999"), IncidentRow.id).offset(scope.offset)
    if scope.limit is not None:
        q = q.limit(scope.limit)
    return list(session.scalars(q))


def _report(rep: ReportRow, doc: Document) -> dict[str, Any]:
    quotes = [doc.text[s:e] for s, e in rep.evidence]
    fields = {k: v.get("value") for k, v in rep.fields.items() if isinstance(v, dict) and "value" in v}
    return {"id": rep.id, "ref": f"report:{rep.id}", "document": doc_key(doc), "outlet": doc.outlet,
            "title": doc.title, "published": doc.published, "url": doc.url, "fields": fields,
            "evidence": quotes, "coordinates": rep.fields.get("coordinates"), "machine_output": True}


def _reuse(rows: Iterable[ReuseRow], doc_ids: set[int], keys: dict[int, str]) -> list[dict[str, Any]]:
    """Reuse touching ``doc_ids``, one line per (copier, origin) pair."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        if r.to_document_id not in doc_ids and r.from_document_id not in doc_ids:
            continue
        pair = pairs.setdefault((keys[r.from_document_id], keys[r.to_document_id]), {
            "from": keys[r.from_document_id], "to": keys[r.to_document_id], "passages": 0, "similarity": 0.0,
            "basis": r.basis})
        pair["passages"] += 1
        pair["similarity"] = max(pair["similarity"], round(r.similarity, 2))
    return list(pairs.values())


def _batch(session: Session, ids: list[str], first: int) -> Iterator[IncidentEntry]:
    rows = {r.id: r for r in session.scalars(select(IncidentRow).where(IncidentRow.id.in_(ids)))}
    members = {i: member_reports(session, i) for i in ids}
    doc_ids = {d.id for m in members.values() for _, d in m}
    reuse = [r for chunk in _chunks(doc_ids) for r in session.scalars(
        select(ReuseRow).where(ReuseRow.to_document_id.in_(chunk) | ReuseRow.from_document_id.in_(chunk)))]
    linked = {r.to_document_id for r in reuse} | {r.from_document_id for r in reuse} | doc_ids
    keys = {r.id: doc_key(r) for chunk in _chunks(linked)
            for r in session.execute(select(Document.id, Document.external_id).where(Document.id.in_(chunk)))}
    by_key = {k: i for i, k in keys.items()}
    statement_ids = {(r.document_id, r.idx): r.id for chunk in _chunks(doc_ids) for r in session.execute(
        select(StatementRow.id, StatementRow.document_id, StatementRow.idx).where(StatementRow.document_id.in_(chunk)))}
    entries = position_entries(statement_refs(session, doc_ids), stored_incidents(session, ids))
    for n, incident in enumerate(ids, first):
        row, own = rows[incident], members[incident]
        review = incident_review(session, incident)
        label = confidence_label(review.history, review.wording.state)
        statements = [{**e.to_json(), "refs": [f"statement:{statement_ids[(by_key[d], i)]}"
                                               for d, i, _ in e.sources if (by_key.get(d), i) in statement_ids]}
                      for e in entries if incident in e.incidents]
        reports = [_report(rep, doc) for rep, doc in own]
        points = [tuple(r["coordinates"]) for r in reports if r["coordinates"]]
        docs = {d.id for _, d in own}
        yield IncidentEntry(n, row, review, headline(review.wording.state, label), label, reports,
                            _reuse(reuse, docs, keys), statements, list(dict.fromkeys(points)), docs)


def incident_entries(session: Session, ids: list[str], first: int = 1) -> Iterator[IncidentEntry]:
    """Each incident of ``ids`` in order, numbered from ``first``, read :data:`BATCH` at a time."""
    for start in range(0, len(ids), BATCH):
        yield from _batch(session, ids[start:start + BATCH], first + start)
        session.expunge_all()  # what was read for this batch is not kept for the next


def source_rows(session: Session, doc_ids: set[int] | None) -> Iterator[dict[str, Any]]:
    """The source list (every document, or ``doc_ids``) in document order, streamed without the texts."""
    grades = {s.id: grade_of(s) for s in session.scalars(select(Source))}
    q = (select(Document.id, Document.external_id, Document.outlet, Document.title, Document.published,
                Document.url, Document.item_sha256, Document.source_id, Item.captured_at, Item.captured_by,
                Item.origin).join(Item, Item.sha256 == Document.item_sha256).order_by(Document.id))
    chunks = [None] if doc_ids is None else _chunks(sorted(doc_ids))
    for chunk in chunks:
        part = q if chunk is None else q.where(Document.id.in_(chunk))
        for d in session.execute(part.execution_options(yield_per=1000)):
            yield {"document": doc_key(d), "outlet": d.outlet, "title": d.title, "published": d.published,
                   "url": d.url, "sha256": d.item_sha256, "captured_at": d.captured_at,
                   "captured_by": d.captured_by, "origin": d.origin, "grade": grades.get(d.source_id or -1)}


def outlet_grades(session: Session) -> dict[str, str | None]:
    """Outlet -> grade (of the source of its latest document, as the source list shows it); no texts read."""
    grades = {s.id: grade_of(s) for s in session.scalars(select(Source))}
    q = select(Document.outlet, Document.source_id).where(Document.outlet.is_not(None)).order_by(Document.id)
    return {r.outlet: grades.get(r.source_id or -1) for r in session.execute(q.execution_options(yield_per=5000))}


def _count(session: Session, column: Any, doc_ids: set[int] | None) -> int:
    if doc_ids is None:
        return session.scalar(select(func.count(column))) or 0
    return sum(session.scalar(select(func.count(column)).where(column.table.c.document_id.in_(chunk))) or 0
               for chunk in _chunks(doc_ids))


def overview(session: Session, scope: DossierScope, marks: list[IncidentMark], doc_ids: set[int],
             reports: int, suggested: int, window_days: int) -> Dossier:
    """The parts about no one incident, over the documents the incidents in scope stand on (every document
    for the whole workspace)."""
    docs = None if scope.whole else doc_ids
    timelines, mixed = load_positions(session, window_days, docs)
    states: dict[str, int] = {}
    for m in marks:
        states[m.state] = states.get(m.state, 0) + 1
    if docs is None:
        n_docs = session.scalar(select(func.count(Document.id))) or 0
        outlets = session.scalar(select(func.count(func.distinct(Document.outlet)))) or 0
        reports = session.scalar(select(func.count(ReportRow.id))) or 0
    else:
        n_docs = len(docs)
        outlets = len({o for chunk in _chunks(docs) for o in session.scalars(
            select(Document.outlet).where(Document.id.in_(chunk), Document.outlet.is_not(None)).distinct())})
    counts = {"documents": n_docs, "sources": outlets, "statements": _count(session, StatementRow.id, docs),
              "reports": reports, "incidents": len(marks), "mixed_messages": len(mixed),
              "candidate_provisions": suggested}
    head = ledger.latest_head(session)
    return Dossier(utc_now(), __version__, scope.to_json(), counts, states, marks,
                   [t.to_json() for t in timelines], [m.to_json() for m in mixed], head.to_json() if head else None)


def suggested_count(entry: IncidentEntry) -> int:
    return sum(1 for p in entry.review.provisions if p.status == SUGGESTED)
