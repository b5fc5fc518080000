"""End to end: the bundled examples → package → offline verify in a fresh process → import elsewhere → tamper →
named failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import run, use_workspace

from hague.sharing.ziparchive import read_members
from hague.workspace import Workspace

VERIFY = "import sys; from hague.cli.root import app; app(['package', *sys.argv[1:]], prog_name='hague')"


def env_nowhere(tmp_path: Path) -> dict[str, str]:
    """An environment whose HAGUE_HOME holds no workspace: what a recipient has."""
    return {**os.environ, "HAGUE_HOME": str(tmp_path / "nowhere"), "HAGUE_DATABASE_URL": ""}


def _verify_offline(path: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", VERIFY, "verify", str(path), *extra], env=env_nowhere(tmp_path),
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)


def test_package_verify_import_tamper(seeded_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("protect", "add", "Edgars Rinkēvičs", "--alias", "Rinkēvičs", "--reason", "test")
    listed = json.loads(run("protect", "list", "--json").stdout)
    assert [(p["name"], p["aliases"]) for p in listed] == [("Edgars Rinkēvičs", ["Rinkēvičs"])]
    out = tmp_path / "out" / "for-icc.zip"
    created = json.loads(run("package", "create", "--recipient", "ICC OTP", "--out", str(out), "--json").stdout)
    key = created["tree_head"]["key_id"]

    ok = _verify_offline(out, tmp_path, "--key", key)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "verified" in ok.stdout and not (tmp_path / "nowhere").exists()

    use_workspace(monkeypatch, tmp_path / "second")
    run("init")
    imported = json.loads(run("package", "import", str(out), "--key", key, "--json").stdout)
    assert len(imported["imported"]) + len(imported["withheld"]) == created["items"] == 3
    items = json.loads(run("export", "reports").stdout)  # the receiver has not analysed anything yet
    assert items == []

    data = bytearray(out.read_bytes())
    with out.open("rb") as f:
        text = next(m for m in read_members(f) if "/data/texts/" in m.name)
    data[text.offset + text.size // 2] ^= 0x01
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    failed = _verify_offline(bad, tmp_path)
    assert failed.returncode == 1
    assert f"FAIL {text.name.split('/', 1)[1]}" in failed.stdout

    refused = run("package", "import", str(bad), code=1)
    assert "does not verify" in refused.output


def test_usage_errors_exit_2(tmp_path: Path, seeded_ws: Workspace) -> None:
    assert "no such file" in run("package", "verify", str(tmp_path / "missing.zip"), code=2).output
    assert "give a file name ending in .zip" in run("package", "create", "--recipient", "x", "--out",
                                                    str(tmp_path), code=2).output
    # a reference to nothing is an input that failed (1), like `hague incident nope`
    assert "no incident 'nope'" in run("package", "create", "--recipient", "x", "--out", str(tmp_path / "p.zip"),
                                       "--incident", "nope", code=1).output
    assert "say why" in run("protect", "add", "Someone", "--reason", " ", code=2).output
