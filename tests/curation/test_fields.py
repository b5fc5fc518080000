"""Values a person sets are read and checked the same way from a form, a command line or JSON."""

from __future__ import annotations

import pytest

from hague.curation.fields import INCIDENT_FIELDS, REPORT_FIELDS, STATEMENT_FIELDS, parse, parse_changes
from hague.errors import InvalidInput


def test_values_are_read_as_their_kind() -> None:
    assert parse(REPORT_FIELDS["date"], " 2022-03-04 ") == "2022-03-04"
    assert parse(REPORT_FIELDS["date"], "2022-03-01/2022-03-04") == "2022-03-01/2022-03-04"
    assert parse(REPORT_FIELDS["killed"], "12") == 12
    assert parse(REPORT_FIELDS["targets"], "hospital, civilians,,hospital") == ["hospital", "civilians"]
    assert parse(INCIDENT_FIELDS["coordinates"], "47.51,34.58") == [47.51, 34.58]
    assert parse(REPORT_FIELDS["place"], "") is None
    assert parse(STATEMENT_FIELDS["stance"], "denies") == "denies"


@pytest.mark.parametrize(("name", "raw", "says"), [
    ("date", "2022-02-30", "not a day"), ("date", "March 4", "not a date"),
    ("date", "2022-03-04/2022-03-01", "ends before"), ("killed", "-3", "whole number"),
    ("killed", "many", "whole number"), ("coordinates", "95,10", "not on the globe"),
    ("event", "war_crime", "not one of"), ("status", "", "choose one of"),
])
def test_bad_values_are_refused_naming_the_field(name: str, raw: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        parse(INCIDENT_FIELDS[name], raw)


def test_an_unknown_field_is_refused_with_the_fields_that_exist() -> None:
    with pytest.raises(InvalidInput, match="no field 'mood'.*speaker"):
        parse_changes(STATEMENT_FIELDS, {"mood": "calm"})
