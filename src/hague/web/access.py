"""Every route says who may use it: the declaration, and the guard that enforces it on every request.

A route is added only through :func:`declare`, which records its :class:`Access` on the endpoint and puts
the guard in front of it. :func:`hague.web.app.create_app` refuses to start if any route lacks a
declaration, and ``tests/web/test_access_matrix.py`` requests every route as every role.

Who is asking comes from the session cookie (browsers) or a bearer token (the API). For a case route the
case comes from the path (``{case}``); a person who is not a member gets 404, as if the case did not
exist, and a member whose role is not allowed gets 403. A request that changes anything (POST) needs the
session's CSRF token, or a write-scoped token for that case.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from hague.model import ApiToken, Case, LoginSession, User
from hague.team import cases, sessions, tokens
from hague.team.errors import NotFound
from hague.team.roles import Role, TokenScope
from hague.team.scope import Scope
from hague.workspace import Workspace

SESSION_COOKIE = "hague_session"
REFUSED_HEADER = "X-Hague-Refused"  # marks a refusal by the guard (not by the endpoint), for tests and clients
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Audience(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not (sign-in page, static assets)
    SIGNED_IN = "signed_in"  # any signed-in account (their dashboard, their own account)
    ADMIN = "admin"  # instance administrators
    CASE = "case"  # members of the case in the path, with one of the listed roles


@dataclass(frozen=True)
class Access:
    audience: Audience
    roles: frozenset[Role] = frozenset()

    def describe(self) -> str:
        if self.audience == Audience.CASE:
            return "case: " + ", ".join(sorted(self.roles))
        return str(self.audience)


PUBLIC = Access(Audience.PUBLIC)
SIGNED_IN = Access(Audience.SIGNED_IN)
ADMIN = Access(Audience.ADMIN)


def case_roles(roles: frozenset[Role]) -> Access:
    return Access(Audience.CASE, frozenset(roles))


def refuse(status: int, message: str) -> HTTPException:
    """The guard's refusal: 403 (role not allowed) or 404 (not a member: the case is not shown to exist)."""
    return HTTPException(status, message, headers={REFUSED_HEADER: "access"})


class NeedsSignIn(Exception):
    """No (valid) session or token: pages send the person to sign in, the API answers 401."""


class NeedsSecondFactor(Exception):
    """The case requires a second factor this session has not given."""

    def __init__(self, case: Case) -> None:
        self.case = case


@dataclass
class Ctx:
    """Who is asking, about which case, in which role: handed to every endpoint."""

    ws: Workspace
    access: Access
    user: User | None = None
    login: LoginSession | None = None
    cookie: str | None = None
    token: ApiToken | None = None
    case: Case | None = None
    role: Role | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def actor(self) -> str:
        """The ledger actor: the signed-in account, never free text."""
        assert self.user is not None
        return self.user.name

    @property
    def scope(self) -> Scope:
        assert self.case is not None and self.role is not None
        return Scope.of(self.case.id, self.role)

    @property
    def csrf(self) -> str:
        return self.login.csrf if self.login else ""

    @property
    def can_write(self) -> bool:
        return self.token is None or self.token.scope == TokenScope.WRITE


def endpoint_access(endpoint: Callable[..., Any]) -> Access | None:
    return getattr(endpoint, "__hague_access__", None)


class Routes:
    """One module's routes with their declarations; :func:`hague.web.app.create_app` adds them to the app.

    Routes are added to the application directly (not through included routers), so the application's
    route list is exactly what was declared and can be checked route by route.
    """

    def __init__(self, prefix: str = "", **defaults: Any) -> None:
        self.prefix, self.defaults = prefix, defaults
        self.entries: list[tuple[str, str, Callable[..., Any], dict[str, Any]]] = []

    def install(self, app: FastAPI) -> None:
        for method, path, endpoint, kwargs in self.entries:
            app.add_api_route(self.prefix + path, endpoint, methods=[method], dependencies=[Depends(guard)],
                              **{**self.defaults, **kwargs})


def declare(routes: Routes, method: str, path: str, allow: Access, **kwargs: Any) -> Callable:
    """Register ``endpoint`` for ``method path`` with its declared audience, guarded."""

    def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        endpoint.__hague_access__ = allow  # type: ignore[attr-defined]
        routes.entries.append((method, path, endpoint, kwargs))
        return endpoint

    return register


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _resolve(ws: Workspace, access: Access, cookie: str | None, bearer: str | None, slug: str | None) -> Ctx:
    """Look up the asker and the case; raise the refusal the declaration calls for."""
    ctx = Ctx(ws=ws, access=access, cookie=cookie)
    with ws.read() as s:
        if bearer is not None:
            found = tokens.lookup(s, bearer)
            if found is None:
                raise NeedsSignIn()
            ctx.token, ctx.user, token_case, _ = found
        else:
            live = sessions.lookup(s, cookie)
            if live is not None and not live[0].pending_totp:
                ctx.login, ctx.user = live
            token_case = None
        if access.audience == Audience.PUBLIC:
            return ctx
        if ctx.user is None:
            raise NeedsSignIn()
        if access.audience == Audience.ADMIN:
            if not ctx.user.is_admin or ctx.token is not None:
                raise refuse(403, "only an administrator may do this")
            return ctx
        if access.audience == Audience.SIGNED_IN:
            return ctx
        if slug is None:
            raise RuntimeError(f"a case route needs {{case}} in its path ({access.describe()})")
        try:
            ctx.case = cases.get(s, slug)
        except NotFound:
            raise refuse(404, f"no case {slug!r}") from None
        if token_case is not None and token_case.id != ctx.case.id:
            raise refuse(404, f"no case {slug!r}")  # a token opens its own case only
        ctx.role = cases.role_of(s, ctx.case, ctx.user)
        if ctx.role is None:
            raise refuse(404, f"no case {slug!r}")
        if ctx.role not in access.roles:
            raise refuse(403, f"a {ctx.role} in this case may not do this")
        if ctx.case.require_totp and ctx.login is not None and not ctx.login.second_factor:
            raise NeedsSecondFactor(ctx.case)
    return ctx


async def guard(request: Request) -> Ctx:
    """The check in front of every route (added by :func:`declare`); FastAPI runs it once per request."""
    endpoint = request.scope.get("endpoint")
    access = endpoint_access(endpoint) if endpoint else None
    if access is None:  # unreachable through declare(); refuse rather than serve an undeclared route
        raise refuse(403, "this route declares no audience")
    ws: Workspace = request.app.state.ws
    bearer = _bearer(request) if request.url.path.startswith("/api/") else None  # tokens open the API only
    cookie = None if bearer else request.cookies.get(SESSION_COOKIE)
    ctx = await run_in_threadpool(_resolve, ws, access, cookie, bearer, request.path_params.get("case"))
    if request.method in UNSAFE:
        if ctx.token is not None:
            if ctx.token.scope != TokenScope.WRITE:
                raise refuse(403, "this token may only read")
        elif access.audience != Audience.PUBLIC:
            await check_csrf(request, ctx.csrf)
    if ctx.login is not None and sessions.needs_refresh(ctx.login):
        await run_in_threadpool(_refresh, ws, cookie or "")
    request.state.ctx = ctx
    return ctx


def _refresh(ws: Workspace, cookie: str) -> None:
    with ws.write() as s:
        sessions.refresh(s, cookie)


async def check_csrf(request: Request, expected: str) -> None:
    """The form field ``csrf`` (or header ``X-CSRF-Token``) must equal the session's token."""
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get("csrf")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise refuse(403, "the form's security token is missing or stale; reload the page and try again")
