"""A seeded workspace (the bundled seed articles, read and clustered) and a package made from it, shared by
the sharing tests; the CLI of the share phase mounted on a small app of its own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from tests.conftest import config_at, copy_workspace, use_workspace
from typer.testing import CliRunner

from hague import cli
from hague.cli_sharing import export, package_app, protect_app
from hague.sharing.package import PackageResult, create_package
from hague.workspace import Workspace, init_workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

app = typer.Typer()
app.command()(cli.init)
app.command()(cli.add)
app.add_typer(package_app, name="package")
app.add_typer(protect_app, name="protect")
app.command("export")(export)


def run(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def workspace_at(home: Path) -> Workspace:
    return init_workspace(config_at(home), "tester")[0]


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the seed articles (added and analysed once per session; tests copy it)."""
    home = tmp_path_factory.mktemp("seeded") / "ws"
    with pytest.MonkeyPatch.context() as mp:
        use_workspace(mp, home)
        run("init", "--collector", "tester")
        run("add", str(EXAMPLES), "--collector", "tester")
    return home


@pytest.fixture()
def seeded(seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A private copy of the seeded workspace, with HAGUE_HOME pointing at it."""
    home = tmp_path / "sender"
    copy_workspace(seeded_template, home)
    use_workspace(monkeypatch, home)
    ws = workspace_at(home)
    yield ws
    ws.engine.dispose()


@pytest.fixture(scope="session")
def package(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> PackageResult:
    """A package of the whole seeded workspace (tests that tamper copy its bytes)."""
    root = tmp_path_factory.mktemp("package")
    home = root / "sender"
    copy_workspace(seeded_template, home)
    ws = workspace_at(home)
    try:
        return create_package(ws, "ICC OTP", root / "package.zip", actor="tester")
    finally:
        ws.engine.dispose()


@pytest.fixture()
def receiver(tmp_path: Path) -> Iterator[Workspace]:
    ws = workspace_at(tmp_path / "receiver")
    yield ws
    ws.engine.dispose()


def env_nowhere(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "HAGUE_HOME": str(tmp_path / "nowhere"), "HAGUE_DATABASE_URL": ""}  # no workspace
