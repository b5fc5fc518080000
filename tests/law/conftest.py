"""Seed incidents as review features: the gold reports of shared/seeds with evidence located in examples/."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from hague.law import IncidentFeatures

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT.parent / "shared" / "seeds" / "gold"
EXAMPLES = ROOT / "examples"


def _seed_features(incident: str) -> IncidentFeatures:
    """The first seed gold report of ``incident``, with its evidence strings located in the document text."""
    for path in sorted(GOLD.glob("0*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for report in doc["reports"]:
            if report["incident"] == incident:
                text = (EXAMPLES / f"{doc['doc']}.txt").read_text(encoding="utf-8")
                return IncidentFeatures.from_gold(report, text, report_id=incident, document_id=doc["doc"])
    raise LookupError(incident)


@pytest.fixture()
def seed() -> Callable[[str], IncidentFeatures]:
    return _seed_features


@pytest.fixture()
def example_text() -> Callable[[str], str]:
    return lambda doc_id: (EXAMPLES / f"{doc_id}.txt").read_text(encoding="utf-8")
