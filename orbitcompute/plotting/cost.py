"""The cost figure: orbital cost items stacked into the orbital total, against the
terrestrial totals (:func:`cost_waterfall`), and the items themselves (:func:`orbital_cost_items`).
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ._style import OKABE_ITO, _figure

__all__ = ["cost_waterfall", "orbital_cost_items"]

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
            ax.bar(x, v, color=OKABE_ITO[5], width=0.7)
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

