"""`hague serve | user | case | token` on a copy of the seeded workspace: the team's workspace from a terminal."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx
from tests.conftest import PASSWORD, Hague, hague_process, workspace_env

from hague.cli.root import app
from hague.team import tokens
from hague.workspace import Workspace, open_workspace


def with_stdin(hague: Hague, text: str, *args: str) -> None:
    """``hague ARGS`` with ``text`` on standard input (passwords for --password-stdin)."""
    res = hague.runner.invoke(app, list(args), input=text + "\n")
    assert res.exit_code == 0, res.output


def test_user_case_and_token_commands(seeded_cli: Hague) -> None:
    hague = seeded_cli
    r = hague.runner.invoke(app,
                            ["user", "add", "ada", "--role", "admin", "--password-stdin"], input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    weak = hague.runner.invoke(app,
                               ["user", "add", "bob", "--password-stdin"], input="short\n")
    assert weak.exit_code == 1 and "12 characters" in weak.output
    hague.runner.invoke(app, ["user", "add", "bob", "--password-stdin"],
                        input=PASSWORD + "\n")
    assert [u["name"] for u in hague.json("user", "list")] == ["ada", "bob"]
    hague("case", "create", "West Darfur 2023", "--lead", "ada")
    hague("case", "add", "west-darfur-2023", "--all")
    hague("case", "member", "west-darfur-2023", "bob", "partner")
    bad = hague("case", "member", "west-darfur-2023", "bob", "boss", ok=False)
    assert "use one of" in bad.output
    listed = hague.json("case", "list")
    assert listed[0]["items"] == 3 and listed[0]["members"] == {"ada": "lead", "bob": "partner"}
    hague("case", "totp", "west-darfur-2023")
    assert hague.json("case", "list")[0]["second_factor_required"] is True
    hague("case", "totp", "west-darfur-2023", "--not-required")
    assert hague.json("case", "list")[0]["second_factor_required"] is False
    incidents = hague.json("incidents")
    hague("case", "share", "west-darfur-2023", "--incident", incidents[0]["id"])
    missing = hague("case", "share", "west-darfur-2023", "--incident", "no-such-incident", ok=False)
    assert "not in west-darfur-2023" in missing.output
    refused = hague("token", "create", "bob", "west-darfur-2023", "--scope", "write", ok=False)
    assert "cannot hold a write token" in refused.output
    secret = hague("token", "create", "bob", "west-darfur-2023").stdout.strip()
    ws = open_workspace()
    with ws.read() as s:
        assert tokens.lookup(s, secret) is not None
    hague("token", "revoke", "1")
    with ws.read() as s:
        assert tokens.lookup(s, secret) is None
    fresh = "a fresh passphrase, long enough"
    with_stdin(hague, fresh, "user", "password", "ada", "--password-stdin")
    hague("user", "logout", "bob")
    hague("user", "disable", "bob")
    assert hague.json("user", "list")[1]["disabled"] is True
    log = hague.json("log", "--limit", "200")
    assert {"user.add", "case.create", "case.totp", "case.items", "case.member", "case.share", "token.create",
            "token.revoke", "user.password", "user.logout_all", "user.disable"} <= {e["action"] for e in log}


def test_serve_answers_on_the_port_it_is_given(seeded_ws: Workspace) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = hague_process("serve", "--port", str(port), env=workspace_env(seeded_ws.config.home),
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
