"""Machine findings in the database: readings to rows and back, and loaders for the later phases.

Rows keep a few columns for querying (speaker, stance, event, date, ...) and the full
:class:`~hague.reading.fields.Field` records — value, span, confidence, origin — as JSON,
so nothing the readers said is lost and every value can be traced to its span.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from hague.model import Document, ReportRow, StatementRow
from hague.reading.fields import Field, Reading, Report, Statement

_STATEMENT_FIELDS = [f.name for f in fields(Statement) if f.name != "speaker_aliases"]
_REPORT_FIELDS = [f.name for f in fields(Report) if f.name not in ("evidence", "coordinates")]


def statement_values(document_id: int, idx: int, st: Statement, analyzer: str) -> dict[str, Any]:
    """Column values of a :class:`StatementRow` (for bulk inserts)."""
    data: dict[str, Any] = {name: getattr(st, name).to_json() for name in _STATEMENT_FIELDS}
    data["speaker_aliases"] = list(st.speaker_aliases)
    return {"document_id": document_id, "idx": idx, "speaker": st.speaker.value, "org": st.org.value,
            "stance": st.stance.value, "said_on": st.said_on.value, "quote_start": st.quote.start,
            "quote_end": st.quote.end, "fields": data, "analyzer": analyzer}


def report_values(document_id: int, idx: int, rep: Report, analyzer: str) -> dict[str, Any]:
    """Column values of a :class:`ReportRow` (for bulk inserts)."""
    data: dict[str, Any] = {name: getattr(rep, name).to_json() for name in _REPORT_FIELDS}
    data["coordinates"] = list(rep.coordinates) if rep.coordinates else None
    return {"document_id": document_id, "idx": idx, "event": rep.event.value, "place": rep.place.value,
            "date": rep.date.value, "status": rep.status.value, "evidence": [list(e) for e in rep.evidence],
            "fields": data, "analyzer": analyzer, "incident_id": None}


def incident_values(data: dict[str, Any], coordinates: Any) -> dict[str, Any]:
    """Column values of an :class:`IncidentRow` beside its JSON ``data``: merged event, country, date and place,
    and ``coordinates`` (its first placed report's [lat, lon], or None) for the map."""
    fields = data.get("fields", {})

    def value(name: str) -> Any:
        v = fields.get(name, {}).get("value")
        return v if isinstance(v, str) and v else None

    lat, lon = (float(coordinates[0]), float(coordinates[1])) if coordinates else (None, None)
    return {"event": value("event"), "country": value("country"), "date": value("date"), "place": value("place"),
            "lat": lat, "lon": lon}


def statement_of(row: StatementRow) -> Statement:
    data = row.fields
    st = Statement(**{name: Field.from_json(data[name]) for name in _STATEMENT_FIELDS})
    st.speaker_aliases = list(data.get("speaker_aliases", []))
    return st


def report_of(row: ReportRow) -> Report:
    data = row.fields
    coords = data.get("coordinates")
    return Report(evidence=[(s, e) for s, e in row.evidence],
                  **{name: Field.from_json(data[name]) for name in _REPORT_FIELDS},
                  coordinates=tuple(coords) if coords else None)


@dataclass
class DocInfo:
    """What the later phases need of a document."""

    id: int
    key: str  # the sidecar id when there is one, else the database id: how users and gold sets name it
    text: str
    published: date | None
    title: str | None
    outlet: str | None
    sha256: str


def doc_key(doc: Document | Row[Any]) -> str:
    """How users and gold sets name a document: its sidecar id, else its database id."""
    return doc.external_id or str(doc.id)


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def load_docs(session: Session, ids: Collection[int] | None = None) -> list[DocInfo]:
    """Every document (or those of ``ids``) with its text, in id order."""
    q = select(Document.id, Document.external_id, Document.text, Document.published, Document.title,
               Document.outlet, Document.item_sha256).order_by(Document.id)
    order = sorted(ids) if ids is not None else []
    rows = session.execute(q) if ids is None else (
        r for i in range(0, len(order), 500) for r in session.execute(q.where(Document.id.in_(order[i:i + 500]))))
    return [DocInfo(r.id, doc_key(r), r.text, parse_day(r.published), r.title, r.outlet,
                    r.item_sha256) for r in rows]


def load_readings(session: Session, doc_ids: list[int] | None = None) -> dict[int, Reading]:
    """Statements and reports per document id, in reading order (paragraphs and sentences are not stored)."""
    out: dict[int, Reading] = {}
    q_st = select(StatementRow).order_by(StatementRow.document_id, StatementRow.idx)
    q_rep = select(ReportRow).order_by(ReportRow.document_id, ReportRow.idx)
    if doc_ids is not None:
        q_st = q_st.where(StatementRow.document_id.in_(doc_ids))
        q_rep = q_rep.where(ReportRow.document_id.in_(doc_ids))
    for row in session.scalars(q_st):
        out.setdefault(row.document_id, Reading([], [], [], [])).statements.append(statement_of(row))
    for row in session.scalars(q_rep):
        out.setdefault(row.document_id, Reading([], [], [], [])).reports.append(report_of(row))
    return out
