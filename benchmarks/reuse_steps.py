"""The reuse phase of a large add, step by step: memory and CPU, this tree's code against another tree's.

An add past ``FULL_MAX`` documents finds reuse ``STEP`` new documents at a time against the persistent index
(``hague.pipeline._Run._reuse_step``). At 100,000 generated documents (benchmarks/scale.py) the add's process grew
step after step during this phase, to 1.9 GB. Those documents are random runs of one pool of paragraphs, so
almost every fingerprint is held by many documents; the growth comes where fingerprints are held by up to
``max_df`` documents (1% of the workspace, so 1,000 at 100,000). This reproduces it at a smaller size: ``--docs``
documents built as scale.py builds them, preserved once (``hague add --no-analyze``), then the reuse steps alone
with ``max_df`` set to ``--max-df`` documents, in a fresh process per tree, alternating this tree's ``src`` and
``--baseline-src``, each on its own copy. Printed per run: wall and CPU seconds (the process's own; the
fingerprinting workers are forked per step), its anonymous memory after each step and its peak resident set, and
a digest of the reuse links and relinked documents it found (the same in both trees when the change keeps results).

    .venv/bin/python benchmarks/reuse_steps.py --docs 20000 --max-df 1000 --baseline-src /tmp/base/src --rounds 1
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import trees  # noqa: E402
from benchmarks.read import paragraph_pool  # noqa: E402
from benchmarks.scale import write_docs  # noqa: E402

STEPS = """
import hashlib, sys, time
from sqlalchemy import select
from hague import pipeline
from hague.corroboration.reuse import ReuseParams
from hague.model import Document, ReuseRow
from hague.workspace import open_workspace

def memory():
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return int(status["RssAnon"].split()[0]) // 1024, int(status["VmHWM"].split()[0]) // 1024

ws = open_workspace()
try:
    from hague.progress import SILENT
    run = pipeline._Run(ws, "benchmark", False, SILENT, None)
except ImportError:  # a tree from before progress by stage
    run = pipeline._Run(ws, "benchmark", False, None, None, None)
with ws.read() as s:
    total = s.scalar(select(Document.id).order_by(Document.id.desc()).limit(1))
    pending = list(s.scalars(select(Document.id).where(Document.fingerprinted.is_(False)).order_by(Document.id)))
run.params = ReuseParams(max_df_share=(int(sys.argv[1]) + 0.5) / total)  # max_df = the number asked
wall, cpu, after = time.perf_counter(), time.process_time(), []
for i in range(0, len(pending), pipeline.STEP):
    run._reuse_step(pending[i:i + pipeline.STEP])
    after.append(memory()[0])
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
with ws.read() as s:
    links = sorted(tuple(r) for r in s.execute(select(ReuseRow.from_document_id, ReuseRow.to_document_id,
                                                      ReuseRow.from_start, ReuseRow.from_end, ReuseRow.to_start,
                                                      ReuseRow.to_end, ReuseRow.basis)))
digest = hashlib.sha256(repr((links, sorted(run.relinked))).encode()).hexdigest()[:16]
print(f"{wall:.1f} s wall, {cpu:.1f} s CPU; anonymous MB after each step {after}; peak {memory()[1]} MB; "
      f"{len(links)} links, {len(run.relinked)} documents relinked, digest {digest}")
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--max-df", type=int, default=1_000, help="documents holding a fingerprint before it is stock")
    trees.add_arguments(ap, rounds=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hague-reuse-steps-") as tmp:
        built = Path(tmp) / "built"
        docs = write_docs(Path(tmp) / "docs", 0, args.docs, random.Random(args.docs), paragraph_pool())
        env = {**os.environ, "HAGUE_HOME": str(built), "HAGUE_DATABASE_URL": "", "HAGUE_COLLECTOR": "bench"}
        for command in (["init"], ["add", str(docs), "--no-analyze", "--json"]):
            subprocess.run([sys.executable, "-m", "hague.cli", *command], env=env, check=True, capture_output=True)
        for r, name, src in trees.alternating(args):
            home = Path(tmp) / "run"
            shutil.copytree(built, home)
            print(f"round {r}, {name}: {trees.python_in(src, home, STEPS, str(args.max_df)).strip()}", flush=True)
            shutil.rmtree(home)


if __name__ == "__main__":
    main()
