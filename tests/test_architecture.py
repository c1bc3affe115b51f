"""The picture of docs/architecture.md, enforced on the package's imports (parsed, not run).

* no import cycle among the package's modules (counting imports inside functions too: a
  lazy import that only hides a cycle is still a cycle);
* matplotlib only in the face (``plotting``, ``report``, ``cli``) and in the modules that
  still carry ``plot_*`` functions (listed here as known debts of issue 12, to move into
  ``plotting``; the list may only shrink);
* kernels and domain objects never import the model or the face, and the model never
  imports the face.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "orbitcompute"
MODULES = {p.stem: p for p in PKG.glob("*.py") if p.stem != "__init__"}

FACE = {"plotting", "report", "cli", "_commands", "_cliutil", "_cliconst", "__main__"}
MODEL = {"feasibility", "result", "verdict", "geometry", "evaluation", "scenario", "economics", "sensitivity",
         "_sweep", "_sobol", "_study", "timeline", "design"}
MATPLOTLIB_OK = {"plotting", "report", "cli"}
#: plot_* functions not yet moved into plotting (issue 12, item 4): may only shrink.
MATPLOTLIB_DEBT = {"eclipse", "latency", "power", "regions", "sensitivity", "thermal"}


def _imports(path: Path) -> tuple[set[str], bool]:
    """Package modules ``path`` imports anywhere in the file, and whether it imports matplotlib."""
    out: set[str] = set()
    mpl = False
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level == 1:
                out.update([mod.split(".")[0]] if mod else [a.name for a in node.names])
            elif mod.startswith("orbitcompute"):
                parts = mod.split(".")
                out.update([parts[1]] if len(parts) > 1 else [a.name for a in node.names])
            mpl |= mod.split(".")[0] == "matplotlib"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("orbitcompute."):
                    out.add(a.name.split(".")[1])
                mpl |= a.name.split(".")[0] == "matplotlib"
    return {m for m in out if m in MODULES and m != path.stem}, mpl


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
    assert users - MATPLOTLIB_OK - MATPLOTLIB_DEBT == set(), "matplotlib imported outside plotting/report/cli"
    assert MATPLOTLIB_DEBT <= users, f"no longer imports matplotlib, drop from MATPLOTLIB_DEBT: {MATPLOTLIB_DEBT - users}"


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
    missing = [m for m in MODULES if not m.startswith("_") and m not in ("cli",) and f"`{m}`" not in text]
    assert missing == []
