"""SIGKILL in the middle of `hague add`, and two `hague add` processes at once, on one workspace."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import sqlalchemy as sa
from tests.conftest import hague_process, sql


def _folder(path: Path, n: int, tag: str) -> Path:
    path.mkdir()
    for i in range(n):
        (path / f"{tag}-{i:05d}.txt").write_text(f"Report {tag} {i}: shelling was reported near the station. " * 20)
    return path


def _count(home: Path, query: str) -> int:
    try:
        return sql(home, query)[0][0]
    except sa.exc.DBAPIError:  # not made yet
        return 0


def _run(*args: str) -> subprocess.CompletedProcess:
    proc = hague_process(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_sigkill_mid_add_leaves_a_verifiable_workspace_and_rerun_completes(home: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path / "in", 2500, "k")
    assert _run("init").returncode == 0
    proc = hague_process("add", str(folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while _count(home, "SELECT count(*) FROM items") < 200 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = _count(home, "SELECT count(*) FROM items")
    assert 0 < done < 2500, "the kill should land mid-way"
    verify = _run("verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    again = _run("add", str(folder))
    assert again.returncode == 0, again.stderr
    assert _count(home, "SELECT count(*) FROM items") == 2500
    assert _count(home, "SELECT count(*) FROM ledger_entries WHERE action='capture'") == 2500
    assert not list((home / "objects" / "tmp").iterdir())
    verify = _run("verify")
    assert verify.returncode == 0 and "verified" in verify.stdout and "note" not in verify.stdout, verify.stdout


def test_two_concurrent_adds_lose_nothing(home: Path, tmp_path: Path) -> None:
    a = _folder(tmp_path / "a", 600, "a")
    b = _folder(tmp_path / "b", 600, "b")
    # Both also add the same shared files: one item each, never two.
    shared = _folder(tmp_path / "shared", 100, "s")
    assert _run("init").returncode == 0
    procs = [hague_process("add", str(x), str(shared), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for x in (a, b)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert _count(home, "SELECT count(*) FROM items") == 1300
    assert _count(home, "SELECT count(*) FROM ledger_entries WHERE action='capture'") == 1300
    assert _count(home, "SELECT count(*) FROM documents") == 1300
    verify = _run("verify")
    assert verify.returncode == 0, verify.stdout
