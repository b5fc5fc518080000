"""Casualty counts in English news copy: "killing four and injuring 10", "at least 50 people died".

Counts are read only next to a death or injury word, and a number of people who live somewhere ("a town of
20,000 people") is never a toll. A count the copy calls a running total ("killed over the past 12 months",
"since the war began", "bringing the toll to") is marked ``cumulative``: it sums up a course of conduct and
is not the toll of the event its sentence tells. Vague counts ("hundreds", "dozens") give no integer but are
kept as text, as GOLD.md asks.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from hague.datafiles import load_yaml
from hague.reading.lexicon import lower_same_length
from hague.reading.prefilter import prefiltered


@dataclass(frozen=True, slots=True)
class Count:
    start: int
    end: int
    kind: str  # killed | injured
    value: int | None  # None for a vague count
    text: str  # the count as written, with its qualifier ("at least 50")
    cumulative: bool = False  # a running total over a period, not one event's toll


_DEATH = r"(?:killed|dead|died|feared dead|deaths|bodies|lost their lives|buried|perished|slain|were killed)"
_HURT = r"(?:wounded|injured|hurt|injuries)"
_KILL_VERB = r"(?:kill(?:ing|ed|s)?|claim(?:ed|ing)? the lives of|left)"
_HURT_VERB = r"(?:injur(?:ing|ed|es)|wound(?:ing|ed|s))"
_GAP = r"(?:(?!and\b|or\b|killed\b|dead\b)[a-z][\w'-]*,?\s+){0,5}?"
_AUX = (r"(?:(?:were|was|have been|had been|are|is|have|had|being|been|reportedly|were reportedly|later)"
        r"\s+){0,3}")


# "March 3 ceasefire, shelling killed two": a day of the month is not a count; nor is "one of" ("buried at one of
# the cemeteries").
_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$")
# Where the words about a count end: its sentence, a dash, or a new clause ("..., according to", "..., marking").
_SENTENCE_END = re.compile(r"[.!?;]\s|\n|\s[\u2014\u2013-]+\s|,\s+(?:bringing|raising|pushing|taking|lifting|according|"
                           r"marking|making|which|said|says|the\s+\w+\s+said)\b")


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
        self.cumulative_after = re.compile("|".join(data["cumulative_after"]))
        self.cumulative_before = re.compile("(?:" + "|".join(data["cumulative_before"]) + ")")
        self.not_cumulative = re.compile(data["not_cumulative"])
        self.population_before = re.compile(data["population_before"])
        self.population_after = re.compile(data["population_after"])
        # Each is run over the whole document: the prefilter skips the words no count or verb begins like.
        self.patterns = [
            ("killed", prefiltered(rf"\b{_KILL_VERB}\s+{count}(?!\s+(?:{_HURT}|injuries))\b")),
            ("killed", prefiltered(rf"\b(?!one\s+of\b){count}\s+{_GAP}{_AUX}{_DEATH}\b")),
            ("killed", prefiltered(rf"\bdeath toll\s+(?:[\w'-]+\s+){{0,4}}?(?:to|of|at|is|was)\s+{count}\b")),
            ("injured", prefiltered(rf"\b{_HURT_VERB}\s+{count}\b")),
            ("injured", prefiltered(rf"\b{count}\s+{_GAP}{_AUX}{_HURT}\b")),
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
        found: set[tuple[int, int, str, str]] = set()
        for kind, pattern in self.patterns:
            for m in pattern.finditer(low, start, end):
                s, e = m.start("count"), m.end("count")
                if not self._population(low, s, m.end("num")) and not _MONTH_BEFORE.search(low, max(0, s - 12), s):
                    found.add((s, e, kind, m.group("num")))
        found_sorted = sorted(found)
        starts = sorted({f[0] for f in found_sorted})
        out = []
        for s, e, kind, num in found_sorted:
            cumulative = self._cumulative(low, s, e, starts)
            out.append(Count(s, e, kind, self.value(num), text[s:e], cumulative))
        return out

    def _population(self, low: str, start: int, num_end: int) -> bool:
        return bool(self.population_before.search(low, max(0, start - 40), start)
                    or self.population_after.match(low[num_end:num_end + 40]))

    def _cumulative(self, low: str, start: int, end: int, starts: list[int]) -> bool:
        """Whether the words after the count (up to the next count or the end of its sentence) or just before
        it call it a running total."""
        sentence_start = max(low.rfind(". ", 0, start), low.rfind("\n", 0, start), low.rfind("; ", 0, start)) + 1
        earlier = bisect_left(starts, start)
        floor = max(sentence_start, starts[earlier - 1] if earlier else 0, start - 120)
        if self.cumulative_before.search(low, floor, start):
            return True
        ceil = min(len(low), end + 160)
        later = bisect_right(starts, start)
        if later < len(starts):
            ceil = min(ceil, starts[later])
        stop = _SENTENCE_END.search(low, end, ceil)
        if stop:
            ceil = stop.start()
        for m in self.cumulative_after.finditer(low, end, ceil):
            if not self.not_cumulative.search(low, max(end, m.start() - 40), m.start()):
                return True
        return False


@cache
def reader() -> CasualtyReader:
    return CasualtyReader()


def find_counts(text: str, start: int = 0, end: int | None = None) -> list[Count]:
    """Casualty counts in ``text[start:end]``, offsets into ``text``."""
    return reader().find(text, start, end)
