"""Times and time grids.

Everything in orbitcompute that needs time takes a skyfield :class:`~skyfield.timelib.Time`
(one object holding a whole array of moments, TT split into whole and fractional days).
:func:`to_time` converts what users have (ISO 8601 strings, timezone-aware datetimes,
numpy ``datetime64``, skyfield and astropy times) and refuses ambiguous input with a
message showing the fix.

The timescale is skyfield's builtin one (leap seconds and Delta T tables shipped inside
skyfield): nothing is downloaded.

Examples
--------
>>> import orbitcompute as oc
>>> t = oc.time_grid("2026-06-21T00:00:00Z", "2026-06-21T01:00:00Z", step=600 * oc.u.s)
>>> len(t)
7
>>> t[-1].utc_iso()
'2026-06-21T01:00:00Z'
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Any

import numpy as np
from skyfield.timelib import Time, Timescale

from .constants import DAY_S
from .ephemeris import data_dir
from .errors import InputError, TimeError
from .units import magnitude

__all__ = ["timescale", "to_time", "time_grid", "seconds_between", "iso_utc", "MAX_TIME_SAMPLES", "check_budget",
           "check_samples"]

#: Most times :func:`time_grid` makes (a year at 3.2 s); the arrays of a grid take ~40
#: bytes per time, so its memory is also checked against ``max_bytes``.
MAX_TIME_SAMPLES = 10_000_000
_GRID_BYTES_PER_TIME = 40  # whole + fraction of the Time, the offsets and a temporary [byte]

_ISO_OFFSET = re.compile(r"(Z|z|[+-]\d\d:?\d\d)$")


@lru_cache(maxsize=1)
def timescale() -> Timescale:
    """Skyfield's builtin timescale (no file, no download), created once."""
    from skyfield.api import Loader


    return Loader(str(data_dir()), expire=False, verbose=False).timescale(builtin=True)


def _parse_iso(text: str, name: str) -> _dt.datetime:
    s = text.strip()
    if not _ISO_OFFSET.search(s):
        fixed = s + ("Z" if "T" in s else "T00:00:00Z")
        raise TimeError(
            f"{name}: the time string {text!r} has no UTC offset, so it is ambiguous; "
            f"write it in UTC with a trailing Z, e.g. {fixed!r}"
        )
    try:
        value = _dt.datetime.fromisoformat(s.replace("z", "Z"))
    except ValueError as exc:
        raise TimeError(
            f"{name}: cannot parse {text!r} as ISO 8601; expected e.g. '2026-06-21T00:00:00Z'"
        ) from exc
    return value


def _from_datetimes(values: list[_dt.datetime], name: str) -> Time:
    for v in values:
        if v.tzinfo is None or v.tzinfo.utcoffset(v) is None:
            raise TimeError(
                f"{name}: the datetime {v!r} is naive (no timezone), so it is ambiguous; "
                f"pass an aware one, e.g. {v.replace(tzinfo=_dt.timezone.utc)!r} "
                "(datetime.timezone.utc)"
            )
    return timescale().from_datetimes([v.astimezone(_dt.timezone.utc) for v in values])


def to_time(value: Any, name: str = "time") -> Time:
    """Convert a time or an array of times to a skyfield ``Time``.

    Parameters
    ----------
    value : str, datetime, numpy.datetime64, skyfield Time, astropy Time, or a sequence
        ISO 8601 strings need a UTC offset (``Z`` or ``+hh:mm``); datetimes must be
        timezone-aware; ``datetime64`` values are taken as UTC (numpy's convention).
    name : str
        Parameter name used in error messages.

    Returns
    -------
    skyfield.timelib.Time
        Scalar or 1-D, as the input.

    Raises
    ------
    TimeError
        For naive datetimes, strings without an offset, or unparsable values.
    """
    ts = timescale()
    if isinstance(value, Time):
        return value
    # astropy Time, without importing astropy unless it is already in use
    if type(value).__module__.startswith("astropy.time"):
        from astropy.utils import iers

        # UTC -> TT needs only leap seconds; never let astropy reach for the network
        with iers.conf.set_temp("auto_download", False), iers.conf.set_temp("auto_max_age", None):
            tt = value.tt
        return ts.tt_jd(np.asarray(tt.jd1, dtype=float), np.asarray(tt.jd2, dtype=float))
    if isinstance(value, str):
        return _from_datetimes([_parse_iso(value, name)], name)[0]
    if isinstance(value, _dt.datetime):
        return _from_datetimes([value], name)[0]
    if isinstance(value, np.datetime64):
        value = np.asarray(value)
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.datetime64):
        if np.isnat(value).any():
            raise TimeError(f"{name}: got NaT (not a time) among the datetime64 values; remove or fill it")
        ns = value.astype("datetime64[ns]").astype(np.int64)
        scalar = ns.ndim == 0
        ns = np.atleast_1d(ns)
        days, rem = np.divmod(ns, 86_400 * 10**9)
        t = ts.utc(1970, 1, 1 + days, 0, 0, rem / 1e9)
        return t[0] if scalar else t
    if isinstance(value, (list, tuple, np.ndarray)):
        items = list(np.asarray(value, dtype=object).ravel()) if isinstance(value, np.ndarray) else list(value)
        if not items:
            raise TimeError(f"{name}: got an empty sequence of times")
        if all(isinstance(v, str) for v in items):
            return _from_datetimes([_parse_iso(v, name) for v in items], name)
        if all(isinstance(v, _dt.datetime) for v in items):
            return _from_datetimes(items, name)
        if all(isinstance(v, np.datetime64) for v in items):
            return to_time(np.array(items), name)
        # mixed or other time objects: convert each, then join (not a hot path)
        parts = [to_time(v, name) for v in items]
        if all(not p.shape for p in parts):
            return ts.tt_jd(np.array([p.whole for p in parts]), np.array([p.tt_fraction for p in parts]))
    raise TimeError(
        f"{name}: cannot interpret {value!r} (type {type(value).__name__}) as a time; pass an "
        "ISO 8601 string with Z, an aware datetime, a skyfield Time or an astropy Time"
    )


def _bytes(n: float) -> str:
    """``n`` bytes in binary units for messages ("644 GiB")."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.3g} {unit}"
        n /= 1024.0
    return f"{n:.3g} PiB"  # pragma: no cover


def check_budget(max_bytes: Any) -> float:
    """``max_bytes`` as a float after checking it is a positive finite number of bytes."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, (int, float, np.integer, np.floating)) \
            or not max_bytes > 0 or not np.isfinite(max_bytes):
        raise InputError(f"max_bytes: expected a positive number of bytes, got {max_bytes!r}; e.g. "
                         f"max_bytes={512 * 2**20} (512 MiB)")
    return float(max_bytes)


def check_samples(span_s: float, step_s: float, *, bytes_per_sample: float, limit: int, name: str, what: str,
                  max_bytes: Any = None) -> int:
    """Number of samples of a grid of ``step_s`` over ``span_s``, refused before anything is
    allocated if it exceeds ``limit`` or (when given) its arrays exceed ``max_bytes``.

    Parameters
    ----------
    span_s, step_s : float
        Window and step [s] (``step_s > 0``).
    bytes_per_sample : float
        Memory the caller keeps per sample for the whole window [byte].
    limit : int
        The caller's documented sample-count limit.
    name : str
        The parameter that sets the step (named in the message with the fix).
    what : str
        What the grid is for, e.g. ``"find_passes"``.
    max_bytes : int, optional
        Memory budget of the whole-window arrays [byte]; None: only ``limit`` applies
        (callers whose ``max_bytes`` bounds a block, not the window).

    Returns
    -------
    int
        ``ceil(span_s / step_s) + 1``.

    Raises
    ------
    InputError
        With the sample count, the memory estimate, the limits and the smallest step
        that fits.

    Examples
    --------
    >>> from orbitcompute.time import check_samples
    >>> check_samples(86400.0, 60.0, bytes_per_sample=16, limit=10**6, name="step", what="a grid")
    1441
    """
    budget = check_budget(max_bytes) if max_bytes is not None else np.inf
    n = float(np.ceil(span_s / step_s)) + 1.0
    need = n * bytes_per_sample
    if n > limit or need > budget:
        fit = min(limit, max(2.0, budget / bytes_per_sample))
        also = f" or max_bytes = {_bytes(budget)}" if max_bytes is not None else ""
        raise InputError(
            f"{name}: {what} with a step of {step_s:.6g} s over {span_s:.6g} s would take {n:.4g} samples "
            f"and about {_bytes(need)} for them, more than the limit of {limit:,} samples{also}; use a "
            f"larger {name} (at least {span_s / (fit - 1):.4g} s), or split the window into shorter ones")
    return int(n)


def time_grid(start: Any, stop: Any, step: Any, *, max_bytes: int = 512 * 2**20) -> Time:
    """Evenly spaced times from ``start`` to ``stop`` inclusive (when ``stop`` falls on the grid).

    Parameters
    ----------
    start, stop : time-like
        See :func:`to_time`. ``stop`` must not be before ``start``.
    step : pint.Quantity [time]
        Spacing, > 0.
    max_bytes : int
        Memory budget of the grid [byte] (~40 bytes per time).  At most
        :data:`MAX_TIME_SAMPLES` times are made in any case.

    Returns
    -------
    skyfield.timelib.Time
        Shape ``(n_time,)`` with ``n_time = floor((stop - start + 1 us) / step) + 1``; spacing is
        exact in TT (UTC leap seconds inside the grid shift UTC labels by 1 s).
    """
    t0 = to_time(start, "start")
    t1 = to_time(stop, "stop")
    if t0.shape or t1.shape:
        raise TimeError("start and stop must each be a single time, not an array")
    h_arr = magnitude(step, "s", "step")
    if h_arr.ndim:
        raise InputError(f"step: expected one time step, got an array of shape {h_arr.shape}; e.g. step=60 * oc.u.s")
    h = float(h_arr)
    if not np.isfinite(h) or h <= 0:
        raise InputError(f"step: must be a positive time, got {h} s; e.g. step=60 * oc.u.s")
    span = seconds_between(t0, t1)
    if span < 0:
        raise InputError(
            f"stop ({t1.utc_iso()}) is before start ({t0.utc_iso()}); swap them"
        )
    # a stop within 1 us after a grid point's nominal time still counts as on the grid
    # (the split-date difference carries ~1e-11 s of rounding)
    check_samples(float(span), h, bytes_per_sample=_GRID_BYTES_PER_TIME, max_bytes=max_bytes,
                  limit=MAX_TIME_SAMPLES, name="step", what="time_grid")
    n = int(np.floor((span + 1e-6) / h)) + 1
    offsets = np.arange(n, dtype=np.float64) * (h / DAY_S)
    return timescale().tt_jd(t0.whole + np.zeros(n), t0.tt_fraction + offsets)


def seconds_between(t0: Time, t1: Time) -> Any:
    """``t1 - t0`` in SI seconds (TT), keeping precision from the split Julian date."""
    return ((t1.whole - t0.whole) + (t1.tt_fraction - t0.tt_fraction)) * DAY_S


def offset(t0: Time, seconds: Any) -> Time:
    """Times ``t0 + seconds`` (TT seconds, array allowed), keeping the split-date precision."""
    s = np.asarray(seconds, dtype=np.float64)
    return timescale().tt_jd(t0.whole + np.zeros_like(s), t0.tt_fraction + s / DAY_S)


def iso_utc(t: Time, places: int = 3) -> list[str]:
    """ISO 8601 UTC strings (``...Z``) with ``places`` decimals of a second."""
    out = t.utc_strftime("%Y-%m-%dT%H:%M:%S") if places == 0 else None
    if out is not None:
        return [s + "Z" for s in np.atleast_1d(out)]
    return list(np.atleast_1d(t.utc_iso(places=places)))
