"""A person's own account: password, second factor, sessions and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response
from markupsafe import Markup

from hague.team import accounts, passwords, sessions, tokens
from hague.team.errors import BadCredentials, TeamError
from hague.web.access import SIGNED_IN, Routes, declare
from hague.web.pages.forms import CtxDep, see_other, status_for, writing
from hague.web.render import render

router = Routes(include_in_schema=False)


def _page(request: Request, ctx: CtxDep, status: int = 200, **messages: str | None) -> Response:
    with ctx.ws.read() as s:
        user = s.merge(ctx.user)
        live = sessions.count_for(s, user)
        held = tokens.of_user(s, user)
    return render(request, ctx, "account.html", status, sessions_count=live, tokens=held,
                  error=messages.get("error"), notice=messages.get("notice"))


@declare(router, "GET", "/account", SIGNED_IN)
def account(request: Request, ctx: CtxDep) -> Response:
    return _page(request, ctx)


@declare(router, "POST", "/account/password", SIGNED_IN)
def change_password(request: Request, ctx: CtxDep, current: Annotated[str, Form()],
                    new: Annotated[str, Form()]) -> Response:
    try:
        with writing(ctx) as s:
            user = s.merge(ctx.user)
            if not passwords.verify_password(user.password_hash, current):
                raise BadCredentials("the current password is wrong")
            accounts.set_password(s, ctx.actor, user, new)
    except TeamError as exc:
        return _page(request, ctx, status_for(exc), error=str(exc))
    return _page(request, ctx, notice="password changed")


@declare(router, "GET", "/account/totp", SIGNED_IN)
def totp_setup(request: Request, ctx: CtxDep) -> Response:
    return _enrol(request, ctx, accounts.new_totp_secret())


def _enrol(request: Request, ctx: CtxDep, secret: str, status: int = 200, error: str | None = None) -> Response:
    """The enrolment page for ``secret``: its QR code, the key and the link as text, and the code form."""
    uri = accounts.totp_uri(ctx.user, secret)
    return render(request, ctx, "totp_setup.html", status, secret=secret, uri=uri,
                  qr=Markup(accounts.totp_qr_svg(uri)), error=error)


@declare(router, "POST", "/account/totp", SIGNED_IN)
def totp_enable(request: Request, ctx: CtxDep, secret: Annotated[str, Form()],
                code: Annotated[str, Form()]) -> Response:
    try:
        with writing(ctx) as s:
            accounts.enable_totp(s, ctx.actor, s.merge(ctx.user), secret.strip(), code)
    except TeamError as exc:
        return _enrol(request, ctx, secret if accounts.valid_totp_secret(secret) else accounts.new_totp_secret(),
                      400, str(exc))
    return _page(request, ctx, notice="second factor on: sign-ins now ask for a code")


@declare(router, "POST", "/account/totp/off", SIGNED_IN)
def totp_disable(request: Request, ctx: CtxDep, code: Annotated[str, Form()]) -> Response:
    try:
        with writing(ctx) as s:
            user = s.merge(ctx.user)
            accounts.check_totp(s, user, code, request.client.host if request.client else None)
            accounts.disable_totp(s, ctx.actor, user)
    except TeamError as exc:
        return _page(request, ctx, status_for(exc), error=str(exc))
    return _page(request, ctx, notice="second factor off")


@declare(router, "POST", "/account/tokens/{token_id}/revoke", SIGNED_IN)
def revoke_token(request: Request, ctx: CtxDep, token_id: int) -> Response:
    with writing(ctx) as s:
        tokens.revoke(s, ctx.actor, s.merge(ctx.user), token_id)
    return see_other("/account")
