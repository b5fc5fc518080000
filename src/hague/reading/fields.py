"""Typed records for what reading one document yields.

Every extracted value is a :class:`Field`: the value, the character span of the
extracted text it rests on, a confidence, and its origin. Machine output stays a
suggestion until a person accepts it, so ``origin`` defaults to ``"machine"`` and
every serialisation carries it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

T = TypeVar("T")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Field(Generic[T]):
    """One extracted value with its evidence span (character offsets into the extracted text)."""

    value: T
    start: int | None = None
    end: int | None = None
    confidence: float = 0.5
    origin: str = "machine"

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
            "origin": self.origin,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Field[Any]:
        return cls(data["value"], data.get("start"), data.get("end"), data.get("confidence", 0.5),
                   data.get("origin", "machine"))


def none_field() -> Field[Any]:
    """A field for which the text gives nothing (value None, no span)."""
    return Field(None, None, None, 0.0)


@dataclass(slots=True)
class Statement:
    """Who said what (GOLD.md ``statements``): ``quote`` spans the statement's content."""

    speaker: Field[str]
    org: Field[str | None]
    quote: Field[str]
    mode: Field[str]  # direct | indirect
    said_on: Field[str | None]  # YYYY-MM-DD, or YYYY-MM-DD/YYYY-MM-DD
    stance: Field[str]
    role: Field[str | None] = field(default_factory=none_field)
    speaker_aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    """One document's account of one incident (GOLD.md ``reports``)."""

    evidence: list[Span]
    event: Field[str]
    targets: Field[list[str]]
    weapons: Field[list[str]]
    place: Field[str | None]
    country: Field[str | None]
    date: Field[str | None]  # YYYY-MM-DD, or YYYY-MM-DD/YYYY-MM-DD
    killed: Field[int | None]
    injured: Field[int | None]
    casualty_text: Field[str | None]
    perpetrator: Field[str | None]
    status: Field[str]
    pattern: Field[bool]
    coordinates: tuple[float, float] | None = None  # (lat, lon) of ``place`` when the gazetteer knows it


@dataclass(frozen=True, slots=True)
class DateAnchor:
    """Resolve relative dates inside ``[start, end)`` against ``published`` instead of the document's date.

    Used for passages reused from an earlier document: "last week" in a copied paragraph
    means the week before the origin was published.
    """

    start: int
    end: int
    published: date


@dataclass(slots=True)
class Reading:
    """Everything read from one document."""

    paragraphs: list[Span]
    sentences: list[Span]
    statements: list[Statement]
    reports: list[Report]
