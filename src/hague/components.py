"""Named components: parts that may be swapped, each registered by name with a version under one contract.

A :class:`Registry` is one slot (statements extractors, reports extractors, readers of a media type ...) with
the contract every component in it keeps, written once in the slot's docstring. A component is found by its
name (a setting chooses it), and whatever it produced records its :attr:`Component.ref` (``rules@0.2.0``;
the slot is where it is stored), so a finding can always be traced to the code that made it, and a better
component can stand beside the current one, chosen per workspace and scored by ``hague eval``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from hague.errors import InvalidInput

T = TypeVar("T")
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,19}$")
_VERSION = re.compile(r"^[0-9A-Za-z.+_-]{1,16}$")  # so a ref fits the 40 characters a record keeps for it


@dataclass(frozen=True)
class Component(Generic[T]):
    """One implementation of a slot's contract."""

    slot: str
    name: str
    version: str
    implementation: T
    summary: str = ""

    @property
    def key(self) -> str:
        """``slot.name``: how analysis marks and ledger entries name it (with its version beside)."""
        return f"{self.slot}.{self.name}"

    @property
    def ref(self) -> str:
        """``name@version``: what a record made by it carries (its slot is the kind of record)."""
        return f"{self.name}@{self.version}"


class Registry(Generic[T]):
    """The components of one slot, by name."""

    def __init__(self, slot: str, default: str) -> None:
        self.slot, self.default = slot, default
        self._components: dict[str, Component[T]] = {}

    def register(self, name: str, version: str, summary: str = "") -> Callable[[T], T]:
        """Decorator: register the decorated implementation as component ``name``."""

        def add(implementation: T) -> T:
            self.add(Component(self.slot, name, version, implementation, summary))
            return implementation

        return add

    def add(self, component: Component[T]) -> None:
        if not _NAME.match(component.name):
            raise ValueError(f"component name {component.name!r}: up to 20 lower-case letters, digits, '-', '_'")
        if not _VERSION.match(component.version):
            raise ValueError(f"component version {component.version!r}: up to 16 letters, digits, '.', '+', '-'")
        known = self._components.get(component.name)
        if known is not None and known.implementation is not component.implementation:
            raise ValueError(f"{self.slot} component {component.name!r} is registered already")
        self._components[component.name] = component

    def get(self, name: str | None = None) -> Component[T]:
        """The component ``name`` (the slot's default when None); ``InvalidInput`` names the ones there are."""
        wanted = name or self.default
        try:
            return self._components[wanted]
        except KeyError:
            raise InvalidInput(f"no {self.slot} component {wanted!r}; there are: {', '.join(self.names())}") from None

    def names(self) -> list[str]:
        return sorted(self._components)

    def __iter__(self) -> Iterator[Component[T]]:
        return iter(sorted(self._components.values(), key=lambda c: c.name))
