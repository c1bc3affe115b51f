"""The Sun as seen from a satellite: direction, flux, Earth's shadow, beta angle.

Sun positions are geometric Earth-to-Sun vectors from JPL DE421 (shipped by
skyfield-data, read offline).  The shadow is that of the WGS84 ellipsoid:

* ``"cylindrical"``: umbra only, the Sun at infinity (a cylinder of the Earth's
  cross-section along the Sun line); the fraction is 0 or 1.
* ``"conical"``: umbra and penumbra from the apparent disks of Sun and Earth
  (Montenbruck & Gill 2000, section 3.4.2); the fraction is the visible part of the
  solar disk, 0..1.

Oblateness is handled exactly for the Sun's centre by an affine change of space that
turns the ellipsoid into a sphere of radius ``a`` (z scaled by ``a/b``); lines stay
lines, so whether the ray to the Sun's centre grazes the ellipsoid is unchanged.  The
apparent disk sizes are distorted by at most ``f = 0.34 %``, which changes the penumbra
width (about 8 s in LEO) by < 0.03 s.  The polar axis used is the z axis of the frame the
propagator works in (TEME: the true pole of date; GCRS: the J2000 pole, 0.36 deg off
in 2026, moving the shadow edge by <= 140 m, about 0.02 s in LEO).  The atmosphere is
ignored: refraction and extinction make the real shadow boundary fuzzy over the lowest
~20-50 km of grazing height, a few seconds of shadow entry and exit in LEO.

References
----------
Montenbruck, O. & Gill, E. (2000), *Satellite Orbits*, Springer, section 3.4.2.
Kopp, G. & Lean, J. L. (2011), "A new, lower value of total solar irradiance",
Geophys. Res. Lett. 38, L01706, doi:10.1029/2010GL045777 (1360.8 +- 0.5 W/m^2).
IAU 2015 Resolution B3 (nominal solar radius 695,700 km); IAU 2012 Resolution B2 (au).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _scale
from .constants import GM_EARTH, WGS84_A, WGS84_F
from .ephemeris import planets
from .errors import InputError
from .frames import rotation_matrices
from .time import offset, seconds_between, time_grid, to_time
from .units import quantity

__all__ = [
    "AU_M",
    "R_SUN_M",
    "SOLAR_CONSTANT_W_M2",
    "SunlightHistory",
    "beta_angle",
    "illuminated_fraction",
    "shadow_si",
    "solar_flux",
    "solar_flux_si",
    "sun_position",
    "sun_position_si",
    "sunlight_history",
]

#: Astronomical unit [m] (IAU 2012 Resolution B2, exact).
AU_M = 149_597_870_700.0
#: Nominal solar radius [m] (IAU 2015 Resolution B3).
R_SUN_M = 695_700_000.0
#: Total solar irradiance at 1 au [W/m^2] (Kopp & Lean 2011: 1360.8 +- 0.5; solar-cycle
#: variation about +-0.05 %).  Low/high used for sensitivity: 1360, 1362.
SOLAR_CONSTANT_W_M2 = 1361.0
SOLAR_CONSTANT_RANGE_W_M2 = (1360.0, 1362.0)

MODELS = ("conical", "cylindrical")
_POLAR_SCALE = 1.0 / (1.0 - WGS84_F)  # a / b
#: Above this many times, Sun vectors are computed on hourly nodes and interpolated by
#: a cubic spline (the Sun moves 0.04 deg per hour; the spline error is < 1e-12 rad).
_NODE_THRESHOLD = 200
_NODE_STEP_S = 3600.0


def _native_frame(con) -> str:
    """The frame the constellation's propagator works in (no rotation needed)."""
    return "teme" if con.propagator == "sgp4" else "gcrs"


def _sun_direct(t, frame: str) -> np.ndarray:
    eph = planets()
    s = (eph["sun"] - eph["earth"]).at(t).position.m  # (3, n) ICRS axes = GCRS axes
    s = np.asarray(s, dtype=np.float64).reshape(3, -1).T.copy()
    if frame != "gcrs":
        R = rotation_matrices(t, "gcrs", frame)
        s = np.einsum("nij,nj->ni", R, s)
    return s


def sun_position_si(t, frame: str = "gcrs") -> np.ndarray:
    """Geometric Earth-to-Sun vectors [m], shape ``(n_time, 3)``, for a skyfield ``Time``.

    ``frame`` is ``"gcrs"``, ``"teme"`` or ``"itrs"``.  For more than a few hundred
    times the vectors are evaluated on hourly nodes and interpolated (cubic spline,
    error < 1e-12 rad in direction).
    """
    t = t if t.shape else t.ts.tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
    n = len(t)
    if n <= _NODE_THRESHOLD or frame == "itrs":  # ITRS rotates with the Earth: no nodes
        return _sun_direct(t, frame)
    t0 = t[0]
    x = seconds_between(t0, t)
    lo, hi = float(np.min(x)), float(np.max(x))
    k = max(4, int(np.ceil((hi - lo) / _NODE_STEP_S)) + 1)
    if k >= n:
        return _sun_direct(t, frame)
    from scipy.interpolate import CubicSpline

    nodes = np.linspace(lo, hi, k)
    s_nodes = _sun_direct(offset(t0, nodes), frame)
    return CubicSpline(nodes, s_nodes, axis=0)(x)


def sun_position(times, frame: str = "gcrs"):
    """Earth-to-Sun vectors, Quantity shape ``(n_time, 3)`` [m] (see :func:`sun_position_si`).

    Examples
    --------
    >>> import orbitcompute as oc
    >>> s = oc.sun_position("2026-01-03T12:00:00Z")
    >>> round(float(oc.u.Quantity(s.magnitude[0] @ s.magnitude[0], "m**2") ** 0.5 / oc.u.au), 4)
    0.9833
    """
    return quantity(sun_position_si(to_time(times, "times"), frame), "m")


def solar_flux_si(t) -> np.ndarray:
    """Solar irradiance at the Earth's distance [W/m^2], shape ``(n_time,)``.

    ``S = S0 (1 au / d)^2`` with ``S0`` = :data:`SOLAR_CONSTANT_W_M2`; ``d`` from DE421
    (about 1408 W/m^2 in early January, 1316 W/m^2 in early July).
    """
    s = sun_position_si(t, "gcrs")
    d2 = np.einsum("ni,ni->n", s, s)
    return SOLAR_CONSTANT_W_M2 * AU_M**2 / d2


def solar_flux(times):
    """Solar irradiance at the Earth's distance, Quantity shape ``(n_time,)`` [W/m^2].

    Examples
    --------
    >>> import orbitcompute as oc
    >>> round(float(oc.solar_flux(["2026-01-03T00:00:00Z", "2026-07-06T00:00:00Z"]).m_as("W/m^2")[0]))
    1408
    """
    return quantity(solar_flux_si(to_time(times, "times")), "W/m^2")


# ---------------------------------------------------------------------- shadow
def check_model(model: str) -> str:
    if model not in MODELS:
        raise InputError(f"model: expected one of {MODELS}, got {model!r}")
    return model


def _flatten(x: np.ndarray) -> np.ndarray:
    """Scale z by a/b: the WGS84 ellipsoid becomes the sphere of radius ``a``."""
    y = np.array(x, dtype=np.float64, copy=True)
    y[..., 2] *= _POLAR_SCALE
    return y


def shadow_angles(r: np.ndarray, s: np.ndarray):
    """Apparent radii of Sun ``a`` and Earth ``b`` and their separation ``c`` [rad].

    ``r`` satellite positions (..., 3) [m] and ``s`` Earth-to-Sun vectors broadcastable
    to it, both already flattened (:func:`_flatten`) so the Earth is a sphere of radius
    ``a_WGS84``.  ``c`` is the angle between the directions to the Sun's and Earth's
    centres as seen from the satellite (computed with ``arctan2`` for accuracy).
    """
    d = s - r  # satellite -> Sun
    nd = np.sqrt(np.einsum("...i,...i->...", d, d))
    nr = np.sqrt(np.einsum("...i,...i->...", r, r))
    a = np.arcsin(np.minimum(R_SUN_M / nd, 1.0))
    b = np.arcsin(np.minimum(WGS84_A / nr, 1.0))
    # angle between d and -r
    cross = np.cross(d, r)
    c = np.arctan2(np.sqrt(np.einsum("...i,...i->...", cross, cross)), -np.einsum("...i,...i->...", d, r))
    return a, b, c


def _disk_fraction(a, b, c):
    """Visible fraction of a disk of radius ``a`` partly covered by one of radius ``b``.

    Centres ``c`` apart (all angles [rad], arrays broadcast).  Montenbruck & Gill
    (2000) eq. 3.87-3.89: ``A = a^2 acos(x/a) + b^2 acos((c-x)/b) - c y`` with
    ``x = (c^2 + a^2 - b^2) / (2c)``, ``y = sqrt(a^2 - x^2)``.
    """
    a, b, c = np.broadcast_arrays(a, b, c)
    nu = np.ones(a.shape)
    umbra = c <= b - a
    annular = c <= a - b
    partial = (c < a + b) & ~umbra & ~annular
    nu[umbra] = 0.0
    nu[annular] = 1.0 - (b[annular] / a[annular]) ** 2
    ap, bp, cp = a[partial], b[partial], c[partial]
    x = (cp * cp + ap * ap - bp * bp) / (2.0 * cp)
    y = np.sqrt(np.maximum(ap * ap - x * x, 0.0))
    area = (ap * ap * np.arccos(np.clip(x / ap, -1, 1))
            + bp * bp * np.arccos(np.clip((cp - x) / bp, -1, 1)) - cp * y)
    nu[partial] = 1.0 - area / (np.pi * ap * ap)
    nan = np.isnan(a) | np.isnan(b) | np.isnan(c)
    nu[nan] = np.nan
    return np.clip(nu, 0.0, 1.0)


def cylinder_distance(r: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Signed clearance of the cylindrical shadow [m], positive when sunlit.

    ``|r_perp| - a`` behind the Earth (``r . s < 0``), ``|r| - a`` in front; continuous,
    zero exactly on the shadow boundary.  Inputs flattened as in :func:`shadow_angles`.
    """
    su = s / np.sqrt(np.einsum("...i,...i->...", s, s))[..., None]
    along = np.einsum("...i,...i->...", r, su)
    nr2 = np.einsum("...i,...i->...", r, r)
    perp = np.sqrt(np.maximum(nr2 - along * along, 0.0))
    return np.where(along < 0, perp, np.sqrt(nr2)) - WGS84_A


def shadow_si(r: np.ndarray, s: np.ndarray, model: str = "conical") -> np.ndarray:
    """Illuminated fraction of the solar disk, 0..1, for positions ``r`` and Sun ``s``.

    Parameters
    ----------
    r : ndarray, shape ``(..., 3)`` [m]
        Satellite positions (geocentric, any Earth-centred frame whose z axis is near
        the Earth's pole).
    s : ndarray, broadcastable to ``r`` [m]
        Earth-to-Sun vectors in the same frame.
    model : {"conical", "cylindrical"}

    Returns
    -------
    ndarray, shape ``r.shape[:-1]``
        1 in sunlight, 0 in umbra, between in penumbra; NaN where ``r`` is NaN.
    """
    check_model(model)
    rf, sf = _flatten(r), _flatten(s)
    if model == "cylindrical":
        g = cylinder_distance(rf, sf)
        return np.where(np.isnan(g), np.nan, (g >= 0).astype(np.float64))
    return _disk_fraction(*shadow_angles(rf, sf))


def illuminated_fraction(con, times, model: str = "conical", *, max_bytes: int = 256 * 2**20) -> np.ndarray:
    """Fraction of the solar disk visible from each satellite at each time.

    Parameters
    ----------
    con : Constellation
    times : time-like, shape ``(n_time,)``
    model : {"conical", "cylindrical"}
        See the module docstring.
    max_bytes : int
        Memory budget for propagating in time chunks.

    Returns
    -------
    ndarray, shape ``(n_sat, n_time)``
        1 sunlit, 0 umbra, in between penumbra (conical); NaN where propagation failed.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> con = oc.Constellation.keplerian(altitude=550 * oc.u.km, inclination=0 * oc.u.deg, raan=0 * oc.u.deg,
    ...                                  epoch="2026-03-20T12:00:00Z")
    >>> times = oc.time_grid("2026-03-20T12:00:00Z", "2026-03-20T13:36:00Z", 60 * oc.u.s)
    >>> f = oc.illuminated_fraction(con, times)
    >>> f.shape, round(float((f < 1).mean()), 2)
    ((1, 97), 0.37)
    """
    check_model(model)
    t = to_time(times, "times")
    scalar = not t.shape
    if scalar:
        t = t.ts.tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
    frame = _native_frame(con)
    out = np.empty((len(con), len(t)))
    for chunk in con.iter_states(t, frame, max_bytes=max_bytes):
        s = sun_position_si(t[chunk.index], frame)
        out[:, chunk.index] = shadow_si(chunk.r, s[None, :, :], model)
    return out[:, 0] if scalar else out


# ---------------------------------------------------------------------- beta angle
def beta_angle_si(r: np.ndarray, v: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Sun elevation above the orbit plane [rad]: ``asin(h_hat . s_hat)``, ``h = r x v``.

    Shapes: ``r``, ``v`` ``(..., 3)``; ``s`` broadcastable.  Inertial ``r``, ``v``
    (GCRS or TEME), so that ``h`` is the orbit normal.
    """
    h = np.cross(r, v)
    h /= np.sqrt(np.einsum("...i,...i->...", h, h))[..., None]
    su = s / np.sqrt(np.einsum("...i,...i->...", s, s))[..., None]
    return np.arcsin(np.clip(np.einsum("...i,...i->...", h, su), -1.0, 1.0))


def beta_angle(con, times):
    """Beta angle (Sun elevation above the osculating orbit plane) of each satellite.

    Returns
    -------
    Quantity, shape ``(n_sat, n_time)`` [deg]
        Positive when the Sun is on the side of the orbit normal ``r x v``.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> sso = oc.Constellation.sun_synchronous(altitude=650 * oc.u.km, ltan=18 * oc.u.hour,
    ...                                        epoch="2026-06-21T00:00:00Z")
    >>> round(float(oc.beta_angle(sso, "2026-06-21T00:00:00Z").m[0]), 1)
    58.6
    """
    t = to_time(times, "times")
    scalar = not t.shape
    if scalar:
        t = t.ts.tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
    frame = _native_frame(con)
    r, v, _ = con.states_si(t, frame)
    s = sun_position_si(t, frame)
    beta = np.degrees(beta_angle_si(r, v, s[None]))
    return quantity(beta[:, 0] if scalar else beta, "deg")


def eclipse_half_angle(altitude_m, beta_rad) -> np.ndarray:
    """Half the orbit arc in the cylindrical shadow of a spherical Earth [rad].

    For a circular orbit of radius ``r = a + altitude`` and beta angle ``beta``:
    ``cos(phi) = sqrt(1 - (a/r)^2) / cos(beta)``; no eclipse (NaN -> 0) when
    ``|beta| >= asin(a/r)``.  The eclipse lasts ``2 phi / n`` (Vallado 2013, section
    5.3; the standard "eclipse fraction" formula).
    """
    r = WGS84_A + np.asarray(altitude_m, dtype=np.float64)
    beta = np.asarray(beta_rad, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        x = np.sqrt(1.0 - (WGS84_A / r) ** 2) / np.cos(beta)
        return np.where(x < 1.0, np.arccos(np.minimum(x, 1.0)), 0.0)


def eclipse_fraction_analytic(altitude_m, beta_rad) -> np.ndarray:
    """Fraction of a circular orbit in cylindrical shadow (spherical Earth), 0..~0.5.

    Examples
    --------
    >>> from orbitcompute.sun import eclipse_fraction_analytic
    >>> round(float(eclipse_fraction_analytic(550e3, 0.0)), 4)
    0.3723
    """
    return eclipse_half_angle(altitude_m, beta_rad) / np.pi


# ---------------------------------------------------------------------- history
@dataclass(frozen=True, eq=False)
class SunlightHistory:
    """Sunlight seen by one satellite over a time span, as plain SI arrays.

    Attributes
    ----------
    epoch : skyfield Time
        Time of the first sample.
    t_s : ndarray, shape ``(n,)`` [s]
        TT seconds since ``epoch``.
    illuminated : ndarray, shape ``(n,)``
        Visible fraction of the solar disk (conical model), 0..1.
    flux_w_m2 : ndarray, shape ``(n,)`` [W/m^2]
        Solar irradiance at the Earth's distance (multiply by ``illuminated`` for the
        irradiance at the satellite).
    beta_rad : ndarray, shape ``(n,)`` [rad]
    r_m, v_m_s : ndarray, shape ``(n, 3)`` [m], [m/s]
        Satellite state in the propagator's inertial frame (TEME for SGP4, GCRS for the
        J2 propagator); only angles between these vectors are used downstream.
    sun_unit : ndarray, shape ``(n, 3)``
        Unit vector from the satellite to the Sun, same frame.
    period_s : float
        Orbital period [s] (from the mean motion).
    satellite : str
        Name of the satellite.
    """

    epoch: Any
    t_s: np.ndarray
    illuminated: np.ndarray
    flux_w_m2: np.ndarray
    beta_rad: np.ndarray
    r_m: np.ndarray
    v_m_s: np.ndarray
    sun_unit: np.ndarray
    period_s: float
    satellite: str

    def __len__(self) -> int:
        return len(self.t_s)

    @property
    def irradiance_w_m2(self) -> np.ndarray:
        """Solar irradiance at the satellite, ``illuminated * flux`` [W/m^2]."""
        return self.illuminated * self.flux_w_m2

    @property
    def altitude_m(self) -> np.ndarray:
        """Height above the WGS84 equatorial radius [m] (spherical, for view factors)."""
        return np.sqrt(np.einsum("ni,ni->n", self.r_m, self.r_m)) - WGS84_A


#: Samples per time block of :func:`sunlight_history` (the unit of work of an executor).
SUNLIGHT_BLOCK = 250_000


def _sunlight_block(one, t, frame: str, s: np.ndarray):
    """Position, velocity, lit fraction and beta angle of one satellite over times ``t``."""
    r, v, _ = one.states_si(t, frame)
    return r[0], v[0], shadow_si(r[0], s, "conical"), beta_angle_si(r[0], v[0], s)


def sunlight_history(con, start, stop, step, *, satellite: int = 0, executor=None,
                     progress=None) -> SunlightHistory:
    """Sample the sunlight of one satellite of ``con`` from ``start`` to ``stop``.

    Parameters
    ----------
    con : Constellation
    start, stop : time-like
    step : Quantity [time]
        Sampling step (e.g. ``10 * u.s`` to resolve a ~8 s LEO penumbra; use
        :func:`orbitcompute.find_eclipses` for exact event times).
    satellite : int
        Index of the satellite in ``con``.
    executor : concurrent.futures.Executor, "auto" or None
        Where the blocks of :data:`SUNLIGHT_BLOCK` times are propagated: ``None``
        (default) in this process; any executor (a process pool, or
        ``distributed.Client(address).get_executor()``); ``"auto"``: a forked pool over
        the cores for at least :data:`orbitcompute._scale.AUTO_MIN_WORK` / 100 times.
        The Sun vectors are computed here once; the result is identical, bit for bit.
    progress : callable, optional
        ``progress(done, total)`` after each block of times.

    Returns
    -------
    SunlightHistory

    Examples
    --------
    >>> import orbitcompute as oc
    >>> sso = oc.Constellation.sun_synchronous(altitude=650 * oc.u.km, ltan=18 * oc.u.hour,
    ...                                        epoch="2026-06-21T00:00:00Z")
    >>> h = oc.sunlight_history(sso, "2026-06-21T00:00:00Z", "2026-06-22T00:00:00Z", 30 * oc.u.s)
    >>> len(h), round(float(h.illuminated.mean()), 3)
    (2881, 0.807)
    """
    if not -len(con) <= satellite < len(con):
        raise InputError(f"satellite: index {satellite} out of range for {len(con)} satellites")
    t = time_grid(start, stop, step)
    one = con[[satellite]]
    # angles between Sun, position and velocity do not depend on the inertial frame:
    # work in the propagator's own (TEME for SGP4), which needs no nutation series
    frame = _native_frame(one)
    s = sun_position_si(t, frame)  # once, on the whole grid (its spline nodes span it)

    bounds = list(range(0, len(t), SUNLIGHT_BLOCK)) + [len(t)]
    tasks = [(one, t[a:b], frame, s[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    parts = _scale.run_groups(_sunlight_block, tasks, executor, 100.0 * len(t), progress)
    r, v, frac, beta = (np.concatenate(c) for c in zip(*parts))
    r, v = r[None], v[None]
    d = s - r[0]
    sun_unit = d / np.sqrt(np.einsum("ni,ni->n", d, d))[:, None]
    n = one._mean_motion_si()[0]
    return SunlightHistory(
        epoch=t[0],
        t_s=seconds_between(t[0], t),
        illuminated=frac,
        flux_w_m2=SOLAR_CONSTANT_W_M2 * AU_M**2 / np.einsum("ni,ni->n", s, s),
        beta_rad=beta,
        r_m=r[0],
        v_m_s=v[0],
        sun_unit=sun_unit,
        period_s=float(2 * np.pi / n) if n > 0 else float("nan"),
        satellite=one.names[0],
    )


def orbit_period_s(altitude_m) -> np.ndarray:
    """Keplerian period of a circular orbit [s] (for the analytic formulas)."""
    r = WGS84_A + np.asarray(altitude_m, dtype=np.float64)
    return 2 * np.pi * np.sqrt(r**3 / GM_EARTH)


