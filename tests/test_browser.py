"""The report in a real browser: headless Chromium (Debian's ``chromium`` package) loads
report.html from disk with the network cut off, runs into no error and no blocked fetch,
shows each region's verdict and decodes every embedded figure.

Without chromium the tests skip locally; ``.ci/run`` installs it and sets
ORBITCOMPUTE_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from html.parser import HTMLParser
from importlib import resources

import matplotlib
import numpy as np
import pytest

import orbitcompute as oc
from orbitcompute.report import write_report

#: Inserted into a copy of the report: records errors, CSP violations (a blocked fetch
#: would be one) and, on load, how many images decoded, on <html data-*>.
PROBE = """<script>
(function () {
  var d = document.documentElement.dataset;
  d.errors = "0"; d.violations = "0";
  window.addEventListener("error", function () { d.errors = String(+d.errors + 1); }, true);
  document.addEventListener("securitypolicyviolation", function (e) {
    d.violations = String(+d.violations + 1); d.blocked = (d.blocked || "") + " " + e.blockedURI;
  });
  window.addEventListener("load", function () {
    var imgs = Array.prototype.slice.call(document.images);
    d.images = String(imgs.length);
    d.imagesOk = String(imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length);
    d.done = "1";
  });
})();
</script>"""


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@pytest.fixture(scope="module")
def chromium() -> str:
    path = _chromium()
    if path is None:
        msg = ("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it and sets "
               "ORBITCOMPUTE_REQUIRE_BROWSER=1")
        if os.environ.get("ORBITCOMPUTE_REQUIRE_BROWSER") == "1":
            pytest.fail(msg + ", so a missing browser is a failure there")
        pytest.skip(msg)
    return path


def _offline_prefix() -> list[str]:
    """``unshare -n`` where permitted, so the browser provably has no network (under
    .ci/run the whole test run is already without one)."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True, check=False).returncode == 0:
        return [unshare, "-n"]
    return []


def _run(chromium: str, tmp, *args: str) -> subprocess.CompletedProcess:
    cmd = [*_offline_prefix(), chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
           "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-crash-reporter",
           "--disable-dev-shm-usage", f"--user-data-dir={tmp / 'profile'}", *args]
    env = dict(os.environ, HOME=str(tmp))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    """A small scenario (two country regions, ground-station access, quick geometry) with
    awkward characters in its name, reported with its own tornado and Monte Carlo."""
    matplotlib.use("Agg")
    text = resources.files("orbitcompute").joinpath("data", "default_scenario.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    raw["scenario"]["name"] = 'Browser check: <two regions> & "quotes"'
    raw["orbit"]["relay"] = {"kind": "none"}
    raw["orbit"]["ground_stations"] = 4
    raw["regions"] = {"kind": "countries", "codes": ["FR", "BR"], "cities_per_region": 2}
    raw["analysis"].update(latency_hours="24 h", draws=2000)  # quick: 4 h, enough for station contacts
    model = oc.FeasibilityModel(oc.Scenario.from_dict(raw), quick=True)
    result = model.run()
    out = tmp_path_factory.mktemp("browser") / "report"
    write_report(result, out, model=model)
    return out, result


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.html_attrs: dict = {}
        self.skip = False

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.html_attrs = dict(attrs)
        self.skip = tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip = False

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def test_report_loads_offline_with_verdicts_and_decoded_figures(chromium, report_dir, tmp_path):
    out, result = report_dir
    page = (out / "report.html").read_text(encoding="utf-8")
    n_img = page.count("<img ")
    assert n_img == 16  # twelve figures of the result, timeline, crossover, tornado and Monte Carlo
    # the probe needs inline scripts: allow those and nothing else (the CSP stays in force)
    assert "default-src 'none';" in page
    probed = page.replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';", 1)
    probed = probed.replace("<head>", "<head>\n" + PROBE, 1)
    html_file = tmp_path / "probed.html"
    html_file.write_text(probed, encoding="utf-8")
    proc = _run(chromium, tmp_path, "--virtual-time-budget=15000", "--dump-dom", html_file.as_uri())
    doc = _Text()
    doc.feed(proc.stdout)
    a = doc.html_attrs
    assert a.get("data-done") == "1", proc.stdout[:500]
    assert a.get("data-errors") == "0" and a.get("data-violations") == "0", a
    assert a.get("data-images") == str(n_img) and a.get("data-images-ok") == str(n_img), a
    text = " ".join(" ".join(doc.parts).split())
    assert 'Browser check: <two regions> & "quotes"' in text  # escaped in the file, shown as written
    for r in result.regions:
        assert f"{r.region} {r.verdict}" in text
    assert "Terrestrial wins in all 2 regions" in text or "Orbital wins in" in text


def test_report_renders_to_a_nonblank_screenshot(chromium, report_dir, tmp_path):
    """A screenshot of the top of the page shows text and the first map: many non-white
    pixels, including the Okabe-Ito orange or blue of the verdict map."""
    import matplotlib.image as mpimg

    out, _ = report_dir
    shot = tmp_path / "shot.png"
    _run(chromium, tmp_path, "--window-size=1200,2200", "--hide-scrollbars", f"--screenshot={shot}",
         (out / "report.html").as_uri())
    img = mpimg.imread(shot)[..., :3]
    assert img.shape[:2] == (2200, 1200)
    nonwhite = np.mean(np.any(img < 0.9, axis=-1))
    assert nonwhite > 0.05
    rgb = (img * 255).round().astype(int)
    orange = np.all(np.abs(rgb - [0xE6, 0x9F, 0x00]) <= 12, axis=-1).sum()
    blue = np.all(np.abs(rgb - [0x00, 0x72, 0xB2]) <= 12, axis=-1).sum()
    assert orange + blue > 2000, (orange, blue)
