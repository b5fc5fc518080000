"""The dossier's two figures as inline SVG: incidents on country outlines, and incidents on a timeline.

Outlines ship with the package (``data/outlines.json``, see ``build_outlines``), so the figures need no
network. The map frames the incidents' points (or Ukraine and its neighbours when there are none) in an
equirectangular projection scaled by the cosine of the middle latitude.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

DEFAULT_VIEW = (21.5, 43.5, 41.0, 53.0)  # lon/lat box of Ukraine and its neighbours
MIN_SPAN = 8.0  # degrees of longitude shown at least
PALETTE = {"provisions_suggested": "#b45309", "evidence_linked": "#b45309", "analyst_assessed": "#1d4ed8",
           "peer_reviewed": "#1d4ed8", "legal_reviewed": "#6d28d9", "export_ready": "#6d28d9"}


@cache
def outlines() -> list[dict[str, Any]]:
    path = Path(__file__).parent / "data" / "outlines.json"
    return json.loads(path.read_text(encoding="utf-8"))["countries"]


def view_box(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(west, south, east, north) framing ``points`` (lat, lon) with a margin."""
    if not points:
        return DEFAULT_VIEW
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    half_w = max(MIN_SPAN, (max(lons) - min(lons)) * 1.2 + 4) / 2
    half_h = max(MIN_SPAN * 0.6, (max(lats) - min(lats)) * 1.2 + 3) / 2
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def map_svg(incidents: Sequence[tuple[int, str, str, Sequence[tuple[float, float]]]], width: int = 760) -> str:
    """An SVG map: country outlines in view, one numbered dot per incident place.

    ``incidents``: (number, id, review state, points as (lat, lon)).
    """
    west, south, east, north = view_box([p for *_, pts in incidents for p in pts])
    kx = math.cos(math.radians((south + north) / 2))
    scale = width / ((east - west) * kx)
    height = round((north - south) * scale)

    def xy(lon: float, lat: float) -> str:
        return f"{(lon - west) * kx * scale:.1f},{(north - lat) * scale:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="Map of incidents" class="map">',
             f'<rect width="{width}" height="{height}" fill="#eef4f8"/>']
    for country in outlines():
        rings = [r for r in country["rings"] if _overlaps(r, west, south, east, north)]
        if not rings:
            continue
        d = " ".join("M" + " L".join(xy(lon, lat) for lon, lat in ring) + "Z" for ring in rings)
        parts.append(f'<path d="{d}" fill="{"#fdf6e3" if country["iso"] == "UA" else "#f4f1ea"}" '
                     f'stroke="#9a8f7a" stroke-width="0.8"><title>{escape(country["name"] or "")}</title></path>')
    at: dict[tuple[float, float], list[tuple[int, str, str]]] = {}  # one dot per place, listing its incidents
    for number, incident_id, state, points in incidents:
        for point in points:
            at.setdefault(point, []).append((number, incident_id, state))
    for (lat, lon), here in at.items():
        x, y = xy(lon, lat).split(",")
        names = "; ".join(f"{n}. {escape(i)}" for n, i, _ in here)
        parts.append(f'<g><title>{names}</title>'
                     f'<circle cx="{x}" cy="{y}" r="7" fill="{PALETTE.get(here[0][2], "#b45309")}" '
                     f'stroke="#fff" stroke-width="1.5"/>'
                     f'<text x="{float(x) + 9:.1f}" y="{float(y) + 4:.1f}" font-size="12" '
                     f'font-weight="bold" fill="#222">{", ".join(str(n) for n, _, _ in here)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _overlaps(ring: list[list[float]], west: float, south: float, east: float, north: float) -> bool:
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lons) <= east and max(lons) >= west and min(lats) <= north and max(lats) >= south


def _interval(value: str | None) -> tuple[date, date] | None:
    if not value:
        return None
    first, _, last = value.partition("/")
    try:
        return date.fromisoformat(first), date.fromisoformat(last or first)
    except ValueError:
        return None


def timeline_svg(incidents: Sequence[tuple[int, str, str, str | None]], width: int = 760) -> str:
    """An SVG timeline: one row per dated incident, a dot for a day, a bar for an interval.

    ``incidents``: (number, id, review state, date or ``YYYY-MM-DD/YYYY-MM-DD``). Undated ones are left out
    (the dossier lists them under the figure).
    """
    dated = [(n, i, s, iv) for n, i, s, d in incidents if (iv := _interval(d))]
    if not dated:
        return ""
    lo = min(iv[0] for *_, iv in dated).toordinal() - 1
    hi = max(iv[1] for *_, iv in dated).toordinal() + 1
    left, right, row_h = 250, 40, 22
    height = 40 + row_h * len(dated)
    span = max(hi - lo, 1)

    def x(day: date) -> float:
        return left + (day.toordinal() - lo) / span * (width - left - right)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="Timeline of incidents" class="timeline">']
    step = max(1, span // 8)
    for day_n in range(lo, hi + 1, step):
        day = date.fromordinal(day_n)
        parts.append(f'<line x1="{x(day):.1f}" y1="18" x2="{x(day):.1f}" y2="{height - 4}" stroke="#ddd"/>'
                     f'<text x="{x(day):.1f}" y="12" font-size="10" text-anchor="middle" fill="#555">'
                     f'{day.isoformat()}</text>')
    for row, (number, incident_id, state, (first, last)) in enumerate(dated):
        y = 30 + row * row_h
        colour = PALETTE.get(state, "#b45309")
        label = incident_id if len(incident_id) <= 34 else incident_id[:33] + "…"
        parts.append(f'<text x="4" y="{y + 4}" font-size="11" fill="#222">{number}. {escape(label)}</text>')
        if first == last:
            parts.append(f'<circle cx="{x(first):.1f}" cy="{y}" r="5" fill="{colour}"/>')
        else:
            parts.append(f'<rect x="{x(first):.1f}" y="{y - 4}" width="{max(x(last) - x(first), 4):.1f}" '
                         f'height="8" rx="4" fill="{colour}" opacity="0.7"/>')
    parts.append("</svg>")
    return "".join(parts)
