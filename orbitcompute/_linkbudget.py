"""Pure kernels of :mod:`orbitcompute.links` on float64 SI arrays: optical and RF link
budgets, the optical air mass, rain attenuation and weather (site-diversity) statistics.

Every kernel broadcasts over all of its arguments and does no validation beyond what is
cheap; the checked, unit-aware API is in :mod:`orbitcompute.links`, which also holds the
equations and references.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.constants as _sc

from .constants import C_LIGHT, R_EARTH

#: Planck constant [J s] (exact, SI 2019).
H_PLANCK = _sc.h
#: Boltzmann constant [J K^-1] (exact, SI 2019).
K_BOLTZMANN = _sc.k
#: ``10 log10(k_B)`` [dBW K^-1 Hz^-1], about -228.6.
K_BOLTZMANN_DB = 10.0 * math.log10(_sc.k)

#: Largest number of stations for which :func:`expected_min_served_si` enumerates all
#: ``2^n`` independent weather states; above it a seeded Monte Carlo is used.
EXACT_STATES_MAX = 12
#: Number of Monte Carlo weather states above :data:`EXACT_STATES_MAX` stations.
MC_STATES = 4096
#: Seed of that Monte Carlo (results are reproducible).
MC_SEED = 20251104

# ITU-R P.838-3 (03/2005), Table 5 values at a few frequencies: f [GHz], k_H, alpha_H, k_V,
# alpha_V.  Between rows k is interpolated on log(k) vs log(f) and alpha linearly in log(f),
# the interpolation rule stated in the Recommendation for its tabulated values.
P838_TABLE = np.array([
    # f_GHz   k_H       alpha_H  k_V       alpha_V
    [1.0,     0.0000259, 0.9691, 0.0000308, 0.8592],
    [2.0,     0.0000847, 1.0664, 0.0000998, 0.9490],
    [4.0,     0.0001071, 1.6009, 0.0002461, 1.2476],
    [6.0,     0.0007056, 1.5900, 0.0004878, 1.5728],
    [8.0,     0.004115,  1.3905, 0.003450,  1.3797],
    [10.0,    0.01217,   1.2571, 0.01129,   1.2156],
    [12.0,    0.02386,   1.1825, 0.02455,   1.1216],
    [15.0,    0.04481,   1.1233, 0.05008,   1.0440],
    [20.0,    0.09164,   1.0568, 0.09611,   0.9847],
    [25.0,    0.1571,    0.9991, 0.1533,    0.9491],
    [30.0,    0.2403,    0.9485, 0.2291,    0.9129],
    [35.0,    0.3374,    0.9047, 0.3224,    0.8761],
    [40.0,    0.4431,    0.8673, 0.4274,    0.8421],
    [50.0,    0.6600,    0.8084, 0.6472,    0.7871],
])


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def db_to_linear(db) -> np.ndarray:
    """``10^(db / 10)``."""
    return 10.0 ** (_f(db) / 10.0)


def linear_to_db(x) -> np.ndarray:
    """``10 log10(x)`` (``-inf`` at 0, no warning)."""
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(_f(x))


# --------------------------------------------------------------------------- optical
def aperture_gain_si(aperture_m, wavelength_m, efficiency=1.0) -> np.ndarray:
    """Antenna/telescope gain ``eta (pi D / lambda)^2`` [-] (linear)."""
    return _f(efficiency) * (math.pi * _f(aperture_m) / _f(wavelength_m)) ** 2


def beam_divergence_si(aperture_m, wavelength_m) -> np.ndarray:
    """``1/e^2`` far-field half-angle [rad] of the Gaussian beam whose on-axis gain is
    ``(pi D / lambda)^2``: ``theta = sqrt(8) lambda / (pi D)`` (from ``G = 8 / theta^2``)."""
    return math.sqrt(8.0) * _f(wavelength_m) / (math.pi * _f(aperture_m))


def pointing_loss_si(pointing_jitter_rad, aperture_m, wavelength_m) -> np.ndarray:
    """Mean pointing loss factor [-] of a Gaussian beam with a Rayleigh-distributed
    pointing error of per-axis rms ``sigma``: ``theta^2 / (theta^2 + 4 sigma^2)``."""
    th2 = beam_divergence_si(aperture_m, wavelength_m) ** 2
    s = _f(pointing_jitter_rad)
    return th2 / (th2 + 4.0 * s * s)


def optical_rx_power_si(range_m, tx_power_w, tx_aperture_m, rx_aperture_m, wavelength_m,
                        pointing_jitter_rad, tx_efficiency, rx_efficiency,
                        extra_loss_db=0.0) -> np.ndarray:
    """Mean received optical power [W] (Friis with diffraction-limited gains).

    ``P_rx = P_tx eta_tx L_point min(1, G_tx (lambda / 4 pi d)^2 G_rx) eta_rx 10^(-L_extra/10)``
    with ``G = (pi D / lambda)^2`` and the Rayleigh-averaged Gaussian-beam pointing loss
    :func:`pointing_loss_si`.  The ``min(1, ...)`` caps the geometric coupling in the near
    field (``d < pi D_tx D_rx / 4 lambda``), where the receiver collects the whole beam;
    beyond it the power falls exactly as ``1/d^2``.  All arguments broadcast; SI units.

    Examples
    --------
    >>> p = optical_rx_power_si(1e4, 1.0, 0.1, 0.1, 1550e-9, 0.0, 1.0, 1.0)
    >>> round(float(p), 6)  # far field: pi^2 D^4 / (16 lambda^2 d^2) = 0.2568 W at 10 km
    0.256753
    """
    lam = _f(wavelength_m)
    gt = aperture_gain_si(tx_aperture_m, lam)
    gr = aperture_gain_si(rx_aperture_m, lam)
    fspl = (lam / (4.0 * math.pi * _f(range_m))) ** 2
    lp = pointing_loss_si(pointing_jitter_rad, tx_aperture_m, lam)
    coupling = np.minimum(gt * fspl * gr, 1.0)  # near field: at most all the power is collected
    return (_f(tx_power_w) * _f(tx_efficiency) * lp * coupling * _f(rx_efficiency)
            * db_to_linear(-_f(extra_loss_db)))


def photon_energy_si(wavelength_m) -> np.ndarray:
    """Photon energy ``h c / lambda`` [J]."""
    return H_PLANCK * C_LIGHT / _f(wavelength_m)


def optical_rate_si(range_m, tx_power_w, tx_aperture_m, rx_aperture_m, wavelength_m,
                    pointing_jitter_rad, tx_efficiency, rx_efficiency, photons_per_bit,
                    channels, channel_rate_bps, extra_loss_db=0.0) -> np.ndarray:
    """Achievable optical data rate [bit/s]:
    ``min(channels * channel_rate, P_rx / (photons_per_bit h c / lambda))``.

    The WDM channels share the transmit power, so the power-limited rate is the total
    received power over the energy per bit; it is capped by the modems' total rate.

    Examples
    --------
    >>> r = optical_rate_si([1e3, 1e7], 1.0, 0.1, 0.1, 1550e-9, 0.0, 1.0, 1.0, 100.0, 4, 1e11)
    >>> (r / 1e9).round(3).tolist()
    [400.0, 20.034]
    """
    prx = optical_rx_power_si(range_m, tx_power_w, tx_aperture_m, rx_aperture_m, wavelength_m,
                              pointing_jitter_rad, tx_efficiency, rx_efficiency, extra_loss_db)
    power_limited = prx / (_f(photons_per_bit) * photon_energy_si(wavelength_m))
    return np.minimum(_f(channels) * _f(channel_rate_bps), power_limited)


def air_mass_si(elevation_rad) -> np.ndarray:
    """Relative optical air mass [-] of Kasten & Young (1989), eq. (3):
    ``1 / (sin(h) + 0.50572 (h_deg + 6.07995)^-1.6364)`` with ``h`` the elevation
    (``90 deg - zenith angle``); NaN below the horizon."""
    el = _f(elevation_rad)
    h = np.degrees(el)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = 1.0 / (np.sin(el) + 0.50572 * (h + 6.07995) ** -1.6364)
    return np.where(h >= 0.0, m, np.nan)


def ground_optical_loss_db(elevation_rad, zenith_loss_db, turbulence_margin_db) -> np.ndarray:
    """Atmospheric loss of a ground-space optical link [dB]:
    ``m(el) (zenith_loss_db + turbulence_margin_db)``.

    Extinction in dB is proportional to the air mass ``m`` (Beer-Lambert); the
    turbulence/scintillation margin is scaled by the same air mass (a simple, documented
    choice: the scintillation index of a weak-turbulence downlink grows roughly as the
    path's turbulence integral, i.e. as ``sec(zenith)`` near zenith).

    Examples
    --------
    >>> float(ground_optical_loss_db(np.pi / 2, 1.0, 2.0).round(4))  # air mass 0.99971 at zenith
    2.9991
    """
    m = air_mass_si(elevation_rad)
    return m * (_f(zenith_loss_db) + _f(turbulence_margin_db))


# --------------------------------------------------------------------------- RF
def free_space_loss_db(range_m, frequency_hz) -> np.ndarray:
    """Free-space path loss ``20 log10(4 pi d f / c)`` [dB]."""
    return 20.0 * np.log10(4.0 * math.pi * _f(range_m) * _f(frequency_hz) / C_LIGHT)


def p838_coefficients(frequency_hz, polarization: str = "circular") -> tuple[np.ndarray, np.ndarray]:
    """ITU-R P.838-3 ``k`` [dB/km/(mm/h)^alpha] and ``alpha`` [-] interpolated from
    :data:`P838_TABLE`; ``polarization`` ``"h"``, ``"v"`` or ``"circular"`` (tilt 45 deg,
    P.838-3 eqs. (4)-(5): ``k = (k_H + k_V)/2``, ``alpha = (k_H a_H + k_V a_V) / 2k``)."""
    lf = np.log10(_f(frequency_hz) / 1e9)
    tf = np.log10(P838_TABLE[:, 0])
    kh = 10.0 ** np.interp(lf, tf, np.log10(P838_TABLE[:, 1]))
    ah = np.interp(lf, tf, P838_TABLE[:, 2])
    kv = 10.0 ** np.interp(lf, tf, np.log10(P838_TABLE[:, 3]))
    av = np.interp(lf, tf, P838_TABLE[:, 4])
    if polarization == "h":
        return kh, ah
    if polarization == "v":
        return kv, av
    k = 0.5 * (kh + kv)
    return k, (kh * ah + kv * av) / (2.0 * k)


def rain_slant_path_m(elevation_rad, rain_height_m, station_height_m=0.0) -> np.ndarray:
    """Slant path below the rain height [m], ITU-R P.618-13 eq. (1)-(2): ``(h_R - h_s) /
    sin(el)`` above 5 deg, the curved-Earth form ``2 (h_R - h_s) / (sqrt(sin^2 el + 2
    (h_R - h_s) / R_e) + sin el)`` below (``R_e = 8500 km``, effective radius)."""
    el = _f(elevation_rad)
    dh = np.maximum(_f(rain_height_m) - _f(station_height_m), 0.0)
    s = np.sin(el)
    with np.errstate(divide="ignore", invalid="ignore"):
        flat = dh / s
        curved = 2.0 * dh / (np.sqrt(s * s + 2.0 * dh / 8.5e6) + s)
    return np.where(el >= math.radians(5.0), flat, curved)


def rain_loss_db(elevation_rad, frequency_hz, rain_rate_mm_h, rain_height_m=4.0e3,
                 station_height_m=0.0, polarization: str = "circular") -> np.ndarray:
    """Rain attenuation on an Earth-space path [dB]: ``gamma_R L_s`` with
    ``gamma_R = k R^alpha`` (ITU-R P.838-3) and the slant path below the rain height
    (ITU-R P.618-13, without its horizontal/vertical path-reduction factors, so it is
    an upper estimate for intense, small rain cells).

    Examples
    --------
    >>> round(float(rain_loss_db(np.pi / 2, 20e9, 10.0, 4e3)), 3)  # 4 km of 10 mm/h at 20 GHz
    3.931
    """
    k, a = p838_coefficients(frequency_hz, polarization)
    gamma_db_per_km = k * _f(rain_rate_mm_h) ** a
    return gamma_db_per_km * rain_slant_path_m(elevation_rad, rain_height_m, station_height_m) / 1e3


def rf_budget_si(range_m, frequency_hz, tx_power_w, tx_antenna_diameter_m, rx_antenna_diameter_m,
                 tx_efficiency, rx_efficiency, system_noise_temperature_k, bandwidth_hz,
                 required_ebn0_db, extra_loss_db=0.0, implementation_loss_db=0.0,
                 data_rate_bps=None) -> dict[str, np.ndarray]:
    """Every term of an RF link budget (dB terms in dB, SI otherwise), broadcast.

    Returns a dict with ``wavelength_m``, ``tx_gain_dbi``, ``rx_gain_dbi``, ``eirp_dbw``,
    ``free_space_loss_db``, ``extra_loss_db``, ``rx_power_dbw``, ``g_over_t_db``,
    ``cn0_dbhz``, ``cn_db``, ``shannon_bps``, ``rate_bps``, ``ebn0_db``, ``margin_db``.

    ``rate_bps = min(C/N0 / 10^((Eb/N0_req + L_impl)/10), B log2(1 + C/(N0 B)))``;
    ``ebn0_db`` and ``margin_db = ebn0_db - required - L_impl`` are evaluated at
    ``data_rate_bps`` when given, else at ``rate_bps``.
    """
    lam = C_LIGHT / _f(frequency_hz)
    gt = linear_to_db(aperture_gain_si(tx_antenna_diameter_m, lam, tx_efficiency))
    gr = linear_to_db(aperture_gain_si(rx_antenna_diameter_m, lam, rx_efficiency))
    eirp = linear_to_db(tx_power_w) + gt
    fspl = free_space_loss_db(range_m, frequency_hz)
    extra = _f(extra_loss_db) + np.zeros_like(fspl)
    prx = eirp - fspl - extra + gr
    gt_db = gr - linear_to_db(system_noise_temperature_k)
    cn0 = eirp - fspl - extra + gt_db - K_BOLTZMANN_DB
    cn = cn0 - linear_to_db(bandwidth_hz)
    shannon = _f(bandwidth_hz) * np.log2(1.0 + db_to_linear(cn))
    need = _f(required_ebn0_db) + _f(implementation_loss_db)
    rate = np.minimum(db_to_linear(cn0 - need), shannon)
    at = rate if data_rate_bps is None else _f(data_rate_bps)
    ebn0 = cn0 - linear_to_db(at)
    return {
        "wavelength_m": lam,
        "tx_gain_dbi": gt,
        "rx_gain_dbi": gr,
        "eirp_dbw": eirp,
        "free_space_loss_db": fspl,
        "extra_loss_db": extra,
        "rx_power_dbw": prx,
        "g_over_t_db": gt_db,
        "cn0_dbhz": cn0,
        "cn_db": cn,
        "shannon_bps": shannon,
        "rate_bps": rate,
        "ebn0_db": ebn0,
        "margin_db": ebn0 - need,
    }


def rf_rate_si(range_m, frequency_hz, tx_power_w, tx_antenna_diameter_m, rx_antenna_diameter_m,
               tx_efficiency, rx_efficiency, system_noise_temperature_k, bandwidth_hz,
               required_ebn0_db, extra_loss_db=0.0, implementation_loss_db=0.0) -> np.ndarray:
    """RF data rate [bit/s] at which Eb/N0 equals the required value (plus implementation
    loss), capped by the Shannon capacity ``B log2(1 + C/N)``; see :func:`rf_budget_si`.

    Examples
    --------
    >>> r = rf_rate_si([1e6, 2e6], 26e9, 10.0, 0.5, 5.0, 0.65, 0.65, 300.0, 5e8, 3.0)
    >>> (r / 1e9).round(3).tolist()  # Shannon-capped in 500 MHz: C/N falls 6 dB, rate 1 bit/Hz
    [7.926, 6.926]
    """
    return rf_budget_si(range_m, frequency_hz, tx_power_w, tx_antenna_diameter_m,
                        rx_antenna_diameter_m, tx_efficiency, rx_efficiency,
                        system_noise_temperature_k, bandwidth_hz, required_ebn0_db,
                        extra_loss_db, implementation_loss_db)["rate_bps"]


# --------------------------------------------------------------------------- weather
def site_diversity_availability_si(clear_fraction, correlation: str = "independent") -> np.ndarray:
    """Probability that at least one site is clear; sites along the last axis.
    ``"independent"``: ``1 - prod(1 - p)``; ``"comonotone"``: ``max(p)``."""
    p = _f(clear_fraction)
    if correlation == "comonotone":
        return np.max(p, axis=-1)
    return 1.0 - np.prod(1.0 - p, axis=-1)


def weather_states_si(clear_fraction, correlation: str = "independent"):
    """Weather states and their probabilities.

    Returns ``(states, weights)``: ``states`` shape ``(n_state, n_station)`` of 0/1 (1 =
    clear), ``weights`` shape ``(n_state,)`` summing to 1.  Independent: all ``2^n``
    states for ``n <= EXACT_STATES_MAX``, else :data:`MC_STATES` seeded Monte Carlo
    states of weight ``1/MC_STATES``.  Comonotone: the ``n + 1`` nested states (a common
    uniform ``U`` makes station ``i`` clear when ``U < p_i``).
    """
    p = _f(clear_fraction).reshape(-1)
    n = p.size
    if correlation == "comonotone":
        order = np.argsort(-p, kind="stable")
        ps = np.concatenate([[1.0], p[order], [0.0]])
        weights = ps[:-1] - ps[1:]  # P(p_(k+1) <= U < p_(k)): exactly the k likeliest are clear
        states = np.zeros((n + 1, n))
        ranks = np.empty(n, dtype=np.intp)
        ranks[order] = np.arange(n)
        states[:, :] = (ranks[None, :] < np.arange(n + 1)[:, None]).astype(np.float64)
        return states, weights
    if n <= EXACT_STATES_MAX:
        states = ((np.arange(2 ** n)[:, None] >> np.arange(n)[None, :]) & 1).astype(np.float64)
        weights = np.prod(np.where(states > 0, p, 1.0 - p), axis=1)
        return states, weights
    rng = np.random.default_rng(MC_SEED)
    states = (rng.random((MC_STATES, n)) < p).astype(np.float64)
    return states, np.full(MC_STATES, 1.0 / MC_STATES)


def expected_min_served_si(rates_bps, clear_fraction, demand_bps,
                           correlation: str = "independent") -> np.ndarray:
    """``E[min(1, sum_i B_i r_i(t) / D)]`` over the weather states ``B``.

    ``rates_bps`` shape ``(n_station, n_time)`` (rate when clear, 0 out of contact);
    ``demand_bps`` scalar or broadcastable against ``(n_time,)`` (e.g. ``(n_draw, 1)``);
    result shape ``broadcast(demand.shape, (n_time,))``.
    """
    r = _f(rates_bps)
    states, w = weather_states_si(clear_fraction, correlation)
    cap = states @ r  # (n_state, n_time)
    d = _f(demand_bps)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.minimum(1.0, cap / d[..., None, :] if d.ndim else cap / d)
    frac = np.where(np.isnan(frac), 1.0, frac)  # zero demand is always served
    return np.einsum("s,...st->...t", w, frac)
