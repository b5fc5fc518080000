import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import SEED_GOLD

from hague.corroboration import ReuseDoc, ReuseParams, find_reuse, near_duplicate_groups
from hague.corroboration.fingerprints import candidates, fingerprint
from hague.corroboration.reuse import quoted_share
from hague.corroboration.tokens import tokenise, tokenise_many, words
from hague.reading.text import fold, paragraphs

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"

# An invented wire story: every paragraph is long enough to be a reuse unit.
STORY = [
    "A shell struck the central clinic of the river town of Velymor early on Tuesday, local officials said,"
    " injuring at least six patients who were waiting for treatment.",
    "The regional governor said the clinic had no military use and that the strike came during a pause in the"
    " fighting agreed to let families leave the town.",
    "Nurses moved the wounded to the basement while a second blast shook the street outside, according to a"
    " doctor who asked not to be named because of fears for her safety.",
    "Aid groups said supplies of insulin and bandages in the town were running low after a week in which no"
    " convoy had been able to cross the damaged bridge to the east.",
]
OTHER = [
    "Farmers in the northern valley began the harvest a month early this year because of the dry spring and"
    " the worry that fuel would soon be rationed again.",
    "The cooperative said its storage barns could hold about half of the expected grain and asked the"
    " ministry for help with temporary silos before the autumn rains.",
    "Prices for seed and fertiliser have almost doubled since last winter, leaving smaller farms to borrow"
    " from relatives or sell part of their herds to keep going.",
]


def doc(id_: str, paras: list[str], published: date | None = None, order: int = 0) -> ReuseDoc:
    return ReuseDoc(id_, "\n".join(paras) + "\n", published, order)


def linked_texts(links, docs, to_doc):
    text = {d.id: d.text for d in docs}[to_doc]
    return [text[slice(*link.to_span)] for link in links if link.to_doc == to_doc]


def test_example_paragraphs_all_found_in_the_right_direction():
    docs = []
    for i, path in enumerate(sorted(EXAMPLES.glob("*.txt"))):
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        docs.append(ReuseDoc(meta["id"], path.read_text(encoding="utf-8"),
                             date.fromisoformat(meta["published"]) if meta["published"] else None, i))
    links = find_reuse(docs)
    texts = {d.id: d.text for d in docs}
    gold = json.loads((SEED_GOLD / "reuse.json").read_text(encoding="utf-8"))
    assert len(gold) == 11
    for entry in gold:
        start = fold(texts[entry["to"]]).find(fold(entry["text"]))
        end = start + len(entry["text"])
        hits = [link for link in links if link.to_doc == entry["to"]
                and min(end, link.to_span[1]) - max(start, link.to_span[0]) >= (end - start) / 2]
        assert len(hits) == 1, entry["text"]
        assert hits[0].from_doc == entry["from"]
        assert hits[0].basis == "published"
    # Shared site furniture ("LIVE UPDATES: THE WAR IN UKRAINE" in both Courier articles) is not reuse.
    assert len(links) == len(gold)


def test_typography_mojibake_and_line_spacing_do_not_hide_a_copy():
    a = doc("a", STORY, date(2022, 3, 1))
    mangled = [
        STORY[0].replace("officials said,", "officials said \u2014"),
        STORY[1].replace("The regional", "\u201cThe  regional").replace("town.", "town.\u201d"),
        STORY[2].replace("named", "named\u00e2\u20ac\u2122s").replace(" a doctor", "\u00a0a doctor"),
        STORY[3],
    ]
    b = doc("b", OTHER[:1] + mangled, date(2022, 3, 2))
    links = find_reuse([a, b])
    assert [(lk.from_doc, lk.to_doc) for lk in links] == [("a", "b")] * 4
    assert linked_texts(links, [a, b], "b") == mangled
    assert all(lk.basis == "published" for lk in links)
    assert a.text[slice(*links[0].from_span)].startswith("A shell struck")


def test_spun_copy_with_synonyms_is_linked():
    spun = SPUN
    a = doc("a", STORY, date(2022, 3, 1), order=1)
    b = doc("b", spun + OTHER[:1], None, order=0)
    links = find_reuse([a, b])
    assert linked_texts(links, [a, b], "b") == spun
    assert all(0.67 <= lk.similarity < 1 for lk in links)


def test_direction_by_date_then_capture_order():
    first = doc("first", STORY, date(2022, 3, 1), order=5)
    later = doc("later", STORY[:3], date(2022, 3, 4), order=1)
    assert {(lk.from_doc, lk.basis) for lk in find_reuse([later, first])} == {("first", "published")}

    tie_a = doc("x", STORY, date(2022, 3, 1), order=2)
    tie_b = doc("y", STORY[:3], date(2022, 3, 1), order=1)
    assert {(lk.from_doc, lk.basis) for lk in find_reuse([tie_a, tie_b])} == {("y", "capture_order")}

    # A dated document is taken as the origin of an undated one, whatever the capture order.
    undated = doc("u", STORY, None, order=0)
    dated = doc("d", STORY[:3], date(2022, 3, 9), order=1)
    assert {(lk.from_doc, lk.to_doc) for lk in find_reuse([undated, dated])} == {("d", "u")}


SPUN = [
    STORY[0].replace("clinic", "infirmary").replace("injuring", "wounding").replace("patients", "sick"),
    STORY[1].replace("governor", "regulator").replace("families", "households"),
    STORY[2].replace("wounded", "injured").replace("doctor", "medic").replace("fears", "worries"),
]

RESPUN = SPUN[:2] + [SPUN[2].replace("moved", "shifted").replace("basement", "cellar")]  # spun further
WITNESS = [OTHER[1], STORY[2], OTHER[2]]  # another outlet's story holding one passage of STORY


def test_direction_by_wording_when_the_dates_do_not_decide():
    # An undated faithful copy and a dated spun one: alone, the dated one is taken as the origin ...
    faithful = doc("faithful", STORY, None, order=0)
    spun = doc("spun", RESPUN + OTHER[:1], date(2022, 3, 2), order=1)
    assert {(lk.from_doc, lk.basis) for lk in find_reuse([faithful, spun])} == {("spun", "published")}
    # ... but where another outlet holds one of the passages, the version closer to it is the origin.
    witness = doc("witness", WITNESS, date(2022, 3, 3), order=2)
    links = find_reuse([faithful, spun, witness])
    assert {(lk.from_doc, lk.to_doc, lk.basis) for lk in links} == {("faithful", "spun", "wording")}
    assert linked_texts(links, [spun], "spun") == RESPUN
    # Different days still decide, whatever the wording.
    dated = doc("faithful", STORY, date(2022, 3, 5), order=0)
    assert {(lk.from_doc, lk.basis) for lk in find_reuse([dated, spun, witness])} == {("spun", "published")}


def test_on_the_same_day_a_wire_credit_marks_the_origin_before_capture_order():
    credited = doc("credited", ["VELYMOR, Ukraine (AP) — " + STORY[0], *STORY[1:]], date(2022, 3, 1), order=2)
    stripped = doc("stripped", ["VELYMOR, Ukraine " + STORY[0], *STORY[1:3]], date(2022, 3, 1), order=1)
    links = find_reuse([credited, stripped])
    assert {(lk.from_doc, lk.to_doc, lk.basis) for lk in links} == {("credited", "stripped", "wire_credit")}
    # The credit agreeing with capture order, time order stands as the basis.
    early = replace(credited, order=0)
    assert {(lk.from_doc, lk.basis) for lk in find_reuse([early, stripped])} == {("credited", "capture_order")}
    assert len(links) == 3


def test_copy_of_a_copy_links_to_the_earliest_holder():
    docs = [
        doc("origin", STORY, date(2022, 3, 1)),
        doc("copy1", STORY + OTHER[:1], date(2022, 3, 2)),
        doc("copy2", OTHER[1:] + STORY[1:], date(2022, 3, 3)),
    ]
    links = find_reuse(docs)
    assert {(lk.from_doc, lk.to_doc) for lk in links} == {("origin", "copy1"), ("origin", "copy2")}
    assert len(linked_texts(links, docs, "copy2")) == 3


def test_a_sentence_lifted_into_new_prose_is_linked_as_that_sentence():
    sentence = STORY[2].split(", according")[0] + "."
    merged = OTHER[0] + " " + sentence + " Officials gave no further detail on the matter."
    a = doc("a", STORY, date(2022, 3, 1))
    b = doc("b", [STORY[0], merged], date(2022, 3, 2))
    links = find_reuse([a, b])
    assert linked_texts(links, [a, b], "b") == [STORY[0], sentence]


def test_a_later_paragraph_joining_two_of_the_origins_paragraphs_is_two_passages():
    joined = STORY[0] + " " + STORY[2] + " Officials gave no further detail on the matter."
    a = doc("a", STORY, date(2022, 3, 1))
    b = doc("b", [OTHER[0], joined], date(2022, 3, 2))
    links = find_reuse([a, b])
    assert linked_texts(links, [a, b], "b") == [STORY[0], STORY[2]]
    assert [a.text[slice(*lk.from_span)] + "." for lk in links] == [STORY[0], STORY[2]]
    # ... also when the origin is shorter than the later paragraph (a truncated or brief wire item).
    short = doc("short", STORY[:2], date(2022, 3, 1))
    long_para = doc("long", [" ".join(STORY[:2] + OTHER)], date(2022, 3, 2))
    assert linked_texts(find_reuse([short, long_para]), [long_para], "long") == STORY[:2]


# STORY[3] recast: the clauses reordered around the same words (similarity between 0.55 and 0.67).
RECAST = ("After a week in which no convoy had been able to cross the damaged bridge to the east, aid groups said"
          " on Friday that the town was short of insulin and bandages and that supplies were running out.")


def test_a_heavily_reworded_passage_is_linked_only_within_a_copied_pair():
    a = doc("a", STORY, date(2022, 3, 1))
    copy = doc("copy", STORY[:2] + [RECAST], date(2022, 3, 2))
    links = find_reuse([a, copy])
    assert linked_texts(links, [copy], "copy") == STORY[:2] + [RECAST]
    assert 0.55 <= links[-1].similarity < 0.67
    assert len(find_reuse([a, copy], ReuseParams(pair_threshold=0.67))) == 2
    # The same paragraph in a document that copies nothing else is an account of the same facts.
    alone = doc("alone", OTHER + [RECAST], date(2022, 3, 2))
    assert find_reuse([a, alone]) == []


def test_boilerplate_lines_and_a_single_shared_passage_are_not_reuse():
    furniture = "CLICK HERE TO GET THE NEWS APP"
    a = doc("a", [furniture, STORY[0], OTHER[0]], date(2022, 3, 1))
    b = doc("b", [furniture, STORY[0], OTHER[1], OTHER[2]], date(2022, 3, 2))
    assert find_reuse([a, b]) == []  # one passage in common: a shared wire source is as likely as copying
    c = doc("c", [furniture, STORY[0], STORY[1], OTHER[2]], date(2022, 3, 3))
    links = find_reuse([a, c, doc("a2", [STORY[1]] + OTHER, date(2022, 3, 1), 1)])
    assert furniture not in "".join(linked_texts(links, [c], "c"))


def test_text_two_outlets_quote_from_one_statement_is_not_copying():
    quote1 = '"We will not rest until every family can return to the town and rebuild," the mayor said.'
    quote2 = '"Those who shelled a clinic full of patients will one day answer for it in a court," she added.'
    a = doc("a", [OTHER[0], quote1, OTHER[2], quote2], date(2022, 3, 1))
    b = doc("b", [OTHER[1], quote1, quote2], date(2022, 3, 2))
    assert find_reuse([a, b]) == []
    # ... but when the later document also copies the earlier one's own words, the quotes go with them.
    c = doc("c", [OTHER[0], OTHER[1], quote1, OTHER[2], quote2], date(2022, 3, 3))
    assert len(find_reuse([a, c])) == 4


def test_quoted_share_counts_open_quotes_to_the_paragraph_end():
    text = 'He said "one two three" and left.\n"An open quote that runs on'
    paras = paragraphs(text)
    first = text.split("\n")[0]
    assert quoted_share(text, paras[0], paras[0]) == pytest.approx(len('"one two three"') / len(first))
    assert quoted_share(text, paras[1], paras[1]) == 1.0


def test_near_duplicate_groups_join_syndicated_copies():
    docs = [
        doc("wire", STORY, date(2022, 3, 1)),
        doc("outlet1", ["By a staff writer for the county paper in the east"] + STORY, date(2022, 3, 2)),
        doc("outlet2", STORY[:3] + OTHER[:1], date(2022, 3, 2), order=1),
        doc("farm", OTHER, date(2022, 3, 1), order=1),
    ]
    assert near_duplicate_groups(docs) == [["wire", "outlet1", "outlet2"]]


def test_worker_processes_give_the_same_links():
    docs = [doc(f"d{i}", STORY if i % 3 else OTHER + STORY[:2], date(2022, 3, 1 + i), i) for i in range(12)]
    params = ReuseParams(workers=1)
    assert find_reuse(docs, replace(params, workers=2)) == find_reuse(docs, params)


def test_words_keep_offsets_through_mojibake():
    text = "the woman\u00e2\u20ac\u2122s Caf\u00c3\u00a9 \u201cclinic\u201d"
    ws = words(text)
    assert [w for w, _, _ in ws] == ["the", "woman", "s", "café", "clinic"]
    assert [text[s:e] for _, s, e in ws] == ["the", "woman", "s", "Caf\u00c3\u00a9", "clinic"]


def test_candidates_offer_only_earlier_documents_and_drop_stock_phrases():
    texts = [" ".join(STORY), " ".join(STORY), " ".join(OTHER)]
    prints = [fingerprint(s.ids, np.searchsorted(s.starts, [0, len(t)]), 3, 1, 10)
              for t, s in ((t, tokenise(t)) for t in texts)]
    tgt, _, src = candidates(prints, np.array([1, 0, 2]), earliest=4, min_shared=2, min_share=0.1, max_df=10)
    assert set(zip(tgt.tolist(), src.tolist(), strict=True)) == {(0, 1)}
    tgt, _, _ = candidates(prints, np.array([1, 0, 2]), earliest=4, min_shared=2, min_share=0.1, max_df=1)
    assert len(tgt) == 0


def test_a_passage_goes_to_the_earliest_document_the_later_one_copied_not_to_a_lone_holder():
    # "lone" holds the first paragraph among unrelated text, before "wire" ran the whole story;
    # "copy" copies the story from the wire. The one passage "lone" shares with "copy" is no sign
    # that "copy" took anything from "lone", so the wire is its origin like the rest.
    lone = doc("lone", [OTHER[0], STORY[0], OTHER[1]], date(2022, 3, 1))
    wire = doc("wire", STORY, date(2022, 3, 2))
    copy = doc("copy", STORY[:3] + [OTHER[2]], date(2022, 3, 3))
    links = find_reuse([lone, wire, copy])
    assert {(lk.from_doc, lk.to_doc) for lk in links} == {("wire", "copy")}
    assert linked_texts(links, [copy], "copy") == STORY[:3]


def test_tokenise_many_splits_like_words_and_gives_equal_words_equal_ids():
    texts = [
        "The  mayor\u2019s \u201cclinic\u201d \u2014 hit twice_over; 12,000 fled.",
        "the woman\u00e2\u20ac\u2122s Caf\u00c3\u00a9 near the CLINIC",
        "\u0130stanbul and \u03a3\u0399\u03a3\u03a5\u03a6\u039f\u03a3 \U0001d518nicode \U0001f600 mayor",
        "",
    ]
    streams = tokenise_many(texts)
    ids: dict[int, str] = {}
    for text, stream in zip(texts, streams, strict=True):
        ws = words(text)
        assert list(zip(stream.starts.tolist(), stream.ends.tolist(), strict=True)) == [(s, e) for _, s, e in ws]
        assert (tokenise(text).ids == stream.ids).all()
        for i, (w, _, _) in zip(stream.ids.tolist(), ws, strict=True):
            assert ids.setdefault(i, w) == w  # one id, one word
    assert len(set(ids.values())) == len(ids)
    assert streams[0].ids[1] == streams[2].ids[-1] and ids[int(streams[0].ids[1])] == "mayor"
    assert streams[1].ids[-1] == streams[0].ids[3] and ids[int(streams[0].ids[3])] == "clinic"


def test_fingerprints_of_several_documents_at_once_match_one_at_a_time():
    texts = ["\n".join(STORY), "\n".join(OTHER + STORY[:1])]
    one = []
    for t in texts:
        s = tokenise(t)
        one.append(fingerprint(s.ids, np.searchsorted(s.starts, [p for p, _ in paragraphs(t)] + [len(t)]),
                               3, 1, 10))
    both = tokenise("\n".join(texts))
    joined = "\n".join(texts)
    bounds = np.searchsorted(both.starts, [p for p, _ in paragraphs(joined)] + [len(joined)])
    together = fingerprint(both.ids, bounds, 3, 1, 10)
    first = together.paragraphs < len(STORY)
    assert set(together.hashes[first].tolist()) == set(one[0].hashes.tolist())
    assert set(together.hashes[~first].tolist()) == set(one[1].hashes.tolist())
    assert set(together.paragraphs[~first].tolist()) == {len(STORY) + i for i in range(4)}


def test_documents_without_words_are_harmless():
    blank = [doc("empty", [], date(2022, 3, 1)), ReuseDoc("rules", "---\n***\n", date(2022, 3, 1), 1)]
    assert find_reuse(blank) == []
    docs = [*blank, doc("a", STORY, date(2022, 3, 2)), doc("b", STORY[:3], date(2022, 3, 3))]
    assert {(lk.from_doc, lk.to_doc) for lk in find_reuse(docs)} == {("a", "b")}
