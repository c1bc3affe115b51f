# %% [markdown]
# # Power and thermal of a dawn-dusk compute satellite through a year
#
# A compute satellite in a dawn-dusk sun-synchronous orbit (650 km, ascending node at 18:00
# local time) is often said to be "always in sunlight".  It is not quite: for about three
# months around the June solstice it crosses the Earth's shadow on every orbit.  This notebook
# computes a year of its sunlight and sizes what a 100 kW compute payload needs:
#
# 1. sunlight and eclipses over 2026, the eclipse season and the beta angle;
# 2. solar array and battery sizing on the worst orbit at end of life (SMAD's method);
# 3. radiator sizing in the orbit's own thermal environment;
# 4. power flows and stored energy through the worst orbit;
# 5. the radiator's temperature through an eclipse (lumped transient);
# 6. the mass budget, rolled up to launch mass.
#
# Every default (cell efficiency, degradation, coatings, specific masses, ...) is an assumption
# with a source in `orbitcompute/data/assumptions_spacecraft.csv`.  Equations:
# `docs/power_thermal.md` and `docs/concepts.md`.  Runs in about ten seconds.

# %%
# %matplotlib inline
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import orbitcompute as oc
from orbitcompute.plotting import plot_eclipse_year, plot_energy, plot_temperature
from orbitcompute.power import fixed_beta_history
from orbitcompute.time import offset

# %% [markdown]
# ## 1. A year of sunlight
#
# `sunlight_history` samples the satellite's position (SGP4) and the Sun (JPL DE421) and
# computes the visible fraction of the solar disk (conical umbra and penumbra of the WGS84
# ellipsoid) every 60 s for a year: about half a million samples.  `find_eclipses` finds every
# shadow interval to a fraction of a millisecond.

# %%
start, stop = "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"
sso = oc.Constellation.sun_synchronous(altitude=650 * oc.u.km, ltan=18 * oc.u.hour, epoch=start)
hist = oc.sunlight_history(sso, start, stop, 60 * oc.u.s)
eclipses = oc.find_eclipses(sso, start, stop)
shadow_year = float(eclipses.shadow_seconds("any")[0] / eclipses.window_s)
print(f"{len(hist):,} samples; sunlit fraction of the year {hist.illuminated.mean():.4f}")
print(f"{len(eclipses):,} umbra/penumbra intervals; in shadow {100 * shadow_year:.2f} % of the year")

# %% [markdown]
# Eclipses come in one season: a run of orbits with an eclipse on each.

# %%
seasons = oc.eclipse_seasons(eclipses, sso.period)
seasons.to_pandas()

# %% [markdown]
# The season is set by the **beta angle**, the Sun's elevation above the orbit plane.  A
# dawn-dusk orbit keeps beta high; around the June solstice the Sun's declination tilts it
# down past the eclipse-free limit `asin(R / r)`, and the Earth's shadow cuts the orbit.

# %%
beta_daily = oc.beta_angle(sso, oc.time_grid(start, stop, 86400 * oc.u.s)).m_as("deg")[0]
print(f"beta angle over the year: {beta_daily.min():.1f} to {beta_daily.max():.1f} deg")
fig = plot_eclipse_year(sso, start, stop, table=eclipses)
fig

# %% [markdown]
# ## 2. Solar array and battery
#
# The load is the compute (100 kW) plus the bus (5 %).  `size_array` sizes a two-axis
# tracking triple-junction array for the **worst orbit** of the year at end of life: the
# energy of each orbit's daylight load (through the daylight path efficiency `X_d`) and eclipse
# load (through the battery path `X_e`) must come from the array's daylight output.
# `size_battery` sizes for the longest eclipse, at a depth of discharge allowed by the cycle
# count (one cycle per eclipse over the mission).

# %%
compute = 100 * oc.u.kW
load = compute * 1.05
array = oc.size_array(hist, load)
battery = oc.size_battery(hist, load)
pd.DataFrame(array.rows()).round(3)

# %%
w = array.worst_orbit
print(f"worst orbit: #{w}, starting {offset(hist.epoch, array.orbit_start_s[w]).utc_strftime('%Y-%m-%d')}, "
      f"{array.eclipse_s[w] / 60:.1f} min of its {hist.period_s / 60:.1f} min in shadow")
print(f"battery: {battery.energy.to('kWh'):.1f~P} nameplate, depth of discharge {battery.dod:.2f} "
      f"for {battery.cycles:,.0f} cycles, {battery.mass:.0f~P}")

# %% [markdown]
# What a typed-in "always sunlit" design point misses: the same array sized for a constant
# beta of 90 degrees (no eclipse at all) is smaller, and it has no battery.

# %%
always_lit = fixed_beta_history(altitude=650 * oc.u.km, beta=90 * oc.u.deg, duration=1 * oc.u.day,
                                step=60 * oc.u.s)
naive = oc.size_array(always_lit, load)
print(f"array for the computed year: {array.area:.0f~P}; for 'always sunlit': {naive.area:.0f~P} "
      f"({100 * (array.area_m2 / naive.area_m2 - 1):.0f} % more needed)")

# %% [markdown]
# ## 3. Radiator
#
# All the electrical load ends up as heat.  `size_radiator` takes the absorbed sunlight, albedo
# and Earth infrared on each face from the orbit's geometry (view factors to a spherical Earth),
# takes the hottest orbit, and sizes a two-sided panel whose temperature is set by the chips'
# junction limit down a thermal chain (45 degC at the panel by default).  The orientation of the
# panel matters:

# %%
orientations = ("edge_on", "zenith", "nadir")
sizes = {o: oc.size_radiator(load, history=hist, orientation=o) for o in orientations}
radiator = sizes["edge_on"]
pd.DataFrame({
    "orientation": orientations,
    "absorbed_W_m2": [round(sizes[o].absorbed_w_m2, 1) for o in orientations],
    "net_W_m2": [round(sizes[o].net_w_m2, 1) for o in orientations],
    "area_m2": [round(sizes[o].area_m2, 1) for o in orientations],
    "mass_kg": [round(sizes[o].mass_kg) for o in orientations],
})

# %% [markdown]
# ## 4. Energy through the worst orbit
#
# Three orbits around the worst one, sampled every 10 s, with the array and battery just sized.
# The array feeds the load directly, charges the battery with any surplus and shunts the rest;
# in eclipse the battery carries the load.  The stored energy dips to `1 - DoD` of capacity at
# the end of the longest eclipse.

# %%
t_worst = offset(hist.epoch, array.orbit_start_s[w] - hist.period_s)
worst = oc.sunlight_history(sso, t_worst, offset(t_worst, 3 * hist.period_s), 10 * oc.u.s)
energy = oc.energy_series(worst, load, array, battery)
print(f"lowest state of charge {energy.min_state_of_charge:.3f} (1 - DoD = {1 - battery.dod:.3f})")
fig = Figure(figsize=(8, 5.5))
plot_energy(energy, ax=fig.subplots(2, 1, sharex=True))
fig

# %% [markdown]
# ## 5. Radiator temperature through an eclipse
#
# A lumped model of the radiator panel, `C dT/dt = P_absorbed(t) + P_load - 2 A eps sigma T^4`,
# integrated with `scipy.integrate.solve_ivp` over the same three orbits.  The heat capacity is
# the panel's mass times aluminium's specific heat (900 J/(kg K)), a lower bound (the coolant
# loop adds to it).  With the battery the compute runs on through the eclipse, so the panel
# only loses the sunlight it absorbed; without one, compute stops in eclipse and the panel cools
# much further.

# %%
heat_capacity = radiator.mass_kg * 900 * oc.u.J / oc.u.K
temps = oc.transient_temperature(worst, area=radiator.area, heat_capacity=heat_capacity,
                                 internal_power=load, fin_efficiency=radiator.fin_efficiency)
no_battery = oc.transient_temperature(worst, area=radiator.area, heat_capacity=heat_capacity,
                                      internal_power=load * np.clip(worst.illuminated, 0, 1),
                                      fin_efficiency=radiator.fin_efficiency)
print(f"time constant {temps.time_constant_s / 60:.1f} min; swing {temps.swing_k:.1f} K with a battery, "
      f"{no_battery.swing_k:.1f} K with compute off in eclipse")
fig = Figure(figsize=(8, 6))
ax1, ax2 = fig.subplots(2, 1, sharex=True)
plot_temperature(temps, ax=ax1)
plot_temperature(no_battery, ax=ax2)
ax1.set_title("compute on through eclipse (battery)")
ax1.set_xlabel("")
ax2.set_title("compute off in eclipse (no battery)")
fig.tight_layout()
fig

# %% [markdown]
# ## 6. Mass budget
#
# The sized array, battery and radiator plus the compute hardware, shielding, structure, bus,
# propulsion and a 20 % system margin, with the propellant from the rocket equation.  Each line
# says how it was obtained and from which source.  A 40 MW cluster needs 400 such satellites.

# %%
budget = oc.mass_budget(compute, array=array, battery=battery, radiator=radiator, count=400)
print(f"launch mass {budget.launch_mass.to('t'):.2f~P} per satellite, "
      f"{budget.cluster_launch_mass.to('t'):,.0f~P} for the cluster; "
      f"{budget.specific_power.to('W/kg'):.1f~P} of compute per kg launched")
pd.DataFrame(budget.table())[["item", "mass_kg", "assumption"]].round(1)

# %%
fig = Figure(figsize=(7, 3.6), layout="constrained")
ax = fig.subplots()
items = [i for i in budget.items if i.mass_kg > 0]
ax.barh([i.item for i in items][::-1], [i.mass_kg for i in items][::-1], color="#0072B2")
ax.set_xlabel("mass per satellite [kg]")
ax.set_title(f"Launch mass {budget.launch_mass_kg:,.0f} kg for {compute.to('kW'):~P} of compute")
fig
