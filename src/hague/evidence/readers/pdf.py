"""PDF documents: the text of every page by pypdf, hard line wraps undone.

pypdf's own limits are set from the budget for the whole read, so a stream that inflates past what any
stream may expand to (a PDF "zip bomb") stops there; pages are read one at a time with the deadline
checked between them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, BinaryIO

from hague.components import Component
from hague.evidence.budget import Budget, OverBudget
from hague.evidence.readers import READERS, Extracted, Reader, ReadError, extracted

_HYPHEN_WRAP = re.compile(r"(\w)-\n(\w)")
_SOFT_WRAP = re.compile(r"(?<![.!?:\"'\u201d])\n(?=[a-z(\"'\u201c])")
# pypdf limits bounded by the budget's expansion cap (each is "bytes a stream may become").
_LIMITS = ("maximum_declared_stream_length", "array_based_stream_maximum_output_length",
           "jbig2_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
           "zlib_maximum_output_length", "brotli_maximum_output_length", "image_maximum_buffer_size",
           "stream_decoding_work_maximum_length", "xfa_decoding_work_maximum_length")


def read(stream: BinaryIO, budget: Budget) -> Extracted:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    pages: list[str] = []
    try:
        with apply_configuration(**{name: budget.expanded for name in _LIMITS}):
            reader = PdfReader(stream)
            size = 0
            for page in reader.pages:
                budget.check()
                pages.append(page.extract_text() or "")
                size += len(pages[-1])
                budget.cap(size, "the PDF's text")
            info = reader.metadata
    except OverBudget:
        raise
    except LimitReachedError as exc:
        raise OverBudget(f"a PDF stream expands past the budget of {budget.expanded:,} bytes ({exc})") from None
    except Exception as exc:  # pypdf raises many types for broken files
        raise ReadError(f"PDF could not be parsed: {exc}") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise ReadError("PDF has no extractable text (scanned images need OCR, which Hague does not do)")
    # Undo hard line wraps so paragraphs and sentences are whole again.
    text = _SOFT_WRAP.sub(" ", _HYPHEN_WRAP.sub(r"\1\2", text))
    meta: dict[str, Any] = {}
    if info and info.title:
        meta["title"] = str(info.title)
    return extracted(READER, text, meta)


def _claims(name: str, head: bytes) -> int:
    if head.startswith(b"%PDF-"):
        return 3
    return 2 if Path(name.lower()).suffix == ".pdf" else 0


READER = Component(READERS.slot, "pypdf", "1", Reader(("application/pdf",), read, _claims, isolated=True),
                   "PDF documents: every page's text by pypdf")
READERS.add(READER)
