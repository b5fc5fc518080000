"""The workspace's pseudonym secret and the keyed names made with it.

A protected person's pseudonym is an HMAC of their name under a secret kept in the workspace, so the same
person gets the same pseudonym in every package while nobody without the secret can test a guessed name
against it. The ``protect`` ledger entry records keyed digests, never names, so anything that holds the
secret (sharing, which redacts; verify, which checks the register against the ledger) can match a row to
its entry. Kept here, below both.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE = Path("keys") / "pseudonym.secret"


def workspace_secret(home: Path) -> bytes:
    """The workspace's pseudonym secret, made on first use (0600, never replaced once written)."""
    path = home / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32).hex().encode())
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: theirs wins
            os.link(tmp, path)
        tmp.unlink()
    return bytes.fromhex(path.read_text().strip())


def normal(name: str) -> str:
    return " ".join(name.casefold().split())


def digest(secret: bytes, text: str) -> str:
    """The keyed SHA-256 of a (normalised) text: what the ledger records in place of a name or a reason."""
    return hmac.new(secret, normal(text).encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonym(secret: bytes, name: str) -> str:
    return "Person-" + digest(secret, name)[:6]
