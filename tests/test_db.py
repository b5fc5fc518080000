"""The database engine as the workspace opens it."""

from __future__ import annotations

import sqlite3
import sqlite3.dbapi2
from pathlib import Path
from typing import Any

from sqlalchemy import text

from hague.db import STATEMENT_CACHE, make_engine


def test_a_sqlite_connection_keeps_few_prepared_statements(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Each bulk insert and IN list of another size is another large statement; the driver's default of 128 per
    # connection held hundreds of megabytes in a large analysis.
    seen: list[dict[str, Any]] = []
    connect = sqlite3.dbapi2.connect  # the module the SQLite dialect connects through

    def spy(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        seen.append(kwargs)
        return connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3.dbapi2, "connect", spy)
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()
    assert seen and all(k.get("cached_statements") == STATEMENT_CACHE for k in seen)
    assert STATEMENT_CACHE < 128
