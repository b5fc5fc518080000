"""A cheap test in front of a large regex: the first few characters any of its matches can begin with.

Python's regex engine tries a pattern at every position of the text, and a pattern made of many alternatives
(a lexicon of a few hundred phrases, every way of writing a date) tries each of them at every word. Most
words start none of them. :func:`prefiltered` puts a lookahead in front of the pattern that lets through only
positions where the text begins like one of its matches (the first three characters, say "hos" for
"hospitals?" or "[0-9]" for a day number); the engine fails the other positions after a character or two, and
the matches are exactly the same, since the lookahead accepts every position where a match starts.

The prefixes are read off the parsed pattern (the standard library's own parser, ``re._parser``). What it
cannot follow (a back-reference, a negated class, "any character") ends a prefix early, which only lets more
positions through; a pattern some match of which may start anywhere gets no lookahead at all.
"""

from __future__ import annotations

import re
import string
from re import _constants as sre  # the standard library's regex parser and its opcodes (stable since 3.11)
from re import _parser

_PREFIX = 3  # characters a prefix reads: enough to reject most words, few enough to keep the lookahead small
_MOST = 2000  # prefixes at most; past this a prefix stops where it is (shorter, so it lets more through)
_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
               sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}
# The ASCII characters of each category: a case-blind class with one is written through them.
_CATEGORY_ASCII = {category: {c for c in range(128) if re.fullmatch(regex, chr(c))}
                   for category, regex in _CATEGORIES.items()}
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)  # anchors and lookarounds: they consume nothing
_PLAIN_FLAGS = sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_VERBOSE | sre.SRE_FLAG_DOTALL | sre.SRE_FLAG_MULTILINE

Prefixes = set[tuple[str, ...]]  # each a tuple of regexes of one character


def prefiltered(pattern: str, flags: int = 0, anywhere: tuple[str, str] | None = None) -> re.Pattern[str]:
    """``pattern`` compiled with a lookahead in front that only positions where one of its matches can begin
    pass (same matches, found faster); compiled as it is when every position might begin one.

    ``anywhere = (narrow, wide)``, for a pattern a few alternatives of which may begin at any word (the phrase
    "(?:\\w+ )?waiting for evacuation" among a lexicon's hundreds): every match of ``pattern`` is a match of
    ``narrow`` (the pattern without them) or begins with a match of ``wide`` (they alone). The lookahead then
    lets through the positions ``narrow``'s prefixes pass and those where ``wide`` matches, tried in full there:
    the other alternatives are still skipped at most words."""
    plain = re.compile(pattern, flags)
    if flags & re.VERBOSE:  # the pattern could end in a comment that would swallow the closing parenthesis
        return plain
    try:
        lookahead = _lookahead(_parser.parse(anywhere[0] if anywhere else pattern, flags))
        if not lookahead:
            return plain
        # The lookahead's classes already hold every case they must: matched case-sensitively, they stay plain.
        lookahead = f"(?-i:{lookahead})" + (f"|(?:{anywhere[1]})" if anywhere else "")
        return re.compile(f"(?={lookahead})(?:{pattern})", flags)
    except (re.error, ValueError, TypeError):  # a form this module does not know (inline global flags ...)
        return plain


def begins_anywhere(pattern: str, flags: int = 0) -> bool:
    """Whether some match of ``pattern`` may begin at any word (it gets no lookahead of its own)."""
    try:
        return not _lookahead(_parser.parse(pattern, flags))
    except (re.error, ValueError, TypeError):
        return True


def _lookahead(parsed: _parser.SubPattern) -> str | None:
    opened, done = _sequence(list(parsed), {()}, bool(parsed.state.flags & sre.SRE_FLAG_IGNORECASE))
    prefixes = opened | done
    if any(not p or _broad(p[0]) for p in prefixes):  # a match may begin at any word: nothing to skip
        return None
    return _trie(prefixes)


def _broad(atom: str) -> bool:
    """Whether most letters match ``atom`` ("\\w", "\\S"): a lookahead that starts with it skips nothing."""
    return sum(bool(re.fullmatch(atom, c)) for c in string.ascii_letters) > len(string.ascii_letters) // 2


def _atom(op: object, av: object, blind: bool) -> str | None:
    """A case-sensitive regex for (at least) the characters a LITERAL or IN node matches, or None when the node is
    not one this module writes back (a prefix stops there)."""
    if blind and (op is sre.IN or _cased(chr(av))):
        return _blind_atom([(op, av)] if op is sre.LITERAL else av)
    if op is sre.LITERAL:
        return re.escape(chr(av))
    parts = []
    for item_op, item in av:
        if item_op is sre.LITERAL:
            parts.append(re.escape(chr(item)))
        elif item_op is sre.RANGE:
            parts.append(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
        elif item_op is sre.CATEGORY and item in _CATEGORIES:
            parts.append(_CATEGORIES[item])
        else:  # a negated class or a rarer category
            return None
    return "[" + "".join(parts) + "]"


def _blind_atom(items: list) -> str | None:
    """A case-blind class ("(?i:a)", "(?i:[a-c])") as a plain one: the ASCII characters it matches in either case
    and every non-ASCII character, which holds all the engine folds to it. A plain class is checked fast, where
    a case-blind one costs a full attempt; it is written as the ASCII characters it leaves out ("[^\\x00-@B-`b-
    \\x7f]" for "a"), which compiles at once, where a range up to the last code point takes seconds."""
    codes: set[int] = set()
    for op, av in items:
        if op is sre.CATEGORY and av in _CATEGORY_ASCII:
            codes |= _CATEGORY_ASCII[av]
            continue
        if op is sre.LITERAL:
            low = high = av
        elif op is sre.RANGE:
            low, high = av
        else:
            return None
        if high > 127 and any(_cased(chr(c)) for c in range(max(low, 128), high + 1)):
            return None  # a non-ASCII letter may fold to an ASCII one ("\u017f" to "s"): not followed
        for code in range(low, min(high, 127) + 1):
            codes |= {code, ord(chr(code).lower()), ord(chr(code).upper())}
    left_out = [c for c in range(128) if c not in codes]
    if not left_out:
        return None
    runs: list[list[int]] = []
    for c in left_out:
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "[^" + "".join(f"\\x{a:02x}" + (f"-\\x{b:02x}" if b > a else "") for a, b in runs) + "]"


def _cased(char: str) -> bool:
    return char.lower() != char.upper()


def _sequence(items: list, opened: Prefixes, blind: bool) -> tuple[Prefixes, Prefixes]:
    """Follow ``items`` from the prefixes read so far: the prefixes still open after them (a match may go on)
    and those that are done (long enough, or what follows cannot be written as one character)."""
    done: Prefixes = set()
    for op, av in items:
        if not opened:
            break
        if op in _ZERO_WIDTH:
            continue
        if op is sre.LITERAL or op is sre.IN:
            atom = _atom(op, av, blind)
            if atom is None:
                done |= opened
                return set(), done
            opened, more = _extend(opened, atom)
            done |= more
        elif op is sre.SUBPATTERN or op is sre.ATOMIC_GROUP:
            inner, inner_blind = (av, blind) if op is sre.ATOMIC_GROUP else (av[3], blind)
            if op is sre.SUBPATTERN:
                added, removed = av[1], av[2]
                if (added | removed) & ~_PLAIN_FLAGS:
                    done |= opened
                    return set(), done
                if added & sre.SRE_FLAG_IGNORECASE:
                    inner_blind = True
                elif removed & sre.SRE_FLAG_IGNORECASE:
                    inner_blind = False
            opened, more = _sequence(list(inner), opened, inner_blind)
            done |= more
        elif op is sre.BRANCH:
            branches: Prefixes = set()
            for alternative in av[1]:
                after, more = _sequence(list(alternative), opened, blind)
                branches |= after
                done |= more
            opened = branches
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            least, most, item = av
            once, more = _sequence(list(item), opened, blind)
            done |= more
            if most == 1:
                opened = once | (opened if least == 0 else set())
            else:  # repeated: what a second round reads is not followed, the prefix stops after one
                done |= once
                opened = opened if least == 0 else set()
        else:  # any character, a back-reference, a conditional group ...: the prefix stops here
            done |= opened
            return set(), done
        if len(opened) + len(done) > _MOST:
            return set(), done | opened
    return opened, done


def _extend(opened: Prefixes, atom: str) -> tuple[Prefixes, Prefixes]:
    grown = {p + (atom,) for p in opened}
    full = {p for p in grown if len(p) >= _PREFIX}
    return grown - full, full


def _trie(prefixes: Prefixes) -> str:
    """One alternation of the prefixes with common beginnings factored out; a prefix that is complete makes
    any longer one that starts with it redundant."""
    trie: dict = {}
    for prefix in sorted(prefixes, key=len):
        node = trie
        for atom in prefix:
            if node.get("") is not None:  # a shorter prefix already lets this position through
                break
            node = node.setdefault(atom, {})
        else:
            node.clear()
            node[""] = {}

    def build(node: dict) -> str:
        if "" in node:
            return ""
        branches = [atom + build(child) for atom, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)
