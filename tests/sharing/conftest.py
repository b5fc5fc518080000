"""A package made from the seeded_ws workspace (tests/conftest.py), and a second workspace to receive it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import run, workspace_at

from hague.sharing.package import PackageResult, create_package
from hague.workspace import Workspace

__all__ = ["run", "workspace_at"]


@pytest.fixture(scope="session")
def package(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> PackageResult:
    """A package of the whole seeded_ws workspace (tests that tamper copy its bytes)."""
    root = tmp_path_factory.mktemp("package")
    home = root / "sender"
    shutil.copytree(seeded_template, home)
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
