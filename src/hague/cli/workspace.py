"""``hague init`` and ``hague config``: the workspace and its settings."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from hague.cli.common import JsonOpt, command, emit_json, out
from hague.evidence.chain import default_actor
from hague.services import workspace as service


@command
def init(collector: Annotated[str | None, typer.Option(help="Your name for the custody ledger.")] = None,
         json_out: JsonOpt = False) -> None:
    """Create a workspace in HAGUE_HOME (default ./hague-data): database, object store, signing key.

    Running it again on an existing workspace changes nothing (pending migrations are applied).
    """
    from hague.config import load_config

    config = load_config()
    ws, done = service.initialise(default_actor(collector or config.collector), config)
    if json_out:
        emit_json(done.to_json())
        return
    verb = "Created" if done.created else "Already initialised:"
    out.print(f"{verb} workspace [bold]{escape(done.home)}[/bold] (ledger size {done.tree_head['tree_size']}, "
              f"key {done.tree_head['key_id']})")


@command
def show_config(json_out: JsonOpt = False) -> None:
    """Show every setting, its environment variable, current value and what it does."""
    rows = service.settings()
    if json_out:
        emit_json([r.to_json() for r in rows])
        return
    table = Table()
    for col in ("setting", "environment", "value", "meaning"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.setting, r.env, escape(r.value), r.help)
    out.print(table)
