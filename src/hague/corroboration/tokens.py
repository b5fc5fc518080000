"""Word tokens for comparing documents, blind to typography and to mojibake.

Copies of one story reach us through different pipelines: one outlet has curly quotes, another
straight ones; a scraper decoded UTF-8 as Windows-1252 and wrote "womanâ€™s". Reuse must see
through all of that, yet report offsets into the text exactly as ingested. Words are runs of word
characters, so punctuation and spacing never matter; mojibake is repaired first; and every word
keeps the character span it came from.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")

# Windows-1252 with its five undefined bytes kept as the C1 control characters, the way broken
# decoders leave them; maps each character back to the byte it was decoded from.
_CP1252_BYTE = {}
for _b in range(256):
    try:
        _CP1252_BYTE[bytes([_b]).decode("cp1252")] = _b
    except UnicodeDecodeError:
        _CP1252_BYTE[chr(_b)] = _b
del _b

# A UTF-8 lead byte (as decoded by cp1252) followed by one to three continuation bytes.
_CONT = "".join(re.escape(ch) for ch, b in _CP1252_BYTE.items() if 0x80 <= b <= 0xBF)
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONT}]{{1,3}}")


def _repair(match: re.Match[str]) -> str:
    run = match.group()
    try:
        fixed = bytes(_CP1252_BYTE[ch] for ch in run).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return run
    return fixed


def normalise(text: str) -> tuple[str, list[int] | None]:
    """Lower-cased text with mojibake repaired, and where each of its characters came from.

    Typography needs no folding here: quotes, dashes and odd spaces are never part of a word.
    The position map is None when the length did not change (the usual case), so offsets into
    the result are offsets into ``text``. Otherwise ``pos[i]`` is the source offset of character
    i, with one extra entry for the end of the text.
    """
    if _MOJIBAKE.search(text):
        text, pos = _repaired(text)
    else:
        pos = None
    low = text.lower()
    if len(low) != len(text):  # a few letters (Turkish dotted I) grow when lower-cased
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return low, pos


def _repaired(text: str) -> tuple[str, list[int]]:
    pieces: list[str] = []
    pos: list[int] = []
    last = 0
    for m in _MOJIBAKE.finditer(text):
        pieces.append(text[last:m.start()])
        pos.extend(range(last, m.start()))
        fixed = _repair(m)
        pieces.append(fixed)
        # A repaired character stands where its mojibake run started.
        pos.extend([m.start()] * len(fixed) if fixed != m.group() else range(*m.span()))
        last = m.end()
    pieces.append(text[last:])
    pos.extend(range(last, len(text) + 1))
    return "".join(pieces), pos


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(normalised word, start, end) for each word of ``text[start:end]``.

    Offsets are into ``text``.
    """
    norm, pos = normalise(text[start:end])
    if pos is None:
        return [(m.group(), start + m.start(), start + m.end()) for m in _WORD.finditer(norm)]
    return [(m.group(), start + pos[m.start()], start + pos[m.end()]) for m in _WORD.finditer(norm)]


def word_list(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The words of :func:`words` without their offsets (the fast path for fingerprints)."""
    return _WORD.findall(normalise(text[start:end])[0])
