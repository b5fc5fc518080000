"""Options declared as plain data: Typer gets them as its own options (same help, same checks), and a command whose
arguments are only those options in their plain forms runs without Typer, Click or pydantic, as a user runs
``hague verify``; anything else is left to Typer, which teaches and refuses as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

from tests.conftest import Hague, sql

from hague.cli.base import out
from hague.cli.custody import verify
from hague.cli.options import JSON, Option, parse

LEVEL = Option("--level", "How far.", metavar="N", min=2)


def _command(level: Annotated[int | None, LEVEL] = None, json_out: Annotated[bool, JSON] = False) -> None:
    """A command of plain options."""


def _mixed(level: Annotated[int | None, LEVEL] = None, other: int = 0) -> None:
    """A command with a parameter declared otherwise."""


def test_plain_forms_are_parsed_and_everything_else_is_left_to_typer() -> None:
    assert parse(_command, []) == {}
    assert parse(_command, ["--json"]) == {"json_out": True}
    assert parse(_command, ["--level", "7", "--json"]) == {"level": 7, "json_out": True}
    assert parse(_command, ["--level=12"]) == {"level": 12}
    for args in (["--help"], ["--level", "1"], ["--level"], ["--level", "-3"], ["--level", "x"], ["--level=٣"],
                 ["--level", "3", "--level", "4"], ["--json=yes"], ["--lev", "3"], ["-h"], ["extra"], ["--", "3"],
                 ["--level", "--json"]):
        assert parse(_command, args) is None, args
    assert parse(_mixed, ["--level", "3"]) is None  # not every parameter is a plain declaration


def _hague(home: Path, *args: str, probe: bool = False, **env: str) -> subprocess.CompletedProcess[str]:
    """``hague ARGS`` as a process, as the console entry point runs it; with ``probe``, then the option parser's
    libraries it loaded, on stderr's last line."""
    code = "import sys; from hague.cli import main; sys.argv = ['hague', *sys.argv[1:]]\n"
    code += ("try:\n    main()\nfinally:\n    print(' '.join(m for m in ('typer', 'click', 'pydantic') "
             "if m in sys.modules), file=sys.stderr)") if probe else "main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False,
                          env={**os.environ, "HAGUE_HOME": str(home), "COLUMNS": "200", **env})


def test_verify_runs_without_the_option_parser_and_says_what_typer_says(seeded_cli: Hague, seeded_ws,
                                                                        monkeypatch) -> None:
    home = seeded_ws.config.home
    monkeypatch.setattr(out, "_width", 200)  # as wide as the process's (the console read COLUMNS when it was made)
    size = json.loads(_hague(home, "verify", "--json").stdout)["latest_head"]["tree_size"]
    for args in ([], ["--json"], ["--since", str(size)], [f"--since={size}", "--json"]):
        direct = _hague(home, "verify", *args, probe=True)
        assert direct.returncode == 0, direct.stderr
        assert direct.stderr.splitlines()[-1:] in ([], [""]), f"{args} loaded {direct.stderr.splitlines()[-1]}"
        assert direct.stdout == seeded_cli("verify", *args).stdout
    # Help and refusals come from Typer, through the same entry point.
    helped = _hague(home, "verify", "--help", probe=True)
    assert helped.returncode == 0 and "--since" in helped.stdout and "signed head" in helped.stdout
    assert "typer" in helped.stderr.splitlines()[-1]
    for args in (["--since", "0"], ["--since", "many"], ["--verbose"]):
        refused = _hague(home, "verify", *args)
        assert refused.returncode == 2 and "Usage: hague verify" in refused.stderr, args


def test_a_failing_verify_run_without_typer_names_the_failure_and_exits_1(seeded_cli: Hague, seeded_ws) -> None:
    home = seeded_ws.config.home
    sql(home, "UPDATE items SET origin = 'elsewhere' WHERE sha256 = (SELECT MIN(sha256) FROM items)")
    failed = _hague(home, "verify", "--json", probe=True)
    assert failed.returncode == 1
    found = json.loads(failed.stdout)
    assert [f["kind"] for f in found["failures"]] == ["item-altered"] and "elsewhere" in found["failures"][0]["message"]
    plain = _hague(home, "verify")
    assert plain.returncode == 1 and plain.stdout.startswith("FAIL item ")
    # an error of the service (no workspace there): its exit code, and its JSON
    missing = _hague(home.parent / "nowhere", "verify", "--json", HAGUE_DATABASE_URL="")
    assert missing.returncode == 2 and json.loads(missing.stdout)["error"]


def test_verify_declares_its_options_once() -> None:
    """Typer's `--since` is the plain declaration's: its help, metavar and minimum."""
    import typer.main

    from hague.cli.root import load_command

    since = next(p for p in load_command("verify").params if p.name == "since")
    assert since.opts == ["--since"] and since.metavar == "SIZE" and "signed head" in (since.help or "")
    assert parse(verify, ["--since", "1"]) == {"since": 1} and parse(verify, ["--since", "0"]) is None
    assert typer.main  # loaded for the comparison only
