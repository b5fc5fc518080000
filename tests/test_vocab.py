"""The closed vocabularies (hague.vocab) and the data files that describe them name the same values."""

from __future__ import annotations

from hague.codes import codes
from hague.law.datafiles import load_yaml
from hague.vocab import (
    ConfidenceLabel,
    ConflictType,
    ElementStatus,
    Event,
    Mode,
    ReportStatus,
    ReviewState,
    Stance,
    values,
)


def test_review_states_are_those_of_review_yaml_in_workflow_order() -> None:
    review = load_yaml("review")
    assert values(ReviewState) == tuple(s["id"] for s in review["states"])
    labels = next(s for s in review["states"] if "analyst_confidence_labels" in s)["analyst_confidence_labels"]
    assert values(ConfidenceLabel) == tuple(labels)
    assert {state for pair in review["transitions"] for state in pair} - {"any"} <= set(values(ReviewState))


def test_element_statuses_are_those_of_the_element_library() -> None:
    assert values(ElementStatus) == tuple(load_yaml("elements")["element_statuses"])
    evidence_linked = next(s for s in load_yaml("review")["states"] if s["id"] == "evidence_linked")
    assert set(evidence_linked["element_status_values"]) <= set(values(ElementStatus))


def test_reading_codes_have_a_gloss_each() -> None:
    table = codes()
    for name, vocabulary in (("events", Event), ("stances", Stance), ("statuses", ReportStatus), ("modes", Mode)):
        assert tuple(table[name]) == values(vocabulary), name


def test_conflict_table_uses_the_conflict_types() -> None:
    conflicts = load_yaml("conflicts")["conflicts"]
    used = {p["type"] for c in conflicts for p in [*c["periods"], *c.get("regions", [])]}
    assert used and used <= set(values(ConflictType))


def test_every_ledger_action_written_is_in_the_vocabulary() -> None:
    """Actions are written as Action members or as their plain strings; either way the string must be one."""
    import re

    from tests.conftest import ROOT

    from hague.vocab import Action

    written = set()
    for path in (ROOT / "src" / "hague").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"(?:ledger\.append\(\w+, \w+(?:\(\w*\))?, |\((?:actor|who), )([^,]+)", text):
            written |= set(re.findall(r'"([a-z_]+\.?[a-z_]*)"', call.group(1)))
    assert written and written <= set(values(Action)), written - set(values(Action))
