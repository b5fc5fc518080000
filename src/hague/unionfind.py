"""Disjoint sets (union-find), the one implementation: syndicated stories, incident blocks, independent sources.

Path halving keeps ``find`` near constant time. The smallest member (by ``<``) represents its set, so
results never depend on the order in which sets were joined, and a group named after its representative
is named the same on every run.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from typing import Generic, Protocol, TypeVar


class _Ordered(Hashable, Protocol):
    def __lt__(self, other: object, /) -> bool: ...


T = TypeVar("T", bound=_Ordered)


class UnionFind(Generic[T]):
    def __init__(self, items: Iterable[T] = ()) -> None:
        self._parent: dict[T, T] = {x: x for x in items}

    def find(self, x: T) -> T:
        """The representative of ``x``'s set (``x`` joins as a set of its own if unknown)."""
        parent = self._parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> T:
        """Join the sets of ``a`` and ``b``; returns the representative of the joined set."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        low, high = (rb, ra) if rb < ra else (ra, rb)
        self._parent[high] = low
        return low

    def union_all(self, items: Iterable[T]) -> None:
        """Join every set that holds one of ``items``."""
        it = iter(items)
        first = next(it, None)
        if first is None:
            return
        self.find(first)
        for other in it:
            self.union(first, other)

    def __iter__(self) -> Iterator[T]:
        """Every member, in the order it first joined."""
        return iter(list(self._parent))

    def __contains__(self, x: object) -> bool:
        return x in self._parent

    def groups(self) -> list[list[T]]:
        """The sets, each in joining order, ordered by their first member to join."""
        out: dict[T, list[T]] = {}
        for x in list(self._parent):
            out.setdefault(self.find(x), []).append(x)
        return list(out.values())
