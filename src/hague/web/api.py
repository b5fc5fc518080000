"""The JSON API under /api/v1: token (or session) auth, the same per-case rules as the pages, pagination.

Records are serialised by the same functions as the CLI's ``--json``. The OpenAPI description is at
``/api/v1/openapi.json``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, File, Form, Query, Request, UploadFile
from pydantic import BaseModel

from hague.services import browse, capture, evidence
from hague.services.capture import Upload
from hague.services.common import MAX_LIMIT, Page
from hague.team import cases
from hague.team.roles import EDITORS, EVERY_ROLE, LEADS, MEMBERS
from hague.web.access import PUBLIC, SIGNED_IN, Ctx, Routes, case_roles, declare, guard
from hague.web.pages.curation import member

router = Routes("/api/v1", tags=["api"])
CtxDep = Annotated[Ctx, Depends(guard)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Records per page.")]
Offset = Annotated[int, Query(ge=0, description="Records to skip.")]


def paged(found: Page[Any]) -> dict[str, Any]:
    """A page of records as every listing returns it, with the offset of the next page (None at the end)."""
    return {**found.to_json(), "next_offset": found.offset + found.limit if found.has_more else None}


def case_json(case: Any, role: str) -> dict[str, Any]:
    return {"case": case.slug, "name": case.name, "description": case.description, "your_role": role,
            "second_factor_required": case.require_totp}


@declare(router, "GET", "/openapi.json", PUBLIC, include_in_schema=False)
def openapi(request: Request) -> dict[str, Any]:
    return request.app.openapi()


@declare(router, "GET", "/cases", SIGNED_IN)
def list_cases(ctx: CtxDep) -> list[dict[str, Any]]:
    """The cases you may open (a token: its own case only)."""
    with ctx.ws.read() as s:
        mine = cases.for_user(s, s.merge(ctx.user))
    if ctx.token is not None:
        mine = [(c, r) for c, r in mine if c.id == ctx.token.case_id]
    return [case_json(c, r) for c, r in mine]


@declare(router, "GET", "/cases/{case}", case_roles(EVERY_ROLE))
def get_case(ctx: CtxDep, case: str) -> dict[str, Any]:
    return case_json(ctx.case, str(ctx.role))


class ShareRequest(BaseModel):
    kind: cases.ShareKind
    ref: str
    shared: bool = True


@declare(router, "POST", "/cases/{case}/shares", case_roles(LEADS))
def set_share(ctx: CtxDep, case: str, body: ShareRequest) -> dict[str, Any]:
    """Show (or stop showing) an item or incident of the case to its partners."""
    with ctx.ws.write() as s:
        cases.share(s, ctx.actor, s.merge(ctx.case), body.kind, body.ref, body.shared)
    ctx.ws.seal()
    return {"case": case, "kind": str(body.kind), "ref": body.ref, "shared": body.shared}


@declare(router, "GET", "/cases/{case}/items", case_roles(EVERY_ROLE))
def api_items(ctx: CtxDep, case: str, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Preserved originals of the case, newest capture first."""
    return paged(evidence.list_items(ctx.ws, within=ctx.scope, newest_first=True, limit=limit, offset=offset))


@declare(router, "POST", "/cases/{case}/items", case_roles(EDITORS), status_code=202)
def api_upload(ctx: CtxDep, case: str, files: Annotated[list[UploadFile], File()],
               outlet: Annotated[str | None, Form()] = None, published: Annotated[str | None, Form()] = None,
               title: Annotated[str | None, Form()] = None) -> dict[str, Any]:
    """Upload originals into the case (multipart ``files``): streamed to the capture queue, then preserved, read
    and put in the case by the worker (``hague worker``; ``hague serve`` runs one). Returns the job (202);
    follow it at ``/cases/{case}/jobs/{id}``."""
    sent = [Upload(f.filename or "upload", f.file) for f in files]
    return capture.enqueue(ctx.ws, member(ctx), sent, (), outlet, published, title).to_json()


@declare(router, "GET", "/cases/{case}/jobs/{job}", case_roles(MEMBERS))
def api_job(ctx: CtxDep, case: str, job: int) -> dict[str, Any]:
    """A capture's progress: its state and each input's (``done`` with the item's SHA-256, or ``failed`` with
    the reason)."""
    return capture.get_job(ctx.ws, member(ctx), job).to_json()


@declare(router, "GET", "/cases/{case}/items/{sha}", case_roles(EVERY_ROLE))
def api_item(ctx: CtxDep, case: str, sha: str) -> dict[str, Any]:
    record = evidence.get_item(ctx.ws, sha, within=ctx.scope)
    return {**record.to_json(), "custody": [e.to_json() for e in browse.item_history(ctx.ws, ctx.scope,
                                                                                     record.sha256)]}


@declare(router, "GET", "/cases/{case}/documents", case_roles(EVERY_ROLE))
def api_documents(ctx: CtxDep, case: str, limit: Limit = 50, offset: Offset = 0,
                  outlet: str | None = None) -> dict[str, Any]:
    """Documents of the case, newest publication first (metadata; the text is in the document itself)."""
    return paged(browse.list_documents(ctx.ws, ctx.scope, outlet=outlet, limit=limit, offset=offset))


@declare(router, "GET", "/cases/{case}/documents/{doc}", case_roles(EVERY_ROLE))
def api_document(ctx: CtxDep, case: str, doc: str) -> dict[str, Any]:
    """One document with its text, statements, reports and reused passages (spans are offsets into text)."""
    return browse.document_view(ctx.ws, ctx.scope, doc).to_json()


@declare(router, "GET", "/cases/{case}/statements", case_roles(EVERY_ROLE))
def api_statements(ctx: CtxDep, case: str, limit: Limit = 50, offset: Offset = 0, speaker: str | None = None,
                   org: str | None = None, stance: str | None = None, said_from: str | None = None,
                   said_to: str | None = None, document: str | None = None) -> dict[str, Any]:
    """Statements of the case, filtered, newest said first."""
    where = browse.StatementFilter(speaker, org, stance, said_from, said_to, document)
    return paged(browse.list_statements(ctx.ws, ctx.scope, where, limit=limit, offset=offset))


def _incident_filter(event: str | None, country: str | None, date_from: str | None,
                     date_to: str | None) -> browse.IncidentFilter:
    return browse.IncidentFilter(event, country, date_from, date_to)


@declare(router, "GET", "/cases/{case}/incidents", case_roles(EVERY_ROLE))
def api_incidents(ctx: CtxDep, case: str, limit: Limit = 50, offset: Offset = 0, event: str | None = None,
                  country: str | None = None, date_from: str | None = None, date_to: str | None = None
                  ) -> dict[str, Any]:
    """Incidents of the case, filtered, newest first, with review state and the label output may use."""
    where = _incident_filter(event, country, date_from, date_to)
    return paged(browse.list_incidents(ctx.ws, ctx.scope, where, limit=limit, offset=offset))


@declare(router, "GET", "/cases/{case}/incidents/{incident}", case_roles(EVERY_ROLE))
def api_incident(ctx: CtxDep, case: str, incident: str) -> dict[str, Any]:
    """One incident: merged facts, the reports you may see, statements, candidate provisions and checklists."""
    return browse.incident_view(ctx.ws, ctx.scope, incident).to_json()


@declare(router, "GET", "/cases/{case}/map", case_roles(EVERY_ROLE))
def api_map(ctx: CtxDep, case: str, event: str | None = None, country: str | None = None,
            date_from: str | None = None, date_to: str | None = None) -> dict[str, Any]:
    """Map points (newest first, at most 1000) and incidents per month, for the same filters."""
    where = _incident_filter(event, country, date_from, date_to)
    return {"points": [p.to_json() for p in browse.map_points(ctx.ws, ctx.scope, where)],
            "timeline": [b.to_json() for b in browse.timeline(ctx.ws, ctx.scope, where)]}


@declare(router, "GET", "/cases/{case}/search", case_roles(EVERY_ROLE))
def api_search(ctx: CtxDep, case: str, q: str, kind: browse.SearchKind = browse.SearchKind.DOCUMENTS,
               limit: Limit = 50, offset: Offset = 0, published_from: str | None = None,
               published_to: str | None = None, outlet: str | None = None) -> dict[str, Any]:
    """Full-text search of the case's documents or statements; every word must occur; best match first."""
    return paged(browse.search(ctx.ws, ctx.scope, q, kind, published_from=published_from,
                               published_to=published_to, outlet=outlet, limit=limit, offset=offset))


@declare(router, "GET", "/cases/{case}/ledger", case_roles(MEMBERS))
def api_ledger(ctx: CtxDep, case: str, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Custody-ledger entries naming the case's items, newest first, exactly as hashed."""
    return paged(browse.case_ledger(ctx.ws, ctx.scope, limit=limit, offset=offset))
