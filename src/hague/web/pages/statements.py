"""Statements of a case: who said what, filtered by speaker, organisation, stance and date; and positions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from hague.services import browse
from hague.team.roles import EVERY_ROLE, MEMBERS
from hague.web.access import Routes, case_roles, declare
from hague.web.pages.forms import PER_PAGE, CtxDep, offset
from hague.web.render import render

router = Routes(include_in_schema=False)
PageNo = Annotated[int, Query(ge=1)]


def statement_filter(speaker: str | None = None, org: str | None = None, stance: str | None = None,
                     said_from: str | None = None, said_to: str | None = None,
                     document: str | None = None) -> browse.StatementFilter:
    return browse.StatementFilter(speaker or None, org or None, stance or None, said_from or None, said_to or None,
                                  document or None)


@declare(router, "GET", "/c/{case}/statements", case_roles(EVERY_ROLE))
def statements(request: Request, ctx: CtxDep, case: str, page: PageNo = 1, speaker: str | None = None,
               org: str | None = None, stance: str | None = None, said_from: str | None = None,
               said_to: str | None = None) -> Response:
    where = statement_filter(speaker, org, stance, said_from, said_to)
    found = browse.list_statements(ctx.ws, ctx.scope, where, limit=PER_PAGE, offset=offset(page))
    return render(request, ctx, "statements.html", statements=found, page=page, where=where,
                  choices=browse.statement_choices(ctx.ws, ctx.scope))


@declare(router, "GET", "/c/{case}/positions", case_roles(MEMBERS))
def positions(request: Request, ctx: CtxDep, case: str, window: Annotated[int, Query(ge=0, le=365)] = 14
              ) -> Response:
    timelines, mixed = browse.positions(ctx.ws, ctx.scope, window)
    return render(request, ctx, "positions.html", timelines=timelines, mixed=mixed, window=window)
