from hague.eval import load_gold_set, predict_direct, predictions_from_readings, score
from hague.reading.fields import Field, Reading, Report, Statement

TEXT = "The governor said the bridge at Lakeside was destroyed on Sunday by shelling."


def _reading() -> Reading:
    start = TEXT.index("the bridge")
    statement = Statement(
        speaker=Field("The governor", 0, 12),
        org=Field(None),
        quote=Field("", start, start + 36),
        mode=Field("indirect"),
        said_on=Field("2022-03-06"),
        stance=Field("reports"),
    )
    report = Report(
        evidence=[(start, start + 36)],
        event=Field("attack"),
        targets=Field(["bridge"]),
        weapons=Field(["artillery"]),
        place=Field("Lakeside"),
        country=Field(None),
        date=Field("2022-03-06"),
        killed=Field(None),
        injured=Field(None),
        casualty_text=Field(None),
        perpetrator=Field(None),
        status=Field("reported"),
        pattern=Field(False),
        coordinates=(50.0, 30.0),
    )
    return Reading([(0, len(TEXT))], [(0, len(TEXT))], [statement], [report])


def test_readings_become_scorable_predictions(make_set, gold_statement, gold_report):
    predictions = predictions_from_readings({"a": (TEXT, _reading())}, incidents={("a", 0): "cluster-7"})
    doc = predictions["documents"]["a"]
    assert doc["statements"][0] == {
        "speaker": "The governor",
        "org": None,
        "start": 18,
        "end": 54,
        "mode": "indirect",
        "said_on": "2022-03-06",
        "stance": "reports",
    }
    assert doc["reports"][0]["incident"] == "cluster-7"
    assert doc["reports"][0]["coordinates"] == [50.0, 30.0]
    assert predictions["reuse"] is None
    gold = load_gold_set(
        make_set(
            {
                "a": (
                    TEXT,
                    "2022-03-08",
                    {
                        "statements": [
                            gold_statement(
                                "the bridge at Lakeside was destroyed",
                                speaker="The governor",
                                said_on="2022-03-06",
                                mode="indirect",
                            )
                        ],
                        "reports": [
                            gold_report(
                                "lakeside-bridge",
                                ["destroyed on Sunday by shelling"],
                                targets=["bridge"],
                                weapons=["artillery"],
                                place="Lakeside",
                                date="2022-03-06",
                            )
                        ],
                    },
                )
            }
        )
    )
    result = score(gold, predictions)
    assert result["statements"]["f1"] == result["statements"]["speaker"] == 1.0
    assert result["reports"]["f1"] == result["reports"]["targets_f1"] == result["reports"]["place"] == 1.0


def test_predict_direct_reports_a_failing_document_and_goes_on(make_set):
    setdir = make_set({"good": (TEXT, "2022-03-08", {}), "bad": ("placeholder", None, {})})
    (setdir / "docs" / "bad.txt").write_bytes(b"\xff\xfe not utf-8 \x81")
    predictions = predict_direct(setdir)
    assert set(predictions["documents"]) == {"good", "bad"}
    assert predictions["errors"]["bad"].startswith("UnicodeDecodeError")
    assert predictions["documents"]["bad"]["statements"] == []
    assert predictions["documents"]["good"]["text"] == TEXT
    assert set(predict_direct(setdir, only={"good"})["documents"]) == {"good"}
