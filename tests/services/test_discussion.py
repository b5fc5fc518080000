"""Comments with @mentions and assignments: by the case's working members, shown to whom they name."""

from __future__ import annotations

import pytest
from tests.conftest import Team

from hague.errors import InvalidInput, Refused
from hague.services import discussion, evidence


def test_a_comment_mentions_members_and_waits_on_their_dashboard(team: Team) -> None:
    incident = team.incidents()[0]
    made = discussion.comment(team.ws, team.member("analyst"), incident,
                              "@reviewer please check the date; @viewer and @partner and @nobody read along.")
    assert made.mentions == ["reviewer", "viewer"]  # partners and strangers are not mentioned
    waiting = discussion.waiting_for(team.ws, "reviewer")
    assert [c.id for c in waiting.mentions.items] == [made.id] and waiting.mentions.items[0].case == "ukraine"
    assert discussion.waiting_for(team.ws, "partner").mentions.total == 0
    entry = evidence.list_ledger(team.ws, action="incident.comment", limit=1).items[0]
    assert entry.actor == "analyst" and "please check" not in str(entry.details)  # the text by its hash only
    comments, assigned = discussion.thread(team.ws, team.member("viewer"), incident)
    assert [c.body for c in comments] == [made.body] and assigned is None
    with pytest.raises(Refused, match="viewer is a viewer"):
        discussion.comment(team.ws, team.member("viewer"), incident, "I may only read")
    with pytest.raises(InvalidInput, match="empty"):
        discussion.comment(team.ws, team.member("analyst"), incident, "   ")


def test_an_incident_is_assigned_to_a_working_member(team: Team) -> None:
    incident = team.incidents()[1]
    done = discussion.assign(team.ws, team.member("lead"), incident, "reviewer")
    assert done is not None and done.assignee == "reviewer"
    assert [a.incident for a in discussion.waiting_for(team.ws, "reviewer").assigned] == [incident]
    with pytest.raises(InvalidInput, match="not an analyst, reviewer or lead"):
        discussion.assign(team.ws, team.member("lead"), incident, "viewer")
    assert discussion.assign(team.ws, team.member("lead"), incident, None) is None
    assert discussion.waiting_for(team.ws, "reviewer").assigned == []
