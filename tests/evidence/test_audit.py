"""`hague verify` mechanics: proofs a recipient checks out of band, the exported key, and `verify --since`, which
re-reads only what a signed head of an earlier size does not already vouch for. (Tampering, case by case, is
tests/security/test_tampering.py.)"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from tests.conftest import BACKEND, EXAMPLES, sql, workspace_at

from hague import canonical
from hague.evidence import attested, audit, chain, keys, ledger, merkle, proofs


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


def test_items_are_named_whichever_batch_they_are_in(filled, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Verify keeps digests of what each capture attests and reads an entry again only to name a differing field:
    with one row per batch, an edited item, an item with no capture entry and a missing original, all read after
    the first batch, are each named with the field or origin."""
    monkeypatch.setattr(audit, "_BATCH", 1)
    last = max(p.name for p in _blobs(home))
    gone = min(p.name for p in _blobs(home))
    fake = hashlib.sha256(b"abc").hexdigest()
    sql(home, f"UPDATE items SET origin = '/elsewhere.txt' WHERE sha256 = '{last}'",
        "INSERT INTO items (sha256, size, media_type, captured_at, captured_by, origin, capture_tool, note) VALUES "
        f"('{fake}', 3, 'text/plain', '2022-01-01T00:00:00Z', 'mallory', '/forged.txt', 'file', NULL)")
    blob = home / "objects" / fake[:2] / fake[2:4] / fake
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(b"abc")
    origin = sql(home, f"SELECT origin FROM items WHERE sha256 = '{gone}'")[0][0]
    next(p for p in _blobs(home) if p.name == gone).unlink()
    ws = workspace_at(home)
    try:
        failures = audit.verify(ws).failures
    finally:
        ws.engine.dispose()
    named = {(f.kind, f.subject): f.message for f in failures}
    assert set(named) == {("item-altered", last), ("item-unrecorded", fake), ("blob-missing", gone)}
    assert "origin is '/elsewhere.txt' but the ledger recorded" in named["item-altered", last]
    assert origin in named["blob-missing", gone]


# --- the ledger hashed as stored -------------------------------------------------------------------------------

_STORED = ("SELECT seq, time, actor, action, CAST(subjects AS TEXT), CAST(details AS TEXT), prev_hash, entry_hash "
           "FROM ledger_entries ORDER BY seq")
_AWKWARD = {"zoë": 'a "quoted" line\nbreak, a tab\t, \u2028 and \\', "n": [1.5, -0.0, None, True, 10**20],
            "Z": {}, "prev_hash": "not the link"}


def _append(home: Path, action: str, subjects: list[str], details: dict[str, object]) -> int:
    """One entry appended as any act appends it; its seq."""
    ws = workspace_at(home)
    try:
        with ws.write() as s:
            seq = ledger.append(s, "Zoë Ødegård", action, subjects, details).seq
        ws.seal()
    finally:
        ws.engine.dispose()
    return seq


def _verify(home: Path) -> audit.Report:
    ws = workspace_at(home)
    try:
        return audit.verify(ws)
    finally:
        ws.engine.dispose()


def test_ledger_json_is_stored_canonical_and_hashed_as_stored(filled, home: Path) -> None:
    """The ledger's JSON columns hold the canonical text, escapes and all, so that the entry hashed as stored is
    the entry as hashed when written: the assembled bytes equal the encoded entry's, on either database."""
    _append(home, "note", ["ab" * 32], _AWKWARD)
    rows = sql(home, _STORED)
    assert len(rows) > 3
    for seq, time, actor, action, subjects, details, prev, digest in rows:
        subj, det = json.loads(subjects), json.loads(details)
        assert (subjects, details) == (canonical.encode(subj), canonical.encode(det))
        as_stored = chain.stored_payload(seq, time, actor, action, subjects, details, prev)
        assert as_stored == chain.entry_payload(seq, time, actor, action, subj, det, prev)
        assert as_stored is not None and merkle.leaf_hash(as_stored).hex() == digest
    assert _verify(home).ok


def test_an_entry_stored_as_other_json_of_the_same_values_verifies(filled, home: Path) -> None:
    """Text written before canonical storage (spaces, keys in another order, \\u escapes), or re-written by a
    database, is decoded and re-encoded as the entry was hashed: the same values verify, other values do not."""
    seq = _append(home, "note", ["ab" * 32], _AWKWARD)
    loose = json.dumps(dict(reversed(list(_AWKWARD.items()))), indent=1)  # ensure_ascii: \u escapes
    sql(home, "UPDATE ledger_entries SET details = :d, subjects = :s WHERE seq = :n", d=loose,
        s=json.dumps(["ab" * 32], indent=2), n=seq)
    assert _verify(home).ok
    sql(home, "UPDATE ledger_entries SET details = :d WHERE seq = :n", d=loose.replace("1.5", "2.5"), n=seq)
    failures = _verify(home).failures
    assert [(f.kind, f.subject, f.message) for f in failures] == [
        ("entry-altered", f"entry {seq}", f"ledger entry {seq} (note) altered: its content no longer matches its hash")]


def test_a_canonical_entry_with_other_values_is_altered(filled, home: Path) -> None:
    seq = _append(home, "note", [], _AWKWARD)
    sql(home, "UPDATE ledger_entries SET details = :d WHERE seq = :n", d=canonical.encode({**_AWKWARD, "Z": []}),
        n=seq)
    assert [(f.kind, f.subject) for f in _verify(home).failures] == [("entry-altered", f"entry {seq}")]


@pytest.mark.skipif(BACKEND == "postgresql", reason="PostgreSQL's json type refuses text that is not one JSON value")
def test_an_entry_cut_at_another_place_between_its_columns_is_altered(filled, home: Path) -> None:
    """Details holding what looks like the fields after them: the same bytes, cut elsewhere between details and
    subjects, put together as stored still hash to the entry's hash. Only because each column must decode to one
    value is the cut noticed."""
    before = json.loads(filled("verify", "--json").stdout)["latest_head"]["tree_size"]
    prev = sql(home, "SELECT entry_hash FROM ledger_entries WHERE seq = :n", n=before)[0][0]
    seq = before + 1
    inner = {"a": 1, "prev_hash": prev, "seq": seq, "subjects": ["q"]}
    assert _append(home, "note", [], {"x": inner}) == seq
    head, tail = canonical.encode({"x": inner}).split(',"prev_hash"', 1)
    subjects = tail.split(',"subjects":', 1)[1] + f',"prev_hash":"{prev}","seq":{seq},"subjects":[]'
    sql(home, "UPDATE ledger_entries SET details = :d, subjects = :s WHERE seq = :n", d=head, s=subjects, n=seq)
    time, actor, action, subj, det = sql(home, "SELECT time, actor, action, subjects, details FROM ledger_entries "
                                               "WHERE seq = :n", n=seq)[0]
    digest = sql(home, "SELECT entry_hash FROM ledger_entries WHERE seq = :n", n=seq)[0][0]
    as_stored = chain.stored_payload(seq, time, actor, action, subj, det, prev)
    assert as_stored is not None and merkle.leaf_hash(as_stored).hex() == digest  # the bytes alone pass
    assert [(f.kind, f.subject) for f in _verify(home).failures] == [("entry-altered", f"entry {seq}")]


def test_objects_no_item_records_are_counted_in_the_same_walk(filled, home: Path) -> None:
    """The child process that re-hashes the store also counts stored objects with no item (an interrupted add),
    wherever they lie; an original moved out of its folder is missing, not counted."""
    assert not any("not yet recorded" in n for n in _verify(home).notes)
    stray = hashlib.sha256(b"stray").hexdigest()
    (home / "objects" / stray[:2] / stray[2:4]).mkdir(parents=True, exist_ok=True)
    (home / "objects" / stray[:2] / stray[2:4] / stray).write_bytes(b"stray")
    moved = _blobs(home)[0]
    elsewhere = home / "objects" / "ff" / "ff"
    elsewhere.mkdir(parents=True, exist_ok=True)
    moved.rename(elsewhere / moved.name)
    report = _verify(home)
    assert "1 stored blob(s) not yet recorded as items (an interrupted add); adding the same files again records " \
           "them" in report.notes
    assert [(f.kind, f.subject) for f in report.failures] == [("blob-missing", moved.name)]
