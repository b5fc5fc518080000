"""What a person may set on a statement, a report or an incident, and how a typed value is read and checked.

One table per kind names each correctable field, the kind of value it holds and, for a closed vocabulary, its
choices, so the CLI, the web forms and the API check a value the same way. Values arrive as text (a form, a
command line) or already typed (JSON); either way :func:`parse` returns the stored value or raises
:class:`~hague.errors.InvalidInput` naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from hague.errors import InvalidInput
from hague.vocab import Event, FindingKind, IncidentStatus, Mode, ReportStatus, Stance, values


class Kind(StrEnum):
    TEXT = "text"  # free text, or nothing
    LIST = "list"  # a list of codes or names (comma-separated as text)
    COUNT = "count"  # a whole number of people, or nothing
    DATE = "date"  # YYYY-MM-DD or a range YYYY-MM-DD/YYYY-MM-DD, or nothing
    CHOICE = "choice"  # one value of a closed vocabulary
    POINT = "point"  # [lat, lon] (the map picker), or nothing


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: Kind
    choices: tuple[str, ...] = ()
    column: str | None = None  # the row's column that mirrors the value, when there is one

    def help(self) -> str:
        if self.choices:
            return " | ".join(self.choices)
        return {Kind.TEXT: "text", Kind.LIST: "comma-separated", Kind.COUNT: "a whole number",
                Kind.DATE: "YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD", Kind.POINT: "LAT,LON"}.get(self.kind, "")


STATEMENT_FIELDS = {f.name: f for f in (
    FieldSpec("speaker", "speaker", Kind.TEXT, column="speaker"),
    FieldSpec("org", "organisation", Kind.TEXT, column="org"),
    FieldSpec("stance", "stance", Kind.CHOICE, values(Stance), column="stance"),
    FieldSpec("said_on", "date said", Kind.DATE, column="said_on"),
    FieldSpec("mode", "direct or indirect", Kind.CHOICE, values(Mode)),
)}

_EVENT_FIELDS = (
    FieldSpec("event", "event", Kind.CHOICE, values(Event), column="event"),
    FieldSpec("targets", "targets", Kind.LIST),
    FieldSpec("weapons", "weapons", Kind.LIST),
    FieldSpec("place", "place", Kind.TEXT, column="place"),
    FieldSpec("coordinates", "place on the map", Kind.POINT),
    FieldSpec("country", "country", Kind.TEXT),
    FieldSpec("date", "date", Kind.DATE, column="date"),
    FieldSpec("killed", "killed", Kind.COUNT),
    FieldSpec("injured", "injured", Kind.COUNT),
    FieldSpec("perpetrator", "perpetrator (according to the sources)", Kind.TEXT),
)
REPORT_FIELDS = {f.name: f for f in (*_EVENT_FIELDS,
                                     FieldSpec("status", "status", Kind.CHOICE, values(ReportStatus),
                                               column="status"))}
INCIDENT_FIELDS = {f.name: f for f in (*_EVENT_FIELDS,
                                       FieldSpec("status", "status", Kind.CHOICE, values(IncidentStatus),
                                                 column="status"))}


def specs(kind: FindingKind | str) -> dict[str, FieldSpec]:
    return STATEMENT_FIELDS if kind == FindingKind.STATEMENT else REPORT_FIELDS


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day(text: str, spec: FieldSpec) -> str:
    if not _DAY.match(text):
        raise InvalidInput(f"{spec.label}: {text!r} is not a date ({spec.help()})")
    try:
        date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{spec.label}: {text!r} is not a day of the calendar") from None
    return text


def parse(spec: FieldSpec, raw: Any) -> Any:
    """The value to store for ``spec`` from ``raw`` (text or JSON); empty text means "nothing"."""
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "" and spec.kind != Kind.LIST:
            raw = None
    if raw is None:
        if spec.kind == Kind.CHOICE:
            raise InvalidInput(f"{spec.label}: choose one of {spec.help()}")
        return [] if spec.kind == Kind.LIST else None
    if spec.kind == Kind.TEXT:
        text = " ".join(str(raw).split())
        if len(text) > 300:
            raise InvalidInput(f"{spec.label}: at most 300 characters")
        return text
    if spec.kind == Kind.CHOICE:
        if raw not in spec.choices:
            raise InvalidInput(f"{spec.label}: {raw!r} is not one of {spec.help()}")
        return str(raw)
    if spec.kind == Kind.LIST:
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple):
            raise InvalidInput(f"{spec.label}: a list ({spec.help()})")
        out = [" ".join(str(x).split()) for x in items]
        return list(dict.fromkeys(x for x in out if x))
    if spec.kind == Kind.COUNT:
        try:
            n = int(raw) if not isinstance(raw, bool) else -1
        except (TypeError, ValueError):
            n = -1
        if n < 0:
            raise InvalidInput(f"{spec.label}: {raw!r} is not a whole number of people")
        return n
    if spec.kind == Kind.DATE:
        first, sep, last = str(raw).partition("/")
        if sep:
            a, b = _day(first, spec), _day(last, spec)
            if b < a:
                raise InvalidInput(f"{spec.label}: the range {raw!r} ends before it starts")
            return f"{a}/{b}"
        return _day(first, spec)
    if spec.kind == Kind.POINT:
        parts = raw.split(",") if isinstance(raw, str) else raw
        try:
            lat, lon = (float(x) for x in parts)
        except (TypeError, ValueError):
            raise InvalidInput(f"{spec.label}: {raw!r} is not LAT,LON") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InvalidInput(f"{spec.label}: {lat},{lon} is not on the globe")
        return [round(lat, 6), round(lon, 6)]
    raise AssertionError(spec.kind)


def parse_changes(table: dict[str, FieldSpec], changes: dict[str, Any]) -> dict[str, Any]:
    """Every change read and checked; an unknown field is refused with the ones that exist."""
    out: dict[str, Any] = {}
    for name, raw in changes.items():
        spec = table.get(name)
        if spec is None:
            raise InvalidInput(f"no field {name!r}; fields: {', '.join(table)}")
        out[name] = parse(spec, raw)
    return out
