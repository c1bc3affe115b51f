"""One place for results leaving the package: JSON-ready values (NaN and infinities as
null, numpy as Python, quantities as magnitude and unit), JSON text, refuse-to-overwrite
atomic writes (:func:`orbitcompute._table.write_text_safely`) and the versions recorded in
every result.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import os
import platform
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pint
from .errors import InputError


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
    write_text(path, text, overwrite=overwrite)
    return None


def write_text(path: str | os.PathLike, text: str, *, overwrite: bool = False,
               hint: str = "pass overwrite=True to replace it") -> Path:
    """Write ``text`` to ``path`` atomically: through a temporary sibling and a rename.

    The one writer of the package's files (tables, JSON, TOML, the CLI's outputs).  Refuses
    an existing path unless ``overwrite`` (``FileExistsError`` whose message ends with
    ``hint``); on any failure or interrupt the temporary file is removed, so neither a half
    file nor a stray temporary is left.

    Returns
    -------
    pathlib.Path
    """

    p = Path(path)
    if p.exists() and not overwrite:
        raise FileExistsError(f"{p} exists; nothing was written. {hint[:1].upper() + hint[1:]}, or choose "
                              "another path")
    if p.is_dir():
        raise FileExistsError(f"{p} is a directory; give a file path")
    if not p.parent.is_dir():
        raise InputError(f"cannot write {p}: the directory {p.parent} does not exist; create it or choose "
                         "another path")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p


def csv_lines(rows: Iterable[Sequence], header: Sequence[str] | None = None) -> str:
    """Rows (sequences of values) as CSV text, with ``header`` first if given; ``None``
    values are empty cells.  The one use of ``csv.writer`` in the package: tables
    (``to_csv``), streamed chunks (:class:`~orbitcompute._table.TableWriter`) and the CLI's
    rows all come through here."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header is not None:
        w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def csv_text(rows: Iterable[Mapping], columns: Sequence[str] | None = None) -> str:
    """Rows (dicts) as CSV text with a header line (:func:`csv_lines`); ``columns``
    defaults to the first row's keys."""
    rows = list(rows)
    cols = list(columns if columns is not None else (rows[0].keys() if rows else []))
    return csv_lines(([r.get(c) for c in cols] for r in rows), cols)
