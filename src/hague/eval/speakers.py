"""Is a predicted speaker the same as the gold one? (docs/gold-format.md: "same person: a surname or listed
alias match counts, a role phrase must name the same role and organisation").

Phrases are compared as sets of normalised content words, with acronyms (NSC, IAEA) expanded when the
other side spells them out. A personal name matches on its surname; a role phrase matches when the
prediction names nothing the gold speaker and organisation do not, names the role (the phrase's head noun),
names the organisation when the gold phrase does, and gives no organisation the gold one does not name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from hague.datafiles import load_yaml
from hague.eval.values import country_names, name_key
from hague.reading.text import fold

_STOP = {"the", "a", "an", "of", "for", "to", "in", "on", "at", "and", "s", "by", "from", "with"}
_WORD = re.compile(r"[^\W_]+")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_DOTTED = re.compile(r"(?<![^\W_])(?:[^\W\d_]\.){2,}")


@cache
def _lexicon() -> dict:
    return load_yaml("hague", "data/speaker_words.yaml")


@cache
def _institution_words() -> frozenset[str]:
    return frozenset(_lexicon()["institution_words"])


@cache
def _equivalent() -> dict[str, str]:
    return {word: group[0] for group in _lexicon()["equivalents"] for word in group}


def _stem(word: str) -> str:
    """Fold plurals ("officials" meets "official") and equivalents ("spokesman" meets "spokesperson").

    Applied alike on both sides, so crude is enough.
    """
    word = word.lower()
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return _equivalent().get(word, word)


def _clean(phrase: str) -> str:
    """Fold typography and accents, drop possessives, and write dotted acronyms solid (U.S. -> US)."""
    text = unicodedata.normalize("NFKD", fold(phrase))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    return text.replace("'s ", " ").replace("'s", "").replace("'", "")


def _words(phrase: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(_clean(phrase)) if w.lower() not in _STOP]


def _acronym_runs(phrase: str) -> dict[str, list[str]]:
    """Initials of every run of capitalised words (skipping small words) -> the run's words."""
    words = [w for w in _WORD.findall(_clean(phrase)) if w.lower() not in _STOP]
    runs: dict[str, list[str]] = {}
    for i in range(len(words)):
        for j in range(i + 2, min(len(words), i + 7) + 1):
            run = words[i:j]
            if all(w[0].isupper() for w in run):
                runs.setdefault("".join(w[0] for w in run).lower(), [_stem(w) for w in run])
    return runs


def tokens(phrase: str | None, context: tuple[str | None, ...] = ()) -> set[str]:
    """Content words of ``phrase``; an acronym spelled out in a ``context`` phrase becomes those words."""
    if not phrase:
        return set()
    runs: dict[str, list[str]] = {}
    for other in context:
        if other:
            runs.update(_acronym_runs(other))
    out = set(_words(phrase))
    for m in _ACRONYM.finditer(_clean(phrase)):
        letters = m.group().lower()
        if letters in runs:
            out.discard(_stem(letters))
            out.update(runs[letters])
    return out


_PREPOSITIONS = {"for", "of", "to", "in", "at", "on", "from", "with", "by"}


def _head(phrase: str) -> str:
    """The role noun of a phrase: its last word before any prepositional phrase
    ("spokesperson for the Council", "Ukraine's foreign minister")."""
    words = _WORD.findall(_clean(phrase))
    for i, w in enumerate(words):
        if w.lower() in _PREPOSITIONS and i > 0:
            return _stem(words[i - 1])
    return _stem(words[-1])


def is_personal_name(phrase: str) -> bool:
    """One to four capitalised words, none of them an institution or role word, no linking words,
    and not a country, capital or people ("Russia said", "Moscow denied", "Ukrainians say")."""
    raw = _WORD.findall(_clean(phrase))
    if not 1 <= len(raw) <= 4 or name_key(phrase) in country_names() \
            or (len(raw) == 1 and _stem(raw[0]) in country_names()):
        return False  # "Russia", "Moscow", "Ukrainians": a government or a people
    if any(not w[0].isupper() or w.lower() in _STOP for w in raw):
        return False
    if len(raw) == 1 and len(raw[0]) > 1 and raw[0].isupper():
        return False  # an acronym (BBC, IDF), not a name
    return not any(_stem(w) in _institution_words() for w in raw)


def _matches_name(name: str, gold_org: str | None, speaker: str, org: str | None) -> bool:
    pred_speaker = tokens(speaker, (name, gold_org))
    if not pred_speaker:
        return False
    if is_personal_name(name) and name_key(name) != name_key(gold_org):
        return _words(name)[-1] in pred_speaker
    name_words = tokens(name, (speaker, org))
    gold_org_words = tokens(gold_org, (speaker, org))
    pred_all = pred_speaker | tokens(org, (name, gold_org))
    if not pred_speaker <= name_words | gold_org_words:
        return False
    role = name_words - gold_org_words
    if not role or not gold_org_words:
        # The speaker is an organisation, or a phrase whose role and organisation words cannot be told
        # apart ("Ukrainian officials"): the prediction must name all of it.
        return name_words <= pred_all
    named_org = name_words & gold_org_words
    pred_org = tokens(org, (name, gold_org))
    return _head(name) in pred_all and (not named_org or bool(pred_all & named_org)) \
        and (not pred_org or not gold_org_words or pred_org <= name_words | gold_org_words)


def same_speaker(gold_speaker: str, gold_aliases: list[str], gold_org: str | None,
                 speaker: str | None, org: str | None = None) -> bool:
    """True when the predicted speaker (with its organisation) names the gold speaker or an alias."""
    if not speaker:
        return False
    return any(_matches_name(name, gold_org, speaker, org) for name in [gold_speaker, *gold_aliases] if name)
