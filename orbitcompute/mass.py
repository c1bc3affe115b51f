"""Mass budget of a compute satellite (or a cluster of them), rolled up to launch mass.

Each line comes from a specific-mass assumption with provenance (value, source, year,
low/high in ``orbitcompute/data/assumptions_spacecraft.csv``), or from the array, battery
and radiator sized by :mod:`orbitcompute.power` and :mod:`orbitcompute.thermal`.
:meth:`MassBudget.table` shows every line with the assumption and its source; where a
number is a rough engineering estimate, the source says so.

Roll-up
-------
With ``S`` the sum of the sized items (compute, shielding, array, battery, radiator),
``f_s`` and ``f_b`` the structure and bus fractions of the dry mass before margin,
``f_p`` the propulsion hardware per kg of propellant, ``m`` the system margin and
``R = exp(dv / (g0 Isp)) - 1`` (Tsiolkovsky)::

    D = S / (1 - f_s - f_b - f_p (1 + m) R)       dry mass before margin
    structure = f_s D,  bus = f_b D,  margin = m D
    propellant = (1 + m) D R,  propulsion hardware = f_p * propellant
    launch mass = (1 + m) D + propellant

so the propellant is exactly what the rocket equation needs to give the margined dry
mass ``dv``.

References
----------
Wertz, J. R. & Larson, W. J. (eds.) (1999), *Space Mission Analysis and Design*, 3rd ed.,
ch. 10 (mass distributions) and ch. 17 (rocket equation).
ESA (2012), *Margin philosophy for science assessment studies*, SRE-PA/2011.097 (20 %
system margin); AIAA S-120A-2015, *Mass Properties Control for Space Systems*.

Examples
--------
>>> import orbitcompute as oc
>>> from orbitcompute.mass import mass_budget
>>> mb = mass_budget(100 * oc.u.kW, array_power=260 * oc.u.kW, battery_energy=70 * oc.u.kWh,
...                  radiator_area=250 * oc.u.m**2)
>>> round(mb.launch_mass_kg)
12111
>>> [r["item"] for r in mb.table()][:3]
['compute hardware', 'radiation shielding', 'solar array']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import constants as _sc

from ._output import csv_text, write_text
from .errors import InputError
from ._spacecraft import _default, _defaults
from .power import ArraySizing, BatterySizing
from .thermal import RadiatorSizing
from .units import magnitude, quantity

__all__ = ["MassBudget", "MassItem", "mass_budget"]

G0 = _sc.g  # standard gravity [m/s^2] (exact, CGPM 1901)


@dataclass(frozen=True)
class MassItem:
    """One line of a mass budget.

    Attributes
    ----------
    item : str
    mass_kg : float [kg]
    assumption : str
        How the number was obtained (formula with values).
    source : str
        Provenance of the assumption(s).
    """

    item: str
    mass_kg: float
    assumption: str
    source: str


@dataclass(frozen=True, eq=False)
class MassBudget:
    """Mass budget of one satellite (``count`` identical ones in a cluster).

    Attributes
    ----------
    items : tuple of MassItem
        Line items, ending with the system margin and the propellant.
    compute_power_w : float
        Electrical power of the compute hardware [W].
    count : int
        Satellites in the cluster.
    dry_mass_kg, launch_mass_kg : float
        Per satellite: dry mass including margin, and launch (wet) mass [kg].
    """

    items: tuple[MassItem, ...]
    compute_power_w: float
    count: int
    dry_mass_kg: float
    launch_mass_kg: float

    @property
    def launch_mass(self):
        """Launch mass per satellite [kg]."""
        return quantity(self.launch_mass_kg, "kg")

    @property
    def cluster_launch_mass(self):
        """Launch mass of all ``count`` satellites [kg]."""
        return quantity(self.launch_mass_kg * self.count, "kg")

    @property
    def specific_power(self):
        """Compute power per kg of launch mass [W/kg]."""
        return quantity(self.compute_power_w / self.launch_mass_kg, "W/kg")

    def __getitem__(self, item: str) -> MassItem:
        for it in self.items:
            if it.item == item:
                return it
        raise KeyError(f"{item!r}; items are {[i.item for i in self.items]}")

    def table(self) -> list[dict[str, Any]]:
        """Rows ``item, mass_kg, assumption, source``, then totals (dry with margin, launch)."""
        rows = [{"item": i.item, "mass_kg": i.mass_kg, "assumption": i.assumption, "source": i.source}
                for i in self.items]
        rows.append({"item": "dry mass incl. margin", "mass_kg": self.dry_mass_kg, "assumption": "sum", "source": ""})
        rows.append({"item": "launch mass", "mass_kg": self.launch_mass_kg, "assumption": "dry + propellant",
                     "source": ""})
        if self.count > 1:
            rows.append({"item": f"cluster launch mass ({self.count} satellites)",
                         "mass_kg": self.launch_mass_kg * self.count, "assumption": f"{self.count} x launch mass",
                         "source": ""})
        return rows

    def to_csv(self, path=None, *, overwrite: bool = False) -> str:
        """The table as CSV text, also written atomically to ``path`` if given (refusing to
        replace a file unless ``overwrite``)."""

        text = csv_text(({**r, "mass_kg": f"{r['mass_kg']:.3f}"} for r in self.table()),
                        ["item", "mass_kg", "assumption", "source"])
        if path is not None:
            write_text(path, text, overwrite=overwrite)
        return text

    def __str__(self) -> str:
        lines = [f"{'item':<42} {'mass [kg]':>12}  assumption"]
        for r in self.table():
            lines.append(f"{r['item']:<42} {r['mass_kg']:>12.1f}  {r['assumption']}")
        return "\n".join(lines)


def rollup_si(sized_kg, structure_fraction, bus_fraction, propulsion_dry_fraction, system_margin, delta_v_m_s,
              specific_impulse_s):
    """The roll-up of the module docstring, vectorized: ``(dry0, propellant, launch)`` [kg].

    All arguments broadcast (scalars or arrays of draws).  ``dry0`` is NaN where the
    fractions leave less than 5 % of the dry mass for the sized items.
    """
    ratio = np.expm1(np.asarray(delta_v_m_s, float) / (G0 * np.asarray(specific_impulse_s, float)))
    m = np.asarray(system_margin, float)
    denom = 1.0 - np.asarray(structure_fraction, float) - bus_fraction - propulsion_dry_fraction * (1.0 + m) * ratio
    dry0 = np.asarray(sized_kg, float) / np.where(denom > 0.05, denom, np.nan)
    prop = (1.0 + m) * dry0 * ratio
    return dry0, prop, (1.0 + m) * dry0 + prop


def _src(name: str) -> str:
    a = _defaults()[name]
    return f"{a.source} ({a.year})" if a.year else a.source


def _frac(value, name: str, lo: float = 0.0, hi: float = 1.0) -> tuple[float, str]:
    if value is None:
        return _default(name), _src(name)
    x = float(magnitude(value, "dimensionless", name, allow_float=True))
    if not lo <= x < hi:
        raise InputError(f"{name}: {x!r} is outside [{lo}, {hi}); e.g. {name}={_default(name)}")
    return x, "user input"


def mass_budget(compute_power, *, array: ArraySizing | None = None, battery: BatterySizing | None = None,
                radiator: RadiatorSizing | None = None, array_power=None, battery_energy=None, radiator_area=None,
                compute_specific_mass=None, array_specific_power=None, battery_specific_energy=None,
                radiator_areal_density=None, shielding_fraction=None, structure_fraction=None, bus_fraction=None,
                delta_v=None, specific_impulse=None, propulsion_dry_fraction=None, system_margin=None,
                count: int = 1) -> MassBudget:
    """Mass budget of a compute satellite, rolled up to launch mass.

    Parameters
    ----------
    compute_power : Quantity [power]
        Electrical power of the compute hardware per satellite.
    array, battery, radiator : ArraySizing, BatterySizing, RadiatorSizing, optional
        Sized subsystems (their masses are used as computed).
    array_power : Quantity [power], optional
        BOL array power if ``array`` is not given (mass = power / specific power).
    battery_energy : Quantity [energy], optional
        Nameplate energy if ``battery`` is not given (0 if neither).
    radiator_area : Quantity [area], optional
        Panel area if ``radiator`` is not given (0 if neither).
    compute_specific_mass : Quantity [kg/kW], optional
        Default 12.8 kg/kW (DGX H100 class).
    array_specific_power : Quantity [W/kg];  battery_specific_energy : Quantity [Wh/kg];
    radiator_areal_density : Quantity [kg/m^2], optional
    shielding_fraction : float [-], optional
        Shielding mass per kg of compute hardware.
    structure_fraction, bus_fraction : float [-], optional
        Fractions of the dry mass before margin.
    delta_v : Quantity [velocity];  specific_impulse : Quantity [time], optional
    propulsion_dry_fraction : float [-], optional
        Tanks and thrusters per kg of propellant.
    system_margin : float [-], optional
        On the dry mass (default 20 %).
    count : int
        Satellites in the cluster.

    Returns
    -------
    MassBudget
    """
    p_c = float(magnitude(compute_power, "W", "compute_power"))
    if p_c < 0:
        raise InputError(f"compute_power: {p_c} W is negative")
    if int(count) != count or count < 1:
        raise InputError(f"count: {count!r} must be a positive integer")
    items: list[MassItem] = []

    def value(q, unit, name, default_name):
        if q is None:
            return _default(default_name, unit), _src(default_name)
        return float(magnitude(q, unit, name)), "user input"

    csm, s_csm = value(compute_specific_mass, "kg/kW", "compute_specific_mass", "compute_specific_mass")
    m_compute = p_c / 1e3 * csm
    n_acc = p_c / _default("accelerator_power", "W")
    items.append(MassItem("compute hardware", m_compute,
                          f"{p_c / 1e3:.4g} kW x {csm:g} kg/kW (~{n_acc:.3g} accelerators of 700 W)", s_csm))
    f_sh, s_sh = _frac(shielding_fraction, "shielding_fraction")
    items.append(MassItem("radiation shielding", f_sh * m_compute, f"{f_sh:g} x compute hardware", s_sh))

    if array is not None:
        items.append(MassItem("solar array", array.mass_kg,
                              f"{array.power_bol_w / 1e3:.4g} kW BOL / {array.factors['specific_power_w_kg']:g} W/kg "
                              f"({array.area_m2:.4g} m^2, sized by power.size_array)", _src("array_specific_power")))
    else:
        sp, s_sp = value(array_specific_power, "W/kg", "array_specific_power", "array_specific_power")
        p_a = 0.0 if array_power is None else float(magnitude(array_power, "W", "array_power"))
        items.append(MassItem("solar array", p_a / sp, f"{p_a / 1e3:.4g} kW BOL / {sp:g} W/kg", s_sp))

    if battery is not None:
        items.append(MassItem("battery", battery.mass_kg,
                              f"{battery.capacity_j / 3.6e6:.4g} kWh / {battery.specific_energy_wh_kg:g} Wh/kg "
                              f"(DoD {battery.dod:.3g}, sized by power.size_battery)", _src("battery_specific_energy")))
    else:
        se, s_se = value(battery_specific_energy, "W*h/kg", "battery_specific_energy", "battery_specific_energy")
        e_b = 0.0 if battery_energy is None else float(magnitude(battery_energy, "W*h", "battery_energy"))
        items.append(MassItem("battery", e_b / se, f"{e_b / 1e3:.4g} kWh / {se:g} Wh/kg", s_se))

    if radiator is not None:
        if not radiator.feasible:
            raise InputError("radiator: the sized radiator is infeasible (net flux <= 0); change temperature or attitude")
        items.append(MassItem("radiator", radiator.mass_kg,
                              f"{radiator.area_m2:.4g} m^2 x {radiator.areal_density_kg_m2:g} kg/m^2 "
                              f"({radiator.net_w_m2:.4g} W/m^2 net at {radiator.temperature_k - 273.15:.3g} degC)",
                              _src("radiator_areal_density")))
    else:
        rho, s_rho = value(radiator_areal_density, "kg/m^2", "radiator_areal_density", "radiator_areal_density")
        a_r = 0.0 if radiator_area is None else float(magnitude(radiator_area, "m^2", "radiator_area"))
        items.append(MassItem("radiator", a_r * rho, f"{a_r:.4g} m^2 x {rho:g} kg/m^2", s_rho))

    f_s, s_s = _frac(structure_fraction, "structure_fraction")
    f_b, s_b = _frac(bus_fraction, "bus_fraction")
    f_p, s_p = _frac(propulsion_dry_fraction, "propulsion_dry_fraction")
    m, s_m = _frac(system_margin, "system_margin")
    dv, s_dv = value(delta_v, "m/s", "delta_v", "delta_v")
    isp, s_isp = value(specific_impulse, "s", "specific_impulse", "specific_impulse")
    if dv < 0 or isp <= 0:
        raise InputError(f"delta_v {dv} m/s must be >= 0 and specific_impulse {isp} s > 0")
    subtotal = sum(i.mass_kg for i in items)
    dry0, prop, _ = (float(x) for x in rollup_si(subtotal, f_s, f_b, f_p, m, dv, isp))
    if not np.isfinite(dry0):
        denom = 1.0 - f_s - f_b - f_p * (1.0 + m) * float(np.expm1(dv / (G0 * isp)))
        raise InputError(
            f"structure_fraction {f_s} + bus_fraction {f_b} + propulsion hardware leave no room for payload "
            f"(1 - sum = {denom:.3g}); lower the fractions or delta_v"
        )
    items.append(MassItem("structure", f_s * dry0, f"{f_s:g} x dry mass before margin", s_s))
    items.append(MassItem("bus (ADCS, avionics, TT&C, harness)", f_b * dry0, f"{f_b:g} x dry mass before margin", s_b))
    items.append(MassItem("propulsion hardware", f_p * prop, f"{f_p:g} x propellant", s_p))
    items.append(MassItem("system margin", m * dry0, f"{m:g} x dry mass before margin", s_m))
    items.append(MassItem("propellant", prop,
                          f"rocket equation: dv {dv:g} m/s, Isp {isp:g} s, on the margined dry mass",
                          f"delta-v: {s_dv}; Isp: {s_isp}"))
    dry = (1.0 + m) * dry0
    return MassBudget(items=tuple(items), compute_power_w=p_c, count=int(count), dry_mass_kg=dry,
                      launch_mass_kg=dry + prop)
