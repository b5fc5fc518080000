"""Element findings stored whole (every row before compact findings) and compact: bytes and CPU on real rows.

Reads ``--slices`` runs of ``--rows`` assessments spread over an SQLite workspace's table, read-only (so it may be
a large workspace in use, such as a scale run's kept 100,000-document one), and takes each row's findings whole (a
whole row as stored, a compact one expanded). It checks that :func:`hague.assessments.expand` of the compact form
gives the whole form back, keys in order, then prints per assessment the bytes of the JSON of each form, and the
CPU seconds of encoding all the rows as an insert does (``json.dumps``, after :func:`~hague.assessments.compact` for
the compact form) and of decoding them as a reader does (``json.loads``, then ``expand`` for the compact form),
alternating the two forms ``--rounds`` times.

    .venv/bin/python benchmarks/element_storage.py --workspace DIR [--slices 20 --rows 1000 --rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hague.assessments import compact, expand


def _cpu(work: Callable[[], Any]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workspace", type=Path, required=True, help="an analysed SQLite workspace (read only)")
    ap.add_argument("--slices", type=int, default=20)
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print(f"load: {os.getloadavg()}", flush=True)
    con = sqlite3.connect(f"file:{args.workspace / 'hague.db'}?mode=ro", uri=True)
    last = con.execute("SELECT max(id) FROM assessments").fetchone()[0] or 0
    whole: list[dict[str, Any]] = []
    for start in range(1, last + 1, max(1, last // args.slices)):
        whole += [expand(json.loads(text)) for (text,) in con.execute(
            "SELECT elements FROM assessments WHERE id >= ? ORDER BY id LIMIT ?", (start, args.rows))]
    con.close()
    small = [compact(e) for e in whole]
    assert all(json.dumps(expand(c)) == json.dumps(e) for c, e in zip(small, whole, strict=True))
    texts = {"whole": [json.dumps(e) for e in whole], "compact": [json.dumps(c) for c in small]}
    n = len(whole)
    print(json.dumps({"assessments": n, "of": last, **{f"{form}_bytes_per_assessment": round(sum(map(len, t)) / n)
                                                       for form, t in texts.items()}}), flush=True)
    encode = {"whole": lambda: [json.dumps(e) for e in whole],
              "compact": lambda: [json.dumps(compact(e)) for e in whole]}
    decode = {"whole": lambda: [json.loads(t) for t in texts["whole"]],
              "compact": lambda: [expand(json.loads(t)) for t in texts["compact"]]}
    for _ in range(args.rounds):
        for form in ("whole", "compact"):
            print(json.dumps({"form": form, "encode_cpu_s": round(_cpu(encode[form]), 2),
                              "decode_cpu_s": round(_cpu(decode[form]), 2)}), flush=True)
    print(f"load: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
