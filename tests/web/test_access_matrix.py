"""Every route against every kind of visitor, over real HTTP: who gets in is exactly what the route declares.

A route with no declaration fails here (and the app refuses to start). The table below is the reviewed
list of who may use what: adding a route, or changing who may use one, means changing this table too.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from tests.conftest import Seeded
from tests.web.conftest import VISITORS, Server, signed_in

from hague.team.roles import Role
from hague.web.access import REFUSED_HEADER, Access, Audience, endpoint_access
from hague.web.app import create_app, undeclared_routes

EVERYONE = "public"
ALL_ROLES = "case: analyst, lead, partner, reviewer, viewer"
MEMBERS = "case: analyst, lead, reviewer, viewer"
LEADS = "case: lead"
EDITORS = "case: analyst, lead"
REVIEWERS = "case: lead, reviewer"
WRITERS = "case: analyst, lead, reviewer"

DECLARED = {
    "GET /login": EVERYONE,
    "POST /login": EVERYONE,
    "GET /login/totp": EVERYONE,
    "POST /login/totp": EVERYONE,
    "POST /logout": "signed_in",
    "POST /logout/everywhere": "signed_in",
    "GET /setup": EVERYONE,
    "POST /setup": EVERYONE,
    "GET /account": "signed_in",
    "POST /account/password": "signed_in",
    "GET /account/totp": "signed_in",
    "POST /account/totp": "signed_in",
    "POST /account/totp/off": "signed_in",
    "POST /account/tokens/{token_id}/revoke": "signed_in",
    "GET /admin/users": "admin",
    "POST /admin/users": "admin",
    "POST /admin/users/{name}/disable": "admin",
    "POST /admin/users/{name}/enable": "admin",
    "POST /admin/users/{name}/logout": "admin",
    "GET /": "signed_in",
    "POST /cases": "admin",
    "POST /admin/cases/{slug}/items": "admin",
    "GET /c/{case}": ALL_ROLES,
    "GET /c/{case}/members": MEMBERS,
    "POST /c/{case}/members": LEADS,
    "POST /c/{case}/members/{name}/remove": LEADS,
    "POST /c/{case}/settings": LEADS,
    "POST /c/{case}/shares": LEADS,
    "GET /c/{case}/tokens": ALL_ROLES,
    "POST /c/{case}/tokens": ALL_ROLES,
    "GET /api/v1/openapi.json": EVERYONE,
    "GET /api/v1/cases": "signed_in",
    "GET /api/v1/cases/{case}": ALL_ROLES,
    "POST /api/v1/cases/{case}/shares": LEADS,
    "GET /api/v1/cases/{case}/items": ALL_ROLES,
    "POST /api/v1/cases/{case}/items": EDITORS,
    "GET /api/v1/cases/{case}/jobs/{job}": MEMBERS,
    "GET /api/v1/cases/{case}/items/{sha}": ALL_ROLES,
    "GET /api/v1/cases/{case}/documents": ALL_ROLES,
    "GET /api/v1/cases/{case}/documents/{doc}": ALL_ROLES,
    "GET /api/v1/cases/{case}/statements": ALL_ROLES,
    "GET /api/v1/cases/{case}/incidents": ALL_ROLES,
    "GET /api/v1/cases/{case}/incidents/{incident}": ALL_ROLES,
    "GET /api/v1/cases/{case}/map": ALL_ROLES,
    "GET /api/v1/cases/{case}/search": ALL_ROLES,
    "GET /api/v1/cases/{case}/ledger": MEMBERS,
    "GET /c/{case}/items": ALL_ROLES,
    "GET /c/{case}/items/{sha}": ALL_ROLES,
    "GET /c/{case}/items/{sha}/original": ALL_ROLES,
    "GET /c/{case}/items/{sha}/proof": ALL_ROLES,
    "GET /c/{case}/custody": MEMBERS,
    "POST /c/{case}/custody/verify": MEMBERS,
    "GET /c/{case}/documents": ALL_ROLES,
    "GET /c/{case}/documents/{doc}": ALL_ROLES,
    "GET /c/{case}/documents/{doc}/text": ALL_ROLES,
    "GET /c/{case}/statements": ALL_ROLES,
    "GET /c/{case}/positions": MEMBERS,
    "GET /c/{case}/incidents": ALL_ROLES,
    "GET /c/{case}/map": ALL_ROLES,
    "GET /c/{case}/map/points.json": ALL_ROLES,
    "GET /map/outlines.json": "signed_in",
    "GET /c/{case}/incidents/{incident}": ALL_ROLES,
    "GET /c/{case}/search": ALL_ROLES,
    # people correct the machine (hague.web.pages.curation)
    "GET /c/{case}/incidents/{incident}/work": MEMBERS,
    "GET /c/{case}/incidents/{incident}/standing": ALL_ROLES,
    "POST /c/{case}/incidents/{incident}/correct": EDITORS,
    "POST /c/{case}/incidents/{incident}/uncorrect": EDITORS,
    "POST /c/{case}/incidents/{incident}/merge": EDITORS,
    "POST /c/{case}/incidents/{incident}/split": EDITORS,
    "POST /c/{case}/incidents/{incident}/move": EDITORS,
    "POST /c/{case}/incidents/{incident}/decide": REVIEWERS,
    "POST /c/{case}/incidents/{incident}/comments": WRITERS,
    "POST /c/{case}/incidents/{incident}/assign": WRITERS,
    "GET /c/{case}/documents/{doc}/findings": MEMBERS,
    "POST /c/{case}/documents/{doc}/findings": EDITORS,
    "POST /c/{case}/findings/{kind}/{ref}/{verdict}": EDITORS,
    "POST /c/{case}/decisions/{decision}/undo": EDITORS,
    "GET /c/{case}/curation": MEMBERS,
    "POST /c/{case}/proposals/{proposal}": EDITORS,
    "POST /c/{case}/conflicts/resolve": EDITORS,
    "GET /me/waiting": "signed_in",
    "GET /c/{case}/capture": MEMBERS,
    "POST /c/{case}/capture": EDITORS,
    "GET /c/{case}/jobs/{job}": MEMBERS,
    "GET /c/{case}/jobs/{job}/progress": MEMBERS,
    "GET /c/{case}/packages": ALL_ROLES,
    "POST /c/{case}/packages/preview": LEADS,
    "POST /c/{case}/packages": LEADS,
    "GET /c/{case}/packages/{package}": ALL_ROLES,
    "GET /c/{case}/packages/{package}/download": ALL_ROLES,
    "POST /c/{case}/packages/{package}/verify": ALL_ROLES,
    "POST /c/{case}/packages/{package}/share": LEADS,
}


def _routes(app) -> list[tuple[str, str, Access]]:  # type: ignore[no-untyped-def]
    out = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            access = endpoint_access(route.endpoint)
            assert access is not None, f"{route.methods} {route.path} declares no audience"
            out.extend((method, route.path, access) for method in sorted(route.methods))
    return out


def allowed(access: Access, visitor: str) -> bool:
    if access.audience == Audience.PUBLIC:
        return True
    if visitor == "anonymous":
        return False
    if access.audience == Audience.SIGNED_IN:
        return True
    if access.audience == Audience.ADMIN:
        return visitor == "admin"
    if visitor == "admin":  # an administrator acts as a lead in every case
        return Role.LEAD in access.roles
    return visitor in {str(r) for r in access.roles}


def test_every_route_is_declared_and_in_the_reviewed_table(seeded: Seeded) -> None:
    app = create_app(seeded.ws)
    assert undeclared_routes(app) == []
    found = {f"{m} {p}": a.describe() for m, p, a in _routes(app)}
    assert found == DECLARED, "a route was added or its audience changed: update DECLARED after review"


def test_an_undeclared_route_stops_the_app(seeded: Seeded) -> None:
    app = create_app(seeded.ws)
    app.add_api_route("/sneaky", lambda: {"ok": True}, methods=["GET"])
    assert undeclared_routes(app) == ["GET /sneaky"]
    with pytest.raises(RuntimeError, match="/sneaky"):
        from hague.web.app import check_declarations

        check_declarations(app)


def _url(path: str, seeded: Seeded) -> str:
    values = {"case": seeded.case, "name": "target", "token_id": "999999", "sha": seeded.items[0],
              "doc": "1", "incident": seeded.shared_incident, "slug": "no-such-case", "kind": "statement",
              "ref": "999999", "verdict": "accept", "decision": "999999", "proposal": "999999",
              "job": "999999", "package": "999999"}
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


# Form fields every POST gets (each route reads the ones it needs): valid enough to pass validation.
FORM = {"name": "target", "password": "wrong but long enough", "role": "viewer", "kind": "item", "ref": "0" * 64,
        "scope": "read", "code": "000000", "secret": "JBSWY3DPEHPK3PXP", "current": "x", "new": "y",
        "token": "no", "form_token": "no", "shared": "false"}


@pytest.mark.parametrize("visitor", VISITORS)
def test_route_by_role(seeded: Seeded, server: Server, visitor: str) -> None:
    failures = []
    for method, path, access in _routes(server.app):
        v = signed_in(seeded, server, visitor)  # a fresh session each time: some routes end sessions
        url = _url(path, seeded)
        r = v.post(url, FORM) if method == "POST" else v.client.request(method, url)
        refused = r.headers.get(REFUSED_HEADER)
        expect = allowed(access, visitor)
        if expect and refused:
            failures.append(f"{method} {path}: {visitor} refused ({r.status_code}) but the route allows it")
        if r.status_code >= 500:
            failures.append(f"{method} {path}: {visitor} got {r.status_code} (a server error)")
        if not expect:
            if not refused:
                failures.append(f"{method} {path}: {visitor} got {r.status_code}, expected a refusal")
            elif visitor == "anonymous":
                if r.status_code not in (303, 401):
                    failures.append(f"{method} {path}: anonymous got {r.status_code}, expected sign-in")
            elif r.status_code not in (403, 404):
                failures.append(f"{method} {path}: {visitor} got {r.status_code}, expected 403/404")
            elif access.audience == Audience.CASE and visitor not in ("outsider",) and r.status_code != 403:
                failures.append(f"{method} {path}: member {visitor} got {r.status_code}, expected 403")
        v.client.close()
    assert not failures, "\n".join(failures)


def test_partner_cannot_open_a_case_it_is_not_in(seeded: Seeded, server: Server) -> None:
    v = signed_in(seeded, server, "partner")
    r = v.client.get(f"/c/{seeded.other_case}")
    assert r.status_code == 404 and r.headers.get(REFUSED_HEADER) == "access"
    assert "Other case" not in r.text
