"""Read documents into statements and reports (the analysis run), and list what was read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague import resolve
from hague.errors import NotFound
from hague.model import Document, ReportRow, StatementRow
from hague.progress import SILENT, Progress
from hague.records import DocumentRecord, ReportRecord, StatementRecord, doc_refs
from hague.services.common import DEFAULT_LIMIT, Page, Within, page, require_within
from hague.workspace import Workspace

if TYPE_CHECKING:  # the analysis (numpy, clustering, the reader) is imported when one runs, not to list documents
    from hague.pipeline import Summary

__all__ = ["Analysis", "analyze", "document_text", "get_document", "list_documents", "list_reports",
           "list_statements", "run_analysis"]


@dataclass(frozen=True)
class Analysis:
    """What an analysis run did (``summary``) and the signed head after it."""

    summary: Summary
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {**self.summary.to_json(), "tree_head": self.tree_head}


def run_analysis(ws: Workspace, actor: str, *, force: bool = False, scheduler: str | None = None,
                 progress: Progress = SILENT) -> Summary:
    """The analysis run itself, without signing a head (``add`` signs once after adding and reading)."""
    from hague import pipeline

    return pipeline.analyze(ws, actor, force=force, progress=progress, scheduler=scheduler)


def analyze(ws: Workspace, actor: str, *, force: bool = False, scheduler: str | None = None,
            progress: Progress = SILENT) -> Analysis:
    """Link reused text, read every new or changed document into statements and reports (all of them with
    ``force``), cluster incidents and refresh candidate provisions; one ``analyze`` ledger entry by ``actor``
    naming the extractors and their versions. What a person decided is never overwritten.

    ``progress`` hears of each stage of the run (:class:`hague.progress.Progress`).
    """
    summary = run_analysis(ws, actor, force=force, scheduler=scheduler, progress=progress)
    return Analysis(summary, ws.seal().to_json())


def list_documents(ws: Workspace, *, within: Within | None = None, limit: int = DEFAULT_LIMIT,
                   offset: int = 0) -> Page[DocumentRecord]:
    """Documents in the order they were added (metadata only; :func:`document_text` gives a text), only those
    ``within`` a case when given."""
    q = select(Document).order_by(Document.id)
    if within is not None:
        q = q.where(Document.id.in_(within.documents()))
    with ws.read() as s:
        return page(s, q, limit, offset, DocumentRecord.of)


def _document(s: Session, document: str | int, within: Within | None) -> Document:
    if isinstance(document, int):
        doc = s.get(Document, document)
        if doc is None:
            raise NotFound("document", str(document))
    else:
        doc = resolve.document(s, document)
    require_within(s, within.documents() if within else None, doc.id, "document", str(document))
    return doc


def get_document(ws: Workspace, ref: str | int, *, within: Within | None = None) -> DocumentRecord:
    """One document by its sidecar id, database id or 8+ hex digits of its SHA-256 (an ``int``: the database
    id itself); ``NotFound`` for one outside ``within``."""
    with ws.read() as s:
        return DocumentRecord.of(_document(s, ref, within))


def document_text(ws: Workspace, document: str | int, *, within: Within | None = None) -> str:
    """The text read from a document's original: every span in statements and reports points into it.

    ``document`` is a reference as a person types it, or (an ``int``) a record's database ``id``.
    """
    with ws.read() as s:
        return _document(s, document, within).text


def list_statements(ws: Workspace, document: str | None = None, *, within: Within | None = None,
                    limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[StatementRecord]:
    """Statements (who said what, stance, date said, spans) in reading order, of one document or all (those
    ``within`` a case when given)."""
    q = select(StatementRow).order_by(StatementRow.document_id, StatementRow.idx)
    if within is not None:
        q = q.where(StatementRow.document_id.in_(within.documents()))
    with ws.read() as s:
        if document is not None:
            q = q.where(StatementRow.document_id == resolve.document(s, document).id)
        return _rows(s, q, limit, offset, StatementRecord.of)


def list_reports(ws: Workspace, document: str | None = None, *, incident: str | None = None,
                 within: Within | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[ReportRecord]:
    """Reports (what happened as each document tells it, with evidence spans) in reading order, of one
    document, of one incident, or all (those ``within`` a case when given)."""
    q = select(ReportRow).order_by(ReportRow.document_id, ReportRow.idx)
    if within is not None:
        q = q.where(ReportRow.document_id.in_(within.documents()))
    with ws.read() as s:
        if document is not None:
            q = q.where(ReportRow.document_id == resolve.document(s, document).id)
        if incident is not None:
            q = q.where(ReportRow.incident_id == resolve.incident(s, incident).id)
        return _rows(s, q, limit, offset, ReportRecord.of)


def _rows(s, q, limit, offset, build):  # type: ignore[no-untyped-def]
    """A page of statement or report rows, each built with its document's reference."""
    rows = page(s, q, limit, offset, lambda r: r)
    refs = doc_refs(s, {r.document_id for r in rows.items})
    return Page([build(r, refs[r.document_id]) for r in rows.items], rows.total, rows.limit, rows.offset)
