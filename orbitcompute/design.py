"""Design search: the design space of an orbital compute cluster and its Pareto front.

A scenario mixes two kinds of numbers.  **Design variables** are choices the designer
makes (orbit altitude, LTAN or inclination, compute power per satellite, battery or not,
number of ground stations, relay or not): scenario keys of the
:data:`~orbitcompute.scenario.SCHEMA`.  **Assumptions** (launch price, cell efficiency,
accelerator cost, ...) describe the world; a design search holds them at the scenario's
values (:mod:`orbitcompute.sensitivity` varies them).  :class:`DesignVariable` and
:class:`DesignSpace` describe the first kind, validated against the schema up front.

:func:`optimize` searches the space for designs that minimise both the orbital cost per
accelerator-hour [USD/h] and the p95 round-trip time [ms].  Every design point rebuilds
the whole geometry (constellations, a year of sunlight, power and thermal sizing, RTT
series) through :func:`evaluate_design`, a picklable module-level function mapped over a
whole generation with ``executor.map``: a ``concurrent.futures.ProcessPoolExecutor`` on
one machine, ``distributed.Client(...).get_executor()`` on a Dask cluster.

Why pymoo (NSGA-II on mixed variables) and not scipy
-----------------------------------------------------
The problem has two objectives, mixed variable types (reals, an integer, booleans, a
choice), designs that fail (no ground station and no relay: the cluster is unreachable)
and an expensive, noise-free, black-box evaluation (1.5 to 3 s a point).  scipy's
optimisers are single-objective (a Pareto front would need a weighted-sum or
epsilon-constraint loop, one full optimisation per front point, and a weighted sum misses
non-convex parts of a front); ``differential_evolution`` takes ``integrality`` but has no
categorical variables and its ``workers`` map is its own loop.  pymoo's
``MixedVariableGA`` with rank-and-crowding survival is NSGA-II (Deb et al. 2002,
doi:10.1109/4235.996017) on a dict of Real/Integer/Binary/Choice variables, handles a
constraint (infeasible designs are ranked by their violation, feasible ones first) and its
ask/tell interface hands us a whole generation to map through any executor.  pymoo is an
optional extra (``pip install "orbitcompute[design]"``), imported only inside
:func:`optimize`.

The optimiser sees one pair of objectives per design, the worst (``objective="worst"``,
max over regions) or the mean over regions; every evaluated design is kept, and the
per-region Pareto front (the non-dominated designs of that region's (cost, p95)) is
extracted from all of them afterwards (:meth:`DesignResult.front`).

Examples
--------
>>> import orbitcompute as oc
>>> space = oc.DesignSpace.default(oc.Scenario.default())
>>> [v.key for v in space]                                   # doctest: +NORMALIZE_WHITESPACE
['orbit.cluster.altitude', 'orbit.cluster.ltan', 'orbit.it_power_per_satellite', 'orbit.battery',
 'orbit.ground_stations', 'orbit.relay.kind']
>>> nondominated([[1.0, 5.0], [2.0, 2.0], [3.0, 3.0], [1.0, 5.0]]).tolist()
[True, True, False, True]
"""

from __future__ import annotations

import difflib
import functools
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _scale
from ._output import versions, write_json as _write_json, write_text
from ._table import TableMixin
from .errors import InputError
from .feasibility import shared_model
from .links import optical_ground_sites
from .scenario import Scenario, scenario_toml, SCHEMA, set_keys
from .units import u

__all__ = ["DesignPoint", "DesignResult", "DesignSpace", "DesignVariable", "evaluate_design", "nondominated",
           "optimize"]

KINDS = ("real", "int", "bool", "choice")
#: schema kind -> design kind it can take
_SCHEMA_KIND = {"quantity": "real", "float": "real", "int": "int", "bool": "bool", "choice": "choice"}
#: value given to the optimiser for a design that failed (its constraint violation ranks it)
_PENALTY = 1e12
_INSTALL = 'the design search needs pymoo: pip install "orbitcompute[design]" (or pip install "pymoo>=0.6")'


def _schema_field(key: str) -> tuple:
    """(section, name, spec) of a dotted scenario key; InputError with close matches."""
    known = [f"{sec}.{k}" for sec, fields in SCHEMA.items() for k in fields]
    if "." not in key:
        raise InputError(
            f"design variable {key!r}: not a scenario key; {key!r} looks like an assumption name (assumptions stay "
            f"at the scenario's values in a design search); give a SECTION.KEY of the scenario schema, e.g. "
            f"'orbit.cluster.altitude'")
    section, name = key.rsplit(".", 1)
    if section not in SCHEMA or name not in SCHEMA[section]:
        close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
        hint = (f"did you mean {', '.join(repr(c) for c in close)}?" if close
                else "design keys are SECTION.KEY names of the scenario schema, e.g. 'orbit.cluster.altitude'")
        raise InputError(f"design variable {key!r}: unknown scenario key; {hint}")
    return section, name, SCHEMA[section][name]


@dataclass(frozen=True)
class DesignVariable:
    """One design choice: a scenario key and the values it may take.

    Parameters
    ----------
    key : str
        Dotted scenario key (``"orbit.cluster.altitude"``), a field of
        :data:`orbitcompute.scenario.SCHEMA`.
    kind : {"real", "int", "bool", "choice"}
    low, high : float or int, optional
        Bounds of a real or int variable, in ``unit`` (``low <= high``, inside the
        schema's range).
    choices : tuple of str, optional
        Values of a choice variable (each allowed by the schema).
    unit : str
        Unit of ``low``/``high`` and of the values written into the scenario
        (``"km"``); required for a key the schema reads as a quantity.
    decimals : int, optional
        Real values are rounded to this many decimals in ``unit`` before they are
        evaluated (readable, exactly reproducible scenario files); None keeps full
        precision.

    Raises
    ------
    InputError
        Unknown key (with close matches), a kind the key cannot take, ``low > high``,
        bounds outside the schema's range, a wrong unit or a choice the schema refuses.

    Examples
    --------
    >>> DesignVariable("orbit.cluster.altitude", "real", 500, 1200, unit="km").to_scenario(650.5)
    '650.5 km'
    >>> DesignVariable("orbit.cluster.altitude", "real", 1200, 500, unit="km")
    Traceback (most recent call last):
    ...
    orbitcompute.errors.InputError: design variable 'orbit.cluster.altitude': low = 1200 km > high = 500 km; give low <= high (swap them)
    """

    key: str
    kind: str
    low: float | int | None = None
    high: float | int | None = None
    choices: tuple = ()
    unit: str = ""
    decimals: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "choices", tuple(self.choices))
        name = f"design variable {self.key!r}"
        if not isinstance(self.key, str):
            raise InputError(f"design variable key: expected a dotted scenario key string, got {self.key!r}")
        _section, _field, spec = _schema_field(self.key)
        kind, unit_or_choices, _req, _default, rng = spec[:5]
        if self.kind not in KINDS:
            raise InputError(f"{name}: kind = {self.kind!r} is not one of {', '.join(map(repr, KINDS))}")
        allowed = _SCHEMA_KIND.get(kind)
        if allowed != self.kind:
            raise InputError(f"{name}: kind = {self.kind!r}, but the scenario schema reads this key as a {kind}; "
                             f"use kind={allowed!r}" if allowed else f"{name}: a {kind} key cannot be a design "
                             "variable; choose a quantity, int, bool or choice key")
        if self.kind == "choice":
            if not self.choices:
                raise InputError(f"{name}: a choice variable needs choices, e.g. choices={tuple(unit_or_choices)!r}")
            bad = [c for c in self.choices if c not in unit_or_choices]
            if bad:
                raise InputError(f"{name}: choice {bad[0]!r} is not allowed by the schema; choose among "
                                 f"{', '.join(map(repr, unit_or_choices))}")
            if len(set(self.choices)) != len(self.choices):
                raise InputError(f"{name}: choices {self.choices!r} repeat a value; list each once")
            return
        if self.kind == "bool":
            return
        if self.low is None or self.high is None:
            raise InputError(f"{name}: a {self.kind} variable needs both low and high bounds (got low={self.low!r}, "
                             f"high={self.high!r})")
        for which in ("low", "high"):
            v = getattr(self, which)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v):
                raise InputError(f"{name}: {which} = {v!r} is not a finite number; give it in {self.unit or 'the key'}"
                                 "'s unit as a plain number")
            if self.kind == "int" and float(v) != int(v):
                raise InputError(f"{name}: {which} = {v!r} is not an integer; an int variable needs integer bounds")
        u_txt = f" {self.unit}" if self.unit else ""
        if self.low > self.high:
            raise InputError(f"{name}: low = {self.low:g}{u_txt} > high = {self.high:g}{u_txt}; give low <= high "
                             "(swap them)")
        lo, hi, factor = float(self.low), float(self.high), 1.0
        if kind == "quantity":
            if not self.unit:
                example = {"m": "km", "hour": "h", "W": "kW", "deg": "deg"}.get(unit_or_choices, unit_or_choices)
                raise InputError(f"{name}: unit is missing; the key is a quantity in units of {unit_or_choices!r}; "
                                 f"give e.g. unit={example!r}")
            try:
                factor = float(u.Quantity(1.0, self.unit).m_as(unit_or_choices))
            except Exception:  # noqa: BLE001 - pint raises several kinds; one clear message
                raise InputError(f"{name}: unit = {self.unit!r} is not a unit of {unit_or_choices!r}; give e.g. "
                                 f"unit={unit_or_choices!r}") from None
        if rng is not None and not (rng[0] <= lo * factor and hi * factor <= rng[1]):
            raise InputError(f"{name}: bounds [{self.low:g}, {self.high:g}]{u_txt} are outside the scenario schema's "
                             f"range [{rng[0] / factor:g}, {rng[1] / factor:g}]{u_txt}; give bounds inside it")

    def to_scenario(self, x: Any) -> Any:
        """The scenario (TOML) value of a design value ``x``: a string with the unit for
        quantities (``repr`` of the float, so it reads back bit for bit), else an int,
        bool or string."""
        if self.kind == "real":
            return f"{self.round(x)!r} {self.unit}" if self.unit else self.round(x)
        if self.kind == "int":
            return int(x)
        if self.kind == "bool":
            return bool(x)
        return str(x)

    def round(self, x: Any) -> Any:
        """A design value as the plain Python value evaluated (reals rounded to
        ``decimals``; ints, bools and choices as Python types)."""
        if self.kind == "real":
            x = float(x)
            return round(x, self.decimals) if self.decimals is not None else x
        if self.kind == "int":
            return int(round(float(x)))
        if self.kind == "bool":
            return bool(x)
        return str(x)

    def describe(self) -> dict:
        """A JSON-ready record of the variable."""
        out = {"key": self.key, "kind": self.kind, "unit": self.unit}
        if self.kind in ("real", "int"):
            out.update(low=self.low, high=self.high)
        if self.kind == "choice":
            out["choices"] = list(self.choices)
        return out

    def _pymoo(self):
        from pymoo.core.variable import Binary, Choice, Integer, Real

        if self.kind == "real":
            return Real(bounds=(float(self.low), float(self.high)))
        if self.kind == "int":
            return Integer(bounds=(int(self.low), int(self.high)))
        if self.kind == "bool":
            return Binary()
        return Choice(options=list(self.choices))


@dataclass(frozen=True)
class DesignSpace:
    """The design variables of a search (a tuple of :class:`DesignVariable`, unique keys).

    Examples
    --------
    >>> s = DesignSpace((DesignVariable("orbit.battery", "bool"),
    ...                  DesignVariable("orbit.ground_stations", "int", 0, 20)))
    >>> len(s), s.keys
    (2, ('orbit.battery', 'orbit.ground_stations'))
    """

    variables: tuple

    def __post_init__(self):
        vs = tuple(self.variables)
        object.__setattr__(self, "variables", vs)
        if not vs:
            raise InputError("DesignSpace: no variables; give at least one DesignVariable")
        for v in vs:
            if not isinstance(v, DesignVariable):
                raise InputError(f"DesignSpace: {v!r} is not a DesignVariable; build each with "
                                 "DesignVariable(key, kind, low, high, unit=...)")
        keys = [v.key for v in vs]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise InputError(f"DesignSpace: key {dup[0]!r} appears more than once; give each key one variable")

    def __iter__(self):
        return iter(self.variables)

    def __len__(self) -> int:
        return len(self.variables)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(v.key for v in self.variables)

    @classmethod
    def default(cls, scenario: Scenario | None = None) -> "DesignSpace":
        """Altitude 500-1200 km; LTAN 6-18 h (sun-synchronous cluster) or inclination
        30-98 deg (Walker cluster); compute power per satellite 20-1000 kW; battery on/off;
        0-20 ground stations; relay (the scenario's, or a Walker-delta shell) or none.

        A design with no ground station and no relay is unreachable: the model refuses
        it and the search records it as a failed point.
        """
        s = scenario or Scenario.default()
        if s.cluster["kind"] == "sun_synchronous":
            orbit_var = DesignVariable("orbit.cluster.ltan", "real", 6.0, 18.0, unit="h", decimals=2)
        else:
            orbit_var = DesignVariable("orbit.cluster.inclination", "real", 30.0, 98.0, unit="deg", decimals=2)

        relay = s.relay["kind"] if s.relay["kind"] != "none" else "walker_delta"
        return cls((
            DesignVariable("orbit.cluster.altitude", "real", 500.0, 1200.0, unit="km", decimals=1),
            orbit_var,
            DesignVariable("orbit.it_power_per_satellite", "real", 20.0, 1000.0, unit="kW", decimals=1),
            DesignVariable("orbit.battery", "bool"),
            # without a relay the stations stand at the shipped optical ground sites: at most that many
            DesignVariable("orbit.ground_stations", "int", 0, len(optical_ground_sites())),
            DesignVariable("orbit.relay.kind", "choice", choices=(relay, "none")),
        ))

    def check(self, scenario: Scenario) -> None:
        """Refuse variables the scenario's cluster kind ignores (LTAN for a Walker
        cluster, inclination for a sun-synchronous one) unless the kind is itself varied."""
        if "orbit.cluster.kind" in self.keys:
            return
        kind = scenario.cluster["kind"]
        if "orbit.cluster.ltan" in self.keys and kind != "sun_synchronous":
            raise InputError(f"design variable 'orbit.cluster.ltan': the scenario's cluster is {kind!r}, whose "
                             "geometry has no LTAN; vary 'orbit.cluster.inclination' instead, or make the cluster "
                             "sun_synchronous")
        if "orbit.cluster.inclination" in self.keys and kind == "sun_synchronous":
            raise InputError("design variable 'orbit.cluster.inclination': the scenario's cluster is "
                             "'sun_synchronous', whose inclination follows from its altitude; vary "
                             "'orbit.cluster.ltan' instead, or make the cluster a Walker constellation")

    def describe(self) -> list[dict]:
        return [v.describe() for v in self.variables]


# ---------------------------------------------------------------------- evaluation
def design_data(raw: Mapping, values: Iterable[tuple[str, Any]]) -> dict:
    """A deep copy of scenario data ``raw`` with each ``(key, scenario value)`` set
    (:func:`orbitcompute.scenario.set_keys`)."""
    return set_keys(raw, values)


def evaluate_design(raw: Mapping, source: str, quick: bool, values: tuple) -> dict:
    """Build the scenario of one design point and run the feasibility model on it.

    Module-level and picklable, so process pools and Dask workers run it; the geometry is
    rebuilt per point (:func:`orbitcompute.feasibility.shared_model` reuses it only for an
    identical design).  Any failure (an invalid design) is returned as data.

    Parameters
    ----------
    raw : dict
        Scenario data (``Scenario.raw``).
    source : str
        Name of the scenario in error messages.
    quick : bool
        Coarse geometry (:class:`~orbitcompute.feasibility.FeasibilityModel`).
    values : tuple of (str, value)
        Scenario keys and their TOML values (:meth:`DesignVariable.to_scenario`).

    Returns
    -------
    dict
        ``regions`` (names), ``cost`` [USD/h], ``p95_ms`` [ms] and ``availability`` [-]
        (lists, one per region), ``error`` (``""``, or ``"Type: message"`` with the
        lists empty).
    """

    try:
        scenario = Scenario.from_dict(design_data(raw, values), source=f"{source} (design point)")
        res = shared_model(scenario, quick=quick).run()
        return {"regions": [r.region for r in res.regions],
                "cost": [float(r.orbital["cost_per_accelerator_hour"]) for r in res.regions],
                "p95_ms": [float(r.orbital_rtt_ms["p95"]) for r in res.regions],
                "availability": [float(r.orbital_rtt_ms["availability"]) for r in res.regions],
                "error": ""}
    except Exception as exc:  # noqa: BLE001 - a failed design is data, never the end of the search
        return {"regions": [], "cost": [], "p95_ms": [], "availability": [], "error": f"{type(exc).__name__}: {exc}"}


def nondominated(F: Any) -> np.ndarray:
    """Mask of the non-dominated rows of ``F`` (every column minimised).

    Row ``i`` is dominated when some row ``j`` is ``<=`` in every column and ``<`` in at
    least one; rows with a NaN are never on the front and dominate nothing; equal rows
    are all kept.

    Parameters
    ----------
    F : array_like, shape ``(n, m)``

    Returns
    -------
    ndarray of bool, shape ``(n,)``

    Examples
    --------
    >>> nondominated([[1, 3], [2, 2], [2, 3], [np.nan, 0]]).tolist()
    [True, True, False, False]
    """
    F = np.asarray(F, dtype=np.float64)
    if F.ndim != 2:
        raise InputError(f"F: expected a 2-D array (points x objectives), got shape {F.shape}")
    ok = np.all(np.isfinite(F), axis=1)
    G = F[ok]
    dominated = np.zeros(len(G), dtype=bool)
    block = max(1, 2_000_000 // max(1, len(G) * F.shape[1]))  # bounded (block, n, m) comparisons
    for i0 in range(0, len(G), block):
        Gi = G[i0:i0 + block, None, :]
        le = np.all(G[None, :, :] <= Gi, axis=2)
        lt = np.any(G[None, :, :] < Gi, axis=2)
        dominated[i0:i0 + block] = np.any(le & lt, axis=1)
    out = np.zeros(len(F), dtype=bool)
    out[np.flatnonzero(ok)] = ~dominated
    return out


# ---------------------------------------------------------------------- result
@dataclass(frozen=True)
class DesignPoint:
    """One evaluated design: its values (in each variable's unit) and its figures per
    region; ``feasible`` is False when the evaluation failed or the orbital path
    availability of some region is below the search's ``min_availability``."""

    index: int
    generation: int
    values: dict
    cost_usd_per_accelerator_hour: dict
    p95_ms: dict
    availability: dict
    feasible: bool
    error: str


@dataclass(frozen=True, eq=False)
class DesignResult(TableMixin):
    """Every design a search evaluated, with per-region figures and Pareto fronts.

    Attributes
    ----------
    space : DesignSpace
    scenario : Scenario
        The base scenario (assumptions and the keys the space does not vary).
    quick : bool
        Whether the geometry was coarse; re-evaluate a point with the same flag.
    regions : tuple of str
    designs : tuple of dict
        Per point, key -> value in the variable's unit (``n_point`` entries).
    cost : ndarray, shape ``(n_point, n_region)``
        Orbital cost per accelerator-hour [USD/h] (NaN where the point failed).
    p95_ms : ndarray, shape ``(n_point, n_region)``
        p95 orbital round-trip time [ms].
    availability : ndarray, shape ``(n_point, n_region)``
        Fraction of (place, time) samples with an orbital path [-].
    errors : tuple of str
    generation : ndarray of int, shape ``(n_point,)``
    settings : dict
        objective, objective regions, seed, pop_size, generations, min_availability.
    elapsed_s : float
        Wall time of the search [s].
    versions : dict
    """

    space: DesignSpace
    scenario: Scenario
    quick: bool
    regions: tuple
    designs: tuple
    cost: np.ndarray
    p95_ms: np.ndarray
    availability: np.ndarray
    errors: tuple
    generation: np.ndarray
    settings: dict = field(default_factory=dict)
    elapsed_s: float = float("nan")
    versions: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.designs)

    def __repr__(self) -> str:
        fronts = ", ".join(f"{r}: {int(self.front_mask(r).sum())}" for r in self.regions)
        return (f"DesignResult({len(self)} designs over {list(self.space.keys)}, {self.n_failed} failed; "
                f"front sizes {{{fronts}}})")

    @property
    def n_failed(self) -> int:
        return sum(1 for e in self.errors if e)

    def _region_index(self, region: str | int) -> int:
        if isinstance(region, (int, np.integer)) and not isinstance(region, bool):
            if not -len(self.regions) <= region < len(self.regions):
                raise InputError(f"region: index {region} out of range for {len(self.regions)} regions")
            return int(region) % len(self.regions)
        if region not in self.regions:
            close = difflib.get_close_matches(str(region), self.regions, n=3)
            raise InputError(f"region: {region!r} is not a region of this search; regions are "
                             f"{', '.join(map(repr, self.regions))}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        return self.regions.index(region)

    def feasible_in(self, region: str | int) -> np.ndarray:
        """Per point: evaluated, finite figures and availability >= ``min_availability``
        in ``region``; shape ``(n_point,)``."""
        k = self._region_index(region)
        ok = np.array([not e for e in self.errors], dtype=bool)
        return (ok & np.isfinite(self.cost[:, k]) & np.isfinite(self.p95_ms[:, k])
                & (self.availability[:, k] >= self.settings.get("min_availability", 0.0)))

    @property
    def feasible(self) -> np.ndarray:
        """Per point: feasible in every region, shape ``(n_point,)``."""
        out = np.array([not e for e in self.errors], dtype=bool)
        for r in self.regions:
            out &= self.feasible_in(r)
        return out if self.regions else np.zeros(len(self), dtype=bool)

    def front_mask(self, region: str | int) -> np.ndarray:
        """Per point: on the Pareto front of ``region``'s (cost, p95) among the designs
        feasible there; shape ``(n_point,)``."""
        k = self._region_index(region)
        F = np.column_stack([self.cost[:, k], self.p95_ms[:, k]])
        F[~self.feasible_in(k)] = np.nan
        return nondominated(F)

    def point(self, index: int) -> DesignPoint:
        """The design point of row ``index``."""
        if not -len(self) <= index < len(self):
            raise InputError(f"point: index {index} out of range for {len(self)} evaluated designs")
        i = int(index) % len(self)
        feas = bool(self.feasible[i])
        return DesignPoint(
            index=i, generation=int(self.generation[i]), values=dict(self.designs[i]),
            cost_usd_per_accelerator_hour={r: float(self.cost[i, k]) for k, r in enumerate(self.regions)},
            p95_ms={r: float(self.p95_ms[i, k]) for k, r in enumerate(self.regions)},
            availability={r: float(self.availability[i, k]) for k, r in enumerate(self.regions)},
            feasible=feas, error=self.errors[i])

    @property
    def points(self) -> list[DesignPoint]:
        return [self.point(i) for i in range(len(self))]

    def front(self, region: str | int) -> list[DesignPoint]:
        """The Pareto front of ``region`` (non-dominated (cost, p95) among its feasible
        designs), sorted by cost."""
        k = self._region_index(region)
        idx = np.flatnonzero(self.front_mask(k))
        idx = idx[np.lexsort((self.p95_ms[idx, k], self.cost[idx, k]))]
        return [self.point(int(i)) for i in idx]

    def _index(self, point: DesignPoint | int) -> int:
        i = point.index if isinstance(point, DesignPoint) else point
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < len(self):
            raise InputError(f"point: {point!r} is not a DesignPoint or row index of this result (0 to "
                             f"{len(self) - 1})")
        return int(i)

    def scenario_data(self, point: DesignPoint | int) -> dict:
        """The complete scenario data of a design point (the base scenario with the
        point's values set), exactly as it was evaluated."""
        i = self._index(point)
        values = tuple((v.key, v.to_scenario(self.designs[i][v.key])) for v in self.space)
        return design_data(self.scenario.raw, values)

    def scenario_for(self, point: DesignPoint | int) -> Scenario:
        """The :class:`~orbitcompute.scenario.Scenario` of a design point."""
        return Scenario.from_dict(self.scenario_data(point), source=f"{self.scenario.source} (design point "
                                                                    f"{self._index(point)})")

    def write_toml(self, point: DesignPoint | int, path, overwrite: bool = False) -> None:
        """Write a design point as a complete scenario TOML file.

        ``oc.load_scenario(path)`` run with ``quick`` equal to :attr:`quick` gives the
        point's figures (the computation is deterministic).  Refuses to replace a file
        unless ``overwrite``.
        """

        i = self._index(point)
        p = self.point(i)
        head = [f"# Design point {i} of an orbitcompute design search (generation {p.generation}, seed "
                f"{self.settings.get('seed')}), from {self.scenario.source}.",
                f"# Reproduce its figures with FeasibilityModel(load_scenario(this file), quick={self.quick}).run().",
                "# Design: " + ", ".join(f"{k} = {v!r}" for k, v in p.values.items())]
        for r in self.regions:
            head.append(f"# {r}: orbital {p.cost_usd_per_accelerator_hour[r]!r} USD per accelerator-hour, "
                        f"p95 RTT {p.p95_ms[r]!r} ms")
        write_text(path, "\n".join(head) + "\n\n" + scenario_toml(self.scenario_data(i)) + "\n",
                          overwrite=overwrite)

    # ------------------------------------------------------------ tables
    @property
    def COLUMNS(self) -> tuple[str, ...]:  # type: ignore[override]
        per = [f"{m}:{r}" for r in self.regions for m in ("cost_usd_per_accelerator_hour", "p95_ms",
                                                           "availability", "on_front")]
        return ("point", "generation", *self.space.keys, *per, "feasible", "error")

    def columns(self) -> dict:
        cols: dict[str, Any] = {"point": np.arange(len(self)), "generation": self.generation.copy()}
        for key in self.space.keys:
            cols[key] = [d[key] for d in self.designs]
        for k, r in enumerate(self.regions):
            cols[f"cost_usd_per_accelerator_hour:{r}"] = self.cost[:, k].copy()
            cols[f"p95_ms:{r}"] = self.p95_ms[:, k].copy()
            cols[f"availability:{r}"] = self.availability[:, k].copy()
            cols[f"on_front:{r}"] = self.front_mask(k)
        cols["feasible"] = self.feasible
        cols["error"] = list(self.errors)
        return cols

    def to_json(self, path=None, overwrite: bool = False) -> str | None:
        """The search as JSON (space, settings, base scenario, fronts and every row; NaN
        as ``null``); the text if ``path`` is None, else written (refusing to replace a
        file unless ``overwrite``)."""

        fronts = {r: [p.index for p in self.front(r)] for r in self.regions}
        return _write_json({"kind": "design", "space": self.space.describe(), "settings": self.settings,
                            "quick": self.quick, "regions": list(self.regions), "fronts": fronts,
                            "scenario": self.scenario.raw, "elapsed_s": self.elapsed_s, "versions": self.versions,
                            "rows": list(self.rows())}, path, overwrite)


# ---------------------------------------------------------------------- the search
def _aggregate(res: dict, regions: Sequence[str], which: Sequence[int], objective: str, min_av: float):
    """(F (2,), G (1,)) the optimiser sees for one evaluation."""
    if res["error"] or list(res["regions"]) != list(regions):
        return np.array([_PENALTY, _PENALTY]), np.array([1.0])
    c, p, a = (np.asarray(res[k], float)[list(which)] for k in ("cost", "p95_ms", "availability"))
    if not (np.all(np.isfinite(c)) and np.all(np.isfinite(p))):
        return np.array([_PENALTY, _PENALTY]), np.array([1.0])
    agg = np.max if objective == "worst" else np.mean
    return np.array([float(agg(c)), float(agg(p))]), np.array([min_av - float(np.min(a))])


def optimize(scenario: Scenario | None = None, space: DesignSpace | None = None, *,
             regions: Sequence[str] | None = None, objective: str = "worst", pop_size: int = 12,
             generations: int = 4, seed: int = 0, executor=None, quick: bool = True,
             progress: Callable[[int, int], Any] | None = None, min_availability: float = 0.99) -> DesignResult:
    """Search a design space for the Pareto front of orbital cost vs p95 RTT per region.

    NSGA-II on mixed variables (pymoo's ``MixedVariableGA`` with rank-and-crowding
    survival) through its ask/tell interface: each generation is mapped through
    ``executor.map`` with :func:`evaluate_design` (geometry rebuilt per design).

    Parameters
    ----------
    scenario : Scenario, optional
        Base scenario (default: the embedded default); its assumptions are held.
    space : DesignSpace, optional
        Default: :meth:`DesignSpace.default` of the scenario.
    regions : sequence of str, optional
        Regions whose figures the optimiser aggregates (default: all); every region's
        figures are recorded either way.
    objective : {"worst", "mean"}
        The optimiser minimises the max (or mean) over ``regions`` of the cost per
        accelerator-hour and of the p95 RTT.
    pop_size : int
        Designs per generation (>= 2).
    generations : int
        Generations (>= 1); at most ``pop_size * generations`` evaluations.
    seed : int
        Seed of the optimiser's random generator (same seed, same designs).
    executor : concurrent.futures.Executor, optional
        ``ProcessPoolExecutor(n)`` or ``distributed.Client(...).get_executor()``; None
        evaluates in this process.
    quick : bool
        Coarse geometry (fast, for a first look and tests).
    progress : callable, optional
        ``progress(done, total)`` after each evaluated design (``total`` is the planned
        ``pop_size * generations``).
    min_availability : float
        A design is feasible in a region when its orbital path exists for at least this
        fraction of (place, time) samples [-] (0.99, as the verdict of the model).

    Returns
    -------
    DesignResult
        Every evaluated design (failed ones with NaN and their error).

    Raises
    ------
    InputError
        Bad settings, space or region names; ImportError naming the extra when pymoo is
        missing.

    Examples
    --------
    >>> import orbitcompute as oc
    >>> res = oc.optimize(pop_size=4, generations=1)                 # doctest: +SKIP
    >>> [p.values for p in res.front("Europe")]                      # doctest: +SKIP
    """
    try:
        from pymoo.core.evaluator import Evaluator
        from pymoo.core.mixed import MixedVariableGA
        from pymoo.core.problem import Problem
        from pymoo.operators.survival.rank_and_crowding import RankAndCrowding
        from pymoo.problems.static import StaticProblem
    except ImportError as exc:
        raise ImportError(_INSTALL) from exc

    t0 = time.perf_counter()
    scenario = scenario if scenario is not None else Scenario.default()
    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario: expected a Scenario (oc.load_scenario(path)), got {type(scenario).__name__}")
    space = space if space is not None else DesignSpace.default(scenario)
    if not isinstance(space, DesignSpace):
        raise InputError(f"space: expected a DesignSpace, got {type(space).__name__}")
    space.check(scenario)
    for name, v, lo in (("pop_size", pop_size, 2), ("generations", generations, 1)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise InputError(f"{name}: expected an integer >= {lo}, got {v!r}")
    if objective not in ("worst", "mean"):
        raise InputError(f"objective: {objective!r} is not 'worst' or 'mean'")
    if not 0.0 <= float(min_availability) <= 1.0:
        raise InputError(f"min_availability: {min_availability!r} is outside [0, 1]; give a fraction such as 0.99")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed: expected a non-negative integer, got {seed!r}")

    problem = Problem(vars={v.key: v._pymoo() for v in space}, n_obj=2, n_ieq_constr=1)
    algorithm = MixedVariableGA(pop_size=int(pop_size), survival=RankAndCrowding())
    algorithm.setup(problem, termination=("n_gen", int(generations)), seed=int(seed), verbose=False)
    func = functools.partial(evaluate_design, scenario.raw, scenario.source, bool(quick))
    total = int(pop_size) * int(generations)
    seen: dict[tuple, int] = {}
    designs: list[dict] = []
    results: list[dict] = []
    gens: list[int] = []
    names: list[str] | None = None
    which: list[int] = []
    gen = 0
    while algorithm.has_next():
        pop = algorithm.ask()
        batch = []
        for ind in pop:
            d = {v.key: v.round(ind.X[v.key]) for v in space}
            ind.X = dict(d)  # the optimiser keeps the values that were evaluated
            batch.append(d)
        new = []
        for d in batch:
            t = tuple(d[k] for k in space.keys)
            if t not in seen:
                seen[t] = -1
                new.append(d)
        items = [tuple((v.key, v.to_scenario(d[v.key])) for v in space) for d in new]
        outs = _map(executor, func, items, progress, len(results), total)
        for d, out in zip(new, outs):
            seen[tuple(d[k] for k in space.keys)] = len(results)
            designs.append(d)
            results.append(out)
            gens.append(gen)
            if names is None and not out["error"]:
                names = list(out["regions"])
                which = _objective_regions(names, regions)
        F = np.empty((len(batch), 2))
        G = np.empty((len(batch), 1))
        for j, d in enumerate(batch):
            res = results[seen[tuple(d[k] for k in space.keys)]]
            F[j], G[j] = _aggregate(res, names or [], which, objective, float(min_availability))
        Evaluator().eval(StaticProblem(problem, F=F, G=G), pop)
        algorithm.tell(infills=pop)
        gen += 1
    names = names or []
    n, m = len(results), len(names)
    arrays = {k: np.full((n, m), np.nan) for k in ("cost", "p95_ms", "availability")}
    errors = []
    for i, out in enumerate(results):
        err = out["error"]
        if not err and list(out["regions"]) != names:
            err = f"InputError: the design's regions {out['regions']} differ from the search's {names}"
        if not err:
            for k in arrays:
                arrays[k][i] = out[k]
        errors.append(err)
    settings = {"objective": objective, "objective_regions": [names[k] for k in which], "seed": int(seed),
                "pop_size": int(pop_size), "generations": int(generations),
                "min_availability": float(min_availability), "algorithm": "pymoo MixedVariableGA + RankAndCrowding "
                                                                          "(NSGA-II)"}
    return DesignResult(space=space, scenario=scenario, quick=bool(quick), regions=tuple(names),
                        designs=tuple(designs), cost=arrays["cost"], p95_ms=arrays["p95_ms"],
                        availability=arrays["availability"], errors=tuple(errors),
                        generation=np.array(gens, dtype=int), settings=settings,
                        elapsed_s=time.perf_counter() - t0, versions=versions())


def _objective_regions(names: list[str], regions: Sequence[str] | None) -> list[int]:
    if regions is None:
        return list(range(len(names)))
    if isinstance(regions, str):
        regions = [regions]
    out = []
    for r in regions:
        if r not in names:
            close = difflib.get_close_matches(str(r), names, n=1)
            raise InputError(f"regions: {r!r} is not a region of the scenario; its regions are "
                             f"{', '.join(map(repr, names))}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        out.append(names.index(r))
    if not out:
        raise InputError("regions: empty; give at least one region name, or None for all")
    return out


def _map(executor, func, items: list, progress, done0: int, total: int) -> list[dict]:
    """``func`` over ``items`` through ``executor.map`` (serially without one); a lost
    worker marks the items it did not return as failed."""
    out: list[dict] = []
    it = map(func, items) if executor is None else executor.map(_scale.in_worker(func), items)
    try:
        for res in it:
            out.append(res)
            if progress is not None:
                progress(done0 + len(out), max(total, done0 + len(out)))
    except Exception as exc:  # noqa: BLE001 - a broken pool or a lost Dask worker: the points fail, the search goes on
        err = f"{type(exc).__name__}: {exc}"
        while len(out) < len(items):
            out.append({"regions": [], "cost": [], "p95_ms": [], "availability": [], "error": err})
            if progress is not None:
                progress(done0 + len(out), max(total, done0 + len(out)))
    return out
