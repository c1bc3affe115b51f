"""The feasibility report (orbitcompute.report) and its figures (orbitcompute.plotting),
on the embedded default scenario with the quick geometry.

One report is written per module (figures recorded as they are made); the refusal,
force and atomicity tests replace the figure functions by a stub so they run fast.
"""

from __future__ import annotations

import base64
import csv
import json
import math
import struct
import tomllib
from html.parser import HTMLParser

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

import orbitcompute as oc
from orbitcompute import plotting, report
from orbitcompute.regions import weighted_percentiles
from orbitcompute.report import scenario_toml, write_report
from orbitcompute.time import seconds_between

#: Every figure function of orbitcompute.plotting (the report calls each once).
FIGURES = ("verdict_map", "latency_map", "ground_tracks", "pass_timeline", "eclipse_year", "power_orbit",
           "sizing", "mass_breakdown", "cost_waterfall", "latency_cdf", "intensity_curve", "capacity_series",
           "timeline_chart", "crossover_chart", "tornado_chart", "monte_carlo_chart")


@pytest.fixture(scope="module")
def model():
    matplotlib.use("Agg")
    return oc.FeasibilityModel(oc.Scenario.default(), quick=True)


@pytest.fixture(scope="module")
def result(model):
    return model.run()


@pytest.fixture(scope="module")
def written(tmp_path_factory, model, result):
    """The report written with model= (so it runs its own tornado and Monte Carlo), the
    progress steps and every figure the plotting functions returned."""
    out = tmp_path_factory.mktemp("written") / "report"
    figures: dict[str, list] = {}
    steps: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        for name in FIGURES:
            func = getattr(plotting, name)

            def recorder(*args, _func=func, _name=name, **kwargs):
                fig = _func(*args, **kwargs)
                figures.setdefault(_name, []).append(fig)
                return fig

            mp.setattr(plotting, name, recorder)
        returned = write_report(result, out, model=model, progress=steps.append)
    assert returned == out
    return out, figures, steps


@pytest.fixture()
def fast_figures(monkeypatch):
    """Figure functions replaced by a tiny labelled figure (for the file-handling tests)."""
    def stub(*args, **kwargs):
        fig = Figure(figsize=(1, 1))
        ax = fig.subplots()
        ax.set_xlabel("x [-]")
        return fig

    for name in FIGURES:
        monkeypatch.setattr(plotting, name, stub)


class _Doc(HTMLParser):
    """Tags, attributes and text of the report, with the id of the enclosing section."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict, str | None]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.section: str | None = None
        self.in_style = False
        self.style = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h2" and "id" in a:
            self.section = a["id"]
        if "id" in a:
            self.ids.append(a["id"])
        self.in_style = tag == "style"
        self.tags.append((tag, a, self.section))

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.style += data
        self.text.append(data)


def _doc(path) -> _Doc:
    d = _Doc()
    d.feed((path / "report.html").read_text(encoding="utf-8"))
    return d


def _same(a, b, where="") -> None:
    """Equal JSON-like structures; NaN or infinity on one side is None (null) on the other."""
    if isinstance(b, dict):
        assert isinstance(a, dict) and set(a) == set(b), where
        for k in b:
            _same(a[k], b[k], f"{where}.{k}")
    elif isinstance(b, (list, tuple)):
        assert len(a) == len(b), where
        for k, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{k}]")
    elif isinstance(b, float) and not math.isfinite(b):
        assert a is None, where
    else:
        assert a == b, where  # exact: JSON keeps a float's shortest repr


def _leftovers(parent) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith(".")]


# ----------------------------------------------------------------------------- files
def test_files_and_progress(written):
    out, _, steps = written
    assert sorted(p.name for p in out.iterdir()) == ["regions.csv", "report.html", "results.json"]
    assert _leftovers(out.parent) == []  # the temporary build directory was renamed, not left behind
    assert steps[0] == "tornado" and steps[1].startswith("Monte Carlo") and steps[-1] == "moving the report into place"
    assert sum(s.startswith("figure: ") for s in steps) == len(FIGURES)


def test_results_json_equals_result(written, result, model):
    """results.json holds the result's numbers exactly, plus the studies the report ran:
    P(orbital cheaper) equals an independent run with the scenario's seed and draws."""
    out, _, _ = written
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    ref = result.to_dict()
    _same({k: data[k] for k in ref}, json.loads(json.dumps(ref, default=float)))
    a = result.scenario.analysis
    mc = oc.monte_carlo(model, a["draws"], seed=a["seed"])
    assert data["monte_carlo"]["n"] == a["draws"] and data["monte_carlo"]["seed"] == a["seed"]
    for r in result.regions:
        got = data["monte_carlo"]["regions"][r.region]
        ratio = mc.outputs[f"ratio:{r.region}"]
        assert got["p_orbital_cheaper"] == float(np.mean(ratio < 1.0))
        assert got["ratio_p50"] == pytest.approx(float(np.median(ratio)), rel=1e-12)
    # the tornado is of the region closest to parity; its base is the result's own ratio
    (t,) = data["tornado"]
    ratios = {r.region: r.orbital["cost_per_accelerator_hour"] / r.terrestrial["cost_per_accelerator_hour"]
              for r in result.regions}
    closest = min(ratios, key=ratios.get)
    assert t["output"] == f"ratio:{closest}"
    assert t["base_value"] == pytest.approx(ratios[closest], rel=1e-12)  # same arithmetic, two paths
    assert {row["assumption"] for row in t["rows"]} <= set(result.assumptions)


def test_regions_csv_equals_columns(written, result):
    out, _, _ = written
    with open(out / "regions.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cols = result.columns()
    assert [r["region"] for r in rows] == cols["region"]
    for k, r in enumerate(rows):
        assert r["verdict"] == cols["verdict"][k]
        assert float(r["orbital_usd_per_accelerator_hour"]) == cols["orbital_usd_per_accelerator_hour"][k]
        assert float(r["orbital_p95_ms"]) == cols["orbital_p95_ms"][k]


# ----------------------------------------------------------------------------- HTML
def test_html_shows_verdicts_assumptions_and_sections_in_order(written, result):
    out, _, _ = written
    d = _doc(out)
    text = " ".join(" ".join(d.text).split())
    assert result.scenario.name in text
    assert "Quick geometry" in text  # the reduced geometry is flagged
    # the verdict table comes first: each region's row with its verdict and binding constraint
    rows = [t for t in d.tags if t[0] == "tr"]
    assert len(rows) > len(result.regions)
    for r in result.regions:
        assert f"{r.region} {r.verdict} {r.binding_constraint}" in text
    for name in result.scenario.assumptions:  # every assumption, not only those the cost model varies
        assert name in text
    assert set(result.assumptions) <= set(result.scenario.assumptions)
    order = ["contents", "maps", "design", "cost", "latency", "uncertainty", "binding", "assumptions",
             "reproduce", "limits", "references"]
    h2 = [i for i in d.ids if i in order]
    assert h2 == order
    # break-evens in words; a None break-even is explained, not printed as "None"
    assert "None" not in text.replace("none,", "")
    for r in result.regions:
        if r.break_even["launch_price_usd_per_kg"] is None:
            assert "none, orbital costs more than terrestrial even with free launch" in text
    # the scenario, as TOML that reads back to the scenario
    pre = [t for t in d.tags if t[0] == "pre"]
    assert pre, "scenario text missing"
    assert "[orbit.cluster]" in text and "What this model leaves out" in text


def test_figures_are_embedded_pngs_with_alt_text(written):
    """Every figure is a decodable PNG data URI whose pixel size matches its width/height
    attributes (read from the PNG header, independently of matplotlib), with alt text."""
    out, figures, _ = written
    imgs = [a for tag, a, _ in _doc(out).tags if tag == "img"]
    assert len(imgs) == sum(len(v) for v in figures.values()) == len(FIGURES)
    for a in imgs:
        assert len(a.get("alt", "")) > 40
        prefix = "data:image/png;base64,"
        assert a["src"].startswith(prefix)
        png = base64.b64decode(a["src"][len(prefix):], validate=True)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
        w, h = struct.unpack(">II", png[16:24])
        assert (w, h) == (int(a["width"]), int(a["height"]))


def test_no_external_resources(written):
    """Nothing is fetched: no scripts, stylesheets, frames or fonts; the only web
    addresses are <a> links of the reference list; a CSP forbids any fetch."""
    out, _, _ = written
    d = _doc(out)
    for tag, attrs, section in d.tags:
        assert tag not in ("script", "link", "iframe", "object", "embed", "base", "form", "audio", "video")
        for k in ("src", "href", "srcset", "poster", "data", "action", "background", "xlink:href"):
            if k not in attrs:
                continue
            v = (attrs[k] or "").strip().lower()
            if v.startswith(("http:", "https:", "//", "ftp:")):
                assert tag == "a" and k == "href" and section == "references", (tag, k, v)
            if k == "src":
                assert v.startswith("data:image/png;base64,"), (tag, v[:40])
            if k == "href":
                assert v.startswith(("#", "http")), v
    css = d.style.lower()
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    csp = [a for tag, a, _ in d.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]
    links = [a["href"] for tag, a, s in d.tags if tag == "a" and a.get("href", "").startswith("http")]
    assert links and all(u.startswith("https://") for u in links)


def test_scenario_toml_reads_back():
    """scenario_toml output parses with tomllib to the same dict (default scenario and one
    with tables, quotes, unicode and a multi-line string)."""
    raw = oc.Scenario.default().to_dict()
    assert tomllib.loads(scenario_toml(raw)) == raw
    tricky = {"scenario": {"name": 'A "quoted" name ± 1', "description": "two\nlines\tand \\ a backslash"},
              "workload": {"it_power": "40 MW"},
              "orbit": {"battery": False, "cluster": {"kind": "walker_delta", "planes": 3, "inclination": "53 deg"}},
              "assumptions": {"launch_price": {"value": "500 USD/kg", "low": "200 USD/kg", "year": 2026},
                              "utilization": 0.7}}
    assert tomllib.loads(scenario_toml(tricky)) == tricky
    oc.Scenario.from_dict(tomllib.loads(scenario_toml(tricky)))  # and it is a valid scenario


# ----------------------------------------------------------------------------- safety
def test_refuses_an_existing_directory(tmp_path, result):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match=r"rep.*force=True.*--force"):
        write_report(result, out)
    assert (out / "keep.txt").read_text() == "mine" and _leftovers(tmp_path) == []
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(FileExistsError, match="not a directory"):
        write_report(result, f, force=True)


def test_force_replaces_only_when_complete(tmp_path, result, fast_figures):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "old.txt").write_text("old")
    write_report(result, out, force=True)
    assert sorted(p.name for p in out.iterdir()) == ["regions.csv", "report.html", "results.json"]
    assert _leftovers(tmp_path) == []
    # without a model or studies, the sections say so and results.json has no study keys
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "No tornado study" in text and "No Monte Carlo study" in text
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert "monte_carlo" not in data and "tornado" not in data


def test_failure_mid_write_leaves_nothing(tmp_path, result, fast_figures, monkeypatch):
    """A figure that fails half-way (after results.json was written) leaves no report and
    no temporary directory; with force, the old report survives untouched."""
    def boom(*args, **kwargs):
        raise RuntimeError("simulated failure in a figure")

    monkeypatch.setattr(plotting, "sizing", boom)
    out = tmp_path / "rep"
    with pytest.raises(RuntimeError, match="simulated"):
        write_report(result, out)
    assert not out.exists() and list(tmp_path.iterdir()) == []
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(RuntimeError, match="simulated"):
        write_report(result, out, force=True)
    assert [p.name for p in out.iterdir()] == ["old.txt"] and _leftovers(tmp_path) == []

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(plotting, "sizing", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_report(result, tmp_path / "other")
    assert not (tmp_path / "other").exists() and _leftovers(tmp_path) == []


def test_pdf_without_weasyprint_fails_before_work(tmp_path, result, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)  # import weasyprint -> ImportError
    with pytest.raises(ImportError, match="pip install weasyprint"):
        write_report(result, tmp_path / "rep", pdf=True)
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- figures
def test_every_figure_function_returns_a_labelled_figure(written):
    _, figures, _ = written
    assert set(figures) == set(FIGURES)
    for name, figs in figures.items():
        for fig in figs:
            assert isinstance(fig, Figure), name
            axes = [ax for ax in fig.axes if ax.get_visible()]
            assert axes, name
            for ax in axes:
                labels = [ax.get_xlabel(), ax.get_ylabel()]
                assert any(labels), f"{name}: an axes without labels"
            units = [lab for ax in axes for lab in (ax.get_xlabel(), ax.get_ylabel()) if "[" in lab]
            assert units, f"{name}: no axis label carries a unit"


def test_cost_items_sum_to_the_orbital_cost(result):
    """The waterfall's items (present values over delivered accelerator-hours) add up to the
    economics module's levelized orbital cost; relative 1e-12 is float summation."""
    items = dict(plotting.orbital_cost_items(result))
    assert set(items) == {"accelerators", "spacecraft", "launch", "ground segment", "engineering (NRE)",
                          "operations", "replacements"}
    total = result.design["orbital_installed_usd_per_accelerator_hour"]
    assert sum(items.values()) == pytest.approx(total, rel=1e-12)
    # the default scenario's links carry everything: every region pays the installed cost
    for r in result.regions:
        assert r.orbital["cost_per_accelerator_hour"] == pytest.approx(total, rel=1e-12)
    costs = result.design["orbital_costs_usd"]
    assert items["launch"] / total == pytest.approx(costs["launch_usd"] / costs["total_usd"], rel=1e-12)


def test_mass_budget_matches_the_vectorized_rollup(result):
    """mass.mass_budget (scalar, item by item, with the scenario's assumptions) gives the
    launch mass per kW the model's vectorized roll-up put in the design; 1e-9 relative
    is float arithmetic in a different order."""
    mb = plotting.mass_budget_of(result)
    p_kw = result.design["it_power_per_satellite_w"] / 1e3
    assert mb.launch_mass_kg / p_kw == pytest.approx(result.design["launch_kg_per_kw"], rel=1e-9)
    assert mb.count == result.design["satellites"]


def test_worst_orbit_energy_against_the_eclipse_table(result):
    """The battery's deepest discharge over the worst orbit is the load / eta_d times the
    shadow time, which the eclipse search (root-found, independent of the 10 s samples)
    brackets: at least the umbra, at most umbra + penumbra (partial array output in
    penumbra); 1.5 % slack for the 10 s step at the two shadow edges (~1,100 s eclipse).
    The battery sized on the model's coarse history still carries it."""
    g = result.geometry
    arr, hist, ecl = g.array, g.history, g.eclipses
    s = plotting.worst_orbit_energy(result)
    t0 = float(arr.orbit_start_s[arr.worst_orbit]) + float(seconds_between(ecl.start, hist.epoch))
    t1 = t0 + hist.period_s
    inside = (ecl.start_s < t1) & (ecl.end_s > t0)
    dur = np.minimum(ecl.end_s, t1) - np.maximum(ecl.start_s, t0)
    umbra = float(np.sum(dur[inside & (ecl.kind == 1)]))
    penumbra = float(np.sum(dur[inside & (ecl.kind == 0)]))
    assert umbra > 900.0  # the season's long eclipses (~18 min at 650 km dawn-dusk)
    load = float(np.max(s.load_w))
    depth_s = (s.capacity_j - float(np.min(s.stored_j))) / (load / s.efficiencies["eta_d"])
    assert umbra * (1 - 0.015) <= depth_s <= (umbra + penumbra) * (1 + 0.015)
    assert s.min_state_of_charge > 0.0


def test_countries_follow_their_cities_and_continents(result):
    """Each country with a shipped city belongs to the region of its cities' continent
    (GeoNames' assignment, read here from the cities table); the latency map takes each
    country's value from its region's median."""
    from orbitcompute.stations import CONTINENTS, _cities_table

    owner = plotting.region_of_country(result.geometry.regions)
    t = _cities_table()
    for cc, cont in set(zip(t["country_code"].tolist(), t["continent"].tolist())):
        if cc in owner:
            assert owner[cc] == CONTINENTS[cont], cc
    assert owner["FR"] == "Europe" and owner["BR"] == "South America" and owner["AU"] == "Oceania"
    assert owner["IS"] == "Europe"  # no shipped city: from its UN M49 region
    assert set(owner.values()) == {r.region for r in result.regions}


def test_chosen_site_is_the_reported_one(result):
    """The site the latency figure draws for each region (parsed from the result) has the
    weighted p95 RTT the result reports for the region."""
    g = result.geometry
    for k, r in enumerate(result.regions):
        j = report._site_index(result, r)
        sel = g.owner == k
        p95 = float(weighted_percentiles(g.rtt_terrestrial_ms[sel, j], g.weights[sel], [95])[0])
        assert p95 == r.terrestrial_rtt_ms["p95"]


def test_report_when_orbit_delivers_nothing(tmp_path):
    """A ground-station scenario whose stations see no cluster satellite in a 20-minute quick
    window: orbit delivers no compute (served 0, cost infinite, null in JSON), and the report
    still writes, saying why it has no tornado instead of failing on inf - inf."""
    import copy
    import json

    raw = copy.deepcopy(oc.Scenario.default().raw)
    raw["orbit"]["relay"] = {"kind": "none"}
    raw["orbit"]["ground_stations"] = 2
    raw["regions"] = {"kind": "countries", "codes": ["FR"], "cities_per_region": 1}
    raw["analysis"] = dict(raw["analysis"], latency_hours="2 h", draws=200)
    model = oc.FeasibilityModel(oc.Scenario.from_dict(raw), quick=True)
    result = model.run()
    assert result.regions[0].capacity["served_fraction"] == 0.0
    assert result.regions[0].orbital["cost_per_accelerator_hour"] == float("inf")
    out = write_report(result, tmp_path / "r", model=model)
    page = (out / "report.html").read_text()
    assert "orbit delivers no compute to any region" in page
    data = json.loads((out / "results.json").read_text())
    assert data["regions"][0]["orbital"]["cost_per_accelerator_hour"] is None


def test_the_report_lays_out_studies_it_is_given(tmp_path, model, result, fast_figures):
    """sensitivity.default_studies (the model layer) runs the default studies; write_report given
    them (no model) writes the same results.json as write_report(model=) running them, and
    report.py itself imports none of the study functions (only sensitivity.default_studies, for model=)."""
    import ast
    from pathlib import Path

    from orbitcompute.sensitivity import default_studies, monte_carlo

    mc = monte_carlo(model, 300, seed=7)
    done = default_studies(model, result, monte_carlo=mc)
    assert set(done) == {"tornado", "monte_carlo", "timeline", "crossover", "notes"}
    assert done["monte_carlo"] is mc and done["notes"] == {}
    ratios = {r.region: r.orbital["cost_per_accelerator_hour"] / r.terrestrial["cost_per_accelerator_hour"]
              for r in result.regions}
    assert [t.output for t in done["tornado"]] == [f"ratio:{min(ratios, key=ratios.get)}"]
    given = write_report(result, tmp_path / "given", **done)
    ran = write_report(result, tmp_path / "ran", model=model, monte_carlo=mc)
    assert (given / "results.json").read_text() == (ran / "results.json").read_text()
    text = (given / "report.html").read_text(encoding="utf-8")
    assert "No tornado study" not in text and "No Monte Carlo study" not in text
    # a note for a missing study is laid out as given
    out = write_report(result, tmp_path / "noted", notes={"tornado": "not wanted today"})
    assert "No tornado study: not wanted today" in (out / "report.html").read_text(encoding="utf-8")
    tree = ast.parse(Path(report.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert not imported & {"tornado", "monte_carlo", "timeline", "crossover", "sobol", "sweep"}, imported
