"""Hague's own sentences about an incident, per review state, each checked against the wording policy.

Quoted material (what a source said, a document's title) is not our voice; renderers mark it so the
checks can leave it out (``<q>``/``<cite>`` in HTML, “…” in Markdown and the terminal).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from hague.datafiles import load_yaml
from hague.law.review import assert_wording_allowed

_QUOTED_HTML = re.compile(r"<(q|cite|blockquote)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)
_QUOTED_TEXT = re.compile(r"“[^”]*”")
_TAG = re.compile(r"<[^>]+>")


@cache
def _voice() -> dict[str, Any]:
    return load_yaml("hague.report", "data/voice.yaml")


def said(text: str, state: str, quoted: Iterable[str] = ()) -> str:
    """``text`` unchanged if the state's wording policy allows it; raises WordingError otherwise."""
    assert_wording_allowed(text, state, quoted)
    return text


def headline(state: str, confidence_label: str | None = None) -> str:
    """The sentence that says how far the incident has been reviewed, and so what may be said of it."""
    label = f" ({confidence_label.replace('_', ' ')})" if confidence_label else ""
    return said(" ".join(_voice()["headline"][state].split()).replace("{label}", label), state)


def state_tally(states: dict[str, int]) -> str:
    """How many incidents are in each review state ("1 evidence linked, 9 provisions suggested"). The state
    names are the workflow's vocabulary, not a claim about any incident: renderers exempt this line from the
    wording check of the parts about no one incident."""
    return ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(states.items())) or "none"


def provision_status(status: str) -> str:
    return _voice()["provision"][status]


def finding_origin(origin: str, who: str | None) -> str:
    if origin == "machine":
        return _voice()["machine_finding"]
    return _voice()["analyst_finding"].replace("{who}", who or "a reviewer")


def own_voice_html(fragment: str) -> str:
    """The plain text of an HTML fragment without its quoted parts: what the wording checks read."""
    return html.unescape(_TAG.sub(" ", _QUOTED_HTML.sub(" ", fragment)))


def own_voice_text(text: str) -> str:
    """Plain or Markdown text without its “quoted” parts."""
    return _QUOTED_TEXT.sub(" ", text)
