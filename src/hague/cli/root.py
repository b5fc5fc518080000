"""The Typer application of the ``hague`` command line: the root group over :data:`hague.cli.COMMANDS`, loading a
command's module only when that command is asked for."""

from __future__ import annotations

import importlib
from typing import Annotated

import typer
import typer.core
import typer.main

from hague import __version__
from hague.cli import COMMANDS
from hague.cli.options import for_typer


def load_command(name: str) -> typer.core.TyperCommand | typer.core.TyperGroup:
    """The click command ``name`` of :data:`COMMANDS`, importing its module now."""
    module, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(f"hague.cli.{module}"), attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(add_completion=False, rich_markup_mode="rich", pretty_exceptions_enable=False)
        single.command(name)(for_typer(target))
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
        from hague.cli.base import out  # only here: a command loads it with its own module

        out.print(f"hague {__version__}" if version else ctx.get_help())
        raise typer.Exit()
