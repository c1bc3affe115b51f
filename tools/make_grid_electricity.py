"""Build ``orbitcompute/data/grid_electricity.csv``: grid carbon intensity and electricity price.

Build-time generator, not imported by the package.  One row per *area*: an ISO
3166-1 alpha-2 country code, or an ISO 3166-2 code (``US-VA``) where a value is
known for a state only.  Every value is copied from a source that was read; a
blank means "not known here" (the runtime then uses a documented world default).

Carbon intensity of electricity generation [gCO2eq/kWh], latest year per country:
    Our World in Data ``carbon_intensity_elec`` (data from Ember and the Energy
    Institute Statistical Review; CC BY 4.0), as extracted for the latest
    available year per country into ``codecarbon/data/private_infra/
    global_energy_mix.json`` of the PyPI package ``codecarbon`` 3.3.2 (MIT);
    codecarbon's notebook ``our_world_in_data.ipynb`` documents the extraction.

Electricity price for industrial consumers [USD/kWh]:
    only United States figures, from the U.S. Energy Information Administration:
    the national 2023 industrial average (8.06 US cents/kWh, EIA data as published
    by Statista, 2024-03-18) and the 2023 industrial average revenue per kWh of each
    state (EIA Electric Power Annual 2023, released 2024-10-17,
    https://www.eia.gov/electricity/annual/secrev-map.php).  Other countries have
    no price here: no per-country industrial price table could be read offline with
    its source; the runtime falls back to a documented default with a low/high range.

Run::

    pip download codecarbon==3.3.2 --no-deps -d /tmp/wheels
    python3 tools/make_grid_electricity.py --codecarbon-wheel /tmp/wheels/codecarbon-3.3.2-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "orbitcompute" / "data"
DEFAULT_OUT = DATA / "grid_electricity.csv"
COLUMNS = [
    "area", "name", "carbon_intensity_g_per_kwh", "carbon_year", "carbon_source",
    "price_usd_per_kwh", "price_year", "price_source",
]
CARBON_SOURCE = "OWID carbon_intensity_elec (Ember; Energy Institute) via codecarbon 3.3.2"
US_PRICE = ("0.0806", "2023", "EIA industrial average retail price 2023 (8.06 c/kWh) as published by Statista 2024-03-18")
STATE_PRICE_SOURCE = "EIA Electric Power Annual 2023, industrial average revenue per kWh (secrev-map)"

#: EIA Electric Power Annual 2023, industrial sector, average revenue [US cents/kWh], as printed.
#: Wyoming was not legible in the copy read and is left out.
EIA_2023_INDUSTRIAL_CENTS = {
    "AL": ("Alabama", "7.11"), "AK": ("Alaska", "18.70"), "AZ": ("Arizona", "8.11"),
    "AR": ("Arkansas", "6.87"), "CA": ("California", "18.64"), "CO": ("Colorado", "8.50"),
    "CT": ("Connecticut", "15.69"), "DE": ("Delaware", "7.85"), "DC": ("District of Columbia", "10.85"),
    "FL": ("Florida", "9.39"), "GA": ("Georgia", "6.88"), "HI": ("Hawaii", "35.28"),
    "ID": ("Idaho", "7.17"), "IL": ("Illinois", "8.20"), "IN": ("Indiana", "8.24"),
    "IA": ("Iowa", "6.91"), "KS": ("Kansas", "7.64"), "KY": ("Kentucky", "6.55"),
    "LA": ("Louisiana", "5.88"), "ME": ("Maine", "12.30"), "MD": ("Maryland", "9.94"),
    "MA": ("Massachusetts", "17.88"), "MI": ("Michigan", "8.16"), "MN": ("Minnesota", "9.20"),
    "MS": ("Mississippi", "6.96"), "MO": ("Missouri", "7.90"), "MT": ("Montana", "7.80"),
    "NE": ("Nebraska", "7.63"), "NV": ("Nevada", "10.36"), "NH": ("New Hampshire", "15.76"),
    "NJ": ("New Jersey", "11.68"), "NM": ("New Mexico", "5.75"), "NY": ("New York", "6.87"),
    "NC": ("North Carolina", "7.15"), "ND": ("North Dakota", "7.37"), "OH": ("Ohio", "7.03"),
    "OK": ("Oklahoma", "6.26"), "OR": ("Oregon", "7.52"), "PA": ("Pennsylvania", "7.75"),
    "RI": ("Rhode Island", "18.98"), "SC": ("South Carolina", "6.68"), "SD": ("South Dakota", "8.01"),
    "TN": ("Tennessee", "6.23"), "TX": ("Texas", "6.60"), "UT": ("Utah", "6.99"),
    "VT": ("Vermont", "11.27"), "VA": ("Virginia", "8.92"), "WA": ("Washington", "6.35"),
    "WV": ("West Virginia", "7.24"), "WI": ("Wisconsin", "8.68"),
}


def build_rows(codecarbon_wheel: Path) -> list[dict]:
    with zipfile.ZipFile(codecarbon_wheel) as z:
        mix = json.loads(z.read("codecarbon/data/private_infra/global_energy_mix.json"))
    with open(DATA / "country_regions.csv", encoding="utf-8") as f:
        iso3_to_2 = {r["iso3"]: r["country_code"] for r in csv.DictReader(f)}
    rows = []
    for iso3, rec in sorted(mix.items()):
        cc = iso3_to_2.get(iso3)
        if cc is None:
            print(f"skipped {iso3} ({rec['country_name']}): no ISO alpha-2 code", file=sys.stderr)
            continue
        row = {
            "area": cc,
            "name": rec["country_name"],
            "carbon_intensity_g_per_kwh": f"{float(rec['carbon_intensity']):.3f}",
            "carbon_year": int(rec["year"]),
            "carbon_source": CARBON_SOURCE,
            "price_usd_per_kwh": "", "price_year": "", "price_source": "",
        }
        if cc == "US":
            row["price_usd_per_kwh"], row["price_year"], row["price_source"] = US_PRICE
        rows.append(row)
    for st, (name, cents) in sorted(EIA_2023_INDUSTRIAL_CENTS.items()):
        rows.append({
            "area": f"US-{st}", "name": name,
            "carbon_intensity_g_per_kwh": "", "carbon_year": "", "carbon_source": "",
            "price_usd_per_kwh": f"{float(cents) / 100:.4f}", "price_year": 2023,
            "price_source": STATE_PRICE_SOURCE,
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codecarbon-wheel", type=Path, required=True)
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    rows = build_rows(args.codecarbon_wheel)
    with open(args.output, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} areas to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
