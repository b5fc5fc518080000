"""Who the command line acts as: an account, proven by its password (and code), never a typed name.

``hague login NAME --case CASE`` checks the account's password (and its TOTP code when it has a second factor,
or the case requires one), then makes an API token for that case and prints it once; the person keeps it in
``HAGUE_TOKEN``. Review and curation commands then act as that account (:func:`member`), with the role it has
in the case now: the same rule as the web, where the signed-in session proves who acts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hague.team.acting import Member, from_token
from hague.workspace import Workspace

LOGIN_LABEL = "command line (hague login)"


@dataclass(frozen=True)
class Login:
    """A token for one account in one case, shown once."""

    user: str
    case: str
    role: str
    scope: str
    token: str
    tree_head: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def login(ws: Workspace, name: str, password: str, case: str, code: str | None = None,
          client: str = "command line") -> Login:
    """Check ``name``'s password (and TOTP ``code`` when the account or the case needs one; sign-ins are
    throttled as on the web) and make a token for ``case``: write-scoped for analysts, reviewers and leads,
    read-only otherwise. One ledger entry (``token.create``) under the account."""
    # here, not at the top: every review and curation command imports this module for :func:`member`, and the
    # password and second-factor libraries (QR codes included) cost each of them about 20 ms of start-up
    from hague.team import accounts, cases, tokens
    from hague.team.errors import BadCredentials
    from hague.team.roles import WRITERS
    from hague.vocab import TokenScope

    with ws.write() as s:
        user = accounts.authenticate(s, name, password, client)
        the_case = cases.get(s, case)
        role = cases.role_of(s, the_case, user)
        if role is None:
            raise BadCredentials(f"{name} is not a member of case {case!r}")
        if user.totp_secret or the_case.require_totp:
            if not user.totp_secret:
                raise BadCredentials(f"case {case!r} requires a second factor: set one up on your account page")
            accounts.check_totp(s, user, code or "", client)
        scope = TokenScope.WRITE if role in WRITERS else TokenScope.READ
        secret = tokens.create(s, user.name, user, the_case, LOGIN_LABEL, scope)
        made = Login(user.name, the_case.slug, str(role), str(scope), secret, {})
    return Login(**{**made.__dict__, "tree_head": ws.seal().to_json()})


def member(ws: Workspace, token: str | None = None) -> Member:
    """The account a token (by default ``HAGUE_TOKEN``) stands for, in its case; refused without one."""
    with ws.read() as s:
        return from_token(s, ws.config.token if token is None else token)


__all__ = ["LOGIN_LABEL", "Login", "login", "member"]
