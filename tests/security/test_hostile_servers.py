"""Servers that lie, drip or send bombs: each URL fails (or is kept unread) alone, with its reason, within its
budget, and the good URL in the same command is added."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tests.security.conftest import SMALL_CAP, results


def _items(home: Path) -> int:
    return sqlite3.connect(home / "hague.db").execute("SELECT count(*) FROM items").fetchone()[0]


def test_a_server_lying_about_its_length_fails_alone(hague, home: Path, hostile: str) -> None:
    hague("init")
    res = hague("add", f"{hostile}/liar", f"{hostile}/good", "--no-analyze", "--json", ok=False)
    assert res.exit_code == 1
    got = results(res)
    assert got["liar"]["status"] == "failed" and "broke off the response" in got["liar"]["reason"]
    assert got["good"]["status"] == "added"
    assert _items(home) == 1 and list((home / "objects" / "tmp").iterdir()) == []


def test_a_slow_drip_body_is_cut_off(hague, home: Path, hostile: str) -> None:
    """One byte every half second: slower than the minimum rate, cut off after the 5 s window."""
    hague("init")
    got = results(hague("add", f"{hostile}/drip", f"{hostile}/good", "--no-analyze", "--json", ok=False))
    assert got["drip"]["status"] == "failed" and "HAGUE_FETCH_MIN_RATE" in got["drip"]["reason"]
    assert got["good"]["status"] == "added"


def test_dripping_headers_meet_the_overall_deadline(hague, home: Path, hostile: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    hague("init")
    monkeypatch.setenv("HAGUE_FETCH_DEADLINE", "1.5")
    got = results(hague("add", f"{hostile}/drip-headers", "--no-analyze", "--json", ok=False))
    assert got["drip-headers"]["status"] == "failed"
    assert "the fetch took longer than the budget of 1.5 s" in got["drip-headers"]["reason"]
    assert list((home / "objects" / "tmp").iterdir()) == []


def test_a_gzip_bomb_is_preserved_as_sent_and_not_inflated(hague, home: Path, hostile: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    hague("init")
    monkeypatch.setenv("HAGUE_MAX_EXPANDED_BYTES", SMALL_CAP)
    got = results(hague("add", f"{hostile}/bomb", f"{hostile}/good", "--json", ok=False))
    assert got["bomb"]["status"] == "unread"
    assert "expands past the budget of 1,048,576 bytes" in got["bomb"]["reason"]
    assert got["good"]["status"] == "added"
    db = sqlite3.connect(home / "hague.db")
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    hague("verify")
