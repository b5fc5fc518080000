from hague.corroboration import compare
from hague.reading.fields import Field, Report


def test_the_remembered_words_of_a_text_are_its_own_when_the_evidence_changes():
    # A report read again with other evidence: its words, and so its wording's weights, follow the new text.
    before = "Shelling struck the maternity hospital in Vyshneve, 12 killed."
    after = "Shelling struck the secondary school in Vyshneve, 12 killed."
    assert compare.terms(before) == ("shelli", "struck", "matern", "hospit", "vyshne", "killed")
    assert compare.terms(after) == ("shelli", "struck", "second", "school", "vyshne", "killed")
    assert compare.terms(before) == ("shelli", "struck", "matern", "hospit", "vyshne", "killed")
    other = "Artillery struck the maternity hospital in Vyshneve."
    assert compare.tfidf_vectors([after, other])[0].keys() == set(compare.terms(after))
    elsewhere = ["Rain fell on the fields near the river."]
    assert compare.cosine(*compare.tfidf_vectors([before, other], elsewhere)) > compare.cosine(
        *compare.tfidf_vectors([after, other], elsewhere)) > 0


def test_background_counted_once_weighs_words_as_the_texts_themselves_do():
    # A chunk's background is counted once and shared by its blocks: the weights must be those of the texts.
    texts = ["Shelling struck the maternity hospital in Vyshneve.", "Artillery hit the hospital in Vyshneve.",
             "A drone hit a grain silo near the river port."]
    background = ["The hospital in Vyshneve was struck again.", "Rain fell on the fields near the river.",
                  "The port reopened after the drone attack."]
    counted = compare.Background.of(background)
    assert counted.size == 3 and counted.df["hospit"] == 1 and counted.df["river"] == 1
    assert compare.tfidf_vectors(texts, counted) == compare.tfidf_vectors(texts, background)
    assert compare.tfidf_vectors(texts, counted) != compare.tfidf_vectors(texts)


def test_the_stems_a_report_mentions_are_shared_between_reports():
    # A placing run keeps the features of thousands of reports: a stem two of them mention is one string.
    report = Report(evidence=[(0, 10)], event=Field("shelling"), targets=Field([]), weapons=Field([]),
                    place=Field(None), country=Field(None), date=Field(None), killed=Field(None),
                    injured=Field(None), casualty_text=Field(None), perpetrator=Field(None),
                    status=Field("reported"), pattern=Field(False))
    one = compare.features("a", report, "Shelling struck the hospital in Vyshneve.")
    two = compare.features("b", report, "The hospital in Vyshneve was struck again.")
    assert {"hospit", "vyshne", "struck"} <= one.mentions & two.mentions
    first = {m: m for m in one.mentions}
    assert all(first[m] is m for m in two.mentions if m in first)
