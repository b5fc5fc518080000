"""Elements checklists: machine fills only what the report shows, as a suggestion, with its span."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hague.law import ELEMENT_STATUSES, IncidentFeatures, checklist, suggest

Seed = Callable[[str], IncidentFeatures]
Text = Callable[[str], str]


def by_id(features: IncidentFeatures, pid: str) -> dict[str, object]:
    return {f.element_id: f for f in checklist(features, pid)}


PLANT = "Artillery shells struck the nuclear power plant near the town overnight, Ukrainian officials said."


def plant_shelled() -> IncidentFeatures:
    """An invented attack on a nuclear plant (no bundled example reports one), its evidence in ``PLANT``."""
    report = {"event": "attack", "targets": ["nuclear_power_plant"], "weapons": ["artillery"], "country": "UA",
              "date": "2022-03-04", "perpetrator": "Russia", "status": "reported",
              "evidence": ["Artillery shells struck the nuclear power plant near the town overnight"]}
    return IncidentFeatures.from_gold(report, PLANT, report_id="plant", document_id="invented")


def test_hospital_object_is_filled_from_the_report_span(seed: Seed, example_text: Text) -> None:
    features = seed("kharkiv-childrens-hospital-strike-2022-03-10")
    found = by_id(features, "RS 8(2)(b)(ix)")
    obj = found["B9.OBJECT"]
    assert obj.status == "partially_supported" and obj.origin == "machine"
    assert "hospital" in obj.note and "military objective" in obj.note
    ref = obj.evidence[0]
    text = example_text(ref.document_id)
    assert text[ref.start:ref.end] == ref.quote and "hospital" in ref.quote
    assert found["B9.ATTACK"].status == "supported"
    assert found["B9.INTENT"].status == "not_addressed"  # intent is never machine-filled
    context = found["CTX.IAC"]
    assert context.status == "partially_supported" and context.evidence[0].kind == "conflict_table"


def test_checklist_ends_with_the_questions_the_rules_require(seed: Seed) -> None:
    found = checklist(seed("kharkiv-childrens-hospital-strike-2022-03-10"), "RS 8(2)(b)(ix)")
    kinds = [f.kind for f in found]
    assert kinds == sorted(kinds, key=lambda k: k != "element")
    questions = {f.element_id for f in found if f.kind == "question"}
    assert {"military_objective_question", "acts_harmful_to_enemy_and_warning",
            "alternative_hypotheses"} <= questions
    assert all(f.status == "not_addressed" for f in found if f.kind == "question")


@pytest.mark.parametrize(("incident", "provisions"), [
    ("chernihiv-residential-shelling-2022-03-15", ["RS 8(2)(b)(i)", "RS 8(2)(b)(ii)", "RS 8(2)(b)(iv)"]),
    ("kharkiv-childrens-hospital-strike-2022-03-10", ["RS 8(2)(b)(ix)", "AP I 51(4)(b)", "GC IV 18"]),
    ("sumy-kindergarten-orphanage-shelling-2022", ["RS 8(2)(b)(ix)", "AP I 52(3)"]),
])
def test_every_example_candidate_has_a_checklist(incident: str, provisions: list[str], seed: Seed) -> None:
    features = seed(incident)
    for pid in provisions:
        found = checklist(features, pid)
        assert any(f.kind == "element" for f in found), pid
        assert all(f.status in ELEMENT_STATUSES for f in found)


def test_nuclear_plant_installation_is_supported_but_release_risk_is_not() -> None:
    features = plant_shelled()
    assert {"AP I 56", "CIHL 42", "RS 8(2)(b)(ii)", "RS 8(2)(b)(iv)"} <= {s.provision_id for s in suggest(features)}
    found = by_id(features, "AP I 56")
    assert found["DF.OBJECT"].status == "supported"
    assert {found[e].status for e in ("DF.RELEASE", "DF.LOSSES", "DF.NOTLOST")} == {"not_addressed"}
    assert "ap_i_56_2_conditions" in found


def test_an_allegation_fills_at_most_partially(seed: Seed) -> None:
    found = by_id(seed("sumy-kindergarten-orphanage-shelling-2022"), "RS 8(2)(b)(ix)")
    assert found["B9.ATTACK"].status == "partially_supported"  # status "alleged" caps the fill
    assert "kindergarten" in found["B9.OBJECT"].note and "orphanage" in found["B9.OBJECT"].note


def test_unconfirmed_report_fills_nothing(seed: Seed) -> None:
    features = seed("kharkiv-region-cluster-munition-reports-2022-03")
    assert features.status == "unconfirmed"
    found = by_id(features, "AP I 51(4)(b)")
    assert {f.status for f in found.values()} == {"not_addressed"}


def test_features_without_evidence_fill_nothing() -> None:
    features = IncidentFeatures(event="attack", targets=["hospital"], country="UA", date="2022-03-09",
                                status="reported")
    obj = by_id(features, "RS 8(2)(b)(ix)")["B9.OBJECT"]
    assert obj.status == "not_addressed" and "no evidence" in obj.note


def test_analyst_sets_a_status_and_bad_status_is_refused(seed: Seed) -> None:
    finding = checklist(seed("kharkiv-childrens-hospital-strike-2022-03-10"), "RS 8(2)(b)(ix)")[0]
    set_ = finding.with_status("contradicted", "imagery shows a military vehicle park next to the ward")
    assert set_.origin == "analyst" and set_.status == "contradicted"
    with pytest.raises(ValueError, match="proven"):
        finding.with_status("proven")


def test_checklist_follows_the_suggestion_requirements_only_for_that_provision(seed: Seed) -> None:
    features = seed("kharkiv-childrens-hospital-strike-2022-03-10")
    assert "RS 8(2)(b)(ix)" in {s.provision_id for s in suggest(features)}
    gc = {f.element_id for f in checklist(features, "GC IV 18")}
    assert "B9.INTENT" not in gc and "MED.UNIT" in gc


def test_features_from_a_read_report_link_each_field_span() -> None:
    from hague.reading.fields import Field, Report

    text = "Overnight a missile struck the city hospital, killing two people."
    start, kill = text.index("hospital"), text.index("killing")
    report = Report(
        evidence=[(0, len(text))], event=Field("attack", 12, 27),
        targets=Field(["hospital"], start, start + 8),
        weapons=Field(["missile"], 12, 19), place=Field(None), country=Field("UA"), date=Field("2022-03-09"),
        killed=Field(2, kill, kill + 18), injured=Field(None), casualty_text=Field(None),
        perpetrator=Field(None),
        status=Field("reported"), pattern=Field(False))
    features = IncidentFeatures.from_reading(report, text, report_id="r1", document_id="d1")
    obj = by_id(features, "RS 8(2)(b)(ix)")["B9.OBJECT"]
    assert [r.quote for r in obj.evidence] == ["hospital"]
    assert by_id(features, "AP I 85(3)(a)")["GBAP.HARM"].evidence[0].quote == "killing two people"
