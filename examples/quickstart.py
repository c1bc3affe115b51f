# %% [markdown]
# # Quick start: from a constellation to a verdict
#
# For users in a region, is a compute workload better served by a data centre in orbit or by
# one on the ground?  This notebook goes from nothing to orbitcompute's answer in about
# twenty seconds:
#
# 1. a constellation and its passes over the world's largest cities;
# 2. the eclipses of a dawn-dusk orbit;
# 3. the feasibility model on the embedded default scenario, and its verdict table;
# 4. one assumption changed (the launch price) and what it moves.
#
# Everything runs offline: ephemerides, time scales, cities and cloud regions ship with the
# packages.  Tables are shown with pandas (`pip install pandas`).  The plain-script twin of
# this notebook is `examples/quickstart.py`.

# %%
# %matplotlib inline
import numpy as np
from matplotlib.figure import Figure

import orbitcompute as oc

print("orbitcompute", oc.__version__)

# %% [markdown]
# ## 1. A constellation and its passes over cities
#
# Quantities carry units from the one registry `oc.u`; times are ISO 8601 strings in UTC
# (with the `Z`), timezone-aware datetimes, or skyfield/astropy times.  A Starlink-like shell:
# 1,584 satellites in 72 planes at 550 km and 53 degrees.

# %%
start = "2026-06-21T00:00:00Z"
shell = oc.Constellation.walker_delta(total=1584, planes=72, phasing=1, altitude=550 * oc.u.km,
                                      inclination=53 * oc.u.deg, epoch=start)
print(f"{len(shell)} satellites, period {shell.period[0].to('min'):.2f~P}")

# %% [markdown]
# Six cities from the equator to 60 degrees north, and every pass above 25 degrees of elevation
# in two hours.  A pass is a rise, a culmination and a set time.  (`oc.GroundSites.cities()`
# gives the shipped GeoNames cities of a million people or more.)

# %%
cities = oc.GroundSites.from_latlon(
    [1.352, 30.044, 40.713, 51.507, 55.756, 59.939], [103.820, 31.236, -74.006, -0.128, 37.617, 30.316],
    names=["Singapore", "Cairo", "New York", "London", "Moscow", "St Petersburg"])
passes = oc.find_passes(shell, cities, start, "2026-06-21T02:00:00Z", min_elevation=25 * oc.u.deg)
print(passes)
passes.to_pandas().head()

# %% [markdown]
# What the passes add up to per city: the number of passes, the mean number of satellites in
# view, and the fraction of time with at least one and at least four satellites above 25 degrees.
# A 53-degree shell crowds its satellites near 50 degrees of latitude and thins out beyond.

# %%
stats = oc.contact_statistics(passes)
cover1, cover4 = oc.coverage(passes, k=1), oc.coverage(passes, k=4)
print(f"{'city':<14}{'passes':>8}{'mean in view':>14}{'>=1 [%]':>9}{'>=4 [%]':>9}")
for j, name in enumerate(cities.names):
    print(f"{name:<14}{stats.site_passes[j]:>8d}{stats.site_mean_in_view[j]:>14.2f}"
          f"{100 * cover1[j]:>9.1f}{100 * cover4[j]:>9.1f}")

# %% [markdown]
# ## 2. Eclipses of a dawn-dusk orbit
#
# A sun-synchronous orbit at 650 km whose ascending node sits at 18:00 local time rides the
# terminator: its inclination follows from the J2 nodal precession.  `find_eclipses` gives
# every umbra and penumbra interval (conical shadow of the WGS84 ellipsoid, Sun from DE421).
# On the June solstice this orbit is in its eclipse season.

# %%
sso = oc.Constellation.sun_synchronous(altitude=650 * oc.u.km, ltan=18 * oc.u.hour, epoch=start)
print(f"inclination {sso.inclination[0]:.2f~P}, period {sso.period[0].to('min'):.2f~P}")
eclipses = oc.find_eclipses(sso, start, "2026-06-22T00:00:00Z")
fractions = oc.eclipse_fractions(eclipses, period=sso.period)
print(f"{len(eclipses)} shadow intervals in a day; "
      f"{100 * fractions['any'].mean():.1f} % of each orbit in umbra or penumbra")
eclipses.to_pandas().head(3)

# %% [markdown]
# ## 3. The feasibility model on the default scenario
#
# The embedded default scenario (`orbitcompute/data/default_scenario.toml`): a 40 MW cluster of
# compute satellites in that dawn-dusk orbit, reached through a Starlink-like relay shell with
# laser links, compared per continent with the cheapest public cloud region that meets a
# 100 ms p95 round-trip requirement.  Every number that is not a design choice is an
# assumption with a source, a year and a range:

# %%
scenario = oc.Scenario.default()
print(scenario.name)
launch = scenario.assumptions["launch_price"]
print(launch.describe())
print("source:", launch.source, launch.year)

# %% [markdown]
# `FeasibilityModel` computes the geometry once (a year of sunlight, array, battery and radiator
# sizing, latency time series per city, ground contacts); `run()` turns it into a verdict per
# region.  `quick=True` uses a coarser geometry (a 5-minute sunlight step, an hour of latency
# snapshots) so that this takes seconds: good for exploring, not for a study (see
# `feasibility_sensitivity.ipynb`).

# %%
model = oc.FeasibilityModel(scenario, quick=True)
result = model.run()
table = result.to_pandas()
table[["region", "verdict", "orbital_usd_per_accelerator_hour", "terrestrial_usd_per_accelerator_hour",
       "orbital_p95_ms", "orbital_path_availability", "terrestrial_site", "terrestrial_p95_ms"]].round(3)

# %% [markdown]
# Why each verdict: the binding constraint, with its numbers.  The relay gives every region a
# path all the time and meets the 100 ms requirement; cost decides.

# %%
for r in result.regions:
    print(f"{r.region:<14} {r.verdict:<12} {r.binding_constraint}")

# %% [markdown]
# ## 4. Change one assumption: the latency requirement
#
# Tighten the users' p95 round-trip requirement from 100 ms to 80 ms.  No cloud region serves
# Africa's largest cities that fast, but the cluster over the relay does: Africa's verdict
# turns orbital, bound by latency, at several times the cost.

# %%
tight = oc.Scenario.from_dict({**scenario.raw, "workload": {**scenario.raw["workload"],
                                                              "latency_requirement": "80 ms"}})
result_tight = model.with_scenario(tight).run()          # same geometry: only the choice moves
for r in result_tight.regions:
    print(f"{r.region:<14} {r.verdict:<12} {r.binding_constraint}")

# %% [markdown]
# ## 5. Change another: the launch price
#
# The shipped default is about the Falcon Heavy price; Starship-era projections go below
# $200/kg.  The same geometry with that one assumption changed:

# %%
cheap = scenario.with_assumptions(launch_price="200 USD/kg")
result_cheap = model.with_scenario(cheap).run()
ratio = table["orbital_usd_per_accelerator_hour"] / table["terrestrial_usd_per_accelerator_hour"]
cheap_table = result_cheap.to_pandas()
ratio_cheap = cheap_table["orbital_usd_per_accelerator_hour"] / cheap_table["terrestrial_usd_per_accelerator_hour"]
moved = table[["region", "verdict"]].assign(
    ratio_1500=ratio.round(2), ratio_200=ratio_cheap.round(2), verdict_200=cheap_table["verdict"])
moved

# %% [markdown]
# The cost ratio (orbital over terrestrial, per accelerator-hour) falls by about half; the
# verdict does not move.  Re-running is not needed to see that: the model's `evaluate` is
# vectorized over assumption values, so a whole curve costs one call.  The break-even launch
# price (where the ratio crosses 1) is `None` in every region: with the other assumptions at
# their defaults, not even a free launch makes orbit cheaper.  (The six regions' lines nearly
# coincide: the orbital cost is the same for all, and their cheapest cloud regions cost about
# the same.)

# %%
prices = np.linspace(0.0, 3400.0, 69)
curve = model.evaluate({"launch_price": prices})
print("break-even launch price [USD/kg]:",
      {r.region: r.break_even["launch_price_usd_per_kg"] for r in result.regions})

fig = Figure(figsize=(7, 3.8), layout="constrained")
ax = fig.subplots()
colours = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"]
for colour, region in zip(colours, result.regions):
    ax.plot(prices, curve[f"ratio:{region.region}"], color=colour, label=region.region)
ax.axhline(1.0, color="0.3", linestyle=":", linewidth=1)
ax.set_ylim(bottom=0)
ax.axvline(launch.value.m, color="0.5", linestyle="--", linewidth=1)
ax.text(launch.value.m, ax.get_ylim()[1], " default", va="top", fontsize=8)
ax.text(0, 1.0, " parity", va="bottom", fontsize=8)
ax.set_xlabel("launch price [USD/kg]")
ax.set_ylabel("orbital / terrestrial cost [-]")
ax.set_title("Cost per accelerator-hour, orbital over terrestrial")
ax.legend(fontsize=8, ncol=2)
fig

# %% [markdown]
# ## Next
#
# * `visibility_contacts.ipynb`: passes, contact statistics, coverage and ground-station contacts.
# * `dawn_dusk_power_thermal.ipynb`: a year of sunlight, the eclipse season, power, thermal, mass.
# * `feasibility_sensitivity.ipynb`: the full study, tornado, Monte Carlo, sweeps, exports.
# * The command line: `orbitcompute --help`.
