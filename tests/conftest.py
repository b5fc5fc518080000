"""Shared fixtures: a fresh workspace per test, the one seeded workspace (the bundled examples added and
analysed once per session, copied for each test), the CLI run in-process or as a real subprocess, and the gold
sets.

The project's own gold set is ``tests/data/examples/gold``: our annotation (GOLD format, see
docs/gold-format.md) of the three invented example articles in ``examples/articles``. Development sets outside
the project (``../shared`` beside a checkout) are opt-in: :func:`shared_set` skips the test, saying why, when
they are absent.

The database behind every test workspace is SQLite inside it, or, when ``HAGUE_TEST_POSTGRES`` names a
PostgreSQL server (``python -m tests.pgserver -- pytest`` starts a throwaway one; `.ci/run` does), a database
of its own on that server: one switch, the same tests. Tests reach a workspace's database only through
:func:`workspace_env`, :func:`use_workspace`, :func:`config_at`, :func:`copy_workspace` and :func:`sql`.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from typer.testing import CliRunner

from hague.cli.root import app
from hague.config import load_config
from hague.model import Case, Document, IncidentRow, ReportRow, StatementRow, User
from hague.team import cases
from hague.team.acting import Member
from hague.workspace import Workspace, init_workspace

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
SEED_GOLD = ROOT / "tests" / "data" / "examples" / "gold"
SHARED = ROOT.parent / "shared"


def shared_set(name: str) -> Path:
    """A gold set of ``../shared`` (outside the project); the test is skipped when it is not there."""
    path = SHARED / name
    if not (path / "docs").is_dir():
        pytest.skip(f"opt-in: needs the development set {name!r} in a folder named shared beside the checkout")
    return path


def build_seed_set(root: Path) -> Path:
    """The seed gold set as a folder (``docs/`` from examples/articles, ``gold/`` from tests/data/examples/gold)."""
    (root / "docs").mkdir(parents=True)
    for path in EXAMPLES.glob("*.*"):
        shutil.copy(path, root / "docs" / path.name)
    shutil.copytree(SEED_GOLD, root / "gold")
    return root


@pytest.fixture(scope="session")
def seed_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own gold set of the bundled examples (read-only: tests must not change it)."""
    return build_seed_set(tmp_path_factory.mktemp("seed-set"))


# --- the database switch ------------------------------------------------------------------------------------------

POSTGRES = os.environ.get("HAGUE_TEST_POSTGRES", "")
BACKEND = "postgresql" if POSTGRES else "sqlite"
_made: list[str] = []  # databases this process created on the test server, dropped at exit


@functools.cache
def _server() -> sa.Engine:
    return sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def _database_name(home: Path) -> str:
    return "hague_" + hashlib.sha256(str(home.absolute()).encode()).hexdigest()[:24]


def database_url(home: Path) -> str:
    """HAGUE_DATABASE_URL of the test workspace at ``home``: empty (SQLite inside it) or its own database on the
    test server, made on first use."""
    if not POSTGRES:
        return ""
    name = _database_name(home)
    with _server().connect() as conn:
        if conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            _made.append(name)
    return sa.make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)


def workspace_env(home: Path) -> dict[str, str]:
    """The environment that points ``hague`` at the test workspace ``home``."""
    return {"HAGUE_HOME": str(home), "HAGUE_DATABASE_URL": database_url(home)}


def use_workspace(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    for key, value in workspace_env(home).items():
        monkeypatch.setenv(key, value)
    return home


def config_at(home: Path):  # type: ignore[no-untyped-def]
    """Settings of the test workspace at ``home``, whatever the environment says."""
    return dataclasses.replace(load_config(), home=home, database_url=database_url(home))


def _disconnect(conn: sa.Connection, name: str) -> None:
    conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})


def copy_workspace(src: Path, dst: Path) -> Path:
    """A copy of the workspace at ``src`` (folder and database) at ``dst``."""
    shutil.copytree(src, dst)
    if POSTGRES:
        source, target = _database_name(src), _database_name(dst)
        with _server().connect() as conn:
            _disconnect(conn, source)  # a template may have no other sessions (pools reconnect: pre-ping)
            conn.execute(sa.text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))
        _made.append(target)
    return dst


def sql(home: Path, *statements: str, integrity: bool = True, **params: object) -> list[sa.Row]:
    """Run SQL statements on the database of the test workspace ``home``, committed together; the last one's rows.

    ``integrity=False`` switches foreign-key checks off for them, as a tamperer with the file or server would.
    """
    url = database_url(home) or f"sqlite:///{home / 'hague.db'}"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if not integrity:
                conn.exec_driver_sql("SET session_replication_role = replica" if POSTGRES
                                     else "PRAGMA foreign_keys=OFF")
            rows: list[sa.Row] = []
            for statement in statements:
                result = conn.execute(sa.text(statement), params)
                rows = list(result) if result.returns_rows else []
            conn.commit()
            return rows
    finally:
        engine.dispose()


@atexit.register
def _drop_databases() -> None:
    if not _made:
        return
    with _server().connect() as conn:
        for name in _made:
            _disconnect(conn, name)
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_workspace(monkeypatch, tmp_path / "ws")


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
    return init_workspace(config_at(home), "tester")[0]


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the bundled examples, added and analysed once per session (tests copy it)."""
    home = tmp_path_factory.mktemp("seeded") / "ws"
    with pytest.MonkeyPatch.context() as mp:
        use_workspace(mp, home)
        mp.delenv("HAGUE_COLLECTOR", raising=False)
        run("init", "--collector", "tester")
        run("add", str(EXAMPLES), "--collector", "tester")
    return home


@pytest.fixture()
def seeded_ws(seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A private copy of the seeded workspace, with HAGUE_HOME pointing at it."""
    home = tmp_path / "sender"
    copy_workspace(seeded_template, home)
    use_workspace(monkeypatch, home)
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

    from hague.model import IncidentRow, Item
    from hague.team import accounts, cases
    from hague.team.roles import Role

    copy_workspace(template, home)
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


# --- a private team workspace per test, for tests that change it (curation, review) -------------------------------


@dataclass
class Team:
    """The seeded team workspace (:class:`Seeded`), private to one test, and the accounts acting in it."""

    seeded: Seeded

    @property
    def ws(self) -> Workspace:
        return self.seeded.ws

    def member(self, name: str, case: str = "ukraine") -> Member:
        with self.ws.read() as s:
            user = s.scalars(select(User).where(User.name == name)).one()
            the_case = s.scalars(select(Case).where(Case.slug == case)).one()
            return Member.of(user, the_case, cases.role_of(s, the_case, user))

    def statements(self) -> list[StatementRow]:
        with self.ws.read() as s:
            return list(s.scalars(select(StatementRow).order_by(StatementRow.document_id, StatementRow.idx)))

    def reports(self) -> list[ReportRow]:
        with self.ws.read() as s:
            return list(s.scalars(select(ReportRow).order_by(ReportRow.document_id, ReportRow.idx)))

    def incident(self, incident_id: str) -> IncidentRow | None:
        with self.ws.read() as s:
            return s.get(IncidentRow, incident_id)

    def incidents(self) -> list[str]:
        with self.ws.read() as s:
            return list(s.scalars(select(IncidentRow.id).order_by(IncidentRow.id)))

    def documents(self) -> list[int]:
        with self.ws.read() as s:
            return list(s.scalars(select(Document.id).order_by(Document.id)))


@pytest.fixture()
def team(seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    home = tmp_path / "team"
    seeded = _seed(seeded_template, home)
    use_workspace(monkeypatch, home)
    yield Team(seeded)
    seeded.ws.engine.dispose()


def reviewer_token(home: Path, name: str = "ann", *, sqlite: bool = False) -> str:
    """An account ``name``, reviewer of a case holding every item of the workspace at ``home``, and a write token
    for it (what ``HAGUE_TOKEN`` carries for review commands). ``sqlite``: the workspace keeps its database in
    SQLite whatever backend the suite runs on (tests that tamper with the file)."""
    from hague.team import accounts, tokens
    from hague.team.roles import Role

    config = dataclasses.replace(load_config(), home=home, database_url="") if sqlite else config_at(home)
    ws = init_workspace(config, "tester")[0]
    try:
        with ws.write() as s:
            admin = accounts.create(s, "tester", "admin-" + name, PASSWORD, admin=True)
            user = accounts.create(s, "tester", name, PASSWORD)
            case = cases.create(s, "tester", "Review", slug="review-" + name, lead=admin)
            cases.add_all_items(s, "tester", case)
            cases.set_member(s, "tester", case, user, Role.REVIEWER)
            token = tokens.create(s, "tester", user, case, "test", "write")
        ws.seal()
    finally:
        ws.engine.dispose()
    return token


def cli_login(monkeypatch: pytest.MonkeyPatch, name: str, case: str = "ukraine") -> str:
    """``hague login NAME --case CASE`` with the seeded password; the token goes into HAGUE_TOKEN."""
    res = CliRunner().invoke(app, ["login", name, "--case", case, "--password-stdin", "--json"],
                             input=PASSWORD + "\n")
    assert res.exit_code == 0, res.output
    token = json.loads(res.stdout)["token"]
    monkeypatch.setenv("HAGUE_TOKEN", token)
    return token


def pytest_report_header() -> str:
    return f"hague test workspaces on: {BACKEND}" + (" (HAGUE_TEST_POSTGRES)" if POSTGRES else "")
