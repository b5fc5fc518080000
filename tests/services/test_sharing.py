"""Sharing as services: dossier, export, protected persons, and a package made, verified and imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import workspace_at

from hague.errors import InvalidInput
from hague.services import evidence, sharing
from hague.workspace import Workspace


def test_a_dossier_returned_to_the_caller_is_recorded(seeded_ws: Workspace) -> None:
    dossier = sharing.report(seeded_ws, "Ana", fmt="md")
    assert dossier.text.startswith("#") and dossier.path is None and dossier.counts["documents"] == 3
    entry = evidence.list_ledger(seeded_ws, action="report").items[0]
    assert entry.actor == "Ana" and entry.subjects == [dossier.sha256] and entry.details["path"] is None
    with pytest.raises(InvalidInput):
        sharing.report(seeded_ws, "Ana", fmt="pdf")


def test_export_and_protect(seeded_ws: Workspace) -> None:
    before = json.loads(sharing.export(seeded_ws, "statements"))
    assert any("Kravets" in json.dumps(s) for s in before)
    done = sharing.protect(seeded_ws, "Ana", "Olena Kravets", "test", aliases=["Kravets"])
    assert done.created and done.pseudonym
    [person] = sharing.list_protected(seeded_ws).items
    assert (person.name, person.marked_by) == ("Olena Kravets", "Ana")
    after = sharing.export(seeded_ws, "statements")
    assert "Kravets" not in after and done.pseudonym in after
    with pytest.raises(InvalidInput):
        sharing.export(seeded_ws, "statements", "geojson")


def test_a_package_round_trip_under_explicit_actors(seeded_ws: Workspace, tmp_path: Path) -> None:
    made = sharing.create_package(seeded_ws, "Ana", "Commission", tmp_path / "p.zip")
    assert evidence.list_ledger(seeded_ws, action="export").items[0].actor == "Ana"
    assert sharing.verify_package(made.path, made.tree_head["key_id"]).ok
    receiver = workspace_at(tmp_path / "receiver")
    result = sharing.import_package(receiver, "Rea Receiver", made.path, made.tree_head["key_id"])
    assert len(result.imported) == 3
    assert evidence.list_ledger(receiver, action="package.import").items[0].actor == "Rea Receiver"
    with pytest.raises(InvalidInput, match="no such file"):
        sharing.verify_package(tmp_path / "missing.zip")
