"""Typed refusals: each says, in one line, what was refused and why (front ends map them to exit codes
and HTTP statuses)."""

from __future__ import annotations

from hague.errors import HagueError


class TeamError(HagueError, ValueError):
    """A request about accounts, sessions, tokens or cases that cannot be carried out."""

    kind = "refused"


class NotFound(TeamError):
    """No such account, case, token or member (or not one the asker may know of)."""

    kind = "not_found"


class Conflict(TeamError):
    """The name is taken, or the change contradicts the current state."""

    kind = "conflict"


class Forbidden(TeamError):
    """The asker's role does not allow this."""

    kind = "forbidden"


class BadCredentials(TeamError):
    """Wrong name, password or code (deliberately not saying which)."""

    kind = "bad_credentials"


class Throttled(TeamError):
    """Too many failed sign-ins; ``retry_after`` seconds until the next attempt is heard."""

    kind = "throttled"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
