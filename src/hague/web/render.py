"""Server-rendered pages: one Jinja2 environment with autoescaping on for every template.

Document text is written by strangers, so nothing is ever marked safe: spans are built as separate
escaped pieces, never by pasting markup into text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from hague import __version__
from hague.team.roles import EDITORS, EVERY_ROLE, LEADS, MEMBERS, REVIEWERS, Role
from hague.web.access import Ctx

TEMPLATES = Path(__file__).parent / "templates"

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                  trim_blocks=True, lstrip_blocks=True)
# A case's navigation: (path under /c/{case}, label, roles that see the link); the routes check again.
CASE_NAV: list[tuple[str, str, frozenset[Role]]] = [
    ("", "Overview", EVERY_ROLE),
    ("/search", "Search", EVERY_ROLE),
    ("/items", "Items", EVERY_ROLE),
    ("/documents", "Documents", EVERY_ROLE),
    ("/statements", "Statements", EVERY_ROLE),
    ("/incidents", "Incidents", EVERY_ROLE),
    ("/map", "Map and timeline", EVERY_ROLE),
    ("/positions", "Positions", MEMBERS),
    ("/custody", "Custody", MEMBERS),
    ("/members", "Members", MEMBERS),
    ("/tokens", "API tokens", EVERY_ROLE),
]


def case_nav(ctx: Ctx) -> list[tuple[str, str, frozenset[Role]]]:
    return [entry for entry in CASE_NAV if ctx.role in entry[2]]


env.globals.update(version=__version__, EDITORS=EDITORS, LEADS=LEADS, MEMBERS=MEMBERS, REVIEWERS=REVIEWERS,
                   case_nav=case_nav)


def _query(request: Request, **changes: Any) -> str:
    """The current query string with some parameters changed (for pagination and filter links)."""
    params = {k: v for k, v in request.query_params.items()}
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = str(v)
    return "?" + urlencode(params)


def render(request: Request, ctx: Ctx | None, template: str, status: int = 200, **data: Any) -> HTMLResponse:
    html = env.get_template(template).render(request=request, ctx=ctx, query=lambda **c: _query(request, **c),
                                             **data)
    return HTMLResponse(html, status_code=status)
