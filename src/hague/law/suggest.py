"""Candidate provisions for an incident, from the mapping rules in ``rules.yaml`` (law.md §3).

Output is a list of suggestions, each saying which provision *may be engaged* and why (the incident
features that fired which rule). Provisions that must be shown but never suggested — inoperative,
conditional on ratification, not binding on the parties, pattern-level (art. 7), or waiting for an
analyst flag — come back with ``status="show_only"`` and ``why_not``, to be rendered greyed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from hague.law.conflicts import ConflictContext, for_incident, party_code
from hague.law.datafiles import load_yaml
from hague.law.features import Coded, IncidentFeatures, to_law_codes
from hague.law.matching import match
from hague.law.provisions import OPERATIVE, Provision, load_provisions
from hague.vocab import ProvisionStatus

SUGGESTED = ProvisionStatus.SUGGESTED
SHOW_ONLY = ProvisionStatus.SHOW_ONLY
# order of the rule groups in output: Rome Statute first, then treaty, custom, then the greyed ones
GROUPS = ("named", "iac", "niac", "conditional", "treaty", "customary", "pattern", "show_not_suggest")
# A reviewer works through a few checklists that fit, not forty. Each rule lists its provisions most fitting
# first (rules.yaml); of those that apply to the incident's conflict, each rule suggests this many per group,
# and a provision the sources cite themselves, or a conditional one whose flag an analyst set, always. The
# others stay listed after them, greyed, saying they were ranked lower, for a reviewer to add.
PER_RULE = {"iac": 2, "niac": 2, "treaty": 2, "customary": 2}


@dataclass(frozen=True, slots=True)
class Conditional:
    """Provisions suggested only when an analyst flag holds (law.md ``iac_if_emblem`` and the like)."""

    flag: str
    equals: str
    provisions: tuple[str, ...]
    why: str


@dataclass(frozen=True, slots=True)
class Rule:
    """One mapping rule: when the incident matches, these provisions may be engaged."""

    id: str
    label: str
    when: dict[str, Any]
    suggest: dict[str, tuple[str, ...]]
    conditional: tuple[Conditional, ...] = ()
    show_not_suggest: tuple[tuple[str, str], ...] = ()
    requires: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    verify: bool = False
    verify_note: str | None = None

    def references(self) -> list[str]:
        """Every provision id the rule names (for the reference-integrity check)."""
        ids = [pid for group in self.suggest.values() for pid in group]
        ids += [pid for cond in self.conditional for pid in cond.provisions]
        return ids + [pid for pid, _ in self.show_not_suggest]


def _text(value: str) -> str:
    return " ".join(value.split())


@cache
def _load_rules() -> tuple[Rule, ...]:
    rules = []
    for raw in load_yaml("rules")["rules"]:
        rules.append(Rule(
            id=raw["id"], label=raw["label"], when=raw["when"],
            suggest={group: tuple(ids) for group, ids in raw.get("suggest", {}).items()},
            conditional=tuple(Conditional(c["flag"], c["equals"], tuple(c["provisions"]), _text(c["why"]))
                              for c in raw.get("conditional", ())),
            show_not_suggest=tuple((s["id"], _text(s["reason"])) for s in raw.get("show_not_suggest", ())),
            requires=tuple(raw.get("requires", ())),
            notes=tuple(_text(n) for n in raw.get("notes", ())),
            verify=bool(raw.get("verify", False)), verify_note=raw.get("verify_note"),
        ))
    return tuple(rules)


def load_rules() -> list[Rule]:
    """The mapping rules, in file order."""
    return list(_load_rules())


def common_requirements() -> list[str]:
    """Prompts appended to every attack-type provision's checklist (law.md §3.3)."""
    return list(load_yaml("rules")["common_requirements"])


def gate_preferences(context_codes: set[str]) -> list[str]:
    """Provision-id prefixes to list first for the incident's context (custody vs hostilities)."""
    prefer: list[str] = []
    for gate in load_yaml("rules")["gates"]:
        if set(gate["when"]["context"]) & context_codes:
            prefer += gate["prefer"]
    return prefer


@dataclass(slots=True)
class Suggestion:
    """A provision that may be engaged (``suggested``) or is shown greyed (``show_only``), with why."""

    provision_id: str
    citation: str
    title: str
    status: str  # suggested | show_only
    group: str  # named | iac | niac | conditional | treaty | customary | pattern | show_not_suggest
    reasons: list[str] = field(default_factory=list)  # "target: hospital → medical facilities (R_MEDICAL)"
    triggers: list[str] = field(default_factory=list)  # "target: hospital"
    rules: list[str] = field(default_factory=list)
    why_not: str | None = None
    requires: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    url: str = ""
    verify: bool = False
    verify_notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _why_not_status(prov: Provision, features: IncidentFeatures) -> str | None:
    """Why a provision's own status keeps it from being suggested (None if it may be suggested)."""
    if prov.pattern:
        return " ".join(load_yaml("rules")["pattern_reason"].split())
    if prov.status == OPERATIVE:
        return None
    if prov.status == "party_specific" and party_code(features.perpetrator) in prov.parties:
        return None
    return prov.status_reason or prov.status


def suggest(features: IncidentFeatures, context: ConflictContext | None = None) -> list[Suggestion]:
    """Candidate provisions for an incident, suggested ones first, each with its reasons.

    ``context`` defaults to the conflict table's classification for the incident (or its override).
    Provisions whose conflict type cannot apply are left out; an unclear classification keeps both
    the IAC and the NIAC routes, and says so in each suggestion's notes.
    """
    if context is None:
        context = for_incident(features)
    applicable = context.applicable if context else frozenset({"iac", "niac"})
    context_note = _context_note(context)
    coded = to_law_codes(features)
    provisions = load_provisions()
    found: dict[str, Suggestion] = {}
    order: dict[str, tuple[int, int]] = {}

    primary: set[str] = set()  # the provisions some rule ranks among its best fitting (see PER_RULE)
    taken: dict[tuple[str, str], int] = {}

    def add(pid: str, group: str, rule: Rule, matched: list[Coded], why_not: str | None) -> None:
        prov = provisions[pid]
        if not set(prov.conflict) & applicable:
            return
        why_not = why_not or _why_not_status(prov, features)
        if why_not is None and (group == "conditional" or taken.get((rule.id, group), 0) < PER_RULE.get(group, 0)):
            primary.add(pid)
            taken[(rule.id, group)] = taken.get((rule.id, group), 0) + 1
        entry = found.get(pid)
        if entry is None:
            entry = found[pid] = Suggestion(pid, prov.citation, prov.title, SHOW_ONLY, group, url=prov.url,
                                            verify=prov.verify)
            entry.verify_notes += [n for n in (prov.verify_note,) if n]
            entry.notes += [n for n in (prov.note, context_note) if n]
            order[pid] = (GROUPS.index(group), len(order))
        if why_not is None and entry.status != SUGGESTED:
            entry.status, entry.group, entry.why_not = SUGGESTED, group, None
            order[pid] = (GROUPS.index(group), order[pid][1])
        elif entry.status != SUGGESTED:
            entry.why_not = entry.why_not or why_not
        # the hostilities gate is the default reading of an attack, not a reason worth a line
        gate = "conduct_of_hostilities" in rule.when.get("context", ())
        labels = [c.label for c in matched if not (gate and c.dimension == "context")]
        reason = f"{' + '.join(dict.fromkeys(labels))} → {rule.label} ({rule.id})"
        if reason not in entry.reasons:
            entry.reasons.append(reason)
        entry.triggers += [label for label in labels if label not in entry.triggers]
        entry.rules += [rule.id] if rule.id not in entry.rules else []
        entry.requires += [r for r in rule.requires if r not in entry.requires]
        entry.notes += [n for n in rule.notes if n not in entry.notes]
        if rule.verify and rule.verify_note and rule.verify_note not in entry.verify_notes:
            entry.verify, entry.verify_notes = True, entry.verify_notes + [rule.verify_note]

    for rule in _load_rules():
        matched = match(rule.when, coded, features, context)
        if matched is None:
            continue
        for group in GROUPS:
            for pid in rule.suggest.get(group, ()):
                add(pid, group, rule, matched, None)
        for cond in rule.conditional:
            held = features.flags.get(cond.flag) == cond.equals
            for pid in cond.provisions:
                add(pid, "conditional", rule, matched, None if held else f"suggested {cond.why}")
        for pid, reason in rule.show_not_suggest:
            add(pid, "show_not_suggest", rule, matched, reason)

    for pid in features.named:
        if pid not in provisions:
            continue
        prov = provisions[pid]
        entry = found.get(pid)
        if entry is None:
            entry = found[pid] = Suggestion(pid, prov.citation, prov.title, SUGGESTED, "named", url=prov.url,
                                            verify=prov.verify)
            entry.verify_notes += [n for n in (prov.verify_note,) if n]
            entry.notes += [n for n in (prov.note,) if n]
        entry.status, entry.group, entry.why_not = SUGGESTED, "named", None
        order[pid] = (GROUPS.index("named"), order.get(pid, (0, len(order)))[1])
        primary.add(pid)
        entry.reasons.insert(0, "named in the source itself")
        entry.triggers.insert(0, f"named: {pid}")
        if not set(prov.conflict) & applicable:
            entry.notes.append(f"the source cites it, but it governs {'/'.join(prov.conflict)} conflicts and "
                               f"the classification here is {context.conflict_type if context else 'unknown'}")
    lower = [s for s in found.values() if s.status == SUGGESTED and s.provision_id not in primary]
    for entry in lower:
        entry.status = SHOW_ONLY
        entry.why_not = ("ranked below the provisions that fit this incident best (each rule suggests its first "
                         "few); add it if the review needs it")

    prefer = gate_preferences({c.code for c in coded if c.dimension == "context"})
    ranked_lower = {s.provision_id for s in lower}
    return sorted(found.values(), key=lambda s: (
        0 if s.status == SUGGESTED else 1 if s.provision_id in ranked_lower else 2, order[s.provision_id][0],
        not any(_within(s.provision_id, p) for p in prefer), order[s.provision_id][1]))


def _within(provision_id: str, prefix: str) -> bool:
    """``RS 8(2)(a)(i)`` is within ``RS 8(2)(a)``; ``RS 8(2)(b)(ix)`` is not within ``RS 8(2)(b)(i)``."""
    return provision_id == prefix or provision_id.startswith(prefix + "(")


def _context_note(context: ConflictContext | None) -> str | None:
    if context is None:
        return "no conflict classification for this country and date: IAC and NIAC routes both shown"
    if context.conflict_type == "unclear":
        return f"conflict classification unclear ({context.basis}): IAC and NIAC routes both shown"
    if context.assumed:
        return f"conflict classification {context.describe()}: {context.assumption}"
    return None


def trigger_summary(suggestions: list[Suggestion]) -> list[str]:
    """One line per incident feature: what it brought in ("target: hospital → RS 8(2)(b)(ix), GC I 19, ...").

    Lists suggested provisions only; greyed ones carry their own ``why_not``.
    """
    by_trigger: dict[str, list[str]] = {}
    for s in suggestions:
        if s.status != SUGGESTED:
            continue
        for trigger in s.triggers:
            by_trigger.setdefault(trigger, []).append(s.provision_id)
    return [f"{trigger} → {', '.join(ids)}" for trigger, ids in by_trigger.items()]
