"""What a command needs beside its option parser: the consoles, safe printing, the error edge and the workspace.

Apart from :mod:`hague.cli.common` (which adds the Typer option types every command module shares) so that a
command whose options are plain declarations (:mod:`hague.cli.options`) can run without importing Typer, Click
or pydantic: ``hague verify`` on 10,000 small originals spent a fifth of its time loading them.

Every command is wrapped by :func:`command`: a :class:`~hague.errors.HagueError` from a service becomes one
line on stderr (``error: ...``), or, when the command was asked for ``--json``, the error's JSON document on
stdout; the exit code is the error's (1 an input or check failed, 2 the command could not run).
"""

from __future__ import annotations

import functools
import gc
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from rich.console import Console
from rich.markup import escape

from hague.errors import HagueError
from hague.services import workspace as workspace_service
from hague.workspace import Workspace

F = TypeVar("F", bound=Callable[..., None])

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# Characters that can forge or hide output: C0/C1 controls, DEL, line and paragraph separators, bidi controls.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: object) -> str:
    """Text from outside (file names, titles, reasons) safe to print: control characters escaped (a newline in
    a file name cannot forge a line of output), Rich markup inert."""
    return escape(_UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text)))


def _report(exc: HagueError, code: int, json_out: bool) -> int:
    if json_out:
        emit_json(exc.to_json())
    else:
        err.print(f"[red]error:[/red] {shown(exc)}")
        for problem in getattr(exc, "problems", [])[:50]:
            err.print(f"[red]FAIL[/red] {shown(problem)}")
    return code


def command(func: F | None = None, *, always_json: bool = False) -> Any:
    """Wrap a command so a service's typed error ends it with one clear line (or JSON) and its exit code.

    Errors are JSON when the command was given ``--json`` or, with ``always_json``, always (for commands
    whose only output is JSON). The exit is a plain ``SystemExit``, which the option parser passes on as it is,
    so the command ends the same way when it runs without one (:func:`hague.cli.main`, :mod:`hague.cli.options`).
    """

    def wrap(f: F) -> F:
        @functools.wraps(f)
        def run(*args: Any, **kwargs: Any) -> None:
            if not gc.isenabled():  # paused for start-up by hague.cli.main: it is over
                gc.freeze()
                gc.enable()
            try:
                f(*args, **kwargs)
            except HagueError as exc:
                as_json = always_json or bool(kwargs.get("json_out"))
                raise SystemExit(_report(exc, exc.exit_code, as_json)) from None

        return run  # type: ignore[return-value]

    return wrap(func) if func is not None else wrap


def emit_json(data: Any) -> None:
    from hague.jsontext import pretty  # here, not at the top: `hague verify` without --json starts without it

    sys.stdout.write(pretty(data) + "\n")


def workspace() -> Workspace:
    """The workspace the settings point at (its errors end the command through :func:`command`)."""
    return workspace_service.open()
