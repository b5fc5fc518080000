"""Across documents: ``reuse``, ``incidents``, ``incident``, ``positions``, ``source grade``, ``source list``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from hague.cli.common import (
    CollectorOpt,
    DocArg,
    IncidentArg,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    actor,
    command,
    emit_json,
    group,
    listing,
    out,
    records,
    value_text,
    workspace,
)
from hague.services import corroboration as service
from hague.workspace import Workspace

source_app = group("Sources (outlets) and their Admiralty reliability grades.")
WindowOpt = Annotated[int, typer.Option(help="Days within which opposite stances count as mixed.", min=0)]


@command
def reuse(doc: DocArg = None, limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """Passages that a later document reuses from an earlier one (B reuses A), with similarity and direction."""
    rows = listing(workspace(), service.list_reuse, limit, offset, json_out, doc)
    if rows is None:
        return
    for x in rows:
        out.print(f"[bold]{escape(x.to_document)}[/bold] reuses [bold]{escape(x.from_document)}[/bold] · similarity "
                  f"{x.similarity:.2f} · direction by {x.direction_basis.replace('_', ' ')}")
        out.print(Text("  " + x.text[:300] + ("…" if len(x.text) > 300 else ""), style="dim"))
    out.print(f"{len(rows)} reused passage(s)")


def _grades(ws: Workspace) -> dict[str, str]:
    return {s.name: s.to_json()["grade"] or "unknown"
            for s in records(lambda n, at: service.list_sources(ws, limit=n, offset=at), None)}


@command
def incidents(limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """Incidents: reports of one event gathered across documents, with independent-source counts."""
    ws = workspace()
    rows = listing(ws, service.list_incidents, limit, offset, json_out)
    if rows is None:
        return
    grades = _grades(ws)
    table = Table(title=f"{len(rows)} incident(s) — machine suggestions until reviewed")
    for col in ("incident", "what", "where / when", "status", "independent sources", "review"):
        table.add_column(col, overflow="fold")
    for r in rows:
        f = r.data["fields"]
        what = f"{value_text(f, 'event')} on {value_text(f, 'targets')} ({value_text(f, 'weapons')})"
        origins = ", ".join(f"{g.get('outlet') or g.get('key')} (grade {grades.get(g.get('outlet') or '', 'unknown')})"
                            for g in r.data["independent_sources"])
        table.add_row(escape(r.id), escape(what), escape(f"{value_text(f, 'place')} · {value_text(f, 'date')}"),
                      escape(r.label), escape(f"{r.independent_count} of {len({d for d, _ in r.data['members']})} "
                                              f"document(s): {origins}"), r.review_state)
    out.print(table)


@command
def incident(incident_id: IncidentArg, json_out: JsonOpt = False) -> None:
    """One incident: merged facts with disagreement, its reports and their independent sources."""
    detail = service.get_incident(workspace(), incident_id)
    if json_out:
        emit_json(detail.to_json())
        return
    r = detail.incident
    out.rule(escape(f"{r.id} · {r.label} · review state: {r.review_state}"))
    for name, merged in r.data["fields"].items():
        claims = merged.get("values", [])
        if not claims:
            continue
        shown = merged["value"] if not isinstance(merged["value"], list) else ", ".join(map(str, merged["value"]))
        line = f"[bold]{escape(name)}[/bold]: {escape(str(shown))}"
        if merged.get("range") and merged["range"][0] != merged["range"][1]:
            line += f"  (range {merged['range'][0]}–{merged['range'][1]})"
        if merged.get("disputed"):
            line += "  [yellow]sources disagree:[/yellow] " + escape("; ".join(
                f"{c['value']} ({c['outlet'] or c['doc_id']})" for c in claims))
        out.print(line)
    out.print(f"[bold]independent sources: {r.independent_count}[/bold]")
    for g in r.data["independent_sources"]:
        outlet = g.get("outlet")
        out.print(escape(f"  • {outlet or g.get('key')} [grade {detail.grades.get(outlet or '') or 'unknown'}]: "
                         f"documents {', '.join(map(str, g.get('documents', [])))}"
                         + (f"; carried by {', '.join(map(str, g['carried_by']))}" if g.get("carried_by") else "")))


@command
def positions(json_out: JsonOpt = False, window: WindowOpt = 14) -> None:
    """Each actor's position over time, and mixed messages: one government asserting a violation while
    another of its voices says there is no conclusion or it cannot confirm."""
    found = service.positions(workspace(), window)
    if json_out:
        emit_json(found.to_json())
        return
    for t in found.timelines:
        out.rule(escape(f"{t.actor} — {' → '.join(t.path.path())} — {t.question}"))
        for e in t.entries:
            out.print(f"  {e.when or 'undated'} · [cyan]{e.stance}[/cyan] · “{escape(e.quote[:160])}” "
                      f"({escape(', '.join(str(d) for d, _, _ in e.sources))})")
    out.rule(f"[bold]{len(found.mixed)} mixed message(s)[/bold]")
    for m in found.mixed:
        out.print(f"[bold]{escape(m.government)}[/bold] on {escape(m.question)} ({m.days_apart} day(s) apart):")
        for e in m.asserting:
            out.print(f"  [red]asserts[/red] {escape(e.speaker)}, {e.when}: “{escape(e.quote[:160])}”")
        for e in m.doubting:
            out.print(f"  [green]{e.stance}[/green] {escape(e.speaker)}, {e.when}: “{escape(e.quote[:160])}”")


@command
def source_grade(name: Annotated[str, typer.Argument(help="The source (outlet) name, as in `hague source list`.")],
                 reliability: Annotated[str, typer.Argument(help="A (completely reliable) … F (cannot be judged)")],
                 credibility: Annotated[str, typer.Argument(help="1 (confirmed) … 6 (cannot be judged)")],
                 collector: CollectorOpt = None, json_out: JsonOpt = False) -> None:
    """Set a source's Admiralty grade (e.g. B2); shown beside every corroboration count."""
    ws = workspace()
    done = service.grade_source(ws, actor(ws, collector), name, reliability, credibility)
    if json_out:
        emit_json(done.to_json())
        return
    out.print(escape(f"{done.source.name}: graded {done.source.to_json()['grade']}"))


@command
def source_list(limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """Sources with their grades and document counts."""
    rows = listing(workspace(), service.list_sources, limit, offset, json_out)
    if rows is None:
        return
    for x in rows:
        out.print(escape(f"{x.name} · grade {x.to_json()['grade'] or 'unknown'} · {x.documents} document(s)"))


source_app.command("grade")(source_grade)
source_app.command("list")(source_list)
