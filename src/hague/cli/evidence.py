"""Collect, preserve and keep custody: ``add``, ``items``, ``log``, ``proof``, ``key export`` (``verify`` is
:mod:`hague.cli.custody`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from hague.cli.common import (
    CollectorOpt,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    actor,
    command,
    emit_json,
    err,
    group,
    listing,
    out,
    progress,
    records,
    shown,
    stage_bars,
    workspace,
)
from hague.errors import InvalidInput, OutputFailed
from hague.services import evidence as service
from hague.vocab import AddStatus

key_app = group("The workspace signing key.")


@command
def add(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or http(s) URLs.")],
    outlet: Annotated[str | None, typer.Option(help="Publisher of the source (overrides sidecar and page).")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the source was published.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the source.")] = None,
    collector: CollectorOpt = None,
    note: Annotated[str | None, typer.Option(help="A note kept with each item.")] = None,
    no_analyze: Annotated[bool, typer.Option("--no-analyze", help="Only preserve; run `hague analyze` later.")]
    = False,
    json_out: JsonOpt = False,
) -> None:
    """Preserve originals byte for byte and read them into documents.

    Metadata comes from a sidecar [bold]NAME.json[/bold] next to [bold]NAME.ext[/bold] (fields: id, outlet, url,
    title, published, language, kind), from these options (which win), or from the page itself. A URL is
    fetched and preserved as a WARC file. The same bytes added twice are one item.
    """
    ws = workspace()
    options = service.AddOptions(title=title, published=published, outlet=outlet, url=url, note=note)
    with progress(not json_out) as bars:
        adding = bars.add_task("adding", total=0, visible=False)

        def on_inputs(n: int) -> None:
            bars.update(adding, total=n, visible=n > 20)

        def on_result(r: service.AddResult) -> None:
            bars.advance(adding)
            if r.status in (AddStatus.FAILED, AddStatus.UNREAD):
                err.print(f"[red]{r.status}[/red] {shown(r.input)}: {shown(r.reason or '')}")
            for n in r.notices:
                err.print(f"[yellow]note[/yellow] {shown(r.input)}: {shown(n)}")

        outcome = service.add(ws, actor(ws, collector), inputs, options, analyze=not no_analyze,
                              on_inputs=on_inputs, on_result=on_result, progress=stage_bars(bars))
    if json_out:
        emit_json(outcome.to_json())
    else:
        _print_added(outcome)
    if outcome.no_space:
        err.print(f"[red]error:[/red] the disk is full: {outcome.count(AddStatus.ADDED)} input(s) added and kept, "
                  "the others named above. Free space and run the same command again.")
    if outcome.failed:
        raise typer.Exit(1)


def _print_added(outcome: service.AddOutcome) -> None:
    results, head, analysis = outcome.results, outcome.tree_head, outcome.analysis
    dupes = [r for r in results if r.status == AddStatus.DUPLICATE]
    for r in results:
        if r.status == AddStatus.ADDED and len(results) <= 50:
            out.print(f"[green]added[/green] {(r.sha256 or '')[:16]}  {shown(r.input)}"
                      + (f"  “{shown(r.title)}”" if r.title else ""))
    for r in dupes[:50]:
        out.print(f"[cyan]already preserved[/cyan] {(r.sha256 or '')[:16]}  {shown(r.input)}")
    if analysis:
        out.print(f"read {analysis.read} document(s): {analysis.statements} statements, {analysis.reports} "
                  f"reports, {analysis.incidents} incidents in the workspace (machine suggestions)")
    out.print(f"{outcome.count(AddStatus.ADDED)} added, {len(dupes)} already preserved, "
              f"{outcome.count(AddStatus.UNREAD)} preserved but not read, {outcome.count(AddStatus.FAILED)} failed, "
              f"{outcome.count(AddStatus.STOPPED)} not attempted; ledger size {head['tree_size']}, root "
              f"{head['root_hash'][:16]}… signed by {head['key_id'][:16]}…")


@command(always_json=True)
def proof(
    item: Annotated[str | None, typer.Argument(help="SHA-256 (or a unique prefix of 8+ digits) of an item.")] = None,
    consistency: Annotated[int | None, typer.Option("--consistency", metavar="OLD_SIZE",
                                                    help="Prove the ledger only grew since it had OLD_SIZE entries.")]
    = None,
) -> None:
    """Print a Merkle proof as JSON: an item's inclusion in the ledger, or consistency with an older size.

    Anyone holding the public key ([bold]hague key export[/bold]) can check it without the workspace.
    """
    if (item is None) == (consistency is None):
        raise InvalidInput("give either an item SHA-256 or --consistency OLD_SIZE")
    ws = workspace()
    emit_json(service.inclusion_proof(ws, item) if item is not None
              else service.consistency_proof(ws, consistency or 0))


@command
def key_export(out_file: Annotated[Path | None, typer.Option("--out", help="Write the PEM here.")] = None) -> None:
    """Print (or write) the public key that signs this workspace's tree heads."""
    ws = workspace()
    key = service.public_key(ws)
    if out_file is None:
        sys.stdout.write(key.pem)
        return
    ws.check_output(out_file)
    try:
        out_file.write_text(key.pem)
    except OSError as exc:
        raise OutputFailed(f"--out {out_file}: {exc.strerror or exc}") from exc
    err.print(f"public key {key.key_id} written to {escape(str(out_file))}")


@command
def key_rotate(reason: Annotated[str, typer.Option(help="Why the key changes (kept in the ledger).")],
               collector: CollectorOpt = None) -> None:
    """Hand signing over to a new key. The current key signs the hand-over in the ledger, so `hague verify`
    (and anyone holding the old fingerprint) can follow it; any other key change makes verify fail."""
    ws = workspace()
    key = service.rotate_key(ws, actor(ws, collector), reason)
    out.print(f"signing key rotated: new key {key.key_id}. Give recipients the new fingerprint through another "
              "channel.")


@command
def items(limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """List preserved originals with their SHA-256, size, capture time and document."""
    rows = listing(workspace(), service.list_items, limit, offset, json_out)
    if rows is None:
        return
    # One block per item: a full SHA-256 never wraps, whatever the terminal width.
    out.print(f"[bold]{len(rows)} preserved item(s)[/bold]")
    for r in rows:
        doc = r.document
        facts = [f"{r.size:,} bytes", r.media_type, f"captured {r.captured_at[:19]}Z by {r.captured_by}"]
        if doc and doc.published:
            facts.append(f"published {doc.published}")
        label = " — ".join(x for x in ((doc.outlet, doc.title) if doc else ()) if x) or r.origin
        out.print(f"[green]{r.sha256}[/green]\n    {shown(' · '.join(facts))}\n    {shown(label)}", soft_wrap=False)


@command
def log(limit: Annotated[int, typer.Option(help="Show the last N entries.", min=1)] = 50,
        json_out: JsonOpt = False) -> None:
    """Show the custody ledger: who did what, when, to which originals."""
    ws = workspace()
    rows = list(records(lambda n, at: service.list_ledger(ws, limit=n, offset=at), limit))[::-1]
    if json_out:
        emit_json([e.to_json() for e in rows])
        return
    table = Table(title="custody ledger")
    for col in ("seq", "time (UTC)", "actor", "action", "subjects", "entry hash"):
        table.add_column(col, overflow="fold")
    for e in rows:
        table.add_row(str(e.seq), e.time[:19], shown(e.actor), e.action, ", ".join(s[:12] for s in e.subjects),
                      e.entry_hash[:16])
    out.print(table)


key_app.command("export")(key_export)
key_app.command("rotate")(key_rotate)
