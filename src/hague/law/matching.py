"""Match a rule's ``when`` clause against an incident's law.md vocabulary values.

Shared by the suggester (which rules fire) and the checklist (which elements a report directly
shows), so both read the same clause language: every key must match; each key is an any-of list.
"""

from __future__ import annotations

from typing import Any

from hague.law.conflicts import ConflictContext
from hague.law.datafiles import load_yaml
from hague.law.features import Coded, IncidentFeatures


def target_group(names: list[str]) -> set[str]:
    """Target-category codes of the named vocabulary groups (``medical`` -> hospital, clinic, ...)."""
    groups = load_yaml("vocabulary")["dimensions"]["target_category"]
    return {code for name in names for code in groups[name]}


def match(when: dict[str, Any], coded: list[Coded], features: IncidentFeatures,
          context: ConflictContext | None) -> list[Coded] | None:
    """The vocabulary values that satisfy ``when`` (for reasons and evidence), or None if it does not hold."""
    matched: list[Coded] = []
    for key, wanted in when.items():
        if key == "linked_incidents_min":
            if features.linked_incidents < wanted:
                return None
            matched.append(Coded("linked_incidents", str(features.linked_incidents), "linked_incidents",
                                 f"linked incidents: {features.linked_incidents}"))
            continue
        if key == "conflict_type":
            if context is None or context.conflict_type not in wanted:
                return None
            continue
        if key == "target_group":
            dimension, values = "target_category", target_group(wanted)
        else:
            dimension, values = key, wanted
        hits = [c for c in coded if c.dimension == dimension and c.code in values]
        if not hits:
            return None
        matched += [c for c in hits if c not in matched]
    return matched
