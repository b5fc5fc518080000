"""Provisions and their elements, loaded from ``provisions.yaml`` and ``elements.yaml``.

A provision is a rule of law the suggester may point to; its elements are what an analyst has to
establish. NIAC counterparts that the Elements of Crimes word like their IAC twin declare
``elements_as`` and get the same elements with the conflict context swapped, so the two lists
cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from hague.law.datafiles import load_yaml

OPERATIVE = "operative"
PROVISION_STATUSES = (OPERATIVE, "inoperative", "conditional", "not_binding", "party_specific", "historic")


@dataclass(frozen=True, slots=True)
class Element:
    """One thing to establish for a provision (paraphrased, never the authoritative text)."""

    id: str
    text: str
    verify: bool = False
    verify_note: str | None = None


@dataclass(frozen=True, slots=True)
class Provision:
    """A rule of law, with a link to its authoritative text and the (verify) flags kept visible."""

    id: str
    instrument: str
    instrument_title: str
    citation: str
    title: str
    summary: str
    conflict: tuple[str, ...]
    elements: tuple[str, ...]
    url: str
    elements_url: str | None = None
    url_verify: bool = False
    status: str = OPERATIVE
    status_reason: str | None = None
    parties: tuple[str, ...] = ()
    attack: bool = False
    pattern: bool = False
    niac_counterpart: str | None = None
    part_of: str | None = None
    note: str | None = None
    verify: bool = False
    verify_note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _article(ref: str) -> str:
    """The leading article/rule number of a reference ("51(4)(b)" -> "51"); empty when there is none."""
    match = re.match(r"\d+", ref)
    return match.group(0) if match else ""


def _conflict(instrument: dict[str, Any], provision_id: str) -> tuple[str, ...]:
    for prefix, types in instrument.get("conflict_by_prefix", {}).items():
        if provision_id.startswith(prefix):
            return tuple(types)
    return tuple(instrument["conflict"])


def _elements(raw: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    if "elements_as" not in raw:
        return tuple(raw.get("elements", ()))
    twin = _elements(by_id[raw["elements_as"]], by_id)
    return tuple("CTX.NIAC" if e == "CTX.IAC" else e for e in twin)


@cache
def load_provisions() -> dict[str, Provision]:
    """Every provision by id (law.md convention: ``RS 8(2)(b)(ix)``, ``GC IV 18``, ``CIHL 42``)."""
    data = load_yaml("provisions")
    raw_by_id = {p["id"]: p for group in data["provisions"].values() for p in group}
    result: dict[str, Provision] = {}
    for key, group in data["provisions"].items():
        instrument = data["instruments"][key]
        for raw in group:
            pid = raw["id"]
            if not pid.startswith(key):
                raise ValueError(f"provision {pid!r} listed under instrument {key!r}")
            ref = pid[len(key):].strip()
            url = raw.get("url") or instrument["url"].format(article=_article(ref))
            result[pid] = Provision(
                id=pid,
                instrument=key,
                instrument_title=instrument["title"],
                citation=raw.get("citation") or instrument["cite"].format(ref=ref),
                title=raw["title"],
                summary=" ".join(raw["summary"].split()),
                conflict=tuple(raw.get("conflict") or _conflict(instrument, pid)),
                elements=_elements(raw, raw_by_id),
                url=url,
                elements_url=instrument.get("elements_url"),
                url_verify=bool(instrument.get("url_verify", False)),
                status=raw.get("status", OPERATIVE),
                status_reason=raw.get("status_reason"),
                parties=tuple(raw.get("parties", ())),
                attack=bool(raw.get("attack", False)),
                pattern=bool(raw.get("pattern", False)),
                niac_counterpart=raw.get("niac_counterpart"),
                part_of=raw.get("part_of"),
                note=" ".join(raw["note"].split()) if raw.get("note") else None,
                verify=bool(raw.get("verify", False)),
                verify_note=raw.get("verify_note"),
            )
    return result


@cache
def load_elements() -> dict[str, Element]:
    """The element library: id -> text (ICC Elements of Crimes paraphrase, IHL rule conditions)."""
    return {
        eid: Element(eid, " ".join(spec["text"].split()), bool(spec.get("verify", False)),
                     spec.get("verify_note"))
        for eid, spec in load_yaml("elements")["elements"].items()
    }


@cache
def load_prompts() -> dict[str, str]:
    """Analysis questions that are not elements (military-objective question, precautions, ...)."""
    return {pid: " ".join(text.split()) for pid, text in load_yaml("elements")["prompts"].items()}


def provision(provision_id: str) -> Provision:
    """Look a provision up by id, with an error that names the id."""
    try:
        return load_provisions()[provision_id]
    except KeyError:
        raise KeyError(f"unknown provision {provision_id!r}") from None
