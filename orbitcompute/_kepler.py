"""Pure kernels: Kepler's equation, element conversions, J2 secular rates (SI, radians).

References
----------
Vallado, D. A. (2013). *Fundamentals of Astrodynamics and Applications*, 4th ed.:
algorithm 2 (Kepler's equation), algorithm 10 (COE2RV), eq. 9-41 (J2 secular rates).
"""

from __future__ import annotations

import numpy as np

from .constants import GM_EARTH, J2, R_EARTH, SUN_MEAN_MOTION


def solve_kepler(M: np.ndarray, e: np.ndarray, tol: float = 1e-14) -> np.ndarray:
    """Eccentric anomaly E from mean anomaly M for elliptic orbits (0 <= e < 1).

    Vectorized Newton iteration started at ``E0 = M + e sin M`` (or pi for e > 0.8);
    converges to ``tol`` rad in at most ~8 iterations for e < 0.99.
    """
    M = np.remainder(np.asarray(M, float), 2.0 * np.pi)
    e = np.broadcast_to(np.asarray(e, float), M.shape)
    E = np.where(e > 0.8, np.pi, M + e * np.sin(M))
    # iterate each element until its own step is below tol, so that an element's result
    # does not depend on what else is in the batch
    flat_E, flat_M, flat_e = E.ravel(), M.ravel(), e.ravel()
    act = np.flatnonzero(np.isfinite(flat_E))
    for _ in range(50):
        if act.size == 0:
            break
        Ea, ea = flat_E[act], flat_e[act]
        dE = (Ea - ea * np.sin(Ea) - flat_M[act]) / (1.0 - ea * np.cos(Ea))
        flat_E[act] = Ea - dE
        act = act[np.abs(dE) >= tol]
    return flat_E.reshape(M.shape)


def mean_motion(a: np.ndarray) -> np.ndarray:
    """Two-body mean motion n = sqrt(GM / a^3) [rad/s] for semi-major axis ``a`` [m]."""
    return np.sqrt(GM_EARTH / np.asarray(a, float) ** 3)


def j2_rates(a, e, i):
    """Secular J2 rates of RAAN, argument of perigee and mean anomaly [rad/s].

    Vallado (2013) eq. 9-41; mean anomaly rate includes the J2 correction to the
    anomalistic mean motion.
    """
    a, e, i = (np.asarray(x, float) for x in (a, e, i))
    n = mean_motion(a)
    p = a * (1.0 - e * e)
    k = 1.5 * J2 * (R_EARTH / p) ** 2 * n
    ci = np.cos(i)
    raan_dot = -k * ci
    argp_dot = 0.5 * k * (5.0 * ci * ci - 1.0)
    m_dot = n + 0.5 * k * np.sqrt(1.0 - e * e) * (3.0 * ci * ci - 1.0)
    return raan_dot, argp_dot, m_dot


def sun_synchronous_inclination(a, e=0.0) -> np.ndarray:
    """Inclination [rad] at which J2 nodal precession equals the mean Sun's motion.

    ``cos i = -2 rho a^{7/2} (1 - e^2)^2 / (3 J2 R^2 sqrt(GM))``, rho = 2 pi / tropical year
    (Vallado 2013, eq. 11-18).  NaN where no such inclination exists (a too large).
    """
    a = np.asarray(a, float)
    e = np.asarray(e, float)
    c = -2.0 * SUN_MEAN_MOTION * a**3.5 * (1 - e * e) ** 2 / (3.0 * J2 * R_EARTH**2 * np.sqrt(GM_EARTH))
    with np.errstate(invalid="ignore"):
        return np.where(np.abs(c) <= 1.0, np.arccos(np.clip(c, -1, 1)), np.nan)


def elements_to_state(a, e, i, raan, argp, M, m_dot=None, raan_dot=0.0, argp_dot=0.0):
    """Position [m] and velocity [m/s] from classical elements, broadcast over inputs.

    If secular rates are given, the velocity is the exact time derivative of the
    secularly-precessing ellipse (two-body velocity scaled by ``m_dot / n`` plus the
    rotations of the argument of perigee and of the node); otherwise two-body.

    Returns
    -------
    r, v : ndarray, shape ``broadcast + (3,)``
    """
    a, e, i, raan, argp, M = np.broadcast_arrays(*(np.asarray(x, float) for x in (a, e, i, raan, argp, M)))
    E = solve_kepler(M, e)
    cE, sE = np.cos(E), np.sin(E)
    sq = np.sqrt(1.0 - e * e)
    # perifocal coordinates
    xp = a * (cE - e)
    yp = a * sq * sE
    n = mean_motion(a)
    rmag = a * (1.0 - e * cE)
    Edot = n / (1.0 - e * cE)
    vxp = -a * sE * Edot
    vyp = a * sq * cE * Edot
    if m_dot is not None:
        scale = np.asarray(m_dot, float) / n
        vxp = vxp * scale
        vyp = vyp * scale
    cO, sO = np.cos(raan), np.sin(raan)
    cw, sw = np.cos(argp), np.sin(argp)
    ci, si = np.cos(i), np.sin(i)
    # columns P and Q of the perifocal -> inertial rotation
    P = np.stack([cO * cw - sO * sw * ci, sO * cw + cO * sw * ci, sw * si], axis=-1)
    Q = np.stack([-cO * sw - sO * cw * ci, -sO * sw + cO * cw * ci, cw * si], axis=-1)
    r = xp[..., None] * P + yp[..., None] * Q
    v = vxp[..., None] * P + vyp[..., None] * Q
    W = np.stack([sO * si, -cO * si, ci], axis=-1)  # orbit normal
    argp_dot = np.asarray(argp_dot, float)
    raan_dot = np.asarray(raan_dot, float)
    if np.any(argp_dot) or np.any(raan_dot):
        z = np.zeros_like(r)
        z[..., 2] = 1.0
        v = v + argp_dot[..., None] * np.cross(W, r) + raan_dot[..., None] * np.cross(z, r)
    del rmag
    return r, v
