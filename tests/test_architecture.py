"""The picture of docs/architecture.md, enforced on the package's imports (parsed, not run).

* no import cycle among the package's modules (counting imports inside functions too: a
  lazy import that only hides a cycle is still a cycle);
* matplotlib only in the face (the modules of the ``plotting`` package, ``report``,
  ``cli``): no other module imports it, not even in a docstring's example or by a string
  passed to ``importlib`` / ``__import__``;
* kernels and domain objects never import the model or the face, and the model never
  imports the face.  (The old names of the figures that moved into ``plotting`` resolve
  through a module ``__getattr__`` that imports ``orbitcompute.plotting`` by name with
  ``importlib``, at first use, for one release; a string import is not an import
  statement, so it is not counted here.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "orbitcompute"


def _name(path: Path) -> str:
    """Dotted module name inside the package: ``latency``, ``plotting``, ``plotting.maps``."""
    parts = list(path.relative_to(PKG).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


#: Every module of the package (subpackages' modules too), by dotted name; not the package's __init__.
MODULES = {_name(p): p for p in sorted(PKG.rglob("*.py")) if p != PKG / "__init__.py"}

PLOTTING = {m for m in MODULES if m == "plotting" or m.startswith("plotting.")}
FACE = PLOTTING | {"report", "cli", "_commands", "_cliutil", "__main__"}
MODEL = {"feasibility", "result", "verdict", "geometry", "evaluation", "scenario", "economics", "sensitivity",
         "sweeps", "_sobol", "_study", "timeline", "design"}
MATPLOTLIB_OK = PLOTTING | {"report", "cli"}
#: "import matplotlib" / "from matplotlib..." anywhere in a module's text (code, docstrings, comments).
MATPLOTLIB_TEXT = re.compile(r"(?:^|[\s>;])(?:import|from)\s+matplotlib\b|import_module\(\s*[\"']matplotlib"
                             r"|__import__\(\s*[\"']matplotlib", re.M)


def _package(name: str, path: Path) -> list[str]:
    """The package a module's relative imports start from (dotted parts)."""
    parts = name.split(".") if name else []
    return parts if path.name == "__init__.py" else parts[:-1]


def _known(target: str) -> str | None:
    """The module of MODULES a dotted target names (a module, or a name inside one)."""
    parts = target.split(".")
    for k in range(len(parts), 0, -1):
        if ".".join(parts[:k]) in MODULES:
            return ".".join(parts[:k])
    return None


def _imports(path: Path) -> tuple[set[str], bool]:
    """Package modules ``path`` imports anywhere in the file, and whether it imports matplotlib."""
    name = _name(path)
    base = _package(name, path)
    out: set[str] = set()
    mpl = False
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level:
                root = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                prefix = ".".join(root + ([mod] if mod else []))
            elif mod == "orbitcompute" or mod.startswith("orbitcompute."):
                prefix = mod[len("orbitcompute."):] if "." in mod else ""
            else:
                mpl |= mod.split(".")[0] == "matplotlib"
                continue
            for a in node.names:
                hit = _known(f"{prefix}.{a.name}" if prefix else a.name) or (_known(prefix) if prefix else None)
                if hit:
                    out.add(hit)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("orbitcompute."):
                    hit = _known(a.name[len("orbitcompute."):])
                    if hit:
                        out.add(hit)
                mpl |= a.name.split(".")[0] == "matplotlib"
    return {m for m in out if m != name}, mpl


GRAPH = {m: _imports(p) for m, p in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle():
    deps = {m: imps for m, (imps, _) in GRAPH.items()}
    assert _cycles(deps) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_matplotlib_only_in_the_face():
    users = {m for m, (_, mpl) in GRAPH.items() if mpl}
    assert users - MATPLOTLIB_OK == set(), "matplotlib imported outside plotting/report/cli"
    assert PLOTTING & users, "the plotting package draws with matplotlib: the parser lost its imports"
    # nor in the text: a docstring's example, a comment, a string import
    text = sorted(m for m, p in MODULES.items()
                  if m not in MATPLOTLIB_OK and MATPLOTLIB_TEXT.search(p.read_text(encoding="utf-8")))
    assert text == [], f"matplotlib in an import in the text of {text}"


def test_the_parser_reads_the_plotting_package():
    """Relative imports inside the package resolve (``..regions``, ``._style``), and the
    matplotlib text check sees the forms it is meant to catch."""
    assert "plotting.maps" in MODULES and "plotting" in MODULES
    maps, mpl = GRAPH["plotting.maps"]
    assert {"regions", "errors", "plotting._style"} <= maps and mpl
    assert "plotting.maps" in GRAPH["plotting"][0]
    for src in ("import matplotlib", ">>> import matplotlib.pyplot as plt", "from matplotlib.figure import Figure",
                "importlib.import_module('matplotlib')", "    x = 1; import matplotlib"):
        assert MATPLOTLIB_TEXT.search(src), src
    for src in ("the matplotlib Figure", "matplotlib.figure.Figure", "no import of matplotlib here"):
        assert not MATPLOTLIB_TEXT.search(src), src


def test_layer_arrows():
    bad = []
    for m, (imps, _) in GRAPH.items():
        if m in MODEL and imps & FACE:
            bad.append(f"model {m} -> face {sorted(imps & FACE)}")
        if m not in MODEL | FACE and imps & (MODEL | FACE):
            bad.append(f"kernel/domain {m} -> {sorted(imps & (MODEL | FACE))}")
    assert bad == []


def test_every_module_has_a_layer_in_the_architecture_page():
    """Each public module is named in docs/architecture.md (the map stays true)."""
    text = (PKG.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [m for m in MODULES if not m.startswith("_") and "." not in m and m not in ("cli",)
               and f"`{m}`" not in text]
    assert missing == []


def test_no_function_level_imports_of_the_package():
    """Package imports stand at the top of each module (issue 12, item 5): with no import
    cycle (above), a lazy import inside a function hides nothing and only hides the
    module's dependencies from its reader.  Third-party imports (matplotlib, SALib,
    pymoo, dask) may stay lazy: they are optional or slow to import."""
    lazy = []
    for name, path in MODULES.items():
        for f in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lazy += [f"{name}:{n.lineno}" for n in ast.walk(f) if isinstance(n, ast.ImportFrom) and n.level >= 1
                         or isinstance(n, ast.ImportFrom) and (n.module or "").startswith("orbitcompute")]
    assert not lazy, f"function-level package imports (move them to the module's top): {lazy}"
