"""The ``hague`` command line: each command is a thin call into a phase module.

Human output goes to stdout through Rich; ``--json`` prints one JSON document instead,
for scripts. Problems go to stderr, one line naming the input and the reason. Exit
codes: 0 all well, 1 something failed (named), 2 the command could not run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy.exc import OperationalError

from hague import __version__, cli_reading, cli_review, cli_web  # these register their commands
from hague.cli_common import JsonOpt, app, emit_json, err, fail, key_app, out, shown, workspace
from hague.cli_sharing import export, package_app, protect_app
from hague.config import SETTINGS, load_config
from hague.workspace import WorkspaceError, init_workspace


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context,
          version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    """Collect → preserve → read → corroborate → review → share. Start with [bold]hague init[/bold]."""
    if version:
        out.print(f"hague {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        out.print(ctx.get_help())
        raise typer.Exit()


@app.command()
def init(collector: Annotated[str | None, typer.Option(help="Your name for the custody ledger.")] = None,
         json_out: JsonOpt = False) -> None:
    """Create a workspace in HAGUE_HOME (default ./hague-data): database, object store, signing key.

    Running it again on an existing workspace changes nothing (pending migrations are applied).
    """
    try:
        ws, created = init_workspace(load_config(), collector)
    except (WorkspaceError, ValueError) as exc:
        fail(str(exc))
    head = ws.seal()
    if json_out:
        emit_json({"home": str(ws.config.home), "created": created, "tree_head": head.to_json()})
        return
    verb = "Created" if created else "Already initialised:"
    out.print(f"{verb} workspace [bold]{ws.config.home}[/bold] (ledger size {head.tree_size}, key {head.key_id})")


@app.command()
def add(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or http(s) URLs.")],
    outlet: Annotated[str | None, typer.Option(help="Publisher of the source (overrides sidecar and page).")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the source was published.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the source.")] = None,
    collector: Annotated[str | None, typer.Option(help="Who collects (recorded in the ledger; default OS user).")]
    = None,
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
    from hague.evidence.collect import Metadata, add_inputs, expand_inputs, normalise_date
    from hague.pipeline import pending

    if published and normalise_date(published) != published:
        fail(f"--published {published!r} is not a date in YYYY-MM-DD form")
    ws = workspace()
    actor = ws.actor(collector)
    items = expand_inputs(inputs, ws)
    options = Metadata(title=title, published=published, outlet=outlet, url=url, note=note)
    results = []
    with _progress(len(items) > 20 and not json_out) as progress:
        task = progress.add_task("adding", total=len(items))
        for r in add_inputs(ws, items, options, actor):
            results.append(r)
            progress.advance(task)
            if r.status in ("failed", "unread"):
                err.print(f"[red]{r.status}[/red] {shown(r.input)}: {shown(r.reason)}")
            for n in r.notices:
                err.print(f"[yellow]note[/yellow] {shown(r.input)}: {shown(n)}")
    stopped = sum(r.status == "stopped" for r in results)
    no_space = any(r.no_space for r in results)
    analysis = None
    if not no_analyze and not no_space and (any(r.status == "added" for r in results) or pending(ws)):
        analysis = cli_reading.run_analysis(ws, actor, quiet=json_out)
    try:
        head = ws.seal()
    except WorkspaceError as exc:
        fail(str(exc))
    except OperationalError as exc:  # e.g. the disk is full: what was added stays; the next command signs it
        fail(f"could not sign the ledger's head ({exc.orig}); what was added is kept and the next command signs it")
    failed = sum(r.status in ("failed", "unread", "stopped") for r in results)
    if json_out:
        emit_json({"results": [r.to_json() for r in results],
                   "analysis": analysis.to_json() if analysis else None, "tree_head": head.to_json()})
    else:
        added = sum(r.status == "added" for r in results)
        dupes = [r for r in results if r.status == "duplicate"]
        for r in results:
            if r.status == "added" and len(results) <= 50:
                out.print(f"[green]added[/green] {r.sha256[:16]}  {shown(r.input)}"
                          + (f"  “{shown(r.title)}”" if r.title else ""))
        for r in dupes[:50]:
            out.print(f"[cyan]already preserved[/cyan] {r.sha256[:16]}  {shown(r.input)}")
        if analysis:
            out.print(f"read {analysis.read} document(s): {analysis.statements} statements, {analysis.reports} "
                      f"reports, {analysis.incidents} incidents in the workspace (machine suggestions)")
        unread = sum(r.status == "unread" for r in results)
        out.print(f"{added} added, {len(dupes)} already preserved, {unread} preserved but not read, "
                  f"{failed - unread - stopped} failed, {stopped} not attempted; "
                  f"ledger size {head.tree_size}, root {head.root_hash[:16]}… signed by {head.key_id[:16]}…")
    if no_space:
        err.print(f"[red]error:[/red] the disk is full: {sum(r.status == 'added' for r in results)} input(s) added "
                  "and kept, the others named above. Free space and run the same command again.")
    if failed:
        raise typer.Exit(1)


def _progress(enabled: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, disable=not enabled, transient=True)


@app.command()
def verify(since: Annotated[int | None, typer.Option("--since", metavar="SIZE",
                                                   help="Check only what changed since a verified ledger of SIZE "
                                                        "entries: the older prefix is proved unchanged by its signed "
                                                        "head.")] = None,
           json_out: JsonOpt = False) -> None:
    """Check custody: every original re-hashed, the ledger chain re-walked, every Merkle root and signature
    recomputed, and every row people rely on checked against the ledger entry that recorded it.

    Exits 1 and names exactly what fails: a blob altered or missing, an item, document, review state,
    element finding, grade or protection changed, added or deleted in the database, a ledger entry
    altered, removed or reordered, a head signed by a key the ledger does not pin, a ledger shorter than
    its witness log.
    """
    from hague.evidence.audit import VerifyError
    from hague.evidence.audit import verify as run_verify

    ws = workspace()
    try:
        report = run_verify(ws, since)
    except VerifyError as exc:
        fail(str(exc))
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
        raise typer.Exit(1)


@app.command()
def proof(
    item: Annotated[str | None, typer.Argument(help="SHA-256 (or a unique prefix of 8+ digits) of an item.")] = None,
    consistency: Annotated[int | None, typer.Option("--consistency", metavar="OLD_SIZE",
                                                    help="Prove the ledger only grew since it had OLD_SIZE entries.")]
    = None,
) -> None:
    """Print a Merkle proof as JSON: an item's inclusion in the ledger, or consistency with an older size.

    Anyone holding the public key ([bold]hague key export[/bold]) can check it without the workspace.
    """
    from hague.evidence import proofs

    if (item is None) == (consistency is None):
        fail("give either an item SHA-256 or --consistency OLD_SIZE")
    ws = workspace()
    ws.seal()
    with ws.read() as s:
        try:
            if item is not None:
                data = proofs.inclusion(s, proofs.resolve_item(s, item))
            else:
                data = proofs.consistency(s, consistency or 0)
        except proofs.ProofError as exc:
            fail(str(exc), 1)
    emit_json(data)


@key_app.command("export")
def key_export(out_file: Annotated[Path | None, typer.Option("--out", help="Write the PEM here.")] = None) -> None:
    """Print (or write) the public key that signs this workspace's tree heads."""
    from hague.evidence import keys

    ws = workspace()
    pem = keys.public_pem(ws.key)
    if out_file:
        try:
            ws.check_output(out_file)
        except WorkspaceError as exc:
            fail(str(exc))
        out_file.write_text(pem)
        err.print(f"public key {keys.key_id(pem)} written to {out_file}")
    else:
        sys.stdout.write(pem)


@key_app.command("rotate")
def key_rotate(reason: Annotated[str, typer.Option(help="Why the key changes (kept in the ledger).")],
               collector: Annotated[str | None, typer.Option(help="Who rotates (ledger actor).")] = None) -> None:
    """Hand signing over to a new key. The current key signs the hand-over in the ledger, so `hague verify`
    (and anyone holding the old fingerprint) can follow it; any other key change makes verify fail."""
    if not reason.strip():
        fail("--reason must say why")
    ws = workspace()
    try:
        head = ws.rotate_key(ws.actor(collector), reason.strip())
    except WorkspaceError as exc:
        fail(str(exc))
    out.print(f"signing key rotated: new key {head.key_id}; ledger size {head.tree_size}. Give recipients the new "
              "fingerprint through another channel.")


@app.command()
def items(json_out: JsonOpt = False) -> None:
    """List preserved originals with their SHA-256, size, capture time and document."""
    from sqlalchemy import select

    from hague.model import Document, Item

    ws = workspace()
    with ws.read() as s:
        rows = s.execute(select(Item, Document).join(Document, Document.item_sha256 == Item.sha256, isouter=True)
                         .order_by(Item.captured_at)).all()
        data = [{"sha256": i.sha256, "size": i.size, "media_type": i.media_type, "captured_at": i.captured_at,
                 "captured_by": i.captured_by, "origin": i.origin, "document_id": d.id if d else None,
                 "external_id": d.external_id if d else None, "title": d.title if d else None,
                 "published": d.published if d else None, "outlet": d.outlet if d else None} for i, d in rows]
    if json_out:
        emit_json(data)
        return
    # One block per item: a full SHA-256 never wraps, whatever the terminal width.
    out.print(f"[bold]{len(data)} preserved item(s)[/bold]")
    for r in data:
        facts = [f"{r['size']:,} bytes", r["media_type"], f"captured {r['captured_at'][:19]}Z by {r['captured_by']}"]
        if r["published"]:
            facts.append(f"published {r['published']}")
        label = " — ".join(x for x in (r["outlet"], r["title"]) if x) or r["origin"]
        out.print(f"[green]{r['sha256']}[/green]\n    {shown(' · '.join(facts))}\n    {shown(label)}", soft_wrap=False)


@app.command()
def log(limit: Annotated[int, typer.Option(help="Show the last N entries.")] = 50, json_out: JsonOpt = False) -> None:
    """Show the custody ledger: who did what, when, to which originals."""
    from sqlalchemy import select

    from hague.model import LedgerEntry

    ws = workspace()
    with ws.read() as s:
        rows = list(s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(limit)))[::-1]
    data = [{"seq": e.seq, "time": e.time, "actor": e.actor, "action": e.action, "subjects": e.subjects,
             "details": e.details, "entry_hash": e.entry_hash} for e in rows]
    if json_out:
        emit_json(data)
        return
    table = Table(title="custody ledger")
    for col in ("seq", "time (UTC)", "actor", "action", "subjects", "entry hash"):
        table.add_column(col, overflow="fold")
    for e in data:
        table.add_row(str(e["seq"]), e["time"][:19], shown(e["actor"]), e["action"],
                      ", ".join(s[:12] for s in e["subjects"]), e["entry_hash"][:16])
    out.print(table)


@app.command("config")
def show_config(json_out: JsonOpt = False) -> None:
    """Show every setting, its environment variable, current value and what it does."""
    cfg = load_config()
    rows = [{"setting": name, "env": s.env, "value": str(getattr(cfg, name)), "help": s.help}
            for name, s in SETTINGS.items()]
    if json_out:
        emit_json(rows)
        return
    table = Table()
    for col in ("setting", "environment", "value", "meaning"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["setting"], r["env"], r["value"], r["help"])
    out.print(table)


assert cli_review and cli_web  # imported for their commands
app.add_typer(package_app, name="package")
app.add_typer(protect_app, name="protect")
app.command("export")(export)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
