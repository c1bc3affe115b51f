"""Figures: one function per figure, each returning a Figure (or the Axes it drew into).

Every figure of a :class:`~orbitcompute.feasibility.FeasibilityResult` reads the result
(its ``regions``, ``design``, ``assumptions`` and ``geometry``) and draws it; the figures of
a study read the study's result.  None computes geometry or runs a study: the model and the
studies return data, this package only draws them.  Each function returns a new
``matplotlib.figure.Figure`` (not pyplot: nothing is shown and no global state is kept), so
the same figures serve the HTML report (:mod:`orbitcompute.report`), notebooks and scripts.
Axes are labelled with units in brackets; colours come from the one Okabe-Ito palette of
``plotting._style`` (which colour-blind readers can tell apart), and line styles or
hatches carry the same distinctions where it matters.

=========================  ====================================================  ============
function                   figure                                                module
=========================  ====================================================  ============
:func:`verdict_map`        countries coloured by their region's verdict          ``maps``
:func:`latency_map`        countries coloured by their region's median RTT       ``maps``
:func:`plot_region_map`    countries coloured by any value per country/region    ``maps``
:func:`ground_tracks`      cluster and a relay sample over one cluster orbit     ``geometry``
:func:`pass_timeline`      cluster x ground-station contacts over a day          ``geometry``
:func:`eclipse_year`       shadow per orbit and beta angle over the year         ``geometry``
:func:`plot_eclipse_year`  the same for any constellation and span               ``geometry``
:func:`power_orbit`        array output, load and stored energy, worst orbit     ``power``
:func:`plot_energy`        any :class:`~orbitcompute.power.EnergySeries`         ``power``
:func:`plot_temperature`   a transient plate temperature                         ``power``
:func:`sizing`             array, radiator and battery of one satellite          ``power``
:func:`mass_breakdown`     mass budget of one satellite and the launches         ``power``
:func:`cost_waterfall`     orbital cost items vs terrestrial totals              ``cost``
:func:`latency_cdf`        RTT distributions per region, orbital vs ground       ``latency``
:func:`plot_rtt_cdf`       weighted CDF of any RTT array                         ``latency``
:func:`plot_rtt_series`    RTT over time                                         ``latency``
:func:`intensity_curve`    orbital cost versus the workload's data intensity     ``latency``
:func:`capacity_series`    link capacity per region over time vs the demand      ``latency``
:func:`tornado_chart`      one-at-a-time sensitivity of a cost ratio             ``studies``
:func:`plot_tornado`       any :class:`~orbitcompute.sensitivity.TornadoResult`  ``studies``
:func:`monte_carlo_chart`  cost-ratio distributions, parity at 1                 ``studies``
:func:`plot_distribution`  histograms of any Monte Carlo outputs                 ``studies``
:func:`sobol_chart`        first- and total-order Sobol' indices of one output   ``studies``
:func:`crossover_chart`    cost by year of build, crossover marked               ``studies``
:func:`timeline_chart`     years to full power, orbit vs ground, per region      ``studies``
:func:`pareto_chart`       cost vs p95 RTT of a design search, Pareto fronts     ``studies``
=========================  ====================================================  ============

The ``plot_*`` functions lived in ``eclipse``, ``latency``, ``power``, ``regions``,
``sensitivity`` and ``thermal`` before; their old names still resolve there for one
release, with a ``DeprecationWarning``.

Which region a country belongs to: :func:`region_of_country` (``maps``).
"""

from __future__ import annotations

from ._style import LINESTYLES, OKABE_ITO, VERDICT_COLOURS
from .cost import cost_waterfall, orbital_cost_items
from .geometry import eclipse_year, ground_tracks, pass_timeline, plot_eclipse_year
from .latency import capacity_series, intensity_curve, latency_cdf, plot_rtt_cdf, plot_rtt_series
from .maps import latency_map, plot_region_map, region_of_country, verdict_map
from .power import (
    mass_breakdown,
    mass_budget_of,
    plot_energy,
    plot_temperature,
    power_orbit,
    sizing,
    worst_orbit_energy,
)
from .studies import (
    crossover_chart,
    monte_carlo_chart,
    pareto_chart,
    plot_distribution,
    plot_tornado,
    sobol_chart,
    timeline_chart,
    tornado_chart,
)

__all__ = [
    "LINESTYLES",
    "OKABE_ITO",
    "VERDICT_COLOURS",
    "capacity_series",
    "cost_waterfall",
    "crossover_chart",
    "eclipse_year",
    "ground_tracks",
    "intensity_curve",
    "latency_cdf",
    "latency_map",
    "mass_breakdown",
    "mass_budget_of",
    "monte_carlo_chart",
    "orbital_cost_items",
    "pareto_chart",
    "pass_timeline",
    "plot_distribution",
    "plot_eclipse_year",
    "plot_energy",
    "plot_region_map",
    "plot_rtt_cdf",
    "plot_rtt_series",
    "plot_temperature",
    "plot_tornado",
    "power_orbit",
    "region_of_country",
    "sizing",
    "sobol_chart",
    "timeline_chart",
    "tornado_chart",
    "verdict_map",
    "worst_orbit_energy",
]
