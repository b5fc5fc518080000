"""Casualty counts in English news copy: "killing four and injuring 10", "at least 50 people died".

Counts are read only next to a death or injury word, so "a city of 400,000 people" is not a toll.
Vague counts ("hundreds", "dozens") give no integer but are kept as text, as GOLD.md asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from hague.datafiles import load_yaml
from hague.reading.lexicon import lower_same_length


@dataclass(frozen=True, slots=True)
class Count:
    start: int
    end: int
    kind: str  # killed | injured
    value: int | None  # None for a vague count
    text: str  # the count as written, with its qualifier ("at least 50")


_DEATH = r"(?:killed|dead|died|feared dead|deaths|bodies|lost their lives|buried|perished|slain|were killed)"
_HURT = r"(?:wounded|injured|hurt|injuries)"
_KILL_VERB = r"(?:kill(?:ing|ed|s)?|claim(?:ed|ing)? the lives of|left)"
_HURT_VERB = r"(?:injur(?:ing|ed|es)|wound(?:ing|ed|s))"
_GAP = r"(?:(?!and\b|or\b|killed\b|dead\b)[a-z][\w'-]*,?\s+){0,5}?"
_AUX = (r"(?:(?:were|was|have been|had been|are|is|have|had|being|been|reportedly|were reportedly|later)"
        r"\s+){0,3}")


class CasualtyReader:
    def __init__(self) -> None:
        data = load_yaml("hague.reading", "data/numbers.yaml")
        self.units: dict[str, int] = data["units"]
        self.multipliers: dict[str, int] = data["multipliers"]
        words = sorted([*self.units, *data["vague"]], key=len, reverse=True)
        num = (r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?:million|thousand))?|"
               + "|".join(re.escape(w) for w in words)
               + r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?")
        qual = "|".join(re.escape(q) for q in sorted(data["qualifiers"], key=len, reverse=True))
        count = rf"(?P<count>(?:(?:{qual})\s+)?(?P<num>{num}))"
        self.patterns = [
            ("killed", re.compile(rf"\b{_KILL_VERB}\s+{count}(?!\s+(?:{_HURT}|injuries))\b")),
            ("killed", re.compile(rf"\b{count}\s+{_GAP}{_AUX}{_DEATH}\b")),
            ("killed", re.compile(rf"\bdeath toll\s+(?:\w+\s+){{0,4}}?(?:to|of|at|is|was)\s+{count}\b")),
            ("injured", re.compile(rf"\b{_HURT_VERB}\s+{count}\b")),
            ("injured", re.compile(rf"\b{count}\s+{_GAP}{_AUX}{_HURT}\b")),
        ]

    def value(self, num: str) -> int | None:
        num = num.lower().replace(",", "")
        if num in self.units:
            return self.units[num]
        parts = num.split()
        mult = self.multipliers.get(parts[-1], 1) if len(parts) > 1 else 1
        head = parts[0] if mult > 1 else num
        if re.fullmatch(r"\d+(?:\.\d+)?", head):
            return int(float(head) * mult)
        if head in self.units:
            return self.units[head]
        tens, _, unit = head.partition("-")
        if tens in self.units and unit in self.units:
            return self.units[tens] + self.units[unit]
        return None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Count]:
        end = len(text) if end is None else end
        low = lower_same_length(text)
        out: list[Count] = []
        for kind, pattern in self.patterns:
            for m in pattern.finditer(low, start, end):
                out.append(Count(m.start("count"), m.end("count"), kind, self.value(m.group("num")),
                                 text[m.start("count"):m.end("count")]))
        return sorted(set(out), key=lambda c: c.start)


@cache
def reader() -> CasualtyReader:
    return CasualtyReader()


def find_counts(text: str, start: int = 0, end: int | None = None) -> list[Count]:
    """Casualty counts in ``text[start:end]``, offsets into ``text``."""
    return reader().find(text, start, end)
