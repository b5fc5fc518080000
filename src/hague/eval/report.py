"""Print the figures (one table, every figure, "—" for undefined) and, for iteration, what went wrong."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hague.eval.align import Alignment, DocAlignment
from hague.eval.checks import find_geocoder, report_verdicts, statement_verdicts
from hague.eval.values import Geocoder

_SECTIONS = ("statements", "reports", "incidents", "reuse", "law")
_NULL_NOTE = "— : undefined (zero denominator: nothing to match, nothing predicted, or not predicted at all)"


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _counts(alignment: Alignment) -> dict[str, str]:
    docs = alignment.docs.values()
    out = {
        "statements": _count_line(sum(len(d.statement_pairs) for d in docs),
                                  sum(len(d.gold.statements) for d in docs),
                                  sum(len(d.statements) for d in docs)),
        "reports": _count_line(sum(len(d.report_pairs) for d in docs), sum(len(d.gold.reports) for d in docs),
                               sum(len(d.reports) for d in docs)),
    }
    if alignment.reuse is not None:
        r = alignment.reuse
        out["reuse"] = _count_line(len(r.pairs), len(r.gold), len(r.predicted))
    return out


def _count_line(matched: int, gold: int, predicted: int) -> str:
    return f"{matched} matched / {gold} gold / {predicted} predicted"


def render(result: dict[str, Any], alignment: Alignment | None = None) -> RenderableType:
    """The score table; with the alignment, each section also shows its matched/gold/predicted counts."""
    counts = _counts(alignment) if alignment is not None else {}
    table = Table(title=f"Scores over {result['documents']} documents", caption=_NULL_NOTE)
    table.add_column("section")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for section in _SECTIONS:
        figures = result.get(section)
        if figures is None:  # "law" exists only for a whole-pipeline run
            continue
        for i, (name, value) in enumerate(figures.items()):
            label = section if i == 0 else ""
            table.add_row(label, name, _fmt(value), end_section=i == len(figures) - 1)
        if section in counts:
            table.add_row("", "counts", counts[section], end_section=True)
    return table


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _line(kind: str, style: str, *parts: str) -> Text:
    line = Text("  ")
    line.append(f"{kind:<19}", style=style)
    line.append(" ".join(parts))
    return line


def _span_text(doc: DocAlignment, start: Any, end: Any) -> str:
    if isinstance(start, int) and isinstance(end, int):
        return repr(_clip(doc.text[start:end]))
    return "(no span)"


def _statement_lines(doc: DocAlignment) -> list[Text]:
    lines = []
    matched_gold = {g for g, _ in doc.statement_pairs}
    matched_pred = {p for _, p in doc.statement_pairs}
    for gi, g in enumerate(doc.gold.statements):
        if gi not in matched_gold:
            lines.append(_line("miss stmt", "red", repr(_clip(g.quote)),
                               f"[{g.speaker} | {g.stance} | {g.said_on.to_gold() if g.said_on else None}]"))
    for pi, p in enumerate(doc.statements):
        if pi not in matched_pred:
            lines.append(_line("extra stmt", "yellow", _span_text(doc, p.get("start"), p.get("end")),
                               f"[{p.get('speaker')} | {p.get('stance')} | {p.get('said_on')}]"))
    for gi, pi in doc.statement_pairs:
        g, p = doc.gold.statements[gi], doc.statements[pi]
        gold_values = {"speaker": f"{g.speaker} ({g.org})", "stance": g.stance,
                       "said_on": g.said_on.to_gold() if g.said_on else None}
        pred_values = {"speaker": f"{p.get('speaker')} ({p.get('org')})", "stance": p.get("stance"),
                       "said_on": p.get("said_on")}
        for name, ok in statement_verdicts(g, p).items():
            if ok < 1:
                lines.append(_line(f"stmt {name}", "magenta",
                                   f"gold {gold_values[name]} | pred {pred_values[name]}",
                                   repr(_clip(g.quote, 60))))
    return lines


_REPORT_VALUE = {"targets_f1": "targets", "targets_group": "targets", "weapons_f1": "weapons"}


def _report_lines(doc: DocAlignment, geocode: Geocoder | None) -> list[Text]:
    lines = []
    matched_gold = {g for g, _ in doc.report_pairs}
    matched_pred = {p for _, p in doc.report_pairs}
    for gi, g in enumerate(doc.gold.reports):
        if gi not in matched_gold:
            lines.append(_line("miss report", "red", g.incident, repr(_clip(g.evidence[0], 70))))
    for pi, p in enumerate(doc.reports):
        if pi not in matched_pred:
            first = (p.get("evidence") or [[None, None]])[0]
            lines.append(_line("extra report", "yellow", _span_text(doc, *first),
                               f"[{p.get('event')} | {p.get('targets')} | {p.get('incident')}]"))
    for gi, pi in doc.report_pairs:
        g, p = doc.gold.reports[gi], doc.reports[pi]
        shown = set()
        for name, ok in report_verdicts(g, p, geocode).items():
            field = _REPORT_VALUE.get(name, name)
            if ok < 1 and field not in shown:
                shown.add(field)
                lines.append(_line(f"report {field}", "magenta",
                                   f"gold {g.fields.get(field)} | pred {p.get(field)}", f"[{g.incident}]"))
    return lines


def render_misses(alignment: Alignment, geocode: Geocoder | None = None) -> RenderableType:
    """Per document: unmatched gold, unmatched predictions (extra), and each wrong field of a match.

    Reading errors are not repeated here; the command prints them first.
    """
    geocode = geocode or find_geocoder()
    blocks: list[RenderableType] = []
    for doc_id, doc in alignment.docs.items():
        lines = _statement_lines(doc) + _report_lines(doc, geocode)
        lines += [_line("unlocated", "red", repr(_clip(t))) for t in doc.unlocated]
        if doc.prediction is None:
            lines.insert(0, _line("no output", "red", "the predictions have no entry for this document"))
        if lines:
            head = Text(f"── {doc_id}  statements {len(doc.statement_pairs)}/{len(doc.gold.statements)} "
                        f"(+{len(doc.statements) - len(doc.statement_pairs)} extra)  reports "
                        f"{len(doc.report_pairs)}/{len(doc.gold.reports)} "
                        f"(+{len(doc.reports) - len(doc.report_pairs)} extra)", style="bold")
            blocks.append(Group(head, *lines))
    reuse = alignment.reuse
    if reuse is not None:
        matched_gold = {g for g, _ in reuse.pairs}
        matched_pred = {p for _, p in reuse.pairs}
        lines = [_line("miss reuse", "red", f"{g.source} -> {g.target}", repr(_clip(g.text, 70)))
                 for gi, g in enumerate(reuse.gold) if gi not in matched_gold]
        lines += [_line("extra reuse", "yellow", f"{p.get('from')} -> {p.get('to')}",
                        _span_text(alignment.docs[p["to"]], p.get("start"), p.get("end")))
                  for pi, p in enumerate(reuse.predicted) if pi not in matched_pred]
        if lines:
            blocks.append(Group(Text(f"── reuse {len(reuse.pairs)}/{len(reuse.gold)}", style="bold"), *lines))
    return Group(*blocks)
