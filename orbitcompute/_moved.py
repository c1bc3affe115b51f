"""The old names of functions that moved to another module, for one release (issue 12).

A module whose public function moved keeps a PEP 562 module ``__getattr__`` that calls
:func:`moved`: reading the old name warns with a ``DeprecationWarning`` and returns the
function at its new place.  The new module is imported by name (``importlib``), at the
first read of an old name, so a kernel or domain module holds no import of the face
(``tests/test_architecture.py`` reads the parsed ``import`` statements only).
"""

from __future__ import annotations

import importlib
import warnings

__all__ = ["moved"]


def moved(old_module: str, name: str, new_module: str, new_name: str | None = None):
    """Warn that ``old_module.name`` moved to ``new_module.new_name`` and return the latter.

    Parameters
    ----------
    old_module : str
        Dotted name of the module the caller read, e.g. ``"orbitcompute.eclipse"``.
    name : str
        The old attribute name.
    new_module : str
        Dotted name of the module the function lives in now.
    new_name : str, optional
        Its name there (default: ``name``).

    Returns
    -------
    callable
        The function at its new place.
    """
    new_name = new_name or name
    warnings.warn(f"{old_module}.{name} moved to {new_module}.{new_name}; the old name goes in the next release",
                  DeprecationWarning, stacklevel=3)
    return getattr(importlib.import_module(new_module), new_name)
