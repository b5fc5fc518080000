"""Capture from the browser: upload files and paste URLs; a worker preserves them (hague.jobs) and the page shows
its progress as it goes. The form only queues the work, so a large upload never holds a request open while it
is read."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import Response

from hague.errors import HagueError
from hague.services import capture
from hague.services.capture import Upload
from hague.team.roles import EDITORS, MEMBERS
from hague.web.access import Routes, case_roles, declare
from hague.web.pages.curation import member
from hague.web.pages.forms import CtxDep, see_other
from hague.web.render import render

router = Routes(include_in_schema=False)


@declare(router, "GET", "/c/{case}/capture", case_roles(MEMBERS))
def capture_page(request: Request, ctx: CtxDep, case: str, error: str | None = None) -> Response:
    jobs = capture.list_jobs(ctx.ws, member(ctx), limit=30)
    return render(request, ctx, "curation/capture.html", jobs=jobs, error=error)


@declare(router, "POST", "/c/{case}/capture", case_roles(EDITORS))
def enqueue(request: Request, ctx: CtxDep, case: str,
            files: Annotated[list[UploadFile] | None, File()] = None, urls: Annotated[str, Form()] = "",
            outlet: Annotated[str, Form()] = "", published: Annotated[str, Form()] = "",
            title: Annotated[str, Form()] = "") -> Response:
    """Queue the files (streamed to the workspace's spool, each within the size limit) and URLs for the worker.
    The items page's upload form posts here too: nothing is read in the request."""
    sent = [Upload(f.filename, f.file) for f in files or [] if f.filename]
    try:
        job = capture.enqueue(ctx.ws, member(ctx), sent, urls.split(), outlet.strip() or None,
                              published.strip() or None, title.strip() or None)
    except HagueError as exc:
        jobs = capture.list_jobs(ctx.ws, member(ctx), limit=30)
        return render(request, ctx, "curation/capture.html", 400, jobs=jobs, error=str(exc))
    return see_other(f"/c/{case}/jobs/{job.id}")


@declare(router, "GET", "/c/{case}/jobs/{job}", case_roles(MEMBERS))
def job_page(request: Request, ctx: CtxDep, case: str, job: int) -> Response:
    return render(request, ctx, "curation/job.html", job=capture.get_job(ctx.ws, member(ctx), job))


@declare(router, "GET", "/c/{case}/jobs/{job}/progress", case_roles(MEMBERS))
def progress(request: Request, ctx: CtxDep, case: str, job: int) -> Response:
    """The job's progress (the page polls this until the job is over)."""
    return render(request, ctx, "curation/job_progress.html", job=capture.get_job(ctx.ws, member(ctx), job))
