"""The signing key: full fingerprints, rotation the old key signs (verify follows it), and a rotation a crash
interrupted is finished, or undone, by the next command."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLES

from hague.config import load_config
from hague.evidence import keys, ledger
from hague.workspace import open_workspace


def test_rotation_is_signed_by_the_old_key_and_verify_follows_it(hague, home: Path) -> None:
    hague("init")
    hague("add", "--no-analyze", str(EXAMPLES))
    old = keys.key_id(hague("key", "export").stdout)
    assert "rotated" in hague("key", "rotate", "--reason", "yearly rotation", "--collector", "ann").stdout
    new = keys.key_id(hague("key", "export").stdout)
    assert new != old and (home / "keys" / "retired" / f"{old}.pem").exists()
    rotation = next(e for e in json.loads(hague("log", "--json").stdout) if e["action"] == "key.rotate")
    assert rotation["details"]["from"] == old and rotation["details"]["to"] == new
    assert rotation["actor"] == "ann" and rotation["details"]["reason"] == "yearly rotation"
    report = json.loads(hague("verify", "--json").stdout)
    assert report["ok"] and report["latest_head"]["key_id"] == new
    assert hague("key", "rotate", "--reason", " ", ok=False).exit_code == 2


def test_a_rotation_interrupted_after_its_entry_is_finished_by_the_next_command(hague, home: Path) -> None:
    hague("init")
    ws = open_workspace(load_config())
    old = ws.key
    nxt = home / "keys" / "ed25519.next.pem"
    fresh = keys.create_key(nxt)
    with ws.write() as s:  # the crash came after the entry committed, before the key files moved
        ledger.rotate(s, old, fresh, "ann", "crash test")
    report = json.loads(hague("verify", "--json").stdout)
    assert report["ok"] and any("rotation was interrupted" in n for n in report["notes"])
    hague("init")  # any command that signs
    assert json.loads(hague("verify", "--json").stdout)["ok"]
    assert not nxt.exists() and keys.key_id(hague("key", "export").stdout) == keys.key_id(keys.public_pem(fresh))


def test_a_rotation_interrupted_before_its_entry_is_undone(hague, home: Path) -> None:
    hague("init")
    before = hague("key", "export").stdout
    keys.create_key(home / "keys" / "ed25519.next.pem")  # the crash came before the entry
    assert hague("key", "export").stdout == before
    assert not (home / "keys" / "ed25519.next.pem").exists()
    hague("verify")
