"""Login throttling: failed sign-ins are counted per account and per client address in a window; past the
limit, further attempts (right or wrong) are refused until the window closes.

Counted in the database, not in memory, so several server processes share one count and a restart
does not reset it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session

from hague.model import LoginFailure
from hague.team import clock
from hague.team.errors import Throttled


@dataclass(frozen=True)
class Limit:
    failures: int
    window_s: int


ACCOUNT = Limit(5, 15 * 60)  # guessing one account's password
ADDRESS = Limit(30, 15 * 60)  # one client trying many accounts


def keys(name: str, client: str | None) -> list[tuple[str, Limit]]:
    out = [(f"account:{name.lower()}", ACCOUNT)]
    if client:
        out.append((f"address:{client}", ADDRESS))
    return out


def check(session: Session, name: str, client: str | None) -> None:
    """Raise :class:`Throttled` while any of the attempt's keys is locked."""
    now = clock.now()
    for key, _ in keys(name, client):
        row = session.get(LoginFailure, key)
        if row is None:
            continue
        if row.locked_until and clock.parse(row.locked_until) > now:
            wait = int((clock.parse(row.locked_until) - now).total_seconds()) + 1
            raise Throttled(f"too many failed sign-ins; try again in {(wait + 59) // 60} minute(s)", wait)


def failed(session: Session, name: str, client: str | None) -> None:
    """Count one failure for each key, locking a key that reaches its limit within its window."""
    now = clock.now()
    for key, limit in keys(name, client):
        row = session.get(LoginFailure, key)
        if row is None or (now - clock.parse(row.first_at)).total_seconds() > limit.window_s:
            if row is not None:
                session.delete(row)
                session.flush()
            row = LoginFailure(key=key, count=0, first_at=clock.stamp(now), locked_until=None)
            session.add(row)
        row.count += 1
        if row.count >= limit.failures:
            row.locked_until = clock.later(limit.window_s)


def succeeded(session: Session, name: str) -> None:
    """A correct sign-in clears the account's count (the address keeps its own)."""
    session.execute(delete(LoginFailure).where(LoginFailure.key == f"account:{name.lower()}"))
