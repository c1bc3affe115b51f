"""User regions: population-weighted sets of places, and maps of the world by country.

A :class:`Region` is where a workload's users are: a :class:`~orbitcompute.stations.GroundSites`
of places plus one weight per place (population shares summing to 1).  Regions are built
from the shipped GeoNames cities of at least a million people (continents, UN M49
sub-regions, countries, a lat/lon polygon) or from any custom places.  Per-place results
(e.g. a round-trip time per city) become per-region statistics with
:func:`weighted_percentiles`.

Layers
------
* Kernels on plain arrays: :func:`weighted_percentiles`, :func:`points_in_polygon`.
* Domain object: :class:`Region` with ``from_*`` constructors; :func:`world_regions`.
* Shipped data readers: :func:`country_table` (ISO -> UN M49), :func:`country_outlines`
  (Natural Earth 1:110m), and the figure :func:`orbitcompute.plotting.plot_region_map`.

Data sources and licences are in ``orbitcompute/data/SOURCES.md``; see also ``docs/places.md``.

Examples
--------
>>> from orbitcompute.regions import Region, world_regions
>>> eu = Region.from_continents("EU")
>>> round(float(eu.weights.sum()), 12)
1.0
>>> [r.name for r in world_regions()]
['Africa', 'Asia', 'Europe', 'North America', 'Oceania', 'South America']
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Iterable, Sequence

import numpy as np
import pint

from ._moved import moved
from .errors import InputError, UnitError
from .stations import CONTINENTS, GroundSites, _cities_table, _frozen
from .units import magnitude

__all__ = [
    "Region",
    "world_regions",
    "default_regions",
    "weighted_percentiles",
    "points_in_polygon",
    "country_table",
    "country_outlines",
    "INHABITED_CONTINENTS",
]

#: The six inhabited continents (GeoNames codes), the default set of world regions.
INHABITED_CONTINENTS: tuple[str, ...] = ("AF", "AS", "EU", "NA", "OC", "SA")


# --------------------------------------------------------------------------- kernels
def weighted_percentiles(values, weights, q, *, nan: str = "omit") -> np.ndarray:
    """Weighted percentiles by the inverted empirical CDF (no interpolation).

    The ``q``-th percentile is the smallest value whose cumulative weight reaches
    ``q/100`` of the total weight.  With integer weights this equals
    ``np.percentile(np.repeat(values, weights), q, method="inverted_cdf")``: each
    place counts as many times as it has users.

    Parameters
    ----------
    values : array_like, shape ``(..., n)`` [any unit]
        Per-place values along the last axis (e.g. round-trip time per city; leading
        axes such as time are kept).  A pint Quantity keeps its unit.
    weights : array_like, shape ``(n,)`` or the shape of ``values`` [-]
        Non-negative weights (e.g. population); they need not sum to 1.
    q : float or array_like, shape ``(k,)`` [percent]
        Percentiles in ``[0, 100]``, e.g. ``[50, 95, 99]``.
    nan : {"omit", "propagate"}
        ``"omit"`` drops NaN values with their weight (e.g. no route at that time);
        ``"propagate"`` gives NaN for any row that has a NaN.

    Returns
    -------
    ndarray or Quantity, shape ``q.shape + values.shape[:-1]``
        NaN for rows whose (remaining) total weight is 0.

    Raises
    ------
    InputError
        For negative or non-finite weights, mismatched shapes, ``q`` outside 0..100.

    Notes
    -----
    Sort the values ``x_(1) <= ... <= x_(n)`` with their weights ``w_(i)``, let
    ``W_i = sum_{j<=i} w_(j)`` and ``W = W_n``; the result is ``x_(i*)`` with
    ``i* = min{i : W_i >= W q / 100, w_(i) > 0}``.  The cost is one sort of each row,
    ``O(n log n)``, plus ``O(k n)`` for ``k`` percentiles.

    Examples
    --------
    >>> from orbitcompute.regions import weighted_percentiles
    >>> weighted_percentiles([10.0, 20.0, 30.0], [1, 1, 2], [25, 50, 75]).tolist()
    [10.0, 20.0, 30.0]
    """
    unit = None
    if isinstance(values, pint.Quantity):
        unit = values.units
        values = values.magnitude
    x = np.asarray(values, dtype=np.float64)
    if x.ndim == 0:
        x = x.reshape(1)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != x.shape:
        if w.shape != (x.shape[-1],):
            raise InputError(
                f"weights: shape {w.shape} fits neither values' last axis ({x.shape[-1]},) nor values' "
                f"shape {x.shape}; give one weight per place"
            )
        w = np.broadcast_to(w, x.shape)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise InputError("weights: must be finite and >= 0 (e.g. populations); got a negative or NaN weight")
    qa = np.asarray(q, dtype=np.float64)
    if np.any(~((qa >= 0) & (qa <= 100))):
        raise InputError(f"q: percentiles must lie in 0..100, got {qa.tolist()!r}")
    if nan not in ("omit", "propagate"):
        raise InputError(f"nan: {nan!r} is not one of 'omit', 'propagate'")
    bad_row = np.isnan(x).any(axis=-1)
    w = np.where(np.isnan(x), 0.0, w)
    order = np.argsort(x, axis=-1, kind="stable")  # NaN sort last
    xs = np.take_along_axis(x, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    cw = np.cumsum(ws, axis=-1)
    total = cw[..., -1]
    thr = total[None, ...] * (qa.reshape(-1, *([1] * total.ndim)) / 100.0)  # (k, ...)
    hit = (cw[None, ...] >= thr[..., None]) & (ws[None, ...] > 0)
    idx = np.argmax(hit, axis=-1)  # first index that reaches the threshold
    out = np.take_along_axis(np.broadcast_to(xs, hit.shape), idx[..., None], axis=-1)[..., 0]
    out = np.where(total[None, ...] > 0, out, np.nan)
    if nan == "propagate":
        out = np.where(bad_row[None, ...], np.nan, out)
    out = out.reshape(qa.shape + x.shape[:-1])
    return out * unit if unit is not None else out


def points_in_polygon(lat_deg, lon_deg, poly_lat_deg, poly_lon_deg) -> np.ndarray:
    """Which points lie inside a lat/lon polygon (vectorised even-odd ray test).

    Edges are straight lines in (longitude, latitude), i.e. on a plate carree map,
    not great circles.  The polygon may cross the antimeridian: its longitudes are
    unwrapped so that no edge spans more than 180 deg, and each point is tested at
    ``lon``, ``lon + 360`` and ``lon - 360``.

    Parameters
    ----------
    lat_deg, lon_deg : array_like, shape ``(n,)`` [deg]
        The points.
    poly_lat_deg, poly_lon_deg : array_like, shape ``(m,)`` [deg]
        Polygon vertices in order (closing vertex optional), ``m >= 3``.

    Returns
    -------
    ndarray of bool, shape ``(n,)``
        True inside.  Points exactly on an edge may fall either way.

    Notes
    -----
    Limitations: a polygon that encloses a pole, or whose edges should follow great
    circles over long distances, is not represented; split it or add vertices.
    Memory is ``O(n m)``.

    Examples
    --------
    >>> from orbitcompute.regions import points_in_polygon
    >>> points_in_polygon([0.0, 0.0], [179.5, 0.0], [-5, -5, 5, 5], [170, -170, -170, 170]).tolist()
    [True, False]
    """
    py = np.asarray(poly_lat_deg, dtype=np.float64).reshape(-1)
    px = np.asarray(poly_lon_deg, dtype=np.float64).reshape(-1)
    if py.shape != px.shape or py.size < 3:
        raise InputError(
            f"polygon: need matching latitude and longitude arrays of >= 3 vertices, got {py.size} and {px.size}"
        )
    if not (np.all(np.isfinite(py)) and np.all(np.isfinite(px))):
        raise InputError("polygon: vertices must be finite numbers")
    px = np.degrees(np.unwrap(np.radians(px)))  # no edge longer than 180 deg in longitude
    y = np.asarray(lat_deg, dtype=np.float64).reshape(-1)
    x0 = np.asarray(lon_deg, dtype=np.float64).reshape(-1)
    if y.shape != x0.shape:
        raise InputError(f"lat_deg, lon_deg: {y.size} and {x0.size} values; give one longitude per latitude")
    ya, yb = py, np.roll(py, -1)
    xa, xb = px, np.roll(px, -1)
    straddle = (ya[None, :] > y[:, None]) != (yb[None, :] > y[:, None])  # (n, m)
    with np.errstate(divide="ignore", invalid="ignore"):  # horizontal edges never straddle
        t = (y[:, None] - ya[None, :]) / (yb - ya)[None, :]
        xcross = xa[None, :] + t * (xb - xa)[None, :]
    inside = np.zeros(y.shape, dtype=bool)
    for shift in (0.0, 360.0, -360.0):
        x = x0 + shift
        crossings = straddle & (x[:, None] < xcross)
        inside |= (np.count_nonzero(crossings, axis=1) % 2) == 1
    return inside


# --------------------------------------------------------------------------- shipped tables
@lru_cache(maxsize=1)
def country_table() -> dict[str, dict[str, str]]:
    """ISO 3166-1 alpha-2 code -> name, ISO alpha-3, M49 code, UN sub-region and region.

    Read from the shipped ``country_regions.csv`` (UN M49 groupings as carried by the
    ``country_converter`` package; see ``orbitcompute/data/SOURCES.md``).  ``subregion``
    is M49's finest geographic group (intermediate region where defined, e.g.
    ``"Eastern Africa"``, ``"South America"``, else sub-region, e.g. ``"Western Europe"``);
    ``region`` is the M49 region (``Africa, Americas, Asia, Europe, Oceania``).

    Returns
    -------
    dict of str to dict
        Keys ``name, iso3, m49_code, subregion, region`` (strings; empty where unknown).

    Examples
    --------
    >>> from orbitcompute.regions import country_table
    >>> country_table()["KE"]["subregion"]
    'Eastern Africa'
    """
    text = files("orbitcompute").joinpath("data", "country_regions.csv").read_text(encoding="utf-8")
    out = {}
    for r in csv.DictReader(text.splitlines()):
        code = r.pop("country_code")
        out[code] = r
    return out


def _subregions() -> dict[str, str]:
    """Lower-case sub-region name -> canonical name."""
    return {r["subregion"].lower(): r["subregion"] for r in country_table().values() if r["subregion"]}


@lru_cache(maxsize=1)
def _outlines_raw() -> dict[str, list[list[np.ndarray]]]:
    text = files("orbitcompute").joinpath("data", "countries_110m.geojson").read_text(encoding="utf-8")
    fc = json.loads(text)
    out: dict[str, list[list[np.ndarray]]] = {}
    for feat in fc["features"]:
        p = feat["properties"]
        key = p["iso_a2"] if p["iso_a2"] != "-99" else p["name"]
        g = feat["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        rings = []
        for poly in polys:
            arrs = [np.asarray(ring, dtype=np.float64) for ring in poly]
            for a in arrs:
                a.setflags(write=False)
            rings.append(arrs)
        out.setdefault(key, []).extend(rings)
    return out


def country_outlines(codes: str | Iterable[str] | None = None) -> dict[str, list[list[np.ndarray]]]:
    """Country outlines from Natural Earth 1:110m (public domain), for maps.

    Parameters
    ----------
    codes : str or iterable of str, optional
        ISO 3166-1 alpha-2 codes; default all.  The two places Natural Earth gives no
        ISO code are keyed by name (``"N. Cyprus"``, ``"Somaliland"``).

    Returns
    -------
    dict of str to list of polygons
        Each polygon is a list of rings, exterior first then holes; each ring an
        ndarray of shape ``(k, 2)`` of (longitude, latitude) [deg], closed (first
        vertex repeated), rounded to 0.01 deg.  Read-only arrays.

    Raises
    ------
    InputError
        For a code with no outline (small states such as ``SG`` and ``HK`` are below
        the 1:110m scale).

    Examples
    --------
    >>> from orbitcompute.regions import country_outlines
    >>> poly = country_outlines("FR")["FR"]
    >>> len(poly) >= 2, poly[0][0].shape[1]
    (True, 2)
    """
    raw = _outlines_raw()
    if codes is None:
        return dict(raw)
    items = [codes] if isinstance(codes, str) else list(codes)
    out = {}
    missing = []
    for c in items:
        key = c.strip().upper() if isinstance(c, str) and len(c.strip()) == 2 else c
        if key not in raw:
            missing.append(c)
        else:
            out[key] = raw[key]
    if missing:
        raise InputError(
            f"codes: no Natural Earth 1:110m outline for {', '.join(map(repr, missing))}; use ISO 3166-1 "
            "alpha-2 codes such as 'FR', 'US' (very small states such as 'SG', 'HK' have no outline at 1:110m)"
        )
    return out


# --------------------------------------------------------------------------- regions
@dataclass(frozen=True, eq=False)
class Region:
    """A population-weighted set of places standing for a region's users.

    Build one with :meth:`from_continents`, :meth:`from_subregions`,
    :meth:`from_countries`, :meth:`from_polygon` or :meth:`from_places`.

    Attributes
    ----------
    name : str
        E.g. ``"Europe"``.
    places : GroundSites
        ``n_place`` places (cities), with population where known.
    weights : ndarray, shape ``(n_place,)`` [-]
        Non-negative, summing to 1 (normalised from what was given).  Read-only.
    country_codes : tuple of str, length ``n_place``
        ISO 3166-1 alpha-2 code per place, ``""`` where unknown (custom places).
    kind : str
        How it was built: ``"continent"``, ``"subregion"``, ``"country"``,
        ``"polygon"`` or ``"custom"``.

    Examples
    --------
    >>> from orbitcompute.regions import Region
    >>> r = Region.from_places([51.5, 48.9], [-0.13, 2.35], weights=[3, 1], names=["London", "Paris"])
    >>> r.weights.tolist()
    [0.75, 0.25]
    """

    name: str
    places: GroundSites
    weights: np.ndarray
    country_codes: tuple[str, ...] = ()
    kind: str = "custom"

    def __post_init__(self):
        n = len(self.places)
        if n == 0:
            raise InputError(f"region {self.name!r}: has no places; choose a larger area or lower the filters")
        w = _frozen(self.weights)
        if w.shape != (n,):
            raise InputError(f"weights: {w.size} values for {n} places; give one weight per place")
        if not np.all(np.isfinite(w)) or np.any(w < 0) or not w.sum() > 0:
            raise InputError(
                f"weights: must be finite, >= 0 and not all 0 (e.g. populations); got {w[:5].tolist()}..."
            )
        w = _frozen(w / w.sum())
        cc = tuple(self.country_codes) if self.country_codes else ("",) * n
        if len(cc) != n:
            raise InputError(f"country_codes: {len(cc)} codes for {n} places")
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "country_codes", cc)

    def __len__(self) -> int:
        return len(self.places)

    def __repr__(self) -> str:
        return f"<Region {self.name!r} ({self.kind}): {len(self)} places>"

    @property
    def population(self) -> int | None:
        """Total population of the places [persons], or None if not known."""
        pop = self.places.population
        return None if pop is None else int(pop.sum())

    def percentiles(self, values, q=(50, 95, 99), *, nan: str = "omit"):
        """Population-weighted percentiles of a per-place value over this region.

        Parameters
        ----------
        values : array_like or Quantity, shape ``(..., n_place)`` [any unit]
            One value per place along the last axis (leading axes, e.g. time, are
            pooled only if you flatten them; otherwise they are kept).
        q : float or sequence of float [percent], default ``(50, 95, 99)``
        nan : {"omit", "propagate"}
            See :func:`weighted_percentiles`.

        Returns
        -------
        ndarray or Quantity, shape ``q.shape + values.shape[:-1]``

        Examples
        --------
        >>> from orbitcompute.regions import Region
        >>> r = Region.from_places([0.0, 1.0], [0.0, 1.0], weights=[1, 3])
        >>> r.percentiles([10.0, 40.0], [25, 50]).tolist()
        [10.0, 40.0]
        """
        return weighted_percentiles(values, self.weights, q, nan=nan)

    # ------------------------------------------------------------ constructors
    @classmethod
    def _from_mask(cls, mask, name, kind, limit=None) -> "Region":
        table = _cities_table()
        sel = np.flatnonzero(mask)
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1:
                raise InputError(f"limit: {limit!r} is not a positive integer; e.g. limit=20, or None for all")
            sel = sel[: int(limit)]
        if sel.size == 0:
            raise InputError(
                f"region {name!r}: no shipped city (population >= 1,000,000) lies in it; use "
                "Region.from_places with your own places"
            )
        pop = table["population"][sel]
        sites = GroundSites(
            tuple(table["name"][k] for k in sel), table["lat_rad"][sel], table["lon_rad"][sel],
            np.zeros(sel.size), pop,
        )
        return cls(name, sites, pop.astype(np.float64), tuple(table["country_code"][sel].tolist()), kind)

    @classmethod
    def from_continents(cls, codes: str | Iterable[str], *, name: str | None = None,
                        limit: int | None = None) -> "Region":
        """The shipped cities of one or more continents, weighted by population.

        Parameters
        ----------
        codes : str or iterable of str
            GeoNames continent codes: ``AF AS EU NA OC SA`` (``AN`` has no city).
        name : str, optional
            Default: the continent names joined with ``" + "``.
        limit : int, optional
            Keep only the ``limit`` most populous cities.

        Returns
        -------
        Region

        Raises
        ------
        InputError
            For an unknown continent code (the message lists the valid ones).

        Examples
        --------
        >>> from orbitcompute.regions import Region
        >>> Region.from_continents(["SA"], limit=3).places.names
        ('Sao Paulo', 'Lima', 'Bogota')
        """
        cs = _codes(codes, "codes")
        bad = [c for c in cs if c not in CONTINENTS]
        if bad:
            raise InputError(
                f"codes: unknown continent {', '.join(map(repr, bad))}; use one of "
                f"{', '.join(f'{k} ({v})' for k, v in CONTINENTS.items())}"
            )
        table = _cities_table()
        nm = name or " + ".join(CONTINENTS[c] for c in cs)
        return cls._from_mask(np.isin(table["continent"], cs), nm, "continent", limit)

    @classmethod
    def from_countries(cls, codes: str | Iterable[str], *, name: str | None = None,
                       limit: int | None = None) -> "Region":
        """The shipped cities of one or more countries, weighted by population.

        Parameters
        ----------
        codes : str or iterable of str
            ISO 3166-1 alpha-2 codes, e.g. ``["DE", "FR"]`` (case-insensitive).
        name : str, optional
            Default: the country names joined with ``" + "``.
        limit : int, optional
            Keep only the ``limit`` most populous cities.

        Returns
        -------
        Region

        Raises
        ------
        InputError
            For a code that is not ISO 3166-1 alpha-2, or a country with no city of a
            million people in the shipped list (use :meth:`from_places` there).

        Examples
        --------
        >>> from orbitcompute.regions import Region
        >>> Region.from_countries("JP").name
        'Japan'
        """
        cs = _codes(codes, "codes")
        known = country_table()
        unknown = [c for c in cs if c not in known]
        if unknown:
            raise InputError(
                f"codes: {', '.join(map(repr, unknown))} is not an ISO 3166-1 alpha-2 country code; "
                "use codes such as 'DE', 'JP', 'US' ('GB' for the United Kingdom)"
            )
        table = _cities_table()
        have = set(table["country_code"].tolist())
        none = [c for c in cs if c not in have]
        if none:
            raise InputError(
                f"codes: no shipped city of >= 1,000,000 people in {', '.join(map(repr, none))}; "
                "give its places with Region.from_places(lat_deg, lon_deg, weights=...)"
            )
        nm = name or " + ".join(known[c]["name"] for c in cs)
        return cls._from_mask(np.isin(table["country_code"], cs), nm, "country", limit)

    @classmethod
    def from_subregions(cls, names: str | Iterable[str], *, name: str | None = None,
                        limit: int | None = None) -> "Region":
        """The shipped cities of one or more UN M49 sub-regions, weighted by population.

        Parameters
        ----------
        names : str or iterable of str
            M49 geographic groups as in :func:`country_table` (case-insensitive), e.g.
            ``"Western Europe"``, ``"Eastern Africa"``, ``"South America"``,
            ``"South-eastern Asia"``.
        name : str, optional
            Default: the sub-region names joined with ``" + "``.
        limit : int, optional
            Keep only the ``limit`` most populous cities.

        Returns
        -------
        Region

        Raises
        ------
        InputError
            For an unknown sub-region (the message lists them all).

        Examples
        --------
        >>> from orbitcompute.regions import Region
        >>> Region.from_subregions("western europe").name
        'Western Europe'
        """
        items = [names] if isinstance(names, str) else list(names)
        canon = _subregions()
        out, bad = [], []
        for s in items:
            c = canon.get(str(s).strip().lower())
            (out if c else bad).append(c or s)
        if bad:
            raise InputError(
                f"names: unknown UN M49 sub-region {', '.join(map(repr, bad))}; use one of "
                f"{', '.join(sorted(set(canon.values())))}"
            )
        ct = country_table()
        ccs = [c for c, r in ct.items() if r["subregion"] in out]
        table = _cities_table()
        return cls._from_mask(np.isin(table["country_code"], ccs), name or " + ".join(out), "subregion", limit)

    @classmethod
    def from_polygon(cls, lat_deg, lon_deg, *, name: str = "polygon", limit: int | None = None) -> "Region":
        """The shipped cities inside a lat/lon polygon, weighted by population.

        Parameters
        ----------
        lat_deg, lon_deg : array_like, shape ``(m,)`` [deg]
            Vertices in order; edges are straight in (lon, lat); the antimeridian may
            be crossed; the polygon must not enclose a pole (see
            :func:`points_in_polygon`).
        name : str
        limit : int, optional

        Returns
        -------
        Region

        Examples
        --------
        >>> from orbitcompute.regions import Region
        >>> box = Region.from_polygon([30, 30, 46, 46], [130, 146, 146, 130], name="Japan box")
        >>> set(box.country_codes) == {"JP"}
        True
        """
        table = _cities_table()
        inside = points_in_polygon(
            np.degrees(table["lat_rad"]), np.degrees(table["lon_rad"]),
            magnitude(lat_deg, "deg", "lat_deg", allow_float=True),
            magnitude(lon_deg, "deg", "lon_deg", allow_float=True),
        )
        return cls._from_mask(inside, name, "polygon", limit)

    @classmethod
    def from_places(cls, lat_deg, lon_deg, *, weights=None, names: Sequence[str] | None = None,
                    name: str = "custom", country_codes: Sequence[str] | None = None) -> "Region":
        """A region of any places with any weights.

        Parameters
        ----------
        lat_deg, lon_deg : array_like, shape ``(n,)`` [deg]
            Geodetic latitude and longitude (see
            :meth:`~orbitcompute.stations.GroundSites.from_latlon`).
        weights : array_like, shape ``(n,)`` [-], optional
            E.g. users per place; default equal weights.  Normalised to sum 1.
        names : sequence of str, optional
        name : str
        country_codes : sequence of str, optional
            ISO alpha-2 per place (used only by :func:`orbitcompute.plotting.plot_region_map`).

        Returns
        -------
        Region

        Examples
        --------
        >>> from orbitcompute.regions import Region
        >>> len(Region.from_places([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]))
        3
        """
        sites = GroundSites.from_latlon(lat_deg, lon_deg, names=names)
        w = np.ones(len(sites)) if weights is None else weights
        if isinstance(w, pint.Quantity):
            raise UnitError("weights: give plain numbers (e.g. populations), not a quantity")
        return cls(name, sites, w, tuple(country_codes) if country_codes is not None else (), "custom")


def world_regions(kind: str = "continent", *, limit: int | None = None) -> list[Region]:
    """The world split into regions of the shipped cities.

    Parameters
    ----------
    kind : {"continent", "subregion"}
        ``"continent"``: the six inhabited continents (GeoNames codes
        :data:`INHABITED_CONTINENTS`); ``"subregion"``: every UN M49 sub-region with
        at least one shipped city, sorted by name.
    limit : int, optional
        Keep only the ``limit`` most populous cities of each region.

    Returns
    -------
    list of Region

    Examples
    --------
    >>> from orbitcompute.regions import world_regions
    >>> len(world_regions("subregion")) > 15
    True
    """
    if kind == "continent":
        return [Region.from_continents(c, limit=limit) for c in INHABITED_CONTINENTS]
    if kind == "subregion":
        ct = country_table()
        have = set(_cities_table()["country_code"].tolist())
        subs = sorted({ct[c]["subregion"] for c in have if c in ct and ct[c]["subregion"]})
        return [Region.from_subregions(s, limit=limit) for s in subs]
    raise InputError(f"kind: {kind!r} is not one of 'continent', 'subregion'")


def default_regions() -> list[Region]:
    """The default set of world regions: the six inhabited continents.

    Examples
    --------
    >>> from orbitcompute.regions import default_regions
    >>> len(default_regions())
    6
    """
    return world_regions("continent")


def _codes(value, name: str) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    if not items:
        raise InputError(f"{name}: empty; give at least one code")
    out = []
    for c in items:
        if not isinstance(c, str):
            raise InputError(f"{name}: {c!r} is not a code string; e.g. {name}=['DE', 'FR']")
        out.append(c.strip().upper())
    return out




# plot_region_map moved to orbitcompute.plotting (issue 12); the old name, for one release.
# orbitcompute.plotting is imported by name inside _moved.moved (importlib), not by an import
# statement, so this module does not import the face (tests/test_architecture.py).
_MOVED = {"plot_region_map": "orbitcompute.plotting"}


def __getattr__(name: str):
    if name in _MOVED:
        return moved(__name__, name, _MOVED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
