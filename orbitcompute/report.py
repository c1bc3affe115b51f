"""Feasibility reports: one self-contained HTML file (and optional PDF) from a result.

:func:`write_report` turns a :class:`~orbitcompute.feasibility.FeasibilityResult` into a
directory with

* ``report.html``: the question and the verdict per region up front, maps, the design
  (orbit, eclipses, sizing, mass, launches), the cost waterfall, latency distributions,
  tornado and Monte Carlo, binding constraints and break-evens in words, every
  assumption with its source, versions and the scenario, and what the model leaves out.
  Figures are PNG embedded as ``data:`` URIs, the stylesheet is inline and a
  Content-Security-Policy forbids any fetch, so the file opens offline and never touches
  the network; the only web addresses are the links of the reference list.
* ``results.json``: :meth:`FeasibilityResult.to_json` plus the Monte Carlo summary
  (P(orbital cheaper) per region) and the tornado rows when present.
* ``regions.csv``: :meth:`FeasibilityResult.to_csv`.
* ``report.pdf`` with ``pdf=True`` (needs the optional ``weasyprint``).

The directory is built under a temporary sibling name and renamed into place at the
end: an interrupted or failing run leaves nothing behind, and an existing directory is
replaced (with ``force=True``) only once the new one is complete.

Examples
--------
>>> import tempfile, pathlib, orbitcompute as oc
>>> from orbitcompute.feasibility import shared_model
>>> from orbitcompute.report import write_report
>>> model = shared_model(oc.Scenario.default(), quick=True)
>>> out = write_report(model.run(), pathlib.Path(tempfile.mkdtemp()) / "report", model=model,
...                    monte_carlo=oc.monte_carlo(model, 200))
>>> sorted(p.name for p in out.iterdir())
['regions.csv', 'report.html', 'results.json']
>>> scenario_toml({"scenario": {"name": "demo"}, "workload": {"it_power": "1 MW"}}).splitlines()
['[scenario]', 'name = "demo"', '', '[workload]', 'it_power = "1 MW"']
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import json
import math
import os
import platform
import shutil
import tempfile
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import numpy as np

from . import plotting
from ._output import jsonable
from .scenario import scenario_toml  # noqa: F401  (re-exported: the report's reproduce section)
from .errors import InputError
from .feasibility import FeasibilityResult, MODEL_INPUTS, versions
from .sensitivity import _is_uncertain, default_studies

__all__ = ["REPORT_FILES", "scenario_toml", "write_report"]

#: Files of a report directory (``report.pdf`` only with ``pdf=True``).
REPORT_FILES = ("report.html", "results.json", "regions.csv")

#: Content-Security-Policy of the report: nothing may be fetched; images only from data: URIs.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

#: Data sources and methods cited in the report (title, link or None).
REFERENCES: tuple[tuple[str, str | None], ...] = (
    ("GeoNames cities (population >= 1 million), CC BY 4.0", "https://www.geonames.org/"),
    ("Natural Earth 1:110m admin-0 countries, public domain", "https://www.naturalearthdata.com/"),
    ("UN M49 standard country or area codes for statistical use", "https://unstats.un.org/unsd/methodology/m49/"),
    ("AWS Regions", "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html"),
    ("Google Cloud regions and zones", "https://cloud.google.com/compute/docs/regions-zones"),
    ("Microsoft Azure regions", "https://learn.microsoft.com/azure/reliability/regions-list"),
    ("Carbon intensity of electricity (Ember via Our World in Data), CC BY 4.0",
     "https://ourworldindata.org/grapher/carbon-intensity-electricity"),
    ("EIA, electricity sales and revenue by state", "https://www.eia.gov/electricity/annual/secrev-map.php"),
    ("Eurostat, electricity prices for non-household consumers (nrg_pc_205)",
     "https://ec.europa.eu/eurostat/databrowser/view/nrg_pc_205/default/table"),
    ("Wertz & Larson (eds.), Space Mission Analysis and Design, 3rd ed., 1999: power (11.4) and mass sizing", None),
    ("Short, Packey & Holt, A Manual for the Economic Evaluation of Energy Efficiency and Renewable Energy "
     "Technologies, NREL/TP-462-5173, 1995: levelized cost", None),
    ("Montenbruck & Gill, Satellite Orbits, 2000, section 3.4.2: conical shadow", None),
    ("Vallado & Crawford, SGP4 Orbit Determination (AIAA 2008-6770) and the sgp4 package", None),
)

#: What the model leaves out (from docs/feasibility.md, latency.md, power_thermal.md,
#: sun_eclipse.md and the economics module docstring).
LIMITATIONS: tuple[str, ...] = (
    "A representative subset of a large cluster (12 satellites; 4 in a quick run) carries the geometry; the "
    "cluster's internal links, their capacity and formation flying are not modelled.",
    "User-link and laser-link capacity of the relay are assumed sufficient: latency is propagation plus constant "
    "overheads (no queueing that grows with load, no link acquisition time, no pointing or beam limits). "
    "Without a relay, the ground segment caps the data the workload can move.",
    "Shadow without atmosphere (refraction and absorption blur the edge by seconds); the array temperature is a "
    "fixed assumption, not solved; one lumped thermal node per radiator; the power and radiator sizing per watt "
    "are held at the scenario's values in Monte Carlo and tornado studies (only mass and cost assumptions vary).",
    "Terrestrial sites are the public cloud regions at their country's (or US state's) average grid price and "
    "carbon intensity: no power-purchase agreements, no hourly carbon, no grid connection queues or land limits.",
    "Money is in each assumption's own year's dollars: no inflation, tax, insurance or financing terms beyond "
    "the discount rate; many cost assumptions are rough engineering estimates with wide ranges (see the table).",
    "Orbital risks that are hard to price are absent: debris and collision avoidance, radiation upsets beyond a "
    "shielding mass fraction, launch failures, servicing, end-of-life disposal and spectrum licensing.",
    "The accelerators' embodied carbon (equal on both sides) is left out of both; orbital carbon counts launch "
    "and spacecraft manufacture only.",
    "Latency covers population-weighted large cities (>= 1 million people) only; rural users and last-mile "
    "access networks are not modelled.",
)


# ----------------------------------------------------------------------------- helpers
def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _isnum(x) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool) and math.isfinite(x)


def _n(x, fmt: str = ",.2f", none: str = "n/a") -> str:
    return format(x, fmt) if _isnum(x) else none


def _png(fig, dpi: int = 110) -> tuple[str, int, int]:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    w, h = (int(round(x)) for x in fig.get_size_inches() * dpi)
    return base64.b64encode(buf.getvalue()).decode("ascii"), w, h


# ----------------------------------------------------------------------------- sections
class _Builder:
    """Collects the HTML of the report, section by section."""

    def __init__(self, result, mc, tornados, progress, notes: dict, studies: dict | None = None):
        self.r = result
        self.mc = mc
        self.tornados = tornados
        self.studies = studies or {}
        self.progress = progress
        self.notes = notes
        self.parts: list[str] = []
        self.n_figures = 0
        self.toc: list[tuple[str, str]] = []

    # -- primitives
    def add(self, text: str):
        self.parts.append(text)

    def h2(self, anchor: str, title: str):
        self.toc.append((anchor, title))
        self.add(f'<h2 id="{anchor}">{_e(title)}</h2>')

    def figure(self, name: str, make: Callable[[], Any], alt: str, caption: str):
        self.progress(f"figure: {name}")
        fig = make()
        data, w, h = _png(fig)
        self.n_figures += 1
        self.add(f'<figure id="fig-{name}"><img src="data:image/png;base64,{data}" width="{w}" height="{h}" '
                 f'alt="{_e(alt)}"><figcaption>Figure {self.n_figures}. {_e(caption)}</figcaption></figure>')

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "",
              num: Sequence[int] = ()):
        out = ['<div class="table-scroll"><table>']
        if caption:
            out.append(f"<caption>{_e(caption)}</caption>")
        out.append("<thead><tr>" + "".join(
            f'<th scope="col"{" class=num" if k in num else ""}>{_e(h)}</th>' for k, h in enumerate(header))
            + "</tr></thead><tbody>")
        for row in rows:
            cells = []
            for k, c in enumerate(row):
                raw = isinstance(c, _Raw)
                txt = c.html if raw else _e(c)
                cls = ' class="num"' if k in num else ""
                cells.append(f"<th scope=\"row\"{cls}>{txt}</th>" if k == 0 else f"<td{cls}>{txt}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table></div>")
        self.add("".join(out))


class _Raw:
    """HTML that is already escaped (a table cell with markup)."""

    def __init__(self, text: str):
        self.html = text


def _verdict_cell(v: str) -> _Raw:
    return _Raw(f'<span class="verdict verdict-{_e(v)}">{_e(v)}</span>')


def _site_index(result, region) -> int | None:
    """The index of the region's chosen site in the result's site table (None when the
    result carries no geometry)."""
    g = result.geometry
    if g is None or g.sites is None or region.terrestrial_site_index < 0:
        return None
    return region.terrestrial_site_index


def _is_quick(result) -> bool:
    """True if the geometry is the reduced one of ``FeasibilityModel(..., quick=True)``."""
    return result.geometry is not None and bool(result.geometry.quick)


def _head(b: _Builder):
    r = b.r
    s = r.scenario
    w = s.workload
    req = w["latency_requirement"].m_as("ms")
    c = s.cluster
    orbit = (f"a {c['kind'].replace('_', '-')} cluster at {c['altitude'].m_as('km'):g} km"
             + (f" (LTAN {c['ltan'].m_as('hour'):g} h)" if c["kind"] == "sun_synchronous" else
                f" ({c['inclination'].m_as('deg'):g} deg)"))
    reach = ("over a relay constellation with laser links" if s.relay["kind"] != "none"
             else "through ground stations")
    b.add(f"<header><p class=\"muted\">orbitcompute feasibility report</p><h1>{_e(s.name)}</h1>")
    power = f"{w['it_power'].to_compact():.4g~P}"
    b.add(f'<p class="question">For users in each region, is a {_e(power)} '
          f"{_e(w['accelerator'])} compute workload that needs a p95 round-trip time of at most {req:g} ms "
          f"better served by {_e(orbit)} reached {reach}, or by the cheapest public cloud region that meets the "
          "requirement?</p>")
    if s.scenario.get("description"):
        b.add(f'<p class="muted">{_e(s.scenario["description"])}</p>')
    b.add("</header>")
    if _is_quick(r):
        b.add('<p class="banner" role="note"><strong>Quick geometry.</strong> This result was computed with a '
              "coarser sunlight step (5x), fewer cluster satellites and a shorter latency span "
              "(<code>quick=True</code>): fine for checking a pipeline, not for a decision.</p>")
    n = len(r.regions)
    orb = [x.region for x in r.regions if x.verdict == "orbital"]
    if orb:
        head = f"Orbital wins in {len(orb)} of {n} regions ({', '.join(orb)})."
    else:
        head = f"Terrestrial wins in all {n} regions."
    ratios = [x.cost_ratio for x in r.regions]
    cost = r.regions[0].orbital["cost_per_accelerator_hour"] if r.regions else float("nan")
    if ratios:
        lo, hi = _n(min(ratios), ".1f"), _n(max(ratios), ".1f")
        times = f"{lo} times" if lo == hi else f"{lo} to {hi} times"
        b.add(f'<p class="headline">{_e(head)} Orbital compute costs {_n(cost)} USD per delivered '
              f"accelerator-hour, {times} the terrestrial cost.</p>")
    else:
        b.add(f'<p class="headline">{_e(head)}</p>')
    rows = []
    for x, ratio in zip(r.regions, ratios):
        rows.append([
            x.region, _verdict_cell(x.verdict), _Raw(f'<span class="wide">{_e(x.binding_constraint)}</span>'),
            f"{_n(x.orbital['cost_per_accelerator_hour'])} / {_n(x.terrestrial['cost_per_accelerator_hour'])} "
            f"(x{_n(ratio, '.2f')})",
            f"{_n(x.orbital_rtt_ms['p95'], '.0f')} ({_n(100 * x.orbital_rtt_ms['availability'], '.1f')} %) / "
            f"{_n(x.terrestrial_rtt_ms['p95'], '.0f')}",
            f"{_n(x.orbital['co2_kg_per_accelerator_hour'], '.2f')} / "
            f"{_n(x.terrestrial['co2_kg_per_accelerator_hour'], '.3f')}"])
    b.table(["region", "verdict", "binding constraint",
             "cost orbital / terrestrial [USD per accelerator-hour] (ratio)",
             "p95 RTT orbital (path available) / terrestrial [ms]",
             "carbon orbital / terrestrial [kgCO2 per accelerator-hour]"], rows,
            caption="Verdict per region", num=(3, 4, 5))
    b.add('<p class="note">Terrestrial: the cheapest cloud region meeting the requirement ('
          + "; ".join(f"{_e(x.region)}: {_e(x.terrestrial_site)}" for x in r.regions) + ").</p>")
    b.add(f'<p class="note">The verdict is orbital only where the orbital option meets the {req:g} ms p95 '
          "requirement with a path at least 99 % of the time and is cheaper (or the ground cannot meet it). "
          "Costs are levelized: present value of all costs over present value of delivered "
          "accelerator-hours.</p>")


def _maps(b: _Builder):
    r = b.r
    b.h2("maps", "Maps")
    if r.geometry is None:
        b.add("<p>The result carries no geometry (read back from JSON?): maps are omitted.</p>")
        return
    verdicts = ", ".join(f"{x.region}: {x.verdict}" for x in r.regions)
    b.figure("verdict-map", lambda: plotting.verdict_map(r),
             f"World map of countries coloured by their region's verdict. {verdicts}.",
             "Verdict per user region; each label gives the orbital / terrestrial cost ratio. Countries take the "
             "region of their cities, or of their continent.")
    p50 = ", ".join(f"{x.region} {_n(x.orbital_rtt_ms['p50'], '.0f')} ms" for x in r.regions)
    b.figure("latency-map", lambda: plotting.latency_map(r),
             f"World map of countries coloured by the median orbital round-trip time of their region: {p50}.",
             "Median orbital round-trip time per region (population- and time-weighted).")


def _design(b: _Builder):
    r = b.r
    s = r.scenario
    d = r.design
    c = s.cluster
    b.h2("design", "Design")
    rows = [["cluster", f"{c['kind']}, {c['altitude'].m_as('km'):g} km, "
             + (f"LTAN {c['ltan'].m_as('hour'):g} h" if c["kind"] == "sun_synchronous"
                else f"inclination {c['inclination'].m_as('deg'):g} deg, {c['planes']} planes")],
            ["satellites", f"{d['satellites']:,} of {d['it_power_per_satellite_w'] / 1e3:,.0f} kW compute "
             f"({s.workload['it_power'].m_as('MW'):,.1f} MW)"]]
    if s.relay["kind"] != "none":
        rl = s.relay
        rows.append(["relay", f"{rl['kind']} {rl['total']:,} satellites in {rl['planes']} planes at "
                     f"{rl['altitude'].m_as('km'):g} km, {rl['inclination'].m_as('deg'):g} deg"])
    else:
        rows.append(["relay", "none: users reach the cluster through ground stations and fibre"])
    rows += [["user path", d["latency_architecture"]],
             ["ground stations", f"{len(d['ground_stations'])}: {', '.join(d['ground_stations'])}; mean time in "
              f"contact {100 * float(np.mean(d['station_contact_fraction'] or [0])):.1f} % each"],
             ["sunlight", f"{100 * d['sunlit_fraction']:.1f} % of full sunlight over the year; "
              f"{100 * d['shadow_fraction_year']:.2f} % of the year in shadow; worst orbit "
              f"{100 * d['worst_orbit_shadow']:.1f} % in shadow"],
             ["power system", f"array {d['array_w_per_w']:.2f} W at beginning of life per W of compute "
              f"({d['array_m2_per_kw']:.2f} m² per kW); battery {d['battery_wh_per_kw']:,.0f} Wh per kW"],
             ["radiator", f"{d['radiator_m2_per_kw']:.2f} m² per kW at {d['radiator_temperature_c']:.0f} °C "
              f"({d['radiator_net_w_m2']:,.0f} W/m² net)"],
             ["launch mass", f"{d['launch_kg_per_kw']:,.1f} kg per kW of compute; "
              f"{_n(r.regions[0].orbital['launch_mass_kg'] / 1e3 if r.regions else None, ',.0f')} t per "
              f"generation; {_n(r.regions[0].orbital['launches'] if r.regions else None, ',.0f')} launches over "
              "the horizon"]]
    b.table(["item", "value"], rows, caption="Orbital design")
    seasons = d.get("eclipse_seasons") or []
    if seasons:
        b.table(["season", "start (UTC)", "end (UTC)", "days"],
                [[str(k + 1), x["start"], x["end"], _n(x["days"], ".1f")] for k, x in enumerate(seasons)],
                caption="Eclipse seasons of a cluster satellite", num=(3,))
    else:
        b.add("<p>No eclipse season: the cluster satellite never enters the Earth's shadow in the year.</p>")
    g = r.geometry
    if g is None:
        b.add("<p>The result carries no geometry (read back from JSON?): design figures are omitted.</p>")
        return
    b.figure("ground-tracks", lambda: plotting.ground_tracks(r),
             "World map with the ground tracks of the compute cluster (solid blue) and of a sample of relay "
             "satellites (dashed orange) over one cluster orbit, and the ground stations as triangles.",
             "Ground tracks over one orbit of the cluster.")
    b.figure("pass-timeline", lambda: plotting.pass_timeline(r),
             f"Timeline of {len(g.passes)} contact windows between cluster satellites and "
             f"{len(g.passes.site_names)} ground stations over the first day.",
             "Contacts of the cluster with the ground stations over a day (10° elevation mask).")
    b.figure("eclipse-year", lambda: plotting.eclipse_year(r),
             f"Two panels over the year: the fraction of each orbit in shadow (peaking at "
             f"{100 * d['worst_orbit_shadow']:.0f} %) and the beta angle with the eclipse-free limit.",
             "Eclipses and beta angle of a cluster satellite over the year.")
    b.figure("power-orbit", lambda: plotting.power_orbit(r),
             "Two panels over the worst orbit: array output, load and shunted power in kW, and the battery's "
             "stored energy in kWh falling through the eclipse.",
             "Energy balance of one satellite over its worst orbit at end of life.")
    b.figure("sizing", lambda: plotting.sizing(r),
             f"Bar charts for one satellite: array {d['array_m2_per_kw'] * d['it_power_per_satellite_w'] / 1e3:,.0f}"
             f" m² and radiator {d['radiator_m2_per_kw'] * d['it_power_per_satellite_w'] / 1e3:,.0f} m², "
             f"power in kW, battery {d['battery_wh_per_kw'] * d['it_power_per_satellite_w'] / 1e6:,.0f} kWh.",
             "Sizing of one satellite.")
    mb = plotting.mass_budget_of(r)
    b.figure("mass", lambda: plotting.mass_breakdown(r),
             f"Stacked bar of one satellite's launch mass, {mb.launch_mass_kg / 1e3:,.2f} t, by item, and the "
             f"cluster's launch mass against the payload per launch.",
             "Mass budget of one satellite and launches needed.")
    b.table(["item", "mass [kg]", "how"], [[x["item"], _n(x["mass_kg"], ",.1f"), x["assumption"]]
                                          for x in mb.table()],
            caption="Mass budget of one satellite", num=(1,))


def _cost(b: _Builder):
    r = b.r
    b.h2("cost", "Cost")
    items = plotting.orbital_cost_items(r)
    big = max(items, key=lambda kv: kv[1]) if items else ("n/a", float("nan"))
    total = sum(v for _, v in items)
    b.figure("cost-waterfall", lambda: plotting.cost_waterfall(r),
             f"Waterfall of orbital cost items per accelerator-hour summing to {total:.2f} USD (largest: "
             f"{big[0]}, {big[1]:.2f} USD), next to the terrestrial cost of each region's site.",
             "Orbital cost items (present values per delivered accelerator-hour) against the terrestrial totals.")
    b.table(["item", "USD per accelerator-hour", "share"],
            [[k, _n(v, ".3f"), f"{100 * v / total:.1f} %"] for k, v in items],
            caption="Orbital cost items", num=(1, 2))


def _latency(b: _Builder):
    r = b.r
    b.h2("latency", "Latency")
    if r.geometry is not None:
        b.figure("latency-cdf", lambda: plotting.latency_cdf(r),
                 "One panel per region with cumulative distributions of round-trip time: orbital (solid) and "
                 "terrestrial to the chosen site (dashed), with the requirement as a dotted line.",
                 "Round-trip time distributions per region.")
    b.table(["region", "orbital p50", "orbital p95", "orbital p99", "path available", "terrestrial p50",
             "terrestrial p95"],
            [[x.region, _n(x.orbital_rtt_ms["p50"], ".1f"), _n(x.orbital_rtt_ms["p95"], ".1f"),
              _n(x.orbital_rtt_ms["p99"], ".1f"), f"{_n(100 * x.orbital_rtt_ms['availability'], '.1f')} %",
              _n(x.terrestrial_rtt_ms["p50"], ".1f"), _n(x.terrestrial_rtt_ms["p95"], ".1f")]
             for x in r.regions], caption="Round-trip times [ms], weighted by population", num=(1, 2, 3, 4, 5, 6))


def _capacity(b: _Builder):
    r = b.r
    d = r.design
    b.h2("capacity", "Link capacity")
    w = d.get("workload", {})
    what = (f"preset {w['preset']!r}, " if w.get("preset") else "") + (
        f"{w['bits_per_flop']:.3g} bit/FLOP" if w.get("bits_per_flop") is not None
        else f"{_n((w.get('bytes_per_accelerator_hour') or 0) / 1e9, ',.3g')} GB per accelerator-hour")
    arch = ("the cluster's optical links into the relay, then the relay satellites in view of each region's "
            "places, each giving the cluster a share of its user-link capacity"
            if d.get("capacity_architecture") == "relay" else
            "optical downlinks from the cluster to the ground stations in contact whose sky is clear, then fibre")
    mode = ("buffered: work waits for capacity" if w.get("buffered")
            else "interactive: work that cannot be carried when it is done is lost")
    b.add(f"<p>The workload moves {_e(what)}: {_n(d['demand_gbps'], ',.1f')} Gbit/s while it computes "
          f"({mode}). Capacity comes from {_e(arch)}. Delivered compute is the installed "
          "compute times the fraction of the demand the links carry, which divides the orbital cost per "
          "accelerator-hour.</p>")
    b.table(["region", "demand [Gbit/s]", "mean capacity [Gbit/s]", "served", "orbital [USD/acc-h]",
             "binding"],
            [[x.region, _n(x.capacity.get("demand_gbps"), ",.1f"), _n(x.capacity.get("capacity_gbps"), ",.1f"),
              f"{_n(100 * x.capacity.get('served_fraction', float('nan')), '.1f')} %",
              _n(x.orbital["cost_per_accelerator_hour"]), x.binding_code] for x in r.regions],
            caption="Capacity, demand and the fraction of demand served per region", num=(1, 2, 3, 4))
    wx = d.get("weather")
    if wx:
        b.table(["station", "clear sky", "in contact", "rate in contact [Gbit/s]"],
                [[x["name"], f"{_n(100 * x['clear_sky_fraction'], '.1f')} %",
                  f"{_n(100 * x['contact_fraction'], '.1f')} %", _n(x["mean_rate_in_contact_gbps"], ",.1f")]
                 for x in wx["stations"]],
                caption=(f"Ground stations: at least one clear {_n(100 * wx['availability_independent'], '.1f')} % "
                         f"of the time with independent weather, {_n(100 * wx['availability_comonotone'], '.1f')} % "
                         "with perfectly correlated weather"), num=(1, 2, 3))
        label = {"site": "each site's clear-sky statistics", "flat": "one flat clear-sky fraction (assumption "
                 "clear_sky_fraction)", "clear": "always clear"}
        b.table(["weather", "across stations", "served", "mean capacity [Gbit/s]", "orbital [USD/acc-h]"],
                [[label[x["weather"]] + (" (this scenario)" if x["scenario"] else ""), x["correlation"],
                  f"{_n(100 * x['served_fraction'], '.1f')} %", _n(x["capacity_gbps"], ",.1f"),
                  _n(x["orbital_cost_per_accelerator_hour"])] for x in wx["alternatives"]],
                caption="What differs with the weather: the same downlinks under each weather model", num=(2, 3, 4))
    if "intensity_curve" in d:
        b.figure("intensity-curve", lambda: plotting.intensity_curve(r),
                 "Log-log lines of orbital cost per delivered accelerator-hour against bits per FLOP, one per "
                 "region, flat while the links carry everything and rising once they bind; vertical lines mark "
                 "the workload presets; the grey band is the terrestrial cost.",
                 "Orbital cost versus the workload's data intensity per region.")
    if r.geometry is not None and r.geometry.capacity_series_bps is not None:
        b.figure("capacity-series", lambda: plotting.capacity_series(r),
                 "Lines of capacity to each region over the analysed window, with the workload's demand as a "
                 "dashed line.", "Link capacity over time per region.")


def _time(b: _Builder):
    tl, xo = b.studies.get("timeline"), b.studies.get("crossover")
    if tl is None and xo is None:
        return
    b.h2("time", "Deployment timeline and crossover")
    if tl is not None:
        o = tl.orbital
        b.add(f"<p>Orbit reaches full power {_n(o['years_to_full_power'], '.1f')} years after the decision "
              f"({_n(o['lead_time_years'], '.1f')} years of lead time, then {_n(o['production_years'], '.1f')} "
              f"years to build {_n(o['launch_mass_kg'] / 1e3, ',.0f')} t and {_n(o['launch_years'], '.1f')} years "
              f"for {_n(o['launches'], ',.0f')} launches, whichever is longer). On the ground the grid connection and "
              "construction at the chosen site's country set it "
              f"({'in parallel' if tl.parallel else 'one after the other'}); rows marked * use the documented "
              "default lead time (no source for that country).</p>")
        t = tl.table
        b.table(["region", "site country", "ground [years]", "orbit [years]", "orbit earlier by",
                 "orbital [USD/acc-h]", "with delay", "terrestrial [USD/acc-h]", "with delay", "cheaper",
                 "with delay"],
                [[t["region"][k], t["country"][k] + (" *" if t["time_to_power_default"][k] else ""),
                  _n(t["terrestrial_years"][k], ".1f"), _n(t["orbital_years"][k], ".1f"),
                  _n(t["orbit_earlier_years"][k], ".1f"), _n(t["orbital_usd_per_accelerator_hour"][k]),
                  _n(t["orbital_usd_per_accelerator_hour_with_delay"][k]),
                  _n(t["terrestrial_usd_per_accelerator_hour"][k]),
                  _n(t["terrestrial_usd_per_accelerator_hour_with_delay"][k]), t["cheaper"][k],
                  t["cheaper_with_delay"][k]] for k in range(len(t["region"]))],
                caption="Years to full power and the cost per accelerator-hour including the value of the hours "
                        "not delivered while waiting", num=(2, 3, 4, 5, 6, 7, 8))
        b.figure("timeline", lambda: plotting.timeline_chart(tl),
                 "Bars of years to full power per region, orbit against ground.", "Time to full power per region.")
    if xo is not None:
        curves = "; ".join(f"{k}: {c.describe()}" for k, c in xo.curves.items())
        b.add(f"<p>Learning curves: {_e(curves)}. Per region the crossover year is the first year in which an "
              "orbital build is cheaper, all in, than a terrestrial one"
              f"{' (costs including delay)' if xo.include_delay else ''}: "
              + "; ".join(f"{_e(r)}: {_e(xo.label(r))}" for r in xo.regions) + ".</p>")
        b.figure("crossover", lambda: plotting.crossover_chart(xo),
                 "One panel per region: orbital and terrestrial cost per accelerator-hour against the year of "
                 "build, with the crossover year marked where there is one.",
                 "Cost per accelerator-hour by year of build, with the learning curves.")


def _sobol(b: _Builder):
    so = b.studies.get("sobol")
    if so is None:
        return
    b.h2("sobol", "Global sensitivity (Sobol' indices)")
    conv = so.convergence() if so.ST_half is not None else {}
    b.add(f"<p>First-order (S1: the share of the variance an assumption explains alone) and total-order "
          f"(ST: with its interactions) Sobol' indices with SALib, n = {so.n:,} "
          f"({so.n_evaluations:,} model points), {100 * so.conf_level:g} % bootstrap intervals, the same "
          "distributions as the Monte Carlo. An assumption with ST near 0 can be fixed.</p>")
    rows = []
    for o in so.outputs:
        for r in so.top(o, 5):
            change = f"{conv[o]['max_abs_ST_change']:.3f}" if o in conv else "n/a"
            rows.append([o, r["assumption"], f"{r['S1']:.3f} ± {r['S1_conf']:.3f}", f"{r['ST']:.3f} ± "
                         f"{r['ST_conf']:.3f}", change])
    b.table(["output", "assumption", "S1", "ST", "max |ST(n) - ST(n/2)|"], rows,
            caption="The five assumptions with the largest total-order index per output", num=(2, 3, 4))
    first = so.outputs[0]
    b.figure("sobol", lambda: plotting.sobol_chart(so, first),
             f"Horizontal bars of S1 and ST with their intervals for {first}.", f"Sobol' indices of {first}.")


def _design_search(b: _Builder):
    ds = b.studies.get("design")
    if ds is None:
        return
    b.h2("design-search", "Design search")
    n_ok = int(np.sum([e == "" for e in ds.errors]))
    b.add(f"<p>{len(ds.designs)} designs evaluated ({n_ok} without error) over "
          + ", ".join(_e(v.key) for v in ds.space.variables)
          + f", assumptions held at the scenario's values; objective {_e(ds.settings.get('objective', ''))} "
          f"over the regions; {_n(ds.elapsed_s, ',.0f')} s. Each front point is a reproducible scenario "
          "(DesignResult.write_toml).</p>")
    rows = []
    for reg in ds.regions:
        for pt in ds.front(reg):
            rows.append([reg, ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                                        for k, v in pt.values.items()),
                         _n(pt.cost_usd_per_accelerator_hour[reg]), _n(pt.p95_ms[reg], ".1f")])
    b.table(["region", "design", "orbital [USD/acc-h]", "p95 RTT [ms]"], rows,
            caption="Pareto front per region: no other design is both cheaper and faster", num=(2, 3))
    b.figure("pareto", lambda: plotting.pareto_chart(ds),
             "Scatter of orbital cost against p95 round-trip time of every design, front highlighted, per region.",
             "Design search: cost versus latency.")


def _uncertainty(b: _Builder):
    b.h2("uncertainty", "Uncertainty: tornado and Monte Carlo")
    if not b.tornados:
        b.add(f"<p>No tornado study: {_e(b.notes['tornado'])}</p>")
    for k, t in enumerate(b.tornados):
        top = ", ".join(t.assumption[:3])
        b.figure(f"tornado-{k + 1}", lambda t=t: plotting.tornado_chart(t),
                 f"Tornado diagram of {t.output}: bars from the base value {t.base_value:.3g} to the output with "
                 f"each assumption at its low and high; largest swings: {top}.",
                 f"One-at-a-time sensitivity of {t.output} (each assumption moved alone to its low and high).")
    if b.mc is None:
        b.add(f"<p>No Monte Carlo study: {_e(b.notes['monte_carlo'])}</p>")
        return
    mc = b.mc
    ratios = [k for k in mc.outputs if k.startswith("ratio:")]
    shown = [k.split(":", 1)[1] for k in ratios if np.isfinite(mc.outputs[k]).any()]
    if shown:
        b.figure("monte-carlo", lambda: plotting.monte_carlo_chart(mc, regions=shown),
                 f"Histograms of the orbital / terrestrial cost ratio per region from {mc.n:,} draws, with parity "
                 "at 1.", f"Monte Carlo over every ranged assumption ({mc.n:,} draws, seed {mc.seed}).")
    rows = []
    for k in ratios:
        v = mc.outputs[k]
        v = v[np.isfinite(v)]
        p5, p50, p95 = (np.percentile(v, [5, 50, 95]) if v.size else (np.nan,) * 3)
        rows.append([k.split(":", 1)[1], f"{100 * mc.probability_less(k, 1.0):.2f} %", _n(p5), _n(p50), _n(p95)])
    b.table(["region", "P(orbital cheaper)", "ratio p5", "ratio p50", "ratio p95"], rows,
            caption="Probability that orbital is cheaper, and the cost ratio's spread", num=(1, 2, 3, 4))
    b.add(f'<p class="note">The sampling standard error of a probability p from n draws is sqrt(p (1 - p) / n): '
          f"at most {50 / math.sqrt(max(mc.n, 1)):.2f} percentage points here.</p>")


def _break_even_words(b: _Builder):
    r = b.r
    s = r.scenario
    b.h2("binding", "Binding constraints and break-even values")
    lp = s.assumptions["launch_price"].value.m_as("USD/kg")
    sp = s.assumptions["array_specific_power"].value.m_as("W/kg")
    co2 = s.assumptions["launch_co2"].value.m_as("kg/kg")
    prices = None
    if r.geometry is not None and r.geometry.sites is not None:
        prices = [a.value.m_as("USD/kWh") for a in r.geometry.sites.electricity_price()]
    b.add("<dl>")
    for x in r.regions:
        be = x.break_even
        items = [f"<strong>Binding constraint:</strong> {_e(x.binding_constraint)}."]
        v = be.get("launch_price_usd_per_kg")
        items.append(f"Launch price at which orbital costs as much as terrestrial: {_n(v, ',.0f')} USD/kg "
                     f"(scenario {lp:,.0f} USD/kg)." if _isnum(v) else
                     "Launch price break-even: none, orbital costs more than terrestrial even with free launch.")
        v = be.get("array_specific_power_w_per_kg")
        items.append(f"Array specific power at parity: {_n(v, ',.0f')} W/kg (scenario {sp:,.0f} W/kg)."
                     if _isnum(v) else
                     "Array specific power break-even: none, orbital costs more even with weightless solar arrays.")
        v = be.get("electricity_price_usd_per_kwh")
        j = _site_index(r, x)
        site_price = f" (the site pays {prices[j]:.3f} USD/kWh)" if prices is not None and j is not None else ""
        items.append(f"Electricity price at which the terrestrial site costs as much as orbital: {_n(v, '.3f')} "
                     f"USD/kWh{site_price}." if _isnum(v) else
                     "Electricity price break-even: none, the site costs more than orbital even with free "
                     "electricity.")
        v = be.get("launch_co2_kg_per_kg")
        items.append(f"Launch emission factor at which orbital carbon per accelerator-hour equals the site's: "
                     f"{_n(v, ',.1f')} kgCO2/kg (scenario {co2:,.0f} kgCO2/kg)." if _isnum(v) else
                     "Carbon break-even: none, orbital emits more than the site per accelerator-hour even with "
                     "zero-emission launches (spacecraft manufacture alone exceeds the site's grid emissions).")
        b.add(f"<dt><strong>{_e(x.region)}</strong>: {_verdict_cell(x.verdict).html}</dt><dd><ul>"
              + "".join(f"<li>{i if i.startswith('<strong>') else _e(i)}</li>" for i in items) + "</ul></dd>")
    b.add("</dl>")
    b.add('<p class="note">Cost is linear in the launch price and in 1 / specific power, and the terrestrial '
          "cost in the electricity price, so each break-even comes from two exact evaluations of the model "
          "with every other assumption at its scenario value.</p>")


def _assumptions(b: _Builder):
    r = b.r
    b.h2("assumptions", "Assumptions")
    rows = []
    for name, a in r.scenario.assumptions.items():
        lo = None if a.low is None else float(a.low.m)
        hi = None if a.high is None else float(a.high.m)
        if name in MODEL_INPUTS and _is_uncertain(a):
            role = f"varied ({getattr(a, 'distribution', 'triangular')})"
        else:
            role = "held"
        rows.append([_Raw(f"<code>{_e(name)}</code>"), f"{float(a.value.m):.6g}", a.unit or "-",
                     "-" if lo is None else f"{lo:.6g}", "-" if hi is None else f"{hi:.6g}",
                     a.source, "" if a.year is None else str(a.year), role])
    b.table(["name", "value", "unit", "low", "high", "source", "year", "in studies"], rows,
            caption=f"All {len(rows)} assumptions", num=(1, 3, 4))
    b.add('<p class="note">"varied": read by the cost model and moved by the tornado and Monte Carlo studies '
          '(with the distribution shown); "held": used at its value where the model needs it (power and '
          "radiator sizing from the orbit, site data), not moved by the studies.</p>")


def _reproduce(b: _Builder, generated: str):
    r = b.r
    b.h2("reproduce", "Versions and scenario")
    vers = dict(r.versions)
    import matplotlib

    vers.setdefault("matplotlib", matplotlib.__version__)
    vers["python"] = platform.python_version()
    b.table(["package", "version"], [[k, v] for k, v in vers.items()], caption="Versions")
    b.add(f"<p>Generated {_e(generated)} from scenario <code>{_e(r.scenario.source)}</code>. The same numbers "
          "are in <code>results.json</code> and <code>regions.csv</code> next to this file. Save the text below "
          "as <code>scenario.toml</code> and run <code>orbitcompute report scenario.toml --out DIR</code> to "
          "reproduce this report.</p>")
    b.add(f"<details open><summary>scenario.toml</summary><pre><code>{_e(scenario_toml(r.scenario.to_dict()))}"
          "</code></pre></details>")


def _limits(b: _Builder):
    b.h2("limits", "What this model leaves out")
    b.add("<ul>" + "".join(f"<li>{_e(x)}</li>" for x in LIMITATIONS) + "</ul>")


def _references(b: _Builder):
    b.h2("references", "References")
    out = ['<ol class="refs">']
    for title, url in REFERENCES:
        link = f' <a href="{_e(url)}" rel="noreferrer">{_e(url)}</a>' if url else ""
        out.append(f"<li>{_e(title)}.{link}</li>")
    out.append("</ol>")
    b.add("".join(out))


def _html(result, mc, tornados, progress, notes: dict, generated: str,
          studies: dict | None = None) -> tuple[str, int]:
    b = _Builder(result, mc, tornados, progress, notes, studies)
    progress("summary")
    _head(b)
    head_at = len(b.parts)
    _maps(b)
    _design(b)
    _cost(b)
    _latency(b)
    _capacity(b)
    _time(b)
    _uncertainty(b)
    _sobol(b)
    _design_search(b)
    _break_even_words(b)
    _assumptions(b)
    _reproduce(b, generated)
    _limits(b)
    _references(b)
    toc = ('<nav class="toc" aria-label="Contents"><h2 id="contents">Contents</h2><ol>'
           + "".join(f'<li><a href="#{a}">{_e(t)}</a></li>' for a, t in b.toc) + "</ol></nav>")
    b.parts.insert(head_at, toc)
    tpl = Template(resources.files("orbitcompute").joinpath("data", "report", "template.html").read_text("utf-8"))
    css = resources.files("orbitcompute").joinpath("data", "report", "report.css").read_text("utf-8")
    csp = html.escape(CSP, quote=False).replace('"', "&quot;")  # single quotes stay readable
    page = tpl.substitute(title=_e(f"Feasibility report: {result.scenario.name}"), css=css, csp=csp,
                          version=_e(versions().get("orbitcompute", "")), body="\n".join(b.parts))
    return page, b.n_figures


# ----------------------------------------------------------------------------- public
def _results_json(result, mc, tornados, studies: dict | None = None) -> str:
    data = json.loads(result.to_json())
    for key, study in (studies or {}).items():
        if study is not None:
            data[key] = json.loads(study.to_json())
    if mc is not None:
        regions = [k.split(":", 1)[1] for k in mc.outputs if k.startswith("ratio:")]
        per_region = {}
        for reg in regions:
            v = mc.outputs[f"ratio:{reg}"]
            v = v[np.isfinite(v)]
            p = np.percentile(v, [5, 50, 95]) if v.size else [float("nan")] * 3
            per_region[reg] = {"p_orbital_cheaper": mc.probability_less(f"ratio:{reg}", 1.0),
                               "ratio_p5": float(p[0]), "ratio_p50": float(p[1]), "ratio_p95": float(p[2])}
        data["monte_carlo"] = jsonable({"n": mc.n, "seed": mc.seed if isinstance(mc.seed, (int, type(None)))
                                           else repr(mc.seed), "regions": per_region,
                                           "summary": list(mc.summary().rows())})
    if tornados:
        data["tornado"] = jsonable([{"output": t.output, "output_unit": t.output_unit, "base_value": t.base_value,
                                        "rows": list(t.rows())} for t in tornados])
    return json.dumps(data, indent=1, allow_nan=False)


def _tornado_list(tornado) -> list:
    if tornado is None:
        return []
    if isinstance(tornado, (list, tuple)):
        return list(tornado)
    return [tornado]


def _check_pdf() -> Any:
    try:
        import weasyprint
    except ImportError as exc:  # the optional extra
        raise ImportError(
            "pdf=True needs the optional weasyprint package: pip install weasyprint (it also needs the Pango "
            "libraries, e.g. apt-get install libpango-1.0-0 libpangoft2-1.0-0); or open report.html in a browser "
            "and print it to PDF") from exc
    return weasyprint


def write_report(result, out_dir, *, model=None, monte_carlo=None, tornado=None, timeline=None, crossover=None,
                 sobol=None, design=None, notes: dict[str, str] | None = None, force: bool = False,
                 pdf: bool = False, progress: Callable[[str], None] | None = None) -> Path:
    """Write a feasibility report directory: ``report.html``, ``results.json``, ``regions.csv``.

    Parameters
    ----------
    result : FeasibilityResult
        From :meth:`FeasibilityModel.run` (with its geometry, for the figures).
    out_dir : str or path-like
        The report directory; it must not exist unless ``force``.  Its parent is created
        if missing.
    model : FeasibilityModel, optional
        Runs the studies not given through :func:`orbitcompute.sensitivity.default_studies` (a
        tornado of the cost ratio of the region closest to parity, a Monte Carlo of the
        scenario's ``analysis.draws`` draws with ``analysis.seed``, the timeline and the
        crossover); the report itself computes nothing.  Without a model or studies, those
        sections say so.
    monte_carlo : MonteCarloResult, optional
        A Monte Carlo run of the model (:func:`orbitcompute.monte_carlo`).
    tornado : TornadoResult or sequence of TornadoResult, optional
        Tornado studies (:func:`orbitcompute.tornado`), one figure each.
    timeline, crossover : TimelineResult, CrossoverResult, optional
        :func:`orbitcompute.timeline.timeline` and :func:`orbitcompute.crossover` (with the
        shipped launch-price, spacecraft and accelerator learning curves when a model is
        given and they are not).
    sobol : SobolResult, optional
        :func:`orbitcompute.sobol` (not run by the report: it takes tens of seconds).
    design : DesignResult, optional
        :func:`orbitcompute.optimize` (not run by the report: it takes minutes).
    notes : dict of str to str, optional
        Why a study is missing (``"tornado"``, ``"monte_carlo"``), shown in its section; as
        returned by :func:`orbitcompute.sensitivity.default_studies`.
    force : bool
        Replace an existing ``out_dir``, once the new report is complete.
    pdf : bool
        Also write ``report.pdf`` with weasyprint (an optional dependency).
    progress : callable, optional
        ``progress(step: str)`` called as each stage starts.

    Returns
    -------
    pathlib.Path
        ``out_dir``.

    Raises
    ------
    FileExistsError
        ``out_dir`` exists and ``force`` is False (or it is a file).
    ImportError
        ``pdf=True`` without weasyprint (checked before any work).
    """

    if not isinstance(result, FeasibilityResult):
        raise InputError(f"result: expected the FeasibilityResult of FeasibilityModel.run(), got "
                         f"{type(result).__name__}")
    progress = progress or (lambda step: None)
    out = Path(out_dir)
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise FileExistsError(f"{out} exists and is not a directory; remove it or choose another --out")
        if not force:
            raise FileExistsError(f"report directory {out} exists; pass force=True (--force on the command "
                                  "line) to replace it, or choose another directory")
    weasy = _check_pdf() if pdf else None
    if model is not None:  # the model layer runs the studies not given; the report only lays them out

        done = default_studies(model, result, tornado=tornado, monte_carlo=monte_carlo, timeline=timeline,
                           crossover=crossover, progress=progress)
        tornado, monte_carlo, timeline, crossover = (done[k] for k in ("tornado", "monte_carlo", "timeline",
                                                                       "crossover"))
        notes = {**done["notes"], **(notes or {})}
    tornados = _tornado_list(tornado)
    mc = monte_carlo
    missing = ("write_report was given no model and no study results; pass model= (the FeasibilityModel), or "
               "monte_carlo= / tornado=, to include them")
    notes = {"tornado": missing, "monte_carlo": missing, **(notes or {})}
    studies = {"timeline": timeline, "crossover": crossover, "sobol": sobol, "design_search": design}
    generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a report is an ordinary directory
        progress("results.json and regions.csv")
        (tmp / "results.json").write_text(_results_json(result, mc, tornados, studies), encoding="utf-8")
        result.to_csv(tmp / "regions.csv")
        page, _ = _html(result, mc, tornados, progress, notes, generated,
                        {"timeline": timeline, "crossover": crossover, "sobol": sobol, "design": design})
        (tmp / "report.html").write_text(page, encoding="utf-8")
        if weasy is not None:
            progress("report.pdf")
            weasy.HTML(string=page, base_url=str(tmp)).write_pdf(str(tmp / "report.pdf"))
        progress("moving the report into place")
        _place(tmp, out, force)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _place(tmp: Path, out: Path, force: bool) -> None:
    """Rename the finished ``tmp`` to ``out``; an existing ``out`` (``force``) is moved
    aside first and deleted only after the rename succeeded (restored if it failed)."""
    old = None
    if out.exists():
        if not force:
            raise FileExistsError(f"report directory {out} appeared while the report was written; pass "
                                  "force=True (--force) to replace it")
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rmdir(old)
        os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        if old is not None:
            os.rename(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
