"""Reports: what happened, as one document tells it (GOLD.md ``reports``).

The document is cut into clauses. A clause *mentions* an incident when it reports an event (an
attack, a seizure, a killing ...), not a hypothesis or a rule, and says something about it: a
target, a weapon, a casualty count, a place or a party. Mentions are then grouped into incidents
(one report each): mentions of the same site, the same specific target, or a definite back-reference
("the strike", "the blast") join the incident they refer to; courses of conduct ("since", "continue to",
"reports of") group separately from discrete events. Every field of a report is read from the clauses
of its evidence, with the span it rests on.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from hague.datafiles import load_yaml
from hague.reading.casualties import Count, find_counts
from hague.reading.dates import DateValue, expressions, find_dates, resolve, resolve_in_year
from hague.reading.fields import Field, Report, Span
from hague.reading.lexicon import Hit, actors, lexicons, lower_same_length, party_hits, target_groups
from hague.reading.places import DATELINE, PlaceMention, find_places, gazetteer, locates
from hague.reading.prefilter import prefiltered
from hague.reading.text import TextDoc

# Targets that are people, not sites: they describe victims and never identify an incident.
GENERIC_TARGETS = {"civilians", "civilians_fleeing", "children", "journalists", "facility_staff",
                   "medical_personnel",
                   "humanitarian_personnel", "residential_area", "residential_building", "telecom"}
SPECIFIC_WEAPONS = {"cluster_munition", "thermobaric", "incendiary", "chemical"}
EVENT_PRIORITY = ["weapon_use", "attack", "killing", "seizure", "detention", "interference", "other", "displacement"]
STATUS_PRIORITY = ["denied", "unconfirmed", "confirmed", "alleged", "reported"]
# A purpose clause ("... to hide the torture of prisoners") reports a different incident from its head, as does
# what a witness is said to have told ("... on Tuesday, according to medics who said soldiers blocked ...") and each
# of a list of demands ("stop restricting aid, stop killing civilians").
_CLAUSE_BREAK = prefiltered(r";\s+|,\s+(?=(?:nor|but|while|whereas)\b)|\s+-\s+"
                           r"|\s+\"?(?=(?:in order )?to (?:hide|conceal|cover up)\b)"
                           r"|\s+(?=who (?:said|say|says|told|reported)\b)"
                           r"|,\s+(?=when\s)"
                           r"|,?\s+(?:and\s+)?(?=similar to (?:the )?(?:one|those)\b)"
                           r"|[\s,]+(?:and\s+)?(?=(?:to\s+)?\"?(?:stop|end|halt)\s+(?:the\s+)?\w+(?:ing|s)\b)")
_ANAPHOR = re.compile(r"\b(?:the|this|that|its|(?:mon|tues|wednes|thurs|fri|satur|sun)day's)\s+"
                      r"(?:deadly\s+|reported\s+|russian\s+|israeli\s+|missile\s+|rocket\s+|hospital\s+)?"
                      r"(?:attacks?|strikes?|airstrikes?|blast|explosion|bombing|shelling|incident|tragedy|massacre|"
                      r"site|facility|station|hospital|plant|building)\b", re.I)
# A clause that opens on a back-reference ("The blast killed ...") continues the latest incident, whatever
# other sites it names.
_LEAD_ANAPHOR = re.compile(r"\W*(?:the|this|that)\s+(?:deadly\s+|reported\s+|latest\s+)?(?:attack|strike|airstrike|"
                           r"blast|explosion|bombing|shelling|massacre|incident|tragedy)\b", re.I)
# An event word under negation or denial ("hadn't launched", "denied targeting") adds to an incident already
# reported but never reports one of its own.
_NEGATED = re.compile(r"(?:n't|\bnot|\bnever|\bden(?:y|ies|ied|ying)|\brejected|\brefuted)\s+(?:[\w-]+\s+){0,4}$")
# A date right after a speech verb dates the statement, not the incident ("said on Monday", "a statement issued
# on July 31").
_SPEECH_DATE = re.compile(r"\b(?:said|says|told|announced|stated|added|wrote|tweeted|declared|confirmed|denied|"
                          r"admitted|acknowledged|claimed|reported|accused|blamed|condemned|insisted|warned|"
                          r"issued|released|published|posted)\s+(?:(?:on|late|early|last|this)\s+)?$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A person named as a speaker or witness ("doctors said", "journalists, who documented") or as absent ("no
# patients or medics") is not a victim of the clause's event, nor is a need ("water supplies running low") or
# a shield ("turning neighbourhoods into human shields").
_NOT_VICTIM_AFTER = re.compile(r"(?:\s+(?:at|in|from|with)\s+(?:the\s+|a\s+|an\s+)?(?:[\w'-]+\s+){0,3}?[\w'-]+)?"
                               r",?\s+(?:who\s+(?:\w+\s+){0,2})?(?:said|says|say|told|tweeted|wrote|documented|"
                               r"described|reporting|reported)\b")
_NOT_VICTIM_BEFORE = re.compile(r"(?:\bby|\bno(?:\s+\w+\s+or)?)\s+(?:[a-z]+\s+)?$")
_NOT_STRUCK_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:into|as)\s+(?:human\s+)?shields\b"
                               r"|\s+(?:(?:is|are|was|were)\s+)?running\s+(?:\w+\s+)?(?:low|short|out)\b"
                               r"|\s+(?:shortages?|ran\s+out)\b")
_NOT_STRUCK_BEFORE = re.compile(r"\b(?:shortages?\s+of|lack\s+of|without)\s+(?:[a-z]+\s+)?$")
_ORIGIN_BEFORE = re.compile(r"\b(?:from|(?:surrendered|captured|taken prisoner|defenders)\b[^.;]{0,30}?\b(?:at|in|of))"
                            r"\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}$")
# A hospital that gives the figures ("the hospital had confirmed 70 deaths") or where victims are cared for ("bodies
# taken to the hospital", "treating dozens at a Mekelle hospital") was not struck.
_SOURCE_AFTER = re.compile(r",?\s+(?:(?:had|has|have)\s+)?(?:said|says|say|confirmed|reported|told|recorded)\b")
_CARE_BEFORE = re.compile(r"\b(?:treat(?:ed|ing|s)?|taken|brought|rushed|sent|admitted|transferred|bodies|dead|"
                          r"morgue)\b[^.;]{0,50}?\b(?:at|to|in)\s+(?:the\s+|a\s+|an\s+)?(?:[\w'-]+\s+){0,4}$")
_DAY = re.compile(r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day"
                  r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2})\b", re.I)
_LEAD_PARAGRAPHS = 3
_LIST_KINDS = 3  # headline, dateline and lead: where wire copy reports the day's events
# "the airstrike" names one event, whatever course of conduct the clause also describes.
_ONE_EVENT = re.compile(r"\b(?:the|this|that)\s+(?:[\w-]+\s+)?(?:attack|strike|airstrike|air strike|blast|explosion|"
                        r"bombing)\b(?!s)", re.I)
# "A similar attack", "in a separate strike", "last month's bombing", "similar to one that hit ...": the clause tells
# another event than the one before it, whatever it shares with it.
_OTHER_EVENT = re.compile(r"\bsimilar\s+to\s+(?:the\s+)?(?:one|those)\b"
                          r"|\b(?:another|a\s+separate|separate|a\s+similar|similar|an\s+earlier|earlier|a\s+previous|"
                          r"previous|a\s+later|(?:last|the\s+previous)\s+(?:week|month|year)'s)\s+(?:[\w-]+\s+)?"
                          r"(?:attacks?|strikes?|airstrikes?|air\s+strikes?|bombings?|raids?|massacres?|incidents?)\b",
                          re.I)
# A transcript's speaker label ("SECRETARY BLINKEN:", "MR. PRICE:"): what follows is that speaker's account.
_SPEAKER_LABEL = re.compile(r"[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*){1,2}: +[A-Z\"]?[^A-Z\n]*[a-z]")
_KIND_RANK = {"facility": 4, "village": 3, "city": 2, "region": 1, "country": 0}


@dataclass
class Mention:
    """One clause that reports (part of) an incident, with what the lexicons found in it."""

    start: int
    end: int
    event: str
    targets: list[Hit]
    weapons: list[Hit]
    counts: list[Count]
    places: list[PlaceMention]
    parties: list[Hit]
    status: list[Hit]
    pattern: bool
    anaphoric: bool
    leads_back: bool = False  # opens on a back-reference
    negated: bool = False  # the event is denied or negated here
    other: bool = False  # tells another event than the one before it ("a similar attack")
    agents: frozenset[str] = frozenset()  # parties syntax makes the authors of the act ("US warships fired ...")
    bare: bool = False  # only demands that conduct stop ("Stop the killings!"): adds to an incident, never starts one
    home: frozenset[str] = frozenset()  # the country (or countries) the document reports from

    @property
    def key_targets(self) -> set[str]:
        site_targets = {c for p in self.places for c in p.place.targets}
        return ({t[2] for t in self.targets} | site_targets) - GENERIC_TARGETS

    @property
    def site(self) -> str | None:
        return next((p.place.name for p in self.places if p.place.kind == "facility"), None)

    @property
    def city(self) -> str | None:
        return next((p.place.name for p in self.places
                     if p.place.kind in ("city", "village") and p.place.country in self.home), None)


@dataclass
class Incident:
    mentions: list[Mention] = field(default_factory=list)

    @property
    def event(self) -> str:
        return self.mentions[0].event

    @property
    def pattern(self) -> bool:
        return self.mentions[0].pattern

    @property
    def site(self) -> str | None:
        return next((m.site for m in self.mentions if m.site), None)

    @property
    def city(self) -> str | None:
        return next((m.city for m in self.mentions if m.city), None)

    @property
    def key_targets(self) -> set[str]:
        return set().union(*(m.key_targets for m in self.mentions))

    @property
    def weapons(self) -> set[str]:
        return {w[2] for m in self.mentions for w in m.weapons}

    @property
    def agents(self) -> frozenset[str]:
        return frozenset().union(*(m.agents for m in self.mentions))


def _clauses(doc: TextDoc) -> list[Span]:
    out: list[Span] = []
    for s, e in doc.sentences:
        cur = s
        for m in _CLAUSE_BREAK.finditer(doc.folded, s, e):
            if m.start() > cur:
                out.append((cur, m.start()))
            cur = m.end()
        if e > cur:
            out.append((cur, e))
    return out


def _within(hits: list, starts: list[int], span: Span) -> list:
    i = bisect_left(starts, span[0])
    j = bisect_left(starts, span[1])
    return hits[i:j]


class _Scan:
    """Every lexicon hit in the document, found once, then sliced per clause."""

    def __init__(self, doc: TextDoc) -> None:
        lex = lexicons()
        text = lower_same_length(doc.folded)
        self.doc = doc
        self.low = text
        self.events = [h for h in lex.events.find(text)
                       if not (self._hypothetical(text, h[0]) or _generic_after().match(text, h[1]))]
        self.status = lex.status.find(text)
        self.pattern = lex.pattern.find(text)
        self.counts = find_counts(doc.folded)
        self.places = find_places(doc)
        self.parties = self._find_parties(text)
        party_spans = [(s, e) for s, e, _ in self.parties]
        self.places = [p for p in self.places
                       if locates(text, p) and not any(s <= p.start < e for s, e in party_spans)
                       and not (p.place.kind == "facility" and self.origin(p.start))]
        self.datelines = {p.start for p in self.places if _in_dateline(doc, p.start)}
        home = _main_country([p for p in self.places if p.start not in self.datelines])
        self.home = frozenset({home} if home else ())
        self._starts = {name: [h[0] for h in getattr(self, name)] for name in
                        ("events", "parties", "status", "pattern")}
        self._starts["counts"] = [c.start for c in self.counts]
        self._starts["places"] = [p.start for p in self.places]
        self.spoken = _spoken(doc)
        self.stand_in = None if doc.published is not None else _latest_full_date(doc)
        years = [int(y) for y in _YEAR.findall(doc.folded)] if doc.published is None else []
        self.year_end = date(max(years), 12, 31) if years else None

    def _find_parties(self, low: str) -> list[Hit]:
        """Armed actors named in the document: names and force phrases, acronyms, and generic phrases ("the
        military", "government forces") standing for the State of the country the document is about."""
        lex = lexicons()
        named = party_hits(self.doc.folded)
        state = lex.generic_state.get(_main_country(self.places) or "")
        if state:
            named += [(s, e, state) for s, e, _ in lex.generic_forces.find(low)
                      if not any(a < e and s < b for a, b, _ in named)]
        return sorted(h for h in named if self._actor(low, h))

    @staticmethod
    def _actor(text: str, hit: Hit) -> bool:
        """Whether a party name stands for who acted: not where ("dead in Israel"), whom it hit ("killed
        Ukrainian soldiers") or who accuses ("the Ukrainian side is accusing ...")."""
        lex = lexicons()
        return not (lex.not_actor_before.search(text, max(0, hit[0] - 30), hit[0])
                    or lex.accuser_after.match(text, hit[1]))

    @staticmethod
    def _hypothetical(text: str, start: int) -> bool:
        lex = lexicons()
        before = text[max(0, start - 30):start]
        return bool(lex.hypothetical.search(before)) and not lex.still_report.search(before)

    def get(self, name: str, span: Span) -> list:
        return _within(getattr(self, name), self._starts[name], span)

    def scan(self, name: str, span: Span) -> list[Hit]:
        """Hits of the ``targets`` or ``weapons`` lexicon in one clause; the document is scanned once per
        lexicon, on first need (one pass over the text is cheaper than one per clause)."""
        if name not in self._starts:
            hits = getattr(lexicons(), name).find(self.low)
            setattr(self, name, hits)
            self._starts[name] = [h[0] for h in hits]
        return [h for h in self.get(name, span) if h[1] <= span[1]]

    def origin(self, start: int) -> bool:
        """Whether a site at ``start`` is where the victims came from, not where the event happened ("prisoners
        transferred from the steelworks", "fighters who surrendered in May at the steel plant")."""
        return bool(_ORIGIN_BEFORE.search(self.low, max(0, start - 60), start))

    def elsewhere(self, hit: Hit) -> bool:
        """Whether a site names where the victims came from or are cared for, or who gives the figures, not what was
        struck; such a site does not identify the incident either."""
        group = target_groups().get(hit[2])
        if group != "persons" and self.origin(hit[0]):
            return True
        return group == "medical" and hit[2] != "medical_personnel" and bool(
            _SOURCE_AFTER.match(self.low, hit[1]) or _CARE_BEFORE.search(self.low, max(0, hit[0] - 80), hit[0]))

    def hit_or_harmed(self, hit: Hit) -> bool:
        """Whether a target stands for what the clause's event struck or harmed, not a speaker, a witness,
        someone absent, a supply that runs short, or the site the victims came from."""
        text = self.low
        if _NOT_STRUCK_AFTER.match(text, hit[1]) or _NOT_STRUCK_BEFORE.search(text, max(0, hit[0] - 30), hit[0]):
            return False
        if self.elsewhere(hit):
            return False
        if target_groups().get(hit[2]) != "persons" and hit[2] != "medical_personnel":
            return True
        return not (_NOT_VICTIM_AFTER.match(text, hit[1])
                    or _NOT_VICTIM_BEFORE.search(text, max(0, hit[0] - 30), hit[0]))


@cache
def _author_unknown() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(actors()["author_unknown"]) + ")")


@cache
def _generic_after() -> re.Pattern[str]:
    """Starts right after an event word that a rule is stated about ("targeting civilians is a war crime")."""
    return re.compile("|".join(load_yaml("hague.reading", "data/hedges.yaml")["generic_after"]))


def _spoken(doc: TextDoc) -> list[Span]:
    """Stretches a speaker tells rather than the document: quotations, and a transcript from its first
    speaker label on."""
    out: list[Span] = []
    text = doc.folded
    quotes = [m.start() for m in re.finditer('"', text)]
    for start, end in doc.paragraphs:
        if _SPEAKER_LABEL.match(text, start):
            out.append((start, len(text)))
            break
        marks = quotes[bisect_left(quotes, start):bisect_left(quotes, end)]
        marks.append(end)  # an unclosed quotation runs to the end of its paragraph
        out.extend(zip(marks[::2], marks[1::2], strict=False))
    return out


def _latest_full_date(doc: TextDoc) -> date | None:
    """The latest day the text gives with its year, standing in for a missing publication date."""
    days = [v.start for s, e, v in find_dates(doc, 0, len(doc.text))
            if v.granularity == "day" and _YEAR.search(doc.folded, s, e)]
    return max(days, default=None)


def _mention(scan: _Scan, span: Span) -> Mention | None:
    events = [h for h in scan.get("events", span) if h[2] != "casualty"]
    counts = scan.get("counts", span)
    casualty = [h for h in scan.get("events", span) if h[2] == "casualty"]
    # A demand that conduct stop ("stop this indiscriminate killing") alleges a course of conduct by itself.
    demanded = [h for h in events + casualty if lexicons().demand.search(scan.low, max(span[0], h[0] - 40), h[0])]
    if not events and not (counts and casualty) and not demanded:
        return None
    targets = scan.scan("targets", span)
    away = [t for t in targets if scan.elsewhere(t)]
    targets = [t for t in targets if t not in away]
    weapons = scan.scan("weapons", span)
    # "Doctors at a Mekelle hospital": the town of a hospital that cares for the victims is not where it happened.
    places = [p for p in scan.get("places", span) if not any(0 < t[0] - p.end <= 2 for t in away)]
    parties = scan.get("parties", span)
    has_site = any(p.place.kind != "country" for p in places)
    text = scan.doc.folded[span[0]:span[1]]
    anaphoric = bool(_ANAPHOR.search(text))
    # Killings with their dead ("bodies unearthed where dozens of killings were documented") need nothing more.
    killed = any(h[2] == "killing" for h in events) and bool(casualty)
    if not (targets or weapons or counts or has_site or anaphoric or demanded or killed):
        return None
    # What a demand asks to stop is the clause's event ("stop killing civilians"), whatever else it names.
    kinds = ({"killing" if h[2] == "casualty" else h[2] for h in demanded} or {h[2] for h in events}
             or {"attack"})
    if kinds == {"other"} and counts and casualty and not demanded:
        kinds = {"attack"}  # a toll tells an attack, whatever deprivation the clause also names
    event = next(e for e in EVENT_PRIORITY if e in kinds or e == "displacement")
    plural_targets = all(t[2] in GENERIC_TARGETS or _text_of(scan, t).lower().endswith("s") for t in targets)
    # A list of kinds of site in the plural ("destroyed apartment buildings, schools, hospitals") is a
    # course of conduct even without a cue such as "since" or "continue to".
    listed = len({t[2] for t in targets} - GENERIC_TARGETS) >= _LIST_KINDS
    one_event = _has_facility(places) or bool(_ONE_EVENT.search(text))
    # A running total ("killed 1,200 over the past year") sums up a course of conduct.
    totals = bool(counts) and all(c.cumulative for c in counts)
    if event == "weapon_use" and _DAY.search(text) and any(p.place.kind != "country" for p in places):
        event = "attack"  # "used chemical weapons to inflict the carnage Saturday in Douma": one attack
    pattern = event == "weapon_use" or bool(demanded) or (
        ((bool(scan.get("pattern", span)) or listed) and plural_targets or totals) and not one_event)
    first = min((h[0] for h in events), default=span[0])
    negated = bool(events) and bool(_NEGATED.search(scan.low, max(span[0], first - 40), first))
    return Mention(span[0], span[1], event, targets, weapons, counts, places, parties,
                   scan.get("status", span), pattern, anaphoric, bool(_LEAD_ANAPHOR.match(text)), negated,
                   home=scan.home, other=bool(_OTHER_EVENT.search(text)),
                   bare=bool(demanded) and not (targets or weapons or counts or has_site),
                   agents=frozenset(h[2] for h in parties if _agentive(scan, h)))


def _groups(codes: set[str]) -> set[str]:
    groups = target_groups()
    return {groups.get(c, c) for c in codes}


def _text_of(scan: _Scan, hit: Hit) -> str:
    return scan.doc.folded[hit[0]:hit[1]]


def _has_facility(places: list[PlaceMention]) -> bool:
    return any(p.place.kind == "facility" for p in places)


def _places_compatible(a: Mention, inc: Incident) -> bool:
    city_clash = a.city and inc.city and a.city != inc.city
    return not city_clash and not (a.site and inc.site and a.site != inc.site)


def _affinity(m: Mention, inc: Incident) -> int:
    """How strongly ``m`` ties to ``inc``: 3 same site, 2 same kind of target or weapon use, 1 neither
    names anything distinctive, 0 cannot be the same incident."""
    if inc.event != m.event or inc.pattern != m.pattern or not _places_compatible(m, inc):
        return 0
    agents = inc.agents
    if m.agents and agents and not m.agents & agents:
        return 0  # another party's act ("US warships fired ...") after a chemical attack laid on the government
    if inc.pattern and (m.city is None) != (inc.city is None):
        return 0  # conduct in one city (a siege) is not the conduct across the country
    if m.site and m.site == inc.site:
        return 3
    if _groups(m.key_targets) & _groups(inc.key_targets):
        return 2
    if m.event == "weapon_use":
        return 2 if {w[2] for w in m.weapons} == inc.weapons else 0
    if inc.pattern and not (m.key_targets and inc.key_targets):
        return 1
    weak_m = not m.site and not m.key_targets
    weak_inc = not inc.site and not inc.key_targets
    return 1 if weak_m or weak_inc else 0


_VIOLENT = ("attack", "killing", "weapon_use")  # events a back-reference ("the blast", "the massacre") can tell


def _join(m: Mention, incidents: list[Incident]) -> Incident | None:
    """The incident ``m`` belongs to, or None when it starts a new one.

    A mention that names a site or a specific kind of target joins the latest incident with the same
    one; a mention that names neither (victims, damage, a back-reference) adds detail to the latest
    compatible incident, and a first distinctive mention gives a so-far anonymous incident its identity.
    """
    if m.other:
        return None
    last = incidents[-1] if incidents else None
    if (last is not None and m.event == "detention" and last.event == "attack" and not last.pattern and not m.site
            and 0 <= m.start - last.mentions[-1].end <= 3):
        return last  # "The attack left 1,400 dead - 200 were taken hostage": hostages taken in that attack
    if m.leads_back:
        latest = [i for i in incidents if not i.pattern]
        if latest:
            return latest[-1]
    best, best_score = None, 0
    for inc in incidents:
        score = _affinity(m, inc)
        if score >= best_score and score > 0:
            best, best_score = inc, score
    if best is None and not m.site and not m.key_targets and not m.pattern and m.event != "weapon_use":
        # A back-reference whose event word differs ("the blast" after "the strike") still refers back.
        loose = [i for i in incidents if not i.pattern and _places_compatible(m, i)
                 and (i.event == m.event or i.event in _VIOLENT)]
        if m.anaphoric and loose:
            return loose[-1]
    return best


def _field_list(hits: list[Hit], drop: set[str] | None = None) -> Field[list[str]]:
    codes = list(dict.fromkeys(h[2] for h in hits if not drop or h[2] not in drop))
    if not hits:
        return Field([], None, None, 0.3)
    return Field(codes, hits[0][0], hits[-1][1], 0.6)


def _targets(scan: _Scan, inc: Incident) -> Field[list[str]]:
    """The targets the evidence says were struck or harmed; every named target still helps group mentions."""
    hits = [t for m in inc.mentions for t in m.targets if scan.hit_or_harmed(t)]
    for m in inc.mentions:
        for p in m.places:
            hits.extend((p.start, p.end, code) for code in p.place.targets)
    hits.sort()
    codes = {h[2] for h in hits}
    drop = set()
    # A more specific description of the same victims wins: people fleeing, or prisoners of war (whom the
    # copy also calls "detainees" or "people").
    if "civilians_fleeing" in codes:
        drop.add("civilians")
    if "prisoners_of_war" in codes:
        drop.update({"civilians", "detainees"})
    if "maternity_facility" in codes:
        codes.add("hospital")
        hits.append(next((h[0], h[1], "hospital") for h in hits if h[2] == "maternity_facility"))
    return _field_list(hits, drop)


def _weapons(inc: Incident) -> Field[list[str]]:
    hits = sorted(w for m in inc.mentions for w in m.weapons)
    counts = Counter(h[2] for h in hits)
    if set(counts) - {"unknown_explosive"}:
        counts.pop("unknown_explosive", None)
    if "missile" in counts:
        counts.pop("rocket_mlrs", None)
    top = max(counts.values(), default=0)
    keep = {c for c, n in counts.items() if c in SPECIFIC_WEAPONS or n * 2 >= top}
    return _field_list([h for h in hits if h[2] in keep])


# How far into its paragraph a dateline may hold a place ("KYIV, Ukraine (AP) -") or a date ("Lima, 5 Mar 89 (EFE)
# --", whose date comes after the place).
_DATELINE_PLACE, _DATELINE_DATE = 40, 60


def _in_dateline(doc: TextDoc, offset: int, reach: int = _DATELINE_PLACE) -> bool:
    """Whether ``offset``, at most ``reach`` characters into its paragraph, lies in the paragraph's dateline (where,
    and when, the copy was filed)."""
    para = doc.paragraph_of(offset)
    if para is None or offset - para[0] > reach:
        return False
    m = DATELINE.match(doc.folded, para[0])
    return m is not None and offset < m.end()


_IN_COUNTRY = re.compile(r"\b(?:in|inside)\s+$")  # "left 1,400 dead in Israel": the country is where it happened
_EXAMPLE_BEFORE = re.compile(r"\b(?:like|such as|including)\s+(?:the\s+)?(?:[\w'-]+,?\s+){0,4}?(?:(?:and|or)\s+)?$")


def _place(inc: Incident, country: PlaceMention | None, scan_low: str, datelines: set[int] = frozenset(),
           headline: int = 0) -> tuple[Field[str | None], PlaceMention | None]:
    """The most specific place the evidence names; a course of conduct that names none happens across the
    country the document is about (``country``). A dateline says where the copy was filed, so it is the
    place only when the evidence names no other."""
    places = [p for m in inc.mentions for p in m.places]
    home = inc.mentions[0].home
    if any(p.start not in datelines for p in places):
        places = [p for p in places if p.start not in datelines]
    if inc.pattern:
        # Places a course of conduct names as examples ("in strongholds like Sagaing and Chin State") are some of
        # where it happens: it happens across the country.
        places = [p for p in places if not _EXAMPLE_BEFORE.search(scan_low, max(0, p.start - 50), p.start)]
    if inc.pattern and not places and country is not None:
        return Field(country.place.name, None, None, 0.3), country
    if not inc.pattern:
        # A country is where a course of conduct happens ("across Ukraine"); for one event it is
        # usually a speaker's or a party's name ("Ukraine's foreign minister").
        places = [p for p in places if p.place.kind != "country"
                  or _IN_COUNTRY.search(scan_low, max(0, p.start - 12), p.start)]
    if not places:
        return Field(None, None, None, 0.3), None
    # A headline names the area, the lead the spot: of two places of one kind, the lead's.
    best = max(places, key=lambda p: (p.place.country in home, _KIND_RANK[p.place.kind], p.start >= headline,
                                      -places.index(p)))
    return Field(best.place.name, best.start, best.end, 0.6), best


def _main_country(places: list[PlaceMention]) -> str | None:
    """The country a document names most through its places (any country), or None."""
    counts = Counter(p.place.country for p in places if p.place.country)
    return counts.most_common(1)[0][0] if counts else None


def _document_country(scan: _Scan) -> str | None:
    return next(iter(scan.home), None)


def _country_mention(scan: _Scan, code: str | None) -> PlaceMention | None:
    """Where a course of conduct that names no place happens: the document's country as the text names it, else
    the region of that country it names again and again ("Gaza"), else the country itself (an empty span: the text never
    names it, e.g. "Burma" only inside "Burma Air Force")."""
    if code is None:
        return None
    named = next((p for p in scan.places if p.place.kind == "country" and p.place.country == code), None)
    if named is not None:
        return named
    regions = [p for p in scan.places if p.place.kind == "region" and p.place.country == code
               and p.start not in scan.datelines]
    top = Counter(p.place for p in regions).most_common(1)
    if top and top[0][1] >= 2:  # a region named once is where one event happened, not the whole story
        return next(p for p in regions if p.place == top[0][0])
    country = gazetteer().countries.get(code)
    return PlaceMention(0, 0, country) if country else None


def _found_dates(scan: _Scan, start: int, end: int) -> list[tuple[int, int, DateValue]]:
    """Dates in ``[start, end)``; in an undated document, relative ones resolve against the latest full
    date the text gives (a photo caption's "Wednesday March 9, 2022"), when it gives one."""
    doc = scan.doc
    found = find_dates(doc, start, end)
    if scan.stand_in is None and scan.year_end is None:
        return found
    resolved = {d[0] for d in found}
    for s, e in expressions(doc.folded, start, end):
        if s in resolved or doc.base_date(s) is not None:
            continue
        expr = doc.folded[s:e]
        if scan.stand_in is not None:
            value = resolve(expr, scan.stand_in, doc.folded)
        else:
            # Only a year is given ("(c)2022" under a photo): it dates "July 29", not "Wednesday", so keep
            # what resolves the same a week apart.
            value = resolve(expr, scan.year_end, doc.folded)
            if value != resolve(expr, scan.year_end - timedelta(days=7), doc.folded):
                value = None
        if value is not None:
            found.append((s, e, value))
    return sorted(found, key=lambda d: d[0])


def _narrowest(found: list[tuple[int, int, DateValue]]) -> tuple[int, int, DateValue]:
    """The first date given, or a later one that pins it down ("last week ... on Wednesday")."""
    best = found[0]
    for d in found[1:]:
        v, b = d[2], best[2]
        if b.start <= v.start and v.end <= b.end and v.end - v.start < b.end - b.start:
            best = d
    return best


_FAR = timedelta(days=366)  # a date further back than this from publication needs the text to give its year


def _incident_date(scan: _Scan, found: tuple[int, int, DateValue]) -> bool:
    """Whether a date in the evidence can date its incident: not a date of another event ("born in 1990", "the
    anniversary of"), not after publication, and, far before it, only with its year written out and more than
    a bare year (a year alone, long ago, is background: "in 2014")."""
    s, e, value = found
    if lexicons().other_date.search(scan.low, max(0, s - 50), s):
        return False
    base = scan.doc.base_date(s)
    if base is None:
        return True
    if value.start > base:
        return False
    return value.end >= base - _FAR or (value.granularity != "year" and bool(_YEAR.search(scan.doc.folded, s, e)))


def _date(scan: _Scan, inc: Incident) -> Field[str | None]:
    doc = scan.doc
    found = [d for m in inc.mentions for d in _found_dates(scan, m.start, m.end)
             if _incident_date(scan, d) and not _in_dateline(doc, d[0], _DATELINE_DATE)]
    # A date right after a speech verb dates the statement ("said on Monday"): the incident's own date
    # comes first, the statement's only when there is no other.
    own = [d for d in found if not _SPEECH_DATE.search(scan.low, max(0, d[0] - 25), d[0])]
    if inc.pattern:
        # A course of conduct is dated by a span ("since February 2021", "over the past year"); a day in its
        # evidence dates one of its examples.
        found = own = [d for d in own if d[2].granularity != "day"]
    if own or found:
        s, e, value = _narrowest(own or found)
        return Field(value.to_gold(), s, e, 0.6 if own else 0.4)
    first = inc.mentions[0].start
    base = doc.base_date(first) or scan.stand_in  # an undated page's dated photo caption stands in for its date
    if base is None:
        return _yearless(scan, inc)
    if inc.pattern:
        war = resolve("the first day of the war", base, doc.folded) if lexicons().war_start.search(scan.low) else None
        if war is not None and war.start <= base:
            return Field(DateValue(war.start, base, "interval").to_gold(), None, None, 0.3)
        return Field(None, None, None, 0.3)
    if bisect_right([p[0] for p in doc.paragraphs], first) <= _LEAD_PARAGRAPHS:
        # Wire copy reports the day's events in its lead without repeating the date; an incident first
        # met further down is background whose date the text does not give.
        return Field(base.isoformat(), None, None, 0.2)
    return Field(None, None, None, 0.3)


def _yearless(scan: _Scan, inc: Incident) -> Field[str | None]:
    """No date, with the span of the day the evidence gives without a year ("the July 29 attack" in a text that
    names no year and has no publication date): the value stays unknown here, but the incident this report
    joins may date it (:mod:`hague.corroboration.dating`). A course of conduct is not dated by a day."""
    doc = scan.doc
    spans = [] if inc.pattern else [
        (s, e) for m in inc.mentions for s, e in expressions(doc.folded, m.start, m.end)
        if resolve_in_year(doc.folded[s:e], 2000) is not None and not _in_dateline(doc, s, _DATELINE_DATE)
        and not lexicons().other_date.search(scan.low, max(0, s - 50), s)]
    own = [sp for sp in spans if not _SPEECH_DATE.search(scan.low, max(0, sp[0] - 25), sp[0])]
    s, e = (own or spans or [(None, None)])[0]
    return Field(None, s, e, 0.3)


def _casualties(inc: Incident) -> tuple[Field[int | None], Field[int | None], Field[str | None]]:
    """The toll of the incident: for one event, its own counts, not a running total its evidence also gives;
    for a course of conduct, the totals."""
    given = [c for m in inc.mentions for c in m.counts]
    totals = [c for c in given if c.cumulative]
    counts = (totals or given) if inc.pattern else [c for c in given if not c.cumulative]
    out: list[Field] = []
    for kind in ("killed", "injured"):
        exact = [c for c in counts if c.kind == kind and c.value is not None]
        best = max(exact, key=lambda c: c.value, default=None)
        out.append(Field(best.value, best.start, best.end, 0.7) if best else Field(None, None, None, 0.3))
    vague = next((c for c in counts if c.value is None), None)
    out.append(Field(vague.text.lower(), vague.start, vague.end, 0.6) if vague
               else Field(None, None, None, 0.3))
    return out[0], out[1], out[2]


def _sentence(scan: _Scan, m: Mention) -> Span:
    return scan.doc.sentence_of(m.start) or (m.start, m.end)


def _after_rebuttal(scan: _Scan, hit: Hit) -> bool:
    """Whether a party is named inside a denial or counter-claim ("denied that Ukrainian forces ...", "faults
    Hamas' failed missile"): the name is the speaker's counter-accusation, not the document's attribution."""
    sentence = scan.doc.sentence_of(hit[0]) or (hit[0], hit[1])
    return any(h[2] in ("denied", "counter") and h[1] <= hit[0] for h in scan.get("status", sentence))


def _agentive(scan: _Scan, hit: Hit) -> bool:
    """Whether syntax makes the party the author of the act: "carried out by X", "an attack by X", "X claimed
    responsibility", "X struck ...", "X's airstrike"."""
    lex = lexicons()
    return bool(lex.agent_before.search(scan.low, max(0, hit[0] - 60), hit[0])
                or lex.agent_after.match(scan.low, hit[1]))


def _perpetrator(scan: _Scan, inc: Incident) -> Field[str | None]:
    if any(h[2] == "mutual" for m in inc.mentions for h in scan.get("status", _sentence(scan, m))):
        return Field(None, None, None, 0.4)  # both sides blame each other: the document names no one
    # In the clauses that tell the act, English puts its author first ("Israeli forces struck ...", "a Russian
    # missile hit ..."): the first party named wins. Elsewhere in those sentences only a party that syntax makes
    # the author counts ("carried out by X", "X claimed responsibility"), and not inside a quotation, where the
    # claim is a speaker's.
    hits = [h for m in inc.mentions for h in m.parties if not _after_rebuttal(scan, h)]
    if hits:
        return Field(hits[0][2], hits[0][0], hits[0][1], 0.6)
    sentences = [h for m in inc.mentions for h in scan.get("parties", _sentence(scan, m))
                 if _agentive(scan, h) and not _after_rebuttal(scan, h)
                 and not any(s <= h[0] < e for s, e in scan.spoken)]
    if sentences:
        return Field(sentences[0][2], sentences[0][0], sentences[0][1], 0.5)
    para = scan.doc.paragraph_of(inc.mentions[0].start)
    if para:
        nearby = [h for h in scan.get("parties", para) if h[0] < inc.mentions[0].start and not _after_rebuttal(scan, h)]
        if nearby:
            return Field(nearby[-1][2], nearby[-1][0], nearby[-1][1], 0.4)
    counts = Counter(h[2] for h in scan.parties if not _after_rebuttal(scan, h))
    if counts and not _author_unknown().search(scan.low):
        return Field(counts.most_common(1)[0][0], None, None, 0.2)
    return Field(None, None, None, 0.3)


def _counter_status(scan: _Scan, cue: Hit, sentence: Span, perpetrator: str | None) -> str:
    """A counter-claim denies when the party the incident is laid on makes it, or when it lays the blame on
    another party; one that lays the blame on that party is itself the accusation."""
    before = {h[2] for h in scan.get("parties", (sentence[0], cue[0]))}
    after = {h[2] for h in scan.get("parties", (cue[1], sentence[1]))}
    return "denied" if perpetrator is not None and (perpetrator in before or after - {perpetrator}) else "alleged"


def _status(scan: _Scan, inc: Incident, perpetrator: str | None) -> Field[str]:
    """The strongest cue wins (a denial over a doubt over a confirmation ...). A report is alleged when the
    account rests on speakers: its lead or most of its evidence is attributed ("officials said"), quoted or part
    of a transcript, or an accusation concerns this incident itself (mutual blame, a counter-claim naming the
    party). A news agency relaying the story ("the AP said") attributes nothing."""
    cues: dict[str, tuple[int | None, int | None, str]] = {}
    said_in: list[bool] = []  # per mention: told by a speaker (an attribution, a quotation, a transcript)
    firm_allegation = False
    for m in inc.mentions:
        sentence = _sentence(scan, m)
        said = any(s <= m.start < e for s, e in scan.spoken)
        for h in scan.get("status", sentence):
            code = {"mutual": "alleged", "neutral": "reported"}.get(h[2], h[2])
            if code == "counter":
                code = _counter_status(scan, h, sentence, perpetrator)
            firm_allegation |= code == "alleged" and h[2] != "alleged"
            said |= code == "alleged"
            cues.setdefault(code, h)
        said_in.append(said)
    if firm_allegation or said_in[0] or sum(said_in) * 2 > len(said_in):
        cues.setdefault("alleged", (None, None, "alleged"))
    else:
        cues.pop("alleged", None)
    status = next((s for s in STATUS_PRIORITY if s in cues), "reported")
    h = cues.get(status, (None, None, status))
    return Field(status, h[0], h[1], 0.5 if h[0] is not None else 0.4)


def _report(scan: _Scan, inc: Incident, country_default: str | None) -> Report:
    place, best = _place(inc, _country_mention(scan, country_default), scan.low, scan.datelines,
                         _headline_end(scan.doc))
    country = (Field(best.place.country, best.start, best.end, 0.6) if best and best.place.country and best.end
               else Field(best.place.country if best and best.place.country else country_default, None, None, 0.3))
    killed, injured, vague = _casualties(inc)
    perpetrator = _perpetrator(scan, inc)
    first = inc.mentions[0]
    return Report(
        evidence=[(m.start, m.end) for m in inc.mentions],
        event=Field(inc.event, first.start, first.end, 0.6),
        targets=_targets(scan, inc),
        weapons=_weapons(inc),
        place=place,
        country=country,
        date=_date(scan, inc),
        killed=killed,
        injured=injured,
        casualty_text=vague,
        perpetrator=perpetrator,
        status=_status(scan, inc, perpetrator.value),
        pattern=Field(inc.pattern, first.start, first.end, 0.5),
        coordinates=best.place.coordinates if best else None,
    )


def extract(doc: TextDoc) -> list[Report]:
    """One report per incident the document reports, each field with its evidence span."""
    scan = _Scan(doc)
    incidents: list[Incident] = []
    for span in _clauses(doc):
        m = _mention(scan, span)
        if m is None:
            continue
        inc = _join(m, incidents) or _headline_told(scan, m, incidents)
        if inc is None and not (m.negated or m.bare):
            incidents.append(Incident([m]))
        elif inc is not None:
            inc.mentions.append(m)
    country = _document_country(scan)
    reports = [_report(scan, inc, country) for inc in incidents]
    _at_the_scene(scan, incidents, reports)
    return reports


_HEADLINE_WORDS = 25  # a first paragraph this short, with no closing stop, is a headline


def _headline_told(scan: _Scan, m: Mention, incidents: list[Incident]) -> Incident | None:
    """The headline's incident, when ``m`` opens the lead and tells an event of the same kind (no other site, no
    other kind of target): a headline names the area ("Shelling kills four in Kharkiv") where the lead names the
    town in it, which is no other event."""
    paragraphs = scan.doc.paragraphs
    end = _headline_end(scan.doc)
    if not end or len(incidents) != 1 or m.other or m.negated or m.pattern:
        return None
    inc = incidents[0]
    if (inc.pattern or inc.event != m.event or any(x.start >= end for x in inc.mentions)
            or scan.doc.paragraph_of(m.start) != paragraphs[1] or (m.site and inc.site and m.site != inc.site)
            or (m.key_targets and inc.key_targets and not _groups(m.key_targets) & _groups(inc.key_targets))):
        return None
    return inc


def _headline_end(doc: TextDoc) -> int:
    """Where the headline ends: the first paragraph when it reads as one (short, no closing stop) and a lead
    follows; else 0."""
    if len(doc.paragraphs) < 2:
        return 0
    head = doc.paragraphs[0]
    text = doc.folded[head[0]:head[1]].strip()
    return head[1] if text and text[-1] not in '.!?"' and len(text.split()) <= _HEADLINE_WORDS else 0


# "Soldiers blocked medics from reaching the scene", "the torture committed there", "(blew it up) to hide the
# torture": the place and day of the event told before.
_SCENE = re.compile(r"\bthe\s+(?:scene|site of the (?:attack|strike|airstrike|blast|bombing))\b"
                    r"|\b(?:committed|carried out|happened|occurred|took place|held|kept)\s+there\b"
                    r"|\bto\s+(?:hide|conceal|cover\s+up)\b")


def _at_the_scene(scan: _Scan, incidents: list[Incident], reports: list[Report]) -> None:
    """An incident whose evidence names no place but happens "at the scene" takes the place of the discrete event
    told before it, and its day when its own evidence gives none."""
    for inc, rep in zip(incidents, reports, strict=True):
        if rep.place.start is not None or not any(_SCENE.search(scan.low, m.start, m.end) for m in inc.mentions):
            continue
        start = inc.mentions[0].start
        before = [r for i, r in zip(incidents, reports, strict=True)
                  if not i.pattern and i.mentions[0].start < start and r.place.value is not None]
        if not before:
            continue
        src = before[-1]
        rep.place, rep.country, rep.coordinates = src.place, src.country, src.coordinates
        if (rep.date.start is None or rep.date.value is None) and src.date.value is not None:
            rep.date = src.date

