"""``hague add``: turn files, folders and URLs into preserved items with readable documents.

Each input goes: stage (stream to a temp file, hash, size check) -> skip if the bytes
are already held -> read into text -> move the original into the store -> record item,
document and a ``capture`` ledger entry in one transaction (batched for speed). A bad
input fails alone with a reason; nothing of it is left behind.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague import __version__
from hague.evidence import ledger, readers
from hague.evidence.capture import CaptureError, capture_url
from hague.evidence.store import Staged, TooLarge, sha256_text
from hague.model import Document, Item, Source

if TYPE_CHECKING:  # the workspace is built on this package; collect only uses what it is given
    from hague.workspace import Workspace

BATCH = 200
STAGING_THREADS = 16
_SAME_BYTES = "these exact bytes are already preserved (one item)"
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
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
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
    status: str  # added | duplicate | failed
    sha256: str | None = None
    document_id: int | None = None
    title: str | None = None
    reason: str | None = None
    notices: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [])}


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


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def expand_inputs(names: Iterable[str]) -> list[Input]:
    """Files, folders (recursive) and URLs as inputs; sidecars become metadata, not items."""
    out: list[Input] = []
    for name in names:
        if re.match(r"^https?://", name, re.I):
            out.append(Input(name, url=name))
            continue
        path = Path(name)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts) \
                        and not _is_sidecar(p):
                    out.append(Input(str(p), p, sidecar=_sidecar_for(p)))
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
    document: Document
    details: dict[str, Any]


def add_inputs(ws: Workspace, inputs: list[Input], options: Metadata, actor: str) -> Iterator[AddResult]:
    """Add every input, yielding one result each (in batches, after their transaction commits).

    Staging runs in a thread pool: hashing and fsync release the GIL, and concurrent
    fsyncs share the file system's journal commits, which is most of the speed.
    """
    ws.store.sweep_stale_tmp()
    seen: set[str] = set()
    with ws.read() as s:
        known = set(s.scalars(select(Item.sha256)))
    with ThreadPoolExecutor(max_workers=STAGING_THREADS) as pool:
        for start in range(0, len(inputs), BATCH):
            chunk = inputs[start:start + BATCH]
            batch: list[_Pending] = []
            # every task of this batch has finished before ``known`` grows below, so it can be shared as is
            prepare = functools.partial(_prepare, ws, options=options, actor=actor, known=known)
            for outcome in pool.map(prepare, chunk):
                if isinstance(outcome, AddResult):
                    yield outcome
                elif outcome.item.sha256 in seen:  # the same bytes twice in this run
                    ws.store.discard(outcome.staged)
                    yield AddResult(outcome.result.input, "duplicate", outcome.item.sha256, reason=_SAME_BYTES)
                else:
                    seen.add(outcome.item.sha256)
                    batch.append(outcome)
            list(pool.map(lambda p: ws.store.commit(p.staged), batch))
            yield from _commit(ws, batch, actor)
            known |= {p.item.sha256 for p in batch}


def _prepare(ws: Workspace, inp: Input, options: Metadata, actor: str, known: set[str]) -> _Pending | AddResult:
    if inp.problem:
        return AddResult(inp.label, "failed", reason=inp.problem)
    limit = ws.config.max_item_bytes
    capture_path: Path | None = None
    fetched: dict[str, Any] = {}
    try:
        if inp.url:
            cap = capture_url(inp.url, ws.store.tmp, timeout=ws.config.fetch_timeout,
                              max_redirects=ws.config.max_redirects, limit=limit)
            capture_path = cap.warc_path
            staged = ws.store.stage_file(cap.warc_path, limit=1 << 62)
            media_type, origin, tool = "application/warc", inp.url, f"hague-capture/{__version__} httpx"
            fetched = {"final_url": cap.final_url, "http_status": cap.status, "hops": cap.hops}
        else:
            assert inp.path is not None
            staged = ws.store.stage_file(inp.path, limit)
            with staged.path.open("rb") as f:
                head = f.read(64)
            media_type = readers.sniff(inp.path.name, head)
            origin, tool = (inp.origin, "upload") if inp.origin else (str(inp.path.absolute()), "file")
    except (TooLarge, CaptureError) as exc:
        return AddResult(inp.label, "failed", reason=str(exc))
    except OSError as exc:
        return AddResult(inp.label, "failed", reason=f"cannot read: {exc.strerror or exc}")
    finally:
        if capture_path:
            capture_path.unlink(missing_ok=True)
    if staged.sha256 in known:
        ws.store.discard(staged)
        return AddResult(inp.label, "duplicate", sha256=staged.sha256, reason=_SAME_BYTES)
    try:
        sidecar = parse_sidecar(inp.sidecar) if inp.sidecar else Metadata()
        extracted = readers.read_path(staged.path, media_type)
    except readers.ReadError as exc:
        ws.store.discard(staged)
        return AddResult(inp.label, "failed", reason=str(exc))
    page = Metadata(title=extracted.meta.get("title"), published=extracted.meta.get("published"),
                    outlet=extracted.meta.get("outlet"), url=extracted.meta.get("url"))
    meta = options.over(sidecar).over(page)
    now = ledger.utc_now()
    text_sha = sha256_text(extracted.text)
    item = Item(sha256=staged.sha256, size=staged.size, media_type=media_type, captured_at=now,
                captured_by=actor, origin=origin, capture_tool=tool, note=meta.note)
    doc = Document(item_sha256=staged.sha256, external_id=meta.id, title=meta.title,
                   published=normalise_date(meta.published), outlet=meta.outlet, url=meta.url,
                   language=meta.language, kind=meta.kind, text=extracted.text, text_sha256=text_sha,
                   reader=extracted.reader, meta={**meta.extra, **{k: v for k, v in extracted.meta.items()
                                                                   if k in ("encoding", "author", "warc_date")}})
    details = {"origin": origin, "size": staged.size, "media_type": media_type, "capture_tool": tool,
               "reader": extracted.reader, "text_sha256": text_sha, "document": meta.id, "title": meta.title,
               "published": doc.published, "outlet": meta.outlet, **fetched}
    result = AddResult(inp.label, "added", staged.sha256, title=meta.title, notices=extracted.notices)
    return _Pending(result, staged, item, doc, {k: v for k, v in details.items() if v is not None})


def _commit(ws: Workspace, batch: list[_Pending], actor: str) -> list[AddResult]:
    """Record a batch of staged-and-stored originals: items, documents and capture entries, one transaction."""
    with ws.write() as s:
        present = set(s.scalars(select(Item.sha256).where(Item.sha256.in_([p.item.sha256 for p in batch]))))
        for p in batch:
            if p.item.sha256 in present:  # another process added the same bytes meanwhile
                p.result.status, p.result.reason = "duplicate", _SAME_BYTES
        fresh = [p for p in batch if p.item.sha256 not in present]
        sources = _source_ids(s, {p.document.outlet for p in fresh if p.document.outlet})
        s.add_all(p.item for p in fresh)
        s.flush()
        for p in fresh:
            p.document.source_id = sources.get(p.document.outlet or "")
        s.add_all(p.document for p in fresh)
        s.flush()
        ledger.append_many(s, ((actor, "capture", [p.item.sha256], p.details) for p in fresh))
        for p in fresh:
            p.result.document_id = p.document.id
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
