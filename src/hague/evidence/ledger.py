"""The custody ledger: append-only, hash-chained entries that are the leaves of a Merkle tree.

An entry's ``entry_hash`` is the RFC 6962 leaf hash of its canonical JSON, which
includes the previous entry's hash, so each entry is both a chain link and a Merkle
leaf. After every command a signed tree head commits to the ledger's size and root.

The ledger pins its signing key: the ``init`` entry names the key's fingerprint and public
key, and only a ``key.rotate`` entry signed by the key before it hands over to another
(:func:`pins`). A head is only ever signed with the pinned key, and is also appended to
the witness log outside the database (:mod:`hague.evidence.witness`). The formats (what an entry's hash and a
head's signature cover) are :mod:`hague.evidence.chain`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hague.db import insert_rows
from hague.evidence import keys, merkle
from hague.evidence.chain import GENESIS, ROTATE, Pin, SignedHead, entry_payload, head_message, pin_of
from hague.evidence.witness import Witness
from hague.model import LedgerEntry, LedgerSubject, SigningKey, TreeHead
from hague.timestamps import utc_now

FORMAT = 2  # ledger format, recorded at init: 2 pins the key and attests every field of a capture


class KeyNotPinned(Exception):
    """The key at hand is not the one the ledger pins; nothing is signed with it."""


def append(session: Session, actor: str, action: str, subjects: Iterable[str] = (),
           details: dict[str, Any] | None = None) -> LedgerEntry:
    """Append one entry; call inside :func:`hague.db.write_transaction` so appends are serialised."""
    return append_many(session, [(actor, action, subjects, details)])[0]


Act = tuple[str, str, Iterable[str], dict[str, Any] | None]  # actor, action, subjects, details


def append_many(session: Session, acts: Iterable[Act]) -> list[LedgerEntry]:
    """Append several entries in order with one read of the chain's tail and one insert (batched captures, an
    analysis run's refreshed incidents); the entries returned are written, not held by the session."""
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
        entries.append({"seq": seq, "time": time, "actor": actor, "action": action, "subjects": subj,
                        "details": det, "prev_hash": prev, "entry_hash": digest})
        links.extend({"sha256": x, "seq": seq} for x in subj)
        prev = digest
    insert_rows(session, LedgerEntry, entries)
    insert_rows(session, LedgerSubject, links)
    return [LedgerEntry(**e) for e in entries]


def leaf_hashes(session: Session, upto: int | None = None, after: int = 0) -> list[bytes]:
    """The leaf hashes of entries ``after`` < seq <= ``upto``, in order."""
    q = select(LedgerEntry.entry_hash).where(LedgerEntry.seq > after).order_by(LedgerEntry.seq)
    if upto is not None:
        q = q.where(LedgerEntry.seq <= upto)
    return [bytes.fromhex(h) for h in session.scalars(q)]


def register_key(session: Session, key: Ed25519PrivateKey) -> str:
    pem = keys.public_pem(key)
    kid = keys.key_id(pem)
    if session.get(SigningKey, kid) is None:
        session.add(SigningKey(key_id=kid, public_key=pem, created_at=utc_now()))
    return kid


def init_details(key: Ed25519PrivateKey) -> dict[str, Any]:
    """What the ``init`` entry says about the key: it pins it for the life of the workspace."""
    pem = keys.public_pem(key)
    return {"format": FORMAT, "signing_key": keys.key_id(pem), "public_key": pem}


def pins(session: Session) -> list[Pin]:
    """The keys the ledger pins, in order (as recorded; ``hague verify`` also checks each rotation's signature)."""
    rows = session.execute(select(LedgerEntry.seq, LedgerEntry.details).where(LedgerEntry.action.in_(("init", ROTATE)))
                           .order_by(LedgerEntry.seq))
    return [p for seq, det in rows if (p := pin_of(seq, det)) is not None]


def check_pinned(session: Session, key: Ed25519PrivateKey) -> str:
    """The key's fingerprint, if it is the one the ledger pins now; else :class:`KeyNotPinned`."""
    kid = keys.key_id(keys.public_pem(key))
    pinned = pins(session)
    if not pinned:
        raise KeyNotPinned("the ledger pins no signing key (its init entry names none)")
    if pinned[-1].key_id != kid:
        raise KeyNotPinned(f"the signing key at hand ({kid}) is not the key the ledger pins "
                           f"({pinned[-1].key_id}); the key file was replaced")
    return kid


def rotate(session: Session, old: Ed25519PrivateKey, new: Ed25519PrivateKey, actor: str, reason: str) -> LedgerEntry:
    """Hand the workspace over to ``new``: one ``key.rotate`` entry carrying the old key's signature."""
    old_kid = check_pinned(session, old)
    new_pem = keys.public_pem(new)
    new_kid = register_key(session, new)
    signature = old.sign(keys.rotation_message(old_kid, new_kid, new_pem)).hex()
    return append(session, actor, ROTATE, [], {"from": old_kid, "to": new_kid, "public_key": new_pem,
                                               "signature": signature, "reason": reason})


def sign_head(session: Session, key: Ed25519PrivateKey, witness: Witness | None) -> SignedHead:
    """Sign the ledger's current size and root with the pinned key, unless the latest head already says exactly
    that. The root extends the Merkle frontier stored with the last head by the entries appended since, so a
    head for n + k entries reads k entries and O(log n) hashes, not the whole ledger (``hague verify`` still
    recomputes every root from the chain). A new head is appended to ``witness`` before the transaction
    commits, if the witness log exists or this is the first head (a missing log is not silently restarted:
    ``hague verify`` reports it)."""
    kid = check_pinned(session, key)
    register_key(session, key)
    stored, known = _stored_frontier(session)
    frontier, size = merkle.extend(stored, known, leaf_hashes(session, after=known))
    root_hex = merkle.frontier_root(frontier).hex()
    latest = latest_head(session)
    if latest and latest.tree_size == size and latest.root_hash == root_hex and latest.key_id == kid:
        return latest
    ts = utc_now()
    sig = key.sign(head_message(size, root_hex, ts, kid)).hex()
    session.add(TreeHead(tree_size=size, root_hash=root_hex, timestamp=ts, key_id=kid, signature=sig,
                         frontier=[h.hex() for h in frontier]))
    head = SignedHead(size, root_hex, ts, kid, sig)
    if witness is not None and (latest is None or witness.exists()):
        session.flush()  # the row is valid before the witness hears of it
        witness.append(head.to_json())
    return head


def _stored_frontier(session: Session) -> tuple[list[bytes], int]:
    """The frontier kept with the newest head that has one, if it is that head's signed root: its hashes fold
    to the root the head's signature covers (checked with the key that signed it), so a frontier edited in
    the database is never built on. Otherwise none (size 0): the next head reads every leaf once."""
    row = session.scalars(select(TreeHead).where(TreeHead.frontier.is_not(None))
                          .order_by(TreeHead.id.desc()).limit(1)).first()
    if row is None:
        return [], 0
    try:
        frontier = [bytes.fromhex(h) for h in row.frontier or []]
        folds = len(frontier) == len(merkle.frontier_sizes(row.tree_size)) \
            and merkle.frontier_root(frontier).hex() == row.root_hash
    except (TypeError, ValueError):
        return [], 0
    signer = session.get(SigningKey, row.key_id)
    signed = signer is not None and keys.verify_signature(
        signer.public_key, row.signature, head_message(row.tree_size, row.root_hash, row.timestamp, row.key_id))
    return (frontier, row.tree_size) if folds and signed else ([], 0)


def latest_head(session: Session) -> SignedHead | None:
    row = session.scalars(select(TreeHead).order_by(TreeHead.id.desc()).limit(1)).first()
    return SignedHead.of(row) if row else None


def entries_for(session: Session, sha256: str) -> list[LedgerEntry]:
    q = (select(LedgerEntry).join(LedgerSubject, LedgerSubject.seq == LedgerEntry.seq)
         .where(LedgerSubject.sha256 == sha256).order_by(LedgerEntry.seq))
    return list(session.scalars(q))


def size(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(LedgerEntry)) or 0
