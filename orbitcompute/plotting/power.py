"""Figures of one satellite: energy over the worst orbit (:func:`power_orbit`, any
:class:`~orbitcompute.power.EnergySeries` with :func:`plot_energy`), plate temperature
(:func:`plot_temperature`), the sizing of array, radiator and battery, and the mass budget
with the launches needed.
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import DAY_S
from ..errors import InputError
from ..feasibility import satellite_mass_budget
from ._style import OKABE_ITO, _assumption, _figure, _g

__all__ = ["mass_breakdown", "mass_budget_of", "plot_energy", "plot_temperature", "power_orbit", "sizing",
           "worst_orbit_energy"]

def worst_orbit_energy(result):
    """Energy flows of one satellite over its sizing (worst) orbit, at end of life.

    The model computes them once (``result.geometry.worst_orbit_energy``): the
    year-long history re-sampled at 10 s over the orbit that sized the array
    (``result.geometry.array.worst_orbit``) and run through
    :func:`orbitcompute.power.energy_series` with the sized array and battery and the
    satellite's load (compute plus ``bus_power_fraction``), starting with a full battery.

    Parameters
    ----------
    result : FeasibilityResult

    Returns
    -------
    EnergySeries
    """
    return _g(result).worst_orbit_energy


def power_orbit(result):
    """Array output, load and stored energy over the worst orbit (see :func:`worst_orbit_energy`).

    Returns
    -------
    matplotlib.figure.Figure
        Top: power [kW]; bottom: stored energy [kWh] with the battery capacity.
    """
    series = worst_orbit_energy(result)
    fig = _figure(8, 5.5, constrained=False)  # plot_energy applies tight_layout itself
    ax = fig.subplots(2, 1, sharex=True)
    plot_energy(series, ax=ax, time_unit="min")
    arr = _g(result).array
    state = (f"minimum charge {100 * series.min_state_of_charge:.0f} %" if series.capacity_j > 0
             else "no battery: compute stops in eclipse")
    ax[0].set_title(f"One satellite over its worst orbit (orbit {arr.worst_orbit}, end of life): {state}",
                    fontsize=10)
    fig.tight_layout()
    return fig


def sizing(result):
    """Sized array, radiator and battery of one satellite, with units.

    Parameters
    ----------
    result : FeasibilityResult

    Returns
    -------
    matplotlib.figure.Figure
        Three panels: areas of array and radiator [m^2]; power of compute, bus load and
        array at beginning of life [kW]; battery energy [kWh].
    """
    d = result.design
    p_kw = float(d["it_power_per_satellite_w"]) / 1e3
    load_kw = _g(result).load_w / 1e3  # compute plus bus, as the model sized it
    fig = _figure(10, 3.6)
    ax1, ax2, ax3 = fig.subplots(1, 3, gridspec_kw={"width_ratios": [2, 3, 1.2]})

    def bars(ax, labels, values, colours, unit):
        pos = np.arange(len(values))
        ax.bar(pos, values, color=colours, width=0.6)
        ax.set_xticks(pos, labels, fontsize=8)
        for x, v in zip(pos, values):
            ax.annotate(f"{v:,.0f}", (x, v), ha="center", va="bottom", fontsize=8, xytext=(0, 2),
                        textcoords="offset points")
        ax.set_ylabel(unit)
        ax.margins(y=0.15)

    bars(ax1, ["solar array", "radiator"], [d["array_m2_per_kw"] * p_kw, d["radiator_m2_per_kw"] * p_kw],
         [OKABE_ITO[0], OKABE_ITO[3]], "area per satellite [m$^2$]")
    bars(ax2, ["compute", "compute + bus", "array (BOL)"], [p_kw, load_kw, d["array_w_per_w"] * p_kw],
         [OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[0]], "power per satellite [kW]")
    bars(ax3, ["battery"], [d["battery_wh_per_kw"] * p_kw / 1e3], [OKABE_ITO[1]], "energy per satellite [kWh]")
    for ax in (ax1, ax2, ax3):
        ax.set_xlabel("subsystem")
    fig.suptitle(f"Sizing of one {p_kw:,.0f} kW satellite (radiator at {d['radiator_temperature_c']:.0f} °C, "
                 f"{d['radiator_net_w_m2']:.0f} W/m$^2$ net; worst orbit {100 * d['worst_orbit_shadow']:.1f} % "
                 "in shadow)", fontsize=10)
    return fig


def mass_budget_of(result):
    """Mass budget of one satellite with the scenario's assumptions and the sized array,
    battery and radiator (:func:`orbitcompute.feasibility.satellite_mass_budget`, the one
    the ``power`` command prints).

    Returns
    -------
    MassBudget
        ``count`` is the number of satellites of the cluster.
    """

    return satellite_mass_budget(result.scenario.assumptions, _g(result),
                                 float(result.design["it_power_per_satellite_w"]))


def mass_breakdown(result):
    """Mass budget of one satellite as a stacked bar, with the launches needed.

    Parameters
    ----------
    result : FeasibilityResult

    Returns
    -------
    matplotlib.figure.Figure
        Left: the stacked items of one satellite's launch mass [t]; right: launch mass of
        the whole cluster [t] against the vehicle's payload, and the launches needed for
        the first generation and over the whole horizon (replacements included).
    """
    mb = mass_budget_of(result)
    items = [(i.item, i.mass_kg / 1e3) for i in mb.items]
    payload_kg = _assumption(result, "payload_per_launch", "kg")
    launches_total = result.regions[0].orbital["launches"] if result.regions else float("nan")
    first = math.ceil(mb.launch_mass_kg * mb.count / payload_kg)
    fig = _figure(10, 4.6)
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
    bottom = 0.0
    colours = OKABE_ITO[:7] + ("#999999", "#666666", "#333333", "#bbbbbb")
    for k, (name, m) in enumerate(items):
        ax1.bar(0, m, bottom=bottom, width=0.5, color=colours[k % len(colours)],
                label=f"{name}: {m:,.2f} t")
        bottom += m
    ax1.set_xticks([0], ["one satellite"])
    ax1.set_xlim(-0.5, 2.2)
    ax1.set_ylabel("launch mass [t]")
    ax1.set_xlabel(f"{mb.compute_power_w / 1e3:,.0f} kW of compute")
    ax1.legend(loc="upper right", fontsize=7, title=f"launch mass {mb.launch_mass_kg / 1e3:,.2f} t",
               title_fontsize=8)
    ax1.set_title(f"Mass budget ({mb.compute_power_w / mb.launch_mass_kg:.1f} W of compute per kg)", fontsize=10)
    cluster_t = mb.launch_mass_kg * mb.count / 1e3
    ax2.bar([0], [cluster_t], color=OKABE_ITO[0], width=0.5)
    ax2.axhline(payload_kg / 1e3, color="#000000", linestyle="--", linewidth=1,
                label=f"payload per launch {payload_kg / 1e3:,.0f} t")
    ax2.set_xticks([0], [f"cluster ({mb.count} satellites)"])
    ax2.set_ylabel("launch mass [t]")
    ax2.set_xlabel("first generation")
    ax2.annotate(f"{cluster_t:,.0f} t\n{first} launches (first generation)\n"
                 f"{launches_total:,.0f} launches over the horizon", (0, cluster_t), ha="center", va="bottom",
                 fontsize=8, xytext=(0, 3), textcoords="offset points")
    ax2.margins(y=0.3)
    ax2.legend(loc="lower right", fontsize=8)
    ax2.set_title("Launches", fontsize=10)
    return fig



def plot_energy(series, *, ax=None, time_unit: str = "auto"):
    """Figure of array output, load and stored energy over time.

    Parameters
    ----------
    series : EnergySeries
    ax : sequence of two matplotlib Axes, optional
        Axes for power and stored energy; new figure if omitted.
    time_unit : {"auto", "min", "h", "day"}
        ``auto``: minutes below 2 days, else days.

    Returns
    -------
    matplotlib.figure.Figure
    """
    span = series.t_s[-1] - series.t_s[0]
    if time_unit == "auto":
        time_unit = "min" if span < 2 * DAY_S else "day"
    scales = {"min": 60.0, "h": 3600.0, "day": DAY_S}
    if time_unit not in scales:
        raise InputError(f"time_unit: {time_unit!r} is not one of 'auto', 'min', 'h', 'day'")
    scale = scales[time_unit]
    if ax is None:
        fig = _figure(8, 5.5, constrained=False)  # tight_layout below
        ax = fig.subplots(2, 1, sharex=True)
    else:
        fig = ax[0].figure
    tm = series.t_mid_s / scale
    ax[0].plot(tm, series.generated_w / 1e3, color=OKABE_ITO[0], label="array output", lw=0.8)
    ax[0].plot(tm, series.load_w / 1e3, color=OKABE_ITO[1], label="load", lw=0.8)
    ax[0].plot(tm, series.shunt_w / 1e3, color=OKABE_ITO[2], label="shunted", lw=0.8, alpha=0.7)
    ax[0].set_ylabel("power [kW]")
    ax[0].legend(loc="upper right", fontsize=8)
    ax[1].plot(series.t_s / scale, series.stored_j / 3.6e6, color=OKABE_ITO[3], lw=0.8)
    if series.capacity_j > 0:
        ax[1].axhline(series.capacity_j / 3.6e6, color="0.5", ls="--", lw=0.8, label="capacity")
        ax[1].legend(loc="lower right", fontsize=8)
    ax[1].set_ylabel("stored energy [kWh]")
    ax[1].set_xlabel(f"time since start [{time_unit}]")
    fig.tight_layout()
    return fig


def plot_temperature(result, *, ax=None, celsius: bool = True):
    """Figure of the plate temperature (and instantaneous equilibrium) over time, eclipses shaded.

    Parameters
    ----------
    result : TransientTemperature
    ax : matplotlib Axes, optional
    celsius : bool
        Plot in degC (else K).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        fig = _figure(8, 3.8, constrained=False)  # tight_layout below
        ax = fig.subplots()
    else:
        fig = ax.figure
    off, unit = (273.15, "degC") if celsius else (0.0, "K")
    tm = result.t_s / 60.0
    ax.fill_between(tm, 0, 1, where=result.illuminated < 0.5, transform=ax.get_xaxis_transform(),
                    color="0.85", label="eclipse", step="mid")
    ax.plot(tm, result.equilibrium_k - off, color=OKABE_ITO[1], lw=0.8, ls="--", label="instantaneous equilibrium")
    ax.plot(tm, result.temperature_k - off, color=OKABE_ITO[3], lw=1.2, label="transient (solve_ivp)")
    lo = float(result.temperature_k.min()) - off
    hi = float(max(result.temperature_k.max(), result.equilibrium_k.max())) - off
    ax.set_ylim(lo - 0.1 * (hi - lo) - 1.0, hi + 0.1 * (hi - lo) + 1.0)  # 0 K equilibria in eclipse off-scale
    ax.set_xlabel("time since start [min]")
    ax.set_ylabel(f"temperature [{unit}]")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig
