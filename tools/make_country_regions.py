"""Build ``orbitcompute/data/country_regions.csv``: ISO 3166-1 country -> UN M49 region.

Build-time generator, not imported by the package.  The mapping is read from the
table shipped inside the PyPI package ``country_converter`` (file
``country_data.tsv``; columns ``ISO2``, ``ISO3``, ``UNcode``, ``UNregion``,
``continent``), which is not a dependency of orbitcompute::

    python3 -m venv /tmp/placesbuild
    /tmp/placesbuild/bin/pip install country_converter==1.3.2
    /tmp/placesbuild/bin/python tools/make_country_regions.py

``UNregion`` is the finest UN M49 geographic grouping of the country: the
*intermediate region* where M49 defines one (e.g. Eastern Africa, South America,
Caribbean), otherwise the *sub-region* (e.g. Northern Africa, Western Europe).
``continent`` gives the M49 region; ``America`` is written as M49's ``Americas``.
Obsolete entries (Soviet Union, Netherlands Antilles, ...) and entries without an
ISO alpha-2 code are dropped.  Names are folded to ASCII.

Output columns: country_code (ISO alpha-2), iso3, m49_code (M49 numeric country
code), name, subregion, region.  Provenance: ``orbitcompute/data/SOURCES.md``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_cities import ascii_fold  # noqa: E402  (shared ASCII folding of names)

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "orbitcompute" / "data" / "country_regions.csv"
COLUMNS = ["country_code", "iso3", "m49_code", "name", "subregion", "region"]
REGION = {"Africa": "Africa", "America": "Americas", "Asia": "Asia", "Europe": "Europe", "Oceania": "Oceania"}


def country_table() -> list[dict]:
    """Rows of country_converter's ``country_data.tsv`` (all values as strings)."""
    text = resources.files("country_converter").joinpath("country_data.tsv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


def iso2_of(row: dict) -> str:
    """The ISO alpha-2 code of a country_converter row.

    A few rows hold a regular expression of accepted spellings instead of the
    code (``^GB$|^UK$``, ``^GR$|^EL$``): the first alternative is the ISO code.
    """
    text = row["ISO2"].strip()
    return text.split("|")[0].strip("^$") if "^" in text else text


def build_rows() -> list[dict]:
    rows = []
    for r in country_table():
        iso2 = iso2_of(r)
        if not iso2 or r["obsolete"].strip() or len(iso2) != 2:
            continue
        rows.append(
            {
                "country_code": iso2,
                "iso3": r["ISO3"].strip(),
                "m49_code": r["UNcode"].strip(),
                "name": ascii_fold(r["name_short"]),
                "subregion": r["UNregion"].strip(),
                "region": REGION.get(r["continent"].strip(), ""),
            }
        )
    rows.sort(key=lambda x: x["country_code"])
    codes = [x["country_code"] for x in rows]
    if len(codes) != len(set(codes)):
        raise ValueError("duplicate ISO alpha-2 codes in country_converter's table")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    from importlib.metadata import version

    rows = build_rows()
    with open(args.output, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} countries to {args.output} (country_converter {version('country_converter')})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
