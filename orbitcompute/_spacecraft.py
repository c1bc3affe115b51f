"""The spacecraft assumptions (``data/assumptions_spacecraft.csv``) as defaults of
:mod:`orbitcompute.power`, :mod:`orbitcompute.thermal` and :mod:`orbitcompute.mass`, and
the context that lets a scenario's values replace them (:func:`using_assumptions`)."""

from __future__ import annotations

import contextlib
import contextvars
from functools import lru_cache
from typing import Any, Mapping

from .errors import InputError
from .provenance import Assumption, read_assumptions
from .units import magnitude

__all__ = ["spacecraft_assumptions", "using_assumptions"]


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Assumption]:
    return read_assumptions("assumptions_spacecraft.csv")


#: Assumptions that replace the shipped defaults inside :func:`using_assumptions`.
_OVERRIDES: contextvars.ContextVar[Mapping[str, Assumption] | None] = contextvars.ContextVar(
    "orbitcompute_assumptions", default=None)


def _defaults() -> dict[str, Assumption]:
    over = _OVERRIDES.get()
    if not over:
        return _shipped()
    return {**_shipped(), **{k: v for k, v in over.items() if k in _shipped()}}


@contextlib.contextmanager
def using_assumptions(assumptions: Mapping[str, Assumption]):
    """Make ``assumptions`` the defaults of :mod:`power`, :mod:`thermal` and :mod:`mass`
    inside a ``with`` block (e.g. a scenario's, so that its overrides reach the sizing).

    Names that are not spacecraft assumptions are ignored.  Context-local (safe with
    threads and async code); explicit arguments still win over these defaults.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.power import cell_technology, using_assumptions
    >>> from orbitcompute.provenance import Assumption
    >>> with using_assumptions({"cell_efficiency_triple_junction": Assumption("cell_efficiency_triple_junction", 0.32)}):
    ...     cell_technology().efficiency
    0.32
    >>> cell_technology().efficiency
    0.298
    """
    token = _OVERRIDES.set(dict(assumptions))
    try:
        yield
    finally:
        _OVERRIDES.reset(token)


def spacecraft_assumptions() -> dict[str, Assumption]:
    """The shipped spacecraft assumptions (power, thermal, mass), keyed by name.

    Returns
    -------
    dict of str to Assumption
        A copy; each has ``value`` (Quantity), ``source``, ``year``, ``low``, ``high``.

    Examples
    --------
    >>> from orbitcompute.power import spacecraft_assumptions
    >>> a = spacecraft_assumptions()["path_efficiency_eclipse"]
    >>> a.si(), a.year
    (0.65, 1999)
    """
    return dict(_defaults())


def _default(name: str, unit: str | None = None) -> float:
    return _defaults()[name].si(unit)


def _fraction(value: Any, name: str, default: str, *, upper: float = 1.0) -> float:
    """A dimensionless factor in (0, upper]; None -> the shipped default."""
    if value is None:
        return _default(default)
    x = float(magnitude(value, "dimensionless", name, allow_float=True))
    if not 0.0 < x <= upper:
        raise InputError(f"{name}: {x!r} is outside (0, {upper}]; give a fraction, e.g. {name}={_default(default)}")
    return x
