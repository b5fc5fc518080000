"""Extractors are named components: a setting chooses them, rows, marks and the ledger name them, eval scores
any of them, and the rule-based ones read as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.conftest import Hague

from hague.config import load_config
from hague.errors import SettingsError
from hague.reading import ANALYZER_VERSION, read_document
from hague.reading.extractors import REPORTS, STATEMENTS, chosen
from hague.reading.fields import Statement
from hague.reading.text import TextDoc
from hague.services import evidence, reading
from hague.workspace import Workspace, open_workspace

TEXT = "The governor said the bridge at Lakeside was destroyed on Sunday by shelling."


def nothing_said(doc: TextDoc) -> list[Statement]:
    """A statements extractor that finds nothing: enough to tell which one ran."""
    return []


@pytest.fixture()
def silent() -> Iterator[str]:
    if "silent" not in STATEMENTS.names():
        STATEMENTS.register("silent", "0.0.1", "finds no statement (a test component)")(nothing_said)
    yield "silent"


def test_the_rule_based_extractors_are_the_defaults() -> None:
    statements, reports = chosen()
    assert (statements.name, reports.name) == ("rules", "rules")
    assert statements.version == reports.version == ANALYZER_VERSION
    assert REPORTS.get("rules").ref == f"rules@{ANALYZER_VERSION}"
    reading_ = read_document(TEXT)
    assert reading_.statements and reading_.reports


def test_a_setting_chooses_the_extractor_and_everything_records_it(seeded_ws: Workspace, silent: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first = reading.list_statements(seeded_ws, limit=1).items[0]
    assert first.analyzer == f"rules@{ANALYZER_VERSION}"
    monkeypatch.setenv("HAGUE_STATEMENTS_EXTRACTOR", silent)
    ws = open_workspace(load_config())
    done = reading.analyze(ws, "tester")
    assert done.summary.read == 3  # a new extractor: every document is read again
    assert done.summary.statements == 0 and done.summary.reports > 0
    assert done.summary.components == {"statements.silent": "0.0.1", "reports.rules": ANALYZER_VERSION}
    entry = evidence.list_ledger(ws, action="analyze", limit=1).items[0]
    assert entry.details["components"] == done.summary.components
    assert reading.analyze(ws, "tester").summary.read == 0  # the mark says how they were read
    monkeypatch.setenv("HAGUE_STATEMENTS_EXTRACTOR", "nonesuch")
    with pytest.raises(SettingsError, match="HAGUE_STATEMENTS_EXTRACTOR.*no statements component 'nonesuch'"):
        reading.analyze(open_workspace(load_config()), "tester")


def test_eval_scores_any_extractor(seed_set, silent: str, hague: Hague) -> None:  # type: ignore[no-untyped-def]
    rules = hague.json("eval", str(seed_set), "--direct")
    assert rules["components"]["statements.rules"] == ANALYZER_VERSION and rules["statements"]["recall"] > 0.5
    quiet = hague.json("eval", str(seed_set), "--direct", "--statements", silent)
    assert quiet["components"]["statements.silent"] == "0.0.1" and quiet["statements"]["recall"] == 0.0
    assert quiet["reports"] == rules["reports"]
    res = hague("eval", str(seed_set), "--reports", "nonesuch", ok=False)
    assert res.exit_code == 2 and "no reports component 'nonesuch'" in res.stderr
