from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from hague.sharing.ziparchive import ArchiveError, read_member, read_members, write_zip

MEMBERS = [("bag/bagit.txt", b"BagIt-Version: 1.0\n"), ("bag/data/a.txt", b"Kharkiv, 7 March."),
           ("bag/data/b.txt", b"")]


def _zip(tmp_path: Path) -> Path:
    path = tmp_path / "p.zip"
    write_zip(path, MEMBERS)
    return path


def _check(data: bytes) -> None:
    f = io.BytesIO(data)
    for m in read_members(f):
        read_member(f, m)


def test_round_trip_is_a_standard_zip(tmp_path: Path) -> None:
    path = _zip(tmp_path)
    with path.open("rb") as f:
        got = {m.name: read_member(f, m) for m in read_members(f)}
    assert got == dict(MEMBERS)
    with zipfile.ZipFile(path) as zf:  # any unzip tool can open it
        assert zf.testzip() is None
        assert zf.read("bag/data/a.txt") == b"Kharkiv, 7 March."
    assert not list(tmp_path.glob(".*tmp")), "no temporary file left behind"


def test_every_single_byte_change_is_caught(tmp_path: Path) -> None:
    data = _zip(tmp_path).read_bytes()
    _check(data)
    for i in range(len(data)):
        for flip in (0x01, 0xFF):
            bad = bytearray(data)
            bad[i] ^= flip
            with pytest.raises(ArchiveError):
                _check(bytes(bad))


def test_error_names_the_member(tmp_path: Path) -> None:
    data = bytearray(_zip(tmp_path).read_bytes())
    i = data.index(b"Kharkiv")
    data[i] ^= 0x20
    with pytest.raises(ArchiveError) as exc:
        _check(bytes(data))
    assert exc.value.member == "bag/data/a.txt"


def test_appended_bytes_and_other_zips_are_refused(tmp_path: Path) -> None:
    data = _zip(tmp_path).read_bytes()
    with pytest.raises(ArchiveError):
        _check(data + b"\0")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bag/data/a.txt", "deflated")
    with pytest.raises(ArchiveError, match="not written by Hague"):
        _check(buf.getvalue())


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "a/../../x", "C:/x", "a\\..\\x", ""])
def test_unsafe_names_are_never_written(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        write_zip(tmp_path / "p.zip", [(name, b"x")])
    assert not (tmp_path / "p.zip").exists()
