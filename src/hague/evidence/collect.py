"""``hague add``: turn files, folders and URLs into preserved items with readable documents.

Each input goes: stage (stream to a temp file, hash, size check) -> skip if the bytes
are already held -> read into text -> move the original into the store -> record item,
document and a ``capture`` ledger entry in one transaction (batched for speed). A bad
input fails alone with a reason, whatever it raises; nothing of it is left behind. An
original that would cost more than its budget to read is preserved without a document
and reported. Nothing inside the workspace itself is ever taken as evidence, and a full
disk stops the run cleanly, keeping every input recorded before it.
"""

from __future__ import annotations

import errno
import functools
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from hague import __version__
from hague.evidence import ledger, readers
from hague.evidence.attest import capture_details
from hague.evidence.budget import Budget, OverBudget
from hague.evidence.capture import CaptureError, FetchLimits, capture_url
from hague.evidence.readers.json_post import load_json
from hague.evidence.store import Staged, TooLarge, sha256_text
from hague.model import Document, Item, Source
from hague.timestamps import utc_now
from hague.vocab import AddStatus

if TYPE_CHECKING:  # the workspace is built on this package; collect only uses what it is given
    from hague.workspace import Workspace

BATCH = 200
STAGING_THREADS = 16
_SAME_BYTES = "these exact bytes are already preserved (one item)"
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # no room: the disk, a quota, a file-size limit
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass
class Metadata:
    """What is known about an original besides its bytes (sidecar fields of GOLD.md docs/*.json)."""

    id: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    kind: str | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def over(self, lower: Metadata) -> Metadata:
        """These values where set, else ``lower``'s."""
        merged = {f.name: getattr(self, f.name) if getattr(self, f.name) is not None else getattr(lower, f.name)
                  for f in fields(self) if f.name != "extra"}
        return Metadata(**merged, extra={**lower.extra, **self.extra})


def parse_sidecar(path: Path) -> Metadata:
    try:
        data = load_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, readers.ReadError) as exc:
        raise readers.ReadError(f"sidecar {path.name} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise readers.ReadError(f"sidecar {path.name} is not a JSON object")
    known = {f.name for f in fields(Metadata)} - {"extra"}
    meta = Metadata(**{k: (str(v) if v is not None else None) for k, v in data.items() if k in known})
    meta.extra = {k: v for k, v in data.items() if k not in known}
    return meta


def normalise_date(value: str | None) -> str | None:
    if not value:
        return None
    m = _DATE.match(value.strip())
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


_NOT_EVIDENCE = "the workspace (HAGUE_HOME: its keys, database, objects) is not evidence and is never added"


@dataclass(frozen=True)
class Input:
    label: str  # what the user named, for messages
    path: Path | None = None
    url: str | None = None
    sidecar: Path | None = None
    problem: str | None = None
    origin: str | None = None  # where the bytes came from when ``path`` is only a temporary copy (an upload)


@dataclass
class AddResult:
    input: str
    status: AddStatus
    sha256: str | None = None
    document_id: int | None = None
    title: str | None = None
    reason: str | None = None
    notices: list[str] = field(default_factory=list)
    no_space: bool = False  # failed or not attempted because the disk (or a quota) is full

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [], False)}


def _sidecar_for(path: Path) -> Path | None:
    if path.suffix.lower() == ".json":
        return None
    car = path.with_name(_stem(path) + ".json")
    return car if car.exists() else None


def _stem(path: Path) -> str:
    name = path.name
    return name[: -len(".warc.gz")] if name.lower().endswith(".warc.gz") else path.stem


def _is_sidecar(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    return any(p != path and _stem(p) == path.stem and p.suffix.lower() != ".json"
               for p in path.parent.glob(f"{glob_escape(path.stem)}.*"))


def _folder_inputs(files: list[Path]) -> Iterator[Input]:
    """Inputs of a folder's files, sidecars found from the listing itself (one glob per JSON file, as for a
    single file, made a large folder quadratic)."""
    present = set(files)
    described = {(p.parent, _stem(p)) for p in files if p.suffix.lower() != ".json"}
    for p in files:
        if p.suffix.lower() == ".json":
            if (p.parent, p.stem) not in described:
                yield Input(str(p), p)
            continue
        car = p.with_name(_stem(p) + ".json")
        yield Input(str(p), p, sidecar=car if car in present else None)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _walk(folder: Path, workspace: Workspace | None) -> tuple[list[Path], bool]:
    """Regular files under ``folder`` (hidden ones and symlinked folders left out), sorted; and whether a
    part of the workspace was skipped on the way."""
    found: list[Path] = []
    skipped = False
    for root, dirs, names in os.walk(folder):
        kept = [d for d in dirs if not d.startswith(".")]
        if workspace is not None:
            inside = [d for d in kept if workspace.holds(Path(root, d))]
            skipped = skipped or bool(inside)
            kept = [d for d in kept if d not in inside]
        dirs[:] = kept
        found.extend(p for n in names if not n.startswith(".") and (p := Path(root, n)).is_file())
    return sorted(found), skipped


def expand_inputs(names: Iterable[str], workspace: Workspace | None = None) -> list[Input]:
    """Files, folders (recursive) and URLs as inputs; sidecars become metadata, not items.

    A folder holding the workspace is walked around it (one line says so); the workspace itself, or
    anything resolving into it, is refused (:meth:`Workspace.holds`).
    """
    out: list[Input] = []
    for name in names:
        if re.match(r"^https?://", name, re.I):
            out.append(Input(name, url=name))
            continue
        path = Path(name)
        if workspace is not None and workspace.holds(path):
            out.append(Input(name, problem=_NOT_EVIDENCE))
            continue
        if path.is_dir():
            files, skipped = _walk(path, workspace)
            out.extend(_folder_inputs(files))
            if skipped:
                out.append(Input(name, problem=f"holds the workspace: {_NOT_EVIDENCE}; skipped that part"))
        elif path.is_file():
            if _is_sidecar(path):
                out.append(Input(name, problem="a metadata sidecar, not an item (add the file it describes)"))
            else:
                out.append(Input(name, path, sidecar=_sidecar_for(path)))
        elif path.exists():
            out.append(Input(name, problem="not a regular file"))
        else:
            out.append(Input(name, problem="no such file or directory"))
    return out


@dataclass
class _Pending:
    result: AddResult
    staged: Staged
    item: Item
    document: Document | None  # None: preserved, not read (over its budget)
    details: dict[str, Any]


class _StorageFull(Exception):
    """No room left to store originals or record them; the run stops, keeping what was recorded."""

    def __init__(self, message: str, label: str = "") -> None:
        super().__init__(message)
        self.label = label


def add_inputs(ws: Workspace, inputs: list[Input], options: Metadata, actor: str) -> Iterator[AddResult]:
    """Add every input, yielding one result each (in batches, after their transaction commits).

    Staging runs in a thread pool: hashing and fsync release the GIL, and concurrent
    fsyncs share the file system's journal commits, which is most of the speed. When the
    disk (or a quota) is full, everything staged before is still recorded if the database
    has room, each input that hit it fails with the reason, and every later one is
    reported ``stopped``.
    """
    ws.store.sweep_stale_tmp()
    files = _Opener(ws)
    seen: set[str] = set()
    with ws.read() as s:
        known = set(s.scalars(select(Item.sha256)))
    with ThreadPoolExecutor(max_workers=STAGING_THREADS) as pool:
        for start in range(0, len(inputs), BATCH):
            chunk = inputs[start:start + BATCH]
            batch: list[_Pending] = []
            full: list[AddResult] = []
            # every task of this batch has finished before ``known`` grows below, so it can be shared as is
            prepare = functools.partial(_prepare, ws, options=options, actor=actor, known=known, files=files)
            for outcome in pool.map(prepare, chunk):
                if isinstance(outcome, _StorageFull):
                    full.append(AddResult(outcome.label, AddStatus.FAILED, reason=str(outcome), no_space=True))
                elif isinstance(outcome, AddResult):
                    yield outcome
                elif outcome.item.sha256 in seen:  # the same bytes twice in this run
                    ws.store.discard(outcome.staged)
                    yield AddResult(outcome.result.input, AddStatus.DUPLICATE, outcome.item.sha256, reason=_SAME_BYTES)
                else:
                    seen.add(outcome.item.sha256)
                    batch.append(outcome)
            batch, dropped = _fit(ws, batch)
            full += dropped
            try:
                list(pool.map(lambda p: ws.store.commit(p.staged), batch))
                yield from _commit(ws, batch, actor)
            except (_StorageFull, OSError) as exc:  # stored, not recorded: adding them again records them
                if isinstance(exc, OSError) and exc.errno not in _FULL:
                    raise
                full += [AddResult(p.result.input, AddStatus.FAILED, reason=f"not recorded: {exc}", no_space=True)
                         for p in batch]
            known |= {p.item.sha256 for p in batch}
            if full:
                yield from full
                yield from (AddResult(i.label, AddStatus.STOPPED, reason=_STOPPED, no_space=True)
                            for i in inputs[start + len(chunk):])
                return


_RESERVE = 64 << 10  # bytes of free space a SQLite workspace keeps beyond what a batch needs


def _fit(ws: Workspace, batch: list[_Pending]) -> tuple[list[_Pending], list[AddResult]]:
    """The batch, less the inputs (from its end) that a SQLite database on a nearly full disk has no room to
    record, and results for those. Their staged copies are dropped first, which frees the room the others
    need: originals are never moved into the store unless their records fit beside them."""
    if ws.config.database_url or not batch:
        return batch, []
    stat = os.statvfs(ws.config.sqlite_path.parent)
    free = stat.f_bavail * stat.f_frsize
    # A document's text is written to the database and its write-ahead log, with its row, entry and indexes.
    need = [3 * (len(p.document.text.encode()) if p.document else 0) + 3 * 2048 for p in batch]
    kept = list(batch)
    while kept and sum(need[:len(kept)]) + _RESERVE > free:
        p = kept.pop()
        ws.store.discard(p.staged)
        free += p.staged.size
    return kept, [AddResult(p.result.input, AddStatus.FAILED, no_space=True,
                            reason="not recorded: no space left on the disk to record it") for p in batch[len(kept):]]


_STOPPED = "not attempted: the disk is full (free space and run the same command again)"


def _budget(ws: Workspace, seconds: float) -> Budget:
    return Budget(seconds, ws.config.read_memory, ws.config.max_expanded_bytes)


class _Opener:
    """Opens named files by their real path, to read what a name points at and never anything in the workspace.

    Each folder is resolved once per run: resolving a path makes a system call for each of its parts, and a
    folder's files share all but the last. The file itself is opened without following a symlink; a symlinked
    file is resolved whole instead.
    """

    def __init__(self, ws: Workspace) -> None:
        self.roots = ws.real_roots()
        self._folders: dict[str, str] = {}

    def open(self, path: Path) -> tuple[int, str]:
        """A descriptor open for reading on the file ``path`` names, and its real path."""
        folder, name = os.path.split(os.fspath(path))
        if name not in ("", ".", ".."):
            real_folder = self._folders.get(folder)
            if real_folder is None:
                real_folder = self._folders[folder] = os.path.realpath(folder or os.curdir)
            real = os.path.join(real_folder, name)
            try:
                return os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC), real
            except OSError as exc:
                if exc.errno != errno.ELOOP:  # ELOOP: the file is a symlink
                    raise
        real = os.path.realpath(path, strict=True)
        return os.open(real, os.O_RDONLY | os.O_CLOEXEC), real


def _prepare(ws: Workspace, inp: Input, options: Metadata, actor: str, known: set[str],
             files: _Opener) -> _Pending | AddResult | _StorageFull:
    """One input staged and read; whatever goes wrong is this input's result alone."""
    try:
        return _prepare_one(ws, inp, options, actor, known, files)
    except OSError as exc:
        if exc.errno in _FULL:
            return _StorageFull(f"no space left to store it ({exc.strerror})", inp.label)
        return AddResult(inp.label, AddStatus.FAILED, reason=f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # one input never stops the rest
        return AddResult(inp.label, AddStatus.FAILED, reason=f"could not be added: {type(exc).__name__}: {exc}")


def _prepare_one(ws: Workspace, inp: Input, options: Metadata, actor: str, known: set[str],
                 files: _Opener) -> _Pending | AddResult:
    if inp.problem:
        return AddResult(inp.label, AddStatus.FAILED, reason=inp.problem)
    limit = ws.config.max_item_bytes
    fetched: dict[str, Any] = {}
    data: bytes | None = None  # the staged bytes, when small enough to be kept for reading
    try:
        if inp.url:
            cap = capture_url(inp.url, ws.store.tmp, FetchLimits(ws.config.fetch_timeout, ws.config.max_redirects,
                                                                  limit, ws.config.fetch_min_rate),
                              _budget(ws, ws.config.fetch_deadline))
            try:
                staged, _ = ws.store.stage_file(cap.warc_path, limit=1 << 62)
            finally:
                cap.warc_path.unlink(missing_ok=True)
            media_type, origin, tool = "application/warc", inp.url, f"hague-capture/{__version__} httpx"
            fetched = {"final_url": cap.final_url, "http_status": cap.status, "hops": cap.hops}
        else:
            assert inp.path is not None
            fd, real = files.open(inp.path)  # read what the name points at, never through the workspace
            if inp.origin is None and ws.inside(real, files.roots):  # (an upload's temporary copy is Hague's own)
                os.close(fd)
                return AddResult(inp.label, AddStatus.FAILED, reason=_NOT_EVIDENCE)
            staged, data = ws.store.stage_file(fd, limit)
            if data is None:
                with staged.path.open("rb") as f:
                    head = f.read(64)
            else:
                head = data[:64]
            media_type = readers.sniff(inp.path.name, head)
            origin, tool = (inp.origin, "upload") if inp.origin else (str(inp.path.absolute()), "file")
    except (TooLarge, CaptureError) as exc:
        return AddResult(inp.label, AddStatus.FAILED, reason=str(exc))
    if staged.sha256 in known:
        ws.store.discard(staged)
        return AddResult(inp.label, AddStatus.DUPLICATE, sha256=staged.sha256, reason=_SAME_BYTES)
    try:
        sidecar = parse_sidecar(inp.sidecar) if inp.sidecar else Metadata()
        try:
            extracted: readers.Extracted | None = readers.read_path(staged.path, media_type,
                                                                    _budget(ws, ws.config.read_seconds), data)
            unread = None
        except OverBudget as exc:  # preserved as it is, reported, not read
            extracted, unread = None, f"preserved, not read: {exc}"
    except readers.ReadError as exc:
        ws.store.discard(staged)
        return AddResult(inp.label, AddStatus.FAILED, reason=str(exc))
    except BaseException as exc:
        ws.store.discard(staged)
        if isinstance(exc, Exception):
            return AddResult(inp.label, AddStatus.FAILED, reason=f"could not be read: {type(exc).__name__}: {exc}")
        raise
    page = Metadata(**{k: extracted.meta.get(k) for k in ("title", "published", "outlet", "url")}) \
        if extracted else Metadata()
    meta = options.over(sidecar).over(page)
    item = Item(sha256=staged.sha256, size=staged.size, media_type=media_type, captured_at=utc_now(),
                captured_by=actor, origin=origin, capture_tool=tool, note=meta.note)
    doc = None
    extra: dict[str, Any] = {**fetched, "unread": unread}
    if extracted is not None:
        kept = {k: v for k, v in extracted.meta.items() if k in ("encoding", "author", "warc_date")}
        doc = Document(item_sha256=staged.sha256, external_id=meta.id, title=meta.title,
                       published=normalise_date(meta.published), outlet=meta.outlet, url=meta.url,
                       language=meta.language, kind=meta.kind, text=extracted.text,
                       text_sha256=sha256_text(extracted.text), reader=extracted.reader,
                       meta={**meta.extra, **kept, "components": extracted.components})
        extra["components"] = extracted.components
    result = AddResult(inp.label, AddStatus.ADDED if doc else AddStatus.UNREAD, staged.sha256, title=meta.title,
                       reason=unread, notices=extracted.notices if extracted else [])
    return _Pending(result, staged, item, doc, capture_details(item, doc, **extra))


def _commit(ws: Workspace, batch: list[_Pending], actor: str) -> list[AddResult]:
    """Record a batch of staged-and-stored originals: items, documents and capture entries, one transaction."""
    try:
        with ws.write() as s:
            present = set(s.scalars(select(Item.sha256).where(Item.sha256.in_([p.item.sha256 for p in batch]))))
            for p in batch:
                if p.item.sha256 in present:  # another process added the same bytes meanwhile
                    p.result.status, p.result.reason = AddStatus.DUPLICATE, _SAME_BYTES
            fresh = [p for p in batch if p.item.sha256 not in present]
            docs = [p.document for p in fresh if p.document is not None]
            sources = _source_ids(s, {d.outlet for d in docs if d.outlet})
            s.add_all(p.item for p in fresh)
            s.flush()
            for d in docs:
                d.source_id = sources.get(d.outlet or "")
            s.add_all(docs)
            s.flush()
            ledger.append_many(s, ((actor, "capture", [p.item.sha256], p.details) for p in fresh))
            for p in fresh:
                p.result.document_id = p.document.id if p.document is not None else None
    except OperationalError as exc:
        if "full" in str(exc.orig).lower():  # SQLite: "database or disk is full"
            raise _StorageFull(f"no space left in the database ({exc.orig})") from None
        raise
    return [p.result for p in batch]


def _source_ids(s: Session, outlets: set[str]) -> dict[str, int]:
    """Ids of the named sources, creating those not yet known."""
    ids: dict[str, int] = {n: i for n, i in s.execute(select(Source.name, Source.id).where(Source.name.in_(outlets)))}
    for name in sorted(outlets - ids.keys()):
        src = Source(name=name)
        s.add(src)
        s.flush()
        ids[name] = src.id
    return ids
