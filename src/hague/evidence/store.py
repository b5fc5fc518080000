"""Content-addressed object store for originals.

Bytes are streamed into a temporary file (hashed and size-checked on the way),
fsynced, then renamed into ``objects/ab/cd/<sha256>``: a crash leaves either no
object or a whole one, never a partial one. Stored objects are made read-only; the
program never rewrites or deletes an original.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
import subprocess
import sys
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from hague.evidence import scan
from hague.evidence.scan import CHUNK


class TooLarge(Exception):
    """The input is over the configured size limit (found while streaming)."""


@dataclass(frozen=True)
class Staged:
    """Bytes written to a temporary file and hashed, not yet in the store."""

    path: Path
    sha256: str
    size: int


class ObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"

    def ensure(self) -> None:
        self.tmp.mkdir(parents=True, exist_ok=True)

    def _create_tmp(self) -> tuple[int, str]:
        """A new temporary file, open for writing, named ``<pid>-<n>`` (how :meth:`sweep_stale_tmp` knows whose it
        is). A counter, not ``tempfile``'s random names, which cost more than the rest of staging a small file."""
        while True:
            name = f"{self.tmp}{os.sep}{os.getpid()}-{next(_numbers)}"
            try:
                return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600), name
            except FileExistsError:  # left by an earlier process that had the same pid
                continue
            except FileNotFoundError:
                self.ensure()

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def stage(self, chunks: Iterable[bytes], limit: int) -> Staged:
        """Stream ``chunks`` into a temporary file; raises :class:`TooLarge` past ``limit`` bytes."""
        fd, name = self._create_tmp()
        digest = hashlib.sha256()
        size = 0
        try:
            try:
                for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge(f"larger than the limit of {limit:,} bytes")
                    digest.update(chunk)
                    _write_all(fd, chunk)
                os.fsync(fd)
            finally:
                os.close(fd)
        except BaseException:
            os.unlink(name)
            raise
        return Staged(Path(name), digest.hexdigest(), size)

    def stage_file(self, source: Path | int, limit: int) -> tuple[Staged, bytes | None]:
        """Stage a file (a path, or a descriptor open for reading, which is closed); with the staged bytes
        themselves when they fit in one chunk, so the caller reads a small original from memory instead of
        opening its staged copy again (they are the bytes just hashed and written)."""
        with open(source, "rb", buffering=0) as f:
            first = f.read(CHUNK + 1)
            if len(first) <= CHUNK:
                return self.stage([first] if first else [], limit), first
            return self.stage(itertools.chain([first], read_chunks(f)), limit), None

    def commit(self, staged: Staged) -> bool:
        """Move a staged file into place; False if the object was already there (same bytes)."""
        final = str(self.path_for(staged.sha256))
        if os.path.exists(final):
            staged.path.unlink(missing_ok=True)
            return False
        os.chmod(staged.path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        folder = os.path.dirname(final)
        try:
            os.replace(staged.path, final)
        except FileNotFoundError:  # the object's folder is new
            os.makedirs(folder, exist_ok=True)
            os.replace(staged.path, final)
        _fsync_dir(folder)
        return True

    def discard(self, staged: Staged) -> None:
        staged.path.unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        return self.path_for(sha256).open("rb")

    def rehash(self, sha256: str) -> str:
        with self.open(sha256) as f:
            digest = hashlib.sha256()
            for chunk in read_chunks(f):
                digest.update(chunk)
        return digest.hexdigest()

    def rehash_many(self, shas: list[str]) -> list[tuple[str, str | None, int]]:
        """(sha256, what the stored bytes hash to or None if missing, size) for each."""
        out: list[tuple[str, str | None, int]] = []
        buffer = bytearray(CHUNK)  # this call's own: it runs on a worker thread beside others
        for sha in shas:
            found = scan.hash_file(str(self.path_for(sha)), buffer)
            out.append((sha, None, 0) if found is None else (sha, *found))
        return out

    def rescan(self) -> Rescan:
        """Every stored object listed and re-hashed by another process, started now (:mod:`.scan`)."""
        return Rescan(self.root)

    def sweep_stale_tmp(self) -> int:
        """Remove temporary files left by processes that died (their pid is no longer alive)."""
        removed = 0
        if not self.tmp.exists():
            return 0
        for p in self.tmp.iterdir():
            pid = p.name.split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                p.unlink(missing_ok=True)
                removed += 1
        return removed


def sha256_text(text: str) -> str:
    """SHA-256 of a text as UTF-8: how extracted texts are recorded in the ledger and checked."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_chunks(f: BinaryIO) -> Iterator[bytes]:
    while chunk := f.read(CHUNK):
        yield chunk


_numbers = itertools.count()  # of this process's temporary files


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(path: Path | str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Rescan:
    """A re-hash of the whole store running in a child process (:mod:`hague.evidence.scan`): it hashes on another
    core, without the interpreter lock the parent's checks hold, and lists the objects no item records in the
    same walk."""

    def __init__(self, root: Path) -> None:
        self._proc = subprocess.Popen([sys.executable, "-I", "-S", scan.__file__, str(root)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def __enter__(self) -> Rescan:
        return self

    def __exit__(self, *exc: object) -> None:
        """Stops the child if its result was not taken (the check ended early)."""
        if self._proc.poll() is None:
            self._proc.kill()
        for pipe in (self._proc.stdout, self._proc.stderr):
            if pipe is not None:
                pipe.close()
        self._proc.wait()

    def result(self, items: Container[str]) -> tuple[dict[str, tuple[str, int]], int]:
        """(what each object in its place hashes to and its size, by SHA-256; how many stored objects, wherever
        they lie, have a name ``items`` does not hold)."""
        out, err = self._proc.communicate()
        if self._proc.returncode:
            reason = (err.decode(errors="replace").strip().splitlines() or ["no reason given"])[-1]
            raise OSError(f"re-hashing the object store failed: {reason}")
        fields = out.decode("utf-8", "surrogateescape").split("\0")
        found: dict[str, tuple[str, int]] = {}
        strays = 0
        for i in range(0, len(fields) - 1, 3):
            top, mid, name = fields[i].split("/")
            if name not in items:
                strays += 1
            elif top == name[:2] and mid == name[2:4]:
                found[name] = (fields[i + 1], int(fields[i + 2]))
        return found, strays
