"""The store's re-hash: every size read whole, one buffer reused from file to file."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from hague.evidence.scan import CHUNK, hash_file


def test_files_of_every_size_hash_whole_through_one_buffer(tmp_path: Path) -> None:
    buffer = bytearray(CHUNK)
    # a large file first, so a smaller one after it would show any of its bytes left in the buffer
    for size in (3 * CHUNK + 7, CHUNK + 1, CHUNK, CHUNK - 1, 5_000, 1, 0):
        path = tmp_path / f"{size}.bin"
        data = os.urandom(size)
        path.write_bytes(data)
        assert hash_file(str(path), buffer) == (hashlib.sha256(data).hexdigest(), size)
        assert hash_file(str(path)) == (hashlib.sha256(data).hexdigest(), size)


def test_a_missing_file_is_none(tmp_path: Path) -> None:
    assert hash_file(str(tmp_path / "gone")) is None
