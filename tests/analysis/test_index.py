"""The persistent reuse index: files merged as a binary counter, each named by its content."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from tests.conftest import workspace_at

from hague.analysis import index
from hague.corroboration.reuse import ReuseParams


def test_files_of_like_size_merge_into_one_sorted_file_named_by_its_content(home: Path, monkeypatch) -> None:
    monkeypatch.setattr(index, "MERGE_PART", 7)  # many steps, each bounded by either file
    ws = workspace_at(home)
    params = ReuseParams()
    rng = np.random.default_rng(1)
    parts = [np.sort(rng.integers(0, 3_000, n, dtype=np.uint64)) for n in (5_000, 4_000)]  # with repeats
    for part in parts:
        with ws.write() as s:
            index.add(s, home, params, part, [])
    assert len(list(index.folder(home).glob("*.npy"))) == 2
    index.compact(ws.sessions, home, params)
    (only,) = index.folder(home).glob("*.npy")
    merged = np.load(only)
    assert np.array_equal(merged, np.sort(np.concatenate(parts)))
    assert only.stem == hashlib.sha256(merged.tobytes()).hexdigest()[:32]
    with ws.read() as s:
        assert index.ReuseIndex.open(s, home, params).size == 9_000
    ws.engine.dispose()
