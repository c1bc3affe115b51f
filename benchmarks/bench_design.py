"""Design search on the default scenario: wall time, front sizes, reproduction from TOML.

Workload (issue 11, "Design search"): ``orbitcompute.optimize`` on the embedded default
scenario with the default design space (altitude, LTAN, compute power per satellite,
battery, ground stations, relay or none), NSGA-II (pymoo ``MixedVariableGA`` with
rank-and-crowding survival), every design rebuilding its whole geometry in a
``ProcessPoolExecutor`` of ``--workers`` processes.  Goal: a Pareto front of at least
10 designs for the default scenario in under 10 minutes on this 2-core machine, each
front point re-evaluated from its written TOML to the same figures.

Printed: the wall time of the search, the designs evaluated and failed, the number of
designs on each region's front, then every front design written as TOML, loaded with
``oc.load_scenario`` and run again with a fresh ``FeasibilityModel`` (in the same pool)
and the largest relative difference of its cost and p95 per region (the computation is
deterministic: expected 0).

Run::

    python benchmarks/bench_design.py                       # full geometry, pop 20 x 6 generations
    python benchmarks/bench_design.py --quick --pop 8 --generations 2   # smoke test
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from _common import environment, table

import orbitcompute as oc


def reevaluate(path: str, quick: bool) -> tuple[list[float], list[float]]:
    """Run a written design file with a fresh model (module level: runs in the pool)."""
    res = oc.FeasibilityModel(oc.load_scenario(path), quick=quick).run()
    return ([r.orbital["cost_per_accelerator_hour"] for r in res.regions],
            [r.orbital_rtt_ms["p95"] for r in res.regions])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pop", type=int, default=20)
    ap.add_argument("--generations", type=int, default=6)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--objective", choices=("worst", "mean"), default="worst")
    ap.add_argument("--quick", action="store_true", help="coarse geometry")
    args = ap.parse_args()
    print(environment())
    s = oc.Scenario.default()

    def progress(done, total):
        now = time.perf_counter()
        if done % 10 == 0 or done == total:
            print(f"  {done}/{total} designs ({now - t0:.0f} s)", flush=True)

    with ProcessPoolExecutor(args.workers) as ex:
        t0 = time.perf_counter()
        res = oc.optimize(s, pop_size=args.pop, generations=args.generations, seed=args.seed, executor=ex,
                          quick=args.quick, progress=progress, objective=args.objective)
        t_search = time.perf_counter() - t0
        fronts = {r: res.front(r) for r in res.regions}
        union = sorted({p.index for f in fronts.values() for p in f})
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i in union:
                p = Path(tmp) / f"design-{i}.toml"
                res.write_toml(i, p)
                paths.append(str(p))
            t1 = time.perf_counter()
            again = list(ex.map(reevaluate, paths, [res.quick] * len(paths)))
            t_re = time.perf_counter() - t1
    agg = np.max if args.objective == "worst" else np.mean
    F = np.column_stack([agg(res.cost, axis=1), agg(res.p95_ms, axis=1)])
    F[~res.feasible] = np.nan
    agg_front = int(oc.design.nondominated(F).sum())
    worst = 0.0
    for i, (cost, p95) in zip(union, again):
        worst = max(worst, float(np.max(np.abs(np.array(cost) / res.cost[i] - 1))),
                    float(np.max(np.abs(np.array(p95) / res.p95_ms[i] - 1))))
    table(["quantity", "value"], [
        ["geometry", "quick" if args.quick else "full"],
        ["population x generations, workers, objective",
         f"{args.pop} x {args.generations}, {args.workers}, {args.objective} over regions"],
        ["designs evaluated / failed / feasible in every region",
         f"{len(res)} / {res.n_failed} / {int(res.feasible.sum())}"],
        ["search wall time", f"{t_search:.1f} s ({t_search / max(1, len(res)):.2f} s per design)"],
        ["front size of the optimiser's objectives (all regions feasible)", str(agg_front)],
        *[[f"front size, {r}", str(len(f))] for r, f in fronts.items()],
        ["distinct front designs written as TOML", str(len(union))],
        ["re-evaluation of those from their TOML (pool)", f"{t_re:.1f} s"],
        ["largest relative difference, cost and p95", f"{worst:.3g}"],
        ["goal (>= 10 designs on every front, < 600 s)",
         ("met" if min(len(f) for f in fronts.values()) >= 10 and t_search < 600 else
          f"met for {sum(len(f) >= 10 for f in fronts.values())} of {len(fronts)} regions")
         + f" in {t_search:.0f} s"],
    ], title="design search on the default scenario")
    r0 = res.regions[0]
    print(f"\nfront of {r0} (cost per accelerator-hour [USD/h], p95 RTT [ms], design):")
    for p in fronts[r0]:
        print(f"  {p.cost_usd_per_accelerator_hour[r0]:8.3f}  {p.p95_ms[r0]:7.2f}  {p.values}")


if __name__ == "__main__":
    main()
