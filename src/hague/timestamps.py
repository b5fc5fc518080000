"""The one timestamp format: UTC, ISO 8601 with microseconds and a ``Z`` (``2022-03-04T09:15:02.123456Z``).

Ledger entries, captures, review decisions, protected-person marks and dossiers all stamp time with
:func:`utc_now`, so any two times in a workspace compare as strings and read the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    return stamp(datetime.now(UTC))


def stamp(moment: datetime) -> str:
    """``moment`` (timezone-aware) in the one format."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
