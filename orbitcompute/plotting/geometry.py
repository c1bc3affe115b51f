"""Figures of the orbit geometry: ground tracks, ground-station contacts and a year of
eclipses.  Each reads data the model computed (``result.geometry``); none propagates.
"""

from __future__ import annotations

import numpy as np

from ..eclipse import eclipse_year as data
from ..errors import InputError
from ._style import OKABE_ITO, _figure, _g
from .maps import _world_axes

__all__ = ["eclipse_year", "ground_tracks", "pass_timeline", "plot_eclipse_year"]


def _split_dateline(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Insert NaN where a track jumps across the date line, so lines do not cross the map."""
    jump = np.flatnonzero(np.abs(np.diff(lon)) > 180.0)
    return np.insert(lon, jump + 1, np.nan), np.insert(lat, jump + 1, np.nan)




def ground_tracks(result, *, relay_sample: int | None = None):
    """Ground tracks of the cluster and a sample of the relay over one cluster orbit.

    Reads the tracks the model sampled (``result.geometry.ground_tracks``: every
    cluster satellite of the geometry and an evenly spread relay sample, 30 s apart).

    Parameters
    ----------
    result : FeasibilityResult
    relay_sample : int, optional
        Relay tracks shown, spread evenly over the sampled ones (default: all of them).

    Returns
    -------
    matplotlib.figure.Figure
        Natural Earth 1:110m outlines; cluster tracks solid blue, relay tracks dashed
        orange, ground stations as black triangles; longitude and latitude [deg].
    """
    tr = _g(result).ground_tracks
    if relay_sample is not None and (isinstance(relay_sample, bool) or not isinstance(relay_sample, int)
                                     or relay_sample < 0):
        raise InputError(f"relay_sample: must be a non-negative integer, got {relay_sample!r}")
    fig = _figure(10, 5.6)
    ax = fig.subplots()
    _world_axes(ax, outline=True)

    def draw(lat, lon, colour, style, label, width):
        for k in range(len(lat)):  # a handful of lines (<= relay sample + cluster subset)
            x, y = _split_dateline(lon[k], lat[k])
            ax.plot(x, y, color=colour, linestyle=style, linewidth=width, label=label if k == 0 else None)
        ax.plot(lon[:, 0], lat[:, 0], "o", color=colour, markersize=4)

    n_relay = len(tr["relay_lat_deg"])
    if n_relay and relay_sample != 0:
        idx = np.arange(n_relay) if relay_sample is None else np.unique(
            np.linspace(0, n_relay - 1, min(relay_sample, n_relay)).astype(int))
        draw(tr["relay_lat_deg"][idx], tr["relay_lon_deg"][idx], OKABE_ITO[1], "--",
             f"relay sample ({len(idx)} of {tr['relay_satellites']})", 0.9)
    draw(tr["cluster_lat_deg"], tr["cluster_lon_deg"], OKABE_ITO[0], "-",
         f"compute cluster ({len(tr['cluster_lat_deg'])} shown)", 1.5)
    st = _g(result).stations
    ax.plot(np.degrees(st.lon_rad), np.degrees(st.lat_rad), "^", color="#000000", markersize=5,
            label="ground stations")
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(f"Ground tracks over one cluster orbit ({tr['period_s'] / 60:.1f} min); dots: start")
    return fig


def pass_timeline(result):
    """Contact windows of the cluster with each ground station over the first day.

    Parameters
    ----------
    result : FeasibilityResult

    Returns
    -------
    matplotlib.figure.Figure
        One row per station, one bar per pass (colour per cluster satellite); x: hours
        since the scenario start [h].
    """
    passes = _g(result).passes
    fig = _figure(10, 1.6 + 0.38 * max(1, len(passes.site_names)))
    ax = fig.subplots()
    n_site = len(passes.site_names)
    n_sat = len(passes.satellite_names)
    few = n_sat <= 8  # a legend per satellite only for a few (a whole cluster can make contacts)
    if len(passes):
        colours = [OKABE_ITO[int(k) % 7] for k in passes.sat]
        ax.barh(passes.site, (passes.set_s - passes.rise_s) / 3600.0, left=passes.rise_s / 3600.0, height=0.6,
                color=colours)
    if few:
        for k in np.unique(passes.sat):
            ax.barh([], [], color=OKABE_ITO[int(k) % 7], label=passes.satellite_names[int(k)])
    ax.set_yticks(np.arange(n_site), list(passes.site_names), fontsize=8)
    ax.set_ylim(-0.7, n_site - 0.3)
    ax.invert_yaxis()
    ax.set_xlim(0, passes.window_s / 3600.0)
    ax.set_xlabel("time since scenario start [h]")
    ax.set_ylabel("ground station")
    ax.grid(True, axis="x", alpha=0.3)
    cover = _g(result).station_contact
    ax.set_title(f"Cluster contacts with ground stations ({len(passes)} passes; mean time in contact "
                 f"{100 * float(np.mean(cover)):.1f} % per station)")
    if len(passes) and few:
        ax.legend(loc="upper right", fontsize=7, ncol=min(4, n_sat), title="satellite", title_fontsize=7)
    return fig



def eclipse_year(result):
    """Shadow per orbit and beta angle of a cluster satellite over the analysed year:
    :func:`plot_eclipse_year` of the data the model computed (``result.geometry.eclipse_year``,
    an :class:`~orbitcompute.eclipse.EclipseYear`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    return _draw_eclipse_year(_g(result).eclipse_year)


def plot_eclipse_year(con, start, stop, *, satellite: int = 0, table=None):
    """Shadow per orbit and beta angle of one satellite over a span (e.g. a year).

    The data come from :func:`orbitcompute.eclipse.eclipse_year` (which runs the eclipse
    search unless ``table`` is given); this function only draws them.

    Parameters
    ----------
    con : Constellation
    start, stop : time-like
    satellite : int
        Index of the satellite in ``con``.
    table : EclipseTable, optional
        A table already computed for ``con[[satellite]]`` over the same window.

    Returns
    -------
    matplotlib.figure.Figure
        Top: fraction of each orbit in umbra and in any shadow [%]; bottom: beta angle
        [deg] with the eclipse-free limit ``asin(a / r)``.  Uses the Okabe-Ito
        colour-blind-safe palette.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> sso = oc.Constellation.sun_synchronous(altitude=650 * oc.u.km, ltan=18 * oc.u.hour,
    ...                                        epoch="2026-06-01T00:00:00Z")
    >>> from orbitcompute.plotting import plot_eclipse_year
    >>> fig = plot_eclipse_year(sso, "2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z")
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['shadow per orbit [%]', 'beta angle [deg]']
    """

    return _draw_eclipse_year(data(con, start, stop, satellite=satellite, table=table))


def _draw_eclipse_year(y):
    fig = _figure(8, 5.5)
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    ax1.plot(y.orbit_day, 100 * y.any_fraction, color=OKABE_ITO[0], label="umbra + penumbra")
    ax1.plot(y.orbit_day, 100 * y.umbra_fraction, color=OKABE_ITO[1], linestyle="--", label="umbra")
    ax1.set_ylabel("shadow per orbit [%]")
    ax1.legend(loc="upper right")
    ax1.set_title(f"{y.satellite}: shadow {100 * y.shadow_fraction:.2f} % of the span")
    ax2.plot(y.beta_day, y.beta_deg, color=OKABE_ITO[2], label="beta angle")
    for sign in (1, -1):
        ax2.axhline(sign * y.beta_limit_deg, color="#555555", linestyle=":", linewidth=1)
    ax2.text(0.01, 0.95, f"no eclipse beyond |beta| = {y.beta_limit_deg:.1f} deg", transform=ax2.transAxes,
             va="top", fontsize=8)
    ax2.set_ylabel("beta angle [deg]")
    ax2.set_xlabel(f"days since {y.start_iso}")
    ax2.set_xlim(0, y.span_days)
    return fig
