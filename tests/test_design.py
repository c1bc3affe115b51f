"""Design search (orbitcompute.design): the non-dominated filter, reproducible front points,
bad input, parallel == serial, failed designs as data, the CLI and the figure."""

import copy
import json
import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import orbitcompute as oc
from orbitcompute.design import DesignSpace, DesignVariable, evaluate_design, nondominated, optimize
from orbitcompute.errors import InputError
from orbitcompute.feasibility import FeasibilityModel

pytest.importorskip("pymoo")

#: Re-evaluating a written design: the computation is deterministic and the values are
#: written with repr (exact float round trip), so only float summation order could
#: differ; 1e-12 relative leaves room for nothing else.
REPRO_RTOL = 1e-12


def _cheap_scenario():
    """The default scenario on two regions of three cities and a 2 h latency window
    (the geometry of a point takes ~1 s in quick mode)."""
    raw = copy.deepcopy(oc.Scenario.default().raw)
    raw["regions"] = {"kind": "continent", "codes": ["EU", "NA"], "cities_per_region": 3}
    raw["analysis"] = dict(raw["analysis"], latency_hours="2 h")
    return oc.Scenario.from_dict(raw, source="cheap test scenario")


SEARCH = {"pop_size": 3, "generations": 2, "seed": 3, "quick": True}


@pytest.fixture(scope="module")
def cheap():
    return _cheap_scenario()


@pytest.fixture(scope="module")
def serial(cheap):
    return optimize(cheap, **SEARCH)


# ------------------------------------------------------------------ the non-dominated filter
def _brute_force(F):
    """Independent O(n^2) definition: i is dominated when some j is no worse in every
    objective and better in one (plain Python comparisons)."""
    F = [list(map(float, row)) for row in F]
    out = []
    for i, a in enumerate(F):
        if any(math.isnan(x) for x in a):
            out.append(False)
            continue
        dom = False
        for j, b in enumerate(F):
            if j == i or any(math.isnan(x) for x in b):
                continue
            if all(bj <= aj for aj, bj in zip(a, b)) and any(bj < aj for aj, bj in zip(a, b)):
                dom = True
                break
        out.append(not dom)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_nondominated_matches_brute_force_and_pymoo(seed):
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    rng = np.random.default_rng(seed)
    n = 300
    F = rng.random((n, 2))
    F[rng.integers(0, n, 20)] = F[rng.integers(0, n, 20)]  # exact ties and duplicates
    F[:, 1] = np.round(F[:, 1], 2)  # ties in one objective
    mask = nondominated(F)
    # exact agreement: both are comparisons of the same floats, no arithmetic
    assert mask.tolist() == _brute_force(F)
    first = NonDominatedSorting().do(F, only_non_dominated_front=True)
    assert sorted(np.flatnonzero(mask).tolist()) == sorted(np.asarray(first).tolist())
    F3 = rng.random((200, 3))
    assert nondominated(F3).tolist() == _brute_force(F3)


def test_nondominated_nan_rows_never_on_front():
    F = np.array([[1.0, 1.0], [np.nan, 0.0], [0.5, np.nan], [2.0, 0.5]])
    assert nondominated(F).tolist() == [True, False, False, True]


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kwargs, words", [
    (dict(key="orbit.cluster.altitude", kind="real", low=1200, high=500, unit="km"),
     ["orbit.cluster.altitude", "low = 1200 km", "high = 500 km", "low <= high"]),
    (dict(key="orbit.ground_stations", kind="int", low=20, high=0),
     ["orbit.ground_stations", "low = 20", "high = 0", "swap"]),
    (dict(key="orbit.cluster.altitud", kind="real", low=500, high=900, unit="km"),
     ["orbit.cluster.altitud", "unknown scenario key", "did you mean 'orbit.cluster.altitude'"]),
    (dict(key="orbit.cluster.altitude", kind="real", low=100, high=900, unit="km"),
     ["orbit.cluster.altitude", "[100, 900] km", "outside", "[160, 40000] km"]),
    (dict(key="orbit.cluster.ltan", kind="real", low=6, high=30, unit="h"),
     ["orbit.cluster.ltan", "[6, 30] h", "[0, 24] h"]),
    (dict(key="launch_price", kind="real", low=100, high=900),
     ["launch_price", "assumption", "SECTION.KEY"]),
    (dict(key="orbit.relay.kind", kind="choice", choices=("walker_delta", "starlink")),
     ["orbit.relay.kind", "'starlink'", "'none'"]),
    (dict(key="orbit.battery", kind="int", low=0, high=1), ["orbit.battery", "bool"]),
    (dict(key="orbit.cluster.altitude", kind="real", low=500, high=900, unit="kg"),
     ["orbit.cluster.altitude", "'kg'", "'m'"]),
])
def test_bad_variable_one_clear_error(kwargs, words):
    with pytest.raises(InputError) as info:
        DesignVariable(**kwargs)
    msg = str(info.value)
    for w in words:
        assert w in msg, (w, msg)


def test_bad_space_and_settings(cheap):
    alt = DesignVariable("orbit.cluster.altitude", "real", 500, 900, unit="km")
    with pytest.raises(InputError, match="appears more than once"):
        DesignSpace((alt, alt))
    with pytest.raises(InputError, match="no variables"):
        DesignSpace(())
    walker = DesignSpace((DesignVariable("orbit.cluster.ltan", "real", 6, 18, unit="h"),))
    raw = copy.deepcopy(cheap.raw)
    raw["orbit"]["cluster"] = {"kind": "walker_delta", "altitude": "650 km", "inclination": "53 deg"}
    with pytest.raises(InputError, match="inclination"):
        optimize(oc.Scenario.from_dict(raw), walker)
    with pytest.raises(InputError, match="pop_size"):
        optimize(cheap, pop_size=1)
    with pytest.raises(InputError, match="objective"):
        optimize(cheap, objective="best")


# ------------------------------------------------------------------ the search
def test_search_records_every_design_and_fronts(serial):
    res = serial
    assert res.regions == ("Europe", "North America")
    assert 1 < len(res) <= SEARCH["pop_size"] * SEARCH["generations"]
    assert len({tuple(d.values()) for d in res.designs}) == len(res)  # each design once
    for d in res.designs:  # values inside the space, of the variable's type
        for v in res.space:
            x = d[v.key]
            if v.kind in ("real", "int"):
                assert v.low <= x <= v.high
            elif v.kind == "choice":
                assert x in v.choices
    for r in res.regions:
        front = res.front(r)
        assert front, r
        k = res.regions.index(r)
        feas = np.flatnonzero(res.feasible_in(r))
        # every feasible design is on the front or dominated by a front point (exact comparisons)
        for i in feas:
            c, p = res.cost[i, k], res.p95_ms[i, k]
            assert any(f.index == i or (f.cost_usd_per_accelerator_hour[r] <= c and f.p95_ms[r] <= p
                                        and (f.cost_usd_per_accelerator_hour[r] < c or f.p95_ms[r] < p))
                       for f in front)
    rows = list(res.rows())
    assert len(rows) == len(res) and "on_front:Europe" in rows[0]
    data = json.loads(res.to_json())
    assert data["kind"] == "design" and len(data["rows"]) == len(res)
    assert res.to_csv().count("\n") == len(res) + 1


def test_front_points_reproduce_from_written_toml(serial, tmp_path):
    res = serial
    indices = sorted({p.index for r in res.regions for p in res.front(r)})
    for i in indices:
        path = tmp_path / f"design-{i}.toml"
        res.write_toml(i, path)
        with pytest.raises(FileExistsError):
            res.write_toml(i, path)
        s = oc.load_scenario(path)
        # a fresh model (not the shared cache), as a user would run the file
        again = FeasibilityModel(s, quick=res.quick).run()
        for k, reg in enumerate(again.regions):
            assert reg.region == res.regions[k]
            assert reg.orbital["cost_per_accelerator_hour"] == pytest.approx(res.cost[i, k], rel=REPRO_RTOL)
            assert reg.orbital_rtt_ms["p95"] == pytest.approx(res.p95_ms[i, k], rel=REPRO_RTOL)
        for v in res.space:  # the design values are in the file, as evaluated
            node = s.raw
            for part in v.key.split("."):
                node = node[part]
            assert node == v.to_scenario(res.designs[i][v.key])
        assert res.scenario_for(i).raw == s.raw


def test_process_pool_gives_the_serial_points(cheap, serial):
    with ProcessPoolExecutor(2) as ex:
        par = optimize(cheap, executor=ex, **SEARCH)
    # same seed, deterministic evaluations: identical designs and bit-identical figures
    assert par.designs == serial.designs
    assert par.errors == serial.errors
    for name in ("cost", "p95_ms", "availability"):
        np.testing.assert_array_equal(getattr(par, name), getattr(serial, name))
    np.testing.assert_array_equal(par.generation, serial.generation)


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address:RuntimeWarning")
def test_dask_executor_gives_the_serial_first_generation(cheap, serial):
    # The filter: dask's in-process transport names itself after the machine's IP address and
    # warns when there is no route to the Internet (.ci/run cuts the network off).
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        first = optimize(cheap, executor=client.get_executor(), **dict(SEARCH, generations=1))
    # the first generation depends on the seed alone: the serial run's first rows, exactly
    n = len(first)
    assert n == int(np.sum(serial.generation == 0))
    assert first.designs == serial.designs[:n]
    np.testing.assert_array_equal(first.cost, serial.cost[:n])
    np.testing.assert_array_equal(first.p95_ms, serial.p95_ms[:n])


def test_failed_designs_are_data_not_the_end(cheap):
    # a Walker cluster needs an inclination the base scenario does not give: every design
    # fails scenario validation, and the search still completes with the errors as data
    space = DesignSpace((DesignVariable("orbit.cluster.kind", "choice", choices=("walker_delta", "walker_star")),
                         DesignVariable("orbit.cluster.altitude", "real", 500, 1200, unit="km", decimals=1)))
    res = optimize(cheap, space, pop_size=3, generations=2, seed=0)
    assert len(res) >= 3 and res.n_failed == len(res)
    assert all("orbit.cluster.inclination" in e for e in res.errors)
    assert not res.feasible.any() and res.regions == ()
    assert np.isnan(res.cost).all()
    # no ground station and no relay: the model refuses the design (unreachable cluster)
    out = evaluate_design(cheap.raw, "t", True, (("orbit.ground_stations", 0), ("orbit.relay.kind", "none")))
    assert out["error"].startswith("InputError") and "ground_stations" in out["error"] and out["cost"] == []


# ------------------------------------------------------------------ CLI and figure
def test_cli_optimize(tmp_path, capsys, cheap):
    from orbitcompute.cli import main
    from orbitcompute.report import scenario_toml

    scen = tmp_path / "cheap.toml"
    scen.write_text(scenario_toml(cheap.raw))
    out_dir = tmp_path / "front"
    # seed 1: both sampled designs are feasible (a design without relay and with few stations
    # often is not, which the search records as data; this test is about the command's plumbing)
    code = main(["optimize", str(scen), "--pop", "2", "--generations", "1", "--quick", "--json", "--quiet",
                 "--seed", "1", "--write-front", str(out_dir)])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "design" and len(data["rows"]) == 2
    written = sorted(out_dir.glob("design-*.toml"))
    front = {i for ids in data["fronts"].values() for i in ids}
    assert len(written) == len(front) > 0
    assert main(["optimize", str(scen), "--pop", "2", "--generations", "1", "--quick", "--quiet",
                 "--write-front", str(out_dir)]) == 3  # exists, no --force
    assert main(["optimize", str(scen), "--pop", "0", "--quiet"]) == 2


def test_pareto_chart(serial):
    from orbitcompute.plotting import pareto_chart

    fig = pareto_chart(serial)
    assert len(fig.axes) == len(serial.regions)
    one = pareto_chart(serial, region="Europe")
    assert len(one.axes) == 1
    with pytest.raises(InputError, match="Europa"):
        pareto_chart(serial, region="Europa")


def test_report_sections_for_design_and_sobol(serial, tmp_path):
    """write_report lays out a design search and a Sobol study it is given: the front per
    region in a table whose rows equal DesignResult.front, the Sobol table's top assumption
    equal to SobolResult.top, both in results.json, and their figures embedded."""
    import json
    import re

    from orbitcompute.report import write_report

    model = oc.FeasibilityModel(serial.scenario, quick=True)
    result = model.run()
    so = oc.sobol(model, "ratio:*", n=64, num_resamples=20, convergence=False)
    out = write_report(result, tmp_path / "r", model=model, monte_carlo=oc.monte_carlo(model, 200), sobol=so,
                       design=serial)
    page = (out / "report.html").read_text()
    data = json.loads((out / "results.json").read_text())
    assert 'id="design-search"' in page and 'id="sobol"' in page and 'id="fig-pareto"' in page
    n_front = sum(len(serial.front(r)) for r in serial.regions)
    table = page[page.index('id="design-search"'):page.index('id="fig-pareto"')]
    assert len(re.findall(r"<tr><th scope=\"row\">", table)) == n_front
    top = so.top(so.outputs[0], 1)[0]["assumption"]
    assert f"<td>{top}</td>" in page[page.index('id="sobol"'):]
    assert data["sobol"]["n"] == 64 and len(data["design_search"]["rows"]) == len(serial.designs)
