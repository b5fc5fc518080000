"""A report that names a day without its year takes the year from the incident it joins (hague.corroboration.dating).

Invented reports of a strike on a school: one from a dated page, others from pages with no publication date and no
year in their text.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.conftest import Hague, Team, sql, use_workspace

from hague.corroboration.dating import date_members
from hague.corroboration.incidents import ReportRef
from hague.model import Case
from hague.reading import read_document
from hague.reading.fields import Field
from hague.services import curation, evidence
from hague.services.evidence import AddOptions
from hague.team import cases

DATED = ("A missile struck a school in Izium on July 29, killing four teachers and wounding 11 pupils, the regional "
         "governor said.\nRescuers searched the ruins of the school building until late in the evening.\n")
UNDATED = ("Parents of the pupils wounded in the July 29 missile strike on a school in Izium asked for an inquiry.\n"
           "The teachers' union said four of its members were killed in the strike on the school.\n")
WEEKDAY = "Parents of the pupils wounded in Friday's missile strike on a school in Izium asked for an inquiry.\n"


def _ref(key: str, text: str, published: date | None) -> ReportRef:
    [report] = read_document(text, published=published).reports
    return ReportRef(key, 0, report, published, key, text)


def _dated(members: list[ReportRef], filled: set = frozenset()) -> dict[str, str | None]:
    return {key[0]: got.date.value for key, got in date_members(members, filled).items()}


def test_the_incident_gives_the_year_of_a_day_and_nothing_else() -> None:
    dated, undated = _ref("dated", DATED, date(2022, 8, 2)), _ref("undated", UNDATED, None)
    [got] = date_members([dated, undated]).values()
    assert got.date.value == "2022-07-29" and got.year_from == ["dated"]
    assert UNDATED[got.date.start:got.date.end] == "July 29"  # its evidence: the report's own day
    assert got.date.confidence < dated.report.date.confidence and got.date.origin == "machine"
    assert _dated([dated, _ref("weekday", WEEKDAY, None)]) == {}  # "Friday" needs a day to count from
    assert _dated([undated]) == {"undated": None}  # nothing else gives the year


def test_a_year_far_from_every_dated_report_is_not_guessed_and_most_reports_decide() -> None:
    far = _ref("far", DATED.replace("July 29", "March 2"), date(2022, 3, 3))
    assert _dated([far, _ref("undated", UNDATED, None)]) == {"undated": None}  # 149 days from 2 March
    late = _ref("late", DATED, date(2023, 7, 30))  # a wrong year on one page, two pages say 2022
    assert _dated([late, _ref("a", DATED, date(2022, 8, 1)), _ref("b", DATED, date(2022, 7, 30)),
                   _ref("undated", UNDATED, None)]) == {"undated": "2022-07-29"}


def test_a_person_s_date_a_course_of_conduct_and_a_date_the_text_gives_are_left_alone() -> None:
    dated, undated = _ref("dated", DATED, date(2022, 8, 2)), _ref("undated", UNDATED, None)
    undated.report.pattern = Field(True)
    assert _dated([dated, undated]) == {}
    undated = _ref("undated", UNDATED, None)
    undated.report.date = replace(undated.report.date, confidence=1.0, origin="analyst")
    assert _dated([dated, undated]) == {}
    assert _dated([_ref("undated", UNDATED, None), dated]) == {"undated": "2022-07-29"}
    assert "dated" not in _dated([dated, _ref("undated", UNDATED, None)])


def test_a_date_filled_before_goes_back_to_unknown_when_the_incident_no_longer_gives_the_year() -> None:
    dated, undated = _ref("dated", DATED, date(2022, 8, 2)), _ref("undated", UNDATED, None)
    [got] = date_members([dated, undated]).values()
    undated.report.date = got.date
    assert _dated([undated], {undated.key}) == {"undated": None}
    assert _dated([dated, undated], {undated.key}) == {"undated": "2022-07-29"}


def _folder(root: Path, name: str, text: str, published: str | None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.json").write_text(json.dumps({"id": name, "published": published, "outlet": name.title()}))
    return folder


def _report_dates(home: Path) -> dict[str, tuple[str | None, dict]]:
    rows = sql(home, "SELECT d.external_id, r.date, r.fields FROM reports r JOIN documents d ON d.id = r.document_id")
    return {key: (day, fields if isinstance(fields, dict) else json.loads(fields)) for key, day, fields in rows}


def test_analysis_dates_the_report_at_once_and_step_by_step_alike(tmp_path: Path, hague: Hague, home: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    dated = _folder(tmp_path, "dated", DATED, "2022-08-02")
    undated = _folder(tmp_path, "undated", UNDATED, None)
    hague("init")
    hague("add", str(undated))
    assert _report_dates(home)["undated"][0] is None  # alone, nothing gives the year
    hague("add", str(dated))
    day, fields = _report_dates(home)["undated"]
    assert day == "2022-07-29" and fields["date"]["year_from"] == ["dated"]
    [incident] = hague.json("incidents")
    assert {c["doc_id"] for c in incident["fields"]["date"]["values"]} == {"dated", "undated"}
    step_by_step = _report_dates(home)

    at_once = use_workspace(monkeypatch, tmp_path / "at-once")  # a second workspace (its own database too)
    hague("init")
    hague("add", str(undated), str(dated))
    assert _report_dates(at_once) == step_by_step
    [incident] = hague.json("incidents")
    assert {c["doc_id"] for c in incident["fields"]["date"]["values"]} == {"dated", "undated"}


def test_a_person_s_date_stays_when_the_incident_changes(team: Team, tmp_path: Path) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text(UNDATED, encoding="utf-8")
    evidence.add(team.ws, "tester", [str(undated)], AddOptions(None, None, "Parents Weekly", None, None))
    with team.ws.write() as s:
        cases.add_all_items(s, "tester", s.scalars(select(Case).where(Case.slug == "ukraine")).one())
    [row] = [r for r in team.reports() if r.date is None and r.fields["date"]["start"] is not None]
    # the person accepts the report as read, with no date: the machine, which would take the year from the
    # incident the report joins, must not set one
    curation.accept(team.ws, team.member("analyst"), "report", row.id)
    dated = tmp_path / "dated.txt"
    dated.write_text(DATED, encoding="utf-8")
    evidence.add(team.ws, "tester", [str(dated)], AddOptions(None, "2022-08-02", "Izium News", None, None))
    [after] = [r for r in team.reports() if r.document_id == row.document_id]
    assert any(r.date == "2022-07-29" and r.incident_id == after.incident_id for r in team.reports())
    assert after.date is None
    assert after.fields["date"]["origin"] == "analyst"
