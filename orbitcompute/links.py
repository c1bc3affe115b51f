"""Link budgets: optical (inter-satellite and ground) and RF, and ground-station weather.

Layers
------
* Pure kernels on float64 SI arrays (in :mod:`orbitcompute._linkbudget`, re-exported
  here), broadcasting over every argument: :func:`optical_rx_power_si`,
  :func:`optical_rate_si`, :func:`ground_optical_loss_db`, :func:`air_mass_si`,
  :func:`rf_budget_si`, :func:`rf_rate_si`, :func:`rain_loss_db`,
  :func:`site_diversity_availability_si`, :func:`weather_states_si`,
  :func:`expected_min_served_si`.
* Objects and functions with pint quantities at the edge: :class:`OpticalTerminal`
  (with sourced presets), :func:`optical_link_rate`, :func:`rf_link_budget` returning
  :class:`RFLinkBudget` (every term), :func:`optical_ground_sites` (the shipped
  clear-sky table), :func:`site_diversity_availability`, :func:`expected_min_served`.

Decibel-valued parameters (``required_ebn0``, ``other_losses``, ``zenith_loss``, ...)
take a bare number in dB or a ``oc.u.Quantity(x, "dB")``.

The equations, their references, the validation figures and the limits are in
``docs/links.md``.

Examples
--------
>>> import orbitcompute as oc
>>> t = oc.OpticalTerminal.suncatcher_isl()
>>> oc.optical_link_rate([0.5, 10.0] * oc.u.km, terminal=t).round(1)  # modem cap, then 1/d^2
<Quantity([800.   80.1], 'gigabit / second')>
>>> b = oc.rf_link_budget(1000 * oc.u.km, frequency=26 * oc.u.GHz, tx_power=10 * oc.u.W,
...                       tx_antenna_diameter=0.3 * oc.u.m, rx_antenna_diameter=5 * oc.u.m,
...                       system_noise_temperature=300 * oc.u.K, bandwidth=500 * oc.u.MHz,
...                       required_ebn0=4.0)
>>> round(float(b.cn0_dbhz), 2), b.rate.to("Gbit/s").round(3)
(130.27, <Quantity(7.189, 'gigabit / second')>)
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import pint

from ._linkbudget import (
    EXACT_STATES_MAX,
    MC_STATES,
    P838_TABLE,
    air_mass_si,
    beam_divergence_si,
    expected_min_served_si,
    ground_optical_loss_db,
    optical_rate_si,
    optical_rx_power_si,
    p838_coefficients,
    pointing_loss_si,
    rain_loss_db,
    rain_slant_path_m,
    rf_budget_si,
    rf_rate_si,
    site_diversity_availability_si,
    weather_states_si,
)
from .constants import C_LIGHT
from .errors import InputError
from .stations import GroundSites
from .units import magnitude, quantity, u

__all__ = [
    "OpticalTerminal",
    "optical_link_rate",
    "RFLinkBudget",
    "rf_link_budget",
    "OpticalGroundSites",
    "optical_ground_sites",
    "site_diversity_availability",
    "expected_min_served",
    "DEFAULT_ZENITH_LOSS_DB",
    "DEFAULT_TURBULENCE_MARGIN_DB",
    "DEFAULT_RAIN_HEIGHT_M",
    "optical_rx_power_si",
    "optical_rate_si",
    "ground_optical_loss_db",
    "air_mass_si",
    "beam_divergence_si",
    "pointing_loss_si",
    "rf_budget_si",
    "rf_rate_si",
    "rain_loss_db",
    "rain_slant_path_m",
    "p838_coefficients",
    "P838_TABLE",
    "site_diversity_availability_si",
    "weather_states_si",
    "expected_min_served_si",
    "EXACT_STATES_MAX",
    "MC_STATES",
]

#: Clear-sky zenith extinction of a 1550 nm ground link [dB]: 1.0 (low 0.3 at a dry
#: mountain site, high 3.0 in a hazy, humid boundary layer).  Order of magnitude of the
#: clear-air transmittance in ITU-R P.1622 (1003) and Hemmati (ed.), *Near-Earth Laser
#: Communications*, CRC 2009, ch. 8.  An engineering assumption.
DEFAULT_ZENITH_LOSS_DB = 1.0
#: Turbulence / scintillation fade margin at zenith [dB]: 3.0 (low 1.0 with adaptive optics
#: or a large aperture, high 6.0 for a small-aperture daytime link); scaled by the air mass.
#: Typical design margins in Hemmati (2009) ch. 8 and Kaushal & Kaddoum, IEEE Commun.
#: Surv. Tutor. 19(1):57 (2017), doi:10.1109/COMST.2016.2603518.  An engineering assumption.
DEFAULT_TURBULENCE_MARGIN_DB = 3.0
#: Rain height [m] when none is given: 4000 m (ITU-R P.839-4: ``h_R = h_0 + 360 m``,
#: ``h_0`` ~3.6 km at mid latitudes; low 2000 m at high latitude, high 5000 m in the tropics).
DEFAULT_RAIN_HEIGHT_M = 4.0e3

_CORRELATIONS = ("independent", "comonotone")


# --------------------------------------------------------------------------- helpers
def _db(value: Any, name: str) -> np.ndarray:
    """A decibel value: bare number(s) in dB or a pint ``Quantity(x, "dB")``."""
    if isinstance(value, pint.Quantity):
        if str(value.units) not in ("decibel", "dB"):
            raise InputError(
                f"{name} = {value:~P} is not in decibels; give a number in dB, e.g. {name}=3.0"
            )
        value = value.magnitude
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"{name} = {value!r} is not a number; give a value in dB, e.g. {name}=3.0") from None
    if not np.all(np.isfinite(a)):
        raise InputError(f"{name} = {value!r} is not finite; give a finite value in dB")
    return a


def _positive(value: Any, unit: str, name: str, hint: str, *, allow_zero: bool = False) -> np.ndarray:
    a = magnitude(value, unit, name)
    bad = ~(a >= 0) if allow_zero else ~(a > 0)
    if np.any(bad):
        k = int(np.flatnonzero(bad.reshape(-1))[0])
        seen = float(a.reshape(-1)[k])
        what = "must not be negative" if allow_zero else "must be positive"
        raise InputError(f"{name} = {seen:g} {u.Unit(unit):~P} {what}; {hint}")
    return a


def _fraction(value: Any, name: str, *, open_low: bool = False) -> np.ndarray:
    a = np.asarray(magnitude(value, "dimensionless", name, allow_float=True), dtype=np.float64)
    bad = ~((a > 0) if open_low else (a >= 0)) | ~(a <= 1)
    if np.any(bad):
        seen = float(a.reshape(-1)[int(np.flatnonzero(bad.reshape(-1))[0])])
        lo = "0 < x" if open_low else "0 <= x"
        raise InputError(f"{name} = {seen!r} is not a fraction ({lo} <= 1); give e.g. {name}=0.8, not a percentage")
    return a


def _wavelength(value: Any, name: str = "wavelength") -> float:
    if isinstance(value, pint.Quantity) and value.check("[frequency]"):
        lam = C_LIGHT / value.m_as("Hz")
        raise InputError(
            f"{name} = {value:~P} is a frequency, not a wavelength; give {name}={lam * 1e9:.4g} * oc.u.nm (c / f)"
        )
    lam = float(magnitude(value, "m", name))
    if not 0.3e-6 <= lam <= 12e-6:
        hint = ""
        for unit, scale in (("nm", 1e-9), ("um", 1e-6)):
            if 0.3e-6 <= lam * scale <= 12e-6:
                hint = f": did you mean {value.magnitude:g} {unit}?" if isinstance(value, pint.Quantity) else ""
                break
        shown = f"{value:~P}" if isinstance(value, pint.Quantity) else repr(value)
        raise InputError(
            f"{name} = {shown} is not an optical wavelength (0.3-12 um){hint or '; give e.g. 1550 * oc.u.nm'}"
        )
    return lam


def _correlation(value: str) -> str:
    if value not in _CORRELATIONS:
        raise InputError(f"correlation = {value!r} is not one of {_CORRELATIONS}; use 'independent' or 'comonotone'")
    return value


# --------------------------------------------------------------------------- optical
@dataclass(frozen=True)
class OpticalTerminal:
    """A laser communication terminal (used as transmitter, and as receiver by default).

    Parameters
    ----------
    tx_power : Quantity [power]
        Optical power launched, all WDM channels together [W].
    aperture : Quantity [length]
        Telescope (aperture) diameter [m]; the same aperture transmits and receives.
    wavelength : Quantity [length]
        Carrier wavelength, 0.3-12 um (default 1550 nm).
    pointing_jitter : Quantity [angle]
        Per-axis rms pointing error of the transmitted beam [rad] (the radial error is
        Rayleigh distributed).
    photons_per_bit : float
        Receiver sensitivity: received photons needed per bit at the target error rate.
    tx_efficiency, rx_efficiency : float
        Optics throughput and aperture (truncation/obscuration) efficiency, 0 < eta <= 1.
    channels : int
        Number of WDM channels (modems).
    channel_rate : Quantity [bit/time]
        Data rate of one modem [bit/s].
    source : str
        Where the figures come from (free text).

    Raises
    ------
    InputError
        A non-positive power, aperture, sensitivity or rate, a wavelength outside
        0.3-12 um (e.g. "1550 m"), an efficiency outside (0, 1], fewer than one channel;
        the message names the field, the value and the fix.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> t = oc.OpticalTerminal(tx_power=1 * oc.u.W, aperture=10 * oc.u.cm, pointing_jitter=1 * oc.u.urad,
    ...                        photons_per_bit=100, channels=1, channel_rate=100 * oc.u.Gbit / oc.u.s)
    >>> t.max_rate
    <Quantity(100.0, 'gigabit / second')>
    >>> oc.OpticalTerminal(tx_power=1 * oc.u.W, aperture=10 * oc.u.cm, wavelength=1550 * oc.u.m,
    ...                    pointing_jitter=1 * oc.u.urad, photons_per_bit=100, channels=1,
    ...                    channel_rate=100 * oc.u.Gbit / oc.u.s)
    Traceback (most recent call last):
    ...
    orbitcompute.errors.InputError: wavelength = 1550 m is not an optical wavelength (0.3-12 um): did you mean 1550 nm?
    """

    tx_power: Any
    aperture: Any
    pointing_jitter: Any
    photons_per_bit: float
    channels: int
    channel_rate: Any
    wavelength: Any = field(default_factory=lambda: 1550 * u.nm)
    tx_efficiency: float = 0.8
    rx_efficiency: float = 0.8
    source: str = ""

    def __post_init__(self):
        p = _positive(self.tx_power, "W", "tx_power", "give the launched optical power, e.g. 1 * oc.u.W")
        d = _positive(self.aperture, "m", "aperture", "give the telescope diameter, e.g. 10 * oc.u.cm")
        lam = _wavelength(self.wavelength)
        j = _positive(self.pointing_jitter, "rad", "pointing_jitter",
                      "give the rms jitter, e.g. 1 * oc.u.urad (0 for perfect pointing)", allow_zero=True)
        ppb = np.asarray(self.photons_per_bit, dtype=np.float64)
        if not (ppb.ndim == 0 and ppb > 0 and np.isfinite(ppb)):
            raise InputError(f"photons_per_bit = {self.photons_per_bit!r} must be a positive number; "
                             "e.g. 10-100 for a coherent or pre-amplified receiver, ~1000 for commercial modules")
        for name in ("tx_efficiency", "rx_efficiency"):
            _fraction(getattr(self, name), name, open_low=True)
        ch = self.channels
        if not (isinstance(ch, (int, np.integer)) and not isinstance(ch, bool) and ch >= 1):
            raise InputError(f"channels = {ch!r} must be an integer >= 1 (the number of WDM modems)")
        r = _positive(self.channel_rate, "bit/s", "channel_rate", "give one modem's rate, e.g. 100 * oc.u.Gbit / oc.u.s")
        for name, arr in (("tx_power", p), ("aperture", d), ("pointing_jitter", j), ("channel_rate", r)):
            if arr.ndim:
                raise InputError(f"{name}: got shape {arr.shape}; a terminal takes one scalar value")
        object.__setattr__(self, "tx_power", quantity(p, "W"))
        object.__setattr__(self, "aperture", quantity(d, "m"))
        object.__setattr__(self, "wavelength", quantity(lam * 1e9, "nm"))
        object.__setattr__(self, "pointing_jitter", quantity(j * 1e6, "urad"))
        object.__setattr__(self, "photons_per_bit", float(ppb))
        object.__setattr__(self, "tx_efficiency", float(self.tx_efficiency))
        object.__setattr__(self, "rx_efficiency", float(self.rx_efficiency))
        object.__setattr__(self, "channels", int(ch))
        object.__setattr__(self, "channel_rate", quantity(r / 1e9, "Gbit/s"))

    @property
    def max_rate(self) -> pint.Quantity:
        """Modem cap ``channels * channel_rate`` [Gbit/s]."""
        return (self.channels * self.channel_rate).to("Gbit/s")

    @property
    def divergence(self) -> pint.Quantity:
        """``1/e^2`` half-angle of the transmitted Gaussian beam [urad]."""
        return quantity(beam_divergence_si(self.aperture.m_as("m"), self.wavelength.m_as("m")) * 1e6, "urad")

    @classmethod
    def suncatcher_isl(cls) -> "OpticalTerminal":
        """Short-range DWDM inter-satellite terminal after Google's Project Suncatcher.

        Source: Aguera y Arcas et al., "Towards a future space-based, highly scalable AI
        infrastructure system design", Google, 2025, arXiv:2511.19468: a bench-scale
        demonstrator reached 800 Gbps each way (1.6 Tbps in total) with one transceiver
        pair using DWDM, and the satellites fly in a cluster of 1 km radius (neighbours
        hundreds of metres apart) because received power falls as ``1/d^2``.  The
        terminal parameters below are *not* given in that text: they are our assumptions
        for commercial DWDM optics (8 x 100 Gbps per direction, +20 dBm launched, 2 cm
        apertures, 1000 photons/bit for an unamplified commercial receiver), chosen so
        that the modem cap holds over the cluster and the link becomes power-limited at a
        few kilometres, as the source implies.
        """
        return cls(tx_power=0.1 * u.W, aperture=2.0 * u.cm, wavelength=1550 * u.nm,
                   pointing_jitter=1.0 * u.urad, photons_per_bit=1000.0, tx_efficiency=0.5,
                   rx_efficiency=0.5, channels=8, channel_rate=100 * u.Gbit / u.s,
                   source="Suncatcher (arXiv:2511.19468, 2025): 800 Gbps each way; terminal figures assumed")

    @classmethod
    def leo_downlink(cls) -> "OpticalTerminal":
        """CubeSat-class 200 Gbps optical downlink terminal after NASA's TBIRD (2023).

        Source: NASA TeraByte InfraRed Delivery (TBIRD), a 6U CubeSat payload built by MIT
        Lincoln Laboratory, downlinked at 200 Gbps to the OCTL ground station (Table
        Mountain, CA) in 2023 using commercial 100 Gbps-class coherent transceivers
        (Schieler et al., "On-orbit demonstration of 200-Gbps laser communication downlink
        from the TBIRD CubeSat", Proc. SPIE 12413, 1241302, 2023,
        doi:10.1117/12.2651297).  2 x 100 Gbps channels; power, aperture, jitter and
        sensitivity are our round assumptions for such a payload (1 W, 5 cm, 1 urad,
        300 photons/bit).  Pair it with a ground receiver terminal (e.g. a 1 m telescope)
        through ``rx_terminal``.
        """
        return cls(tx_power=1.0 * u.W, aperture=5.0 * u.cm, wavelength=1550 * u.nm,
                   pointing_jitter=1.0 * u.urad, photons_per_bit=300.0, tx_efficiency=0.7,
                   rx_efficiency=0.7, channels=2, channel_rate=100 * u.Gbit / u.s,
                   source="NASA TBIRD 200 Gbps (Schieler et al. 2023); power/aperture assumed")

    @classmethod
    def relay_isl(cls) -> "OpticalTerminal":
        """Starlink-class laser inter-satellite terminal, ~100 Gbps per link.

        Source: SpaceX states its laser terminals carry up to ~100 Gbps per link over
        thousands of kilometres (SpaceX, Starlink network update, 2024; Chaudhry &
        Yanikomeroglu, "Laser intersatellite links in a Starlink constellation", IEEE
        Veh. Technol. Mag. 16(2):48, 2021, doi:10.1109/MVT.2021.3063706).  One 100 Gbps
        channel; 2 W, 10 cm, 0.5 urad jitter and 100 photons/bit (pre-amplified coherent
        receiver) are our assumptions.
        """
        return cls(tx_power=2.0 * u.W, aperture=10.0 * u.cm, wavelength=1550 * u.nm,
                   pointing_jitter=0.5 * u.urad, photons_per_bit=100.0, tx_efficiency=0.7,
                   rx_efficiency=0.7, channels=1, channel_rate=100 * u.Gbit / u.s,
                   source="Starlink-class ~100 Gbps laser link (SpaceX 2024); terminal figures assumed")

    @classmethod
    def ground_receiver(cls, aperture=1.0 * u.m) -> "OpticalTerminal":
        """A ground telescope used as receiver (e.g. NASA's OCTL, 1 m, Table Mountain, CA).

        Only ``aperture`` and ``rx_efficiency`` matter when it receives; the other fields
        are nominal (0.5 W, 100 photons/bit, 1 x 100 Gbps).
        """
        return cls(tx_power=0.5 * u.W, aperture=aperture, wavelength=1550 * u.nm,
                   pointing_jitter=1.0 * u.urad, photons_per_bit=100.0, tx_efficiency=0.7,
                   rx_efficiency=0.7, channels=1, channel_rate=100 * u.Gbit / u.s,
                   source="ground receiving telescope (OCTL-class, 1 m)")


def optical_link_rate(range, *, terminal: OpticalTerminal, rx_terminal: OpticalTerminal | None = None,
                      elevation=None, min_elevation=None, zenith_loss=DEFAULT_ZENITH_LOSS_DB,
                      turbulence_margin=DEFAULT_TURBULENCE_MARGIN_DB, extra_loss=0.0) -> pint.Quantity:
    """Achievable optical data rate versus range (and elevation for a ground link).

    Parameters
    ----------
    range : Quantity [length], any shape
        Link distance.
    terminal : OpticalTerminal
        Transmitter (power, aperture, wavelength, jitter, efficiency, modems).
    rx_terminal : OpticalTerminal, optional
        Receiver (its ``aperture``, ``rx_efficiency`` and ``photons_per_bit`` are used);
        default: the same terminal type at both ends.
    elevation : Quantity [angle], optional, broadcast against ``range``
        Elevation of the satellite seen from the ground; given, the link is a ground link
        and :func:`ground_optical_loss_db` is added.
    min_elevation : Quantity [angle], optional
        Elevation mask; an ``elevation`` below it is refused (the kernel
        :func:`optical_rate_si` takes any elevation, for time series).
    zenith_loss, turbulence_margin : float [dB]
        Zenith extinction and turbulence margin of a ground link, both scaled by the air mass
        (defaults :data:`DEFAULT_ZENITH_LOSS_DB`, :data:`DEFAULT_TURBULENCE_MARGIN_DB`).
    extra_loss : float [dB]
        Any other loss (e.g. polarisation, implementation), default 0.

    Returns
    -------
    Quantity [Gbit/s], shape ``broadcast(range, elevation)``
        ``min(channels x channel_rate, P_rx / (photons_per_bit h c / lambda))``.

    Raises
    ------
    InputError
        A negative range, an elevation below zero or below ``min_elevation``.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> sat, ogs = oc.OpticalTerminal.leo_downlink(), oc.OpticalTerminal.ground_receiver()
    >>> oc.optical_link_rate([600, 1500] * oc.u.km, terminal=sat, rx_terminal=ogs,
    ...                      elevation=[90, 20] * oc.u.deg).round(1)
    <Quantity([200. 200.], 'gigabit / second')>
    """
    d = _positive(range, "m", "range", "give a positive distance, e.g. 1000 * oc.u.km")
    rx = terminal if rx_terminal is None else rx_terminal
    if not isinstance(terminal, OpticalTerminal) or not isinstance(rx, OpticalTerminal):
        raise InputError("terminal / rx_terminal: give OpticalTerminal objects, e.g. oc.OpticalTerminal.relay_isl()")
    lam = terminal.wavelength.m_as("m")
    loss = _db(extra_loss, "extra_loss")
    if elevation is not None:
        el = magnitude(elevation, "rad", "elevation")
        if np.any(~(el >= 0)):
            seen = float(np.degrees(el.reshape(-1)[int(np.flatnonzero(~(el >= 0).reshape(-1))[0])]))
            raise InputError(f"elevation = {seen:g} deg is below the horizon; a ground link needs elevation >= 0")
        if min_elevation is not None:
            mask = float(magnitude(min_elevation, "rad", "min_elevation"))
            low = el < mask
            if np.any(low):
                seen = float(np.degrees(el.reshape(-1)[int(np.flatnonzero(low.reshape(-1))[0])]))
                raise InputError(
                    f"elevation = {seen:g} deg is below the mask min_elevation = {math.degrees(mask):g} deg; "
                    "drop those time steps (no contact) or lower the mask"
                )
        loss = loss + ground_optical_loss_db(el, _db(zenith_loss, "zenith_loss"),
                                             _db(turbulence_margin, "turbulence_margin"))
    rate = optical_rate_si(d, terminal.tx_power.m_as("W"), terminal.aperture.m_as("m"), rx.aperture.m_as("m"),
                           lam, terminal.pointing_jitter.m_as("rad"), terminal.tx_efficiency, rx.rx_efficiency,
                           rx.photons_per_bit, terminal.channels, terminal.channel_rate.m_as("bit/s"), loss)
    return quantity(rate / 1e9, "Gbit/s")


# --------------------------------------------------------------------------- RF
_RF_FIELDS = (
    ("wavelength", "m"), ("tx_gain_dbi", "dBi"), ("rx_gain_dbi", "dBi"), ("eirp_dbw", "dBW"),
    ("free_space_loss_db", "dB"), ("rain_loss_db", "dB"), ("other_losses_db", "dB"),
    ("rx_power_dbw", "dBW"), ("g_over_t_db", "dB/K"), ("cn0_dbhz", "dBHz"), ("cn_db", "dB"),
    ("ebn0_db", "dB"), ("required_ebn0_db", "dB"), ("implementation_loss_db", "dB"),
    ("margin_db", "dB"), ("shannon_capacity", "bit/s"), ("rate", "bit/s"),
)


@dataclass(frozen=True)
class RFLinkBudget:
    """Every term of an RF link budget (from :func:`rf_link_budget`); arrays broadcast to
    the shape of the inputs.

    Attributes
    ----------
    wavelength : Quantity [m]
    tx_gain_dbi, rx_gain_dbi : ndarray [dBi]
        ``10 log10(eta (pi D / lambda)^2)``.
    eirp_dbw : ndarray [dBW]
        ``P_tx [dBW] + G_tx``.
    free_space_loss_db : ndarray [dB]
        ``20 log10(4 pi d / lambda)``.
    rain_loss_db, other_losses_db : ndarray [dB]
        Rain attenuation (ITU-R P.838 / P.618 slant path) and any other loss given.
    rx_power_dbw : ndarray [dBW]
        ``EIRP - L_fs - L_rain - L_other + G_rx``.
    g_over_t_db : ndarray [dB/K]
        ``G_rx - 10 log10(T_sys)``.
    cn0_dbhz : ndarray [dBHz]
        ``EIRP - L + G/T - 10 log10(k_B)``.
    cn_db : ndarray [dB]
        ``C/N0 - 10 log10(B)``.
    ebn0_db : ndarray [dB]
        ``C/N0 - 10 log10(R)`` at the given ``data_rate`` or else at :attr:`rate`.
    required_ebn0_db, implementation_loss_db : ndarray [dB]
    margin_db : ndarray [dB]
        ``Eb/N0 - required - implementation loss``.
    shannon_capacity : Quantity [bit/s]
        ``B log2(1 + C/N)``.
    rate : Quantity [bit/s]
        Rate at which the margin is zero, ``C/N0 / (Eb/N0_req + L_impl)`` in linear
        terms, capped by :attr:`shannon_capacity`.
    """

    wavelength: pint.Quantity
    tx_gain_dbi: np.ndarray
    rx_gain_dbi: np.ndarray
    eirp_dbw: np.ndarray
    free_space_loss_db: np.ndarray
    rain_loss_db: np.ndarray
    other_losses_db: np.ndarray
    rx_power_dbw: np.ndarray
    g_over_t_db: np.ndarray
    cn0_dbhz: np.ndarray
    cn_db: np.ndarray
    ebn0_db: np.ndarray
    required_ebn0_db: np.ndarray
    implementation_loss_db: np.ndarray
    margin_db: np.ndarray
    shannon_capacity: pint.Quantity
    rate: pint.Quantity

    def as_dict(self) -> dict[str, Any]:
        """The terms by name (quantities stay quantities, dB terms stay arrays)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def table(self) -> str:
        """A plain-text table of the terms (first element of each array)."""
        rows = []
        for name, unit in _RF_FIELDS:
            v = getattr(self, name)
            if isinstance(v, pint.Quantity):
                m = np.asarray(v.m_as(unit)).reshape(-1)
                shown = f"{m[0]:.6g}"
            else:
                shown = f"{np.asarray(v).reshape(-1)[0]:.2f}"
            rows.append(f"{name:<24}{shown:>14} {unit}")
        return "\n".join(rows)

    def __repr__(self) -> str:
        shape = np.shape(self.cn0_dbhz)
        return f"<RFLinkBudget shape={shape}\n{self.table()}>"


def rf_link_budget(range, *, frequency, tx_power, tx_antenna_diameter, rx_antenna_diameter,
                   tx_efficiency=0.65, rx_efficiency=0.65, system_noise_temperature, bandwidth,
                   required_ebn0, elevation=None, rain=0.0 * u.mm / u.hr, rain_height=None,
                   other_losses=0.0, implementation_loss=0.0, data_rate=None) -> RFLinkBudget:
    """RF link budget with every term, vectorized over range (and elevation).

    Parameters
    ----------
    range : Quantity [length], any shape
        Slant range.
    frequency : Quantity [frequency]
        Carrier frequency (1-50 GHz for the rain model; any for the rest).
    tx_power : Quantity [power]
        Transmitter RF output power [W].
    tx_antenna_diameter, rx_antenna_diameter : Quantity [length]
        Dish diameters; gain ``eta (pi D / lambda)^2``.
    tx_efficiency, rx_efficiency : float
        Aperture efficiencies (default 0.65, a typical parabolic reflector).
    system_noise_temperature : Quantity [temperature]
        Receiving system noise temperature referred to the antenna terminals [K].
    bandwidth : Quantity [frequency]
        Noise (and Shannon) bandwidth [Hz].
    required_ebn0 : float [dB]
        Eb/N0 the modulation and coding need at the target error rate.
    elevation : Quantity [angle], optional, broadcast against ``range``
        Ground-station elevation; needed for rain.
    rain : Quantity [length/time]
        Rain rate (e.g. the rate exceeded 0.01 % of the time, ITU-R P.837); default 0.
    rain_height : Quantity [length], optional
        Rain height above the station (default :data:`DEFAULT_RAIN_HEIGHT_M`).
    other_losses : float [dB]
        Gaseous absorption, pointing, polarisation, feeder losses..., default 0.
    implementation_loss : float [dB]
        Modem implementation loss, added to the required Eb/N0; default 0.
    data_rate : Quantity [bit/time], optional
        Rate at which Eb/N0 and the margin are quoted (a textbook budget's data rate);
        default: the achievable :attr:`RFLinkBudget.rate`.

    Returns
    -------
    RFLinkBudget

    Raises
    ------
    InputError
        Non-positive power, diameter, temperature, bandwidth, range or rate, an
        efficiency outside (0, 1], rain without an elevation, an elevation below 0.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> b = oc.rf_link_budget([500, 2000] * oc.u.km, frequency=8.2 * oc.u.GHz, tx_power=5 * oc.u.W,
    ...                       tx_antenna_diameter=0.2 * oc.u.m, rx_antenna_diameter=7.3 * oc.u.m,
    ...                       system_noise_temperature=150 * oc.u.K, bandwidth=300 * oc.u.MHz,
    ...                       required_ebn0=5.0, elevation=[60, 10] * oc.u.deg, rain=20 * oc.u.mm / oc.u.hr)
    >>> b.rain_loss_db.round(2).tolist(), b.rate.to("Mbit/s").round(1)
    ([1.2, 5.97], <Quantity([3993.1 2319.5], 'megabit / second')>)
    """
    d = _positive(range, "m", "range", "give a positive slant range, e.g. 1000 * oc.u.km")
    f = _positive(frequency, "Hz", "frequency", "give the carrier frequency, e.g. 26 * oc.u.GHz")
    p = _positive(tx_power, "W", "tx_power", "give the RF output power, e.g. 10 * oc.u.W")
    dt = _positive(tx_antenna_diameter, "m", "tx_antenna_diameter", "give the dish diameter, e.g. 0.5 * oc.u.m")
    dr = _positive(rx_antenna_diameter, "m", "rx_antenna_diameter", "give the dish diameter, e.g. 5 * oc.u.m")
    et = _fraction(tx_efficiency, "tx_efficiency", open_low=True)
    er = _fraction(rx_efficiency, "rx_efficiency", open_low=True)
    t = _positive(system_noise_temperature, "K", "system_noise_temperature", "give T_sys in kelvin, e.g. 300 * oc.u.K")
    bw = _positive(bandwidth, "Hz", "bandwidth", "give the noise bandwidth, e.g. 500 * oc.u.MHz")
    req = _db(required_ebn0, "required_ebn0")
    other = _db(other_losses, "other_losses")
    impl = _db(implementation_loss, "implementation_loss")
    rr = _positive(rain, "mm/hr", "rain", "give a rain rate, e.g. 10 * oc.u.mm / oc.u.hr (0 for clear sky)",
                   allow_zero=True)
    rain_db = np.zeros(())
    if elevation is not None:
        el = magnitude(elevation, "rad", "elevation")
        if np.any(~(el >= 0)):
            seen = float(np.degrees(np.min(el)))
            raise InputError(f"elevation = {seen:g} deg is below the horizon; give elevations >= 0 deg")
        hr = DEFAULT_RAIN_HEIGHT_M if rain_height is None else _positive(rain_height, "m", "rain_height",
                                                                          "give the rain height, e.g. 4 * oc.u.km")
        rain_db = np.where(rr > 0, rain_loss_db(el, f, rr, hr), 0.0)
    elif np.any(rr > 0):
        raise InputError(f"rain = {float(np.max(rr)):g} mm/h needs the path elevation; pass elevation=... * oc.u.deg")
    rate_at = None if data_rate is None else _positive(data_rate, "bit/s", "data_rate",
                                                       "give the data rate, e.g. 100 * oc.u.Mbit / oc.u.s")
    terms = rf_budget_si(d, f, p, dt, dr, et, er, t, bw, req, other + rain_db, impl, rate_at)
    shape = np.shape(terms["cn0_dbhz"])

    def full(a):
        return np.broadcast_to(np.asarray(a, dtype=np.float64), shape).copy()

    return RFLinkBudget(
        wavelength=quantity(full(terms["wavelength_m"]), "m"),
        tx_gain_dbi=full(terms["tx_gain_dbi"]),
        rx_gain_dbi=full(terms["rx_gain_dbi"]),
        eirp_dbw=full(terms["eirp_dbw"]),
        free_space_loss_db=full(terms["free_space_loss_db"]),
        rain_loss_db=full(rain_db),
        other_losses_db=full(other),
        rx_power_dbw=full(terms["rx_power_dbw"]),
        g_over_t_db=full(terms["g_over_t_db"]),
        cn0_dbhz=full(terms["cn0_dbhz"]),
        cn_db=full(terms["cn_db"]),
        ebn0_db=full(terms["ebn0_db"]),
        required_ebn0_db=full(req),
        implementation_loss_db=full(impl),
        margin_db=full(terms["margin_db"]),
        shannon_capacity=quantity(full(terms["shannon_bps"]), "bit/s"),
        rate=quantity(full(terms["rate_bps"]), "bit/s"),
    )


# --------------------------------------------------------------------------- weather
@dataclass(frozen=True, eq=False)
class OpticalGroundSites:
    """Candidate optical ground stations with their clear-sky (cloud-free line of sight)
    fractions, from the shipped ``optical_ground_sites.csv`` (see ``data/SOURCES.md``).

    Attributes
    ----------
    sites : GroundSites
        Positions (WGS84; ``sites.lat_rad`` etc.).
    country_code : tuple of str
    clear_sky_fraction, low, high : ndarray, shape ``(n_site,)`` [-]
        Central value and range of the annual fraction of time with a cloud-free line of
        sight.
    year : ndarray of int, shape ``(n_site,)``
        Publication year of each figure.
    source, note : tuple of str
        Where each figure comes from and how it was read (or that it is an estimate).
    """

    sites: GroundSites
    country_code: tuple[str, ...]
    clear_sky_fraction: np.ndarray
    low: np.ndarray
    high: np.ndarray
    year: np.ndarray
    source: tuple[str, ...]
    note: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.sites)

    @property
    def names(self) -> tuple[str, ...]:
        return self.sites.names

    @property
    def latitude(self) -> pint.Quantity:
        """Geodetic latitude [deg]."""
        return self.sites.latitude

    @property
    def longitude(self) -> pint.Quantity:
        """Longitude [deg]."""
        return self.sites.longitude

    def __repr__(self) -> str:
        return f"<OpticalGroundSites: {len(self)} sites ({', '.join(self.names[:3])}, ...)>"


@lru_cache(maxsize=1)
def optical_ground_sites() -> OpticalGroundSites:
    """The shipped table of candidate optical ground-station sites and their clear-sky
    fractions (``orbitcompute/data/optical_ground_sites.csv``).

    Returns
    -------
    OpticalGroundSites

    Examples
    --------
    >>> import orbitcompute as oc
    >>> s = oc.optical_ground_sites()
    >>> len(s) >= 8, bool((s.low <= s.clear_sky_fraction).all() and (s.clear_sky_fraction <= s.high).all())
    (True, True)
    """
    text = resources.files("orbitcompute").joinpath("data", "optical_ground_sites.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#")))
    sites = GroundSites.from_latlon(np.array([float(r["lat_deg"]) for r in rows]),
                                    np.array([float(r["lon_deg"]) for r in rows]),
                                    np.array([float(r["height_m"]) for r in rows]),
                                    names=[r["name"] for r in rows])

    def col(key, dtype=np.float64):
        a = np.array([r[key] for r in rows], dtype=dtype)
        a.setflags(write=False)
        return a

    return OpticalGroundSites(sites, tuple(r["country_code"] for r in rows), col("clear_sky_fraction"),
                              col("low"), col("high"), col("year", np.int64),
                              tuple(r["source"] for r in rows), tuple(r["note"] for r in rows))


def site_diversity_availability(clear_fraction, *, correlation: Literal["independent", "comonotone"] = "independent"):
    """Probability that at least one of the sites has a cloud-free line of sight.

    Parameters
    ----------
    clear_fraction : array_like, shape ``(..., n_site)`` [-]
        Clear-sky fraction of each site (0..1), sites along the last axis.
    correlation : {"independent", "comonotone"}
        ``"independent"``: ``1 - prod(1 - p_i)`` (uncorrelated weather, the optimistic
        bound, right for sites far apart); ``"comonotone"``: ``max(p_i)`` (perfectly
        correlated weather, the pessimistic bound).  A real network lies between.

    Returns
    -------
    float or ndarray, shape ``(...)``

    Examples
    --------
    >>> import orbitcompute as oc
    >>> round(oc.site_diversity_availability([0.6, 0.7, 0.5]), 3)
    0.94
    >>> oc.site_diversity_availability([0.6, 0.7, 0.5], correlation="comonotone")
    0.7
    """
    p = _fraction(clear_fraction, "clear_fraction")
    if p.ndim == 0:
        p = p[None]
    out = site_diversity_availability_si(p, _correlation(correlation))
    return float(out) if np.ndim(out) == 0 else out


def expected_min_served(rates_bps, clear_fraction, demand_bps, *,
                        correlation: Literal["independent", "comonotone"] = "independent") -> np.ndarray:
    """Expected fraction of demand served through weather-dependent ground stations.

    ``E[min(1, sum_i B_i r_i(t) / D)]`` over the stations' clear (``B_i = 1``) / cloudy
    (``B_i = 0``) states, each station clear with probability ``p_i``.

    Parameters
    ----------
    rates_bps : array_like, shape ``(n_station, n_time)`` [bit/s]
        Link rate through each station when clear (0 when not in contact).
    clear_fraction : array_like, shape ``(n_station,)`` [-]
    demand_bps : float or array_like broadcastable against ``(n_time,)`` [bit/s]
        e.g. shape ``(n_draw, 1)`` for assumption draws; 0 demand counts as fully served.
    correlation : {"independent", "comonotone"}
        Independent: exact over all ``2^n`` states for ``n <= 12`` stations, a seeded
        Monte Carlo of 4096 states above; comonotone: the ``n + 1`` nested states.

    Returns
    -------
    ndarray, shape ``broadcast(demand_bps.shape, (n_time,))`` [-]

    Examples
    --------
    >>> import orbitcompute as oc
    >>> oc.links.expected_min_served([[100.0], [100.0]], [0.5, 0.5], 100.0).tolist()
    [0.75]
    """
    r = np.asarray(rates_bps, dtype=np.float64)
    if r.ndim != 2:
        raise InputError(f"rates_bps: got shape {r.shape}; give shape (n_station, n_time)")
    if np.any(~(r >= 0)):
        raise InputError(f"rates_bps: min {np.nanmin(r) if np.isfinite(r).any() else r.flat[0]!r} is negative or NaN; "
                         "give rates >= 0 (0 when out of contact)")
    p = _fraction(clear_fraction, "clear_fraction").reshape(-1)
    if p.size != r.shape[0]:
        raise InputError(f"clear_fraction: {p.size} values for {r.shape[0]} stations; give one per station")
    d = np.asarray(demand_bps, dtype=np.float64)
    if np.any(~(d >= 0)):
        raise InputError("demand_bps: must be >= 0 bit/s")
    return expected_min_served_si(r, p, d, _correlation(correlation))


