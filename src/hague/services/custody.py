"""Check custody: ``verify``.

Apart from :mod:`hague.services.evidence` (adding and listing originals through the ORM) so that the command
starts without SQLAlchemy on a SQLite workspace: on 10,000 small originals, start-up was most of a verify.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hague.evidence.audit import Report as VerifyReport
from hague.evidence.audit import verify as _verify

if TYPE_CHECKING:
    from hague.workspace import Workspace

__all__ = ["VerifyReport", "verify"]


def verify(ws: Workspace, since: int | None = None) -> VerifyReport:
    """Re-hash every original, re-walk the ledger chain, recompute the Merkle roots, check every signed head
    (in the database and the witness log) against the pinned key, and every row people rely on against the
    entry that recorded it. The report names each failure (``ok`` is False when there is one); nothing is
    changed. ``since``: only what changed since a verified ledger of that size (see
    :func:`hague.evidence.audit.verify`); ``InvalidInput`` when no signed head of that size can vouch for it."""
    return _verify(ws, since)
