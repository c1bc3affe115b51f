"""Offline planetary ephemeris (JPL DE421) from the skyfield-data package.

The file is opened through :mod:`importlib.resources` with a skyfield ``Loader`` whose
expiry checks are off, so nothing is ever downloaded.  DE421 covers 1900-2050.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["data_dir", "planets"]


def data_dir() -> Path:
    """Directory of skyfield-data's files (``de421.bsp``)."""
    return Path(str(resources.files("skyfield_data").joinpath("data")))


@lru_cache(maxsize=1)
def planets():
    """The DE421 ephemeris as a skyfield ``SpiceKernel``, loaded once, offline.

    Reference: Folkner et al. (2008), "The Planetary and Lunar Ephemeris DE 421",
    JPL IOM 343R-08-003.
    """
    from skyfield.api import Loader

    path = data_dir() / "de421.bsp"
    if not path.exists():  # pragma: no cover - broken installation
        raise FileNotFoundError(
            f"{path} is missing: reinstall the skyfield-data package (pip install skyfield-data)"
        )
    return Loader(str(data_dir()), expire=False, verbose=False)("de421.bsp")
