"""The analysis run on the seeds, through the real workspace: reuse, anchored dates, carry-over, incidents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import sql

from hague.reading import ANALYZER_VERSION
from hague.workspace import Workspace

EARLY, LATE = "000_0472588a0f4891db", "002_caf7413a461b9c10"


@pytest.fixture()
def home(seeded_ws: Workspace) -> Path:
    return seeded_ws.config.home


@pytest.fixture()
def cli(seeded_cli):  # type: ignore[no-untyped-def]
    return seeded_cli


def test_add_analyzes_and_records_the_run_with_its_extractors(cli, home: Path) -> None:
    ((details,),) = sql(home, "SELECT CAST(details AS TEXT) FROM ledger_entries WHERE action='analyze'")
    details = json.loads(details)
    assert details["components"] == {"statements.rules": ANALYZER_VERSION, "reports.rules": ANALYZER_VERSION}
    assert details["read"] == 2 and details["statements"] > 20
    again = cli.json("analyze")
    assert again["read"] == 0  # idempotent: nothing new to read
    assert sql(home, "SELECT count(*) FROM statements") == [(details["statements"],)]
    cli("verify")


def test_nine_reused_paragraphs_late_reuses_early(cli) -> None:
    links = cli.json("reuse")
    assert len(links) == 9
    assert {(x["from"], x["to"]) for x in links} == {(EARLY, LATE)}
    assert any("Europe’s largest nuclear plant" in x["text"] for x in links)


def test_relative_dates_in_reused_text_resolve_against_the_origin(cli) -> None:
    (grouped,) = cli.json("statements", LATE)
    statements = grouped["statements"]
    assert grouped["key"] == LATE and {s["document"] for s in statements} == {LATE}
    kuleba = [s for s in statements
              if "war crimes" in s["quote"]["value"] and "accused" in s["quote"]["value"]]
    assert kuleba and kuleba[0]["said_on"]["value"] == "2022-02-21/2022-02-27"  # the week before 4 March
    tg = [s for s in statements if s["speaker"]["value"] == "Linda Thomas-Greenfield"]
    assert tg and all(s["said_on"]["value"] == "2022-03-02" for s in tg)  # the origin's "Wednesday"


def test_every_field_carries_span_confidence_and_machine_origin(cli) -> None:
    reports = [r for group in cli.json("reports") for r in group["reports"]]
    assert {r["document"] for r in reports} == {EARLY, LATE}
    for rep in reports:
        assert rep["machine_output"] is True and rep["evidence"]
        for name in ("event", "targets", "weapons", "place", "date", "status", "perpetrator"):
            assert {"value", "start", "end", "confidence", "origin"} <= rep[name].keys()
            assert rep[name]["origin"] == "machine"


def test_zaporizhzhia_incident_has_both_articles_and_copies_count_once(cli) -> None:
    incidents = {i["id"]: i for i in cli.json("incidents")}
    (zap,) = [i for i in incidents.values()
              if "nuclear_power_plant" in (i["fields"]["targets"]["value"] or [])
              and i["fields"]["event"]["value"] == "attack"]
    assert {d for d, _ in zap["members"]} == {EARLY, LATE}
    assert zap["independent_count"] == 1  # the later article's account is copied from the earlier one
    shown = cli("incident", zap["id"]).stdout
    assert "independent sources: 1" in shown


def test_positions_show_the_us_mixed_messages_of_4_march(cli) -> None:
    data = cli.json("positions")
    us = [m for m in data["mixed_messages"] if m["government"] == "United States"]
    assert us
    pairs = {(a["speaker"], a["said_on"], d["speaker"], d["stance"]) for m in us
             for a in m["asserting"] for d in m["doubting"]}
    assert any("Embassy" in a and when == "2022-03-04" and "Psaki" in d and st == "no_conclusion"
               for a, when, d, st in pairs), pairs


def test_statements_command_highlights_spans_and_names_speakers(cli) -> None:
    text = cli("statements", EARLY).stdout
    for name in ("Jen Psaki", "Linda Thomas-Greenfield", "Dmytro Kuleba", "U.S. Embassy to Ukraine"):
        assert name in text
    assert cli("statements", "no-such-doc", ok=False).exit_code == 1


def test_source_grade_is_recorded_and_shown(cli, home: Path) -> None:
    cli("source", "grade", "Fox News", "C", "3")
    assert "grade C3" in cli("source", "list").stdout
    assert sql(home, "SELECT count(*) FROM ledger_entries WHERE action='source.grade'") == [(1,)]
    assert cli("source", "grade", "Fox News", "Z", "3", ok=False).exit_code == 2
