"""`hague items | log | proof | key export` on the seeded_ws workspace: the record shapes and the custody proofs."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Hague

from hague.evidence import keys, proofs


def test_items_list_each_original_with_its_document_and_pages(seeded_cli: Hague) -> None:
    items = seeded_cli.json("items")
    assert len(items) == 3
    assert {"sha256", "size", "media_type", "captured_at", "captured_by", "origin", "capture_tool",
            "document"} <= items[0].keys()
    assert {d["document"]["key"] for d in items} == {"001_courier_hospital", "002_harbour_hospital",
                                                        "003_courier_shelling"}
    assert seeded_cli.json("items", "--limit", "1", "--offset", "1") == items[1:2]
    text = seeded_cli("items").stdout
    assert "3 preserved item(s)" in text and items[0]["sha256"] in text


def test_log_shows_the_last_entries_in_order(seeded_cli: Hague) -> None:
    entries = seeded_cli.json("log", "--limit", "1000")
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0]["action"] == "init" and {"prev_hash", "entry_hash"} <= entries[0].keys()
    last = seeded_cli.json("log", "--limit", "2")
    assert last == entries[-2:]


def test_an_item_proof_checks_against_the_exported_key(seeded_cli: Hague, tmp_path: Path) -> None:
    sha = seeded_cli.json("items")[0]["sha256"]
    proof = json.loads(seeded_cli("proof", sha[:12]).stdout)
    assert proof["item"] == sha and proofs.check_inclusion(proof)
    pem = seeded_cli("key", "export").stdout
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert keys.key_id(pem) == proof["tree_head"]["key_id"] and proof["tree_head"]["public_key"] == pem
    out = tmp_path / "key.pem"
    seeded_cli("key", "export", "--out", str(out))
    assert out.read_text() == pem
    consistency = json.loads(seeded_cli("proof", "--consistency", "1").stdout)
    assert consistency["old_size"] == 1 and consistency["new_size"] >= 1
    assert seeded_cli("proof", ok=False).exit_code == 2  # neither an item nor --consistency
