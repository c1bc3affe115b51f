"""Figures of round-trip times and link capacity: RTT distributions and series
(:func:`plot_rtt_cdf`, :func:`plot_rtt_series`, per region of a result :func:`latency_cdf`),
the capacity each region sees over time (:func:`capacity_series`) and the orbital cost
against the workload's data intensity (:func:`intensity_curve`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..latency import _region_groups, _times
from ..time import seconds_between
from ..units import magnitude, quantity
from ._style import LINESTYLES, OKABE_ITO, _figure, _g

__all__ = ["capacity_series", "intensity_curve", "latency_cdf", "plot_rtt_cdf", "plot_rtt_series"]


def plot_rtt_cdf(rtt, weights=None, regions=None, *, ax=None, label: str | None = None, linestyle=None):
    """Weighted CDF of RTT, one curve per region.

    Parameters
    ----------
    rtt : Quantity [time], shape ``(n_place, n_time)``, or a dict label -> such arrays
        With a dict (e.g. one entry per architecture), curves are drawn per label and region.
    weights, regions
        As in :func:`orbitcompute.latency.summarize_rtt`.
    ax : matplotlib Axes, optional
    label : str, optional
        Prefix of the legend entries.

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    The CDF is over the samples that have a path; its top is the availability (it does not
    reach 1 when some samples have none).  Colours are the Okabe-Ito palette, line styles
    vary by label, so the figure reads in grey scale and for colour-blind readers.
    """
    if ax is None:
        ax = _figure(6.4, 4.0, constrained=False).subplots()
    items = rtt.items() if isinstance(rtt, Mapping) else [(label, rtt)]
    for li, (lab, arr) in enumerate(items):
        r = magnitude(arr, "ms", "rtt")
        r = r[:, None] if r.ndim == 1 else r
        n_place, n_time = r.shape
        w = np.ones(n_place) if weights is None else np.asarray(weights, float)
        for ri, (name, idx) in enumerate(_region_groups(regions, n_place).items()):
            v = r[idx].reshape(-1)
            ww = np.repeat(w[idx] / n_time, n_time)
            tot = ww.sum()
            ok = np.isfinite(v)
            order = np.argsort(v[ok])
            x = v[ok][order]
            y = np.cumsum(ww[ok][order]) / tot if tot > 0 else x * 0
            parts = [p for p in (lab, None if regions is None else name) if p]
            ax.step(x, y, where="post", color=OKABE_ITO[ri % len(OKABE_ITO)],
                    linestyle=linestyle or LINESTYLES[li % len(LINESTYLES)], label=" / ".join(parts) or None)
    ax.set_xlabel("round-trip time [ms]")
    ax.set_ylabel("fraction of users x time [-]")
    ax.set_ylim(0, 1.02)
    ax.grid(True, alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize="small")
    return ax


def plot_rtt_series(times, rtt, names: Sequence[str] | None = None, *, ax=None):
    """RTT over time, one line per place (or per architecture).

    Parameters
    ----------
    times : time-like, shape ``(n_time,)``
    rtt : Quantity [time], shape ``(n_line, n_time)`` or ``(n_time,)``, or a dict label -> ``(n_time,)``
    names : sequence of str, optional
        Legend entries for the lines of a 2-D ``rtt``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        x axis: hours since the first time; gaps where there is no path.
    """
    t = _times(times)
    hours = seconds_between(t[0], t) / 3600.0
    if ax is None:
        ax = _figure(7.0, 3.6, constrained=False).subplots()
    if isinstance(rtt, Mapping):
        items = [(k, magnitude(v, "ms", "rtt")) for k, v in rtt.items()]
    else:
        r = magnitude(rtt, "ms", "rtt")
        r = r[None, :] if r.ndim == 1 else r
        labels = list(names) if names is not None else [None] * len(r)
        items = list(zip(labels, r))
    for k, (lab, y) in enumerate(items):
        ax.plot(hours, y, color=OKABE_ITO[k % len(OKABE_ITO)], linestyle=LINESTYLES[(k // len(OKABE_ITO)) % 4],
                label=lab, linewidth=1.0)
    ax.set_xlabel(f"time since {t[0].utc_strftime('%Y-%m-%d %H:%M')} UTC [h]")
    ax.set_ylabel("round-trip time [ms]")
    ax.grid(True, alpha=0.3)
    if any(lab for lab, _ in items):
        ax.legend(fontsize="small")
    return ax


def latency_cdf(result):
    """RTT distributions of each region: orbital (solid) vs terrestrial at the chosen site
    (dashed), weighted by population and (orbital) over time.

    :func:`orbitcompute.latency.plot_rtt_cdf` per region panel; the vertical line is the
    workload's latency requirement.

    Returns
    -------
    matplotlib.figure.Figure
    """
    regions = _g(result).regions
    owner = _g(result).owner
    weights = _g(result).weights
    orb = _g(result).rtt_orbital_ms
    ter = _g(result).rtt_terrestrial_ms
    sites = _g(result).sites
    codes = [f"{p}:{c}" for p, c in zip(sites.providers, sites.codes)]
    req = result.scenario.workload["latency_requirement"].m_as("ms")
    n = len(regions)
    ncol = min(3, n)
    nrow = math.ceil(n / ncol)
    fig = _figure(4.0 * ncol, 3.0 * nrow + 0.4)
    axes = np.atleast_1d(fig.subplots(nrow, ncol, sharex=True, sharey=True, squeeze=False)).ravel()
    by_name = {r.region: r for r in result.regions}
    for k, reg in enumerate(regions):
        ax = axes[k]
        sel = owner == k
        rr = by_name.get(reg.name)
        j = rr.terrestrial_site_index if rr is not None and rr.terrestrial_site_index >= 0 else int(
            np.argmin(ter[sel].mean(0)))
        plot_rtt_cdf({"orbital": quantity(orb[sel], "ms"), "terrestrial": quantity(ter[sel][:, j:j + 1], "ms")},
                     weights=weights[sel], ax=ax)
        ax.axvline(req, color="#D55E00", linestyle=":", linewidth=1.2, label=f"requirement {req:g} ms")
        ax.set_title(f"{reg.name} (site {codes[j]})", fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
    for ax in axes[n:]:
        ax.set_visible(False)
    fig.suptitle("Round-trip time per region: orbital over time and places, terrestrial over places", fontsize=10)
    return fig



def intensity_curve(result):
    """Orbital cost per delivered accelerator-hour versus the workload's data intensity,
    one line per region, with the workload presets marked and the terrestrial cost range
    shaded (from ``result.design["intensity_curve"]``, see
    :meth:`orbitcompute.FeasibilityModel.intensity_curve`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    curve = result.design["intensity_curve"]
    x = np.asarray(curve["bits_per_flop"])
    fig = _figure(7.5, 4.2)
    ax = fig.subplots()
    for k, (name, cost) in enumerate(curve["cost"].items()):
        c = np.asarray(cost, float)
        ax.loglog(x, np.where(np.isfinite(c), c, np.nan), color=OKABE_ITO[k % len(OKABE_ITO)], label=name,
                  linewidth=1.6, linestyle=LINESTYLES[k // len(OKABE_ITO) % 4])
    ter = [r.terrestrial["cost_per_accelerator_hour"] for r in result.regions]
    ax.axhspan(min(ter), max(ter), color="#999999", alpha=0.25, label="terrestrial (chosen sites)")
    for name, bpf in curve["presets"].items():
        ax.axvline(bpf, color="#000000", linewidth=0.6, alpha=0.4)
        ax.annotate(name.replace("_", " "), (bpf, 1.0), xycoords=("data", "axes fraction"), rotation=90,
                    fontsize=6, va="top", ha="right", alpha=0.7)
    ax.set_xlabel("workload data intensity [bit/FLOP]")
    ax.set_ylabel("orbital cost [USD per delivered accelerator-hour]")
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title("Where the links bind: orbital cost versus the data a workload moves per FLOP", fontsize=10)
    return fig


def capacity_series(result):
    """Capacity available to each region over the analysed window against the workload's
    demand (relay: ``min(cluster egress, relay share x relay satellites in view)``; ground
    stations: the expected capacity over the weather).

    Returns
    -------
    matplotlib.figure.Figure
    """
    g = result.geometry
    times = g.times
    hours = seconds_between(times[0], times) / 3600.0
    cap = g.capacity_series_bps
    fig = _figure(7.5, 3.8)
    ax = fig.subplots()
    for k, reg in enumerate(result.regions):
        ax.plot(hours, cap[k] / 1e9, color=OKABE_ITO[k % len(OKABE_ITO)], label=reg.region, linewidth=1.2)
    demand = result.design["demand_gbps"]
    ax.axhline(demand, color="#000000", linestyle="--", linewidth=1.2, label=f"demand {demand:,.1f} Gbit/s")
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set_xlabel("hours from the start of the window")
    ax.set_ylabel("capacity [Gbit/s]")
    ax.legend(fontsize=7, ncol=2, loc="lower right")
    ax.set_title("Link capacity to each region over time vs the workload's demand", fontsize=10)
    return fig

