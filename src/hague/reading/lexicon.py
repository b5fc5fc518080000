"""Phrase lexicons kept as data (``data/*.yaml``), each compiled into one regex for a single pass.

A lexicon maps a code (a GOLD.md target or weapon code, an event type, a status, a party) to
regex fragments. :meth:`Lexicon.find` scans a whole document once and returns ``(start, end, code)``
hits; callers bucket them by clause. One alternation per lexicon keeps reading fast whatever the
number of phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from hague.datafiles import load_yaml

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


class Lexicon:
    """Codes and their phrases as one word-bounded regex, matched against lower-cased text."""

    def __init__(self, mapping: dict[str, list[str]], prefix: str = r"\b", suffix: str = r"\b") -> None:
        self.codes = list(mapping)
        parts = [f"(?P<g{i}>{'|'.join(mapping[code]).lower()})" for i, code in enumerate(self.codes)]
        # Every phrase starts with a word character; saying so up front ("(?=\w)") lets the regex engine
        # skip non-word positions quickly, which halves the time of the largest lexicons (same matches).
        self.regex = re.compile(r"(?=\w)" + prefix + "(?:" + "|".join(parts) + ")" + suffix)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """Hits in ``text`` (already passed through :func:`lower_same_length`)."""
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
    parties: Lexicon
    hypothetical: re.Pattern[str]
    still_report: re.Pattern[str]
    war_start: re.Pattern[str]
    not_actor_before: re.Pattern[str]
    accuser_after: re.Pattern[str]


@cache
def lexicons() -> Lexicons:
    """Every lexicon, compiled once per process."""
    hedges = _load("hedges.yaml")
    perps = _load("perpetrators.yaml")
    force = "|".join(perps["force_nouns"])
    fused = "|".join(perps["name_suffix_not_actor"])
    parties: dict[str, list[str]] = {}
    for party, forms in perps["parties"].items():
        adjectives = "|".join(forms.get("adjective", []))
        names = "|".join(forms.get("names", []))
        parties[party] = [f"(?:{adjectives})\\s+(?:[\\w-]+\\s+){{0,2}}(?:{force})" if adjectives else "(?!)",
                          f"(?:{names})(?!-(?:{fused})\\b)" if names else "(?!)"]
    return Lexicons(
        targets=Lexicon(_load("targets.yaml")),
        weapons=Lexicon(_load("weapons.yaml")),
        events=Lexicon(_load("events.yaml")),
        status=Lexicon(hedges["status"]),
        pattern=Lexicon({"pattern": hedges["pattern"]}),
        parties=Lexicon(parties),
        hypothetical=re.compile(r"(?:" + "|".join(hedges["hypothetical"]) + r")$"),
        still_report=re.compile(r"(?:" + "|".join(hedges["still_report"]) + r")\s*$"),
        war_start=re.compile(r"\b(?:" + "|".join(hedges["war_start"]) + ")"),
        not_actor_before=re.compile(r"\b(?:" + "|".join(perps["not_actor_before"]) + r")\s+(?:the\s+)?$"),
        accuser_after=re.compile(r"\s+(?:(?:is|are|was|were|has|have|had)\s+)?(?:"
                                 + "|".join(perps["accuser_after"]) + ")"),
    )


@cache
def target_groups() -> dict[str, str]:
    """Target code -> its GOLD.md group (``data/target_groups.yaml``)."""
    return {code: group for group, codes in _load("target_groups.yaml").items() for code in codes}
