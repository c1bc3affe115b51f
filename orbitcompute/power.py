"""Solar array and battery sizing from a computed sunlight history.

The public studies of orbital data centres size their arrays from a typed-in eclipse
fraction; here the eclipse and daylight durations of *every orbit* come from the
sunlight history of the actual orbit (:func:`orbitcompute.sun.sunlight_history`), and the
array is sized for the worst of them at end of life.

Layers
------
* Pure kernels on float64 SI arrays: :func:`cell_efficiency_si`,
  :func:`incidence_cosine_si`, :func:`array_power_si`, :func:`per_orbit_integral_si`,
  :func:`energy_flow_si`, :func:`dod_for_cycles`.
* Public functions taking a :class:`~orbitcompute.sun.SunlightHistory` and pint
  quantities: :func:`size_array` -> :class:`ArraySizing`, :func:`size_battery` ->
  :class:`BatterySizing`, :func:`energy_series` -> :class:`EnergySeries`,
  :func:`orbitcompute.plotting.plot_energy`; :func:`array_power` / :func:`array_area` for design-point
  arithmetic; :func:`fixed_beta_history` for the constant-beta circular orbit that the
  published studies assume (cylindrical shadow), to compare with the computed one.

Equations
---------
Array output per unit area at time ``t`` (``S`` the solar flux at the Sun distance of
the day, ``f_ill`` the illuminated fraction of the solar disk, ``cos(theta)`` from the
array attitude)::

    p(t) = S(t) f_ill(t) cos(theta(t)) k_point * eta(T_cell) * PF * I_d * L_d(age)
    eta(T) = eta_ref (1 + gamma (T - T_ref)),   L_d(age) = (1 - d)^age_years

Sizing, per orbit ``k`` (SMAD direct-energy-transfer form, eq. 11-5, written with
energies so that penumbra, a varying flux and a varying cosine are integrated exactly)::

    E_req,k = E_e,k / X_e + E_d,k / X_d,
    E_d,k = int_orbit P_load f_ill dt,   E_e,k = int_orbit P_load (1 - f_ill) dt
    A = max_k  E_req,k / int_orbit p_EOL(t)/A dt

For a tracking array in a constant flux ``S`` this is exactly SMAD's
``P_sa = (P_e T_e / X_e + P_d T_d / X_d) / T_d`` with ``A = P_sa / (S eta PF I_d L_d)``.

Battery (worst eclipse in the mission)::

    C = max_k E_e,k / (DoD(N) eta_dis),   N = eclipses per year x lifetime,
    DoD(N) = min(DoD_max, DoD_ref (N_ref / N)^(1/k))

the Woehler-type power law ``N = N_ref (DoD_ref / DoD)^k`` used for Li-ion cycle life.

References
----------
Wertz, J. R. & Larson, W. J. (eds.) (1999), *Space Mission Analysis and Design*, 3rd ed.,
Microcosm/Kluwer, section 11.4 (power), eqs. 11-5 and 11-6.
Every default is an :class:`~orbitcompute.provenance.Assumption` read from
``orbitcompute/data/assumptions_spacecraft.csv`` (value, source, year, low/high).

Examples
--------
>>> import orbitcompute as oc
>>> from orbitcompute.power import fixed_beta_history, size_array, size_battery
>>> h = fixed_beta_history(altitude=550 * oc.u.km, beta=0 * oc.u.deg, duration=3 * oc.u.hour,
...                        step=10 * oc.u.s)
>>> sz = size_array(h, load=10 * oc.u.kW)
>>> round(float(sz.area.m), 1), round(float(sz.power_bol.to("kW").m), 2)
(83.4, 22.48)
>>> bat = size_battery(h, load=10 * oc.u.kW)
>>> round(float(bat.energy.to("kWh").m), 1), round(float(bat.dod), 3)
(25.2, 0.261)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._moved import moved
from .constants import GM_EARTH, TROPICAL_YEAR_S, WGS84_A
from .errors import InputError
from ._spacecraft import _default, _fraction, spacecraft_assumptions, using_assumptions
from .sun import SunlightHistory
from .units import magnitude, quantity

__all__ = [
    "ATTITUDES",
    "ArraySizing",
    "BatterySizing",
    "CellTechnology",
    "EnergySeries",
    "array_area",
    "array_power",
    "array_power_si",
    "cell_efficiency_si",
    "cell_technology",
    "dod_for_cycles",
    "energy_flow_si",
    "energy_series",
    "fixed_beta_history",
    "incidence_cosine_si",
    "per_orbit_integral_si",
    "size_array",
    "size_battery",
    "spacecraft_assumptions",
    "using_assumptions",
]

#: Array attitudes understood by :func:`incidence_cosine_si`.
ATTITUDES = ("two_axis", "one_axis", "body_fixed")
YEAR_S = TROPICAL_YEAR_S


# ---------------------------------------------------------------------- cells
@dataclass(frozen=True)
class CellTechnology:
    """A solar cell technology.

    Parameters
    ----------
    name : str
    efficiency : float
        Beginning-of-life efficiency at ``reference_temperature_k`` [-].
    temp_coeff_per_k : float
        Relative change of efficiency per kelvin [1/K] (negative).
    degradation_per_year : float
        Fraction of power lost to radiation per year in orbit [1/yr].
    reference_temperature_k : float
        Temperature at which ``efficiency`` is quoted [K].
    """

    name: str
    efficiency: float
    temp_coeff_per_k: float
    degradation_per_year: float
    reference_temperature_k: float = 301.15

    def efficiency_at(self, temperature_k) -> np.ndarray:
        """Efficiency at a cell temperature [K] -> [-]."""
        return cell_efficiency_si(self.efficiency, self.temp_coeff_per_k, temperature_k, self.reference_temperature_k)

    def life_factor(self, age_years) -> np.ndarray:
        """Remaining fraction of power after ``age_years`` [yr] in orbit: ``(1 - d)^age``."""
        return (1.0 - self.degradation_per_year) ** np.asarray(age_years, dtype=np.float64)


def cell_technology(name: str = "triple_junction") -> CellTechnology:
    """A shipped cell technology: ``"triple_junction"`` (Spectrolab XTJ class) or ``"silicon"``.

    Examples
    --------
    >>> from orbitcompute.power import cell_technology
    >>> c = cell_technology("triple_junction")
    >>> c.efficiency, round(float(c.efficiency_at(273.15 + 60)), 4)
    (0.298, 0.277)
    """
    if isinstance(name, CellTechnology):
        return name
    if name not in ("triple_junction", "silicon"):
        raise InputError(f"cell: unknown technology {name!r}; use 'triple_junction', 'silicon' or a CellTechnology")
    return CellTechnology(
        name=name,
        efficiency=_default(f"cell_efficiency_{name}"),
        temp_coeff_per_k=_default(f"temp_coeff_{name}", "1/K"),
        degradation_per_year=_default(f"degradation_per_year_{name}", "1/year"),
        reference_temperature_k=_default("cell_reference_temperature", "K"),
    )


def cell_efficiency_si(efficiency_ref, temp_coeff_per_k, temperature_k, reference_temperature_k=301.15) -> np.ndarray:
    """Cell efficiency at temperature: ``eta_ref (1 + gamma (T - T_ref))``, floored at 0.

    Parameters
    ----------
    efficiency_ref : float [-]
    temp_coeff_per_k : float [1/K]
    temperature_k : array_like [K]
    reference_temperature_k : float [K]

    Returns
    -------
    ndarray, shape of ``temperature_k`` [-]
    """
    t = np.asarray(temperature_k, dtype=np.float64)
    return np.maximum(efficiency_ref * (1.0 + temp_coeff_per_k * (t - reference_temperature_k)), 0.0)


# ---------------------------------------------------------------------- geometry
def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def rtn_basis_si(r_m: np.ndarray, v_m_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Radial, transverse (along-track) and orbit-normal unit vectors, each ``(n, 3)``."""
    rh = _unit(np.asarray(r_m, dtype=np.float64))
    nh = _unit(np.cross(rh, v_m_s))
    th = np.cross(nh, rh)
    return rh, th, nh


def incidence_cosine_si(sun_unit, r_m, v_m_s, attitude: str = "two_axis", normal_rtn=None) -> np.ndarray:
    """Cosine of the Sun's incidence angle on the array (0 when the Sun is behind it).

    Parameters
    ----------
    sun_unit : ndarray, shape ``(n, 3)``
        Unit vector satellite -> Sun.
    r_m, v_m_s : ndarray, shape ``(n, 3)`` [m], [m/s]
        Satellite state (same inertial frame).
    attitude : {"two_axis", "one_axis", "body_fixed"}
        ``two_axis``: the array normal follows the Sun (cos = 1).  ``one_axis``: the array
        rotates about the orbit normal (the classic solar-array drive), so the Sun's
        out-of-plane component is lost: ``cos = sqrt(1 - (s.N)^2) = cos(beta)``.
        ``body_fixed``: the normal is fixed in the local orbital frame, ``normal_rtn``.
    normal_rtn : array_like, shape ``(3,)``
        For ``body_fixed``: the array normal in (radial, along-track, orbit-normal)
        components, e.g. ``(1, 0, 0)`` for a zenith-facing panel.

    Returns
    -------
    ndarray, shape ``(n,)`` [-], in 0..1
    """
    s = np.asarray(sun_unit, dtype=np.float64)
    if attitude == "two_axis":
        return np.ones(s.shape[0])
    rh, th, nh = rtn_basis_si(r_m, v_m_s)
    if attitude == "one_axis":
        sn = np.einsum("ni,ni->n", s, nh)
        return np.sqrt(np.clip(1.0 - sn * sn, 0.0, 1.0))
    if attitude == "body_fixed":
        if normal_rtn is None:
            raise InputError("normal_rtn: a body_fixed array needs its normal, e.g. normal_rtn=(1, 0, 0) for zenith")
        c = np.asarray(normal_rtn, dtype=np.float64)
        if c.shape != (3,) or not np.linalg.norm(c) > 0:
            raise InputError(f"normal_rtn: expected a non-zero 3-vector, got {normal_rtn!r}")
        c = c / np.linalg.norm(c)
        n = c[0] * rh + c[1] * th + c[2] * nh
        return np.maximum(np.einsum("ni,ni->n", s, n), 0.0)
    raise InputError(f"attitude: {attitude!r} is not one of {ATTITUDES}")


# ---------------------------------------------------------------------- array arithmetic
def array_power_si(area_m2, flux_w_m2, efficiency, packing_factor=1.0, pointing_factor=1.0,
                   inherent_degradation=1.0, life_factor=1.0) -> np.ndarray:
    """Electrical output of an array: ``A S eta PF k_point I_d L_d`` [W].

    All arguments broadcast; ``flux_w_m2`` is the irradiance on the array plane
    (already multiplied by any cosine and illuminated fraction) [W/m^2].

    Examples
    --------
    REFERENCES case 5 (Starcloud's 4 km x 4 km array, 22 % cells):

    >>> from orbitcompute.power import array_power_si
    >>> round(float(array_power_si(16e6, 1361.0, 0.22)) / 1e9, 2)
    4.79
    """
    return (np.asarray(area_m2, dtype=np.float64) * flux_w_m2 * efficiency * packing_factor
            * pointing_factor * inherent_degradation * life_factor)


def array_power(area, *, efficiency, flux=None, packing_factor=1.0, pointing_factor=1.0,
                inherent_degradation=1.0, life_factor=1.0):
    """Design-point array power ``A S eta PF k_point I_d L_d``.

    Parameters
    ----------
    area : Quantity [area]
    efficiency : float [-]
        Cell efficiency at operating temperature.
    flux : Quantity [W/m^2], optional
        Irradiance on the array; default the solar constant 1361 W/m^2.
    packing_factor, pointing_factor, inherent_degradation, life_factor : float [-]

    Returns
    -------
    Quantity [W], broadcast shape of the inputs

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.power import array_power
    >>> array_power(16 * oc.u.km**2, efficiency=0.22, packing_factor=0.85, pointing_factor=0.95).to("GW")
    <Quantity(3.8685064, 'gigawatt')>
    """
    a = magnitude(area, "m^2", "area")
    s = _default("solar_constant", "W/m^2") if flux is None else magnitude(flux, "W/m^2", "flux")
    return quantity(array_power_si(a, s, efficiency, packing_factor, pointing_factor, inherent_degradation,
                                   life_factor), "W")


def array_area(power, *, efficiency, flux=None, packing_factor=1.0, pointing_factor=1.0,
               inherent_degradation=1.0, life_factor=1.0):
    """Array area delivering ``power`` at a design point (inverse of :func:`array_power`).

    Examples
    --------
    REFERENCES case 2: 40 MW from 22 % cells at 1361 W/m^2.

    >>> import orbitcompute as oc
    >>> from orbitcompute.power import array_area
    >>> round(float(array_area(40 * oc.u.MW, efficiency=0.22).m_as("m^2")))
    133592
    """
    p = magnitude(power, "W", "power")
    per_m2 = array_power(1.0 * quantity(1.0, "m^2"), efficiency=efficiency, flux=flux, packing_factor=packing_factor,
                         pointing_factor=pointing_factor, inherent_degradation=inherent_degradation,
                         life_factor=life_factor).m_as("W")
    return quantity(p / per_m2, "m^2")


# ---------------------------------------------------------------------- orbit integrals
def per_orbit_integral_si(t_s: np.ndarray, y: np.ndarray, period_s: float) -> np.ndarray:
    """Integrals of ``y(t)`` over consecutive whole orbits ``[k P, (k+1) P)``.

    Trapezoidal rule, i.e. the exact integral of the piecewise-linear interpolant of
    ``y``, also for orbit boundaries that fall between samples.  A trailing partial orbit
    is dropped.

    Parameters
    ----------
    t_s : ndarray, shape ``(n,)`` [s], increasing, ``t_s[0] = 0``
    y : ndarray, shape ``(n,)`` or ``(m, n)`` [any]
    period_s : float [s]

    Returns
    -------
    ndarray, shape ``(n_orbit,)`` or ``(m, n_orbit)`` [y s]
    """
    t = np.asarray(t_s, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n_orbit = int(np.floor((t[-1] - t[0]) / period_s * (1 + 1e-9)))
    if n_orbit < 1:
        raise InputError(
            f"history: spans {t[-1] - t[0]:.0f} s, less than one orbit ({period_s:.0f} s); "
            "sample at least one whole orbit"
        )
    dt = np.diff(t)
    cum = np.concatenate([np.zeros(y.shape[:-1] + (1,)), np.cumsum(0.5 * (y[..., 1:] + y[..., :-1]) * dt, axis=-1)],
                         axis=-1)
    edges = t[0] + period_s * np.arange(n_orbit + 1)
    edges[-1] = min(edges[-1], t[-1])
    i = np.clip(np.searchsorted(t, edges, side="right") - 1, 0, len(t) - 2)
    tau = edges - t[i]
    slope = (y[..., i + 1] - y[..., i]) / dt[i]
    at = cum[..., i] + y[..., i] * tau + 0.5 * slope * tau * tau
    return np.diff(at, axis=-1)


def _check_history(history) -> None:
    for name in ("t_s", "illuminated", "flux_w_m2", "sun_unit", "r_m", "v_m_s", "period_s"):
        if not hasattr(history, name):
            raise InputError(
                f"history: {type(history).__name__} has no attribute {name!r}; pass a SunlightHistory "
                "from orbitcompute.sun.sunlight_history() or fixed_beta_history()"
            )
    t = history.t_s
    if t.ndim != 1 or len(t) < 2 or np.any(np.diff(t) <= 0):
        raise InputError("history: t_s must be a 1-D increasing array of at least 2 samples")
    if not np.isfinite(history.period_s) or history.period_s <= 0:
        raise InputError(f"history: period_s {history.period_s!r} is not a positive number")


def _load_w(load, eclipse_load, history, name="load") -> np.ndarray:
    """Load power [W] per sample: ``f_ill P_day + (1 - f_ill) P_eclipse``."""
    n = len(history.t_s)
    p = np.broadcast_to(magnitude(load, "W", name), (n,)).astype(np.float64)
    if eclipse_load is None:
        out = p
    else:
        pe = np.broadcast_to(magnitude(eclipse_load, "W", "eclipse_load"), (n,))
        f = history.illuminated
        out = f * p + (1.0 - f) * pe
    if np.any(out < 0) or not np.all(np.isfinite(out)):
        raise InputError(f"{name}: power must be finite and >= 0 W")
    return out


def _cell_temperature_k(cell_temperature) -> float:
    if cell_temperature is None:
        return _default("cell_operating_temperature", "K")
    return float(magnitude(cell_temperature, "K", "cell_temperature"))


def _lifetime_years(lifetime) -> float:
    if lifetime is None:
        return _default("mission_lifetime", "year")
    y = float(magnitude(lifetime, "year", "lifetime"))
    if y < 0:
        raise InputError(f"lifetime: {y} years is negative; e.g. lifetime=5 * oc.u.year")
    return y


# ---------------------------------------------------------------------- fixed-beta history
def fixed_beta_history(*, altitude, beta, duration, step, flux=None):
    """Sunlight of a circular orbit at a *constant* beta angle, cylindrical shadow.

    This is the design-point assumption of the published studies (a typed-in beta and
    an eclipse from the cylindrical formula); compare it with the computed
    :func:`orbitcompute.sun.sunlight_history` of a real orbit.  Spherical Earth of radius
    WGS84 ``a``; Sun at infinity; the frame's z axis is the orbit normal.

    Parameters
    ----------
    altitude : Quantity [length]
    beta : Quantity [angle]
        Angle between the Sun direction and the orbit plane.
    duration, step : Quantity [time]
    flux : Quantity [W/m^2], optional
        Constant solar flux; default 1361 W/m^2.

    Returns
    -------
    orbitcompute.sun.SunlightHistory
        With ``epoch=None`` and ``satellite="fixed-beta"``; shapes ``(n,)`` and ``(n, 3)``.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.power import fixed_beta_history
    >>> h = fixed_beta_history(altitude=550 * oc.u.km, beta=0 * oc.u.deg, duration=95.6 * oc.u.min,
    ...                        step=1 * oc.u.s)
    >>> round(float(1 - h.illuminated.mean()), 3)  # 37.2 % in shadow (cylindrical formula)
    0.372
    """

    alt = float(magnitude(altitude, "m", "altitude"))
    b = float(magnitude(beta, "rad", "beta"))
    dur = float(magnitude(duration, "s", "duration"))
    dt = float(magnitude(step, "s", "step"))
    if alt <= 0 or dur <= 0 or dt <= 0:
        raise InputError("altitude, duration and step must be positive")
    s0 = _default("solar_constant", "W/m^2") if flux is None else float(magnitude(flux, "W/m^2", "flux"))
    a = WGS84_A + alt
    n_mot = np.sqrt(GM_EARTH / a**3)
    t = np.arange(0.0, dur + 0.5 * dt, dt)
    u_ = n_mot * t
    r = a * np.stack([np.cos(u_), np.sin(u_), np.zeros_like(u_)], axis=-1)
    v = a * n_mot * np.stack([-np.sin(u_), np.cos(u_), np.zeros_like(u_)], axis=-1)
    s = np.array([np.cos(b), 0.0, np.sin(b)])
    rs = r @ s
    perp = np.linalg.norm(r - rs[:, None] * s, axis=1)
    lit = ~((rs < 0) & (perp < WGS84_A))
    n = len(t)
    return SunlightHistory(
        epoch=None, t_s=t, illuminated=lit.astype(np.float64), flux_w_m2=np.full(n, s0),
        beta_rad=np.full(n, b), r_m=r, v_m_s=v, sun_unit=np.broadcast_to(s, (n, 3)).copy(),
        period_s=float(2 * np.pi / n_mot), satellite="fixed-beta",
    )


# ---------------------------------------------------------------------- array sizing
@dataclass(frozen=True, eq=False)
class ArraySizing:
    """Result of :func:`size_array`: plain SI arrays; quantities through the properties.

    Attributes
    ----------
    area_m2 : float
        Array area (cells / packing factor) [m^2].
    power_bol_w, power_eol_w : float
        Array power at normal incidence, 1 au, operating temperature, at beginning and at
        end of life [W].
    required_power_w : float
        SMAD's ``P_sa = E_req / T_d`` of the worst orbit (daylight-average output needed) [W].
    worst_orbit_margin, orbit_average_margin : float
        ``available / required - 1`` at end of life, for the worst orbit and for all
        orbits together [-].
    mass_kg : float
        ``power_bol / specific power`` [kg].
    worst_orbit : int
        Index of the sizing orbit.
    orbit_start_s : ndarray, shape ``(n_orbit,)`` [s since the history's start]
    daylight_s, eclipse_s : ndarray, shape ``(n_orbit,)`` [s]
        ``int f_ill dt`` and ``P - daylight`` (penumbra counted by its illuminated fraction).
    required_j, available_eol_j : ndarray, shape ``(n_orbit,)`` [J]
        Array energy needed per orbit (``E_e/X_e + E_d/X_d``) and delivered at end of life.
    efficiency : float
        Cell efficiency at operating temperature [-].
    factors : dict
        Every factor used (packing, pointing, inherent, life, X_d, X_e, ...).
    """

    area_m2: float
    power_bol_w: float
    power_eol_w: float
    required_power_w: float
    worst_orbit_margin: float
    orbit_average_margin: float
    mass_kg: float
    worst_orbit: int
    orbit_start_s: np.ndarray
    daylight_s: np.ndarray
    eclipse_s: np.ndarray
    required_j: np.ndarray
    available_eol_j: np.ndarray
    efficiency: float
    cell: CellTechnology
    attitude: str
    factors: dict = field(default_factory=dict)

    @property
    def area(self):
        """Array area [m^2]."""
        return quantity(self.area_m2, "m^2")

    @property
    def power_bol(self):
        """Beginning-of-life array power [W]."""
        return quantity(self.power_bol_w, "W")

    @property
    def power_eol(self):
        """End-of-life array power [W]."""
        return quantity(self.power_eol_w, "W")

    @property
    def mass(self):
        """Array mass [kg]."""
        return quantity(self.mass_kg, "kg")

    @property
    def per_m2_eol_w(self) -> float:
        """End-of-life output per m^2 of array at normal incidence, 1 au [W/m^2]."""
        return self.power_eol_w / self.area_m2

    def rows(self) -> list[dict]:
        """Summary as table rows (quantity, value, unit)."""
        return [
            {"quantity": "array area", "value": self.area_m2, "unit": "m^2"},
            {"quantity": "array power BOL", "value": self.power_bol_w, "unit": "W"},
            {"quantity": "array power EOL", "value": self.power_eol_w, "unit": "W"},
            {"quantity": "required P_sa (worst orbit)", "value": self.required_power_w, "unit": "W"},
            {"quantity": "worst-orbit margin", "value": self.worst_orbit_margin, "unit": "-"},
            {"quantity": "orbit-average margin", "value": self.orbit_average_margin, "unit": "-"},
            {"quantity": "array mass", "value": self.mass_kg, "unit": "kg"},
        ]


def size_array(history, load, *, eclipse_load=None, cell="triple_junction", attitude: str = "two_axis",
               normal_rtn=None, cell_temperature=None, packing_factor=None, pointing_factor=None,
               inherent_degradation=None, path_efficiency_daylight=None, path_efficiency_eclipse=None,
               lifetime=None, specific_power=None, margin: float = 0.0, area=None) -> ArraySizing:
    """Size a solar array for a load from a sunlight history (worst orbit, end of life).

    Parameters
    ----------
    history : SunlightHistory
        From :func:`orbitcompute.sun.sunlight_history` (or :func:`fixed_beta_history`);
        must span at least one orbit.  A year-long history covers the eclipse seasons.
    load : Quantity [power], scalar or shape ``(n,)``
        Power drawn by the loads (compute plus bus) in sunlight.
    eclipse_load : Quantity [power], optional
        Power drawn in eclipse (e.g. compute throttled); default ``load``.
    cell : {"triple_junction", "silicon"} or CellTechnology
    attitude : {"two_axis", "one_axis", "body_fixed"}
        See :func:`incidence_cosine_si`.
    normal_rtn : array_like, shape ``(3,)``
        Array normal in (radial, along-track, orbit-normal) for ``body_fixed``.
    cell_temperature : Quantity [temperature], optional
        Operating temperature (default 60 degC, an assumption).
    packing_factor, pointing_factor, inherent_degradation : float [-], optional
    path_efficiency_daylight, path_efficiency_eclipse : float [-], optional
        SMAD's ``X_d`` and ``X_e`` (defaults: direct energy transfer, 0.85 and 0.65).
    lifetime : Quantity [time], optional
        Mission length for radiation degradation (default 5 years).
    specific_power : Quantity [W/kg], optional
        Array specific power at BOL (default 100 W/kg).
    margin : float [-]
        Extra area on top of the worst-orbit requirement (0.1 = 10 %).
    area : Quantity [area], optional
        Evaluate this array instead of sizing one (margins may then be negative).

    Returns
    -------
    ArraySizing

    Notes
    -----
    The worst orbit is the one with the largest ratio of required energy to available
    energy per m^2; with a year-long history this includes the longest eclipses and the
    aphelion flux (-3.3 % near 4 July).  The energy budget assumes the daylight load
    is carried directly by the array; with a ``body_fixed`` array whose output dips
    below the load in daylight, check :func:`energy_series`.
    """
    _check_history(history)
    c = cell_technology(cell)
    t_cell = _cell_temperature_k(cell_temperature)
    eta = float(c.efficiency_at(t_cell))
    pf = _fraction(packing_factor, "packing_factor", "packing_factor")
    kp = _fraction(pointing_factor, "pointing_factor", "pointing_factor")
    idg = _fraction(inherent_degradation, "inherent_degradation", "inherent_degradation")
    xd = _fraction(path_efficiency_daylight, "path_efficiency_daylight", "path_efficiency_daylight")
    xe = _fraction(path_efficiency_eclipse, "path_efficiency_eclipse", "path_efficiency_eclipse")
    years = _lifetime_years(lifetime)
    sp = _default("array_specific_power", "W/kg") if specific_power is None else float(
        magnitude(specific_power, "W/kg", "specific_power"))
    if margin < 0:
        raise InputError(f"margin: {margin} is negative; use 0 for no margin")
    life = float(c.life_factor(years))
    p_load = _load_w(load, eclipse_load, history)
    f = np.clip(history.illuminated, 0.0, 1.0)
    cos_i = incidence_cosine_si(history.sun_unit, history.r_m, history.v_m_s, attitude, normal_rtn)
    g = history.flux_w_m2 * f * cos_i  # W/m^2 on the array plane
    k_eol = eta * pf * kp * idg * life
    t, period = history.t_s, float(history.period_s)
    day, e_day, e_ecl, g_int = per_orbit_integral_si(t, np.stack([f, p_load * f, p_load * (1 - f), g]), period)
    required = e_ecl / xe + e_day / xd
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.where(g_int > 0, required / (k_eol * g_int), np.where(required > 0, np.inf, 0.0))
    worst = int(np.argmax(need))
    if not np.isfinite(need[worst]):
        raise InputError(
            f"history: orbit {worst} has no usable sunlight on a {attitude!r} array (attitude/normal_rtn), "
            "so no array size meets the load"
        )
    if area is None:
        a_m2 = float(need[worst] * (1.0 + margin))
    else:
        a_m2 = float(magnitude(area, "m^2", "area"))
    available = a_m2 * k_eol * g_int
    s0 = _default("solar_constant", "W/m^2")
    p_bol = a_m2 * s0 * eta * pf * kp * idg
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(required > 0, available / required, np.inf)
        avg = available.sum() / required.sum() - 1.0 if required.sum() > 0 else np.inf
    return ArraySizing(
        area_m2=a_m2, power_bol_w=p_bol, power_eol_w=p_bol * life,
        required_power_w=float(required[worst] / day[worst]) if day[worst] > 0 else float("nan"),
        worst_orbit_margin=float(np.min(ratio) - 1.0), orbit_average_margin=float(avg),
        mass_kg=p_bol / sp, worst_orbit=worst,
        orbit_start_s=t[0] + period * np.arange(len(day)), daylight_s=day, eclipse_s=period - day,
        required_j=required, available_eol_j=available, efficiency=eta, cell=c, attitude=attitude,
        factors={"packing_factor": pf, "pointing_factor": kp, "inherent_degradation": idg, "life_factor": life,
                 "lifetime_years": years, "cell_temperature_k": t_cell, "path_efficiency_daylight": xd,
                 "path_efficiency_eclipse": xe, "specific_power_w_kg": sp, "margin": margin,
                 "normal_rtn": None if normal_rtn is None else tuple(np.asarray(normal_rtn, float))},
    )


# ---------------------------------------------------------------------- battery
def dod_for_cycles(cycles, *, cycles_ref=None, dod_ref=None, exponent=None, max_dod=None) -> np.ndarray:
    """Allowed depth of discharge of a Li-ion battery for a number of cycles.

    ``DoD(N) = min(DoD_max, DoD_ref (N_ref / N)^(1/k))``, the inverse of the Woehler-type
    cycle-life law ``N = N_ref (DoD_ref / DoD)^k``.  Defaults (shipped assumptions):
    ``N_ref = 30,000`` cycles at ``DoD_ref = 25 %`` (LEO Li-ion test results), ``k = 2``,
    ``DoD_max = 80 %``.

    Parameters
    ----------
    cycles : array_like [-]
        Charge/discharge cycles over the mission (0 -> ``max_dod``).

    Returns
    -------
    ndarray [-], shape of ``cycles``

    Examples
    --------
    >>> from orbitcompute.power import dod_for_cycles
    >>> [round(float(x), 3) for x in dod_for_cycles([30000, 27000, 5000, 100])]
    [0.25, 0.264, 0.612, 0.8]
    """
    n_ref = _default("li_ion_cycles_ref") if cycles_ref is None else float(cycles_ref)
    d_ref = _default("li_ion_dod_ref") if dod_ref is None else float(dod_ref)
    k = _default("li_ion_dod_exponent") if exponent is None else float(exponent)
    d_max = _default("li_ion_max_dod") if max_dod is None else float(max_dod)
    n = np.asarray(cycles, dtype=np.float64)
    if np.any(n < 0):
        raise InputError("cycles: must be >= 0")
    with np.errstate(divide="ignore"):
        d = d_ref * (n_ref / n) ** (1.0 / k)
    return np.minimum(d, d_max)


@dataclass(frozen=True, eq=False)
class BatterySizing:
    """Result of :func:`size_battery`.

    Attributes
    ----------
    capacity_j : float
        Nameplate energy [J].
    mass_kg : float
    dod : float
        Depth of discharge allowed for the mission's cycle count [-].
    cycles : float
        Eclipse cycles over the mission [-].
    worst_eclipse_energy_j : float
        Energy delivered to the loads in the worst orbit's eclipse [J].
    worst_eclipse_s : float
        That orbit's eclipse duration (penumbra weighted) [s].
    worst_orbit : int
    eclipse_energy_j : ndarray, shape ``(n_orbit,)`` [J]
    discharge_efficiency : float [-]
    specific_energy_wh_kg : float [Wh/kg]
    """

    capacity_j: float
    mass_kg: float
    dod: float
    cycles: float
    worst_eclipse_energy_j: float
    worst_eclipse_s: float
    worst_orbit: int
    eclipse_energy_j: np.ndarray
    discharge_efficiency: float
    specific_energy_wh_kg: float

    @property
    def energy(self):
        """Nameplate energy [Wh]."""
        return quantity(self.capacity_j / 3600.0, "W*h")

    @property
    def mass(self):
        """Battery mass [kg]."""
        return quantity(self.mass_kg, "kg")


def size_battery(history, load, *, eclipse_load=None, lifetime=None, dod=None, dod_law=None,
                 discharge_efficiency=None, specific_energy=None, min_eclipse=None) -> BatterySizing:
    """Size a battery for the worst eclipse of the history.

    Parameters
    ----------
    history : SunlightHistory
    load, eclipse_load : Quantity [power]
        As in :func:`size_array`; the battery carries ``load * (1 - f_ill)``.
    lifetime : Quantity [time], optional
        Mission length (default 5 years).  Cycles = eclipses per year in the history x
        lifetime (a history shorter than a year is extrapolated; use a year for SSO).
    dod : float [-], optional
        Depth of discharge; default from :func:`dod_for_cycles` at the cycles over life.
    dod_law : mapping, optional
        The cycle-life law's parameters, the keywords of :func:`dod_for_cycles`
        (``cycles_ref``, ``dod_ref``, ``exponent``, ``max_dod``); missing ones take the
        shipped defaults.  Ignored when ``dod`` is given.
    discharge_efficiency : float [-], optional
        Battery-to-load efficiency (default 0.9, SMAD eq. 11-6).
    specific_energy : Quantity [Wh/kg], optional
        Battery-level specific energy (default 150 Wh/kg).
    min_eclipse : Quantity [time], optional
        Orbits with less eclipse than this do not count as cycles (default 60 s).

    Returns
    -------
    BatterySizing
        Capacity 0 if the history has no eclipse.
    """
    _check_history(history)
    years = _lifetime_years(lifetime)
    eta_d = _fraction(discharge_efficiency, "discharge_efficiency", "battery_discharge_efficiency")
    se = _default("battery_specific_energy", "W*h/kg") if specific_energy is None else float(
        magnitude(specific_energy, "W*h/kg", "specific_energy"))
    e_min = 60.0 if min_eclipse is None else float(magnitude(min_eclipse, "s", "min_eclipse"))
    p_load = _load_w(load, eclipse_load, history)
    f = np.clip(history.illuminated, 0.0, 1.0)
    t, period = history.t_s, float(history.period_s)
    day, e_ecl = per_orbit_integral_si(t, np.stack([f, p_load * (1 - f)]), period)
    ecl_s = period - day
    span_years = (len(day) * period) / YEAR_S
    cycles = float(np.count_nonzero(ecl_s > e_min) / span_years * years)
    d = float(dod_for_cycles(cycles, **dict(dod_law or {}))) if dod is None else _fraction(dod, "dod", "li_ion_max_dod")
    worst = int(np.argmax(e_ecl))
    cap = float(e_ecl[worst] / (d * eta_d))
    return BatterySizing(
        capacity_j=cap, mass_kg=cap / 3600.0 / se, dod=d, cycles=cycles,
        worst_eclipse_energy_j=float(e_ecl[worst]), worst_eclipse_s=float(ecl_s[worst]), worst_orbit=worst,
        eclipse_energy_j=e_ecl, discharge_efficiency=eta_d, specific_energy_wh_kg=se,
    )


# ---------------------------------------------------------------------- energy time series
def energy_flow_si(t_s, p_gen_w, p_load_w, path_efficiency_daylight, charge_efficiency, discharge_efficiency,
                   capacity_j, initial_j=None) -> dict[str, np.ndarray]:
    """Power flows and stored energy of a direct-energy-transfer bus.

    At each step the array first feeds the loads through the daylight path
    (``X_d``); any surplus charges the battery (``eta_c``, stored energy capped at the
    capacity, the rest shunted); any shortfall is drawn from the battery
    (``eta_d``).  The stored energy is *not* floored at zero: a negative value is an
    unmet load, kept so the deficit is visible.

    The capped integration ``E_i = min(C, E_{i-1} + x_i dt_i)`` is Lindley's recursion
    for the depth ``D = C - E``; its closed form ``D_i = max(D_0 - X_i, max_{j<=i}(X_j - X_i))``
    (``X`` the running sum of ``x dt``) is evaluated with cumulative maxima, with no loop.

    Parameters
    ----------
    t_s : ndarray, shape ``(n,)`` [s]
    p_gen_w, p_load_w : ndarray, shape ``(n,)`` [W]
        Array output and load; taken constant over each step at the step's mean.
    path_efficiency_daylight, charge_efficiency, discharge_efficiency : float [-]
    capacity_j : float [J]
    initial_j : float [J], optional
        Stored energy at ``t_s[0]`` (default full).

    Returns
    -------
    dict of ndarray
        Step series, shape ``(n - 1,)`` [W]: ``direct_w`` (array power into the direct
        path), ``charge_w`` (array power offered to the battery), ``shunt_w`` (array power
        dumped), ``discharge_w`` (energy leaving storage per second), ``generated_w``,
        ``load_w``; and ``stored_j``, shape ``(n,)`` [J].
    """
    t = np.asarray(t_s, dtype=np.float64)
    dt = np.diff(t)
    gen = 0.5 * (p_gen_w[1:] + p_gen_w[:-1])
    load = 0.5 * (p_load_w[1:] + p_load_w[:-1])
    xd, eta_c, eta_d = path_efficiency_daylight, charge_efficiency, discharge_efficiency
    direct = np.minimum(gen, load / xd)
    surplus = gen - direct
    discharge = (load - direct * xd) / eta_d
    x = (eta_c * surplus - discharge) * dt  # storage change if not capped [J]
    cap = float(capacity_j)
    e0 = cap if initial_j is None else float(initial_j)
    csum = np.concatenate([[0.0], np.cumsum(x)])
    depth = np.maximum(cap - e0 - csum, np.maximum.accumulate(csum) - csum)
    stored = cap - depth
    accepted = np.diff(stored) + discharge * dt  # energy into storage per step [J]
    charge_in = accepted / eta_c / dt  # array power actually used for charging [W]
    return {
        "generated_w": gen, "load_w": load, "direct_w": direct, "charge_w": charge_in,
        "shunt_w": surplus - charge_in, "discharge_w": discharge, "stored_j": stored,
    }


@dataclass(frozen=True, eq=False)
class EnergySeries:
    """Generated, consumed and stored energy over a history (result of :func:`energy_series`).

    Step series have shape ``(n - 1,)`` (one value per sampling step, at ``t_mid_s``);
    ``stored_j`` has shape ``(n,)`` at ``t_s``.

    Attributes
    ----------
    t_s : ndarray [s]
    t_mid_s : ndarray [s]
    generated_w, load_w, direct_w, charge_w, shunt_w, discharge_w : ndarray [W]
    stored_j : ndarray [J]
    capacity_j : float [J]
    efficiencies : dict
        ``X_d``, ``eta_c``, ``eta_d``.
    """

    t_s: np.ndarray
    t_mid_s: np.ndarray
    generated_w: np.ndarray
    load_w: np.ndarray
    direct_w: np.ndarray
    charge_w: np.ndarray
    shunt_w: np.ndarray
    discharge_w: np.ndarray
    stored_j: np.ndarray
    capacity_j: float
    efficiencies: dict

    @property
    def state_of_charge(self) -> np.ndarray:
        """Stored energy / capacity, shape ``(n,)`` [-] (below 0: load not met)."""
        return self.stored_j / self.capacity_j if self.capacity_j > 0 else np.ones_like(self.stored_j)

    @property
    def min_state_of_charge(self) -> float:
        return float(self.state_of_charge.min())

    def cumulative_j(self) -> dict[str, np.ndarray]:
        """Cumulative generated, consumed (load) and shunted energy, shape ``(n,)`` [J]."""
        dt = np.diff(self.t_s)
        z = np.zeros(1)
        return {k: np.concatenate([z, np.cumsum(getattr(self, f"{k}_w") * dt)])
                for k in ("generated", "load", "shunt")}


def energy_series(history, load, array: ArraySizing, battery: BatterySizing | None = None, *,
                  eclipse_load=None, age=None, initial_soc: float = 1.0) -> EnergySeries:
    """Time series of array output, load and battery energy over a history.

    Parameters
    ----------
    history : SunlightHistory
    load, eclipse_load : Quantity [power]
        As in :func:`size_array`.
    array : ArraySizing
        Area, cell, attitude and factors are taken from it.
    battery : BatterySizing, optional
        Capacity and discharge efficiency (default: no battery, capacity 0).
    age : Quantity [time], optional
        Array age at the start of the history; degradation then continues along it.
        Default: the history *ends* at the sizing lifetime (end of life, the sizing
        case), i.e. ``age = lifetime - span``, floored at 0.
    initial_soc : float [-]
        Stored energy at the start as a fraction of capacity.

    Returns
    -------
    EnergySeries
    """
    _check_history(history)
    fac = array.factors
    span_years = (history.t_s[-1] - history.t_s[0]) / YEAR_S
    if age is None:
        years0 = max(fac["lifetime_years"] - span_years, 0.0)
    else:
        years0 = float(magnitude(age, "year", "age"))
    age_years = years0 + (history.t_s - history.t_s[0]) / YEAR_S
    f = np.clip(history.illuminated, 0.0, 1.0)
    cos_i = incidence_cosine_si(history.sun_unit, history.r_m, history.v_m_s, array.attitude, fac["normal_rtn"])
    p_gen = array_power_si(array.area_m2, history.flux_w_m2 * f * cos_i, array.efficiency, fac["packing_factor"],
                           fac["pointing_factor"], fac["inherent_degradation"], array.cell.life_factor(age_years))
    p_load = _load_w(load, eclipse_load, history)
    xd, xe = fac["path_efficiency_daylight"], fac["path_efficiency_eclipse"]
    if battery is None:
        cap, eta_d = 0.0, _default("battery_discharge_efficiency")
    else:
        cap, eta_d = battery.capacity_j, battery.discharge_efficiency
    eta_c = xe / eta_d
    if eta_c > 1:
        raise InputError(f"path_efficiency_eclipse {xe} / discharge_efficiency {eta_d} > 1: inconsistent efficiencies")
    flows = energy_flow_si(history.t_s, p_gen, p_load, xd, eta_c, eta_d, cap, initial_soc * cap)
    t = history.t_s
    return EnergySeries(t_s=t, t_mid_s=0.5 * (t[1:] + t[:-1]), capacity_j=cap,
                        efficiencies={"X_d": xd, "eta_c": eta_c, "eta_d": eta_d}, **flows)


# plot_energy moved to orbitcompute.plotting (issue 12); the old name, for one release.
# orbitcompute.plotting is imported by name inside _moved.moved (importlib), not by an import
# statement, so this module does not import the face (tests/test_architecture.py).
_MOVED = {"plot_energy": "orbitcompute.plotting"}


def __getattr__(name: str):
    if name in _MOVED:
        return moved(__name__, name, _MOVED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
