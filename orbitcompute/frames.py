"""Reference-frame rotations and geodetic coordinates, vectorized over time.

Frames
------
``teme``  True Equator Mean Equinox of date, SGP4's output frame (Vallado et al. 2006,
          AIAA 2006-6753, appendix C).
``gcrs``  Geocentric Celestial Reference System (skyfield's ICRS-aligned geocentric axes).
``itrs``  International Terrestrial Reference System (Earth-fixed), as skyfield's
          :data:`skyfield.framelib.itrs`: IAU 2000A precession-nutation, GAST and, if the
          timescale had them, polar motion.  The builtin timescale has no polar-motion
          table, so polar motion (< 0.6 arcsec, < 20 m at the surface) is neglected.

The rotation for each time step is computed once (skyfield's matrices, shape
``(3, 3, n_time)``) and applied to all satellites with one batched matrix product.
"""

from __future__ import annotations

import numpy as np

from .constants import WGS84_A, WGS84_B, WGS84_E2
from .errors import InputError

__all__ = [
    "FRAMES",
    "rotation_matrices",
    "gmst1982",
    "teme_to_itrs_inplace",
    "rotate",
    "add_earth_rotation",
    "geodetic_to_ecef",
    "ecef_to_geodetic",
    "enu_matrices",
]

FRAMES = ("teme", "gcrs", "itrs")

#: Angular velocity matrix of skyfield's ITRS (dR/dt R^T) [rad s^-1]; ITRS velocity is
#: ``R v_gcrs + W @ r_itrs`` (skyfield.framelib._itrs_angvel_matrix, per day -> per second).
def _angvel_matrix() -> np.ndarray:
    from skyfield.framelib import _itrs_angvel_matrix

    return np.asarray(_itrs_angvel_matrix, dtype=np.float64) / 86400.0


def check_frame(frame: str) -> str:
    f = str(frame).lower()
    if f not in FRAMES:
        raise InputError(f"frame: unknown frame {frame!r}; choose one of {', '.join(FRAMES)}")
    return f


def rotation_matrices(t, source: str, target: str) -> np.ndarray:
    """Rotation matrices from ``source`` to ``target`` frame at each time.

    Parameters
    ----------
    t : skyfield.timelib.Time
        Shape ``(n_time,)``.
    source, target : {"teme", "gcrs", "itrs"}

    Returns
    -------
    numpy.ndarray
        Shape ``(n_time, 3, 3)``; ``x_target = R[k] @ x_source`` at time ``k``.
    """
    from skyfield.framelib import itrs
    from skyfield.sgp4lib import TEME

    source, target = check_frame(source), check_frame(target)
    n = len(t) if t.shape else 1
    if source == target:
        return np.broadcast_to(np.eye(3), (n, 3, 3)).copy()
    if {source, target} == {"teme", "itrs"} and t.ts.polar_motion_table is None:
        theta = gmst1982(t) * (1.0 if source == "teme" else -1.0)
        c, s = np.cos(theta), np.sin(theta)
        R = np.zeros((n, 3, 3))
        R[:, 0, 0] = R[:, 1, 1] = c
        R[:, 0, 1], R[:, 1, 0] = s, -s
        R[:, 2, 2] = 1.0
        return R

    def to_gcrs(frame):  # (n,3,3) from frame -> gcrs
        if frame == "gcrs":
            return np.broadcast_to(np.eye(3), (n, 3, 3))
        m = TEME.rotation_at(t) if frame == "teme" else itrs.rotation_at(t)
        m = np.asarray(m, dtype=np.float64).reshape(3, 3, n)
        return np.moveaxis(m, -1, 0).transpose(0, 2, 1)  # gcrs->frame transposed

    a = to_gcrs(source)
    b = np.transpose(to_gcrs(target), (0, 2, 1))  # gcrs -> target
    return np.matmul(b, a)


def gmst1982(t) -> np.ndarray:
    """Greenwich mean sidereal time of the 1982 model [rad], shape ``(n_time,)``.

    TEME -> ITRS is the rotation ``Rz(-GMST1982(UT1))`` when polar motion is neglected
    (Vallado et al. 2006, AIAA 2006-6753, appendix C): skyfield's product
    ``itrs.R @ TEME.R^T`` reduces to it exactly, precession and nutation cancelling.
    """
    from skyfield.sgp4lib import theta_GMST1982

    theta, _ = theta_GMST1982(t.whole, t.ut1_fraction)
    return np.atleast_1d(np.asarray(theta, dtype=np.float64))


def _xy_as_complex(x: np.ndarray) -> np.ndarray:
    """The (x, y) components of a C-contiguous float64 ``(..., 3)`` array, viewed in place
    as complex128 ``x + iy`` of shape ``(...)``."""
    if not (x.dtype == np.float64 and x.flags.c_contiguous and x.shape[-1] == 3):
        raise ValueError("expected a C-contiguous float64 array with xyz last")
    return np.ndarray(x.shape[:-1], dtype=np.complex128, buffer=x, strides=x.strides[:-1])


def teme_to_itrs_inplace(r: np.ndarray, v: np.ndarray, t, scale: float = 1.0, block: int = 64) -> None:
    """Rotate TEME states to ITRS in place (polar motion neglected), times ``scale``.

    ``r <- scale Rz(-theta) r``, ``v <- scale Rz(-theta) v + W r`` with theta = GMST1982
    and W the Earth-rotation matrix.  The xy components are viewed as complex numbers, so
    the rotation is one complex multiplication per vector; satellites are taken in blocks
    of ``block`` so each block stays in cache between the passes.

    Parameters
    ----------
    r, v : ndarray, shape ``(n_sat, n_time, 3)``, C-contiguous float64 (e.g. sgp4's output)
    t : skyfield Time, shape ``(n_time,)``
    """
    phase = np.exp(-1j * gmst1982(t)) * scale  # (x + iy) e^{-i theta}
    w = _angvel_matrix()[0, 1]
    rc, vc = _xy_as_complex(r), _xy_as_complex(v)
    for k in range(0, r.shape[0], block):  # cache blocking, not per-satellite work
        a, b = rc[k:k + block], vc[k:k + block]
        a *= phase
        b *= phase
        if scale != 1.0:
            r[k:k + block, :, 2] *= scale
            v[k:k + block, :, 2] *= scale
        b += (-1j * w) * a  # (vx + w y) + i (vy - w x)


def rotate(x: np.ndarray, R: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Apply per-time rotations to vectors of many satellites.

    Parameters
    ----------
    x : ndarray, shape ``(n_sat, n_time, 3)``
    R : ndarray, shape ``(n_time, 3, 3)``
    out : ndarray, optional
        Output array of ``x``'s shape (may not be ``x`` itself).

    Returns
    -------
    ndarray, shape ``(n_sat, n_time, 3)``
    """
    # (n_time, n_sat, 3) @ (n_time, 3, 3)^T -> batched over time, BLAS-backed
    xt = np.swapaxes(x, 0, 1)
    res = np.matmul(xt, np.swapaxes(R, 1, 2))
    res = np.swapaxes(res, 0, 1)
    if out is None:
        return np.ascontiguousarray(res)
    out[...] = res
    return out


def add_earth_rotation(v: np.ndarray, r_itrs: np.ndarray) -> np.ndarray:
    """Turn rotated inertial velocities ``R v`` into ITRS velocities, in place.

    ``v_itrs = R v_inertial + W r_itrs`` with W skyfield's ITRS angular-velocity matrix
    [rad s^-1], whose only non-zero entries are W[0,1] = -W[1,0] (rotation about z).

    Parameters
    ----------
    v : ndarray, shape ``(..., 3)`` [m/s], modified in place and returned
    r_itrs : ndarray, shape ``(..., 3)`` [m]
    """
    W = _angvel_matrix()
    v[..., 0] += W[0, 1] * r_itrs[..., 1]
    v[..., 1] += W[1, 0] * r_itrs[..., 0]
    return v


def geodetic_to_ecef(lat_rad, lon_rad, height_m) -> np.ndarray:
    """WGS84 geodetic coordinates to Earth-fixed Cartesian (ITRS) [m].

    Parameters
    ----------
    lat_rad, lon_rad : array_like [rad]
    height_m : array_like [m], height above the ellipsoid.

    Returns
    -------
    ndarray, shape ``broadcast(lat, lon, height) + (3,)`` [m]

    References
    ----------
    NGA.STND.0036_1.0.0_WGS84 (2014), eq. 4-14.
    """
    lat, lon, h = np.broadcast_arrays(
        np.asarray(lat_rad, float), np.asarray(lon_rad, float), np.asarray(height_m, float)
    )
    s, c = np.sin(lat), np.cos(lat)
    N = WGS84_A / np.sqrt(1.0 - WGS84_E2 * s * s)
    return np.stack(
        [(N + h) * c * np.cos(lon), (N + h) * c * np.sin(lon), (N * (1.0 - WGS84_E2) + h) * s],
        axis=-1,
    )


def ecef_to_geodetic(xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Earth-fixed Cartesian [m] to WGS84 latitude [rad], longitude [rad], height [m].

    Bowring's method with two Newton refinements: sub-millimetre for heights from the
    Earth's centre region up to beyond geostationary orbit.

    Parameters
    ----------
    xyz : ndarray, shape ``(..., 3)`` [m]
    """
    xyz = np.asarray(xyz, dtype=float)
    x, y, z = xyz[..., 0], xyz[..., 1], xyz[..., 2]
    p = np.hypot(x, y)
    lon = np.arctan2(y, x)
    ep2 = (WGS84_A**2 - WGS84_B**2) / WGS84_B**2
    with np.errstate(invalid="ignore", divide="ignore"):
        beta = np.arctan2(WGS84_A * z, WGS84_B * p)
        lat = np.arctan2(z + ep2 * WGS84_B * np.sin(beta) ** 3, p - WGS84_E2 * WGS84_A * np.cos(beta) ** 3)
        for _ in range(2):
            beta = np.arctan2((1.0 - WGS84_E2) ** 0.5 * np.sin(lat), np.cos(lat))
            lat = np.arctan2(
                z + ep2 * WGS84_B * np.sin(beta) ** 3, p - WGS84_E2 * WGS84_A * np.cos(beta) ** 3
            )
        s = np.sin(lat)
        N = WGS84_A / np.sqrt(1.0 - WGS84_E2 * s * s)
        c = np.cos(lat)
        h = np.where(np.abs(c) > 1e-10, p / np.where(c == 0, 1, c) - N, np.abs(z) - WGS84_B)
    return lat, lon, h


def enu_matrices(lat_rad, lon_rad) -> np.ndarray:
    """Rotation matrices from Earth-fixed (ITRS) to local East-North-Up at geodetic points.

    Parameters
    ----------
    lat_rad, lon_rad : array_like [rad], shape ``(n,)``

    Returns
    -------
    ndarray, shape ``(n, 3, 3)``; rows are the unit vectors East, North, Up.
    """
    lat = np.atleast_1d(np.asarray(lat_rad, float))
    lon = np.atleast_1d(np.asarray(lon_rad, float))
    sl, cl = np.sin(lat), np.cos(lat)
    so, co = np.sin(lon), np.cos(lon)
    east = np.stack([-so, co, np.zeros_like(so)], axis=-1)
    north = np.stack([-sl * co, -sl * so, cl], axis=-1)
    up = np.stack([cl * co, cl * so, sl], axis=-1)
    return np.stack([east, north, up], axis=1)
