"""``hague package verify``: check a package offline, trusting nothing the sender runs.

Needs only the zip and the sender's key fingerprint, obtained through another channel:
the archive layout, the bag and its manifests, each ledger entry's leaf hash and chain
link, each inclusion proof against the signed tree head, the signature, that every
original hashes to its item's SHA-256, and that a proven export entry commits to exactly
these contents. Every failure names the file, entry or proof.

A package carries its own public key, so a valid signature alone proves nothing about
who made it: anyone can re-sign a package with a key of their own. A package is
therefore only *authenticated* when its key is the one the recipient expects (``--key``),
a key the recipient trusted before, or the recipient says to trust it this first time;
otherwise the result is UNAUTHENTICATED and not ok, however intact the package is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from hague.evidence import chain, keys, merkle
from hague.sharing import bag, layout
from hague.sharing.ziparchive import ArchiveError, Member, member_chunks, read_members

# Files read into memory to be parsed; everything else is only hashed.
_PARSED = {"bagit.txt", "bag-info.txt", bag.MANIFEST, bag.TAGMANIFEST, layout.ITEMS, layout.LEDGER,
           layout.PROOFS, layout.TREE_HEAD, layout.PUBLIC_KEY}


class Authentication(StrEnum):
    """How the package's signing key came to be trusted (or not)."""

    KEY = "key"  # the key the recipient gave (--key)
    KNOWN = "known-sender"  # a key this workspace trusted on an earlier import
    FIRST_USE = "trust-on-first-use"  # the recipient chose to trust the key the package carries
    NONE = "unauthenticated"


def expected_key(value: str) -> str:
    """The fingerprint a recipient expects, from a 64-digit fingerprint or a public key PEM; ValueError else."""
    value = value.strip()
    if "BEGIN PUBLIC KEY" in value:
        return keys.key_id(value)
    if keys.is_fingerprint(value.lower()):
        return value.lower()
    if not value:
        raise ValueError("--key is empty: give the sender's key fingerprint (64 hex digits) or public key file")
    raise ValueError(f"--key {value!r} is not a key fingerprint: give all 64 hex digits of the SHA-256 fingerprint "
                     "(shorter ids can be matched by a key made for the purpose) or a public key file")


@dataclass(frozen=True)
class Failure:
    subject: str  # a file in the bag, a ledger entry, a proof
    message: str

    def to_json(self) -> dict[str, str]:
        return {"subject": self.subject, "message": self.message}


@dataclass
class PackageReport:
    path: str
    bag: str | None = None
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0
    items: int = 0
    entries: int = 0
    proofs: int = 0
    recipient: str | None = None
    tree_head: dict[str, Any] | None = None
    key_id: str | None = None
    export_seq: int | None = None
    authentication: Authentication = Authentication.NONE

    @property
    def intact(self) -> bool:
        """Nothing in the package was altered (whoever signed it)."""
        return not self.failures

    @property
    def ok(self) -> bool:
        return self.intact and self.authentication is not Authentication.NONE

    def fail(self, subject: str, message: str) -> None:
        self.failures.append(Failure(subject, message))

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "intact": self.intact, "authentication": str(self.authentication),
                "path": self.path, "bag": self.bag, "files": self.files, "items": self.items,
                "ledger_entries": self.entries, "proofs": self.proofs, "recipient": self.recipient,
                "key_id": self.key_id, "tree_head": self.tree_head, "export_seq": self.export_seq,
                "failures": [f.to_json() for f in self.failures], "notes": self.notes}


@dataclass
class Opened:
    """A package's members, hashed and with the files to parse decoded."""

    bag: str
    members: dict[str, Member]  # path in the bag -> where it sits in the zip
    hashes: dict[str, str]
    sizes: dict[str, int]
    texts: dict[str, str]


def open_package(f: Any, report: PackageReport) -> Opened | None:
    """Read the layout and hash every member (CRC-checked); None when the archive itself is unusable."""
    try:
        members = read_members(f)
    except ArchiveError as exc:
        report.fail(exc.member or report.path, str(exc).removeprefix(f"{exc.member}: "))
        return None
    tops = {m.name.split("/", 1)[0] for m in members}
    if len(tops) != 1 or any("/" not in m.name for m in members):
        report.fail(report.path, "a package holds one bag in one top-level folder (RFC 8493 §4)")
        return None
    name = tops.pop()
    opened = Opened(name, {m.name[len(name) + 1:]: m for m in members}, {}, {}, {})
    for rel, m in opened.members.items():
        digest, keep = hashlib.sha256(), []
        try:
            for chunk in member_chunks(f, m):
                digest.update(chunk)
                if rel in _PARSED:
                    keep.append(chunk)
        except ArchiveError as exc:  # a CRC failure, raised once every byte was read: still hash what is there
            report.fail(rel, str(exc).removeprefix(f"{exc.member}: "))
        opened.hashes[rel], opened.sizes[rel] = digest.hexdigest(), m.size
        if rel in _PARSED:
            try:
                opened.texts[rel] = b"".join(keep).decode("utf-8")
            except UnicodeDecodeError:
                report.fail(rel, "not UTF-8 text: altered")
    return opened


def verify_package(path: Path, key: str | None = None, *, trust_on_first_use: bool = False,
                   known: Collection[str] = ()) -> PackageReport:
    """Check everything a recipient can check.

    ``key``: the fingerprint the sender gave through another channel (see :func:`expected_key`); ``known``:
    fingerprints trusted before; ``trust_on_first_use``: accept the package's own key when neither applies.
    Raises ValueError for a ``key`` that is no fingerprint.
    """
    key = expected_key(key) if key is not None else None
    report = PackageReport(str(path))
    try:
        f = path.open("rb")
    except OSError as exc:
        report.fail(str(path), f"cannot read: {exc.strerror or exc}")
        return report
    with f:
        opened = open_package(f, report)
    if opened is None:
        return report
    report.bag, report.files = opened.bag, len(opened.members)
    for p in bag.check_bag(opened.hashes, opened.sizes, opened.texts):
        report.fail(p.file, p.message)
    report.recipient = bag.parse_info(opened.texts.get("bag-info.txt", "")).get("Hague-Recipient")
    _check_custody(opened, report, key)
    if report.key_id is not None and not any(f.subject == "signing key" for f in report.failures):
        report.authentication = (Authentication.KEY if key else Authentication.KNOWN if report.key_id in known
                                 else Authentication.FIRST_USE if trust_on_first_use else Authentication.NONE)
    return report


def _load(opened: Opened, name: str, report: PackageReport) -> Any:
    if name not in opened.texts:
        if name not in opened.hashes:
            report.fail(name, "missing from the package")
        return None
    try:
        return json.loads(opened.texts[name])
    except json.JSONDecodeError as exc:
        report.fail(name, f"not valid JSON ({exc.msg}, line {exc.lineno}): altered")
        return None


def _check_custody(opened: Opened, report: PackageReport, wanted: str | None) -> None:
    head, proofs, items = (_load(opened, n, report) for n in (layout.TREE_HEAD, layout.PROOFS, layout.ITEMS))
    pem = opened.texts.get(layout.PUBLIC_KEY)
    if pem is None and layout.PUBLIC_KEY not in opened.hashes:
        report.fail(layout.PUBLIC_KEY, "missing from the package")
    entries = _entries(opened, report)
    if not isinstance(head, dict) or pem is None:
        return
    report.tree_head = {k: head.get(k) for k in ("tree_size", "root_hash", "timestamp", "key_id", "signature")}
    if not _check_head(head, pem, report, wanted):
        return
    size, root = head["tree_size"], bytes.fromhex(head["root_hash"])
    proven = _check_proofs(proofs, entries, size, root, report)
    if isinstance(items, list):
        _check_items(items, entries, proven, opened, report)
    _check_export(entries, proven, opened, report)


def _check_head(head: dict[str, Any], pem: str, report: PackageReport, wanted: str | None) -> bool:
    try:
        kid = keys.key_id(pem)
        message = chain.head_message(head["tree_size"], head["root_hash"], head["timestamp"], head["key_id"])
        bytes.fromhex(head["root_hash"])
    except (ValueError, KeyError, TypeError) as exc:
        report.fail(layout.TREE_HEAD if not isinstance(exc, ValueError) else layout.PUBLIC_KEY,
                    f"unreadable ({exc}): altered")
        return False
    report.key_id = kid
    if kid != head["key_id"]:
        report.fail(layout.PUBLIC_KEY, f"key id {kid} is not the tree head's signer {head['key_id']}")
        return False
    if not keys.verify_signature(pem, str(head.get("signature", "")), message):
        report.fail(layout.TREE_HEAD, "the signature does not verify with the package's public key: altered")
        return False
    if wanted and kid != wanted:
        report.fail("signing key", f"the package is signed by key {kid}, not by the expected {wanted}")
    return True


def _entries(opened: Opened, report: PackageReport) -> dict[int, dict[str, Any]]:
    """Ledger extract entries by seq; full entries must recompute to their leaf hash and chain to neighbours."""
    text = opened.texts.get(layout.LEDGER)
    if text is None:
        if layout.LEDGER not in opened.hashes:
            report.fail(layout.LEDGER, "missing from the package")
        return {}
    out: dict[int, dict[str, Any]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        try:
            e = json.loads(line)
            seq, entry_hash = int(e["seq"]), str(e["entry_hash"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            report.fail(f"{layout.LEDGER} line {n}", "not a ledger entry: altered")
            continue
        if "payload_withheld" not in e:
            try:
                payload = chain.entry_payload(seq, e["time"], e["actor"], e["action"], e["subjects"],
                                               e["details"], e["prev_hash"])
            except KeyError as exc:
                report.fail(f"ledger entry {seq}", f"lacks {exc}: altered")
                continue
            if merkle.leaf_hash(payload).hex() != entry_hash:
                report.fail(f"ledger entry {seq}", "altered: its content does not recompute to its leaf hash")
                continue
        out[seq] = e
    report.entries = len(out)
    withheld = sum("payload_withheld" in e for e in out.values())
    if withheld:
        report.notes.append(f"{withheld} ledger entr{'y' if withheld == 1 else 'ies'} name a protected person "
                            "and travel as leaf hashes only (proved, not readable)")
    for seq, e in out.items():
        before = out.get(seq - 1)
        if before and "prev_hash" in e and e["prev_hash"] != before["entry_hash"]:
            report.fail(f"ledger entry {seq}", f"does not chain to entry {seq - 1}")
    return out


def _check_proofs(proofs: Any, entries: dict[int, dict[str, Any]], size: int, root: bytes,
                  report: PackageReport) -> set[int]:
    proven: set[int] = set()
    if not isinstance(proofs, dict) or not isinstance(proofs.get("proofs"), list):
        return proven
    if proofs.get("tree_size") != size or proofs.get("root_hash") != root.hex():
        report.fail(layout.PROOFS, "made against a different tree head than the signed one")
        return proven
    by_seq = {p.get("seq"): p for p in proofs["proofs"] if isinstance(p, dict)}
    for seq, e in sorted(entries.items()):
        p = by_seq.get(seq)
        if p is None:
            report.fail(f"proof for ledger entry {seq}", "missing")
            continue
        try:
            path = [bytes.fromhex(h) for h in p["audit_path"]]
            ok = (p["leaf_hash"] == e["entry_hash"] and p["leaf_index"] == seq - 1
                  and merkle.verify_inclusion(bytes.fromhex(e["entry_hash"]), seq - 1, size, path, root))
        except (KeyError, TypeError, ValueError):
            ok = False
        if ok:
            proven.add(seq)
        else:
            report.fail(f"proof for ledger entry {seq}", f"does not lead to the signed root of tree size {size}")
    report.proofs = len(proven)
    return proven


def _check_items(items: list[Any], entries: dict[int, dict[str, Any]], proven: set[int], opened: Opened,
                 report: PackageReport) -> None:
    named: dict[str, list[int]] = {}
    for seq, e in entries.items():
        for sha in e.get("subjects") or []:
            named.setdefault(sha, []).append(seq)
    for it in items:
        sha = it.get("sha256") if isinstance(it, dict) else None
        if not isinstance(sha, str):
            report.fail(layout.ITEMS, "an item without a SHA-256: altered")
            continue
        report.items += 1
        original = it.get("original")
        if original:
            if original not in opened.hashes:
                report.fail(original, f"the original of item {sha} is missing")
            elif opened.hashes[original] != sha:
                report.fail(original, f"does not hash to its item's SHA-256 {sha}")
        if it.get("text") and it["text"] not in opened.hashes:
            report.fail(it["text"], f"the text of item {sha} is missing")
        recorded = [s for s in named.get(sha, []) if entries[s].get("action") != layout.EXPORT_ACTION]
        if not any(s in proven for s in recorded):
            report.fail(f"item {sha}", "no proven ledger entry in the extract records it")


def _check_export(entries: dict[int, dict[str, Any]], proven: set[int], opened: Opened,
                  report: PackageReport) -> None:
    digest = layout.contents_digest(opened.hashes)
    exports = [(seq, e) for seq, e in entries.items() if e.get("action") == layout.EXPORT_ACTION
               and isinstance(e.get("details"), dict) and e["details"].get("contents_sha256") == digest]
    if not exports:
        report.fail(layout.LEDGER, "no export entry commits to this package's contents (files added, removed "
                                   "or altered after export)")
        return
    seq, e = exports[-1]
    report.export_seq = seq
    if seq not in proven:
        report.fail(f"ledger entry {seq}", "the export entry is not proven against the signed tree head")
    if report.recipient is not None and e["details"].get("recipient") != report.recipient:
        report.fail("bag-info.txt", f"recipient {report.recipient!r} is not the one the export entry names "
                                    f"({e['details'].get('recipient')!r})")
