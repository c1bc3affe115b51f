"""Scenario files: the default loads, overrides keep provenance, and every kind of bad
input is refused with the file, key path, value and what is expected."""

from __future__ import annotations

import copy
import tomllib

import pytest

import orbitcompute as oc
from orbitcompute.scenario import Scenario, ScenarioError, default_assumptions, load_scenario

MINIMAL = {"scenario": {"name": "t"}, "workload": {"it_power": "40 MW"}}


def test_default_scenario_loads():
    s = Scenario.default()
    assert s.workload["it_power"].m_as("MW") == 40
    assert s.cluster["kind"] == "sun_synchronous" and s.cluster["ltan"].m_as("hour") == 18
    assert s.relay["total"] == 1584
    assert set(default_assumptions()) == set(s.assumptions)
    # every shipped assumption carries a source; every ranged one has low <= value <= high
    for a in s.assumptions.values():
        assert a.source
        if a.low is not None and a.high is not None:
            assert min(a.low.m, a.high.m) <= a.value.m <= max(a.low.m, a.high.m), a.name


def test_minimal_scenario_takes_defaults():
    s = Scenario.from_dict(MINIMAL)
    assert s.orbit["battery"] is True and s.regions["kind"] == "continent"
    assert s.assumptions["launch_price"].value.m_as("USD/kg") == 1500


def test_assumption_overrides(tmp_path):
    text = """
[scenario]
name = "cheap launch"
[workload]
it_power = "1 GW"
[assumptions]
launch_price = { value = "200 USD/kg", low = "100 USD/kg", high = "500 USD/kg", source = "my study", year = 2030 }
utilization = 0.6
array_specific_power = "0.2 kW/kg"
"""
    p = tmp_path / "s.toml"
    p.write_text(text)
    s = load_scenario(p)
    lp = s.assumptions["launch_price"]
    assert lp.value.m_as("USD/kg") == 200 and lp.low.m == 100 and lp.source == "my study" and lp.year == 2030
    assert s.assumptions["utilization"].value.m == 0.6
    assert s.assumptions["array_specific_power"].value.m_as("W/kg") == pytest.approx(200)
    assert "default:" in s.assumptions["utilization"].source  # provenance of the default kept
    # with_assumptions round-trips through validation
    s2 = s.with_assumptions(launch_price="300 USD/kg")
    assert s2.assumptions["launch_price"].value.m_as("USD/kg") == 300


@pytest.mark.parametrize("patch, key, words", [
    ({"workload": {"it_power": "40 km"}}, "workload.it_power", "units of 'W'"),
    ({"workload": {"it_power": 40}}, "workload.it_power", "needs its unit"),
    ({"workload": {"it_power": "40 MW", "power": 1}}, "workload.power", "unknown key"),
    ({"orbit": {"cluster": {"altitude": "50 km"}}}, "orbit.cluster.altitude", "between 160000"),
    ({"orbit": {"cluster": {"kind": "molniya"}}}, "orbit.cluster.kind", "sun_synchronous"),
    ({"orbit": {"battery": "yes"}}, "orbit.battery", "true or false"),
    ({"orbit": {"ground_stations": 2.5}}, "orbit.ground_stations", "an integer"),
    ({"regions": {"kind": "planet"}}, "regions.kind", "continent"),
    ({"terrestrial": {"providers": ["aws", "ibm"]}}, "terrestrial.providers", "'gcp'"),
    ({"assumptions": {"launch_prize": "1 USD/kg"}}, "assumptions.launch_prize", "did you mean 'launch_price'"),
    ({"assumptions": {"launch_price": "1 USD"}}, "assumptions.launch_price", "USD/kg"),
    ({"assumptions": {"launch_price": {"value": "100 USD/kg", "low": "200 USD/kg", "high": "300 USD/kg"}}},
     "assumptions.launch_price", "inside its range"),
    ({"assumptions": {"launch_price": {"low": "200 USD/kg"}}}, "assumptions.launch_price.value", "missing"),
    ({"scenario": {"name": "t", "start": "2026-01-01"}}, "scenario.start", "UTC"),
    ({"sceanrio": {}}, "sceanrio", "did you mean 'scenario'"),
])
def test_bad_values_name_file_key_value_and_expectation(patch, key, words):
    data = copy.deepcopy(MINIMAL)
    for section, table in patch.items():
        if section in data and isinstance(table, dict):
            data[section] = {**data[section], **table}
        else:
            data[section] = table
    with pytest.raises(ScenarioError) as exc:
        Scenario.from_dict(data, source="study.toml")
    msg = str(exc.value)
    assert msg.startswith("study.toml:") and f"[{key}]" in msg and words in msg, msg
    assert isinstance(exc.value, ValueError)  # ScenarioError is an InputError (ValueError)


def test_missing_sections_and_files(tmp_path):
    with pytest.raises(ScenarioError, match=r"missing \[workload\]|\[workload\]"):
        Scenario.from_dict({"scenario": {"name": "t"}})
    with pytest.raises(ScenarioError, match=r"missing \[workload.it_power\]"):
        Scenario.from_dict({"scenario": {"name": "t"}, "workload": {}})
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_scenario(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario\nname = 1")
    with pytest.raises(ScenarioError, match="valid TOML"):
        load_scenario(bad)


def test_shipped_example_scenarios_validate():
    """Every scenario in examples/ loads (they are documentation that must not rot)."""
    from pathlib import Path

    files = sorted((Path(__file__).parent.parent / "examples").glob("*.toml"))
    assert files, "examples/*.toml missing"
    for f in files:
        s = load_scenario(f)
        assert s.name
        tomllib.loads(f.read_text())  # plain TOML too


def test_exports():
    assert oc.Scenario is Scenario and oc.load_scenario is load_scenario
