"""Hostile and careless inputs on disk: each one fails, or is kept unread, alone and within its budget; the
rest of the command goes on; output cannot be forged by a file name; reading stays linear."""

from __future__ import annotations

import codecs
import json
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from tests.conftest import hague_process
from tests.evidence.readers.samples import SENTENCE, gzip_bomb, make_pdf, make_warc
from tests.security.conftest import SMALL_CAP, results

from hague.reading import read_document
from hague.reading import statements as statements_module


def test_deeply_nested_json_fails_alone_and_the_other_inputs_are_added(hague, home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nested.json").write_text("[" * 100_000 + "]" * 100_000)
    for i in range(14):
        (folder / f"report-{i:02d}.txt").write_text(f"{SENTENCE} Report number {i}.")
    hague("init")
    res = hague("add", "--no-analyze", "--json", str(folder), ok=False)
    assert res.exit_code == 1
    got = results(res)
    assert got["nested.json"]["status"] == "failed" and "nested too deeply" in got["nested.json"]["reason"]
    assert sorted(r["status"] for name, r in got.items() if name != "nested.json") == ["added"] * 14
    assert list((home / "objects" / "tmp").iterdir()) == []


@pytest.mark.parametrize("kind", ["warc.gz", "pdf"])
def test_decompression_bombs_are_preserved_unread_within_budget(hague, home: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """A .warc.gz whose gzipped response inflates past the cap, a PDF with eight inflating streams."""
    monkeypatch.setenv("HAGUE_MAX_EXPANDED_BYTES", SMALL_CAP)
    bomb = tmp_path / f"bomb.{kind}"
    if kind == "pdf":
        bomb.write_bytes(make_pdf(SENTENCE, [4 << 20] * 8))
    else:
        bomb.write_bytes(make_warc(gzip_bomb(16 << 20), "https://example.org/", headers=[("Content-Encoding", "gzip")],
                                   compress=True))
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE)
    hague("init")
    got = results(hague("add", "--no-analyze", "--json", str(bomb), str(good), ok=False))
    assert got[bomb.name]["status"] == "unread", got
    assert "past the budget of 1,048,576 bytes" in got[bomb.name]["reason"]
    assert got["good.txt"]["status"] == "added"
    db = sqlite3.connect(home / "hague.db")
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 2
    (details,) = db.execute("SELECT details FROM ledger_entries WHERE action = 'capture' AND details LIKE '%unread%'"
                            ).fetchone()
    assert json.loads(details)["unread"].startswith("preserved, not read")
    hague("verify")


def test_a_reader_past_its_deadline_is_stopped(hague, home: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF whose pages keep the parser busy is stopped at HAGUE_READ_SECONDS and kept, unread."""
    monkeypatch.setenv("HAGUE_READ_SECONDS", "0.5")
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(make_pdf(SENTENCE, [1 << 20] * 40))
    hague("init")
    got = results(hague("add", "--no-analyze", "--json", str(slow), ok=False))
    assert got["slow.pdf"]["status"] == "unread"
    assert "took longer than the budget of 0.5 s" in got["slow.pdf"]["reason"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_text_is_read(hague, home: Path, tmp_path: Path, codec: str) -> None:
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(f"{SENTENCE}\nЗа словами свідків, удар влучив у лікарню.".encode(codec))  # encode() adds a BOM
    assert path.read_bytes()[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    hague("init")
    got = results(hague("add", "--no-analyze", "--json", str(path)))
    assert got[path.name]["status"] == "added"
    text = sqlite3.connect(home / "hague.db").execute("SELECT text FROM documents").fetchone()[0]
    assert text.endswith("удар влучив у лікарню.")


def test_a_file_name_cannot_forge_output_lines(hague, home: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from hague.cli import common

    monkeypatch.setenv("COLUMNS", "500")  # one line per result: no wrapping to confuse the count
    monkeypatch.setattr(common.out, "_width", 500)  # the console read COLUMNS when it was made (xdist workers: 80)
    forged = tmp_path / "note.txt\nadded 0000000000000000  forged.txt [red]"
    forged.write_text(SENTENCE)
    hague("init")
    res = hague("add", "--no-analyze", str(forged))
    lines = res.stdout.splitlines()
    assert [line for line in lines if line.startswith("added")] == [lines[0]]
    assert "note.txt\\nadded 0000000000000000" in lines[0] and "forged.txt [red]" in lines[0]


def test_add_after_a_crash_during_analysis_finishes_the_analysis(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(120):
        (folder / f"r-{i:03d}.txt").write_text(f"Officials said on Monday that shelling hit the station in town {i}. "
                                               "Two people were killed, the governor said. " * 2)

    def count(sql: str) -> int:
        with sqlite3.connect(home / "hague.db", timeout=30) as db:
            return db.execute(sql).fetchone()[0]

    assert hague_process("init").wait() == 0
    proc = hague_process("add", str(folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while count("SELECT count(*) FROM ledger_entries WHERE action = 'capture'") < 120 and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert count("SELECT count(*) FROM ledger_entries WHERE action = 'analyze'") == 0, "killed during analysis"
    again = hague_process("add", "--json", str(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert {r["status"] for r in json.loads(out)["results"]} == {"duplicate"}
    assert json.loads(out)["analysis"]["documents"] == 120
    assert count("SELECT count(*) FROM ledger_entries WHERE action = 'analyze'") == 1
    assert count("SELECT count(*) FROM statements") > 0


class _Scanned:
    """A compiled pattern that counts the characters each call may scan."""

    def __init__(self, pattern: re.Pattern[str], tally: list[int]) -> None:
        self.pattern, self.tally = pattern, tally

    def _count(self, text: str, pos: int = 0, endpos: int | None = None) -> None:
        self.tally.append((len(text) if endpos is None else min(endpos, len(text))) - pos)

    def search(self, text: str, pos: int = 0, endpos: int = 2**62):  # type: ignore[no-untyped-def]
        self._count(text, pos, endpos)
        return self.pattern.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**62):  # type: ignore[no-untyped-def]
        self._count(text, pos, endpos)
        return self.pattern.finditer(text, pos, endpos)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.pattern, name)


def test_reading_a_50kb_sentence_without_full_stops_scans_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work, not time: the characters the statement patterns may scan stay proportional to the text."""
    tally: list[int] = []
    for name, value in vars(statements_module).items():
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(statements_module, name, _Scanned(value, tally))
    text = ("the minister said, adding that forces shelled the city and " * 900)[:50_000]
    reading = read_document(text)
    assert len(reading.statements) > 500
    assert sum(tally) < 40 * len(text), f"{sum(tally):,} characters scanned for {len(text):,}"
