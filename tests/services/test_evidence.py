"""Collect, preserve and custody as services: explicit actors, pages, references, verification and proofs."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, workspace_at

from hague.errors import AmbiguousReference, InvalidInput, NotFound
from hague.evidence import proofs
from hague.services import MAX_LIMIT, custody, evidence
from hague.vocab import AddStatus
from hague.workspace import Workspace


def test_add_records_the_actor_and_reports_each_input(tmp_path: Path) -> None:
    ws = workspace_at(tmp_path / "ws")
    seen = []
    (tmp_path / "empty.txt").write_bytes(b"")
    outcome = evidence.add(ws, "Col Lector", [str(EXAMPLES / "001_courier_hospital.txt"), str(tmp_path / "empty.txt")],
                           evidence.AddOptions(note="from the test"), analyze=False, on_result=seen.append)
    assert outcome.results == seen  # as each result came, failures first (added ones wait for their batch)
    assert {Path(r.input).name: r.status for r in seen} == {"001_courier_hospital.txt": AddStatus.ADDED,
                                                           "empty.txt": AddStatus.FAILED}
    assert outcome.failed == 1 and outcome.analysis is None and outcome.tree_head["tree_size"] == 2
    [capture] = evidence.list_ledger(ws, action="capture").items
    assert capture.actor == "Col Lector"
    [item] = evidence.list_items(ws).items
    assert item.note == "from the test" and item.document and item.document.key == "001_courier_hospital"
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        evidence.add(ws, "x", [str(EXAMPLES)], evidence.AddOptions(published="4 March 2022"))
    assert evidence.list_items(ws).total == 1  # nothing added by the refused call


def test_listings_are_pages(seeded_ws: Workspace) -> None:
    first = evidence.list_items(seeded_ws, limit=1)
    assert (len(first.items), first.total, first.has_more) == (1, 3, True)
    second = evidence.list_items(seeded_ws, limit=1, offset=1)
    assert second.has_more and second.items[0].sha256 != first.items[0].sha256
    last = evidence.list_items(seeded_ws, limit=2, offset=2)
    assert not last.has_more and [i.sha256 for i in last.items] not in ([first.items[0].sha256],
                                                                       [second.items[0].sha256])
    assert second.to_json()["items"][0]["sha256"] == second.items[0].sha256
    newest = evidence.list_ledger(seeded_ws, limit=3)
    assert [e.seq for e in newest.items] == sorted((e.seq for e in newest.items), reverse=True)
    for bad in ({"limit": 0}, {"limit": MAX_LIMIT + 1}, {"offset": -1}):
        with pytest.raises(InvalidInput):
            evidence.list_items(seeded_ws, **bad)


def test_items_by_prefix_verify_and_prove(seeded_ws: Workspace) -> None:
    sha = evidence.list_items(seeded_ws).items[0].sha256
    assert evidence.get_item(seeded_ws, sha[:10]).sha256 == sha
    with pytest.raises(NotFound):
        evidence.get_item(seeded_ws, "f" * 12)
    with pytest.raises(InvalidInput):
        evidence.get_item(seeded_ws, "abc")
    assert custody.verify(seeded_ws).ok
    proof = evidence.inclusion_proof(seeded_ws, sha[:8])
    assert proofs.check_inclusion(proof)
    assert evidence.public_key(seeded_ws).key_id == proof["tree_head"]["key_id"]
    assert evidence.consistency_proof(seeded_ws, 1)["old_size"] == 1
    assert issubclass(AmbiguousReference, Exception)
