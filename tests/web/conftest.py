"""One real server (uvicorn on 127.0.0.1, ephemeral port) over the seeded team workspace, for all web tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from tests.conftest import PASSWORD, Seeded

from hague.team import accounts, sessions
from hague.team.roles import Role
from hague.web.app import create_app
from hague.workspace import Workspace

CASE_ROLES = [Role.LEAD, Role.ANALYST, Role.REVIEWER, Role.VIEWER, Role.PARTNER]
# Every kind of visitor the access matrix tries: not signed in, signed in without a case, administrator,
# and one account per role in case `ukraine`.
VISITORS = ["anonymous", "outsider", "admin", *[str(r) for r in CASE_ROLES]]


class Server:
    """uvicorn serving the app in a thread of the test process, on a port the OS picks."""

    def __init__(self, ws: Workspace, setup_token: str | None = None) -> None:
        self.app = create_app(ws, setup_token=setup_token)
        self.uv = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning",
                                                lifespan="off"))
        self.thread = threading.Thread(target=self.uv.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.uv.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        port = self.uv.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.uv.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def server(seeded: Seeded) -> Iterator[Server]:
    with Server(seeded.ws) as srv:
        yield srv


@dataclass
class Visitor:
    """A browser-like client signed in as one account (or anonymous), with the session's CSRF token."""

    client: httpx.Client
    csrf: str
    name: str | None

    def post(self, path: str, data: dict[str, str] | None = None, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        return self.client.post(path, data={"csrf": self.csrf, **(data or {})}, **kw)


def signed_in(seeded: Seeded, server: Server, name: str | None, second_factor: bool = False) -> Visitor:
    """A new session for ``name`` made directly in the database (the matrix tests authorisation, not
    sign-in; `test_signin.py` signs in through the form)."""
    client = httpx.Client(base_url=server.url, follow_redirects=False, timeout=30)
    if name is None or name == "anonymous":
        return Visitor(client, "", None)
    with seeded.ws.write() as s:
        cookie, row = sessions.start(s, accounts.get(s, name), pending_totp=False, second_factor=second_factor,
                                     client="test")
        csrf = row.csrf
    client.cookies.set("hague_session", cookie)
    return Visitor(client, csrf, name)


def login(server: Server, name: str, password: str = PASSWORD) -> httpx.Client:
    """Sign in through the real form, as a browser does."""
    client = httpx.Client(base_url=server.url, follow_redirects=False, timeout=30)
    form = client.get("/login")
    token = form.cookies.get("hague_form") or client.cookies.get("hague_form")
    r = client.post("/login", data={"name": name, "password": password, "form_token": token, "next": "/"})
    assert r.status_code == 303, r.text
    return client
