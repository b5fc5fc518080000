"""The dossier: one file an investigator can hand to a colleague (HTML, self-contained, or Markdown)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hague.report.gather import Dossier, gather
from hague.report.to_html import render_html
from hague.report.to_markdown import render_markdown


def render_dossier(session: Session, fmt: str = "html", window_days: int = 14) -> tuple[str, Dossier]:
    """The dossier text in ``fmt`` (html | md) and the data it shows; raises WordingError, never writes."""
    dossier = gather(session, window_days)
    return (render_html(dossier) if fmt == "html" else render_markdown(dossier)), dossier


__all__ = ["Dossier", "gather", "render_dossier", "render_html", "render_markdown"]
