"""Read one document: statements (who said what) and reports (what happened), every field with its span."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from hague.reading.fields import DateAnchor, Reading
from hague.reading.text import TextDoc

# The version of the rule-based extractors (hague.reading.extractors): raise it whenever their output can change.
ANALYZER_VERSION = "0.4.0"


def read_document(text: str, *, published: date | None = None, title: str | None = None,
                  anchors: Sequence[DateAnchor] = (), statements: str | None = None,
                  reports: str | None = None) -> Reading:
    """Read ``text`` into statements and reports; relative dates resolve against ``published``.

    ``statements`` and ``reports`` name the extractors (:mod:`hague.reading.extractors`; default ``rules``).
    """
    from hague.reading.extractors import chosen

    read_statements, read_reports = chosen(statements, reports)
    doc = TextDoc(text, published, title, list(anchors))
    return Reading(doc.paragraphs, doc.sentences, read_statements.implementation(doc),
                   read_reports.implementation(doc))
