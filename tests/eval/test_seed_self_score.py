"""The seeds scored against themselves give 1.0 for every figure: the matcher finds what the gold says."""

import pytest
from tests.conftest import shared_set

from hague.eval import gold_as_predictions, load_gold_set, score


@pytest.fixture
def seeds(seed_set):
    return load_gold_set(seed_set)


def test_gold_scored_against_itself_is_perfect(seeds):
    result = score(seeds, gold_as_predictions(seeds))
    assert result["documents"] == 3
    figures = {
        f"{section}.{name}": value
        for section in ("statements", "reports", "incidents", "reuse")
        for name, value in result[section].items()
    }
    assert figures == dict.fromkeys(figures, 1.0)


@pytest.mark.parametrize("name", ["seeds", "corpus", "corpus2"])
def test_development_sets_score_perfectly_against_themselves(name):
    """Opt-in: the development sets beside the checkout, when present, are well-formed gold."""
    gold = load_gold_set(shared_set(name))
    result = score(gold, gold_as_predictions(gold))
    assert all(v in (1.0, None) for section in ("statements", "reports", "incidents", "reuse")
               for v in result[section].values())
