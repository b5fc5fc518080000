"""The figures of docs/gold-format.md "Scoring", computed from an alignment.

A figure whose denominator is zero is None (printed "—"), never 0 or 1: "no gold statements" says
nothing about recall, and pretending otherwise would average away a real zero elsewhere.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import combinations
from typing import Any

from hague.eval.align import Alignment, align
from hague.eval.checks import (
    REPORT_FIELDS,
    STATEMENT_FIELDS,
    find_geocoder,
    report_verdicts,
    statement_verdicts,
)
from hague.eval.gold import GoldSet
from hague.eval.values import Geocoder


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def prf(matched: int, predicted: int, gold: int) -> dict[str, float | None]:
    """Precision, recall and F1 = 2·matched / (predicted + gold).

    That F1 equals the harmonic mean of P and R whenever both exist, and stays defined (0.0) when the
    system predicts nothing against a non-empty gold, so a silent system cannot hide behind a "—".
    """
    return {"precision": ratio(matched, predicted), "recall": ratio(matched, gold),
            "f1": ratio(2 * matched, predicted + gold)}


def _means(verdicts: list[dict[str, float]], names: Sequence[str]) -> dict[str, float | None]:
    return {n: ratio(sum(v[n] for v in verdicts), len(verdicts)) for n in names}


def pairwise(system: Sequence[Hashable], gold: Sequence[Hashable]) -> dict[str, float | None]:
    """Pairwise P/R/F1 of "same incident" decisions over all pairs of items."""
    both = sys_same = gold_same = 0
    for i, j in combinations(range(len(system)), 2):
        s, g = system[i] == system[j], gold[i] == gold[j]
        sys_same += s
        gold_same += g
        both += s and g
    return prf(both, sys_same, gold_same)


def bcubed_f1(system: Sequence[Hashable], gold: Sequence[Hashable]) -> float | None:
    """B-cubed F1: per item, precision and recall of its system cluster against its gold cluster."""
    if not system:
        return None
    precision = recall = 0.0
    for s, g in zip(system, gold, strict=True):
        same_sys = [k for k, x in enumerate(system) if x == s]
        same_gold = {k for k, x in enumerate(gold) if x == g}
        common = sum(1 for k in same_sys if k in same_gold)
        precision += common / len(same_sys)
        recall += common / len(same_gold)
    p, r = precision / len(system), recall / len(system)
    return 2 * p * r / (p + r) if p + r else 0.0


def _incident_scores(alignment: Alignment) -> dict[str, float | None]:
    keys = ("pairwise_precision", "pairwise_recall", "pairwise_f1", "bcubed_f1")
    if not any(r.get("incident") is not None for d in alignment.docs.values() for r in d.reports):
        return dict.fromkeys(keys)
    system: list[Hashable] = []
    gold: list[Hashable] = []
    for doc_id, d in alignment.docs.items():
        for gi, pi in d.report_pairs:
            incident = d.reports[pi].get("incident")
            # A report the system left unclustered is an incident of its own.
            system.append(("unclustered", doc_id, pi) if incident is None else ("id", str(incident)))
            gold.append(d.gold.reports[gi].incident)
    pw = pairwise(system, gold)
    return {"pairwise_precision": pw["precision"], "pairwise_recall": pw["recall"], "pairwise_f1": pw["f1"],
            "bcubed_f1": bcubed_f1(system, gold)}


def summarise(alignment: Alignment, geocode: Geocoder | None = None) -> dict[str, Any]:
    docs = alignment.docs.values()
    stmt_verdicts = [statement_verdicts(d.gold.statements[gi], d.statements[pi])
                     for d in docs for gi, pi in d.statement_pairs]
    rep_verdicts = [report_verdicts(d.gold.reports[gi], d.reports[pi], geocode)
                    for d in docs for gi, pi in d.report_pairs]
    statements = prf(len(stmt_verdicts), sum(len(d.statements) for d in docs),
                     sum(len(d.gold.statements) for d in docs))
    reports = prf(len(rep_verdicts), sum(len(d.reports) for d in docs),
                  sum(len(d.gold.reports) for d in docs))
    reuse = alignment.reuse
    return {
        "statements": statements | _means(stmt_verdicts, STATEMENT_FIELDS),
        "reports": reports | _means(rep_verdicts, REPORT_FIELDS),
        "incidents": _incident_scores(alignment),
        "reuse": dict.fromkeys(("precision", "recall", "f1")) if reuse is None
        else prf(len(reuse.pairs), len(reuse.predicted), len(reuse.gold)),
        "documents": len(alignment.docs),
    }


def score(gold: GoldSet, predictions: dict[str, Any]) -> dict[str, Any]:
    """Every figure of docs/gold-format.md "Scoring" for ``predictions`` against ``gold``."""
    return summarise(align(gold, predictions), find_geocoder())
