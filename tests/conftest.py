"""Shared fixtures: a fresh workspace per test, and the CLI run in-process or as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hague.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "ws"
    monkeypatch.setenv("HAGUE_HOME", str(h))
    monkeypatch.delenv("HAGUE_DATABASE_URL", raising=False)
    return h


class Hague:
    """Runs ``hague`` in-process (fast) with the test's environment."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool | None = True):  # type: ignore[no-untyped-def]
        result = self.runner.invoke(app, list(args), catch_exceptions=False)
        if ok is True:
            assert result.exit_code == 0, result.output
        elif ok is False:
            assert result.exit_code != 0, result.output
        return result

    def json(self, *args: str, ok: bool | None = True):  # type: ignore[no-untyped-def]
        return json.loads(self(*args, "--json", ok=ok).stdout)


@pytest.fixture()
def hague(home: Path) -> Hague:
    return Hague()


def hague_process(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    """``hague`` as a separate OS process (for crash and concurrency tests)."""
    return subprocess.Popen([sys.executable, "-m", "hague.cli", *args], env={**os.environ, **(env or {})}, **kw)
