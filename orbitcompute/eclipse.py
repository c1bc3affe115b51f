"""Eclipse intervals, eclipse fractions per orbit and eclipse seasons.

Method (all satellites at once, chunked over time)
--------------------------------------------------
1. **Coarse sampling tied to the orbit.**  States are sampled in the propagator's own
   frame every ``h = (10 deg of true anomaly) / (fastest angular rate)`` (160 s at
   550 km); Sun vectors come from DE421 on hourly nodes (:mod:`orbitcompute.sun`).
2. **Shadow functions.**  With the apparent radii of Sun ``a`` and Earth ``b`` and their
   separation ``c`` (WGS84 ellipsoid mapped to a sphere, see :mod:`orbitcompute.sun`),
   ``g_p = c - (a + b)`` is negative in any shadow (penumbra or umbra) and
   ``g_u = c - (b - a)`` negative in umbra.  The cylindrical model uses the signed
   clearance of the shadow cylinder divided by the orbit radius.
3. **Brackets.**  A sign change of ``g`` between two samples brackets an entry or exit.
   An eclipse that grazes the shadow between two samples with both ``g >= 0`` is found
   by minimising ``g`` on every interval whose smaller end value is below the bound
   ``K h^2 / 8`` on how far ``g`` can dip between samples (``|g''| <= K = 2 w^2`` with
   ``w`` the fastest angular rate; ``g`` is an angle that turns at most at the orbit's
   angular rate).
4. **Refinement.**  Each crossing is refined by the Illinois method (to 1e-4 s) on a
   quintic Hermite interpolant of the sampled position, velocity and acceleration
   (:func:`acceleration`) (truncation error ``(w h)^6 R / 46080``: 4 mm at 10 deg steps in LEO,
   plus < 0.1 m from the unmodelled drag and higher harmonics) and a linear interpolant
   of the Sun vector (error < 1e-10 rad over one step).

Entry and exit times therefore match the same geometry evaluated on freshly propagated
states to about 0.1 ms; the geometry itself (no atmosphere) is good to seconds.

References
----------
Montenbruck, O. & Gill, E. (2000), *Satellite Orbits*, section 3.4.2 (conical shadow).
Vallado, D. A. (2013), *Fundamentals of Astrodynamics and Applications*, 4th ed.,
section 5.3 (sight and light; eclipse duration of a circular orbit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _events, _passes, _scale
from ._moved import moved
from ._table import TableMixin
from .constants import GM_EARTH, J2, WGS84_A
from .errors import InputError
from .sun import (
    _flatten,
    beta_angle,
    _native_frame,
    check_model,
    cylinder_distance,
    shadow_angles,
    sun_position_si,
)
from .time import check_budget, check_samples, iso_utc, offset, seconds_between, time_grid, to_time
from .units import magnitude, quantity, u

__all__ = ["EclipseTable", "EclipseSeasons", "EclipseYear", "eclipse_fractions", "eclipse_seasons", "eclipse_year",
           "find_eclipses"]

#: Row kinds of an :class:`EclipseTable` (``kind`` column codes).
PENUMBRA, UMBRA = 0, 1
KIND_NAMES = ("penumbra", "umbra")

_TOL_S = 1e-4  # crossing refinement stops when the bracket is narrower than this [s]
_MAX_ITER = 60
#: Most coarse samples one :func:`find_eclipses` call takes (a year at 32 s; the default
#: step at 550 km, ~160 s, gives ~200,000 for a year).  The arrays kept for the whole window
#: (~200 bytes per sample) thus stay under 200 MB; ``max_bytes`` bounds each block.
MAX_ECLIPSE_SAMPLES = 1_000_000
_BYTES_PER_SAMPLE = 200  # kept for the whole window: x, Sun positions, the Time of each sample [byte]
_GOLDEN_ITER = 40  # golden-section steps for grazing minima: 0.618^40 ~ 4e-9 of a step
_STEP_ANGLE = np.radians(10.0)


def coarse_step_s(con, coarse_step=None) -> float:
    """Sampling step [s]: 10 deg of the fastest angular rate of any valid orbit."""
    return _passes.coarse_step(con, coarse_step, _STEP_ANGLE)


# ---------------------------------------------------------------------- shadow functions
def _g(r: np.ndarray, s: np.ndarray, model: str) -> tuple[np.ndarray, ...]:
    """Shadow functions at flattened positions ``r`` (..., 3) and Sun ``s`` (broadcast).

    Conical: ``(g_any, g_umbra)`` [rad]; cylindrical: ``(g_umbra,)`` [rad-like: clearance
    over orbit radius].  Negative inside the shadow.
    """
    if model == "cylindrical":
        nr = np.sqrt(np.einsum("...i,...i->...", r, r))
        return (cylinder_distance(r, s) / nr,)
    a, b, c = shadow_angles(r, s)
    return c - (a + b), c - (b - a)


@dataclass
class _Brackets:
    """Candidate intervals: satellite, interval start time and the interpolation data."""

    sat: np.ndarray  # (m,) int
    t0: np.ndarray  # (m,) [s since start]
    h: np.ndarray  # (m,) interval lengths [s]
    r0: np.ndarray  # (m, 3) flattened positions, velocities, accelerations at both ends
    v0: np.ndarray
    a0: np.ndarray
    r1: np.ndarray
    v1: np.ndarray
    a1: np.ndarray
    s0: np.ndarray  # (m, 3) Sun (flattened) at both ends
    s1: np.ndarray

    def take(self, idx) -> "_Brackets":
        return _Brackets(*(getattr(self, f)[idx] for f in self.__dataclass_fields__))

    def position(self, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Quintic Hermite position and linear Sun at fractions ``tau`` (m,) of each interval."""
        t = tau[:, None]
        t2 = t * t
        t3 = t2 * t
        u3 = t3 * (10 - 15 * t + 6 * t2)  # weight of r1 (and 1 - u3 of r0)
        hh = self.h[:, None]
        r = (self.r0 + u3 * (self.r1 - self.r0)
             + hh * ((t - 6 * t3 + 8 * t3 * t - 3 * t3 * t2) * self.v0 + t3 * (-4 + 7 * t - 3 * t2) * self.v1)
             + 0.5 * hh * hh * (t2 * (1 - t) ** 3 * self.a0 + t3 * (1 - t) ** 2 * self.a1))
        s = self.s0 + t * (self.s1 - self.s0)
        return r, s

    def g(self, tau: np.ndarray, which: int, model: str) -> np.ndarray:
        r, s = self.position(tau)
        return _g(r, s, model)[which]


def _illinois(br: _Brackets, which: int, model: str, lo, hi, glo, ghi) -> np.ndarray:
    """Root of ``g`` in ``[lo, hi]`` (fractions of each interval) with ``glo * ghi <= 0``:
    the midpoint of the final bracket of :func:`orbitcompute._events.illinois`."""
    res = _events.illinois(lambda x, idx: br.take(idx).g(x, which, model), lo, hi, glo, ghi, _TOL_S / br.h,
                           _MAX_ITER)
    return 0.5 * (res.lo + res.hi)


def _golden_min(br: _Brackets, which: int, model: str) -> tuple[np.ndarray, np.ndarray]:
    """Minimum of ``g`` over each whole interval by golden-section search: (tau, g_min)."""
    return _events.golden_min(lambda x: br.g(x, which, model), len(br.sat), _GOLDEN_ITER)


# ---------------------------------------------------------------------- search
def gravity(r: np.ndarray) -> np.ndarray:
    """Point-mass plus J2 acceleration [m/s^2] at positions ``r`` (..., 3) [m].

    Vallado (2013) eq. 8-30; the z axis is the frame's pole.  Used only as the second
    derivative in the Hermite interpolant (the neglected higher harmonics and drag,
    < 1e-3 m/s^2 above 300 km, move the interpolated position by < 0.1 m).
    """
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    r2 = x * x + y * y + z * z
    rn = np.sqrt(r2)
    k = -GM_EARTH / (r2 * rn)
    j = 1.5 * J2 * WGS84_A**2 / r2
    zz = 5.0 * z * z / r2
    out = np.empty_like(r)
    out[..., 0] = k * x * (1 + j * (1 - zz))
    out[..., 1] = k * y * (1 + j * (1 - zz))
    out[..., 2] = k * z * (1 + j * (3 - zz))
    return out


def acceleration(con, t, r: np.ndarray, frame: str) -> np.ndarray:
    """Second derivative of the propagator's trajectory [m/s^2], shape of ``r``.

    SGP4 models the physics (J2 short-periodic terms included), so point mass + J2
    (:func:`gravity`) is its acceleration to O(J2^2, J3, drag) ~ 1e-5..1e-3 m/s^2.  The
    J2-secular propagator is not a force model (its orbit precesses without the
    short-periodic terms), so its acceleration is the central difference of its exact
    velocities over +-1 s (truncation ~2e-6 m/s^2).
    """
    if con.propagator == "sgp4":
        return gravity(r)
    _, v_plus, _ = con.states_si(offset(t, 1.0), frame)
    _, v_minus, _ = con.states_si(offset(t, -1.0), frame)
    return 0.5 * (v_plus - v_minus)


def _chunk_events(x, r, v, acc, s, model, dip):
    """Entry/exit events of every shadow function in one block of samples.

    ``x`` (m,) sample times [s since start]; ``r``, ``v``, ``acc`` (n_sat, m, 3) flattened;
    ``s`` (m, 3) flattened Sun.  Returns a list, per shadow function, of
    ``(sat, time_s, +1 entry / -1 exit)`` arrays.
    """
    gs = _g(r, s[None], model)
    out = []
    for which, g in enumerate(gs):
        a, b = g[:, :-1], g[:, 1:]
        valid = np.isfinite(a) & np.isfinite(b)
        entry, exit_ = _events.sign_changes(g, valid)
        graze = valid & (a >= 0) & (b >= 0) & (np.minimum(a, b) < dip)

        def brackets(mask):
            i, k = np.nonzero(mask)
            return _Brackets(i, x[k], x[k + 1] - x[k], r[i, k], v[i, k], acc[i, k],
                             r[i, k + 1], v[i, k + 1], acc[i, k + 1], s[k], s[k + 1]), i, k

        sats, times, signs = [], [], []
        for mask, sign in ((entry, 1), (exit_, -1)):
            br, i, k = brackets(mask)
            if len(i):
                tau = _illinois(br, which, model, np.zeros(len(i)), np.ones(len(i)), g[i, k], g[i, k + 1])
                sats.append(i)
                times.append(br.t0 + tau * br.h)
                signs.append(np.full(len(i), sign, np.int8))
        br, i, k = brackets(graze)
        if len(i):
            tau_m, g_m = _golden_min(br, which, model)
            hit = g_m < 0
            if hit.any():
                b2 = br.take(hit)
                n = int(hit.sum())
                tm, gm = tau_m[hit], g_m[hit]
                t_in = _illinois(b2, which, model, np.zeros(n), tm, g[i[hit], k[hit]], gm)
                t_out = _illinois(b2, which, model, tm, np.ones(n), gm, g[i[hit], k[hit] + 1])
                sats += [b2.sat, b2.sat]
                times += [b2.t0 + t_in * b2.h, b2.t0 + t_out * b2.h]
                signs += [np.ones(n, np.int8), -np.ones(n, np.int8)]
        if sats:
            out.append((np.concatenate(sats), np.concatenate(times), np.concatenate(signs)))
        else:
            out.append((np.zeros(0, np.intp), np.zeros(0), np.zeros(0, np.int8)))
    return out, gs


def _intervals(sat, time, sign, n_sat, g_first, g_last, span):
    """Pair entries and exits into ``(sat, start, end, start_clipped, end_clipped)``."""
    n_sat_idx = np.arange(n_sat)
    first_in = np.isfinite(g_first) & (g_first < 0)
    last_in = np.isfinite(g_last) & (g_last < 0)
    sat = np.concatenate([sat, n_sat_idx[first_in], n_sat_idx[last_in]])
    time = np.concatenate([time, np.zeros(first_in.sum()), np.full(last_in.sum(), span)])
    sign = np.concatenate([sign, np.full(first_in.sum(), 2, np.int8), np.full(last_in.sum(), -2, np.int8)])
    # at equal times an entry sorts before its exit (a grazing touch of zero length)
    order = np.lexsort((-sign, time, sat))
    sat, time, sign = sat[order], time[order], sign[order]
    starts = np.flatnonzero(sign > 0)
    ends = np.flatnonzero(sign < 0)
    if len(starts) != len(ends) or np.any(sat[starts] != sat[ends]) or np.any(ends < starts):
        # a crossing lost to a NaN sample: keep only well-formed neighbours
        good = (sign[:-1] > 0) & (sign[1:] < 0) & (sat[:-1] == sat[1:])
        starts = np.flatnonzero(good)
        ends = starts + 1
    return sat[starts], time[starts], time[ends], sign[starts] == 2, sign[ends] == -2


def _difference(p, u):
    """Pieces of intervals ``p`` not covered by ``u`` (both per-satellite, sorted, disjoint).

    Intervals are ``(sat, start, end, start_clipped, end_clipped)``; umbra lies inside
    penumbra geometrically, so each penumbra interval splits into at most
    ``1 + (number of umbra intervals inside)`` pieces.
    """
    ps, p0, p1, pc0, pc1 = p
    us, u0, u1, uc0, uc1 = u
    # boundaries: every penumbra start/end and every umbra start/end, in order
    sat = np.concatenate([ps, us, us, ps])
    t = np.concatenate([p0, u0, u1, p1])
    clip = np.concatenate([pc0, uc0, uc1, pc1])
    kind = np.concatenate([np.zeros(len(ps)), np.ones(len(us)), np.full(len(us), 2), np.full(len(ps), 3)])
    order = np.lexsort((kind, t, sat))
    sat, t, clip, kind = sat[order], t[order], clip[order], kind[order]
    # a penumbra piece runs from a P-start or U-end to the next U-start or P-end
    begin = (kind == 0) | (kind == 2)
    nxt = np.r_[kind[1:], -1]
    sel = begin & ((nxt == 1) | (nxt == 3)) & (np.r_[sat[1:], -1] == sat)
    i = np.flatnonzero(sel)
    keep = t[i + 1] > t[i]
    i = i[keep]
    # a piece's end is clipped only if it is the window edge (a P-end flagged clipped)
    return sat[i], t[i], t[i + 1], clip[i] & (kind[i] == 0), clip[i + 1] & (kind[i + 1] == 3)


def n_fun_of(model: str) -> int:
    return 1 if model == "cylindrical" else 2


def _search_group(sub, idx, x, s_all, t0, frame, model, dip, max_bytes, span):
    """Rows ``(sat, kind, start_s, end_s, start_clipped, end_clipped)`` of satellites
    ``idx`` (``sub = con[idx]``)."""
    if len(idx) == 0:
        return None
    n_sat, n = len(idx), len(x)
    per_sample = n_sat * 8 * 3 * 8  # r, v, flattened copies and shadow temporaries
    m = max(2, int(max_bytes // per_sample))
    n_fun = n_fun_of(model)
    events = [[] for _ in range(n_fun)]
    g_first = g_last = None
    k0 = 0
    while True:
        k1 = min(n - 1, k0 + m - 1)
        sl = slice(k0, k1 + 1)
        tk = offset(t0, x[sl])
        r, v, _ = sub.states_si(tk, frame)
        acc = _flatten(acceleration(sub, tk, r, frame))
        ev, gs = _chunk_events(x[sl], _flatten(r), _flatten(v), acc, s_all[sl], model, dip)
        del r, v, acc
        for which, e in enumerate(ev):
            events[which].append(e)
        if g_first is None:
            g_first = [g[:, 0].copy() for g in gs]
        g_last = [g[:, -1].copy() for g in gs]
        if k1 >= n - 1:
            break
        k0 = k1
    ivs = []
    for which in range(n_fun):
        sat = np.concatenate([e[0] for e in events[which]])
        tim = np.concatenate([e[1] for e in events[which]])
        sgn = np.concatenate([e[2] for e in events[which]])
        events[which] = None
        ivs.append(_intervals(sat, tim, sgn, n_sat, g_first[which], g_last[which], span))
    if model == "cylindrical":
        umb = ivs[0]
        pen = tuple(np.zeros(0, d) for d in (np.intp, float, float, bool, bool))
    else:
        umb = ivs[1]
        pen = _difference(ivs[0], umb)
    sat = idx[np.concatenate([pen[0], umb[0]]).astype(np.intp)].astype(np.int32)
    kind = np.concatenate([np.full(len(pen[0]), PENUMBRA, np.int8), np.full(len(umb[0]), UMBRA, np.int8)])
    st = np.concatenate([pen[1], umb[1]])
    # sorted within the group; groups come in satellite order, so the whole table is
    # sorted by (satellite, start, kind) without a global sort
    order = np.lexsort((kind, st, sat))
    return (sat[order], kind[order], st[order], np.concatenate([pen[2], umb[2]])[order],
            np.concatenate([pen[3], umb[3]]).astype(bool)[order], np.concatenate([pen[4], umb[4]]).astype(bool)[order])


def find_eclipses(
    con,
    start,
    stop,
    model: str = "conical",
    *,
    coarse_step=None,
    max_bytes: int = 256 * 2**20,
    executor: Any = "auto",
    progress=None,
) -> "EclipseTable":
    """Find every umbra and penumbra interval of every satellite in ``[start, stop]``.

    Parameters
    ----------
    con : Constellation
    start, stop : time-like
        The search window (``stop > start``).
    model : {"conical", "cylindrical"}
        Conical gives ``penumbra`` and ``umbra`` rows; cylindrical only ``umbra`` rows.
    coarse_step : Quantity [time], optional
        Sampling step; default 10 deg of the fastest orbit's angular rate.
    max_bytes : int
        Memory budget of one block of samples (the arrays kept for the whole window, ~200
        bytes per sample, are bounded by :data:`MAX_ECLIPSE_SAMPLES`; per worker on an executor).
    executor : concurrent.futures.Executor, "auto" or None
        Where the groups of satellites are searched: any executor (a process pool, or
        ``distributed.Client(address).get_executor()`` for a Dask cluster); ``None``: in
        this process; ``"auto"`` (default): a forked pool over this machine's cores for
        runs of at least :data:`orbitcompute._scale.AUTO_MIN_WORK` / 100 satellite x
        samples, else in this process.  The result is identical, bit for bit, either
        way (see ``docs/scale.md``).
    progress : callable, optional
        ``progress(done, total)`` after each group of satellites.

    Returns
    -------
    EclipseTable
        One row per umbra or penumbra interval.  A typical LEO eclipse is three rows:
        penumbra (entry), umbra, penumbra (exit); a grazing one is a penumbra row alone.

    Raises
    ------
    InputError
        Before anything is allocated, if the window needs more than
        :data:`MAX_ECLIPSE_SAMPLES` (1,000,000) samples (their whole-window arrays take
        ~200 bytes each); the message gives the estimate and the smallest ``coarse_step``
        that fits.  Also for a ``max_bytes`` that is not a positive number.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> con = oc.Constellation.walker_delta(4, 2, 1, altitude=550 * oc.u.km,
    ...     inclination=53 * oc.u.deg, epoch="2026-03-20T00:00:00Z")
    >>> ecl = oc.find_eclipses(con, "2026-03-20T00:00:00Z", "2026-03-20T06:00:00Z")
    >>> sorted(set(ecl.columns()["kind"]))
    ['penumbra', 'umbra']
    >>> round(float(ecl.duration.m[ecl.kind == 1].max() / 60), 1)  # longest umbra [min]
    35.3
    """
    check_model(model)
    _scale.check_executor(executor)
    t0, t1 = to_time(start, "start"), to_time(stop, "stop")
    span = float(seconds_between(t0, t1))
    if not span > 0:
        raise InputError(f"stop: must be after start, got a window of {span} s")
    frame = _native_frame(con)
    n_sat = len(con)
    n_fun = n_fun_of(model)
    h = coarse_step_s(con, coarse_step)
    # the samples and the whole-window arrays (times, Sun positions), checked before allocating
    check_budget(max_bytes)
    check_samples(span, h, bytes_per_sample=_BYTES_PER_SAMPLE, limit=MAX_ECLIPSE_SAMPLES,
                  name="coarse_step", what="find_eclipses")
    n = max(2, int(np.ceil(span / h)) + 1)
    x = np.linspace(0.0, span, n)
    rate = con.max_angular_rate()
    rate = rate[np.isfinite(rate)]
    w = float(rate.max()) if rate.size else 2 * np.pi / 86164.0
    dip = 2.0 * w * w * (x[1] - x[0]) ** 2 / 8.0
    s_all = _flatten(sun_position_si(offset(t0, x), frame))
    # satellites in groups, so that a group's events (~4 per orbit and shadow function,
    # ~100 bytes each through pairing and sorting) stay within max_bytes, and of at most
    # GROUP_SAT_SAMPLES satellite x samples, so that a large run keeps every worker of an
    # executor busy.  The groups depend only on the inputs and are joined in group order:
    # the result does not depend on the executor.
    per_sat = 100.0 * 4 * n_fun * max(1.0, span * w / (2 * np.pi))
    group = max(1, min(int(max_bytes // per_sat), GROUP_SAT_SAMPLES // n))
    epoch = _scale.Epoch.of(t0)
    tasks = [(con[idx], idx, x, s_all, epoch, frame, model, dip, max_bytes, span)
             for idx in np.array_split(np.arange(n_sat), max(1, -(-n_sat // group)))]
    parts = _scale.run_groups(_search_group, tasks, executor, 100.0 * n_sat * n, progress)
    del tasks
    parts = [p for p in parts if p is not None]
    if parts:
        sat, kind, st, en, c0, c1 = (np.concatenate(cols) for cols in zip(*parts))
    else:
        sat, kind, st, en = np.zeros(0, np.int32), np.zeros(0, np.int8), np.zeros(0), np.zeros(0)
        c0 = c1 = np.zeros(0, bool)
    return EclipseTable(
        start=t0, stop=t1, model=model, satellite_names=tuple(con.names),
        sat=sat, kind=kind, start_s=st, end_s=en, start_clipped=c0, end_clipped=c1,
    )


#: Largest number of satellites x coarse samples in one group of :func:`find_eclipses`.
GROUP_SAT_SAMPLES = 2_000_000


# ---------------------------------------------------------------------- table
@dataclass(frozen=True, eq=False)
class EclipseTable(TableMixin):
    """Eclipse intervals: one row per umbra or penumbra interval of a satellite.

    Times are TT seconds since ``start``; :meth:`columns`, :meth:`to_csv` and
    :meth:`to_pandas` give ISO 8601 UTC strings.

    Attributes
    ----------
    start, stop : skyfield Time
        The search window.
    model : str
        ``"conical"`` or ``"cylindrical"``.
    satellite_names : tuple of str
    sat : ndarray of int32, shape ``(n_row,)``
        Rows are sorted by satellite, then start time, then kind.
    kind : ndarray of int8, shape ``(n_row,)``
        :data:`PENUMBRA` (0) or :data:`UMBRA` (1).
    start_s, end_s : ndarray, shape ``(n_row,)`` [s since start]
    start_clipped, end_clipped : ndarray of bool
        True where the interval was already under way at ``start`` / still at ``stop``.
    """

    start: Any
    stop: Any
    model: str
    satellite_names: tuple[str, ...]
    sat: np.ndarray
    kind: np.ndarray
    start_s: np.ndarray
    end_s: np.ndarray
    start_clipped: np.ndarray
    end_clipped: np.ndarray

    COLUMNS = ("satellite", "kind", "start", "end", "duration_s", "start_clipped", "end_clipped")

    def __len__(self) -> int:
        return len(self.sat)

    def __repr__(self) -> str:
        nu = int(np.sum(self.kind == UMBRA))
        return (f"EclipseTable({nu} umbra and {len(self) - nu} penumbra intervals, "
                f"{len(self.satellite_names)} satellites, {self.model})")

    @property
    def window_s(self) -> float:
        return float(seconds_between(self.start, self.stop))

    @property
    def duration(self):
        """Interval durations inside the window, shape ``(n_row,)`` [s]."""
        return quantity(self.end_s - self.start_s, "s")

    def times(self, which: str = "start"):
        """Start or end times as a skyfield ``Time`` array."""
        return offset(self.start, {"start": self.start_s, "end": self.end_s}[which])

    def columns(self) -> dict:
        """The table as a dict of columns (ISO 8601 UTC strings for times, ms precision)."""
        n = len(self)
        iso = (lambda c: iso_utc(offset(self.start, c), 3)) if n else (lambda c: [])
        return {
            "satellite": [self.satellite_names[k] for k in self.sat],
            "kind": [KIND_NAMES[k] for k in self.kind],
            "start": iso(self.start_s),
            "end": iso(self.end_s),
            "duration_s": np.round(self.end_s - self.start_s, 4),
            "start_clipped": self.start_clipped.copy(),
            "end_clipped": self.end_clipped.copy(),
        }

    def shadow_seconds(self, kind: str = "any") -> np.ndarray:
        """Total time in shadow per satellite [s], shape ``(n_sat,)``.

        ``kind`` is ``"umbra"``, ``"penumbra"``, ``"any"`` (both), or ``"energy"``
        (umbra plus half the penumbra: the sunlight lost, since the visible fraction of
        the disk falls symmetrically through a penumbra).
        """
        w = {"umbra": (0.0, 1.0), "penumbra": (1.0, 0.0), "any": (1.0, 1.0), "energy": (0.5, 1.0)}
        if kind not in w:
            raise InputError(f"kind: expected one of {tuple(w)}, got {kind!r}")
        weight = np.where(self.kind == UMBRA, w[kind][1], w[kind][0])
        return np.bincount(self.sat, weight * (self.end_s - self.start_s), minlength=len(self.satellite_names))

    def eclipses(self) -> dict[str, np.ndarray]:
        """One entry per eclipse (a run of touching penumbra/umbra rows of a satellite).

        Returns
        -------
        dict of ndarray, each shape ``(n_eclipse,)``
            ``sat``, ``start_s``, ``end_s``, ``umbra_s`` (umbra duration [s]),
            ``penumbra_s`` (both penumbra phases [s]), ``duration_s``.
        """
        if len(self) == 0:
            z = np.zeros(0)
            return {"sat": z.astype(int), "start_s": z, "end_s": z, "umbra_s": z, "penumbra_s": z, "duration_s": z}
        new = np.r_[True, (self.sat[1:] != self.sat[:-1]) | (self.start_s[1:] > self.end_s[:-1] + 1e-6)]
        eid = np.cumsum(new) - 1
        d = self.end_s - self.start_s
        umbra = np.bincount(eid, np.where(self.kind == UMBRA, d, 0.0))
        pen = np.bincount(eid, np.where(self.kind == PENUMBRA, d, 0.0))
        first = np.flatnonzero(new)
        last = np.r_[first[1:] - 1, len(self) - 1]
        return {"sat": self.sat[first], "start_s": self.start_s[first], "end_s": self.end_s[last],
                "umbra_s": umbra, "penumbra_s": pen, "duration_s": umbra + pen}


# ---------------------------------------------------------------------- summaries
def _cumulative_shadow(sat, s0, s1, weight, n_sat, edges) -> np.ndarray:
    """``F[i, j]`` = weighted shadow time of satellite ``i`` before ``edges[j]`` [s]."""
    F = np.zeros((n_sat, len(edges)))
    if len(sat) == 0:
        return F
    # each interval contributes weight * clip(edge - s0, 0, s1 - s0) to every edge
    # (vectorized per satellite block; intervals per satellite are sorted and disjoint)
    ordered = (sat[1:] > sat[:-1]) | ((sat[1:] == sat[:-1]) & (s0[1:] >= s0[:-1]))
    if not ordered.all():  # tables from find_eclipses are already in this order
        order = np.lexsort((s0, sat))
        sat, s0, s1, weight = sat[order], s0[order], s1[order], weight[order]
    dur = (s1 - s0) * weight
    for_edges = np.searchsorted(s0 + sat * 1e12, edges[None, :] + np.arange(n_sat)[:, None] * 1e12, side="right")
    # intervals starting before the edge: k in [first_i, for_edges) ; all but the last are complete
    first = np.searchsorted(sat, np.arange(n_sat), side="left")
    cum = np.r_[0.0, np.cumsum(dur)]
    k_last = for_edges - 1
    has = k_last >= first[:, None]
    complete = cum[np.maximum(k_last, 0)] - cum[first][:, None]
    kl = np.maximum(k_last, 0)
    partial = weight[kl] * np.clip(edges[None, :] - s0[kl], 0.0, s1[kl] - s0[kl])
    F[:] = np.where(has, complete + partial, 0.0)
    return F


def eclipse_fractions(table: EclipseTable, window_s=None, *, period=None) -> dict[str, np.ndarray]:
    """Shadow fractions per satellite in consecutive windows (by default one orbit each).

    Parameters
    ----------
    table : EclipseTable
    window_s : float, optional
        Window length [s] (the unit is in the name); give either this or ``period``.
    period : Quantity [time] or array of shape ``(n_sat,)``, optional
        Orbital period(s), e.g. ``con.period``; windows are one period long per satellite
        (the shortest is used for all when an array is given).

    Returns
    -------
    dict of ndarray, each shape ``(n_sat, n_window)``
        ``start_s`` window starts [s since the table's start] (shape ``(n_window,)``),
        ``umbra``, ``any`` (umbra or penumbra) and ``energy`` (sunlight lost: umbra plus
        half the penumbra) as fractions of each complete window.
    """
    if (window_s is None) == (period is None):
        raise InputError("eclipse_fractions: give exactly one of window_s or period (e.g. period=con.period)")
    w = float(window_s) if window_s is not None else float(np.nanmin(magnitude(period, "s", "period")))
    if not w > 0:
        raise InputError(f"window_s: must be positive, got {w}")
    n_w = int(table.window_s // w)
    if n_w < 1:
        raise InputError(f"window_s: {w} s is longer than the table's window of {table.window_s} s")
    edges = np.arange(n_w + 1) * w
    n_sat = len(table.satellite_names)
    out = {"start_s": edges[:-1]}
    umb = table.kind == UMBRA
    for name, wp, wu in (("umbra", 0.0, 1.0), ("any", 1.0, 1.0), ("energy", 0.5, 1.0)):
        weight = np.where(umb, wu, wp)
        F = _cumulative_shadow(table.sat, table.start_s, table.end_s, weight, n_sat, edges)
        out[name] = np.diff(F, axis=1) / w
    return out


@dataclass(frozen=True, eq=False)
class EclipseSeasons(TableMixin):
    """Eclipse seasons: runs of orbits with an eclipse on every orbit.

    Attributes
    ----------
    table : EclipseTable
        The eclipses the seasons were built from.
    sat : ndarray of int, shape ``(n_season,)``
    start_s, end_s : ndarray [s since the table's start]
        First eclipse start and last eclipse end of each season.
    n_eclipses : ndarray of int
    max_eclipse_s : ndarray [s]
        Longest eclipse (umbra plus penumbra) of each season.
    shadow_s : ndarray [s]
        Total time in shadow (umbra plus penumbra) in each season.
    """

    table: EclipseTable
    sat: np.ndarray
    start_s: np.ndarray
    end_s: np.ndarray
    n_eclipses: np.ndarray
    max_eclipse_s: np.ndarray
    shadow_s: np.ndarray

    COLUMNS = ("satellite", "start", "end", "duration_days", "n_eclipses", "max_eclipse_s", "shadow_fraction")

    def __len__(self) -> int:
        return len(self.sat)

    def columns(self) -> dict:
        n = len(self)
        iso = (lambda c: iso_utc(offset(self.table.start, c), 0)) if n else (lambda c: [])
        span = self.end_s - self.start_s
        return {
            "satellite": [self.table.satellite_names[k] for k in self.sat],
            "start": iso(self.start_s),
            "end": iso(self.end_s),
            "duration_days": np.round(span / 86400.0, 3),
            "n_eclipses": self.n_eclipses.copy(),
            "max_eclipse_s": np.round(self.max_eclipse_s, 3),
            "shadow_fraction": np.round(np.where(span > 0, self.shadow_s / np.where(span > 0, span, 1), 0), 5),
        }


def eclipse_seasons(table: EclipseTable, period, *, max_gap_orbits: float = 1.5) -> EclipseSeasons:
    """Group eclipses into seasons: a gap longer than ``max_gap_orbits`` periods ends one.

    Parameters
    ----------
    table : EclipseTable
    period : Quantity [time], scalar or shape ``(n_sat,)``
        Orbital periods (e.g. ``con.period``).
    max_gap_orbits : float
        A season continues while consecutive eclipses start less than this many periods
        apart.

    Returns
    -------
    EclipseSeasons
    """
    p = np.broadcast_to(magnitude(period, "s", "period"), (len(table.satellite_names),))
    e = table.eclipses()
    if len(e["sat"]) == 0:
        z = np.zeros(0)
        return EclipseSeasons(table, z.astype(int), z, z, z.astype(int), z, z)
    gap = np.diff(e["start_s"])
    new = np.r_[True, (e["sat"][1:] != e["sat"][:-1]) | (gap > max_gap_orbits * p[e["sat"][1:]])]
    sid = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, len(new) - 1]
    max_e = np.full(len(first), -np.inf)
    np.maximum.at(max_e, sid, e["duration_s"])
    return EclipseSeasons(
        table=table, sat=e["sat"][first], start_s=e["start_s"][first], end_s=e["end_s"][last],
        n_eclipses=np.bincount(sid), max_eclipse_s=max_e, shadow_s=np.bincount(sid, e["duration_s"]),
    )


# ---------------------------------------------------------------------- a year of shadow
@dataclass(frozen=True, eq=False)
class EclipseYear:
    """Shadow per orbit and beta angle of one satellite over a span (the data of the
    eclipse-year figure, :func:`orbitcompute.plotting.plot_eclipse_year`).

    Attributes
    ----------
    satellite : str
        The satellite's name.
    start_iso : str
        Start of the span, ISO 8601 UTC to the second.
    span_days : float [day]
    orbit_day : ndarray, shape ``(n_orbit,)`` [day]
        Middle of each orbit, days since the start.
    any_fraction, umbra_fraction : ndarray, shape ``(n_orbit,)`` [-]
        Fraction of each orbit in any shadow (umbra + penumbra) and in umbra.
    shadow_fraction : float [-]
        Fraction of the span in any shadow.
    beta_day : ndarray, shape ``(n_beta,)`` [day]
        Sample times of the beta angle, days since the start (hourly or finer).
    beta_deg : ndarray, shape ``(n_beta,)`` [deg]
    beta_limit_deg : float [deg]
        ``asin(a / r)``: no eclipse beyond this ``|beta|`` (circular orbit).
    """

    satellite: str
    start_iso: str
    span_days: float
    orbit_day: np.ndarray
    any_fraction: np.ndarray
    umbra_fraction: np.ndarray
    shadow_fraction: float
    beta_day: np.ndarray
    beta_deg: np.ndarray
    beta_limit_deg: float


def eclipse_year(con, start, stop, *, satellite: int = 0, table: EclipseTable | None = None) -> EclipseYear:
    """Shadow per orbit and beta angle of one satellite over a span (e.g. a year).

    Parameters
    ----------
    con : Constellation
    start, stop : time-like
    satellite : int
        Index of the satellite in ``con``.
    table : EclipseTable, optional
        A table already computed for ``con[[satellite]]`` over the same window (else
        :func:`find_eclipses` runs).

    Returns
    -------
    EclipseYear
        Per-orbit fractions from :func:`eclipse_fractions` (one window per period) and the
        beta angle sampled every ``max(1 h, span / 400)``.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.eclipse import eclipse_year
    >>> sso = oc.Constellation.sun_synchronous(altitude=650 * oc.u.km, ltan=18 * oc.u.hour,
    ...                                        epoch="2026-06-01T00:00:00Z")
    >>> y = eclipse_year(sso, "2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z")
    >>> y.span_days, y.beta_deg.shape, bool(abs(y.beta_deg).max() < y.beta_limit_deg)  # shadow every orbit
    (7.0, (169,), True)
    >>> bool((y.any_fraction > 0).all()), round(100 * y.shadow_fraction)
    (True, 19)
    """

    one = con[[satellite]]
    tab = table if table is not None else find_eclipses(one, start, stop)
    period = float(one.period.m_as("s")[0])
    fr = eclipse_fractions(tab, window_s=period)
    t = time_grid(start, stop, max(3600.0, tab.window_s / 400) * u.s)
    r = float(one.semi_major_axis.m_as("m")[0])
    return EclipseYear(
        satellite=one.names[0], start_iso=iso_utc(tab.start, 0)[0], span_days=tab.window_s / 86400.0,
        orbit_day=(fr["start_s"] + 0.5 * period) / 86400.0, any_fraction=fr["any"][0], umbra_fraction=fr["umbra"][0],
        shadow_fraction=float(tab.shadow_seconds("any")[0] / tab.window_s),
        beta_day=np.asarray(seconds_between(t[0], t)) / 86400.0, beta_deg=beta_angle(one, t).m_as("deg")[0],
        beta_limit_deg=float(np.degrees(np.arcsin(min(1.0, WGS84_A / r)))))


# plot_eclipse_year moved to orbitcompute.plotting (issue 12); the old name, for one release.
# orbitcompute.plotting is imported by name inside _moved.moved (importlib), not by an import
# statement, so this domain module does not import the face (tests/test_architecture.py).
_MOVED = {"plot_eclipse_year": "orbitcompute.plotting"}


def __getattr__(name: str):
    if name in _MOVED:
        return moved(__name__, name, _MOVED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
