"""Capture from the browser: files and URLs go into a durable queue (:mod:`hague.jobs`) that a worker runs.

:func:`enqueue` streams each uploaded file into the workspace's spool folder (never read whole; a file over
the size limit stops streaming and is recorded as failed, naming the limit, while the others go on), then
records the job and its inputs in one transaction, a ledger entry under the account. The page polls
:func:`get_job` for progress. Analysts and leads capture.
"""

from __future__ import annotations

import secrets
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from hague import jobs
from hague.errors import InvalidInput, NotFound
from hague.evidence import ledger
from hague.jobs import spool_dir
from hague.model import Job, JobInput
from hague.services.common import DEFAULT_LIMIT, Page, check_window
from hague.team.acting import Member
from hague.team.roles import EDITORS
from hague.timestamps import utc_now
from hague.vocab import Action, InputState, JobKind, JobState
from hague.workspace import Workspace

CHUNK = 1 << 20
MAX_URLS = 200


@dataclass(frozen=True)
class Upload:
    """One file a person sent: its name as they had it, and its bytes (a file object, read once)."""

    filename: str
    stream: IO[bytes]


def safe_name(name: str) -> str:
    """The last path component of an uploaded name, without anything a file system would interpret."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    return "".join(c for c in base if c.isalnum() or c in "-_. ")[:120] or "upload"


@dataclass(frozen=True)
class InputRecord:
    position: int
    label: str
    url: str | None
    state: str
    sha256: str | None
    error: str | None
    finished_at: str | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class JobRecord:
    id: int
    kind: str
    state: str
    created_by: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    message: str | None
    attempts: int
    inputs: list[InputRecord]

    @property
    def counts(self) -> dict[str, int]:
        out = {str(s): 0 for s in InputState}
        for i in self.inputs:
            out[i.state] += 1
        return out

    @property
    def over(self) -> bool:
        return self.state not in (JobState.QUEUED, JobState.RUNNING)

    def to_json(self) -> dict[str, Any]:
        return {**{k: v for k, v in self.__dict__.items() if k != "inputs"}, "counts": self.counts,
                "inputs": [i.to_json() for i in self.inputs]}


def _record(job: Job, inputs: Iterable[JobInput]) -> JobRecord:
    return JobRecord(job.id, job.kind, job.state, job.created_by, job.created_at, job.started_at, job.finished_at,
                     job.message, job.attempts or 0,
                     [InputRecord(i.position, i.label, i.url, i.state, i.sha256, i.error, i.finished_at)
                      for i in sorted(inputs, key=lambda x: x.position)])


def _spool(stream: IO[bytes], path: Path, limit: int) -> bool:
    """Copy at most ``limit`` bytes; False (and nothing kept) when there were more."""
    size = 0
    with path.open("wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                break
            out.write(chunk)
    if size > limit:
        path.unlink(missing_ok=True)
        return False
    return True


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"{url!r} is not an http(s) URL")
    return url.strip()


def enqueue(ws: Workspace, who: Member, files: Sequence[Upload] = (), urls: Sequence[str] = (),
            outlet: str | None = None, published: str | None = None, title: str | None = None) -> JobRecord:
    """Queue a capture into ``who``'s case: the files (streamed to the spool) and the URLs (fetched by the worker).
    ``outlet``, ``published`` and ``title`` describe every input of the job (as a sidecar does for ``hague add``)."""
    who.require(EDITORS, "capture sources")
    links = [_check_url(u) for u in urls if u.strip()]
    if len(links) > MAX_URLS:
        raise InvalidInput(f"at most {MAX_URLS} URLs at a time")
    if not files and not links:
        raise InvalidInput("choose files or paste URLs")
    folder = spool_dir(ws) / ("incoming-" + secrets.token_hex(8))
    folder.mkdir(parents=True, exist_ok=True)
    final: Path | None = None
    try:
        inputs = []
        for n, f in enumerate(files):
            label = safe_name(f.filename)
            path = folder / f"{n:04d}-{label}"
            if _spool(f.stream, path, ws.config.max_item_bytes):
                inputs.append(JobInput(position=n, label=label, spool=str(path), state=InputState.WAITING))
            else:
                inputs.append(JobInput(position=n, label=label, state=InputState.FAILED, finished_at=utc_now(),
                                       error=f"larger than the limit of {ws.config.max_item_bytes} bytes "
                                             "(HAGUE_MAX_ITEM_BYTES)"))
        inputs += [JobInput(position=len(files) + n, label=u, url=u, state=InputState.WAITING)
                   for n, u in enumerate(links)]
        with ws.write() as s:
            job = Job(case_id=who.case_id, kind=JobKind.CAPTURE, state=JobState.QUEUED,
                      options={"outlet": outlet or "", "published": published or "", "title": title or ""},
                      created_by=who.name, created_at=utc_now(), attempts=0)
            s.add(job)
            s.flush()
            final = spool_dir(ws) / str(job.id)
            for i in inputs:
                i.job_id = job.id
                if i.spool:
                    i.spool = str(final / Path(i.spool).name)
            if not any(i.state == InputState.WAITING for i in inputs):
                job.state, job.finished_at, job.message = JobState.FAILED, utc_now(), "no input could be taken"
            s.add_all(inputs)
            s.flush()
            ledger.append(s, who.name, Action.JOB_ENQUEUE, [], {
                "case": who.case, "job": job.id, "kind": JobKind.CAPTURE, "files": [i.label for i in inputs
                                                                                     if not i.url],
                "urls": links})
            folder.rename(final)  # inside the transaction: a failed commit leaves the folder to be removed
            made = _record(job, inputs)
    except BaseException:
        for left in (folder, final):
            if left is not None:
                shutil.rmtree(left, ignore_errors=True)
        raise
    ws.seal()
    return made


def get_job(ws: Workspace, who: Member, job_id: int) -> JobRecord:
    with ws.read() as s:
        job = s.get(Job, job_id)
        if job is None or job.case_id != who.case_id:
            raise NotFound("job", str(job_id), "see the case's captures")
        return _record(job, s.scalars(select(JobInput).where(JobInput.job_id == job_id)))


def list_jobs(ws: Workspace, who: Member, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[JobRecord]:
    """The case's captures, newest first."""
    check_window(limit, offset)
    with ws.read() as s:
        total = s.scalar(select(func.count()).select_from(Job).where(Job.case_id == who.case_id)) or 0
        jobs = list(s.scalars(select(Job).where(Job.case_id == who.case_id).order_by(Job.id.desc())
                              .limit(limit).offset(offset)))
        inputs: dict[int, list[JobInput]] = {}
        for i in s.scalars(select(JobInput).where(JobInput.job_id.in_([j.id for j in jobs]))):
            inputs.setdefault(i.job_id, []).append(i)
        return Page([_record(j, inputs.get(j.id, [])) for j in jobs], total, limit, offset)


def run_worker(ws: Workspace, *, once: bool = False, stop: threading.Event | None = None) -> int:
    """Run queued jobs (captures) until stopped, or with ``once`` until the queue is empty; returns how many ran.
    Several workers may run at once, on this machine or others sharing the database and the workspace folder."""
    return jobs.work(ws, once=once, stop=stop)
