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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import trees  # noqa: E402

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postings", type=int, default=30_000_000, help="postings in each of the two files")
    trees.add_arguments(ap, rounds=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hague-index-") as tmp:
        built = Path(tmp) / "built"
        env = {**os.environ, "HAGUE_HOME": str(built), "HAGUE_DATABASE_URL": "", "HAGUE_COLLECTOR": "bench"}
        subprocess.run([sys.executable, "-m", "hague.cli", "init"], env=env, check=True, capture_output=True)
        trees.python_in(trees.ROOT / "src", built, BUILD, str(args.postings))
        files: set[str] = set()
        for r, name, src in trees.alternating(args):
            home = Path(tmp) / "run"
            shutil.copytree(built, home)
            got = json.loads(trees.python_in(src, home, MERGE))
            files.add(json.dumps(got.pop("files")))  # each named by its content's hash
            print(f"round {r}, {name}: {got}", flush=True)
            shutil.rmtree(home)
    print("same file from both trees:", len(files) == 1)


if __name__ == "__main__":
    main()
