"""Cases: a named body of work holding items (an item may be in several cases), its members with their
roles, and what it shares with its partners. Every change is a ledger entry naming the person.

An instance administrator acts as a lead in every case (they manage the instance, so hiding a case
from them would protect nothing).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hague.evidence import ledger
from hague.model import Case, CaseItem, CaseMember, CaseShare, Document, IncidentRow, Item, ReportRow, User
from hague.team.errors import Conflict, NotFound, TeamError
from hague.team.roles import Role

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


class ShareKind(StrEnum):
    """What a case can show its partners."""

    ITEM = "item"
    INCIDENT = "incident"


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:63] or "case"


def get(session: Session, slug: str) -> Case:
    case = session.scalars(select(Case).where(Case.slug == slug)).first()
    if case is None:
        raise NotFound(f"no case {slug!r}")
    return case


def create(session: Session, actor: str, name: str, *, slug: str | None = None, description: str = "",
           lead: User | None = None) -> Case:
    """A new case; ``lead`` (usually its creator) becomes its first lead."""
    name = name.strip()
    if not name:
        raise TeamError("a case needs a name")
    slug = slug or slugify(name)
    if not SLUG.fullmatch(slug):
        raise TeamError(f"case id {slug!r} must be lower-case letters, digits and '-'")
    if session.scalars(select(Case.id).where(Case.slug == slug)).first() is not None:
        raise Conflict(f"a case {slug!r} exists already")
    case = Case(slug=slug, name=name[:300], description=description, require_totp=False,
                created_at=ledger.utc_now(), created_by=actor)
    session.add(case)
    session.flush()
    ledger.append(session, actor, "case.create", [], {"case": slug, "name": case.name})
    if lead is not None:
        set_member(session, actor, case, lead, Role.LEAD)
    return case


def role_of(session: Session, case: Case, user: User) -> Role | None:
    if user.is_admin:
        return Role.LEAD
    role = session.scalar(select(CaseMember.role).where(CaseMember.case_id == case.id,
                                                         CaseMember.user_id == user.id))
    return Role(role) if role else None


def for_user(session: Session, user: User) -> list[tuple[Case, Role]]:
    """The cases a person may open, with their role in each."""
    if user.is_admin:
        return [(c, Role.LEAD) for c in session.scalars(select(Case).order_by(Case.name))]
    rows = session.execute(select(Case, CaseMember.role).join(CaseMember, CaseMember.case_id == Case.id)
                           .where(CaseMember.user_id == user.id).order_by(Case.name))
    return [(c, Role(r)) for c, r in rows]


def members(session: Session, case: Case) -> list[tuple[User, Role]]:
    rows = session.execute(select(User, CaseMember.role).join(CaseMember, CaseMember.user_id == User.id)
                           .where(CaseMember.case_id == case.id).order_by(User.name))
    return [(u, Role(r)) for u, r in rows]


def set_member(session: Session, actor: str, case: Case, user: User, role: Role | str) -> None:
    """Add a person to a case, or change their role."""
    role = Role(role)
    row = session.get(CaseMember, (case.id, user.id))
    if row is not None and row.role == Role.LEAD and role != Role.LEAD:
        _keep_a_lead(session, case)
    if row is None:
        session.add(CaseMember(case_id=case.id, user_id=user.id, role=role, added_at=ledger.utc_now(),
                               added_by=actor))
    else:
        row.role = role
    session.flush()
    ledger.append(session, actor, "case.member", [], {"case": case.slug, "user": user.name, "role": str(role)})


def remove_member(session: Session, actor: str, case: Case, user: User) -> None:
    row = session.get(CaseMember, (case.id, user.id))
    if row is None:
        raise NotFound(f"{user.name} is not a member of {case.slug}")
    if row.role == Role.LEAD:
        _keep_a_lead(session, case)
    session.delete(row)
    ledger.append(session, actor, "case.member", [], {"case": case.slug, "user": user.name, "role": None})


def _keep_a_lead(session: Session, case: Case) -> None:
    leads = session.scalar(select(func.count()).select_from(CaseMember)
                           .where(CaseMember.case_id == case.id, CaseMember.role == Role.LEAD))
    if (leads or 0) <= 1:
        raise Conflict(f"{case.slug} must keep at least one lead")


def set_require_totp(session: Session, actor: str, case: Case, required: bool) -> None:
    case.require_totp = required
    ledger.append(session, actor, "case.totp", [], {"case": case.slug, "required": required})


def add_items(session: Session, actor: str, case: Case, shas: Iterable[str]) -> int:
    """Put preserved items into a case (already there: no change); the ledger entry names the items."""
    wanted = list(dict.fromkeys(shas))
    known = set(session.scalars(select(Item.sha256).where(Item.sha256.in_(wanted)))) if wanted else set()
    missing = [s for s in wanted if s not in known]
    if missing:
        raise NotFound(f"no item {missing[0]!r}" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    present = set(session.scalars(select(CaseItem.item_sha256).where(CaseItem.case_id == case.id,
                                                                     CaseItem.item_sha256.in_(wanted))))
    new = [s for s in wanted if s not in present]
    now = ledger.utc_now()
    session.add_all(CaseItem(case_id=case.id, item_sha256=s, added_at=now, added_by=actor) for s in new)
    if new:
        session.flush()
        ledger.append(session, actor, "case.items", new, {"case": case.slug, "count": len(new)})
    return len(new)


def add_all_items(session: Session, actor: str, case: Case) -> int:
    """Every preserved item not yet in the case (the usual start on an existing workspace)."""
    new = select(Item.sha256).where(Item.sha256.not_in(select(CaseItem.item_sha256)
                                                       .where(CaseItem.case_id == case.id)))
    return add_items(session, actor, case, session.scalars(new))


def share(session: Session, actor: str, case: Case, kind: str, ref: str, shared: bool = True) -> None:
    """Show (or stop showing) one item or incident of the case to its partners."""
    if kind == ShareKind.ITEM:
        if session.get(CaseItem, (case.id, ref)) is None:
            raise NotFound(f"item {ref!r} is not in {case.slug}")
    elif kind == ShareKind.INCIDENT:
        in_case = select(ReportRow.id).join(Document, Document.id == ReportRow.document_id).join(
            CaseItem, CaseItem.item_sha256 == Document.item_sha256).where(
            CaseItem.case_id == case.id, ReportRow.incident_id == ref).limit(1)
        if session.get(IncidentRow, ref) is None or session.scalar(in_case) is None:
            raise NotFound(f"incident {ref!r} is not in {case.slug}")
    else:
        raise TeamError(f"cannot share a {kind!r}: share an item or an incident")
    row = session.get(CaseShare, (case.id, kind, ref))
    if shared and row is None:
        session.add(CaseShare(case_id=case.id, kind=kind, ref=ref, shared_at=ledger.utc_now(), shared_by=actor))
    elif not shared and row is not None:
        session.delete(row)
    else:
        return
    session.flush()
    ledger.append(session, actor, "case.share" if shared else "case.unshare",
                  [ref] if kind == ShareKind.ITEM else [], {"case": case.slug, "kind": kind, "ref": ref})


def is_shared(session: Session, case: Case, kind: ShareKind | str, ref: str) -> bool:
    return session.get(CaseShare, (case.id, str(kind), ref)) is not None


def shares(session: Session, case: Case) -> list[CaseShare]:
    return list(session.scalars(select(CaseShare).where(CaseShare.case_id == case.id)
                                .order_by(CaseShare.kind, CaseShare.ref)))
