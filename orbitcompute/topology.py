"""The static inter-satellite link topology of a Walker shell: the plane and slot of every
satellite (:class:`WalkerLayout`), the +Grid link list (:func:`plus_grid`) and the longest
line-of-sight link at an altitude (:func:`max_isl_range`).  :class:`~orbitcompute.network.Network`
builds its candidate links from these (all re-exported by :mod:`orbitcompute.network`).

References
----------
Kassing, S., Bhattacherjee, D., Aguas, A. B., Saethre, J. E., Singla, A. (2020). Exploring
the "Internet from space" with Hypatia. IMC '20, https://doi.org/10.1145/3419394.3423635.
Walker, J. G. (1984). Satellite constellations. J. Br. Interplanet. Soc. 37, 559-572.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._links import DEFAULT_ATMOSPHERE_HEIGHT_M
from .constants import R_EARTH
from .errors import InputError
from .orbits import Constellation
from .units import magnitude, quantity

__all__ = ["WalkerLayout", "max_isl_range", "plus_grid"]


def max_isl_range(altitude, atmosphere_height=None):
    """Longest line-of-sight link between two satellites at the same altitude.

    Parameters
    ----------
    altitude : Quantity [length], any shape
        Altitude of both satellites above the spherical Earth (WGS84 equatorial radius).
    atmosphere_height : Quantity [length], optional
        Lowest altitude the link may graze; default 80 km.

    Returns
    -------
    Quantity [km], same shape as ``altitude``
        ``2 sqrt((R + h)^2 - (R + h_atm)^2)`` (the link is tangent to the sphere
        ``R + h_atm`` at its midpoint; Kassing et al. 2020).

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.network import max_isl_range
    >>> round(float(max_isl_range(550 * oc.u.km).m), 1)
    5016.6
    """
    h = magnitude(altitude, "m", "altitude")
    h_atm = DEFAULT_ATMOSPHERE_HEIGHT_M if atmosphere_height is None else float(
        magnitude(atmosphere_height, "m", "atmosphere_height"))
    if np.any(h < h_atm):
        raise InputError(
            f"altitude: {np.min(h) / 1e3:g} km is below atmosphere_height {h_atm / 1e3:g} km; "
            "satellites must fly above the grazing height"
        )
    return quantity(2.0 * np.sqrt((R_EARTH + h) ** 2 - (R_EARTH + h_atm) ** 2) / 1e3, "km")


# --------------------------------------------------------------------------- topology
@dataclass(frozen=True)
class WalkerLayout:
    """Plane and slot of the satellites of a Walker shell ``i: T/P/F``.

    Satellites are numbered plane by plane: satellite ``n`` is slot ``n % S`` of plane
    ``n // S`` with ``S = T / P`` (the order of :meth:`Constellation.walker_delta` and
    :meth:`Constellation.walker_star`).

    Attributes
    ----------
    planes : int
        ``P``.
    per_plane : int
        ``S``.
    phasing : int
        ``F`` (0 <= F < P): plane ``j`` is ahead of plane 0 by ``360 F j / T`` deg of
        mean anomaly.
    pattern : {"delta", "star"}
        Nodes spread over 360 deg (delta) or 180 deg (star, with counter-rotating planes
        ``0`` and ``P - 1`` across the seam).

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.network import WalkerLayout
    >>> con = oc.Constellation.walker_star(total=24, planes=4, phasing=1, altitude=780 * oc.u.km,
    ...     inclination=86.4 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
    >>> WalkerLayout.from_constellation(con)
    WalkerLayout(planes=4, per_plane=6, phasing=1, pattern='star')
    """

    planes: int
    per_plane: int
    phasing: int
    pattern: Literal["delta", "star"] = "delta"

    def __post_init__(self):
        for name in ("planes", "per_plane", "phasing"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise InputError(f"{name}: must be an integer, got {v!r}")
        if self.planes < 1 or self.per_plane < 1:
            raise InputError(f"planes={self.planes}, per_plane={self.per_plane}: both must be >= 1")
        if not 0 <= self.phasing < self.planes:
            raise InputError(f"phasing: F={self.phasing} must be in 0..{self.planes - 1}")
        if self.pattern not in ("delta", "star"):
            raise InputError(f"pattern: {self.pattern!r} is unknown; choose 'delta' or 'star'")

    @property
    def total(self) -> int:
        """``T = P S``."""
        return self.planes * self.per_plane

    @property
    def plane(self) -> np.ndarray:
        """Plane index of each satellite, shape ``(T,)``."""
        return np.repeat(np.arange(self.planes), self.per_plane)

    @property
    def slot(self) -> np.ndarray:
        """Slot index within its plane of each satellite, shape ``(T,)``."""
        return np.tile(np.arange(self.per_plane), self.planes)

    def index(self, plane, slot) -> np.ndarray:
        """Satellite index of (plane, slot), wrapping both (arrays broadcast)."""
        return (np.asarray(plane) % self.planes) * self.per_plane + (np.asarray(slot) % self.per_plane)

    @classmethod
    def from_constellation(cls, con: Constellation) -> "WalkerLayout":
        """Recover ``P``, ``S``, ``F`` and the pattern from a constellation's mean elements.

        Works for any constellation built by ``walker_delta``/``walker_star`` (or any other
        whose satellites are ordered plane by plane with equal planes, nodes evenly spaced
        over 360 or 180 deg, slots evenly spaced and a Walker phase offset).

        Raises
        ------
        InputError
            If the elements do not form such a pattern; the message says which check failed.
        """
        raan, M = _node_and_anomaly(con)
        n = len(raan)
        if n == 0:
            raise InputError("con: the constellation is empty")
        two_pi = 2.0 * np.pi
        wrap = lambda x: (x + np.pi) % two_pi - np.pi  # noqa: E731
        new_plane = np.abs(wrap(np.diff(raan))) > 1e-7
        starts = np.r_[0, np.flatnonzero(new_plane) + 1]
        sizes = np.diff(np.r_[starts, n])
        if not np.all(sizes == sizes[0]):
            raise InputError(
                f"con: its satellites do not come in equal planes ordered plane by plane (plane sizes "
                f"{sorted(set(sizes.tolist()))}); pass WalkerLayout(planes=..., per_plane=..., phasing=...) explicitly"
            )
        S, P = int(sizes[0]), len(starts)
        F, pattern = 0, "delta"
        if P > 1:
            d_node = float((raan[S] - raan[0]) % two_pi)
            if abs(d_node * P - two_pi) < 1e-6 * P:
                pattern = "delta"
            elif abs(d_node * P - np.pi) < 1e-6 * P:
                pattern = "star"
            else:
                raise InputError(
                    f"con: node spacing {math.degrees(d_node):.4f} deg x {P} planes spans neither 360 deg "
                    "(Walker delta) nor 180 deg (Walker star); pass a WalkerLayout explicitly"
                )
            F = int(round(float((M[S] - M[0]) % two_pi) * P * S / two_pi)) % P
        lay = cls(P, S, F, pattern)
        expect = M[0] + two_pi * lay.slot / S + two_pi * F * lay.plane / (P * S)
        if np.max(np.abs(wrap(M - expect))) > 1e-6 or (S > 1 and np.max(np.abs(wrap(raan - np.repeat(raan[starts], S)))) > 1e-6):
            raise InputError(
                "con: the satellites' mean anomalies are not a Walker pattern (evenly spaced slots with a "
                "constant phase offset between planes); pass a WalkerLayout explicitly"
            )
        return lay


def _node_and_anomaly(con: Constellation) -> tuple[np.ndarray, np.ndarray]:
    """Mean right ascension of the node and mean anomaly at epoch [rad], shape (n_sat,)."""
    if con.propagator == "sgp4":
        return (np.array([s.nodeo for s in con._satrecs], float), np.array([s.mo for s in con._satrecs], float))
    return np.asarray(con._j2.raan, float), np.asarray(con._j2.M, float)


def plus_grid(layout: WalkerLayout, *, cross_slot_offset: int = 0) -> np.ndarray:
    """The +Grid: each satellite linked to 2 neighbours in its plane and 1 in each adjacent plane.

    Parameters
    ----------
    layout : WalkerLayout
    cross_slot_offset : int
        Slot ``k`` of plane ``j`` links to slot ``k + cross_slot_offset`` of plane ``j + 1``
        (Hypatia's ``isl_shift``; 0 links the satellites at the same Walker position).

    Returns
    -------
    ndarray of intp, shape ``(n_link, 2)``
        Each undirected link once, ``[a, b]`` with ``a < b``, sorted.

    Notes
    -----
    * Intra-plane: ``(j, k) - (j, k + 1 mod S)``.
    * Inter-plane: ``(j, k) - (j + 1, k + o)`` for ``j = 0 .. P - 2``.
    * Walker delta wrap-around: plane ``P`` is plane 0 shifted by the phasing, since slot
      ``k`` of a virtual plane ``P`` would have mean anomaly ``360 k / S + 360 F / S``,
      which is slot ``k + F`` of plane 0.  So ``(P - 1, k) - (0, k + F + o)``.
    * Walker star: planes 0 and ``P - 1`` move in opposite directions across the seam
      (relative speed ~15 km/s), so there is no link across it; the satellites of those
      two planes have 3 links.

    With ``P >= 3`` and ``S >= 3`` every satellite of a delta shell has exactly 4 links.

    Examples
    --------
    >>> from orbitcompute.network import WalkerLayout, plus_grid
    >>> plus_grid(WalkerLayout(3, 4, 1)).shape
    (24, 2)
    >>> plus_grid(WalkerLayout(3, 4, 1, "star")).shape
    (20, 2)
    """
    P, S, F = layout.planes, layout.per_plane, layout.phasing
    o = int(cross_slot_offset)
    j, k = layout.plane, layout.slot
    parts = []
    if S >= 2:
        parts.append(np.c_[layout.index(j, k), layout.index(j, k + 1)])
    if P >= 2:
        m = j < P - 1
        parts.append(np.c_[layout.index(j[m], k[m]), layout.index(j[m] + 1, k[m] + o)])
        if layout.pattern == "delta" and P >= 3:
            m = j == P - 1
            parts.append(np.c_[layout.index(j[m], k[m]), layout.index(0, k[m] + F + o)])
    if not parts:
        return np.zeros((0, 2), np.intp)
    e = np.concatenate(parts)
    e = np.sort(e, axis=1)
    e = e[e[:, 0] != e[:, 1]]
    e = np.unique(e, axis=0)
    return e.astype(np.intp)


# --------------------------------------------------------------------------- network
