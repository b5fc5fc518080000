from hague.eval.locate import Locator, covered, shared

TEXT = (
    "Mayor Anna Kovacs said: \u201cThe shelter\u2014the old school\u2014is  full.\u201d The shelter\nis cold."
)


def test_finds_quote_ignoring_quotes_dashes_and_spacing():
    [(start, end)] = Locator(TEXT).find_all('"The shelter-the old school-is full."')
    assert TEXT[start:end] == "\u201cThe shelter\u2014the old school\u2014is  full.\u201d"


def test_collapses_line_breaks_and_finds_every_occurrence():
    spans = Locator(TEXT).find_all("the shelter")
    assert [TEXT[s:e] for s, e in spans] == ["The shelter", "The shelter"]
    [(s, e)] = Locator(TEXT).find_all("shelter is cold")
    assert TEXT[s:e] == "shelter\nis cold"


def test_absent_or_empty_needle_gives_nothing():
    assert Locator(TEXT).find_all("the hospital") == []
    assert Locator(TEXT).find_all("   ") == []


def test_span_sets_count_each_character_once():
    assert covered([(0, 10), (5, 15), (20, 25)]) == 20
    assert shared([(0, 10), (5, 15)], [(8, 22)]) == 7
