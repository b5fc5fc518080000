"""Speaker phrases: split into name, role and organisation, and resolve them inside one document.

News copy names a speaker fully once ("White House press secretary Jen Psaki") and then by surname,
pronoun or definite description ("Psaki", "she", "the embassy"). A speaker is resolved to the
fullest name the document gives; an unnamed speaker stays the document's own phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hague.datafiles import load_yaml
from hague.reading import nlp
from hague.reading.lexicon import actors


@lru_cache(maxsize=1)
def lexicon() -> dict:
    data = load_yaml("hague.reading", "data/roles.yaml")
    return {
        "role": {w.lower() for w in data["role"]},
        "role_heads": {w.lower().split()[-1] for w in data["role"]},
        "institution": {w.lower() for w in data["institution"]},
        "title": {w.lower() for w in data["title"]},
        "person_pronouns": set(data["person_pronouns"]),
        "group_pronouns": set(data["group_pronouns"]),
        # role -> the organisation it speaks for, each role's pattern compiled once: tried on most speakers
        "role_orgs": [(re.compile(r"\b" + re.escape(role) + r"\b"), template)
                      for role, template in data["role_orgs"].items()],
        "people_orgs": data["people_orgs"],
        "person_heads": set(data["person_heads"]),
        # one pattern, compiled once: tried on every role-only speaker of every document
        "unique_offices": re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in data.get("unique_offices", []))
                                     + r")\b"),
    }


# Words that open a sentence before its subject ("But Israel says", "Yesterday the mayor said"): never part
# of a speaker's name.
SENTENCE_OPENERS = frozenset({
    "yesterday", "today", "tonight", "earlier", "later", "meanwhile", "then", "now", "also", "but", "and", "yet",
    "so", "while", "after", "although", "though", "when", "as", "since", "because", "if", "whereas", "however",
    "instead", "still", "once", "before", "until"})
_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F][\w.\u00C0-\u024F'-]*")
_NOT_NAME = {"the", "a", "an", "of", "to", "for", "in", "and", "on", "at", "by", "with"}
_PARTICLE = re.compile(r"(?:al|el|bin|ibn|abu|de|da|di|du|van|von|der|den|del|dos|das|la|le)(?:-[A-Z\u00C0-\u00DE]|$)")
_BEFORE_NO_NAME = frozenset({"the", "in", "from", "at", "of", "for", "near", "with", "to", "outside"})
_DEMONYM = re.compile(r"(?:ian|ese|ish|ean|an|i)$")
_CAP = re.compile(r"[A-Z\u00C0-\u00DE]")
# Names never run across a line break ("... FOX NEWS APP\nUkraine's foreign minister" is not a name).
_CAP_RUN = re.compile(r"(?:[A-Z\u00C0-\u00DE][\w.\u00C0-\u024F'-]*[ \t]+){1,6}"
                      r"[A-Z\u00C0-\u00DE][\w\u00C0-\u024F'-]+")


# A personal title before a single capitalised name: "President Trump", "Mr. Obama", "Sen. Warren".
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Lt|Col|Sgt|Capt|Maj|Rev|Judge|Justice|President|"
                     r"Senator|Governor|Mayor|Chancellor|Minister|Secretary|Speaker|Representative|General|Colonel)"
                     r"\.?\s+([A-Z][a-z\u00C0-\u024F'-]+)(?![\w'-]*\s+[A-Z])")


# A name and a noun phrase in apposition: "World Kitchen, the charity founded by", "Acme (AC), a non-profit group".
# The noun phrase ends its clause or takes a complement ("the charity founded by", "a group based in").
_APPOSITION = re.compile(r"((?:[A-Z][\w.'&-]*\s+(?:(?:of|for|the|and)\s+)?){0,5}[A-Z][\w.'&-]*)(?:\s+\([A-Z]{2,}\))?"
                         r",\s+(?:a|an|the)\s+(?:[a-z-]+\s+){0,3}([a-z-]+)(?=\s*[,.;)]|\s+(?:founded|based|that|"
                         r"which|who|whose|in|of|for|with|led|run|set|created|headquartered|known)\b)")
# Sentence adverbs before a comma are no names: "Overall, the fund predicted ...".
_ADVERBS = frozenset({"overall", "indeed", "moreover", "furthermore", "finally", "instead", "still", "first", "second",
                      "again", "here", "there", "thus", "therefore", "nevertheless", "nonetheless", "besides"})


@dataclass(frozen=True)
class Speaker:
    """One resolved speaker: ``value`` is what GOLD.md calls ``speaker``."""

    value: str
    phrase: str
    role: str | None
    org: str | None
    is_person: bool


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith("'s") else word


def _is_cap(word: str) -> bool:
    return bool(_CAP.match(word))


@lru_cache(maxsize=8192)
def name_in(phrase: str) -> str | None:
    """The personal name at the end of a speaker phrase ("U.S. Ambassador ... Linda Thomas-Greenfield"). Asked of
    every capitalised run of every document ("Ukraine", "The ministry" recur): answers are kept."""
    lex = lexicon()
    words = [_strip_possessive(w) for w in _TOKEN.findall(phrase)]
    while words and words[0].lower() in SENTENCE_OPENERS:
        words.pop(0)
    name: list[str] = []
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        low = w.lower().rstrip(".")
        # "Raed al-Saleh", "Osama bin Laden", "Ursula von der Leyen": a lower-case particle inside a name.
        particle = bool(_PARTICLE.match(w)) and (name or "-" in w) and i > 0 \
            and (_is_cap(words[i - 1]) or bool(_PARTICLE.match(words[i - 1])))
        if particle:
            name.insert(0, w)
            continue
        if not _is_cap(w) or low in lex["role"] or low in lex["institution"] or low in _NOT_NAME:
            break
        if low in lex["title"] or w.lower() in lex["title"]:
            break
        name.insert(0, w)
        if len(name) >= 4:
            break
    if name and len(name) < len(words) and words[-len(name) - 1].lower() in _BEFORE_NO_NAME:
        # "The Washington Post", "the Associated Press": a capitalised run after "the" is no personal name; nor is
        # the place or person a preposition ties to the speaker ("a villager in Pa Zi Gyi", "a spokesman for X").
        return None
    if len(name) >= 3 and _DEMONYM.search(name[0]):
        # "Ukrainian Kyrylo Tymoshenko": a demonym before a full name is not part of it.
        name = name[1:]
    if not name:
        return None
    return " ".join(name)


_MILITARY = re.compile(r"\b(?:military|army|armed forces|defen[cs]e forces|forces|troops|air force)\b", re.I)


@lru_cache(maxsize=1)
def _forces() -> dict[str, str]:
    """A State actor's armed forces by their own name (perpetrators.yaml ``forces``)."""
    parties = actors()["parties"]
    return {party: forms["forces"] for party, forms in parties.items() if forms.get("forces")}


def _org_of(phrase: str, name: str | None) -> str | None:
    lex = lexicon()
    if name and name in lex["people_orgs"]:
        return lex["people_orgs"][name]
    if _MILITARY.search(phrase):
        # "The Israeli military", "Ethiopia's army": the State's armed forces, by their own name.
        from hague.reading.stance import speaker_party

        forces = _forces().get(speaker_party(phrase) or "")
        if forces:
            return forces
    rest = phrase[: phrase.rfind(name)] if name and name in phrase else phrase
    words = _TOKEN.findall(rest)
    # The longest capitalised run holding an institution word: "White House", "U.S. Embassy to Ukraine".
    best: list[str] = []
    run: list[str] = []
    for w in words + ["."]:
        if _is_cap(w) or (run and w.lower() in {"of", "to", "for", "the", "in"}):
            run.append(w)
            continue
        while run and not _is_cap(run[-1]):
            run.pop()
        if any(_strip_possessive(x).lower() in lex["institution"] for x in run) and len(run) > len(best):
            best = run
        run = []
    if best:
        return _strip_possessive(" ".join(best))
    low = rest.lower()
    for role, template in lex["role_orgs"]:
        if role.search(low):
            place = next((_strip_possessive(w) for w in words if _is_cap(w) and w.lower() not in lex["role"]),
                         None)
            if place:
                return template.format(place=place)
    return None


class Resolver:
    """Resolves speaker phrases against the names and speakers seen so far in one document."""

    def __init__(self, text: str, title: str = "") -> None:
        self._text = text
        self._names: dict[str, str] = {}  # surname -> fullest name in the document (or its title)
        found = [m.group() for m in (*_CAP_RUN.finditer(text), *_CAP_RUN.finditer(title))]
        for name in [name_in(phrase) for phrase in found] + nlp.person_names(text):
            if name and " " in name:
                surname = _strip_possessive(name.split()[-1])
                if len(name) > len(self._names.get(surname, "")):
                    self._names[surname] = name
        # Surnames the document gives a personal title ("President Trump", "Mr. Obama"): people, not organisations.
        self._titled = {_strip_possessive(m.group(1)) for m in _TITLED.finditer(text)}
        self.history: list[Speaker] = []
        self._appositions: dict[str, str] | None = None  # noun -> the name it describes, found on first need

    def full_name(self, word: str) -> str | None:
        return self._names.get(_strip_possessive(word))

    def is_titled(self, word: str) -> bool:
        return _strip_possessive(word) in self._titled

    def resolve(self, phrase: str, same_sentence: Speaker | None = None, remember: bool = True) -> Speaker:
        lex = lexicon()
        phrase = phrase.strip(" ,")
        if phrase.endswith(".") and "." not in phrase.split()[-1][:-1]:
            phrase = phrase[:-1]
        low = phrase.lower()
        if low in lex["person_pronouns"]:
            found = self._pronoun(True, same_sentence)
        elif low in lex["group_pronouns"]:
            found = self._pronoun(False, same_sentence)
        elif re.fullmatch(r"the\s+[a-z -]+", low):
            found = self._description(low.split()[1:])
            if found is None and re.fullmatch(r"[Tt]he\s+[a-z -]+", phrase):
                found = self._described(low.split()[-1])
        else:
            found = None
        speaker = found or self._parse(phrase)
        if remember:
            self.history.append(speaker)
        return speaker

    def _acronym(self, letters: str) -> str | None:
        """The document's spelled-out name for an acronym ("HRW" -> "Human Rights Watch")."""
        words = r"\s+(?:(?:of|for|the|on|and)\s+)?".join(f"{c}[a-z]+" for c in letters)
        m = re.search(r"\b" + words + r"\b", self._text)
        return m.group() if m else None

    def _pronoun(self, person: bool, same_sentence: Speaker | None) -> Speaker | None:
        if same_sentence is not None and same_sentence.is_person == person:
            return same_sentence
        for s in reversed(self.history):
            if s.is_person == person:
                return s
        return None

    def _described(self, head: str) -> Speaker | None:
        """The organisation the document describes with a noun in apposition ("World Kitchen, the charity
        founded by ...", "Acme (AC), a non-profit organization") for "the charity" or "the organization" that
        no earlier speaker explains; a person's noun ("the doctor") is left to the speakers seen."""
        if head in lexicon()["person_heads"]:
            return None
        if self._appositions is None:
            self._appositions = {}
            for m in _APPOSITION.finditer(self._text):
                low = m.group(1).lower()
                if low in _ADVERBS or low in SENTENCE_OPENERS or low.endswith("ly"):
                    continue
                self._appositions.setdefault(m.group(2), m.group(1))
        name = self._appositions.get(head)
        return Speaker(name, name, None, name, False) if name else None

    def _description(self, words: list[str]) -> Speaker | None:
        """The latest speaker whose phrase, role or organisation holds every word of "the defence ministry"."""
        head = words[-1]
        # "the office" or "the department" names an institution: a person who speaks for it is not it.
        institution = head in lexicon()["institution"] and head not in lexicon()["person_heads"]
        patterns = [re.compile(r"\b" + re.escape(w)) for w in words]
        for s in reversed(self.history):
            if institution and s.is_person:
                if s.org and all(p.search(s.org.lower()) for p in patterns):
                    return Speaker(s.org, s.org, None, s.org, False)
                continue
            hay = " ".join(x for x in (s.phrase, s.role or "", s.org or "") if x).lower()
            if all(p.search(hay) for p in patterns):
                return s
        return None

    def _parse(self, phrase: str) -> Speaker:
        lex = lexicon()
        name = name_in(phrase)
        bare = re.sub(r"^(?:the|The)\s+", "", phrase)
        acronym = self._acronym(bare) if re.fullmatch(r"[A-Z]{2,6}", bare) else None
        if acronym:
            return Speaker(acronym, phrase, None, acronym, False)
        if name and " " not in name:
            full = self.full_name(name)
            if full:
                name = full
            elif self.is_titled(name) and name.lower() not in lex["institution"]:
                role = phrase[: phrase.rfind(name)].strip(" ,") or None
                return Speaker(name, phrase, role, _org_of(phrase, name), True)
            elif name.lower() in lex["institution"] or phrase.strip() != name:
                name = None
        if name and " " in name:
            surname = name.split()[-1]
            role = (phrase[: phrase.rfind(surname)].strip(" ,") if surname in phrase else "") or None
            return Speaker(name, phrase, role, _org_of(phrase, name), True)
        head = (phrase.lower().split() or [""])[-1]
        # "the governor of the Donetsk region", "spokesperson for the council": the role noun heads the phrase.
        before_of = re.match(r"(?:.*\s)?([a-z-]+)\s+(?:of|for|to|at|in|from|near)\s", phrase.lower())
        is_person = head in lex["person_heads"] or bool(before_of and before_of.group(1) in lex["person_heads"])
        org = _org_of(phrase, None)
        # "A villager in Pa Zi Gyi": a common noun before the preposition heads the phrase, which is no organisation.
        headed = before_of is not None and before_of.group(1) not in lex["institution"]
        if not is_person and org is None and not headed and _is_cap(phrase.split()[-1] if phrase.split() else ""):
            org = re.sub(r"^(?:the|The)\s+", "", phrase)
        return Speaker(phrase, phrase, phrase if is_person else None, org, is_person)
