"""Stance of a statement (GOLD.md codes) from cue lexicons kept in ``data/stance.yaml``.

Cues are tried in the table's order, most specific first: a statement that "cannot confirm" reports
of war crimes is about confirmation, not an assertion of a crime.

A counter-claim is a denial too: when the party a document holds responsible for the attacks speaks
and puts the blame on another party ("the ministry accused the Kyiv regime of carrying out the attack"),
its side is denying responsibility.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from hague.datafiles import load_yaml
from hague.reading.lexicon import actors, party_hits
from hague.reading.prefilter import prefiltered
from hague.reading.text import fold

# Statements whose stance a counter-claim overrides: it never overrides a confirmation or an inquiry.
_OVERRIDABLE = {"reports", "other", "condemns", "asserts_violation"}


@lru_cache(maxsize=1)
def _rules() -> list[tuple[str, frozenset[str], str | None]]:
    """(stance, its speech verbs, its cues as one regex fragment or None), in the table's order."""
    return [(entry["stance"], frozenset(entry.get("verbs") or []),
             "|".join(entry["cues"]) if entry.get("cues") else None)
            for entry in load_yaml("hague.reading", "data/stance.yaml")]


@lru_cache(maxsize=2)
def _cues(lowered: bool) -> re.Pattern[str]:
    """Every rule's cues in one pattern, group ``r<i>`` rule ``i``; ``lowered``: for lower-case text, matched
    case-sensitively (several times faster than re.IGNORECASE).

    Where cues of several rules begin at one position, the match is the first of those rules' (nothing follows the
    group): one search per position where a cue begins finds the first rule with a cue in a statement, where a
    search per rule was a pass over the statement each. The prefilter skips the words no cue begins like."""
    parts = [f"(?P<r{i}>{cues})" for i, (_, _, cues) in enumerate(_rules()) if cues]
    return prefiltered(r"\b(?:" + "|".join(parts) + ")", 0 if lowered else re.IGNORECASE)


_ESCAPE = re.compile(r"\\(?:[sSwWdDbB]|[^A-Za-z0-9])")


@lru_cache(maxsize=1)
def _lower_case_cues() -> bool:
    """Whether every cue is written in lower case (its escapes only classes and punctuation): then, on ASCII text,
    the cues match case-blind exactly where they match the text lower-cased case-sensitively."""
    written = _ESCAPE.sub("", "".join(cues for _, _, cues in _rules() if cues))
    return "\\" not in written and written == written.lower()


@lru_cache(maxsize=2)
def _party_words(in_content: bool = False) -> tuple[re.Pattern[str], list[str]]:
    """Every party's names and adjectives as bare words in one pattern (group ``g<i>`` is party ``i``), to
    tell which side a speaker phrase names.

    In a statement's content an adjective that is also a place's name ("Tigray", "Myanmar") says where, not who,
    so ``in_content`` leaves those out."""
    from hague.reading.places import gazetteer

    codes: list[str] = []
    parts: list[str] = []
    for party, forms in actors()["parties"].items():
        adjectives = [a for a in forms.get("adjective", []) if not (in_content and gazetteer().lookup(a))]
        words = [*forms.get("names", []), *forms.get("acronyms", []), *adjectives]
        parts.append(f"(?P<g{len(codes)}>{'|'.join(words)})")
        codes.append(party)
    # Asked of every statement's speaker and content: the prefilter skips the words no name begins like.
    return prefiltered(r"\b(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE), codes


def _parties_named(text: str, in_content: bool = False) -> set[str]:
    pattern, codes = _party_words(in_content)
    return {codes[int(m.lastgroup[1:])] for m in pattern.finditer(text)}


# An open question ("... review of whether the attacks amount to war crimes") names a legal category
# without asserting it: the question is left out before cues are matched.
_OPEN_QUESTION = re.compile(r"\bwhether\b[^.;]*", re.IGNORECASE)


def classify(content: str, verb: str | None = None) -> tuple[str, float]:
    """The stance code and a confidence: a cue or verb found gives 0.6, the fallback ``other`` 0.3."""
    verb = (verb or "").lower()
    content = _OPEN_QUESTION.sub(" ", content)
    lowered = content.isascii() and _lower_case_cues()
    if lowered:
        content = content.lower()
    rules = _rules()
    # The first rule whose verbs hold the verb or whose cues occur in the content.
    best = next((i for i, (_, verbs, _) in enumerate(rules) if verb in verbs), len(rules))
    pattern = _cues(lowered)
    m = pattern.search(content)
    while m is not None and best:
        best = min(best, int(m.lastgroup[1:]))
        m = pattern.search(content, m.start() + 1)
    if best == len(rules):
        return "other", 0.3
    stance = rules[best][0]
    if stance == "investigating" and verb in _appeals():
        # "invited the UN to conduct an investigation": an appeal for an inquiry is not the speaker's own.
        return "other", 0.6
    return stance, 0.6


@lru_cache(maxsize=1)
def _appeals() -> frozenset[str]:
    """Speech verbs of appeal (the ``other`` rule's verbs): what they ask for is not the speaker's doing."""
    return next(verbs for stance, verbs, _ in _rules() if stance == "other")


def accused_party(text: str) -> str | None:
    """The party a document most often names as the author of attacks (``perpetrators.yaml``), or None."""
    counts = Counter(code for _, _, code in party_hits(fold(text)))
    if not counts:
        return None
    (top, n), *rest = counts.most_common(2) + [(None, 0)]
    return top if n > rest[0][1] else None


@lru_cache(maxsize=4096)
def speaker_party(speaker: str) -> str | None:
    """The side a speaker phrase or organisation names ("Russian defense ministry" -> Russia), or None. Asked of
    every statement's speaker, and speakers recur within a document and across documents: answers are kept."""
    found = _parties_named(speaker)
    return found.pop() if len(found) == 1 else None


def counter_claim(code: str, content: str, speaker: str, accused: str | None) -> bool:
    """Whether a statement by the accused side blames another party or negates its own part."""
    if accused is None or code not in _OVERRIDABLE or speaker_party(speaker) != accused:
        return False
    named = {c for _, _, c in party_hits(fold(content))}
    named |= _parties_named(content, in_content=True)
    return bool(named - {accused})
