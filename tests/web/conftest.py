"""One real server (uvicorn on 127.0.0.1, ephemeral port) over the seeded team workspace, for all web tests."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import select
from tests.conftest import PASSWORD, ROOT, Seeded

from hague import jobs
from hague.model import JobInput
from hague.services import capture
from hague.team import accounts, sessions
from hague.team.roles import Role
from hague.vocab import JobState
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
    """The server, with a capture worker beside it as `hague serve` has (uploads only queue work)."""
    stop = threading.Event()
    worker = threading.Thread(target=capture.run_worker, args=(seeded.ws,), kwargs={"stop": stop}, daemon=True)
    worker.start()
    with Server(seeded.ws) as srv:
        yield srv
    stop.set()
    worker.join(60)


def captured(ws: Workspace, location: str) -> list[str]:
    """Wait for the capture a form or the API queued (its page ``/c/CASE/jobs/ID`` or its id) and return the
    SHA-256 of each input the worker preserved, in order."""
    job_id = int(str(location).rstrip("/").rsplit("/", 1)[-1])
    assert jobs.wait_for(ws, job_id) in (JobState.DONE, JobState.PARTIAL)
    with ws.read() as s:
        return [i.sha256 for i in s.scalars(select(JobInput).where(JobInput.job_id == job_id)
                                            .order_by(JobInput.position)) if i.sha256]


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


# --- a real browser (Debian's chromium, driven by Playwright) ---------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("HAGUE_SCREENSHOTS", ROOT / "build" / "screenshots" / "web"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed "
                                "(.ci/run installs it)")

@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Person:
    """One signed-in browser context; records CSP violations and dialogs so a test can assert none ran."""

    def __init__(self, browser, server: Server, name: str) -> None:  # type: ignore[no-untyped-def]
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.server = server
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(server.url + "/login")
        self.page.fill("input[name=name]", name)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button:has-text('Sign in')")
        self.page.wait_for_url(server.url + "/")

    def go(self, path: str):  # type: ignore[no-untyped-def]
        return self.page.goto(self.server.url + path)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()
