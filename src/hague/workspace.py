"""A workspace: configuration, database, object store and signing key, opened together.

Commands open the workspace once, do their work in write transactions, and call
:meth:`Workspace.seal` at the end so a signed tree head follows every command.

The workspace is not evidence: nothing in it (keys, database, objects, witness log) may be
added as an original or overwritten by an output (:meth:`Workspace.holds`). A database
that is empty or unreadable is reported as such with how to restore it; ``init`` never
starts a fresh ledger beside originals and keys that belong to a lost one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hague import db
from hague.config import Config, load_config
from hague.errors import InvalidInput, WorkspaceCorrupt, WorkspaceMissing
from hague.errors import WorkspaceError as WorkspaceError  # re-exported: callers catch it from here
from hague.evidence import keys
from hague.evidence.chain import SignedHead, default_actor
from hague.evidence.store import ObjectStore
from hague.evidence.witness import Witness

if TYPE_CHECKING:  # SQLAlchemy and the ledger's ORM side load when a command first needs them (see ``connection``)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

_RESTORE = ("Restore hague.db from a backup (the originals in objects/, the keys and the witness log are "
            "untouched); `hague init` here would start a new, empty ledger, so it refuses")


@dataclass
class Workspace:
    config: Config

    @cached_property
    def engine(self) -> Engine:
        """Made on first use: ``hague verify`` on a SQLite workspace reads through :meth:`connection` alone."""
        return db.make_engine(self.config.url)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``: the SQL the database speaks."""
        return "sqlite" if not self.config.database_url else self.engine.dialect.name

    @contextlib.contextmanager
    def connection(self) -> Iterator[Any]:
        """A DB-API connection reading one snapshot of the database, for reading many rows as plain tuples.

        The workspace's own SQLite file is opened with the driver itself, so a command that only reads (``hague
        verify``) starts without SQLAlchemy; in WAL mode the transaction reads a snapshot and takes no lock. Any
        other database is reached through the engine, in a read-only repeatable-read transaction so every table
        is read as of the same moment while others write. Threads may read through it at once (one cursor each).
        """
        if not self.config.database_url:
            raw: Any = sqlite3.connect(self.config.sqlite_path, timeout=60, isolation_level=None,
                                       check_same_thread=False)  # serialised by SQLite; threads share the snapshot
            raw.execute("BEGIN")
        else:
            raw = self.engine.raw_connection()
            if self.dialect == "postgresql":
                cursor = raw.cursor()
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.close()
        try:
            yield raw
        finally:
            raw.rollback()
            raw.close()

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return db.session_factory(self.engine)

    @cached_property
    def readers(self) -> sessionmaker[Session]:
        return db.session_factory(self.engine.execution_options(**{db.READ_ONLY: True}))

    @cached_property
    def store(self) -> ObjectStore:
        return ObjectStore(self.config.objects_dir)

    @cached_property
    def witness(self) -> Witness:
        return Witness(self.config.witness_path)

    @cached_property
    def key(self) -> Ed25519PrivateKey:
        self._finish_rotation()
        if not self.config.key_path.exists():
            raise WorkspaceCorrupt(f"signing key {self.config.key_path} is missing; the workspace cannot sign")
        return keys.load_key(self.config.key_path)

    def actor(self, collector: str | None = None) -> str:
        return default_actor(collector or self.config.collector)

    def write(self):  # type: ignore[no-untyped-def]
        """Context manager: a write transaction holding the workspace lock."""
        return db.write_transaction(self.sessions)

    def read(self) -> Session:
        """A session for reading. On SQLite it takes no lock: readers see a snapshot beside a writer, so web
        pages never queue behind, or hold up, a write (sessions from :meth:`write` queue for the lock)."""
        return self.readers()

    def seal(self) -> SignedHead:
        """Sign the ledger's current head with the pinned key (a no-op when nothing changed since the last head)."""
        from hague.evidence import ledger

        try:
            with self.write() as s:
                return ledger.sign_head(s, self.key, self.witness)
        except ledger.KeyNotPinned as exc:
            raise WorkspaceCorrupt(f"{exc}. Nothing was signed: restore the original {self.config.key_path}, or hand "
                                 "over to a new key with `hague key rotate`, which the old key signs") from None

    def holds(self, path: Path) -> bool:
        """Whether ``path`` (after following symlinks) is inside the workspace or is its witness log."""
        return self.inside(os.path.realpath(path), self.real_roots())

    def real_roots(self) -> tuple[str, ...]:
        """The real paths :meth:`holds` compares with (what the home and the witness log resolve to now); a run
        over many inputs resolves them once."""
        return os.path.realpath(self.config.home), os.path.realpath(self.config.witness_path)

    @staticmethod
    def inside(real: str, roots: tuple[str, ...]) -> bool:
        """Whether the real path ``real`` is one of the real paths ``roots`` or lies under one of them."""
        return any(real == root or real.startswith(root if root.endswith(os.sep) else root + os.sep)
                   for root in roots)

    @property
    def packages_dir(self) -> Path:
        """The workspace's own store of packages built in the browser (kept to download them again)."""
        return self.config.home / "packages"

    def is_new_package_file(self, path: Path) -> bool:
        """Whether ``path`` names a file not yet there directly in :attr:`packages_dir`: the one place inside
        the workspace a package may be written, since nothing else (database, keys, originals) lives there."""
        real = Path(os.path.realpath(path))
        return real.parent == Path(os.path.realpath(self.packages_dir)) and not os.path.lexists(real)

    def check_output(self, path: Path, what: str = "--out") -> Path:
        """``path`` if an output may be written there; ``InvalidInput`` if it points into the workspace."""
        if self.holds(path):
            raise InvalidInput(f"{what} {path} is inside the workspace ({self.config.home}); outputs are never "
                                 "written there (they could replace the database, a key or an original)")
        return path

    def rotate_key(self, actor: str, reason: str) -> SignedHead:
        """Hand signing over to a new key: the old key signs the hand-over in the ledger, then retires."""
        from hague.evidence import ledger

        old = self.key
        fresh = keys.create_key(self._next_key_path)
        try:
            with self.write() as s:
                ledger.rotate(s, old, fresh, actor, reason)
        except BaseException:
            self._next_key_path.unlink(missing_ok=True)
            raise
        self.__dict__.pop("key", None)
        return self.seal()

    @property
    def _next_key_path(self) -> Path:
        return self.config.key_path.with_name("ed25519.next.pem")

    def _finish_rotation(self) -> None:
        """Complete a rotation a crash interrupted: the new key is in place once the ledger names it."""
        nxt = self._next_key_path
        if not nxt.exists():
            return
        from hague.evidence import ledger

        with self.read() as s:
            pinned = ledger.pins(s)
        if pinned and pinned[-1].key_id == keys.key_id(keys.public_pem(keys.load_key(nxt))):
            current = self.config.key_path
            if current.exists():
                retired = current.parent / "retired" / f"{keys.key_id(keys.public_pem(keys.load_key(current)))}.pem"
                retired.parent.mkdir(exist_ok=True)
                os.replace(current, retired)
            os.replace(nxt, current)
        else:  # the rotation never reached the ledger
            nxt.unlink()


def _check_database(config: Config) -> None:
    """A clear error, with how to restore, for a SQLite database that is missing, empty or not a database."""
    if config.database_url:
        return
    path = config.sqlite_path
    held = [p.name for p in (config.key_path, config.objects_dir, config.witness_path) if p.exists()]
    if not path.exists():
        if held:
            raise WorkspaceCorrupt(f"the database {path} is missing, but the workspace holds "
                                 f"{', '.join(held)}. {_RESTORE}")
        raise WorkspaceMissing(f"no Hague workspace at {config.home} (run `hague init`, or set HAGUE_HOME)")
    if path.stat().st_size == 0:
        raise WorkspaceCorrupt(f"the database {path} is empty (0 bytes): it was truncated or lost. {_RESTORE}")


def _revision(engine: Engine) -> str | None:
    from sqlalchemy.exc import DatabaseError

    try:
        return db.current_revision(engine)
    except DatabaseError as exc:
        raise WorkspaceCorrupt(f"the database {engine.url.render_as_string()} is damaged or not a database "
                             f"({exc.orig}). {_RESTORE}") from None


def init_workspace(config: Config | None = None, actor: str | None = None) -> tuple[Workspace, bool]:
    """Create (or upgrade) a workspace; returns it and whether it was new.

    Refuses to start a new ledger where a key or originals of an earlier one remain without their database.
    """
    from hague.evidence import ledger

    config = config or load_config()
    config.home.mkdir(parents=True, exist_ok=True)
    if config.database_url or config.sqlite_path.exists():
        _check_database(config)
    elif any(p.exists() for p in (config.key_path, config.witness_path)) or any(config.objects_dir.glob("??")):
        _check_database(config)  # raises: the database of this workspace is missing
    ws = Workspace(config)
    engine = ws.engine
    _revision(engine)
    db.upgrade(engine)
    ws.store.ensure()
    created = False
    if not config.key_path.exists():
        with contextlib.suppress(FileExistsError):  # another process made it a moment ago
            keys.create_key(config.key_path)
    with ws.write() as s:
        if ledger.size(s) == 0:
            ledger.register_key(s, ws.key)
            ledger.append(s, ws.actor(actor), "init", [], {"home": str(config.home),
                                                            "database": engine.url.render_as_string(),
                                                            **ledger.init_details(ws.key)})
            created = True
        elif not ws.witness.exists() and (head := ledger.latest_head(s)) is not None:
            ws.witness.append(head.to_json())  # this machine starts witnessing a shared database here
    ws.seal()
    return ws, created


def open_workspace(config: Config | None = None) -> Workspace:
    """Open an initialised workspace, applying pending migrations; a clear error if there is none."""
    config = config or load_config()
    _check_database(config)
    ws = Workspace(config)
    if _sqlite_is_current(config):
        return ws
    engine = ws.engine
    current = _revision(engine)
    if current is None and db.is_empty(engine) and not config.key_path.exists():  # a shared database, never used
        raise WorkspaceMissing(f"no Hague workspace in the database at {engine.url.render_as_string()} "
                               "(run `hague init`)")
    if current is None:
        raise WorkspaceCorrupt(f"the database at {engine.url.render_as_string()} holds no Hague workspace. "
                               + (_RESTORE if config.key_path.exists() else "Run `hague init` to create one"))
    if current != db.SCHEMA_HEAD:
        db.upgrade(engine)
    return ws


def _sqlite_is_current(config: Config) -> bool:
    """Whether the workspace's SQLite file already has the newest schema, asked of the driver directly (no
    SQLAlchemy import for commands that never need it). Anything else, a damaged file included, is left to the
    full check."""
    if config.database_url:
        return False
    try:
        with contextlib.closing(sqlite3.connect(config.sqlite_path, timeout=60)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == db.SCHEMA_HEAD
