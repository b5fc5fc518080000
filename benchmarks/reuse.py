"""Reuse detection: quality on gold sets, and speed on synthetic syndicated corpora.

    .venv/bin/python benchmarks/reuse.py --gold ../shared/seeds ../shared/corpus
    .venv/bin/python benchmarks/reuse.py --sizes 2000,5000            # quick
    .venv/bin/python benchmarks/reuse.py --sizes 3000,10000,30000,100000 --baseline-up-to 30000  # recorded

How a synthetic corpus is made (seeded, so every run builds the same one):

* The paragraph pool is every paragraph of 10+ words in examples/articles/*.txt and
  ../shared/corpus/docs/*.txt, read at run time and split into sentences.
* An *original* paragraph is 1-3 pool sentences in which each word is kept with probability 0.6 and
  otherwise replaced by a word drawn (Zipf, s=1.1) from a 50,000-word invented vocabulary. So
  originals share the genre's stock phrases but no two are copies of each other.
* Documents come in time order (date = day of index // 50, ties by capture order). Each gets 6-10
  paragraphs and one of 20 boilerplate lines (under 10 words, shared by thousands of documents).
* 20% are *copies*: they take 2-5 paragraphs (of 12+ words) of one earlier document (any earlier one) and perturb
  each: typography (curly quotes and dashes, double spaces, mojibake "â€™"), substitution of 0-20%
  of the words by other words, truncation of the last copied paragraph to 50-90% of its length,
  and reordering; then add 2-5 new paragraphs. 5% are *near-duplicates*: all paragraphs of an
  earlier document, lightly perturbed, under a new lead paragraph.
* Truth: each copied paragraph is a reuse link to the document it was copied from; a copy of a
  copy may be linked to the origin or to any copy it came through (the detector links the earliest
  holder still above its threshold, which two rounds of perturbation can push past the origin).
  A predicted link is right when it joins the same two documents in the same direction and
  overlaps the planted paragraph by at least half.

The baseline is datasketch MinHashLSH at the same threshold over word sets of the same paragraphs
(min 10 words), processing documents in time order and linking each paragraph to the earliest
earlier document whose paragraph it retrieves.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import multiprocessing as mp
import random
import resource
import time
from datetime import date, timedelta
from pathlib import Path

from hague.corroboration.reuse import ReuseDoc, ReuseParams, find_reuse, time_key
from hague.corroboration.tokens import words
from hague.reading.fields import Span
from hague.reading.text import fold, paragraphs, sentences

ROOT = Path(__file__).resolve().parents[1]
POOL_GLOBS = [str(ROOT / "examples" / "articles" / "*.txt"), str(ROOT.parent / "shared" / "corpus" / "docs" / "*.txt")]
BOILERPLATE = [f"{w} {i}" for i, w in enumerate(
    ["CLICK HERE TO GET THE NEWS APP", "RUSSIA INVADES UKRAINE: LIVE UPDATES", "Sign up for our newsletter",
     "Follow us on social media", "Advertisement"] * 4)]


# ---------------------------------------------------------------- gold sets

def load_set(folder: str) -> list[ReuseDoc]:
    docs = []
    for i, path in enumerate(sorted(glob.glob(f"{folder}/docs/*.txt"))):
        meta = json.loads(Path(path[:-4] + ".json").read_text(encoding="utf-8"))
        pub = meta.get("published")
        docs.append(ReuseDoc(meta["id"], Path(path).read_text(encoding="utf-8"),
                             date.fromisoformat(pub) if pub else None, i))
    return docs


def score_gold(folder: str, params: ReuseParams) -> None:
    docs = load_set(folder)
    texts = {d.id: d.text for d in docs}
    gold = []
    for e in json.loads(Path(folder, "gold", "reuse.json").read_text(encoding="utf-8")):
        start = fold(texts[e["to"]]).find(fold(e["text"]))
        gold.append((e["from"], e["to"], start, start + len(e["text"])))
    links = find_reuse(docs, params)
    matched: set[int] = set()
    tp = 0
    for link in links:
        for j, (f, t, s, e) in enumerate(gold):
            if j not in matched and (f, t) == (link.from_doc, link.to_doc) \
                    and min(e, link.to_span[1]) - max(s, link.to_span[0]) >= (e - s) / 2:
                matched.add(j)
                tp += 1
                break
    p = tp / len(links) if links else 0.0
    r = len(matched) / len(gold) if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{folder}: predicted {len(links)}, gold {len(gold)}, matched {tp}; "
          f"precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")


# ---------------------------------------------------------------- synthetic corpus

class Maker:
    """Builds documents by copying and perturbing paragraphs; see the module docstring."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.pool = [fold(p[s:e]) for path in sorted(f for g in POOL_GLOBS for f in glob.glob(g))
                     for p in [Path(path).read_text(encoding="utf-8")]
                     for para in paragraphs(p) if len(words(p, *para)) >= 10
                     for s, e in sentences(fold(p), para)]
        letters = "abcdefghijklmnoprstuvwyz"
        self.vocab = ["".join(self.rng.choice(letters) for _ in range(self.rng.randint(3, 10)))
                      for _ in range(50000)]
        weights = [1 / (i + 1) ** 1.1 for i in range(len(self.vocab))]
        self.cum = list(_accumulate(weights))

    def word(self) -> str:
        return self.rng.choices(self.vocab, cum_weights=self.cum)[0]

    def original(self) -> str:
        sents = " ".join(self.rng.choice(self.pool) for _ in range(self.rng.randint(1, 3)))
        return " ".join(w if self.rng.random() < 0.6 else self.word() for w in sents.split())

    def perturb(self, para: str, substitute: float) -> str:
        out = " ".join(w if self.rng.random() >= substitute else self.word() for w in para.split())
        r = self.rng.random()
        if r < 0.25:
            out = out.replace("'", "\u2019").replace('"', "\u201c", 1).replace(" - ", " \u2014 ")
        elif r < 0.4:
            out = out.replace("'", "\u00e2\u20ac\u2122")
        elif r < 0.55:
            out = out.replace(" ", "  ", 3)
        return out

    def corpus(self, n: int) -> tuple[list[ReuseDoc], dict[tuple[int, int], tuple[int, ...]],
                                      list[list[Span]]]:
        """Documents, the truth and each paragraph's character span.

        The truth maps (to doc, paragraph) to the documents it was copied through, origin first.
        """
        docs: list[ReuseDoc] = []
        # Per doc, per paragraph: the documents it was copied through, origin first (empty if new).
        chains: list[list[tuple[int, ...]]] = []
        truth: dict[tuple[int, int], tuple[int, ...]] = {}
        spans: list[list[tuple[int, int]]] = []
        bodies: list[list[str]] = []
        for i in range(n):
            kind = self.rng.random() if i else 1.0
            if kind < 0.05:
                j = self.rng.randrange(i)
                paras = [self.original()] + [self.perturb(p, 0.03) for p in bodies[j]]
                chain = [()] + [chains[j][k] + (j,) for k in range(len(bodies[j]))]
            elif kind < 0.25:
                j = self.rng.randrange(i)
                own = [k for k, p in enumerate(bodies[j]) if len(p.split()) >= 12]
                picked = self.rng.sample(own, min(len(own), self.rng.randint(2, 5)))
                copied = [self.perturb(bodies[j][k], self.rng.uniform(0, 0.2)) for k in picked]
                last = copied[-1]
                copied[-1] = last[: int(len(last) * self.rng.uniform(0.5, 0.9))]
                fresh = [self.original() for _ in range(self.rng.randint(2, 5))]
                slots = [(p, chains[j][k] + (j,)) for p, k in zip(copied, picked, strict=True)]
                slots += [(p, ()) for p in fresh]
                self.rng.shuffle(slots)
                paras, chain = [p for p, _ in slots], [c for _, c in slots]
            else:
                paras = [self.original() for _ in range(self.rng.randint(6, 10))]
                chain = [()] * len(paras)
            k = self.rng.randrange(len(paras) + 1)
            paras_all = paras[:k] + [self.rng.choice(BOILERPLATE)] + paras[k:]
            chain_all = chain[:k] + [()] + chain[k:]
            text = "\n".join(paras_all) + "\n"
            docs.append(ReuseDoc(f"d{i}", text, date(2022, 1, 1) + timedelta(days=i // 50), i))
            bodies.append(paras_all)
            chains.append(chain_all)
            spans.append(paragraphs(text))
            for pi, c in enumerate(chain_all):
                if c and len(words(paras_all[pi])) >= 10:
                    truth[(i, pi)] = c
        return docs, truth, spans


def _accumulate(ws: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in ws:
        total += w
        out.append(total)
    return out


# ---------------------------------------------------------------- methods

def run_hague(docs: list[ReuseDoc], params: ReuseParams) -> list[tuple[int, int, tuple[int, int]]]:
    index = {d.id: i for i, d in enumerate(docs)}
    return [(index[lk.from_doc], index[lk.to_doc], lk.to_span) for lk in find_reuse(docs, params)]


def run_datasketch(docs: list[ReuseDoc], params: ReuseParams) -> list[tuple[int, int, tuple[int, int]]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=params.threshold, num_perm=128)
    order = sorted(range(len(docs)), key=lambda i: time_key(docs[i]))
    rank = {d: r for r, d in enumerate(order)}
    out = []
    for i in order:
        text = docs[i].text
        mine = []
        for pi, (s, e) in enumerate(paragraphs(text)):
            toks = {w.encode() for w, _, _ in words(text, s, e)}
            if len(toks) < params.min_words:
                continue
            m = MinHash(num_perm=128)
            m.update_batch(list(toks))
            hits = [key for key in lsh.query(m) if key[0] != i]
            if hits:
                src = min(hits, key=lambda key: rank[key[0]])[0]
                out.append((src, i, (s, e)))
            mine.append(((i, pi), m))
        for key, m in mine:
            lsh.insert(key, m)
    return out


def score_synthetic(pred, truth, spans) -> tuple[float, float]:
    """(precision, recall); a copy of a copy may be linked to its origin or to the copy it came through."""
    by_doc: dict[int, list[int]] = {}
    for t, p in truth:
        by_doc.setdefault(t, []).append(p)
    matched: set[tuple[int, int]] = set()
    good = 0
    for f, t, (s, e) in pred:
        for p in by_doc.get(t, []):
            ps, pe = spans[t][p]
            if (t, p) not in matched and f in truth[(t, p)] and min(e, pe) - max(s, ps) >= (pe - ps) / 2:
                matched.add((t, p))
                good += 1
                break
    return (good / len(pred) if pred else 0.0), len(matched) / len(truth)


def _measure(method, docs, params, conn) -> None:
    start = time.perf_counter()
    pred = method(docs, params)
    elapsed = time.perf_counter() - start
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    conn.send((elapsed, rss_self, rss_kids, pred))


def measure(method, docs, params):
    """Run one method in a forked process so its peak memory is its own (the corpus included)."""
    parent, child = mp.get_context("fork").Pipe()
    proc = mp.get_context("fork").Process(target=_measure, args=(method, docs, params, child))
    proc.start()
    result = parent.recv()
    proc.join()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", nargs="*", default=[], help="gold set folders to score")
    ap.add_argument("--sizes", default="", help="comma-separated corpus sizes, e.g. 2000,5000")
    ap.add_argument("--no-baseline", action="store_true", help="skip datasketch")
    ap.add_argument("--baseline-up-to", type=int, default=0,
                    help="run datasketch only for corpora of at most this many documents (0: all)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    params = ReuseParams()
    for folder in args.gold:
        score_gold(folder, params)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if not sizes:
        return
    print(f"params: {params}")
    print(f"{'N':>7} {'method':<11} {'seconds':>8} {'docs/s':>7} {'peak RSS MB':>11} {'workers MB':>10} "
          f"{'recall':>6} {'precision':>9}")
    times: dict[str, list[tuple[int, float]]] = {"hague": [], "datasketch": []}
    for n in sizes:
        t0 = time.perf_counter()
        docs, truth, spans = Maker(args.seed).corpus(n)
        chars = sum(len(d.text) for d in docs)
        print(f"# N={n}: built in {time.perf_counter() - t0:.1f} s, {chars / 1e6:.1f} M chars, "
              f"{len(truth)} planted reused paragraphs")
        baseline = not args.no_baseline and (not args.baseline_up_to or n <= args.baseline_up_to)
        methods = [("hague", run_hague)] + ([("datasketch", run_datasketch)] if baseline else [])
        for name, method in methods:
            elapsed, rss, kids, pred = measure(method, docs, params)
            precision, recall = score_synthetic(pred, truth, spans)
            times[name].append((n, elapsed))
            print(f"{n:>7} {name:<11} {elapsed:>8.1f} {n / elapsed:>7.0f} {rss:>11.0f} {kids:>10.0f} "
                  f"{recall:>6.3f} {precision:>9.3f}", flush=True)
    for name, pts in times.items():
        if len(pts) >= 2:
            xs = [math.log(n) for n, _ in pts]
            ys = [math.log(t) for _, t in pts]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
            slope = cov / sum((x - mx) ** 2 for x in xs)
            print(f"{name}: time ~ N^{slope:.2f} over N = {', '.join(str(n) for n, _ in pts)}")


if __name__ == "__main__":
    main()
