"""The prefilter in front of a large regex changes no match: every position where one begins passes it."""

import re

import pytest

from hague.reading.prefilter import begins_anywhere, prefiltered

TEXTS = [
    "Shelling hit the maternity hospital in the city on 9 March 2022; at least 17 people were wounded.",
    "SHELLING HIT THE HOSPITALS AND CLINICS ON MONDAY, OFFICIALS SAID.",
    "Officials said the strike, which hit a school, killed three - two children and a teacher.",
    # Characters the regex engine folds to ASCII letters when matching without case: long s, Kelvin, dotted I.
    "The \u017fhelling of the Ho\u017fpital; \u212ailled 4; \u0130n March; \u017fince Monday.",
    "since 2014, repeatedly, across the region; in recent days the attacks continued",
]

PATTERNS = [
    (r"(?=\w)\b(?:(?P<g0>maternity (?:hospital|ward)s?|hospitals?)|(?P<g1>clinics?|schools?))\b", 0),
    (r";\s+|,\s+(?=which\b)|\s+-\s+", 0),  # an alternation at the top: the lookahead must cover every branch
    (r"\b(?:shell(?:ing|ed)|strike[sd]?|killed|wounded)\b", re.IGNORECASE),
    (r"(?<![\w-])(?:(?i:since|in)\s+)?(?:March|Monday|\d{1,2}\s+March)(?:,?\s+(?:19|20)\d\d)?", 0),
    (r"\b(?:at least|more than)?\s*\d+\s+(?:people\s+)?(?:killed|wounded)", 0),
    (r"\b[a-c]\w+ed\b", re.IGNORECASE),
    (r"(?:repeated(?:ly)?|across|in recent days|continu(?:e|ed))", 0),
]


@pytest.mark.parametrize("pattern, flags", PATTERNS)
def test_same_matches_with_the_prefilter(pattern: str, flags: int) -> None:
    plain, fast = re.compile(pattern, flags), prefiltered(pattern, flags)
    assert fast.pattern != pattern  # a lookahead was put in front
    for text in TEXTS:
        expected = [(m.span(), m.lastgroup, m.groups()) for m in plain.finditer(text)]
        assert [(m.span(), m.lastgroup, m.groups()) for m in fast.finditer(text)] == expected


def test_case_blind_matches_survive_the_prefilter() -> None:
    # A case-blind "s" matches the long s and "k" the Kelvin sign: the lookahead must let them through.
    fast = prefiltered(r"\b(?:shelling|killed)\b", re.IGNORECASE)
    assert [m.group() for m in fast.finditer(TEXTS[3])] == ["\u017fhelling", "\u212ailled"]


def test_no_lookahead_when_a_match_may_begin_at_any_word() -> None:
    pattern = r"(?:\w+ )?waiting for evacuation"
    assert prefiltered(pattern).pattern == pattern


def test_phrases_that_may_begin_at_any_word_keep_the_others_prefilter() -> None:
    # "(?:\w+ )?waiting for evacuation" may begin at any word; told so, the prefilter still skips the words none
    # of the other phrases begins like, and tries that phrase in full at the rest.
    narrow, wide = r"\b(?:hospitals?|schools?)\b", r"\b(?:(?:\w+ )?waiting for evacuation)"
    pattern = r"\b(?:(?P<g0>hospitals?|(?:\w+ )?waiting for evacuation)|(?P<g1>schools?))\b"
    plain, fast = re.compile(pattern), prefiltered(pattern, anywhere=(narrow, wide))
    assert fast.pattern.startswith("(?=")
    text = "civilians waiting for evacuation near the hospital; children waiting for evacuation at schools"
    for t in (text, *TEXTS):
        expected = [(m.span(), m.lastgroup) for m in plain.finditer(t)]
        assert [(m.span(), m.lastgroup) for m in fast.finditer(t)] == expected
    assert [m.group() for m in fast.finditer(text)][0] == "civilians waiting for evacuation"
    assert begins_anywhere(r"(?:\w+ )?waiting for evacuation") and not begins_anywhere(narrow)
