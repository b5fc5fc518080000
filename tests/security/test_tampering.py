"""An insider edits the workspace behind Hague's back; `hague verify` names what was done, case by case.

Each case tampers with a copy of a workspace that holds every kind of fact the ledger attests (see
``Reviewed``) and lists the failure kinds verify must report: the list of cases is the tampering
catalogue.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.security.conftest import Reviewed

from hague.evidence import keys, ledger, merkle

Tamper = Callable[[Reviewed], None]


def _sql(*statements: str) -> Tamper:
    def run(r: Reviewed) -> None:
        db = r.db()
        db.execute("PRAGMA foreign_keys=OFF")
        for sql in statements:
            db.execute(sql.replace("{incident}", r.incident))
    return run


def _one(db: sqlite3.Connection, sql: str) -> object:
    return db.execute(sql).fetchone()[0]


def _blob(r: Reviewed, which: int = 0) -> Path:
    return sorted((r.home / "objects").glob("??/??/*"))[which]


def _flip_blob(r: Reviewed) -> None:
    blob = _blob(r)
    os.chmod(blob, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(blob.read_bytes())
    data[10] ^= 0x01
    blob.write_bytes(bytes(data))


def _swap_blob(r: Reviewed) -> None:
    a, b = _blob(r, 0), _blob(r, 1)
    os.chmod(a, stat.S_IRUSR | stat.S_IWUSR)
    a.write_bytes(b.read_bytes()[: a.stat().st_size].ljust(a.stat().st_size, b" "))


def _delete_item_entirely(r: Reviewed) -> None:
    db = r.db()
    sha = _one(db, "SELECT item_sha256 FROM documents ORDER BY id DESC")
    doc = _one(db, f"SELECT id FROM documents WHERE item_sha256 = '{sha}'")
    db.execute("PRAGMA foreign_keys=OFF")
    for table in ("statements", "reports"):
        db.execute(f"DELETE FROM {table} WHERE document_id = {doc}")
    db.execute(f"DELETE FROM reuse WHERE from_document_id = {doc} OR to_document_id = {doc}")
    db.execute(f"DELETE FROM documents WHERE id = {doc}")
    db.execute(f"DELETE FROM items WHERE sha256 = '{sha}'")
    (r.home / "objects" / sha[:2] / sha[2:4] / sha).unlink()


def _insert_item(r: Reviewed) -> None:
    fake = "ab" * 32
    _sql(f"INSERT INTO items VALUES ('{fake}', 3, 'text/plain', '2022-01-01T00:00:00Z', 'mallory', "
         "'/forged.txt', 'file', NULL)")(r)
    blob = r.home / "objects" / fake[:2] / fake[2:4] / fake
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(b"abc")


def _rehash_from(db: sqlite3.Connection, first: int) -> None:
    """Recompute entry hashes and links from entry ``first`` on, as an attacker who knows the format would."""
    prev = _one(db, f"SELECT entry_hash FROM ledger_entries WHERE seq = {first - 1}") if first > 1 else ledger.GENESIS
    rows = db.execute("SELECT seq, time, actor, action, subjects, details FROM ledger_entries WHERE seq >= ? "
                      "ORDER BY seq", (first,)).fetchall()
    for seq, time, actor, action, subjects, details in rows:
        digest = merkle.leaf_hash(ledger.entry_payload(seq, time, actor, action, json.loads(subjects),
                                                       json.loads(details), prev)).hex()
        db.execute("UPDATE ledger_entries SET prev_hash = ?, entry_hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest


def _resign_heads(r: Reviewed, db: sqlite3.Connection, replace_key_file: bool = False) -> str:
    """Every tree head re-signed by a new key, registered in signing_keys; returns its fingerprint."""
    mallory = keys.create_key(r.home.parent / "mallory.pem")
    pem = keys.public_pem(mallory)
    kid = keys.key_id(pem)
    db.execute("INSERT INTO signing_keys VALUES (?, ?, '2022-01-01T00:00:00Z')", (kid, pem))
    leaves = [bytes.fromhex(h) for (h,) in db.execute("SELECT entry_hash FROM ledger_entries ORDER BY seq")]
    for hid, size, ts in db.execute("SELECT id, tree_size, timestamp FROM tree_heads").fetchall():
        root = merkle.root(leaves[:size]).hex()
        sig = mallory.sign(ledger.head_message(size, root, ts, kid)).hex()
        db.execute("UPDATE tree_heads SET root_hash = ?, key_id = ?, signature = ? WHERE id = ?", (root, kid, sig, hid))
    if replace_key_file:
        key_path = r.home / "keys" / "ed25519.pem"
        os.chmod(key_path, 0o600)
        key_path.write_bytes((r.home.parent / "mallory.pem").read_bytes())
    return kid


def _rewrite_entry_and_resign(r: Reviewed) -> None:
    db = r.db()
    seq, details = db.execute("SELECT seq, details FROM ledger_entries WHERE action = 'capture' "
                              "ORDER BY seq").fetchone()
    det = json.loads(details)
    det["outlet"] = "Forged Outlet"
    db.execute("UPDATE ledger_entries SET details = ? WHERE seq = ?", (json.dumps(det), seq))
    db.execute("UPDATE documents SET outlet = 'Forged Outlet' WHERE id = 1")
    _rehash_from(db, seq)
    _resign_heads(r, db)


def _rewrite_all_with_a_new_pinned_key(r: Reviewed, replace_key_file: bool) -> None:
    """The whole ledger rewritten from its init entry, which now pins the attacker's key."""
    db = r.db()
    mallory_path = r.home.parent / "mallory.pem"
    kid = _resign_heads(r, db, replace_key_file)
    details = json.loads(_one(db, "SELECT details FROM ledger_entries WHERE seq = 1"))
    details.update(ledger.init_details(keys.load_key(mallory_path)))
    assert details["signing_key"] == kid
    db.execute("UPDATE ledger_entries SET details = ? WHERE seq = 1", (json.dumps(details),))
    _rehash_from(db, 1)
    _resign_heads_with(r, db, mallory_path)


def _resign_heads_with(r: Reviewed, db: sqlite3.Connection, key_path: Path) -> None:
    key = keys.load_key(key_path)
    kid = keys.key_id(keys.public_pem(key))
    leaves = [bytes.fromhex(h) for (h,) in db.execute("SELECT entry_hash FROM ledger_entries ORDER BY seq")]
    for hid, size, ts in db.execute("SELECT id, tree_size, timestamp FROM tree_heads").fetchall():
        root = merkle.root(leaves[:size]).hex()
        db.execute("UPDATE tree_heads SET root_hash = ?, key_id = ?, signature = ? WHERE id = ?",
                   (root, kid, key.sign(ledger.head_message(size, root, ts, kid)).hex(), hid))


def _truncate_with_heads(r: Reviewed) -> None:
    db = r.db()
    db.execute("PRAGMA foreign_keys=OFF")
    last = _one(db, "SELECT max(seq) FROM ledger_entries")
    keep = last - 3
    db.execute(f"DELETE FROM ledger_subjects WHERE seq > {keep}")
    db.execute(f"DELETE FROM ledger_entries WHERE seq > {keep}")
    db.execute(f"DELETE FROM tree_heads WHERE tree_size > {keep}")


def _forged_rotation(r: Reviewed) -> None:
    """A key.rotate entry handing signing to the attacker's key, not signed by the pinned key."""
    db = r.db()
    mallory = keys.create_key(r.home.parent / "mallory.pem")
    pem = keys.public_pem(mallory)
    last, prev = db.execute("SELECT seq, entry_hash FROM ledger_entries ORDER BY seq DESC").fetchone()
    old = json.loads(_one(db, "SELECT details FROM ledger_entries WHERE seq = 1"))["signing_key"]
    det = {"from": old, "to": keys.key_id(pem), "public_key": pem, "signature": "00" * 64, "reason": "routine"}
    seq = last + 1
    digest = merkle.leaf_hash(ledger.entry_payload(seq, "2030-01-01T00:00:00Z", "mallory", ledger.ROTATE, [], det,
                                                   prev)).hex()
    db.execute("INSERT INTO ledger_entries VALUES (?, '2030-01-01T00:00:00Z', 'mallory', ?, '[]', ?, ?, ?)",
               (seq, ledger.ROTATE, json.dumps(det), prev, digest))
    leaves = [bytes.fromhex(h) for (h,) in db.execute("SELECT entry_hash FROM ledger_entries ORDER BY seq")]
    root = merkle.root(leaves).hex()
    kid = keys.key_id(pem)
    sig = mallory.sign(ledger.head_message(seq, root, "2030-01-01T00:00:00Z", kid)).hex()
    db.execute("INSERT INTO tree_heads (tree_size, root_hash, timestamp, key_id, signature) VALUES (?, ?, ?, ?, ?)",
               (seq, root, "2030-01-01T00:00:00Z", kid, sig))


def _witness(r: Reviewed) -> Path:
    return r.home / "witness.jsonl"


def _edit_witness(r: Reviewed) -> None:
    lines = _witness(r).read_text().splitlines()
    head = json.loads(lines[-1])
    head["tree_size"] += 5
    _witness(r).write_text("\n".join([*lines[:-1], json.dumps(head)]) + "\n")


def _replace_key_file(r: Reviewed) -> None:
    path = r.home / "keys" / "ed25519.pem"
    os.chmod(path, 0o600)
    path.unlink()
    keys.create_key(path)


def _history_reason(r: Reviewed) -> None:
    db = r.db()
    history = json.loads(_one(db, f"SELECT history FROM reviews WHERE incident_id = '{r.incident}'"))
    history[-1]["reason"] = "a better reason"
    db.execute("UPDATE reviews SET history = ? WHERE incident_id = ?", (json.dumps(history), r.incident))


def _evidence_seen(r: Reviewed) -> None:
    """Edit the evidence the last decision saw (kept in its history entry; the ledger holds its digest)."""
    db = r.db()
    history = json.loads(_one(db, f"SELECT history FROM reviews WHERE incident_id = '{r.incident}'"))
    items = history[-1]["evidence_items"]
    items[sorted(items)[0]] = "0" * 64
    db.execute("UPDATE reviews SET history = ? WHERE incident_id = ?", (json.dumps(history), r.incident))


def _element(r: Reviewed, change: Callable[[dict], None], element: str | None = None) -> None:
    db = r.db()
    rows = db.execute("SELECT id, elements FROM assessments WHERE incident_id = ? AND provision_id = ?",
                      (r.incident, r.provision)).fetchall()
    aid, elements = rows[0]
    elements = json.loads(elements)
    change(elements[element or r.element])
    db.execute("UPDATE assessments SET elements = ? WHERE id = ?", (json.dumps(elements), aid))


def _machine_element_made_a_persons(r: Reviewed) -> None:
    db = r.db()
    elements = json.loads(_one(db, f"SELECT elements FROM assessments WHERE incident_id = '{r.incident}' "
                                   f"AND provision_id = '{r.provision}'"))
    other = next(k for k, v in elements.items() if v.get("origin") != "analyst")  # a machine finding is compact
    _element(r, lambda f: f.update(origin="analyst", status="supported", set_by="ann"), other)


def _remove_persons_finding(r: Reviewed) -> None:
    _element(r, lambda f: f.update(origin="machine", set_by=None, set_at=None, status="not_addressed"))


def _rename_protected(r: Reviewed) -> None:
    _sql("UPDATE protected_persons SET name = 'Edgars Rinkevics'")(r)


CASES: dict[str, tuple[Tamper, set[str]]] = {
    # originals and their records
    "blob byte flipped": (_flip_blob, {"blob-altered"}),
    "blob deleted": (lambda r: _blob(r).unlink(), {"blob-missing"}),
    "blob replaced by other bytes of the same size": (_swap_blob, {"blob-altered"}),
    "item origin edited": (_sql("UPDATE items SET origin = '/elsewhere/forged.txt' WHERE rowid = 1"),
                           {"item-altered"}),
    "item size edited": (_sql("UPDATE items SET size = size + 1 WHERE rowid = 1"), {"item-altered"}),
    "item media type edited": (_sql("UPDATE items SET media_type = 'application/pdf' WHERE rowid = 1"),
                               {"item-altered"}),
    "item capture time edited": (_sql("UPDATE items SET captured_at = '2021-01-01T00:00:00Z' WHERE rowid = 1"),
                                 {"item-altered"}),
    "item collector edited": (_sql("UPDATE items SET captured_by = 'someone else' WHERE rowid = 1"),
                              {"item-altered"}),
    "item note edited": (_sql("UPDATE items SET note = 'a note added later' WHERE rowid = 1"), {"item-altered"}),
    "item, document and blob deleted": (_delete_item_entirely, {"item-removed"}),
    "document row deleted": (_sql("DELETE FROM statements WHERE document_id = 2", "DELETE FROM reports WHERE "
                                  "document_id = 2", "DELETE FROM documents WHERE id = 2"), {"document-removed"}),
    "document text edited": (_sql("UPDATE documents SET text = replace(text, 'Russia', 'Russla') WHERE id = 1"),
                             {"document-altered"}),
    "document title edited": (_sql("UPDATE documents SET title = 'A different title' WHERE id = 1"),
                              {"document-altered"}),
    "document publication date edited": (_sql("UPDATE documents SET published = '2022-02-01' WHERE id = 1"),
                                         {"document-altered"}),
    "document outlet edited": (_sql("UPDATE documents SET outlet = 'Other Outlet' WHERE id = 1"),
                               {"document-altered"}),
    "document id edited": (_sql("UPDATE documents SET external_id = 'other-id' WHERE id = 1"), {"document-altered"}),
    "document linked to another source": (_sql("INSERT INTO sources (name) VALUES ('Other Outlet')",
                                               "UPDATE documents SET source_id = (SELECT id FROM sources WHERE name = "
                                               "'Other Outlet') WHERE id = 1"), {"document-altered"}),
    "item inserted without a capture": (_insert_item, {"item-unrecorded"}),
    # the ledger
    "entry content edited": (_sql("UPDATE ledger_entries SET actor = 'mallory' WHERE seq = 2"), {"entry-altered"}),
    "entry deleted in the middle": (_sql("DELETE FROM ledger_subjects WHERE seq = 2",
                                         "DELETE FROM ledger_entries WHERE seq = 2"), {"entry-removed"}),
    "entries reordered": (_sql("UPDATE ledger_entries SET seq = -2 WHERE seq = 2",
                               "UPDATE ledger_entries SET seq = 2 WHERE seq = 3",
                               "UPDATE ledger_entries SET seq = 3 WHERE seq = -2"), {"entry-altered", "chain-broken"}),
    "last entry deleted, its head kept": (_sql("DELETE FROM ledger_subjects WHERE seq = (SELECT max(seq) FROM "
                                               "ledger_entries)", "DELETE FROM ledger_entries WHERE seq = (SELECT "
                                               "max(seq) FROM ledger_entries)"), {"entry-removed"}),
    "last entries deleted with their tree heads": (_truncate_with_heads, {"entry-removed"}),
    "entry rewritten, chain re-hashed, heads re-signed by a new key in signing_keys": (
        _rewrite_entry_and_resign, {"wrong-key", "root-mismatch"}),
    "whole ledger rewritten to pin a new key, heads re-signed": (
        lambda r: _rewrite_all_with_a_new_pinned_key(r, False), {"wrong-key", "key-file"}),
    "whole ledger rewritten to pin a new key, heads re-signed, key file replaced": (
        lambda r: _rewrite_all_with_a_new_pinned_key(r, True), {"wrong-key"}),
    "tree head signature altered": (_sql("UPDATE tree_heads SET signature = '00' || substr(signature, 3) "
                                         "WHERE id = 1"), {"bad-signature"}),
    "key rotation not signed by the pinned key": (_forged_rotation, {"key-rotation-forged", "wrong-key"}),
    "signing key file replaced": (_replace_key_file, {"key-file"}),
    "witness log line edited": (_edit_witness, {"entry-removed"}),
    "witness log deleted": (lambda r: _witness(r).unlink(), {"witness-missing"}),
    # what people decided
    "review state set in the database": (_sql("UPDATE reviews SET state = 'legal_reviewed' WHERE incident_id = "
                                              "'{incident}'"), {"review-altered"}),
    "review history reason edited": (_history_reason, {"review-altered"}),
    "evidence a review decision saw edited": (_evidence_seen, {"review-altered"}),
    "review row deleted": (_sql("DELETE FROM reviews WHERE incident_id = '{incident}'"), {"review-removed"}),
    "review row inserted": (_sql("INSERT INTO reviews VALUES ('some-other-incident', 'export_ready', '[]')"),
                            {"review-unrecorded"}),
    "a person's element finding edited": (lambda r: _element(r, lambda f: f.update(status="proven")),
                                          {"element-altered"}),
    "a person's finding note edited": (lambda r: _element(r, lambda f: f.update(note="changed")),
                                       {"element-altered"}),
    "a machine finding passed off as a person's": (_machine_element_made_a_persons, {"element-unrecorded"}),
    "a person's finding turned back into the machine's": (_remove_persons_finding, {"element-removed"}),
    "source grade edited": (_sql("UPDATE sources SET reliability = 'A', credibility = '1'"), {"grade-altered"}),
    "source graded without the ledger": (_sql("INSERT INTO sources (name, reliability, credibility) "
                                              "VALUES ('New Outlet', 'A', '1')"), {"grade-unrecorded"}),
    "conflict classification edited": (_sql("UPDATE incidents SET context_override = 'niac' WHERE id = "
                                            "'{incident}'"), {"context-altered"}),
    "protected person deleted": (_sql("DELETE FROM protected_persons"), {"protection-removed"}),
    "protected person renamed": (_rename_protected, {"protection-unrecorded", "protection-removed"}),
    "protected person's alias removed": (_sql("UPDATE protected_persons SET aliases = '[]'"),
                                         {"protection-altered"}),
    "protection reason edited": (_sql("UPDATE protected_persons SET reason = 'no reason'"), {"protection-altered"}),
}


def test_the_untouched_workspace_verifies(reviewed: Reviewed) -> None:
    report = json.loads(reviewed.hague("verify", "--json").stdout)
    assert report["ok"] and report["witnessed_heads"] == report["tree_heads"] > 5


@pytest.mark.parametrize("case", list(CASES))
def test_tampering_is_named(reviewed: Reviewed, case: str) -> None:
    tamper, kinds = CASES[case]
    tamper(reviewed)
    res = reviewed.hague("verify", "--json", ok=False)
    assert res.exit_code == 1
    found = {f["kind"] for f in json.loads(res.stdout)["failures"]}
    assert kinds <= found, f"{case}: expected {kinds}, got {found}"
