"""One place for results leaving the package: JSON-ready values (NaN and infinities as
null, numpy as Python, quantities as magnitude and unit), JSON text, refuse-to-overwrite
atomic writes (:func:`orbitcompute._table.write_text_safely`) and the versions recorded in
every result.
"""

from __future__ import annotations

import functools
import json
import math
import platform
from collections.abc import Mapping
from typing import Any

import numpy as np
import pint

from ._table import write_text_safely

__all__ = ["json_text", "jsonable", "versions", "write_json", "write_text_safely"]

#: Packages whose versions shape the numbers (recorded with Python's in every result).
_VERSIONED = ("orbitcompute", "numpy", "scipy", "skyfield", "sgp4", "pint", "astropy")


def versions() -> dict[str, str | None]:
    """Versions of Python and the libraries a result depends on (recorded in every result).

    Examples
    --------
    >>> sorted(versions())
    ['astropy', 'numpy', 'orbitcompute', 'pint', 'python', 'scipy', 'sgp4', 'skyfield']
    """
    return dict(_versions())


@functools.lru_cache(maxsize=1)
def _versions() -> dict[str, str | None]:
    from importlib import metadata

    out: dict[str, str | None] = {"python": platform.python_version()}
    for pkg in _VERSIONED:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
            out[pkg] = None
    return out


def jsonable(x: Any) -> Any:
    """Plain JSON values: NaN/inf become None, numpy scalars and arrays become Python ones,
    a quantity becomes ``{"magnitude", "unit"}``, anything else unknown its ``str``.

    Examples
    --------
    >>> jsonable({"a": np.float64("nan"), "b": np.arange(2), 3: np.bool_(True)})
    {'a': None, 'b': [0, 1], '3': True}
    """
    if isinstance(x, Mapping):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return jsonable(x.tolist())
    if isinstance(x, pint.Quantity):
        return {"magnitude": jsonable(np.asarray(x.m).tolist()), "unit": f"{x.units:C}"}
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if x is None or isinstance(x, (bool, int, str)):
        return x
    return str(x)


def json_text(obj: Any, *, indent: int = 1) -> str:
    """``obj`` as JSON text (:func:`jsonable` first; strict: no NaN), ending in a newline."""
    return json.dumps(jsonable(obj), indent=indent, allow_nan=False) + "\n"


def write_json(obj: Any, path=None, overwrite: bool = False) -> str | None:
    """The JSON text of ``obj`` if ``path`` is None, else written atomically to ``path``
    (refusing to replace a file unless ``overwrite``)."""
    text = json_text(obj)
    if path is None:
        return text
    write_text_safely(path, text, overwrite=overwrite)
    return None
