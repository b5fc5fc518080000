"""Bytes to a string: the decoding the text and JSON readers share.

A byte-order mark decides first (UTF-8, UTF-16 and UTF-32 with a BOM are text, whatever their NUL bytes);
then UTF-8; then the encoding ``charset_normalizer`` finds most plausible, preferring those common on the
web when several decode equally well. Binary data is refused rather than decoded into noise.
"""

from __future__ import annotations

import codecs

from hague.evidence.readers import ReadError

_BOMS = (  # UTF-32 LE before UTF-16 LE: its mark begins with UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_PREFERRED = ["cp1252", "iso8859_1", "cp1251", "koi8_r", "koi8_u", "iso8859_15", "cp1250", "iso8859_2"]


def decode_text(data: bytes, complete: bool = True) -> tuple[str, str | None]:
    """(text, the encoding used when it is not plain UTF-8). ``complete=False``: ``data`` is a prefix of the
    original, so a character cut at its end is dropped rather than refused."""
    if not data:
        raise ReadError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = codecs.getincrementaldecoder(encoding)().decode(data, final=complete)
            except UnicodeDecodeError:
                raise ReadError(f"starts with a {encoding.upper()} byte-order mark but is not valid "
                                f"{encoding.upper()}") from None
            if _control_ratio(text[:8192]) > 0.05:
                raise ReadError("binary data, not text")
            return text, None if encoding == "utf-8-sig" else encoding.upper()
    head = data[:8192]
    if b"\x00" in head or _control_ratio(head) > 0.05:
        raise ReadError("binary data, not text")
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=complete), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches or matches[0].chaos > 0.25:
        raise ReadError("not valid UTF-8 and no text encoding could be detected")
    # Several single-byte encodings often decode equally well; prefer the ones common on the web.
    tied = [m for m in matches if m.chaos <= matches[0].chaos + 0.01 and m.coherence >= matches[0].coherence - 0.01]
    best = min(tied, key=lambda m: _PREFERRED.index(m.encoding) if m.encoding in _PREFERRED else len(_PREFERRED))
    return str(best), best.encoding


def _control_ratio(data: bytes | str) -> float:
    if not data:
        return 0.0
    codes = data if isinstance(data, bytes) else map(ord, data)
    bad = sum(1 for b in codes if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(data)
