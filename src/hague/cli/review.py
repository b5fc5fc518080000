"""Legal review: ``review list | show | set | decide | context``.

Findings, decisions and classifications are acts of an account: the one in ``HAGUE_TOKEN`` (``hague login``),
with its current role in the token's case; a typed name establishes nobody.

What is printed about an incident follows its review state: the headline comes from the state's wording
(``hague.report.voice``) and every line in our own voice is checked against the policy before output.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from hague.cli.common import (
    IncidentArg,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    command,
    emit_json,
    group,
    listing,
    out,
    workspace,
)
from hague.report.voice import finding_origin, own_voice_text, provision_status, said
from hague.services import identity
from hague.services import review as service
from hague.vocab import ConfidenceLabel, ConflictType, ElementStatus, ReviewState, values

review_app = group("Legal review: candidate provisions, element findings, review decisions.")



@command
def review_list(limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """Incidents with their review state and how far their candidate provisions' elements are addressed."""
    rows = listing(workspace(), service.list_reviews, limit, offset, json_out)
    if rows is None:
        return
    table = Table(title=f"{len(rows)} incident(s) — candidate provisions are machine suggestions")
    for col in ("incident", "review state", "label", "candidate provisions", "elements"):
        table.add_column(col, overflow="fold")
    for r in rows:
        cands = r.candidate_provisions
        table.add_row(escape(r.incident), r.review_state, escape(r.label),
                      escape(f"{len(cands)}: {', '.join(cands[:4])}{' …' if len(cands) > 4 else ''}"),
                      ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(r.elements.items())))
    out.print(table)


@command
def review_show(incident: IncidentArg, json_out: JsonOpt = False,
                all_provisions: Annotated[bool, typer.Option("--all", help="Show every element of every "
                                                             "provision, not only Rome Statute ones.")] = False,
                ) -> None:
    """One incident's candidate provisions, each with its elements checklist, evidence and review history."""
    view = service.get_review(workspace(), incident)
    if json_out:
        emit_json(view.to_json())
        return
    review = view.review
    state = review.wording.state
    lines = [f"{review.incident_id} · {review.wording.label} · review state: {state}", view.headline]
    if view.standing and view.standing.stale:
        stale = view.standing.stale
        lines.append(f"STALE: {stale.to_state} by {stale.reviewer} ({stale.at}) no longer holds, the evidence it saw "
                     f"changed: {'; '.join(view.standing.changes[:8])}; review state falls back to {state}")
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
            origin = "" if f.status == ElementStatus.NOT_ADDRESSED else f" ({finding_origin(f.origin, sf.set_by)})"
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


@command
def review_set(
    incident: IncidentArg,
    provision: Annotated[str, typer.Argument(help="A provision id, e.g. 'RS 8(2)(b)(ix)' (quote it).")],
    element: Annotated[str, typer.Argument(help="An element id from `hague review show`, e.g. B9.OBJECT.")],
    status: Annotated[str, typer.Argument(help=f"{', '.join(values(ElementStatus))}.")],
    evidence: Annotated[list[str] | None, typer.Option(
        "--evidence", help="report:ID, statement:ID, item:SHA256 or doc:DOC:START-END, where DOC is a document "
                           "as `hague reports` names it (repeatable).")] = None,
    note: Annotated[str | None, typer.Option(help="Why: what the evidence shows or lacks.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Record your finding on one element of a candidate provision; a ledger entry names you."""
    ws = workspace()
    done = service.set_element(ws, identity.member(ws), incident, provision, element, status, evidence or [], note)
    if json_out:
        emit_json(done.to_json())
        return
    out.print(f"{done.incident} · {done.provision} · {element}: {status} (set by {done.finding.set_by}); "
              f"ledger size {done.tree_head['tree_size']}", markup=False)


@command
def review_decide(
    incident: IncidentArg,
    state: Annotated[str, typer.Argument(help=f"The new review state: {', '.join(values(ReviewState))}.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (required; kept in the ledger).")],
    label: Annotated[str | None, typer.Option(help="Analyst confidence label when assessing: "
                                              f"{', '.join(values(ConfidenceLabel))}.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Move an incident to the next review state (law.md §4.6), or re-open it to `coded`; a ledger entry."""
    ws = workspace()
    done = service.decide(ws, identity.member(ws), incident, state, reason, label)
    if json_out:
        emit_json(done.to_json())
        return
    step = done.transition
    out.print(f"{done.incident}: {step.from_state} → {step.to_state} by {step.reviewer}; ledger size "
              f"{done.tree_head['tree_size']}", markup=False)
    out.print(done.headline, markup=False)


@command
def review_context(
    incident: IncidentArg,
    context: Annotated[str, typer.Argument(help=f"{', '.join(values(ConflictType))}, or '{service.TABLE}' to use "
                                           "the conflict table again.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (required; kept in the ledger).")],
    json_out: JsonOpt = False,
) -> None:
    """Set the armed-conflict classification for one incident, overriding the conflict table by country and
    date; candidate provisions are recomputed for it. A ledger entry names you and your reason."""
    ws = workspace()
    done = service.set_context(ws, identity.member(ws), incident, context, reason)
    if json_out:
        emit_json(done.to_json())
        return
    out.print(f"{done.incident}: conflict classification {context}; ledger size {done.tree_head['tree_size']}",
              markup=False)


for _name, _command in (("list", review_list), ("show", review_show), ("set", review_set),
                        ("decide", review_decide), ("context", review_context)):
    review_app.command(_name)(_command)
