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


# ---------------------------------------------------------------------- one way to set keys
def test_set_keys_copies_and_sets_dotted_keys_and_assumptions():
    from orbitcompute.scenario import set_keys

    s = oc.Scenario.default()
    before = copy.deepcopy(s.raw)
    data = set_keys(s.raw, [("orbit.cluster.altitude", 700 * oc.u.km), ("launch_price", "250 USD/kg"),
                            ("orbit.links.weather", "flat")])
    assert s.raw == before  # the input is not modified
    assert isinstance(data["orbit"]["cluster"]["altitude"], str)  # written as a scenario file gives it
    assert oc.u.Quantity(data["orbit"]["cluster"]["altitude"]) == 700 * oc.u.km
    assert data["assumptions"]["launch_price"] == "250 USD/kg"
    assert data["orbit"]["links"]["weather"] == "flat"
    new = oc.Scenario.from_dict(data)
    assert new.cluster["altitude"].m_as("km") == 700.0 and new.assumptions["launch_price"].si() == 250.0
    # a quantity keeps its full precision (a %g rendering would round it to 6 digits)
    q = 1234.56789012 * oc.u.km
    assert oc.Scenario.from_dict(set_keys(s.raw, [("orbit.cluster.altitude", q)])).cluster["altitude"].m_as(
        "km") == q.m
    with pytest.raises(oc.InputError, match=r"\[name\] is not a table"):
        set_keys(s.raw, [("scenario.name.x", 1)])


def test_text_value_reads_command_line_text_by_the_schema():
    from orbitcompute.scenario import text_value

    a = oc.Scenario.default().assumptions
    assert text_value("orbit.ground_stations", "4", a) == 4
    assert text_value("orbit.battery", "no", a) is False
    assert text_value("launch_price", "300", a) == f"{300.0!r} {a['launch_price'].unit}"  # its own unit
    assert text_value("launch_price", "300 USD/kg", a) == "300 USD/kg"  # left for the validation
    assert text_value("orbit.cluster.altitude", 700, a) == 700  # not text: passes through
    with pytest.raises(oc.InputError, match=r"\[nosuch\] is not a scenario section"):
        text_value("nosuch.key", "1", a)


def test_the_cli_and_the_api_set_a_key_to_the_same_scenario():
    from orbitcompute._cliutil import _apply_sets

    s = oc.Scenario.default()
    cli = _apply_sets(s, [("orbit.cluster.altitude", "700 km"), ("launch_price", "300")])
    api = s.with_values({"orbit.cluster.altitude": "700 km", "launch_price": f"300.0 {s.assumptions['launch_price'].unit}"})
    assert cli.raw == api.raw
