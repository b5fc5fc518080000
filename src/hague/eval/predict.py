"""Build predictions (the plain-dict format ``score`` reads) from readings, from the reader, or from gold.

The format is JSON-serialisable on purpose: the workspace pipeline writes it too, so a run can be
saved and scored later, or scored by another version of the scorer.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from hague.eval.gold import GoldSet
from hague.reading.fields import Reading


def _statement(st: Any) -> dict[str, Any]:
    return {"speaker": st.speaker.value, "org": st.org.value, "start": st.quote.start, "end": st.quote.end,
            "mode": st.mode.value, "said_on": st.said_on.value, "stance": st.stance.value}


_REPORT_FIELDS = ("event", "targets", "weapons", "place", "country", "date", "killed", "injured",
                  "casualty_text", "perpetrator", "status", "pattern")


def _report(rep: Any, incident: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"evidence": [[s, e] for s, e in rep.evidence], "incident": incident}
    out.update({name: getattr(rep, name).value for name in _REPORT_FIELDS})
    out["coordinates"] = list(rep.coordinates) if rep.coordinates else None
    return out


def predictions_from_readings(docs: Mapping[str, tuple[str, Reading]],
                              reuse: list[dict[str, Any]] | None = None,
                              incidents: Mapping[tuple[str, int], str] | None = None) -> dict[str, Any]:
    """``docs`` maps a document id to (its text, its Reading); ``incidents`` maps (doc id, report index)."""
    incidents = incidents or {}
    documents = {
        doc_id: {"text": text, "statements": [_statement(s) for s in reading.statements],
                 "reports": [_report(r, incidents.get((doc_id, i))) for i, r in enumerate(reading.reports)]}
        for doc_id, (text, reading) in docs.items()
    }
    return {"documents": documents, "reuse": reuse}


def _published(sidecar: Path) -> date | None:
    """The sidecar's ``published`` day; a missing or unreadable one leaves relative dates unresolved."""
    try:
        value = json.loads(sidecar.read_text(encoding="utf-8")).get("published")
        return date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except (OSError, ValueError, AttributeError):
        return None


def predict_direct(setdir: Path | str, only: Collection[str] | None = None, *, statements: str | None = None,
                   reports: str | None = None) -> dict[str, Any]:
    """Read every ``docs/<id>.txt`` of a set with ``hague.reading.read_document``; no database, no reuse.

    A document whose reading fails gets empty output and an entry in ``errors`` (doc id -> message), so
    one broken extractor never hides the figures for the rest of the set.
    """
    from hague.reading import read_document

    readings: dict[str, tuple[str, Reading]] = {}
    errors: dict[str, str] = {}
    for path in sorted(Path(setdir, "docs").glob("*.txt")):
        doc_id = path.stem
        if only is not None and doc_id not in only:
            continue
        text = ""
        try:
            text = path.read_text(encoding="utf-8")
            readings[doc_id] = (text, read_document(text, published=_published(path.with_suffix(".json")),
                                                    statements=statements, reports=reports))
        except Exception as e:  # noqa: BLE001 - any failure is reported and the run goes on
            errors[doc_id] = f"{type(e).__name__}: {e}"
            readings[doc_id] = (text, Reading([], [], [], []))
    predictions = predictions_from_readings(readings)
    predictions["errors"] = errors
    return predictions


def gold_as_predictions(gold: GoldSet) -> dict[str, Any]:
    """The gold annotations in prediction form: scoring them must give 1.0 everywhere (a check of a set)."""
    documents = {}
    for doc_id, doc in gold.docs.items():
        statements = [{"speaker": s.speaker, "org": s.org, "start": s.spans[0][0], "end": s.spans[0][1],
                       "mode": s.mode, "said_on": s.said_on.to_gold() if s.said_on else None,
                       "stance": s.stance}
                      for s in doc.statements]
        reports = [{"evidence": [list(sp) for sp in r.spans], "incident": r.incident, "coordinates": None,
                    **r.fields} for r in doc.reports]
        documents[doc_id] = {"text": doc.text, "statements": statements, "reports": reports}
    reuse = [{"from": r.source, "to": r.target, "start": r.spans[0][0], "end": r.spans[0][1]}
             for r in gold.reuse]
    return {"documents": documents, "reuse": reuse}

