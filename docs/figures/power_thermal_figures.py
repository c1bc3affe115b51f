"""Regenerate the figures and numbers of docs/power_thermal.md (build-time only).

Run from the repository root:  python docs/figures/power_thermal_figures.py
Writes docs/figures/power_*.png and thermal_*.png and prints the figures quoted in the page.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import orbitcompute as oc
from orbitcompute.mass import mass_budget
from orbitcompute.plotting import plot_energy, plot_temperature
from orbitcompute.power import (
    energy_series,
    fixed_beta_history,
    size_array,
    size_battery,
)
from orbitcompute.sun import sunlight_history
from orbitcompute.thermal import (
    earth_view_factor_si,
    size_radiator,
    transient_temperature,
)

u = oc.u
OUT = Path(__file__).parent
LOAD = 120 * u.kW  # 100 kW compute + 20 kW bus


def main():
    # 1. one orbit-pair at 550 km, beta = 0 (the design-point case)
    h = fixed_beta_history(altitude=550 * u.km, beta=0 * u.deg, duration=2 * 95.6 * u.min, step=10 * u.s)
    arr = size_array(h, LOAD)
    bat = size_battery(h, LOAD)
    es = energy_series(h, LOAD, arr, bat)
    fig = plot_energy(es)
    fig.axes[0].set_title("550 km, beta = 0 deg, 120 kW load, two-axis array at end of life")
    fig.tight_layout()
    fig.savefig(OUT / "power_orbit_550km_beta0.png", dpi=110)
    plt.close(fig)
    print(f"550 km beta 0: area {arr.area_m2:.1f} m^2, BOL {arr.power_bol_w / 1e3:.1f} kW, "
          f"EOL {arr.power_eol_w / 1e3:.1f} kW, P_sa {arr.required_power_w / 1e3:.1f} kW, array {arr.mass_kg:.0f} kg; "
          f"battery {bat.capacity_j / 3.6e6:.1f} kWh DoD {bat.dod:.3f} ({bat.cycles:.0f} cycles), {bat.mass_kg:.0f} kg; "
          f"min SOC {es.min_state_of_charge:.4f}")

    # 2. a year of a 650 km dawn-dusk SSO (LTAN 18 h)
    sso = oc.Constellation.sun_synchronous(altitude=650 * u.km, ltan=18 * u.hour, epoch="2026-01-01T00:00:00Z")
    year = sunlight_history(sso, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 120 * u.s)
    side = np.sign(np.mean(np.einsum("ni,ni->n", year.sun_unit, np.cross(year.r_m, year.v_m_s))))
    fixed = size_array(year, LOAD, attitude="body_fixed", normal_rtn=(0, 0, side))
    two = size_array(year, LOAD, attitude="two_axis")
    one = size_array(year, LOAD, attitude="one_axis")
    b_year = size_battery(year, LOAD)
    es_y = energy_series(year, LOAD, two, b_year)
    fig = plot_energy(es_y)
    fig.axes[0].set_title("650 km dawn-dusk SSO over 2026, 120 kW, two-axis array at end of life")
    fig.tight_layout()
    fig.savefig(OUT / "power_year_sso650.png", dpi=110)
    plt.close(fig)
    ecl = two.eclipse_s
    print(f"SSO 650 year: orbits {len(ecl)}, with eclipse > 60 s: {np.count_nonzero(ecl > 60)}, "
          f"longest {ecl.max():.0f} s, shadow share {1 - two.daylight_s.sum() / (len(ecl) * year.period_s):.4f}")
    for name, s in (("two-axis", two), ("orbit-normal fixed", fixed), ("one-axis drive", one)):
        print(f"  {name}: area {s.area_m2:.1f} m^2, BOL {s.power_bol_w / 1e3:.1f} kW, worst orbit day "
              f"{s.orbit_start_s[s.worst_orbit] / 86400:.1f}, orbit-average margin {s.orbit_average_margin:.3f}")
    print(f"  battery {b_year.capacity_j / 3.6e6:.1f} kWh, DoD {b_year.dod:.3f}, cycles {b_year.cycles:.0f}, "
          f"{b_year.mass_kg:.0f} kg; min SOC {es_y.min_state_of_charge:.4f}")
    b0 = size_array(fixed_beta_history(altitude=650 * u.km, beta=0 * u.deg, duration=200 * u.min,
                                       step=30 * u.s), LOAD)
    print(f"  beta=0 design point at 650 km: area {b0.area_m2:.1f} m^2 ({b0.area_m2 / two.area_m2:.2f}x)")

    # radiators for the same satellite (hot orbit of the year, EOL, default chain 45 C)
    rad = size_radiator(100 * u.kW, history=year, bus_dissipation=20 * u.kW)
    rad20 = size_radiator(100 * u.kW, history=year, bus_dissipation=20 * u.kW, temperature=u.Quantity(20, "degC"))
    print(f"  radiator (45 C chain, edge-on, EOL): net {rad.net_w_m2:.1f} W/m^2 (gross {rad.gross_w_m2:.1f}, "
          f"absorbed {rad.absorbed_w_m2:.1f}), {rad.area_m2:.1f} m^2, {rad.mass_kg:.0f} kg; "
          f"at 20 C: {rad20.net_w_m2:.1f} W/m^2, {rad20.area_m2:.1f} m^2")
    mb = mass_budget(100 * u.kW, array=fixed, battery=b_year, radiator=rad)
    print(mb)
    print(f"  compute W per kg launch: {mb.specific_power.m:.1f}; array BOL W per kg launch: "
          f"{fixed.power_bol_w / mb.launch_mass_kg:.1f}")

    # 3. transient radiator temperature through eclipse (June, SSO in its eclipse season)
    june = sunlight_history(sso, "2026-06-21T00:00:00Z", "2026-06-21T05:00:00Z", 20 * u.s)
    tr = transient_temperature(june, area=rad.area, heat_capacity=rad.mass * 900 * u.J / u.kg / u.K,
                               internal_power=np.where(june.illuminated > 0.5, 120e3, 60e3) * u.W,
                               fin_efficiency=rad.fin_efficiency)
    fig = plot_temperature(tr)
    fig.axes[0].set_title("radiator of the 120 kW satellite, June, load halved in eclipse")
    fig.tight_layout()
    fig.savefig(OUT / "thermal_transient_sso650_june.png", dpi=110)
    plt.close(fig)
    last = tr.t_s > tr.t_s[-1] - june.period_s
    print(f"transient: tau {tr.time_constant_s:.0f} s, last-orbit swing "
          f"{np.ptp(tr.temperature_k[last]):.1f} K, range {tr.temperature_k[last].min() - 273.15:.1f}.."
          f"{tr.temperature_k[last].max() - 273.15:.1f} C")

    # 4. view factor vs tilt
    fig, ax = plt.subplots(figsize=(7, 4))
    lam = np.linspace(0, 180, 361)
    for h_km in (400, 650, 2000, 35786):
        ax.plot(lam, earth_view_factor_si(h_km * 1e3, np.radians(lam)), label=f"{h_km} km")
    ax.set_xlabel("tilt of the plate normal from nadir [deg]")
    ax.set_ylabel("view factor to the Earth [-]")
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT / "thermal_view_factor.png", dpi=110)
    plt.close(fig)

    # 5. ISS PVR (case 3)
    iss = oc.Constellation.keplerian(altitude=415 * u.km, inclination=51.64 * u.deg, raan=0 * u.deg,
                                     epoch="2026-06-21T00:00:00Z")
    hi = sunlight_history(iss, "2026-06-21T00:00:00Z", "2026-06-22T00:00:00Z", 60 * u.s)
    for life in ("bol", "eol"):
        r = size_radiator(14 * u.kW, history=hi, temperature=u.Quantity(2.5, "degC"), life=life)
        print(f"ISS PVR {life}: net {r.net_w_m2:.1f} W/m^2 (gross {r.gross_w_m2:.1f}, absorbed {r.absorbed_w_m2:.1f}),"
              f" area {r.area_m2:.1f} m^2 vs flown 42.4")


if __name__ == "__main__":
    main()
