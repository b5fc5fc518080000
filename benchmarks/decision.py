"""One review decision from the command line, old code against new in the same run, on SQLite and PostgreSQL.

``benchmarks/scale.py`` times one decision per size; this one times many, alternating source trees (an old
checkout and the working tree, say) on one workspace per backend, so load on the shared machine falls on both
alike. The workspace has N documents generated as ``benchmarks/scale.py`` generates them (seeded by N), added
with the working tree's code; ``--home-of sqlite=DIR`` uses a copy of an existing SQLite workspace instead (a
large one, say; the original is never touched). A reviewer account with a write token is made as scale.py makes
it. The decision is scale.py's: ``hague review context INCIDENT iac|niac --reason ...`` (alternating, so every
run changes the classification, recomputes the candidate provisions and appends to the ledger), on the first
incident by id (scale.py's) and on the incident with the most reports. Each run is its own ``hague`` process:
wall time and CPU time (user + system of the process) are printed per run, then min / median / max per tree,
with ``uptime`` before and after each backend. With ``--during-add M``, M more documents (seeded by N + 1) are
then added (one ``hague add`` with the working tree's code, analysis included) and, from 3 s after it starts
until it ends, the trees take turns deciding on the first incident (scale.py's "review decision during an add").
Trees of different database schemas (``SCHEMA_HEAD`` in ``src/hague/db.py``) cannot share a workspace (an older
tree refuses a newer schema): the workspace is then built with the first tree's code and each tree decides on its
own copy (the SQLite folder copied; a PostgreSQL database copied from it as a template, beside a copy of the
folder), after one untimed decision per incident and tree (printed: it migrates the copy and fills what a newer
schema keeps); ``--during-add`` needs trees of one schema.

    .venv/bin/python benchmarks/decision.py --trees /tmp/old-checkout,. [--documents 1000] \
        [--backends sqlite,postgresql] [--repeat 7] [--home-of sqlite=DIR] [--during-add 200]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.read import paragraph_pool  # noqa: E402
from benchmarks.scale import reviewer_token, uptime, workspace_env, write_docs  # noqa: E402
from tests.pgserver import Cluster  # noqa: E402


def cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(tree: Path, env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """``hague ARGS`` with ``tree``'s code: wall seconds, CPU seconds of the process (the children reaped so far
    grow by exactly it, as nothing else runs beside it from here), stdout."""
    cpu, started = cpu_of_children(), time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "hague.cli", *args], capture_output=True,
                          env={**env, "PYTHONPATH": str(tree / "src")})
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"hague {' '.join(args)} failed: {proc.stderr.decode()[-2000:]}")
    return seconds, cpu_of_children() - cpu, proc.stdout.decode()


def workspace(backend: str, server: str | None, n: int, tree: Path, root: Path, copy_of: Path | None
              ) -> dict[str, str]:
    """The environment of the benchmark's workspace: a copy of ``copy_of``, or N documents added to a new one."""
    home = root / f"{backend}-{n}"
    if copy_of is not None:
        shutil.copytree(copy_of, home, symlinks=True)
        return {**os.environ, "HAGUE_HOME": str(home), "HAGUE_COLLECTOR": "bench", "HAGUE_DATABASE_URL": ""}
    env = workspace_env(home, server, f"decision_{n}")
    docs = write_docs(root / f"docs-{n}", 0, n, random.Random(n), paragraph_pool())
    run(tree, env, "init")
    seconds, _, _ = run(tree, env, "add", str(docs), "--json")
    print(f"  {backend}: added {n:,} documents in {seconds:.0f} s", flush=True)
    return env


def schema_of(tree: Path) -> str:
    text = (tree / "src" / "hague" / "db.py").read_text(encoding="utf-8")
    return text.split('SCHEMA_HEAD = "', 1)[1].split('"', 1)[0]


def copies(env: dict[str, str], trees: list[Path], server: str | None) -> dict[Path, dict[str, str]]:
    """Each tree's own copy of the workspace of ``env``, as its environment."""
    out: dict[Path, dict[str, str]] = {}
    for i, tree in enumerate(trees):
        home = Path(env["HAGUE_HOME"]).with_name(f"{Path(env['HAGUE_HOME']).name}-tree{i}")
        shutil.copytree(env["HAGUE_HOME"], home, symlinks=True)
        out[tree] = {**env, "HAGUE_HOME": str(home)}
        if server:
            import sqlalchemy as sa

            url = sa.make_url(env["HAGUE_DATABASE_URL"])
            name = f"{url.database}_tree{i}"
            admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
            admin.dispose()
            out[tree]["HAGUE_DATABASE_URL"] = url.set(database=name).render_as_string(hide_password=False)
    return out


def chosen_incidents(tree: Path, env: dict[str, str]) -> dict[str, str]:
    """scale.py's incident (the first by id) and the one with the most reports."""
    _, _, out = run(tree, env, "incidents", "--json")
    incidents = json.loads(out)
    largest = max(incidents, key=lambda i: len(i["members"]))
    print(f"  {len(incidents):,} incidents; first {incidents[0]['id']} ({len(incidents[0]['members'])} reports), "
          f"largest {largest['id']} ({len(largest['members'])} reports)", flush=True)
    return {"first": incidents[0]["id"], "largest": largest["id"]}


def table(backend: str, got: dict[tuple[str, Path], list[tuple[float, float]]]) -> None:
    print(f"| {backend}, decision on | tree | runs | wall min / median / max | CPU min / median / max |")
    print("|---|---|---|---|---|")
    for (which, tree), runs in got.items():
        walls, cpus = sorted(w for w, _ in runs), sorted(c for _, c in runs)
        print(f"| {which} | {tree} | {len(runs)} | {walls[0]:.2f} / {statistics.median(walls):.2f} / "
              f"{walls[-1]:.2f} s | {cpus[0]:.2f} / {statistics.median(cpus):.2f} / {cpus[-1]:.2f} s |", flush=True)


def during_add(trees: list[Path], env: dict[str, str], incident: str, docs: Path
               ) -> dict[tuple[str, Path], list[tuple[float, float]]]:
    """Decisions on ``incident``, the trees in turn, while ``hague add DOCS`` runs."""
    adding = subprocess.Popen([sys.executable, "-m", "hague.cli", "add", str(docs)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env={**env, "PYTHONPATH": str(trees[-1] / "src")})
    time.sleep(3)  # capturing, then analysing
    got: dict[tuple[str, Path], list[tuple[float, float]]] = {}
    turn = 0
    while adding.poll() is None:
        tree = trees[turn % len(trees)]
        wall, cpu, _ = run(tree, env, "review", "context", incident, "iac" if turn % 4 < 2 else "niac",
                           "--reason", f"benchmark during an add {turn}")
        got.setdefault(("first, during an add", tree), []).append((wall, cpu))
        print(f"  during an add {tree}: {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
        turn += 1
    if adding.returncode:
        raise SystemExit(f"the add beside the decisions failed ({adding.returncode})")
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trees", required=True, help="source trees to compare, comma-separated (each with src/)")
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--home-of", action="append", default=[], metavar="BACKEND=DIR",
                    help="use a copy of this existing workspace (SQLite only) instead of building one")
    ap.add_argument("--during-add", type=int, default=0, metavar="M",
                    help="then decide while M more documents are added")
    args = ap.parse_args()
    trees = [Path(t).resolve() for t in args.trees.split(",")]
    one_schema = len({schema_of(t) for t in trees}) == 1
    if args.during_add and not one_schema:
        raise SystemExit("--during-add needs trees of one database schema (they decide in one workspace)")
    homes = {b: Path(d) for b, d in (h.split("=", 1) for h in args.home_of)}
    if any(b != "sqlite" for b in homes):
        raise SystemExit("--home-of takes SQLite workspaces only (a PostgreSQL one lives in its server)")
    with tempfile.TemporaryDirectory(prefix="hague-decision-") as tmp, ExitStack() as stack:
        for backend in args.backends.split(","):
            server = stack.enter_context(Cluster()) if backend == "postgresql" else None
            print(f"{backend}: {uptime()}", flush=True)
            builder = trees[-1] if one_schema else trees[0]
            env = workspace(backend, server, args.documents, builder, Path(tmp), homes.get(backend))
            env["HAGUE_TOKEN"] = reviewer_token({**env, "PYTHONPATH": str(builder / "src")})
            incidents = chosen_incidents(builder, env)
            envs = {tree: env for tree in trees} if one_schema else copies(env, trees, server)
            if not one_schema:
                for tree in trees:
                    for which, incident in incidents.items():
                        wall, cpu, _ = run(tree, envs[tree], "review", "context", incident, "niac", "--reason",
                                           "benchmark: first decision on this copy")
                        print(f"  {backend} {which} {tree}, first on its copy (untimed in the table): "
                              f"{wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
            got: dict[tuple[str, Path], list[tuple[float, float]]] = {}
            for r in range(args.repeat):
                for which, incident in incidents.items():
                    for tree in trees if r % 2 == 0 else trees[::-1]:  # neither tree always runs first
                        context = "iac" if len(got.get((f"{which} incident", tree), [])) % 2 == 0 else "niac"
                        wall, cpu, _ = run(tree, envs[tree], "review", "context", incident, context, "--reason",
                                           f"benchmark run {r}")
                        got.setdefault((f"{which} incident", tree), []).append((wall, cpu))
                        print(f"  {backend} {which} {tree}: {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
            if args.during_add:
                more = write_docs(Path(tmp) / f"more-{args.documents}", args.documents, args.during_add,
                                  random.Random(args.documents + 1), paragraph_pool())
                got.update(during_add(trees, env, incidents["first"], more))
            print(f"{backend} done: {uptime()}", flush=True)
            table(backend, got)


if __name__ == "__main__":
    main()
