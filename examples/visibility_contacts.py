# %% [markdown]
# # Visibility and contacts: a relay shell, a dawn-dusk cluster and their ground stations
#
# Who sees which satellite, when, and for how long.  This notebook builds
#
# * a Walker-delta relay shell (Starlink-like: 1,584 satellites, 72 planes, 550 km, 53 deg),
# * a small sun-synchronous compute cluster (four satellites at 650 km, ascending node at 18:00),
#
# finds every pass over a set of cities and ground stations (`find_passes`), and reduces them
# to contact statistics and coverage.  It runs in a few seconds.
#
# **Method in one paragraph** (details in `docs/visibility.md`): positions come from SGP4 for
# all satellites at once, sampled at a step tied to the fastest orbit; elevation is interpolated
# between samples, maxima are bracketed and the crossings of the elevation mask refined by root
# finding.  No fixed-step scanning: rise and set times are accurate to milliseconds.

# %%
# %matplotlib inline
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import orbitcompute as oc
from orbitcompute.time import offset

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

# %% [markdown]
# ## Two constellations
#
# `Constellation.walker_delta(total, planes, phasing, ...)` is Walker's `i: t/p/f` pattern;
# `Constellation.sun_synchronous` derives the inclination from the J2 nodal precession and the
# right ascension of the node from the local time of the ascending node (`ltan`).

# %%
start = oc.to_time("2026-06-21T00:00:00Z")
shell = oc.Constellation.walker_delta(total=1584, planes=72, phasing=1, altitude=550 * oc.u.km,
                                      inclination=53 * oc.u.deg, epoch=start)
cluster = oc.Constellation.sun_synchronous(altitude=650 * oc.u.km, ltan=18 * oc.u.hour, epoch=start, count=4)
for name, con in (("relay shell", shell), ("compute cluster", cluster)):
    print(f"{name:<16} {len(con):>5} satellites  i = {con.inclination[0]:.2f~P}  "
          f"P = {con.period[0].to('min'):.2f~P}")
print("cluster satellites:", cluster.names)

# %% [markdown]
# ## Passes of the shell over cities
#
# Ten of the shipped cities (GeoNames, a million people or more), chosen across latitudes, and a
# three-hour window.  The elevation mask is 25 degrees, a typical user-terminal minimum.

# %%
cities = oc.GroundSites.from_latlon(
    [-33.925, -23.550, -1.286, 1.352, 19.076, 30.044, 40.713, 51.507, 55.756, 59.939],
    [18.424, -46.633, 36.817, 103.820, 72.878, 31.236, -74.006, -0.128, 37.617, 30.316],
    names=["Cape Town", "Sao Paulo", "Nairobi", "Singapore", "Mumbai", "Cairo", "New York", "London",
           "Moscow", "St Petersburg"])
stop = offset(start, 3 * 3600.0)
passes = oc.find_passes(shell, cities, start, stop, min_elevation=25 * oc.u.deg)
print(passes)
passes.to_pandas().head()

# %% [markdown]
# Durations and culmination elevations of all passes: most passes are short and low; a
# satellite that passes near the zenith stays above 25 degrees for about four minutes.

# %%
fig = Figure(figsize=(9, 3.4), layout="constrained")
ax1, ax2 = fig.subplots(1, 2)
ax1.hist(passes.duration.m_as("min"), bins=40, color=OKABE_ITO[0])
ax1.set_xlabel("pass duration above 25 deg [min]")
ax1.set_ylabel("passes [-]")
ax2.hist(passes.max_elevation.m_as("deg"), bins=40, color=OKABE_ITO[1])
ax2.set_xlabel("culmination elevation [deg]")
ax2.set_ylabel("passes [-]")
fig

# %% [markdown]
# ## Contact statistics and coverage
#
# `contact_statistics` gives, per satellite-site pair and per site, the time in contact, the
# gaps and the revisit time; `coverage(passes, k)` the fraction of the window with at least
# `k` satellites in view, exactly from the pass intervals.  Every city sees at least one
# satellite all the time; multi-satellite coverage, what a relay needs for handovers and
# diversity, thins out near the equator and beyond the shell's 53 degrees.

# %%
stats = oc.contact_statistics(passes)
coverage_k = {k: oc.coverage(passes, k=k) for k in (1, 4, 8, 12)}

per_city = pd.DataFrame({
    "city": cities.names,
    "latitude_deg": np.round(cities.latitude.m_as("deg"), 1),
    "passes": stats.site_passes,
    "mean_in_view": np.round(stats.site_mean_in_view, 2),
    **{f"coverage_k{k}_%": np.round(100 * c, 1) for k, c in coverage_k.items()},
})
per_city

# %%
fig = Figure(figsize=(7, 3.8), layout="constrained")
ax = fig.subplots()
order = np.argsort(cities.latitude.m)
lat = cities.latitude.m_as("deg")[order]
for colour, (k, c) in zip(OKABE_ITO, coverage_k.items()):
    ax.plot(lat, 100 * c[order], marker="o", color=colour, label=f">= {k} in view")
ax.axvline(53, color="0.5", linestyle=":", linewidth=1)
ax.axvline(-53, color="0.5", linestyle=":", linewidth=1)
ax.set_xlabel("city latitude [deg]")
ax.set_ylabel("time covered [%]")
ax.set_title("Coverage of a 53 deg, 550 km shell above 25 deg elevation")
ax.legend(fontsize=8, loc="center left")
fig

# %% [markdown]
# ## Ground-station contacts of the compute cluster
#
# A cluster in a dawn-dusk orbit is seen from any one place only a few times a day.  Ground
# stations at eight of the shipped AWS cloud regions, from Stockholm to Sydney, a 10 degree mask
# and a whole day:

# %%
aws = oc.TerrestrialSites.cloud_regions("aws")
codes = ["eu-north-1", "ca-central-1", "us-east-1", "me-central-1", "ap-southeast-1", "sa-east-1",
         "af-south-1", "ap-southeast-2"]
stations = aws.to_ground_sites()[[aws.codes.index(c) for c in codes]]
gs_passes = oc.find_passes(cluster, stations, start, offset(start, 86400.0), min_elevation=10 * oc.u.deg)
gs_stats = oc.contact_statistics(gs_passes)
pd.DataFrame({
    "station": stations.names,
    "latitude_deg": np.round(stations.latitude.m_as("deg"), 1),
    "passes": gs_stats.site_passes,
    "contact_min_per_day": np.round(gs_stats.site_contact_s / 60, 1),
    "longest_gap_h": np.round(gs_stats.site_longest_gap_s / 3600, 2),
    "mean_revisit_h": np.round(gs_stats.site_mean_revisit_s / 3600, 2),
})

# %% [markdown]
# ## Pass timeline
#
# Each bar is one pass of a cluster satellite over a station (colour: satellite).  The four
# satellites share one orbital plane, so they pass over a station one after another.

# %%
fig = Figure(figsize=(10, 4.2), layout="constrained")
ax = fig.subplots()
for s in range(len(cluster)):
    sel = gs_passes.sat == s
    for j in range(len(stations)):
        both = sel & (gs_passes.site == j)
        spans = [(a / 3600, (b - a) / 3600) for a, b in zip(gs_passes.rise_s[both], gs_passes.set_s[both])]
        ax.broken_barh(spans, (j - 0.4 + 0.2 * s, 0.18), color=OKABE_ITO[s],
                       label=cluster.names[s] if j == 0 else None)
ax.set_yticks(range(len(stations)), stations.names)
ax.set_xlim(0, 24)
ax.set_xlabel(f"hours since {start.utc_strftime('%Y-%m-%d %H:%M')} UTC [h]")
ax.set_title("Contacts above 10 deg: dawn-dusk cluster over ground stations")
ax.legend(fontsize=8, loc="upper right", ncol=4)
fig

# %% [markdown]
# ## Look angles
#
# The same geometry as arrays: azimuth, elevation, range and range rate of every satellite from
# every site at every time, shape `(n_sat, n_site, n_time)`.  Here: the first cluster satellite
# from the first station over its first pass.

# %%
k = int(np.flatnonzero(gs_passes.sat == 0)[0])
j = int(gs_passes.site[k])
times = oc.time_grid(offset(start, gs_passes.rise_s[k]), offset(start, gs_passes.set_s[k]), step=10 * oc.u.s)
look = stations[[j]].look_angles(cluster[[0]], times)
print(f"{cluster.names[0]} over {stations.names[j]}: max elevation "
      f"{look.elevation.max():.1f~P}, range {look.range.min().to('km'):.0f~P} to "
      f"{look.range.max().to('km'):.0f~P}")

# %% [markdown]
# ## Export
#
# Pass tables are plain tables: `rows()`, `to_csv(path)` (refuses to overwrite an existing file
# unless `overwrite=True`) and `to_pandas()`.

# %%
csv_text = gs_passes.to_csv()
print("\n".join(csv_text.splitlines()[:4]))
