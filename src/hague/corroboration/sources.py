"""Independent sources of an incident: who actually witnessed or first reported it.

A paragraph copied from another outlet is not a second witness. Each evidence passage
is traced back along reuse links to the document it was first written in; a document that
carries another's passages counts with it; documents syndicated from one wire story (a
shared wire credit, :func:`wire_credit`), and articles of one outlet, stand for one source.
What is left is the list of distinct origins, each with the passages it contributes once.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from hague.datafiles import load_yaml
from hague.reading.fields import Span
from hague.unionfind import UnionFind


class ReuseLike(Protocol):
    """A reused passage (hague.corroboration.reuse.ReuseLink or any record with these fields)."""

    from_doc: str
    to_doc: str
    from_span: Span
    to_span: Span


@dataclass
class SourceGroup:
    """One independent source: an origin document, or a syndicated story / outlet covering several."""

    key: str  # the outlet, or the origin document's id when the outlet is unknown
    outlet: str | None
    documents: list[str]  # documents whose own wording this source contributes
    carried_by: list[str] = field(default_factory=list)  # documents that only repeat it (copied passages)
    passages: list[tuple[str, int, int]] = field(default_factory=list)  # (doc_id, start, end), each once

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "outlet": self.outlet, "documents": self.documents,
                "carried_by": self.carried_by, "passages": [list(p) for p in self.passages]}


@cache
def _wires() -> list[tuple[str, re.Pattern[str]]]:
    table = load_yaml("hague.corroboration", "data/wires.yaml")
    return [(agency, re.compile("|".join(credits), re.M)) for agency, credits in table.items()]


_CREDIT_WINDOW = 400  # a wire credit sits in the outlet name, the dateline or the last lines


_NOT_A_CREDIT = re.compile(r"\b(?:told|to|said|says|reported|according to|by|in|with)\s+(?:the\s+)?$", re.I)


def wire_credit(text: str, outlet: str | None = None) -> str | None:
    """The news agency a document is credited to ("(AP)" in its dateline or outlet name), or None.

    Only the outlet name, the opening and the closing of the text are read, and a name after "told" or
    "according to" is skipped: an agency a story quotes ("... told The Associated Press") is a source of
    one quotation, not the author of the story."""
    places = [outlet or "", text[:_CREDIT_WINDOW], text[-_CREDIT_WINDOW:]]
    for agency, pattern in _wires():
        for place in places:
            if any(not _NOT_A_CREDIT.search(place, max(0, m.start() - 20), m.start())
                   for m in pattern.finditer(place)):
                return agency
    return None


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class LinkIndex:
    """Reuse links indexed once by the document that carries the copied passage (``to_doc``), each with its
    place in the order given.

    Refreshing incidents a batch at a time hands every incident of a batch the same links: indexed once, an
    incident's tracing reads only its own documents' links, and the links among its members are found without
    scanning every link of the batch (at 100,000 documents, re-indexing per incident was half the refresh)."""

    def __init__(self, reuse: Iterable[ReuseLike] = ()) -> None:
        self._into: dict[str, list[tuple[int, ReuseLike]]] = defaultdict(list)
        for n, link in enumerate(reuse):
            self._into[link.to_doc].append((n, link))

    def into(self, doc_id: str) -> Iterator[ReuseLike]:
        """The links into ``doc_id``, in the order given (lazily: tracing stops at the first that covers it)."""
        return (link for _, link in self._into.get(doc_id, ()))

    def among(self, docs: Collection[str]) -> list[ReuseLike]:
        """The links with both ends in ``docs``, in the order given (the order documents join source groups,
        and so which outlet a group without its own shows, follows it)."""
        found = [(n, link) for doc in docs for n, link in self._into.get(doc, ()) if link.from_doc in docs]
        return [link for _, link in sorted(found, key=lambda pair: pair[0])]


def trace_origin(doc_id: str, span: Span, links: LinkIndex) -> tuple[str, Span]:
    """Follow reuse links back from a passage to where it was first written.

    A passage counts as copied when at least half of it lies inside a reused passage of
    its document; chains (A copied by B, B by C) are followed to A.
    """
    seen = {doc_id}
    while True:
        length = max(1, span[1] - span[0])
        link = next((r for r in links.into(doc_id) if _overlap(tuple(r.to_span), span) * 2 >= length), None)
        if link is None or link.from_doc in seen:
            return doc_id, span
        doc_id, span = link.from_doc, tuple(link.from_span)
        seen.add(doc_id)


def _merge_spans(passages: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    merged: list[tuple[str, int, int]] = []
    for doc, s, e in sorted(set(passages)):
        if merged and merged[-1][0] == doc and s <= merged[-1][2]:
            merged[-1] = (doc, merged[-1][1], max(e, merged[-1][2]))
        else:
            merged.append((doc, s, e))
    return merged


def _trace_report(doc_id: str, spans: Sequence[Span], links: LinkIndex) -> list[tuple[str, Span]]:
    """Each passage's origin; a report mostly made of copied passages counts its own wording with its origin.

    Reworded copies keep a few sentences that reuse detection misses; those alone do not
    make the copy a second witness.
    """
    traced = [trace_origin(doc_id, span, links) for span in spans]
    foreign = Counter(origin for origin, _ in traced if origin != doc_id)
    if not foreign or sum(foreign.values()) * 2 <= len(traced):
        return traced
    home = foreign.most_common(1)[0][0]
    return [(home if origin == doc_id else origin, span) for origin, span in traced]


def independent_sources(evidence: Sequence[tuple[str, Sequence[Span]]], links: LinkIndex | None = None,
                        syndication: Sequence[Sequence[str]] = (),
                        outlets: Mapping[str, str | None] | None = None) -> list[SourceGroup]:
    """Group reports' evidence, ``(doc_id, passages)`` per report, into independent sources.

    ``links`` holds the reuse links (those into the members and, along chains, into what they copied are
    enough); ``syndication`` lists groups of documents that are one story (near-duplicates, wire
    copies); ``outlets`` maps document ids to outlets, and one outlet counts once.
    """
    outlets, links = outlets or {}, links or LinkIndex()
    union: UnionFind[str] = UnionFind()
    for group in syndication:
        union.union_all(group)
    # A document that carries another's passages is never a second source for what both report, whichever
    # passages the report's evidence is in: the copy took its account from the other.
    members = {doc for doc, _ in evidence}
    for link in links.among(members):
        union.union_all([link.from_doc, link.to_doc])
    by_outlet: dict[str, list[str]] = {}
    traced = [(doc, origin, span) for doc, spans in evidence
              for origin, span in _trace_report(doc, spans, links)]
    for doc, origin, _ in traced:
        for d in (doc, origin):
            union.find(d)
            if outlets.get(d):
                by_outlet.setdefault(" ".join(str(outlets[d]).lower().split()), []).append(d)
    for docs in by_outlet.values():
        union.union_all(docs)
    groups: dict[str, SourceGroup] = {}
    for doc, origin, span in traced:
        root = union.find(origin)
        outlet = outlets.get(origin) or next((outlets[d] for d in union if union.find(d) == root
                                              and outlets.get(d)), None)
        group = groups.setdefault(root, SourceGroup(key=outlet or root, outlet=outlet, documents=[]))
        if origin not in group.documents:
            group.documents.append(origin)
        if doc != origin and doc not in group.carried_by:
            group.carried_by.append(doc)
        if span[1] > span[0]:
            group.passages.append((origin, *span))
    for group in groups.values():
        group.documents.sort()
        group.carried_by = sorted(d for d in group.carried_by if d not in group.documents)
        group.passages = _merge_spans(group.passages)
    return sorted(groups.values(), key=lambda g: (g.documents[0], g.key))
