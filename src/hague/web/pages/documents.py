"""Documents of a case and the viewer: the text with every statement, report and reused passage marked."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import PlainTextResponse, Response

from hague.services import browse
from hague.team.roles import EVERY_ROLE
from hague.web.access import Routes, case_roles, declare
from hague.web.pages.forms import PER_PAGE, CtxDep, offset
from hague.web.render import render

router = Routes(include_in_schema=False)
PageNo = Annotated[int, Query(ge=1)]


@declare(router, "GET", "/c/{case}/documents", case_roles(EVERY_ROLE))
def documents(request: Request, ctx: CtxDep, case: str, page: PageNo = 1, outlet: str | None = None) -> Response:
    found = browse.list_documents(ctx.ws, ctx.scope, outlet=outlet or None, limit=PER_PAGE, offset=offset(page))
    return render(request, ctx, "documents.html", documents=found, page=page, outlet=outlet)


@declare(router, "GET", "/c/{case}/documents/{doc}", case_roles(EVERY_ROLE))
def viewer(request: Request, ctx: CtxDep, case: str, doc: str) -> Response:
    view = browse.document_view(ctx.ws, ctx.scope, doc)
    return render(request, ctx, "viewer.html", view=view, segments=view.segments())


@declare(router, "GET", "/c/{case}/documents/{doc}/text", case_roles(EVERY_ROLE))
def plain_text(request: Request, ctx: CtxDep, case: str, doc: str) -> Response:
    """The extracted text as plain text (never HTML)."""
    view = browse.document_view(ctx.ws, ctx.scope, doc)
    return PlainTextResponse(view.text, headers={"Content-Disposition": f'inline; filename="{view.document.id}.txt"'})
