"""One serialiser per record type: what an item, document, statement, report, incident, reuse link, source,
ledger entry or assessment looks like outside the database.

The CLI's ``--json``, exports, packages and the web API all print these shapes, so a field is named the same
wherever it appears. Each record is a frozen dataclass built from the database rows (``of``) with a
``to_json`` that returns plain JSON types. Machine-made records say so (``machine_output``): they are
suggestions until a person accepts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.assessments import findings_of
from hague.findings import doc_key
from hague.model import (
    AssessmentRow,
    Document,
    IncidentRow,
    Item,
    LedgerEntry,
    ReportRow,
    ReuseRow,
    ReviewRow,
    Source,
    StatementRow,
)


def grade(reliability: str | None, credibility: str | None) -> str | None:
    """An Admiralty grade as written (``B2``; ``?`` for a half not given), None when ungraded."""
    if reliability is None and credibility is None:
        return None
    return f"{reliability or '?'}{credibility or '?'}"


def grade_of(source: Source | None) -> str | None:
    """The grade of ``source`` (None for no source or an ungraded one)."""
    return grade(source.reliability, source.credibility) if source is not None else None


@dataclass(frozen=True)
class DocumentRecord:
    """The text read from an item, with its metadata (the text itself is fetched apart: it can be large)."""

    id: int
    key: str  # how people and gold sets name it: the sidecar id, else the database id
    item: str  # SHA-256 of the original
    external_id: str | None
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    language: str | None
    kind: str | None
    reader: str
    text_sha256: str
    chars: int

    @classmethod
    def of(cls, doc: Document) -> DocumentRecord:
        return cls(doc.id, doc_key(doc), doc.item_sha256, doc.external_id, doc.title, doc.published, doc.outlet,
                   doc.url, doc.language, doc.kind, doc.reader, doc.text_sha256, len(doc.text))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "item": self.item, "external_id": self.external_id,
                "title": self.title, "published": self.published, "outlet": self.outlet, "url": self.url,
                "language": self.language, "kind": self.kind, "reader": self.reader,
                "text_sha256": self.text_sha256, "chars": self.chars}


@dataclass(frozen=True)
class ItemRecord:
    """One preserved original and the document read from it (None when it yielded no text)."""

    sha256: str
    size: int
    media_type: str
    captured_at: str
    captured_by: str
    origin: str
    capture_tool: str
    note: str | None
    document: DocumentRecord | None

    @classmethod
    def of(cls, item: Item, doc: Document | None) -> ItemRecord:
        return cls(item.sha256, item.size, item.media_type, item.captured_at, item.captured_by, item.origin,
                   item.capture_tool, item.note, DocumentRecord.of(doc) if doc is not None else None)

    def to_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": self.size, "media_type": self.media_type,
                "captured_at": self.captured_at, "captured_by": self.captured_by, "origin": self.origin,
                "capture_tool": self.capture_tool, "note": self.note,
                "document_id": self.document.id if self.document else None,
                "document": self.document.to_json() if self.document else None}


@dataclass(frozen=True)
class DocRef:
    """How records name a document without loading its text: its key and its item's SHA-256."""

    id: int
    key: str
    item: str


def doc_refs(session: Session, ids: Iterable[int] | None = None) -> dict[int, DocRef]:
    """The :class:`DocRef` of the documents ``ids`` (all when None), read without their texts."""
    q = select(Document.id, Document.external_id, Document.item_sha256)
    if ids is not None:
        q = q.where(Document.id.in_(list(ids)))
    return {r.id: DocRef(r.id, doc_key(r), r.item_sha256) for r in session.execute(q)}


def _values(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if isinstance(v, dict) and "value" in v}


def machine_output(fields: dict[str, Any]) -> bool:
    """Whether a statement's or report's values are the machine's alone: False once a person decided on it
    (accepted, corrected or added it: ``fields["curation"]``, see :mod:`hague.curation`)."""
    return "curation" not in fields


@dataclass(frozen=True)
class StatementRecord:
    """Who said what, as the machine read it: every field with its value, span, confidence and origin."""

    id: int
    document: str  # the document's key
    document_id: int
    item: str
    index: int  # order within the document
    speaker: str | None
    org: str | None
    stance: str | None
    said_on: str | None
    quote_start: int | None
    quote_end: int | None
    analyzer: str
    fields: dict[str, Any]

    @classmethod
    def of(cls, row: StatementRow, doc: DocRef) -> StatementRecord:
        return cls(row.id, doc.key, row.document_id, doc.item, row.idx, row.speaker, row.org, row.stance,
                   row.said_on, row.quote_start, row.quote_end, row.analyzer, row.fields)

    def to_json(self) -> dict[str, Any]:
        """Every field at the top level (``speaker``, ``org``, ``quote``, ``mode``, ``said_on``, ``stance``,
        ``role``: each ``{value, start, end, confidence, origin}``) with ``speaker_aliases``: the shape scripts
        read (``quote.start``/``quote.end`` index the document's text)."""
        return {"id": self.id, "document": self.document, "document_id": self.document_id, "item": self.item,
                "index": self.index, **self.fields, "analyzer": self.analyzer,
                "machine_output": machine_output(self.fields)}

    def field_values(self) -> dict[str, Any]:
        """The fields that carry a value (``{name: {value, start, end, confidence, origin}}``)."""
        return _values(self.fields)


@dataclass(frozen=True)
class ReportRecord:
    """One document's account of one incident, as the machine read it, with its evidence spans."""

    id: int
    document: str
    document_id: int
    item: str
    index: int
    incident_id: str | None
    event: str | None
    place: str | None
    date: str | None
    status: str | None
    evidence: list[list[int]]
    analyzer: str
    fields: dict[str, Any]
    incident_origin: str | None = None  # who placed it in its incident: the machine, or a person (curation)

    @classmethod
    def of(cls, row: ReportRow, doc: DocRef) -> ReportRecord:
        return cls(row.id, doc.key, row.document_id, doc.item, row.idx, row.incident_id, row.event, row.place,
                   row.date, row.status, [list(e) for e in row.evidence], row.analyzer, row.fields,
                   row.incident_origin)

    def to_json(self) -> dict[str, Any]:
        """Every field at the top level (``event``, ``targets``, ``place``, ``date``, ... each ``{value, start,
        end, confidence, origin}``; ``coordinates`` [lat, lon] or null) beside the evidence spans."""
        return {"id": self.id, "document": self.document, "document_id": self.document_id, "item": self.item,
                "index": self.index, "incident_id": self.incident_id, "evidence": self.evidence, **self.fields,
                "incident_origin": self.incident_origin, "analyzer": self.analyzer,
                "machine_output": machine_output(self.fields)}

    def field_values(self) -> dict[str, Any]:
        return _values(self.fields)


def by_document(records: Iterable[StatementRecord] | Iterable[ReportRecord], name: str) -> Iterator[dict[str, Any]]:
    """Records grouped per document, as scripts read them (``hague statements --json``, ``reports --json``):
    ``{"document": <database id, as items' document_id>, "key": <the document's key>, name: [record, ...]}``
    with each record in its one shape. ``records`` come in listing order (by document, then index)."""
    for _, group in groupby(records, key=lambda r: r.document_id):
        rows = list(group)
        yield {"document": rows[0].document_id, "key": rows[0].document, name: [r.to_json() for r in rows]}


@dataclass(frozen=True)
class IncidentRecord:
    """Reports of one event gathered across documents: merged facts (with disagreement), members, independent
    sources, and how far review has got (``review_state``) with what output may call it (``label``)."""

    id: str
    status: str | None
    independent_count: int
    review_state: str
    label: str
    context_override: str | None
    data: dict[str, Any]  # pattern, members, fields, independent_sources, evidence (corroboration's output)

    @classmethod
    def of(cls, row: IncidentRow, review_state: str, label: str) -> IncidentRecord:
        return cls(row.id, row.status, row.independent_count, review_state, label, row.context_override, row.data)

    def to_json(self) -> dict[str, Any]:
        return {**self.data, "id": self.id, "status": self.status, "independent_count": self.independent_count,
                "review_state": self.review_state, "label": self.label, "context_override": self.context_override,
                "machine_output": True}

    def field_value(self, name: str) -> Any:
        return self.data.get("fields", {}).get(name, {}).get("value")


@dataclass(frozen=True)
class ReuseRecord:
    """Passage ``to_span`` of a later document reuses passage ``from_span`` of an earlier one."""

    id: int
    from_document: str
    to_document: str
    from_document_id: int
    to_document_id: int
    from_span: list[int]
    to_span: list[int]
    similarity: float
    direction_basis: str
    text: str  # the reusing passage

    @classmethod
    def of(cls, row: ReuseRow, origin: DocRef, copy: DocRef, text: str) -> ReuseRecord:
        """``text`` is the reusing passage (``copy``'s text at ``to_span``)."""
        return cls(row.id, origin.key, copy.key, row.from_document_id, row.to_document_id,
                   [row.from_start, row.from_end], [row.to_start, row.to_end], row.similarity, row.basis, text)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "from": self.from_document, "to": self.to_document,
                "from_document_id": self.from_document_id, "to_document_id": self.to_document_id,
                "from_span": self.from_span, "to_span": self.to_span, "similarity": self.similarity,
                "direction_basis": self.direction_basis, "text": self.text, "machine_output": True}


@dataclass(frozen=True)
class SourceRecord:
    """An outlet with its Admiralty grade (reliability A-F, credibility 1-6) and how many documents it has."""

    id: int
    name: str
    reliability: str | None
    credibility: str | None
    documents: int

    @classmethod
    def of(cls, src: Source, documents: int) -> SourceRecord:
        return cls(src.id, src.name, src.reliability, src.credibility, documents)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "reliability": self.reliability, "credibility": self.credibility,
                "grade": grade(self.reliability, self.credibility), "documents": self.documents}


@dataclass(frozen=True)
class LedgerRecord:
    """One custody-ledger entry, exactly as hashed (so a copy of it can be re-hashed and proved)."""

    seq: int
    time: str
    actor: str
    action: str
    subjects: list[str]
    details: dict[str, Any]
    prev_hash: str
    entry_hash: str

    @classmethod
    def of(cls, e: LedgerEntry) -> LedgerRecord:
        return cls(e.seq, e.time, e.actor, e.action, list(e.subjects), e.details, e.prev_hash, e.entry_hash)

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "time": self.time, "actor": self.actor, "action": self.action,
                "subjects": self.subjects, "details": self.details, "prev_hash": self.prev_hash,
                "entry_hash": self.entry_hash}


@dataclass(frozen=True)
class AssessmentRecord:
    """An incident x provision checklist as stored: element findings (machine or analyst) and the review."""

    incident_id: str
    provision_id: str
    elements: dict[str, Any]
    updated_at: str
    review_state: str
    review_history: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, row: AssessmentRow, review_state: str, review: ReviewRow | None) -> AssessmentRecord:
        return cls(row.incident_id, row.provision_id, findings_of(row), row.updated_at, review_state,
                   list(review.history) if review else [])

    def to_json(self) -> dict[str, Any]:
        return {"incident_id": self.incident_id, "provision_id": self.provision_id, "elements": self.elements,
                "updated_at": self.updated_at, "review_state": self.review_state,
                "review_history": self.review_history}
