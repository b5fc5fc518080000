"""Date expressions resolve as news copy means them (rules in hague.reading.dates)."""

from datetime import date

import pytest

from hague.reading.dates import DateValue, find_dates, resolve, resolve_in_year, stand_in_base
from hague.reading.text import TextDoc

MONDAY = date(2022, 3, 7)
FRIDAY = date(2022, 3, 4)


@pytest.mark.parametrize(("expr", "base", "gold"), [
    ("Friday", MONDAY, "2022-03-04"),
    ("said Friday morning", MONDAY, "2022-03-04"),
    ("on Monday", MONDAY, "2022-03-07"),  # the base weekday is the same day, not a week earlier
    ("Friday", FRIDAY, "2022-03-04"),
    ("last Friday", FRIDAY, "2022-02-25"),
    ("last week", FRIDAY, "2022-02-21/2022-02-27"),
    ("last night", FRIDAY, "2022-03-04"),
    ("yesterday", FRIDAY, "2022-03-03"),
    ("12 days ago", MONDAY, "2022-02-23"),
    ("since Feb. 23", MONDAY, "2022-02-23/2022-03-07"),
    ("in the last several days", MONDAY, "2022-03-03/2022-03-07"),
    ("Feb. 24", MONDAY, "2022-02-24"),
    ("Dec. 24", MONDAY, "2021-12-24"),  # no year, and this year's would lie after the base
    ("Wednesday, March 9, 2022", None, "2022-03-09"),
    ("9 March 2022", None, "2022-03-09"),
    ("early April 2022", None, "2022-04-01/2022-04-10"),
    ("last month", MONDAY, "2022-02-01/2022-02-28"),
    ("three weeks ago", MONDAY, "2022-02-14/2022-02-20"),
    ("on the night of 28-29 July 2022", None, "2022-07-28/2022-07-29"),  # a day range, not the month
    ("July 28-29", date(2022, 8, 3), "2022-07-28/2022-07-29"),
    ("between 28 and 29 July", date(2022, 8, 3), "2022-07-28/2022-07-29"),
    ("Dec. 30-31", MONDAY, "2021-12-30/2021-12-31"),  # the year that puts the range before the base
])
def test_resolve(expr: str, base: date | None, gold: str) -> None:
    value = resolve(expr, base)
    assert value is not None and value.to_gold() == gold


def test_relative_needs_a_base() -> None:
    assert resolve("last week", None) is None
    assert resolve("may", MONDAY) is None  # a modal verb, not a month


def test_conflict_start_table() -> None:
    ukraine = "Russian forces entered Ukraine"
    assert resolve("on the first day of the invasion", MONDAY, ukraine).to_gold() == "2022-02-24"
    assert resolve("the war continues into its 44th day", date(2022, 4, 8), ukraine).to_gold() == "2022-04-08"
    gaza = "Israeli strikes on Gaza continued"
    assert resolve("the second day of the war", date(2023, 10, 20), gaza).to_gold() == "2023-10-08"


def test_find_dates_offsets_and_anchor_base() -> None:
    text = "The ministry said Friday that shelling had resumed. A week earlier, on Feb. 24, troops crossed."
    doc = TextDoc(text, MONDAY)
    found = find_dates(doc, 0, len(text))
    assert [(text[s:e], v.to_gold()) for s, e, v in found] == [
        ("Friday", "2022-03-04"), ("Feb. 24", "2022-02-24")]
    assert find_dates(TextDoc(text, None), 0, len(text)) == []


def test_undated_document_takes_year_from_its_own_full_dates() -> None:
    text = "The statement was issued on July 31. The attack happened on July 29, 2022, officials said."
    found = find_dates(TextDoc(text, None), 0, 40)
    assert [v.to_gold() for _, _, v in found] == ["2022-07-31"]


def test_stand_in_base_for_undated_copy() -> None:
    assert stand_in_base(TextDoc("Shelling on March 2, 2022 and again on March 9, 2022.", None)) == date(2022, 3, 9)
    assert stand_in_base(TextDoc("Shelling on Friday.", None)) is None


def test_interval_value() -> None:
    v = DateValue(date(2022, 2, 21), date(2022, 2, 27), "week")
    assert v.contains(date(2022, 2, 24)) and not v.contains(FRIDAY)


def test_a_range_with_its_days_reversed_is_not_a_range() -> None:
    assert resolve("29-28 July 2022", None) is None


def test_a_month_without_a_year_after_in_is_the_latest_such_month() -> None:
    assert resolve("in January", date(1989, 2, 3)).to_gold() == "1989-01-01/1989-01-31"
    assert resolve("during May", date(1989, 2, 3)).to_gold() == "1988-05-01/1988-05-31"


@pytest.mark.parametrize(("expr", "gold"), [
    ("July 29", "2021-07-29"),
    ("on the night of July 29", "2021-07-29"),
    ("Wednesday, March 9", "2021-03-09"),
    ("28-29 July", "2021-07-28/2021-07-29"),
    ("in July", "2021-07-01/2021-07-31"),
    ("late March", "2021-03-21/2021-03-31"),
    # only the year is missing from these; every other expression needs a day to count from, or has its year
    ("Friday", None), ("yesterday", None), ("last month", None), ("three weeks ago", None),
    ("since July 29", None), ("July 29, 2022", None), ("March 2022", None), ("Feb. 29", None),
])
def test_a_day_given_without_its_year_is_put_in_a_year(expr: str, gold: str | None) -> None:
    value = resolve_in_year(expr, 2021)
    assert (value.to_gold() if value else None) == gold


def test_conflict_cues_are_read_from_each_document() -> None:
    # The cues each document names are kept per document: the next document's own cues decide for it.
    kyiv, gaza = "Russian forces entered Ukraine", "Israeli strikes on Gaza continued"
    for _ in range(2):
        assert resolve("the second day of the war", date(2023, 10, 20), kyiv).to_gold() == "2022-02-25"
        assert resolve("the second day of the war", date(2023, 10, 20), gaza).to_gold() == "2023-10-08"
