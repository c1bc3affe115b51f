"""Ground sites on the WGS84 ellipsoid and the look angles of satellites from them.

Layers
------
* :func:`look_angles_si` is the pure kernel: plain float64 SI arrays in and out,
  vectorised over satellites, sites and times (no Python loops).
* :class:`GroundSites` is the immutable domain object (geodetic coordinates plus
  their Earth-fixed positions and East-North-Up rotations); its constructors
  ``from_latlon``, ``from_csv`` and ``cities`` check their input and its method
  :meth:`GroundSites.look_angles` takes and returns pint quantities.

Look angles are *geometric*: no atmospheric refraction and no light-time
correction, measured in the local horizon system whose "up" is the WGS84
ellipsoid normal (geodetic up), as skyfield's ``(sat - wgs84.latlon(...)).altaz()``.

Examples
--------
>>> import orbitcompute as oc
>>> from orbitcompute.stations import GroundSites
>>> sites = GroundSites.from_latlon([35.6895, 51.5074], [139.6917, -0.1278], names=["Tokyo", "London"])
>>> len(sites), sites.names
(2, ('Tokyo', 'London'))
>>> big = GroundSites.cities(limit=3)
>>> big.names
('Shanghai', 'Beijing', 'Shenzhen')
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pint

from .errors import InputError, ParseError
from .frames import enu_matrices, geodetic_to_ecef
from .time import timescale, to_time
from .units import magnitude, quantity

__all__ = ["GroundSites", "LookAngles", "look_angles_si", "CONTINENTS"]

#: Continent codes used by GeoNames and in the shipped ``cities.csv``.
CONTINENTS: dict[str, str] = {
    "AF": "Africa",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
    "AN": "Antarctica",
}

_TWO_PI = 2.0 * math.pi

#: Accepted CSV column names (first match wins), see :meth:`GroundSites.from_csv`.
_CSV_ALIASES = {
    "name": ("name",),
    "lat": ("latitude_deg", "lat_deg", "latitude"),
    "lon": ("longitude_deg", "lon_deg", "longitude"),
    "height": ("height_m",),
    "population": ("population",),
}


# --------------------------------------------------------------------------- kernel
def look_angles_si(
    r_itrs: np.ndarray, v_itrs: np.ndarray, site_ecef: np.ndarray, site_enu: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Azimuth, elevation, slant range and range rate of satellites seen from sites.

    Pure kernel on float64 SI arrays; vectorised over satellites, sites and times
    (batched matrix products, no Python loops).  Inputs are not modified.

    Parameters
    ----------
    r_itrs : ndarray, shape ``(n_sat, n_time, 3)`` [m]
        Satellite positions in the Earth-fixed frame (ITRS).
    v_itrs : ndarray, shape ``(n_sat, n_time, 3)`` [m/s]
        Satellite velocities relative to the rotating Earth-fixed frame (ITRS).
    site_ecef : ndarray, shape ``(n_site, 3)`` [m]
        Site positions in the same Earth-fixed frame (:attr:`GroundSites.ecef`).
    site_enu : ndarray, shape ``(n_site, 3, 3)`` [-]
        Earth-fixed -> East-North-Up rotations, rows East, North, Up
        (:attr:`GroundSites.enu`).

    Returns
    -------
    azimuth : ndarray, shape ``(n_sat, n_site, n_time)`` [rad]
        In ``[0, 2 pi)``, from North through East.
    elevation : ndarray, shape ``(n_sat, n_site, n_time)`` [rad]
        In ``[-pi/2, pi/2]``, above the plane normal to the site's "up" vector.
    range : ndarray, shape ``(n_sat, n_site, n_time)`` [m]
        Slant range (straight-line distance).
    range_rate : ndarray, shape ``(n_sat, n_site, n_time)`` [m/s]
        Time derivative of the slant range, positive when receding.

    Notes
    -----
    With ``rho = E (r - s)`` the site-to-satellite vector in East-North-Up axes,
    ``az = atan2(rho_E, rho_N)``, ``el = atan2(rho_U, hypot(rho_E, rho_N))``,
    ``range = |rho|`` and, the site being fixed in the rotating frame,
    ``range_rate = (r - s) . v / range = (r . v - s . v) / range``.

    "Up" is whatever the third row of ``site_enu`` is: for :class:`GroundSites` it is
    the WGS84 ellipsoid normal, so the elevation is geometric and geodetic (no
    refraction).  NaN states (failed propagation) give NaN angles.

    Memory: the four float64 outputs take ``4 * 8 * n_sat * n_site * n_time`` bytes,
    and one temporary of ``3 * 8 * n_sat * n_site * n_time`` bytes is needed, so the
    peak is about 56 bytes per (satellite, site, time) triple: 10,000 satellites x
    100 sites x 100 times is 5.6 GB.  Chunk over time (as
    :meth:`GroundSites.look_angles` does) to bound it.
    """
    r = np.asarray(r_itrs, dtype=np.float64)
    v = np.asarray(v_itrs, dtype=np.float64)
    s = np.asarray(site_ecef, dtype=np.float64)
    E = np.asarray(site_enu, dtype=np.float64)
    if r.ndim != 3 or r.shape[-1] != 3 or v.shape != r.shape:
        raise InputError(
            f"r_itrs, v_itrs: expected two arrays of shape (n_sat, n_time, 3), got {r.shape} and {v.shape}"
        )
    if s.ndim != 2 or s.shape[-1] != 3 or E.shape != (s.shape[0], 3, 3):
        raise InputError(
            f"site_ecef, site_enu: expected shapes (n_site, 3) and (n_site, 3, 3), got {s.shape} and {E.shape}"
        )
    # rho = E r - E s: (n_sat, 1, n_time, 3) @ (1, n_site, 3, 3) -> (n_sat, n_site, n_time, 3)
    rho = np.matmul(r[:, None, :, :], np.swapaxes(E, 1, 2)[None, :, :, :])
    rho -= np.einsum("nij,nj->ni", E, s)[None, :, None, :]
    east, north, up = rho[..., 0], rho[..., 1], rho[..., 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        horiz = np.hypot(east, north)
        rng = np.hypot(horiz, up)
        el = np.arctan2(up, horiz)
        az = np.arctan2(east, north, out=horiz)  # reuse the buffer
        az[az < 0.0] += _TWO_PI
        # (r - s) . v = r . v - s . v ; the site is at rest in the rotating frame
        rv = np.einsum("ktj,ktj->kt", r, v)
        sv = np.einsum("nj,ktj->knt", s, v)
        rdot = np.subtract(rv[:, None, :], sv, out=sv)
        rdot /= rng
    return az, el, rng, rdot


# --------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class LookAngles:
    """Look angles of satellites from ground sites (geometric, geodetic up, no refraction).

    Attributes
    ----------
    azimuth : Quantity, shape ``(n_sat, n_site, n_time)`` [deg]
        In ``[0, 360)``, from North through East.
    elevation : Quantity, shape ``(n_sat, n_site, n_time)`` [deg]
        Above the plane normal to the WGS84 ellipsoid normal at the site.
    range : Quantity, shape ``(n_sat, n_site, n_time)`` [m]
        Slant range.
    range_rate : Quantity, shape ``(n_sat, n_site, n_time)`` [m/s]
        Positive when the satellite recedes.
    error : ndarray of int8, shape ``(n_sat, n_time)``
        Propagation error code per satellite and time (``oc.ERROR_CODES``); where it
        is not 0 the angles are NaN.

    For a single (scalar) time the time axis is dropped: shapes ``(n_sat, n_site)``
    and ``(n_sat,)``.
    """

    azimuth: pint.Quantity
    elevation: pint.Quantity
    range: pint.Quantity
    range_rate: pint.Quantity
    error: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        """``(n_sat, n_site, n_time)``, or ``(n_sat, n_site)`` for a scalar time."""
        return tuple(self.elevation.shape)


# --------------------------------------------------------------------------- sites
def _frozen(a, dtype=np.float64) -> np.ndarray:
    out = np.array(a, dtype=dtype, copy=True).reshape(-1)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class GroundSites:
    """An immutable set of ground sites on the WGS84 ellipsoid.

    Build one with :meth:`from_latlon`, :meth:`from_csv` or :meth:`cities`; the
    direct constructor takes SI arrays and does not range-check them.

    Attributes
    ----------
    names : tuple of str, length ``n_site``
    lat_rad, lon_rad : ndarray, shape ``(n_site,)`` [rad]
        Geodetic WGS84 latitude and longitude (longitude in ``[-pi, pi)`` when built
        by the ``from_*`` constructors).
    height_m : ndarray, shape ``(n_site,)`` [m]
        Height above the WGS84 ellipsoid (not above the geoid / sea level).
    population : ndarray of int64, shape ``(n_site,)``, or None
        Population of each site [persons], where known (e.g. :meth:`cities`).
    ecef : ndarray, shape ``(n_site, 3)`` [m]
        Earth-fixed (ITRS) positions.
    enu : ndarray, shape ``(n_site, 3, 3)`` [-]
        ITRS -> East-North-Up rotations (rows East, North, Up; Up is the ellipsoid normal).

    All arrays are read-only copies.

    Examples
    --------
    >>> from orbitcompute.stations import GroundSites
    >>> s = GroundSites.from_latlon(0.0, 0.0)
    >>> s.ecef.round(3).tolist()
    [[6378137.0, 0.0, 0.0]]
    >>> s[[0, 0]].names
    ('site0', 'site0')
    """

    names: tuple[str, ...]
    lat_rad: np.ndarray
    lon_rad: np.ndarray
    height_m: np.ndarray
    population: np.ndarray | None = None
    _ecef: np.ndarray = field(init=False, repr=False)
    _enu: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        names = (self.names,) if isinstance(self.names, str) else tuple(str(n) for n in self.names)
        lat, lon, h = _frozen(self.lat_rad), _frozen(self.lon_rad), _frozen(self.height_m)
        n = len(names)
        for fname, arr in (("lat_rad", lat), ("lon_rad", lon), ("height_m", h)):
            if arr.shape != (n,):
                raise InputError(
                    f"{fname}: has {arr.size} values for {n} names; give one value per site"
                )
        pop = None
        if self.population is not None:
            pop = _frozen(self.population, np.int64)
            if pop.shape != (n,):
                raise InputError(f"population: has {pop.size} values for {n} sites; give one per site or None")
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "lat_rad", lat)
        object.__setattr__(self, "lon_rad", lon)
        object.__setattr__(self, "height_m", h)
        object.__setattr__(self, "population", pop)
        ecef = geodetic_to_ecef(lat, lon, h).reshape(n, 3)
        enu = enu_matrices(lat, lon).reshape(n, 3, 3)
        ecef.setflags(write=False)
        enu.setflags(write=False)
        object.__setattr__(self, "_ecef", ecef)
        object.__setattr__(self, "_enu", enu)

    # ------------------------------------------------------------ container protocol
    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, idx) -> "GroundSites":
        """Subset by integer, slice, integer array or boolean mask of length ``n_site``.

        Always returns a :class:`GroundSites` (an integer gives one site).
        """
        n = len(self)
        if isinstance(idx, (int, np.integer)):
            k = int(idx)
            if not -n <= k < n:
                raise IndexError(f"site index {k} is out of range for {n} sites")
            sel = np.array([k % n])
        elif isinstance(idx, slice):
            sel = np.arange(n)[idx]
        else:
            a = np.asarray(idx)
            if a.dtype == bool:
                if a.shape != (n,):
                    raise IndexError(f"boolean mask has shape {a.shape}; expected ({n},)")
                sel = np.flatnonzero(a)
            elif a.size == 0:
                sel = np.zeros(0, dtype=np.intp)
            elif np.issubdtype(a.dtype, np.integer):
                sel = a.reshape(-1)
                out_of_range = (sel < -n) | (sel >= n)
                if out_of_range.any():
                    raise IndexError(
                        f"site indices {sel[out_of_range][:5].tolist()} are out of range for {n} sites"
                    )
                sel = sel % n if n else sel
            else:
                raise IndexError(
                    f"cannot index GroundSites with {idx!r}; use an int, slice, int array or boolean mask"
                )
        return GroundSites(
            tuple(self.names[k] for k in sel),
            self.lat_rad[sel],
            self.lon_rad[sel],
            self.height_m[sel],
            None if self.population is None else self.population[sel],
        )

    def __repr__(self) -> str:
        n = len(self)
        shown = ", ".join(self.names[:3]) + (", ..." if n > 3 else "")
        pop = ", with population" if self.population is not None else ""
        return f"<GroundSites: {n} site{'s' if n != 1 else ''} ({shown}){pop}>"

    @property
    def ecef(self) -> np.ndarray:
        """Earth-fixed (ITRS) positions, shape ``(n_site, 3)`` [m]."""
        return self._ecef

    @property
    def enu(self) -> np.ndarray:
        """ITRS -> East-North-Up rotation matrices, shape ``(n_site, 3, 3)``."""
        return self._enu

    @property
    def latitude(self) -> pint.Quantity:
        """Geodetic latitude, shape ``(n_site,)`` [deg]."""
        return quantity(np.degrees(self.lat_rad), "deg")

    @property
    def longitude(self) -> pint.Quantity:
        """Longitude, shape ``(n_site,)`` [deg]."""
        return quantity(np.degrees(self.lon_rad), "deg")

    @property
    def height(self) -> pint.Quantity:
        """Height above the WGS84 ellipsoid, shape ``(n_site,)`` [m]."""
        return quantity(self.height_m, "m")

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_latlon(cls, lat_deg, lon_deg, height_m=0.0, names: Sequence[str] | None = None) -> "GroundSites":
        """Sites from geodetic latitude and longitude and height above the ellipsoid.

        The three arrays broadcast against each other (scalar, 1-element or
        ``n_site``-element); bare numbers are taken in the unit the name carries.

        Parameters
        ----------
        lat_deg : float, array_like or Quantity [deg]
            Geodetic WGS84 latitude, -90..90.  Scalar or shape ``(n_site,)``.
        lon_deg : float, array_like or Quantity [deg]
            Longitude, -180..360 (east positive; stored wrapped to -180..180).
        height_m : float, array_like or Quantity [m], default 0
            Height above the WGS84 ellipsoid.
        names : sequence of str, optional
            One per site; default ``site0, site1, ...``.

        Returns
        -------
        GroundSites
            ``n_site`` sites (1 for all-scalar input).

        Raises
        ------
        InputError
            For NaN or out-of-range values (the message names the field, index and
            value), arrays of incompatible lengths, or a wrong number of names.
        UnitError
            For quantities that are not angles / lengths.

        Examples
        --------
        >>> from orbitcompute.stations import GroundSites
        >>> GroundSites.from_latlon([10.0, 20.0, 30.0], 5.0, height_m=100.0).lat_rad.shape
        (3,)
        """
        arrays = {
            "lat_deg": np.atleast_1d(magnitude(lat_deg, "deg", "lat_deg", allow_float=True)),
            "lon_deg": np.atleast_1d(magnitude(lon_deg, "deg", "lon_deg", allow_float=True)),
            "height_m": np.atleast_1d(magnitude(height_m, "m", "height_m", allow_float=True)),
        }
        for fname, a in arrays.items():
            if a.ndim != 1:
                raise InputError(
                    f"{fname}: expected a scalar or a 1-D array, got shape {a.shape}; flatten it first"
                )
        try:
            lat, lon, h = np.broadcast_arrays(*arrays.values())
        except ValueError:
            sizes = ", ".join(f"{k} has {v.size}" for k, v in arrays.items())
            raise InputError(
                f"lat_deg, lon_deg, height_m: lengths do not match ({sizes}); give each "
                "either one value or one value per site"
            ) from None
        if names is not None and isinstance(names, str):
            names = [names]
        if names is not None:
            names = tuple(str(n) for n in names)
        _check_range("lat_deg", lat, -90.0, 90.0, "did you swap latitude and longitude?")
        _check_range("lon_deg", lon, -180.0, 360.0, "give east longitude in -180..360 deg")
        _check_range("height_m", h, -np.inf, np.inf, "give a finite height above the ellipsoid in metres")
        if names is None:
            names = tuple(f"site{k}" for k in range(lat.size))
        if len(names) != lat.size:
            raise InputError(
                f"names: got {len(names)} names for {lat.size} sites; give one name per site or names=None"
            )
        lon = (lon + 180.0) % 360.0 - 180.0
        return cls(names, np.radians(lat), np.radians(lon), np.array(h, dtype=float))

    @classmethod
    def from_csv(cls, path: str | PathLike) -> "GroundSites":
        """Read sites from a CSV file with a header row.

        Columns (extra columns are ignored):

        * ``name`` (required)
        * latitude [deg]: ``latitude_deg``, ``lat_deg`` or ``latitude`` (required)
        * longitude [deg]: ``longitude_deg``, ``lon_deg`` or ``longitude`` (required)
        * ``height_m`` [m] above the WGS84 ellipsoid (optional, default 0; an empty
          cell means 0)
        * ``population`` (optional; kept as :attr:`population` when every row has it)

        The file is read as UTF-8 (a byte-order mark is accepted); blank lines are
        skipped.

        Parameters
        ----------
        path : str or path-like

        Returns
        -------
        GroundSites
            One site per data row, in file order.

        Raises
        ------
        ParseError (an InputError)
            Naming the file, the 1-based line number, the column and the value, for a
            missing column, an unparsable or out-of-range number or an empty name.
        """
        path = Path(path)
        src = str(path)
        try:
            f = open(path, encoding="utf-8-sig", newline="")
        except FileNotFoundError:
            raise InputError(f"{src}: no such file; check the path") from None
        with f:
            reader = csv.reader(f)
            header = None
            for header in reader:
                if any(c.strip() for c in header):
                    break
            if not header or not any(c.strip() for c in header):
                raise ParseError(src, None, "the file is empty; expected a header row such as "
                                 "'name,latitude_deg,longitude_deg,height_m'")
            header_line = reader.line_num
            cols = [c.strip().lower() for c in header]
            idx = {}
            for key, aliases in _CSV_ALIASES.items():
                for a in aliases:
                    if a in cols:
                        idx[key] = cols.index(a)
                        break
            for key in ("name", "lat", "lon"):
                if key not in idx:
                    raise ParseError(
                        src, header_line,
                        f"no {key!r} column in the header {header!r}; expected one of "
                        f"{', '.join(_CSV_ALIASES[key])}",
                    )
            names, lats, lons, hs, pops = [], [], [], [], []
            for row in reader:
                line = reader.line_num
                if not any(c.strip() for c in row):
                    continue
                if len(row) < len(header):
                    raise ParseError(src, line, f"has {len(row)} fields but the header has {len(header)}: {row!r}")

                def num(key, lo, hi, hint, default=None):
                    col = cols[idx[key]]
                    text = row[idx[key]].strip()
                    if text == "" and default is not None:
                        return default
                    try:
                        x = float(text)
                    except ValueError:
                        raise ParseError(src, line, f"column {col}: {text!r} is not a number") from None
                    if not (lo <= x <= hi):  # also rejects NaN
                        raise ParseError(src, line, f"column {col}: {text!r} is outside {lo:g}..{hi:g}; {hint}")
                    return x

                name = row[idx["name"]].strip()
                if not name:
                    raise ParseError(src, line, "column name: empty; give every site a name")
                names.append(name)
                lats.append(num("lat", -90.0, 90.0, "did you swap latitude and longitude?"))
                lons.append(num("lon", -180.0, 360.0, "give east longitude in degrees"))
                hs.append(num("height", -math.inf, math.inf, "give a finite height in metres", 0.0)
                          if "height" in idx else 0.0)
                if "population" in idx:
                    text = row[idx["population"]].strip()
                    try:
                        pops.append(int(float(text)) if text else None)
                    except ValueError:
                        raise ParseError(src, line, f"column population: {text!r} is not a number") from None
                    if pops[-1] is not None and pops[-1] < 0:
                        raise ParseError(src, line, f"column population: {text!r} is negative")
        if not names:
            raise ParseError(src, None, "has a header but no data rows")
        sites = cls.from_latlon(np.array(lats), np.array(lons), np.array(hs), names=names)
        if pops and all(p is not None for p in pops):
            sites = cls(sites.names, sites.lat_rad, sites.lon_rad, sites.height_m, np.array(pops, np.int64))
        return sites

    @classmethod
    def cities(
        cls,
        min_population: int = 1_000_000,
        limit: int | None = None,
        countries: str | Iterable[str] | None = None,
        continents: str | Iterable[str] | None = None,
    ) -> "GroundSites":
        """World cities with at least a million inhabitants, from the shipped ``cities.csv``.

        Source: GeoNames (CC BY 4.0, "GeoNames, geonames.org"), see
        ``orbitcompute/data/SOURCES.md``.  Heights are 0 m above the ellipsoid.

        Parameters
        ----------
        min_population : int, default 1,000,000
            Keep cities with at least this population; the shipped list starts at
            1,000,000, so smaller values are refused.
        limit : int, optional
            Keep only the ``limit`` most populous cities (after the other filters).
        countries : str or iterable of str, optional
            ISO 3166-1 alpha-2 codes, e.g. ``["JP", "IN"]`` (case-insensitive).
        continents : str or iterable of str, optional
            Continent codes of :data:`CONTINENTS` (``AF AS EU NA OC SA AN``).

        Returns
        -------
        GroundSites
            Sorted by population, largest first, with :attr:`population` set.  Names
            are the GeoNames names folded to ASCII; a name shared by several cities
            of the list gets ``", CC"`` (country code) appended, and, if still not
            unique, ``" (geonameid N)"``, e.g. ``"Hyderabad, IN"``,
            ``"Suzhou, CN (geonameid 1886760)"``.  Names do not depend on the filters.

        Raises
        ------
        InputError
            For an unknown continent, a country code with no shipped city, a
            ``min_population`` below 1,000,000 or a non-positive ``limit``.

        Examples
        --------
        >>> from orbitcompute.stations import GroundSites
        >>> len(GroundSites.cities(countries="JP")) > 5
        True
        """
        table = _cities_table()
        mp = float(min_population)
        if not mp >= 1_000_000:
            raise InputError(
                f"min_population: {min_population!r} is below 1,000,000, the threshold of the shipped "
                "city list; for smaller places use GroundSites.from_csv with your own list, or "
                "regenerate the list with tools/make_cities.py --min-population"
            )
        keep = table["population"] >= mp
        if countries is not None:
            codes = _codes(countries, "countries")
            known = set(table["country_code"].tolist())
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise InputError(
                    f"countries: no shipped city (population >= 1,000,000) has country code "
                    f"{', '.join(map(repr, unknown))}; use ISO 3166-1 alpha-2 codes such as 'JP', 'IN', 'US'"
                )
            keep &= np.isin(table["country_code"], codes)
        if continents is not None:
            codes = _codes(continents, "continents")
            unknown = [c for c in codes if c not in CONTINENTS]
            if unknown:
                raise InputError(
                    f"continents: unknown code {', '.join(map(repr, unknown))}; use one of "
                    f"{', '.join(CONTINENTS)} ({', '.join(f'{k}={v}' for k, v in CONTINENTS.items())})"
                )
            keep &= np.isin(table["continent"], codes)
        sel = np.flatnonzero(keep)
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1:
                raise InputError(
                    f"limit: {limit!r} is not a positive integer; e.g. limit=100, or limit=None for all"
                )
            sel = sel[: int(limit)]
        return cls(
            tuple(table["name"][k] for k in sel),
            table["lat_rad"][sel],
            table["lon_rad"][sel],
            np.zeros(sel.size),
            table["population"][sel],
        )

    # ------------------------------------------------------------ geometry
    def look_angles(self, con, times, *, max_bytes: int = 256 * 2**20) -> LookAngles:
        """Azimuth, elevation, slant range and range rate of every satellite from every site.

        Elevation is geometric (no atmospheric refraction, no light time) above the
        plane normal to the WGS84 ellipsoid normal at the site (geodetic up).

        Parameters
        ----------
        con : orbitcompute.Constellation
            ``n_sat`` satellites.
        times : time-like, scalar or shape ``(n_time,)``
            See :func:`orbitcompute.time.to_time`.
        max_bytes : int, default 256 MiB
            Bound on the temporary memory; the work is done in blocks of times.  The
            result itself takes ``32 * n_sat * n_site * n_time`` bytes.

        Returns
        -------
        LookAngles
            Quantities of shape ``(n_sat, n_site, n_time)`` (``(n_sat, n_site)`` for a
            scalar time), azimuth and elevation in [deg], range in [m], range rate in
            [m/s]; NaN where propagation failed (see ``LookAngles.error``).

        Examples
        --------
        >>> import orbitcompute as oc
        >>> from orbitcompute.stations import GroundSites
        >>> con = oc.Constellation.walker_delta(total=6, planes=2, phasing=1, altitude=550 * oc.u.km,
        ...     inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
        >>> t = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T00:10:00Z", step=60 * oc.u.s)
        >>> GroundSites.cities(limit=4).look_angles(con, t).shape
        (6, 4, 11)
        """

        t = to_time(times, "times")
        scalar = not t.shape
        if scalar:
            t = timescale().tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
        n_sat, n_site, n_time = len(con), len(self), len(t)
        shape = (n_sat, n_site, n_time)
        out = [np.empty(shape) for _ in range(4)]
        err = np.zeros((n_sat, n_time), dtype=np.int8)
        # per time step: 3 floats of the rho temporary + 4 outputs per (sat, site),
        # plus propagation (~13 floats per satellite)
        per_time = 8 * (7 * max(1, n_sat) * max(1, n_site) + 13 * max(1, n_sat))
        step = max(1, int(max_bytes) // per_time)
        for k0 in range(0, n_time, step):
            sl = slice(k0, min(n_time, k0 + step))
            r, v, e = con.states_si(t[sl], "itrs")
            res = look_angles_si(r, v, self.ecef, self.enu)
            for o, x in zip(out, res):
                o[:, :, sl] = x
            err[:, sl] = e
        az, el, rng, rdot = out
        if scalar:
            az, el, rng, rdot, err = az[..., 0], el[..., 0], rng[..., 0], rdot[..., 0], err[:, 0]
        return LookAngles(
            quantity(np.degrees(az, out=az), "deg"),
            quantity(np.degrees(el, out=el), "deg"),
            quantity(rng, "m"),
            quantity(rdot, "m/s"),
            err,
        )


# --------------------------------------------------------------------------- helpers
def _check_range(fname: str, a: np.ndarray, lo: float, hi: float, hint: str) -> None:
    bad = ~((a >= lo) & (a <= hi))  # NaN fails both comparisons
    if np.isinf(lo) and np.isinf(hi):
        bad = ~np.isfinite(a)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        what = "is not a number" if np.isnan(a[k]) else (
            "is not finite" if np.isinf(a[k]) else f"is outside {lo:g}..{hi:g}"
        )
        more = f" ({int(bad.sum())} bad values in all)" if bad.sum() > 1 else ""
        raise InputError(f"{fname}[{k}] = {float(a[k])!r} {what}{more}; {hint}")


def _codes(value, name: str) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    out = []
    for c in items:
        if not isinstance(c, str):
            raise InputError(f"{name}: {c!r} is not a code string; e.g. {name}=['JP', 'IN']")
        out.append(c.strip().upper())
    return out


def _unique_names(names: list[str], cc: list[str], gid: list[int]) -> list[str]:
    from collections import Counter

    count = Counter(names)
    out = [f"{n}, {c}" if count[n] > 1 else n for n, c in zip(names, cc)]
    count2 = Counter(out)
    return [f"{n} (geonameid {g})" if count2[n] > 1 else n for n, g in zip(out, gid)]


@lru_cache(maxsize=1)
def _cities_table() -> dict[str, np.ndarray]:
    """The shipped ``cities.csv`` as arrays (read once, on first use)."""
    from importlib.resources import files

    res = files("orbitcompute").joinpath("data", "cities.csv")
    text = res.read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    names = _unique_names(
        [r["name"] for r in rows], [r["country_code"] for r in rows], [int(r["geonameid"]) for r in rows]
    )
    table = {
        "name": np.array(names, dtype=object),
        "country_code": np.array([r["country_code"] for r in rows]),
        "continent": np.array([r["continent"] for r in rows]),
        "lat_rad": np.radians(np.array([float(r["latitude_deg"]) for r in rows])),
        "lon_rad": np.radians(np.array([float(r["longitude_deg"]) for r in rows])),
        "population": np.array([int(r["population"]) for r in rows], dtype=np.int64),
        "geonameid": np.array([int(r["geonameid"]) for r in rows], dtype=np.int64),
    }
    for a in table.values():
        a.setflags(write=False)
    return table
