"""Accounts: create, sign in (password, then a TOTP code when the person set one up), change, disable.

An account name is how the person appears in the custody ledger, so it is restricted to a plain,
unambiguous form. A second factor is optional per person and may be required per case
(:attr:`hague.model.Case.require_totp`).
"""

from __future__ import annotations

import hmac
import re
import time

import pyotp
import segno
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from hague.evidence import ledger
from hague.model import LoginSession, User
from hague.team import passwords, throttle
from hague.team.errors import BadCredentials, Conflict, NotFound, TeamError

NAME = re.compile(r"[a-z][a-z0-9._-]{1,62}")
TOTP_ISSUER = "Hague"


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise TeamError(f"account name {name!r} must be 2-63 characters: lower-case letters, digits, '.', '_' "
                          "or '-', starting with a letter")
    return name


def admin_exists(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(User.is_admin.is_(True), User.disabled.is_(False)))))


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def get(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFound(f"no account {name!r}")
    return user


def create(session: Session, actor: str, name: str, password: str, *, display_name: str | None = None,
           admin: bool = False) -> User:
    """A new account; a ledger entry names who created it (never the password)."""
    check_name(name)
    passwords.check_policy(password, name)
    if session.scalars(select(User.id).where(User.name == name)).first() is not None:
        raise Conflict(f"account {name!r} exists already")
    user = User(name=name, display_name=(display_name or name).strip()[:200], is_admin=admin, disabled=False,
                password_hash=passwords.hash_password(password), created_at=ledger.utc_now())
    session.add(user)
    session.flush()
    ledger.append(session, actor, "user.add", [], {"user": name, "admin": admin})
    return user


def authenticate(session: Session, name: str, password: str, client: str | None) -> User:
    """The account, if name and password are right and no throttle applies; failures are counted.

    Raises :class:`BadCredentials` without saying whether the name exists, and :class:`Throttled` when
    the account or the address tried too often.
    """
    throttle.check(session, name, client)
    user = session.scalars(select(User).where(User.name == name)).first()
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or user.disabled:
        throttle.failed(session, name, client)
        raise BadCredentials("wrong account name or password")
    throttle.succeeded(session, name)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def set_password(session: Session, actor: str, user: User, password: str) -> None:
    passwords.check_policy(password, user.name)
    user.password_hash = passwords.hash_password(password)
    ledger.append(session, actor, "user.password", [], {"user": user.name})


def set_admin(session: Session, actor: str, user: User, admin: bool) -> None:
    if not admin and user.is_admin and session.scalar(
            select(func.count()).select_from(User).where(User.is_admin.is_(True), User.disabled.is_(False))) == 1:
        raise Conflict("the last administrator cannot be removed")
    user.is_admin = admin
    ledger.append(session, actor, "user.admin", [], {"user": user.name, "admin": admin})


def set_disabled(session: Session, actor: str, user: User, disabled: bool) -> None:
    """Disable (or re-enable) an account; disabling ends its sessions at once."""
    if disabled and user.is_admin:
        set_admin(session, actor, user, False)
    user.disabled = disabled
    if disabled:
        session.query(LoginSession).filter(LoginSession.user_id == user.id).delete()
    ledger.append(session, actor, "user.disable" if disabled else "user.enable", [], {"user": user.name})


# --- second factor ---------------------------------------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def valid_totp_secret(secret: str) -> bool:
    """A base32 key of at least 112 bits (what pyotp, and authenticators, accept)."""
    try:
        pyotp.TOTP(secret).byte_secret()
    except (ValueError, TypeError):
        return False
    return True


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.name, issuer_name=TOTP_ISSUER)


def totp_qr_svg(uri: str) -> str:
    """The otpauth link as a QR code, an SVG element to put in the page as it is (drawn on the server: no
    script, no image request, so the strict CSP holds). Dark modules on white with the standard 4-module
    quiet zone, as authenticator apps scan best."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff", svgclass="qr",
                                                  lineclass=None, title="Authenticator link as a QR code")


def _accepted_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step of ``code`` if it is valid now (one step of clock drift allowed) and newer than the
    last one used, so an overheard code cannot be replayed."""
    code = code.strip().replace(" ", "")
    if not code.isdigit():
        return None
    if not valid_totp_secret(secret):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time()
    for drift in (0, -1, 1):
        moment = int(now) + drift * totp.interval
        step = moment // totp.interval
        expected = totp.at(moment)
        if hmac.compare_digest(expected, code) and (last_step is None or step > last_step):
            return step
    return None


def enable_totp(session: Session, actor: str, user: User, secret: str, code: str) -> None:
    """Turn on the second factor once the person proved their authenticator shows the right code."""
    step = _accepted_step(secret, code, None)
    if step is None:
        raise BadCredentials("that code does not match; check the authenticator's clock and try again")
    user.totp_secret, user.totp_last_step = secret, step
    ledger.append(session, actor, "user.totp", [], {"user": user.name, "enabled": True})


def disable_totp(session: Session, actor: str, user: User) -> None:
    user.totp_secret, user.totp_last_step = None, None
    ledger.append(session, actor, "user.totp", [], {"user": user.name, "enabled": False})


def check_totp(session: Session, user: User, code: str, client: str | None) -> None:
    """Accept a sign-in code (throttled like passwords); raise :class:`BadCredentials` otherwise."""
    throttle.check(session, user.name, client)
    step = _accepted_step(user.totp_secret or "", code, user.totp_last_step) if user.totp_secret else None
    if step is None:
        throttle.failed(session, user.name, client)
        raise BadCredentials("wrong or already used code")
    user.totp_last_step = step
    throttle.succeeded(session, user.name)
