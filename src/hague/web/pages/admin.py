"""Instance administration: accounts (create, disable, sign out everywhere, administrator flag)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from hague.model import User
from hague.team import accounts, cases, sessions
from hague.team.errors import TeamError
from hague.web.access import ADMIN, Routes, declare
from hague.web.pages.forms import CtxDep, see_other, status_for, writing
from hague.web.render import render

router = Routes(include_in_schema=False)
PAGE = 50


def _page(request: Request, ctx: CtxDep, page: int = 1, status: int = 200, error: str | None = None) -> Response:
    with ctx.ws.read() as s:
        rows = list(s.scalars(select(User).order_by(User.name).offset((page - 1) * PAGE).limit(PAGE + 1)))
    return render(request, ctx, "admin_users.html", status, users=rows[:PAGE], page=page, more=len(rows) > PAGE,
                  error=error)


@declare(router, "GET", "/admin/users", ADMIN)
def users(request: Request, ctx: CtxDep, page: int = 1) -> Response:
    return _page(request, ctx, max(page, 1))


@declare(router, "POST", "/admin/users", ADMIN)
def add_user(request: Request, ctx: CtxDep, name: Annotated[str, Form()], password: Annotated[str, Form()],
             display_name: Annotated[str, Form()] = "", admin: Annotated[bool, Form()] = False) -> Response:
    try:
        with writing(ctx) as s:
            accounts.create(s, ctx.actor, name.strip().lower(), password, display_name=display_name or None,
                            admin=admin)
    except TeamError as exc:
        return _page(request, ctx, status=status_for(exc), error=str(exc))
    return see_other("/admin/users")


@declare(router, "POST", "/admin/users/{name}/disable", ADMIN)
def disable(request: Request, ctx: CtxDep, name: str) -> Response:
    with writing(ctx) as s:
        accounts.set_disabled(s, ctx.actor, accounts.get(s, name), True)
    return see_other("/admin/users")


@declare(router, "POST", "/admin/users/{name}/enable", ADMIN)
def enable(request: Request, ctx: CtxDep, name: str) -> Response:
    with writing(ctx) as s:
        accounts.set_disabled(s, ctx.actor, accounts.get(s, name), False)
    return see_other("/admin/users")


@declare(router, "POST", "/admin/users/{name}/logout", ADMIN)
def sign_out(request: Request, ctx: CtxDep, name: str) -> Response:
    with writing(ctx) as s:
        sessions.end_all(s, ctx.actor, accounts.get(s, name))
    return see_other("/admin/users")


@declare(router, "POST", "/admin/cases/{slug}/items", ADMIN)
def add_every_item(request: Request, ctx: CtxDep, slug: str) -> Response:
    """Put every preserved item of the workspace into a case (administrators see the whole workspace)."""
    with writing(ctx) as s:
        cases.add_all_items(s, ctx.actor, cases.get(s, slug))
    return see_other(f"/c/{slug}")
