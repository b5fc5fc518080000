"""Conflict classification for an incident, from the table in ``conflicts.yaml``.

Which provisions can apply depends on whether the conflict is international (IAC) or not (NIAC), so
every incident takes a classification by country and date. The table is a default, not a finding:
an analyst can override it per incident, and the result says where it came from and when it was
assumed rather than read straight from the table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from hague.law.datafiles import load_yaml
from hague.vocab import ConflictType, values

if TYPE_CHECKING:
    from hague.law.features import IncidentFeatures

CONFLICT_TYPES = values(ConflictType)


@dataclass(frozen=True, slots=True)
class ConflictContext:
    """The classification an incident is reviewed under, with its basis."""

    conflict_type: str  # iac | niac | occupation | unclear
    conflict_id: str | None
    name: str | None
    basis: str
    source: str  # "table" | "override"
    assumed: bool = False  # true when the date was missing or spans a change of classification
    assumption: str | None = None  # what was assumed, when ``assumed``
    note: str | None = None
    parties: tuple[str, ...] = ()
    jurisdiction: tuple[str, ...] = ()
    verify: bool = False
    verify_note: str | None = None
    sources: tuple[str, ...] = ()  # what the classification rests on (RULAC entries, courts, commissions)

    @property
    def applicable(self) -> frozenset[str]:
        """Conflict types of provisions that may be engaged: occupation is a regime of an IAC;
        an unclear classification keeps both routes open."""
        if self.conflict_type in ("iac", "occupation"):
            return frozenset({"iac"})
        if self.conflict_type == "niac":
            return frozenset({"niac"})
        return frozenset({"iac", "niac"})

    def describe(self) -> str:
        """One line for reasons and dossiers: "iac (Russia–Ukraine; conflict table; assumed)"."""
        parts = [self.name, "analyst override" if self.source == "override" else "conflict table",
                 "assumed" if self.assumed else None]
        return f"{self.conflict_type} ({'; '.join(p for p in parts if p)})"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _text(value: str | None) -> str | None:
    return " ".join(value.split()) if value else None


def _parse_dates(on: date | str | None) -> tuple[date, date] | None:
    """A day or a GOLD interval ``YYYY-MM-DD/YYYY-MM-DD`` as (first, last); None when unknown."""
    if on is None:
        return None
    if isinstance(on, date):
        return on, on
    first, _, last = on.partition("/")
    return date.fromisoformat(first), date.fromisoformat(last or first)


def _overlapping(periods: list[dict[str, Any]], first: date, last: date) -> list[dict[str, Any]]:
    return [p for p in periods if p["from"] <= last and (p.get("to") is None or p["to"] >= first)]


def party_code(name: str | None) -> str | None:
    """ISO code of a party named in a report ("Russia", "Russian forces" -> "RU"), if the table knows it."""
    if not name:
        return None
    lowered = name.strip().lower()
    for code, names in load_yaml("conflicts")["parties"].items():
        if lowered == code.lower() or any(lowered == n.lower() for n in names):
            return code
    return None


def for_incident(features: IncidentFeatures) -> ConflictContext | None:
    """The classification an incident is reviewed under (its override, else the table)."""
    return conflict_context(features.country, features.date, features.conflict_override, features.place,
                            features.perpetrator)


def conflict_context(country: str | None, on: date | str | None, override: str | None = None,
                     place: str | None = None, perpetrator: str | None = None) -> ConflictContext | None:
    """The classification for an incident in ``country`` on ``on`` (a date or GOLD date/interval).

    ``override`` (an analyst's classification for this incident) wins. A third State named as the
    perpetrator takes the table's ``foreign`` classification (a strike without the territorial State's
    consent), a named region its ``regions`` one. Without a date, the conflict's
    latest classification is used and marked ``assumed``; an interval spanning a change takes the later
    classification, also marked ``assumed``. Returns None when no conflict in the table covers the case.
    """
    if override is not None:
        if override not in CONFLICT_TYPES:
            raise ValueError(f"unknown conflict type {override!r}; expected one of {CONFLICT_TYPES}")
        return ConflictContext(override, None, None, "classification set by the analyst for this incident",
                               "override")
    if not country:
        return None
    span = _parse_dates(on)
    for conflict in load_yaml("conflicts")["conflicts"]:
        if country.upper() not in conflict["countries"]:
            continue
        periods = conflict["periods"]
        lowered = (place or "").lower()
        for region in conflict.get("regions", []):
            if any(name.lower() in lowered for name in region["places"]):
                periods = [region]
        for foreign in conflict.get("foreign", []):
            if perpetrator and perpetrator.lower() in (p.lower() for p in foreign["perpetrators"]):
                periods = [foreign]
        hits = periods[-1:] if span is None else _overlapping(periods, *span)
        if not hits:
            continue
        chosen = max(hits, key=lambda p: p["from"])
        assumption = None
        if span is None:
            assumption = "date unknown: the conflict's latest classification is assumed"
        elif len(hits) > 1:
            assumption = f"dates {on} span a change of classification: the later one is assumed"
        return ConflictContext(
            conflict_type=chosen["type"], conflict_id=conflict["id"], name=conflict["name"],
            basis=_text(chosen["basis"]) or "", source="table", assumed=assumption is not None,
            assumption=assumption, note=_text(chosen.get("note")),
            parties=tuple(conflict["parties"]),
            jurisdiction=tuple(_text(j) or "" for j in conflict["jurisdiction"]),
            verify=bool(conflict.get("verify", False)), verify_note=_text(conflict.get("verify_note")),
            sources=tuple(_text(x) or "" for x in conflict.get("sources", ())),
        )
    return None
