"""What a ``capture`` entry attests about its item and its document: one list for the writers and for verify.

Every field a person relies on is in the entry (a field the entry leaves out was empty), so ``hague verify``
can tell an edited row from the original record and name it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # verify reads these lists and no ORM
    from hague.model import Document, Item

ITEM_FIELDS = ("size", "media_type", "origin", "capture_tool", "captured_at", "note")
# capture-entry key -> Document column
DOCUMENT_FIELDS = {"document": "external_id", "title": "title", "published": "published", "outlet": "outlet",
                   "url": "url", "language": "language", "kind": "kind", "reader": "reader",
                   "text_sha256": "text_sha256"}


def capture_details(item: Item, document: Document | None, **extra: Any) -> dict[str, Any]:
    """The details of the capture entry recording ``item`` (and the ``document`` read from it, if any)."""
    details = {key: getattr(item, key) for key in ITEM_FIELDS}
    if document is not None:
        details.update({key: getattr(document, column) for key, column in DOCUMENT_FIELDS.items()})
    details.update(extra)
    return {k: v for k, v in details.items() if v is not None}
