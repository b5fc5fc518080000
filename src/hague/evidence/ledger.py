"""The custody ledger: append-only, hash-chained entries that are the leaves of a Merkle tree.

An entry's ``entry_hash`` is the RFC 6962 leaf hash of its canonical JSON, which
includes the previous entry's hash, so each entry is both a chain link and a Merkle
leaf. After every command a signed tree head commits to the ledger's size and root.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from hague.evidence import keys, merkle
from hague.model import LedgerEntry, LedgerSubject, SigningKey, TreeHead
from hague.timestamps import utc_now

GENESIS = "0" * 64


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def default_actor(collector: str | None = None) -> str:
    if collector:
        return collector
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def entry_payload(seq: int, time: str, actor: str, action: str, subjects: list[str], details: dict[str, Any],
                  prev_hash: str) -> bytes:
    return canonical({"seq": seq, "time": time, "actor": actor, "action": action, "subjects": subjects,
                      "details": details, "prev_hash": prev_hash})


def append(session: Session, actor: str, action: str, subjects: Iterable[str] = (),
           details: dict[str, Any] | None = None) -> LedgerEntry:
    """Append one entry; call inside :func:`hague.db.write_transaction` so appends are serialised."""
    return append_many(session, [(actor, action, subjects, details)])[0]


Act = tuple[str, str, Iterable[str], dict[str, Any] | None]  # actor, action, subjects, details


def append_many(session: Session, acts: Iterable[Act]) -> list[LedgerEntry]:
    """Append several entries in order with one read of the chain's tail (batched captures)."""
    last = session.execute(select(LedgerEntry.seq, LedgerEntry.entry_hash)
                           .order_by(LedgerEntry.seq.desc()).limit(1)).first()
    seq, prev = (last.seq, last.entry_hash) if last else (0, GENESIS)
    entries, links = [], []
    for actor, action, subjects, details in acts:
        seq += 1
        subj = list(dict.fromkeys(subjects))
        det = details or {}
        time = utc_now()
        digest = merkle.leaf_hash(entry_payload(seq, time, actor, action, subj, det, prev)).hex()
        entries.append(LedgerEntry(seq=seq, time=time, actor=actor, action=action, subjects=subj, details=det,
                                   prev_hash=prev, entry_hash=digest))
        links.extend(LedgerSubject(sha256=x, seq=seq) for x in subj)
        prev = digest
    session.add_all(entries)
    session.flush()
    session.add_all(links)
    session.flush()
    return entries


def leaf_hashes(session: Session, upto: int | None = None) -> list[bytes]:
    q = select(LedgerEntry.entry_hash).order_by(LedgerEntry.seq)
    if upto is not None:
        q = q.where(LedgerEntry.seq <= upto)
    return [bytes.fromhex(h) for h in session.scalars(q)]


def head_message(tree_size: int, root_hash: str, timestamp: str, key_id: str) -> bytes:
    """The exact bytes a tree head signature covers."""
    return canonical({"tree_size": tree_size, "root_hash": root_hash, "timestamp": timestamp, "key_id": key_id})


@dataclass(frozen=True)
class SignedHead:
    tree_size: int
    root_hash: str
    timestamp: str
    key_id: str
    signature: str

    def to_json(self) -> dict[str, Any]:
        return {"tree_size": self.tree_size, "root_hash": self.root_hash, "timestamp": self.timestamp,
                "key_id": self.key_id, "signature": self.signature}

    @classmethod
    def of(cls, row: TreeHead) -> SignedHead:
        return cls(row.tree_size, row.root_hash, row.timestamp, row.key_id, row.signature)


def register_key(session: Session, key: Ed25519PrivateKey) -> str:
    pem = keys.public_pem(key)
    kid = keys.key_id(pem)
    if session.get(SigningKey, kid) is None:
        session.add(SigningKey(key_id=kid, public_key=pem, created_at=utc_now()))
    return kid


def sign_head(session: Session, key: Ed25519PrivateKey) -> SignedHead:
    """Sign the ledger's current size and root, unless the latest head already says exactly that."""
    kid = register_key(session, key)
    leaves = leaf_hashes(session)
    root_hex = merkle.root(leaves).hex()
    latest = latest_head(session)
    if latest and latest.tree_size == len(leaves) and latest.root_hash == root_hex and latest.key_id == kid:
        return latest
    ts = utc_now()
    sig = key.sign(head_message(len(leaves), root_hex, ts, kid)).hex()
    session.add(TreeHead(tree_size=len(leaves), root_hash=root_hex, timestamp=ts, key_id=kid, signature=sig))
    return SignedHead(len(leaves), root_hex, ts, kid, sig)


def latest_head(session: Session) -> SignedHead | None:
    row = session.scalars(select(TreeHead).order_by(TreeHead.id.desc()).limit(1)).first()
    return SignedHead.of(row) if row else None


def entries_for(session: Session, sha256: str) -> list[LedgerEntry]:
    q = (select(LedgerEntry).join(LedgerSubject, LedgerSubject.seq == LedgerEntry.seq)
         .where(LedgerSubject.sha256 == sha256).order_by(LedgerEntry.seq))
    return list(session.scalars(q))


def size(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(LedgerEntry)) or 0


@dataclass(frozen=True)
class RawEntry:
    """A ledger row as stored, before any trust is placed in it (verification reads these)."""

    seq: int
    time: str
    actor: str
    action: str
    subjects: Any
    details: Any
    prev_hash: str
    entry_hash: str


def raw_entries(session: Session) -> list[RawEntry]:
    rows = session.execute(text("SELECT seq, time, actor, action, subjects, details, prev_hash, entry_hash "
                                "FROM ledger_entries ORDER BY seq"))
    out = []
    for r in rows:
        subjects, details = r.subjects, r.details
        out.append(RawEntry(r.seq, r.time, r.actor, r.action, _json(subjects), _json(details), r.prev_hash,
                            r.entry_hash))
    return out


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value  # left as text: the hash check will fail and name the entry
    return value
