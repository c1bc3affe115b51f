"""What the link-capacity pass costs the default report (issue 10: goal under 20 %).

The default report (``orbitcompute report`` on the embedded scenario, full geometry) is
timed end to end in this process, and inside the same repeat the parts that the capacity
model adds are timed on their own:

* geometry: ``FeasibilityModel._capacity`` (relay satellites in view of every region's
  places, the cluster's optical links into the relay and their rates) over the latency
  window;
* evaluation: the served fractions of one ``evaluate({})`` (run about 6 times by ``run()``)
  and of the Monte Carlo's draws (relay share and per-satellite capacity varied), and the
  cost-versus-intensity curve the report draws;
* the report's two capacity figures.

The share is (capacity parts) / (whole report), per repeat; the median over ``--repeats``
interleaved repeats is printed with the load average (a shared, noisy machine).  The
incumbent is the same report without those parts: its time is the whole minus them.

Run::

    python benchmarks/bench_capacity.py              # full geometry, 3 repeats (~2 min)
    python benchmarks/bench_capacity.py --quick      # quick geometry, smoke test
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np
from _common import environment, fmt, median, table

import orbitcompute as oc
from orbitcompute import plotting
from orbitcompute.feasibility import FeasibilityModel
from orbitcompute.report import write_report


def one(quick: bool) -> dict:
    t0 = time.perf_counter()
    model = FeasibilityModel(oc.Scenario.default(), quick=quick)
    t_geometry = time.perf_counter() - t0
    result = model.run()
    with tempfile.TemporaryDirectory() as d:
        write_report(result, os.path.join(d, "r"), model=model)
    t_total = time.perf_counter() - t0

    t1 = time.perf_counter()
    model._capacity(model.geometry)
    t_cap_geometry = time.perf_counter() - t1
    t1 = time.perf_counter()
    for _ in range(5):
        model.evaluate({})
    t_eval = (time.perf_counter() - t1) / 5
    v = model._values({})
    t1 = time.perf_counter()
    for _ in range(5):
        model.served_fractions(v, model.demand_bps(v))
    t_served = (time.perf_counter() - t1) / 5
    draws = int(model.scenario.analysis["draws"])
    rng = np.random.default_rng(0)
    vd = dict(v, relay_share=rng.uniform(0.01, 0.5, draws), relay_user_capacity=rng.uniform(20, 1000, draws))
    t1 = time.perf_counter()
    model.served_fractions(vd, np.broadcast_to(model.demand_bps(v), (draws,)))
    t_mc = time.perf_counter() - t1
    t1 = time.perf_counter()
    model.intensity_curve()
    t_curve = time.perf_counter() - t1
    t1 = time.perf_counter()
    import matplotlib.pyplot as plt

    for fig in (plotting.intensity_curve(result), plotting.capacity_series(result)):
        plt.close(fig)
    t_figs = time.perf_counter() - t1
    # run() evaluates the model about 6 times (base, two break-even pairs, CO2 per region)
    n_eval = 3 + len(result.regions)
    added = t_cap_geometry + n_eval * t_served + t_mc + t_curve + t_figs
    return {"total": t_total, "geometry": t_geometry, "capacity_geometry": t_cap_geometry,
            "evaluate": t_eval, "served": t_served, "served_mc": t_mc, "curve": t_curve, "figures": t_figs, "added": added,
            "share": added / (t_total - added)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    print(environment())
    runs = [one(args.quick) for _ in range(args.repeats)]
    m = {k: median([r[k] for r in runs]) for k in runs[0]}
    table(["part", "median [s]"], [
        ["default report, end to end (model, run, write_report)", fmt(m["total"])],
        ["  of which the geometry", fmt(m["geometry"])],
        ["capacity geometry (_capacity)", fmt(m["capacity_geometry"], 3)],
        ["one evaluate({}) (with capacity)", fmt(m["evaluate"], 4)],
        ["  of which served fractions", fmt(m["served"], 4)],
        ["served fractions for the Monte Carlo's draws", fmt(m["served_mc"], 4)],
        ["cost-versus-intensity curve", fmt(m["curve"], 4)],
        ["two capacity figures", fmt(m["figures"], 3)],
        ["capacity parts in all", fmt(m["added"], 3)],
    ], title=f"capacity pass, {'quick' if args.quick else 'full'} geometry, {args.repeats} repeats")
    print(f"capacity adds {100 * m['share']:.1f} % to the report without it (median; goal < 20 %); "
          f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
