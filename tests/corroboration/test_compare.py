import math
import random
from datetime import date, timedelta

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


def _rules(a: compare.Features, b: compare.Features, similarity: float, shared_passage: bool) -> float:
    """The pair score's rules one pair at a time, each term added in the order the weights table is read: what
    the scores of many pairs at once must equal, bit for bit (a term dropped, changed or added in another order
    rounds differently on some pair)."""
    t = compare.tables()
    w = t["weights"]
    conflict = (a.event != b.event or a.pattern != b.pattern
                or bool(a.specific_targets and b.specific_targets and not a.specific_targets & b.specific_targets)
                or bool(a.distinctive_weapons and b.distinctive_weapons
                        and not a.distinctive_weapons & b.distinctive_weapons))
    score = w["bias"] + w["text"] * similarity
    if shared_passage and not conflict:
        score += w["shared_passage"]
    relation = compare.place_relation(a, b)
    place_conflict = relation in ("different", "far")
    if a.country and b.country and a.country != b.country:
        place_conflict = True
        score += w["country_different"]
    else:
        score += t["place_weights"][relation]
    if a.interval and b.interval:
        if compare.interval_gap(a.interval, b.interval) > t["date_slack_days"]:
            one_day = a.interval[0] == a.interval[1] and b.interval[0] == b.interval[1]
            if not (a.pattern or b.pattern) and (one_day or relation == "far"):
                if place_conflict:
                    return -math.inf
                score += w["date_conflict"]
            else:
                score += w["pattern_date_apart"] if (a.pattern and b.pattern) else w["date_apart"]
        elif a.interval[0] == a.interval[1] == b.interval[0] == b.interval[1]:
            score += w["date_same_day"]
        else:
            score += w["date_overlap"]
    if a.specific_targets and b.specific_targets:
        shared = a.specific_targets & b.specific_targets
        if shared:
            score += w["targets_overlap"] * len(shared) / len(a.specific_targets | b.specific_targets)
        elif not compare._groups(a.specific_targets) & compare._groups(b.specific_targets):
            score += w["targets_disjoint"]
    elif a.person_targets & b.person_targets:
        score += w["persons_overlap"]
    if a.distinctive_weapons and b.distinctive_weapons and not a.distinctive_weapons & b.distinctive_weapons:
        score += w["weapons_distinct"]
    if a.event and b.event:
        score += w["event_same"] if a.event == b.event else w["event_different"]
    if a.pattern != b.pattern:
        score += w["pattern_mismatch"]
    if a.doc_id == b.doc_id:
        score += w["same_document"]
    elif a.pattern and b.pattern and a.country and a.country == b.country and a.event == b.event \
            and not conflict and (relation == "same" or (a.broad_place and b.broad_place)):
        score += w["pattern_same_place"]
    return score


def _generated(rng: random.Random) -> compare.Features:
    """A report's features drawn from a few invented places (some a few km apart, some tens, some far), days,
    targets, weapons and mentioned words, so that every rule of the score applies to some pairs."""
    places = {None: None, "Ukraine": None, "Velymor": (48.10, 37.20), "Velymor village": (48.12, 37.21),
              "Zorianka": (48.15, 37.25), "Dubrava": (48.30, 37.50), "Ostrivka": (49.40, 35.00),
              "Kalynivka Hills": None}
    place = rng.choice(list(places))
    tokens = compare.place_tokens(place)
    day = date(2023, 5, 1) + timedelta(days=rng.randrange(5))
    interval = rng.choice([None, (day, day), (day, day + timedelta(days=rng.randrange(1, 4)))])
    targets = frozenset(rng.sample(["hospital", "clinic", "school", "market", "civilians", "children",
                                    "journalists"], rng.randrange(3)))
    persons = compare.tables()["person_targets"]
    mentions = frozenset(rng.sample(["velymo", "zorian", "dubrav", "ostriv", "kalyny", "hills", "struck"],
                                    rng.randrange(4)))
    return compare.Features(
        doc_id=rng.choice("abcde"), pattern=rng.random() < 0.3, event=rng.choice([None, "strike", "shelling"]),
        country=rng.choice([None, "UA", "UA", "RU"]), place=place, place_tokens=tokens,
        broad_place=compare.is_broad_place(place), coordinates=places[place], interval=interval,
        specific_targets=targets - persons, person_targets=targets & persons,
        distinctive_weapons=frozenset(rng.sample(["cluster_munition", "thermobaric", "incendiary"],
                                                 rng.randrange(3))),
        mentions=mentions, place_stems=frozenset(t[:6] for t in tokens))


def test_scores_of_many_pairs_at_once_are_the_rules_one_pair_at_a_time_bit_for_bit():
    # Placement scores every pair of a block at once; it must place as the rules read one pair at a time would.
    rng = random.Random(14)
    feats = [_generated(rng) for _ in range(200)]
    n = 6_000
    a, b = [rng.randrange(200) for _ in range(n)], [rng.randrange(200) for _ in range(n)]
    similarity = [rng.random() * 0.7 for _ in range(n)]
    shared = [rng.random() < 0.2 for _ in range(n)]
    got = compare.pair_scores(compare.Pool(feats), a, b, similarity, shared).tolist()
    want = [_rules(feats[x], feats[y], s, c) for x, y, s, c in zip(a, b, similarity, shared, strict=True)]
    assert got == want
    # every rule met: each place relation, a forbidden link, and scores that differ by one rounding
    assert {compare.place_relation(feats[x], feats[y]) for x, y in zip(a, b, strict=True)} == set(
        compare.RELATIONS)
    assert -math.inf in want and len(set(want)) > n * 0.9
    assert [compare.pair_score(feats[x], feats[y], s, c) for x, y, s, c in
            zip(a[:200], b[:200], similarity[:200], shared[:200], strict=True)] == got[:200]
