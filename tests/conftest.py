"""Shared fixtures: a fresh workspace per test, the CLI run in-process or as a real subprocess, and the gold sets.

The project's own gold set is ``tests/data/seeds``: our annotation (GOLD format, see docs/gold-format.md) of the
two bundled example articles in ``examples/``. Development sets outside the project (``../shared`` beside a
checkout) are opt-in: :func:`shared_set` skips the test, saying why, when they are absent.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hague.cli import app
from hague.config import load_config
from hague.workspace import Workspace, open_workspace

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEED_GOLD = ROOT / "tests" / "data" / "seeds" / "gold"
SHARED = ROOT.parent / "shared"


def shared_set(name: str) -> Path:
    """A gold set of ``../shared`` (outside the project); the test is skipped when it is not there."""
    path = SHARED / name
    if not (path / "docs").is_dir():
        pytest.skip(f"opt-in: needs the development set {name!r} in a folder named shared beside the checkout")
    return path


def build_seed_set(root: Path) -> Path:
    """The seed gold set as a folder (``docs/`` from examples/, ``gold/`` from tests/data/seeds)."""
    (root / "docs").mkdir(parents=True)
    for path in EXAMPLES.glob("*.*"):
        shutil.copy(path, root / "docs" / path.name)
    shutil.copytree(SEED_GOLD, root / "gold")
    return root


@pytest.fixture(scope="session")
def seed_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own gold set of the bundled examples (read-only: tests must not change it)."""
    return build_seed_set(tmp_path_factory.mktemp("seed-set"))


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "ws"
    monkeypatch.setenv("HAGUE_HOME", str(h))
    monkeypatch.delenv("HAGUE_DATABASE_URL", raising=False)
    return h


class Hague:
    """Runs ``hague`` in-process (fast) with the test's environment."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool | None = True):  # type: ignore[no-untyped-def]
        result = self.runner.invoke(app, list(args), catch_exceptions=False)
        if ok is True:
            assert result.exit_code == 0, result.output
        elif ok is False:
            assert result.exit_code != 0, result.output
        return result

    def json(self, *args: str, ok: bool | None = True):  # type: ignore[no-untyped-def]
        return json.loads(self(*args, "--json", ok=ok).stdout)


@pytest.fixture()
def hague(home: Path) -> Hague:
    return Hague()


def hague_process(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    """``hague`` as a separate OS process (for crash and concurrency tests)."""
    return subprocess.Popen([sys.executable, "-m", "hague.cli", *args], env={**os.environ, **(env or {})}, **kw)


# --- the seeded team workspace (web, API and team tests share it) ------------------------------------------------

PASSWORD = "correct horse battery staple"


@dataclass
class Seeded:
    """The bundled examples, read and clustered, and a team: an administrator, one account per case role, an
    outsider with no case and a spare account (``target``) for acts on accounts. Case ``ukraine`` holds every
    item and shares one incident with its partners; case ``other`` holds one item and only its lead."""

    ws: Workspace
    case: str
    other_case: str
    shared_incident: str
    unshared_incident: str
    items: list[str]


def _seed(home: Path) -> Seeded:
    from sqlalchemy import select

    from hague.model import IncidentRow, Item
    from hague.team import accounts, cases
    from hague.team.roles import Role

    env = {"HAGUE_HOME": str(home), "HAGUE_DATABASE_URL": "", "HAGUE_COLLECTOR": "seed"}
    runner = CliRunner()
    for args in (["init"], ["add", str(EXAMPLES)]):
        result = runner.invoke(app, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    ws = open_workspace(dataclasses.replace(load_config(), home=home, database_url=""))
    with ws.write() as s:
        admin = accounts.create(s, "seed", "admin", PASSWORD, display_name="Ada Admin", admin=True)
        roles = [Role.LEAD, Role.ANALYST, Role.REVIEWER, Role.VIEWER, Role.PARTNER]
        people = {r: accounts.create(s, "seed", str(r), PASSWORD, display_name=f"{r.title()} Person") for r in roles}
        accounts.create(s, "seed", "outsider", PASSWORD)
        accounts.create(s, "seed", "target", PASSWORD)
        case = cases.create(s, "admin", "Ukraine 2022", slug="ukraine", lead=admin)
        for role, user in people.items():
            cases.set_member(s, "admin", case, user, role)
        cases.add_all_items(s, "admin", case)
        items = sorted(s.scalars(select(Item.sha256)))
        other = cases.create(s, "admin", "Other case", slug="other", lead=people[Role.LEAD])
        cases.add_items(s, "lead", other, items[:1])
        incidents = sorted(s.scalars(select(IncidentRow.id)))
        cases.share(s, "lead", case, cases.ShareKind.INCIDENT, incidents[0])
    ws.seal()
    return Seeded(ws, "ukraine", "other", incidents[0], incidents[-1], items)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    return _seed(tmp_path_factory.mktemp("seeded") / "ws")
