"""Phrase lexicons: one prefiltered regex a lexicon, the same hits as the plain alternation."""

import re

from hague.reading.lexicon import Lexicon, lexicons, lower_same_length


def test_a_phrase_that_may_begin_at_any_word_keeps_the_lexicons_prefilter() -> None:
    mapping = {"civilians_fleeing": [r"(?:awaiting|(?:\w+ )?waiting for) evacuation", "fleeing civilians"],
               "hospital": ["hospitals?", "clinics?"]}
    lexicon = Lexicon(mapping)
    plain = re.compile(r"(?=\w)\b(?:(?P<g0>" + "|".join(mapping["civilians_fleeing"]) + ")|(?P<g1>"
                       + "|".join(mapping["hospital"]) + r"))\b")
    text = lower_same_length("Families waiting for evacuation near the hospital; patients awaiting evacuation at "
                             "two clinics, fleeing civilians and waiting for evacuation")
    assert lexicon.regex.pattern.startswith("(?=")  # a lookahead: most words are skipped
    assert lexicon.find(text) == [(m.start(), m.end(), lexicon.codes[int(m.lastgroup[1:])])
                                  for m in plain.finditer(text)]
    assert lexicon.find(text)[0] == (0, len("families waiting for evacuation"), "civilians_fleeing")
    assert lexicons().targets.regex.pattern.startswith("(?=")
