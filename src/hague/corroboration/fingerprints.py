"""Sampled word n-gram fingerprints and the inverted index that proposes reuse candidates.

Comparing every passage with every other is quadratic; instead each paragraph is reduced to a
few hashed word n-grams, and only paragraphs that share some with an earlier document are ever
aligned. The index never enumerates all pairs that share a fingerprint: a passage is offered only
the *earliest* few holders of each of its fingerprints, because reuse is linked to its earliest
holder (the origin). So a paragraph syndicated by a thousand outlets costs a thousand small
look-ups, not half a million pairs, and the cost stays linear in the number of documents.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from hague.corroboration.tokens import word_list

_MUL = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


_HASHES: dict[str, int] = {}  # per process: word -> a hash stable across runs (unlike hash())


def _hash(word: str) -> int:
    if len(_HASHES) > 2_000_000:
        _HASHES.clear()
    _HASHES[word] = h = zlib.crc32(word.encode()) | 1  # never 0, so ``or`` above is safe
    return h


@dataclass(frozen=True)
class Fingerprints:
    """Fingerprints of one document: hash values and the paragraph each came from."""

    hashes: np.ndarray  # uint64
    paragraphs: np.ndarray  # uint32, index into the document's paragraph list


def fingerprint(text: str, paras: list[tuple[int, int]], k: int, sample: int, min_words: int) -> Fingerprints:
    """Hashes of the word ``k``-grams inside each paragraph of at least ``min_words`` words.

    Only n-grams whose hash is 0 modulo ``sample`` are kept, so two copies keep the *same*
    n-grams whatever else changed around them; ``sample=1`` keeps all of them.
    """
    toks: list[int] = []
    owner: list[int] = []
    for i, (s, e) in enumerate(paras):
        ws = word_list(text, s, e)
        if len(ws) < min_words:
            continue
        toks.extend([_HASHES.get(w) or _hash(w) for w in ws])
        owner.extend([i] * len(ws))
    n = len(toks) - k + 1
    if n <= 0:
        return Fingerprints(np.empty(0, np.uint64), np.empty(0, np.uint32))
    t = np.asarray(toks, dtype=np.uint64)
    own = np.asarray(owner, dtype=np.uint32)
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
    # The low 16 bits carry the paragraph, so one 1-D unique drops repeats inside a paragraph.
    key = np.unique((h[keep] & ~np.uint64(0xFFFF)) | own[:n][keep].astype(np.uint64))
    return Fingerprints(key & ~np.uint64(0xFFFF), (key & np.uint64(0xFFFF)).astype(np.uint32))


def candidates(
    prints: list[Fingerprints], rank: np.ndarray, *, earliest: int, min_shared: int, min_share: float,
    max_df: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(document, paragraph, earlier document) triples worth aligning.

    ``rank[d]`` is document d's place in time order. A paragraph is paired with the ``earliest``
    documents of lower rank holding each of its fingerprints, and kept when at least
    ``min_shared`` of its fingerprints, and ``min_share`` of all of them, point to the same
    earlier document (chance overlaps of stock phrases grow with length). Fingerprints held by
    more than ``max_df`` documents are stock phrases of the genre and are ignored.
    """
    sizes = np.fromiter((len(p.hashes) for p in prints), dtype=np.int64, count=len(prints))
    empty = np.empty(0, np.int64)
    if sizes.sum() == 0:
        return empty, empty, empty
    fp = np.concatenate([p.hashes for p in prints])
    para = np.concatenate([p.paragraphs for p in prints]).astype(np.int64)
    doc = np.repeat(np.arange(len(prints), dtype=np.int64), sizes)
    r = rank[doc]
    units, per_unit = np.unique(doc * np.int64(1 << 16) + para, return_counts=True)
    order = np.lexsort((r, fp))
    fp, para, doc, r = fp[order], para[order], doc[order], r[order]

    # One entry per (fingerprint, document), in time order inside each fingerprint.
    first = np.ones(len(fp), dtype=bool)
    first[1:] = (fp[1:] != fp[:-1]) | (doc[1:] != doc[:-1])
    u_fp, u_doc, u_r = fp[first], doc[first], r[first]
    g_start = np.flatnonzero(np.r_[True, u_fp[1:] != u_fp[:-1]])
    g_size = np.diff(np.r_[g_start, len(u_fp)])
    common = g_size > max_df
    if common.any():
        drop = np.repeat(common, g_size)
        stock = set(u_fp[drop].tolist())
        keep_u = ~drop
        u_fp, u_doc, u_r = u_fp[keep_u], u_doc[keep_u], u_r[keep_u]
        keep = ~np.isin(fp, np.fromiter(stock, dtype=np.uint64, count=len(stock)))
        fp, para, doc, r = fp[keep], para[keep], doc[keep], r[keep]
        g_start = np.flatnonzero(np.r_[True, u_fp[1:] != u_fp[:-1]])
        g_size = np.diff(np.r_[g_start, len(u_fp)])
    if len(fp) == 0:
        return empty, empty, empty
    g_of = np.searchsorted(u_fp, fp, side="left")
    g_end = g_of + g_size[np.searchsorted(g_start, g_of)]

    keys: list[np.ndarray] = []
    n_docs = np.int64(len(prints))
    for j in range(earliest):
        src = g_of + j
        ok = src < g_end
        src_c = np.where(ok, src, 0)
        ok &= u_r[src_c] < r
        keys.append((doc[ok] * np.int64(1 << 16) + para[ok]) * n_docs + u_doc[src_c[ok]])
    allk = np.concatenate(keys)
    uk, counts = np.unique(allk, return_counts=True)
    need = np.maximum(min_shared, np.ceil(min_share * per_unit[np.searchsorted(units, uk // n_docs)]))
    uk = uk[counts >= need]
    src_doc = uk % n_docs
    unit = uk // n_docs
    return unit >> 16, unit & 0xFFFF, src_doc
