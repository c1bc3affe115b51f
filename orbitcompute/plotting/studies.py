"""Figures of the studies: one-at-a-time (:func:`plot_tornado`, for a cost ratio
:func:`tornado_chart`), Monte Carlo (:func:`plot_distribution`, :func:`monte_carlo_chart`),
Sobol' indices, the crossover year and deployment timeline, and a design search's Pareto
fronts.  Each draws a study result it is given; none runs a study.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..errors import InputError
from ._style import OKABE_ITO, _figure

__all__ = ["crossover_chart", "monte_carlo_chart", "pareto_chart", "plot_distribution", "plot_tornado",
           "sobol_chart", "timeline_chart", "tornado_chart"]


def plot_tornado(result, ax=None, *, max_rows: int | None = 15):
    """Tornado diagram: bars from the base value to the output at each assumption's low and high.

    Parameters
    ----------
    result : TornadoResult
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (default: a new ``matplotlib.figure.Figure``).
    max_rows : int or None
        Show only the ``max_rows`` largest swings (None: all).

    Returns
    -------
    matplotlib.figure.Figure
        Largest swing at the top; Okabe-Ito blue for the assumption at its ``low``, orange
        at its ``high``; the base value as a vertical black line; x axis in the output's unit.

    Examples
    --------
    >>> from orbitcompute.provenance import Assumption
    >>> from orbitcompute.sensitivity import FunctionModel, tornado
    >>> m = FunctionModel([Assumption("a", 2.0, "kg", low=1.0, high=3.0),
    ...                    Assumption("b", 1.0, "", low=0.5, high=2.0)], lambda a, b: {"y": a * b})
    >>> fig = plot_tornado(tornado(m, "y", output_unit="kg"))
    >>> fig.axes[0].get_xlabel()
    'y [kg]'
    """
    k = len(result) if max_rows is None else min(len(result), max_rows)
    if ax is None:
        fig = _figure(8, 1.2 + 0.42 * max(k, 1))
        ax = fig.subplots()
    else:
        fig = ax.figure
    base = result.base_value
    pos = np.arange(k)[::-1]
    lo, hi = result.output_at_low[:k], result.output_at_high[:k]
    ax.barh(pos, lo - base, left=base, height=0.7, color=OKABE_ITO[0], label="assumption at its low")
    ax.barh(pos, hi - base, left=base, height=0.7, color=OKABE_ITO[1], label="assumption at its high")
    ax.axvline(base, color="#000000", linewidth=1.2, label=f"base {base:.4g}")
    labels = []
    for j in range(k):
        unit = f" {result.unit[j]}" if result.unit[j] else ""
        labels.append(f"{result.assumption[j]}\n{result.low[j]:.4g} to {result.high[j]:.4g}{unit}")
    ax.set_yticks(pos, labels, fontsize=8)
    unit = f" [{result.output_unit}]" if result.output_unit else ""
    ax.set_xlabel(f"{result.output}{unit}")
    ax.set_ylabel("assumption (low to high)")
    ax.set_title(f"One-at-a-time sensitivity of {result.output}")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def plot_distribution(result, outputs: str | Sequence[str], ax=None, *, bins: int = 60,
                      unit: str | None = None):
    """Histograms (probability density) of Monte Carlo outputs with their 5/50/95th percentiles.

    Parameters
    ----------
    result : MonteCarloResult
    outputs : str or sequence of str
        Output names; several are overlaid and must share a unit.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (default: a new ``matplotlib.figure.Figure``).
    bins : int
        Number of histogram bins over the common range.
    unit : str, optional
        Unit label (default: from ``result.output_units``).

    Returns
    -------
    matplotlib.figure.Figure
        Step histograms in Okabe-Ito colours; dashed lines at the 5th and 95th
        percentiles, a solid line at the median.

    Examples
    --------
    >>> from orbitcompute.provenance import Assumption
    >>> from orbitcompute.sensitivity import FunctionModel, monte_carlo
    >>> m = FunctionModel([Assumption("x", 1.0, "", low=0.0, high=2.0)], lambda x: {"y": 3 * x})
    >>> fig = plot_distribution(monte_carlo(m, 1000), "y", unit="USD")
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('y [USD]', 'probability density [1/USD]')
    """
    names = [outputs] if isinstance(outputs, str) else list(outputs)
    data = {**result.inputs, **result.outputs}
    for k in names:
        if k not in data:
            raise InputError(f"outputs: {k!r} is not an output of the result; outputs are {sorted(result.outputs)}")
    if unit is None:
        units = {result.output_units.get(k, result.input_units.get(k, "")) for k in names}
        if len(units) > 1:
            raise InputError(f"outputs: {names} have different units {sorted(units)}; plot them separately")
        unit = units.pop()
    if ax is None:
        fig = _figure(7, 4)
        ax = fig.subplots()
    else:
        fig = ax.figure
    finite = [data[k][np.isfinite(data[k])] for k in names]
    allv = np.concatenate(finite) if finite else np.zeros(0)
    edges = np.histogram_bin_edges(allv, bins=bins) if allv.size else bins
    for j, (k, v) in enumerate(zip(names, finite)):
        colour = OKABE_ITO[j % len(OKABE_ITO)]
        ax.hist(v, bins=edges, density=True, histtype="step", linewidth=1.5, color=colour, label=k)
        if v.size:
            p5, p50, p95 = np.percentile(v, [5, 50, 95])
            ax.axvline(p50, color=colour, linewidth=1.0)
            for p in (p5, p95):
                ax.axvline(p, color=colour, linewidth=1.0, linestyle="--")
    lab = f" [{unit}]" if unit else ""
    ax.set_xlabel(f"{names[0] if len(names) == 1 else 'value'}{lab}")
    ax.set_ylabel(f"probability density [1/{unit}]" if unit else "probability density")
    ax.set_title(f"{result.n} draws (seed {result.seed}); lines: 5th, 50th, 95th percentiles")
    ax.legend(fontsize=8)
    return fig


def tornado_chart(tornado_result, *, max_rows: int = 12):
    """Tornado diagram of a :class:`~orbitcompute.sensitivity.TornadoResult`
    (:func:`plot_tornado`), the ``max_rows`` largest swings.

    Returns
    -------
    matplotlib.figure.Figure
    """
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
    run (:func:`plot_distribution`), with parity at 1.

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
