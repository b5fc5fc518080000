"""The workspace is not evidence: its keys, database and objects are never added, never overwritten by an
output, and a lost or damaged database is reported as such, never papered over with a fresh ledger."""

from __future__ import annotations

import gc
import json
import sqlite3
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES
from tests.security.conftest import results


def _items(home: Path) -> int:
    return sqlite3.connect(home / "hague.db").execute("SELECT count(*) FROM items").fetchone()[0]


def test_the_workspace_and_links_into_it_are_never_added(hague, home: Path, tmp_path: Path) -> None:
    hague("init")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "key.pem").symlink_to(home / "keys" / "ed25519.pem")
    (folder / "db").symlink_to(home / "hague.db")
    (folder / "store").symlink_to(home / "objects", target_is_directory=True)
    (folder / "report.txt").write_text("Shelling was reported near the station on Monday.")
    res = hague("add", "--no-analyze", "--json", str(home), str(home / "keys" / "ed25519.pem"), str(folder),
                ok=False)
    got = json.loads(res.stdout)["results"]
    statuses = {r["input"]: r["status"] for r in got}
    assert statuses[str(home)] == statuses[str(home / "keys" / "ed25519.pem")] == "failed"
    assert statuses[str(folder / "key.pem")] == statuses[str(folder / "db")] == "failed"
    assert statuses[str(folder / "report.txt")] == "added"
    assert all("not evidence" in r["reason"] for r in got if r["status"] == "failed")
    assert _items(home) == 1
    out = tmp_path / "package.zip"
    hague("package", "create", "--recipient", "ICC", "--out", str(out))
    key = (home / "keys" / "ed25519.pem").read_bytes()
    assert key not in out.read_bytes()


def test_names_through_symlinked_folders_are_judged_by_where_they_lead(hague, home: Path, tmp_path: Path) -> None:
    """A file named through a symlinked folder is read where it really is: refused inside the workspace, added
    (with the same bytes) outside it; a symlinked file beside plain ones in a folder likewise."""
    hague("init")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.txt").write_text("Officials said the hospital was hit on Monday.")
    links = tmp_path / "links"
    links.mkdir()
    (links / "ws").symlink_to(home, target_is_directory=True)
    (links / "out").symlink_to(outside, target_is_directory=True)
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "b.txt").write_text("Shelling was reported near the station on Tuesday.")
    (folder / "c.txt").symlink_to(outside / "a.txt")
    (folder / "witness.log").symlink_to(home / "witness.jsonl")
    named = [str(links / "ws" / "keys" / "ed25519.pem"), str(links / "ws" / "hague.db"), str(links / "out" / "a.txt")]
    got = json.loads(hague("add", "--no-analyze", "--json", *named, str(folder), ok=False).stdout)["results"]
    statuses = {r["input"]: r["status"] for r in got}
    assert statuses == {named[0]: "failed", named[1]: "failed", named[2]: "added", str(folder / "b.txt"): "added",
                        str(folder / "c.txt"): "duplicate", str(folder / "witness.log"): "failed"}
    assert all("not evidence" in r["reason"] for r in got if r["status"] == "failed")
    assert _items(home) == 2


def test_a_folder_holding_the_workspace_is_walked_around_it(hague, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "notes").mkdir(parents=True)
    (project / "notes" / "a.txt").write_text("Officials said the hospital was hit on Monday.")
    monkeypatch.setenv("HAGUE_HOME", str(project / "hague-data"))
    hague("init")
    got = results(hague("add", "--no-analyze", "--json", str(project), ok=False))
    assert got["a.txt"]["status"] == "added"
    assert "holds the workspace" in got["project"]["reason"]
    assert len(got) == 2


@pytest.mark.parametrize("target", ["hague.db", "keys/ed25519.pem", "objects/new.zip", "witness.jsonl"])
def test_no_output_is_written_into_the_workspace(hague, home: Path, target: str) -> None:
    hague("init")
    hague("add", str(EXAMPLES), "--no-analyze")
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file() and p.suffix != ".db-wal"}
    out = str(home / target)
    for args in (("package", "create", "--recipient", "ICC", "--out", out), ("report", "--out", out),
                 ("export", "incidents", "--out", out), ("key", "export", "--out", out)):
        res = hague(*args, ok=False)
        assert res.exit_code == 2 and "inside the workspace" in res.output, args
    assert not (home / "objects" / "new.zip").exists()
    for path, data in before.items():
        if path.suffix != ".db-shm":
            assert path.read_bytes() == data or path.name == "hague.db", path
    hague("verify")


@pytest.mark.parametrize("damage", ["empty", "garbage", "missing"])
def test_a_lost_or_damaged_database_is_named_with_how_to_restore(hague, home: Path, damage: str) -> None:
    hague("init")
    hague("add", str(EXAMPLES), "--no-analyze")
    gc.collect()  # close this process's connections first: the last one to close writes the file back
    db = home / "hague.db"
    if damage == "missing":
        db.unlink()
    else:
        db.write_bytes(b"" if damage == "empty" else b"this is not an SQLite database" * 200)
    for command in (("verify",), ("items",), ("init",)):
        res = hague(*command, ok=False)
        assert res.exit_code == 2, res.output
        message = " ".join(res.output.split())
        assert "Restore hague.db from a backup" in message and "run `hague init`" not in message, message
        assert {"empty": "empty (0 bytes)", "garbage": "damaged or not a database",
                "missing": "is missing"}[damage] in message
    assert (db.stat().st_size if db.exists() else 0) == {"empty": 0, "garbage": 6000, "missing": 0}[damage]
