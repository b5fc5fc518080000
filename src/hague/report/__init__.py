"""The dossier: one file an investigator can hand to a colleague (HTML, self-contained, or Markdown).

Submodules are imported on use: ``hague.report.voice`` (wording) is needed by every review command,
the builders only by ``hague report``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from hague.report.gather import Dossier


def render_dossier(session: Session, fmt: str = "html", window_days: int = 14) -> tuple[str, Dossier]:
    """The dossier text in ``fmt`` (html | md) and the data it shows; raises WordingError, never writes."""
    from hague.report.gather import gather
    from hague.report.to_html import render_html
    from hague.report.to_markdown import render_markdown

    dossier = gather(session, window_days)
    return (render_html(dossier) if fmt == "html" else render_markdown(dossier)), dossier
