"""Load a gold set (docs/gold-format.md) into typed records, locating every quote in its document.

Malformed input stops the load with a :class:`GoldSetError` that names the file, because a silently
skipped annotation would make every figure computed on the set quietly wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hague.errors import InvalidInput
from hague.eval.locate import Locator, Span
from hague.eval.values import DateInterval, parse_interval


class GoldSetError(InvalidInput, ValueError):
    """A gold set file is missing or malformed; the message names the file."""


@dataclass
class GoldStatement:
    speaker: str
    aliases: list[str]
    org: str | None
    quote: str
    mode: str
    said_on: DateInterval | None
    stance: str
    spans: list[Span]  # every occurrence of ``quote`` in the document


@dataclass
class GoldReport:
    incident: str
    evidence: list[str]
    spans: list[Span]  # every occurrence of every evidence string
    fields: dict[str, Any]  # event, targets, weapons, place, country, date, killed, ... as annotated


@dataclass
class GoldDoc:
    id: str
    text: str
    published: date | None
    meta: dict[str, Any]
    statements: list[GoldStatement]
    reports: list[GoldReport]


@dataclass
class GoldReuse:
    source: str  # the earlier document ("from")
    target: str  # the later document that reuses it ("to")
    text: str
    spans: list[Span]  # occurrences of ``text`` in the target document


@dataclass
class GoldSet:
    path: Path
    docs: dict[str, GoldDoc]
    reuse: list[GoldReuse] = field(default_factory=list)
    incidents: dict[str, str] = field(default_factory=dict)


_STATEMENT_KEYS = ("speaker", "quote", "mode", "stance")
_REPORT_KEYS = ("incident", "evidence", "event", "targets", "weapons", "status")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldSetError(f"{path}: file is missing") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise GoldSetError(f"{path}: not valid UTF-8 JSON ({e})") from None


def _require(path: Path, entry: Any, keys: tuple[str, ...], what: str, n: int) -> None:
    if not isinstance(entry, dict):
        raise GoldSetError(f"{path}: {what} {n} is not an object")
    missing = [k for k in keys if k not in entry]
    if missing:
        raise GoldSetError(f"{path}: {what} {n} lacks {', '.join(missing)}")


def _interval(path: Path, value: Any, where: str) -> DateInterval | None:
    try:
        return parse_interval(value)
    except ValueError as e:
        raise GoldSetError(f"{path}: {where}: {e}") from None


def _spans(path: Path, locator: Locator, needle: Any, where: str) -> list[Span]:
    if not isinstance(needle, str):
        raise GoldSetError(f"{path}: {where}: expected a string, got {needle!r}")
    spans = locator.find_all(needle)
    if not spans:
        raise GoldSetError(f"{path}: {where}: text not found in the document: {needle[:80]!r}")
    return spans


def _load_doc(setdir: Path, gold_path: Path) -> GoldDoc:
    doc_id = gold_path.stem
    text_path = setdir / "docs" / f"{doc_id}.txt"
    try:
        text = text_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldSetError(f"{text_path}: missing (annotated in {gold_path})") from None
    except UnicodeDecodeError as e:
        raise GoldSetError(f"{text_path}: not UTF-8 ({e})") from None
    meta_path = setdir / "docs" / f"{doc_id}.json"
    meta = _read_json(meta_path) if meta_path.exists() else {}
    if not isinstance(meta, dict):
        raise GoldSetError(f"{meta_path}: not a JSON object")
    published = _interval(meta_path, meta.get("published"), "published")
    data = _read_json(gold_path)
    if not isinstance(data, dict) or not isinstance(data.get("statements", []), list) \
            or not isinstance(data.get("reports", []), list):
        raise GoldSetError(f"{gold_path}: expected an object with lists 'statements' and 'reports'")
    if data.get("doc", doc_id) != doc_id:
        raise GoldSetError(f"{gold_path}: 'doc' is {data['doc']!r} but the file name says {doc_id!r}")
    locator = Locator(text)
    statements = []
    for n, s in enumerate(data.get("statements", []), 1):
        _require(gold_path, s, _STATEMENT_KEYS, "statement", n)
        statements.append(GoldStatement(
            speaker=s["speaker"], aliases=list(s.get("speaker_aliases") or []), org=s.get("org"),
            quote=s["quote"], mode=s["mode"], stance=s["stance"],
            said_on=_interval(gold_path, s.get("said_on"), f"statement {n} said_on"),
            spans=_spans(gold_path, locator, s["quote"], f"statement {n} quote"),
        ))
    reports = []
    for n, r in enumerate(data.get("reports", []), 1):
        _require(gold_path, r, _REPORT_KEYS, "report", n)
        if not isinstance(r["evidence"], list) or not r["evidence"]:
            raise GoldSetError(f"{gold_path}: report {n} evidence must be a non-empty list")
        _interval(gold_path, r.get("date"), f"report {n} date")
        spans = [sp for k, e in enumerate(r["evidence"], 1)
                 for sp in _spans(gold_path, locator, e, f"report {n} evidence {k}")]
        fields = {k: v for k, v in r.items() if k not in ("incident", "evidence", "note")}
        reports.append(GoldReport(r["incident"], list(r["evidence"]), spans, fields))
    return GoldDoc(doc_id, text, published.start if published else None, meta, statements, reports)


def _load_reuse(path: Path, docs: dict[str, GoldDoc]) -> list[GoldReuse]:
    if not path.exists():
        return []
    data = _read_json(path)
    if not isinstance(data, list):
        raise GoldSetError(f"{path}: expected a list of reuse entries")
    entries = []
    for n, r in enumerate(data, 1):
        _require(path, r, ("from", "to", "text"), "reuse entry", n)
        target = docs.get(r["to"])
        if target is None:
            raise GoldSetError(f"{path}: reuse entry {n}: document {r['to']!r} is not in the set")
        spans = _spans(path, Locator(target.text), r["text"], f"reuse entry {n} (in {r['to']})")
        entries.append(GoldReuse(r["from"], r["to"], r["text"], spans))
    return entries


def load_gold_set(setdir: Path | str) -> GoldSet:
    """Read ``setdir`` (docs/, gold/); reuse.json and incidents.json are optional."""
    setdir = Path(setdir)
    gold_dir = setdir / "gold"
    if not gold_dir.is_dir():
        raise GoldSetError(f"{gold_dir}: not a directory (is {setdir} a gold set?)")
    docs = {}
    for gold_path in sorted(gold_dir.glob("*.json")):
        if gold_path.name in ("reuse.json", "incidents.json"):
            continue
        doc = _load_doc(setdir, gold_path)
        docs[doc.id] = doc
    incidents_path = gold_dir / "incidents.json"
    incidents = _read_json(incidents_path) if incidents_path.exists() else {}
    if not isinstance(incidents, dict):
        raise GoldSetError(f"{incidents_path}: expected an object mapping incident keys to descriptions")
    return GoldSet(setdir, docs, _load_reuse(gold_dir / "reuse.json", docs), incidents)


def subset(gold: GoldSet, doc_ids: set[str]) -> GoldSet:
    """The same set restricted to ``doc_ids`` (reuse entries kept when the reusing document is kept)."""
    unknown = doc_ids - gold.docs.keys()
    if unknown:
        raise GoldSetError(f"{gold.path}: no gold for {', '.join(sorted(unknown))}")
    return GoldSet(gold.path, {k: v for k, v in gold.docs.items() if k in doc_ids},
                   [r for r in gold.reuse if r.target in doc_ids], gold.incidents)
