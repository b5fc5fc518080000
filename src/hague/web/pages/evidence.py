"""Items of a case (hashes, capture details, custody entries, proofs) and its custody log. Uploads from the
items page go to the capture queue (pages/capture.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response

from hague.services import browse, evidence
from hague.team.cases import ShareKind
from hague.team.roles import EVERY_ROLE, MEMBERS
from hague.web.access import Routes, case_roles, declare
from hague.web.pages.forms import PER_PAGE, CtxDep, is_shared, offset
from hague.web.render import render
from hague.web.security import DOWNLOAD_CSP

router = Routes(include_in_schema=False)
PageNo = Annotated[int, Query(ge=1)]


@declare(router, "GET", "/c/{case}/items", case_roles(EVERY_ROLE))
def items(request: Request, ctx: CtxDep, case: str, page: PageNo = 1) -> Response:
    found = evidence.list_items(ctx.ws, within=ctx.scope, newest_first=True, limit=PER_PAGE, offset=offset(page))
    return render(request, ctx, "items.html", items=found, page=page)


@declare(router, "GET", "/c/{case}/items/{sha}", case_roles(EVERY_ROLE))
def item(request: Request, ctx: CtxDep, case: str, sha: str) -> Response:
    record = evidence.get_item(ctx.ws, sha, within=ctx.scope)
    history = browse.item_history(ctx.ws, ctx.scope, record.sha256)
    return render(request, ctx, "item.html", item=record, history=history,
                  shared=is_shared(ctx, ShareKind.ITEM, record.sha256))


@declare(router, "GET", "/c/{case}/items/{sha}/original", case_roles(EVERY_ROLE))
def original(request: Request, ctx: CtxDep, case: str, sha: str) -> Response:
    """The original bytes, as a download: never rendered, whatever they contain."""
    from fastapi.responses import FileResponse

    record = evidence.get_item(ctx.ws, sha, within=ctx.scope)
    return FileResponse(ctx.ws.store.path_for(record.sha256), media_type="application/octet-stream",
                        filename=f"{record.sha256}.bin", content_disposition_type="attachment",
                        headers={"Content-Security-Policy": DOWNLOAD_CSP.decode(), "X-Content-Type-Options": "nosniff"})


@declare(router, "GET", "/c/{case}/items/{sha}/proof", case_roles(EVERY_ROLE))
def proof(request: Request, ctx: CtxDep, case: str, sha: str) -> Response:
    """The item's Merkle inclusion proof against the latest signed tree head (checkable offline)."""
    from hague.evidence import proofs

    record = evidence.get_item(ctx.ws, sha, within=ctx.scope)
    ctx.ws.seal()
    with ctx.ws.read() as s:
        data = proofs.inclusion(s, record.sha256)
    name = f"{record.sha256[:16]}.proof.json"
    return JSONResponse(data, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@declare(router, "GET", "/c/{case}/custody", case_roles(MEMBERS))
def custody(request: Request, ctx: CtxDep, case: str, page: PageNo = 1) -> Response:
    entries = browse.case_ledger(ctx.ws, ctx.scope, limit=PER_PAGE, offset=offset(page))
    from hague.evidence import ledger

    with ctx.ws.read() as s:
        head = ledger.latest_head(s)
    return render(request, ctx, "custody.html", entries=entries, page=page, head=head, report=None)


@declare(router, "POST", "/c/{case}/custody/verify", case_roles(MEMBERS))
def verify(request: Request, ctx: CtxDep, case: str) -> Response:
    """Re-hash every original and re-check the ledger and signatures now (reads only; POST as it is heavy)."""
    from hague.evidence import ledger
    from hague.evidence.audit import verify as run_verify

    report = run_verify(ctx.ws)
    with ctx.ws.read() as s:
        head = ledger.latest_head(s)
    entries = browse.case_ledger(ctx.ws, ctx.scope, limit=PER_PAGE, offset=0)
    return render(request, ctx, "custody.html", entries=entries, page=1, head=head, report=report)
