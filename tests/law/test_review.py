"""Review states: legal and illegal moves, who/why/when, four eyes, and the wording each state allows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from hague.law import (
    REVIEW_STATES,
    IllegalTransition,
    IncidentFeatures,
    WordingError,
    allowed_transitions,
    assert_wording_allowed,
    checklist,
    load_elements,
    load_prompts,
    load_provisions,
    load_rules,
    suggest,
    transition,
    wording,
)

Seed = Callable[[str], IncidentFeatures]


def test_states_follow_law_md() -> None:
    assert REVIEW_STATES == ("ingested", "coded", "provisions_suggested", "evidence_linked",
                             "analyst_assessed", "peer_reviewed", "legal_reviewed", "export_ready")
    assert allowed_transitions(None) == ("ingested",)
    assert allowed_transitions("evidence_linked") == ("analyst_assessed", "coded")
    assert allowed_transitions("coded") == ("provisions_suggested",)


def test_a_full_review_records_who_when_why() -> None:
    history, state = [], None
    people = {"peer_reviewed": "B. Second", "legal_reviewed": "C. Lawyer"}
    for new in REVIEW_STATES:
        step = transition(state, new, people.get(new, "A. Analyst"), f"done: {new}", history=history,
                          label="credible_allegation" if new == "analyst_assessed" else None,
                          at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))
        history.append(step)
        state = new
    assert [t.to_state for t in history] == list(REVIEW_STATES)
    entry = history[4].to_json()
    assert entry["action"] == "review.transition" and entry["label"] == "credible_allegation"
    assert entry["at"] == "2024-01-02T03:04:05.000000Z" and entry["reviewer"] == "A. Analyst"


@pytest.mark.parametrize(("current", "new"), [
    (None, "coded"), ("ingested", "provisions_suggested"), ("coded", "legal_reviewed"),
    ("provisions_suggested", "export_ready"), ("export_ready", "ingested"), ("coded", "coded"),
    ("analyst_assessed", "evidence_linked"), ("nowhere", "coded"),
])
def test_illegal_moves_are_rejected(current: str | None, new: str) -> None:
    with pytest.raises(IllegalTransition):
        transition(current, new, "A. Analyst", "because")


def test_reopening_on_new_evidence_is_allowed_from_any_state() -> None:
    assert transition("export_ready", "coded", "A. Analyst", "new video").to_state == "coded"


def test_who_and_why_are_required_and_labels_checked() -> None:
    with pytest.raises(IllegalTransition, match="reviewer"):
        transition("ingested", "coded", "  ", "because")
    with pytest.raises(IllegalTransition, match="reason"):
        transition("ingested", "coded", "A. Analyst", "")
    with pytest.raises(IllegalTransition, match="label"):
        transition("evidence_linked", "analyst_assessed", "A. Analyst", "ok", label="proven")


def test_peer_review_needs_a_second_person() -> None:
    assessed = transition("evidence_linked", "analyst_assessed", "A. Analyst", "retain (b)(ix)")
    with pytest.raises(IllegalTransition, match="second person"):
        transition("analyst_assessed", "peer_reviewed", "a. analyst", "looks fine", history=[assessed])
    assert transition("analyst_assessed", "peer_reviewed", "B. Second", "checked", history=[assessed])


@pytest.mark.parametrize("text", [
    "Russian forces committed a war crime in Vuhledar.",
    "The strike is a war crime.",
    "These attacks constitute war crimes.",
    "War crimes were committed at the plant.",
    "The commander is guilty.",
    "The battalion was the perpetrator.",
    "Russia violated international humanitarian law.",
    "The shelling was a clear violation of AP I 56.",
    "He is a war criminal.",
])
def test_conclusions_are_forbidden_in_every_state(text: str) -> None:
    for state in REVIEW_STATES:
        with pytest.raises(WordingError):
            assert_wording_allowed(text, state)


@pytest.mark.parametrize(("text", "first_state"), [
    ("The report names a hospital as the object; reported by AP.", "ingested"),
    ("RS 8(2)(b)(ix) is a candidate provision; the attack may engage AP I 56.", "provisions_suggested"),
    ("Information suggests the hospital was functioning at the time.", "analyst_assessed"),
    ("The conduct is consistent with a possible violation of GC IV 18.", "analyst_assessed"),
    ("The attack may amount to a war crime under RS 8(2)(b)(ix).", "legal_reviewed"),
    ("There are reasonable grounds to believe the plant was not a military objective.", "legal_reviewed"),
])
def test_phrases_are_allowed_from_their_state_onward(text: str, first_state: str) -> None:
    start = REVIEW_STATES.index(first_state)
    for state in REVIEW_STATES[start:]:
        assert_wording_allowed(text, state)
    for state in REVIEW_STATES[:start]:
        with pytest.raises(WordingError):
            assert_wording_allowed(text, state)


def test_attributed_quotes_are_exempt_but_our_voice_is_not() -> None:
    quote = "It is a war crime to attack a nuclear power plant"
    line = f'The U.S. Embassy said: "{quote}." The attack may engage AP I 56.'
    assert_wording_allowed(line, "provisions_suggested", quoted=[quote])
    with pytest.raises(WordingError, match="qualifies conduct"):
        assert_wording_allowed(line, "provisions_suggested")


def test_wording_lists_what_a_state_allows() -> None:
    early, late = wording("provisions_suggested"), wording("legal_reviewed")
    assert "candidate provision" in early.allowed and "may amount to" not in early.allowed
    assert "may amount to" in late.allowed and "candidate provision" in late.allowed
    assert ("may amount to", "legal_reviewed") in early.not_yet


def test_everything_the_law_layer_outputs_passes_at_suggestion_time(seed: Seed) -> None:
    provisions = load_provisions().values()
    texts = [t or "" for p in provisions for t in (p.summary, p.note, p.status_reason, p.verify_note)]
    texts += [e.text for e in load_elements().values()] + list(load_prompts().values())
    texts += [" ".join([r.label, *r.notes]) for r in load_rules()]
    dangerous = IncidentFeatures(event="attack", targets=["nuclear_power_plant"], weapons=["artillery"], country="UA",
                                 date="2022-03-04", status="reported")
    thermobaric = IncidentFeatures(event="weapon_use", weapons=["thermobaric"], country="UA", status="unconfirmed")
    for features in (seed("kharkiv-childrens-hospital-strike-2022-03-10"),
                     seed("chernihiv-residential-shelling-2022-03-15"), dangerous, thermobaric):
        for s in suggest(features):
            texts += [*s.reasons, *s.notes, s.why_not or ""]
            texts += [f.note or "" for f in checklist(features, s.provision_id)]
    problems = [(t, wording("provisions_suggested").violations(t)) for t in texts]
    assert [p for p in problems if p[1]] == []
