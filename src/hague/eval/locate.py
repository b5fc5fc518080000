"""Find gold text inside a document, ignoring typography.

Gold quotes are exact substrings "modulo typography": curly and straight quotes, dashes, runs of
spaces and letter case count as the same. We search a normalised copy of the text that remembers, for
each of its characters, the offset it came from, so every hit is a span of the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from hague.reading.text import fold

Span = tuple[int, int]

_SPACE = re.compile(r"\s+")


def _normalise(text: str) -> tuple[str, list[int]]:
    """Fold typography, collapse whitespace runs and lowercase; return the copy and its offset map."""
    folded = fold(text)
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _SPACE.finditer(folded):
        for i in range(pos, m.start()):
            chars.append(folded[i])
            offsets.append(i)
        chars.append(" ")
        offsets.append(m.start())
        pos = m.end()
    for i in range(pos, len(folded)):
        chars.append(folded[i])
        offsets.append(i)
    # Lowercase character by character so the offset map stays aligned.
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in chars)
    return lowered, offsets


@dataclass
class Locator:
    """Searches one document's text; build once per document and reuse."""

    text: str

    @cached_property
    def _index(self) -> tuple[str, list[int]]:
        return _normalise(self.text)

    def find_all(self, needle: str) -> list[Span]:
        """Every occurrence of ``needle`` (typography-insensitive), as spans of the original text."""
        norm_needle = _normalise(needle)[0].strip()
        if not norm_needle:
            return []
        hay, offsets = self._index
        spans = []
        start = hay.find(norm_needle)
        while start >= 0:
            end = start + len(norm_needle)
            spans.append((offsets[start], offsets[end - 1] + 1))
            start = hay.find(norm_needle, start + 1)
        return spans


def overlap(a: Span, b: Span) -> int:
    """Characters shared by two half-open spans."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def merge(spans: list[Span]) -> list[Span]:
    """Sorted, disjoint spans covering the same characters."""
    merged: list[Span] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def covered(spans: list[Span]) -> int:
    """Characters covered by a set of spans, each counted once."""
    return sum(e - s for s, e in merge(spans))


def shared(a: list[Span], b: list[Span]) -> int:
    """Characters covered by both span sets, each counted once."""
    return sum(overlap(x, y) for x in merge(a) for y in merge(b))
