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
  go with them, as when an article is copied whole. The rule is applied to candidates before
  any alignment too: a pair with fewer candidate paragraphs than that, covering less than that,
  is never aligned.
* **Direction.** Documents are put in time order: by publication date; a dated document comes
  before an undated one; ties and undated pairs go by capture order. Candidates and alignment follow
  that order. A linked pair whose documents are not dated on two different days is then looked at
  again: where other documents hold the shared passages, the version whose wording is closer to them
  is the origin (a spun or reworded copy drifts from what every other copy says; an undated scrape
  may be the faithful one); failing that, dated before undated, then the document carrying a news
  agency's credit before the one that repeats it without, then capture order. ``basis`` says which
  rule decided (``published``, ``wording``, ``wire_credit``, ``capture_order``).
* **Within a copied pair.** Once a pair is linked, its remaining passages are aligned again at the
  lower :attr:`ReuseParams.pair_threshold`: a copier that took the story rewrote some of it more.
* **Origin.** A passage found in several earlier documents is linked once, to the *earliest* of
  them that holds it above the threshold (among those that could pass the pair rule above, so a
  document sharing only that passage with the later one does not take it from the document the
  later one copied along with other text): the earliest known holder is the best estimate of the
  origin, whereas which intermediate copy a writer actually used is rarely knowable. (When two
  rounds of rewording push a copy of a copy below the threshold against the origin, the link goes
  to the intermediate copy, the earliest holder that still matches.)
* **Scale.** Each document is tokenised once, in batches, into arrays of word hashes
  (:func:`hague.corroboration.tokens.tokenise_many`) shared by fingerprinting and alignment.
  Candidates come from an inverted index of word 3-gram fingerprints
  (:mod:`hague.corroboration.fingerprints`); alignment runs only on those, on words spelt as one
  symbol each, in worker processes for large corpora (forked, so they read the documents rather
  than receive copies). Machine output is a suggestion: each link carries its similarity for review.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context

import numpy as np
from rapidfuzz import fuzz

from hague.corroboration.fingerprints import Fingerprints, candidates, distinct, fingerprint
from hague.corroboration.sources import wire_credit
from hague.corroboration.tokens import TokenStream, tokenise_many, words
from hague.reading.text import fold, paragraphs, sentences
from hague.unionfind import UnionFind

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
    basis: str  # which rule set the direction: "published", "capture_order" (time order), or one in TURNED


@dataclass(frozen=True)
class ReuseParams:
    """Tuning of reuse detection; the defaults were measured on the development gold set."""

    threshold: float = 0.67  # word-alignment similarity (0-1) for a unit to count as reused
    pair_threshold: float = 0.55  # ... once its document pair is linked by units above ``threshold``
    pair_min_words: int = 20  # ... for units at least this long (short lines resemble each other by chance)
    min_words: int = 10  # shorter units are never linked (boilerplate lines, bylines)
    ngram: int = 3  # words per fingerprint
    sample: int = 1  # keep one fingerprint in ``sample``; raise it for very large corpora
    min_shared: int = 2  # fingerprints a paragraph must share with an earlier document
    min_share: float = 0.1  # ... and this share of the paragraph's fingerprints
    earliest: int = 3  # earliest holders of each fingerprint offered to a later passage
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


@dataclass(frozen=True)
class _Tokens:
    """A document's words (tokenised once, as arrays) and where each paragraph's words begin.

    For alignment the words are also spelt as a string of symbols, one per word (:meth:`spell`),
    so rapidfuzz aligns words, not letters. Paragraphs are joined by a separator symbol that
    matches nothing, so an alignment straddling two paragraphs of the earlier document pays for
    it: word w of paragraph p is symbol ``w + p``.
    """

    stream: TokenStream
    paras: np.ndarray  # (n, 2) character spans
    bounds: np.ndarray  # paragraph i holds words bounds[i]:bounds[i + 1]

    @classmethod
    def read(cls, text: str, stream: TokenStream) -> _Tokens:
        """A text's paragraphs put together with its words (``tokenise(text)``)."""
        paras = np.array(paragraphs(text), dtype=np.int64).reshape(-1, 2)
        # Words never cross a line break, so each paragraph starts at a word boundary.
        return cls(stream, paras, np.searchsorted(stream.starts, np.append(paras[:, 0], len(text))))

    @property
    def seps(self) -> np.ndarray:
        """Where the symbol string puts the separator in front of each paragraph after the first."""
        return self.bounds[1:-1] + np.arange(len(self.paras) - 1)

    def para(self, i: int) -> Span:
        s, e = self.paras[i].tolist()
        return s, e

    def para_of(self, offset: int) -> int:
        """Index of the paragraph holding ``offset`` (or the one before it, between paragraphs)."""
        return int(np.searchsorted(self.paras[:, 0], offset, side="right")) - 1

    def range_of(self, span: Span) -> tuple[int, int]:
        """Indices [a, b) in the symbol string of the words of a span lying inside one paragraph."""
        p = self.para_of(span[0])
        a, b = np.searchsorted(self.stream.starts, span).tolist()
        return a + p, b + p

    def spell(self, vocab: np.ndarray) -> str:
        """The words as symbols: a word's symbol is its place in ``vocab`` (sorted word ids)."""
        codes = (np.searchsorted(vocab, self.stream.ids) % _ALPHABET).astype(np.uint32)
        codes += np.uint32(_FIRST_SYMBOL)
        codes[codes >= 0xD800] += np.uint32(_SURROGATES)  # never a surrogate
        n = len(codes)
        out = np.full(n + len(self.seps), _SEP, np.uint32)
        out[np.arange(n) + np.repeat(np.arange(len(self.paras)), np.diff(self.bounds))] = codes
        return out.tobytes().decode("utf-32-le")

    def char_span(self, a: int, b: int) -> Span:
        """Character span of symbols [a, b): from the first word at or after a to the last before b."""
        seps = self.seps
        first = a - int(np.searchsorted(seps, a))
        before = np.searchsorted(seps, b - 1)
        last = b - 1 - int(before) - int(before < len(seps) and seps[before] == b - 1)
        return int(self.stream.starts[first]), int(self.stream.ends[max(first, last)])


_SEP = np.uint32(1)
_FIRST_SYMBOL = 0x100
_SURROGATES = 0x800
_ALPHABET = 0x110000 - _FIRST_SYMBOL - _SURROGATES  # symbols available for words


# Worker state, inherited through fork so that documents are never pickled to the workers.
_DOCS: Sequence[ReuseDoc] = ()
_TOKS: list[_Tokens] = []
_VOCAB = np.empty(0, np.uint64)
_PARAMS = ReuseParams()


def _tokenise_chunk(idx: range) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """Each document tokenised once: its words kept for alignment, and its fingerprints."""
    p = _PARAMS
    texts = [_DOCS[i].text for i in idx]
    toks = [_Tokens.read(text, stream) for text, stream in zip(texts, tokenise_many(texts), strict=True)]
    # All documents' paragraphs in one list (words never cross one), fingerprinted together.
    first_word = np.cumsum([0] + [len(t.stream.ids) for t in toks])
    first_para = np.cumsum([0] + [len(t.paras) for t in toks])
    bounds = np.concatenate([t.bounds[:-1] + w for t, w in zip(toks, first_word[:-1].tolist(), strict=True)]
                            + [first_word[-1:]])
    f = fingerprint(np.concatenate([t.stream.ids for t in toks]), bounds, p.ngram, p.sample, p.min_words)
    cuts = np.searchsorted(f.paragraphs, first_para).tolist()
    rows = []
    for t, a, b, base in zip(toks, cuts[:-1], cuts[1:], first_para[:-1].tolist(), strict=True):
        rows.append((t.stream.ids, t.stream.starts, t.stream.ends, t.paras, t.bounds,
                     f.hashes[a:b], f.paragraphs[a:b] - base))
    return [_pack(rows)]


def _pack(rows: list[tuple[np.ndarray, ...]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Rows of arrays as one array per column, with each row's length.

    A few large arrays pass between processes many times faster than many small ones.
    """
    return [(np.concatenate(col), np.array([len(a) for a in col])) for col in zip(*rows, strict=True)]


def _unpack(columns: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[_Tokens, Fingerprints]]:
    """The documents of :func:`_tokenise_chunk` back, as views into its arrays."""
    cols = []
    for flat, lengths in columns:
        ends = np.cumsum(lengths).tolist()
        cols.append([flat[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)])
    return [(_Tokens(TokenStream(ids, starts, ends), paras, bounds), Fingerprints(hashes, fp_paras))
            for ids, starts, ends, paras, bounds, hashes, fp_paras in zip(*cols, strict=True)]


def _vocabulary(toks: list[_Tokens]) -> np.ndarray:
    """Every distinct word id, sorted: a word's place in it is its symbol.

    Symbols are distinct for the first million or so distinct words (the alphabet's size);
    beyond that, two rare words may share one, which can only nudge a similarity up slightly.
    """
    return distinct(np.sort(np.concatenate([t.stream.ids for t in toks])))


# Per process: symbol strings already spelt, by document index.
_STRINGS: dict[int, str] = {}


def _string(i: int) -> str:
    got = _STRINGS.get(i)
    if got is None:
        if len(_STRINGS) >= 50_000:
            _STRINGS.clear()
        got = _STRINGS[i] = _TOKS[i].spell(_VOCAB)
    return got


_HELD = 60  # similarity (0-100) at which another document holds a version of a passage
_WORDING_MARGIN = 10  # summed similarity by which one version must be closer to the other copies
_WHOLE_UNIT = 0.9  # share of a unit's words an alignment must span for the unit to be linked whole

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

    def __init__(self, target: int, threshold: float, min_words: int, used: set[tuple[int, Span]]):
        self.target = target
        self.threshold, self.min_words = threshold, min_words
        self.text = _DOCS[target].text
        self.tokens = _TOKS[target]
        self.used = used  # (earlier document, region) already taken by a unit of this one

    def match(self, span: Span, src_ids: list[int]) -> _Raw | None:
        """The unit linked to the earliest source holding it above the threshold (src_ids in time order)."""
        a, b = self.tokens.range_of(span)
        unit = _string(self.target)[a:b]
        if len(unit) < self.min_words:
            return None
        for s in src_ids:
            cutoff = self.threshold * 100
            res = fuzz.partial_ratio_alignment(unit, _string(s), score_cutoff=cutoff)
            if res is None or res.dest_end <= res.dest_start:
                continue
            if (res.src_end - res.src_start) < _WHOLE_UNIT * len(unit):
                # The earlier document is shorter than the unit and was aligned inside it: the unit as a
                # whole was not reused, though some of its sentences may have been.
                continue
            region = _TOKS[s].char_span(res.dest_start, res.dest_end)
            if (s, region) in self.used:  # the later document repeats a passage it already took
                return None
            self.used.add((s, region))
            src_text = _DOCS[s].text
            para = _TOKS[s].para(_TOKS[s].para_of(region[0]))
            quoted = quoted_share(src_text, para, region) >= 0.5
            return _Raw(s, self.target, region, span, res.score / 100, quoted, b - a)
        return None


def _links_for(target: int, paras: dict[int, list[int]], relaxed: Sequence[_Raw] | None = None) -> list[_Raw]:
    """Reused units of one later document: whole paragraphs, else runs of sentences.

    A run of sentences is one unit while its sentences come from one paragraph of one origin: a later
    paragraph that strings together two of the origin's reuses two passages. With ``relaxed`` (the units
    already linked), the pass of :func:`_within_pairs`: those units are not tried again.
    """
    p = _PARAMS
    if relaxed is None:
        m = _Matcher(target, p.threshold, p.min_words, set())
        taken: list[Span] = []
    else:
        m = _Matcher(target, p.pair_threshold, p.pair_min_words, {(r.src, r.from_span) for r in relaxed})
        taken = [r.to_span for r in relaxed]
    folded: str | None = None
    out: list[_Raw] = []

    def free(span: Span) -> bool:
        return not any(s < span[1] and span[0] < e for s, e in taken)

    for pi, src_ids in sorted(paras.items()):
        span = m.tokens.para(pi)
        hit = m.match(span, src_ids) if free(span) else None
        if hit is not None:
            out.append(hit)
            continue
        run: _Raw | None = None
        folded = folded or fold(m.text)
        for sent in sentences(folded, span):
            hit = m.match(sent, src_ids) if free(sent) else None
            if hit is not None and run is not None and run.src == hit.src and \
                    _TOKS[hit.src].para_of(run.from_span[1] - 1) == _TOKS[hit.src].para_of(hit.from_span[0]):
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


def _relink_chunk(jobs: list[tuple[int, list[int], list[_Raw]]]) -> list[_Raw]:
    """:func:`_within_pairs` for some later documents: (document, its origins in time order, units linked)."""
    out = []
    for target, srcs, linked in jobs:
        out += _links_for(target, dict.fromkeys(range(len(_TOKS[target].paras)), srcs), linked)
    return out


def _within_pairs(kept: list[_Raw], rank: np.ndarray, workers: int) -> list[_Raw]:
    """Units of a linked pair that a writer reworded more heavily than the threshold allows.

    Once a document is known to copy another (the pair passed :func:`_substantive`), a passage of it that
    still aligns with the other at :attr:`ReuseParams.pair_threshold` is one it took and rewrote (a spun
    copy's heavier substitutions, a lede recast around the same clauses), not an independent account of the
    same facts. Only the linked pairs are aligned again, so the cost follows the reuse found.
    """
    srcs: dict[int, set[int]] = defaultdict(set)
    linked: dict[int, list[_Raw]] = defaultdict(list)
    for r in kept:
        srcs[r.tgt].add(r.src)
        linked[r.tgt].append(r)
    jobs = [(t, sorted(ss, key=rank.__getitem__), linked[t]) for t, ss in sorted(srcs.items())]
    return _run(_relink_chunk, worker_chunks(jobs, workers, 200), workers)


def _run(fn, parts: list, workers: int) -> list:
    """``fn`` over ``parts``, results flattened in order; in processes forked now when workers > 1.

    Forking at the call lets the workers inherit whatever the module state holds at that moment.
    """
    if workers == 1:
        return [x for part in map(fn, parts) for x in part]
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        return [x for part in pool.map(fn, parts) for x in part]


def worker_chunks(seq: Sequence, workers: int, most: int) -> list[Sequence]:
    """About four chunks per worker (so a slow chunk does not idle the others), at most ``most`` long."""
    n = max(1, min(most, len(seq) // (4 * workers)))
    return [seq[i:i + n] for i in range(0, len(seq), n)]


@dataclass(frozen=True)
class ReuseFocus:
    """Find only the reuse *into* ``targets``, among documents that are part of a larger corpus.

    The other documents passed with a focus are, for each target fingerprint, among its ``earliest``
    holders in the whole corpus (only those can be a target's candidate origin); ``holds`` gives, per such
    document, the target fingerprints it is one of the earliest holders of, and ``stock`` the fingerprints
    the whole corpus holds too often to count. Reuse into the targets is then exactly what
    :func:`find_reuse` over the whole corpus finds for them (the persistent index, :mod:`hague.analysis`,
    supplies the holders), so adding documents costs work in proportion to them.
    """

    targets: frozenset[str]
    holds: dict[str, np.ndarray]
    stock: np.ndarray


def find_reuse(docs: Sequence[ReuseDoc], params: ReuseParams = ReuseParams(), *, focus: ReuseFocus | None = None,
               prints: dict[str, Fingerprints] | None = None) -> list[ReuseLink]:
    """Every passage of a document that reuses an earlier document, linked to its origin.

    With ``focus``, only passages of its targets (see :class:`ReuseFocus`). ``prints``, when given, receives
    each document's fingerprints (what the persistent index stores).
    """
    global _DOCS, _TOKS, _VOCAB, _PARAMS
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise ValueError("document ids must be unique")
    if len(docs) < 2 and prints is None:
        return []
    order = sorted(range(len(docs)), key=lambda i: time_key(docs[i]))
    rank = np.empty(len(docs), dtype=np.int64)
    rank[order] = np.arange(len(docs))
    workers = params.workers or ((os.cpu_count() or 1) if len(docs) >= params.parallel_from else 1)
    _DOCS, _PARAMS = docs, params
    try:
        done = [row for packed in _run(_tokenise_chunk, worker_chunks(range(len(docs)), workers, 500), workers)
                for row in _unpack(packed)]
        _TOKS = [t for t, _ in done]
        found = [f for _, f in done]
        if prints is not None:
            prints.update({d.id: f for d, f in zip(docs, found, strict=True)})
        if focus is None:
            max_df, stock = max(params.max_df_floor, int(params.max_df_share * len(docs))), None
        else:  # the others stand only for the target fingerprints they are early holders of
            max_df, stock = len(docs), focus.stock
            found = [f if d.id in focus.targets else _held(focus.holds.get(d.id)) for d, f in zip(docs, found,
                                                                                                 strict=True)]
        tgt, para, src = candidates(found, rank, earliest=params.earliest, min_shared=params.min_shared,
                                    min_share=params.min_share, max_df=max_df, stock=stock)
        del done, found
        if focus is not None and len(tgt):
            wanted = np.array([d.id in focus.targets for d in docs], dtype=bool)[tgt]
            tgt, para, src = tgt[wanted], para[wanted], src[wanted]
        holders: dict[int, set[int]] = defaultdict(set)  # each later document's candidate origins
        for t, o in zip(tgt.tolist(), src.tolist(), strict=True):
            holders[t].add(o)
        tgt, para, src = _could_pass(tgt, para, src, params)
        n_words = [len(t.stream.ids) for t in _TOKS]
        _VOCAB = _vocabulary(_TOKS)
        by_target: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for i in np.lexsort((rank[src], para, tgt)).tolist():
            by_target[int(tgt[i])][int(para[i])].append(int(src[i]))
        jobs = [(t, dict(ps)) for t, ps in by_target.items()]
        raw = _substantive(_run(_link_chunk, worker_chunks(jobs, workers, 200), workers), n_words, params)
        raw += _within_pairs(raw, rank, workers)
        raw, basis = _directed(raw, holders, rank, n_words)
    finally:
        _DOCS, _TOKS, _VOCAB, _PARAMS = (), [], np.empty(0, np.uint64), ReuseParams()
        _STRINGS.clear()
    links = [ReuseLink(docs[r.src].id, docs[r.tgt].id, r.from_span, r.to_span, round(r.similarity, 3),
                       basis[(r.src, r.tgt)]) for r in raw]
    links.sort(key=lambda link: (link.to_doc, link.to_span))
    return links


def _symbols(i: int, span: Span) -> str:
    """The symbols of the words of ``span`` in document ``i`` (paragraph separators included)."""
    t = _TOKS[i]
    a, b = np.searchsorted(t.stream.starts, span).tolist()
    if b <= a:
        return ""
    return _string(i)[a + t.para_of(int(t.stream.starts[a])):b + t.para_of(int(t.stream.starts[b - 1]))]


def _closer_to_others(units: Sequence[_Raw], others: Sequence[int]) -> float:
    """How much closer the later document's wording of the shared passages is than the earlier one's to the
    independent copies (positive: the later document's; 0 when no other document holds the passages).

    For each passage, the other document that holds it best (aligning with either version at
    :data:`_HELD` or more) is taken as a witness of the original wording, and the two versions' similarities
    to it are compared: a spun or reworded copy drifts away from what every other copy of the story says.
    """
    score = 0.0
    for u in units:
        mine, theirs = _symbols(u.src, u.from_span), _symbols(u.tgt, u.to_span)
        best = (0.0, 0.0)
        for o in others:
            text = _string(o)
            pair = (fuzz.partial_ratio(mine, text), fuzz.partial_ratio(theirs, text))
            if max(pair) > max(best):
                best = pair
        if max(best) >= _HELD:
            score += best[1] - best[0]
    return score


def _directed(raw: list[_Raw], holders: dict[int, set[int]], rank: np.ndarray, n_words: list[int]
              ) -> tuple[list[_Raw], dict[tuple[int, int], str]]:
    """The linked pairs turned the right way round, with the rule that decided each (its ``basis``).

    Time order put the earlier document first; that stands when both are dated on different days.
    Otherwise the date says little (an undated scrape may be the faithful copy, a dated one its spun
    rewrite), and the wording decides where other documents hold the passages: the version closer to
    them is the origin (:func:`_closer_to_others`; the witnesses are the later document's other candidate
    origins, so the decision is the same whether the pair is found with the whole corpus or with a
    :class:`ReuseFocus`). Failing that a dated document comes before an undated one, then a document
    carrying a news agency's credit before one that repeats it without, then capture order. A pair turned
    round is aligned again the other way (units are passages of the later document), must pass the pair
    rule, and has the basis of the rule that turned it (:data:`TURNED`); a pair left in time order keeps
    the time-order basis.
    """
    by_pair: dict[tuple[int, int], list[_Raw]] = defaultdict(list)
    for r in raw:
        by_pair[(r.src, r.tgt)].append(r)
    out: list[_Raw] = []
    basis: dict[tuple[int, int], str] = {}
    for (s, t), units in by_pair.items():
        turn = _turn(s, t, units, holders[t] - {s})
        if turn is not None:
            back = _substantive(_links_for(s, dict.fromkeys(range(len(_TOKS[s].paras)), [t])), n_words, _PARAMS)
            if back:
                out += back + _within_pairs(back, rank, 1)
                basis[(t, s)] = turn
                continue
        out += units
        basis[(s, t)] = direction_basis(_DOCS[s], _DOCS[t])
    return out, basis


TURNED = frozenset({"wording", "wire_credit"})  # bases of links whose direction goes against time order


def _turn(s: int, t: int, units: Sequence[_Raw], witnesses: set[int]) -> str | None:
    """The rule that turns pair (earlier ``s``, later ``t``) round, or None when time order stands."""
    first, later = _DOCS[s], _DOCS[t]
    if first.published is not None and later.published is not None and first.published != later.published:
        return None
    score = _closer_to_others(units, sorted(witnesses))
    if abs(score) >= _WORDING_MARGIN:
        return "wording" if score > 0 else None
    if (first.published is None) != (later.published is None):
        return None
    if wire_credit(later.text) is not None and wire_credit(first.text) is None:
        return "wire_credit"
    return None


def fingerprints_of(docs: Sequence[ReuseDoc], params: ReuseParams = ReuseParams()) -> dict[str, Fingerprints]:
    """Each document's fingerprints, as :func:`find_reuse` computes them."""
    global _DOCS, _PARAMS
    _DOCS, _PARAMS = docs, params
    try:
        workers = params.workers or ((os.cpu_count() or 1) if len(docs) >= params.parallel_from else 1)
        done = [row for packed in _run(_tokenise_chunk, worker_chunks(range(len(docs)), workers, 500), workers)
                for row in _unpack(packed)]
    finally:
        _DOCS, _PARAMS = (), ReuseParams()
    return {d.id: f for d, (_, f) in zip(docs, done, strict=True)}


def _held(hashes: np.ndarray | None) -> Fingerprints:
    """Fingerprints standing for a document that is only a possible origin (one paragraph: it is never a target)."""
    h = np.empty(0, np.uint64) if hashes is None else np.asarray(hashes, dtype=np.uint64)
    return Fingerprints(h, np.zeros(len(h), dtype=np.int64))


def _could_pass(tgt: np.ndarray, para: np.ndarray, src: np.ndarray, params: ReuseParams
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidates whose document pair could pass :func:`_substantive`, which the rest cannot.

    The pair rule is applied before aligning: a pair of documents with fewer than
    ``min_pair_units`` candidate paragraphs, which together cannot cover ``pair_coverage`` of the
    later document, shares a passage or two that a common source explains as well as copying.
    Most candidates are such pairs (stock phrasing shared by chance), so this saves most
    alignments; and a passage such a pair shares goes to the earliest document that does pass.
    """
    if len(tgt) == 0:
        return tgt, para, src
    n = len(_TOKS)
    para_words = np.concatenate([np.diff(t.bounds) for t in _TOKS])
    para_base = np.cumsum([0] + [len(t.paras) for t in _TOKS])
    pairs, inverse, count = np.unique(tgt * n + src, return_inverse=True, return_counts=True)
    covered = np.bincount(inverse, weights=para_words[para_base[tgt] + para])
    doc_words = np.array([len(t.stream.ids) for t in _TOKS])[pairs // n]
    keep = ((count >= params.min_pair_units) | (covered >= params.pair_coverage * doc_words))[inverse]
    return tgt[keep], para[keep], src[keep]


def _substantive(raw: list[_Raw], n_words: list[int], params: ReuseParams) -> list[_Raw]:
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
            own and sum(u.words for u in own) >= params.pair_coverage * n_words[tgt]
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
    sets = UnionFind(d.id for d in docs)
    for (a, b), n in covered.items():
        total = len(words(by_id[b].text))
        if total and n / total >= min_share:
            sets.union(a, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for d in sorted(docs, key=time_key):
        groups[sets.find(d.id)].append(d.id)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g[0]))
