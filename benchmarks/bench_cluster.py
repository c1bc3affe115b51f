"""Cluster scale: ``oc.stream_passes`` of a 100,000-satellite shell set x 100 sites x 1 day
on a ``distributed.LocalCluster``, and the projection to 1,000,000 satellites (issue 13).

Workload:

* ``--sats`` satellites (default 100,000) split evenly over four SGP4 Walker-delta shells:
  53 deg / 550 km, 70 deg / 570 km, 97.6 deg / 560 km, 43 deg / 540 km (planes x per
  plane chosen as the divisor pair of each shell's count closest to a square);
* the 100 most populous shipped cities (``oc.GroundSites.cities(limit=100)``);
* 2026-06-21, one day, minimum elevation 25 deg.

Each size runs in a fresh subprocess (so the peaks are its own), which starts
``distributed.LocalCluster(n_workers=W, threads_per_worker=1, processes=True)`` and passes
``client.get_executor()`` to ``stream_passes``, streaming the table to a file in a
temporary directory (Parquet if pyarrow is installed, else CSV; ``--format``), deleted
afterwards.  Reported per size: wall time of the stream (cluster start excluded, reported
apart), rows, groups, bytes, peak RSS of each worker (``VmHWM`` read on the worker through
``client.run``; psutil is not needed) and of the main process.

Scaling model, fitted by least squares to the sizes measured (``--sizes``, default 10,000,
30,000 and ``--sats``)::

    T(N_sat, W) = a + b * N_sat / W

``a``: the fixed cost (the sample grid, the first tasks' start, the file's close); ``b``:
seconds per satellite per worker for this site set and window (search plus this process's
share of writing, which the model folds into b).  Assumptions of the projection: groups
are independent and cost the same per satellite (true for Walker shells: same altitudes,
same sites), there are at least W groups (1,000,000 x 100 sites makes 400), the writer
in the main process keeps up (it writes ~1 row per 50 bytes at >100 MB/s, and at W >> 2
it may become the limit: then T >= rows x (per-row write cost)), and each worker has a
core of its own (on this 2-core machine shared with other jobs they do not; see the load
average recorded).

Run::

    python benchmarks/bench_cluster.py --quick           # smoke test (< 1 min)
    python benchmarks/bench_cluster.py                   # 10k, 30k, 100k satellites (10-20 min)
    python benchmarks/bench_cluster.py --sats 50000 --workers 2 --sizes 10000,50000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

import numpy as np

from _common import environment, fmt, maxrss_mib, run_json_subprocess, table

START, STOP = "2026-06-21T00:00:00Z", "2026-06-22T00:00:00Z"
MIN_EL_DEG = 25.0
N_SITE = 100
SHELLS = [(53.0, 550.0), (70.0, 570.0), (97.6, 560.0), (43.0, 540.0)]  # inclination deg, altitude km
PROJECT_SATS = 1_000_000
PROJECT_WORKERS = (2, 16, 64)


def _planes(n: int) -> int:
    """The divisor of ``n`` closest to (and not above) its square root."""
    p = int(np.sqrt(n))
    while n % p:
        p -= 1
    return p


def workload(n_sat: int):
    import orbitcompute as oc

    con = None
    per = [n_sat // len(SHELLS) + (1 if k < n_sat % len(SHELLS) else 0) for k in range(len(SHELLS))]
    for k, ((inc, alt), n) in enumerate(zip(SHELLS, per)):
        if n == 0:
            continue
        c = oc.Constellation.walker_delta(total=n, planes=_planes(n), phasing=1, altitude=alt * oc.u.km,
                                          inclination=inc * oc.u.deg, epoch=START, name_prefix=f"S{k}")
        con = c if con is None else con + c
    return con, oc.GroundSites.cities(limit=N_SITE)


def _worker_hwm_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")  # pragma: no cover - not Linux


def child(n_sat: int, workers: int, fmt_name: str) -> dict:
    import distributed

    import orbitcompute as oc

    con, sites = workload(n_sat)
    out_dir = tempfile.mkdtemp(prefix="bench_cluster.")
    try:
        t0 = time.perf_counter()
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            t_cluster = time.perf_counter() - t0
            base = client.run(_worker_hwm_mib)
            t1 = time.perf_counter()
            s = oc.stream_passes(con, sites, START, STOP, os.path.join(out_dir, f"passes.{fmt_name}"),
                                 MIN_EL_DEG * oc.u.deg, format=fmt_name, executor=client.get_executor())
            wall = time.perf_counter() - t1
            peaks = client.run(_worker_hwm_mib)
        return {"sats": len(con), "sites": len(sites), "workers": workers, "format": fmt_name,
                "wall_s": wall, "cluster_start_s": t_cluster, "rows": s.rows, "groups": s.groups,
                "bytes": s.bytes, "worker_peak_mib": sorted(peaks.values()),
                "worker_start_mib": sorted(base.values()), "main_peak_mib": maxrss_mib()}
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


def fit(results: list[dict]) -> tuple[float, float]:
    """Least-squares ``a, b`` of ``T = a + b * N_sat / W``."""
    x = np.array([r["sats"] / r["workers"] for r in results], float)
    y = np.array([r["wall_s"] for r in results], float)
    if len(x) == 1:
        return 0.0, float(y[0] / x[0])
    A = np.c_[np.ones_like(x), x]
    (a, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    return float(a), float(b)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="sizes 400, 1,000, 2,000 (smoke test)")
    ap.add_argument("--sats", type=int, default=100_000, help="largest size (default %(default)s)")
    ap.add_argument("--sizes", help="comma-separated sizes to measure (default 10000,30000,SATS)")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster workers (default %(default)s)")
    ap.add_argument("--format", choices=("csv", "parquet"), help="file format (default parquet if pyarrow)")
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.format is None:
        try:
            import pyarrow  # noqa: F401
            args.format = "parquet"
        except ImportError:
            args.format = "csv"
    if args.child:
        print(json.dumps(child(args.child, args.workers, args.format)), flush=True)
        return
    if args.quick:
        sizes = [400, 1000, 2000]
    elif args.sizes:
        sizes = [int(v) for v in args.sizes.split(",")]
    else:
        sizes = sorted({10_000, 30_000, args.sats})
    print(environment(), flush=True)
    load0 = open("/proc/loadavg").read().strip()
    print(f"/proc/loadavg at start: {load0}", flush=True)
    results = []
    for n in sizes:
        r = run_json_subprocess([os.path.abspath(__file__), "--child", str(n), "--workers", str(args.workers),
                                 "--format", args.format])
        if "error" in r:
            print(f"{n} satellites: {r['error']}", file=sys.stderr, flush=True)
            sys.exit(1)
        r["loadavg_after"] = open("/proc/loadavg").read().strip()
        results.append(r)
        print(f"{r['sats']:,} satellites: {r['wall_s']:.1f} s, {r['rows']:,} rows, {r['bytes'] / 2**20:,.0f} MiB, "
              f"workers peak {', '.join(f'{m:,.0f}' for m in r['worker_peak_mib'])} MiB, main "
              f"{r['main_peak_mib']:,.0f} MiB | load {r['loadavg_after']}", flush=True)
    load1 = open("/proc/loadavg").read().strip()
    print(f"/proc/loadavg at end: {load1}", flush=True)
    table(["satellites", "sites", "workers", "wall [s]", "cluster start [s]", "rows", "groups",
           f"{args.format} [MiB]", "peak RSS per worker [MiB]", "main peak [MiB]", "s per 1k sats x W"],
          [[f"{r['sats']:,}", r["sites"], r["workers"], fmt(r["wall_s"], 1), fmt(r["cluster_start_s"], 1),
            f"{r['rows']:,}", r["groups"], fmt(r["bytes"] / 2**20, 1),
            " / ".join(f"{m:,.0f}" for m in r["worker_peak_mib"]), fmt(r["main_peak_mib"], 0),
            fmt(1000 * r["wall_s"] * r["workers"] / r["sats"], 2)] for r in results],
          title=f"stream_passes on a LocalCluster ({args.workers} workers x 1 thread, processes), "
                f"{N_SITE} cities, 1 day, >= {MIN_EL_DEG:g} deg")
    a, b = fit(results)
    rows_per_sat = results[-1]["rows"] / results[-1]["sats"]
    bytes_per_row = results[-1]["bytes"] / max(results[-1]["rows"], 1)
    print(f"\nscaling model T(N_sat, W) = a + b * N_sat / W, least squares over {len(results)} sizes: "
          f"a = {a:.1f} s, b = {b * 1e3:.3f} s per 1,000 satellites per worker")
    proj = [[f"{PROJECT_SATS:,}", w, fmt(a + b * PROJECT_SATS / w, 0), fmt((a + b * PROJECT_SATS / w) / 60, 1),
             f"{rows_per_sat * PROJECT_SATS:,.0f}", fmt(rows_per_sat * PROJECT_SATS * bytes_per_row / 2**30, 1)]
            for w in PROJECT_WORKERS]
    table(["satellites", "workers", "projected wall [s]", "[min]", "rows", f"{args.format} [GiB]"], proj,
          title="projection (assumptions in the module docstring: equal cost per satellite, >= W groups, "
                "a core per worker, the writer keeps up)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"environment": environment(), "loadavg_start": load0, "loadavg_end": load1,
                       "results": results, "model": {"a_s": a, "b_s_per_sat_worker": b},
                       "projection": {str(w): a + b * PROJECT_SATS / w for w in PROJECT_WORKERS}}, f, indent=1)


if __name__ == "__main__":
    main()
