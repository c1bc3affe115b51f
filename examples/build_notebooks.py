"""Write the example notebooks (examples/*.ipynb) from their plain-script twins.

Run:  python examples/build_notebooks.py [--check]

Each notebook has a twin ``examples/<name>.py`` in the "percent" format (the one Jupytext,
VS Code and Spyder read): ``# %%`` starts a code cell, ``# %% [markdown]`` a Markdown cell
whose lines are comments.  In code cells, an IPython magic is written as a comment
(``# %matplotlib inline``, as Jupytext does) and becomes the magic in the notebook.  The
script is the source: edit it, run this file, commit both.
The twins run as plain scripts too (``python examples/quickstart.py``).  Notebooks are
written without outputs and with fixed cell ids, so their diffs stay clean;
``tests/test_notebooks.py`` executes them and checks that they match their twins
(``--check`` does the same here, without writing).

Needs nbformat (in the ``test`` extra).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = "# %%"
MAGIC = re.compile(r"^# (%[A-Za-z]\w*\b.*)$")  # "# %matplotlib inline", not "# %%"


def twins(folder: Path = HERE) -> list[Path]:
    """The percent-format scripts in ``folder`` (first line ``# %% [markdown]``)."""
    out = []
    for p in sorted(folder.glob("*.py")):
        with p.open(encoding="utf-8") as fh:
            if fh.readline().startswith(MARK):
                out.append(p)
    return out


def cells(text: str) -> list[tuple[str, str]]:
    """Split percent-format text into ``(kind, source)`` cells, kind "code" or "markdown"."""
    out: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith(MARK):
            kind = "markdown" if "[markdown]" in line else "code"
            out.append((kind, []))
            continue
        if not out:
            if line.strip():
                raise ValueError(f"text before the first {MARK!r} line: {line!r}")
            continue
        kind, lines = out[-1]
        if kind == "markdown":
            if line.strip() and not line.startswith("#"):
                raise ValueError(f"a Markdown cell line must be a comment: {line!r}")
            line = line[2:] if line.startswith("# ") else line.lstrip("#")
        else:
            line = MAGIC.sub(r"\1", line)
        lines.append(line)
    result = []
    for kind, lines in out:
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines:
            result.append((kind, "\n".join(lines)))
    return result


def notebook_text(script: Path) -> str:
    """The notebook JSON text for a percent-format script (no outputs, fixed ids)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for k, (kind, source) in enumerate(cells(script.read_text(encoding="utf-8"))):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(source)
        cell["id"] = f"{script.stem}-{k:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report notebooks out of date (exit 1 if any)")
    args = ap.parse_args(argv)
    stale = []
    for script in twins():
        target = script.with_suffix(".ipynb")
        text = notebook_text(script)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(target.name)
        if not args.check:
            target.write_text(text, encoding="utf-8")
    verb = "out of date" if args.check else "written"
    print(f"{len(stale)} notebook(s) {verb}" + (f": {', '.join(stale)}" if stale else ""))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
