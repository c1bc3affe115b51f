"""Round-trip time: terrestrial fibre, bent pipe, inter-satellite routes, and four ways to serve a user.

Every function here returns propagation-only round-trip times unless an
:class:`Overheads` is passed, so that a physical floor and a realistic figure can both be
shown.  RTTs are pint quantities in milliseconds; NaN means "no path at that time".

Architectures compared (each returns RTT of shape ``(n_place, n_time)``):

1. :func:`edge_rtt`: compute on the serving satellite itself (user -> overhead satellite
   -> user);
2. :func:`cluster_isl_rtt`: a compute cluster in its own orbit (e.g. dawn-dusk
   sun-synchronous) reached over the relay constellation's inter-satellite links, with
   cross-links from the cluster to the nearest relay satellites in range;
3. :func:`cluster_ground_rtt`: the cluster reached from the ground: user -> fibre ->
   ground station -> up-link to a visible cluster satellite (reachable only while the
   cluster sees a station);
4. :func:`terrestrial_rtt`: the nearest (or a chosen) terrestrial site over fibre.

:func:`summarize_rtt` reduces any of them to weighted p50/p95/p99 and the fraction of
time with a path, per region; :func:`orbitcompute.plotting.plot_rtt_cdf` and
:func:`orbitcompute.plotting.plot_rtt_series` draw them.

Equations
---------
* Great-circle distance on the mean sphere (IUGG mean radius ``R1 = 6,371.0088 km``,
  Moritz 2000) by the haversine formula.
* Fibre: ``RTT = 2 d_gc f n_g / c + access`` with the route factor ``f`` (fibre path length
  over great-circle distance; default 1.5, published range 1.5-2.1, Bozkurt et al. 2018) and
  the group index ``n_g = 1.468`` (Corning SMF-28 at 1550 nm, ~0.68 c, 4.9 us/km).
* Radio and laser links: ``delay = range / c`` (vacuum, straight line; tropospheric and
  ionospheric excess path, centimetres to metres, is neglected).
* With overheads: ``RTT = 2 (delay + p (hops - 1) + s access) + q`` with per-node
  processing ``p``, scheduling ``s`` per ground-space link traversal and queueing ``q`` per
  round trip (see :class:`Overheads`).

No RTT between two ground places can be below ``2 d_gc / c`` (:func:`light_rtt_floor`);
the tests check every architecture against it.

References
----------
Bozkurt, I. N., Aqeel, W., Bhattacherjee, D., et al. (2018). Dissecting latency in the
Internet's fiber infrastructure. arXiv:1811.10737.
Corning SMF-28 Ultra optical fibre product information (2014-2021): group index 1.4682 at
1550 nm.
Handley, M. (2018). Delay is not an option: low latency routing in space. HotNets-XVII,
https://doi.org/10.1145/3286062.3286075.
Moritz, H. (2000). Geodetic Reference System 1980. J. Geodesy 74, 128-133.

Examples
--------
>>> import orbitcompute as oc
>>> from orbitcompute.latency import fiber_rtt
>>> round(float(fiber_rtt((51.5074, -0.1278), (40.7128, -74.0060), route_factor=1.0).m), 1)
54.6
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping

import numpy as np

from ._moved import moved
from .constants import C_LIGHT
from .errors import InputError
from .network import Network, route, serving_satellite
from .orbits import Constellation
from .regions import weighted_percentiles
from .stations import GroundSites
from .terrestrial import EARTH_MEAN_RADIUS_M, haversine_m
from .time import timescale, to_time
from .units import magnitude, quantity, u

__all__ = [
    "R_MEAN_EARTH",
    "FIBRE_GROUP_INDEX",
    "ROUTE_FACTOR",
    "ROUTE_FACTOR_RANGE",
    "place_distance",
    "light_rtt_floor",
    "fiber_rtt",
    "Overheads",
    "isl_rtt",
    "bent_pipe_rtt",
    "edge_rtt",
    "cluster_isl_rtt",
    "cluster_ground_rtt",
    "terrestrial_rtt",
    "RttSummary",
    "summarize_rtt",
]

#: IUGG mean Earth radius R1 [m] (Moritz 2000, GRS80), for great-circle distances.
R_MEAN_EARTH = EARTH_MEAN_RADIUS_M
#: Group index of standard single-mode fibre at 1550 nm (Corning SMF-28: 1.4682), so light
#: in fibre travels at ~0.681 c (~4.9 us per km).
FIBRE_GROUP_INDEX = 1.468
#: Default route factor: fibre path length over great-circle distance.  The low end of the
#: 1.5-2.1 range found by Bozkurt et al. (2018) for Internet fibre conduits; the low end
#: favours terrestrial compute (conservative against orbital claims).
ROUTE_FACTOR = 1.5
#: Published range of the route factor (Bozkurt et al. 2018).
ROUTE_FACTOR_RANGE = (1.5, 2.1)



# --------------------------------------------------------------------------- places
def _latlon(x, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Geodetic latitude and longitude [rad] from GroundSites or (lat_deg, lon_deg) pairs."""
    if isinstance(x, GroundSites):
        return np.asarray(x.lat_rad, float), np.asarray(x.lon_rad, float)
    if hasattr(x, "check") and hasattr(x, "m_as"):  # a Quantity array of (lat, lon) pairs
        a = magnitude(x, "deg", name)
    else:
        try:
            a = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise InputError(f"{name}: expected (latitude_deg, longitude_deg) pairs or GroundSites, got {x!r}") from exc
    if a.shape[-1:] != (2,):
        raise InputError(
            f"{name}: expected (latitude_deg, longitude_deg) pairs, shape (2,) or (n, 2), got shape {a.shape}; "
            "e.g. (51.5074, -0.1278)"
        )
    lat, lon = a[..., 0], a[..., 1]
    bad = ~((lat >= -90) & (lat <= 90) & np.isfinite(lon))
    if np.any(bad):
        k = int(np.flatnonzero(np.atleast_1d(bad))[0])
        raise InputError(f"{name}: latitude must be in -90..90 deg and longitude finite; entry {k} is "
                         f"({np.atleast_1d(lat)[k]}, {np.atleast_1d(lon)[k]})")
    return np.radians(lat), np.radians(lon)


def _gc_m(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine great-circle distance on the mean sphere [m] (arrays broadcast)."""
    return haversine_m(lat1, lon1, lat2, lon2, R_MEAN_EARTH)


def _pairwise_gc_m(a: GroundSites, b: GroundSites) -> np.ndarray:
    """Great-circle distances (n_a, n_b) [m]."""
    return _gc_m(a.lat_rad[:, None], a.lon_rad[:, None], b.lat_rad[None, :], b.lon_rad[None, :])


def place_distance(a, b):
    """Great-circle distance between places on the mean Earth sphere.

    Parameters
    ----------
    a, b : (latitude_deg, longitude_deg) pairs, shape ``(2,)`` or ``(..., 2)``, or GroundSites
        Geodetic coordinates [deg]; the leading shapes broadcast.

    Returns
    -------
    Quantity [km], the broadcast shape

    Notes
    -----
    Haversine on a sphere of radius ``R1 = 6,371.0088 km``; the difference to the WGS84
    geodesic is below 0.5 %.

    Examples
    --------
    >>> from orbitcompute.latency import place_distance
    >>> round(float(place_distance((0.0, 0.0), (0.0, 90.0)).m), 3)
    10007.557
    """
    la, lo = _latlon(a, "a")
    lb, lob = _latlon(b, "b")
    return quantity(_gc_m(la, lo, lb, lob) / 1e3, "km")


def light_rtt_floor(a, b):
    """The physical floor ``2 x great-circle distance / c`` between places [ms].

    No signal path between two points on the ground (over fibre, radio or lasers) can
    beat it; every RTT of this module is checked against it in the tests.

    Examples
    --------
    >>> from orbitcompute.latency import light_rtt_floor
    >>> round(float(light_rtt_floor((51.5074, -0.1278), (40.7128, -74.0060)).m), 2)
    37.16
    """
    d = place_distance(a, b).m_as("m")
    return quantity(2e3 * d / C_LIGHT, "ms")


def fiber_rtt(a, b, route_factor=ROUTE_FACTOR, *, group_index: float = FIBRE_GROUP_INDEX, access_overhead=None):
    """Round-trip time over terrestrial fibre between places.

    Parameters
    ----------
    a, b : (latitude_deg, longitude_deg) pairs, shape ``(2,)`` or ``(..., 2)``, or GroundSites
        The leading shapes broadcast (e.g. ``(n, 1, 2)`` against ``(1, m, 2)`` for a matrix).
    route_factor : float [-]
        Fibre path length over the great-circle distance (default 1.5; published range
        1.5-2.1, Bozkurt et al. 2018; 1.0 is the ideal great-circle fibre).
    group_index : float [-]
        Of the fibre (default 1.468, SMF-28 at 1550 nm).
    access_overhead : Quantity [time], optional
        Added once per round trip (last-mile access, routers); default 0.  It is an
        assumption to state, e.g. 5-20 ms for consumer access networks.

    Returns
    -------
    Quantity [ms], the broadcast shape

    Notes
    -----
    ``RTT = 2 d_gc route_factor group_index / c + access_overhead``.

    Examples
    --------
    London-New York over an ideal great-circle fibre (Handley 2018 quotes ~55 ms):

    >>> import orbitcompute as oc
    >>> from orbitcompute.latency import fiber_rtt
    >>> round(float(fiber_rtt((51.5074, -0.1278), (40.7128, -74.0060), route_factor=1.0).m), 1)
    54.6
    >>> fiber_rtt([(0.0, 0.0), (0.0, 1.0)], (0.0, 0.0), access_overhead=5 * oc.u.ms).m.round(3).tolist()
    [5.0, 6.633]
    """
    f = magnitude(route_factor, "", "route_factor", allow_float=True)
    n = magnitude(group_index, "", "group_index", allow_float=True)
    if np.any(~(f >= 1.0)):
        raise InputError(f"route_factor: {route_factor!r} is below 1 (a fibre cannot be shorter than the great "
                         "circle); published range 1.5-2.1")
    if np.any(~(n >= 1.0)):
        raise InputError(f"group_index: {group_index!r} is below 1; silica fibre is ~1.468")
    extra = 0.0 if access_overhead is None else magnitude(access_overhead, "s", "access_overhead")
    if np.any(np.asarray(extra) < 0):
        raise InputError(f"access_overhead: must be >= 0, got {access_overhead!r}")
    la, lo = _latlon(a, "a")
    lb, lob = _latlon(b, "b")
    d = _gc_m(la, lo, lb, lob)
    return quantity(1e3 * (2.0 * d * f * n / C_LIGHT + extra), "ms")


# --------------------------------------------------------------------------- overheads
@dataclass(frozen=True)
class Overheads:
    """Non-propagation delays added to a round trip.

    ``RTT = 2 (delay + processing_per_hop (hops - 1) + scheduling_per_access access) + queueing``
    where ``hops`` counts the links of the one-way path and ``access`` its ground-space
    links (2 for user -> ISL path -> user, 1 for user -> serving satellite).
    All default to 0 (propagation only).  :meth:`starlink` gives calibrated values.

    Parameters
    ----------
    processing_per_hop : Quantity [time]
        Per forwarding node (one way).
    scheduling_per_access : Quantity [time]
        Per traversal of a ground-space link (MAC framing, request-grant scheduling).
    queueing : Quantity [time]
        Once per round trip (typical, i.e. median, queueing).

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.latency import Overheads
    >>> o = Overheads(scheduling_per_access=3 * oc.u.ms, queueing=15 * oc.u.ms)
    >>> round(float(o.extra_rtt_s(hops=2, access=2)) * 1e3, 3)
    27.0
    """

    processing_per_hop: Any = None
    scheduling_per_access: Any = None
    queueing: Any = None

    def __post_init__(self):
        for name in ("processing_per_hop", "scheduling_per_access", "queueing"):
            v = getattr(self, name)
            s = 0.0 if v is None else float(magnitude(v, "s", name))
            if not (s >= 0 and np.isfinite(s)):
                raise InputError(f"{name}: must be a finite time >= 0, got {v!r}")
            object.__setattr__(self, name, quantity(s * 1e3, "ms"))

    def _s(self, name: str) -> float:
        return float(getattr(self, name).m_as("s"))

    def extra_rtt_s(self, hops, access) -> np.ndarray:
        """Added round-trip time [s] for paths of ``hops`` links and ``access`` ground-space links."""
        h = np.asarray(hops, dtype=np.float64)
        a = np.asarray(access, dtype=np.float64)
        return 2.0 * (self._s("processing_per_hop") * np.maximum(h - 1.0, 0.0)
                      + self._s("scheduling_per_access") * a) + self._s("queueing")

    @classmethod
    def starlink(cls) -> "Overheads":
        """Values calibrated to measured Starlink access latency (2022-2024).

        * ``scheduling_per_access = 3 ms``: measured idle minimum RTTs of ~20 ms
          (REFERENCES case 9; Michel et al. 2022, "A first look at Starlink performance",
          IMC '22) minus the ~7-8 ms propagation floor of a user-satellite-gateway round
          trip at 550 km, spread over its 4 ground-space link traversals.
        * ``queueing = 15 ms``: SpaceX reported a median of 30 ms and a 95th percentile of
          42 ms in loaded cells (FCC filing, 2020) and a US peak-hour median falling from
          48.5 to 33 ms (2024); a median of ~40-50 ms is typical of 2022 measurements.
          15 ms puts a typical geometry's median between these.
        * ``processing_per_hop = 0.1 ms``: an assumption, the order of a store-and-forward
          of a 1,500-byte packet at ~100 Mb/s; optical ISLs at >= 10 Gb/s serialise a packet
          in ~1 us, so this is an upper-end figure.

        This is a calibration, not a prediction: it reproduces the measured band by
        construction for bent-pipe access; for ISL paths the per-hop term is the unknown.
        """

        return cls(0.1 * u.ms, 3.0 * u.ms, 15.0 * u.ms)


def _apply(rtt_prop_s: np.ndarray, hops, access, overheads: Overheads | None) -> np.ndarray:
    if overheads is None:
        return rtt_prop_s
    if not isinstance(overheads, Overheads):
        raise InputError(f"overheads: expected an Overheads (e.g. Overheads.starlink()), got {type(overheads).__name__}")
    with np.errstate(invalid="ignore"):
        return rtt_prop_s + np.where(np.isfinite(rtt_prop_s), overheads.extra_rtt_s(hops, access), np.nan)


def _sites(x, name: str) -> GroundSites:
    if isinstance(x, GroundSites):
        return x
    lat, lon = _latlon(x, name)
    lat, lon = np.atleast_1d(lat), np.atleast_1d(lon)
    return GroundSites.from_latlon(np.degrees(lat), np.degrees(lon), names=[f"{name}{k}" for k in range(len(lat))])


def _times(times):
    t = to_time(times, "times")
    if not t.shape:
        t = timescale().tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
    return t


def _deg(x: float):
    return x * u.deg


# --------------------------------------------------------------------------- ISL and bent pipe
def isl_rtt(con: Constellation, a, b, times, min_elevation=None, overheads: Overheads | None = None, *,
            network: Network | None = None, max_isl_range=None, atmosphere_height=None,
            attach: Literal["delay", "dwell"] = "delay", executor="auto"):
    """Round-trip time between two ground places over a constellation's inter-satellite links.

    Parameters
    ----------
    con : Constellation
        A Walker shell; its +Grid links are used (unless ``network`` is given).
    a, b : (latitude_deg, longitude_deg) pairs or GroundSites
        One place each (shape ``(2,)``), or ``n_pair`` places each (shape ``(n_pair, 2)``,
        or GroundSites of equal length) for ``n_pair`` place-to-place series; Dijkstra runs
        once per distinct place of ``a``.
    times : time-like, shape ``(n_time,)``
    min_elevation : Quantity [angle]
        User terminals' minimum elevation; default 25 deg (Starlink's FCC filing of 2018).
    overheads : Overheads, optional
        Default: propagation only.
    network : Network, optional
        Another topology (e.g. ``Network.from_links``) over ``con``.
    max_isl_range, atmosphere_height : Quantity [length], optional
        Link limits for the default +Grid network (default unlimited range, 80 km).
    attach : {"delay", "dwell"}
        End-point choice, see :func:`orbitcompute.network.route`.
    executor : concurrent.futures.Executor, "auto" or None
        Where the time series is routed, see :func:`orbitcompute.network.route`
        (identical result either way).

    Returns
    -------
    Quantity [ms], shape ``(n_time,)`` for one (lat, lon) pair, else ``(n_pair, n_time)``
        NaN where no path exists.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.latency import isl_rtt
    >>> con = oc.Constellation.walker_delta(total=66, planes=6, phasing=1, altitude=550 * oc.u.km,
    ...     inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
    >>> t = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T00:02:00Z", step=60 * oc.u.s)
    >>> isl_rtt(con, (51.5, -0.13), (40.7, -74.0), t, min_elevation=10 * oc.u.deg).shape
    (3,)
    """
    t = _times(times)
    one = not isinstance(a, GroundSites) and np.ndim(np.asarray(getattr(a, "m", a), dtype=object)) <= 1
    sa, sb = _sites(a, "a"), _sites(b, "b")
    if len(sa) != len(sb):
        raise InputError(f"a, b: give as many places in a ({len(sa)}) as in b ({len(sb)}); they are paired")
    if network is None:
        network = Network.plus_grid(con, max_isl_range=max_isl_range, atmosphere_height=atmosphere_height)
    elif network.relay is not con:
        raise InputError("network: was built over another constellation than con")
    el = _deg(25.0) if min_elevation is None else min_elevation
    # Dijkstra from the distinct a places only, then pick each pair's destination
    _, first, inv = np.unique(np.c_[sa.lat_rad, sa.lon_rad, sa.height_m], axis=0, return_index=True,
                              return_inverse=True)
    r = route(network, sa[first], sb, t, min_elevation=el, attach=attach, executor=executor)
    rows = inv.reshape(-1)
    cols = np.arange(len(sb))
    d = r.delay_s[rows, cols]
    out = _apply(2.0 * d, r.hops[rows, cols], r.access[rows, cols], overheads)
    out = quantity(out * 1e3, "ms")
    return out[0] if one else out


def bent_pipe_rtt(con: Constellation, users, stations, times, min_elevation=None,
                  overheads: Overheads | None = None, *, station_min_elevation=None, relays=None, executor="auto"):
    """Round-trip time from users to the nearest reachable ground station without ISL.

    User -> satellite -> station (a satellite must see both at once), or, with
    ``relays``, bouncing up and down through ground relays (Handley's bent-pipe routing).

    Parameters
    ----------
    con : Constellation
    users : (latitude_deg, longitude_deg) pairs or GroundSites, ``n_user`` places
    stations : (latitude_deg, longitude_deg) pairs or GroundSites, ``n_station`` gateways
    times : time-like, shape ``(n_time,)``
    min_elevation : Quantity [angle]
        Users' minimum elevation (default 25 deg).
    overheads : Overheads, optional
    station_min_elevation : Quantity [angle], optional
        Gateways' minimum elevation (default ``min_elevation``); also used for relays.
    relays : GroundSites, optional
        Ground relays that may forward traffic.
    executor : concurrent.futures.Executor, "auto" or None
        Where the time series is routed, see :func:`orbitcompute.network.route`
        (identical result either way).

    Returns
    -------
    Quantity [ms], shape ``(n_user, n_time)``
        NaN where no station is reachable.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.latency import bent_pipe_rtt
    >>> con = oc.Constellation.walker_delta(total=66, planes=6, phasing=1, altitude=550 * oc.u.km,
    ...     inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
    >>> t = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T00:02:00Z", step=60 * oc.u.s)
    >>> bent_pipe_rtt(con, (47.6, -122.3), (45.5, -122.7), t, min_elevation=10 * oc.u.deg).shape
    (1, 3)
    """
    t = _times(times)
    su, ss = _sites(users, "users"), _sites(stations, "stations")
    rel = None if relays is None else _sites(relays, "relays")
    el = _deg(25.0) if min_elevation is None else min_elevation
    sel = el if station_min_elevation is None else station_min_elevation
    net = Network.bent_pipe(con)
    if len(ss) < len(su):  # Dijkstra from the smaller side (delays are symmetric)
        r = route(net, ss, su, t, min_elevation=sel, destination_min_elevation=el, relays=rel,
                  relay_min_elevation=sel, executor=executor)
        axis = 0
    else:
        r = route(net, su, ss, t, min_elevation=el, destination_min_elevation=sel, relays=rel,
                  relay_min_elevation=sel, executor=executor)
        axis = 1
    d = np.where(np.isfinite(r.delay_s), r.delay_s, np.inf)
    k = np.expand_dims(np.argmin(d, axis=axis), axis)
    dmin = np.take_along_axis(d, k, axis).squeeze(axis)
    hops = np.take_along_axis(r.hops, k, axis).squeeze(axis)
    acc = np.take_along_axis(r.access, k, axis).squeeze(axis)
    rtt = np.where(np.isfinite(dmin), 2.0 * dmin, np.nan)
    return quantity(_apply(rtt, hops, acc, overheads) * 1e3, "ms")


# --------------------------------------------------------------------------- architectures
def edge_rtt(con: Constellation, places: GroundSites, times, min_elevation=None,
             overheads: Overheads | None = None, *, attach: Literal["delay", "dwell"] = "delay"):
    """Architecture 1: compute on the serving satellite (user -> overhead satellite -> user).

    Parameters
    ----------
    con : Constellation
        The satellites that serve and compute.
    places : GroundSites
        ``n_place`` user places.
    times : time-like, shape ``(n_time,)``
    min_elevation : Quantity [angle]
        Default 25 deg.
    overheads : Overheads, optional
        One hop, one ground-space link each way.
    attach : {"delay", "dwell"}
        Nearest visible satellite (default) or the one visible the longest.

    Returns
    -------
    Quantity [ms], shape ``(n_place, n_time)``
        ``2 x slant range / c`` (+ overheads); NaN where no satellite is visible.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.latency import edge_rtt
    >>> con = oc.Constellation.walker_delta(total=66, planes=6, phasing=1, altitude=550 * oc.u.km,
    ...     inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
    >>> t = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T00:02:00Z", step=60 * oc.u.s)
    >>> edge_rtt(con, oc.GroundSites.cities(limit=2), t, min_elevation=10 * oc.u.deg).shape
    (2, 3)
    """
    t = _times(times)
    places = _sites(places, "places")
    el = _deg(25.0) if min_elevation is None else min_elevation
    _, rng = serving_satellite(con, places, t, min_elevation=el, attach=attach)
    rtt = 2.0 * rng.m_as("m") / C_LIGHT
    return quantity(_apply(rtt, 1, 1, overheads) * 1e3, "ms")


def cluster_isl_rtt(relay: Constellation, cluster: Constellation, places: GroundSites, times, min_elevation=None,
                    overheads: Overheads | None = None, *, cluster_links: int = 2, cluster_max_range=None,
                    max_isl_range=None, atmosphere_height=None, network: Network | None = None,
                    attach: Literal["delay", "dwell"] = "delay", executor="auto"):
    """Architecture 2: a compute cluster in its own orbit, reached over the relay's ISL.

    User -> relay satellite it sees -> +Grid links -> cross-link -> nearest cluster satellite
    (and back).  At each time step every cluster satellite links to its ``cluster_links``
    nearest relay satellites in range and in sight, and cluster satellites to each other.

    Parameters
    ----------
    relay : Constellation
        Walker shell with +Grid links (unless ``network`` is given).
    cluster : Constellation
        Compute satellites (e.g. ``Constellation.sun_synchronous(..., ltan=18 * u.hour)``).
    places : GroundSites
    times : time-like, shape ``(n_time,)``
    min_elevation : Quantity [angle]
        User terminals' minimum elevation (default 25 deg).
    overheads : Overheads, optional
        One ground-space link each way; processing at every relay satellite on the path.
    cluster_links : int
    cluster_max_range, max_isl_range, atmosphere_height : Quantity [length], optional
    network : Network, optional
        A prepared network with ``cluster`` set (overrides the link options).
    executor : concurrent.futures.Executor, "auto" or None
        Where the time series is routed, see :func:`orbitcompute.network.route`
        (identical result either way).

    Returns
    -------
    Quantity [ms], shape ``(n_place, n_time)``

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.latency import cluster_isl_rtt
    >>> con = oc.Constellation.walker_delta(total=66, planes=6, phasing=1, altitude=550 * oc.u.km,
    ...     inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
    >>> dc = oc.Constellation.sun_synchronous(altitude=650 * oc.u.km, ltan=18 * oc.u.hour,
    ...     epoch="2026-06-21T00:00:00Z", count=2)
    >>> t = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T00:02:00Z", step=60 * oc.u.s)
    >>> cluster_isl_rtt(con, dc, oc.GroundSites.cities(limit=2), t, min_elevation=10 * oc.u.deg).shape
    (2, 3)
    """
    t = _times(times)
    places = _sites(places, "places")
    if network is None:
        network = Network.plus_grid(relay, cluster=cluster, cluster_links=cluster_links,
                                    cluster_max_range=cluster_max_range, max_isl_range=max_isl_range,
                                    atmosphere_height=atmosphere_height)
    elif network.cluster is None:
        raise InputError("network: has no cluster; build it with Network.plus_grid(relay, cluster=...)")
    el = _deg(25.0) if min_elevation is None else min_elevation
    r = route(network, "cluster", places, t, min_elevation=el, attach=attach, executor=executor)
    rtt = np.where(np.isfinite(r.delay_s[0]), 2.0 * r.delay_s[0], np.nan)
    return quantity(_apply(rtt, r.hops[0], r.access[0], overheads) * 1e3, "ms")


def cluster_ground_rtt(cluster: Constellation, places: GroundSites, stations, times, *,
                       station_min_elevation=None, route_factor=ROUTE_FACTOR,
                       group_index: float = FIBRE_GROUP_INDEX, overheads: Overheads | None = None,
                       max_bytes: int = 64 * 2**20):
    """Architecture 3: the cluster reached through ground stations and fibre backhaul.

    User -> fibre -> ground station -> up-link to the nearest visible cluster satellite
    (and back), minimised over stations.  A station is usable only while it sees a cluster
    satellite above ``station_min_elevation`` (its contact windows).

    Parameters
    ----------
    cluster : Constellation
    places : GroundSites
        ``n_place`` user places.
    stations : (latitude_deg, longitude_deg) pairs or GroundSites
        ``n_station`` gateways with fibre backhaul.
    times : time-like, shape ``(n_time,)``
    station_min_elevation : Quantity [angle]
        Default 10 deg (a typical gateway/TT&C mask).
    route_factor, group_index : float
        Of the backhaul fibre, see :func:`fiber_rtt`.
    overheads : Overheads, optional
        Scheduling on the one ground-space link, queueing once.
    max_bytes : int
        Memory bound of the ``(n_place, n_station, n_block)`` minimisation.

    Returns
    -------
    Quantity [ms], shape ``(n_place, n_time)``
        NaN while no station sees the cluster.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.latency import cluster_ground_rtt
    >>> dc = oc.Constellation.sun_synchronous(altitude=650 * oc.u.km, ltan=18 * oc.u.hour,
    ...     epoch="2026-06-21T00:00:00Z", count=4)
    >>> t = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T00:02:00Z", step=60 * oc.u.s)
    >>> cluster_ground_rtt(dc, oc.GroundSites.cities(limit=2), [(78.2, 15.4), (-77.8, 166.7)], t).shape
    (2, 3)
    """
    t = _times(times)
    places = _sites(places, "places")
    st = _sites(stations, "stations")
    sel = _deg(10.0) if station_min_elevation is None else station_min_elevation
    _, rng = serving_satellite(cluster, st, t, min_elevation=sel)
    up_s = rng.m_as("m") / C_LIGHT  # (n_station, n_time), NaN while not in contact
    f = magnitude(route_factor, "", "route_factor", allow_float=True)
    fib_s = 2.0 * _pairwise_gc_m(places, st) * f * float(group_index) / C_LIGHT  # (n_place, n_station)
    n_time = len(t)
    out = np.full((len(places), n_time), np.nan)
    block = max(1, int(max_bytes) // max(1, 8 * len(places) * max(1, len(st))))
    up_inf = np.where(np.isfinite(up_s), up_s, np.inf)
    for k0 in range(0, n_time, block):
        sl = slice(k0, min(n_time, k0 + block))
        tot = fib_s[:, :, None] + 2.0 * up_inf[None, :, sl]
        out[:, sl] = tot.min(axis=1)
    out[~np.isfinite(out)] = np.nan
    return quantity(_apply(out, 1, 1, overheads) * 1e3, "ms")


def terrestrial_rtt(places: GroundSites, sites, times=None, *, route_factor=ROUTE_FACTOR,
                    group_index: float = FIBRE_GROUP_INDEX, access_overhead=None, nearest: bool = True):
    """Architecture 4: a terrestrial site over fibre (the nearest one, or each one).

    Parameters
    ----------
    places : GroundSites or (latitude_deg, longitude_deg) pairs
        ``n_place`` user places.
    sites : GroundSites or (latitude_deg, longitude_deg) pairs
        ``n_site`` data-centre sites (e.g. cloud regions).
    times : time-like, optional
        If given (``n_time``), the constant RTT is repeated to ``(n_place, n_time)`` so it
        lines up with the orbital architectures.
    route_factor, group_index, access_overhead
        See :func:`fiber_rtt`.
    nearest : bool
        True: the nearest site per place (shape ``(n_place,)``); False: every site,
        ``(n_place, n_site)``.

    Returns
    -------
    Quantity [ms], shape ``(n_place,)``, ``(n_place, n_time)`` or ``(n_place, n_site)``

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.latency import terrestrial_rtt
    >>> p = oc.GroundSites.from_latlon([0.0, 0.0], [0.0, 10.0])
    >>> terrestrial_rtt(p, [(0.0, 1.0), (0.0, 9.0)], route_factor=1.0).m.round(3).tolist()
    [1.089, 1.089]
    """
    a = _sites(places, "places")
    b = _sites(sites, "sites")
    f = magnitude(route_factor, "", "route_factor", allow_float=True)
    if np.any(~(f >= 1.0)):
        raise InputError(f"route_factor: {route_factor!r} is below 1; published range 1.5-2.1")
    extra = 0.0 if access_overhead is None else float(magnitude(access_overhead, "s", "access_overhead"))
    rtt = 2.0 * _pairwise_gc_m(a, b) * f * float(group_index) / C_LIGHT + extra
    if not nearest:
        return quantity(rtt * 1e3, "ms")
    best = rtt.min(axis=1)
    if times is not None:
        n_time = len(_times(times))
        best = np.repeat(best[:, None], n_time, axis=1)
    return quantity(best * 1e3, "ms")


# --------------------------------------------------------------------------- summaries
@dataclass(frozen=True)
class RttSummary:
    """RTT distribution of one region (weighted over places and time).

    Attributes
    ----------
    region : str
    n_place : int
    p50, p95, p99 : Quantity [ms]
        Weighted percentiles over the (place, time) samples that have a path.
    availability : float [-]
        Weighted fraction of (place, time) samples with a path.
    """

    region: str
    n_place: int
    p50: Any
    p95: Any
    p99: Any
    availability: float

    def as_dict(self) -> dict:
        return {"region": self.region, "n_place": self.n_place, "p50_ms": float(self.p50.m),
                "p95_ms": float(self.p95.m), "p99_ms": float(self.p99.m), "availability": self.availability}


def _region_groups(regions, n_place: int) -> dict[str, np.ndarray]:
    if regions is None:
        return {"all": np.arange(n_place)}
    if isinstance(regions, Mapping):
        out = {}
        for k, v in regions.items():
            a = np.asarray(v)
            idx = np.flatnonzero(a) if a.dtype == bool else a.astype(np.intp).reshape(-1)
            if a.dtype == bool and a.shape != (n_place,):
                raise InputError(f"regions[{k!r}]: mask has shape {a.shape}, expected ({n_place},)")
            if idx.size and (idx.min() < 0 or idx.max() >= n_place):
                raise InputError(f"regions[{k!r}]: index out of range for {n_place} places")
            out[str(k)] = idx
        return out
    labels = np.asarray(regions, dtype=object).reshape(-1)
    if labels.shape != (n_place,):
        raise InputError(f"regions: {labels.shape[0]} labels for {n_place} places; give one per place or a dict")
    return {str(k): np.flatnonzero(labels == k) for k in dict.fromkeys(labels.tolist())}


def summarize_rtt(rtt, weights=None, regions=None) -> list[RttSummary]:
    """Weighted p50/p95/p99 and availability per region.

    Parameters
    ----------
    rtt : Quantity [time], shape ``(n_place, n_time)`` or ``(n_place,)``
        NaN where no path.
    weights : array_like, shape ``(n_place,)``, optional
        E.g. ``GroundSites.population``; default equal.  Each time sample of a place
        carries ``weight / n_time``.
    regions : None, labels of shape ``(n_place,)``, or dict name -> indices or boolean mask
        Default: one region "all".

    Returns
    -------
    list of RttSummary
        One per region, in the order given (labels: first appearance).

    Examples
    --------
    >>> import numpy as np, orbitcompute as oc
    >>> from orbitcompute.latency import summarize_rtt
    >>> rtt = np.array([[10.0, 20.0], [30.0, np.nan]]) * oc.u.ms
    >>> s = summarize_rtt(rtt, weights=[1, 1], regions=["A", "B"])
    >>> [(x.region, float(x.p50.m), x.availability) for x in s]
    [('A', 10.0, 1.0), ('B', 30.0, 0.5)]
    """
    r = magnitude(rtt, "ms", "rtt")
    if r.ndim == 1:
        r = r[:, None]
    if r.ndim != 2:
        raise InputError(f"rtt: expected shape (n_place, n_time), got {r.shape}")
    n_place, n_time = r.shape
    w = np.ones(n_place) if weights is None else np.asarray(magnitude(weights, "", "weights", allow_float=True), float)
    if w.shape != (n_place,):
        raise InputError(f"weights: shape {w.shape}, expected ({n_place},)")
    out = []
    for name, idx in _region_groups(regions, n_place).items():
        rv = r[idx]
        ww = np.repeat(w[idx] / max(n_time, 1), n_time)
        p = weighted_percentiles(rv.reshape(-1), ww, [50, 95, 99])
        tot = ww.sum()
        avail = float(ww[np.isfinite(rv.reshape(-1))].sum() / tot) if tot > 0 else float("nan")
        out.append(RttSummary(name, len(idx), quantity(p[0], "ms"), quantity(p[1], "ms"), quantity(p[2], "ms"), avail))
    return out




# plot_rtt_cdf and plot_rtt_series moved to orbitcompute.plotting (issue 12); the old names,
# for one release.
# orbitcompute.plotting is imported by name inside _moved.moved (importlib), not by an import
# statement, so this module does not import the face (tests/test_architecture.py).
_MOVED = {"plot_rtt_cdf": "orbitcompute.plotting", "plot_rtt_series": "orbitcompute.plotting"}


def __getattr__(name: str):
    if name in _MOVED:
        return moved(__name__, name, _MOVED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
