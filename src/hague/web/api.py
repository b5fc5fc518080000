"""The JSON API under /api/v1: token (or session) auth, the same per-case rules as the pages, pagination.

Records are serialised by the same functions as the CLI's ``--json``. The OpenAPI description is at
``/api/v1/openapi.json``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BaseModel

from hague.team import cases
from hague.team.roles import EVERY_ROLE, LEADS
from hague.web.access import PUBLIC, SIGNED_IN, Ctx, Routes, case_roles, declare, guard

router = Routes("/api/v1", tags=["api"])
CtxDep = Annotated[Ctx, Depends(guard)]
MAX_LIMIT = 200
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Records per page.")]
Offset = Annotated[int, Query(ge=0, description="Records to skip.")]


def page(records: list[Any], limit: int, offset: int, more: bool) -> dict[str, Any]:
    """One page of records and the link to the next, so a client never loads a whole table."""
    return {"records": records, "limit": limit, "offset": offset,
            "next_offset": offset + limit if more else None}


def case_json(case: Any, role: str) -> dict[str, Any]:
    return {"case": case.slug, "name": case.name, "description": case.description, "your_role": role,
            "second_factor_required": case.require_totp}


@declare(router, "GET", "/openapi.json", PUBLIC, include_in_schema=False)
def openapi(request: Request) -> dict[str, Any]:
    return request.app.openapi()


@declare(router, "GET", "/cases", SIGNED_IN)
def list_cases(ctx: CtxDep) -> list[dict[str, Any]]:
    """The cases you may open (a token: its own case only)."""
    with ctx.ws.read() as s:
        mine = cases.for_user(s, s.merge(ctx.user))
    if ctx.token is not None:
        mine = [(c, r) for c, r in mine if c.id == ctx.token.case_id]
    return [case_json(c, r) for c, r in mine]


@declare(router, "GET", "/cases/{case}", case_roles(EVERY_ROLE))
def get_case(ctx: CtxDep, case: str) -> dict[str, Any]:
    return case_json(ctx.case, str(ctx.role))


class ShareRequest(BaseModel):
    kind: cases.ShareKind
    ref: str
    shared: bool = True


@declare(router, "POST", "/cases/{case}/shares", case_roles(LEADS))
def set_share(ctx: CtxDep, case: str, body: ShareRequest) -> dict[str, Any]:
    """Show (or stop showing) an item or incident of the case to its partners."""
    with ctx.ws.write() as s:
        cases.share(s, ctx.actor, s.merge(ctx.case), body.kind, body.ref, body.shared)
    ctx.ws.seal()
    return {"case": case, "kind": str(body.kind), "ref": body.ref, "shared": body.shared}
