"""Incidents that keep their identity: new reports join incidents or start new ones; nothing is renamed,
merged or split behind a person's back.

The contract (also in the project notes, for the curation work):

* A report's place in an incident has an origin, ``reports.incident_origin``: ``machine`` or a person's
  (any other value, e.g. ``analyst``). The machine never moves, removes or re-places a report a person
  placed; it places only reports that have no incident.
* A report keeps its incident when its document is read again (same document, same report index); the
  analysis places only reports that are new.
* New reports are clustered together with the incidents they may belong to (found through the report's
  place, target, weapon and rarest evidence words, ``report_keys``) by the same average-linkage rule as a
  fresh clustering (:func:`hague.corroboration.incidents.cluster_incidents`), with the existing incidents
  fixed: they take in new reports but never merge with each other. When two existing incidents now look
  like one event (their mean pair score is above zero), the machine stores a *merge proposal*
  (``incident_proposals``, state ``open``) for a person to decide; a rejected proposal is never made again.
* An incident's id is fixed when it is created (readable, and unique by a short hash when the readable
  part is taken); it never changes. An incident left without reports is removed only if no person ever
  touched it (review, assessment, context, case share); otherwise it stays, empty, for a person to see.
* Only incidents that gained or lost reports, or whose documents' reuse changed, are recomputed (merged
  fields, independent sources) and have their legal checklists refreshed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from hague.assessments import reviewed
from hague.corroboration import compare
from hague.corroboration import incidents as clustering
from hague.corroboration.incidents import ReportRef
from hague.corroboration.reuse import ReuseLink
from hague.curation.incidents import apply_corrections
from hague.findings import DocInfo, incident_values, report_of
from hague.model import (
    AssessmentRow,
    CaseShare,
    IncidentProposal,
    IncidentRow,
    ReportKey,
    ReportRow,
    ReuseRow,
    ReviewRow,
)
from hague.reading.text import TextDoc
from hague.timestamps import utc_now
from hague.unionfind import UnionFind
from hague.vocab import MACHINE_STATE, Origin, ProposalKind, ProposalState

MEMBERS_COMPARED = 50  # a new report is compared with at most this many members of an incident (its first)
CHUNK = 300  # new reports clustered at once; a larger batch goes through in chunks, each seeing the last


@dataclass
class IncidentChange:
    created: list[str] = field(default_factory=list)
    attached: int = 0  # new reports placed in existing incidents
    proposals: int = 0
    refreshed: set[str] = field(default_factory=set)  # incidents recomputed
    retired: list[str] = field(default_factory=list)  # incidents removed: no reports and no human trace


Loader = Callable[[Iterable[int]], list[DocInfo]]


def _refs(rows: list[ReportRow], docs: dict[int, DocInfo]) -> list[ReportRef]:
    return [ReportRef(docs[r.document_id].key, r.idx, report_of(r), docs[r.document_id].published,
                      docs[r.document_id].outlet, docs[r.document_id].text) for r in rows]


def _links(session: Session, doc_ids: Iterable[int], keys: dict[int, str]) -> list[ReuseLink]:
    """Stored reuse links between loaded documents (``keys``) that touch ``doc_ids``, with document keys."""
    ids = sorted(set(doc_ids))
    found: dict[int, ReuseRow] = {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for r in session.scalars(select(ReuseRow).where(or_(ReuseRow.to_document_id.in_(part),
                                                            ReuseRow.from_document_id.in_(part)))):
            if r.from_document_id in keys and r.to_document_id in keys:
                found[r.id] = r
    return [ReuseLink(keys[r.from_document_id], keys[r.to_document_id], (r.from_start, r.from_end),
                      (r.to_start, r.to_end), r.similarity, r.basis) for _, r in sorted(found.items())]


def _link_docs(session: Session, doc_ids: Iterable[int]) -> set[int]:
    """The documents and those they share a reuse link with (either way)."""
    ids = sorted(set(doc_ids))
    out: set[int] = set(ids)
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for a, b in session.execute(select(ReuseRow.from_document_id, ReuseRow.to_document_id)
                                    .where(or_(ReuseRow.to_document_id.in_(part),
                                               ReuseRow.from_document_id.in_(part)))):
            out |= {a, b}
    return out


def _origins(session: Session, doc_ids: Iterable[int]) -> set[int]:
    """The documents and every document their passages were copied from, along chains of copies (as
    :func:`hague.corroboration.sources.trace_origin` follows them)."""
    out, frontier = set(doc_ids), sorted(set(doc_ids))
    while frontier:
        found: set[int] = set()
        for i in range(0, len(frontier), 500):
            found |= set(session.scalars(select(ReuseRow.from_document_id)
                                         .where(ReuseRow.to_document_id.in_(frontier[i:i + 500]))))
        frontier = sorted(found - out)
        out |= found
    return out


def _with_reports(session: Session, doc_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(doc_ids))
    out: set[int] = set()
    for i in range(0, len(ids), 500):
        out |= set(session.scalars(select(ReportRow.document_id).distinct()
                                   .where(ReportRow.document_id.in_(ids[i:i + 500]))))
    return out


def _lookup_keys(session: Session, refs: list[ReportRef]) -> list[set[str]]:
    """Each report's keys as stored and looked up: document, targets, weapons, place, and its rarest words
    (by how many stored reports have them), as :func:`hague.corroboration.incidents.blocks` picks them."""
    docs: dict[str, TextDoc] = {}
    found = [clustering.block_keys(r, docs) for r in refs]
    words = sorted({w for _, bag in found for w in bag})
    df: dict[str, int] = defaultdict(int)
    for i in range(0, len(words), 500):
        for key, n in session.execute(select(ReportKey.key, func.count()).where(ReportKey.key.in_(words[i:i + 500]))
                                      .group_by(ReportKey.key)):
            df[key] = n
    batch = defaultdict(int)
    for _, bag in found:
        for w in bag:
            batch[w] += 1
    return [fixed | set(sorted(bag, key=lambda w: (df[w] + batch[w], w))[:clustering.RARE_WORDS])
            for fixed, bag in found]


def _candidates(session: Session, keys: list[set[str]]) -> dict[str, set[str]]:
    """Usable key (held by at most ``BLOCK_KEY_MAX`` reports) -> the incidents holding a report with it, for
    the keys of the new reports; a key no incident holds maps to an empty set (it may still join two new
    reports)."""
    wanted = sorted({k for ks in keys for k in ks})
    usable: dict[str, set[str]] = {}
    for i in range(0, len(wanted), 500):
        for key, n in session.execute(select(ReportKey.key, func.count()).where(ReportKey.key.in_(wanted[i:i + 500]))
                                      .group_by(ReportKey.key)):
            if n <= clustering.BLOCK_KEY_MAX:
                usable[key] = set()
    names = sorted(usable)
    for i in range(0, len(names), 500):
        for key, incident_id in session.execute(
                select(ReportKey.key, ReportRow.incident_id).distinct()
                .join(ReportRow, ReportKey.report_id == ReportRow.id)
                .where(ReportKey.key.in_(names[i:i + 500]), ReportRow.incident_id.is_not(None))):
            usable[key].add(incident_id)
    return usable


def _members(session: Session, incident_ids: Iterable[str], most: int | None) -> dict[str, list[ReportRow]]:
    out: dict[str, list[ReportRow]] = {}
    for incident_id in sorted(set(incident_ids)):
        q = (select(ReportRow).where(ReportRow.incident_id == incident_id)
             .order_by(ReportRow.document_id, ReportRow.idx))
        out[incident_id] = list(session.scalars(q.limit(most) if most else q))
    return out


def place_new_reports(sessions, write, load: Loader, doc_ids: set[int], actor: str  # type: ignore[no-untyped-def]
                      ) -> IncidentChange:
    """Index the keys of the reports of ``doc_ids`` (documents just read) and place those without an incident."""
    change = IncidentChange()
    with sessions() as s:
        rows = list(s.scalars(select(ReportRow).where(ReportRow.document_id.in_(sorted(doc_ids)))
                              .order_by(ReportRow.document_id, ReportRow.idx))) if doc_ids else []
    rows.sort(key=lambda r: (r.document_id, r.idx))
    for start in range(0, len(rows), CHUNK):
        _place_chunk(sessions, write, load, rows[start:start + CHUNK], actor, change)
    return change


def _place_chunk(sessions, write, load: Loader, rows: list[ReportRow], actor: str,  # type: ignore[no-untyped-def]
                 change: IncidentChange) -> None:
    docs = {d.id: d for d in load({r.document_id for r in rows})}
    refs = _refs(rows, docs)
    with sessions() as s:
        keys = _lookup_keys(s, refs)
    with write() as s:  # first, so reports of this chunk that have an incident are found too
        pairs = sorted({(k[:120], row.id) for row, ks in zip(rows, keys, strict=True) for k in ks})
        if pairs:
            s.execute(insert(ReportKey), [{"key": k, "report_id": r} for k, r in pairs])
    with sessions() as s:
        free = [i for i, r in enumerate(rows) if r.incident_id is None]
        by_key = _candidates(s, [keys[i] for i in free]) if free else {}
        members = _members(s, {x for found in by_key.values() for x in found}, MEMBERS_COMPARED)
        member_docs = {r.document_id for ms in members.values() for r in ms}
        docs.update({d.id: d for d in load(member_docs - set(docs))})
        involved = _link_docs(s, set(docs))
        docs.update({d.id: d for d in load(involved - set(docs))})
        links = _links(s, set(docs), {i: d.key for i, d in docs.items()})
        pooled = {r.id for ms in members.values() for r in ms} | {rows[i].id for i in free}
        others = [r for r in s.scalars(select(ReportRow).order_by(ReportRow.id).limit(clustering.WHOLE_BLOCK))
                  if r.id not in pooled] if free else []
    docs.update({d.id: d for d in load({r.document_id for r in others} - set(docs))})
    background = [clustering.evidence_text(ref, {}) for ref in _refs(others, docs)]
    blocks = _pool_blocks(free, keys, by_key, members)
    placed, new_groups, proposals = {}, [], []
    for block_free, names in blocks:
        share = {name: members[name] for name in names}
        if len(block_free) + sum(len(m) for m in share.values()) <= clustering.LINKAGE_MAX:
            got = _cluster(refs, block_free, share, docs, links, background)
        else:
            got = _greedy(refs, block_free, share, docs, background, keys, by_key)
        placed.update(got[0])
        new_groups += got[1]
        proposals += got[2]
    with write() as s:
        taken = set(s.scalars(select(IncidentRow.id)))
        for i, incident_id in placed.items():
            done = s.execute(update(ReportRow).where(ReportRow.id == rows[i].id, ReportRow.incident_id.is_(None))
                             .values(incident_id=incident_id, incident_origin=Origin.MACHINE))
            change.attached += done.rowcount
            change.refreshed.add(incident_id)
        for group in new_groups:
            incident = clustering.incident_of([refs[i] for i in group], links, (), {})
            incident.id = clustering.incident_id(incident, taken)
            taken.add(incident.id)
            s.add(IncidentRow(id=incident.id, status=incident.status, independent_count=0, data={}))
            s.flush()
            s.execute(update(ReportRow).where(ReportRow.id.in_([rows[i].id for i in group]),
                                              ReportRow.incident_id.is_(None))
                      .values(incident_id=incident.id, incident_origin=Origin.MACHINE))
            change.created.append(incident.id)
            change.refreshed.add(incident.id)
        change.proposals += _propose(s, proposals, actor)


def _pool_blocks(free: list[int], keys: list[set[str]], by_key: dict[str, set[str]],
                 members: dict[str, list[ReportRow]]) -> list[tuple[list[int], list[str]]]:
    """The new reports and candidate incidents split as a fresh clustering splits a workspace: one block while
    they are few (``WHOLE_BLOCK`` reports in all), else the groups joined by a usable key (a new report with an
    incident holding that key, or two new reports sharing it). Returns (new reports, incidents) per block."""
    if len(free) + sum(len(m) for m in members.values()) <= clustering.WHOLE_BLOCK:
        return [(free, sorted(members))]
    sets = UnionFind([("r", i) for i in free] + [("i", name) for name in members])
    holders: dict[str, list[int]] = defaultdict(list)
    for i in free:
        for k in keys[i]:
            if k in by_key:
                holders[k].append(i)
                sets.union_all([("r", i), *(("i", name) for name in by_key[k] if name in members)])
    for held in holders.values():
        sets.union_all([("r", i) for i in held])
    out = []
    for group in sets.groups():
        out.append((sorted(i for kind, i in group if kind == "r"), sorted(n for kind, n in group if kind == "i")))
    return [(f, names) for f, names in out if f]  # a block without new reports has nothing to place


def _greedy(refs: list[ReportRef], free: list[int], members: dict[str, list[ReportRow]], docs: dict[int, DocInfo],
            background: list[str], keys: list[set[str]], by_key: dict[str, set[str]]
            ) -> tuple[dict[int, str], list[list[int]], list[tuple[str, str, float]]]:
    """A block too large for average linkage: each new report, in date order, joins the cluster with the best
    mean pair score, if positive, among the incidents sharing a usable key with it (their compared members) and
    the most recent clusters of new reports (as a fresh clustering's greedy pass keeps ``GREEDY_CANDIDATES``);
    else it starts a new incident. A report left alone is tried once more at the end, when the reports met
    after it may have made its incident recognisable. Linear in the block; no merge proposals (those need
    every pair's score)."""
    names = sorted(members)
    pool = [refs[i] for i in free]
    own: dict[str, list[int]] = {}
    for name in names:
        own[name] = list(range(len(pool), len(pool) + len(members[name])))
        pool += _refs(members[name], docs)
    texts: dict[str, TextDoc] = {}
    evidence = [clustering.evidence_text(r, texts) for r in pool]
    vectors = compare.tfidf_vectors(evidence, background)
    feats = [compare.features(r.doc_id, r.report, text) for r, text in zip(pool, evidence, strict=True)]

    def mean_score(j: int, cluster: list[int]) -> float:
        return sum(compare.pair_score(feats[j], feats[m], compare.cosine(vectors[j], vectors[m]))
                   for m in cluster) / len(cluster)

    order = sorted(range(len(free)), key=lambda j: (feats[j].interval or (date.max, date.max), j))
    placed: dict[int, str] = {}
    fresh: list[list[int]] = []  # clusters of new reports (positions in ``free``)

    def best_for(j: int) -> Any:
        near = sorted({n for k in keys[free[j]] if k in by_key for n in by_key[k] if own.get(n)})
        options: list[tuple[list[int], Any]] = [(own[n], n) for n in near]
        options += [(c, c) for c in fresh[-clustering.GREEDY_CANDIDATES:] if c != [j]]
        best, best_score = None, 0.0
        for cluster, target in options:
            score = mean_score(j, cluster)
            if score > best_score:
                best, best_score = target, score
        return best

    def join(j: int, best: Any) -> None:
        if best is None:
            fresh.append([j])
        elif isinstance(best, str):
            placed[free[j]] = best
            own[best] = [*own[best], j]
        else:
            best.append(j)

    for j in order:
        join(j, best_for(j))
    for j in [c[0] for c in fresh if len(c) == 1]:  # a report met before the ones that link it: once more
        best = best_for(j)
        if best is not None:
            fresh.remove([j])
            join(j, best)
    return placed, [[free[j] for j in sorted(c)] for c in fresh], []


def _cluster(refs: list[ReportRef], free: list[int], members: dict[str, list[ReportRow]],
             docs: dict[int, DocInfo], links: list[ReuseLink], background: list[str]
             ) -> tuple[dict[int, str], list[list[int]], list[tuple[str, str, float]]]:
    """Average linkage over the free reports and the candidate incidents' members, incidents fixed; words
    are weighed over them and ``background`` (other reports: all of them in a workspace small enough to be
    one clustering block, the first ones otherwise), as a fresh clustering of the block would.

    Returns free report -> existing incident, groups of free reports forming new incidents, and merge
    proposals (two existing incidents whose mean pair score is now above zero)."""
    if not free:
        return {}, [], []
    names = sorted(members)
    pool = [refs[i] for i in free]
    fixed = []
    for name in names:
        start = len(pool)
        pool += _refs(members[name], docs)
        fixed.append(list(range(start, len(pool))))
    scores = clustering.score_matrix(pool, links, background)
    clusters = clustering.average_linkage(scores, fixed)  # the rule of a fresh clustering
    owner = {j: names[k] for k, group in enumerate(fixed) for j in group}
    placed: dict[int, str] = {}
    new_groups: list[list[int]] = []
    gained: set[str] = set()
    for cluster in clusters:
        incident = next((owner[j] for j in cluster if j in owner), None)
        mine = [free[j] for j in cluster if j < len(free)]
        if incident is None:
            new_groups.append(mine)
        elif mine:
            placed.update(dict.fromkeys(mine, incident))
            gained.add(incident)
    proposals = []
    final = {names[k]: group + [j for j in range(len(free)) if placed.get(free[j]) == names[k]]
             for k, group in enumerate(fixed)}
    for a, b in combinations(names, 2):
        if a in gained or b in gained:
            mean = float(np.mean(scores[np.ix_(final[a], final[b])]))
            if mean > 0:
                proposals.append((a, b, mean))
    return placed, new_groups, proposals


def _propose(s: Session, proposals: list[tuple[str, str, float]], actor: str) -> int:
    made = 0
    for a, b, score in proposals:
        pair = sorted((a, b))
        known = [p for p in s.scalars(select(IncidentProposal).where(IncidentProposal.kind == ProposalKind.MERGE))
                 if sorted(p.incidents) == pair and p.state in (ProposalState.OPEN, ProposalState.REJECTED)]
        if known:
            continue
        s.add(IncidentProposal(kind=ProposalKind.MERGE, incidents=pair, score=round(score, 3),
                               reason="new reports make these incidents look like one event "
                                      f"(mean pair score {score:.2f} > 0)",
                               state=ProposalState.OPEN, proposed_at=utc_now(), proposed_by=actor))
        made += 1
    return made


def first_coordinates(members: Iterable[Any], reports: dict[tuple[str, int], Any]) -> Any:
    """The coordinates of an incident's first placed report (the map columns of its row), or None."""
    return next((rep.coordinates for key in members if (rep := reports.get(tuple(key))) and rep.coordinates), None)


def refresh(sessions, write, load: Loader, incident_ids: set[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Recompute the merged fields, status and independent sources of ``incident_ids``, a few at a time;
    returns the incidents removed for having no reports left (and no human trace)."""
    retired = []
    ids = sorted(incident_ids)
    for start in range(0, len(ids), 50):
        part = ids[start:start + 50]
        with sessions() as s:
            members = _members(s, part, None)
            doc_ids = {r.document_id for ms in members.values() for r in ms}
            involved = _link_docs(s, _origins(s, doc_ids))
            with_reports = _with_reports(s, involved)
        docs = {d.id: d for d in load(involved)}
        with sessions() as s:
            links = _links(s, involved, {i: d.key for i, d in docs.items()})
        outlets = {docs[i].key: clustering.source_outlet(ReportRef(docs[i].key, 0, None, None,  # type: ignore[arg-type]
                                                                   docs[i].outlet, docs[i].text))
                   for i in with_reports}
        computed, refs_by = {}, {}
        for incident_id, rows in members.items():
            if rows:
                refs_by[incident_id] = _refs(rows, docs)
                incident = clustering.incident_of(refs_by[incident_id], links, (), outlets)
                incident.id = incident_id
                computed[incident_id] = incident
        with write() as s:
            for incident_id in part:
                row = s.get(IncidentRow, incident_id)
                if row is None:
                    continue
                incident = computed.get(incident_id)
                if incident is not None:
                    row.status, row.independent_count, row.data = (incident.status, incident.independent_count,
                                                                   incident.to_json())
                    reports = {(r.doc_id, r.index): r.report for r in refs_by[incident_id]}
                    where = first_coordinates(incident.members, reports)
                    for column, value in incident_values(row.data, where).items():
                        setattr(row, column, value)
                    apply_corrections(s, [row])  # a person's values over the machine's, kept beside them
                elif not _touched_by_a_person(s, incident_id):
                    s.delete(row)
                    retired.append(incident_id)
    return retired


def _touched_by_a_person(s: Session, incident_id: str) -> bool:
    """Whether a person ever worked on the incident: a context, a case share, an element, a review step."""
    row, review = s.get(IncidentRow, incident_id), s.get(ReviewRow, incident_id)
    shared = s.scalar(select(func.count()).select_from(CaseShare).where(CaseShare.ref == incident_id))
    assessed = any(reviewed(a) for a in s.scalars(select(AssessmentRow).where(AssessmentRow.incident_id
                                                                                == incident_id)))
    return bool(row and row.context_override) or bool(shared) or assessed or bool(
        review and review.state != MACHINE_STATE)


def incidents_of_documents(session: Session, doc_ids: Iterable[int]) -> set[str]:
    ids = sorted(set(doc_ids))
    out: set[str] = set()
    for i in range(0, len(ids), 500):
        out |= set(session.scalars(select(ReportRow.incident_id).distinct()
                                   .where(ReportRow.document_id.in_(ids[i:i + 500]),
                                          ReportRow.incident_id.is_not(None))))
    return out


def forget_keys(session: Session, report_ids: list[int]) -> None:
    for i in range(0, len(report_ids), 500):
        session.execute(delete(ReportKey).where(ReportKey.report_id.in_(report_ids[i:i + 500])))
