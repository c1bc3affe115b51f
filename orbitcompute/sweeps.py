"""Every parameter sweep: a Cartesian grid of points through any ``concurrent.futures``
executor, one failed point being data (:func:`sweep`, re-exported by
:mod:`orbitcompute.sensitivity` and as ``oc.sweep``), and the sweep of a scenario through
the feasibility model (:class:`ScenarioPoint`, :func:`sweep_scenario`; ``orbitcompute
sweep`` runs the same points).
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pint

from . import _scale
from ._output import versions
from ._output import write_json as _write_json
from ._study import _unit_str
from ._table import TableMixin
from .errors import InputError
from .feasibility import shared_model
from .result import FeasibilityResult
from .scenario import Scenario, set_keys, text_value

__all__ = ["ScenarioPoint", "SweepResult", "scenario_point", "sweep", "sweep_scenario"]


class _SafeCall:
    """Picklable wrapper that turns an exception inside ``func`` into data.

    Runs in the worker (thread, process or dask worker) and returns
    ``(outputs, None)`` or ``(None, "ExceptionType: message")``.
    """

    def __init__(self, func: Callable[..., Mapping[str, Any]]):
        self.func = func

    def __call__(self, point: Mapping[str, Any]):
        try:
            out = self.func(**point)
            if not isinstance(out, Mapping):
                raise TypeError(f"func returned {type(out).__name__}; expected a dict of output name -> number")
            return {str(k): v for k, v in out.items()}, None
        except Exception as exc:  # noqa: BLE001 - captured as data by design
            return None, f"{type(exc).__name__}: {exc}"


def _grid_axis(name: str, values: Any) -> tuple[list[Any], list[Any], str]:
    """(values passed to func, column values, unit) of one grid axis."""
    if isinstance(values, pint.Quantity):
        mags = np.atleast_1d(np.asarray(values.m, dtype=np.float64))
        if mags.ndim != 1:
            raise InputError(f"grid[{name!r}]: expected a 1-D sequence of values, got shape {mags.shape}")
        seq = [values._REGISTRY.Quantity(float(m), values.units) for m in mags]
        return seq, mags.tolist(), _unit_str(values.units)
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InputError(f"grid[{name!r}]: expected a sequence of values, got {values!r}; "
                         f"write e.g. grid={{{name!r}: [v1, v2]}}")
    seq = list(values.tolist() if isinstance(values, np.ndarray) else values)
    if not seq:
        raise InputError(f"grid[{name!r}]: empty; give at least one value")
    is_q = [isinstance(v, pint.Quantity) for v in seq]
    if not any(is_q):
        return seq, [v.item() if isinstance(v, np.generic) else v for v in seq], ""
    first = seq[is_q.index(True)].units
    try:
        if not all(is_q):
            raise pint.errors.DimensionalityError(first, "bare number")
        mags = [float(v.m_as(first)) for v in seq]
    except pint.errors.DimensionalityError as exc:
        raise InputError(f"grid[{name!r}]: mixes values of different dimensions, or bare numbers with "
                         f"quantities ({seq!r}); give every value in one unit") from exc
    return seq, mags, _unit_str(first)


def _output_value(name: str, v: Any, units: dict[str, str]) -> float:
    if isinstance(v, pint.Quantity):
        if name not in units or not units[name]:
            units[name] = _unit_str(v.units)
        return float(v.m_as(units[name]))
    return float(v)


@dataclass(frozen=True, eq=False)
class SweepResult(TableMixin):
    """A parameter sweep as a tidy table: one row per grid point (grid order).

    Columns: ``point`` (index), the grid names (magnitudes in :attr:`units`), the outputs
    (NaN where the point failed or did not return that output) and ``error`` (``""`` or
    ``"ExceptionType: message"``).

    Attributes
    ----------
    grid : dict of str to list
        Column values of each grid name, each of length ``n_point``.
    outputs : dict of str to ndarray, shape ``(n_point,)``
    errors : tuple of str, length ``n_point``
    units : dict of str to str
        Unit of every grid and output column that had one (``""`` otherwise).
    func : str
        ``module.qualname`` of the function swept.
    versions : dict
    elapsed_s : float
        Wall time of the sweep [s].
    """

    grid: dict
    outputs: dict
    errors: tuple[str, ...]
    units: dict
    func: str = ""
    versions: dict = field(default_factory=dict)
    elapsed_s: float = float("nan")

    def __len__(self) -> int:
        return len(self.errors)

    def __repr__(self) -> str:
        return (f"SweepResult({len(self)} points over {list(self.grid)}, outputs {list(self.outputs)}, "
                f"{self.n_failed} failed)")

    @property
    def n_failed(self) -> int:
        """Number of points whose call raised."""
        return sum(1 for e in self.errors if e)

    @property
    def COLUMNS(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("point", *self.grid, *self.outputs, "error")

    def columns(self) -> dict:
        cols: dict[str, Any] = {"point": np.arange(len(self))}
        cols.update({k: list(v) for k, v in self.grid.items()})
        cols.update({k: v.copy() for k, v in self.outputs.items()})
        cols["error"] = list(self.errors)
        return cols

    def to_json(self, path: str | os.PathLike | None = None, *, overwrite: bool = False) -> str | None:
        """The sweep as JSON (units, versions, function name and rows; NaN as ``null``).

        Text if ``path`` is None; refuses to replace a file unless ``overwrite=True``.
        """
        return _write_json({"kind": "sweep", "func": self.func, "units": self.units, "versions": self.versions,
                            "elapsed_s": self.elapsed_s, "rows": list(self.rows())}, path, overwrite)


def sweep(func: Callable[..., Mapping[str, Any]], grid: Mapping[str, Any], *, executor: Executor | None = None,
          progress: Callable[[int, int], Any] | None = None) -> SweepResult:
    """Evaluate ``func`` on the Cartesian product of ``grid``, optionally in parallel.

    Parameters
    ----------
    func : callable
        ``func(**point) -> dict[str, float or Quantity]``.  For a process pool or a
        cluster it must be picklable (a module-level function, not a lambda).
    grid : dict of str to sequence
        Values of each parameter: a list (numbers, strings, quantities) or a pint
        Quantity array; the product is taken with the last name varying fastest.
        ``func`` receives the elements as given (quantity arrays as scalar quantities).
    executor : concurrent.futures.Executor, optional
        Where to run the points (``submit`` + ``as_completed``).  None runs them serially
        in this process.  ``ThreadPoolExecutor`` suits functions that release the GIL
        (numpy); ``ProcessPoolExecutor`` other CPU-bound ones; for a ``dask.distributed``
        cluster pass ``Client(...).get_executor()``.
    progress : callable, optional
        ``progress(done, total)``, called in the calling thread after each point
        finishes (e.g. to draw a progress bar).

    Returns
    -------
    SweepResult
        One row per point in grid order.  A point whose call raises (or whose worker
        fails) gets NaN outputs and the error message; the sweep goes on.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> def launch_cost(mass, price):
    ...     return {"cost_musd": (mass * price).m_as("USD") / 1e6}
    >>> r = sweep(launch_cost, {"mass": [1000, 2000] * oc.u.kg, "price": [500, 1500] * oc.u.USD / oc.u.kg})
    >>> r.outputs["cost_musd"].tolist(), r.units["mass"]
    ([0.5, 1.5, 1.0, 3.0], 'kilogram')
    """
    if not isinstance(grid, Mapping) or not grid:
        raise InputError(f"grid: expected a non-empty dict of name -> sequence of values, got {grid!r}")
    if not callable(func):
        raise InputError(f"func: expected a callable, got {func!r}")
    t0 = time.perf_counter()
    names = [str(k) for k in grid]
    axes = [_grid_axis(k, grid[k]) for k in names]
    shape = [len(ax[0]) for ax in axes]
    total = int(np.prod(shape))
    index = list(itertools.product(*(range(s) for s in shape)))
    points = [{k: axes[j][0][i[j]] for j, k in enumerate(names)} for i in index]
    call = _SafeCall(func)
    results: list[Any] = [None] * total
    done = 0
    if executor is None:
        for p, point in enumerate(points):
            results[p] = call(point)
            done += 1
            if progress is not None:
                progress(done, total)
    else:
        run = _scale.in_worker(call)
        futures = {executor.submit(run, point): p for p, point in enumerate(points)}
        for fut in as_completed(futures):
            p = futures[fut]
            try:
                results[p] = fut.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker or an unpicklable func
                results[p] = (None, f"{type(exc).__name__}: {exc}")
            done += 1
            if progress is not None:
                progress(done, total)
    units = {k: axes[j][2] for j, k in enumerate(names)}
    out_units: dict[str, str] = {}
    out_names: dict[str, None] = {}
    for res, _ in results:
        if res:
            out_names.update(dict.fromkeys(res))
    outputs = {k: np.full(total, np.nan) for k in out_names}
    errors = []
    for p, (res, err) in enumerate(results):
        if res is not None:
            for name, v in res.items():
                try:
                    outputs[name][p] = _output_value(name, v, out_units)
                except (TypeError, ValueError, pint.errors.DimensionalityError) as exc:
                    for col in outputs.values():
                        col[p] = np.nan
                    err = (f"{type(exc).__name__}: output {name!r} = {v!r} is not a number in a consistent "
                           f"unit ({exc})")
                    break
        errors.append(err or "")
    units.update({k: out_units.get(k, "") for k in outputs})
    return SweepResult(
        grid={k: [axes[j][1][i[j]] for i in index] for j, k in enumerate(names)},
        outputs=outputs, errors=tuple(errors), units=units,
        func=f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', type(func).__name__)}",
        versions=versions(), elapsed_s=time.perf_counter() - t0,
    )


# ---------------------------------------------------------------------- scenario sweeps
class ScenarioPoint:
    """One point of a scenario sweep, picklable (process pools and Dask workers run it):
    the scenario data with the point's keys set, through the model.

    The one scenario-sweep driver: :func:`sweep_scenario` and ``orbitcompute sweep`` both
    use it.

    Parameters
    ----------
    raw : dict
        Scenario data (``Scenario.raw``).
    source : str
        The scenario's source, for error messages.
    quick : bool
        Coarse geometry (:class:`FeasibilityModel`).
    outputs : sequence of str, optional
        Outputs of :meth:`FeasibilityModel.evaluate` to return (the central values);
        ``None``: the summary of :meth:`summary` from a full :meth:`FeasibilityModel.run`.
    units : mapping, optional
        Grid name -> the unit its plain numbers are in (``""``: taken as they are).
    text : bool
        Values are command-line text (``"true"``, ``"a+b"``), read as
        :func:`orbitcompute.scenario.text_value` does.
    """

    def __init__(self, raw: dict, source: str, quick: bool = False, outputs=None, units=None, text: bool = False):
        self.raw, self.source, self.quick, self.text = raw, source, quick, text
        self.outputs = None if outputs is None else tuple(outputs)
        self.units = dict(units or {})

    def scenario(self, point: dict, *, source: str | None = None) -> Scenario:
        """The validated scenario of one point (name -> value); ``source`` names it in
        error messages (default: the scenario's own source, which the geometry cache
        compares, so keep it for runs)."""

        base = None
        items = []
        for name, v in point.items():
            unit = self.units.get(name, "")
            if unit and isinstance(v, (int, float)) and not isinstance(v, bool):
                v = f"{v!r} {unit}"
            elif self.text and isinstance(v, str):
                base = base or Scenario.from_dict(self.raw, source=self.source)
                v = text_value(name, v, base.assumptions)
            items.append((name, v))
        src = self.source if source is None else source
        return Scenario.from_dict(set_keys(self.raw, items, source=src), source=src)

    def validate(self, grid: dict) -> None:
        """Check that every value of ``grid`` alone makes a valid scenario (bad input then
        fails once, before any work, instead of once per point)."""
        for name, values in grid.items():
            for v in values:
                self.scenario({name: v}, source=f"{self.source} (sweep {name}={v!r})")

    @staticmethod
    def summary(res: FeasibilityResult) -> dict[str, float]:
        """``orbital_usd_per_accelerator_hour`` (with the links carrying everything),
        ``launch_kg_per_kw``, ``shadow_fraction_year`` and, per region, ``ratio:<region>``
        (per delivered accelerator-hour), ``orbital_p95_ms:<region>`` and ``served:<region>``."""
        out = {"orbital_usd_per_accelerator_hour": res.design["orbital_installed_usd_per_accelerator_hour"],
               "launch_kg_per_kw": res.design["launch_kg_per_kw"],
               "shadow_fraction_year": res.design["shadow_fraction_year"]}
        for r in res.regions:
            out[f"ratio:{r.region}"] = r.cost_ratio
            out[f"orbital_p95_ms:{r.region}"] = r.orbital_rtt_ms["p95"]
            out[f"served:{r.region}"] = r.capacity["served_fraction"]
        return out

    def __call__(self, **point) -> dict[str, float]:
        model = shared_model(self.scenario(point), quick=self.quick)
        if self.outputs is None:
            return self.summary(model.run())
        out = model.evaluate({})
        missing = [k for k in self.outputs if k not in out]
        if missing:
            raise InputError(f"output {missing[0]!r} is not an output of the model; outputs are e.g. "
                             f"{', '.join(sorted(out)[:8])}, ...")
        return {k: float(out[k][0]) for k in self.outputs}


def scenario_point(raw: dict, source: str, quick: bool, **point) -> dict:
    """Run one sweep point with the default outputs (:meth:`ScenarioPoint.summary`)."""
    return ScenarioPoint(raw, source, quick)(**point)


def sweep_scenario(scenario: Scenario, grid: dict, *, executor=None, progress=None, quick: bool = False):
    """Sweep a scenario over a grid of assumptions and scenario keys (geometry per point).

    Parameters
    ----------
    scenario : Scenario
    grid : dict
        Name -> sequence of values; names are assumption names (``"launch_price":
        ["200 USD/kg", "1500 USD/kg"]``) or dotted scenario keys
        (``"orbit.cluster.altitude": ["550 km", "650 km"]``).
    executor : concurrent.futures.Executor, optional
        E.g. ``ProcessPoolExecutor(2)`` or ``distributed.Client(...).get_executor()``.
    progress : callable, optional
        ``progress(done, total)``.
    quick : bool
        Coarse geometry (for trying a grid out).

    Returns
    -------
    SweepResult
        One row per point (see :func:`orbitcompute.sensitivity.sweep`).

    Examples
    --------
    >>> import orbitcompute as oc
    >>> from orbitcompute.sweeps import sweep_scenario
    >>> res = sweep_scenario(oc.Scenario.default(), {"launch_price": ["200 USD/kg", "3000 USD/kg"]},
    ...                      quick=True)  # economics only: one geometry (shared_model) for both points
    >>> [round(float(x), 2) for x in res.columns()["ratio:Europe"]]
    [2.24, 6.89]
    """

    func = ScenarioPoint(scenario.raw, scenario.source, quick)
    func.validate(grid)
    return sweep(func, grid, executor=executor, progress=progress)
