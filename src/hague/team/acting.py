"""Who acts: a signed-in account in one case, with its role there. Review and curation take nothing else.

A :class:`Member` is made only from a proof of identity: a live browser session (the web) or an API token
(the web API, and the command line through ``HAGUE_TOKEN``). A typed name never makes one, so the four-eyes
rule compares accounts, and the ledger's actor is the account's name.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hague.errors import NotFound, Refused
from hague.model import Case, User
from hague.team import tokens
from hague.team.roles import Role
from hague.team.scope import Scope
from hague.vocab import TokenScope


class NotSignedIn(Refused):
    """The act needs an account and none was shown."""

    kind = "not_signed_in"


@dataclass(frozen=True)
class Member:
    """An account acting in a case: the ledger actor (``name``), the case and the account's role in it."""

    name: str
    user_id: int
    case_id: int
    case: str  # the case's slug
    role: Role
    can_write: bool = True  # False for a read-only token

    @classmethod
    def of(cls, user: User, case: Case, role: Role, can_write: bool = True) -> Member:
        return cls(user.name, user.id, case.id, case.slug, Role(role), can_write)

    @property
    def scope(self) -> Scope:
        return Scope.of(self.case_id, self.role)

    def require(self, roles: Collection[Role], act: str) -> None:
        """Refuse ``act`` unless this account's role in the case is one of ``roles`` (and it may write)."""
        if self.role not in roles:
            allowed = ", ".join(sorted(str(r) for r in roles))
            raise Refused(f"{self.name} is a {self.role} in case {self.case!r}: only a {allowed} may {act}")
        if not self.can_write:
            raise Refused(f"this token of {self.name} may only read: it may not {act}")


    def incident(self, session: Session, ref: str) -> str:
        """The id of the incident ``ref`` names (a unique start, or a merged incident's old id), once it is one of
        this case's; ``NotFound`` otherwise."""
        from sqlalchemy import select

        from hague import resolve
        from hague.model import IncidentRow

        row = resolve.incident(session, ref)
        # an EXISTS over this incident's reports, not membership in the list of every incident of the case:
        # that list is built from all the case's reports, so the check grew with the workspace
        if session.scalar(select(IncidentRow.id).where(IncidentRow.id == row.id,
                                                       self.scope.has_incident(IncidentRow.id))) is None:
            raise NotFound("incident", ref, f"it is not in case {self.case!r}")
        return row.id

    def document(self, session: Session, document_id: int) -> None:
        """``NotFound`` unless the document is one of this case's."""
        from sqlalchemy import select

        from hague.model import Document

        if session.scalar(select(Document.id).where(Document.id == document_id,
                                                     self.scope.has_item(Document.item_sha256))) is None:
            raise NotFound("document", str(document_id), f"it is not in case {self.case!r}")


def from_token(session: Session, secret: str) -> Member:
    """The account an API token stands for, in the token's case, with the owner's current role."""
    if not secret:
        raise NotSignedIn("this needs an account: set HAGUE_TOKEN to one of your API tokens "
                          "(`hague login NAME --case CASE` makes one)")
    found = tokens.lookup(session, secret)
    if found is None:
        raise NotSignedIn("HAGUE_TOKEN is not a live token (revoked, expired, its account disabled or no longer "
                          "in the case)")
    token, user, case, role = found
    return Member.of(user, case, role, token.scope == TokenScope.WRITE)
