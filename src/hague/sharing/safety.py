"""Refuse hostile archives before reading a byte of their contents.

Looks only at the central directory: names that would escape the destination, symbolic
links, duplicate names (including ones that differ only in case, which collide on many file
systems), encrypted members, and sizes or compression ratios that betray a zip bomb.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hague.datafiles import load_yaml
from hague.sharing.names import UnsafeName, check_member_name


class ArchiveRefused(Exception):
    """A hostile or unusable archive; ``member`` names the offending member when there is one."""

    def __init__(self, member: str | None, message: str) -> None:
        super().__init__(f"{member}: {message}" if member else message)
        self.member = member


@dataclass(frozen=True)
class Limits:
    max_members: int
    max_total_bytes: int
    max_ratio: float
    ratio_from_bytes: int
    max_member_bytes: int


@cache
def _limits_table() -> dict[str, dict[str, Any]]:
    return load_yaml("hague.sharing", "data/limits.yaml")


def limits(max_member_bytes: int) -> Limits:
    t = _limits_table()
    value = {k: v["value"] for k, v in t.items()}
    return Limits(int(value["max_members"]), int(value["max_total_bytes"]), float(value["max_ratio"]),
                  int(value["ratio_from_bytes"]), max_member_bytes)


def check_archive(path: Path, lim: Limits) -> None:
    """Raise :class:`ArchiveRefused` for the first hostile trait found in ``path``'s directory."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveRefused(None, f"{path.name} is not a readable zip archive ({exc})") from None
    if len(infos) > lim.max_members:
        raise ArchiveRefused(None, f"{len(infos):,} members, more than the limit of {lim.max_members:,}")
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.filename
        try:
            check_member_name(name)
        except UnsafeName as exc:
            raise ArchiveRefused(name, str(exc)) from None
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveRefused(name, "symbolic link (could point outside the destination)")
        folded = name.rstrip("/").casefold()
        if folded in seen:
            same = "duplicate member name" if seen[folded] == name else f"name collides with {seen[folded]!r}"
            raise ArchiveRefused(name, same)
        seen[folded] = name
        if info.flag_bits & 0x1:
            raise ArchiveRefused(name, "encrypted member")
        if info.file_size > lim.max_member_bytes:
            raise ArchiveRefused(name, f"unpacks to {info.file_size:,} bytes, over the limit of "
                                       f"{lim.max_member_bytes:,} (zip bomb?)")
        total += info.file_size
        if total > lim.max_total_bytes:
            raise ArchiveRefused(name, f"the archive unpacks to more than {lim.max_total_bytes:,} bytes (zip bomb?)")
        if info.file_size > lim.ratio_from_bytes and info.file_size > lim.max_ratio * max(info.compress_size, 1):
            raise ArchiveRefused(name, f"compression ratio {info.file_size / max(info.compress_size, 1):,.0f}:1 is "
                                       f"over the limit of {lim.max_ratio:,.0f}:1 (zip bomb)")
