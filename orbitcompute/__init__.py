"""orbitcompute: orbital vs terrestrial compute feasibility per user region.

The curated public API; see the README for a tour.
"""

from __future__ import annotations

from . import errors, latency, links, mass, network, plotting, power, thermal
from .design import DesignPoint, DesignResult, DesignSpace, DesignVariable, optimize
from .eclipse import EclipseSeasons, EclipseTable, eclipse_fractions, eclipse_seasons, find_eclipses
from .errors import ERROR_CODES, InputError, OrbitComputeError, ParseError, TimeError, UnitError
from .evaluation import OUTPUTS, Evaluation
from .feasibility import FeasibilityModel, FeasibilityResult, run_feasibility
from .geometry import Geometry, RelayCapacity, StationCapacity
from .latency import (
    Overheads,
    RttSummary,
    bent_pipe_rtt,
    cluster_ground_rtt,
    cluster_isl_rtt,
    edge_rtt,
    fiber_rtt,
    isl_rtt,
    light_rtt_floor,
    summarize_rtt,
    terrestrial_rtt,
)
from .links import (
    OpticalTerminal,
    RFLinkBudget,
    optical_ground_sites,
    optical_link_rate,
    rf_link_budget,
    site_diversity_availability,
)
from .mass import MassBudget, mass_budget
from .network import Network, Routes, WalkerLayout, iter_routes, max_isl_range, plus_grid, route, serving_satellite
from .orbits import Constellation
from .power import ArraySizing, BatterySizing, EnergySeries, energy_series, size_array, size_battery
from .plotting import plot_distribution, plot_region_map, plot_rtt_cdf, plot_rtt_series, plot_tornado
from .regions import Region, country_outlines, default_regions, weighted_percentiles, world_regions
from .report import write_report
from .scenario import Scenario, ScenarioError, load_scenario
from .sensitivity import (
    FunctionModel,
    Model,
    MonteCarloResult,
    SobolResult,
    SweepResult,
    TornadoResult,
    monte_carlo,
    sample_assumptions,
    sobol,
    sweep,
    tornado,
)
from .stations import GroundSites
from .sun import SunlightHistory, beta_angle, illuminated_fraction, solar_flux, sun_position, sunlight_history
from .terrestrial import TerrestrialSites, carbon_intensity, electricity_price, great_circle_distance, pue, wue
from .thermal import RadiatorSizing, ThermalChain, earth_view_factor, size_radiator, transient_temperature
from .time import time_grid, to_time
from . import timeline  # noqa: E402 - the module (its function: oc.timeline.timeline)
from .learning import LearningCurve
from .timeline import CrossoverResult, TimelineResult, crossover, time_to_power
from .units import Quantity, u
from .visibility import (
    ElevationMask,
    PassTable,
    StreamSummary,
    contact_statistics,
    coverage,
    find_passes,
    stream_passes,
)
from .workload import WORKLOADS, Workload, demand_bps

__version__ = "0.1.0"

__all__ = [
    "u",
    "Quantity",
    "Constellation",
    "GroundSites",
    "Region",
    "world_regions",
    "default_regions",
    "weighted_percentiles",
    "plot_region_map",
    "country_outlines",
    "TerrestrialSites",
    "great_circle_distance",
    "carbon_intensity",
    "electricity_price",
    "pue",
    "wue",
    "EclipseTable",
    "EclipseSeasons",
    "find_eclipses",
    "eclipse_fractions",
    "eclipse_seasons",
    "SunlightHistory",
    "beta_angle",
    "illuminated_fraction",
    "solar_flux",
    "sun_position",
    "sunlight_history",
    "ElevationMask",
    "PassTable",
    "find_passes",
    "stream_passes",
    "StreamSummary",
    "contact_statistics",
    "coverage",
    "time_grid",
    "to_time",
    "errors",
    "write_report",
    "plotting",
    "tornado",
    "monte_carlo",
    "sweep",
    "sample_assumptions",
    "plot_tornado",
    "plot_distribution",
    "FunctionModel",
    "Model",
    "TornadoResult",
    "MonteCarloResult",
    "SweepResult",
    "sobol",
    "SobolResult",
    "latency",
    "network",
    "fiber_rtt",
    "isl_rtt",
    "bent_pipe_rtt",
    "edge_rtt",
    "cluster_isl_rtt",
    "cluster_ground_rtt",
    "terrestrial_rtt",
    "light_rtt_floor",
    "Overheads",
    "summarize_rtt",
    "RttSummary",
    "plot_rtt_cdf",
    "plot_rtt_series",
    "Network",
    "WalkerLayout",
    "plus_grid",
    "route",
    "iter_routes",
    "Routes",
    "serving_satellite",
    "max_isl_range",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "FeasibilityModel",
    "FeasibilityResult",
    "run_feasibility",
    "Geometry",
    "RelayCapacity",
    "StationCapacity",
    "Evaluation",
    "OUTPUTS",
    "power",
    "thermal",
    "mass",
    "size_array",
    "size_battery",
    "energy_series",
    "ArraySizing",
    "BatterySizing",
    "EnergySeries",
    "size_radiator",
    "transient_temperature",
    "earth_view_factor",
    "ThermalChain",
    "RadiatorSizing",
    "mass_budget",
    "MassBudget",
    "ERROR_CODES",
    "OrbitComputeError",
    "InputError",
    "UnitError",
    "TimeError",
    "ParseError",
    "links",
    "optical_link_rate",
    "rf_link_budget",
    "OpticalTerminal",
    "RFLinkBudget",
    "optical_ground_sites",
    "site_diversity_availability",
    "WORKLOADS",
    "Workload",
    "demand_bps",
    "LearningCurve",
    "TimelineResult",
    "CrossoverResult",
    "timeline",
    "crossover",
    "time_to_power",
    "DesignVariable",
    "DesignSpace",
    "DesignPoint",
    "DesignResult",
    "optimize",
]
