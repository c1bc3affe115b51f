"""Tests of orbitcompute.terrestrial: shipped cloud regions and grid data, great-circle
distances, nearest sites, electricity provenance, PUE/WUE."""

from __future__ import annotations

import csv
import math
from importlib.resources import files

import numpy as np
import pytest

import orbitcompute as oc
from orbitcompute.errors import InputError
from orbitcompute.provenance import Assumption
from orbitcompute.terrestrial import (
    EARTH_MEAN_RADIUS_M,
    TerrestrialSites,
    carbon_intensity,
    electricity_price,
    great_circle_distance,
    pue,
    wue,
)

DATA = files("orbitcompute").joinpath("data")


def _csv(name):
    return list(csv.DictReader(DATA.joinpath(name).read_text(encoding="utf-8").splitlines()))


# --------------------------------------------------------------------------- data integrity
def test_cloud_regions_table():
    rows = _csv("cloud_regions.csv")
    by = {p: [r for r in rows if r["provider"] == p] for p in ("aws", "gcp", "azure")}
    assert len(by["aws"]) >= 25 and len(by["gcp"]) >= 25 and len(by["azure"]) >= 25
    assert len({(r["provider"], r["code"]) for r in rows}) == len(rows)
    for r in rows:
        assert -90 <= float(r["latitude_deg"]) <= 90 and -180 <= float(r["longitude_deg"]) <= 180
        assert r["location_basis"] in ("city", "nearby", "subdivision", "country")
        assert r["source_url"].startswith("https://") and r["geonameid"].isdigit()
        assert (r["subdivision"] != "") == (r["country_code"] == "US")
    # a few entries as the providers publish them
    codes = {(r["provider"], r["code"]): r for r in rows}
    assert codes[("aws", "ap-northeast-1")]["city"] == "Tokyo"
    assert codes[("gcp", "europe-west1")]["city"] == "Saint-Ghislain"
    assert codes[("azure", "swedencentral")]["city"] == "Gavle"


def test_grid_table_ranges_and_cloud_coverage():
    rows = {r["area"]: r for r in _csv("grid_electricity.csv")}
    countries = [r for a, r in rows.items() if len(a) == 2]
    assert len(countries) > 200
    for r in countries:
        ci = float(r["carbon_intensity_g_per_kwh"])
        assert 0.0 <= ci <= 1400.0  # from 0 (all-hydro) to the dirtiest (gas/oil-only) grids
        assert 2009 <= int(r["carbon_year"]) <= 2025 and r["carbon_source"]
    for r in rows.values():
        if r["price_usd_per_kwh"]:
            assert 0.04 <= float(r["price_usd_per_kwh"]) <= 0.40 and r["price_source"] and r["price_year"]
    # every country hosting a shipped cloud region has a carbon intensity of its own
    for r in _csv("cloud_regions.csv"):
        assert rows[r["country_code"]]["carbon_intensity_g_per_kwh"], r["country_code"]
    # every US region's state has an EIA price
    for r in _csv("cloud_regions.csv"):
        if r["country_code"] == "US" and r["subdivision"] != "US-WY":
            assert rows[r["subdivision"]]["price_usd_per_kwh"], r["subdivision"]


# --------------------------------------------------------------------------- distances
def test_great_circle_matches_astropy_angular_separation():
    """Reference: astropy.coordinates.angular_separation (Vincenty's formula on the unit
    sphere) times the same radius; agreement to 1e-9 m relative is float rounding."""
    from astropy.coordinates import angular_separation

    rng = np.random.default_rng(8)
    lat1, lat2 = rng.uniform(-90, 90, (2, 2000))
    lon1, lon2 = rng.uniform(-180, 180, (2, 2000))
    ref = angular_separation(np.radians(lon1), np.radians(lat1), np.radians(lon2), np.radians(lat2))
    got = great_circle_distance(lat1, lon1, lat2, lon2).m_as("m")
    np.testing.assert_allclose(got, np.asarray(ref) * EARTH_MEAN_RADIUS_M, rtol=1e-9, atol=1e-6)


def test_known_distances():
    # analytic: a quarter meridian and antipodes on the 6371.0088 km sphere
    assert great_circle_distance(0, 0, 90, 0).m_as("m") == pytest.approx(math.pi / 2 * EARTH_MEAN_RADIUS_M, rel=1e-14)
    # antipodes: the haversine is ill-conditioned there (rounding of h ~ 1e-16 moves the angle by up
    # to 2 sqrt(1e-16) rad ~ 0.13 m), hence 1e-7 relative
    assert great_circle_distance(10, 20, -10, -160).m_as("m") == pytest.approx(math.pi * EARTH_MEAN_RADIUS_M,
                                                                             rel=1e-7)
    # London - New York: ~5,570 km on the mean sphere (the WGS84 geodesic is ~0.3 % longer);
    # 10 km tolerance covers the choice of city-centre coordinates.
    d = great_circle_distance(51.5074, -0.1278, 40.7128, -74.0060)
    assert float(d.m_as("km")) == pytest.approx(5570.0, abs=10.0)
    # quantities in, broadcasting scalar against arrays
    d2 = great_circle_distance(51.5074 * oc.u.deg, -0.1278 * oc.u.deg, [40.7128, 51.5074], [-74.0060, -0.1278])
    assert d2.shape == (2,) and d2[1].m == 0.0
    with pytest.raises(InputError, match="swap latitude and longitude"):
        great_circle_distance(120.0, 0.0, 0.0, 0.0)


def test_nearest_matches_brute_force():
    from astropy.coordinates import angular_separation

    sites = TerrestrialSites.cloud_regions()
    rng = np.random.default_rng(9)
    lat = rng.uniform(-60, 70, 300)
    lon = rng.uniform(-180, 180, 300)
    idx, dist = sites.nearest(lat, lon, k=3)
    assert idx.shape == (300, 3) and dist.units == oc.u.km
    sep = np.asarray(angular_separation(np.radians(lon)[:, None], np.radians(lat)[:, None],
                                        sites.lon_rad[None, :], sites.lat_rad[None, :])) * EARTH_MEAN_RADIUS_M
    ref_d = np.sort(sep, axis=1)[:, :3]
    np.testing.assert_allclose(dist.m_as("m"), ref_d, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(np.take_along_axis(sep, idx, axis=1), ref_d, rtol=1e-9, atol=1e-6)
    assert np.all(np.diff(dist.m, axis=1) >= 0)
    i1, d1 = sites.nearest(48.8534, 2.3488)  # Paris: a Paris region at 0 km
    assert i1.shape == (1, 1) and d1[0, 0].m < 1.0 and sites.cities[i1[0, 0]] == "Paris"
    with pytest.raises(InputError, match="k: 0"):
        sites.nearest(0.0, 0.0, k=0)


def test_sites_subsets_and_providers():
    aws = TerrestrialSites.cloud_regions("aws")
    assert set(aws.providers) == {"aws"} and len(aws) >= 25
    both = TerrestrialSites.cloud_regions(["gcp", "Azure"])
    assert set(both.providers) == {"gcp", "azure"}
    sub = aws[[0, 2]]
    assert len(sub) == 2 and sub.codes == (aws.codes[0], aws.codes[2])
    g = aws.to_ground_sites()
    assert g.names[0].startswith("aws:") and np.array_equal(g.lat_rad, aws.lat_rad)
    with pytest.raises(InputError, match="unknown 'ibm'"):
        TerrestrialSites.cloud_regions("ibm")


# --------------------------------------------------------------------------- electricity, PUE, WUE
def test_electricity_records_carry_provenance():
    grid = {r["area"]: r for r in _csv("grid_electricity.csv")}
    va = electricity_price("US", "US-VA")
    assert isinstance(va, Assumption) and va.si("USD/kWh") == 0.0892 and va.year == 2023 and "EIA" in va.source
    assert electricity_price("us").si("USD/MWh") == pytest.approx(80.6)
    de = electricity_price("AQ")  # a country without a shipped price (DE has Eurostat's since 2026-11)
    assert de.si() == 0.0806 and de.low.m == 0.04 and de.high.m == 0.147 and "default" in de.note
    fr = carbon_intensity("FR")
    assert fr.si("g/kWh") == float(grid["FR"]["carbon_intensity_g_per_kwh"])
    assert fr.year == int(grid["FR"]["carbon_year"]) and "OWID" in fr.source
    assert fr.low.m <= fr.value.m <= fr.high.m
    zz = carbon_intensity("ZZ")
    assert zz.si() == 475.0 and "world default" in zz.note
    with pytest.raises(InputError, match="ISO 3166-1 alpha-2"):
        carbon_intensity("France")
    sites = TerrestrialSites.cloud_regions("gcp")
    ci = sites.carbon_intensity()
    pr = sites.electricity_price()
    assert len(ci) == len(pr) == len(sites)
    k = sites.codes.index("us-west1")  # The Dalles, Oregon
    assert pr[k].si() == 0.0752 and ci[k].name == "carbon_intensity_US"


def test_pue_wue_defaults():
    p, w = pue(), wue()
    assert p.si() == 1.58 and p.low.m == 1.1 and p.year == 2023 and "Uptime" in p.source
    assert w.si("L/kWh") == 0.38 and w.year == 2024 and "LBNL" in w.source
    assert w.value.check("[volume] / [energy]")


# --------------------------------------------------------------------------- non-US electricity prices
EU27 = ("AT BE BG CY CZ DE DK EE GR ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK").split()
#: ECB 2025 annual mean of the daily euro reference rates [USD/EUR] (tools/make_grid_electricity.py).
USD_PER_EUR_2025 = 1.1300


def test_eu_prices_are_eurostat_band_id_converted_at_one_rate():
    """Every EU row: Eurostat nrg_pc_205 2025-S2, band ID, excl. VAT, EUR value (kept in the
    note) times the one ECB 2025 rate; 5e-5 USD/kWh = half a unit of the 4th decimal shipped."""
    import re

    for cc in EU27:
        a = electricity_price(cc)
        assert a.year == 2025 and "nrg_pc_205" in a.source and "2025-S2" in a.source, cc
        assert "band ID" in a.note and "excl. VAT" in a.note, cc
        eur = float(re.search(r"([0-9.]+) EUR/kWh", a.note).group(1))
        assert a.si("USD/kWh") == pytest.approx(eur * USD_PER_EUR_2025, abs=5e-5), cc
        assert 0.05 <= eur <= 0.30, cc  # Eurostat's non-household range across the EU since 2023
    # Independent reading of the same Eurostat cell: the Czech 2025-S2 band-ID price excl. VAT,
    # 0.1636 EUR/kWh, quoted in another project's method note (see SOURCES.md).
    assert electricity_price("CZ").si() == pytest.approx(0.1636 * USD_PER_EUR_2025, abs=5e-5)
    # Eurostat's own highlights name Finland the cheapest EU country for non-household
    # electricity (2023-S2 and 2024-S1); it still is in the shipped 2025-S2 band-ID figures.
    prices = {cc: electricity_price(cc).si() for cc in EU27}
    assert min(prices, key=prices.get) == "FI"


def test_uk_price_is_iea_2023_converted_via_ecb_cross_rate():
    """GBP 258/MWh (IEA 2023) x (1.0813 USD/EUR / 0.8698 GBP/EUR), ECB 2023 means; 5e-5 = rounding."""
    gb = electricity_price("GB")
    assert gb.year == 2023 and gb.source.startswith("secondary") and "IEA" in gb.source
    assert gb.si("USD/kWh") == pytest.approx(0.258 * 1.0813 / 0.8698, abs=5e-5)


def test_cloud_region_countries_priced_or_explicitly_defaulted():
    """Which cloud-hosting countries have their own price, and which still fall back, is pinned:
    a row lost or gained by a regeneration shows up here."""
    hosts = {r["country_code"] for r in _csv("cloud_regions.csv")}
    own = {cc for cc in hosts if "default" not in electricity_price(cc).note}
    assert own == {"AT", "BE", "DE", "ES", "FI", "FR", "GB", "IE", "IT", "NL", "PL", "SE", "US"}
    for cc in hosts - own:
        a = electricity_price(cc)
        assert a.si() == 0.0806 and a.name == f"electricity_price_{cc}", cc
    # a state price still wins over the national one, and the EIA note is kept
    assert "EIA" in electricity_price("US", "US-VA").source
    assert "average revenue" in electricity_price("US", "US-VA").note
