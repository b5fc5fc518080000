"""One exact zip layout for packages, written and read back strictly.

A package zip is canonical: members stored (not compressed), UTF-8 names, a fixed
timestamp and permissions, no extra fields, no comments, no gaps. Every byte of the file
is then either a fixed constant, a name, a size or offset repeated in two places, a CRC,
or member data covered by its CRC and the bag's SHA-256 manifests, so changing any byte
is found by :func:`read_members` or by the manifests, and named. Storing rather than
deflating also means a reader never inflates anything, which makes zip bombs moot, and
the layout does not depend on the zlib version a recipient happens to have.
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from hague.sharing.names import UnsafeName, check_member_name

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = 0x04034B50, 0x02014B50, 0x06054B50
_VERSION = 20
_MADE_BY = (3 << 8) | _VERSION  # Unix, so the permission bits below mean what they say
_UTF8 = 0x0800
_TIME, _DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00, the zip epoch: dates live in bag-info.txt
_FILE_ATTR = (0o100644 << 16)
_LIMIT = 0xFFFFFFFF
_CHUNK = 1 << 20


class ArchiveError(Exception):
    """The zip is not a well-formed package archive; ``member`` names the file concerned, when known."""

    def __init__(self, member: str | None, message: str) -> None:
        super().__init__(f"{member}: {message}" if member else message)
        self.member = member


Source = bytes | Path


@dataclass(frozen=True)
class Member:
    """Where one stored member's bytes sit in the archive."""

    name: str
    offset: int  # of the data
    size: int
    crc: int


def write_zip(path: Path, members: Iterable[tuple[str, Source]]) -> None:
    """Write the canonical zip to a temporary file beside ``path``, fsync, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            write_zip_to(out, members)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_zip_to(out: BinaryIO, members: Iterable[tuple[str, Source]]) -> None:
    central: list[bytes] = []
    offset = 0
    for name, source in members:
        check_member_name(name)
        raw = name.encode("utf-8")
        crc, size = _crc_and_size(source)
        if size >= _LIMIT or offset >= _LIMIT:
            raise ArchiveError(name, "too large for a package (4 GiB per package); split it by incident")
        header = _LOCAL.pack(_LOCAL_SIG, _VERSION, _UTF8, 0, _TIME, _DATE, crc, size, size, len(raw), 0) + raw
        out.write(header)
        for chunk in _chunks(source):
            out.write(chunk)
        central.append(_CENTRAL.pack(_CENTRAL_SIG, _MADE_BY, _VERSION, _UTF8, 0, _TIME, _DATE, crc, size, size,
                                     len(raw), 0, 0, 0, 0, _FILE_ATTR, offset) + raw)
        offset += len(header) + size
    if len(central) >= 0xFFFF or offset >= _LIMIT:
        raise ArchiveError(None, "too many files for a package (65,534); split it by incident")
    directory = b"".join(central)
    out.write(directory)
    out.write(_END.pack(_END_SIG, 0, 0, len(central), len(central), len(directory), offset, 0))


def _chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, bytes):
        yield source
        return
    with source.open("rb") as f:
        while chunk := f.read(_CHUNK):
            yield chunk


def _crc_and_size(source: Source) -> tuple[int, int]:
    crc, size = 0, 0
    for chunk in _chunks(source):
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
    return crc, size


def read_members(f: BinaryIO) -> list[Member]:
    """Parse and check the whole layout; raises :class:`ArchiveError` naming the first member that is off.

    Member data is not read here (see :func:`member_chunks`); its CRC is checked as it is read.
    """
    f.seek(0, os.SEEK_END)
    total = f.seek(0, os.SEEK_END)
    if total < _END.size:
        raise ArchiveError(None, "not a package zip: too short")
    f.seek(total - _END.size)
    sig, disk, cd_disk, n_disk, n, cd_size, cd_offset, comment = _END.unpack(f.read(_END.size))
    if sig != _END_SIG or disk or cd_disk or n_disk != n or comment:
        raise ArchiveError(None, "not a package zip, or its end-of-archive record was altered "
                                 "(or bytes were appended)")
    if cd_offset + cd_size != total - _END.size:
        raise ArchiveError(None, "end-of-archive record altered: the central directory is not where it says")
    f.seek(cd_offset)
    directory = f.read(cd_size)
    entries: list[tuple[str, int, int, int]] = []  # name, crc, size, header offset
    seen: set[str] = set()
    pos = 0
    for i in range(n):
        label = entries[-1][0] + " (next entry)" if entries else f"central directory entry {i + 1}"
        if pos + _CENTRAL.size > len(directory):
            raise ArchiveError(label, "central directory truncated or altered")
        (sig, made_by, version, flags, method, time, date, crc, csize, size, name_len, extra_len, comment_len,
         disk_start, internal, external, offset) = _CENTRAL.unpack_from(directory, pos)
        raw = directory[pos + _CENTRAL.size: pos + _CENTRAL.size + name_len]
        name = _decode(raw, label)
        pos += _CENTRAL.size + name_len
        fixed = (sig, made_by, version, flags, method, time, date, extra_len, comment_len, disk_start, internal,
                 external)
        if fixed != (_CENTRAL_SIG, _MADE_BY, _VERSION, _UTF8, 0, _TIME, _DATE, 0, 0, 0, 0, _FILE_ATTR):
            raise ArchiveError(name, "central directory entry altered (or not written by Hague: packages are "
                                     "stored uncompressed with fixed attributes)")
        if csize != size:
            raise ArchiveError(name, "central directory entry altered: compressed and stored sizes differ")
        _check_name(name)
        if name in seen:
            raise ArchiveError(name, "duplicate member name")
        seen.add(name)
        entries.append((name, crc, size, offset))
    if pos != len(directory):
        raise ArchiveError(None, "central directory altered: it holds bytes beyond its entries")
    members = []
    expected = 0
    for name, crc, size, offset in entries:
        if offset != expected:
            raise ArchiveError(name, "local header is not where the central directory says (altered offset)")
        f.seek(offset)
        head = f.read(_LOCAL.size)
        if len(head) < _LOCAL.size:
            raise ArchiveError(name, "truncated")
        sig, version, flags, method, time, date, l_crc, l_csize, l_size, name_len, extra_len = _LOCAL.unpack(head)
        l_name = f.read(name_len)
        if (sig, version, flags, method, time, date, extra_len) != (_LOCAL_SIG, _VERSION, _UTF8, 0, _TIME, _DATE, 0):
            raise ArchiveError(name, "local header altered")
        if l_name != name.encode("utf-8"):
            raise ArchiveError(name, f"local header names {l_name.decode('utf-8', 'replace')!r}: altered")
        if (l_crc, l_csize, l_size) != (crc, size, size):
            raise ArchiveError(name, "local header and central directory disagree on CRC or size: altered")
        data = offset + _LOCAL.size + name_len
        members.append(Member(name, data, size, crc))
        expected = data + size
    if expected != cd_offset:
        raise ArchiveError(entries[-1][0] if entries else None,
                           "bytes between the last member and the central directory: altered")
    return members


def member_chunks(f: BinaryIO, member: Member) -> Iterator[bytes]:
    """The member's bytes in chunks; raises :class:`ArchiveError` at the end if they fail their CRC."""
    f.seek(member.offset)
    left, crc = member.size, 0
    while left:
        chunk = f.read(min(_CHUNK, left))
        if not chunk:
            raise ArchiveError(member.name, "truncated")
        crc = zlib.crc32(chunk, crc)
        left -= len(chunk)
        yield chunk
    if crc != member.crc:
        raise ArchiveError(member.name, "bytes altered (CRC-32 mismatch)")


def read_member(f: BinaryIO, member: Member) -> bytes:
    return b"".join(member_chunks(f, member))


def _decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ArchiveError(label, "member name is not UTF-8 (altered)") from None


def _check_name(name: str) -> None:
    try:
        check_member_name(name)
    except UnsafeName as exc:
        raise ArchiveError(name, str(exc)) from None
