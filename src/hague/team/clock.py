"""Times for sessions and tokens, in the one timestamp format (:mod:`hague.timestamps`), which sorts as text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hague.timestamps import stamp

__all__ = ["later", "now", "parse", "stamp"]


def now() -> datetime:
    return datetime.now(UTC)


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def later(seconds: float) -> str:
    return stamp(now() + timedelta(seconds=seconds))
