"""Bytes to text. Readers are named components (:mod:`hague.components`, slot ``reader``): one module per
kind of original in this package, each registering ``READER`` with a name and a version (recorded in the
capture entry of every document it reads). The modules are found by themselves, so a new input format is
one new module.

The slot's contract (:class:`Reader`): the media types it reads; ``claims(file name, first bytes)``, how
sure it is the format is its own; and ``read(stream, budget) -> Extracted``, the whole text with whatever
metadata the original carries, or :class:`ReadError` with a reason a person can act on
(:class:`~hague.evidence.budget.OverBudget` when the original would cost more than its budget: it stays
preserved, unread). A reader never returns half a document. Readers whose parsing is third-party code run
in a child process held to the budget (:func:`~hague.evidence.budget.isolated`).
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from hague.components import Component, Registry
from hague.evidence.budget import Budget, isolated

MAX_TEXT_CHARS = 5_000_000  # text kept for analysis; the original is always preserved whole
FALLBACK = "text/plain"  # what an original no reader recognises is read as


class ReadError(Exception):
    """The original cannot be read into text; the message says why."""


@dataclass
class Extracted:
    text: str
    reader: str  # the reader's name; a reader that hands over to another joins names: "warc+trafilatura"
    media_type: str
    meta: dict[str, Any] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    components: dict[str, str] = field(default_factory=dict)  # every reader that took part: {slot.name: version}


def _never(name: str, head: bytes) -> int:
    return 0


@dataclass(frozen=True)
class Reader:
    """One kind of original. ``claims(file name, first bytes)`` scores how sure it is the format is its own:
    3 the content proves it (a magic number), 2 the file name says so, 1 the content suggests it, 0 no."""

    media_types: tuple[str, ...]  # the first is recorded as the item's media type
    read: Callable[[BinaryIO, Budget], Extracted]
    claims: Callable[[str, bytes], int] = _never
    isolated: bool = False  # third-party parsing: run in a child process held to the budget


READERS: Registry[Reader] = Registry("reader", "text")


def extracted(reader: Component[Reader], text: str, meta: dict[str, Any] | None = None) -> Extracted:
    """A result of ``reader``, its name and version recorded."""
    return Extracted(text, reader.name, reader.implementation.media_types[0],
                     {k: v for k, v in (meta or {}).items() if v}, components={reader.key: reader.version})


@cache
def registry() -> Registry[Reader]:
    """The reader slot, once every module of this package (helpers start with ``_``) has registered its reader."""
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")):
        importlib.import_module(f"{__name__}.{module}")
    return READERS


def for_media_type(media_type: str) -> Component[Reader] | None:
    return next((r for r in registry() if media_type in r.implementation.media_types), None)


def sniff(name: str, head: bytes) -> str:
    """Media type from the first bytes and the file name: content wins (a PDF named .txt is a PDF)."""
    score, reader = max(((r.implementation.claims(name, head), r) for r in registry()), key=lambda x: x[0])
    return reader.implementation.media_types[0] if score > 0 else FALLBACK


def read_path(path: Path, media_type: str, budget: Budget, data: bytes | None = None) -> Extracted:
    """Read a staged original with the reader of its media type, held to ``budget``. ``data``, when given, is
    the staged file's bytes (kept by whoever just wrote them), read from memory by a reader in this process."""
    reader = for_media_type(media_type)
    if reader is None:
        raise ReadError(f"no reader for media type {media_type}")
    if reader.implementation.isolated:
        return clip(isolated(_read_file, reader.name, path, budget=budget))
    if data is not None:
        return clip(reader.implementation.read(io.BytesIO(data), budget))
    return clip(_read_file(reader.name, path, budget))


def _read_file(name: str, path: Path, budget: Budget) -> Extracted:
    with path.open("rb") as f:
        return registry().get(name).implementation.read(f, budget)


def clip(ex: Extracted) -> Extracted:
    if len(ex.text) > MAX_TEXT_CHARS:
        ex.text = ex.text[:MAX_TEXT_CHARS]
        ex.notices.append(f"text kept for analysis cut at {MAX_TEXT_CHARS:,} characters; original preserved whole")
    return ex


def read_capped(stream: BinaryIO, budget: Budget, what: str) -> bytes:
    """All of ``stream``, refused (:class:`OverBudget`) once it grows past what any stream may expand to."""
    data = stream.read(budget.expanded + 1)
    budget.cap(len(data), what)
    return data
