"""Constellations and their propagation.

A :class:`Constellation` is an immutable set of satellites with one propagator:

* ``"sgp4"``: SGP4/SDP4 through sgp4's vectorized ``SatrecArray`` (TLE/OMM sets, and
  design constellations initialised with ``sgp4init`` on WGS84 constants);
* ``"j2"``: an analytic J2 secular propagator for design-phase mean elements (elements
  referred to GCRS axes).

Positions and velocities come out as ``(n_sat, n_time, 3)`` arrays in TEME, GCRS or
ITRS.  A satellite that cannot be propagated (decayed, bad elements) gives NaN and an
integer code (see :data:`orbitcompute.errors.ERROR_CODES`); the batch goes on.

Examples
--------
>>> import orbitcompute as oc
>>> con = oc.Constellation.walker_delta(total=24, planes=3, phasing=1,
...     altitude=550 * oc.u.km, inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
>>> times = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T00:10:00Z", step=60 * oc.u.s)
>>> con.positions(times, frame="itrs").shape
(24, 11, 3)
>>> round(float(con.period[0].to("min").m), 1)
95.6
"""

from __future__ import annotations

import math
import operator
import warnings
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from . import _kepler
from .constants import DAY_S, R_EARTH
from .elements import parse_omm, parse_tle
from .errors import InputError, ParseError
from .frames import add_earth_rotation, check_frame, rotate, rotation_matrices, teme_to_itrs_inplace
from .time import timescale, to_time
from .units import magnitude, quantity, u

__all__ = ["Constellation", "StateChunk", "check_accelerated"]

_SGP4_EPOCH0_JD = 2433281.5  # sgp4init epoch origin: 1949 December 31 00:00 UT


def check_accelerated() -> bool:
    """True if sgp4's compiled C++ module is in use; warns loudly if not."""
    from sgp4.api import accelerated

    if not accelerated:
        warnings.warn(
            "sgp4 is running its pure-Python fallback (sgp4.api.accelerated is False): "
            "propagation will be ~100x slower. Reinstall sgp4 from a wheel for this "
            "platform (pip install --force-reinstall sgp4).",
            RuntimeWarning,
            stacklevel=3,
        )
    return bool(accelerated)


@dataclass(frozen=True)
class StateChunk:
    """One block of times from :meth:`Constellation.iter_states` (plain SI arrays).

    Attributes
    ----------
    index : slice
        Which entries of the caller's times this chunk covers.
    r, v : ndarray, shape ``(n_sat, n_chunk, 3)`` [m], [m/s]
    error : ndarray of int8, shape ``(n_sat, n_chunk)``
    """

    index: slice
    r: np.ndarray
    v: np.ndarray
    error: np.ndarray


@dataclass(frozen=True, eq=False)
class _J2Elements:
    """Mean elements for the J2 secular propagator (SI, radians), each shape (n_sat,)."""

    a: np.ndarray
    e: np.ndarray
    i: np.ndarray
    raan: np.ndarray
    argp: np.ndarray
    M: np.ndarray
    epoch_whole: np.ndarray  # TT Julian date, split
    epoch_frac: np.ndarray

    def take(self, idx) -> "_J2Elements":
        return _J2Elements(*(getattr(self, f)[idx] for f in self.__dataclass_fields__))


@dataclass(frozen=True, eq=False)
class Constellation:
    """An immutable set of satellites sharing one propagator.

    Build one with the ``walker_delta``, ``walker_star``, ``sun_synchronous``,
    ``keplerian``, ``from_tle``, ``from_omm`` or ``from_satrecs`` constructors.

    Attributes
    ----------
    names : tuple of str
        One name per satellite.
    propagator : {"sgp4", "j2"}
    skipped : tuple of ParseError
        Records left out by a non-strict file read.
    """

    names: tuple[str, ...]
    propagator: str
    _satrecs: tuple = field(default=(), repr=False)
    _j2: _J2Elements | None = field(default=None, repr=False)
    skipped: tuple[ParseError, ...] = field(default=(), repr=False)

    # ------------------------------------------------------------------ basics
    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        return f"Constellation({len(self)} satellites, propagator={self.propagator!r})"

    def __getitem__(self, idx) -> "Constellation":
        """Subset by integer, slice, boolean mask or index array."""
        sel = np.arange(len(self))[idx]
        sel = np.atleast_1d(sel)
        names = tuple(self.names[k] for k in sel)
        if self.propagator == "sgp4":
            return Constellation(names, "sgp4", _satrecs=tuple(self._satrecs[k] for k in sel))
        return Constellation(names, "j2", _j2=self._j2.take(sel))

    def __add__(self, other: "Constellation") -> "Constellation":
        if not isinstance(other, Constellation):
            return NotImplemented
        if self.propagator != other.propagator:
            raise InputError(
                f"cannot join a {self.propagator!r} constellation with a {other.propagator!r} "
                "one; build both with the same propagator= argument"
            )
        if self.propagator == "sgp4":
            return Constellation(self.names + other.names, "sgp4", _satrecs=self._satrecs + other._satrecs)
        cat = {
            f: np.concatenate([getattr(self._j2, f), getattr(other._j2, f)])
            for f in _J2Elements.__dataclass_fields__
        }
        return Constellation(self.names + other.names, "j2", _j2=_J2Elements(**cat))

    # ------------------------------------------------------------ pickling
    def __getstate__(self) -> dict:
        """Everything the instance stores, with each sgp4 ``Satrec`` (whose C++ type does
        not pickle) replaced by the ``sgp4init`` arguments that rebuild it bit for bit.

        Lets process pools and dask workers receive constellations; see
        :func:`_satrec_recipe` for how the rebuild is made exact and checked.
        """
        state = dict(self.__dict__)
        state["_satrecs"] = tuple(_satrec_recipe(s, k) for k, s in enumerate(self._satrecs))
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        state["_satrecs"] = tuple(_satrec_rebuild(x) for x in state["_satrecs"])
        for name, value in state.items():  # frozen dataclass: bypass its __setattr__
            object.__setattr__(self, name, value)

    # ------------------------------------------------------------ elements
    def _mean_elements(self) -> dict[str, np.ndarray]:
        if self.propagator == "j2":
            j = self._j2
            return {"a": j.a, "e": j.e, "i": j.i}
        # SGP4's own mean semi-major axis (Earth radii of its gravity model)
        a = np.array([s.a * s.radiusearthkm for s in self._satrecs]) * 1e3
        return {
            "a": a,
            "e": np.array([s.ecco for s in self._satrecs]),
            "i": np.array([s.inclo for s in self._satrecs]),
        }

    @property
    def semi_major_axis(self):
        """Mean semi-major axis, shape ``(n_sat,)`` [m]."""
        return quantity(self._mean_elements()["a"], "m")

    @property
    def inclination(self):
        """Mean inclination, shape ``(n_sat,)`` [deg]."""
        return quantity(np.degrees(self._mean_elements()["i"]), "deg")

    @property
    def eccentricity(self):
        """Mean eccentricity, shape ``(n_sat,)`` [-]."""
        return quantity(self._mean_elements()["e"], "")

    @property
    def period(self):
        """Orbital period 2 pi / n of the mean motion, shape ``(n_sat,)`` [s]."""
        return quantity(2.0 * np.pi / self._mean_motion_si(), "s")

    def _mean_motion_si(self) -> np.ndarray:
        if self.propagator == "sgp4":
            return np.array([s.no_kozai for s in self._satrecs]) / 60.0
        return _kepler.mean_motion(self._j2.a)

    @property
    def mean_motion(self):
        """Mean motion, shape ``(n_sat,)`` [rev/day]."""
        return quantity(self._mean_motion_si() * DAY_S / (2 * np.pi), "revolution/day")

    def max_angular_rate(self) -> np.ndarray:
        """Largest true-anomaly rate along each orbit (at perigee) [rad/s], shape (n_sat,).

        ``n (1+e)^2 / (1-e^2)^{3/2}``; used to tie event-search steps to the orbit.  NaN
        for satellites whose elements the propagator refused (they propagate to NaN).
        """
        el = self._mean_elements()
        e = el["e"]
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = self._mean_motion_si() * (1 + e) ** 2 / (1 - e * e) ** 1.5
        bad = ~((e >= 0) & (e < 1))
        if self.propagator == "sgp4":
            bad |= np.array([s.error != 0 for s in self._satrecs], bool)
        return np.where(bad, np.nan, rate)

    # ------------------------------------------------------------ propagation
    def states(self, times, frame: str = "itrs"):
        """Positions and velocities of all satellites at all times.

        Parameters
        ----------
        times : time-like, shape ``(n_time,)``
            See :func:`orbitcompute.time.to_time`.
        frame : {"itrs", "gcrs", "teme"}

        Returns
        -------
        r : Quantity, shape ``(n_sat, n_time, 3)`` [m]
        v : Quantity, shape ``(n_sat, n_time, 3)`` [m/s]
        error : ndarray of int8, shape ``(n_sat, n_time)``
            0 where the state is valid; otherwise the code (``oc.errors.ERROR_CODES``), and
            the state is NaN.
        """
        t = to_time(times, "times")
        r, v, err = self.states_si(t, frame)
        return quantity(r, "m"), quantity(v, "m/s"), err

    def positions(self, times, frame: str = "itrs"):
        """Positions, shape ``(n_sat, n_time, 3)`` [m]; NaN where propagation failed."""
        return self.states(times, frame)[0]

    def velocities(self, times, frame: str = "itrs"):
        """Velocities, shape ``(n_sat, n_time, 3)`` [m/s]; NaN where propagation failed."""
        return self.states(times, frame)[1]

    def iter_states(self, times, frame: str = "itrs", *, max_bytes: int = 256 * 2**20) -> Iterator[StateChunk]:
        """Propagate in blocks of times so that no block's output exceeds ``max_bytes``.

        Yields
        ------
        StateChunk
            Plain SI arrays ``r`` [m], ``v`` [m/s], ``error``, shape ``(n_sat, n_chunk, ...)``.
        """
        t = to_time(times, "times")
        t = t if t.shape else timescale().tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
        n = len(t)
        per_time = max(1, len(self)) * (6 * 8 * 2 + 1)  # r, v and sgp4's temporaries
        step = max(1, int(max_bytes // per_time))
        for k in range(0, n, step):
            sl = slice(k, min(n, k + step))
            # no local names for the arrays: the previous chunk is freed before the next
            yield StateChunk(sl, *self.states_si(t[sl], frame))

    def states_si(self, t, frame: str = "itrs"):
        """Like :meth:`states` for a skyfield ``Time``, returning plain SI arrays."""
        frame = check_frame(frame)
        scalar = not t.shape
        if scalar:
            t = timescale().tt_jd(np.atleast_1d(t.whole), np.atleast_1d(t.tt_fraction))
        if len(self) == 0:
            n = len(t)
            return np.zeros((0, n, 3)), np.zeros((0, n, 3)), np.zeros((0, n), np.int8)
        if self.propagator == "sgp4":
            r, v, err = _propagate_sgp4(self._satrecs, t)  # km, km/s
            native, scale = "teme", 1e3
        else:
            r, v, err = _propagate_j2(self._j2, t)
            native, scale = "gcrs", 1.0
        if frame == native:
            if scale != 1.0:
                r *= scale
                v *= scale
        elif native == "teme" and frame == "itrs" and t.ts.polar_motion_table is None:
            teme_to_itrs_inplace(r, v, t, scale)  # one z-rotation, no nutation series
        else:
            # one rotation per time step, applied to all satellites; the km -> m factor
            # rides along in the matrices (one pass over the data instead of two)
            R = rotation_matrices(t, native, frame) * scale
            r = rotate(r, R)
            v = rotate(v, R)
            if frame == "itrs":
                add_earth_rotation(v, r)
        if scalar:
            return r[:, 0], v[:, 0], err[:, 0]
        return r, v, err

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_satrecs(cls, satrecs: Sequence, names: Sequence[str] | None = None) -> "Constellation":
        """Wrap sgp4 ``Satrec`` objects (already initialised)."""
        satrecs = tuple(satrecs)
        if names is None:
            names = [f"SAT{s.satnum:05d}" if getattr(s, "satnum", 0) else f"SAT{k}" for k, s in enumerate(satrecs)]
        names = tuple(str(n) for n in names)
        if len(names) != len(satrecs):
            raise InputError(f"names: got {len(names)} names for {len(satrecs)} satellites")
        check_accelerated()
        return cls(names, "sgp4", _satrecs=satrecs)

    @classmethod
    def from_tle(cls, source: str | PathLike, *, strict: bool = True) -> "Constellation":
        """Read TLE or 3LE sets from text or from a file path.

        Parameters
        ----------
        source : str or path
            The text itself (anything containing a newline or starting with ``1 ``), or a
            path to a file.
        strict : bool
            If True a malformed record raises :class:`~orbitcompute.errors.ParseError`
            naming the file, line and fault; if False such records are skipped and
            listed in ``skipped``.
        """

        text, name = _text_and_name(source)
        names, satrecs, problems = parse_tle(text, source=name, strict=strict)
        con = cls.from_satrecs(satrecs, names)
        return cls(con.names, "sgp4", _satrecs=con._satrecs, skipped=tuple(problems))

    @classmethod
    def from_omm(cls, source: str | PathLike, *, format: str | None = None, strict: bool = True) -> "Constellation":
        """Read CCSDS OMM element sets (XML, KVN, or CelesTrak JSON/CSV) from text or a path.

        ``format`` is one of ``"xml"``, ``"kvn"``, ``"json"``, ``"csv"``; by default it is
        sniffed from the content.  ``strict`` as in :meth:`from_tle`.
        """

        text, name = _text_and_name(source)
        names, satrecs, problems = parse_omm(text, format=format, source=name, strict=strict)
        con = cls.from_satrecs(satrecs, names)
        return cls(con.names, "sgp4", _satrecs=con._satrecs, skipped=tuple(problems))

    @classmethod
    def keplerian(
        cls,
        *,
        altitude=None,
        semi_major_axis=None,
        eccentricity=0.0,
        inclination,
        raan,
        arg_perigee=None,
        mean_anomaly=None,
        epoch,
        propagator: str = "sgp4",
        names: Sequence[str] | None = None,
        bstar: float = 0.0,
    ) -> "Constellation":
        """Satellites from mean Keplerian elements; array inputs broadcast to ``n_sat``.

        Parameters
        ----------
        altitude : Quantity [length], optional
            Mean altitude above the equatorial radius (``a = R_E + altitude``).
        semi_major_axis : Quantity [length], optional
            Give this or ``altitude``.
        eccentricity : float or array, 0 <= e < 1
        inclination, raan, arg_perigee, mean_anomaly : Quantity [angle]
        epoch : time-like
            Epoch of the elements (one time for all).
        propagator : {"sgp4", "j2"}
            ``"sgp4"``: elements are taken as SGP4 mean elements in TEME (WGS84 constants,
            ``bstar`` drag term); ``"j2"``: J2-secular mean elements on GCRS axes.
        """
        if (altitude is None) == (semi_major_axis is None):
            raise InputError("keplerian: give exactly one of altitude= or semi_major_axis=")
        if altitude is not None:
            a = R_EARTH + magnitude(altitude, "m", "altitude")
        else:
            a = magnitude(semi_major_axis, "m", "semi_major_axis")
        zero = 0.0 * _deg()
        arrays = np.broadcast_arrays(
            np.asarray(a, float),
            np.asarray(magnitude(eccentricity, "", "eccentricity", allow_float=True), float),
            magnitude(inclination, "rad", "inclination"),
            magnitude(raan, "rad", "raan"),
            magnitude(zero if arg_perigee is None else arg_perigee, "rad", "arg_perigee"),
            magnitude(zero if mean_anomaly is None else mean_anomaly, "rad", "mean_anomaly"),
        )
        a, e, i, raan_, argp, M = (np.atleast_1d(x).astype(float) for x in arrays)
        _check_elements(a, e, i, raan=raan_, arg_perigee=argp, mean_anomaly=M)
        return cls._from_elements(a, e, i, raan_, argp, M, epoch, propagator, names, bstar)

    @classmethod
    def walker_delta(cls, total: int, planes: int, phasing: int, *, altitude, inclination, epoch,
                     propagator: str = "sgp4", name_prefix: str = "WD", bstar: float = 0.0) -> "Constellation":
        """Walker delta pattern i: T/P/F, node spread over 360 deg.

        Plane ``j`` has RAAN ``360 j / P``; satellite ``k`` in it has mean anomaly
        ``360 k / S + 360 F j / T`` with ``S = T / P`` (Walker 1984, J. Br. Interplanet.
        Soc. 37, 559).  Satellites are ordered plane by plane; names ``WD-jj-kk``.
        """
        return cls._walker(total, planes, phasing, 360.0, altitude, inclination, epoch, propagator, name_prefix, bstar)

    @classmethod
    def walker_star(cls, total: int, planes: int, phasing: int, *, altitude, inclination, epoch,
                    propagator: str = "sgp4", name_prefix: str = "WS", bstar: float = 0.0) -> "Constellation":
        """Walker star (polar) pattern: nodes spread over 180 deg, so planes ``0`` and
        ``P-1`` are counter-rotating neighbours across the seam."""
        return cls._walker(total, planes, phasing, 180.0, altitude, inclination, epoch, propagator, name_prefix, bstar)

    @classmethod
    def sun_synchronous(cls, *, altitude, ltan, epoch, count: int = 1, planes: int = 1,
                        eccentricity: float = 0.0, propagator: str = "sgp4",
                        name_prefix: str = "SSO", bstar: float = 0.0) -> "Constellation":
        """Sun-synchronous satellites at a local time of the ascending node.

        The inclination makes J2 nodal precession equal the mean Sun's motion
        (:func:`orbitcompute._kepler.sun_synchronous_inclination`).  The node of the first
        plane is placed at ``RA_meanSun(epoch) + 15 deg/h * (ltan - 12 h)``, with the mean
        Sun's right ascension from its mean longitude of date (Meeus 1998, eq. 25.2); further
        planes are spread evenly in local time over 24 h (``planes`` > 1) and the ``count``
        satellites evenly in mean anomaly within each plane.

        Parameters
        ----------
        altitude : Quantity [length]
        ltan : Quantity [time], e.g. ``18 * oc.u.hour`` for a dawn-dusk orbit
        epoch : time-like
        count : int
            Satellites per plane.
        """
        alt = float(magnitude(altitude, "m", "altitude"))
        a = R_EARTH + alt
        _check_elements([a], [eccentricity], [0.0])
        inc = float(_kepler.sun_synchronous_inclination(a, eccentricity))
        if not np.isfinite(inc):
            raise InputError(
                f"altitude: {alt / 1e3:.0f} km has no sun-synchronous inclination "
                "(J2 precession too weak above ~5,970 km); choose a lower altitude"
            )
        ltan_h = float(magnitude(ltan, "hour", "ltan"))
        if not 0.0 <= ltan_h <= 24.0:
            raise InputError(f"ltan: {ltan_h} h is outside 0..24 h; e.g. ltan=18 * oc.u.hour")
        t = to_time(epoch, "epoch")
        if count < 1 or planes < 1:
            raise InputError(f"count and planes must be >= 1, got count={count}, planes={planes}")
        node0 = mean_sun_right_ascension(t, "gcrs" if propagator == "j2" else "teme") + np.radians(15.0 * (ltan_h - 12.0))
        j = np.repeat(np.arange(planes), count)
        k = np.tile(np.arange(count), planes)
        raan_ = node0 + 2 * np.pi * j / planes
        M = 2 * np.pi * k / count
        n_sat = planes * count
        names = [f"{name_prefix}-{jj:02d}-{kk:02d}" for jj, kk in zip(j, k)]
        return cls._from_elements(np.full(n_sat, a), np.full(n_sat, eccentricity), np.full(n_sat, inc),
                                  raan_, np.zeros(n_sat), M, t, propagator, names, bstar)

    # ------------------------------------------------------------ internals
    @classmethod
    def _walker(cls, total, planes, phasing, spread_deg, altitude, inclination, epoch, propagator, prefix, bstar):
        for nm, val in (("total", total), ("planes", planes), ("phasing", phasing)):
            if int(val) != val:
                raise InputError(f"{nm}: must be an integer, got {val!r}")
        total, planes, phasing = int(total), int(planes), int(phasing)
        if total < 1 or planes < 1 or total % planes:
            raise InputError(
                f"total={total}, planes={planes}: total must be a positive multiple of planes "
                f"(e.g. total={planes * max(1, round(total / max(planes, 1)))})"
            )
        if not 0 <= phasing < planes:
            raise InputError(f"phasing: F={phasing} must be in 0..{planes - 1} (0 <= F < P)")
        S = total // planes
        j = np.repeat(np.arange(planes), S)
        k = np.tile(np.arange(S), planes)
        raan_ = np.radians(spread_deg) * j / planes
        M = 2 * np.pi * k / S + 2 * np.pi * phasing * j / total
        a = R_EARTH + float(magnitude(altitude, "m", "altitude"))
        inc = float(magnitude(inclination, "rad", "inclination"))
        names = [f"{prefix}-{jj:02d}-{kk:02d}" for jj, kk in zip(j, k)]
        ones = np.ones(total)
        _check_elements(a * ones, 0 * ones, inc * ones)
        return cls._from_elements(a * ones, 0 * ones, inc * ones, raan_, 0 * ones, M, epoch, propagator, names, bstar)

    @classmethod
    def _from_elements(cls, a, e, i, raan_, argp, M, epoch, propagator, names, bstar):
        t = to_time(epoch, "epoch")
        if t.shape:
            raise InputError("epoch: give one epoch for the whole set, not an array")
        n = len(a)
        if names is None:
            names = [f"SAT{k:05d}" for k in range(n)]
        names = tuple(str(x) for x in names)
        if len(names) != n:
            raise InputError(f"names: got {len(names)} names for {n} satellites")
        if propagator == "j2":
            el = _J2Elements(a, e, i, np.remainder(raan_, 2 * np.pi), argp, M,
                             np.full(n, t.whole), np.full(n, t.tt_fraction))
            return cls(names, "j2", _j2=el)
        if propagator != "sgp4":
            raise InputError(f"propagator: {propagator!r} is unknown; choose 'sgp4' or 'j2'")
        from sgp4.api import WGS84, Satrec

        # sgp4init epoch: days since 1949-12-31 00:00 UTC
        jd_utc = t.whole - _SGP4_EPOCH0_JD + _utc_fraction(t)
        n_kozai = _kepler.mean_motion(a) * 60.0  # rad/min; SGP4 un-Kozai's it internally
        sats = []
        for k in range(n):  # one-off initialisation, not a propagation hot path
            s = Satrec()
            s.sgp4init(WGS84, "i", k + 1 if n < 100000 else 0, float(jd_utc), float(bstar), 0.0, 0.0,
                       float(e[k]), float(argp[k]), float(i[k]), float(np.remainder(M[k], 2 * np.pi)),
                       float(n_kozai[k]), float(np.remainder(raan_[k], 2 * np.pi)))
            sats.append(s)
        return cls.from_satrecs(sats, names)


# ---------------------------------------------------------------- helpers
def _deg():
    return u.deg


def _utc_fraction(t) -> Any:
    """UTC day fraction paired with ``t.whole`` as skyfield's SGP4 adapter uses it
    (TLE epochs are UTC, AIAA 2006-6753)."""
    return t.tai_fraction - t._leap_seconds() / DAY_S


#: Lowest perigee altitude accepted for design elements [m]; below ~100 km an orbit
#: decays within hours (the Karman line is a conventional 100 km).
MIN_PERIGEE_ALTITUDE = 100e3


def _check_elements(a, e, i, **angles):
    """Refuse design elements that are not an orbit: NaN, e outside 0..1, perigee < 100 km."""
    a, e, i = (np.asarray(x, float) for x in (a, e, i))
    for name, x in dict(semi_major_axis=a, eccentricity=e, inclination=i, **angles).items():
        bad = ~np.isfinite(np.asarray(x, float))
        if np.any(bad):
            k = int(np.flatnonzero(np.atleast_1d(bad))[0])
            raise InputError(f"{name}: satellite {k} has a non-finite value ({np.atleast_1d(x)[k]}); give a number")
    bad = (e < 0) | (e >= 1)
    if np.any(bad):
        k = int(np.flatnonzero(bad)[0])
        raise InputError(f"eccentricity: {e[k]} of satellite {k} is outside 0 <= e < 1 (closed orbits only)")
    bad = (i < 0) | (i > np.pi)
    if np.any(bad):
        k = int(np.flatnonzero(bad)[0])
        raise InputError(f"inclination: {np.degrees(i[k])} deg of satellite {k} is outside 0..180 deg")
    hp = a * (1 - e) - R_EARTH
    bad = hp < MIN_PERIGEE_ALTITUDE
    if np.any(bad):
        k = int(np.flatnonzero(bad)[0])
        where = "inside the Earth" if hp[k] < 0 else f"below {MIN_PERIGEE_ALTITUDE / 1e3:.0f} km"
        raise InputError(
            f"altitude/semi_major_axis: perigee altitude {hp[k] / 1e3:.0f} km of satellite {k} is {where}; "
            f"give a perigee above {MIN_PERIGEE_ALTITUDE / 1e3:.0f} km (raise the altitude or lower the eccentricity)"
        )


def _text_and_name(source) -> tuple[str, str]:
    """Element text and a name for messages, from the text itself or a file path.

    A ``Path`` is always a file; a string is a file if it names an existing file, and
    element text if it has a line break or looks like a record (TLE line 1, XML, JSON).
    """
    if isinstance(source, PathLike):
        return _read_text(Path(source)), str(source)
    if not isinstance(source, str):
        raise InputError(f"source: expected element text or a path, got {type(source).__name__}")
    looks_like_text = ("\n" in source or "\r" in source or len(source) > 1024
                       or source.lstrip().startswith(("1 ", "<", "{", "[")))
    if not looks_like_text or _is_file(source):
        return _read_text(Path(source)), source
    return source, "<text>"


def _is_file(name: str) -> bool:
    try:
        return Path(name).is_file()
    except (OSError, ValueError):  # names too long or with NUL bytes are not files
        return False


def _read_text(path: Path) -> str:
    if not _is_file(str(path)):
        what = "is a directory" if path.is_dir() else "does not exist"
        raise InputError(f"{path}: {what}; pass the element text itself or the path of an existing file")
    return path.read_text(encoding="utf-8", errors="replace")


def mean_sun_right_ascension(t, frame: str = "teme") -> float:
    """Right ascension of the mean Sun [rad], on the equator of ``frame``.

    The mean Sun moves on the mean equator of date at the Sun's mean longitude
    (Meeus 1998, eq. 25.2).  For ``"teme"`` (SGP4's frame, mean equinox of date) that is
    the right ascension; for ``"gcrs"`` the direction is carried to GCRS axes with
    skyfield's precession-bias matrix, a shift of ~50 arcsec per year since J2000.
    """
    T = ((t.whole - 2451545.0) + t.tt_fraction) / 36525.0
    L0 = math.radians((280.46646 + 36000.76983 * T + 0.0003032 * T * T) % 360.0)
    if frame == "teme":
        return L0
    from skyfield.framelib import ICRS_to_J2000

    PB = np.asarray(t.P, float).reshape(3, 3) @ np.asarray(ICRS_to_J2000, float)  # GCRS -> mean of date
    u = PB.T @ np.array([math.cos(L0), math.sin(L0), 0.0])
    return math.atan2(u[1], u[0])


# ---------------------------------------------------------------- pickling of Satrecs
#: ``Satrec`` fields that ``sgp4init`` does not set (TLE/OMM metadata and the split epoch);
#: all are writable on sgp4's C++ ``Satrec`` and copied over after the rebuild.
_SATREC_WRITABLE = ("jdsatepoch", "jdsatepochF", "epochyr", "epochdays", "classification",
                    "intldesg", "ephtype", "elnum", "revnum")
#: Fields fixed by initialisation that a rebuilt ``Satrec`` must reproduce exactly.  Left
#: out: what the last propagation wrote (``t``, ``am`` .. ``nm``, ``error``).
_SATREC_CHECKED = ("radiusearthkm", "mu", "xke", "j2", "j3", "j4", "j3oj2", "tumin", "operationmode",
                   "satnum", "method", "bstar", "ndot", "nddot", "ecco", "argpo", "inclo", "mo", "no_kozai",
                   "nodeo", "a", "altp", "alta", "mdot", "argpdot", "nodedot", "gsto") + _SATREC_WRITABLE
#: Minutes from epoch at which the rebuilt and original ``Satrec`` are propagated and
#: compared bit for bit (deep-space terms depend on the epoch through the lunar-solar
#: arguments, which no attribute shows).
_SATREC_PROBES_MIN = np.array([0.0, 97.0, 1440.0, 10080.0, -4320.0])
_satrec_checked = operator.attrgetter(*_SATREC_CHECKED)
_GRAVITY: dict[int, tuple] = {}


def _gravity_constants(s) -> tuple:
    return (s.radiusearthkm, s.mu, s.xke, s.j2, s.j3, s.j4)


def _gravity_model(s) -> int | None:
    """sgp4's gravity-model constant (WGS72OLD, WGS72, WGS84) whose constants ``s`` holds.

    ``Satrec`` does not keep the model's id, but ``sgp4init`` copies the model's constants
    into it; they are compared exactly with those of a reference record of each model.
    """
    from sgp4.api import WGS72, WGS72OLD, WGS84, Satrec

    if not _GRAVITY:
        for model in (WGS72OLD, WGS72, WGS84):
            ref = Satrec()
            ref.sgp4init(model, "i", 1, 20000.0, 0.0, 0.0, 0.0, 0.001, 0.0, 1.0, 0.0, 0.06, 0.0)
            _GRAVITY[model] = _gravity_constants(ref)
    key = _gravity_constants(s)
    return next((m for m, c in _GRAVITY.items() if c == key), None)


def _epoch_candidates(s) -> Iterator[float]:
    """The ``epoch`` argument [days since 1949-12-31 00:00 UTC] that built ``s``.

    ``Satrec.sgp4init`` stores ``jdsatepoch, jdsatepochF = modf(epoch)`` (+ 2433281.5), so
    ``(jdsatepoch - 2433281.5) + jdsatepochF`` gives ``epoch`` back exactly.
    ``Satrec.twoline2rv`` passes ``(jd + F) - 2433281.5`` and then rounds ``F`` to the 8
    digits of the TLE; the sum rounds to the same double except next to a rounding tie, so
    its neighbours are tried too.  The caller keeps the first candidate that checks out.
    """
    jd, fr = s.jdsatepoch, s.jdsatepochF
    yield (jd - _SGP4_EPOCH0_JD) + fr
    x = jd + fr
    yield x - _SGP4_EPOCH0_JD
    yield math.nextafter(x, -math.inf) - _SGP4_EPOCH0_JD
    yield math.nextafter(x, math.inf) - _SGP4_EPOCH0_JD


def _same_satrec(s, r) -> bool:
    """True if ``r`` matches ``s`` bit for bit in every initialised field and in the states
    and codes it propagates to at :data:`_SATREC_PROBES_MIN` (neither record is modified:
    ``SatrecArray`` propagates copies)."""
    from sgp4.api import SatrecArray

    a, b = _satrec_checked(s), _satrec_checked(r)
    if a != b and not all(x == y or (x != x and y != y) for x, y in zip(a, b)):  # x != x: NaN
        return False
    days = _SATREC_PROBES_MIN / 1440.0
    whole = np.floor(days)
    e, p, v = SatrecArray([s, r]).sgp4(s.jdsatepoch + whole, s.jdsatepochF + (days - whole))
    return all(x[0].tobytes() == x[1].tobytes() for x in (e, p, v))


def _satrec_recipe(s, k: int = 0):
    """A picklable recipe that :func:`_satrec_rebuild` turns back into ``s``, bit for bit.

    A C++ ``Satrec`` becomes ``("sgp4init", model, opsmode, satnum, epoch, bstar, ndot,
    nddot, ecco, argpo, inclo, mo, no_kozai, nodeo, *writable fields)``.  ``sgp4init``
    keeps the elements it is given unchanged and its output depends only on them, the
    gravity model (recovered from its constants), the operation mode and the epoch
    (recovered from the split epoch, :func:`_epoch_candidates`), so the rebuild is the same
    computation on the same inputs.  Each recipe is checked here by rebuilding and
    comparing (:func:`_same_satrec`); a record that cannot be reproduced raises
    ``pickle.PicklingError`` rather than travel changed.  Pure-Python ``Satrec`` objects
    (sgp4 without its C++ module) pickle themselves and are returned as they are.
    """
    try:
        from sgp4.vallado_cpp import Satrec as _CSatrec
    except ImportError:  # pragma: no cover - pure-Python sgp4
        return s
    if not isinstance(s, _CSatrec):
        return s
    import pickle

    model = _gravity_model(s)
    if model is not None:
        head = ("sgp4init", model, s.operationmode, s.satnum)
        elements = (s.bstar, s.ndot, s.nddot, s.ecco, s.argpo, s.inclo, s.mo, s.no_kozai, s.nodeo)
        tail = tuple(getattr(s, f) for f in _SATREC_WRITABLE)
        for epoch in _epoch_candidates(s):
            recipe = head + (epoch,) + elements + tail
            if _same_satrec(s, _satrec_rebuild(recipe)):
                return recipe
    raise pickle.PicklingError(
        f"satellite {k} (satnum {s.satnum}): this sgp4 Satrec cannot be rebuilt exactly from its "
        "elements (not initialised with sgp4init or twoline2rv on WGS72OLD/WGS72/WGS84 constants, "
        "or its epoch fields were changed afterwards), so the constellation cannot be pickled; "
        "build it with Satrec.sgp4init or Satrec.twoline2rv and leave jdsatepoch/jdsatepochF as set"
    )


def _satrec_rebuild(recipe):
    """Inverse of :func:`_satrec_recipe`."""
    if not (isinstance(recipe, tuple) and recipe and recipe[0] == "sgp4init"):
        return recipe
    from sgp4.api import Satrec

    s = Satrec()
    s.sgp4init(*recipe[1:14])
    for name, value in zip(_SATREC_WRITABLE, recipe[14:]):
        setattr(s, name, value)
    return s


def _propagate_sgp4(satrecs, t):
    """TEME states [km, km/s] and error codes from sgp4's SatrecArray; NaN where code != 0."""
    from sgp4.api import SatrecArray

    jd = np.ascontiguousarray(t.whole, dtype=np.float64)
    fr = np.ascontiguousarray(_utc_fraction(t), dtype=np.float64)
    err, r, v = SatrecArray(list(satrecs)).sgp4(jd, fr)
    # sgp4 flags some failures (e.g. decay, code 6) without NaN, and returns some NaN or
    # infinite states (absurd drag or mean motion) with code 0: those get code 12
    silent = (err == 0) & ~(np.isfinite(r).all(axis=-1) & np.isfinite(v).all(axis=-1))
    err[silent] = 12
    bad = err != 0
    if bad.any():
        r[bad] = np.nan
        v[bad] = np.nan
    return r, v, err.astype(np.int8)


def _propagate_j2(el: _J2Elements, t):
    dt = ((t.whole[None, :] - el.epoch_whole[:, None]) + (t.tt_fraction[None, :] - el.epoch_frac[:, None])) * DAY_S
    raan_dot, argp_dot, m_dot = _kepler.j2_rates(el.a, el.e, el.i)
    c = lambda x: x[:, None]  # noqa: E731
    r, v = _kepler.elements_to_state(
        c(el.a), c(el.e), c(el.i),
        c(el.raan) + c(raan_dot) * dt, c(el.argp) + c(argp_dot) * dt, c(el.M) + c(m_dot) * dt,
        m_dot=c(m_dot), raan_dot=c(raan_dot), argp_dot=c(argp_dot),
    )
    err = np.zeros(dt.shape, np.int8)
    bad = ~np.isfinite(r).all(axis=-1)
    err[bad] = 11
    r[bad] = np.nan
    v[bad] = np.nan
    return r, v, err
