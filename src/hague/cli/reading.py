"""What one document says: ``analyze``, ``statements``, ``reports``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

import typer
from rich.markup import escape
from rich.text import Text

from hague.cli.common import (
    CollectorOpt,
    DocArg,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    actor,
    command,
    emit_json,
    out,
    progress,
    records,
    stage_bars,
    value_text,
    workspace,
)
from hague.records import DocumentRecord, ReportRecord, StatementRecord, by_document
from hague.services import reading as service
from hague.workspace import Workspace

R = TypeVar("R", StatementRecord, ReportRecord)


@command
def analyze(force: Annotated[bool, typer.Option(
                "--all", "--force", help="Full re-analysis: rebuild the reuse index and links and re-read every "
                "document (incidents keep their identity; a merge the machine would make is only proposed).")]
            = False,
            scheduler: Annotated[str | None, typer.Option(
                help="A Dask distributed scheduler (tcp://HOST:8786) whose workers read and fingerprint the "
                "documents; they must reach this workspace's database (default: HAGUE_DASK_SCHEDULER, else local "
                "processes).")] = None,
            collector: CollectorOpt = None, json_out: JsonOpt = False) -> None:
    """Read documents into statements and reports, link reused text, and place reports into incidents.

    Work is in proportion to what changed: only new documents are fingerprinted, only they and the documents
    they are an earlier origin of get their reuse recomputed and are read again, only new reports are placed
    (into existing incidents or new ones), and only changed incidents get their checklists refreshed. The run
    is a ledger entry naming the extractors and their versions. `hague add` runs this unless given --no-analyze.
    """
    ws = workspace()
    with progress(not json_out, eta=False) as bars:
        done = service.analyze(ws, actor(ws, collector), force=force, scheduler=scheduler,
                               progress=stage_bars(bars))
    if json_out:
        emit_json(done.to_json())
        return
    s = done.summary
    out.print(f"read {s.read} of {s.documents} document(s): {s.statements} statements, {s.reports} reports, "
              f"{s.reuse_links} reused passages, {s.incidents} incidents (machine suggestions until reviewed)")


def highlight(text: str, spans: Sequence[Sequence[int]], context: int = 80) -> Text:
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


def _findings(ws: Workspace, list_fn: Callable[..., Any], name: str, doc: str | None, limit: int | None,
              offset: int, json_out: bool) -> list[Any] | None:
    """The statements or reports a command shows; printed instead as JSON grouped per document (the shape
    scripts read: :func:`hague.records.by_document`), returning None, when given ``--json``."""
    rows = records(lambda n, at: list_fn(ws, doc, limit=n, offset=at), limit, offset)
    if json_out:
        emit_json(list(by_document(rows, name)))
        return None
    return list(rows)


def _per_document(ws: Workspace, doc: str | None, rows: list[R], paged: bool, what: str,
                  show: Callable[[R, str], None]) -> None:
    """Print records grouped under a rule per document (every document when none is named and the listing is
    not paged), each with the text it rests on."""
    docs: list[DocumentRecord] = [service.get_document(ws, doc)] if doc else \
        list(records(lambda n, at: service.list_documents(ws, limit=n, offset=at), None))
    for d in docs:
        mine = [r for r in rows if r.document_id == d.id]
        if paged and not mine:
            continue
        out.rule(escape(f"{d.key} · {d.outlet or ''} · {d.published or 'undated'} · {len(mine)} {what}(s)"))
        text = service.document_text(ws, d.id) if mine else ""
        for r in mine:
            show(r, text)


@command
def statements(doc: DocArg = None, limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """Who said what: each statement with speaker, organisation, stance, date said, and its evidence span.

    With --json, one object per document, {"document": id, "key": ..., "statements": [...]}, each statement's
    fields (speaker, org, quote, mode, said_on, stance) as {value, start, end, confidence, origin}.
    """
    ws = workspace()
    rows = _findings(ws, service.list_statements, "statements", doc, limit, offset, json_out)
    if rows is None:
        return

    def show(r: StatementRecord, text: str) -> None:
        f: dict[str, Any] = r.fields
        org = f" ({r.org})" if r.org and r.org != r.speaker else ""
        out.print(f"[bold]{escape(r.speaker or '?')}[/bold]{escape(org)} · [cyan]{r.stance}[/cyan] · "
                  f"{f['mode']['value']} · said {r.said_on or 'on an unknown date'} · "
                  f"confidence {f['stance']['confidence']:.2f}")
        out.print(highlight(text, [(r.quote_start, r.quote_end)] if r.quote_start is not None else []))

    _per_document(ws, doc, rows, limit is not None, "statement", show)


@command
def reports(doc: DocArg = None, limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """What happened, as each document tells it: event, targets, weapons, place, date, casualties, by whom.

    With --json, one object per document, {"document": id, "key": ..., "reports": [...]}, each report's
    fields as {value, start, end, confidence, origin} beside its evidence spans.
    """
    ws = workspace()
    rows = _findings(ws, service.list_reports, "reports", doc, limit, offset, json_out)
    if rows is None:
        return

    def show(r: ReportRecord, text: str) -> None:
        f = r.fields

        def v(name: str) -> str:
            return escape(value_text(f, name))

        casualties = f"killed {v('killed')}, injured {v('injured')}"
        if f["casualty_text"]["value"]:
            casualties += f" ({v('casualty_text')})"
        out.print(f"[bold]{v('event')}[/bold] on {v('targets')} with {v('weapons')} · {v('place')} "
                  f"({v('country')}) · {v('date')} · {casualties} · by {v('perpetrator')} according to the text"
                  f" · [cyan]{v('status')}[/cyan]" + (" · pattern" if f["pattern"]["value"] else "")
                  + (f" · incident {escape(r.incident_id)}" if r.incident_id else ""))
        out.print(highlight(text, r.evidence))

    _per_document(ws, doc, rows, limit is not None, "report", show)
