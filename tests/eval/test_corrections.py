"""`hague eval --from-corrections CASE`: the current extractors scored against what people decided."""

from __future__ import annotations

import pytest
from tests.conftest import Hague, Team

from hague.curation.anchors import anchor_at
from hague.eval.corrections import Decided, Tally, score_document
from hague.reading import read_document
from hague.services import curation, measure
from hague.vocab import FindingKind

TEXT = ("The mayor said on Monday that the hospital in Lakeside was shelled. "
        "The governor said on Tuesday that the school in Lakeside was also hit.")


def test_only_judged_findings_count_and_fields_are_compared_with_the_final_values() -> None:
    reading = read_document(TEXT)
    quotes = [(st.quote.start, st.quote.end, st.speaker.value) for st in reading.statements]
    assert len(quotes) == 2
    (a0, a1, first), (b0, b1, _) = quotes
    assert first == "The mayor"
    decisions = [Decided(FindingKind.STATEMENT, anchor_at(TEXT, a0, a1), True, {"speaker": "Mayor Ann Lee"}),
                 Decided(FindingKind.STATEMENT, anchor_at(TEXT, b0, b1), False, {}),
                 Decided(FindingKind.STATEMENT, anchor_at(TEXT, 0, 3), True, {"speaker": "Someone"})]
    tallies = {k: Tally() for k in FindingKind}
    score_document(TEXT, reading, decisions, tallies)
    figures = tallies[FindingKind.STATEMENT].to_json()
    assert (figures["true_positives"], figures["false_positives"], figures["missed"]) == (1, 1, 1)
    assert figures["precision"] == 0.5 and figures["recall"] == 0.5
    assert figures["fields"]["speaker"] == {"accuracy": 0.0, "compared": 1}  # the person named the mayor
    assert tallies[FindingKind.REPORT].to_json()["unjudged"] == len(reading.reports)


def test_eval_from_corrections_scores_a_case(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    analyst = team.member("analyst")
    st = team.statements()
    curation.accept(team.ws, analyst, "statement", st[0].id)
    curation.accept(team.ws, analyst, "statement", st[1].id)
    curation.correct(team.ws, analyst, "statement", st[2].id, {"speaker": "Helena Brandt"})
    curation.reject(team.ws, analyst, "statement", st[3].id)
    result = measure.evaluate_corrections(team.ws, "ukraine")
    s = result.figures["statements"]
    assert (s["true_positives"], s["false_positives"], s["missed"]) == (3, 1, 0)
    assert s["precision"] == 0.75 and s["recall"] == 1.0
    assert s["fields"]["speaker"]["compared"] == 3 and s["fields"]["speaker"]["accuracy"] == pytest.approx(2 / 3)
    assert result.figures["acceptance"]["accepted_unchanged_percent"] == 50.0
    shown = Hague()("eval", "--from-corrections", "ukraine").stdout
    assert "accepted unchanged: 50.0%" in shown and "precision 75.0%" in shown
    assert Hague().json("eval", "--from-corrections", "ukraine")["statements"]["recall"] == 1.0
    bad = Hague()("eval", "--from-corrections", "nowhere", ok=False)
    assert "nowhere" in bad.stderr
