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

import re
from typing import Any

import numpy as np
import pint

from .errors import InputError, UnitError

__all__ = ["u", "Quantity", "magnitude", "quantity", "parse_quantity"]

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

#: Longest quantity string :func:`parse_quantity` reads [characters].
MAX_QUANTITY_TEXT = 200
_INT_LITERAL = re.compile(r"(?<![\w.])([0-9]+)(?![\w.])")


def parse_quantity(text: str) -> pint.Quantity:
    """Read a quantity written as text (``"40 MW"``, ``"1.2e3 USD/kg"``) with any failure
    as :class:`~orbitcompute.errors.InputError`.

    pint evaluates the text as arithmetic, so the text is first evaluated with every integer
    literal made a float: an expression whose value is astronomically large (``"10**10**10
    W"``, which Python integers would take hours to compute) then fails at once with an
    overflow.  Unbalanced brackets, unknown units, division by zero and the like are caught
    whatever pint or :mod:`tokenize` raises (``TokenError``, ``SyntaxError``, pint's errors,
    ``AssertionError``, ``ZeroDivisionError``, ...).  The magnitude must be a finite real number.

    Parameters
    ----------
    text : str
        At most :data:`MAX_QUANTITY_TEXT` characters.

    Returns
    -------
    pint.Quantity

    Raises
    ------
    InputError
        Saying why the text could not be read (callers add the field and an example).

    Examples
    --------
    >>> from orbitcompute.units import parse_quantity
    >>> parse_quantity("40 MW")
    <Quantity(40, 'megawatt')>
    >>> parse_quantity("3*(2")
    Traceback (most recent call last):
    ...
    orbitcompute.errors.InputError: could not read it as a quantity (TokenError: EOF in multi-line statement)
    """
    if not isinstance(text, str):
        raise InputError(f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_QUANTITY_TEXT:
        raise InputError(f"the text is {len(text)} characters long, more than the {MAX_QUANTITY_TEXT} read")
    q = None
    try:
        for attempt in (_INT_LITERAL.sub(r"\1.0", text), text):  # floats first: overflow, not hang
            q = Quantity(attempt)
            m = q.magnitude
            if isinstance(m, bool) or not isinstance(m, (int, float, np.integer, np.floating)):
                raise InputError(f"its magnitude is a {type(m).__name__}, not a real number")
            if not np.isfinite(float(m)):
                raise InputError(f"its magnitude is {float(m)}, not a finite number")
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pint evaluates the text: tokenize.TokenError,
        # SyntaxError, pint errors, ValueError, TypeError, AttributeError, ArithmeticError,
        # AssertionError (pint's evaluator), RecursionError... all mean "not a quantity"
        first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
        reason = first.strip().replace("\n", " ") or "no detail"
        raise InputError(f"could not read it as a quantity ({type(exc).__name__}: {reason[:120]})") from None
    return q


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
