"""Cluster a gold set's reports into incidents and score the clusters against the gold incident keys.

    .venv/bin/python benchmarks/incidents_gold.py ../shared/corpus [--noise 0.3] [--seeds 5] [--show]
    .venv/bin/python benchmarks/incidents_gold.py ../shared/corpus --reader

Reports are built from gold values (hague.corroboration.goldrefs); the clusterer never sees
the keys. ``--noise P`` blanks each of place, date, targets and weapons with probability P
and drops one evidence passage in P of reports (averaged over ``--seeds`` runs), to mimic
the sparser reports the readers produce. ``--reader`` clusters what ``hague.reading.read_document``
reads instead, scoring the reports that overlap a gold report's evidence (each takes the key of the
gold report it overlaps most, as the scorer matches them). Prints pairwise and B-cubed P/R/F1.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path

from hague.corroboration.goldrefs import load_gold_refs
from hague.corroboration.incidents import ReportRef, cluster_incidents
from hague.reading.fields import Field


def pairwise(pred: dict, gold: dict) -> tuple[float, float, float]:
    keys = sorted(gold)
    tp = fp = fn = 0
    for a, b in combinations(keys, 2):
        same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def bcubed(pred: dict, gold: dict) -> tuple[float, float, float]:
    pc, gc = Counter(pred.values()), Counter(gold.values())
    both = Counter((pred[k], gold[k]) for k in gold)
    p = sum(both[(pred[k], gold[k])] / pc[pred[k]] for k in gold) / len(gold)
    r = sum(both[(pred[k], gold[k])] / gc[gold[k]] for k in gold) / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def blank(ref: ReportRef, rng: random.Random, p: float) -> ReportRef:
    rep = ref.report
    changes = {}
    for name, empty in (("place", None), ("date", None), ("targets", []), ("weapons", [])):
        if rng.random() < p:
            changes[name] = Field(empty)
    evidence = list(rep.evidence)
    if len(evidence) > 1 and rng.random() < p:
        evidence.pop(rng.randrange(len(evidence)))
    return dataclasses.replace(ref, report=dataclasses.replace(rep, evidence=evidence, **changes))


def read_reports(setdir: str, refs) -> tuple[list[ReportRef], dict]:
    """The reader's reports of every gold document, and the gold key of each that overlaps gold evidence."""
    from hague.reading import read_document

    reports, keys = [], {}
    gold_by_doc: dict[str, list[ReportRef]] = {}
    for g in refs.reports:
        gold_by_doc.setdefault(g.doc_id, []).append(g)
    for doc_id, gold in gold_by_doc.items():
        meta = json.loads((Path(setdir) / "docs" / f"{doc_id}.json").read_text(encoding="utf-8"))
        published = date.fromisoformat(meta["published"]) if meta.get("published") else None
        text = refs.texts[doc_id]
        for i, rep in enumerate(read_document(text, published=published, title=meta.get("title")).reports):
            ref = ReportRef(doc_id, i, rep, published, meta.get("outlet"), text)
            reports.append(ref)
            best = max(gold, key=lambda g, rep=rep: shared(g.report.evidence, rep.evidence))
            if shared(best.report.evidence, rep.evidence) > 0:
                keys[ref.key] = refs.keys[best.key]
    return reports, keys


def shared(a: list, b: list) -> int:
    return sum(max(0, min(x[1], y[1]) - max(x[0], y[0])) for x in a for y in b)


def run(setdir: str, noise: float, seed: int, show: bool, reader: bool) -> tuple[tuple, tuple]:
    refs = load_gold_refs(setdir)
    reports, keys = (read_reports(setdir, refs) if reader else (refs.reports, refs.keys))
    if noise:
        rng = random.Random(seed)
        reports = [blank(r, rng, noise) for r in reports]
    incidents = cluster_incidents(reports, refs.reuse)
    pred = {m: inc.id for inc in incidents for m in inc.members}
    if show:
        for inc in incidents:
            print(f"{inc.id}  [{inc.status}, {inc.independent_count} independent]")
            for m in inc.members:
                print(f"    {m[0]}#{m[1]}  gold={keys.get(m)}")
    if reader:
        print(f"reader: {len(reports)} reports, {len(keys)} overlap gold evidence"
              f" (gold has {len(refs.reports)})")
    pred = {k: v for k, v in pred.items() if k in keys}
    return pairwise(pred, keys), bcubed(pred, keys)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("setdir")
    ap.add_argument("--noise", type=float, default=0.0)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--reader", action="store_true")
    args = ap.parse_args()
    results = [run(args.setdir, args.noise, s, args.show and s == 0, args.reader) for s in range(args.seeds)]
    for name, idx in (("pairwise", 0), ("b-cubed", 1)):
        p, r, f = (sum(res[idx][k] for res in results) / len(results) for k in range(3))
        worst = min(res[idx][2] for res in results)
        print(f"{name:9s} P={p:.3f} R={r:.3f} F1={f:.3f} (worst run F1={worst:.3f}, {len(results)} runs,"
              f" noise={args.noise})")


if __name__ == "__main__":
    main()
