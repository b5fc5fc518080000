"""Measure: score the analysis against a gold set (format and scoring: docs/gold-format.md)."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hague.errors import InvalidInput
from hague.workspace import Workspace

__all__ = ["Evaluation", "evaluate", "evaluate_corrections"]


@dataclass(frozen=True)
class Evaluation:
    """The figures (``to_json``: statements, reports, incidents, reuse, documents, ``law`` (candidate provisions
    per incident, pipeline runs only), ``components`` (the extractors scored), seconds, and ``errors`` when a
    document could not be added or read) and the tables a terminal shows (``rendered``)."""

    figures: dict[str, Any]
    rendered: list[Any] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        return self.figures


def evaluate(setdir: Path, *, docs: Sequence[str] | None = None, direct: bool = False,
             predictions: Path | None = None, check_gold: bool = False, show_misses: bool = False,
             statements: str | None = None, reports: str | None = None) -> Evaluation:
    """Score against the gold set ``setdir`` (``docs/`` and ``gold/``).

    By default the whole pipeline runs as a user runs it, in a fresh temporary workspace: add (sidecars,
    readers), analysis (reuse anchors, carry-over, incidents), then what the workspace holds is scored.
    ``direct`` reads each text with the reader alone (fast, no reuse or incidents); ``predictions`` scores a
    saved predictions JSON; ``check_gold`` scores the gold against itself (1.0 everywhere for a sound set).
    ``docs`` limits scoring to those document ids. ``statements`` and ``reports`` name the extractors to score
    (:mod:`hague.reading.extractors`; default: the settings'), and ``components`` in the figures says which
    were. Raises ``InvalidInput`` for a folder that is not a gold set, a malformed one, an unknown extractor,
    or more than one mode.
    """
    from hague.config import load_config
    from hague.eval.align import align
    from hague.eval.checks import find_geocoder
    from hague.eval.gold import load_gold_set, subset
    from hague.eval.metrics import summarise
    from hague.eval.predict import gold_as_predictions, predict_direct
    from hague.eval.report import render, render_misses
    from hague.eval.workspace_run import pipeline_predictions
    from hague.reading.extractors import chosen, versions

    if sum((direct, predictions is not None, check_gold)) > 1:
        raise InvalidInput("choose one of: direct reading, saved predictions, or checking the gold")
    if not (setdir / "docs").is_dir() or not (setdir / "gold").is_dir():
        raise InvalidInput(f"{setdir} is not a gold set (it needs docs/ and gold/)")
    config = load_config()
    extractors = chosen(statements or config.statements_extractor, reports or config.reports_extractor)
    names = {"statements": extractors[0].name, "reports": extractors[1].name}
    started = time.perf_counter()
    gold = load_gold_set(setdir)
    if docs:
        gold = subset(gold, set(docs))
    errors: list[str] = []
    law: dict[str, Any] | None = None
    if check_gold:
        predicted = gold_as_predictions(gold)
    elif predictions is not None:
        try:
            predicted = json.loads(predictions.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"{predictions}: not a predictions JSON file ({exc})") from exc
    elif direct:
        predicted = predict_direct(setdir, only=set(gold.docs), **names)
    else:
        with tempfile.TemporaryDirectory(prefix="hague-eval-") as tmp:
            predicted, errors, law = pipeline_predictions(setdir, Path(tmp), **names)
    geocode = find_geocoder()
    alignment = align(gold, predicted)
    figures = summarise(alignment, geocode)
    if law is not None:  # how many candidate provisions a reviewer faces per incident
        figures["law"] = law
    if not (check_gold or predictions is not None):
        figures["components"] = versions(*extractors)
    errors += [f"{doc_id}: {error}" for doc_id, error in alignment.errors.items()]
    if errors:
        figures["errors"] = errors
    figures["seconds"] = round(time.perf_counter() - started, 2)
    rendered = [render(figures, alignment)]
    if show_misses:
        rendered.append(render_misses(alignment, geocode))
    return Evaluation(figures, rendered)


def evaluate_corrections(ws: Workspace, case: str, *, statements: str | None = None,
                         reports: str | None = None) -> Evaluation:
    """Score the current extractors (the workspace's, or those named) against what the people of ``case``
    accepted, corrected, added and rejected (:mod:`hague.eval.corrections`): precision, recall and field accuracy
    over the findings people judged, and the share of machine suggestions they accepted unchanged."""
    from sqlalchemy import select

    from hague.eval.corrections import Tally, decided_of, score_document
    from hague.findings import parse_day
    from hague.model import Document, FindingDecision
    from hague.reading import read_document
    from hague.services.curation import acceptance
    from hague.team import cases
    from hague.team.scope import Scope
    from hague.vocab import FindingKind

    started = time.perf_counter()
    with ws.read() as s:
        the_case = cases.get(s, case)
        scope = Scope(the_case.id)
        by_item: dict[str, list[Any]] = {}
        for d in s.scalars(select(FindingDecision).where(FindingDecision.item_sha256.in_(scope.items()))):
            by_item.setdefault(d.item_sha256, []).append(decided_of(d.kind, d.span_start, d.span_end, d.span_sha256,
                                                                    d.verdict, d.fields, d.machine))
        docs = [(sha, text, published, title) for sha, text, published, title in s.execute(
            select(Document.item_sha256, Document.text, Document.published, Document.title)
            .where(Document.item_sha256.in_(list(by_item))).order_by(Document.id))]
    tallies = {k: Tally() for k in FindingKind}
    for sha, text, published, title in docs:
        reading = read_document(text, published=parse_day(published), title=title,
                                statements=statements or ws.config.statements_extractor,
                                reports=reports or ws.config.reports_extractor)
        score_document(text, reading, by_item[sha], tallies)
    taken = acceptance(ws, scope)
    from hague.reading.extractors import chosen, versions

    figures = {"case": the_case.slug, "components": versions(*chosen(statements or ws.config.statements_extractor,
                                                                     reports or ws.config.reports_extractor)),
               "documents": len(docs), "decisions": sum(len(v) for v in by_item.values()),
               "statements": tallies[FindingKind.STATEMENT].to_json(),
               "reports": tallies[FindingKind.REPORT].to_json(), "acceptance": taken.to_json(),
               "seconds": round(time.perf_counter() - started, 2)}
    return Evaluation(figures, _render_corrections(figures))


def _render_corrections(figures: dict[str, Any]) -> list[str]:
    def pct(x: float | None) -> str:
        return "—" if x is None else f"{100 * x:.1f}%"

    unchanged = figures["acceptance"]["accepted_unchanged_percent"]
    lines = [f"case {figures['case']}: {figures['decisions']} decisions on {figures['documents']} documents; "
             f"machine suggestions accepted unchanged: {'—' if unchanged is None else f'{unchanged}%'}"]
    for kind in ("statements", "reports"):
        t = figures[kind]
        lines.append(f"{kind}: precision {pct(t['precision'])}, recall {pct(t['recall'])}, F1 {pct(t['f1'])} "
                     f"({t['true_positives']} right, {t['false_positives']} rejected, {t['missed']} missed, "
                     f"{t['unjudged']} not judged)")
        lines += [f"  {name}: {pct(f['accuracy'])} of {f['compared']}" for name, f in t["fields"].items()]
    return lines
