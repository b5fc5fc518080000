"""Engine set-up, migrations and the write lock.

SQLite runs in WAL mode with a busy timeout, and every transaction begins with
``BEGIN IMMEDIATE`` so two ``hague`` processes queue for the write lock instead of
failing half-way; on PostgreSQL an advisory lock serialises ledger appends.

SQLAlchemy is imported by the functions that use it, not with this module: ``hague verify`` on SQLite reads
through the driver (:meth:`hague.workspace.Workspace.connection`) and starts without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

_MIGRATIONS = str(Path(__file__).parent / "migrations")
READ_ONLY = "hague_read_only"  # execution option of the engine that reading sessions use
_PG_LEDGER_LOCK = 72_17_06  # arbitrary advisory-lock key owned by Hague
# The newest migration; checked against the migrations folder by a test, so opening a
# workspace that is up to date needs no Alembic import (it costs a tenth of a second).
SCHEMA_HEAD = "0008"
# Prepared statements each SQLite connection keeps (the driver's default is 128). Bulk inserts of many rows and
# IN lists of many ids make a distinct, large statement for each row or id count, and 128 of them per connection
# held hundreds of megabytes: refreshing the checklists of 5,000 new incidents of a 100,000-document workspace
# grew the process by 233 MB with 128 and by 30 MB with 16, for no more CPU (benchmarks/checklist_memory.py).
STATEMENT_CACHE = 16


def make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False,
                                                  "cached_statements": STATEMENT_CACHE})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # type: ignore[no-untyped-def]
            # A reader takes no lock (in WAL mode it reads a snapshot, beside any writer); a writer queues for
            # the write lock from its first statement.
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(engine: Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", _MIGRATIONS)
    # configparser reads "%" as interpolation: a percent-encoded URL (a socket path, a password) must be escaped
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, or None when it holds no Hague schema."""
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_empty(engine: Engine) -> bool:
    """Whether the database holds no tables at all."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        return not inspect(conn).get_table_names()


def migrations_head() -> str:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", _MIGRATIONS)
    return ScriptDirectory.from_config(cfg).get_current_head() or ""


def upgrade(engine: Engine) -> None:
    from alembic import command

    cfg = _alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def write_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction that holds the workspace write lock from its first statement to commit."""
    from sqlalchemy import text

    with factory() as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LEDGER_LOCK})
        yield session


def insert_rows(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """Insert many new rows of ``model`` (dicts keyed by column) in one executemany on its table.

    The same rows as ``session.add`` of each object or an ORM bulk ``insert(model)``, without the ORM's
    per-row bookkeeping, which dominated large runs (the rows are not in the session afterwards; a query reads
    them). Whatever the session holds pending is flushed first, so rows are written in the order they were made.

    The insert asks for the new keys back, which SQLAlchemy sends as multi-row ``INSERT ... VALUES`` statements
    (its "insertmanyvalues") instead of one statement per row: on SQLite each statement is a savepoint, at which
    a full-text index (``statements_fts``, filled by a trigger) writes what it has gathered, so one statement per
    row cost twice the time of the whole insert. The rows and their ids are the same (inserted in order).
    """
    if rows:
        session.flush()
        table = model.__table__  # type: ignore[attr-defined]
        session.execute(table.insert().returning(*table.primary_key.columns), rows).all()
