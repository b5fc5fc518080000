"""Two trees of the code timed in the same run: this checkout's ``src`` and another's (``--baseline-src``, e.g. a
``git archive`` of main), alternating round by round so that drift in the machine's load falls on both."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def add_arguments(ap: argparse.ArgumentParser, rounds: int) -> None:
    ap.add_argument("--baseline-src", type=Path, required=True, help="the other tree's src folder")
    ap.add_argument("--rounds", type=int, default=rounds)


def alternating(args: argparse.Namespace) -> Iterator[tuple[int, str, Path]]:
    """(round, tree's name, its src) in the order to run them: this tree first in odd rounds, last in even."""
    trees = [("this tree", ROOT / "src"), ("baseline", args.baseline_src.resolve())]
    for r in range(args.rounds):
        for name, src in trees if r % 2 == 0 else reversed(trees):
            yield r + 1, name, src


def python_in(src: Path, home: Path, code: str, *args: str) -> str:
    """Run ``code`` in a fresh Python importing Hague from ``src``, on the workspace at ``home``; its output."""
    env = {**os.environ, "HAGUE_HOME": str(home), "HAGUE_DATABASE_URL": "", "PYTHONPATH": str(src)}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, check=True, capture_output=True,
                          text=True).stdout
