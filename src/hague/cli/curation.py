"""People correct the machine at the terminal: ``hague login`` and ``hague curate ...``.

Curation acts as an account, never as a typed name: ``hague login NAME --case CASE`` checks the password (and
code) and prints a token for ``HAGUE_TOKEN``; every ``curate`` command acts as that account in that case, with
the role it has there now. Each command is one call into :mod:`hague.services.curation`.
"""

from __future__ import annotations

import getpass
import os
import sys
import threading
from typing import Annotated, Any

import typer

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
from hague.curation.fields import INCIDENT_FIELDS, REPORT_FIELDS, STATEMENT_FIELDS
from hague.errors import InvalidInput
from hague.services import capture, discussion, identity
from hague.services import curation as service
from hague.services.curation import Curated
from hague.vocab import FindingKind

curate_app = group("Correct the machine: accept, reject, correct or add statements and reports; "
                   "move, split and merge incidents; decide merge proposals; resolve conflicts. "
                   "Acts as the account in HAGUE_TOKEN (see `hague login`).")


def _fields_help(table: dict) -> str:  # type: ignore[type-arg]
    return "; ".join(f"{name} ({spec.help()})" for name, spec in table.items())


KindArg = Annotated[FindingKind, typer.Argument(help="statement or report.")]
IdArg = Annotated[int, typer.Argument(help="The statement's or report's number (`hague statements --json`, "
                                           "`hague reports --json`).")]
ChangesArg = Annotated[list[str] | None, typer.Argument(
    help="FIELD=VALUE pairs. Statements: " + _fields_help(STATEMENT_FIELDS) + ". Reports: "
         + _fields_help(REPORT_FIELDS) + ". An empty VALUE clears a field.")]


def _pairs(pairs: list[str] | None) -> dict[str, Any]:
    out_: dict[str, Any] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"{pair!r}: write FIELD=VALUE")
        out_[name.strip()] = value
    return out_


def _done(result: Curated, json_out: bool, line: str) -> None:
    if json_out:
        emit_json(result.to_json())
        return
    out.print(f"{line}; ledger size {result.tree_head['tree_size']}", markup=False)


@command
def login(name: Annotated[str, typer.Argument(help="Your account.")],
          case: Annotated[str, typer.Option(help="The case to act in (a token opens one case).")],
          password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first "
                                                       "line of standard input (for scripts).")] = False,
          code: Annotated[str | None, typer.Option(help="Your authenticator's code, when your account or the case "
                                                   "needs a second factor.")] = None,
          json_out: JsonOpt = False) -> None:
    """Sign in at the terminal: checks your password (and code), prints a token to keep in HAGUE_TOKEN.

    Review and curation commands act as the account in HAGUE_TOKEN, with its current role in the token's case.
    Revoke a token on the account page or with `hague token revoke`.
    """
    password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass("Password: ")
    done = identity.login(workspace(), name, password, case, code)
    if json_out:
        emit_json(done.to_json())
        return
    sys.stdout.write(f"export HAGUE_TOKEN={done.token}\n")
    sys.stderr.write(f"signed in as {done.user}, {done.role} in {done.case} ({done.scope} token); "
                     "keep the line above in your shell, it is not shown again\n")


def _who():  # type: ignore[no-untyped-def]
    ws = workspace()
    return ws, identity.member(ws)


@command
def curate_accept(kind: KindArg, ref: IdArg, changes: ChangesArg = None, json_out: JsonOpt = False) -> None:
    """Accept a statement or report as read (or with FIELD=VALUE corrections): every field pinned, kept on
    every re-analysis."""
    ws, who = _who()
    done = service.accept(ws, who, kind, ref, _pairs(changes))
    _done(done, json_out, f"{kind} {ref} accepted by {who.name} (decision {done.details['decision']})")


@command
def curate_reject(kind: KindArg, ref: IdArg, json_out: JsonOpt = False) -> None:
    """Reject a statement or report: removed now and after every re-analysis (undo with `curate undo`)."""
    ws, who = _who()
    done = service.reject(ws, who, kind, ref)
    _done(done, json_out, f"{kind} {ref} rejected by {who.name} (decision {done.details['decision']})")


@command
def curate_correct(kind: KindArg, ref: IdArg, changes: ChangesArg = None, json_out: JsonOpt = False) -> None:
    """Correct fields of a statement or report; the machine's values are kept beside yours."""
    ws, who = _who()
    done = service.correct(ws, who, kind, ref, _pairs(changes))
    changed = ", ".join(f"{n}: {c['machine']!r} → {c['value']!r}" for n, c in done.details["changes"].items())
    _done(done, json_out, f"{kind} {ref} corrected by {who.name}: {changed}")


@command
def curate_add(kind: KindArg,
               document: Annotated[str, typer.Argument(help="The document (as `hague reports` names it).")],
               start: Annotated[int, typer.Argument(help="First character of the span in the extracted text.")],
               end: Annotated[int, typer.Argument(help="Character after the span.")],
               changes: ChangesArg = None,
               incident: Annotated[str | None, typer.Option(help="For a report: the incident it belongs to "
                                                            "(default: a new incident).")] = None,
               json_out: JsonOpt = False) -> None:
    """Add a statement or report the machine missed, standing on a span of the document's text."""
    ws, who = _who()
    done = service.add(ws, who, kind, document, start, end, _pairs(changes), incident)
    where = f" in {done.details['incident']}" if done.details.get("incident") else ""
    _done(done, json_out, f"{kind} added by {who.name} as number {done.details['row']}{where}")


@command
def curate_undo(decision: Annotated[int, typer.Argument(help="A decision's number (`hague curate decisions`).")],
                json_out: JsonOpt = False) -> None:
    """Withdraw a decision on a finding: the machine's finding again (a rejected one comes back)."""
    ws, who = _who()
    done = service.undo(ws, who, decision)
    _done(done, json_out, f"decision {decision} withdrawn by {who.name}")


@command
def curate_decisions(conflicts: Annotated[bool, typer.Option("--conflicts", help="Only decisions a later analysis "
                                                             "disagrees with.")] = False,
                     limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """The case's decisions on statements and reports, newest first, with the machine's values beside."""
    ws, who = _who()
    rows = listing(ws, lambda w, limit, offset: service.list_decisions(w, who, conflicts_only=conflicts,
                                                                          limit=limit, offset=offset),
                   limit, offset, json_out)
    for d in rows or []:
        fields = ", ".join(f"{n}={e['value']!r} (machine {e['machine']!r})" for n, e in d.fields.items()
                           if e["value"] != e["machine"])
        out.print(f"{d.id} · {d.kind} · {d.verdict} by {d.updated_by} {d.updated_at} · {d.anchor['document']}"
                  f":{d.anchor['start']}-{d.anchor['end']} {fields}"
                  + (f" · {len(d.conflicts)} conflict(s)" if d.conflicts else ""), markup=False)


@command
def curate_move(reports: Annotated[list[int], typer.Argument(help="Report numbers.")],
                to: Annotated[str | None, typer.Option("--to", help="The incident they go to.")] = None,
                new: Annotated[bool, typer.Option("--new", help="Into a new incident of their own.")] = False,
                json_out: JsonOpt = False) -> None:
    """Move reports to another incident (or a new one); they stay there on every re-analysis."""
    if bool(to) == new:
        raise InvalidInput("say where: --to INCIDENT or --new")
    ws, who = _who()
    done = service.move(ws, who, reports, to)
    _done(done, json_out, f"{len(reports)} report(s) moved to {done.details['incident']} by {who.name}")


@command
def curate_split(incident: IncidentArg,
                 reports: Annotated[list[int], typer.Argument(help="The reports that go to a new incident.")],
                 json_out: JsonOpt = False) -> None:
    """Split an incident: the reports named go to a new incident, the others stay."""
    ws, who = _who()
    done = service.split(ws, who, incident, reports)
    _done(done, json_out, f"{len(reports)} report(s) split out into {done.details['incident']} by {who.name}")


@command
def curate_merge(keep: Annotated[str, typer.Argument(help="The incident that stays.")],
                 others: Annotated[list[str], typer.Argument(help="Incidents merged into it.")],
                 json_out: JsonOpt = False) -> None:
    """Merge incidents into one; the others' ids lead to it from now on."""
    ws, who = _who()
    done = service.merge(ws, who, keep, others)
    _done(done, json_out, f"{', '.join(done.details['merged'])} merged into {done.details['incident']} by {who.name}")


@command
def curate_incident(incident: IncidentArg,
                    changes: Annotated[list[str] | None, typer.Argument(
                        help="FIELD=VALUE pairs: " + _fields_help(INCIDENT_FIELDS) + ".")] = None,
                    clear: Annotated[str | None, typer.Option(help="Withdraw your value of this field.")] = None,
                    json_out: JsonOpt = False) -> None:
    """Correct an incident's merged facts (date, place and its point, event, status ...), or --clear one."""
    ws, who = _who()
    if clear:
        done = service.uncorrect_incident(ws, who, incident, clear)
        _done(done, json_out, f"{done.details['incident']}: {clear} is the machine's again")
        return
    done = service.correct_incident(ws, who, incident, _pairs(changes))
    changed = ", ".join(f"{n}: {c['machine']!r} → {c['value']!r}" for n, c in done.details["changes"].items())
    _done(done, json_out, f"{done.details['incident']} corrected by {who.name}: {changed}")


@command
def curate_proposals(every: Annotated[bool, typer.Option("--all", help="Decided ones too.")] = False,
                     limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """The machine's proposals to merge incidents of the case, waiting for a person."""
    ws, who = _who()
    rows = listing(ws, lambda w, limit, offset: service.list_proposals(w, who, state=None if every else "open",
                                                                          limit=limit, offset=offset),
                   limit, offset, json_out)
    for p in rows or []:
        out.print(f"{p.id} · {p.state} · merge {' + '.join(p.incidents)} · score {p.score}: {p.reason}"
                  + (f" · {p.decided_by}" if p.decided_by else ""), markup=False)


@command
def curate_proposal(proposal: Annotated[int, typer.Argument(help="The proposal's number.")],
                    decision: Annotated[str, typer.Argument(help="accept (merge them) or refuse.")],
                    json_out: JsonOpt = False) -> None:
    """Accept or refuse one of the machine's merge proposals (a refused one is never made again)."""
    if decision not in ("accept", "refuse"):
        raise InvalidInput(f"{decision!r}: accept or refuse")
    ws, who = _who()
    done = service.decide_proposal(ws, who, proposal, decision == "accept")
    _done(done, json_out, f"proposal {proposal} {done.details['state']} by {who.name}")


@command
def curate_conflicts(limit: LimitOpt = None, offset: OffsetOpt = 0, json_out: JsonOpt = False) -> None:
    """Where a later analysis disagrees with a person's value: each waits for `curate resolve`."""
    ws, who = _who()
    rows = listing(ws, lambda w, limit, offset: service.list_conflicts(w, who, limit=limit, offset=offset),
                   limit, offset, json_out)
    for c in rows or []:
        out.print(f"{c.target} · {c.field}: yours {c.person!r}; the machine said {c.machine_then!r}, now says "
                  f"{c.machine_now!r} ({c.at})", markup=False)


@command
def curate_resolve(target: Annotated[str, typer.Argument(help="decision:ID or incident:ID, as `curate conflicts` "
                                                         "names it.")],
                   field: Annotated[str, typer.Argument(help="The field in conflict ('*' for a finding the "
                                                        "machine no longer finds).")],
                   take_machine: Annotated[bool, typer.Option("--take-machine/--keep-mine",
                                                              help="Take the machine's new value, or keep yours.")]
                   = False,
                   json_out: JsonOpt = False) -> None:
    """Resolve a conflict between your value and a later analysis."""
    ws, who = _who()
    done = service.resolve(ws, who, target, field, take_machine=take_machine)
    _done(done, json_out, f"{target} {field}: kept the {done.details['kept']}'s value")


@command
def curate_comment(incident: IncidentArg, text: Annotated[str, typer.Argument(help="The comment; @name mentions a "
                                                                            "member of the case.")],
                   json_out: JsonOpt = False) -> None:
    """Comment on an incident; members named with @name see it on their dashboard."""
    ws, who = _who()
    done = discussion.comment(ws, who, incident, text)
    if json_out:
        emit_json(done.to_json())
        return
    out.print(f"comment {done.id} on {done.incident} by {who.name}"
              + (f", mentioning {', '.join(done.mentions)}" if done.mentions else ""), markup=False)


@command
def curate_assign(incident: IncidentArg,
                  user: Annotated[str | None, typer.Argument(help="An analyst, reviewer or lead of the case; "
                                                             "none: nobody.")] = None,
                  json_out: JsonOpt = False) -> None:
    """Give an incident to a member of the case to work on next (it shows on their dashboard)."""
    ws, who = _who()
    done = discussion.assign(ws, who, incident, user)
    if json_out:
        emit_json(done.to_json() if done else None)
        return
    out.print(f"{incident}: assigned to {user}" if done else f"{incident}: assigned to nobody", markup=False)


PARENT_ENV = "HAGUE_WORKER_PARENT"  # the process id of the `hague serve` that started this worker


def _watch_parent(pid: int, stop: threading.Event) -> None:
    while not stop.wait(2):
        if os.getppid() != pid:
            stop.set()


@command
def worker(once: Annotated[bool, typer.Option("--once", help="Stop when the queue is empty (for scripts).")] = False
           ) -> None:
    """Run the queue of long work (captures from the browser): claim a job, preserve its files and URLs one by
    one into the case, read what is new. A job left half-done by a stopped worker is taken up again where it
    was. `hague serve` starts one of these unless given --no-worker."""
    stop = threading.Event()
    parent = os.environ.get(PARENT_ENV)
    if parent:  # started by `hague serve`: stop when it does, even if it was killed
        threading.Thread(target=_watch_parent, args=(int(parent), stop), daemon=True).start()
    ran = capture.run_worker(workspace(), once=once, stop=stop)
    if once:
        out.print(f"{ran} job(s) run", markup=False)


COMMANDS = {"accept": curate_accept, "reject": curate_reject, "correct": curate_correct, "add": curate_add,
            "undo": curate_undo, "decisions": curate_decisions, "move": curate_move, "split": curate_split,
            "merge": curate_merge, "incident": curate_incident, "proposals": curate_proposals,
            "proposal": curate_proposal, "conflicts": curate_conflicts, "resolve": curate_resolve,
            "comment": curate_comment, "assign": curate_assign}

for _name, _command in COMMANDS.items():
    curate_app.command(_name)(_command)
