import json

from hague.eval import main

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


def test_check_gold_prints_perfect_json(make_set, gold_statement, capsys):
    assert main([str(_set(make_set, gold_statement)), "--check-gold", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["statements"]["f1"] == 1.0 and result["documents"] == 1
    assert result["reuse"] == {"precision": None, "recall": None, "f1": None}


def test_show_misses_lists_the_missed_quote_and_the_extra(make_set, gold_statement, tmp_path, capsys):
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
    assert main([str(_set(make_set, gold_statement)), "--predictions", str(saved), "--show-misses"]) == 0
    out = capsys.readouterr().out
    assert "miss stmt" in out and "the bridge at Lakeside was destroyed" in out
    assert "extra stmt" in out and "'The governor'" in out
    assert "recall" in out and "—" in out  # undefined figures print as a dash


def test_a_broken_set_is_a_clear_error(tmp_path, capsys):
    assert main([str(tmp_path), "--json"]) == 2
    assert "not a directory" in capsys.readouterr().err
