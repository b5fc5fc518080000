"""The team's workspace: ``serve``, ``user add | list | disable | logout | password``, ``case create | list |
member | add | share | totp``, ``token create | revoke``.

They call the same functions (:mod:`hague.team`) as the web pages. At the terminal the ledger actor is
the operator (``--collector`` or the OS user); in the web it is always the signed-in account.
"""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Annotated, TypeVar

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from hague.cli.common import JsonOpt, command, emit_json, group, out, workspace
from hague.errors import InvalidInput
from hague.model import User
from hague.team import accounts, cases, sessions, tokens
from hague.team.errors import NotFound
from hague.team.roles import ROLE_HELP, Role, TokenScope

user_app = group("Accounts of the web workspace: add, list, disable, sign out everywhere.")
case_app = group("Cases: create, list, members and their roles, items, partner shares.")
token_app = group("API tokens: one case, read or write, revocable.")

T = TypeVar("T")
CollectorOpt = Annotated[str | None, typer.Option(help="Who does this (ledger actor; default the OS user).")]


@command
def serve(host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")]
          = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
          secure_cookies: Annotated[bool, typer.Option(help="Mark cookies Secure (set it when a TLS proxy is in "
                                                       "front; https requests get it anyway).")] = False,
          proxy_headers: Annotated[bool, typer.Option(help="Trust X-Forwarded-* from a proxy on 127.0.0.1.")]
          = False,
          workers: Annotated[int, typer.Option(min=1, help="Server processes (one per core renders pages on "
                                               "every core).")] = 1,
          worker: Annotated[bool, typer.Option("--worker/--no-worker", help="Also run `hague worker` (captures "
                                               "from the browser) beside the server.")] = True) -> None:
    """Run the web workspace: accounts, cases, documents with the viewer, incidents with map and timeline,
    search, and the JSON API under /api/v1. With no administrator yet it prints how to create one."""
    from hague.web.server import serve as run

    ws = workspace()
    queue = subprocess.Popen([sys.executable, "-m", "hague.cli", "worker"],
                             env={**os.environ, "HAGUE_WORKER_PARENT": str(os.getpid())}) if worker else None
    try:
        run(ws, host, port, secure_cookies=secure_cookies, proxy_headers=proxy_headers, workers=workers,
            say=out.print)
    finally:
        if queue is not None:
            queue.terminate()
            queue.wait(30)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (12 characters or more): ")
    if getpass.getpass("Again: ") != first:
        raise InvalidInput("the two passwords differ")
    return first


@command
def user_add(name: Annotated[str, typer.Argument(help="Account name: lower-case letters, digits, '.', '_', '-'.")],
             role: Annotated[str, typer.Option(help="admin (manages accounts and cases) or member.")] = "member",
             display_name: Annotated[str | None, typer.Option(help="Full name shown in pages.")] = None,
             password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the "
                                                          "first line of standard input (for scripts).")] = False,
             collector: CollectorOpt = None) -> None:
    """Create an account (asks for its password). `--role admin` makes the first administrator."""
    if role not in ("admin", "member"):
        raise InvalidInput(f"--role {role!r}: use admin or member (roles in a case are given with `hague case member`)")
    password = _password(password_stdin)
    _act(collector, lambda s, actor: accounts.create(s, actor, name, password, display_name=display_name,
                                                     admin=role == "admin"))
    out.print(f"account {name} created" + (" (administrator)" if role == "admin" else ""), markup=False)


@command
def user_list(json_out: JsonOpt = False) -> None:
    """Accounts with their administrator flag, second factor and status."""
    ws = workspace()
    with ws.read() as s:
        rows = [{"name": u.name, "display_name": u.display_name, "admin": u.is_admin, "totp": u.totp_secret is not None,
                 "disabled": u.disabled, "created_at": u.created_at}
                for u in s.scalars(select(User).order_by(User.name))]
    if json_out:
        emit_json(rows)
        return
    for r in rows:
        flags = [f for f, on in (("admin", r["admin"]), ("2FA", r["totp"]), ("disabled", r["disabled"])) if on]
        out.print(f"{r['name']} · {r['display_name']}" + (f" · {', '.join(flags)}" if flags else ""), markup=False)


def _act(collector: str | None, act: Callable[[Session, str], T]) -> T:
    """Run one act of the operator in a write transaction (a refusal ends the command through ``command``),
    then sign the head."""
    ws = workspace()
    with ws.write() as s:
        result = act(s, ws.actor(collector))
    ws.seal()
    return result


def _user_act(name: str, collector: str | None, act: Callable[[Session, str, User], object]) -> None:
    _act(collector, lambda s, actor: act(s, actor, accounts.get(s, name)))


@command
def user_disable(name: Annotated[str, typer.Argument(help="The account.")], collector: CollectorOpt = None) -> None:
    """Disable an account: it cannot sign in, its sessions end and its tokens stop working."""
    _user_act(name, collector, lambda s, actor, u: accounts.set_disabled(s, actor, u, True))
    out.print(f"{name} disabled", markup=False)


@command
def user_logout(name: Annotated[str, typer.Argument(help="The account.")], collector: CollectorOpt = None) -> None:
    """Sign an account out of every browser at once."""
    _user_act(name, collector, lambda s, actor, u: sessions.end_all(s, actor, u))
    out.print(f"{name} signed out everywhere", markup=False)


@command
def user_password(name: Annotated[str, typer.Argument(help="The account.")],
                  password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read it from stdin.")]
                  = False, collector: CollectorOpt = None) -> None:
    """Set a new password for an account (e.g. one that forgot theirs)."""
    password = _password(password_stdin)
    _user_act(name, collector, lambda s, actor, u: accounts.set_password(s, actor, u, password))
    out.print(f"password of {name} changed", markup=False)


CaseArg = Annotated[str, typer.Argument(help="The case id (as in `hague case list`).")]


@command
def case_create(name: Annotated[str, typer.Argument(help="The case's name, e.g. 'West Darfur 2023'.")],
                slug: Annotated[str | None, typer.Option("--id", help="Short id used in links (default from the "
                                                         "name).")] = None,
                lead: Annotated[str | None, typer.Option(help="Account that leads the case.")] = None,
                description: Annotated[str, typer.Option(help="One line on what the case covers.")] = "",
                collector: CollectorOpt = None) -> None:
    """Create a case; `--lead` names the account that manages its members."""
    made = _act(collector, lambda s, actor: cases.create(s, actor, name, slug=slug, description=description,
                                                         lead=accounts.get(s, lead) if lead else None).slug)
    out.print(f"case {made} created", markup=False)


@command
def case_list(json_out: JsonOpt = False) -> None:
    """Cases with their members and item counts."""
    from sqlalchemy import func

    from hague.model import Case, CaseItem

    ws = workspace()
    with ws.read() as s:
        data = []
        for c in s.scalars(select(Case).order_by(Case.slug)):
            n = s.scalar(select(func.count()).select_from(CaseItem).where(CaseItem.case_id == c.id)) or 0
            data.append({"case": c.slug, "name": c.name, "items": n, "second_factor_required": c.require_totp,
                         "members": {u.name: str(r) for u, r in cases.members(s, c)}})
    if json_out:
        emit_json(data)
        return
    for d in data:
        people = ", ".join(f"{n} ({r})" for n, r in d["members"].items()) or "no members"
        out.print(f"{d['case']} · {d['name']} · {d['items']} item(s) · {people}", markup=False)


@command
def case_member(case: CaseArg, name: Annotated[str, typer.Argument(help="The account.")],
                role: Annotated[str, typer.Argument(help="; ".join(f"{r}: {h}" for r, h in ROLE_HELP.items())
                                                    + "; or 'remove'.")],
                collector: CollectorOpt = None) -> None:
    """Give an account a role in a case (lead, analyst, reviewer, viewer, partner), or remove it."""
    if role != "remove" and role not in Role.__members__.values():
        raise InvalidInput(f"role {role!r}: use one of {', '.join(Role)} or 'remove'")

    def act(s: Session, actor: str) -> None:
        c, u = cases.get(s, case), accounts.get(s, name)
        if role == "remove":
            cases.remove_member(s, actor, c, u)
        else:
            cases.set_member(s, actor, c, u, Role(role))

    _act(collector, act)
    out.print(f"{name} in {case}: {role}", markup=False)


@command
def case_add(case: CaseArg,
             items: Annotated[list[str] | None, typer.Argument(help="SHA-256 of items (see `hague items`).")] = None,
             all_items: Annotated[bool, typer.Option("--all", help="Every preserved item not yet in the case.")]
             = False, collector: CollectorOpt = None) -> None:
    """Put preserved items into a case (an item may be in several cases)."""
    if not items and not all_items:
        raise InvalidInput("name items by SHA-256, or give --all")
    n = _act(collector, lambda s, actor: cases.add_all_items(s, actor, cases.get(s, case)) if all_items
             else cases.add_items(s, actor, cases.get(s, case), items or []))
    out.print(f"{n} item(s) added to {case}", markup=False)


@command
def case_share(case: CaseArg,
               item: Annotated[list[str] | None, typer.Option(help="An item's SHA-256 (repeatable).")] = None,
               incident: Annotated[list[str] | None, typer.Option(help="An incident id (repeatable).")] = None,
               stop: Annotated[bool, typer.Option("--stop", help="Stop sharing them instead.")] = False,
               collector: CollectorOpt = None) -> None:
    """Show items or incidents of a case to its partners (or stop, with --stop)."""
    targets = [(cases.ShareKind.ITEM, x) for x in item or []] + [(cases.ShareKind.INCIDENT, x) for x in incident or []]
    if not targets:
        raise InvalidInput("name what to share: --item SHA256 or --incident ID")

    def act(s: Session, actor: str) -> None:
        c = cases.get(s, case)
        for kind, ref in targets:
            cases.share(s, actor, c, kind, ref, not stop)

    _act(collector, act)
    out.print(f"{len(targets)} {'no longer ' if stop else ''}shared with the partners of {case}", markup=False)


@command
def case_totp(case: CaseArg,
              required: Annotated[bool, typer.Option("--required/--not-required",
                                                     help="Whether the case's members must sign in with a TOTP "
                                                          "code.")] = True,
              collector: CollectorOpt = None) -> None:
    """Require a second factor (TOTP) of everyone who opens the case, as its lead can on the case page; members
    without one are asked to set it up before they see the case."""
    _act(collector, lambda s, actor: cases.set_require_totp(s, actor, cases.get(s, case), required))
    out.print(f"{case}: second factor {'required' if required else 'not required'}", markup=False)


@command
def token_create(name: Annotated[str, typer.Argument(help="The account the token acts for.")],
                 case: Annotated[str, typer.Argument(help="The one case it opens.")],
                 scope: Annotated[TokenScope, typer.Option(help="read, or write (analysts, reviewers, leads).")]
                 = TokenScope.READ,
                 label: Annotated[str, typer.Option(help="What the token is for.")] = "command line",
                 collector: CollectorOpt = None) -> None:
    """Create an API token and print it once (only its SHA-256 is stored)."""
    secret = _act(collector, lambda s, actor: tokens.create(s, actor, accounts.get(s, name), cases.get(s, case),
                                                            label, scope))
    sys.stdout.write(secret + "\n")


@command
def token_revoke(token_id: Annotated[int, typer.Argument(help="The token's number (see the account page).")],
                 collector: CollectorOpt = None) -> None:
    """Revoke an API token at once."""
    from hague.model import ApiToken

    def act(s: Session, actor: str) -> None:
        token = s.get(ApiToken, token_id)
        if token is None:
            raise NotFound(f"no token {token_id}")
        tokens.revoke(s, actor, s.get(User, token.user_id), token_id)

    _act(collector, act)
    out.print(f"token {token_id} revoked", markup=False)


for _name, _command in (("add", user_add), ("list", user_list), ("disable", user_disable),
                        ("logout", user_logout), ("password", user_password)):
    user_app.command(_name)(_command)
for _name, _command in (("create", case_create), ("list", case_list), ("member", case_member),
                        ("add", case_add), ("share", case_share), ("totp", case_totp)):
    case_app.command(_name)(_command)
token_app.command("create")(token_create)
token_app.command("revoke")(token_revoke)
