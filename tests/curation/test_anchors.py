"""Anchors find a decided finding again after the machine re-read the document with other spans."""

from __future__ import annotations

from hague.curation.anchors import Candidate, anchor_at, match

TEXT = "The mayor said the hospital was shelled on Monday. Officials denied it. The mayor said it again."


def test_same_span_then_same_text_then_the_largest_overlap() -> None:
    decided = [("a", anchor_at(TEXT, 4, 49)), ("b", anchor_at(TEXT, 51, 71))]
    rows = [Candidate("r1", anchor_at(TEXT, 51, 70)), Candidate("r2", anchor_at(TEXT, 4, 49)),
            Candidate("r3", anchor_at(TEXT, 72, 96))]
    assert match(decided, rows) == {"a": "r2", "b": "r1"}


def test_a_span_that_moved_little_is_the_same_finding_and_an_unrelated_one_is_not() -> None:
    decided = [("a", anchor_at(TEXT, 4, 49))]
    assert match(decided, [Candidate("near", anchor_at(TEXT, 0, 50))]) == {"a": "near"}
    assert match(decided, [Candidate("far", anchor_at(TEXT, 40, 71))]) == {}


def test_each_row_goes_to_one_anchor_only() -> None:
    decided = [("a", anchor_at(TEXT, 4, 49)), ("b", anchor_at(TEXT, 4, 48))]
    found = match(decided, [Candidate("only", anchor_at(TEXT, 4, 49))])
    assert found == {"a": "only"}
