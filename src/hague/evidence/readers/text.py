"""Plain text (also the reader of last resort): decoded, line endings normalised."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from hague.components import Component
from hague.evidence.budget import Budget
from hague.evidence.readers import MAX_TEXT_CHARS, READERS, Extracted, Reader, ReadError, extracted
from hague.evidence.readers._decode import decode_text

# Bytes read at most: enough for the text kept for analysis in any encoding (UTF-32: 4 bytes a character).
_MOST_BYTES = 4 * MAX_TEXT_CHARS + 4


def read(stream: BinaryIO, budget: Budget) -> Extracted:
    data = stream.read(min(_MOST_BYTES, budget.expanded) + 1)
    whole = len(data) <= min(_MOST_BYTES, budget.expanded)
    text, encoding = decode_text(data if whole else data[:-1], complete=whole)
    budget.check()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError("no text (only whitespace)")
    ex = extracted(READER, text)
    if encoding:
        ex.meta["encoding"] = encoding
        ex.notices.append(f"decoded as {encoding} (byte-order mark)" if encoding in ("UTF-16", "UTF-32")
                          else f"not valid UTF-8: decoded as {encoding}")
    if not whole:
        ex.notices.append(f"text read from the first {len(data) - 1:,} bytes; original preserved whole")
    return ex


def _claims(name: str, head: bytes) -> int:
    return 2 if Path(name.lower()).suffix in (".txt", ".text", ".md") else 0


READER = Component(READERS.slot, "text", "1", Reader(("text/plain",), read, _claims),
                   "plain text (also the reader of last resort): decoded, line endings normalised")
READERS.add(READER)
