"""Phrase lexicons kept as data (``data/*.yaml``), each compiled into one regex for a single pass.

A lexicon maps a code (a GOLD.md target or weapon code, an event type, a status, a party) to
regex fragments. :meth:`Lexicon.find` scans a whole document once and returns ``(start, end, code)``
hits; callers bucket them by clause. One alternation per lexicon keeps reading fast whatever the
number of phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from hague.datafiles import load_yaml
from hague.reading.prefilter import begins_anywhere, prefiltered

Hit = tuple[int, int, str]


def lower_same_length(text: str) -> str:
    """``text`` lower-cased, for case-blind matching without re.IGNORECASE (several times slower).

    Lexicon patterns are compiled lower-case and matched against this; offsets stay valid because
    the few characters whose lower case is longer (e.g. U+0130) are left as they are.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_LITERAL = re.compile(r"(?:[^\\.^$*+?{}\[\]|()]|\\[.'-])+")


def literal(fragment: str) -> str | None:
    """The phrase a regex fragment matches when it is a plain phrase ("the Kremlin", "U\\.S\\."), else None."""
    if not _LITERAL.fullmatch(fragment):
        return None
    return re.sub(r"\\(.)", r"\1", fragment)


def trie_pattern(phrases: list[str]) -> str:
    """One regex for many plain phrases with their common prefixes factored out, longest match first.

    Python's regex engine tries an alternation's branches one by one at every position, so a few hundred
    phrases cost a few hundred attempts per word; a trie tries one branch per letter read. Spaces match any
    run of whitespace, as the lexicons' own patterns do.
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + build(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


class Lexicon:
    """Codes and their phrases as one word-bounded regex, matched against lower-cased text."""

    def __init__(self, mapping: dict[str, list[str]], prefix: str = r"\b", suffix: str = r"\b",
                 lower: bool = True) -> None:
        self.codes = [code for code in mapping if mapping[code]]
        fold_case = str.lower if lower else str
        parts = [f"(?P<g{i}>{fold_case('|'.join(mapping[code]))})" for i, code in enumerate(self.codes)]
        # Every phrase starts with a word character; saying so up front ("(?=\w)") lets the regex engine
        # skip non-word positions quickly, which halves the time of the largest lexicons (same matches), and
        # the prefilter skips most words (none of the phrases begins like them). A phrase that may begin at any
        # word ("(?:\w+ )?waiting for evacuation") is tried in full where the others let a word through.
        phrases = [fold_case(p) for code in self.codes for p in mapping[code]]
        wide = [p for p in phrases if begins_anywhere(p)]
        narrow = [p for p in phrases if p not in wide]

        def at_word(alternatives: list[str], tail: str = suffix) -> str:
            return r"(?=\w)" + prefix + "(?:" + "|".join(alternatives) + ")" + tail

        anywhere = (at_word(narrow), at_word(wide, "")) if wide and narrow else None
        self.regex = prefiltered(at_word(parts), anywhere=anywhere)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """Hits in ``text`` (already passed through :func:`lower_same_length` unless built with ``lower=False``)."""
        end = len(text) if end is None else end
        return [(m.start(), m.end(), self.codes[int(m.lastgroup[1:])])
                for m in self.regex.finditer(text, start, end)]


def _load(name: str) -> dict:
    return load_yaml("hague.reading", f"data/{name}")


@dataclass(frozen=True)
class Lexicons:
    targets: Lexicon
    weapons: Lexicon
    events: Lexicon
    status: Lexicon
    pattern: Lexicon
    parties: Lexicon  # party names written as patterns ("People.s Defen[cs]e Forces?")
    party_names: re.Pattern[str]  # every plain party name in one trie ("Israel", "the Kremlin", "Hamas")
    party_name_codes: dict[str, str]  # plain name (lower case, single spaces) -> party
    forces: Lexicon  # words for forces or attacks ("troops", "airstrike"), where a party adjective may stand before
    party_adjectives: re.Pattern[str]  # "Russian", "Israeli" ... (group 1) ending a window before a force word
    adjective_codes: dict[str, str]  # adjective (lower case, single spaces) -> party
    acronyms: Lexicon  # case-sensitive party acronyms ("IDF", "RSF"), matched on the folded text
    generic_forces: Lexicon  # "the military", "government forces": the generic State actor of the document's country
    generic_state: dict[str, str]  # country code -> the actor that ``generic_forces`` name there
    agent_before: re.Pattern[str]  # ends right before a party that is the author of the act ("carried out by")
    agent_after: re.Pattern[str]  # starts right after a party that is the author ("... claimed responsibility")
    hypothetical: re.Pattern[str]
    still_report: re.Pattern[str]
    demand: re.Pattern[str]  # ends right before an event word a speaker demands to stop ("stop killing")
    war_start: re.Pattern[str]
    other_date: re.Pattern[str]  # ends right before a date of another event ("born in", "the anniversary of")
    not_actor_before: re.Pattern[str]
    accuser_after: re.Pattern[str]


@cache
def actors() -> dict:
    """The armed-actor table (``data/perpetrators.yaml``), parsed once per process for every module that reads it."""
    return _load("perpetrators.yaml")


@cache
def lexicons() -> Lexicons:
    """Every lexicon, compiled once per process."""
    hedges = _load("hedges.yaml")
    perps = actors()
    force = "|".join(perps["force_nouns"])
    fused = "|".join(perps["name_suffix_not_actor"])
    parties: dict[str, list[str]] = {}
    name_codes: dict[str, str] = {}
    acronyms: dict[str, list[str]] = {}
    adjective_codes: dict[str, str] = {}
    for party, forms in perps["parties"].items():
        # Plain names go into one trie for all parties (see :func:`trie_pattern`), the matched phrase saying
        # whose it is; patterned ones ("People.s Defen[cs]e Forces?") stay a lexicon of their own.
        for name in forms.get("names", []):
            phrase = literal(name)
            if phrase:
                name_codes.setdefault(phrase.lower(), party)
        patterned = [n for n in forms.get("names", []) if not literal(n)]
        parties[party] = [f"(?:{'|'.join(patterned)})(?!-(?:{fused})\\b)"] if patterned else []
        acronyms[party] = [f"(?:{'|'.join(forms['acronyms'])})(?!-(?:{fused})\\b)"] if forms.get("acronyms") else []
        for adjective in forms.get("adjective", []):
            adjective_codes.setdefault((literal(adjective) or adjective).lower(), party)
    # An adjective counts only before a word for forces or attacks, at most two words apart ("Russian troops",
    # "Israeli missile", "Ethiopian and Eritrean troops"). The force words are found first (few per document)
    # and the adjective is looked for in the words just before each: one alternation of every party's
    # adjectives tried at every position of the text cost more than all the other lexicons together.
    adjectives = re.compile(r"(?<![\w-])(" + trie_pattern(sorted(adjective_codes)) + r")\s+(?:[\w-]+\s+){0,2}$")
    return Lexicons(
        targets=Lexicon(_load("targets.yaml")),
        weapons=Lexicon(_load("weapons.yaml")),
        events=Lexicon(_load("events.yaml")),
        status=Lexicon(hedges["status"]),
        pattern=Lexicon({"pattern": hedges["pattern"]}),
        parties=Lexicon(parties),
        party_names=re.compile(r"(?=\w)\b(?:" + trie_pattern(sorted(name_codes)) + r")(?!-(?:" + fused + r")\b)\b"),
        party_name_codes=name_codes,
        forces=Lexicon({"force": [force]}),
        party_adjectives=adjectives,
        adjective_codes=adjective_codes,
        acronyms=Lexicon(acronyms, r"(?<![\w-])", r"(?![\w-])", lower=False),
        generic_forces=Lexicon({"generic": perps["generic_forces"]}),
        generic_state={forms["country"]: party for party, forms in perps["parties"].items() if forms.get("generic")},
        agent_before=re.compile(r"\b(?:" + "|".join(perps["agent_before"]) + r")\s+(?:the\s+)?$"),
        agent_after=re.compile("|".join(perps["agent_after"])),
        hypothetical=re.compile(r"(?:" + "|".join(hedges["hypothetical"]) + r")$"),
        still_report=re.compile(r"(?:" + "|".join(hedges["still_report"]) + r")\s*$"),
        demand=re.compile(r"\b(?:" + "|".join(hedges["demand"]) + r")$"),
        war_start=re.compile(r"\b(?:" + "|".join(hedges["war_start"]) + ")"),
        other_date=re.compile(r"\b(?:" + "|".join(hedges["other_date"])
                              + r")\s+(?:(?:on|in|at|the|of|its|his|her|their|this|last|\w+(?:st|nd|rd|th))\s+){0,3}$"),
        not_actor_before=re.compile(r"\b(?:" + "|".join(perps["not_actor_before"]) + r")\s+(?:the\s+)?$"),
        accuser_after=re.compile(r"\s+(?:(?:is|are|was|were|has|have|had)\s+)?(?:"
                                 + "|".join(perps["accuser_after"]) + ")"),
    )


def party_hits(folded: str) -> list[Hit]:
    """Armed actors named in ``folded`` text: names and force phrases (case-blind) and acronyms (case-sensitive),
    in text order. The reports and the statements of one document both ask for the whole text's parties: the
    last few answers are kept (the party lexicons are a fifth of the reading time)."""
    return list(_party_hits(folded))


@lru_cache(maxsize=8)
def _party_hits(folded: str) -> tuple[Hit, ...]:
    lex = lexicons()
    low = lower_same_length(folded)
    hits = lex.parties.find(low) + lex.acronyms.find(folded)
    hits += [(m.start(), m.end(), lex.party_name_codes[" ".join(m.group().split())])
             for m in lex.party_names.finditer(low)]
    for start, end, _ in lex.forces.find(low):
        m = lex.party_adjectives.search(low, max(0, start - _ADJECTIVE_WINDOW), start)
        if m:
            hits.append((m.start(), end, lex.adjective_codes[" ".join(m.group(1).split())]))
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h[0], -h[1])):
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return tuple(kept)


_ADJECTIVE_WINDOW = 60  # characters before a force word where its party adjective may stand


@cache
def target_groups() -> dict[str, str]:
    """Target code -> its GOLD.md group (``data/target_groups.yaml``)."""
    return {code: group for group, codes in _load("target_groups.yaml").items() for code in codes}
