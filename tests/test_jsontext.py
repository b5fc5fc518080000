"""The indented JSON of listings, exports and packages is byte for byte what ``json.dumps(indent=2)`` writes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from hague.jsontext import array_pieces, pretty


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


SAMPLE = [
    {"id": "air-strike-2022", "fields": {"place": {"value": "Харків", "span": [3, 9], "score": 0.30000000000000004}},
     "members": [["d1", 0], ["d2", 1]], "empty": {}, "none": [], "flag": False, "note": None, 7: "int key"},
    {"when": datetime(2022, 3, 1, 8, 30, tzinfo=UTC), "span": _Span(1, 4), "quote": "\u201cno\u201d \\ \"yes\"\n",
     "similarity": np.float64(0.75)},
]


def test_pretty_is_the_standard_librarys_indented_layout() -> None:
    for value in (SAMPLE, SAMPLE[0], [], {}, "text", 1.5):
        assert pretty(value) == json.dumps(value, indent=2, ensure_ascii=False, default=str)
    assert pretty(SAMPLE, sort_keys=True) == json.dumps(
        json.loads(json.dumps(SAMPLE, default=str)), indent=2, ensure_ascii=False, sort_keys=True)


def test_numpy_integers_are_numbers() -> None:
    assert json.loads(pretty({"count": np.int64(3)})) == {"count": 3}  # the standard library wrote "3"


def test_array_pieces_join_to_the_whole_list_at_any_depth() -> None:
    assert "".join(array_pieces(iter(SAMPLE))) == pretty(SAMPLE)
    assert "".join(array_pieces(iter([]))) == "[]"
    inside = "".join(array_pieces(iter(SAMPLE), indent="  "))
    assert '{\n  "features": ' + inside + "\n}" == pretty({"features": SAMPLE})
