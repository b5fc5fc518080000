"""Commands over what was read and corroborated: analyze, statements, reports, reuse, incidents, positions, eval."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text
from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.cli_common import JsonOpt, app, emit_json, err, fail, out, workspace
from hague.model import Document, IncidentRow, ReportRow, ReuseRow, Source, StatementRow

DocArg = Annotated[str | None, typer.Argument(help="A document: its sidecar id, database id or SHA-256 prefix.")]


def run_analysis(ws, actor: str, force: bool = False, quiet: bool = False):  # type: ignore[no-untyped-def]
    """Analyze with a progress bar on stderr; shared by `analyze` and `add`."""
    from hague.pipeline import analyze

    with Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), console=err, transient=True,
                  disable=quiet) as progress:
        task = progress.add_task("reading", total=0)
        summary = analyze(ws, actor, force=force, on_start=lambda n: progress.update(task, total=n),
                          on_read=lambda: progress.advance(task))
    return summary


@app.command()
def analyze(force: Annotated[bool, typer.Option(help="Re-read every document, not only new or changed ones.")]
            = False,
            collector: Annotated[str | None, typer.Option(help="Who runs the analysis (ledger actor).")] = None,
            json_out: JsonOpt = False) -> None:
    """Read every document into statements and reports, link reused text, and cluster incidents.

    Only documents that are new, or whose reuse context changed, are read again; the run is a ledger
    entry with the analyser version. `hague add` runs this unless given --no-analyze.
    """
    ws = workspace()
    summary = run_analysis(ws, ws.actor(collector), force, quiet=json_out)
    head = ws.seal()
    if json_out:
        emit_json({**summary.to_json(), "tree_head": head.to_json()})
        return
    out.print(f"read {summary.read} of {summary.documents} document(s): {summary.statements} statements, "
              f"{summary.reports} reports, {summary.reuse_links} reused passages, {summary.incidents} incidents "
              "(machine suggestions until reviewed)")


def resolve_doc(s: Session, ref: str) -> Document:
    doc = s.scalars(select(Document).where(Document.external_id == ref)).first()
    if doc is None and ref.isdigit():
        doc = s.get(Document, int(ref))
    if doc is None and len(ref) >= 8:
        doc = s.scalars(select(Document).where(Document.item_sha256.startswith(ref.lower()))).first()
    if doc is None:
        fail(f"no document {ref!r} (give a sidecar id, a document id, or 8+ digits of its SHA-256)", 1)
    return doc


def _per_doc(ref: str | None, model: type[StatementRow] | type[ReportRow]) -> tuple[list[Document], dict[int, list]]:
    """The documents named (all when ``ref`` is None) and each one's rows of ``model`` in reading order."""
    ws = workspace()
    with ws.read() as s:
        docs = [resolve_doc(s, ref)] if ref else list(s.scalars(select(Document).order_by(Document.id)))
        rows = {d.id: list(s.scalars(select(model).where(model.document_id == d.id).order_by(model.idx)))
                for d in docs}
    return docs, rows


def _doc_rule(d: Document, count: int, what: str) -> None:
    out.rule(f"{d.external_id or d.id} · {d.outlet or ''} · {d.published or 'undated'} · {count} {what}(s)")


def highlight(text: str, spans: list[tuple[int, int]], context: int = 80) -> Text:
    """The text around the spans, with the spans underlined: what the finding rests on."""
    if not spans:
        return Text("(no span)", style="dim")
    lo = max(0, min(s for s, _ in spans) - context)
    hi = min(len(text), max(e for _, e in spans) + context)
    snippet = Text(("…" if lo else "") + text[lo:hi].replace("\n", " ") + ("…" if hi < len(text) else ""))
    shift = 1 if lo else 0
    for s, e in spans:
        snippet.stylize("bold yellow underline", s - lo + shift, e - lo + shift)
    return snippet


def _field_json(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: f for name, f in fields.items() if isinstance(f, dict) and "value" in f}


@app.command()
def statements(doc: DocArg = None, json_out: JsonOpt = False) -> None:
    """Who said what: each statement with speaker, organisation, stance, date said, and its evidence span."""
    docs, rows = _per_doc(doc, StatementRow)
    if json_out:
        emit_json([{"document": d.external_id or d.id, "statements": [
            {"index": r.idx, **_field_json(r.fields), "speaker_aliases": r.fields.get("speaker_aliases", []),
             "machine_output": True} for r in rows[d.id]]} for d in docs])
        return
    for d in docs:
        _doc_rule(d, len(rows[d.id]), "statement")
        for r in rows[d.id]:
            f = r.fields
            who = r.speaker or "?"
            org = f" ({r.org})" if r.org and r.org != r.speaker else ""
            out.print(f"[bold]{who}[/bold]{org} · [cyan]{r.stance}[/cyan] · {f['mode']['value']} · "
                      f"said {r.said_on or 'on an unknown date'} · confidence {f['stance']['confidence']:.2f}")
            out.print(highlight(d.text, [(r.quote_start, r.quote_end)] if r.quote_start is not None else []))


@app.command()
def reports(doc: DocArg = None, json_out: JsonOpt = False) -> None:
    """What happened, as each document tells it: event, targets, weapons, place, date, casualties, by whom."""
    docs, rows = _per_doc(doc, ReportRow)
    if json_out:
        emit_json([{"document": d.external_id or d.id, "reports": [
            {"index": r.idx, "incident": r.incident_id, "evidence": r.evidence, **_field_json(r.fields),
             "coordinates": r.fields.get("coordinates"), "machine_output": True} for r in rows[d.id]]}
            for d in docs])
        return
    for d in docs:
        _doc_rule(d, len(rows[d.id]), "report")
        for r in rows[d.id]:
            f = r.fields

            def v(name: str, f: dict[str, Any] = f) -> str:
                return _val(f, name)

            casualties = f"killed {v('killed')}, injured {v('injured')}"
            if f["casualty_text"]["value"]:
                casualties += f" ({v('casualty_text')})"
            out.print(f"[bold]{v('event')}[/bold] on {v('targets')} with {v('weapons')} · {v('place')} "
                      f"({v('country')}) · {v('date')} · {casualties} · by {v('perpetrator')} according to the text"
                      f" · [cyan]{v('status')}[/cyan]" + (" · pattern" if f["pattern"]["value"] else "")
                      + (f" · incident {r.incident_id}" if r.incident_id else ""))
            out.print(highlight(d.text, [tuple(e) for e in r.evidence]))


@app.command()
def reuse(doc: DocArg = None, json_out: JsonOpt = False) -> None:
    """Passages that a later document reuses from an earlier one (B reuses A), with similarity and direction."""
    ws = workspace()
    with ws.read() as s:
        docs = {d.id: d for d in s.scalars(select(Document))}
        q = select(ReuseRow).order_by(ReuseRow.to_document_id, ReuseRow.to_start)
        if doc:
            d = resolve_doc(s, doc)
            q = q.where((ReuseRow.to_document_id == d.id) | (ReuseRow.from_document_id == d.id))
        rows = list(s.scalars(q))
    data = [{"from": docs[r.from_document_id].external_id or r.from_document_id,
             "to": docs[r.to_document_id].external_id or r.to_document_id,
             "from_span": [r.from_start, r.from_end], "to_span": [r.to_start, r.to_end],
             "similarity": r.similarity, "direction_basis": r.basis,
             "text": docs[r.to_document_id].text[r.to_start:r.to_end]} for r in rows]
    if json_out:
        emit_json(data)
        return
    for x in data:
        out.print(f"[bold]{x['to']}[/bold] reuses [bold]{x['from']}[/bold] · similarity {x['similarity']:.2f} · "
                  f"direction by {x['direction_basis'].replace('_', ' ')}")
        out.print(Text("  " + x["text"][:300] + ("…" if len(x["text"]) > 300 else ""), style="dim"))
    out.print(f"{len(data)} reused passage(s)")


@app.command("eval")
def eval_cmd(setdir: Annotated[Path, typer.Argument(help="A gold set folder: docs/ and gold/ (docs/gold-format.md).")],
             json_out: JsonOpt = False,
             show_misses: Annotated[bool, typer.Option(help="List misses and wrong fields per document.")] = False,
             ) -> None:
    """Run the whole pipeline in a fresh temporary workspace over SETDIR/docs and score it against SETDIR/gold."""
    from hague.eval.workspace_run import run_eval

    if not (setdir / "docs").is_dir() or not (setdir / "gold").is_dir():
        fail(f"{setdir} is not a gold set (it needs docs/ and gold/)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hague-eval-") as tmp:
        result, rendered = run_eval(setdir, Path(tmp), show_misses=show_misses)
    result["seconds"] = round(time.perf_counter() - started, 2)
    if json_out:
        emit_json(result)
        return
    for r in rendered:
        out.print(r)
    out.print(f"{result['documents']} documents in {result['seconds']} s")


def _grade_cell(src: Source | None) -> str:
    if src is None or (src.reliability is None and src.credibility is None):
        return "unknown"
    return f"{src.reliability or '?'}{src.credibility or '?'}"


@app.command()
def incidents(json_out: JsonOpt = False) -> None:
    """Incidents: reports of one event gathered across documents, with independent-source counts."""
    from hague.assessments import incident_wording

    ws = workspace()
    with ws.read() as s:
        rows = list(s.scalars(select(IncidentRow).order_by(IncidentRow.id)))
        wording = {r.id: incident_wording(s, r.id) for r in rows}
        grades = {src.name: _grade_cell(src) for src in s.scalars(select(Source))}
    if json_out:
        emit_json([{**r.data, "review_state": wording[r.id].state, "label": wording[r.id].label} for r in rows])
        return
    table = Table(title=f"{len(rows)} incident(s) — machine suggestions until reviewed")
    for col in ("incident", "what", "where / when", "status", "independent sources", "review"):
        table.add_column(col, overflow="fold")
    for r in rows:
        f = r.data["fields"]
        what = f"{_val(f, 'event')} on {_val(f, 'targets')} ({_val(f, 'weapons')})"
        origins = ", ".join(f"{g.get('outlet') or g.get('key')} (grade {grades.get(g.get('outlet') or '', 'unknown')})"
                            for g in r.data["independent_sources"])
        table.add_row(r.id, what, f"{_val(f, 'place')} · {_val(f, 'date')}", wording[r.id].label,
                      f"{r.independent_count} of {len({d for d, _ in r.data['members']})} document(s): {origins}",
                      wording[r.id].state)
    out.print(table)


def _val(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name, {}).get("value")
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return "—" if value in (None, "") else str(value)


@app.command()
def incident(incident_id: Annotated[str, typer.Argument(help="An incident id from `hague incidents`.")],
             json_out: JsonOpt = False) -> None:
    """One incident: merged facts with disagreement, its reports and their independent sources."""
    from hague.assessments import incident_wording

    ws = workspace()
    with ws.read() as s:
        row = s.get(IncidentRow, incident_id)
        if row is None:
            fail(f"no incident {incident_id!r} (see `hague incidents`)", 1)
        grades = {src.name: src for src in s.scalars(select(Source))}
        wording = incident_wording(s, incident_id)
    data = row.data
    if json_out:
        emit_json({**data, "review_state": wording.state, "label": wording.label})
        return
    out.rule(f"{row.id} · {wording.label} · review state: {wording.state}")
    for name, merged in data["fields"].items():
        claims = merged.get("values", [])
        if not claims:
            continue
        shown = merged["value"] if not isinstance(merged["value"], list) else ", ".join(map(str, merged["value"]))
        line = f"[bold]{name}[/bold]: {shown}"
        if merged.get("range") and merged["range"][0] != merged["range"][1]:
            line += f"  (range {merged['range'][0]}–{merged['range'][1]})"
        if merged.get("disputed"):
            line += "  [yellow]sources disagree:[/yellow] " + "; ".join(
                f"{c['value']} ({c['outlet'] or c['doc_id']})" for c in claims)
        out.print(line)
    out.print(f"[bold]independent sources: {row.independent_count}[/bold]")
    for g in data["independent_sources"]:
        outlet = g.get("outlet")
        out.print(f"  • {outlet or g.get('key')} [grade {_grade_cell(grades.get(outlet or ''))}]: documents "
                  f"{', '.join(map(str, g.get('documents', [])))}"
                  + (f"; carried by {', '.join(map(str, g['carried_by']))}" if g.get("carried_by") else ""))


@app.command()
def positions(json_out: JsonOpt = False,
              window: Annotated[int, typer.Option(help="Days within which opposite stances count as mixed.")] = 14,
              ) -> None:
    """Each actor's position over time, and mixed messages: one government asserting a violation while
    another of its voices says there is no conclusion or it cannot confirm."""
    from hague.corroboration.stored import load_positions

    ws = workspace()
    with ws.read() as s:
        timelines, mixed = load_positions(s, window)
    if json_out:
        emit_json({"positions": [t.to_json() for t in timelines], "mixed_messages": [m.to_json() for m in mixed]})
        return
    for t in timelines:
        out.rule(f"{t.actor} — {' → '.join(t.path.path())} — {t.question}")
        for e in t.entries:
            out.print(f"  {e.when or 'undated'} · [cyan]{e.stance}[/cyan] · “{e.quote[:160]}” "
                      f"({', '.join(str(d) for d, _, _ in e.sources)})")
    out.rule(f"[bold]{len(mixed)} mixed message(s)[/bold]")
    for m in mixed:
        out.print(f"[bold]{m.government}[/bold] on {m.question} ({m.days_apart} day(s) apart):")
        for e in m.asserting:
            out.print(f"  [red]asserts[/red] {e.speaker}, {e.when}: “{e.quote[:160]}”")
        for e in m.doubting:
            out.print(f"  [green]{e.stance}[/green] {e.speaker}, {e.when}: “{e.quote[:160]}”")


source_app = typer.Typer(help="Sources (outlets) and their Admiralty reliability grades.", no_args_is_help=True)
app.add_typer(source_app, name="source")


@source_app.command("grade")
def source_grade(name: Annotated[str, typer.Argument(help="The source (outlet) name, as in `hague source list`.")],
                 reliability: Annotated[str, typer.Argument(help="A (completely reliable) … F (cannot be judged)")],
                 credibility: Annotated[str, typer.Argument(help="1 (confirmed) … 6 (cannot be judged)")],
                 collector: Annotated[str | None, typer.Option(help="Who grades (ledger actor).")] = None) -> None:
    """Set a source's Admiralty grade (e.g. B2); shown beside every corroboration count."""
    from hague.evidence import ledger

    reliability, credibility = reliability.upper(), credibility
    if reliability not in "ABCDEF" or len(reliability) != 1:
        fail(f"reliability {reliability!r} must be one letter A–F")
    if credibility not in "123456" or len(credibility) != 1:
        fail(f"credibility {credibility!r} must be one digit 1–6")
    ws = workspace()
    with ws.write() as s:
        src = s.scalars(select(Source).where(Source.name == name)).first()
        if src is None:
            fail(f"no source {name!r} (see `hague source list`)", 1)
        src.reliability, src.credibility = reliability, credibility
        ledger.append(s, ws.actor(collector), "source.grade", [], {"source": name, "grade": reliability + credibility})
    ws.seal()
    out.print(f"{name}: graded {reliability}{credibility}")


@source_app.command("list")
def source_list(json_out: JsonOpt = False) -> None:
    """Sources with their grades and document counts."""
    from sqlalchemy import func

    ws = workspace()
    with ws.read() as s:
        rows = s.execute(select(Source, func.count(Document.id)).join(Document, Document.source_id == Source.id,
                                                                        isouter=True).group_by(Source.id)).all()
    data = [{"name": src.name, "grade": _grade_cell(src), "documents": n} for src, n in rows]
    if json_out:
        emit_json(data)
        return
    for x in data:
        out.print(f"{x['name']} · grade {x['grade']} · {x['documents']} document(s)")
