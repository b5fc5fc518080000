"""The dossier: one file an investigator can hand to a colleague (HTML, self-contained, or Markdown).

A dossier is written as a stream (:func:`write_dossier`): incident sections one batch at a time into a
private spool, then the overview, map and timeline (which need every incident's place and state, kept
as small marks), the spooled sections, and the tail (positions, the source list, the signed head). Peak
memory follows one batch of incidents, not the workspace; a large case is scoped or paged
(:class:`hague.report.gather.DossierScope`).

Submodules are imported on use: ``hague.report.voice`` (wording) is needed by every review command,
the builders only by ``hague report``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from hague.report.gather import Dossier
    from hague.report.scope import DossierScope


def write_dossier(session: Session, write: Callable[[str], Any], fmt: str = "html", window_days: int = 14,
                  scope: DossierScope | None = None) -> Dossier:
    """Write the dossier in ``fmt`` (html | md) through ``write`` and return what it shows about no one incident.

    Raises WordingError (some text would say more than its review state allows: the caller discards what was
    written), NotFound (a case or incident in ``scope``); never writes to the workspace.
    """
    from hague.report.gather import (
        incident_entries,
        incident_ids,
        outlet_grades,
        overview,
        source_rows,
        suggested_count,
    )
    from hague.report.scope import WHOLE
    from hague.report.to_html import HtmlDossier
    from hague.report.to_markdown import MarkdownDossier

    scope = scope or WHOLE
    renderer = HtmlDossier() if fmt == "html" else MarkdownDossier()
    ids = incident_ids(session, scope)
    grades = outlet_grades(session)
    marks, docs, reports, suggested = [], set(), 0, 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as body, tempfile.TemporaryFile("w+", encoding="utf-8") as tail:
        for entry in incident_entries(session, ids, scope.offset + 1):
            body.write(renderer.incident(entry, grades))
            marks.append(entry.mark())
            docs |= entry.documents
            reports += len(entry.reports)
            suggested += suggested_count(entry)
        dossier = overview(session, scope, marks, docs, reports, suggested, window_days)
        for part in renderer.tail(dossier, source_rows(session, None if scope.whole else docs)):
            tail.write(part)
        write(renderer.head(dossier))
        for spool in (body, tail):
            spool.seek(0)
            while chunk := spool.read(1 << 20):
                write(chunk)
    return dossier

