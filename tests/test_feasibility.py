"""The feasibility orchestrator on the embedded default scenario (quick geometry):
consistency with the mass module, vectorization, independent cost arithmetic,
break-evens and the per-region result."""

from __future__ import annotations

import json

import numpy as np
import pytest

import orbitcompute as oc
from orbitcompute import economics
from orbitcompute.feasibility import MODEL_INPUTS, FeasibilityModel, launch_mass_per_w
from orbitcompute.mass import mass_budget


@pytest.fixture(scope="module")
def model():
    return FeasibilityModel(oc.Scenario.default(), quick=True)


@pytest.fixture(scope="module")
def result(model):
    return model.run()


def test_geometry_comes_from_the_orbit(model):
    """The dawn-dusk cluster's year of sunlight: ~4 % in shadow, one season around the
    June solstice (REFERENCES case 10), and a battery sized for its ~20 % worst orbit."""
    g = model.geometry
    assert 0.03 < g.shadow_fraction_year < 0.05
    assert len(g.seasons) == 1 and g.seasons[0]["start"] < "2026-06-21" < g.seasons[0]["end"]
    assert 0.18 < g.worst_orbit_shadow < 0.23
    assert g.battery_j_per_w > 0 and g.availability == 1.0
    assert g.n_sat == 400  # 40 MW / 100 kW


def test_launch_mass_matches_mass_budget(model):
    """The vectorized roll-up equals mass.mass_budget for one satellite of the sized
    array, battery and radiator (same assumptions): identical formula, 1e-12."""
    g = model.geometry
    p_it = model.scenario.orbit["it_power_per_satellite"].m_as("W")
    mb = mass_budget(p_it * oc.u.W, array=g.array, battery=g.battery, radiator=g.radiator)
    per_w, compute = launch_mass_per_w(model._values({}), g)
    np.testing.assert_allclose(per_w, mb.launch_mass_kg / p_it, rtol=1e-12)
    np.testing.assert_allclose(compute * p_it, mb["compute hardware"].mass_kg, rtol=1e-12)


def test_evaluate_is_vectorized(model):
    draws = {"launch_price": np.array([200.0, 1500.0, 3000.0]), "utilization": np.array([0.6, 0.8, 0.9])}
    out = model.evaluate(draws)
    for k in range(3):
        one = model.evaluate({name: v[k] for name, v in draws.items()})
        for key in ("orbital:cost_per_accelerator_hour", "ratio:Europe", "terrestrial:co2_kg_per_accelerator_hour:Asia"):
            np.testing.assert_allclose(out[key][k], one[key][0], rtol=1e-12)
    assert set(model.assumptions()) == set(MODEL_INPUTS)


def test_terrestrial_cost_by_hand(model, result):
    """Europe's chosen site, recomputed by hand: hardware (one 5-year generation),
    construction, then energy, maintenance, failed-hardware swaps and water every year,
    discounted at 7 % over 5 years; divided by discounted accelerator-hours."""
    a = lambda n, unit=None: model._a(n, unit)  # noqa: E731
    k = [r.region for r in result.regions].index("Europe")
    site = model.chosen_sites()[k]
    sites = model.geometry.sites
    price = sites.electricity_price()[site].value.m_as("USD/kWh")
    r, years = 0.07, 5
    ann = sum(1.07**-t for t in range(1, years + 1))
    n_acc = 40e6 / a("it_w_per_accelerator", "W")
    hours = 8760 * a("utilization") * a("availability_terrestrial")
    kwh = n_acc * hours * a("it_w_per_accelerator", "W") / 1e3
    hw = n_acc * a("accelerator_cost", "USD")
    facility = a("construction_cost", "USD/W") * 40e6
    yearly = (kwh * 1.58 * price + a("facility_opex_fraction", "1/year") * facility
              + a("failure_rate_ground", "1/year") * hw + kwh * 0.38 * a("water_price", "USD/L"))
    total = hw + facility + yearly * ann
    want = total / (n_acc * hours * ann)
    assert r == a("discount_rate", "1/year")
    np.testing.assert_allclose(result.regions[k].terrestrial["cost_per_accelerator_hour"], want, rtol=1e-12)


def test_break_evens_are_break_evens(model, result):
    """At the electricity break-even the terrestrial cost equals the orbital one; the
    launch-price break-even is either absent (orbital dearer even at $0/kg) or exact."""
    orbital = result.regions[0].orbital["cost_per_accelerator_hour"]
    for k, reg in enumerate(result.regions):
        be = reg.break_even["electricity_price_usd_per_kwh"]
        sa = model._site_arrays(np.array([model.chosen_sites()[k]]))
        sa["electricity_usd_per_kwh"] = np.array([be])
        p = model._economics_inputs(model._values({}))
        t = economics.terrestrial(p, sa)["cost_per_accelerator_hour"]
        np.testing.assert_allclose(t, orbital, rtol=1e-9)
        co2 = reg.break_even["launch_co2_kg_per_kg"]
        if co2 is not None:
            at = model.evaluate({"launch_co2": co2})["orbital:co2_kg_per_accelerator_hour"][0]
            np.testing.assert_allclose(at, reg.terrestrial["co2_kg_per_accelerator_hour"], rtol=1e-9)
        lp = reg.break_even["launch_price_usd_per_kg"]
        if lp is None:
            free = model.evaluate({"launch_price": 0.0})
            assert free["orbital:cost_per_accelerator_hour"][0] > reg.terrestrial["cost_per_accelerator_hour"]
        else:
            at = model.evaluate({"launch_price": lp})["orbital:cost_per_accelerator_hour"][0]
            np.testing.assert_allclose(at, reg.terrestrial["cost_per_accelerator_hour"], rtol=1e-9)


def test_break_even_launch_price_exists_for_a_lean_design():
    """With cheap spacecraft, no NRE and no hardware replacement, orbital compute breaks
    even at a positive launch price, and evaluating there reproduces the terrestrial cost."""
    s = oc.Scenario.default().with_assumptions(spacecraft_cost="300 USD/kg", nre="0 USD",
                                               failure_rate_orbit="0.015 / year",
                                               array_specific_power="150 W/kg")
    m = FeasibilityModel(s, quick=True)
    res = m.run()
    reg = res.regions[0]
    lp = reg.break_even["launch_price_usd_per_kg"]
    assert lp is not None and 0 < lp < 1500
    at = m.evaluate({"launch_price": lp})["orbital:cost_per_accelerator_hour"][0]
    np.testing.assert_allclose(at, reg.terrestrial["cost_per_accelerator_hour"], rtol=1e-9)


def test_region_results_and_json(result):
    req = 100.0
    assert [r.region for r in result.regions] == ["Africa", "Asia", "Europe", "North America", "Oceania",
                                                   "South America"]
    for r in result.regions:
        assert r.verdict in ("orbital", "terrestrial")
        assert r.binding_constraint.split(":")[0] in ("cost", "latency")
        ratio = r.orbital["cost_per_accelerator_hour"] / r.terrestrial["cost_per_accelerator_hour"]
        if r.binding_constraint.startswith("cost: orbital costs"):
            assert f"{ratio:.2f}x" in r.binding_constraint and r.verdict == "terrestrial"
        if r.verdict == "orbital":
            assert r.orbital_rtt_ms["p95"] <= req
        # the terrestrial choice meets the requirement where any site does
        assert r.terrestrial_rtt_ms["p95"] <= req or r.binding_constraint.startswith("latency")
    text = json.dumps(result.to_dict())
    back = json.loads(text)
    assert back["regions"][0]["region"] == "Africa" and "launch_price" in back["assumptions"]
    assert back["versions"]["numpy"] == np.__version__


def test_orbital_rtt_never_beats_light(model):
    """A path from a place to the cluster and back cannot beat light on the straight line
    to the nearest cluster satellite: RTT >= 2 x min distance / c at every (place, time)."""
    g = model.geometry
    r, _, _ = g.cluster.states_si(g.times, "itrs")  # (n_cluster, n_time, 3)
    d = np.linalg.norm(g.places.ecef[:, None, None, :] - r[None], axis=-1).min(axis=1)
    floor_ms = 2 * d / oc.latency.C_LIGHT * 1e3
    rtt = g.rtt_orbital_ms
    ok = np.isfinite(rtt)
    assert ok.all() and np.all(rtt[ok] >= floor_ms[ok] * (1 - 1e-12))
    assert np.median(rtt / floor_ms) > 1.2  # routes over the relay are longer than the straight line


def test_tables_and_files(result, tmp_path):
    """Tidy CSV (one row per region) and JSON files; existing files are never replaced
    unless asked."""
    csv_path, json_path = tmp_path / "regions.csv", tmp_path / "results.json"
    result.to_csv(csv_path)
    result.to_json(json_path)
    lines = csv_path.read_text().splitlines()
    assert lines[0].split(",")[:2] == ["region", "verdict"] and len(lines) == 1 + len(result.regions)
    with pytest.raises(FileExistsError):
        result.to_json(json_path)
    result.to_json(json_path, overwrite=True)
    data = json.loads(json_path.read_text())
    assert data["design"]["satellites"] == 400
    df = result.to_pandas()
    assert list(df["region"]) == [r.region for r in result.regions]


def test_scenario_sweep_with_a_process_pool():
    """A sweep over an assumption and a geometry key through a process pool equals the
    same points run directly (scenarios are rebuilt per point from picklable data)."""
    from concurrent.futures import ProcessPoolExecutor

    from orbitcompute.sweeps import scenario_point, sweep_scenario
    from orbitcompute.scenario import ScenarioError

    s = oc.Scenario.default()
    grid = {"launch_price": ["500 USD/kg", "2000 USD/kg"], "orbit.cluster.altitude": ["650 km"]}
    with ProcessPoolExecutor(2) as ex:
        res = sweep_scenario(s, grid, executor=ex, quick=True)
    assert len(res) == 2 and res.n_failed == 0
    rows = list(res.rows())
    direct = scenario_point(s.raw, s.source, True, launch_price="2000 USD/kg")
    np.testing.assert_allclose(rows[1]["ratio:Europe"], direct["ratio:Europe"], rtol=1e-12)
    assert rows[1]["ratio:Europe"] > rows[0]["ratio:Europe"]
    with pytest.raises(ScenarioError, match="sweep launch_price"):
        sweep_scenario(s, {"launch_price": ["500 USD"]})


def test_spacecraft_overrides_reach_the_sizing(model):
    """A scenario's power/thermal assumptions are the sizing functions' defaults while
    the geometry is built: a better radiator coating shrinks the radiator, and faster
    cell degradation enlarges the BOL array (sized for end of life)."""
    s = model.scenario.with_assumptions(radiator_emissivity_eol=0.93, degradation_per_year_triple_junction="0.025 / year")
    m2 = model.with_scenario(s)
    assert m2.geometry is not model.geometry  # sizing assumptions changed: rebuilt
    assert m2.geometry.radiator_m2_per_w < model.geometry.radiator_m2_per_w
    want = (1 - 0.015) ** 5 / (1 - 0.025) ** 5  # life factor ratio over the 5-year design life
    np.testing.assert_allclose(m2.geometry.array_w_per_w / model.geometry.array_w_per_w, want, rtol=1e-9)
    # and the defaults are back outside the model
    from orbitcompute.power import cell_technology
    assert cell_technology().degradation_per_year == 0.015


def test_geometry_reused_for_economic_changes(model):
    s = model.scenario.with_assumptions(launch_price="700 USD/kg", utilization=0.7)
    m2 = model.with_scenario(s)
    assert m2.geometry is model.geometry
    np.testing.assert_allclose(m2.evaluate({})["ratio:Asia"],
                               model.evaluate({"launch_price": 700.0, "utilization": 0.7})["ratio:Asia"], rtol=1e-12)


def test_one_sweep_driver_for_the_cli_and_the_api():
    """sweeps.ScenarioPoint is the sweep of both sweep_scenario and `orbitcompute
    sweep`: its evaluate outputs equal the model's own, its summary equals scenario_point,
    and the CLI's old SweepPoint name is a deprecated alias."""
    import warnings

    from orbitcompute.cli import SweepPoint
    from orbitcompute.feasibility import shared_model
    from orbitcompute.sweeps import ScenarioPoint, scenario_point

    s = oc.Scenario.default()
    key = "orbital:cost_per_accelerator_hour"
    point = ScenarioPoint(s.raw, s.source, True, [key], {"launch_price": "USD/kg"}, text=True)
    got = point(launch_price=900.0)
    want = shared_model(s.with_assumptions(launch_price="900 USD/kg"), quick=True).evaluate({})[key][0]
    assert got == {key: float(want)}
    assert ScenarioPoint(s.raw, s.source, True)(launch_price="900 USD/kg") == scenario_point(
        s.raw, s.source, True, launch_price="900 USD/kg")
    with pytest.raises(oc.InputError, match="is not an output"):
        ScenarioPoint(s.raw, s.source, True, ["orbital:no_such"])()
    with pytest.warns(DeprecationWarning, match="ScenarioPoint"):
        old = SweepPoint(s.raw, s.source, True, {"launch_price": "USD/kg"}, [key])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert old(launch_price=900.0) == got


def test_the_scenario_sweep_moved_to_sweeps_with_a_warning():
    import orbitcompute.feasibility as feasibility
    from orbitcompute import sweeps

    for name in ("ScenarioPoint", "scenario_point", "sweep_scenario"):
        with pytest.warns(DeprecationWarning, match=f"feasibility.{name} moved to orbitcompute.sweeps"):
            assert getattr(feasibility, name) is getattr(sweeps, name)
    with pytest.raises(AttributeError):
        feasibility.no_such_name  # noqa: B018
