"""Check custody: ``verify``, in a module of its own so the command loads no ORM, reader or table code (on a
SQLite workspace it starts without SQLAlchemy: on 10,000 small originals start-up was most of a verify).

Its options are plain declarations (:mod:`hague.cli.options`) and it imports no Typer, so ``hague verify`` and
``hague verify --json`` / ``--since N`` run without loading the option parser (:func:`hague.cli.main`).
"""

from __future__ import annotations

from typing import Annotated

from hague.cli.base import command, emit_json, out, shown, workspace
from hague.cli.options import JSON, Option
from hague.services import custody as service

SINCE = Option("--since", metavar="SIZE", min=1,
               help="Check only what changed since a verified ledger of SIZE entries: the older prefix is proved "
                    "unchanged by its signed head.")


@command
def verify(since: Annotated[int | None, SINCE] = None, json_out: Annotated[bool, JSON] = False) -> None:
    """Check custody: every original re-hashed, the ledger chain re-walked, every Merkle root and signature
    recomputed, and every row people rely on checked against the ledger entry that recorded it.

    Exits 1 and names exactly what fails: a blob altered or missing, an item, document, review state,
    element finding, grade or protection changed, added or deleted in the database, a ledger entry
    altered, removed or reordered, a head signed by a key the ledger does not pin, a ledger shorter than
    its witness log.
    """
    report = service.verify(workspace(), since)
    if json_out:
        emit_json(report.to_json())
    else:
        for f in report.failures:
            out.print(f"[red]FAIL[/red] {shown(f.message)}")
        for n in report.notes:
            out.print(f"[yellow]note[/yellow] {shown(n)}")
        verdict = "[green]verified[/green]" if report.ok else f"[red]{len(report.failures)} problem(s)[/red]"
        out.print(f"{verdict}: {report.items} items ({report.bytes:,} bytes), {report.entries} ledger entries, "
                  f"{report.heads} signed tree heads, {report.witnessed} witnessed")
        if report.head:
            out.print(f"latest signed head: size {report.head['tree_size']}, root {report.head['root_hash']}, "
                      f"key {report.head['key_id']}, {report.head['timestamp']}")
    if not report.ok:
        raise SystemExit(1)
