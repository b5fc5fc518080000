"""What every service shares: pages of records, the limits on them, and sealing after an act."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from hague.errors import InvalidInput, NotFound

if TYPE_CHECKING:  # SQLAlchemy is imported where a page is read: ``hague verify`` (through the package) needs none
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000  # records in one page: the web never loads a whole table


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: ``items`` in the listing's order, starting at ``offset``, of ``total`` in all."""

    items: Sequence[T]
    total: int
    limit: int
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total

    def to_json(self) -> dict[str, Any]:
        return {"items": [_json(x) for x in self.items], "total": self.total, "limit": self.limit,
                "offset": self.offset}


def _json(x: Any) -> Any:
    return x.to_json() if hasattr(x, "to_json") else x


class Within(Protocol):
    """The part of a workspace a listing keeps to, as SQL sub-selects: one case as one person sees it
    (:class:`hague.team.scope.Scope` is one). Listings and lookups given ``within=`` read nothing outside it."""

    def items(self) -> Select[Any]:
        """SHA-256 of the items inside."""
        ...

    def documents(self) -> Select[Any]:
        """Ids of the documents inside."""
        ...

    def incidents(self) -> Select[Any]:
        """Ids of the incidents inside."""
        ...


def require_within(session: Session, allowed: Select[Any] | None, value: Any, what: str, ref: str) -> None:
    """Refuse (as not found: outsiders must not learn it exists) a record outside ``allowed``."""
    if allowed is None:
        return
    from sqlalchemy import func, select

    inside = allowed.subquery()
    if not session.scalar(select(func.count()).select_from(inside).where(inside.c[0] == value)):
        raise NotFound(what, ref)


def check_window(limit: int, offset: int) -> None:
    """Refuse a page request the listing cannot serve (negative, or larger than :data:`MAX_LIMIT`)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit {limit} must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise InvalidInput(f"offset {offset} must not be negative")


def page(session: Session, query: Select[Any], limit: int, offset: int,
         build: Callable[[Any], T], scalars: bool = True) -> Page[T]:
    """Run ``query`` for one page (its total counted apart) and build each row into a record."""
    check_window(limit, offset)
    from sqlalchemy import func, select

    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    window = query.limit(limit).offset(offset)
    rows: Iterable[Any] = session.scalars(window) if scalars else session.execute(window)
    return Page([build(r) for r in rows], total, limit, offset)
