from hague.corroboration import compare


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
