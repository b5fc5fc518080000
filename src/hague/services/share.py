"""Share from the browser: a package for a recipient built from a case's incidents, with a preview of what will
be pseudonymised first; downloaded by the case, and by its partners once shared with them, each seeing the
package's verification result (checked as the recipient would, offline, against this workspace's key).

Packages are built by the case's lead (who manages what partners see), written atomically into the workspace's
``packages`` folder (the workspace is never an output target of a command line, but this folder is its own),
and recorded with their SHA-256; sharing one with the partners also shares its incidents with them.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from hague.errors import InvalidInput, NotFound
from hague.evidence.pseudonyms import workspace_secret
from hague.model import Case, Document, IncidentRow, PackageRow, ReportRow, StatementRow
from hague.services import evidence, sharing
from hague.sharing.redact import Redactor, persons
from hague.team import cases
from hague.team.acting import Member
from hague.team.cases import ShareKind
from hague.team.roles import LEADS, Role
from hague.timestamps import utc_now
from hague.workspace import Workspace


@dataclass(frozen=True)
class Mention:
    pseudonym: str
    basis: str  # "protected" (the workspace's register) or "this package"
    name: str | None  # shown to the case's members only, never to partners
    mentions: int  # in the selected incidents' documents and statements


@dataclass(frozen=True)
class Preview:
    """What a package of these incidents would pseudonymise, before it is built."""

    incidents: list[str]
    documents: int
    people: list[Mention]
    withheld_originals: int  # originals that name a protected person are not shipped

    def to_json(self) -> dict[str, Any]:
        return {"incidents": self.incidents, "documents": self.documents, "withheld_originals":
                self.withheld_originals, "people": [p.__dict__ for p in self.people]}


def _incidents(s: Any, who: Member, refs: Sequence[str]) -> list[str]:
    if not refs:
        raise InvalidInput("choose at least one incident")
    return list(dict.fromkeys(who.incident(s, ref) for ref in refs))


def preview(ws: Workspace, who: Member, incidents: Sequence[str], redact: Sequence[str] = ()) -> Preview:
    """Who a package of ``incidents`` would pseudonymise (the register and ``redact``), and how often each is
    named in what it would carry."""
    who.require(LEADS, "build packages")
    secret = workspace_secret(ws.config.home)
    with ws.read() as s:
        ids = _incidents(s, who, incidents)
        people = persons(s, secret, [r.strip() for r in redact if r.strip()], who.name)
        doc_ids = set(s.scalars(select(ReportRow.document_id).where(ReportRow.incident_id.in_(ids))))
        texts = [t for t, in s.execute(select(Document.text).where(Document.id.in_(doc_ids)))]
        texts += [q for q, in s.execute(select(StatementRow.fields["quote"]["value"].as_string())
                                        .where(StatementRow.document_id.in_(doc_ids))) if q]
    counts: dict[str, int] = {}
    withheld = 0
    redactor = Redactor(people)
    for i, text in enumerate(texts):
        found = redactor.text(text).counts
        for alias, n in found.items():
            counts[alias] = counts.get(alias, 0) + n
        withheld += bool(found) and i < len(doc_ids)
    shown = [Mention(p.pseudonym, "protected" if p.basis == "protected" else "this package", p.name,
                     counts.get(p.pseudonym, 0)) for p in people]
    return Preview(ids, len(doc_ids), shown, withheld)


@dataclass(frozen=True)
class PackageRecord:
    id: int
    recipient: str
    incidents: list[str]
    sha256: str
    size: int
    shared: bool
    verification: dict[str, Any]
    created_by: str
    created_at: str
    key_id: str

    @property
    def verified(self) -> bool:
        return bool(self.verification.get("ok"))

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "verified": self.verified}


def _record(row: PackageRow, key_id: str) -> PackageRecord:
    return PackageRecord(row.id, row.recipient, list(row.incidents), row.sha256, row.size, row.shared,
                         dict(row.verification), row.created_by, row.created_at, key_id)


def build(ws: Workspace, who: Member, recipient: str, incidents: Sequence[str], redact: Sequence[str] = (),
          share_with_partners: bool = False) -> PackageRecord:
    """Build, verify and record a package of ``incidents`` for ``recipient``; with ``share_with_partners`` the
    case's partners may see it (and its incidents) and download it."""
    who.require(LEADS, "build packages")
    if not recipient.strip():
        raise InvalidInput("name the recipient")
    with ws.read() as s:
        ids = _incidents(s, who, incidents)
    folder = ws.packages_dir
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{who.case}-{secrets.token_hex(6)}.zip"
    made = sharing.create_package(ws, who.name, recipient.strip(), folder / name, incidents=ids,
                                  redact=[r.strip() for r in redact if r.strip()])
    key = evidence.public_key(ws)
    report = sharing.verify_package(made.path, key.key_id)
    with ws.write() as s:
        row = PackageRow(case_id=who.case_id, recipient=recipient.strip(), incidents=ids,
                         redact=[r.strip() for r in redact if r.strip()], file=name, sha256=made.sha256,
                         size=made.path.stat().st_size, shared=False, verification=report.to_json(),
                         created_by=who.name, created_at=utc_now())
        s.add(row)
        s.flush()
        record = _record(row, key.key_id)
    return set_shared(ws, who, record.id, True) if share_with_partners else record


def set_shared(ws: Workspace, who: Member, package: int, shared: bool) -> PackageRecord:
    """Let the case's partners see (or no longer see) a package; sharing it shares its incidents too."""
    who.require(LEADS, "share packages")
    with ws.write() as s:
        row = _package(s, who, package)
        case = s.get(Case, who.case_id)
        assert case is not None
        if shared:
            for incident in row.incidents:
                if s.get(IncidentRow, incident) is not None and not cases.is_shared(s, case, ShareKind.INCIDENT,
                                                                                    incident):
                    cases.share(s, who.name, case, ShareKind.INCIDENT, incident)
        row.shared = shared
        s.flush()
        record = _record(row, evidence.public_key(ws).key_id)
    ws.seal()
    return record


def _package(s: Any, who: Member, package: int) -> PackageRow:
    row = s.get(PackageRow, package)
    if row is None or row.case_id != who.case_id or (who.role == Role.PARTNER and not row.shared):
        raise NotFound("package", str(package), "see the case's packages")
    return row


def list_packages(ws: Workspace, who: Member) -> list[PackageRecord]:
    """The case's packages, newest first (a partner sees those shared with the partners)."""
    key = evidence.public_key(ws).key_id
    with ws.read() as s:
        q = select(PackageRow).where(PackageRow.case_id == who.case_id).order_by(PackageRow.id.desc())
        if who.role == Role.PARTNER:
            q = q.where(PackageRow.shared.is_(True))
        return [_record(r, key) for r in s.scalars(q)]


def get_package(ws: Workspace, who: Member, package: int) -> PackageRecord:
    with ws.read() as s:
        return _record(_package(s, who, package), evidence.public_key(ws).key_id)


def package_file(ws: Workspace, who: Member, package: int) -> Path:
    """The package's file, to download (a partner only once it is shared with the partners)."""
    with ws.read() as s:
        row = _package(s, who, package)
    path = ws.packages_dir / row.file
    if not path.is_file():
        raise NotFound("package file", row.file, "it was removed from the workspace's packages folder")
    return path


def verify_again(ws: Workspace, who: Member, package: int) -> PackageRecord:
    """Check the package's file again now, as its recipient would, and record the result."""
    path = package_file(ws, who, package)
    key = evidence.public_key(ws)
    report = sharing.verify_package(path, key.key_id)
    with ws.write() as s:
        row = _package(s, who, package)
        row.verification = report.to_json()
        return _record(row, key.key_id)
