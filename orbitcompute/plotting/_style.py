"""The one style of every figure: the Okabe-Ito palette, verdict colours, line styles and
the ``Figure`` factory (no pyplot: nothing is shown and no global state is kept), plus the
small readers of a result the figure modules share.

No other module of orbitcompute defines colours.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError

__all__ = ["LINESTYLES", "OKABE_ITO", "VERDICT_COLOURS"]

#: The Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008): blue, orange, green,
#: vermillion, purple, sky blue, yellow, black.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

#: Colour of each verdict on maps and in tables (Okabe-Ito blue and orange).
VERDICT_COLOURS = {"orbital": OKABE_ITO[0], "terrestrial": OKABE_ITO[1]}

#: Line styles cycled after the colours (so curves read in grey scale too).
LINESTYLES = ("-", "--", "-.", ":")


def _figure(width: float, height: float, *, constrained: bool = True):
    """A new ``matplotlib.figure.Figure`` of ``width`` x ``height`` inches (not pyplot)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained" if constrained else None)


class _NoGeometry:
    """Stands in for the geometry of a result that has none: any field raises InputError."""

    def __getattr__(self, key: str):
        raise InputError(
            f"result: the geometry has no {key!r}; pass the FeasibilityResult returned by FeasibilityModel.run() "
            "(a result read back from JSON carries no geometry)")


def _g(result):
    """The result's :class:`~orbitcompute.geometry.Geometry` (a stand-in raising InputError if none)."""
    g = getattr(result, "geometry", None)
    return _NoGeometry() if g is None else g


def _isfinite(x) -> bool:
    return x is not None and bool(np.isfinite(x))


def _assumption(result, name: str, unit: str) -> float:
    """The value of assumption ``name`` of the result's scenario, as a float in ``unit``."""
    a = result.scenario.assumptions[name] if name in result.scenario.assumptions else result.assumptions[name]
    return float(a.value.m_as(unit or "dimensionless"))
