import json

TEXT = "The governor said the bridge at Lakeside was destroyed on Sunday."


def _set(make_set, gold_statement):
    return make_set(
        {
            "a": (
                TEXT,
                "2022-03-08",
                {
                    "statements": [
                        gold_statement("the bridge at Lakeside was destroyed", speaker="The governor")
                    ]
                },
            )
        }
    )


def test_check_gold_prints_perfect_json(make_set, gold_statement, hague):
    result = hague.json("eval", str(_set(make_set, gold_statement)), "--check-gold")
    assert result["statements"]["f1"] == 1.0 and result["documents"] == 1
    assert result["reuse"] == {"precision": None, "recall": None, "f1": None}


def test_show_misses_lists_the_missed_quote_and_the_extra(make_set, gold_statement, tmp_path, hague):
    predictions = {
        "documents": {
            "a": {
                "text": TEXT,
                "statements": [{"speaker": "governor", "start": 0, "end": 12, "stance": "reports"}],
                "reports": [],
            }
        },
        "reuse": None,
    }
    saved = tmp_path / "predictions.json"
    saved.write_text(json.dumps(predictions), encoding="utf-8")
    out = hague("eval", str(_set(make_set, gold_statement)), "--predictions", str(saved), "--show-misses").stdout
    assert "miss stmt" in out and "the bridge at Lakeside was destroyed" in out
    assert "extra stmt" in out and "'The governor'" in out
    assert "recall" in out and "—" in out  # undefined figures print as a dash


def test_a_broken_set_is_a_clear_error(tmp_path, hague):
    (tmp_path / "docs").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a.json").write_text("{not json", encoding="utf-8")
    res = hague("eval", str(tmp_path), "--json", ok=False)
    assert res.exit_code == 2
    error = json.loads(res.stdout)
    assert error["error"] == "invalid" and "a.json" in error["message"]


def test_modes_exclude_each_other_and_a_folder_must_be_a_set(tmp_path, hague):
    res = hague("eval", str(tmp_path), "--direct", "--check-gold", ok=False)
    assert res.exit_code == 2 and "choose one" in res.stderr
    res = hague("eval", str(tmp_path), ok=False)
    assert res.exit_code == 2 and "not a gold set" in res.stderr


def test_direct_reading_scores_without_a_workspace(make_set, gold_statement, hague):
    result = hague.json("eval", str(_set(make_set, gold_statement)), "--direct")
    assert result["documents"] == 1 and result["statements"]["recall"] == 1.0
