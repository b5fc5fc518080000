"""Which incidents a dossier covers: a case, named incidents, incidents dated since a day, a page of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hague.errors import InvalidInput
from hague.findings import parse_day


@dataclass(frozen=True)
class DossierScope:
    """Which incidents a dossier covers (all of them when nothing is set); the filters combine.

    ``since`` keeps incidents whose reported date is on or after that day; ``limit``/``offset`` page through
    the incidents in dossier order (by date, then id), so a large case can be written as several files.
    """

    case: str | None = None
    incidents: tuple[str, ...] = ()
    since: str | None = None
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.since is not None and parse_day(self.since) is None:
            raise InvalidInput(f"--since {self.since!r}: give a day as YYYY-MM-DD")
        if self.offset < 0 or (self.limit is not None and self.limit < 1):
            raise InvalidInput("--limit must be at least 1 and --offset at least 0")

    @property
    def whole(self) -> bool:
        return not self.to_json()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"case": self.case, "incidents": list(self.incidents), "since": self.since,
                               "limit": self.limit, "offset": self.offset}
        return {k: v for k, v in out.items() if v}


WHOLE = DossierScope()
