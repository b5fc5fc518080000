"""Sampled word n-gram fingerprints and the inverted index that proposes reuse candidates.

Comparing every passage with every other is quadratic; instead each paragraph is reduced to a
few hashed word n-grams, and only paragraphs that share some with an earlier document are ever
aligned. The index never enumerates all pairs that share a fingerprint: a passage is offered only
the *earliest* few holders of each of its fingerprints, because reuse is linked to its earliest
holder (the origin). So a paragraph syndicated by a thousand outlets costs a thousand small
look-ups, not half a million pairs, and the cost stays linear in the number of documents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_MUL = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# A fingerprint is the top 40 bits of its n-gram's hash (chance collisions are negligible, and
# the same whatever else is fingerprinted in the same call); the paragraph takes the other 24.
_PARA_BITS = np.uint64(24)
_HASH_BITS = np.uint64(40)


@dataclass(frozen=True)
class Fingerprints:
    """Fingerprints of one document (or several): hash values and the paragraph each came from."""

    hashes: np.ndarray  # uint64
    paragraphs: np.ndarray  # int64, index into the paragraphs fingerprinted together


def fingerprint(ids: np.ndarray, bounds: np.ndarray, k: int, sample: int, min_words: int) -> Fingerprints:
    """Hashes of the word ``k``-grams inside each paragraph of at least ``min_words`` words.

    ``ids`` are word hashes and paragraph i holds words ``bounds[i]:bounds[i + 1]``; several
    documents' words and paragraphs (up to 2**24) may be passed at once, which is much faster
    than one at a time.
    Each paragraph's distinct fingerprints come out together, paragraphs in order. Only n-grams
    whose hash is 0 modulo ``sample`` are kept, so two copies keep the *same* n-grams whatever
    else changed around them; ``sample=1`` keeps all of them.
    """
    sizes = np.diff(bounds)
    if len(sizes) > 1 << int(_PARA_BITS):
        raise ValueError("too many paragraphs for one call")
    long_enough = np.repeat(sizes >= min_words, sizes)
    t = ids[bounds[0]:bounds[-1]][long_enough]
    own = np.repeat(np.arange(len(sizes), dtype=np.uint64), sizes)[long_enough]
    n = len(t) - k + 1
    if n <= 0:
        return Fingerprints(np.empty(0, np.uint64), np.empty(0, np.int64))
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _MUL + t[j:j + n]
        h ^= h >> np.uint64(31)
        h *= _MIX1
        h ^= h >> np.uint64(29)
        h *= _MIX2
        h ^= h >> np.uint64(32)
    keep = own[:n] == own[k - 1:]
    if sample > 1:
        keep &= (h % np.uint64(sample)) == 0
    # Paragraph in the high bits, the hash's top bits below: one sort groups by paragraph and
    # brings repeats inside a paragraph together.
    key = distinct(np.sort((own[:n][keep] << _HASH_BITS) | (h[keep] >> _PARA_BITS)))
    return Fingerprints(key << _PARA_BITS, (key >> _HASH_BITS).astype(np.int64))


def distinct(ordered: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array (``np.unique`` is far slower on large arrays here)."""
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def candidates(
    prints: list[Fingerprints], rank: np.ndarray, *, earliest: int, min_shared: int, min_share: float,
    max_df: int, stock: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(document, paragraph, earlier document) triples worth aligning.

    ``rank[d]`` is document d's place in time order. A paragraph is paired with the ``earliest``
    documents of lower rank holding each of its fingerprints, and kept when at least
    ``min_shared`` of its fingerprints, and ``min_share`` of all of them, point to the same
    earlier document (chance overlaps of stock phrases grow with length). Fingerprints held by
    more than ``max_df`` documents are stock phrases of the genre and are ignored, and so are those in
    ``stock`` (when ``prints`` are part of a larger corpus that counted its holders).
    """
    empty = np.empty(0, np.int64)
    n = len(prints)
    paras_of = np.fromiter((int(p.paragraphs.max()) + 1 if len(p.paragraphs) else 0 for p in prints),
                           dtype=np.int64, count=n)
    if paras_of.sum() == 0:
        return empty, empty, empty
    # Everything is sorted as one packed uint64: fingerprint (high bits), rank, paragraph. One plain
    # sort of integers is several times faster than sorting by several keys; the fingerprint keeps
    # the bits left over (all 40 up to 16M documents of 128 paragraphs; fewer beyond), and rare
    # chance collisions would only add candidates to align.
    rb, pb = max(1, (n - 1).bit_length()), max(1, int(paras_of.max() - 1).bit_length())
    sizes = np.fromiter((len(p.hashes) for p in prints), dtype=np.int64, count=n)
    para = np.concatenate([p.paragraphs for p in prints])
    # Fingerprints of each paragraph, stock phrases included, for the share rule.
    para_base = np.r_[0, np.cumsum(paras_of)]
    per_unit = np.bincount(np.repeat(para_base[:-1], sizes) + para, minlength=para_base[-1])
    key = np.repeat(rank.astype(np.uint64) << np.uint64(pb), sizes)
    key |= para.astype(np.uint64)
    del para
    key |= np.concatenate([p.hashes for p in prints]) >> np.uint64(rb + pb) << np.uint64(rb + pb)
    key.sort()
    fp = key >> np.uint64(rb + pb)
    unit = key & np.uint64((1 << (rb + pb)) - 1)  # rank and paragraph
    r = unit >> np.uint64(pb)
    del key

    # Holders: one entry per (fingerprint, document), in time order inside each fingerprint.
    new_fp = np.r_[True, fp[1:] != fp[:-1]]
    common = np.zeros(int(new_fp.sum()), dtype=bool)
    if stock is not None and len(stock):
        common = np.isin(fp[new_fp], np.asarray(stock, dtype=np.uint64) >> np.uint64(rb + pb))
    del fp
    first = new_fp | np.r_[True, r[1:] != r[:-1]]
    h_rank = r[first]
    del r
    holder = np.cumsum(first, dtype=np.int64) - 1  # each entry's holder
    start = holder[new_fp]  # each fingerprint's first holder
    g_size = np.diff(np.r_[start, len(h_rank)])
    group = np.cumsum(new_fp, dtype=np.int64) - 1  # each entry's fingerprint
    # Entries of a fingerprint's first holder meet no earlier one; stock phrases are skipped.
    keep = ((g_size <= max_df) & ~common)[group] & (holder > start[group])
    holder, unit, start = holder[keep], unit[keep], start[group[keep]]
    del group, keep

    # A paragraph meets each earlier holder among the ``earliest`` first ones of its fingerprint.
    pairs = []
    for j in range(earliest):
        ok = np.flatnonzero(start + j < holder)
        pairs.append((unit[ok] << np.uint64(rb)) | h_rank[start[ok] + j])
    del holder, unit, start
    pair = np.concatenate(pairs)
    del pairs
    if len(pair) == 0:
        return empty, empty, empty
    pair.sort()
    cut = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1], True])
    count = np.diff(cut)
    enough = count >= min_shared
    pair, count = pair[cut[:-1][enough]], count[enough]
    unit = (pair >> np.uint64(rb)).astype(np.int64)
    t_rank, t_para = unit >> pb, unit & ((1 << pb) - 1)
    order = np.argsort(rank)
    tgt, src = order[t_rank], order[(pair & np.uint64((1 << rb) - 1)).astype(np.int64)]
    need = np.maximum(min_shared, np.ceil(min_share * per_unit[para_base[tgt] + t_para]))
    ok = count >= need
    return tgt[ok], t_para[ok], src[ok]
