"""A case's corrections as a yardstick: the current extractors scored against what people decided.

People decide on some findings, not all: an accepted, corrected or added statement (report) is a true one, with
the person's values; a rejected one is a false one; a finding nobody decided on is not judged. So the current
extractors read the case's decided documents again, and each finding they make is matched to a decision by its
evidence span (:mod:`hague.curation.anchors`, as re-analysis does):

- precision = matched to a true finding / matched to any decided finding (true or rejected);
- recall = true findings matched / true findings;
- field accuracy, per field, over the matched true findings: the extractor's value equals the person's final
  value (lists as sets, text ignoring case and spacing).

Findings that match no decision are counted apart (``unjudged``) and never scored either way. The figures mean
what ``hague eval`` means on a gold set, restricted to what people actually judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hague.curation.anchors import Anchor, Candidate, anchor_at, match
from hague.curation.fields import specs
from hague.curation.findings import field_value
from hague.eval.metrics import prf, ratio
from hague.reading.fields import Reading
from hague.vocab import FindingKind, Verdict


@dataclass(frozen=True)
class Decided:
    """One decision as the yardstick reads it: where it stands, whether the finding is true, its final values."""

    kind: FindingKind
    anchor: Anchor
    true: bool
    values: dict[str, Any]


def decided_of(kind: str, start: int, end: int, sha: str, verdict: str, pinned: dict[str, Any],
               machine: dict[str, Any] | None) -> Decided:
    """A stored decision (its columns) as a :class:`Decided`: the machine's values overlaid with the person's."""
    k = FindingKind(kind)
    base = (machine or {}).get("fields") or {}
    values = {name: field_value(base, name) for name in specs(k)}
    values.update({name: entry.get("value") for name, entry in (pinned or {}).items()})
    return Decided(k, Anchor(start, end, sha), verdict != Verdict.REJECTED, values)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return {_norm(x) for x in a or []} == {_norm(x) for x in b or []}
    return _norm(a) == _norm(b)


def _norm(value: Any) -> Any:
    return " ".join(value.casefold().split()) if isinstance(value, str) else value


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    unjudged: int = 0
    fields: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, compared]

    def to_json(self) -> dict[str, Any]:
        return {**prf(self.tp, self.tp + self.fp, self.tp + self.fn), "true_positives": self.tp,
                "false_positives": self.fp, "missed": self.fn, "unjudged": self.unjudged,
                "fields": {name: {"accuracy": ratio(right, n), "compared": n}
                           for name, (right, n) in sorted(self.fields.items())}}


def _predicted(reading: Reading, kind: FindingKind, text: str) -> list[Candidate[dict[str, Any]]]:
    out = []
    for finding in (reading.statements if kind == FindingKind.STATEMENT else reading.reports):
        if kind == FindingKind.STATEMENT:
            span = (finding.quote.start, finding.quote.end)
        else:
            span = tuple(finding.evidence[0]) if finding.evidence else (None, None)
        if span[0] is None or span[1] is None:
            continue
        values = {name: (list(finding.coordinates) if finding.coordinates else None) if name == "coordinates"
                  else getattr(finding, name).value for name in specs(kind)}
        out.append(Candidate(values, anchor_at(text, int(span[0]), int(span[1]))))
    return out


def score_document(text: str, reading: Reading, decisions: Iterable[Decided],
                   tallies: dict[FindingKind, Tally]) -> None:
    """Add one document's predictions, matched to its decisions, to the tallies."""
    decisions = list(decisions)
    for kind in FindingKind:
        mine = [d for d in decisions if d.kind == kind]
        predicted = _predicted(reading, kind, text)
        tally = tallies[kind]
        found = match([(i, d.anchor) for i, d in enumerate(mine)], predicted)
        judged = {id(v) for v in found.values()}
        tally.unjudged += sum(1 for c in predicted if id(c.row) not in judged)
        for i, d in enumerate(mine):
            got = found.get(i)
            if got is None:
                tally.fn += d.true
                continue
            if not d.true:
                tally.fp += 1
                continue
            tally.tp += 1
            for name, value in d.values.items():
                right, n = tally.fields.setdefault(name, [0, 0])
                tally.fields[name] = [right + _same(got[name], value), n + 1]
