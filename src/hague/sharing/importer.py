"""``hague package import``: bring a verified package's items into this workspace, keeping their provenance.

The archive is screened first (:mod:`hague.sharing.safety`), then verified in full
(:mod:`hague.sharing.verify`); only a package that passes both is read. Each original is
streamed into the object store under its own SHA-256, so an imported item keeps the hash
the sender gave it. Each gets a ``capture`` entry whose details carry the sender's
provenance (key id, signed tree head, the sender's ledger entry and its inclusion proof),
and one ``package.import`` entry names the package file itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from hague import __version__
from hague.evidence import ledger
from hague.evidence.attest import capture_details
from hague.evidence.store import Staged, TooLarge, sha256_text
from hague.model import Document, Item, LedgerEntry
from hague.sharing import layout
from hague.sharing.safety import ArchiveRefused, check_archive, limits
from hague.sharing.verify import PackageReport, verify_package
from hague.sharing.ziparchive import member_chunks, read_member, read_members
from hague.timestamps import utc_now
from hague.workspace import Workspace

IMPORT_ACTION = "package.import"


@dataclass
class ImportResult:
    package: str
    sha256: str
    sender_key_id: str | None
    imported: list[str] = field(default_factory=list)
    already_held: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # the sender withheld the original: nothing to import

    def to_json(self) -> dict[str, Any]:
        return {"package": self.package, "sha256": self.sha256, "sender_key_id": self.sender_key_id,
                "imported": self.imported, "already_held": self.already_held, "withheld": self.withheld}


class ImportFailed(Exception):
    """The package did not verify, or nothing says who signed it; ``report`` says what failed."""

    def __init__(self, report: PackageReport) -> None:
        if report.failures:
            first = report.failures[0]
            more = f" (and {len(report.failures) - 1} more)" if len(report.failures) > 1 else ""
            super().__init__(f"the package does not verify: {first.subject}: {first.message}{more}")
        else:
            super().__init__(unauthenticated(report))
        self.report = report


def unauthenticated(report: PackageReport) -> str:
    return (f"UNAUTHENTICATED: intact and signed by key {report.key_id}, but nothing says that key is the "
            "sender's: pass --key with the fingerprint the sender gave you through another channel, or "
            "--trust-on-first-use to trust this key from now on")


def known_senders(ws: Workspace) -> set[str]:
    """Key fingerprints this workspace trusted on earlier imports (as its ledger records them)."""
    with ws.read() as s:
        rows = s.scalars(select(LedgerEntry.details).where(LedgerEntry.action == IMPORT_ACTION))
        return {d["sender_key_id"] for d in rows if isinstance(d, dict) and isinstance(d.get("sender_key_id"), str)}


def import_package(ws: Workspace, path: Path, actor: str | None = None, key: str | None = None, *,
                   trust_on_first_use: bool = False) -> ImportResult:
    """Screen, verify, then import; raises :class:`ArchiveRefused` or :class:`ImportFailed` and imports nothing.

    The package must be signed by ``key`` (a fingerprint), by a sender trusted on an earlier import, or be
    trusted on first use; the import entry records which.
    """
    check_archive(path, limits(ws.config.max_item_bytes))
    report = verify_package(path, key, trust_on_first_use=trust_on_first_use, known=known_senders(ws))
    if not report.ok:
        raise ImportFailed(report)
    who = ws.actor(actor)
    package_sha = _file_sha(path)
    result = ImportResult(report.bag or path.stem, package_sha, report.key_id)
    ws.store.sweep_stale_tmp()
    with path.open("rb") as f:
        members = {m.name.removeprefix(f"{report.bag}/"): m for m in read_members(f)}

        def parsed(name: str) -> Any:
            return json.loads(read_member(f, members[name]))

        items, proofs, head = parsed(layout.ITEMS), parsed(layout.PROOFS), parsed(layout.TREE_HEAD)
        entries = [json.loads(line) for line in read_member(f, members[layout.LEDGER]).decode().splitlines()]
        with ws.read() as s:
            held = set(s.scalars(select(Item.sha256).where(Item.sha256.in_([i["sha256"] for i in items]))))
        staged: list[tuple[dict[str, Any], Staged, str | None]] = []
        try:
            for it in items:
                if it["sha256"] in held:
                    result.already_held.append(it["sha256"])
                    continue
                if not it.get("original"):
                    result.withheld.append(it["sha256"])
                    continue
                st = ws.store.stage(member_chunks(f, members[it["original"]]), ws.config.max_item_bytes)
                if st.sha256 != it["sha256"]:  # verified a moment ago: only a file changed under us gets here
                    ws.store.discard(st)
                    raise ArchiveRefused(it["original"], "changed while being imported")
                text = read_member(f, members[it["text"]]).decode("utf-8") if it.get("text") else None
                staged.append((it, st, text))
        except (TooLarge, ArchiveRefused):
            for _, st, _ in staged:
                ws.store.discard(st)
            raise
    for _, st, _ in staged:
        ws.store.commit(st)
    provenance = _provenance(report, package_sha, head, entries, proofs)
    with ws.write() as s:
        acts = []
        for it, st, text in staged:
            prov = provenance(it)
            origin = f"package {result.package} ({package_sha[:16]}) {it['original']}"
            item = Item(sha256=st.sha256, size=st.size, media_type=it["media_type"], captured_at=utc_now(),
                        captured_by=who, origin=origin, capture_tool=f"hague-package-import/{__version__}",
                        note=f"imported from {result.package}, signed by key {report.key_id}; sender's origin: "
                             f"{it.get('origin')}")
            s.add(item)
            doc = None
            if text is not None:
                sent = it.get("document") or {}
                doc = Document(item_sha256=st.sha256, external_id=sent.get("external_id"), title=sent.get("title"),
                               published=sent.get("published"), outlet=sent.get("outlet"), url=sent.get("url"),
                               language=sent.get("language"), kind=sent.get("kind"), text=text,
                               text_sha256=sha256_text(text), reader="package",
                               meta={"provenance": prov, "redacted": sent.get("redacted", False)})
                s.flush()
                s.add(doc)
            acts.append((who, "capture", [st.sha256], capture_details(item, doc, provenance=prov)))
            result.imported.append(st.sha256)
        s.flush()
        acts.append((who, IMPORT_ACTION, [package_sha, *result.imported],
                     {"package": result.package, "file": path.name, "sender_key_id": report.key_id,
                      "authentication": str(report.authentication),
                      "sender_tree_head": report.tree_head, "recipient": report.recipient,
                      "sender_export_seq": report.export_seq, "imported": len(result.imported),
                      "already_held": len(result.already_held), "withheld_by_sender": len(result.withheld)}))
        ledger.append_many(s, acts)
    ws.seal()
    return result


def _provenance(report: PackageReport, package_sha: str, head: dict[str, Any], entries: list[dict[str, Any]],
                proofs: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function giving one item's provenance: the sender's ledger entry for it and that entry's proof."""
    by_seq = {p["seq"]: p for p in proofs["proofs"]}
    signed = {k: head[k] for k in ("tree_size", "root_hash", "timestamp", "key_id", "signature")}

    def of(item: dict[str, Any]) -> dict[str, Any]:
        mine = [e for e in entries if item["sha256"] in (e.get("subjects") or [])
                and e.get("action") != layout.EXPORT_ACTION]
        entry = next((e for e in mine if e.get("action") == "capture"), mine[0] if mine else None)
        proof = by_seq.get(entry["seq"]) if entry else None
        return {"package": report.bag, "package_sha256": package_sha, "sender_key_id": report.key_id,
                "sender_tree_head": signed, "sender_entry": entry,
                "sender_proof": {"leaf_index": proof["leaf_index"], "audit_path": proof["audit_path"]}
                if proof else None,
                "sender_export_seq": report.export_seq, "sender_captured_at": item.get("captured_at"),
                "sender_captured_by": item.get("captured_by")}

    return of


def _file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
