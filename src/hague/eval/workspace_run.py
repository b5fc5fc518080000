"""`hague eval`: the whole pipeline, as a user runs it, in a fresh workspace, scored against a gold set.

Unlike ``predict_direct`` (reading only, for fast iteration), this goes through ``add`` (sidecars,
readers), the analysis run (reuse anchors, speaker carry-over, incidents) and the database, then
scores what the workspace holds.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from statistics import median
from typing import Any

from sqlalchemy import select

from hague.config import load_config
from hague.eval.predict import predictions_from_readings
from hague.evidence.collect import Metadata, add_inputs, expand_inputs
from hague.findings import load_docs, load_readings
from hague.model import AssessmentRow, IncidentRow, ReportRow, ReuseRow
from hague.pipeline import analyze
from hague.workspace import Workspace, init_workspace


def workspace_predictions(ws: Workspace) -> dict[str, Any]:
    """What the workspace holds, in the scorer's predictions format (documents keyed by sidecar id)."""
    with ws.read() as s:
        docs = {d.id: d for d in load_docs(s)}
        readings = load_readings(s)
        incident_of = {(docs[r.document_id].key, r.idx): r.incident_id
                       for r in s.execute(select(ReportRow.document_id, ReportRow.idx, ReportRow.incident_id))
                       if r.incident_id}
        reuse = [{"from": docs[r.from_document_id].key, "to": docs[r.to_document_id].key,
                  "start": r.to_start, "end": r.to_end} for r in s.scalars(select(ReuseRow))]
    from hague.reading.fields import Reading

    per_doc = {d.key: (d.text, readings.get(d.id, Reading([], [], [], []))) for d in docs.values()}
    return predictions_from_readings(per_doc, reuse=reuse, incidents=incident_of)


def law_figures(ws: Workspace) -> dict[str, Any]:
    """How many candidate provisions a reviewer faces per incident (suggested ones, with a checklist each):
    the median and the largest, over every incident of the run."""
    with ws.read() as s:
        per_incident = dict.fromkeys(s.scalars(select(IncidentRow.id)), 0)
        for incident_id in s.scalars(select(AssessmentRow.incident_id)):
            per_incident[incident_id] = per_incident.get(incident_id, 0) + 1
    counts = sorted(per_incident.values())
    return {"incidents": len(counts),
            "median_provisions": float(median(counts)) if counts else None,
            "max_provisions": counts[-1] if counts else None}


def pipeline_predictions(setdir: Path, home: Path, statements: str | None = None,
                         reports: str | None = None) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
    """Add ``setdir/docs`` to a fresh workspace at ``home`` and analyse it as a user would, with the extractors
    named (the settings' when None): the predictions, a line for each document that could not be added, and
    the :func:`law_figures` of the run."""
    config = load_config()
    config = dataclasses.replace(config, home=home, database_url="",
                                 statements_extractor=statements or config.statements_extractor,
                                 reports_extractor=reports or config.reports_extractor)
    ws, _ = init_workspace(config, "hague-eval")
    try:
        results = list(add_inputs(ws, expand_inputs([str(setdir / "docs")]), Metadata(), "hague-eval"))
        analyze(ws, "hague-eval")
        ws.seal()
        failed = [f"{r.input}: {r.reason}" for r in results if r.status == "failed"]
        return workspace_predictions(ws), failed, law_figures(ws)
    finally:
        ws.engine.dispose()
