"""Search kernels behind :func:`orbitcompute.visibility.find_passes` (plain SI arrays).

The public module explains the method; this one holds its pieces: topocentric
geometry, pruning of a block of samples, root refinement of extrema and threshold
crossings on an interpolant of the sampled positions, and assembly of events into passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._events import illinois, sign_changes
from ._lagrange import Polynomials, inverse_vandermonde, node_derivatives
from .constants import OMEGA_EARTH
from .errors import InputError
from .time import offset
from .units import magnitude

# Root refinement: Illinois (modified regula falsi, :mod:`._events`) keeps a bracket and
# converges superlinearly; these are the bracket widths at which it stops [s].
_TOL_EXTREMUM_S = 1e-4  # elevation is flat at a culmination: 0.1 ms is ample
_TOL_CROSSING_S = 1e-6
_MAX_ITER = 60
#: Distance [fraction of an interval] beyond a predicted root at which a second point is
#: probed to close the bracket (the cubic predictors are good to ~1e-4 of an interval).
_PROBE = 2e-3
_GEODETIC_MARGIN = np.radians(0.25)  # geodetic vs geocentric vertical differ by <= 0.19 deg
#: Samples per interpolation stencil (degree-5 Lagrange polynomial through positions).
STENCIL = 6
#: Most coarse samples one :func:`~orbitcompute.visibility.find_passes` call takes (a year
#: at 32 s; the default step at 550 km, 80 s, gives 394,000 for a year).  Blocks of 32
#: samples cost ~2 ms each whatever the constellation, so a million samples is ~1 minute.
MAX_PASS_SAMPLES = 1_000_000
#: Memory kept per coarse sample for the whole window: the grid and its copy [byte].
GRID_BYTES_PER_SAMPLE = 16

# event kinds, in the order they sort at equal times
RISE_CLIPPED, RISE, MAX, SET, SET_CLIPPED = 0, 1, 2, 3, 4


def _enu(x, sin_lat, cos_lat, sin_lon, cos_lon):
    """East, North and Up components of the ECEF vectors ``x`` (xyz last) at a site."""
    dx, dy, dz = x[..., 0], x[..., 1], x[..., 2]
    horizontal = cos_lon * dx + sin_lon * dy
    return (-sin_lon * dx + cos_lon * dy, -sin_lat * horizontal + cos_lat * dz,
            cos_lat * horizontal + sin_lat * dz)


def _rates(r, v, site_pos, trig):
    """The range (e, n, u) and its rate, h^2 = e^2 + n^2, h and the elevation rate
    el' = (u' h^2 - u (e e' + n n')) / (h (h^2 + u^2)) [rad/s]."""
    e, n, up = _enu(r - site_pos, *trig)
    ve, vn, vu = _enu(v, *trig)
    h2 = e * e + n * n
    h = np.sqrt(h2)
    return e, n, up, ve, vn, h2, h, (vu * h2 - up * (e * ve + n * vn)) / (h * (h2 + up * up))


def _topocentric(r, v, site_pos, sin_lat, cos_lat, sin_lon, cos_lon, thr):
    """Elevation, f = elevation - threshold [rad], and the rates of elevation and of f.

    All arguments broadcast; vectors have xyz last.  With (e, n, u) the East-North-Up
    range and h^2 = e^2 + n^2: el' = (u' h^2 - u (e e' + n n')) / (h (h^2 + u^2)) and
    az' = (n e' - e n') / h^2 [rad/s]; f' = el' - (d mask / d az) az'.
    """
    e, n, up, ve, vn, h2, h, el_rate = _rates(r, v, site_pos, (sin_lat, cos_lat, sin_lon, cos_lon))
    el = np.arctan2(up, h)
    if thr.mask is None:
        return el, el - thr.min_el, el_rate, el_rate
    az = np.mod(np.arctan2(e, n), 2 * np.pi)
    az_rate = (n * ve - e * vn) / h2
    return el, el - thr(az), el_rate, el_rate - thr.slope(az) * az_rate


def _elevation(r, site_pos, sin_lat, cos_lat, sin_lon, cos_lon, thr):
    """Elevation and f = elevation - threshold [rad] (no rates), as :func:`_topocentric`."""
    e, n, up = _enu(r - site_pos, sin_lat, cos_lat, sin_lon, cos_lon)
    el = np.arctan2(up, np.sqrt(e * e + n * n))
    if thr.mask is None:
        return el, el - thr.min_el
    return el, el - thr(np.mod(np.arctan2(e, n), 2 * np.pi))


def _elevation_rate(r, v, site_pos, sin_lat, cos_lat, sin_lon, cos_lon):
    """The elevation rate alone [rad/s], as :func:`_topocentric` computes it (the same
    expression), for the search of culminations."""
    return _rates(r, v, site_pos, (sin_lat, cos_lat, sin_lon, cos_lon))[-1]


@dataclass(frozen=True)
class Sites:
    """Site positions and the sines/cosines of their geodetic coordinates (SI)."""

    pos: np.ndarray  # (n_site, 3)
    sin_lat: np.ndarray
    cos_lat: np.ndarray
    sin_lon: np.ndarray
    cos_lon: np.ndarray

    @classmethod
    def of(cls, sites) -> "Sites":
        return cls(sites.ecef, np.sin(sites.lat_rad), np.cos(sites.lat_rad), np.sin(sites.lon_rad), np.cos(sites.lon_rad))

    def take(self, j):
        return (np.take(self.pos, j, axis=0), *(np.take(x, j) for x in (self.sin_lat, self.cos_lat, self.sin_lon,
                                                                         self.cos_lon)))


class Threshold:
    """The minimum-elevation function eps(az) [rad]: a constant, or max(constant, mask)."""

    def __init__(self, min_el: float, mask):
        self.min_el = min_el
        self.mask = mask

    def __call__(self, az):
        if self.mask is None:
            return self.min_el
        return np.maximum(self.min_el, self.mask.at_rad(az))

    def slope(self, az):
        """d eps / d az [rad/rad] (0 where the constant minimum governs)."""
        if self.mask is None:
            return 0.0
        return np.where(self.mask.at_rad(az) > self.min_el, self.mask.slope_at_rad(az), 0.0)

    @property
    def lowest(self) -> float:
        return self.min_el if self.mask is None else max(self.min_el, self.mask.lowest_rad)


def coarse_step(con, coarse_step, angle_rad: float = np.radians(5.0)) -> float:
    """Sampling step [s]: ``angle_rad`` (default 5 deg) of true anomaly at the fastest
    point of any valid orbit, or the user's ``coarse_step``."""
    if coarse_step is not None:
        h_arr = magnitude(coarse_step, "s", "coarse_step")
        if h_arr.ndim:
            raise InputError(f"coarse_step: expected one time step, got an array of shape {h_arr.shape}; "
                             "e.g. coarse_step=30 * oc.u.s")
        h = float(h_arr)
        if not h > 0:
            raise InputError(f"coarse_step: must be positive, got {h} s; e.g. coarse_step=30 * oc.u.s")
        return h
    rate = con.max_angular_rate()
    rate = rate[np.isfinite(rate)]
    if rate.size == 0:
        return 60.0
    return float(np.clip(angle_rad / rate.max(), 1.0, 900.0))


class _Stencils:
    """The interpolation stencil of every interval of a block of samples ``tau`` (B,) [s].

    Stencils depend only on the interval's place in the block, so they are set up once per
    block: ``cols`` (B - 1, STENCIL) sample indices, ``dt`` (B - 1,) interval lengths [s]
    and ``vinv`` (B - 1, STENCIL, STENCIL) inverse Vandermonde matrices of the nodes in
    units of the interval, measured from its start.
    """

    def __init__(self, tau):
        B = len(tau)
        k = np.arange(B - 1)
        self.tau = tau
        self.cols = np.clip(k - (STENCIL // 2 - 1), 0, B - STENCIL)[:, None] + np.arange(STENCIL)
        self.dt = tau[k + 1] - tau[k]
        self.vinv = inverse_vandermonde((tau[self.cols] - tau[k][:, None]) / self.dt[:, None])


class _Intervals:
    """K coarse intervals of candidate pairs, each with the stencil of samples around it.

    Positions are interpolated by a degree-5 Lagrange polynomial through the 6 samples
    nearest the interval (only positions: SGP4's velocities are not exactly the
    derivative of its positions, up to ~0.4 m/s for deep-space orbits).
    """

    def __init__(self, st: "_Stencils", r, sat, site, S: "Sites", thr: "Threshold", pi, ki):
        self.pi = pi
        self.t_start = np.take(st.tau, ki)
        self.dt = np.take(st.dt, ki)
        B = r.shape[1]
        rows = np.take(sat, pi) * B  # the stencil samples, as rows of r viewed as (n_sat * B, 3)
        values = np.take(r.reshape(-1, 3), rows[:, None] + np.take(st.cols, ki, axis=0), axis=0)
        self.stencil = Polynomials(np.take(st.vinv, ki, axis=0), values, self.dt)
        j = np.take(site, pi)
        # site positions component-major (3, K), then the sines and cosines (K,)
        self.site = (np.take(S.pos.T, j, axis=1), *(np.take(x, j) for x in (S.sin_lat, S.cos_lat, S.sin_lon, S.cos_lon)))
        self.thr = thr

    def __len__(self) -> int:
        return len(self.pi)

    def geometry(self, s, idx=None, rates: bool = True):
        """(el, f, el_rate, f_rate) at fractions ``s`` of the intervals (or of subset ``idx``).

        Without ``rates`` only (el, f) are computed (what a crossing search needs).
        """
        r, v = self.stencil.evaluate(s * self._take(self.dt, idx), idx, derivative=rates)
        site = self._site(idx)
        if not rates:
            return _elevation(r, *site, self.thr)
        return _topocentric(r, v, *site, self.thr)

    def value(self, which: int, s, idx=None):
        """``geometry(s, idx)[which]`` (for ``which`` 1: f, 2: el_rate, 3: f_rate), computing
        only what it needs."""
        if which == 2:
            r, v = self.stencil.evaluate(s * self._take(self.dt, idx), idx, derivative=True)
            return _elevation_rate(r, v, *self._site(idx))
        return self.geometry(s, idx, rates=which >= 2)[which]

    @staticmethod
    def _take(a, idx):
        return a if idx is None else np.take(a, idx, axis=-1)

    def _site(self, idx):
        """Site position (K', 3) (a transposed view) and trigonometry of subset ``idx``."""
        pos, *trig = (self._take(x, idx) for x in self.site)
        return (pos.T, *trig)

    def subset(self, sel) -> "_Intervals":
        new = object.__new__(_Intervals)
        new.pi, new.t_start, new.dt = self.pi[sel], self.t_start[sel], self.dt[sel]
        new.stencil = self.stencil.subset(sel)
        new.site = tuple(x[..., sel] for x in self.site)
        new.thr = self.thr
        return new

    def _narrow(self, which, lo, hi, glo, ghi, x0):
        """Shrink brackets to a predicted root ``x0`` and a probe :data:`_PROBE` beyond it."""

        def cut(lo, hi, glo, ghi, x):
            inside = (x > lo) & (x < hi)
            x = np.where(inside, x, 0.5 * (lo + hi))
            g = self.value(which, x)
            move_lo = (g >= 0) == (glo >= 0)  # the root lies above x
            return (np.where(move_lo, x, lo), np.where(move_lo, hi, x),
                    np.where(move_lo, g, glo), np.where(move_lo, ghi, g), move_lo)

        lo, hi, glo, ghi, above = cut(lo, hi, glo, ghi, x0)
        lo, hi, glo, ghi, _ = cut(lo, hi, glo, ghi, np.where(above, x0 + _PROBE, x0 - _PROBE))
        return lo, hi, glo, ghi

    def refine(self, which: int, lo, hi, tol_s, glo, ghi, guess=None):
        """Fractions in (lo, hi) where ``geometry(s)[which]`` changes sign.

        ``glo``, ``ghi`` are its (known) values at ``lo`` and ``hi``, of opposite signs
        (``>= 0`` counts as positive).  With a ``guess`` of the root, the bracket is first
        narrowed to ``guess`` and a point :data:`_PROBE` beyond it; then the Illinois
        method (:func:`orbitcompute._events.illinois`) iterates only on unconverged
        intervals.  Returns the last point evaluated in each bracket.
        """
        lo = np.array(lo, float)
        hi = np.array(hi, float)
        if len(lo) == 0:
            return 0.5 * (lo + hi)
        glo = np.array(glo, float)
        ghi = np.array(ghi, float)
        if guess is not None:
            lo, hi, glo, ghi = self._narrow(which, lo, hi, glo, ghi, guess)
        return illinois(lambda xa, idx: self.value(which, xa, idx), lo, hi, glo, ghi,
                        tol_s / self.dt, _MAX_ITER).root


def _norm3(x):
    """Euclidean norm over the last axis of length 3: the value of ``np.linalg.norm(x,
    axis=-1)`` (the same sums, in the same order) at a fifth of its cost."""
    a, b, c = x[..., 0], x[..., 1], x[..., 2]
    return np.sqrt(a * a + b * b + c * c)


def _plane_test(r, v, u, valid, tau, reach, live, site_unit):
    """Satellite-site pairs that can come within ``reach`` [rad] (n_sat,) during a block.

    In the frame of the block's middle sample (Earth-fixed axes frozen at ``tau_c``), a
    satellite moves close to the plane with normal ``n = r x (v + w_E z x r)``.  With
    ``R_k`` the rotation by ``theta_k = w_E (tau_k - tau_c)`` about the pole, the angle
    between satellite and site at sample k equals that between ``R_k u_k`` and ``R_k s``,
    and ``R_k s`` is within ``|theta_k|`` of ``s``; so it is at least
    ``d - |theta_k| - delta_k``, with ``d`` the site's and ``delta_k`` the rotated
    satellite's angular distance from the plane.  A pair is left out only if
    ``d > reach + max_k(|theta_k| + delta_k)`` (+ 2 mrad), or if it is farther than
    ``alpha + reach + max_k |theta_k|`` (+ 2 mrad) from the middle position (``alpha``:
    the largest angle of a rotated position from it).  The test only saves work and never drops a
    pair the full cone test would keep.

    Returns
    -------
    (sat, site) : ndarray of int
        The remaining pairs, in (sat, site) order (a satellite invalid at the middle
        sample, or one whose bound is void, keeps every site).
    """
    n_sat, B = valid.shape
    kc = B // 2
    rc, vc = r[:, kc], v[:, kc]
    v_in = vc + OMEGA_EARTH * np.stack((-rc[:, 1], rc[:, 0], np.zeros(n_sat)), axis=-1)
    nrm = np.cross(rc, v_in)
    nn = _norm3(nrm)
    ok = live & valid[:, kc] & np.isfinite(nn) & (nn > 0)
    nrm = np.where(ok[:, None], nrm / np.where(ok, nn, 1.0)[:, None], 0.0)  # 0: keeps every site
    theta = OMEGA_EARTH * (tau - tau[kc])
    ct, st = np.cos(theta), np.sin(theta)
    off = np.abs(nrm[:, None, 0] * (ct * u[..., 0] - st * u[..., 1])
                 + nrm[:, None, 1] * (st * u[..., 0] + ct * u[..., 1]) + nrm[:, None, 2] * u[..., 2])
    spread = np.where(valid, np.arcsin(np.clip(off, 0.0, 1.0)) + np.abs(theta), 0.0).max(axis=1)
    with np.errstate(invalid="ignore"):
        limit = reach + spread + 2e-3
    # satellites never near (not live) drop out; where the bound is void, every site stays
    sin_limit = np.where(ok & (limit < 0.5 * np.pi), np.sin(np.clip(limit, 0.0, 0.5 * np.pi)), 2.0)
    keep = (np.abs(nrm @ site_unit.T) <= sin_limit[:, None]) & live[:, None]
    # along the track: the rotated positions lie within alpha of the middle one m, so a site
    # within reach + |theta_k| of one of them is within alpha + reach + max |theta| of m
    m = np.where(ok[:, None], u[:, kc], 0.0)
    cos_alpha = np.where(valid, (m[:, None, 0] * (ct * u[..., 0] - st * u[..., 1])
                                 + m[:, None, 1] * (st * u[..., 0] + ct * u[..., 1]) + m[:, None, 2] * u[..., 2]),
                         1.0).min(axis=1)
    with np.errstate(invalid="ignore"):
        cap = np.arccos(np.clip(cos_alpha, -1.0, 1.0)) + reach + np.abs(theta).max() + 2e-3
    cos_cap = np.where(ok & (cap < np.pi), np.cos(np.clip(cap, 0.0, np.pi)), -2.0)
    keep &= m @ site_unit.T >= cos_cap[:, None]
    return np.nonzero(keep)


def block_states(con, t0, grid, p0, p1, prev=None):
    """States ``(r, v, err)`` of samples ``grid[p0:p1 + 1]`` in ITRS, reusing ``prev``.

    ``prev = (q0, r, v, err)``: the states of the previous block, from sample ``q0`` on;
    the samples it shares with this block (the stencil padding) are taken from it instead
    of being propagated again (each sample's state is computed on its own, so the values
    are the same).
    """
    if prev is not None:
        q0, r0, v0, e0 = prev
        k = q0 + e0.shape[1] - p0  # shared samples
        if q0 <= p0 and k > 0:
            k = min(k, p1 - p0 + 1)
            j = p0 - q0
            if p0 + k > p1:
                return r0[:, j:j + k], v0[:, j:j + k], e0[:, j:j + k]
            r1, v1, e1 = con.states_si(offset(t0, grid[p0 + k:p1 + 1]), "itrs")
            return (np.concatenate([r0[:, j:j + k], r1], axis=1), np.concatenate([v0[:, j:j + k], v1], axis=1),
                    np.concatenate([e0[:, j:j + k], e1], axis=1))
    return con.states_si(offset(t0, grid[p0:p1 + 1]), "itrs")


def block_events(con, t0, tau, own, S: "Sites", site_unit, r_site_min, thr, n_site, *, first, last, states=None):
    """Rise/set/maximum events of all pairs in the intervals a block owns.

    ``tau`` [s] are the block's samples (at least :data:`STENCIL` of them, or the whole
    grid); the block owns the intervals between samples ``own[0]`` and ``own[1]``, the
    samples outside serve the interpolation stencils.  ``first``/``last``: the block starts
    or ends the search window.  ``states``: the block's ``(r, v, err)`` in ITRS if already
    at hand (:func:`block_states`).

    Returns
    -------
    pair, tau, kind, elevation : ndarray, shape ``(n_event,)``
        ``pair = sat * n_site + site``; ``kind`` one of RISE_CLIPPED..SET_CLIPPED.
    """
    r, v, err = con.states_si(offset(t0, tau), "itrs") if states is None else states
    n_sat, B = err.shape
    rn = _norm3(r)  # (n_sat, B)
    valid = (err == 0) & np.isfinite(rn)

    # --- pruning: candidate pairs with the satellite near the site's visibility cone
    eps = thr.lowest - _GEODETIC_MARGIN
    with np.errstate(invalid="ignore", divide="ignore"):
        c = r_site_min * np.cos(eps) / rn
        lam = np.where(valid & (c <= 1.0), np.arccos(np.clip(c, -1, 1)) - eps, -np.inf)
        omega = np.where(valid, _norm3(v) / rn, 0.0)
    dt = np.diff(tau)
    # A satellite in view at some moment of an interval is, at the nearer end sample,
    # at most half the interval's angular travel away; a pair is a candidate if at some
    # sample it is within lambda + half the largest travel of one step (20% margin for
    # speed changes between samples).  Satellites never above the horizon sphere drop out.
    half_travel = 0.6 * omega.max(axis=1) * float(dt.max())
    lam_max = lam.max(axis=1)
    live = np.isfinite(lam_max)
    cos_cone = np.full(n_sat, 2.0, np.float32)  # > 1: never near
    cos_cone[live] = np.cos(np.minimum(lam_max[live] + half_travel[live] + 1e-3, np.pi)) - 1e-6
    u64 = r / np.where(valid, rn, 1.0)[..., None]
    # unit vectors in float32, component-major (3, n_sat, B): the cone test gathers rows
    unit = np.ascontiguousarray(u64.transpose(2, 0, 1), dtype=np.float32)
    unit[:, ~valid] = 0.0
    site32 = site_unit.astype(np.float32)
    plane = _plane_test(r, v, u64, valid, tau, lam_max + half_travel + 1e-3, live, site_unit)
    del u64
    if len(plane[0]) <= n_sat * n_site // 4:
        # the cone test only for the pairs the plane test leaves
        ps, pj = plane
        sj = site32[pj]  # (P0, 3)
        cosang = unit[0][ps] * sj[:, 0, None]  # (P0, B)
        cosang += unit[1][ps] * sj[:, 1, None]
        cosang += unit[2][ps] * sj[:, 2, None]
        near_p = cosang >= cos_cone[ps, None]
        del cosang
        cand = near_p.any(axis=1)
        cand_sat, cand_site, near_p = ps[cand], pj[cand], near_p[cand]
    else:
        cosang = unit.reshape(3, -1).T @ site32.T  # (n_sat*B, n_site)
        near = cosang.reshape(n_sat, B, n_site) >= cos_cone[:, None, None]
        del cosang
        cand_sat, cand_site = np.nonzero(near.any(axis=1))
        near_p = near[cand_sat, :, cand_site]  # (P, B)
        del near
    del unit, plane
    if cand_sat.size == 0:
        return no_events()
    a, b = own
    owned = np.zeros(B - 1, bool)
    owned[a:b] = True
    # Only intervals with a near end sample can hold any part of a pass (see the cone
    # above); they are examined in a compact list, with the geometry at their end samples.
    near_iv = (near_p[:, :-1] | near_p[:, 1:]) & owned
    need = np.zeros_like(near_p)
    need[:, :-1] |= near_iv
    need[:, 1:] |= near_iv
    pn, kn = np.nonzero(need)  # the needed samples, in (pair, sample) order
    ip, ik = np.nonzero(near_iv)  # the intervals, in (pair, interval) order
    del near_p, need, near_iv
    # an interval's end samples are consecutive needed samples of the same pair
    L = np.searchsorted(pn * B + kn, ip * B + ik)
    R = L + 1

    # --- geometry of the candidate pairs at the needed samples (compact, one per sample)
    sat_n, site_n = cand_sat[pn], cand_site[pn]
    code = sat_n * B + kn  # the (satellite, sample) of each, as a flat index of (n_sat, B)
    rn_ = np.take(r.reshape(-1, 3), code, axis=0)
    # Rates at the (needed) samples come from the derivative of the same interpolant used for
    # refinement, not from SGP4's velocities (inconsistent with its positions by up to
    # ~0.4 m/s in deep space, enough to flip the sign of a geostationary elevation rate).
    # (at the unique satellite-samples needed, not once per pair)
    used = np.zeros(n_sat * B, bool)
    used[code] = True
    sk = np.flatnonzero(used)
    v_n = node_derivatives(tau, r, STENCIL, at=(sk // B, sk % B))[np.cumsum(used)[code] - 1]
    del used
    bad = ~np.isfinite(v_n)  # (a stencil through a failed sample): SGP4's velocity there
    if bad.any():
        rows = np.flatnonzero(bad.any(axis=1))
        v_n[rows] = np.where(bad[rows], np.take(v.reshape(-1, 3), code[rows], axis=0), v_n[rows])
    del bad
    el, f, el_rate, f_rate = _topocentric(rn_, v_n, *S.take(site_n), thr)
    del v_n
    ok = np.take(valid.reshape(-1), code)
    f = np.where(ok, f, -np.inf)
    up = f >= 0
    # lower bound of the central angle inside each interval (triangle inequality on the
    # sphere); a maximum between two samples below threshold can only reach the threshold
    # if this bound is inside the visibility cone
    cos_a = (np.einsum("ki,ki->k", rn_, np.take(site_unit, site_n, axis=0))
             / np.where(ok, np.take(rn.reshape(-1), code), 1.0))
    ang = np.arccos(np.clip(cos_a, -1.0, 1.0))
    del rn_, cos_a
    cl, cr = code[L], code[R]  # an interval's end samples, as flat indices of (n_sat, B)
    om = np.maximum(np.take(omega.reshape(-1), cl), np.take(omega.reshape(-1), cr))
    bound = 0.5 * (ang[L] + ang[R] - 1.2 * om * dt[ik])
    may_peak = bound <= np.maximum(np.take(lam.reshape(-1), cl), np.take(lam.reshape(-1), cr)) + 1e-6
    del code, cl, cr
    st = _Stencils(tau)

    def intervals(m):
        return _Intervals(st, r, cand_sat, cand_site, S, thr, ip[m], ik[m])

    out: list[tuple] = []

    def emit(pidx, tau_, kind, el_):
        kind = np.broadcast_to(np.asarray(kind, np.int8), (len(pidx),))
        out.append((cand_sat[pidx] * n_site + cand_site[pidx], tau_, kind, el_))

    # window edges: passes in progress at start / stop
    if first:
        q = np.flatnonzero((kn == a) & up)
        emit(pn[q], np.full(len(q), tau[a]), RISE_CLIPPED, el[q])
        emit(pn[q], np.full(len(q), tau[a]), MAX, el[q])
    if last:
        q = np.flatnonzero((kn == b) & up)
        emit(pn[q], np.full(len(q), tau[b]), MAX, el[q])
        emit(pn[q], np.full(len(q), tau[b]), SET_CLIPPED, el[q])

    both_ok = ok[L] & ok[R]
    either_up = up[L] | up[R]

    def sign_change(rate, to_negative):
        ends = np.stack((rate[L], rate[R]), axis=-1)
        return sign_changes(ends, both_ok[:, None])[0 if to_negative else 1][:, 0]

    # culminations: maxima of elevation that can reach the threshold
    m = np.flatnonzero(sign_change(el_rate, True) & (may_peak | either_up))
    iv = intervals(m)
    l, h = L[m], R[m]
    guess = _hermite_peak(el[l], el[h], el_rate[l] * iv.dt, el_rate[h] * iv.dt)
    s_m = iv.refine(2, np.zeros(len(iv)), np.ones(len(iv)), _TOL_EXTREMUM_S, el_rate[l], el_rate[h], guess)
    el_m, f_m, _, _ = iv.geometry(s_m)
    keep = f_m >= 0
    emit(iv.pi[keep], iv.t_start[keep] + s_m[keep] * iv.dt[keep], MAX, el_m[keep])

    # extrema of f split intervals into monotone halves, each with at most one crossing
    is_fmax = sign_change(f_rate, True) & (may_peak | either_up)
    is_fmin = sign_change(f_rate, False) & either_up
    if thr.mask is None:  # f = el - const: its maxima are the culminations just found
        f_ext = [(m, iv, s_m, f_m)]
    else:
        m = np.flatnonzero(is_fmax)
        iv = intervals(m)
        s_x = iv.refine(3, np.zeros(len(iv)), np.ones(len(iv)), _TOL_EXTREMUM_S, f_rate[L[m]], f_rate[R[m]])
        f_ext = [(m, iv, s_x, iv.geometry(s_x)[1])]
    m = np.flatnonzero(is_fmin)
    iv = intervals(m)
    s_x = iv.refine(3, np.zeros(len(iv)), np.ones(len(iv)), _TOL_EXTREMUM_S, f_rate[L[m]], f_rate[R[m]])
    f_ext.append((m, iv, s_x, iv.geometry(s_x)[1]))

    for m, iv, s_ext, f_x in f_ext:
        up_ext = f_x >= 0
        for side in (0, 1):
            end = (L if side == 0 else R)[m]
            sel = np.flatnonzero(up[end] != up_ext)
            if sel.size == 0:
                continue
            sub = iv.subset(sel)
            f_end = f[end[sel]]
            if side == 0:  # from the left sample to the extremum
                bracket = (np.zeros(sel.size), s_ext[sel], f_end, f_x[sel])
            else:  # from the extremum to the right sample
                bracket = (s_ext[sel], np.ones(sel.size), f_x[sel], f_end)
            _emit_crossings(sub, *bracket, emit)

    # monotone intervals: a change of visibility is one crossing
    change = ~(is_fmax | is_fmin) & (up[L] != up[R])
    m = np.flatnonzero(change & both_ok)
    iv = intervals(m)
    l, h = L[m], R[m]
    guess = _hermite_root(f[l], f[h], f_rate[l] * iv.dt, f_rate[h] * iv.dt)
    _emit_crossings(iv, np.zeros(len(iv)), np.ones(len(iv)), f[l], f[h], emit, guess)
    # a failed propagation inside a pass ends it at the last valid sample
    m = np.flatnonzero(change & ~both_ok)
    if m.size:
        kk = np.where(ok[L[m]], L[m], R[m])
        emit(ip[m], tau[kn[kk]], np.where(up[L[m]], SET, RISE), el[kk])

    if not out:
        return no_events()
    return tuple(np.concatenate([o[k] for o in out]) for k in range(4))


def _hermite_root(y0, y1, d0, d1):
    """Root in (0, 1) of the cubic Hermite through (0, y0), (1, y1) with slopes d0, d1.

    Newton iterations from the linear root, kept inside (0, 1); a predictor only.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.clip(y0 / (y0 - y1), 0.0, 1.0)
        for _ in range(4):
            s2, s3 = s * s, s * s * s
            p = (2 * s3 - 3 * s2 + 1) * y0 + (s3 - 2 * s2 + s) * d0 + (-2 * s3 + 3 * s2) * y1 + (s3 - s2) * d1
            dp = (6 * s2 - 6 * s) * (y0 - y1) + (3 * s2 - 4 * s + 1) * d0 + (3 * s2 - 2 * s) * d1
            s = np.clip(s - p / dp, 0.0, 1.0)
    return np.where(np.isfinite(s), s, 0.5)


def _hermite_peak(y0, y1, d0, d1):
    """Where the derivative of the cubic Hermite (as in :func:`_hermite_root`) vanishes
    in (0, 1), for d0 >= 0 >= d1 (a maximum) or d0 <= 0 <= d1 (a minimum)."""
    # p'(s) = a s^2 + b s + c
    a = 6 * (y0 - y1) + 3 * (d0 + d1)
    b = -6 * (y0 - y1) - 4 * d0 - 2 * d1
    c = d0
    with np.errstate(invalid="ignore", divide="ignore"):
        disc = np.sqrt(np.maximum(b * b - 4 * a * c, 0.0))
        r1 = (-b + disc) / (2 * a)
        r2 = (-b - disc) / (2 * a)
        lin = -c / b
    r = np.where(np.abs(a) > 1e-12 * (np.abs(b) + np.abs(c)), np.where((r1 > 0) & (r1 < 1), r1, r2), lin)
    r = np.where(np.isfinite(r) & (r > 0) & (r < 1), r, d0 / (d0 - d1))
    return np.where(np.isfinite(r), r, 0.5)


def _emit_crossings(iv: _Intervals, lo, hi, f_lo, f_hi, emit, guess=None):
    """Refine the crossing of f = 0 in (lo, hi) of each interval and emit it as a rise or set."""
    s_c = iv.refine(1, lo, hi, _TOL_CROSSING_S, f_lo, f_hi, guess)
    el_c = iv.geometry(s_c, rates=False)[0]
    emit(iv.pi, iv.t_start + s_c * iv.dt, np.where(f_lo >= 0, SET, RISE), el_c)


def no_events():
    z = np.zeros(0)
    return np.zeros(0, np.int64), z, np.zeros(0, np.int8), z


def _sort_keys16(key):
    """``key`` (non-negative, < 2**64) as 16-bit keys for :func:`numpy.lexsort`, least
    significant first: the same order as ``key`` itself, but numpy sorts 16-bit keys by
    radix (linear time), 64-bit ones by merging (2-3x slower on a million events)."""
    key = np.asarray(key, np.uint64)
    bits = int(key.max()).bit_length() if key.size else 0
    return tuple(((key >> np.uint64(16 * i)) & np.uint64(0xFFFF)).astype(np.uint16)
                 for i in range(max(1, -(-bits // 16))))


def assemble(blocks, n_site):
    """Pair rises with sets and pick culminations.

    Returns
    -------
    dict of ndarray, shape ``(n_pass,)``: sat, site, rise_s, culmination_s, set_s,
    max_elevation_rad, rise_clipped, set_clipped; sorted by satellite, site, rise.
    """
    pair = np.concatenate([b[0] for b in blocks])
    tau = np.concatenate([b[1] for b in blocks])
    kind = np.concatenate([b[2] for b in blocks])
    elv = np.concatenate([b[3] for b in blocks])
    order = np.lexsort((kind, tau, *_sort_keys16(pair)))
    pair, tau, kind, elv = pair[order], tau[order], kind[order], elv[order]
    is_rise = kind <= RISE
    is_set = kind >= SET
    depth = np.cumsum(is_rise.astype(np.int64)) - np.cumsum(is_set.astype(np.int64))
    # rises and sets alternate per pair; a violation would be a bug in the search
    n_r, n_s = int(is_rise.sum()), int(is_set.sum())
    if n_r != n_s or np.any(depth < 0) or np.any(depth > 1):
        raise RuntimeError(  # pragma: no cover - internal consistency check
            f"pass search found {n_r} rises and {n_s} sets that do not alternate; please report this "
            "with the constellation and sites (try a smaller coarse_step)"
        )
    pass_id = np.cumsum(is_rise) - 1
    rise_i = np.flatnonzero(is_rise)
    set_i = np.flatnonzero(is_set)
    if np.any(pair[rise_i] != pair[set_i]):  # pragma: no cover
        raise RuntimeError("pass search paired a rise and a set of different satellite-site pairs")
    # culmination: highest maximum inside each pass
    mx = np.flatnonzero((kind == MAX) & (depth == 1))
    n_pass = len(rise_i)
    best_el = np.full(n_pass, -np.inf)
    best_tau = tau[rise_i].copy()
    if mx.size:
        # per pass, the highest maximum, the latest of equal ones (NaN counts as highest,
        # as in a sort); the events are in pass order, so each pass is a run of ``mx``
        pid, e = pass_id[mx], elv[mx]
        start = np.flatnonzero(np.r_[True, pid[1:] != pid[:-1]])
        top = np.repeat(np.maximum.reduceat(e, start), np.diff(np.r_[start, len(e)]))
        best = np.flatnonzero((e == top) | (np.isnan(top) & np.isnan(e)))
        best = best[np.r_[pid[best][1:] != pid[best][:-1], True]]
        best_el[pid[best]] = e[best]
        best_tau[pid[best]] = tau[mx[best]]
    # a pass with no interior maximum (mask) culminates at its higher end
    none = ~np.isfinite(best_el)
    if none.any():
        e_r, e_s = elv[rise_i], elv[set_i]
        best_el[none] = np.maximum(e_r, e_s)[none]
        best_tau[none] = np.where(e_r >= e_s, tau[rise_i], tau[set_i])[none]
    # the events are sorted by pair = sat * n_site + site, then time: the passes are
    # already in (sat, site, rise) order
    p = pair[rise_i]
    return {
        "sat": p // n_site, "site": p % n_site, "rise_s": tau[rise_i],
        "culmination_s": best_tau, "set_s": tau[set_i], "max_elevation_rad": best_el,
        "rise_clipped": kind[rise_i] == RISE_CLIPPED, "set_clipped": kind[set_i] == SET_CLIPPED,
    }
