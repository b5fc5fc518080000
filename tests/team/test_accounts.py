"""Accounts, passwords, throttling, cases and what each role sees: the functions the web and CLI share."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.conftest import PASSWORD, Seeded

from hague.model import Document, IncidentRow, LedgerEntry, StatementRow, User
from hague.team import accounts, cases, passwords
from hague.team.errors import BadCredentials, Conflict, TeamError, Throttled
from hague.team.roles import Role
from hague.team.scope import Scope
from hague.workspace import init_workspace


@pytest.fixture()
def ws(home):  # type: ignore[no-untyped-def]
    return init_workspace()[0]


def test_passwords_are_argon2_hashes_and_the_policy_names_the_problem(ws) -> None:  # type: ignore[no-untyped-def]
    with ws.write() as s:
        user = accounts.create(s, "op", "alice", PASSWORD)
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        with pytest.raises(passwords.WeakPassword, match="12 characters"):
            accounts.create(s, "op", "bob", "short")
        with pytest.raises(passwords.WeakPassword, match="account name"):
            accounts.create(s, "op", "carol", "carol-is-my-password")
        with pytest.raises(TeamError, match="account name"):
            accounts.create(s, "op", "Not Valid", PASSWORD)
        with pytest.raises(Conflict):
            accounts.create(s, "op", "alice", PASSWORD)
        entry = s.scalars(select(LedgerEntry).where(LedgerEntry.action == "user.add")).first()
        assert entry.actor == "op" and PASSWORD not in str(entry.details)


def test_authenticate_counts_failures_and_locks(ws) -> None:  # type: ignore[no-untyped-def]
    with ws.write() as s:
        accounts.create(s, "op", "alice", PASSWORD)
    for _ in range(5):  # pytest.raises inside the transaction, so each failure is committed
        with ws.write() as s, pytest.raises(BadCredentials):
            accounts.authenticate(s, "alice", "wrong password!", "10.0.0.1")
    with ws.write() as s, pytest.raises(Throttled) as exc:
        accounts.authenticate(s, "alice", PASSWORD, "10.0.0.2")
    assert exc.value.retry_after > 0
    # an unknown name fails the same way as a wrong password
    with ws.write() as s, pytest.raises(BadCredentials, match="wrong account name or password"):
        accounts.authenticate(s, "nobody", PASSWORD, None)


def test_disabling_an_account_refuses_sign_in_and_the_last_admin_stays(ws) -> None:  # type: ignore[no-untyped-def]
    with ws.write() as s:
        admin = accounts.create(s, "op", "root", PASSWORD, admin=True)
        bob = accounts.create(s, "op", "bob", PASSWORD)
        with pytest.raises(Conflict, match="last administrator"):
            accounts.set_admin(s, "op", admin, False)
        accounts.set_disabled(s, "root", bob, True)
    with ws.write() as s, pytest.raises(BadCredentials):
        accounts.authenticate(s, "bob", PASSWORD, None)


def test_a_case_keeps_a_lead(ws) -> None:  # type: ignore[no-untyped-def]
    with ws.write() as s:
        lead = accounts.create(s, "op", "lead", PASSWORD)
        case = cases.create(s, "op", "West Darfur 2023", lead=lead)
        assert case.slug == "west-darfur-2023"
        with pytest.raises(Conflict, match="at least one lead"):
            cases.set_member(s, "op", case, lead, Role.VIEWER)
        with pytest.raises(Conflict, match="at least one lead"):
            cases.remove_member(s, "op", case, lead)
        with pytest.raises(TeamError, match="not in"):
            cases.share(s, "op", case, cases.ShareKind.INCIDENT, "no-such-incident")


def test_members_see_the_case_and_partners_only_what_was_shared(seeded: Seeded) -> None:
    with seeded.ws.read() as s:
        case = cases.get(s, seeded.case)
        member, partner = Scope.of(case.id, Role.VIEWER), Scope.of(case.id, Role.PARTNER)

        def n(model, column, scope) -> int:  # type: ignore[no-untyped-def]
            subq = scope.documents() if model is not IncidentRow else scope.incidents()
            return s.scalar(select(func.count()).select_from(model).where(column.in_(subq))) or 0

        every_document = s.scalar(select(func.count()).select_from(Document))
        assert n(Document, Document.id, member) == every_document
        assert n(IncidentRow, IncidentRow.id, member) == s.scalar(select(func.count()).select_from(IncidentRow))
        assert n(IncidentRow, IncidentRow.id, partner) == 1
        shared = set(s.scalars(partner.incidents()))
        assert shared == {seeded.shared_incident}
        assert 1 <= n(Document, Document.id, partner) <= every_document
        assert n(StatementRow, StatementRow.document_id, member) >= n(StatementRow, StatementRow.document_id, partner)
        other = cases.get(s, seeded.other_case)
        assert len(list(s.scalars(Scope.of(other.id, Role.VIEWER).documents()))) == 1
        assert s.scalar(select(func.count()).select_from(User)) >= 8
