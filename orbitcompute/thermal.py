"""Thermal environment, radiator sizing, equilibrium and orbit-transient temperatures.

Environment on a flat surface (one face, unit normal ``n``) at position ``r`` with the
Sun in direction ``s`` (from the sunlight history of the actual orbit)::

    q_solar  = S f_ill max(0, n . s)                       direct sunlight
    q_albedo = S a F(h, lambda) max(0, r_hat . s)           reflected sunlight
    q_IR     = OLR F(h, lambda)                             Earth infrared

``F`` is the view factor from a flat plate to a spherical Earth for altitude ``h`` and
the angle ``lambda`` between the plate normal and nadir; ``r_hat . s`` is the cosine of
the Sun's zenith angle at the sub-satellite point, so albedo fades to zero over the
night side (whether or not the satellite itself is in shadow).  This is the standard
design-practice albedo model (Gilmore 2002, ch. 2); it over-weights the terminator
region slightly because it applies the sub-satellite cosine to the whole visible cap.

Net rejection per m^2 of a radiator face at temperature ``T`` (IR absorptance = IR
emittance by Kirchhoff's law)::

    q_net = eta_fin eps sigma T^4 - alpha (q_solar + q_albedo) - eps q_IR

View factor (Howell, *A Catalog of Radiation Heat Transfer Configuration Factors*,
3rd ed., "differential planar element to sphere"; the formulas Gilmore 2002 ch. 2 uses),
with ``H = (R + h) / R`` and ``lambda`` the tilt from nadir::

    |lambda| <= acos(1/H):  F = cos(lambda) / H^2
    otherwise (part of the Earth is behind the plate's horizon):
        F = 1/2 - asin(sqrt(H^2 - 1) / (H sin lambda)) / pi
            + [cos(lambda) acos(-sqrt(H^2 - 1) cot(lambda))
               - sqrt(H^2 - 1) sqrt(1 - H^2 cos^2(lambda))] / (pi H^2)
    lambda >= pi - acos(1/H):  F = 0

A radiator's temperature is bounded by the chips: ``T_rad = T_junction,max - sum dT_i``
over a thermal resistance chain (junction -> cold plate -> coolant loop -> radiator).

Transient (lumped capacitance ``C``), integrated with :func:`scipy.integrate.solve_ivp`
and driven by the sunlight history::

    C dT/dt = P_abs(t) + P_int(t) - n_sides A eps sigma T^4

References
----------
Gilmore, D. G. (ed.) (2002), *Spacecraft Thermal Control Handbook*, Vol. I, 2nd ed.,
The Aerospace Press, ch. 2 (environment), Appendix A (coating properties).
Howell, J. R., *A Catalog of Radiation Heat Transfer Configuration Factors*, 3rd ed.,
http://www.thermalradiation.net/indexCat.html (planar element to sphere).
Stefan-Boltzmann constant from :mod:`scipy.constants` (CODATA 2018).

Examples
--------
>>> import orbitcompute as oc
>>> from orbitcompute.thermal import radiator_flux
>>> q = radiator_flux(oc.u.Quantity(20, "degC"), emissivity=1.0, two_sided=True)  # REFERENCES case 1
>>> round(float(q.m_as("W/m^2")), 1)
837.5
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import constants as _sc

from ._moved import moved
from .constants import WGS84_A
from .errors import InputError
from ._spacecraft import _default, _fraction
from .power import _check_history, per_orbit_integral_si, rtn_basis_si
from .units import magnitude, quantity

__all__ = [
    "ORIENTATIONS",
    "SIGMA",
    "RadiatorSizing",
    "ThermalChain",
    "TransientTemperature",
    "absorbed_flux_si",
    "earth_view_factor",
    "earth_view_factor_si",
    "environment_fluxes_si",
    "equilibrium_temperature",
    "equilibrium_temperature_si",
    "net_flux_si",
    "radiator_flux",
    "size_radiator",
    "surface_normal_si",
    "transient_temperature",
]

#: Stefan-Boltzmann constant [W m^-2 K^-4] (CODATA 2018 via scipy.constants).
SIGMA = _sc.Stefan_Boltzmann
#: Named surface orientations understood by :func:`surface_normal_si`.
ORIENTATIONS = ("nadir", "zenith", "ram", "wake", "orbit_normal", "anti_normal", "sun", "anti_sun", "edge_on")


# ---------------------------------------------------------------------- view factor
def earth_view_factor_si(altitude_m, tilt_rad, radius_m: float = WGS84_A) -> np.ndarray:
    """View factor from a flat plate to a spherical Earth.

    Parameters
    ----------
    altitude_m : array_like [m]
        Height of the plate above the sphere.
    tilt_rad : array_like [rad]
        Angle between the plate normal and nadir (0: facing the Earth, pi/2: horizontal
        normal, pi: facing away).
    radius_m : float [m]
        Sphere radius (default WGS84 equatorial radius).

    Returns
    -------
    ndarray [-], broadcast shape of the inputs, in 0..1

    Examples
    --------
    >>> from orbitcompute.thermal import earth_view_factor_si
    >>> round(float(earth_view_factor_si(550e3, 0.0)), 4)   # (R / (R + h))^2
    0.8475
    >>> round(float(earth_view_factor_si(550e3, 1.5707963267948966)), 4)
    0.2579
    """
    h = np.asarray(altitude_m, dtype=np.float64)
    lam = np.abs(np.asarray(tilt_rad, dtype=np.float64))
    lam = np.where(lam > np.pi, 2 * np.pi - lam, lam)
    H = (radius_m + np.maximum(h, 0.0)) / radius_m
    x = np.sqrt(np.maximum(H * H - 1.0, 0.0))
    lam0 = np.arccos(np.minimum(1.0 / H, 1.0))
    full = np.cos(lam) / (H * H)
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = np.sin(lam)
        a1 = np.arcsin(np.clip(x / (H * sl), -1.0, 1.0))
        a2 = np.arccos(np.clip(-x * np.cos(lam) / sl, -1.0, 1.0))
        a3 = np.sqrt(np.maximum(1.0 - (H * np.cos(lam)) ** 2, 0.0))
        part = 0.5 - a1 / np.pi + (np.cos(lam) * a2 - x * a3) / (np.pi * H * H)
    out = np.where(lam <= lam0, full, np.where(lam >= np.pi - lam0, 0.0, part))
    return np.clip(out, 0.0, 1.0)


def earth_view_factor(altitude, tilt):
    """View factor from a flat plate to the Earth (see :func:`earth_view_factor_si`).

    Parameters
    ----------
    altitude : Quantity [length]
    tilt : Quantity [angle]
        Angle of the plate normal from nadir.

    Returns
    -------
    Quantity [dimensionless], broadcast shape

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.thermal import earth_view_factor
    >>> earth_view_factor(400 * oc.u.km, [0, 90, 180] * oc.u.deg).round(4)
    <Quantity([0.8855 0.2887 0.    ], 'dimensionless')>
    """
    return quantity(earth_view_factor_si(magnitude(altitude, "m", "altitude"), magnitude(tilt, "rad", "tilt")), "")


# ---------------------------------------------------------------------- orientation and fluxes
def surface_normal_si(orientation, r_m, v_m_s, sun_unit) -> np.ndarray:
    """Unit normal of a surface face, shape ``(n, 3)``, in the frame of ``r_m``.

    Parameters
    ----------
    orientation : str or array_like, shape ``(3,)``
        One of :data:`ORIENTATIONS` or a vector in (radial, along-track, orbit-normal)
        components.  ``"sun"``/``"anti_sun"``: facing the Sun / away from it (a one-sided
        radiator behind a sun-pointing array).  ``"edge_on"``: horizontal and perpendicular to the Sun
        (``r_hat x s``), the classic radiator attitude that sees no direct sunlight and
        the least Earth; when the Sun is at the zenith it falls back to the orbit normal.
    r_m, v_m_s, sun_unit : ndarray, shape ``(n, 3)``

    Returns
    -------
    ndarray, shape ``(n, 3)``
    """
    rh, th, nh = rtn_basis_si(r_m, v_m_s)
    s = np.asarray(sun_unit, dtype=np.float64)
    if isinstance(orientation, str):
        simple = {"zenith": rh, "nadir": -rh, "ram": th, "wake": -th, "orbit_normal": nh, "anti_normal": -nh}
        if orientation in simple:
            return simple[orientation]
        if orientation in ("sun", "anti_sun"):
            return (1.0 if orientation == "sun" else -1.0) * s / np.linalg.norm(s, axis=1, keepdims=True)
        if orientation == "edge_on":
            c = np.cross(rh, s)
            norm = np.linalg.norm(c, axis=1, keepdims=True)
            ok = norm[:, 0] > 1e-6
            out = nh.copy()
            out[ok] = c[ok] / norm[ok]
            return out
        raise InputError(f"orientation: {orientation!r} is not one of {ORIENTATIONS} or an RTN 3-vector")
    c = np.asarray(orientation, dtype=np.float64)
    if c.shape != (3,) or not np.linalg.norm(c) > 0:
        raise InputError(f"orientation: expected a name or a non-zero 3-vector, got {orientation!r}")
    c = c / np.linalg.norm(c)
    return c[0] * rh + c[1] * th + c[2] * nh


def environment_fluxes_si(normal, r_m, sun_unit, illuminated, flux_w_m2, albedo: float, olr_w_m2: float,
                          radius_m: float = WGS84_A) -> dict[str, np.ndarray]:
    """Incident solar, albedo and Earth-IR fluxes on one face.

    Parameters
    ----------
    normal : ndarray, shape ``(n, 3)``
        Unit normal of the face.
    r_m : ndarray, shape ``(n, 3)`` [m]
    sun_unit : ndarray, shape ``(n, 3)``
    illuminated : ndarray, shape ``(n,)`` [-]
    flux_w_m2 : ndarray, shape ``(n,)`` [W/m^2]
        Solar flux at the Sun distance (not yet multiplied by ``illuminated``).
    albedo : float [-]
    olr_w_m2 : float [W/m^2]
        Outgoing long-wave radiation at the top of the atmosphere.

    Returns
    -------
    dict with ``solar``, ``albedo``, ``ir`` [W/m^2] and ``view_factor`` [-], each ``(n,)``
    """
    r = np.asarray(r_m, dtype=np.float64)
    rn = np.linalg.norm(r, axis=1)
    rh = r / rn[:, None]
    n = np.asarray(normal, dtype=np.float64)
    s = np.asarray(sun_unit, dtype=np.float64)
    tilt = np.arccos(np.clip(-np.einsum("ni,ni->n", n, rh), -1.0, 1.0))
    F = earth_view_factor_si(rn - radius_m, tilt, radius_m)
    cos_sun = np.maximum(np.einsum("ni,ni->n", n, s), 0.0)
    cos_ss = np.maximum(np.einsum("ni,ni->n", rh, s), 0.0)
    return {
        "solar": flux_w_m2 * np.asarray(illuminated) * cos_sun,
        "albedo": flux_w_m2 * albedo * F * cos_ss,
        "ir": olr_w_m2 * F,
        "view_factor": F,
    }


def _environment(albedo, olr) -> tuple[float, float]:
    a = _default("earth_albedo") if albedo is None else float(magnitude(albedo, "", "albedo", allow_float=True))
    q = _default("earth_olr", "W/m^2") if olr is None else float(magnitude(olr, "W/m^2", "olr"))
    if not 0 <= a <= 1 or q < 0:
        raise InputError(f"albedo {a} must be in 0..1 and olr {q} W/m^2 >= 0")
    return a, q


def absorbed_flux_si(history, orientation="edge_on", *, two_sided: bool = True, absorptance: float = 0.2,
                     emissivity: float = 0.9, albedo: float = 0.3, olr_w_m2: float = 237.0) -> np.ndarray:
    """Environmental power absorbed per m^2 of plate (summed over its radiating faces).

    Parameters
    ----------
    history : SunlightHistory
    orientation : str or RTN 3-vector
        Normal of the front face (see :func:`surface_normal_si`); a two-sided plate's back
        face points the other way.
    two_sided : bool
    absorptance, emissivity : float [-]
        Solar absorptance and IR emittance (= IR absorptance).
    albedo : float [-]
    olr_w_m2 : float [W/m^2]

    Returns
    -------
    ndarray, shape ``(n,)`` [W per m^2 of plate]
    """
    n = surface_normal_si(orientation, history.r_m, history.v_m_s, history.sun_unit)
    total = np.zeros(len(history.t_s))
    for sign in ((1.0, -1.0) if two_sided else (1.0,)):  # two faces, not a loop over time
        q = environment_fluxes_si(sign * n, history.r_m, history.sun_unit, history.illuminated,
                                  history.flux_w_m2, albedo, olr_w_m2)
        total += absorptance * (q["solar"] + q["albedo"]) + emissivity * q["ir"]
    return total


def net_flux_si(temperature_k, emissivity, absorbed_w_m2=0.0, n_sides: int = 1, fin_efficiency: float = 1.0):
    """Net rejection per m^2 of plate: ``eta_fin n eps sigma T^4 - absorbed`` [W/m^2]."""
    t = np.asarray(temperature_k, dtype=np.float64)
    return fin_efficiency * n_sides * emissivity * SIGMA * t**4 - np.asarray(absorbed_w_m2, dtype=np.float64)


def radiator_flux(temperature, *, emissivity=1.0, two_sided: bool = True, absorbed=None, fin_efficiency=1.0):
    """Net heat rejected per m^2 of radiator panel.

    Parameters
    ----------
    temperature : Quantity [temperature]
    emissivity : float [-]
    two_sided : bool
        Whether both faces radiate (the flux is per m^2 of *panel*).
    absorbed : Quantity [W/m^2], optional
        Environmental power absorbed per m^2 of panel, both faces together (default 0:
        the gross figure).
    fin_efficiency : float [-]

    Returns
    -------
    Quantity [W/m^2]

    Examples
    --------
    REFERENCES case 1 (Starcloud): 838 W/m^2 gross; 633 W/m^2 net after 205 W/m^2 absorbed.

    >>> import orbitcompute as oc
    >>> from orbitcompute.thermal import radiator_flux
    >>> round(float(radiator_flux(oc.u.Quantity(20, "degC"), absorbed=205 * oc.u.W / oc.u.m**2).m), 1)
    632.5
    """
    t = magnitude(temperature, "K", "temperature")
    q_abs = 0.0 if absorbed is None else magnitude(absorbed, "W/m^2", "absorbed")
    return quantity(net_flux_si(t, float(emissivity), q_abs, 2 if two_sided else 1, float(fin_efficiency)), "W/m^2")


def equilibrium_temperature_si(absorbed_w_m2, emissivity, internal_w_m2=0.0, n_sides: int = 1) -> np.ndarray:
    """Radiative equilibrium temperature ``((q_abs + q_int) / (n eps sigma))^(1/4)`` [K].

    All fluxes per m^2 of plate; ``n_sides`` faces radiate.
    """
    q = np.asarray(absorbed_w_m2, dtype=np.float64) + internal_w_m2
    return (np.maximum(q, 0.0) / (n_sides * emissivity * SIGMA)) ** 0.25


def equilibrium_temperature(absorbed, *, emissivity, internal=None, two_sided: bool = False):
    """Equilibrium temperature of a plate (see :func:`equilibrium_temperature_si`).

    Parameters
    ----------
    absorbed : Quantity [W/m^2]
        Absorbed environmental flux per m^2 of plate.
    emissivity : float [-]
    internal : Quantity [W/m^2], optional
        Internal dissipation per m^2 of plate.
    two_sided : bool

    Returns
    -------
    Quantity [K]

    Examples
    --------
    A black plate facing the Sun at 1 au, insulated back: 394 K.

    >>> import orbitcompute as oc
    >>> from orbitcompute.thermal import equilibrium_temperature
    >>> equilibrium_temperature(1361 * oc.u.W / oc.u.m**2, emissivity=1.0).round(1)
    <Quantity(393.6, 'kelvin')>
    """
    q = magnitude(absorbed, "W/m^2", "absorbed")
    qi = 0.0 if internal is None else magnitude(internal, "W/m^2", "internal")
    return quantity(equilibrium_temperature_si(q, float(emissivity), qi, 2 if two_sided else 1), "K")


# ---------------------------------------------------------------------- radiator sizing
@dataclass(frozen=True)
class ThermalChain:
    """Temperature drops from the chip junction to the radiator surface.

    Parameters
    ----------
    junction_max_k : float
        Highest allowed junction temperature [K].
    stages : tuple of (str, float)
        ``(name, delta_T_K)`` per stage; build from resistances with
        :meth:`from_resistances`.

    Examples
    --------
    >>> from orbitcompute.thermal import ThermalChain
    >>> ch = ThermalChain.default()
    >>> round(ch.radiator_temperature_k - 273.15, 2)
    45.0
    """

    junction_max_k: float
    stages: tuple = ()

    @classmethod
    def default(cls) -> ThermalChain:
        """Shipped assumptions: 85 degC junction; drops of 25, 5, 5 and 5 K."""
        names = ("dt_junction_to_coldplate", "dt_coldplate_to_coolant", "dt_coolant_loop", "dt_loop_to_radiator")
        return cls(_default("junction_max_temperature", "K"), tuple((nm[3:], _default(nm, "K")) for nm in names))

    @classmethod
    def from_resistances(cls, junction_max, stages) -> ThermalChain:
        """From ``(name, resistance [K/W], power through it [W])`` triples.

        Parameters
        ----------
        junction_max : Quantity [temperature]
        stages : sequence of (str, Quantity [K/W], Quantity [W])
        """
        tj = float(magnitude(junction_max, "K", "junction_max"))
        out = []
        for name, res, p in stages:
            out.append((name, float(magnitude(res, "K/W", f"{name} resistance") * magnitude(p, "W", f"{name} power"))))
        return cls(tj, tuple(out))

    @property
    def radiator_temperature_k(self) -> float:
        """``T_j,max - sum(delta_T)`` [K]."""
        return self.junction_max_k - sum(d for _, d in self.stages)


@dataclass(frozen=True, eq=False)
class RadiatorSizing:
    """Result of :func:`size_radiator` (SI floats; quantities via properties).

    Attributes
    ----------
    area_m2 : float
        Panel area (inf when the environment alone exceeds the emission) [m^2].
    mass_kg : float
    heat_load_w : float
    temperature_k : float
        Radiator surface temperature [K].
    gross_w_m2, absorbed_w_m2, net_w_m2 : float
        Emission, absorbed environment and net rejection per m^2 of panel, at the
        design case [W/m^2].
    two_sided : bool
    emissivity, absorptance, fin_efficiency : float
    design_case : str
    feasible : bool
    chain : ThermalChain or None
    """

    area_m2: float
    mass_kg: float
    heat_load_w: float
    temperature_k: float
    gross_w_m2: float
    absorbed_w_m2: float
    net_w_m2: float
    two_sided: bool
    emissivity: float
    absorptance: float
    fin_efficiency: float
    areal_density_kg_m2: float
    design_case: str
    feasible: bool
    chain: ThermalChain | None = None
    details: dict = field(default_factory=dict)

    @property
    def area(self):
        """Panel area [m^2]."""
        return quantity(self.area_m2, "m^2")

    @property
    def mass(self):
        """Radiator mass [kg]."""
        return quantity(self.mass_kg, "kg")

    @property
    def net_flux(self):
        """Net rejection per m^2 of panel [W/m^2]."""
        return quantity(self.net_w_m2, "W/m^2")


def _coating(value, name, life, which) -> float:
    if value is not None:
        return _fraction(value, name, f"radiator_{which}_{life}")
    if life not in ("bol", "eol"):
        raise InputError(f"life: {life!r} must be 'bol' or 'eol'")
    return _default(f"radiator_{which}_{life}")


def size_radiator(heat_load, *, history=None, absorbed=None, orientation="edge_on", two_sided: bool = True,
                  temperature=None, chain: ThermalChain | None = None, life: str = "eol", emissivity=None,
                  absorptance=None, fin_efficiency=None, areal_density=None, albedo=None, olr=None,
                  design_case: str = "hot_orbit", bus_dissipation=None, rejected_elsewhere=None) -> RadiatorSizing:
    """Size a radiator to reject a heat load.

    Parameters
    ----------
    heat_load : Quantity [power]
        Electrical load of the compute hardware (all of it ends up as heat).
    history : SunlightHistory, optional
        Geometry for the environment; if omitted, give ``absorbed``.
    absorbed : Quantity [W/m^2], optional
        Absorbed environmental flux per m^2 of panel (both faces), overriding the geometry.
    orientation : str or RTN 3-vector
        Front-face normal (see :func:`surface_normal_si`); default ``"edge_on"``.
    two_sided : bool
    temperature : Quantity [temperature], optional
        Radiator surface temperature; default from ``chain``.
    chain : ThermalChain, optional
        Junction-to-radiator chain (default :meth:`ThermalChain.default`, 45 degC).
    life : {"eol", "bol"}
        Which coating properties to use by default.
    emissivity, absorptance, fin_efficiency : float [-], optional
        Defaults: Z-93-class white paint at ``life``; fin efficiency 0.85.
    areal_density : Quantity [kg/m^2], optional
        Panel mass per m^2 (default 10 kg/m^2).
    albedo : float [-], optional;  olr : Quantity [W/m^2], optional
    design_case : {"hot_orbit", "peak", "mean"}
        ``hot_orbit``: the whole orbit with the highest mean absorbed flux (the radiator
        and loop heat capacity carry the swing within an orbit); ``peak``: the highest
        instantaneous flux; ``mean``: the mean over the whole orbits of the history.
    bus_dissipation : Quantity [power], optional
        Bus heat added to the load.
    rejected_elsewhere : Quantity [power], optional
        Heat leaving by other paths (body radiation, array), subtracted.

    Returns
    -------
    RadiatorSizing

    Examples
    --------
    REFERENCES case 2: 40 MW at Starcloud's 633 W/m^2.

    >>> import orbitcompute as oc
    >>> from orbitcompute.thermal import size_radiator
    >>> r = size_radiator(40 * oc.u.MW, absorbed=205 * oc.u.W / oc.u.m**2, temperature=oc.u.Quantity(20, "degC"),
    ...                   emissivity=1.0, absorptance=1.0, fin_efficiency=1.0)
    >>> round(r.area_m2), round(r.net_w_m2, 1)
    (63238, 632.5)
    """
    q = float(magnitude(heat_load, "W", "heat_load"))
    if bus_dissipation is not None:
        q += float(magnitude(bus_dissipation, "W", "bus_dissipation"))
    if rejected_elsewhere is not None:
        q -= float(magnitude(rejected_elsewhere, "W", "rejected_elsewhere"))
    if q < 0:
        raise InputError(f"heat_load: the net load {q:.3g} W is negative (rejected_elsewhere too large)")
    eps = _coating(emissivity, "emissivity", life, "emissivity")
    alpha = _coating(absorptance, "absorptance", life, "absorptance")
    eta_f = _fraction(fin_efficiency, "fin_efficiency", "fin_efficiency")
    rho = _default("radiator_areal_density", "kg/m^2") if areal_density is None else float(
        magnitude(areal_density, "kg/m^2", "areal_density"))
    if temperature is not None:
        t_rad, used_chain = float(magnitude(temperature, "K", "temperature")), None
    else:
        used_chain = chain if chain is not None else ThermalChain.default()
        t_rad = used_chain.radiator_temperature_k
    if t_rad <= 0:
        raise InputError(f"temperature: {t_rad} K is not positive; check the thermal chain")
    n_sides = 2 if two_sided else 1
    details: dict[str, Any] = {}
    if absorbed is not None:
        q_abs = float(magnitude(absorbed, "W/m^2", "absorbed"))
        case = "given"
    elif history is not None:
        _check_history(history)
        a, olr_w = _environment(albedo, olr)
        series = absorbed_flux_si(history, orientation, two_sided=two_sided, absorptance=alpha, emissivity=eps,
                                  albedo=a, olr_w_m2=olr_w)
        if design_case not in ("peak", "mean", "hot_orbit"):
            raise InputError(f"design_case: {design_case!r} is not 'hot_orbit', 'peak' or 'mean'")
        per = per_orbit_integral_si(history.t_s, series, float(history.period_s)) / float(history.period_s)
        details["orbit_mean_absorbed_w_m2"] = per
        q_abs = float({"peak": series.max(), "mean": per.mean(), "hot_orbit": per.max()}[design_case])
        case = design_case
        details.update(albedo=a, olr_w_m2=olr_w, orientation=orientation)
    else:
        raise InputError("size_radiator: give a history (geometry) or an absorbed flux, e.g. absorbed=205 * u.W/u.m**2")
    gross = float(net_flux_si(t_rad, eps, 0.0, n_sides, eta_f))
    net = gross - q_abs
    feasible = net > 0
    area = q / net if feasible else float("inf")
    return RadiatorSizing(
        area_m2=area, mass_kg=area * rho, heat_load_w=q, temperature_k=t_rad, gross_w_m2=gross,
        absorbed_w_m2=q_abs, net_w_m2=net, two_sided=two_sided, emissivity=eps, absorptance=alpha,
        fin_efficiency=eta_f, areal_density_kg_m2=rho, design_case=case, feasible=feasible, chain=used_chain,
        details=details,
    )


# ---------------------------------------------------------------------- transient
@dataclass(frozen=True, eq=False)
class TransientTemperature:
    """Result of :func:`transient_temperature`.

    Attributes
    ----------
    t_s : ndarray, shape ``(n,)`` [s]
    temperature_k : ndarray, shape ``(n,)`` [K]
    absorbed_w : ndarray, shape ``(n,)`` [W]
        Environmental power absorbed by the whole plate.
    internal_w : ndarray, shape ``(n,)`` [W]
    equilibrium_k : ndarray, shape ``(n,)`` [K]
        Instantaneous equilibrium temperature (what the plate would reach if the inputs
        held still).
    illuminated : ndarray, shape ``(n,)`` [-]
    time_constant_s : float
        ``C / (4 n A eps sigma T_mean^3)`` at the mean temperature [s].
    """

    t_s: np.ndarray
    temperature_k: np.ndarray
    absorbed_w: np.ndarray
    internal_w: np.ndarray
    equilibrium_k: np.ndarray
    illuminated: np.ndarray
    time_constant_s: float

    @property
    def temperature(self):
        """Temperature series [K]."""
        return quantity(self.temperature_k, "K")

    @property
    def swing_k(self) -> float:
        """Max - min temperature [K]."""
        return float(self.temperature_k.max() - self.temperature_k.min())


def _transient_si(t_s, p_abs_w, p_int_w, heat_capacity_j_k, emit_w_k4, t0_k, rtol=1e-8, max_step=None):
    """Integrate ``C dT/dt = P(t) - emit T^4`` with P linear between samples; returns T at ``t_s``."""
    t = np.asarray(t_s, dtype=np.float64)
    p = np.asarray(p_abs_w, dtype=np.float64) + np.asarray(p_int_w, dtype=np.float64)

    def rhs(tt, y):
        return (np.interp(tt, t, p) - emit_w_k4 * y**4) / heat_capacity_j_k

    def jac(tt, y):
        return np.array([[-4.0 * emit_w_k4 * y[0] ** 3 / heat_capacity_j_k]])

    step = float(np.min(np.diff(t))) if max_step is None else max_step
    from scipy.integrate import solve_ivp

    sol = solve_ivp(rhs, (t[0], t[-1]), [t0_k], method="LSODA", t_eval=t, rtol=rtol, atol=1e-8, max_step=step, jac=jac)
    if not sol.success:  # pragma: no cover - solver failure
        raise InputError(f"transient_temperature: the ODE solver failed: {sol.message}")
    return sol.y[0]


def transient_temperature(history, *, area, heat_capacity, orientation="edge_on", two_sided: bool = True,
                          internal_power=None, emissivity=None, absorptance=None, life: str = "eol", albedo=None,
                          olr=None, fin_efficiency: float = 1.0, initial_temperature=None) -> TransientTemperature:
    """Temperature of a lumped plate (radiator, panel) over a sunlight history.

    Parameters
    ----------
    history : SunlightHistory
        Drives the absorbed environment (sunlight, eclipse, albedo, Earth IR).
    area : Quantity [area]
        Plate area (each radiating face).
    heat_capacity : Quantity [J/K]
        Lumped heat capacity (e.g. panel mass x specific heat, plus loop fluid).
    orientation, two_sided, emissivity, absorptance, life, albedo, olr
        As in :func:`size_radiator`.
    fin_efficiency : float [-]
        Multiplies the emission (1: an isothermal plate; use the sizing value to follow
        a radiator sized by :func:`size_radiator`).
    internal_power : Quantity [power], scalar or shape ``(n,)``, optional
        Heat delivered to the plate (e.g. the compute load through the loop).
    initial_temperature : Quantity [temperature], optional
        Default: equilibrium for the mean input over the first orbit, which puts the
        solution close to its periodic state after about one time constant.

    Returns
    -------
    TransientTemperature

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.power import fixed_beta_history
    >>> from orbitcompute.thermal import transient_temperature
    >>> h = fixed_beta_history(altitude=550 * oc.u.km, beta=0 * oc.u.deg, duration=3 * oc.u.hour,
    ...                        step=30 * oc.u.s)
    >>> tr = transient_temperature(h, area=10 * oc.u.m**2, heat_capacity=200 * oc.u.kJ / oc.u.K,
    ...                            internal_power=3 * oc.u.kW)   # edge-on, two-sided, EOL white paint
    >>> round(tr.swing_k, 1), round(float(tr.temperature_k.max()) - 273.15, 1)
    (3.1, -15.7)
    """
    _check_history(history)
    a_m2 = float(magnitude(area, "m^2", "area"))
    c = float(magnitude(heat_capacity, "J/K", "heat_capacity"))
    if a_m2 <= 0 or c <= 0:
        raise InputError("area and heat_capacity must be positive")
    eps = _coating(emissivity, "emissivity", life, "emissivity")
    alpha = _coating(absorptance, "absorptance", life, "absorptance")
    alb, olr_w = _environment(albedo, olr)
    n_sides = 2 if two_sided else 1
    q_abs = absorbed_flux_si(history, orientation, two_sided=two_sided, absorptance=alpha, emissivity=eps,
                             albedo=alb, olr_w_m2=olr_w) * a_m2
    n = len(history.t_s)
    p_int = np.zeros(n) if internal_power is None else np.broadcast_to(
        magnitude(internal_power, "W", "internal_power"), (n,)).astype(np.float64)
    if not 0 < fin_efficiency <= 1:
        raise InputError(f"fin_efficiency: {fin_efficiency!r} is outside (0, 1]")
    emit = fin_efficiency * n_sides * a_m2 * eps * SIGMA
    t = history.t_s
    if initial_temperature is None:
        first = t <= t[0] + history.period_s
        t0 = float(((q_abs[first] + p_int[first]).mean() / emit) ** 0.25)
    else:
        t0 = float(magnitude(initial_temperature, "K", "initial_temperature"))
    temp = _transient_si(t, q_abs, p_int, c, emit, t0)
    t_eq = ((q_abs + p_int) / emit) ** 0.25
    tau = c / (4 * emit * float(np.mean(temp)) ** 3)
    return TransientTemperature(t_s=t, temperature_k=temp, absorbed_w=q_abs, internal_w=p_int, equilibrium_k=t_eq,
                                illuminated=np.asarray(history.illuminated, dtype=np.float64), time_constant_s=tau)


# plot_temperature moved to orbitcompute.plotting (issue 12); the old name, for one release.
# orbitcompute.plotting is imported by name inside _moved.moved (importlib), not by an import
# statement, so this module does not import the face (tests/test_architecture.py).
_MOVED = {"plot_temperature": "orbitcompute.plotting"}


def __getattr__(name: str):
    if name in _MOVED:
        return moved(__name__, name, _MOVED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
