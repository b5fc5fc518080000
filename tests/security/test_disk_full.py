"""A full disk stops `hague add` cleanly: what was added before is kept and verifies, the input that hit it
and every later one are named, and the same command after freeing space adds the rest.

The workspace sits on a small tmpfs mounted in a private mount namespace (``unshare``), so nothing on the
machine fills up; the test is skipped where namespaces are not allowed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
set -e
mount -t tmpfs -o size=1200k tmpfs "$HAGUE_HOME"
$HAGUE init > /dev/null
set +e
$HAGUE add --no-analyze --json "$INPUT" > "$OUT/add.json" 2> "$OUT/add.err"; echo $? > "$OUT/add.rc"
$HAGUE verify --json > "$OUT/verify.json"; echo $? > "$OUT/verify.rc"
mount -o remount,size=64m "$HAGUE_HOME"
$HAGUE add --no-analyze --json "$INPUT" > "$OUT/again.json" 2> "$OUT/again.err"; echo $? > "$OUT/again.rc"
$HAGUE verify --json > "$OUT/verify2.json"; echo $? > "$OUT/verify2.rc"
"""


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "--map-root-user", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _namespaces_work(), reason="needs `unshare --mount --map-root-user` (user namespaces)")
def test_a_full_disk_stops_add_cleanly_and_keeps_what_was_done(tmp_path: Path) -> None:
    inputs, out, home = tmp_path / "in", tmp_path / "out", tmp_path / "ws"
    for folder in (inputs, out, home):
        folder.mkdir()
    for i in range(230):  # more than one batch: the second is never attempted
        (inputs / f"r-{i:03d}.txt").write_text(f"Report {i}: shelling was reported near the station. " * 140)
    env = {**os.environ, "HAGUE_HOME": str(home), "INPUT": str(inputs), "OUT": str(out),
           "HAGUE": f"{sys.executable} -m hague.cli", "HAGUE_DATABASE_URL": "", "HAGUE_WITNESS": ""}
    done = subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-c", SCRIPT], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr

    def read(name: str) -> str:
        return (out / name).read_text()

    assert read("add.rc").strip() == "1", read("add.err")
    assert "Traceback" not in read("add.err") and "the disk is full" in read("add.err")
    first = json.loads(read("add.json"))["results"]
    added = [r for r in first if r["status"] == "added"]
    stopped = [r for r in first if r["status"] in ("failed", "stopped")]
    assert added and len(added) + len(stopped) == 230 and all(r["no_space"] for r in stopped)
    assert sum(r["status"] == "stopped" for r in stopped) == 30
    assert read("verify.rc").strip() == "0", read("verify.json")
    assert json.loads(read("verify.json"))["items"] == len(added)
    again = json.loads(read("again.json"))["results"]
    assert read("again.rc").strip() == "0", read("again.err")
    assert sorted(r["status"] for r in again) == sorted(["duplicate"] * len(added) + ["added"] * len(stopped))
    assert read("verify2.rc").strip() == "0" and json.loads(read("verify2.json"))["items"] == 230
