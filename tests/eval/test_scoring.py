"""Scoring on tiny invented gold sets, every figure checked against a hand count."""

import pytest

from hague.eval import load_gold_set, score
from hague.eval.metrics import bcubed_f1, pairwise

TEXT = (
    "Officials in Riverton said on Monday that the children's hospital was shelled overnight. "
    "\u201cWe will document every strike on the hospital,\u201d Mayor Anna Kovacs said. "
    "The army denied hitting the hospital. A second shell hit the bakery on Elm Street, killing two."
)
Q1 = "the children's hospital was shelled overnight"
Q2 = "We will document every strike on the hospital"
Q3 = "denied hitting the hospital"


def span(text, needle):
    start = text.index(needle)
    return start, start + len(needle)


def stmt(text, needle, **kw):
    start, end = span(text, needle)
    return {
        "speaker": "Anna Kovacs",
        "org": None,
        "start": start,
        "end": end,
        "mode": "direct",
        "said_on": None,
        "stance": "reports",
    } | kw


def preds(docs, reuse=None):
    return {
        "documents": {k: {"text": t, "statements": s, "reports": r} for k, (t, s, r) in docs.items()},
        "reuse": reuse,
    }


@pytest.fixture
def statements_set(make_set, gold_statement):
    gold = {
        "statements": [
            gold_statement(Q1, speaker="Officials", said_on="2022-03-07"),
            gold_statement(Q2, said_on="2022-03-07/2022-03-13", stance="investigating"),
            gold_statement(Q3, speaker="The army", stance="denies"),
        ]
    }
    return load_gold_set(make_set({"a": (TEXT, "2022-03-08", gold)}))


def test_statement_precision_recall_and_fields(statements_set):
    predicted = [
        stmt(
            TEXT,
            "Officials in Riverton said on Monday that the children's hospital was shelled overnight",
            speaker="officials",
            said_on="2022-03-07",
            stance="condemns",
        ),  # contains Q1
        stmt(
            TEXT, "We will document every strike", said_on="2022-03-14", stance="investigating"
        ),  # 29/45 of Q2
        stmt(TEXT, "Mayor Anna Kovacs said"),  # overlaps nothing
    ]
    result = score(statements_set, preds({"a": (TEXT, predicted, [])}))["statements"]
    assert result["precision"] == pytest.approx(2 / 3)
    assert result["recall"] == pytest.approx(2 / 3)
    assert result["f1"] == pytest.approx(2 / 3)
    assert result["speaker"] == 1.0
    assert result["stance"] == 0.5  # "condemns" for a "reports"
    assert result["said_on"] == 0.5  # 2022-03-14 lies outside the gold week


def test_overlap_must_cover_half_the_quote(statements_set):
    start, end = span(TEXT, Q2)
    half = (end - start + 1) // 2
    at_half = {"speaker": "Kovacs", "start": start, "end": start + half}
    short = {"speaker": "Kovacs", "start": start, "end": start + half - 1}
    assert score(statements_set, preds({"a": (TEXT, [at_half], [])}))["statements"][
        "recall"
    ] == pytest.approx(1 / 3)
    assert score(statements_set, preds({"a": (TEXT, [short], [])}))["statements"]["recall"] == 0.0


def test_matching_is_one_to_one(statements_set):
    whole = {"speaker": "Kovacs", "start": 0, "end": len(TEXT)}  # contains all three quotes
    result = score(statements_set, preds({"a": (TEXT, [whole], [])}))["statements"]
    assert (result["precision"], result["recall"]) == (1.0, pytest.approx(1 / 3))


def test_repeated_quote_matches_at_any_occurrence(make_set, gold_statement):
    text = "The mayor said the bridge is closed. Later the governor said the bridge is closed."
    gold = load_gold_set(
        make_set(
            {
                "a": (
                    text,
                    None,
                    {
                        "statements": [
                            gold_statement("the bridge is closed", speaker="the governor", mode="indirect")
                        ]
                    },
                )
            }
        )
    )
    second = text.rindex("the bridge is closed")
    predicted = [{"speaker": "governor", "start": second, "end": second + 20, "stance": "reports"}]
    result = score(gold, preds({"a": (text, predicted, [])}))["statements"]
    assert (result["recall"], result["speaker"]) == (1.0, 1.0)


def test_prediction_in_a_retyped_text_is_relocated(statements_set):
    text = "Riverton, Ukraine -- " + TEXT.replace("\u201c", '"').replace("\u201d", '"')
    result = score(
        statements_set, preds({"a": (text, [stmt(text, '"We will document every strike on the')], [])})
    )
    assert result["statements"]["recall"] == pytest.approx(1 / 3)


def test_nothing_predicted_gives_zero_recall_and_undefined_precision(statements_set):
    for prediction in (preds({}), preds({"a": (TEXT, [], [])})):
        result = score(statements_set, prediction)
        assert result["statements"] == {
            "precision": None,
            "recall": 0.0,
            "f1": 0.0,
            "speaker": None,
            "stance": None,
            "said_on": None,
        }
        assert result["reports"]["recall"] is None  # no gold reports either
        assert result["reuse"] == {"precision": None, "recall": None, "f1": None}
        assert result["documents"] == 1


@pytest.fixture
def reports_set(make_set, gold_report):
    gold = {
        "reports": [
            gold_report(
                "riverton-hospital",
                ["the children's hospital was shelled overnight", "hitting the hospital"],
                targets=["hospital", "children"],
                weapons=["artillery"],
                place="Riverton",
                date="2022-03-06/2022-03-07",
                perpetrator="Russia",
                status="alleged",
            ),
            gold_report(
                "elm-street-bakery",
                ["A second shell hit the bakery on Elm Street, killing two."],
                targets=["civilians"],
                weapons=["artillery"],
                place="Elm Street",
                killed=2,
                date="2022-03-07",
            ),
        ]
    }
    return load_gold_set(make_set({"a": (TEXT, "2022-03-08", gold)}))


def rep(text, *needles, **kw):
    fields = {
        "incident": None,
        "event": "attack",
        "targets": [],
        "weapons": [],
        "place": None,
        "coordinates": None,
        "country": None,
        "date": None,
        "killed": None,
        "injured": None,
        "casualty_text": None,
        "perpetrator": None,
        "status": "reported",
        "pattern": False,
    }
    return fields | {"evidence": [list(span(text, n)) for n in needles]} | kw


def test_report_matching_and_fields(reports_set):
    predicted = [
        rep(
            TEXT,
            "The army denied hitting the hospital. A second shell hit the bakery",  # overlaps both
            targets=["children"],
            weapons=["artillery", "unknown_explosive"],
            place="Elm St.",
            date="2022-03-07",
            killed=2,
        ),
        rep(
            TEXT,
            "the children's hospital was shelled",
            targets=["hospital"],
            weapons=["artillery"],
            place="riverton",
            date="2022-03-07",
            perpetrator="Russian forces",
            status="reported",
        ),
        rep(TEXT, "Mayor Anna Kovacs"),
    ]
    result = score(reports_set, preds({"a": (TEXT, [], predicted)}))["reports"]
    # The first prediction overlaps the bakery report most (29 > 20 characters), the second the hospital one.
    assert (result["precision"], result["recall"]) == (pytest.approx(2 / 3), 1.0)
    assert result["targets_f1"] == pytest.approx((0 + 2 / 3) / 2)
    assert (
        result["targets_group"] == 0.5
    )  # children ~ civilians (persons); {medical} is not {medical, persons}
    assert result["weapons_f1"] == pytest.approx((2 / 3 + 1) / 2)
    assert result["place"] == 0.5  # "Elm St." is not "Elm Street" without a gazetteer
    assert result["date"] == 1.0
    assert (result["killed"], result["injured"]) == (1.0, 1.0)
    assert result["perpetrator"] == 0.5  # null == null; "Russian forces" is not "Russia"
    assert result["status"] == 0.5
    assert result["event"] == 1.0


def test_pairwise_and_bcubed_by_hand():
    gold = ["x", "x", "y", "y", "z"]
    system = [1, 1, 1, 2, 3]
    # same-system pairs (0,1) (0,2) (1,2); same-gold pairs (0,1) (2,3); both: (0,1)
    assert pairwise(system, gold) == {
        "precision": pytest.approx(1 / 3),
        "recall": 0.5,
        "f1": pytest.approx(0.4),
    }
    # per-item precision 2/3 2/3 1/3 1 1 -> 11/15; recall 1 1 1/2 1/2 1 -> 4/5
    assert bcubed_f1(system, gold) == pytest.approx(2 * (11 / 15) * (4 / 5) / (11 / 15 + 4 / 5))
    assert pairwise([1], ["x"]) == {"precision": None, "recall": None, "f1": None}
    assert bcubed_f1([], []) is None


def test_incidents_across_documents(make_set, gold_report):
    other = "Elsewhere, the children's hospital in Riverton was hit again."
    gold = load_gold_set(
        make_set(
            {
                "a": (
                    TEXT,
                    None,
                    {
                        "reports": [
                            gold_report("riverton-hospital", [Q1]),
                            gold_report("elm-street-bakery", ["hit the bakery on Elm Street"]),
                        ]
                    },
                ),
                "b": (
                    other,
                    None,
                    {"reports": [gold_report("riverton-hospital", ["the children's hospital in Riverton"])]},
                ),
            }
        )
    )
    unclustered = preds(
        {
            "a": (TEXT, [], [rep(TEXT, Q1), rep(TEXT, "hit the bakery")]),
            "b": (other, [], [rep(other, "children's hospital")]),
        }
    )
    assert set(score(gold, unclustered)["incidents"].values()) == {None}
    clustered = preds(
        {
            "a": (TEXT, [], [rep(TEXT, Q1, incident="c1"), rep(TEXT, "hit the bakery")]),
            "b": (other, [], [rep(other, "children's hospital", incident="c1")]),
        }
    )
    incidents = score(gold, clustered)["incidents"]
    assert (incidents["pairwise_precision"], incidents["pairwise_recall"], incidents["bcubed_f1"]) == (
        1,
        1,
        1,
    )
    merged = preds(
        {
            "a": (TEXT, [], [rep(TEXT, Q1, incident="c1"), rep(TEXT, "hit the bakery", incident="c1")]),
            "b": (other, [], [rep(other, "children's hospital", incident="c1")]),
        }
    )
    incidents = score(gold, merged)["incidents"]
    assert (incidents["pairwise_precision"], incidents["pairwise_recall"]) == (pytest.approx(1 / 3), 1.0)


def test_reuse_needs_the_same_direction_and_half_the_passage(make_set):
    passage = "The army denied hitting the hospital."
    later = "RIVERTON (Wire) -- " + passage + " Residents disagreed."
    gold = load_gold_set(
        make_set(
            {"a": (TEXT, None, {}), "b": (later, None, {})}, reuse=[{"from": "a", "to": "b", "text": passage}]
        )
    )
    s, e = span(later, passage)
    documents = {"a": (TEXT, [], []), "b": (later, [], [])}
    forward = {"from": "a", "to": "b", "start": s, "end": e + 10}
    assert score(gold, preds(documents, [forward]))["reuse"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    backward = {
        "from": "b",
        "to": "a",
        "start": TEXT.index(passage),
        "end": TEXT.index(passage) + len(passage),
    }
    assert score(gold, preds(documents, [backward]))["reuse"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    too_short = {"from": "a", "to": "b", "start": s, "end": s + len(passage) // 2 - 1}
    assert score(gold, preds(documents, [too_short]))["reuse"]["recall"] == 0.0
    assert score(gold, preds(documents, []))["reuse"] == {"precision": None, "recall": 0.0, "f1": 0.0}
    assert score(gold, preds(documents, None))["reuse"] == {"precision": None, "recall": None, "f1": None}
