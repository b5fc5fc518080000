"""`hague review` on the seed documents: list, show, set, decide; wording checked on text and JSON output."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import Hague, Team, cli_login

from hague.law.review import assert_wording_allowed
from hague.report.voice import own_voice_text


def _strings(data: Any, skip: frozenset[str] = frozenset({"quote", "evidence_hints"})) -> list[str]:
    """Every string in a JSON document except quotations (what the sources said)."""
    if isinstance(data, dict):
        return [s for k, v in data.items() if k not in skip for s in _strings(v, skip)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v, skip)]
    return [data] if isinstance(data, str) else []


def test_review_workflow_on_the_command_line(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    hague = Hague()
    cli_login(monkeypatch, "reviewer")
    listed = hague.json("review", "list")
    hospital = next(r["incident"] for r in listed if "RS 8(2)(b)(ix)" in r["candidate_provisions"]
                    and "hospital" in r["incident"])
    shown = hague.json("review", "show", hospital)
    state = shown["review_state"]
    for text in _strings(shown):
        assert_wording_allowed(text, state)
    assert "information suggests" not in shown["headline"]
    rs9 = next(p for p in shown["provisions"] if p["provision"] == "RS 8(2)(b)(ix)")
    report_id = next(ev["report_id"] for e in rs9["elements"] for ev in e["evidence"] if ev["report_id"])

    hague("review", "set", hospital, "RS 8(2)(b)(ix)", "B9.OBJECT", "supported", "--evidence",
           f"report:{report_id}", "--note", "named as a hospital by two outlets")
    hague("review", "set", hospital, "RS 8(2)(b)(ix)", "B9.OBJECT", "proven", ok=False)
    hague("review", "decide", hospital, "analyst_assessed", "--reason", "skip", ok=False)
    hague("review", "decide", hospital, "evidence_linked", "--reason", "linked")
    decided = hague.json("review", "decide", hospital, "analyst_assessed", "--reason", "one origin",
                          "--label", "credible_allegation")
    assert decided["to_state"] == "analyst_assessed" and "information suggests" in decided["headline"]

    after = hague.json("review", "show", hospital)
    assert [t["to_state"] for t in after["history"]][-2:] == ["evidence_linked", "analyst_assessed"]
    finding = next(e for p in after["provisions"] if p["provision"] == "RS 8(2)(b)(ix)"
                   for e in p["elements"] if e["element_id"] == "B9.OBJECT")
    assert (finding["status"], finding["origin"], finding["set_by"]) == ("supported", "analyst", "reviewer")
    for text in _strings(after):
        assert_wording_allowed(text, "analyst_assessed")
    text = hague("review", "show", hospital).stdout
    assert "information suggests" in text and "set by reviewer" in text
    assert_wording_allowed(own_voice_text(text), "analyst_assessed")


def test_conflict_context_override_is_recorded_and_changes_candidates(team: Team,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    hague = Hague()
    cli_login(monkeypatch, "lead")
    incidents = hague.json("incidents")
    target = next(i["id"] for i in incidents if "residential_building" in (i["fields"]["targets"]["value"] or []))

    def provisions() -> set[str]:
        shown = hague.json("review", "show", target)
        return {p["provision"] for p in shown["provisions"] if p["status"] == "suggested"}

    before = provisions()
    done = hague.json("review", "context", target[:-3], "niac", "--reason", "test: analyst classification")
    assert done["incident"] == target  # a unique start of the id names it
    after = provisions()
    assert before != after and any("8(2)(e)" in p for p in after)
    entries = [e for e in hague.json("log", "--limit", "1000") if e["action"] == "review.context"]
    assert [(e["details"]["incident"], e["details"]["context"]) for e in entries] == [(target, "niac")]
    bad = hague("review", "context", target, "war", "--reason", "x", ok=False)
    assert bad.exit_code == 2 and "unknown classification 'war'" in bad.stderr
    hague("review", "context", target, "table", "--reason", "back to the table")
    assert provisions() == before


def test_a_second_account_confirms_and_a_new_document_makes_the_decision_stale(
        team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import EXAMPLES

    hague = Hague()
    incident = next(r["incident"] for r in hague.json("review", "list") if "kindergarten" in r["incident"])
    cli_login(monkeypatch, "reviewer")
    hague("review", "decide", incident, "evidence_linked", "--reason", "linked")
    hague("review", "decide", incident, "analyst_assessed", "--reason", "two outlets", "--label", "credible_allegation")
    res = hague("review", "decide", incident, "peer_reviewed", "--reason", "me again", ok=False)
    assert "second person" in res.stderr
    monkeypatch.delenv("HAGUE_TOKEN")
    res = hague("review", "decide", incident, "peer_reviewed", "--reason", "typed name", ok=False)
    assert "HAGUE_TOKEN" in res.stderr
    cli_login(monkeypatch, "lead")
    assert hague.json("review", "decide", incident, "peer_reviewed", "--reason", "checked")["reviewer"] == "lead"
    assert hague.json("review", "show", incident)["review_state"] == "peer_reviewed"
    first = EXAMPLES / "001_courier_hospital.txt"
    assert "kindergarten" in first.read_text(encoding="utf-8")
    (tmp_path / "later.txt").write_text(first.read_text(encoding="utf-8").replace("Friday", "Saturday") +
                                        "\nA later report on the kindergarten.", encoding="utf-8")
    hague("add", str(tmp_path / "later.txt"), "--published", "2022-03-12", "--collector", "tester")
    shown = hague.json("review", "show", incident)
    assert shown["stale"] is not None, "the new document's report joined the incident, so its evidence changed"
    assert shown["review_state"] == "provisions_suggested" and shown["stale"]["decision"]["to_state"] == "peer_reviewed"
    assert any(c.startswith("new: report") for c in shown["stale"]["changes"])
    text = hague("review", "show", incident).stdout
    assert "STALE: peer_reviewed by lead" in text
    listed = {i["id"]: i for i in hague.json("incidents")}
    assert listed[incident]["review_state"] == "provisions_suggested"  # the one answer, everywhere
    assert "peer-reviewed" not in listed[incident]["label"]
