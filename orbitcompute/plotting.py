"""Figures of a feasibility result: one function per figure, each returning a Figure.

Every function reads a :class:`~orbitcompute.feasibility.FeasibilityResult` (its
``regions``, ``design``, ``assumptions`` and ``geometry``) and returns a new
``matplotlib.figure.Figure`` (not pyplot: nothing is shown and no global state is kept),
so the same figures serve the HTML report (:mod:`orbitcompute.report`), notebooks and
scripts.  Axes are labelled with units in brackets; colours come from the Okabe-Ito
palette, which colour-blind readers can tell apart, and line styles or hatches carry
the same distinctions where it matters.

=========================  ====================================================
function                   figure
=========================  ====================================================
:func:`verdict_map`        countries coloured by their region's verdict
:func:`latency_map`        countries coloured by their region's median orbital RTT
:func:`ground_tracks`      cluster and a relay sample over one cluster orbit
:func:`pass_timeline`      cluster x ground-station contacts over a day
:func:`eclipse_year`       shadow per orbit and beta angle over the year
:func:`power_orbit`        array output, load and stored energy over the worst orbit
:func:`sizing`             array, radiator and battery of one satellite
:func:`mass_breakdown`     mass budget of one satellite and the launches needed
:func:`cost_waterfall`     orbital cost items vs terrestrial totals per accelerator-hour
:func:`latency_cdf`        RTT distributions per region, orbital vs terrestrial
:func:`tornado_chart`      one-at-a-time sensitivity (``sensitivity.plot_tornado``)
:func:`monte_carlo_chart`  cost-ratio distributions (``sensitivity.plot_distribution``)
:func:`sobol_chart`        first- and total-order Sobol' indices of one output
:func:`crossover_chart`    cost per accelerator-hour by year of build, crossover marked
:func:`timeline_chart`     years to full power, orbit vs ground, per region
:func:`intensity_curve`    orbital cost versus the workload's data intensity, per region
:func:`capacity_series`    link capacity per region over time vs the demand
:func:`pareto_chart`       cost vs p95 RTT of a design search, Pareto front per region
=========================  ====================================================

Countries and regions: a country belongs to the region whose places (cities) lie in it;
the remaining countries of a continent or UN sub-region go to the region built from that
continent or sub-region (:func:`region_of_country`).

Examples
--------
>>> from orbitcompute.regions import Region
>>> from orbitcompute.plotting import region_of_country
>>> owner = region_of_country([Region.from_continents("EU", limit=3), Region.from_countries("US", limit=2)])
>>> owner["FR"], owner["IS"], owner["US"], "CA" in owner
('Europe', 'Europe', 'United States', False)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .errors import InputError

__all__ = [
    "OKABE_ITO",
    "VERDICT_COLOURS",
    "cost_waterfall",
    "eclipse_year",
    "ground_tracks",
    "latency_cdf",
    "latency_map",
    "mass_breakdown",
    "mass_budget_of",
    "monte_carlo_chart",
    "orbital_cost_items",
    "pass_timeline",
    "power_orbit",
    "region_of_country",
    "sizing",
    "sobol_chart",
    "crossover_chart",
    "timeline_chart",
    "intensity_curve",
    "capacity_series",
    "pareto_chart",
    "tornado_chart",
    "verdict_map",
    "worst_orbit_energy",
]

#: The Okabe-Ito colour-blind-safe palette (blue, orange, green, vermillion, purple, sky
#: blue, yellow, black).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

#: Colour of each verdict on maps and in tables.
VERDICT_COLOURS = {"orbital": "#0072B2", "terrestrial": "#E69F00"}

#: GeoNames continent of a UN M49 region, for countries with no shipped city
#: (the Americas split by sub-region below).
_M49_CONTINENT = {"Africa": "AF", "Asia": "AS", "Europe": "EU", "Oceania": "OC"}
_SOUTH_AMERICA = {"South America"}


def _figure(width: float, height: float, *, constrained: bool = True):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained" if constrained else None)


class _NoGeometry:
    """Stands in for the geometry of a result that has none: any field raises InputError."""

    def __getattr__(self, key: str):
        raise InputError(
            f"result: the geometry has no {key!r}; pass the FeasibilityResult returned by FeasibilityModel.run() "
            "(a result read back from JSON carries no geometry)")


def _g(result):
    """The result's :class:`~orbitcompute.geometry.Geometry` (a stand-in raising InputError if none)."""
    g = getattr(result, "geometry", None)
    return _NoGeometry() if g is None else g


def _isfinite(x) -> bool:
    return x is not None and bool(np.isfinite(x))


def _assumption(result, name: str, unit: str) -> float:
    a = result.scenario.assumptions[name] if name in result.scenario.assumptions else result.assumptions[name]
    return float(a.value.m_as(unit or "dimensionless"))


# ----------------------------------------------------------------------------- countries
def _country_continent() -> dict[str, str]:
    """ISO alpha-2 -> GeoNames continent code: the continent of the country's shipped
    cities where it has any, else from its UN M49 region."""
    from .regions import country_table
    from .stations import _cities_table

    out: dict[str, str] = {}
    for cc, reg in country_table().items():
        if reg["region"] == "Americas":
            out[cc] = "SA" if reg["subregion"] in _SOUTH_AMERICA else "NA"
        elif reg["region"] in _M49_CONTINENT:
            out[cc] = _M49_CONTINENT[reg["region"]]
    t = _cities_table()
    for cc, cont in zip(t["country_code"].tolist(), t["continent"].tolist()):
        out[cc] = cont  # GeoNames' own assignment wins (e.g. Russia: Europe)
    return out


def region_of_country(regions: Sequence) -> dict[str, str]:
    """Which region each country belongs to, for maps.

    Parameters
    ----------
    regions : sequence of Region
        The result's regions (``result.geometry.regions``).

    Returns
    -------
    dict of str to str
        ISO 3166-1 alpha-2 code -> region name.  A country whose places are in a region
        belongs to it (to the one holding most of its weight if several do); other
        countries of a continent or UN sub-region belong to the region built from that
        continent (GeoNames continent of the country's cities, else its UN M49 region)
        or sub-region.  Countries in no region are absent.
    """
    from .regions import country_table
    from .stations import CONTINENTS

    out: dict[str, str] = {}
    share: dict[str, float] = {}
    by_name = {v: k for k, v in CONTINENTS.items()}
    continent = None
    ct = None
    for reg in regions:
        parts = [p.strip() for p in reg.name.split(" + ")]
        if reg.kind == "continent" and all(p in by_name for p in parts):
            continent = continent or _country_continent()
            codes = {by_name[p] for p in parts}
            for cc, cont in continent.items():
                if cont in codes:
                    out.setdefault(cc, reg.name)
        elif reg.kind == "subregion":
            ct = ct or country_table()
            subs = {p.lower() for p in parts}
            for cc, row in ct.items():
                if row["subregion"].lower() in subs:
                    out.setdefault(cc, reg.name)
    # places decide over continents
    for reg in regions:
        codes = np.asarray(reg.country_codes)
        for cc in set(reg.country_codes) - {""}:
            w = float(np.asarray(reg.weights)[codes == cc].sum())
            if w > share.get(cc, -1.0):
                share[cc] = w
                out[cc] = reg.name
    return out


def _country_patches(keys):
    """One ``PathPatch`` per country outline key (Natural Earth 1:110m)."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    from .regions import country_outlines

    outlines = country_outlines()
    patches = {}
    for key in keys if keys is not None else outlines:
        polys = outlines.get(key)
        if not polys:
            continue
        verts, codes = [], []
        for poly in polys:
            for ring in poly:
                verts.append(ring)
                c = np.full(len(ring), Path.LINETO, dtype=Path.code_type)
                c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
                codes.append(c)
        patches[key] = PathPatch(Path(np.concatenate(verts), np.concatenate(codes)))
    return patches


def _world_axes(ax, outline: bool = False):
    """Plate carree axes with longitude and latitude labels; country outlines as lines."""
    if outline:
        from matplotlib.collections import PatchCollection

        patches = _country_patches(None)
        ax.add_collection(PatchCollection(list(patches.values()), facecolor="#f2f2f2", edgecolor="#999999",
                                          linewidth=0.4, zorder=0))
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(-180, 181, 60))
    ax.set_yticks(np.arange(-90, 91, 30))
    ax.set_xlabel("longitude [deg]")
    ax.set_ylabel("latitude [deg]")


def _region_centres(regions) -> dict[str, tuple[float, float]]:
    """Population-weighted mean position of each region's places [deg] (lon, lat)."""
    out = {}
    for reg in regions:
        lat = np.degrees(reg.places.lat_rad)
        lon = np.degrees(reg.places.lon_rad)
        w = np.asarray(reg.weights)
        # average longitudes on the circle, so a region across the date line stays whole
        lon_c = math.degrees(math.atan2(float(np.sum(w * np.sin(np.radians(lon)))),
                                        float(np.sum(w * np.cos(np.radians(lon))))))
        out[reg.name] = (lon_c, float(np.sum(w * lat)))
    return out


def verdict_map(result):
    """World map of countries coloured by their region's verdict.

    Parameters
    ----------
    result : FeasibilityResult

    Returns
    -------
    matplotlib.figure.Figure
        Okabe-Ito blue for ``orbital``, orange (hatched) for ``terrestrial``, light grey for
        countries in no region; each region labelled at the population-weighted centre of
        its places with its orbital / terrestrial cost ratio.
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Patch

    regions = _g(result).regions
    owner = region_of_country(regions)
    verdict = {r.region: r.verdict for r in result.regions}
    fig = _figure(10, 5.6)
    ax = fig.subplots()
    patches = _country_patches(None)
    hatch = {"orbital": "", "terrestrial": "//"}
    grey = [p for k, p in patches.items() if k not in owner]
    ax.add_collection(PatchCollection(grey, facecolor="#dddddd", edgecolor="white", linewidth=0.3))
    for v, colour in VERDICT_COLOURS.items():
        group = [p for k, p in patches.items() if verdict.get(owner.get(k)) == v]
        if group:
            ax.add_collection(PatchCollection(group, facecolor=colour, edgecolor="white", linewidth=0.3,
                                              hatch=hatch[v]))
    ratio = {r.region: r.orbital["cost_per_accelerator_hour"] / r.terrestrial["cost_per_accelerator_hour"]
             for r in result.regions}
    for name, (lon, lat) in _region_centres(regions).items():
        ax.annotate(f"{name}\n{verdict.get(name, '?')} (cost x{ratio.get(name, float('nan')):.1f})",
                    (lon, lat), ha="center", va="center", fontsize=8,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.85, "linewidth": 0})
    _world_axes(ax)
    handles = [Patch(facecolor=c, hatch=hatch[v], edgecolor="white", label=v) for v, c in VERDICT_COLOURS.items()]
    handles.append(Patch(facecolor="#dddddd", label="not in a region"))
    ax.legend(handles=handles, loc="lower left", fontsize=8, title="verdict")
    ax.set_title("Verdict per user region (label: orbital / terrestrial cost per accelerator-hour)")
    return fig


def latency_map(result):
    """World map of countries coloured by their region's median orbital RTT.

    Uses :func:`orbitcompute.regions.plot_region_map` (viridis) with each country taking
    its region's value (:func:`region_of_country`).

    Parameters
    ----------
    result : FeasibilityResult

    Returns
    -------
    matplotlib.figure.Figure
        Colour bar: median orbital round-trip time [ms]; grey where no region or no path.
    """
    from .regions import plot_region_map

    owner = region_of_country(_g(result).regions)
    p50 = {r.region: r.orbital_rtt_ms["p50"] for r in result.regions}
    # regions without an orbital path (NaN) stay grey, like countries in no region
    values = {cc: float(p50[name]) for cc, name in owner.items() if _isfinite(p50.get(name))}
    fig = _figure(10, 5.2)
    ax = fig.subplots()
    plot_region_map(values, ax=ax, cmap="viridis", label="median orbital round-trip time", unit="ms")
    for name, (lon, lat) in _region_centres(_g(result).regions).items():
        v = p50.get(name)
        ax.annotate(f"{name}\n{v:.0f} ms" if _isfinite(v) else f"{name}\nno path", (lon, lat),
                    ha="center", va="center", fontsize=8,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.85, "linewidth": 0})
    ax.set_title("Median orbital round-trip time per user region")
    return fig


# ----------------------------------------------------------------------------- geometry
def _split_dateline(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Insert NaN where a track jumps across the date line, so lines do not cross the map."""
    jump = np.flatnonzero(np.abs(np.diff(lon)) > 180.0)
    return np.insert(lon, jump + 1, np.nan), np.insert(lat, jump + 1, np.nan)


def ground_tracks(result, *, relay_sample: int = 6, step_s: float = 30.0):
    """Ground tracks of the cluster and a sample of the relay over one cluster orbit.

    Parameters
    ----------
    result : FeasibilityResult
    relay_sample : int
        Relay satellites shown, spread evenly over the constellation.
    step_s : float [s]
        Sampling step of the tracks.

    Returns
    -------
    matplotlib.figure.Figure
        Natural Earth 1:110m outlines; cluster tracks solid blue, relay tracks dashed
        orange, ground stations as black triangles; longitude and latitude [deg].
    """
    from .frames import ecef_to_geodetic
    from .time import offset, time_grid
    from .units import u

    cluster = _g(result).cluster
    relay = _g(result).relay
    start = _g(result).times[0]
    period = float(cluster.period.m_as("s")[0])
    t = time_grid(start, offset(start, period), step_s * u.s)
    fig = _figure(10, 5.6)
    ax = fig.subplots()
    _world_axes(ax, outline=True)

    def draw(con, colour, style, label, width):
        r = con.positions(t, frame="itrs").m_as("m")
        lat, lon, _ = ecef_to_geodetic(r)
        for k in range(len(con)):  # a handful of lines (<= relay_sample + cluster subset)
            x, y = _split_dateline(np.degrees(lon[k]), np.degrees(lat[k]))
            ax.plot(x, y, color=colour, linestyle=style, linewidth=width, label=label if k == 0 else None)
        ax.plot(np.degrees(lon[:, 0]), np.degrees(lat[:, 0]), "o", color=colour, markersize=4)

    if relay is not None and relay_sample > 0:
        idx = np.unique(np.linspace(0, len(relay) - 1, min(relay_sample, len(relay))).astype(int))
        draw(relay[idx], OKABE_ITO[1], "--", f"relay sample ({len(idx)} of {len(relay)})", 0.9)
    draw(cluster, OKABE_ITO[0], "-", f"compute cluster ({len(cluster)} shown)", 1.5)
    st = _g(result).stations
    ax.plot(np.degrees(st.lon_rad), np.degrees(st.lat_rad), "^", color="#000000", markersize=5,
            label="ground stations")
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(f"Ground tracks over one cluster orbit ({period / 60:.1f} min); dots: start")
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
    """Shadow per orbit and beta angle of a cluster satellite over the analysed year.

    :func:`orbitcompute.eclipse.plot_eclipse_year` on the eclipse table the model computed.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .eclipse import plot_eclipse_year

    ecl = _g(result).eclipses
    cluster = _g(result).cluster
    return plot_eclipse_year(cluster, ecl.start, ecl.stop, satellite=0, table=ecl)


def worst_orbit_energy(result, *, step_s: float = 10.0):
    """Energy flows of one satellite over its sizing (worst) orbit, at end of life.

    The year-long history is re-sampled at ``step_s`` over the orbit that sized the array
    (``result.geometry.array.worst_orbit``) and run through
    :func:`orbitcompute.power.energy_series` with the sized array and battery and the
    satellite's load (compute plus ``bus_power_fraction``), starting with a full battery.

    Parameters
    ----------
    result : FeasibilityResult
    step_s : float [s]

    Returns
    -------
    EnergySeries
    """
    from .power import energy_series
    from .sun import sunlight_history
    from .time import offset
    from .units import u

    arr = _g(result).array
    hist = _g(result).history
    cluster = _g(result).cluster
    t0 = offset(hist.epoch, float(arr.orbit_start_s[arr.worst_orbit]))
    h = sunlight_history(cluster, t0, offset(t0, float(hist.period_s)), step_s * u.s, satellite=0)
    p_it = float(result.design["it_power_per_satellite_w"])
    load = p_it * (1.0 + _assumption(result, "bus_power_fraction", ""))
    return energy_series(h, load * u.W, arr, _g(result).battery)


def power_orbit(result, *, step_s: float = 10.0):
    """Array output, load and stored energy over the worst orbit (see :func:`worst_orbit_energy`).

    Returns
    -------
    matplotlib.figure.Figure
        Top: power [kW]; bottom: stored energy [kWh] with the battery capacity.
    """
    from .power import plot_energy

    series = worst_orbit_energy(result, step_s=step_s)
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
    bus = _assumption(result, "bus_power_fraction", "")
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
    bars(ax2, ["compute", "compute + bus", "array (BOL)"], [p_kw, p_kw * (1 + bus), d["array_w_per_w"] * p_kw],
         [OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[0]], "power per satellite [kW]")
    bars(ax3, ["battery"], [d["battery_wh_per_kw"] * p_kw / 1e3], [OKABE_ITO[1]], "energy per satellite [kWh]")
    for ax in (ax1, ax2, ax3):
        ax.set_xlabel("subsystem")
    fig.suptitle(f"Sizing of one {p_kw:,.0f} kW satellite (radiator at {d['radiator_temperature_c']:.0f} °C, "
                 f"{d['radiator_net_w_m2']:.0f} W/m$^2$ net; worst orbit {100 * d['worst_orbit_shadow']:.1f} % "
                 "in shadow)", fontsize=10)
    return fig


def mass_budget_of(result):
    """Mass budget of one satellite (:func:`orbitcompute.mass.mass_budget`) with the
    scenario's assumptions and the sized array, battery and radiator.

    Returns
    -------
    MassBudget
        ``count`` is the number of satellites of the cluster.
    """
    from .mass import mass_budget
    from .units import quantity

    def q(name, unit):
        return quantity(_assumption(result, name, unit), unit)

    return mass_budget(
        quantity(float(result.design["it_power_per_satellite_w"]), "W"),
        array=_g(result).array, battery=_g(result).battery, radiator=_g(result).radiator,
        compute_specific_mass=q("compute_specific_mass", "kg/kW"),
        shielding_fraction=_assumption(result, "shielding_fraction", ""),
        structure_fraction=_assumption(result, "structure_fraction", ""),
        bus_fraction=_assumption(result, "bus_fraction", ""),
        propulsion_dry_fraction=_assumption(result, "propulsion_dry_fraction", ""),
        system_margin=_assumption(result, "system_margin", ""),
        delta_v=q("delta_v", "m/s"), specific_impulse=q("specific_impulse", "s"),
        count=int(result.design["satellites"]))


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


# ----------------------------------------------------------------------------- cost
_COST_ITEMS = (("hardware_usd", "accelerators"), ("spacecraft_usd", "spacecraft"), ("launch_usd", "launch"),
               ("ground_usd", "ground segment"), ("nre_usd", "engineering (NRE)"),
               ("operations_usd", "operations"), ("replacement_usd", "replacements"))


def orbital_cost_items(result) -> list[tuple[str, float]]:
    """Orbital cost items per accelerator-hour when the links carry the whole workload
    [USD/h]: each item's present value divided by the present value of the installed
    accelerator-hours (they sum to ``design["orbital_installed_usd_per_accelerator_hour"]``;
    a region served a fraction ``f`` pays each item ``/ f``)."""
    costs = result.design["orbital_costs_usd"]
    hours = costs["total_usd"] / result.design["orbital_installed_usd_per_accelerator_hour"]
    return [(label, costs[key] / hours) for key, label in _COST_ITEMS if key in costs]


def _region(result, region):
    if isinstance(region, int):
        return result.regions[region]
    for r in result.regions:
        if r.region == region:
            return r
    raise InputError(f"region: {region!r} is not a region of the result; regions are "
                     f"{[r.region for r in result.regions]}")


def cost_waterfall(result, region: str | int | None = None):
    """Orbital cost items stacked into the orbital total, against the terrestrial total.

    Parameters
    ----------
    result : FeasibilityResult
    region : str or int, optional
        The region whose terrestrial site is compared; default every region (one bar each).

    Returns
    -------
    matplotlib.figure.Figure
        Floating bars (USD per delivered accelerator-hour [USD/h]) for the orbital items,
        the orbital total, and the terrestrial total of each region's chosen site.
    """
    items = orbital_cost_items(result)
    regs = result.regions if region is None else [_region(result, region)]
    fig = _figure(10, 4.8)
    ax = fig.subplots()
    labels, x = [], 0
    bottom = 0.0
    for k, (label, v) in enumerate(items):
        ax.bar(x, v, bottom=bottom, color=OKABE_ITO[0], width=0.7)
        ax.annotate(f"{v:.2f}", (x, bottom + v), ha="center", va="bottom", fontsize=7, xytext=(0, 1),
                    textcoords="offset points")
        if k < len(items) - 1:
            ax.plot([x + 0.35, x + 0.65], [bottom + v, bottom + v], color="#555555", linewidth=0.6)
        bottom += v
        labels.append(label)
        x += 1
    total = result.design["orbital_installed_usd_per_accelerator_hour"]
    ax.bar(x, total, color="#000000", width=0.7, label="orbital total")
    ax.annotate(f"{total:.2f}", (x, total), ha="center", va="bottom", fontsize=8, xytext=(0, 1),
                textcoords="offset points")
    labels.append("orbital total")
    x += 1
    for r in regs:  # orbital per delivered accelerator-hour where the links carry less than all
        v = r.orbital["cost_per_accelerator_hour"]
        if r.capacity.get("served_fraction", 1.0) < 1.0 and np.isfinite(v):
            ax.bar(x, v, color="#56B4E9", width=0.7)
            ax.annotate(f"{v:.2f}", (x, v), ha="center", va="bottom", fontsize=8, xytext=(0, 1),
                        textcoords="offset points")
            labels.append(f"orbital to\n{r.region}")
            x += 1
    for r in regs:
        v = r.terrestrial["cost_per_accelerator_hour"]
        ax.bar(x, v, color=OKABE_ITO[1], hatch="//", edgecolor="white", width=0.7)
        ax.annotate(f"{v:.2f}", (x, v), ha="center", va="bottom", fontsize=8, xytext=(0, 1),
                    textcoords="offset points")
        labels.append(f"terrestrial\n{r.region}")
        x += 1
    ax.set_xticks(np.arange(len(labels)), labels, rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("cost per delivered accelerator-hour [USD/h]")
    ax.set_xlabel("orbital cost items (blue) with the links carrying everything, totals")
    ax.grid(True, axis="y", alpha=0.3)
    ax.set_title("Levelized cost per accelerator-hour: orbital items vs terrestrial totals", fontsize=10)
    return fig


# ----------------------------------------------------------------------------- latency
def latency_cdf(result):
    """RTT distributions of each region: orbital (solid) vs terrestrial at the chosen site
    (dashed), weighted by population and (orbital) over time.

    :func:`orbitcompute.latency.plot_rtt_cdf` per region panel; the vertical line is the
    workload's latency requirement.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .latency import plot_rtt_cdf
    from .units import quantity

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


# ----------------------------------------------------------------------------- capacity
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
                  linewidth=1.6, linestyle=("-", "--", "-.", ":")[k // len(OKABE_ITO) % 4])
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
    from .time import seconds_between

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


# ----------------------------------------------------------------------------- uncertainty
def tornado_chart(tornado_result, *, max_rows: int = 12):
    """Tornado diagram of a :class:`~orbitcompute.sensitivity.TornadoResult`
    (:func:`orbitcompute.sensitivity.plot_tornado`), the ``max_rows`` largest swings.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .sensitivity import plot_tornado

    fig = plot_tornado(tornado_result, max_rows=max_rows)
    if tornado_result.output.startswith("ratio:"):
        ax = fig.axes[0]
        region = tornado_result.output.split(":", 1)[1]
        ax.set_xlabel(f"orbital / terrestrial cost per accelerator-hour, {region} [-]")
        if ax.get_xlim()[0] < 1.0 < ax.get_xlim()[1]:
            ax.axvline(1.0, color="#D55E00", linestyle=":", linewidth=1.2, label="parity")
    return fig


def monte_carlo_chart(mc, regions: Sequence[str] | None = None):
    """Distributions of the orbital / terrestrial cost ratio per region from a Monte Carlo
    run (:func:`orbitcompute.sensitivity.plot_distribution`), with parity at 1.

    Parameters
    ----------
    mc : MonteCarloResult
        Of a :class:`~orbitcompute.feasibility.FeasibilityModel`.
    regions : sequence of str, optional
        Default: every ``ratio:<region>`` output.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from .sensitivity import plot_distribution

    names = [f"ratio:{r}" for r in regions] if regions is not None else [k for k in mc.outputs
                                                                         if k.startswith("ratio:")]
    if not names:
        raise InputError("mc: no 'ratio:<region>' outputs; run monte_carlo on a FeasibilityModel")
    fig = plot_distribution(mc, names, unit="")
    ax = fig.axes[0]
    ax.axvline(1.0, color="#000000", linewidth=1.5, label="parity (ratio 1)")
    ax.set_xlabel("orbital / terrestrial cost per accelerator-hour [-]")
    ax.set_ylabel("probability density [-]")
    ax.legend(fontsize=8)
    return fig


def sobol_chart(result, output: str, *, max_rows: int = 12):
    """First- and total-order Sobol' indices of one output of a
    :class:`~orbitcompute.sensitivity.SobolResult`: horizontal bars of ``S1`` (Okabe-Ito
    blue) and ``ST`` (orange) with their bootstrap half-widths as whiskers, the
    ``max_rows`` largest ``ST`` at the top.

    Parameters
    ----------
    result : SobolResult
    output : str
        One of ``result.outputs``.
    max_rows : int
        Assumptions shown (largest total-order index first).

    Returns
    -------
    matplotlib.figure.Figure
        x axis: index [-] from 0 to at least 1; title with ``n``, the confidence level and
        the convergence figure ``max |ST(n) - ST(n/2)|``.

    Examples
    --------
    >>> from orbitcompute.provenance import Assumption
    >>> from orbitcompute.sensitivity import FunctionModel, sobol
    >>> m = FunctionModel([Assumption("a", 0.5, "", low=0.0, high=1.0, distribution="uniform"),
    ...                    Assumption("b", 0.5, "", low=0.0, high=1.0, distribution="uniform")],
    ...                   lambda a, b: {"y": 2.0 * a + b})
    >>> fig = sobol_chart(sobol(m, "y", n=256, num_resamples=50), "y")
    >>> fig.axes[0].get_xlabel(), [t.get_text() for t in fig.axes[0].get_yticklabels()]  # a (largest ST) on top
    ('Sobol index of y [-]', ['a', 'b'])
    """
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise InputError(f"max_rows: must be a positive integer, got {max_rows!r}")
    rows = result.top(output, max_rows)
    k = len(rows)
    fig = _figure(8, 1.4 + 0.42 * max(k, 1))
    ax = fig.subplots()
    pos = np.arange(k)[::-1].astype(float)
    h = 0.38
    s1 = np.array([r["S1"] for r in rows], dtype=float)
    st = np.array([r["ST"] for r in rows], dtype=float)
    c1 = np.array([r["S1_conf"] for r in rows], dtype=float)
    ct = np.array([r["ST_conf"] for r in rows], dtype=float)
    err = {"ecolor": "#000000", "capsize": 3, "error_kw": {"linewidth": 1.0}}
    ax.barh(pos + h / 2, st, height=h, xerr=ct, color=OKABE_ITO[1], label="total order ST", **err)
    ax.barh(pos - h / 2, s1, height=h, xerr=c1, color=OKABE_ITO[0], label="first order S1", **err)
    ax.set_yticks(pos, [r["assumption"] for r in rows], fontsize=8)
    ax.axvline(0.0, color="#000000", linewidth=0.8)
    hi = np.nanmax(np.r_[st + ct, s1 + c1, 1.0]) if k else 1.0
    ax.set_xlim(min(0.0, float(np.nanmin(np.r_[s1 - c1, 0.0]))) - 0.02, max(1.0, float(hi)) + 0.02)
    label = output.split(":", 1)[1] if output.startswith("ratio:") else None
    ax.set_xlabel(f"Sobol index of {output} [-]" if label is None
                  else f"Sobol index of the orbital / terrestrial cost ratio, {label} [-]")
    ax.set_ylabel("assumption (largest ST at the top)")
    title = f"Global sensitivity of {output}: n = {result.n}, {100 * result.conf_level:g}% bootstrap intervals"
    if result.ST_half is not None:
        title += f"\nmax |ST(n) - ST(n/2)| = {result.convergence()[output]['max_abs_ST_change']:.3f}"
    ax.set_title(title, fontsize=9)
    ax.legend(loc="lower right", fontsize=8)
    return fig


# ----------------------------------------------------------------------------- time
def crossover_chart(crossover_result):
    """Orbital and terrestrial cost per accelerator-hour against the calendar year, one
    panel per region, with the crossover year marked (:func:`orbitcompute.timeline.crossover`).

    Parameters
    ----------
    crossover_result : CrossoverResult

    Returns
    -------
    matplotlib.figure.Figure
    """
    res = crossover_result
    if not hasattr(res, "crossover_year") or not hasattr(res, "orbital_cost"):
        raise InputError(f"crossover_result: {type(res).__name__} is not a CrossoverResult; pass the result of "
                         "orbitcompute.crossover(model, curves)")
    n = len(res.regions)
    ncol = min(3, n)
    nrow = math.ceil(n / ncol)
    fig = _figure(4.0 * ncol, 2.8 * nrow + 0.5)
    axes = np.atleast_1d(fig.subplots(nrow, ncol, sharex=True, squeeze=False)).ravel()
    what = " incl. delay" if res.include_delay else ""
    for k, region in enumerate(res.regions):
        ax = axes[k]
        ax.plot(res.years, res.orbital_cost[:, k], color=OKABE_ITO[0], linestyle="-", marker="o", markersize=2.5,
                label="orbital")
        ax.plot(res.years, res.terrestrial_cost[:, k], color=OKABE_ITO[1], linestyle="--", label="terrestrial")
        y = res.crossover_interpolated[region]
        if y is not None:
            ax.axvline(y, color=OKABE_ITO[3], linestyle=":", linewidth=1.2, label=f"crossover {res.label(region)}")
        else:
            ax.text(0.98, 0.95, res.label(region), transform=ax.transAxes, ha="right", va="top", fontsize=8)
        ax.set_title(region, fontsize=9)
        ax.set_xlabel("year of build [-]")
        ax.set_ylabel(f"cost{what} [USD/accelerator-hour]")
        ax.legend(fontsize=7, loc="upper right" if y is not None else "center right")
    for ax in axes[n:]:
        ax.set_visible(False)
    names = ", ".join(res.curves) or "no curves"
    fig.suptitle(f"Cost per accelerator-hour by year of build (learning curves: {names})", fontsize=10)
    return fig


def timeline_chart(timeline_result):
    """Years to full power, orbit vs ground, per region (:func:`orbitcompute.timeline.timeline`);
    hatched bars use the documented default lead time (no country source).

    Parameters
    ----------
    timeline_result : TimelineResult

    Returns
    -------
    matplotlib.figure.Figure
    """
    res = timeline_result
    if not hasattr(res, "table") or "orbital_years" not in getattr(res, "table", {}):
        raise InputError(f"timeline_result: {type(res).__name__} is not a TimelineResult; pass the result of "
                         "orbitcompute.timeline.timeline(model)")
    t = res.table
    n = len(res.regions)
    fig = _figure(max(5.0, 1.1 * n + 2.0), 3.6)
    ax = fig.subplots()
    x = np.arange(n)
    w = 0.38
    ax.bar(x - w / 2, t["orbital_years"], w, color=OKABE_ITO[0], label="orbit (lead + build and launch)")
    for k in range(n):
        ax.bar(x[k] + w / 2, t["terrestrial_years"][k], w, color=OKABE_ITO[1],
               hatch="//" if t["time_to_power_default"][k] else None, edgecolor="#000000", linewidth=0.4,
               label=("ground (grid connection, construction)" if k == 0 else None))
    if any(t["time_to_power_default"]):
        ax.bar([0], [0], color=OKABE_ITO[1], hatch="//", edgecolor="#000000", linewidth=0.4,
               label="ground, default lead time (no country source)")
    ax.set_xticks(x)
    ax.set_xticklabels([f"{r}\n{t['country'][k]}" for k, r in enumerate(res.regions)], fontsize=8)
    ax.set_ylabel("years to full power [year]")
    ax.legend(fontsize=7, loc="upper left")
    how = "max(grid, construction)" if res.parallel else "grid + construction"
    ax.set_title(f"Time to full power from {res.decision_year:g}; ground = {how}", fontsize=10)
    return fig


def pareto_chart(design_result, region: str | None = None):
    """Orbital cost per accelerator-hour against p95 RTT of every design a search
    evaluated, the Pareto front highlighted: one panel per region, or the chosen one.

    Parameters
    ----------
    design_result : DesignResult
        Of :func:`orbitcompute.design.optimize`.
    region : str, optional
        One region's panel (default: every region).

    Returns
    -------
    matplotlib.figure.Figure
        Feasible designs as grey dots, infeasible ones (availability below the search's
        limit) as open circles, the front as blue markers joined in cost order.
    """
    regions = list(design_result.regions)
    if not regions:
        raise InputError("design_result: no design was evaluated successfully, so there is nothing to plot; see "
                         "its error column")
    chosen = regions if region is None else [regions[design_result._region_index(region)]]
    n = len(chosen)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig = _figure(4.2 * cols, 3.4 * rows)
    axes = fig.subplots(rows, cols, squeeze=False)
    for j, name in enumerate(chosen):
        ax = axes[j // cols][j % cols]
        k = regions.index(name)
        c, p = design_result.cost[:, k], design_result.p95_ms[:, k]
        feas = design_result.feasible_in(k)
        other = ~feas & np.isfinite(c) & np.isfinite(p)
        ax.scatter(p[feas], c[feas], s=14, color="#999999", label="feasible design", zorder=2)
        if other.any():
            ax.scatter(p[other], c[other], s=14, facecolors="none", edgecolors="#999999",
                       label="path availability too low", zorder=2)
        front = design_result.front(k)
        fp = [pt.p95_ms[name] for pt in front]
        fc = [pt.cost_usd_per_accelerator_hour[name] for pt in front]
        ax.plot(fp, fc, "-o", color=OKABE_ITO[0], markersize=5, linewidth=1.2,
                label=f"Pareto front ({len(front)})", zorder=3)
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("p95 orbital RTT [ms]")
        ax.set_ylabel("orbital cost [USD/accelerator-hour]")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    for j in range(n, rows * cols):
        axes[j // cols][j % cols].set_visible(False)
    return fig
