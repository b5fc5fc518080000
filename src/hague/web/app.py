"""The web workspace: one FastAPI application serving pages and the JSON API over a workspace.

Routes are added only through :func:`hague.web.access.declare`; :func:`create_app` refuses to build an
application in which any route lacks a declaration of who may use it.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.routing import Mount

from hague import __version__
from hague.errors import HagueError
from hague.team.errors import TeamError
from hague.web.access import REFUSED_HEADER, NeedsSecondFactor, NeedsSignIn, endpoint_access
from hague.web.pages.forms import status_for
from hague.web.render import render
from hague.web.security import BodyLimit, SecurityHeaders
from hague.workspace import Workspace

STATIC = Path(__file__).parent / "static"
PUBLIC_MOUNTS = {"/static"}  # vendored and own assets: no secrets, served to anyone


def create_app(ws: Workspace, *, secure_cookies: bool = False, setup_token: str | None = None) -> FastAPI:
    from hague.web import api, pages

    app = FastAPI(title="Hague", version=__version__, docs_url=None, redoc_url=None, openapi_url=None,
                  description="The team's workspace: preserved sources, what they say, incidents and review.")
    app.state.ws = ws
    app.state.secure_cookies = secure_cookies
    app.state.setup_token = setup_token or secrets.token_urlsafe(24)
    for routes in [*pages.routers(), api.router]:
        routes.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _handlers(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=ws.config.max_item_bytes + (1 << 20))
    check_declarations(app)
    return app


def undeclared_routes(app: FastAPI) -> list[str]:
    """Routes with no declaration of who may use them (must be none)."""
    missing = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            if endpoint_access(route.endpoint) is None:
                missing.append(f"{','.join(sorted(route.methods))} {route.path}")
        elif isinstance(route, Mount):
            if route.path not in PUBLIC_MOUNTS:
                missing.append(f"mount {route.path}")
        else:
            missing.append(f"{type(route).__name__} {getattr(route, 'path', '?')}")
    return missing


def check_declarations(app: FastAPI) -> None:
    missing = undeclared_routes(app)
    if missing:
        raise RuntimeError("routes without a declaration of who may use them: " + "; ".join(missing))


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(NeedsSignIn)
    async def _sign_in(request: Request, exc: NeedsSignIn) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": "sign in: send 'Authorization: Bearer TOKEN'"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer", REFUSED_HEADER: "sign-in"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + _next(target), status_code=303, headers={REFUSED_HEADER: "sign-in"})

    @app.exception_handler(NeedsSecondFactor)
    async def _second_factor(request: Request, exc: NeedsSecondFactor) -> Response:
        message = (f"the case {exc.case.slug!r} requires a second factor: set up an authenticator on your "
                   "account page, then sign in again with a code")
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=403, headers={REFUSED_HEADER: "second-factor"})
        response = render(request, getattr(request.state, "ctx", None), "error.html", 403,
                          title="Second factor needed", message=message, link=("/account", "Your account"))
        response.headers[REFUSED_HEADER] = "second-factor"
        return response

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        response = render(request, getattr(request.state, "ctx", None), "error.html", exc.status_code,
                          title=_TITLES.get(exc.status_code, "Refused"), message=str(exc.detail), link=None)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(TeamError)
    async def _team(request: Request, exc: TeamError) -> Response:
        return await _http(request, HTTPException(status_for(exc), str(exc)))

    @app.exception_handler(HagueError)
    async def _hague(request: Request, exc: HagueError) -> Response:
        if _wants_json(request):
            return JSONResponse(exc.to_json(), status_code=_KIND_STATUS.get(exc.kind, 400))
        return await _http(request, HTTPException(_KIND_STATUS.get(exc.kind, 400), str(exc)))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        return await _http(request, HTTPException(422, f"invalid request: {problems}"))


# hague.errors kinds -> HTTP statuses
_KIND_STATUS = {"invalid": 400, "settings": 400, "not_found": 404, "ambiguous": 409, "refused": 409,
                "check_failed": 409, "no_workspace": 503, "workspace_corrupt": 503, "output_failed": 500}
_TITLES = {401: "Not signed in", 403: "Not allowed", 404: "Not found", 409: "Conflict", 413: "Too large",
           422: "Invalid request", 429: "Too many attempts"}


def _next(target: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": target})


