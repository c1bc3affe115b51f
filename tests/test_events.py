"""The event-search kernel (orbitcompute._events) against scipy's brentq and known roots.

Reference: ``scipy.optimize.brentq`` run to ``xtol=1e-14`` on each function alone.  The
kernel stops when its bracket is narrower than ``TOL``; its reported root (the last point
evaluated) lies in that bracket, so it must agree with brentq to ``TOL`` (plus brentq's
own 1e-14).
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar

from orbitcompute import _events
from orbitcompute._events import CONVERGED, MAX_ITER, NO_SIGN_CHANGE, golden_min, illinois, sign_changes

TOL = 1e-10  # kernel's bracket width [same unit as x]
REF_XTOL = 1e-14


def _batch():
    """K analytic functions f_k(x) with brackets: sines, cubics with known roots, kinks."""
    rng = np.random.default_rng(12)
    funcs, brackets = [], []
    for w, p in zip(rng.uniform(0.5, 3.0, 20), rng.uniform(-1.0, 1.0, 20)):  # sin(w x + p), root near 0
        root = -p / w
        funcs.append(lambda x, w=w, p=p: np.sin(w * x + p))
        brackets.append((root - 0.9 / w, root + 1.3 / w))
    for r1, r2, r3 in rng.uniform(-3, 3, (20, 3)):  # (x - r1)(x - r2)(x - r3), bracket the middle root only
        a, m, c = np.sort([r1, r2, r3])
        funcs.append(lambda x, a=a, m=m, c=c: (x - a) * (x - m) * (x - c))
        brackets.append((0.5 * (a + m), 0.5 * (m + c)))
    for x0, s in zip(rng.uniform(-1, 1, 20), rng.uniform(0.1, 5.0, 20)):
        # a kink at the root (slopes s and 10 s) and a kink away from it
        funcs.append(lambda x, x0=x0, s=s: np.where(x < x0, s * (x - x0), 10 * s * (x - x0)))
        brackets.append((x0 - 2.0, x0 + 0.5))
        funcs.append(lambda x, x0=x0, s=s: s * (x - x0) + 0.3 * s * np.abs(x - x0 - 0.4) - 0.12 * s)
        brackets.append((x0 - 1.5, x0 + 2.0))
    return funcs, np.array(brackets)


def _vectorized(funcs):
    def f(x, idx):
        return np.array([funcs[k](xi) for xi, k in zip(x, idx)], dtype=float)
    return f


def test_illinois_matches_brentq_on_a_batch():
    funcs, br = _batch()
    lo, hi = br[:, 0], br[:, 1]
    f_lo = np.array([fk(a) for fk, a in zip(funcs, lo)])
    f_hi = np.array([fk(b) for fk, b in zip(funcs, hi)])
    assert np.all(np.sign(f_lo) != np.sign(f_hi))
    res = illinois(_vectorized(funcs), lo, hi, f_lo, f_hi, TOL, 100)
    ref = np.array([brentq(fk, a, b, xtol=REF_XTOL) for fk, a, b in zip(funcs, lo, hi)])
    assert res.status.tolist() == [CONVERGED] * len(funcs)
    np.testing.assert_allclose(res.root, ref, rtol=0, atol=TOL + REF_XTOL)
    assert np.all((res.lo <= ref + REF_XTOL) & (ref - REF_XTOL <= res.hi))  # the bracket keeps the root
    assert np.all(res.hi - res.lo <= TOL)


def test_illinois_evaluates_only_the_active_subset():
    """The callback sees each bracket's own points; converged brackets drop out."""
    c = np.array([0.1, 0.5, 0.9])
    seen = []

    def f(x, idx):
        seen.append(idx.copy())
        return x - c[idx]

    res = illinois(f, np.zeros(3), np.ones(3), -c, 1 - c, 1e-12)
    np.testing.assert_allclose(res.root, c, atol=1e-12)  # linear: regula falsi is exact in one step
    assert seen[0].tolist() == [0, 1, 2] and len(seen) <= 3


def test_illinois_status_without_a_sign_change_and_at_the_iteration_limit():
    f = _vectorized([np.cos, lambda x: x * x + 1.0, np.sin])
    lo, hi = np.array([0.0, -1.0, -1.0]), np.array([3.0, 1.0, 2.0])
    f_lo = np.array([1.0, 2.0, np.sin(-1.0)])
    f_hi = np.array([np.cos(3.0), 2.0, np.sin(2.0)])
    res = illinois(f, lo, hi, f_lo, f_hi, 1e-12, 60)
    assert res.status.tolist() == [CONVERGED, NO_SIGN_CHANGE, CONVERGED]
    assert np.isnan(res.root[1])
    np.testing.assert_allclose(res.root[[0, 2]], [np.pi / 2, 0.0], atol=1e-12)
    capped = illinois(f, lo, hi, f_lo, f_hi, 1e-12, 2)
    assert capped.status.tolist() == [MAX_ITER, NO_SIGN_CHANGE, MAX_ITER]
    # a bracket already narrower than tol is converged at its midpoint, with no evaluation
    res = illinois(lambda x, i: pytest.fail("evaluated"), [0.0], [1e-13], [-1.0], [1.0], 1e-12)
    assert res.status.tolist() == [CONVERGED] and res.root[0] == 0.5e-13
    empty = illinois(lambda x, i: x, np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), 1e-9)
    assert all(len(a) == 0 for a in empty)


def test_illinois_exact_zero_closes_the_bracket():
    res = illinois(lambda x, i: x - 0.5, [0.0], [1.0], [-0.5], [0.5], 1e-15)
    assert res.root[0] == res.lo[0] == res.hi[0] == 0.5


def test_sign_changes_on_a_sampled_grid():
    g = np.array([[1.0, 0.0, -1.0, -2.0, 3.0, np.nan, 1.0]])
    falling, rising = sign_changes(g)
    assert falling[0].tolist() == [False, True, False, False, True, False]  # 0 counts as positive, NaN as negative
    assert rising[0].tolist() == [False, False, False, True, False, True]
    valid = np.isfinite(g[:, :-1]) & np.isfinite(g[:, 1:])
    falling, rising = sign_changes(g, valid)
    assert falling[0].tolist() == [False, True, False, False, False, False]
    assert rising[0].tolist() == [False, False, False, True, False, False]


def test_golden_min_matches_scipy_bounded():
    rng = np.random.default_rng(3)
    c = rng.uniform(0.05, 0.95, 30)
    w = rng.uniform(1.0, 3.0, 30)

    def f(x):
        return w * np.cosh(4.0 * (x - c)) - w

    x, fx = golden_min(f, len(c), 40)
    ref = np.array([minimize_scalar(lambda t, k=k: f(np.full(len(c), t))[k], bounds=(0, 1), method="bounded",
                                    options={"xatol": 1e-12}).x for k in range(len(c))])
    # 40 golden steps leave a bracket of 0.618^40 = 4.4e-9; the value is flat there
    np.testing.assert_allclose(x, ref, atol=1e-8)
    np.testing.assert_allclose(fx, 0.0, atol=1e-12)


def test_the_kernel_is_pure():
    """numpy only: no package module, no units, no I/O libraries (a kernel of docs/architecture.md)."""
    tree = ast.parse(Path(_events.__file__).read_text(encoding="utf-8"))
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            mods.add("." if node.level else node.module.split(".")[0])
    assert mods <= {"__future__", "typing", "numpy"}


def test_the_pass_search_plane_test_keeps_every_pair_the_cone_test_keeps():
    """orbitcompute._passes._plane_test only saves work: every satellite-site pair that comes
    within the cone at some sample of a block (exact angles, float64) is among the pairs it
    keeps, for LEO to Molniya orbits, a satellite invalid at the middle sample and one
    never valid."""
    import orbitcompute as oc
    from orbitcompute import _passes
    from orbitcompute.time import offset, to_time

    deg = oc.u.deg
    rng = np.random.default_rng(7)
    n = 40
    a = rng.uniform(6900, 27000, n)
    ecc = np.minimum(rng.uniform(0, 0.75, n), 1 - 6700 / a)  # perigee above ~330 km
    con = oc.Constellation.keplerian(
        semi_major_axis=a * oc.u.km, eccentricity=ecc,
        inclination=rng.uniform(0, 120, n) * deg, raan=rng.uniform(0, 360, n) * deg,
        arg_perigee=rng.uniform(0, 360, n) * deg, mean_anomaly=rng.uniform(0, 360, n) * deg,
        epoch="2026-06-21T00:00:00Z")
    sites = oc.GroundSites.from_latlon(rng.uniform(-80, 80, 200), rng.uniform(-180, 180, 200))
    site_unit = sites.ecef / np.linalg.norm(sites.ecef, axis=1, keepdims=True)
    tau = 3600.0 + 80.0 * np.arange(37)
    r, v, err = con.states_si(offset(to_time("2026-06-21T00:00:00Z"), tau), "itrs")
    valid = err == 0
    valid[3, 18] = False  # invalid at the middle sample: keeps every site
    valid[5] = False  # never valid: no site
    rn = np.linalg.norm(r, axis=-1)
    u = r / rn[..., None]
    reach = rng.uniform(0.05, 0.6, n)
    live = valid.any(axis=1)
    ps, pj = _passes._plane_test(r, v, u, valid, tau, reach, live, site_unit)
    kept = np.zeros((n, len(site_unit)), bool)
    kept[ps, pj] = True
    ang = np.arccos(np.clip(np.einsum("nbi,ji->nbj", u, site_unit), -1.0, 1.0))
    near = ((ang <= reach[:, None, None]) & valid[..., None]).any(axis=1)
    assert near.sum() > 100 and np.all(kept[near])
    assert kept[3].all() and not kept[5].any()
    assert kept.mean() < 0.8  # and it does leave pairs out
