"""Typed errors shared by the services and every front end.

Each error says, in its message, what went wrong with which input, and carries what a front end needs to
answer without parsing text: ``kind`` (a stable machine name), ``exit_code`` (the CLI's convention: 1 an
input or check failed, 2 the command could not run) and ``to_json()``. The web maps them to HTTP statuses
from ``kind`` (not_found -> 404, ambiguous -> 409, invalid -> 400 or 422, refused -> 409 ...).

Phases keep their own narrower errors (``IllegalTransition``, ``ProofError`` ...) as subclasses of these, so a
caller may catch either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class HagueError(Exception):
    """Base of every error a service raises on purpose."""

    kind = "error"
    exit_code = 1

    def details(self) -> dict[str, Any]:
        """Structured facts beside the message (overridden by errors that have some)."""
        return {}

    def to_json(self) -> dict[str, Any]:
        return {"error": self.kind, "message": str(self), **self.details()}


class InvalidInput(HagueError):
    """An argument is malformed or outside its vocabulary (a bad date, an unknown status); nothing was done."""

    kind = "invalid"
    exit_code = 2


class SettingsError(InvalidInput):
    """A setting (environment variable) has a value that cannot be used; names the variable."""

    kind = "settings"


class NotFound(HagueError):
    """The thing referred to does not exist."""

    kind = "not_found"

    def __init__(self, what: str, ref: str, hint: str | None = None) -> None:
        self.what, self.ref, self.hint = what, ref, hint
        super().__init__(f"no {what} {ref!r}" + (f" ({hint})" if hint else ""))

    def details(self) -> dict[str, Any]:
        return {"what": self.what, "ref": self.ref}


class AmbiguousReference(HagueError):
    """A reference (an id prefix) matches more than one thing; ``candidates`` lists them, so a person can pick."""

    kind = "ambiguous"
    LISTED = 10  # candidates named in the message (all of them are in ``candidates``)

    def __init__(self, what: str, ref: str, candidates: Sequence[str]) -> None:
        self.what, self.ref, self.candidates = what, ref, list(candidates)
        shown = ", ".join(self.candidates[: self.LISTED]) + (" …" if len(self.candidates) > self.LISTED else "")
        super().__init__(f"{ref!r} matches {len(self.candidates)} {what}s: {shown}; give more of it")

    def details(self) -> dict[str, Any]:
        return {"what": self.what, "ref": self.ref, "candidates": self.candidates}


class Refused(HagueError):
    """A well-formed request the rules do not allow now (a review move out of order, wording a state forbids)."""

    kind = "refused"


class CheckFailed(HagueError):
    """A verification found problems (named in the message and, where there are several, in ``problems``)."""

    kind = "check_failed"

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.problems = list(problems)
        super().__init__(message)

    def details(self) -> dict[str, Any]:
        return {"problems": self.problems} if self.problems else {}


class WorkspaceError(HagueError):
    """The workspace cannot be used; the message says what to do."""

    kind = "workspace"
    exit_code = 2


class WorkspaceMissing(WorkspaceError):
    """There is no workspace where the settings point (run ``hague init``)."""

    kind = "no_workspace"


class WorkspaceCorrupt(WorkspaceError):
    """The workspace is there but unusable (missing key, foreign database)."""

    kind = "workspace_corrupt"


class OutputFailed(HagueError):
    """A result could not be written where asked (a folder given for a file, a disk error)."""

    kind = "output_failed"
    exit_code = 2
