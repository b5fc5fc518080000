"""Share: the dossier, evidence packages (create, verify, import), exports for other tools, and the register
of protected persons who appear in nothing shared except by a stable pseudonym."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from hague.errors import CheckFailed, InvalidInput, OutputFailed, Refused
from hague.evidence import ledger
from hague.evidence.store import TooLarge
from hague.report.scope import DossierScope
from hague.services.common import DEFAULT_LIMIT, Page, check_window
from hague.sharing.importer import ImportResult
from hague.sharing.package import PackageResult
from hague.sharing.verify import PackageReport
from hague.vocab import Action, DossierFormat, values
from hague.workspace import Workspace

__all__ = ["Dossier", "DossierScope", "ImportResult", "PackageReport", "PackageResult", "Protected",
           "ProtectedRecord", "create_package", "export", "import_package", "list_protected", "protect", "report",
           "verify_package"]


@dataclass(frozen=True)
class Dossier:
    """A dossier made by :func:`report`: its text (or where it was written), hash, counts and the signed head
    after the ``report`` ledger entry that records it."""

    format: str
    sha256: str
    bytes: int
    counts: dict[str, int]
    tree_head: dict[str, Any]
    path: str | None = None
    text: str = field(default="", repr=False)

    def to_json(self) -> dict[str, Any]:
        """Everything but the text itself."""
        return {"path": self.path, "format": self.format, "sha256": self.sha256, "bytes": self.bytes,
                **self.counts, "tree_head": self.tree_head}


class _Sink:
    """Where a dossier streams to: the ``.part`` file beside ``out`` (or memory), hashed and counted on the way."""

    def __init__(self, out: Path | None) -> None:
        self.out, self.sha, self.bytes = out, hashlib.sha256(), 0
        self.tmp = out.with_name(f".{out.name}.{os.getpid()}.part") if out is not None else None
        self.file: BinaryIO = self.tmp.open("wb") if self.tmp is not None else io.BytesIO()

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.sha.update(data)
        self.bytes += len(data)
        self.file.write(data)

    def text(self) -> str:
        return self.file.getvalue().decode("utf-8") if isinstance(self.file, io.BytesIO) else ""

    def keep(self) -> None:
        """Move the finished file into place (atomically)."""
        self.file.close()
        if self.tmp is not None and self.out is not None:
            self.tmp.replace(self.out)

    def discard(self) -> None:
        self.file.close()
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)


def report(ws: Workspace, actor: str, *, fmt: str = DossierFormat.HTML, window_days: int = 14,
           out: Path | None = None, scope: DossierScope | None = None) -> Dossier:
    """Make the dossier (``html``: one self-contained offline file; ``md``): overview, map and timeline, each
    incident with facts, sources, statements and candidate provisions, positions and mixed messages, the
    source list with hashes, and the signed tree head. ``scope`` limits it to a case, named incidents,
    incidents dated since a day, or a page of incidents (default: everything). Written as a stream and moved
    into ``out`` atomically when given (kept in memory and returned otherwise); its hash goes into the ledger
    either way (a ``report`` entry by ``actor``).

    Raises ``InvalidInput`` for an unknown format, ``NotFound`` for an unknown case or incident in ``scope``,
    ``Refused`` (``WordingError``) when some text would say more than its review state allows (nothing is
    written then), ``OutputFailed`` when ``out`` cannot be written.
    """
    from hague.law.review import WordingError
    from hague.report import write_dossier

    if fmt not in values(DossierFormat):
        raise InvalidInput(f"unknown format {fmt!r}: use {' or '.join(values(DossierFormat))}")
    if out is not None:
        ws.check_output(out)
    ws.seal()
    try:
        sink = _Sink(out)
    except OSError as exc:
        raise OutputFailed(f"{out}: {exc.strerror or exc}") from exc
    try:
        with ws.read() as s:
            dossier = write_dossier(s, sink.write, fmt, window_days, scope)
        text = sink.text()
        sink.keep()
    except WordingError as exc:  # never write a dossier that says more than its review states allow
        raise Refused(f"dossier not written: {exc}") from exc
    except OSError as exc:
        raise OutputFailed(f"{out}: {exc.strerror or exc}") from exc
    finally:
        sink.discard()
    digest = sink.sha.hexdigest()
    where = str(out.absolute()) if out is not None else None
    details = {"path": where, "format": fmt, **dossier.counts, **({"scope": dossier.scope} if dossier.scope else {})}
    with ws.write() as s:  # the dossier is an export: its hash goes into the custody ledger
        ledger.append(s, actor, Action.REPORT, [digest], details)
    return Dossier(fmt, digest, sink.bytes, dossier.counts, ws.seal().to_json(),
                   str(out) if out is not None else None, text)


def create_package(ws: Workspace, actor: str, recipient: str, out: Path, *, incidents: Sequence[str] | None = None,
                   redact: Sequence[str] = (), include_originals: bool = False) -> PackageResult:
    """Package originals, extracted texts, findings, the ledger extract and inclusion proofs as a BagIt zip
    (written atomically) that the recipient verifies offline; the export is an ``export`` ledger entry by
    ``actor`` (recipient, items, a digest of the contents), signed and proved inside the package.

    Protected persons (and ``redact`` names, for this package only) are pseudonymised in everything derived;
    originals that name them are withheld unless ``include_originals``. ``incidents`` limits the package to
    those incidents (default: everything). Raises ``InvalidInput``, ``NotFound`` (an incident),
    ``Refused`` (wording), ``CheckFailed`` (an original no longer matches its hash), ``OutputFailed``.
    """
    from hague.sharing.package import create_package as _create

    if out.is_dir():
        raise InvalidInput(f"{out} is a folder; give a file name ending in .zip")
    try:
        return _create(ws, recipient, out, list(incidents) if incidents else None, list(redact), include_originals,
                       actor)
    except OSError as exc:
        raise OutputFailed(f"{out}: {exc.strerror or exc}") from exc


def verify_package(path: Path, key: str | None = None, *, trust_on_first_use: bool = False) -> PackageReport:
    """Check a package offline, without any workspace: the bag, every hash, every proof, the signature.

    ``key`` is the sender's key fingerprint (64 hex digits) or public key (PEM text), obtained through another
    channel; the package must be signed by it. Without it the report is ``unauthenticated`` (``ok`` False,
    ``intact`` saying whether anything was altered) unless ``trust_on_first_use``. The report names each
    failing file, entry or proof. ``InvalidInput`` for a missing file or a ``key`` that names no key.
    """
    from hague.sharing.verify import verify_package as _verify

    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        return _verify(path, key, trust_on_first_use=trust_on_first_use)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc


def import_package(ws: Workspace, actor: str, path: Path, key: str | None = None, *,
                   trust_on_first_use: bool = False) -> ImportResult:
    """Import a package's items (with the sender's provenance and proofs) as ``actor``; the archive is screened
    (traversal, links, duplicates, bombs) and verified in full first, and nothing is imported from a package
    that fails: ``Refused`` (hostile archive, oversized original) or ``CheckFailed`` (verification, each
    problem in ``problems``; or UNAUTHENTICATED: signed by a key that is neither ``key``, a sender trusted on an
    earlier import, nor trusted now with ``trust_on_first_use``)."""
    from hague.sharing.importer import ImportFailed
    from hague.sharing.importer import import_package as _import
    from hague.sharing.safety import ArchiveRefused

    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        return _import(ws, path, actor, key, trust_on_first_use=trust_on_first_use)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    except ArchiveRefused as exc:
        raise Refused(f"{path}: refused: {exc}") from exc
    except ImportFailed as exc:
        raise CheckFailed(f"{path}: {exc}", [f"{f.subject}: {f.message}" for f in exc.report.failures]) from exc
    except TooLarge as exc:
        raise Refused(f"{path}: refused: an original is {exc}") from exc


def export(ws: Workspace, kind: str, fmt: str = "json", out: Path | None = None) -> str:
    """Incidents, statements or reports as CSV, JSON or GeoJSON (incidents and reports) for other tools, in
    the shapes of :mod:`hague.records`; protected persons appear only by pseudonym; also written atomically to
    ``out`` when given (never inside the workspace). ``InvalidInput`` for an unknown kind or format, GeoJSON of
    statements, or ``out`` in the workspace; ``OutputFailed`` when ``out`` cannot be written.

    This returns the text; :func:`export_to` and :func:`export_file` stream it instead (flat memory)."""
    if out is not None:
        export_file(ws, kind, fmt, out)
    buf = io.StringIO()
    export_to(ws, kind, fmt, buf)
    return buf.getvalue()


def export_to(ws: Workspace, kind: str, fmt: str, stream: TextIO) -> None:
    """:func:`export`, written to ``stream`` record by record (memory stays flat however large the workspace)."""
    from hague.evidence.pseudonyms import workspace_secret
    from hague.sharing.export import records, write
    from hague.sharing.redact import Redactor, persons

    with ws.read() as s:
        redactor = Redactor(persons(s, workspace_secret(ws.config.home)))
        write(lambda: records(s, kind, redactor), kind, fmt, stream)


def export_file(ws: Workspace, kind: str, fmt: str, out: Path) -> None:
    """:func:`export_to` a file, written atomically (a temporary name, then renamed), never inside the workspace."""
    ws.check_output(out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            export_to(ws, kind, fmt, f)
        tmp.replace(out)
    except OSError as exc:
        raise OutputFailed(f"{out}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Protected:
    """A person marked protected (or given new aliases): their pseudonym, and the signed head after it."""

    pseudonym: str
    created: bool
    aliases: list[str]
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"pseudonym": self.pseudonym, "created": self.created, "aliases": self.aliases,
                "tree_head": self.tree_head}


def protect(ws: Workspace, actor: str, name: str, reason: str, aliases: Sequence[str] = ()) -> Protected:
    """Mark a person protected: packages and exports show them only by a stable pseudonym. Marking again adds
    aliases. One ``protect`` ledger entry, which carries the pseudonym and the reason, never the name."""
    from hague.evidence.pseudonyms import workspace_secret
    from hague.sharing.redact import protect as _protect

    secret = workspace_secret(ws.config.home)
    try:
        with ws.write() as s:
            result = _protect(s, secret, name, list(aliases), reason, actor)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    return Protected(result.pseudonym, result.created, list(result.aliases), ws.seal().to_json())


@dataclass(frozen=True)
class ProtectedRecord:
    """One protected person as the sender's own register shows them (names shown: never shared)."""

    name: str
    aliases: list[str]
    pseudonym: str
    reason: str
    marked_by: str
    marked_at: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": self.aliases, "pseudonym": self.pseudonym, "reason": self.reason,
                "marked_by": self.marked_by, "marked_at": self.marked_at}


def list_protected(ws: Workspace, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[ProtectedRecord]:
    """The register of protected persons, in the order they were marked."""
    from hague.evidence.pseudonyms import workspace_secret
    from hague.sharing.redact import persons

    check_window(limit, offset)
    with ws.read() as s:
        people = persons(s, workspace_secret(ws.config.home))
    rows = [ProtectedRecord(p.name, list(p.aliases), p.pseudonym, p.reason, p.marked_by, p.marked_at)
            for p in people]
    return Page(rows[offset:offset + limit], len(rows), limit, offset)
