"""The one pint unit registry of orbitcompute and helpers used at API boundaries.

Public functions take and return quantities of :data:`u`; inside, everything is a
plain float64 ndarray in SI units.  Never create another ``UnitRegistry``: pint
refuses to combine quantities of two registries.

Examples
--------
>>> import orbitcompute as oc
>>> (550 * oc.u.km).to("m")
<Quantity(550000.0, 'meter')>
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pint

from .errors import UnitError

__all__ = ["u", "Quantity", "magnitude", "quantity"]

#: The package's unit registry (``oc.u``).
u = pint.UnitRegistry()
u.formatter.default_format = "~P"
# Money is a dimension of its own: US dollars of the year each assumption states (no
# inflation or exchange-rate conversion is ever applied implicitly).
u.define("USD = [currency] = dollar")
# Floating-point operations, so throughputs carry units (``989 * u.TFLOPS``).
u.define("FLOP = [computation] = flop")
u.define("FLOPS = FLOP / second = flops")
pint.set_application_registry(u)
Quantity = u.Quantity


def magnitude(value: Any, unit: str, name: str, *, allow_float: bool = False) -> np.ndarray:
    """Strip a quantity to a float64 array in ``unit`` after checking its dimension.

    Parameters
    ----------
    value : pint.Quantity or array_like
        The user's value.
    unit : str
        Unit to convert to, e.g. ``"m"``, ``"rad"``, ``"s"``.
    name : str
        Parameter name, used in error messages.
    allow_float : bool
        Accept a bare number as already being in ``unit`` (only for parameters whose
        name carries the unit, such as ``altitude_km``).

    Returns
    -------
    numpy.ndarray
        float64 magnitude in ``unit`` (0-d for scalars).

    Raises
    ------
    UnitError
        If ``value`` has the wrong dimension, or is a bare number where a unit is needed.
    """
    target = u.Unit(unit)
    if isinstance(value, pint.Quantity):
        if value._REGISTRY is not u:
            raise UnitError(
                f"{name}: the quantity {value!r} comes from another pint registry; "
                "build it with orbitcompute's registry, e.g. `550 * oc.u.km`"
            )
        if not value.check(target.dimensionality):
            raise UnitError(
                f"{name}: expected a quantity in {target:~P} ({target.dimensionality}), "
                f"got {value:~P} ({value.dimensionality}); e.g. `{name}=... * oc.u.{unit}`"
            )
        return np.asarray(value.m_as(target), dtype=np.float64)
    if allow_float:
        try:
            return np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise UnitError(f"{name}: expected a number in {unit}, got {value!r}") from exc
    raise UnitError(
        f"{name}: got the bare number {value!r} but a unit is needed; "
        f"write e.g. `{name}={value!r} * oc.u.{unit}`"
    )


def quantity(magnitude_si: Any, unit: str) -> pint.Quantity:
    """Wrap a float array (already in ``unit``) as a quantity of :data:`u`."""
    return Quantity(np.asarray(magnitude_si, dtype=np.float64), unit)
