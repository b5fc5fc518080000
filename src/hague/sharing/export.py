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
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from hague.assessments import review_states, wording_for
from hague.errors import InvalidInput
from hague.jsontext import array_pieces
from hague.model import IncidentRow, ReportRow, StatementRow
from hague.records import IncidentRecord, ReportRecord, StatementRecord, doc_refs
from hague.sharing.redact import Redactor
from hague.vocab import ExportFormat, ExportKind, values

KINDS = values(ExportKind)
FORMATS = values(ExportFormat)
GEO_KINDS = (ExportKind.INCIDENTS, ExportKind.REPORTS)


class ExportError(InvalidInput):
    """The export asked for cannot be made (e.g. GeoJSON of statements)."""


def records(session: Session, kind: str, redactor: Redactor) -> Iterator[dict[str, Any]]:
    """Every record of ``kind`` in the shape of :mod:`hague.records`, protected persons pseudonymised; read a
    few hundred rows at a time, so an export of any size runs in flat memory."""
    if kind not in KINDS:
        raise ExportError(f"cannot export {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == ExportKind.INCIDENTS:
        for rows in _chunks(session, IncidentRow, IncidentRow.id):
            states = review_states(session, [r.id for r in rows])
            yield from (redactor.value(IncidentRecord.of(r, states[r.id],
                                                         wording_for(states[r.id], r.status).label).to_json())
                        for r in rows)
        return
    model = StatementRow if kind == ExportKind.STATEMENTS else ReportRow
    record = StatementRecord if kind == ExportKind.STATEMENTS else ReportRecord
    for rows in _chunks(session, model, model.document_id, model.idx, model.id):
        docs = doc_refs(session, {r.document_id for r in rows})
        yield from (redactor.value(record.of(r, docs[r.document_id]).to_json()) for r in rows)


CHUNK = 500  # rows read and held at a time


def _chunks(session: Session, model: type[Any], *key: Any) -> Iterator[list[Any]]:
    """The model's rows ordered by ``key`` (columns whose values together are unique), :data:`CHUNK` at a time.
    Each batch is its own query for the rows after the last one's key, so the session lets go of a batch's
    objects before reading the next: clearing the session under one open streamed result broke every export of
    more than one batch (SQLAlchemy refuses to load rows into an identity map it has discarded)."""
    after: tuple[Any, ...] | None = None
    while True:
        query = select(model).order_by(*key).limit(CHUNK)
        if after is not None:
            query = query.where(tuple_(*key) > tuple_(*after))
        rows = list(session.scalars(query))
        if not rows:
            return
        after = tuple(getattr(rows[-1], column.key) for column in key)
        yield rows
        session.expunge_all()


def write(rows: Callable[[], Iterator[dict[str, Any]]], kind: str, fmt: str, out: TextIO) -> None:
    """Write ``rows()`` as ``fmt`` to ``out`` record by record (CSV calls ``rows`` twice: once for the
    columns, then for the values)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "geojson" and kind not in GEO_KINDS:
        raise ExportError(f"{kind} have no place to map; GeoJSON is for {' and '.join(GEO_KINDS)}")
    if fmt == "csv":
        columns = list(dict.fromkeys(k for r in rows() for k in r))
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for r in rows():
            writer.writerow(_cells(r))
        return
    items = rows() if fmt == "json" else (feature(r) for r in rows())
    head, tail = ("", "") if fmt == "json" else ('{\n  "type": "FeatureCollection",\n  "features": ', "\n}")
    out.write(head)
    out.writelines(array_pieces(items, indent="  " if fmt == "geojson" else ""))
    out.write(tail + "\n")


def render(rows: list[dict[str, Any]], kind: str, fmt: str) -> str:
    buf = io.StringIO()
    write(lambda: iter(rows), kind, fmt, buf)
    return buf.getvalue()


def _cells(r: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in r.items()}


def to_csv(rows: list[dict[str, Any]]) -> str:
    """One row per record; nested values (fields with their spans) as JSON in their cell."""
    return render(rows, ExportKind.REPORTS, "csv")


def feature(r: dict[str, Any]) -> dict[str, Any]:
    point = find_point(r)
    return {"type": "Feature", "id": r["id"],
            "geometry": {"type": "Point", "coordinates": [point[1], point[0]]} if point else None, "properties": r}


def to_geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [feature(r) for r in rows]}


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
