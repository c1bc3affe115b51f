"""Routing at scale: ``oc.network.iter_routes`` against a naive rebuild + all-pairs Dijkstra.

Workload (issue 4, "Scale"): the 1,584-satellite Walker shell (72 planes x 22, F=1,
550 km, 53 deg) with +Grid links (range unlimited, line of sight above 80 km), the 100
most populous cities (``oc.GroundSites.cities(limit=100)``) at >= 25 deg elevation, one
day (2026-06-21) at 10 s snapshots: 8,640 snapshot graphs.

Two routing jobs, each run for the whole day in a fresh subprocess (wall time, time per
snapshot, peak RSS):

* ``cluster``: every city to the nearest of 8 compute satellites (dawn-dusk SSO, 650 km)
  over the relay's ISL, cross-links to the 2 nearest relay satellites within 3,000 km
  (architecture 2): one multi-source Dijkstra (``min_only``) per snapshot;
* ``pairs``: RTT between every pair of cities (100 Dijkstra sources per snapshot), with
  hop counts.

The incumbent, timed in the same run on a seeded sample of snapshots: per snapshot,
propagate, rebuild the graph (vectorised geometry, scipy COO -> CSR) and run Dijkstra
from *every* node (``scipy.sparse.csgraph.dijkstra`` without ``indices``), which answers
both jobs.  Its delays must equal ours on the sample.  Ratios use the same snapshots:
ours per snapshot (from the full-day runs) vs the baseline per snapshot.

With ``--processes N`` the pairs job is also run split into N contiguous blocks of
snapshots, one per worker of a ``ProcessPoolExecutor`` (each worker receives the pickled
``Network``, its ``Constellation`` and the cities, and calls ``iter_routes`` on its block);
its wall time (pool start-up and pickling included) is compared with the single-process
pairs run of the same invocation, and its totals with the single-process ones.

Run::

    python benchmarks/bench_network.py            # full size (~10 min)
    python benchmarks/bench_network.py --quick    # smoke test (< 30 s)
    python benchmarks/bench_network.py --jobs pairs --processes 2   # pairs on 2 cores
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from _common import environment, fmt, maxrss_mib, median, rss_mib, run_json_subprocess, table

import orbitcompute as oc
from orbitcompute.constants import C_LIGHT
from orbitcompute.latency import summarize_rtt
from orbitcompute.network import Network, iter_routes, route
from orbitcompute.stations import look_angles_si

START = "2026-06-21T00:00:00Z"
GOAL_DAY_S = 120.0
MIN_EL_DEG = 25.0


def workload(quick: bool):
    u = oc.u
    if quick:
        con = oc.Constellation.walker_delta(total=264, planes=24, phasing=1, altitude=550 * u.km,
                                            inclination=53 * u.deg, epoch=START)
        cities = oc.GroundSites.cities(limit=20)
        stop_s = 3600 - 10
    else:
        con = oc.Constellation.walker_delta(total=1584, planes=72, phasing=1, altitude=550 * u.km,
                                            inclination=53 * u.deg, epoch=START)
        cities = oc.GroundSites.cities(limit=100)
        stop_s = 86400 - 10
    t0 = oc.to_time(START)
    stop = oc.time.offset(t0, stop_s).utc_iso()
    times = oc.time_grid(START, stop, step=10 * u.s)
    dc = oc.Constellation.sun_synchronous(altitude=650 * u.km, ltan=18 * u.hour, epoch=START, count=8)
    return con, dc, cities, times


def networks(con, dc):
    u = oc.u
    return Network.plus_grid(con), Network.plus_grid(con, cluster=dc, cluster_links=2, cluster_max_range=3000 * u.km)


# ---------------------------------------------------------------------------- our runs
def pairs_block(net, cities, whole, frac):
    """Pairs job on one block of snapshots (run in a worker process): sums of delays and
    counts of reachable snapshots per city pair, largest hop count, snapshots done."""
    times = oc.time.timescale().tt_jd(whole, frac)
    n = len(cities)
    tot = np.zeros((n, n))
    cnt = np.zeros((n, n))
    hmax = n_snap = 0
    for blk in iter_routes(net, cities, cities, times, min_elevation=MIN_EL_DEG * oc.u.deg):
        d = blk.delay_s
        ok = np.isfinite(d)
        tot += np.where(ok, d, 0.0).sum(axis=2)
        cnt += ok.sum(axis=2)
        hmax = max(hmax, int(blk.hops.max()))
        n_snap += d.shape[-1]
    return tot, cnt, hmax, n_snap, maxrss_mib()


def _pairs_summary(tot, cnt, hmax, n_snap) -> dict:
    """Mean RTT over city pairs, fraction of (pair, snapshot) with a path, largest hop count."""
    iu = np.triu_indices(len(tot), 1)
    return {"mean_rtt_ms_over_pairs": float(np.mean(2e3 * tot[iu] / np.maximum(cnt[iu], 1))),
            "availability": float(cnt[iu].sum() / (len(iu[0]) * n_snap)), "max_hops": hmax}


def run_job(job: str, quick: bool, processes: int = 1) -> dict:
    con, dc, cities, times = workload(quick)
    net, net_c = networks(con, dc)
    rss0 = rss_mib()
    a = time.perf_counter()
    n_snap = 0
    worker_rss = None
    if job == "pairs" and processes > 1:
        from concurrent.futures import ProcessPoolExecutor

        n = len(cities)
        tot, cnt, hmax = np.zeros((n, n)), np.zeros((n, n)), 0
        bounds = np.linspace(0, len(times), processes + 1).astype(int)
        with ProcessPoolExecutor(processes) as pool:  # each call pickles net (with its Constellation)
            futs = [pool.submit(pairs_block, net, cities, times.whole[i:j], times.tt_fraction[i:j])
                    for i, j in zip(bounds[:-1], bounds[1:])]
            parts = [f.result() for f in futs]
        for t_, c_, h_, s_, _ in parts:
            tot += t_
            cnt += c_
            hmax = max(hmax, h_)
            n_snap += s_
        worker_rss = max(p[4] for p in parts)
        wall = time.perf_counter() - a
        extra = {**_pairs_summary(tot, cnt, hmax, n_snap), "processes": processes, "worker_rss_peak_mib": worker_rss}
    elif job == "cluster":
        rtt = np.full((len(cities), len(times)), np.nan)
        for blk in iter_routes(net_c, "cluster", cities, times, min_elevation=MIN_EL_DEG * oc.u.deg):
            rtt[:, blk.index] = 2e3 * blk.delay_s[0]
            n_snap += blk.delay_s.shape[-1]
        wall = time.perf_counter() - a
        s = summarize_rtt(rtt * oc.u.ms, weights=cities.population)[0]
        extra = {"p50_ms": float(s.p50.m), "p95_ms": float(s.p95.m), "p99_ms": float(s.p99.m),
                 "availability": s.availability}
    else:  # pairs in this process: the block function over the whole day
        tot, cnt, hmax, n_snap, _ = pairs_block(net, cities, times.whole, times.tt_fraction)
        wall = time.perf_counter() - a
        extra = _pairs_summary(tot, cnt, hmax, n_snap)
    return {"job": job, "wall_s": wall, "snapshots": n_snap, "ms_per_snapshot": 1e3 * wall / n_snap,
            "rss_before_mib": rss0, "rss_peak_mib": maxrss_mib(), **extra}


# ---------------------------------------------------------------------------- incumbent
def naive_snapshot(con, dc, cities, t1, links):
    """Rebuild the whole graph at one time and run Dijkstra from every node."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra

    from orbitcompute.network import line_of_sight_si, nearest_links_si

    r, v, _ = con.states_si(t1, "itrs")
    rd = dc.states_si(t1, "itrs")[0][:, 0]
    n_sat, n_dc, n_city = len(con), len(dc), len(cities)
    a, b = r[links[:, 0], 0], r[links[:, 1], 0]
    ok = line_of_sight_si(a, b)
    rows, cols, w = [links[ok, 0]], [links[ok, 1]], [np.linalg.norm(a - b, axis=1)[ok] / C_LIGHT]
    i, j, d = nearest_links_si(rd, r[:, 0], k=2, max_range_m=3000e3)
    rows.append(n_sat + i), cols.append(j), w.append(d / C_LIGHT)
    i, j, d = nearest_links_si(rd, None, k=n_dc - 1, max_range_m=3000e3)
    rows.append(n_sat + i), cols.append(n_sat + j), w.append(d / C_LIGHT)
    _, el, rng, _ = look_angles_si(r, v, cities.ecef, cities.enu)
    s, g = np.nonzero(el[:, :, 0] >= np.radians(MIN_EL_DEG))
    rows.append(n_sat + n_dc + g), cols.append(s), w.append(rng[s, g, 0] / C_LIGHT)
    N = n_sat + n_dc + n_city
    rr, cc, ww = np.concatenate(rows), np.concatenate(cols), np.concatenate(w)
    # city nodes connect in both directions here: mask transit through cities afterwards
    # by giving city nodes only edges to satellites and reading city-to-city distances
    G = sp.coo_matrix((ww, (rr, cc)), shape=(N, N)).tocsr()
    dist = dijkstra(G, directed=False)  # all pairs: from every node
    return dist, n_sat, n_dc


def baseline(quick: bool, n_sample: int, seed: int) -> dict:
    con, dc, cities, times = workload(quick)
    net, net_c = networks(con, dc)
    rng = np.random.default_rng(seed)
    ks = np.sort(rng.choice(len(times), size=min(n_sample, len(times)), replace=False))
    naive_naive = []
    ours_pairs, ours_cluster = [], []
    max_dev_pairs = max_dev_cluster = 0.0
    n_transit = 0
    for k in ks:
        t1 = times[k : k + 1]
        a = time.perf_counter()
        dist, n_sat, n_dc = naive_snapshot(con, dc, cities, t1, net.links)
        naive_naive.append(time.perf_counter() - a)
        a = time.perf_counter()
        rp = route(net, cities, cities, t1, min_elevation=MIN_EL_DEG * oc.u.deg)
        ours_pairs.append(time.perf_counter() - a)
        a = time.perf_counter()
        rc = route(net_c, "cluster", cities, t1, min_elevation=MIN_EL_DEG * oc.u.deg)
        ours_cluster.append(time.perf_counter() - a)
        cnode = n_sat + n_dc + np.arange(len(cities))
        # the naive graph is undirected with cities as ordinary nodes, so a naive route may
        # bounce through a third city; compare where it does not (count the others)
        dn = dist[np.ix_(cnode, cnode)]
        mine = rp.delay_s[:, :, 0]
        same = np.isfinite(mine) & np.isfinite(dn) & ~np.eye(len(cities), dtype=bool)
        transit = same & (dn < mine * (1 - 1e-9))
        n_transit += int(transit.sum())
        ok = same & ~transit
        if ok.any():
            max_dev_pairs = max(max_dev_pairs, float(np.max(np.abs(dn[ok] - mine[ok]) / mine[ok])))
        dc_nodes = n_sat + np.arange(n_dc)
        dnc = dist[np.ix_(dc_nodes, cnode)].min(axis=0)
        mc = rc.delay_s[0, :, 0]
        okc = np.isfinite(mc) & (dnc >= mc * (1 - 1e-9))
        if okc.any():
            max_dev_cluster = max(max_dev_cluster, float(np.max(np.abs(dnc[okc] - mc[okc]) / mc[okc])))
    return {"snapshots": [int(k) for k in ks], "naive_s": naive_naive, "ours_pairs_s": ours_pairs,
            "ours_cluster_s": ours_cluster, "max_rel_dev_pairs": max_dev_pairs,
            "max_rel_dev_cluster": max_dev_cluster, "naive_city_transit_pairs": n_transit,
            "n_times": len(times), "n_nodes": len(con) + len(dc) + len(cities)}


# ---------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small workload for a smoke test")
    ap.add_argument("--sample", type=int, default=None, help="baseline snapshots (default 12; 4 with --quick)")
    ap.add_argument("--seed", type=int, default=20261124)
    ap.add_argument("--jobs", default="cluster,pairs", help="comma-separated: cluster, pairs")
    ap.add_argument("--processes", type=int, default=1,
                    help="also run the pairs job split over N worker processes (contiguous blocks of snapshots)")
    ap.add_argument("--run", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        print(json.dumps(run_job(args.run, args.quick, args.processes)))
        return
    n_sample = args.sample or (4 if args.quick else 12)
    print(environment())
    con, dc, cities, times = workload(args.quick)
    print(f"workload: {len(con)} satellites (+Grid, {2 * len(con)} links) + {len(dc)} cluster satellites, "
          f"{len(cities)} cities at >= {MIN_EL_DEG} deg, {len(times)} snapshots at 10 s; baseline sample "
          f"{n_sample} snapshots (seed {args.seed})")
    rows = []
    res = {}
    for job in [j.strip() for j in args.jobs.split(",") if j.strip()]:
        q = ["--quick"] if args.quick else []
        res[job] = r = run_json_subprocess([__file__, "--run", job, *q])
        if "error" in r:
            print(f"{job}: {r['error']}")
            continue
        rows.append([job, r["snapshots"], fmt(r["wall_s"], 1), fmt(r["ms_per_snapshot"], 2),
                     fmt(r["rss_peak_mib"], 0), fmt(r["rss_before_mib"], 0),
                     "yes" if r["wall_s"] <= GOAL_DAY_S * (len(times) / 8640) else "no"])
        if job == "pairs" and args.processes > 1:
            key = f"pairs x{args.processes} processes"
            res[key] = rp = run_json_subprocess([__file__, "--run", "pairs", "--processes", str(args.processes), *q])
            if "error" in rp:
                print(f"{key}: {rp['error']}")
            else:
                rows.append([key, rp["snapshots"], fmt(rp["wall_s"], 1), fmt(rp["ms_per_snapshot"], 2),
                             fmt(rp["worker_rss_peak_mib"], 0) + " per worker", fmt(rp["rss_before_mib"], 0),
                             "yes" if rp["wall_s"] <= GOAL_DAY_S * (len(times) / 8640) else "no"])
    table(["job", "snapshots", "wall s", "ms / snapshot", "peak RSS MiB", "RSS before MiB", "goal met"], rows,
          title=f"ours, whole window, fresh subprocess each (goal: a day of 8,640 snapshots < {GOAL_DAY_S:.0f} s)")
    for job, r in res.items():
        print(f"  {job}: " + ", ".join(f"{k}={fmt(v, 3) if isinstance(v, float) else v}" for k, v in r.items()
                                      if k not in ("job", "wall_s", "snapshots", "ms_per_snapshot")))

    key = f"pairs x{args.processes} processes"
    if args.processes > 1 and "error" not in res.get("pairs", {"error": 1}) and "error" not in res.get(key, {"error": 1}):
        r1, rp = res["pairs"], res[key]
        dev = abs(rp["mean_rtt_ms_over_pairs"] / r1["mean_rtt_ms_over_pairs"] - 1)
        same = (rp["availability"] == r1["availability"] and rp["max_hops"] == r1["max_hops"]
                and rp["snapshots"] == r1["snapshots"])
        print(f"pairs on {args.processes} processes: {fmt(rp['wall_s'], 1)} s vs {fmt(r1['wall_s'], 1)} s in one "
              f"process (same invocation): speed-up {r1['wall_s'] / rp['wall_s']:.2f}x; availability, max hops "
              f"and snapshot count {'identical' if same else 'DIFFER'}, mean RTT relative difference {dev:.1e} "
              "(summation order of the per-block partial sums)")

    b = baseline(args.quick, n_sample, args.seed)
    nv, op, oc_ = median(b["naive_s"]), median(b["ours_pairs_s"]), median(b["ours_cluster_s"])
    ratio_p = median([x / y for x, y in zip(b["naive_s"], b["ours_pairs_s"])])
    ratio_c = median([x / y for x, y in zip(b["naive_s"], b["ours_cluster_s"])])
    table(["case", "median ms / snapshot", "day extrapolated s", "speed-up (median of ratios)"], [
        [f"naive: rebuild + Dijkstra from all {b['n_nodes']} nodes", fmt(1e3 * nv), fmt(nv * 8640, 0), "1"],
        ["ours, pairs (route() of one snapshot)", fmt(1e3 * op), fmt(op * 8640, 0), fmt(ratio_p, 1)],
        ["ours, cluster (route() of one snapshot)", fmt(1e3 * oc_), fmt(oc_ * 8640, 0), fmt(ratio_c, 1)],
    ], title=f"incumbent on {len(b['snapshots'])} sampled snapshots (same snapshots for all rows)")
    if "pairs" in res and "error" not in res["pairs"]:
        print(f"ratio naive / ours (full-day run, per snapshot): pairs "
              f"{1e3 * nv / res['pairs']['ms_per_snapshot']:.1f}x", end="")
        if "cluster" in res and "error" not in res["cluster"]:
            print(f", cluster {1e3 * nv / res['cluster']['ms_per_snapshot']:.1f}x")
        else:
            print()
    print(f"agreement on the sample: max relative delay difference pairs {b['max_rel_dev_pairs']:.1e}, "
          f"cluster {b['max_rel_dev_cluster']:.1e}; city pairs where the naive undirected graph bounced "
          f"through a third city's terminal (excluded): {b['naive_city_transit_pairs']}")


if __name__ == "__main__":
    main()
