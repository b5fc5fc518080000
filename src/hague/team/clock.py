"""Timestamps as the ledger writes them (UTC ISO-8601 with ``Z``), which sort as text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def now() -> datetime:
    return datetime.now(UTC)


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def later(seconds: float) -> str:
    return stamp(now() + timedelta(seconds=seconds))
