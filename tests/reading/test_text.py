"""Paragraphs and sentences of a document, found whole or one paragraph at a time."""

from hague.reading.text import TextDoc, fold


def test_sentences_found_paragraph_by_paragraph_are_the_whole_documents():
    # Only the paragraphs asked about are folded and split: the sentence of every offset must be the one
    # the whole document's split gives, abbreviations, curly quotes and offsets between paragraphs included.
    text = ("Officials said a missile struck the school in Kharkiv. \u201cWe saw it,\u201d a teacher said. Gen. "
            "Petrenko confirmed it.\n"
            "\n  The U.N. mission counted 4 dead \u2014 two children. It asked for access.  \n"
            "No further details were given")
    whole, parted = TextDoc(text), TextDoc(text)
    assert [whole.sentence_of(i) for i in range(len(text) + 1)] == [parted.sentence_of_paragraph(i)
                                                                     for i in range(len(text) + 1)]
    assert len({whole.sentence_of(i) for i in range(len(text))} - {None}) == 6
    assert "sentences" not in vars(parted) and "folded" not in vars(parted)  # the whole was never split


def test_fold_replaces_each_typographic_character_by_its_ascii_one() -> None:
    text = "\u201cWe\u2019re here\u201d \u2014 she said\u00a0\u2013 `quiet`\tnow \u00e9t\u00e9 \u00ab\u00bb\u2212"
    folded = fold(text)
    assert folded == "\"We're here\" - she said - 'quiet' now \u00e9t\u00e9 \"\"-"
    assert len(folded) == len(text) and fold(folded) == folded
    assert fold("plain ASCII text") == "plain ASCII text"
