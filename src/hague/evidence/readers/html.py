"""HTML pages: the article text and metadata (title, date, site, author) by trafilatura."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from hague.components import Component
from hague.evidence.budget import Budget
from hague.evidence.readers import READERS, Extracted, Reader, ReadError, extracted, read_capped


def read(stream: BinaryIO, budget: Budget) -> Extracted:
    import trafilatura

    data = read_capped(stream, budget, "the HTML")
    if not data.strip():
        raise ReadError("empty file")
    doc = trafilatura.bare_extraction(data, with_metadata=True, favor_precision=True, include_comments=False)
    text = (doc.text if doc is not None else None) or ""
    if not text.strip():
        raise ReadError("HTML has no readable text")
    return extracted(READER, text.strip(), {"title": doc.title, "published": doc.date, "outlet": doc.sitename,
                                           "url": doc.url, "author": doc.author})


def _claims(name: str, head: bytes) -> int:
    if Path(name.lower()).suffix in (".html", ".htm", ".xhtml"):
        return 2
    return 1 if head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")) else 0


READER = Component(READERS.slot, "trafilatura", "1",
                   Reader(("text/html", "application/xhtml+xml"), read, _claims, isolated=True),
                   "HTML pages: article text and metadata by trafilatura")
READERS.add(READER)
