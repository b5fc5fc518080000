"""Where a finding stands in its document, in a form that outlives the machine rows: item, span, text hash.

A statement stands on its quote span, a report on its first evidence span. When the machine reads a
document again (a new extractor version, new reuse anchors), a decided anchor is matched to the new rows:
the same span first, then the same text elsewhere, then the row whose span overlaps it most (at least
:data:`MIN_OVERLAP` of the union), each row taken by at most one anchor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from hague.model import ReportRow, StatementRow

MIN_OVERLAP = 0.5  # intersection over union of two spans for a re-read finding to be the same one

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    sha256: str


def span_sha256(text: str, start: int, end: int) -> str:
    return hashlib.sha256(text[start:end].encode("utf-8")).hexdigest()


def anchor_at(text: str, start: int, end: int) -> Anchor:
    return Anchor(start, end, span_sha256(text, start, end))


def row_span(row: StatementRow | ReportRow) -> tuple[int, int] | None:
    """The span a machine row stands on (None when it has none, which no decision can then name)."""
    if isinstance(row, StatementRow):
        if row.quote_start is None or row.quote_end is None:
            return None
        return row.quote_start, row.quote_end
    if not row.evidence:
        return None
    start, end = row.evidence[0]
    return int(start), int(end)


def row_anchor(row: StatementRow | ReportRow, text: str) -> Anchor | None:
    span = row_span(row)
    return anchor_at(text, *span) if span else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if inter > 0 and union > 0 else 0.0


@dataclass
class Candidate(Generic[T]):
    row: T
    anchor: Anchor


def match(anchors: Sequence[tuple[K, Anchor]], rows: Sequence[Candidate[T]]) -> dict[K, T]:
    """Each anchor's row (when one fits), best fits first, a row going to one anchor only."""
    scored: list[tuple[float, int, int]] = []
    for i, (_, a) in enumerate(anchors):
        for j, c in enumerate(rows):
            b = c.anchor
            if (a.start, a.end) == (b.start, b.end):
                score = 3.0
            elif a.sha256 == b.sha256:
                score = 2.0
            else:
                score = _overlap((a.start, a.end), (b.start, b.end))
                if score < MIN_OVERLAP:
                    continue
            scored.append((score, i, j))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    out: dict[K, T] = {}
    used_a: set[int] = set()
    used_r: set[int] = set()
    for _, i, j in scored:
        if i in used_a or j in used_r:
            continue
        used_a.add(i)
        used_r.add(j)
        out[anchors[i][0]] = rows[j].row
    return out
