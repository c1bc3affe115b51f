"""Build ``orbitcompute/data/countries_110m.geojson``: Natural Earth 1:110m country outlines.

Build-time generator, not imported by the package.  Source: the Natural Earth
1:110m admin-0 countries layer (public domain) as shipped in the
``geopandas/datasets/naturalearth_lowres`` shapefile of the geopandas 0.14.4 wheel
(Natural Earth v5.1.1 per geopandas PR #2555; geopandas replaced ISO_A3 ``-99``
by ADM0_A3 for sovereign countries and attached Crimea to Ukraine).  Neither
geopandas nor pyshp is a dependency of orbitcompute::

    python3 -m venv /tmp/placesbuild
    /tmp/placesbuild/bin/pip install pyshp==3.1.6 country_converter==1.3.2
    pip download geopandas==0.14.4 --no-deps -d /tmp/gpd
    (cd /tmp/gpd && unzip -o geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*')
    /tmp/placesbuild/bin/python tools/make_outlines.py \
        /tmp/gpd/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Output: a GeoJSON FeatureCollection (RFC 7946: lon/lat in degrees, exterior rings
counter-clockwise, holes clockwise), one Feature per shapefile record, properties
``iso_a2`` (ISO 3166-1 alpha-2, mapped from ``iso_a3`` with country_converter's
table; ``"-99"`` where Natural Earth has no code), ``iso_a3``, ``name`` (ASCII),
``continent`` (Natural Earth's), geometry Polygon or MultiPolygon.  Coordinates
are rounded to 0.01 deg (about 1 km), far below the 1:110m generalisation.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_cities import ascii_fold  # noqa: E402
from make_country_regions import country_table, iso2_of  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "orbitcompute" / "data" / "countries_110m.geojson"


def _area2(ring) -> float:
    """Twice the signed area (shoelace); > 0 for counter-clockwise rings."""
    s = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        s += x0 * y1 - x1 * y0
    return s


def _inside(pt, ring) -> bool:
    x, y = pt
    c = False
    n = len(ring)
    for i in range(n):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % n]
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            c = not c
    return c


def _polygons(shape) -> list[list[list[list[float]]]]:
    parts = list(shape.parts) + [len(shape.points)]
    rings = [[tuple(p) for p in shape.points[a:b]] for a, b in zip(parts[:-1], parts[1:])]
    outers, holes = [], []
    for r in rings:
        # shapefile convention: exterior rings clockwise (negative area), holes counter-clockwise
        (outers if _area2(r) < 0 else holes).append(r)
    polys = [[o[::-1]] for o in outers]  # to RFC 7946 orientation: exterior counter-clockwise
    for h in holes:
        host = next((p for p in polys if _inside(h[0], p[0])), None)
        if host is None:
            raise ValueError("a hole ring lies in no exterior ring")
        host.append(h[::-1])
    return [[[[round(x, 2), round(y, 2)] for x, y in ring] for ring in poly] for poly in polys]


def build(shp: Path) -> dict:
    import shapefile

    iso3_to_2 = {r["ISO3"].strip(): iso2_of(r) for r in country_table() if iso2_of(r)}
    reader = shapefile.Reader(str(shp))
    fields = [f[0] for f in reader.fields[1:]]
    feats = []
    for rec, shape in zip(reader.records(), reader.shapes()):
        props = dict(zip(fields, rec))
        iso3 = str(props["iso_a3"])
        if iso3 == "-99" and props["name"] == "Kosovo":
            iso3 = "XKX"  # Natural Earth has no ISO code for Kosovo; XKX/XK as country_converter uses
        polys = _polygons(shape)
        geom = (
            {"type": "Polygon", "coordinates": polys[0]}
            if len(polys) == 1
            else {"type": "MultiPolygon", "coordinates": polys}
        )
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "iso_a2": iso3_to_2.get(iso3, "-99"),
                    "iso_a3": iso3,
                    "name": ascii_fold(str(props["name"])),
                    "continent": str(props["continent"]),
                },
                "geometry": geom,
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "Natural Earth 1:110m admin-0 countries (v5.1.1 via geopandas 0.14.4), rounded to 0.01 deg",
        "features": feats,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shapefile", type=Path, help="path to naturalearth_lowres.shp")
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    fc = build(args.shapefile)
    text = json.dumps(fc, separators=(",", ":"), ensure_ascii=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    missing = sorted(f["properties"]["name"] for f in fc["features"] if f["properties"]["iso_a2"] == "-99")
    print(f"wrote {len(fc['features'])} countries ({len(text) / 1024:.0f} KiB) to {args.output}; "
          f"no ISO alpha-2 code: {missing}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
