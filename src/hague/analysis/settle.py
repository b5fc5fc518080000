"""The end of an analysis run: incidents that changed are recomputed and their checklists refreshed, on every core.

This is most of a large run after reading (at 100,000 documents about 25 minutes in one process while the
second core idled). Each incident is settled on its own: recomputing it writes only its own row and its member
reports' dates, and its checklists read only the incident and its reports. So the incidents are cut into
runs (at most :data:`TASK` long) and each run is settled by a worker process, which reads from and writes to
the shared database itself in short transactions, as any other writer (SQLite's write lock and PostgreSQL's
ledger lock order them). The workers are started from a fork server, not forked from the run, so each starts small
instead of sharing, and then copying, the pages the run built up while placing reports. Below
:data:`PARALLEL_FROM` incidents, starting processes costs more than it saves and the run settles them itself.
The result is the same either way (a test compares both); only the order of the ledger's entries may differ.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import cache
from multiprocessing import get_context

from hague.analysis import incidents as placing
from hague.analysis.reuse import loader
from hague.assessments import refresh_assessments
from hague.config import Config
from hague.corroboration.reuse import worker_chunks
from hague.progress import SILENT, Progress
from hague.vocab import Stage
from hague.workspace import Workspace

PARALLEL_FROM = 1_000  # incidents; fewer are settled in the run's own process (a worker takes ~2 s to start)
TASK = 500  # incidents per task sent to a worker at most (about four tasks per worker below that)
REFRESH_BATCH = 50  # incidents whose checklists are refreshed per transaction


def settle(ws: Workspace, actor: str, incident_ids: Collection[str], clustered: Collection[str] = (),
           parallel: bool = True, progress: Progress = SILENT) -> list[str]:
    """Recompute ``incident_ids`` (but not the ``clustered`` ones, just made from current data) and refresh all
    their checklists; returns the incidents removed for having no reports left (and no human trace), in order.
    ``progress`` hears how many incidents there are, then of each run settled."""
    ordered = sorted(incident_ids)
    fresh = frozenset(clustered)
    progress.start(Stage.SETTLING, len(ordered))
    workers = os.cpu_count() or 1
    if not parallel or workers < 2 or len(ordered) < PARALLEL_FROM:
        retired = _settle(ws, actor, ordered, fresh)
        progress.done(Stage.SETTLING, len(ordered))
        return retired
    retired = []
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
        jobs = {pool.submit(_settle_task, ws.config, actor, part, fresh.intersection(part)): len(part)
                for part in worker_chunks(ordered, workers, TASK)}
        for job in as_completed(jobs):
            retired += job.result()
            progress.done(Stage.SETTLING, jobs[job])
    return sorted(retired)


def _settle(ws: Workspace, actor: str, ordered: list[str], clustered: frozenset[str]) -> list[str]:
    retired = placing.refresh(ws.read, ws.write, loader(ws), set(ordered) - clustered)
    for i in range(0, len(ordered), REFRESH_BATCH):
        with ws.write() as s:
            refresh_assessments(s, actor, only=ordered[i:i + REFRESH_BATCH])
    return retired


@cache
def _workspace(config: Config) -> Workspace:
    """One workspace (and engine) per worker process."""
    return Workspace(config)


def _settle_task(config: Config, actor: str, ordered: list[str], clustered: frozenset[str]) -> list[str]:
    return _settle(_workspace(config), actor, ordered, clustered)
