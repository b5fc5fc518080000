"""One analysis at a time per workspace, without holding the database's write lock while it works.

An analysis commits in many short transactions so that people keep working meanwhile; what keeps two
analyses from interleaving (both indexing the same new documents, both creating an incident for one event)
is this lock, held for the whole run: a PostgreSQL session-level advisory lock (it spans machines, as the
database does), or, for a SQLite workspace, an exclusive ``flock`` on a file beside the database.
A second analysis waits for the first to finish and then finds only what is still to do.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from hague.workspace import Workspace

_PG_ANALYSIS_LOCK = 72_17_07  # advisory-lock key owned by Hague (72_17_06 is the ledger's)


@contextmanager
def analysis_lock(ws: Workspace) -> Iterator[None]:
    if ws.engine.dialect.name == "postgresql":
        with ws.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_ANALYSIS_LOCK})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_ANALYSIS_LOCK})
                conn.commit()
        return
    ws.config.home.mkdir(parents=True, exist_ok=True)
    with (ws.config.home / "analysis.lock").open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
