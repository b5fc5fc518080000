"""The witness log: every signed tree head, also appended to a file outside the database.

Someone who can edit the database can delete the newest ledger entries together with their tree heads,
or rewrite the whole ledger and sign it with a key of their own; the database alone cannot show either.
The witness log can: ``hague verify`` checks that every head it holds is signed by the key the ledger pins
and that the ledger still has that size and root. It is one JSON line per head, appended (``O_APPEND``,
fsynced) under the workspace write lock before the head's transaction commits, so a crash leaves at most
a witnessed head the database lacks, never the reverse. By default it sits in the workspace; pointing
``HAGUE_WITNESS`` at storage the database's users cannot rewrite (another machine, an append-only mount)
makes it a real second witness.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEAD_KEYS = ("tree_size", "root_hash", "timestamp", "key_id", "signature")


@dataclass(frozen=True)
class WitnessLine:
    number: int
    head: dict[str, Any] | None  # None: the line is not a signed head (altered)


class Witness:
    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.exists()

    def append(self, head: dict[str, Any]) -> None:
        """Add one signed head as a line, durably."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({k: head[k] for k in HEAD_KEYS}, sort_keys=True, separators=(",", ":")) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)

    def lines(self) -> list[WitnessLine]:
        out = []
        with self.path.open("rb") as f:
            for n, raw in enumerate(f, 1):
                try:
                    data = json.loads(raw)
                    head = {k: data[k] for k in HEAD_KEYS} if isinstance(data, dict) else None
                    if head is not None and not isinstance(head["tree_size"], int):
                        head = None
                except (ValueError, KeyError):
                    head = None
                out.append(WitnessLine(n, head))
        return out

    def last(self) -> dict[str, Any] | None:
        heads = [ln.head for ln in self.lines() if ln.head] if self.exists() else []
        return heads[-1] if heads else None
