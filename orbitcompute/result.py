"""The result of the feasibility model: per-region comparisons and the whole run
(:class:`RegionResult`, :class:`FeasibilityResult`), with tidy columns, CSV, pandas and JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ._output import jsonable
from ._output import write_text
from ._table import TableMixin
from .geometry import Geometry
from .scenario import Scenario

__all__ = ["FeasibilityResult", "RegionResult"]


@dataclass(frozen=True)
class RegionResult:
    """The comparison for one user region (see :class:`FeasibilityResult`)."""

    region: str
    n_place: int
    orbital_rtt_ms: dict
    terrestrial_site: str
    terrestrial_rtt_ms: dict
    orbital: dict
    terrestrial: dict
    verdict: str
    binding_constraint: str
    break_even: dict
    binding_code: str = "cost"
    capacity: dict = field(default_factory=dict)
    terrestrial_site_index: int = -1

    @property
    def cost_ratio(self) -> float:
        """Orbital over terrestrial cost per delivered accelerator-hour [-] (< 1: orbit is
        cheaper); the one computation of the ratio the report, the maps, the sweeps and the
        default tornado show."""
        return self.orbital["cost_per_accelerator_hour"] / self.terrestrial["cost_per_accelerator_hour"]

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class FeasibilityResult(TableMixin):
    """Everything a report needs: per-region results, the design, the assumptions.

    ``geometry`` is the model's :class:`~orbitcompute.geometry.Geometry` (with the capacity
    series at this scenario's values), for the figures; None for a result read back from JSON.
    """

    scenario: Scenario
    regions: list
    design: dict
    assumptions: dict
    versions: dict
    geometry: Geometry | None = field(repr=False, default=None)

    COLUMNS = ("region", "verdict", "binding_constraint", "orbital_p50_ms", "orbital_p95_ms", "orbital_p99_ms",
               "orbital_path_availability", "terrestrial_site", "terrestrial_p95_ms",
               "orbital_usd_per_accelerator_hour", "terrestrial_usd_per_accelerator_hour",
               "orbital_usd_per_pflop_day", "terrestrial_usd_per_pflop_day",
               "orbital_kgco2_per_accelerator_hour", "terrestrial_kgco2_per_accelerator_hour",
               "terrestrial_water_l", "break_even_launch_usd_per_kg", "break_even_electricity_usd_per_kwh",
               "break_even_launch_co2_kg_per_kg")

    def columns(self) -> dict:
        """One row per region: the headline numbers (tidy; see :attr:`COLUMNS`)."""
        R = self.regions
        return {
            "region": [r.region for r in R], "verdict": [r.verdict for r in R],
            "binding_constraint": [r.binding_constraint for r in R],
            "orbital_p50_ms": [r.orbital_rtt_ms["p50"] for r in R],
            "orbital_p95_ms": [r.orbital_rtt_ms["p95"] for r in R],
            "orbital_p99_ms": [r.orbital_rtt_ms["p99"] for r in R],
            "orbital_path_availability": [r.orbital_rtt_ms["availability"] for r in R],
            "terrestrial_site": [r.terrestrial_site for r in R],
            "terrestrial_p95_ms": [r.terrestrial_rtt_ms["p95"] for r in R],
            "orbital_usd_per_accelerator_hour": [r.orbital["cost_per_accelerator_hour"] for r in R],
            "terrestrial_usd_per_accelerator_hour": [r.terrestrial["cost_per_accelerator_hour"] for r in R],
            "orbital_usd_per_pflop_day": [r.orbital["cost_per_pflop_day"] for r in R],
            "terrestrial_usd_per_pflop_day": [r.terrestrial["cost_per_pflop_day"] for r in R],
            "orbital_kgco2_per_accelerator_hour": [r.orbital["co2_kg_per_accelerator_hour"] for r in R],
            "terrestrial_kgco2_per_accelerator_hour": [r.terrestrial["co2_kg_per_accelerator_hour"] for r in R],
            "terrestrial_water_l": [r.terrestrial["water_l"] for r in R],
            "break_even_launch_usd_per_kg": [r.break_even["launch_price_usd_per_kg"] for r in R],
            "break_even_electricity_usd_per_kwh": [r.break_even["electricity_price_usd_per_kwh"] for r in R],
            "break_even_launch_co2_kg_per_kg": [r.break_even["launch_co2_kg_per_kg"] for r in R],
        }

    def to_json(self, path=None, *, overwrite: bool = False) -> str | None:
        """The whole result as JSON (scenario, design, regions, assumptions, versions);
        returns the text if ``path`` is None, refuses to replace a file unless ``overwrite``."""
        text = json.dumps(jsonable(self.to_dict()), indent=1, allow_nan=False)
        if path is None:
            return text
        write_text(path, text, overwrite=overwrite)
        return None

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (numbers in the units their keys name)."""
        return {
            "scenario": self.scenario.to_dict(),
            "design": self.design,
            "regions": [r.as_dict() for r in self.regions],
            "assumptions": {k: {"value": float(a.value.m), "unit": a.unit,
                                "low": None if a.low is None else float(a.low.m),
                                "high": None if a.high is None else float(a.high.m),
                                "source": a.source, "year": a.year}
                            for k, a in self.assumptions.items()},
            "versions": self.versions,
        }
