"""The plotting package: one palette, the old ``plot_*`` names of the domain modules (moved
into ``orbitcompute.plotting``, issue 12) warn and hand over the new functions, and the
figures read what the model computed instead of propagating."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import numpy as np
import pytest

import orbitcompute as oc
from orbitcompute import plotting
from orbitcompute.provenance import Assumption
from orbitcompute.sensitivity import FunctionModel, monte_carlo, tornado

u = oc.u
PKG = Path(__file__).resolve().parent.parent / "orbitcompute"

#: old module -> the plot_* names that moved out of it.
MOVED = {"eclipse": ["plot_eclipse_year"], "latency": ["plot_rtt_cdf", "plot_rtt_series"],
         "power": ["plot_energy"], "regions": ["plot_region_map"],
         "sensitivity": ["plot_tornado", "plot_distribution"], "thermal": ["plot_temperature"]}
SHIMS = [(mod, name) for mod, names in MOVED.items() for name in names]


def _labels(out):
    """Axis labels of every axes of a Figure (or of one Axes): what the figure says."""
    axes = out.axes if hasattr(out, "savefig") else [out]
    return [(ax.get_xlabel(), ax.get_ylabel(), len(ax.lines), len(ax.patches)) for ax in axes]


@pytest.fixture(scope="module")
def inputs():
    """Small arguments for each moved function (no model run)."""
    sso = oc.Constellation.sun_synchronous(altitude=650 * u.km, ltan=18 * u.hour, epoch="2026-06-01T00:00:00Z")
    start, stop = "2026-06-01T00:00:00Z", "2026-06-03T00:00:00Z"
    hist = oc.sunlight_history(sso, start, "2026-06-01T03:00:00Z", 60 * u.s, satellite=0)
    arr = oc.size_array(hist, 10 * u.kW)
    es = oc.energy_series(hist, 10 * u.kW, arr, oc.size_battery(hist, 10 * u.kW))
    temps = oc.transient_temperature(hist, area=1 * u.m**2, heat_capacity=10 * u.kJ / u.K)
    m = FunctionModel([Assumption("a", 2.0, "kg", low=1.0, high=3.0), Assumption("b", 1.0, "", low=0.5, high=2.0)],
                      lambda a, b: {"y": a * b})
    rtt = np.array([[10.0, 12.0, np.nan], [30.0, 31.0, 29.0]]) * u.ms
    times = oc.time_grid("2026-06-01T00:00:00Z", "2026-06-01T00:02:00Z", 60 * u.s)
    return {
        "plot_eclipse_year": ((sso, start, stop), {}),
        "plot_rtt_cdf": ((rtt,), {"weights": [1.0, 2.0], "regions": ["A", "B"]}),
        "plot_rtt_series": ((times, rtt), {"names": ["x", "y"]}),
        "plot_energy": ((es,), {}),
        "plot_region_map": (({"FR": 10 * u.ms, "US": 40 * u.ms},), {"label": "median RTT"}),
        "plot_tornado": ((tornado(m, "y", output_unit="kg"),), {}),
        "plot_distribution": ((monte_carlo(m, 500), "y"), {"unit": "kg"}),
        "plot_temperature": ((temps,), {}),
    }


@pytest.mark.parametrize(("module", "name"), SHIMS, ids=[f"{m}.{n}" for m, n in SHIMS])
def test_old_name_warns_and_returns_the_new_function(module, name, inputs):
    """``orbitcompute.<module>.<name>`` warns (DeprecationWarning naming the new place) and is
    the function of ``orbitcompute.plotting``, so calling it draws the same figure."""
    mod = importlib.import_module(f"orbitcompute.{module}")
    with pytest.warns(DeprecationWarning, match=re.escape(
            f"orbitcompute.{module}.{name} moved to orbitcompute.plotting.{name}; the old name goes in the "
            "next release")):
        old = getattr(mod, name)
    new = getattr(plotting, name)
    assert old is new
    args, kwargs = inputs[name]
    assert _labels(old(*args, **kwargs)) == _labels(new(*args, **kwargs))
    assert name not in mod.__all__ and name not in vars(mod)


def test_old_names_import_with_a_warning():
    """``from orbitcompute.latency import plot_rtt_cdf`` still works, with the warning."""
    with pytest.warns(DeprecationWarning, match="orbitcompute.latency.plot_rtt_cdf moved"):
        from orbitcompute.latency import plot_rtt_cdf
    assert plot_rtt_cdf is plotting.plot_rtt_cdf
    with pytest.raises(AttributeError, match="no attribute 'plot_nothing'"):
        oc.latency.plot_nothing  # noqa: B018


def test_top_level_names_are_the_plotting_functions():
    """``oc.plot_*`` keep working, without a warning (warnings are errors here)."""
    for name in ("plot_rtt_cdf", "plot_rtt_series", "plot_region_map", "plot_tornado", "plot_distribution"):
        assert getattr(oc, name) is getattr(plotting, name)
    assert set(plotting.__all__) <= set(dir(plotting))


def test_one_palette():
    """The Okabe-Ito hex colours are written in exactly one module: plotting/_style.py."""
    blue = re.compile(r"#0072B2", re.I)
    where = sorted(str(p.relative_to(PKG)) for p in PKG.rglob("*.py") if blue.search(p.read_text(encoding="utf-8")))
    assert where == ["plotting/_style.py"]
    assert plotting.VERDICT_COLOURS == {"orbital": plotting.OKABE_ITO[0], "terrestrial": plotting.OKABE_ITO[1]}


def test_plotting_does_not_propagate():
    """No module of the plotting package calls the propagators or geometry searches: the
    figures read ``result.geometry`` (or call a domain function that returns data)."""
    calls = re.compile(r"\b(?:sunlight_history|find_eclipses|find_passes|beta_angle|propagate|states_si|iter_states)"
                       r"\s*\(|\.(?:positions|states|velocities)\s*\(")
    bad = {p.name: calls.findall(p.read_text(encoding="utf-8")) for p in (PKG / "plotting").glob("*.py")}
    assert {k: v for k, v in bad.items() if v} == {}


def test_figure_data_in_the_geometry():
    """The model computes what the figures read: the worst orbit's energy series matches a
    fresh :func:`energy_series` over that orbit (same inputs, so to float rounding), and the
    ground tracks are the constellations' geodetic sub-points."""
    from orbitcompute.frames import ecef_to_geodetic
    from orbitcompute.time import offset

    model = oc.FeasibilityModel(oc.Scenario.default(), quick=True)
    g = model.geometry
    arr, hist = g.array, g.history
    t0 = offset(hist.epoch, float(arr.orbit_start_s[arr.worst_orbit]))
    h = oc.sunlight_history(g.cluster, t0, offset(t0, float(hist.period_s)), 10 * u.s, satellite=0)
    load = model.scenario.orbit["it_power_per_satellite"].m_as("W") * (
        1 + model.scenario.assumptions["bus_power_fraction"].value.m_as(""))
    ref = oc.energy_series(h, load * u.W, arr, g.battery)
    got = g.worst_orbit_energy
    np.testing.assert_allclose(got.stored_j, ref.stored_j, rtol=1e-12)
    tr = g.ground_tracks
    period = float(g.cluster.period.m_as("s")[0])
    assert tr["period_s"] == period and tr["relay_satellites"] == len(g.relay)
    t_end = offset(g.times[0], 30.0 * (tr["cluster_lat_deg"].shape[1] - 1))
    lat, lon, _ = ecef_to_geodetic(g.cluster.positions(t_end, frame="itrs").m_as("m"))
    np.testing.assert_allclose(tr["cluster_lat_deg"][:, -1], np.degrees(lat), atol=1e-9)
    np.testing.assert_allclose(tr["cluster_lon_deg"][:, -1], np.degrees(lon), atol=1e-9)
    ey = g.eclipse_year
    assert ey.shadow_fraction == pytest.approx(g.shadow_fraction_year, rel=1e-15)
    assert len(ey.orbit_day) == len(ey.any_fraction) and np.all(ey.umbra_fraction <= ey.any_fraction + 1e-15)
    result = model.run()
    fig = plotting.ground_tracks(result, relay_sample=2)
    assert any("relay sample (2 of" in t.get_text() for t in fig.axes[0].get_legend().get_texts())
    with pytest.raises(oc.InputError, match="relay_sample"):
        plotting.ground_tracks(result, relay_sample=-1)
