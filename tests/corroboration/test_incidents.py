
import pytest

from hague.corroboration import compare
from hague.corroboration.goldrefs import load_gold_refs
from hague.corroboration.incidents import (
    ReportRef,
    block_keys,
    candidate_ids,
    cluster_incidents,
    describe,
    incident_id,
    incident_status,
)
from hague.corroboration.reuse import ReuseLink
from hague.reading.fields import Field, Report


def ref(doc_id: str, text: str, evidence: list[str], outlet: str | None = None, index: int = 0,
        **values) -> ReportRef:
    """An invented report: evidence substrings of ``text`` plus gold-style field values."""
    spans = [(text.index(e), text.index(e) + len(e)) for e in evidence]
    defaults = {"event": "attack", "targets": [], "weapons": [], "place": None, "country": "UA", "date": None,
                "killed": None, "injured": None, "casualty_text": None, "perpetrator": None,
                "status": "reported", "pattern": False}
    defaults.update(values)
    report = Report(evidence=spans, **{k: Field(v) for k, v in defaults.items()})
    return ReportRef(doc_id, index, report, None, outlet, text)


KRAMA_A = "A missile struck the crowded railway station in Kramatorsk, killing 35 people waiting to leave."
KRAMA_B = "At least 50 people were killed when a rocket hit the Kramatorsk train station full of evacuees."
CHAPLYNE = "A rocket strike on the railway station in Chaplyne killed 22 people on Independence Day."


def test_same_event_from_two_outlets_is_one_incident_with_disagreement_kept():
    a = ref("a", KRAMA_A, [KRAMA_A], "Outlet A", targets=["railway_station"], weapons=["missile"],
            place="Kramatorsk railway station", date="2022-04-08", killed=35)
    b = ref("b", KRAMA_B, [KRAMA_B], "Outlet B", targets=["railway_station", "civilians_fleeing"],
            weapons=["rocket_mlrs"], place="Kramatorsk", date="2022-04-08", killed=50, status="denied")
    [incident] = cluster_incidents([a, b])
    assert incident.members == [("a", 0), ("b", 0)]
    killed = incident.fields["killed"]
    assert killed.range == (35, 50)
    assert {(c.value, c.outlet) for c in killed.claims} == {(35, "Outlet A"), (50, "Outlet B")}
    assert killed.disputed
    assert incident.status == "disputed"
    assert incident.independent_count == 2
    assert incident.id == "kramatorsk-railway-station-attack-2022-04-08"


def test_an_incident_id_taken_at_every_length_but_the_full_hash_gives_way_to_a_longer_one():
    a = ref("a", KRAMA_A, [KRAMA_A], targets=["railway_station"], weapons=["missile"],
            place="Kramatorsk railway station", date="2022-04-08", killed=35)
    [incident] = cluster_incidents([a])
    base, *hashed = candidate_ids(incident)
    assert base == incident.id and [len(h) - len(base) - 1 for h in hashed] == [6, 12, 64]
    assert incident_id(incident, set()) == base
    assert incident_id(incident, {base}) == hashed[0]
    assert incident_id(incident, {base, *hashed[:2]}) == hashed[2]
    with pytest.raises(ValueError, match="all taken"):
        incident_id(incident, {base, *hashed})


def test_two_railway_station_strikes_stay_apart():
    a = ref("a", KRAMA_A, [KRAMA_A], targets=["railway_station"], weapons=["missile"],
            place="Kramatorsk railway station", date="2022-04-08", killed=35)
    c = ref("c", CHAPLYNE, [CHAPLYNE], targets=["railway_station"], weapons=["rocket_mlrs"],
            place="Chaplyne", date="2022-08-24", killed=22)
    assert len(cluster_incidents([a, c])) == 2


def test_two_strikes_on_one_city_on_different_days_stay_apart():
    first = "An air strike hit a market in Kharkiv on Monday, killing six."
    second = "An air strike hit a market in Kharkiv on Thursday, killing four."
    a = ref("a", first, [first], targets=["market"], weapons=["air_strike"], place="Kharkiv",
            date="2022-05-02")
    b = ref("b", second, [second], targets=["market"], weapons=["air_strike"], place="Kharkiv",
            date="2022-05-05")
    assert len(cluster_incidents([a, b])) == 2


def test_course_of_conduct_does_not_swallow_a_discrete_event():
    event = "A missile hit the maternity hospital in Mariupol on Wednesday, wounding 17."
    same = "The maternity hospital in Mariupol was struck by a missile, wounding 17 people."
    pattern = "Russian forces have shelled hospitals and homes in Mariupol for weeks."
    a = ref("a", event, [event], targets=["hospital", "maternity_facility"], place="Mariupol",
            date="2022-03-09")
    b = ref("b", same, [same], targets=["hospital", "maternity_facility"], place="Mariupol")
    p = ref("c", pattern, [pattern], targets=["hospital", "residential_area"], place="Mariupol",
            date="2022-03-01/2022-03-20", pattern=True)
    incidents = cluster_incidents([a, b, p])
    assert sorted(i.members for i in incidents) == [[("a", 0), ("b", 0)], [("c", 0)]]


def test_reports_without_place_or_date_cluster_on_their_wording():
    one = "Shelling destroyed the drama theatre where hundreds of families were sheltering."
    two = "Hundreds of families were sheltering in the drama theatre when shelling destroyed it."
    other = "Detainees at the prison camp say guards beat them during interrogations."
    reports = [ref("a", one, [one]), ref("b", two, [two]), ref("c", other, [other], event="detention")]
    assert sorted(i.members for i in cluster_incidents(reports)) == [[("a", 0), ("b", 0)], [("c", 0)]]


def test_different_distinctive_weapons_are_different_courses_of_conduct():
    text = "Officials could not confirm the use of cluster munitions, nor of thermobaric weapons."
    a = ref("a", text, ["use of cluster munitions"], event="weapon_use", weapons=["cluster_munition"],
            place="Ukraine", pattern=True)
    b = ref("a", text, ["of thermobaric weapons"], index=1, event="weapon_use", weapons=["thermobaric"],
            place="Ukraine", pattern=True)
    assert len(cluster_incidents([a, b])) == 2


def test_copied_paragraph_counts_once_with_its_origin():
    origin = "Intro.\nA drone hit the power station in Sumy overnight, cutting electricity to the city."
    copied = origin.split("\n")[1]
    copy = f"Other news first.\n{copied}\nMore text."
    own = "Local officials in Sumy said a drone struck the city's power station and the lights went out."
    at = copy.index(copied)
    link = ReuseLink("orig", "copy", (origin.index(copied), len(origin)), (at, at + len(copied)), 0.98,
                     "published")
    kw = {"targets": ["power"], "weapons": ["drone"], "place": "Sumy"}
    a = ref("orig", origin, [copied], "Outlet A", **kw)
    b = ref("copy", copy, [copied], "Outlet B", **kw)
    c = ref("own", own, [own], "Outlet C", **kw)
    [incident] = cluster_incidents([a, b, c], reuse=[link])
    assert incident.independent_count == 2
    by_origin = {tuple(g.documents): g for g in incident.independent_sources}
    assert by_origin[("orig",)].carried_by == ["copy"]
    assert by_origin[("orig",)].passages == [("orig", origin.index(copied), len(origin))]
    [syndicated] = cluster_incidents([a, b, c], syndication=[["orig", "copy"]])
    assert syndicated.independent_count == 2
    [unlinked] = cluster_incidents([a, b, c])
    assert unlinked.independent_count == 3


@pytest.mark.parametrize(("statuses", "expected"), [
    (["reported", "alleged"], "reported"),
    (["alleged", "denied"], "disputed"),
    (["confirmed", "denied"], "confirmed"),
    (["unconfirmed", "denied"], "unconfirmed"),
    ([None], "reported"),
])
def test_incident_status(statuses, expected):
    assert incident_status(statuses) == expected


def test_examples_show_the_hospital_strike_with_both_articles(seed_set):
    refs = load_gold_refs(seed_set)
    incidents = cluster_incidents(refs.reports, refs.reuse)
    by_key = {}
    for inc in incidents:
        for member in inc.members:
            by_key.setdefault(refs.keys[member], set()).add(inc.id)
    assert all(len(ids) == 1 for ids in by_key.values())  # no gold incident split
    assert len(incidents) == len(by_key)  # and none merged
    [strike] = [i for i in incidents if i.id.startswith("kharkiv") and i.fields["event"].value == "attack"
                and "hospital" in i.fields["targets"].value]
    assert strike.documents == ["001_courier_hospital", "002_harbour_hospital"]
    assert strike.fields["date"].value == "2022-03-10"
    # Marsh's words are copied from the first article: the passage is counted once, under the origin.
    [courier] = strike.independent_sources
    quote = next(link for link in refs.reuse
                 if "the strike on the hospital" in refs.texts[link.to_doc][slice(*link.to_span)])
    assert ("001_courier_hospital", *quote.from_span) in courier.passages or any(
        d == "001_courier_hospital" and s <= quote.from_span[0] < e for d, s, e in courier.passages)
    assert not any(d == "002_harbour_hospital" and s < quote.to_span[1] and e > quote.to_span[0]
                   for d, s, e in courier.passages)


def test_a_place_spelt_with_or_without_diacritics_is_one_place():
    first = "A chemical attack on the town of Dūmā killed dozens, rescuers said."
    second = "Rescuers in Duma said dozens died in the chemical attack on the town."
    a = ref("a", first, [first], weapons=["chemical"], place="Dūmā", country="SY", date="2018-04-07")
    b = ref("b", second, [second], weapons=["chemical"], place="Duma", country="SY", date="2018-04-07")
    fa, fb = (compare.features(r.doc_id, r.report) for r in (a, b))
    assert compare.place_relation(fa, fb) == "same"
    assert len(cluster_incidents([a, b])) == 1


def test_two_names_for_one_medical_facility_are_not_disjoint_targets():
    clinic = "The clinic in Velymor was hit by a rocket on Tuesday, staff said."
    hospital = "A rocket struck the Velymor hospital on Tuesday, according to its director."
    school = "A rocket struck a Velymor school on Tuesday, according to its director."
    kw = {"weapons": ["rocket_mlrs"], "place": "Velymor", "date": "2022-05-03"}
    a, b, c = (ref(d, t, [t], targets=[target], **kw)
               for d, t, target in (("a", clinic, "clinic"), ("b", hospital, "hospital"), ("c", school, "school")))
    fa, fb, fc = (compare.features(r.doc_id, r.report) for r in (a, b, c))
    assert compare.pair_score(fa, fb, 0.2) - compare.pair_score(fa, fc, 0.2) == pytest.approx(
        -compare.tables()["weights"]["targets_disjoint"])


def test_a_misread_place_named_in_the_other_reports_evidence_does_not_split_the_incident():
    camp = "A blast tore through the barracks of the Dovzhenko camp on Friday, killing 40 prisoners of war."
    misread = ("Forty prisoners of war captured at the Velykyi Port steelworks died on Friday when their"
               " barracks at the Dovzhenko camp were blown up.")
    other = "Forty prisoners of war captured at the Velykyi Port steelworks were moved east on Friday."
    kw = {"targets": ["prisoners_of_war"], "date": "2022-07-29"}
    a = ref("a", camp, [camp], place="Dovzhenko camp", **kw)
    b = ref("b", misread, [misread], place="Velykyi Port", **kw)
    c = ref("c", other, [other], place="Velykyi Port", **kw)
    with_text = [compare.features(r.doc_id, r.report, r.text) for r in (a, b, c)]
    assert compare.place_relation(with_text[0], with_text[1]) == "mentioned"
    assert compare.place_relation(with_text[0], with_text[2]) == "unverified"
    bare = [compare.features(r.doc_id, r.report) for r in (a, b)]
    assert compare.place_relation(*bare) == "unverified"
    assert [("a", 0), ("b", 0)] in [i.members for i in cluster_incidents([a, b])]


def test_courses_of_conduct_in_one_country_join_but_a_siege_of_one_city_stays_apart():
    one = "Since the coup the military has bombed villages it accuses of sheltering resistance fighters."
    two = "The junta increasingly relies on air raids against civilians in areas held by its opponents."
    siege = "For weeks the army has pounded the besieged city of Velymor with air raids."
    kw = {"weapons": ["air_strike"], "country": "MM", "pattern": True}
    a = ref("a", one, [one], place="Myanmar", date="2021-02-01/2023-04-12", **kw)
    b = ref("b", two, [two], place="Myanmar", **kw)
    c = ref("c", siege, [siege], place="Velymor", **kw)
    assert sorted(i.members for i in cluster_incidents([a, b, c])) == [[("a", 0), ("b", 0)], [("c", 0)]]


def test_blocking_keys_come_from_the_described_report():
    a = ref("a", KRAMA_A, ["crowded railway station in Kramatorsk"], targets=["railway_station"],
            weapons=["missile"], place="Kramatorsk railway station")
    text, features = described = describe(a, {})
    assert text == KRAMA_A  # the whole sentence holding the evidence
    fixed, words = block_keys(described)
    assert f"doc:{features.doc_id}" in fixed and {"word:kramat", "word:crowde"} <= words
