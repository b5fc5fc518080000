"""``hague export``: incidents, statements or reports as CSV, JSON or GeoJSON for other tools.

Exports leave the workspace, so protected persons' names are replaced by their pseudonyms
here too. Spans stay offsets into the workspace's own extracted texts (an export ships no
texts; a package does). GeoJSON places a record where its fields give coordinates
(``coordinates`` as [lat, lon], or ``lat``/``lon``); a record without them keeps a null
geometry (RFC 7946 §3.2) rather than being dropped.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.assessments import review_states, wording_for
from hague.errors import InvalidInput
from hague.model import IncidentRow, ReportRow, StatementRow
from hague.records import IncidentRecord, ReportRecord, StatementRecord, doc_refs
from hague.sharing.redact import Redactor
from hague.vocab import ExportFormat, ExportKind, values

KINDS = values(ExportKind)
FORMATS = values(ExportFormat)
GEO_KINDS = (ExportKind.INCIDENTS, ExportKind.REPORTS)


class ExportError(InvalidInput):
    """The export asked for cannot be made (e.g. GeoJSON of statements)."""


def records(session: Session, kind: str, redactor: Redactor) -> list[dict[str, Any]]:
    """Every record of ``kind`` in the shape of :mod:`hague.records`, protected persons pseudonymised."""
    if kind not in KINDS:
        raise ExportError(f"cannot export {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == ExportKind.INCIDENTS:
        states = review_states(session)
        rows: list[dict[str, Any]] = [
            IncidentRecord.of(r, states[r.id], wording_for(states[r.id], r.status).label).to_json()
            for r in session.scalars(select(IncidentRow).order_by(IncidentRow.id))]
    elif kind == ExportKind.STATEMENTS:
        docs = doc_refs(session)
        rows = [StatementRecord.of(r, docs[r.document_id]).to_json() for r in
                session.scalars(select(StatementRow).order_by(StatementRow.document_id, StatementRow.idx))]
    else:
        docs = doc_refs(session)
        rows = [ReportRecord.of(r, docs[r.document_id]).to_json() for r in
                session.scalars(select(ReportRow).order_by(ReportRow.document_id, ReportRow.idx))]
    return [redactor.value(r) for r in rows]


def render(rows: list[dict[str, Any]], kind: str, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "geojson":
        if kind not in GEO_KINDS:
            raise ExportError(f"{kind} have no place to map; GeoJSON is for {' and '.join(GEO_KINDS)}")
        return json.dumps(to_geojson(rows), indent=2, ensure_ascii=False) + "\n"
    raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def to_csv(rows: list[dict[str, Any]]) -> str:
    """One row per record; nested values (fields with their spans) as JSON in their cell."""
    buf = io.StringIO()
    columns = list(dict.fromkeys(k for r in rows for k in r))
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                         for k, v in r.items()})
    return buf.getvalue()


def to_geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for r in rows:
        point = find_point(r)
        features.append({"type": "Feature", "id": r["id"],
                         "geometry": {"type": "Point", "coordinates": [point[1], point[0]]} if point else None,
                         "properties": r})
    return {"type": "FeatureCollection", "features": features}


def find_point(value: Any) -> tuple[float, float] | None:
    """The first (lat, lon) in a record: a ``coordinates`` [lat, lon] pair, or ``lat``/``lon`` keys."""
    if isinstance(value, list):
        return next((p for p in map(find_point, value) if p), None)
    if not isinstance(value, dict):
        return None
    coords = value.get("coordinates")
    if isinstance(coords, list | tuple) and len(coords) == 2 and all(_number(c) for c in coords):
        return _valid(float(coords[0]), float(coords[1]))
    lat, lon = value.get("lat", value.get("latitude")), value.get("lon", value.get("longitude"))
    if _number(lat) and _number(lon):
        return _valid(float(lat), float(lon))
    return next((p for p in map(find_point, value.values()) if p), None)


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _valid(lat: float, lon: float) -> tuple[float, float] | None:
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
