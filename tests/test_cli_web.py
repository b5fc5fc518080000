"""The team's commands: accounts, cases, members, items, shares and tokens from the terminal."""

from __future__ import annotations

from tests.conftest import EXAMPLES, PASSWORD

from hague.cli import app as cli_app
from hague.team import tokens
from hague.workspace import open_workspace


def test_user_case_and_token_commands(hague) -> None:  # type: ignore[no-untyped-def]
    hague("init")
    hague("add", str(EXAMPLES))
    r = hague.runner.invoke(cli_app,
                            ["user", "add", "ada", "--role", "admin", "--password-stdin"], input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    weak = hague.runner.invoke(cli_app,
                               ["user", "add", "bob", "--password-stdin"], input="short\n")
    assert weak.exit_code == 1 and "12 characters" in weak.output
    hague.runner.invoke(cli_app, ["user", "add", "bob", "--password-stdin"],
                        input=PASSWORD + "\n")
    assert [u["name"] for u in hague.json("user", "list")] == ["ada", "bob"]
    hague("case", "create", "West Darfur 2023", "--lead", "ada")
    hague("case", "add", "west-darfur-2023", "--all")
    hague("case", "member", "west-darfur-2023", "bob", "partner")
    bad = hague("case", "member", "west-darfur-2023", "bob", "boss", ok=False)
    assert "use one of" in bad.output
    listed = hague.json("case", "list")
    assert listed[0]["items"] == 2 and listed[0]["members"] == {"ada": "lead", "bob": "partner"}
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
    hague("user", "disable", "bob")
    assert hague.json("user", "list")[1]["disabled"] is True
    log = hague.json("log", "--limit", "200")
    assert {"user.add", "case.create", "case.items", "case.member", "case.share", "token.create", "token.revoke",
            "user.disable"} <= {e["action"] for e in log}
