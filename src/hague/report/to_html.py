"""The dossier as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched.

Quoted material (evidence spans, statements, titles) is set in ``<q>``/``<cite>``; everything else is
our voice, and each incident's section is checked against the wording its review state allows before
the file is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape
from itertools import islice
from pathlib import Path
from string import Template
from typing import Any

from hague.assessments import ProvisionReview
from hague.law.provisions import load_provisions
from hague.report.figures import map_svg, timeline_svg
from hague.report.gather import Dossier, IncidentEntry
from hague.report.voice import finding_origin, own_voice_html, provision_status, said, state_tally

_TEMPLATE = Path(__file__).parent / "templates" / "dossier.html"
OPEN_GROUPS = ("iac", "niac")  # Rome Statute provisions open by default; the rest folded
GLOBAL_STATE = "provisions_suggested"  # wording state for the parts about no one incident (analysis has run)
BANNER = ("Machine output is a suggestion until a person reviews it. What this file says of each incident "
          "follows its review state; quotations are what the sources said.")


def _e(value: Any) -> str:
    return escape("—" if value in (None, "", []) else ", ".join(map(str, value)) if isinstance(value, list)
                  else str(value))


def _q(text: str | None) -> str:
    return f"<q>{escape(' '.join(text.split()))}</q>" if text else ""


def _overview(d: Dossier) -> str:
    labels = {"documents": "documents", "sources": "sources (outlets)", "reports": "reports",
              "statements": "statements", "incidents": "incidents", "mixed_messages": "mixed messages",
              "candidate_provisions": "candidate provisions"}
    cells = "".join(f'<div class="count"><b>{d.counts[k]}</b>{v}</div>' for k, v in labels.items())
    scope = ""
    if d.scope:
        scope = ("<p class='muted'>Scope of this dossier: " + escape("; ".join(
            f"{k} {', '.join(v) if isinstance(v, list) else v}" for k, v in d.scope.items()))
            + ". Counts, positions and sources cover the documents of these incidents.</p>")
    return (f'<h2 id="overview">Overview</h2>{scope}<div class="counts">{cells}</div>'
            f'<p class="muted">Incidents by review state: {escape(state_tally(d.states))}.</p>')


def _figures(d: Dossier) -> str:
    points = [(i.number, i.id, i.state, i.points) for i in d.incidents]
    dates = [(i.number, i.id, i.state, i.date) for i in d.incidents]
    unplaced = [f"{i.number}" for i in d.incidents if not i.points]
    timeline = timeline_svg(dates)
    undated = [f"{n}" for n, _, _, day in dates if not day]
    return (f'<h2 id="map">Map and timeline</h2><figure>{map_svg(points)}<figcaption>Places named in the reports '
            f'(numbers as in the incident list). Country outlines: Natural Earth. '
            f'No known place: {", ".join(unplaced) or "none"}.</figcaption></figure>'
            + (f'<figure>{timeline}<figcaption>Dates as reported; bars are date ranges. '
               f'Undated: {", ".join(undated) or "none"}.</figcaption></figure>' if timeline else ""))


def _facts(inc: IncidentEntry) -> str:
    rows = []
    for name, merged in inc.row.data["fields"].items():
        if not merged.get("values"):
            continue
        value = _e(merged["value"])
        if merged.get("range") and merged["range"][0] != merged["range"][1]:
            value += f" (range {merged['range'][0]}–{merged['range'][1]})"
        claims = ""
        if merged.get("disputed"):
            claims = '<span class="disputed">sources differ: ' + "; ".join(
                f"{_e(c['value'])} ({_e(c.get('outlet') or c['doc_id'])})" for c in merged["values"]) + "</span>"
        rows.append(f"<tr><th>{escape(name)}</th><td>{value}</td><td>{claims}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _sources(inc: IncidentEntry, grades: dict[str, str | None]) -> str:
    groups = inc.row.data.get("independent_sources", [])
    items = "".join(
        f"<li><b>{_e(g.get('outlet') or g.get('key'))}</b> "
        f"(grade {_e(grades.get(g.get('outlet') or '') or 'not graded')}): documents {_e(g.get('documents'))}"
        + (f"; carried by {_e(g.get('carried_by'))}" if g.get("carried_by") else "") + "</li>" for g in groups)
    reuse = "".join(f"<li>{_e(r['to'])} reuses {r['passages']} passage(s) of {_e(r['from'])} "
                    f"(similarity up to {r['similarity']}, "
                    f"direction by {escape(r['basis'].replace('_', ' '))})</li>" for r in inc.reuse)
    return (f"<h4>Independent sources: {inc.row.independent_count}</h4><ul>{items}</ul>"
            + (f"<h4>Reused text</h4><ul>{reuse}</ul>" if reuse else ""))


def _reports(inc: IncidentEntry) -> str:
    items = []
    for r in inc.reports:
        f = r["fields"]
        quotes = " … ".join(_q(q) for q in r["evidence"][:3])
        items.append(f"<li><code>{r['ref']}</code> {_e(r['outlet'])}, {_e(r['published'])} "
                     f"(<cite>{escape(r['title'] or r['document'])}</cite>): {_e(f.get('event'))} · "
                     f"{_e(f.get('status'))}<br>{quotes}</li>")
    return f"<h4>Reports ({len(items)}; machine readings)</h4><ul>{''.join(items)}</ul>"


def _statements(inc: IncidentEntry) -> str:
    if not inc.statements:
        return ""
    items = "".join(f"<li>{_e(s['speaker'])} ({escape(' → '.join(s['actor'].get('path', [])) or '')}) · "
                    f"{_e(s['stance']).replace('_', ' ')} · {_e(s['said_on'])}: {_q(s['quote'])} "
                    f"<span class='muted'>{_e(s['refs'])}</span></li>" for s in inc.statements)
    return f"<h4>Statements about it</h4><ul>{items}</ul>"


def _checklist(p: ProvisionReview) -> str:
    rows = []
    for sf in p.findings:
        f = sf.finding
        evidence = " ".join(_q(ref.quote) if ref.quote else f"<code>{_e(ref.item_id or ref.kind)}</code>"
                            for ref in f.evidence[:2])
        origin = "" if f.status == "not_addressed" and f.origin == "machine" else \
            f'<span class="origin-{f.origin}">{escape(finding_origin(f.origin, sf.set_by))}</span>'
        note = f"<br><span class='muted'>{escape(f.note)}</span>" if f.note else ""
        rows.append(f"<tr><td><code>{escape(f.element_id)}</code></td><td>{escape(f.text)}{note}</td>"
                    f"<td class='status-{f.status}'>{escape(f.status.replace('_', ' '))} {origin}</td>"
                    f"<td>{evidence}</td></tr>")
    if not rows:
        return ""
    return ("<table><tr><th>element</th><th>to establish</th><th>status</th><th>evidence</th></tr>"
            + "".join(rows) + "</table>")


def _provision(p: ProvisionReview) -> str:
    prov = load_provisions()[p.provision_id]
    s = p.suggestion
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(p.counts().items()))
    opened = " open" if s and s.status == "suggested" and s.group in OPEN_GROUPS else ""
    reasons = "".join(f"<li>{escape(r)}</li>" for r in (s.reasons if s else []))
    why_not = f"<p><b>Why not suggested:</b> {escape(s.why_not)}</p>" if s and s.why_not else ""
    return (f'<details class="{p.status}"{opened}><summary><b>{escape(p.provision_id)}</b> — {escape(p.title)} · '
            f'<i>{escape(provision_status(p.status))}</i>{" · " + counts if counts else ""}</summary>'
            f'<p class="muted">{escape(prov.summary)} <a href="{escape(prov.url)}">authoritative text</a></p>'
            f'{why_not}' + (f"<ul>{reasons}</ul>" if reasons else "") + _checklist(p) + "</details>")


def _history(inc: IncidentEntry) -> str:
    rows = "".join(f"<tr><td>{escape(t.at)}</td><td>{_e(t.from_state)} → {escape(t.to_state)}</td>"
                   f"<td>{escape(t.reviewer)}</td><td>{escape(t.reason)}</td><td>{_e(t.label)}</td></tr>"
                   for t in inc.review.history)
    return ("<h4>Review history</h4><table><tr><th>when</th><th>move</th><th>who</th><th>why</th>"
            f"<th>label</th></tr>{rows}</table>") if rows else ""


def incident_html(inc: IncidentEntry, grades: dict[str, str | None]) -> str:
    """One incident's section, checked against the wording its review state allows."""
    conflict = inc.review.context.describe() if inc.review.context else "no classification in the conflict table"
    provisions = "".join(_provision(p) for p in inc.review.provisions)
    error = f"<p class='disputed'>Not assessed: {escape(inc.review.error)}</p>" if inc.review.error else ""
    section = (f'<section class="incident" id="incident-{inc.number}" data-state="{inc.state}">'
               f"<h3>{inc.number}. {escape(inc.row.id)}</h3>"
               f'<p><span class="chip state">{escape(inc.state.replace("_", " "))}</span>'
               f'<span class="chip">{escape(inc.review.wording.label)}</span></p>'
               f'<p class="headline">{escape(inc.headline)}</p>'
               f"{_facts(inc)}{_sources(inc, grades)}{_reports(inc)}{_statements(inc)}"
               f"<h4>Candidate provisions (conflict: {escape(conflict)})</h4>{error}{provisions}"
               f"{_history(inc)}</section>")
    said(own_voice_html(section), inc.state)
    return section


def _positions(d: Dossier) -> str:
    timelines = "".join(
        f"<h4>{_e(t['actor'])} <span class='muted'>({escape(' → '.join(t['path']))}) on {_e(t['question'])}"
        "</span></h4><ul>" + "".join(f"<li>{_e(e['said_on'] or 'undated')} · {_e(e['stance']).replace('_', ' ')}"
                                     f": {_q(e['quote'])}</li>" for e in t["entries"]) + "</ul>"
        for t in d.positions)
    mixed = "".join(
        f"<li><b>{_e(m['government'])}</b> on {_e(m['question'])} ({m['days_apart']} day(s) apart):<ul>"
        + "".join(f"<li>asserts: {_e(e['speaker'])}, {_e(e['said_on'])}: {_q(e['quote'])}</li>" for e in m["asserting"])
        + "".join(f"<li>{_e(e['stance']).replace('_', ' ')}: {_e(e['speaker'])}, {_e(e['said_on'])}: "
                  f"{_q(e['quote'])}</li>" for e in m["doubting"]) + "</ul></li>" for m in d.mixed)
    return (f'<h2 id="positions">Positions and mixed messages</h2><h3>Mixed messages ({len(d.mixed)})</h3>'
            f"<ul>{mixed or '<li>none found</li>'}</ul><h3>Positions over time</h3>{timelines}")


def _source_row(s: dict[str, Any]) -> str:
    return (f"<tr><td>{_e(s['document'])}</td><td>{_e(s['outlet'])}<br><span class='muted'>grade "
            f"{_e(s['grade'] or 'not graded')}</span></td><td><cite>{_e(s['title'])}</cite><br>"
            f"<span class='muted'>{_e(s['published'])} · {_e(s['url'])}</span></td>"
            f"<td class='hash'>{s['sha256']}</td><td>{_e(s['captured_at'])}<br>"
            f"<span class='muted'>by {_e(s['captured_by'])}</span></td></tr>")


def _source_list(sources: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The source table, a chunk of rows at a time, each checked like the rest of our own voice."""
    yield ('<h2 id="sources">Sources</h2><table><tr><th>document</th><th>outlet</th><th>title</th>'
           "<th>SHA-256 of the original</th><th>captured</th></tr>")
    rows = iter(sources)
    while chunk := "".join(_source_row(s) for s in islice(rows, 500)):
        yield said_globally(chunk)
    yield "</table>"


def _tree_head(d: Dossier) -> str:
    h = d.tree_head
    if not h:
        return '<h2 id="seal">Signed tree head</h2><p>The ledger has no signed head.</p>'
    return ('<h2 id="seal">Signed tree head</h2><p class="muted">The custody ledger as of this dossier: '
            "check it with <code>hague verify</code>.</p><table>"
            + "".join(f"<tr><th>{k.replace('_', ' ')}</th><td class='hash'>{escape(str(h[k]))}</td></tr>"
                      for k in ("tree_size", "root_hash", "timestamp", "key_id", "signature")) + "</table>")


def said_globally(fragment: str, quoted: Iterable[str] = ()) -> str:
    """``fragment``, checked at ``GLOBAL_STATE`` (raises WordingError)."""
    said(own_voice_html(fragment), GLOBAL_STATE, quoted=quoted)
    return fragment


def _page() -> tuple[str, str]:
    return tuple(_TEMPLATE.read_text(encoding="utf-8").split("$body", 1))  # type: ignore[return-value]


class HtmlDossier:
    """The dossier as one self-contained HTML file, written as a stream: head, incident sections, tail."""

    suffix = "html"

    def incident(self, inc: IncidentEntry, grades: dict[str, str | None]) -> str:
        return incident_html(inc, grades) + "\n"

    def head(self, d: Dossier) -> str:
        """The page up to the first incident; parts not about one incident are checked at ``GLOBAL_STATE``."""
        header = (f'<h1>Hague dossier</h1><p class="meta">Generated {escape(d.generated_at)} by Hague '
                  f"{escape(d.version)}.</p><p class='banner'>{escape(BANNER)}</p>")
        shared = [header, _overview(d), _figures(d), f'<h2 id="incidents">Incidents ({len(d.incidents)})</h2>']
        said_globally("".join(shared), quoted=[state_tally(d.states)])
        before = Template(_page()[0]).substitute(title="Hague dossier", version=escape(d.version))
        return before + "\n".join(shared) + "\n"

    def tail(self, d: Dossier, sources: Iterable[dict[str, Any]]) -> Iterator[str]:
        yield said_globally(_positions(d)) + "\n"
        yield from _source_list(sources)
        yield "\n" + said_globally(_tree_head(d)) + _page()[1]
