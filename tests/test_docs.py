"""Documentation keeps up with the code: every command has help and is named in the README, and every
setting is explained there (a new command or setting without docs fails here)."""

from __future__ import annotations

import typer.main
from tests.conftest import ROOT

from hague.cli import app
from hague.config import SETTINGS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, str]:
    """Every command path ("review set") with its help text."""
    out: dict[str, str] = {}

    def walk(group, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for name, cmd in group.commands.items():
            path = f"{prefix} {name}".strip()
            if hasattr(cmd, "commands"):
                walk(cmd, path)
            else:
                out[path] = (cmd.help or "").strip()

    walk(typer.main.get_command(app), "")
    return out


def test_every_command_has_help_and_is_in_the_readme() -> None:
    commands = _commands()
    assert len(commands) > 20
    for path, help_text in commands.items():
        assert len(help_text) > 20, f"`hague {path}` has no help text"
        assert path in README, f"`hague {path}` is not in the README"


def test_every_setting_is_explained_in_the_readme() -> None:
    for setting in SETTINGS.values():
        assert setting.env in README, setting.env
        assert len(setting.help) > 20


def test_no_machine_path_in_the_repository() -> None:
    """A clone must not depend on, or reveal, the folders of the machine it was built on."""
    roots = ["/" + "work/", "/" + "root/", "/" + "home/"]
    tracked = [p for p in ROOT.rglob("*") if p.is_file() and not set(p.relative_to(ROOT).parts[:1])
               & {".git", ".venv", "demo-data", "hague-data", ".pytest_cache", ".ruff_cache"}
               and "__pycache__" not in p.parts and ".egg-info" not in str(p)]
    found = []
    for path in tracked:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        found += [f"{path.relative_to(ROOT)}: {r}" for r in roots if r in text]
    assert found == []
