"""Which member names an archive may hold: nothing that could land outside the folder it is unpacked in."""

from __future__ import annotations

import re

_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafeName(ValueError):
    """A member name that could escape the destination or confuse a file system."""


def check_member_name(name: str) -> None:
    """Refuse absolute paths, drive letters, backslashes, ``..`` and empty segments, control characters."""
    if not name:
        raise UnsafeName("empty member name")
    if name.startswith("/"):
        raise UnsafeName("absolute path")
    if _DRIVE.match(name):
        raise UnsafeName("absolute path (drive letter)")
    if "\\" in name:
        raise UnsafeName("backslash in a member name (a Windows path could escape the folder)")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise UnsafeName("control character in a member name")
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        raise UnsafeName("path traversal ('..')")
    if any(p in ("", ".") for p in parts):
        raise UnsafeName("empty or '.' path segment")
