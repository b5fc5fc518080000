"""Speakers carried across reuse: a later article that names a speaker only by role inherits the name
the origin gives inside the reused passage ("Ukraine's foreign minister" -> Dmytro Kuleba).

Works on stored statement rows, so it applies whether the origin was read in this run or earlier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.corroboration.reuse import ReuseLink
from hague.findings import DocInfo
from hague.model import StatementRow
from hague.reading.speakers import name_in
from hague.reading.text import fold

MIN_SIMILARITY = 60  # rapidfuzz ratio of the two statements' content


def _overlaps(row: StatementRow, span: tuple[int, int]) -> bool:
    return row.quote_start is not None and row.quote_end is not None and \
        row.quote_start < span[1] and span[0] < row.quote_end


def _content(row: StatementRow, text: str) -> str:
    return fold(text[row.quote_start or 0:row.quote_end or 0]).lower()


def carry_speakers(session: Session, links: Sequence[ReuseLink], docs: Mapping[str, DocInfo]) -> int:
    """Rename role-only speakers in reused passages after the origin's named speaker; returns how many."""
    changed = 0
    for link in links:
        origin, copy = docs[link.from_doc], docs[link.to_doc]
        targets = [r for r in session.scalars(select(StatementRow).where(StatementRow.document_id == copy.id))
                   if _overlaps(r, link.to_span) and r.speaker and not name_in(r.speaker)]
        if not targets:
            continue
        sources = [r for r in session.scalars(select(StatementRow).where(StatementRow.document_id == origin.id))
                   if _overlaps(r, link.from_span) and r.speaker and name_in(r.speaker)]
        for row in targets:
            scored = [(fuzz.ratio(_content(row, copy.text), _content(src, origin.text)), src) for src in sources]
            if not scored:
                continue
            score, best = max(scored, key=lambda x: x[0])
            if score < MIN_SIMILARITY:
                continue
            fields = dict(row.fields)
            fields["speaker_aliases"] = sorted({*fields.get("speaker_aliases", []), row.speaker})
            fields["speaker"] = {**fields["speaker"], "value": best.speaker, "confidence": 0.6,
                                 "carried_from": origin.key}
            if best.org and not row.org:
                fields["org"] = {**fields["org"], "value": best.org, "confidence": 0.6, "carried_from": origin.key}
                row.org = best.org
            row.speaker, row.fields = best.speaker, fields
            changed += 1
    return changed
