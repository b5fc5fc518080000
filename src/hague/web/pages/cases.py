"""The dashboard (my cases), a case's overview, its members, settings, partner shares and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from hague.model import ReviewRow
from hague.services import browse
from hague.team import accounts, cases, tokens
from hague.team.errors import TeamError
from hague.team.roles import EVERY_ROLE, LEADS, MEMBERS, REVIEWERS, ROLE_HELP, WRITERS, Role, TokenScope
from hague.team.scope import Scope
from hague.web.access import ADMIN, SIGNED_IN, Routes, case_roles, declare
from hague.web.pages.forms import CtxDep, see_other, status_for, writing
from hague.web.render import render

router = Routes(include_in_schema=False)
WAITING = ("analyst_assessed", "peer_reviewed")  # review states that wait for a reviewer's decision
RECENT = 15


def case_counts(s, ctx: CtxDep) -> dict[str, int]:  # type: ignore[no-untyped-def]
    scope = ctx.scope
    return {
        "items": s.scalar(select(func.count()).select_from(scope.items().subquery())) or 0,
        "incidents": browse.incident_count(ctx.ws, scope),
        "waiting": s.scalar(select(func.count()).select_from(ReviewRow)
                            .where(scope.has_incident(ReviewRow.incident_id), ReviewRow.state.in_(WAITING))) or 0,
    }


@declare(router, "GET", "/", SIGNED_IN)
def dashboard(request: Request, ctx: CtxDep) -> Response:
    with ctx.ws.read() as s:
        mine = cases.for_user(s, s.merge(ctx.user))
        admin_without_users = ctx.user.is_admin and accounts.count(s) == 1
        waiting = {c.id: s.scalar(select(func.count()).select_from(ReviewRow).where(
            Scope.of(c.id, role).has_incident(ReviewRow.incident_id), ReviewRow.state.in_(WAITING))) or 0
            for c, role in mine if role in REVIEWERS}
    return render(request, ctx, "dashboard.html", cases=mine, lonely=admin_without_users, waiting=waiting)


@declare(router, "POST", "/cases", ADMIN)
def create_case(request: Request, ctx: CtxDep, name: Annotated[str, Form()],
                description: Annotated[str, Form()] = "") -> Response:
    with writing(ctx) as s:
        case = cases.create(s, ctx.actor, name, description=description, lead=s.merge(ctx.user))
    return see_other(f"/c/{case.slug}")


@declare(router, "GET", "/c/{case}", case_roles(EVERY_ROLE))
def overview(request: Request, ctx: CtxDep, case: str) -> Response:
    """What changed (recent acts on the case's items) and what waits (incidents awaiting review)."""
    recent = browse.recent_activity(ctx.ws, ctx.scope, RECENT) if ctx.role in MEMBERS else []
    with ctx.ws.read() as s:
        counts = case_counts(s, ctx)
        waiting = list(s.scalars(select(ReviewRow).where(ctx.scope.has_incident(ReviewRow.incident_id),
                                                         ReviewRow.state.in_(WAITING))
                                 .order_by(ReviewRow.incident_id).limit(RECENT)))
    return render(request, ctx, "case.html", counts=counts, recent=recent, waiting=waiting)


@declare(router, "GET", "/c/{case}/members", case_roles(MEMBERS))
def members(request: Request, ctx: CtxDep, case: str, error: str | None = None, status: int = 200) -> Response:
    with ctx.ws.read() as s:
        people = cases.members(s, s.merge(ctx.case))
        shared = cases.shares(s, s.merge(ctx.case))
    return render(request, ctx, "members.html", status, members=people, shares=shared, roles=list(Role),
                  role_help=ROLE_HELP, error=error)


@declare(router, "POST", "/c/{case}/members", case_roles(LEADS))
def set_member(request: Request, ctx: CtxDep, case: str, name: Annotated[str, Form()],
               role: Annotated[Role, Form()]) -> Response:
    try:
        with writing(ctx) as s:
            cases.set_member(s, ctx.actor, s.merge(ctx.case), accounts.get(s, name.strip().lower()), role)
    except TeamError as exc:
        return members(request, ctx, case, str(exc), status_for(exc))
    return see_other(f"/c/{case}/members")


@declare(router, "POST", "/c/{case}/members/{name}/remove", case_roles(LEADS))
def remove_member(request: Request, ctx: CtxDep, case: str, name: str) -> Response:
    try:
        with writing(ctx) as s:
            cases.remove_member(s, ctx.actor, s.merge(ctx.case), accounts.get(s, name))
    except TeamError as exc:
        return members(request, ctx, case, str(exc), status_for(exc))
    return see_other(f"/c/{case}/members")


@declare(router, "POST", "/c/{case}/settings", case_roles(LEADS))
def settings(request: Request, ctx: CtxDep, case: str, require_totp: Annotated[bool, Form()] = False) -> Response:
    if require_totp and not (ctx.login and ctx.login.second_factor):  # or the lead would lock themselves out
        return members(request, ctx, case, "sign in with a second factor yourself before requiring one", 400)
    with writing(ctx) as s:
        cases.set_require_totp(s, ctx.actor, s.merge(ctx.case), require_totp)
    return see_other(f"/c/{case}/members")


@declare(router, "POST", "/c/{case}/shares", case_roles(LEADS))
def share(request: Request, ctx: CtxDep, case: str, kind: Annotated[cases.ShareKind, Form()],
          ref: Annotated[str, Form()], shared: Annotated[bool, Form()] = True,
          back: Annotated[str, Form()] = "") -> Response:
    with writing(ctx) as s:
        cases.share(s, ctx.actor, s.merge(ctx.case), kind, ref.strip(), shared)
    return see_other(back if back.startswith(f"/c/{case}/") else f"/c/{case}/members")


@declare(router, "GET", "/c/{case}/tokens", case_roles(EVERY_ROLE))
def token_page(request: Request, ctx: CtxDep, case: str, secret: str | None = None, error: str | None = None,
               status: int = 200) -> Response:
    with ctx.ws.read() as s:
        held = [(t, c) for t, c in tokens.of_user(s, s.merge(ctx.user)) if c.id == ctx.case.id]
    scopes = [TokenScope.READ] + ([TokenScope.WRITE] if ctx.role in WRITERS else [])
    return render(request, ctx, "tokens.html", status, tokens=held, scopes=scopes, secret=secret, error=error)


@declare(router, "POST", "/c/{case}/tokens", case_roles(EVERY_ROLE))
def create_token(request: Request, ctx: CtxDep, case: str, name: Annotated[str, Form()],
                 scope: Annotated[TokenScope, Form()]) -> Response:
    try:
        with writing(ctx) as s:
            secret = tokens.create(s, ctx.actor, s.merge(ctx.user), s.merge(ctx.case), name, scope)
    except TeamError as exc:
        return token_page(request, ctx, case, error=str(exc), status=status_for(exc))
    return token_page(request, ctx, case, secret=secret)


