"""What every command module shares: consoles, options, the error edge, paging, and progress bars.

The consoles, the error edge (:func:`command`) and the workspace come from :mod:`hague.cli.base`, which loads
no option parser; this module adds the Typer option types.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

import typer

# the consoles, the error edge and the workspace, re-exported: every command module takes them from here
from hague.cli.base import command as command
from hague.cli.base import emit_json as emit_json
from hague.cli.base import err as err
from hague.cli.base import out as out
from hague.cli.base import shown as shown
from hague.cli.base import workspace as workspace
from hague.cli.options import JSON
from hague.errors import InvalidInput
from hague.evidence.chain import default_actor
from hague.jsontext import array_pieces
from hague.progress import Progress as RunProgress
from hague.services.common import MAX_LIMIT, Page
from hague.vocab import Stage
from hague.workspace import Workspace

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

T = TypeVar("T")

JsonOpt = Annotated[bool, JSON.typer()]
CollectorOpt = Annotated[str | None, typer.Option(help="Who acts (the custody-ledger actor; default "
                                                       "HAGUE_COLLECTOR, else the OS user).")]
LimitOpt = Annotated[int | None, typer.Option(help="Show at most N records (default: all).", min=1)]
OffsetOpt = Annotated[int, typer.Option(help="Skip the first N records.", min=0)]
# Arguments several command modules take; here, so one command module never imports another (and its services)
DocArg = Annotated[str | None, typer.Argument(help="A document: its sidecar id, database id or SHA-256 prefix.")]
IncidentArg = Annotated[str, typer.Argument(help="An incident id from `hague incidents` (or a unique start of it).")]


def group(help: str) -> typer.Typer:
    """A command with sub-commands (``hague key ...``): no shell-completion options, help when run bare."""
    return typer.Typer(help=help, add_completion=False, no_args_is_help=True)


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
    for piece in array_pieces(items):
        stream.write(piece)
    stream.write("\n")


def progress(enabled: bool, *, eta: bool = True) -> Progress:
    """A progress bar on stderr (never on stdout, which may be JSON); invisible when not ``enabled``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    if eta:
        columns.append(TimeRemainingColumn())
    return Progress(*columns, console=err, disable=not enabled, transient=True)


def stage_bars(bars: Progress) -> RunProgress:
    """An analysis run's progress as bars: one per stage, shown while its stage runs (the bars before it, the
    adding bar included, are hidden then)."""
    tasks: dict[Stage, TaskID] = {}

    def start(stage: Stage, total: int) -> None:
        for task in bars.task_ids:
            bars.update(task, visible=False)
        tasks[stage] = bars.add_task(stage.value, total=total)

    def done(stage: Stage, n: int) -> None:
        bars.advance(tasks[stage], n)

    return RunProgress(start, done)


def value_text(fields: dict[str, Any], name: str) -> str:
    """A field's value as a person reads it: lists joined, nothing as a dash."""
    value = fields.get(name, {}).get("value")
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return "—" if value in (None, "") else str(value)
