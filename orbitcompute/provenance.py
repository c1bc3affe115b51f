"""Assumptions with provenance: a value, its source and year, and a low/high range.

Every default number that is not a physical constant (cell efficiency, areal density of a
radiator, a structure mass fraction, ...) is an :class:`Assumption`, so reports can show
where it came from and sensitivity studies know how far to move it.

Shipped defaults live in CSV files under ``orbitcompute/data/`` with the columns
``name, value, unit, low, high, year, source, note`` (and optionally ``distribution``) and are
read by :func:`read_assumptions`.

Examples
--------
>>> from orbitcompute.provenance import Assumption
>>> a = Assumption("packing_factor", 0.85, "", source="rough engineering estimate", year=2026,
...                low=0.80, high=0.90)
>>> a.si()
0.85
>>> a.with_value(0.9).value.m
0.9
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import pint

from .errors import InputError, ParseError
from .units import Quantity, u

__all__ = ["DISTRIBUTIONS", "Assumption", "read_assumptions"]

#: Probability distributions an :class:`Assumption` can declare for Monte Carlo studies
#: (see :mod:`orbitcompute.sensitivity` for their definitions).
DISTRIBUTIONS = ("triangular", "uniform", "lognormal", "fixed")


def _as_quantity(value: Any, unit: str) -> pint.Quantity | None:
    if value is None:
        return None
    if isinstance(value, pint.Quantity):
        return value
    return Quantity(float(value), unit or "dimensionless")


@dataclass(frozen=True)
class Assumption:
    """A default value with its provenance and a plausible range.

    Parameters
    ----------
    name : str
        Identifier, e.g. ``"cell_efficiency_xtj"``.
    value : Quantity or float
        The value (a bare float is taken in ``unit``).
    unit : str
        Unit of ``value``, ``low`` and ``high`` when they are given as floats (``""`` for
        dimensionless).
    source : str
        Where the number comes from; says "rough engineering estimate" when it is one.
    year : int or None
        Year of the source.
    low, high : Quantity or float or None
        Plausible range, for sensitivity studies.
    note : str
        Anything a reader should know (what is and is not included).
    distribution : str
        How Monte Carlo studies draw it: ``"triangular"`` (default; mode ``value`` on
        ``[low, high]``), ``"uniform"`` on ``[low, high]``, ``"lognormal"`` (median
        ``value``, ``low``/``high`` as the 5th/95th percentiles) or ``"fixed"``.  An
        assumption without ``low``/``high`` is fixed whatever this says.
    """

    name: str
    value: Any
    unit: str = ""
    source: str = ""
    year: int | None = None
    low: Any = None
    high: Any = None
    note: str = ""
    distribution: str = "triangular"

    def __post_init__(self):
        if self.distribution not in DISTRIBUTIONS:
            raise InputError(
                f"{self.name}: distribution {self.distribution!r} is not known; use one of {DISTRIBUTIONS}"
            )
        object.__setattr__(self, "value", _as_quantity(self.value, self.unit))
        object.__setattr__(self, "low", _as_quantity(self.low, self.unit))
        object.__setattr__(self, "high", _as_quantity(self.high, self.unit))

    def si(self, unit: str | None = None) -> float:
        """The value as a float in ``unit`` (default: the assumption's own unit) [unit]."""
        target = unit if unit is not None else (self.unit or "dimensionless")
        return float(self.value.m_as(target))

    def with_value(self, value: Any) -> "Assumption":
        """A copy with another value, keeping the provenance (for overrides)."""
        return replace(self, value=_as_quantity(value, self.unit), source=f"user override (default: {self.source})")

    def describe(self) -> str:
        """One line: value, range and source, for tables."""
        rng = ""
        if self.low is not None and self.high is not None:
            rng = f" (range {self.low.m:g}-{self.high.m:g})"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.name} = {self.value.m:g}{unit}{rng}"


def read_assumptions(filename: str) -> dict[str, Assumption]:
    """Read a shipped assumptions CSV from ``orbitcompute/data/``.

    Parameters
    ----------
    filename : str
        File name inside ``orbitcompute/data``, e.g. ``"assumptions_spacecraft.csv"``.

    Returns
    -------
    dict of str to Assumption
        Keyed by ``name``, in file order.
    """
    text = resources.files("orbitcompute").joinpath("data", filename).read_text(encoding="utf-8")
    out: dict[str, Assumption] = {}
    rows = csv.DictReader(io.StringIO(text))
    for line, row in enumerate(rows, start=2):
        try:
            year = int(row["year"]) if row["year"].strip() else None
            low = float(row["low"]) if row["low"].strip() else None
            high = float(row["high"]) if row["high"].strip() else None
            value = float(row["value"])
            unit = row["unit"].strip()
            u.Unit(unit or "dimensionless")
        except (KeyError, ValueError, pint.errors.UndefinedUnitError) as exc:
            raise ParseError(filename, line, f"bad assumption row {row!r}: {exc}") from exc
        if low is not None and high is not None and not (low <= value <= high or high <= value <= low):
            raise ParseError(filename, line, f"{row['name']}: value {value} outside its range {low}..{high}")
        name = row["name"].strip()
        if name in out:
            raise ParseError(filename, line, f"duplicate assumption name {name!r}")
        dist = (row.get("distribution") or "").strip() or "triangular"
        if dist not in DISTRIBUTIONS:
            raise ParseError(filename, line, f"{name}: distribution {dist!r} is not one of {DISTRIBUTIONS}")
        out[name] = Assumption(name, value, unit, row["source"].strip(), year, low, high,
                               (row.get("note") or "").strip(), dist)
    if not out:
        raise InputError(f"{filename}: no assumptions found")
    return out
