"""Physical and geodetic constants, each with its source.

All values are plain floats in SI units.
"""

from __future__ import annotations

import math

import scipy.constants as _sc

# --- WGS84 ellipsoid (NGA.STND.0036_1.0.0_WGS84, 2014) -----------------------------
#: WGS84 semi-major axis [m].
WGS84_A = 6378137.0
#: WGS84 flattening [-].
WGS84_F = 1.0 / 298.257223563
#: WGS84 semi-minor axis [m].
WGS84_B = WGS84_A * (1.0 - WGS84_F)
#: WGS84 first eccentricity squared [-].
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)

# --- Gravity (EGM2008 / IERS Conventions 2010, Table 1.1) ---------------------------
#: Geocentric gravitational constant GM [m^3 s^-2] (IERS 2010).
GM_EARTH = 3.986004418e14
#: Earth's equatorial radius used with J2 [m] (EGM2008, = WGS84 a).
R_EARTH = WGS84_A
#: Second zonal harmonic J2 [-] (EGM2008 unnormalised C20, IERS 2010).
J2 = 1.08262668e-3
#: Earth's rotation rate [rad s^-1] (IERS 2010, nominal).
OMEGA_EARTH = 7.292115e-5

# --- Time -------------------------------------------------------------------------
#: Seconds per day [s].
DAY_S = 86400.0
#: Tropical year [s] (365.2421897 d, Meeus, Astronomical Algorithms 2nd ed., ch. 27, J2000).
TROPICAL_YEAR_S = 365.2421897 * DAY_S
#: Mean motion of the mean Sun, the nodal precession rate a sun-synchronous orbit
#: must match [rad s^-1].
SUN_MEAN_MOTION = 2.0 * math.pi / TROPICAL_YEAR_S

# --- Light (CODATA 2018 via scipy.constants) ---------------------------------------
#: Speed of light in vacuum [m s^-1] (exact, SI 2019).
C_LIGHT = _sc.c
#: Stefan-Boltzmann constant [W m^-2 K^-4] (CODATA 2018).
SIGMA_SB = _sc.Stefan_Boltzmann
