# %% [markdown]
# # A feasibility study with its sensitivity
#
# An analyst's workflow end to end:
#
# 1. write a scenario (TOML) with your own assumptions, sources and ranges, and load it;
# 2. build the feasibility model and read the verdict, the binding constraint and the design;
# 3. see which assumptions matter (tornado) and how likely orbit is to be cheaper (Monte Carlo);
# 4. sweep two assumptions over a grid (any `concurrent.futures` executor; serial here);
# 5. read the break-even values;
# 6. export everything as CSV and JSON.
#
# `QUICK = True` below uses the coarse geometry (4 cluster satellites, a 5x sunlight step, an
# hour of latency snapshots) so the notebook runs in well under a minute; set it to `False` for
# study-grade numbers.  Method and formulas: `docs/feasibility.md` and `docs/sensitivity.md`.

# %%
# %matplotlib inline
import tempfile
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

import orbitcompute as oc

QUICK = True
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
out = Path(tempfile.mkdtemp(prefix="orbitcompute-study-"))  # where the exports go

# %% [markdown]
# ## 1. A scenario
#
# A scenario file names the workload, the orbital design, the terrestrial alternatives, the user
# regions and any assumption overrides; everything else takes the shipped defaults (see
# `orbitcompute/data/default_scenario.toml` for every section).  An override can carry its own
# range and source, which the sensitivity analysis then uses.  Mistakes are caught before
# anything is computed, with the file, the key, the value and what was expected.

# %%
toml_text = '''
[scenario]
name = "40 MW dawn-dusk cluster, Starship-era launch prices"
start = "2026-01-01T00:00:00Z"

[workload]
it_power = "40 MW"
latency_requirement = "100 ms"

[orbit.cluster]
kind = "sun_synchronous"
altitude = "650 km"
ltan = "18 h"

[assumptions]
launch_price = { value = "500 USD/kg", low = "100 USD/kg", high = "1500 USD/kg", source = "analyst estimate for 2030 (Starship-class reuse)", year = 2026 }
array_specific_power = "120 W/kg"
'''
(out / "study.toml").write_text(toml_text)
scenario = oc.load_scenario(out / "study.toml")
for name in ("launch_price", "array_specific_power"):
    a = scenario.assumptions[name]
    print(f"{a.describe()}\n    source: {a.source}")

# %%
try:
    oc.Scenario.from_dict({"scenario": {"name": "typo"}, "workload": {"it_power": "40 km"}}, source="typo.toml")
except oc.ScenarioError as exc:
    print(exc)

# %% [markdown]
# ## 2. The model and its verdict
#
# The geometry is computed once (stages printed as they start); everything after it is
# vectorized arithmetic on top.

# %%
model = oc.FeasibilityModel(scenario, quick=QUICK, progress=lambda stage: print("...", stage))
result = model.run()
result.to_pandas()[["region", "verdict", "orbital_usd_per_accelerator_hour",
                    "terrestrial_usd_per_accelerator_hour", "orbital_p95_ms", "orbital_path_availability",
                    "terrestrial_site", "terrestrial_p95_ms"]].round(3)

# %%
for r in result.regions:
    print(f"{r.region:<14} {r.verdict:<12} {r.binding_constraint}")

# %% [markdown]
# The design behind the orbital cost: how many satellites, the array, battery and radiator per
# kW of compute, launch mass per kW, and the orbital cost split.

# %%
d = result.design
print(f"{d['satellites']} satellites of {d['it_power_per_satellite_w'] / 1e3:g} kW; "
      f"sunlit {100 * d['sunlit_fraction']:.1f} % of the year, worst orbit {100 * d['worst_orbit_shadow']:.1f} % "
      f"in shadow")
print(f"per kW of compute: array {d['array_m2_per_kw']:.2f} m2, battery {d['battery_wh_per_kw']:.0f} Wh, "
      f"radiator {d['radiator_m2_per_kw']:.2f} m2, launch mass {d['launch_kg_per_kw']:.1f} kg")
costs = {k.removesuffix("_usd"): v / 1e9 for k, v in d["orbital_costs_usd"].items() if k != "total_usd"}
fig = Figure(figsize=(7, 3.2), layout="constrained")
ax = fig.subplots()
ax.barh(list(costs)[::-1], list(costs.values())[::-1], color=OKABE_ITO[0])
ax.set_xlabel("present value over the study [billion USD]")
ax.set_title(f"Orbital cost: {d['orbital_costs_usd']['total_usd'] / 1e9:.2f} billion USD in total")
fig

# %% [markdown]
# Where users are and what they get: the orbital round-trip time per region (population-weighted
# cities, every snapshot of the latency series), against the requirement.  The curves stop below
# 1 where some snapshots have no path.

# %%
g = result.geometry
labels = [g.regions[k].name for k in g.owner]
fig = Figure(figsize=(7, 4), layout="constrained")
ax = fig.subplots()
oc.plot_rtt_cdf(g.rtt_orbital_ms * oc.u.ms, weights=g.weights, regions=labels, ax=ax)
ax.axvline(scenario.workload["latency_requirement"].m_as("ms"), color="0.3", linestyle=":", linewidth=1)
ax.set_title("Orbital round-trip time per region (cluster over the relay's laser links)")
fig

# %% [markdown]
# The same per region on a map (each country takes its region's value; countries with none of
# the region's sample cities stay grey).

# %%
p95 = {r.region: r.orbital_rtt_ms["p95"] * oc.u.ms for r in result.regions}
fig = Figure(figsize=(10, 5.2), layout="constrained")
oc.plot_region_map(p95, regions=g.regions, ax=fig.subplots(), cmap="cividis",
                   label="orbital p95 round-trip time", title="Orbital p95 RTT by user region")
fig

# %% [markdown]
# ## 3. Which assumptions matter, and how likely is orbit to be cheaper?
#
# **Tornado**: each uncertain assumption moved alone to its low and high end, all others at
# their values; one vectorized evaluation.  Output: the cost ratio for Europe.

# %%
tor = oc.tornado(model, "ratio:Europe")
fig = Figure(figsize=(8, 5), layout="constrained")
oc.plot_tornado(tor, ax=fig.subplots(), max_rows=12)
fig

# %%
tor.to_pandas().head(8).round(3)

# %% [markdown]
# **Monte Carlo**: every uncertain assumption drawn from its declared distribution (triangular
# over low/value/high unless the assumption says otherwise), seeded, all draws in one call.
# Below: the spread of the ratio per region, the probability that orbit is the cheaper option,
# and the distributions of the two costs for Europe.

# %%
mc = oc.monte_carlo(model, 4000, seed=scenario.analysis["seed"])
p_cheaper = {r.region: mc.probability_less(f"ratio:{r.region}", 1.0) for r in result.regions}
summary = mc.summary().to_pandas().set_index("output")
pd.DataFrame({
    "ratio_p5": [summary.loc[f"ratio:{k}", "p5"] for k in p_cheaper],
    "ratio_p50": [summary.loc[f"ratio:{k}", "p50"] for k in p_cheaper],
    "ratio_p95": [summary.loc[f"ratio:{k}", "p95"] for k in p_cheaper],
    "P(orbital cheaper)": list(p_cheaper.values()),
}, index=list(p_cheaper)).round(3)

# %%
fig = Figure(figsize=(7, 3.8), layout="constrained")
oc.plot_distribution(mc, ["orbital:cost_per_accelerator_hour", "terrestrial:cost_per_accelerator_hour:Europe"],
                     ax=fig.subplots())
fig

# %% [markdown]
# Which inputs drive the spread: Spearman rank correlation of each input with the Europe ratio.

# %%
corr = mc.correlations().to_pandas()
corr[corr["output"] == "ratio:Europe"].sort_values("spearman", key=abs, ascending=False).head(6).round(3)

# %% [markdown]
# The most favourable corner: every assumption at whichever end of its range lowers the ratio.
# Monte Carlo draws almost never land there together, which is why the probability above is
# small even when the corner is below 1.

# %%
best = {name: (lo if at_lo < at_hi else hi)
        for name, lo, hi, at_lo, at_hi in zip(tor.assumption, tor.low, tor.high, tor.output_at_low, tor.output_at_high)}
corner = model.evaluate(best)
print({r.region: round(float(corner[f"ratio:{r.region}"][0]), 3) for r in result.regions})

# %% [markdown]
# ## 4. A sweep
#
# `oc.sweep` evaluates any function on a grid, through any `concurrent.futures` executor
# (`executor=None` runs serially; a `ThreadPoolExecutor`, a `ProcessPoolExecutor` or a dask
# cluster's `Client.get_executor()` spread the points).  Here the function re-evaluates the
# model, so each point costs a fraction of a second.  To rebuild the geometry at each point (an orbit
# altitude, a relay design), `orbitcompute.sweeps.sweep_scenario(scenario, {"orbit.cluster.altitude":
# ["550 km", "800 km"]}, executor=...)` does the same with scenario keys.

# %%
def ratio_europe(launch_price, array_specific_power):
    """Cost ratio for Europe at one grid point (quantities in, numbers out)."""
    v = model.evaluate({"launch_price": [launch_price.m_as("USD/kg")],
                        "array_specific_power": [array_specific_power.m_as("W/kg")]})
    return {"ratio_europe": float(v["ratio:Europe"][0])}


sw = oc.sweep(ratio_europe, {"launch_price": [100, 300, 1000, 3000] * oc.u.USD / oc.u.kg,
                             "array_specific_power": [40, 100, 250] * oc.u.W / oc.u.kg}, executor=None)
table = sw.to_pandas().pivot(index="launch_price", columns="array_specific_power", values="ratio_europe")
table.round(2)

# %%
fig = Figure(figsize=(7, 3.8), layout="constrained")
ax = fig.subplots()
for colour, sp in zip(OKABE_ITO, table.columns):
    ax.plot(table.index, table[sp], marker="o", color=colour, label=f"{sp:g} W/kg")
ax.axhline(1.0, color="0.3", linestyle=":", linewidth=1)
ax.set_xscale("log")
ax.set_xlabel("launch price [USD/kg]")
ax.set_ylabel("orbital / terrestrial cost, Europe [-]")
ax.legend(title="array specific power", fontsize=8)
fig

# %% [markdown]
# ## 5. Break-evens
#
# Per region: the launch price and array specific power at which orbit would cost the same
# as the ground, the electricity price at which the ground would cost the same as orbit, and
# the launch emission factor at which their carbon per accelerator-hour would be equal.
# Empty where none exists (e.g. orbit costs more even with free launch).

# %%
pd.DataFrame([{"region": r.region, **r.break_even} for r in result.regions]).set_index("region").round(3)

# %% [markdown]
# ## 6. Export
#
# Results, tornado, Monte Carlo and sweep as CSV and JSON (with the scenario, assumptions,
# seed and library versions, so a run can be repeated).  Writers refuse to replace an existing
# file unless `overwrite=True`, and write atomically.

# %%
result.to_csv(out / "regions.csv")
result.to_json(out / "results.json")
tor.to_csv(out / "tornado.csv")
mc.to_json(out / "monte_carlo.json", draws=False)
sw.to_csv(out / "sweep.csv")
for f in sorted(out.iterdir()):
    print(f"{f.name:<18} {f.stat().st_size:>9,} bytes")
