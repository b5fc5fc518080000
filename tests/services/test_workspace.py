"""The workspace services: create (with the actor in the ledger), open, and settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from hague.config import load_config
from hague.errors import SettingsError, WorkspaceMissing
from hague.services import evidence, workspace


def test_initialise_records_the_actor_and_open_finds_it(tmp_path: Path) -> None:
    config = replace(load_config(), home=tmp_path / "ws", database_url="")
    with pytest.raises(WorkspaceMissing, match="hague init"):
        workspace.open(config)
    ws, done = workspace.initialise("Ana Analyst", config)
    assert done.created and done.tree_head["tree_size"] == 1
    again = workspace.open(config)
    [entry] = evidence.list_ledger(again, limit=10).items
    assert (entry.action, entry.actor) == ("init", "Ana Analyst")
    assert not workspace.initialise("someone else", config)[1].created


def test_settings_name_each_variable_and_refuse_a_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    names = {s.env for s in workspace.settings()}
    assert {"HAGUE_HOME", "HAGUE_DATABASE_URL", "HAGUE_MAX_ITEM_BYTES"} <= names
    monkeypatch.setenv("HAGUE_FETCH_TIMEOUT", "-3")
    with pytest.raises(SettingsError, match="HAGUE_FETCH_TIMEOUT='-3' must be positive") as err:
        workspace.settings()
    assert err.value.exit_code == 2
