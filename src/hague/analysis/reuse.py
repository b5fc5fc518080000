"""Reuse for new documents only: which passages the new documents copy, and which older documents now have
an earlier origin among the new ones.

A passage is linked to the earliest of the first ``earliest`` holders of its fingerprints that matches it
(:mod:`hague.corroboration.reuse`), so a new document changes the links of (a) itself and (b) any document
published after it that holds a fingerprint of which it is now one of the first holders (an archive article
added late is the origin of copies already in the workspace). Both are the *targets* of this step; their
incoming links are recomputed with :class:`~hague.corroboration.reuse.ReuseFocus`, over the targets and the
early holders the persistent index names. Nothing else is read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hague.analysis.index import Lookup, ReuseIndex, postings
from hague.corroboration.fingerprints import Fingerprints
from hague.corroboration.reuse import ReuseDoc, ReuseFocus, ReuseLink, ReuseParams, find_reuse, fingerprints_of
from hague.findings import DocInfo, doc_key, parse_day
from hague.model import Document
from hague.workspace import Workspace

TimeKey = tuple[bool, date, int]


@dataclass
class ReuseChange:
    """What one step found: links into ``targets`` (document ids), replacing those stored, and the new
    documents' postings for the index."""

    targets: set[int]
    links: list[ReuseLink]
    postings: np.ndarray
    new_ids: list[int]
    docs: dict[str, DocInfo] = field(default_factory=dict)  # every document the links name, by key


def _time_key(published: date | None, doc_id: int) -> TimeKey:
    return (published is None, published or date.max, doc_id)


def _reuse_doc(d: DocInfo) -> ReuseDoc:
    return ReuseDoc(d.key, d.text, d.published, d.id)


def load_doc_infos(session: Session, ids: Iterable[int]) -> list[DocInfo]:
    ids = sorted(set(ids))
    out: list[DocInfo] = []
    for i in range(0, len(ids), 500):
        rows = session.execute(select(Document.id, Document.external_id, Document.text, Document.published,
                                      Document.title, Document.outlet, Document.item_sha256)
                               .where(Document.id.in_(ids[i:i + 500])).order_by(Document.id))
        out += [DocInfo(r.id, doc_key(r), r.text, parse_day(r.published), r.title, r.outlet, r.item_sha256)
                for r in rows]
    return out


def loader(ws: Workspace) -> Callable[[Iterable[int]], list[DocInfo]]:
    """:func:`load_doc_infos` in a read session of its own per call: what placing and refreshing incidents take
    (they read documents between their own transactions)."""
    def load(ids: Iterable[int]) -> list[DocInfo]:
        with ws.read() as s:
            return load_doc_infos(s, ids)

    return load


def _time_keys(session: Session, ids: Iterable[int]) -> dict[int, TimeKey]:
    ids = sorted(set(ids))
    out: dict[int, TimeKey] = {}
    for i in range(0, len(ids), 1000):
        for doc_id, published in session.execute(select(Document.id, Document.published)
                                                  .where(Document.id.in_(ids[i:i + 1000]))):
            out[doc_id] = _time_key(parse_day(published), doc_id)
    return out


@dataclass
class _Holders:
    """For each looked-up fingerprint held by few enough documents: its first ``earliest`` holders in time."""

    early: dict[int, list[int]]  # fingerprint (as int) -> document ids, earliest first
    stock: set[int]


class _Ranks:
    """Documents numbered in time order (:data:`TimeKey`), so that holders are compared as integers in arrays."""

    def __init__(self, keys: dict[int, TimeKey]) -> None:
        self.ids = np.array(sorted(keys), dtype=np.int64)
        self.by_id = np.empty(len(self.ids), dtype=np.int64)
        self.by_id[np.searchsorted(self.ids, sorted(keys, key=keys.__getitem__))] = np.arange(len(self.ids))

    def of(self, docs: np.ndarray) -> np.ndarray:
        return self.by_id[np.searchsorted(self.ids, docs)]


def _first_holders(look: Lookup, ranks: _Ranks, earliest: int) -> tuple[np.ndarray, np.ndarray]:
    """The lookup's (fingerprint index, holder) pairs cut to each fingerprint's first ``earliest`` holders in
    time, ordered by fingerprint, then time.

    In arrays: at 100,000 generated documents a step's lookup holds tens of millions of pairs, and grouping them
    as Python lists (the first way) grew the run by more than a gigabyte.
    """
    rank = ranks.of(look.doc)
    order = np.lexsort((rank, look.hash_index))
    which = look.hash_index[order]
    start = np.flatnonzero(np.r_[True, which[1:] != which[:-1]]) if len(which) else np.empty(0, np.int64)
    place = np.arange(len(which)) - np.repeat(start, np.diff(np.r_[start, len(which)]))
    keep = order[place < earliest]
    return look.hash_index[keep], look.doc[keep]


def _holders(look: Lookup, max_df: int, first: tuple[np.ndarray, np.ndarray]) -> _Holders:
    """``first``: :func:`_first_holders` of ``look``."""
    which, docs = first
    early: dict[int, list[int]] = defaultdict(list)
    for h, d in zip(look.hashes[which].tolist(), docs.tolist(), strict=True):
        early[h].append(d)
    stock = {int(h) for h in look.hashes[look.df > max_df].tolist()}
    return _Holders(dict(early), stock)


def _later_holders(look: Lookup, ranks: _Ranks, first: tuple[np.ndarray, np.ndarray], new: np.ndarray) -> set[int]:
    """Documents not in ``new`` that hold a fingerprint of which a new document is among the first holders
    (``first``: :func:`_first_holders` of ``look``), and were published after the earliest such new document:
    their reuse may now have an earlier origin."""
    which, docs = first
    is_new = np.isin(docs, new)
    first_new = np.full(len(look.hashes), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_new, which[is_new], ranks.of(docs[is_new]))
    later = ~np.isin(look.doc, new) & (ranks.of(look.doc) > first_new[look.hash_index])
    return set(np.unique(look.doc[later]).tolist())


Prints = Callable[[list[DocInfo]], dict[int, Fingerprints]]


def find_changes(session: Session, index: ReuseIndex, new: list[DocInfo], params: ReuseParams,
                 load: Callable[[Iterable[int]], list[DocInfo]] | None = None, prints_of: Prints | None = None
                 ) -> ReuseChange:
    """Reuse into the new documents and into the documents they are now an earlier origin of; the new
    documents' postings are counted in ``index`` from here on (and returned, for the caller to store)."""
    load = load or (lambda ids: load_doc_infos(session, ids))
    prints_of = prints_of or (lambda docs: _prints(docs, params))
    total = session.scalar(select(func.count()).select_from(Document)) or 0
    max_df = max(params.max_df_floor, int(params.max_df_share * total))
    new_ids = {d.id for d in new}
    prints = prints_of(new)
    pending = postings([prints[d.id] for d in new], [d.id for d in new])
    index.include(pending)
    targets: dict[int, DocInfo] = {d.id: d for d in new}
    look = index.lookup(_distinct(prints.values()), max_df)
    keys = _time_keys(session, set(np.unique(look.doc).tolist()) | new_ids)
    ranks = _Ranks(keys)
    first = _first_holders(look, ranks, params.earliest)
    held = _holders(look, max_df, first)
    # Every later holder of a fingerprint whose first holders now include a new document.
    touched = _later_holders(look, ranks, first, np.array(sorted(new_ids), dtype=np.int64))
    if touched:
        more = load(touched)
        more_prints = prints_of(more)
        prints.update(more_prints)
        targets.update({d.id: d for d in more})
        look2 = index.lookup(_distinct(more_prints.values()), max_df)
        keys.update(_time_keys(session, set(np.unique(look2.doc).tolist()) - set(keys)))
        held2 = _holders(look2, max_df, _first_holders(look2, _Ranks(keys), params.earliest))
        held.early.update(held2.early)
        held.stock |= held2.stock
    holds: dict[int, list[int]] = defaultdict(list)
    for h, holders in held.early.items():
        for d in holders:
            if d not in targets:
                holds[d].append(h)
    others = load(holds) if holds else []
    everyone = list(targets.values()) + others
    focus = ReuseFocus(frozenset(d.key for d in targets.values()),
                       {d.key: np.array(sorted(holds[d.id]), dtype=np.uint64) for d in others},
                       np.array(sorted(held.stock), dtype=np.uint64))
    links = find_reuse([_reuse_doc(d) for d in everyone], params, focus=focus) if len(everyone) > 1 else []
    return ReuseChange(set(targets), links, pending, sorted(new_ids), {d.key: d for d in everyone})


def _prints(docs: list[DocInfo], params: ReuseParams) -> dict[int, Fingerprints]:
    by_key = fingerprints_of([_reuse_doc(d) for d in docs], params)
    return {d.id: by_key[d.key] for d in docs}


def _distinct(prints: Iterable[Fingerprints]) -> np.ndarray:
    parts = [p.hashes for p in prints]
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, np.uint64)
