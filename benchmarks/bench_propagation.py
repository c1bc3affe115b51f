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
* the ``itrs`` output is checked against the general GCRS -> ITRS path
  (:func:`itrs_via_gcrs`) to < 1 mm.

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


# ---------------------------------------------------------------------------- reference
def itrs_via_gcrs(con, t):
    """ITRS states by the general path: GCRS output, then skyfield's full GCRS -> ITRS
    matrices (IAU 2000A nutation, GAST) and the Earth-rotation term.  An independent check
    of the library's TEME -> ITRS shortcut (a z-rotation by GMST1982, which this benchmark
    first prototyped and the library adopted in 95cdc5d)."""
    from orbitcompute import frames

    r, v, err = con.states_si(t, "gcrs")
    R = frames.rotation_matrices(t, "gcrs", "itrs")
    r = frames.rotate(r, R)
    v = frames.add_earth_rotation(frames.rotate(v, R), r)
    return r, v, err


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
    """Median cost of the pieces of the ITRS and GCRS paths, and of prototypes for GCRS."""
    from skyfield.nutationlib import iau2000a_radians

    from orbitcompute import frames

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

    def blocked_matmul(x, R, block=128):
        out = np.empty_like(x)
        RT = np.swapaxes(R, 1, 2)
        for k in range(0, x.shape[0], block):
            np.matmul(np.swapaxes(x[k:k + block], 0, 1), RT, out=np.swapaxes(out[k:k + block], 0, 1))
        return out

    R = frames.rotation_matrices(fresh(t), "teme", "itrs") * 1e3
    rr = r_km * 1e3
    items = [
        ("rotation_matrices(t, 'teme', 'itrs'), cold [library]", lambda: frames.rotation_matrices(fresh(t), "teme", "itrs"), None),
        ("rotation_matrices(t, 'teme', 'gcrs'), cold [library]", lambda: frames.rotation_matrices(fresh(t), "teme", "gcrs"), None),
        ("teme->gcrs with hourly-interpolated nutation [prototype]",
         lambda: frames.rotation_matrices(interp_nutation(fresh(t)), "teme", "gcrs"), None),
        ("rotate(x, R) for r and v [library]", lambda: (frames.rotate(r_km, R), frames.rotate(v_km, R)), None),
        ("add_earth_rotation(v, r) [library]", lambda: frames.add_earth_rotation(v_km * 1e3, rr), "includes 1 copy"),
        ("teme_to_itrs_inplace(r, v, t, 1e3) [library]",
         lambda: frames.teme_to_itrs_inplace(r_km.copy(), v_km.copy(), fresh(t), 1e3), "includes 2 copies"),
    ]
    items += [
        ("blocked batched matmul, r and v [prototype]", lambda: (blocked_matmul(r_km, R), blocked_matmul(v_km, R)), None),
        ("2 array copies (reference for teme_to_itrs_inplace)", lambda: (r_km.copy(), v_km.copy()), None),
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

    # correctness of the library's ITRS shortcut against the general path (and warm-up)
    r0, v0, _ = con.states_si(fresh(t), "itrs")
    r1, v1, _ = itrs_via_gcrs(con, fresh(t))
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
    print(f"output size r+v+err: {n_states * 49 / MiB:.0f} MiB; library ITRS vs general GCRS->ITRS path: "
          f"max |dr| = {dr:.2e} m, max |dv| = {dv:.2e} m/s")
    ratio = median([b / x for b, x in zip(times["bare"], times["itrs"])])
    ok = "MET" if ratio >= GOAL_RATIO else "NOT MET"
    print(f"goal: states_si(t, 'itrs') >= {GOAL_RATIO} x bare SGP4 throughput -> {ratio:.3f} ({ok})"
          + (" (quick workload: the goal applies to the full size)" if args.quick else ""))

    if args.profile or ratio < GOAL_RATIO:
        component_breakdown(con, t, repeats)
        if args.profile:
            print("\ncProfile of states_si(t, 'itrs') (fresh Time):")
            print(profile_itrs(con, t))


if __name__ == "__main__":
    sys.exit(main())
