"""Provisions a source cites itself are read from its own wording."""

from hague.law.named import named_provisions


def test_citations_resolve_to_provision_ids() -> None:
    text = ("Lawyers said the shelling may breach article 8(2)(b)(iv) of the Rome Statute and Common Article 3, "
            "and cited Article 13 of Additional Protocol II and Article 147 of the Fourth Geneva Convention.")
    assert [pid for pid, _, _ in named_provisions(text)] == ["RS 8(2)(b)(iv)", "GC CA3", "AP II 13", "GC IV 147"]


def test_a_bare_number_or_an_unknown_article_names_nothing() -> None:
    assert named_provisions("Article 99 of the Rome Statute and article 3 of the town charter.") == []


def test_every_way_of_writing_article_is_read() -> None:
    """Each form the patterns accept, alone in its text: a text is only searched when it has one of them."""
    for text, pid in [("under Art. 8(2)(b)(ix) alone", "RS 8(2)(b)(ix)"), ("see Arts. 13 of Protocol II", "AP II 13"),
                      ("see art 147 of GC IV", "GC IV 147"), ("Articles 8(2)(e)(iv) apply", "RS 8(2)(e)(iv)"),
                      ("article 3 common to the four Conventions", "GC CA3"),
                      ("articles\n147 of the Fourth Geneva Convention", "GC IV 147")]:
        assert [p for p, _, _ in named_provisions(text)] == [pid], text
