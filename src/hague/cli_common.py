"""What every command module shares: the Typer app, the consoles, and the one-line error."""

from __future__ import annotations

import json
import re
import sys
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from hague.config import load_config
from hague.workspace import Workspace, WorkspaceError, open_workspace

app = typer.Typer(help="Hague: preserve open sources as verifiable evidence and structure them for legal review.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode="rich",
                  pretty_exceptions_enable=False)
# `hague --version` must work without a command, so the callback runs on its own too.
key_app = typer.Typer(help="The workspace signing key.", no_args_is_help=True)
app.add_typer(key_app, name="key")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")]


# Characters that can forge or hide output: C0/C1 controls, DEL, line and paragraph separators, bidi controls.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: object) -> str:
    """Text from outside (file names, titles, reasons) safe to print: control characters escaped (a newline in
    a file name cannot forge a line), Rich markup inert."""
    value = _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))
    return escape(value)


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def workspace() -> Workspace:
    try:
        return open_workspace(load_config())
    except (WorkspaceError, ValueError) as exc:
        fail(str(exc))
