"""Independent sources: copies and wire stories count once, whatever passages the evidence lies in."""

import pytest

from hague.corroboration.reuse import ReuseLink
from hague.corroboration.sources import LinkIndex, independent_sources, wire_credit


@pytest.mark.parametrize("text, outlet, agency", [
    ("HARBOURTOWN, Freedonia (AP) - Shelling hit a school on Monday.", "The Daily Example", "Associated Press"),
    ("LAGOS (Reuters) - Gunmen attacked a village.", None, "Reuters"),
    ("Gunmen attacked a village, officials said.\nCopyright 2024 The Associated Press.", None, "Associated Press"),
    ("A witness told The Associated Press that the market was hit.", "Example Herald", None),
    ("A strike hit the port.", "Example Wire (AFP)", "Agence France-Presse"),
])
def test_wire_credit(text: str, outlet: str | None, agency: str | None) -> None:
    assert wire_credit(text, outlet) == agency


def test_a_document_carrying_another_s_passages_is_never_a_second_source() -> None:
    # b copied one paragraph of a; its report's evidence lies elsewhere (its own lead), yet it is one source.
    link = ReuseLink("a", "b", (0, 100), (200, 300), 0.9, "published")
    groups = independent_sources([("a", [(10, 50)]), ("b", [(0, 40)])], LinkIndex([link]),
                                 outlets={"a": "One", "b": "Two"})
    assert len(groups) == 1 and set(groups[0].documents) | set(groups[0].carried_by) == {"a", "b"}


def test_two_mastheads_of_one_wire_story_count_once() -> None:
    outlets = {"a": "Associated Press", "b": "Associated Press", "c": "Example Times"}
    groups = independent_sources([("a", [(0, 10)]), ("b", [(0, 10)]), ("c", [(0, 10)])], outlets=outlets)
    assert len(groups) == 2


def test_a_link_index_finds_links_by_copying_document_and_among_documents_in_the_order_given() -> None:
    links = [ReuseLink("c", "b", (0, 10), (0, 10), 0.9, "published"),
             ReuseLink("b", "a", (0, 10), (20, 30), 0.9, "published"),
             ReuseLink("x", "a", (0, 10), (40, 50), 0.9, "published"),
             ReuseLink("a", "b", (0, 10), (60, 70), 0.9, "published")]
    index = LinkIndex(links)
    assert list(index.into("b")) == [links[0], links[3]] and list(index.into("z")) == []
    # Both ends inside, in the order given whichever document is looked at first.
    assert index.among({"a", "b"}) == index.among(["b", "a"]) == [links[1], links[3]]
