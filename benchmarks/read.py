"""Reading speed: documents/s of the analyser on ~600-word news documents, one core versus both, with a
profile of where the time goes and peak memory at growing corpus sizes (it must stay flat).

Documents are made at run time from the paragraphs of the development corpus and the seeds
(../shared, never copied into the project): each document is a random run of paragraphs until it
reaches 600 words, with a publication date, so dates, quotes, places and reports are exercised as in
real copy. Run: .venv/bin/python benchmarks/read.py [--sizes 500,1000,2000] [--profile 200]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import resource
import time
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


def make_docs(n: int, rng: random.Random, pool: list[str]) -> list[tuple[int, str, date, None, list]]:
    docs = []
    for i in range(n):
        paras, words = [], 0
        while words < 600:
            p = rng.choice(pool)
            paras.append(p)
            words += len(p.split())
        docs.append((i, "\n".join(paras), date(2022, 3, 1) + timedelta(days=rng.randint(0, 200)), None, []))
    return docs


def peak_rss_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="500,1000,2000")
    ap.add_argument("--profile", type=int, default=200, help="documents to profile on one core (0: skip)")
    args = ap.parse_args()
    rng = random.Random(3)
    pool = paragraph_pool()
    read_document("Warm-up: officials said on Monday that the hospital was shelled.", published=date(2022, 3, 7))
    sample = make_docs(200, rng, pool)
    words = sum(len(d[1].split()) for d in sample) / len(sample)
    t = time.perf_counter()
    for job in sample:
        read_document(job[1], published=job[2])
    one = len(sample) / (time.perf_counter() - t)
    print(f"documents of {words:.0f} words on average")
    print(f"baseline, one core, in process: {one:7.1f} documents/s")
    for n in (int(x) for x in args.sizes.split(",")):
        docs = make_docs(n, rng, pool)
        t = time.perf_counter()
        read_many(docs)
        rate = n / (time.perf_counter() - t)
        me, kids = peak_rss_mb()
        print(f"both cores, {n:6d} documents: {rate:7.1f} documents/s ({rate / one:.2f}x one core); "
              f"peak RSS parent {me:.0f} MB, largest worker {kids:.0f} MB")
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
