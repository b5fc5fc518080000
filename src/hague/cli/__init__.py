"""The ``hague`` command line: each command is a thin call into :mod:`hague.services`.

Human output goes to stdout through Rich; ``--json`` prints one JSON document instead, for scripts (errors
too). Problems go to stderr, one line naming the input and the reason. Exit codes: 0 all well, 1 something
failed (named), 2 the command could not run (bad arguments or settings, no workspace).

Commands live in one module per phase and are named here, explicitly, in :data:`COMMANDS`: this table is the
whole CLI. A command's module is imported only when that command runs (``hague verify`` does not load the
reader, the clustering or the web stack, which took over a second of every start-up), so the table names
``module:attribute`` rather than importing them; ``hague --help`` loads them all to list their help.
"""

from __future__ import annotations

import gc
import importlib
from typing import Annotated

import typer
import typer.core
import typer.main

from hague import __version__

# name -> (module in hague.cli, attribute): a command function, or a typer.Typer of sub-commands
COMMANDS: dict[str, tuple[str, str]] = {
    # workspace
    "init": ("workspace", "init"), "config": ("workspace", "show_config"),
    # collect + preserve + custody
    "add": ("evidence", "add"), "items": ("evidence", "items"), "log": ("evidence", "log"),
    "verify": ("custody", "verify"), "proof": ("evidence", "proof"), "key": ("evidence", "key_app"),
    # read
    "analyze": ("reading", "analyze"), "statements": ("reading", "statements"), "reports": ("reading", "reports"),
    # corroborate
    "reuse": ("corroboration", "reuse"), "incidents": ("corroboration", "incidents"),
    "incident": ("corroboration", "incident"), "positions": ("corroboration", "positions"),
    "source": ("corroboration", "source_app"),
    # review
    "review": ("review", "review_app"),
    # people correct the machine
    "login": ("curation", "login"), "worker": ("curation", "worker"), "curate": ("curation", "curate_app"),
    # share
    "report": ("sharing", "report"), "package": ("sharing", "package_app"), "protect": ("sharing", "protect_app"),
    "export": ("sharing", "export"),
    # measure
    "eval": ("measure", "evaluate"),
    # the team's workspace (web)
    "serve": ("team", "serve"), "user": ("team", "user_app"), "case": ("team", "case_app"),
    "token": ("team", "token_app"),
}


def load_command(name: str) -> typer.core.TyperCommand | typer.core.TyperGroup:
    """The click command ``name`` of :data:`COMMANDS`, importing its module now."""
    module, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(f"hague.cli.{module}"), attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(add_completion=False, rich_markup_mode="rich", pretty_exceptions_enable=False)
        single.command(name)(target)
        target = single
    command = typer.main.get_command(target)
    command.name = name
    return command  # type: ignore[return-value]


class LazyGroup(typer.core.TyperGroup):
    """The root group: lists :data:`COMMANDS` in the table's order and loads one only when it is asked for."""

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> typer.core.TyperCommand | None:  # type: ignore[override]
        return load_command(cmd_name) if cmd_name in COMMANDS else None


app = typer.Typer(help="Hague: preserve open sources as verifiable evidence and structure them for legal review.",
                  cls=LazyGroup, no_args_is_help=True, add_completion=False, rich_markup_mode="rich",
                  pretty_exceptions_enable=False)


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context,
          version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    """Collect → preserve → read → corroborate → review → share. Start with [bold]hague init[/bold]."""
    if version or ctx.invoked_subcommand is None:
        from hague.cli.common import out  # only here: a command loads it with its own module

        out.print(f"hague {__version__}" if version else ctx.get_help())
        raise typer.Exit()


def main() -> None:
    """The ``hague`` process. Start-up (the command's module, SQLAlchemy and the ORM, the option parser's pydantic)
    allocates some hundred thousand objects that live as long as the process, and the cyclic collector walked
    them again and again as they came: about a tenth of a short command's start. So it is paused here until the
    command is about to run (:func:`hague.cli.common.command`), which freezes what start-up made (never walked
    again) and resumes it. Only the process entry: a test that invokes :data:`app` keeps its collector."""
    gc.disable()
    app()
