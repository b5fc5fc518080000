"""The whole path at growing N, on SQLite and on PostgreSQL: time and peak memory of each command a team runs.

For each N (default 1,000 and 10,000; the issue also asks 100,000: ``--sizes 1000,10000,100000``) a fresh
workspace gets N generated news documents (built as benchmarks/read.py builds them: random runs of the
development corpus's paragraphs, ~600 words, each with a publication date and one of 40 outlets; read from
../shared, never copied), then, each as its own ``hague`` process:

  add N (with analysis) | add 10 more | incidents --json | report of one incident (``--incident``) |
  report of a page of 100 incidents (``--limit 100``) | report of the whole workspace (N <= WHOLE_REPORT_MAX) |
  package create of 10 incidents | verify | one review decision alone | one review decision while an add of
  200 more is analysing

Each figure is printed as soon as it is measured (so a run stopped early still says what it measured).

Peak memory is the largest resident set of the command's process tree (``wait4``); ``--trace`` also samples
each process of the add, to say which one held it and when (benchmarks/rss_trace.py). Exponents are fitted
between consecutive sizes (time ~ N^k). PostgreSQL runs on a throwaway local server (tests/pgserver.py);
``uptime`` is printed before and after each backend, since the machine is shared. Run:

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000] [--backends sqlite,postgresql] [--trace]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, nullcontext
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.read import paragraph_pool  # noqa: E402
from benchmarks.rss_trace import Trace  # noqa: E402
from tests.pgserver import Cluster  # noqa: E402

OPS = ["add", "add 10 more", "incidents --json", "report (1 incident)", "report (100 incidents)",
       "report (whole workspace)", "package create (10 incidents)", "verify", "review decision",
       "review decision during an add"]
WHOLE_REPORT_MAX = 10_000  # the unscoped dossier grows with N by design; past this, scope or page it


def write_docs(folder: Path, start: int, n: int, rng: random.Random, pool: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        paras, words = [], 0
        while words < 600:
            p = rng.choice(pool)
            paras.append(p)
            words += len(p.split())
        (folder / f"{i:07d}.txt").write_text("\n".join(paras), encoding="utf-8")
        published = date(2022, 3, 1) + timedelta(days=rng.randint(0, 200))
        (folder / f"{i:07d}.json").write_text(json.dumps({"id": f"d{i}", "published": published.isoformat(),
                                                         "outlet": f"Outlet {i % 40}"}))
    return folder


# The command runs under a small launcher that reports its children's peak RSS: Linux carries a process's peak
# across exec (and a vfork'd child starts from its parent's memory), so ``wait4`` on a child of this script
# would report at least this script's own peak (it holds the parsed ``incidents --json`` output).
LAUNCH = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
          "sys.stderr.write('\\nPEAK_KB %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
          "sys.exit(code)")


class Measured:
    """Runs a command and records its time and the peak RSS of its process tree (children waited for); with
    ``trace`` (a folder), a command given a ``label`` also has each of its processes sampled (:mod:`rss_trace`)
    into ``trace/<label>.tsv``, and which process held how much is printed."""

    def __init__(self, env: dict[str, str], trace: Path | None = None) -> None:
        self.env, self.trace = env, trace

    def __call__(self, *args: str, label: str | None = None) -> tuple[float, float, str]:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", LAUNCH, sys.executable, "-m", "hague.cli", *args],
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        sampler = Trace(proc.pid, self.trace / f"{label}.tsv") if self.trace and label else None
        out, err_bytes = proc.communicate()
        seconds = time.perf_counter() - started
        if sampler:
            print(f"  each process of `{label}` at its largest (sampled every {sampler.every:g} s):\n"
                  f"{sampler.stop()}", flush=True)
        err = err_bytes.decode()
        if proc.returncode != 0:
            raise SystemExit(f"hague {' '.join(args)} failed ({proc.returncode}): {err[-2000:]}")
        peak_kb = int(err.rsplit("PEAK_KB ", 1)[1].split()[0])
        return seconds, peak_kb / 1024, out.decode()


# Review commands act as an account: a reviewer of a case holding every item, with a write token (not timed).
REVIEWER = """
from hague.team import accounts, cases, tokens
from hague.team.roles import Role
from hague.workspace import open_workspace
ws = open_workspace()
with ws.write() as s:
    admin = accounts.create(s, "bench", "bench-admin", "a benchmark passphrase", admin=True)
    user = accounts.create(s, "bench", "bench-reviewer", "a benchmark passphrase")
    case = cases.create(s, "bench", "Benchmark", slug="bench", lead=admin)
    cases.add_all_items(s, "bench", case)
    cases.set_member(s, "bench", case, user, Role.REVIEWER)
    print(tokens.create(s, "bench", user, case, "benchmark", "write"))
ws.seal()
"""


def reviewer_token(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", REVIEWER], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def workspace_env(home: Path, server: str | None, database: str) -> dict[str, str]:
    """The environment of a fresh benchmark workspace at ``home``: SQLite inside it, or with ``server`` (a
    PostgreSQL URL) a new, empty database of that name on it."""
    env = {**os.environ, "HAGUE_HOME": str(home), "HAGUE_COLLECTOR": "bench", "HAGUE_DATABASE_URL": ""}
    if server:
        import sqlalchemy as sa

        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
        admin.dispose()
        env["HAGUE_DATABASE_URL"] = sa.make_url(server).set(database=database).render_as_string(hide_password=False)
    return env


def one_size(n: int, backend: str, server: str | None, root: Path, corpus: Path, extra: Path, more: Path,
             whole_report_max: int = WHOLE_REPORT_MAX, trace: bool = False) -> dict[str, tuple[float, float]]:
    env = workspace_env(root / f"{backend}-{n}", server, f"bench_{n}")
    hague = Measured(env, root if trace else None)
    hague("init")
    got: dict[str, tuple[float, float]] = {}

    def record(op: str, t: float, m: float) -> None:
        got[op] = (t, m)
        print(f"  {backend} N={n:,} {op}: {t:.1f} s, {m:.0f} MB", flush=True)

    t, m, _ = hague("add", str(corpus), "--json", label=f"trace-{backend}-{n}-add")
    record("add", t, m)
    t, m, _ = hague("add", str(extra), "--json")
    record("add 10 more", t, m)
    t, m, out = hague("incidents", "--json")
    incidents = [i["id"] for i in json.loads(out)]
    record("incidents --json", t, m)
    t, m, _ = hague("report", "--incident", incidents[0], "--out", str(root / f"{backend}-{n}-one.html"))
    record("report (1 incident)", t, m)
    t, m, _ = hague("report", "--limit", "100", "--out", str(root / f"{backend}-{n}-page.html"))
    record("report (100 incidents)", t, m)
    if n <= whole_report_max:
        t, m, _ = hague("report", "--out", str(root / f"{backend}-{n}-whole.html"))
        record("report (whole workspace)", t, m)
    chosen = [x for i in incidents[:10] for x in ("--incident", i)]
    t, m, _ = hague("package", "create", "--recipient", "Benchmark", "--out", str(root / f"{backend}-{n}.zip"),
                    *chosen)
    record("package create (10 incidents)", t, m)
    t, m, _ = hague("verify")
    record("verify", t, m)
    env["HAGUE_TOKEN"] = reviewer_token(env)
    t, m, _ = hague("review", "context", incidents[0], "iac", "--reason", "benchmark: alone")
    record("review decision", t, m)
    proc = subprocess.Popen([sys.executable, "-m", "hague.cli", "add", str(more)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)  # the add is capturing, then analysing
    t, m, _ = hague("review", "context", incidents[1], "iac", "--reason", "benchmark: during an add")
    running = proc.poll() is None
    proc.wait()
    record("review decision during an add", t, m)
    print(f"  ({backend}, N={n}: the add of 200 was {'still' if running else 'no longer'} running when the "
          f"decision returned; {len(incidents)} incidents)", flush=True)
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--whole-report-max", type=int, default=WHOLE_REPORT_MAX,
                    help="measure the unscoped dossier only up to this N")
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="build the documents and workspaces in DIR (new or empty) and keep them, to measure more "
                         "commands on them later; by default a temporary folder, removed at the end")
    ap.add_argument("--trace", action="store_true",
                    help="sample each process of the add every 5 s (resident and proportional set) and print which "
                         "held the most; the samples go to trace-BACKEND-N-add.tsv (keep them with --keep)")
    args = ap.parse_args()
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        ap.error(f"--keep {args.keep}: not empty")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    sizes = [int(x) for x in args.sizes.split(",")]
    pool = paragraph_pool()
    results: dict[str, dict[int, dict[str, tuple[float, float]]]] = {}
    kept = nullcontext(str(args.keep)) if args.keep else tempfile.TemporaryDirectory(prefix="hague-scale-")
    with kept as tmp, ExitStack() as stack:
        root = Path(tmp)
        for backend in args.backends.split(","):
            server = stack.enter_context(Cluster()) if backend == "postgresql" else None
            print(f"{backend}: {uptime()}", flush=True)
            results[backend] = {}
            for n in sizes:
                rng = random.Random(n)
                corpus = write_docs(root / f"docs-{n}", 0, n, rng, pool)
                extra = write_docs(root / f"extra-{n}", n, 10, rng, pool)
                more = write_docs(root / f"more-{n}", n + 10, 200, rng, pool)
                results[backend][n] = one_size(n, backend, server, root, corpus, extra, more, args.whole_report_max,
                                                args.trace)
                print(f"  N={n} done: {uptime()}", flush=True)
    print()
    header = "| command | " + " | ".join(f"{b} N={n:,}" for b in results for n in sizes) + " |"
    print(header)
    print("|" + "---|" * (1 + len(results) * len(sizes)))
    for op in OPS:
        cells = [f"{results[b][n][op][0]:.1f} s, {results[b][n][op][1]:.0f} MB" if op in results[b][n] else "not run"
                 for b in results for n in sizes]
        print(f"| {op} | " + " | ".join(cells) + " |")
    if len(sizes) > 1:
        print()
        print("fitted exponents (time ~ N^k between consecutive sizes):")
        for b in results:
            for op in OPS:
                if not all(op in results[b][n] for n in sizes):
                    continue
                ks = []
                for a, c in zip(sizes, sizes[1:], strict=False):
                    ta, tc = results[b][a][op][0], results[b][c][op][0]
                    ks.append(f"{math.log(tc / ta) / math.log(c / a):.2f}")
                print(f"  {b:10s} {op:32s} k = {', '.join(ks)}")


if __name__ == "__main__":
    main()
