"""The elements checklist of one (incident, provision).

Each element starts ``not_addressed``. The machine fills only what a report directly shows — that
the object of the attack was a hospital, from the report's target and its span — at the status the
element library allows, capped by the report's own status, and marks the finding ``origin="machine"``
so every surface shows it as a suggestion. Intent, knowledge, excessiveness and whether the object
was a military objective are never machine-filled. Analysis questions (military-objective question,
precautions, attribution, ...) follow the elements as ``kind="question"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from hague.law.conflicts import ConflictContext, for_incident
from hague.law.datafiles import load_yaml
from hague.law.features import Coded, EvidenceRef, IncidentFeatures, to_law_codes
from hague.law.matching import match
from hague.law.provisions import Provision, load_elements, load_prompts, provision
from hague.law.suggest import Suggestion, common_requirements, suggest
from hague.vocab import ElementStatus

ELEMENT_STATUSES: tuple[ElementStatus, ...] = tuple(ElementStatus)  # elements.yaml lists the same (tested)
_RANK = {"partially_supported": 1, "supported": 2}


@dataclass(frozen=True, slots=True)
class ElementFinding:
    """One element (or analysis question) of a checklist, its status and the evidence linked to it."""

    element_id: str
    text: str
    kind: str = "element"  # element | question
    status: str = "not_addressed"
    evidence: tuple[EvidenceRef, ...] = ()
    note: str | None = None
    origin: str = "machine"  # machine (a suggestion) | analyst
    verify: bool = False
    verify_note: str | None = None
    evidence_hints: tuple[str, ...] = ()

    def with_status(self, status: str, note: str | None = None,
                    evidence: tuple[EvidenceRef, ...] | None = None,
                    origin: str = "analyst") -> ElementFinding:
        """A copy set by a person (or the machine), with the status checked against the allowed values."""
        if status not in ELEMENT_STATUSES:
            raise ValueError(f"unknown element status {status!r}; expected one of {', '.join(ELEMENT_STATUSES)}")
        return replace(self, status=status, note=note if note is not None else self.note,
                       evidence=self.evidence if evidence is None else evidence, origin=origin)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types (lists, not tuples), built by hand: ``asdict`` is slow on thousands of findings."""
        return {"element_id": self.element_id, "text": self.text, "kind": self.kind, "status": self.status,
                "evidence": [e.to_json() for e in self.evidence], "note": self.note, "origin": self.origin,
                "verify": self.verify, "verify_note": self.verify_note, "evidence_hints": list(self.evidence_hints)}


@dataclass(slots=True)
class _Reading:
    """What the machine may read an element from: the incident's codes and its conflict context."""

    features: IncidentFeatures
    coded: list[Coded]
    context: ConflictContext | None


def _machine_fill(finding: ElementFinding, spec: dict[str, Any], reading: _Reading) -> ElementFinding:
    features, context = reading.features, reading.context
    if spec.get("from") == "conflict":
        if context is None or context.conflict_type not in spec["conflict_type"]:
            return finding
        ref = EvidenceRef("conflict_table", quote=context.basis)
        note = _note(spec["note"], [context.describe()])
        return finding.with_status(spec["status"], note, (ref,), "machine")
    matched = match(spec["when"], reading.coded, features, context)
    if not matched:
        return finding
    cap = load_yaml("elements")["report_status_cap"].get(features.status or "alleged", "partially_supported")
    if cap is None:
        return replace(finding, note=f"the report is {features.status}: nothing filled from it")
    refs = tuple(dict.fromkeys(ref for c in matched for ref in features.evidence.get(c.source, ())))
    # "hospital" for a code, "killed: 4" for a count
    found = list(dict.fromkeys(c.label if c.dimension == "harm" else c.label.split(": ", 1)[-1]
                               for c in matched))
    if not refs:
        return replace(finding, note=f"the features name {', '.join(found)} but link no evidence: not filled")
    status = min(spec["status"], cap, key=_RANK.__getitem__)
    return finding.with_status(status, _note(spec["note"], found), refs, "machine")


def _note(template: str, found: list[str]) -> str:
    return " ".join(template.split()).replace("{found}", ", ".join(found))


def checklist(features: IncidentFeatures, prov: Provision | str, context: ConflictContext | None = None,
              suggestions: Sequence[Suggestion] | None = None) -> list[ElementFinding]:
    """Elements then questions for ``prov`` on this incident, machine findings filled as suggestions.

    Questions are the prompts the firing rules require plus, for attack-type provisions, the common
    requirements (military-objective question, precautions, attribution, alternative hypotheses).
    Pass the incident's ``suggestions`` when making several checklists: computing them is the costly part.
    """
    prov = provision(prov) if isinstance(prov, str) else prov
    if context is None:
        context = for_incident(features)
    library, prompts = load_elements(), load_prompts()
    specs = load_yaml("elements")["elements"]
    reading = _Reading(features, to_law_codes(features), context)

    # a rule's required prompts apply to all it suggests; its required elements belong to their own provision
    if suggestions is None:
        suggestions = suggest(features, context)
    requires = next((s.requires for s in suggestions if s.provision_id == prov.id), [])
    questions = [r for r in [*requires, *(common_requirements() if prov.attack else ())] if r in prompts]
    ids = list(dict.fromkeys([*prov.elements, *questions]))
    findings: list[ElementFinding] = []
    for eid in ids:
        finding = blank(eid)
        spec = specs[eid].get("machine") if eid in library else None
        findings.append(_machine_fill(finding, spec, reading) if spec else finding)
    return sorted(findings, key=lambda f: f.kind != "element")


def blank(element_id: str) -> ElementFinding:
    """The element (or analysis question) as the law data defines it, nothing found yet: what every checklist's
    finding on it starts from, and what a stored finding need not repeat (:func:`hague.assessments.compact`)."""
    library, hints = load_elements(), load_yaml("elements")["evidence_hints"]
    if element_id in library:
        element = library[element_id]
        return ElementFinding(element_id, element.text, "element", verify=element.verify,
                              verify_note=element.verify_note, evidence_hints=tuple(hints.get(element_id, ())))
    return ElementFinding(element_id, load_prompts()[element_id], "question",
                          evidence_hints=tuple(hints.get(element_id, ())))
