"""Fixtures that write small gold sets (layout of docs/gold-format.md) from invented text.

``gold_statement`` and ``gold_report`` build entries with defaults, so a test states only what it checks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def write_set(
    root: Path,
    docs: dict[str, tuple[str, str | None, dict[str, Any]]],
    reuse: list[dict[str, str]] | None = None,
) -> Path:
    """``docs``: id -> (text, published, gold with "statements"/"reports")."""
    (root / "docs").mkdir(parents=True)
    (root / "gold").mkdir()
    for doc_id, (text, published, gold) in docs.items():
        (root / "docs" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (root / "docs" / f"{doc_id}.json").write_text(json.dumps({"id": doc_id, "published": published}))
        body = {"doc": doc_id, "statements": gold.get("statements", []), "reports": gold.get("reports", [])}
        (root / "gold" / f"{doc_id}.json").write_text(json.dumps(body), encoding="utf-8")
    if reuse is not None:
        (root / "gold" / "reuse.json").write_text(json.dumps(reuse), encoding="utf-8")
    return root


def _statement(quote: str, speaker: str = "Anna Kovacs", **kw: Any) -> dict[str, Any]:
    return {
        "speaker": speaker,
        "org": kw.pop("org", None),
        "quote": quote,
        "mode": kw.pop("mode", "direct"),
        "said_on": kw.pop("said_on", None),
        "stance": kw.pop("stance", "reports"),
        **kw,
    }


def _report(incident: str, evidence: list[str], **kw: Any) -> dict[str, Any]:
    base = {
        "incident": incident,
        "evidence": evidence,
        "event": "attack",
        "targets": [],
        "weapons": [],
        "place": None,
        "country": None,
        "date": None,
        "killed": None,
        "injured": None,
        "perpetrator": None,
        "status": "reported",
        "pattern": False,
    }
    return base | kw


@pytest.fixture
def gold_statement():
    return _statement


@pytest.fixture
def gold_report():
    return _report


@pytest.fixture
def make_set(tmp_path: Path):
    counter = iter(range(1000))

    def make(docs, reuse=None):
        return write_set(tmp_path / f"set{next(counter)}", docs, reuse)

    return make
