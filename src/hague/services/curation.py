"""People correct the machine: every act of curation as one function taking the account that acts.

Findings: :func:`accept`, :func:`reject`, :func:`correct` a statement or report, :func:`add` one the machine
missed, :func:`undo` a decision. Incidents: :func:`move`, :func:`split`, :func:`merge`, :func:`correct_incident`,
:func:`uncorrect_incident`, the machine's merge proposals (:func:`list_proposals`, :func:`decide_proposal`).
Disagreements between a person and a later analysis: :func:`list_conflicts`, :func:`resolve`.

Every act takes a :class:`~hague.team.acting.Member` (a signed-in account in a case: analysts and leads
curate), works only on what the case holds, is one write transaction with its custody-ledger entry under the
account's name, then recomputes the incidents it changed (merged facts, independent sources, checklists) and
signs the ledger's head. Decisions are keyed by evidence, so they survive every re-analysis
(:mod:`hague.curation`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague import resolve as refs
from hague.analysis.settle import settle
from hague.assessments import ReviewStanding, review_standing
from hague.curation import findings, incidents
from hague.curation.fields import INCIDENT_FIELDS, parse_changes, specs
from hague.curation.findings import Located
from hague.errors import NotFound
from hague.evidence import ledger
from hague.law.review import allowed_transitions
from hague.model import Document, FindingDecision, IncidentCorrection, IncidentProposal, ReportRow
from hague.services.common import DEFAULT_LIMIT, Page, check_window
from hague.team.acting import Member
from hague.team.roles import EDITORS
from hague.team.scope import Scope
from hague.vocab import Action, FindingKind, ProposalState, Verdict
from hague.workspace import Workspace

__all__ = ["Curated", "DecisionRecord", "ProposalRecord", "accept", "add", "correct", "correct_incident",
           "decide_proposal", "list_conflicts", "list_decisions", "list_proposals", "merge", "move", "reject",
           "resolve", "split", "uncorrect_incident", "undo"]


@dataclass(frozen=True)
class DecisionRecord:
    """A person's decision on a finding, with where it stands, the machine's finding and open conflicts."""

    id: int
    kind: str
    verdict: str
    anchor: dict[str, Any]
    fields: dict[str, Any]
    machine: dict[str, Any] | None
    conflicts: list[dict[str, Any]]
    created_by: str
    created_at: str
    updated_by: str
    updated_at: str

    @classmethod
    def of(cls, session: Session, d: FindingDecision) -> DecisionRecord:
        return cls(d.id, d.kind, d.verdict, findings.describe_anchor(session, d), dict(d.fields), d.machine,
                   list(d.conflicts or []), d.created_by, d.created_at, d.updated_by, d.updated_at)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Curated:
    """What one act of curation did, and the signed head after it."""

    act: str
    details: dict[str, Any]
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"act": self.act, **self.details, "tree_head": self.tree_head}


# --- what the case holds ----------------------------------------------------------------------------------------


def _refresh(ws: Workspace, actor: str, incident_ids: Iterable[str | None]) -> None:
    """Recompute the incidents an act changed: merged facts (a person's corrections over them), independent
    sources, checklists; the same steps an analysis takes for the incidents it touches."""
    ids = {i for i in incident_ids if i}
    if ids:
        settle(ws, actor, ids, parallel=False)  # a person's act: in this process, as it waits for it


def _finish(ws: Workspace, who: Member, act: str, details: dict[str, Any], touched: Iterable[str | None]) -> Curated:
    _refresh(ws, who.name, touched)
    return Curated(act, details, ws.seal().to_json())


# --- findings ---------------------------------------------------------------------------------------------------


def _record_finding(s: Session, who: Member, decision: FindingDecision, at: Located | None,
                    changes: dict[str, Any], verdict: str) -> dict[str, Any]:
    anchor = findings.describe_anchor(s, decision)
    details = {"case": who.case, "kind": decision.kind, "verdict": verdict, "decision": decision.id,
               "anchor": {k: anchor[k] for k in ("item", "start", "end")}, "span_sha256": decision.span_sha256,
               "changes": {name: {"machine": decision.fields.get(name, {}).get("machine"), "value": value}
                           for name, value in changes.items()}}
    if at is not None:
        details["row"] = at.row.id
    ledger.append(s, who.name, Action.CURATE_FINDING, [decision.item_sha256], details)
    return details


def _decide(ws: Workspace, who: Member, kind: str, ref: int, verdict: Verdict,
            changes: dict[str, Any] | None = None) -> Curated:
    who.require(EDITORS, f"{verdict.removesuffix('ed')} a {kind}")
    kind = FindingKind(kind)
    checked = parse_changes(specs(kind), changes or {})
    with ws.write() as s:
        at = findings.locate(s, kind, ref)
        who.document(s, at.doc.id)
        checked = {n: v for n, v in checked.items() if v != findings.field_value(at.row.fields, n)}
        decision, at, touched = findings.decide(s, who.name, kind, ref, verdict, checked)
        details = _record_finding(s, who, decision, at, checked, verdict)
    return _finish(ws, who, str(verdict), details, touched)


def accept(ws: Workspace, who: Member, kind: str, ref: int, changes: dict[str, Any] | None = None) -> Curated:
    """Accept a statement or report as read (with ``changes``, as corrected): every field pinned."""
    return _decide(ws, who, kind, ref, Verdict.ACCEPTED, changes)


def reject(ws: Workspace, who: Member, kind: str, ref: int) -> Curated:
    """Reject a statement or report: it is removed, now and after every re-analysis."""
    return _decide(ws, who, kind, ref, Verdict.REJECTED)


def correct(ws: Workspace, who: Member, kind: str, ref: int, changes: dict[str, Any]) -> Curated:
    """Set fields of a statement or report (``changes``: field -> value, as text or typed); the machine's values
    are kept beside the person's."""
    return _decide(ws, who, kind, ref, Verdict.CORRECTED, changes)


def add(ws: Workspace, who: Member, kind: str, document: str, start: int, end: int,
        values: dict[str, Any], incident: str | None = None) -> Curated:
    """A statement or report the machine missed: the text span a person selected, with its fields. An added
    report goes into ``incident`` when named, else into a new incident of its own."""
    who.require(EDITORS, f"add a {kind}")
    kind = FindingKind(kind)
    checked = parse_changes(specs(kind), values)
    with ws.write() as s:
        doc = refs.document(s, document)
        who.document(s, doc.id)
        target = who.incident(s, incident) if incident else None
        decision, row = findings.add(s, who.name, kind, doc, start, end, checked)
        details = _record_finding(s, who, decision, None, checked, Verdict.ADDED)
        details["row"] = row.id
        touched: set[str] = set()
        if isinstance(row, ReportRow):
            placed = incidents.move(s, who.name, [row.id], target)
            details["incident"] = placed.target
            touched |= placed.touched
    return _finish(ws, who, "add", details, touched)


def undo(ws: Workspace, who: Member, decision_id: int) -> Curated:
    """Withdraw a decision on a finding: the machine's finding as it stands (a rejected one comes back)."""
    who.require(EDITORS, "undo a decision")
    with ws.write() as s:
        decision = _decision(s, who, decision_id)
        details = {"case": who.case, "decision": decision.id, "kind": decision.kind, "verdict": decision.verdict,
                   "anchor": findings.describe_anchor(s, decision), "fields": decision.fields}
        details["anchor"].pop("text", None)
        item = decision.item_sha256
        touched = findings.undo(s, decision)
        ledger.append(s, who.name, Action.CURATE_UNDO, [item], details)
    return _finish(ws, who, "undo", details, touched)


def _decision(s: Session, who: Member, decision_id: int) -> FindingDecision:
    decision = s.get(FindingDecision, decision_id)
    doc = s.scalars(select(Document).where(Document.item_sha256 == decision.item_sha256)).first() \
        if decision else None
    if decision is None or doc is None:
        raise NotFound("decision", str(decision_id), "see `hague curate decisions`")
    who.document(s, doc.id)
    return decision


def list_decisions(ws: Workspace, who: Member, *, conflicts_only: bool = False, limit: int = DEFAULT_LIMIT,
                   offset: int = 0) -> Page[DecisionRecord]:
    """A case's decisions on findings, newest first (``conflicts_only``: those a later analysis disputes)."""
    check_window(limit, offset)
    with ws.read() as s:
        q = (select(FindingDecision).where(FindingDecision.item_sha256.in_(who.scope.items()))
             .order_by(FindingDecision.updated_at.desc(), FindingDecision.id.desc()))
        rows = [d for d in s.scalars(q) if not conflicts_only or d.conflicts]
        return Page([DecisionRecord.of(s, d) for d in rows[offset:offset + limit]], len(rows), limit, offset)


# --- incidents --------------------------------------------------------------------------------------------------


def _placed(s: Session, who: Member, report_ids: Sequence[int]) -> None:
    for rid in report_ids:
        row = s.get(ReportRow, rid)
        if row is None:
            raise NotFound("report", str(rid), "see `hague reports`")
        who.document(s, row.document_id)


def _record_placement(s: Session, who: Member, act: str, placed: incidents.Placed) -> dict[str, Any]:
    details = {"case": who.case, "act": act, **placed.to_json()}
    items = sorted(set(s.scalars(select(Document.item_sha256).join(ReportRow, ReportRow.document_id == Document.id)
                                 .where(ReportRow.id.in_(placed.moved)))))
    action = Action.INCIDENT_MERGE if act == "merge" else Action.INCIDENT_PLACE
    ledger.append(s, who.name, action, items, details)
    return details


def move(ws: Workspace, who: Member, reports: Sequence[int], incident: str | None) -> Curated:
    """Move reports into an incident of the case (or, with ``incident`` None, into a new one)."""
    who.require(EDITORS, "move reports")
    with ws.write() as s:
        _placed(s, who, reports)
        target = who.incident(s, incident) if incident else None
        placed = incidents.move(s, who.name, list(reports), target)
        details = _record_placement(s, who, "move", placed)
    return _finish(ws, who, "move", details, placed.touched)


def split(ws: Workspace, who: Member, incident: str, reports: Sequence[int]) -> Curated:
    """Split an incident: the named reports go to a new incident, the others stay (both pinned)."""
    who.require(EDITORS, "split an incident")
    with ws.write() as s:
        incident_id = who.incident(s, incident)
        placed = incidents.split(s, who.name, incident_id, list(reports))
        details = _record_placement(s, who, "split", placed)
    return _finish(ws, who, "split", details, placed.touched)


def merge(ws: Workspace, who: Member, keep: str, others: Sequence[str]) -> Curated:
    """Merge incidents into ``keep``; the others' ids lead to it from now on."""
    who.require(EDITORS, "merge incidents")
    with ws.write() as s:
        kept = who.incident(s, keep)
        gone = [who.incident(s, o) for o in others]
        placed = incidents.merge(s, who.name, kept, gone)
        details = _record_placement(s, who, "merge", placed)
    return _finish(ws, who, "merge", details, placed.touched)


def correct_incident(ws: Workspace, who: Member, incident: str, changes: dict[str, Any]) -> Curated:
    """Set merged fields of an incident (date, place and its point on the map, status ...); the machine's merged
    value is kept beside each."""
    who.require(EDITORS, "correct an incident")
    checked = parse_changes(INCIDENT_FIELDS, changes)
    with ws.write() as s:
        incident_id = who.incident(s, incident)
        row = refs.incident(s, incident_id)
        now = (row.data or {}).get("fields") or {}
        checked = {n: v for n, v in checked.items() if v != (now.get(n) or {}).get("value")}
        before = {name: incidents.machine_value(row, name) for name in checked}
        incidents.correct(s, who.name, incident_id, checked)
        details = {"case": who.case, "incident": incident_id,
                   "changes": {n: {"machine": before[n], "value": v} for n, v in checked.items()}}
        ledger.append(s, who.name, Action.INCIDENT_CORRECT, _items_of(s, incident_id), details)
    return _finish(ws, who, "correct_incident", details, [incident_id])


def uncorrect_incident(ws: Workspace, who: Member, incident: str, field: str) -> Curated:
    """Withdraw a person's value of an incident field: the machine's merged value again."""
    who.require(EDITORS, "correct an incident")
    with ws.write() as s:
        incident_id = who.incident(s, incident)
        incidents.uncorrect(s, incident_id, field)
        details = {"case": who.case, "incident": incident_id, "cleared": field}
        ledger.append(s, who.name, Action.INCIDENT_CORRECT, _items_of(s, incident_id), details)
    return _finish(ws, who, "uncorrect_incident", details, [incident_id])


def _items_of(s: Session, incident_id: str) -> list[str]:
    return sorted(set(s.scalars(select(Document.item_sha256).join(ReportRow, ReportRow.document_id == Document.id)
                                .where(ReportRow.incident_id == incident_id))))


@dataclass(frozen=True)
class CorrectionRecord:
    incident: str
    field: str
    value: Any
    machine: Any
    conflict: dict[str, Any] | None
    set_by: str
    set_at: str

    @classmethod
    def of(cls, c: IncidentCorrection) -> CorrectionRecord:
        return cls(c.incident_id, c.field, c.value, c.machine, c.conflict, c.set_by, c.set_at)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def incident_corrections(ws: Workspace, who: Member, incident: str) -> list[CorrectionRecord]:
    with ws.read() as s:
        incident_id = who.incident(s, incident)
        return [CorrectionRecord.of(c) for c in incidents.corrections_of(s, incident_id)]


# --- the machine's proposals ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalRecord:
    id: int
    kind: str
    incidents: list[str]
    score: float
    reason: str
    state: str
    proposed_at: str
    decided_by: str | None
    decided_at: str | None

    @classmethod
    def of(cls, p: IncidentProposal) -> ProposalRecord:
        return cls(p.id, p.kind, list(p.incidents), p.score, p.reason, p.state, p.proposed_at, p.decided_by,
                   p.decided_at)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_proposals(ws: Workspace, who: Member, *, state: str | None = ProposalState.OPEN,
                   limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[ProposalRecord]:
    """The machine's merge proposals about incidents of the case (open ones by default), newest first."""
    check_window(limit, offset)
    with ws.read() as s:
        visible = set(s.scalars(who.scope.incidents()))
        q = select(IncidentProposal).order_by(IncidentProposal.id.desc())
        if state:
            q = q.where(IncidentProposal.state == state)
        rows = [p for p in s.scalars(q) if all(i in visible for i in p.incidents)]
        return Page([ProposalRecord.of(p) for p in rows[offset:offset + limit]], len(rows), limit, offset)


def decide_proposal(ws: Workspace, who: Member, proposal: int, accept: bool) -> Curated:
    """Accept (merge the incidents) or refuse (never proposed again) one of the machine's merge proposals."""
    who.require(EDITORS, "decide a merge proposal")
    with ws.write() as s:
        p = s.get(IncidentProposal, proposal)
        if p is None:
            raise NotFound("proposal", str(proposal), "see `hague curate proposals`")
        for i in p.incidents:
            who.incident(s, i)
        p, placed = incidents.decide_proposal(s, who.name, proposal, accept)
        details = {"case": who.case, "proposal": p.id, "incidents": list(p.incidents), "state": p.state,
                   "merged": placed.to_json() if placed else None}
        ledger.append(s, who.name, Action.INCIDENT_PROPOSAL, [], details)
    return _finish(ws, who, "proposal", details, placed.touched if placed else ())


# --- conflicts --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictRecord:
    """A person's value that a later analysis disagrees with, waiting for a person to resolve it."""

    target: str  # "decision:ID" or "incident:ID"
    field: str
    person: Any
    machine_then: Any
    machine_now: Any
    at: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_conflicts(ws: Workspace, who: Member, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[ConflictRecord]:
    check_window(limit, offset)
    out: list[ConflictRecord] = []
    with ws.read() as s:
        for d in s.scalars(select(FindingDecision).where(FindingDecision.item_sha256.in_(who.scope.items()))
                           .order_by(FindingDecision.id)):
            out += [ConflictRecord(f"decision:{d.id}", c["field"], c["person"], c["machine_then"], c["machine_now"],
                                   c["at"]) for c in d.conflicts or []]
        visible = who.scope.incidents()
        for c in s.scalars(select(IncidentCorrection).where(IncidentCorrection.conflict.is_not(None),
                                                            IncidentCorrection.incident_id.in_(visible))
                           .order_by(IncidentCorrection.incident_id, IncidentCorrection.field)):
            if c.conflict:
                out.append(ConflictRecord(f"incident:{c.incident_id}", c.field, c.value, c.machine,
                                          c.conflict["machine_now"], c.conflict["at"]))
    return Page(out[offset:offset + limit], len(out), limit, offset)


def resolve(ws: Workspace, who: Member, target: str, field: str, *, take_machine: bool) -> Curated:
    """Settle a conflict (``target`` as :func:`list_conflicts` names it): keep the person's value (the machine's
    new one is noted), or take the machine's."""
    who.require(EDITORS, "resolve a conflict")
    kind, _, ref = target.partition(":")
    touched: set[str] = set()
    with ws.write() as s:
        if kind == "decision" and ref.isdigit():
            decision = _decision(s, who, int(ref))
            item = decision.item_sha256
            conflict = findings.resolve_conflict(s, decision, field, take_machine, who.name)
            touched |= {r.incident_id for r in s.scalars(select(ReportRow).where(
                ReportRow.document_id.in_(select(Document.id).where(Document.item_sha256 == item))))
                if r.incident_id}
            subjects = [item]
        elif kind == "incident" and ref:
            incident_id = who.incident(s, ref)
            incidents.resolve_correction(s, who.name, incident_id, field, take_machine)
            conflict, subjects = {"field": field}, _items_of(s, incident_id)
            touched.add(incident_id)
        else:
            raise NotFound("conflict", target, "name it as `hague curate conflicts` does: decision:ID or incident:ID")
        details = {"case": who.case, "target": target, "field": field,
                   "kept": "machine" if take_machine else "person", "conflict": conflict}
        ledger.append(s, who.name, Action.CURATE_RESOLVE, subjects, details)
    return _finish(ws, who, "resolve", details, touched)



# --- what a page shows beside an incident or a document -------------------------------------------------------


@dataclass(frozen=True)
class IncidentDesk:
    """What a person works with on one incident: the fields a person set (with the machine's), the machine's open
    proposals about it, where its review stands (stale or not) and the review moves open from there."""

    incident: str
    corrections: list[CorrectionRecord]
    proposals: list[ProposalRecord]
    standing: ReviewStanding
    next_states: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"incident": self.incident, "corrections": [c.to_json() for c in self.corrections],
                "proposals": [p.to_json() for p in self.proposals], "standing": self.standing.to_json(),
                "next_states": list(self.next_states)}


def incident_desk(ws: Workspace, who: Member, incident: str) -> IncidentDesk:
    with ws.read() as s:
        incident_id = who.incident(s, incident)
        corrections = [CorrectionRecord.of(c) for c in incidents.corrections_of(s, incident_id)]
        proposals = [ProposalRecord.of(p) for p in s.scalars(select(IncidentProposal).where(
            IncidentProposal.state == ProposalState.OPEN).order_by(IncidentProposal.id)) if incident_id in p.incidents]
        standing = review_standing(s, incident_id)
    return IncidentDesk(incident_id, corrections, proposals, standing, allowed_transitions(standing.state))


def document_decisions(ws: Workspace, who: Member, document: str) -> list[DecisionRecord]:
    """Every decision people made on a document's findings (rejected ones included), oldest first."""
    with ws.read() as s:
        doc = refs.document(s, document)
        who.document(s, doc.id)
        return [DecisionRecord.of(s, d) for d in s.scalars(select(FindingDecision).where(
            FindingDecision.item_sha256 == doc.item_sha256).order_by(FindingDecision.span_start, FindingDecision.id))]


@dataclass(frozen=True)
class Acceptance:
    """How the machine's suggestions fared with the people of a case: of the findings a person decided on,
    how many were accepted unchanged, corrected, rejected; and how many the machine missed (added)."""

    decided: int
    unchanged: int
    corrected: int
    rejected: int
    added: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.unchanged / self.decided, 1) if self.decided else None

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "accepted_unchanged_percent": self.percent}


def acceptance(ws: Workspace, scope: Scope) -> Acceptance:
    """Machine suggestions accepted unchanged, in a case (as ``scope`` sees it): the yardstick the dashboard
    shows."""
    counts = {v: 0 for v in Verdict}
    unchanged = 0
    with ws.read() as s:
        for verdict, fields in s.execute(select(FindingDecision.verdict, FindingDecision.fields)
                                         .where(FindingDecision.item_sha256.in_(scope.items()))):
            changed = any(e.get("value") != e.get("machine") for e in (fields or {}).values())
            if verdict == Verdict.ACCEPTED and not changed:
                unchanged += 1
            elif verdict in (Verdict.ACCEPTED, Verdict.CORRECTED):
                counts[Verdict.CORRECTED] += 1
            else:
                counts[Verdict(verdict)] += 1
    decided = unchanged + counts[Verdict.CORRECTED] + counts[Verdict.REJECTED]
    return Acceptance(decided, unchanged, counts[Verdict.CORRECTED], counts[Verdict.REJECTED], counts[Verdict.ADDED])
