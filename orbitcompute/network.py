"""Inter-satellite link topology, snapshot graphs and routing.

Layers
------
* Pure kernels on float64 SI arrays (in :mod:`orbitcompute._links`, re-exported here):
  :func:`segment_min_radius_si`,
  :func:`line_of_sight_si`, :func:`nearest_links_si`, :func:`shortest_paths_si`.
* :class:`WalkerLayout` (plane and slot of every satellite of a Walker shell) and
  :func:`plus_grid` (the static +Grid link list), in :mod:`orbitcompute.topology`,
  re-exported here.
* :class:`Network`: a relay constellation with its candidate links, link limits and an
  optional compute cluster cross-linked to it.  :func:`route` / :func:`iter_routes`
  attach ground places to it, build one sparse graph per time step and run Dijkstra
  from the sources that are needed only.

Conventions
-----------
Positions are Earth-fixed (ITRS) ``(n_sat, n_time, 3)`` [m].  Link weights are one-way
propagation delays ``range / c`` [s] in vacuum.  Nodes of a snapshot graph are numbered
``[relay satellites | cluster satellites | source places (up) | destination places
(down) | ground relays]``: a place is split into an *up* node with outgoing edges only and
a *down* node with incoming edges only, so that no route ever transits through a user's
terminal; ground relays (bent-pipe hops) have both.

A link between two satellites is usable at a time step when (a) its length is at most the
maximum range and (b) the straight line between them stays above a sphere of radius
``R_E + atmosphere_height`` (line of sight grazing above the atmosphere), with
``R_E = 6378.137 km`` (WGS84 equatorial radius: the sphere encloses the ellipsoid, so the
test is conservative by up to 21 km of grazing height at the poles).  The default
``atmosphere_height`` of 80 km is Hypatia's (Kassing et al. 2020: "ISLs are not allowed to
dip below 80 km altitude"), roughly the mesopause, below which refraction, absorption and
weather would degrade a laser link.

References
----------
Handley, M. (2018). Delay is not an option: low latency routing in space. HotNets-XVII,
https://doi.org/10.1145/3286062.3286075.
Kassing, S., Bhattacherjee, D., Aguas, A. B., Saethre, J. E., Singla, A. (2020). Exploring
the "Internet from space" with Hypatia. IMC '20, https://doi.org/10.1145/3419394.3423635.
Walker (1984), for the shell's layout: see :mod:`orbitcompute.topology`.

Examples
--------
>>> import orbitcompute as oc
>>> from orbitcompute.network import Network, route
>>> con = oc.Constellation.walker_delta(total=66, planes=6, phasing=1, altitude=550 * oc.u.km,
...     inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
>>> net = Network.plus_grid(con)
>>> net.links.shape, net.layout.pattern
((132, 2), 'delta')
>>> sites = oc.GroundSites.from_latlon([51.5, 40.7], [-0.13, -74.0], names=["London", "New York"])
>>> r = route(net, sites[0], sites[1], oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T00:02:00Z",
...     step=60 * oc.u.s), min_elevation=10 * oc.u.deg)
>>> r.delay_s.shape
(1, 1, 3)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterator, Literal

import numpy as np

from . import _scale
from ._links import (
    DEFAULT_ATMOSPHERE_HEIGHT_M,
    _csr,
    line_of_sight_si,
    nearest_links_si,
    segment_min_radius_si,
    shortest_paths_si,
)
from .constants import C_LIGHT, R_EARTH
from .errors import InputError
from .orbits import Constellation
from .stations import GroundSites
from .time import seconds_between, timescale, to_time
from .topology import WalkerLayout, max_isl_range, plus_grid
from .units import magnitude, quantity, u

__all__ = [
    "DEFAULT_ATMOSPHERE_HEIGHT_M",
    "WalkerLayout",
    "plus_grid",
    "max_isl_range",
    "segment_min_radius_si",
    "line_of_sight_si",
    "nearest_links_si",
    "shortest_paths_si",
    "Network",
    "Snapshot",
    "Routes",
    "route",
    "iter_routes",
    "snapshot",
    "serving_satellite",
]



@dataclass(frozen=True, eq=False)
class Network:
    """A relay constellation with its candidate links, their limits, and an optional cluster.

    Build one with :meth:`plus_grid`, :meth:`from_links` or :meth:`bent_pipe`; the direct
    constructor takes SI values and does not check them.

    Attributes
    ----------
    relay : Constellation
        ``n_relay`` satellites carrying user traffic.
    links : ndarray of intp, shape ``(n_link, 2)``
        Candidate links between relay satellites (checked for range and line of sight at
        every time step).
    max_isl_range_m : float [m]
        Longest usable inter-satellite link (``inf``: line of sight only).
    atmosphere_height_m : float [m]
        Lowest altitude a link's line of sight may graze.
    cluster : Constellation or None
        ``n_cluster`` compute satellites (e.g. a dawn-dusk sun-synchronous cluster).
    cluster_links : int
        Each cluster satellite links to its ``cluster_links`` nearest relay satellites in
        range and in sight, chosen anew at every time step.
    cluster_max_range_m : float [m]
        Longest cluster-relay (and cluster-cluster) link.
    cluster_mesh : bool
        Link every pair of cluster satellites in range and in sight.
    layout : WalkerLayout or None
        The relay's Walker layout when built by :meth:`plus_grid`.
    """

    relay: Constellation
    links: np.ndarray
    max_isl_range_m: float = np.inf
    atmosphere_height_m: float = DEFAULT_ATMOSPHERE_HEIGHT_M
    cluster: Constellation | None = None
    cluster_links: int = 2
    cluster_max_range_m: float = np.inf
    cluster_mesh: bool = True
    layout: WalkerLayout | None = None

    @property
    def n_relay(self) -> int:
        return len(self.relay)

    @property
    def n_cluster(self) -> int:
        return 0 if self.cluster is None else len(self.cluster)

    @property
    def n_space(self) -> int:
        """Space nodes: relay then cluster satellites."""
        return self.n_relay + self.n_cluster

    def __repr__(self) -> str:
        cl = f", cluster of {self.n_cluster}" if self.cluster is not None else ""
        return f"Network({self.n_relay} relay satellites, {len(self.links)} candidate links{cl})"

    @classmethod
    def plus_grid(cls, relay: Constellation, *, layout: WalkerLayout | None = None, cross_slot_offset: int = 0,
                  max_isl_range=None, atmosphere_height=None, cluster: Constellation | None = None,
                  cluster_links: int = 2, cluster_max_range=None, cluster_mesh: bool = True) -> "Network":
        """+Grid links over a Walker shell (see :func:`plus_grid`).

        Parameters
        ----------
        relay : Constellation
            A Walker delta or star shell, ordered plane by plane.
        layout : WalkerLayout, optional
            Default: recovered from the elements (:meth:`WalkerLayout.from_constellation`).
        cross_slot_offset : int
            See :func:`plus_grid`.
        max_isl_range : Quantity [length], optional
            Longest usable link; default unlimited (line of sight only).
        atmosphere_height : Quantity [length], optional
            Lowest altitude a line of sight may graze; default 80 km (Hypatia).
        cluster : Constellation, optional
            Compute satellites cross-linked to the relay.
        cluster_links : int
            Relay satellites each cluster satellite links to (nearest in range and sight).
        cluster_max_range : Quantity [length], optional
            Longest cluster link; default unlimited.
        cluster_mesh : bool
            Link cluster satellites to each other where in range and sight.
        """
        if layout is None:
            layout = WalkerLayout.from_constellation(relay)
        if layout.total != len(relay):
            raise InputError(f"layout: describes {layout.total} satellites but the constellation has {len(relay)}")
        net = cls.from_links(relay, plus_grid(layout, cross_slot_offset=cross_slot_offset),
                             max_isl_range=max_isl_range, atmosphere_height=atmosphere_height, cluster=cluster,
                             cluster_links=cluster_links, cluster_max_range=cluster_max_range,
                             cluster_mesh=cluster_mesh)
        object.__setattr__(net, "layout", layout)
        return net

    @classmethod
    def from_links(cls, relay: Constellation, links, *, max_isl_range=None, atmosphere_height=None,
                   cluster: Constellation | None = None, cluster_links: int = 2, cluster_max_range=None,
                   cluster_mesh: bool = True) -> "Network":
        """Any static candidate link list ``links`` (shape ``(n_link, 2)``, relay indices)."""
        e = np.asarray(links)
        if e.size == 0:
            e = np.zeros((0, 2), np.intp)
        if e.ndim != 2 or e.shape[1] != 2 or not np.issubdtype(e.dtype, np.integer):
            raise InputError(f"links: expected an integer array of shape (n_link, 2), got {e.dtype} {e.shape}")
        if e.size and (e.min() < 0 or e.max() >= len(relay)):
            raise InputError(f"links: indices must be in 0..{len(relay) - 1}, got {e.min()}..{e.max()}")
        e = np.sort(e.astype(np.intp), axis=1)
        e = np.unique(e[e[:, 0] != e[:, 1]], axis=0) if len(e) else e
        rmax = np.inf if max_isl_range is None else float(magnitude(max_isl_range, "m", "max_isl_range"))
        h = DEFAULT_ATMOSPHERE_HEIGHT_M if atmosphere_height is None else float(
            magnitude(atmosphere_height, "m", "atmosphere_height"))
        cmax = np.inf if cluster_max_range is None else float(magnitude(cluster_max_range, "m", "cluster_max_range"))
        if not (rmax > 0 and cmax > 0 and h >= 0):
            raise InputError(f"max_isl_range, cluster_max_range must be > 0 and atmosphere_height >= 0; got "
                             f"{rmax} m, {cmax} m, {h} m")
        if isinstance(cluster_links, bool) or not isinstance(cluster_links, (int, np.integer)) or cluster_links < 0:
            raise InputError(f"cluster_links: {cluster_links!r} is not an integer >= 0")
        if cluster is not None and not isinstance(cluster, Constellation):
            raise InputError(f"cluster: expected a Constellation, got {type(cluster).__name__}")
        return cls(relay, e, rmax, h, cluster, int(cluster_links), cmax, bool(cluster_mesh))

    @classmethod
    def bent_pipe(cls, relay: Constellation, *, cluster: Constellation | None = None) -> "Network":
        """No inter-satellite links: traffic goes up and down through ground stations/relays."""
        return cls.from_links(relay, np.zeros((0, 2), np.intp), cluster=cluster, cluster_links=0,
                              cluster_mesh=False)

    # ---------------------------------------------------------------- per snapshot
    def isl_edges_si(self, r_relay: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Usable relay links at a block of times.

        Parameters
        ----------
        r_relay : ndarray, shape ``(n_relay, n_time, 3)`` [m]

        Returns
        -------
        valid : ndarray of bool, shape ``(n_time, n_link)``
        range : ndarray, shape ``(n_time, n_link)`` [m]
        min_radius : ndarray, shape ``(n_time, n_link)`` [m]
            Closest approach of each line of sight to the Earth's centre.
        """
        a = r_relay[self.links[:, 0]].transpose(1, 0, 2)
        b = r_relay[self.links[:, 1]].transpose(1, 0, 2)
        d = b - a
        rng = np.sqrt(np.einsum("...i,...i->...", d, d))
        rmin = segment_min_radius_si(a, b)
        with np.errstate(invalid="ignore"):
            valid = (rng <= self.max_isl_range_m) & (rmin >= R_EARTH + self.atmosphere_height_m)
        return valid, rng, rmin

    def cluster_edges_si(self, r_relay_t: np.ndarray, r_cluster_t: np.ndarray):
        """Cluster links at one time step: ``(i, j, range)`` with node indices of the graph."""
        ii, jj, rr = [], [], []
        if self.cluster_links > 0 and len(r_cluster_t):
            i, j, d = nearest_links_si(r_cluster_t, r_relay_t, k=self.cluster_links,
                                       max_range_m=self.cluster_max_range_m,
                                       atmosphere_height_m=self.atmosphere_height_m)
            ii.append(i + self.n_relay)
            jj.append(j)
            rr.append(d)
        if self.cluster_mesh and len(r_cluster_t) > 1:
            i, j, d = nearest_links_si(r_cluster_t, None, k=len(r_cluster_t) - 1,
                                       max_range_m=self.cluster_max_range_m,
                                       atmosphere_height_m=self.atmosphere_height_m)
            ii.append(i + self.n_relay)
            jj.append(j + self.n_relay)
            rr.append(d)
        if not ii:
            e = np.zeros(0, np.intp)
            return e, e, np.zeros(0)
        return np.concatenate(ii), np.concatenate(jj), np.concatenate(rr)


# --------------------------------------------------------------------------- ground
def _ground_links_block(r_t: np.ndarray, sites: GroundSites, sin_min_el: np.ndarray):
    """Visible (time, site, satellite) triples and slant ranges in a block of times.

    r_t : (n_time, n_sat, 3) Earth-fixed [m].  Returns ``t, g, s, range`` sorted by
    (t, g, s).  A cheap cone test on unit vectors (float32 matrix product) selects
    candidates; the exact geodetic elevation test is then done in float64 on them.
    """
    n_t, n_sat = r_t.shape[:2]
    n_g = len(sites)
    if n_g == 0 or n_sat == 0 or n_t == 0:
        e = np.zeros(0, np.intp)
        return e, e, e, np.zeros(0)
    s_ecef = sites.ecef
    up = sites.enu[:, 2, :]
    R = np.linalg.norm(s_ecef, axis=1)
    with np.errstate(invalid="ignore"):
        rn = np.linalg.norm(r_t, axis=-1)
        r_max = np.nanmax(rn) if np.isfinite(rn).any() else R_EARTH
        eps = np.arcsin(np.clip(sin_min_el, -1.0, 1.0))
        # largest central angle to a satellite at r_max above elevation eps from radius R,
        # plus 0.5 deg for geodetic vs geocentric up (<= 0.19 deg) and float32 rounding
        lam = np.arccos(np.clip(R * np.cos(eps) / r_max, -1.0, 1.0)) - eps + np.radians(0.5)
        cos_lam = np.cos(np.minimum(lam, np.pi))
        u_sat = (r_t / rn[..., None]).astype(np.float32).reshape(-1, 3)
        u_site = (s_ecef / R[:, None]).astype(np.float32)
        cosang = (u_sat @ u_site.T).reshape(n_t, n_sat, n_g)
        cand = cosang >= cos_lam.astype(np.float32)
    t, s, g = np.nonzero(cand)
    d = r_t[t, s] - s_ecef[g]
    rng = np.sqrt(np.einsum("ij,ij->i", d, d))
    with np.errstate(invalid="ignore", divide="ignore"):
        ok = np.einsum("ij,ij->i", d, up[g]) >= rng * sin_min_el[g]
    t, g, s, rng = t[ok], g[ok], s[ok], rng[ok]
    order = np.lexsort((s, g, t))
    return t[order], g[order], s[order], rng[order]


def _dwell_select(t, g, s, rng, n_block: int):
    """Keep, per (time, site), the satellite with the longest remaining visibility.

    Remaining visibility of a visible (t, g, s) is the number of consecutive samples from t
    on during which s stays visible from g, counted within the block (the caller extends
    the block by a look-ahead); ties go to the shorter range.  Returns a mask over the
    triples that are in the first ``n_block`` samples.
    """
    if len(t) == 0:
        return np.zeros(0, bool)
    order = np.lexsort((t, s, g))  # by pair, then time
    tt, pair = t[order], g[order].astype(np.int64) * (int(s.max()) + 1) + s[order]
    new_run = np.r_[True, (pair[1:] != pair[:-1]) | (tt[1:] != tt[:-1] + 1)]
    run_id = np.cumsum(new_run) - 1
    run_end = np.zeros(run_id[-1] + 1, np.int64)
    np.maximum.at(run_end, run_id, tt)
    remaining = np.empty(len(t), np.int64)
    remaining[order] = run_end[run_id] - tt + 1
    # per (t, g): max remaining, then min range
    key = np.lexsort((rng, -remaining, g, t))
    first = np.r_[True, (t[key][1:] != t[key][:-1]) | (g[key][1:] != g[key][:-1])]
    keep = np.zeros(len(t), bool)
    keep[key[first]] = True
    return keep & (t < n_block)


def serving_satellite(con: Constellation, sites: GroundSites, times, *, min_elevation,
                      attach: Literal["delay", "dwell"] = "delay", dwell_horizon=None,
                      max_bytes: int = 64 * 2**20):
    """The satellite each site would use at each time, and its slant range.

    Parameters
    ----------
    con : Constellation
        ``n_sat`` satellites.
    sites : GroundSites
        ``n_site`` terminals.
    times : time-like, shape ``(n_time,)``
    min_elevation : Quantity [angle]
        Scalar or one per site.
    attach : {"delay", "dwell"}
        ``"delay"``: the nearest visible satellite (shortest slant range); ``"dwell"``: the
        visible satellite that stays visible the longest (ties to the nearer), counted on the
        time grid up to ``dwell_horizon`` (default half the longest orbital period).
    max_bytes : int
        Memory bound per block of times.

    Returns
    -------
    index : ndarray of int32, shape ``(n_site, n_time)``
        Satellite index; -1 where none is visible.
    range : Quantity, shape ``(n_site, n_time)`` [km]
        Slant range to it; NaN where none is visible.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.network import serving_satellite
    >>> con = oc.Constellation.walker_delta(total=66, planes=6, phasing=1, altitude=550 * oc.u.km,
    ...     inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
    >>> t = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T00:05:00Z", step=60 * oc.u.s)
    >>> idx, rng = serving_satellite(con, oc.GroundSites.cities(limit=3), t, min_elevation=10 * oc.u.deg)
    >>> idx.shape, rng.units
    ((3, 6), <Unit('kilometer')>)
    """
    t = to_time(times, "times")
    if not t.shape:
        t = timescale().tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
    sites = _as_sites(sites, "sites")
    if attach not in ("delay", "dwell"):
        raise InputError(f"attach: {attach!r} is unknown; choose 'delay' (default) or 'dwell'")
    n_site, n_time = len(sites), len(t)
    sin_el = _sin_el(min_elevation, "min_elevation", max(n_site, 1))[:n_site]
    look = _look_ahead(con, t, attach, dwell_horizon)
    idx = np.full((n_site, n_time), -1, np.int32)
    rng_out = np.full((n_site, n_time), np.nan)
    per_t = 8 * (8 * max(1, len(con)) + max(1, len(con)) * max(1, n_site))
    block = max(1, min(n_time, int(max_bytes) // per_t))
    for k0 in range(0, n_time, block):
        k1 = min(n_time, k0 + block)
        ke = min(n_time, k1 + look)
        r = con.states_si(t[k0:ke], "itrs")[0]
        gt, gg, gs, grng = _ground_links_block(np.ascontiguousarray(r.transpose(1, 0, 2)), sites, sin_el)
        if attach == "dwell":
            keep = _dwell_select(gt, gg, gs, grng, k1 - k0)
        else:  # nearest: per (t, g) the smallest range (triples are sorted by t, g)
            key = np.lexsort((grng, gg, gt))
            first = np.r_[True, (gt[key][1:] != gt[key][:-1]) | (gg[key][1:] != gg[key][:-1])] if len(key) else key
            keep = np.zeros(len(gt), bool)
            keep[key[first]] = True
            keep &= gt < (k1 - k0)
        idx[gg[keep], k0 + gt[keep]] = gs[keep]
        rng_out[gg[keep], k0 + gt[keep]] = grng[keep]
    return idx, quantity(rng_out / 1e3, "km")


def _look_ahead(con: Constellation, t, attach: str, dwell_horizon) -> int:
    """Samples of look-ahead for the dwell policy (0 for "delay")."""
    if attach != "dwell" or len(t) < 2:
        return 0
    step_s = float(np.median(np.diff(seconds_between(t[0], t))))
    if dwell_horizon is None:
        horizon = 0.5 * float(np.nanmax(con.period.m))
    else:
        horizon = float(magnitude(dwell_horizon, "s", "dwell_horizon"))
    return max(1, int(math.ceil(horizon / step_s)))


# --------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class Routes:
    """Shortest routes from sources to destinations over time.

    Attributes
    ----------
    delay_s : ndarray, shape ``(n_src, n_dst, n_time)`` [s]
        One-way propagation delay of the shortest path; NaN where no path exists.
    hops : ndarray of int16, shape ``(n_src, n_dst, n_time)``
        Links on the path (-1 where none).
    access : ndarray of int16, shape ``(n_src, n_dst, n_time)``
        Ground-space links on the path (up- and down-links, bent-pipe bounces).
    server : ndarray of int32, shape ``(n_dst, n_time)``, or None
        For ``sources="cluster"``: index of the cluster satellite reached (-1: none).
    source_names, destination_names : tuple of str
    index : slice
        Which entries of the caller's times these are (see :func:`iter_routes`).
    """

    delay_s: np.ndarray
    hops: np.ndarray
    access: np.ndarray
    server: np.ndarray | None
    source_names: tuple[str, ...]
    destination_names: tuple[str, ...]
    index: slice = field(default_factory=lambda: slice(None))

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.delay_s.shape)

    @property
    def one_way_delay(self):
        """One-way propagation delay, shape ``(n_src, n_dst, n_time)`` [ms]; NaN: no path."""
        return quantity(self.delay_s * 1e3, "ms")

    @property
    def rtt(self):
        """Propagation-only round-trip time ``2 x delay``, shape ``(n_src, n_dst, n_time)`` [ms]."""
        return quantity(2e3 * self.delay_s, "ms")

    @property
    def available(self) -> np.ndarray:
        """True where a path exists, shape ``(n_src, n_dst, n_time)``."""
        return np.isfinite(self.delay_s)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The graph of one time step, for inspection and path extraction.

    Attributes
    ----------
    graph : scipy.sparse.csr_matrix, shape ``(n_node, n_node)``
        Directed one-way delays [s].
    n_relay, n_cluster, n_source, n_destination, n_relay_ground : int
        Node blocks, in this order.
    """

    graph: object
    n_relay: int
    n_cluster: int
    n_source: int
    n_destination: int
    n_relay_ground: int

    @property
    def n_space(self) -> int:
        return self.n_relay + self.n_cluster

    def source_node(self, k: int) -> int:
        return self.n_space + int(k)

    def destination_node(self, k: int) -> int:
        return self.n_space + self.n_source + int(k)

    def path(self, source_node: int, target_node: int) -> list[int]:
        """Node indices of the shortest path (empty if none)."""
        d, _, _, pred, _ = shortest_paths_si(self.graph, [source_node], [target_node], count_hops=False)
        if not np.isfinite(d[0, 0]):
            return []
        out = [int(target_node)]
        while out[-1] != source_node:
            out.append(int(pred[0, out[-1]]))
        return out[::-1]


# --------------------------------------------------------------------------- routing
def _as_sites(x, name: str) -> GroundSites:
    if isinstance(x, GroundSites):
        return x
    raise InputError(f"{name}: expected GroundSites (e.g. oc.GroundSites.from_latlon(...)), got {type(x).__name__}")


def _sin_el(value, name: str, n: int) -> np.ndarray:
    el = np.broadcast_to(np.atleast_1d(magnitude(value, "rad", name)), (n,)).astype(float)
    if np.any(~np.isfinite(el)) or np.any(np.abs(el) > np.pi / 2):
        raise InputError(f"{name}: must be within -90..90 deg, got {np.degrees(el).tolist()[:5]} deg")
    return np.sin(el)


def iter_routes(network: Network, sources, destinations: GroundSites, times, *, min_elevation=None,
                destination_min_elevation=None, relays: GroundSites | None = None, relay_min_elevation=None,
                attach: Literal["delay", "dwell"] = "delay", dwell_horizon=None, count_hops: bool = True,
                max_bytes: int = 64 * 2**20, _plan: tuple[int, int, int] | None = None) -> Iterator[Routes]:
    """Like :func:`route`, yielding one :class:`Routes` per block of times (bounded memory).

    Each yielded ``Routes.index`` says which of the caller's times it covers.
    (``_plan = (n_own, look, block)``, private: route only the first ``n_own`` times, the
    rest being look-ahead, in blocks of ``block`` times; how :func:`route` hands a span
    of the blocks of a whole run to an executor.)
    """
    t = to_time(times, "times")
    if not t.shape:
        t = timescale().tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
    n_time = len(t)
    if min_elevation is None:
        raise InputError("min_elevation: give the ground terminals' minimum elevation, e.g. 25 * oc.u.deg")
    dst = _as_sites(destinations, "destinations")
    nearest = isinstance(sources, str)
    if nearest:
        if sources != "cluster" or network.cluster is None:
            raise InputError("sources: the only keyword is 'cluster', for a Network built with cluster=...")
        src = None
        n_src = 0
    else:
        src = _as_sites(sources, "sources")
        n_src = len(src)
    rel = None if relays is None else _as_sites(relays, "relays")
    n_rel = 0 if rel is None else len(rel)
    n_dst = len(dst)
    if attach not in ("delay", "dwell"):
        raise InputError(f"attach: {attach!r} is unknown; choose 'delay' (default) or 'dwell'")
    sin_src = _sin_el(min_elevation, "min_elevation", max(n_src, 1))[:n_src]
    sin_dst = _sin_el(min_elevation if destination_min_elevation is None else destination_min_elevation,
                      "destination_min_elevation", max(n_dst, 1))[:n_dst]
    sin_rel = _sin_el(min_elevation if relay_min_elevation is None else relay_min_elevation,
                      "relay_min_elevation", max(n_rel, 1))[:n_rel]

    # one ground set with every terminal: sources (up), destinations (down), relays (both)
    parts = [x for x in (src, dst, rel) if x is not None and len(x)]
    ground = parts[0] if len(parts) == 1 else _concat_sites(parts) if parts else None
    sin_all = np.concatenate([sin_src, sin_dst, sin_rel])
    n_relay, n_space = network.n_relay, network.n_space
    N = n_space + n_src + n_dst + n_rel
    src_nodes = np.arange(n_space, n_space + n_src)
    dst_nodes = np.arange(n_space + n_src, n_space + n_src + n_dst)
    cluster_nodes = np.arange(n_relay, n_space)
    # role of each ground terminal: 0 source (up only), 1 destination (down only), 2 relay
    role = np.r_[np.zeros(n_src, np.int8), np.ones(n_dst, np.int8), np.full(n_rel, 2, np.int8)]

    n_own, look, block = _plan or _block_plan(network, t, len(sin_all), attach, dwell_horizon, max_bytes)
    srcnames = ("nearest cluster satellite",) if nearest else src.names
    for k0 in range(0, n_own, block):
        k1 = min(n_own, k0 + block)
        ke = min(n_time, k1 + look)
        r_rel, _, _ = network.relay.states_si(t[k0:ke], "itrs")
        r_clu = network.cluster.states_si(t[k0:ke], "itrs")[0] if network.cluster is not None else None
        nb = k1 - k0
        valid, rng_isl, _ = network.isl_edges_si(r_rel[:, :nb])
        if ground is not None:
            # ground terminals attach to relay satellites only (user terminals of the relay)
            gt, gg, gs, grng = _ground_links_block(np.ascontiguousarray(r_rel.transpose(1, 0, 2)), ground, sin_all)
            if attach == "dwell":
                keep = _dwell_select(gt, gg, gs, grng, nb)
            else:
                keep = gt < nb
            gt, gg, gs, grng = gt[keep], gg[keep], gs[keep], grng[keep]
            bounds = np.searchsorted(gt, np.arange(nb + 1))
        delay = np.full((max(n_src, 1) if not nearest else 1, n_dst, nb), np.nan)
        hops = np.full(delay.shape, -1, np.int16)
        acc = np.zeros(delay.shape, np.int16)
        server = np.full((n_dst, nb), -1, np.int32) if nearest else None
        for k in range(nb):  # one graph and one Dijkstra per time step (scipy call)
            ia, ib = network.links[valid[k], 0], network.links[valid[k], 1]
            w = rng_isl[k, valid[k]] / C_LIGHT
            e_src, e_dst, e_w = [ia, ib], [ib, ia], [w, w]
            if r_clu is not None:
                ci, cj, cr = network.cluster_edges_si(r_rel[:, k], r_clu[:, k])
                e_src += [ci, cj]
                e_dst += [cj, ci]
                e_w += [cr / C_LIGHT, cr / C_LIGHT]
            if ground is not None:
                sl = slice(bounds[k], bounds[k + 1])
                g, s, wg = gg[sl], gs[sl], grng[sl] / C_LIGHT
                node = n_space + g
                ro = role[g]
                up = ro != 1  # sources and relays send up
                dn = ro != 0  # destinations and relays receive
                e_src += [node[up], s[dn]]
                e_dst += [s[up], node[dn]]
                e_w += [wg[up], wg[dn]]
            graph = _csr(N, np.concatenate(e_src), np.concatenate(e_dst), np.concatenate(e_w))
            if nearest:
                d, h, a, _, srv = shortest_paths_si(graph, cluster_nodes, dst_nodes, nearest=True,
                                                    n_space=n_space, count_hops=count_hops)
                server[:, k] = np.where(srv >= 0, srv - n_relay, -1)
            elif n_src:
                d, h, a, _, _ = shortest_paths_si(graph, src_nodes, dst_nodes, n_space=n_space,
                                                  count_hops=count_hops)
            else:
                continue
            delay[:, :, k] = np.where(np.isfinite(d), d, np.nan)
            if count_hops:
                hops[:, :, k] = h
                acc[:, :, k] = a
        if not nearest and n_src == 0:
            delay = delay[:0]
            hops, acc = hops[:0], acc[:0]
        yield Routes(delay, hops, acc, server, srcnames, dst.names, slice(k0, k1))


def _block_plan(network: Network, t, n_ground: int, attach: str, dwell_horizon, max_bytes) -> tuple[int, int, int]:
    """(times routed, look-ahead samples, times per block) of :func:`iter_routes`."""
    n_time, n_space = len(t), network.n_space
    look = _look_ahead(network.relay, t, attach, dwell_horizon)
    per_t = 8 * (3 * n_space * 4 + max(1, len(network.links)) * 12 + max(1, n_space) * max(1, n_ground) * 2)
    return n_time, look, max(1, min(n_time, int(max_bytes) // max(per_t, 1)))


def _route_span(network, sources, destinations, times, kwargs, plan) -> Routes:
    """Routes of one span of blocks (runs on a worker): :func:`iter_routes` joined."""
    return _join(list(iter_routes(network, sources, destinations, times, **kwargs, _plan=plan)))


def _join(parts: list[Routes], offset: int = 0) -> Routes:
    first = parts[0]
    cat = lambda name, axis: np.concatenate([getattr(p, name) for p in parts], axis=axis)  # noqa: E731
    return Routes(cat("delay_s", 2), cat("hops", 2), cat("access", 2),
                  None if first.server is None else cat("server", 1), first.source_names,
                  first.destination_names, slice(0, offset + parts[-1].index.stop))


#: Most spans of time blocks :func:`route` hands to an executor (a few per worker keep
#: both cores of a small machine, or the workers of a cluster, busy to the end).
ROUTE_SPANS = 16


def route(network: Network, sources, destinations: GroundSites, times, *, min_elevation=None,
          destination_min_elevation=None, relays: GroundSites | None = None, relay_min_elevation=None,
          attach: Literal["delay", "dwell"] = "delay", dwell_horizon=None, count_hops: bool = True,
          max_bytes: int = 64 * 2**20, executor="auto", progress=None) -> Routes:
    """Shortest routes between ground places (or from a compute cluster) at every time step.

    At each time step the graph holds the usable relay links (range, line of sight), the
    cluster links, and a link from every ground terminal to every relay satellite it sees
    above its minimum elevation (one-way delay ``slant range / c``); Dijkstra
    (``scipy.sparse.csgraph.dijkstra``) runs from the sources only.

    Parameters
    ----------
    network : Network
    sources : GroundSites or "cluster"
        ``n_src`` places, or ``"cluster"``: every cluster satellite, and each destination
        is reached from the nearest one (one multi-source Dijkstra, ``min_only``).
    destinations : GroundSites
        ``n_dst`` places.
    times : time-like, shape ``(n_time,)``
    min_elevation : Quantity [angle]
        Lowest elevation at which a terminal links to a satellite (scalar or one per source).
    destination_min_elevation, relay_min_elevation : Quantity [angle], optional
        Defaults to ``min_elevation``.
    relays : GroundSites, optional
        Ground relays (gateways) that traffic may bounce through (bent pipe; no ISL needed).
    attach : {"delay", "dwell"}
        End-point choice.  ``"delay"`` (default): a terminal may use any satellite it sees,
        so the route starts and ends at the satellites minimising the total delay.
        ``"dwell"``: a terminal uses only the visible satellite that will stay visible the
        longest (fewest handovers; ties to the nearer one), so the delay is higher.
        Remaining visibility is counted on the time grid up to ``dwell_horizon``.
    dwell_horizon : Quantity [time], optional
        Look-ahead for ``"dwell"``; default half the longest orbital period of the relay.
    count_hops : bool
        Walk the paths to count hops (a few % of the run time).
    max_bytes : int
        Memory bound for a block of times (the result itself is extra; per worker on an
        executor).
    executor : concurrent.futures.Executor, "auto" or None
        Where spans of time blocks are routed: any executor (a process pool, or
        ``distributed.Client(address).get_executor()`` for a Dask cluster); ``None``: in
        this process; ``"auto"`` (default): a forked pool over this machine's cores for
        runs of at least :data:`orbitcompute._scale.AUTO_MIN_WORK` times x space nodes x
        ground places, else in this process.  The spans are made of the same blocks of
        times as a run in one process, so the result is identical, bit for bit.
    progress : callable, optional
        ``progress(done, total)`` after each span of time blocks.

    Returns
    -------
    Routes
        Delays and hop counts of shape ``(n_src, n_dst, n_time)`` (``n_src = 1`` for
        ``"cluster"``).

    Notes
    -----
    A place is split into an up node (out-edges only) and a down node (in-edges only),
    so routes never transit a user terminal; only ``relays`` forward traffic on the ground.
    Delays are propagation only (vacuum, straight lines, no refraction); add processing,
    scheduling and queueing with :class:`orbitcompute.latency.Overheads`.
    """

    _scale.check_executor(executor)
    kwargs = dict(min_elevation=min_elevation, destination_min_elevation=destination_min_elevation, relays=relays,
                  relay_min_elevation=relay_min_elevation, attach=attach, dwell_horizon=dwell_horizon,
                  count_hops=count_hops, max_bytes=max_bytes)
    t = to_time(times, "times")
    n_ground = (0 if isinstance(sources, str) else len(_as_sites(sources, "sources")))
    n_ground += len(_as_sites(destinations, "destinations")) + (0 if relays is None else len(relays))
    work = float(len(t) if t.shape else 1) * network.n_space * max(1, n_ground)
    if executor is None or (executor == "auto" and work < _scale.AUTO_MIN_WORK) or not t.shape or len(t) < 2:
        return _join(list(iter_routes(network, sources, destinations, times, **kwargs)))
    # Spans of whole blocks of the one-process plan, each with its look-ahead samples:
    # every block sees the same times as in one process, so the result is identical.
    n_time, look, block = _block_plan(network, t, n_ground, attach, dwell_horizon, max_bytes)
    n_block = -(-n_time // block)
    per_span = -(-n_block // ROUTE_SPANS) * block
    starts = list(range(0, n_time, per_span))
    tasks = [(network, sources, destinations, t[a:min(n_time, a + per_span + look)], kwargs,
              (min(per_span, n_time - a), look, block)) for a in starts]
    parts = _scale.run_groups(_route_span, tasks, executor, work, progress)
    return _join(parts, starts[-1])


def snapshot(network: Network, time, sources: GroundSites | None = None, destinations: GroundSites | None = None,
             *, min_elevation=None, relays: GroundSites | None = None) -> Snapshot:
    """The routing graph at one time (for inspection, plotting or path extraction).

    Node numbering as in :func:`route`: relay, cluster, source (up), destination (down),
    relay-ground nodes.
    """
    t = to_time(time, "time")
    if t.shape:
        raise InputError("time: give one time for a snapshot")
    t1 = timescale().tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
    empty = GroundSites((), [], [], [])
    src = empty if sources is None else _as_sites(sources, "sources")
    dst = empty if destinations is None else _as_sites(destinations, "destinations")
    rel = empty if relays is None else _as_sites(relays, "relays")
    if (len(src) or len(dst) or len(rel)) and min_elevation is None:
        raise InputError("min_elevation: needed to attach ground terminals, e.g. 25 * oc.u.deg")
    n = len(src) + len(dst) + len(rel)
    sin_all = _sin_el(min_elevation if min_elevation is not None else 0.0 * _deg(), "min_elevation", max(n, 1))[:n]
    r_rel = network.relay.states_si(t1, "itrs")[0]
    r_clu = network.cluster.states_si(t1, "itrs")[0] if network.cluster is not None else None
    valid, rng, _ = network.isl_edges_si(r_rel)
    ia, ib, w = network.links[valid[0], 0], network.links[valid[0], 1], rng[0, valid[0]] / C_LIGHT
    es, ed, ew = [ia, ib], [ib, ia], [w, w]
    n_space = network.n_space
    if r_clu is not None:
        ci, cj, cr = network.cluster_edges_si(r_rel[:, 0], r_clu[:, 0])
        es += [ci, cj]
        ed += [cj, ci]
        ew += [cr / C_LIGHT, cr / C_LIGHT]
    if n:
        ground = _concat_sites([x for x in (src, dst, rel) if len(x)])
        gt, gg, gs, grng = _ground_links_block(np.ascontiguousarray(r_rel.transpose(1, 0, 2)), ground, sin_all)
        role = np.r_[np.zeros(len(src), np.int8), np.ones(len(dst), np.int8), np.full(len(rel), 2, np.int8)][gg]
        node = n_space + gg
        up, dn = role != 1, role != 0
        es += [node[up], gs[dn]]
        ed += [gs[up], node[dn]]
        ew += [grng[up] / C_LIGHT, grng[dn] / C_LIGHT]
    N = n_space + n
    g = _csr(N, np.concatenate(es), np.concatenate(ed), np.concatenate(ew))
    return Snapshot(g, network.n_relay, network.n_cluster, len(src), len(dst), len(rel))


def _deg():
    return u.deg


def _concat_sites(parts: list[GroundSites]) -> GroundSites:
    pops = [p.population for p in parts]
    pop = None if any(p is None for p in pops) else np.concatenate(pops)
    return GroundSites(
        tuple(n for p in parts for n in p.names),
        np.concatenate([p.lat_rad for p in parts]),
        np.concatenate([p.lon_rad for p in parts]),
        np.concatenate([p.height_m for p in parts]),
        pop,
    )
