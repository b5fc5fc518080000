"""Collect, preserve and keep custody: add originals, list them, read the ledger, prove, share the key (verify is
:mod:`hague.services.custody`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from hague import resolve
from hague.errors import InvalidInput, OutputFailed
from hague.evidence import keys, proofs
from hague.model import Document, Item, LedgerEntry
from hague.progress import SILENT, Progress
from hague.records import ItemRecord, LedgerRecord
from hague.services.common import DEFAULT_LIMIT, Page, Within, page, require_within
from hague.vocab import AddStatus
from hague.workspace import Workspace

if TYPE_CHECKING:  # analysis and collection (HTTP, WARC, readers) are imported when an add runs, not for every
    # command of this module (``items`` and ``log`` start faster without them)
    from hague.evidence.collect import AddResult
    from hague.pipeline import Summary

__all__ = ["AddOptions", "AddOutcome", "PublicKey", "add", "consistency_proof",
           "get_item", "inclusion_proof", "list_items", "list_ledger", "public_key", "rotate_key"]


@dataclass(frozen=True)
class AddOptions:
    """What is known about the inputs besides their bytes; each value set here wins over the sidecar
    (``NAME.json`` beside ``NAME.ext``) and the page itself."""

    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    outlet: str | None = None
    url: str | None = None
    note: str | None = None  # kept with each item


@dataclass
class AddOutcome:
    """One result per input (``added``, ``unread`` (preserved, over its reading budget), ``duplicate``,
    ``failed`` with the reason, or ``stopped`` when the disk filled first), the analysis run that followed
    (None when nothing needed reading or analysis was not asked for), and the signed head."""

    results: list[AddResult]
    analysis: Summary | None
    tree_head: dict[str, Any]

    def count(self, status: AddStatus) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> int:
        """Inputs not added and read: failed, kept unread, or not attempted."""
        return sum(r.status in (AddStatus.FAILED, AddStatus.UNREAD, AddStatus.STOPPED) for r in self.results)

    @property
    def no_space(self) -> bool:
        """The disk (or a quota) filled: everything added before is kept; run the same add again."""
        return any(r.no_space for r in self.results)

    def to_json(self) -> dict[str, Any]:
        return {"results": [r.to_json() for r in self.results],
                "analysis": self.analysis.to_json() if self.analysis else None, "tree_head": self.tree_head}


def add(ws: Workspace, actor: str, inputs: Sequence[str], options: AddOptions = AddOptions(), *,
        analyze: bool = True, on_inputs: Callable[[int], None] | None = None,
        on_result: Callable[[AddResult], None] | None = None, progress: Progress = SILENT) -> AddOutcome:
    """Preserve files, folders (recursively) and http(s) URLs byte for byte, then read what is new.

    Each input fails alone (its result names the reason); the same bytes added twice are one item; nothing in
    the workspace itself is taken. Analysis runs when something new was added, or when an earlier add or a
    crash left captures unanalysed; not after the disk filled. ``on_inputs(n)`` is called once the inputs are
    listed, ``on_result`` with each result as its batch commits, ``progress`` as in
    :func:`hague.services.reading.analyze`. Raises ``InvalidInput`` for a ``published`` date not in YYYY-MM-DD
    form (before anything is added), ``OutputFailed`` when the head cannot be signed (a full disk: what was
    added is kept; the next command signs it).
    """
    from hague.evidence.collect import Metadata, add_inputs, expand_inputs, normalise_date

    if options.published and normalise_date(options.published) != options.published:
        raise InvalidInput(f"published {options.published!r} is not a date in YYYY-MM-DD form")
    items = expand_inputs(inputs, ws)
    if on_inputs:
        on_inputs(len(items))
    meta = Metadata(title=options.title, published=options.published, outlet=options.outlet, url=options.url,
                    note=options.note)
    results = []
    for r in add_inputs(ws, items, meta, actor):
        results.append(r)
        if on_result:
            on_result(r)
    from hague.pipeline import pending

    analysis = None
    if analyze and not any(r.no_space for r in results) and (
            any(r.status == AddStatus.ADDED for r in results) or pending(ws)):
        from hague.services.reading import run_analysis

        analysis = run_analysis(ws, actor, progress=progress)
    try:
        head = ws.seal()
    except OperationalError as exc:
        raise OutputFailed(f"could not sign the ledger's head ({exc.orig}); what was added is kept and the next "
                           "command signs it") from exc
    return AddOutcome(results, analysis, head.to_json())


def list_items(ws: Workspace, *, within: Within | None = None, newest_first: bool = False,
               limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[ItemRecord]:
    """Preserved originals in capture order (oldest first unless ``newest_first``), each with the document read
    from it; only those ``within`` a case when given."""
    q = select(Item, Document).join(Document, Document.item_sha256 == Item.sha256, isouter=True)
    if within is not None:
        q = q.where(Item.sha256.in_(within.items()))
    q = q.order_by(Item.captured_at.desc() if newest_first else Item.captured_at, Item.sha256)
    with ws.read() as s:
        return page(s, q, limit, offset, lambda row: ItemRecord.of(*row), scalars=False)


def get_item(ws: Workspace, ref: str, *, within: Within | None = None) -> ItemRecord:
    """One item by its SHA-256 or a unique prefix of 8+ hex digits (``AmbiguousReference`` lists the rest);
    ``NotFound`` for one outside ``within``."""
    with ws.read() as s:
        item = resolve.item(s, ref)
        require_within(s, within.items() if within else None, item.sha256, "item", ref)
        doc = s.scalars(select(Document).where(Document.item_sha256 == item.sha256)).first()
        return ItemRecord.of(item, doc)


def list_ledger(ws: Workspace, *, limit: int = DEFAULT_LIMIT, offset: int = 0, newest_first: bool = True,
                action: str | None = None) -> Page[LedgerRecord]:
    """Custody-ledger entries (who did what, when, to which originals), newest first unless asked otherwise;
    ``action`` keeps one kind (``capture``, ``review.transition`` ...)."""
    q = select(LedgerEntry).order_by(LedgerEntry.seq.desc() if newest_first else LedgerEntry.seq)
    if action:
        q = q.where(LedgerEntry.action == action)
    with ws.read() as s:
        return page(s, q, limit, offset, LedgerRecord.of)


def inclusion_proof(ws: Workspace, ref: str) -> dict[str, Any]:
    """A Merkle proof, as JSON anyone can check with the public key, that the item's capture entry is in the
    ledger the latest signed head commits to. The head is signed first if the ledger grew since."""
    ws.seal()
    with ws.read() as s:
        return proofs.inclusion(s, resolve.item(s, ref).sha256)


def consistency_proof(ws: Workspace, old_size: int) -> dict[str, Any]:
    """A Merkle proof that the ledger only grew since it had ``old_size`` entries."""
    ws.seal()
    with ws.read() as s:
        return proofs.consistency(s, old_size)


@dataclass(frozen=True)
class PublicKey:
    """The public half of the key that signs this workspace's tree heads."""

    key_id: str
    pem: str = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"key_id": self.key_id, "pem": self.pem}


def public_key(ws: Workspace) -> PublicKey:
    pem = keys.public_pem(ws.key)
    return PublicKey(keys.key_id(pem), pem)


def rotate_key(ws: Workspace, actor: str, reason: str) -> PublicKey:
    """Hand signing over to a new key: the current key signs the hand-over (a ``key.rotate`` entry), so verify
    and anyone holding the old fingerprint can follow it; returns the new key. ``InvalidInput`` without a
    reason."""
    if not reason.strip():
        raise InvalidInput("say why the key changes (--reason)")
    ws.rotate_key(actor, reason.strip())
    return public_key(ws)
