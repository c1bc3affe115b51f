"""Tests of orbitcompute.regions: shipped region data, Region constructors, weighted
percentiles, point-in-polygon and the region map."""

from __future__ import annotations

import csv
import json
from importlib.resources import files

import numpy as np
import pytest

import orbitcompute as oc
from orbitcompute.errors import InputError
from orbitcompute.plotting import plot_region_map
from orbitcompute.regions import (
    INHABITED_CONTINENTS,
    Region,
    country_outlines,
    country_table,
    default_regions,
    points_in_polygon,
    weighted_percentiles,
    world_regions,
)

DATA = files("orbitcompute").joinpath("data")


def _cities():
    return list(csv.DictReader(DATA.joinpath("cities.csv").read_text(encoding="utf-8").splitlines()))


# --------------------------------------------------------------------------- data integrity
def test_country_table_covers_every_city_country():
    ct = country_table()
    assert 240 <= len(ct) <= 260  # ISO 3166-1 has 249 codes; country_converter adds Kosovo (XK)
    for code in ct:
        assert len(code) == 2 and code.isupper()
    for city in _cities():
        row = ct[city["country_code"]]
        assert row["subregion"] and row["region"], city
    # spot checks against the UN M49 list
    assert ct["DE"]["subregion"] == "Western Europe" and ct["DE"]["m49_code"] == "276"
    assert ct["BR"]["subregion"] == "South America" and ct["BR"]["region"] == "Americas"
    assert ct["GB"]["subregion"] == "Northern Europe" and ct["GR"]["subregion"] == "Southern Europe"
    assert ct["NA"]["name"] == "Namibia"  # the code 'NA' must not be read as missing


def test_outlines_file_is_valid_geojson():
    fc = json.loads(DATA.joinpath("countries_110m.geojson").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 177  # Natural Earth 110m admin-0
    outlines = country_outlines()
    for key, polys in outlines.items():
        for poly in polys:
            for ring in poly:
                assert ring.shape[1] == 2 and len(ring) >= 4
                np.testing.assert_array_equal(ring[0], ring[-1])  # closed rings
                assert np.all(np.abs(ring[:, 0]) <= 180.0) and np.all(np.abs(ring[:, 1]) <= 90.0)
    # every city country except the two city states below 1:110m scale has an outline
    missing = {c["country_code"] for c in _cities()} - set(outlines)
    assert missing == {"HK", "SG"}


def test_cities_lie_in_their_country_outline():
    """Capitals inside their own country's 110m outline, tested with points_in_polygon."""
    for code, lat, lon in [("FR", 48.8534, 2.3488), ("ES", 40.4165, -3.7026), ("BR", -23.5475, -46.6361),
                           ("JP", 35.6895, 139.6917), ("KE", -1.2833, 36.8167), ("US", 39.7392, -104.9903)]:
        polys = country_outlines(code)[code]
        hit = any(points_in_polygon([lat], [lon], poly[0][:, 1], poly[0][:, 0])[0] for poly in polys)
        assert hit, code


def test_shipped_files_are_small_and_sourced():
    names = ["country_regions.csv", "countries_110m.geojson", "cloud_regions.csv", "grid_electricity.csv"]
    total = sum(len(DATA.joinpath(n).read_bytes()) for n in names)
    assert total < 1_000_000
    sources = DATA.joinpath("SOURCES.md").read_text(encoding="utf-8")
    for n in names:
        assert f"## `{n}`" in sources, n
    for lic in ("public domain", "CC BY 4.0", "Natural Earth", "GeoNames", "Our World in Data", "EIA"):
        assert lic in sources, lic


def test_outline_unknown_code_teaches():
    with pytest.raises(InputError, match="'ZZ'.*ISO 3166-1"):
        country_outlines(["FR", "ZZ"])


# --------------------------------------------------------------------------- weighted percentiles
def test_weighted_percentiles_match_numpy_inverted_cdf_on_repeated_samples():
    """Reference: numpy's inverted_cdf percentile of the sample with each value repeated
    weight times.  Exact equality: both select one of the given values."""
    rng = np.random.default_rng(4)
    q = np.array([0, 1, 5, 10, 25, 33.3, 50, 66.7, 75, 90, 95, 99, 100])
    for _ in range(200):
        n = int(rng.integers(1, 30))
        x = np.round(rng.normal(50, 20, n), 1)  # ties happen
        w = rng.integers(0, 6, n)
        if w.sum() == 0:
            w[0] = 1
        ref = np.percentile(np.repeat(x, w), q, method="inverted_cdf")
        got = weighted_percentiles(x, w, q)
        np.testing.assert_array_equal(got, ref)
    # exact quantile boundaries: n * q / 100 an integer
    x = np.arange(1.0, 11.0)
    np.testing.assert_array_equal(weighted_percentiles(x, np.ones(10), [10, 20, 50, 90]),
                                  np.percentile(x, [10, 20, 50, 90], method="inverted_cdf"))


def test_weighted_percentiles_rows_units_and_nan():
    rng = np.random.default_rng(5)
    x = rng.uniform(10, 90, (7, 12))
    w = rng.integers(1, 5, 12)
    got = weighted_percentiles(x * oc.u.ms, w, [50, 95])
    assert got.shape == (2, 7) and got.units == oc.u.ms
    for i in range(7):
        ref = np.percentile(np.repeat(x[i], w), [50, 95], method="inverted_cdf")
        np.testing.assert_array_equal(got.m[:, i], ref)
    # scalar q gives the leading shape only
    assert weighted_percentiles(x, w, 50).shape == (7,)
    # NaN: omitted with its weight, or propagated
    y = np.array([1.0, np.nan, 3.0, 4.0])
    assert weighted_percentiles(y, [1, 100, 1, 1], 50) == 3.0
    assert np.isnan(weighted_percentiles(y, [1, 1, 1, 1], 50, nan="propagate"))
    assert np.isnan(weighted_percentiles([np.nan, np.nan], [1, 1], 50))
    with pytest.raises(InputError, match="weights"):
        weighted_percentiles([1.0, 2.0], [1, -1], 50)
    with pytest.raises(InputError, match="0..100"):
        weighted_percentiles([1.0, 2.0], [1, 1], 101)


# --------------------------------------------------------------------------- polygons
def _random_star(rng, cx, cy, m=11):
    ang = np.sort(rng.uniform(0, 2 * np.pi, m))
    rad = rng.uniform(5, 25, m)
    return cy + rad * np.sin(ang) * 0.6, cx + rad * np.cos(ang)


def test_points_in_polygon_vs_matplotlib():
    """Reference: matplotlib.path.Path.contains_points (an independent even-odd test)."""
    from matplotlib.path import Path

    rng = np.random.default_rng(6)
    for _ in range(20):
        plat, plon = _random_star(rng, rng.uniform(-100, 100), rng.uniform(-40, 40))
        lat = rng.uniform(-70, 70, 400)
        lon = rng.uniform(-150, 150, 400)
        ref = Path(np.column_stack([plon, plat])).contains_points(np.column_stack([lon, lat]))
        np.testing.assert_array_equal(points_in_polygon(lat, lon, plat, plon), ref)


def test_points_in_polygon_across_antimeridian():
    """A polygon centred on 180 deg: the brute-force reference shifts everything to 0..360."""
    from matplotlib.path import Path

    rng = np.random.default_rng(7)
    plat, plon = _random_star(rng, 180.0, 0.0)
    lat = rng.uniform(-30, 30, 500)
    lon = rng.uniform(-180, 180, 500)
    ref = Path(np.column_stack([plon, plat])).contains_points(np.column_stack([np.mod(lon, 360), lat]))
    wrapped = (plon + 180) % 360 - 180  # vertices given in -180..180, so an edge jumps 360 deg
    assert ref.sum() > 10
    np.testing.assert_array_equal(points_in_polygon(lat, lon, plat, wrapped), ref)


def test_polygon_region_matches_brute_force_city_selection():
    from matplotlib.path import Path

    plat = np.array([35.0, 35.0, 72.0, 72.0])
    plon = np.array([-12.0, 40.0, 40.0, -12.0])
    reg = Region.from_polygon(plat, plon, name="Europe box")
    cities = _cities()
    pts = np.array([[float(c["longitude_deg"]), float(c["latitude_deg"])] for c in cities])
    inside = Path(np.column_stack([plon, plat])).contains_points(pts)
    expect = {c["name"] for c, k in zip(cities, inside) if k}
    got = {n.split(",")[0].split(" (")[0] for n in reg.places.names}
    assert got == expect and len(expect) > 20
    assert abs(reg.weights.sum() - 1.0) < 1e-12


# --------------------------------------------------------------------------- regions
def test_region_weights_are_population_shares():
    reg = Region.from_countries(["DE", "FR"])
    assert reg.name == "Germany + France" and set(reg.country_codes) == {"DE", "FR"}
    pop = reg.places.population.astype(float)
    np.testing.assert_allclose(reg.weights, pop / pop.sum(), rtol=0, atol=1e-15)
    assert abs(reg.weights.sum() - 1.0) < 1e-12
    assert reg.population == int(pop.sum())
    assert not reg.weights.flags.writeable


def test_world_regions_partition_the_cities():
    cities = _cities()
    conts = world_regions("continent")
    assert [r.name for r in conts] == ["Africa", "Asia", "Europe", "North America", "Oceania", "South America"]
    assert sum(len(r) for r in conts) == sum(c["continent"] in INHABITED_CONTINENTS for c in cities)
    subs = world_regions("subregion")
    assert sum(len(r) for r in subs) == len(cities)  # every city in exactly one M49 sub-region
    for r in conts + subs:
        assert abs(r.weights.sum() - 1.0) < 1e-12 and np.all(r.weights > 0)
    assert [r.name for r in default_regions()] == [r.name for r in conts]
    assert len(world_regions("continent", limit=3)[0]) == 3


def test_subregion_and_custom_regions():
    r = Region.from_subregions(["Eastern Africa", "south america"])
    ct = country_table()
    assert {ct[c]["subregion"] for c in r.country_codes} == {"Eastern Africa", "South America"}
    c = Region.from_places([10.0, 20.0], [30.0, 40.0], weights=[1.0, 3.0], names=["a", "b"], name="mine")
    np.testing.assert_allclose(c.weights, [0.25, 0.75])
    assert c.kind == "custom" and c.country_codes == ("", "")
    np.testing.assert_array_equal(c.percentiles([5.0, 7.0], [20, 30]), [5.0, 7.0])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: Region.from_continents("XX"), "unknown continent 'XX'.*AF"),
        (lambda: Region.from_countries(["DE", "QQ"]), "'QQ' is not an ISO 3166-1"),
        (lambda: Region.from_countries("IS"), "no shipped city.*'IS'.*from_places"),
        (lambda: Region.from_subregions("Middle Earth"), "unknown UN M49 sub-region 'Middle Earth'"),
        (lambda: Region.from_polygon([0, 0, 1], [0, 1, 1]), "no shipped city"),
        (lambda: Region.from_places([1.0, 2.0], [1.0, 2.0], weights=[1.0]), "2 places"),
        (lambda: Region.from_places([1.0, 2.0], [1.0, 2.0], weights=[0.0, 0.0]), "not all 0"),
        (lambda: world_regions("planet"), "'continent', 'subregion'"),
    ],
)
def test_errors_name_the_field_and_the_fix(call, match):
    with pytest.raises(InputError, match=match):
        call()


# --------------------------------------------------------------------------- map
def test_plot_region_map_by_country_and_by_region():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plot_region_map({"FR": 12 * oc.u.ms, "US": 0.04 * oc.u.s, "JP": 30 * oc.u.ms},
                          label="median RTT", cmap="cividis", title="test")
    cbar_ax = fig.axes[1]
    assert cbar_ax.get_ylabel() == "median RTT [ms]"
    lo, hi = cbar_ax.get_ylim()
    assert (lo, hi) == pytest.approx((12.0, 40.0))  # 0.04 s converted to ms
    plt.close(fig)
    regs = world_regions("continent", limit=5)
    fig = plot_region_map({r.name: float(i) for i, r in enumerate(regs)}, regions=regs, label="index")
    coll = fig.axes[0].collections[1]
    assert len(coll.get_array()) >= 6  # at least one country per region coloured
    plt.close(fig)
    with pytest.raises(InputError, match="no region named"):
        plot_region_map({"Atlantis": 1.0}, regions=regs)
