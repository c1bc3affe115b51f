"""Uncertainty and scale: tornado diagrams, Monte Carlo and parameter sweeps.

Four tools, all working on any model that follows the small :class:`Model` contract
(a mapping of :class:`~orbitcompute.provenance.Assumption` and one vectorized
``evaluate``), so the expensive geometry stays inside the model, computed once, and only
the arithmetic on top of it is repeated:

* :func:`tornado`: each uncertain assumption moved alone to its ``low`` and ``high``, all
  others at their defaults; ``2k + 1`` points in **one** call of ``model.evaluate``.
* :func:`monte_carlo`: seeded draws from each assumption's declared distribution
  (triangular, uniform, lognormal or fixed), all ``n`` draws in one call; summaries,
  probabilities and Spearman rank correlations.
* :func:`sweep`: a Cartesian grid of any function through any
  :class:`concurrent.futures.Executor` (threads, processes, or a ``dask.distributed``
  cluster via ``Client.get_executor()``); a failing point becomes a row with NaN outputs
  and its error message.
* :func:`sobol`: first- and total-order Sobol' indices with SALib (optional extra
  ``orbitcompute[sobol]``), the unit design mapped through the same inverse CDFs as
  :func:`monte_carlo`, with bootstrap intervals and a convergence check at ``n/2``.

:func:`default_studies` runs the feasibility report's studies (a tornado of the cost ratio
closest to parity, the scenario's Monte Carlo, the timeline and the crossover), so that the
report only lays them out.

Results are tables (:class:`~orbitcompute._table.TableMixin`: ``rows()``,
``to_pandas()``, ``to_csv()``) with ``to_json()``; they record the seed, the versions of
the libraries and the model's ``describe()`` so a run can be repeated.  Method and
formulas: ``docs/sensitivity.md``.

Examples
--------
>>> from orbitcompute.provenance import Assumption
>>> from orbitcompute.sensitivity import FunctionModel, tornado, monte_carlo
>>> model = FunctionModel(
...     [Assumption("a", 2.0, "", low=1.0, high=4.0), Assumption("b", 3.0, "", low=2.0, high=3.5),
...      Assumption("c", 10.0, "", low=9.0, high=11.0)],
...     lambda a, b, c: {"y": a * b + c})
>>> t = tornado(model, "y")
>>> t.base_value, list(t.assumption), t.swing.tolist()
(16.0, ['a', 'b', 'c'], [9.0, 3.0, 2.0])
>>> mc = monte_carlo(model, 2000, seed=1)
>>> 15.0 < float(mc.summary().mean[0]) < 18.0
True
"""

from __future__ import annotations

import json
import math
import os
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pint

from . import timeline as tl
from ._moved import moved
from ._output import versions
from ._output import write_json as _write_json
from ._study import (  # noqa: F401  (the study helpers, shared with _sobol and sweeps)
    Z95,
    _assumption_record,
    _call,
    _choose,
    _describe,
    _inverse_cdf,
    _is_uncertain,
    _magnitude,
    _output_units,
    _unit,
    _unit_str,
)
from ._table import TableMixin
from .errors import InputError
from .provenance import Assumption

__all__ = [
    "CorrelationTable",
    "FunctionModel",
    "Model",
    "MonteCarloResult",
    "MonteCarloSummary",
    "SobolResult",
    "SweepResult",
    "TornadoResult",
    "default_studies",
    "monte_carlo",
    "sample_assumptions",
    "sobol",
    "sweep",
    "tornado",
    "versions",
]



# ------------------------------------------------------------------- contract
@runtime_checkable
class Model(Protocol):
    """What :func:`tornado` and :func:`monte_carlo` need from a model.

    A model may also define ``describe() -> dict`` (scenario metadata, recorded in results;
    an ``"output_units"`` entry mapping output names to unit strings labels the plots).
    """

    def assumptions(self) -> Mapping[str, Assumption]:
        """The model's inputs, keyed by name; those with ``low``/``high`` are uncertain."""
        ...

    def evaluate(self, values: Mapping[str, np.ndarray]) -> Mapping[str, np.ndarray]:
        """Outputs for ``n`` points at once.

        ``values`` maps some assumption names to float64 arrays of shape ``(n,)``, in the
        assumption's own ``unit``; the others take their default ``value``.  Returns
        output name -> float64 array of shape ``(n,)`` (the feasibility model returns an
        :class:`~orbitcompute.evaluation.Evaluation`, whose names and units follow the
        schema :data:`orbitcompute.evaluation.OUTPUTS`).
        """
        ...


class FunctionModel:
    """A :class:`Model` made of assumptions and one vectorized function.

    Parameters
    ----------
    assumptions : iterable of Assumption, or mapping of str to Assumption
        The inputs.  Their names are the keyword arguments of ``func``.
    func : callable
        ``func(**{name: ndarray of shape (n,)}) -> dict[str, ndarray of shape (n,)]``,
        arrays in each assumption's own ``unit``; an output may be a Quantity (its unit
        is then recorded in results) or a scalar (broadcast).
    description : dict, optional
        Returned by :meth:`describe` (and so recorded in results).

    Examples
    --------
    >>> import numpy as np
    >>> from orbitcompute.provenance import Assumption
    >>> m = FunctionModel([Assumption("x", 2.0, "m", low=1.0, high=3.0)], lambda x: {"area": x**2})
    >>> m.evaluate({"x": np.array([1.0, 3.0])})["area"].tolist()
    [1.0, 9.0]
    >>> m.evaluate({})["area"].tolist()
    [4.0]
    """

    def __init__(self, assumptions: Iterable[Assumption] | Mapping[str, Assumption],
                 func: Callable[..., Mapping[str, Any]], *, description: Mapping[str, Any] | None = None):
        items = assumptions.values() if isinstance(assumptions, Mapping) else assumptions
        self._assumptions = {a.name: a for a in items}
        self._func = func
        self._description = dict(description or {})

    def assumptions(self) -> dict[str, Assumption]:
        return dict(self._assumptions)

    def describe(self) -> dict:
        return dict(self._description)

    def evaluate(self, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        unknown = sorted(set(values) - set(self._assumptions))
        if unknown:
            raise InputError(f"values: unknown assumption names {unknown}; known: {sorted(self._assumptions)}")
        n = max((np.size(v) for v in values.values()), default=1)
        full = {}
        for name, a in self._assumptions.items():
            if name in values:
                full[name] = np.broadcast_to(np.asarray(values[name], dtype=np.float64), (n,))
            else:
                full[name] = np.full(n, _magnitude(a, "value"))
        out: dict[str, Any] = {}
        for k, v in self._func(**full).items():
            m = np.asarray(v.m if isinstance(v, pint.Quantity) else v, dtype=np.float64)
            m = np.full(n, float(m)) if m.ndim == 0 else m
            out[k] = v._REGISTRY.Quantity(m, v.units) if isinstance(v, pint.Quantity) else m
        return out


@dataclass(frozen=True, eq=False)
class TornadoResult(TableMixin):
    """One-at-a-time sensitivity of one output: one row per assumption, largest swing first.

    Attributes
    ----------
    output : str
        The output studied.
    output_unit : str
        Its unit (from ``model.describe()["output_units"]`` or the ``output_unit`` argument;
        ``""`` if unknown).
    base_value : float
        The output with every assumption at its default [output_unit].
    assumption, unit, source : tuple of str, each of length ``k``
    low, high : ndarray, shape ``(k,)`` [each assumption's own unit]
    output_at_low, output_at_high : ndarray, shape ``(k,)`` [output_unit]
    description : dict
        ``model.describe()``.
    versions : dict
        See :func:`versions`.
    """

    output: str
    output_unit: str
    base_value: float
    assumption: tuple[str, ...]
    unit: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    output_at_low: np.ndarray
    output_at_high: np.ndarray
    source: tuple[str, ...]
    description: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)

    COLUMNS = ("assumption", "unit", "low", "high", "output_at_low", "output_at_high", "swing", "source")

    def __len__(self) -> int:
        return len(self.assumption)

    def __repr__(self) -> str:
        top = f", largest swing {self.assumption[0]} ({self.swing[0]:.4g} {self.output_unit})".rstrip() if len(self) else ""
        return f"TornadoResult({self.output}: base {self.base_value:.6g} {self.output_unit}, {len(self)} assumptions{top})"

    @property
    def swing(self) -> np.ndarray:
        """``|output_at_high - output_at_low|``, shape ``(k,)`` [output_unit]."""
        with np.errstate(invalid="ignore"):
            return np.abs(self.output_at_high - self.output_at_low)

    def columns(self) -> dict:
        return {
            "assumption": list(self.assumption), "unit": list(self.unit),
            "low": self.low.copy(), "high": self.high.copy(),
            "output_at_low": self.output_at_low.copy(), "output_at_high": self.output_at_high.copy(),
            "swing": self.swing, "source": list(self.source),
        }

    def to_json(self, path: str | os.PathLike | None = None, *, overwrite: bool = False) -> str | None:
        """The result as JSON (metadata and rows; NaN as ``null``); text if ``path`` is None.

        Refuses to replace an existing file unless ``overwrite=True``; written atomically.
        """
        return _write_json({
            "kind": "tornado", "output": self.output, "output_unit": self.output_unit,
            "base_value": self.base_value, "rows": list(self.rows()),
            "model": self.description, "versions": self.versions,
        }, path, overwrite)


def tornado(model: Model, output: str, *, names: Sequence[str] | None = None,
            output_unit: str | None = None) -> TornadoResult:
    """One-at-a-time sensitivity of ``output`` to each uncertain assumption.

    Each assumption in ``names`` is set to its ``low`` and then its ``high`` with all
    others at their defaults; the ``2k + 1`` points (base, ``k`` lows, ``k`` highs) go to
    ``model.evaluate`` in a single vectorized call.

    Parameters
    ----------
    model : Model
    output : str
        Name of the output to study (a key of ``model.evaluate``'s result).
    names : sequence of str, optional
        Assumptions to move (default: every assumption with ``low``/``high`` and a
        distribution other than ``"fixed"``).
    output_unit : str, optional
        Unit of the output for tables and plots (default:
        ``model.describe()["output_units"][output]`` if given, else ``""``).

    Returns
    -------
    TornadoResult
        Rows sorted by swing ``|output_at_high - output_at_low|``, largest first (ties
        and NaN keep the model's order, NaN last).

    Raises
    ------
    InputError
        Unknown ``output`` or name, a name without a range, or a model output of the wrong
        shape.

    Examples
    --------
    >>> from orbitcompute.provenance import Assumption
    >>> m = FunctionModel([Assumption("p", 10.0, "USD/kWh", low=5.0, high=20.0)],
    ...                   lambda p: {"cost": 2.0 * p}, description={"output_units": {"cost": "USD"}})
    >>> t = tornado(m, "cost")
    >>> t.output_at_low.tolist(), t.output_at_high.tolist(), t.output_unit
    ([10.0], [40.0], 'USD')
    """
    if isinstance(names, str):
        names = [names]
    assumptions = model.assumptions()
    chosen = _choose(assumptions, names, "tornado")
    k = len(chosen)
    n = 2 * k + 1
    values: dict[str, np.ndarray] = {}
    low = np.empty(k)
    high = np.empty(k)
    for j, name in enumerate(chosen):
        a = assumptions[name]
        col = np.full(n, _magnitude(a, "value"))
        low[j], high[j] = _magnitude(a, "low"), _magnitude(a, "high")
        col[1 + j] = low[j]
        col[1 + k + j] = high[j]
        values[name] = col
    out, returned_units = _call(model, values, n)
    if output not in out:
        raise InputError(f"output: {output!r} is not an output of the model; outputs are {sorted(out)}")
    y = out[output]
    y_low, y_high = y[1:1 + k], y[1 + k:]
    with np.errstate(invalid="ignore"):  # inf - inf (an option that delivers nothing) is NaN: sorted last
        swing = np.abs(y_high - y_low)
    order = np.argsort(np.where(np.isnan(swing), np.inf, -swing), kind="stable")  # NaN last
    description = _describe(model)
    if output_unit is None:
        output_unit = _output_units(description, returned_units).get(output, "")
    return TornadoResult(
        output=output, output_unit=output_unit, base_value=float(y[0]),
        assumption=tuple(chosen[i] for i in order), unit=tuple(assumptions[chosen[i]].unit for i in order),
        low=low[order], high=high[order], output_at_low=y_low[order], output_at_high=y_high[order],
        source=tuple(assumptions[chosen[i]].source for i in order),
        description=description, versions=versions(),
    )


# --------------------------------------------------------------- Monte Carlo
def sample_assumptions(assumptions: Mapping[str, Assumption], n: int, *, seed: int | np.random.SeedSequence | None = 0,
                       names: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """Seeded draws from each uncertain assumption's distribution.

    One ``(n_uncertain, n)`` block of uniforms is drawn with
    ``numpy.random.default_rng(seed).random`` for *every* uncertain assumption (in the
    mapping's order) and mapped through each inverse CDF, so an assumption's draws do not
    change when ``names`` selects a subset.

    Parameters
    ----------
    assumptions : mapping of str to Assumption
    n : int
        Number of draws.
    seed : int or numpy.random.SeedSequence or None
        Seed of ``numpy.random.default_rng`` (None: fresh entropy, not reproducible).
    names : sequence of str, optional
        The assumptions to draw (default: all uncertain ones).

    Returns
    -------
    dict of str to ndarray, shape ``(n,)``
        Draws in each assumption's own ``unit``.

    Examples
    --------
    >>> from orbitcompute.provenance import Assumption
    >>> a = {"x": Assumption("x", 1.0, "", low=0.0, high=2.0, distribution="uniform")}
    >>> d = sample_assumptions(a, 100_000, seed=3)["x"]
    >>> round(float(d.mean()), 2), bool(d.min() >= 0.0), bool(d.max() <= 2.0)
    (1.0, True, True)
    """
    n = int(n)
    if n < 1:
        raise InputError(f"n: need at least 1 draw, got {n}")
    chosen = _choose(assumptions, names, "monte_carlo")
    uncertain = [k for k, a in assumptions.items() if _is_uncertain(a)]
    q = np.random.default_rng(seed).random((len(uncertain), n))
    # random() lies in [0, 1); the lognormal's normal quantile needs q > 0.
    q[q == 0.0] = np.finfo(np.float64).tiny
    row = {k: i for i, k in enumerate(uncertain)}
    return {k: _inverse_cdf(assumptions[k], q[row[k]]) for k in chosen}


@dataclass(frozen=True, eq=False)
class MonteCarloSummary(TableMixin):
    """Per-output statistics of a Monte Carlo run: one row per output.

    All statistics ignore NaN draws (``n_nan`` counts them).  ``mean``, ``std``,
    ``p5``, ``p50``, ``p95`` are ndarrays of shape ``(n_output,)`` in each output's unit.
    """

    output: tuple[str, ...]
    unit: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    p5: np.ndarray
    p50: np.ndarray
    p95: np.ndarray
    n_nan: np.ndarray

    COLUMNS = ("output", "unit", "mean", "std", "p5", "p50", "p95", "n_nan")

    def __len__(self) -> int:
        return len(self.output)

    def columns(self) -> dict:
        return {c: (list(getattr(self, c)) if c in ("output", "unit") else getattr(self, c).copy())
                for c in self.COLUMNS}


@dataclass(frozen=True, eq=False)
class CorrelationTable(TableMixin):
    """Spearman rank correlation of each varied input with each output (long form).

    ``input``, ``output`` are tuples and ``spearman`` an ndarray, each of length
    ``n_input * n_output`` (outputs vary fastest); ``n_used`` counts the draws with a
    finite output.
    """

    input: tuple[str, ...]
    output: tuple[str, ...]
    spearman: np.ndarray
    n_used: np.ndarray

    COLUMNS = ("input", "output", "spearman", "n_used")

    def __len__(self) -> int:
        return len(self.input)

    def columns(self) -> dict:
        return {"input": list(self.input), "output": list(self.output),
                "spearman": self.spearman.copy(), "n_used": self.n_used.copy()}

    def matrix(self) -> tuple[list[str], list[str], np.ndarray]:
        """``(inputs, outputs, rho)`` with ``rho`` of shape ``(n_input, n_output)``."""
        ins = list(dict.fromkeys(self.input))
        outs = list(dict.fromkeys(self.output))
        return ins, outs, self.spearman.reshape(len(ins), len(outs))


def _ranks(x: np.ndarray) -> np.ndarray:
    """Average ranks down axis 0 (ties share their mean rank, as Spearman's rho needs)."""
    from scipy.stats import rankdata

    return rankdata(x, axis=0, method="average")


def _spearman(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spearman's rho of every column of ``x`` (n, p) with every column of ``y`` (n, m).

    Pearson correlation of average ranks; for an output with NaN draws, those draws are
    dropped for that output only.  Returns ``(rho (p, m), n_used (m,))``.
    """
    def standardize(r):
        r = r - r.mean(axis=0)
        norm = np.sqrt((r * r).sum(axis=0))
        with np.errstate(invalid="ignore", divide="ignore"):
            return r / norm

    finite = np.isfinite(y)
    n_used = finite.sum(axis=0)
    rho = np.full((x.shape[1], y.shape[1]), np.nan)
    complete = finite.all(axis=0)
    if complete.any():
        rho[:, complete] = standardize(_ranks(x)).T @ standardize(_ranks(y[:, complete]))
    for j in np.flatnonzero(~complete & (n_used > 2)):  # only outputs with NaN draws
        keep = finite[:, j]
        rho[:, j] = standardize(_ranks(x[keep])).T @ standardize(_ranks(y[keep, j]))
    return np.clip(rho, -1.0, 1.0), n_used


@dataclass(frozen=True, eq=False)
class MonteCarloResult(TableMixin):
    """Draws of the inputs and the model's outputs; as a table, one row per draw.

    Attributes
    ----------
    seed : int or None
        Seed of ``numpy.random.default_rng``.
    n : int
        Number of draws.
    inputs : dict of str to ndarray, shape ``(n,)``
        The varied assumptions' draws, in their own units.
    outputs : dict of str to ndarray, shape ``(n,)``
        The model's outputs for each draw (NaN where the model failed).
    input_units, output_units : dict of str to str
    assumptions : dict of str to dict
        Value, range, distribution, unit and source of every assumption of the model
        (``"fixed"`` for those not varied).
    description : dict
        ``model.describe()``.
    versions : dict
        See :func:`versions`.
    elapsed_s : float
        Wall time of sampling plus evaluation [s].
    """

    seed: Any
    n: int
    inputs: dict
    outputs: dict
    input_units: dict
    output_units: dict
    assumptions: dict
    description: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    elapsed_s: float = float("nan")

    def __len__(self) -> int:
        return self.n

    def __repr__(self) -> str:
        return (f"MonteCarloResult({self.n} draws, seed {self.seed}, {len(self.inputs)} inputs varied, "
                f"{len(self.outputs)} outputs)")

    @property
    def COLUMNS(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("draw", *self.inputs, *(k for k in self.outputs if k not in self.inputs))

    def columns(self) -> dict:
        cols: dict[str, Any] = {"draw": np.arange(self.n)}
        cols.update({k: v.copy() for k, v in self.inputs.items()})
        cols.update({k: v.copy() for k, v in self.outputs.items() if k not in cols})
        return cols

    def summary(self) -> MonteCarloSummary:
        """Mean, standard deviation, 5th/50th/95th percentiles of every output (NaN ignored)."""
        names = tuple(self.outputs)
        y = np.stack([self.outputs[k] for k in names]) if names else np.zeros((0, self.n))
        n_nan = np.isnan(y).sum(axis=1)
        with warnings.catch_warnings():  # an all-NaN output gives NaN statistics, which say it
            warnings.simplefilter("ignore", RuntimeWarning)
            p5, p50, p95 = np.nanpercentile(y, [5.0, 50.0, 95.0], axis=1)
            mean, std = np.nanmean(y, axis=1), np.nanstd(y, axis=1, ddof=1)
        return MonteCarloSummary(names, tuple(self.output_units.get(k, "") for k in names),
                                 mean, std, p5, p50, p95, n_nan)

    def correlations(self) -> CorrelationTable:
        """Spearman rank correlation of each varied input with each output."""
        ins, outs = list(self.inputs), list(self.outputs)
        x = np.column_stack([self.inputs[k] for k in ins])
        y = np.column_stack([self.outputs[k] for k in outs])
        rho, n_used = _spearman(x, y)
        return CorrelationTable(tuple(np.repeat(ins, len(outs)).tolist()), tuple(outs * len(ins)),
                                rho.ravel(), np.tile(n_used, len(ins)))

    def probability(self, predicate: Callable[[dict[str, np.ndarray]], Any]) -> float:
        """Fraction of draws for which ``predicate(outputs)`` is True.

        ``predicate`` gets the dict of output arrays (and the varied inputs under their
        names, where no output has the same name) and returns a boolean array of shape
        ``(n,)``, e.g. ``lambda out: out["cost_orbital"] < out["cost_terrestrial"]``.
        Draws where a compared value is NaN count as False (numpy's comparison rule); use
        :meth:`probability_less` to leave them out instead.
        """
        data = {**self.inputs, **self.outputs}
        ok = np.asarray(predicate(data), dtype=bool)
        if ok.shape != (self.n,):
            raise InputError(f"predicate: returned shape {ok.shape}, expected ({self.n},): one bool per draw")
        return float(ok.mean())

    def probability_less(self, a: str, b: str | float) -> float:
        """``P(a < b)`` over the draws where both are finite.

        ``a`` is an output (or varied input) name; ``b`` another name or a number in the
        same unit.  NaN if no draw is finite.
        """
        data = {**self.inputs, **self.outputs}
        for name in (a, b):
            if isinstance(name, str) and name not in data:
                raise InputError(f"{name!r} is not an output or varied input; known: {sorted(data)}")
        x = data[a]
        y = data[b] if isinstance(b, str) else np.full(self.n, float(b))
        keep = np.isfinite(x) & np.isfinite(y)
        return float(np.mean(x[keep] < y[keep])) if keep.any() else float("nan")

    def to_json(self, path: str | os.PathLike | None = None, *, overwrite: bool = False,
                draws: bool = True) -> str | None:
        """The run as JSON: seed, n, versions, model description, assumptions, summary,
        correlations and (if ``draws``) every draw; NaN as ``null``.  Text if ``path`` is None.

        Refuses to replace an existing file unless ``overwrite=True``; written atomically.
        """
        obj = {
            "kind": "monte_carlo", "seed": self.seed if not isinstance(self.seed, np.random.SeedSequence)
            else repr(self.seed), "n": self.n, "versions": self.versions, "model": self.description,
            "elapsed_s": self.elapsed_s, "assumptions": self.assumptions,
            "input_units": self.input_units, "output_units": self.output_units,
            "summary": list(self.summary().rows()), "correlations": list(self.correlations().rows()),
        }
        if draws:
            obj["draws"] = {"inputs": self.inputs, "outputs": self.outputs}
        return _write_json(obj, path, overwrite)


def monte_carlo(model: Model, n: int = 10_000, *, seed: int | None = 0,
                names: Sequence[str] | None = None) -> MonteCarloResult:
    """Monte Carlo over the assumptions' declared distributions, in one vectorized call.

    Parameters
    ----------
    model : Model
    n : int
        Number of draws.
    seed : int or None
        Seed of ``numpy.random.default_rng``; the same seed, model and ``n`` give
        identical draws (see :func:`sample_assumptions`).  None draws fresh entropy
        (recorded as None: not reproducible).
    names : sequence of str, optional
        Assumptions to vary (default: all uncertain ones); the others stay at their
        defaults.

    Returns
    -------
    MonteCarloResult
        Draws and outputs, with :meth:`~MonteCarloResult.summary`,
        :meth:`~MonteCarloResult.correlations`, :meth:`~MonteCarloResult.probability`.

    Examples
    --------
    >>> from orbitcompute.provenance import Assumption
    >>> m = FunctionModel([Assumption("price", 100.0, "USD/kg", low=50.0, high=400.0, distribution="lognormal")],
    ...                   lambda price: {"launch_cost": 1000.0 * price})
    >>> r = monte_carlo(m, 20_000, seed=7)
    >>> s = r.summary()
    >>> round(float(s.p50[0]) / 1e5, 1), round(float(s.p5[0]) / 5e4, 1), round(float(s.p95[0]) / 4e5, 1)
    (1.0, 1.0, 1.0)
    >>> round(r.probability_less("launch_cost", 1e5), 2)
    0.5
    """
    t0 = time.perf_counter()
    assumptions = model.assumptions()
    draws = sample_assumptions(assumptions, n, seed=seed, names=names)
    n = int(n)
    outputs, returned_units = _call(model, draws, n)
    elapsed = time.perf_counter() - t0
    description = _describe(model)
    return MonteCarloResult(
        seed=seed, n=n, inputs=draws, outputs=outputs,
        input_units={k: assumptions[k].unit for k in draws},
        output_units=_output_units(description, returned_units),
        assumptions={k: _assumption_record(a) | {"varied": k in draws} for k, a in assumptions.items()},
        description=description, versions=versions(), elapsed_s=elapsed,
    )


# -------------------------------------------------------------- the report's studies
_tornado, _monte_carlo = tornado, monte_carlo  # default_studies' parameters of the same names shadow them


def default_studies(model, result=None, *, tornado=None, monte_carlo=None, timeline=None, crossover=None,
                    progress: Callable[[str], None] | None = None) -> dict:
    """The report's default studies of a feasibility model, each run unless given (the
    report only lays them out: :func:`orbitcompute.report.write_report`).

    Parameters
    ----------
    model : FeasibilityModel
        Of :mod:`orbitcompute.feasibility` (its ``ratio:<region>`` outputs and scenario).
    result : FeasibilityResult, optional
        ``model.run()`` (run here if omitted).
    tornado : TornadoResult or sequence of TornadoResult, optional
        Default: a tornado of the cost ratio of the region closest to parity (none when no
        region has a finite ratio: orbit delivers nothing).
    monte_carlo : MonteCarloResult, optional
        Default: ``analysis.draws`` draws with ``analysis.seed`` of the scenario.
    timeline, crossover : TimelineResult, CrossoverResult, optional
        Default: :func:`orbitcompute.timeline.timeline` and :func:`orbitcompute.crossover`
        with the shipped learning curves.
    progress : callable, optional
        ``progress(step: str)`` as each study starts.

    Returns
    -------
    dict
        ``tornado`` (list), ``monte_carlo``, ``timeline``, ``crossover`` and ``notes``
        (study name -> why it was not run): the keyword arguments of ``write_report``.
    """

    progress = progress or (lambda step: None)
    result = result if result is not None else model.run()
    tornados = [] if tornado is None else list(tornado) if isinstance(tornado, (list, tuple)) else [tornado]
    notes = {}
    if not tornados:
        progress("tornado")
        ratios = {x.region: x.cost_ratio for x in result.regions}
        finite = {k: v for k, v in ratios.items() if np.isfinite(v)}
        if finite:
            tornados = [_tornado(model, f"ratio:{min(finite, key=lambda k: finite[k])}")]
        else:
            notes["tornado"] = ("orbit delivers no compute to any region in the analysed window (the links carry "
                                "nothing), so no cost ratio is finite to vary")
    if monte_carlo is None:
        a = result.scenario.analysis
        progress(f"Monte Carlo ({a['draws']:,} draws)")
        monte_carlo = _monte_carlo(model, int(a["draws"]), seed=int(a["seed"]))
    if timeline is None:
        progress("deployment timeline")
        timeline = tl.timeline(model, result=result)
    if crossover is None:
        progress("crossover year")
        crossover = tl.crossover(model, tl.default_curves(), result=result)
    return {"tornado": tornados, "monte_carlo": monte_carlo, "timeline": timeline, "crossover": crossover,
            "notes": notes}


# plot_tornado and plot_distribution moved to orbitcompute.plotting (issue 12); the old
# names, for one release.
# orbitcompute.plotting is imported by name inside _moved.moved (importlib), not by an import
# statement, so this module does not import the face (tests/test_architecture.py).
_MOVED = {"plot_tornado": "orbitcompute.plotting", "plot_distribution": "orbitcompute.plotting"}


def __getattr__(name: str):
    if name in _MOVED:
        return moved(__name__, name, _MOVED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


from .sweeps import SweepResult, sweep  # noqa: E402  (re-exported)
from ._sobol import SobolResult, sobol  # noqa: E402  (re-exported; imports this module lazily)
