"""Capacity: how many bits the orbital data centre can move to each user region, per time
step, and how much of the workload's compute that lets it deliver.

Latency says how long a bit takes; capacity says how many fit.  The feasibility model
(:mod:`orbitcompute.feasibility`) computes the geometry here once and turns it into a
delivered fraction per region and per assumption draw:

* **Relay architecture** (cluster reached over a relay shell's laser links).  At each time
  step the cluster's egress is the sum, over its satellites and their ``links`` optical
  terminals, of the optical rate at the range to the nearest relay satellites in sight
  (:func:`cluster_relay_ranges`, the same links the routing uses).  The relay then
  delivers to a region through the relay satellites its places see
  (:func:`relay_access_counts`), each giving the cluster a share of its user-link
  capacity: ``C_k(t) = min(egress(t), share x C_sat x N_k(t))``.
* **Ground-station architecture** (no relay).  Each station downlinks from the nearest
  cluster satellite it sees (:func:`station_link_geometry`) at the link budget's rate for
  that range and elevation, when its sky is clear; the weather states of
  :func:`orbitcompute._linkbudget.weather_states_si` (independent or comonotone sites) give
  the distribution of ``C(t) = sum_i B_i r_i(t)`` (:func:`station_capacity`).  Fibre from
  the stations to the users is not a bottleneck.
* **Delivered compute** = installed compute x ``min(1, C / D)`` per time step for an
  interactive workload (work that cannot wait is lost while capacity is short), or
  ``min(1, mean(C) / D)`` for a buffered (batch) one that waits for the next contact
  (:func:`served_fraction`, :class:`CapacityDistribution`).

The demand ``D`` is the workload's bits in and out per second
(:func:`orbitcompute.workload.demand_bps`).  Each
region is compared as if the whole workload served its users, as the rest of the model does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._linkbudget import optical_rate_si, site_diversity_availability_si, weather_states_si
from ._links import DEFAULT_ATMOSPHERE_HEIGHT_M, segment_min_radius_si
from .constants import R_EARTH
from .network import _ground_links_block

__all__ = ["CapacityDistribution", "site_diversity", "terminal_rate_si", "cluster_relay_ranges", "relay_access_counts", "served_fraction",
           "station_capacity", "station_link_geometry"]


def terminal_rate_si(tx, rx, range_m, extra_loss_db=0.0, *, max_rate_bps: float | None = None) -> np.ndarray:
    """Optical link rate [bit/s] from terminal ``tx`` to terminal ``rx`` at ``range_m``
    (any shape), with an extra loss [dB] (e.g. the atmosphere of a ground link);
    :func:`orbitcompute._linkbudget.optical_rate_si` with the transmitter's power, beam,
    pointing and modems and the receiver's aperture, throughput and sensitivity.
    ``max_rate_bps`` overrides the modems' total rate.  NaN ranges give NaN.

    Examples
    --------
    >>> from orbitcompute.links import OpticalTerminal
    >>> t = OpticalTerminal.relay_isl()
    >>> float(terminal_rate_si(t, t, 1e5)) / 1e9  # 100 km: the 100 Gbit/s modem binds
    100.0
    """

    cap = float(tx.max_rate.m_as("bit/s")) if max_rate_bps is None else float(max_rate_bps)
    return optical_rate_si(np.asarray(range_m, float), tx.tx_power.m_as("W"), tx.aperture.m_as("m"),
                           rx.aperture.m_as("m"), tx.wavelength.m_as("m"), tx.pointing_jitter.m_as("rad"),
                           tx.tx_efficiency, rx.rx_efficiency, rx.photons_per_bit, 1, cap, extra_loss_db)


def served_fraction(capacity_bps, demand, *, buffered: bool = False) -> np.ndarray:
    """Fraction of the demand the links carry over a time series.

    Parameters
    ----------
    capacity_bps : array_like, shape ``(..., n_time)`` [bit/s]
    demand : array_like [bit/s]
        Broadcasts against ``capacity_bps[..., 0]`` (e.g. ``(n_draw, 1)`` for draws).
    buffered : bool
        False (interactive): ``mean_t min(1, C_t / D)``; True (batch, work waits for
        capacity): ``min(1, mean_t C_t / D)``.

    Returns
    -------
    ndarray, shape ``broadcast(capacity[..., 0], demand)``
        1 where the demand is zero.

    Examples
    --------
    >>> float(served_fraction([0.0, 100.0, 300.0], 200.0))  # (0 + 0.5 + 1) / 3
    0.5
    >>> round(float(served_fraction([0.0, 100.0, 300.0], 200.0, buffered=True)), 4)  # 133.3 / 200
    0.6667
    """
    c = np.asarray(capacity_bps, float)
    d = np.asarray(demand, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if buffered:
            out = np.minimum(1.0, np.mean(c, axis=-1) / d)
        else:
            out = np.mean(np.minimum(1.0, c / d[..., None]), axis=-1)
    return np.where(d > 0, out, 1.0)


@dataclass(frozen=True)
class CapacityDistribution:
    """The distribution of a capacity over time steps (and weather states), for served
    fractions at many demands at once.

    ``values`` sorted ascending [bit/s] with probabilities ``weights`` (summing to 1).
    ``expected_min(D) = E[min(1, C / D)] = sum_{c < D} w c / D + sum_{c >= D} w`` through
    cumulative sums and a binary search: ``O(n_draw log n)`` for any number of demands.
    """

    values: np.ndarray
    weights: np.ndarray

    @classmethod
    def from_samples(cls, values, weights=None) -> "CapacityDistribution":
        v = np.asarray(values, float).reshape(-1)
        w = np.full(v.shape, 1.0 / max(1, v.size)) if weights is None else np.asarray(weights, float).reshape(-1)
        v = np.where(np.isfinite(v), v, 0.0)
        order = np.argsort(v, kind="stable")
        return cls(v[order], w[order] / np.sum(w))

    @property
    def mean(self) -> float:
        return float(np.sum(self.values * self.weights))

    def quantile(self, q: float) -> float:
        """The smallest value whose cumulative probability reaches ``q``."""
        c = np.cumsum(self.weights)
        return float(self.values[min(len(c) - 1, int(np.searchsorted(c, q - 1e-12)))])

    def served(self, demand, *, buffered: bool = False) -> np.ndarray:
        """Served fraction at each demand [bit/s] (any shape); see :func:`served_fraction`."""
        d = np.asarray(demand, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            if buffered:
                out = np.minimum(1.0, self.mean / d)
            else:
                cwv = np.concatenate([[0.0], np.cumsum(self.weights * self.values)])
                cw = np.concatenate([[0.0], np.cumsum(self.weights)])
                k = np.searchsorted(self.values, d, side="left")  # values[:k] < d
                out = cwv[k] / d + (cw[-1] - cw[k])  # exactly 0 when every value is below d
        return np.where(d > 0, np.clip(out, 0.0, 1.0), 1.0)


# ------------------------------------------------------------------------------ geometry
def _time_blocks(n_time: int, bytes_per_step: int, max_bytes: int):
    step = max(1, int(max_bytes) // max(1, int(bytes_per_step)))
    for k0 in range(0, n_time, step):
        yield slice(k0, min(n_time, k0 + step))


def relay_access_counts(relay, places, owner, n_region: int, times, *, min_elevation_rad: float,
                        max_bytes: int = 64 * 2**20) -> np.ndarray:
    """Distinct relay satellites in view of any place of each region, per time step.

    Parameters
    ----------
    relay : Constellation
        ``n_sat`` relay satellites.
    places : GroundSites
        ``n_place`` user places.
    owner : array_like of int, shape ``(n_place,)``
        Region index of each place, ``0 <= owner < n_region``.
    n_region : int
    times : skyfield Time, shape ``(n_time,)``
    min_elevation_rad : float [rad]
        User terminals' elevation mask.
    max_bytes : int
        Memory bound per block of times.

    Returns
    -------
    ndarray of int64, shape ``(n_region, n_time)``
    """

    owner = np.asarray(owner, np.int64)
    n_time, n_sat = len(times), len(relay)
    out = np.zeros((n_region, n_time), np.int64)
    sin_el = np.full(len(places), np.sin(float(min_elevation_rad)))
    for sl in _time_blocks(n_time, 8 * n_sat * (8 + len(places)), max_bytes):
        r = relay.states_si(times[sl], "itrs")[0]
        t, g, s, _ = _ground_links_block(np.ascontiguousarray(r.transpose(1, 0, 2)), places, sin_el)
        key = np.unique((t * n_region + owner[g]) * n_sat + s)  # distinct (time, region, satellite)
        tr = key // n_sat
        counts = np.bincount(tr, minlength=(sl.stop - sl.start) * n_region).reshape(-1, n_region)
        out[:, sl] = counts.T
    return out


def cluster_relay_ranges(relay, cluster, times, *, links: int, max_range_m: float = np.inf,
                         atmosphere_height_m: float = DEFAULT_ATMOSPHERE_HEIGHT_M,
                         max_bytes: int = 64 * 2**20) -> np.ndarray:
    """Ranges of each cluster satellite's optical links to its nearest relay satellites.

    The links :meth:`orbitcompute.network.Network.cluster_edges_si` makes: per time step,
    each cluster satellite's ``links`` nearest relay satellites, kept if within
    ``max_range_m`` and with a line of sight above the atmosphere.

    Returns
    -------
    ndarray, shape ``(n_cluster, n_time, links)`` [m]
        NaN where a terminal has no partner.
    """
    n_time, n_c, n_r = len(times), len(cluster), len(relay)
    k = max(1, min(int(links), n_r))
    out = np.full((n_c, n_time, k), np.nan)
    if n_c == 0 or n_r == 0:
        return out
    for sl in _time_blocks(n_time, 8 * (3 * (n_r + n_c) + 2 * n_c * n_r), max_bytes):
        rr = relay.states_si(times[sl], "itrs")[0].transpose(1, 0, 2)  # (n_t, n_r, 3)
        rc = cluster.states_si(times[sl], "itrs")[0].transpose(1, 0, 2)  # (n_t, n_c, 3)
        d = np.linalg.norm(rc[:, :, None, :] - rr[:, None, :, :], axis=-1)  # (n_t, n_c, n_r)
        d[~np.isfinite(d)] = np.inf
        j = np.argpartition(d, k - 1, axis=-1)[..., :k] if k < n_r else np.broadcast_to(np.arange(n_r), d.shape)
        dk = np.take_along_axis(d, j, axis=-1)  # (n_t, n_c, k)
        b = np.take_along_axis(rr[:, None, :, :], j[..., None], axis=2)  # (n_t, n_c, k, 3)
        a = np.broadcast_to(rc[:, :, None, :], b.shape)
        with np.errstate(invalid="ignore"):
            ok = (dk <= max_range_m) & (segment_min_radius_si(a, b) >= R_EARTH + atmosphere_height_m)
        out[:, sl, :] = np.where(ok, dk, np.nan).transpose(1, 0, 2)
    return out


def station_link_geometry(cluster, stations, times, *, min_elevation_rad: float,
                          max_bytes: int = 64 * 2**20) -> tuple[np.ndarray, np.ndarray]:
    """Range and elevation of the nearest cluster satellite each ground station sees.

    Returns
    -------
    range_m, elevation_rad : ndarray, shape ``(n_station, n_time)``
        NaN while the station sees no cluster satellite above the mask.
    """

    n_time, n_st = len(times), len(stations)
    rng = np.full((n_st, n_time), np.nan)
    el = np.full((n_st, n_time), np.nan)
    sin_el = np.full(n_st, np.sin(float(min_elevation_rad)))
    up = stations.enu[:, 2, :]
    for sl in _time_blocks(n_time, 8 * len(cluster) * (8 + n_st), max_bytes):
        r = np.ascontiguousarray(cluster.states_si(times[sl], "itrs")[0].transpose(1, 0, 2))
        t, g, s, d = _ground_links_block(r, stations, sin_el)
        if len(t) == 0:
            continue
        key = np.lexsort((d, g, t))  # nearest first within each (t, g)
        t, g, s, d = t[key], g[key], s[key], d[key]
        first = np.r_[True, (t[1:] != t[:-1]) | (g[1:] != g[:-1])]
        t, g, s, d = t[first], g[first], s[first], d[first]
        los = r[t, s] - stations.ecef[g]
        sin_e = np.einsum("ij,ij->i", los, up[g]) / d
        rng[g, sl.start + t] = d
        el[g, sl.start + t] = np.arcsin(np.clip(sin_e, -1.0, 1.0))
    return rng, el


def station_capacity(rates_bps, clear_fraction, *, correlation: str = "independent") -> CapacityDistribution:
    """Distribution of the ground segment's capacity ``sum_i B_i r_i(t)`` over time steps and
    weather states ``B`` (:func:`orbitcompute._linkbudget.weather_states_si`).

    Parameters
    ----------
    rates_bps : array_like, shape ``(n_station, n_time)`` [bit/s]
        Each station's downlink rate when its sky is clear (0 or NaN out of contact).
    clear_fraction : array_like, shape ``(n_station,)``
        Probability that each station's sky is clear.
    correlation : {"independent", "comonotone"}
        Weather across sites: independent, or perfectly positively correlated (the
        pessimistic bound of a real network).
    """

    r = np.nan_to_num(np.asarray(rates_bps, float), nan=0.0)
    if r.shape[0] == 0:
        return CapacityDistribution.from_samples(np.zeros(max(1, r.shape[1])))
    states, w = weather_states_si(np.asarray(clear_fraction, float), correlation)
    cap = states @ r  # (n_state, n_time)
    weights = np.broadcast_to(w[:, None] / r.shape[1], cap.shape)
    return CapacityDistribution.from_samples(cap, weights)


def site_diversity(clear_fraction, correlation: str) -> float:
    """Probability that at least one station is clear
    (:func:`orbitcompute.links.site_diversity_availability`)."""

    return float(site_diversity_availability_si(np.asarray(clear_fraction, float), correlation))
