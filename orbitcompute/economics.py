"""Levelized cost, carbon and water of delivered compute: orbital vs terrestrial.

Pure, vectorized arithmetic on plain SI floats: every parameter may be a scalar or an
array of Monte Carlo draws (shape ``(n,)``); per-site terrestrial values have shape
``(n_site,)`` and broadcast to ``(n, n_site)``.  The geometry (eclipses, array, battery
and radiator per watt of IT load, contact windows) is computed once by
:mod:`orbitcompute.feasibility` and enters as "per watt" ratios.

Accounting (both sides buy the same accelerators and servers)
-------------------------------------------------------------
* **Fleet.**  ``N = it_power / it_w_per_accelerator`` accelerators (continuous, so that
  sensitivities are smooth; integer satellite counts are reported by the feasibility
  model).
* **Generations.**  Hardware (and, in orbit, whole satellites) lasts ``life`` years; over
  ``years`` there are ``ceil(years / life)`` purchases at ``t = 0, life, 2 life, ...``.
* **Discounting.**  Capex at the start of each generation, opex and delivered output at
  the end of each year; levelized cost = PV(costs) / PV(delivered accelerator-hours)
  (the standard levelized-cost definition, e.g. NREL's LCOE; Short et al. 1995,
  NREL/TP-462-5173).
* **Orbital side.**  Launch mass per watt of IT load from the mass roll-up
  (:func:`orbitcompute.mass.launch_mass_si`); spacecraft (everything but the compute
  hardware) at a manufacturing cost per kg of its launch mass; launch at a price per kg;
  operations as a fraction of hardware and spacecraft capex per year; failed accelerators
  (``failure_rate`` per year) either replaced (``replace=1``; their hardware mass launched
  at the launch price when ``replacement_launched=1``) or lost (``replace=0``: output
  decays as ``exp(-rate t)``); ground segment capex and opex;
  non-recurring engineering.  Output runs only when powered (``availability``: 1 with a
  battery sized for eclipse, the sunlit fraction without) and only as far as the network
  can carry the workload's data (``network_factor``).
* **Terrestrial side, per site.**  Facility construction per watt of IT, maintenance as a
  fraction of it per year, electricity ``IT energy x PUE x price``, failed hardware
  replaced at its price, water ``WUE x IT energy``, carbon ``energy x PUE x grid
  intensity``.
* **Carbon, orbital.**  Launch emissions per kg to orbit plus spacecraft manufacturing
  emissions per kg; the hardware's own embodied carbon is the same on both sides and is
  left out of both (stated in reports).

All money is in US dollars of the year each assumption states; no inflation adjustment.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

__all__ = [
    "HOURS_PER_YEAR",
    "discount_sum",
    "generation_factor",
    "orbital",
    "terrestrial",
    "delivered",
    "break_even_linear",
]

HOURS_PER_YEAR = 8760.0  # 365 x 24 h, the convention of the cost studies compared against [h]


def _a(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def discount_sum(rate, years, decay=0.0) -> np.ndarray:
    """``sum_{t=1}^{Y} exp(-decay (t - 1/2)) / (1 + rate)^t`` for fractional ``Y``.

    The annuity factor of an end-of-year stream, optionally decaying at ``decay`` per
    year (mid-year value); a final partial year counts pro rata.  Broadcasts.

    Examples
    --------
    >>> round(float(discount_sum(0.0, 5)), 6), round(float(discount_sum(0.05, 1)), 6)
    (5.0, 0.952381)
    """
    rate, years, decay = np.broadcast_arrays(_a(rate), _a(years), _a(decay))
    y_max = int(np.ceil(np.max(years))) if years.size else 0
    total = np.zeros(rate.shape)
    for t in range(1, y_max + 1):  # loop over years (<= a few dozen), vectorized over draws
        w = np.clip(years - (t - 1), 0.0, 1.0)
        total = total + w * np.exp(-decay * (t - 0.5)) / (1.0 + rate) ** t
    return total


def generation_factor(rate, years, life) -> np.ndarray:
    """PV of buying something at ``t = 0, life, 2 life, ...`` while ``t < years``, per purchase."""
    rate, years, life = np.broadcast_arrays(_a(rate), _a(years), _a(life))
    n_max = int(np.ceil(np.max(years / life))) if years.size else 0
    total = np.zeros(rate.shape)
    for k in range(n_max):
        total = total + np.where(k * life < years - 1e-9, (1.0 + rate) ** (-k * life), 0.0)
    return total


def orbital(p: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Orbital compute: costs, output, carbon and mass; every value shape ``(n,)`` or scalar.

    Parameters (``p`` keys, SI unless the name says otherwise)
    --------------------------------------------------------------
    it_power_w : design IT power of the cluster [W]
    it_w_per_accelerator : IT power per accelerator incl. its server share [W]
    accelerator_cost_usd : accelerator incl. server share [USD]
    accelerator_flops : dense throughput per accelerator [FLOP/s]
    utilization : fraction of powered time doing useful work [-]
    years, discount_rate : horizon [year]; discount rate [1/year]
    launch_kg_per_w, compute_kg_per_w : launch mass and compute-hardware mass per watt of IT [kg/W]
    launch_price_usd_per_kg, spacecraft_cost_usd_per_kg : launch price; manufacturing cost of the
        non-compute dry mass [USD/kg]
    satellite_life_years : life of a satellite generation [year]
    failure_rate_per_year, replace : accelerator failures [1/year]; 1 to replace, 0 to lose them
    replacement_launched : 1 if replacements pay launch of their compute-hardware mass, 0 if not [-]
    ops_fraction_per_year : operations as a fraction of hardware + spacecraft capex per year [1/year]
    ground_capex_usd, ground_opex_usd_per_year, nre_usd : ground segment and engineering [USD]
    availability, network_factor : fractions of time powered / of output the network can carry [-]
    launch_co2_kg_per_kg, spacecraft_co2_kg_per_kg : emission factors [kgCO2/kg]
    payload_per_launch_kg : vehicle capacity to the orbit [kg]

    Returns
    -------
    dict of ndarray
        Capex/opex items and ``total_usd`` (present values), ``accelerator_hours`` (PV),
        ``cost_per_accelerator_hour``, ``cost_per_pflop_day``, ``energy_cost_per_mwh``
        (all costs but the compute hardware, per MWh of IT energy delivered),
        ``co2_kg_per_accelerator_hour``, ``launch_mass_kg``, ``launches``, ``water_l`` (0).
    """
    r, y = _a(p["discount_rate"]), _a(p["years"])
    n_acc = _a(p["it_power_w"]) / _a(p["it_w_per_accelerator"])
    hw = n_acc * _a(p["accelerator_cost_usd"])
    mass = _a(p["launch_kg_per_w"]) * _a(p["it_power_w"])
    compute_mass = _a(p["compute_kg_per_w"]) * _a(p["it_power_w"])
    spacecraft = (mass - compute_mass) * _a(p["spacecraft_cost_usd_per_kg"])
    launch = mass * _a(p["launch_price_usd_per_kg"])
    gens = generation_factor(r, y, p["satellite_life_years"])
    rate, replace = _a(p["failure_rate_per_year"]), _a(p["replace"])
    # replacing failed accelerators: the hardware and, if launched, its compute-hardware
    # mass at the launch price (a compute module delivered to the cluster)
    acc_mass = compute_mass / n_acc
    launched_flag = _a(p["replacement_launched"])
    replacement_per_year = replace * rate * n_acc * (
        _a(p["accelerator_cost_usd"]) + launched_flag * acc_mass * _a(p["launch_price_usd_per_kg"]))
    ann = discount_sum(r, y)
    decay = np.where(replace > 0, 0.0, rate)
    ann_out = discount_sum(r, y, decay)
    capex_gen = hw + spacecraft + launch
    capex = capex_gen * gens + _a(p["ground_capex_usd"]) + _a(p["nre_usd"])
    ops = _a(p["ops_fraction_per_year"]) * (hw + spacecraft) * ann
    ground_ops = _a(p["ground_opex_usd_per_year"]) * ann
    repl = replacement_per_year * ann
    total = capex + ops + ground_ops + repl
    hours_per_year = HOURS_PER_YEAR * _a(p["utilization"]) * _a(p["availability"]) * _a(p["network_factor"])
    acc_hours = n_acc * hours_per_year * ann_out
    it_mwh = acc_hours * _a(p["it_w_per_accelerator"]) / 1e6
    hw_pv = hw * gens + replace * rate * n_acc * _a(p["accelerator_cost_usd"]) * ann
    launched = (mass * np.ceil(y / _a(p["satellite_life_years"]))
                + replace * launched_flag * rate * n_acc * acc_mass * y)
    co2 = (launched * _a(p["launch_co2_kg_per_kg"])
           + (launched - compute_mass * np.ceil(y / _a(p["satellite_life_years"])))
           * _a(p["spacecraft_co2_kg_per_kg"]))
    undiscounted_hours = n_acc * hours_per_year * discount_sum(0.0, y, decay)
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "accelerators": n_acc,
            "hardware_usd": hw * gens,
            "spacecraft_usd": spacecraft * gens,
            "launch_usd": launch * gens,
            "ground_usd": _a(p["ground_capex_usd"]) + ground_ops,
            "nre_usd": _a(p["nre_usd"]) + 0.0 * r,
            "operations_usd": ops,
            "replacement_usd": repl,
            "total_usd": total,
            "accelerator_hours": acc_hours,
            "cost_per_accelerator_hour": total / acc_hours,
            "cost_per_pflop_day": total / (acc_hours * _a(p["accelerator_flops"]) / 1e15 / 24.0),
            "energy_cost_per_mwh": (total - hw_pv) / it_mwh,
            "co2_kg_per_accelerator_hour": co2 / undiscounted_hours,
            "co2_kg": co2,
            "launch_mass_kg": mass,
            "launched_mass_kg": launched,
            "launches": np.ceil(launched / _a(p["payload_per_launch_kg"])),
            "water_l": 0.0 * r,
        }


#: Outputs of :func:`orbital` per unit of delivered output (divided by the served fraction
#: in :func:`delivered`).
PER_HOUR_METRICS = ("cost_per_accelerator_hour", "cost_per_pflop_day", "energy_cost_per_mwh",
                    "co2_kg_per_accelerator_hour")


def delivered(orbital_outputs: Mapping[str, np.ndarray], served) -> dict[str, np.ndarray]:
    """Per-hour metrics of :func:`orbital` when the links carry only a fraction ``served``
    of the workload's data (delivered compute = installed compute x served).

    Output hours scale with the network factor and costs and emissions do not, so from
    the installed figures (``network_factor = 1``): ``accelerator_hours x f`` and every
    per-hour, per-PFLOP-day and per-MWh figure ``/ f`` (infinite where ``f = 0``).

    Examples
    --------
    >>> d = delivered({"accelerator_hours": 100.0, "cost_per_accelerator_hour": 2.0,
    ...                "cost_per_pflop_day": 5.0, "energy_cost_per_mwh": 50.0,
    ...                "co2_kg_per_accelerator_hour": 0.1}, 0.5)
    >>> float(d["accelerator_hours"]), float(d["cost_per_accelerator_hour"])
    (50.0, 4.0)
    """
    f = _a(served)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(f > 0, 1.0 / np.where(f > 0, f, 1.0), np.inf)
    out = {"accelerator_hours": _a(orbital_outputs["accelerator_hours"]) * f}
    for key in PER_HOUR_METRICS:
        out[key] = _a(orbital_outputs[key]) * inv
    return out


def terrestrial(p: Mapping[str, np.ndarray], site: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Terrestrial compute at each site; values shape ``(n, n_site)`` (or broadcast).

    Parameters
    ----------
    p : mapping
        Shared keys as in :func:`orbital` (``it_power_w``, ``it_w_per_accelerator``,
        ``accelerator_cost_usd``, ``accelerator_flops``, ``utilization``, ``years``,
        ``discount_rate``) plus ``construction_usd_per_w`` [USD/W of IT],
        ``facility_opex_fraction_per_year`` [1/year], ``hardware_life_years`` [year],
        ``ground_failure_rate_per_year`` [1/year], ``availability_terrestrial`` [-],
        ``water_price_usd_per_l`` [USD/L].
    site : mapping
        Per-site arrays, shape ``(n_site,)``: ``electricity_usd_per_kwh``,
        ``carbon_g_per_kwh``, ``pue``, ``wue_l_per_kwh``.
    """
    col = lambda k: _a(p[k])[..., None] if np.ndim(p[k]) else _a(p[k])  # noqa: E731
    r, y = col("discount_rate"), col("years")
    n_acc = col("it_power_w") / col("it_w_per_accelerator")
    hw = n_acc * col("accelerator_cost_usd")
    facility = col("construction_usd_per_w") * col("it_power_w")
    ann = discount_sum(r, y)
    hw_pv = hw * generation_factor(r, y, col("hardware_life_years"))
    hours_per_year = HOURS_PER_YEAR * col("utilization") * col("availability_terrestrial")
    acc_hours = n_acc * hours_per_year * ann
    it_kwh_year = n_acc * hours_per_year * col("it_w_per_accelerator") / 1e3
    pue = _a(site["pue"])
    energy = it_kwh_year * pue * _a(site["electricity_usd_per_kwh"]) * ann
    maintenance = col("facility_opex_fraction_per_year") * facility * ann
    repl = col("ground_failure_rate_per_year") * hw * ann
    water_l_year = it_kwh_year * _a(site["wue_l_per_kwh"])
    water_cost = water_l_year * col("water_price_usd_per_l") * ann
    total = hw_pv + facility + energy + maintenance + repl + water_cost
    it_mwh = acc_hours * col("it_w_per_accelerator") / 1e6
    co2_year = it_kwh_year * pue * _a(site["carbon_g_per_kwh"]) / 1e3
    undiscounted = n_acc * hours_per_year * discount_sum(0.0, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "accelerators": n_acc + 0.0 * pue,
            "hardware_usd": hw_pv + 0.0 * pue,
            "facility_usd": facility + 0.0 * pue,
            "energy_usd": energy,
            "maintenance_usd": maintenance + 0.0 * pue,
            "replacement_usd": repl + 0.0 * pue,
            "water_usd": water_cost,
            "total_usd": total,
            "accelerator_hours": acc_hours + 0.0 * pue,
            "cost_per_accelerator_hour": total / acc_hours,
            "cost_per_pflop_day": total / (acc_hours * col("accelerator_flops") / 1e15 / 24.0),
            "energy_cost_per_mwh": (total - hw_pv - repl) / it_mwh,
            "co2_kg_per_accelerator_hour": co2_year * y / undiscounted,
            "co2_kg": co2_year * y,
            "water_l": water_l_year * y,
        }


def break_even_linear(f0, f1, x0, x1, target) -> np.ndarray:
    """The ``x`` at which a quantity linear in ``x`` (``f0`` at ``x0``, ``f1`` at ``x1``)
    equals ``target``; NaN where it does not depend on ``x``."""
    f0, f1, x0, x1, target = (_a(v) for v in (f0, f1, x0, x1, target))
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (f1 - f0) / (x1 - x0)
        return np.where(slope != 0, x0 + (target - f0) / slope, np.nan)
