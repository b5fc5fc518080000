"""One way to turn what a person types into the record they mean: documents, items, incidents, sources.

A reference never silently picks one of several matches: an exact match wins, and a prefix that fits more
than one record raises :class:`~hague.errors.AmbiguousReference` listing the candidates, so a reviewer's
evidence link cannot name the wrong item. Every front end (CLI, web, API) and every service resolves here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hague.errors import AmbiguousReference, InvalidInput, NotFound
from hague.model import Document, IncidentRow, Item, Source

MIN_SHA_PREFIX = 8  # hex digits of a SHA-256 accepted as a reference
CANDIDATES = 50  # candidates fetched for an ambiguity message (enough to show the choice, never a whole table)
_HEX = re.compile(r"^[0-9a-f]+$")
T = TypeVar("T")


def _sha_prefix(ref: str) -> str | None:
    """``ref`` lowered when it can be a SHA-256 prefix (8 to 64 hex digits), else None."""
    low = ref.strip().lower()
    return low if MIN_SHA_PREFIX <= len(low) <= 64 and _HEX.match(low) else None


def _one(what: str, ref: str, found: list[T], name: Callable[[T], str]) -> T | None:
    """The one record found, None for none; several are refused with their names as candidates."""
    if len(found) > 1:
        raise AmbiguousReference(what, ref, [name(x) for x in found])
    return found[0] if found else None


def item(session: Session, ref: str) -> Item:
    """The item whose SHA-256 is ``ref`` or starts with it (at least 8 hex digits)."""
    prefix = _sha_prefix(ref)
    if prefix is None:
        raise InvalidInput(f"{ref!r} is not a SHA-256 or a prefix of {MIN_SHA_PREFIX}+ hex digits")
    found = list(session.scalars(select(Item).where(Item.sha256.startswith(prefix)).order_by(Item.sha256)
                                 .limit(CANDIDATES)))
    one = _one("item", ref, found, lambda i: i.sha256)
    if one is None:
        raise NotFound("item", ref, "see `hague items`")
    return one


def document(session: Session, ref: str) -> Document:
    """A document by its sidecar id (exact), its database id, or 8+ hex digits of its item's SHA-256."""
    ref = ref.strip()
    by_key = list(session.scalars(select(Document).where(Document.external_id == ref).order_by(Document.id)
                                  .limit(CANDIDATES)))
    if (one := _one("document", ref, by_key, lambda d: f"{d.id} ({d.item_sha256[:16]})")) is not None:
        return one
    if ref.isdigit() and (doc := session.get(Document, int(ref))) is not None:
        return doc
    prefix = _sha_prefix(ref)
    if prefix is not None:
        found = list(session.scalars(select(Document).where(Document.item_sha256.startswith(prefix))
                                     .order_by(Document.item_sha256).limit(CANDIDATES)))
        if (one := _one("document", ref, found, lambda d: d.item_sha256)) is not None:
            return one
    raise NotFound("document", ref, f"give a sidecar id, a document id, or {MIN_SHA_PREFIX}+ digits of its SHA-256")


def incident(session: Session, ref: str) -> IncidentRow:
    """An incident by its id, or by the start of it when only one incident id starts so."""
    ref = ref.strip()
    if ref and (row := session.get(IncidentRow, ref)) is not None:
        return row
    if ref:
        found = list(session.scalars(select(IncidentRow).where(IncidentRow.id.startswith(ref, autoescape=True))
                                     .order_by(IncidentRow.id).limit(CANDIDATES)))
        if (one := _one("incident", ref, found, lambda r: r.id)) is not None:
            return one
    raise NotFound("incident", ref, "see `hague incidents`")


def source(session: Session, name: str) -> Source:
    """A source (outlet) by its exact name, else by the one name equal to it ignoring letter case."""
    row = session.scalars(select(Source).where(Source.name == name)).first()
    if row is not None:
        return row
    found = list(session.scalars(select(Source).where(func.lower(Source.name) == name.strip().lower())
                                 .order_by(Source.name).limit(CANDIDATES)))
    if (one := _one("source", name, found, lambda s: s.name)) is not None:
        return one
    raise NotFound("source", name, "see `hague source list`")
