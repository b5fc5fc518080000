"""Speaker phrases resolved inside one document."""

from hague.reading.speakers import Resolver


def test_a_description_finds_the_name_its_apposition_gives() -> None:
    text = ("Harbor Bread, the charity founded by a retired baker, feeds families on the coast. "
            "Overall, the fund predicted a hard winter.")
    resolver = Resolver(text)
    assert resolver.resolve("the charity").value == "Harbor Bread"
    # A sentence adverb before a comma names nothing, and a capitalised name is no description.
    assert resolver.resolve("the fund").value == "the fund"
    assert resolver.resolve("The International Fund").value == "The International Fund"
    # A person's noun is left to the speakers seen so far.
    assert Resolver("Mara Holt, a doctor at the clinic, arrived.").resolve("the doctor").value == "the doctor"
