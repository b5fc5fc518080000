"""URLs fetched from a real HTTP server on 127.0.0.1 and preserved as WARC files."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tests.conftest import sql
from tests.evidence.test_add import ARTICLE_HTML
from warcio.archiveiterator import ArchiveIterator


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass

    def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in {"Content-Type": "text/html; charset=utf-8", **(headers or {})}.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/article":
            self._send(200, ARTICLE_HTML.encode())
        elif self.path == "/gzipped":
            self._send(200, gzip.compress(ARTICLE_HTML.replace("plant", "station").encode()),
                       {"Content-Encoding": "gzip"})
        elif self.path == "/moved":
            self._send(301, b"", {"Location": "/article"})
        elif self.path in ("/loop-a", "/loop-b"):
            self._send(302, b"", {"Location": "/loop-b" if self.path == "/loop-a" else "/loop-a"})
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, ARTICLE_HTML.encode())
        else:
            self._send(404, b"<html><body>not here</body></html>")


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _blob(home: Path, sha: str) -> Path:
    return home / "objects" / sha[:2] / sha[2:4] / sha


def test_url_is_preserved_as_warc_with_request_and_response(hague, home: Path, server: str) -> None:
    hague("init")
    res = hague.json("add", f"{server}/moved", "--outlet", "Example Wire")
    r = res["results"][0]
    assert r["status"] == "added" and r["title"] == "Shelling reported near the plant"
    with _blob(home, r["sha256"]).open("rb") as f:
        records = [(rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"),
                    rec.http_headers.get_statuscode() if rec.rec_type == "response" else None,
                    rec.content_stream().read() if rec.rec_type == "response" else b"")
                   for rec in ArchiveIterator(f)]
    assert [(t, u.rsplit("/", 1)[1], s) for t, u, s, _ in records] == [
        ("response", "moved", "301"), ("request", "moved", None),
        ("response", "article", "200"), ("request", "article", None)]
    assert records[2][3] == ARTICLE_HTML.encode()
    assert sql(home, "SELECT media_type, origin FROM items") == [("application/warc", f"{server}/moved")]
    assert sql(home, "SELECT outlet, url FROM documents") == [("Example Wire", f"{server}/article")]
    ((details,),) = sql(home, "SELECT CAST(details AS TEXT) FROM ledger_entries WHERE action='capture'")
    assert {k: json.loads(details)[k] for k in ("final_url", "http_status", "hops")} == {
        "final_url": f"{server}/article", "http_status": 200, "hops": 2}
    hague("verify")


def test_content_encoded_response_is_kept_raw_and_read_decoded(hague, home: Path, server: str) -> None:
    hague("init")
    r = hague.json("add", f"{server}/gzipped")["results"][0]
    assert r["status"] == "added"
    ((text,),) = sql(home, "SELECT text FROM documents")
    assert "near the nuclear station" in text


def test_bad_urls_fail_with_reasons(hague, home: Path, server: str, monkeypatch) -> None:
    hague("init")
    monkeypatch.setenv("HAGUE_FETCH_TIMEOUT", "0.5")
    res = hague("add", f"{server}/missing", f"{server}/loop-a", f"{server}/slow", f"{server}/article", "--json",
                ok=False)
    results = {r["input"].rsplit("/", 1)[1]: r for r in json.loads(res.stdout)["results"]}
    assert results["missing"]["reason"] == "HTTP 404 Not Found"
    assert "redirect loop" in results["loop-a"]["reason"]
    assert "timed out" in results["slow"]["reason"]
    assert results["article"]["status"] == "added"
    assert sql(home, "SELECT count(*) FROM items") == [(1,)]
    assert list((home / "objects" / "tmp").iterdir()) == []
