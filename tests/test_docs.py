"""The documentation site builds (``mkdocs build --strict``), offline, and covers the API.

The build needs the ``docs`` extra (mkdocs, mkdocstrings[python]); without it that test is
skipped.  ``--strict`` turns every warning into a failure: a broken link, a page missing from
the nav, a docstring griffe cannot parse (e.g. prose inside a numpydoc ``Parameters``
section).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _public_modules() -> set[str]:
    """Public modules and subpackages (``plotting/``) of the package."""
    pkg = ROOT / "orbitcompute"
    return ({p.stem for p in pkg.glob("*.py") if not p.stem.startswith("_")}
            | {p.parent.name for p in pkg.glob("*/__init__.py") if not p.parent.name.startswith("_")})


def test_every_public_module_has_an_api_page():
    """One page per public module under docs/api/, each rendering that module."""
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "api").glob("*.md")}
    assert set(pages) == _public_modules(), (
        f"missing pages: {sorted(_public_modules() - set(pages))}; stale pages: {sorted(set(pages) - _public_modules())}")
    for name, text in pages.items():
        assert f"::: orbitcompute.{name}\n" in text, name
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert all(f"api/{name}.md" in nav for name in pages)


def test_site_builds_strict_and_offline(tmp_path):
    """mkdocs --strict succeeds; pages exist with their content; no page loads anything remote."""
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    pytest.importorskip("mkdocstrings_handlers.python")
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
         "--site-dir", str(site)],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for page in ("index.html", "getting-started/index.html", "concepts/index.html", "nomenclature/index.html",
                 "architecture/index.html"):
        assert (site / page).is_file(), page
    # the API reference really is generated from the docstrings
    power = (site / "api" / "power" / "index.html").read_text(encoding="utf-8")
    assert "size_array" in power and "worst orbit" in power
    feas = (site / "api" / "feasibility" / "index.html").read_text(encoding="utf-8")
    assert "FeasibilityModel" in feas
    # viewable offline: no script, stylesheet or font fetched from the network
    remote = re.compile(r"<(?:script|link)[^>]+(?:src|href)=\"(?:https?:)?//[^\"]+\"")
    css_remote = re.compile(r"url\(['\"]?(?:https?:)?//")
    for f in site.rglob("*.html"):
        assert not remote.search(f.read_text(encoding="utf-8")), f
    for f in site.rglob("*.css"):
        assert not css_remote.search(f.read_text(encoding="utf-8", errors="replace")), f
