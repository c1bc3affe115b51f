"""Scale test: ``oc.find_passes`` for 10,000 satellites x 1,000 sites x 1 day.

Workload:

* 10,000 satellites in three SGP4 Walker-delta shells (Starlink-like):
  53 deg / 550 km (80 planes x 60), 70 deg / 570 km (40 x 65), 97.6 deg / 560 km (40 x 65);
  ``--single-shell`` uses one 53 deg / 550 km shell of 100 planes x 100 instead;
* 1,000 sites: the ~560 shipped cities (``oc.GroundSites.cities()``) plus a seeded
  uniform sample of the sphere for the rest;
* 2026-06-21, one day, minimum elevation 25 deg.

``find_passes`` runs in a fresh subprocess so the memory figure is clean: the child's
``ru_maxrss`` (peak resident set of the whole process, imports included) is reported, and
the child caps its address space (``--cap-gib``, default 12) so that a runaway cannot
take a shared machine down.  Time is split into the per-block search and the final
assembly of events into passes (timed by wrapping ``orbitcompute._passes`` functions in
the child; nothing in the library is changed); an RSS sampler in the child records when
the peak happens.  ``--profile`` adds a cProfile of the child.

Goals (issue 7): completes with peak memory < 4 GiB; < 5 minutes.  Issue 13, with
``--workers 2`` (a forked process pool passed as ``executor=``): < 180 s and < 4 GiB in
total (main process plus workers).

Run::

    python benchmarks/bench_scale.py            # full size (minutes)
    python benchmarks/bench_scale.py --quick    # smoke test (< 30 s)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import threading
import time

import numpy as np

from _common import environment, fmt, limit_address_space, maxrss_mib, rss_mib, run_json_subprocess, table

GOAL_MEM_GIB = 4.0
GOAL_TIME_S = 300.0
GOAL_TIME_2W_S = 180.0
START, STOP = "2026-06-21T00:00:00Z", "2026-06-22T00:00:00Z"
MIN_EL_DEG = 25.0
SHELLS = [  # (planes, per plane, inclination deg, altitude km)
    (80, 60, 53.0, 550.0),
    (40, 65, 70.0, 570.0),
    (40, 65, 97.6, 560.0),
]


def workload(quick: bool, single: bool, n_site: int):
    import orbitcompute as oc

    epoch = "2026-06-21T00:00:00Z"
    if single:
        shells = [(10, 10, 53.0, 550.0)] if quick else [(100, 100, 53.0, 550.0)]
    else:
        shells = [(10, 10, i, h) for _, _, i, h in SHELLS] if quick else SHELLS
    con = None
    for k, (p, s, inc, alt) in enumerate(shells):
        c = oc.Constellation.walker_delta(total=p * s, planes=p, phasing=1, altitude=alt * oc.u.km,
                                          inclination=inc * oc.u.deg, epoch=epoch, name_prefix=f"S{k}")
        con = c if con is None else con + c
    cities = oc.GroundSites.cities()
    n_city = min(len(cities), n_site)
    sites = cities[:n_city]
    n_rand = n_site - n_city
    if n_rand > 0:
        rng = np.random.default_rng(20261124)
        lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n_rand)))
        lon = rng.uniform(-180.0, 180.0, n_rand)
        rand = oc.GroundSites.from_latlon(lat, lon, names=[f"rand{k}" for k in range(n_rand)])
        sites = oc.GroundSites(sites.names + rand.names, np.r_[sites.lat_rad, rand.lat_rad],
                               np.r_[sites.lon_rad, rand.lon_rad], np.r_[sites.height_m, rand.height_m])
    stop = "2026-06-21T02:00:00Z" if quick else STOP
    return con, sites, START, stop, n_city, n_rand


def _pid_status_mib(pid: int, field: str):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def child(args) -> dict:
    """Runs in the subprocess: build the inputs, then time one find_passes."""
    limit_address_space(args.cap_gib)
    import orbitcompute as oc
    from orbitcompute import _passes

    con, sites, start, stop, n_city, n_rand = workload(args.quick, args.single_shell, args.sites)
    oc.find_passes(con[:4], sites[:2], start, "2026-06-21T01:00:00Z", min_elevation=MIN_EL_DEG * oc.u.deg)

    # phase timers and an RSS sampler (benchmark-side wrappers; the library is untouched)
    phase = {"blocks": 0, "block_s": 0.0, "assemble_s": 0.0, "assemble_calls": 0, "rss_before_assemble": None,
             "n_events": 0, "events_mib_max": 0.0}
    orig_block, orig_assemble = getattr(_passes, "block_events", None), getattr(_passes, "assemble", None)
    if orig_block is not None and orig_assemble is not None:
        def block_events(*a, **k):
            t = time.perf_counter()
            try:
                return orig_block(*a, **k)
            finally:
                phase["blocks"] += 1
                phase["block_s"] += time.perf_counter() - t

        def assemble(*a, **k):
            # find_passes may assemble once or once per group of satellites: keep the sum
            # of events, the largest single hand-over and the highest RSS at a start
            rss = rss_mib()
            phase["assemble_calls"] += 1
            phase["rss_before_assemble"] = max(phase["rss_before_assemble"] or 0.0, rss or 0.0)
            try:
                blocks = a[0] if a else k["blocks"]
                n_ev = int(sum(len(b[0]) for b in blocks))
                mib = sum(x.nbytes for b in blocks for x in b) / 2**20
                phase["n_events"] += n_ev
                phase["events_mib_max"] = max(phase["events_mib_max"], mib)
            except Exception:  # noqa: BLE001 - instrumentation only
                pass
            t = time.perf_counter()
            try:
                return orig_assemble(*a, **k)
            finally:
                phase["assemble_s"] += time.perf_counter() - t

        _passes.block_events, _passes.assemble = block_events, assemble

    ex, worker_pids = None, []
    if args.workers > 1:
        # a forked pool, started (and warmed up) before the RSS sampler thread exists
        import multiprocessing
        import os
        from concurrent.futures import ProcessPoolExecutor

        ex = ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("fork"))
        ex.submit(os.getpid).result()  # with fork, the first submit starts every worker
        worker_pids = sorted(ex._processes)
    samples, stop_evt = [], threading.Event()
    t_start = time.perf_counter()

    def tree_rss():
        tot = rss_mib() or 0.0
        for pid in worker_pids:
            tot += _pid_status_mib(pid, "VmRSS") or 0.0
        return tot

    def sampler():
        while not stop_evt.wait(0.25):
            samples.append((time.perf_counter() - t_start, tree_rss()))

    rss0 = rss_mib()
    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    prof = cProfile.Profile() if args.profile else None
    t_start = time.perf_counter()
    if prof:
        prof.enable()
    p = oc.find_passes(con, sites, start, stop, min_elevation=MIN_EL_DEG * oc.u.deg,
                       executor=ex if ex is not None else None)
    if prof:
        prof.disable()
    wall = time.perf_counter() - t_start
    stop_evt.set()
    th.join()
    worker_hwm = [_pid_status_mib(pid, "VmHWM") for pid in worker_pids]
    if ex is not None:
        ex.shutdown()
    out = {
        "n_sat": len(con), "n_site": len(sites), "n_city": n_city, "n_rand": n_rand, "stop": stop,
        "wall_s": wall, "n_pass": len(p), "rss_before_mib": rss0, "rss_peak_mib": maxrss_mib(),
        "passes_table_mib": sum(getattr(p, f).nbytes for f in ("sat", "site", "rise_s", "culmination_s", "set_s",
                                                              "max_elevation_rad", "rise_clipped", "set_clipped")) / 2**20,
        **phase,
        "workers": args.workers, "worker_hwm_mib": worker_hwm,
    }
    if samples:
        k = int(np.argmax([s[1] for s in samples]))
        out["rss_peak_sampled_at_s"] = samples[k][0]
        out["rss_sampled_peak_mib"] = samples[k][1]
    if prof:
        buf = io.StringIO()
        st = pstats.Stats(prof, stream=buf)
        st.sort_stats("tottime").print_stats(18)
        st.sort_stats("cumulative").print_stats(14)
        out["profile"] = buf.getvalue()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="300 sats x 1,000 sites x 2 h smoke test")
    ap.add_argument("--single-shell", action="store_true", help="one 100 x 100 shell at 53 deg / 550 km")
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--cap-gib", type=float, default=12.0, help="address-space cap of the child [GiB]")
    ap.add_argument("--timeout", type=float, default=3600.0, help="child time limit [s]")
    ap.add_argument("--profile", action="store_true", help="cProfile the child's find_passes")
    ap.add_argument("--workers", type=int, default=1,
                    help="search on a forked pool of N processes (executor=); 1: in the process (default)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return

    print(environment())
    flags = ["--child", "--sites", str(args.sites), "--cap-gib", str(args.cap_gib), "--workers", str(args.workers)]
    flags += ["--quick"] * args.quick + ["--single-shell"] * args.single_shell + ["--profile"] * args.profile
    r = run_json_subprocess([__file__, *flags], timeout=args.timeout)
    if "error" in r:
        print(f"find_passes FAILED after {r['wall_s']:.0f} s: {r['error']}")
        print(f"goals: memory < {GOAL_MEM_GIB} GiB NOT MET (did not complete); time < {GOAL_TIME_S:.0f} s NOT MET")
        return 1
    shells = "1 shell 100x100" if args.single_shell else "3 shells (53/550, 70/570, 97.6/560)"
    print(f"workload: {r['n_sat']:,} satellites ({shells}) x {r['n_site']:,} sites ({r['n_city']} cities + "
          f"{r['n_rand']} seeded uniform points) = {r['n_sat'] * r['n_site']:,} pairs, {START} .. {r['stop']}, "
          f">= {MIN_EL_DEG} deg")
    rows = [
        ("find_passes wall time [s]", fmt(r["wall_s"], 1)),
        ("  of which per-block search [s] (blocks)", f"{fmt(r['block_s'], 1)} ({r['blocks']})"),
        ("  of which assembly of passes [s] (calls)", f"{fmt(r['assemble_s'], 1)} ({r.get('assemble_calls', '?')})"),
        ("passes", f"{r['n_pass']:,}"),
        ("peak RSS of the process (VmHWM = its ru_maxrss) [MiB]", fmt(r["rss_peak_mib"], 0)),
        ("RSS before find_passes (imports + inputs) [MiB]", fmt(r["rss_before_mib"], 0)),
        ("highest RSS when an assembly starts [MiB]", fmt(r.get("rss_before_assemble"), 0)),
        ("events assembled, all calls (largest hand-over [MiB])", f"{r.get('n_events', 0):,} ({fmt(r.get('events_mib_max'), 0)})"),
        ("sampled RSS peak [MiB] at t [s]", f"{fmt(r.get('rss_sampled_peak_mib'), 0)} at {fmt(r.get('rss_peak_sampled_at_s'), 1)}"),
        ("PassTable arrays [MiB]", fmt(r["passes_table_mib"], 0)),
        ("workers (forked pool; 1: in the process)", str(r.get("workers", 1))),
        ("peak RSS of each worker (VmHWM) [MiB]", ", ".join(fmt(x, 0) for x in r.get("worker_hwm_mib") or []) or "-"),
        ("total = main peak + workers' peaks (upper bound: shared pages counted twice) [MiB]",
         fmt(r["rss_peak_mib"] + sum(x or 0 for x in r.get("worker_hwm_mib") or []), 0)),
    ]
    table(["scale test", "value"], rows, "find_passes at scale (fresh subprocess)")
    total_mib = r["rss_peak_mib"] + sum(x or 0 for x in r.get("worker_hwm_mib") or [])
    mem_ok = total_mib < GOAL_MEM_GIB * 1024
    goal_t = GOAL_TIME_2W_S if r.get("workers", 1) >= 2 else GOAL_TIME_S
    t_ok = r["wall_s"] < goal_t
    print(f"goals: peak memory < {GOAL_MEM_GIB} GiB -> {total_mib / 1024:.2f} GiB {'MET' if mem_ok else 'NOT MET'}; "
          f"time < {goal_t:.0f} s -> {r['wall_s']:.0f} s {'MET' if t_ok else 'NOT MET'}"
          + (" (quick workload: goals apply to the full size)" if args.quick else ""))
    if "profile" in r:
        print("\ncProfile of find_passes in the child:\n" + r["profile"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
