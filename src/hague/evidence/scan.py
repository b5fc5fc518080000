"""Every object in the store listed and re-hashed in one pass, by a process of its own (``hague verify``).

On many small originals, re-hashing is mostly system calls (open, read, close), and each gives up the interpreter
lock and waits for it again: on a worker thread beside the ledger checks it took longer than on its own. Run as a
script (``python -I -S scan.py ROOT``), this module imports nothing beyond the standard library, so the process
starts in a few milliseconds and hashes on the other core while ``hague verify`` checks the database. One walk of
the folders gives both the originals' hashes and the objects no item records, which were two walks before.

Output, on stdout: for each regular file two folders below ``ROOT`` (top folders of two characters: not ``tmp``),
``top/mid/name``, its SHA-256 and its size, each field ended by a NUL (names may hold any other character).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator

CHUNK = 1 << 20


def hash_file(path: str, buffer: bytearray | None = None) -> tuple[str, int] | None:
    """(SHA-256, size) of the file's bytes, or None if there is no such file. Plain ``os.readv`` calls into
    ``buffer`` (one per thread, reused from file to file; a new one if none is given), because for small originals
    the Python file-object layer and a new bytes object per read cost more than hashing: a small file is an open,
    an ``fstat``, one read and a close. A read shorter than the buffer ends the file only when the bytes read make
    the size ``fstat`` gave (some file systems return short reads before the end); else reading goes on until
    nothing is left."""
    buffer = bytearray(CHUNK) if buffer is None else buffer
    view = memoryview(buffer)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        digest, size, stored = hashlib.sha256(), 0, os.fstat(fd).st_size
        while n := os.readv(fd, (buffer,)):
            digest.update(view[:n])
            size += n
            if size == stored and n < len(buffer):
                break
    finally:
        os.close(fd)
    return digest.hexdigest(), size


def objects(root: str) -> Iterator[tuple[str, str, str]]:
    """(top, mid, name) of every regular file two folders below ``root``, the store's layout."""
    for top in os.scandir(root):
        if len(top.name) == 2 and top.is_dir():
            for mid in os.scandir(top.path):
                if mid.is_dir():
                    for entry in os.scandir(mid.path):
                        if entry.is_file():
                            yield top.name, mid.name, entry.name


def scan(root: str) -> Iterator[str]:
    buffer = bytearray(CHUNK)
    for top, mid, name in objects(root):
        found = hash_file(f"{root}/{top}/{mid}/{name}", buffer)
        if found is not None:  # removed since it was listed: as if never there
            yield f"{top}/{mid}/{name}\0{found[0]}\0{found[1]}\0"


if __name__ == "__main__":
    sys.stdout.buffer.write("".join(scan(sys.argv[1])).encode("utf-8", "surrogateescape"))
