"""Full-text search over a case's documents and statements, with filters, a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from hague.errors import InvalidInput
from hague.services import browse
from hague.team.roles import EVERY_ROLE
from hague.web.access import Routes, case_roles, declare
from hague.web.pages.forms import PER_PAGE, CtxDep, offset
from hague.web.render import render

router = Routes(include_in_schema=False)
PageNo = Annotated[int, Query(ge=1)]


@declare(router, "GET", "/c/{case}/search", case_roles(EVERY_ROLE))
def search(request: Request, ctx: CtxDep, case: str, q: str = "",
           kind: browse.SearchKind = browse.SearchKind.DOCUMENTS, page: PageNo = 1, published_from: str | None = None,
           published_to: str | None = None, outlet: str | None = None) -> Response:
    hits, error = None, None
    if q.strip():
        try:
            hits = browse.search(ctx.ws, ctx.scope, q, kind, published_from=published_from or None,
                                 published_to=published_to or None, outlet=outlet or None, limit=PER_PAGE,
                                 offset=offset(page))
        except InvalidInput as exc:
            error = str(exc)
    return render(request, ctx, "search.html", 400 if error else 200, q=q, kind=kind, hits=hits, page=page,
                  error=error, published_from=published_from or "", published_to=published_to or "",
                  outlet=outlet or "")
