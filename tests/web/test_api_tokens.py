"""API tokens over real HTTP: hashed at rest, one case only, read or write, revocable, never above the owner."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from tests.conftest import Seeded
from tests.web.conftest import Server, signed_in

from hague.model import ApiToken
from hague.team import accounts, cases, tokens
from hague.team.roles import Role, TokenScope
from hague.web.access import REFUSED_HEADER


def _token(seeded: Seeded, name: str, case: str, scope: TokenScope) -> str:
    with seeded.ws.write() as s:
        return tokens.create(s, name, accounts.get(s, name), cases.get(s, case), "test", scope)


def _api(server: Server, token: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"})


def test_a_token_is_stored_only_as_a_hash(seeded: Seeded) -> None:
    secret = _token(seeded, "viewer", "ukraine", TokenScope.READ)
    with seeded.ws.read() as s:
        stored = list(s.execute(select(ApiToken.token_hash, ApiToken.prefix)))
    assert all(secret != h and secret[10:] not in h and secret not in p for h, p in stored)
    raw = seeded.ws.config.sqlite_path.read_bytes()
    assert secret.encode() not in raw


def test_read_token_reads_and_cannot_write(seeded: Seeded, server: Server) -> None:
    api = _api(server, _token(seeded, "lead", "ukraine", TokenScope.READ))
    assert api.get("/api/v1/cases/ukraine").json()["your_role"] == "lead"
    r = api.post("/api/v1/cases/ukraine/shares", json={"kind": "incident", "ref": seeded.unshared_incident})
    assert r.status_code == 403 and r.headers[REFUSED_HEADER] == "access"


def test_write_token_writes_without_csrf_and_the_ledger_names_its_owner(seeded: Seeded, server: Server) -> None:
    api = _api(server, _token(seeded, "lead", "ukraine", TokenScope.WRITE))
    r = api.post("/api/v1/cases/ukraine/shares", json={"kind": "incident", "ref": seeded.unshared_incident})
    assert r.status_code == 200, r.text
    r = api.post("/api/v1/cases/ukraine/shares", json={"kind": "incident", "ref": seeded.unshared_incident,
                                                       "shared": False})
    assert r.status_code == 200
    from hague.model import LedgerEntry

    with seeded.ws.read() as s:
        last = s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(1)).one()
    assert (last.actor, last.action) == ("lead", "case.unshare")


def test_a_token_opens_its_own_case_only(seeded: Seeded, server: Server) -> None:
    api = _api(server, _token(seeded, "lead", "other", TokenScope.READ))
    assert [c["case"] for c in api.get("/api/v1/cases").json()] == ["other"]
    r = api.get("/api/v1/cases/ukraine")
    assert r.status_code == 404


def test_a_token_never_gives_more_than_the_owner_has_now(seeded: Seeded, server: Server) -> None:
    with seeded.ws.write() as s:
        u = accounts.create(s, "test", "demoted", "correct horse battery staple")
        cases.set_member(s, "test", cases.get(s, "ukraine"), u, Role.LEAD)
    api = _api(server, _token(seeded, "demoted", "ukraine", TokenScope.WRITE))
    with seeded.ws.write() as s:
        cases.set_member(s, "test", cases.get(s, "ukraine"), accounts.get(s, "demoted"), Role.VIEWER)
    r = api.post("/api/v1/cases/ukraine/shares", json={"kind": "incident", "ref": seeded.unshared_incident})
    assert r.status_code == 403
    with seeded.ws.write() as s:
        cases.remove_member(s, "test", cases.get(s, "ukraine"), accounts.get(s, "demoted"))
    assert api.get("/api/v1/cases/ukraine").status_code == 401


def test_revoked_and_forged_tokens_open_nothing(seeded: Seeded, server: Server) -> None:
    secret = _token(seeded, "viewer", "ukraine", TokenScope.READ)
    viewer = signed_in(seeded, server, "viewer")
    with seeded.ws.read() as s:
        token_id = s.scalars(select(ApiToken.id).order_by(ApiToken.id.desc()).limit(1)).one()
    assert viewer.post(f"/account/tokens/{token_id}/revoke").status_code == 303
    assert _api(server, secret).get("/api/v1/cases/ukraine").status_code == 401
    assert _api(server, "hague_" + "x" * 43).get("/api/v1/cases").status_code == 401


def test_tokens_do_not_open_pages_and_viewers_cannot_hold_write_tokens(seeded: Seeded, server: Server) -> None:
    secret = _token(seeded, "lead", "ukraine", TokenScope.WRITE)
    page = _api(server, secret).get("/c/ukraine", follow_redirects=False)
    assert page.status_code == 303  # a token is not a browser session
    viewer = signed_in(seeded, server, "viewer")
    r = viewer.post("/c/ukraine/tokens", {"name": "x", "scope": "write"})
    assert r.status_code == 403 and "cannot hold a write token" in r.text
