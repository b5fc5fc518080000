"""The extractors a document is read with, as named components (:mod:`hague.components`).

Two slots, each with one contract:

- ``statements``: ``(doc: TextDoc) -> list[Statement]``, who said what, every field a
  :class:`~hague.reading.fields.Field` with its span into ``doc.text``, a confidence and ``origin="machine"``.
- ``reports``: ``(doc: TextDoc) -> list[Report]``, one per incident the document reports, with its evidence
  spans and fields likewise.

An extractor reads only the document it is given (``doc.published``, ``doc.title`` and ``doc.anchors`` say
when it was written and which passages were copied from earlier documents) and never raises on odd text:
it returns fewer findings. The settings ``HAGUE_STATEMENTS_EXTRACTOR`` and ``HAGUE_REPORTS_EXTRACTOR``
choose one per workspace; ``hague eval --statements NAME --reports NAME`` scores any of them. The
rule-based extractors are ``rules``; register another with ``@STATEMENTS.register("name", "version")``
(an import of its module registers it) and raise its version whenever its output can change, so analysis
reads documents again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hague.components import Component, Registry
from hague.reading import ANALYZER_VERSION

if TYPE_CHECKING:
    from hague.reading.fields import Report, Statement
    from hague.reading.text import TextDoc

StatementExtractor = Callable[["TextDoc"], list["Statement"]]
ReportExtractor = Callable[["TextDoc"], list["Report"]]

DEFAULT = "rules"
STATEMENTS: Registry[StatementExtractor] = Registry("statements", DEFAULT)
REPORTS: Registry[ReportExtractor] = Registry("reports", DEFAULT)


@STATEMENTS.register(DEFAULT, ANALYZER_VERSION, "speech verbs, quotation marks, role tables and stance cues")
def rule_statements(doc: TextDoc) -> list[Statement]:
    from hague.reading import statements

    return statements.extract(doc)


@REPORTS.register(DEFAULT, ANALYZER_VERSION, "event, target and weapon lexicons, gazetteer, dates and casualties")
def rule_reports(doc: TextDoc) -> list[Report]:
    from hague.reading import reports

    return reports.extract(doc)


def chosen(statements: str | None = None, reports: str | None = None) -> tuple[Component[StatementExtractor],
                                                                                Component[ReportExtractor]]:
    """The extractors named (the defaults for None); ``InvalidInput`` names the ones there are."""
    return STATEMENTS.get(statements), REPORTS.get(reports)


def versions(*components: Component[object]) -> dict[str, str]:
    """``{slot.name: version}``: what analysis marks and ledger entries record of the components used."""
    return {c.key: c.version for c in components}
