"""Web archives (WARC, plain or gzipped): the first successful HTTP response, read by the reader of its type.

The archive is streamed, never inflated whole: a gzipped WARC is decompressed as it is read, the deadline
is checked on every read, and the response body (after its own content encoding) is capped, so neither a
``.warc.gz`` bomb nor a gzip-bomb body gets further than the budget.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import BinaryIO

from hague.components import Component
from hague.evidence import readers
from hague.evidence.budget import Budget, OverBudget
from hague.evidence.readers import READERS, Extracted, Reader, ReadError


class _Timed(io.RawIOBase):
    """A stream whose every read first checks the deadline (warcio reads in small blocks)."""

    def __init__(self, inner: BinaryIO, budget: Budget) -> None:
        self.inner, self.budget = inner, budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        self.budget.check()
        data = self.inner.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def read(stream: BinaryIO, budget: Budget) -> Extracted:
    from warcio.archiveiterator import ArchiveIterator

    head = stream.read(2)
    stream.seek(0)
    source: BinaryIO = gzip.GzipFile(fileobj=stream) if head == b"\x1f\x8b" else stream  # type: ignore[assignment]
    try:
        for record in ArchiveIterator(io.BufferedReader(_Timed(source, budget))):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            if record.http_headers.get_statuscode() != "200":
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
            body = readers.read_capped(record.content_stream(), budget, "the archived response body")
            inner = readers.for_media_type(ctype) or readers.READERS.get("trafilatura")
            ex = inner.implementation.read(io.BytesIO(body), budget)
            ex.meta.setdefault("url", record.rec_headers.get_header("WARC-Target-URI"))
            ex.meta["warc_date"] = record.rec_headers.get_header("WARC-Date")
            ex.reader = f"{READER.name}+{ex.reader}"
            ex.media_type = READER.implementation.media_types[0]
            ex.components = {READER.key: READER.version, **ex.components}
            return ex
    except (ReadError, OverBudget):
        raise
    except Exception as exc:  # warcio and gzip raise generic errors on broken archives
        raise ReadError(f"WARC could not be parsed: {exc}") from None
    raise ReadError("WARC holds no successful HTTP response to read")


def _claims(name: str, head: bytes) -> int:
    lower = name.lower()
    if head.startswith(b"WARC/") or (head.startswith(b"\x1f\x8b") and lower.endswith((".warc.gz", ".gz"))):
        return 3
    return 2 if Path(lower).suffix == ".warc" else 0


READER = Component(READERS.slot, "warc", "1", Reader(("application/warc",), read, _claims, isolated=True),
                   "web archives: the first successful response, read by the reader of its type")
READERS.add(READER)
