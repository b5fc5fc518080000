"""Inclusion and consistency proofs against the workspace's signed tree heads, as JSON a recipient can check."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.errors import Refused
from hague.evidence import keys, ledger, merkle
from hague.model import LedgerEntry, SigningKey, TreeHead


class ProofError(Refused):
    """No proof can be made; the message says why."""


def _head(session: Session) -> TreeHead:
    head = session.scalars(select(TreeHead).order_by(TreeHead.id.desc()).limit(1)).first()
    if head is None:
        raise ProofError("the ledger has no signed tree head yet")
    return head


def _head_json(session: Session, head: TreeHead) -> dict[str, Any]:
    key = session.get(SigningKey, head.key_id)
    return {**ledger.SignedHead.of(head).to_json(), "public_key": key.public_key if key else None}


def inclusion(session: Session, sha256: str) -> dict[str, Any]:
    """Proof that the item's capture entry is leaf ``seq - 1`` of the tree the latest signed head commits to."""
    entries = ledger.entries_for(session, sha256)
    capture = next((e for e in entries if e.action == "capture"), entries[0] if entries else None)
    if capture is None:
        raise ProofError(f"item {sha256} is not named by any ledger entry")
    head = _head(session)
    if capture.seq > head.tree_size:
        raise ProofError(f"entry {capture.seq} is newer than the latest signed head; run any command to sign")
    leaves = ledger.leaf_hashes(session, upto=head.tree_size)
    path = merkle.inclusion_proof(capture.seq - 1, leaves)
    return {
        "item": sha256,
        "entry": _entry_json(capture),
        "leaf_index": capture.seq - 1,
        "leaf_hash": capture.entry_hash,
        "tree_size": head.tree_size,
        "audit_path": [h.hex() for h in path],
        "tree_head": _head_json(session, head),
        "hashing": "RFC 6962: leaf = SHA-256(0x00 || canonical entry JSON), node = SHA-256(0x01 || left || right)",
    }


def consistency(session: Session, old_size: int) -> dict[str, Any]:
    head = _head(session)
    if not 0 < old_size <= head.tree_size:
        raise ProofError(f"old size must be between 1 and the signed size {head.tree_size}")
    leaves = ledger.leaf_hashes(session, upto=head.tree_size)
    old_head = session.scalars(select(TreeHead).where(TreeHead.tree_size == old_size)
                               .order_by(TreeHead.id).limit(1)).first()
    return {
        "old_size": old_size,
        "old_root": merkle.root(leaves[:old_size]).hex(),
        "old_tree_head": _head_json(session, old_head) if old_head else None,
        "new_size": head.tree_size,
        "new_root": head.root_hash,
        "proof": [h.hex() for h in merkle.consistency_proof(old_size, leaves)],
        "tree_head": _head_json(session, head),
    }


def _entry_json(e: LedgerEntry) -> dict[str, Any]:
    return {"seq": e.seq, "time": e.time, "actor": e.actor, "action": e.action, "subjects": e.subjects,
            "details": e.details, "prev_hash": e.prev_hash, "entry_hash": e.entry_hash}


def check_inclusion(proof: dict[str, Any]) -> bool:
    """Recompute a proof from its own JSON (what a recipient does): entry hash, head signature, path, root."""
    e = proof["entry"]
    payload = ledger.entry_payload(e["seq"], e["time"], e["actor"], e["action"], e["subjects"], e["details"],
                                   e["prev_hash"])
    leaf = merkle.leaf_hash(payload)
    head = proof["tree_head"]
    if leaf.hex() != proof["leaf_hash"] or head["tree_size"] != proof["tree_size"]:
        return False
    message = ledger.head_message(head["tree_size"], head["root_hash"], head["timestamp"], head["key_id"])
    if not head.get("public_key") or not keys.verify_signature(head["public_key"], head["signature"], message):
        return False
    return merkle.verify_inclusion(leaf, proof["leaf_index"], proof["tree_size"],
                                   [bytes.fromhex(h) for h in proof["audit_path"]],
                                   bytes.fromhex(proof["tree_head"]["root_hash"]))
