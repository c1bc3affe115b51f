"""The all-pairs routing day through ``oc.network.route`` (issue 13): one process vs
``executor=ProcessPoolExecutor(2)``.

Workload (the ``pairs`` job of ``bench_network.py``): the 1,584-satellite Walker shell
(72 planes x 22, F=1, 550 km, 53 deg) with +Grid links, the 100 most populous cities
(``oc.GroundSites.cities(limit=100)``), all 4,950 unordered pairs (``route`` computes the
100 x 100 matrix from the 100 city up-nodes; the diagonal and one triangle come free), one
day (2026-06-21) at 10 s steps: 8,640 snapshots, minimum elevation 25 deg, hop counts on.

Each run is a fresh subprocess: ``route(net, cities, cities, times, executor=None)`` and
``route(..., executor=ProcessPoolExecutor(N))`` (a forked pool; ``route`` splits the day
into up to ``ROUTE_SPANS`` = 16 spans of the one-process time blocks).  The wall time
includes the pool start, pickling and the return of the (100, 100, 8,640) delay and hop
arrays.  Identity is checked with SHA-256 digests of the delay and hop arrays.
``--profile S`` adds a cProfile of one process over the first S snapshots (default 360).

Goal (issue 13): the day under 120 s with 2 workers.

Run::

    python benchmarks/bench_routing_day.py --quick      # 264 satellites, 20 cities, 1 h (seconds)
    python benchmarks/bench_routing_day.py              # the full day (~10 min on 2 cores)
    python benchmarks/bench_routing_day.py --profile 360
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import multiprocessing
import pstats
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from _common import environment, fmt, maxrss_mib, run_json_subprocess, table

import orbitcompute as oc
from orbitcompute.network import Network, route

START = "2026-06-21T00:00:00Z"
GOAL_S = 120.0
MIN_EL_DEG = 25.0


def workload(quick: bool, snapshots: int | None = None):
    u = oc.u
    if quick:
        con = oc.Constellation.walker_delta(total=264, planes=24, phasing=1, altitude=550 * u.km,
                                            inclination=53 * u.deg, epoch=START)
        cities, n = oc.GroundSites.cities(limit=20), 360
    else:
        con = oc.Constellation.walker_delta(total=1584, planes=72, phasing=1, altitude=550 * u.km,
                                            inclination=53 * u.deg, epoch=START)
        cities, n = oc.GroundSites.cities(limit=100), 8640
    n = snapshots or n
    times = oc.time.offset(oc.to_time(START), 10.0 * np.arange(n))
    return Network.plus_grid(con), cities, times


def _digest(a: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:16]


def run(quick: bool, workers: int) -> dict:
    net, cities, times = workload(quick)
    a = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as ex:
            r = route(net, cities, cities, times, min_elevation=MIN_EL_DEG * oc.u.deg, executor=ex)
    else:
        r = route(net, cities, cities, times, min_elevation=MIN_EL_DEG * oc.u.deg, executor=None)
    wall = time.perf_counter() - a
    d = r.delay_s
    iu = np.triu_indices(len(cities), 1)
    ok = np.isfinite(d[iu])
    return {"workers": workers, "wall_s": wall, "snapshots": int(d.shape[-1]), "pairs": int(len(iu[0])),
            "ms_per_snapshot": 1e3 * wall / d.shape[-1], "availability": float(ok.mean()),
            "mean_rtt_ms": float(2e3 * d[iu][ok].mean()), "max_hops": int(r.hops.max()),
            "delay_sha256": _digest(d), "hops_sha256": _digest(r.hops), "rss_peak_mib": maxrss_mib()}


def profile(quick: bool, n: int) -> str:
    net, cities, times = workload(quick, n)
    pr = cProfile.Profile()
    pr.enable()
    route(net, cities, cities, times, min_elevation=MIN_EL_DEG * oc.u.deg, executor=None)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(15)
    return s.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--profile", type=int, nargs="?", const=360, metavar="S",
                    help="cProfile one process over the first S snapshots instead")
    ap.add_argument("--run", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    q = ["--quick"] if args.quick else []
    if args.run is not None:
        print(json.dumps(run(args.quick, args.run)))
        return
    print(environment(), flush=True)
    if args.profile:
        print(profile(args.quick, args.profile))
        return
    load0 = open("/proc/loadavg").read().strip()
    print(f"/proc/loadavg at start: {load0}", flush=True)
    res = []
    for w in (1, args.workers):
        r = run_json_subprocess([__file__, "--run", str(w), *q])
        r["loadavg_after"] = open("/proc/loadavg").read().strip()
        print(json.dumps(r), flush=True)
        res.append(r)
    if any("error" in r for r in res):
        return
    one, par = res
    table(["run", "snapshots", "wall [s]", "ms / snapshot", "peak RSS [MiB]", "goal < 120 s", "load after"],
          [[("one process" if r["workers"] == 1 else f"ProcessPoolExecutor({r['workers']})"), r["snapshots"],
            fmt(r["wall_s"], 1), fmt(r["ms_per_snapshot"], 2), fmt(r["rss_peak_mib"], 0),
            "yes" if r["wall_s"] <= GOAL_S * r["snapshots"] / 8640 else "no", r["loadavg_after"]] for r in res],
          title=f"route() all pairs of {one['pairs']:,} city pairs, {one['snapshots']:,} snapshots")
    same = one["delay_sha256"] == par["delay_sha256"] and one["hops_sha256"] == par["hops_sha256"]
    print(f"speed-up {one['wall_s'] / par['wall_s']:.2f}x; delays and hops {'identical' if same else 'DIFFER'} "
          f"(SHA-256 {one['delay_sha256']}, {one['hops_sha256']}); availability {one['availability']:.4f}, "
          f"mean RTT over pairs {one['mean_rtt_ms']:.2f} ms, max hops {one['max_hops']}")
    print(f"/proc/loadavg at end: {open('/proc/loadavg').read().strip()}")


if __name__ == "__main__":
    main()
