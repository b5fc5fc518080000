"""Provisions a source names itself ("article 8(2)(b)(iv) of the Rome Statute", "common article 3").

A report that cites the law it invokes tells the reviewer where to look first; those provisions are
candidates in their own right, whatever the feature rules say. Only citations that resolve to a provision
in ``provisions.yaml`` count, matched on the text's own wording (no guessing from a bare article number).
"""

from __future__ import annotations

import re

from hague.law.provisions import load_provisions

_SUB = r"(?:\s*\(\s*[a-z0-9]{1,5}\s*\))*"
_ARTICLE = r"(?:[Aa]rticles?|[Aa]rts?\.?)\s+"
# Instrument phrases after "article N ... of the": their id prefix in provisions.yaml.
_INSTRUMENTS = [
    (r"(?:the\s+)?Rome\s+Statute|(?:the\s+)?(?:ICC|International\s+Criminal\s+Court)(?:'s)?\s+Statute", "RS"),
    (r"(?:the\s+)?(?:First\s+)?Additional\s+Protocol\s+I\b(?!I)|(?:the\s+)?(?:First\s+)?Protocol\s+I\b(?!I)"
     r"|(?:the\s+)?Additional\s+Protocol\s+1\b|AP\s*I\b(?!I)", "AP I"),
    (r"(?:the\s+)?(?:Second\s+)?Additional\s+Protocol\s+II\b|(?:the\s+)?Protocol\s+II\b|AP\s*II\b", "AP II"),
    (r"(?:the\s+)?Fourth\s+Geneva\s+Convention|Geneva\s+Convention\s+IV\b|GC\s*IV\b", "GC IV"),
    (r"(?:the\s+)?Third\s+Geneva\s+Convention|Geneva\s+Convention\s+III\b|GC\s*III\b", "GC III"),
    (r"(?:the\s+)?First\s+Geneva\s+Convention|Geneva\s+Convention\s+I\b(?![IV])|GC\s*I\b(?![IV])", "GC I"),
]
_CITED = re.compile(_ARTICLE + r"(?P<ref>\d{1,3}" + _SUB + r")\s+(?:of\s+)?(?P<inst>"
                    + "|".join(f"(?:{p})" for p, _ in _INSTRUMENTS) + ")")
# "article 8(2)(b)(iv)" alone is unmistakably the Rome Statute's war-crimes article.
_RS8 = re.compile(_ARTICLE + r"(?P<ref>8\s*\(\s*2\s*\)" + _SUB + ")")
_CA3 = re.compile(r"\b[Cc]ommon\s+[Aa]rticle\s+3\b|\b[Aa]rticle\s+3\s+common\s+to\b")
# Every citation above is "article" (or "art", "arts.") and a number: a text without one cites nothing, and
# finding that out is several times cheaper than the three searches, which ran over every member report's text
# whenever an incident's checklists were refreshed (a review decision's largest cost on a large incident).
_CUE = re.compile(r"[Aa]rt(?:icles?|s?\.?)\s+\d")


def _resolve(prefix: str, ref: str) -> str | None:
    """The provision id for a citation: exact, else the provision the citation is a part of or that is part
    of it (the first listed), else None."""
    provisions = load_provisions()
    ref = re.sub(r"\s+", "", ref)
    pid = f"{prefix} {ref}"
    if pid in provisions:
        return pid
    narrower = [p for p in provisions if p.startswith(pid + "(")]
    if narrower:
        return narrower[0]
    broader = [p for p in provisions if pid.startswith(p + "(") or pid.startswith(p + " ")]
    return max(broader, key=len) if broader else None


def named_provisions(text: str) -> list[tuple[str, int, int]]:
    """``(provision id, start, end)`` for every provision ``text`` cites, in text order, each id once."""
    if not _CUE.search(text):
        return []
    found: dict[str, tuple[int, int]] = {}
    taken: list[tuple[int, int]] = []
    for m in _CITED.finditer(text):
        inst = m.group("inst")
        prefix = next(p for pattern, p in _INSTRUMENTS if re.fullmatch(pattern, inst))
        pid = _resolve(prefix, m.group("ref"))
        if pid:
            found.setdefault(pid, m.span())
            taken.append(m.span())
    for m in _RS8.finditer(text):
        if not any(s <= m.start() < e for s, e in taken):
            pid = _resolve("RS", m.group("ref"))
            if pid:
                found.setdefault(pid, m.span())
    for m in _CA3.finditer(text):
        found.setdefault("GC CA3", m.span())
    return sorted(((pid, s, e) for pid, (s, e) in found.items()), key=lambda x: x[1])
