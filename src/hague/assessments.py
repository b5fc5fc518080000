"""Assessments and review states as stored: the database side of the law layer (``law/`` itself is pure logic).

Each incident gets one assessment per suggested provision: the elements checklist, with the machine's
findings marked as suggestions. An analysis run refreshes them (:func:`refresh_assessments`) and never
overwrites what a person set; element findings (:func:`set_element`) and review decisions
(:func:`decide`) are each one custody-ledger entry naming the reviewer, so the ledger alone tells who
decided what, when and why. :func:`review_states` is the one answer to "what is this incident's review
state", and :func:`incident_wording` is what every output surface asks before it speaks about an incident:
the state and the wording policy it allows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from copy import copy
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hague import resolve
from hague.db import insert_rows
from hague.errors import InvalidInput, NotFound
from hague.evidence import ledger
from hague.evidence.attested import manifest_digest
from hague.findings import doc_key, report_of
from hague.law.conflicts import ConflictContext, for_incident
from hague.law.elements import ElementFinding, blank, checklist
from hague.law.features import EvidenceRef, IncidentFeatures
from hague.law.provisions import provision
from hague.law.review import REVIEW_STATES, Transition, Wording, transition, wording
from hague.law.suggest import Suggestion, suggest
from hague.model import (
    AssessmentRow,
    Document,
    IncidentLawFeatures,
    IncidentRow,
    ReportRow,
    ReviewRow,
    StatementRow,
)
from hague.timestamps import utc_now as _now
from hague.vocab import MACHINE_STATE, Action, ElementStatus, Origin, ProvisionStatus, ReviewState

_MACHINE_PATH = {ReviewState.INGESTED: "reports captured and read",
                 ReviewState.CODED: "report fields coded by the reader",
                 ReviewState.PROVISIONS_SUGGESTED: "candidate provisions and element checklists suggested"}
KEPT = ProvisionStatus.KEPT_BY_REVIEWER  # not suggested now, kept because a person worked on it
_REVIEWED = (ReviewState.ANALYST_ASSESSED, ReviewState.PEER_REVIEWED, ReviewState.LEGAL_REVIEWED,
             ReviewState.EXPORT_READY)
_CHUNK = 500  # incidents read per query by a refresh (a bound on the IN list)
_REPORTS_HELD = 1000  # member reports (with their documents) a refresh reads at once, unless one incident has more
# What an incident may be called in each state, in our own voice (checked against the wording policy by a test).
_LABELS = {ReviewState.ANALYST_ASSESSED: "assessed by an analyst",
           ReviewState.PEER_REVIEWED: "assessed and peer-reviewed",
           ReviewState.LEGAL_REVIEWED: "legally reviewed",
           ReviewState.EXPORT_READY: "legally reviewed, ready to share"}


# --- features --------------------------------------------------------------------------------------------------


def member_reports(session: Session, incident_id: str) -> list[tuple[ReportRow, Document]]:
    """The incident's reports with their documents, in document order."""
    return members_of(session, [incident_id])[incident_id]


def members_of(session: Session, incident_ids: Collection[str]) -> dict[str, list[tuple[ReportRow, Document]]]:
    """Each incident's reports with their documents, in document order: one query for many incidents (an
    analysis run refreshes thousands, and a query per incident dominated it)."""
    out: dict[str, list[tuple[ReportRow, Document]]] = {i: [] for i in incident_ids}
    ids = sorted(out)
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(select(ReportRow, Document).join(Document, Document.id == ReportRow.document_id)
                               .where(ReportRow.incident_id.in_(ids[start:start + _CHUNK]))
                               .order_by(ReportRow.incident_id, Document.id, ReportRow.idx))
        for r, d in rows:
            out[r.incident_id].append((r, d))
    return out


@dataclass
class MemberFeatures:
    """What an incident's member reports give the law layer, in document order: the provisions the sources cite,
    and the evidence of every feature any member has (the incident's merged values choose which of them count).

    Kept per incident when its checklists are refreshed (:class:`~hague.model.IncidentLawFeatures`), so a
    refresh whose members did not change reads one row instead of every member report and its text.
    """

    named: list[str] = field(default_factory=list)
    evidence: dict[str, list[EvidenceRef]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        # a reference as a list of its fields: a large incident keeps many thousands
        return {"named": self.named, "evidence": {key: [[r.kind, r.report_id, r.document_id, r.item_id, r.start,
                                                         r.end, r.quote] for r in refs]
                                                   for key, refs in self.evidence.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemberFeatures:
        return cls(list(data["named"]),
                   {key: [EvidenceRef(*r) for r in refs] for key, refs in data["evidence"].items()})


def member_features(members: list[tuple[ReportRow, Document]]) -> MemberFeatures:
    """The law features of ``members`` (an incident's reports with their documents, in document order): each
    report read as the law layer reads it, cited provisions and evidence merged without repeats."""
    out = MemberFeatures()
    # each list kept beside the set of what it holds: membership in a large incident's list would be quadratic
    named: set[str] = set()
    held: dict[str, set[EvidenceRef]] = {}
    for rep, doc in members:
        one = IncidentFeatures.from_reading(report_of(rep), doc.text, str(rep.id), doc_key(doc))
        _extend(out.named, named, one.named)
        for key, refs in one.evidence.items():
            if key not in held:
                out.evidence[key], held[key] = [], set()
            _extend(out.evidence[key], held[key], refs)
    return out


def kept_features(session: Session, incident_ids: Collection[str]) -> dict[str, MemberFeatures]:
    """The member features kept for these incidents at their last refresh (none for an incident refreshed before
    they were kept)."""
    ids = sorted(set(incident_ids))
    out: dict[str, MemberFeatures] = {}
    for start in range(0, len(ids), _CHUNK):
        for incident_id, data in session.execute(
                select(IncidentLawFeatures.incident_id, IncidentLawFeatures.features)
                .where(IncidentLawFeatures.incident_id.in_(ids[start:start + _CHUNK]))):
            out[incident_id] = MemberFeatures.from_json(data)
    return out


def _keep(session: Session, features: dict[str, MemberFeatures], stale: Collection[str] = ()) -> None:
    """Store ``features`` as the incidents' kept member features, replacing what was kept; what was kept for the
    ``stale`` incidents goes too (their members changed, even where reading them failed: a decision must not
    read features of reports the incident no longer has)."""
    ids = sorted(features)
    _forget(session, sorted(set(ids) | set(stale)))
    insert_rows(session, IncidentLawFeatures, [{"incident_id": i, "features": features[i].to_json()} for i in ids])


def _forget(session: Session, incident_ids: list[str]) -> None:
    for start in range(0, len(incident_ids), _CHUNK):
        session.execute(delete(IncidentLawFeatures)
                        .where(IncidentLawFeatures.incident_id.in_(incident_ids[start:start + _CHUNK])))


def incident_features(session: Session, incident_id: str,
                      members: list[tuple[ReportRow, Document]] | None = None,
                      row: IncidentRow | None = None, held: MemberFeatures | None = None) -> IncidentFeatures:
    """The incident as the law layer reads it: merged facts, and every member report's spans as evidence.

    Merged values come from the incident (the corroboration phase settled disagreements there); the
    evidence keeps each report's own span, so a checklist links the exact sentence of every source. The member
    reports' part is ``held``, else read from ``members``, else the features kept at the incident's last refresh
    (every change of its members refreshes it), else read from its reports.
    """
    row = row or session.get(IncidentRow, incident_id)
    if row is None:
        raise NotFound("incident", incident_id, "see `hague incidents`")
    merged = {name: f.get("value") for name, f in row.data.get("fields", {}).items()}
    features = IncidentFeatures(
        event=merged.get("event"), targets=list(merged.get("targets") or []),
        weapons=list(merged.get("weapons") or []), country=merged.get("country"), date=merged.get("date"),
        pattern=bool(row.data.get("pattern")), status=row.status, killed=merged.get("killed"),
        injured=merged.get("injured"), perpetrator=merged.get("perpetrator"), place=merged.get("place"),
        conflict_override=row.context_override)
    if held is None:
        held = member_features(members) if members is not None else \
            kept_features(session, [incident_id]).get(incident_id) or \
            member_features(member_reports(session, incident_id))
    features.named = list(held.named)
    features.evidence = {key: held.evidence.get(key, []) for key in features.feature_keys()}
    return features


def _extend(known: list[Any], held: set[Any], more: list[Any]) -> None:
    """``known += [x for x in more if x not in known]``, with ``held`` the set of ``known``."""
    fresh = [x for x in more if x not in held]
    known += fresh
    held.update(fresh)


def _subjects(session: Session, incident_id: str, members: list[tuple[ReportRow, Document]] | None = None
              ) -> list[str]:
    """SHA-256 of the originals behind an incident: the ledger subjects of its review entries (asked of the
    database when ``members`` are not at hand: reading every report and text for them was most of a decision)."""
    if members is None:
        return sorted(session.scalars(select(Document.item_sha256).distinct()
                                      .join(ReportRow, ReportRow.document_id == Document.id)
                                      .where(ReportRow.incident_id == incident_id)))
    return sorted({doc.item_sha256 for _, doc in members})


# --- stored findings -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFinding:
    """An element finding as stored, with who set it and when (None for the machine's suggestions)."""

    finding: ElementFinding
    set_by: str | None = None
    set_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        # plain JSON types, so a stored finding compares equal to a fresh one
        return {**self.finding.to_json(), "set_by": self.set_by, "set_at": self.set_at}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoredFinding:
        data = dict(data)
        set_by, set_at = data.pop("set_by", None), data.pop("set_at", None)
        data["evidence"] = tuple(EvidenceRef(**e) for e in data.get("evidence", ()))
        data["evidence_hints"] = tuple(data.get("evidence_hints", ()))
        return cls(ElementFinding(**data), set_by, set_at)


# What a machine finding says beyond its element's definition (in the order of StoredFinding.to_json), with the
# value a compact finding leaves out
_FOUND = {"status": ElementStatus.NOT_ADDRESSED.value, "evidence": [], "note": None, "origin": Origin.MACHINE.value,
          "set_by": None, "set_at": None}
_DEFINED = ("text", "kind", "verify", "verify_note", "evidence_hints")  # given by the law data (law.elements.blank)
_ORDER = ("element_id", "text", "kind", "status", "evidence", "note", "origin", "verify", "verify_note",
          "evidence_hints", "set_by", "set_at")


@cache
def _definition(element_id: str) -> dict[str, Any]:
    return blank(element_id).to_json()


def compact(findings: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Element findings (element id -> :meth:`StoredFinding.to_json`) as an assessment row stores them.

    Every finding used to repeat its element's text, kind and hints from the law data and the defaults of what
    was not found: half of the 5 KB an assessment took in a 100,000-document workspace, whose assessments were
    most of its database (issue 14). A machine finding whose definition is the law data's keeps only what differs
    from the defaults (``{}`` for an element nothing was found for); a person's finding is kept whole, as the
    person saw it, so a decision never depends on law data read later (the ledger check reads it from SQL, too).
    :func:`expand` gives back exactly the same dicts, and reads whole findings (every row stored before this) as
    they are.
    """
    return {eid: _compact(eid, f) for eid, f in findings.items()}


def _compact(element_id: str, finding: dict[str, Any]) -> dict[str, Any]:
    if tuple(finding) != _ORDER or finding["origin"] != Origin.MACHINE or finding["set_by"] is not None:
        return finding
    definition = _definition(element_id)
    if finding["element_id"] != element_id or any(finding[k] != definition[k] for k in _DEFINED):
        return finding
    return {k: finding[k] for k, default in _FOUND.items() if finding[k] != default}


def expand(stored: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The element findings of an assessment row as every reader sees them (the inverse of :func:`compact`): a
    whole finding (it has its text) as stored, a compact one completed from its element's definition."""
    return {eid: f if "text" in f else _expand(eid, f) for eid, f in stored.items()}


def _expand(element_id: str, found: dict[str, Any]) -> dict[str, Any]:
    """A compact finding whole: what was found (else its default) and the rest from the element's definition, in
    :data:`_ORDER`; lists copied, so no two findings share one."""
    definition = _definition(element_id)
    return {k: copy(found.get(k, _FOUND[k]) if k in _FOUND else definition[k]) for k in _ORDER}


def findings_of(row: AssessmentRow) -> dict[str, dict[str, Any]]:
    """The row's element findings (element id -> finding), expanded: what every reader of an assessment uses."""
    return expand(row.elements)


def stored_findings(row: AssessmentRow) -> list[StoredFinding]:
    return [StoredFinding.from_json(v) for v in findings_of(row).values()]


def _merge(old: dict[str, Any], fresh: list[ElementFinding]) -> dict[str, Any]:
    """Fresh machine findings, except where a person set the element (theirs is kept, in its place)."""
    merged: dict[str, Any] = {}
    for f in fresh:
        prior = old.get(f.element_id)
        merged[f.element_id] = prior if prior and prior.get("origin") == Origin.ANALYST \
            else StoredFinding(f).to_json()
    merged.update({eid: v for eid, v in old.items() if eid not in merged and v.get("origin") == Origin.ANALYST})
    return merged


def reviewed(row: AssessmentRow) -> bool:
    return any(v.get("origin") == Origin.ANALYST for v in findings_of(row).values())


# --- refresh after analysis ------------------------------------------------------------------------------------


@dataclass
class RefreshSummary:
    """What one refresh changed; ``errors`` names incidents whose features the law layer could not read."""

    incidents: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept_reviewed: int = 0
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


_TRANSITION_KEYS = frozenset(f.name for f in fields(Transition))


def _history(row: ReviewRow | None) -> list[Transition]:
    return [Transition(**{k: v for k, v in t.items() if k in _TRANSITION_KEYS}) for t in (row.history if row else [])]


def _advance_by_machine(session: Session, row: ReviewRow | None, incident_id: str, actor: str) -> list[Transition]:
    """Move a new or re-opened incident (``row`` its stored review, if any) to ``provisions_suggested``, one
    recorded transition per step."""
    current = row.state if row else None
    steps: list[Transition] = []
    while current != MACHINE_STATE and (current is None or REVIEW_STATES.index(current)
                                        < REVIEW_STATES.index(MACHINE_STATE)):
        nxt = REVIEW_STATES[0] if current is None else REVIEW_STATES[REVIEW_STATES.index(current) + 1]
        steps.append(transition(current, nxt, actor, f"analysis run: {_MACHINE_PATH[nxt]}"))
        current = nxt
    if steps:
        if row is None:
            row = ReviewRow(incident_id=incident_id, state=current, history=[])
            session.add(row)
        row.state, row.history = current, [*row.history, *(t.to_json() for t in steps)]
    return steps


def refresh_assessments(session: Session, actor: str, only: Collection[str] | None = None, *,
                        members_changed: bool = True) -> RefreshSummary:
    """Create or refresh every incident's assessments (or those of the incidents ``only`` names) from its
    current reports; idempotent.

    Suggested provisions get an assessment; one that is no longer suggested is removed unless a person
    set one of its elements (then it stays, and ``review show`` says it is no longer suggested). An
    incident that is new (or re-opened to ``coded``) moves to ``provisions_suggested``. One ledger entry
    per incident whose assessments or state changed; none when nothing did.

    The member features are read from the reports and kept (:class:`MemberFeatures`); a caller that changed
    nothing the reports say and no incident's members (a classification) passes ``members_changed=False``, and
    the kept features are used, so its cost does not grow with the incidents' reports. Every change of reports
    or members must refresh the incidents it touched with the default.
    """
    summary = RefreshSummary()
    q_incidents, q_assessments = select(IncidentRow.id).order_by(IncidentRow.id), select(AssessmentRow)
    if only is not None:
        q_incidents = q_incidents.where(IncidentRow.id.in_(sorted(only)))
        q_assessments = q_assessments.where(AssessmentRow.incident_id.in_(sorted(only)))
    incident_ids = list(session.scalars(q_incidents))
    existing: dict[str, dict[str, AssessmentRow]] = {}
    for a in session.scalars(q_assessments):
        existing.setdefault(a.incident_id, {})[a.provision_id] = a
    acts: list[ledger.Act] = []
    for part in _parts(session, incident_ids):
        _refresh_part(session, actor, part, existing, summary, acts, members_changed)
    if only is None:
        session.execute(delete(IncidentLawFeatures).where(IncidentLawFeatures.incident_id.not_in(
            select(IncidentRow.id))))
    else:
        _forget(session, sorted(set(only) - set(incident_ids)))
    for rows in existing.values():  # incidents gone from the analysis: keep only what a person touched
        for row in rows.values():
            if reviewed(row):
                summary.kept_reviewed += 1
            else:
                session.delete(row)
                summary.removed += 1
    ledger.append_many(session, acts)
    session.flush()
    return summary


def _parts(session: Session, incident_ids: list[str]) -> list[list[str]]:
    """``incident_ids`` in runs of at most ``_CHUNK`` incidents whose reports number at most ``_REPORTS_HELD`` (an
    incident with more alone): few queries, while what a refresh holds at once stays about what the largest
    incident needs."""
    sizes: dict[str, int] = {}
    for start in range(0, len(incident_ids), _CHUNK):
        sizes.update(session.execute(select(ReportRow.incident_id, func.count()).group_by(ReportRow.incident_id)
                                     .where(ReportRow.incident_id.in_(incident_ids[start:start + _CHUNK]))).all())
    parts: list[list[str]] = [[]]
    held = 0
    for incident_id in incident_ids:
        n = sizes.get(incident_id, 0)
        if parts[-1] and (held + n > _REPORTS_HELD or len(parts[-1]) == _CHUNK):
            parts.append([])
            held = 0
        parts[-1].append(incident_id)
        held += n
    return [p for p in parts if p]


def _refresh_part(session: Session, actor: str, incident_ids: list[str], existing: dict[str, dict[str, AssessmentRow]],
                  summary: RefreshSummary, acts: list[ledger.Act], members_changed: bool) -> None:
    """:func:`refresh_assessments` for a few hundred incidents: their rows read in three queries, then no query
    until the new assessments are inserted together (a query per incident, each flushing the rows added before
    it, was most of a large run's time); their ledger entries are added to ``acts``, in incident order. Member
    features read from the reports are kept."""
    kept = {} if members_changed else kept_features(session, incident_ids)
    # read once for the features and the subjects
    members_by = members_of(session, [i for i in incident_ids if i not in kept])
    computed: dict[str, MemberFeatures] = {}
    incidents = {r.id: r for r in session.scalars(select(IncidentRow).where(IncidentRow.id.in_(incident_ids)))}
    reviews = {r.incident_id: r for r in session.scalars(select(ReviewRow)
                                                          .where(ReviewRow.incident_id.in_(incident_ids)))}
    created: list[dict[str, Any]] = []
    for incident_id in incident_ids:
        summary.incidents += 1
        members = members_by.pop(incident_id, None)  # let go once used
        try:
            if members is not None:
                computed[incident_id] = member_features(members)
            held = computed.get(incident_id) or kept.pop(incident_id)
            features = incident_features(session, incident_id, row=incidents.get(incident_id), held=held)
            context = for_incident(features)
            suggestions = suggest(features, context)
            wanted = [s.provision_id for s in suggestions if s.status == ProvisionStatus.SUGGESTED]
        except (ValueError, KeyError) as exc:  # one unreadable incident must not stop the others
            summary.errors.append(f"{incident_id}: {exc}")
            continue
        rows = existing.pop(incident_id, {})
        changes: dict[str, list[str]] = {"created": [], "updated": [], "removed": []}
        for pid in wanted:
            fresh = checklist(features, pid, context, suggestions)
            row = rows.pop(pid, None)
            if row is None:
                created.append({"incident_id": incident_id, "provision_id": pid, "updated_at": _now(),
                                "elements": compact(_merge({}, fresh))})
                changes["created"].append(pid)
                continue
            before = findings_of(row)
            merged = _merge(before, fresh)
            if merged != before:
                row.elements, row.updated_at = compact(merged), _now()
                changes["updated"].append(pid)
        for pid, row in rows.items():
            if reviewed(row):
                summary.kept_reviewed += 1
            else:
                session.delete(row)
                changes["removed"].append(pid)
        steps = _advance_by_machine(session, reviews.get(incident_id), incident_id, actor)
        summary.created += len(changes["created"])
        summary.updated += len(changes["updated"])
        summary.removed += len(changes["removed"])
        if steps or any(changes.values()):
            acts.append((actor, Action.REVIEW_REFRESH, _subjects(session, incident_id, members),
                         {"incident": incident_id, **{k: v for k, v in changes.items() if v},
                          "transitions": [t.to_json() for t in steps], "origin": "machine"}))
    insert_rows(session, AssessmentRow, created)
    _keep(session, computed, stale=incident_ids if members_changed else ())


# --- a reviewer's findings and decisions -----------------------------------------------------------------------


def resolve_evidence(session: Session, spec: str) -> EvidenceRef:
    """An evidence reference as a person writes it.

    ``report:ID`` and ``statement:ID`` (ids as ``hague review show`` lists them), ``item:SHA256`` (8+ hex
    digits, resolved by :func:`hague.resolve.item`: an ambiguous prefix is refused with the candidates) or
    ``doc:KEY:START-END`` (a span of a document's text, KEY as :func:`hague.resolve.document` reads it).
    """
    kind, _, ref = spec.partition(":")
    if kind == "report" and ref.isdigit() and (rep := session.get(ReportRow, int(ref))) is not None:
        doc = session.get(Document, rep.document_id)
        assert doc is not None
        start, end = (rep.evidence[0] if rep.evidence else (None, None))
        return EvidenceRef("report", ref, doc_key(doc), doc.item_sha256, start, end,
                           doc.text[start:end] if start is not None else None)
    if kind == "statement" and ref.isdigit() and (st := session.get(StatementRow, int(ref))) is not None:
        doc = session.get(Document, st.document_id)
        assert doc is not None
        quote = doc.text[st.quote_start:st.quote_end] if st.quote_start is not None else None
        return EvidenceRef("statement", None, doc_key(doc), doc.item_sha256, st.quote_start, st.quote_end, quote)
    if kind == "item" and ref:
        return EvidenceRef("item", item_id=resolve.item(session, ref).sha256)
    if kind == "doc":
        key, _, span = ref.rpartition(":")
        first, _, last = span.partition("-")
        doc = resolve.document(session, key)
        if first.isdigit() and last.isdigit() and int(first) < int(last) <= len(doc.text):
            s, e = int(first), int(last)
            return EvidenceRef("item", None, doc_key(doc), doc.item_sha256, s, e, doc.text[s:e])
        raise InvalidInput(f"evidence {spec!r}: {span!r} is not a span START-END inside the document's "
                           f"{len(doc.text)} characters")
    if kind in ("report", "statement") and ref.isdigit():
        raise NotFound(kind, ref, "see `hague review show`")
    raise InvalidInput(f"evidence {spec!r}: use report:ID, statement:ID, item:SHA256 or doc:KEY:START-END")


def set_element(session: Session, actor: str, incident_id: str, provision_id: str, element_id: str,
                status: str, evidence: list[str] | tuple[str, ...] = (), note: str | None = None) -> StoredFinding:
    """Record a person's finding on one element (with evidence and a note); one ledger entry.

    A provision the machine did not suggest may be assessed too: its checklist is created on the spot.
    Evidence given replaces the element's evidence; none given keeps what is linked.
    """
    if session.get(IncidentRow, incident_id) is None:
        raise NotFound("incident", incident_id, "see `hague incidents`")
    try:
        prov = provision(provision_id)
    except KeyError as exc:
        raise NotFound("provision", provision_id, "see `hague review show INCIDENT --all`") from exc
    row = session.scalars(select(AssessmentRow).where(AssessmentRow.incident_id == incident_id,
                                                      AssessmentRow.provision_id == prov.id)).first()
    if row is None:
        features = incident_features(session, incident_id)
        row = AssessmentRow(incident_id=incident_id, provision_id=prov.id, updated_at=_now(),
                            elements=compact(_merge({}, checklist(features, prov))))
        session.add(row)
    if element_id not in row.elements:
        raise NotFound(f"element of {prov.id}", element_id, f"it has {', '.join(row.elements)}")
    before = StoredFinding.from_json(findings_of(row)[element_id])
    refs = tuple(resolve_evidence(session, e) for e in evidence) if evidence else None
    try:
        finding = before.finding.with_status(status, note, refs, origin=Origin.ANALYST)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    stored = StoredFinding(finding, actor, _now())
    row.elements = {**row.elements, element_id: stored.to_json()}  # a person's finding is stored whole
    row.updated_at = stored.set_at or _now()
    ledger.append(session, actor, Action.REVIEW_ELEMENT, _subjects(session, incident_id), {
        "incident": incident_id, "provision": prov.id, "element": element_id,
        "from": {"status": before.finding.status, "origin": before.finding.origin}, "status": status,
        "evidence": [e.to_json() for e in finding.evidence], "note": finding.note})
    session.flush()
    return stored


def decide(session: Session, actor: str, incident_id: str, state: str, reason: str,
           label: str | None = None) -> Transition:
    """Move an incident to ``state`` (law.md §4.6) with the reviewer's reason; one ledger entry.

    Raises :class:`~hague.law.review.IllegalTransition` for a move the workflow does not allow, a
    missing reason, or a peer review by the analyst who assessed.
    """
    if session.get(IncidentRow, incident_id) is None:
        raise NotFound("incident", incident_id, "see `hague incidents`")
    if session.get(ReviewRow, incident_id) is None:  # analysed before reviews were stored
        steps = _advance_by_machine(session, None, incident_id, actor)
        ledger.append(session, actor, "review.refresh", _subjects(session, incident_id),  # every step is recorded
                      {"incident": incident_id, "transitions": [t.to_json() for t in steps], "origin": "machine"})
    row = session.get(ReviewRow, incident_id)
    assert row is not None
    history = _history(row)
    manifest = evidence_manifest(session, incident_id)
    digest = evidence_digest(manifest)
    current = standing_state(history, digest)  # a decision whose evidence changed no longer counts
    step = transition(current, state, actor, reason, label=label, history=history, evidence=digest)
    row.state, row.history = step.to_state, [*row.history, {**step.to_json(), "evidence_items": manifest}]
    open_elements = sum(1 for a in session.scalars(select(AssessmentRow)
                                                   .where(AssessmentRow.incident_id == incident_id))
                        for f in findings_of(a).values() if f.get("status") == ElementStatus.NOT_ADDRESSED)
    ledger.append(session, actor, Action.REVIEW_TRANSITION, _subjects(session, incident_id),
                  {"incident": incident_id, **step.to_json(), "elements_not_addressed": open_elements})
    session.flush()
    return step


def review_history(session: Session, incident_id: str) -> list[Transition]:
    return _history(session.get(ReviewRow, incident_id))


# --- the evidence a decision saw -------------------------------------------------------------------------------


def _report_key(evidence: list[Any], doc: Any) -> str:
    start, end = (evidence[0] if evidence else (None, None))
    return f"report {doc_key(doc)}:{start}-{end}"


def _elements_key(row: AssessmentRow) -> list[Any]:
    """An assessment's findings as a reviewer sees them: row ids (which change on every re-read) left out."""
    out = []
    for eid, f in sorted(findings_of(row).items()):
        refs = sorted((e.get("kind"), e.get("document_id"), e.get("item_id"), e.get("start"), e.get("end"))
                      for e in f.get("evidence", []))
        out.append([eid, f.get("status"), f.get("origin"), f.get("note"), refs])
    return out


def evidence_manifest(session: Session, incident_id: str) -> dict[str, str]:
    """What a review decision on the incident rests on, item by item, each with the SHA-256 of its content: the
    member reports (their fields and evidence spans, a person's corrections included), the candidate
    provisions with their element findings, the incident fields a person corrected, and the conflict
    classification. Keys are stable across re-analysis (documents and spans, never row ids)."""
    from hague.curation.incidents import corrections_of

    out: dict[str, str] = {}
    # the columns it needs, not the reports and documents with their texts: listings ask this of every decided
    # incident, and a review decision of its incident
    for rep in session.execute(select(ReportRow.fields, ReportRow.evidence, Document.id, Document.external_id,
                                      Document.item_sha256).join(Document, Document.id == ReportRow.document_id)
                               .where(ReportRow.incident_id == incident_id).order_by(Document.id, ReportRow.idx)):
        values = {k: (v.get("value") if isinstance(v, dict) else v) for k, v in rep.fields.items() if k != "curation"}
        out[_report_key(rep.evidence, rep)] = manifest_digest([values, rep.evidence, rep.item_sha256])
    for a in session.scalars(select(AssessmentRow).where(AssessmentRow.incident_id == incident_id)):
        out[f"provision {a.provision_id}"] = manifest_digest(_elements_key(a))
    for c in corrections_of(session, incident_id):
        out[f"correction {c.field}"] = manifest_digest(c.value)
    row = session.get(IncidentRow, incident_id)
    if row is not None and row.context_override:
        out["classification"] = manifest_digest(row.context_override)
    return out


def evidence_digest(manifest: dict[str, str]) -> str:
    return manifest_digest(manifest)


def standing_state(history: list[Transition], digest: str) -> ReviewState | None:
    """The latest state of ``history`` that still holds: the machine's states always do (they are recomputed),
    a person's only while the evidence is what it saw (a decision recorded before evidence was kept holds)."""
    for step in reversed(history):
        machine = REVIEW_STATES.index(step.to_state) <= REVIEW_STATES.index(MACHINE_STATE)
        if machine or step.evidence is None or step.evidence == digest:
            return ReviewState(step.to_state)
    return None


def confidence_label(history: list[Transition], state: str) -> str | None:
    """The analyst's confidence label the state rests on: the latest assessment's, and none before one (or when
    the assessment went stale and the state fell back before it)."""
    if REVIEW_STATES.index(ReviewState(state)) < REVIEW_STATES.index(ReviewState.ANALYST_ASSESSED):
        return None
    return next((t.label for t in reversed(history) if t.label and t.to_state == ReviewState.ANALYST_ASSESSED), None)


@dataclass(frozen=True)
class ReviewStanding:
    """Where review of an incident stands: the state output may use, and, when the latest decision no longer
    holds, that decision and what changed since it was made."""

    state: ReviewState
    recorded: ReviewState | None  # the latest state decided
    stale: Transition | None = None
    changes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "recorded": self.recorded,
                "stale": ({"decision": self.stale.to_json(), "changes": list(self.changes)} if self.stale else None)}


def _what_changed(before: dict[str, str], now: dict[str, str]) -> tuple[str, ...]:
    added = sorted(set(now) - set(before))
    removed = sorted(set(before) - set(now))
    changed = sorted(k for k in set(now) & set(before) if now[k] != before[k])
    return tuple([f"new: {k}" for k in added] + [f"gone: {k}" for k in removed] + [f"changed: {k}" for k in changed])


def review_standing(session: Session, incident_id: str) -> ReviewStanding:
    """The standing of one incident's review (see :func:`review_states`), with why a stale decision fell."""
    row = session.get(ReviewRow, incident_id)
    if row is None:
        return ReviewStanding(MACHINE_STATE if session.get(IncidentRow, incident_id) else ReviewState.INGESTED, None)
    history = _history(row)
    manifest = evidence_manifest(session, incident_id)
    digest = evidence_digest(manifest)
    state = standing_state(history, digest) or MACHINE_STATE
    latest = history[-1] if history else None
    if latest is None or latest.evidence is None or latest.evidence == digest or state == latest.to_state:
        return ReviewStanding(state, ReviewState(row.state))
    saw = next((h.get("evidence_items") for h in reversed(row.history) if h.get("evidence") == latest.evidence), {})
    return ReviewStanding(state, ReviewState(row.state), latest, _what_changed(saw or {}, manifest))


# --- reading it back -------------------------------------------------------------------------------------------


@dataclass
class ProvisionReview:
    """One candidate provision of an incident: the suggestion (or None if a person added it) and its checklist."""

    provision_id: str
    citation: str
    title: str
    status: str  # suggested | show_only | kept_by_reviewer (not suggested now; a person set elements)
    suggestion: Suggestion | None
    findings: list[StoredFinding]
    updated_at: str | None = None

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            if f.finding.kind == "element":
                out[f.finding.status] = out.get(f.finding.status, 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {"provision": self.provision_id, "citation": self.citation, "title": self.title,
                "status": self.status, "suggestion": self.suggestion.to_json() if self.suggestion else None,
                "element_counts": self.counts(), "elements": [f.to_json() for f in self.findings],
                "updated_at": self.updated_at}


@dataclass
class IncidentReview:
    incident_id: str
    wording: IncidentWording
    context: ConflictContext | None
    provisions: list[ProvisionReview]
    history: list[Transition]
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"incident": self.incident_id, "review_state": self.wording.state, "label": self.wording.label,
                "conflict": self.context.to_json() if self.context else None,
                "provisions": [p.to_json() for p in self.provisions],
                "history": [t.to_json() for t in self.history], "error": self.error}


def incident_review(session: Session, incident_id: str) -> IncidentReview:
    """Candidate provisions (suggested, then reviewer-added, then greyed show-only) with their checklists."""
    rows = {a.provision_id: a for a in session.scalars(select(AssessmentRow)
                                                        .where(AssessmentRow.incident_id == incident_id))}
    words, history = incident_wording(session, incident_id), review_history(session, incident_id)
    try:
        features = incident_features(session, incident_id)
        context = for_incident(features)
        suggestions = suggest(features, context)
    except (ValueError, KeyError) as exc:
        return IncidentReview(incident_id, words, None, [], history, str(exc))
    out: list[ProvisionReview] = []
    for s in suggestions:
        row = rows.pop(s.provision_id, None)
        findings = stored_findings(row) if row else [] if s.status != ProvisionStatus.SUGGESTED else \
            [StoredFinding(f) for f in checklist(features, s.provision_id, context, suggestions)]
        out.append(ProvisionReview(s.provision_id, s.citation, s.title, s.status, s, findings,
                                   row.updated_at if row else None))
    for pid, row in rows.items():
        prov = provision(pid)
        out.append(ProvisionReview(pid, prov.citation, prov.title, KEPT, None, stored_findings(row),
                                   row.updated_at))
    out.sort(key=lambda p: p.status == ProvisionStatus.SHOW_ONLY)
    return IncidentReview(incident_id, words, context, out, history)


# --- wording ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentWording:
    state: ReviewState
    label: str
    policy: Wording


def review_states(session: Session, incident_ids: Iterable[str] | None = None) -> dict[str, ReviewState]:
    """The review state of each incident (every incident when ``incident_ids`` is None): the one answer.

    An incident's state is the latest state of its history whose evidence still holds: a person's decision
    records the evidence it saw (:func:`evidence_manifest`), and when that changed afterwards (new reports, new
    provisions, a correction) the decision is stale and the state falls back (:func:`review_standing`). An
    incident without a review row was analysed before review rows
    were kept (or its law features could not be read): its reports were read and coded and candidate
    provisions are computed for it whenever it is shown, and a reviewer's first decision starts from
    ``provisions_suggested`` (:func:`decide`), so that is its state. A name that is no incident at all has
    only been ``ingested``, as far as review goes.
    """
    ids = None if incident_ids is None else list(dict.fromkeys(incident_ids))
    q_rev = select(ReviewRow.incident_id, ReviewRow.state)
    q_inc = select(IncidentRow.id)
    if ids is not None:
        q_rev, q_inc = q_rev.where(ReviewRow.incident_id.in_(ids)), q_inc.where(IncidentRow.id.in_(ids))
    stored = {i: ReviewState(state) for i, state in session.execute(q_rev)}
    decided = [i for i, state in stored.items() if REVIEW_STATES.index(state) > REVIEW_STATES.index(MACHINE_STATE)]
    for i in decided:  # only decisions by people can go stale; the machine's states are recomputed anyway
        stored[i] = review_standing(session, i).state
    known = set(session.scalars(q_inc))
    out = {i: stored.get(i, MACHINE_STATE) for i in (known if ids is None else ids) if i in known or i in stored}
    if ids is not None:
        out.update({i: ReviewState.INGESTED for i in ids if i not in out})
    return out


def review_state(session: Session, incident_id: str) -> ReviewState:
    """The review state of one incident (see :func:`review_states`)."""
    return review_states(session, [incident_id])[incident_id]


def wording_for(state: ReviewState | str, status: str | None) -> IncidentWording:
    """What output may call an incident in ``state`` whose sources give it ``status``."""
    state = ReviewState(state)
    label = _LABELS[state] if state in _REVIEWED else f"{status or 'reported'} (not reviewed)"
    return IncidentWording(state, label, wording(state))


def incident_wording(session: Session, incident_id: str) -> IncidentWording:
    inc = session.get(IncidentRow, incident_id)
    return wording_for(review_state(session, incident_id), inc.status if inc is not None else None)
