"""The package's ``index.html``: what a person opens first, in the wording each incident's review state allows.

Our own sentences come from ``data/wording.yaml`` and the template; both are checked against the law
layer's wording policy at every build. Titles, outlets and values read from the sources are their words,
not ours, and are passed to the check as quotations.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape
from string import Template
from typing import Any

from hague import __version__
from hague.datafiles import load_yaml, read_text
from hague.law import assert_wording_allowed
from hague.timestamps import utc_now
from hague.vocab import ReviewState

_TAGS = re.compile(r"<[^>]+>")
_FIRST_STATE = ReviewState.INGESTED  # the page's own voice must suit an incident nobody has reviewed


@cache
def wording_table() -> dict[str, Any]:
    return load_yaml("hague.sharing", "data/wording.yaml")


def incident_summary(state: str, sources: int) -> str:
    """The sentence the index says about one incident; raises ``WordingError`` if its state does not allow it."""
    text = wording_table()["incident_summary"][state].format(sources=sources)
    assert_wording_allowed(text, state)
    return text


def _td(value: Any, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{escape(str(value)) if value not in (None, '') else '—'}</td>"


def render_index(*, recipient: str, actor: str, bag: str, head: dict[str, Any], export_seq: int,
                 items: list[dict[str, Any]], incidents: list[dict[str, Any]], log: dict[str, Any]) -> bytes:
    quoted: list[str] = [recipient, actor, bag]
    rows = []
    for it in items:
        doc = it.get("document") or {}
        source = " — ".join(x for x in (doc.get("outlet"), doc.get("title")) if x) or it["origin"]
        quoted += [source, it["origin"], it.get("withheld") or ""]
        original = (f'<td><a href="{escape(it["original"].removeprefix("data/"))}">original</a></td>'
                    if it["original"] else _td(f"withheld: {it['withheld']}", "withheld"))
        text = (f'<td><a href="{escape(it["text"].removeprefix("data/"))}">text</a></td>' if it["text"]
                else _td(None))
        rows.append(f'<tr><td class="hash">{it["sha256"]}</td>{_td(source)}{_td(doc.get("published"))}'
                    f"{original}{text}</tr>")
    blocks = []
    for inc in incidents:
        state = inc["review_state"]
        summary = incident_summary(state, inc["independent_count"])
        quoted += [inc["id"], str(inc.get("status") or ""), summary]  # checked above against its own state
        blocks.append(f"<h3>{escape(inc['id'])}</h3><p>Review state: <strong>{escape(state)}</strong>. "
                      f"{escape(summary)} Status in the sources: {escape(str(inc.get('status') or 'not stated'))}."
                      "</p>")
    red = ["<ul>"]
    for p in log["persons"]:
        quoted.append(p["reason"])
        red.append(f"<li><strong>{escape(p['pseudonym'])}</strong>: {escape(p['reason'])} "
                   f"(marked by {escape(p['marked_by'])}, {escape(p['marked_at'][:10])}; {escape(p['basis'])})</li>")
    for o in log["originals"]:
        red.append(f"<li>original <span class=\"hash\">{o['item']}</span>: {escape(o['action'])} "
                   f"(names {escape(', '.join(o['names']))})</li>")
    red.append("</ul>" if len(red) > 1 else "</ul><p>No one is redacted in this package.</p>")
    page = Template(read_text("hague.sharing", "templates/index.html"))
    html = page.substitute(
        recipient=escape(recipient), created=escape(utc_now()[:19] + "Z"), actor=escape(actor),
        version=__version__, bag=escape(bag), machine_note=escape(wording_table()["machine_note"]),
        key_id=escape(head["key_id"]), tree_size=head["tree_size"], root_hash=head["root_hash"],
        timestamp=escape(head["timestamp"]), export_seq=export_seq, item_count=len(items),
        item_rows="\n".join(rows), incident_count=len(incidents),
        incident_blocks="\n".join(blocks) or "<p>No incidents in this package.</p>", redactions="\n".join(red))
    # The page's own voice must be fit for an unreviewed file; incident sentences were checked per state.
    assert_wording_allowed(_TAGS.sub(" ", html), _FIRST_STATE, quoted=[escape(q) for q in quoted if q])
    return html.encode("utf-8")
