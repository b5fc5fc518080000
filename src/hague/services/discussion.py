"""A case's conversation about its incidents: comments with @mentions, and who works on what next.

A comment names accounts with ``@name``; those that are members of the case (partners aside) are its
mentions, shown on each mentioned person's dashboard. Comments and assignments are acts of the case's
analysts, reviewers and lead, each a custody-ledger entry (the comment's text by its SHA-256 only: notes may
name people the ledger should not).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.errors import InvalidInput
from hague.evidence import ledger
from hague.model import Case, CaseMember, IncidentAssignment, IncidentComment, User
from hague.services.common import DEFAULT_LIMIT, Page, check_window
from hague.team.acting import Member
from hague.team.roles import WRITERS, Role
from hague.timestamps import utc_now
from hague.vocab import Action
from hague.workspace import Workspace

MAX_COMMENT = 5000  # characters
_MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9._-]{0,99})")


@dataclass(frozen=True)
class CommentRecord:
    id: int
    incident: str
    author: str
    body: str
    mentions: list[str]
    at: str
    case: str | None = None

    @classmethod
    def of(cls, c: IncidentComment, case: str | None = None) -> CommentRecord:
        return cls(c.id, c.incident_id, c.author, c.body, list(c.mentions or []), c.at, case)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class AssignmentRecord:
    incident: str
    assignee: str
    assigned_by: str
    assigned_at: str
    case: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _members(s: Session, case_id: int) -> dict[str, Role]:
    return {u.name: Role(role) for u, role in s.execute(
        select(User, CaseMember.role).join(CaseMember, CaseMember.user_id == User.id)
        .where(CaseMember.case_id == case_id, User.disabled.is_(False)))}


def mentions_in(body: str, members: dict[str, Role]) -> list[str]:
    """Accounts a text names with @name that are members of the case (partners see only what is shared)."""
    named = dict.fromkeys(m.rstrip(".") for m in _MENTION.findall(body))
    return [n for n in named if members.get(n) not in (None, Role.PARTNER)]


def comment(ws: Workspace, who: Member, incident: str, body: str) -> CommentRecord:
    """Add a comment to an incident; @name mentions members of the case."""
    who.require(WRITERS, "comment on incidents")
    body = body.strip()
    if not body:
        raise InvalidInput("an empty comment")
    if len(body) > MAX_COMMENT:
        raise InvalidInput(f"a comment has at most {MAX_COMMENT} characters")
    with ws.write() as s:
        incident_id = who.incident(s, incident)
        row = IncidentComment(case_id=who.case_id, incident_id=incident_id, author=who.name, body=body,
                              mentions=mentions_in(body, _members(s, who.case_id)), at=utc_now())
        s.add(row)
        s.flush()
        ledger.append(s, who.name, Action.INCIDENT_COMMENT, [], {
            "case": who.case, "incident": incident_id, "comment": row.id, "mentions": row.mentions,
            "sha256": hashlib.sha256(body.encode()).hexdigest()})
        made = CommentRecord.of(row, who.case)
    ws.seal()
    return made


def assign(ws: Workspace, who: Member, incident: str, assignee: str | None) -> AssignmentRecord | None:
    """Give an incident to a member of the case to work on next (None: to nobody)."""
    who.require(WRITERS, "assign incidents")
    with ws.write() as s:
        incident_id = who.incident(s, incident)
        current = s.get(IncidentAssignment, (who.case_id, incident_id))
        if assignee:
            role = _members(s, who.case_id).get(assignee)
            if role is None or role in (Role.VIEWER, Role.PARTNER):
                raise InvalidInput(f"{assignee!r} is not an analyst, reviewer or lead of case {who.case!r}")
            if current is None:
                current = IncidentAssignment(case_id=who.case_id, incident_id=incident_id, assignee=assignee,
                                             assigned_by=who.name, assigned_at=utc_now())
                s.add(current)
            else:
                current.assignee, current.assigned_by, current.assigned_at = assignee, who.name, utc_now()
        elif current is not None:
            s.delete(current)
        else:
            return None  # nobody was assigned: nothing changes, nothing to record
        ledger.append(s, who.name, Action.INCIDENT_ASSIGN, [], {"case": who.case, "incident": incident_id,
                                                                 "assignee": assignee})
        made = AssignmentRecord(incident_id, assignee, who.name, current.assigned_at if current else utc_now(),
                                who.case) if assignee else None
    ws.seal()
    return made


def thread(ws: Workspace, who: Member, incident: str) -> tuple[list[CommentRecord], AssignmentRecord | None]:
    """An incident's comments (oldest first) and who it is assigned to, in the asker's case."""
    with ws.read() as s:
        incident_id = who.incident(s, incident)
        rows = s.scalars(select(IncidentComment).where(IncidentComment.case_id == who.case_id,
                                                       IncidentComment.incident_id == incident_id)
                         .order_by(IncidentComment.id))
        a = s.get(IncidentAssignment, (who.case_id, incident_id))
        return ([CommentRecord.of(c, who.case) for c in rows],
                AssignmentRecord(a.incident_id, a.assignee, a.assigned_by, a.assigned_at, who.case) if a else None)


@dataclass(frozen=True)
class Waiting:
    """What waits for one person across their cases: comments that mention them, incidents given to them."""

    mentions: Page[CommentRecord]
    assigned: list[AssignmentRecord]

    def to_json(self) -> dict[str, Any]:
        return {"mentions": self.mentions.to_json(), "assigned": [a.to_json() for a in self.assigned]}


def waiting_for(ws: Workspace, user: str, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Waiting:
    """Mentions of ``user`` (newest first) and incidents assigned to them, in cases they are still a member of
    (not as a partner)."""
    check_window(limit, offset)
    with ws.read() as s:
        member_of = {cid: slug for cid, slug in s.execute(
            select(Case.id, Case.slug).join(CaseMember, CaseMember.case_id == Case.id).join(
                User, User.id == CaseMember.user_id).where(User.name == user, CaseMember.role != Role.PARTNER))}
        found = [c for c in s.scalars(select(IncidentComment).where(IncidentComment.case_id.in_(list(member_of)))
                                      .order_by(IncidentComment.id.desc())) if user in (c.mentions or [])]
        mentions = Page([CommentRecord.of(c, member_of[c.case_id]) for c in found[offset:offset + limit]],
                        len(found), limit, offset)
        assigned = [AssignmentRecord(a.incident_id, a.assignee, a.assigned_by, a.assigned_at, member_of[a.case_id])
                    for a in s.scalars(select(IncidentAssignment).where(
                        IncidentAssignment.assignee == user, IncidentAssignment.case_id.in_(list(member_of)))
                        .order_by(IncidentAssignment.assigned_at.desc()))]
    return Waiting(mentions, assigned)
