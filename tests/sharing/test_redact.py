from __future__ import annotations

import json

from sqlalchemy import select

from hague.evidence.pseudonyms import pseudonym, workspace_secret
from hague.model import LedgerEntry
from hague.sharing.redact import Person, Redactor, protect
from hague.workspace import Workspace

TEXT = "Witness Olena Kovalenko said the shelter was hit. Kovalenko, 41, left. OLENA  KOVALENKO stayed."


def _redactor(secret: bytes = b"k" * 32) -> Redactor:
    return Redactor([Person("Olena Kovalenko", ("Kovalenko",), pseudonym(secret, "Olena Kovalenko"), "witness",
                            "tester", "2022-03-08", "protected")])


def test_pseudonyms_are_stable_and_keyed() -> None:
    a, b = pseudonym(b"k" * 32, "Olena Kovalenko"), pseudonym(b"j" * 32, "Olena Kovalenko")
    assert a == pseudonym(b"k" * 32, "  olena   KOVALENKO ") and a.startswith("Person-") and len(a) == 13
    assert a != b


def test_names_and_aliases_replaced_whole_words_only() -> None:
    r = _redactor()
    alias = pseudonym(b"k" * 32, "Olena Kovalenko")
    red = r.text(TEXT + " Kovalenkos")
    assert "Kovalenko " not in red.text and "KOVALENKO" not in red.text
    assert red.text.count(alias) == 3 and red.counts[alias] == 3
    assert red.text.endswith(" Kovalenkos"), "a longer word is not the name"
    assert r.mentions(TEXT) == {alias} and r.mentions("Nobody here.") == set()
    assert Redactor([]).text(TEXT).text == TEXT


def test_spans_move_onto_the_redacted_text() -> None:
    r = _redactor()
    red = r.text(TEXT)
    for word in ("shelter was hit", "41, left", "stayed"):
        start = TEXT.index(word)
        assert red.text[red.offsets(start):red.offsets(start + len(word), end=True)] == word
    name = TEXT.index("Olena")
    span = (red.offsets(name), red.offsets(name + len("Olena Kovalenko"), end=True))
    assert red.text[span[0]:span[1]] == pseudonym(b"k" * 32, "Olena Kovalenko")
    start, end = TEXT.index("shelter"), TEXT.index(" left")
    moved = r.value({"speaker": "Olena Kovalenko", "quote_start": start, "fields": {"q": {"start": start,
                                                                                          "end": end}},
                     "evidence": [[start, end]]}, red.offsets)
    assert moved["speaker"].startswith("Person-")
    assert red.text[moved["quote_start"]:].startswith("shelter")
    assert moved["evidence"] == [[moved["fields"]["q"]["start"], moved["fields"]["q"]["end"]]]
    assert red.text[slice(*moved["evidence"][0])] == r.text(TEXT[start:end]).text


def test_protect_records_an_entry_without_the_name(seeded_ws: Workspace) -> None:
    secret = workspace_secret(seeded_ws.config.home)
    assert secret == workspace_secret(seeded_ws.config.home)
    with seeded_ws.write() as s:
        first = protect(s, secret, "Olena Kovalenko", ["Kovalenko"], "witness; Olena Kovalenko fears reprisal",
                        "tester")
        again = protect(s, secret, "Olena Kovalenko", ["O. Kovalenko"], "more aliases", "tester")
    assert first.created and not again.created and first.pseudonym == again.pseudonym
    assert again.aliases == ("Kovalenko", "O. Kovalenko")
    with seeded_ws.read() as s:
        entries = list(s.scalars(select(LedgerEntry).where(LedgerEntry.action == "protect")))
    assert len(entries) == 2
    assert all("Kovalenko" not in json.dumps(e.details, ensure_ascii=False) for e in entries)
    assert entries[0].details["reason"] == f"witness; {first.pseudonym} fears reprisal"
