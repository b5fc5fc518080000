"""One analysis run: reuse across documents, reading, speaker carry-over, incidents, legal checklists.

Reuse runs first because it changes how a document reads: a relative date inside a passage copied from an
earlier article resolves against that article's date. The run is incremental: work is in proportion to what
changed, not to the workspace. Only documents not yet in the persistent reuse index are fingerprinted, and
only they and the documents they are now an earlier origin of have their reuse recomputed
(:mod:`hague.analysis.reuse`); a document is (re)read only when the analyser version or its reuse anchors
changed; only new reports are placed into incidents, and only incidents that changed are recomputed and
have their checklists refreshed (:mod:`hague.analysis.incidents`, which also states what the machine may
never do to an incident; :mod:`hague.analysis.settle` does this last part on every core). A fresh workspace
(or ``analyze --all``) of up to :data:`FULL_MAX` documents is analysed at once over everything instead
(:func:`hague.corroboration.reuse.find_reuse`, :func:`hague.corroboration.incidents.cluster_incidents`); a
test checks that both ways agree.

Nobody waits behind the machine: the run reads in one short transaction and writes in many, each a batch
of at most a few hundred rows, so a reviewer's decision or a web request during an analysis waits for one
batch, never for the run. One analysis runs at a time (:mod:`hague.analysis.lock`). The run is one ledger
entry naming the analyser version, so every finding can be traced to the code that made it.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from hague.analysis import incidents as placing
from hague.analysis import index
from hague.analysis.lock import analysis_lock
from hague.analysis.remote import DaskBackend
from hague.analysis.reuse import find_changes, loader
from hague.analysis.settle import settle
from hague.components import Component
from hague.corroboration import dating
from hague.corroboration.carry import carry_from_origins
from hague.corroboration.incidents import ReportRef, cluster_incidents
from hague.corroboration.reuse import TURNED, ReuseDoc, ReuseLink, ReuseParams, find_reuse
from hague.curation import findings as curation
from hague.db import insert_rows
from hague.errors import InvalidInput, SettingsError
from hague.evidence import ledger
from hague.findings import incident_values, load_readings, parse_day, report_values, statement_values
from hague.model import Document, IncidentRow, LedgerEntry, ReportRow, ReuseRow, ReuseSegment, StatementRow
from hague.progress import SILENT, Progress
from hague.reading import read_document
from hague.reading.extractors import ReportExtractor, StatementExtractor, chosen, versions
from hague.reading.fields import DateAnchor, Reading
from hague.vocab import Action, Origin, Stage
from hague.workspace import Workspace

PARALLEL_FROM = 40  # documents; below this, starting processes costs more than it saves
CHUNK = 8  # documents per task sent to a worker
IN_FLIGHT = 4  # chunks queued per worker
WRITE_BATCH = 200  # readings stored per transaction, so memory stays flat however many documents are read
FULL_MAX = 5_000  # a fresh workspace up to this size is analysed over everything at once
STEP = 2_000  # larger: new documents go through the reuse index this many at a time


@dataclass
class Summary:
    documents: int
    read: int
    statements: int
    reports: int
    reuse_links: int
    incidents: int
    components: dict[str, str]  # {slot.name: version} of the extractors this run used
    relinked: int = 0  # documents whose reuse was (re)computed
    created: int = 0  # incidents created
    attached: int = 0  # new reports placed in existing incidents
    refreshed: int = 0  # incidents recomputed and their checklists refreshed
    proposals: int = 0  # merge proposals waiting for a person

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _read(job: Job) -> tuple[int, Reading]:
    doc_id, text, published, title, anchors, (statements, reports) = job
    return doc_id, read_document(text, published=published, title=title, anchors=anchors, statements=statements,
                                 reports=reports)


# document id, text, published, title, anchors, (statements extractor, reports extractor)
Job = tuple[int, str, Any, str | None, list[DateAnchor], tuple[str, str]]


def read_many(jobs: Iterable[Job], parallel: bool = True) -> Iterator[tuple[int, Reading]]:
    """Read documents in order, on every core when asked (each worker warms its lexicons once).

    Jobs are taken lazily and at most ``IN_FLIGHT`` chunks are queued at a time, and results are
    yielded as they come, so memory stays flat however many documents stream through. The workers start from
    the fork server, not forked from this process: at 100,000 documents the run holds over a gigabyte by the
    time it reads, and each forked worker counted (and, as reference counts were touched, copied) those pages.
    """
    if not parallel or (os.cpu_count() or 1) == 1:
        yield from map(_read, jobs)
        return
    workers = os.cpu_count() or 2
    pending: deque[Future[list[tuple[int, Reading]]]] = deque()
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver"), initializer=read_document,
                             initargs=("Warm-up: officials said on Monday that the hospital was shelled.",)) as pool:
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


def _extractors(ws: Workspace) -> tuple[Component[StatementExtractor], Component[ReportExtractor]]:
    """The extractors the settings name; a name no extractor has is a settings error naming the variable."""
    try:
        return chosen(ws.config.statements_extractor, ws.config.reports_extractor)
    except InvalidInput as exc:
        raise SettingsError(f"HAGUE_STATEMENTS_EXTRACTOR / HAGUE_REPORTS_EXTRACTOR: {exc}") from None


def analyze(ws: Workspace, actor: str, *, force: bool = False, progress: Progress = SILENT,
            scheduler: str | None = None) -> Summary:
    """Analyse what changed since the last run (everything, with ``force``: ``hague analyze --all``), reading with
    the extractors the workspace's settings choose; one ``analyze`` ledger entry. ``progress`` hears of each
    stage (reading, placing, settling) as it starts and as its work is done.

    With ``scheduler`` (else the ``HAGUE_DASK_SCHEDULER`` setting), reading and fingerprinting run as batched
    tasks on that Dask distributed cluster (:mod:`hague.analysis.remote`); without, on local processes.
    """
    address = scheduler or ws.config.dask_scheduler
    remote = DaskBackend(address, ws.config.url) if address else None
    try:
        with analysis_lock(ws):
            return _Run(ws, actor, force, progress, remote).run()
    finally:
        if remote is not None:
            remote.close()


class _Run:
    def __init__(self, ws: Workspace, actor: str, full: bool, progress: Progress, remote: DaskBackend | None
                 ) -> None:
        self.ws, self.actor, self.full, self.progress = ws, actor, full, progress
        self.remote = remote
        self.extractors = _extractors(ws)
        self.used = versions(*self.extractors)
        self.names = (self.extractors[0].name, self.extractors[1].name)
        self.params = ReuseParams()
        self.relinked: set[int] = set()
        self.read: list[tuple[int, str]] = []  # (document id, sha256) of documents read
        self.lost: set[str] = set()  # incidents whose reports were read again (they may have lost some)
        self.clustered: set[str] = set()  # incidents just made by a fresh clustering (their data is current)
        self.load = loader(ws)

    def run(self) -> Summary:
        ws = self.ws
        with ws.write() as s:
            stale = s.scalar(select(func.count()).select_from(ReuseSegment)
                             .where(ReuseSegment.params != index.params_key(self.params)))
            if self.full or stale:
                index.reset(s)
                s.execute(delete(ReuseRow))
        with ws.read() as s:
            pending = list(s.scalars(select(Document.id).where(Document.fingerprinted.is_(False))
                                     .order_by(Document.id)))
            total = s.scalar(select(func.count()).select_from(Document)) or 0
            no_incidents = not s.scalar(select(func.count()).select_from(IncidentRow))
        at_once = len(pending) == total and total <= FULL_MAX
        if at_once:
            self._reuse_at_once(pending)
        else:
            for i in range(0, len(pending), STEP):
                self._reuse_step(pending[i:i + STEP])
        index.compact(ws.sessions, ws.config.home, self.params)
        self._read_changed(set(pending))
        read_ids = {i for i, _ in self.read}
        self._carry(read_ids | self.relinked)
        if at_once and no_incidents:
            self._cluster_at_once()
        with ws.write() as s:
            unplaced, unrefreshed = placing.unfinished(s, read_ids)
        change = placing.place_new_reports(ws.read, ws.write, self.load, read_ids | unplaced, self.actor,
                                           self.progress)
        with ws.read() as s:
            affected = (change.refreshed | self.lost | unrefreshed
                        | placing.incidents_of_documents(s, read_ids | self.relinked))
        retired = settle(ws, self.actor, affected, self.clustered, progress=self.progress)
        with ws.write() as s:
            summary = Summary(
                documents=total, read=len(self.read), components=self.used,
                statements=s.scalar(select(func.count()).select_from(StatementRow)) or 0,
                reports=s.scalar(select(func.count()).select_from(ReportRow)) or 0,
                reuse_links=s.scalar(select(func.count()).select_from(ReuseRow)) or 0,
                incidents=s.scalar(select(func.count()).select_from(IncidentRow)) or 0,
                relinked=len(self.relinked), created=len(change.created), attached=change.attached,
                refreshed=len(affected) - len(retired), proposals=change.proposals)
            ledger.append(s, self.actor, Action.ANALYZE, [sha for _, sha in self.read],
                          {**summary.to_json(), "full": self.full, "retired": retired})
        return summary

    # --- reuse ------------------------------------------------------------------------------------------------

    def _reuse_at_once(self, ids: list[int]) -> None:
        """Reuse over the whole (fresh) workspace at once, and the index built from the same fingerprints."""
        docs = self.load(ids)
        prints: dict[str, Any] = {}
        links = find_reuse([ReuseDoc(d.key, d.text, d.published, d.id) for d in docs], self.params, prints=prints)
        data = index.postings([prints[d.key] for d in docs], [d.id for d in docs])
        self._store_links({d.key: d.id for d in docs}, set(ids), links, data, ids)

    def _reuse_step(self, ids: list[int]) -> None:
        docs = self.load(ids)
        with self.ws.read() as s:
            prints_of = (lambda new: self.remote.prints([d.id for d in new], self.params)) if self.remote else None
            change = find_changes(s, index.ReuseIndex.open(s, self.ws.config.home, self.params), docs, self.params,
                                  self.load, prints_of)
        self._store_links({k: d.id for k, d in change.docs.items()}, change.targets, change.links,
                          change.postings, change.new_ids)

    def _store_links(self, ids_by_key: dict[str, int], targets: set[int], links: list[ReuseLink], data: Any,
                     new_ids: list[int]) -> None:
        ordered = sorted(targets)
        touched = {ids_by_key[x.to_doc] for x in links}  # documents whose incoming links change
        with self.ws.write() as s:
            for i in range(0, len(ordered), 500):
                # A link belongs to the document whose passages were aligned: the later one in time order,
                # which is its origin when the wording or a credit turned it round (TURNED).
                part = ordered[i:i + 500]
                turned = ReuseRow.from_document_id.in_(part) & ReuseRow.basis.in_(TURNED)
                touched |= set(s.scalars(select(ReuseRow.to_document_id).where(turned)))
                s.execute(delete(ReuseRow).where(or_(
                    ReuseRow.to_document_id.in_(part) & ReuseRow.basis.not_in(TURNED), turned)))
            insert_rows(s, ReuseRow, [
                {"from_document_id": ids_by_key[x.from_doc], "to_document_id": ids_by_key[x.to_doc],
                 "from_start": x.from_span[0], "from_end": x.from_span[1], "to_start": x.to_span[0],
                 "to_end": x.to_span[1], "similarity": x.similarity, "basis": x.basis} for x in links])
            index.add(s, self.ws.config.home, self.params, data, new_ids)
        self.relinked |= targets | touched

    # --- reading ----------------------------------------------------------------------------------------------

    def _marks(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        """What each document's analysis mark must say now: the extractors' versions and its reuse anchors."""
        anchors: dict[int, list[list[Any]]] = {i: [] for i in ids}
        with self.ws.read() as s:
            for i in range(0, len(ids), 500):
                rows = s.execute(select(ReuseRow.to_document_id, ReuseRow.to_start, ReuseRow.to_end,
                                        Document.published)
                                 .join(Document, Document.id == ReuseRow.from_document_id)
                                 .where(ReuseRow.to_document_id.in_(ids[i:i + 500])))
                for to_id, start, end, published in rows:
                    day = parse_day(published)
                    if day is not None:
                        anchors[to_id].append([start, end, day.isoformat()])
        return {i: {"components": self.used, "anchors": sorted(a)} for i, a in anchors.items()}

    def _read_changed(self, new: set[int]) -> None:
        with self.ws.read() as s:
            metas = {i: m for i, m in s.execute(select(Document.id, Document.meta))}
        state = {i: (m or {}).get("analysis") for i, m in metas.items()}
        check = sorted(i for i in metas if self.full or i in new or i in self.relinked
                       or (state[i] or {}).get("components") != self.used)
        marks = self._marks(check)
        todo = [i for i in check if self.full or _normal(state[i]) != marks[i]]
        self.progress.start(Stage.READING, len(todo))
        if self.remote is not None:
            shas: dict[int, str] = {}
            with self.ws.read() as s:
                for i in range(0, len(todo), 1000):
                    shas.update(dict(s.execute(select(Document.id, Document.item_sha256)
                                               .where(Document.id.in_(todo[i:i + 1000]))).all()))
            self.read += [(i, shas[i]) for i in todo]
            results = self.remote.read([(i, marks[i]["anchors"]) for i in todo], self.names, self.used)
        else:
            results = read_many(self._jobs(todo, marks), parallel=len(todo) >= PARALLEL_FROM)
        batch: list[tuple[int, Reading]] = []
        for item in results:
            batch.append(item)
            self.progress.done(Stage.READING, 1)
            if len(batch) == WRITE_BATCH:
                self._store_readings(batch, marks, metas)
                batch = []
        if batch:
            self._store_readings(batch, marks, metas)

    def _jobs(self, ids: list[int], marks: dict[int, dict[str, Any]]) -> Iterator[Job]:
        """Reading jobs, texts loaded a few hundred at a time (memory stays flat)."""
        for i in range(0, len(ids), WRITE_BATCH):
            for d in self.load(ids[i:i + WRITE_BATCH]):
                anchors = [DateAnchor(a, b, parse_day(day)) for a, b, day in marks[d.id]["anchors"]]
                self.read.append((d.id, d.sha256))
                yield (d.id, d.text, d.published, d.title, anchors, self.names)

    def _store_readings(self, batch: list[tuple[int, Reading]], marks: dict[int, dict[str, Any]],
                        metas: dict[int, dict[str, Any] | None]) -> None:
        """Replace a batch of documents' rows in one transaction; a report read again keeps its incident."""
        ids = [doc_id for doc_id, _ in batch]
        with self.ws.write() as s:
            kept = {(d, i): (inc, origin) for d, i, inc, origin in s.execute(
                select(ReportRow.document_id, ReportRow.idx, ReportRow.incident_id, ReportRow.incident_origin)
                .where(ReportRow.document_id.in_(ids), ReportRow.incident_id.is_not(None)))}
            self.lost |= {inc for inc, _ in kept.values()}
            old_reports = list(s.scalars(select(ReportRow.id).where(ReportRow.document_id.in_(ids))))
            placing.forget_keys(s, old_reports)
            s.execute(delete(StatementRow).where(StatementRow.document_id.in_(ids)))
            s.execute(delete(ReportRow).where(ReportRow.document_id.in_(ids)))
            statements = [statement_values(doc_id, i, st, self.extractors[0].ref)
                          for doc_id, reading in batch for i, st in enumerate(reading.statements)]
            reports = []
            for doc_id, reading in batch:
                for i, r in enumerate(reading.reports):
                    values = report_values(doc_id, i, r, self.extractors[1].ref)
                    values["incident_id"], values["incident_origin"] = kept.get((doc_id, i), (None, None))
                    reports.append(values)
            insert_rows(s, StatementRow, statements)
            insert_rows(s, ReportRow, reports)
            self.lost |= curation.reapply(s, ids)  # people's decisions, before anyone sees the machine's rows
            s.execute(update(Document), [{"id": i, "meta": {**(metas[i] or {}), "analysis": marks[i]}} for i in ids])

    def _carry(self, ids: set[int]) -> None:
        """Speaker and date carry-over into the documents read or relinked, from their origins."""
        ordered = sorted(ids)
        for i in range(0, len(ordered), WRITE_BATCH):
            part = ordered[i:i + WRITE_BATCH]
            with self.ws.read() as s:
                rows = list(s.scalars(select(ReuseRow).where(ReuseRow.to_document_id.in_(part))))
            if not rows:
                continue
            docs = {d.id: d for d in self.load({r.from_document_id for r in rows} | {r.to_document_id for r in rows})}
            links = [ReuseLink(docs[r.from_document_id].key, docs[r.to_document_id].key, (r.from_start, r.from_end),
                               (r.to_start, r.to_end), r.similarity, r.basis) for r in rows]
            with self.ws.write() as s:
                carry_from_origins(s, links, {d.key: d for d in docs.values()})

    # --- incidents --------------------------------------------------------------------------------------------

    def _cluster_at_once(self) -> None:
        """A fresh workspace's incidents, clustered over every report at once."""
        with self.ws.read() as s:
            readings = load_readings(s)
            links_rows = list(s.scalars(select(ReuseRow)))
        docs = {d.id: d for d in self.load(readings)}
        docs.update({d.id: d for d in self.load({r.from_document_id for r in links_rows} - set(docs))})
        links = [ReuseLink(docs[r.from_document_id].key, docs[r.to_document_id].key, (r.from_start, r.from_end),
                           (r.to_start, r.to_end), r.similarity, r.basis)
                 for r in links_rows if r.from_document_id in docs and r.to_document_id in docs]
        by_key = {d.key: d.id for d in docs.values()}
        refs = [ReportRef(docs[doc_id].key, i, rep, docs[doc_id].published, docs[doc_id].outlet, docs[doc_id].text)
                for doc_id, reading in readings.items() for i, rep in enumerate(reading.reports)]
        incidents = cluster_incidents(refs, links) if refs else []
        by_member = {(r.doc_id, r.index): r.report for r in refs}
        with self.ws.read() as s:
            report_ids = {(d, i): r for r, d, i in s.execute(select(ReportRow.id, ReportRow.document_id,
                                                                     ReportRow.idx))}
        for start in range(0, len(incidents), WRITE_BATCH):
            part = incidents[start:start + WRITE_BATCH]
            with self.ws.write() as s:
                insert_rows(s, IncidentRow, [
                    {"id": inc.id, "status": inc.status, "data": data, "independent_count": inc.independent_count,
                     **incident_values(data, placing.first_coordinates(inc.members, by_member))}
                    for inc in part for data in [inc.to_json()]])
                s.execute(update(ReportRow), [{"id": report_ids[(by_key[key], idx)], "incident_id": inc.id,
                                               "incident_origin": Origin.MACHINE}
                                              for inc in part for key, idx in inc.members])
        # Their data is current, unless a member's day takes its year from the incident: refresh dates it.
        ref_of = {r.key: r for r in refs}
        self.clustered = {inc.id for inc in incidents
                          if not dating.datable([ref_of[tuple(m)] for m in inc.members])}


def _normal(mark: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored mark in today's form (anchors sorted), so an unchanged document is not read again."""
    if not mark:
        return mark
    return {**mark, "anchors": sorted(mark.get("anchors", []))}
