"""Propagation throughput of ``Constellation.states_si`` against bare sgp4 ``SatrecArray``.

Workload (the issue's): a 1,584-satellite Walker-delta shell (72 planes, F=1, 550 km,
53 deg) over one day at 60 s (1,441 times).

Cases, each timed end to end, median of interleaved repeats (the order rotates every
repeat so that drift on a shared machine hits all cases alike):

* ``bare``   the incumbent: ``sgp4.api.SatrecArray(con._satrecs).sgp4(jd, fr)`` (TEME, km),
             with the same UTC jd/fr orbitcompute passes to sgp4;
* ``teme``, ``gcrs``, ``itrs``  ``con.states_si(t, frame)`` (SI units; ITRS includes the
             rotation and the Earth-rotation velocity term);
* ``iter64`` ``con.iter_states(t, "itrs", max_bytes=64 MiB)``, all chunks consumed;
* ``proto``  a prototype of a faster ITRS path, defined in this file (see
             :func:`proto_states_itrs`), checked against ``itrs`` to < 1 mm.

Every case gets a fresh skyfield ``Time`` (made outside the timer): skyfield caches
nutation/precession on the ``Time`` object, so re-using one would hide the cost of the
rotation matrices that a user pays on a first call.

Peak memory is measured in a fresh subprocess per case: the tracemalloc peak of the call
(numpy arrays are traced) and the process's ``ru_maxrss`` before/after.

Run::

    python benchmarks/bench_propagation.py            # full size (~1-2 min)
    python benchmarks/bench_propagation.py --quick    # smoke test (< 30 s)
    python benchmarks/bench_propagation.py --profile  # + cProfile of states_si(t, "itrs")
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import sys
import time
import tracemalloc

import numpy as np

from _common import MiB, environment, fmt, maxrss_mib, median, rss_mib, run_json_subprocess, table

import orbitcompute as oc
from orbitcompute.time import timescale

GOAL_RATIO = 0.85  # issue: ours >= 0.85 of bare SGP4 throughput (ITRS, end to end)
DAY_S = 86400.0


# ---------------------------------------------------------------------------- workload
def workload(quick: bool):
    if quick:
        con = oc.Constellation.walker_delta(total=264, planes=24, phasing=1, altitude=550 * oc.u.km,
                                            inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
        t = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T06:00:00Z", step=60 * oc.u.s)
    else:
        con = oc.Constellation.walker_delta(total=1584, planes=72, phasing=1, altitude=550 * oc.u.km,
                                            inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
        t = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-22T00:00:00Z", step=60 * oc.u.s)
    return con, t


def fresh(t):
    """A new Time with the same moments (no skyfield caches attached)."""
    return timescale().tt_jd(t.whole, t.tt_fraction)


def utc_jd_fr(t):
    """The UTC split Julian date sgp4 takes, as skyfield's EarthSatellite builds it."""
    jd = np.ascontiguousarray(t.whole, dtype=np.float64)
    fr = np.ascontiguousarray(t.tai_fraction - t._leap_seconds() / DAY_S, dtype=np.float64)
    return jd, fr


# ---------------------------------------------------------------------------- prototype
def _xy_as_complex(x):
    """View the (x, y) components of a C-contiguous float64 (n_sat, n_time, 3) array as
    complex128 (n_sat, n_time): a z-rotation becomes one complex multiply, in place."""
    assert x.dtype == np.float64 and x.flags.c_contiguous and x.shape[-1] == 3
    return np.ndarray(x.shape[:-1], dtype=np.complex128, buffer=x, offset=0, strides=x.strides[:-1])


def rotate_z_inplace(r, v, theta, scale=1e3, omega=None, block=16):
    """``x <- scale * Rz(-theta[t]) x`` for r and v (n_sat, n_time, 3), then, if ``omega``,
    the Earth-rotation term ``v <- v + W r`` (W[0,1] = omega = -W[1,0]), all in place.

    Blocked over satellites so each block's r and v stay in cache between the passes.
    """
    ph = np.exp(-1j * theta) * scale  # x + iy -> (x + iy) e^{-i theta}
    rc, vc = _xy_as_complex(r), _xy_as_complex(v)
    wj = -1j * omega if omega is not None else None  # (vx + w y) + i (vy - w x) = v + (-i w)(x + iy)
    for k in range(0, r.shape[0], block):
        a, b = rc[k:k + block], vc[k:k + block]
        a *= ph
        b *= ph
        if scale != 1.0:
            r[k:k + block, :, 2] *= scale
            v[k:k + block, :, 2] *= scale
        if wj is not None:
            b += wj * a
    return r, v


def proto_states_itrs(con, t):
    """Prototype ITRS states [m, m/s]: same sgp4 call, then TEME -> ITRS as one z-rotation.

    Skyfield's TEME -> ITRS product ``itrs.R @ TEME.R^T`` reduces exactly (up to rounding,
    no polar motion in the builtin timescale) to ``Rz(-theta_GMST1982(UT1))`` (Vallado et
    al. 2006, AIAA 2006-6753, appendix C): precession and nutation cancel, so the IAU 2000A
    nutation series need not be evaluated at all.  The rotation, the km -> m factor and the
    Earth-rotation velocity term are applied in place on sgp4's own output arrays.
    """
    from sgp4.api import SatrecArray
    from skyfield.constants import ANGVEL
    from skyfield.sgp4lib import theta_GMST1982

    jd, fr = utc_jd_fr(t)
    err, r, v = SatrecArray(list(con._satrecs)).sgp4(jd, fr)
    bad = err != 0
    if bad.any():
        r[bad] = np.nan
        v[bad] = np.nan
    theta, _ = theta_GMST1982(t.whole, t.ut1_fraction)
    rotate_z_inplace(r, v, theta, 1e3, ANGVEL)
    return r, v, err.astype(np.int8)


# ---------------------------------------------------------------------------- cases
def _bare(con, t, jd, fr):
    from sgp4.api import SatrecArray

    return SatrecArray(list(con._satrecs)).sgp4(jd, fr)


def _iter64(con, t, jd, fr):
    n = 0
    for chunk in con.iter_states(t, "itrs", max_bytes=64 * MiB):
        n += chunk.r.shape[1]
        del chunk
    assert n == len(t)
    return n


CASES = {
    "bare": ("sgp4 SatrecArray.sgp4 (incumbent, TEME km)", _bare),
    "teme": ("states_si(t, 'teme')", lambda con, t, jd, fr: con.states_si(t, "teme")),
    "gcrs": ("states_si(t, 'gcrs')", lambda con, t, jd, fr: con.states_si(t, "gcrs")),
    "itrs": ("states_si(t, 'itrs')", lambda con, t, jd, fr: con.states_si(t, "itrs")),
    "iter64": ("iter_states(t, 'itrs', max_bytes=64 MiB)", _iter64),
    "proto": ("prototype ITRS (this file)", lambda con, t, jd, fr: proto_states_itrs(con, t)),
}


def memory_case(key: str, quick: bool) -> dict:
    """Run one case in this (fresh) process; report its memory."""
    con, t = workload(quick)
    jd, fr = utc_jd_fr(t)
    fn = CASES[key][1]
    fn(con, fresh(t)[:2], jd[:2], fr[:2])  # import/warm-up on 2 times
    gc.collect()
    tf = fresh(t)
    rss0 = rss_mib()
    tracemalloc.start()
    out = fn(con, tf, jd, fr)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del out
    return {"tracemalloc_peak_mib": peak / MiB, "rss_before_mib": rss0, "rss_peak_mib": maxrss_mib()}


# ---------------------------------------------------------------------------- breakdown
def profile_itrs(con, t) -> str:
    pr = cProfile.Profile()
    tf = fresh(t)
    pr.enable()
    con.states_si(tf, "itrs")
    pr.disable()
    buf = io.StringIO()
    st = pstats.Stats(pr, stream=buf)
    st.sort_stats("cumulative").print_stats(18)
    return buf.getvalue()


def component_breakdown(con, t, repeats: int):
    """Median cost of the pieces of the ITRS path, and of the prototype's replacements."""
    from skyfield.constants import ANGVEL
    from skyfield.nutationlib import iau2000a_radians
    from skyfield.sgp4lib import theta_GMST1982

    try:
        from orbitcompute import frames
    except ImportError:  # pragma: no cover
        frames = None
    jd, fr = utc_jd_fr(t)
    _, r_km, v_km = _bare(con, t, jd, fr)
    n_t = len(t)

    def interp_nutation(tf, step_days=1.0 / 24):
        """IAU 2000A nutation on an hourly grid, linearly interpolated (error < 1e-10 rad)."""
        x = tf.whole + tf.tt_fraction
        lo, hi = float(x.min()), float(x.max())
        m = max(2, int(np.ceil((hi - lo) / step_days)) + 1)
        grid = np.linspace(lo, hi, m)
        tc = timescale().tt_jd(np.floor(grid), grid - np.floor(grid))
        dpsi, deps = iau2000a_radians(tc)
        tf._nutation_angles_radians = (np.interp(x, grid, dpsi), np.interp(x, grid, deps))
        return tf

    def gmst_R(tf):
        th, _ = theta_GMST1982(tf.whole, tf.ut1_fraction)
        c, s = np.cos(th), np.sin(th)
        R = np.zeros((len(th), 3, 3))
        R[:, 0, 0] = R[:, 1, 1] = c
        R[:, 0, 1], R[:, 1, 0], R[:, 2, 2] = s, -s, 1.0
        return R

    def blocked_matmul(x, R, block=128):
        out = np.empty_like(x)
        RT = np.swapaxes(R, 1, 2)
        for k in range(0, x.shape[0], block):
            np.matmul(np.swapaxes(x[k:k + block], 0, 1), RT, out=np.swapaxes(out[k:k + block], 0, 1))
        return out

    items = []
    if frames is not None and hasattr(frames, "rotation_matrices"):
        items += [
            ("rotation_matrices(t, 'teme', 'itrs'), cold [library]", lambda: frames.rotation_matrices(fresh(t), "teme", "itrs"), None),
            ("rotation_matrices(t, 'teme', 'gcrs'), cold [library]", lambda: frames.rotation_matrices(fresh(t), "teme", "gcrs"), None),
        ]
    items += [
        ("Rz(theta_GMST1982(UT1)) teme->itrs [prototype]", lambda: gmst_R(fresh(t)), None),
    ]
    if frames is not None and hasattr(frames, "rotation_matrices"):
        items.append(("teme->gcrs with hourly-interpolated nutation [prototype]",
                      lambda: frames.rotation_matrices(interp_nutation(fresh(t)), "teme", "gcrs"), None))
    R = gmst_R(fresh(t)) * 1e3
    theta = theta_GMST1982(t.whole, t.ut1_fraction)[0]
    if frames is not None and hasattr(frames, "rotate"):
        items.append(("rotate(x, R) for r and v [library]", lambda: (frames.rotate(r_km, R), frames.rotate(v_km, R)), None))
    ear = getattr(frames, "add_earth_rotation", None) or getattr(frames, "itrs_velocity", None)
    if ear is not None:
        rr = r_km * 1e3
        items.append((f"{ear.__name__}(v, r) [library]", lambda: ear(v_km * 1e3, rr), "includes 1 copy"))
    inplace = getattr(frames, "teme_to_itrs_inplace", None)
    if inplace is not None:
        items.append(("teme_to_itrs_inplace(r, v, t, 1e3) [library]",
                      lambda: inplace(r_km.copy(), v_km.copy(), fresh(t), 1e3), "includes 2 copies"))
    items += [
        ("blocked batched matmul, r and v [prototype]", lambda: (blocked_matmul(r_km, R), blocked_matmul(v_km, R)), None),
        ("complex-view z-rotation + W r, in place [prototype]",
         lambda: rotate_z_inplace(r_km.copy(), v_km.copy(), theta, 1e3, ANGVEL),
         "includes 2 copies"),
        ("2 array copies (reference for the line above)", lambda: (r_km.copy(), v_km.copy()), None),
    ]
    rows = []
    for name, fn, note in items:
        xs = []
        for _ in range(repeats):
            gc.collect()
            a = time.perf_counter()
            fn()
            xs.append(time.perf_counter() - a)
        rows.append((name, fmt(median(xs) * 1e3, 1), note or ""))
    table(["piece (n_sat=%d, n_time=%d)" % (len(con), n_t), "median ms", "note"], rows,
          "ITRS path, piece by piece (median of %d)" % repeats)


# ---------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small workload for a smoke test")
    ap.add_argument("--repeats", type=int, default=None, help="interleaved repeats (default 5; 3 with --quick)")
    ap.add_argument("--no-memory", action="store_true", help="skip the per-case memory subprocesses")
    ap.add_argument("--profile", action="store_true", help="cProfile states_si(t, 'itrs') and time its pieces")
    ap.add_argument("--memory-case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_case:
        print(json.dumps(memory_case(args.memory_case, args.quick)))
        return
    repeats = args.repeats or (3 if args.quick else 5)

    print(environment())
    con, t = workload(args.quick)
    n_sat, n_t = len(con), len(t)
    n_states = n_sat * n_t
    print(f"workload: {n_sat} satellites x {n_t} times = {n_states:,} states; repeats={repeats} (interleaved)")
    jd, fr = utc_jd_fr(t)

    # correctness of the prototype against the library (and warm-up of every case)
    r0, v0, _ = con.states_si(fresh(t), "itrs")
    r1, v1, _ = proto_states_itrs(con, fresh(t))
    dr, dv = float(np.nanmax(np.abs(r1 - r0))), float(np.nanmax(np.abs(v1 - v0)))
    del r0, v0, r1, v1
    for key, (_, fn) in CASES.items():
        fn(con, fresh(t)[:2], jd[:2], fr[:2])

    keys = list(CASES)
    times = {k: [] for k in keys}
    for rep in range(repeats):
        order = keys[rep % len(keys):] + keys[:rep % len(keys)]
        for k in order:
            tf = fresh(t)
            gc.collect()
            a = time.perf_counter()
            out = CASES[k][1](con, tf, jd, fr)
            times[k].append(time.perf_counter() - a)
            del out
        print(f"  repeat {rep + 1}/{repeats}: " + ", ".join(f"{k} {times[k][-1]:.2f}s" for k in keys), flush=True)

    mem = {}
    if not args.no_memory:
        for k in keys:
            extra = ["--quick"] if args.quick else []
            mem[k] = run_json_subprocess([__file__, "--memory-case", k, *extra], timeout=900)

    # ratio of medians, and the median of the per-repeat ratios (same repeat = same load)
    bare = median(times["bare"])
    rows = []
    for k in keys:
        med = median(times[k])
        per_rep = median([b / x for b, x in zip(times["bare"], times[k])])
        m = mem.get(k, {})
        rows.append((
            CASES[k][0], fmt(med, 3), fmt(min(times[k]), 3), fmt(n_states / med / 1e6, 2),
            fmt(bare / med, 3), fmt(per_rep, 3),
            fmt(m.get("tracemalloc_peak_mib")), fmt(m.get("rss_peak_mib")) if "error" not in m else m["error"][:40],
        ))
    table(["case", "median s", "min s", "Mstates/s", "ratio (medians)", "ratio (per-repeat median)",
           "call peak MiB (tracemalloc)", "process peak RSS MiB"], rows,
          f"Propagation, {n_sat} sats x {n_t} times (ratio = bare time / case time; >1 is faster than bare)")
    if mem:
        print("process RSS before the call (imports + constellation): "
              + ", ".join(f"{k} {fmt(mem[k].get('rss_before_mib'))}" for k in keys if "rss_before_mib" in mem[k]) + " MiB")
    print(f"output size r+v+err: {n_states * 49 / MiB:.0f} MiB; prototype vs library ITRS: "
          f"max |dr| = {dr:.2e} m, max |dv| = {dv:.2e} m/s")
    ratio = median([b / x for b, x in zip(times["bare"], times["itrs"])])
    ok = "MET" if ratio >= GOAL_RATIO else "NOT MET"
    print(f"goal: states_si(t, 'itrs') >= {GOAL_RATIO} x bare SGP4 throughput -> {ratio:.3f} ({ok}); "
          f"prototype: {median([b / x for b, x in zip(times['bare'], times['proto'])]):.3f}"
          + (" (quick workload: the goal applies to the full size)" if args.quick else ""))

    if args.profile or ratio < GOAL_RATIO:
        component_breakdown(con, t, repeats)
        if args.profile:
            print("\ncProfile of states_si(t, 'itrs') (fresh Time):")
            print(profile_itrs(con, t))


if __name__ == "__main__":
    sys.exit(main())
