"""Monte Carlo, tornado and sweep overheads of ``orbitcompute.sensitivity``.

Workload (issue 5, "Uncertainty and scale"): 10,000 Monte Carlo draws of a stand-in
levelized-cost model with the arithmetic shape of the feasibility model: 30 uncertain
inputs (launch price, specific power, lifetimes, discount rate, electricity prices, PUE,
...), 10 outputs (orbital and per-region terrestrial cost per accelerator-hour, energy
cost per MWh, carbon, mass to orbit, launches), capital recovery factors and a
precomputed "geometry" array (sunlit fraction and contact time per region, computed once
at construction, as the real model does with its orbit geometry).  Goal: < 1 s.

Figures (medians of ``--repeats`` interleaved repeats, in one process):

* ``monte_carlo(model, 10_000)`` end to end (sampling + one ``evaluate``), then
  ``summary()`` and ``correlations()`` (Spearman, 30 x 10) on its result;
* the incumbent for the Monte Carlo: the same model evaluated one draw at a time in a
  Python loop (``evaluate`` with arrays of length 1), timed on ``--loop-draws`` draws and
  extrapolated to 10,000;
* the incumbent for the correlations: ``scipy.stats.spearmanr`` on the (10,000 x 40)
  draw matrix (it returns all 40 x 40 pairs); the results must agree;
* ``tornado`` (61 points in one call);
* per-point overhead of ``sweep`` over 400 trivial points: serial, a 2-thread pool, and a
  ``dask.distributed.LocalCluster(processes=False)`` executor (if dask is installed).

Run::

    python benchmarks/bench_sensitivity.py            # full size (~15 s)
    python benchmarks/bench_sensitivity.py --quick    # smoke test (< 15 s)
"""

from __future__ import annotations

import argparse
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from _common import environment, fmt, median, table

from orbitcompute.provenance import Assumption
from orbitcompute.sensitivity import monte_carlo, sample_assumptions, sweep, tornado

GOAL_S = 1.0
REGIONS = ("eu-west-1", "us-east-1", "ap-south-1", "sa-east-1", "af-south-1", "ap-northeast-1")


def _a(name, value, unit, low, high, dist="triangular"):
    return Assumption(name, value, unit, "stand-in for the benchmark", 2026, low, high, distribution=dist)


class StandInCostModel:
    """A levelized-cost model with the shape of the real one: 30 inputs, 10 outputs.

    The orbital side sizes power, radiator and mass from the (precomputed) sunlit fraction,
    launches it, replaces failures over the lifetime and levelizes capex with a capital
    recovery factor; the terrestrial side prices energy x PUE per region, construction,
    water and carbon.  Not the feasibility model: only its arithmetic shape.
    """

    def __init__(self, n_geometry: int = 20_000):
        rng = np.random.default_rng(0)
        # "Geometry computed once": a sunlit-fraction history and per-region contact fractions.
        self.sunlit = float(np.mean(rng.random(n_geometry) > 0.02))
        self.contact = rng.uniform(0.3, 0.9, len(REGIONS))
        a = [
            _a("launch_price", 1500.0, "USD/kg", 200.0, 3400.0, "lognormal"),
            _a("specific_power", 37.0, "W/kg", 25.0, 150.0, "lognormal"),
            _a("satellite_cost", 22.0, "USD/W", 8.0, 40.0),
            _a("radiator_areal_density", 5.0, "kg/m^2", 2.0, 12.0),
            _a("radiator_net_flux", 633.0, "W/m^2", 300.0, 700.0),
            _a("cell_efficiency", 0.298, "", 0.28, 0.32),
            _a("degradation", 0.02, "1/year", 0.015, 0.03),
            _a("orbital_lifetime", 5.0, "year", 3.0, 8.0),
            _a("failure_rate", 0.03, "1/year", 0.01, 0.10),
            _a("discount_rate", 0.08, "", 0.04, 0.12),
            _a("ops_fraction", 0.05, "1/year", 0.02, 0.10),
            _a("ground_segment_cost", 50e6, "USD", 20e6, 150e6),
            _a("insurance_fraction", 0.08, "", 0.03, 0.15),
            _a("orbital_utilization", 0.8, "", 0.6, 0.95),
            _a("orbital_availability", 0.97, "", 0.90, 0.995),
            _a("accelerator_power", 700.0, "W", 600.0, 1000.0),
            _a("accelerator_cost", 30000.0, "USD", 20000.0, 40000.0),
            _a("accelerator_count", 100000.0, "", 50000.0, 150000.0, "uniform"),
            _a("launch_emissions", 100.0, "kg/kg", 30.0, 400.0, "lognormal"),
            _a("pue", 1.2, "", 1.1, 1.58),
            _a("electricity_price", 0.08, "USD/kWh", 0.04, 0.25, "lognormal"),
            _a("construction_cost", 11.7, "USD/W", 9.3, 15.0),
            _a("terrestrial_lifetime", 15.0, "year", 10.0, 20.0),
            _a("terrestrial_utilization", 0.85, "", 0.7, 0.95),
            _a("wue", 0.38, "L/kWh", 0.1, 1.8, "lognormal"),
            _a("water_price", 0.002, "USD/L", 0.0005, 0.006, "lognormal"),
            _a("carbon_intensity", 400.0, "g/kWh", 20.0, 800.0, "uniform"),
            _a("carbon_price", 80.0, "USD/t", 0.0, 200.0),
            _a("terrestrial_ops_fraction", 0.04, "1/year", 0.02, 0.08),
            _a("accelerator_flops", 989.0, "TFLOPS", 800.0, 2250.0),
        ]
        self._assumptions = {x.name: x for x in a}
        self._defaults = {x.name: x.si() for x in a}

    def assumptions(self):
        return dict(self._assumptions)

    def describe(self):
        return {"model": "stand-in levelized cost model (benchmark only)", "regions": list(REGIONS),
                "output_units": {"cost_per_accelerator_hour_orbital": "USD/h"}}

    def evaluate(self, values):
        n = max((np.size(v) for v in values.values()), default=1)
        v = {k: (np.asarray(values[k], dtype=np.float64) if k in values else np.full(n, d))
             for k, d in self._defaults.items()}
        h_per_year = 8766.0

        def crf(rate, years):
            g = (1.0 + rate) ** years
            return rate * g / (g - 1.0)

        # Orbital: power, array, radiator, mass, launch, replacement, levelized cost.
        p_it = v["accelerator_power"] * v["accelerator_count"]  # W
        p_bus = p_it / (self.sunlit * (1.0 - 0.5 * v["degradation"] * v["orbital_lifetime"]))
        sat_mass = p_bus / v["specific_power"]
        radiator_area = p_it / v["radiator_net_flux"]
        mass = sat_mass + radiator_area * v["radiator_areal_density"]
        replaced = 1.0 + v["failure_rate"] * v["orbital_lifetime"]
        launch = mass * v["launch_price"] * replaced
        capex = (p_bus * v["satellite_cost"] + v["accelerator_cost"] * v["accelerator_count"]) * replaced
        capex_total = (capex + launch) * (1.0 + v["insurance_fraction"]) + v["ground_segment_cost"]
        annual = capex_total * (crf(v["discount_rate"], v["orbital_lifetime"]) + v["ops_fraction"])
        delivered = v["accelerator_count"] * h_per_year * v["orbital_utilization"] * v["orbital_availability"]
        cost_orb = annual / delivered
        co2_orb = mass * replaced * v["launch_emissions"] / (delivered * v["orbital_lifetime"])  # kg per acc-h
        # Terrestrial, per region: energy at a regional price (geometry-weighted), construction, water, carbon.
        e_kwh = p_it * v["pue"] * h_per_year * v["terrestrial_utilization"] / 1e3  # kWh/year
        cap_t = (v["construction_cost"] * p_it + v["accelerator_cost"] * v["accelerator_count"])
        fixed_t = cap_t * (crf(v["discount_rate"], v["terrestrial_lifetime"]) + v["terrestrial_ops_fraction"])
        delivered_t = v["accelerator_count"] * h_per_year * v["terrestrial_utilization"]
        carbon_t = e_kwh * v["carbon_intensity"] / 1e6  # t/year
        price = v["electricity_price"][:, None] * (0.6 + self.contact[None, :])  # (n, region)
        energy_cost = e_kwh[:, None] * price
        water = e_kwh * v["wue"] * v["water_price"]
        cost_t = (fixed_t[:, None] + energy_cost + (water + carbon_t * v["carbon_price"])[:, None]) / delivered_t[:, None]
        out = {
            "cost_per_accelerator_hour_orbital": cost_orb,
            "cost_per_pflop_day_orbital": cost_orb * 24.0 * 1000.0 / v["accelerator_flops"],
            "energy_cost_per_mwh_orbital": annual / (p_it * h_per_year / 1e6),
            "carbon_per_accelerator_hour_orbital": co2_orb,
            "mass_to_orbit": mass * replaced,
            "launches": np.ceil(mass * replaced / 100e3),
        }
        for j, r in enumerate(REGIONS[:4]):
            out[f"cost_per_accelerator_hour_terrestrial:{r}"] = cost_t[:, j]
        return out


def _trivial(x, y):
    return {"s": x + y}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--loop-draws", type=int, default=500)
    ap.add_argument("--n", type=int, default=10_000)
    args = ap.parse_args()
    if args.quick:
        args.repeats, args.loop_draws = 3, 100
    print(environment(), flush=True)
    model = StandInCostModel()
    names = list(model.assumptions())
    k_in = len(names)
    k_out = len(model.evaluate({}))
    print(f"stand-in model: {k_in} uncertain inputs, {k_out} outputs; {args.n} draws; {args.repeats} repeats")

    from scipy.stats import spearmanr

    t_mc, t_sum, t_corr, t_sp, t_loop, t_tor, t_draw, t_eval = [], [], [], [], [], [], [], []
    for _ in range(args.repeats):
        a = time.perf_counter()
        r = monte_carlo(model, args.n, seed=0)
        b = time.perf_counter()
        r.summary()
        c = time.perf_counter()
        corr = r.correlations()
        d = time.perf_counter()
        x = np.column_stack([*r.inputs.values(), *r.outputs.values()])
        ref = spearmanr(x).statistic
        e = time.perf_counter()
        for i in range(args.loop_draws):
            model.evaluate({k: v[i:i + 1] for k, v in r.inputs.items()})
        f = time.perf_counter()
        tornado(model, "cost_per_accelerator_hour_orbital")
        g = time.perf_counter()
        draws = sample_assumptions(model.assumptions(), args.n, seed=0)
        h = time.perf_counter()
        model.evaluate(draws)
        i_ = time.perf_counter()
        t_draw.append(h - g)
        t_eval.append(i_ - h)
        t_mc.append(b - a)
        t_sum.append(c - b)
        t_corr.append(d - c)
        t_sp.append(e - d)
        t_loop.append((f - e) * args.n / args.loop_draws)
        t_tor.append(g - f)
    _, _, rho = corr.matrix()
    diff = float(np.nanmax(np.abs(rho - ref[:k_in, k_in:])))
    rows = [
        ("monte_carlo (sample + 1 evaluate)", fmt(median(t_mc) * 1e3), fmt(min(t_mc) * 1e3), "-"),
        ("  sample_assumptions alone", fmt(median(t_draw) * 1e3), fmt(min(t_draw) * 1e3), "-"),
        ("  model.evaluate alone", fmt(median(t_eval) * 1e3), fmt(min(t_eval) * 1e3), "-"),
        (f"loop of evaluate(n=1), extrapolated from {args.loop_draws}", fmt(median(t_loop) * 1e3),
         fmt(min(t_loop) * 1e3), f"{median([lp / m for lp, m in zip(t_loop, t_mc)]):.0f}x"),
        ("summary() (mean, std, p5/p50/p95)", fmt(median(t_sum) * 1e3), fmt(min(t_sum) * 1e3), "-"),
        (f"correlations() Spearman {k_in} x {k_out}", fmt(median(t_corr) * 1e3), fmt(min(t_corr) * 1e3),
         f"{median([s / c for s, c in zip(t_sp, t_corr)]):.1f}x"),
        (f"scipy.stats.spearmanr on ({args.n} x {k_in + k_out})", fmt(median(t_sp) * 1e3), fmt(min(t_sp) * 1e3), "-"),
        (f"tornado ({2 * k_in + 1} points, 1 call)", fmt(median(t_tor) * 1e3), fmt(min(t_tor) * 1e3), "-"),
    ]
    table(["case", "median ms", "min ms", "speed-up vs incumbent (median of per-repeat ratios)"], rows,
          title="Monte Carlo and tornado")
    total = median([m + s + c for m, s, c in zip(t_mc, t_sum, t_corr)])
    print(f"max |rho - scipy.spearmanr| = {diff:.2e}")
    print(f"monte_carlo + summary + correlations, median {total:.3f} s: goal < {GOAL_S:.0f} s "
          f"{'MET' if total < GOAL_S else 'MISSED'}")

    # ---- sweep overhead per point
    grid = {"x": list(range(20)), "y": list(range(20))}
    n_pt = 400
    rows = []

    def timed(label, executor=None):
        ts = []
        for _ in range(max(3, args.repeats // 2)):
            a = time.perf_counter()
            res = sweep(_trivial, grid, executor=executor)
            ts.append(time.perf_counter() - a)
            assert res.n_failed == 0 and res.outputs["s"][-1] == 38
        rows.append((label, fmt(median(ts) * 1e3), f"{median(ts) / n_pt * 1e6:.0f}"))

    timed("serial (executor=None)")
    with ThreadPoolExecutor(max_workers=2) as ex:
        timed("ThreadPoolExecutor(2)", ex)
    try:
        import distributed
    except ImportError:
        rows.append(("dask LocalCluster", "not installed", "-"))
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                          dashboard_address=None, silence_logs=40) as cl, distributed.Client(cl) as cli:
                timed("dask LocalCluster(processes=False).get_executor()", cli.get_executor())
    table(["sweep of 400 trivial points", "median ms", "us per point"], rows, title="Sweep overhead")


if __name__ == "__main__":
    main()
