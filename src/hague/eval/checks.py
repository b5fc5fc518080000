"""Per-field verdicts for one matched statement or report; the figures and the miss listing share them."""

from __future__ import annotations

import importlib
from typing import Any

from hague.codes import target_groups
from hague.eval.gold import GoldReport, GoldStatement
from hague.eval.speakers import same_speaker
from hague.eval.values import (
    Geocoder,
    date_correct,
    parse_interval,
    same_name,
    same_place,
    same_value,
    set_f1,
)

STATEMENT_FIELDS = ("speaker", "stance", "said_on")
REPORT_FIELDS = ("event", "targets_f1", "targets_group", "weapons_f1", "place", "date", "killed", "injured",
                 "perpetrator", "status")


def find_geocoder() -> Geocoder | None:
    """``hague.reading.places.geocode`` when that module provides it, else None (places compare by name)."""
    try:
        module = importlib.import_module("hague.reading.places")
    except ImportError:
        return None
    geocode = getattr(module, "geocode", None)
    return geocode if callable(geocode) else None


def statement_verdicts(gold: GoldStatement, pred: dict[str, Any]) -> dict[str, float]:
    """1.0 for a right field, 0.0 for a wrong one."""
    speaker = same_speaker(gold.speaker, gold.aliases, gold.org, pred.get("speaker"), pred.get("org"))
    return {
        "speaker": float(speaker),
        "stance": float(gold.stance == pred.get("stance")),
        "said_on": float(date_correct(gold.said_on, pred.get("said_on"))),
    }


def _codes(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple | set) else []


def report_verdicts(gold: GoldReport, pred: dict[str, Any], geocode: Geocoder | None) -> dict[str, float]:
    """1.0/0.0 per field, except the target and weapon set F1s, which are fractions."""
    g = gold.fields
    targets, gold_targets = _codes(pred.get("targets")), _codes(g.get("targets"))
    return {
        "event": float(g.get("event") == pred.get("event")),
        "targets_f1": set_f1(gold_targets, targets),
        "targets_group": float(target_groups(gold_targets) == target_groups(targets)),
        "weapons_f1": set_f1(_codes(g.get("weapons")), _codes(pred.get("weapons"))),
        "place": float(same_place(g.get("place"), pred.get("place"), pred.get("coordinates"), geocode)),
        "date": float(date_correct(parse_interval(g.get("date")), pred.get("date"))),
        "killed": float(same_value(g.get("killed"), pred.get("killed"))),
        "injured": float(same_value(g.get("injured"), pred.get("injured"))),
        "perpetrator": float(same_name(g.get("perpetrator"), pred.get("perpetrator"))),
        "status": float(g.get("status") == pred.get("status")),
    }
