"""Paragraphs and sentences of a document, found whole or one paragraph at a time."""

from hague.reading.text import TextDoc


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
