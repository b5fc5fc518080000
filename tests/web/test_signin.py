"""Signing in over real HTTP: sessions, fixation, CSRF, throttling, second factor, logout everywhere."""

from __future__ import annotations

import time

import httpx
import pyotp
from tests.conftest import PASSWORD, Seeded
from tests.web.conftest import Server, login, signed_in

from hague.model import LoginSession
from hague.team import accounts
from hague.web.access import REFUSED_HEADER, SESSION_COOKIE


def test_sign_in_sets_a_safe_cookie_and_opens_the_dashboard(server: Server) -> None:
    client = httpx.Client(base_url=server.url, follow_redirects=False)
    token = client.get("/login").cookies["hague_form"]
    r = client.post("/login", data={"name": "viewer", "password": PASSWORD, "form_token": token, "next": "/c/ukraine"})
    assert r.status_code == 303 and r.headers["location"] == "/c/ukraine"
    cookie = r.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Ukraine 2022" in client.get("/").text


def test_wrong_password_and_missing_form_token_are_refused(server: Server) -> None:
    client = httpx.Client(base_url=server.url, follow_redirects=False)
    token = client.get("/login").cookies["hague_form"]
    r = client.post("/login", data={"name": "viewer", "password": "not the password", "form_token": token})
    assert r.status_code == 401 and "wrong account name or password" in r.text
    r = client.post("/login", data={"name": "viewer", "password": PASSWORD, "form_token": "forged"})
    assert r.status_code == 403 and SESSION_COOKIE not in r.headers.get("set-cookie", "")


def test_next_never_leaves_the_site(server: Server) -> None:
    client = httpx.Client(base_url=server.url, follow_redirects=False)
    token = client.get("/login").cookies["hague_form"]
    r = client.post("/login", data={"name": "viewer", "password": PASSWORD, "form_token": token,
                                    "next": "//evil.example/"})
    assert r.headers["location"] == "/"


def test_session_fixation_a_planted_id_is_replaced_and_worthless(seeded: Seeded, server: Server) -> None:
    planted = "attacker-chose-this-id"
    client = httpx.Client(base_url=server.url, follow_redirects=False)
    client.cookies.set(SESSION_COOKIE, planted)
    token = client.get("/login").cookies["hague_form"]
    r = client.post("/login", data={"name": "analyst", "password": PASSWORD, "form_token": token})
    issued = r.cookies[SESSION_COOKIE]
    assert issued != planted
    attacker = httpx.Client(base_url=server.url, follow_redirects=False, cookies={SESSION_COOKIE: planted})
    assert attacker.get("/").status_code == 303  # sent to sign in
    # a session the browser already had is ended when the browser signs in again
    client.cookies.set(SESSION_COOKIE, issued)
    token = client.get("/login?next=/x").cookies.get("hague_form") or client.cookies.get("hague_form")
    r2 = client.post("/login", data={"name": "analyst", "password": PASSWORD, "form_token": token})
    assert r2.cookies[SESSION_COOKIE] != issued
    stale = httpx.Client(base_url=server.url, follow_redirects=False, cookies={SESSION_COOKIE: issued})
    assert stale.get("/").status_code == 303


def test_csrf_a_post_without_the_session_token_changes_nothing(seeded: Seeded, server: Server) -> None:
    lead = signed_in(seeded, server, "lead", second_factor=True)
    for data in ({}, {"csrf": "stale"}):
        r = lead.client.post("/c/ukraine/settings", data={**data, "require_totp": "true"})
        assert r.status_code == 403 and r.headers[REFUSED_HEADER] == "access"
    with seeded.ws.read() as s:
        from hague.team import cases

        assert cases.get(s, "ukraine").require_totp is False
    # the same request with the token works (and is switched back)
    assert lead.post("/c/ukraine/settings", {"require_totp": "true"}).status_code == 303
    assert lead.post("/c/ukraine/settings", {}).status_code == 303


def test_logout_everywhere_ends_every_session(seeded: Seeded, server: Server) -> None:
    first, second = signed_in(seeded, server, "reviewer"), signed_in(seeded, server, "reviewer")
    assert first.client.get("/").status_code == 200
    assert second.post("/logout/everywhere").status_code == 303
    assert first.client.get("/").status_code == 303
    with seeded.ws.read() as s:
        user = accounts.get(s, "reviewer")
        assert s.query(LoginSession).filter(LoginSession.user_id == user.id).count() == 0


def test_throttling_locks_an_account_after_repeated_failures(seeded: Seeded, server: Server) -> None:
    with seeded.ws.write() as s:
        accounts.create(s, "test", "guessed", PASSWORD)
    client = httpx.Client(base_url=server.url, follow_redirects=False)
    statuses = []
    for _ in range(6):
        token = client.get("/login").cookies["hague_form"]
        statuses.append(client.post("/login", data={"name": "guessed", "password": "wrong guess here",
                                                    "form_token": token}).status_code)
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    token = client.get("/login").cookies["hague_form"]
    r = client.post("/login", data={"name": "guessed", "password": PASSWORD, "form_token": token})
    assert r.status_code == 429 and "try again" in r.text  # even the right password waits


def test_second_factor_sign_in_and_no_replay(seeded: Seeded, server: Server) -> None:
    secret = pyotp.random_base32()
    with seeded.ws.write() as s:
        user = accounts.create(s, "test", "twofactor", PASSWORD)
        # enrol with the previous step's code (accepted as clock drift), so the current code is still unused
        accounts.enable_totp(s, "twofactor", user, secret, pyotp.TOTP(secret).at(time.time() - 30))
    client = httpx.Client(base_url=server.url, follow_redirects=False)
    token = client.get("/login").cookies["hague_form"]
    r = client.post("/login", data={"name": "twofactor", "password": PASSWORD, "form_token": token})
    assert r.headers["location"].startswith("/login/totp")
    pending = r.cookies[SESSION_COOKIE]
    assert client.get("/").status_code == 303  # password alone opens nothing
    page = client.get("/login/totp")
    form_token = page.text.split('name="form_token" value="')[1].split('"')[0]
    wrong = client.post("/login/totp", data={"code": "123456" if pyotp.TOTP(secret).now() != "123456" else "654321",
                                             "form_token": form_token})
    assert wrong.status_code == 401
    code = pyotp.TOTP(secret).now()
    ok = client.post("/login/totp", data={"code": code, "form_token": form_token})
    assert ok.status_code == 303
    assert ok.cookies[SESSION_COOKIE] != pending  # a new id after the second step too
    assert client.get("/").status_code == 200
    other = httpx.Client(base_url=server.url, follow_redirects=False)
    token = other.get("/login").cookies["hague_form"]
    other.post("/login", data={"name": "twofactor", "password": PASSWORD, "form_token": token})
    page = other.get("/login/totp")
    form_token = page.text.split('name="form_token" value="')[1].split('"')[0]
    replay = other.post("/login/totp", data={"code": code, "form_token": form_token})
    assert replay.status_code == 401  # the same code twice is refused


def test_a_case_that_requires_a_second_factor_refuses_a_password_only_session(seeded: Seeded,
                                                                                server: Server) -> None:
    password_only = signed_in(seeded, server, "lead")
    r = password_only.post("/c/ukraine/settings", {"require_totp": "true"})
    assert r.status_code == 400 and "second factor yourself" in r.text  # no locking oneself out
    lead = signed_in(seeded, server, "lead", second_factor=True)
    viewer = login(server, "viewer")
    assert lead.post("/c/ukraine/settings", {"require_totp": "true"}).status_code == 303
    try:
        r = viewer.get("/c/ukraine")
        assert r.status_code == 403 and r.headers[REFUSED_HEADER] == "second-factor"
    finally:
        assert lead.post("/c/ukraine/settings", {}).status_code == 303


def test_first_run_setup_link_creates_the_first_administrator(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hague.web.server import first_run_hint
    from hague.workspace import init_workspace

    monkeypatch.setenv("HAGUE_HOME", str(tmp_path / "fresh"))
    ws, _ = init_workspace()
    hint = first_run_hint(ws, "127.0.0.1", 8000, "tok")
    assert hint and "hague user add NAME --role admin" in hint and "/setup?token=tok" in hint
    with Server(ws, setup_token="tok") as srv:
        _first_run(srv, ws)


def _first_run(srv: Server, ws) -> None:  # type: ignore[no-untyped-def]
    from hague.web.server import first_run_hint

    client = httpx.Client(base_url=srv.url, follow_redirects=False)
    assert client.get("/setup?token=wrong").status_code == 403
    page = client.get("/setup?token=tok")
    form_token = page.cookies["hague_form"]
    r = client.post("/setup", data={"token": "tok", "name": "root", "password": PASSWORD, "form_token": form_token})
    assert r.status_code == 303
    assert client.get("/").status_code == 200
    assert first_run_hint(ws, "127.0.0.1", 8000, "tok") is None
    assert client.get("/setup?token=tok").status_code == 404  # only ever once
