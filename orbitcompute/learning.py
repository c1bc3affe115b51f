"""Learning curves: an assumption's value per calendar year, by Wright's law or a dated
path, and the default curves of the crossover analysis (:func:`orbitcompute.timeline.crossover`).

Method, sources and limits: ``docs/timeline.md``.

Examples
--------
>>> import orbitcompute as oc
>>> from orbitcompute.learning import LearningCurve
>>> c = LearningCurve.wright(800 * oc.u("USD/kg"), 0.2, doubling_time=2 * oc.u.year, start_year=2025)
>>> round(float(c.magnitude(2029).item()), 6)        # two doublings: 800 x 0.8^2
512.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from .errors import InputError
from .units import magnitude, quantity

__all__ = ["ACCELERATOR_COST_CURVE", "LAUNCH_PRICE_PATH", "SPACECRAFT_COST_CURVE", "LearningCurve", "default_curves",
           "parse_path"]


@dataclass(frozen=True)
class LearningCurve:
    """An assumption's value as a function of the calendar year.

    Build one with :meth:`wright` or :meth:`path`; evaluate it with :meth:`magnitude`
    (plain floats in a unit) or :meth:`at` (a quantity).

    Attributes
    ----------
    kind : str
        ``"wright"`` or ``"path"``.
    unit : str
        Unit of the values (pint syntax, e.g. ``"USD/kg"``).
    years, values : tuple of float
        The dated points of a path [year], [unit].
    initial, learning_rate, doubling_time, start_year : float
        Wright's law: cost ``initial`` [unit] at ``start_year`` [year]; each doubling of
        cumulative production multiplies it by ``1 - learning_rate``; cumulative
        production doubles every ``doubling_time`` [year].
    source : str
        Where the curve comes from.
    """

    kind: str
    unit: str
    years: tuple = ()
    values: tuple = ()
    initial: float = math.nan
    learning_rate: float = math.nan
    doubling_time: float = math.nan
    start_year: float = math.nan
    source: str = ""

    def __post_init__(self):
        if self.kind == "wright":
            lr = self.learning_rate
            if not (isinstance(lr, (int, float)) and 0.0 < lr <= 1.0):
                raise InputError(
                    f"LearningCurve.wright: learning_rate = {lr!r} is outside (0, 1]; it is the fractional cost "
                    "reduction per doubling of cumulative production (0.2: each doubling costs 20 % less); pass a "
                    "number such as learning_rate=0.2")
            if not (math.isfinite(self.doubling_time) and self.doubling_time > 0):
                raise InputError(f"LearningCurve.wright: doubling_time = {self.doubling_time!r} year is not a "
                                 "positive finite number of years; pass e.g. doubling_time=2 * u.year or "
                                 "cumulative_growth_per_year=0.4")
            if not (math.isfinite(self.initial) and self.initial > 0):
                raise InputError(f"LearningCurve.wright: initial = {self.initial!r} {self.unit} must be a positive "
                                 "finite cost; pass e.g. initial=800 * u('USD/kg')")
            if not math.isfinite(self.start_year):
                raise InputError(f"LearningCurve.wright: start_year = {self.start_year!r} is not a finite year; "
                                 "pass e.g. start_year=2025")
        elif self.kind == "path":
            y, v = self.years, self.values
            if len(y) == 0:
                raise InputError("LearningCurve.path: years is empty: a path needs at least one (year, value) "
                                 "point, e.g. path([2026, 2035], [1500, 200] * u('USD/kg'))")
            if len(y) != len(v):
                raise InputError(f"LearningCurve.path: {len(y)} years but {len(v)} values; give one value per "
                                 "year")
            if not all(math.isfinite(t) for t in y):
                raise InputError(f"LearningCurve.path: years = {list(y)} contains a non-finite year; give "
                                 "calendar years such as 2030")
            for k in range(1, len(y)):
                if not y[k] > y[k - 1]:
                    raise InputError(
                        f"LearningCurve.path: years must be strictly increasing, but years[{k}] = {y[k]:g} "
                        f"follows years[{k - 1}] = {y[k - 1]:g}; list the points in increasing year order "
                        "(e.g. sort the (year, value) pairs) and give each year once")
            bad = [(t, x) for t, x in zip(y, v) if not (math.isfinite(x) and x > 0)]
            if bad:
                raise InputError(f"LearningCurve.path: value {bad[0][1]!r} {self.unit} at year {bad[0][0]:g} is "
                                 "not a positive finite number; log-linear interpolation needs values > 0")
        else:
            raise InputError(f"LearningCurve: kind = {self.kind!r} is not known; build curves with "
                             "LearningCurve.wright(...) or LearningCurve.path(...)")

    # ------------------------------------------------------------------ constructors
    @classmethod
    def wright(cls, initial, learning_rate: float, *, doubling_time=None, cumulative_growth_per_year=None,
               start_year: float, source: str = "") -> "LearningCurve":
        """Wright's law: each doubling of cumulative production multiplies the cost by
        ``1 - learning_rate``.

        Parameters
        ----------
        initial : Quantity
            Cost at ``start_year`` (any unit; the curve keeps it) [unit].
        learning_rate : float
            Fractional cost reduction per doubling of cumulative production, in (0, 1] [-].
        doubling_time : Quantity, optional
            Time for cumulative production to double [time].
        cumulative_growth_per_year : float, optional
            Instead of ``doubling_time``: cumulative production grows by this fraction a
            year [1/year]; ``doubling_time = ln 2 / ln(1 + growth)``.
        start_year : float
            Calendar year of ``initial`` [year]; before it the curve is flat.
        source : str

        Notes
        -----
        With ``n(t) = max(0, (t - start_year) / doubling_time)`` doublings,
        ``cost(t) = initial * (1 - learning_rate) ** n(t)`` (Wright 1936, "Factors affecting
        the cost of airplanes", J. Aeronautical Sciences 3(4), doi:10.2514/8.155).  An
        exponential decline in time (e.g. price-performance halving every 2.5 years) is
        the special case ``learning_rate = 0.5``, ``doubling_time = 2.5 year``.

        Examples
        --------
        >>> import orbitcompute as oc
        >>> c = LearningCurve.wright(100 * oc.u.USD, 0.5, cumulative_growth_per_year=1.0, start_year=2024)
        >>> c.magnitude([2023, 2024, 2026]).tolist()
        [100.0, 100.0, 25.0]
        """
        if not hasattr(initial, "units"):
            raise InputError(f"LearningCurve.wright: initial = {initial!r} has no unit; pass a quantity such as "
                             "800 * u('USD/kg')")
        unit = f"{initial.units:~}" if str(initial.units) != "dimensionless" else ""
        init = float(np.asarray(initial.m, dtype=np.float64))
        if (doubling_time is None) == (cumulative_growth_per_year is None):
            raise InputError("LearningCurve.wright: give exactly one of doubling_time (e.g. 2 * u.year) and "
                             f"cumulative_growth_per_year (e.g. 0.4); got doubling_time={doubling_time!r}, "
                             f"cumulative_growth_per_year={cumulative_growth_per_year!r}")
        if doubling_time is not None:
            td = float(magnitude(doubling_time, "year", "doubling_time"))
        else:
            g = float(cumulative_growth_per_year)
            if not (math.isfinite(g) and g > 0):
                raise InputError(f"LearningCurve.wright: cumulative_growth_per_year = {g!r} must be a positive "
                                 "fraction per year (0.4: cumulative production grows 40 % a year)")
            td = math.log(2.0) / math.log1p(g)
        return cls("wright", unit, initial=init, learning_rate=learning_rate, doubling_time=td,
                   start_year=float(start_year), source=source)

    @classmethod
    def path(cls, years: Iterable[float], values, *, unit: str | None = None, source: str = "") -> "LearningCurve":
        """A dated path: log-linear interpolation between the points, flat beyond them.

        Parameters
        ----------
        years : sequence of float
            Calendar years, strictly increasing [year], length ``n >= 1``.
        values : Quantity or sequence of float
            Values at those years [unit], length ``n``, all > 0; bare numbers need ``unit``.
        unit : str, optional
            Unit of bare ``values`` (or the unit to convert a quantity to).
        source : str

        Examples
        --------
        >>> import orbitcompute as oc
        >>> p = LearningCurve.path([2024, 2030, 2035], [2700, 600, 200], unit="USD/kg")
        >>> p.magnitude([2020, 2030, 2040]).tolist()
        [2700.0, 600.0, 200.0]
        """
        ys = tuple(float(t) for t in years)
        if hasattr(values, "units"):
            unit = unit if unit is not None else (f"{values.units:~}" if str(values.units) != "dimensionless"
                                                  else "")
            vs = np.atleast_1d(magnitude(values, unit or "dimensionless", "values"))
        else:
            if unit is None:
                raise InputError(f"LearningCurve.path: values = {values!r} have no unit; pass a quantity "
                                 "([1500, 200] * u('USD/kg')) or unit='USD/kg'")
            vs = np.atleast_1d(np.asarray(values, dtype=np.float64))
        return cls("path", unit, years=ys, values=tuple(float(x) for x in vs), source=source)

    # ------------------------------------------------------------------ evaluation
    def magnitude(self, years, unit: str | None = None) -> np.ndarray:
        """Values at calendar ``years`` [year] (shape of ``years``) as floats in ``unit``
        (default the curve's own) [unit]."""
        t = np.asarray(years, dtype=np.float64)
        if self.kind == "wright":
            n = np.maximum(0.0, (t - self.start_year) / self.doubling_time)
            out = self.initial * (1.0 - self.learning_rate) ** n
        else:
            y = np.asarray(self.years)
            logv = np.log(np.asarray(self.values))
            tc = np.clip(t, y[0], y[-1])  # flat beyond the ends
            out = np.exp(np.interp(tc, y, logv))
            # at the nodes (and beyond the ends) the value is the node's own, without
            # the round-off of exp(log(x))
            idx = np.searchsorted(y, tc)
            hit = (idx < len(y)) & (y[np.minimum(idx, len(y) - 1)] == tc)
            out = np.where(hit, np.asarray(self.values)[np.minimum(idx, len(y) - 1)], out)
        if unit is not None and unit != self.unit:
            out = out * float(quantity(1.0, self.unit or "dimensionless").m_as(unit or "dimensionless"))
        return np.asarray(out, dtype=np.float64)

    def at(self, years):
        """Values at calendar ``years`` as a quantity in the curve's unit."""
        return quantity(self.magnitude(years), self.unit or "dimensionless")

    def describe(self) -> str:
        """One line for tables and reports."""
        if self.kind == "wright":
            return (f"Wright's law: {self.initial:g} {self.unit} in {self.start_year:g}, x{1 - self.learning_rate:g} "
                    f"per doubling of cumulative production every {self.doubling_time:.3g} years")
        pts = ", ".join(f"{t:g}: {v:g}" for t, v in zip(self.years, self.values))
        return f"path ({self.unit}) {pts}; log-linear between, flat beyond"

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "unit": self.unit, "source": self.source, "describe": self.describe()}
        if self.kind == "wright":
            d.update(initial=self.initial, learning_rate=self.learning_rate, doubling_time_years=self.doubling_time,
                     start_year=self.start_year)
        else:
            d.update(years=list(self.years), values=list(self.values))
        return d


def parse_path(text: str, unit: str, *, option: str = "--launch-path") -> LearningCurve:
    """A :meth:`LearningCurve.path` from ``"YEAR:VALUE,YEAR:VALUE,..."`` (values in ``unit``).

    Examples
    --------
    >>> parse_path("2026:1500,2030:500,2035:200", "USD/kg").magnitude(2030).item()
    500.0
    """
    years, values = [], []
    for part in [p.strip() for p in str(text).split(",") if p.strip()]:
        y, sep, v = part.partition(":")
        try:
            if not sep:
                raise ValueError(part)
            years.append(float(y))
            values.append(float(v))
        except ValueError:
            raise InputError(f"{option} {text!r}: {part!r} is not YEAR:VALUE; write e.g. "
                             f"'2026:1500,2030:500,2035:200' (values in {unit})") from None
    return LearningCurve.path(years, values, unit=unit, source=f"{option} {text}")


#: Launch price path [USD/kg]: Falcon 9 ~$2,700/kg in 2024 (project REFERENCES: $2,600-3,400);
#: Starship's filed commercial ~$600/kg placed at 2030 (our reading: the filing gives no
#: year); <$200/kg by the mid-2030s (Google Project Suncatcher, 2025, arXiv:2511.19468).
LAUNCH_PRICE_PATH = LearningCurve.path(
    [2024, 2030, 2035], [2700.0, 600.0, 200.0], unit="USD/kg",
    source="Falcon 9 ~$2,700/kg (2024); Starship filed ~$600/kg (year 2030 assumed); <$200/kg mid-2030s "
           "(Suncatcher 2025); project REFERENCES.md")
#: Spacecraft (non-compute) manufacturing cost [USD/kg]: $800/kg in 2025 (McCalip's
#: calculator, Starlink V2 Mini bill of materials), 15 % per doubling (typical aerospace
#: learning slope of 85 %, NASA Cost Estimating Handbook 2015, appendix on learning curves),
#: cumulative production doubling every 2 years (rough estimate: Starlink went from 120
#: satellites a month in 2020 to 70 a week in 2025).
SPACECRAFT_COST_CURVE = LearningCurve.wright(
    quantity(800.0, "USD/kg"), 0.15, doubling_time=quantity(2.0, "year"), start_year=2025,
    source="McCalip 2025 ($800/kg); 85 % aerospace learning slope (NASA CEH 2015); doubling every 2 years "
           "(rough, Starlink production 2020-2025)")
#: Accelerator cost at fixed throughput [USD]: $37,500 in 2024 (the shipped
#: ``accelerator_cost``), halving every 2.46 years (Epoch AI, Hobbhahn & Besiroglu 2022,
#: "Trends in GPU price-performance": FLOP/s per $ doubles every ~2.5 years).
ACCELERATOR_COST_CURVE = LearningCurve.wright(
    quantity(37500.0, "USD"), 0.5, doubling_time=quantity(2.46, "year"), start_year=2024,
    source="Epoch AI 2022: FLOP/s per $ doubles every 2.46 years; $37.5k per H100 with server share (2024)")


def default_curves() -> dict[str, LearningCurve]:
    """The learning curves the report and ``orbitcompute timeline`` apply by default:
    the launch price along :data:`LAUNCH_PRICE_PATH` (the other presets are opt-in: the
    accelerator curve moves both sides alike)."""
    return {"launch_price": LAUNCH_PRICE_PATH}
