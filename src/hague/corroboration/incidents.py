"""Cluster reports from many documents into incidents.

An incident is what several documents report as one event. Reports are linked by
pairwise evidence (:mod:`hague.corroboration.compare`) and grouped by average linkage,
which keeps two events of one kind apart even when a vague report resembles both (a
chain of single links would glue them). Merging never resolves disagreement: every
field keeps each document's value with who says it, and the independent source count
removes copied passages and syndicated copies (:mod:`hague.corroboration.sources`).
Incident status words follow the sources ("reported", "alleged", "disputed"...), never
a legal conclusion.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from hague.corroboration import compare
from hague.corroboration.sources import LinkIndex, ReuseLike, SourceGroup, independent_sources, wire_credit
from hague.reading.fields import Report, Span
from hague.reading.text import TextDoc
from hague.unionfind import UnionFind

MERGED_FIELDS = ("event", "targets", "weapons", "place", "country", "date", "killed", "injured",
                 "casualty_text", "perpetrator", "status")
# Incident status from the member statuses, first match wins; "disputed" = denied by some, asserted by others.
_STATUS_ORDER = ("confirmed", "disputed", "reported", "alleged", "unconfirmed", "denied")


@dataclass
class ReportRef:
    """A report with where it comes from: the document, its date and outlet, and its text (for wording)."""

    doc_id: str
    index: int
    report: Report
    published: date | None = None
    outlet: str | None = None
    text: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.doc_id, self.index)


@dataclass
class Claim:
    """One document's value for a field."""

    value: Any
    doc_id: str
    index: int
    outlet: str | None


@dataclass
class MergedField:
    """Every member's value for one field, so disagreement stays visible ("killed: 35-50, who says which")."""

    claims: list[Claim] = field(default_factory=list)

    @property
    def values(self) -> list[Any]:
        """Distinct values, most often claimed first (list values are compared as sets)."""
        counts = Counter(_hashable(c.value) for c in self.claims if c.value not in (None, [], ""))
        return [_unhashable(v) for v, _ in counts.most_common()]

    @property
    def value(self) -> Any:
        """The most claimed value; for lists, the union of all claimed items, most claimed first."""
        listed = [c.value for c in self.claims if isinstance(c.value, list)]
        if listed:
            counts = Counter(item for values in listed for item in dict.fromkeys(values))
            return [item for item, _ in counts.most_common()]
        values = self.values
        return values[0] if values else None

    @property
    def range(self) -> tuple[int, int] | None:
        """(min, max) of numeric claims, e.g. casualty counts."""
        numbers = [c.value for c in self.claims if isinstance(c.value, int) and not isinstance(c.value, bool)]
        return (min(numbers), max(numbers)) if numbers else None

    @property
    def disputed(self) -> bool:
        return len(self.values) > 1

    def to_json(self) -> dict[str, Any]:
        claims = [{"value": c.value, "doc_id": c.doc_id, "index": c.index, "outlet": c.outlet}
                  for c in self.claims if c.value not in (None, [])]
        out: dict[str, Any] = {"value": self.value, "disputed": self.disputed, "values": claims}
        if self.range:
            out["range"] = list(self.range)
        return out


def _hashable(value: Any) -> Any:
    return tuple(sorted(value)) if isinstance(value, list) else value


def _unhashable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@dataclass
class Incident:
    """A cluster of reports about one event, with merged fields and its independent sources."""

    id: str
    members: list[tuple[str, int]]
    fields: dict[str, MergedField]
    status: str
    pattern: bool
    evidence: list[tuple[str, int, int]]
    independent_sources: list[SourceGroup]

    @property
    def independent_count(self) -> int:
        return len(self.independent_sources)

    @property
    def documents(self) -> list[str]:
        return sorted({doc for doc, _ in self.members})

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "status": self.status, "pattern": self.pattern,
            "members": [list(m) for m in self.members],
            "fields": {name: merged.to_json() for name, merged in self.fields.items()},
            "independent_count": self.independent_count,
            "independent_sources": [g.to_json() for g in self.independent_sources],
            "evidence": [list(e) for e in self.evidence],
        }


def evidence_text(ref: ReportRef, docs: dict[str, TextDoc]) -> str:
    """The sentences that hold the report's evidence (a bare span is often too short to compare)."""
    if not ref.text:
        return ""
    doc = docs.get(ref.doc_id)
    if doc is None:
        doc = docs[ref.doc_id] = TextDoc(ref.text)
    parts: dict[Span, None] = {}
    for start, end in ref.report.evidence:
        first, last = doc.sentence_of_paragraph(start), doc.sentence_of_paragraph(max(start, end - 1))
        parts[(first[0] if first else start, last[1] if last else end)] = None
    return " ".join(ref.text[s:e] for s, e in sorted(parts))


Described = tuple[str, compare.Features]  # a report's evidence text and its features (:func:`describe`)


def describe(ref: ReportRef, docs: dict[str, TextDoc]) -> Described:
    """The report's evidence text and its features: what blocking and every comparison read of it, worked out
    once per report (splitting its document into sentences and reading the words cost most of a clustering)."""
    text = evidence_text(ref, docs)
    return text, compare.features(ref.doc_id, ref.report, text)


def average_linkage(scores: np.ndarray, fixed: Sequence[Sequence[int]] = ()) -> list[list[int]]:
    """Merge the two clusters with the highest mean pair score while it is above 0.

    ``-inf`` pairs never end up in one cluster (their mean stays ``-inf``). ``fixed`` are clusters that exist
    already (incidents of earlier runs): each starts whole, takes in other reports by the same rule, and never
    merges with another fixed cluster (that is a person's decision; :mod:`hague.analysis.incidents`).
    """
    n = len(scores)
    sums = scores.copy()
    np.fill_diagonal(sums, -np.inf)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    clusters: list[list[int]] = [[i] for i in range(n)]

    def merge(i: int, j: int) -> None:
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums[i, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
        clusters[i].extend(clusters[j])
        clusters[j] = []

    heads = []
    for group in fixed:
        for j in sorted(group)[1:]:
            merge(min(group), j)
        heads.append(min(group))
    for a in heads:
        for b in heads:
            if a != b:
                sums[a, b] = -np.inf
    while alive.sum() > 1:
        means = sums / np.outer(sizes, sizes)
        means[~alive, :] = -np.inf
        means[:, ~alive] = -np.inf
        i, j = np.unravel_index(np.argmax(means), means.shape)
        if means[i, j] <= 0:
            break
        merge(min(i, j), max(i, j))
    return [sorted(c) for c in clusters if c]


def _mapped(span: Span, source: Span, target: Span) -> Span:
    """Where ``span`` (inside the ``source`` passage) falls in its copy ``target``, by relative position."""
    scale = (target[1] - target[0]) / max(1, source[1] - source[0])
    return (target[0] + round((max(span[0], source[0]) - source[0]) * scale),
            target[0] + round((min(span[1], source[1]) - source[0]) * scale))


def shares_passage(a: ReportRef, b: ReportRef, reuse: Sequence[ReuseLike]) -> bool:
    """Whether one report's evidence lies in a passage the other's document copied, at the same place in it
    as the other report's evidence (a copied paragraph may tell two incidents; each keeps to its own)."""
    for link in reuse:
        for x, y in ((a, b), (b, a)):
            if link.from_doc != x.doc_id or link.to_doc != y.doc_id:
                continue
            source, target = tuple(link.from_span), tuple(link.to_span)
            for span in x.report.evidence:
                if span[0] < source[1] and source[0] < span[1]:
                    lo, hi = _mapped(tuple(span), source, target)
                    if any(min(hi, e) - max(lo, s) >= 0.5 * min(hi - lo, e - s) for s, e in y.report.evidence):
                        return True
    return False


def score_matrix(reports: Sequence[ReportRef], reuse: Sequence[ReuseLike] = (),
                 background: Sequence[str] | compare.Background = (),
                 described: Sequence[Described] | None = None) -> np.ndarray:
    """Pairwise same-incident scores of ``reports`` (symmetric; the diagonal is meaningless). ``background``:
    evidence texts of other reports, weighing words as the block they would be clustered in does.
    ``described``: each report's :func:`describe`, when the caller keeps them (placing new reports meets the
    same members in chunk after chunk)."""
    if described is None:
        docs: dict[str, TextDoc] = {}
        described = [describe(r, docs) for r in reports]
    similarity = compare.text_similarity([text for text, _ in described], background)
    shared = passage_sharing(reuse)
    n = len(reports)
    first, second = np.triu_indices(n, 1)
    copied = np.array([shared(reports[i], reports[j]) for i, j in zip(first.tolist(), second.tolist(), strict=True)]
                      if reuse else np.zeros(len(first)), dtype=bool)
    scores = np.zeros((n, n))
    scores[first, second] = scores[second, first] = compare.pair_scores(
        compare.Pool([f for _, f in described]), first, second, similarity[first, second], copied)
    return scores


def passage_sharing(reuse: Sequence[ReuseLike]) -> Callable[[ReportRef, ReportRef], bool]:
    """:func:`shares_passage` for any two reports, the links looked up by their documents' pair rather than
    scanned: a block compares every pair of its reports."""
    by_pair: dict[tuple[str, str], list[ReuseLike]] = {}
    for link in reuse:
        by_pair.setdefault(tuple(sorted((link.from_doc, link.to_doc))), []).append(link)

    def shared(a: ReportRef, b: ReportRef) -> bool:
        if not by_pair:
            return False
        x, y = a.doc_id, b.doc_id
        links = by_pair.get((x, y) if x <= y else (y, x))
        return bool(links) and shares_passage(a, b, links)

    return shared


# Up to this many reports are clustered as one block (exact average linkage over every pair). Above it,
# reports are first split into blocks that share a place, a specific target, a distinctive weapon, a
# document or rare words, since pair scoring is quadratic and linkage cubic in the block size.
WHOLE_BLOCK = 400
BLOCK_KEY_MAX = 300  # a key shared by more reports than this says nothing about sameness
RARE_WORDS = 8  # rarest content words of a report's evidence used as blocking keys


def block_keys(described: Described) -> tuple[set[str], set[str]]:
    """What a report (:func:`describe`) can be blocked (and looked up) by: its document, specific targets,
    distinctive weapons and specific place; and the content words of its evidence (of which the rarest are
    used)."""
    text, f = described
    keys = {f"doc:{f.doc_id}", *(f"target:{t}" for t in f.specific_targets),
            *(f"weapon:{w}" for w in f.distinctive_weapons)}
    if not f.broad_place:
        keys |= {f"place:{t}" for t in f.place_tokens}
    words = {f"word:{t}" for t in compare.terms(text)}
    return keys, words


def _blocks(described: Sequence[Described]) -> list[list[int]]:
    if len(described) <= WHOLE_BLOCK:
        return [list(range(len(described)))]
    found = [block_keys(d) for d in described]
    df = Counter(w for _, bag in found for w in bag)
    postings: dict[str, list[int]] = {}
    for i, (fixed, bag) in enumerate(found):
        keys = fixed | {w for w in sorted(bag, key=lambda w: (df[w], w))[:RARE_WORDS] if df[w] > 1}
        for k in keys:
            postings.setdefault(k, []).append(i)
    sets = UnionFind(range(len(described)))
    for members in postings.values():
        if 1 < len(members) <= BLOCK_KEY_MAX:
            sets.union_all(members)
    return sets.groups()


LINKAGE_MAX = 600  # larger blocks are clustered greedily: linkage is cubic in the block size
GREEDY_CANDIDATES = 40  # clusters a report is compared with in greedy mode (the most recent ones)
GREEDY_BATCH = 10  # reports whose pairs a greedy pass scores at once (:func:`_greedy_clusters`)


def _greedy_clusters(described: Sequence[Described]) -> list[list[int]]:
    """Single pass in date order: each report (:func:`describe`) joins the best-scoring recent cluster (scored
    against that cluster's first report) if the score is positive, else starts a new one. Linear in the block
    size.

    Pairs are scored ``GREEDY_BATCH`` reports at a time (a call a pair was most of the pass): a report of a batch
    meets only the recent clusters' first reports as the batch starts and the batch's earlier reports (each may
    have started a cluster), so those pairs are scored at once, before the batch's reports choose in turn."""
    vectors = compare.tfidf_vectors([text for text, _ in described])
    pool = compare.Pool([f for _, f in described])
    order = sorted(range(len(described)), key=lambda i: (pool.feats[i].interval or (date.max, date.max), i))
    clusters: list[list[int]] = []
    for start in range(0, len(order), GREEDY_BATCH):
        batch = order[start:start + GREEDY_BATCH]
        heads = [c[0] for c in clusters[-GREEDY_CANDIDATES:]]
        pairs = [(i, h) for k, i in enumerate(batch) for h in heads + batch[:k]]
        scores = dict(zip(pairs, compare.pair_scores(
            pool, [i for i, _ in pairs], [h for _, h in pairs],
            [compare.cosine(vectors[i], vectors[h]) for i, h in pairs]).tolist(), strict=True))
        for i in batch:
            best, best_score = None, 0.0
            for c in clusters[-GREEDY_CANDIDATES:]:
                score = scores[(i, c[0])]
                if score > best_score:
                    best, best_score = c, score
            if best is None:
                clusters.append([i])
            else:
                best.append(i)
    return [sorted(c) for c in clusters]


def cluster_incidents(reports: Sequence[ReportRef], reuse: Sequence[ReuseLike] = (),
                      syndication: Sequence[Sequence[str]] = ()) -> list[Incident]:
    """Group reports into incidents, merged with disagreement kept, and count their independent sources."""
    if not reports:
        return []
    docs: dict[str, TextDoc] = {}
    described = [describe(r, docs) for r in reports]  # once: blocking and scoring read the same
    del docs
    groups = []
    for block in _blocks(described):
        if len(block) == 1:
            groups.append(block)
        elif len(block) <= LINKAGE_MAX:
            scores = score_matrix([reports[i] for i in block], reuse, described=[described[i] for i in block])
            groups += [[block[i] for i in g] for g in average_linkage(scores)]
        else:
            groups += [[block[i] for i in g] for g in _greedy_clusters([described[i] for i in block])]
    outlets = {r.doc_id: source_outlet(r) for r in reports}
    links = LinkIndex(reuse)
    incidents = [incident_of([reports[i] for i in g], links, syndication, outlets) for g in groups]
    _assign_ids(incidents)
    return sorted(incidents, key=lambda inc: inc.id)


def source_outlet(ref: ReportRef) -> str | None:
    """The outlet a report's document counts under: a wire story under two mastheads is the agency's, once."""
    return wire_credit(ref.text, ref.outlet) or ref.outlet


def incident_of(members: Sequence[ReportRef], links: LinkIndex, syndication: Sequence[Sequence[str]],
                outlets: Mapping[str, str | None], sources: bool = True) -> Incident:
    """The incident ``members`` make (id unset): fields merged with disagreement kept, status, independent
    sources. ``outlets`` maps the documents with reports (members and the origins they copy) to
    :func:`source_outlet`. ``sources=False`` leaves the independent sources out (none counted), for what needs
    only the fields, such as an id."""
    members = sorted(members, key=lambda r: r.key)
    fields = {name: MergedField([Claim(getattr(r.report, name).value, r.doc_id, r.index, r.outlet)
                                 for r in members]) for name in MERGED_FIELDS}
    evidence = [(r.doc_id, [tuple(span) for span in r.report.evidence] or [(0, 0)]) for r in members]
    patterns = [bool(r.report.pattern.value) for r in members]
    return Incident(
        id="",
        members=[r.key for r in members],
        fields=fields,
        status=incident_status([c.value for c in fields["status"].claims]),
        pattern=sum(patterns) * 2 > len(patterns),
        evidence=[(doc, s, e) for doc, spans in evidence for s, e in spans if e > s],
        independent_sources=independent_sources(evidence, links, syndication, outlets) if sources else [],
    )


def incident_status(statuses: Sequence[str | None]) -> str:
    """One status for the incident from its members' statuses (the per-source statuses stay in ``fields``)."""
    present = {s for s in statuses if s}
    if "denied" in present and present - {"denied", "unconfirmed"}:
        present.add("disputed")
    return next((s for s in _STATUS_ORDER if s in present), "reported")


def merged_interval(claims: Sequence[Claim]) -> tuple[date, date] | None:
    """The interval all dated claims share, or, when they disagree, the span covering the most common ones."""
    intervals = [iv for iv in (compare.parse_interval(c.value) for c in claims) if iv]
    if not intervals:
        return None
    start, end = max(iv[0] for iv in intervals), min(iv[1] for iv in intervals)
    if start <= end:
        return (start, end)
    return Counter(intervals).most_common(1)[0][0]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", " ".join(compare.words(text))).strip("-")


def _date_part(interval: tuple[date, date] | None) -> str:
    if interval is None:
        return ""
    start, end = interval
    if start == end:
        return start.isoformat()
    if (start.year, start.month) == (end.year, end.month):
        return start.strftime("%Y-%m")
    return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"


def _what(incident: Incident) -> str:
    targets, weapons = incident.fields["targets"].value or [], incident.fields["weapons"].value or []
    persons = compare.tables()["person_targets"]
    specific = [t for t in targets if t not in persons]
    return (specific or weapons or targets or [""])[0].replace("_", "-")


ID_HASH_LENGTHS = (6, 12, 64)  # hex digits of the first report's hash, a longer one only when a shorter is taken


def candidate_ids(incident: Incident) -> list[str]:
    """The ids an incident may take, in order: a readable one from place, what was hit, event and date, then the
    same with ever longer hashes of its first report. Six hex digits tell apart the few incidents that share a
    readable id in a small workspace, but among hundreds of thousands two such hashes meet (measured at 100,000
    generated documents), so a taken one gives way to a longer one rather than to a clash."""
    base = base_id(incident)
    digest = hashlib.sha256("{}:{}".format(*min(incident.members)).encode()).hexdigest()
    return [base, *(f"{base}-{digest[:n]}" for n in ID_HASH_LENGTHS)]


def incident_id(incident: Incident, taken: Container[str]) -> str:
    """The first of :func:`candidate_ids` no other incident has (an identifier, not a position: it never
    shifts). ``taken`` must hold whichever of the candidates are in use."""
    candidates = candidate_ids(incident)
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    raise ValueError(f"incident ids {candidates[0]} and its hashed forms are all taken")  # one report, two rows


def _assign_ids(incidents: list[Incident]) -> None:
    """Ids for freshly clustered incidents (:func:`incident_id`); the same clusters get the same ids."""
    taken: set[str] = set()
    for incident in sorted(incidents, key=lambda inc: inc.members):
        incident.id = incident_id(incident, taken)
        taken.add(incident.id)


def base_id(incident: Incident) -> str:
    """Place, what was hit, event and date, as a slug."""
    places = incident.fields["place"].values
    specific = [p for p in places if not compare.is_broad_place(p)]
    place = (specific or places or [""])[0]
    event = incident.fields["event"].value or "event"
    parts = [_slug(place)]
    what = _what(incident)
    if what not in parts[0]:
        parts.append(what)
    parts += [event.replace("_", "-"), _date_part(merged_interval(incident.fields["date"].claims))]
    return "-".join(p for p in parts if p)
