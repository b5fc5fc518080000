"""Reading and fingerprinting on a Dask distributed cluster: ``hague analyze --scheduler tcp://HOST:8786`` (or
``HAGUE_DASK_SCHEDULER``).

The process that runs the analysis stays its coordinator: it decides what to read and stores what comes back
in its own short transactions. What it sends to the cluster is small: batches of document ids, the
database URL and each document's reuse anchors. Each worker reads the texts from the shared database itself
(read-only), reads them into statements and reports or fingerprints them, and sends the results back. So
every worker must reach the workspace's database (a shared PostgreSQL for several machines; a SQLite
workspace only serves workers on its own machine) and run the same Hague: a result made by other extractor
versions is refused, naming them. Without a scheduler the local process pool is used
(:func:`hague.pipeline.read_many`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from itertools import islice
from typing import Any

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from hague import __version__
from hague.corroboration.fingerprints import Fingerprints
from hague.corroboration.reuse import ReuseDoc, ReuseParams, fingerprints_of
from hague.db import READ_ONLY
from hague.findings import doc_key, parse_day
from hague.model import Document
from hague.reading import read_document
from hague.reading.extractors import chosen, versions
from hague.reading.fields import DateAnchor, Reading

BATCH = 32  # documents per task: scheduling a task costs milliseconds, reading a document ~10 ms
IN_FLIGHT = 4  # tasks queued per worker thread, so neither side holds more than a few batches


class WorkerMismatch(RuntimeError):
    """A worker runs another version of the analyser than the coordinator."""


@cache
def _engine(url: str) -> Engine:
    """One read-only engine per worker process and database."""
    return create_engine(url, pool_pre_ping=True).execution_options(**{READ_ONLY: True})


def _texts(url: str, ids: list[int]) -> list[Any]:
    with Session(_engine(url)) as s:
        return list(s.execute(select(Document.id, Document.external_id, Document.text, Document.published,
                                     Document.title).where(Document.id.in_(ids)).order_by(Document.id)))


def read_batch(url: str, batch: list[tuple[int, list[list[Any]]]], names: tuple[str, str]
               ) -> tuple[Any, list[tuple[int, Reading]]]:
    """Task: read documents ``(id, anchors)`` from the database at ``url`` with the extractors ``names``; with
    the versions of the extractors this worker has."""
    anchors = dict(batch)
    out = []
    for row in _texts(url, [i for i, _ in batch]):
        marks = [DateAnchor(a, b, date.fromisoformat(day)) for a, b, day in anchors[row.id]]
        out.append((row.id, read_document(row.text, published=parse_day(row.published), title=row.title,
                                          anchors=marks, statements=names[0], reports=names[1])))
    return versions(*chosen(*names)), out


def fingerprint_batch(url: str, ids: list[int], params: ReuseParams) -> tuple[Any, dict[int, Fingerprints]]:
    """Task: fingerprint documents of the database at ``url``, as the reuse index stores them."""
    rows = _texts(url, ids)
    prints = fingerprints_of([ReuseDoc(doc_key(r), r.text, parse_day(r.published), r.id) for r in rows], params)
    return __version__, {r.id: prints[doc_key(r)] for r in rows}


class DaskBackend:
    """Batches of work sent to the scheduler's workers, results as they come (at most a few batches queued)."""

    def __init__(self, scheduler: str, url: str) -> None:
        from distributed import Client

        self.client = Client(scheduler, set_as_default=False)
        self.url = url
        self.slots = IN_FLIGHT * max(1, sum(self.client.nthreads().values()))

    def close(self) -> None:
        self.client.close()

    def _run(self, fn: Any, batches: Iterable[Any], expected: Any, *args: Any) -> Iterator[Any]:
        from distributed import as_completed

        it = iter(batches)
        first = [self.client.submit(fn, self.url, batch, *args, pure=False)
                 for batch in islice(it, self.slots)]
        if not first:
            return
        pending = as_completed(first, loop=self.client.loop)  # the client is not the default one
        for future in pending:
            version, result = future.result()
            future.release()
            if version != expected:
                raise WorkerMismatch(f"a Dask worker runs {version}, this analysis {expected}: install the same "
                                     "Hague on every worker")
            yield result
            nxt = next(it, None)
            if nxt is not None:
                pending.add(self.client.submit(fn, self.url, nxt, *args, pure=False))

    def read(self, jobs: list[tuple[int, list[list[Any]]]], names: tuple[str, str], used: dict[str, str]
             ) -> Iterator[tuple[int, Reading]]:
        for result in self._run(read_batch, (jobs[i:i + BATCH] for i in range(0, len(jobs), BATCH)), used, names):
            yield from result

    def prints(self, ids: list[int], params: ReuseParams) -> dict[int, Fingerprints]:
        out: dict[int, Fingerprints] = {}
        for result in self._run(fingerprint_batch, (ids[i:i + BATCH * 8] for i in range(0, len(ids), BATCH * 8)),
                                __version__, params):
            out.update(result)
        return out
