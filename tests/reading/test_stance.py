"""Stance codes from the statement's own words (cues in reading/data/stance.yaml)."""

import pytest

from hague.reading import stance


@pytest.mark.parametrize("content, code", [
    ("only combatants were targeted in the strike on the village", "denies"),
    ("We never carried out an airstrike on the marketplace", "denies"),
    ("issued a statement denouncing the airstrike on the school", "condemns"),
    ("has shipped more than 37 million meals to families since June", "other"),
    ("it had officially invited experts from the UN to the site of the blast", "other"),
    ("the strike killed 37 people at the market", "reports"),
])
def test_stance_cues_across_genres(content: str, code: str) -> None:
    assert stance.classify(content, "said")[0] == code


def test_blocking_access_is_reported() -> None:
    assert stance.classify("soldiers blocked medical teams from reaching the scene", "said")[0] == "reports"


@pytest.mark.parametrize("content, verb, code", [
    # The first rule of the table with a cue in the content wins, wherever in the content each cue stands.
    ("three people were killed, but officials cannot confirm the toll", "said", "cannot_confirm"),
    ("officials cannot confirm the toll of three people killed", "said", "cannot_confirm"),
    ("the shelling killed three people", "denied", "denies"),  # the verb's rule comes before the cue's
    ("officials cannot confirm that three people were killed", "denied", "cannot_confirm"),
    ("the attack was an atrocity that killed three", "said", "condemns"),
    ("the weather was mild", "said", "other"),
])
def test_the_first_rule_with_a_cue_wins(content: str, verb: str, code: str) -> None:
    assert stance.classify(content, verb)[0] == code
    # The same words in capitals, or with a letter beyond ASCII (matched case-blind, not lower-cased), alike.
    assert stance.classify(content.upper(), verb)[0] == code
    assert stance.classify(content + " \u00e9t\u00e9", verb)[0] == code
