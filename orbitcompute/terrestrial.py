"""Terrestrial data-centre sites: public cloud regions, distances, and local electricity.

:class:`TerrestrialSites` holds named sites (the shipped AWS, Google Cloud and Azure
regions, or hypothetical ones) with their country; :meth:`TerrestrialSites.nearest`
finds the closest sites to any places by great-circle distance.  Each site's grid
carbon intensity and industrial electricity price come from the shipped country table
as :class:`~orbitcompute.provenance.Assumption` records (value, source, year, range);
:func:`pue` and :func:`wue` give data-centre efficiency defaults with their sources.

Distances are great circles on a sphere of the mean Earth radius
R1 = 6371.0088 km (IUGG, Moritz 2000), computed with the haversine formula.  The
sphere differs from the WGS84 ellipsoid's geodesic by up to about 0.5 %, far below
the uncertainty of a fibre route's length (the route inflation factor is 1.5-2.1).

Data sources and licences: ``orbitcompute/data/SOURCES.md``; see ``docs/places.md``.

Examples
--------
>>> from orbitcompute.terrestrial import TerrestrialSites
>>> aws = TerrestrialSites.cloud_regions("aws")
>>> idx, dist = aws.nearest(51.5074, -0.1278)      # London
>>> aws.codes[idx[0, 0]], round(dist[0, 0].m)
('eu-west-2', 0)
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Iterable, Sequence

import numpy as np
import pint

from .errors import InputError
from .provenance import Assumption
from .stations import GroundSites
from .units import magnitude, quantity, u

__all__ = [
    "TerrestrialSites",
    "great_circle_distance",
    "haversine_m",
    "carbon_intensity",
    "electricity_price",
    "pue",
    "wue",
    "EARTH_MEAN_RADIUS_M",
    "PROVIDERS",
]

#: Mean Earth radius R1 = (2a + b) / 3 of GRS80 [m] (Moritz 2000, "Geodetic Reference
#: System 1980", J. Geodesy 74, 128-133, https://doi.org/10.1007/s001900050278).
EARTH_MEAN_RADIUS_M = 6371008.8

#: Provider codes of the shipped cloud regions.
PROVIDERS: dict[str, str] = {"aws": "Amazon Web Services", "gcp": "Google Cloud", "azure": "Microsoft Azure"}

#: Location basis of a shipped region's coordinates, see ``docs/places.md``.
LOCATION_BASES = ("city", "nearby", "subdivision", "country")


def _ensure_currency() -> None:
    """Define ``USD`` in the package registry if no other module has (idempotent)."""
    if "USD" not in u:
        u.define("USD = [currency]")


# --------------------------------------------------------------------------- kernels
def haversine_m(lat1_rad, lon1_rad, lat2_rad, lon2_rad, radius_m: float = EARTH_MEAN_RADIUS_M) -> np.ndarray:
    """Great-circle distance on a sphere (haversine formula); broadcasting kernel.

    Parameters
    ----------
    lat1_rad, lon1_rad, lat2_rad, lon2_rad : array_like [rad]
        Broadcast against each other.
    radius_m : float [m], default :data:`EARTH_MEAN_RADIUS_M`

    Returns
    -------
    ndarray [m]
        Shape of the broadcast inputs.

    Notes
    -----
    ``d = 2 R asin( sqrt( sin^2(dphi/2) + cos(phi1) cos(phi2) sin^2(dlambda/2) ) )``;
    the argument of ``asin`` is clipped to ``[0, 1]`` so that antipodal points give
    ``pi R`` despite rounding.  Well conditioned at short range; near antipodes the
    rounding of ``h`` limits the accuracy to about 0.1 m.
    """
    p1 = np.asarray(lat1_rad, dtype=np.float64)
    p2 = np.asarray(lat2_rad, dtype=np.float64)
    dl = np.asarray(lon2_rad, dtype=np.float64) - np.asarray(lon1_rad, dtype=np.float64)
    h = np.sin(0.5 * (p2 - p1)) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(0.5 * dl) ** 2
    return 2.0 * radius_m * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def great_circle_distance(lat1_deg, lon1_deg, lat2_deg, lon2_deg) -> pint.Quantity:
    """Great-circle distance between places on a sphere of radius 6371.0088 km.

    Parameters
    ----------
    lat1_deg, lon1_deg, lat2_deg, lon2_deg : float, array_like or Quantity [deg]
        Broadcast against each other.

    Returns
    -------
    Quantity [km]
        Shape of the broadcast inputs.

    Examples
    --------
    >>> from orbitcompute.terrestrial import great_circle_distance
    >>> round(float(great_circle_distance(51.5074, -0.1278, 40.7128, -74.0060).m))   # London - New York
    5570
    """
    a = [np.radians(magnitude(x, "deg", n, allow_float=True)) for x, n in
         ((lat1_deg, "lat1_deg"), (lon1_deg, "lon1_deg"), (lat2_deg, "lat2_deg"), (lon2_deg, "lon2_deg"))]
    for x, n in ((a[0], "lat1_deg"), (a[2], "lat2_deg")):
        if np.any(~(np.abs(x) <= math.pi / 2 + 1e-12)):
            raise InputError(f"{n}: latitudes must lie in -90..90 deg; did you swap latitude and longitude?")
    return quantity(haversine_m(*a) / 1000.0, "km")


# --------------------------------------------------------------------------- shipped tables
@lru_cache(maxsize=1)
def _regions_table() -> list[dict]:
    text = files("orbitcompute").joinpath("data", "cloud_regions.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def _grid_table() -> dict[str, dict]:
    text = files("orbitcompute").joinpath("data", "grid_electricity.csv").read_text(encoding="utf-8")
    return {r["area"]: r for r in csv.DictReader(text.splitlines())}


#: World default when a country has no carbon intensity in the table: codecarbon's
#: world average, from the IEA Global Energy & CO2 Status Report 2019 (year 2018).
_CARBON_DEFAULT = (475.0, "IEA Global Energy & CO2 Status Report 2019 world average, as used by codecarbon 3.3.2", 2018)
#: World default industrial electricity price: the US industrial average (EIA 2023);
#: low = Starcloud white paper's $0.04/kWh (REFERENCES case 4); high = GlobalPetrolPrices
#: world average business price Q4 2024 ($0.147/kWh, incl. taxes, 1 GWh/yr consumer).
_PRICE_DEFAULT = (0.0806, 0.04, 0.147)


@lru_cache(maxsize=1)
def _carbon_range() -> tuple[float, float]:
    """10th and 90th percentiles of the shipped per-country carbon intensities [g/kWh]."""
    v = np.array([float(r["carbon_intensity_g_per_kwh"]) for r in _grid_table().values()
                  if r["carbon_intensity_g_per_kwh"]])
    return float(np.percentile(v, 10)), float(np.percentile(v, 90))


def _check_country(code: str, name: str = "country_code") -> str:
    if not isinstance(code, str) or len(code.strip()) != 2 or not code.strip().isalpha():
        raise InputError(f"{name}: {code!r} is not an ISO 3166-1 alpha-2 code; e.g. 'US', 'DE', 'JP'")
    return code.strip().upper()


def carbon_intensity(country_code: str) -> Assumption:
    """Grid carbon intensity of electricity generation in a country.

    Parameters
    ----------
    country_code : str
        ISO 3166-1 alpha-2.

    Returns
    -------
    Assumption
        ``value`` [g/kWh] of CO2-equivalent per kWh generated (life-cycle factors, as
        Ember computes them), with ``source`` and ``year`` of the country's latest data.
        ``low``/``high`` are the 10th/90th percentiles of all shipped countries, a
        range for sensitivity studies.  A country absent from the table gets the world
        default (475 g/kWh, IEA 2019) and a ``note`` saying so.

    Raises
    ------
    InputError
        If ``country_code`` is not a two-letter code.

    Examples
    --------
    >>> from orbitcompute.terrestrial import carbon_intensity
    >>> a = carbon_intensity("FR")
    >>> a.value.units == "gram / kilowatt_hour", a.year >= 2022
    (True, True)
    """
    cc = _check_country(country_code)
    lo, hi = _carbon_range()
    row = _grid_table().get(cc)
    if row is None or not row["carbon_intensity_g_per_kwh"]:
        v, src, yr = _CARBON_DEFAULT
        return Assumption(f"carbon_intensity_{cc}", v, "g/kWh", src, yr, min(lo, v), max(hi, v),
                          note=f"no value for {cc} in grid_electricity.csv; world default used")
    v = float(row["carbon_intensity_g_per_kwh"])
    return Assumption(f"carbon_intensity_{cc}", v, "g/kWh", row["carbon_source"], int(row["carbon_year"]),
                      min(lo, v), max(hi, v), note="CO2-equivalent per kWh of generation, annual average")


def electricity_price(country_code: str, subdivision: str | None = None) -> Assumption:
    """Industrial electricity price at a place.

    Parameters
    ----------
    country_code : str
        ISO 3166-1 alpha-2.
    subdivision : str, optional
        ISO 3166-2 code such as ``"US-VA"``; its price is used when the table has one.

    Returns
    -------
    Assumption
        ``value`` [USD/kWh] with source and year; ``note`` gives the consumer class, tax
        basis and currency conversion.  Shipped: the United States (EIA 2023, national
        and per state), the 27 EU members (Eurostat 2025-S2, non-household band ID,
        excluding VAT) and the United Kingdom (IEA 2023, secondary); any other place
        gets the documented default 0.0806 USD/kWh (the EIA 2023 US industrial average)
        with range 0.04-0.147 USD/kWh, and a ``note`` saying it is a default.

    Examples
    --------
    >>> from orbitcompute.terrestrial import electricity_price
    >>> electricity_price("US", "US-OR").si()
    0.0752
    >>> electricity_price("DE").year, electricity_price("JP").note.startswith("no price")
    (2025, True)
    """
    cc = _check_country(country_code)
    _ensure_currency()
    dv, dlo, dhi = _PRICE_DEFAULT
    table = _grid_table()
    for area in ([subdivision.strip().upper()] if subdivision else []) + [cc]:
        row = table.get(area)
        if row is not None and row["price_usd_per_kwh"]:
            v = float(row["price_usd_per_kwh"])
            return Assumption(f"electricity_price_{area}", v, "USD/kWh", row["price_source"],
                              int(row["price_year"]), min(dlo, v), max(dhi, v),
                              note=row.get("price_note") or "industrial consumers")
    return Assumption(
        f"electricity_price_{cc}", dv, "USD/kWh",
        "default: EIA 2023 US industrial average; low Starcloud white paper $0.04/kWh; "
        "high GlobalPetrolPrices world business average Q4 2024", 2023, dlo, dhi,
        note=f"no price for {cc} in grid_electricity.csv; documented default used",
    )


def pue() -> Assumption:
    """Data-centre power usage effectiveness (total facility power / IT power).

    Returns
    -------
    Assumption
        1.58 [-] (global average, Uptime Institute Global Data Center Survey 2023),
        range 1.1 (hyperscale, REFERENCES.md) to 1.58.

    Examples
    --------
    >>> from orbitcompute.terrestrial import pue
    >>> pue().si(), pue().low.m
    (1.58, 1.1)
    """
    return Assumption("pue", 1.58, "", "Uptime Institute Global Data Center Survey 2023 (global average)", 2023,
                      1.1, 1.58, note="hyperscale operators report 1.1-1.2; use low for a hyperscale site")


def wue() -> Assumption:
    """Data-centre site water use effectiveness (litres of water per kWh of IT energy).

    Returns
    -------
    Assumption
        0.38 [L/kWh] (US average, LBNL 2024 United States Data Center Energy Usage
        Report), range 0 (dry or closed-loop cooling) to 1.0 (rough engineering estimate
        for evaporative cooling in hot climates).

    Examples
    --------
    >>> from orbitcompute.terrestrial import wue
    >>> wue().value
    <Quantity(0.38, 'liter / kilowatt_hour')>
    """
    return Assumption("wue", 0.38, "L/kWh", "LBNL 2024 United States Data Center Energy Usage Report (US average)",
                      2024, 0.0, 1.0, note="site water only; high end is a rough engineering estimate")


# --------------------------------------------------------------------------- sites
def _frozen(a, dtype=np.float64) -> np.ndarray:
    out = np.array(a, dtype=dtype, copy=True).reshape(-1)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class TerrestrialSites:
    """An immutable table of terrestrial data-centre sites.

    Build with :meth:`cloud_regions` (shipped AWS, Google Cloud and Azure regions) or
    :meth:`from_latlon` (hypothetical sites).

    Attributes
    ----------
    providers, codes, names, cities, country_codes, subdivisions, location_basis : tuple of str, length ``n_site``
        ``providers`` as in :data:`PROVIDERS` (``"custom"`` for your own sites);
        ``codes`` the provider's region code (``"us-east-1"``); ``names`` its display
        name; ``subdivisions`` ISO 3166-2 (US only, else ``""``); ``location_basis``
        how the coordinates were chosen (``city``, ``nearby``, ``subdivision``,
        ``country``, or ``given``), see ``docs/places.md``.
    lat_rad, lon_rad : ndarray, shape ``(n_site,)`` [rad]

    Examples
    --------
    >>> from orbitcompute.terrestrial import TerrestrialSites
    >>> s = TerrestrialSites.from_latlon([60.0], [25.0], names=["Helsinki DC"], country_codes=["FI"])
    >>> s.carbon_intensity()[0].year >= 2022
    True
    """

    providers: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    cities: tuple[str, ...]
    country_codes: tuple[str, ...]
    subdivisions: tuple[str, ...]
    location_basis: tuple[str, ...]
    lat_rad: np.ndarray
    lon_rad: np.ndarray

    def __post_init__(self):
        n = len(self.codes)
        for f in ("providers", "names", "cities", "country_codes", "subdivisions", "location_basis"):
            v = tuple(getattr(self, f))
            if len(v) != n:
                raise InputError(f"{f}: {len(v)} values for {n} sites")
            object.__setattr__(self, f, v)
        object.__setattr__(self, "codes", tuple(self.codes))
        for f in ("lat_rad", "lon_rad"):
            a = _frozen(getattr(self, f))
            if a.shape != (n,):
                raise InputError(f"{f}: {a.size} values for {n} sites")
            object.__setattr__(self, f, a)

    def __len__(self) -> int:
        return len(self.codes)

    def __repr__(self) -> str:
        provs = sorted(set(self.providers))
        return f"<TerrestrialSites: {len(self)} sites ({', '.join(provs)})>"

    def __getitem__(self, idx) -> "TerrestrialSites":
        """Subset by int, slice, integer array or boolean mask; always a TerrestrialSites."""
        sel = np.atleast_1d(np.arange(len(self))[idx])

        def pick(t):
            return tuple(t[k] for k in sel)

        return TerrestrialSites(pick(self.providers), pick(self.codes), pick(self.names), pick(self.cities),
                                pick(self.country_codes), pick(self.subdivisions), pick(self.location_basis),
                                self.lat_rad[sel], self.lon_rad[sel])

    @property
    def latitude(self) -> pint.Quantity:
        """Latitude, shape ``(n_site,)`` [deg]."""
        return quantity(np.degrees(self.lat_rad), "deg")

    @property
    def longitude(self) -> pint.Quantity:
        """Longitude, shape ``(n_site,)`` [deg]."""
        return quantity(np.degrees(self.lon_rad), "deg")

    # ------------------------------------------------------------ constructors
    @classmethod
    def cloud_regions(cls, providers: str | Iterable[str] | None = None) -> "TerrestrialSites":
        """The shipped public cloud regions of AWS, Google Cloud and Azure.

        Parameters
        ----------
        providers : str or iterable of str, optional
            Any of ``"aws"``, ``"gcp"``, ``"azure"``; default all.

        Returns
        -------
        TerrestrialSites
            Sorted by provider then region code.  Coordinates are those of a GeoNames
            city chosen from the location each provider publishes (see
            ``location_basis`` and ``orbitcompute/data/SOURCES.md``).

        Raises
        ------
        InputError
            For an unknown provider.

        Examples
        --------
        >>> from orbitcompute.terrestrial import TerrestrialSites
        >>> len(TerrestrialSites.cloud_regions("gcp")) >= 25
        True
        """
        rows = _regions_table()
        if providers is not None:
            ps = [providers] if isinstance(providers, str) else list(providers)
            ps = [str(p).strip().lower() for p in ps]
            bad = [p for p in ps if p not in PROVIDERS]
            if bad:
                raise InputError(
                    f"providers: unknown {', '.join(map(repr, bad))}; use any of "
                    f"{', '.join(f'{k!r} ({v})' for k, v in PROVIDERS.items())}"
                )
            rows = [r for r in rows if r["provider"] in ps]
        return cls(
            tuple(r["provider"] for r in rows), tuple(r["code"] for r in rows), tuple(r["name"] for r in rows),
            tuple(r["city"] for r in rows), tuple(r["country_code"] for r in rows),
            tuple(r["subdivision"] for r in rows), tuple(r["location_basis"] for r in rows),
            np.radians([float(r["latitude_deg"]) for r in rows]),
            np.radians([float(r["longitude_deg"]) for r in rows]),
        )

    @classmethod
    def from_latlon(cls, lat_deg, lon_deg, *, names: Sequence[str], country_codes: Sequence[str],
                    subdivisions: Sequence[str] | None = None, provider: str = "custom") -> "TerrestrialSites":
        """Hypothetical sites at given coordinates.

        Parameters
        ----------
        lat_deg, lon_deg : array_like, shape ``(n,)`` [deg]
        names : sequence of str, length ``n``
        country_codes : sequence of str, length ``n``
            ISO 3166-1 alpha-2 (for electricity price and carbon intensity).
        subdivisions : sequence of str, optional
            ISO 3166-2 such as ``"US-TX"`` (``""`` where none).
        provider : str, default ``"custom"``

        Returns
        -------
        TerrestrialSites
        """
        g = GroundSites.from_latlon(lat_deg, lon_deg, names=names)  # validates ranges
        n = len(g)
        cc = tuple(_check_country(c, "country_codes") for c in country_codes)
        if len(cc) != n:
            raise InputError(f"country_codes: {len(cc)} codes for {n} sites")
        sub = tuple(subdivisions) if subdivisions is not None else ("",) * n
        return cls((provider,) * n, tuple(g.names), tuple(g.names), tuple(g.names), cc, sub,
                   ("given",) * n, g.lat_rad, g.lon_rad)

    def to_ground_sites(self) -> GroundSites:
        """The sites as :class:`~orbitcompute.stations.GroundSites` (height 0), named ``provider:code``."""
        return GroundSites(tuple(f"{p}:{c}" for p, c in zip(self.providers, self.codes)),
                           self.lat_rad, self.lon_rad, np.zeros(len(self)))

    # ------------------------------------------------------------ geometry
    def nearest(self, lat_deg, lon_deg, k: int = 1) -> tuple[np.ndarray, pint.Quantity]:
        """The ``k`` sites nearest to each place by great-circle distance.

        Parameters
        ----------
        lat_deg, lon_deg : float, array_like or Quantity [deg]
            ``n_place`` places (scalars count as one place).
        k : int, default 1
            How many sites per place, nearest first (``1 <= k <= n_site``).

        Returns
        -------
        indices : ndarray of int, shape ``(n_place, k)``
            Row indices into this table.
        distance : Quantity, shape ``(n_place, k)`` [km]
            Great-circle distance on the 6371.0088 km sphere.

        Notes
        -----
        Computes the full ``(n_place, n_site)`` distance matrix (8 bytes per pair) and
        selects with ``argpartition`` then sorts the ``k`` kept, ``O(n_place n_site)``.

        Examples
        --------
        >>> from orbitcompute.terrestrial import TerrestrialSites
        >>> gcp = TerrestrialSites.cloud_regions("gcp")
        >>> idx, d = gcp.nearest([35.68], [139.69], k=2)
        >>> [gcp.codes[i] for i in idx[0]]
        ['asia-northeast1', 'asia-northeast2']
        """
        n_site = len(self)
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= n_site:
            raise InputError(f"k: {k!r} must be an integer in 1..{n_site} (the number of sites)")
        lat = np.radians(magnitude(lat_deg, "deg", "lat_deg", allow_float=True)).reshape(-1)
        lon = np.radians(magnitude(lon_deg, "deg", "lon_deg", allow_float=True)).reshape(-1)
        if lat.shape != lon.shape:
            raise InputError(f"lat_deg, lon_deg: {lat.size} and {lon.size} values; give one longitude per latitude")
        if np.any(~(np.abs(lat) <= math.pi / 2 + 1e-12)):
            raise InputError("lat_deg: latitudes must lie in -90..90 deg; did you swap latitude and longitude?")
        d = haversine_m(lat[:, None], lon[:, None], self.lat_rad[None, :], self.lon_rad[None, :])
        if k < n_site:
            part = np.argpartition(d, k - 1, axis=1)[:, :k]
        else:
            part = np.broadcast_to(np.arange(n_site), d.shape).copy()
        dk = np.take_along_axis(d, part, axis=1)
        order = np.argsort(dk, axis=1, kind="stable")
        idx = np.take_along_axis(part, order, axis=1)
        return idx, quantity(np.take_along_axis(dk, order, axis=1) / 1000.0, "km")

    # ------------------------------------------------------------ electricity
    def carbon_intensity(self) -> tuple[Assumption, ...]:
        """Grid carbon intensity per site (see :func:`carbon_intensity`), length ``n_site``."""
        return tuple(carbon_intensity(c) for c in self.country_codes)

    def electricity_price(self) -> tuple[Assumption, ...]:
        """Industrial electricity price per site (see :func:`electricity_price`), length ``n_site``."""
        return tuple(electricity_price(c, s or None) for c, s in zip(self.country_codes, self.subdivisions))
