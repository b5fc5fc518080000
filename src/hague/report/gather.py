"""Everything the dossier shows, read from the workspace into plain data (rendered by ``html``/``markdown``).

One pass over the database: overview counts, each incident with its merged facts, reports, sources,
reuse, statements and candidate provisions, positions and mixed messages, the source list with hashes
and capture times, and the signed tree head that seals it all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hague import __version__
from hague.assessments import IncidentReview, incident_review, member_reports
from hague.corroboration.positions import position_entries
from hague.corroboration.stored import load_positions, statement_refs, stored_incidents
from hague.evidence import ledger
from hague.findings import doc_key
from hague.law.suggest import SUGGESTED
from hague.model import Document, IncidentRow, Item, ReportRow, ReuseRow, Source, StatementRow
from hague.records import grade_of
from hague.report.voice import headline
from hague.timestamps import utc_now


@dataclass
class IncidentEntry:
    """One incident as the dossier shows it."""

    number: int
    row: IncidentRow
    review: IncidentReview
    headline: str
    confidence_label: str | None
    reports: list[dict[str, Any]]
    reuse: list[dict[str, Any]]
    statements: list[dict[str, Any]]
    points: list[tuple[float, float]]  # (lat, lon) of its reports' places

    @property
    def state(self) -> str:
        return self.review.wording.state

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, **self.row.data, "review": self.review.to_json(),
                "headline": self.headline, "confidence_label": self.confidence_label, "reports": self.reports,
                "reuse": self.reuse, "statements": self.statements, "points": [list(p) for p in self.points]}


@dataclass
class Dossier:
    generated_at: str
    version: str
    counts: dict[str, int]
    states: dict[str, int]
    incidents: list[IncidentEntry]
    positions: list[dict[str, Any]]
    mixed: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    tree_head: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {"generated_at": self.generated_at, "version": self.version, "counts": self.counts,
                "review_states": self.states, "incidents": [i.to_json() for i in self.incidents],
                "positions": self.positions, "mixed_messages": self.mixed, "sources": self.sources,
                "tree_head": self.tree_head}


def _report(rep: ReportRow, doc: Document) -> dict[str, Any]:
    quotes = [doc.text[s:e] for s, e in rep.evidence]
    fields = {k: v.get("value") for k, v in rep.fields.items() if isinstance(v, dict) and "value" in v}
    return {"id": rep.id, "ref": f"report:{rep.id}", "document": doc_key(doc), "outlet": doc.outlet,
            "title": doc.title, "published": doc.published, "url": doc.url, "fields": fields,
            "evidence": quotes, "coordinates": rep.fields.get("coordinates"), "machine_output": True}


def _reuse(session: Session, doc_ids: set[int], keys: dict[int, str]) -> list[dict[str, Any]]:
    """Reuse between documents, one line per (copier, origin) pair."""
    rows = session.scalars(select(ReuseRow).where(ReuseRow.to_document_id.in_(doc_ids)
                                                  | ReuseRow.from_document_id.in_(doc_ids)))
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        pair = pairs.setdefault((keys[r.from_document_id], keys[r.to_document_id]), {
            "from": keys[r.from_document_id], "to": keys[r.to_document_id], "passages": 0, "similarity": 0.0,
            "basis": r.basis})
        pair["passages"] += 1
        pair["similarity"] = max(pair["similarity"], round(r.similarity, 2))
    return list(pairs.values())


def gather(session: Session, window_days: int = 14) -> Dossier:
    """Read the dossier's contents; call after the workspace was sealed so the tree head covers it."""
    docs = {d.id: d for d in session.scalars(select(Document).order_by(Document.id))}
    keys = {i: doc_key(d) for i, d in docs.items()}
    timelines, mixed = load_positions(session, window_days)
    entries = position_entries(statement_refs(session), stored_incidents(session))
    statement_ids = {(r.document_id, r.idx): r.id for r in session.scalars(select(StatementRow))}
    by_key = {doc_key(d): d.id for d in docs.values()}

    incidents: list[IncidentEntry] = []
    rows = list(session.scalars(select(IncidentRow)))
    rows.sort(key=lambda r: ((r.data["fields"].get("date", {}).get("value") or "9999"), r.id))
    for n, row in enumerate(rows, 1):
        review = incident_review(session, row.id)
        members = member_reports(session, row.id)
        label = next((t.label for t in reversed(review.history) if t.label), None)
        statements = [{**e.to_json(), "refs": [f"statement:{statement_ids[(by_key[d], i)]}"
                                               for d, i, _ in e.sources if (by_key.get(d), i) in statement_ids]}
                      for e in entries if row.id in e.incidents]
        reports = [_report(rep, doc) for rep, doc in members]
        points = [tuple(r["coordinates"]) for r in reports if r["coordinates"]]
        incidents.append(IncidentEntry(n, row, review, headline(review.wording.state, label), label, reports,
                                       _reuse(session, {d.id for _, d in members}, keys), statements,
                                       list(dict.fromkeys(points))))

    sources_by_id = {s.id: s for s in session.scalars(select(Source))}
    items = {i.sha256: i for i in session.scalars(select(Item))}
    sources = [{"document": keys[d.id], "outlet": d.outlet, "title": d.title, "published": d.published,
                "url": d.url, "sha256": d.item_sha256, "captured_at": items[d.item_sha256].captured_at,
                "captured_by": items[d.item_sha256].captured_by, "origin": items[d.item_sha256].origin,
                "grade": grade_of(sources_by_id.get(d.source_id or -1))} for d in docs.values()]
    states: dict[str, int] = {}
    for inc in incidents:
        states[inc.state] = states.get(inc.state, 0) + 1
    counts = {
        "documents": len(docs), "sources": len({d.outlet for d in docs.values() if d.outlet}),
        "statements": session.scalar(select(func.count(StatementRow.id))) or 0,
        "reports": session.scalar(select(func.count(ReportRow.id))) or 0, "incidents": len(incidents),
        "mixed_messages": len(mixed),
        "candidate_provisions": sum(1 for i in incidents for p in i.review.provisions if p.status == SUGGESTED),
    }
    head = ledger.latest_head(session)
    return Dossier(utc_now(), __version__, counts, states, incidents,
                   [t.to_json() for t in timelines], [m.to_json() for m in mixed], sources,
                   head.to_json() if head else None)
