"""Law layer: provisions as data, conflict context, candidate provisions, element checklists, review states.

Pure logic, no database: the caller persists what these functions return (assessments, findings,
transitions as ledger entries). Nothing here states that a crime was committed; see ``review.wording``.
"""

from hague.law.conflicts import ConflictContext, conflict_context, for_incident
from hague.law.elements import ELEMENT_STATUSES, ElementFinding, checklist
from hague.law.features import EvidenceRef, IncidentFeatures, feature_key, to_law_codes
from hague.law.provisions import Element, Provision, load_elements, load_prompts, load_provisions, provision
from hague.law.review import (
    ANALYST_CONFIDENCE_LABELS,
    REVIEW_STATES,
    IllegalTransition,
    Transition,
    Wording,
    WordingError,
    allowed_transitions,
    assert_wording_allowed,
    institutional_standards,
    transition,
    wording,
)
from hague.law.suggest import SHOW_ONLY, SUGGESTED, Rule, Suggestion, load_rules, suggest, trigger_summary

__all__ = [
    "ANALYST_CONFIDENCE_LABELS", "ELEMENT_STATUSES", "REVIEW_STATES", "SHOW_ONLY", "SUGGESTED",
    "allowed_transitions", "assert_wording_allowed", "checklist", "conflict_context", "ConflictContext",
    "Element", "ElementFinding", "EvidenceRef", "feature_key", "for_incident", "IllegalTransition",
    "IncidentFeatures", "institutional_standards", "load_elements", "load_prompts", "load_provisions",
    "load_rules", "Provision", "provision", "Rule", "suggest", "Suggestion", "to_law_codes", "Transition",
    "transition", "trigger_summary", "wording", "Wording", "WordingError",
]
