"""Pass windows, contact statistics and coverage between satellites and ground sites.

Method (for all satellite-site pairs at once)
---------------------------------------------
1. **Coarse sampling tied to the orbit.**  Earth-fixed states are sampled every
   ``h = (5 deg of true anomaly) / (fastest true-anomaly rate of any satellite)``, i.e.
   ``period / 72`` for circular orbits (80 s at 550 km) and proportionally less for
   eccentric ones (72 s for a Molniya orbit, whose perigee passage is ~10x faster than its
   mean motion).  Between two samples the elevation of a satellite has at most one
   extremum, because its maxima and minima are about half an orbit apart.
2. **Pruning.**  A satellite can be above ``min_elevation`` only within the central angle
   ``lambda = arccos(R cos(eps) / r) - eps`` of a site; a pair is examined in a block of
   samples only if at some sample the angle is within ``lambda`` plus half the largest
   angular travel in one step.  A cheaper test on each satellite's orbit plane first leaves
   out the pairs that cannot pass (a site far from the plane); the angle test is then a
   product of unit vectors for the pairs left (or one matrix product for all when few drop
   out), so 10,000 satellites x 1,000 sites stays affordable, and memory is bounded by
   ``max_bytes``.
3. **Extrema between samples.**  The sign of the elevation rate (from the Earth-fixed
   velocity) is known at every sample; a sign change brackets a culmination (or a
   minimum), refined by the Illinois method.  A pass that peeks above the threshold for a
   fraction of a second between two samples is therefore found.  With an azimuth mask,
   the extrema of ``elevation - mask(azimuth)`` are found the same way.
4. **Root refinement.**  Each rise and set lies in a monotone stretch and is refined (to
   < 1 us) on a degree-5 Lagrange interpolant of the 6 sampled positions around it (see
   :mod:`orbitcompute._lagrange` for the error bound: centimetres for LEO).

Elevation is geometric (no refraction) above the WGS84 ellipsoid's local horizontal.
A pass already in progress at ``start`` (or still in progress at ``stop``) is clipped to
the window and flagged (``rise_clipped``/``set_clipped``); its culmination is the highest
point inside the window.

References
----------
Vallado, D. A. (2013), *Fundamentals of Astrodynamics and Applications*, 4th ed.,
section 11.3 (site-track and visibility); skyfield's ``EarthSatellite.find_events`` is
the incumbent against which this module is tested.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import _passes, _scale
from ._table import TableMixin, TableWriter, encode_chunk
from .errors import InputError
from .orbits import Constellation
from .stations import GroundSites
from .time import check_budget as _check_budget
from .time import check_samples as _check_samples
from .time import iso_utc, offset, seconds_between, to_time
from .units import magnitude, quantity

__all__ = ["ElevationMask", "PassTable", "StreamSummary", "find_passes", "stream_passes", "contact_statistics",
           "coverage"]


@dataclass(frozen=True)
class ElevationMask:
    """An azimuth-dependent minimum elevation (terrain or antenna mask).

    Linear interpolation between the given points, periodic in azimuth.

    Parameters
    ----------
    azimuth : Quantity [angle], shape ``(m,)``
        Azimuths (from North through East) of the mask points.
    elevation : Quantity [angle], shape ``(m,)``
        Minimum elevation at those azimuths.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> mask = oc.ElevationMask([0, 90, 180, 270] * oc.u.deg, [10, 30, 10, 5] * oc.u.deg)
    >>> round(float(mask.at_rad([0.7853981633974483])[0] * 57.29577951308232), 6)
    20.0
    """

    azimuth: Any
    elevation: Any
    _az: np.ndarray = field(init=False, repr=False)
    _el: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        az = np.atleast_1d(magnitude(self.azimuth, "rad", "azimuth"))
        el = np.atleast_1d(magnitude(self.elevation, "rad", "elevation"))
        if az.shape != el.shape or az.ndim != 1 or len(az) < 1:
            raise InputError(
                f"ElevationMask: azimuth and elevation must be 1-D of equal length, got shapes {az.shape} and {el.shape}"
            )
        if np.any(np.abs(el) > np.pi / 2):
            raise InputError("ElevationMask: elevations must be within -90..90 deg")
        order = np.argsort(np.mod(az, 2 * np.pi))
        object.__setattr__(self, "_az", np.mod(az, 2 * np.pi)[order])
        object.__setattr__(self, "_el", el[order])

    def at_rad(self, azimuth_rad) -> np.ndarray:
        """Minimum elevation [rad] at azimuths [rad] (array in, array out)."""
        return np.interp(np.mod(azimuth_rad, 2 * np.pi), self._az, self._el, period=2 * np.pi)

    def slope_at_rad(self, azimuth_rad) -> np.ndarray:
        """d(minimum elevation)/d(azimuth) [rad/rad] of the segment containing each azimuth."""
        az = np.mod(azimuth_rad, 2 * np.pi)
        x = np.r_[self._az, self._az[0] + 2 * np.pi]
        y = np.r_[self._el, self._el[0]]
        slopes = np.diff(y) / np.where(np.diff(x) > 0, np.diff(x), np.inf)
        k = np.searchsorted(self._az, az, side="right") - 1  # -1: before the first point
        return slopes[np.mod(k, len(self._az))]

    @property
    def lowest_rad(self) -> float:
        return float(self._el.min())


# ---------------------------------------------------------------------- table
@dataclass(frozen=True, eq=False)
class PassTable(TableMixin):
    """Passes: one row per satellite-site pass above the minimum elevation.

    Times are stored as TT seconds since ``start``; :meth:`rows`, :meth:`to_csv` and
    :meth:`to_pandas` give ISO 8601 UTC strings.

    Attributes
    ----------
    start, stop : skyfield Time
        The search window.
    satellite_names, site_names : tuple of str
    sat, site : ndarray of int, shape ``(n_pass,)``
        Indices into the constellation and the sites.
    rise_s, culmination_s, set_s : ndarray, shape ``(n_pass,)`` [s since start]
    max_elevation_rad : ndarray, shape ``(n_pass,)``
    rise_clipped, set_clipped : ndarray of bool
        True where the pass was already in progress at ``start`` / still at ``stop``.
    """

    start: Any
    stop: Any
    satellite_names: tuple[str, ...]
    site_names: tuple[str, ...]
    sat: np.ndarray
    site: np.ndarray
    rise_s: np.ndarray
    culmination_s: np.ndarray
    set_s: np.ndarray
    max_elevation_rad: np.ndarray
    rise_clipped: np.ndarray
    set_clipped: np.ndarray

    COLUMNS = (
        "satellite", "site", "rise", "culmination", "set",
        "max_elevation_deg", "duration_s", "rise_clipped", "set_clipped",
    )

    def __len__(self) -> int:
        return len(self.sat)

    def __repr__(self) -> str:
        return f"PassTable({len(self)} passes, {len(self.satellite_names)} satellites x {len(self.site_names)} sites)"

    @property
    def duration(self):
        """Pass durations inside the window, shape ``(n_pass,)`` [s]."""
        return quantity(self.set_s - self.rise_s, "s")

    @property
    def max_elevation(self):
        """Culmination elevations, shape ``(n_pass,)`` [deg]."""
        return quantity(np.degrees(self.max_elevation_rad), "deg")

    def times(self, which: str = "rise"):
        """Rise, culmination or set times as a skyfield ``Time`` array."""
        col = {"rise": self.rise_s, "culmination": self.culmination_s, "set": self.set_s}[which]
        return offset(self.start, col)

    #: The columns ``columns(exact=True)`` adds: the stored times (TT seconds since
    #: ``start``) and elevation, which a CSV keeps bit for bit (shortest round-trip repr).
    EXACT_COLUMNS = ("rise_s", "culmination_s", "set_s", "max_elevation_rad")

    def columns(self, exact: bool = False) -> dict[str, list | np.ndarray]:
        """The table as a dict of columns (ISO 8601 UTC strings for times, ms precision).

        ``exact=True`` adds :attr:`EXACT_COLUMNS`, the float64 values the table holds,
        from which the table can be rebuilt bit for bit.
        """
        n = len(self)
        iso = (lambda c: iso_utc(offset(self.start, c), 3)) if n else (lambda c: [])
        extra = {k: getattr(self, k).copy() for k in self.EXACT_COLUMNS} if exact else {}
        return {
            "satellite": [self.satellite_names[k] for k in self.sat],
            "site": [self.site_names[k] for k in self.site],
            "rise": iso(self.rise_s),
            "culmination": iso(self.culmination_s),
            "set": iso(self.set_s),
            "max_elevation_deg": np.round(np.degrees(self.max_elevation_rad), 6),
            "duration_s": np.round(self.set_s - self.rise_s, 6),
            "rise_clipped": self.rise_clipped.copy(),
            "set_clipped": self.set_clipped.copy(),
            **extra,
        }

    @property
    def window_s(self) -> float:
        return float(seconds_between(self.start, self.stop))


# ---------------------------------------------------------------------- search
def find_passes(
    con: Constellation,
    sites: GroundSites,
    start,
    stop,
    min_elevation=0.0,
    *,
    mask: ElevationMask | None = None,
    coarse_step=None,
    max_bytes: int = 512 * 2**20,
    executor: Any = "auto",
    progress=None,
) -> PassTable:
    """Find every pass of every satellite over every site between ``start`` and ``stop``.

    Parameters
    ----------
    con : Constellation
        ``n_sat`` satellites.
    sites : GroundSites
        ``n_site`` sites.
    start, stop : time-like
        Search window (ISO 8601 strings with Z, aware datetimes, skyfield or astropy times).
    min_elevation : Quantity [angle]
        Elevation threshold (``0`` alone is accepted as a bare number).
    mask : ElevationMask, optional
        Azimuth-dependent minimum; the effective threshold is ``max(min_elevation, mask)``.
        Mask features narrower than the azimuth a satellite sweeps in one coarse step may
        be missed (pass a smaller ``coarse_step``).
    coarse_step : Quantity [time], optional
        Override the sampling step (see module notes).  Must be shorter than half the
        time between an elevation maximum and minimum of any satellite.
    max_bytes : int
        Memory budget for the working arrays of one block of samples (the sample grid of
        the whole window, 16 bytes per sample, is bounded by the sample limit below; per worker on an executor).
    executor : concurrent.futures.Executor, "auto" or None
        Where the groups of satellites are searched: any executor (a process pool, or
        ``distributed.Client(address).get_executor()`` for a Dask cluster); ``None``: in
        this process; ``"auto"`` (default): a forked pool over this machine's cores for
        runs of at least :data:`orbitcompute._scale.AUTO_MIN_WORK` satellite-site pairs
        x coarse samples, else in this process.  The result is identical, bit for bit,
        either way (see ``docs/scale.md``).
    progress : callable, optional
        ``progress(done, total)`` after each group of satellites.

    Returns
    -------
    PassTable
        Rows sorted by satellite, site and rise time.

    Raises
    ------
    InputError
        Before anything is allocated, if the window needs more than
        :data:`orbitcompute._passes.MAX_PASS_SAMPLES` (1,000,000) coarse samples; the
        message gives the estimate and the smallest ``coarse_step`` that fits.  Also for
        an array ``min_elevation`` (use ``mask``) and a ``max_bytes`` that is not a
        positive number.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> con = oc.Constellation.walker_delta(total=6, planes=2, phasing=1,
    ...     altitude=550 * oc.u.km, inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
    >>> sites = oc.GroundSites.from_latlon([51.5], [-0.13], names=["London"])
    >>> passes = oc.find_passes(con, sites, "2026-06-21T00:00:00Z", "2026-06-22T00:00:00Z",
    ...                         min_elevation=25 * oc.u.deg)
    >>> bool(len(passes) > 0), bool((passes.max_elevation.m >= 25).all())
    (True, True)
    """
    plan = _plan(con, sites, start, stop, min_elevation, mask, coarse_step, max_bytes, executor)
    if plan.empty:
        return plan.table(_passes.assemble([_passes.no_events()], max(len(sites), 1)))
    parts = _scale.run_groups(_search_group, list(plan.tasks()), executor, plan.work, progress)
    for p, o in zip(parts, plan.offsets):
        p["sat"] = p["sat"] + o
    # column by column, dropping each part's column once joined: the peak is the parts
    # plus one column, not twice the table
    cols = {}
    for k in list(parts[0]):
        cols[k] = np.concatenate([p.pop(k) for p in parts])
    return plan.table(cols)


@dataclass(frozen=True)
class StreamSummary:
    """What :func:`stream_passes` wrote (the table itself stays on disk).

    Attributes
    ----------
    path : pathlib.Path
        The file written.
    format : str
        ``"csv"`` or ``"parquet"``.
    rows : int
        Passes written (data rows, without the CSV header).
    groups : int
        Groups of satellites searched and written, in satellite order.
    bytes : int
        Size of the file [bytes].
    """

    path: Path
    format: str
    rows: int
    groups: int
    bytes: int


#: Groups finished and not yet written that :func:`stream_passes` holds per task the
#: executor runs at once (its default reorder window is this times the executor's width).
STREAM_PENDING_PER_WORKER = 2


def stream_passes(
    con: Constellation,
    sites: GroundSites,
    start,
    stop,
    path: str | os.PathLike,
    min_elevation=0.0,
    *,
    format: str = "csv",
    exact: bool = True,
    overwrite: bool = False,
    mask: ElevationMask | None = None,
    coarse_step=None,
    max_bytes: int = 512 * 2**20,
    executor: Any = "auto",
    max_pending: int | None = None,
    progress=None,
    extra_columns: Mapping[str, Any] | None = None,
    writer: TableWriter | None = None,
) -> StreamSummary:
    """:func:`find_passes`, written to a file group by group instead of returned.

    For runs whose pass table does not fit in memory: each group of satellites is written
    as soon as it and every group before it are done, so the memory in use does not grow
    with the number of satellites (see Notes) and a 1,000,000-satellite run is bounded by
    disk, not RAM.  The rows are those of ``find_passes(...).columns(exact)``, in the same
    order (groups in satellite order, each sorted by satellite, site and rise), with and
    without an executor: the groups are the same ones :func:`find_passes` makes.

    A separate function rather than a ``sink=`` argument of :func:`find_passes`: the return
    type of a function should not depend on an argument, and what comes back here is a
    :class:`StreamSummary`, never the table.

    Parameters
    ----------
    con, sites, start, stop, min_elevation, mask, coarse_step, max_bytes, executor
        As for :func:`find_passes`.
    path : path-like
        The file to write.  The rows go to a temporary file in the same directory, renamed
        into place at the end: an error or interrupt leaves no half file, and ``path`` is
        never seen half written.
    format : {"csv", "parquet"}
        CSV (always available; the writer of :meth:`PassTable.to_csv`, so the text is that
        of ``to_csv`` when ``exact=False``), or Parquet with one row group per non-empty
        group of satellites (needs pyarrow: ``pip install "orbitcompute[parquet]"``).  The
        Parquet schema metadata records the window (``start``, ``stop``, ISO UTC) and that
        the ``*_s`` columns are TT seconds since ``start``.
    exact : bool
        Add :attr:`PassTable.EXACT_COLUMNS` (default): the times as TT seconds since
        ``start`` and the elevation in radians, float64, which read back bit for bit
        (``float()`` of the CSV text, or the Parquet column).  ``False``: exactly the
        columns of :meth:`PassTable.to_csv`.
    overwrite : bool
        Replace an existing ``path``; without it, an existing file is refused with
        ``FileExistsError`` before any search is run.
    max_pending : int, optional
        Most groups submitted and not yet written (running, queued, or finished ahead of
        an earlier group and waiting in the reorder buffer).  Default
        :data:`STREAM_PENDING_PER_WORKER` x the executor's workers.  Ignored without an
        executor (groups then run one at a time).
    progress : callable, optional
        ``progress(done, total)`` after each group of satellites is searched.
    extra_columns : dict, optional
        Constant columns put before the table's, e.g. ``{"constellation": "relay"}``.
    writer : TableWriter, optional
        An open writer to append to (its columns: ``extra_columns``, then the table's);
        then ``path``, ``format`` and ``overwrite`` are those of the writer and the caller
        closes it.  The summary counts the rows of this call.

    Returns
    -------
    StreamSummary
        The path, the format, the rows and groups written and the size of the file (of
        what was written so far, with ``writer``).

    Raises
    ------
    InputError
        As :func:`find_passes`; also for ``format="parquet"`` without pyarrow (naming the
        extra to install), an unknown ``format`` and a ``path`` in a missing directory.
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.

    Notes
    -----
    Memory: each worker holds one group's working arrays (``max_bytes``) and this process
    at most ``max_pending`` group tables (a group is at most ``GROUP_PAIRS`` satellite-site
    pairs, a few passes each, ~60 bytes a pass) plus one group's text while it is written:
    about ``workers x max_bytes + max_pending x group table``, whatever the number of
    satellites.

    Examples
    --------
    >>> import os, tempfile
    >>> import orbitcompute as oc
    >>> con = oc.Constellation.walker_delta(total=6, planes=2, phasing=1,
    ...     altitude=550 * oc.u.km, inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
    >>> sites = oc.GroundSites.from_latlon([51.5], [-0.13], names=["London"])
    >>> path = os.path.join(tempfile.mkdtemp(), "passes.csv")
    >>> s = oc.stream_passes(con, sites, "2026-06-21T00:00:00Z", "2026-06-22T00:00:00Z", path,
    ...                      min_elevation=25 * oc.u.deg)
    >>> ref = oc.find_passes(con, sites, "2026-06-21T00:00:00Z", "2026-06-22T00:00:00Z",
    ...                      min_elevation=25 * oc.u.deg)
    >>> s.rows == len(ref), s.groups
    (True, 1)
    """
    extra = dict(extra_columns or {})
    names = (*extra, *PassTable.COLUMNS, *(PassTable.EXACT_COLUMNS if exact else ()))
    if writer is None and not isinstance(path, (str, os.PathLike)):
        raise InputError(f"path: expected a file path (str or os.PathLike), got {type(path).__name__} {path!r}; "
                         "the call is stream_passes(con, sites, start, stop, path, min_elevation, ...)")
    if writer is None and not isinstance(overwrite, bool):
        raise InputError(f"overwrite: expected True or False, got {overwrite!r}")
    plan = _plan(con, sites, start, stop, min_elevation, mask, coarse_step, max_bytes, executor)
    _scale.check_pending(max_pending)  # before the file is made
    if max_pending is None:
        max_pending = STREAM_PENDING_PER_WORKER * _scale.width(executor if executor != "auto" else None)
    own = writer is None
    if own:
        meta = {"start": plan.t0.utc_iso(places=6), "stop": plan.t1.utc_iso(places=6),
                "time_columns": "rise_s, culmination_s, set_s: TT seconds since start",
                "writer": "orbitcompute.stream_passes"}
        writer = TableWriter(path, names, format=format, overwrite=overwrite, metadata=meta)
    elif tuple(writer.names) != names:
        raise InputError(f"writer: its columns {list(writer.names)} are not those of this stream {list(names)}")
    rows = groups = 0
    # the rows are formatted (ISO times, CSV text or an Arrow table) where they are found,
    # on the workers; this process only writes the chunks, in group order
    how = (writer.format, names, exact, extra, sites.names)
    try:
        if plan.empty:
            cols = plan.table(_passes.assemble([_passes.no_events()], max(len(sites), 1))).columns(exact)
            writer.write(_with_extra(cols, extra))
        else:
            chunks = _scale.iter_groups(_stream_group, ((how, *t) for t in plan.tasks()), len(plan.offsets),
                                        executor, plan.work, progress, max_pending=max_pending)
            for chunk, n in chunks:
                rows += writer.write_chunk(chunk, n)
                groups += 1
                del chunk
        if own:
            writer.close()
    except BaseException:
        if own:
            writer.abort()
        raise
    return StreamSummary(writer.path, writer.format, rows, groups, writer.size())


def _stream_group(how, con, S, t0, grid, thr, max_bytes) -> tuple[Any, int]:
    """One group of :func:`stream_passes`: the search of :func:`find_passes`'s group, its
    rows as ``PassTable.columns`` (satellite names from the group itself) and encoded."""
    fmt, names, exact, extra, site_names = how
    part = _search_group(con, S, t0, grid, thr, max_bytes)
    cols = PassTable(t0, None, con.names, site_names, **part).columns(exact)
    return encode_chunk(_with_extra(cols, extra), names, fmt)


def _with_extra(cols: dict, extra: Mapping[str, Any]) -> dict:
    n = len(cols["satellite"])
    return {**{k: [v] * n for k, v in extra.items()}, **cols}


@dataclass(frozen=True, eq=False)
class _Plan:
    """The checked inputs of a pass search and its split into groups of satellites (the
    same for :func:`find_passes` and :func:`stream_passes`, so both give the same rows)."""

    con: Constellation
    sites: GroundSites
    t0: Any
    t1: Any
    grid: np.ndarray
    S: Any
    thr: Any
    max_bytes: int
    group: int

    @property
    def empty(self) -> bool:
        return len(self.con) == 0 or len(self.sites) == 0

    @property
    def offsets(self) -> list[int]:
        return list(range(0, len(self.con), self.group)) if not self.empty else []

    @property
    def work(self) -> float:
        return float(len(self.con)) * len(self.sites) * len(self.grid)

    def tasks(self):
        """The arguments of :func:`_search_group` for each group, made one at a time."""
        epoch = _scale.Epoch.of(self.t0)
        for g0 in self.offsets:
            yield (self.con[g0:g0 + self.group], self.S, epoch, self.grid, self.thr, self.max_bytes)

    def table(self, cols: dict) -> "PassTable":
        return PassTable(self.t0, self.t1, self.con.names, self.sites.names, **cols)


def _plan(con, sites, start, stop, min_elevation, mask, coarse_step, max_bytes, executor) -> _Plan:
    if not isinstance(con, Constellation):
        raise InputError(f"con: expected an oc.Constellation, got {type(con).__name__}")
    if not isinstance(sites, GroundSites):
        raise InputError(f"sites: expected an oc.GroundSites, got {type(sites).__name__}")
    t0, t1 = to_time(start, "start"), to_time(stop, "stop")
    if t0.shape or t1.shape:
        raise InputError("start and stop must each be a single time")
    span = float(seconds_between(t0, t1))
    if not span > 0:
        raise InputError(f"stop ({t1.utc_iso()}) must be after start ({t0.utc_iso()}); swap them or widen the window")
    bare_zero = isinstance(min_elevation, (int, float)) and not isinstance(min_elevation, bool) and min_elevation == 0
    eps_arr = magnitude(min_elevation, "rad", "min_elevation", allow_float=bare_zero)
    if eps_arr.ndim:
        raise InputError(f"min_elevation: expected one angle, got an array of shape {eps_arr.shape}; give "
                         "e.g. min_elevation=10 * oc.u.deg, and an azimuth-dependent threshold as "
                         "mask=oc.ElevationMask(azimuth, elevation)")
    eps = float(eps_arr)
    if not -np.pi / 2 < eps < np.pi / 2:
        raise InputError(f"min_elevation: {np.degrees(eps)} deg is outside -90..90 deg")
    thr = _passes.Threshold(eps, mask)
    _scale.check_executor(executor)
    n_sat, n_site = len(con), len(sites)
    if n_sat == 0 or n_site == 0:
        return _Plan(con, sites, t0, t1, np.zeros(0), None, thr, max_bytes, 1)

    m = _passes.STENCIL
    h = min(_passes.coarse_step(con, coarse_step), span / (m - 1))  # at least one stencil
    # the number of samples (which bounds the grid's memory), checked before allocating
    _check_budget(max_bytes)
    _check_samples(span, h, bytes_per_sample=_passes.GRID_BYTES_PER_SAMPLE,
                   limit=_passes.MAX_PASS_SAMPLES, name="coarse_step", what="find_passes")
    grid = np.arange(0.0, span, h)
    grid = np.append(grid, span) if span - grid[-1] > 1e-6 * h else np.append(grid[:-1], span)
    S = _passes.Sites.of(sites)
    # Satellites are searched in groups of at most ~max_bytes / 256 satellite-site pairs,
    # so that the events of one group (a few per pass) and its pruning matrices stay
    # within the budget, and of at most GROUP_PAIRS pairs, so that a large run has groups
    # enough to keep every worker of an executor busy.  The groups depend only on the
    # inputs; they run the same code in this process or on workers, and their tables are
    # joined in group order, so the result does not depend on the executor.
    group = int(np.clip(min(max_bytes // (256 * n_site), GROUP_PAIRS // n_site), 1, n_sat))
    return _Plan(con, sites, t0, t1, grid, S, thr, max_bytes, group)


#: Largest number of satellite-site pairs in one group of :func:`find_passes` (a
#: 10,000 x 1,000 run makes 40 groups; a 1,584 x 100 one, a single group).
GROUP_PAIRS = 250_000


def _search_group(con, S, t0, grid, thr, max_bytes) -> dict:
    """Passes of one group of satellites over all sites on the common sample grid."""
    m = _passes.STENCIL
    n_sat, n_site = len(con), len(S.pos)
    site_unit = S.pos / np.linalg.norm(S.pos, axis=1, keepdims=True)
    r_site_min = float(np.linalg.norm(S.pos, axis=1).min())
    # Block length: the pruning matrix (float32 + bool per satellite-site-sample) must fit
    # the budget, and blocks stay under ~half an orbit (32 samples) so that few pairs are
    # candidates within one block (measured best of 16-64 for a 1,584-satellite shell x
    # 100 cities); each block holds at least one interpolation stencil.
    per_sample = n_sat * n_site * 6 + n_sat * 200
    B = int(np.clip(max_bytes // max(per_sample, 1) - (m - 1), m, 32))  # m - 1 padding samples
    # Each block owns the intervals between its samples k0..k1 and is padded with the
    # samples its interpolation stencils reach beyond them, so that every interval is
    # refined on the same stencil whatever the block size (results do not depend on
    # max_bytes).
    before, after = m // 2 - 1, m // 2
    events: list[tuple[np.ndarray, ...]] = []
    prev = None  # the previous block's states: its padding samples are this block's first
    k0 = 0
    n = len(grid)
    while k0 < n - 1:
        k1 = min(n - 1, k0 + B - 1)
        if n - 1 - k1 < m - 1:  # too few samples left for a block of their own
            k1 = n - 1
        p0, p1 = max(0, k0 - before), min(n - 1, k1 + after)
        states = _passes.block_states(con, t0, grid, p0, p1, prev)
        prev = (p0, *states)
        events.append(_passes.block_events(con, t0, grid[p0:p1 + 1], (k0 - p0, k1 - p0), S,
                                           site_unit, r_site_min, thr, n_site, first=k0 == 0,
                                           last=k1 == n - 1, states=states))
        del states
        k0 = k1
    return _passes.assemble(events, n_site)


# ---------------------------------------------------------------------- statistics
@dataclass(frozen=True, eq=False)
class ContactStatistics:
    """Contact statistics per satellite-site pair and per site (plain SI arrays).

    Attributes
    ----------
    pair_sat, pair_site : ndarray of int, shape ``(n_pair,)``
        Pairs with at least one pass.
    pair_passes : ndarray of int
    pair_contact_s, pair_longest_gap_s, pair_mean_gap_s : ndarray [s]
        Total time in contact; longest and mean time without contact, counting the gaps
        from ``start`` to the first rise and from the last set to ``stop``.
    site_passes : ndarray of int, shape ``(n_site,)``
    site_contact_s : ndarray [s]
        Time with at least one satellite in view (union over satellites).
    site_longest_gap_s, site_mean_gap_s : ndarray [s]
        Longest and mean time with no satellite in view (whole window if never seen).
    site_mean_revisit_s : ndarray [s]
        Mean time between successive starts of contact (NaN with fewer than 2 contacts).
    site_mean_in_view : ndarray [-]
        Time-averaged number of satellites in view (sum of pass durations / window).
    """

    site_names: tuple[str, ...]
    pair_sat: np.ndarray
    pair_site: np.ndarray
    pair_passes: np.ndarray
    pair_contact_s: np.ndarray
    pair_longest_gap_s: np.ndarray
    pair_mean_gap_s: np.ndarray
    site_passes: np.ndarray
    site_contact_s: np.ndarray
    site_longest_gap_s: np.ndarray
    site_mean_gap_s: np.ndarray
    site_mean_revisit_s: np.ndarray
    site_mean_in_view: np.ndarray


def _gaps(group, a, b, n_group, window):
    """Gaps between disjoint, sorted intervals [a, b] per group, including the window edges.

    Returns longest gap, mean gap, number of intervals and total covered time per group.
    """
    count = np.bincount(group, minlength=n_group)
    covered = np.bincount(group, weights=b - a, minlength=n_group).astype(float)
    first = np.r_[True, group[1:] != group[:-1]] if len(group) else np.zeros(0, bool)
    prev_end = np.where(first, 0.0, np.r_[0.0, b[:-1]])
    gap_before = a - prev_end
    last = np.r_[group[1:] != group[:-1], True] if len(group) else np.zeros(0, bool)
    tail = window - b[last]
    longest = np.full(n_group, float(window))
    has = count > 0
    longest[has] = 0.0
    np.maximum.at(longest, group, gap_before)
    np.maximum.at(longest, group[last], tail)
    gap_sum = np.bincount(group, weights=gap_before, minlength=n_group).astype(float)
    gap_sum[group[last]] += tail
    mean_gap = np.where(has, gap_sum / (count + 1), float(window))
    return longest, mean_gap, count, covered


def _union(group, a, b):
    """Merge overlapping intervals per group (inputs sorted by group then start)."""
    if len(a) == 0:
        return group, a, b
    starts_new = np.r_[True, group[1:] != group[:-1]]
    # segmented running maximum of the ends: lift each group above all earlier ones
    big = (np.cumsum(starts_new) - 1) * (4.0 * (b.max() - a.min() + 1.0))
    run_end = np.maximum.accumulate(b + big) - big
    new = starts_new | (a > np.r_[-np.inf, run_end[:-1]])
    idx = np.flatnonzero(new)
    ustart = a[idx]
    uend = np.maximum.reduceat(run_end, idx)
    return group[idx], ustart, uend


def contact_statistics(passes: PassTable) -> ContactStatistics:
    """Per pair and per site contact statistics from a :class:`PassTable`.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> con = oc.Constellation.walker_delta(total=6, planes=2, phasing=1,
    ...     altitude=550 * oc.u.km, inclination=53 * oc.u.deg, epoch="2026-06-21T00:00:00Z")
    >>> sites = oc.GroundSites.from_latlon([40.4], [-3.7], names=["Madrid"])
    >>> p = oc.find_passes(con, sites, "2026-06-21T00:00:00Z", "2026-06-22T00:00:00Z")
    >>> st = oc.contact_statistics(p)
    >>> bool(st.site_contact_s[0] <= 86400.0)
    True
    """
    W = passes.window_s
    n_site = len(passes.site_names)
    n_sat = len(passes.satellite_names)
    key = passes.sat * n_site + passes.site
    o = np.lexsort((passes.rise_s, key))
    key, a, b = key[o], passes.rise_s[o], passes.set_s[o]
    uniq, inv = np.unique(key, return_inverse=True)
    longest, mean_gap, count, covered = _gaps(inv, a, b, len(uniq), W)

    o = np.lexsort((passes.rise_s, passes.site))
    g, ua, ub = _union(passes.site[o], passes.rise_s[o], passes.set_s[o])
    s_longest, s_mean, s_count, s_cov = _gaps(g, ua, ub, n_site, W)
    first_rise = np.r_[True, g[1:] != g[:-1]] if len(g) else np.zeros(0, bool)
    span = np.zeros(n_site)
    if len(g):
        last_idx = np.r_[np.flatnonzero(first_rise)[1:] - 1, len(g) - 1]
        span[g[first_rise]] = ua[last_idx] - ua[first_rise]
    with np.errstate(invalid="ignore", divide="ignore"):
        revisit = np.where(s_count >= 2, span / (s_count - 1), np.nan)
    del n_sat
    return ContactStatistics(
        passes.site_names, uniq // n_site, uniq % n_site, count, covered, longest, mean_gap,
        np.bincount(passes.site, minlength=n_site), s_cov, s_longest, s_mean, revisit,
        np.bincount(passes.site, weights=passes.set_s - passes.rise_s, minlength=n_site).astype(float) / W,
    )


def coverage(passes: PassTable, k: int = 1) -> np.ndarray:
    """Fraction of the window during which at least ``k`` satellites are in view, per site.

    Exact from the pass intervals (no resampling).

    Returns
    -------
    ndarray, shape ``(n_site,)``, values in 0..1
    """
    if k < 1:
        raise InputError(f"k: must be >= 1, got {k}")
    n_site = len(passes.site_names)
    W = passes.window_s
    site = np.r_[passes.site, passes.site]
    t = np.r_[passes.rise_s, passes.set_s]
    d = np.r_[np.ones(len(passes), np.int64), -np.ones(len(passes), np.int64)]
    o = np.lexsort((d, t, site))  # at equal times, sets (-1) before rises (+1)
    site, t, d = site[o], t[o], d[o]
    out = np.zeros(n_site)
    if len(t) == 0:
        return out
    starts = np.r_[True, site[1:] != site[:-1]]
    csum = np.cumsum(d)
    base = np.repeat(csum[starts] - d[starts], np.diff(np.r_[np.flatnonzero(starts), len(d)]))
    level = csum - base  # satellites in view just after each event
    nxt = np.r_[t[1:], W]
    same_site_next = np.r_[site[1:] == site[:-1], False]
    dur = np.where(same_site_next, nxt - t, 0.0)
    np.add.at(out, site, np.where(level >= k, dur, 0.0))
    return out / W
