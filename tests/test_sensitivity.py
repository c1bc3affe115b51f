"""Tests of orbitcompute.sensitivity: tornado, Monte Carlo, sweeps and their exports.

Independent references (each test names the one it uses)
---------------------------------------------------------
* hand arithmetic on ``y = a * b + c`` for the tornado (values written out in the test);
* closed-form moments of the triangular and uniform distributions (mean ``(a + c + b) / 3``,
  variance ``(a^2 + b^2 + c^2 - ab - ac - bc) / 18``; mean ``(a + b) / 2``, variance
  ``(b - a)^2 / 12``), with tolerances of 4 standard errors of the sample mean;
* ``scipy.stats.triang`` and ``scipy.stats.lognorm`` CDFs (Kolmogorov-Smirnov test) and
  their percent-point functions;
* the asymptotic standard error of a sample quantile, ``sqrt(p (1 - p) / n) / f(x_p)``;
* ``scipy.stats.spearmanr`` for rank correlations (the module ranks with a vectorized
  Pearson-on-ranks instead);
* ``P(X < Y) = 3/4`` for ``X ~ U(0, 1)``, ``Y ~ U(0, 2)`` (area of the unit square's part
  under ``y = x`` taken from the 1 x 2 rectangle);
* Kepler's third law for the swept orbital period, and direct serial evaluation for the
  parallel sweeps (threads, processes, a real ``dask.distributed.LocalCluster``).

Every seeded statistical check is deterministic (fixed seed) and its tolerance is derived
from the sampling error at that ``n``, so a biased sampler fails it.
"""

from __future__ import annotations

import csv
import json
import math
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

import orbitcompute as oc
from orbitcompute.constants import GM_EARTH, WGS84_A
from orbitcompute.errors import InputError
from orbitcompute.plotting import plot_distribution, plot_tornado
from orbitcompute.provenance import Assumption
from orbitcompute.sensitivity import (
    Z95,
    FunctionModel,
    Model,
    monte_carlo,
    sample_assumptions,
    sweep,
    tornado,
)

u = oc.u

#: Tolerance of a seeded sample statistic in standard errors.  A correct sampler lands within
#: 4 sigma with probability 1 - 6e-5; a bias of a few standard errors is caught.
N_SIGMA = 4.0


class CountingModel(FunctionModel):
    """FunctionModel that records the size of every evaluate call."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.calls: list[int] = []

    def evaluate(self, values):
        self.calls.append(max((np.size(v) for v in values.values()), default=1))
        return super().evaluate(values)


def _abc_model():
    # Listed c, a, b so the sort by swing has work to do.
    return CountingModel(
        [Assumption("c", 10.0, "USD", "test c", 2026, low=9.0, high=11.0),
         Assumption("a", 2.0, "kg", "test a", 2026, low=1.0, high=4.0),
         Assumption("b", 3.0, "USD/kg", "test b", 2026, low=2.0, high=3.5),
         Assumption("d", 5.0, "", "no range")],
        lambda c, a, b, d: {"y": a * b + c, "z": a + 0 * d},
        description={"scenario": "abc", "output_units": {"y": "USD"}},
    )


# --------------------------------------------------------------------- tornado
def test_tornado_hand_arithmetic_and_sort_order():
    m = _abc_model()
    t = tornado(m, "y")
    # One vectorized call of 2k + 1 = 7 points (d has no range: not varied).
    assert m.calls == [7]
    assert isinstance(m, Model)
    assert t.base_value == 16.0  # 2 * 3 + 10
    assert t.assumption == ("a", "b", "c")
    # a: 1*3+10 = 13, 4*3+10 = 22; b: 2*2+10 = 14, 2*3.5+10 = 17; c: 2*3+9 = 15, 2*3+11 = 17
    np.testing.assert_array_equal(t.output_at_low, [13.0, 14.0, 15.0])
    np.testing.assert_array_equal(t.output_at_high, [22.0, 17.0, 17.0])
    np.testing.assert_array_equal(t.swing, [9.0, 3.0, 2.0])
    np.testing.assert_array_equal(t.low, [1.0, 2.0, 9.0])
    assert t.unit == ("kg", "USD/kg", "USD") and t.source == ("test a", "test b", "test c")
    assert t.output_unit == "USD" and t.description["scenario"] == "abc"
    assert list(next(t.rows())) == list(t.COLUMNS)
    assert t.COLUMNS == ("assumption", "unit", "low", "high", "output_at_low", "output_at_high", "swing", "source")


def test_tornado_names_subset_reversed_range_and_nan_last():
    m = CountingModel(
        [Assumption("p", 1.0, "", low=0.0, high=2.0), Assumption("q", 1.0, "", low=3.0, high=0.5),
         Assumption("r", 1.0, "", low=0.5, high=1.5)],
        # sqrt(r - 1) is NaN at r = 0.5: a failed model point must sort last, not first.
        lambda p, q, r: {"y": p + 10 * q + np.sqrt(np.where(r >= 1.0, r - 1.0, np.nan))},
    )
    t = tornado(m, "y")
    assert t.assumption == ("q", "p", "r")
    # q's range is given high-to-low: low column keeps the declared 3.0, output at low = 1 + 30 + 0.
    assert t.low[0] == 3.0 and t.output_at_low[0] == 31.0 and t.output_at_high[0] == 6.0
    assert np.isnan(t.swing[2])
    t2 = tornado(m, "y", names=["r", "p"])
    assert m.calls[-1] == 5 and t2.assumption == ("p", "r")
    # An output returned as a quantity carries its unit into the result.
    q = FunctionModel([Assumption("l", 2.0, "m", low=1.0, high=3.0)], lambda l: {"area": l**2 * u.m**2})
    tq = tornado(q, "area")
    assert tq.output_unit == "meter**2"
    assert tq.output_at_high.tolist() == [9.0]


def test_tornado_errors_name_the_problem():
    m = _abc_model()
    with pytest.raises(InputError, match="'w' is not an output.*outputs are \\['y', 'z'\\]"):
        tornado(m, "w")
    with pytest.raises(InputError, match="'d' cannot be varied because it has no low/high range"):
        tornado(m, "y", names=["d"])
    with pytest.raises(InputError, match="'nope' is not an assumption"):
        tornado(m, "y", names=["nope"])
    fixed = FunctionModel([Assumption("k", 1.0, "", low=0.0, high=2.0, distribution="fixed")], lambda k: {"y": k})
    with pytest.raises(InputError, match="no assumption with a low/high range"):
        tornado(fixed, "y")
    bad_shape = FunctionModel([Assumption("k", 1.0, "", low=0.0, high=2.0)], lambda k: {"y": np.zeros((2, 2))})
    with pytest.raises(InputError, match="output 'y' has shape \\(2, 2\\), expected \\(3,\\)"):
        tornado(bad_shape, "y")


def test_assumption_distribution_field_is_validated():
    assert Assumption("x", 1.0).distribution == "triangular"
    with pytest.raises(InputError, match="distribution 'normal' is not known"):
        Assumption("x", 1.0, "", low=0.0, high=2.0, distribution="normal")


# ------------------------------------------------------------------ Monte Carlo
def test_triangular_and_uniform_moments_and_ks():
    from scipy import stats

    lo, mode, hi = 2.0, 3.0, 10.0
    a = {"t": Assumption("t", mode, "", low=lo, high=hi),
         "w": Assumption("w", 5.0, "", low=4.0, high=8.0, distribution="uniform")}
    n = 40_000
    d = sample_assumptions(a, n, seed=11)
    mean_t = (lo + mode + hi) / 3
    var_t = (lo**2 + mode**2 + hi**2 - lo * mode - lo * hi - mode * hi) / 18
    assert abs(d["t"].mean() - mean_t) < N_SIGMA * math.sqrt(var_t / n)
    assert abs(d["t"].var(ddof=1) / var_t - 1) < 0.03  # rel. s.e. of a variance ~ sqrt(2/n) * 1.1 = 0.8 %
    assert d["t"].min() >= lo and d["t"].max() <= hi
    mean_w, var_w = 6.0, 16.0 / 12
    assert abs(d["w"].mean() - mean_w) < N_SIGMA * math.sqrt(var_w / n)
    # Kolmogorov-Smirnov against scipy's own distributions: p > 1e-3 at this seed (a wrong
    # mode or a wrong branch of the inverse CDF gives p ~ 0 at n = 40,000).
    tri = stats.triang(c=(mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
    assert stats.kstest(d["t"], tri.cdf).pvalue > 1e-3
    assert stats.kstest(d["w"], stats.uniform(loc=4.0, scale=4.0).cdf).pvalue > 1e-3


def test_triangular_mode_at_an_end_and_degenerate_range():
    a = {"l": Assumption("l", 1.0, "", low=1.0, high=4.0), "z": Assumption("z", 2.0, "", low=2.0, high=2.0)}
    d = sample_assumptions(a, 20_000, seed=5)
    # Mode at the left end: mean (1 + 1 + 4) / 3 = 2, variance (1 + 16 + 1 - 1 - 4 - 4) / 18 = 0.5.
    assert abs(d["l"].mean() - 2.0) < N_SIGMA * math.sqrt(0.5 / 20_000)
    assert np.all(d["z"] == 2.0)


def test_lognormal_percentiles_median_and_scipy():
    from scipy import stats

    n = 40_000
    # Asymmetric in log space: the two halves get their own sigma so that value, low, high are
    # exactly the median, 5th and 95th percentiles.
    v, lo, hi = 600.0, 200.0, 3000.0
    a = {"x": Assumption("x", v, "USD/kg", low=lo, high=hi, distribution="lognormal")}
    x = sample_assumptions(a, n, seed=2)["x"]
    s_lo, s_hi = math.log(v / lo) / Z95, math.log(hi / v) / Z95
    for p, target, s in ((0.05, lo, s_lo), (0.5, v, s_lo), (0.95, hi, s_hi)):
        z = stats.norm.ppf(p)
        pdf = stats.norm.pdf(z) / (s * target)  # density of v * exp(s z) at x_p
        se = math.sqrt(p * (1 - p) / n) / pdf  # asymptotic s.e. of the sample p-quantile
        assert abs(np.quantile(x, p) - target) < N_SIGMA * se, (p, np.quantile(x, p), target, se)
    # Symmetric case (value = geometric mean of low and high): an exact lognormal; its
    # 5th/95th percentiles by scipy are low and high, and the draws pass a KS test against it.
    v2 = math.sqrt(lo * hi)
    sigma = math.log(hi / lo) / (2 * Z95)
    ln = stats.lognorm(s=sigma, scale=v2)
    np.testing.assert_allclose(ln.ppf([0.05, 0.95]), [lo, hi], rtol=1e-12)  # Z95 to 16 digits
    x2 = sample_assumptions({"x": Assumption("x", v2, "", low=lo, high=hi, distribution="lognormal")}, n, seed=3)["x"]
    assert stats.kstest(x2, ln.cdf).pvalue > 1e-3
    with pytest.raises(InputError, match="lognormal needs 0 < low"):
        sample_assumptions({"x": Assumption("x", 1.0, "", low=-1.0, high=2.0, distribution="lognormal")}, 10)
    with pytest.raises(InputError, match="triangular mode \\(value 5\\) must lie in"):
        sample_assumptions({"x": Assumption("x", 5.0, "", low=0.0, high=2.0)}, 10)


def test_seed_reproducibility_and_subset_stability():
    m = _abc_model()
    r1 = monte_carlo(m, 1000, seed=42)
    r2 = monte_carlo(m, 1000, seed=42)
    r3 = monte_carlo(m, 1000, seed=43)
    for k in ("a", "b", "c"):
        np.testing.assert_array_equal(r1.inputs[k], r2.inputs[k])
        assert not np.array_equal(r1.inputs[k], r3.inputs[k])
    np.testing.assert_array_equal(r1.outputs["y"], r2.outputs["y"])
    # Varying a subset leaves each assumption's own draws unchanged; others stay at default.
    r4 = monte_carlo(m, 1000, seed=42, names=["b"])
    np.testing.assert_array_equal(r4.inputs["b"], r1.inputs["b"])
    np.testing.assert_allclose(r4.outputs["y"], 2.0 * r1.inputs["b"] + 10.0, rtol=0, atol=1e-12)
    assert list(r4.inputs) == ["b"] and r4.assumptions["a"]["varied"] is False
    # Provenance recorded for reproduction.
    assert r1.seed == 42 and r1.n == 1000 and r1.description["scenario"] == "abc"
    assert set(r1.versions) == {"python", "orbitcompute", "numpy", "scipy", "skyfield", "sgp4", "pint", "astropy"}
    assert r1.versions["numpy"] == np.__version__
    assert r1.assumptions["d"]["distribution"] == "fixed"


def test_ten_thousand_draws_one_vectorized_call():
    m = _abc_model()
    r = monte_carlo(m, 10_000, seed=0)
    assert m.calls == [10_000]
    assert r.outputs["y"].shape == (10_000,)
    # Independent arithmetic on the recorded draws.
    np.testing.assert_allclose(r.outputs["y"], r.inputs["a"] * r.inputs["b"] + r.inputs["c"], rtol=1e-15)
    s = r.summary()
    assert s.output == ("y", "z") and s.unit == ("USD", "")
    j = s.output.index("y")
    y = r.outputs["y"]
    np.testing.assert_allclose([s.mean[j], s.p5[j], s.p50[j], s.p95[j]],
                               [y.mean(), *np.percentile(y, [5, 50, 95])], rtol=1e-12)
    # E[y] = E[a] E[b] + E[c] for independent draws: (7/3)(8.5/3) + 10 = 16.611...
    var_y = np.var(y)
    assert abs(s.mean[j] - (7 / 3 * 8.5 / 3 + 10)) < N_SIGMA * math.sqrt(var_y / 10_000)


def test_spearman_against_scipy_signs_and_nan():
    from scipy import stats

    m = FunctionModel(
        [Assumption("a", 1.0, "", low=0.0, high=2.0, distribution="uniform"),
         Assumption("b", 1.0, "", low=0.0, high=2.0, distribution="uniform"),
         Assumption("c", 1.0, "", low=0.0, high=2.0)],
        lambda a, b, c: {"up": np.exp(a), "diff": a - 0.5 * b, "gappy": np.where(c > 1.6, np.nan, a + c),
                         "flat": 0.0 * a + 1.0, "dead": np.full_like(a, np.nan)},
    )
    r = monte_carlo(m, 5000, seed=9)
    ins, outs, rho = r.correlations().matrix()
    assert ins == ["a", "b", "c"] and outs == ["up", "diff", "gappy", "flat", "dead"]
    # A strictly monotone function of one input: rho = 1 exactly, 0 (within sampling) for the others.
    assert rho[0, 0] == pytest.approx(1.0, abs=1e-12)
    assert abs(rho[1, 0]) < N_SIGMA / math.sqrt(5000)  # s.e. of rho under independence ~ 1/sqrt(n)
    assert rho[0, 1] > 0.8 and rho[1, 1] < -0.3
    for i, k in enumerate(ins):
        for j, o in enumerate(outs[:2]):
            ref = stats.spearmanr(r.inputs[k], r.outputs[o]).statistic
            assert rho[i, j] == pytest.approx(ref, abs=1e-12)
        keep = np.isfinite(r.outputs["gappy"])
        ref = stats.spearmanr(r.inputs[k][keep], r.outputs["gappy"][keep]).statistic
        assert rho[i, 2] == pytest.approx(ref, abs=1e-12)
    assert np.all(np.isnan(rho[:, 3:]))  # a constant or all-NaN output has no rank correlation
    tab = r.correlations()
    assert tab.n_used[tab.output.index("gappy")] == keep.sum() < 5000
    s = r.summary()
    assert s.n_nan[s.output.index("gappy")] == 5000 - keep.sum()
    j = s.output.index("dead")  # all draws failed: NaN statistics, no warning escapes
    assert s.n_nan[j] == 5000 and np.isnan([s.mean[j], s.std[j], s.p5[j], s.p95[j]]).all()


def test_probability_helpers():
    m = FunctionModel([Assumption("x", 0.5, "", low=0.0, high=1.0, distribution="uniform"),
                       Assumption("y", 1.0, "", low=0.0, high=2.0, distribution="uniform")],
                      lambda x, y: {"orb": x, "ter": y, "gap": np.where(x < 0.1, np.nan, x)})
    n = 20_000
    r = monte_carlo(m, n, seed=4)
    p = r.probability_less("orb", "ter")
    assert abs(p - 0.75) < N_SIGMA * math.sqrt(0.75 * 0.25 / n)
    assert r.probability(lambda out: out["orb"] < out["ter"]) == p
    assert abs(r.probability_less("orb", 0.25) - 0.25) < N_SIGMA * math.sqrt(0.25 * 0.75 / n)
    # NaN draws: probability() counts them False, probability_less() leaves them out.
    keep = r.inputs["x"] >= 0.1
    assert r.probability(lambda out: out["gap"] < 2.0) == pytest.approx(keep.mean(), abs=0)
    assert r.probability_less("gap", 2.0) == 1.0
    with pytest.raises(InputError, match="one bool per draw"):
        r.probability(lambda out: True)
    with pytest.raises(InputError, match="'nope' is not an output"):
        r.probability_less("nope", 1.0)


# --------------------------------------------------------------------- sweeps
def _orbit_cost(altitude, price, mass_kg):
    """Module level so process pools and dask can pickle it."""
    alt_m = altitude.m_as("m")
    if alt_m < 150e3:
        raise InputError(f"altitude {altitude} is below 150 km: the orbit decays within days")
    period = 2 * math.pi * math.sqrt((WGS84_A + alt_m) ** 3 / GM_EARTH)
    return {"period": period * u.s, "launch_cost_musd": price.m_as("USD/kg") * mass_kg / 1e6}


GRID = {"altitude": [100.0, 550.0, 1200.0] * u.km, "price": [200.0, 1500.0] * u.USD / u.kg,
        "mass_kg": [1000.0, 5000.0]}


def _expected_rows():
    """Direct evaluation of the grid with the formula written again (Kepler's third law)."""
    rows = []
    for alt in (100.0, 550.0, 1200.0):
        for price in (200.0, 1500.0):
            for mass in (1000.0, 5000.0):
                ok = alt >= 150.0
                rows.append((alt, price, mass,
                             2 * math.pi * math.sqrt((WGS84_A + alt * 1e3) ** 3 / 3.986004418e14) if ok else math.nan,
                             price * mass / 1e6 if ok else math.nan, ok))
    return rows


def _same_rows(a, b):
    """Row-by-row equality of two tables with NaN equal to NaN (failed points)."""
    ra, rb = list(a.rows()), list(b.rows())
    assert len(ra) == len(rb)
    for x, y in zip(ra, rb):
        assert x.keys() == y.keys()
        for k in x:
            assert x[k] == y[k] or (isinstance(x[k], float) and math.isnan(x[k]) and math.isnan(y[k])), (k, x, y)
    return True


def _check_sweep(r):
    exp = _expected_rows()
    assert len(r) == 12 and r.n_failed == 4
    assert r.grid["altitude"] == [e[0] for e in exp] and r.grid["mass_kg"] == [e[2] for e in exp]
    np.testing.assert_allclose(r.outputs["period"], [e[3] for e in exp], rtol=1e-14)
    np.testing.assert_allclose(r.outputs["launch_cost_musd"], [e[4] for e in exp], rtol=1e-14)
    for e, err in zip(exp, r.errors):
        assert (err == "") == e[5]
        if not e[5]:
            assert err.startswith("InputError: altitude 100.0 km is below 150 km")
    assert r.units == {"altitude": "kilometer", "price": "USD/kilogram", "mass_kg": "", "period": "second",
                       "launch_cost_musd": ""}
    # 550 km circular: 95.6 min (REFERENCES case 10 quotes 95.7 min with the 6371 km mean radius).
    assert r.outputs["period"][4] / 60 == pytest.approx(95.6, abs=0.05)


def test_sweep_serial_with_progress_and_error_capture():
    seen = []
    r = sweep(_orbit_cost, GRID, progress=lambda done, total: seen.append((done, total)))
    _check_sweep(r)
    assert seen == [(k, 12) for k in range(1, 13)]
    assert r.COLUMNS == ("point", "altitude", "price", "mass_kg", "period", "launch_cost_musd", "error")
    assert r.func.endswith("test_sensitivity._orbit_cost")


def test_sweep_threads_equal_serial():
    serial = sweep(_orbit_cost, GRID)
    seen = []
    with ThreadPoolExecutor(max_workers=2) as ex:
        r = sweep(_orbit_cost, GRID, executor=ex, progress=lambda d, t: seen.append(d))
    _check_sweep(r)
    assert _same_rows(r, serial) and sorted(seen) == list(range(1, 13))


def test_sweep_process_pool_equal_serial_and_unpicklable_func_is_data():
    serial = sweep(_orbit_cost, GRID)
    # fork is fast (the worker need not import numpy, scipy and orbitcompute again, ~4 s on
    # this machine), but forking a process that runs other threads (a dask test run earlier
    # leaves some) can deadlock, and Python >= 3.12 warns about it: then spawn.
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context(method)) as ex:
        r = sweep(_orbit_cost, GRID, executor=ex)
        bad = sweep(lambda x: {"y": x}, {"x": [1.0, 2.0]}, executor=ex)
    _check_sweep(r)
    assert _same_rows(r, serial)
    # A lambda cannot be pickled to a worker: every point reports it, none raises.
    assert bad.n_failed == 2 and all("pickle" in e.lower() for e in bad.errors)
    assert bad.outputs == {}


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address:RuntimeWarning")
def test_sweep_on_a_real_dask_local_cluster():
    # The filter: dask's in-process transport names itself after the machine's IP address and
    # warns when there is no route to the Internet (the tests run with the network cut off).
    distributed = pytest.importorskip("distributed")
    serial = sweep(_orbit_cost, GRID)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        r = sweep(_orbit_cost, GRID, executor=client.get_executor())
        worker_log = client.run(lambda: "ran")
    _check_sweep(r)
    assert _same_rows(r, serial)
    assert len(worker_log) == 1  # one real worker took the tasks


def test_sweep_grid_validation_and_odd_outputs():
    with pytest.raises(InputError, match="grid\\['x'\\]: empty"):
        sweep(_orbit_cost, {"x": []})
    with pytest.raises(InputError, match="mixes values of different dimensions"):
        sweep(_orbit_cost, {"x": [1 * u.km, 2 * u.s]})
    with pytest.raises(InputError, match="expected a sequence"):
        sweep(_orbit_cost, {"x": "abc"})
    # Mixed compatible units are converted to the first; strings pass through; non-dict and
    # non-numeric returns become errors.
    r = sweep(lambda x, kind: {"m": x.m_as("m"), "k": 1.0} if kind == "ok" else ({"m": "x", "k": 2.0} if kind == "str" else 3),
              {"x": [1 * u.km, 500 * u.m], "kind": ["ok", "str", "int"]})
    assert r.grid["x"] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5] and r.units["x"] == "kilometer"
    np.testing.assert_array_equal(r.outputs["m"][[0, 3]], [1000.0, 500.0])
    assert r.errors[1].startswith("ValueError: output 'm' = 'x'") and r.errors[2].startswith("TypeError: func returned int")
    assert np.isnan(r.outputs["k"][1]) and r.outputs["k"][0] == 1.0  # a bad point has all outputs NaN


# ------------------------------------------------------------------- exports
def test_csv_json_round_trip_and_refusal(tmp_path):
    m = _abc_model()
    t = tornado(m, "y")
    mc = monte_carlo(m, 200, seed=1)
    sw = sweep(_orbit_cost, GRID)
    for name, res in (("tornado", t), ("mc", mc), ("sweep", sw)):
        p = tmp_path / f"{name}.csv"
        res.to_csv(p)
        with open(p, newline="") as f:
            rows = list(csv.DictReader(f))
        expect = list(res.rows())
        assert len(rows) == len(expect) and list(rows[0]) == list(res.COLUMNS)
        for got, want in zip(rows, expect):
            for c in res.COLUMNS:
                w = want[c]
                if isinstance(w, float):
                    # repr round trip: CSV holds the shortest repr, so parsing gives the same float
                    assert (math.isnan(w) and got[c] == "nan") or float(got[c]) == w
                else:
                    assert got[c] == str(w)
        with pytest.raises(FileExistsError, match="overwrite=True"):
            res.to_csv(p)
        j = tmp_path / f"{name}.json"
        res.to_json(j)
        with pytest.raises(FileExistsError, match="overwrite=True"):
            res.to_json(j)
        res.to_json(j, overwrite=True)
        assert not (tmp_path / f"{name}.json.tmp").exists()
        data = json.loads(j.read_text())  # strict JSON: NaN written as null
        assert data["versions"]["orbitcompute"] == mc.versions["orbitcompute"]
    data = json.loads((tmp_path / "mc.json").read_text())
    assert data["seed"] == 1 and data["n"] == 200 and data["model"]["scenario"] == "abc"
    assert data["draws"]["inputs"]["a"] == mc.inputs["a"].tolist()
    assert data["summary"][0]["p95"] == float(mc.summary().p95[0])
    # Re-running from the recorded seed and n reproduces the recorded draws exactly.
    again = monte_carlo(m, data["n"], seed=data["seed"])
    assert again.outputs["y"].tolist() == data["draws"]["outputs"]["y"]
    data = json.loads((tmp_path / "sweep.json").read_text())
    assert data["rows"][0]["period"] is None and data["rows"][4]["period"] == sw.outputs["period"][4]
    assert data["units"]["price"] == "USD/kilogram"
    assert json.loads((tmp_path / "tornado.json").read_text())["rows"][0]["swing"] == 9.0
    pd = pytest.importorskip("pandas")
    df = t.to_pandas()
    assert isinstance(df, pd.DataFrame) and df["swing"].tolist() == [9.0, 3.0, 2.0]


# -------------------------------------------------------------------- plots
def test_plots_draw_what_the_results_say():
    m = _abc_model()
    t = tornado(m, "y")
    fig = plot_tornado(t)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "y [USD]"
    bars = ax.patches
    assert len(bars) == 6
    # Bars start at the base value and end at the output at low (first 3) and high (last 3).
    np.testing.assert_allclose([b.get_x() for b in bars], 16.0)
    np.testing.assert_allclose([b.get_x() + b.get_width() for b in bars], [13, 14, 15, 22, 17, 17])
    assert [b.get_facecolor()[:3] for b in bars[:1]] == [(0.0, 114 / 255, 178 / 255)]  # Okabe-Ito blue
    top = max(ax.get_yticklabels(), key=lambda lab: lab.get_position()[1])
    assert top.get_text() == "a\n1 to 4 kg"  # largest swing on top
    assert ax.lines[0].get_xdata()[0] == 16.0
    mc = monte_carlo(m, 2000, seed=0)
    fig2 = plot_distribution(mc, "y")
    ax2 = fig2.axes[0]
    assert ax2.get_xlabel() == "y [USD]" and ax2.get_ylabel() == "probability density [1/USD]"
    p5, p50, p95 = np.percentile(mc.outputs["y"], [5, 50, 95])
    np.testing.assert_allclose(sorted(line.get_xdata()[0] for line in ax2.lines), [p5, p50, p95])
    with pytest.raises(InputError, match="different units"):
        plot_distribution(mc, ["y", "z"])
