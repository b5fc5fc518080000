"""Seed incidents as review features: our gold reports of the bundled examples, evidence located in their text."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from tests.conftest import EXAMPLES, SEED_GOLD

from hague.law import IncidentFeatures


def _seed_features(incident: str) -> IncidentFeatures:
    """The first seed gold report of ``incident``, with its evidence strings located in the document text."""
    for path in sorted(SEED_GOLD.glob("0*.json")):
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
