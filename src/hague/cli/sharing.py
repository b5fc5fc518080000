"""Share: ``report``, ``package create | verify | import``, ``protect add | list``, ``export``.

``package verify`` needs no workspace at all: a recipient runs it on their own machine.
"""

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
    workspace,
)
from hague.errors import InvalidInput
from hague.report.scope import DossierScope
from hague.services import sharing as service
from hague.sharing.importer import unauthenticated
from hague.vocab import DossierFormat, ExportFormat, ExportKind, values

package_app = group("Evidence packages (BagIt) a recipient can verify offline.")
protect_app = group("Protected persons: named in nothing shared, only by a stable pseudonym.")

KeyOpt = Annotated[str | None, typer.Option("--key", metavar="FINGERPRINT|FILE.pem",
                                            help="The sender's key fingerprint (64 hex digits) or public key file, "
                                                 "obtained through another channel; the package must be signed by "
                                                 "it.")]
TofuOpt = Annotated[bool, typer.Option("--trust-on-first-use",
                                       help="Without --key: trust the key the package carries (its fingerprint is "
                                            "printed; compare it with the sender's).")]


def _expected_key(value: str | None) -> str | None:
    """The fingerprint as given, or the PEM text of a key file (the service checks it names a key)."""
    if value and value.strip() and Path(value).is_file():
        try:
            return Path(value).read_text()
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"--key {value}: cannot read ({exc})") from exc
    return value


@command
def report(
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the dossier.")] = Path("dossier.html"),
    fmt: Annotated[str, typer.Option("--format", help=f"{' or '.join(values(DossierFormat))}: html is one "
                                     "self-contained file.")] = DossierFormat.HTML,
    window: Annotated[int, typer.Option(help="Days within which opposite stances count as mixed.", min=0)] = 14,
    case: Annotated[str | None, typer.Option(help="Only the incidents of this case (its slug).")] = None,
    incident: Annotated[list[str] | None, typer.Option(help="Only this incident (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="Only incidents reported as "
                                              "happening on or after this day.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many incidents (in dossier order: by date, "
                                              "then id); with --offset, pages a large case.", min=1)] = None,
    offset: Annotated[int, typer.Option(help="Skip this many incidents first.", min=0)] = 0,
    collector: CollectorOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Write the dossier: overview, map and timeline, each incident with its facts, sources, statements and
    candidate provisions with element checklists, positions and mixed messages, the source list with
    SHA-256 and capture times, and the signed tree head. Works offline; nothing is fetched.

    Written as a stream, so memory stays flat however large the workspace. Scope it to a case
    ([bold]--case[/bold]), some incidents ([bold]--incident[/bold]) or recent ones ([bold]--since[/bold]), and page
    a large one with [bold]--limit[/bold]/[bold]--offset[/bold]: counts, positions and sources then cover the
    documents of the incidents shown."""
    ws = workspace()
    scope = DossierScope(case, tuple(incident or ()), since, limit, offset)
    done = service.report(ws, actor(ws, collector), fmt=fmt, window_days=window, out=out_path, scope=scope)
    if json_out:
        emit_json(done.to_json())
        return
    table = Table(title="Dossier summary (machine suggestions until reviewed)")
    table.add_column("")
    table.add_column("count", justify="right")
    for key, value in done.counts.items():
        table.add_row(key.replace("_", " "), str(value))
    out.print(table)
    out.print(f"dossier: {out_path} (SHA-256 {done.sha256}, ledger size {done.tree_head['tree_size']})",
              markup=False)


@command
def package_create(
    recipient: Annotated[str, typer.Option(help="Who receives the package (recorded in the ledger).")],
    out_file: Annotated[Path, typer.Option("--out", help="The zip to write (written atomically).")],
    incident: Annotated[list[str] | None, typer.Option(help="Only this incident (repeatable); default: all.")]
    = None,
    redact: Annotated[list[str] | None, typer.Option(help="Also pseudonymise this person in this package "
                                                          "(repeatable); see `hague protect add`.")] = None,
    include_originals: Annotated[bool, typer.Option(help="Ship originals even when they name a protected person "
                                                         "(recorded either way).")] = False,
    collector: Annotated[str | None, typer.Option(help="Who exports (recorded in the ledger).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Package originals, extracted texts, findings, the custody-ledger extract and proofs as a BagIt zip.

    The export is itself a ledger entry (recipient, items, a digest of the contents), signed and proved in the
    package. Protected persons are replaced by pseudonyms in everything derived; originals naming them are
    withheld unless [bold]--include-originals[/bold].
    """
    ws = workspace()
    result = service.create_package(ws, actor(ws, collector), recipient, out_file, incidents=incident or None,
                                    redact=redact or [], include_originals=include_originals)
    if json_out:
        emit_json(result.to_json())
        return
    out.print(f"[green]package written[/green] {escape(str(result.path))} (SHA-256 {result.sha256})")
    out.print(f"{result.items} item(s), {len(result.incidents)} incident(s), {result.redactions} name "
              f"occurrence(s) pseudonymised in texts, {len(result.withheld)} original(s) withheld; "
              f"export entry #{result.export_seq}, tree size {result.tree_head['tree_size']}, "
              f"signed by {result.tree_head['key_id']}")
    out.print(f"Give the recipient the key id [bold]{result.tree_head['key_id']}[/bold] through another channel.")


@command
def package_verify(package: Annotated[Path, typer.Argument(help="The package zip.")], key: KeyOpt = None,
                   trust_on_first_use: TofuOpt = False, json_out: JsonOpt = False) -> None:
    """Check a package offline, without the sender's workspace: bag, every hash, every proof, the signature.

    A package carries its own key, so it is only authenticated against the sender's fingerprint (--key),
    obtained through another channel; without it the result is UNAUTHENTICATED (exit 1) unless
    --trust-on-first-use. Exits 1 and names each file, ledger entry or proof that fails.
    """
    report = service.verify_package(package, _expected_key(key), trust_on_first_use=trust_on_first_use)
    if json_out:
        emit_json(report.to_json())
    else:
        for f in report.failures:
            out.print(f"[red]FAIL[/red] {escape(f.subject)}: {escape(f.message)}", soft_wrap=True)
        for n in report.notes:
            out.print(f"[yellow]note[/yellow] {escape(n)}", soft_wrap=True)
        if report.ok:
            out.print(f"[green]verified[/green]: {report.files} files, {report.items} items, {report.entries} "
                      f"ledger entries each proved against the signed tree head (size "
                      f"{(report.tree_head or {}).get('tree_size')}), export entry #{report.export_seq} for "
                      f"{escape(str(report.recipient))}, signed by key {report.key_id} ({report.authentication})",
                      soft_wrap=True)
        elif report.intact:
            out.print(f"[red]{escape(unauthenticated(report))}[/red]", soft_wrap=True)
        else:
            out.print(f"[red]NOT VERIFIED[/red]: {len(report.failures)} problem(s) in {escape(str(package))}",
                      soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


@command
def package_import(package: Annotated[Path, typer.Argument(help="The package zip.")], key: KeyOpt = None,
                   trust_on_first_use: TofuOpt = False,
                   collector: Annotated[str | None, typer.Option(help="Who imports (recorded in the ledger).")]
                   = None,
                   json_out: JsonOpt = False) -> None:
    """Import a package's items into this workspace, keeping their hashes and the sender's provenance.

    The archive is screened (path traversal, absolute paths, symlinks, duplicate names, zip bombs) and verified
    in full first; nothing is imported from a package that fails, or whose key is neither --key, a sender
    trusted on an earlier import, nor trusted now with --trust-on-first-use.
    """
    ws = workspace()
    result = service.import_package(ws, actor(ws, collector), package, _expected_key(key),
                                    trust_on_first_use=trust_on_first_use)
    if json_out:
        emit_json(result.to_json())
        return
    out.print(f"[green]imported[/green] {len(result.imported)} item(s) from {escape(result.package)} "
              f"(signed by {result.sender_key_id}); {len(result.already_held)} already held, "
              f"{len(result.withheld)} withheld by the sender")


@command
def protect_add(name: Annotated[str, typer.Argument(help="The person's name as sources write it.")],
                reason: Annotated[str, typer.Option(help="Why (e.g. witness at risk); travels in redaction logs.")],
                alias: Annotated[list[str] | None, typer.Option(help="Another spelling (repeatable).")] = None,
                collector: Annotated[str | None, typer.Option(help="Who marks (recorded in the ledger).")] = None,
                json_out: JsonOpt = False) -> None:
    """Mark a person as protected: packages and exports show them only by a stable pseudonym."""
    ws = workspace()
    result = service.protect(ws, actor(ws, collector), name, reason, alias or [])
    if json_out:
        emit_json({k: v for k, v in result.to_json().items() if k != "tree_head"})
        return
    verb = "protected" if result.created else "updated"
    out.print(f"[green]{verb}[/green] as [bold]{result.pseudonym}[/bold]"
              + (f" (aliases: {escape(', '.join(result.aliases))})" if result.aliases else ""))


@command
def protect_list(limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """List protected persons with their pseudonyms (names shown: this is the sender's own register)."""
    rows = listing(workspace(), service.list_protected, limit, offset, json_out)
    if rows is None:
        return
    table = Table(title=f"{len(rows)} protected person(s)")
    for col in ("pseudonym", "name", "aliases", "reason", "marked by", "marked at"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.pseudonym, escape(r.name), escape(", ".join(r.aliases)), escape(r.reason),
                      escape(r.marked_by), r.marked_at[:19])
    out.print(table)


@command
def export(kind: Annotated[str, typer.Argument(help=f"{', '.join(values(ExportKind))}.")],
           fmt: Annotated[str, typer.Option("--format", help=f"{', '.join(values(ExportFormat))} (geojson: "
                                            "incidents and reports).")] = ExportFormat.JSON,
           out_file: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None
           ) -> None:
    """Export findings for other tools; protected persons appear only by pseudonym.

    Every value keeps its evidence span and origin (JSON cells in CSV). GeoJSON places records whose fields
    carry coordinates; others keep a null geometry.
    """
    ws = workspace()
    if out_file is None:
        service.export_to(ws, kind, fmt, sys.stdout)
        return
    service.export_file(ws, kind, fmt, out_file)
    err.print(f"{kind} written to {escape(str(out_file))} ({fmt})")


for _name, _command in (("create", package_create), ("verify", package_verify), ("import", package_import)):
    package_app.command(_name)(_command)
protect_app.command("add")(protect_add)
protect_app.command("list")(protect_list)
