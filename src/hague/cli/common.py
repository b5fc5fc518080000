"""What every command module shares: consoles, options, the error edge, paging, and progress bars.

Every command is wrapped by :func:`command`: a :class:`~hague.errors.HagueError` from a service becomes one
line on stderr (``error: ...``), or, when the command was asked for ``--json``, the error's JSON document on
stdout; the exit code is the error's (1 an input or check failed, 2 the command could not run).
"""

from __future__ import annotations

import functools
import gc
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from hague.errors import HagueError, InvalidInput
from hague.evidence.chain import default_actor
from hague.services import workspace as workspace_service
from hague.services.common import MAX_LIMIT, Page
from hague.workspace import Workspace

if TYPE_CHECKING:
    from rich.progress import Progress

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., None])

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")]
CollectorOpt = Annotated[str | None, typer.Option(help="Who acts (the custody-ledger actor; default "
                                                       "HAGUE_COLLECTOR, else the OS user).")]
LimitOpt = Annotated[int | None, typer.Option(help="Show at most N records (default: all).", min=1)]
OffsetOpt = Annotated[int, typer.Option(help="Skip the first N records.", min=0)]
# Arguments several command modules take; here, so one command module never imports another (and its services)
DocArg = Annotated[str | None, typer.Argument(help="A document: its sidecar id, database id or SHA-256 prefix.")]
IncidentArg = Annotated[str, typer.Argument(help="An incident id from `hague incidents` (or a unique start of it).")]


# Characters that can forge or hide output: C0/C1 controls, DEL, line and paragraph separators, bidi controls.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def group(help: str) -> typer.Typer:
    """A command with sub-commands (``hague key ...``): no shell-completion options, help when run bare."""
    return typer.Typer(help=help, add_completion=False, no_args_is_help=True)


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
    whose only output is JSON).
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
                raise typer.Exit(_report(exc, exc.exit_code, as_json)) from None

        return run  # type: ignore[return-value]

    return wrap(func) if func is not None else wrap


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def workspace() -> Workspace:
    """The workspace the settings point at (its errors end the command through :func:`command`)."""
    return workspace_service.open()


def actor(ws: Workspace, given: str | None) -> str:
    """The ledger actor: the name given, else HAGUE_COLLECTOR, else the OS user."""
    return default_actor(given or ws.config.collector)


def records(fetch: Callable[[int, int], Page[T]], limit: int | None, offset: int = 0) -> Iterator[T]:
    """Every record of a listing from ``offset`` (at most ``limit``), fetched a page at a time."""
    if limit is not None and limit < 1:
        raise InvalidInput(f"limit {limit} must be at least 1")
    left = limit
    while left is None or left > 0:
        size = MAX_LIMIT if left is None else min(left, MAX_LIMIT)
        page = fetch(size, offset)
        yield from page.items
        offset += len(page.items)
        if left is not None:
            left -= len(page.items)
        if not page.has_more or not page.items:
            return


def listing(ws: Workspace, list_fn: Callable[..., Page[T]], limit: int | None, offset: int, json_out: bool,
            *args: Any) -> list[T] | None:
    """The records a listing command shows (``list_fn(ws, *args, limit=, offset=)`` a page at a time); printed
    as one JSON array instead, returning None, when the command was given ``--json`` (streamed a page at a
    time, so memory stays flat however many records there are)."""
    rows = records(lambda n, at: list_fn(ws, *args, limit=n, offset=at), limit, offset)
    if json_out:
        emit_json_array(r.to_json() for r in rows)  # type: ignore[attr-defined]
        return None
    return list(rows)


def emit_json_array(items: Iterable[Any], stream: TextIO | None = None) -> None:
    """A JSON array written item by item, formatted as :func:`emit_json` formats a whole list."""
    stream = stream or sys.stdout
    first = True
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False, default=str).replace("\n", "\n  ")
        stream.write(("[\n  " if first else ",\n  ") + text)
        first = False
    stream.write("[]\n" if first else "\n]\n")


def progress(enabled: bool, *, eta: bool = True) -> Progress:
    """A progress bar on stderr (never on stdout, which may be JSON); invisible when not ``enabled``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    if eta:
        columns.append(TimeRemainingColumn())
    return Progress(*columns, console=err, disable=not enabled, transient=True)


def value_text(fields: dict[str, Any], name: str) -> str:
    """A field's value as a person reads it: lists joined, nothing as a dash."""
    value = fields.get(name, {}).get("value")
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return "—" if value in (None, "") else str(value)
