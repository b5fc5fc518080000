"""Shared fixtures: a fresh workspace per test, the one seeded workspace (the bundled examples added and
analysed once per session, copied for each test), the CLI run in-process or as a real subprocess, and the gold
sets.

The project's own gold set is ``tests/data/seeds``: our annotation (GOLD format, see docs/gold-format.md) of the
two bundled example articles in ``examples/``. Development sets outside the project (``../shared`` beside a
checkout) are opt-in: :func:`shared_set` skips the test, saying why, when they are absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hague.cli import app
from hague.config import load_config
from hague.workspace import Workspace, init_workspace

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


def run(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    """``hague ARGS`` in-process with the test's environment, checked to exit with ``code``."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def workspace_at(home: Path) -> Workspace:
    """The workspace at ``home`` (made if need be), whatever HAGUE_HOME says."""
    return init_workspace(replace(load_config(), home=home, database_url=""), "tester")[0]


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the bundled examples, added and analysed once per session (tests copy it)."""
    home = tmp_path_factory.mktemp("seeded") / "ws"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HAGUE_HOME", str(home))
        mp.delenv("HAGUE_DATABASE_URL", raising=False)
        mp.delenv("HAGUE_COLLECTOR", raising=False)
        run("init", "--collector", "tester")
        run("add", str(EXAMPLES), "--collector", "tester")
    return home


@pytest.fixture()
def seeded_ws(seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A private copy of the seeded workspace, with HAGUE_HOME pointing at it."""
    home = tmp_path / "sender"
    shutil.copytree(seeded_template, home)
    monkeypatch.setenv("HAGUE_HOME", str(home))
    monkeypatch.delenv("HAGUE_DATABASE_URL", raising=False)
    ws = workspace_at(home)
    yield ws
    ws.engine.dispose()


@pytest.fixture()
def seeded_cli(seeded_ws: Workspace) -> Hague:
    """``hague`` on a private copy of the seeded workspace."""
    return Hague()


# Small gold sets written from invented text (layout of docs/gold-format.md); ``gold_statement`` and
# ``gold_report`` build entries with defaults, so a test states only what it checks.


def write_set(
    root: Path,
    docs: dict[str, tuple[str, str | None, dict[str, Any]]],
    reuse: list[dict[str, str]] | None = None,
) -> Path:
    """``docs``: id -> (text, published, gold with "statements"/"reports")."""
    (root / "docs").mkdir(parents=True)
    (root / "gold").mkdir()
    for doc_id, (text, published, gold) in docs.items():
        (root / "docs" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (root / "docs" / f"{doc_id}.json").write_text(json.dumps({"id": doc_id, "published": published}))
        body = {"doc": doc_id, "statements": gold.get("statements", []), "reports": gold.get("reports", [])}
        (root / "gold" / f"{doc_id}.json").write_text(json.dumps(body), encoding="utf-8")
    if reuse is not None:
        (root / "gold" / "reuse.json").write_text(json.dumps(reuse), encoding="utf-8")
    return root


def _statement(quote: str, speaker: str = "Anna Kovacs", **kw: Any) -> dict[str, Any]:
    return {
        "speaker": speaker,
        "org": kw.pop("org", None),
        "quote": quote,
        "mode": kw.pop("mode", "direct"),
        "said_on": kw.pop("said_on", None),
        "stance": kw.pop("stance", "reports"),
        **kw,
    }


def _report(incident: str, evidence: list[str], **kw: Any) -> dict[str, Any]:
    base = {
        "incident": incident,
        "evidence": evidence,
        "event": "attack",
        "targets": [],
        "weapons": [],
        "place": None,
        "country": None,
        "date": None,
        "killed": None,
        "injured": None,
        "perpetrator": None,
        "status": "reported",
        "pattern": False,
    }
    return base | kw


@pytest.fixture
def gold_statement():
    return _statement


@pytest.fixture
def gold_report():
    return _report


@pytest.fixture
def make_set(tmp_path: Path):
    counter = iter(range(1000))

    def make(docs, reuse=None):
        return write_set(tmp_path / f"set{next(counter)}", docs, reuse)

    return make


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


def _seed(template: Path, home: Path) -> Seeded:
    """A copy of the seeded workspace with the team added."""
    from sqlalchemy import select

    from hague.model import IncidentRow, Item
    from hague.team import accounts, cases
    from hague.team.roles import Role

    shutil.copytree(template, home)
    ws = workspace_at(home)
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
def seeded(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """The seeded workspace with a team, shared by the web, API and team tests (session-wide: do not change it
    in ways other tests would see)."""
    return _seed(seeded_template, tmp_path_factory.mktemp("team") / "ws")
