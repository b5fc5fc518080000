"""The dossier as Markdown, for a text review or a diff; quotations in “…”, each incident checked like the HTML."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from hague.report.gather import Dossier, IncidentEntry
from hague.report.to_html import BANNER, GLOBAL_STATE
from hague.report.voice import finding_origin, own_voice_text, provision_status, said, state_tally


def _v(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _q(text: str | None) -> str:
    return f"“{' '.join(text.split())}”" if text else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def incident_markdown(inc: IncidentEntry) -> str:
    lines = [f"### {inc.number}. {inc.row.id}", "",
             f"*Review state: {inc.state.replace('_', ' ')} · {inc.review.wording.label}*", "", inc.headline, "",
             "| fact | value | sources differ |", "|---|---|---|"]
    for name, merged in inc.row.data["fields"].items():
        if merged.get("values"):
            differ = "; ".join(f"{_v(c['value'])} ({c.get('outlet') or c['doc_id']})" for c in merged["values"]) \
                if merged.get("disputed") else ""
            lines.append(f"| {name} | {_cell(_v(merged['value']))} | {_cell(differ)} |")
    lines += ["", f"**Independent sources: {inc.row.independent_count}**", ""]
    lines += [f"- {_v(g.get('outlet') or g.get('key'))}: documents {_v(g.get('documents'))}"
              + (f"; carried by {_v(g.get('carried_by'))}" if g.get("carried_by") else "")
              for g in inc.row.data.get("independent_sources", [])]
    lines += [f"- {r['to']} reuses {r['passages']} passage(s) of {r['from']} (similarity up to {r['similarity']})"
              for r in inc.reuse]
    lines += ["", "**Reports (machine readings)**", ""]
    lines += [f"- `{r['ref']}` {_v(r['outlet'])}, {_v(r['published'])}: {_q(r['evidence'][0] if r['evidence'] else '')}"
              for r in inc.reports]
    if inc.statements:
        lines += ["", "**Statements about it**", ""]
        lines += [f"- {_v(s['speaker'])} · {s['stance'].replace('_', ' ')} · {_v(s['said_on'])}: {_q(s['quote'])}"
                  for s in inc.statements]
    conflict = inc.review.context.describe() if inc.review.context else "no classification in the conflict table"
    lines += ["", f"**Candidate provisions** (conflict: {conflict})", ""]
    for p in inc.review.provisions:
        s = p.suggestion
        lines.append(f"- **{p.provision_id}** — {p.title} · *{provision_status(p.status)}*")
        if s and s.why_not:
            lines.append(f"  - why not suggested: {s.why_not}")
        lines += [f"  - because {r}" for r in (s.reasons if s else [])]
        for sf in p.findings:
            f = sf.finding
            origin = "" if f.status == "not_addressed" else f" ({finding_origin(f.origin, sf.set_by)})"
            quote = f" {_q(f.evidence[0].quote)}" if f.evidence and f.evidence[0].quote else ""
            lines.append(f"  - [{f.status.replace('_', ' ')}] `{f.element_id}` {f.text}{origin}{quote}")
    if inc.review.history:
        lines += ["", "**Review history**", ""]
        lines += [f"- {t.at} {t.from_state or '—'} → {t.to_state} by {t.reviewer}: {t.reason}"
                  + (f" [{t.label}]" if t.label else "") for t in inc.review.history]
    text = "\n".join(lines) + "\n"
    said(own_voice_text(text), inc.state)
    return text


class MarkdownDossier:
    """The dossier as Markdown, written as a stream: head, incident sections, tail."""

    suffix = "md"

    def incident(self, inc: IncidentEntry, grades: dict[str, str | None]) -> str:
        return incident_markdown(inc) + "\n"

    def head(self, d: Dossier) -> str:
        c = d.counts
        scope = [f"Scope: {'; '.join(f'{k} {_v(v)}' for k, v in d.scope.items())} (counts, positions and "
                 "sources cover the documents of these incidents).", ""] if d.scope else []
        head = ["# Hague dossier", "", f"Generated {d.generated_at} by Hague {d.version}.", "", f"> {BANNER}", "",
                "## Overview", "", *scope, *(f"- {k.replace('_', ' ')}: {v}" for k, v in c.items()),
                f"- review states: {state_tally(d.states)}",
                "", f"## Incidents ({len(d.incidents)})", ""]
        said(own_voice_text("\n".join(head)), GLOBAL_STATE, quoted=[state_tally(d.states)])
        return "\n".join(head) + "\n"

    def tail(self, d: Dossier, sources: Iterable[dict[str, Any]]) -> Iterator[str]:
        tail = ["## Positions and mixed messages", "", f"### Mixed messages ({len(d.mixed)})", ""]
        for m in d.mixed:
            tail.append(f"- **{m['government']}** on {m['question']} ({m['days_apart']} day(s) apart)")
            tail += [f"  - asserts: {e['speaker']}, {_v(e['said_on'])}: {_q(e['quote'])}" for e in m["asserting"]]
            tail += [f"  - {e['stance'].replace('_', ' ')}: {e['speaker']}, {_v(e['said_on'])}: {_q(e['quote'])}"
                     for e in m["doubting"]]
        tail += ["", "### Positions over time", ""]
        for t in d.positions:
            tail.append(f"- **{t['actor']}** ({' → '.join(t['path'])}) on {t['question']}")
            tail += [f"  - {_v(e['said_on'])} · {e['stance'].replace('_', ' ')}: {_q(e['quote'])}"
                     for e in t["entries"]]
        tail += ["", "## Sources", "", "| document | outlet | title | SHA-256 | captured |", "|---|---|---|---|---|"]
        yield _checked(tail)
        rows = iter(sources)
        while chunk := [f"| {s['document']} | {_cell(_v(s['outlet']))} | {_cell(_q(s['title']))} | `{s['sha256']}` | "
                        f"{_v(s['captured_at'])} |" for s in islice(rows, 500)]:
            yield _checked(chunk)
        end = ["", "## Signed tree head", ""]
        end += [f"- {k.replace('_', ' ')}: `{v}`" for k, v in (d.tree_head or {}).items()] or ["- none"]
        yield _checked(end)


def _checked(lines: list[str]) -> str:
    """Lines about no one incident, checked at ``GLOBAL_STATE`` (raises WordingError)."""
    text = "\n".join(lines) + "\n"
    said(own_voice_text(text), GLOBAL_STATE)
    return text
