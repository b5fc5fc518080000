"""Commands of the share phase: ``package create|verify|import``, ``protect add|list`` and ``export``.

Mounted on the main app by :mod:`hague.cli`. ``package verify`` needs no workspace at all:
a recipient runs it on their own machine. Exit codes as everywhere: 1 when something
failed verification (named), 2 when the command could not run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from hague.cli_common import JsonOpt, emit_json, err, fail, out, shown, workspace
from hague.workspace import WorkspaceError

package_app = typer.Typer(help="Evidence packages (BagIt) a recipient can verify offline.", no_args_is_help=True)
protect_app = typer.Typer(help="Protected persons: named in nothing shared, only by a stable pseudonym.",
                          no_args_is_help=True)

KeyOpt = Annotated[str | None, typer.Option("--key", metavar="FINGERPRINT|FILE.pem",
                                            help="The sender's key fingerprint (64 hex digits) or public key file, "
                                                 "obtained through another channel; the package must be signed by "
                                                 "it.")]
TofuOpt = Annotated[bool, typer.Option("--trust-on-first-use",
                                       help="Without --key: trust the key the package carries (its fingerprint is "
                                            "printed; compare it with the sender's).")]


def _expected_key(value: str | None) -> str | None:
    """The fingerprint --key names (a file holding a public key, or the fingerprint itself); exit 2 if neither."""
    from hague.sharing.verify import expected_key

    if value is None:
        return None
    if value.strip() and Path(value).is_file():
        try:
            value = Path(value).read_text()
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"--key {value}: cannot read ({exc})")
    try:
        return expected_key(value)
    except ValueError as exc:
        fail(str(exc))


@package_app.command("create")
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
    from hague.law import WordingError
    from hague.sharing.package import PackageError, create_package

    if out_file.is_dir():
        fail(f"--out {out_file} is a folder; give a file name ending in .zip")
    ws = workspace()
    try:
        result = create_package(ws, recipient, out_file, incident or None, redact or [], include_originals,
                                collector)
    except (PackageError, WordingError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"--out {out_file}: {exc.strerror or exc}")
    if json_out:
        emit_json(result.to_json())
        return
    out.print(f"[green]package written[/green] {result.path} (SHA-256 {result.sha256})")
    out.print(f"{result.items} item(s), {len(result.incidents)} incident(s), {result.redactions} name "
              f"occurrence(s) pseudonymised in texts, {len(result.withheld)} original(s) withheld; "
              f"export entry #{result.export_seq}, tree size {result.tree_head['tree_size']}, "
              f"signed by {result.tree_head['key_id']}")
    out.print(f"Give the recipient the key id [bold]{result.tree_head['key_id']}[/bold] through another channel.")


@package_app.command("verify")
def package_verify(package: Annotated[Path, typer.Argument(help="The package zip.")], key: KeyOpt = None,
                   trust_on_first_use: TofuOpt = False, json_out: JsonOpt = False) -> None:
    """Check a package offline, without the sender's workspace: bag, every hash, every proof, the signature.

    A package carries its own key, so it is only authenticated against the sender's fingerprint (--key),
    obtained through another channel; without it the result is UNAUTHENTICATED (exit 1) unless
    --trust-on-first-use. Exits 1 and names each file, ledger entry or proof that fails.
    """
    from hague.sharing.importer import unauthenticated
    from hague.sharing.verify import verify_package

    wanted = _expected_key(key)
    if not package.is_file():
        fail(f"{package}: no such file")
    report = verify_package(package, wanted, trust_on_first_use=trust_on_first_use)
    if json_out:
        emit_json(report.to_json())
    else:
        for f in report.failures:
            out.print(f"[red]FAIL[/red] {shown(f.subject)}: {shown(f.message)}", soft_wrap=True)
        for n in report.notes:
            out.print(f"[yellow]note[/yellow] {shown(n)}", soft_wrap=True)
        if report.ok:
            out.print(f"[green]verified[/green]: {report.files} files, {report.items} items, {report.entries} "
                      f"ledger entries each proved against the signed tree head (size "
                      f"{(report.tree_head or {}).get('tree_size')}), export entry #{report.export_seq} for "
                      f"{shown(report.recipient)}, signed by key {report.key_id} ({report.authentication})",
                      soft_wrap=True)
        elif report.intact:
            out.print(f"[red]{unauthenticated(report)}[/red]", soft_wrap=True)
        else:
            out.print(f"[red]NOT VERIFIED[/red]: {len(report.failures)} problem(s) in {package}", soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


@package_app.command("import")
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
    from hague.evidence.store import TooLarge
    from hague.sharing.importer import ImportFailed, import_package
    from hague.sharing.safety import ArchiveRefused

    wanted = _expected_key(key)
    if not package.is_file():
        fail(f"{package}: no such file")
    ws = workspace()
    try:
        result = import_package(ws, package, collector, wanted, trust_on_first_use=trust_on_first_use)
    except ArchiveRefused as exc:
        fail(f"{package}: refused: {exc}", 1)
    except ImportFailed as exc:
        for f in exc.report.failures:
            err.print(f"[red]FAIL[/red] {shown(f.subject)}: {shown(f.message)}", soft_wrap=True)
        fail(f"{package}: {shown(exc)}", 1)
    except TooLarge as exc:
        fail(f"{package}: refused: an original is {exc}", 1)
    if json_out:
        emit_json(result.to_json())
        return
    out.print(f"[green]imported[/green] {len(result.imported)} item(s) from {shown(result.package)} "
              f"(signed by {result.sender_key_id}); {len(result.already_held)} already held, "
              f"{len(result.withheld)} withheld by the sender")


@protect_app.command("add")
def protect_add(name: Annotated[str, typer.Argument(help="The person's name as sources write it.")],
                reason: Annotated[str, typer.Option(help="Why (e.g. witness at risk); travels in redaction logs.")],
                alias: Annotated[list[str] | None, typer.Option(help="Another spelling (repeatable).")] = None,
                collector: Annotated[str | None, typer.Option(help="Who marks (recorded in the ledger).")] = None,
                json_out: JsonOpt = False) -> None:
    """Mark a person as protected: packages and exports show them only by a stable pseudonym."""
    from hague.sharing.redact import protect, workspace_secret

    ws = workspace()
    secret = workspace_secret(ws.config.home)
    try:
        with ws.write() as s:
            result = protect(s, secret, name, alias or [], reason, ws.actor(collector))
    except ValueError as exc:
        fail(str(exc))
    ws.seal()
    if json_out:
        emit_json({"pseudonym": result.pseudonym, "created": result.created, "aliases": list(result.aliases)})
        return
    verb = "protected" if result.created else "updated"
    out.print(f"[green]{verb}[/green] as [bold]{result.pseudonym}[/bold]"
              + (f" (aliases: {', '.join(result.aliases)})" if result.aliases else ""))


@protect_app.command("list")
def protect_list(json_out: JsonOpt = False) -> None:
    """List protected persons with their pseudonyms (names shown: this is the sender's own register)."""
    from hague.sharing.redact import persons, workspace_secret

    ws = workspace()
    with ws.read() as s:
        people = persons(s, workspace_secret(ws.config.home))
    rows = [{"name": p.name, "aliases": list(p.aliases), "pseudonym": p.pseudonym, "reason": p.reason,
             "marked_by": p.marked_by, "marked_at": p.marked_at} for p in people]
    if json_out:
        emit_json(rows)
        return
    table = Table(title=f"{len(rows)} protected person(s)")
    for col in ("pseudonym", "name", "aliases", "reason", "marked by", "marked at"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["pseudonym"], r["name"], ", ".join(r["aliases"]), r["reason"], r["marked_by"],
                      r["marked_at"][:19])
    out.print(table)


def export(kind: Annotated[str, typer.Argument(help="incidents, statements or reports.")],
           fmt: Annotated[str, typer.Option("--format", help="csv, json or geojson (incidents, reports).")]
           = "json",
           out_file: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None
           ) -> None:
    """Export findings for other tools; protected persons appear only by pseudonym.

    Every value keeps its evidence span and origin (JSON cells in CSV). GeoJSON places records whose fields
    carry coordinates; others keep a null geometry.
    """
    from hague.sharing.export import ExportError, records, render
    from hague.sharing.redact import Redactor, persons, workspace_secret

    ws = workspace()
    try:
        with ws.read() as s:
            text = render(records(s, kind, Redactor(persons(s, workspace_secret(ws.config.home)))), kind, fmt)
    except ExportError as exc:
        fail(str(exc))
    if out_file is None:
        sys.stdout.write(text)
        return
    try:
        ws.check_output(out_file)
        out_file.write_text(text, encoding="utf-8")
    except WorkspaceError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"--out {out_file}: {exc.strerror or exc}")
    err.print(f"{kind} written to {out_file} ({fmt})")
