"""Text preparation that keeps offsets: typography folding, paragraphs and sentences.

Extractors match against :attr:`TextDoc.folded`, a copy of the text with curly
quotes, dashes and odd spaces folded to ASCII *one character for one character*, so
any offset found in it is an offset into the original extracted text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from hague.reading.fields import DateAnchor, Span

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200a": " ", "\t": " ",
})


# (character, its ASCII fold): no fold is itself folded, so one replacement after another is one translation.
_FOLD_PAIRS = tuple((chr(code), plain) for code, plain in _FOLD.items())


def fold(text: str) -> str:
    """Fold typography to ASCII without changing the length (offsets stay valid).

    One replacement per folded character the text holds: ``str.translate`` looks every character of a non-ASCII
    text up in its table, some thirty times slower on news copy."""
    for char, plain in _FOLD_PAIRS:
        if char in text:
            text = text.replace(char, plain)
    return text


_PARA = re.compile(r"[^\n]+")
# Abbreviations that end with a period but rarely end a sentence in news copy.
_ABBREV = {
    "u.s", "u.n", "u.k", "e.u", "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "maj", "gov",
    "sen", "rep", "rev", "prof", "jr", "sr", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "inc", "corp", "co", "ltd", "h.j", "d.c", "fig", "approx",
}
_SENT_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")


def paragraphs(text: str) -> list[Span]:
    """Each non-blank line is a paragraph (readers join hard-wrapped lines before this)."""
    spans = []
    for m in _PARA.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


_OPENER = re.compile(r"\s+(?:The|A|An|It|Its|This|These|They|He|She|We|In|On|At|But)\s")


def _is_abbreviation(text: str, dot: int) -> bool:
    i = dot
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    if word in _ABBREV:
        return True
    # Initials such as "Timothy H.J. Nerozzi" or "J. Smith", but not a capital ending a sentence before a
    # function word opens the next one ("a Tochka U. The ministry said").
    return len(word) == 1 and word.isalpha() and text[dot - 1].isupper() \
        and not _OPENER.match(text, dot + 1)


def sentences(text: str, para: Span) -> list[Span]:
    """Split one paragraph into sentences; quotation marks stay with their sentence."""
    start, end = para
    chunk = text[start:end]
    spans: list[Span] = []
    cur = 0
    for m in _SENT_END.finditer(chunk):
        dot = m.start()
        if chunk[dot] == "." and _is_abbreviation(chunk, dot):
            continue
        spans.append((start + cur, start + m.end()))
        cur = m.end()
        while cur < len(chunk) and chunk[cur].isspace():
            cur += 1
    if cur < len(chunk):
        spans.append((start + cur, end))
    return spans


@dataclass
class TextDoc:
    """A document ready for the extractors: text, folded text, structure and dating context."""

    text: str
    published: date | None = None
    title: str | None = None
    anchors: list[DateAnchor] = field(default_factory=list)
    # Per-document results extractors compute once and slice many times (e.g. every date expression).
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # paragraph -> its sentences, split alone (:meth:`sentence_of_paragraph`)
    _paragraph_sentences: dict[Span, list[Span]] = field(default_factory=dict, init=False, repr=False,
                                                          compare=False)

    @cached_property
    def folded(self) -> str:
        return fold(self.text)

    @cached_property
    def paragraphs(self) -> list[Span]:
        return paragraphs(self.text)

    @cached_property
    def sentences(self) -> list[Span]:
        return [s for p in self.paragraphs for s in sentences(self.folded, p)]

    def base_date(self, offset: int) -> date | None:
        """The date relative expressions at ``offset`` resolve against (a reuse anchor, else publication)."""
        for a in self.anchors:
            if a.start <= offset < a.end:
                return a.published
        return self.published

    def paragraph_of(self, offset: int) -> Span | None:
        return _span_at(self.paragraphs, self._paragraph_starts, offset)

    def sentence_of(self, offset: int) -> Span | None:
        return _span_at(self.sentences, self._sentence_starts, offset)

    def sentence_of_paragraph(self, offset: int) -> Span | None:
        """:meth:`sentence_of`, folding and splitting into sentences only the paragraph that holds ``offset`` (each
        paragraph once): the same span, since a sentence never crosses a paragraph and folding keeps every
        character's place. For a caller that needs the sentences at a few offsets of a long document
        (clustering describes a report by the sentences of its evidence), where splitting the whole was most of
        the work."""
        para = self.paragraph_of(offset)
        if para is None:
            return None
        split = self._paragraph_sentences.get(para)
        if split is None:
            start, end = para
            split = self._paragraph_sentences[para] = [
                (start + s, start + e) for s, e in sentences(fold(self.text[start:end]), (0, end - start))]
        return next((s for s in split if s[0] <= offset < s[1]), None)

    def sentences_in(self, span: Span) -> list[Span]:
        """The sentences that start inside ``span`` (a paragraph's, say)."""
        starts = self._sentence_starts
        return self.sentences[bisect_left(starts, span[0]):bisect_left(starts, span[1])]

    # Paragraphs and sentences are in text order and do not overlap, so the one at an offset is found by
    # bisection: extractors ask for thousands per document, and a scan from the start was O(sentences) each.
    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p[0] for p in self.paragraphs]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s[0] for s in self.sentences]


def _span_at(spans: list[Span], starts: list[int], offset: int) -> Span | None:
    """The span of ``spans`` (in order, not overlapping; ``starts`` their starts) that holds ``offset``."""
    i = bisect_right(starts, offset) - 1
    return spans[i] if i >= 0 and offset < spans[i][1] else None
