"""One analysis run over the workspace: reuse across documents, reading, speaker carry-over, incidents.

Reuse runs first because it changes how a document reads: a relative date inside a
passage copied from an earlier article resolves against that article's date. A document
is (re)read only when the analyser version or its reuse anchors changed, so re-running
is cheap and gives the same result. The run is one ledger entry naming the analyser
version, so every finding can be traced to the code that made it.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from hague.assessments import refresh_assessments
from hague.components import Component
from hague.corroboration.carry import carry_from_origins
from hague.corroboration.incidents import ReportRef, cluster_incidents
from hague.corroboration.reuse import ReuseDoc, ReuseLink, find_reuse
from hague.errors import InvalidInput, SettingsError
from hague.evidence import ledger
from hague.findings import DocInfo, incident_values, load_docs, load_readings, report_values, statement_values
from hague.model import Document, IncidentRow, LedgerEntry, ReportRow, ReuseRow, StatementRow
from hague.reading import read_document
from hague.reading.extractors import ReportExtractor, StatementExtractor, chosen, versions
from hague.reading.fields import DateAnchor, Reading
from hague.vocab import Action
from hague.workspace import Workspace

PARALLEL_FROM = 40  # documents; below this, starting processes costs more than it saves
CHUNK = 8  # documents per task sent to a worker
IN_FLIGHT = 4  # chunks queued per worker
WRITE_BATCH = 200  # readings stored per transaction, so memory stays flat however many documents are read


@dataclass
class Summary:
    documents: int
    read: int
    statements: int
    reports: int
    reuse_links: int
    incidents: int
    components: dict[str, str]  # {slot.name: version} of the extractors this run used

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _anchors(links: list[ReuseLink], docs: dict[str, DocInfo]) -> dict[int, list[DateAnchor]]:
    out: dict[int, list[DateAnchor]] = {}
    for link in links:
        origin = docs[link.from_doc]
        if origin.published is not None:
            out.setdefault(docs[link.to_doc].id, []).append(DateAnchor(*link.to_span, origin.published))
    return out


def _read(job: Job) -> tuple[int, Reading]:
    doc_id, text, published, title, anchors, (statements, reports) = job
    return doc_id, read_document(text, published=published, title=title, anchors=anchors, statements=statements,
                                 reports=reports)


# document id, text, published, title, anchors, (statements extractor, reports extractor)
Job = tuple[int, str, Any, str | None, list[DateAnchor], tuple[str, str]]


def read_many(jobs: Iterable[Job], parallel: bool = True) -> Iterator[tuple[int, Reading]]:
    """Read documents in order, on every core when asked (each worker warms its lexicons once).

    Jobs are taken lazily and at most ``IN_FLIGHT`` chunks are queued at a time, and results are
    yielded as they come, so memory stays flat however many documents stream through.
    """
    if not parallel or (os.cpu_count() or 1) == 1:
        yield from map(_read, jobs)
        return
    read_document("Warm-up: officials said on Monday that the hospital was shelled.")  # load data before fork
    workers = os.cpu_count() or 2
    pending: deque[Future[list[tuple[int, Reading]]]] = deque()
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        it = iter(jobs)
        while chunk := list(islice(it, CHUNK)):
            pending.append(pool.submit(_read_chunk, chunk))
            if len(pending) >= IN_FLIGHT * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _read_chunk(jobs: list[Job]) -> list[tuple[int, Reading]]:
    return [_read(job) for job in jobs]


def pending(ws: Workspace) -> bool:
    """Whether originals were captured since the last completed analysis (``add --no-analyze``, an import, or an
    analysis a crash interrupted): the next ``add`` finishes it even when it adds nothing new."""
    with ws.read() as s:
        last = dict(s.execute(select(LedgerEntry.action, func.max(LedgerEntry.seq)).group_by(LedgerEntry.action)
                              .where(LedgerEntry.action.in_(("capture", "analyze")))).all())
    return last.get("capture", 0) > last.get("analyze", 0)


def analyze(ws: Workspace, actor: str, *, force: bool = False,
            on_start: Callable[[int], None] | None = None, on_read: Callable[[], None] | None = None) -> Summary:
    """Read what is new or changed with the extractors the workspace's settings choose, link reuse, carry
    speakers over, cluster incidents and refresh assessments; one ``analyze`` ledger entry."""
    extractors = _extractors(ws)
    used = versions(*extractors)
    with ws.read() as s:
        docs = load_docs(s)
        metas: dict[int, dict[str, Any] | None] = {i: m for i, m in s.execute(select(Document.id, Document.meta))}
    state = {i: (m or {}).get("analysis") for i, m in metas.items()}
    by_key = {d.key: d for d in docs}
    links = find_reuse([ReuseDoc(d.key, d.text, d.published, d.id) for d in docs]) if len(docs) > 1 else []
    anchors = _anchors(links, by_key)

    def wanted(d: DocInfo) -> dict[str, Any]:
        return {"components": used,
                "anchors": [[a.start, a.end, a.published.isoformat()] for a in anchors.get(d.id, [])]}

    marks = {d.id: wanted(d) for d in docs}
    todo = [d for d in docs if force or state.get(d.id) != marks[d.id]]
    if on_start:
        on_start(len(todo))
    names = (extractors[0].name, extractors[1].name)
    results = read_many(((d.id, d.text, d.published, d.title, anchors.get(d.id, []), names) for d in todo),
                        parallel=len(todo) >= PARALLEL_FROM)
    batch: list[tuple[int, Reading]] = []
    for item in results:
        batch.append(item)
        if on_read:
            on_read()
        if len(batch) == WRITE_BATCH:
            _store_readings(ws, batch, marks, metas, extractors)
            batch = []
    if batch:
        _store_readings(ws, batch, marks, metas, extractors)
    with ws.write() as s:
        s.execute(delete(ReuseRow))
        s.add_all(ReuseRow(from_document_id=by_key[x.from_doc].id, to_document_id=by_key[x.to_doc].id,
                           from_start=x.from_span[0], from_end=x.from_span[1], to_start=x.to_span[0],
                           to_end=x.to_span[1], similarity=x.similarity, basis=x.basis) for x in links)
        s.flush()
        carry_from_origins(s, links, by_key)
    n_incidents = _cluster(ws, docs, links)
    with ws.write() as s:
        refresh_assessments(s, actor)
        n_st = s.query(StatementRow).count()
        n_rep = s.query(ReportRow).count()
        summary = Summary(len(docs), len(todo), n_st, n_rep, len(links), n_incidents, used)
        ledger.append(s, actor, Action.ANALYZE, [d.sha256 for d in todo], summary.to_json())
    return summary


def _extractors(ws: Workspace) -> tuple[Component[StatementExtractor], Component[ReportExtractor]]:
    """The extractors the settings name; a name no extractor has is a settings error naming the variable."""
    try:
        return chosen(ws.config.statements_extractor, ws.config.reports_extractor)
    except InvalidInput as exc:
        raise SettingsError(f"HAGUE_STATEMENTS_EXTRACTOR / HAGUE_REPORTS_EXTRACTOR: {exc}") from None


def _store_readings(ws: Workspace, batch: list[tuple[int, Reading]], marks: dict[int, dict[str, Any]],
                    metas: dict[int, dict[str, Any] | None],
                    extractors: tuple[Component[StatementExtractor], Component[ReportExtractor]]) -> None:
    """Replace the rows of a batch of documents in one transaction, with the mark saying how they were read;
    each row names the extractor that made it."""
    ids = [doc_id for doc_id, _ in batch]
    with ws.write() as s:
        s.execute(delete(StatementRow).where(StatementRow.document_id.in_(ids)))
        s.execute(delete(ReportRow).where(ReportRow.document_id.in_(ids)))
        statements = [statement_values(doc_id, i, st, extractors[0].ref)
                      for doc_id, reading in batch for i, st in enumerate(reading.statements)]
        reports = [report_values(doc_id, i, r, extractors[1].ref)
                   for doc_id, reading in batch for i, r in enumerate(reading.reports)]
        if statements:
            s.execute(insert(StatementRow), statements)
        if reports:
            s.execute(insert(ReportRow), reports)
        s.execute(update(Document), [{"id": i, "meta": {**(metas[i] or {}), "analysis": marks[i]}} for i in ids])


def _cluster(ws: Workspace, docs: list[DocInfo], links: list[ReuseLink]) -> int:
    """Cluster every stored report; done under the write lock so a concurrent run cannot change the rows
    between reading them and recording their incidents."""
    by_id = {d.id: d for d in docs}
    key_to_id = {d.key: d.id for d in docs}
    with ws.write() as s:
        readings = {i: r for i, r in load_readings(s).items() if i in by_id}
        row_ids = {(r.document_id, r.idx): r.id
                   for r in s.execute(select(ReportRow.id, ReportRow.document_id, ReportRow.idx))}
        refs = [ReportRef(by_id[doc_id].key, i, rep, by_id[doc_id].published, by_id[doc_id].outlet,
                          by_id[doc_id].text)
                for doc_id, reading in readings.items() for i, rep in enumerate(reading.reports)]
        incidents = cluster_incidents(refs, links) if refs else []
        by_member = {(r.doc_id, r.index): r.report for r in refs}
        existing = {r.id: r for r in s.scalars(select(IncidentRow))}
        s.execute(update(ReportRow).values(incident_id=None))
        for inc in incidents:
            row = existing.pop(inc.id, None) or IncidentRow(id=inc.id)
            row.status, row.independent_count, row.data = inc.status, inc.independent_count, inc.to_json()
            placed = next((rep.coordinates for k, i in inc.members if (rep := by_member[(k, i)]).coordinates), None)
            for column, value in incident_values(row.data, placed).items():
                setattr(row, column, value)
            s.add(row)
            member_ids = [row_ids[(key_to_id[k], i)] for k, i in inc.members]
            s.execute(update(ReportRow).where(ReportRow.id.in_(member_ids)).values(incident_id=inc.id))
        for stale in existing.values():
            if stale.context_override is None:
                s.delete(stale)
    return len(incidents)
