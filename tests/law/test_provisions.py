"""Provisions as data: every reference in the rules, elements and crosswalk resolves."""

from __future__ import annotations

import pytest

from hague.codes import codes
from hague.law import IncidentFeatures, load_elements, load_prompts, load_provisions, load_rules, to_law_codes
from hague.law.datafiles import load_yaml
from hague.law.matching import target_group
from hague.law.provisions import PROVISION_STATUSES
from hague.law.suggest import _within, common_requirements, gate_preferences

PROVISIONS = load_provisions()
ELEMENTS = load_elements()
PROMPTS = load_prompts()
DIMENSIONS = load_yaml("vocabulary")["dimensions"]


def vocabulary(dimension: str) -> set[str]:
    values = DIMENSIONS[dimension]
    return {v for group in values.values() for v in group} if isinstance(values, dict) else set(values)


def test_every_provision_a_rule_names_exists() -> None:
    missing = {(rule.id, pid) for rule in load_rules() for pid in rule.references() if pid not in PROVISIONS}
    assert not missing


def test_every_rule_clause_uses_the_vocabulary() -> None:
    for rule in load_rules():
        for key, values in rule.when.items():
            if key == "linked_incidents_min":
                assert isinstance(values, int)
            elif key == "target_group":
                assert target_group(values)
            else:
                assert set(values) <= vocabulary(key), (rule.id, key)


def test_required_items_are_elements_or_prompts() -> None:
    wanted = [r for rule in load_rules() for r in rule.requires] + common_requirements()
    wanted += list(load_yaml("elements")["evidence_hints"])
    assert [w for w in wanted if w not in ELEMENTS and w not in PROMPTS] == []


def test_gate_preferences_name_provisions() -> None:
    for prefix in gate_preferences({"conduct_of_hostilities", "custody_or_occupation_control"}):
        assert any(_within(pid, prefix) for pid in PROVISIONS), prefix


def test_provision_fields_are_complete() -> None:
    for pid, prov in PROVISIONS.items():
        assert prov.summary and prov.title and prov.citation, pid
        assert prov.url.startswith("https://"), pid
        assert set(prov.conflict) <= {"iac", "niac"} and prov.conflict, pid
        assert prov.status in PROVISION_STATUSES, pid
        assert prov.status == "operative" or prov.status_reason, pid
        assert all(e in ELEMENTS for e in prov.elements), pid
        for link in (prov.niac_counterpart, prov.part_of):
            assert link is None or link in PROVISIONS, (pid, link)


def test_rome_statute_crimes_carry_elements_with_the_right_conflict_context() -> None:
    for pid, prov in PROVISIONS.items():
        if not pid.startswith("RS 8(2)") or prov.status == "inoperative":
            continue
        expected = "CTX.IAC" if "iac" in prov.conflict else "CTX.NIAC"
        assert expected in prov.elements and "CTX.AWARE" in prov.elements, pid


def test_niac_counterpart_copies_elements_with_niac_context() -> None:
    iac, niac = PROVISIONS["RS 8(2)(b)(ix)"], PROVISIONS["RS 8(2)(e)(iv)"]
    assert niac.elements == tuple("CTX.NIAC" if e == "CTX.IAC" else e for e in iac.elements)
    assert niac.conflict == ("niac",) and iac.conflict == ("iac",)


def test_the_sets_the_issue_names_are_present() -> None:
    for pid in ("RS 8(2)(b)(i)", "RS 8(2)(b)(ii)", "RS 8(2)(b)(iv)", "RS 8(2)(b)(ix)", "RS 8(2)(e)(iv)",
                "RS 7", "GC I 19", "GC IV 18", "AP I 51(4)", "AP I 56", "CIHL 1", "CIHL 42", "CIHL 156"):
        assert pid in PROVISIONS
    assert PROVISIONS["RS 7"].pattern
    assert PROVISIONS["AP I 56"].citation == "Additional Protocol I (1977), art. 56"
    assert PROVISIONS["CIHL 42"].url.endswith("/customary-ihl/v1/rule42")


def test_verify_flags_from_law_md_are_kept() -> None:
    flagged = {pid for pid, p in PROVISIONS.items() if p.verify}
    assert {"CCW Amended Protocol II", "CWC art I", "Hague 1954 art 4", "APMBC art 1",
            "RS 8(2)(b)(i)"} <= flagged
    assert all(PROVISIONS[pid].verify_note for pid in flagged)
    assert ELEMENTS["B1.INTENT"].verify
    assert next(r for r in load_rules() if r.id == "R_W_AP_MINE").verify


@pytest.mark.parametrize("dimension", ["events", "targets", "weapons"])
def test_every_gold_code_maps_to_the_law_vocabulary(dimension: str) -> None:
    table = codes()
    gold = (list(table["events"]) if dimension == "events" else
            [c for group in table["target_groups"].values() for c in group] if dimension == "targets" else
            list(table["weapons"]))
    for code in gold:
        features = IncidentFeatures(event=code) if dimension == "events" else IncidentFeatures(**{dimension: [code]})
        mapped = [c for c in to_law_codes(features) if c.source.endswith(f":{code}")]
        assert mapped, code
        for c in mapped:
            assert c.code in vocabulary(c.dimension), (code, c)


def test_conditional_mapping_depends_on_the_other_targets() -> None:
    nuclear = to_law_codes(IncidentFeatures(targets=["facility_staff", "nuclear_power_plant"]))
    plain = to_law_codes(IncidentFeatures(targets=["facility_staff"]))
    assert "nuclear_facility_staff" in {c.code for c in nuclear}
    assert "nuclear_facility_staff" not in {c.code for c in plain}


def test_unknown_gold_code_is_an_error_not_a_silent_drop() -> None:
    with pytest.raises(ValueError, match="hovercraft"):
        to_law_codes(IncidentFeatures(weapons=["hovercraft"]))
