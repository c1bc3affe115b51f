"""The default scenario's result against a committed copy (tests/data/default_results.json).

A change of model must move the default scenario's figures only where it means to: every
number is compared within 1e-12 relative (1e-12 absolute near zero: float rounding of the
same arithmetic), every string and key exactly.  Regenerate the copy with
``python tools/update_golden.py`` only for an intended change of model, and say in the
commit what moved.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REL = ABS = 1e-12


def _load_tool():
    spec = importlib.util.spec_from_file_location("update_golden", ROOT / "tools" / "update_golden.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _diff(a, b, path="", out=None):
    out = [] if out is None else out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}/{k}: {'added' if k not in a else 'removed'}")
            else:
                _diff(a[k], b[k], f"{path}/{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: length {len(a)} -> {len(b)}")
        for k, (x, y) in enumerate(zip(a, b)):
            _diff(x, y, f"{path}[{k}]", out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if not math.isclose(a, b, rel_tol=REL, abs_tol=ABS):
            out.append(f"{path}: {a!r} -> {b!r}")
    elif a != b:
        out.append(f"{path}: {str(a)[:60]!r} -> {str(b)[:60]!r}")
    return out


def test_default_results_match_the_committed_copy():
    want = json.loads((ROOT / "tests" / "data" / "default_results.json").read_text(encoding="utf-8"))
    got = _load_tool().golden()
    changes = _diff(want, got)
    assert not changes, ("the default scenario's results moved (run tools/update_golden.py only for an intended "
                         "change of model):\n" + "\n".join(changes[:40]))


def test_the_comparison_can_fail():
    """The comparison sees a change at the 1e-11 level, a new key and a changed string."""
    a = {"x": [1.0, {"y": "terrestrial"}], "z": 0.5}
    assert _diff(a, {"x": [1.0 + 1e-11, {"y": "terrestrial"}], "z": 0.5})
    assert _diff(a, {"x": [1.0, {"y": "orbital"}], "z": 0.5})
    assert _diff(a, dict(a, w=1))
    assert not _diff(a, json.loads(json.dumps(a)))
    with pytest.raises(AssertionError):
        assert not _diff(a, {"x": [1.0], "z": 0.5})
