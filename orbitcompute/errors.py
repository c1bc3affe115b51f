"""Error hierarchy of orbitcompute.

Every error derives from :class:`OrbitComputeError` *and* from a builtin
(``ValueError`` or ``TypeError``), so callers can catch either.  Messages say
what was wrong, the value seen and what to do instead.

Failures inside arrays (one decayed satellite among thousands) are *not*
exceptions: they are NaN plus an integer code, see :data:`ERROR_CODES`.
"""

from __future__ import annotations

__all__ = [
    "OrbitComputeError",
    "InputError",
    "UnitError",
    "TimeError",
    "ParseError",
    "ERROR_CODES",
]


class OrbitComputeError(Exception):
    """Base class of every error raised by orbitcompute."""


class InputError(OrbitComputeError, ValueError):
    """A value is outside what the function accepts (wrong range, shape, order)."""


class UnitError(OrbitComputeError, TypeError):
    """A quantity has the wrong physical dimension, or a bare number was given
    where a unit is needed."""


class TimeError(InputError):
    """A time could not be interpreted (naive datetime, unparsable string, ...)."""


class ParseError(InputError):
    """A malformed element set (TLE, OMM) or data file.

    Attributes
    ----------
    source : str
        File name or ``"<text>"``.
    line : int or None
        1-based line number (or record number for record formats) of the problem.
    reason : str
        What was wrong and what was expected.
    """

    def __init__(self, source: str, line: int | None, reason: str):
        self.source = source
        self.line = line
        self.reason = reason
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


#: Integer error codes stored per satellite and time step beside NaN states.
#: 0 to 6 are SGP4's own codes (Vallado et al. 2006, AIAA 2006-6753); higher codes are
#: orbitcompute's.
ERROR_CODES: dict[int, str] = {
    0: "ok",
    1: "SGP4: mean eccentricity out of range 0 <= e < 1",
    2: "SGP4: mean motion below zero",
    3: "SGP4: perturbed eccentricity out of range 0 <= e <= 1",
    4: "SGP4: semi-latus rectum below zero",
    5: "SGP4: (unused code)",
    6: "SGP4: orbit has decayed (radius below 1 Earth radius)",
    10: "elements invalid: could not initialise the propagator",
    11: "J2 propagator: orbit below the Earth's surface or unbound (e >= 1)",
    12: "SGP4: state not finite though SGP4 reported no error (elements beyond what the theory "
        "can propagate)",
}
