"""Positions: what each actor has said over time on a question, and where a government contradicts itself.

A question is an incident (statements made where a document reports it) or the
general question of whether war crimes were committed (statements whose stance takes a
legal view: asserting, doubting, investigating, denying, condemning). The same quote
carried by several documents is one position entry with all its carriers. Mixed
messages pair an assertion of a violation with a "no conclusion" or "cannot confirm"
from the same government within a window of days; statements tied to two different
incidents are not set against each other, since they answer different questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hague.corroboration.actors import ActorPath, normalise, resolve_actor
from hague.corroboration.compare import Interval, interval_gap, parse_interval
from hague.corroboration.incidents import Incident
from hague.reading.fields import Statement
from hague.reading.text import TextDoc

WAR_CRIMES_QUESTION = "war crimes committed?"
LEGAL_STANCES = frozenset({"asserts_violation", "condemns", "investigating", "no_conclusion",
                           "cannot_confirm", "denies"})
ASSERTING = frozenset({"asserts_violation"})
DOUBTING = frozenset({"no_conclusion", "cannot_confirm"})


@dataclass
class StatementRef:
    """A statement with where it comes from; ``text`` (the document text) lets it be tied to incidents."""

    doc_id: str
    index: int
    statement: Statement
    published: date | None = None
    outlet: str | None = None
    text: str = ""


@dataclass
class PositionEntry:
    """One thing an actor said, once, with every document that carries it."""

    speaker: str
    actor: ActorPath
    stance: str
    quote: str
    said_on: Interval | None
    sources: list[tuple[str, int, str | None]]  # (doc_id, statement index, outlet)
    incidents: list[str] = field(default_factory=list)

    @property
    def when(self) -> str | None:
        if self.said_on is None:
            return None
        start, end = self.said_on
        return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"

    def to_json(self) -> dict[str, Any]:
        return {"speaker": self.speaker, "actor": self.actor.to_json(), "stance": self.stance,
                "quote": self.quote, "said_on": self.when, "incidents": self.incidents,
                "sources": [{"doc_id": d, "index": i, "outlet": o} for d, i, o in self.sources]}


@dataclass
class PositionTimeline:
    """An actor's entries on one question, oldest first (undated last)."""

    actor: str
    path: ActorPath
    question: str
    entries: list[PositionEntry]

    def to_json(self) -> dict[str, Any]:
        return {"actor": self.actor, "path": self.path.path(), "question": self.question,
                "entries": [e.to_json() for e in self.entries]}


@dataclass
class MixedMessage:
    """One government's voices at odds: one actor asserts a violation, another (or the same) says
    there is no conclusion or it cannot confirm, within the window. Lists hold every such quote
    of the two actors; ``days_apart`` is the closest pair's gap."""

    government: str
    question: str
    asserting: list[PositionEntry]
    doubting: list[PositionEntry]
    days_apart: int

    def to_json(self) -> dict[str, Any]:
        return {"government": self.government, "question": self.question, "days_apart": self.days_apart,
                "asserting": [e.to_json() for e in self.asserting],
                "doubting": [e.to_json() for e in self.doubting]}


def _quote_text(ref: StatementRef) -> str:
    q = ref.statement.quote
    if ref.text and q.start is not None and q.end is not None:
        return ref.text[q.start:q.end]
    return str(q.value or "")


def _said_on(ref: StatementRef) -> Interval | None:
    interval = parse_interval(ref.statement.said_on.value)
    if interval is None and ref.published:
        return (ref.published, ref.published)
    return interval


def _linked_incidents(ref: StatementRef, incidents: Sequence[Incident],
                      docs: dict[str, TextDoc]) -> list[str]:
    """Incidents the document reports in the statement's own paragraph (or its quote span when no text)."""
    q = ref.statement.quote
    if q.start is None or q.end is None:
        return []
    start, end = q.start, q.end
    if ref.text:
        para = docs.setdefault(ref.doc_id, TextDoc(ref.text)).paragraph_of(q.start)
        if para:
            start, end = min(start, para[0]), max(end, para[1])
    return sorted({inc.id for inc in incidents for doc, s, e in inc.evidence
                   if doc == ref.doc_id and s < end and e > start})


def position_entries(statements: Sequence[StatementRef],
                     incidents: Sequence[Incident] = ()) -> list[PositionEntry]:
    """One entry per distinct (actor, quote); copies in other documents become extra sources."""
    docs: dict[str, TextDoc] = {}
    entries: dict[tuple[str, str], PositionEntry] = {}
    for ref in sorted(statements, key=lambda r: (r.published or date.max, r.doc_id, r.index)):
        st = ref.statement
        actor = resolve_actor(st.speaker.value, st.org.value, st.speaker_aliases)
        quote = _quote_text(ref)
        key = (actor.key, normalise(quote))
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = PositionEntry(st.speaker.value, actor, st.stance.value, quote,
                                                 _said_on(ref), [])
        entry.sources.append((ref.doc_id, ref.index, ref.outlet))
        entry.incidents = sorted(set(entry.incidents) | set(_linked_incidents(ref, incidents, docs)))
    return list(entries.values())


def _questions(entry: PositionEntry) -> list[str]:
    questions = list(entry.incidents)
    if entry.stance in LEGAL_STANCES:
        questions.append(WAR_CRIMES_QUESTION)
    return questions


def _order(entry: PositionEntry) -> tuple[date, str]:
    return (entry.said_on[0] if entry.said_on else date.max, entry.quote)


def positions(statements: Sequence[StatementRef],
              incidents: Sequence[Incident] = ()) -> list[PositionTimeline]:
    """A timeline per actor and question (an incident id, or :data:`WAR_CRIMES_QUESTION`)."""
    timelines: dict[tuple[str, str], PositionTimeline] = {}
    for entry in position_entries(statements, incidents):
        for question in _questions(entry):
            tl = timelines.setdefault((entry.actor.key, question),
                                      PositionTimeline(entry.actor.key, entry.actor, question, []))
            tl.entries.append(entry)
    for tl in timelines.values():
        tl.entries.sort(key=_order)
    return sorted(timelines.values(), key=lambda tl: (tl.question, tl.actor))


def mixed_messages(statements: Sequence[StatementRef], window_days: int = 14,
                   incidents: Sequence[Incident] = ()) -> list[MixedMessage]:
    """Opposite stances (a violation asserted vs. no conclusion / cannot confirm) in one government."""
    entries = [e for e in position_entries(statements, incidents) if e.actor.government and e.said_on]
    found: dict[tuple[str, str, str, str], MixedMessage] = {}
    for a in (e for e in entries if e.stance in ASSERTING):
        for b in (e for e in entries if e.stance in DOUBTING and e.actor.government == a.actor.government):
            if a.incidents and b.incidents and not set(a.incidents) & set(b.incidents):
                continue
            gap = interval_gap(a.said_on, b.said_on)  # type: ignore[arg-type]
            if gap > window_days:
                continue
            shared = sorted(set(a.incidents) & set(b.incidents))
            question = shared[0] if shared else WAR_CRIMES_QUESTION
            government = str(a.actor.government)
            message = found.setdefault((government, question, a.actor.key, b.actor.key),
                                       MixedMessage(government, question, [], [], gap))
            message.days_apart = min(message.days_apart, gap)
            for side, entry in ((message.asserting, a), (message.doubting, b)):
                if entry not in side:
                    side.append(entry)
    for message in found.values():
        message.asserting.sort(key=_order)
        message.doubting.sort(key=_order)
    return sorted(found.values(), key=lambda m: (m.government, _order(m.asserting[0]), _order(m.doubting[0])))
