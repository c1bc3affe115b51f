"""Ground sites on the WGS84 ellipsoid.

(Skeleton: from_latlon and the SI attributes used by ``visibility``; CSV, shipped lists
and look angles are being added.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .errors import InputError
from .frames import enu_matrices, geodetic_to_ecef
from .units import magnitude

__all__ = ["GroundSites"]


@dataclass(frozen=True, eq=False)
class GroundSites:
    """An immutable set of ground sites.

    Attributes
    ----------
    names : tuple of str, length ``n_site``
    lat_rad, lon_rad : ndarray, shape ``(n_site,)`` [rad], geodetic WGS84
    height_m : ndarray, shape ``(n_site,)`` [m] above the ellipsoid
    """

    names: tuple[str, ...]
    lat_rad: np.ndarray
    lon_rad: np.ndarray
    height_m: np.ndarray
    _ecef: np.ndarray = field(init=False, repr=False)
    _enu: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "_ecef", geodetic_to_ecef(self.lat_rad, self.lon_rad, self.height_m))
        object.__setattr__(self, "_enu", enu_matrices(self.lat_rad, self.lon_rad))

    def __len__(self) -> int:
        return len(self.names)

    @property
    def ecef(self) -> np.ndarray:
        """Earth-fixed (ITRS) positions, shape ``(n_site, 3)`` [m]."""
        return self._ecef

    @property
    def enu(self) -> np.ndarray:
        """ITRS -> East-North-Up rotation matrices, shape ``(n_site, 3, 3)``."""
        return self._enu

    @classmethod
    def from_latlon(cls, lat_deg, lon_deg, height_m=0.0, names: Sequence[str] | None = None) -> "GroundSites":
        """Sites from geodetic latitude and longitude [deg] and height [m]; arrays broadcast."""
        lat, lon, h = np.broadcast_arrays(
            np.atleast_1d(magnitude(lat_deg, "deg", "lat_deg", allow_float=True)),
            np.atleast_1d(magnitude(lon_deg, "deg", "lon_deg", allow_float=True)),
            np.atleast_1d(magnitude(height_m, "m", "height_m", allow_float=True)),
        )
        bad = ~(np.abs(lat) <= 90)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise InputError(f"lat_deg: {lat[k]} (site {k}) is outside -90..90 deg; did you swap latitude and longitude?")
        if names is None:
            names = [f"site{k}" for k in range(len(lat))]
        names = tuple(str(n) for n in names)
        if len(names) != len(lat):
            raise InputError(f"names: got {len(names)} names for {len(lat)} sites")
        lon = (lon + 180.0) % 360.0 - 180.0
        return cls(names, np.radians(lat), np.radians(lon), h.astype(float))
