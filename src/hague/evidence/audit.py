"""``hague verify``: recompute everything that can be recomputed and name exactly what fails.

The ledger is the record; the database and the object store must agree with it. Checks:

- every original: present in the store, same SHA-256 and size (hashed by a child process while the rest runs,
  which also counts stored objects no item records);
- the chain: sequence, every entry's hash recomputed from its content, every previous-hash link (one pass);
- the key: the ``init`` entry pins it, each ``key.rotate`` is signed by the key before, and every tree head,
  in the database and in the witness log outside it, is signed by the key pinned at its size and commits
  to the ledger's prefix of that size (so a truncated or re-signed ledger fails); the key file is the
  pinned one;
- every ``capture`` entry has its item, document and blob, and every field it attests matches the rows
  (:mod:`hague.evidence.attest`); every item has a capture entry;
- every fact people rely on that the ledger records: review states and their history, a reviewer's
  element findings, source grades, conflict classifications, protected persons
  (:mod:`hague.evidence.attested`).

``since``: a ledger that had ``since`` entries was verified before. The prefix of that size is proved
unchanged by the signed head of that size (the leaf hashes still give its root: what a consistency proof
shows), so only later entries are re-hashed and only originals they captured are re-read; key pins and
the facts people rely on are checked in full whatever their age.

Every table is read through one DB-API connection in one snapshot (:meth:`Workspace.connection`), as plain tuples,
a batch at a time (on PostgreSQL through server-side cursors): memory holds a batch of rows, one leaf hash per
ledger entry, per item its size and a digest of what its capture entry attests (:class:`Capture`), and per
document a digest of its attested fields (:class:`DocumentRow`), never a whole table. A row whose digest differs is
compared field by field with its entry, both read again, to name the field.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import marshal
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hague.errors import InvalidInput
from hague.evidence import chain, keys, merkle
from hague.evidence.attest import DOCUMENT_FIELDS, ITEM_FIELDS
from hague.evidence.attested import ATTESTED_ACTIONS, check_attested
from hague.evidence.witness import Witness

if TYPE_CHECKING:
    from hague.workspace import Workspace

_BLOBS = 128  # originals per thread task: small ones would otherwise cost more in task handling than hashing
_TEXTS = 256  # documents fetched at a time, each with its extracted text
_BATCH = 2000  # rows fetched at a time


@dataclass
class Finding:
    kind: str  # blob-altered, blob-missing, item-altered, entry-altered, entry-removed, ...
    subject: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "message": self.message}


@dataclass
class Report:
    items: int = 0
    bytes: int = 0
    entries: int = 0
    heads: int = 0
    witnessed: int = 0
    since: int | None = None
    failures: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    head: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, kind: str, subject: str, message: str) -> None:
        self.failures.append(Finding(kind, subject, message))

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "items": self.items, "bytes": self.bytes, "entries": self.entries,
                "tree_heads": self.heads, "witnessed_heads": self.witnessed, "since": self.since,
                "latest_head": self.head, "failures": [f.to_json() for f in self.failures], "notes": self.notes}


@dataclass(slots=True)
class Capture:
    """What a ``capture`` entry attests, as digests: the entry itself is read again only when a row differs,
    so that 100,000 items cost a few hundred bytes each, not their fields twice."""

    seq: int
    item: bytes  # digest of (actor, *ITEM_FIELDS) as recorded
    document: bytes | None  # digest of DOCUMENT_FIELDS as recorded; None if the capture recorded no document
    seen: bool = False  # a document row of this item was read


def _digest(values: tuple[Any, ...]) -> bytes:
    """Equal tuples of the values a database or JSON gives (text, numbers, None) have equal digests; a differing
    digest only sends the row to the exact comparison, so a value that is equal but written differently (1 and
    1.0) is never reported. Written by ``marshal``, format 2 (with the digest, 7.6 ms per 10,000 tuples against
    12.8 ms by ``repr``; 40,000 of them on 10,000 small originals): it writes each value by its type and content
    alone and reads back to the same values, so unequal tuples never write the same bytes (later formats also mark
    objects by their reference counts, which equal values need not share). A value it cannot write (a type no
    driver gives these columns) falls back to ``repr``, whose digest differs from any tuple it writes: the row is
    compared exactly."""
    try:
        data = marshal.dumps(values, 2)
    except ValueError:
        data = repr(values).encode()
    return hashlib.blake2b(data, digest_size=16).digest()


def _recorded_item(entry: Entry) -> tuple[Any, ...]:
    det = entry.details if isinstance(entry.details, dict) else {}
    return (entry.actor, *map(det.get, ITEM_FIELDS))


def _recorded_document(entry: Entry) -> tuple[Any, ...] | None:
    det = entry.details if isinstance(entry.details, dict) else {}
    return tuple(map(det.get, DOCUMENT_FIELDS)) if "text_sha256" in det else None


@dataclass(slots=True)
class Entry:
    """A ledger row as stored, before any trust is placed in it."""

    seq: int
    time: str
    actor: str
    action: str
    subjects: Any
    details: Any


def verify(ws: Workspace, since: int | None = None) -> Report:
    report = Report(since=since)
    # Without ``since`` every original is re-read, by a child process started now: it needs nothing from the
    # database and hashes on another core while this one checks the chain.
    with ws.store.rescan() if not since else nullcontext() as rescan, ws.connection() as conn, \
            ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2))) as pool:
        s = Rows(conn, ws.dialect)
        items = _sizes(s)
        documents = pool.submit(_read_documents, s)
        entries, captures, leaves = _chain(s, report, since)
        report.entries = len(leaves)
        pinned = _pins(entries, report, bool(leaves))
        trusted = _trusted_prefix(s, ws.witness, leaves, pinned, since, report)
        old: set[str] = set()
        blobs: list[Future[list[tuple[str, str | None, int]]]] = []
        if trusted:
            old = _captured_before(s, trusted)
            wanted = sorted(set(captures) | {sha for sha in items if sha not in old})
            blobs = [pool.submit(ws.store.rehash_many, [x for x in c if x in items])
                     for c in _chunks(wanted, _BLOBS)]
        _check_items(s, items, captures, old, report)
        _check_documents(s, items, captures, documents.result(), report)
        _check_heads(s, ws.witness, leaves, pinned, report)
        _check_key_file(ws, pinned, report)
        check_attested(s, [e for e in entries.values() if e.action in ATTESTED_ACTIONS], ws.config.home, report)
        if rescan is None:
            _check_blobs(s, itertools.chain.from_iterable(f.result() for f in blobs), items, report)
        else:
            found, strays = rescan.result(items)
            _check_blobs(s, ((sha, *found.get(sha, (None, 0))) for sha in sorted(items)), items, report)
            if strays:
                report.notes.append(f"{strays} stored blob(s) not yet recorded as items (an interrupted add); "
                                    "adding the same files again records them")
    return report


class Rows:
    """Reads queries on one DB-API connection as plain tuples, a batch at a time (on PostgreSQL through a
    server-side cursor): for tens of thousands of rows the result-object layer costs more than the checks, and
    memory holds one batch, not the ledger, every document's text or every assessment."""

    def __init__(self, conn: Any, dialect: str) -> None:
        self.conn, self.dialect, self._named = conn, dialect, itertools.count(1)  # one name per cursor, any thread

    def __call__(self, sql: str, params: tuple[Any, ...] = (), batch: int | None = None) -> Iterator[tuple[Any, ...]]:
        if self.dialect == "postgresql":
            cursor = self.conn.cursor(name=f"hague_verify_{next(self._named)}")
            sql = sql.replace("?", "%s")
        else:
            cursor = self.conn.cursor()
        try:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(batch or _BATCH):
                yield from rows
        finally:
            cursor.close()


# --- the chain -------------------------------------------------------------------------------------------------


def _chain(s: Rows, report: Report, since: int | None) -> tuple[dict[int, Entry], dict[str, Capture], list[bytes]]:
    """Every entry's hash recomputed (after ``since``) and every link checked, in one pass over one query.

    Returns the entries whose content later checks read (key pins, the facts people rely on), each item's latest
    capture (with ``since``, captures after it only) as digests, and the leaf hashes as stored. Rows are
    streamed: memory holds the entries kept, not the ledger.
    """
    text = "CAST({} AS TEXT)" if s.dialect == "postgresql" else "{}"  # JSON as stored, not parsed by the driver
    rows = s(f"SELECT seq, time, actor, action, {text.format('subjects')}, {text.format('details')}, prev_hash, "
             "entry_hash FROM ledger_entries ORDER BY seq")
    entries: dict[int, Entry] = {}
    captures: dict[str, Capture] = {}
    leaves: list[bytes] = []
    prev, floor = chain.GENESIS, since or 0
    keep_old = ATTESTED_ACTIONS | {"init", chain.ROTATE}  # what later checks read beside captures; the rest
    # (analysis, refresh...) is hashed and let go
    leaf_hash, payload, stored = merkle.leaf_hash, chain.entry_payload, chain.stored_payload
    for expected, (seq, time, actor, action, subjects, details, prev_hash, entry_hash) in enumerate(rows, 1):
        if seq != expected:
            report.fail("entry-removed", f"entry {expected}", f"ledger entry {expected} is missing (next entry "
                                                              f"present is {seq}): entries removed or reordered")
            break
        if seq > floor or action in keep_old:
            subj, det = _json(subjects), _json(details)
            # The stored text hashed as it is (canonical, as written) when each JSON column decoded to one list
            # or object, as an entry holds; else decoded and re-encoded, as the entry was hashed (text written
            # before canonical storage, or edited): one way or the other, the same bytes or none.
            as_stored = stored(seq, time, actor, action, subjects, details, prev_hash) \
                if type(subj) is list and type(det) is dict else None
            if (as_stored is None or leaf_hash(as_stored).hex() != entry_hash) and \
                    leaf_hash(payload(seq, time, actor, action, subj, det, prev_hash)).hex() != entry_hash:
                report.fail("entry-altered", f"entry {seq}",
                            f"ledger entry {seq} ({action}) altered: its content no longer matches its hash")
            if action == "capture" and seq > floor:
                if isinstance(subj, list) and subj:
                    e = Entry(seq, time, actor, action, subj, det)
                    doc = _recorded_document(e)
                    captures[subj[0]] = Capture(seq, _digest(_recorded_item(e)), doc and _digest(doc))
            elif action in keep_old:
                entries[seq] = Entry(seq, time, actor, action, subj, det)
        if seq > floor and prev_hash != prev:
            report.fail("chain-broken", f"entry {seq}", f"ledger entry {seq} does not link to entry {seq - 1}: "
                                                        "entries removed, reordered or rewritten")
        prev = entry_hash
        leaves.append(_leaf(entry_hash))
    return entries, captures, leaves


_decode = json.JSONDecoder().raw_decode


def _json(value: Any) -> Any:
    """A JSON column as stored (text on SQLite, already parsed on PostgreSQL) as values. Text is decoded by the
    decoder directly when it is one JSON value and nothing else, as the database stores it (``json.loads`` took
    three times as long on the ledger's columns, checking for whitespace around the value); else by ``json.loads``,
    which accepts the same values."""
    if isinstance(value, str):
        try:
            parsed, end = _decode(value)
            if end == len(value):
                return parsed
        except json.JSONDecodeError:
            pass
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value  # left as text: the hash check fails and names the entry
    return value


def _leaf(value: Any) -> bytes:
    """A stored entry hash as the 32 bytes it names, or nothing if it is not one (the roots then fail)."""
    try:
        leaf = bytes.fromhex(value)
    except (ValueError, TypeError):
        return b""
    return leaf if len(leaf) == 32 else b""


# --- keys and heads --------------------------------------------------------------------------------------------


def _pins(entries: dict[int, Entry], report: Report, any_entry: bool) -> list[chain.Pin]:
    """The keys the ledger pins, each rotation checked against the key before it."""
    pinned: list[chain.Pin] = []
    for e in sorted((e for e in entries.values() if e.action in ("init", chain.ROTATE)), key=lambda e: e.seq):
        pin = chain.pin_of(e.seq, e.details)
        if e.action == "init":
            if e.seq != 1 or pin is None or pinned:
                report.fail("key-unpinned", f"entry {e.seq}", f"ledger entry {e.seq} (init) pins no signing key: "
                            "the workspace's key cannot be confirmed (a ledger made before key pinning, or "
                            "rewritten)")
                continue
            if keys.key_id(pin.public_key) != pin.key_id:
                report.fail("key-unpinned", f"entry {e.seq}", "the init entry's public key does not have the "
                                                              "fingerprint it names")
                continue
        else:
            det = e.details if isinstance(e.details, dict) else {}
            ok = (pin is not None and bool(pinned) and det.get("from") == pinned[-1].key_id
                  and keys.key_id(pin.public_key) == pin.key_id
                  and keys.verify_signature(pinned[-1].public_key, str(det.get("signature", "")),
                                            keys.rotation_message(pinned[-1].key_id, pin.key_id, pin.public_key)))
            if not ok or pin is None:
                report.fail("key-rotation-forged", f"entry {e.seq}",
                            f"ledger entry {e.seq} hands signing to another key without the signature of the key "
                            "it replaces: heads signed after it are not trusted")
                continue
        pinned.append(pin)
    if not pinned and any_entry:
        report.fail("key-unpinned", "ledger", "the ledger pins no signing key")
    return pinned


def _pin_at(pinned: list[chain.Pin], size: int) -> chain.Pin | None:
    current = None
    for p in pinned:
        if p.seq <= size:
            current = p
    return current


def _check_head(head: dict[str, Any], name: str, pinned: list[chain.Pin], roots: dict[int, bytes], size: int,
                report: Report) -> None:
    pin = _pin_at(pinned, head["tree_size"])
    if pin is None or head["key_id"] != pin.key_id:
        report.fail("wrong-key", name, f"{name} is signed by key {head['key_id']}, not the key the ledger pins "
                                       f"at that size ({pin.key_id if pin else 'none'}): re-signed or forged")
        return
    msg = chain.head_message(head["tree_size"], head["root_hash"], head["timestamp"], head["key_id"])
    if not keys.verify_signature(pin.public_key, str(head["signature"]), msg):
        report.fail("bad-signature", name, f"{name}: bad signature")
    if head["tree_size"] > size:
        report.fail("entry-removed", name, f"{name} covers {head['tree_size']} entries but the ledger has "
                                           f"{size}: entries removed")
    elif roots.get(head["tree_size"], b"").hex() != head["root_hash"]:
        report.fail("root-mismatch", name, f"{name}: the ledger's first {head['tree_size']} entries no longer have "
                                           "the signed Merkle root (entries altered, removed or reordered)")


def _db_heads(s: Rows) -> Iterator[tuple[int, dict[str, Any]]]:
    for hid, *values in s("SELECT id, tree_size, root_hash, timestamp, key_id, signature FROM tree_heads ORDER BY id"):
        yield hid, dict(zip(("tree_size", "root_hash", "timestamp", "key_id", "signature"), values, strict=True))


def _check_heads(s: Rows, witness: Witness, leaves: list[bytes], pinned: list[chain.Pin],
                 report: Report) -> None:
    heads = list(_db_heads(s))  # one per command that changed the ledger: few beside the entries
    report.heads = len(heads)
    lines = witness.lines() if witness.exists() else []
    sizes = {h["tree_size"] for _, h in heads} | {ln.head["tree_size"] for ln in lines if ln.head}
    roots = merkle.prefix_roots(leaves, {n for n in sizes if n <= len(leaves)})
    last_size = 0
    for hid, h in heads:
        name = f"tree head #{hid} (size {h['tree_size']})"
        _check_head(h, name, pinned, roots, len(leaves), report)
        if h["tree_size"] < last_size:
            report.fail("head-shrank", name, f"{name} is smaller than an earlier head ({last_size})")
        last_size = max(last_size, h["tree_size"])
    for ln in lines:
        name = f"witnessed head, line {ln.number} of {witness.path.name}"
        if ln.head is None:
            report.fail("witness-altered", name, f"{name} is not a signed tree head: altered")
            continue
        report.witnessed += 1
        _check_head(ln.head, name + f" (size {ln.head['tree_size']})", pinned, roots, len(leaves), report)
    if heads:
        report.head = chain.SignedHead(**heads[-1][1]).to_json()
        if heads[-1][1]["tree_size"] < len(leaves):
            report.notes.append(f"{len(leaves) - heads[-1][1]['tree_size']} ledger entries after the latest signed "
                                "head")
        if not lines:
            report.fail("witness-missing", str(witness.path),
                        f"the witness log {witness.path} is missing or empty, so a truncated or re-signed ledger "
                        "would go unseen: restore it from a backup; if this machine never held it (a shared "
                        "database), `hague init` here starts one")
        elif max(ln.head["tree_size"] for ln in lines if ln.head) < heads[-1][1]["tree_size"] and \
                heads[-1][1] not in [ln.head for ln in lines]:
            report.notes.append("the latest signed head is not in this machine's witness log (signed elsewhere, "
                                "or the log was cut short)")
    elif leaves:
        report.fail("no-head", "ledger", "the ledger has entries but no signed tree head")


def _trusted_prefix(s: Rows, witness: Witness, leaves: list[bytes], pinned: list[chain.Pin], since: int | None,
                    report: Report) -> int:
    """``since`` once a head of that size, signed by the key pinned then, commits to the stored leaf hashes."""
    if not since:
        return 0
    candidates = [h for _, h in _db_heads(s) if h["tree_size"] == since]
    if witness.exists():
        candidates += [ln.head for ln in witness.lines() if ln.head and ln.head["tree_size"] == since]
    if not candidates:
        raise InvalidInput(f"no signed tree head of size {since} to start from (see `hague log` or the witness log)")
    if since > len(leaves):
        raise InvalidInput(f"the ledger has {len(leaves)} entries, fewer than {since}: entries removed; run a full "
                          "`hague verify`")
    root = merkle.root(leaves[:since]).hex()
    pin = _pin_at(pinned, since)
    for h in candidates:
        msg = chain.head_message(h["tree_size"], h["root_hash"], h["timestamp"], h["key_id"])
        if pin and h["key_id"] == pin.key_id and h["root_hash"] == root and \
                keys.verify_signature(pin.public_key, str(h["signature"]), msg):
            report.notes.append(f"entries 1-{since} proved unchanged by the signed head of size {since}; "
                                "only later entries and the originals they captured were re-read")
            return since
    report.fail("root-mismatch", f"size {since}", f"the ledger's first {since} entries no longer have the root "
                                                  f"the signed head of size {since} commits to")
    return 0


def _check_key_file(ws: Workspace, pinned: list[chain.Pin], report: Report) -> None:
    path = ws.config.key_path
    if not pinned or not path.exists():
        return
    try:
        kid = keys.key_id(keys.public_pem(keys.load_key(path)))
    except (ValueError, TypeError, OSError) as exc:
        report.fail("key-file", str(path), f"the signing key file {path} cannot be read: {exc}")
        return
    if kid == pinned[-1].key_id:
        return
    pending = path.with_name("ed25519.next.pem")
    if pending.exists() and keys.key_id(keys.public_pem(keys.load_key(pending))) == pinned[-1].key_id:
        report.notes.append("a key rotation was interrupted after the ledger recorded it; the next command that "
                            "signs puts the new key in place")
        return
    report.fail("key-file", str(path), f"the signing key file {path} holds key {kid}, not the key the ledger "
                                       f"pins ({pinned[-1].key_id}): replaced")


# --- items, documents and originals ---------------------------------------------------------------------------


_ITEM = ("sha256", "captured_by", *ITEM_FIELDS)  # columns read, in this order
_DOC = ("item_sha256", "id", "outlet", *DOCUMENT_FIELDS.values())


def _sizes(s: Rows) -> dict[str, int]:
    """Each item's recorded size: what the originals are re-hashed against (the rest of its row is compared with
    its capture entry by :func:`_check_items`, a row at a time)."""
    return dict(s("SELECT sha256, size FROM items"))


def _captured_before(s: Rows, seq: int) -> set[str]:
    return {sha for sha, in s("SELECT DISTINCT sha256 FROM ledger_subjects WHERE seq <= ?", (seq,))}


def _entry(s: Rows, seq: int) -> Entry:
    """A ledger entry read again (its hash was checked in this snapshot): to name what differs from a row."""
    (time, actor, action, subjects, details), = s("SELECT time, actor, action, subjects, details FROM "
                                                  "ledger_entries WHERE seq = ?", (seq,))
    return Entry(seq, time, actor, action, _json(subjects), _json(details))


def _chunks(values: list[Any], n: int) -> Iterator[list[Any]]:
    it = iter(values)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


def _check_items(s: Rows, items: dict[str, int], captures: dict[str, Capture], old: set[str],
                 report: Report) -> None:
    """Every item against the capture entry that attests it (each field it records, and who); with ``since``,
    items captured in the proved prefix (``old``) and not again after it are left out."""
    for row in s(f"SELECT {', '.join(_ITEM)} FROM items"):
        sha = row[0]
        capture = captures.get(sha)
        if capture is None:
            if sha not in old:
                report.fail("item-unrecorded", sha, f"item {sha} has no capture entry in the ledger")
            continue
        if _digest(row[1:]) == capture.item:
            continue
        recorded = (sha, *_recorded_item(_entry(s, capture.seq)))
        for name, was, now in zip(_ITEM, recorded, row, strict=True):
            if was != now:
                report.fail("item-altered", sha, f"item {sha}: {name} is {now!r} but the ledger recorded {was!r}")
    for sha, capture in captures.items():
        if sha not in items:
            report.fail("item-removed", sha, f"ledger entry {capture.seq} records the capture of {sha}, but the "
                                             "database has no such item (deleted)")


@dataclass(slots=True)
class DocumentRow:
    """What a documents row gave when it was read, as far as the checks against the ledger need it: the row itself
    is read again (by ``id``) only to name a field that differs."""

    item: str
    id: Any
    fields: bytes  # digest of DOCUMENT_FIELDS' columns
    foreign_source: bool  # linked to a source other than its outlet
    text_altered: bool  # its extracted text no longer hashes to the text hash the row records


def _read_documents(s: Rows) -> list[DocumentRow]:
    """Every document, each read once with its extracted text (on SQLite a column after the text is reached only by
    walking the text's overflow pages, so a second query for the other columns read all the texts again). Runs on a
    worker thread on the same connection while this one checks the chain: reading and hashing the texts (as much
    as the originals on small files) overlaps it; one batch of texts in memory at a time, and per document a
    digest of what :func:`_check_documents` compares with the ledger."""
    body = "CAST(d.text AS BLOB)" if s.dialect == "sqlite" else "d.text"
    rows = s(f"SELECT {', '.join('d.' + c for c in _DOC)}, src.name, {body} FROM documents d "
             "LEFT JOIN sources src ON src.id = d.source_id", batch=_TEXTS)
    out = []
    for doc in rows:
        outlet, fields, source, text_ = doc[2], doc[3:-2], doc[-2], doc[-1]
        digest = hashlib.sha256(text_ if isinstance(text_, bytes) else text_.encode("utf-8")).hexdigest()
        altered = digest != fields[-1]  # the row's text_sha256, DOCUMENT_FIELDS' last column
        out.append(DocumentRow(doc[0], doc[1], _digest(fields), source is not None and source != outlet, altered))
    return out


def _document(s: Rows, doc_id: Any) -> tuple[Any, ...]:
    """A documents row read again (in this snapshot): its outlet, DOCUMENT_FIELDS' columns and its source's name,
    to name what differs."""
    (row,) = s(f"SELECT {', '.join('d.' + c for c in _DOC[2:])}, src.name FROM documents d "
               "LEFT JOIN sources src ON src.id = d.source_id WHERE d.id = ?", (doc_id,))
    return row


def _check_documents(s: Rows, items: dict[str, int], captures: dict[str, Capture], documents: list[DocumentRow],
                     report: Report) -> None:
    """Documents against the capture entries that attest them, and their texts against the hashes their rows
    record (``documents``, from :func:`_read_documents` on a worker thread)."""
    for doc in documents:
        sha = doc.item
        capture = captures.get(sha)
        if capture is None:  # an item without a capture entry is named already; with ``since``, an old one
            continue
        capture.seen = True
        if capture.document is None:
            report.fail("document-unrecorded", sha, f"document {doc.id}: the capture of item {sha} recorded no "
                                                    "document")
            continue
        if doc.fields != capture.document or doc.foreign_source:
            outlet, *fields, source = _document(s, doc.id)
            if doc.fields != capture.document:
                recorded = _recorded_document(_entry(s, capture.seq)) or ()
                for column, was, now in zip(DOCUMENT_FIELDS.values(), recorded, fields, strict=True):
                    if was != now:
                        report.fail("document-altered", sha, f"document {doc.id} (item {sha}): {column} is {now!r} "
                                                             f"but the ledger recorded {was!r}")
            if doc.foreign_source:
                report.fail("document-altered", sha, f"document {doc.id} is linked to source {source!r}, not its "
                                                     f"outlet {outlet!r}")
    for sha, capture in captures.items():
        if capture.document is not None and sha in items and not capture.seen:
            report.fail("document-removed", sha, f"ledger entry {capture.seq} records a document read from {sha}, "
                                                 "but the database has none (deleted)")
    for doc in documents:
        capture = captures.get(doc.item)
        if doc.text_altered and capture is not None and capture.document is not None:  # its row was compared
            report.fail("document-altered", doc.item, f"document {doc.id} (item {doc.item}): extracted text differs "
                                                      "from what was recorded")


def _check_blobs(s: Rows, rehashed: Iterable[tuple[str, str | None, int]], items: dict[str, int],
                 report: Report) -> None:
    """Each original re-hashed: (its SHA-256, what its stored bytes hash to or None if missing, their size)."""
    count = total = 0  # kept here, not on the report, while 10,000 small originals go by
    for sha, actual, size in rehashed:
        count += 1
        total += size
        if actual == sha and size == items[sha]:
            continue
        if actual is None:
            report.fail("blob-missing", sha, f"blob missing from the store: {sha} ({_origin(s, sha)})")
        elif actual != sha:
            report.fail("blob-altered", sha, f"blob altered: {sha} ({_origin(s, sha)}) now hashes to {actual}")
        else:
            report.fail("item-altered", sha, f"item {sha} records {items[sha]} bytes, blob has {size}")
    report.items += count
    report.bytes += total


def _origin(s: Rows, sha: str) -> Any:
    """Where an original came from, read only to name one that failed."""
    return next(iter([o for o, in s("SELECT origin FROM items WHERE sha256 = ?", (sha,))]), None)

