"""`hague verify` on analysed workspaces of growing N: time and peak memory, on SQLite and on PostgreSQL.

For each N a fresh workspace gets N generated news documents added with analysis (built as benchmarks/scale.py
builds them), then `hague verify` runs twice as its own process under scale.py's launcher (peak RSS of the
command alone). ``--baseline-src DIR`` (a checkout's ``src``, e.g. ``git archive COMMIT src | tar -x -C DIR``)
also runs the verify of that code on the same workspace, alternating with this one, for a before/after in one
run. ``--home-of N=DIR`` measures an existing SQLite workspace instead of building one.

    .venv/bin/python benchmarks/verify_memory.py --sizes 2000,4000 --backends sqlite,postgresql \\
        [--baseline-src /tmp/old/src]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.read import paragraph_pool  # noqa: E402
from benchmarks.scale import Measured, uptime, workspace_env, write_docs  # noqa: E402
from tests.pgserver import Cluster  # noqa: E402


def measure(label: str, env: dict[str, str], baseline: Path | None) -> None:
    runs = [("this tree", env)]
    if baseline:
        runs.insert(0, ("baseline", {**env, "PYTHONPATH": str(baseline)}))
    for attempt in (1, 2):
        for name, e in runs:
            seconds, peak, out = Measured(e)("verify")
            assert out.startswith("verified"), out
            print(f"  {label} verify ({name}, run {attempt}): {seconds:.2f} s, {peak:.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="2000,4000")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--baseline-src", type=Path, default=None)
    ap.add_argument("--home-of", action="append", default=[], metavar="N=DIR",
                    help="an existing analysed SQLite workspace of N documents to measure instead of building one")
    args = ap.parse_args()
    existing = {int(k): Path(v) for k, v in (x.split("=", 1) for x in args.home_of)}
    pool = paragraph_pool() if set(map(int, args.sizes.split(","))) - existing.keys() else []
    with tempfile.TemporaryDirectory(prefix="hague-verify-") as tmp, ExitStack() as stack:
        root = Path(tmp)
        for backend in args.backends.split(","):
            server = stack.enter_context(Cluster()) if backend == "postgresql" else None
            for n in map(int, args.sizes.split(",")):
                label = f"{backend} N={n:,}"
                if backend == "sqlite" and n in existing:
                    env = {**os.environ, "HAGUE_HOME": str(existing[n]), "HAGUE_DATABASE_URL": ""}
                else:
                    env = workspace_env(root / f"{backend}-{n}", server, f"verify_{n}")
                    hague = Measured(env)
                    hague("init")
                    seconds, peak, _ = hague("add", str(write_docs(root / f"docs-{n}", 0, n, random.Random(n), pool)))
                    print(f"  {label} add (with analysis): {seconds:.1f} s, {peak:.0f} MB", flush=True)
                print(f"  {label}: {uptime()}", flush=True)
                measure(label, env, args.baseline_src)
                print(f"  {label}: {uptime()}", flush=True)


if __name__ == "__main__":
    main()
