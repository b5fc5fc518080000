"""Settings: where the workspace lives and the limits that protect it.

Every setting is data with help text (``SETTINGS``), read from the environment, so
``hague config`` can show and explain each one and tests can point a run anywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hague.errors import SettingsError


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {
    "home": Setting("HAGUE_HOME", "./hague-data",
                    "Workspace folder: the SQLite database, the object store of originals and the signing key."),
    "database_url": Setting("HAGUE_DATABASE_URL", "",
                            "SQLAlchemy URL of a shared database (postgresql+psycopg://...); "
                            "empty means SQLite inside the workspace."),
    "max_item_bytes": Setting("HAGUE_MAX_ITEM_BYTES", str(512 * 1024 * 1024),
                              "Largest original accepted, in bytes; larger inputs are refused while streaming."),
    "fetch_timeout": Setting("HAGUE_FETCH_TIMEOUT", "30",
                             "Seconds to wait for a URL to connect or send data before giving up."),
    "max_redirects": Setting("HAGUE_MAX_REDIRECTS", "10", "Redirects followed before a URL is refused as a loop."),
    "fetch_deadline": Setting("HAGUE_FETCH_DEADLINE", "300",
                              "Seconds one URL may take in all (connect, every redirect, the whole body); "
                              "past it the capture is stopped and reported."),
    "fetch_min_rate": Setting("HAGUE_FETCH_MIN_RATE", "512",
                              "Bytes per second a response body must average over any 5 s; a slower "
                              "(slow-drip) server is cut off and reported."),
    "read_seconds": Setting("HAGUE_READ_SECONDS", "60",
                            "Seconds one reader may take to turn an original into text; past it the original "
                            "stays preserved, unread, and is reported."),
    "read_memory": Setting("HAGUE_READ_MEMORY", str(1024 * 1024 * 1024),
                           "Bytes of memory a reader (or a fetch) may add; past it the input is reported "
                           "and kept preserved, unread."),
    "max_expanded_bytes": Setting("HAGUE_MAX_EXPANDED_BYTES", str(64 * 1024 * 1024),
                                  "Largest decompressed or decoded stream a reader accepts (gzip/deflate bodies, "
                                  "WARC records, PDF streams, text); a bomb stops at this size."),
    "witness": Setting("HAGUE_WITNESS", "",
                       "File where every signed tree head is also appended, outside the database, so a "
                       "truncated or rewritten ledger is caught; empty means witness.jsonl in the workspace. "
                       "Point it at storage the database's users cannot rewrite."),
    "collector": Setting("HAGUE_COLLECTOR", "",
                         "Name recorded as the actor in the custody ledger; empty means the OS user."),
    "statements_extractor": Setting("HAGUE_STATEMENTS_EXTRACTOR", "rules",
                                    "Which statements extractor reads documents (hague.reading.extractors); the "
                                    "analysis mark and ledger record its name and version."),
    "reports_extractor": Setting("HAGUE_REPORTS_EXTRACTOR", "rules",
                                 "Which reports extractor reads documents (hague.reading.extractors); the analysis "
                                 "mark and ledger record its name and version."),
    "spacy_model": Setting("HAGUE_SPACY_MODEL", "",
                           "An installed spaCy pipeline whose person entities help resolve speakers; empty: none. "
                           "Never downloaded."),
}


@dataclass(frozen=True)
class Config:
    home: Path
    database_url: str
    max_item_bytes: int
    fetch_timeout: float
    max_redirects: int
    fetch_deadline: float
    fetch_min_rate: int
    read_seconds: float
    read_memory: int
    max_expanded_bytes: int
    witness: str
    collector: str
    statements_extractor: str
    reports_extractor: str
    spacy_model: str

    @property
    def objects_dir(self) -> Path:
        return self.home / "objects"

    @property
    def key_path(self) -> Path:
        return self.home / "keys" / "ed25519.pem"

    @property
    def sqlite_path(self) -> Path:
        return self.home / "hague.db"

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def witness_path(self) -> Path:
        return Path(self.witness).expanduser().absolute() if self.witness else self.home / "witness.jsonl"


def _raw(name: str) -> str:
    s = SETTINGS[name]
    return os.environ.get(s.env, "") or s.default


def load_config() -> Config:
    """Read settings from the environment; a malformed value raises ``SettingsError`` naming the variable."""

    def number(name: str, kind: type) -> int | float:
        raw = _raw(name)
        try:
            value = kind(raw)
        except ValueError:
            raise SettingsError(f"{SETTINGS[name].env}={raw!r} is not a number") from None
        if value <= 0:
            raise SettingsError(f"{SETTINGS[name].env}={raw!r} must be positive")
        return value

    return Config(
        home=Path(_raw("home")).expanduser().absolute(),
        database_url=_raw("database_url"),
        max_item_bytes=int(number("max_item_bytes", int)),
        fetch_timeout=float(number("fetch_timeout", float)),
        max_redirects=int(number("max_redirects", int)),
        fetch_deadline=float(number("fetch_deadline", float)),
        fetch_min_rate=int(number("fetch_min_rate", int)),
        read_seconds=float(number("read_seconds", float)),
        read_memory=int(number("read_memory", int)),
        max_expanded_bytes=int(number("max_expanded_bytes", int)),
        witness=_raw("witness"),
        collector=_raw("collector"),
        statements_extractor=_raw("statements_extractor"),
        reports_extractor=_raw("reports_extractor"),
        spacy_model=_raw("spacy_model"),
    )
