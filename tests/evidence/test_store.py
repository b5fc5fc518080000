"""The object store's staging: bytes hashed and written whole, temporary names never reused."""

from __future__ import annotations

import hashlib
import itertools
import os
from pathlib import Path

import pytest

from hague.evidence import store
from hague.evidence.scan import CHUNK
from hague.evidence.store import ObjectStore, TooLarge


@pytest.mark.parametrize("size", [0, 5_000, CHUNK, CHUNK + 1, 3 * CHUNK + 7])
def test_a_staged_file_holds_the_same_bytes_and_a_small_one_is_handed_back(tmp_path: Path, size: int) -> None:
    source = tmp_path / "in.bin"
    source.write_bytes(os.urandom(size))
    objects = ObjectStore(tmp_path / "objects")
    staged, data = objects.stage_file(source, limit=1 << 30)
    assert staged.path.read_bytes() == source.read_bytes()
    assert (staged.sha256, staged.size) == (hashlib.sha256(source.read_bytes()).hexdigest(), size)
    assert data == (source.read_bytes() if size <= CHUNK else None)
    assert objects.commit(staged)
    assert objects.path_for(staged.sha256).read_bytes() == source.read_bytes()
    assert not list(objects.tmp.iterdir())


def test_a_descriptor_is_staged_and_closed(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(b"Shelling was reported near the bridge.")
    fd = os.open(source, os.O_RDONLY)
    staged, data = ObjectStore(tmp_path / "objects").stage_file(fd, limit=100)
    assert data == source.read_bytes() == staged.path.read_bytes()
    with pytest.raises(OSError):
        os.fstat(fd)


def test_a_file_over_the_limit_leaves_no_temporary_file(tmp_path: Path) -> None:
    source = tmp_path / "in.bin"
    source.write_bytes(b"x" * (CHUNK + 10))
    objects = ObjectStore(tmp_path / "objects")
    for limit in (10, CHUNK + 9):
        with pytest.raises(TooLarge):
            objects.stage_file(source, limit=limit)
    assert not list(objects.tmp.iterdir())


def test_a_temporary_name_left_by_an_earlier_process_of_the_same_pid_is_not_reused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    objects = ObjectStore(tmp_path / "objects")
    objects.ensure()
    monkeypatch.setattr(store, "_numbers", itertools.count())
    left = [objects.tmp / f"{os.getpid()}-{n}" for n in range(2)]
    for p in left:
        p.write_bytes(b"left behind")
    staged = objects.stage([b"new bytes"], limit=100)
    assert staged.path.name == f"{os.getpid()}-2"
    assert [p.read_bytes() for p in left] == [b"left behind"] * 2
    assert staged.path.read_bytes() == b"new bytes"
