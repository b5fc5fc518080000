"""Every command teaches (help text, rendered without markup accidents), is run by some test, and keeps the
exit-code convention at its edges (0 ok, 1 an input or check failed, 2 could not run; JSON errors with --json).
A new command without help or without a test fails here."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
import typer
import typer.main
from tests.conftest import ROOT, Hague

from hague.cli.root import app

BOX = range(0x2500, 0x25A0)  # the frames Rich draws around help panels


def commands() -> dict[str, str]:
    """Every command path ("review set") with its help text."""
    found: dict[str, str] = {}

    def walk(group, prefix: str) -> None:  # type: ignore[no-untyped-def]
        ctx = typer.Context(group)
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            assert cmd is not None, f"`hague {prefix} {name}` is listed but cannot be loaded"
            path = f"{prefix} {name}".strip()
            if hasattr(cmd, "list_commands"):
                walk(cmd, path)
            else:
                found[path] = (cmd.help or "").strip()

    walk(typer.main.get_command(app), "")
    return found


def _invoked_in_tests() -> set[str]:
    """Command paths some test runs: calls of the CLI helpers (``hague(...)``, ``hague.json(...)``, ``run(...)``,
    ``hague_process(...)``, ``with_stdin(...)``) and argument lists, whose leading string arguments name it."""
    call = re.compile(r"""(?:\b(?:hague|json|run|hague_process|\w*cli|with_stdin)\((?:\s*\w+\s*,)*|\[)\s*"""
                      r"""((?:"[a-z]+"\s*,\s*)*"[a-z]+")""")
    found: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        for m in call.finditer(path.read_text(encoding="utf-8")):
            words = re.findall(r'"([a-z]+)"', m.group(1))
            found |= {" ".join(words[:n]) for n in (1, 2)}
    return found


def test_every_command_has_help_and_a_test() -> None:
    found = commands()
    assert len(found) > 25
    tested = _invoked_in_tests()
    for path, help_text in found.items():
        assert len(help_text) > 20, f"`hague {path}` has no help text"
        assert path in tested, f"`hague {path}` is run by no test"


@pytest.mark.parametrize("path", sorted(commands()))
def test_help_renders_without_markup_accidents(path: str, hague: Hague) -> None:
    text = hague(*path.split(), "--help").stdout
    assert "Usage:" in text
    # a symbol that is no frame is an emoji Rich made of a ":name:" in the text (doc:KEY:... became doc🔑...)
    strange = {c for c in text if unicodedata.category(c) == "So" and ord(c) not in BOX}
    assert not strange, f"`hague {path} --help` shows {strange}"
    assert "[bold]" not in text and "[/" not in text


def test_a_bad_setting_exits_2_naming_the_variable_in_every_command(hague: Hague,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAGUE_MAX_ITEM_BYTES", "abc")
    for args in (["config"], ["init"], ["items"], ["add", "nothing.txt"]):
        res = hague(*args, ok=False)
        assert res.exit_code == 2 and "HAGUE_MAX_ITEM_BYTES='abc' is not a number" in res.stderr, args
    res = hague("config", "--json", ok=False)
    assert res.exit_code == 2 and json.loads(res.stdout)["error"] == "settings"


def test_no_workspace_exits_2_and_json_commands_print_the_error_as_json(hague: Hague) -> None:
    res = hague("incidents", ok=False)
    assert res.exit_code == 2 and "no Hague workspace" in res.stderr and "hague init" in res.stderr
    res = hague("incidents", "--json", ok=False)
    assert res.exit_code == 2 and json.loads(res.stdout)["error"] == "no_workspace"


def test_a_reference_to_nothing_exits_1_and_an_ambiguous_one_lists_the_candidates(seeded_cli: Hague) -> None:
    res = seeded_cli("incident", "no-such-incident", "--json", ok=False)
    assert res.exit_code == 1 and json.loads(res.stdout) == {
        "error": "not_found", "message": "no incident 'no-such-incident' (see `hague incidents`)",
        "what": "incident", "ref": "no-such-incident"}
    ids = [i["id"] for i in seeded_cli.json("incidents")]
    shared = next(a[:n] for a in ids for b in ids if a != b for n in range(len(a), 0, -1) if b.startswith(a[:n]))
    res = seeded_cli("review", "show", shared, "--json", ok=False)
    error = json.loads(res.stdout)
    assert res.exit_code == 1 and error["error"] == "ambiguous"
    assert set(error["candidates"]) == {i for i in ids if i.startswith(shared)} and len(error["candidates"]) > 1
    res = seeded_cli("proof", "0000000000", ok=False)
    assert res.exit_code == 1 and json.loads(res.stdout)["error"] == "not_found"  # proof prints only JSON


def test_the_package_is_the_entry_point_and_eval_is_an_ordinary_command(hague: Hague) -> None:
    assert "eval" in commands()
    assert hague("--version").stdout.startswith("hague ")
    assert not (ROOT / "src" / "hague" / "eval" / "__main__.py").exists()
    assert "hague.cli:main" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["verify", "review"])
def test_a_command_loads_only_its_own_module(name: str) -> None:
    """``hague verify`` and a review decision start without the reader, the clustering or the web stack (lazy
    command table; command modules share their argument types through cli.common, not through each other)."""
    import subprocess
    import sys

    probe = (f"import sys; from hague.cli.root import load_command; load_command({name!r}); "
             "print(' '.join(m for m in ('hague.pipeline', 'hague.web', 'numpy') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == [], f"loading `{name}` imported {loaded}"
