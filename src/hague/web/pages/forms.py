"""What the page modules share: reading the signed-in context, redirects after a POST, cookies."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from hague.team.errors import BadCredentials, Conflict, Forbidden, NotFound, TeamError, Throttled
from hague.web.access import SESSION_COOKIE, Ctx, guard

CtxDep = Annotated[Ctx, Depends(guard)]
PER_PAGE = 50  # rows on a listing page
PRE_CSRF_COOKIE = "hague_form"  # double-submit token for forms shown before sign-in
_STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, BadCredentials: 401, Throttled: 429}


def status_for(exc: TeamError) -> int:
    """The HTTP status of a refusal from the team layer (400 for a plain invalid request)."""
    return next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400)


def offset(page: int) -> int:
    return (max(page, 1) - 1) * PER_PAGE


def see_other(url: str) -> RedirectResponse:
    """After a successful POST, send the browser to a page (so a reload does not repeat the act)."""
    return RedirectResponse(url, status_code=303)


def safe_next(target: str | None) -> str:
    """Only a path on this site: never ``//host`` or ``https://...`` (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def secure(request: Request) -> bool:
    return bool(request.app.state.secure_cookies) or request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, cookie: str) -> None:
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="lax", secure=secure(request), path="/")


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure(request))


def with_form_token(request: Request, response: Response, token: str) -> Response:
    """Set the cookie half of a double-submit token whose field half is in the rendered form."""
    response.set_cookie(PRE_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure(request),
                        max_age=3600, path="/")
    return response


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def form_token_ok(request: Request, sent: str) -> bool:
    expected = request.cookies.get(PRE_CSRF_COOKIE, "")
    return bool(expected) and secrets.compare_digest(expected, sent)


@contextmanager
def writing(ctx: Ctx) -> Iterator[Session]:
    """A write transaction for one act of the signed-in person, then a signed tree head."""
    with ctx.ws.write() as s:
        yield s
    ctx.ws.seal()


def is_shared(ctx: Ctx, kind: str, ref: str) -> bool:
    """Whether the case shows ``ref`` to its partners (for the lead's share button)."""
    from hague.team import cases

    with ctx.ws.read() as s:
        return cases.is_shared(s, ctx.case, kind, ref)
