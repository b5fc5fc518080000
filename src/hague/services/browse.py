"""What one person sees of one case, a page at a time: items, documents with their highlighted spans,
statements with filters, incidents with their map points and timeline, positions, the custody log, and
full-text search.

Every function takes a :class:`~hague.team.scope.Scope` (members see the case, partners what it shared)
and applies it in SQL, so a page never loads a whole table and nothing outside the scope is read into a
result. The web pages and the API call these; the records are those of :mod:`hague.records`.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, column, distinct, func, or_, select, table, text
from sqlalchemy.orm import Session

from hague import resolve
from hague.assessments import IncidentReview, incident_review, review_states, wording_for
from hague.errors import InvalidInput, NotFound
from hague.model import (
    CaseItem,
    Document,
    IncidentRow,
    Item,
    LedgerEntry,
    LedgerSubject,
    ReportRow,
    ReuseRow,
    StatementRow,
)
from hague.records import (
    DocumentRecord,
    IncidentRecord,
    ItemRecord,
    LedgerRecord,
    ReportRecord,
    StatementRecord,
    doc_refs,
)
from hague.services.common import DEFAULT_LIMIT, Page, check_window, require_within
from hague.team.scope import Scope
from hague.workspace import Workspace

MAP_POINTS = 1000  # incidents drawn on one map (the newest first); the table pages through all of them
CHOICES = 200  # values offered in a filter's list
SUBJECTS_LOOKED_AT = 50  # of an entry naming many items (an analysis run), the first ones decide if a case sees it


# --- items and documents ---------------------------------------------------------------------------------------


def item_history(ws: Workspace, scope: Scope, sha256: str) -> list[LedgerRecord]:
    """Every ledger entry that names the item (capture, analysis runs, case and sharing acts)."""
    with ws.read() as s:
        require_within(s, scope.items(), sha256, "item", sha256)
        q = (select(LedgerEntry).join(LedgerSubject, LedgerSubject.seq == LedgerEntry.seq)
             .where(LedgerSubject.sha256 == sha256).order_by(LedgerEntry.seq).limit(500))
        return [LedgerRecord.of(e) for e in s.scalars(q)]


def list_documents(ws: Workspace, scope: Scope, *, outlet: str | None = None, limit: int = DEFAULT_LIMIT,
                   offset: int = 0) -> Page[DocumentRecord]:
    """The case's documents, newest publication first (metadata only)."""
    q = select(Document).where(scope.has_item(Document.item_sha256))
    if outlet:
        q = q.where(Document.outlet == outlet)
    q = q.order_by(Document.published.desc(), Document.id.desc())
    with ws.read() as s:
        return _page(s, q.options(_no_text()), limit, offset, ("documents", ws.config.url, scope, outlet),
                     _doc_record)


def _no_text():  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import defer

    return defer(Document.text)


def _doc_record(doc: Document) -> DocumentRecord:
    """A document record without loading its text (the length is read apart)."""
    return DocumentRecord(doc.id, doc.external_id or str(doc.id), doc.item_sha256, doc.external_id, doc.title,
                          doc.published, doc.outlet, doc.url, doc.language, doc.kind, doc.reader, doc.text_sha256,
                          -1)


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of a document: a statement's quote, a report's evidence or a reused passage."""

    start: int
    end: int
    kind: str  # st | rep | reuse
    ref: str  # the finding it belongs to, e.g. "st-12"


@dataclass(frozen=True)
class Segment:
    """A run of text covered by the same set of spans (none: plain text)."""

    text: str
    kinds: tuple[str, ...]
    refs: tuple[str, ...]


def segments(text_: str, spans: list[Span]) -> list[Segment]:
    """Cut ``text_`` at every span boundary; each piece knows which spans cover it. Pieces are text only:
    the page escapes them, so hostile text stays text."""
    cuts = sorted({0, len(text_), *(max(0, min(len(text_), x)) for sp in spans for x in (sp.start, sp.end))})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        covering = [sp for sp in spans if sp.start <= a and sp.end >= b]
        out.append(Segment(text_[a:b], tuple(sorted({sp.kind for sp in covering})),
                           tuple(sp.ref for sp in covering)))
    return out


@dataclass(frozen=True)
class ReuseLink:
    """A passage of this document that reuses (or is reused by) a passage of another."""

    id: int
    here: tuple[int, int]
    other_document_id: int
    other_key: str
    other_span: tuple[int, int]
    copies: bool  # True: this document reuses the other; False: the other reuses this one
    similarity: float
    basis: str
    other_visible: bool  # the other document is in the asker's scope (else it is only mentioned)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "span": list(self.here), "other_document": self.other_key if self.other_visible
                else None, "other_span": list(self.other_span) if self.other_visible else None,
                "direction": "reuses" if self.copies else "reused_by", "similarity": self.similarity,
                "direction_basis": self.basis}


@dataclass(frozen=True)
class DocumentView:
    """A document with everything read from it: the viewer's data."""

    document: DocumentRecord
    item: ItemRecord
    text: str
    statements: list[StatementRecord]
    reports: list[ReportRecord]
    reuse: list[ReuseLink]

    def spans(self) -> list[Span]:
        out = [Span(st.quote_start, st.quote_end, "st", f"st-{st.id}") for st in self.statements
               if st.quote_start is not None and st.quote_end is not None]
        out += [Span(a, b, "rep", f"rep-{r.id}") for r in self.reports for a, b in r.evidence]
        out += [Span(x.here[0], x.here[1], "reuse", f"reuse-{x.id}") for x in self.reuse]
        return out

    def segments(self) -> list[Segment]:
        return segments(self.text, self.spans())

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document.to_json(), "item": self.item.to_json(), "text": self.text,
                "statements": [x.to_json() for x in self.statements], "reports": [x.to_json() for x in self.reports],
                "reuse": [x.to_json() for x in self.reuse]}


def document_view(ws: Workspace, scope: Scope, ref: str) -> DocumentView:
    """One document of the case with its statements, reports and reused passages, for the viewer."""
    with ws.read() as s:
        doc = resolve.document(s, ref)
        require_within(s, scope.items(), doc.item_sha256, "document", ref)
        refs = doc_refs(s, [doc.id])
        statements = [StatementRecord.of(r, refs[doc.id]) for r in s.scalars(
            select(StatementRow).where(StatementRow.document_id == doc.id).order_by(StatementRow.idx))]
        reports = [ReportRecord.of(r, refs[doc.id]) for r in s.scalars(
            select(ReportRow).where(ReportRow.document_id == doc.id).order_by(ReportRow.idx))]
        rows = list(s.scalars(select(ReuseRow).where(or_(ReuseRow.to_document_id == doc.id,
                                                         ReuseRow.from_document_id == doc.id))
                              .order_by(ReuseRow.to_start, ReuseRow.from_start).limit(500)))
        others = {r.from_document_id if r.to_document_id == doc.id else r.to_document_id for r in rows}
        visible = set(s.scalars(scope.documents().where(Document.id.in_(others)))) if others else set()
        keys = doc_refs(s, others)
        links = []
        for r in rows:
            copies = r.to_document_id == doc.id
            other = r.from_document_id if copies else r.to_document_id
            links.append(ReuseLink(r.id, (r.to_start, r.to_end) if copies else (r.from_start, r.from_end), other,
                                   keys[other].key, (r.from_start, r.from_end) if copies else (r.to_start, r.to_end),
                                   copies, r.similarity, r.basis, other in visible))
        item = s.get(Item, doc.item_sha256)
        record = DocumentRecord.of(doc)
        return DocumentView(record, ItemRecord.of(item, doc), doc.text, statements, reports, links)


# --- statements ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementFilter:
    speaker: str | None = None
    org: str | None = None
    stance: str | None = None
    said_from: str | None = None  # YYYY-MM-DD
    said_to: str | None = None
    document: str | None = None

    def apply(self, s: Session, q: Select) -> Select:
        if self.speaker:
            q = q.where(StatementRow.speaker == self.speaker)
        if self.org:
            q = q.where(StatementRow.org == self.org)
        if self.stance:
            q = q.where(StatementRow.stance == self.stance)
        if self.said_from:
            q = q.where(StatementRow.said_on >= _day(self.said_from))
        if self.said_to:
            q = q.where(StatementRow.said_on <= _day(self.said_to) + "\uffff")
        if self.document:
            q = q.where(StatementRow.document_id == resolve.document(s, self.document).id)
        return q


def _day(value: str) -> str:
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value.strip()):
        raise InvalidInput(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value.strip()


def list_statements(ws: Workspace, scope: Scope, where: StatementFilter = StatementFilter(), *,
                    limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[StatementRecord]:
    """The case's statements matching ``where``, newest said first."""
    with ws.read() as s:
        q = where.apply(s, _statements(scope, select(StatementRow)))
        q = q.order_by(StatementRow.said_on.desc(), StatementRow.id.desc())
        rows = _page(s, q, limit, offset, ("statements", ws.config.url, scope, where))
        refs = doc_refs(s, {r.document_id for r in rows.items})
        return Page([StatementRecord.of(r, refs[r.document_id]) for r in rows.items], rows.total, rows.limit,
                    rows.offset)


def _statements(scope: Scope, q: Select) -> Select:
    """``q`` over statements, kept to the scope's documents (joined, so the planner can use the indexes)."""
    return q.join(Document, Document.id == StatementRow.document_id).where(scope.has_item(Document.item_sha256))


def statement_choices(ws: Workspace, scope: Scope) -> dict[str, list[str]]:
    """The most frequent speakers and organisations, and the stances, offered as filters (recomputed at most
    once a minute per scope: they are suggestions for a list, not a count anyone relies on)."""
    return _cached(("statement_choices", ws.config.url, scope), lambda: _statement_choices(ws, scope))


def _statement_choices(ws: Workspace, scope: Scope) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with ws.read() as s:
        for name, col in (("speaker", StatementRow.speaker), ("org", StatementRow.org),
                          ("stance", StatementRow.stance)):
            q = (_statements(scope, select(col)).where(col.is_not(None)).group_by(col)
                 .order_by(func.count().desc(), col).limit(CHOICES))
            out[name] = sorted(s.scalars(q))
    return out


def _page(s: Session, query: Select, limit: int, offset: int, key: Any, build: Any = None,
          scalars: bool = True, count: Select | None = None) -> Page[Any]:
    """One page of ``query``: ``limit + 1`` rows are read, so whether another page follows is exact; the total
    is counted at most once a minute per listing (``key``) and is the only figure that may lag."""
    check_window(limit, offset)
    window = query.limit(limit + 1).offset(offset)
    rows = list(s.scalars(window) if scalars else s.execute(window))
    more = len(rows) > limit
    rows = rows[:limit]
    shown = offset + len(rows)
    if more:
        counting = count if count is not None else select(func.count()).select_from(query.order_by(None).subquery())
        counted = _cached(key, lambda: s.scalar(counting))
        total = max(counted or 0, shown + 1)
    else:
        total = shown  # the last page: exact
    items = [build(r) for r in rows] if build else rows
    return Page(items, total, limit, offset)


_CACHE: dict[Any, tuple[float, Any]] = {}
_COMPUTING: dict[Any, threading.Lock] = {}
_GUARD = threading.Lock()
CACHE_SECONDS = 60


def _cached(key: Any, compute: Any) -> Any:
    """A per-process memo of a slow aggregate, for :data:`CACHE_SECONDS`, computed by one thread at a time.

    Without the per-key lock every request arriving while a count or a list of choices is cold computed it
    again, all at once under one GIL: a cold minute turned a 0.3 s aggregate into seconds for everybody. Now
    one request computes it, those arriving meanwhile wait for that one result, and once a value exists they
    are given the previous one while it is refreshed (it is then older than a minute by at most the refresh).
    """
    hit = _CACHE.get(key)
    if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    with _GUARD:
        lock = _COMPUTING.setdefault(key, threading.Lock())
    if not lock.acquire(blocking=hit is None):
        return hit[1]  # type: ignore[index]  # someone is refreshing it: the previous value meanwhile
    try:
        again = _CACHE.get(key)
        if again is not None and time.monotonic() - again[0] < CACHE_SECONDS:
            return again[1]  # computed while this request waited
        _make_room(_CACHE)
        value = compute()
        _CACHE[key] = (time.monotonic(), value)
        return value
    finally:
        lock.release()


_CURRENT: dict[Any, tuple[int | None, Any]] = {}


def _make_room(memo: dict[Any, Any]) -> None:
    """Start a memo again past 1,000 keys, with the per-key locks: filters people type make keys without end, and
    the locks would otherwise outgrow the memos they guard (a lock dropped while held only lets one more request
    compute its value)."""
    if len(memo) > 1000:
        memo.clear()
        with _GUARD:
            _COMPUTING.clear()


def _current(ws: Workspace, key: Any, compute: Callable[[Session], Any]) -> Any:
    """A memo that is never stale, for a listing that is costly to build and read far more often than the
    workspace changes (the map's points).

    It is keyed by the ledger's last sequence number, read in the same snapshot as the listing: every act that
    can change what a listing shows (analysis, a correction, a review decision, a case's items or shares) is a
    ledger entry committed in the same transaction, so an unchanged head means unchanged data. A hit takes no
    lock (readers of a warm map never queue behind each other); on a miss one request computes the value and
    those arriving meanwhile wait for it rather than compute it again.
    """
    with ws.read() as s:
        _, found = _current_hit(s, key)
    if found is not None:
        return found[0]
    with _GUARD:
        lock = _COMPUTING.setdefault(("current", key), threading.Lock())
    with lock, ws.read() as s:
        head, found = _current_hit(s, key)  # found: computed while this request waited
        if found is not None:
            return found[0]
        _make_room(_CURRENT)
        value = compute(s)
        _CURRENT[key] = (head, value)
        return value


def _current_hit(s: Session, key: Any) -> tuple[int | None, tuple[Any] | None]:
    """The ledger head ``s`` sees, and the memo's value for ``key`` if it was computed at that head, as a 1-tuple
    (a listing may itself be empty or None)."""
    head = s.scalar(select(func.max(LedgerEntry.seq)))
    hit = _CURRENT.get(key)
    return head, ((hit[1],) if hit is not None and hit[0] == head else None)


# --- incidents, map and timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentFilter:
    event: str | None = None
    country: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def apply(self, q: Select) -> Select:
        if self.event:
            q = q.where(IncidentRow.event == self.event)
        if self.country:
            q = q.where(IncidentRow.country == self.country)
        if self.date_from:
            q = q.where(IncidentRow.date >= _day(self.date_from))
        if self.date_to:
            q = q.where(IncidentRow.date <= _day(self.date_to) + "\uffff")
        return q

    def to_json(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def _incidents(scope: Scope, where: IncidentFilter) -> Select:
    return where.apply(select(IncidentRow).where(scope.has_incident(IncidentRow.id)))


def _incident_count(scope: Scope, where: IncidentFilter) -> Select:
    """How many incidents a listing holds: for members one join over the case's reports (cheaper than
    testing every incident)."""
    if scope.partner:
        return select(func.count()).select_from(_incidents(scope, where).subquery())
    return where.apply(select(func.count(distinct(ReportRow.incident_id)))
                       .join(Document, Document.id == ReportRow.document_id)
                       .join(CaseItem, CaseItem.item_sha256 == Document.item_sha256)
                       .join(IncidentRow, IncidentRow.id == ReportRow.incident_id)
                       .where(CaseItem.case_id == scope.case_id))


def incident_count(ws: Workspace, scope: Scope) -> int:
    """The case's incidents (at most a minute old)."""
    def count() -> int:
        with ws.read() as s:
            return s.scalar(_incident_count(scope, IncidentFilter())) or 0

    return _cached(("incident_count", ws.config.url, scope), count)


def recent_activity(ws: Workspace, scope: Scope, limit: int = 15, window: int = 300) -> list[LedgerRecord]:
    """What changed: the latest ledger entries, among the workspace's last ``window``, that name an item of
    the case (bounded work however long the ledger grows)."""
    with ws.read() as s:
        latest = s.execute(select(LedgerEntry.seq, LedgerEntry.subjects).order_by(LedgerEntry.seq.desc())
                           .limit(window)).all()
        named = {x for _, subjects in latest for x in subjects[:SUBJECTS_LOOKED_AT]}
        mine = set(s.scalars(select(Item.sha256).where(Item.sha256.in_(named), scope.has_item(Item.sha256)))) \
            if named else set()
        seqs = [seq for seq, subjects in latest if mine.intersection(subjects[:SUBJECTS_LOOKED_AT])][:limit]
        return [LedgerRecord.of(e) for e in s.scalars(select(LedgerEntry).where(LedgerEntry.seq.in_(seqs))
                                                      .order_by(LedgerEntry.seq.desc()))]


def list_incidents(ws: Workspace, scope: Scope, where: IncidentFilter = IncidentFilter(), *,
                   limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[IncidentRecord]:
    """The case's incidents matching ``where``, newest first, with review state and the label output may use."""
    q = _incidents(scope, where).order_by(IncidentRow.date.desc(), IncidentRow.id)
    with ws.read() as s:
        rows = _page(s, q, limit, offset, ("incidents", ws.config.url, scope, where),
                     count=_incident_count(scope, where))
        states = review_states(s, [r.id for r in rows.items])
    return Page([IncidentRecord.of(r, states[r.id], wording_for(states[r.id], r.status).label) for r in rows.items],
                rows.total, rows.limit, rows.offset)


def incident_choices(ws: Workspace, scope: Scope) -> dict[str, list[str]]:
    """Events and countries of the case's incidents, offered as filters (at most a minute old)."""
    return _cached(("incident_choices", ws.config.url, scope), lambda: _incident_choices(ws, scope))


def _incident_choices(ws: Workspace, scope: Scope) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with ws.read() as s:
        for name, col in (("event", IncidentRow.event), ("country", IncidentRow.country)):
            q = (select(col).where(scope.has_incident(IncidentRow.id), col.is_not(None)).group_by(col)
                 .order_by(func.count().desc()).limit(CHOICES))
            out[name] = sorted(v for v in s.scalars(q) if v)
    return out


@dataclass(frozen=True)
class MapPoint:
    incident: str
    lat: float
    lon: float
    place: str | None
    date: str | None
    event: str | None
    label: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def map_points(ws: Workspace, scope: Scope, where: IncidentFilter = IncidentFilter(),
               limit: int = MAP_POINTS) -> list[MapPoint]:
    """Where the case's incidents happened (their first placed report's coordinates), newest first.

    Up to a thousand points, each with the wording its review state allows: the most costly read of the web
    workspace, and every member opening the map asks for it, so it is kept until the ledger moves on."""
    check_window(limit, 0)
    q = (_incidents(scope, where).with_only_columns(IncidentRow.id, IncidentRow.status, IncidentRow.place,
                                                   IncidentRow.date, IncidentRow.event, IncidentRow.lat,
                                                   IncidentRow.lon)
         .where(IncidentRow.lat.is_not(None)).order_by(IncidentRow.date.desc(), IncidentRow.id).limit(limit))

    def build(s: Session) -> list[MapPoint]:
        rows = s.execute(q).all()
        states = review_states(s, [r.id for r in rows])
        return [MapPoint(r.id, r.lat, r.lon, r.place, r.date, r.event, wording_for(states[r.id], r.status).label)
                for r in rows]

    return _current(ws, ("map_points", ws.config.url, scope, where, limit), build)


@dataclass(frozen=True)
class TimelineBar:
    month: str  # YYYY-MM
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"month": self.month, "count": self.count}


def timeline(ws: Workspace, scope: Scope, where: IncidentFilter = IncidentFilter()) -> list[TimelineBar]:
    """Incidents per month of their (merged) date, for the months that have any (at most a minute old)."""
    return _cached(("timeline", ws.config.url, scope, where), lambda: _timeline(ws, scope, where))


def _timeline(ws: Workspace, scope: Scope, where: IncidentFilter) -> list[TimelineBar]:
    months = _incidents(scope, where).with_only_columns(func.substr(IncidentRow.date, 1, 7).label("month"))
    sub = months.subquery()
    q = select(sub.c.month, func.count()).group_by(sub.c.month)
    with ws.read() as s:
        counts = {m: n for m, n in s.execute(q) if m and re.fullmatch(r"\d{4}-\d{2}", m)}
    return [TimelineBar(m, counts[m]) for m in sorted(counts)]


@dataclass(frozen=True)
class IncidentView:
    """One incident as a case sees it: merged facts with who says what, the member reports in scope (the
    others only counted), statements from those documents, candidate provisions and their checklists."""

    incident: IncidentRecord
    reports: list[ReportRecord]
    documents: dict[int, DocumentRecord]
    hidden_reports: int
    statements: list[StatementRecord]
    review: IncidentReview

    def to_json(self) -> dict[str, Any]:
        return {"incident": self.incident.to_json(), "reports": [r.to_json() for r in self.reports],
                "reports_outside_scope": self.hidden_reports,
                "statements": [x.to_json() for x in self.statements], "review": self.review.to_json()}


def incident_view(ws: Workspace, scope: Scope, ref: str) -> IncidentView:
    with ws.read() as s:
        row = resolve.incident(s, ref)
        if s.scalar(select(IncidentRow.id).where(IncidentRow.id == row.id, scope.has_incident(IncidentRow.id))) \
                is None:
            raise NotFound("incident", ref)  # as if it did not exist: outsiders must not learn it does
        state = review_states(s, [row.id])[row.id]
        record = IncidentRecord.of(row, state, wording_for(state, row.status).label)
        members = list(s.scalars(select(ReportRow).where(ReportRow.incident_id == row.id)
                                 .order_by(ReportRow.document_id, ReportRow.idx)))
        visible = set(s.scalars(scope.documents().where(Document.id.in_({r.document_id for r in members}))))
        refs = doc_refs(s, visible)
        reports = [ReportRecord.of(r, refs[r.document_id]) for r in members if r.document_id in visible]
        docs = {d.id: _doc_record(d) for d in s.scalars(select(Document).where(Document.id.in_(visible))
                                                          .options(_no_text()))}
        statements = [StatementRecord.of(r, refs[r.document_id]) for r in s.scalars(
            select(StatementRow).where(StatementRow.document_id.in_(visible))
            .order_by(StatementRow.document_id, StatementRow.idx).limit(100))]
        review = incident_review(s, row.id)
    return IncidentView(record, reports, docs, len(members) - len(reports), statements, review)


# --- custody ---------------------------------------------------------------------------------------------------


def case_ledger(ws: Workspace, scope: Scope, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[LedgerRecord]:
    """Ledger entries naming the case's items, newest first."""
    q = (select(LedgerEntry).where(LedgerEntry.seq.in_(
        select(LedgerSubject.seq).where(LedgerSubject.sha256.in_(scope.items())))).order_by(LedgerEntry.seq.desc()))
    with ws.read() as s:
        return _page(s, q, limit, offset, ("ledger", ws.config.url, scope), LedgerRecord.of)


# --- search ----------------------------------------------------------------------------------------------------


class SearchKind(StrEnum):
    DOCUMENTS = "documents"
    STATEMENTS = "statements"


MARK_START, MARK_END = "\x02", "\x03"  # around matched words in snippets; pages split on them and escape the rest


@dataclass(frozen=True)
class SearchHit:
    kind: SearchKind
    id: int  # document id, or statement id
    document_id: int
    title: str | None  # the document's title, or the statement's speaker
    published: str | None
    outlet: str | None
    snippet: str  # matched words between MARK_START and MARK_END
    extra: dict[str, Any] = field(default_factory=dict)

    def parts(self) -> list[tuple[str, bool]]:
        """The snippet as (text, matched) pieces, for a page to escape and mark."""
        out = []
        for i, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", self.snippet)):
            if piece:
                out.append((piece, i % 2 == 1))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "id": self.id, "document_id": self.document_id, "title": self.title,
                "published": self.published, "outlet": self.outlet,
                "snippet": self.snippet.replace(MARK_START, "[").replace(MARK_END, "]"), **self.extra}


def _terms(q: str) -> list[str]:
    terms = re.findall(r"\w+", q, flags=re.UNICODE)
    if not terms:
        raise InvalidInput("search for at least one word")
    return terms[:20]


def search(ws: Workspace, scope: Scope, q: str, kind: SearchKind = SearchKind.DOCUMENTS, *,
           published_from: str | None = None, published_to: str | None = None, outlet: str | None = None,
           limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[SearchHit]:
    """Full-text search over the case's documents (title and text) or statements (speaker, organisation,
    quote), best match first; every word must occur. SQLite FTS5 or PostgreSQL full-text, as the workspace
    runs on."""
    check_window(limit, offset)
    terms = _terms(q)
    with ws.read() as s:
        dialect = s.get_bind().dialect.name
        docs = [Document.item_sha256.in_(scope.items())]  # conditions on the joined documents
        if published_from:
            docs.append(Document.published >= _day(published_from))
        if published_to:
            docs.append(Document.published <= _day(published_to) + "\uffff")
        if outlet:
            docs.append(Document.outlet == outlet)
        run = _search_sqlite if dialect == "sqlite" else _search_postgres
        total, rows = run(s, terms, kind, docs, limit, offset)
    return Page(rows, total, limit, offset)


_DOC_FTS = table("documents_fts", column("rowid"))
_ST_FTS = table("statements_fts", column("rowid"))


def _search_sqlite(s: Session, terms: list[str], kind: SearchKind, docs: list[Any], limit: int,
                   offset: int) -> tuple[int, list[SearchHit]]:
    match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
    marks = {"ms": MARK_START, "me": MARK_END}
    if kind == SearchKind.DOCUMENTS:
        where = (text("documents_fts MATCH :match").bindparams(match=match), *docs)
        joined = _DOC_FTS.join(Document, Document.id == _DOC_FTS.c.rowid)
        total = s.scalar(select(func.count()).select_from(joined).where(*where)) or 0
        q = (select(Document.id, Document.title, Document.published, Document.outlet,
                    text("snippet(documents_fts, 1, :ms, :me, '…', 24)").bindparams(**marks))
             .select_from(joined).where(*where)
             .order_by(text("bm25(documents_fts, 5.0, 1.0)")).limit(limit).offset(offset))
        return total, [SearchHit(SearchKind.DOCUMENTS, r[0], r[0], r[1], r[2], r[3], r[4]) for r in s.execute(q)]
    where = (text("statements_fts MATCH :match").bindparams(match=match), *docs)
    joined = _ST_FTS.join(StatementRow, StatementRow.id == _ST_FTS.c.rowid).join(
        Document, Document.id == StatementRow.document_id)
    total = s.scalar(select(func.count()).select_from(joined).where(*where)) or 0
    q = (select(StatementRow.id, StatementRow.document_id, StatementRow.speaker, StatementRow.org,
                StatementRow.stance, StatementRow.said_on, Document.published, Document.outlet,
                text("snippet(statements_fts, 2, :ms, :me, '…', 24)").bindparams(**marks))
         .select_from(joined).where(*where).order_by(text("bm25(statements_fts, 3.0, 2.0, 1.0)"))
         .limit(limit).offset(offset))
    return total, [SearchHit(SearchKind.STATEMENTS, r[0], r[1], r[2], r[6], r[7], r[8],
                             {"org": r[3], "stance": r[4], "said_on": r[5]}) for r in s.execute(q)]


# The same expressions as the GIN indexes of migration 0003, so PostgreSQL uses them.
_PG_DOC = "to_tsvector('simple', coalesce(documents.title, '') || ' ' || documents.text)"
_PG_ST = ("to_tsvector('simple', coalesce(statements.speaker, '') || ' ' || coalesce(statements.org, '') || ' ' "
          "|| coalesce(statements.fields -> 'quote' ->> 'value', ''))")


def _search_postgres(s: Session, terms: list[str], kind: SearchKind, docs: list[Any], limit: int,
                     offset: int) -> tuple[int, list[SearchHit]]:
    query = {"query": " & ".join(terms)}
    opts = {"opts": f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=15", **query}
    tsq = "to_tsquery('simple', :query)"
    if kind == SearchKind.DOCUMENTS:
        where = (text(f"{_PG_DOC} @@ {tsq}").bindparams(**query), *docs)
        total = s.scalar(select(func.count()).select_from(Document).where(*where)) or 0
        q = (select(Document.id, Document.title, Document.published, Document.outlet,
                    text(f"ts_headline('simple', documents.text, {tsq}, :opts)").bindparams(**opts))
             .where(*where).order_by(text(f"ts_rank({_PG_DOC}, {tsq}) DESC").bindparams(**query), Document.id)
             .limit(limit).offset(offset))
        return total, [SearchHit(SearchKind.DOCUMENTS, r[0], r[0], r[1], r[2], r[3], r[4]) for r in s.execute(q)]
    where = (text(f"{_PG_ST} @@ {tsq}").bindparams(**query), *docs)
    base = StatementRow.__table__.join(Document, Document.id == StatementRow.document_id)
    total = s.scalar(select(func.count()).select_from(base).where(*where)) or 0
    q = (select(StatementRow.id, StatementRow.document_id, StatementRow.speaker, StatementRow.org,
                StatementRow.stance, StatementRow.said_on, Document.published, Document.outlet,
                text(f"ts_headline('simple', coalesce(statements.fields -> 'quote' ->> 'value', ''), {tsq}, :opts)")
                .bindparams(**opts))
         .select_from(base).where(*where)
         .order_by(text(f"ts_rank({_PG_ST}, {tsq}) DESC").bindparams(**query), StatementRow.id)
         .limit(limit).offset(offset))
    return total, [SearchHit(SearchKind.STATEMENTS, r[0], r[1], r[2], r[6], r[7], r[8],
                             {"org": r[3], "stance": r[4], "said_on": r[5]}) for r in s.execute(q)]


# --- positions -------------------------------------------------------------------------------------------------


def positions(ws: Workspace, scope: Scope, window_days: int = 14):  # type: ignore[no-untyped-def]
    """Positions and mixed messages computed from the case's statements only."""
    from hague.corroboration.stored import load_positions

    if window_days < 0:
        raise InvalidInput(f"window {window_days} must not be negative")
    with ws.read() as s:
        ids = set(s.scalars(scope.documents()))
        return load_positions(s, window_days, document_ids=ids)
