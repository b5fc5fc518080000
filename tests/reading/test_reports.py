"""Reports: what happened, read from invented sentences in the genre's language; every seed report found."""

import json
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import SEED_GOLD

from hague.reading import reports
from hague.reading.casualties import find_counts
from hague.reading.text import TextDoc, fold

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


def _read(text: str, published: date | None = date(2022, 3, 4)) -> list:
    return reports.extract(TextDoc(text, published))


def test_one_event_sentence_gives_every_field() -> None:
    text = ("A Russian cluster munition strike hit a hospital in Kharkiv on Thursday, "
            "killing four and injuring 10.")
    [r] = _read(text)
    assert r.event.value == "attack"
    assert r.targets.value == ["hospital"]
    assert r.weapons.value == ["cluster_munition"]
    assert (r.place.value, r.country.value) == ("Kharkiv", "UA")
    assert r.coordinates is not None
    assert r.date.value == "2022-03-03"
    assert (r.killed.value, r.injured.value) == (4, 10)
    assert r.perpetrator.value == "Russia"
    assert r.status.value == "reported"
    assert r.pattern.value is False
    assert text[r.place.start:r.place.end] == "Kharkiv"
    assert r.evidence == [(0, len(text))]


def test_back_references_join_the_incident_and_other_sites_do_not() -> None:
    text = ("A missile struck the railway station in Kramatorsk on Friday. "
            "At least 39 people were killed and 87 wounded in the strike. "
            "The Kremlin denied carrying out the attack. "
            "Separately, shelling damaged a school in Kharkiv.")
    first, second = _read(text)
    assert len(first.evidence) == 3
    assert first.place.value == "Kramatorsk railway station"
    assert (first.killed.value, first.injured.value) == (39, 87)
    assert first.perpetrator.value == "Russia"
    assert first.status.value == "denied"
    assert second.targets.value == ["school"]
    assert second.weapons.value == ["artillery"]
    assert second.place.value == "Kharkiv"


@pytest.mark.parametrize("name, party", [
    ("Moscow", "Russia"), ("Putin", "Russia"), ("the Kremlin", "Russia"), ("Israeli forces", "Israel"),
    ("the IDF", "Israel"), ("Hamas", "Hamas"), ("Islamic Jihad", "Islamic Jihad"),
    ("Ukrainian forces", "Ukraine"),
])
def test_perpetrators_are_normalised(name: str, party: str) -> None:
    [r] = _read(f"{name} attacked a kindergarten in the town on Friday.")
    assert r.perpetrator.value == party


def test_hypothetical_and_generic_statements_are_not_reports() -> None:
    assert _read("It is a war crime to attack a nuclear power plant.") == []
    assert _read("Cluster munitions can strike wide areas and raze entire neighborhoods.") == []


def test_courses_of_conduct_are_patterns_with_vague_counts() -> None:
    [r] = _read("Hundreds of civilians have been killed since Russian forces started bombing populated areas "
                "across Ukraine, according to numerous reports.")
    assert r.pattern.value is True
    assert r.casualty_text.value == "hundreds"
    assert r.killed.value is None
    assert r.place.value == "Ukraine"
    assert "air_strike" in r.weapons.value


def test_cannot_confirm_gives_unconfirmed_weapon_use_per_weapon() -> None:
    text = ("\"We cannot confirm the use of cluster munitions inside Ukraine, nor can we confirm the use "
            "of thermobaric weapons inside Ukraine,\" the ambassador said.")
    found = _read(text)
    assert [r.weapons.value for r in found] == [["cluster_munition"], ["thermobaric"]]
    assert all(r.event.value == "weapon_use" and r.status.value == "unconfirmed" for r in found)


@pytest.mark.parametrize("phrase, kind, value", [
    ("killing four and injuring 10", "killed", 4),
    ("at least 50 people died", "killed", 50),
    ("17 people were wounded", "injured", 17),
    ("killing at least 30 and injuring at least a hundred", "injured", 100),
    ("more than 1,400 people dead", "killed", 1400),
])
def test_casualty_counts(phrase: str, kind: str, value: int) -> None:
    assert (kind, value) in {(c.kind, c.value) for c in find_counts(phrase)}


def test_population_figures_are_not_casualties() -> None:
    assert find_counts("Mariupol, a city of over 400,000 people, is encircled.") == []


@pytest.mark.parametrize("stem", [p.stem for p in sorted(EXAMPLES.glob("*.txt"))])
def test_every_seed_gold_report_is_found(stem: str) -> None:
    gold_path = SEED_GOLD / f"{stem}.json"
    meta = json.loads((EXAMPLES / f"{stem}.json").read_text(encoding="utf-8"))
    text = (EXAMPLES / f"{stem}.txt").read_text(encoding="utf-8")
    doc = TextDoc(text, date.fromisoformat(meta["published"]))
    predicted = [span for r in reports.extract(doc) for span in r.evidence]
    for gold in json.loads(gold_path.read_text(encoding="utf-8"))["reports"]:
        spans = []
        for ev in gold["evidence"]:
            at = doc.folded.find(fold(ev))
            assert at >= 0, ev
            spans.append((at, at + len(ev)))
        assert any(s < pe and ps < e for s, e in spans for ps, pe in predicted), gold["incident"]


def test_a_capital_standing_for_its_government_is_not_the_place() -> None:
    [r] = _read("Kyiv said a Russian missile hit a school in Kharkiv on Monday.")
    assert r.place.value == "Kharkiv"
    [r] = _read("Russian missiles struck a power station on the outskirts of Kyiv on Monday.")
    assert r.place.value == "Kyiv"


def test_a_clause_opening_on_a_back_reference_continues_the_incident() -> None:
    text = ("An explosion tore through the Olenivka penal colony on Friday. "
            "The blast killed 40 prisoners of war, including fighters who had surrendered at the Azovstal "
            "steel plant.")
    [r] = _read(text)
    assert r.place.value == "Olenivka penal colony"
    assert r.killed.value == 40
    assert len(r.evidence) == 2


def test_denied_or_negated_events_add_to_an_incident_but_start_none() -> None:
    assert _read("The ministry denied targeting civilians in the region.") == []
    text = ("Shelling hit a school in Kharkiv on Tuesday, killing two. "
            "The army said it had not launched any artillery strikes on the school.")
    [r] = _read(text)
    assert len(r.evidence) == 2


def test_a_purpose_clause_reports_a_second_incident() -> None:
    found = _read("Officials accused Russian forces of shelling the prison in Olenivka "
                  "to hide the torture and executions of prisoners.")
    assert [r.event.value for r in found] == ["attack", "killing"]


def test_a_list_of_kinds_of_site_is_a_course_of_conduct_dated_from_the_war() -> None:
    text = ("Since launching its war, Russia has destroyed apartment buildings, schools, hospitals and "
            "shopping centres across the country. Ukraine says the toll is rising.")
    [r] = _read(text, published=date(2022, 3, 23))
    assert r.pattern.value is True
    assert r.date.value == "2022-02-24/2022-03-23"
    assert r.place.value == "Ukraine"


def test_undated_copy_resolves_weekdays_against_a_full_date_it_gives() -> None:
    text = ("A photo taken in Mariupol, Ukraine, Wednesday March 9, 2022.\n"
            "A Russian airstrike hit a maternity hospital in Mariupol on Wednesday.")
    [r] = _read(text, published=None)
    assert r.date.value == "2022-03-09"
    assert _read("A Russian airstrike hit a maternity hospital in Mariupol on Wednesday.",
                 published=None)[0].date.value is None
    # the day's other events in the lead, told without a day, are of the caption's day as of a publication day
    text = ("A photo taken in Kherson, Ukraine, Tuesday May 3, 2022, shows a burnt school.\n"
            "Shelling also hit homes on the edge of Mykolaiv, residents said.")
    [r] = _read(text, published=None)
    assert (r.place.value, r.date.value) == ("Mykolayiv", "2022-05-03")


def test_a_later_day_pins_down_an_earlier_interval_and_speech_dates_come_last() -> None:
    text = ("A woman carried from a maternity hospital bombed last week in Mariupol has died. "
            "The hospital was hit by an airstrike on Wednesday.")
    [r] = _read(text, published=date(2022, 3, 14))
    assert r.date.value == "2022-03-09"
    [r] = _read("The governor said on Sunday that shelling had damaged a school in Kharkiv.",
                published=date(2022, 3, 14))
    assert r.date.value == "2022-03-13"


def test_background_incidents_far_from_the_lead_take_no_publication_date() -> None:
    lead = "\n".join(f"Paragraph {i} is about diplomacy and sanctions." for i in range(5))
    [r] = _read(lead + "\nShelling damaged a school in Kharkiv.", published=date(2022, 3, 14))
    assert r.date.value is None
    [r] = _read("Shelling damaged a school in Kharkiv.", published=date(2022, 3, 14))
    assert r.date.value == "2022-03-14"


def test_undated_copy_with_only_a_year_dates_month_days_but_not_weekdays() -> None:
    text = ("(Satellite image (c)2022 Example Imagery)\n"
            "Early on July 29, an explosion tore through the prison in Olenivka, killing 50 prisoners of war.")
    [r] = _read(text, published=None)
    assert r.date.value == "2022-07-29"
    [r] = _read("(c)2022 Example Imagery\nAn explosion tore through the prison in Olenivka on Friday.",
                published=None)
    assert r.date.value is None


def test_undated_copy_with_no_year_keeps_the_span_of_a_day_without_a_year() -> None:
    text = ("In a statement issued on June 5, the teachers' union said four of its members were killed in the June 3 "
            "missile strike on a school in Izium.")
    [r] = _read(text, published=None)
    assert r.date.value is None  # the year is for the incident to give (hague.corroboration.dating)
    assert text[r.date.start:r.date.end] == "June 3"  # the event's day, not the statement's
    [r] = _read("A missile struck a school in Izium on Friday, killing four.", published=None)
    assert (r.date.value, r.date.start) == (None, None)  # a weekday needs a day to count from, not a year


def test_a_headline_naming_the_area_tells_the_event_its_lead_places_in_a_town() -> None:
    lead = "Shelling killed four civilians in Chuhuiv, a town in the Kharkiv region, on Tuesday, the governor said."
    [r] = _read("Shelling Kills Four in Kharkiv\n" + lead, published=date(2022, 3, 9))
    assert r.place.value == "Chuhuyiv" and len(r.evidence) == 2  # the headline's area, the lead's town
    # a first paragraph that is a sentence is no headline; one about another kind of target tells another event
    assert len(_read("Shelling kills four in Kharkiv.\n" + lead, published=date(2022, 3, 9))) == 2
    assert len(_read("Missile Hits Hospital in Kharkiv\nShelling damaged a school in Chuhuiv on Tuesday.",
                     published=date(2022, 3, 9))) == 2


def test_mutual_blame_is_alleged_with_no_perpetrator() -> None:
    [r] = _read("An explosion destroyed a barracks holding prisoners of war in the village on Friday. "
                "Russian and Ukrainian officials blamed each other for the blast.")
    assert r.status.value == "alleged"
    assert r.perpetrator.value is None


def test_counter_claim_denies_only_when_it_shifts_the_blame() -> None:
    shifted = _read("An Israeli airstrike hit a hospital in Gaza on Tuesday, officials in the enclave said. "
                    "Israel says the blast at the hospital was caused by an Islamic Jihad rocket.")
    assert [(r.status.value, r.perpetrator.value) for r in shifted] == [("denied", "Israel")]
    accusing = _read("A missile struck a prison camp in the village on Friday. "
                     "The defence ministry blamed the strike on the Kyiv regime.")
    assert [r.status.value for r in accusing] == ["alleged"]


@pytest.mark.parametrize("text, party", [
    ("A shell hit a school in the Russia-held village of Novoye on Friday.", None),
    ("A blast killed Ukrainian soldiers held in a prison camp in the town on Friday.", None),
    ("The Ukrainian side is accusing Russian troops of attacking a kindergarten in the town.", "Russia"),
    ("Rockets fired from Gaza hit homes in Israel, the army said, as Hamas fighters attacked the town.", "Hamas"),
])
def test_places_victims_and_accusers_are_not_perpetrators(text: str, party: str | None) -> None:
    assert [r.perpetrator.value for r in _read(text)] == [party]


def test_party_named_inside_a_denial_is_not_the_perpetrator() -> None:
    [r] = _read("A missile struck the railway station in Kramatorsk on Friday. "
                "The ministry denied the attack and said Ukrainian forces launched the missile.")
    assert r.perpetrator.value is None
    assert r.status.value == "denied"


def test_officials_lead_is_alleged_and_a_news_agency_only_reports() -> None:
    [alleged] = _read("Ukrainian officials say a Russian strike has hit a school in Kharkiv.")
    assert alleged.status.value == "alleged"
    [reported] = _read("A Russian strike hit a school in Kharkiv on Friday, the AP said. "
                       "The school was badly damaged in the strike.")
    assert reported.status.value == "reported"


def test_quoted_and_transcribed_accounts_are_alleged() -> None:
    [quoted] = _read('"Russian forces have destroyed a school in Kharkiv," the minister said on Friday.')
    assert quoted.status.value == "alleged"
    transcript = ("MINISTER SMITH: Good morning.\nYesterday Russian forces bombed a theater in Mariupol.\n"
                  "They also shelled a school in Kharkiv.")
    assert {r.status.value for r in _read(transcript)} == {"alleged"}
    headline = "WAR IN UKRAINE: LIVE UPDATES\nA Russian missile hit a school in Kharkiv on Friday."
    assert [r.status.value for r in _read(headline)] == ["reported"]


def test_speakers_witnesses_the_absent_and_shortages_are_not_targets() -> None:
    text = ("A Russian airstrike hit a hospital in Kharkiv on Thursday, killing three patients. "
            "Doctors said the strike came without warning, and journalists, who documented the attack, "
            "saw the damage. Moscow claimed no patients or nurses were inside when the strike hit the hospital. "
            "The strike on the hospital left water supplies running low. "
            "Russia said the hospital attack was turning residents into human shields.")
    [r] = _read(text)
    assert r.targets.value == ["hospital", "civilians"]


def test_people_fleeing_and_prisoners_of_war_are_the_specific_victims() -> None:
    fleeing = _read("A missile struck the railway station in Kramatorsk on Friday, killing 30 people "
                    "as thousands of civilians were awaiting evacuation.")
    assert fleeing[0].targets.value == ["railway_station", "civilians_fleeing"]
    pows = _read("An explosion at a prison in Olenivka on Friday killed 50 people, "
                 "most of them prisoners of war held with other detainees.")
    assert pows[0].targets.value == ["prisoners_of_war"]


def test_a_general_staff_is_not_facility_staff() -> None:
    [r] = _read("Ukraine's General Staff said a Russian missile struck a power plant in Kharkiv on Friday.")
    assert "facility_staff" not in r.targets.value


@pytest.mark.parametrize("text, party", [
    ("The junta's jets bombed a school in Sagaing Region, Myanmar, killing 12 children.", "Myanmar military"),
    ("Government forces shelled a market in Idlib province, Syria, killing nine civilians.", "Syria"),
    ("The RSF attacked a hospital in El Fasher, North Darfur, killing five patients.", "Rapid Support Forces"),
    ("Al-Shabaab claimed responsibility for a bombing at a market in Mogadishu that killed 20 people.",
     "al-Shabaab"),
    ("Eight villagers were killed in an attack carried out by FMLN guerrillas near San Miguel, El Salvador.",
     "FMLN"),
])
def test_armed_actors_of_any_war(text: str, party: str) -> None:
    [r] = _read(text)
    assert r.perpetrator.value == party


def test_a_dateline_is_where_the_copy_was_filed_not_where_it_happened() -> None:
    text = "NAIROBI, Kenya (AP) - An airstrike hit a market in the village of Zerbaqo in Ethiopia on Tuesday."
    [r] = _read(text)
    assert r.place.value == "Zerbaqo" and r.country.value == "ET"


@pytest.mark.parametrize("text, cumulative", [
    ("Airstrikes have killed 1,200 civilians over the past 12 months, the monitor said.", True),
    ("More than 500 civilians have been killed since the war began.", True),
    ("A total of 300 people were killed in the province this year.", True),
    ("The raid killed 9, bringing the toll since the offensive began to 2,400.", False),
    ("At least 12 people were killed in the deadliest attack on the town since 2014.", False),
    ("A shell hit a market, killing seven.", False),
])
def test_running_totals_are_told_from_one_event_toll(text: str, cumulative: bool) -> None:
    first = find_counts(text)[0]
    assert first.cumulative is cumulative


def test_residents_and_days_of_the_month_are_not_tolls() -> None:
    assert [c.value for c in find_counts("The town of 20,000 people was shelled; four were killed.")] == [4]
    assert [c.value for c in find_counts("On the eve of the May 3 truce, shelling killed two.")] == [2]
    assert find_counts("The village, home to some 3,000 inhabitants, was left without water.") == []


def test_a_running_total_goes_to_a_course_of_conduct_not_to_the_event() -> None:
    text = ("A drone strike hit a bakery in Mekelle on Tuesday, killing 11 civilians. "
            "Drone strikes in the region have killed more than 900 civilians over the past year, a monitor said.")
    event, conduct = _read(text, date(2023, 5, 10))
    assert (event.pattern.value, event.killed.value, event.date.value) == (False, 11, "2023-05-09")
    assert (conduct.pattern.value, conduct.killed.value) == (True, 900)


def test_a_similar_attack_in_the_same_paragraph_is_another_incident() -> None:
    text = ("Shelling killed four people in Kharkiv on Monday. "
            "A similar attack on a school in Kharkiv last month killed 30.")
    first, second = _read(text, date(2023, 5, 10))
    assert (first.killed.value, first.date.value) == (4, "2023-05-08")
    assert (second.killed.value, second.date.value) == (30, "2023-04-01/2023-04-30")


@pytest.mark.parametrize("text", [
    "An airstrike killed two brothers in Idlib, the elder born on March 3, 1990, on Tuesday.",
    "The strike on the clinic in Idlib, founded in 1987, killed four people on Tuesday.",
    "On the anniversary of the May 3 truce, shelling on Tuesday killed two people in Kharkiv.",
    "Shelling in Kharkiv, where fighting began in 2014, killed two people on Tuesday.",
    "Shelling killed two people in Kharkiv on Tuesday, ahead of talks scheduled for May 20.",
])
def test_dates_of_other_events_do_not_date_the_incident(text: str) -> None:
    [r] = _read(text, date(2023, 5, 10))
    assert r.date.value == "2023-05-09"


def test_a_date_long_before_publication_stands_when_the_text_gives_month_and_year() -> None:
    [r] = _read("In April 2017, a chemical attack on Khan Shaykhun killed 80 people.", date(2023, 5, 10))
    assert r.date.value == "2017-04-01/2017-04-30"


def test_demands_that_conduct_stop_are_courses_of_conduct_of_their_own() -> None:
    text = ("A drone strike hit a bakery in Kharkiv on Thursday, killing three people.\n\n"
            "The charity said the army must stop killing civilians and medics, and stop starving the "
            "families left in the city.\n\n"
            "\"Stop these attacks,\" the mayor said.")
    found = _read(text)
    events = sorted((r.event.value, r.pattern.value) for r in found)
    assert events == [("attack", False), ("killing", True), ("other", True)]
    killing = next(r for r in found if r.event.value == "killing")
    assert text[slice(*killing.evidence[0])] == "stop killing civilians and medics"


def test_what_happens_at_the_scene_takes_the_place_and_day_of_the_event_before() -> None:
    text = ("An airstrike hit a market in Kharkiv on Tuesday, according to medics who said soldiers blocked "
            "ambulances from reaching the scene.")
    strike, blocked = _read(text)
    assert (strike.event.value, blocked.event.value) == ("attack", "interference")
    assert blocked.place.value == strike.place.value == "Kharkiv"
    assert blocked.date.value == strike.date.value == "2022-03-01"


def test_a_course_of_conduct_that_names_no_place_happens_in_the_country_even_unnamed() -> None:
    text = ("Jets struck a school in Kanbalu on Monday, killing two pupils.\n\n"
            "The Burma Army has repeatedly bombed villages, killing civilians.")
    [r] = [r for r in _read(text) if r.pattern.value]
    assert r.place.value == "Myanmar"
    assert r.country.value == "MM"
    assert r.country.start is None


def test_a_rule_about_an_event_reports_none() -> None:
    assert _read("The minister said the deliberate targeting of civilians is a war crime.") == []


def test_the_site_victims_came_from_is_neither_place_nor_target_and_a_cover_up_happens_at_the_site() -> None:
    text = ("An explosion at the Olenivka prison killed 40 prisoners of war transferred from the Azovstal "
            "steelworks.\n\nOfficials accused the guards of blowing it up \"to hide the torture of prisoners.\"")
    blast, torture = _read(text)
    assert blast.place.value == "Olenivka penal colony"
    assert blast.targets.value == ["prisoners_of_war"]
    assert (torture.event.value, torture.pattern.value) == ("killing", True)
    assert torture.place.value == "Olenivka penal colony"


def test_one_of_is_no_count() -> None:
    assert find_counts(fold("The dead were buried at one of the old cemeteries, with bodies wrapped in carpets.")) == []


def test_a_hospital_that_cares_for_victims_or_gives_the_toll_was_not_struck() -> None:
    text = ("An airstrike hit a market in Kharkiv on Tuesday, killing 12 people. Doctors at a Kharkiv hospital said "
            "they were treating dozens of people from the airstrike. The city hospital had confirmed 12 deaths.")
    [r] = _read(text)
    assert r.targets.value == ["market", "civilians"]


def test_chemical_weapons_used_on_a_day_in_a_town_are_one_attack() -> None:
    text = "Officials said the army had used chemical weapons on Saturday in Kharkiv, killing 30 people."
    [r] = _read(text)
    assert (r.event.value, r.pattern.value, r.place.value) == ("attack", False, "Kharkiv")


def test_places_a_course_of_conduct_gives_as_examples_leave_it_countrywide() -> None:
    text = ("Jets struck a school in Kharkiv on Monday, killing two pupils.\n\n"
            "The army frequently launches air strikes on civilians in regions like Kherson and Sumy.")
    [r] = [r for r in _read(text) if r.pattern.value]
    assert r.place.value == "Ukraine"


def test_hostages_taken_in_an_attack_are_part_of_it_and_a_country_after_in_is_its_place() -> None:
    text = "The raid by the militants left 90 people dead in Ukraine - 20 more were taken hostage."
    [r] = _read(text)
    assert (r.event.value, r.killed.value, r.place.value) == ("attack", 90, "Ukraine")


def test_another_partys_strike_after_an_attack_is_another_incident() -> None:
    text = ("Russian forces shelled a school in Kharkiv on Monday, killing four children.\n\n"
            "US warships in the Black Sea fired 20 cruise missiles at a base.")
    school, base = _read(text)
    assert (school.perpetrator.value, base.perpetrator.value) == ("Russia", "United States")


def test_no_party_is_inferred_when_the_text_says_nobody_knows_who_did_it() -> None:
    text = ("Russian and Ukrainian troops clashed near the town for weeks.\n\n"
            "An airstrike hit a market in Kharkiv on Monday, killing 30 people.\n\n"
            "\"We do not know if the planes were Russian or Ukrainian,\" a medic said.")
    strike = next(r for r in _read(text) if r.killed.value == 30)
    assert strike.perpetrator.value is None


def test_a_dispatch_in_capitals_with_a_dated_dateline() -> None:
    text = ("SAN SALVADOR, 12 JAN 90 (RADIO VENCEREMOS) -- FMLN URBAN COMMANDOS ATTACKED A NATIONAL GUARD POST IN "
            "SOYAPANGO LAST NIGHT, KILLING THREE SOLDIERS. THE PRESIDENT MET THE HIGH COMMAND IN THE CAPITAL.")
    [r] = _read(text, date(1990, 1, 12))
    assert (r.place.value, r.country.value) == ("Soyapango", "SV")
    assert (r.killed.value, r.perpetrator.value, r.date.value) == (3, "FMLN", "1990-01-12")


def test_the_datelines_date_and_country_are_the_filings() -> None:
    text = "Lima, 5 Mar 89 -- Shining Path terrorists murdered the mayor of Huanta and two councilmen on 3 March."
    [r] = _read(text, date(1989, 3, 5))
    assert (r.event.value, r.place.value, r.country.value, r.date.value) == ("killing", "Huanta", "PE", "1989-03-03")
    assert r.perpetrator.value == "Shining Path"


def test_a_small_place_the_text_locates_beats_a_big_namesake() -> None:
    text = "Gunmen killed 14 peasants in the hamlet of San Jose in Colombia in January. The FARC was blamed."
    [r] = _read(text, date(1989, 2, 3))
    assert (r.country.value, r.date.value, r.targets.value) == ("CO", "1989-01-01/1989-01-31", ["civilians"])
