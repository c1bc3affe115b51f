"""The typed geometry (orbitcompute.geometry) and the evaluation schema (orbitcompute.evaluation)
on quick models of the default scenario (a relay) and of a ground-station scenario (no relay):
every field set with its documented type and shape, frozen, typos fail at once, every output
of evaluate() in exactly one schema family with a unit, the deprecated dict access warns."""

from __future__ import annotations

import dataclasses
import json
import pickle
import warnings

import numpy as np
import pytest

import orbitcompute as oc
from orbitcompute.evaluation import OUTPUTS, Evaluation, output_family
from orbitcompute.feasibility import FeasibilityModel
from orbitcompute.geometry import LATENCY_FIELDS, Geometry, RelayCapacity, StationCapacity

#: Fields that are None by design in the scenarios built here (and why).
NONE_IN_DEFAULT = {"station_site_clear_fraction",  # the relay's stations are cloud regions, not optical sites
                   "capacity_series_bps"}  # set on a result's geometry by run(), not on the model's
NONE_IN_GROUND = {"relay", "capacity_series_bps"}  # no relay


@pytest.fixture(scope="module")
def model():
    return FeasibilityModel(oc.Scenario.default(), quick=True)


@pytest.fixture(scope="module")
def ground():
    """1 MW (10 satellites) downlinking through the optical ground sites, no relay."""
    data = {"scenario": {"name": "ground"}, "workload": {"it_power": "1 MW"}, "orbit": {"relay": {"kind": "none"}}}
    return FeasibilityModel(oc.Scenario.from_dict(data), quick=True)


def _fields(cls) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def test_every_field_is_set_by_a_quick_run(model, ground):
    """Each field of Geometry holds a value in one of the two scenarios, None only where the
    docstring says so, with the documented shapes (n_place, n_time, n_site, n_station)."""
    for m, none in ((model, NONE_IN_DEFAULT), (ground, NONE_IN_GROUND)):
        g = m.geometry
        assert isinstance(g, Geometry)
        unset = {k for k in _fields(Geometry) if getattr(g, k) is None}
        assert unset == none, m.scenario.name
    g = model.geometry
    n_place, n_time, n_site, n_region = len(g.places), len(g.times), len(g.sites), len(g.regions)
    n_station = len(g.stations.names)
    assert g.owner.shape == g.weights.shape == (n_place,)
    assert g.rtt_orbital_ms.shape == (n_place, n_time)
    assert g.rtt_terrestrial_ms.shape == (n_place, n_site)
    assert g.station_clear_fraction.shape == g.station_contact.shape == (n_station,)
    assert set(g.region_rtt) == {r.name for r in g.regions}
    assert isinstance(g.capacity, RelayCapacity) and g.capacity.architecture == "relay"
    assert g.capacity.egress_bps.shape == (n_time,) and g.capacity.relay_satellites.shape == (n_region, n_time)
    c = ground.geometry.capacity
    assert isinstance(c, StationCapacity) and c.architecture == "ground"
    n_gs = len(ground.geometry.stations.names)
    assert c.station_rates_bps.shape == c.station_range_m.shape == c.station_elevation_rad.shape == (
        n_gs, len(ground.geometry.times))
    assert ("flat", "independent") in c.weather_alternatives


def test_every_field_is_documented():
    """One numpydoc entry per field, with its unit or type, in each class's docstring."""
    for cls in (Geometry, RelayCapacity, StationCapacity):
        doc = cls.__doc__
        missing = [k for k in _fields(cls) if f"\n    {k} : " not in doc]
        assert missing == [], (cls.__name__, missing)
    assert set(LATENCY_FIELDS) < set(_fields(Geometry))


def test_the_result_carries_the_capacity_series(model):
    """run() returns the model's geometry with the capacity series at the scenario's values
    (the model's own geometry is not changed: it is frozen and shared)."""
    res = model.run()
    g = res.geometry
    assert g.capacity_series_bps.shape == (len(g.regions), len(g.times))
    np.testing.assert_array_equal(g.capacity_series_bps, model.capacity_series())
    assert model.geometry.capacity_series_bps is None
    assert g.rtt_orbital_ms is model.geometry.rtt_orbital_ms  # the same arrays, not copies


def test_typos_fail_and_the_dataclass_is_frozen(model):
    g = model.geometry
    with pytest.raises(AttributeError):
        g.rtt_orbit_ms  # noqa: B018 - the typo is the test
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.n_sat = 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.capacity.egress_bps = None
    with pytest.raises(TypeError):
        Geometry(n_sats=3)  # keyword-only, every field named


def test_deprecated_dict_access_warns(model):
    """result.geometry["x"] still returns the field, with a DeprecationWarning saying what to use;
    an unknown key raises KeyError naming the valid fields."""
    g = model.geometry
    with pytest.warns(DeprecationWarning, match=r"result\.geometry\['n_sat'\] is deprecated: use result\.geometry\.n_sat"):
        assert g["n_sat"] == g.n_sat == 400
    with pytest.warns(DeprecationWarning, match="deprecated"):
        assert g["capacity"]["egress_bps"] is g.capacity.egress_bps
    with pytest.raises(KeyError, match="n_sats.*fields: quick, n_sat, "):
        g["n_sats"]
    with pytest.warns(DeprecationWarning):
        assert "rtt_orbital_ms" in g
    with pytest.raises(TypeError):
        iter(g)


def test_a_result_without_geometry_says_so(model):
    """A result read back from JSON (geometry None): figures refuse with the same message."""
    from orbitcompute import plotting

    res = dataclasses.replace(model.run(), geometry=None)
    with pytest.raises(oc.InputError, match="geometry has no 'eclipse_year'.*read back from JSON"):
        plotting.eclipse_year(res)


# --------------------------------------------------------------------------- evaluation
def test_every_output_is_in_exactly_one_family(model, ground):
    for m in (model, ground):
        ev = m.evaluate({})
        assert isinstance(ev, Evaluation)
        for key in ev:
            fams = [f for f in OUTPUTS if f.matches(key)]
            assert len(fams) == 1, (key, fams)
            assert output_family(key) is fams[0] and ev.unit(key) == fams[0].unit
            assert fams[0].meaning
        # every family occurs (no stale rows in the schema)
        assert {output_family(k).pattern for k in ev} == {f.pattern for f in OUTPUTS}
    # the units describe() gives are the schema's
    units = model.describe()["output_units"]
    assert units["orbital:cost_per_accelerator_hour:Europe"] == "USD/h"
    assert units["capacity_gbps:Europe"] == units["demand_gbps"] == "Gbit/s"
    assert units["ratio:Europe"] == units["served:Europe"] == ""
    assert all(oc.u.Quantity(1.0, u) is not None for u in set(units.values()))  # pint reads each unit


def test_the_schema_is_documented():
    """Each family in Evaluation's docstring and in docs/feasibility.md."""
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "feasibility.md").read_text(encoding="utf-8")
    for f in OUTPUTS:
        assert f"``{f.pattern}``" in Evaluation.__doc__, f.pattern
        assert f"`{f.pattern}`" in page, f.pattern
    assert len({f.pattern for f in OUTPUTS}) == len(OUTPUTS)


def test_unknown_output_suggests_close_matches(model):
    ev = model.evaluate({})
    with pytest.raises(KeyError, match="did you mean 'ratio:Europe'"):
        ev["ratio:Europa"]
    with pytest.raises(KeyError, match="orbital:cost_per_accelerator_hour"):
        ev["orbital:cost_per_acelerator_hour"]
    with pytest.raises(oc.InputError, match="no family.*close: orbital:launch_usd"):
        Evaluation({"orbital:launch_usdd": np.zeros(1)})


def test_evaluation_behaves_like_the_dict_it_was(model):
    """Read-only, but equal to, serialised and pickled like a plain dict of arrays."""
    ev = model.evaluate({})
    plain = dict(ev)
    assert type(plain) is dict and list(plain) == list(ev) and len(plain) == len(ev) == 104
    assert all(plain[k] is ev[k] for k in ev)
    assert json.loads(json.dumps(ev, default=lambda a: a.tolist())) == {k: v.tolist() for k, v in ev.items()}
    back = pickle.loads(pickle.dumps(ev))
    assert type(back) is Evaluation and all(np.array_equal(back[k], ev[k]) for k in ev)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert {k: float(v[0]) for k, v in ev.items()} == {k: float(v[0]) for k, v in plain.items()}
    for change in (lambda: ev.__setitem__("demand_gbps", 0), lambda: ev.pop("demand_gbps"),
                   lambda: ev.update(x=1), lambda: ev.__delitem__("demand_gbps"), ev.clear):
        with pytest.raises(TypeError, match="read-only"):
            change()
    assert "demand_gbps" in ev and ev.get("nope") is None
    n = model.evaluate({"launch_price": np.array([500.0, 1500.0, 3000.0])})
    assert all(v.shape == (3,) for v in n.values())
