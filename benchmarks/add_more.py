"""Adding a few documents to a large workspace, old code against new on copies of one workspace (same run).

The scale benchmark builds a workspace per run, which at 10,000 documents takes a quarter of an hour; this one
builds it once (``--build N``, with the first tree's code, kept in ``--workdir``) and then, for each source tree
given (an old checkout and the working tree, say), adds the same ``--more`` documents to a fresh copy of it, each
as its own ``hague add`` process, ``--repeat`` times in turn. Documents are generated as ``benchmarks/scale.py``
generates them (seeded by N: the same corpus, the same 10 extra documents). Wall and CPU time (the process and
its reading workers) and peak RSS are printed, with ``uptime`` before and after, since the machine is shared.
The analysis summaries of the trees are compared (the same incidents created, reports attached and refreshed),
and so are the analysis results in each copy's database: every report's incident and origin, every incident's
row, the merge proposals and the legal checklists (written to ``--workdir`` as ``results-<run>-<tree>.txt``, one
row a line, for a diff when they differ).

    .venv/bin/python benchmarks/add_more.py --workdir /tmp/add-more --build 10000 \
        --trees /tmp/old-checkout,. [--more 10] [--repeat 2]

Placing many new reports at once (a workspace of 500 documents given 3,000 more: ~14,000 reports placed chunk by
chunk into existing incidents) is the same command with ``--build 500 --more 3000``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.read import paragraph_pool  # noqa: E402
from benchmarks.scale import LAUNCH, uptime, write_docs  # noqa: E402

LAUNCH_CPU = LAUNCH.replace("ru_maxrss)", "ru_maxrss); r = resource.getrusage(resource.RUSAGE_CHILDREN); "
                            "sys.stderr.write('CPU_S %f\\n' % (r.ru_utime + r.ru_stime))")


def hague(tree: Path, home: Path, *args: str) -> tuple[float, float, float, str]:
    """Runs ``hague ARGS`` with ``tree``'s code: wall seconds, CPU seconds, peak MB, stdout."""
    env = {**os.environ, "HAGUE_HOME": str(home), "HAGUE_COLLECTOR": "bench", "HAGUE_DATABASE_URL": "",
           "PYTHONPATH": str(tree / "src")}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", LAUNCH_CPU, sys.executable, "-m", "hague.cli", *args], env=env,
                          capture_output=True)
    seconds = time.perf_counter() - started
    err = proc.stderr.decode()
    if proc.returncode != 0:
        raise SystemExit(f"hague {' '.join(args)} failed ({proc.returncode}): {err[-2000:]}")
    peak_kb = int(err.rsplit("PEAK_KB ", 1)[1].split()[0])
    cpu = float(err.rsplit("CPU_S ", 1)[1].split()[0])
    return seconds, cpu, peak_kb / 1024, proc.stdout.decode()


# The analysis results, one row a line; documents by their external id (row ids may differ between runs).
RESULTS = {
    "reports": "SELECT d.external_id, r.idx, r.incident_id, r.incident_origin FROM reports r "
               "JOIN documents d ON d.id = r.document_id ORDER BY d.external_id, r.idx",
    "incidents": "SELECT id, status, independent_count, data, context_override, event, country, date, place, lat, "
                 "lon FROM incidents ORDER BY id",
    "incident_proposals": "SELECT kind, incidents, score, reason, state, proposed_by FROM incident_proposals "
                          "ORDER BY id",
    "assessments": "SELECT incident_id, provision_id, elements FROM assessments ORDER BY incident_id, provision_id",
}


def results(home: Path, out: Path) -> str:
    """The analysis results in the workspace's database, written to ``out``; returns them."""
    db = sqlite3.connect(home / "hague.db")
    try:
        text = "".join(f"{table}\t{json.dumps(row)}\n" for table, query in RESULTS.items()
                       for row in db.execute(query))
    finally:
        db.close()
    out.write_text(text)
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, required=True, help="kept between runs: documents and the workspace")
    ap.add_argument("--build", type=int, required=True, help="N: documents in the workspace")
    ap.add_argument("--trees", required=True, help="source trees (checkouts), comma-separated; the first builds")
    ap.add_argument("--more", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    trees = [Path(t).resolve() for t in args.trees.split(",")]
    n, work = args.build, args.workdir
    pristine, corpus, extra = work / f"workspace-{n}", work / f"docs-{n}", work / f"more-{n}-{args.more}"
    if not corpus.exists():
        rng, pool = random.Random(n), paragraph_pool()
        write_docs(corpus, 0, n, rng, pool)
        write_docs(extra, n, args.more, rng, pool)
    if not pristine.exists():
        print(f"building {n:,} with {trees[0]}: {uptime()}", flush=True)
        hague(trees[0], pristine, "init")
        wall, cpu, mb, _ = hague(trees[0], pristine, "add", str(corpus), "--json")
        print(f"  add {n:,}: {wall:.1f} s wall, {cpu:.1f} s CPU, {mb:.0f} MB; {uptime()}", flush=True)
    print(f"add {args.more} more to {n:,}: {uptime()}", flush=True)
    summaries: dict[Path, list[dict[str, object]]] = {t: [] for t in trees}
    stored: dict[Path, list[str]] = {t: [] for t in trees}
    for run in range(args.repeat):
        for number, tree in enumerate(trees):
            home = work / "copy"
            shutil.rmtree(home, ignore_errors=True)
            shutil.copytree(pristine, home)
            wall, cpu, mb, out = hague(tree, home, "add", str(extra), "--json")
            analysis = json.loads(out)["analysis"]
            summaries[tree].append({k: analysis[k] for k in ("created", "attached", "refreshed", "incidents")})
            stored[tree].append(results(home, work / f"results-{run + 1}-{number + 1}.txt"))
            print(f"  run {run + 1} {tree}: {wall:.1f} s wall, {cpu:.1f} s CPU, {mb:.0f} MB; {summaries[tree][-1]}; "
                  f"{stored[tree][-1].count(chr(10)):,} result rows; {uptime()}", flush=True)
            shutil.rmtree(home)
    print(f"done: {uptime()}")
    first = summaries[trees[0]]
    print("same analysis summary in every tree:", all(s == first for s in summaries.values()))
    print("same analysis results (reports' incidents, incidents, proposals, checklists) in every tree:",
          all(s == stored[trees[0]] for s in stored.values()))


if __name__ == "__main__":
    main()
