"""The durable queue of long work, and the worker that runs it: captures from the browser (files and URLs).

**Why a job table and not a queue library.** The queue must live where the evidence lives (SQLite by default,
PostgreSQL for a team) and answer to the same migrations, backups and transactions; huey (the maintained
library that has both a SQLite and a PostgreSQL storage) deletes a task from its table when a worker takes it,
so a worker killed half-way loses the task and "a restart resumes" cannot hold, and it keeps pickled calls in
tables of its own outside our migrations and our custody. procrastinate and pgqueuer are PostgreSQL-only. So a
job is a row here: a worker *claims* it with a lease (a compare-and-set in one write transaction; ``FOR UPDATE
SKIP LOCKED`` on PostgreSQL), renews the lease after each input, and records every input's outcome as it goes.
A job whose lease ran out (its worker died) is claimed again and goes on with the inputs not yet done;
preserving is idempotent (the same bytes are one item), so an input cut off half-way is simply done again.
One input that fails is recorded with its reason and the others go on; a job never stops the worker.

Progress is in the rows (inputs done, failed, waiting), so any page can show it.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, or_, select

from hague.evidence.collect import Input, Metadata, add_inputs
from hague.model import Case, Job, JobInput
from hague.team import cases
from hague.timestamps import stamp, utc_now
from hague.vocab import AddStatus, InputState, JobKind, JobState
from hague.workspace import Workspace

LEASE = timedelta(seconds=120)  # a claim runs out unless renewed (after every input)
POLL = 1.0  # seconds between looks at an empty queue
log = logging.getLogger("hague.worker")


def spool_dir(ws: Workspace) -> Path:
    """Where uploaded bytes wait for the worker (inside the workspace, never served)."""
    return ws.config.home / "spool"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _until() -> str:
    return stamp(datetime.now(UTC) + LEASE)


def claim(ws: Workspace, worker: str) -> int | None:
    """Take the oldest job that waits, or one whose worker's lease ran out; None when there is none."""
    now = utc_now()
    with ws.write() as s:
        job = s.scalars(select(Job).where(or_(Job.state == JobState.QUEUED,
                                              and_(Job.state == JobState.RUNNING, Job.lease_until < now)))
                        .order_by(Job.id).limit(1).with_for_update(skip_locked=True)).first()
        if job is None:
            return None
        job.state, job.worker, job.lease_until = JobState.RUNNING, worker, _until()
        job.attempts = (job.attempts or 0) + 1
        job.started_at = job.started_at or now
        return job.id


def _renew(ws: Workspace, job_id: int, worker: str) -> bool:
    """Extend the claim; False if another worker took the job over (this one was too slow)."""
    with ws.write() as s:
        job = s.get(Job, job_id)
        if job is None or job.worker != worker:
            return False
        job.lease_until = _until()
        return True


def run_job(ws: Workspace, job_id: int, worker: str) -> str:
    """Do a claimed job's remaining inputs, one transaction each; then read what is new. Returns its end state."""
    with ws.read() as s:
        job = s.get(Job, job_id)
        assert job is not None
        kind, actor, case_id = job.kind, job.created_by, job.case_id
        options = dict(job.options or {})
        waiting = list(s.scalars(select(JobInput).where(JobInput.job_id == job_id,
                                                        JobInput.state == InputState.WAITING)
                                 .order_by(JobInput.position)))
    if kind != JobKind.CAPTURE:
        return _finish(ws, job_id, JobState.FAILED, f"unknown kind of job {kind!r}")
    meta = Metadata(outlet=options.get("outlet") or None, published=options.get("published") or None,
                    title=options.get("title") or None)
    for item in waiting:
        if not _renew(ws, job_id, worker):
            return JobState.RUNNING  # taken over: the other worker finishes it
        _capture_one(ws, item, meta, actor, case_id)
    return _read_after(ws, job_id, actor)


def _capture_one(ws: Workspace, item: JobInput, meta: Metadata, actor: str, case_id: int) -> None:
    """Preserve one file or URL and put it into the case; a failure is recorded, never raised."""
    if item.url:
        source = Input(label=item.url, url=item.url)
    else:
        source = Input(label=item.label, path=Path(item.spool or ""), origin=f"upload:{item.label}")
    try:
        result = next(iter(add_inputs(ws, [source], meta, actor)))
        state = InputState.DONE if result.status in (AddStatus.ADDED, AddStatus.DUPLICATE) else InputState.FAILED
        sha, error = result.sha256, result.reason
    except Exception as exc:  # one input never stops the others: record it and go on
        log.exception("capture of %s failed", item.label)
        state, sha, error = InputState.FAILED, None, f"{type(exc).__name__}: {exc}"
    with ws.write() as s:
        row = s.get(JobInput, item.id)
        assert row is not None
        row.state, row.sha256, row.error, row.finished_at = state, sha, error, utc_now()
        row.spool = None if state == InputState.DONE else row.spool
        if sha and state == InputState.DONE:
            case = s.get(Case, case_id)
            if case is not None:
                cases.add_items(s, actor, case, [sha])
    ws.seal()
    if state == InputState.DONE and item.spool:
        Path(item.spool).unlink(missing_ok=True)


def _read_after(ws: Workspace, job_id: int, actor: str) -> str:
    from hague.pipeline import analyze

    with ws.read() as s:
        inputs = list(s.scalars(select(JobInput).where(JobInput.job_id == job_id)))
    failed = sum(1 for i in inputs if i.state == InputState.FAILED)
    done = sum(1 for i in inputs if i.state == InputState.DONE)
    try:
        if done:
            analyze(ws, actor)
    except Exception as exc:  # the originals are preserved; the reading can be run again (hague analyze)
        log.exception("analysis after job %s failed", job_id)
        return _finish(ws, job_id, JobState.FAILED, f"preserved, but reading failed: {type(exc).__name__}: {exc}")
    state = JobState.DONE if not failed else JobState.PARTIAL if done else JobState.FAILED
    return _finish(ws, job_id, state, f"{done} preserved, {failed} failed")


def _finish(ws: Workspace, job_id: int, state: str, message: str) -> str:
    with ws.write() as s:
        job = s.get(Job, job_id)
        assert job is not None
        job.state, job.message, job.finished_at, job.lease_until = state, message, utc_now(), None
    folder = spool_dir(ws) / str(job_id)
    if state == JobState.DONE and folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    return state


def work(ws: Workspace, *, once: bool = False, stop: threading.Event | None = None, poll: float = POLL) -> int:
    """Run jobs until ``stop`` is set (or, with ``once``, until the queue is empty); returns how many ran."""
    worker, ran = worker_name(), 0
    stop = stop or threading.Event()
    while not stop.is_set():
        job_id = claim(ws, worker)
        if job_id is None:
            if once:
                break
            stop.wait(poll)
            continue
        try:
            run_job(ws, job_id, worker)
        except Exception as exc:  # a job that breaks the worker's own code is failed, and the worker goes on
            log.exception("job %s failed", job_id)
            _finish(ws, job_id, JobState.FAILED, f"{type(exc).__name__}: {exc}")
        ran += 1
    return ran


def wait_for(ws: Workspace, job_id: int, timeout: float = 120.0) -> str:
    """The job's state once it is over (for scripts and tests); raises TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with ws.read() as s:
            job = s.get(Job, job_id)
            if job is not None and job.state not in (JobState.QUEUED, JobState.RUNNING):
                return job.state
        time.sleep(0.1)
    raise TimeoutError(f"job {job_id} did not finish within {timeout} s")
