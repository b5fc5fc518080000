"""Resolve a speaker to the organisation and government they speak for.

Positions are compared inside one government ("mixed messages"), so a press secretary,
an embassy and a minister must land on the same state. A small table
(``data/actors.yaml``) knows the usual names; for anyone else the document's own
``org`` and role phrases ("Ukraine's foreign minister") carry the resolution, and a
national adjective in the phrase ("Russian officials") names the government.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hague.datafiles import load_yaml
from hague.reading.text import fold

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(name: str | None) -> str:
    """Lowercase words only: typography, possessives, dots in "U.S." and a leading "the" dropped."""
    if not name:
        return ""
    text = fold(name).lower().replace("'s ", " ").replace("'s", "").replace(".", "").replace("@", "")
    words = _NON_WORD.sub(" ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class ActorPath:
    """A speaker resolved upward: person -> organisation(s) -> government (any part may be unknown)."""

    speaker: str
    person: str | None
    chain: tuple[str, ...]  # organisations from the speaker's own up to the top one
    government: str | None
    known: bool  # resolved through the table rather than only the document's words

    @property
    def organisation(self) -> str | None:
        return self.chain[0] if self.chain else None

    @property
    def key(self) -> str:
        """The most specific name: the person, else their organisation, else the words used."""
        return self.person or self.organisation or self.speaker

    def path(self) -> list[str]:
        return [p for p in (self.person, *self.chain, self.government) if p]

    def to_json(self) -> dict[str, Any]:
        return {"speaker": self.speaker, "person": self.person, "organisations": list(self.chain),
                "government": self.government, "known": self.known}


@dataclass
class _Table:
    governments: dict[str, str] = field(default_factory=dict)  # alias -> government
    orgs: dict[str, str] = field(default_factory=dict)  # alias -> organisation
    parents: dict[str, str | None] = field(default_factory=dict)  # organisation -> parent
    people: dict[str, str] = field(default_factory=dict)  # full name or alias -> person
    surnames: dict[str, str] = field(default_factory=dict)  # unambiguous surname -> person
    person_org: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)  # role phrase -> organisation template


@cache
def _table() -> _Table:
    raw = load_yaml("hague.corroboration", "data/actors.yaml")
    t = _Table()
    for gov, aliases in raw["governments"].items():
        for alias in (gov, *aliases):
            t.governments[normalise(alias)] = gov
    for org, info in raw["organisations"].items():
        t.parents[org] = info.get("parent")
        for alias in (org, *info.get("aliases", [])):
            t.orgs[normalise(alias)] = org
    surnames: dict[str, list[str]] = {}
    for person, info in raw["people"].items():
        t.person_org[person] = info["org"]
        for alias in (person, *info.get("aliases", [])):
            t.people[normalise(alias)] = person
        surnames.setdefault(normalise(person).split()[-1], []).append(person)
    t.surnames = {surname: persons[0] for surname, persons in surnames.items() if len(persons) == 1}
    t.roles = {normalise(role): template for role, template in raw["roles"].items()}
    return t


def _contains(phrase: str, alias: str) -> bool:
    return f" {alias} " in f" {phrase} "


def _longest_in(phrase: str, names: dict[str, str]) -> str | None:
    """The entry whose alias is the longest whole-word run inside ``phrase``."""
    hits = [alias for alias in names if alias and _contains(phrase, alias)]
    return names[max(hits, key=len)] if hits else None


def _government_of(org: str | None, t: _Table) -> tuple[tuple[str, ...], str | None]:
    chain: list[str] = []
    node = org
    while node and node not in chain:
        if node in t.governments.values():
            return tuple(chain), node
        chain.append(node)
        node = t.parents.get(node)
    return tuple(chain), None


def _org_from_role(phrase: str, t: _Table) -> str | None:
    government = _longest_in(phrase, t.governments)
    role = next((r for r in sorted(t.roles, key=len, reverse=True) if _contains(phrase, r)), None)
    if not (government and role):
        return None
    name = t.roles[role].format(government=government)
    return t.orgs.get(normalise(name), name)


def resolve_actor(speaker: str, org: str | None = None, aliases: Sequence[str] = ()) -> ActorPath:
    """Resolve ``speaker`` (with the document's ``org`` and ``aliases``) to person, organisations, government.

    Order: a known person; a known organisation named by the speaker or the org; a role
    phrase naming a government; a government named outright ("Russia", "Ukrainian officials").
    """
    t = _table()
    names = [normalise(n) for n in (speaker, *aliases) if n]
    person = next((p for n in names if (p := t.people.get(n) or _longest_in(n, t.people))), None)
    if person is None:  # "Psaki", "President Zelensky": a known surname in a short name
        person = next((t.surnames[n.split()[-1]] for n in names if n.split()[-1] in t.surnames
                       and len(n.split()) <= 3), None)
    if person:
        chain, gov = _government_of(t.person_org[person], t)
        return ActorPath(speaker, person, chain, gov, True)
    for phrase in (*names, normalise(org)):
        if not phrase:
            continue
        found = t.orgs.get(phrase) or _longest_in(phrase, t.orgs) or _org_from_role(phrase, t)
        if found:
            chain, gov = _government_of(found, t)
            if gov is None and found not in t.parents:
                gov = _longest_in(phrase, t.governments)
            return ActorPath(speaker, None, chain or (found,), gov, found in t.parents)
    gov = next((g for g in (t.governments.get(n) or _longest_in(n, t.governments)
                            for n in (*names, normalise(org)) if n) if g), None)
    return ActorPath(speaker, None, (org,) if org else (), gov, False)
