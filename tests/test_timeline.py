"""The time dimension (orbitcompute.timeline): learning curves, time to power, the cost of
delay and the crossover year, against hand arithmetic, an independent quadrature and the
break-even launch price the feasibility model reports.
"""

from __future__ import annotations

import copy
import csv
import json
import math
from importlib import resources

import numpy as np
import pytest
from scipy.integrate import quad

import orbitcompute as oc
from orbitcompute import timeline as tl
from orbitcompute.errors import InputError
from orbitcompute.scenario import Scenario

# closed forms evaluated in another order (power vs repeated products, log/exp): a few ulps
ARITH = 1e-12
# scipy.integrate.quad of a smooth exponential integrand: its own error estimate is ~1e-14
# relative; 1e-9 leaves room for the ratio of two integrals
QUAD = 1e-9


@pytest.fixture(scope="module")
def model():
    """The default scenario's quick model (several seconds; built once)."""
    return oc.FeasibilityModel(Scenario.default(), quick=True)


@pytest.fixture(scope="module")
def optimistic(model):
    """The default model with the orbital economics at the low ends of their shipped
    ranges (same geometry): the default scenario has no positive break-even launch price
    (orbit costs more than ground even at $0/kg), this variant has one."""
    raw = copy.deepcopy(model.scenario.raw)
    raw["assumptions"] = {"spacecraft_cost": "300 USD/kg", "failure_rate_orbit": "0.015 1/year", "nre": "0 USD",
                          "compute_specific_mass": "5 kg/kW", "shielding_fraction": 0.0, "system_margin": 0.1,
                          "structure_fraction": 0.15, "bus_fraction": 0.05}
    m = model.with_scenario(Scenario.from_dict(raw, source="optimistic orbital economics"))
    assert m.geometry is model.geometry  # economics only: no new geometry
    return m, m.run()


# ---------------------------------------------------------------------- learning curves
def test_wright_law_against_hand_arithmetic():
    c = tl.LearningCurve.wright(800 * oc.u("USD/kg"), 0.2, doubling_time=2 * oc.u.year, start_year=2025)
    years = 2025 + 2.0 * np.arange(6)  # 0..5 doublings
    expected = np.array([800.0 * 0.8 ** n for n in range(6)])
    np.testing.assert_allclose(c.magnitude(years), expected, rtol=ARITH)
    # half a doubling: x 0.8^0.5; before the start year: flat
    assert c.magnitude(2026).item() == pytest.approx(800.0 * math.sqrt(0.8), rel=ARITH)
    assert c.magnitude(2000).item() == 800.0
    # cumulative growth of 100 % a year is one doubling a year
    g = tl.LearningCurve.wright(800 * oc.u("USD/kg"), 0.2, cumulative_growth_per_year=1.0, start_year=2025)
    assert g.doubling_time == pytest.approx(1.0, rel=ARITH)
    assert g.magnitude(2028).item() == pytest.approx(800.0 * 0.8 ** 3, rel=ARITH)
    # learning rate 1 is allowed: the cost vanishes after the start
    one = tl.LearningCurve.wright(10 * oc.u.USD, 1.0, doubling_time=1 * oc.u.year, start_year=2025)
    assert one.magnitude([2025, 2026]).tolist() == [10.0, 0.0]


def test_path_exact_at_nodes_log_linear_between_flat_beyond():
    p = tl.LearningCurve.path([2026, 2030, 2035], [1500, 500, 200] * oc.u("USD/kg"))
    assert p.magnitude([2026, 2030, 2035]).tolist() == [1500.0, 500.0, 200.0]  # exact at the nodes
    assert p.magnitude(2028).item() == pytest.approx(math.sqrt(1500.0 * 500.0), rel=ARITH)  # geometric mean
    assert p.magnitude(2031).item() == pytest.approx(500.0 * (200.0 / 500.0) ** 0.2, rel=ARITH)
    assert p.magnitude([2000, 2100]).tolist() == [1500.0, 200.0]
    # unit conversion on the way out
    assert p.magnitude(2030, "USD/g").item() == pytest.approx(0.5, rel=ARITH)
    # presets evaluate to their cited points
    assert tl.LAUNCH_PRICE_PATH.magnitude([2024, 2035]).tolist() == [2700.0, 200.0]
    assert tl.ACCELERATOR_COST_CURVE.magnitude(2024 + 2.46).item() == pytest.approx(37500.0 / 2, rel=ARITH)


@pytest.mark.parametrize("make, words", [
    (lambda: tl.LearningCurve.wright(1 * oc.u.USD, 1.5, doubling_time=1 * oc.u.year, start_year=2025),
     ["learning_rate", "1.5", "(0, 1]", "learning_rate=0.2"]),
    (lambda: tl.LearningCurve.wright(1 * oc.u.USD, 0.0, doubling_time=1 * oc.u.year, start_year=2025),
     ["learning_rate", "0.0", "(0, 1]"]),
    (lambda: tl.LearningCurve.wright(1 * oc.u.USD, -0.1, doubling_time=1 * oc.u.year, start_year=2025),
     ["learning_rate", "-0.1", "(0, 1]"]),
    (lambda: tl.LearningCurve.path([2030, 2035, 2032], [3, 2, 1], unit="USD/kg"),
     ["years", "years[2] = 2032", "years[1] = 2035", "increasing"]),
    (lambda: tl.LearningCurve.path([2030, 2030], [3, 2], unit="USD/kg"), ["years[1] = 2030", "increasing"]),
    (lambda: tl.LearningCurve.path([], [], unit="USD/kg"), ["years is empty", "at least one", "path("]),
    (lambda: tl.parse_path("", "USD/kg"), ["years is empty"]),
    (lambda: tl.parse_path("2026=1500", "USD/kg"), ["--launch-path", "'2026=1500'", "YEAR:VALUE"]),
    (lambda: tl.LearningCurve.path([2030], [0.0], unit="USD/kg"), ["value 0.0", "year 2030", "> 0"]),
    (lambda: tl.LearningCurve.path([2030], [5.0]), ["no unit", "unit='USD/kg'"]),
])
def test_bad_curves_raise_one_clear_input_error(make, words):
    with pytest.raises(InputError) as exc:
        make()
    for w in words:
        assert w in str(exc.value), (w, str(exc.value))


# ---------------------------------------------------------------------- time to power
def _rows():
    text = resources.files("orbitcompute").joinpath("data", "time_to_power.csv").read_text(encoding="utf-8")
    return {r["code"]: r for r in csv.DictReader(text.splitlines())}


def test_time_to_power_from_the_csv_rows():
    rows = _rows()
    for code in ("IE", "US", "GB", "SG"):
        r = rows[code]
        g, c = float(r["grid_connection_years"]), float(r["construction_years"])
        t = oc.time_to_power(code)
        assert (t.code, t.basis, t.default_used) == (code, "country", False)
        assert t.total_years() == max(g, c)  # construction during the grid wait
        assert t.total_years(parallel=False) == g + c
        assert t.grid_low <= t.grid_connection_years <= t.grid_high
        assert t.source == r["source"] and r["source"]
    # a subdivision row wins over its country; a European country without a row gets the M49 row
    assert oc.time_to_power("US", "US-VA").grid_connection_years == float(rows["US-VA"]["grid_connection_years"])
    fi = oc.time_to_power("fi")
    assert (fi.code, fi.basis, fi.default_used) == ("M49:Europe", "region", False)


def test_time_to_power_default_row_used_and_flagged():
    d = _rows()["DEFAULT"]
    for cc in ("BR", "IN", "ZZ"):  # no row, no regional row (Americas, Asia), and an unknown code
        t = oc.time_to_power(cc)
        assert (t.code, t.basis, t.default_used, t.query) == ("DEFAULT", "default", True, cc)
        assert t.total_years() == max(float(d["grid_connection_years"]), float(d["construction_years"]))
    # wide range, as documented
    assert float(d["grid_high"]) / float(d["grid_low"]) >= 5
    with pytest.raises(InputError, match="country_code"):
        oc.time_to_power("")


def test_timeline_years_to_power_by_hand(model):
    res = model.run()
    out = tl.timeline(model, result=res)
    a = tl.timeline_assumptions()
    ev = model.evaluate({})
    mass = float(ev["orbital:launch_mass_kg"][0])
    payload = model.assumptions()["payload_per_launch"].value.m_as("kg")
    launches = math.ceil(mass / payload)
    t_orb = a["orbital_lead_time"].si() + max(mass / a["satellite_production_rate"].si(),
                                               launches / a["launch_cadence"].si())
    assert out.orbital["years_to_full_power"] == pytest.approx(t_orb, rel=ARITH)
    assert out.orbital["launches"] == launches and out.orbital["satellites"] == res.design["satellites"]
    sites = model.geometry.sites
    rows = list(out.rows())
    for k, j in enumerate(model.chosen_sites()):
        ttp = oc.time_to_power(sites.country_codes[j], sites.subdivisions[j])
        assert rows[k]["terrestrial_years"] == max(ttp.grid_connection_years, ttp.construction_years)
        assert rows[k]["time_to_power_default"] == ttp.default_used
        assert rows[k]["orbit_earlier_years"] == pytest.approx(rows[k]["terrestrial_years"] - t_orb, rel=ARITH)
        assert rows[k]["orbital_usd_per_accelerator_hour"] == res.regions[k].orbital["cost_per_accelerator_hour"]
    # the default scenario's chosen sites include countries without a row (flagged)
    assert any(r["time_to_power_default"] for r in rows)
    assert json.loads(out.to_json())["regions"][0]["region"] == rows[0]["region"]
    assert out.to_csv().splitlines()[0].split(",") == list(out.COLUMNS)


# ---------------------------------------------------------------------- cost of delay
def test_delay_kernel_against_quadrature():
    v0, h, big_h, r, d, cd = 2.5, 1.0e6, 4.0e6, 0.07, 0.245, 3.0e5
    t_e, t_o = 1.5, 4.0
    num_v, _ = quad(lambda t: v0 * (1 - d) ** t * h / (1 + r) ** t, t_e, t_o, epsabs=0, epsrel=1e-13)
    num_c, _ = quad(lambda t: cd / (1 + r) ** t, t_e, t_o, epsabs=0, epsrel=1e-13)
    expected = (num_v + num_c) / (big_h / (1 + r) ** t_o)
    got = float(tl.delay_cost_si(t_o, t_e, v0, h, big_h, r, d, cd))
    assert got == pytest.approx(expected, rel=QUAD)
    # no delay for the earliest option; r = 0 and no decline is plain arithmetic
    assert float(tl.delay_cost_si(t_e, t_e, v0, h, big_h, r, d, cd)) == 0.0
    assert float(tl.delay_cost_si(3.0, 1.0, 2.0, 1000.0, 5000.0, 0.0)) == pytest.approx(2.0 * 1000 * 2 / 5000,
                                                                                         rel=ARITH)


def test_two_years_earlier_wins_when_time_is_valuable_loses_when_free():
    """Option A: full power in 2 years at $3.00/h; B: in 4 years at $2.50/h.  With value v
    per accelerator-hour A wins iff 3.00 < 2.50 + v k, k = h int_2^4 g^t dt / (H (1+r)^-4)."""
    c_a, c_b, t_a, t_b, h, big_h, r, d = 3.0, 2.5, 2.0, 4.0, 2.0e8, 7.0e8, 0.07, 0.1
    integral, _ = quad(lambda t: ((1 - d) / (1 + r)) ** t, t_a, t_b, epsabs=0, epsrel=1e-13)
    k = h * integral / (big_h / (1 + r) ** t_b)
    v_star = (c_a - c_b) / k  # the analytic threshold [USD/h]

    def a_wins(v):
        cost_a = c_a + float(tl.delay_cost_si(t_a, t_a, v, h, big_h, r, d))
        cost_b = c_b + float(tl.delay_cost_si(t_b, t_a, v, h, big_h, r, d))
        return cost_a < cost_b

    assert not a_wins(0.0)                       # time is free: the cheaper B wins
    assert a_wins(v_star * (1 + 1e-6)) and not a_wins(v_star * (1 - 1e-6))
    assert a_wins(8.0) and v_star < 8.0          # the 2023 H100 price makes A win


def test_timeline_winner_flips_at_its_reported_break_even_value(model):
    """End to end: with construction after the grid connection (``parallel=False``), choose
    the orbital lead time so that orbit delivers exactly 2 years before the European site;
    orbit costs more per hour, so it wins only above the value per accelerator-hour the
    result reports, which is checked against the quadrature."""
    res = model.run()
    base = tl.timeline(model, result=res, parallel=False)
    region = "Europe"
    k = base.regions.index(region)
    t_ter = base.table["terrestrial_years"][k]
    assert t_ter == base.table["grid_connection_years"][k] + base.table["construction_years"][k]
    build = base.orbital["years_to_full_power"] - base.orbital["lead_time_years"]
    lead = t_ter - 2.0 - build
    assert lead > 0
    kw = dict(orbital_lead_time=lead * oc.u.year, accelerator_hour_value_decline=0.0 * oc.u("1/year"),
              result=res, parallel=False)
    out = tl.timeline(model, **kw)
    assert out.table["orbit_earlier_years"][k] == pytest.approx(2.0, rel=ARITH)
    ev = model.evaluate({})
    c_o = float(ev["orbital:cost_per_accelerator_hour"][0])
    c_t = float(ev[f"terrestrial:cost_per_accelerator_hour:{region}"][0])
    h_t = float(ev[f"terrestrial:total_usd:{region}"][0]) / c_t
    h = float(ev["orbital:accelerators"][0]) * 8760.0 * model.assumptions()["utilization"].si()
    r = model.assumptions()["discount_rate"].si()
    t_o = t_ter - 2.0
    integral, _ = quad(lambda t: (1 + r) ** -t, t_o, t_ter, epsabs=0, epsrel=1e-13)
    v_star = (c_o - c_t) / (h * integral / (h_t * (1 + r) ** -t_ter))
    assert out.table["value_break_even_usd_per_h"][k] == pytest.approx(v_star, rel=QUAD)
    # the value is at the decision year: v0 (1 - 0)^(2026 - 2025) = v0
    hi = tl.timeline(model, accelerator_hour_value=v_star * 1.001 * oc.u("USD/h"), **kw)
    lo = tl.timeline(model, accelerator_hour_value=v_star * 0.999 * oc.u("USD/h"), **kw)
    zero = tl.timeline(model, accelerator_hour_value=0.0 * oc.u("USD/h"), **kw)
    assert hi.table["cheaper_with_delay"][k] == "orbital"
    assert lo.table["cheaper_with_delay"][k] == "terrestrial"
    assert zero.table["cheaper_with_delay"][k] == "terrestrial" and zero.table["cheaper"][k] == "terrestrial"
    assert zero.table["orbital_usd_per_accelerator_hour_with_delay"][k] == pytest.approx(c_o, rel=ARITH)


# ---------------------------------------------------------------------- crossover
@pytest.mark.parametrize("year_y", [2034.0, 2037.0])
def test_crossover_year_is_where_the_launch_path_reaches_the_break_even(optimistic, year_y):
    """The issue's check: the launch price path reaches the model's break-even launch
    price B of a region in year Y (and falls below after); everything else held: the
    crossover year is Y within the curve's time step."""
    m, res = optimistic
    k = 2
    region = res.regions[k].region
    b = res.regions[k].break_even["launch_price_usd_per_kg"]
    assert b is not None and 0 < b < 1500
    p0 = m.assumptions()["launch_price"].si()
    path = tl.LearningCurve.path([2026, year_y, year_y + 10], [p0, b, b / 2], unit="USD/kg")
    for step in (1.0, 0.5):
        out = oc.crossover(m, {"launch_price": path}, years=range(2026, 2047), step=step)
        y = out.crossover_year[region]
        assert y is not None and year_y <= y <= year_y + step  # within the grid step
        # interpolation of the ratio between the bracketing grid years lands on Y: the
        # ratio is exactly 1 at Y (a grid year) up to the break-even's round-off
        assert out.crossover_interpolated[region] == pytest.approx(year_y, abs=1e-6)
    # without the falling launch price there is no crossover
    flat = oc.crossover(m, {}, years=range(2026, 2047))
    assert flat.crossover_year[region] is None and flat.label(region) == "none before 2046"


def test_crossover_costs_are_the_models_per_year(optimistic):
    m, _ = optimistic
    path = tl.LAUNCH_PRICE_PATH
    out = oc.crossover(m, {"launch_price": path, "accelerator_cost": tl.ACCELERATOR_COST_CURVE}, step=2)
    assert out.years.tolist() == list(range(2026, 2047, 2))
    ev = m.evaluate({"launch_price": path.magnitude(out.years),
                     "accelerator_cost": tl.ACCELERATOR_COST_CURVE.magnitude(out.years)})
    for k, r in enumerate(out.regions):
        np.testing.assert_allclose(out.orbital_cost[:, k], ev["orbital:cost_per_accelerator_hour"], rtol=ARITH)
        np.testing.assert_allclose(out.ratio[:, k], ev[f"ratio:{r}"], rtol=ARITH)
        y = out.crossover_year[r]
        if y is not None:
            i = out.years.tolist().index(y)
            assert out.ratio[i, k] < 1 and (i == 0 or out.ratio[i - 1, k] >= 1)
    rows = list(out.rows())
    assert len(rows) == out.years.size * len(out.regions)
    data = json.loads(out.to_json())
    assert data["crossover"][0]["region"] == out.regions[0] and data["curves"]["launch_price"]["kind"] == "path"
    # with delay: each year's cost is the timeline's for a decision taken that year
    held = tl.LearningCurve.path([2026], [m.assumptions()["launch_price"].si()], unit="USD/kg")
    d = oc.crossover(m, {"launch_price": held}, years=[2026, 2026], include_delay=True)
    t = tl.timeline(m)
    np.testing.assert_allclose(d.orbital_cost[0], t.table["orbital_usd_per_accelerator_hour_with_delay"], rtol=ARITH)
    np.testing.assert_allclose(d.terrestrial_cost[0], t.table["terrestrial_usd_per_accelerator_hour_with_delay"],
                               rtol=ARITH)


def test_crossover_bad_input(model):
    with pytest.raises(InputError, match="not an assumption"):
        oc.crossover(model, {"launch_prices": tl.LAUNCH_PRICE_PATH})
    with pytest.raises(InputError, match="does not convert"):
        oc.crossover(model, {"launch_price": tl.ACCELERATOR_COST_CURVE})
    with pytest.raises(InputError, match="step"):
        oc.crossover(model, {}, step=0)
    with pytest.raises(InputError, match="is not a LearningCurve"):
        oc.crossover(model, {"launch_price": 200})
    with pytest.raises(InputError, match="satellite_production_rate"):
        tl.timeline(model, satellite_production_rate=0 * oc.u("kg/year"))


def test_figures_draw_the_results_numbers(model):
    pytest.importorskip("matplotlib")
    from orbitcompute import plotting

    res = oc.crossover(model, {"launch_price": tl.LAUNCH_PRICE_PATH}, step=5)
    fig = plotting.crossover_chart(res)
    line = fig.axes[0].get_lines()[0]
    np.testing.assert_array_equal(line.get_ydata(), res.orbital_cost[:, 0])
    t = tl.timeline(model)
    fig = plotting.timeline_chart(t)
    heights = [p.get_height() for p in fig.axes[0].patches][:len(t.regions)]
    assert heights == t.table["orbital_years"]
    with pytest.raises(InputError, match="CrossoverResult"):
        plotting.crossover_chart(t)


def test_cli_timeline_prints_the_librarys_numbers(capsys, tmp_path, model):
    from orbitcompute import cli

    out_csv = tmp_path / "t.csv"
    rc = cli.main(["timeline", "--quick", "--json", "--launch-path", "2026:1500,2030:500,2035:200",
                   "--csv", str(out_csv)])
    out, _ = capsys.readouterr()
    assert rc == 0
    data = json.loads(out)
    lib = oc.crossover(model, {"launch_price": tl.parse_path("2026:1500,2030:500,2035:200", "USD/kg")})
    assert data["crossover"]["orbital_usd_per_accelerator_hour"] == lib.orbital_cost.tolist()
    ref = tl.timeline(model)
    assert [r["orbital_years"] for r in data["timeline"]["regions"]] == ref.table["orbital_years"]
    assert out_csv.read_text().splitlines()[0].startswith("region,verdict,terrestrial_site")
    # an existing file is refused (exit 3); a path going backwards is bad input (exit 2)
    assert cli.main(["timeline", "--quick", "-q", "--csv", str(out_csv)]) == 3
    assert cli.main(["timeline", "--quick", "-q", "--launch-path", "2030:500,2026:1500"]) == 2
    err = capsys.readouterr().err
    assert "years[1] = 2026" in err and "increasing" in err
