"""Economics against published cost cases (../shared/REFERENCES.md cases 4, 6, 7) and
closed-form discounting."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitcompute import economics as E


def base(**kw):
    p = {
        "it_power_w": 40e6, "it_w_per_accelerator": 1275.0, "accelerator_cost_usd": 0.0,
        "accelerator_flops": 989e12, "utilization": 1.0, "years": 10.0, "discount_rate": 0.0,
        "launch_kg_per_w": 0.0, "compute_kg_per_w": 0.0, "launch_price_usd_per_kg": 0.0,
        "spacecraft_cost_usd_per_kg": 0.0, "satellite_life_years": 100.0, "failure_rate_per_year": 0.0,
        "replace": 1.0, "replacement_launched": 1.0, "ops_fraction_per_year": 0.0, "ground_capex_usd": 0.0,
        "ground_opex_usd_per_year": 0.0, "nre_usd": 0.0, "availability": 1.0, "network_factor": 1.0,
        "launch_co2_kg_per_kg": 0.0, "spacecraft_co2_kg_per_kg": 0.0, "payload_per_launch_kg": 100e3,
        "construction_usd_per_w": 0.0, "facility_opex_fraction_per_year": 0.0, "hardware_life_years": 100.0,
        "ground_failure_rate_per_year": 0.0, "availability_terrestrial": 1.0, "water_price_usd_per_l": 0.0,
    }
    p.update(kw)
    return p


SITE = {"electricity_usd_per_kwh": np.array([0.04]), "carbon_g_per_kwh": np.array([0.0]),
        "pue": np.array([1.0]), "wue_l_per_kwh": np.array([0.0])}


def test_discount_sum_closed_form():
    """Annuity factor (1 - (1+r)^-Y) / r; decaying stream by direct summation."""
    r, y = 0.07, 5
    np.testing.assert_allclose(E.discount_sum(r, y), (1 - (1 + r) ** -y) / r, rtol=1e-12)
    np.testing.assert_allclose(E.discount_sum(0.0, 7.5), 7.5)
    want = sum(math.exp(-0.1 * (t - 0.5)) / 1.05**t for t in range(1, 6))
    np.testing.assert_allclose(E.discount_sum(0.05, 5, 0.1), want, rtol=1e-12)
    np.testing.assert_allclose(E.discount_sum(np.array([0.0, 0.07]), 5), [5.0, (1 - 1.07**-5) / 0.07])


def test_generation_factor():
    """Purchases at t = 0, 4, 8 within 10 years: 1 + 1.07^-4 + 1.07^-8."""
    np.testing.assert_allclose(E.generation_factor(0.07, 10, 4), 1 + 1.07**-4 + 1.07**-8, rtol=1e-12)
    np.testing.assert_allclose(E.generation_factor(0.0, 5, 5), 1.0)


def test_starcloud_terrestrial_energy_case4():
    """REFERENCES case 4: 40 MW for 10 years at $0.04/kWh -> 3.504 TWh, $140.16M of
    energy; with Starcloud's $7M cooling and $20M backup as facility capex the total is
    $167.16M (published: "$167M").  Exact arithmetic: tolerance 1e-9."""
    p = base(construction_usd_per_w=27e6 / 40e6)
    t = E.terrestrial(p, SITE)
    np.testing.assert_allclose(t["energy_usd"], 140.16e6, rtol=1e-9)
    np.testing.assert_allclose(t["total_usd"], 167.16e6, rtol=1e-9)
    it_twh = t["accelerator_hours"] * p["it_w_per_accelerator"] / 1e12
    np.testing.assert_allclose(it_twh, 3.504, rtol=1e-9)


def test_starcloud_orbital_case4_and_critique():
    """REFERENCES case 4: orbital $8.2M = launch $5M + array $2M + shielding $1.2M; the
    critique's $53M and $103M at $500 and $1000/kg both imply ~100 t launched
    ((53 - 3.2)/500 = 99.6 t).  With 100 t and Starcloud's $3.2M of hardware the model
    gives $53.2M and $103.2M (published ~$53M, ~$103M: 0.5 % tolerance for rounding)."""
    for price, want in ((500.0, 53e6), (1000.0, 103e6)):
        p = base(launch_kg_per_w=100e3 / 40e6, launch_price_usd_per_kg=price,
                 spacecraft_cost_usd_per_kg=3.2e6 / 100e3)
        o = E.orbital(p)
        np.testing.assert_allclose(o["total_usd"], want, rtol=0.005)
    # Starcloud's own $5M launch for 100 t is $50/kg
    o = E.orbital(base(launch_kg_per_w=100e3 / 40e6, launch_price_usd_per_kg=50.0,
                       spacecraft_cost_usd_per_kg=3.2e6 / 100e3))
    np.testing.assert_allclose(o["total_usd"], 8.2e6, rtol=1e-9)


def test_suncatcher_launch_parity_case6():
    """REFERENCES case 6: $200/kg at 37 W/kg -> $5.4/W -> ~$1,080 per kW-year over 5
    years; terrestrial energy at $0.044-0.110/kWh is $385-964 per kW-year."""
    p = base(it_power_w=1e6, years=5.0, launch_kg_per_w=1 / 37.0, launch_price_usd_per_kg=200.0)
    o = E.orbital(p)
    per_w = o["launch_usd"] / p["it_power_w"]
    np.testing.assert_allclose(per_w, 200 / 37, rtol=1e-12)
    np.testing.assert_allclose(per_w * 1e3 / 5, 1081.08, rtol=1e-5)
    for price, want in ((0.044, 385.4), (0.110, 963.6)):
        t = E.terrestrial(base(it_power_w=1e6, years=5.0), dict(SITE, electricity_usd_per_kwh=np.array([price])))
        np.testing.assert_allclose(t["energy_usd"][0] / 1e3 / 5, want, rtol=1e-3)
    # "at $1,500-3,000/kg the gap is >= 10x": $1,500/kg gives $8,108 per kW-year,
    # 21x the cheapest ($385) and 8.4x the dearest ($964) energy; $3,000/kg gives 16.8x
    # the dearest
    def kw_year(price):
        return E.orbital(base(it_power_w=1e6, years=5.0, launch_kg_per_w=1 / 37.0,
                              launch_price_usd_per_kg=price))["launch_usd"] / 1e3 / 5
    assert kw_year(1500.0) / 385.4 > 10 and kw_year(3000.0) / 963.6 == pytest.approx(16.82, rel=1e-3)


def test_mccalip_calculator_case7():
    """REFERENCES case 7: 1 GW for 5 years, McCalip's calculator (andrewmccalip/thoughts,
    static/js/math.js): orbital $51.1B, terrestrial $15.9B.  Its structure mapped onto
    this model: initial power = 1 GW / (0.98 sunlight x mean of 0.975^t over 5 years),
    rounded up to 27 kW satellites of 36.5 W/kg ("37 W/kg"); $22/W hardware (GPUs
    excluded) carried as the replaceable hardware, 9 %/yr failures replaced without launch,
    1 %/yr operations on the hardware, $1B NRE, $500/kg launch, no discounting.
    Terrestrial: $14.66/W facility (turbines at $1,800/kW x PUE 1.2 plus $12.50/W) and
    fuel at 6,200 Btu/kWh x $4.30/MMBtu on IT energy x 0.85 x PUE 1.2.
    The published figures have three significant digits: compared after rounding."""
    retention = np.mean([0.975**t for t in range(5)])
    p_init = 1e9 / (0.98 * retention)
    n_sat = math.ceil(p_init / 27e3)
    p_actual = n_sat * 27e3
    p = base(it_power_w=1e9, it_w_per_accelerator=1.0, years=5.0,
             accelerator_cost_usd=22.0 * p_actual / 1e9, launch_kg_per_w=p_actual / 36.5 / 1e9,
             launch_price_usd_per_kg=500.0, failure_rate_per_year=0.09, replacement_launched=0.0,
             ops_fraction_per_year=0.01, nre_usd=1e9)
    o = E.orbital(p)
    assert round(float(o["total_usd"]) / 1e9, 1) == 51.1
    assert round(float(o["launch_usd"]) / 1e9, 1) == 14.7  # $14.70B of launch in the calculator
    fuel_usd_per_kwh = 6200 * 4.30 / 1e6
    t = E.terrestrial(base(it_power_w=1e9, it_w_per_accelerator=1.0, years=5.0, utilization=0.85,
                           construction_usd_per_w=1.8 * 1.2 + 12.5),
                      dict(SITE, electricity_usd_per_kwh=np.array([fuel_usd_per_kwh]), pue=np.array([1.2])))
    # $15.851B, which the Economist printed as "$15.9bn" (three significant digits)
    assert round(float(t["total_usd"][0]) / 1e9, 1) == 15.9


def test_replacement_policies_and_decay():
    """replace=0: output decays as exp(-rate t) (PV by direct summation); replace=1:
    constant output, and the replacement cost is rate x hardware x launch each year."""
    p = base(years=5.0, discount_rate=0.05, failure_rate_per_year=0.1, accelerator_cost_usd=1000.0,
             replace=0.0)
    o = E.orbital(p)
    n = 40e6 / 1275.0
    want_hours = n * 8760 * sum(math.exp(-0.1 * (t - 0.5)) / 1.05**t for t in range(1, 6))
    np.testing.assert_allclose(o["accelerator_hours"], want_hours, rtol=1e-12)
    assert o["replacement_usd"] == 0
    o2 = E.orbital(dict(p, replace=1.0, compute_kg_per_w=12.8e-3, launch_kg_per_w=0.05,
                        launch_price_usd_per_kg=1500.0))
    per_year = 0.1 * n * (1000.0 + 12.8e-3 * 1275.0 * 1500.0)
    np.testing.assert_allclose(o2["replacement_usd"], per_year * (1 - 1.05**-5) / 0.05, rtol=1e-12)


def test_vectorized_over_draws_and_sites():
    """Arrays of draws give the same numbers as scalar calls; sites broadcast (n, n_site)."""
    prices = np.array([200.0, 1500.0, 3000.0])
    p = base(launch_kg_per_w=0.07, launch_price_usd_per_kg=prices, accelerator_cost_usd=37500.0)
    o = E.orbital(p)
    for k, x in enumerate(prices):
        np.testing.assert_allclose(o["total_usd"][k], E.orbital(dict(p, launch_price_usd_per_kg=x))["total_usd"])
    site = {k: np.array([v[0], v[0]]) for k, v in SITE.items()}
    site["electricity_usd_per_kwh"] = np.array([0.04, 0.08])
    t = E.terrestrial(base(utilization=np.array([0.5, 0.8, 1.0])), site)
    assert t["total_usd"].shape == (3, 2)


def test_break_even_linear():
    assert E.break_even_linear(10.0, 20.0, 0.0, 1.0, 15.0) == pytest.approx(0.5)
    assert np.isnan(E.break_even_linear(10.0, 10.0, 0.0, 1.0, 15.0))
