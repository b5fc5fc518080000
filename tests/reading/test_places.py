"""Places: gazetteer lookups with transliteration variants, facilities by description, no common-word hits."""

import math

import pytest

from hague.reading import places
from hague.reading.places import find_places, gazetteer, geocode
from hague.reading.text import TextDoc


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("a, b", [
    ("Kyiv", "Kiev"), ("Zaporizhzhia", "Zaporozhye"), ("Zaporizhzhya", "Zaporizhzhia"), ("Izium", "Izyum"),
    ("Chornobyl", "Chernobyl"), ("Kharkiv", "Kharkov"),
])
def test_transliteration_variants_geocode_to_the_same_place(a: str, b: str) -> None:
    pa, pb = geocode(a), geocode(b)
    assert pa is not None and pb is not None
    assert _km(pa, pb) < 25


def test_ambiguous_names_prefer_the_conflict_country_and_the_larger_place() -> None:
    olenivka = geocode("Olenivka")
    assert olenivka is not None and _km(olenivka, (47.83, 37.66)) < 25  # the Donetsk-region village
    bucha = geocode("Bucha")
    assert bucha is not None and _km(bucha, (50.55, 30.21)) < 25


def test_descriptions_and_composite_names_geocode() -> None:
    znpp = geocode("Zaporizhzhia Nuclear Power Plant")
    assert znpp == geocode("Europe's largest nuclear plant")
    assert znpp is not None and _km(znpp, (47.51, 34.59)) < 5
    assert _km(geocode("Olenivka penal colony"), geocode("Olenivka")) < 25
    assert _km(geocode("outskirts of Kyiv"), geocode("Kyiv")) < 25
    assert geocode("Luhansk region") is not None
    assert geocode("Al-Ahli Arab Hospital, Gaza City") is not None
    assert geocode("Nowhere-at-all-ville") is None


def test_find_places_in_text_with_spans() -> None:
    text = ("We saw shelling near the train station in Kramatorsk, and later in Kiev's suburbs "
            "and the Donetsk region.")
    doc = TextDoc(text)
    found = {(text[m.start:m.end], m.place.kind, m.place.country) for m in find_places(doc)}
    assert ("train station in Kramatorsk", "facility", "UA") in found
    assert ("Kiev", "city", "UA") in found
    assert ("Donetsk region", "region", "UA") in found
    assert not any(name in {"We", "Sea"} for name, _, _ in found)


def test_common_words_and_lowercase_are_not_places() -> None:
    text = "Police said the march was for peace. Victoria and Anna said we should hope for more."
    names = {text[m.start:m.end] for m in find_places(TextDoc(text))}
    assert names == set()


def test_find_places_respects_the_window() -> None:
    text = "Kharkiv was hit. Then Odesa."
    doc = TextDoc(text)
    assert [text[m.start:m.end] for m in find_places(doc, 0, 16)] == ["Kharkiv"]
    assert [text[m.start:m.end] for m in find_places(doc, 16)] == ["Odesa"]


def test_gazetteer_loads_once() -> None:
    assert gazetteer() is gazetteer()


def _names(text: str) -> list[tuple[str, str | None]]:
    return [(text[m.start:m.end], m.place.country) for m in find_places(TextDoc(text))]


def test_the_documents_countries_pick_the_namesake() -> None:
    colombian = "Colombian police said guerrillas attacked a patrol near Malaga, in Santander."
    assert ("Malaga", "CO") in _names(colombian)
    spanish = "Tourists returned to Malaga, Spain, after the storm."
    assert ("Malaga", "ES") in _names(spanish)


def test_months_surnames_titles_and_organisations_are_not_places() -> None:
    text = ("On Mar. 3 the minister met Prime Minister Anthony Albanese and Mr. Jordan. The Kyiv Post and a "
            "London-based group reported it.")
    found = [name for name, _ in _names(text)]
    assert found == []


def test_places_too_small_for_the_table_are_named_by_their_kind() -> None:
    text = "Ethiopian jets bombed the village of Zerbaqo, near Mekelle, and Dorgaba village in Ethiopia."
    found = dict(_names(text))
    assert found["Zerbaqo"] == "ET" and found["Dorgaba"] == "ET"
    kinds = {text[m.start:m.end]: m.place.kind for m in find_places(TextDoc(text))}
    assert kinds["Zerbaqo"] == "village"


def test_transliterations_not_listed_match_by_their_consonants() -> None:
    found = dict(_names("Shelling hit Dayr al-Balaah and Khan Shaykhoun in Syria and Gaza."))
    assert found.get("Dayr al-Balaah") == "PS" and found.get("Khan Shaykhoun") == "SY"


def test_regions_of_other_theatres() -> None:
    found = dict(_names("Air strikes hit Sagaing Region and Chin State; fighting spread in Tigray and Idlib province."))
    assert found["Sagaing Region"] == "MM" and found["Chin State"] == "MM"
    assert found["Tigray"] == "ET" and found["Idlib province"] == "SY"


def test_acronyms_and_the_nationality_are_not_places() -> None:
    doc = TextDoc("The UN said the AP had seen it. The Russian delegation left Kharkiv.")
    assert [p.place.name for p in find_places(doc)] == ["Kharkiv"]


@pytest.mark.parametrize("text", [
    "Soldiers entered the village of Togoga and the town of Deir al-Balah; the district of Pa Zi Gyi was next.",
    "Shells hit Pa Zi Gyi Village, the Zamzam Refugee Camp and Kanbalu Township overnight.",
    "Pa Zi Gyi\nVillage elders and the Chief of Staff of the camp of\nOfakim spoke.",
    "They fled to Togoga, roughly 15 miles northwest of Mekelle, and to Abi Adi,\nabout 12.5 km from it.",
    "Togoga 15 km (9 miles) south of Mekelle; x1 Kebele, Woreda of Adwa, re-village of Sheraro, Town",
])
def test_places_named_by_their_kind_are_found_where_a_search_of_the_whole_text_finds_them(text: str) -> None:
    # Each pattern is tried only where a match can begin: the same matches as trying every position.
    for pattern, starts in places._BY_KIND:
        expected = [(m.span(), m.group(1)) for m in pattern.finditer(text)]
        assert [(m.span(), m.group(1)) for m in places._matches_at(pattern, text, starts(text))] == expected
    assert any(pattern.search(text) for pattern in (places._KIND_BEFORE, places._KIND_AFTER, places._DISTANCE_FROM))
