import json

import pytest

from hague.eval import GoldSetError, load_gold_set, subset

TEXT = "The governor said the bridge at Lakeside was destroyed on Sunday."


def test_loads_and_locates_every_quote(make_set, gold_statement, gold_report):
    setdir = make_set(
        {
            "a": (
                TEXT,
                "2022-03-08",
                {
                    "statements": [
                        gold_statement("the bridge at Lakeside was destroyed", said_on="2022-03-06")
                    ],
                    "reports": [
                        gold_report("lakeside-bridge", ["bridge at Lakeside", "destroyed on Sunday"])
                    ],
                },
            )
        }
    )
    gold = load_gold_set(setdir)
    doc = gold.docs["a"]
    assert str(doc.published) == "2022-03-08"
    [(s, e)] = doc.statements[0].spans
    assert TEXT[s:e] == "the bridge at Lakeside was destroyed"
    assert [TEXT[s:e] for s, e in doc.reports[0].spans] == ["bridge at Lakeside", "destroyed on Sunday"]
    assert gold.reuse == [] and gold.incidents == {}


@pytest.mark.parametrize(
    ("gold", "message"),
    [
        (
            {
                "statements": [
                    {"speaker": "X", "quote": "no such words anywhere", "mode": "direct", "stance": "other"}
                ]
            },
            "statement 1 quote: text not found",
        ),
        (
            {
                "statements": [
                    {
                        "speaker": "X",
                        "quote": "the bridge",
                        "mode": "direct",
                        "stance": "other",
                        "said_on": "Sunday",
                    }
                ]
            },
            "statement 1 said_on",
        ),
        (
            {
                "reports": [
                    {
                        "incident": "k",
                        "evidence": [],
                        "event": "attack",
                        "targets": [],
                        "weapons": [],
                        "status": "reported",
                    }
                ]
            },
            "report 1 evidence must be a non-empty list",
        ),
        ({"reports": [{"incident": "k", "evidence": ["bridge"]}]}, "report 1 lacks event"),
    ],
)
def test_malformed_gold_names_the_file_and_the_entry(make_set, gold, message):
    setdir = make_set({"a": (TEXT, None, gold)})
    with pytest.raises(GoldSetError, match=message) as err:
        load_gold_set(setdir)
    assert str(setdir / "gold" / "a.json") in str(err.value)


def test_broken_files_are_named(make_set):
    setdir = make_set({"a": (TEXT, None, {})})
    (setdir / "gold" / "a.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldSetError, match="a.json: not valid UTF-8 JSON"):
        load_gold_set(setdir)
    (setdir / "gold" / "a.json").write_text(json.dumps({"doc": "a"}), encoding="utf-8")
    (setdir / "docs" / "a.txt").unlink()
    with pytest.raises(GoldSetError, match="a.txt: missing"):
        load_gold_set(setdir)
    with pytest.raises(GoldSetError, match="not a directory"):
        load_gold_set(setdir / "docs")


def test_reuse_must_be_found_in_the_reusing_document(make_set):
    setdir = make_set(
        {"a": (TEXT, None, {}), "b": ("Unrelated text.", None, {})},
        reuse=[{"from": "a", "to": "b", "text": "the bridge at Lakeside"}],
    )
    with pytest.raises(GoldSetError, match=r"reuse\.json: reuse entry 1 \(in b\): text not found"):
        load_gold_set(setdir)


def test_subset_keeps_reuse_into_kept_documents(make_set):
    later = "Reports say the bridge at Lakeside was destroyed on Sunday."
    gold = load_gold_set(
        make_set(
            {"a": (TEXT, None, {}), "b": (later, None, {})},
            reuse=[{"from": "a", "to": "b", "text": "the bridge at Lakeside was destroyed"}],
        )
    )
    assert len(subset(gold, {"b"}).reuse) == 1
    assert subset(gold, {"a"}).reuse == []
    with pytest.raises(GoldSetError, match="no gold for c"):
        subset(gold, {"c"})
