"""JSON as people and scripts read it: indented by two spaces, non-ASCII text as itself, written item by item.

Every ``--json`` listing, export and package file is laid out as ``json.dumps(value, indent=2,
ensure_ascii=False)`` lays it out. The standard library encodes that layout only with its pure-Python encoder
(its C encoder has no indentation), which made ``hague incidents --json`` on 20,000 incidents spend 4.4 s of CPU
encoding; orjson writes the same bytes in 0.22 s (BENCHMARKS.md, "Listings as JSON"). Values the JSON types do
not cover become their ``str()``, as ``default=str`` made them; dates and dataclasses too (orjson would otherwise
write its own forms of them). Numbers from numpy are numbers (the standard library wrote numpy's integers as
strings).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
            | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)


def pretty(value: Any, *, sort_keys: bool = False) -> str:
    """``value`` laid out as ``json.dumps(value, indent=2, ensure_ascii=False, default=str)`` lays it out."""
    return orjson.dumps(value, default=str, option=_OPTIONS | (orjson.OPT_SORT_KEYS if sort_keys else 0)).decode()


def array_pieces(items: Iterable[Any], *, indent: str = "", sort_keys: bool = False) -> Iterator[str]:
    """The text of a JSON array of ``items``, one piece per item, so a listing of any length is written without
    holding it: the pieces joined are :func:`pretty` of the whole list (nested ``indent`` deeper, for an array
    inside an object), without a final newline."""
    first = True
    for item in items:
        text = pretty(item, sort_keys=sort_keys).replace("\n", "\n  " + indent)
        yield ("[\n  " if first else ",\n  ") + indent + text
        first = False
    yield "[]" if first else "\n" + indent + "]"
