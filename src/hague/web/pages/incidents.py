"""Incidents of a case: the table, the map (an offline base layer) and the timeline, linked; one incident."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response

from hague.services import browse
from hague.team.cases import ShareKind
from hague.team.roles import EVERY_ROLE
from hague.web.access import SIGNED_IN, Routes, case_roles, declare
from hague.web.pages.forms import PER_PAGE, CtxDep, is_shared, offset
from hague.web.render import render

router = Routes(include_in_schema=False)
PageNo = Annotated[int, Query(ge=1)]
OUTLINES = Path(__file__).parents[2] / "report" / "data" / "outlines.json"


def incident_filter(event: str | None = None, country: str | None = None, date_from: str | None = None,
                    date_to: str | None = None) -> browse.IncidentFilter:
    return browse.IncidentFilter(event or None, country or None, date_from or None, date_to or None)


def _listing(request: Request, ctx: CtxDep, template: str, page: int, where: browse.IncidentFilter) -> Response:
    found = browse.list_incidents(ctx.ws, ctx.scope, where, limit=PER_PAGE, offset=offset(page))
    bars = browse.timeline(ctx.ws, ctx.scope, where)
    peak = max((b.count for b in bars), default=1)
    return render(request, ctx, template, incidents=found, page=page, where=where, bars=bars, peak=peak,
                  choices=browse.incident_choices(ctx.ws, ctx.scope))


@declare(router, "GET", "/c/{case}/incidents", case_roles(EVERY_ROLE))
def incidents(request: Request, ctx: CtxDep, case: str, page: PageNo = 1, event: str | None = None,
              country: str | None = None, date_from: str | None = None, date_to: str | None = None) -> Response:
    return _listing(request, ctx, "incidents.html", page, incident_filter(event, country, date_from, date_to))


@declare(router, "GET", "/c/{case}/map", case_roles(EVERY_ROLE))
def incident_map(request: Request, ctx: CtxDep, case: str, page: PageNo = 1, event: str | None = None,
                 country: str | None = None, date_from: str | None = None, date_to: str | None = None) -> Response:
    return _listing(request, ctx, "map.html", page, incident_filter(event, country, date_from, date_to))


@declare(router, "GET", "/c/{case}/map/points.json", case_roles(EVERY_ROLE))
def points(ctx: CtxDep, case: str, event: str | None = None, country: str | None = None,
           date_from: str | None = None, date_to: str | None = None) -> Response:
    where = incident_filter(event, country, date_from, date_to)
    found = browse.map_points(ctx.ws, ctx.scope, where)
    return JSONResponse({"points": [p.to_json() for p in found], "limit": browse.MAP_POINTS})


@lru_cache(maxsize=1)
def _outlines() -> bytes:
    return OUTLINES.read_bytes()


@declare(router, "GET", "/map/outlines.json", SIGNED_IN)
def outlines() -> Response:
    """The base layer: Natural Earth country outlines shipped with the package (public domain)."""
    return Response(_outlines(), media_type="application/json", headers={"Cache-Control": "private, max-age=86400"})


@declare(router, "GET", "/c/{case}/incidents/{incident}", case_roles(EVERY_ROLE))
def incident(request: Request, ctx: CtxDep, case: str, incident: str) -> Response:
    view = browse.incident_view(ctx.ws, ctx.scope, incident)
    shared = is_shared(ctx, ShareKind.INCIDENT, view.incident.id)
    return render(request, ctx, "incident.html", view=view, fields=view.incident.data.get("fields", {}),
                  shared=shared)


