"""The facts people rely on, checked against the ledger entries that recorded them.

Review states and their history, a reviewer's element findings, source grades, per-incident conflict
classifications and protected persons are rows anyone with the database can edit; each was also written
to the ledger when a person (or an analysis run) set it. Replaying those entries gives what every row must
say, so an edited, added or deleted row is named. Only the entries and the tables are read: whatever
module writes these facts, this check does not depend on it. Tables are read a batch of rows at a time
(:class:`hague.evidence.audit.Rows`): an analysed workspace's assessments alone are hundreds of megabytes.

Machine suggestions (element findings an analysis filled in, incidents, statements) are derived data that
``hague analyze --force`` rebuilds from the originals; a finding only counts as a person's once the ledger
says so.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hague.evidence.pseudonyms import SECRET_FILE, digest, pseudonym
from hague.vocab import Action

if TYPE_CHECKING:
    from hague.evidence.audit import Entry, Report, Rows

TRANSITION, REFRESH, ELEMENT = Action.REVIEW_TRANSITION, Action.REVIEW_REFRESH, Action.REVIEW_ELEMENT
CONTEXT, GRADE, PROTECT = Action.REVIEW_CONTEXT, Action.SOURCE_GRADE, Action.PROTECT
ATTESTED_ACTIONS = frozenset({TRANSITION, REFRESH, ELEMENT, CONTEXT, GRADE, PROTECT})
_TRANSITION_KEYS = ("action", "from_state", "to_state", "reviewer", "reason", "at", "label", "evidence")
_WIDE = 200  # rows of assessments (every element's finding as JSON) fetched at a time


def manifest_digest(items: Any) -> str:
    """SHA-256 of canonical JSON (sorted keys, UTF-8): the one digest of what a review decision saw, used both
    when :mod:`hague.assessments` records a decision (the row keeps the items, the ledger the digest) and here,
    where verify recomputes it."""
    return hashlib.sha256(json.dumps(items, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def check_attested(s: Rows, entries: list[Entry], home: Path, report: Report) -> None:
    entries = sorted(entries, key=lambda e: e.seq)
    by_action: dict[str, list[Entry]] = {}
    for e in entries:
        if isinstance(e.details, dict):
            by_action.setdefault(e.action, []).append(e)
    _reviews(s, [e for e in entries if e.action in (TRANSITION, REFRESH) and isinstance(e.details, dict)], report)
    _elements(s, by_action.get(ELEMENT, []), report)
    _grades(s, by_action.get(GRADE, []), report)
    _contexts(s, by_action.get(CONTEXT, []), report)
    _protections(s, by_action.get(PROTECT, []), home, report)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _reviews(s: Rows, entries: list[Entry], report: Report) -> None:
    expected: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        steps = e.details.get("transitions", []) if e.action == REFRESH else [
            {k: e.details.get(k) for k in _TRANSITION_KEYS}]
        expected.setdefault(str(e.details.get("incident")), []).extend(steps)
    seen = set()
    for incident, state, history in s("SELECT incident_id, state, history FROM reviews", batch=_WIDE):
        history = _json(history) or []
        seen.add(incident)
        want = expected.get(incident)
        steps = [{k: h.get(k) for k in _TRANSITION_KEYS} for h in history]
        if any("evidence_items" in h and manifest_digest(h["evidence_items"]) != h.get("evidence") for h in history):
            report.fail("review-altered", incident, f"incident {incident}: the evidence a review decision saw no "
                                                    "longer matches the digest the decision recorded")
        if not want:
            report.fail("review-unrecorded", incident, f"incident {incident} has review state {state!r} but "
                                                       "no ledger entry records any review step")
        elif steps != want:
            report.fail("review-altered", incident, f"incident {incident}: its review history differs from the "
                                                    f"{len(want)} step(s) the ledger records")
        elif state != want[-1]["to_state"]:
            report.fail("review-altered", incident, f"incident {incident} is in review state {state!r} but "
                                                    f"the ledger's last decision put it in {want[-1]['to_state']!r}")
    for incident in expected.keys() - seen:
        report.fail("review-removed", incident, f"the ledger records review steps of incident {incident} but its "
                                                "review row is gone")


def _elements(s: Rows, entries: list[Entry], report: Report) -> None:
    latest: dict[tuple[str, str, str], Entry] = {}
    for e in entries:
        latest[(str(e.details.get("incident")), str(e.details.get("provision")), str(e.details.get("element")))] = e
    found = set()
    for incident, provision, elements in s("SELECT incident_id, provision_id, elements FROM assessments", batch=_WIDE):
        for element, finding in (_json(elements) or {}).items():
            if not isinstance(finding, dict) or finding.get("origin") != "analyst":
                continue
            key = (incident, provision, element)
            name = f"{key[0]} / {key[1]} / {key[2]}"
            found.add(key)
            e = latest.get(key)
            if e is None:
                report.fail("element-unrecorded", name, f"element finding {name} says a person set it "
                                                        f"({finding.get('status')!r}) but no ledger entry records it")
                continue
            recorded = {"status": e.details.get("status"), "note": e.details.get("note"),
                        "evidence": e.details.get("evidence"), "set_by": e.actor}
            for k, v in recorded.items():
                if finding.get(k) != v:
                    report.fail("element-altered", name, f"element finding {name}: {k} is {finding.get(k)!r} but "
                                                         f"the ledger (entry {e.seq}) recorded {v!r}")
    for key in latest.keys() - found:
        name = " / ".join(key)
        report.fail("element-removed", name, f"ledger entry {latest[key].seq} records a person's finding on {name}, "
                                             "but the database no longer holds it")


def _grades(s: Rows, entries: list[Entry], report: Report) -> None:
    latest = {str(e.details.get("source")): e for e in entries}
    for name, reliability, credibility in s("SELECT name, reliability, credibility FROM sources"):
        grade = (reliability or "") + (credibility or "")
        e = latest.get(name)
        if e is None and grade:
            report.fail("grade-unrecorded", name, f"source {name!r} is graded {grade} but no ledger entry records a "
                                                  "grade")
        elif e is not None and grade != e.details.get("grade"):
            report.fail("grade-altered", name, f"source {name!r} is graded {grade or 'nothing'} but the ledger (entry "
                                               f"{e.seq}) recorded {e.details.get('grade')}")


def _contexts(s: Rows, entries: list[Entry], report: Report) -> None:
    latest = {str(e.details.get("incident")): e for e in entries}
    seen = set()
    for incident, override in s("SELECT id, context_override FROM incidents"):
        seen.add(incident)
        e = latest.get(incident)
        want = None if e is None or e.details.get("context") == "table" else e.details.get("context")
        if override != want:
            report.fail("context-altered", incident, f"incident {incident}: conflict classification is "
                                                     f"{override or 'the table'!r} but the ledger records "
                                                     f"{want or 'the table'!r}")
    for incident, e in latest.items():
        if incident not in seen and e.details.get("context") != "table":
            report.fail("context-removed", incident, f"ledger entry {e.seq} classifies incident {incident}, which "
                                                     "is gone from the database")


def _protections(s: Rows, entries: list[Entry], home: Path, report: Report) -> None:
    rows = list(s("SELECT name, aliases, reason, marked_by FROM protected_persons"))  # a handful of people
    if not rows and not entries:
        return
    secret_path = home / SECRET_FILE
    try:
        secret = bytes.fromhex(secret_path.read_text().strip())
    except (OSError, ValueError):
        report.fail("protection-unverifiable", str(secret_path),
                    f"protected persons cannot be checked: the pseudonym secret {secret_path} is missing or damaged")
        return
    recorded: dict[str, list[Entry]] = {}
    for e in entries:
        recorded.setdefault(str(e.details.get("pseudonym")), []).append(e)
    for name, aliases, reason, marked_by in rows:
        alias = pseudonym(secret, name)
        history = recorded.pop(alias, [])
        if not history or not history[0].details.get("new"):
            report.fail("protection-unrecorded", alias, f"protected person {alias} is not recorded by a ledger entry "
                                                        "(added, or renamed, in the database)")
            continue
        first = history[0]
        problems = [what for what, bad in (
            ("who marked them", marked_by != first.actor),
            ("their aliases", [digest(secret, a) for a in _json(aliases) or []]
             != [a for e in history for a in e.details.get("aliases", [])]),
            ("the reason", digest(secret, reason) != first.details.get("reason_digest"))) if bad]
        if problems:
            report.fail("protection-altered", alias, f"protected person {alias}: {', '.join(problems)} differ from "
                                                     f"what the ledger recorded (entry {first.seq})")
    for alias, history in recorded.items():
        report.fail("protection-removed", alias, f"ledger entry {history[0].seq} protects {alias}, but the "
                                                 "database no longer does: shared packages would name them")
