"""API tokens: one case, read or write, revocable; shown once, stored as a SHA-256.

A token never gives more than its owner has now: a write token of someone who has become a viewer
only reads, and one whose owner left the case or was disabled opens nothing.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.evidence import ledger
from hague.model import ApiToken, Case, User
from hague.team import cases
from hague.team.errors import Forbidden, NotFound, TeamError
from hague.team.roles import WRITERS, Role, TokenScope

PREFIX = "hague_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(session: Session, actor: str, user: User, case: Case, name: str, scope: TokenScope | str) -> str:
    """A new token for ``user`` in ``case``; returns the secret, which is not stored and never shown again."""
    scope = TokenScope(scope)
    role = cases.role_of(session, case, user)
    if role is None:
        raise NotFound(f"no case {case.slug!r}")
    if scope == TokenScope.WRITE and role not in WRITERS:
        raise Forbidden(f"a {role} cannot hold a write token")
    if not name.strip():
        raise TeamError("name the token (what it is for)")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, case_id=case.id, name=name.strip()[:200], scope=scope,
                     token_hash=_digest(secret), prefix=secret[:len(PREFIX) + 6], created_at=ledger.utc_now())
    session.add(token)
    session.flush()
    ledger.append(session, actor, "token.create", [], {"user": user.name, "case": case.slug, "token": token.id,
                                                       "scope": str(scope), "name": token.name})
    return secret


def lookup(session: Session, secret: str) -> tuple[ApiToken, User, Case, Role] | None:
    """The live token with its owner, case and the owner's current role, or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(secret))).first()
    if token is None or token.revoked_at is not None:
        return None
    user, case = session.get(User, token.user_id), session.get(Case, token.case_id)
    if user is None or user.disabled or case is None:
        return None
    role = cases.role_of(session, case, user)
    return (token, user, case, role) if role else None


def revoke(session: Session, actor: str, user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens (an administrator may revoke anyone's)."""
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != user.id and not user.is_admin):
        raise NotFound(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = ledger.utc_now()
        ledger.append(session, actor, "token.revoke", [], {"token": token.id, "case_id": token.case_id})
    return token


def of_user(session: Session, user: User) -> list[tuple[ApiToken, Case]]:
    rows = session.execute(select(ApiToken, Case).join(Case, Case.id == ApiToken.case_id)
                           .where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
    return [(t, c) for t, c in rows]
