import pytest

from hague.eval.values import date_correct, parse_interval, same_name, same_place, set_f1

WEEK = parse_interval("2022-03-07/2022-03-13")


@pytest.mark.parametrize(
    ("predicted", "right"),
    [
        ("2022-03-07", True),
        ("2022-03-13", True),
        ("2022-03-09/2022-03-10", True),
        ("2022-03-14", False),
        ("2022-03-06/2022-03-08", False),
        (None, False),
        ("last week", False),
    ],
)
def test_a_date_is_right_inside_the_gold_interval(predicted, right):
    assert date_correct(WEEK, predicted) is right


def test_null_date_matches_only_null():
    assert date_correct(None, None)
    assert not date_correct(None, "2022-03-07")
    assert date_correct(parse_interval("2022-03-07"), "2022-03-07")


def test_malformed_gold_dates_are_rejected():
    for bad in ("2022-13-01", "2022-03-09/2022-03-01", 20220301, "2022-03-01/2022-03-02/2022-03-03"):
        with pytest.raises(ValueError):
            parse_interval(bad)


def test_names_compare_after_normalisation():
    assert same_name("Russia", "russia")
    assert same_name("the Riverton Water Board", "Riverton Water Board")
    assert not same_name("Russia", "Russian forces")
    assert same_name(None, None) and not same_name("Russia", None)


def test_set_f1():
    assert set_f1(["hospital", "children"], ["hospital"]) == pytest.approx(2 / 3)
    assert set_f1([], []) == 1.0
    assert set_f1(["school"], []) == 0.0


GAZETTEER = {"riverton": (50.0, 30.0), "riverton airport": (50.1, 30.1), "lakeside": (51.0, 30.0)}


def lookup(name):
    return GAZETTEER.get(name.lower())


def test_places_match_by_name_spelling_or_distance():
    assert same_place("Zaporizhzhia Nuclear Power Plant", "Zaporizhzhya nuclear power plant")
    assert same_place("Riverton", "Riverton Airport", geocode=lookup)  # about 13 km apart
    assert not same_place("Riverton", "Lakeside", geocode=lookup)  # about 111 km apart
    assert not same_place("Riverton", "Riverton Airport")  # no gazetteer: names only
    assert same_place("Riverton", "somewhere", predicted_coords=[50.05, 30.0], geocode=lookup)
    assert same_place(None, None) and not same_place("Riverton", None, geocode=lookup)
