"""The seeds scored against themselves give 1.0 for every figure: the matcher finds what the gold says."""

import shutil
from pathlib import Path

import pytest

from hague.eval import gold_as_predictions, load_gold_set, score

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEED_GOLD = Path("/work/shared/seeds/gold")


@pytest.fixture
def seeds(tmp_path):
    if not SEED_GOLD.is_dir():
        pytest.skip("shared seed gold not available")
    (tmp_path / "docs").mkdir()
    for path in EXAMPLES.glob("*.*"):
        shutil.copy(path, tmp_path / "docs" / path.name)
    shutil.copytree(SEED_GOLD, tmp_path / "gold")
    return load_gold_set(tmp_path)


def test_gold_scored_against_itself_is_perfect(seeds):
    result = score(seeds, gold_as_predictions(seeds))
    assert result["documents"] == 2
    figures = {
        f"{section}.{name}": value
        for section in ("statements", "reports", "incidents", "reuse")
        for name, value in result[section].items()
    }
    assert figures == dict.fromkeys(figures, 1.0)
