"""Protected persons and their stable pseudonyms in anything shared.

A pseudonym is an HMAC of the person's name under a secret kept in the workspace
(:mod:`hague.evidence.pseudonyms`), so the same person gets the same pseudonym in every package (a
recipient can follow them across packages) while nobody without the secret can test a guessed name
against it. Replacing a
name changes lengths, so every replacement is kept in an :class:`OffsetMap` and evidence
spans are moved onto the redacted text the package ships.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.evidence import ledger
from hague.evidence.pseudonyms import digest, normal, pseudonym
from hague.model import ProtectedPerson
from hague.timestamps import utc_now


@dataclass(frozen=True)
class Person:
    """Someone to redact: how they are named, their pseudonym, and the record of why."""

    name: str
    aliases: tuple[str, ...]
    pseudonym: str
    reason: str
    marked_by: str
    marked_at: str
    basis: str  # "protected" (workspace register) or "--redact" (this package only)


@dataclass
class OffsetMap:
    """Old -> new character offsets after replacements (old start, old end, new start, new end)."""

    spans: list[tuple[int, int, int, int]] = field(default_factory=list)

    def __call__(self, pos: int, end: bool = False) -> int:
        """A span end inside a replaced name moves to the pseudonym's end, a start to its start."""
        i = bisect_right([s[0] for s in self.spans], pos) - 1
        if i < 0:
            return pos
        old_start, old_end, new_start, new_end = self.spans[i]
        if pos < old_end:
            return new_end if end and pos > old_start else new_start
        return pos + (new_end - old_end)


@dataclass
class Redacted:
    text: str
    offsets: OffsetMap
    counts: Counter[str]  # pseudonym -> replacements


class Redactor:
    """Replaces every protected name and alias (whole words, any case and spacing) with its pseudonym."""

    def __init__(self, persons: list[Person]) -> None:
        self.persons = persons
        forms = {}
        for p in persons:
            for form in (p.name, *p.aliases):
                if form.strip():
                    forms[normal(form)] = p.pseudonym
        self._forms = forms
        words = sorted(forms, key=len, reverse=True)
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
                                   + r")(?!\w)", re.IGNORECASE) if words else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def mentions(self, text: str) -> set[str]:
        """Pseudonyms of the persons ``text`` names."""
        if self._pattern is None:
            return set()
        return {self._forms[normal(m.group(0))] for m in self._pattern.finditer(text)}

    def text(self, text: str) -> Redacted:
        out, spans, counts = [], [], Counter[str]()
        if self._pattern is None:
            return Redacted(text, OffsetMap(), counts)
        last, shift = 0, 0
        for m in self._pattern.finditer(text):
            alias = self._forms[normal(m.group(0))]
            out.append(text[last:m.start()])
            new_start = m.start() + shift
            spans.append((m.start(), m.end(), new_start, new_start + len(alias)))
            out.append(alias)
            shift += len(alias) - (m.end() - m.start())
            counts[alias] += 1
            last = m.end()
        out.append(text[last:])
        return Redacted("".join(out), OffsetMap(spans), counts)

    def value(self, value: Any, offsets: OffsetMap | None = None,
              offsets_of: dict[Any, OffsetMap] | None = None) -> Any:
        """Redact every string in a JSON value and move its spans onto redacted text.

        Spans are ``start``/``end``/``quote_start``/``quote_end`` integers and ``evidence`` lists of
        pairs; they move with ``offsets``, or with the map of the document a nested record names
        (``document_id``, ``doc_id`` or ``document`` looked up in ``offsets_of``).
        """
        if isinstance(value, str):
            return self.text(value).text
        if isinstance(value, list):
            return [self.value(v, offsets, offsets_of) for v in value]
        if not isinstance(value, dict):
            return value
        for key in ("document_id", "doc_id", "document"):
            if offsets_of is not None and isinstance(value.get(key), int | str) and value[key] in offsets_of:
                offsets = offsets_of[value[key]]
                break
        out = {}
        for k, v in value.items():
            if offsets is not None and k in ("start", "end", "quote_start", "quote_end") and type(v) is int:
                out[k] = offsets(v, end=k.endswith("end"))
            elif offsets is not None and k == "evidence" and isinstance(v, list) and all(
                    isinstance(p, list | tuple) and len(p) == 2 and all(type(x) is int for x in p) for p in v):
                out[k] = [[offsets(a), offsets(b, end=True)] for a, b in v]
            else:
                out[k] = self.value(v, offsets, offsets_of)
        return out


def persons(session: Session, secret: bytes, extra: Sequence[str] = (), actor: str = "") -> list[Person]:
    """The register of protected persons, plus names to redact in one package only (``--redact``)."""
    out = [Person(r.name, tuple(r.aliases or ()), pseudonym(secret, r.name), r.reason, r.marked_by, r.marked_at,
                  "protected")
           for r in session.scalars(select(ProtectedPerson).order_by(ProtectedPerson.id))]
    known = {normal(f) for p in out for f in (p.name, *p.aliases)}
    now = utc_now()
    for name in extra:
        if normal(name) not in known:
            out.append(Person(name, (), pseudonym(secret, name), "redacted for this package (--redact)", actor,
                              now, "--redact"))
            known.add(normal(name))
    return out


@dataclass(frozen=True)
class Protection:
    pseudonym: str
    created: bool
    aliases: tuple[str, ...]


def protect(session: Session, secret: bytes, name: str, aliases: list[str], reason: str, actor: str) -> Protection:
    """Add a person to the register (or new aliases to one already there); one ledger entry either way.

    The entry records the pseudonym and the reason with the name itself redacted: the ledger travels
    in packages, the name must not.
    """
    name = " ".join(name.split())
    if not name:
        raise ValueError("a protected person needs a name")
    if not reason.strip():
        raise ValueError("say why the person is protected (--reason)")
    alias = pseudonym(secret, name)
    row = session.scalars(select(ProtectedPerson).where(ProtectedPerson.name == name)).first()
    created = row is None
    if row is None:
        row = ProtectedPerson(name=name, aliases=[], reason=reason.strip(), marked_by=actor,
                              marked_at=utc_now())
        session.add(row)
    added = [a for a in dict.fromkeys(" ".join(a.split()) for a in aliases) if a and a not in row.aliases]
    row.aliases = [*row.aliases, *added]
    session.flush()
    redactor = Redactor([Person(name, tuple(row.aliases), alias, "", actor, "", "protected")])
    ledger.append(session, actor, "protect", [], {"pseudonym": alias, "aliases_added": len(added),
                                                  "aliases": [digest(secret, a) for a in added],
                                                  "reason": redactor.text(reason.strip()).text,
                                                  "reason_digest": digest(secret, row.reason),
                                                  "new": created})
    return Protection(alias, created, tuple(row.aliases))
