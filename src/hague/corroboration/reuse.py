"""Passage-level text reuse between documents, with a direction (who copied whom).

A copied paragraph is not a second witness, so corroboration needs to know, passage by passage,
which document took text from which. Rules, in the order they apply:

* **Units.** A passage is a paragraph (a non-blank line). When a paragraph is not reused as a
  whole, each of its sentences is tried on its own, so a quote lifted into new prose is linked as
  that sentence (consecutive reused sentences from one origin become one link).
* **Similarity.** Words are compared after folding typography and repairing mojibake, so quotes,
  dashes, spacing and "â€™" do not count. A unit is reused when its words align with a stretch of
  the earlier document at :attr:`ReuseParams.threshold` or more (an Indel ratio over word
  sequences: every substituted word costs the same, so synonym "spinning" and light rewording
  lower the score gently while independent reporting of the same facts scores far lower).
* **Boilerplate.** Units under :attr:`ReuseParams.min_words` words are never linked: shared
  lines such as "CLICK HERE TO GET THE FOX NEWS APP" or "RUSSIA INVADES UKRAINE: LIVE UPDATES"
  are the furniture of a site, not substance. Word n-grams held by more than
  :attr:`ReuseParams.max_df_share` of all documents (at least :attr:`ReuseParams.max_df_floor`)
  are stock phrases of the genre and never make two passages candidates.
* **Copying, not a common source.** Two documents that share a single passage, or only text the
  earlier one itself presents as quotation, may both be drawing on a third (a wire story, a press
  statement, a briefing); treating that as copying would merge two independent reports of one
  statement into one source. So a document pair is linked only when at least
  :attr:`ReuseParams.min_pair_units` of its reused units are the earlier document's own words (or
  when those cover :attr:`ReuseParams.pair_coverage` of the later document); the quotations then
  go with them, as when an article is copied whole.
* **Direction.** Documents are put in time order: by publication date; a dated document comes
  before an undated one (undated copies are overwhelmingly later reprints and scrapes); ties and
  undated pairs go by capture order. ``basis`` says which rule decided.
* **Origin.** A passage found in several earlier documents is linked once, to the *earliest* of
  them that holds it above the threshold: the earliest known holder is the best estimate of the
  origin, whereas which intermediate copy a writer actually used is rarely knowable. (When two
  rounds of rewording push a copy of a copy below the threshold against the origin, the link goes
  to the intermediate copy, the earliest holder that still matches.)
* **Scale.** Candidates come from an inverted index of word 3-gram fingerprints
  (:mod:`hague.corroboration.fingerprints`); alignment runs only on those, in worker processes for
  large corpora. Machine output is a suggestion: each link carries its similarity for review.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context

import numpy as np
from rapidfuzz import fuzz

from hague.corroboration.fingerprints import Fingerprints, candidates, fingerprint
from hague.corroboration.tokens import word_list, words
from hague.reading.text import fold, paragraphs, sentences

Span = tuple[int, int]


@dataclass(frozen=True)
class ReuseDoc:
    """A document as reuse detection sees it; ``order`` is its capture order."""

    id: str
    text: str
    published: date | None
    order: int


@dataclass(frozen=True)
class ReuseLink:
    """``to_doc`` reuses ``from_doc``: spans are character offsets into each document's text."""

    from_doc: str
    to_doc: str
    from_span: Span
    to_span: Span
    similarity: float
    basis: str  # "published" or "capture_order": which rule set the direction


@dataclass(frozen=True)
class ReuseParams:
    """Tuning of reuse detection; the defaults were measured on the development gold set."""

    threshold: float = 0.67 # word-alignment similarity (0-1) for a unit to count as reused
    min_words: int = 10  # shorter units are never linked (boilerplate lines, bylines)
    ngram: int = 3  # words per fingerprint
    sample: int = 1  # keep one fingerprint in ``sample``; raise it for very large corpora
    min_shared: int = 2  # fingerprints a paragraph must share with an earlier document
    min_share: float = 0.1  # ... and this share of the paragraph's fingerprints
    earliest: int = 4  # earliest holders of each fingerprint offered to a later passage
    max_df_share: float = 0.01  # fingerprints in more than this share of documents are stock phrases
    max_df_floor: int = 50  # ... but only when held by more than this many documents
    min_pair_units: int = 2  # units, not quotation in the earlier document, a linked pair must share
    pair_coverage: float = 0.5  # ... unless such units cover this share of the later document's words
    workers: int | None = None  # processes; None = all cores once the corpus is large enough
    parallel_from: int = 2000  # documents from which ``workers=None`` uses several processes


def time_key(doc: ReuseDoc) -> tuple[bool, date, int]:
    """Sort key putting documents in the order the direction rule assumes they appeared."""
    return (doc.published is None, doc.published or date.max, doc.order)


def direction_basis(origin: ReuseDoc, copy: ReuseDoc) -> str:
    if origin.published is not None and origin.published != copy.published:
        return "published"
    return "capture_order"


# Worker state, inherited through fork so that documents are never pickled to the workers.
_DOCS: Sequence[ReuseDoc] = ()
_PARAMS = ReuseParams()


def _fingerprint_chunk(idx: range) -> list[Fingerprints]:
    p = _PARAMS
    texts = (_DOCS[i].text for i in idx)
    return [fingerprint(t, paragraphs(t), p.ngram, p.sample, p.min_words) for t in texts]


class _Tokens:
    """A document's words as one string of symbols, so rapidfuzz aligns words, not letters.

    Paragraphs are joined by a separator symbol that matches nothing, so an alignment straddling
    two paragraphs of the earlier document pays for it. Character offsets are worked out only for
    the few places an alignment lands, which keeps building this cheap.
    """

    def __init__(self, text: str):
        self.text = text
        self.paras = paragraphs(text)
        self.first: list[int] = []  # index in ``string`` of each paragraph's first word
        chunks: list[str] = []
        n = 0
        for s, e in self.paras:
            self.first.append(n)
            chunk = "".join([_SYMBOLS.get(w) or _new_symbol(w) for w in word_list(text, s, e)])
            chunks.append(chunk)
            n += len(chunk) + 1
        self.string = _SEP.join(chunks)
        self._para_words: dict[int, list[tuple[str, int, int]]] = {}

    def range_of(self, span: Span) -> tuple[int, int]:
        """Word indices [a, b) of a span lying inside one paragraph."""
        p = bisect_right(self.paras, (span[0], float("inf"))) - 1
        a = self.first[p] + len(word_list(self.text, self.paras[p][0], span[0]))
        return a, a + len(word_list(self.text, span[0], span[1]))

    def char_span(self, a: int, b: int) -> Span:
        """Character span from the word at index ``a`` to the one before ``b`` (separators skipped)."""
        return self._word(a, start=True)[0], self._word(b - 1, start=False)[1]

    def _word(self, i: int, start: bool) -> Span:
        p = bisect_right(self.first, i) - 1
        ws = self._words(p)
        k = i - self.first[p]
        if k < len(ws):
            return ws[k][1:]
        if start and p + 1 < len(self.paras):  # a separator: the next paragraph's first word
            return self._words(p + 1)[0][1:]
        return ws[-1][1:]

    def _words(self, p: int) -> list[tuple[str, int, int]]:
        got = self._para_words.get(p)
        if got is None:
            got = self._para_words[p] = words(self.text, *self.paras[p])
        return got


# Per process: one symbol per distinct word, and the documents already turned into symbols.
_SYMBOLS: dict[str, str] = {}
_TOKENS: dict[int, _Tokens] = {}
_MAX_SYMBOL = 0x10FFFF - 0x900


def _new_symbol(word: str) -> str:
    if len(_SYMBOLS) >= _MAX_SYMBOL:  # a vocabulary of a million words: start afresh
        _SYMBOLS.clear()
        _TOKENS.clear()
    code = 0x100 + len(_SYMBOLS)
    _SYMBOLS[word] = sym = chr(code + 0x800 if code >= 0xD800 else code)  # never a surrogate
    return sym


def _tokens(i: int) -> _Tokens:
    got = _TOKENS.get(i)
    if got is None:
        if len(_TOKENS) >= 50_000:
            _TOKENS.clear()
        got = _TOKENS[i] = _Tokens(_DOCS[i].text)
    return got


_SEP = "\x01"
_QUOTE = re.compile(r'"[^"]*(?:"|$)')


def quoted_share(text: str, para: Span, region: Span) -> float:
    """Share of ``region`` that its paragraph presents inside double quotation marks.

    A quotation left open runs to the end of the paragraph, as wire copy does when a quote goes
    on into the next paragraph.
    """
    s, e = max(region[0], para[0]), min(region[1], para[1])
    if e <= s:
        return 0.0
    inside = 0
    for m in _QUOTE.finditer(fold(text[para[0]:para[1]])):
        qs, qe = para[0] + m.start(), para[0] + m.end()
        inside += max(0, min(e, qe) - max(s, qs))
    return inside / (e - s)


@dataclass(frozen=True)
class _Raw:
    """A reused unit before the document-pair rules: indices, spans, similarity and quotation."""

    src: int
    tgt: int
    from_span: Span
    to_span: Span
    similarity: float
    quoted: bool  # the earlier document presents the matched text as quotation
    words: int  # words of the unit in the later document


class _Matcher:
    """Aligns the units of one later document against its candidate earlier documents."""

    def __init__(self, target: int, source_ids: set[int]):
        self.target = target
        self.text = _DOCS[target].text
        self.tokens = _tokens(target)
        self.paras = self.tokens.paras
        self.srcs = {s: _tokens(s) for s in source_ids}
        self.used: set[tuple[int, Span]] = set()

    def match(self, span: Span, src_ids: list[int]) -> _Raw | None:
        """The unit linked to the earliest source holding it above the threshold (src_ids in time order)."""
        a, b = self.tokens.range_of(span)
        unit = self.tokens.string[a:b]
        if len(unit) < _PARAMS.min_words:
            return None
        for s in src_ids:
            cutoff = _PARAMS.threshold * 100
            res = fuzz.partial_ratio_alignment(unit, self.srcs[s].string, score_cutoff=cutoff)
            if res is None or res.dest_end <= res.dest_start:
                continue
            region = self.srcs[s].char_span(res.dest_start, res.dest_end)
            if (s, region) in self.used:  # the later document repeats a passage it already took
                return None
            self.used.add((s, region))
            src_text = _DOCS[s].text
            para = next((p for p in self.srcs[s].paras if p[0] <= region[0] < p[1]), region)
            quoted = quoted_share(src_text, para, region) >= 0.5
            return _Raw(s, self.target, region, span, res.score / 100, quoted, b - a)
        return None


def _links_for(target: int, paras: dict[int, list[int]]) -> list[_Raw]:
    """Reused units of one later document: whole paragraphs, else runs of sentences."""
    m = _Matcher(target, {s for ss in paras.values() for s in ss})
    folded: str | None = None
    out: list[_Raw] = []
    for pi, src_ids in sorted(paras.items()):
        span = m.paras[pi]
        hit = m.match(span, src_ids)
        if hit is not None:
            out.append(hit)
            continue
        run: _Raw | None = None
        folded = folded or fold(m.text)
        for sent in sentences(folded, span):
            hit = m.match(sent, src_ids)
            if hit is not None and run is not None and run.src == hit.src:
                run = _Raw(run.src, target, (min(run.from_span[0], hit.from_span[0]),
                                             max(run.from_span[1], hit.from_span[1])),
                           (run.to_span[0], sent[1]), min(run.similarity, hit.similarity),
                           run.quoted and hit.quoted, run.words + hit.words)
                continue
            if run is not None:
                out.append(run)
            run = hit
        if run is not None:
            out.append(run)
    return out


def _link_chunk(jobs: list[tuple[int, dict[int, list[int]]]]) -> list[_Raw]:
    return [link for target, paras in jobs for link in _links_for(target, paras)]


def _run(fn, parts: list, pool: ProcessPoolExecutor | None) -> list:
    """``fn`` over ``parts``, in worker processes when there is a pool, results flattened in order."""
    return [x for part in (pool.map(fn, parts) if pool else map(fn, parts)) for x in part]


def _chunks(seq: Sequence, workers: int, most: int) -> list[Sequence]:
    """About four chunks per worker (so a slow chunk does not idle the others), at most ``most`` long."""
    n = max(1, min(most, len(seq) // (4 * workers)))
    return [seq[i:i + n] for i in range(0, len(seq), n)]


def find_reuse(docs: Sequence[ReuseDoc], params: ReuseParams = ReuseParams()) -> list[ReuseLink]:
    """Every passage of a document that reuses an earlier document, linked to its origin."""
    global _DOCS, _PARAMS
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise ValueError("document ids must be unique")
    if len(docs) < 2:
        return []
    order = sorted(range(len(docs)), key=lambda i: time_key(docs[i]))
    rank = np.empty(len(docs), dtype=np.int64)
    rank[order] = np.arange(len(docs))
    workers = params.workers or ((os.cpu_count() or 1) if len(docs) >= params.parallel_from else 1)
    _DOCS, _PARAMS = docs, params
    _TOKENS.clear()
    pool = ProcessPoolExecutor(workers, mp_context=get_context("fork")) if workers > 1 else None
    try:
        prints = _run(_fingerprint_chunk, _chunks(range(len(docs)), workers, 500), pool)
        max_df = max(params.max_df_floor, int(params.max_df_share * len(docs)))
        tgt, para, src = candidates(prints, rank, earliest=params.earliest, min_shared=params.min_shared,
                                    min_share=params.min_share, max_df=max_df)
        by_target: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for i in np.lexsort((rank[src], para, tgt)).tolist():
            by_target[int(tgt[i])][int(para[i])].append(int(src[i]))
        jobs = [(t, dict(ps)) for t, ps in by_target.items()]
        raw = _run(_link_chunk, _chunks(jobs, workers, 200), pool)
    finally:
        if pool:
            pool.shutdown()
        _DOCS, _PARAMS = (), ReuseParams()
        _TOKENS.clear()
    raw = _substantive(raw, docs, params)
    links = [ReuseLink(docs[r.src].id, docs[r.tgt].id, r.from_span, r.to_span, round(r.similarity, 3),
                       direction_basis(docs[r.src], docs[r.tgt])) for r in raw]
    links.sort(key=lambda link: (link.to_doc, link.to_span))
    return links


def _substantive(raw: list[_Raw], docs: Sequence[ReuseDoc], params: ReuseParams) -> list[_Raw]:
    """Keep the document pairs whose shared text shows copying rather than a common source.

    Two documents that share a single passage, or only text the earlier one itself presents as
    quotation, may both be drawing on something else (a wire story, a press statement, a
    briefing): linking them would merge two independent reports of one statement into one source.
    A pair is kept when at least ``min_pair_units`` of its units are the earlier document's own
    words, or when such units cover at least ``pair_coverage`` of the later document.
    """
    by_pair: dict[tuple[int, int], list[_Raw]] = defaultdict(list)
    for r in raw:
        by_pair[(r.src, r.tgt)].append(r)
    kept: list[_Raw] = []
    for (_, tgt), units in by_pair.items():
        own = [u for u in units if not u.quoted]
        if len(own) >= params.min_pair_units or (
            own and sum(u.words for u in own) >= params.pair_coverage * len(words(docs[tgt].text))
        ):
            kept.extend(units)
    return kept


def near_duplicate_groups(
    docs: Sequence[ReuseDoc], params: ReuseParams = ReuseParams(), *, min_share: float = 0.5,
    links: Sequence[ReuseLink] | None = None,
) -> list[list[str]]:
    """Groups of documents that are one story (e.g. syndicated by many outlets).

    Two documents are joined when the passages one reuses from the other cover at least
    ``min_share`` of the later one's words; groups are the connected components, each listed in
    time order, largest first. Pass ``links`` from :func:`find_reuse` to avoid recomputing them.
    """
    if links is None:
        links = find_reuse(docs, params)
    by_id = {d.id: d for d in docs}
    covered: dict[tuple[str, str], int] = defaultdict(int)
    for link in links:
        covered[(link.from_doc, link.to_doc)] += len(words(by_id[link.to_doc].text, *link.to_span))
    parent = {d.id: d.id for d in docs}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), n in covered.items():
        total = len(words(by_id[b].text))
        if total and n / total >= min_share:
            parent[root(b)] = root(a)
    groups: dict[str, list[str]] = defaultdict(list)
    for d in sorted(docs, key=time_key):
        groups[root(d.id)].append(d.id)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g[0]))
