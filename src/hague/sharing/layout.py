"""Where things sit inside a package bag, and which files the export ledger entry commits to.

The export entry is appended, then the tree head is signed, then proofs are made against that head
(so the package's own export entry is provable). The entry therefore commits to every file that does
not depend on the head (originals, texts, findings, item list, redaction log) through one digest of
their manifest lines; the custody files and the index, which show the head, cannot be inside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

DATA = "data/"
ORIGINALS = "data/originals/"
TEXTS = "data/texts/"
FINDINGS = "data/findings/"
ITEMS = "data/items.json"
REDACTION_LOG = "data/redaction-log.json"
INDEX = "data/index.html"
CUSTODY = "data/custody/"
LEDGER = "data/custody/ledger.jsonl"
TREE_HEAD = "data/custody/tree-head.json"
PUBLIC_KEY = "data/custody/public-key.pem"
PROOFS = "data/custody/proofs.json"
EXPORT_ACTION = "export"


def is_content(path: str) -> bool:
    return path.startswith(DATA) and not path.startswith(CUSTODY) and path != INDEX


def contents_digest(hashes: Mapping[str, str]) -> str:
    """SHA-256 over the manifest lines ("sha256  path") of the content files, sorted by path."""
    lines = "".join(f"{hashes[p]}  {p}\n" for p in sorted(hashes) if is_content(p))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()
