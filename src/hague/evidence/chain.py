"""The custody ledger's formats, apart from the database: the exact bytes an entry's hash and a tree head's
signature cover, the signed head, and the key pins ``init`` and ``key.rotate`` entries make.

Kept out of :mod:`hague.evidence.ledger` (which reads and writes the ledger through SQLAlchemy) so that what
only checks bytes (``hague verify``, ``hague package verify``, a recipient's proof check) starts without the
ORM: on 10,000 small originals most of a verify was importing it.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hague import canonical as canonical_json
from hague.vocab import Action

if TYPE_CHECKING:
    from hague.model import TreeHead

GENESIS = "0" * 64
ROTATE = Action.KEY_ROTATE


def canonical(obj: Any) -> bytes:
    return canonical_json.encode(obj).encode()


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


def stored_payload(seq: Any, time: Any, actor: Any, action: Any, subjects: Any, details: Any,
                   prev_hash: Any) -> bytes | None:
    """:func:`entry_payload`'s bytes put together from an entry's columns as stored, its JSON columns as their
    text, not decoded: the same bytes when that text is canonical, as the ledger stores it
    (:class:`hague.model.CanonicalJSON`). None when a column is of a type the entry's format never holds there.

    Equal bytes prove the entry unchanged only if each JSON text is one JSON value and nothing more (else part
    of ``details`` could pass for ``prev_hash`` and ``seq``): the caller decodes both to be sure.
    """
    if type(seq) is not int or type(subjects) is not str or type(details) is not str:
        return None
    s = canonical_json.string
    try:
        return (f'{{"action":{s(action)},"actor":{s(actor)},"details":{details},"prev_hash":{s(prev_hash)},'
                f'"seq":{seq},"subjects":{subjects},"time":{s(time)}}}').encode()
    except (TypeError, UnicodeEncodeError):  # a column that is not text, or text no entry was written with
        return None


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


@dataclass(frozen=True)
class Pin:
    """From entry ``seq`` on, heads are signed by ``key_id``."""

    seq: int
    key_id: str
    public_key: str


def pin_of(seq: int, details: Any) -> Pin | None:
    """The pin an ``init`` or ``key.rotate`` entry's details make, or None if they make none."""
    if not isinstance(details, dict):
        return None
    kid, pem = details.get("signing_key", details.get("to")), details.get("public_key")
    return Pin(seq, kid, pem) if isinstance(kid, str) and isinstance(pem, str) else None
