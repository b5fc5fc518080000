"""The reuse index's merge of its two largest files: peak memory and time, this tree's code against another's.

At 100,000 documents the add's resident set peaked while ``hague.analysis.index.compact`` merged the index files
(2.16 GB of anonymous memory, sampled, against about 1.1 GB before and after): the last merge makes one array of
every posting (about 60 million, 0.5 GB), and the code read both halves into memory first and hashed a copy of the
result for its name. This builds a workspace holding two index files of ``--postings`` random postings each, then
merges them in a fresh process, alternately with this tree's ``src`` and with ``--baseline-src`` (another tree's
``src``, e.g. from ``git archive``), each on its own copy, ``--rounds`` times. Printed per run: wall and CPU seconds
and the process's peak resident set; and whether both trees wrote the same file (its name is its content's hash).

    .venv/bin/python benchmarks/index_memory.py --postings 30000000 --baseline-src /tmp/base/src --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in the measured process: the merge, then its CPU time and peak resident set (the process's own, so the
# figure is the merge's and the imports', nothing of this script).
MERGE = """
import json, resource, sys, time
from hague.analysis import index
from hague.corroboration.reuse import ReuseParams
from hague.workspace import open_workspace
ws = open_workspace()
wall, cpu = time.perf_counter(), time.process_time()
index.compact(ws.sessions, ws.config.home, ReuseParams())
print(json.dumps({"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "files": sorted(p.name for p in index.folder(ws.config.home).glob("*.npy"))}))
"""

BUILD = """
import sys
import numpy as np
from hague.analysis import index
from hague.corroboration.reuse import ReuseParams
from hague.workspace import open_workspace
ws, n = open_workspace(), int(sys.argv[1])
rng = np.random.default_rng(0)
for _ in range(2):
    part = np.sort(rng.integers(0, 2**63, n, dtype=np.uint64))
    with ws.write() as s:
        index.add(s, ws.config.home, ReuseParams(), part, [])
"""


def run(code: str, home: Path, src: Path, *args: str) -> str:
    env = {**os.environ, "HAGUE_HOME": str(home), "HAGUE_DATABASE_URL": "", "PYTHONPATH": str(src)}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, check=True, capture_output=True,
                          text=True).stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postings", type=int, default=30_000_000, help="postings in each of the two files")
    ap.add_argument("--baseline-src", type=Path, required=True, help="the other tree's src folder")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    trees = {"this tree": ROOT / "src", "baseline": args.baseline_src.resolve()}
    with tempfile.TemporaryDirectory(prefix="hague-index-") as tmp:
        built = Path(tmp) / "built"
        env = {**os.environ, "HAGUE_HOME": str(built), "HAGUE_DATABASE_URL": "", "HAGUE_COLLECTOR": "bench"}
        subprocess.run([sys.executable, "-m", "hague.cli", "init"], env=env, check=True, capture_output=True)
        run(BUILD, built, trees["this tree"], str(args.postings))
        files: dict[str, list[str]] = {}
        for r in range(args.rounds):
            for name, src in (trees.items() if r % 2 == 0 else reversed(trees.items())):
                home = Path(tmp) / f"{name.replace(' ', '-')}-{r}"
                shutil.copytree(built, home)
                got = json.loads(run(MERGE, home, src))
                files.setdefault(name, []).append(json.dumps(got.pop("files")))  # named by their content's hash
                print(f"round {r + 1}, {name}: {got}", flush=True)
                shutil.rmtree(home)
    print("same file from both trees:", len({f for runs in files.values() for f in runs}) == 1)


if __name__ == "__main__":
    main()
