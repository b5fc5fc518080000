"""The persistent reuse fingerprint index: which documents hold each word n-gram fingerprint.

Reuse detection asks, for every fingerprint of a new document, which earlier documents hold it
(:mod:`hague.corroboration.fingerprints`). Re-fingerprinting the whole workspace for every upload would make
adding ten documents cost as much as the workspace; this index keeps the answer between runs, so an
analysis fingerprints only the documents it has not seen.

It is a log-structured set of immutable files beside the database (``HOME/index/reuse/``): each file is
one sorted ``uint64`` array of postings, a fingerprint's top 40 bits above a document id's 24 bits, looked
up by binary search in memory-mapped arrays. A run writes its new documents' postings as a new file and
merges files of similar size (so there are O(log N) of them and each posting is rewritten O(log N) times).
The database is the manifest: a file counts only once its ``reuse_segments`` row is committed, in the same
transaction that marks its documents ``fingerprinted``, so a crash leaves at worst an unlisted file, which
the next run removes. Files are written to a temporary name, fsynced and renamed. Only the holder of the
analysis lock (:mod:`hague.analysis.lock`) writes here.

Numpy arrays in files rather than a database table: 100,000 news documents hold ~60 million postings, 8
bytes each here against ~40-60 bytes per row (and its index) in SQLite or PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hague.corroboration.fingerprints import Fingerprints
from hague.corroboration.reuse import ReuseParams
from hague.model import Document, ReuseSegment
from hague.timestamps import utc_now

DOC_BITS = 24
_DOC_MASK = np.uint64((1 << DOC_BITS) - 1)
MAX_DOCUMENT_ID = (1 << DOC_BITS) - 1


def params_key(params: ReuseParams) -> str:
    """What the postings depend on: a change here makes every file stale (the index is rebuilt)."""
    return f"v1 ngram={params.ngram} sample={params.sample} min_words={params.min_words}"


def postings(prints: list[Fingerprints], doc_ids: list[int]) -> np.ndarray:
    """Sorted distinct postings of documents ``doc_ids`` from their fingerprints."""
    if doc_ids and max(doc_ids) > MAX_DOCUMENT_ID:
        raise ValueError(f"the reuse index holds document ids up to {MAX_DOCUMENT_ID}")
    parts = [np.unique(p.hashes) | np.uint64(d) for p, d in zip(prints, doc_ids, strict=True)]
    out = np.concatenate(parts) if parts else np.empty(0, np.uint64)
    out.sort()
    return out


@dataclass
class Lookup:
    """Holders of a set of fingerprints: ``df[i]`` documents hold ``hashes[i]``; for the fingerprints held
    by at most ``max_df`` documents, ``hash_index``/``doc`` list every (fingerprint, holder) pair."""

    hashes: np.ndarray
    df: np.ndarray
    hash_index: np.ndarray
    doc: np.ndarray


class ReuseIndex:
    """The index files listed in the database, plus any postings of this run not yet written."""

    def __init__(self, where: Path, names: list[str]) -> None:
        self.arrays: list[np.ndarray] = [np.load(where / f"{n}.npy", mmap_mode="r") for n in names]

    @classmethod
    def open(cls, session: Session, home: Path, params: ReuseParams) -> ReuseIndex:
        rows = session.execute(select(ReuseSegment.name, ReuseSegment.params).order_by(ReuseSegment.created_at,
                                                                                       ReuseSegment.name))
        return cls(folder(home), [n for n, p in rows if p == params_key(params)])

    def include(self, pending: np.ndarray) -> None:
        """Count postings not yet written (this run's new documents) in every lookup from now on."""
        if len(pending):
            self.arrays.append(pending)

    @property
    def size(self) -> int:
        return int(sum(len(a) for a in self.arrays))

    def lookup(self, hashes: np.ndarray, max_df: int) -> Lookup:
        """Every holder of each of ``hashes`` (distinct, sorted fingerprints) held by at most ``max_df``
        documents, and how many documents hold each."""
        hashes = np.asarray(hashes, dtype=np.uint64)
        ranges = []
        df = np.zeros(len(hashes), dtype=np.int64)
        for arr in self.arrays:
            lo = np.searchsorted(arr, hashes, side="left")
            hi = np.searchsorted(arr, hashes | _DOC_MASK, side="right")
            df += hi - lo
            ranges.append((arr, lo, hi))
        wanted = df <= max_df
        idx_parts, doc_parts = [], []
        for arr, lo, hi in ranges:
            n = np.where(wanted, hi - lo, 0)
            if not n.sum():
                continue
            which = np.repeat(np.arange(len(hashes)), n)
            offset = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
            idx_parts.append(which)
            doc_parts.append((np.asarray(arr[lo[which] + offset]) & _DOC_MASK).astype(np.int64))
        empty = np.empty(0, np.int64)
        return Lookup(hashes, df, np.concatenate(idx_parts) if idx_parts else empty,
                      np.concatenate(doc_parts) if doc_parts else empty)


def folder(home: Path) -> Path:
    return home / "index" / "reuse"


def _write(home: Path, data: np.ndarray) -> str:
    """Write an array as a new file (temporary name, fsync, rename); its name is its content's hash."""
    return _write_parts(home, len(data), [data])


def _write_parts(home: Path, n: int, parts: Iterable[np.ndarray]) -> str:
    """Write ``n`` postings, given as consecutive ``parts``, as one array file (temporary name, fsync, rename)
    named by its content's hash; only one part at a time is held."""
    where = folder(home)
    where.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    handle, tmp_name = tempfile.mkstemp(".tmp", ".", where)  # named once written: the name is the content's hash
    tmp = Path(tmp_name)
    with os.fdopen(handle, "wb") as f:
        np.lib.format.write_array_header_1_0(f, {"descr": np.dtype(np.uint64).str, "fortran_order": False,
                                                  "shape": (n,)})
        written = 0
        for part in parts:
            data = np.ascontiguousarray(part, dtype=np.uint64)
            digest.update(data)
            f.write(data)
            written += len(data)
        if written != n:
            raise ValueError(f"{written} postings written where {n} were announced")
        f.flush()
        os.fsync(f.fileno())
    name = digest.hexdigest()[:32]
    os.replace(tmp, where / f"{name}.npy")
    return name


MERGE_PART = 1 << 22  # postings read from each file at a time by a merge (32 MB)


def _read_part(f: BinaryIO, start: int, offset: int, count: int) -> np.ndarray:
    f.seek(offset + 8 * start)
    return np.fromfile(f, dtype=np.uint64, count=count)


def _merged(a: Path, b: Path) -> tuple[int, Iterator[np.ndarray]]:
    """The postings of two sorted array files, merged in order, a part at a time.

    Written by hand because numpy merges sorted arrays only in memory: at 100,000 documents the last merge
    makes one file of about 60 million postings, and reading both halves, merging them and hashing a copy (the
    first way) was the add's peak, 2.2 GB sampled against 1.1 GB before and after. Each step reads at most
    ``MERGE_PART`` postings of each file, from the current position up to the smaller of the two parts' last
    values, so everything a step yields is below what either file has left.
    """
    files = [a.open("rb"), b.open("rb")]
    sizes, offsets = [], []
    for f in files:
        version = np.lib.format.read_magic(f)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
            np.lib.format.read_array_header_2_0
        (size,), _, dtype = read_header(f)
        if dtype != np.uint64:
            raise ValueError(f"{f.name}: postings of type {dtype}, not uint64")
        sizes.append(size)
        offsets.append(f.tell())

    def parts() -> Iterator[np.ndarray]:
        at = [0, 0]
        try:
            while at[0] < sizes[0] or at[1] < sizes[1]:
                heads = [_read_part(f, at[k], offsets[k], min(MERGE_PART, sizes[k] - at[k]))
                         for k, f in enumerate(files)]
                # Both runs are complete up to the smaller last value of a part that does not end its file.
                bound = min((h[-1] for k, h in enumerate(heads) if at[k] + len(h) < sizes[k]), default=None)
                taken = [h if bound is None else h[:np.searchsorted(h, bound, side="right")] for h in heads]
                for k, t in enumerate(taken):
                    at[k] += len(t)
                out = np.concatenate(taken)
                out.sort(kind="stable")  # two sorted runs: one linear merge
                yield out
        finally:
            for f in files:
                f.close()

    return sizes[0] + sizes[1], parts()


def add(session: Session, home: Path, params: ReuseParams, data: np.ndarray, doc_ids: list[int]) -> None:
    """Record ``data`` (postings of ``doc_ids``) as a new file; call inside the transaction that stores what
    was found with them, so documents are marked fingerprinted exactly when their postings are listed."""
    if len(data):
        name = _write(home, data)
        session.merge(ReuseSegment(name=name, postings=len(data), params=params_key(params),
                                   created_at=utc_now()))
    for i in range(0, len(doc_ids), 1000):
        session.execute(update(Document).where(Document.id.in_(doc_ids[i:i + 1000])).values(fingerprinted=True))


def compact(ws_sessions, home: Path, params: ReuseParams) -> None:  # type: ignore[no-untyped-def]
    """Merge the newest files while the newest is at least half the size of the one before (a binary
    counter: O(log N) files), then remove files the database does not list. Holder of the analysis lock only."""
    while True:
        with ws_sessions() as s:
            rows = list(s.execute(select(ReuseSegment.name, ReuseSegment.postings)
                                  .where(ReuseSegment.params == params_key(params))
                                  .order_by(ReuseSegment.created_at, ReuseSegment.name)))
        if len(rows) < 2 or rows[-1].postings * 2 < rows[-2].postings:
            break
        (a, _), (b, _) = rows[-2], rows[-1]
        where = folder(home)
        n, parts = _merged(where / f"{a}.npy", where / f"{b}.npy")
        name = _write_parts(home, n, parts)
        with ws_sessions() as s, s.begin():
            created = s.get(ReuseSegment, b).created_at
            s.query(ReuseSegment).filter(ReuseSegment.name.in_([a, b])).delete(synchronize_session=False)
            s.merge(ReuseSegment(name=name, postings=n, params=params_key(params), created_at=created))
    _collect(ws_sessions, home)


def _collect(ws_sessions, home: Path) -> None:  # type: ignore[no-untyped-def]
    where = folder(home)
    if not where.is_dir():
        return
    with ws_sessions() as s:
        listed = set(s.scalars(select(ReuseSegment.name)))
    for path in where.iterdir():
        if path.suffix == ".npy" and path.stem not in listed or path.suffix == ".tmp":
            path.unlink(missing_ok=True)


def reset(session: Session) -> None:
    """Forget the index (``analyze --all`` rebuilds it); the files go at the next :func:`compact`."""
    session.query(ReuseSegment).delete(synchronize_session=False)
    session.execute(update(Document).values(fingerprinted=False))
