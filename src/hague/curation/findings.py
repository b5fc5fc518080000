"""A person's decisions on statements and reports: accept, correct, reject, add; re-applied after every reading.

Machine rows carry a person's decision in their field JSON: a pinned field has ``origin: analyst`` and a
confidence of 1, and the row's ``fields["curation"]`` says which decision it is under, its verdict, and for each
pinned field the machine's value beside the person's, who and when. A rejected finding has no row at all (it
stays in the decision, with the machine's finding, for review and for scoring the extractors).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hague.curation.anchors import Anchor, Candidate, anchor_at, match, row_anchor
from hague.curation.fields import REPORT_FIELDS, specs
from hague.errors import InvalidInput, NotFound, Refused
from hague.findings import doc_key
from hague.model import Document, FindingDecision, IncidentPlacement, ReportKey, ReportRow, StatementRow
from hague.timestamps import utc_now
from hague.vocab import FindingKind, Mode, Origin, ReportStatus, Stance, Verdict

PERSON = "person"  # the ``analyzer`` of a row a person made (an added finding, or one the machine lost)
CURATION = "curation"  # the key of a row's field JSON that holds the decision it is under
GONE = "*"  # a conflict about the whole finding: the machine no longer finds what a person accepted
Row = StatementRow | ReportRow


def model_of(kind: FindingKind | str) -> type[StatementRow] | type[ReportRow]:
    return StatementRow if kind == FindingKind.STATEMENT else ReportRow


def kind_of(row: Row) -> FindingKind:
    return FindingKind.STATEMENT if isinstance(row, StatementRow) else FindingKind.REPORT


# --- values on a row ------------------------------------------------------------------------------------------


def field_value(fields: dict[str, Any], name: str) -> Any:
    """A field's value as stored in a row's JSON (coordinates are stored bare, every other field as a Field)."""
    if name == "coordinates":
        return fields.get("coordinates")
    return (fields.get(name) or {}).get("value")


def machine_value(fields: dict[str, Any], name: str) -> Any:
    """What the machine said for a field: the value itself, or the one kept beside a person's."""
    pinned = ((fields.get(CURATION) or {}).get("fields") or {}).get(name)
    return pinned["machine"] if pinned is not None else field_value(fields, name)


def _set_value(row: Row, fields: dict[str, Any], name: str, value: Any) -> None:
    if name == "coordinates":
        fields["coordinates"] = value
    else:
        prior = fields.get(name) or {"start": None, "end": None}
        fields[name] = {**prior, "value": value, "confidence": 1.0, "origin": Origin.ANALYST}
    column = specs(kind_of(row)).get(name)
    if column is not None and column.column:
        setattr(row, column.column, value)


def machine_finding(row: Row) -> dict[str, Any]:
    """The machine's finding on a row (its field JSON without a person's values), for the decision to keep."""
    fields = copy.deepcopy({k: v for k, v in row.fields.items() if k != CURATION})
    for name, pinned in ((row.fields.get(CURATION) or {}).get("fields") or {}).items():
        if name == "coordinates":
            fields[name] = pinned["machine"]
        elif name in fields:
            fields[name] = {**fields[name], **pinned.get("machine_field", {"value": pinned["machine"]})}
    out: dict[str, Any] = {"fields": fields, "analyzer": row.analyzer}
    if isinstance(row, ReportRow):
        out["evidence"] = [list(e) for e in row.evidence]
    return out


def _apply(decision: FindingDecision, row: Row) -> None:
    """Write the decision's values into ``row`` (the machine's kept beside them) and mark the row with it."""
    fields = machine_finding(row)["fields"]  # from the machine's own finding, whatever was applied before
    meta: dict[str, Any] = {"decision": decision.id, "verdict": decision.verdict, "by": decision.updated_by,
                            "at": decision.updated_at, "fields": {}}
    for name, entry in decision.fields.items():
        meta["fields"][name] = {"machine": field_value(fields, name), "by": entry["by"], "at": entry["at"]}
        if name != "coordinates" and name in fields:
            meta["fields"][name]["machine_field"] = {k: fields[name].get(k) for k in ("value", "confidence",
                                                                                       "origin")}
        _set_value(row, fields, name, entry["value"])
    fields[CURATION] = meta
    row.fields = fields


# --- conflicts ------------------------------------------------------------------------------------------------


def _note_conflicts(decision: FindingDecision, row: Row, at: str) -> None:
    """Compare the machine's fresh output on ``row`` with what the person decided; record disagreements."""
    conflicts = {c["field"]: c for c in decision.conflicts or []}
    for name, entry in decision.fields.items():
        now = field_value(row.fields, name)
        if now == entry["value"]:
            conflicts.pop(name, None)  # the machine now says what the person said
        elif now != entry.get("machine"):
            known = conflicts.get(name)
            if known is None or known["machine_now"] != now:
                conflicts[name] = {"field": name, "person": entry["value"], "machine_then": entry.get("machine"),
                                   "machine_now": now, "analyzer": row.analyzer, "at": at}
    conflicts.pop(GONE, None)
    decision.conflicts = sorted(conflicts.values(), key=lambda c: c["field"])


def _note_gone(decision: FindingDecision, at: str) -> None:
    if any(c["field"] == GONE for c in decision.conflicts or []):
        return
    decision.conflicts = [*(decision.conflicts or []), {
        "field": GONE, "person": decision.verdict, "machine_then": "found", "machine_now": "not found",
        "analyzer": None, "at": at}]


# --- rows a person stands behind ------------------------------------------------------------------------------


def _next_idx(session: Session, model: type[Row], document_id: int) -> int:
    return (session.scalar(select(func.max(model.idx)).where(model.document_id == document_id)) or 0) + 1


def _person_field(value: Any, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    return {"value": value, "start": start, "end": end, "confidence": 1.0, "origin": Origin.ANALYST}


def _blank(kind: FindingKind, text: str, start: int, end: int) -> dict[str, Any]:
    """The field JSON of a finding a person marks on the text (before their values are applied)."""
    if kind == FindingKind.STATEMENT:
        return {"speaker": _person_field(None), "org": _person_field(None),
                "quote": _person_field(text[start:end], start, end), "mode": _person_field(Mode.INDIRECT),
                "said_on": _person_field(None), "stance": _person_field(Stance.REPORTS),
                "role": _person_field(None), "speaker_aliases": []}
    fields = {name: _person_field([] if name in ("targets", "weapons") else None)
              for name in REPORT_FIELDS if name != "coordinates"}
    fields.update(status=_person_field(ReportStatus.REPORTED), casualty_text=_person_field(None),
                  pattern=_person_field(False), coordinates=None)
    return fields


def _insert(session: Session, decision: FindingDecision, doc: Document) -> Row:
    """A row for a finding a person stands behind that no machine row carries (added, or lost by the machine)."""
    kind = FindingKind(decision.kind)
    model = model_of(kind)
    base = (decision.machine or {}).get("fields") or _blank(kind, doc.text, decision.span_start, decision.span_end)
    fields = copy.deepcopy(base)
    if kind == FindingKind.STATEMENT:
        row: Row = StatementRow(document_id=doc.id, idx=_next_idx(session, model, doc.id), fields=fields,
                                analyzer=PERSON, quote_start=decision.span_start, quote_end=decision.span_end)
        for name in ("speaker", "org", "stance", "said_on"):
            setattr(row, name, field_value(fields, name))
    else:
        evidence = (decision.machine or {}).get("evidence") or [[decision.span_start, decision.span_end]]
        row = ReportRow(document_id=doc.id, idx=_next_idx(session, model, doc.id), fields=fields,
                        analyzer=PERSON, evidence=evidence, incident_id=None)
        for name in ("event", "place", "date", "status"):
            setattr(row, name, field_value(fields, name))
    session.add(row)
    session.flush()
    return row


def _remove(session: Session, row: Row) -> str | None:
    """Delete a row (a rejected finding); returns the incident it leaves, if any."""
    incident = row.incident_id if isinstance(row, ReportRow) else None
    if isinstance(row, ReportRow):
        session.execute(delete(ReportKey).where(ReportKey.report_id == row.id))
    session.delete(row)
    session.flush()
    return incident


# --- re-applying after the machine wrote rows -----------------------------------------------------------------


def _candidates(rows: Iterable[Row], text: str) -> list[Candidate[Row]]:
    out = []
    for r in rows:
        a = row_anchor(r, text)
        if a is not None:
            out.append(Candidate(r, a))
    return out


def reapply(session: Session, doc_ids: Iterable[int]) -> set[str]:
    """Apply every person's decision and placement to the rows of ``doc_ids`` as they stand now.

    Called by the analysis right after it (re)writes a document's machine rows, in the same transaction, so no
    reader ever sees a machine value where a person set one. Returns the incidents whose reports changed.
    """
    touched: set[str] = set()
    ids = sorted(set(doc_ids))
    if not ids:
        return touched
    id_of = dict(session.execute(select(Document.item_sha256, Document.id).where(Document.id.in_(ids))).all())
    decisions = list(session.scalars(select(FindingDecision).where(FindingDecision.item_sha256.in_(sorted(id_of)))
                                     .order_by(FindingDecision.id)))
    placements = list(session.scalars(select(IncidentPlacement)
                                      .where(IncidentPlacement.item_sha256.in_(sorted(id_of)))))
    # Only documents someone decided on are loaded (with their text) and have their rows read: on the others
    # there is nothing to apply, and most documents of a run are such.
    decided = sorted({id_of[d.item_sha256] for d in decisions} | {id_of[p.item_sha256] for p in placements})
    docs = {d.item_sha256: d for d in session.scalars(select(Document).where(Document.id.in_(decided))
                                                      .order_by(Document.id))} if decided else {}
    now = utc_now()
    for sha, doc in docs.items():
        for kind in FindingKind:
            mine = [d for d in decisions if d.item_sha256 == sha and d.kind == kind]
            if not mine:
                continue
            model = model_of(kind)
            rows = list(session.scalars(select(model).where(model.document_id == doc.id)))
            found = match([(d.id, Anchor(d.span_start, d.span_end, d.span_sha256)) for d in mine],
                          _candidates(rows, doc.text))
            for d in mine:
                row = found.get(d.id)
                if d.verdict == Verdict.REJECTED:
                    if row is not None and (gone := _remove(session, row)):
                        touched.add(gone)
                    continue
                if row is None:
                    if d.verdict != Verdict.ADDED:
                        _note_gone(d, now)
                    row = _insert(session, d, doc)
                elif CURATION not in row.fields:  # a fresh machine row: compare before applying
                    _note_conflicts(d, row, now)
                _apply(d, row)
                if isinstance(row, ReportRow) and row.incident_id:
                    touched.add(row.incident_id)
        touched |= _reapply_placements(session, doc, [p for p in placements if p.item_sha256 == sha])
    session.flush()
    return touched


def _reapply_placements(session: Session, doc: Document, placements: list[IncidentPlacement]) -> set[str]:
    from hague.curation.incidents import current_id

    rows = list(session.scalars(select(ReportRow).where(ReportRow.document_id == doc.id)))
    found = match([(p.id, Anchor(p.span_start, p.span_end, p.span_sha256)) for p in placements],
                  _candidates(rows, doc.text))
    pinned = {found[p.id].id: current_id(session, p.incident_id) for p in placements if p.id in found}
    placed_in = set(pinned.values()) | {current_id(session, p.incident_id) for p in placements}
    touched: set[str] = set()
    for row in rows:
        target = pinned.get(row.id)
        if target is not None:
            if row.incident_id != target or row.incident_origin != Origin.ANALYST:
                touched |= {i for i in (row.incident_id, target) if i}
                row.incident_id, row.incident_origin = target, Origin.ANALYST
        elif row.incident_origin not in (None, Origin.MACHINE) and row.incident_id in placed_in:
            # kept by document and index where a person placed another report of this document (the reports
            # were read with other indexes): the machine places this one
            touched.add(row.incident_id)
            row.incident_id, row.incident_origin = None, None
    return touched


# --- a person's acts ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """A finding's row and where it stands."""

    row: Row
    doc: Document
    anchor: Anchor


def locate(session: Session, kind: FindingKind | str, row_id: int) -> Located:
    kind = FindingKind(kind)
    row = session.get(model_of(kind), row_id)
    if row is None:
        raise NotFound(kind, str(row_id), f"see `hague {kind}s`")
    doc = session.get(Document, row.document_id)
    assert doc is not None
    anchor = row_anchor(row, doc.text)
    if anchor is None:
        raise Refused(f"{kind} {row_id} has no evidence span, so a decision on it could not be kept")
    return Located(row, doc, anchor)


def decision_of(session: Session, kind: FindingKind | str, item: str, anchor: Anchor,
                row: Row | None = None) -> FindingDecision | None:
    """The decision a row is under (named on the row), else the one on the same span."""
    if row is not None and (did := (row.fields.get(CURATION) or {}).get("decision")):
        found = session.get(FindingDecision, did)
        if found is not None:
            return found
    return session.scalars(select(FindingDecision).where(
        FindingDecision.kind == kind, FindingDecision.item_sha256 == item,
        FindingDecision.span_start == anchor.start, FindingDecision.span_end == anchor.end)).first()


def _entry(value: Any, machine: Any, actor: str, at: str) -> dict[str, Any]:
    return {"value": value, "machine": machine, "by": actor, "at": at}


def decide(session: Session, actor: str, kind: FindingKind | str, row_id: int, verdict: Verdict,
           changes: dict[str, Any] | None = None) -> tuple[FindingDecision, Located, set[str]]:
    """Accept, correct or reject one machine finding (``changes``: field -> value, already checked).

    Accepting pins every field at its present value (a person's correction kept); correcting pins only the
    fields changed; rejecting removes the finding, now and after every re-analysis. Returns the decision, where
    it stands and the incidents whose reports changed.
    """
    kind = FindingKind(kind)
    at = locate(session, kind, row_id)
    row, now = at.row, utc_now()
    changes = {n: v for n, v in (changes or {}).items() if v != field_value(row.fields, n)}  # what differs
    decision = decision_of(session, kind, at.doc.item_sha256, at.anchor, row)
    if decision is not None and decision.verdict == Verdict.REJECTED:
        raise Refused(f"{kind} {row_id} was rejected; undo that decision first")
    if decision is None:
        decision = FindingDecision(kind=kind, item_sha256=at.doc.item_sha256, span_start=at.anchor.start,
                                   span_end=at.anchor.end, span_sha256=at.anchor.sha256, verdict=verdict,
                                   fields={}, machine=machine_finding(row), conflicts=[], created_by=actor,
                                   created_at=now, updated_by=actor, updated_at=now)
        session.add(decision)
        session.flush()
    pinned = dict(decision.fields)
    for name, value in (changes or {}).items():
        pinned[name] = _entry(value, machine_value(row.fields, name), actor, now)
    if verdict == Verdict.ACCEPTED:
        for name in specs(kind):
            if name not in pinned:
                pinned[name] = _entry(field_value(row.fields, name), machine_value(row.fields, name), actor, now)
    if verdict == Verdict.CORRECTED and not changes:
        raise InvalidInput("nothing to correct: give a field a value other than the one it has")
    if decision.verdict == Verdict.ADDED or (decision.verdict == Verdict.ACCEPTED and verdict == Verdict.CORRECTED):
        verdict = Verdict(decision.verdict)  # correcting an accepted or added finding keeps its verdict
    decision.verdict, decision.fields = verdict, pinned
    decision.updated_by, decision.updated_at = actor, now
    touched = {row.incident_id} if isinstance(row, ReportRow) and row.incident_id else set()
    if verdict == Verdict.REJECTED:
        decision.fields = {}
        _remove(session, row)
    else:
        _apply(decision, row)
    session.flush()
    return decision, at, touched


def add(session: Session, actor: str, kind: FindingKind | str, doc: Document, start: int, end: int,
        values: dict[str, Any]) -> tuple[FindingDecision, Row]:
    """A finding the machine missed, marked by a person on the document's text, with its values."""
    kind = FindingKind(kind)
    if not (0 <= start < end <= len(doc.text)):
        raise InvalidInput(f"the span {start}-{end} is not inside the document's {len(doc.text)} characters")
    if not doc.text[start:end].strip():
        raise InvalidInput("the selected text is empty")
    if kind == FindingKind.STATEMENT and not values.get("speaker"):
        raise InvalidInput("a statement needs its speaker")
    anchor = anchor_at(doc.text, start, end)
    if decision_of(session, kind, doc.item_sha256, anchor) is not None:
        raise Refused(f"a person already decided on the {kind} at {start}-{end}; correct that one")
    now = utc_now()
    decision = FindingDecision(kind=kind, item_sha256=doc.item_sha256, span_start=start, span_end=end,
                               span_sha256=anchor.sha256, verdict=Verdict.ADDED,
                               fields={name: _entry(v, None, actor, now) for name, v in values.items()},
                               machine=None, conflicts=[], created_by=actor, created_at=now, updated_by=actor,
                               updated_at=now)
    session.add(decision)
    session.flush()
    row = _insert(session, decision, doc)
    _apply(decision, row)
    session.flush()
    return decision, row


def undo(session: Session, decision: FindingDecision) -> set[str]:
    """Withdraw a decision: the machine's finding as it was (a rejected one comes back, an added one goes)."""
    doc = session.scalars(select(Document).where(Document.item_sha256 == decision.item_sha256)).one()
    model = model_of(decision.kind)
    rows = [r for r in session.scalars(select(model).where(model.document_id == doc.id))
            if (r.fields.get(CURATION) or {}).get("decision") == decision.id]
    touched: set[str] = set()
    for row in rows:
        if isinstance(row, ReportRow) and row.incident_id:
            touched.add(row.incident_id)
        if decision.verdict == Verdict.ADDED or row.analyzer == PERSON:
            _remove(session, row)
        else:
            _restore_machine(row)
    if decision.verdict == Verdict.REJECTED and decision.machine:
        row = _insert(session, decision, doc)
        row.analyzer = decision.machine.get("analyzer", row.analyzer)
    session.delete(decision)
    session.flush()
    return touched


def _restore_machine(row: Row) -> None:
    machine = machine_finding(row)["fields"]
    row.fields = machine
    for spec in specs(kind_of(row)).values():
        if spec.column:
            setattr(row, spec.column, field_value(machine, spec.name))


def resolve_conflict(session: Session, decision: FindingDecision, field: str, take_machine: bool,
                     actor: str) -> dict[str, Any]:
    """Settle one conflict: keep the person's value (the machine's new one noted) or take the machine's."""
    conflict = next((c for c in decision.conflicts or [] if c["field"] == field), None)
    if conflict is None:
        raise NotFound("conflict", field, "see `hague curate conflicts`")
    now = utc_now()
    fields = dict(decision.fields)
    if field == GONE:
        if take_machine:
            undo(session, decision)
            return conflict
    elif take_machine:
        fields[field] = _entry(conflict["machine_now"], conflict["machine_now"], actor, now)
    else:
        fields[field] = {**fields[field], "machine": conflict["machine_now"]}
    decision.fields = fields
    decision.conflicts = [c for c in decision.conflicts if c["field"] != field]
    decision.updated_by, decision.updated_at = actor, now
    doc = session.scalars(select(Document).where(Document.item_sha256 == decision.item_sha256)).one()
    model = model_of(decision.kind)
    for row in session.scalars(select(model).where(model.document_id == doc.id)):
        if (row.fields.get(CURATION) or {}).get("decision") == decision.id:
            _apply(decision, row)
    session.flush()
    return conflict


def describe_anchor(session: Session, decision: FindingDecision) -> dict[str, Any]:
    doc = session.scalars(select(Document).where(Document.item_sha256 == decision.item_sha256)).first()
    quote = doc.text[decision.span_start:decision.span_end] if doc else None
    return {"document": doc_key(doc) if doc else None, "item": decision.item_sha256, "start": decision.span_start,
            "end": decision.span_end, "text": quote}

