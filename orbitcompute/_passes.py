"""Search kernels behind :func:`orbitcompute.visibility.find_passes` (plain SI arrays).

The public module explains the method; this one holds its pieces: topocentric
geometry, pruning of a block of samples, root refinement of extrema and threshold
crossings on Hermite-interpolated states, and assembly of events into passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._hermite import hermite
from .errors import InputError
from .time import offset
from .units import magnitude

# Root refinement: Illinois (modified regula falsi) keeps a bracket and converges
# superlinearly; these are the bracket widths at which it stops [s].
_TOL_EXTREMUM_S = 1e-4  # elevation is flat at a culmination: 0.1 ms is ample
_TOL_CROSSING_S = 1e-6
_MAX_ITER = 60
_GEODETIC_MARGIN = np.radians(0.25)  # geodetic vs geocentric vertical differ by <= 0.19 deg

# event kinds, in the order they sort at equal times
RISE_CLIPPED, RISE, MAX, SET, SET_CLIPPED = 0, 1, 2, 3, 4


def _topocentric(r, v, site_pos, sin_lat, cos_lat, sin_lon, cos_lon, need_az=True):
    """Elevation [rad], azimuth [rad] and elevation-rate numerator for states against sites.

    All arguments broadcast; vectors have xyz last.  The rate numerator has the sign of
    d(elevation)/dt: ``u' h^2 - u (e e' + n n')`` with (e, n, u) the East-North-Up range.
    """
    d = r - site_pos
    dx, dy, dz = d[..., 0], d[..., 1], d[..., 2]
    vx, vy, vz = v[..., 0], v[..., 1], v[..., 2]
    e = -sin_lon * dx + cos_lon * dy
    n = -sin_lat * (cos_lon * dx + sin_lon * dy) + cos_lat * dz
    up = cos_lat * (cos_lon * dx + sin_lon * dy) + sin_lat * dz
    ve = -sin_lon * vx + cos_lon * vy
    vn = -sin_lat * (cos_lon * vx + sin_lon * vy) + cos_lat * vz
    vu = cos_lat * (cos_lon * vx + sin_lon * vy) + sin_lat * vz
    h2 = e * e + n * n
    el = np.arctan2(up, np.sqrt(h2))
    az = np.mod(np.arctan2(e, n), 2 * np.pi) if need_az else None
    rate = vu * h2 - up * (e * ve + n * vn)
    return el, az, rate


@dataclass(frozen=True)
class Sites:
    pos: np.ndarray  # (n_site, 3)
    sin_lat: np.ndarray
    cos_lat: np.ndarray
    sin_lon: np.ndarray
    cos_lon: np.ndarray

    @classmethod
    def of(cls, sites) -> "Sites":
        return cls(sites.ecef, np.sin(sites.lat_rad), np.cos(sites.lat_rad), np.sin(sites.lon_rad), np.cos(sites.lon_rad))

    def take(self, j):
        return self.pos[j], self.sin_lat[j], self.cos_lat[j], self.sin_lon[j], self.cos_lon[j]


class Threshold:
    """The minimum-elevation function eps(az) [rad]: a constant, or max(constant, mask)."""

    def __init__(self, min_el: float, mask):
        self.min_el = min_el
        self.mask = mask

    def __call__(self, az):
        if self.mask is None:
            return self.min_el
        return np.maximum(self.min_el, self.mask.at_rad(az))

    @property
    def lowest(self) -> float:
        return self.min_el if self.mask is None else max(self.min_el, self.mask.lowest_rad)


def coarse_step(con, coarse_step) -> float:
    """Sampling step [s]: 5 deg of true anomaly at the fastest point of any orbit."""
    if coarse_step is not None:
        h = float(magnitude(coarse_step, "s", "coarse_step"))
        if not h > 0:
            raise InputError(f"coarse_step: must be positive, got {h} s")
        return h
    rate = con.max_angular_rate()
    rate = rate[np.isfinite(rate)]
    if rate.size == 0:
        return 60.0
    return float(np.clip(np.radians(5.0) / rate.max(), 1.0, 900.0))


class _Intervals:
    """K coarse intervals of candidate pairs, with their end states gathered once."""

    def __init__(self, tau, dt, rp, vp, cand_site, pi, ki, S: "Sites", thr: "Threshold"):
        self.pi, self.ki = pi, ki
        self.t_start = tau[ki]
        self.dt = dt[ki]
        self.r0, self.v0 = rp[pi, ki], vp[pi, ki]
        self.r1, self.v1 = rp[pi, ki + 1], vp[pi, ki + 1]
        self.site = S.take(cand_site[pi])
        self.thr = thr

    def __len__(self) -> int:
        return len(self.pi)

    def geometry(self, s, idx=None):
        """Elevation [rad], f = elevation - threshold [rad], elevation-rate numerator at fraction s."""
        sel = slice(None) if idx is None else idx
        r, v = hermite(s, self.dt[sel], self.r0[sel], self.v0[sel], self.r1[sel], self.v1[sel])
        site = tuple(x[sel] for x in self.site)
        el, az, rate = _topocentric(r, v, *site, need_az=self.thr.mask is not None)
        return el, el - self.thr(az), rate

    def refine(self, which: int, lo, hi, tol_s):
        """Fractions in (lo, hi) where f (which=1) or the elevation rate (which=2) changes sign.

        Illinois method, vectorized, iterating only on unconverged intervals.
        """
        lo = np.array(lo, float)
        hi = np.array(hi, float)
        x = 0.5 * (lo + hi)
        if len(lo) == 0:
            return x
        glo = self.geometry(lo)[which]
        ghi = self.geometry(hi)[which]
        tol = tol_s / self.dt
        act = np.arange(len(lo))
        last_side = np.zeros(len(lo), np.int8)
        for _ in range(_MAX_ITER):
            l, h, gl, gh = lo[act], hi[act], glo[act], ghi[act]
            with np.errstate(invalid="ignore", divide="ignore"):
                xa = (l * gh - h * gl) / (gh - gl)
            bad = ~np.isfinite(xa) | (xa <= l) | (xa >= h)
            xa = np.where(bad, 0.5 * (l + h), xa)
            g = self.geometry(xa, act)[which]
            x[act] = xa
            left = (g >= 0) == (gl >= 0)  # the root is to the right of xa: move lo
            lo[act] = np.where(left, xa, l)
            hi[act] = np.where(left, h, xa)
            side = np.where(left, 1, -1).astype(np.int8)
            # Illinois: when the same end moves twice, halve the other end's value
            stuck = side == last_side[act]
            glo[act] = np.where(left, g, np.where(stuck, 0.5 * gl, gl))
            ghi[act] = np.where(left, np.where(stuck, 0.5 * gh, gh), g)
            last_side[act] = side
            done = (hi[act] - lo[act] < tol[act]) | (g == 0)
            act = act[~done]
            if act.size == 0:
                break
        return x


def block_events(con, t0, tau, first, last, S: "Sites", site_unit, r_site_min, thr, n_site):
    """Rise/set/maximum events of all pairs within one block of samples ``tau`` [s].

    Returns
    -------
    pair, tau, kind, elevation : ndarray, shape ``(n_event,)``
        ``pair = sat * n_site + site``; ``kind`` one of RISE_CLIPPED..SET_CLIPPED.
    """
    t = offset(t0, tau)
    r, v, err = con.states_si(t, "itrs")
    n_sat, B = err.shape
    rn = np.linalg.norm(r, axis=-1)  # (n_sat, B)
    valid = (err == 0) & np.isfinite(rn)

    # --- pruning: candidate pairs with the satellite near the site's visibility cone
    eps = thr.lowest - _GEODETIC_MARGIN
    with np.errstate(invalid="ignore", divide="ignore"):
        c = r_site_min * np.cos(eps) / rn
        lam = np.where(c <= 1.0, np.arccos(np.clip(c, -1, 1)) - eps, -np.inf)
        omega = np.linalg.norm(v, axis=-1) / rn
    lam = np.where(valid, lam, -np.inf)
    omega = np.where(valid, omega, 0.0)
    dt = np.diff(tau)
    # A satellite in view at some moment of an interval is, at the nearer end sample,
    # at most half the interval's angular travel away; a pair is a candidate if at some
    # sample it is within lambda + half the largest travel of one step (20% margin for
    # speed changes between samples).
    half_travel = 0.6 * omega.max(axis=1) * float(dt.max())
    cone = np.minimum(lam.max(axis=1) + half_travel + 1e-3, np.pi)
    unit = (r / np.where(valid, rn, 1.0)[..., None]).astype(np.float32)
    unit[~valid] = 0.0
    cosang = unit.reshape(-1, 3) @ site_unit.T.astype(np.float32)  # (n_sat*B, n_site)
    near = cosang.reshape(n_sat, B, n_site) >= np.cos(cone)[:, None, None].astype(np.float32) - 1e-6
    del cosang
    cand_sat, cand_site = np.nonzero(near.any(axis=1))
    del near
    if cand_sat.size == 0:
        return no_events()

    # --- dense geometry for the candidate pairs: (P, B)
    sp, sl, cl, so, co = (x[:, None] for x in S.take(cand_site))
    rp, vp = r[cand_sat], v[cand_sat]  # (P, B, 3)
    el, az, rate = _topocentric(rp, vp, sp, sl, cl, so, co, need_az=thr.mask is not None)
    ok = valid[cand_sat]
    f = np.where(ok, el - thr(az), -np.inf)
    up = f >= 0
    rising = rate >= 0
    # lower bound of the central angle inside each interval (triangle inequality on the
    # sphere); a maximum between two samples below threshold can only reach the threshold
    # if this bound is inside the visibility cone
    cos_a = np.einsum("pbi,pi->pb", rp, site_unit[cand_site]) / rn[cand_sat]
    ang = np.arccos(np.clip(cos_a, -1.0, 1.0))
    om, lm = omega[cand_sat], lam[cand_sat]
    bound = 0.5 * (ang[:, :-1] + ang[:, 1:] - 1.2 * np.maximum(om[:, :-1], om[:, 1:]) * dt)
    may_peak = bound <= np.maximum(lm[:, :-1], lm[:, 1:]) + 1e-6

    out: list[tuple] = []

    def emit(pidx, tau_, kind, el_):
        kind = np.broadcast_to(np.asarray(kind, np.int8), (len(pidx),))
        out.append((cand_sat[pidx] * n_site + cand_site[pidx], tau_, kind, el_))

    # window edges: passes in progress at start / stop
    if first:
        p = np.flatnonzero(up[:, 0])
        emit(p, np.zeros(len(p)), RISE_CLIPPED, el[p, 0])
        emit(p, np.zeros(len(p)), MAX, el[p, 0])
    if last:
        p = np.flatnonzero(up[:, -1])
        emit(p, np.full(len(p), tau[-1]), MAX, el[p, -1])
        emit(p, np.full(len(p), tau[-1]), SET_CLIPPED, el[p, -1])

    both_ok = ok[:, :-1] & ok[:, 1:]
    either_up = up[:, :-1] | up[:, 1:]
    # extrema between samples: the elevation rate changes sign
    is_max = both_ok & rising[:, :-1] & ~rising[:, 1:] & (may_peak | either_up)
    is_min = both_ok & ~rising[:, :-1] & rising[:, 1:] & either_up

    for mask, is_maximum in ((is_max, True), (is_min, False)):
        pi, ki = np.nonzero(mask)
        iv = _Intervals(tau, dt, rp, vp, cand_site, pi, ki, S, thr)
        s_ext = iv.refine(2, np.zeros(len(iv)), np.ones(len(iv)), _TOL_EXTREMUM_S)
        el_m, f_m, _ = iv.geometry(s_ext)
        if is_maximum:
            keep = f_m >= 0
            emit(pi[keep], iv.t_start[keep] + s_ext[keep] * iv.dt[keep], MAX, el_m[keep])
        # the extremum splits the interval into two monotone halves
        up_ext = f_m >= 0
        for side in (0, 1):
            up_end = up[pi, ki + side]
            sel = np.flatnonzero(up_end != up_ext)
            if sel.size == 0:
                continue
            sub = _Intervals(tau, dt, rp, vp, cand_site, pi[sel], ki[sel], S, thr)
            lo = np.zeros(sel.size) if side == 0 else s_ext[sel]
            hi = s_ext[sel] if side == 0 else np.ones(sel.size)
            lo_up = up_end[sel] if side == 0 else up_ext[sel]
            _emit_crossings(sub, lo, hi, lo_up, emit)

    # monotone intervals: a change of visibility is one crossing
    change = ~(is_max | is_min) & (up[:, :-1] != up[:, 1:])
    pi, ki = np.nonzero(change & both_ok)
    iv = _Intervals(tau, dt, rp, vp, cand_site, pi, ki, S, thr)
    _emit_crossings(iv, np.zeros(len(iv)), np.ones(len(iv)), up[pi, ki], emit)
    # a failed propagation inside a pass ends it at the last valid sample
    pi, ki = np.nonzero(change & ~both_ok)
    if pi.size:
        kk = np.where(ok[pi, ki], ki, ki + 1)
        emit(pi, tau[kk], np.where(up[pi, ki], SET, RISE), el[pi, kk])

    if not out:
        return no_events()
    return tuple(np.concatenate([o[k] for o in out]) for k in range(4))


def _emit_crossings(iv: _Intervals, lo, hi, lo_up, emit):
    s_c = iv.refine(1, lo, hi, _TOL_CROSSING_S)
    el_c = iv.geometry(s_c)[0]
    emit(iv.pi, iv.t_start + s_c * iv.dt, np.where(lo_up, SET, RISE), el_c)


def no_events():
    z = np.zeros(0)
    return np.zeros(0, np.int64), z, np.zeros(0, np.int8), z


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
    order = np.lexsort((kind, tau, pair))
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
        o = np.lexsort((elv[mx], pass_id[mx]))
        mx = mx[o]
        last = np.r_[pass_id[mx][1:] != pass_id[mx][:-1], True]
        pid = pass_id[mx][last]
        best_el[pid] = elv[mx][last]
        best_tau[pid] = tau[mx][last]
    # a pass with no interior maximum (mask) culminates at its higher end
    none = ~np.isfinite(best_el)
    if none.any():
        e_r, e_s = elv[rise_i], elv[set_i]
        best_el[none] = np.maximum(e_r, e_s)[none]
        best_tau[none] = np.where(e_r >= e_s, tau[rise_i], tau[set_i])[none]
    p = pair[rise_i]
    sat = p // n_site
    site = p % n_site
    order = np.lexsort((tau[rise_i], site, sat))
    return {
        "sat": sat[order], "site": site[order], "rise_s": tau[rise_i][order],
        "culmination_s": best_tau[order], "set_s": tau[set_i][order], "max_elevation_rad": best_el[order],
        "rise_clipped": (kind[rise_i] == RISE_CLIPPED)[order], "set_clipped": (kind[set_i] == SET_CLIPPED)[order],
    }
