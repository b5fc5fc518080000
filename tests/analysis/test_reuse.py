"""Reuse for new documents: a fingerprint's first holders and the later holders a new document may now precede,
computed in arrays, against the rule written out one pair at a time."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from hague.analysis.index import Lookup
from hague.analysis.reuse import _first_holders, _holders, _later_holders, _Ranks, _time_key


def _lookup(rng: np.random.Generator, n_hashes: int, n_docs: int) -> Lookup:
    hashes = np.unique(rng.integers(0, 2**40, n_hashes, dtype=np.uint64))
    pairs = {(int(h), int(d)) for h, d in zip(rng.integers(0, len(hashes), 40 * len(hashes)),
                                              rng.integers(1, n_docs + 1, 40 * len(hashes)), strict=True)}
    which, doc = (np.array(x, dtype=np.int64) for x in zip(*sorted(pairs), strict=True))
    df = np.bincount(which, minlength=len(hashes)) + rng.integers(0, 3, len(hashes))
    return Lookup(hashes, df, which, doc)


def test_first_and_later_holders_follow_the_rule_pair_by_pair() -> None:
    rng = np.random.default_rng(7)
    for n_hashes, n_docs, earliest in ((300, 80, 3), (50, 500, 1), (200, 30, 5)):
        look = _lookup(rng, n_hashes, n_docs)
        start = date(2022, 1, 1)
        keys = {d: _time_key(None if d % 11 == 0 else start + timedelta(days=int(rng.integers(0, 40))), d)
                for d in range(1, n_docs + 1)}
        new = set(rng.choice(np.arange(1, n_docs + 1), n_docs // 5, replace=False).tolist())
        ranks = _Ranks(keys)
        first = _first_holders(look, ranks, earliest)
        held = _holders(look, 40, first)

        by_hash: dict[int, list[int]] = {}
        for h_idx, d in zip(look.hash_index.tolist(), look.doc.tolist(), strict=True):
            by_hash.setdefault(int(look.hashes[h_idx]), []).append(d)
        early = {h: sorted(ds, key=keys.__getitem__)[:earliest] for h, ds in by_hash.items()}
        assert held.early == early
        assert held.stock == {int(h) for h, n in zip(look.hashes.tolist(), look.df.tolist(), strict=True) if n > 40}
        touched = set()
        for h_idx, d in zip(look.hash_index.tolist(), look.doc.tolist(), strict=True):
            firsts = [keys[x] for x in early[int(look.hashes[h_idx])] if x in new]
            if firsts and d not in new and keys[d] > min(firsts):
                touched.add(d)
        assert touched and touched == _later_holders(look, ranks, first, np.array(sorted(new), dtype=np.int64))
