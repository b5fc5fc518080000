"""Turn a gold set (docs/gold-format.md layout) into the records corroboration consumes.

Gold stores evidence and quotes as substrings; the corroboration phase works on
spans, so each substring is located in the document text (typography folded, as
the reuse rules say) and the gold values become :class:`Field` objects with
``origin="gold"``. The incident keys are returned apart from the reports, so a
clusterer under test never sees them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from hague.corroboration.incidents import ReportRef
from hague.corroboration.positions import StatementRef
from hague.corroboration.reuse import ReuseLink
from hague.reading.fields import Field, Report, Span, Statement
from hague.reading.text import fold, paragraphs


@dataclass
class GoldRefs:
    """Everything read from one gold set; ``keys[(doc_id, index)]`` is the gold incident key of a report."""

    reports: list[ReportRef] = field(default_factory=list)
    statements: list[StatementRef] = field(default_factory=list)
    keys: dict[tuple[str, int], str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    reuse: list[ReuseLink] = field(default_factory=list)


def locate(text: str, needle: str, folded: str | None = None) -> Span | None:
    """The span of ``needle`` in ``text``, ignoring typography and runs of spaces; None when absent."""
    hay = folded if folded is not None else fold(text)
    probe = " ".join(fold(needle).split())
    i = hay.find(probe)
    if i < 0:
        i = hay.lower().find(probe.lower())
    return (i, i + len(probe)) if i >= 0 else None


def _gold_field(value: Any, span: Span | None = None) -> Field[Any]:
    start, end = span if span else (None, None)
    return Field(value, start, end, 1.0, "gold")


def _report(entry: dict[str, Any], text: str, folded: str) -> Report:
    spans = [s for s in (locate(text, ev, folded) for ev in entry["evidence"]) if s]
    return Report(
        evidence=spans,
        event=_gold_field(entry["event"]),
        targets=_gold_field(list(entry.get("targets") or [])),
        weapons=_gold_field(list(entry.get("weapons") or [])),
        place=_gold_field(entry.get("place")),
        country=_gold_field(entry.get("country")),
        date=_gold_field(entry.get("date")),
        killed=_gold_field(entry.get("killed")),
        injured=_gold_field(entry.get("injured")),
        casualty_text=_gold_field(entry.get("casualty_text")),
        perpetrator=_gold_field(entry.get("perpetrator")),
        status=_gold_field(entry.get("status", "reported")),
        pattern=_gold_field(bool(entry.get("pattern"))),
    )


def _statement(entry: dict[str, Any], text: str, folded: str) -> Statement:
    return Statement(
        speaker=_gold_field(entry["speaker"]),
        org=_gold_field(entry.get("org")),
        quote=_gold_field(entry["quote"], locate(text, entry["quote"], folded)),
        mode=_gold_field(entry.get("mode", "direct")),
        said_on=_gold_field(entry.get("said_on")),
        stance=_gold_field(entry["stance"]),
        speaker_aliases=list(entry.get("speaker_aliases") or []),
    )


def load_gold_refs(setdir: str | Path) -> GoldRefs:
    """Read ``setdir/docs`` and ``setdir/gold`` into report and statement records."""
    setdir = Path(setdir)
    refs = GoldRefs()
    for gold_path in sorted((setdir / "gold").glob("*.json")):
        if gold_path.stem in ("incidents", "reuse"):
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc_id = gold["doc"]
        meta = json.loads((setdir / "docs" / f"{doc_id}.json").read_text(encoding="utf-8"))
        text = (setdir / "docs" / f"{doc_id}.txt").read_text(encoding="utf-8")
        folded = fold(text)
        published = date.fromisoformat(meta["published"]) if meta.get("published") else None
        outlet = meta.get("outlet")
        refs.texts[doc_id] = text
        for i, entry in enumerate(gold.get("reports", [])):
            refs.reports.append(ReportRef(doc_id, i, _report(entry, text, folded), published, outlet, text))
            refs.keys[(doc_id, i)] = entry["incident"]
        for i, entry in enumerate(gold.get("statements", [])):
            refs.statements.append(StatementRef(doc_id, i, _statement(entry, text, folded), published, outlet,
                                                text))
    reuse_path = setdir / "gold" / "reuse.json"
    if reuse_path.exists():
        entries = json.loads(reuse_path.read_text(encoding="utf-8"))
        refs.reuse = [link for e in entries if (link := _reuse_link(e, refs.texts))]
    return refs


def _reuse_link(entry: dict[str, str], texts: dict[str, str]) -> ReuseLink | None:
    """A gold reuse entry as a link: the copy's span, and the origin paragraph that reads most like it."""
    if entry["from"] not in texts or entry["to"] not in texts:
        return None
    to_span = locate(texts[entry["to"]], entry["text"])
    origin = texts[entry["from"]]
    copied = fold(entry["text"])
    from_span = locate(origin, entry["text"]) or max(
        paragraphs(origin), key=lambda p: fuzz.ratio(fold(origin[p[0]:p[1]]), copied), default=None)
    if to_span is None or from_span is None:
        return None
    return ReuseLink(entry["from"], entry["to"], from_span, to_span, 1.0, "gold")
