"""Read one document: statements (who said what) and reports (what happened), every field with its span."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from hague.reading.fields import DateAnchor, Reading
from hague.reading.text import TextDoc

ANALYZER_VERSION = "0.1.0"


def read_document(text: str, *, published: date | None = None, title: str | None = None,
                  anchors: Sequence[DateAnchor] = ()) -> Reading:
    """Read ``text`` into statements and reports; relative dates resolve against ``published``."""
    from hague.reading import reports, statements

    doc = TextDoc(text, published, title, list(anchors))
    return Reading(doc.paragraphs, doc.sentences, statements.extract(doc), reports.extract(doc))
