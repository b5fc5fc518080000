"""Date expressions in news copy, found by one regex and resolved as a newsroom means them.

News copy dates events relative to its own publication day: "Friday" is the most recent Friday
on or before that day (the same day when it is a Friday), "last week" is the previous Monday–Sunday
week, "Feb. 23" takes the publication year unless that lands after publication. We find
expressions ourselves and resolve them with a few rules rather than calling dateparser: it is two
orders of magnitude slower, resolves "Monday" on a Monday to a week earlier, and returns points
where news copy means intervals.

Every value is a :class:`DateValue` interval with its granularity, never a bare point, so a reader
can tell "on March 9" from "last week".
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from hague.datafiles import load_yaml
from hague.reading.prefilter import prefiltered
from hague.reading.text import TextDoc, fold


@dataclass(frozen=True)
class DateValue:
    """A day or an interval of days (inclusive) with the granularity the text gave."""

    start: date
    end: date
    granularity: str  # day | week | month | year | interval

    def to_gold(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _day(d: date) -> DateValue:
    return DateValue(d, d, "day")


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2, "a couple of": 2,
    # Vague counts, read as the smallest span that news copy uses them for.
    "few": 3, "a few": 3, "several": 4,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10}

# Month names are matched capitalised only ("march" and "may" are verbs).
_MONTH = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
          r"|Sep(?:t(?:ember)?)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_WEEKDAY_FULL = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = (r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a\s+few|few"
        r"|a\s+couple\s+of)")
_UNIT = r"(?:day|week|month|year)s?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_YEAR = r"(?:19|20)\d\d"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# Between the two days of a range: "28-29 July", "July 28 to 29", "between 28 and 29 July".
_RANGE = r"(?:\s*-\s*|\s+(?i:and|to)\s+)"

# "(?=\w)" first lets the engine skip non-word positions fast, and the prefilter most words (same matches).
_PATTERN = prefiltered(
    r"(?=\w)(?<![\w-])(?:"
    r"(?P<iso>(?P<iy>" + _YEAR + r")-(?P<im>[01]\d)-(?P<id>[0-3]\d))"
    r"|(?i:between\s+)?(?:(?P<rd_d1>" + _DAYNUM + r")" + _RANGE + r"(?P<rd_d2>" + _DAYNUM + r")\s+(?:of\s+)?"
    r"(?P<rd_m>" + _MONTH + r")|(?P<rm_m>" + _MONTH + r")\s+(?P<rm_d1>" + _DAYNUM + r")" + _RANGE
    + r"(?P<rm_d2>" + _DAYNUM + r")(?!\d))(?:,?\s+(?P<r_y>" + _YEAR + r"))?"
    r"|(?P<mi_p>(?i:in|during|throughout)\s+)(?P<mi_m>" + _MONTH + r")(?![\w.]*,?\s+\d)"
    r"|(?P<prep>(?i:since|from|until|till|through|by)\s+)?(?:"
    r"(?:" + _WEEKDAY_FULL + r",?\s+)?(?:"
    r"(?P<md_m>" + _MONTH + r")\s+(?P<md_d>" + _DAYNUM + r")(?!\d)(?:,?\s+(?P<md_y>" + _YEAR + r"))?"
    r"|(?P<dm_d>" + _DAYNUM + r")\s+(?:of\s+)?(?P<dm_m>" + _MONTH + r")(?:,?\s+(?P<dm_y>" + _YEAR + r"))?)"
    r"|(?:(?P<my_q>(?i:early|mid|late))[- ](?:in\s+)?)?(?P<my_m>" + _MONTH + r")(?:,?\s+(?P<my_y>" + _YEAR
    + r")|(?(my_q)|(?!x)x))"
    r")"
    r"|(?P<wd_q>(?i:last|this|past|on|early|late)\s+)?(?P<wd>" + _WEEKDAY_FULL + r")(?P<wd_p>" + _PART + r")"
    r"|(?P<rel>(?i:today|tonight|yesterday|overnight|last\s+night|this\s+(?:morning|afternoon|evening)"
    r"|earlier\s+today|the\s+day\s+before\s+yesterday))"
    r"|(?P<cal_q>(?i:last|this|past|earlier\s+this|later\s+this|the\s+past|the\s+last))\s+(?P<cal_u>week|month|year)"
    r"(?!s)"
    r"|(?P<ago_n>(?i:" + _NUM + r"))\s+(?P<ago_u>" + _UNIT + r")\s+(?i:ago)"
    r"|(?i:(?:in|over|during)\s+)?(?i:the\s+)?(?i:past|last|recent)\s+(?:(?P<past_n>(?i:" + _NUM + r"))\s+)?"
    r"(?P<past_u>(?i:days|weeks|months))"
    r"|(?i:in\s+)?recent\s+(?P<recent_u>days|weeks|months)"
    r"|(?P<ord>(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,4}(?:st|nd|rd|th)))"
    r"\s+day\s+of\s+(?i:the|its|their|his|Russia's|Moscow's)\s+(?P<ord_c>(?i:full-scale\s+|russian\s+)?"
    r"(?:invasion|war|offensive|conflict))"
    r"|(?i:into\s+its\s+)(?P<into>\d{1,4})(?:st|nd|rd|th)\s+day"
    r"|(?P<yr_p>(?i:in|since|during|by)\s+)(?P<yr>" + _YEAR + r")(?![\d-])"
    r")(?![\w])"
)


@lru_cache(maxsize=1)
def _conflicts() -> list[dict]:
    return load_yaml("hague.reading", "data/conflict_starts.yaml")


def _month(token: str) -> int:
    return _MONTHS[token[:3].lower()]


def _num(token: str) -> int:
    token = " ".join(token.lower().split())
    return int(token) if token.isdigit() else _NUMBERS[token]


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _month_span(year: int, month: int) -> DateValue:
    last = calendar.monthrange(year, month)[1]
    return DateValue(date(year, month, 1), date(year, month, last), "month")


def _weekday_on_or_before(base: date, weekday: int, strictly: bool = False) -> date:
    back = (base.weekday() - weekday) % 7
    if back == 0 and strictly:
        back = 7
    return base - timedelta(days=back)


def _with_year(month: int, day: int, year: str | None, base: date | None) -> date | None:
    if year:
        y = int(year)
    elif base is not None:
        y = base.year
    else:
        return None
    try:
        d = date(y, month, day)
    except ValueError:
        return None
    if not year and base is not None and d > base:
        try:
            d = date(y - 1, month, day)
        except ValueError:
            return None
    return d


def _shift_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _conflict_start(noun: str, context: str | None, base: date | None) -> date | None:
    """The start of the conflict the phrase names: by cue words in the context, else the latest that began."""
    noun = noun.lower()
    fitting = [c for c in _conflicts() if any(n.split()[-1] == noun.split()[-1] for n in c["names"])]
    named = _cued(context or "")
    cued = [c for i, c in enumerate(_conflicts()) if i in named and c in fitting]
    pool = cued or fitting
    if base is not None:
        pool = [c for c in pool if c["start"] <= base]
    if not pool:
        return None
    return max(pool, key=lambda c: c["start"])["start"]


@lru_cache(maxsize=8)
def _cued(context: str) -> frozenset[int]:
    """The conflicts (their places in the table) a cue word of which ``context`` holds. The context is the whole
    document, asked again for every "the first day of the war" in it: kept for the last few documents."""
    text = context.lower()
    return frozenset(i for i, cues in enumerate(_cue_patterns()) if cues.search(text))


@lru_cache(maxsize=1)
def _cue_patterns() -> list[re.Pattern[str]]:
    """Per conflict, its cue words as one pattern: one search a conflict, not one a word."""
    return [re.compile(r"\b(?:" + "|".join(re.escape(w) for w in c["cues"]) + r")\b") for c in _conflicts()]


def _resolve_match(m: re.Match[str], base: date | None, context: str | None) -> DateValue | None:
    g = m.groupdict()
    if g["iso"]:
        try:
            return _day(date(int(g["iy"]), int(g["im"]), int(g["id"])))
        except ValueError:
            return None
    if g["rd_m"] or g["rm_m"]:
        return _day_range(g, base)
    if g["md_m"] or g["dm_m"]:
        month = _month(g["md_m"] or g["dm_m"])
        day = int(re.match(r"\d+", g["md_d"] or g["dm_d"]).group())
        d = _with_year(month, day, g["md_y"] or g["dm_y"], base)
        if d is None:
            return None
        return _open_interval(d, g["prep"], base) if g["prep"] else _day(d)
    if g["mi_m"]:  # "in January": the latest January up to the base date
        if base is None:
            return None
        span = _month_span(base.year, _month(g["mi_m"]))
        return span if span.start <= base else _month_span(base.year - 1, span.start.month)
    if g["my_m"]:
        year = g["my_y"]
        if not year and base is None:
            return None
        span = _month_span(int(year) if year else base.year, _month(g["my_m"]))
        if not year and base is not None and span.start > base:
            span = _month_span(base.year - 1, span.start.month)
        q = (g["my_q"] or "").lower()
        if q:
            lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, span.end.day)}[q]
            span = DateValue(span.start.replace(day=lo), span.start.replace(day=hi), "interval")
        return _open_interval(span.start, g["prep"], base) if g["prep"] else span
    if g["yr"]:
        y = int(g["yr"])
        if g["yr_p"].strip().lower() == "since" and base is not None:
            return DateValue(date(y, 1, 1), base, "interval")
        return DateValue(date(y, 1, 1), date(y, 12, 31), "year")
    if base is None:
        return None
    if g["wd"]:
        q = (g["wd_q"] or "").strip().lower()
        weekday = _WEEKDAYS[g["wd"][:3].lower()]
        return _day(_weekday_on_or_before(base, weekday, strictly=q in ("last", "past")))
    if g["rel"]:
        rel = " ".join(g["rel"].lower().split())
        if rel == "yesterday":
            return _day(base - timedelta(days=1))
        if rel == "the day before yesterday":
            return _day(base - timedelta(days=2))
        # "last night" and "overnight" in copy published that day mean the night just ended: the base day.
        return _day(base)
    if g["cal_u"]:
        return _calendar_unit(" ".join(g["cal_q"].lower().split()), g["cal_u"].lower(), base)
    if g["ago_u"]:
        n = _num(g["ago_n"])
        unit = g["ago_u"].lower().rstrip("s")
        if unit == "day":
            if g["ago_n"].lower().split()[-1] in ("several", "few"):  # vague: a two-day span
                return DateValue(base - timedelta(days=n), base - timedelta(days=n - 1), "interval")
            return _day(base - timedelta(days=n))
        if unit == "week":
            d = base - timedelta(weeks=n)
            return DateValue(_monday(d), _monday(d) + timedelta(days=6), "week")
        if unit == "month":
            d = _shift_months(base, -n)
            return _month_span(d.year, d.month)
        return DateValue(date(base.year - n, 1, 1), date(base.year - n, 12, 31), "year")
    if g["past_u"] or g["recent_u"]:
        unit = (g["past_u"] or g["recent_u"]).lower().rstrip("s")
        n = _num(g["past_n"]) if g["past_n"] else 3
        days = {"day": n, "week": 7 * n, "month": 30 * n}[unit]
        return DateValue(base - timedelta(days=days), base, "interval")
    if g["ord"] or g["into"]:
        token = (g["ord"] or g["into"]).lower()
        nth = _ORDINALS.get(token) or int(re.match(r"\d+", token).group())
        start = _conflict_start(g["ord_c"] or "invasion", context, base)
        return None if start is None else _day(start + timedelta(days=nth - 1))
    return None


def _day_range(g: dict[str, str | None], base: date | None) -> DateValue | None:
    """A range of days in one month is the interval it spans; the year, when missing, is the one that
    puts its last day on or before the base."""
    month = _month(g["rd_m"] or g["rm_m"])
    first, last = (int(re.match(r"\d+", g[k]).group()) for k in
                   (("rd_d1", "rd_d2") if g["rd_m"] else ("rm_d1", "rm_d2")))
    end = _with_year(month, last, g["r_y"], base)
    if end is None or first >= last:
        return None
    return DateValue(end.replace(day=first), end, "interval")


def _open_interval(d: date, prep: str, base: date | None) -> DateValue:
    """'since Feb. 23' is the interval from that day to the base day; other prepositions keep the day."""
    if prep.strip().lower() in ("since", "from") and base is not None and d <= base:
        return DateValue(d, base, "interval")
    return _day(d)


def _calendar_unit(qualifier: str, unit: str, base: date) -> DateValue:
    previous = qualifier in ("last", "past", "the past", "the last")
    if unit == "week":
        monday = _monday(base)
        if previous:
            return DateValue(monday - timedelta(days=7), monday - timedelta(days=1), "week")
        return DateValue(monday, base, "week")
    if unit == "month":
        if previous:
            d = _shift_months(base.replace(day=1), -1)
            return _month_span(d.year, d.month)
        return DateValue(base.replace(day=1), base, "month")
    if previous:
        return DateValue(date(base.year - 1, 1, 1), date(base.year - 1, 12, 31), "year")
    return DateValue(date(base.year, 1, 1), base, "year")


def resolve(expr: str, base: date | None, context: str | None = None) -> DateValue | None:
    """Resolve one date expression against ``base``; ``context`` (the document) picks a conflict for
    "the first day of the invasion". Expressions with a year resolve without a base."""
    m = _PATTERN.search(fold(expr))
    return None if m is None else _resolve_match(m, base, context)


_YEARLESS = ("md_m", "dm_m", "rd_m", "rm_m", "mi_m", "my_q")  # a day, days or a month of the calendar ...
_YEAR_GIVEN = ("md_y", "dm_y", "r_y", "my_y")  # ... unless the text gives its year


def resolve_in_year(expr: str, year: int) -> DateValue | None:
    """A day, a range of days or a month that the text gives without its year ("July 29", "28-29 July",
    "in July", "late March"), put in ``year``; None for any other expression, relative ones included ("Friday",
    "last month", "since July 29" need a day to count from, not a year).

    An undated text's "the July 29 attack" is a fact missing only its year, which another source can give."""
    m = _PATTERN.search(fold(expr))
    if m is None or m.group("prep") or not any(m.group(k) for k in _YEARLESS) \
            or any(m.group(k) for k in _YEAR_GIVEN):
        return None
    return _resolve_match(m, date(year, 12, 31), None)


@lru_cache(maxsize=64)
def _document_year_base(folded: str) -> date | None:
    """A stand-in base for undated documents: the latest full date (with a year) the text gives."""
    best = None
    for m in _PATTERN.finditer(folded):
        if m.group("iso") or m.group("md_y") or m.group("dm_y") or m.group("r_y"):
            v = _resolve_match(m, None, None)
            if v is not None and (best is None or v.start > best):
                best = v.start
    return best


def stand_in_base(doc: TextDoc) -> date | None:
    """For an undated document, the latest full date (with a year) its text gives, else None."""
    return _document_year_base(doc.folded)


def find_dates(doc: TextDoc, start: int, end: int) -> list[tuple[int, int, DateValue]]:
    """Date expressions inside ``[start, end)``, each resolved against ``doc.base_date(offset)``.

    An undated document resolves month-day expressions ("July 31") against the latest full date it
    gives, so a year still comes from the text; relative expressions stay unresolved there.
    """
    hits, starts = _document_dates(doc)
    return hits[bisect_left(starts, start):bisect_left(starts, end)]


def _document_dates(doc: TextDoc) -> tuple[list[tuple[int, int, DateValue]], list[int]]:
    """Every resolved date expression of the document, found in one pass and kept on the document:
    callers ask for many overlapping windows, and one scan is far cheaper than one per window."""
    if "dates" not in doc.memo:
        folded = doc.folded
        out = []
        for m in _PATTERN.finditer(folded):
            base = doc.base_date(m.start())
            if base is None and any(m.group(k) for k in ("md_m", "dm_m", "my_m", "rd_m", "rm_m")):
                base = _document_year_base(folded)
                if base is not None and not any(m.group(k) for k in ("md_y", "dm_y", "my_y", "r_y")):
                    base = base.replace(month=12, day=31)
            value = _resolve_match(m, base, folded)
            if value is not None:
                out.append((m.start(), m.end(), value))
        doc.memo["dates"] = (out, [h[0] for h in out])
    return doc.memo["dates"]


def expressions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of date expressions in ``text[start:end]`` without resolving them (to tell a time phrase
    from a clause, e.g. after "said" in "..., the ministry said on 25 July 2023")."""
    return [m.span() for m in _PATTERN.finditer(text, start, end)]
