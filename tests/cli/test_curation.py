"""`hague login` and `hague curate ...`: the command line acts as an account, never as a typed name."""

from __future__ import annotations

import json

import pytest
from tests.conftest import Hague, Team, cli_login

from hague.cli.root import app


def test_without_an_account_curation_is_refused(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    hague = Hague()
    monkeypatch.delenv("HAGUE_TOKEN", raising=False)
    res = hague("curate", "reject", "statement", str(team.statements()[0].id), ok=False)
    assert res.exit_code == 1 and "HAGUE_TOKEN" in res.stderr
    monkeypatch.setenv("HAGUE_TOKEN", "hague_not-a-token")
    res = hague("curate", "reject", "statement", str(team.statements()[0].id), "--json", ok=False)
    assert json.loads(res.stdout)["error"] == "not_signed_in"
    bad = hague.runner.invoke(app, ["login", "analyst", "--case", "ukraine", "--password-stdin"], input="wrong\n")
    assert bad.exit_code == 1 and "wrong account name or password" in bad.output


def test_curate_commands_act_as_the_signed_in_account(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    hague = Hague()
    cli_login(monkeypatch, "viewer")
    st = team.statements()
    res = hague("curate", "reject", "statement", str(st[0].id), ok=False)
    assert "viewer is a viewer" in res.stderr
    cli_login(monkeypatch, "analyst")
    assert hague.json("curate", "reject", "statement", str(st[0].id))["verdict"] == "rejected"
    hague("curate", "correct", "statement", str(st[1].id), "speaker=Helena Brandt", "stance=condemns")
    hague("curate", "accept", "statement", str(st[2].id))
    decisions = hague.json("curate", "decisions")
    assert [d["verdict"] for d in decisions] == ["accepted", "corrected", "rejected"]
    assert decisions[1]["fields"]["speaker"]["value"] == "Helena Brandt"
    assert {d["updated_by"] for d in decisions} == {"analyst"}
    hague("curate", "undo", str(decisions[0]["id"]))
    incidents = team.incidents()
    merged = hague.json("curate", "merge", incidents[0], incidents[1])
    assert merged["merged"] == [incidents[1]]
    fixed = hague.json("curate", "incident", incidents[0], "date=2022-03-04", "place=Enerhodar",
                       "coordinates=47.4989,34.6574")
    assert fixed["changes"]["place"]["value"] == "Enerhodar"
    hague("curate", "incident", incidents[0], "--clear", "place")
    reports = [r for r in team.reports() if r.incident_id == incidents[0]]
    split = hague.json("curate", "split", incidents[0], str(reports[0].id))
    hague("curate", "move", str(reports[0].id), "--to", incidents[0])
    assert split["created"] is True
    hague("curate", "move", str(reports[0].id), ok=False)
    doc = team.statements()[0].document_id
    added = hague.json("curate", "add", "statement", str(doc), "0", "30", "speaker=Someone", "stance=reports")
    assert added["verdict"] == "added" and added["anchor"]["start"] == 0
    assert hague.json("curate", "proposals") == []
    hague("curate", "proposal", "1", "accept", ok=False)
    assert hague.json("curate", "conflicts") == []
    res = hague("curate", "resolve", "incident:" + incidents[0], "place", ok=False)
    assert res.exit_code == 1


def test_comments_and_assignments_at_the_terminal(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    hague = Hague()
    cli_login(monkeypatch, "analyst")
    incident = team.incidents()[0]
    made = hague.json("curate", "comment", incident, "@reviewer the date looks wrong")
    assert made["mentions"] == ["reviewer"]
    assert hague.json("curate", "assign", incident, "reviewer")["assignee"] == "reviewer"
    assert "assigned to nobody" in hague("curate", "assign", incident).stdout
