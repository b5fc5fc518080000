"""``hague package create``: a BagIt evidence package a recipient can verify without the sender's workspace.

Order matters for what can be proved: contents are gathered and redacted first; then, in one
write transaction, the export entry (recipient, items, a digest of the content files) is
appended, the tree head is signed, and an inclusion proof is made for every entry the
package carries, including the export entry itself. The zip is written to a temporary
file inside that transaction and renamed into place only after it commits, so a failed
build leaves neither a package nor an export entry.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague import __version__
from hague.assessments import review_states, wording_for
from hague.errors import CheckFailed, InvalidInput, NotFound
from hague.evidence import chain, keys, ledger, merkle
from hague.evidence.pseudonyms import workspace_secret
from hague.jsontext import array_pieces, pretty
from hague.model import (
    AssessmentRow,
    Document,
    IncidentRow,
    Item,
    LedgerEntry,
    LedgerSubject,
    ReportRow,
    ReviewRow,
    StatementRow,
)
from hague.records import (
    AssessmentRecord,
    IncidentRecord,
    ItemRecord,
    LedgerRecord,
    ReportRecord,
    StatementRecord,
    doc_refs,
)
from hague.sharing import bag, layout
from hague.sharing.redact import OffsetMap, Person, Redactor, persons
from hague.sharing.render import render_index
from hague.sharing.ziparchive import Source, write_zip
from hague.timestamps import utc_now
from hague.workspace import Workspace

_BAG_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_CHUNK = 500  # subjects per IN (...) query


class PackageError(InvalidInput):
    """The package cannot be made as asked; the message names the input at fault."""


@dataclass
class Contents:
    """Everything a package carries before the custody files: path in the bag -> bytes or a stored original."""

    files: dict[str, Source] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)  # SHA-256 of the files spooled to disk
    items: list[str] = field(default_factory=list)  # item SHA-256s, shipped or withheld
    withheld: list[str] = field(default_factory=list)
    included_naming: list[str] = field(default_factory=list)  # originals shipped although they name someone
    incidents: list[dict[str, Any]] = field(default_factory=list)
    item_rows: list[dict[str, Any]] = field(default_factory=list)
    log: dict[str, Any] = field(default_factory=dict)


@dataclass
class PackageResult:
    path: Path
    sha256: str
    bag: str
    items: int
    withheld: list[str]
    incidents: list[str]
    redactions: int
    export_seq: int
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "bag": self.bag, "items": self.items,
                "withheld": self.withheld, "incidents": self.incidents, "redactions": self.redactions,
                "export_seq": self.export_seq, "tree_head": self.tree_head}


def _json(data: Any) -> bytes:
    return (pretty(data, sort_keys=True) + "\n").encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bag_name(out: Path) -> str:
    name = out.name[:-4] if out.name.lower().endswith(".zip") else out.name
    return _BAG_NAME.sub("-", name).strip("-.") or "hague-package"


def _extension(media_type: str) -> str:
    return {"text/plain": ".txt", "application/warc": ".warc"}.get(media_type) \
        or mimetypes.guess_extension(media_type) or ".bin"


def create_package(ws: Workspace, recipient: str, out: Path, incident_ids: list[str] | None = None,
                   redact: list[str] | None = None, include_originals: bool = False,
                   actor: str | None = None) -> PackageResult:
    recipient = " ".join(recipient.split())
    if not recipient:
        raise PackageError("--recipient must name who receives the package")
    if ws.holds(out) and not ws.is_new_package_file(out):
        raise PackageError(f"--out {out} is inside the workspace ({ws.config.home}); a package is never written there "
                           "(it could replace the database, a key or an original), except as a new file in its "
                           f"packages folder ({ws.packages_dir})")
    who = ws.actor(actor)
    name = bag_name(out)
    secret = workspace_secret(ws.config.home)
    with tempfile.TemporaryDirectory(prefix="hague-package-") as spool:
        return _create(ws, recipient, out, incident_ids, redact, include_originals, who, name, secret, Path(spool))


def _create(ws: Workspace, recipient: str, out: Path, incident_ids: list[str] | None, redact: list[str] | None,
            include_originals: bool, who: str, name: str, secret: bytes, spool: Path) -> PackageResult:
    with ws.read() as s:
        people = persons(s, secret, redact or [], who)
        contents = _gather(ws, s, incident_ids, Redactor(people), people, include_originals, who, spool)
    hashes = {p: contents.hashes.get(p) or (_sha(d) if isinstance(d, bytes) else _stored_sha(ws, d))
              for p, d in contents.files.items()}
    details = {"recipient": recipient, "package": name, "incidents": incident_ids or "all",
               "items": len(contents.items), "originals_withheld": contents.withheld,
               "originals_included_naming_protected": contents.included_naming,
               "redacted_persons": sorted({p.pseudonym for p in people}),
               "contents_sha256": layout.contents_digest(hashes)}
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with ws.write() as s:
            entry = ledger.append(s, who, layout.EXPORT_ACTION, contents.items, details)
            head = ledger.sign_head(s, ws.key, ws.witness)
            custody = _custody(s, ws, head, contents.items, entry.seq, Redactor(people))
            files = {**contents.files, **custody}
            files[layout.INDEX] = render_index(recipient=recipient, actor=who, bag=name, head=head.to_json(),
                                               export_seq=entry.seq, items=contents.item_rows,
                                               incidents=contents.incidents, log=contents.log)
            hashes.update({p: _sha(d) for p, d in files.items() if p not in hashes and isinstance(d, bytes)})
            payload_bytes = sum(len(d) if isinstance(d, bytes) else d.stat().st_size for d in files.values())
            info = [("Bag-Software-Agent", f"hague {__version__}"),
                    ("Bagging-Date", datetime.now(UTC).date().isoformat()),
                    ("External-Identifier", name), ("Contact-Name", who),
                    ("Internal-Sender-Identifier", f"signing key {head.key_id}"),
                    ("Hague-Recipient", recipient), ("Hague-Tree-Size", str(head.tree_size)),
                    ("Hague-Root-Hash", head.root_hash), ("Hague-Export-Entry", str(entry.seq))]
            tags = bag.tag_files(hashes, payload_bytes, info)
            members = [(f"{name}/{p}", d) for p, d in sorted({**tags, **files}.items(), key=lambda kv: _order(kv[0]))]
            write_zip(partial, members)
        os.replace(partial, out)  # only once the export entry and its head are committed
    finally:
        partial.unlink(missing_ok=True)
    digest = hashlib.sha256()
    with out.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return PackageResult(out, digest.hexdigest(), name, len(contents.items), contents.withheld,
                         [i["id"] for i in contents.incidents], sum(contents.log.get("counts", {}).values()),
                         entry.seq, head.to_json())


def _stored_sha(ws: Workspace, path: Path) -> str:
    """Re-hash an original before shipping it: a package must never carry bytes the store altered."""
    sha = path.name
    actual = ws.store.rehash(sha)
    if actual != sha:
        raise CheckFailed(f"stored original {sha} no longer matches its hash (run `hague verify`)")
    return sha


def _order(path: str) -> tuple[int, str]:
    """Tag files first, so ``unzip -l`` and readers meet bagit.txt before the payload."""
    return (0 if not path.startswith(layout.DATA) else 1, path)


def _incidents_in_scope(s: Session, incident_ids: list[str] | None) -> list[IncidentRow]:
    if not incident_ids:
        return list(s.scalars(select(IncidentRow).order_by(IncidentRow.id)))
    wanted = sorted(set(incident_ids))
    incidents = [i for chunk in _chunked(wanted)
                 for i in s.scalars(select(IncidentRow).where(IncidentRow.id.in_(chunk)))]
    known = {i.id for i in incidents} | {i for chunk in _chunked(wanted) for i in s.scalars(
        select(ReportRow.incident_id).where(ReportRow.incident_id.in_(chunk)))}
    missing = [i for i in incident_ids if i not in known]
    if missing:
        raise NotFound("incident", ", ".join(missing), "see `hague incidents`")
    return sorted(incidents, key=lambda i: i.id)


def _chunked(ids: list[Any]) -> list[list[Any]]:
    return [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _items_and_documents(s: Session, doc_ids: list[int] | None) -> Iterator[tuple[Item, Document | None]]:
    """Every item with its document (by capture time), or the items of ``doc_ids`` (by document), streamed."""
    if doc_ids is None:
        q = (select(Item, Document).outerjoin(Document, Document.item_sha256 == Item.sha256)
             .order_by(Item.captured_at, Item.sha256).execution_options(yield_per=200))
        for item, doc in s.execute(q):
            yield item, doc
        return
    for chunk in _chunked(doc_ids):
        q = (select(Item, Document).join(Document, Document.item_sha256 == Item.sha256)
             .where(Document.id.in_(chunk)).order_by(Document.id))
        for item, doc in s.execute(q):
            yield item, doc


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _write_array(path: Path, rows: Iterable[Any]) -> str:
    """Write ``rows`` as ``_json`` would write the list (same bytes), one row at a time; its SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as f:
        def put(data: bytes) -> None:
            digest.update(data)
            f.write(data)
        for piece in array_pieces(rows, sort_keys=True):
            put(piece.encode("utf-8"))
        put(b"\n")
    return digest.hexdigest()


def _gather(ws: Workspace, s: Session, incident_ids: list[str] | None, redactor: Redactor, people: list[Person],
            include_originals: bool, actor: str, spool: Path) -> Contents:
    """What the package carries. Texts and the statement and report findings are written to ``spool`` (a private
    folder) as they are read, with their hashes, so memory does not grow with the documents shipped."""
    c = Contents()
    incidents = _incidents_in_scope(s, incident_ids)
    doc_ids: list[int] | None = None
    if incident_ids:
        doc_ids = sorted({d for chunk in _chunked(sorted(set(incident_ids))) for d in s.scalars(
            select(ReportRow.document_id).where(ReportRow.incident_id.in_(chunk)))})
    in_scope = [i.id for i in incidents]
    if incident_ids:
        reviews = {r.incident_id: r for chunk in _chunked(in_scope)
                   for r in s.scalars(select(ReviewRow).where(ReviewRow.incident_id.in_(chunk)))}
        assessments = sorted((a for chunk in _chunked(in_scope) for a in s.scalars(
            select(AssessmentRow).where(AssessmentRow.incident_id.in_(chunk)))),
            key=lambda a: (a.incident_id, a.provision_id))
    else:
        reviews = {r.incident_id: r for r in s.scalars(select(ReviewRow))}
        assessments = list(s.scalars(select(AssessmentRow).order_by(AssessmentRow.incident_id,
                                                                     AssessmentRow.provision_id)))
    states = review_states(s, in_scope + [a.incident_id for a in assessments])

    offsets: dict[Any, OffsetMap] = {}
    counts: Counter[str] = Counter()
    replacements = []
    withheld_log = []
    shipped: list[int] = []
    for n, (item, doc) in enumerate(_items_and_documents(s, doc_ids)):
        named = redactor.mentions(doc.text) if doc else set()
        named |= redactor.mentions(json.dumps([item.origin, item.note, doc.title if doc else None,
                                               doc.url if doc else None], ensure_ascii=False))
        original = f"{layout.ORIGINALS}{item.sha256}{_extension(item.media_type)}"
        withheld = None
        if named and not include_originals:
            withheld = f"names a protected person ({', '.join(sorted(named))})"
            c.withheld.append(item.sha256)
            withheld_log.append({"item": item.sha256, "names": sorted(named), "action": "original withheld"})
        else:
            c.files[original] = ws.store.path_for(item.sha256)
            if named:
                c.included_naming.append(item.sha256)
                withheld_log.append({"item": item.sha256, "names": sorted(named),
                                     "action": "original included (--include-originals)"})
        text_path = None
        if doc:
            shipped.append(doc.id)
            red = redactor.text(doc.text)
            offsets[doc.id] = offsets[doc.external_id or str(doc.id)] = red.offsets
            text_path = f"{layout.TEXTS}{item.sha256}.txt"
            data = red.text.encode("utf-8")
            c.files[text_path] = spooled = spool / f"text-{n}"
            spooled.write_bytes(data)
            c.hashes[text_path] = _sha(data)
            for alias, k in red.counts.items():
                replacements.append({"file": text_path, "pseudonym": alias, "count": k})
            counts.update(red.counts)
        c.items.append(item.sha256)
        record = ItemRecord.of(item, doc).to_json()
        if record["document"] is not None:  # the text shipped is the redacted one: its hash, and whether it is
            record["document"].update(redacted=bool(redactor.mentions(doc.text)),  # type: ignore[union-attr]
                                      text_sha256=c.hashes[text_path])  # type: ignore[index]
        row = {**record, "original": None if withheld else original, "withheld": withheld, "text": text_path}
        c.item_rows.append(redactor.value(row))
        s.expunge(item)
        if doc is not None:
            s.expunge(doc)  # its text is not kept once shipped

    def records(model: Any, make: Any) -> Iterator[dict[str, Any]]:
        q = select(model).order_by(model.document_id, model.idx)
        if incident_ids and model is ReportRow:
            chunks = [q.where(ReportRow.incident_id.in_(chunk)) for chunk in _chunked(sorted(set(incident_ids)))]
            rows: Iterable[Any] = sorted((r for part in chunks for r in s.scalars(part)),
                                         key=lambda r: (r.document_id, r.idx))
        elif doc_ids is not None:
            rows = (r for chunk in _chunked(doc_ids) for r in s.scalars(q.where(model.document_id.in_(chunk))))
        else:
            rows = s.scalars(q.execution_options(yield_per=1000))
        for chunk_rows in _batches(rows, _CHUNK):
            refs = doc_refs(s, [r.document_id for r in chunk_rows])
            for r in chunk_rows:
                yield redactor.value(make.of(r, refs[r.document_id]).to_json(), offsets.get(r.document_id))

    for kind, model, make in (("statements", StatementRow, StatementRecord), ("reports", ReportRow, ReportRecord)):
        path = f"{layout.FINDINGS}{kind}.json"
        c.files[path] = spool / f"{kind}.json"
        c.hashes[path] = _write_array(spool / f"{kind}.json", records(model, make))
    findings = {
        "incidents": [redactor.value(IncidentRecord.of(i, states[i.id], wording_for(states[i.id], i.status).label)
                                     .to_json(), offsets_of=offsets) for i in incidents],
        "assessments": [redactor.value(AssessmentRecord.of(a, states[a.incident_id], reviews.get(a.incident_id))
                                       .to_json(), offsets_of=offsets) for a in assessments],
    }
    for kind, rows in findings.items():
        c.files[f"{layout.FINDINGS}{kind}.json"] = _json(rows)
    c.incidents = findings["incidents"]
    c.log = {
        "policy": "Names and aliases of protected persons are replaced by stable pseudonyms (HMAC-SHA-256 of the "
                  "name under a secret kept by the sender) in extracted texts, findings, the item list and "
                  "this log. Evidence spans in findings point into the redacted texts shipped here. Originals "
                  "that name a protected person are withheld unless the sender chose to include them; ledger "
                  "entries that name one travel as their leaf hash only.",
        "redacted_by": actor,
        "at": utc_now(),
        "persons": [{"pseudonym": p.pseudonym, "reason": redactor.text(p.reason).text, "marked_by": p.marked_by,
                     "marked_at": p.marked_at, "basis": p.basis} for p in people],
        "replacements": replacements,
        "counts": dict(sorted(counts.items())),
        "originals": withheld_log,
    }
    c.files[layout.ITEMS] = _json(c.item_rows)
    c.files[layout.REDACTION_LOG] = _json(c.log)
    return c


def _custody(s: Session, ws: Workspace, head: ledger.SignedHead, items: list[str], export_seq: int,
             redactor: Redactor) -> dict[str, bytes]:
    """The ledger extract (entries naming the items, and the export entry), their proofs, head and key."""
    seqs = {export_seq}
    for i in range(0, len(items), _CHUNK):
        seqs |= set(s.scalars(select(LedgerSubject.seq).where(LedgerSubject.sha256.in_(items[i:i + _CHUNK]))))
    entries = list(s.scalars(select(LedgerEntry).where(LedgerEntry.seq.in_(sorted(seqs)))
                             .order_by(LedgerEntry.seq)))
    leaves = ledger.leaf_hashes(s, upto=head.tree_size)
    paths = merkle.inclusion_proofs([e.seq - 1 for e in entries], leaves)  # one pass over the tree for all
    lines, proofs = [], []
    for e in entries:
        record = LedgerRecord.of(e).to_json()
        if redactor.mentions(chain.canonical(record).decode("utf-8")):
            record = {"seq": e.seq, "entry_hash": e.entry_hash,
                      "payload_withheld": "names a protected person; only its leaf hash is shared",
                      "subjects": [x for x in e.subjects if x in items]}
        lines.append(chain.canonical(record).decode("utf-8"))
        proofs.append({"seq": e.seq, "leaf_index": e.seq - 1, "leaf_hash": e.entry_hash,
                       "audit_path": [h.hex() for h in paths[e.seq - 1]]})
    pem = keys.public_pem(ws.key)
    return {
        layout.LEDGER: ("\n".join(lines) + "\n").encode("utf-8"),
        layout.PROOFS: _json({"tree_size": head.tree_size, "root_hash": head.root_hash,
                              "hashing": "RFC 6962: leaf = SHA-256(0x00 || canonical entry JSON), "
                                         "node = SHA-256(0x01 || left || right); verify as RFC 9162 §2.1.3.2",
                              "proofs": proofs}),
        layout.TREE_HEAD: _json({**head.to_json(), "signed_message": "canonical JSON of tree_size, root_hash, "
                                                                     "timestamp, key_id (sorted keys)"}),
        layout.PUBLIC_KEY: pem.encode("utf-8"),
    }
