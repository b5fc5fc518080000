"""Ingest and verify throughput: `hague add` on many small files and on ~1 GB, then `hague verify` side by side
with `sha256sum` over the same blobs; then 1% more files added and `hague verify --since` the verified size.

Run: .venv/bin/python benchmarks/ingest.py [--small 10000] [--big-mb 1024] [--workdir DIR] [--repeat N]
[--baseline-src DIR]
Everything runs through the real `hague` command in subprocesses, as a user would run it (`add --no-analyze`:
this measures preservation; reading speed is benchmarks/read.py). ``--repeat N`` times verify and `sha256sum`
N times each, alternately, and gives the median and range: on a shared machine one pair can differ threefold.
``--baseline-src DIR`` (the ``src`` of another checkout) times that code's verify too, on the same workspace,
alternating with this one's and `sha256sum`. CPU is the user + system time of the process and its children
(verify's re-hashing child; every sha256sum).
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
from collections.abc import Callable
from pathlib import Path

WORDS = [
    "the", "of", "and", "to", "in", "said", "forces", "civilians", "city", "shelling", "hospital", "strike",
    "reported", "officials", "ministry", "attack", "residents", "killed", "injured", "according", "statement",
    "evidence", "investigation", "plant", "station", "region", "water", "power", "bridge", "train", "people",
    "army", "governor", "morning", "night", "week", "president", "spokesperson",
]


def make_text(rng: random.Random, size: int) -> str:
    out, n = [], 0
    while n < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + ". "
        out.append(sentence)
        n += len(sentence)
    return "".join(out)[:size]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (of the child processes it waits for) of ``work()``."""
    t, cpu = time.perf_counter(), _cpu()
    work()
    return time.perf_counter() - t, _cpu() - cpu


def hague(home: Path, *args: str) -> float:
    return hague_timed(home, *args)[0]


def hague_timed(home: Path, *args: str, src: Path | None = None) -> tuple[float, float]:
    env = {**os.environ, "HAGUE_HOME": str(home), **({"PYTHONPATH": str(src)} if src else {})}
    return timed(lambda: subprocess.run([sys.executable, "-m", "hague.cli", *args], env=env, check=True,
                                        stdout=subprocess.DEVNULL))


def ledger_size(home: Path) -> int:
    env = {**os.environ, "HAGUE_HOME": str(home)}
    out = subprocess.run([sys.executable, "-m", "hague.cli", "verify", "--json"], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)["latest_head"]["tree_size"]


def blobs(home: Path) -> list[Path]:
    return sorted(p for p in (home / "objects").glob("??/??/*") if p.is_file())


def sha256sum(paths: list[Path]) -> tuple[float, float]:
    def batches() -> None:
        for i in range(0, len(paths), 500):
            subprocess.run(["sha256sum", *map(str, paths[i:i + 500])], check=True, stdout=subprocess.DEVNULL)

    return timed(batches)


def run(label: str, files: Path, home: Path, more: Path, repeat: int, baseline: Path | None) -> None:
    total = sum(p.stat().st_size for p in files.iterdir())
    n = len(list(files.iterdir()))
    hague(home, "init")
    t_add = hague(home, "add", "--no-analyze", str(files))  # reading is measured by benchmarks/read.py
    paths = blobs(home)
    # Warm the page cache equally for both readers, then time each, alternately.
    sha256sum(paths)
    verifies, sums, before = [], [], []
    for _ in range(repeat):
        verifies.append(hague_timed(home, "verify"))
        sums.append(sha256sum(paths))
        if baseline is not None:
            before.append(hague_timed(home, "verify", src=baseline))
    (t_verify, c_verify), (t_sum, c_sum) = _median(verifies), _median(sums)
    mb = total / 1e6
    print(f"{label}: {n} files, {mb:,.1f} MB")
    print(f"  add:       {t_add:8.2f} s  {n / t_add:8.1f} documents/s  {mb / t_add:8.1f} MB/s")
    print(f"  verify:    {t_verify:8.2f} s  {mb / t_verify:8.1f} MB/s (re-hash, chain, Merkle roots, signatures; "
          f"includes process start){_spread(verifies)}; CPU {c_verify:.2f} s")
    print(f"  sha256sum: {t_sum:8.2f} s  {mb / t_sum:8.1f} MB/s{_spread(sums)}; CPU {c_sum:.2f} s")
    print(f"  verify speed / sha256sum speed = {t_sum / t_verify:.2f} (CPU: {c_sum / c_verify:.2f})")
    if before:
        t_before, c_before = _median(before)
        print(f"  baseline verify: {t_before:8.2f} s{_spread(before)}; CPU {c_before:.2f} s; its speed / "
              f"sha256sum speed = {t_sum / t_before:.2f} (CPU: {c_sum / c_before:.2f})")
    since = ledger_size(home)
    hague(home, "add", "--no-analyze", str(more))
    t_since = hague(home, "verify", "--since", str(since))
    t_full = hague(home, "verify")
    n_more = len(list(more.iterdir()))
    print(f"  after {n_more} more files: verify --since {since}: {t_since:8.2f} s; full verify {t_full:8.2f} s")


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def _spread(runs: list[tuple[float, float]]) -> str:
    """The range of wall-clock times when there were several runs (the figure before it is their median)."""
    return f" (median of {len(runs)}: {min(w for w, _ in runs):.2f}-{max(w for w, _ in runs):.2f} s)" \
        if len(runs) > 1 else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", type=int, default=10_000, help="number of ~5 KB text files")
    ap.add_argument("--big-mb", type=int, default=1024, help="total size of the large-file set in MB")
    ap.add_argument("--big-file-mb", type=int, default=32, help="size of each large file in MB")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=1, help="verify and sha256sum this many times each (median)")
    ap.add_argument("--baseline-src", type=Path, default=None,
                    help="the src folder of other code whose verify is timed alternately on the same workspaces")
    args = ap.parse_args()
    rng = random.Random(7)
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="hague-bench-", dir=args.workdir))
    try:
        small, more = work / "small", work / "small-more"
        small.mkdir()
        more.mkdir()
        for i in range(args.small):
            (small / f"doc-{i:06d}.txt").write_text(make_text(rng, rng.randint(4500, 5500)))
        for i in range(max(1, args.small // 100)):
            (more / f"more-{i:06d}.txt").write_text(make_text(rng, rng.randint(4500, 5500)))
        run("small files", small, work / "ws-small", more, args.repeat, args.baseline_src)
        big = work / "big"
        big.mkdir()
        chunk = make_text(rng, 1 << 20).encode()
        for i in range(max(1, args.big_mb // args.big_file_mb)):
            with (big / f"big-{i:03d}.txt").open("wb") as f:
                for j in range(args.big_file_mb):
                    f.write(chunk[:-16] + f"{i:07d}-{j:07d}\n".encode())
        big_more = work / "big-more"
        big_more.mkdir()
        (big_more / "one-more.txt").write_bytes(chunk)
        run("large files", big, work / "ws-big", big_more, args.repeat, args.baseline_src)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
