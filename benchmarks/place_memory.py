"""Placing reports into incidents alone, old code against new in the same run: peak memory, its growth, CPU.

The add of 100,000 generated documents peaked while placing its reports; adding 5,000-20,000 documents from scratch
to see how placement's memory grows would spend most of its time reading. This starts from a SQLite workspace
whose documents are read already (the 100,000-document workspace of a stopped add, say, or any analysed one) and,
for each N of ``--sizes`` and each source tree of ``--trees`` in turn, forgets every placement (reports in no
incident, no incidents, keys, proposals or old ids) and places the reports of the first N documents (by id) as an
add that has just read them does (:func:`hague.analysis.incidents.place_new_reports`), in its own process with
that tree's code. Printed per run: wall and CPU seconds, the peak resident set, and the resident set every few
seconds (how it grows as reports are placed); then whether every tree placed alike: each report's incident, the
incidents, the merge proposals and the stored keys, written to ``--workdir`` one row a line for a diff.

The workspace is changed in place (its placements are forgotten): give it a copy, never a workspace in use.

    .venv/bin/python benchmarks/place_memory.py --workspace /tmp/copy-of-a-read-workspace \
        --trees /tmp/old-checkout,. --sizes 5000,10000 --workdir /tmp/place-memory
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

FORGET = ("UPDATE reports SET incident_id = NULL, incident_origin = NULL "
          "WHERE incident_id IS NOT NULL OR incident_origin IS NOT NULL",
          "DELETE FROM report_keys", "DELETE FROM incident_proposals", "DELETE FROM incident_aliases",
          "DELETE FROM incidents")
DUMP = {
    "reports": "SELECT d.external_id, r.idx, r.incident_id, r.incident_origin FROM reports r "
               "JOIN documents d ON d.id = r.document_id WHERE r.incident_id IS NOT NULL ORDER BY d.external_id, r.idx",
    "incidents": "SELECT id, status FROM incidents ORDER BY id",
    "incident_proposals": "SELECT kind, incidents, score, reason, state FROM incident_proposals ORDER BY id",
    "report_keys": "SELECT key, report_id FROM report_keys ORDER BY report_id, key",
}


def _rss_mb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))


def worker(n: int, out: Path) -> None:
    """One run, with the code on ``sys.path`` (the tree's): forget, place the first ``n`` documents, dump."""
    from sqlalchemy import text

    from hague.analysis import incidents as placing
    from hague.analysis.reuse import load_doc_infos
    from hague.workspace import open_workspace

    ws = open_workspace()
    with ws.write() as s:
        for statement in FORGET:
            s.execute(text(statement))
    with ws.read() as s:
        docs = list(s.scalars(text("SELECT id FROM documents ORDER BY id LIMIT :n"), {"n": n}))
        reports = s.scalar(text("SELECT count(*) FROM reports WHERE document_id <= :last"), {"last": docs[-1]})

    def load(ids):  # type: ignore[no-untyped-def]
        with ws.read() as s:
            return load_doc_infos(s, ids)

    samples: list[tuple[float, int]] = []
    done = threading.Event()
    started, cpu = time.perf_counter(), time.process_time()

    def sample() -> None:
        while not done.wait(2):
            samples.append((round(time.perf_counter() - started), _rss_mb()))

    threading.Thread(target=sample, daemon=True).start()
    change = placing.place_new_reports(ws.read, ws.write, load, set(docs), "bench")
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    done.set()
    step = max(1, len(samples) // 12)
    print(json.dumps({"documents": n, "reports": reports, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "created": len(change.created), "attached": change.attached, "proposals": change.proposals,
                      "rss_mb_by_s": samples[::step] + samples[-1:]}))
    with ws.read() as s, out.open("w") as f:
        for table, query in DUMP.items():
            f.writelines(f"{table}\t{json.dumps(list(row))}\n" for row in s.execute(text(query)))


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workspace", type=Path, required=True, help="a copy: its placements are forgotten")
    ap.add_argument("--trees", required=True, help="source trees (checkouts), comma-separated")
    ap.add_argument("--sizes", default="5000,10000")
    ap.add_argument("--workdir", type=Path, required=True)
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(int(args.worker[0]), Path(args.worker[1]))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    trees = [Path(t).resolve() for t in args.trees.split(",")]
    for n in [int(x) for x in args.sizes.split(",")]:
        dumps = []
        for number, tree in enumerate(trees):
            out = args.workdir / f"placed-{n}-{number + 1}.txt"
            env = {**os.environ, "HAGUE_HOME": str(args.workspace), "HAGUE_DATABASE_URL": "",
                   "PYTHONPATH": str(tree / "src")}
            print(f"N={n:,} {tree}: {uptime()}", flush=True)
            subprocess.run([sys.executable, __file__, "--workspace", str(args.workspace), "--trees", args.trees,
                            "--workdir", str(args.workdir), "--worker", str(n), str(out)], env=env, check=True)
            dumps.append(out.read_bytes())
        print(f"N={n:,}: the same placements, incidents, proposals and keys in every tree:",
              all(d == dumps[0] for d in dumps), flush=True)
    print(f"done: {uptime()}")


if __name__ == "__main__":
    main()
