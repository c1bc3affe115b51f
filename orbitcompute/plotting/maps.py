"""World maps: countries coloured by a value (:func:`plot_region_map`), by their region's
verdict (:func:`verdict_map`) or median orbital RTT (:func:`latency_map`), and which region
each country belongs to (:func:`region_of_country`).

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
from collections.abc import Mapping, Sequence

import numpy as np
import pint

from ..errors import InputError
from ..regions import country_outlines, country_table
from ..stations import _cities_table, CONTINENTS
from ..units import magnitude
from ._style import VERDICT_COLOURS, _figure, _g, _isfinite

__all__ = ["latency_map", "plot_region_map", "region_of_country", "verdict_map"]

#: GeoNames continent of a UN M49 region, for countries with no shipped city
#: (the Americas split by sub-region below).
_M49_CONTINENT = {"Africa": "AF", "Asia": "AS", "Europe": "EU", "Oceania": "OC"}
_SOUTH_AMERICA = {"South America"}


# ----------------------------------------------------------------------------- countries
def _country_continent() -> dict[str, str]:
    """ISO alpha-2 -> GeoNames continent code: the continent of the country's shipped
    cities where it has any, else from its UN M49 region."""

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
    ratio = {r.region: r.cost_ratio for r in result.regions}
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




def plot_region_map(values: Mapping, *, regions: Sequence | None = None, ax=None,
                    cmap: str = "viridis", label: str = "", unit: str | None = None,
                    title: str | None = None, vmin=None, vmax=None):
    """A world map of Natural Earth 1:110m countries coloured by a value.

    Parameters
    ----------
    values : mapping
        Either ISO alpha-2 country code -> value, or (with ``regions``) region name
        -> value.  Values are floats or pint Quantities (all convertible to one unit).
    regions : sequence of Region, optional
        If given, ``values`` is keyed by region name and each country takes the value
        of the region holding most of that country's weight.
    ax : matplotlib Axes, optional
        Draw into it; default a new figure.
    cmap : str, default ``"viridis"``
        A colour-blind-safe colormap (``"viridis"``, ``"cividis"``).
    label : str
        Colour-bar label, e.g. ``"median RTT"``; the unit is appended in brackets.
    unit : str, optional
        Unit for Quantity values (default: the first value's unit).
    title, vmin, vmax : optional

    Returns
    -------
    matplotlib.figure.Figure
        Countries without a value are drawn light grey; plate carree axes, longitude
        and latitude in degrees.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.plotting import plot_region_map
    >>> fig = plot_region_map({"FR": 10 * oc.u.ms, "US": 40 * oc.u.ms}, label="median RTT")
    >>> fig.axes[1].get_ylabel()
    'median RTT [ms]'
    """
    from matplotlib import colormaps
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import Normalize

    if regions is not None:
        by_name = {r.name: r for r in regions}
        missing = [k for k in values if k not in by_name]
        if missing:
            raise InputError(f"values: no region named {missing!r} among {list(by_name)!r}")
        share: dict[str, tuple[float, object]] = {}
        for k, v in values.items():
            r = by_name[k]
            for cc in set(r.country_codes) - {""}:
                wsum = float(r.weights[np.asarray(r.country_codes) == cc].sum())
                if cc not in share or wsum > share[cc][0]:
                    share[cc] = (wsum, v)
        cvals = {cc: v for cc, (_, v) in share.items()}
    else:
        cvals = dict(values)
    mags: dict[str, float] = {}
    unit_str = unit
    for k, v in cvals.items():
        if isinstance(v, pint.Quantity):
            if unit_str is None:
                unit_str = f"{v.units:~P}"
            mags[k] = float(magnitude(v, unit_str, f"values[{k!r}]"))
        else:
            mags[k] = float(v)
    if ax is None:
        fig = _figure(10, 5.2, constrained=False)
        ax = fig.subplots()
    else:
        fig = ax.figure
    arr = np.array(list(mags.values()), dtype=float)
    lo = vmin if vmin is not None else (np.nanmin(arr) if arr.size else 0.0)
    hi = vmax if vmax is not None else (np.nanmax(arr) if arr.size else 1.0)
    if hi == lo:
        hi = lo + 1.0
    norm = Normalize(lo, hi)
    cm = colormaps.get_cmap(cmap)
    grey, colored = [], []
    colours = []
    for key, patch in _country_patches(None).items():
        v = mags.get(key)
        if v is None or not np.isfinite(v):
            grey.append(patch)
        else:
            colored.append(patch)
            colours.append(v)
    ax.add_collection(PatchCollection(grey, facecolor="#dddddd", edgecolor="white", linewidth=0.3))
    pc = PatchCollection(colored, cmap=cm, norm=norm, edgecolor="white", linewidth=0.3)
    pc.set_array(np.asarray(colours, dtype=float))
    ax.add_collection(pc)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_aspect("equal")
    ax.set_xlabel("longitude [deg]")
    ax.set_ylabel("latitude [deg]")
    if title:
        ax.set_title(title)
    cbar = fig.colorbar(pc, ax=ax, shrink=0.7)
    cbar.set_label(f"{label} [{unit_str}]" if unit_str else label)
    return fig
