"""Named components: a registry per slot, found by name, refusing clashes and naming what exists."""

from __future__ import annotations

import pytest

from hague.components import Registry
from hague.errors import InvalidInput


def test_components_are_found_by_name_and_carry_their_version() -> None:
    slot: Registry[object] = Registry("readers", default="text")

    @slot.register("text", "1.2", "plain text")
    def read_text(data: bytes) -> str:
        return data.decode()

    assert slot.get().implementation is read_text and slot.get("text").ref == "text@1.2"
    assert slot.get("text").key == "readers.text" and slot.names() == ["text"]
    with pytest.raises(InvalidInput, match="no readers component 'pdf'; there are: text"):
        slot.get("pdf")


def test_names_and_versions_are_checked_and_a_name_is_taken_once() -> None:
    slot: Registry[object] = Registry("statements", default="rules")
    slot.register("rules", "1")(print)
    slot.register("rules", "1")(print)  # the same registration twice (a module imported again) is harmless
    with pytest.raises(ValueError, match="registered already"):
        slot.register("rules", "2")(len)
    with pytest.raises(ValueError, match="component name"):
        slot.register("Not Valid", "1")(len)
    with pytest.raises(ValueError, match="component version"):
        slot.register("long", "1" * 17)(len)
