"""Commands of the review phase: `hague review list | show | set | decide`, and `hague report` (the dossier).

What is printed about an incident follows its review state: the headline comes from the state's wording
(``hague.report.voice``) and every line in our own voice is checked against the policy before output.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.assessments import decide, incident_review, refresh_assessments, set_element
from hague.cli_common import JsonOpt, app, emit_json, fail, out, workspace
from hague.errors import HagueError
from hague.evidence import ledger
from hague.evidence.store import sha256_text
from hague.law.conflicts import CONFLICT_TYPES
from hague.law.review import ANALYST_CONFIDENCE_LABELS, REVIEW_STATES, WordingError
from hague.law.suggest import SUGGESTED
from hague.model import IncidentRow
from hague.report.voice import finding_origin, headline, own_voice_text, provision_status, said
from hague.workspace import WorkspaceError

T = TypeVar("T")

review_app = typer.Typer(help="Legal review: candidate provisions, element findings, review decisions.",
                         no_args_is_help=True)
app.add_typer(review_app, name="review")

IncidentArg = Annotated[str, typer.Argument(help="An incident id from `hague incidents`.")]
ReviewerOpt = Annotated[str | None, typer.Option("--reviewer", "--collector",
                                                 help="Who reviews (ledger actor; default the OS user).")]


@review_app.command("list")
def review_list(json_out: JsonOpt = False) -> None:
    """Incidents with their review state and how far their candidate provisions' elements are addressed."""
    ws = workspace()
    with ws.read() as s:
        reviews = [incident_review(s, i) for i in s.scalars(select(IncidentRow.id).order_by(IncidentRow.id))]
    if json_out:
        emit_json([{"incident": r.incident_id, "review_state": r.wording.state, "label": r.wording.label,
                    "candidate_provisions": [p.provision_id for p in r.provisions if p.status == SUGGESTED],
                    "elements": _tally(r)} for r in reviews])
        return
    table = Table(title=f"{len(reviews)} incident(s) — candidate provisions are machine suggestions")
    for col in ("incident", "review state", "label", "candidate provisions", "elements"):
        table.add_column(col, overflow="fold")
    for r in reviews:
        cands = [p.provision_id for p in r.provisions if p.status == SUGGESTED]
        table.add_row(r.incident_id, r.wording.state, r.wording.label,
                      f"{len(cands)}: {', '.join(cands[:4])}{' …' if len(cands) > 4 else ''}",
                      ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(_tally(r).items())))
    out.print(table)


def _tally(review) -> dict[str, int]:  # type: ignore[no-untyped-def]
    tally: dict[str, int] = {}
    for p in review.provisions:
        for k, n in p.counts().items():
            tally[k] = tally.get(k, 0) + n
    return tally


@review_app.command("show")
def review_show(incident: IncidentArg, json_out: JsonOpt = False,
                all_provisions: Annotated[bool, typer.Option("--all", help="Show every element of every "
                                                             "provision, not only Rome Statute ones.")] = False,
                ) -> None:
    """One incident's candidate provisions, each with its elements checklist, evidence and review history."""
    ws = workspace()
    with ws.read() as s:
        if s.get(IncidentRow, incident) is None:
            fail(f"no incident {incident!r} (see `hague incidents`)", 1)
        review = incident_review(s, incident)
    state = review.wording.state
    label = next((t.label for t in reversed(review.history) if t.label), None)
    if json_out:
        emit_json({**review.to_json(), "headline": headline(state, label)})
        return
    lines = [f"{incident} · {review.wording.label} · review state: {state}", headline(state, label)]
    if review.context:
        lines.append(f"conflict classification: {review.context.describe()}")
    if review.error:
        lines.append(f"not assessed: {review.error}")
    for p in review.provisions:
        s_ = p.suggestion
        lines.append("")
        lines.append(f"{p.provision_id} — {p.title} · {provision_status(p.status)}")
        if s_ and s_.why_not:
            lines.append(f"  why not suggested: {s_.why_not}")
        for reason in (s_.reasons if s_ else []):
            lines.append(f"  because {reason}")
        if not (all_provisions or p.provision_id.startswith("RS ")):
            continue
        for sf in p.findings:
            f = sf.finding
            origin = "" if f.status == "not_addressed" else f" ({finding_origin(f.origin, sf.set_by)})"
            lines.append(f"  [{f.status}] {f.element_id}: {f.text}{origin}")
            for ref in f.evidence[:2]:
                where = f"{ref.kind}:{ref.report_id}" if ref.report_id else (ref.document_id or ref.item_id or "")
                lines.append(f"      {where} “{' '.join((ref.quote or '').split())[:140]}”")
            if f.note:
                lines.append(f"      note: {f.note}")
    if review.history:
        lines.append("")
        lines.append("review history:")
        lines += [f"  {t.at} {t.from_state or '—'} → {t.to_state} by {t.reviewer}: {t.reason}"
                  + (f" [{t.label}]" if t.label else "") for t in review.history]
    text = "\n".join(lines)
    said(own_voice_text(text), state)
    out.print(text, markup=False)


@review_app.command("set")
def review_set(
    incident: IncidentArg,
    provision: Annotated[str, typer.Argument(help="A provision id, e.g. 'RS 8(2)(b)(ix)' (quote it).")],
    element: Annotated[str, typer.Argument(help="An element id from `hague review show`, e.g. B9.OBJECT.")],
    status: Annotated[str, typer.Argument(help="not_addressed, unknown, supported, partially_supported, "
                                          "contradicted or not_applicable.")],
    evidence: Annotated[list[str] | None, typer.Option(
        "--evidence", help="report:ID, statement:ID, item:SHA256 or doc:KEY:START-END (repeatable).")] = None,
    note: Annotated[str | None, typer.Option(help="Why: what the evidence shows or lacks.")] = None,
    reviewer: ReviewerOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Record your finding on one element of a candidate provision; a ledger entry names you."""
    stored, head = _recorded(lambda s, actor: set_element(s, actor, incident, provision, element, status,
                                                          evidence or [], note), reviewer)
    if json_out:
        emit_json({"incident": incident, "provision": provision, **stored.to_json(), "tree_head": head.to_json()})
        return
    out.print(f"{incident} · {provision} · {element}: {status} (set by {stored.set_by}); "
              f"ledger size {head.tree_size}", markup=False)


def _recorded(act: Callable[[Session, str], T], reviewer: str | None) -> tuple[T, ledger.SignedHead]:
    """Run a reviewer's act in one locked transaction, refusing it with one line if the review rules say no,
    then sign the ledger's new head."""
    ws = workspace()
    try:
        with ws.write() as s:
            result = act(s, ws.actor(reviewer))
    except HagueError as exc:
        fail(str(exc), 1)
    return result, ws.seal()


@review_app.command("decide")
def review_decide(
    incident: IncidentArg,
    state: Annotated[str, typer.Argument(help=f"The new review state: {', '.join(REVIEW_STATES)}.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (required; kept in the ledger).")],
    label: Annotated[str | None, typer.Option(help="Analyst confidence label when assessing: "
                                              f"{', '.join(ANALYST_CONFIDENCE_LABELS)}.")] = None,
    reviewer: ReviewerOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Move an incident to the next review state (law.md §4.6), or re-open it to `coded`; a ledger entry."""
    step, head = _recorded(lambda s, actor: decide(s, actor, incident, state, reason, label), reviewer)
    words = headline(step.to_state, step.label)
    if json_out:
        emit_json({"incident": incident, **step.to_json(), "headline": words, "tree_head": head.to_json()})
        return
    out.print(f"{incident}: {step.from_state} → {step.to_state} by {step.reviewer}; ledger size {head.tree_size}",
              markup=False)
    out.print(words, markup=False)


@review_app.command("context")
def review_context(
    incident: IncidentArg,
    context: Annotated[str, typer.Argument(help=f"{', '.join(CONFLICT_TYPES)}, or 'table' to use the conflict "
                                           "table again.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (required; kept in the ledger).")],
    reviewer: ReviewerOpt = None,
) -> None:
    """Set the armed-conflict classification for one incident, overriding the conflict table by country and
    date; candidate provisions are recomputed for it. A ledger entry names you and your reason."""
    if context != "table" and context not in CONFLICT_TYPES:
        fail(f"unknown classification {context!r}: use one of {', '.join(CONFLICT_TYPES)} or 'table'")
    if not reason.strip():
        fail("--reason must say why")
    ws = workspace()
    actor = ws.actor(reviewer)
    with ws.write() as s:
        row = s.get(IncidentRow, incident)
        if row is None:
            fail(f"no incident {incident!r} (see `hague incidents`)", 1)
        row.context_override = None if context == "table" else context
        ledger.append(s, actor, "review.context", [], {"incident": incident, "context": context, "reason": reason})
        s.flush()
        refresh_assessments(s, actor)
    head = ws.seal()
    out.print(f"{incident}: conflict classification {context}; ledger size {head.tree_size}", markup=False)


@app.command()
def report(
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the dossier.")] = Path("dossier.html"),
    fmt: Annotated[str, typer.Option("--format", help="html (one self-contained file) or md.")] = "html",
    window: Annotated[int, typer.Option(help="Days within which opposite stances count as mixed.")] = 14,
    json_out: JsonOpt = False,
) -> None:
    """Write the dossier: overview, map and timeline, each incident with its facts, sources, statements and
    candidate provisions with element checklists, positions and mixed messages, the source list with
    SHA-256 and capture times, and the signed tree head. Works offline; nothing is fetched."""
    from hague.report import render_dossier

    if fmt not in ("html", "md"):
        fail(f"unknown format {fmt!r}: use html or md")
    ws = workspace()
    try:
        ws.check_output(out_path)
    except WorkspaceError as exc:
        fail(str(exc))
    ws.seal()
    with ws.read() as s:
        try:
            text, dossier = render_dossier(s, fmt, window)
        except WordingError as exc:  # never write a dossier that says more than its review states allow
            fail(f"dossier not written: {exc}", 1)
    tmp = out_path.with_name(out_path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out_path)
    digest = sha256_text(text)
    with ws.write() as s:  # the dossier is an export: its hash goes into the custody ledger
        ledger.append(s, ws.actor(), "report", [digest], {"path": str(out_path.absolute()), "format": fmt,
                                                         **dossier.counts})
    head = ws.seal()
    if json_out:
        emit_json({"path": str(out_path), "format": fmt, "bytes": len(text.encode()), **dossier.counts,
                   "tree_head": head.to_json()})
        return
    table = Table(title="Dossier summary (machine suggestions until reviewed)")
    table.add_column("")
    table.add_column("count", justify="right")
    for key, value in dossier.counts.items():
        table.add_row(key.replace("_", " "), str(value))
    out.print(table)
    out.print(f"dossier: {out_path} (SHA-256 {digest}, ledger size {head.tree_size})", markup=False)
