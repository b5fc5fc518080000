"""What the red-team tests share: a workspace holding every kind of fact the ledger attests (built once per
session, copied per test), and real HTTP servers on 127.0.0.1 that lie, drip and send bombs."""

from __future__ import annotations

import contextlib
import gzip
import json
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, Hague, reviewer_token
from tests.evidence.test_add import ARTICLE_HTML

BOMB_SIZE = 8 << 20  # bytes a gzip bomb inflates to (about 8 KB on the wire)
SMALL_CAP = str(1 << 20)  # HAGUE_MAX_EXPANDED_BYTES for bomb tests: bombs stay small and fast


@dataclass(frozen=True)
class Reviewed:
    """A workspace copy with a graded source, a conflict classification, a reviewer's element finding, two
    review decisions and a protected person with an alias."""

    home: Path
    incident: str
    provision: str
    element: str
    hague: Hague

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.home / "hague.db", isolation_level=None)


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """These tests tamper with, fill, link to and damage the workspace's own files, its SQLite database among
    them, so their workspaces are SQLite ones in the PostgreSQL run too (the shared database is covered by the
    rest of the suite)."""
    monkeypatch.setenv("HAGUE_HOME", str(tmp_path / "ws"))
    monkeypatch.setenv("HAGUE_DATABASE_URL", "")
    return tmp_path / "ws"


@pytest.fixture(scope="session")
def reviewed_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    home = tmp_path_factory.mktemp("reviewed") / "ws"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HAGUE_HOME", str(home))
        for var in ("HAGUE_DATABASE_URL", "HAGUE_WITNESS"):
            mp.delenv(var, raising=False)
        hague = Hague()
        hague("init", "--collector", "clerk")
        hague("add", str(EXAMPLES), "--collector", "clerk")
        mp.setenv("HAGUE_TOKEN", reviewer_token(home, "ann", sqlite=True))  # ann, a reviewer, acts
        listed = hague.json("review", "list")
        incident = next(r["incident"] for r in listed if "RS 8(2)(b)(ix)" in r["candidate_provisions"])
        shown = hague.json("review", "show", incident)
        rs9 = next(p for p in shown["provisions"] if p["provision"] == "RS 8(2)(b)(ix)")
        report_id = next(ev["report_id"] for e in rs9["elements"] for ev in e["evidence"] if ev["report_id"])
        hague("review", "set", incident, "RS 8(2)(b)(ix)", "B9.OBJECT", "supported", "--evidence",
              f"report:{report_id}", "--note", "named as a hospital")
        hague("review", "decide", incident, "evidence_linked", "--reason", "linked")
        hague("review", "decide", incident, "analyst_assessed", "--reason", "one origin", "--label",
              "credible_allegation")
        hague("review", "context", incident, "iac", "--reason", "two states")
        hague("source", "grade", "Eastbridge Courier", "B", "2", "--collector", "ann")
        hague("protect", "add", "Edgars Rinkēvičs", "--alias", "Rinkēvičs", "--reason", "witness at risk",
              "--collector", "ann")
        hague("verify")
    return home, {"incident": incident, "provision": "RS 8(2)(b)(ix)", "element": "B9.OBJECT"}


@pytest.fixture()
def reviewed(reviewed_template: tuple[Path, dict[str, str]], tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Reviewed:
    template, facts = reviewed_template
    home = tmp_path / "ws"
    shutil.copytree(template, home)
    monkeypatch.setenv("HAGUE_HOME", str(home))
    for var in ("HAGUE_DATABASE_URL", "HAGUE_WITNESS"):
        monkeypatch.delenv(var, raising=False)
    return Reviewed(home, hague=Hague(), **facts)


class Hostile(BaseHTTPRequestHandler):
    """Routes: /good (an article), /liar (announces more bytes than it sends, then closes), /drip (a body one
    byte at a time), /drip-headers (headers one byte at a time), /bomb (a gzip bomb as Content-Encoding)."""

    protocol_version = "HTTP/1.1"
    drip_seconds = 0.5  # between two bytes of /drip

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass

    def do_GET(self) -> None:  # noqa: N802
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up on us: the point
            self._route()

    def _route(self) -> None:
        if self.path == "/good":
            self._send(ARTICLE_HTML.encode())
        elif self.path == "/liar":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(ARTICLE_HTML.encode()[:200])
            self.wfile.flush()
            self.close_connection = True
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for byte in ARTICLE_HTML.encode()[:60]:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(self.drip_seconds)
        elif self.path == "/drip-headers":
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 60:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.25)
        elif self.path == "/bomb":
            self._send(gzip.compress(b"<html><body><p>" + b" " * BOMB_SIZE, 9), {"Content-Encoding": "gzip"})

    def _send(self, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(200)
        for k, v in {"Content-Type": "text/html; charset=utf-8", **(headers or {})}.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def hostile() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def results(res) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """``add --json`` results by the last part of each input."""
    return {r["input"].rsplit("/", 1)[-1]: r for r in json.loads(res.stdout)["results"]}
