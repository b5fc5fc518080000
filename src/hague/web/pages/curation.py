"""People correct the machine in the browser: a document's findings, an incident's desk, the case's proposals and
conflicts, and what waits for me. Every page and form calls :mod:`hague.services.curation`,
:mod:`hague.services.review` or :mod:`hague.services.discussion` as the signed-in account; refusals come back
to the page they were made from, named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Form, Request
from fastapi.responses import Response

from hague.curation.fields import INCIDENT_FIELDS, REPORT_FIELDS, STATEMENT_FIELDS, Kind
from hague.errors import HagueError
from hague.services import browse, curation, discussion, review
from hague.team import cases
from hague.team.acting import Member
from hague.team.roles import EDITORS, EVERY_ROLE, MEMBERS, REVIEWERS, WRITERS
from hague.team.scope import Scope
from hague.vocab import ConfidenceLabel, FindingKind, values
from hague.web.access import SIGNED_IN, Ctx, Routes, case_roles, declare
from hague.web.pages.forms import CtxDep, see_other
from hague.web.render import render

router = Routes(include_in_schema=False)
FormText = Annotated[str, Form()]
FINDING_FIELDS = {FindingKind.STATEMENT: STATEMENT_FIELDS, FindingKind.REPORT: REPORT_FIELDS}


def member(ctx: Ctx) -> Member:
    assert ctx.user is not None and ctx.case is not None and ctx.role is not None
    return Member.of(ctx.user, ctx.case, ctx.role, ctx.can_write)


def _back(url: str, done: str | None = None, error: str | None = None) -> Response:
    params = {k: v for k, v in (("done", done), ("error", error)) if v}
    return see_other(url + ("?" + urlencode(params) if params else ""))


def _act(url: str, act: Callable[[], Any], done: str) -> Response:
    """Run one act; back to the page with what was done, or with the refusal named."""
    try:
        act()
    except HagueError as exc:
        return _back(url, error=str(exc))
    return _back(url, done=done)


async def _changes(request: Request, table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The form's field values (``prefix`` + name), as typed; the service reads and checks them."""
    form = await request.form()
    out = {name: str(form[prefix + name]) for name in table if prefix + name in form}
    return {k: v for k, v in out.items() if v or table[k].kind != Kind.CHOICE}  # "—" chosen: not given


# --- an incident's desk -----------------------------------------------------------------------------------------


def _incident_url(ctx: Ctx, incident: str) -> str:
    assert ctx.case is not None
    return f"/c/{ctx.case.slug}/incidents/{quote(incident, safe='')}/work"


@declare(router, "GET", "/c/{case}/incidents/{incident}/work", case_roles(MEMBERS))
def desk(request: Request, ctx: CtxDep, case: str, incident: str, done: str | None = None,
         error: str | None = None) -> Response:
    who = member(ctx)
    view = browse.incident_view(ctx.ws, ctx.scope, incident)
    work = curation.incident_desk(ctx.ws, who, view.incident.id)
    comments, assigned = discussion.thread(ctx.ws, who, view.incident.id)
    others = browse.list_incidents(ctx.ws, ctx.scope, limit=200).items
    return render(request, ctx, "curation/incident.html", view=view, desk=work, comments=comments,
                  assigned=assigned, fields=INCIDENT_FIELDS, Kind=Kind, labels=values(ConfidenceLabel),
                  others=[o.id for o in others if o.id != view.incident.id], done=done, error=error, WRITERS=WRITERS,
                  corrected={c.field: c for c in work.corrections})


@declare(router, "GET", "/c/{case}/incidents/{incident}/standing", case_roles(EVERY_ROLE))
def standing(request: Request, ctx: CtxDep, case: str, incident: str) -> Response:
    """Where review stands, for the incident page (loaded into it): stale or not, and why."""
    view = review.get_review(ctx.ws, browse.incident_view(ctx.ws, ctx.scope, incident).incident.id)
    return render(request, ctx, "curation/standing.html", view=view, incident=view.review.incident_id)


@declare(router, "POST", "/c/{case}/incidents/{incident}/correct", case_roles(EDITORS))
async def correct_incident(request: Request, ctx: CtxDep, case: str, incident: str) -> Response:
    changes = await _changes(request, INCIDENT_FIELDS)
    return _act(_incident_url(ctx, incident), lambda: curation.correct_incident(ctx.ws, member(ctx), incident, changes),
                "corrected")


@declare(router, "POST", "/c/{case}/incidents/{incident}/uncorrect", case_roles(EDITORS))
def uncorrect_incident(request: Request, ctx: CtxDep, case: str, incident: str, field: FormText) -> Response:
    return _act(_incident_url(ctx, incident),
                lambda: curation.uncorrect_incident(ctx.ws, member(ctx), incident, field), f"{field}: the machine's")


@declare(router, "POST", "/c/{case}/incidents/{incident}/merge", case_roles(EDITORS))
def merge(request: Request, ctx: CtxDep, case: str, incident: str, other: FormText) -> Response:
    return _act(_incident_url(ctx, incident), lambda: curation.merge(ctx.ws, member(ctx), incident, [other.strip()]),
                f"{other.strip()} merged into this incident")


@declare(router, "POST", "/c/{case}/incidents/{incident}/split", case_roles(EDITORS))
async def split(request: Request, ctx: CtxDep, case: str, incident: str) -> Response:
    form = await request.form()
    reports = [int(x) for x in form.getlist("report") if str(x).isdigit()]
    made: dict[str, str] = {}

    def act() -> None:
        made["to"] = curation.split(ctx.ws, member(ctx), incident, reports).details["incident"]

    response = _act(_incident_url(ctx, incident), act, "split")
    return _back(_incident_url(ctx, made["to"]), done=f"split out of {incident}") if made else response


@declare(router, "POST", "/c/{case}/incidents/{incident}/move", case_roles(EDITORS))
def move(request: Request, ctx: CtxDep, case: str, incident: str, report: Annotated[int, Form()],
         to: FormText) -> Response:
    return _act(_incident_url(ctx, incident),
                lambda: curation.move(ctx.ws, member(ctx), [report], to.strip() or None), f"report moved to {to}")


@declare(router, "POST", "/c/{case}/incidents/{incident}/decide", case_roles(REVIEWERS))
def decide(request: Request, ctx: CtxDep, case: str, incident: str, state: FormText, reason: FormText,
           label: Annotated[str, Form()] = "") -> Response:
    return _act(_incident_url(ctx, incident),
                lambda: review.decide(ctx.ws, member(ctx), incident, state, reason, label or None), f"now {state}")


@declare(router, "POST", "/c/{case}/incidents/{incident}/comments", case_roles(WRITERS))
def comment(request: Request, ctx: CtxDep, case: str, incident: str, body: FormText) -> Response:
    return _act(_incident_url(ctx, incident), lambda: discussion.comment(ctx.ws, member(ctx), incident, body),
                "comment added")


@declare(router, "POST", "/c/{case}/incidents/{incident}/assign", case_roles(WRITERS))
def assign(request: Request, ctx: CtxDep, case: str, incident: str,
           assignee: Annotated[str, Form()] = "") -> Response:
    return _act(_incident_url(ctx, incident),
                lambda: discussion.assign(ctx.ws, member(ctx), incident, assignee.strip() or None), "assigned")


# --- a document's findings ------------------------------------------------------------------------------------


def _document_url(ctx: Ctx, doc: str | int) -> str:
    assert ctx.case is not None
    return f"/c/{ctx.case.slug}/documents/{doc}/findings"


@declare(router, "GET", "/c/{case}/documents/{doc}/findings", case_roles(MEMBERS))
def findings(request: Request, ctx: CtxDep, case: str, doc: str, done: str | None = None,
             error: str | None = None) -> Response:
    view = browse.document_view(ctx.ws, ctx.scope, doc)
    decisions = curation.document_decisions(ctx.ws, member(ctx), doc)
    pieces, at = [], 0
    for seg in view.segments():
        pieces.append((at, seg))
        at += len(seg.text)
    return render(request, ctx, "curation/document.html", view=view, pieces=pieces, decisions=decisions,
                  kinds=FINDING_FIELDS, Kind=Kind, done=done, error=error)


@declare(router, "POST", "/c/{case}/documents/{doc}/findings", case_roles(EDITORS))
async def add_finding(request: Request, ctx: CtxDep, case: str, doc: str) -> Response:
    form = await request.form()
    kind = str(form.get("kind", ""))
    table = FINDING_FIELDS.get(kind)  # type: ignore[call-overload]
    if table is None:
        return _back(_document_url(ctx, doc), error="choose statement or report")
    values_ = {k: v for k, v in (await _changes(request, table, prefix=f"{kind}-")).items() if v.strip()}
    start, end = str(form.get("start", "")), str(form.get("end", ""))
    if not (start.isdigit() and end.isdigit()):
        return _back(_document_url(ctx, doc), error="select the passage in the text first")
    return _act(_document_url(ctx, doc),
                lambda: curation.add(ctx.ws, member(ctx), kind, doc, int(start), int(end), values_), f"{kind} added")


@declare(router, "POST", "/c/{case}/findings/{kind}/{ref}/{verdict}", case_roles(EDITORS))
async def decide_finding(request: Request, ctx: CtxDep, case: str, kind: FindingKind, ref: int, verdict: str,
                         doc: FormText) -> Response:
    who = member(ctx)
    acts: dict[str, Callable[[dict[str, str]], Any]] = {
        "accept": lambda ch: curation.accept(ctx.ws, who, kind, ref, ch),
        "reject": lambda ch: curation.reject(ctx.ws, who, kind, ref),
        "correct": lambda ch: curation.correct(ctx.ws, who, kind, ref, ch),
    }
    if verdict not in acts:
        return _back(_document_url(ctx, doc), error=f"{verdict!r}: accept, reject or correct")
    changes = await _changes(request, FINDING_FIELDS[kind]) if verdict != "reject" else {}
    return _act(_document_url(ctx, doc), lambda: acts[verdict](changes), f"{kind} {verdict}ed".replace("ee", "e"))


@declare(router, "POST", "/c/{case}/decisions/{decision}/undo", case_roles(EDITORS))
def undo(request: Request, ctx: CtxDep, case: str, decision: int, back: FormText) -> Response:
    url = back if back.startswith(f"/c/{case}/") and "//" not in back else f"/c/{case}/curation"
    return _act(url, lambda: curation.undo(ctx.ws, member(ctx), decision), "decision withdrawn")


# --- the case: proposals, conflicts, recent decisions; and what waits for me ----------------------------------------


@declare(router, "GET", "/c/{case}/curation", case_roles(MEMBERS))
def overview(request: Request, ctx: CtxDep, case: str, done: str | None = None, error: str | None = None) -> Response:
    who = member(ctx)
    return render(request, ctx, "curation/case.html", proposals=curation.list_proposals(ctx.ws, who, limit=100),
                  conflicts=curation.list_conflicts(ctx.ws, who, limit=200),
                  decisions=curation.list_decisions(ctx.ws, who, limit=50),
                  score=curation.acceptance(ctx.ws, who.scope), done=done, error=error)


@declare(router, "POST", "/c/{case}/proposals/{proposal}", case_roles(EDITORS))
def decide_proposal(request: Request, ctx: CtxDep, case: str, proposal: int, decision: FormText) -> Response:
    return _act(f"/c/{case}/curation",
                lambda: curation.decide_proposal(ctx.ws, member(ctx), proposal, decision == "accept"),
                f"proposal {proposal}: {decision}")


@declare(router, "POST", "/c/{case}/conflicts/resolve", case_roles(EDITORS))
def resolve_conflict(request: Request, ctx: CtxDep, case: str, target: FormText, field: FormText,
                     keep: FormText) -> Response:
    return _act(f"/c/{case}/curation",
                lambda: curation.resolve(ctx.ws, member(ctx), target, field, take_machine=keep == "machine"),
                "conflict resolved")


@declare(router, "GET", "/me/waiting", SIGNED_IN)
def waiting(request: Request, ctx: CtxDep) -> Response:
    """What waits for the signed-in person (mentions, incidents given to them), for the dashboard."""
    assert ctx.user is not None
    with ctx.ws.read() as s:
        mine = [(c.slug, c.name, Scope.of(c.id, role)) for c, role in cases.for_user(s, s.merge(ctx.user))
                if role in MEMBERS]
    taken = [(slug, name, curation.acceptance(ctx.ws, scope)) for slug, name, scope in mine]
    return render(request, ctx, "curation/waiting.html", waiting=discussion.waiting_for(ctx.ws, ctx.user.name),
                  acceptance=taken)
