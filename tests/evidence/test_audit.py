"""`hague verify` against real tampering of blobs, item rows, ledger rows and tree heads."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, sql

from hague.evidence import proofs


@pytest.fixture()
def filled(hague, home: Path):  # type: ignore[no-untyped-def]
    hague("init")
    hague("add", str(EXAMPLES))
    hague("verify")
    return hague


def _a_blob(home: Path) -> Path:
    return sorted((home / "objects").glob("??/??/*"))[0]


def _failures(hague) -> list[dict]:  # type: ignore[no-untyped-def]
    res = hague("verify", "--json", ok=False)
    assert res.exit_code == 1
    return json.loads(res.stdout)["failures"]


def test_flipped_byte_in_a_blob_is_named(filled, home: Path) -> None:
    blob = _a_blob(home)
    os.chmod(blob, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(blob.read_bytes())
    data[10] ^= 0x01
    blob.write_bytes(bytes(data))
    failures = _failures(filled)
    assert [f["kind"] for f in failures] == ["blob-altered"]
    assert failures[0]["subject"] == blob.name


def test_missing_blob_is_named(filled, home: Path) -> None:
    blob = _a_blob(home)
    blob.unlink()
    assert [(f["kind"], f["subject"]) for f in _failures(filled)] == [("blob-missing", blob.name)]


def test_edited_ledger_row_is_named(filled, home: Path) -> None:
    sql(home, "UPDATE ledger_entries SET actor='mallory' WHERE seq=2")
    kinds = {(f["kind"], f["subject"]) for f in _failures(filled)}
    assert ("entry-altered", "entry 2") in kinds


def test_rewritten_history_with_recomputed_hashes_breaks_the_signed_root(filled, home: Path) -> None:
    """An attacker who re-hashes the edited entry still cannot match the signed tree head."""
    from hague.evidence import ledger, merkle

    ((seq, time, actor, action, subjects, details, prev),) = sql(
        home, "SELECT seq, time, actor, action, CAST(subjects AS TEXT), CAST(details AS TEXT), prev_hash "
        "FROM ledger_entries WHERE seq=3")
    det = json.loads(details)
    det["outlet"] = "Forged Outlet"
    new_hash = merkle.leaf_hash(ledger.entry_payload(seq, time, actor, action, json.loads(subjects), det, prev)).hex()
    sql(home, "UPDATE ledger_entries SET details=:d, entry_hash=:h WHERE seq=3", d=json.dumps(det), h=new_hash)
    kinds = {f["kind"] for f in _failures(filled)}
    assert "root-mismatch" in kinds and "entry-altered" not in kinds


def test_deleted_ledger_row_is_named(filled, home: Path) -> None:
    sql(home, "DELETE FROM ledger_subjects WHERE seq=2", "DELETE FROM ledger_entries WHERE seq=2")
    failures = _failures(filled)
    assert any(f["kind"] == "entry-removed" and f["subject"] == "entry 2" for f in failures)
    assert any(f["kind"] == "item-unrecorded" for f in failures)


def test_deleted_last_row_is_caught_by_the_signed_head(filled, home: Path) -> None:
    ((last,),) = sql(home, "SELECT max(seq) FROM ledger_entries")
    sql(home, "DELETE FROM ledger_subjects WHERE seq=:s", "DELETE FROM ledger_entries WHERE seq=:s", s=last)
    assert any(f["kind"] == "entry-removed" for f in _failures(filled))


def test_reordered_rows_are_named(filled, home: Path) -> None:
    sql(home, "UPDATE ledger_entries SET seq=-2 WHERE seq=2", "UPDATE ledger_entries SET seq=2 WHERE seq=3",
        "UPDATE ledger_entries SET seq=3 WHERE seq=-2", integrity=False)
    kinds = {f["kind"] for f in _failures(filled)}
    assert {"entry-altered", "chain-broken"} <= kinds


def test_edited_item_row_is_named(filled, home: Path) -> None:
    sql(home, "UPDATE items SET origin='/elsewhere/forged.txt' WHERE sha256=(SELECT min(sha256) FROM items)")
    assert [f["kind"] for f in _failures(filled)] == ["item-altered"]


def test_bad_signature_is_named(filled, home: Path) -> None:
    ((sig,),) = sql(home, "SELECT signature FROM tree_heads WHERE id=1")
    sql(home, "UPDATE tree_heads SET signature=:s WHERE id=1", s=("0" if sig[0] != "0" else "1") + sig[1:])
    failures = _failures(filled)
    assert [(f["kind"], f["subject"]) for f in failures] == [("bad-signature", "tree head #1 (size 1)")]


def test_inclusion_and_consistency_proofs_check_out_of_band(filled, home: Path) -> None:
    sha = _a_blob(home).name
    proof = json.loads(filled("proof", sha[:12]).stdout)
    assert proof["item"] == sha and proofs.check_inclusion(proof)
    proof["entry"]["actor"] = "someone else"
    assert not proofs.check_inclusion(proof)
    cons = json.loads(filled("proof", "--consistency", "1").stdout)
    from hague.evidence import merkle

    assert merkle.verify_consistency(cons["old_size"], cons["new_size"], [bytes.fromhex(h) for h in cons["proof"]],
                                     bytes.fromhex(cons["old_root"]), bytes.fromhex(cons["new_root"]))
    assert cons["old_tree_head"]["root_hash"] == cons["old_root"]


def test_public_key_export_verifies_the_head(filled, home: Path) -> None:
    from hague.evidence import keys, ledger

    pem = filled("key", "export").stdout
    head = json.loads(filled("verify", "--json").stdout)["latest_head"]
    msg = ledger.head_message(head["tree_size"], head["root_hash"], head["timestamp"], head["key_id"])
    assert keys.verify_signature(pem, head["signature"], msg)
    assert keys.key_id(pem) == head["key_id"]


def test_schema_head_constant_matches_the_migrations() -> None:
    from hague import db

    assert db.migrations_head() == db.SCHEMA_HEAD
