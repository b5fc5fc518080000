"""Password hashing with Argon2id (argon2-cffi's RFC 9106 defaults) and the password policy."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hague.team.errors import TeamError

MIN_LENGTH = 12
_HASHER = PasswordHasher()


@cache
def _dummy() -> str:
    """Verifying against this when an account does not exist costs the same time as a real check, so the
    response time does not tell which names exist (made on first use: hashing costs most of a second, which
    every command would pay at start-up)."""
    return _HASHER.hash("not a password of anyone's")


class WeakPassword(TeamError):
    """The password does not meet the policy; the message says why."""


def check_policy(password: str, name: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if name.lower() in password.lower():
        raise WeakPassword("a password must not contain the account name")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _dummy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)
