"""`hague analyze` on a real Dask cluster (a `dask scheduler` and two `dask worker` processes on 127.0.0.1) against
the local process pool, on the same corpus, in the same run.

The corpus is built as benchmarks/read.py builds it (paragraphs of the development corpus, ~600 words, dated;
read from ../shared, never copied). It is added once with `add --no-analyze`; the workspace is copied, and
each copy is analysed once: with the local pool, and with ``--scheduler``. Both must give the same statements
and reports (checked). Run:

    .venv/bin/python benchmarks/dask_cluster.py [--documents 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.read import paragraph_pool  # noqa: E402
from benchmarks.scale import write_docs  # noqa: E402

BIN = Path(sys.executable).parent


def hague(home: Path, *args: str) -> float:
    env = {**os.environ, "HAGUE_HOME": str(home), "HAGUE_DATABASE_URL": "", "HAGUE_DASK_SCHEDULER": ""}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "hague.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def findings(home: Path) -> list[tuple]:
    db = sqlite3.connect(home / "hague.db")
    return sorted(db.execute("SELECT document_id, idx, speaker, said_on FROM statements")) + sorted(
        db.execute("SELECT document_id, idx, event, place, date FROM reports"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    args = ap.parse_args()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    with tempfile.TemporaryDirectory(prefix="hague-dask-") as tmp:
        root = Path(tmp)
        docs = write_docs(root / "docs", 0, args.documents, random.Random(5), paragraph_pool())
        local, remote = root / "local", root / "dask"
        hague(local, "init")
        hague(local, "add", "--no-analyze", str(docs))
        shutil.copytree(local, remote)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        address = f"tcp://127.0.0.1:{port}"
        procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                   "--dashboard-address", ":0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        time.sleep(3)
        procs += [subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                                    "--dashboard-address", ":0"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL) for _ in range(2)]
        try:
            from distributed import Client

            with Client(address, timeout=60) as client:
                client.wait_for_workers(2, timeout=120)
            t_local = hague(local, "analyze")
            t_dask = hague(remote, "analyze", "--scheduler", address)
        finally:
            for p in reversed(procs):
                p.terminate()
                p.wait(30)
        same = findings(local) == findings(remote)
        n = args.documents
        print(f"{n} documents: local process pool {t_local:.1f} s ({n / t_local:.1f} documents/s); "
              f"Dask scheduler + 2 workers on 127.0.0.1 {t_dask:.1f} s ({n / t_dask:.1f} documents/s); "
              f"ratio Dask/local {t_dask / t_local:.2f}; same statements and reports: {same}")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
