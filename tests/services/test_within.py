"""Listings and lookups ``within`` one case as one person sees it (hague.team.scope.Scope): members see the
case, partners what it shared, and nothing outside is listed or found."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.conftest import Seeded

from hague.errors import NotFound
from hague.model import Case
from hague.services import corroboration, evidence, reading
from hague.team.roles import Role
from hague.team.scope import Scope


def _scope(seeded: Seeded, slug: str, role: Role) -> Scope:
    with seeded.ws.read() as s:
        return Scope.of(s.scalars(select(Case.id).where(Case.slug == slug)).one(), role)


def test_a_member_sees_the_case_and_nothing_else(seeded: Seeded) -> None:
    ws = seeded.ws
    other = _scope(seeded, seeded.other_case, Role.LEAD)  # holds one item of the two
    items = evidence.list_items(ws, within=other)
    assert [i.sha256 for i in items.items] == seeded.items[:1] and items.total == 1
    outside = seeded.items[1]
    with pytest.raises(NotFound):
        evidence.get_item(ws, outside, within=other)
    docs = reading.list_documents(ws, within=other).items
    assert [d.item for d in docs] == seeded.items[:1]
    assert {s.item for s in reading.list_statements(ws, within=other, limit=500).items} == set(seeded.items[:1])
    outside_doc = next(d for d in reading.list_documents(ws).items if d.item == outside)
    with pytest.raises(NotFound):
        reading.document_text(ws, outside_doc.id, within=other)
    assert corroboration.list_reuse(ws, within=other).total == 0  # a link needs both of its documents


def test_a_partner_sees_only_what_was_shared(seeded: Seeded) -> None:
    ws = seeded.ws
    partner = _scope(seeded, seeded.case, Role.PARTNER)
    assert [i.id for i in corroboration.list_incidents(ws, within=partner).items] == [seeded.shared_incident]
    assert corroboration.get_incident(ws, seeded.shared_incident, within=partner).incident.id == seeded.shared_incident
    with pytest.raises(NotFound):
        corroboration.get_incident(ws, seeded.unshared_incident, within=partner)
    member = _scope(seeded, seeded.case, Role.ANALYST)
    assert corroboration.list_incidents(ws, within=member).total == corroboration.list_incidents(ws).total
