"""What a reused passage's origin knows, carried to the copy: the speaker's name when the copy gives only
a role ("Ukraine's foreign minister" -> Dmytro Kuleba), and when the statement was made, since the
origin was written closer to it (a copy's "said last week" is the origin's "said Wednesday").

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


def carry_from_origins(session: Session, links: Sequence[ReuseLink], docs: Mapping[str, DocInfo]) -> int:
    """Update statements in reused passages from their origin's matching statement; returns how many changed."""
    changed = 0
    rows: dict[int, list[StatementRow]] = {}  # a document's statements, read once however many links name it

    def statements(doc_id: int) -> list[StatementRow]:
        if doc_id not in rows:
            rows[doc_id] = list(session.scalars(select(StatementRow).where(StatementRow.document_id == doc_id)))
        return rows[doc_id]

    for link in links:
        origin, copy = docs[link.from_doc], docs[link.to_doc]
        targets = [r for r in statements(copy.id) if _overlaps(r, link.to_span)]
        sources = [r for r in statements(origin.id) if _overlaps(r, link.from_span)] if targets else []
        for row in targets:
            scored = [(fuzz.ratio(_content(row, copy.text), _content(src, origin.text)), src) for src in sources]
            if not scored:
                continue
            score, best = max(scored, key=lambda x: x[0])
            if score >= MIN_SIMILARITY and _carry(row, best, origin.key):
                changed += 1
    return changed


def _mine(fields: dict, name: str) -> bool:
    """A value a person set (hague.curation): never carried over."""
    return (fields.get(name) or {}).get("origin") == "analyst"


def _carry(row: StatementRow, src: StatementRow, origin_key: str) -> bool:
    fields = dict(row.fields)
    changed = False
    if row.speaker and not name_in(row.speaker) and src.speaker and name_in(src.speaker) \
            and not _mine(fields, "speaker"):
        fields["speaker_aliases"] = sorted({*fields.get("speaker_aliases", []), row.speaker})
        fields["speaker"] = {**fields["speaker"], "value": src.speaker, "confidence": 0.6, "carried_from": origin_key}
        row.speaker = src.speaker
        if src.org and not row.org and not _mine(fields, "org"):
            fields["org"] = {**fields["org"], "value": src.org, "confidence": 0.6, "carried_from": origin_key}
            row.org = src.org
        changed = True
    if src.said_on and src.said_on != row.said_on and not _mine(fields, "said_on"):
        fields["said_on"] = {**fields["said_on"], "value": src.said_on, "confidence": 0.6,
                             "carried_from": origin_key}
        row.said_on = src.said_on
        changed = True
    if changed:
        row.fields = fields
    return changed
