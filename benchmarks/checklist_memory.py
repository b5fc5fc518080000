"""The legal checklists of new incidents, made as an add makes them, with SQLite statement caches of two sizes.

The add of 100,000 generated documents grew from 1,430 MB to 2,348 MB while it made the checklists of 166,130 new
incidents, though the Python objects it held did not grow: the SQLite driver keeps up to 128 prepared statements
per connection, and every bulk insert and IN list of another size is another large statement. This starts from
an analysed SQLite workspace and, for each size of ``--caches`` in turn (``--rounds`` times, alternating), in a
process of its own: forgets the checklists of ``--incidents`` incidents (their assessments, review states and kept
law features) and makes them again as an analysis does (:func:`hague.assessments.refresh_assessments`, a batch of
``REFRESH_BATCH`` incidents per transaction), with :data:`hague.db.STATEMENT_CACHE` set to that size. Printed per
run: wall and CPU seconds, the resident set before and at the end, and its peak; then the workspace's assessments
and the average bytes of their stored element findings (SQLite's length of the JSON text).

The workspace is changed in place (the checklists are forgotten and made again, with new ledger entries, so its
review history no longer matches the ledger's): give it a copy, never a workspace in use.

    .venv/bin/python benchmarks/checklist_memory.py --workspace /tmp/copy-of-an-analysed-workspace \
        --incidents 5000 --caches 128,16 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def _rss_mb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))


def worker(cache: int, offset: int, count: int) -> None:
    """One run in this process: forget and remake the checklists of ``count`` incidents from ``offset``."""
    from sqlalchemy import delete, select, text

    from hague import db
    from hague.analysis.settle import REFRESH_BATCH
    from hague.assessments import refresh_assessments
    from hague.model import AssessmentRow, IncidentLawFeatures, IncidentRow, ReviewRow
    from hague.workspace import open_workspace

    db.STATEMENT_CACHE = cache
    ws = open_workspace()
    with ws.read() as s:
        ids = list(s.scalars(select(IncidentRow.id).order_by(IncidentRow.id).offset(offset).limit(count)))
    with ws.write() as s:
        for i in range(0, len(ids), 500):
            for model in (AssessmentRow, ReviewRow, IncidentLawFeatures):
                s.execute(delete(model).where(model.incident_id.in_(ids[i:i + 500])))
    before, cpu, wall = _rss_mb(), time.process_time(), time.perf_counter()
    for i in range(0, len(ids), REFRESH_BATCH):
        with ws.write() as s:
            refresh_assessments(s, "benchmark", only=ids[i:i + REFRESH_BATCH])
    measured = {"cache": cache, "incidents": len(ids), "wall_s": round(time.perf_counter() - wall, 1),
                "cpu_s": round(time.process_time() - cpu, 1), "rss_before_mb": before, "rss_end_mb": _rss_mb(),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    with ws.read() as s:  # the workspace's assessments and the bytes of their element findings as stored
        rows, stored = s.execute(text("SELECT count(*), sum(length(elements)) FROM assessments")).one()
    print(json.dumps({**measured, "assessments": rows, "elements_bytes_per_assessment": round(stored / max(rows, 1))}),
          flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workspace", type=Path, help="an analysed SQLite workspace (a copy: changed)")
    ap.add_argument("--incidents", type=int, default=5000)
    ap.add_argument("--offset", type=int, default=0, help="the first incident (by id) whose checklists are remade")
    ap.add_argument("--caches", default="128,16", help="statement cache sizes to compare")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--worker", nargs=3, type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    if args.workspace is None:
        ap.error("--workspace is required")
    env = {**os.environ, "HAGUE_HOME": str(args.workspace), "HAGUE_DATABASE_URL": ""}
    print(f"load: {os.getloadavg()}", flush=True)
    for _ in range(args.rounds):
        for cache in (int(c) for c in args.caches.split(",")):
            subprocess.run([sys.executable, __file__, "--worker", str(cache), str(args.offset), str(args.incidents)],
                           env=env, check=True)
    print(f"load: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
