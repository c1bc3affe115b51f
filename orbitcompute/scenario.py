"""Scenarios: one TOML file (or dict) describing a feasibility study, validated up front.

A scenario names the workload, the orbital design (compute cluster, relay constellation,
power/thermal choices, ground segment), the terrestrial alternatives, the user regions
and any assumption overrides.  Every number that is not a design choice is an
:class:`~orbitcompute.provenance.Assumption` with unit, source, year and range; the
shipped defaults (``data/assumptions_spacecraft.csv``, ``data/assumptions_economics.csv``)
apply unless ``[assumptions]`` overrides them.

Validation is complete before anything is built: a wrong unit, a missing field, an
unknown key or an out-of-range value raises :class:`~orbitcompute.errors.ScenarioError`
naming the file, the key path, the value and what is expected.

Example file (the embedded default is ``data/default_scenario.toml``)::

    [scenario]
    name = "Dawn-dusk compute cluster vs cloud regions"
    start = "2026-01-01T00:00:00Z"

    [workload]
    it_power = "40 MW"
    latency_requirement = "100 ms"

    [orbit.cluster]
    kind = "sun_synchronous"
    altitude = "650 km"
    ltan = "18 h"

    [assumptions]
    launch_price = { value = "500 USD/kg", low = "200 USD/kg", high = "1500 USD/kg",
                     source = "my estimate", year = 2026 }
"""

from __future__ import annotations

import copy
import difflib
import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pint

from .errors import InputError
from .provenance import Assumption, read_assumptions
from .time import to_time
from .units import Quantity, parse_quantity, u

__all__ = ["Scenario", "ScenarioError", "default_assumptions", "load_scenario", "scenario_toml", "scenario_value",
           "set_keys", "text_value"]

ASSUMPTION_FILES = ("assumptions_spacecraft.csv", "assumptions_economics.csv", "assumptions_links.csv",
                    "assumptions_timeline.csv")

#: Names of :data:`orbitcompute.WORKLOADS` and of the :class:`orbitcompute.OpticalTerminal`
#: presets (kept here so that validating a scenario imports neither module).
WORKLOAD_PRESETS = ("text_inference", "multimodal_inference", "training", "batch", "peer_text_inference",
                    "peer_multimodal_inference")
OPTICAL_TERMINALS = ("relay_isl", "suncatcher_isl", "leo_downlink")


class ScenarioError(InputError):
    """A scenario value is missing, unknown, of the wrong unit or out of range."""

    def __init__(self, source: str, key: str, value: Any, expected: str):
        self.source, self.key, self.value, self.expected = source, key, value, expected
        if value == "(unknown key)":
            msg = f"{source}: unknown key [{key}]; {expected}"
        elif value == "(missing)":
            msg = f"{source}: missing [{key}]: expected {expected}"
        else:
            msg = f"{source}: [{key}] = {value!r} is not valid: expected {expected}"
        super().__init__(msg)


def default_assumptions() -> dict[str, Assumption]:
    """All shipped default assumptions, keyed by name (spacecraft then economics)."""
    out: dict[str, Assumption] = {}
    for f in ASSUMPTION_FILES:
        out.update(read_assumptions(f))
    return out


# ---------------------------------------------------------------------- schema
# Each field: (kind, unit or choices, required, default, (lo, hi) range, help)
_Q, _INT, _FLOAT, _STR, _BOOL, _CHOICE, _LIST = "quantity", "int", "float", "str", "bool", "choice", "list"

SCHEMA: dict[str, dict[str, tuple]] = {
    "scenario": {
        "name": (_STR, None, True, None, None, "a title for reports"),
        "description": (_STR, None, False, "", None, "free text"),
        "start": (_STR, None, False, "2026-01-01T00:00:00Z", None, "ISO 8601 UTC start of the analysis"),
    },
    "workload": {
        "it_power": (_Q, "W", True, None, (1e3, 1e13), "IT power of the deployment, e.g. \"40 MW\""),
        "latency_requirement": (_Q, "s", False, "100 ms", (1e-3, 10.0), "p95 round-trip time users need"),
        "preset": (_CHOICE, WORKLOAD_PRESETS, False, None, None,
                   "a named workload (orbitcompute.WORKLOADS): its data per FLOP and latency class"),
        "data_per_accelerator_hour": (_Q, "byte", False, None, (0.0, 1e15),
                                      "data moved to and from users per accelerator-hour, e.g. \"1 GB\" "
                                      "(instead of a preset; default 1 GB when neither is given)"),
        "buffered": (_BOOL, None, False, None, None,
                     "true: work waits for link capacity (batch); default: the preset's latency class, else false"),
        "accelerator": (_STR, None, False, "H100 SXM", None, "name shown in reports"),
    },
    "orbit": {
        "it_power_per_satellite": (_Q, "W", False, "100 kW", (1.0, 1e9), "compute power per satellite"),
        "battery": (_BOOL, None, False, True, None, "true: batteries carry the compute through eclipse"),
        "cell": (_CHOICE, ("triple_junction", "silicon"), False, "triple_junction", None, "solar cell type"),
        "attitude": (_CHOICE, ("two_axis", "one_axis"), False, "two_axis", None,
                     "array pointing (a body-fixed array needs its normal: use the power module directly)"),
        "radiator_orientation": (_CHOICE, ("edge_on", "zenith", "nadir", "anti_sun"), False, "edge_on", None,
                                 "radiator face normal"),
        "two_sided_radiator": (_BOOL, None, False, True, None, "radiate from both faces"),
        "ground_stations": (_INT, None, False, 8, (0, 1000), "gateways, placed at the largest cloud-region cities"),
        "min_elevation": (_Q, "deg", False, "25 deg", (0.0, 89.0), "minimum elevation of ground links"),
        "sunlight_step": (_Q, "s", False, "60 s", (1.0, 3600.0), "sampling step of the year of sunlight"),
    },
    "orbit.cluster": {
        "kind": (_CHOICE, ("sun_synchronous", "walker_delta", "walker_star"), False, "sun_synchronous", None,
                 "orbit family of the compute satellites"),
        "altitude": (_Q, "m", False, "650 km", (160e3, 40000e3), "orbit altitude"),
        "ltan": (_Q, "hour", False, "18 h", (0.0, 24.0), "local time of the ascending node (sun-synchronous)"),
        "inclination": (_Q, "deg", False, "53 deg", (0.0, 180.0), "inclination (Walker)"),
        "planes": (_INT, None, False, 1, (1, 1000), "orbital planes"),
        "phasing": (_INT, None, False, 0, (0, 1000), "Walker phasing factor F"),
    },
    "orbit.relay": {
        "kind": (_CHOICE, ("walker_delta", "walker_star", "none"), False, "walker_delta", None,
                 "relay constellation with inter-satellite links; \"none\" for ground access only"),
        "total": (_INT, None, False, 1584, (1, 100000), "satellites"),
        "planes": (_INT, None, False, 72, (1, 1000), "planes"),
        "phasing": (_INT, None, False, 1, (0, 1000), "Walker phasing factor F"),
        "altitude": (_Q, "m", False, "550 km", (160e3, 40000e3), "altitude"),
        "inclination": (_Q, "deg", False, "53 deg", (0.0, 180.0), "inclination"),
    },
    "orbit.links": {
        "cluster_terminals": (_INT, None, False, 2, (1, 16),
                              "optical terminals per cluster satellite, each linked to a nearest relay satellite"),
        "isl_terminal": (_CHOICE, OPTICAL_TERMINALS, False, "relay_isl", None,
                         "optical terminal of the cluster-to-relay links (orbitcompute.OpticalTerminal preset)"),
        "downlink_terminal": (_CHOICE, OPTICAL_TERMINALS, False, "leo_downlink", None,
                              "optical terminal of the cluster-to-ground-station downlinks (no relay)"),
        "downlink_rate_cap": (_Q, "bit/s", False, None, (1e6, 1e14),
                              "override the downlink terminal's total modem rate, e.g. \"200 Gbit/s\""),
        "station_sites": (_CHOICE, ("optical_sites", "cloud_regions"), False, None, None,
                          "where ground stations stand: the shipped optical ground sites (with clear-sky "
                          "statistics) or the cloud regions of the most populous countries; default: optical "
                          "sites when the stations carry the data (no relay), cloud regions with a relay"),
        "station_min_elevation": (_Q, "deg", False, None, (0.0, 89.0),
                                  "elevation mask of the ground stations; default 20 deg when they carry the "
                                  "data over optical downlinks (no relay: below it the air mass costs >10 dB), "
                                  "10 deg (a gateway/TT&C mask) with a relay"),
        "weather": (_CHOICE, ("site", "flat", "clear"), False, "site", None,
                    "optical ground links under cloud: per-site clear-sky fractions, one flat fraction "
                    "(assumption clear_sky_fraction) for every station, or always clear"),
        "weather_correlation": (_CHOICE, ("independent", "comonotone"), False, "independent", None,
                                "weather across stations: independent, or perfectly correlated (pessimistic)"),
    },
    "terrestrial": {
        "providers": (_LIST, ("aws", "gcp", "azure"), False, ["aws", "gcp", "azure"], None,
                      "cloud providers whose regions are the terrestrial candidates"),
        "pue": (_FLOAT, None, False, None, (1.0, 3.0), "override the PUE of every site"),
    },
    "regions": {
        "kind": (_CHOICE, ("continent", "subregion", "countries"), False, "continent", None, "how users are grouped"),
        "codes": (_LIST, None, False, [], None, "continent codes, subregion names or ISO country codes"),
        "cities_per_region": (_INT, None, False, 8, (1, 1000), "largest cities representing each region"),
    },
    "analysis": {
        "latency_hours": (_Q, "hour", False, "6 h", (0.01, 240.0), "span of the latency time series"),
        "latency_step": (_Q, "s", False, "120 s", (1.0, 3600.0), "snapshot step of the latency series"),
        "seed": (_INT, None, False, 0, (0, 2**32 - 1), "Monte Carlo seed"),
        "draws": (_INT, None, False, 10000, (1, 10_000_000), "Monte Carlo draws"),
    },
}
_SECTIONS = ("scenario", "workload", "orbit", "terrestrial", "regions", "analysis", "assumptions")


def _expect(kind, unit_or_choices, rng) -> str:
    if kind == _Q:
        r = f" between {rng[0]:g} and {rng[1]:g} {unit_or_choices}" if rng else ""
        example = {"W": "40 MW", "s": "100 ms", "m": "650 km", "deg": "53 deg", "hour": "18 h",
                   "byte": "1 GB"}.get(unit_or_choices, "1 " + unit_or_choices)
        return f"a quantity in units of {unit_or_choices!r}{r}, written as a string such as \"{example}\""
    if kind == _CHOICE:
        return f"one of {', '.join(repr(c) for c in unit_or_choices)}"
    if kind == _LIST:
        return "a list" + (f" of {', '.join(repr(c) for c in unit_or_choices)}" if unit_or_choices else "")
    r = f" in [{rng[0]}, {rng[1]}]" if rng else ""
    return {"int": "an integer", "float": "a number", "str": "a string", "bool": "true or false"}[kind] + r


def _quantity(value: Any, unit: str, where: tuple[str, str], expected: str) -> pint.Quantity:
    src, key = where
    if isinstance(value, pint.Quantity):
        q = value
    elif isinstance(value, str):
        try:
            q = parse_quantity(value)  # every pint/tokenize failure as InputError
        except InputError as exc:
            raise ScenarioError(src, key, value, f"{expected}; {exc}") from None
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and str(u.Unit(unit)) in ("", "dimensionless"):
        q = Quantity(float(value), "dimensionless")
    else:
        raise ScenarioError(src, key, value, expected + "; a bare number needs its unit in a string")
    try:
        out = q.to(unit)
    except pint.errors.DimensionalityError:
        raise ScenarioError(src, key, value, expected + f"; got units of {q.units:~P}") from None
    except Exception as exc:  # noqa: BLE001 - e.g. OverflowError converting W**1e11
        raise ScenarioError(src, key, value, f"{expected}; could not convert it ({type(exc).__name__})") from None
    if np.ndim(out.m) or not np.isfinite(out.m):
        raise ScenarioError(src, key, value, expected + "; it must be one finite number")
    return out


def _check(kind, spec, value, rng, where):
    src, key = where
    expected = _expect(kind, spec, rng)
    if kind == _Q:
        q = _quantity(value, spec, where, expected)
        if rng and not rng[0] <= q.m <= rng[1]:
            raise ScenarioError(src, key, value, expected)
        return q
    if kind == _INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScenarioError(src, key, value, expected)
    elif kind == _FLOAT:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScenarioError(src, key, value, expected)
        value = float(value)
        if not np.isfinite(value):
            raise ScenarioError(src, key, value, expected + " (finite)")
    elif kind == _STR and not isinstance(value, str):
        raise ScenarioError(src, key, value, expected)
    elif kind == _BOOL and not isinstance(value, bool):
        raise ScenarioError(src, key, value, expected)
    elif kind == _CHOICE and value not in spec:
        raise ScenarioError(src, key, value, expected)
    elif kind == _LIST:
        if not isinstance(value, list) or (spec and any(v not in spec for v in value)):
            raise ScenarioError(src, key, value, expected)
        return list(value)
    if rng and kind in (_INT, _FLOAT) and not rng[0] <= value <= rng[1]:
        raise ScenarioError(src, key, value, expected)
    return value


def _unknown(src: str, path: str, key: str, known) -> ScenarioError:
    close = difflib.get_close_matches(key, list(known), n=3)
    hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else f"known keys: {', '.join(sorted(known))}"
    return ScenarioError(src, f"{path}.{key}" if path else key, "(unknown key)", hint)


def _section(src: str, path: str, table: Any) -> dict[str, Any]:
    spec = SCHEMA[path]
    if not isinstance(table, dict):
        raise ScenarioError(src, path, table, "a table of keys")
    out = {}
    for key, value in table.items():
        if path == "orbit" and key in ("cluster", "relay", "links"):
            continue
        if key not in spec:
            raise _unknown(src, path, key, spec)
    for key, (kind, unit, required, default, rng, _help) in spec.items():
        where = (src, f"{path}.{key}")
        if key in table:
            out[key] = _check(kind, unit, table[key], rng, where)
        elif required:
            raise ScenarioError(src, f"{path}.{key}", "(missing)", _expect(kind, unit, rng) + f" ({_help})")
        else:
            out[key] = _check(kind, unit, default, rng, where) if default is not None else None
    return out


def _assumption(src: str, name: str, raw: Any, base: Assumption) -> Assumption:
    unit = base.unit or "dimensionless"
    key = f"assumptions.{name}"
    example = f"{base.value.m:g} {base.unit}" if base.unit else f"{base.value.m:g}"
    expected = f"a value in units of {unit!r} (default {base.describe()}), e.g. \"{example}\""

    def q(v, sub):
        if isinstance(v, (int, float)) and not isinstance(v, bool) and unit == "dimensionless":
            if not np.isfinite(v):
                raise ScenarioError(src, f"{key}{sub}", v, expected + "; a finite number")
            return float(v)
        return _quantity(v, unit, (src, f"{key}{sub}"), expected).m

    if isinstance(raw, dict):
        allowed = {"value", "low", "high", "source", "year", "distribution", "note"}
        for k in raw:
            if k not in allowed:
                raise _unknown(src, key, k, allowed)
        if "value" not in raw:
            raise ScenarioError(src, key + ".value", "(missing)", expected)
        value = q(raw["value"], ".value")
        low = q(raw["low"], ".low") if "low" in raw else (base.low.m if base.low is not None else None)
        high = q(raw["high"], ".high") if "high" in raw else (base.high.m if base.high is not None else None)
        year = raw.get("year", None)
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise ScenarioError(src, key + ".year", year, "an integer year")
        source = raw.get("source", f"scenario {src}")
        if not isinstance(source, str):
            raise ScenarioError(src, key + ".source", source, "a string")
        dist = raw.get("distribution", getattr(base, "distribution", "triangular"))
        extra = {"distribution": dist} if hasattr(base, "distribution") else {}
        if low is not None and high is not None and not min(low, high) <= value <= max(low, high):
            raise ScenarioError(src, key, raw, f"a value inside its range [{low:g}, {high:g}] {unit}")
        return Assumption(name, value, base.unit, source, year, low, high, raw.get("note", ""), **extra)
    value = q(raw, "")
    low = base.low.m if base.low is not None else None
    high = base.high.m if base.high is not None else None
    if low is not None and high is not None and not min(low, high) <= value <= max(low, high):
        # a point value outside the default range widens the range to include it
        low, high = min(low, value), max(high, value)
    return Assumption(name, value, base.unit, f"scenario {src} (default: {base.source})", None, low, high,
                      base.note, **({"distribution": base.distribution} if hasattr(base, "distribution") else {}))


# ---------------------------------------------------------------------- setting keys
def scenario_value(value: Any) -> Any:
    """``value`` as a scenario file would give it: a pint quantity becomes its text at
    full precision (``"650.0 kilometer"``), a numpy scalar its Python number."""
    if isinstance(value, pint.Quantity):
        return f"{value.m!r} {value.units}"
    if isinstance(value, np.generic):
        return value.item()
    return value


def set_keys(raw: Mapping, items: Iterable[tuple[str, Any]], *, source: str = "<dict>") -> dict:
    """A deep copy of scenario data ``raw`` with each ``(key, value)`` set.

    The one place scenario keys are set (the CLI's ``--set``, sweeps, design points and
    :meth:`Scenario.with_values` all come here).

    Parameters
    ----------
    raw : mapping
        Scenario data (the structure of the TOML file, e.g. ``Scenario.raw``).
    items : iterable of (str, value)
        An assumption name (``"launch_price"``) or a dotted scenario key
        (``"orbit.cluster.altitude"``), and its value (see :func:`scenario_value`).
    source : str
        Named in the error when a key runs through a value that is not a table.

    Returns
    -------
    dict
        New data; ``raw`` is not modified.  Validate it with :meth:`Scenario.from_dict`.
    """
    data = copy.deepcopy(dict(raw))
    for key, value in items:
        value = scenario_value(value)
        if "." not in key:
            data["assumptions"] = dict(data.get("assumptions", {}))
            data["assumptions"][key] = value
            continue
        *path, last = key.split(".")
        node = data
        for p in path:
            if not isinstance(node.get(p, {}), dict):
                raise InputError(f"{key}: [{p}] is not a table in {source}; scenario keys are written "
                                 "SECTION.KEY (e.g. orbit.cluster.altitude)")
            node = node.setdefault(p, {})
        node[last] = value
    return data


def text_value(name: str, text: Any, assumptions: Mapping[str, Assumption], option: str = "--set") -> Any:
    """A value written as text (a command line's ``NAME=VALUE``) as the value the schema
    expects: an int, float, bool or list for such scenario keys; for an assumption, a bare
    number is taken in the assumption's own unit.  Other text stays as written, for the
    validation to judge; non-text values pass through."""
    if not isinstance(text, str):
        return text
    text = text.strip()
    if "." in name:
        section, key = name.rsplit(".", 1)
        if section not in SCHEMA:
            raise InputError(f"{option} {name}: [{section}] is not a scenario section; scenario keys are written "
                             f"SECTION.KEY with SECTION one of {', '.join(SCHEMA)}, or give an assumption name")
        kind = SCHEMA[section].get(key, ("str", None))[0]
        try:
            if kind == "int":
                return int(text)
            if kind == "float":
                return float(text)
        except ValueError:
            return text
        if kind == "bool":
            return {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}.get(
                text.lower(), text)
        if kind == "list":
            return [v for v in text.replace("+", " ").split() if v]
        return text
    a = assumptions.get(name)
    if a is None:
        return text  # the scenario validation names it and suggests close names
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{value!r} {a.unit}" if a.unit else value


# ---------------------------------------------------------------------- scenario
@dataclass(frozen=True)
class Scenario:
    """A validated scenario: sections as dicts of checked values, and the assumptions.

    Build with :func:`load_scenario`, :meth:`from_dict` or :meth:`default`.
    """

    source: str
    scenario: dict
    workload: dict
    orbit: dict
    cluster: dict
    relay: dict
    terrestrial: dict
    regions: dict
    analysis: dict
    assumptions: dict = field(repr=False)
    raw: dict = field(repr=False, default_factory=dict)
    links: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.scenario["name"]

    @classmethod
    def from_dict(cls, data: dict, source: str = "<dict>") -> "Scenario":
        """Validate a scenario given as nested dicts (the structure of the TOML file)."""
        if not isinstance(data, dict):
            raise ScenarioError(source, "", data, "a table of sections")
        for key in data:
            if key not in _SECTIONS:
                raise _unknown(source, "", key, _SECTIONS)
        if "scenario" not in data:
            raise ScenarioError(source, "scenario", "(missing)", "a [scenario] table with at least name")
        if "workload" not in data:
            raise ScenarioError(source, "workload", "(missing)", "a [workload] table with at least it_power")
        orbit_raw = data.get("orbit", {})
        if not isinstance(orbit_raw, dict):
            raise ScenarioError(source, "orbit", orbit_raw, "a table")
        sections = {name: _section(source, name, data.get(name, {}))
                    for name in ("scenario", "workload", "orbit", "terrestrial", "regions", "analysis")}
        cluster = _section(source, "orbit.cluster", orbit_raw.get("cluster", {}))
        relay = _section(source, "orbit.relay", orbit_raw.get("relay", {}))
        links = _section(source, "orbit.links", orbit_raw.get("links", {}))

        try:
            to_time(sections["scenario"]["start"], "start")
        except InputError as exc:
            raise ScenarioError(source, "scenario.start", sections["scenario"]["start"], str(exc)) from None
        w_raw = data.get("workload", {})
        if isinstance(w_raw, dict) and "preset" in w_raw and "data_per_accelerator_hour" in w_raw:
            raise ScenarioError(source, "workload.data_per_accelerator_hour", w_raw["data_per_accelerator_hour"],
                                f"either a preset (workload.preset = {w_raw['preset']!r} sets the data per FLOP) "
                                "or a volume per accelerator-hour, not both: drop one (keep the preset's latency "
                                "class with a volume through workload.buffered)")
        if cluster["kind"] != "sun_synchronous" and "inclination" not in orbit_raw.get("cluster", {}):
            raise ScenarioError(source, "orbit.cluster.inclination", "(missing)",
                                f"an inclination for a {cluster['kind']} cluster")
        defaults = default_assumptions()
        raw_a = data.get("assumptions", {})
        if not isinstance(raw_a, dict):
            raise ScenarioError(source, "assumptions", raw_a, "a table of name = value")
        assumptions = dict(defaults)
        for name, raw in raw_a.items():
            if name not in defaults:
                raise _unknown(source, "assumptions", name, defaults)
            assumptions[name] = _assumption(source, name, raw, defaults[name])
        return cls(source=source, cluster=cluster, relay=relay, assumptions=assumptions, raw=data, links=links,
                   **sections)

    @classmethod
    def default(cls) -> "Scenario":
        """The embedded default scenario (``orbitcompute/data/default_scenario.toml``)."""
        text = resources.files("orbitcompute").joinpath("data", "default_scenario.toml").read_text("utf-8")
        return cls.from_dict(tomllib.loads(text), source="default_scenario.toml")

    def with_values(self, values: Mapping[str, Any], *, source: str | None = None) -> "Scenario":
        """A copy with scenario keys or assumptions set, validated like a scenario file.

        Parameters
        ----------
        values : mapping
            Name -> value: dotted scenario keys (``"orbit.cluster.altitude": "650 km"``) or
            assumption names (``"launch_price": "200 USD/kg"``), values as a scenario file
            gives them (pint quantities are written as their text); see :func:`set_keys`.
        source : str, optional
            The source named by the copy's error messages (default: this scenario's).

        Examples
        --------
        >>> import orbitcompute as oc
        >>> s = oc.Scenario.default().with_values({"orbit.cluster.altitude": 700 * oc.u.km})
        >>> s.cluster["altitude"].to("km")
        <Quantity(700.0, 'kilometer')>
        """
        src = self.source if source is None else source
        return Scenario.from_dict(set_keys(self.raw, values.items(), source=src), source=src)

    def with_assumptions(self, **values) -> "Scenario":
        """A copy with some assumptions set (values with units or bare numbers for
        dimensionless ones), keeping everything else (:meth:`with_values`).

        Examples
        --------
        >>> import orbitcompute as oc
        >>> s = oc.Scenario.default().with_assumptions(launch_price="200 USD/kg")
        >>> s.assumptions["launch_price"].value
        <Quantity(200.0, 'USD / kilogram')>
        """
        return self.with_values(values)

    def to_dict(self) -> dict:
        """The scenario as given (for recording next to results)."""
        return self.raw


# ---------------------------------------------------------------------- writing
def _toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return ("nan" if math.isnan(f) else ("inf" if f > 0 else "-inf")) if not math.isfinite(f) else repr(f)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if hasattr(v, "units"):  # a pint quantity given in Python: its text form reads back
        return json.dumps(str(v))
    raise InputError(f"scenario: value {v!r} of type {type(v).__name__} cannot be written as TOML")


def scenario_toml(data: dict) -> str:
    """The scenario's nested dict (``Scenario.to_dict()``) as TOML text that reads back
    to the same dict with :mod:`tomllib` (comments of the original file are not kept).

    Parameters
    ----------
    data : dict
        Sections of scalars, lists and nested tables.

    Returns
    -------
    str

    Examples
    --------
    >>> scenario_toml({"scenario": {"name": "demo"}, "workload": {"it_power": "1 MW"}}).splitlines()
    ['[scenario]', 'name = "demo"', '', '[workload]', 'it_power = "1 MW"']
    """
    lines: list[str] = []

    def table(path: list[str], d: dict):
        scalars = [(k, v) for k, v in d.items() if not isinstance(v, dict)]
        subs = [(k, v) for k, v in d.items() if isinstance(v, dict)]
        if path and (scalars or not subs):
            if lines:
                lines.append("")
            lines.append("[" + ".".join(_toml_key(p) for p in path) + "]")
        for k, v in scalars:
            lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
        for k, v in subs:
            table(path + [k], v)

    top_scalars = {k: v for k, v in data.items() if not isinstance(v, dict)}
    for k, v in top_scalars.items():
        lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
    for k, v in data.items():
        if isinstance(v, dict):
            table([k], v)
    return "\n".join(lines)



def load_scenario(path: str | Path | None = None) -> Scenario:
    """Read and validate a scenario TOML file (the embedded default when ``path`` is None).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ScenarioError
        With the file name, key path, value and what is expected.
    """
    if path is None:
        return Scenario.default()
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"scenario file {p} does not exist (or is not a file)")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(str(p), "", "(file)", f"valid TOML: {exc}") from None
    return Scenario.from_dict(data, source=str(p))
