"""Helpers shared by every study of a model (tornado, Monte Carlo, Sobol, sweeps): the
model contract (checked evaluation, descriptions, output units), assumption magnitudes and
ranges, and the inverse CDFs of the assumption distributions.  No study imports another
through these, so there is no import cycle among ``sensitivity``, ``_sobol`` and ``sweeps``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pint

from .errors import InputError, UnitError
from .provenance import Assumption

#: Standard normal quantile of the 95th percentile, ``Phi^-1(0.95)``; ``low``/``high`` of a
#: lognormal assumption sit at ``-Z95`` and ``+Z95`` standard deviations in log space.
Z95 = 1.6448536269514722


def _unit_str(units: Any) -> str:
    """A unit as text that pint parses back (full names, e.g. ``USD/kilogram``, ``meter**2``)."""
    return f"{units:C}"


def _unit(a: Assumption) -> str:
    return a.unit or "dimensionless"


@functools.lru_cache(maxsize=1024)
def _parse_unit(registry: Any, unit: str) -> Any:
    return registry.parse_units(unit)


def _magnitude(a: Assumption, which: str) -> float:
    """``a.value``/``a.low``/``a.high`` as a float in the assumption's own unit."""
    q = getattr(a, which)
    try:
        target = _parse_unit(q._REGISTRY, _unit(a))
        return float(q.m) if q.units == target else float(q.m_as(target))
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"assumption {a.name}: {which} {q:~P} cannot be expressed in its unit {a.unit!r}") from exc


def _is_uncertain(a: Assumption) -> bool:
    return a.low is not None and a.high is not None and a.distribution != "fixed"


def _choose(assumptions: Mapping[str, Assumption], names: Sequence[str] | None, what: str) -> list[str]:
    """The uncertain assumptions to vary: all of them, or ``names`` (checked)."""
    if names is None:
        chosen = [k for k, a in assumptions.items() if _is_uncertain(a)]
        if not chosen:
            raise InputError(f"{what}: the model has no assumption with a low/high range to vary")
        return chosen
    if isinstance(names, str):
        names = [names]
    chosen = list(dict.fromkeys(names))
    for k in chosen:
        if k not in assumptions:
            raise InputError(f"names: {k!r} is not an assumption of the model; known: {sorted(assumptions)}")
        if not _is_uncertain(assumptions[k]):
            a = assumptions[k]
            why = "its distribution is 'fixed'" if a.distribution == "fixed" else "it has no low/high range"
            raise InputError(f"names: {k!r} cannot be varied because {why}; give it low= and high= "
                             f"(and a distribution other than 'fixed') or leave it out of names")
    if not chosen:
        raise InputError("names: empty; give at least one assumption name, or None for all")
    return chosen


def _call(model: Any, values: dict[str, np.ndarray], n: int) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """``model.evaluate(values)`` with its outputs checked and broadcast to shape ``(n,)``.

    Returns the outputs as float arrays and the units of those returned as quantities.
    """
    out = model.evaluate(values)
    if not isinstance(out, Mapping) or not out:
        raise InputError(f"model.evaluate returned {type(out).__name__}; expected a non-empty dict "
                         "of output name -> array of shape (n,)")
    checked = {}
    units = {}
    for k, v in out.items():
        if isinstance(v, pint.Quantity):
            units[str(k)] = _unit_str(v.units)
            v = v.m
        arr = np.asarray(v, dtype=np.float64)
        if arr.shape not in ((n,), ()):
            raise InputError(f"model.evaluate: output {k!r} has shape {arr.shape}, expected ({n},) for "
                             f"{n} points; evaluate must be vectorized over the input arrays")
        checked[str(k)] = np.array(np.broadcast_to(arr, (n,)))
    return checked, units


def _describe(model: Any) -> dict:
    d = getattr(model, "describe", None)
    return dict(d()) if callable(d) else {}


def _output_units(description: Mapping[str, Any], returned: Mapping[str, str]) -> dict[str, str]:
    """Output units: those of outputs returned as quantities, else ``describe()["output_units"]``."""
    units = description.get("output_units", {})
    declared = {str(k): str(v) for k, v in units.items()} if isinstance(units, Mapping) else {}
    return {**declared, **returned}


def _assumption_record(a: Assumption) -> dict:
    return {
        "name": a.name, "unit": a.unit, "value": _magnitude(a, "value"),
        "low": _magnitude(a, "low") if a.low is not None else None,
        "high": _magnitude(a, "high") if a.high is not None else None,
        "distribution": a.distribution if _is_uncertain(a) else "fixed",
        "source": a.source, "year": a.year,
    }


# ------------------------------------------------------------------- tornado
def _inverse_cdf(a: Assumption, q: np.ndarray) -> np.ndarray:
    """Quantiles ``q`` in (0, 1) of an uncertain assumption's distribution [its unit]."""
    from scipy.special import ndtri

    v, lo, hi = _magnitude(a, "value"), _magnitude(a, "low"), _magnitude(a, "high")
    lo, hi = min(lo, hi), max(lo, hi)
    d = a.distribution
    if d == "uniform":
        return lo + q * (hi - lo)
    if d == "triangular":
        if not lo <= v <= hi:
            raise InputError(f"assumption {a.name}: the triangular mode (value {v:g}) must lie in "
                             f"[low, high] = [{lo:g}, {hi:g}]; fix the value or the range")
        if hi == lo:
            return np.full(q.shape, v)
        fc = (v - lo) / (hi - lo)
        left = lo + np.sqrt(q * (hi - lo) * (v - lo))
        right = hi - np.sqrt((1.0 - q) * (hi - lo) * (hi - v))
        return np.where(q < fc, left, right)
    if d == "lognormal":
        if not 0.0 < lo <= v <= hi:
            raise InputError(f"assumption {a.name}: a lognormal needs 0 < low <= value <= high, got "
                             f"low {lo:g}, value {v:g}, high {hi:g}; use distribution='triangular' or "
                             "'uniform' for quantities that can be zero or negative")
        z = ndtri(q)
        s_lo = (math.log(v) - math.log(lo)) / Z95
        s_hi = (math.log(hi) - math.log(v)) / Z95
        return v * np.exp(np.where(z < 0.0, s_lo, s_hi) * z)
    raise InputError(f"assumption {a.name}: distribution {d!r} cannot be sampled")  # pragma: no cover
