"""Documentation keeps up with the code: every command is named in the README, every setting is explained
there, the README's layout section names what the source tree holds, and no machine path is anywhere."""

from __future__ import annotations

from tests.cli.test_commands import commands
from tests.conftest import ROOT

from hague.config import SETTINGS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    for path in commands():
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


def test_the_layout_section_names_what_the_tree_holds() -> None:
    layout = README[README.index("## Layout"):]
    package = ROOT / "src" / "hague"
    entries = [p.name + ("/" if p.is_dir() else "") for p in package.iterdir()
               if p.name not in ("__init__.py", "__pycache__")]
    missing = [e for e in entries if e not in layout]
    assert missing == [], f"README layout does not name {missing}"
    for folder in ("tests/", "benchmarks/", "docs/", "examples/"):
        assert folder in layout
