"""`hague review` on the seed documents: list, show, set, decide; wording checked on text and JSON output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hague import cli_review  # noqa: F401  (registers `review` and `report`)
from hague.law.review import assert_wording_allowed
from hague.report.voice import own_voice_text

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _strings(data: Any, skip: frozenset[str] = frozenset({"quote", "evidence_hints"})) -> list[str]:
    """Every string in a JSON document except quotations (what the sources said)."""
    if isinstance(data, dict):
        return [s for k, v in data.items() if k not in skip for s in _strings(v, skip)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v, skip)]
    return [data] if isinstance(data, str) else []


@pytest.fixture()
def seeded(hague):  # type: ignore[no-untyped-def]
    hague("init")
    hague("add", str(EXAMPLES))
    return hague


def test_review_workflow_on_the_command_line(seeded) -> None:  # type: ignore[no-untyped-def]
    listed = seeded.json("review", "list")
    hospital = next(r["incident"] for r in listed if "RS 8(2)(b)(ix)" in r["candidate_provisions"]
                    and "hospital" in r["incident"])
    shown = seeded.json("review", "show", hospital)
    state = shown["review_state"]
    for text in _strings(shown):
        assert_wording_allowed(text, state)
    assert "information suggests" not in shown["headline"]
    rs9 = next(p for p in shown["provisions"] if p["provision"] == "RS 8(2)(b)(ix)")
    report_id = next(e["evidence"][0]["report_id"] for e in rs9["elements"] if e["evidence"])

    seeded("review", "set", hospital, "RS 8(2)(b)(ix)", "B9.OBJECT", "supported", "--evidence",
           f"report:{report_id}", "--note", "named as a hospital by two outlets", "--reviewer", "ann")
    seeded("review", "set", hospital, "RS 8(2)(b)(ix)", "B9.OBJECT", "proven", ok=False)
    seeded("review", "decide", hospital, "analyst_assessed", "--reason", "skip", ok=False)
    seeded("review", "decide", hospital, "evidence_linked", "--reason", "linked", "--reviewer", "ann")
    decided = seeded.json("review", "decide", hospital, "analyst_assessed", "--reason", "one origin",
                          "--label", "credible_allegation", "--reviewer", "ann")
    assert decided["to_state"] == "analyst_assessed" and "information suggests" in decided["headline"]

    after = seeded.json("review", "show", hospital)
    assert [t["to_state"] for t in after["history"]][-2:] == ["evidence_linked", "analyst_assessed"]
    finding = next(e for p in after["provisions"] if p["provision"] == "RS 8(2)(b)(ix)"
                   for e in p["elements"] if e["element_id"] == "B9.OBJECT")
    assert (finding["status"], finding["origin"], finding["set_by"]) == ("supported", "analyst", "ann")
    for text in _strings(after):
        assert_wording_allowed(text, "analyst_assessed")
    text = seeded("review", "show", hospital).stdout
    assert "information suggests" in text and "set by ann" in text
    assert_wording_allowed(own_voice_text(text), "analyst_assessed")


def test_conflict_context_override_is_recorded_and_changes_candidates(tmp_path, monkeypatch) -> None:
    import json

    from tests.conftest import EXAMPLES, sql, use_workspace
    from typer.testing import CliRunner

    from hague.cli import app

    use_workspace(monkeypatch, tmp_path / "ws")
    run = CliRunner()
    for args in (["init"], ["add", str(EXAMPLES)]):
        assert run.invoke(app, args).exit_code == 0
    incidents = json.loads(run.invoke(app, ["incidents", "--json"]).stdout)
    target = next(i["id"] for i in incidents if "nuclear_power_plant" in (i["fields"]["targets"]["value"] or []))

    def provisions() -> set[str]:
        shown = json.loads(run.invoke(app, ["review", "show", target, "--json"]).stdout)
        return {p["provision"] for p in shown["provisions"] if p["status"] == "suggested"}

    before = provisions()
    res = run.invoke(app, ["review", "context", target, "niac", "--reason", "test: analyst classification"])
    assert res.exit_code == 0, res.output
    after = provisions()
    assert before != after and any("8(2)(e)" in p for p in after)
    assert sql(tmp_path / "ws", "SELECT count(*) FROM ledger_entries WHERE action='review.context'") == [(1,)]
    bad = run.invoke(app, ["review", "context", target, "war", "--reason", "x"])
    assert bad.exit_code == 2
