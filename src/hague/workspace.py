"""A workspace: configuration, database, object store and signing key, opened together.

Commands open the workspace once, do their work in write transactions, and call
:meth:`Workspace.seal` at the end so a signed tree head follows every command.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import cached_property

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from hague import db
from hague.config import Config, load_config
from hague.errors import WorkspaceCorrupt, WorkspaceMissing
from hague.errors import WorkspaceError as WorkspaceError  # re-exported: callers catch it from here
from hague.evidence import keys, ledger
from hague.evidence.store import ObjectStore


@dataclass
class Workspace:
    config: Config
    engine: Engine

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
    def key(self) -> Ed25519PrivateKey:
        if not self.config.key_path.exists():
            raise WorkspaceCorrupt(f"signing key {self.config.key_path} is missing; the workspace cannot sign")
        return keys.load_key(self.config.key_path)

    def actor(self, collector: str | None = None) -> str:
        return ledger.default_actor(collector or self.config.collector)

    def write(self):  # type: ignore[no-untyped-def]
        """Context manager: a write transaction holding the workspace lock."""
        return db.write_transaction(self.sessions)

    def read(self) -> Session:
        """A session for reading. On SQLite it takes no lock: readers see a snapshot beside a writer, so web
        pages never queue behind, or hold up, a write (sessions from :meth:`write` queue for the lock)."""
        return self.readers()

    def seal(self) -> ledger.SignedHead:
        """Sign the ledger's current head (a no-op when nothing changed since the last head)."""
        with self.write() as s:
            return ledger.sign_head(s, self.key)


def init_workspace(config: Config | None = None, actor: str | None = None) -> tuple[Workspace, bool]:
    """Create (or upgrade) a workspace; returns it and whether it was new."""
    config = config or load_config()
    config.home.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(config.url)
    db.upgrade(engine)
    ws = Workspace(config, engine)
    ws.store.ensure()
    created = False
    if not config.key_path.exists():
        with contextlib.suppress(FileExistsError):  # another process made it a moment ago
            keys.create_key(config.key_path)
    with ws.write() as s:
        if ledger.size(s) == 0:
            ledger.register_key(s, ws.key)
            ledger.append(s, ws.actor(actor), "init", [], {"home": str(config.home),
                                                            "database": engine.url.render_as_string()})
            created = True
    ws.seal()
    return ws, created


def open_workspace(config: Config | None = None) -> Workspace:
    """Open an initialised workspace, applying pending migrations; a clear error if there is none."""
    config = config or load_config()
    if not config.database_url and not config.sqlite_path.exists():
        raise WorkspaceMissing(f"no Hague workspace at {config.home} (run `hague init`, or set HAGUE_HOME)")
    engine = db.make_engine(config.url)
    current = db.current_revision(engine)
    if current is None:
        raise WorkspaceCorrupt(f"the database at {engine.url.render_as_string()} is not a Hague workspace "
                             "(run `hague init`)")
    if current != db.SCHEMA_HEAD:
        db.upgrade(engine)
    return Workspace(config, engine)
