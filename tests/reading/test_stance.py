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
