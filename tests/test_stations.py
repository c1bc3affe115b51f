"""Tests of orbitcompute.stations (ground sites, shipped cities, look angles) and of the
geodetic conversions in orbitcompute.frames.

References and tolerances
-------------------------
* skyfield 1.5x (Rhodes, https://rhodesmill.org/skyfield/), an independent implementation:
  ``wgs84.latlon(...).itrs_xyz`` for geodetic -> ECEF, ``wgs84.geographic_position_of``
  for ECEF -> geodetic, ``(EarthSatellite - wgs84.latlon(...)).at(t).altaz()`` and
  ``frame_latlon_and_rates(topos)`` for look angles.  Every tolerance below is named and
  carries its reason and the residual measured when it was set.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import orbitcompute as oc
from orbitcompute.frames import ecef_to_geodetic, geodetic_to_ecef
from orbitcompute.stations import CONTINENTS, GroundSites, LookAngles, look_angles_si
from orbitcompute.time import timescale

skyfield_api = pytest.importorskip("skyfield.api")
wgs84 = skyfield_api.wgs84
EarthSatellite = skyfield_api.EarthSatellite

# --------------------------------------------------------------------------- tolerances
#: geodetic -> ECEF vs skyfield [m].  Same closed-form formula (NGA WGS84 eq. 4-14);
#: differences are float64 rounding (skyfield computes in AU).  Measured 2.2e-8 m.
TOL_G2E_M = 1e-3
#: ECEF -> geodetic, round trip against the geodetic input, as a distance [m]
#: (latitude and longitude errors times (a + h), height error).  Measured 1.2e-8 m.
TOL_ROUNDTRIP_M = 1e-3
#: ECEF -> geodetic vs skyfield, longitude and height [m].  Measured 3.2e-7 m.
TOL_SF_LONH_M = 1e-3
#: ECEF -> geodetic vs skyfield, latitude [m].  Skyfield stops its fixed-point latitude
#: iteration after 3 steps (toposlib.Geoid._compute_latitude); each step gains a factor
#: of about e^2 = 0.0067, leaving up to 2.8 mm (measured) at mid latitudes, while
#: orbitcompute's Bowring + 2 Newton steps is at 1e-8 m against the exact input.  So the
#: 1 mm goal holds against the exact input (TOL_ROUNDTRIP_M), and against skyfield's
#: latitude only to skyfield's own truncation error.
TOL_SF_LAT_M = 5e-3
#: Look angles vs skyfield [deg].  Both use the same SGP4 states (the same Satrec
#: objects), the same TEME -> GCRS -> ITRS rotations and a horizon frame built on the
#: geodetic (ellipsoid-normal) up: skyfield's GeographicPosition.rotation_at is
#: rot_y(latitude) rot_z(-longitude) ITRS.  Only float rounding differs (skyfield works
#: in AU and AU/day).  Measured: elevation 2.4e-12 deg, azimuth * cos(elevation)
#: 1.2e-12 deg (azimuth itself is ill-conditioned near the zenith, hence the cos).
TOL_ANGLE_DEG = 1e-8
#: Slant range, relative [-].  Measured 5.4e-14 (4.8e-8 m).
TOL_RANGE_REL = 1e-11
#: Range rate [m/s].  Skyfield differentiates in its rotating topocentric frame; the
#: range rate is frame independent (r . (w x r) = 0).  Measured 2.3e-10 m/s.
TOL_RANGE_RATE = 1e-6

EPOCH = "2026-06-21T00:00:00Z"


# --------------------------------------------------------------------------- frames
def _random_geodetic(n, seed):
    rng = np.random.default_rng(seed)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))  # uniform over the sphere
    lon = rng.uniform(-180, 180, n)
    # heights: half log-uniform over 1 m .. 40,000 km, half uniform over -400 m .. 40,000 km
    h = np.where(
        rng.uniform(size=n) < 0.5,
        10 ** rng.uniform(0, np.log10(4e7), n),
        rng.uniform(-400, 4e7, n),
    )
    # edge cases: poles, equator, extremes of height
    lat[:6] = [90.0, -90.0, 0.0, 89.999999, -0.0, 45.0]
    h[:6] = [0.0, 4e7, -400.0, 35_786e3, 0.0, -400.0]
    return lat, lon, h


def test_geodetic_to_ecef_matches_skyfield():
    lat, lon, h = _random_geodetic(2000, seed=20261124)
    xyz = geodetic_to_ecef(np.radians(lat), np.radians(lon), h)
    ref = wgs84.latlon(lat, lon, elevation_m=h).itrs_xyz.m.T
    assert xyz.shape == (2000, 3)
    err = np.linalg.norm(xyz - ref, axis=-1)
    assert err.max() <= TOL_G2E_M, f"max {err.max()} m"


def test_geodetic_to_ecef_broadcasts_scalars():
    x = geodetic_to_ecef(0.0, 0.0, 0.0)
    assert x.shape == (3,)
    np.testing.assert_allclose(x, [6378137.0, 0.0, 0.0], atol=1e-9)
    assert geodetic_to_ecef(np.zeros(4), 0.0, 100.0).shape == (4, 3)


def test_ecef_to_geodetic_round_trip_and_skyfield():
    from skyfield.toposlib import ITRSPosition
    from skyfield.units import Distance

    lat, lon, h = _random_geodetic(2000, seed=7)
    ref_xyz = wgs84.latlon(lat, lon, elevation_m=h).itrs_xyz.m.T  # independent forward
    la, lo, hh = ecef_to_geodetic(ref_xyz)
    scale = 6378137.0 + np.abs(h)

    dlat_true = np.abs(la - np.radians(lat)) * scale
    dlon = np.abs((lo - np.radians(lon) + np.pi) % (2 * np.pi) - np.pi)
    dlon_true = dlon * np.cos(np.radians(lat)) * scale
    dh_true = np.abs(hh - h)
    assert dlat_true.max() <= TOL_ROUNDTRIP_M, f"lat {dlat_true.max()} m"
    assert dlon_true.max() <= TOL_ROUNDTRIP_M, f"lon {dlon_true.max()} m"
    assert dh_true.max() <= TOL_ROUNDTRIP_M, f"h {dh_true.max()} m"

    t = timescale().utc(2026, 6, 21)
    gp = wgs84.geographic_position_of(ITRSPosition(Distance(m=ref_xyz.T)).at(t))
    sp = wgs84.subpoint_of(ITRSPosition(Distance(m=ref_xyz.T)).at(t))
    dlat_sf = np.abs(la - gp.latitude.radians) * scale
    # subpoint_of: the same latitude (via a degree round trip) and the same longitude
    dlat_sp = np.abs(la - sp.latitude.radians) * scale
    dlon_sp = np.abs((lo - sp.longitude.radians + np.pi) % (2 * np.pi) - np.pi) * np.cos(la) * scale
    assert dlat_sp.max() <= TOL_SF_LAT_M, f"lat vs skyfield subpoint {dlat_sp.max()} m"
    assert dlon_sp.max() <= TOL_SF_LONH_M, f"lon vs skyfield subpoint {dlon_sp.max()} m"
    dlon_sf = np.abs((lo - gp.longitude.radians + np.pi) % (2 * np.pi) - np.pi) * np.cos(la) * scale
    dh_sf = np.abs(hh - gp.elevation.m)
    assert dlat_sf.max() <= TOL_SF_LAT_M, f"lat vs skyfield {dlat_sf.max()} m"
    assert dlon_sf.max() <= TOL_SF_LONH_M, f"lon vs skyfield {dlon_sf.max()} m"
    assert dh_sf.max() <= TOL_SF_LONH_M, f"h vs skyfield {dh_sf.max()} m"


# --------------------------------------------------------------------------- look angles
SITE_LAT = [35.6895, -33.8688, 51.4779, 0.0, -75.0, 64.8]
SITE_LON = [139.6917, 151.2093, -0.0015, -78.5, 123.3, 212.0]  # 212 E tests lon > 180
SITE_H = [40.0, 10.0, 46.0, 2800.0, 3233.0, -30.0]


@pytest.fixture(scope="module")
def walker():
    return oc.Constellation.walker_delta(
        total=12, planes=3, phasing=1, altitude=550 * oc.u.km, inclination=53 * oc.u.deg, epoch=EPOCH
    )


@pytest.fixture(scope="module")
def grid():
    return oc.time_grid(EPOCH, "2026-06-21T02:00:00Z", step=60 * oc.u.s)


@pytest.fixture(scope="module")
def sites():
    return GroundSites.from_latlon(SITE_LAT, SITE_LON, SITE_H, names=["TYO", "SYD", "GRW", "EQ", "DOMEC", "FBK"])


@pytest.fixture(scope="module")
def skyfield_reference(walker, grid):
    """Skyfield's elevation, azimuth [deg], range [m], range rate [m/s], (n_sat, n_site, n_time)."""
    ts = timescale()
    shape = (len(walker), len(SITE_LAT), len(grid))
    el, az, rg, rr = (np.empty(shape) for _ in range(4))
    for k in range(len(walker)):  # reference only; the code under test has no such loop
        sat = EarthSatellite.from_satrec(walker._satrecs[k], ts)
        for j in range(len(SITE_LAT)):
            topos = wgs84.latlon(SITE_LAT[j], SITE_LON[j], elevation_m=SITE_H[j])
            p = (sat - topos).at(grid)
            a, z, d = p.altaz()
            el[k, j], az[k, j], rg[k, j] = a.degrees, z.degrees, d.m
            rr[k, j] = p.frame_latlon_and_rates(topos)[5].km_per_s * 1e3
    return el, az, rg, rr


def test_look_angles_match_skyfield(walker, grid, sites, skyfield_reference):
    el, az, rg, rr = skyfield_reference
    la = sites.look_angles(walker, grid)
    assert isinstance(la, LookAngles)
    assert la.shape == (12, 6, len(grid))
    for q in (la.azimuth, la.elevation, la.range, la.range_rate):
        assert q.shape == la.shape
    assert la.azimuth.units == oc.u.deg and la.elevation.units == oc.u.deg
    assert la.range.units == oc.u.m and la.range_rate.units == oc.u.m / oc.u.s
    assert not la.error.any()
    # the sample must contain passes, not only satellites below the horizon
    assert (el > 10).sum() > 50

    E, A = la.elevation.m_as("deg"), la.azimuth.m_as("deg")
    assert np.abs(E - el).max() <= TOL_ANGLE_DEG
    daz = np.abs((A - az + 180.0) % 360.0 - 180.0) * np.cos(np.radians(el))
    assert daz.max() <= TOL_ANGLE_DEG
    assert (np.abs(la.range.m_as("m") - rg) / rg).max() <= TOL_RANGE_REL
    assert np.abs(la.range_rate.m_as("m/s") - rr).max() <= TOL_RANGE_RATE
    assert ((A >= 0) & (A < 360)).all()


def test_look_angles_scalar_time_and_chunking(walker, grid, sites):
    full = sites.look_angles(walker, grid)
    # a tiny memory budget forces one time step per block: the same numbers up to
    # rounding (batched matmul may sum in another order for other shapes)
    chunked = sites.look_angles(walker, grid, max_bytes=1)
    np.testing.assert_allclose(chunked.elevation.m, full.elevation.m, rtol=0, atol=1e-11)
    np.testing.assert_allclose(chunked.range.m, full.range.m, rtol=1e-14)
    np.testing.assert_allclose(chunked.range_rate.m, full.range_rate.m, rtol=0, atol=1e-8)
    one = sites.look_angles(walker, grid[5])
    assert one.shape == (12, 6) and one.error.shape == (12,)
    np.testing.assert_allclose(one.elevation.m, full.elevation.m[:, :, 5], rtol=0, atol=1e-12)
    iso = sites[1:3].look_angles(walker, [EPOCH, "2026-06-21T00:01:00Z"])
    np.testing.assert_allclose(iso.range.m, full.range.m[:, 1:3, :2], rtol=1e-13)


def test_kernel_simple_geometry():
    a = 6378137.0
    site = GroundSites.from_latlon(0.0, 0.0)  # on the equator at 0 E, up = +x
    r = np.array(
        [
            [[a + 1e6, 0.0, 0.0]],  # zenith
            [[a, 0.0, 1e6]],  # due north, on the horizon plane
            [[a, 1e6, 0.0]],  # due east, on the horizon plane
            [[a - 1e6, 0.0, 0.0]],  # nadir
        ]
    )
    v = np.zeros_like(r)
    v[0, 0] = [7000.0, 0.0, 0.0]  # climbing straight up: range rate +7000
    v[2, 0] = [0.0, -3000.0, 5000.0]  # coming back towards the site at 3000 m/s
    az, el, rng, rdot = look_angles_si(r, v, site.ecef, site.enu)
    assert az.shape == el.shape == rng.shape == rdot.shape == (4, 1, 1)
    np.testing.assert_allclose(el[:, 0, 0], np.radians([90.0, 0.0, 0.0, -90.0]), atol=1e-12)
    np.testing.assert_allclose(az[1:3, 0, 0], np.radians([0.0, 90.0]), atol=1e-12)
    np.testing.assert_allclose(rng[:, 0, 0], 1e6, rtol=1e-15)
    np.testing.assert_allclose(rdot[:, 0, 0], [7000.0, 0.0, -3000.0, 0.0], atol=1e-9)


def test_kernel_nan_states_and_inputs_untouched(sites):
    rng = np.random.default_rng(3)
    r = rng.normal(size=(3, 4, 3)) * 7e6
    v = rng.normal(size=(3, 4, 3)) * 7e3
    r[1, 2] = np.nan  # a failed propagation
    r0, v0 = r.copy(), v.copy()
    out = look_angles_si(r, v, sites.ecef, sites.enu)
    np.testing.assert_array_equal(r, r0)
    np.testing.assert_array_equal(v, v0)
    for x in out:
        assert x.shape == (3, 6, 4)
        assert np.isnan(x[1, :, 2]).all()
        assert np.isfinite(np.delete(x.reshape(3 * 6, 4), np.s_[6:12], axis=0)).all()


def test_kernel_rejects_bad_shapes(sites):
    with pytest.raises(oc.InputError, match="n_sat, n_time, 3"):
        look_angles_si(np.zeros((3, 3)), np.zeros((3, 3)), sites.ecef, sites.enu)
    with pytest.raises(oc.InputError, match="n_site, 3, 3"):
        look_angles_si(np.zeros((1, 2, 3)), np.zeros((1, 2, 3)), sites.ecef, sites.enu[:2])


# --------------------------------------------------------------------------- from_latlon
@pytest.mark.parametrize(
    "lat, lon, h, n",
    [
        (10.0, 20.0, 0.0, 1),  # scalars
        ([10.0], [20.0], [5.0], 1),  # 1-element
        ([10.0, 20.0, 30.0], 20.0, 0.0, 3),  # N with scalar broadcast
        ([10.0, 20.0, 30.0], [1.0, 2.0, 3.0], [0.0], 3),  # N with 1-element broadcast
        (np.array([10.0, 20.0]) * oc.u.deg, [1.0, 2.0] * oc.u.deg, 1.0 * oc.u.km, 2),  # quantities
    ],
)
def test_from_latlon_shapes(lat, lon, h, n):
    s = GroundSites.from_latlon(lat, lon, h)
    assert len(s) == n
    assert s.lat_rad.shape == s.lon_rad.shape == s.height_m.shape == (n,)
    assert s.ecef.shape == (n, 3) and s.enu.shape == (n, 3, 3)
    assert s.names == tuple(f"site{k}" for k in range(n))
    assert s.population is None
    np.testing.assert_allclose(s.ecef, geodetic_to_ecef(s.lat_rad, s.lon_rad, s.height_m))


def test_from_latlon_units_and_wrap():
    s = GroundSites.from_latlon(1.0 * oc.u.rad, 270.0, 2.0 * oc.u.km)
    assert s.lat_rad[0] == pytest.approx(1.0)
    assert np.degrees(s.lon_rad[0]) == pytest.approx(-90.0)
    assert s.height_m[0] == pytest.approx(2000.0)
    assert s.latitude.units == oc.u.deg and s.height.m_as("km")[0] == pytest.approx(2.0)
    with pytest.raises(oc.UnitError):
        GroundSites.from_latlon(10 * oc.u.m, 0.0)


@pytest.mark.parametrize(
    "kwargs, fragments",
    [
        (dict(lat_deg=[10.0, 95.5], lon_deg=0.0), ["lat_deg[1]", "95.5", "-90..90"]),
        (dict(lat_deg=-90.001, lon_deg=0.0), ["lat_deg[0]", "-90.001"]),
        (dict(lat_deg=[0.0, np.nan], lon_deg=0.0), ["lat_deg[1]", "nan", "not a number"]),
        (dict(lat_deg=0.0, lon_deg=[0.0, 0.0, 361.0]), ["lon_deg[2]", "361", "-180..360"]),
        (dict(lat_deg=0.0, lon_deg=-180.5), ["lon_deg[0]", "-180.5"]),
        (dict(lat_deg=0.0, lon_deg=np.nan), ["lon_deg[0]", "not a number"]),
        (dict(lat_deg=0.0, lon_deg=0.0, height_m=np.inf), ["height_m[0]", "inf", "finite"]),
        (
            dict(lat_deg=[1.0, 2.0], lon_deg=[1.0, 2.0, 3.0]),
            ["lat_deg has 2", "lon_deg has 3", "one value per site"],
        ),
        (dict(lat_deg=[1.0, 2.0], lon_deg=0.0, names=["a"]), ["names", "1 names for 2 sites"]),
        (dict(lat_deg=[[1.0, 2.0]], lon_deg=0.0), ["lat_deg", "1-D", "(1, 2)"]),
    ],
)
def test_from_latlon_errors_teach(kwargs, fragments):
    with pytest.raises(oc.InputError) as info:
        GroundSites.from_latlon(**kwargs)
    assert isinstance(info.value, ValueError)
    for frag in fragments:
        assert frag in str(info.value), (frag, str(info.value))


@settings(max_examples=150, deadline=None, database=None)
@given(
    inside=st.floats(min_value=-90.0, max_value=90.0),
    outside=st.one_of(
        st.floats(min_value=90.0, exclude_min=True),
        st.floats(max_value=-90.0, exclude_max=True),
        st.just(float("nan")),
    ),
    lon=st.floats(min_value=-180.0, max_value=360.0),
)
def test_from_latlon_validation_property(inside, outside, lon):
    s = GroundSites.from_latlon(inside, lon)
    assert np.degrees(s.lat_rad[0]) == pytest.approx(inside, abs=1e-12)
    assert -np.pi <= s.lon_rad[0] <= np.pi
    assert np.isfinite(s.ecef).all()
    with pytest.raises(oc.InputError, match=r"lat_deg\[1\]"):
        GroundSites.from_latlon([inside, outside], lon)


# --------------------------------------------------------------------------- container
def test_dataclass_layout_and_immutability(sites):
    names = [f.name for f in dataclasses.fields(GroundSites)]
    assert names[:5] == ["names", "lat_rad", "lon_rad", "height_m", "population"]
    init = [f.name for f in dataclasses.fields(GroundSites) if f.init]
    assert init == ["names", "lat_rad", "lon_rad", "height_m", "population"]
    lat = np.radians([10.0, 20.0])
    s = GroundSites(("a", "b"), lat, np.zeros(2), np.zeros(2))  # positional, as before
    assert s.population is None and s.ecef.shape == (2, 3)
    lat[0] = 0.5  # the caller's array is copied, not shared
    assert s.lat_rad[0] == pytest.approx(np.radians(10.0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.names = ("c", "d")
    with pytest.raises(ValueError):
        s.ecef[0, 0] = 1.0
    with pytest.raises(oc.InputError, match="lon_rad"):
        GroundSites(("a", "b"), np.zeros(2), np.zeros(3), np.zeros(2))


def test_getitem_len_repr(sites):
    assert len(sites) == 6
    one = sites[2]
    assert isinstance(one, GroundSites) and one.names == ("GRW",) and one.ecef.shape == (1, 3)
    assert sites[-1].names == ("FBK",)
    assert sites[1:3].names == ("SYD", "GRW")
    mask = np.array([True, False, True, False, False, True])
    sub = sites[mask]
    assert sub.names == ("TYO", "GRW", "FBK")
    np.testing.assert_array_equal(sub.ecef, sites.ecef[mask])
    np.testing.assert_array_equal(sub.enu, sites.enu[mask])
    assert sites[[5, 0]].names == ("FBK", "TYO")
    assert len(sites[np.array([], dtype=int)]) == 0
    with pytest.raises(IndexError):
        sites[6]
    with pytest.raises(IndexError):
        sites[np.array([True, False])]
    r = repr(sites)
    assert "6 sites" in r and "TYO" in r and "..." in r


# --------------------------------------------------------------------------- from_csv
def test_from_csv_round_trip(tmp_path, sites):
    p = tmp_path / "sites.csv"
    lines = ["name,latitude_deg,longitude_deg,height_m"]
    for n, la, lo, h in zip(sites.names, SITE_LAT, SITE_LON, SITE_H):
        lines.append(f"{n},{la!r},{lo!r},{h!r}")
    p.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    back = GroundSites.from_csv(p)
    assert back.names == sites.names
    np.testing.assert_array_equal(back.lat_rad, sites.lat_rad)
    np.testing.assert_array_equal(back.lon_rad, sites.lon_rad)
    np.testing.assert_array_equal(back.height_m, sites.height_m)
    np.testing.assert_array_equal(back.ecef, sites.ecef)


def test_from_csv_aliases_optional_height_and_population(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text(
        "\ufeffName,Lat_deg,lon_deg,population,extra\n"
        '"Sao Paulo, BR",-23.5475,-46.63611,12400232,x\n'
        "Zurich,47.36667,8.55,341730,y\n",
        encoding="utf-8",
    )
    s = GroundSites.from_csv(str(p))
    assert s.names == ("Sao Paulo, BR", "Zurich")
    np.testing.assert_array_equal(s.height_m, [0.0, 0.0])
    np.testing.assert_array_equal(s.population, [12400232, 341730])
    p2 = tmp_path / "s2.csv"
    p2.write_text("name,latitude,longitude\nA,1,2\n", encoding="utf-8")
    assert GroundSites.from_csv(p2).population is None


@pytest.mark.parametrize(
    "text, line, fragments",
    [
        ("name,lat_deg,lon_deg\nA,1,2\nB,north,3\n", 3, ["column lat_deg", "'north'", "not a number"]),
        ("name,lat_deg,lon_deg\nA,1,2\n\nB,91,3\n", 4, ["column lat_deg", "'91'", "swap"]),
        ("name,lat_deg,lon_deg\nA,1,400\n", 2, ["column lon_deg", "'400'"]),
        ("name,lat_deg,lon_deg\nA,nan,4\n", 2, ["column lat_deg", "'nan'"]),
        ("name,lat_deg,lon_deg,height_m\nA,1,2,high\n", 2, ["column height_m", "'high'"]),
        ("name,lat_deg,lon_deg\n,1,2\n", 2, ["column name", "empty"]),
        ("name,lat_deg,lon_deg\nA,1\n", 2, ["2 fields", "header has 3"]),
        ("name,lat,lon\nA,1,2\n", 1, ["'lat'", "latitude_deg, lat_deg, latitude"]),
    ],
)
def test_from_csv_bad_rows_name_file_and_line(tmp_path, text, line, fragments):
    p = tmp_path / "bad.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(oc.InputError) as info:
        GroundSites.from_csv(p)
    msg = str(info.value)
    assert str(p) in msg and f"line {line}" in msg, msg
    assert isinstance(info.value, oc.ParseError) and info.value.line == line
    for frag in fragments:
        assert frag in msg, (frag, msg)


def test_from_csv_empty_and_missing(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("", encoding="utf-8")
    with pytest.raises(oc.InputError, match="empty"):
        GroundSites.from_csv(p)
    p.write_text("name,lat_deg,lon_deg\n", encoding="utf-8")
    with pytest.raises(oc.InputError, match="no data rows"):
        GroundSites.from_csv(p)
    with pytest.raises(oc.InputError, match="no such file"):
        GroundSites.from_csv(tmp_path / "nope.csv")


# --------------------------------------------------------------------------- cities
def test_cities_shipped_list():
    c = GroundSites.cities()
    assert len(c) > 400
    for name in ("Tokyo", "Delhi", "Shanghai", "Sao Paulo", "Lagos"):
        assert name in c.names, name
    assert len(set(c.names)) == len(c)  # duplicates made unique
    assert "Hyderabad, IN" in c.names and "Hyderabad, PK" in c.names
    assert all(n.isascii() for n in c.names)
    assert c.population is not None and c.population.dtype == np.int64
    assert (c.population >= 1_000_000).all()
    assert (np.diff(c.population) <= 0).all()
    assert (np.abs(c.lat_rad) <= np.pi / 2).all() and (np.abs(c.lon_rad) <= np.pi).all()
    np.testing.assert_array_equal(c.height_m, 0.0)
    tokyo = c[c.names.index("Tokyo")]
    np.testing.assert_allclose(np.degrees([tokyo.lat_rad[0], tokyo.lon_rad[0]]), [35.6895, 139.69171], atol=1e-4)


def test_cities_filters():
    top = GroundSites.cities(limit=100)
    assert len(top) == 100
    assert top.names == GroundSites.cities().names[:100]
    jp = GroundSites.cities(countries="jp")
    assert "Tokyo" in jp.names and "Delhi" not in jp.names
    two = GroundSites.cities(countries=["JP", "IN"], min_population=5_000_000)
    assert set(two.names) >= {"Tokyo", "Delhi", "Mumbai"} and (two.population >= 5_000_000).all()
    eu = GroundSites.cities(continents=["EU"])
    assert "London" in eu.names and "Tokyo" not in eu.names
    oce = GroundSites.cities(continents="OC", limit=2)
    assert len(oce) == 2 and set(oce.names) <= {"Sydney", "Melbourne", "Brisbane", "Perth", "Auckland", "Adelaide"}
    assert set(CONTINENTS) == {"AF", "AS", "EU", "NA", "OC", "SA", "AN"}


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        (dict(continents="XX"), "'XX'"),
        (dict(countries=["JP", "QQ"]), "'QQ'"),
        (dict(min_population=10_000), "10000"),
        (dict(limit=0), "limit"),
        (dict(limit=2.5), "limit"),
    ],
)
def test_cities_bad_arguments(kwargs, fragment):
    with pytest.raises(oc.InputError, match=fragment):
        GroundSites.cities(**kwargs)


def test_cities_csv_file_format():
    from importlib.resources import files

    text = files("orbitcompute").joinpath("data", "cities.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "name,country_code,country,continent,latitude_deg,longitude_deg,population,geonameid"
    assert not any(line.startswith("#") for line in lines)
    assert text.isascii()
    import csv

    rows = list(csv.DictReader(lines))
    assert len(rows) == len(GroundSites.cities())
    assert {r["continent"] for r in rows} <= set(CONTINENTS)
    assert all(len(r["country_code"]) == 2 and r["country_code"].isupper() for r in rows)
    assert len({r["geonameid"] for r in rows}) == len(rows)
