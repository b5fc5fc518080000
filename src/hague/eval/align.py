"""Pair a system's output with gold, document by document (docs/gold-format.md "Scoring").

Every pairing is one-to-one and greedy, best overlap first: a statement whose span covers two gold
quotes gets the one it covers best, and the other gold quote stays unmatched unless another
prediction covers it. The alignment keeps everything the figures and the miss listing need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hague.eval.gold import GoldDoc, GoldReuse, GoldSet
from hague.eval.locate import Locator, Span, covered, overlap, shared

Prediction = dict[str, Any]


def greedy_pairs(candidates: Iterable[tuple[tuple[float, ...], int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), taking the best-scored candidate first."""
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, g, p in sorted(candidates, key=lambda c: (*(-k for k in c[0]), c[1], c[2])):
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return sorted(pairs)


def _span(entry: dict[str, Any]) -> Span | None:
    start, end = entry.get("start"), entry.get("end")
    if isinstance(start, int) and isinstance(end, int) and end > start:
        return start, end
    return None


def half_overlap_score(gold_spans: list[Span], pred: Span | None) -> tuple[float, float] | None:
    """(share of the gold occurrence covered, share of the prediction on it), if it covers at least half.

    A gold quote found more than once counts at whichever occurrence the prediction covers best.
    """
    if pred is None:
        return None
    best = None
    for occ in gold_spans:
        ov = overlap(occ, pred)
        if ov * 2 >= occ[1] - occ[0] and ov > 0:
            key = (ov / (occ[1] - occ[0]), ov / (pred[1] - pred[0]))
            best = key if best is None or key > best else best
    return best


def _evidence(entry: dict[str, Any]) -> list[Span]:
    spans = []
    for item in entry.get("evidence") or []:
        if isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(v, int) for v in item) \
                and item[1] > item[0]:
            spans.append((item[0], item[1]))
    return spans


@dataclass
class DocAlignment:
    """One gold document against its prediction."""

    gold: GoldDoc
    prediction: Prediction | None  # None when the system returned nothing for this document
    statement_pairs: list[tuple[int, int]] = field(default_factory=list)  # (gold index, predicted index)
    report_pairs: list[tuple[int, int]] = field(default_factory=list)
    unlocated: list[str] = field(default_factory=list)  # gold text not found in the prediction's text

    @property
    def text(self) -> str:
        return (self.prediction or {}).get("text") or self.gold.text

    @property
    def statements(self) -> list[dict[str, Any]]:
        return [s for s in (self.prediction or {}).get("statements") or [] if isinstance(s, dict)]

    @property
    def reports(self) -> list[dict[str, Any]]:
        return [r for r in (self.prediction or {}).get("reports") or [] if isinstance(r, dict)]


@dataclass
class ReuseAlignment:
    gold: list[GoldReuse]
    predicted: list[dict[str, Any]]
    pairs: list[tuple[int, int]]


@dataclass
class Alignment:
    """The whole set: per-document alignments, the reuse alignment (None when not predicted), errors."""

    docs: dict[str, DocAlignment]
    reuse: ReuseAlignment | None
    errors: dict[str, str]


class _Relocator:
    """Gold spans in the prediction's text: the gold offsets when the texts agree, else found afresh."""

    def __init__(self, gold_text: str, text: str, unlocated: list[str]):
        self.same = gold_text == text
        self.locator = Locator(text)
        self.unlocated = unlocated

    def spans(self, gold_spans: list[Span], needles: list[str]) -> list[Span]:
        if self.same:
            return gold_spans
        found = []
        for needle in needles:
            hits = self.locator.find_all(needle)
            if not hits:
                self.unlocated.append(needle)
            found.extend(hits)
        return found


def align_doc(gold: GoldDoc, prediction: Prediction | None) -> DocAlignment:
    doc = DocAlignment(gold, prediction)
    if prediction is None:
        return doc
    where = _Relocator(gold.text, doc.text, doc.unlocated)
    candidates = []
    for gi, g in enumerate(gold.statements):
        spans = where.spans(g.spans, [g.quote])
        for pi, p in enumerate(doc.statements):
            key = half_overlap_score(spans, _span(p))
            if key is not None:
                candidates.append((key, gi, pi))
    doc.statement_pairs = greedy_pairs(candidates)
    candidates = []
    for gi, g in enumerate(gold.reports):
        spans = where.spans(g.spans, g.evidence)
        for pi, p in enumerate(doc.reports):
            evidence = _evidence(p)
            ov = shared(spans, evidence)
            if ov > 0:
                candidates.append(((ov, ov / covered(evidence)), gi, pi))
    doc.report_pairs = greedy_pairs(candidates)
    return doc


def align_reuse(gold: GoldSet, docs: dict[str, DocAlignment],
                predicted: list[dict[str, Any]]) -> ReuseAlignment:
    """Predicted passages (offsets into the reusing document) against gold reuse entries.

    Only predicted passages inside documents of the set count: the set cannot judge the others.
    """
    predicted = [r for r in predicted if isinstance(r, dict) and r.get("to") in docs]
    unlocated: list[str] = []
    candidates = []
    for gi, g in enumerate(gold.reuse):
        target = docs[g.target]
        spans = _Relocator(target.gold.text, target.text, unlocated).spans(g.spans, [g.text])
        for pi, p in enumerate(predicted):
            if p["from"] == g.source and p["to"] == g.target:
                key = half_overlap_score(spans, _span(p))
                if key is not None:
                    candidates.append((key, gi, pi))
    return ReuseAlignment(gold.reuse, predicted, greedy_pairs(candidates))


def align(gold: GoldSet, predictions: dict[str, Any]) -> Alignment:
    predicted_docs = predictions.get("documents") or {}
    docs = {doc_id: align_doc(g, predicted_docs.get(doc_id)) for doc_id, g in gold.docs.items()}
    reuse = predictions.get("reuse")
    reuse_alignment = None if reuse is None else align_reuse(gold, docs, list(reuse))
    errors = {k: v for k, v in (predictions.get("errors") or {}).items() if k in gold.docs}
    return Alignment(docs, reuse_alignment, errors)
