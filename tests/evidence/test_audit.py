"""`hague verify` mechanics: proofs a recipient checks out of band, the exported key, and `verify --since`, which
re-reads only what a signed head of an earlier size does not already vouch for. (Tampering, case by case, is
tests/security/test_tampering.py.)"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, sql, workspace_at

from hague.evidence import attested, audit, keys, ledger, merkle, proofs


@pytest.fixture()
def filled(hague, home: Path):  # type: ignore[no-untyped-def]
    hague("init")
    hague("add", str(EXAMPLES))
    hague("verify")
    return hague


def _blobs(home: Path) -> list[Path]:
    return sorted((home / "objects").glob("??/??/*"))


def test_inclusion_and_consistency_proofs_check_out_of_band(filled, home: Path) -> None:
    sha = _blobs(home)[0].name
    proof = json.loads(filled("proof", sha[:12]).stdout)
    assert proof["item"] == sha and proofs.check_inclusion(proof)
    proof["entry"]["actor"] = "someone else"
    assert not proofs.check_inclusion(proof)
    cons = json.loads(filled("proof", "--consistency", "1").stdout)
    assert merkle.verify_consistency(cons["old_size"], cons["new_size"], [bytes.fromhex(h) for h in cons["proof"]],
                                     bytes.fromhex(cons["old_root"]), bytes.fromhex(cons["new_root"]))
    assert cons["old_tree_head"]["root_hash"] == cons["old_root"]


def test_public_key_export_verifies_the_head(filled, home: Path) -> None:
    pem = filled("key", "export").stdout
    head = json.loads(filled("verify", "--json").stdout)["latest_head"]
    msg = ledger.head_message(head["tree_size"], head["root_hash"], head["timestamp"], head["key_id"])
    assert keys.verify_signature(pem, head["signature"], msg)
    assert keys.key_id(pem) == head["key_id"] and len(head["key_id"]) == 64


def test_verify_since_rereads_only_what_came_after(filled, home: Path, tmp_path: Path) -> None:
    since = json.loads(filled("verify", "--json").stdout)["latest_head"]["tree_size"]
    old = {p.name for p in _blobs(home)}
    new = tmp_path / "new.txt"
    new.write_text("Officials said on Monday that shelling hit the railway station.")
    filled("add", "--no-analyze", str(new))
    report = json.loads(filled("verify", "--since", str(since), "--json").stdout)
    assert report["ok"] and report["since"] == since and report["items"] == 1
    assert any(f"entries 1-{since} proved unchanged" in n for n in report["notes"])
    fresh = next(p for p in _blobs(home) if p.name not in old)
    os.chmod(fresh, stat.S_IRUSR | stat.S_IWUSR)
    fresh.write_bytes(fresh.read_bytes() + b" ")
    kinds = {f["kind"] for f in json.loads(filled("verify", "--since", str(since), "--json", ok=False).stdout)
             ["failures"]}
    assert kinds == {"blob-altered"}


def test_verify_since_fails_when_the_older_prefix_changed(filled, home: Path, tmp_path: Path) -> None:
    since = json.loads(filled("verify", "--json").stdout)["latest_head"]["tree_size"]
    new = tmp_path / "new.txt"
    new.write_text("Officials said on Monday that shelling hit the railway station.")
    filled("add", "--no-analyze", str(new))
    sql(home, "UPDATE ledger_entries SET entry_hash = :h WHERE seq = 2", h="ab" * 32, integrity=False)
    kinds = {f["kind"] for f in json.loads(filled("verify", "--since", str(since), "--json", ok=False).stdout)
             ["failures"]}
    assert "root-mismatch" in kinds


def test_verify_since_needs_a_signed_head_of_that_size(filled) -> None:
    size = json.loads(filled("verify", "--json").stdout)["latest_head"]["tree_size"]
    res = filled("verify", "--since", str(size + 100), ok=False)
    assert res.exit_code == 2 and "no signed tree head of size" in res.output


def test_rows_past_the_first_batch_are_checked(filled, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Verify reads every table a batch of rows at a time (server-side cursors on PostgreSQL); with one row per
    batch, the untouched workspace verifies and an edit to the last ledger entry and the last document, far past
    the first batch, is named."""
    monkeypatch.setattr(audit, "_BATCH", 1)
    monkeypatch.setattr(attested, "_WIDE", 1)
    ws = workspace_at(home)
    try:
        before = audit.verify(ws)
        assert before.ok and before.entries > 3 and before.items > 1
        sql(home, "UPDATE ledger_entries SET actor = 'mallory' WHERE seq = (SELECT max(seq) FROM ledger_entries)",
            "UPDATE documents SET title = 'A different title' WHERE id = (SELECT max(id) FROM documents)")
        failures = audit.verify(ws).failures
    finally:
        ws.engine.dispose()
    assert {f.kind for f in failures} == {"entry-altered", "document-altered"}
    assert f"entry {before.entries}" in {f.subject for f in failures}


def test_schema_head_constant_matches_the_migrations() -> None:
    from hague import db

    assert db.migrations_head() == db.SCHEMA_HEAD
