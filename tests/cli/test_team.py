"""`hague serve | user | case | token` on a copy of the seeded workspace: the team's workspace from a terminal."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx
from tests.conftest import PASSWORD, Hague, hague_process

from hague.cli import app
from hague.workspace import Workspace


def with_stdin(hague: Hague, text: str, *args: str) -> None:
    """``hague ARGS`` with ``text`` on standard input (passwords for --password-stdin)."""
    res = hague.runner.invoke(app, list(args), input=text + "\n")
    assert res.exit_code == 0, res.output


def test_accounts_cases_and_tokens_from_the_terminal(seeded_cli: Hague, seeded_ws: Workspace) -> None:
    hague = seeded_cli
    with_stdin(hague, PASSWORD, "user", "add", "ada", "--role", "admin", "--password-stdin", "--collector", "op")
    with_stdin(hague, PASSWORD, "user", "add", "bo", "--password-stdin")
    users = {u["name"]: u for u in hague.json("user", "list")}
    assert users["ada"]["admin"] and not users["bo"]["admin"]
    hague("case", "create", "Ukraine 2022", "--lead", "ada")
    hague("case", "member", "ukraine-2022", "bo", "analyst")
    assert "2 item(s) added" in hague("case", "add", "ukraine-2022", "--all").stdout
    incident = hague.json("incidents")[0]["id"]
    hague("case", "share", "ukraine-2022", "--incident", incident)
    [case] = hague.json("case", "list")
    assert case["items"] == 2 and case["members"] == {"ada": "lead", "bo": "analyst"}
    assert hague("case", "member", "ukraine-2022", "bo", "king", ok=False).exit_code == 2
    secret = hague("token", "create", "bo", "ukraine-2022", "--scope", "write").stdout.strip()
    assert len(secret) > 20
    res = hague("token", "revoke", "999", ok=False)
    assert res.exit_code == 1 and "no token 999" in res.stderr
    hague("token", "revoke", "1")
    fresh = "a fresh passphrase, long enough"
    with_stdin(hague, fresh, "user", "password", "bo", "--password-stdin")
    hague("user", "logout", "bo")
    hague("user", "disable", "bo")
    assert next(u for u in hague.json("user", "list") if u["name"] == "bo")["disabled"]
    actions = {e["action"] for e in hague.json("log", "--limit", "100")}
    assert {"user.add", "case.create"} <= actions


def test_serve_answers_on_the_port_it_is_given(seeded_ws: Workspace) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = hague_process("serve", "--port", str(port), env={"HAGUE_HOME": str(seeded_ws.config.home)},
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        answer = None
        for _ in range(100):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert answer is not None and answer.status_code < 500
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in out and "No administrator yet" in out
