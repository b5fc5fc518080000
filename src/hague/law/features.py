"""Incident features in GOLD.md codes, and their translation into law.md's vocabulary.

Reports are read in the GOLD.md codes; the mapping rules match law.md's finer vocabulary. The crosswalk
is data (``vocabulary.yaml``); this module applies it and keeps, for every law code, the GOLD feature
it came from, so that a suggestion can say why ("target: hospital") and an element finding can link
the report span that shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hague.law.datafiles import load_yaml
from hague.law.named import named_provisions

if TYPE_CHECKING:
    from hague.reading.fields import Report

# how a GOLD dimension is named in reasons ("target: hospital")
_LABELS = {"targets": "target", "weapons": "weapon", "event": "event"}


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """Where a feature came from: a report (or statement, item) and the span of text that shows it."""

    kind: str = "report"  # report | statement | item | conflict_table
    report_id: str | None = None
    document_id: str | None = None
    item_id: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "report_id": self.report_id, "document_id": self.document_id,
                "item_id": self.item_id, "start": self.start, "end": self.end, "quote": self.quote}


def feature_key(dimension: str, code: str | None = None) -> str:
    """Key of ``IncidentFeatures.evidence``: ``"targets:hospital"``, ``"event:attack"``, ``"killed"``."""
    return f"{dimension}:{code}" if code is not None else dimension


@dataclass(slots=True)
class IncidentFeatures:
    """What the review layer needs of an incident, in GOLD.md codes.

    ``flags`` carries analyst-set legal context (law.md §2.2 legal_context_flags, e.g.
    ``protected_emblem_displayed: "yes"``); ``linked_incidents`` counts incidents an analyst linked into
    the same campaign; ``conflict_override`` replaces the conflict table's classification.
    """

    event: str | None = None
    targets: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    country: str | None = None
    date: str | None = None  # YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD
    pattern: bool = False
    status: str | None = None  # reported | alleged | confirmed | unconfirmed | denied
    killed: int | None = None
    injured: int | None = None
    perpetrator: str | None = None
    place: str | None = None
    flags: dict[str, str] = field(default_factory=dict)
    linked_incidents: int = 0
    conflict_override: str | None = None
    named: list[str] = field(default_factory=list)  # provision ids the sources cite themselves
    evidence: dict[str, list[EvidenceRef]] = field(default_factory=dict)

    def feature_keys(self) -> list[str]:
        """Every feature key that ``evidence`` may be indexed by."""
        keys = [feature_key("event", self.event)] if self.event else []
        keys += [feature_key("targets", t) for t in self.targets]
        keys += [feature_key("weapons", w) for w in self.weapons]
        keys += [k for k in ("killed", "injured") if getattr(self, k)]
        keys += [feature_key("named", pid) for pid in self.named]
        return keys

    @classmethod
    def from_gold(cls, report: dict[str, Any], text: str | None = None, report_id: str | None = None,
                  document_id: str | None = None) -> IncidentFeatures:
        """From a GOLD.md ``reports`` entry; its evidence strings become references for every feature
        (GOLD evidence is per report, not per field), located in ``text`` when it is given."""
        refs = [_locate(quote, text, report_id, document_id) for quote in report.get("evidence", [])]
        features = cls(
            event=report.get("event"), targets=list(report.get("targets") or []),
            weapons=list(report.get("weapons") or []), country=report.get("country"), date=report.get("date"),
            pattern=bool(report.get("pattern", False)), status=report.get("status"),
            killed=report.get("killed"), injured=report.get("injured"), perpetrator=report.get("perpetrator"),
            place=report.get("place"),
        )
        features.evidence = {key: list(refs) for key in features.feature_keys()}
        return features

    @classmethod
    def from_reading(cls, report: Report, text: str, report_id: str | None = None,
                     document_id: str | None = None) -> IncidentFeatures:
        """From a report read by ``hague.reading``: each field's own span is its evidence."""

        def refs(field_: Any) -> list[EvidenceRef]:
            if field_.start is None or field_.end is None:
                return []
            return [EvidenceRef("report", report_id, document_id, None, field_.start, field_.end,
                                text[field_.start:field_.end])]

        features = cls(
            event=report.event.value, targets=list(report.targets.value or []),
            weapons=list(report.weapons.value or []), country=report.country.value, date=report.date.value,
            pattern=bool(report.pattern.value), status=report.status.value, killed=report.killed.value,
            injured=report.injured.value, perpetrator=report.perpetrator.value, place=report.place.value,
        )
        by_dimension = {"event": report.event, "targets": report.targets, "weapons": report.weapons,
                        "killed": report.killed, "injured": report.injured}
        cited = named_provisions(text)
        features.named = [pid for pid, _, _ in cited]
        features.evidence = {key: refs(by_dimension[key.split(":")[0]]) for key in features.feature_keys()
                             if not key.startswith("named:")}
        for pid, start, end in cited:
            features.evidence[feature_key("named", pid)] = [
                EvidenceRef("report", report_id, document_id, None, start, end, text[start:end])]
        return features


def _locate(quote: str, text: str | None, report_id: str | None, document_id: str | None) -> EvidenceRef:
    start = text.find(quote) if text else -1
    if start < 0:
        return EvidenceRef("report", report_id, document_id, quote=quote)
    return EvidenceRef("report", report_id, document_id, None, start, start + len(quote), quote)


@dataclass(frozen=True, slots=True)
class Coded:
    """One law.md vocabulary value of an incident, with the GOLD feature it came from."""

    dimension: str  # target_category | payload_effect | delivery_system | guidance | wide_area_effect | ...
    code: str
    source: str  # feature key, e.g. "targets:hospital"
    label: str  # for reasons, e.g. "target: hospital"
    note: str | None = None


def _alternative(entry: dict[str, Any] | list[dict[str, Any]], targets: Iterable[str]) -> dict[str, Any]:
    """The mapping alternative that applies: the first whose ``if_also`` targets are all present."""
    if isinstance(entry, dict):
        return entry
    present = set(targets)
    return next(alt for alt in entry if set(alt.get("if_also", ())) <= present)


def gold_to_law() -> dict[str, dict[str, Any]]:
    """The crosswalk table (GOLD dimension -> GOLD code -> law dimension -> codes)."""
    return load_yaml("vocabulary")["gold_to_law"]


def to_law_codes(features: IncidentFeatures) -> list[Coded]:
    """Translate the GOLD codes of an incident into law.md vocabulary values.

    An unknown GOLD code raises: silently dropping it would hide a candidate provision.
    """
    table = gold_to_law()
    coded: list[Coded] = []
    sources = [("event", [features.event] if features.event else []), ("targets", features.targets),
               ("weapons", features.weapons)]
    for dimension, codes in sources:
        for code in codes:
            if code not in table[dimension]:
                raise ValueError(f"no law.md mapping for GOLD {dimension} code {code!r}")
            mapping = _alternative(table[dimension][code], features.targets)
            for law_dimension, values in mapping.items():
                if law_dimension in ("if_also", "note"):
                    continue
                for value in values:
                    coded.append(Coded(law_dimension, value, feature_key(dimension, code),
                                       f"{_LABELS[dimension]}: {code}", mapping.get("note")))
    if features.event:  # GOLD event codes pass through: element machine-fill keys on them
        event = features.event
        coded.append(Coded("event", event, feature_key("event", event), f"event: {event}"))
    else:
        coded.append(Coded("context", "unclear", "event", "event: not given"))
    for harm in ("killed", "injured"):
        count = getattr(features, harm)
        if count:
            coded.append(Coded("harm", harm, harm, f"{harm}: {count}"))
    return coded
