"""Statements (who said what) on invented news sentences and on the bundled seeds with their gold."""

import json
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import SEED_GOLD

from hague.reading import stance
from hague.reading.speakers import name_in
from hague.reading.statements import _Reader, extract
from hague.reading.text import TextDoc, fold

FRIDAY = date(2022, 3, 4)
SEEDS = Path(__file__).resolve().parents[2] / "examples" / "articles"


def _read(text: str, published: date | None = FRIDAY):
    return extract(TextDoc(text, published))


def test_direct_quote_with_role_phrase_and_surname_continuation() -> None:
    text = (
        "Asked Friday about the strike, city spokesperson Maria Novak said the review was under way.\n"
        '"We are collecting evidence of what happened at the plant," Novak said Wednesday.\n'
        '"We have not reached any conclusion yet. The review goes on."'
    )
    found = _read(text)
    direct = [s for s in found if s.mode.value == "direct"]
    assert [s.speaker.value for s in direct] == ["Maria Novak", "Maria Novak"]
    first, second = direct
    assert first.quote.value == "We are collecting evidence of what happened at the plant"
    assert text[first.quote.start:first.quote.end] == first.quote.value
    assert first.said_on.value == "2022-03-02"  # "said Wednesday", published Friday
    assert first.stance.value == "investigating"
    assert second.stance.value == "no_conclusion"
    indirect = [s for s in found if s.mode.value == "indirect"]
    assert indirect and indirect[0].quote.value.startswith("the review was under way")


def test_reported_speech_forms() -> None:
    text = (
        "The country's foreign minister last week accused the army of \"war crimes\" after he said troops "
        "had shelled a school.\n"
        "A missile hit the station in the morning, regional officials said.\n"
        "At least 12 people were killed, according to the local health department."
    )
    found = _read(text)
    by_quote = {s.quote.value: s for s in found}
    accused = next(s for q, s in by_quote.items() if q.startswith("accused the army"))
    assert accused.stance.value == "asserts_violation"
    assert accused.said_on.value == "2022-02-21/2022-02-27"
    shelled = next(s for q, s in by_quote.items() if q.startswith("troops had shelled"))
    assert shelled.speaker.value == accused.speaker.value  # "he" is the subject of the same sentence
    assert by_quote["A missile hit the station in the morning"].speaker.value == "regional officials"
    assert by_quote["At least 12 people were killed"].speaker.value == "the local health department"


def test_unnamed_speaker_and_pronoun_resolution() -> None:
    text = (
        "The embassy indicated on Tuesday that it would not comment on the report.\n"
        "It later denied that its staff had been present at the site."
    )
    found = _read(text)
    assert [s.speaker.value for s in found] == ["The embassy", "The embassy"]
    assert found[0].said_on.value == "2022-03-01"
    assert found[1].stance.value == "denies"


def test_scare_quotes_are_not_statements_and_passive_is_not_attribution() -> None:
    found = _read('The shelling was reported by residents. He called the attack an "atrocity" on Monday.')
    assert [s.mode.value for s in found] == ["indirect"]
    assert found[0].stance.value == "condemns"


def test_said_on_is_null_without_a_date() -> None:
    found = _read('"The hospital was full of patients and staff," the doctor said.', published=None)
    assert found[0].said_on.value is None and found[0].speaker.value == "the doctor"


@pytest.mark.parametrize(("content", "code"), [
    ("We cannot confirm the use of cluster munitions", "cannot_confirm"),
    ("it is too early to say who fired", "no_conclusion"),
    ("It is a war crime to attack a nuclear power plant", "asserts_violation"),
    ("the claims are absolutely false", "denies"),
    ("At least four people were killed in the strike", "reports"),
    ("we will send more aid next month", "other"),
    ("the army is investigating the strike on the depot", "investigating"),
    # An inquiry someone else must hold, or has no mandate to hold, is not the speaker's own.
    ("deaths of detainees must be followed up by a thorough inquiry", "other"),
    ("it is not the role of the agency to carry out investigations", "other"),
    ("repeated demands for countries to send air defences", "other"),
    ("urged the army to stop the shelling of the town", "condemns"),
    ("Russian forces switched off the mobile network at the site", "reports"),
])
def test_stance_cues(content: str, code: str) -> None:
    assert stance.classify(content)[0] == code


def test_seed_gold_statements_are_found() -> None:
    found = total = 0
    for gold_file in sorted(SEED_GOLD.glob("0*.json")):
        gold = json.loads(gold_file.read_text())
        meta = json.loads((SEEDS / f"{gold['doc']}.json").read_text())
        text = (SEEDS / f"{gold['doc']}.txt").read_text()
        doc = TextDoc(text, date.fromisoformat(meta["published"]))
        statements = extract(doc)
        for g in gold["statements"]:
            total += 1
            start = doc.folded.find(fold(g["quote"]))
            end = start + len(g["quote"])
            found += any(s.quote.start <= start and end <= s.quote.end
                         or min(end, s.quote.end) - max(start, s.quote.start) >= (end - start) / 2
                         for s in statements)
    assert total and found / total >= 0.85


def test_transcript_label_speaks_every_paragraph_until_the_next_label() -> None:
    text = (
        "MINISTER NOVAK: Good morning, everyone.\n"
        "Two weeks ago the shelling of the river port began again.\n"
        "Yesterday the mayor said that the bridge had been closed for repairs.\n"
        "QUESTION: Can you tell us more about the port?\n"
        "The port was not damaged according to the harbour authority, officials said."
    )
    found = _read(text, published=None)
    by_quote = {s.quote.value: s.speaker.value for s in found}
    assert by_quote["Two weeks ago the shelling of the river port began again."] == "Minister Novak"
    assert by_quote["the bridge had been closed for repairs"] == "the mayor"
    assert not any(q.startswith(("Good morning", "Can you")) for q in by_quote)


def test_quotation_left_open_runs_on_over_unmarked_paragraphs() -> None:
    text = (
        'The agency head Petra Lind said: "We have opened an inquiry into the shelling of the dam.\n'
        "The inquiry will examine every report we receive from the region."
    )
    found = _read(text)
    assert [s.speaker.value for s in found] == ["Petra Lind", "Petra Lind"]
    assert found[1].quote.value.startswith("The inquiry will examine")


def test_scare_quotes_belong_to_the_reported_clause() -> None:
    text = ('The envoy said the army had shelled "agreed upon safe corridors" near the town, urging it to '
            '"stop these attacks at once."')
    found = _read(text)
    assert found[0].mode.value == "indirect"  # a quoted term inside the writer's own clause
    assert found[0].quote.value.startswith("the army had shelled")
    assert found[1].mode.value == "direct"  # the speaker's own words, introduced by "urging it to"


def test_post_posed_attribution_with_time_phrase_parenthetical_and_fragment() -> None:
    text = (
        "There is no evidence that rockets struck the camp, UN High Commissioner Anna Berg said "
        "on 25 July 2023.\n"
        "Those, the ministry said, include the hospital and two schools in the city.\n"
        'Her son was rescued from the cellar but showed "no signs of life," the doctor said.\n'
        "Both sides blamed each other for the explosion at the prison."
    )
    found = _read(text)
    quotes = [s.quote.value for s in found]
    assert quotes[0] == "There is no evidence that rockets struck the camp"
    assert found[0].speaker.value == "Anna Berg"
    assert quotes[1].startswith("Those, the ministry said, include")
    assert quotes[2].startswith("Her son was rescued") and found[2].speaker.value == "the doctor"
    assert quotes[3] == "blamed each other for the explosion at the prison"


def test_participle_and_coordinated_verbs_keep_the_speaker() -> None:
    text = ("The ministry denied carrying out a strike on the station and claimed the missile was used "
            "only by the other side.\n"
            '"Our staff counted the dead at the station," Novak said, adding that the count was not final.')
    found = _read(text)
    by_quote = {s.quote.value: s.speaker.value for s in found}
    assert by_quote["denied carrying out a strike on the station"] == "The ministry"
    assert by_quote["the missile was used only by the other side"] == "The ministry"
    assert by_quote["the count was not final"] == "Novak"


def test_counter_claim_by_the_accused_side_is_a_denial() -> None:
    text = ("Russian forces shelled the market on Monday, Russian troops then hit the school.\n"
            "The Russian defence ministry accused the Kyiv regime of staging the attack on the market.")
    found = _read(text)
    assert found[-1].stance.value == "denies"


def test_appeal_verbs_are_other() -> None:
    assert stance.classify("pleaded with civilians to flee the city", "pleaded")[0] == "other"


def _speakers(text: str, published: date | None = FRIDAY) -> dict[str, str]:
    return {s.quote.value: s.speaker.value for s in _read(text, published)}


def test_apposition_conjunction_and_missed_sentence_end_in_the_subject() -> None:
    text = (
        "The deputy head of the regional office, Anna Kovalenko, said two rockets hit the shelter at dawn.\n"
        "But Ruritania says the explosion was caused by a rocket that misfired.\n"
        "Officials said the strike involved a Tochka U. The ministry stated it had no operations planned there."
    )
    found = _speakers(text)
    assert found["two rockets hit the shelter at dawn"] == "Anna Kovalenko"
    assert found["the explosion was caused by a rocket that misfired"] == "Ruritania"
    assert found["it had no operations planned there"].lower() == "the ministry"


def test_post_posed_attribution_around_an_inner_one() -> None:
    text = (
        "The defence ministry said the missile was of a type used only by the rebel army, Tass reported.\n"
        "The government assesses that troops have committed war crimes in the region, Foreign Minister "
        "Anna Berg said on Wednesday.\n"
        "The attack, which Ruritania attributed to a rebel unit, killed 17 people and injured 36 others, the "
        "defence ministry said."
    )
    found = _read(text)
    by_quote = {s.quote.value: s for s in found}
    assert by_quote["the missile was of a type used only by the rebel army"].speaker.value == "The defence ministry"
    assert not any(s.speaker.value == "Tass" for s in found)
    crimes = by_quote["troops have committed war crimes in the region"]
    assert crimes.speaker.value == "Anna Berg"
    assert crimes.said_on.value == "2022-03-02"
    attack = next(s for s in found if "killed 17 people" in s.quote.value)
    assert attack.speaker.value.lower() == "the defence ministry"
    assert attack.quote.value.startswith("The attack, which Ruritania attributed")


def test_descriptions_resolve_to_the_right_kind_of_speaker() -> None:
    text = (
        "Foreign Minister Anna Berg of the Ruritanian Foreign Office said the border crossing was shelled.\n"
        "The office said it had recorded at least 40 attacks on the crossing.\n"
        "According to the governor of the Donetsk region, 17 people were injured in the airstrike. "
        "He claimed the airstrike happened during an agreed ceasefire period."
    )
    found = _speakers(text)
    assert found["it had recorded at least 40 attacks on the crossing"] != "Anna Berg"
    assert found["the airstrike happened during an agreed ceasefire period"] == "the governor of the Donetsk region"


def test_a_newspaper_is_not_a_personal_name() -> None:
    assert name_in("six experts consulted by The Washington Post") is None
    assert name_in("Foreign Minister Anna Berg") == "Anna Berg"


def test_said_on_carries_over_and_stays_null_in_later_accounts() -> None:
    tuesday = date(2022, 3, 15)
    text = (
        "The strike on Wednesday, March 9 destroyed the ward.\n"
        "Dr. Anna Berg said Saturday that the woman's hip had been crushed. Her baby showed \"no signs of "
        "life,\" she said.\n"
        "Doctors said they were grateful that she had not been buried in the rubble."
    )
    by_quote = {s.quote.value: s.said_on.value for s in _read(text, tuesday)}
    assert by_quote["the woman's hip had been crushed"] == "2022-03-12"
    assert by_quote["Her baby showed \"no signs of life"] == "2022-03-12"
    # The copy dates nothing later than Saturday: an undated statement was not necessarily made on Tuesday.
    assert by_quote["they were grateful that she had not been buried in the rubble"] is None


def test_undated_copy_dates_statements_by_its_own_full_date() -> None:
    text = ("The image shows the hospital in Mariupol, Ukraine, Wednesday March 9, 2022. "
            "A strike severely damaged the maternity ward, officials said.")
    (st,) = _read(text, None)
    assert st.said_on.value == "2022-03-09"


def test_an_open_question_about_a_legal_category_is_not_an_assertion() -> None:
    from hague.reading import stance

    assert stance.classify("the ministry continues its review of whether the strikes amount to war crimes",
                           "said")[0] != "asserts_violation"
    assert stance.classify("the strikes on the dam were war crimes", "said")[0] == "asserts_violation"


def test_accusing_a_party_of_violating_binding_norms_asserts_a_violation() -> None:
    from hague.reading import stance

    assert stance.classify("accused the army of violating key safety guidelines at the reactor", "accused")[0] \
        == "asserts_violation"


def test_a_reported_clause_made_mostly_of_quoted_words_is_direct() -> None:
    text = ('The governor said the shelling was "a deliberate attack on our people" and "a crime that will '
            'not go unpunished".')
    [st] = extract(TextDoc(text, date(2024, 5, 2)))
    assert st.mode.value == "direct"
    plain = extract(TextDoc("The governor said the shelling hit the market and killed three people.",
                            date(2024, 5, 2)))
    assert plain[0].mode.value == "indirect"


def _said(text: str) -> list[tuple[str, str, str]]:
    return [(s.speaker.value, s.mode.value, s.quote.value) for s in _read(text)]


def test_a_short_quotation_with_its_own_attribution_is_a_statement() -> None:
    text = 'Lina Haddad, 41, waited at the crossing. "It feels so good," Haddad told reporters.'
    assert _said(text) == [("Lina Haddad", "direct", "It feels so good")]
    # A fragment inside a reported clause stays part of that clause.
    [(speaker, mode, quote)] = _said('The mayor said the strike was "pure terror" aimed at the town.')
    assert (speaker, mode) == ("The mayor", "indirect") and "pure terror" in quote


@pytest.mark.parametrize("text, speaker", [
    ('The governor was blunt: "We will not let them shell our hospitals again."', "The governor"),
    ('Health Minister Amina Yusuf: "The wards were full when the shells landed."', "Amina Yusuf"),
    ('Governor Ivan Petrenko said: "Nobody expected an attack on the market that morning."', "Ivan Petrenko"),
])
def test_a_colon_introduces_the_speakers_words(text: str, speaker: str) -> None:
    [(who, mode, _)] = _said(text)
    assert (who, mode) == (speaker, "direct")


def test_a_headline_attribution_after_its_content() -> None:
    [(who, mode, quote)] = _said("Strikes on clinics must stop at once, WHO chief says")
    assert (who, mode, quote) == ("WHO chief", "indirect", "Strikes on clinics must stop at once")
    [(who, _, _)] = _said("Strikes on clinics must stop at once, the WHO chief says.")
    assert who == "the WHO chief"


@pytest.mark.parametrize("text, speaker, content", [
    ("The shelling killed nine people, according to the regional health office.", "the regional health office",
     "The shelling killed nine people"),
    ("In a statement, the army said its units had hit a fuel depot near the border.", "the army",
     "its units had hit a fuel depot near the border"),
    ("A spokesperson for the ministry said the convoy carried only food and medicine.",
     "A spokesperson for the ministry", "the convoy carried only food and medicine"),
    ("The Daily Courier reported that the bridge had been hit by rocket fire overnight.", "The Daily Courier",
     "the bridge had been hit by rocket fire overnight"),
    ("Amnesty International said the attack on the clinic may amount to a war crime.", "Amnesty International",
     "the attack on the clinic may amount to a war crime"),
])
def test_nominal_attributions_and_organisations_as_speakers(text: str, speaker: str, content: str) -> None:
    assert _said(text) == [(speaker, "indirect", content)]


def test_a_columnist_speaks_for_herself_not_her_outlet() -> None:
    text = "Sara Lind, a columnist for The Northern Ledger, wrote that the siege had starved the city."
    assert _said(text) == [("Sara Lind", "indirect", "the siege had starved the city")]


def test_a_quotation_running_on_into_the_next_paragraph_keeps_its_speaker_and_is_direct() -> None:
    text = ('"The water ran out on the third day and the children got sick," said Olga Marchenko, a nurse.\n\n'
            '"We boiled snow on the stairs because there was nothing else to drink."')
    found = _said(text)
    assert [(w, m) for w, m, _ in found] == [("Olga Marchenko", "direct")] * 2


@pytest.mark.parametrize("text, speaker, content", [
    ("The campaign says the new advert will run on national television.", "The campaign",
     "the new advert will run on national television"),
    ("His lawyer said he would not answer questions from the committee.", "His lawyer",
     "he would not answer questions from the committee"),
    ("Many farmers say the river has not been this low in decades.", "Many farmers",
     "the river has not been this low in decades"),
    ("Aid workers said the convoy had waited at the checkpoint for six hours.", "Aid workers",
     "the convoy had waited at the checkpoint for six hours"),
    ("Only 12 percent of farmers said they felt safe in the camp at night.", "12 percent of farmers",
     "they felt safe in the camp at night"),
])
def test_a_common_noun_phrase_with_a_determiner_is_a_speaker(text: str, speaker: str, content: str) -> None:
    assert _said(text) == [(speaker, "indirect", content)]


def test_a_common_noun_phrase_speaks_a_short_quotation() -> None:
    assert _said('"We need water," the Riverside clinic director said.') == [
        ("the Riverside clinic director", "direct", "We need water")]


def test_a_noun_phrase_after_a_preposition_or_an_adjective_is_no_speaker() -> None:
    assert _said("Images from the clinic shared widely online showed a burning roof.") == []
    assert _said("Some early unconfirmed reports put the toll at about forty in the valley.") == []
    # A participle after a common noun is no speech verb: "the bodies found near ...".
    assert _said("The bodies found near the school were those of four men and a boy.") == []
    assert _said("The report found that the army had shelled the market twice.") == [
        ("The report", "indirect", "the army had shelled the market twice")]


def test_a_quotation_that_ends_a_clause_begun_in_plain_words_is_one_statement() -> None:
    [(who, _, quote)] = _said('With hundreds of crossings to watch, "nobody can close the border for good," she said.')
    assert who == "she" and quote.startswith("With hundreds of crossings")


def test_introduced_quotations_and_clauses_that_run_past_a_quotation() -> None:
    # A short phrase and a comma between the verb and the quotation only introduce it.
    assert _said('The mayor told the council on Monday, "The shelters are full and the water is gone."') == [
        ("The mayor", "direct", "The shelters are full and the water is gone.")]
    # A clause with a subject of its own is no introduction: 'doctors said she cried out, "..."'.
    [(_, _, quote)] = _said('Doctors said she cried out to them, "Please save my baby now."')
    assert quote.startswith("she cried out")
    # A quotation that opens a reported clause going on past it: the clause is the statement.
    [(_, _, quote)] = _said('The envoy said that "the siege continues" in the north, despite every promise made.')
    assert quote.endswith("despite every promise made")
    # A semicolon inside a quotation ends no clause.
    [(_, _, quote)] = _said('She said on Monday, "the wells are dry; the pumps have no fuel left at all."')
    assert "pumps" in quote


@pytest.mark.parametrize("content, code", [
    ("The government needs to stop this indiscriminate shelling of the camps.", "condemns"),
    ("The shelling of the camps was indiscriminate and killed dozens.", "asserts_violation"),
])
def test_a_demand_to_stop_condemns_before_a_legal_word_asserts(content: str, code: str) -> None:
    assert stance.classify(content)[0] == code


@pytest.mark.parametrize("text, speaker", [
    ("A villager in Mae Sot said a jet flew over and dropped two bombs.", "A villager in Mae Sot"),
    ("A spokesman for the city water office said the pumps had stopped overnight.",
     "A spokesman for the city water office"),
    ("Most of the dead were children, one doctor said.", "one doctor"),
    ("Other health workers said the clinic had run out of blood.", "Other health workers"),
])
def test_a_speaker_phrase_keeps_its_determiner_and_its_complement(text: str, speaker: str) -> None:
    [(who, _, _)] = _said(text)
    assert who == speaker
    # The place a preposition ties to the speaker is not the speaker's name or organisation.
    assert name_in(speaker) is None


def test_titled_surnames_and_name_particles_make_people() -> None:
    text = ('President Okafor spoke in the capital.\n\n"The bridge was hit twice overnight," Okafor said. '
            '"We will rebuild it," he added.\n\n"Forty people were buried under the rubble," said Raed al-Hassan, '
            'a rescue worker.')
    assert [w for w, _, _ in _said(text)] == ["Okafor", "Okafor", "Raed al-Hassan"]
    assert name_in("Ursula von der Leyen") == "Ursula von der Leyen"


@pytest.mark.parametrize("text, content", [
    ("The governor said the bridge would reopen next month in a statement on Thursday.",
     "the bridge would reopen next month"),
    ("The minister said the talks had failed for now, citing the shelling of the port.",
     "the talks had failed for now"),
])
def test_a_reported_clause_ends_before_the_setting_and_the_writers_comment(text: str, content: str) -> None:
    [(_, _, quote)] = _said(text)
    assert quote == content


def test_progressive_verbs_and_participles_after_the_sentence_subject() -> None:
    assert _said("The regional council is saying that the water supply will return by Friday.") == [
        ("The regional council", "indirect", "the water supply will return by Friday")]
    assert _said("Aid agencies have criticised the new rules, saying convoys now wait for days at the border.") == [
        ("Aid agencies", "indirect", "convoys now wait for days at the border")]


def test_a_quotation_resumed_after_its_attribution_keeps_the_speaker() -> None:
    found = _said('"Here comes the convoy," the nurse said, clapping. "Bread for everyone, finally."')
    assert [(w, m) for w, m, _ in found] == [("the nurse", "direct")] * 2


@pytest.mark.parametrize("content, verb, code", [
    ("the army is conducting a thorough review of the strike on the convoy", "said", "investigating"),
    ("the agency to conduct an investigation at the site", "invited", "other"),
    ("Aid workers should never be a target, and we are heartbroken", "said", "condemns"),
    ("the regime will pay a heavy price for the gas attack", "said", "condemns"),
    ("the deaths were likely to rise as rescuers dug through the night", "said", "reports"),
    ("experts were invited to the site of the death of the prisoners", "said", "other"),
])
def test_stance_of_inquiries_appeals_condemnation_and_reports(content: str, verb: str, code: str) -> None:
    assert stance.classify(content, verb)[0] == code


def test_coordinated_noun_phrases_with_a_complement_speak_together() -> None:
    [(who, _, quote)] = _said("Two doctors and a nurse in the regional capital, Adwa, told reporters they were "
                              "unable to confirm how many people were killed.")
    assert who == "Two doctors and a nurse in the regional capital"
    assert quote.startswith("they were unable to confirm")


def test_a_parenthetical_source_after_a_relative_pronoun_speaks_for_what_follows() -> None:
    found = _read("The volunteers worked for Harbor Bread, a charity founded by a retired baker that, according to "
                  "the charity, has delivered more than two million meals to families since June.")
    [st] = found
    assert st.quote.value == "has delivered more than two million meals to families since June"
    assert st.speaker.value == "Harbor Bread"  # "the charity" the apposition describes
    assert st.said_on.value is None  # a standing claim, not words spoken on the publication day
    assert st.stance.value == "other"  # aid delivered is relief work, not a toll


def test_the_speaker_of_a_modified_subject_is_the_noun_not_the_prepositions_object() -> None:
    assert _said("A Red Crescent paramedic who helped carry the bodies to Al-Noor Hospital told reporters the "
                 "convoy was crossing out of the north when it was hit.") == [
        ("A Red Crescent paramedic", "indirect", "the convoy was crossing out of the north when it was hit")]
    assert _said("Injured patients being treated at the Ayder Hospital told nurses that a plane had dropped a "
                 "bomb on the market.")[0][0] == "Injured patients"


def test_an_apposition_that_mentions_someone_else_leaves_the_speaker_alone() -> None:
    [(who, _, _)] = _said("Harbor Bread, the charity founded by chef Mara Holt, said it was aware of the reports "
                          "from the coast.")
    assert who == "Harbor Bread"
    [(who, _, _)] = _said("The deputy head of the office, Kyrylo Tymoshenko, said the shelling went on all night.")
    assert who == "Kyrylo Tymoshenko"


def test_an_inverted_speaker_may_be_a_common_noun_phrase() -> None:
    assert _said("Five aid workers were killed in a strike on the coast road, said the regional government media "
                 "office.") == [("the regional government media office", "indirect",
                                 "Five aid workers were killed in a strike on the coast road")]


def test_base_forms_of_speech_verbs_need_a_plural_subject() -> None:
    assert _said("Critics claim the new rules would hurt small farmers in the north.") == [
        ("Critics", "indirect", "the new rules would hurt small farmers in the north")]
    assert _said("Farm unions insist that the new rules would hurt small farmers in the north.")[0][0] == "Farm unions"
    assert _said("The mayor's claim to be a friend of farmers was met with laughter in the hall.") == []


@pytest.mark.parametrize("text, quote", [
    ("The opposition government issued a statement denouncing the airstrike on the village.",
     "issued a statement denouncing the airstrike on the village"),
    ("In a post online, the president laid the blame for the attack partly on the rebel commanders.",
     "laid the blame for the attack partly on the rebel commanders"),
    ("The front-runner complained that the count had been rigged against him.",
     "the count had been rigged against him"),
])
def test_more_speech_acts(text: str, quote: str) -> None:
    assert [q for _, _, q in _said(text)] == [quote]


def test_a_verb_with_an_object_is_no_post_posed_attribution() -> None:
    # "noted the clot's existence" has an object; "..., officials said on Telegram" is post-posed.
    assert _said("In her 2003 memoir, Living History, the senator noted the clot's existence.") == []
    assert _said("A drone hit the depot overnight, officials said on Telegram.") == [
        ("officials", "indirect", "A drone hit the depot overnight")]


def test_a_participle_after_an_opening_adverb_speaks_for_the_sentence_subject() -> None:
    assert _said('And then Okafor went on the attack, saying, "The council has failed every family here."') == [
        ("Okafor", "direct", "The council has failed every family here.")]


def test_a_verb_after_and_shares_the_sentence_subject() -> None:
    assert _said("Okafor visited the ward on Saturday and says the generator failed twice during the night.") == [
        ("Okafor", "indirect", "the generator failed twice during the night")]
    # "calls" after a noun and "and" is a noun here, and a sentence opened by a preposition has no speaker.
    assert _said("Despite the danger and calls by the council to leave at once, the family stayed in the town.") == []


def test_a_restrictive_who_after_a_preposition_names_its_antecedent() -> None:
    found = _said("A strike hit the market on Tuesday, according to health workers who said soldiers blocked "
                  "medical teams from reaching the scene.")
    assert ("health workers", "indirect", "soldiers blocked medical teams from reaching the scene") in found
    # An object of a verb is not taken for a speaker this way.
    assert _said("There are some economists who argue that the tax should be very small or nothing at all.") == []


def test_speech_verbs_of_each_sentence_come_from_one_search_of_the_document() -> None:
    # Found once in the whole text and sliced per sentence: the same verbs as a search of each sentence alone,
    # at the ends of sentences and lines too.
    text = ("Officials said the strike hit a school. \"It was deliberate,\" he told reporters\n"
            "The ministry denied it; it said so. Witnesses said\n"
            "  Residents pointed out the craters, wrote on Telegram")
    doc = TextDoc(text, FRIDAY)
    reader = _Reader(doc)
    for sent in doc.sentences:
        expected = [m.span() for m in reader.verbs.pattern.finditer(doc.folded, *sent)]
        assert [m.span() for m in reader._verbs_in(sent)] == expected
    assert sum(len(reader._verbs_in(s)) for s in doc.sentences) >= 7


def test_speech_verbs_are_words_and_single_spaces() -> None:
    # What lets one search of the document stand for a search per sentence (no verb crosses a sentence's edge).
    import re

    from hague.datafiles import load_yaml

    data = load_yaml("hague.reading", "data/speech_verbs.yaml")
    assert all(re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+)*", w) for w in [*data["say"], *data["act"]])
