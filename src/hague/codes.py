"""The closed code lists of docs/gold-format.md (events, targets and their groups, weapons, stances, statuses).

They live in ``data/codes.yaml`` so extractors, the scorer and review screens share one list.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hague.datafiles import load_yaml


@cache
def codes() -> dict[str, Any]:
    """The parsed code table (cached: it is read-only data)."""
    return load_yaml("hague", "data/codes.yaml")


@cache
def target_group_of() -> dict[str, str]:
    """Fine target code -> its group (``hospital`` -> ``medical``)."""
    return {code: group for group, members in codes()["target_groups"].items() for code in members}


def target_groups(targets: list[str]) -> set[str]:
    """The groups of ``targets``; an unknown code stands for itself, so it can only match itself."""
    table = target_group_of()
    return {table.get(t, t) for t in targets}
