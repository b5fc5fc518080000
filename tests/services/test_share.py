"""Packages built from a case's incidents: previewed, verified as the recipient would, shown to partners only
once shared with them."""

from __future__ import annotations

import pytest
from tests.conftest import Team

from hague.errors import NotFound, Refused
from hague.services import share


def test_a_package_is_previewed_built_verified_and_shared_with_the_partners(team: Team) -> None:
    lead, partner = team.member("lead"), team.member("partner")
    incident = next(i for i in team.incidents()  # the hospital strike, whose articles quote Daniel Marsh
                    if "hospital" in (team.incident(i).data["fields"]["targets"]["value"] or []))
    shown = share.preview(team.ws, lead, [incident], ["Daniel Marsh"])
    marsh = next(p for p in shown.people if p.name == "Daniel Marsh")
    assert marsh.basis == "this package" and marsh.mentions >= 1 and marsh.pseudonym.startswith("Person-")
    with pytest.raises(Refused, match="only a lead may build packages"):
        share.build(team.ws, team.member("analyst"), "Commission", [incident])
    made = share.build(team.ws, lead, "Commission of Inquiry", [incident], ["Daniel Marsh"])
    assert made.verified and made.verification["recipient"] == "Commission of Inquiry"
    assert share.package_file(team.ws, lead, made.id).stat().st_size == made.size
    assert [p.id for p in share.list_packages(team.ws, partner)] == []
    with pytest.raises(NotFound):
        share.package_file(team.ws, partner, made.id)
    share.set_shared(team.ws, lead, made.id, True)
    assert [p.id for p in share.list_packages(team.ws, partner)] == [made.id]
    assert share.verify_again(team.ws, partner, made.id).verified
    with pytest.raises(NotFound, match="no incident 'no-such-incident'"):
        share.preview(team.ws, lead, ["no-such-incident"])
