"""Bytes to text: one reader per kind of original (text, HTML, PDF, JSON post, WARC).

A reader either returns the text with whatever metadata the original carries (title,
date, site) or raises :class:`ReadError` with a reason a person can act on; it never
returns half a document.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_TEXT_CHARS = 5_000_000  # text kept for analysis; the original is always preserved whole


class ReadError(Exception):
    """The original cannot be read into text; the message says why."""


@dataclass
class Extracted:
    text: str
    reader: str
    media_type: str
    meta: dict[str, Any] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


_EXT_TYPES = {
    ".txt": "text/plain", ".text": "text/plain", ".md": "text/plain",
    ".html": "text/html", ".htm": "text/html", ".xhtml": "text/html",
    ".pdf": "application/pdf", ".json": "application/json",
    ".warc": "application/warc", ".gz": "application/warc",
}


def sniff(name: str, head: bytes) -> str:
    """Media type from the first bytes, then the file name (content wins: a PDF named .txt is a PDF)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"WARC/"):
        return "application/warc"
    if head.startswith(b"\x1f\x8b") and name.lower().endswith((".warc.gz", ".gz")):
        return "application/warc"
    lower = name.lower()
    suffix = Path(lower).suffix
    if suffix in _EXT_TYPES and suffix != ".gz":
        return _EXT_TYPES[suffix]
    start = head.lstrip()[:15].lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return "text/plain"


def read_path(path: Path, media_type: str) -> Extracted:
    reader = _READERS.get(media_type)
    if reader is None:
        raise ReadError(f"no reader for media type {media_type}")
    return reader(path.read_bytes())


def _clip(ex: Extracted) -> Extracted:
    if len(ex.text) > MAX_TEXT_CHARS:
        ex.text = ex.text[:MAX_TEXT_CHARS]
        ex.notices.append(f"text kept for analysis cut at {MAX_TEXT_CHARS:,} characters; original preserved whole")
    return ex


def decode_text(data: bytes) -> tuple[str, str | None]:
    """UTF-8 if valid, else the detected encoding; (text, encoding used when not UTF-8)."""
    if not data:
        raise ReadError("empty file")
    head = data[:8192]
    if b"\x00" in head or _control_ratio(head) > 0.05:
        raise ReadError("binary data, not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches or matches[0].chaos > 0.25:
        raise ReadError("not valid UTF-8 and no text encoding could be detected")
    # Several single-byte encodings often decode equally well; prefer the ones common on the web.
    tied = [m for m in matches if m.chaos <= matches[0].chaos + 0.01 and m.coherence >= matches[0].coherence - 0.01]
    best = min(tied, key=lambda m: _PREFERRED.index(m.encoding) if m.encoding in _PREFERRED else len(_PREFERRED))
    return str(best), best.encoding


_PREFERRED = ["cp1252", "iso8859_1", "cp1251", "koi8_r", "koi8_u", "iso8859_15", "cp1250", "iso8859_2"]


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(data)


def read_text(data: bytes) -> Extracted:
    text, encoding = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError("no text (only whitespace)")
    ex = Extracted(text, "text", "text/plain")
    if encoding:
        ex.meta["encoding"] = encoding
        ex.notices.append(f"not valid UTF-8: decoded as {encoding}")
    return _clip(ex)


def read_html(data: bytes) -> Extracted:
    import trafilatura

    if not data.strip():
        raise ReadError("empty file")
    doc = trafilatura.bare_extraction(data, with_metadata=True, favor_precision=True, include_comments=False)
    text = (doc.text if doc is not None else None) or ""
    if not text.strip():
        raise ReadError("HTML has no readable text")
    meta = {"title": doc.title, "published": doc.date, "outlet": doc.sitename, "url": doc.url,
            "author": doc.author}
    return _clip(Extracted(text.strip(), "trafilatura", "text/html", {k: v for k, v in meta.items() if v}))


_HYPHEN_WRAP = re.compile(r"(\w)-\n(\w)")
_SOFT_WRAP = re.compile(r"(?<![.!?:\"'\u201d])\n(?=[a-z(\"'\u201c])")


def read_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for broken files
        raise ReadError(f"PDF could not be parsed: {exc}") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise ReadError("PDF has no extractable text (scanned images need OCR, which Hague does not do)")
    # Undo hard line wraps so paragraphs and sentences are whole again.
    text = _SOFT_WRAP.sub(" ", _HYPHEN_WRAP.sub(r"\1\2", text))
    meta: dict[str, Any] = {}
    info = reader.metadata
    if info and info.title:
        meta["title"] = str(info.title)
    return _clip(Extracted(text, "pypdf", "application/pdf", meta))


_TEXT_KEYS = ("full_text", "text", "content", "body", "message", "caption", "description")
_DATE_KEYS = ("published", "created_at", "date", "timestamp", "time")


def _find_key(obj: Any, keys: tuple[str, ...], depth: int = 0) -> str | None:
    if depth > 6:
        return None
    if isinstance(obj, dict):
        for k in keys:
            v = obj.get(k)
            if isinstance(v, str) and v.strip():
                return v
        for v in obj.values():
            found = _find_key(v, keys, depth + 1)
            if found:
                return found
    elif isinstance(obj, list):
        for v in obj:
            found = _find_key(v, keys, depth + 1)
            if found:
                return found
    return None


def read_json(data: bytes) -> Extracted:
    raw, _ = decode_text(data)
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ReadError(f"invalid JSON: {exc}") from None
    text = _find_key(obj, _TEXT_KEYS)
    if not text:
        raise ReadError(f"JSON post has no text field (looked for {', '.join(_TEXT_KEYS)})")
    meta = {"published": _find_key(obj, _DATE_KEYS), "url": _find_key(obj, ("url", "link", "permalink")),
            "outlet": _find_key(obj, ("screen_name", "username", "author", "user"))}
    return _clip(Extracted(text.strip(), "json-post", "application/json", {k: v for k, v in meta.items() if v}))


def read_warc(data: bytes) -> Extracted:
    from warcio.archiveiterator import ArchiveIterator

    stream = io.BytesIO(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            if record.http_headers.get_statuscode() != "200":
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
            body = record.content_stream().read()
            inner = {"text/html": read_html, "application/xhtml+xml": read_html, "application/pdf": read_pdf,
                     "text/plain": read_text, "application/json": read_json}.get(ctype, read_html)
            ex = inner(body)
            ex.meta.setdefault("url", record.rec_headers.get_header("WARC-Target-URI"))
            ex.meta["warc_date"] = record.rec_headers.get_header("WARC-Date")
            ex.reader = f"warc+{ex.reader}"
            ex.media_type = "application/warc"
            return ex
    except ReadError:
        raise
    except Exception as exc:  # warcio raises generic errors on broken archives
        raise ReadError(f"WARC could not be parsed: {exc}") from None
    raise ReadError("WARC holds no successful HTTP response to read")


_READERS: dict[str, Callable[[bytes], Extracted]] = {
    "text/plain": read_text, "text/html": read_html, "application/pdf": read_pdf,
    "application/json": read_json, "application/warc": read_warc,
}
