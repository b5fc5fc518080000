"""What one person sees of a case, as SQL filters every listing applies.

Members (lead, analyst, reviewer, viewer) see every item of the case and what was read from it: its
documents, their statements and reports, and the incidents those reports belong to. A partner sees only
what the case shared: shared items with their documents, and shared incidents with their reports'
documents. Listings take a :class:`Scope` so the web, the API and the CLI apply one rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, select, union

from hague.model import CaseItem, CaseShare, Document, ReportRow
from hague.team.cases import ShareKind
from hague.team.roles import Role


@dataclass(frozen=True)
class Scope:
    case_id: int
    partner: bool = False

    @classmethod
    def of(cls, case_id: int, role: Role) -> Scope:
        return cls(case_id, role == Role.PARTNER)

    def items(self) -> Select:
        """SHA-256 of the visible items."""
        if not self.partner:
            return select(CaseItem.item_sha256).where(CaseItem.case_id == self.case_id)
        shared_items = select(CaseShare.ref).where(CaseShare.case_id == self.case_id,
                                                   CaseShare.kind == ShareKind.ITEM)
        of_incidents = (select(Document.item_sha256).join(ReportRow, ReportRow.document_id == Document.id)
                        .where(ReportRow.incident_id.in_(self.incidents())))
        return select(union(shared_items, of_incidents).subquery().c[0])

    def documents(self) -> Select:
        """Ids of the visible documents."""
        return select(Document.id).where(Document.item_sha256.in_(self.items()))

    def incidents(self) -> Select:
        """Ids of the visible incidents."""
        if self.partner:
            return select(CaseShare.ref).where(CaseShare.case_id == self.case_id,
                                               CaseShare.kind == ShareKind.INCIDENT)
        return (select(ReportRow.incident_id).join(Document, Document.id == ReportRow.document_id)
                .join(CaseItem, CaseItem.item_sha256 == Document.item_sha256)
                .where(CaseItem.case_id == self.case_id, ReportRow.incident_id.is_not(None)).distinct())

    def has_item(self, column: ColumnElement) -> ColumnElement[bool]:
        """A condition that ``column`` (an item's SHA-256) is visible: for members a correlated EXISTS on the
        case's items, so a listing can walk its ordering index and stop after a page."""
        if self.partner:
            return column.in_(self.items())
        return exists(select(CaseItem.item_sha256).where(CaseItem.case_id == self.case_id,
                                                         CaseItem.item_sha256 == column))

    def has_incident(self, column: ColumnElement) -> ColumnElement[bool]:
        """A condition that ``column`` (an incident id) is visible: for members a correlated EXISTS over the
        incident's reports, which lets a listing walk an index and stop after a page."""
        if self.partner:
            return column.in_(self.incidents())
        return exists(select(ReportRow.id).join(Document, Document.id == ReportRow.document_id)
                      .join(CaseItem, CaseItem.item_sha256 == Document.item_sha256)
                      .where(CaseItem.case_id == self.case_id, ReportRow.incident_id == column))
