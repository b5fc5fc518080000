"""The year of a day an undated report gives without one, taken from the incident the report joins.

A page with no publication date and no year anywhere in its text ("the July 29 attack on the prison") gives the
day of the event but not its year; its reader keeps the span of that day and leaves the date unknown
(:func:`hague.reading.reports._yearless`). Once the report is clustered, the other documents of its incident
say which year: the one that puts the day nearest the dates they give. That is corroboration, not reading, so it
happens here, and the result is a suggestion like any machine value: a lower confidence than a date the text
resolves by itself, its evidence the report's own day, the documents that gave the year beside it
(``year_from``), never over a person's value. A weekday or "yesterday" is never dated this way (they need a day
to count from, which another document's date is not), nor is a course of conduct.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from hague.corroboration.compare import Interval, interval_gap, parse_interval
from hague.corroboration.incidents import ReportRef
from hague.model import ReportRow
from hague.reading.dates import resolve_in_year
from hague.reading.fields import Field
from hague.vocab import Origin

CONFIDENCE = 0.3  # below a date the text resolves itself (0.4-0.6)
GAP = timedelta(days=60)  # a day further than this from every other document's date: its year would be a guess
NARROW = timedelta(days=31)  # only dates at least this precise say which year a day falls in
YEAR_FROM = "year_from"  # key of a report's date JSON: the documents that gave the year

Key = tuple[str, int]


@dataclass(frozen=True)
class Dating:
    """A report's date as its incident gives it: the field, and the documents whose dates gave the year."""

    date: Field[str | None]
    year_from: list[str]


def _year(expr: str, anchors: Sequence[tuple[str, Interval]]) -> tuple[str | None, list[str]]:
    """The day ``expr`` names, in the year that most of the other documents' dates put it near (within ``GAP``;
    ties go to the nearest), and those documents."""
    votes: dict[int, list[tuple[int, str]]] = {}
    for doc_id, interval in anchors:
        best = None
        for year in range(interval[0].year - 1, interval[1].year + 2):
            value = resolve_in_year(expr, year)
            if value is not None:
                gap = interval_gap((value.start, value.end), interval)
                if gap <= GAP.days and (best is None or gap < best[1]):
                    best = (year, gap)
        if best is not None:
            votes.setdefault(best[0], []).append((best[1], doc_id))
    if not votes:
        return None, []
    year = min(votes, key=lambda y: (-len({d for _, d in votes[y]}), min(g for g, _ in votes[y]), y))
    value = resolve_in_year(expr, year)
    return (value.to_gold() if value else None), sorted({d for _, d in votes[year]})


def date_members(members: Sequence[ReportRef], filled: Container[Key] = ()) -> dict[Key, Dating]:
    """The dates an incident gives its members whose report names a day without a year; ``filled``: members an
    earlier run dated this way, dated again (back to unknown when the incident no longer says the year). Only
    the other documents' own dates count, each precise to a month at least."""
    anchors = []
    for ref in members:
        interval = parse_interval(ref.report.date.value)
        if ref.key not in filled and interval and interval[1] - interval[0] <= NARROW:
            anchors.append((ref.doc_id, interval))
    out: dict[Key, Dating] = {}
    for ref in members:
        field = ref.report.date
        if ref.report.pattern.value or field.origin != Origin.MACHINE or field.start is None or field.end is None \
                or (field.value is not None and ref.key not in filled):
            continue
        value, sources = _year(ref.text[field.start:field.end], [a for a in anchors if a[0] != ref.doc_id])
        out[ref.key] = Dating(Field(value, field.start, field.end, CONFIDENCE), sources)
    return out


def datable(members: Sequence[ReportRef]) -> bool:
    """Whether the incident dates a member that names a day without a year."""
    return any(d.date.value for d in date_members(members).values())


def filled_keys(refs: Sequence[ReportRef], rows: Sequence[ReportRow]) -> set[Key]:
    """The members (``refs`` of ``rows``, in order) whose date an earlier run took from their incident."""
    return {ref.key for ref, row in zip(refs, rows, strict=True) if YEAR_FROM in (row.fields.get("date") or {})}


def store(session: Session, row_id: int, dating: Dating) -> bool:
    """Write a report's date from its incident, unless a person set the date meanwhile; whether it changed."""
    row = session.get(ReportRow, row_id)
    if row is None:
        return False
    prior: dict[str, Any] = row.fields.get("date") or {}
    if prior.get("origin", Origin.MACHINE) != Origin.MACHINE:
        return False
    new = {**dating.date.to_json(), YEAR_FROM: dating.year_from} if dating.date.value else dating.date.to_json()
    if new == prior:
        return False
    row.fields = {**row.fields, "date": new}
    row.date = dating.date.value
    return True
