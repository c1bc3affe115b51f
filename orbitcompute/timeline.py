"""The time dimension: time to full power, the value of earlier compute, learning curves
and the crossover year per region.

Decision makers ask *when*, not only *whether*.  This module adds three things to the
static comparison of :class:`~orbitcompute.feasibility.FeasibilityModel`:

* **Time to full power.**  Terrestrial, per region: grid connection and construction
  lead times at the country of the region's chosen cloud site, from the shipped table
  ``data/time_to_power.csv`` (:func:`time_to_power`; a documented ``DEFAULT`` row, flagged,
  where no source exists).  Orbital: design lead time plus the longer of manufacturing
  the launch mass and launching it (``data/assumptions_timeline.csv``).
* **The value of earlier compute.**  The accelerator-hours an option does not deliver
  while it waits, relative to the earliest option, are valued at the market value of an
  accelerator-hour (declining over time) and spread over the hours it delivers
  (:func:`delay_cost_si`): an option that delivers two years earlier can win at a higher
  cost per hour (:func:`timeline`).
* **Learning curves and the crossover year.**  :class:`~orbitcompute.learning.LearningCurve` (Wright's law or a
  dated path) gives an assumption's value per calendar year; :func:`crossover` evaluates
  the model once, vectorized over the years, and reports per region the first year in
  which the orbital cost per accelerator-hour is below the terrestrial one, or "none
  before YEAR".

The method, equations, sources and limits are in ``docs/timeline.md``.

Examples
--------
>>> import orbitcompute as oc
>>> from orbitcompute.learning import LearningCurve
>>> from orbitcompute.timeline import time_to_power
>>> c = LearningCurve.wright(800 * oc.u("USD/kg"), 0.2, doubling_time=2 * oc.u.year, start_year=2025)
>>> round(float(c.magnitude(2029).item()), 6)        # two doublings: 800 x 0.8^2
512.0
>>> p = LearningCurve.path([2026, 2036], [1000, 100] * oc.u("USD/kg"))
>>> round(float(p.magnitude(2031).item()), 6)        # log-linear: the geometric mean midway
316.227766
>>> t = time_to_power("ZZ")
>>> t.code, t.default_used, t.total_years()
('DEFAULT', True, 4.0)
"""

from __future__ import annotations

import csv
import functools
import io
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Mapping

import numpy as np

from ._output import write_json
from ._table import TableMixin
from .errors import InputError, ParseError
from .provenance import Assumption, read_assumptions
from .learning import (  # noqa: F401  (re-exported: the learning curves lived here)
    ACCELERATOR_COST_CURVE,
    LAUNCH_PRICE_PATH,
    SPACECRAFT_COST_CURVE,
    LearningCurve,
    default_curves,
    parse_path,
)
from .regions import country_table
from .units import magnitude, quantity

__all__ = [
    "ACCELERATOR_COST_CURVE",
    "default_curves",
    "LAUNCH_PRICE_PATH",
    "SPACECRAFT_COST_CURVE",
    "CrossoverResult",
    "LearningCurve",
    "TimeToPower",
    "TimelineResult",
    "crossover",
    "delay_cost_si",
    "parse_path",
    "time_to_power",
    "timeline",
    "timeline_assumptions",
]

HOURS_PER_YEAR = 8760.0  # as orbitcompute.economics [h]
_TTP_FILE = "time_to_power.csv"
_ASSUMPTIONS_FILE = "assumptions_timeline.csv"


# ============================================================================ time to power
@dataclass(frozen=True)
class TimeToPower:
    """Lead times to power a new large data centre at one place (a row of
    ``data/time_to_power.csv``).

    Attributes
    ----------
    query : str
        The code asked for (country, or ``subdivision`` when given).
    code, name : str
        The row used: a subdivision (``US-VA``), a country (ISO alpha-2), an M49 region
        (``M49:Europe``) or ``DEFAULT``.
    basis : str
        ``"subdivision"``, ``"country"``, ``"region"`` or ``"default"``.
    default_used : bool
        True when no subdivision, country or regional row exists.
    grid_connection_years, grid_low, grid_high : float
        Wait for a grid connection [year] and its range.
    construction_years, construction_low, construction_high : float
        Construction [year] and its range.
    year : int
    source, note : str
    """

    query: str
    code: str
    name: str
    basis: str
    default_used: bool
    grid_connection_years: float
    grid_low: float
    grid_high: float
    construction_years: float
    construction_low: float
    construction_high: float
    year: int
    source: str
    note: str

    def total_years(self, parallel: bool = True) -> float:
        """Years to full power [year]: ``max(grid, construction)`` when the building goes
        up while the connection is awaited (``parallel``, the default), else their sum."""
        g, c = self.grid_connection_years, self.construction_years
        return float(max(g, c) if parallel else g + c)


@functools.lru_cache(maxsize=1)
def _ttp_table() -> dict[str, dict]:
    text = resources.files("orbitcompute").joinpath("data", _TTP_FILE).read_text(encoding="utf-8")
    out = {}
    nums = ("grid_connection_years", "grid_low", "grid_high", "construction_years", "construction_low",
            "construction_high")
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            rec = {k: float(row[k]) for k in nums}
            rec["year"] = int(row["year"])
        except (KeyError, ValueError, TypeError) as exc:
            raise ParseError(_TTP_FILE, line, f"bad row {row!r}: {exc}") from exc
        for v, lo, hi in (("grid_connection_years", "grid_low", "grid_high"),
                          ("construction_years", "construction_low", "construction_high")):
            if not (0 <= rec[lo] <= rec[v] <= rec[hi]):
                raise ParseError(_TTP_FILE, line, f"{row['code']}: {v} {rec[v]} outside {rec[lo]}..{rec[hi]}")
        rec.update(code=row["code"].strip(), name=row["name"].strip(), source=row["source"].strip(),
                   note=(row.get("note") or "").strip())
        out[rec["code"]] = rec
    if "DEFAULT" not in out:  # pragma: no cover - the shipped file has one
        raise ParseError(_TTP_FILE, None, "no DEFAULT row")
    return out


def time_to_power(country_code: str, subdivision: str | None = None) -> TimeToPower:
    """Grid connection and construction lead times for a new large data centre.

    Looked up in ``data/time_to_power.csv`` by ISO 3166-2 subdivision (``"US-VA"``) if
    given and listed, else ISO 3166-1 alpha-2 country, else the country's UN M49 region
    (``M49:Europe``), else the documented ``DEFAULT`` row (``default_used`` is then True).

    Parameters
    ----------
    country_code : str
        ISO 3166-1 alpha-2, e.g. ``"IE"``.
    subdivision : str, optional
        ISO 3166-2, e.g. ``"US-VA"``.

    Returns
    -------
    TimeToPower

    Examples
    --------
    >>> t = time_to_power("IE")
    >>> t.code, t.grid_connection_years, t.construction_years, t.total_years(), t.total_years(parallel=False)
    ('IE', 8.0, 2.0, 8.0, 10.0)
    >>> time_to_power("FI").code, time_to_power("US", "US-VA").code
    ('M49:Europe', 'US-VA')
    """
    if not isinstance(country_code, str) or not country_code.strip():
        raise InputError(f"country_code = {country_code!r}: give an ISO 3166-1 alpha-2 code such as 'IE'")
    cc = country_code.strip().upper()
    table = _ttp_table()
    sub = subdivision.strip().upper() if isinstance(subdivision, str) and subdivision.strip() else None
    if sub and sub in table:
        rec, basis = table[sub], "subdivision"
    elif cc in table and cc != "DEFAULT":
        rec, basis = table[cc], "country"
    else:
        region = country_table().get(cc, {}).get("region", "")
        if region and f"M49:{region}" in table:
            rec, basis = table[f"M49:{region}"], "region"
        else:
            rec, basis = table["DEFAULT"], "default"
    return TimeToPower(query=sub or cc, code=rec["code"], name=rec["name"], basis=basis,
                       default_used=basis == "default",
                       grid_connection_years=rec["grid_connection_years"], grid_low=rec["grid_low"],
                       grid_high=rec["grid_high"], construction_years=rec["construction_years"],
                       construction_low=rec["construction_low"], construction_high=rec["construction_high"],
                       year=rec["year"], source=rec["source"], note=rec["note"])


@functools.lru_cache(maxsize=1)
def _assumptions() -> dict[str, Assumption]:
    return read_assumptions(_ASSUMPTIONS_FILE)


def timeline_assumptions() -> dict[str, Assumption]:
    """The shipped timeline assumptions (``data/assumptions_timeline.csv``): name ->
    :class:`~orbitcompute.provenance.Assumption` with source, year and range.

    Examples
    --------
    >>> a = timeline_assumptions()
    >>> a["orbital_lead_time"].describe()
    'orbital_lead_time = 3 year (range 2-6)'
    """
    return dict(_assumptions())


# ============================================================================ value of time
def delay_cost_si(t_option_years, t_earliest_years, value_usd_per_h, hours_per_year, delivered_hours,
                  rate_per_year, decline_per_year=0.0, delay_usd_per_year=0.0) -> np.ndarray:
    """Cost of delay per delivered accelerator-hour [USD/h] (pure kernel; broadcasts).

    The accelerator-hours the workload does not get while an option waits, from the
    earliest option's full-power date ``t_earliest`` to its own ``t_option`` (years after
    the decision), valued at ``value(t) = value_usd_per_h * (1 - decline)^t`` and
    discounted at ``rate``, plus ``delay_usd_per_year`` over the same interval, divided by
    the present value at the decision date of the hours the option delivers::

        D = h v0 int_{t_e}^{t_o} ((1 - d) / (1 + r))^t dt + c_d int_{t_e}^{t_o} (1 + r)^-t dt
        cost of delay per hour = D / (H (1 + r)^-t_o)

    Parameters
    ----------
    t_option_years, t_earliest_years : array_like
        Years to full power of the option and of the earliest option [year].
    value_usd_per_h : array_like
        Value of an accelerator-hour at the decision date [USD/h].
    hours_per_year : array_like
        Accelerator-hours a year the workload needs [h/year].
    delivered_hours : array_like
        Present value, at the option's own start of operations, of the hours it delivers
        over the horizon (``total_usd / cost_per_accelerator_hour`` of the model) [h].
    rate_per_year : array_like
        Discount rate [1/year].
    decline_per_year : array_like
        Fractional decline of the value per year, in [0, 1) [1/year].
    delay_usd_per_year : array_like
        Any other cost per year of delay [USD/year].

    Examples
    --------
    >>> round(float(delay_cost_si(3.0, 1.0, 2.0, 1000.0, 5000.0, 0.0)), 9)   # 2 h/h-year x 2 y x 1000 / 5000
    0.8
    """
    to, te = np.asarray(t_option_years, float), np.asarray(t_earliest_years, float)
    v, h, big_h = np.asarray(value_usd_per_h, float), np.asarray(hours_per_year, float), np.asarray(
        delivered_hours, float)
    r, d, cd = np.asarray(rate_per_year, float), np.asarray(decline_per_year, float), np.asarray(
        delay_usd_per_year, float)
    lr = np.log1p(r)
    k = np.log1p(-d) - lr
    span = to - te

    def integral(rate):  # int_te^to exp(rate t) dt, exact also for rate -> 0
        small = np.abs(rate * span) < 1e-12
        safe = np.where(small, 1.0, rate)
        return np.exp(rate * te) * np.where(small, span, np.expm1(rate * span) / safe)

    total = v * h * integral(k) + cd * integral(-lr)
    with np.errstate(divide="ignore", invalid="ignore"):  # an option that delivers nothing: infinite
        return total / (big_h * np.exp(-lr * to))


def _per_region(ev: Mapping[str, np.ndarray], key: str, region: str) -> np.ndarray:
    """``<key>:<region>`` when the model gives it per region (e.g. the orbital cost per
    accelerator-hour once link capacity is per region), else the region-independent
    ``<key>``."""
    return np.asarray(ev.get(f"{key}:{region}", ev[key]), dtype=np.float64)


def _start_year(model) -> float:
    start = model.scenario.scenario.get("start")
    year = getattr(start, "year", None)
    if year is None:
        try:
            year = int(str(start)[:4])
        except ValueError:
            raise InputError(f"{model.scenario.source}: [scenario.start] = {start!r} has no year; give an ISO "
                             "date such as '2026-01-01T00:00:00Z' or pass start_year") from None
    return float(year)


def _with_scenario(model, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Timeline values the scenario's ``[assumptions]`` set, under the explicit overrides."""
    scen = getattr(getattr(model, "scenario", None), "assumptions", {}) or {}
    out = {name: scen[name].value for name, a in _assumptions().items()
           if name in scen and scen[name].source != a.source}
    out.update(overrides)
    return out


def _params(overrides: Mapping[str, Any]) -> dict[str, float]:
    """Timeline assumptions as floats in their CSV units (a Quantity override is converted)."""
    out = {}
    for name, a in _assumptions().items():
        v = overrides.get(name)
        unit = a.unit or "dimensionless"
        out[name] = float(a.value.m_as(unit)) if v is None else float(magnitude(v, unit, name))
    for name in ("orbital_lead_time", "accelerator_hour_value", "delay_cost"):
        if not (math.isfinite(out[name]) and out[name] >= 0):
            raise InputError(f"{name} = {out[name]!r} {_assumptions()[name].unit}: must be >= 0")
    for name in ("satellite_production_rate", "launch_cadence"):
        if not (math.isfinite(out[name]) and out[name] > 0):
            raise InputError(f"{name} = {out[name]!r} {_assumptions()[name].unit}: must be > 0 (a rate of zero "
                             "never delivers); give a positive rate")
    if not 0.0 <= out["accelerator_hour_value_decline"] < 1.0:
        raise InputError(f"accelerator_hour_value_decline = {out['accelerator_hour_value_decline']!r}: must be in "
                         "[0, 1) per year")
    return out


def _model_value(model, values: Mapping[str, Any], name: str, unit: str) -> np.ndarray:
    if name in values:
        own = model.assumptions()[name].unit or "dimensionless"
        return np.asarray(values[name], float) * float(quantity(1.0, own).m_as(unit))
    return np.asarray(model.assumptions()[name].value.m_as(unit), float)


def _site_times(model) -> list[TimeToPower]:
    sites = model.geometry.sites
    subs = getattr(sites, "subdivisions", None)
    out = []
    for j in model.chosen_sites():
        j = int(j)
        out.append(time_to_power(sites.country_codes[j], subs[j] if subs else None))
    return out


def _arrays(model, ev: Mapping[str, np.ndarray], values: Mapping[str, Any], p: dict, n_sat: int,
            decision_years: np.ndarray, parallel: bool) -> dict:
    """Everything of :func:`timeline` as arrays over ``decision_years`` (shape ``(n,)``)."""
    n = decision_years.shape[0]
    b = lambda x: np.broadcast_to(np.asarray(x, float), (n,))  # noqa: E731
    mass = b(ev["orbital:launch_mass_kg"])
    payload = b(_model_value(model, values, "payload_per_launch", "kg"))
    launches = np.ceil(mass / payload)
    production_years = mass / p["satellite_production_rate"]
    launch_years = launches / p["launch_cadence"]
    t_orb = p["orbital_lead_time"] + np.maximum(production_years, launch_years)
    util = b(_model_value(model, values, "utilization", ""))
    rate = b(_model_value(model, values, "discount_rate", "1/year"))
    hours_per_year = b(ev["orbital:accelerators"]) * HOURS_PER_YEAR * util
    a = _assumptions()["accelerator_hour_value"]
    value0 = p["accelerator_hour_value"] * (1.0 - p["accelerator_hour_value_decline"]) ** (
        decision_years - float(a.year))
    ttp = _site_times(model)
    regions = {}
    for k, reg in enumerate(model.geometry.regions):
        name = reg.name
        c_orb = b(_per_region(ev, "orbital:cost_per_accelerator_hour", name))
        c_ter = b(ev[f"terrestrial:cost_per_accelerator_hour:{name}"])
        h_orb = b(_per_region(ev, "orbital:total_usd", name)) / c_orb
        h_ter = b(ev[f"terrestrial:total_usd:{name}"]) / c_ter
        t_ter = np.full(n, ttp[k].total_years(parallel))
        t_min = np.minimum(t_orb, t_ter)
        dec, extra = p["accelerator_hour_value_decline"], p["delay_cost"]
        # the cost of delay is linear in the value per hour: alpha * v + beta
        alpha_o = delay_cost_si(t_orb, t_min, 1.0, hours_per_year, h_orb, rate, dec)
        alpha_t = delay_cost_si(t_ter, t_min, 1.0, hours_per_year, h_ter, rate, dec)
        beta_o = delay_cost_si(t_orb, t_min, 0.0, hours_per_year, h_orb, rate, dec, extra)
        beta_t = delay_cost_si(t_ter, t_min, 0.0, hours_per_year, h_ter, rate, dec, extra)
        with np.errstate(divide="ignore", invalid="ignore"):
            v_star = np.where(alpha_o != alpha_t, (c_ter + beta_t - c_orb - beta_o) / (alpha_o - alpha_t), np.nan)
        regions[name] = {
            "t_ter": t_ter, "t_orb": t_orb, "c_orb": c_orb, "c_ter": c_ter,
            "c_orb_delay": c_orb + alpha_o * value0 + beta_o, "c_ter_delay": c_ter + alpha_t * value0 + beta_t,
            "value_break_even": v_star, "ttp": ttp[k],
        }
    return {"regions": regions, "t_orb": t_orb, "mass": mass, "launches": launches,
            "production_years": production_years, "launch_years": launch_years, "value0": value0,
            "hours_per_year": hours_per_year, "n_sat": n_sat}


# ============================================================================ timeline
@dataclass(frozen=True, eq=False)
class TimelineResult(TableMixin):
    """Years to full power and the cost including delay, per region (:func:`timeline`).

    Attributes
    ----------
    regions : tuple of str
    decision_year : float
        Calendar year of the decision (t = 0) [year].
    parallel : bool
        Terrestrial: construction during the grid wait (max) or after it (sum).
    orbital : dict
        ``lead_time_years``, ``production_years``, ``launch_years``, ``years_to_full_power``,
        ``launch_mass_kg``, ``launches``, ``satellites``.
    table : dict
        Column -> list, one entry per region (see :attr:`COLUMNS`).
    assumptions : dict
        The timeline assumptions used (name -> Assumption, overrides applied).
    """

    regions: tuple
    decision_year: float
    parallel: bool
    orbital: dict
    table: dict
    assumptions: dict = field(repr=False)

    COLUMNS = ("region", "verdict", "terrestrial_site", "country", "time_to_power_row", "time_to_power_default",
               "grid_connection_years", "construction_years", "terrestrial_years", "orbital_years",
               "orbit_earlier_years", "orbital_usd_per_accelerator_hour", "terrestrial_usd_per_accelerator_hour",
               "orbital_usd_per_accelerator_hour_with_delay", "terrestrial_usd_per_accelerator_hour_with_delay",
               "cheaper", "cheaper_with_delay", "value_break_even_usd_per_h")

    def columns(self) -> dict:
        """One row per region (see :attr:`COLUMNS`)."""
        return {c: list(self.table[c]) for c in self.COLUMNS}

    def to_dict(self) -> dict:
        return {"decision_year": self.decision_year, "parallel": self.parallel, "orbital": self.orbital,
                "regions": list(self.rows()),
                "assumptions": {k: {"value": float(a.value.m), "unit": a.unit, "low": _m(a.low), "high": _m(a.high),
                                    "source": a.source, "year": a.year} for k, a in self.assumptions.items()}}

    def to_json(self, path=None, *, overwrite: bool = False) -> str | None:
        """JSON text (returned if ``path`` is None; refuses to replace a file unless ``overwrite``)."""
        return write_json(self.to_dict(), path, overwrite)


def _m(q):
    return None if q is None else float(q.m)


def _used_assumptions(overrides: Mapping[str, Any]) -> dict[str, Assumption]:
    out = {}
    for name, a in _assumptions().items():
        v = overrides.get(name)
        out[name] = a if v is None else a.with_value(float(magnitude(v, a.unit or "dimensionless", name)))
    return out


_OVERRIDES = ("orbital_lead_time", "satellite_production_rate", "launch_cadence", "accelerator_hour_value",
              "accelerator_hour_value_decline", "delay_cost")


def timeline(model, *, orbital_lead_time=None, satellite_production_rate=None, launch_cadence=None,
             accelerator_hour_value=None, accelerator_hour_value_decline=None, delay_cost=None,
             parallel: bool = True, decision_year: float | None = None, result=None) -> TimelineResult:
    """Years to full power, orbit vs ground, and the levelized cost including delay, per region.

    Parameters
    ----------
    model : FeasibilityModel
    orbital_lead_time : Quantity, optional
        Design to first launch [time] (default: ``data/assumptions_timeline.csv``).
    satellite_production_rate : Quantity, optional
        Launch mass manufactured per year [mass/time].
    launch_cadence : Quantity, optional
        Launches per year available to the project [1/time].
    accelerator_hour_value : Quantity, optional
        Market value of an accelerator-hour in the assumption's year [USD/h].
    accelerator_hour_value_decline : Quantity, optional
        Its fractional decline per year [1/time].
    delay_cost : Quantity, optional
        Any other cost per year of delay for the whole workload [USD/time].
    parallel : bool
        Terrestrial time to power = ``max(grid, construction)`` (True: the building goes up
        while the connection is awaited) or their sum (False).
    decision_year : float, optional
        Calendar year of t = 0 (default: the scenario's start year).
    result : FeasibilityResult, optional
        ``model.run()`` if already computed (for the satellite count and verdicts).

    Returns
    -------
    TimelineResult
        Per region: years to full power of each option, how much earlier orbit delivers
        (negative: later), cost per accelerator-hour without and with delay, the cheaper
        option each way and the accelerator-hour value at which they tie.

    Notes
    -----
    Orbital: ``T_orb = lead + max(M / production_rate, ceil(M / payload) / cadence)``
    with ``M`` the launch mass of the constellation (the first generation; replacements
    are not on the critical path).  Terrestrial: ``T_ter = max(grid, construction)`` (or
    the sum) at the country of the region's chosen cloud site (:func:`time_to_power`).
    The cost including delay is ``c + cost of delay`` (:func:`delay_cost_si`), with the
    value of an accelerator-hour at the decision year
    ``v0 (1 - decline)^(decision_year - year of v0)``.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> m = oc.feasibility.shared_model(oc.Scenario.default(), quick=True)
    >>> t = oc.timeline.timeline(m)
    >>> t.table["region"][2], round(t.table["orbital_years"][2], 2), t.table["terrestrial_years"][2]
    ('Europe', 6.55, 4.0)
    """
    local = {"orbital_lead_time": orbital_lead_time, "satellite_production_rate": satellite_production_rate,
             "launch_cadence": launch_cadence, "accelerator_hour_value": accelerator_hour_value,
             "accelerator_hour_value_decline": accelerator_hour_value_decline, "delay_cost": delay_cost}
    overrides = _with_scenario(model, {k: v for k, v in local.items() if v is not None})
    p = _params(overrides)
    res = result if result is not None else model.run()
    year0 = float(decision_year) if decision_year is not None else _start_year(model)
    ev = model.evaluate({})
    arr = _arrays(model, ev, {}, p, int(res.design["satellites"]), np.array([year0]), parallel)
    sites = model.geometry.sites
    chosen = model.chosen_sites()
    verdict = {r.region: r.verdict for r in res.regions}
    t = {c: [] for c in TimelineResult.COLUMNS}
    names = tuple(reg.name for reg in model.geometry.regions)
    for k, name in enumerate(names):
        j = int(chosen[k])
        r = arr["regions"][name]
        ttp = r["ttp"]
        c_o, c_t, d_o, d_t = (float(r[x][0]) for x in ("c_orb", "c_ter", "c_orb_delay", "c_ter_delay"))
        for col, val in (("region", name), ("verdict", verdict.get(name)),
                         ("terrestrial_site", f"{sites.providers[j]}:{sites.codes[j]}"),
                         ("country", sites.country_codes[j]), ("time_to_power_row", ttp.code),
                         ("time_to_power_default", ttp.default_used),
                         ("grid_connection_years", ttp.grid_connection_years),
                         ("construction_years", ttp.construction_years),
                         ("terrestrial_years", float(r["t_ter"][0])), ("orbital_years", float(r["t_orb"][0])),
                         ("orbit_earlier_years", float(r["t_ter"][0] - r["t_orb"][0])),
                         ("orbital_usd_per_accelerator_hour", c_o), ("terrestrial_usd_per_accelerator_hour", c_t),
                         ("orbital_usd_per_accelerator_hour_with_delay", d_o),
                         ("terrestrial_usd_per_accelerator_hour_with_delay", d_t),
                         ("cheaper", "orbital" if c_o < c_t else "terrestrial"),
                         ("cheaper_with_delay", "orbital" if d_o < d_t else "terrestrial"),
                         ("value_break_even_usd_per_h", float(r["value_break_even"][0]))):
            t[col].append(val)
    orbital = {"lead_time_years": p["orbital_lead_time"], "production_years": float(arr["production_years"][0]),
               "launch_years": float(arr["launch_years"][0]), "years_to_full_power": float(arr["t_orb"][0]),
               "launch_mass_kg": float(arr["mass"][0]), "launches": float(arr["launches"][0]),
               "satellites": arr["n_sat"], "accelerator_hour_value_usd_per_h": float(arr["value0"][0]),
               "accelerator_hours_per_year": float(arr["hours_per_year"][0])}
    return TimelineResult(regions=names, decision_year=year0, parallel=parallel, orbital=orbital, table=t,
                          assumptions=_used_assumptions(overrides))


# ============================================================================ crossover
@dataclass(frozen=True, eq=False)
class CrossoverResult(TableMixin):
    """Cost curves over calendar years and the crossover year per region (:func:`crossover`).

    Attributes
    ----------
    years : ndarray, shape (n_year,)
        Calendar years of the grid [year].
    step : float
        Grid step [year].
    regions : tuple of str, length n_region
    orbital_cost, terrestrial_cost : ndarray, shape (n_year, n_region)
        Cost per accelerator-hour [USD/h] (with delay if ``include_delay``).
    include_delay : bool
    crossover_year : dict
        Region -> first grid year in which the orbital cost is below the terrestrial one,
        or None ("none before :attr:`horizon`").
    crossover_interpolated : dict
        Region -> the year where the cost ratio crosses 1, linearly interpolated between
        the two grid years around it (the first grid year if orbit is already cheaper
        there), or None.
    curves : dict
        Assumption name -> :class:`LearningCurve`.
    """

    years: np.ndarray
    step: float
    regions: tuple
    orbital_cost: np.ndarray
    terrestrial_cost: np.ndarray
    include_delay: bool
    crossover_year: dict
    crossover_interpolated: dict
    curves: dict = field(repr=False)

    COLUMNS = ("year", "region", "orbital_usd_per_accelerator_hour", "terrestrial_usd_per_accelerator_hour",
               "ratio", "orbital_cheaper")

    @property
    def horizon(self) -> float:
        """The last year of the grid [year]."""
        return float(self.years[-1])

    @property
    def ratio(self) -> np.ndarray:
        """Orbital / terrestrial cost, shape (n_year, n_region) [-]."""
        return self.orbital_cost / self.terrestrial_cost

    def label(self, region: str) -> str:
        """``"2031"`` or ``"none before 2046"``."""
        y = self.crossover_year[region]
        return f"none before {self.horizon:g}" if y is None else f"{y:g}"

    def columns(self) -> dict:
        """Long table: one row per (year, region)."""
        ny, nr = self.orbital_cost.shape
        ratio = self.ratio
        return {"year": [float(self.years[i]) for i in range(ny) for _ in range(nr)],
                "region": [self.regions[k] for _ in range(ny) for k in range(nr)],
                "orbital_usd_per_accelerator_hour": self.orbital_cost.ravel().tolist(),
                "terrestrial_usd_per_accelerator_hour": self.terrestrial_cost.ravel().tolist(),
                "ratio": ratio.ravel().tolist(), "orbital_cheaper": (ratio < 1.0).ravel().tolist()}

    def summary(self) -> list[dict]:
        """One dict per region: crossover year, interpolated year and its label."""
        return [{"region": r, "crossover_year": self.crossover_year[r],
                 "crossover_interpolated": self.crossover_interpolated[r], "label": self.label(r)}
                for r in self.regions]

    def to_dict(self) -> dict:
        return {"include_delay": self.include_delay, "step": self.step, "horizon": self.horizon,
                "curves": {k: c.to_dict() for k, c in self.curves.items()}, "crossover": self.summary(),
                "years": self.years.tolist(), "regions": list(self.regions),
                "orbital_usd_per_accelerator_hour": self.orbital_cost.tolist(),
                "terrestrial_usd_per_accelerator_hour": self.terrestrial_cost.tolist()}

    def to_json(self, path=None, *, overwrite: bool = False) -> str | None:
        """JSON text (returned if ``path`` is None; refuses to replace a file unless ``overwrite``)."""
        return write_json(self.to_dict(), path, overwrite)


def _grid(years, step: float, start: float) -> np.ndarray:
    try:
        step = float(step)
    except (TypeError, ValueError):
        raise InputError(f"step = {step!r}: give a positive number of years, e.g. step=1") from None
    if not (math.isfinite(step) and step > 0):
        raise InputError(f"step = {step!r} year: must be a positive number of years, e.g. step=1 or 0.25")
    if years is None:
        first, last = start, start + 20.0
    else:
        ys = [float(y) for y in years]
        if not ys or not all(math.isfinite(y) for y in ys):
            raise InputError(f"years = {years!r}: give the span as calendar years, e.g. range(2026, 2047)")
        first, last = min(ys), max(ys)
    n = int(math.floor((last - first) / step + 1e-9)) + 1
    return first + step * np.arange(n, dtype=np.float64)


def crossover(model, curves: Mapping[str, LearningCurve], *, years=None, step: float = 1.0,
              include_delay: bool = False, parallel: bool = True, result=None, **timeline_assumptions_) -> \
        CrossoverResult:
    """The first year in which orbit is cheaper than ground, per region, as learning
    curves move the assumptions.

    Parameters
    ----------
    model : FeasibilityModel
    curves : dict of str to LearningCurve
        Assumption name (one of ``model.assumptions()``) -> its value per year; the
        curve's unit must convert to the assumption's.  Every other assumption is held
        at the scenario's value.
    years : iterable of float, optional
        The span (its first and last elements) [year]; default the scenario's start year
        and 20 years after it.
    step : float
        Grid step [year].
    include_delay : bool
        Compare costs including the cost of delay (:func:`timeline`), the decision being
        taken in each grid year.
    parallel : bool
        As :func:`timeline`.
    result : FeasibilityResult, optional
        ``model.run()`` if already computed (only read with ``include_delay``).
    **timeline_assumptions_
        Overrides of the timeline assumptions (as :func:`timeline`), for ``include_delay``.

    Returns
    -------
    CrossoverResult

    Notes
    -----
    The model is evaluated once, vectorized over the grid years (each year one "draw"
    of :meth:`~orbitcompute.feasibility.FeasibilityModel.evaluate`).  Each year's costs
    are those of a build that starts that year with that year's values, held over the
    model's horizon (costs do not keep falling during a build's life).

    Examples
    --------
    >>> import orbitcompute as oc
    >>> m = oc.feasibility.shared_model(oc.Scenario.default(), quick=True)
    >>> res = oc.crossover(m, {"launch_price": oc.timeline.LAUNCH_PRICE_PATH})
    >>> res.label("Europe")
    'none before 2046'
    """
    unknown = [k for k in timeline_assumptions_ if k not in _OVERRIDES]
    if unknown:
        raise InputError(f"crossover: unknown option(s) {unknown}; timeline assumptions are {list(_OVERRIDES)}")
    start = _start_year(model)
    grid = _grid(years, step, start)
    names = model.assumptions()
    if not isinstance(curves, Mapping):
        raise InputError(f"curves = {curves!r}: give a dict of assumption name -> LearningCurve, e.g. "
                         "{'launch_price': LAUNCH_PRICE_PATH}")
    values = {}
    for name, curve in curves.items():
        if name not in names:
            raise InputError(f"curves: {name!r} is not an assumption the model evaluates; use one of "
                             f"{sorted(names)}")
        if not isinstance(curve, LearningCurve):
            raise InputError(f"curves[{name!r}] = {curve!r} is not a LearningCurve; build one with "
                             "LearningCurve.wright(...) or LearningCurve.path(...)")
        own = names[name].unit or "dimensionless"
        try:
            values[name] = curve.magnitude(grid, own)
        except Exception as exc:  # pint's DimensionalityError: say which curve
            raise InputError(f"curves[{name!r}]: unit {curve.unit!r} does not convert to the assumption's unit "
                             f"{own!r}; give the curve in {own}") from exc
    ev = model.evaluate(values)
    n = grid.shape[0]
    regs = tuple(reg.name for reg in model.geometry.regions)
    if include_delay:
        overrides = _with_scenario(model, {k: v for k, v in timeline_assumptions_.items() if v is not None})
        p = _params(overrides)
        res = result if result is not None else model.run()
        arr = _arrays(model, ev, values, p, int(res.design["satellites"]), grid, parallel)
        orb = np.stack([arr["regions"][r]["c_orb_delay"] for r in regs], axis=1)
        ter = np.stack([arr["regions"][r]["c_ter_delay"] for r in regs], axis=1)
    else:
        b = lambda x: np.broadcast_to(np.asarray(x, float), (n,))  # noqa: E731
        orb = np.stack([b(_per_region(ev, "orbital:cost_per_accelerator_hour", r)) for r in regs], axis=1)
        ter = np.stack([b(ev[f"terrestrial:cost_per_accelerator_hour:{r}"]) for r in regs], axis=1)
    ratio = orb / ter
    first, interp = {}, {}
    for k, r in enumerate(regs):
        below = np.flatnonzero(ratio[:, k] < 1.0)
        if below.size == 0:
            first[r], interp[r] = None, None
            continue
        i = int(below[0])
        first[r] = float(grid[i])
        if i == 0:
            interp[r] = float(grid[0])
        else:
            f0, f1 = ratio[i - 1, k] - 1.0, ratio[i, k] - 1.0
            interp[r] = float(grid[i - 1] + (grid[i] - grid[i - 1]) * f0 / (f0 - f1))
    return CrossoverResult(years=grid, step=float(step), regions=regs, orbital_cost=orb, terrestrial_cost=ter,
                           include_delay=include_delay, crossover_year=first, crossover_interpolated=interp,
                           curves=dict(curves))
