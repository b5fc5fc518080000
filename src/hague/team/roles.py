"""Who may do what: roles in a case, and the named groups of roles that routes and commands declare.

The vocabulary is closed (a StrEnum); what each group may do is decided once, here, so a route's
declaration reads as a sentence ("analysts and leads may upload") and a test can enumerate them.
"""

from __future__ import annotations

from hague.vocab import Role, TokenScope

__all__ = ["EDITORS", "EVERY_ROLE", "LEADS", "MEMBERS", "REVIEWERS", "ROLE_HELP", "Role", "TokenScope", "WRITERS"]


ROLE_HELP = {
    Role.LEAD: "manages members, partner shares and settings; may do what an analyst does",
    Role.ANALYST: "uploads and captures sources and runs analysis",
    Role.REVIEWER: "records element findings and review decisions",
    Role.VIEWER: "reads the whole case; changes nothing",
    Role.PARTNER: "reads only what the case shared with its partners",
}

EVERY_ROLE = frozenset(Role)
MEMBERS = frozenset({Role.LEAD, Role.ANALYST, Role.REVIEWER, Role.VIEWER})  # see the whole case
EDITORS = frozenset({Role.LEAD, Role.ANALYST})  # add and analyse evidence
REVIEWERS = frozenset({Role.LEAD, Role.REVIEWER})  # review decisions
LEADS = frozenset({Role.LEAD})
WRITERS = EDITORS | REVIEWERS  # roles that change anything: a write-scoped token needs one of them
