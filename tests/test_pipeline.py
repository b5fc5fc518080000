"""The analysis run on the bundled examples, through the real workspace: reuse, anchored dates, carry-over,
incidents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, sql

from hague.pipeline import read_many
from hague.reading import ANALYZER_VERSION
from hague.reading.extractors import chosen
from hague.workspace import Workspace

EARLY, LATE, OTHER = "001_courier_hospital", "002_harbour_hospital", "003_courier_shelling"


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
    assert details["read"] == 3 and details["statements"] > 30
    again = cli.json("analyze")
    assert again["read"] == 0  # idempotent: nothing new to read
    assert sql(home, "SELECT count(*) FROM statements") == [(details["statements"],)]
    cli("verify")


def test_eleven_reused_paragraphs_late_reuses_early(cli) -> None:
    links = cli.json("reuse")
    assert len(links) == 11  # the paragraphs the later article copies; its own reporting is not reuse
    assert {(x["from"], x["to"]) for x in links} == {(EARLY, LATE)}
    assert any("children’s hospital with cluster munitions" in x["text"] for x in links)
    assert not any("Kravets" in x["text"] or "Sokil" in x["text"] for x in links)


def test_relative_dates_in_reused_text_resolve_against_the_origin(cli) -> None:
    (grouped,) = cli.json("statements", LATE)
    statements = grouped["statements"]
    assert grouped["key"] == LATE and {s["document"] for s in statements} == {LATE}
    ministry = [s for s in statements if s["speaker"]["value"] == "Ukraine's foreign ministry"]
    assert ministry and {s["said_on"]["value"] for s in ministry} == {"2022-02-28/2022-03-06"}  # before 11 March
    brandt = [s for s in statements if s["speaker"]["value"] == "Helena Brandt"]
    assert brandt and all(s["said_on"]["value"] == "2022-03-09" for s in brandt)  # the origin's "Wednesday"
    gromov = [s for s in statements if s["speaker"]["value"] == "Viktor Gromov"]
    assert gromov and all(s["said_on"]["value"] == "2022-03-10" for s in gromov)  # the origin's "Thursday"
    sokil = [s for s in statements if s["speaker"]["value"] == "Andriy Sokil"]
    assert sokil and sokil[0]["said_on"]["value"] == "2022-03-20"  # the later article's own "Sunday"


def test_every_field_carries_span_confidence_and_machine_origin(cli) -> None:
    reports = [r for group in cli.json("reports") for r in group["reports"]]
    assert {r["document"] for r in reports} == {EARLY, LATE, OTHER}
    for rep in reports:
        assert rep["machine_output"] is True and rep["evidence"]
        for name in ("event", "targets", "weapons", "place", "date", "status", "perpetrator"):
            assert {"value", "start", "end", "confidence", "origin"} <= rep[name].keys()
            assert rep[name]["origin"] == "machine"


def test_hospital_incident_has_both_articles_and_copies_count_once(cli) -> None:
    incidents = {i["id"]: i for i in cli.json("incidents")}
    (hospital,) = [i for i in incidents.values()
                   if "hospital" in (i["fields"]["targets"]["value"] or [])
                   and i["fields"]["event"]["value"] == "attack"]
    assert {d for d, _ in hospital["members"]} == {EARLY, LATE}
    assert hospital["fields"]["place"]["value"] == "Kharkiv" and hospital["fields"]["date"]["value"] == "2022-03-10"
    assert hospital["independent_count"] == 1  # the later article's account is copied from the earlier one
    shown = cli("incident", hospital["id"]).stdout
    assert "independent sources: 1" in shown
    (shelling,) = [i for i in incidents.values() if i["fields"]["place"]["value"] == "Chernihiv"]
    assert {d for d, _ in shelling["members"]} == {OTHER} and shelling["id"] != hospital["id"]


def test_positions_show_the_us_mixed_messages_of_11_march(cli) -> None:
    data = cli.json("positions")
    us = [m for m in data["mixed_messages"] if m["government"] == "United States"]
    assert us
    pairs = {(a["speaker"], a["said_on"], d["speaker"], d["stance"]) for m in us
             for a in m["asserting"] for d in m["doubting"]}
    assert any("Embassy" in a and when == "2022-03-11" and "Marsh" in d and st == "no_conclusion"
               for a, when, d, st in pairs), pairs


def test_statements_command_highlights_spans_and_names_speakers(cli) -> None:
    text = cli("statements", EARLY).stdout
    for name in ("Oleh Marchenko", "Viktor Gromov", "Daniel Marsh", "Helena Brandt", "U.S. Embassy in Kyiv"):
        assert name in text
    assert cli("statements", "no-such-doc", ok=False).exit_code == 1


def test_source_grade_is_recorded_and_shown(cli, home: Path) -> None:
    cli("source", "grade", "Eastbridge Courier", "C", "3")
    assert "grade C3" in cli("source", "list").stdout
    assert sql(home, "SELECT count(*) FROM ledger_entries WHERE action='source.grade'") == [(1,)]
    assert cli("source", "grade", "Eastbridge Courier", "Z", "3", ok=False).exit_code == 2


def test_workers_read_as_this_process_reads() -> None:
    """Parallel reading (worker processes from the fork server) gives each document's reading, in order."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    names = tuple(c.name for c in chosen())  # the default extractors
    jobs = [(i, texts[i % len(texts)], None, None, [], names) for i in range(12)]
    here = list(read_many(jobs, parallel=False))
    there = list(read_many(jobs, parallel=True))
    assert [i for i, _ in there] == list(range(12))
    assert there == here
    assert sum(len(r.statements) for _, r in here) > 30
