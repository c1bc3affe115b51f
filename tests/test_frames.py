"""Tests of orbitcompute.frames: per-time rotation matrices between TEME, GCRS and ITRS.

Independent references
----------------------
* Vallado, Crawford, Hujsak & Kelso (2006), "Revisiting Spacetrack Report #3",
  AIAA 2006-6753, appendix C: TEME -> pseudo-Earth-fixed is a rotation about z by GMST
  of the 1982 model, ``GMST = 67310.54841 s + (876600 h + 8640184.812866 s) T
  + 0.093104 s T^2 - 6.2e-6 s T^3`` with T in Julian centuries of UT1 from J2000.  The
  formula is written out again below (not imported from skyfield) and also compared
  with skyfield's ``theta_GMST1982``.
* astropy's ``GCRS -> ITRS`` and ``TEME -> ITRS`` transforms (ERFA, CIO-based IAU
  2006/2000A, polar motion and UT1 from astropy's bundled IERS-B table; no download).
  orbitcompute neglects polar motion by design (module docstring), so the test puts
  astropy's polar-motion matrix (``erfa.pom00``) on orbitcompute's rotation before
  comparing.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import orbitcompute as oc
from orbitcompute.constants import DAY_S
from orbitcompute.errors import InputError
from orbitcompute.frames import (
    FRAMES,
    check_frame,
    enu_matrices,
    rotate,
    rotation_matrices,
)
from orbitcompute.time import timescale

# Products of a few 3x3 float64 rotations are orthonormal to a few ulp (~1e-16);
# 1e-13 leaves a factor ~100 for the chain of skyfield's precession-nutation matrices.
ORTHO_TOL = 1e-13
# TEME -> ITRS against the explicit Rz(-GMST82) of AIAA 2006-6753: skyfield builds it as
# Rz(-GAST) M M^T Rz(GAST - GMST82); M M^T = I to ~1e-16 and the angle arithmetic
# rounds at ~1e-16 rad x the 2 pi range, so 1e-12 (the brief's figure) is ample.
GMST_TOL = 1e-12
# Against astropy after putting polar motion back: the remaining difference is UT1
# (skyfield's builtin Delta T vs astropy's IERS-B, measured DUT1 difference <= 1.6e-5 s,
# i.e. 0.24 mas of Earth rotation) and IAU 2000A vs 2006/2000A precession-nutation
# (< 0.1 mas).  Measured: <= 0.24 mas (8 mm at 7,000 km).  Limit 1 mas.
ASTROPY_TOL_RAD = np.radians(1.0 / 3.6e6)


def _times(n=7):
    ts = timescale()
    # 1995 .. 2045: inside skyfield's builtin Delta T table and its long-term model
    return ts.tt_jd(np.linspace(2449718.5, 2467994.5, n) + 0.123456789)


def _gmst1982_rad(t):
    """GMST of the 1982 model [rad] (AIAA 2006-6753 appendix C), written independently.

    The whole and fractional parts of the UT1 Julian date are kept apart so that the
    fraction of a day is not lost in a 7-digit Julian date.
    """
    days = (t.whole - 2451545.0) + t.ut1_fraction  # UT1 days from J2000.0
    T = days / 36525.0
    # 876600 h * 3600 s/h * T  ==  86400 s * days : one turn per UT1 day
    g = 67310.54841 + (8640184.812866 + (0.093104 - 6.2e-6 * T) * T) * T  # [s]
    frac = np.remainder(np.remainder(t.whole - 2451545.0, 1.0) + t.ut1_fraction + g / DAY_S, 1.0)
    return frac * 2.0 * np.pi


def _rz_passive(theta):
    """(n,3,3) rotation of coordinate axes by theta about z (Vallado's ROT3)."""
    c, s = np.cos(theta), np.sin(theta)
    z, o = np.zeros_like(c), np.ones_like(c)
    return np.stack([np.stack([c, s, z], -1), np.stack([-s, c, z], -1), np.stack([z, z, o], -1)], -2)


@pytest.mark.parametrize("source", FRAMES)
@pytest.mark.parametrize("target", FRAMES)
def test_rotation_matrices_orthonormal_proper(source, target):
    t = _times()
    R = rotation_matrices(t, source, target)
    assert R.shape == (len(t), 3, 3)
    eye = np.broadcast_to(np.eye(3), R.shape)
    assert np.abs(R @ np.swapaxes(R, 1, 2) - eye).max() < ORTHO_TOL
    assert np.abs(np.linalg.det(R) - 1.0).max() < ORTHO_TOL


@pytest.mark.parametrize("a", FRAMES)
@pytest.mark.parametrize("b", FRAMES)
def test_round_trip_is_identity(a, b):
    t = _times()
    R_ab = rotation_matrices(t, a, b)
    R_ba = rotation_matrices(t, b, a)
    assert np.abs(R_ba @ R_ab - np.eye(3)).max() < ORTHO_TOL
    # and the inverse is the transpose
    assert np.abs(R_ba - np.swapaxes(R_ab, 1, 2)).max() < ORTHO_TOL


def test_chain_composes():
    t = _times()
    R = rotation_matrices(t, "teme", "gcrs")
    S = rotation_matrices(t, "gcrs", "itrs")
    assert np.abs(S @ R - rotation_matrices(t, "teme", "itrs")).max() < ORTHO_TOL


def test_teme_to_itrs_is_minus_gmst1982_z_rotation():
    """AIAA 2006-6753 appendix C: r_PEF = ROT3(theta_GMST82) r_TEME; the builtin timescale
    has no polar motion, so ITRS = PEF here."""
    from skyfield.sgp4lib import theta_GMST1982

    t = _times(25)
    theta = _gmst1982_rad(t)
    theta_sf, _ = theta_GMST1982(t.whole, t.ut1_fraction)
    d = np.angle(np.exp(1j * (theta - theta_sf)))
    assert np.abs(d).max() < GMST_TOL, "independent GMST82 disagrees with skyfield's"
    R = rotation_matrices(t, "teme", "itrs")
    assert np.abs(R - _rz_passive(theta)).max() < GMST_TOL


def test_gmst1982_textbook_value():
    """Vallado (2013) example 3-5: 1992 Aug 20 12:14 UT1 -> GMST 152.578787810 deg."""
    ts = timescale()
    t = ts.ut1(1992, 8, 20, 12, 14, 0.0)
    t = ts.tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
    # rounding of the published 9 decimals: 1e-8 deg
    assert abs(np.degrees(_gmst1982_rad(t)[0]) - 152.578787810) < 1e-8


def test_rotate_equals_einsum_and_keeps_input():
    rng = np.random.default_rng(3)
    t = _times(11)
    R = rotation_matrices(t, "gcrs", "itrs")
    x = rng.normal(size=(5, len(t), 3)) * 7e6
    x0 = x.copy()
    y = rotate(x, R)
    ref = np.einsum("tij,stj->sti", R, x)
    assert y.shape == x.shape
    # BLAS vs einsum summation order: a few ulp of 7e6 m
    assert np.abs(y - ref).max() < 1e-8
    np.testing.assert_array_equal(x, x0)  # input untouched
    out = np.empty_like(x)
    assert rotate(x, R, out=out) is out
    np.testing.assert_array_equal(out, y)


def test_scalar_time_gives_one_matrix():
    ts = timescale()
    t = ts.utc(2026, 6, 21)
    R = rotation_matrices(t, "teme", "itrs")
    assert R.shape == (1, 3, 3)
    t1 = ts.tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
    np.testing.assert_array_equal(R, rotation_matrices(t1, "teme", "itrs"))


def test_same_frame_is_identity_copy():
    t = _times(3)
    R = rotation_matrices(t, "itrs", "itrs")
    np.testing.assert_array_equal(R, np.broadcast_to(np.eye(3), (3, 3, 3)))
    R[0, 0, 0] = 5.0  # a writable copy, not a view of a shared eye
    np.testing.assert_array_equal(rotation_matrices(t, "itrs", "itrs")[0], np.eye(3))


def test_check_frame():
    assert check_frame("ITRS") == "itrs"
    with pytest.raises(InputError, match="'ecef'.*teme, gcrs, itrs"):
        check_frame("ecef")
    with pytest.raises(InputError):
        rotation_matrices(_times(2), "teme", "icrf")


def _astropy_setup():
    from astropy.utils import iers

    iers.conf.auto_download = False
    iers.conf.auto_max_age = None
    return iers


# dates inside astropy's bundled IERS-B table (observed UT1 and polar motion)
ASTROPY_DATES = ["2012-01-01T00:00:00", "2015-03-01T00:00:00", "2018-07-04T12:34:56", "2020-11-11T06:00:00"]


@pytest.mark.parametrize("source", ["gcrs", "teme"])
def test_to_itrs_matches_astropy_with_polar_motion_restored(source):
    iers = _astropy_setup()
    import astropy.units as au
    import erfa
    from astropy.coordinates import GCRS, ITRS, TEME, CartesianRepresentation
    from astropy.time import Time as ATime

    at = ATime(ASTROPY_DATES, scale="utc")
    t = oc.to_time(at)
    R = rotation_matrices(t, source, "itrs")
    frame_cls = GCRS if source == "gcrs" else TEME
    vecs = np.eye(3) * 7.0e6
    worst = 0.0
    for k in range(len(at)):
        xp, yp = (p.to_value(au.rad) for p in iers.earth_orientation_table.get().pm_xy(at[k]))
        W = erfa.pom00(xp, yp, erfa.sp00(at[k].tt.jd1, at[k].tt.jd2))  # V(TRS) = W V(TIRS)
        rep = CartesianRepresentation(vecs.T * au.m)
        ref = frame_cls(rep, obstime=at[k]).transform_to(ITRS(obstime=at[k])).cartesian.xyz.to_value(au.m).T
        ours = (W @ R[k] @ vecs.T).T
        worst = max(worst, np.linalg.norm(ref - ours, axis=1).max() / 7.0e6)
        # without polar motion the difference is the polar motion itself (< 0.6 arcsec)
        assert np.linalg.norm(ref - (R[k] @ vecs.T).T, axis=1).max() / 7.0e6 < np.radians(0.6 / 3600)
    assert worst < ASTROPY_TOL_RAD, f"{np.degrees(worst) * 3.6e6:.3f} mas"


@settings(max_examples=30, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2049, 12, 31)))
def test_rotations_orthonormal_property(when):
    t = oc.to_time([when.replace(tzinfo=dt.UTC)])
    for a in FRAMES:
        for b in FRAMES:
            R = rotation_matrices(t, a, b)
            assert np.abs(R[0] @ R[0].T - np.eye(3)).max() < ORTHO_TOL
            assert abs(np.linalg.det(R[0]) - 1.0) < ORTHO_TOL


def test_enu_matrices_orthonormal_and_up_is_ellipsoid_normal():
    from orbitcompute.frames import geodetic_to_ecef

    lat = np.radians([-89.0, -45.0, 0.0, 30.0, 60.0, 89.9])
    lon = np.radians([-170.0, -30.0, 0.0, 45.0, 120.0, 179.0])
    M = enu_matrices(lat, lon)
    assert M.shape == (6, 3, 3)
    assert np.abs(M @ np.swapaxes(M, 1, 2) - np.eye(3)).max() < ORTHO_TOL
    assert np.abs(np.linalg.det(M) - 1.0).max() < ORTHO_TOL
    # "up" is the normal of the ellipsoid: the direction in which height grows
    p0 = geodetic_to_ecef(lat, lon, 0.0)
    p1 = geodetic_to_ecef(lat, lon, 1000.0)
    up = (p1 - p0) / 1000.0
    assert np.abs(up - M[:, 2, :]).max() < 1e-9
