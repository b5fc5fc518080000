"""Incidents that keep their identity: new reports join incidents or start new ones; nothing is renamed,
merged or split behind a person's back.

The contract (also in the project notes, for the curation work):

* A report's place in an incident has an origin, ``reports.incident_origin``: ``machine`` or a person's
  (any other value, e.g. ``analyst``). The machine never moves, removes or re-places a report a person
  placed; it places only reports that have no incident.
* A report keeps its incident when its document is read again (same document, same report index); the
  analysis places only reports that are new.
* New reports are placed a chunk at a time, each compared only with the incidents found through its keys
  (place, target, weapon, rarest evidence words: ``report_keys``), never with a pool that grows with the
  workspace. While a chunk and its candidates are few (``WHOLE_BLOCK`` reports), they are clustered together
  by the same average-linkage rule as a fresh clustering
  (:func:`hague.corroboration.incidents.cluster_incidents`), with the existing incidents fixed: they take in
  new reports but never merge with each other. Past that, a report meets only its ``CANDIDATES`` nearest
  incidents (sharing most keys) through their first ``MEMBERS_COMPARED`` members: a block small enough is
  still clustered by average linkage, a larger one greedily. When two existing incidents now look like one
  event, the machine stores a *merge proposal* (``incident_proposals``, state ``open``) for a person to
  decide; a rejected proposal is never made again.
* An incident's id is fixed when it is created (readable, and unique by a short hash when the readable
  part is taken); it never changes. An incident left without reports is removed only if no person ever
  touched it (review, assessment, context, case share); otherwise it stays, empty, for a person to see.
* Only incidents that gained or lost reports, or whose documents' reuse changed, are recomputed (merged
  fields, independent sources) and have their legal checklists refreshed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import combinations, islice
from typing import Any

import numpy as np
from sqlalchemy import String, cast, delete, func, select, text, update
from sqlalchemy.orm import Session

from hague.assessments import reviewed
from hague.corroboration import compare, dating
from hague.corroboration import incidents as clustering
from hague.corroboration.incidents import ReportRef
from hague.corroboration.reuse import ReuseLink
from hague.corroboration.sources import LinkIndex
from hague.curation.incidents import apply_corrections
from hague.db import insert_rows
from hague.findings import DocInfo, doc_key, incident_values, report_of
from hague.model import (
    AssessmentRow,
    CaseShare,
    Document,
    IncidentAlias,
    IncidentProposal,
    IncidentRow,
    ReportKey,
    ReportRow,
    ReuseRow,
    ReviewRow,
)
from hague.progress import SILENT, Progress
from hague.reading.text import TextDoc
from hague.timestamps import utc_now
from hague.unionfind import UnionFind
from hague.vocab import MACHINE_STATE, Origin, ProposalKind, ProposalState, Stage

MEMBERS_COMPARED = 20  # a new report is compared with at most this many members of an incident (its first)
CANDIDATES = 8  # past WHOLE_BLOCK, a new report is compared with at most this many incidents (sharing most keys)
BACKGROUND = 400  # reports whose evidence weighs words (document frequencies) beside those compared
SEEN_MAX = 20_000  # reports whose ref, wording and features a run keeps between chunks (the latest used)
KEY_LENGTH = 120  # a stored key's length at most (``report_keys.key``)
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


def _links(session: Session, keys: dict[int, str]) -> list[ReuseLink]:
    """Stored reuse links with both ends among the documents of ``keys`` (document id -> key), with their keys,
    in the order they were stored. A link is found through its later document (``to``), which must be one."""
    ids = sorted(keys)
    found = []
    for i in range(0, len(ids), 500):
        found += session.execute(select(ReuseRow.id, ReuseRow.from_document_id, ReuseRow.to_document_id,
                                        ReuseRow.from_start, ReuseRow.from_end, ReuseRow.to_start, ReuseRow.to_end,
                                        ReuseRow.similarity, ReuseRow.basis)
                                 .where(ReuseRow.to_document_id.in_(ids[i:i + 500])))
    return [ReuseLink(keys[r.from_document_id], keys[r.to_document_id], (r.from_start, r.from_end),
                      (r.to_start, r.to_end), r.similarity, r.basis)
            for r in sorted(found) if r.from_document_id in keys]


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


def _key_counts(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """How many stored reports hold each key, counted only up to ``BLOCK_KEY_MAX + 1`` (past it a key says
    nothing about sameness, and is not used): each count is an index probe that stops there, so it costs the
    same however large the workspace, where an exact count of a common word grows with it."""
    cap = clustering.BLOCK_KEY_MAX + 1
    wanted = sorted(set(keys))
    out: dict[str, int] = {}
    for i in range(0, len(wanted), 200):  # SQLite allows 500 terms in one compound select
        part = wanted[i:i + 200]
        query = " UNION ALL ".join(f"SELECT {n} AS n, count(*) AS c FROM (SELECT 1 FROM report_keys "
                                   f"WHERE key = :k{n} LIMIT {cap}) AS h{n}" for n in range(len(part)))
        for n, count in session.execute(text(query), {f"k{n}": k for n, k in enumerate(part)}):
            out[part[n]] = count
    return out


def _lookup_keys(session: Session, described: list[clustering.Described]) -> list[set[str]]:
    """Each report's keys as stored and looked up: document, targets, weapons, place, and its rarest words
    (by how many stored reports have them), as :func:`hague.corroboration.incidents.blocks` picks them."""
    found = [clustering.block_keys(d) for d in described]
    found = [({k[:KEY_LENGTH] for k in fixed}, {w[:KEY_LENGTH] for w in bag}) for fixed, bag in found]
    df = _key_counts(session, {w for _, bag in found for w in bag})
    batch: dict[str, int] = defaultdict(int)
    for _, bag in found:
        for w in bag:
            batch[w] += 1
    return [fixed | set(sorted(bag, key=lambda w: (df.get(w, 0) + batch[w], w))[:clustering.RARE_WORDS])
            for fixed, bag in found]


def _candidates(session: Session, keys: list[set[str]]) -> dict[str, set[str]]:
    """Usable key (held by at most ``BLOCK_KEY_MAX`` reports) -> the incidents holding a report with it, for
    the keys of the new reports; a key no incident holds maps to an empty set (it may still join two new
    reports)."""
    counts = _key_counts(session, {k for ks in keys for k in ks})
    usable: dict[str, set[str]] = {k: set() for k, n in counts.items() if n <= clustering.BLOCK_KEY_MAX}
    names = sorted(usable)
    for i in range(0, len(names), 500):
        for key, incident_id in session.execute(
                select(ReportKey.key, ReportRow.incident_id).distinct()
                .join(ReportRow, ReportKey.report_id == ReportRow.id)
                .where(ReportKey.key.in_(names[i:i + 500]), ReportRow.incident_id.is_not(None))):
            usable[key].add(incident_id)
    return usable


def nearest(keys: set[str], by_key: dict[str, set[str]]) -> list[str]:
    """The incidents sharing a usable key with a report, those sharing most first (ties by id); past
    ``WHOLE_BLOCK``, the first ``CANDIDATES`` are the only existing incidents it is compared with."""
    shared: dict[str, int] = defaultdict(int)
    for k in keys:
        for name in by_key.get(k, ()):
            shared[name] += 1
    return sorted(shared, key=lambda name: (-shared[name], name))


def _members(session: Session, incident_ids: Iterable[str]) -> dict[str, list[ReportRow]]:
    """Each incident's reports in document order, read in one query (a query per incident was most of a refresh)."""
    out: dict[str, list[ReportRow]] = {i: [] for i in sorted(set(incident_ids))}
    for r in session.scalars(select(ReportRow).where(ReportRow.incident_id.in_(list(out)))
                             .order_by(ReportRow.incident_id, ReportRow.document_id, ReportRow.idx)):
        out[r.incident_id].append(r)
    return out


def _taken(session: Session, wanted: Iterable[str]) -> set[str]:
    """Those of the ``wanted`` incident ids that are in use, by an incident or as the old id of a merged one
    (whose links lead to the incident it became); never all of them loaded."""
    names = sorted(set(wanted))
    out: set[str] = set()
    for i in range(0, len(names), 500):
        part = names[i:i + 500]
        out |= set(session.scalars(select(IncidentRow.id).where(IncidentRow.id.in_(part))))
        out |= set(session.scalars(select(IncidentAlias.old_id).where(IncidentAlias.old_id.in_(part))))
    return out


def _assign(session: Session, report_ids: list[int], incident_id: str) -> int:
    """Place the reports that have no incident yet in ``incident_id``, by the machine; returns how many."""
    done = 0
    for i in range(0, len(report_ids), 500):
        done += session.execute(update(ReportRow).where(ReportRow.id.in_(report_ids[i:i + 500]),
                                                        ReportRow.incident_id.is_(None))
                                .values(incident_id=incident_id, incident_origin=Origin.MACHINE)
                                .execution_options(synchronize_session=False)).rowcount  # none loaded here
    return done


class _Seen:
    """What a placing run has worked out, kept between its chunks: about a report (a member of a large incident
    is compared in every chunk), its ref and document by report id and its evidence wording and features by
    (document key, index), for the ``SEEN_MAX`` reports used most recently (memory stays bounded, and the
    members of large incidents, met chunk after chunk, stay); and the incident pairs proposed for a merge or
    weighed for one. A report is described when first read, so its ref is kept without its document's text
    (about a tenth of what a kept report cost, measured on 100,000 generated documents)."""

    def __init__(self, load: Loader) -> None:
        self.load = load
        self.refs: dict[int, ReportRef] = {}  # least recently used first
        self.doc_of: dict[int, int] = {}  # report id -> document id
        self.proposed: set[tuple[str, ...]] | None = None  # merge proposals known (:func:`_proposed`)
        self.weighed: set[tuple[str, ...]] = set()  # incident pairs weighed for a merge in this run
        self.described: dict[tuple[str, int], clustering.Described] = {}

    def forget_least_used(self) -> None:
        """Keep the ``SEEN_MAX`` reports used most recently; called between chunks, so that what a chunk uses
        stays while it runs."""
        for report_id in list(islice(self.refs, max(0, len(self.refs) - SEEN_MAX))):
            self.described.pop(self.refs.pop(report_id).key, None)
            del self.doc_of[report_id]

    def _used(self, report_ids: Iterable[int]) -> None:
        for i in report_ids:
            self.refs[i] = self.refs.pop(i)

    def refs_of(self, rows: list[ReportRow]) -> list[ReportRef]:
        missing = [r for r in rows if r.id not in self.refs]
        self._used(r.id for r in rows if r.id in self.refs)
        if missing:
            docs = {d.id: d for d in self.load({r.document_id for r in missing})}
            texts: dict[str, TextDoc] = {}
            for row, ref in zip(missing, _refs(missing, docs), strict=True):
                self.described[ref.key] = clustering.describe(ref, texts)
                self.refs[row.id] = replace(ref, text="")  # described: the text has served
                self.doc_of[row.id] = row.document_id
        return [self.refs[r.id] for r in rows]

    def members(self, session: Session, incident_ids: Iterable[str]) -> dict[str, list[int]]:
        """The first ``MEMBERS_COMPARED`` reports (by id) of each incident, their refs read when not yet known;
        asked of the database for many incidents at once (numbered within each incident), not one by one."""
        names = sorted(set(incident_ids))
        out: dict[str, list[int]] = {name: [] for name in names}
        for i in range(0, len(names), 500):
            rank = func.row_number().over(partition_by=ReportRow.incident_id, order_by=ReportRow.id).label("rank")
            ranked = (select(ReportRow.incident_id, ReportRow.id, rank)
                      .where(ReportRow.incident_id.in_(names[i:i + 500])).subquery())
            for name, report_id in session.execute(select(ranked.c.incident_id, ranked.c.id)
                                                   .where(ranked.c.rank <= MEMBERS_COMPARED)
                                                   .order_by(ranked.c.incident_id, ranked.c.id)):
                out[name].append(report_id)
        wanted = {i for ids in out.values() for i in ids}
        self._used(sorted(wanted & self.refs.keys()))
        missing = sorted(wanted - self.refs.keys())
        for i in range(0, len(missing), 500):
            self.refs_of(list(session.scalars(select(ReportRow).where(ReportRow.id.in_(missing[i:i + 500])))))
        return out

    def describe(self, ref: ReportRef) -> clustering.Described:
        """The report's evidence wording and its features (:func:`hague.corroboration.incidents.describe`),
        worked out when its ref was read: a new report's serve its keys and its placement alike."""
        return self.described[ref.key]


def place_new_reports(sessions, write, load: Loader, doc_ids: set[int], actor: str,  # type: ignore[no-untyped-def]
                      progress: Progress = SILENT) -> IncidentChange:
    """Index the keys of the reports of ``doc_ids`` (documents just read) and place those without an incident;
    ``progress`` hears how many reports there are, then of each chunk placed."""
    change = IncidentChange()
    docs = sorted(doc_ids)
    ids: list[int] = []
    with sessions() as s:
        for i in range(0, len(docs), 500):
            ids += s.scalars(select(ReportRow.id).where(ReportRow.document_id.in_(docs[i:i + 500]))
                             .order_by(ReportRow.document_id, ReportRow.idx))
    seen = _Seen(load)
    background: list[tuple[int, str]] | None = None
    progress.start(Stage.PLACING, len(ids))
    for start in range(0, len(ids), CHUNK):  # rows read a chunk at a time: memory stays flat
        seen.forget_least_used()
        with sessions() as s:
            rows = list(s.scalars(select(ReportRow).where(ReportRow.id.in_(ids[start:start + CHUNK]))))
        rows.sort(key=lambda r: (r.document_id, r.idx))
        background = _place_chunk(sessions, write, seen, rows, actor, change, background)
        progress.done(Stage.PLACING, len(rows))
    return change


def _background(sessions, seen: _Seen) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """The evidence texts of the first ``BACKGROUND`` stored reports (by id), weighing words as among many
    reports however few are compared; read once per run."""
    with sessions() as s:
        rows = list(s.scalars(select(ReportRow).order_by(ReportRow.id).limit(BACKGROUND)))
    return [(r.id, seen.describe(ref)[0]) for r, ref in zip(rows, seen.refs_of(rows), strict=True)]


def _place_chunk(sessions, write, seen: _Seen, rows: list[ReportRow], actor: str,  # type: ignore[no-untyped-def]
                 change: IncidentChange, background: list[tuple[int, str]] | None) -> list[tuple[int, str]] | None:
    refs = seen.refs_of(rows)
    with sessions() as s:
        keys = _lookup_keys(s, [seen.describe(r) for r in refs])
    with write() as s:  # first, so reports of this chunk that have an incident are found too
        pairs = sorted({(k, row.id) for row, ks in zip(rows, keys, strict=True) for k in ks})
        insert_rows(s, ReportKey, [{"key": k, "report_id": r} for k, r in pairs])
    free = [i for i, r in enumerate(rows) if r.incident_id is None]
    if not free:
        return background
    with sessions() as s:
        by_key = _candidates(s, [keys[i] for i in free])
        near = {i: nearest(keys[i], by_key) for i in free}
        closest = {i: found[:CANDIDATES] for i, found in near.items()}
        ids_of = seen.members(s, {x for found in closest.values() for x in found})
        rest = {x for found in near.values() for x in found} - set(ids_of)
        if len(free) + sum(len(m) for m in ids_of.values()) + len(rest) <= clustering.WHOLE_BLOCK:
            ids_of.update(seen.members(s, rest))  # few: every candidate, as a fresh clustering would
        if len(free) + sum(len(m) for m in ids_of.values()) > clustering.WHOLE_BLOCK:
            kept = {x for found in closest.values() for x in found}
            near, ids_of = closest, {name: ms for name, ms in ids_of.items() if name in kept}
    members = {name: [seen.refs[i] for i in ms] for name, ms in ids_of.items()}
    if background is None:
        background = _background(sessions, seen)
    pooled = {i for ms in ids_of.values() for i in ms} | {rows[i].id for i in free}
    others = compare.Background.of([text for report_id, text in background if report_id not in pooled])
    placed, new_groups, proposals = {}, [], []
    blocks = _pool_blocks(free, keys, by_key, members)
    # One read of the reuse links for the whole chunk: a pair of reports is scored with the links between their
    # two documents only, which are the same whichever other documents the read takes in.
    links = _links_among(sessions, {rows[i].document_id for i in free}
                         | {seen.doc_of[i] for ms in ids_of.values() for i in ms}) if blocks else []
    for block_free, names in blocks:
        share = {name: members[name] for name in names}
        if len(block_free) + sum(len(m) for m in share.values()) <= clustering.LINKAGE_MAX:
            got = _cluster(refs, block_free, share, seen, links, others)
        else:
            got = _greedy(refs, block_free, share, seen, others, keys, by_key, near, links)
        placed.update(got[0])
        new_groups += got[1]
        proposals += got[2]
    with write() as s:
        joining: dict[str, list[int]] = defaultdict(list)
        for i, incident_id in placed.items():
            joining[incident_id].append(rows[i].id)
        for incident_id, report_ids in joining.items():
            change.attached += _assign(s, report_ids, incident_id)
            change.refreshed.add(incident_id)
        # For their ids and status; refresh counts their sources and does the rest.
        created = [clustering.incident_of([refs[i] for i in group], LinkIndex(), (), {}, sources=False)
                   for group in new_groups]
        taken = _taken(s, {name for incident in created for name in clustering.candidate_ids(incident)})
        for incident in created:
            incident.id = clustering.incident_id(incident, taken)
            taken.add(incident.id)
        insert_rows(s, IncidentRow, [{"id": incident.id, "status": incident.status, "independent_count": 0,
                                      "data": {}} for incident in created])
        for group, incident in zip(new_groups, created, strict=True):
            _assign(s, [rows[i].id for i in group], incident.id)
            change.created.append(incident.id)
            change.refreshed.add(incident.id)
        if seen.proposed is None:
            seen.proposed = _proposed(s)
        change.proposals += _propose(s, proposals, actor, seen.proposed)
    return background


def _links_among(sessions, doc_ids: set[int]) -> list[ReuseLink]:  # type: ignore[no-untyped-def]
    """Stored reuse links with both ends among the documents, with document keys: two reports are scored with
    the links between their own two documents only (:func:`hague.corroboration.incidents.passage_sharing`)."""
    ids = sorted(doc_ids)
    keys: dict[int, str] = {}
    with sessions() as s:
        for i in range(0, len(ids), 500):
            keys.update((row.id, doc_key(row)) for row in s.execute(
                select(Document.id, Document.external_id).where(Document.id.in_(ids[i:i + 500]))))
        return _links(s, keys)


def _pool_blocks(free: list[int], keys: list[set[str]], by_key: dict[str, set[str]],
                 members: dict[str, list[Any]]) -> list[tuple[list[int], list[str]]]:
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
    for k, held in holders.items():  # the new reports holding a key, and the incidents holding it, are one set
        sets.union_all([*(("r", i) for i in held), *(("i", name) for name in by_key[k] if name in members)])
    out = []
    for group in sets.groups():
        out.append((sorted(i for kind, i in group if kind == "r"), sorted(n for kind, n in group if kind == "i")))
    return [(f, names) for f, names in out if f]  # a block without new reports has nothing to place


def _greedy(refs: list[ReportRef], free: list[int], members: dict[str, list[ReportRef]], seen: _Seen,
            background: compare.Background, keys: list[set[str]], by_key: dict[str, set[str]],
            near: dict[int, list[str]], links: list[ReuseLink]
            ) -> tuple[dict[int, str], list[list[int]], list[tuple[str, str, float]]]:
    """A block too large for average linkage: each new report, in date order, joins the cluster with the best
    mean pair score, if positive, among its nearest incidents (:func:`nearest`) and the most recent clusters of
    new reports sharing a usable key with it (as a fresh clustering's greedy pass keeps ``GREEDY_CANDIDATES``);
    else it starts a new incident. A cluster is compared through its first ``MEMBERS_COMPARED`` members, the
    wording through their summed vectors (the mean cosine is the cosine with their sum, over their number). A
    report left alone is tried once more at the end, when the reports met after it may have made its incident
    recognisable. When a report scores above zero with two existing incidents, and their members' mean pair
    score is above zero too, the two are proposed for a merge. A pair of reports whose documents share a reuse
    link is scored with the shared passage, as in a fresh clustering (a copy joins its origin's incident).
    Linear in the block."""
    names = sorted(members)
    pool = [refs[i] for i in free]
    clusters: dict[Any, list[int]] = {}
    for name in names:
        clusters[name] = list(range(len(pool), len(pool) + len(members[name])))
        pool += members[name]
    described = [seen.describe(r) for r in pool]
    vectors = compare.tfidf_vectors([text for text, _ in described], background)
    features = compare.Pool([f for _, f in described])
    sums: dict[Any, dict[str, float]] = {}

    def grow(cid: Any, j: int) -> None:
        cluster = clusters.setdefault(cid, [])
        cluster.append(j)
        if len(cluster) <= MEMBERS_COMPARED:
            total = sums.setdefault(cid, {})
            for term, value in vectors[j].items():
                total[term] = total.get(term, 0.0) + value

    for name in names:
        for j in clusters.pop(name):
            grow(name, j)

    shared = clustering.passage_sharing(links)

    def mean_scores(j: int, cids: list[Any]) -> list[float]:
        """The mean pair score of report ``j`` with each cluster's compared members: every pair scored at once,
        each cluster's scores summed in member order."""
        compared = [clusters[cid][:MEMBERS_COMPARED] for cid in cids]
        wording = [compare.cosine(vectors[j], sums[cid]) / len(ms) for cid, ms in zip(cids, compared, strict=True)]
        others = [m for ms in compared for m in ms]
        scores = compare.pair_scores(features, [j] * len(others), others,
                                     np.repeat(wording, [len(ms) for ms in compared]),
                                     [shared(pool[j], pool[m]) for m in others]).tolist()
        out, at = [], 0
        for ms in compared:
            out.append(sum(scores[at:at + len(ms)]) / len(ms))
            at += len(ms)
        return out

    usable = [{k for k in keys[free[j]] if k in by_key} for j in range(len(free))]
    holders: dict[str, list[int]] = defaultdict(list)  # usable key -> new reports (positions) placed, in order
    home: dict[int, Any] = {}  # new report (position) -> its cluster
    fresh = 0
    liked: dict[int, list[tuple[float, str]]] = {}  # new report -> existing incidents scoring above zero

    def best_for(j: int) -> Any:
        options = [n for n in near.get(free[j], ()) if n in clusters]
        most = clustering.GREEDY_CANDIDATES
        recent = sorted({home[m] for k in usable[j] for m in holders[k][-most:]
                         if isinstance(home[m], tuple) and home[m] != home.get(j)})[-most:]
        best, best_score = None, 0.0
        liked[j] = []
        for cid, score in zip(options + recent, mean_scores(j, options + recent), strict=True):
            if score > 0 and isinstance(cid, str):
                liked[j].append((score, cid))
            if score > best_score:
                best, best_score = cid, score
        return best

    def join(j: int, cid: Any) -> None:
        nonlocal fresh
        if cid is None:
            cid, fresh = ("new", fresh), fresh + 1
        grow(cid, j)
        home[j] = cid
        for k in usable[j]:
            holders[k].append(j)

    order = sorted(range(len(free)), key=lambda j: (features.feats[j].interval or (date.max, date.max), j))
    for j in order:
        join(j, best_for(j))
    for j in order:  # a report met before the ones that link it: once more
        cid = home[j]
        if isinstance(cid, tuple) and clusters[cid] == [j]:
            best = best_for(j)
            if best is not None:
                del clusters[cid], sums[cid]
                join(j, best)
    placed = {free[j]: cid for j, cid in home.items() if isinstance(cid, str)}
    new_groups = [[free[j] for j in sorted(c)] for cid, c in sorted(clusters.items(), key=lambda x: str(x[0]))
                  if isinstance(cid, tuple)]
    return placed, new_groups, _greedy_proposals(liked, clusters, features, vectors, seen.weighed)


def _greedy_proposals(liked: dict[int, list[tuple[float, str]]], clusters: dict[Any, list[int]],
                      features: compare.Pool, vectors: list[dict[str, float]], weighed: set[tuple[str, ...]]
                      ) -> list[tuple[str, str, float]]:
    """Merge proposals of a greedy placement: the two best existing incidents of every new report that scored
    above zero with both, when the mean pair score of their compared members is above zero too. A pair is
    weighed once per run (``weighed``)."""
    pairs = {tuple(sorted(n for _, n in sorted(scores, reverse=True)[:2])) for scores in liked.values()
             if len(scores) > 1} - weighed
    weighed |= pairs
    out = []
    for a, b in sorted(pairs):
        left, right = clusters[a][:MEMBERS_COMPARED], clusters[b][:MEMBERS_COMPARED]
        pairs = [(x, y) for x in left for y in right]
        mean = sum(compare.pair_scores(features, [x for x, _ in pairs], [y for _, y in pairs],
                                       [compare.cosine(vectors[x], vectors[y]) for x, y in pairs]).tolist()
                   ) / len(pairs)
        if mean > 0:
            out.append((a, b, mean))
    return out


def _cluster(refs: list[ReportRef], free: list[int], members: dict[str, list[ReportRef]], seen: _Seen,
             links: list[ReuseLink], background: compare.Background
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
        pool += members[name]
        fixed.append(list(range(start, len(pool))))
    scores = clustering.score_matrix(pool, links, background, [seen.describe(r) for r in pool])
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


def _propose(s: Session, proposals: list[tuple[str, str, float]], actor: str, known: set[tuple[str, ...]]) -> int:
    """Store merge proposals not made before (``known``: the pairs proposed, open or rejected, read once per
    run and kept up to date here)."""
    made = 0
    for a, b, score in proposals:
        pair = tuple(sorted((a, b)))
        if pair in known:
            continue
        known.add(pair)
        s.add(IncidentProposal(kind=ProposalKind.MERGE, incidents=list(pair), score=round(score, 3),
                               reason="new reports make these incidents look like one event "
                                      f"(mean pair score {score:.2f} > 0)",
                               state=ProposalState.OPEN, proposed_at=utc_now(), proposed_by=actor))
        made += 1
    return made


def _proposed(s: Session) -> set[tuple[str, ...]]:
    """The incident pairs proposed for a merge that are open or were rejected (never proposed again)."""
    return {tuple(sorted(p.incidents)) for p in s.scalars(select(IncidentProposal).where(
        IncidentProposal.kind == ProposalKind.MERGE,
        IncidentProposal.state.in_((ProposalState.OPEN, ProposalState.REJECTED))))}


def first_coordinates(members: Iterable[Any], reports: dict[tuple[str, int], Any]) -> Any:
    """The coordinates of an incident's first placed report (the map columns of its row), or None."""
    return next((rep.coordinates for key in members if (rep := reports.get(tuple(key))) and rep.coordinates), None)


def refresh(sessions, write, load: Loader, incident_ids: set[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Recompute the merged fields, status and independent sources of ``incident_ids``, a few at a time;
    returns the incidents removed for having no reports left (and no human trace)."""
    retired = []
    ids = sorted(incident_ids)
    outlet_of: dict[int, str | None] = {}  # a wire story's credit is read once, however many batches cite it
    for start in range(0, len(ids), 50):
        part = ids[start:start + 50]
        with sessions() as s:
            members = _members(s, part)
            # Tracing a member's passages follows only links into it and, along chains, into what it copied.
            involved = _origins(s, {r.document_id for ms in members.values() for r in ms})
            with_reports = _with_reports(s, involved)
        docs = {d.id: d for d in load(involved)}
        with sessions() as s:
            links = LinkIndex(_links(s, {i: d.key for i, d in docs.items()}))
        for i in with_reports - outlet_of.keys():
            outlet_of[i] = clustering.source_outlet(ReportRef(docs[i].key, 0, None, None,  # type: ignore[arg-type]
                                                              docs[i].outlet, docs[i].text))
        outlets = {docs[i].key: outlet_of[i] for i in with_reports}
        computed, refs_by, dated = {}, {}, {}
        for incident_id, rows in members.items():
            if rows:
                refs_by[incident_id] = _refs(rows, docs)
                dated.update(_date_members(refs_by[incident_id], rows))
                incident = clustering.incident_of(refs_by[incident_id], links, (), outlets)
                incident.id = incident_id
                computed[incident_id] = incident
        with write() as s:
            for row_id, got in dated.items():
                dating.store(s, row_id, got)
            rows = {r.id: r for r in s.scalars(select(IncidentRow).where(IncidentRow.id.in_(part)))}
            recomputed = []
            for incident_id in part:
                row = rows.get(incident_id)
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
                    recomputed.append(row)
                elif not _touched_by_a_person(s, incident_id):
                    s.delete(row)
                    retired.append(incident_id)
            apply_corrections(s, recomputed)  # a person's values over the machine's, kept beside them
    return retired


def _date_members(refs: list[ReportRef], rows: list[ReportRow]) -> dict[int, dating.Dating]:
    """Report id -> the date the incident gives a member that names a day without a year
    (:mod:`hague.corroboration.dating`), set on its ref too, so the incident is merged with it."""
    by_key = {ref.key: (ref, row.id) for ref, row in zip(refs, rows, strict=True)}
    out = {}
    for key, got in dating.date_members(refs, dating.filled_keys(refs, rows)).items():
        ref, row_id = by_key[key]
        ref.report.date = got.date
        out[row_id] = got
    return out


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


def unfinished(session: Session, read: Collection[int]) -> tuple[set[int], set[str]]:
    """What an analysis that stopped part-way (killed, or a write that failed) left undone, for this run to
    finish: the documents, besides those just ``read``, with reports the machine has yet to place (no incident,
    and no person placed them), whose keys are forgotten so that placement indexes them afresh; and the
    incidents made but never refreshed (no data yet). Without this, those reports stayed out of every incident
    and those incidents empty until ``analyze --all``."""
    docs = set(session.scalars(select(ReportRow.document_id).distinct()
                               .where(ReportRow.incident_id.is_(None), ReportRow.incident_origin.is_(None))))
    left = sorted(docs - set(read))
    for i in range(0, len(left), 500):
        forget_keys(session, list(session.scalars(select(ReportRow.id)
                                                  .where(ReportRow.document_id.in_(left[i:i + 500])))))
    empty = set(session.scalars(select(IncidentRow.id).where(cast(IncidentRow.data, String) == "{}")))
    return docs, empty


def forget_keys(session: Session, report_ids: list[int]) -> None:
    for i in range(0, len(report_ids), 500):
        session.execute(delete(ReportKey).where(ReportKey.report_id.in_(report_ids[i:i + 500])))
