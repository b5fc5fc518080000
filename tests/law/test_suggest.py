"""Candidate provisions for the incidents of the bundled examples (and invented features), greyed show-only
items, and reasons."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hague.law import SHOW_ONLY, SUGGESTED, IncidentFeatures, suggest, trigger_summary


def by_status(features: IncidentFeatures) -> tuple[dict[str, object], dict[str, object]]:
    found = suggest(features)
    return ({s.provision_id: s for s in found if s.status == SUGGESTED},
            {s.provision_id: s for s in found if s.status == SHOW_ONLY})


def candidates(features: IncidentFeatures) -> set[str]:
    """Suggested, or listed as ranked lower (a fitting provision a reviewer adds with one act)."""
    return {s.provision_id for s in suggest(features)
            if s.status == SUGGESTED or (s.why_not or "").startswith("ranked below")}

Seed = Callable[[str], IncidentFeatures]


def test_nuclear_plant_attack() -> None:
    shelled = IncidentFeatures(event="attack", targets=["nuclear_power_plant"], weapons=["artillery"], country="UA",
                               date="2022-03-04", perpetrator="Russia", status="reported")
    suggested, _ = by_status(shelled)
    assert {"AP I 56", "CIHL 42", "RS 8(2)(b)(ii)", "RS 8(2)(b)(iv)", "AP I 85(3)(c)"} <= set(suggested)
    assert not any(pid.startswith("RS 8(2)(e)") for pid in suggested)  # IAC: no NIAC counterparts
    assert suggested["AP I 56"].reasons == [
        "target: nuclear_power_plant → dams, dykes, nuclear plants and other installations with dangerous forces "
        "(R_DANGEROUS_FORCES)"]


def test_cluster_munition_hospital_strike(seed: Seed) -> None:
    suggested, shown = by_status(seed("kharkiv-childrens-hospital-strike-2022-03-10"))
    assert {"RS 8(2)(b)(ix)", "GC IV 18", "GC I 19", "CIHL 28"} <= set(suggested)
    assert {"AP I 51(4)(b)", "AP I 51(4)(c)", "CIHL 11", "CIHL 71"} <= set(suggested)
    assert "CIHL 12" in candidates(seed("kharkiv-childrens-hospital-strike-2022-03-10"))
    assert next(iter(suggested)) == "RS 8(2)(b)(ix)"  # protected class before function (law.md §3.1 rule 4)
    assert "not parties" in shown["CCM 2008 art 1"].why_not
    assert "emblem" in shown["RS 8(2)(b)(xxiv)"].why_not
    both = suggested["RS 8(2)(b)(i)"].triggers
    assert both == ["target: hospital", "weapon: cluster_munition"]


def test_kindergarten_and_orphanage_attack(seed: Seed) -> None:
    shelled = seed("sumy-kindergarten-orphanage-shelling-2022")
    suggested, _ = by_status(shelled)
    assert "RS 8(2)(b)(ix)" in suggested
    assert {"R_EDUCATION", "R_CHARITABLE"} <= set(suggested["RS 8(2)(b)(ix)"].rules)
    # a date interval that straddles 24 Feb 2022: the IAC classification is used, and said to be assumed
    shelled.date = "2022-02-21/2022-02-27"
    suggested, _ = by_status(shelled)
    assert any("assumed" in note for note in suggested["RS 8(2)(b)(ix)"].notes)


def test_trigger_summary_reads_feature_to_provisions(seed: Seed) -> None:
    lines = trigger_summary(suggest(seed("kharkiv-childrens-hospital-strike-2022-03-10")))
    hospital = next(line for line in lines if line.startswith("target: hospital → "))
    assert "RS 8(2)(b)(ix)" in hospital and "GC I 19" in hospital and "CIHL 28" in hospital
    assert "CCM 2008 art 1" not in " ".join(lines)


def test_thermobaric_shows_inoperative_and_contested_provisions_greyed() -> None:
    reports = IncidentFeatures(event="weapon_use", weapons=["thermobaric"], country="UA", pattern=True,
                               status="unconfirmed")
    suggested, shown = by_status(reports)
    assert "inoperative" in shown["RS 8(2)(b)(xx)"].why_not
    assert "RS 8(2)(b)(xviii)" in shown and "RS 8(2)(b)(xviii)" not in suggested


def test_flag_turns_a_greyed_conditional_into_a_suggestion() -> None:
    features = IncidentFeatures(event="attack", targets=["hospital"], country="UA", date="2022-03-09")
    assert "RS 8(2)(b)(xxiv)" not in by_status(features)[0]
    features.flags["protected_emblem_displayed"] = "yes"
    assert "RS 8(2)(b)(xxiv)" in by_status(features)[0]


def test_art_7_is_pattern_level_and_never_suggested() -> None:
    grid = IncidentFeatures(event="attack", targets=["power"], country="UA", date="2022-10-10",
                            linked_incidents=12)
    suggested, shown = by_status(grid)
    assert {"RS 7(1)(k)", "RS 7", "RS 28"} <= set(shown) and not any(p.startswith("RS 7") for p in suggested)
    assert "pattern-level" in shown["RS 7(1)(k)"].why_not
    assert "RS 7" not in by_status(IncidentFeatures(event="attack", targets=["power"], country="UA"))[1]


def test_niac_override_switches_to_the_niac_counterparts() -> None:
    features = IncidentFeatures(event="attack", targets=["school"], country="UA", date="2022-03-04",
                                conflict_override="niac")
    suggested, _ = by_status(features)
    assert "RS 8(2)(e)(iv)" in suggested and "RS 8(2)(b)(ix)" not in suggested
    assert "AP I 52(3)" not in suggested and "CIHL 7" in suggested


def test_unclear_classification_keeps_both_routes() -> None:
    features = IncidentFeatures(event="attack", targets=["school"], country="UA", date="2019-05-01")
    suggested, _ = by_status(features)
    assert {"RS 8(2)(b)(ix)", "RS 8(2)(e)(iv)"} <= set(suggested)
    assert any("both shown" in note for note in suggested["RS 8(2)(e)(iv)"].notes)


def test_custody_context_does_not_read_as_an_attack() -> None:
    seizure = IncidentFeatures(event="seizure", targets=["nuclear_power_plant"], country="UA", date="2022-02-24",
                               perpetrator="Russia", status="reported", place="Chernobyl Nuclear Power Plant")
    suggested, _ = by_status(seizure)
    assert "AP I 56" not in suggested  # no attack: the dangerous-forces attack rules stay quiet
    assert "HR 43" in suggested and {"GC IV 147", "RS 8(2)(a)(iv)"} <= candidates(seizure)
    assert next(iter(suggested)).startswith("RS 8(2)(a)")  # custody gate prefers grave breaches


def test_mines_party_specific_treaty_depends_on_who_laid_them() -> None:
    ukraine = IncidentFeatures(event="attack", weapons=["landmine"], country="UA", date="2022-06-01",
                               perpetrator="Ukraine")
    russia = IncidentFeatures(event="attack", weapons=["landmine"], country="UA", date="2022-06-01",
                              perpetrator="Russia")
    assert "APMBC art 1" in by_status(ukraine)[0]
    assert "Russia is not a party" in by_status(russia)[1]["APMBC art 1"].why_not


@pytest.mark.parametrize("incident", ["kharkiv-region-shelling-of-populated-areas-2022",
                                      "chernihiv-residential-shelling-2022-03-15"])
def test_other_example_attacks_get_attacking_civilians(incident: str, seed: Seed) -> None:
    assert "RS 8(2)(b)(i)" in by_status(seed(incident))[0]


@pytest.mark.parametrize("features", [
    IncidentFeatures(event="attack", targets=["civilians_fleeing"], weapons=["unknown_explosive"], country="UA",
                     pattern=True, status="reported"),
    IncidentFeatures(event="attack", targets=["humanitarian_corridor"], country="UA", perpetrator="Russia",
                     status="alleged"),
], ids=["strikes on fleeing civilians", "attacks on a humanitarian corridor"])
def test_attacks_on_people_leaving_get_attacking_civilians(features: IncidentFeatures) -> None:
    assert "RS 8(2)(b)(i)" in by_status(features)[0]


def test_each_rule_suggests_its_best_few_and_lists_the_rest_as_ranked_lower(seed: Seed) -> None:
    suggested, shown = by_status(seed("kharkiv-childrens-hospital-strike-2022-03-10"))
    lower = [pid for pid, s in shown.items() if s.why_not.startswith("ranked below")]
    assert lower and len(suggested) < len(suggested) + len(lower)
    order = [s.provision_id for s in suggest(seed("kharkiv-childrens-hospital-strike-2022-03-10"))]
    assert max(order.index(p) for p in suggested) < min(order.index(p) for p in lower)


def test_non_international_conflicts_get_common_article_3_ap_ii_and_8_2_c_e() -> None:
    features = IncidentFeatures(event="attack", targets=["hospital", "civilians"], country="MM",
                                date="2023-04-11", perpetrator="Myanmar military")
    suggested, _ = by_status(features)
    assert {"RS 8(2)(e)(iv)", "AP II 11"} <= set(suggested)
    assert not any(p.startswith(("RS 8(2)(a)", "RS 8(2)(b)", "AP I ")) for p in suggested)
    custody = IncidentFeatures(event="killing", targets=["detainees"], country="ET", date="2021-06-22")
    assert "GC CA3" in candidates(custody) or "RS 8(2)(c)(i)" in candidates(custody)


def test_a_third_state_s_strike_is_international_whatever_the_country_s_internal_conflict() -> None:
    us = IncidentFeatures(event="attack", targets=["military_objective"], weapons=["missile"], country="SY",
                          date="2017-04-07", perpetrator="United States")
    gov = IncidentFeatures(event="attack", targets=["hospital"], country="SY", date="2017-04-04",
                           perpetrator="Syria")
    assert not any(p.startswith("RS 8(2)(e)") for p in candidates(us))
    assert "RS 8(2)(e)(iv)" in by_status(gov)[0]


def test_an_unclear_conflict_shows_both_regimes_flagged() -> None:
    features = IncidentFeatures(event="attack", targets=["school"], country="PS", date="2024-04-01")
    suggested, _ = by_status(features)
    assert "RS 8(2)(b)(ix)" in suggested and "RS 8(2)(e)(iv)" in suggested
    assert any("unclear" in note for note in suggested["RS 8(2)(e)(iv)"].notes)


def test_provisions_the_source_names_come_first() -> None:
    features = IncidentFeatures(event="attack", targets=["market"], country="SY", date="2017-04-04",
                                named=["RS 8(2)(e)(xiv)", "GC CA3"])
    found = suggest(features)
    assert [s.provision_id for s in found[:2]] == ["RS 8(2)(e)(xiv)", "GC CA3"]
    assert found[0].reasons[0] == "named in the source itself"
