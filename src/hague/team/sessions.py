"""Browser sessions kept on the server: the cookie carries a random id, the database only its SHA-256.

Server-side sessions make "log out everywhere" and disabling an account take effect at once, and a new
id is issued at every sign-in step, so an id planted before sign-in (session fixation) is worthless.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hague.evidence import ledger
from hague.model import LoginSession, User
from hague.team import clock

LIFETIME_S = 12 * 3600  # since the last activity
REFRESH_S = 300  # activity is written at most this often, so reading a page does not take the write lock


def _digest(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


def start(session: Session, user: User, *, pending_totp: bool, second_factor: bool, client: str | None,
          replaces: str | None = None) -> tuple[str, LoginSession]:
    """A new session (and the cookie value that names it); ``replaces`` is deleted, whatever it was."""
    if replaces:
        session.execute(delete(LoginSession).where(LoginSession.id_hash == _digest(replaces)))
    cookie = secrets.token_urlsafe(32)
    now = clock.now()
    row = LoginSession(id_hash=_digest(cookie), user_id=user.id, csrf=secrets.token_urlsafe(32),
                       second_factor=second_factor, pending_totp=pending_totp, created_at=clock.stamp(now),
                       last_seen_at=clock.stamp(now), expires_at=clock.stamp(now + timedelta(seconds=LIFETIME_S)),
                       client=(client or "")[:300])
    session.add(row)
    return cookie, row


def lookup(session: Session, cookie: str | None) -> tuple[LoginSession, User] | None:
    """The live session and its account, or None (unknown, expired, or the account is disabled)."""
    if not cookie or len(cookie) > 100:
        return None
    row = session.get(LoginSession, _digest(cookie))
    if row is None or clock.parse(row.expires_at) <= clock.now():
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    return row, user


def needs_refresh(row: LoginSession) -> bool:
    return (clock.now() - clock.parse(row.last_seen_at)).total_seconds() > REFRESH_S


def refresh(session: Session, cookie: str) -> None:
    row = session.get(LoginSession, _digest(cookie))
    if row is not None:
        now = clock.now()
        row.last_seen_at = clock.stamp(now)
        row.expires_at = clock.stamp(now + timedelta(seconds=LIFETIME_S))


def end(session: Session, cookie: str | None) -> None:
    if cookie:
        session.execute(delete(LoginSession).where(LoginSession.id_hash == _digest(cookie)))


def end_all(session: Session, actor: str, user: User) -> int:
    """Sign the account out of every browser; a ledger entry says who did it."""
    n = session.execute(delete(LoginSession).where(LoginSession.user_id == user.id)).rowcount or 0
    ledger.append(session, actor, "user.logout_all", [], {"user": user.name, "sessions": n})
    return n


def count_for(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(LoginSession)
                          .where(LoginSession.user_id == user.id, LoginSession.expires_at > clock.stamp(clock.now())
                                 )) or 0
