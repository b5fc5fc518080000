"""Corroboration as services: incidents with one review state, lookups by prefix, grades under an actor."""

from __future__ import annotations

import pytest

from hague.errors import InvalidInput, NotFound
from hague.services import corroboration, evidence
from hague.workspace import Workspace


def test_incidents_carry_their_review_state_and_resolve_by_prefix(seeded_ws: Workspace) -> None:
    page = corroboration.list_incidents(seeded_ws, limit=3)
    assert page.total > 3 and len(page.items) == 3
    first = page.items[0]
    assert first.review_state == "provisions_suggested" and first.label.endswith("(not reviewed)")
    detail = corroboration.get_incident(seeded_ws, first.id[:-2])
    assert detail.incident.id == first.id and detail.grades and set(detail.grades.values()) == {None}
    with pytest.raises(NotFound):
        corroboration.get_incident(seeded_ws, "no-such-incident")


def test_reuse_positions_and_sources(seeded_ws: Workspace) -> None:
    links = corroboration.list_reuse(seeded_ws, "001_courier_hospital")
    assert links.total == 11 and all(x.from_document == "001_courier_hospital" for x in links.items)
    assert corroboration.list_reuse(seeded_ws, "003_courier_shelling").total == 0  # same outlet, no copied text
    assert corroboration.positions(seeded_ws).mixed
    sources = corroboration.list_sources(seeded_ws).items
    assert sorted((s.name, s.documents, s.to_json()["grade"]) for s in sources) == [
        ("Eastbridge Courier", 2, None), ("Harbour Line Daily", 1, None)]


def test_grading_checks_the_code_and_records_the_actor(seeded_ws: Workspace) -> None:
    with pytest.raises(InvalidInput, match="one letter A–F"):
        corroboration.grade_source(seeded_ws, "Ana", "Eastbridge Courier", "G", "2")
    with pytest.raises(NotFound):
        corroboration.grade_source(seeded_ws, "Ana", "Nobody", "B", "2")
    done = corroboration.grade_source(seeded_ws, "Ana", "eastbridge courier", "b", "2")
    assert done.source.to_json()["grade"] == "B2"
    entry = evidence.list_ledger(seeded_ws, action="source.grade").items[0]
    assert entry.actor == "Ana" and entry.details == {"source": "Eastbridge Courier", "grade": "B2"}
