"""``hague eval``: score the analysis against a gold set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hague.cli.common import JsonOpt, command, emit_json, err, out
from hague.services import measure as service


@command
def evaluate(
    setdir: Annotated[Path, typer.Argument(help="A gold set folder: docs/ and gold/ (docs/gold-format.md).")],
    json_out: JsonOpt = False,
    show_misses: Annotated[bool, typer.Option(help="List misses and wrong fields per document.")] = False,
    doc: Annotated[list[str] | None, typer.Option(metavar="ID", help="Score only this document (repeatable).")]
    = None,
    direct: Annotated[bool, typer.Option("--direct", help="Read each text with the reader alone (fast; no "
                                         "workspace, reuse or incidents).")] = False,
    predictions: Annotated[Path | None, typer.Option(metavar="FILE", help="Score a saved predictions JSON "
                                                     "instead of running anything.")] = None,
    check_gold: Annotated[bool, typer.Option("--check-gold", help="Score the gold against itself (1.0 "
                                             "everywhere for a sound set): checks a new set.")] = False,
    statements: Annotated[str | None, typer.Option(metavar="NAME", help="The statements extractor to score "
                                                   "(default: HAGUE_STATEMENTS_EXTRACTOR, else rules).")] = None,
    reports: Annotated[str | None, typer.Option(metavar="NAME", help="The reports extractor to score "
                                                "(default: HAGUE_REPORTS_EXTRACTOR, else rules).")] = None,
) -> None:
    """Score against a gold set: by default the whole pipeline runs in a fresh temporary workspace over
    SETDIR/docs (add, analysis, incidents) and what it holds is scored against SETDIR/gold."""
    result = service.evaluate(setdir, docs=doc, direct=direct, predictions=predictions, check_gold=check_gold,
                              show_misses=show_misses, statements=statements, reports=reports)
    for line in result.figures.get("errors", []):
        err.print(f"error reading {line}", markup=False)
    if json_out:
        emit_json(result.to_json())
        return
    for r in result.rendered:
        out.print(r)
    scored = ", ".join(f"{k} {v}" for k, v in result.figures.get("components", {}).items())
    out.print(f"{result.figures['documents']} documents in {result.figures['seconds']} s"
              + (f" (extractors: {scored})" if scored else ""), markup=False)
