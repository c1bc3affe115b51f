"""Rewrite tests/data/default_results.json: the default scenario's result (full geometry),
as FeasibilityResult.to_json() gives it, without the package versions.

Run only when a change of model is intended, and say in the commit what moved and why
(tests/test_golden.py compares every number to this file within 1e-12)::

    python tools/update_golden.py
"""

from __future__ import annotations

import json
from pathlib import Path

import orbitcompute as oc

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "default_results.json"


def golden() -> dict:
    data = json.loads(oc.FeasibilityModel(oc.Scenario.default()).run().to_json())
    data.pop("versions", None)
    return data


if __name__ == "__main__":
    OUT.write_text(json.dumps(golden(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
