"""Global (variance-based) sensitivity of :mod:`orbitcompute.sensitivity` (re-exported
there): first- and total-order Sobol' indices with SALib.

SALib draws the Saltelli design on the unit hypercube (``SALib.sample.sobol.sample``,
a scrambled Sobol' sequence) and estimates the indices with bootstrap confidence
intervals (``SALib.analyze.sobol.analyze``, the estimators of Saltelli et al. 2010).
Each unit column is mapped through orbitcompute's own inverse CDF of its assumption
(the one :func:`~orbitcompute.sensitivity.monte_carlo` uses), so Sobol' indices and Monte
Carlo describe the same distributions.  The model is evaluated once, vectorized, over all
``n (D + 2)`` rows (in chunks).  Method and validation: ``docs/sensitivity.md``.

SALib is an optional dependency (``pip install "orbitcompute[sobol]"``), imported only
when :func:`sobol` runs.  This module does not import :mod:`orbitcompute.sensitivity` at
import time (that module re-exports this one); its helpers are imported inside functions.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _output, _study as sens
from ._output import write_json as _write_json
from ._table import TableMixin
from .errors import InputError

__all__ = ["SobolResult", "sobol"]

#: Rows of the Saltelli design passed to ``model.evaluate`` at once (bounds memory).
CHUNK_ROWS = 200_000

#: Bootstrap resamples of the half design: only its point estimates are reported (the
#: convergence figures); SALib needs at least 2 resamples to run.
_HALF_RESAMPLES = 2


def _salib():
    """``(SALib version, sample.sobol, analyze.sobol)``, or an InputError saying how to install it."""
    try:
        import SALib
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample
    except ImportError as exc:
        raise InputError(
            f"sobol: needs the optional package SALib, which cannot be imported ({exc}); install it with "
            'pip install "orbitcompute[sobol]" (or pip install "SALib>=1.4")') from None
    from importlib import metadata

    try:
        version = metadata.version("SALib")
    except metadata.PackageNotFoundError:  # pragma: no cover - SALib from a source tree
        version = str(getattr(SALib, "__version__", "unknown"))
    return version, sample, analyze


def _check_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise InputError(f"n: must be an integer power of 2 (e.g. 1024 or 4096), got {n!r}")
    n = int(n)
    if n < 4 or n & (n - 1):
        lo = 2 ** max(2, int(np.floor(np.log2(max(n, 1)))))
        hi = max(4, 2 * lo if lo < n else lo)
        near = f"{lo} or {hi}" if lo != hi and n >= 4 else f"{hi}"
        raise InputError(f"n: {n} is not a power of 2 of at least 4; Saltelli's Sobol' design keeps its balance "
                         f"properties only at powers of 2 (SALib): use n = {near}")
    return n


def _match_outputs(outputs: str | Sequence[str], available: Sequence[str]) -> list[str]:
    """Output keys from names and glob patterns (``"ratio:*"``), in the model's order."""
    if isinstance(outputs, str):
        outputs = [outputs]
    outputs = list(outputs)
    if not outputs:
        raise InputError("outputs: empty; give an output key (e.g. 'ratio:Europe') or a pattern such as 'ratio:*'")
    chosen: list[str] = []
    for pat in outputs:
        if not isinstance(pat, str):
            raise InputError(f"outputs: {pat!r} is not a string; give output keys or glob patterns")
        if any(c in pat for c in "*?["):
            hits = [k for k in available if fnmatch.fnmatchcase(k, pat)]
        else:
            hits = [pat] if pat in available else []
        if not hits:
            close = [k for k in available if pat.strip("*?[]").split(":")[-1] in k][:6] or list(available)[:8]
            raise InputError(f"outputs: {pat!r} matches no output of the model; outputs are e.g. "
                             f"{', '.join(close)} (a pattern such as 'ratio:*' selects several)")
        chosen += [k for k in hits if k not in chosen]
    return chosen


# ------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class SobolResult(TableMixin):
    """First- and total-order Sobol' indices of each output; as a table, one row per
    output and varied assumption.

    Attributes
    ----------
    outputs : tuple of str, length ``m``
        The outputs studied.
    assumption, unit, distribution : tuple of str, length ``D``
        The varied assumptions (in the model's order), their units and distributions.
    S1, S1_conf, ST, ST_conf : ndarray, shape ``(m, D)`` [-]
        First- and total-order indices at ``n`` and the half-widths of their bootstrap
        confidence intervals at ``conf_level`` (SALib: ``z * std`` of the resamples).
    S1_half, ST_half : ndarray, shape ``(m, D)``, or None
        The same indices from the first ``n/2`` base points (the convergence check;
        None if ``convergence=False``).
    S2, S2_conf : ndarray, shape ``(m, D, D)``, or None
        Second-order indices (upper triangle) if ``calc_second_order``.
    n : int
        Base sample size (a power of 2); the model ran ``n_evaluations`` points.
    n_evaluations : int
        ``n (D + 2)``, or ``n (2D + 2)`` with second order.
    n_nonfinite : ndarray of int, shape ``(m,)``
        Evaluations with a NaN/inf output; such an output's indices are NaN (the design
        cannot drop rows), as are those of a constant output (zero variance).
    seed, bootstrap_seed : int or None
        Seed of the scrambled Sobol' sequence and of SALib's bootstrap.
    num_resamples : int
    conf_level : float
    calc_second_order : bool
    output_units : dict of str to str
    assumptions : dict of str to dict
        Value, range, distribution, unit and source of every assumption, with ``varied``.
    description : dict
        ``model.describe()``.
    versions : dict
        :func:`~orbitcompute.sensitivity.versions` plus ``"SALib"``.
    elapsed_s, model_s : float
        Wall time of the whole analysis and of the model evaluations [s].
    """

    outputs: tuple
    assumption: tuple
    unit: tuple
    distribution: tuple
    S1: np.ndarray
    S1_conf: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray
    S1_half: np.ndarray | None
    ST_half: np.ndarray | None
    S2: np.ndarray | None
    S2_conf: np.ndarray | None
    n: int
    n_evaluations: int
    n_nonfinite: np.ndarray
    seed: Any
    bootstrap_seed: Any
    num_resamples: int
    conf_level: float
    calc_second_order: bool
    output_units: dict = field(default_factory=dict)
    assumptions: dict = field(default_factory=dict)
    description: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    elapsed_s: float = float("nan")
    model_s: float = float("nan")

    COLUMNS = ("output", "assumption", "unit", "distribution", "S1", "S1_conf", "ST", "ST_conf",
               "S1_half", "ST_half", "ST_change")

    def __len__(self) -> int:
        return len(self.outputs) * len(self.assumption)

    def __repr__(self) -> str:
        tops = ", ".join(f"{o}: {self.top(o, 1)[0]['assumption']}" for o in self.outputs[:3]
                         if self.top(o, 1))
        more = ", ..." if len(self.outputs) > 3 else ""
        return (f"SobolResult(n {self.n}, {len(self.assumption)} assumptions varied, {len(self.outputs)} outputs; "
                f"largest ST: {tops}{more})")

    def _row(self, output: str) -> int:
        if output not in self.outputs:
            raise InputError(f"output: {output!r} is not in this result; outputs are {list(self.outputs)}")
        return self.outputs.index(output)

    @property
    def ST_change(self) -> np.ndarray | None:
        """``|ST(n) - ST(n/2)|``, shape ``(m, D)`` (None without the convergence check)."""
        return None if self.ST_half is None else np.abs(self.ST - self.ST_half)

    def convergence(self) -> dict[str, dict]:
        """Per output: ``max_abs_ST_change`` = max over assumptions of ``|ST(n) - ST(n/2)|``,
        the assumption where it occurs, and the largest ``ST_conf`` for comparison."""
        if self.ST_half is None:
            raise InputError("convergence: this result was computed with convergence=False; rerun sobol with "
                             "convergence=True")
        out = {}
        for i, o in enumerate(self.outputs):
            d = self.ST_change[i]
            ok = np.isfinite(d)
            j = int(np.argmax(np.where(ok, d, -np.inf))) if ok.any() else 0
            out[o] = {"n_half": self.n // 2, "n": self.n,
                      "max_abs_ST_change": float(d[j]) if ok.any() else float("nan"),
                      "assumption": self.assumption[j] if ok.any() else None,
                      "max_ST_conf": float(np.nanmax(self.ST_conf[i])) if np.isfinite(self.ST_conf[i]).any()
                      else float("nan")}
        return out

    def top(self, output: str, k: int | None = 10) -> list[dict]:
        """The ``k`` assumptions with the largest total-order index of ``output`` (NaN last),
        as rows (dicts with the table's columns)."""
        i = self._row(output)
        st = self.ST[i]
        order = np.argsort(np.where(np.isnan(st), np.inf, -st), kind="stable")
        rows = list(self.rows())[i * len(self.assumption):(i + 1) * len(self.assumption)]
        picked = order if k is None else order[:max(int(k), 0)]
        return [rows[j] for j in picked]

    def columns(self) -> dict:
        m, d = len(self.outputs), len(self.assumption)
        nan = np.full((m, d), np.nan)
        half1 = nan if self.S1_half is None else self.S1_half
        halft = nan if self.ST_half is None else self.ST_half
        change = nan if self.ST_change is None else self.ST_change
        return {
            "output": [o for o in self.outputs for _ in range(d)],
            "assumption": list(self.assumption) * m, "unit": list(self.unit) * m,
            "distribution": list(self.distribution) * m,
            "S1": self.S1.ravel().copy(), "S1_conf": self.S1_conf.ravel().copy(),
            "ST": self.ST.ravel().copy(), "ST_conf": self.ST_conf.ravel().copy(),
            "S1_half": np.asarray(half1).ravel().copy(), "ST_half": np.asarray(halft).ravel().copy(),
            "ST_change": np.asarray(change).ravel().copy(),
        }

    def to_json(self, path: str | os.PathLike | None = None, *, overwrite: bool = False) -> str | None:
        """The result as JSON: method, seeds, sizes, versions (with SALib's), model
        description, assumptions, convergence, rows (and second-order indices); NaN as
        ``null``.  Text if ``path`` is None.

        Refuses to replace an existing file unless ``overwrite=True``; written atomically.
        """

        obj = {
            "kind": "sobol",
            "method": "Saltelli design on a scrambled Sobol' sequence (SALib.sample.sobol.sample), estimators of "
                      "Saltelli et al. 2010 with bootstrap intervals (SALib.analyze.sobol.analyze); unit columns "
                      "mapped through each assumption's inverse CDF",
            "n": self.n, "n_evaluations": self.n_evaluations, "seed": self.seed,
            "bootstrap_seed": self.bootstrap_seed, "num_resamples": self.num_resamples,
            "conf_level": self.conf_level, "calc_second_order": self.calc_second_order,
            "outputs": list(self.outputs), "output_units": self.output_units,
            "n_nonfinite": dict(zip(self.outputs, self.n_nonfinite.tolist())),
            "versions": self.versions, "model": self.description, "elapsed_s": self.elapsed_s,
            "model_s": self.model_s, "assumptions": self.assumptions,
            "convergence": self.convergence() if self.ST_half is not None else None,
            "rows": list(self.rows()),
        }
        if self.S2 is not None:
            obj["S2"] = {o: {"matrix": self.S2[i], "conf": self.S2_conf[i]} for i, o in enumerate(self.outputs)}
        return _write_json(obj, path, overwrite)


# ------------------------------------------------------------------- sobol
def sobol(model, outputs: str | Sequence[str], *, n: int = 2**12, names: Sequence[str] | None = None,
          seed: int | None = 0, calc_second_order: bool = False, num_resamples: int = 1000,
          conf_level: float = 0.95, convergence: bool = True,
          progress: Callable[..., Any] | None = None) -> SobolResult:
    """First- and total-order Sobol' indices of model outputs, with SALib.

    SALib's Saltelli design (``SALib.sample.sobol.sample``: a scrambled Sobol' sequence of
    dimension ``2D``) is drawn on the unit hypercube ``[0, 1]^D``; each column is mapped
    through the inverse CDF of its assumption (triangular, uniform or lognormal, exactly
    as :func:`~orbitcompute.sensitivity.monte_carlo` samples it); the model is evaluated
    once, vectorized, over all ``n (D + 2)`` rows; ``SALib.analyze.sobol.analyze`` gives
    the indices and bootstrap confidence intervals.  Assumptions without a range (or
    ``"fixed"``) stay at their defaults.

    Parameters
    ----------
    model : Model
        See :class:`~orbitcompute.sensitivity.Model`.
    outputs : str or sequence of str
        Output keys of ``model.evaluate``, or glob patterns: ``"ratio:*"`` selects every
        ``ratio:<region>`` of a :class:`~orbitcompute.feasibility.FeasibilityModel` (the
        keys are those of ``model.evaluate({})``).
    n : int
        Base sample size, a power of 2 (at least 4); the model runs ``n (D + 2)`` points
        (``n (2D + 2)`` with ``calc_second_order``).
    names : sequence of str, optional
        Assumptions to vary (default: every uncertain one).
    seed : int or None
        Seed of the scrambled Sobol' sequence; the bootstrap uses ``seed + 1`` (SALib
        treats a bootstrap seed of 0 as "no seed").  None: fresh entropy, not reproducible.
    calc_second_order : bool
        Also estimate second-order indices (``S2``).
    num_resamples : int
        Bootstrap resamples for the confidence intervals (at least 2).
    conf_level : float
        Confidence level of the intervals, in (0, 1).
    convergence : bool
        Also estimate the indices from the first ``n/2`` base points of the same design
        (a valid Sobol' design of size ``n/2``: the sequence's first ``2^k`` points are a
        balanced net, and SALib lays the design out base point by base point), for
        ``|ST(n) - ST(n/2)|`` (:meth:`SobolResult.convergence`).
    progress : callable, optional
        ``progress(done, total, what)``: model rows evaluated, then outputs analysed.

    Returns
    -------
    SobolResult

    Raises
    ------
    InputError
        SALib missing (with the install command), ``n`` not a power of 2, an unknown
        output, no uncertain assumption, bad ``seed``/``num_resamples``/``conf_level``.

    References
    ----------
    Saltelli, A. et al. (2010), Variance based sensitivity analysis of model output.
    Comput. Phys. Commun. 181, 259-270, https://doi.org/10.1016/j.cpc.2009.09.018.
    Herman, J. & Usher, W. (2017), SALib: an open-source Python library for sensitivity
    analysis. JOSS 2(9), 97, https://doi.org/10.21105/joss.00097.

    Examples
    --------
    >>> from orbitcompute.provenance import Assumption
    >>> from orbitcompute.sensitivity import FunctionModel
    >>> m = FunctionModel([Assumption("a", 0.5, "", low=0.0, high=1.0, distribution="uniform"),
    ...                    Assumption("b", 0.5, "", low=0.0, high=1.0, distribution="uniform")],
    ...                   lambda a, b: {"y": 3.0 * a + b})
    >>> r = sobol(m, "y", n=1024, num_resamples=100)
    >>> [round(float(s), 1) for s in r.ST[0]]      # analytic: 9/10 and 1/10
    [0.9, 0.1]
    >>> r.top("y", 1)[0]["assumption"]
    'a'
    """

    t0 = time.perf_counter()
    salib_version, salib_sample, salib_analyze = _salib()
    n = _check_n(n)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise InputError(f"seed: must be a non-negative integer or None, got {seed!r}")
    if isinstance(num_resamples, bool) or not isinstance(num_resamples, (int, np.integer)) or num_resamples < 2:
        raise InputError(f"num_resamples: must be an integer of at least 2 (bootstrap resamples), got "
                         f"{num_resamples!r}; 1000 is usual")
    if not (isinstance(conf_level, (int, float)) and 0.0 < float(conf_level) < 1.0):
        raise InputError(f"conf_level: must lie strictly between 0 and 1, got {conf_level!r}; e.g. 0.95")
    assumptions = model.assumptions()
    if names is None and not any(sens._is_uncertain(a) for a in assumptions.values()):
        raise InputError(f"model: none of its {len(assumptions)} assumptions has a low/high range (or all are "
                         "'fixed'), so there is nothing to vary; give assumptions low= and high= and a "
                         "distribution other than 'fixed'")
    chosen = sens._choose(assumptions, names, "sobol")
    base, _ = sens._call(model, {}, 1)
    keys = _match_outputs(outputs, list(base))
    d = len(chosen)
    problem = {"num_vars": d, "names": list(chosen), "bounds": [[0.0, 1.0]] * d}

    unit_design = salib_sample.sample(problem, n, calc_second_order=bool(calc_second_order),
                                      seed=None if seed is None else int(seed))
    rows = unit_design.shape[0]
    # scrambled Sobol' points lie in [0, 1); the lognormal's normal quantile needs q > 0
    unit_design[unit_design <= 0.0] = np.finfo(np.float64).tiny
    y = {k: np.empty(rows) for k in keys}
    returned_units: dict[str, str] = {}
    t_model = 0.0
    if progress is not None:
        progress(0, rows, "model rows")
    for start in range(0, rows, CHUNK_ROWS):
        stop = min(rows, start + CHUNK_ROWS)
        q = unit_design[start:stop]
        values = {name: sens._inverse_cdf(assumptions[name], q[:, j]) for j, name in enumerate(chosen)}
        t1 = time.perf_counter()
        out, units = sens._call(model, values, stop - start)
        t_model += time.perf_counter() - t1
        returned_units.update(units)
        for k in keys:
            y[k][start:stop] = out[k]
        if progress is not None:
            progress(stop, rows, "model rows")

    bootstrap_seed = None if seed is None else int(seed) + 1
    m = len(keys)
    S1, S1c, ST, STc = (np.full((m, d), np.nan) for _ in range(4))
    S1h, STh = (np.full((m, d), np.nan) for _ in range(2)) if convergence else (None, None)
    S2, S2c = (np.full((m, d, d), np.nan) for _ in range(2)) if calc_second_order else (None, None)
    n_bad = np.zeros(m, dtype=int)
    half_rows = rows // 2  # the first n/2 base points: SALib writes the design base point by base point
    for i, k in enumerate(keys):
        yk = y[k]
        finite = np.isfinite(yk)
        n_bad[i] = int((~finite).sum())
        if n_bad[i] == 0 and np.ptp(yk) > 0.0:
            r = salib_analyze.analyze(problem, yk, calc_second_order=bool(calc_second_order),
                                      num_resamples=int(num_resamples), conf_level=float(conf_level),
                                      print_to_console=False, seed=bootstrap_seed)
            S1[i], S1c[i], ST[i], STc[i] = r["S1"], r["S1_conf"], r["ST"], r["ST_conf"]
            if calc_second_order:
                S2[i], S2c[i] = r["S2"], r["S2_conf"]
            if convergence and np.ptp(yk[:half_rows]) > 0.0:
                h = salib_analyze.analyze(problem, yk[:half_rows], calc_second_order=bool(calc_second_order),
                                          num_resamples=_HALF_RESAMPLES, conf_level=float(conf_level),
                                          print_to_console=False, seed=bootstrap_seed)
                S1h[i], STh[i] = h["S1"], h["ST"]
        if progress is not None:
            progress(i + 1, m, "outputs analysed")

    description = sens._describe(model)
    out_units = sens._output_units(description, returned_units)
    return SobolResult(
        outputs=tuple(keys), assumption=tuple(chosen), unit=tuple(assumptions[k].unit for k in chosen),
        distribution=tuple(assumptions[k].distribution for k in chosen),
        S1=S1, S1_conf=S1c, ST=ST, ST_conf=STc, S1_half=S1h, ST_half=STh, S2=S2, S2_conf=S2c,
        n=n, n_evaluations=rows, n_nonfinite=n_bad, seed=None if seed is None else int(seed),
        bootstrap_seed=bootstrap_seed, num_resamples=int(num_resamples), conf_level=float(conf_level),
        calc_second_order=bool(calc_second_order), output_units={k: out_units.get(k, "") for k in keys},
        assumptions={k: sens._assumption_record(a) | {"varied": k in chosen} for k, a in assumptions.items()},
        description=description, versions={**_output.versions(), "SALib": salib_version},
        elapsed_s=time.perf_counter() - t0, model_s=t_model,
    )
