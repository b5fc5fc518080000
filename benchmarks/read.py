"""Reading speed: documents/s of the analyser on ~600-word news documents, one core versus both, with a
profile of where the time goes and peak memory at growing corpus sizes (it must stay flat).

Documents are made at run time from the paragraphs of the development corpus and the seeds
(../shared, never copied into the project): each document is a random run of paragraphs until it
reaches 600 words, with a publication date, so dates, quotes, places and reports are exercised as in
real copy. Run: .venv/bin/python benchmarks/read.py [--sizes 500,1000,2000] [--profile 200]

Old code against new, on a loaded machine: ``--trees OLD,NEW`` reads the same documents with each tree's code
(``OLD/src`` and ``NEW/src`` on PYTHONPATH, e.g. a ``git archive main`` copy and a worktree), one process per tree
and round, the trees alternating, and reports the CPU time per document of each:
.venv/bin/python benchmarks/read.py --trees /tmp/base,. [--docs 300] [--rounds 6]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from hague.pipeline import read_many
from hague.reading import read_document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def paragraph_pool() -> list[str]:
    pool = []
    for folder in (SHARED / "corpus" / "docs", SHARED / "seeds" / "docs"):
        for path in sorted(folder.glob("*.txt")):
            pool.extend(p for p in path.read_text(encoding="utf-8").split("\n") if len(p.split()) >= 8)
    return pool


def make_docs(n: int, rng: random.Random, pool: list[str]) -> Iterator[tuple]:
    """Documents made one at a time, so the benchmark itself holds none of the corpus."""
    for i in range(n):
        paras, words = [], 0
        while words < 600:
            p = rng.choice(pool)
            paras.append(p)
            words += len(p.split())
        # the pipeline's job: id, text, published, title, anchors, (statements, reports) extractors (defaults)
        yield (i, "\n".join(paras), date(2022, 3, 1) + timedelta(days=rng.randint(0, 200)), None, [], (None, None))


def peak_rss_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def end_to_end(n: int, rng: random.Random, pool: list[str]) -> None:
    """`hague analyze` as a user runs it: reuse across the workspace, reading, incidents, assessments and
    the database writes, on ``n`` documents added with `--no-analyze` first."""
    with tempfile.TemporaryDirectory(prefix="hague-read-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for i, text, published, *_ in make_docs(n, rng, pool):
            (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8")
            (folder / f"{i:06d}.json").write_text(json.dumps({"id": f"d{i}", "published": published.isoformat(),
                                                              "outlet": f"Outlet {i % 40}"}))
        env = {**os.environ, "HAGUE_HOME": str(Path(tmp) / "ws")}
        for args in (["init"], ["add", "--no-analyze", str(folder)]):
            subprocess.run([sys.executable, "-m", "hague.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL)
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "hague.cli", "analyze", "--json"], env=env, check=True,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - t
        summary = json.loads(done.stdout)
        print(f"end to end, `hague analyze` on {n} documents: {seconds:.1f} s, {n / seconds:.1f} documents/s "
              f"({summary['statements']} statements, {summary['reports']} reports, {summary['reuse_links']} reused "
              f"passages, {summary['incidents']} incidents; includes process start, reuse, clustering, "
              "assessments and database writes)")


def cpu_per_document(n: int) -> None:
    """Print the CPU milliseconds per document of reading ``n`` documents in this process (after a warm-up that
    loads the tables), for :func:`compare_trees`."""
    docs = list(make_docs(n, random.Random(5), paragraph_pool()))
    read_document(docs[0][1], published=docs[0][2])
    started = time.process_time()
    for job in docs:
        read_document(job[1], published=job[2])
    print(f"{(time.process_time() - started) / n * 1000:.3f}")


def compare_trees(trees: list[str], n: int, rounds: int) -> None:
    """CPU per document of reading the same ``n`` documents with each tree's code, the trees alternating."""
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"reading {n} documents per run, {rounds} rounds; {uptime}")
    runs: dict[str, list[float]] = {tree: [] for tree in trees}
    for r in range(rounds):
        for tree in trees if r % 2 == 0 else trees[::-1]:
            env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve() / "src")}
            done = subprocess.run([sys.executable, __file__, "--cpu-per-document", str(n)], env=env, check=True,
                                  capture_output=True, text=True)
            runs[tree].append(float(done.stdout.split()[-1]))
            print(f"  round {r + 1} {tree}: {runs[tree][-1]:.2f} ms CPU per document", flush=True)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"after: {uptime}")
    for tree, ms in runs.items():
        print(f"{tree}: median {statistics.median(ms):.2f} ms CPU per document (min {min(ms):.2f}, "
              f"max {max(ms):.2f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="500,1000,2000")
    ap.add_argument("--profile", type=int, default=200, help="documents to profile on one core (0: skip)")
    ap.add_argument("--workspace", type=int, default=1000,
                    help="documents for the end-to-end `hague analyze` run in a fresh workspace (0: skip)")
    ap.add_argument("--trees", help="OLD,NEW: CPU per document of each tree's code, alternating (see above)")
    ap.add_argument("--docs", type=int, default=300, help="documents per run with --trees")
    ap.add_argument("--rounds", type=int, default=6, help="runs of each tree with --trees")
    ap.add_argument("--cpu-per-document", type=int, help=argparse.SUPPRESS)  # one run of --trees
    args = ap.parse_args()
    if args.cpu_per_document:
        cpu_per_document(args.cpu_per_document)
        return
    if args.trees:
        compare_trees(args.trees.split(","), args.docs, args.rounds)
        return
    rng = random.Random(3)
    pool = paragraph_pool()
    read_document("Warm-up: officials said on Monday that the hospital was shelled.", published=date(2022, 3, 7))
    sample = list(make_docs(200, rng, pool))
    words = sum(len(d[1].split()) for d in sample) / len(sample)
    t = time.perf_counter()
    for job in sample:
        read_document(job[1], published=job[2])
    one = len(sample) / (time.perf_counter() - t)
    print(f"documents of {words:.0f} words on average")
    print(f"baseline, one core, in process: {one:7.1f} documents/s")
    for n in (int(x) for x in args.sizes.split(",")):
        docs = make_docs(n, rng, pool)
        t = time.perf_counter()  # includes making the documents, about 1% of the time
        count = sum(1 for _ in read_many(docs))  # consumed as the pipeline does: stored, then dropped
        rate = count / (time.perf_counter() - t)
        me, kids = peak_rss_mb()
        print(f"both cores, {n:6d} documents: {rate:7.1f} documents/s ({rate / one:.2f}x one core); "
              f"peak RSS parent {me:.0f} MB, largest worker {kids:.0f} MB")
    if args.workspace:
        end_to_end(args.workspace, rng, pool)
    if args.profile:
        prof = cProfile.Profile()
        docs = make_docs(args.profile, rng, pool)
        prof.enable()
        for job in docs:
            read_document(job[1], published=job[2])
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
        print(f"profile of {args.profile} documents on one core (by own time):")
        print("\n".join(line for line in buf.getvalue().splitlines() if line.strip())[:4000])


if __name__ == "__main__":
    main()
