"""Pass search: ``oc.find_passes`` against skyfield's per-pair ``EarthSatellite.find_events``.

Workload (the issue's): the 1,584-satellite Walker shell (72 planes, F=1, 550 km, 53 deg)
x the 100 most populous world cities (``oc.GroundSites.cities(limit=100)``) x one day
(2026-06-21), minimum elevation 25 deg: 158,400 satellite-site pairs.

Measured, in one run:

* ``find_passes``: wall time (median of the repeats), number of passes; peak memory in a
  fresh subprocess (``ru_maxrss`` of the process and the tracemalloc peak of the call);
* the incumbent: ``EarthSatellite.from_satrec(con._satrecs[k], ts).find_events(topos, t0,
  t1, altitude_degrees=25)`` looped over a seeded random sample of pairs, timed once per
  repeat, interleaved with the ``find_passes`` repeats; seconds per pair and the
  extrapolation to all pairs; the speed-up ratio (goal: >= 100x);
* "same passes" on the sample: every skyfield rise/set must be matched by ours within
  0.5 s (skyfield stops bisecting at a 0.5 s bracket and reports its late end); passes
  found by one side only are counted; culmination elevations are compared.

Run::

    python benchmarks/bench_visibility.py           # full size (~2-4 min)
    python benchmarks/bench_visibility.py --quick   # smoke test (< 30 s)
    python benchmarks/bench_visibility.py --profile # + cProfile of find_passes
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import tracemalloc

import numpy as np

from _common import MiB, environment, fmt, maxrss_mib, median, rss_mib, run_json_subprocess, table

import orbitcompute as oc
from orbitcompute.time import timescale

GOAL_SPEEDUP = 150.0  # issue 13 (was 100x, issue 9)
MATCH_TOL_S = 0.5
START, STOP = "2026-06-21T00:00:00Z", "2026-06-22T00:00:00Z"
MIN_EL_DEG = 25.0


def workload(quick: bool):
    if quick:
        con = oc.Constellation.walker_delta(total=264, planes=24, phasing=1, altitude=550 * oc.u.km,
                                            inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
        return con, oc.GroundSites.cities(limit=20), START, "2026-06-21T06:00:00Z"
    con = oc.Constellation.walker_delta(total=1584, planes=72, phasing=1, altitude=550 * oc.u.km,
                                        inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
    return con, oc.GroundSites.cities(limit=100), START, STOP


def run_find_passes(con, sites, start, stop):
    return oc.find_passes(con, sites, start, stop, min_elevation=MIN_EL_DEG * oc.u.deg)


# ---------------------------------------------------------------------------- incumbent
def skyfield_events(con, sites, pairs, start, stop):
    """skyfield find_events for each (sat, site) pair: list of (times [s since start], codes)."""
    from skyfield.api import EarthSatellite, wgs84

    ts = timescale()
    t0, t1 = oc.to_time(start), oc.to_time(stop)
    out = []
    for k, j in pairs:
        sat = EarthSatellite.from_satrec(con._satrecs[k], ts)
        topos = wgs84.latlon(float(np.degrees(sites.lat_rad[j])), float(np.degrees(sites.lon_rad[j])),
                             elevation_m=float(sites.height_m[j]))
        t, ev = sat.find_events(topos, t0, t1, altitude_degrees=MIN_EL_DEG)
        out.append((t, ev))
    return out


def _sky_seconds(t, t0):
    return ((t.whole - t0.whole) + (t.tt_fraction - t0.tt_fraction)) * 86400.0


def compare(con, sites, pairs, sky, passes, start):
    """Match skyfield's rises/sets and passes with ours on the sampled pairs."""
    from skyfield.api import EarthSatellite, wgs84

    ts = timescale()
    t0 = oc.to_time(start)
    key = passes.sat.astype(np.int64) * len(sites) + passes.site
    n_sky_ev = n_sky_ev_matched = n_our_ev = n_our_ev_matched = 0
    n_sky_pass = n_our_pass = n_pass_matched = 0
    d_rise, d_set, d_el = [], [], []
    sky_only, ours_only = [], []
    for (k, j), (t, ev) in zip(pairs, sky):
        s = _sky_seconds(t, t0) if len(ev) else np.zeros(0)
        ev = np.asarray(ev)
        # skyfield passes: (rise or None, set or None, [culmination times])
        sp, cur, culm = [], None, []
        started = False
        for x, c in zip(s, ev):
            if c == 0:
                cur, culm, started = x, [], True
            elif c == 1:
                culm.append(x)
                started = True
            else:
                sp.append((cur, x, culm))
                cur, culm, started = None, [], False
        if started:
            sp.append((cur, None, culm))
        sel = np.flatnonzero(key == k * len(sites) + j)
        op = [(None if passes.rise_clipped[i] else passes.rise_s[i], None if passes.set_clipped[i] else passes.set_s[i],
               passes.max_elevation_rad[i]) for i in sel]
        # events
        sky_r = [p[0] for p in sp if p[0] is not None]
        sky_s = [p[1] for p in sp if p[1] is not None]
        our_r = [p[0] for p in op if p[0] is not None]
        our_s = [p[1] for p in op if p[1] is not None]
        for a_list, b_list, dl in ((sky_r, our_r, d_rise), (sky_s, our_s, d_set)):
            b = np.asarray(b_list)
            for x in a_list:
                n_sky_ev += 1
                if b.size and np.abs(b - x).min() <= MATCH_TOL_S:
                    n_sky_ev_matched += 1
                    dl.append(float(b[np.abs(b - x).argmin()] - x))
            a = np.asarray(a_list)
            for y in b_list:
                n_our_ev += 1
                if a.size and np.abs(a - y).min() <= MATCH_TOL_S:
                    n_our_ev_matched += 1
        # passes: both ends match (a clipped end matches a clipped end)
        same = lambda x, y: (x is None and y is None) or (x is not None and y is not None and abs(x - y) <= MATCH_TOL_S)  # noqa: E731
        used = set()
        n_sky_pass += len(sp)
        n_our_pass += len(op)
        for pr, ps, culm in sp:
            hit = next((q for q, (r_, s_, _) in enumerate(op) if q not in used and same(pr, r_) and same(ps, s_)), None)
            if hit is None:
                sky_only.append((k, j, pr, ps))
                continue
            used.add(hit)
            n_pass_matched += 1
            if culm:  # skyfield's culmination elevation vs ours
                sat = EarthSatellite.from_satrec(con._satrecs[k], ts)
                topos = wgs84.latlon(float(np.degrees(sites.lat_rad[j])), float(np.degrees(sites.lon_rad[j])),
                                     elevation_m=float(sites.height_m[j]))
                tc = ts.tt_jd(t0.whole, t0.tt_fraction + np.asarray(culm) / 86400.0)
                alt = (sat - topos).at(tc).altaz()[0].degrees
                d_el.append(float(np.degrees(op[hit][2]) - np.max(alt)))
        ours_only += [(k, j, op[q][0], op[q][1]) for q in range(len(op)) if q not in used]
    return {
        "pairs": len(pairs), "sky_events": n_sky_ev, "sky_events_matched": n_sky_ev_matched,
        "our_events": n_our_ev, "our_events_matched": n_our_ev_matched,
        "sky_passes": n_sky_pass, "our_passes": n_our_pass, "passes_matched": n_pass_matched,
        "sky_only": sky_only, "ours_only": ours_only,
        "d_rise": np.array(d_rise), "d_set": np.array(d_set), "d_el": np.array(d_el),
    }


# ---------------------------------------------------------------------------- memory
def memory_run(quick: bool) -> dict:
    con, sites, start, stop = workload(quick)
    small = run_find_passes(con[:4], sites[:2], start, "2026-06-21T01:00:00Z")  # imports, caches
    del small
    gc.collect()
    rss0 = rss_mib()
    tracemalloc.start()
    a = time.perf_counter()
    p = run_find_passes(con, sites, start, stop)
    wall = time.perf_counter() - a
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"rss_before_mib": rss0, "rss_peak_mib": maxrss_mib(), "tracemalloc_peak_mib": peak / MiB,
            "wall_s_with_tracemalloc": wall, "n_pass": len(p)}


# ---------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small workload for a smoke test")
    ap.add_argument("--repeats", type=int, default=None, help="find_passes repeats (default 3; 1 with --quick)")
    ap.add_argument("--pairs", type=int, default=None, help="sampled pairs for skyfield (default 200; 40 with --quick)")
    ap.add_argument("--seed", type=int, default=20261124)
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--profile", action="store_true", help="cProfile one more find_passes and print the top entries")
    ap.add_argument("--memory-run", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_run:
        print(json.dumps(memory_run(args.quick)))
        return
    repeats = args.repeats or (1 if args.quick else 3)
    n_pairs_sample = args.pairs or (40 if args.quick else 200)

    print(environment())
    con, sites, start, stop = workload(args.quick)
    n_sat, n_site = len(con), len(sites)
    n_pairs = n_sat * n_site
    rng = np.random.default_rng(args.seed)
    flat = rng.choice(n_pairs, size=min(n_pairs_sample, n_pairs), replace=False)
    pairs = [(int(f // n_site), int(f % n_site)) for f in flat]
    print(f"workload: {n_sat} satellites x {n_site} sites = {n_pairs:,} pairs, {start} .. {stop}, "
          f"min elevation {MIN_EL_DEG} deg; skyfield sample {len(pairs)} pairs (seed {args.seed}); repeats={repeats}")

    # warm-up both (imports, skyfield/sgp4 first-call costs)
    run_find_passes(con[:4], sites[:2], start, "2026-06-21T01:00:00Z")
    skyfield_events(con, sites, pairs[:2], start, stop)

    t_ours, t_sky = [], []
    passes = sky = None
    for rep in range(repeats):
        gc.collect()
        a = time.perf_counter()
        passes = run_find_passes(con, sites, start, stop)
        t_ours.append(time.perf_counter() - a)
        del passes
        gc.collect()
        a = time.perf_counter()
        sky = skyfield_events(con, sites, pairs, start, stop)
        t_sky.append((time.perf_counter() - a) / len(pairs))
        print(f"  repeat {rep + 1}/{repeats}: find_passes {t_ours[-1]:.2f} s; skyfield {t_sky[-1] * 1e3:.2f} ms/pair "
              f"(x {n_pairs:,} pairs = {t_sky[-1] * n_pairs:,.0f} s)", flush=True)
    passes = run_find_passes(con, sites, start, stop)  # kept for the comparison, not timed

    mem = {} if args.no_memory else run_json_subprocess([__file__, "--memory-run", *(["--quick"] if args.quick else [])], timeout=1800)

    med_ours, med_sky = median(t_ours), median(t_sky)
    extrap = med_sky * n_pairs
    per_rep = median([s * n_pairs / o for s, o in zip(t_sky, t_ours)])
    rows = [
        ("find_passes, all pairs", fmt(med_ours, 2), fmt(min(t_ours), 2), f"{med_ours / n_pairs * 1e6:.1f} us", f"{len(passes):,}",
         fmt(mem.get("rss_peak_mib")) if "error" not in mem else mem["error"][:50], fmt(mem.get("tracemalloc_peak_mib"))),
        (f"skyfield find_events x {len(pairs)} sampled pairs", fmt(med_sky * len(pairs), 2), fmt(min(t_sky) * len(pairs), 2),
         f"{med_sky * 1e3:.2f} ms", "-", "-", "-"),
        (f"skyfield extrapolated to {n_pairs:,} pairs", fmt(extrap, 0), "-", "-", "-", "-", "-"),
    ]
    table(["case", "median s", "min s", "per pair", "passes", "process peak RSS MiB", "call peak MiB (tracemalloc)"], rows,
          f"Pass search, {n_sat} sats x {n_site} sites x {stop[11:16] if args.quick else '1 day'}, >= {MIN_EL_DEG} deg")
    if mem and "error" not in mem:
        print(f"memory subprocess: RSS before the call {mem['rss_before_mib']:.0f} MiB (imports + inputs); "
              f"find_passes under tracemalloc took {mem['wall_s_with_tracemalloc']:.1f} s, {mem['n_pass']:,} passes")
    ok = "MET" if per_rep >= GOAL_SPEEDUP else "NOT MET"
    print(f"speed-up vs skyfield (extrapolated): ratio of medians {extrap / med_ours:.0f}x, "
          f"median of per-repeat ratios {per_rep:.0f}x; goal >= {GOAL_SPEEDUP:.0f}x -> {ok}"
          + (" (quick workload: the goal applies to the full size)" if args.quick else ""))

    c = compare(con, sites, pairs, sky, passes, start)
    dr, ds, de = c["d_rise"], c["d_set"], c["d_el"]
    rows = [
        ("skyfield rises+sets matched by ours within 0.5 s", f"{c['sky_events_matched']} / {c['sky_events']}"),
        ("our rises+sets matched by skyfield within 0.5 s", f"{c['our_events_matched']} / {c['our_events']}"),
        ("passes (skyfield / ours / matched at both ends)", f"{c['sky_passes']} / {c['our_passes']} / {c['passes_matched']}"),
        ("passes skyfield finds and we miss", str(len(c["sky_only"]))),
        ("passes we find and skyfield misses", str(len(c["ours_only"]))),
        ("rise: ours - skyfield [s] (min / median / max)",
         f"{dr.min():+.3f} / {np.median(dr):+.3f} / {dr.max():+.3f}" if dr.size else "-"),
        ("set: ours - skyfield [s] (min / median / max)",
         f"{ds.min():+.3f} / {np.median(ds):+.3f} / {ds.max():+.3f}" if ds.size else "-"),
        ("culmination elevation: ours - skyfield [deg] (min / max)", f"{de.min():+.1e} / {de.max():+.1e}" if de.size else "-"),
    ]
    table(["same passes on the sample", "value"], rows, f"Agreement on {c['pairs']} sampled pairs")
    for name in ("sky_only", "ours_only"):
        for k, j, r_, s_ in c[name][:10]:
            rr = "clipped" if r_ is None else f"{r_:.1f}"
            ss = "clipped" if s_ is None else f"{s_:.1f}"
            print(f"  {name}: sat {con.names[k]} site {sites.names[j]!r} rise {rr} s set {ss} s")
    same = c["sky_events_matched"] == c["sky_events"]
    print(f"every skyfield rise/set matched within {MATCH_TOL_S} s: {'YES' if same else 'NO'}")

    if args.profile:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        run_find_passes(con, sites, start, stop)
        prof.disable()
        buf = io.StringIO()
        st = pstats.Stats(prof, stream=buf)
        st.sort_stats("tottime").print_stats(16)
        st.sort_stats("cumulative").print_stats(16)
        print("\ncProfile of find_passes:\n" + buf.getvalue())


if __name__ == "__main__":
    sys.exit(main())
