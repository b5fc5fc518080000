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

__all__ = ["Evaluation", "evaluate"]


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
