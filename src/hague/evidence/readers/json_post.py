"""A social-media post or API record saved as JSON: the first text-like field, with date, link and author."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, BinaryIO

from hague.components import Component
from hague.evidence.budget import Budget
from hague.evidence.readers import READERS, Extracted, Reader, ReadError, extracted, read_capped
from hague.evidence.readers._decode import decode_text

_TEXT_KEYS = ("full_text", "text", "content", "body", "message", "caption", "description")
_DATE_KEYS = ("published", "created_at", "date", "timestamp", "time")


def _find_key(obj: Any, keys: tuple[str, ...], depth: int = 0) -> str | None:
    if depth > 6:
        return None
    if isinstance(obj, dict):
        for k in keys:
            v = obj.get(k)
            if isinstance(v, str) and v.strip():
                return v
        for v in obj.values():
            found = _find_key(v, keys, depth + 1)
            if found:
                return found
    elif isinstance(obj, list):
        for v in obj:
            found = _find_key(v, keys, depth + 1)
            if found:
                return found
    return None


def load_json(raw: str) -> Any:
    """``json.loads`` that refuses, rather than crashes on, nesting deeper than the parser's recursion limit."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ReadError(f"invalid JSON: {exc}") from None
    except RecursionError:
        raise ReadError("JSON nested too deeply to read (a hostile or broken file)") from None


def read(stream: BinaryIO, budget: Budget) -> Extracted:
    raw, _ = decode_text(read_capped(stream, budget, "the JSON"))
    obj = load_json(raw)
    text = _find_key(obj, _TEXT_KEYS)
    if not text:
        raise ReadError(f"JSON post has no text field (looked for {', '.join(_TEXT_KEYS)})")
    return extracted(READER, text.strip(), {
        "published": _find_key(obj, _DATE_KEYS), "url": _find_key(obj, ("url", "link", "permalink")),
        "outlet": _find_key(obj, ("screen_name", "username", "author", "user"))})


def _claims(name: str, head: bytes) -> int:
    return 2 if Path(name.lower()).suffix == ".json" else 0


READER = Component(READERS.slot, "json-post", "1", Reader(("application/json",), read, _claims),
                   "a post or API record saved as JSON: its first text field")
READERS.add(READER)
