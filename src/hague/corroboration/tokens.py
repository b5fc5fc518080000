"""Word tokens for comparing documents, blind to typography and to mojibake.

Copies of one story reach us through different pipelines: one outlet has curly quotes, another
straight ones; a scraper decoded UTF-8 as Windows-1252 and wrote "womanâ€™s". Reuse must see
through all of that, yet report offsets into the text exactly as ingested. Words are runs of word
characters, so punctuation and spacing never matter; mojibake is repaired first; and every word
keeps the character span it came from.

Reuse detection reads every word of every document, so :func:`tokenise` does it with array
operations instead of a Python loop per word: each word becomes a 64-bit hash (equal words get
equal ids in any process and any run, so worker processes need no shared vocabulary) with its
character span. :func:`words` is the plain reference tokeniser for the few places that need the
words themselves; both split text identically.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

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
_LEAD_FIRST, _LEAD_LAST = 0xC2, 0xF4
_CONT = "".join(re.escape(ch) for ch, b in _CP1252_BYTE.items() if 0x80 <= b <= 0xBF)
_MOJIBAKE = re.compile(f"[{chr(_LEAD_FIRST)}-{chr(_LEAD_LAST)}][{_CONT}]{{1,3}}")


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
    return _lower(text), pos


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # a few letters (Turkish dotted I) grow when lower-cased
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return low


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


@dataclass(frozen=True)
class TokenStream:
    """The words of one text as arrays: word ``i`` is ``text[starts[i]:ends[i]]``, hashed to ``ids[i]``."""

    ids: np.ndarray  # uint64
    starts: np.ndarray  # int64
    ends: np.ndarray  # int64


# Which code points of the Basic Multilingual Plane are word characters (as ``\w`` has it).
_WORD_CHAR = np.array([chr(c).isalnum() or c == 0x5F for c in range(0x10000)], dtype=bool)
_ASTRAL = 0x10000
_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd, so it has an inverse modulo 2**64
_BASE_INV = np.uint64(pow(int(_BASE), -1, 1 << 64))
_powers_cache: list[np.ndarray] = [np.ones(1, np.uint64), np.ones(1, np.uint64)]


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i modulo 2**64 for i < n, grown on demand and kept."""
    if len(_powers_cache[0]) < n:
        m = max(n, 2 * len(_powers_cache[0]))
        for k, b in enumerate((_BASE, _BASE_INV)):
            p = np.empty(m, np.uint64)
            p[0] = 1
            np.cumprod(np.full(m - 1, b, np.uint64), out=p[1:])
            _powers_cache[k] = p
    return _powers_cache[0][:n], _powers_cache[1][:n]


def tokenise(text: str) -> TokenStream:
    """Every word of ``text``, the same words and spans as :func:`words`, hashed."""
    return tokenise_many([text])[0]


def tokenise_many(texts: Sequence[str]) -> list[TokenStream]:
    """:func:`tokenise` for many texts at once, which is much faster than one by one.

    The texts are scanned as one string; only those that may hold mojibake (a character that
    can start a mis-decoded UTF-8 sequence) are looked at again one by one.
    """
    joined = "\n".join(texts)
    low = joined.lower()
    if len(low) != len(joined):  # a letter that grows when lower-cased: rare, go one by one
        return [_tokenise_one(t) for t in texts]
    offsets = np.cumsum([0] + [len(t) + 1 for t in texts])
    ids, starts, ends = _scan(low)
    cuts = np.searchsorted(starts, offsets)
    out = [TokenStream(ids[a:b], starts[a:b] - o, ends[a:b] - o)
           for a, b, o in zip(cuts[:-1].tolist(), cuts[1:].tolist(), offsets[:-1].tolist(), strict=True)]
    raw = _codes(joined)
    lead = np.flatnonzero((raw >= _LEAD_FIRST) & (raw <= _LEAD_LAST))
    for d in np.unique(np.searchsorted(offsets, lead, side="right") - 1).tolist():
        if _MOJIBAKE.search(texts[d]):
            out[d] = _tokenise_one(texts[d])
    return out


def _tokenise_one(text: str) -> TokenStream:
    norm, pos = normalise(text)
    ids, starts, ends = _scan(norm)
    if pos is not None:
        where = np.asarray(pos, dtype=np.int64)
        starts, ends = where[starts], where[ends]
    return TokenStream(ids, starts, ends)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _scan(norm: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word hashes, starts and ends of normalised text.

    A word's hash is a polynomial over its code points read off prefix sums, so all words are
    hashed by a handful of whole-array operations.
    """
    codes = _codes(norm)
    n = len(codes)
    flag = np.zeros(n + 2, dtype=bool)
    flag[1:-1] = _WORD_CHAR.take(codes, mode="clip")
    astral = np.flatnonzero(codes >= _ASTRAL)
    if len(astral):
        flag[astral + 1] = [chr(c).isalnum() for c in codes[astral].tolist()]
    edges = np.flatnonzero(flag[1:] != flag[:-1])
    starts, ends = edges[0::2], edges[1::2]
    up, down = _powers(n + 1)
    prefix = np.zeros(n + 1, np.uint64)
    with np.errstate(over="ignore"):
        np.cumsum(codes.astype(np.uint64) * up[:n], out=prefix[1:])
        ids = (prefix[ends] - prefix[starts]) * down[starts]
        ids ^= (ends - starts).astype(np.uint64) << np.uint64(56)
    return ids, starts.astype(np.int64), ends.astype(np.int64)
