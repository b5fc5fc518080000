"""Signing in and out: password, then a TOTP code when the account has one; first-run set-up.

Every sign-in step issues a new session id and deletes the one the browser came with, so an id
planted before sign-in is worthless (session fixation). Forms shown before sign-in carry a
double-submit token (cookie + field), so another site cannot sign a browser into an account.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from hague.model import LoginSession, User
from hague.team import accounts, sessions
from hague.team.errors import BadCredentials, TeamError, Throttled
from hague.web.access import PUBLIC, SESSION_COOKIE, SIGNED_IN, Routes, declare
from hague.web.pages.forms import (
    CtxDep,
    clear_session_cookie,
    form_token_ok,
    new_form_token,
    safe_next,
    see_other,
    set_session_cookie,
    with_form_token,
    writing,
)
from hague.web.render import render
from hague.workspace import Workspace

router = Routes(include_in_schema=False)


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def _login_page(request: Request, error: str | None = None, status: int = 200, next_url: str = "/") -> Response:
    token = new_form_token()
    response = render(request, None, "login.html", status, error=error, next_url=safe_next(next_url),
                      form_token=token)
    return with_form_token(request, response, token)


@declare(router, "GET", "/login", PUBLIC)
def login_form(request: Request, ctx: CtxDep, next: str = "/") -> Response:
    if ctx.user is not None:
        return see_other(safe_next(next))
    return _login_page(request, next_url=next)


def _check_password(ws: Workspace, name: str, password: str, client: str | None, old_cookie: str | None
                    ) -> tuple[tuple[User, str] | None, TeamError | None]:
    """The account and a new session, or the refusal; a failure is counted (and committed) either way."""
    with ws.write() as s:
        try:
            user = accounts.authenticate(s, name.strip().lower(), password, client)
        except (BadCredentials, Throttled) as exc:
            return None, exc
        cookie, _ = sessions.start(s, user, pending_totp=user.totp_secret is not None, second_factor=False,
                                   client=client, replaces=old_cookie)
    return (user, cookie), None


@declare(router, "POST", "/login", PUBLIC)
async def login(request: Request, ctx: CtxDep, name: Annotated[str, Form()], password: Annotated[str, Form()],
                form_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
    if not form_token_ok(request, form_token):
        return _login_page(request, "the sign-in form expired; try again", 403, next)
    found, error = await run_in_threadpool(_check_password, ctx.ws, name, password, _client(request),
                                           request.cookies.get(SESSION_COOKIE))
    if found is None:
        return _login_page(request, str(error), 429 if isinstance(error, Throttled) else 401, next)
    user, cookie = found
    response = see_other(f"/login/totp?next={safe_next(next)}" if user.totp_secret else safe_next(next))
    set_session_cookie(request, response, cookie)
    return response


def _pending(ws: Workspace, cookie: str | None) -> tuple[LoginSession, User] | None:
    """The session that gave a right password and still owes a code."""
    with ws.read() as s:
        live = sessions.lookup(s, cookie)
    return live if live is not None and live[0].pending_totp else None


@declare(router, "GET", "/login/totp", PUBLIC)
def totp_form(request: Request, ctx: CtxDep, next: str = "/") -> Response:
    pending = _pending(ctx.ws, request.cookies.get(SESSION_COOKIE))
    if pending is None:
        return see_other("/login")
    return render(request, None, "login_totp.html", error=None, next_url=safe_next(next), form_token=pending[0].csrf)


@declare(router, "POST", "/login/totp", PUBLIC)
def totp_check(request: Request, ctx: CtxDep, code: Annotated[str, Form()], form_token: Annotated[str, Form()] = "",
               next: Annotated[str, Form()] = "/") -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    pending = _pending(ctx.ws, cookie)
    if pending is None:
        return see_other("/login")
    login, user = pending
    if not secrets.compare_digest(login.csrf, form_token):
        raise HTTPException(403, "the form's security token is missing or stale")
    error: TeamError | None = None
    with ctx.ws.write() as s:
        user = s.merge(user)
        try:
            accounts.check_totp(s, user, code, _client(request))
        except (BadCredentials, Throttled) as exc:
            error = exc
        else:
            new_cookie, _ = sessions.start(s, user, pending_totp=False, second_factor=True, client=_client(request),
                                           replaces=cookie)
    if error is not None:
        return render(request, None, "login_totp.html", 429 if isinstance(error, Throttled) else 401,
                      error=str(error), next_url=safe_next(next), form_token=login.csrf)
    response = see_other(safe_next(next))
    set_session_cookie(request, response, new_cookie)
    return response


@declare(router, "POST", "/logout", SIGNED_IN)
def logout(request: Request, ctx: CtxDep) -> Response:
    with ctx.ws.write() as s:
        sessions.end(s, ctx.cookie)
    response = see_other("/login")
    clear_session_cookie(request, response)
    return response


@declare(router, "POST", "/logout/everywhere", SIGNED_IN)
def logout_everywhere(request: Request, ctx: CtxDep) -> Response:
    with writing(ctx) as s:
        sessions.end_all(s, ctx.actor, s.merge(ctx.user))
    response = see_other("/login")
    clear_session_cookie(request, response)
    return response


def _check_setup(request: Request, ws: Workspace, token: str) -> None:
    with ws.read() as s:
        if accounts.admin_exists(s):
            raise HTTPException(404, "this workspace has an administrator; sign in")
    if not secrets.compare_digest(token, request.app.state.setup_token):
        raise HTTPException(403, "use the set-up link that `hague serve` printed")


@declare(router, "GET", "/setup", PUBLIC)
def setup_form(request: Request, ctx: CtxDep, token: str = "") -> Response:
    """First run: the one-time link `hague serve` prints creates the first administrator."""
    _check_setup(request, ctx.ws, token)
    form_token = new_form_token()
    response = render(request, None, "setup.html", token=token, error=None, form_token=form_token)
    return with_form_token(request, response, form_token)


@declare(router, "POST", "/setup", PUBLIC)
def setup(request: Request, ctx: CtxDep, token: Annotated[str, Form()], name: Annotated[str, Form()],
          password: Annotated[str, Form()], form_token: Annotated[str, Form()] = "") -> Response:
    _check_setup(request, ctx.ws, token)
    if not form_token_ok(request, form_token):
        raise HTTPException(403, "the form expired; open the set-up link again")
    name = name.strip().lower()
    try:
        with writing(ctx) as s:
            if accounts.admin_exists(s):  # checked again under the write lock
                raise HTTPException(404, "this workspace has an administrator; sign in")
            user = accounts.create(s, name, name, password, admin=True)
            cookie, _ = sessions.start(s, user, pending_totp=False, second_factor=False, client=_client(request))
    except TeamError as exc:
        return with_form_token(request, render(request, None, "setup.html", 400, token=token, error=str(exc),
                                               form_token=form_token), form_token)
    response = see_other("/")
    set_session_cookie(request, response, cookie)
    return response
