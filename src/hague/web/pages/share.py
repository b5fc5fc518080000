"""Share from the browser: build a package for a recipient from chosen incidents (after a preview of what is
pseudonymised), download it, let the case's partners have it; everyone who may see a package sees whether it
verifies, checked as its recipient would offline."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import FileResponse, Response

from hague.errors import HagueError
from hague.services import browse, share
from hague.team.roles import EVERY_ROLE, LEADS
from hague.web.access import Ctx, Routes, case_roles, declare
from hague.web.pages.curation import member
from hague.web.pages.forms import CtxDep, see_other
from hague.web.render import render

router = Routes(include_in_schema=False)


def _names(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _page(request: Request, ctx: Ctx, status: int = 200, **data: object) -> Response:
    choices = browse.list_incidents(ctx.ws, ctx.scope, limit=200).items if ctx.role in LEADS else []
    data.setdefault("chosen", [])
    data.setdefault("recipient", "")
    data.setdefault("redact", "")
    return render(request, ctx, "curation/packages.html", status,
                  packages=share.list_packages(ctx.ws, member(ctx)), choices=choices, **data)


@declare(router, "GET", "/c/{case}/packages", case_roles(EVERY_ROLE))
def packages(request: Request, ctx: CtxDep, case: str) -> Response:
    return _page(request, ctx)


async def _chosen(request: Request) -> tuple[list[str], str, str, bool]:
    """The build form: incidents chosen, recipient, names to pseudonymise, whether partners may have it."""
    form = await request.form()
    return ([str(x) for x in form.getlist("incident")], str(form.get("recipient", "")), str(form.get("redact", "")),
            form.get("partners") == "yes")


@declare(router, "POST", "/c/{case}/packages/preview", case_roles(LEADS))
async def preview(request: Request, ctx: CtxDep, case: str) -> Response:
    chosen, recipient, redact, _ = await _chosen(request)
    try:
        shown = share.preview(ctx.ws, member(ctx), chosen, _names(redact))
    except HagueError as exc:
        return _page(request, ctx, 400, error=str(exc), chosen=chosen, recipient=recipient, redact=redact)
    return _page(request, ctx, preview=shown, chosen=chosen, recipient=recipient, redact=redact)


@declare(router, "POST", "/c/{case}/packages", case_roles(LEADS))
async def build(request: Request, ctx: CtxDep, case: str) -> Response:
    chosen, recipient, redact, partners = await _chosen(request)
    try:
        made = share.build(ctx.ws, member(ctx), recipient, chosen, _names(redact), share_with_partners=partners)
    except HagueError as exc:
        return _page(request, ctx, 400, error=str(exc), chosen=chosen, recipient=recipient, redact=redact)
    return see_other(f"/c/{case}/packages/{made.id}")


@declare(router, "GET", "/c/{case}/packages/{package}", case_roles(EVERY_ROLE))
def package(request: Request, ctx: CtxDep, case: str, package: int) -> Response:
    return render(request, ctx, "curation/package.html", package=share.get_package(ctx.ws, member(ctx), package))


@declare(router, "GET", "/c/{case}/packages/{package}/download", case_roles(EVERY_ROLE))
def download(request: Request, ctx: CtxDep, case: str, package: int) -> Response:
    path = share.package_file(ctx.ws, member(ctx), package)
    return FileResponse(path, media_type="application/zip", filename=f"{case}-package-{package}.zip",
                        content_disposition_type="attachment")


@declare(router, "POST", "/c/{case}/packages/{package}/verify", case_roles(EVERY_ROLE))
def verify(request: Request, ctx: CtxDep, case: str, package: int) -> Response:
    share.verify_again(ctx.ws, member(ctx), package)
    return see_other(f"/c/{case}/packages/{package}")


@declare(router, "POST", "/c/{case}/packages/{package}/share", case_roles(LEADS))
def set_shared(request: Request, ctx: CtxDep, case: str, package: int,
               shared: Annotated[str, Form()] = "true") -> Response:
    share.set_shared(ctx.ws, member(ctx), package, shared == "true")
    return see_other(f"/c/{case}/packages/{package}")
