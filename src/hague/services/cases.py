"""Acts on one case: uploading originals into it (preserved, read, and put in the case in one go)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from hague.evidence.collect import AddResult, Input, Metadata, add_inputs
from hague.pipeline import Summary, analyze
from hague.team import cases
from hague.workspace import Workspace

__all__ = ["Upload", "UploadOutcome", "upload"]


@dataclass(frozen=True)
class Upload:
    """One file a person sent: its name as they had it, and its bytes (a file object, read once)."""

    filename: str
    stream: IO[bytes]


@dataclass
class UploadOutcome:
    results: list[AddResult]
    analysis: Summary | None
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"results": [r.to_json() for r in self.results],
                "analysis": self.analysis.to_json() if self.analysis else None, "tree_head": self.tree_head}


def _safe_name(name: str) -> str:
    """The last path component of an uploaded name, without anything a file system would interpret."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    return "".join(c for c in base if c.isalnum() or c in "-_. ")[:120] or "upload"


def upload(ws: Workspace, actor: str, case_slug: str, files: Iterable[Upload], options: Metadata | None = None,
           *, analyze_after: bool = True) -> UploadOutcome:
    """Preserve uploaded files (same checks and limits as ``hague add``), put every preserved item (new or
    already held) into the case, then read what is new. Each file's bytes are streamed to a private temporary
    folder first; the recorded origin is ``upload:NAME``, not that folder."""
    with tempfile.TemporaryDirectory(prefix="hague-upload-", dir=ws.store.tmp) as tmp:
        inputs = []
        for i, f in enumerate(files):
            name = _safe_name(f.filename)
            path = Path(tmp) / f"{i:04d}-{name}"
            with path.open("wb") as out:
                shutil.copyfileobj(f.stream, out, 1 << 20)
            inputs.append(Input(label=f.filename, path=path, origin=f"upload:{name}"))
        results = list(add_inputs(ws, inputs, options or Metadata(), actor))
    held = [r.sha256 for r in results if r.sha256 and r.status in ("added", "duplicate")]
    with ws.write() as s:
        if held:
            cases.add_items(s, actor, cases.get(s, case_slug), held)
    summary = None
    if analyze_after and any(r.status == "added" for r in results):
        summary = analyze(ws, actor)
    return UploadOutcome(results, summary, ws.seal().to_json())
