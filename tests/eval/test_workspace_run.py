"""`hague eval` runs the real pipeline on a gold set; on the seeds every gold report and reused passage is found."""

from __future__ import annotations

import json


def test_eval_on_the_seeds_finds_the_gold_statements_and_every_report(hague, seed_set) -> None:
    result = json.loads(hague("eval", str(seed_set), "--json").stdout)
    assert result["documents"] == 3
    assert result["statements"]["recall"] >= 0.9
    assert result["reports"]["recall"] == 1.0
    assert result["reuse"]["recall"] == 1.0 and result["reuse"]["precision"] == 1.0
    assert result["incidents"]["pairwise_f1"] is not None
    assert set(result) >= {"statements", "reports", "incidents", "reuse", "documents", "seconds"}


def test_eval_refuses_a_folder_that_is_not_a_gold_set(hague, tmp_path) -> None:
    res = hague("eval", str(tmp_path), ok=False)
    assert res.exit_code == 2 and "not a gold set" in res.stderr
