"""Tests of orbitcompute.mass (and the shipped assumptions in orbitcompute.provenance).

Independent references
----------------------
* Tsiolkovsky's rocket equation checked the other way round: the budget's launch and
  propellant masses must give back ``dv = g0 Isp ln(m0 / m_f)``;
* the definitions of the fractions (structure = f_s x dry mass before margin, ...),
  recomputed from the table rows;
* REFERENCES.md case 3 (ISS PVR 740.7 kg for 14 kW, ~53 kg/kW) and case 4 (Nanjangud's
  critique of Starcloud: with ISS-class radiators the thermal system of a 40 MW cluster
  alone needs ~13 Starship launches).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import orbitcompute as oc
from orbitcompute.mass import MassBudget, mass_budget
from orbitcompute.power import (
    fixed_beta_history,
    size_array,
    size_battery,
    spacecraft_assumptions,
)
from orbitcompute.provenance import Assumption, read_assumptions
from orbitcompute.thermal import size_radiator

u = oc.u
G0 = 9.80665


def _budget(**kw):
    base = {"array_power": 260 * u.kW, "battery_energy": 70 * u.kWh, "radiator_area": 250 * u.m**2}
    base.update(kw)
    return mass_budget(100 * u.kW, **base)


def test_rollup_and_rocket_equation():
    mb = _budget()
    rows = {r["item"]: r["mass_kg"] for r in mb.table()}
    items = [i.mass_kg for i in mb.items]
    assert sum(items) == pytest.approx(mb.launch_mass_kg, rel=1e-12)
    assert rows["launch mass"] == mb.launch_mass_kg
    prop = mb["propellant"].mass_kg
    # Rocket equation, the other way round (dv 150 m/s, Isp 1500 s by default).
    assert G0 * 1500 * math.log(mb.launch_mass_kg / (mb.launch_mass_kg - prop)) == pytest.approx(150.0, rel=1e-12)
    assert mb.dry_mass_kg == pytest.approx(mb.launch_mass_kg - prop)
    # Fractions as defined: of the dry mass before margin.
    dry0 = mb.dry_mass_kg / 1.2
    assert mb["structure"].mass_kg == pytest.approx(0.2 * dry0)
    assert mb["bus (ADCS, avionics, TT&C, harness)"].mass_kg == pytest.approx(0.1 * dry0)
    assert mb["system margin"].mass_kg == pytest.approx(0.2 * dry0)
    assert mb["propulsion hardware"].mass_kg == pytest.approx(0.15 * prop)
    # Sized items from the specific masses.
    assert mb["compute hardware"].mass_kg == pytest.approx(100 * 12.8)
    assert mb["radiation shielding"].mass_kg == pytest.approx(0.1 * 1280)
    assert mb["solar array"].mass_kg == pytest.approx(260e3 / 100)
    assert mb["battery"].mass_kg == pytest.approx(70e3 / 150)
    assert mb["radiator"].mass_kg == pytest.approx(250 * 10)
    assert mb.specific_power.m_as("W/kg") == pytest.approx(100e3 / mb.launch_mass_kg)


def test_table_rows_carry_assumption_and_source():
    mb = _budget(count=4)
    rows = mb.table()
    assert all(set(r) == {"item", "mass_kg", "assumption", "source"} for r in rows)
    for r in rows[: len(mb.items)]:
        assert r["assumption"] and r["source"], r
    assert rows[-1]["mass_kg"] == pytest.approx(4 * mb.launch_mass_kg)
    assert mb.cluster_launch_mass.m_as("t") == pytest.approx(4 * mb.launch_mass_kg / 1e3)
    text = mb.to_csv()
    assert text.splitlines()[0] == "item,mass_kg,assumption,source" and len(text.splitlines()) == len(rows) + 1
    assert "launch mass" in str(mb)
    user = _budget(structure_fraction=0.25)
    assert user["structure"].source == "user input"


def test_from_sized_subsystems():
    h = fixed_beta_history(altitude=550 * u.km, beta=0 * u.deg, duration=100 * u.min, step=20 * u.s)
    arr = size_array(h, 120 * u.kW)
    bat = size_battery(h, 120 * u.kW)
    rad = size_radiator(100 * u.kW, history=h, bus_dissipation=20 * u.kW)
    mb = mass_budget(100 * u.kW, array=arr, battery=bat, radiator=rad)
    assert mb["solar array"].mass_kg == arr.mass_kg
    assert mb["battery"].mass_kg == bat.mass_kg
    assert mb["radiator"].mass_kg == rad.mass_kg
    assert "size_array" in mb["solar array"].assumption


def test_case4_iss_class_radiators_need_a_fleet_of_launches():
    """REFERENCES cases 3-4: ISS PVR, 740.7 kg for 14 kW (52.9 kg/kW).  At that specific
    mass, 40 MW of heat needs ~2,100 t of radiator; Nanjangud's ~13 Starship launches
    corresponds to ~160 t per launch, inside the 100-200 t usually quoted."""
    rho = 740.7 / (3.12 * 13.6)
    net = 14e3 / (3.12 * 13.6)
    # Starcloud's ideal: 20 C, eps = 1, no environment, same areal density
    ideal = size_radiator(40 * u.MW, absorbed=0.0 * u.W / u.m**2, temperature=u.Quantity(20, "degC"),
                          emissivity=1.0, fin_efficiency=1.0, areal_density=rho * u.kg / u.m**2)
    m_rad = 40e6 / net * rho
    assert m_rad / 40e3 == pytest.approx(740.7 / 14, rel=1e-9)
    mb = mass_budget(40 * u.MW, radiator_area=40e6 / net * u.m**2, radiator_areal_density=rho * u.kg / u.m**2)
    assert mb["radiator"].mass_kg == pytest.approx(m_rad)
    assert 2.0e6 < m_rad < 2.2e6
    assert 12 <= m_rad / 160e3 <= 14
    # the ideal radiator is 837.5 / 330 ~ 2.5x lighter: the critique's point
    assert m_rad / ideal.mass_kg == pytest.approx(837.53 / net, rel=1e-3)


def test_bad_inputs():
    with pytest.raises(oc.InputError):
        _budget(structure_fraction=0.6, bus_fraction=0.4)
    with pytest.raises(oc.InputError):
        _budget(system_margin=1.5)
    with pytest.raises(oc.InputError):
        mass_budget(-1 * u.kW)
    with pytest.raises(oc.InputError):
        _budget(count=0)
    with pytest.raises(oc.UnitError):
        mass_budget(100.0)
    infeasible = size_radiator(1 * u.kW, absorbed=3000 * u.W / u.m**2, temperature=u.Quantity(0, "degC"))
    with pytest.raises(oc.InputError, match="infeasible"):
        mass_budget(1 * u.kW, radiator=infeasible)


def test_shipped_assumptions_have_provenance():
    a = spacecraft_assumptions()
    assert len(a) >= 40
    for name, x in a.items():
        assert isinstance(x, Assumption) and x.name == name
        assert x.source and x.year is not None and 1990 <= x.year <= 2026, name
        assert x.low is not None and x.high is not None, name
        lo, hi = sorted([x.low.m, x.high.m])
        assert lo <= x.value.m <= hi, name
    # a few values pinned to their published sources
    assert a["solar_constant"].si("W/m^2") == 1361.0  # Kopp & Lean 2011
    assert a["cell_efficiency_triple_junction"].si() == 0.298  # Spectrolab XTJ (REFERENCES)
    assert a["accelerator_power"].si("W") == 700.0  # H100 SXM (REFERENCES)
    assert a["cell_reference_temperature"].si("K") == pytest.approx(301.15)
    assert read_assumptions("assumptions_spacecraft.csv").keys() == a.keys()
    assert a["system_margin"].with_value(0.3).value.m == 0.3
    assert "user override" in a["system_margin"].with_value(0.3).source
    assert isinstance(_budget(), MassBudget) and np.isfinite(_budget().launch_mass_kg)
