from datetime import date

import pytest

from hague.corroboration.actors import resolve_actor
from hague.corroboration.goldrefs import load_gold_refs
from hague.corroboration.incidents import cluster_incidents
from hague.corroboration.positions import (
    WAR_CRIMES_QUESTION,
    StatementRef,
    mixed_messages,
    positions,
)
from hague.reading.fields import Field, Statement


@pytest.mark.parametrize(("speaker", "org", "aliases", "path"), [
    ("Jen Psaki", None, [], ["Jen Psaki", "White House", "United States"]),
    ("U.S. Embassy to Ukraine", None, [],
     ["U.S. Embassy to Ukraine", "Department of State", "United States"]),
    ("Dmytro Kuleba", None, [], ["Dmytro Kuleba", "Ministry of Foreign Affairs of Ukraine", "Ukraine"]),
    ("Ukraine's foreign minister", None, ["Dmytro Kuleba"],
     ["Dmytro Kuleba", "Ministry of Foreign Affairs of Ukraine", "Ukraine"]),
    ("White House press secretary Jen Psaki", None, [], ["Jen Psaki", "White House", "United States"]),
    ("spokesperson for the White House National Security Council", None, [],
     ["National Security Council", "White House", "United States"]),
    ("Latvia's foreign minister", None, [], ["Ministry of Foreign Affairs of Latvia", "Latvia"]),
    ("Anna Example", "Ministry of Defence of Ukraine", [], ["Ministry of Defence of Ukraine", "Ukraine"]),
    ("Russian officials", None, [], ["Russia"]),
    ("Witnesses", None, [], []),
])
def test_resolve_actor(speaker, org, aliases, path):
    assert resolve_actor(speaker, org, aliases).path() == path


def statement(doc_id: str, index: int, speaker: str, quote: str, stance: str, said_on: str | None,
              org: str | None = None, published: date | None = None) -> StatementRef:
    st = Statement(speaker=Field(speaker), org=Field(org), quote=Field(quote), mode=Field("direct"),
                   said_on=Field(said_on), stance=Field(stance))
    return StatementRef(doc_id, index, st, published, None, "")


def test_opposite_stances_in_one_government_within_the_window():
    stmts = [
        statement("a", 0, "Jen Psaki", "we have reached no conclusion on this", "no_conclusion",
                  "2022-05-02"),
        statement("b", 0, "U.S. Embassy to Ukraine", "this attack is a war crime", "asserts_violation",
                  "2022-05-10"),
        statement("c", 0, "Dmytro Kuleba", "we cannot confirm these reports yet", "cannot_confirm",
                  "2022-05-10"),
        statement("d", 0, "Ned Price", "it is too early to draw any conclusions", "no_conclusion",
                  "2022-06-30"),
    ]
    [message] = mixed_messages(stmts)
    assert message.government == "United States"
    assert [e.speaker for e in message.asserting] == ["U.S. Embassy to Ukraine"]
    assert [(e.speaker, e.when) for e in message.doubting] == [("Jen Psaki", "2022-05-02")]
    assert message.days_apart == 8
    assert mixed_messages(stmts, window_days=7) == []


def test_timeline_merges_a_quote_carried_by_two_documents():
    stmts = [
        statement("a", 0, "Jen Psaki", "We have not made conclusions.", "no_conclusion", "2022-03-04"),
        statement("b", 3, "Psaki", "We have not made conclusions.", "no_conclusion", "2022-03-04"),
        statement("b", 4, "Jen Psaki", "The review will continue.", "investigating", "2022-03-01"),
    ]
    [timeline] = positions(stmts)
    assert (timeline.actor, timeline.question) == ("Jen Psaki", WAR_CRIMES_QUESTION)
    assert [e.stance for e in timeline.entries] == ["investigating", "no_conclusion"]
    assert timeline.entries[1].sources == [("a", 0, None), ("b", 3, None)]


def test_examples_show_the_us_mixed_messages_of_11_march_2022(seed_set):
    refs = load_gold_refs(seed_set)
    incidents = cluster_incidents(refs.reports, refs.reuse)
    messages = [m for m in mixed_messages(refs.statements, incidents=incidents)
                if m.government == "United States"]
    pairs = {(a.speaker, a.when, b.speaker, b.when)
             for m in messages for a in m.asserting for b in m.doubting}
    assert ("U.S. Embassy in Kyiv", "2022-03-11", "Daniel Marsh", "2022-03-11") in pairs
    marsh = next(m for m in messages if m.doubting[0].speaker == "Daniel Marsh")
    assert "Striking a children's hospital with cluster munitions is a war crime" in [e.quote for e in marsh.asserting]
    assert sorted(e.quote for e in marsh.doubting) == ["We have not reached any conclusions. It's a legal review",
                                                       "the administration had not yet reached any conclusion"]
    # Both articles carry each quote: one entry, two sources.
    for entry in marsh.doubting:
        assert {d for d, _, _ in entry.sources} == {"001_courier_hospital", "002_harbour_hospital"}
    # Ukraine's officials assert violations but nobody in Ukraine's government doubts them.
    assert all(m.government != "Ukraine" for m in mixed_messages(refs.statements, incidents=incidents))
