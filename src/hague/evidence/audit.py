"""``hague verify``: recompute everything that can be recomputed and name exactly what fails.

Checks, in order: every item's blob (present, same SHA-256 and size), every item's
row against its ``capture`` entry, every document's text hash, the ledger chain
(sequence, entry hashes, previous-hash links), and every signed tree head (signature,
and that the ledger's prefix of that size still has that Merkle root).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.evidence import keys, ledger, merkle
from hague.evidence.store import ObjectStore, sha256_text
from hague.model import Document, Item, SigningKey, TreeHead


@dataclass
class Finding:
    kind: str  # blob-altered, blob-missing, item-altered, entry-altered, entry-removed, ...
    subject: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "message": self.message}


@dataclass
class Report:
    items: int = 0
    bytes: int = 0
    entries: int = 0
    heads: int = 0
    failures: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    head: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, kind: str, subject: str, message: str) -> None:
        self.failures.append(Finding(kind, subject, message))

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "items": self.items, "bytes": self.bytes, "entries": self.entries,
                "tree_heads": self.heads, "latest_head": self.head,
                "failures": [f.to_json() for f in self.failures], "notes": self.notes}


def verify(session: Session, store: ObjectStore, on_blob: Callable[[int], None] | None = None) -> Report:
    report = Report()
    entries = ledger.raw_entries(session)
    report.entries = len(entries)
    _check_blobs(session, store, report, on_blob)
    _check_items(session, entries, report)
    leaves = _check_chain(entries, report)
    _check_heads(session, leaves, report)
    return report


def _rehash(store: ObjectStore, shas: list[str]) -> list[tuple[str, str | None, int]]:
    out: list[tuple[str, str | None, int]] = []
    for sha in shas:
        try:
            out.append((sha, store.rehash(sha), store.path_for(sha).stat().st_size))
        except FileNotFoundError:
            out.append((sha, None, 0))
    return out


_CHUNK = 64  # blobs per thread task: small originals would otherwise cost more in task handling than hashing


def _check_blobs(session: Session, store: ObjectStore, report: Report,
                 on_blob: Callable[[int], None] | None) -> None:
    items = {r.sha256: r for r in session.execute(select(Item.sha256, Item.size, Item.origin))}
    report.items = len(items)
    # hashlib releases the GIL on large buffers, so threads use every core.
    shas = sorted(items)
    chunks = [shas[i:i + _CHUNK] for i in range(0, len(shas), _CHUNK)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for sha, actual, size in (r for part in pool.map(lambda c: _rehash(store, c), chunks) for r in part):
            item = items[sha]
            if actual is None:
                report.fail("blob-missing", sha, f"blob missing from the store: {sha} ({item.origin})")
            elif actual != sha:
                report.fail("blob-altered", sha, f"blob altered: {sha} ({item.origin}) now hashes to {actual}")
            elif size != item.size:
                report.fail("item-altered", sha, f"item {sha} records {item.size} bytes, blob has {size}")
            report.bytes += size
            if on_blob:
                on_blob(size)
    orphans = [s for s in store.all_objects() if s not in items]
    if orphans:
        report.notes.append(f"{len(orphans)} stored blob(s) not yet recorded as items (an interrupted add); "
                            "adding the same files again records them")


def _check_items(session: Session, entries: list[ledger.RawEntry], report: Report) -> None:
    captures: dict[str, dict[str, Any]] = {}
    for e in entries:
        if e.action == "capture" and isinstance(e.subjects, list) and e.subjects and isinstance(e.details, dict):
            captures.setdefault(e.subjects[0], e.details)
    for item in session.execute(select(Item.sha256, Item.size, Item.media_type, Item.origin)):
        det = captures.get(item.sha256)
        if det is None:
            report.fail("item-unrecorded", item.sha256, f"item {item.sha256} has no capture entry in the ledger")
            continue
        for key in ("size", "media_type", "origin"):
            if det.get(key) != getattr(item, key):
                report.fail("item-altered", item.sha256,
                            f"item {item.sha256}: {key} is {getattr(item, key)!r} but the ledger recorded "
                            f"{det.get(key)!r}")
    for doc in session.execute(select(Document.id, Document.item_sha256, Document.text, Document.text_sha256)):
        det = captures.get(doc.item_sha256, {})
        actual = sha256_text(doc.text)
        if actual != doc.text_sha256 or det.get("text_sha256") not in (None, actual):
            report.fail("document-altered", doc.item_sha256,
                        f"document {doc.id} (item {doc.item_sha256}): extracted text differs from what was recorded")


def _check_chain(entries: list[ledger.RawEntry], report: Report) -> list[bytes]:
    leaves: list[bytes] = []
    prev = ledger.GENESIS
    for expected_seq, e in enumerate(entries, 1):
        if e.seq != expected_seq:
            report.fail("entry-removed", f"entry {expected_seq}",
                        f"ledger entry {expected_seq} is missing (next entry present is {e.seq}): "
                        "entries removed or reordered")
            return leaves
        payload = ledger.entry_payload(e.seq, e.time, e.actor, e.action, e.subjects, e.details, e.prev_hash)
        digest = merkle.leaf_hash(payload).hex()
        if digest != e.entry_hash:
            report.fail("entry-altered", f"entry {e.seq}",
                        f"ledger entry {e.seq} ({e.action}) altered: its content no longer matches its hash")
        if e.prev_hash != prev:
            report.fail("chain-broken", f"entry {e.seq}",
                        f"ledger entry {e.seq} does not link to entry {e.seq - 1}: entries removed, "
                        "reordered or rewritten")
        prev = e.entry_hash
        leaves.append(bytes.fromhex(e.entry_hash) if _is_hex64(e.entry_hash) else b"")
    return leaves


def _is_hex64(value: str) -> bool:
    try:
        return len(bytes.fromhex(value)) == 32
    except (ValueError, TypeError):
        return False


def _check_heads(session: Session, leaves: list[bytes], report: Report) -> None:
    heads = list(session.scalars(select(TreeHead).order_by(TreeHead.id)))
    report.heads = len(heads)
    pems = {k.key_id: k.public_key for k in session.scalars(select(SigningKey))}
    roots = merkle.prefix_roots(leaves, {h.tree_size for h in heads if h.tree_size <= len(leaves)})
    last_size = 0
    for h in heads:
        name = f"tree head #{h.id} (size {h.tree_size})"
        pem = pems.get(h.key_id)
        msg = ledger.head_message(h.tree_size, h.root_hash, h.timestamp, h.key_id)
        if pem is None:
            report.fail("unknown-key", name, f"{name} is signed by unknown key {h.key_id}")
        elif not keys.verify_signature(pem, h.signature, msg):
            report.fail("bad-signature", name, f"{name}: bad signature")
        if h.tree_size < last_size:
            report.fail("head-shrank", name, f"{name} is smaller than an earlier head ({last_size})")
        last_size = max(last_size, h.tree_size)
        if h.tree_size > len(leaves):
            report.fail("entry-removed", name, f"{name} covers {h.tree_size} entries but the ledger has "
                                               f"{len(leaves)}: entries removed")
        elif roots.get(h.tree_size, b"").hex() != h.root_hash:
            report.fail("root-mismatch", name, f"{name}: the ledger's first {h.tree_size} entries no longer have "
                                               "the signed Merkle root (entries altered, removed or reordered)")
    if heads:
        report.head = ledger.SignedHead.of(heads[-1]).to_json()
        if heads[-1].tree_size < len(leaves):
            report.notes.append(f"{len(leaves) - heads[-1].tree_size} ledger entries after the latest signed head")
    elif leaves:
        report.fail("no-head", "ledger", "the ledger has entries but no signed tree head")
