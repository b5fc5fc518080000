"""A person's decisions on incidents: move a report, split, merge, correct a merged field, decide a proposal.

Every report a person moves (and every report of the incidents a merge or split involves) is pinned: its row
says ``incident_origin = analyst`` (the analysis never moves it) and an anchored :class:`IncidentPlacement`
puts it back in its incident when its document is read again, whatever row id or index it gets. A merged
incident leaves an alias, so references to it lead to the incident it became. A corrected incident field is
kept in :class:`IncidentCorrection` and written over the machine's merged value every time the machine
recomputes the incident (:func:`apply_corrections`), with the machine's value kept beside it; when the machine's
value changes afterwards, the correction shows a conflict for a person to resolve.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from hague.corroboration import incidents as clustering
from hague.corroboration.incidents import ReportRef
from hague.corroboration.sources import LinkIndex
from hague.curation.anchors import row_anchor
from hague.errors import InvalidInput, NotFound, Refused
from hague.findings import doc_key, parse_day, report_of
from hague.model import (
    AssessmentRow,
    CaseShare,
    Document,
    IncidentAlias,
    IncidentAssignment,
    IncidentComment,
    IncidentCorrection,
    IncidentLawFeatures,
    IncidentPlacement,
    IncidentProposal,
    IncidentRow,
    ReportRow,
    ReviewRow,
)
from hague.timestamps import utc_now
from hague.vocab import Origin, ProposalState

_COLUMNS = ("event", "country", "date", "place", "status")  # IncidentRow columns that mirror a merged field


def current_id(session: Session, incident_id: str) -> str:
    """The incident an id names now: itself, or the incident it was merged into (following merges)."""
    seen = {incident_id}
    while (alias := session.get(IncidentAlias, incident_id)) is not None:
        incident_id = alias.new_id
        if incident_id in seen:
            break
        seen.add(incident_id)
    return incident_id


def _incident(session: Session, incident_id: str) -> IncidentRow:
    row = session.get(IncidentRow, current_id(session, incident_id))
    if row is None:
        raise NotFound("incident", incident_id, "see `hague incidents`")
    return row


def _pin(session: Session, actor: str, row: ReportRow, doc: Document, target: str, at: str) -> None:
    anchor = row_anchor(row, doc.text)
    if anchor is None:
        raise Refused(f"report {row.id} has no evidence span, so its place could not be kept")
    placed = session.scalars(select(IncidentPlacement).where(
        IncidentPlacement.item_sha256 == doc.item_sha256, IncidentPlacement.span_start == anchor.start,
        IncidentPlacement.span_end == anchor.end)).first()
    if placed is None:
        session.add(IncidentPlacement(item_sha256=doc.item_sha256, span_start=anchor.start, span_end=anchor.end,
                                      span_sha256=anchor.sha256, incident_id=target, placed_by=actor,
                                      placed_at=at))
    else:
        placed.incident_id, placed.placed_by, placed.placed_at = target, actor, at
    row.incident_id, row.incident_origin = target, Origin.ANALYST


def _reports(session: Session, report_ids: Iterable[int]) -> list[tuple[ReportRow, Document]]:
    ids = sorted(set(report_ids))
    rows = list(session.execute(select(ReportRow, Document).join(Document, Document.id == ReportRow.document_id)
                                .where(ReportRow.id.in_(ids))))
    missing = set(ids) - {r.id for r, _ in rows}
    if missing:
        raise NotFound("report", ", ".join(map(str, sorted(missing))), "see `hague reports`")
    return [(r, d) for r, d in rows]


def _members(session: Session, incident_id: str) -> list[tuple[ReportRow, Document]]:
    return [(r, d) for r, d in session.execute(
        select(ReportRow, Document).join(Document, Document.id == ReportRow.document_id)
        .where(ReportRow.incident_id == incident_id).order_by(Document.id, ReportRow.idx))]


def _new_incident(session: Session, rows: Sequence[tuple[ReportRow, Document]]) -> IncidentRow:
    """An incident for reports a person split out, named as the machine names one (readable, never reused)."""
    refs = [ReportRef(doc_key(d), r.idx, report_of(r), parse_day(d.published), d.outlet, d.text) for r, d in rows]
    made = clustering.incident_of(refs, LinkIndex(), (), {})
    taken = set(session.scalars(select(IncidentRow.id))) | set(session.scalars(select(IncidentAlias.old_id)))
    row = IncidentRow(id=clustering.incident_id(made, taken), status=made.status, independent_count=0,
                      data=made.to_json())
    row.data["id"] = row.id
    session.add(row)
    session.flush()
    return row


@dataclass
class Placed:
    """What a move, split or merge did: the incident the reports went to, and every incident it changed."""

    target: str
    moved: list[int]
    touched: set[str] = field(default_factory=set)
    created: bool = False
    merged: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"incident": self.target, "reports": self.moved, "created": self.created, "merged": self.merged,
                "touched": sorted(self.touched)}


def move(session: Session, actor: str, report_ids: Sequence[int], target: str | None) -> Placed:
    """Put reports into ``target`` (an existing incident), or into a new incident when ``target`` is None."""
    if not report_ids:
        raise InvalidInput("name at least one report to move")
    rows = _reports(session, report_ids)
    at = utc_now()
    if target is None:
        incident, created = _new_incident(session, rows), True
    else:
        incident, created = _incident(session, target), False
    placed = Placed(incident.id, [r.id for r, _ in rows], {incident.id}, created)
    for row, doc in rows:
        if row.incident_id:
            placed.touched.add(row.incident_id)
        _pin(session, actor, row, doc, incident.id, at)
    session.flush()
    return placed


def split(session: Session, actor: str, incident: str, report_ids: Sequence[int]) -> Placed:
    """Move some of an incident's reports out into a new incident; the rest stay, pinned where they are."""
    row = _incident(session, incident)
    members = _members(session, row.id)
    ids = {r.id for r, _ in members}
    outside = sorted(set(report_ids) - ids)
    if outside:
        raise InvalidInput(f"reports {', '.join(map(str, outside))} are not in {row.id}")
    if not report_ids or set(report_ids) == ids:
        raise InvalidInput("a split moves some of the incident's reports out, not none and not all")
    at = utc_now()
    for r, d in members:
        if r.id not in report_ids:
            _pin(session, actor, r, d, row.id, at)
    placed = move(session, actor, report_ids, None)
    placed.touched.add(row.id)
    return placed


def merge(session: Session, actor: str, keep: str, others: Sequence[str]) -> Placed:
    """Merge ``others`` into ``keep``: every report pinned there, the others gone with an alias each.

    Comments, assignments and partner shares of the others follow into ``keep``; their own review and
    checklists go (the merged incident is reviewed as one; its evidence changed, so its decisions are stale);
    corrections of ``keep`` stay, those of the others are dropped (they are in the ledger entry).
    """
    kept = _incident(session, keep)
    gone = [_incident(session, o) for o in others]
    if not gone or any(g.id == kept.id for g in gone) or len({g.id for g in gone}) != len(gone):
        raise InvalidInput("merge names one incident to keep and one or more other incidents")
    at = utc_now()
    placed = Placed(kept.id, [], {kept.id}, merged=[g.id for g in gone])
    for incident in [kept, *gone]:
        for r, d in _members(session, incident.id):
            _pin(session, actor, r, d, kept.id, at)
            placed.moved.append(r.id)
    for g in gone:
        _retire(session, actor, g, kept.id, at)
    session.flush()
    return placed


def _retire(session: Session, actor: str, gone: IncidentRow, into: str, at: str) -> None:
    """An incident merged into ``into``: references follow, its own review goes, an alias remains."""
    session.execute(update(IncidentPlacement).where(IncidentPlacement.incident_id == gone.id)
                    .values(incident_id=into))
    session.execute(update(IncidentAlias).where(IncidentAlias.new_id == gone.id).values(new_id=into))
    session.execute(update(IncidentComment).where(IncidentComment.incident_id == gone.id).values(incident_id=into))
    for a in session.scalars(select(IncidentAssignment).where(IncidentAssignment.incident_id == gone.id)):
        if session.get(IncidentAssignment, (a.case_id, into)) is None:
            session.add(IncidentAssignment(case_id=a.case_id, incident_id=into, assignee=a.assignee,
                                           assigned_by=a.assigned_by, assigned_at=a.assigned_at))
        session.delete(a)
    for share in session.scalars(select(CaseShare).where(CaseShare.kind == "incident", CaseShare.ref == gone.id)):
        if session.get(CaseShare, (share.case_id, share.kind, into)) is None:
            session.add(CaseShare(case_id=share.case_id, kind=share.kind, ref=into, shared_at=at, shared_by=actor))
        session.delete(share)
    for p in session.scalars(select(IncidentProposal).where(IncidentProposal.state == ProposalState.OPEN)):
        if gone.id in p.incidents:
            pair = sorted({into if i == gone.id else i for i in p.incidents})
            if len(pair) < 2:
                p.state, p.decided_by, p.decided_at = ProposalState.ACCEPTED, actor, at
            else:
                p.incidents = pair
    session.execute(delete(IncidentCorrection).where(IncidentCorrection.incident_id == gone.id))
    session.execute(delete(AssessmentRow).where(AssessmentRow.incident_id == gone.id))
    session.execute(delete(IncidentLawFeatures).where(IncidentLawFeatures.incident_id == gone.id))
    session.execute(delete(ReviewRow).where(ReviewRow.incident_id == gone.id))
    session.flush()
    session.delete(gone)
    session.add(IncidentAlias(old_id=gone.id, new_id=into, merged_by=actor, merged_at=at))


# --- proposals ------------------------------------------------------------------------------------------------


def decide_proposal(session: Session, actor: str, proposal_id: int, accept: bool) -> tuple[IncidentProposal,
                                                                                            Placed | None]:
    """Accept (merge the incidents) or refuse (never proposed again) one of the machine's merge proposals."""
    p = session.get(IncidentProposal, proposal_id)
    if p is None:
        raise NotFound("proposal", str(proposal_id), "see `hague curate proposals`")
    if p.state != ProposalState.OPEN:
        raise Refused(f"proposal {proposal_id} was already {p.state} by {p.decided_by}")
    placed = None
    if accept:
        keep, *others = [current_id(session, i) for i in p.incidents]
        others = [o for o in others if o != keep]
        if others:
            placed = merge(session, actor, keep, others)
    p.state = ProposalState.ACCEPTED if accept else ProposalState.REJECTED
    p.decided_by, p.decided_at = actor, utc_now()
    session.flush()
    return p, placed


# --- corrected incident fields ------------------------------------------------------------------------------


def correct(session: Session, actor: str, incident: str, changes: dict[str, Any]) -> IncidentRow:
    """Set merged fields of an incident (values already checked against :data:`INCIDENT_FIELDS`)."""
    row = _incident(session, incident)
    fields = (row.data or {}).get("fields") or {}
    changes = {n: v for n, v in changes.items() if v != (fields.get(n) or {}).get("value")}  # what differs
    if not changes:
        raise InvalidInput("nothing to correct: give a field a value other than the one it has")
    at = utc_now()
    for name, value in changes.items():
        machine = machine_value(row, name)
        found = session.get(IncidentCorrection, (row.id, name))
        if found is None:
            session.add(IncidentCorrection(incident_id=row.id, field=name, value=value, machine=machine,
                                           conflict=None, set_by=actor, set_at=at))
        else:
            found.value, found.conflict, found.set_by, found.set_at = value, None, actor, at
    session.flush()
    apply_corrections(session, [row])
    return row


def uncorrect(session: Session, incident: str, name: str) -> IncidentRow:
    """Withdraw a person's value for one field: the machine's merged value again."""
    row = _incident(session, incident)
    found = session.get(IncidentCorrection, (row.id, name))
    if found is None:
        raise NotFound("correction", f"{row.id} {name}", "see `hague curate show INCIDENT`")
    machine = machine_value(row, name)
    session.delete(found)
    data = copy.deepcopy(row.data)
    entry = (data.get("fields") or {}).get(name)
    if entry is not None:
        data["fields"][name] = {k: v for k, v in entry.items() if k not in ("origin", "machine", "by", "at")}
        data["fields"][name]["value"] = machine
    row.data = data
    _mirror(row, name, machine)
    session.flush()
    return row


def machine_value(row: IncidentRow, name: str) -> Any:
    """What the machine merged for a field (the value itself, or the one kept beside a person's)."""
    entry = ((row.data or {}).get("fields") or {}).get(name) or {}
    return entry["machine"] if entry.get("origin") == Origin.ANALYST else entry.get("value")


def _mirror(row: IncidentRow, name: str, value: Any) -> None:
    """Keep the row's columns in step with a field (listings and the map read the columns)."""
    if name in _COLUMNS and hasattr(IncidentRow, name):
        setattr(row, name, value if name == "status" or isinstance(value, str) else None)
    if name == "coordinates" and hasattr(IncidentRow, "lat"):
        row.lat, row.lon = (value[0], value[1]) if value else (None, None)  # type: ignore[attr-defined]


def apply_corrections(session: Session, rows: Iterable[IncidentRow]) -> None:
    """Write each incident's corrected fields over the machine's merged values (kept beside them).

    Called whenever the machine has recomputed an incident; a machine value that changed since the person
    corrected the field is recorded as the correction's conflict.
    """
    rows = list(rows)
    if not rows:
        return
    found: dict[str, list[IncidentCorrection]] = {}
    for c in session.scalars(select(IncidentCorrection).where(
            IncidentCorrection.incident_id.in_([r.id for r in rows]))):
        found.setdefault(c.incident_id, []).append(c)
    now = utc_now()
    for row in rows:
        corrections = found.get(row.id)
        if not corrections:
            continue
        data = copy.deepcopy(row.data or {})
        fields = data.setdefault("fields", {})
        for c in corrections:
            entry = fields.get(c.field) or {"values": [], "disputed": False}
            machine_now = entry["machine"] if entry.get("origin") == Origin.ANALYST else entry.get("value")
            if machine_now == c.value:
                c.conflict = None
            elif machine_now != c.machine and (c.conflict or {}).get("machine_now") != machine_now:
                c.conflict = {"machine_now": machine_now, "at": now}
            fields[c.field] = {**entry, "value": c.value, "origin": Origin.ANALYST, "machine": machine_now,
                               "by": c.set_by, "at": c.set_at}
            if c.field == "status":
                row.status = c.value
            _mirror(row, c.field, c.value)
        row.data = data


def corrections_of(session: Session, incident_id: str) -> list[IncidentCorrection]:
    return list(session.scalars(select(IncidentCorrection).where(IncidentCorrection.incident_id == incident_id)
                                .order_by(IncidentCorrection.field)))


def resolve_correction(session: Session, actor: str, incident: str, name: str, take_machine: bool) -> IncidentRow:
    """Settle a conflict on a corrected incident field: keep the person's value, or take the machine's."""
    row = _incident(session, incident)
    found = session.get(IncidentCorrection, (row.id, name))
    if found is None or found.conflict is None:
        raise NotFound("conflict", f"{row.id} {name}", "see `hague curate conflicts`")
    if take_machine:
        return uncorrect(session, row.id, name)
    found.machine, found.conflict, found.set_by, found.set_at = found.conflict["machine_now"], None, actor, utc_now()
    session.flush()
    return row

