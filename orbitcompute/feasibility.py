"""The orchestrator: a scenario in, an orbital-vs-terrestrial comparison per user region out.

Data flow (:class:`FeasibilityModel`)::

    scenario -> cluster + relay constellations, regions (weighted cities), cloud regions
             -> a year of sunlight of a cluster satellite (sun, eclipse)
             -> array, battery and radiator per watt of compute (power, thermal)
             -> launch mass per watt (mass roll-up; vectorized over assumption draws)
             -> RTT time series per place: cluster over the relay's laser links (or via
                ground stations), terrestrial sites over fibre (latency)
             -> costs, carbon, water (economics), per region: best terrestrial site that
                meets the latency requirement, verdict, binding constraint, break-evens

The expensive geometry runs once in the constructor; :meth:`FeasibilityModel.evaluate`
is pure vectorized arithmetic over assumption values, so tornado and Monte Carlo studies
(:mod:`orbitcompute.sensitivity`) reuse it.

What is held fixed in evaluate: the power-system sizing per watt (which depends on the
orbit, the path efficiencies and the cell degradation) and the radiator area per watt
(coatings, temperatures) are computed at the scenario's values; the mass and economic
assumptions, including the specific power, specific energy and areal densities that
turn them into mass, are varied.
"""

from __future__ import annotations

import dataclasses
import math
from collections import OrderedDict
from typing import Callable

import numpy as np

from . import capacity, economics, latency, power, thermal
from ._linkbudget import ground_optical_loss_db
from ._moved import moved
from ._output import versions  # noqa: F401  (the one record of versions; re-exported here)
from .capacity import served_fraction, site_diversity
from .eclipse import eclipse_seasons, eclipse_year, find_eclipses
from .result import FeasibilityResult, RegionResult
from .verdict import FULLY_SERVED, MIN_PATH_AVAILABILITY, decide  # noqa: F401  (re-exported)
from .errors import InputError
from .evaluation import Evaluation
from .frames import ecef_to_geodetic
from .geometry import Geometry, RelayCapacity, StationCapacity
from .latency import summarize_rtt
from .links import optical_ground_sites, OpticalTerminal
from .mass import mass_budget, rollup_si
from .orbits import Constellation
from .power import energy_series, using_assumptions
from .provenance import Assumption, read_assumptions
from .regions import Region, weighted_percentiles
from .scenario import Scenario
from .stations import GroundSites
from .sun import sunlight_history
from .terrestrial import pue, TerrestrialSites, wue
from .time import offset, time_grid, to_time
from .units import quantity, u
from .visibility import coverage, find_passes
from .workload import demand_bps, WORKLOADS

__all__ = ["FeasibilityModel", "FeasibilityResult", "RegionResult", "run_feasibility", "shared_model"]

#: Names that moved to :mod:`orbitcompute.sweeps` (the module that owns every sweep), kept
#: here for one release (``moved`` imports the new module by name, at the first read).
_MOVED = {"ScenarioPoint": "orbitcompute.sweeps", "scenario_point": "orbitcompute.sweeps",
          "sweep_scenario": "orbitcompute.sweeps"}


def __getattr__(name: str):
    if name in _MOVED:
        return moved(__name__, name, _MOVED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: Assumptions the vectorized model reads (names in the shipped CSVs), with the unit its
#: arithmetic uses.
MODEL_INPUTS: dict[str, str] = {
    "it_w_per_accelerator": "W", "accelerator_cost": "USD", "accelerator_tflops": "TFLOPS",
    "utilization": "", "years": "year", "discount_rate": "1/year", "hardware_life": "year",
    "satellite_life": "year", "launch_price": "USD/kg", "payload_per_launch": "kg",
    "spacecraft_cost": "USD/kg", "ops_fraction": "1/year", "failure_rate_orbit": "1/year",
    "replace_in_orbit": "", "replacement_launched": "", "nre": "USD", "ground_station_cost": "USD",
    "ground_station_opex": "USD/year", "launch_co2": "kg/kg",
    "spacecraft_co2": "kg/kg", "construction_cost": "USD/W", "facility_opex_fraction": "1/year",
    "failure_rate_ground": "1/year", "availability_terrestrial": "", "availability_orbit_outage": "",
    "water_price": "USD/L", "bus_power_fraction": "",
    # link capacity (orbitcompute.capacity): the relay's user links
    "relay_share": "", "relay_user_capacity": "Gbit/s",
    # mass roll-up
    "compute_specific_mass": "kg/kW", "shielding_fraction": "", "array_specific_power": "W/kg",
    "battery_specific_energy": "W*h/kg", "radiator_areal_density": "kg/m^2", "structure_fraction": "",
    "bus_fraction": "", "propulsion_dry_fraction": "", "system_margin": "", "delta_v": "m/s",
    "specific_impulse": "s",
}


#: Per-hour metrics of :func:`orbitcompute.economics.orbital` that depend on the compute
#: delivered, reported per region (``orbital:<metric>:<region>``).
DELIVERED_METRICS = economics.PER_HOUR_METRICS + ("accelerator_hours",)


#: Most cluster satellites whose ground-station contacts are computed one by one (no relay);
#: a larger cluster is represented by this many, spread over its planes and slots.
ACCESS_SATELLITES_MAX = 2048

#: Model inputs the geometry also reads (sizing load, design life, the sized items'
#: masses): a change of these needs new geometry, although :meth:`FeasibilityModel.evaluate`
#: varies them in the economics with the sizing held.
GEOMETRY_INPUTS = frozenset({"bus_power_fraction", "satellite_life", "array_specific_power",
                             "battery_specific_energy", "radiator_areal_density"})


def launch_mass_per_w(v: dict, g: Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Launch mass and compute-hardware mass per watt of compute [kg/W] (vectorized).

    :func:`orbitcompute.mass.rollup_si` (structure and bus as fractions of the dry mass
    before margin, propellant from the rocket equation on the margined dry mass),
    applied to the per-watt sized items of the geometry: ``g.array_w_per_w`` [W/W],
    ``g.battery_j_per_w`` [J/W] and ``g.radiator_m2_per_w`` [m^2/W].
    """

    compute = v["compute_specific_mass"] / 1e3
    sized = (compute * (1.0 + v["shielding_fraction"])
             + g.array_w_per_w / v["array_specific_power"]
             + g.battery_j_per_w / 3600.0 / v["battery_specific_energy"]
             + g.radiator_m2_per_w * v["radiator_areal_density"])
    _, _, launch = rollup_si(sized, v["structure_fraction"], v["bus_fraction"], v["propulsion_dry_fraction"],
                             v["system_margin"], v["delta_v"], v["specific_impulse"])
    return launch, compute + 0.0 * launch


def satellite_load_w(it_power_w, bus_power_fraction):
    """A satellite's electrical load [W]: its compute power plus the bus's share of it
    (``bus_power_fraction``, a fraction of the compute power).  The one place this sum is
    made: the sizing, the ``power`` command and the figures read it from the geometry
    (``load_w``)."""
    return it_power_w * (1.0 + bus_power_fraction)


def satellite_mass_budget(assumptions: dict, geometry: Geometry, it_power_w: float):
    """The itemized mass budget of one satellite of the cluster (:func:`orbitcompute.mass.mass_budget`)
    with the scenario's assumptions and the sized array, battery and radiator.

    Its launch mass equals the vectorized model's :func:`launch_mass_per_w` at the central
    assumptions times ``it_power_w`` (``tests/test_cli.py`` holds them to 1e-12).

    Parameters
    ----------
    assumptions : dict
        Name -> :class:`~orbitcompute.provenance.Assumption` (``Scenario.assumptions``,
        ``FeasibilityResult.assumptions``).
    geometry : Geometry
        The model's geometry (``array``, ``battery``, ``radiator``, ``n_sat``).
    it_power_w : float
        Compute power per satellite [W].

    Returns
    -------
    MassBudget
        ``count`` is the number of satellites of the cluster.
    """

    def a(name, unit=""):
        return float(assumptions[name].value.m_as(unit or "dimensionless"))

    return mass_budget(
        quantity(float(it_power_w), "W"), array=geometry.array, battery=geometry.battery,
        radiator=geometry.radiator, compute_specific_mass=quantity(a("compute_specific_mass", "kg/kW"), "kg/kW"),
        shielding_fraction=a("shielding_fraction"), structure_fraction=a("structure_fraction"),
        bus_fraction=a("bus_fraction"), propulsion_dry_fraction=a("propulsion_dry_fraction"),
        system_margin=a("system_margin"), delta_v=quantity(a("delta_v", "m/s"), "m/s"),
        specific_impulse=quantity(a("specific_impulse", "s"), "s"), count=int(geometry.n_sat))


class FeasibilityModel:
    """Geometry computed once; costs evaluated vectorized over assumption values.

    Parameters
    ----------
    scenario : Scenario
    progress : callable, optional
        ``progress(step: str)`` called as each stage starts (the CLI shows it).

    Examples
    --------
    >>> import orbitcompute as oc
    >>> m = oc.FeasibilityModel(oc.Scenario.default(), quick=True)  # quick geometry: a few seconds
    >>> round(float(m.evaluate({})["orbital:cost_per_accelerator_hour"][0]), 2)  # USD per accelerator-hour
    11.12
    >>> europe = m.run().regions[2]
    >>> europe.region, europe.verdict, europe.binding_code, europe.capacity["served_fraction"]
    ('Europe', 'terrestrial', 'cost', 1.0)
    """

    def __init__(self, scenario: Scenario, *, progress: Callable[[str], None] | None = None, quick: bool = False):
        self.scenario = scenario
        self._progress = progress or (lambda step: None)
        self._quick = quick
        # the scenario's spacecraft assumptions become the sizing functions' defaults
        with using_assumptions(scenario.assumptions):
            self.geometry = self._geometry()

    def geometry_key(self) -> str:
        """What the geometry depends on: everything but the assumptions :meth:`evaluate`
        varies (two scenarios with equal keys can share the geometry)."""
        return geometry_key(self.scenario, self._quick)

    def with_scenario(self, scenario: Scenario, *, progress: Callable[[str], None] | None = None
                      ) -> "FeasibilityModel":
        """A model of ``scenario`` that reuses this model's geometry when
        :meth:`geometry_key` allows it (only :data:`MODEL_INPUTS` differ), else a new one."""
        if geometry_key(scenario, self._quick) != self.geometry_key():
            return FeasibilityModel(scenario, progress=progress, quick=self._quick)
        new = object.__new__(FeasibilityModel)
        new.scenario, new._quick, new.geometry = scenario, self._quick, self.geometry
        new._progress = progress or (lambda step: None)
        if hasattr(self, "_site_table"):
            new._site_table = self._site_table
        return new

    # ------------------------------------------------------------ geometry
    def _a(self, name: str, unit: str | None = None) -> float:
        a = self.scenario.assumptions[name]
        return float(a.value.m_as(unit if unit is not None else (a.unit or "dimensionless")))

    def _constellations(self):
        s = self.scenario
        start = s.scenario["start"]
        n_sat = max(1, math.ceil(s.workload["it_power"].m_as("W") / s.orbit["it_power_per_satellite"].m_as("W")))
        c = s.cluster
        # the geometry needs a representative set, not every satellite of a large cluster
        n_geo = min(n_sat, 4 if self._quick else 12)
        if c["kind"] == "sun_synchronous":
            planes = min(c["planes"], n_geo)
            per_plane = max(1, n_geo // planes)
            cluster = Constellation.sun_synchronous(altitude=c["altitude"], ltan=c["ltan"], epoch=start,
                                                    count=per_plane * planes, planes=planes)
        else:
            planes = min(c["planes"], n_geo)
            per_plane = max(1, n_geo // planes)
            make = Constellation.walker_delta if c["kind"] == "walker_delta" else Constellation.walker_star
            cluster = make(per_plane * planes, planes, min(c["phasing"], planes - 1) if planes > 1 else 0,
                           altitude=c["altitude"], inclination=c["inclination"], epoch=start)
        r = s.relay
        relay = None
        if r["kind"] != "none":
            make = Constellation.walker_delta if r["kind"] == "walker_delta" else Constellation.walker_star
            # quick mode keeps the whole relay (a sparse one would open coverage gaps that
            # the full run does not have); it samples fewer places, times and sunlight
            total, planes = (r["total"], r["planes"])
            relay = make(total, planes, r["phasing"], altitude=r["altitude"], inclination=r["inclination"],
                         epoch=start)
        return n_sat, cluster, relay

    def _access_cluster(self, n_sat: int, cluster):
        """The satellites ground stations can reach: the whole cluster (up to
        :data:`ACCESS_SATELLITES_MAX`, spread like the representative set), since every
        satellite of the ring adds contacts; with a relay, the representative set."""

        c = self.scenario.cluster
        n = min(n_sat, ACCESS_SATELLITES_MAX)
        if n <= len(cluster):
            return cluster
        start = self.scenario.scenario["start"]
        planes = min(c["planes"], n)
        per_plane = max(1, n // planes)
        if c["kind"] == "sun_synchronous":
            return Constellation.sun_synchronous(altitude=c["altitude"], ltan=c["ltan"], epoch=start,
                                                 count=per_plane * planes, planes=planes)
        make = Constellation.walker_delta if c["kind"] == "walker_delta" else Constellation.walker_star
        return make(per_plane * planes, planes, min(c["phasing"], planes - 1) if planes > 1 else 0,
                    altitude=c["altitude"], inclination=c["inclination"], epoch=start)

    def _geometry(self) -> Geometry:
        s = self.scenario
        self._progress("constellations")
        n_sat, cluster, relay = self._constellations()
        start = to_time(s.scenario["start"], "start")
        # a whole year, so that every eclipse season is in the sizing (quick: coarser step)
        stop = offset(start, 365.25 * 86400.0)
        self._progress("sunlight over a year")
        step = s.orbit["sunlight_step"] * (5 if self._quick else 1)
        hist = sunlight_history(cluster, start, stop, step, satellite=0)
        ecl = find_eclipses(cluster[[0]], start, stop)
        seasons = eclipse_seasons(ecl, cluster[[0]].period)
        p_it = s.orbit["it_power_per_satellite"].m_as("W")
        load = satellite_load_w(p_it, self._a("bus_power_fraction"))
        life = self._a("satellite_life", "year") * u.year
        self._progress("power and thermal sizing")
        arr = power.size_array(hist, load * u.W, cell=s.orbit["cell"], attitude=s.orbit["attitude"], lifetime=life,
                               packing_factor=self._a("packing_factor"), pointing_factor=self._a("pointing_factor"),
                               inherent_degradation=self._a("inherent_degradation"),
                               path_efficiency_daylight=self._a("path_efficiency_daylight"),
                               path_efficiency_eclipse=self._a("path_efficiency_eclipse"),
                               specific_power=self.scenario.assumptions["array_specific_power"].value)
        if s.orbit["battery"]:
            # every battery assumption given at the call (none read from the context)
            law = {"cycles_ref": self._a("li_ion_cycles_ref"), "dod_ref": self._a("li_ion_dod_ref"),
                   "exponent": self._a("li_ion_dod_exponent"), "max_dod": self._a("li_ion_max_dod")}
            bat = power.size_battery(hist, load * u.W, lifetime=life, dod_law=law,
                                     discharge_efficiency=self._a("battery_discharge_efficiency"),
                                     specific_energy=self.scenario.assumptions["battery_specific_energy"].value)
            battery_j = bat.capacity_j
            availability = 1.0
        else:
            bat = None
            battery_j = 0.0
            availability = float(np.mean(hist.illuminated))
        rad = thermal.size_radiator(load * u.W, history=hist, orientation=s.orbit["radiator_orientation"],
                                    two_sided=s.orbit["two_sided_radiator"],
                                    areal_density=self.scenario.assumptions["radiator_areal_density"].value)
        if not rad.feasible:
            raise InputError(
                f"{s.source}: [orbit.radiator_orientation] = {s.orbit['radiator_orientation']!r}: the radiator "
                "absorbs more than it can emit at the allowed temperature; choose 'edge_on' or a colder chain")
        sizing = dict(
            quick=self._quick,
            n_sat=n_sat,
            load_w=load,
            array_w_per_w=arr.power_bol_w / p_it,
            battery_j_per_w=battery_j / p_it,
            radiator_m2_per_w=rad.area_m2 / p_it,
            array_m2_per_w=arr.area_m2 / p_it,
            availability=availability,
            sunlit_fraction=float(np.mean(hist.illuminated)),
            shadow_fraction_year=float(ecl.shadow_seconds("any")[0] / ecl.window_s),
            worst_orbit_shadow=float(np.max(arr.eclipse_s) / hist.period_s),
            seasons=[{"start": c["start"], "end": c["end"], "days": float(c["duration_days"])}
                     for c in seasons.rows()],
            radiator_net_w_m2=rad.net_w_m2,
            radiator_temperature_c=rad.temperature_k - 273.15,
            array=arr, battery=bat, radiator=rad, history=hist, eclipses=ecl,
            cluster=cluster, relay=relay,
        )
        # in steps (the geometry is frozen): sizing and latency, then what is built from them
        g = Geometry(**sizing, **self._latency(cluster, relay, n_sat), capacity=None, region_rtt=None)
        return dataclasses.replace(g, capacity=self._capacity(g),
                                   region_rtt=None if g.regions is None else self._region_rtt(g),
                                   # figure data (issue 12): no result reads it, plotting draws it
                                   **self._figure_data(g, start, stop))

    def _figure_data(self, g: Geometry, start, stop) -> dict:
        """Data only the figures read (issue 12, item 4: plotting draws, it never propagates),
        computed once with the geometry.  The geometry entries this adds:

        * ``"eclipse_year"``: :class:`~orbitcompute.eclipse.EclipseYear` of cluster satellite
          0 over the analysed year (from the eclipse table above and the beta angle).
        * ``"worst_orbit_energy"``: :class:`~orbitcompute.power.EnergySeries` of one
          satellite over the orbit that sized the array, sampled every 10 s, at end of life,
          starting with a full battery.
        * ``"ground_tracks"``: dict of the tracks over one cluster orbit from ``start``,
          30 s apart: ``cluster_lat_deg``/``cluster_lon_deg`` ``(n_cluster, n_time)``,
          ``relay_lat_deg``/``relay_lon_deg`` ``(n_sample, n_time)`` for up to 6 relay
          satellites spread evenly (``(0, n_time)`` without a relay), ``relay_satellites``
          (the relay's size) and ``period_s``.
        """

        cluster, relay, arr, hist = g.cluster, g.relay, g.array, g.history
        t0 = offset(hist.epoch, float(arr.orbit_start_s[arr.worst_orbit]))
        worst = sunlight_history(cluster, t0, offset(t0, float(hist.period_s)), 10.0 * u.s, satellite=0)
        period = float(cluster.period.m_as("s")[0])
        t = time_grid(start, offset(start, period), 30.0 * u.s)

        def track(con):
            lat, lon, _ = ecef_to_geodetic(con.positions(t, frame="itrs").m_as("m"))
            return np.degrees(lat), np.degrees(lon)

        empty = np.zeros((0, len(t)))
        if relay is not None:
            pick = np.unique(np.linspace(0, len(relay) - 1, min(6, len(relay))).astype(int))
            relay_lat, relay_lon = track(relay[pick])
        else:
            relay_lat, relay_lon = empty, empty
        cluster_lat, cluster_lon = track(cluster)
        return {
            "eclipse_year": eclipse_year(cluster, start, stop, satellite=0, table=g.eclipses),
            "worst_orbit_energy": energy_series(worst, g.load_w * u.W, arr, g.battery),
            "ground_tracks": {"cluster_lat_deg": cluster_lat, "cluster_lon_deg": cluster_lon,
                              "relay_lat_deg": relay_lat, "relay_lon_deg": relay_lon,
                              "relay_satellites": 0 if relay is None else len(relay), "period_s": period},
        }

    def _latency(self, cluster, relay, n_sat: int) -> dict:
        """The latency, place and ground-station fields of :class:`Geometry`
        (:data:`orbitcompute.geometry.LATENCY_FIELDS`), by name."""

        s = self.scenario
        self._progress("regions and cloud regions")
        limit = s.regions["cities_per_region"]
        codes = s.regions["codes"]
        if s.regions["kind"] == "continent":
            regs = [Region.from_continents(c, limit=limit) for c in (codes or ["AF", "AS", "EU", "NA", "OC", "SA"])]
        elif s.regions["kind"] == "subregion":
            if not codes:
                raise InputError(f"{s.source}: [regions.codes] is empty: list the UN subregions to compare")
            regs = [Region.from_subregions(c, limit=limit) for c in codes]
        else:
            if not codes:
                raise InputError(f"{s.source}: [regions.codes] is empty: list ISO country codes")
            regs = [Region.from_countries(c, limit=limit) for c in codes]
        sites = TerrestrialSites.cloud_regions(s.terrestrial["providers"])

        places = GroundSites(
            tuple(f"{r.name}:{n}" for r in regs for n in r.places.names),
            np.concatenate([r.places.lat_rad for r in regs]), np.concatenate([r.places.lon_rad for r in regs]),
            np.concatenate([r.places.height_m for r in regs]))
        owner = np.concatenate([np.full(len(r.places), k) for k, r in enumerate(regs)])
        weights = np.concatenate([r.weights for r in regs])
        start = to_time(s.scenario["start"], "start")
        hours = s.analysis["latency_hours"].m_as("s") / (6.0 if self._quick else 1.0)
        times = time_grid(start, offset(start, hours), s.analysis["latency_step"] * (2 if self._quick else 1))
        self._progress(f"RTT over {len(times)} snapshots for {len(places)} places")
        min_el = s.orbit["min_elevation"]
        st_el = self.station_min_elevation()
        stations, clear = self._stations(sites)
        access = cluster if relay is not None else self._access_cluster(n_sat, cluster)
        if relay is not None:
            rtt_orb = latency.cluster_isl_rtt(relay, cluster, places, times, min_elevation=min_el,
                                              cluster_links=s.links["cluster_terminals"]).m_as("ms")
        else:
            rtt_orb = latency.cluster_ground_rtt(access, places, stations, times,
                                                 station_min_elevation=st_el).m_as("ms")
        # contact windows of the cluster with the ground stations over a day

        self._progress("ground-station contact windows")
        passes = find_passes(access, stations, start, offset(start, 86400.0), min_elevation=st_el)
        station_contact = coverage(passes)
        rtt_ter = latency.terrestrial_rtt(places, sites.to_ground_sites(), nearest=False).m_as("ms")
        return dict(regions=regs, places=places, owner=owner, weights=weights, sites=sites,
                    times=times, rtt_orbital_ms=rtt_orb, rtt_terrestrial_ms=rtt_ter,
                    stations=stations, station_clear_fraction=clear, station_contact=station_contact,
                    station_site_clear_fraction=self._station_site_clear,
                    passes=passes, access_cluster=access)

    def _capacity(self, g: Geometry) -> RelayCapacity | StationCapacity:
        """Link capacity per time step at the scenario's link assumptions (see
        :mod:`orbitcompute.capacity`): the cluster's egress into the relay and the relay
        satellites each region sees, or the ground stations' downlink rates and weather."""

        s = self.scenario
        L = s.links
        times = g.times
        if g.relay is not None:
            self._progress("link capacity: cluster egress and relay access")
            term = getattr(OpticalTerminal, L["isl_terminal"])()
            ranges = capacity.cluster_relay_ranges(g.relay, g.cluster, times, links=L["cluster_terminals"])
            rates = capacity.terminal_rate_si(term, term, ranges)  # (n_cluster, n_time, links), NaN: no partner
            # every satellite of the cluster has its terminals: scale the representative set
            egress = np.nansum(rates, axis=(0, 2)) * g.n_sat / len(g.cluster)
            sats = capacity.relay_access_counts(g.relay, g.places, g.owner, len(g.regions), times,
                                                min_elevation_rad=s.orbit["min_elevation"].m_as("rad"))
            return RelayCapacity(egress_bps=egress, relay_satellites=sats, isl_terminal=term,
                                 link_ranges_m=ranges)
        self._progress("link capacity: ground-station downlinks")
        term = getattr(OpticalTerminal, L["downlink_terminal"])()
        receiver = OpticalTerminal.ground_receiver()
        cap = None if L["downlink_rate_cap"] is None else L["downlink_rate_cap"].m_as("bit/s")
        rng, el = capacity.station_link_geometry(g.access_cluster, g.stations, times,
                                                 min_elevation_rad=self.station_min_elevation().m_as("rad"))
        loss = ground_optical_loss_db(el, self._a("optical_zenith_loss_db"), self._a("optical_turbulence_margin_db"))
        rates = np.where(np.isfinite(rng), capacity.terminal_rate_si(term, receiver, rng, loss, max_rate_bps=cap), 0.0)
        dist = capacity.station_capacity(rates, g.station_clear_fraction, correlation=L["weather_correlation"])
        # the same downlinks under the other weather models, for the report's comparison
        flat = np.full(len(g.stations), self._a("clear_sky_fraction"))
        options = {("clear", "independent"): np.ones(len(g.stations)), ("flat", "independent"): flat,
                   ("flat", "comonotone"): flat}
        if g.station_site_clear_fraction is not None:
            options[("site", "independent")] = g.station_site_clear_fraction
            options[("site", "comonotone")] = g.station_site_clear_fraction
        alternatives = {k: capacity.station_capacity(rates, p, correlation=k[1]) for k, p in options.items()}
        return StationCapacity(station_rates_bps=rates, station_range_m=rng, station_elevation_rad=el,
                               downlink_terminal=term, receiver=receiver, distribution=dist,
                               weather_alternatives=alternatives)

    def station_min_elevation(self):
        """The ground stations' elevation mask [deg]: ``orbit.links.station_min_elevation``,
        by default 20 deg when they carry the data (no relay), 10 deg with a relay."""

        given = self.scenario.links["station_min_elevation"]
        if given is not None:
            return given
        return (20.0 if self.scenario.relay["kind"] == "none" else 10.0) * u.deg

    def _stations(self, sites):
        """Ground stations and the probability that each one's sky is clear.

        ``orbit.links.station_sites = "optical_sites"``: the clearest of the shipped optical
        ground sites (:func:`orbitcompute.links.optical_ground_sites`); ``"cloud_regions"``:
        the cloud regions of the most populous distinct countries.  ``orbit.links.weather``
        sets the clear-sky fractions: per site, one flat assumption, or always clear.
        """

        s = self.scenario
        n = s.orbit["ground_stations"]
        if n == 0 and s.relay["kind"] == "none":
            raise InputError(f"{s.source}: [orbit.ground_stations] = 0 with no relay: the cluster "
                             "cannot be reached; set ground_stations or a relay")
        carries_data = s.relay["kind"] == "none"
        weather = s.links["weather"] if carries_data else "clear"
        where = s.links["station_sites"] or ("optical_sites" if carries_data else "cloud_regions")
        if where == "optical_sites":
            table = optical_ground_sites()
            if n > len(table):
                raise InputError(f"{s.source}: [orbit.ground_stations] = {n} but only {len(table)} optical ground "
                                 "sites are shipped; use at most that many, or orbit.links.station_sites = "
                                 "\"cloud_regions\"")
            order = np.argsort(-np.asarray(table.clear_sky_fraction), kind="stable")[:n]
            st = table.sites
            stations = GroundSites(tuple(st.names[k] for k in order), st.lat_rad[order], st.lon_rad[order],
                                   st.height_m[order])
            site_clear = np.asarray(table.clear_sky_fraction, float)[order]
        else:
            if weather == "site":
                raise InputError(f"{s.source}: [orbit.links.weather] = \"site\" needs clear-sky statistics, which "
                                 "only the optical ground sites have: set orbit.links.station_sites = "
                                 "\"optical_sites\" or weather = \"flat\"")
            stations = self._cloud_region_stations(sites, n)
            site_clear = np.ones(len(stations))
        clear = {"site": site_clear, "flat": np.full(len(stations), self._a("clear_sky_fraction")),
                 "clear": np.ones(len(stations))}[weather]
        self._station_site_clear = site_clear if where == "optical_sites" else None
        return stations, clear

    def _cloud_region_stations(self, sites, n: int):
        """The cloud regions nearest the most populous distinct countries."""

        seen, idx = set(), []
        for k, cc in enumerate(sites.country_codes):
            if cc not in seen:
                seen.add(cc)
                idx.append(k)
            if len(idx) == n:
                break
        g = sites.to_ground_sites()
        return GroundSites(tuple(g.names[k] for k in idx), g.lat_rad[idx], g.lon_rad[idx], g.height_m[idx])

    # ------------------------------------------------------------ model contract
    def assumptions(self) -> dict[str, Assumption]:
        """The assumptions :meth:`evaluate` reads (name -> Assumption with range)."""
        return {k: self.scenario.assumptions[k] for k in MODEL_INPUTS}

    def describe(self) -> dict:
        """Scenario name and source, and the unit of every output of :meth:`evaluate`."""
        return {"scenario": self.scenario.name, "source": self.scenario.source,
                "output_units": self.evaluate({}).units()}  # from the schema, orbitcompute.evaluation.OUTPUTS

    def _values(self, values: dict) -> dict[str, np.ndarray]:
        out = {}
        for name, unit in MODEL_INPUTS.items():
            a = self.scenario.assumptions[name]
            own = a.unit or "dimensionless"
            if name in values:
                x = np.asarray(values[name], dtype=np.float64)
                if unit and unit != own:
                    x = x * float(quantity(1.0, own).m_as(unit))
            else:
                x = np.asarray(a.value.m_as(unit or "dimensionless"), dtype=np.float64)
            out[name] = x
        return out

    def _site_arrays(self, site_index) -> dict[str, np.ndarray]:
        if not hasattr(self, "_site_table"):  # read the sites' records once per geometry

            sites = self.geometry.sites
            self._site_table = {
                "electricity_usd_per_kwh": np.array([a.value.m_as("USD/kWh") for a in sites.electricity_price()]),
                "carbon_g_per_kwh": np.array([a.value.m_as("g/kWh") for a in sites.carbon_intensity()]),
                "wue": float(wue().value.m_as("L/kWh")),
            }

        t = self._site_table
        p = self.scenario.terrestrial["pue"] or pue().value.m
        sl = np.asarray(site_index)
        return {"electricity_usd_per_kwh": t["electricity_usd_per_kwh"][sl], "carbon_g_per_kwh": t["carbon_g_per_kwh"][sl],
                "pue": np.full(sl.shape, float(p)), "wue_l_per_kwh": np.full(sl.shape, t["wue"])}

    def _economics_inputs(self, v: dict) -> dict:
        g = self.geometry
        s = self.scenario
        it_power = s.workload["it_power"].m_as("W")
        launch_kg_per_w, compute_kg_per_w = launch_mass_per_w(v, g)
        p = {
            "it_power_w": it_power, "it_w_per_accelerator": v["it_w_per_accelerator"],
            "accelerator_cost_usd": v["accelerator_cost"], "accelerator_flops": v["accelerator_tflops"] * 1e12,
            "utilization": v["utilization"], "years": v["years"], "discount_rate": v["discount_rate"],
            "launch_kg_per_w": launch_kg_per_w, "compute_kg_per_w": compute_kg_per_w,
            "launch_price_usd_per_kg": v["launch_price"], "spacecraft_cost_usd_per_kg": v["spacecraft_cost"],
            "satellite_life_years": v["satellite_life"], "failure_rate_per_year": v["failure_rate_orbit"],
            "replace": v["replace_in_orbit"], "replacement_launched": v["replacement_launched"],
            "ops_fraction_per_year": v["ops_fraction"],
            "ground_capex_usd": s.orbit["ground_stations"] * v["ground_station_cost"],
            "ground_opex_usd_per_year": s.orbit["ground_stations"] * v["ground_station_opex"],
            "nre_usd": v["nre"], "availability": g.availability * v["availability_orbit_outage"],
            # installed output: the links' share is applied per region (served_fractions)
            "network_factor": 1.0, "launch_co2_kg_per_kg": v["launch_co2"],
            "spacecraft_co2_kg_per_kg": v["spacecraft_co2"], "payload_per_launch_kg": v["payload_per_launch"],
            "construction_usd_per_w": v["construction_cost"],
            "facility_opex_fraction_per_year": v["facility_opex_fraction"],
            "hardware_life_years": v["hardware_life"], "ground_failure_rate_per_year": v["failure_rate_ground"],
            "availability_terrestrial": v["availability_terrestrial"], "water_price_usd_per_l": v["water_price"],
        }
        return p

    def evaluate(self, values: dict | None = None) -> Evaluation:
        """Outputs for assumption values (arrays of draws, in each assumption's unit).

        Returns
        -------
        Evaluation
            A read-only mapping of output name -> ndarray of shape ``(n,)``:
            ``orbital:<metric>`` (installed), ``demand_gbps`` and, for every region,
            ``served:<region>``, ``capacity_gbps:<region>``, ``orbital:<metric>:<region>``
            (per delivered unit), ``terrestrial:<metric>:<region>`` at the region's chosen
            site and ``ratio:<region>`` (orbital / terrestrial cost per accelerator-hour);
            every family with its unit is in :data:`orbitcompute.evaluation.OUTPUTS`.
        """
        v = self._values(values or {})
        p = self._economics_inputs(v)
        orb = economics.orbital(p)
        chosen = self.chosen_sites()
        ter = economics.terrestrial(p, self._site_arrays(chosen))
        n = max([np.size(x) for x in v.values()] + [1])
        out = {f"orbital:{k}": np.broadcast_to(np.asarray(x, float), (n,)).copy() for k, x in orb.items()}
        demand = np.broadcast_to(self.demand_bps(v), (n,))
        served, cap_mean = self.served_fractions(v, demand)
        out["demand_gbps"] = demand / 1e9
        for k, reg in enumerate(self.geometry.regions):
            f = np.broadcast_to(served[..., k], (n,))
            out[f"served:{reg.name}"] = f.copy()
            out[f"capacity_gbps:{reg.name}"] = np.broadcast_to(cap_mean[..., k], (n,)) / 1e9
            delivered = economics.delivered(orb, f)
            for key in DELIVERED_METRICS:
                out[f"orbital:{key}:{reg.name}"] = np.broadcast_to(np.asarray(delivered[key], float), (n,)).copy()
            for key in ("cost_per_accelerator_hour", "cost_per_pflop_day", "co2_kg_per_accelerator_hour",
                        "energy_cost_per_mwh", "total_usd", "water_l"):
                col = np.asarray(ter[key], float)
                col = col[..., k] if col.ndim else col
                out[f"terrestrial:{key}:{reg.name}"] = np.broadcast_to(col, (n,)).copy()
            out[f"ratio:{reg.name}"] = (out[f"orbital:cost_per_accelerator_hour:{reg.name}"]
                                        / out[f"terrestrial:cost_per_accelerator_hour:{reg.name}"])
        return Evaluation(out)

    # ------------------------------------------------------------ capacity
    def workload_intensity(self) -> dict:
        """The workload's data intensity and latency class, resolved from the scenario.

        Returns
        -------
        dict
            ``bits_per_flop`` [bit/FLOP] (None when the scenario gives bytes per
            accelerator-hour instead), ``bytes_per_accelerator_hour`` [byte] (None when
            given per FLOP), ``buffered`` (bool) and ``preset`` (name or None).
        """
        w = self.scenario.workload
        preset = None
        if w["preset"] is not None:
            preset = WORKLOADS[w["preset"]]
        given = preset is None  # the scenario refuses a preset with a volume
        data = w["data_per_accelerator_hour"].m_as("byte") if w["data_per_accelerator_hour"] is not None else 1e9
        buffered = w["buffered"] if w["buffered"] is not None else (
            preset is not None and preset.latency_class == "batch")
        return {"preset": w["preset"], "buffered": bool(buffered),
                "bits_per_flop": None if given else float(preset.bits_per_flop),
                "bytes_per_accelerator_hour": data if given else None}

    def demand_bps(self, v: dict | None = None) -> np.ndarray:
        """The workload's data rate in and out while it computes [bit/s], per draw of ``v``
        (:func:`orbitcompute.capacity.demand_bps`)."""
        v = self._values({}) if v is None else v
        w = self.workload_intensity()
        busy = self.scenario.workload["it_power"].m_as("W") / v["it_w_per_accelerator"] * v["utilization"]
        if w["bits_per_flop"] is None:  # bytes per accelerator-hour: FLOP/s do not matter
            return busy * w["bytes_per_accelerator_hour"] * 8.0 / 3600.0

        per_acc = np.asarray(v["accelerator_tflops"] * 1e12, float)
        return demand_bps(w["preset"], busy * per_acc, accelerator_flops=per_acc)

    def capacity_series(self, v: dict | None = None) -> np.ndarray:
        """Capacity available to each region per time step [bit/s], shape
        ``(..., n_region, n_time)`` (leading axis for draws of ``v``); for ground stations
        the expected capacity over the weather.  See :mod:`orbitcompute.capacity`."""
        v = self._values({}) if v is None else v
        c = self.geometry.capacity
        n_region = len(self.geometry.regions)
        if c.architecture == "relay":
            return self._relay_capacity(v["relay_share"] * v["relay_user_capacity"] * 1e9)
        clear = self.geometry.station_clear_fraction
        mean = np.sum(clear[:, None] * c.station_rates_bps, axis=0)
        return np.broadcast_to(mean, (n_region, mean.size))

    def _relay_capacity(self, per_satellite_bps) -> np.ndarray:
        """``min(egress(t), per-satellite share x relay satellites in view(t))`` per region
        [bit/s], shape ``(..., n_region, n_time)`` for ``per_satellite_bps`` of shape ``(...)``."""
        c = self.geometry.capacity
        per_sat = np.asarray(per_satellite_bps, float)[..., None, None]
        return np.minimum(c.egress_bps, per_sat * c.relay_satellites)

    def cost_at_intensity(self, bits_per_flop) -> tuple[np.ndarray, np.ndarray]:
        """Orbital cost per delivered accelerator-hour, per region, if the workload moved
        ``bits_per_flop`` [bit/FLOP] (shape ``(n,)``) at the scenario's other values.

        Returns
        -------
        cost, served : ndarray, shape ``(n, n_region)`` [USD/h], [-]
        """
        bpf = np.atleast_1d(np.asarray(bits_per_flop, float))
        v = self._values({})
        busy = self.scenario.workload["it_power"].m_as("W") / v["it_w_per_accelerator"] * v["utilization"]
        demand = busy * v["accelerator_tflops"] * 1e12 * bpf
        served, _ = self.served_fractions(v, demand)
        installed = economics.orbital(self._economics_inputs(v))
        return economics.delivered(installed, served)["cost_per_accelerator_hour"], served

    def intensity_curve(self, bits_per_flop=None) -> dict:
        """The curve of orbital cost per delivered accelerator-hour versus the workload's
        data intensity, per region (default: 1e-11 to 1e-3 bit/FLOP, 65 points), with the
        :data:`orbitcompute.WORKLOADS` presets' intensities for reference."""

        bpf = np.logspace(-11, -3, 65) if bits_per_flop is None else np.asarray(bits_per_flop, float)
        cost, served = self.cost_at_intensity(bpf)
        names = [r.name for r in self.geometry.regions]
        return {"bits_per_flop": bpf.tolist(),
                "cost": {n: cost[:, k].tolist() for k, n in enumerate(names)},
                "served": {n: served[:, k].tolist() for k, n in enumerate(names)},
                "presets": {k: float(w.bits_per_flop) for k, w in WORKLOADS.items()}}

    def served_fractions(self, v: dict, demand) -> tuple[np.ndarray, np.ndarray]:
        """Fraction of the demand served per region and its mean capacity [bit/s].

        Returns
        -------
        served, capacity_mean : ndarray, shape ``(n, n_region)``
        """

        c = self.geometry.capacity
        buffered = self.workload_intensity()["buffered"]
        d = np.atleast_1d(np.asarray(demand, float))
        n_region = len(self.geometry.regions)
        if c.architecture == "ground":
            dist = c.distribution
            f = np.broadcast_to(dist.served(d, buffered=buffered)[:, None], (d.size, n_region))
            return f, np.full((d.size, n_region), dist.mean)
        per_sat = np.broadcast_to(np.atleast_1d(v["relay_share"] * v["relay_user_capacity"] * 1e9), d.shape)
        served = np.empty((d.size, n_region))
        mean = np.empty((d.size, n_region))
        block = 1024  # draws per block: (block, n_region, n_time) floats
        for k0 in range(0, d.size, block):
            sl = slice(k0, min(d.size, k0 + block))
            cap = self._relay_capacity(per_sat[sl])
            served[sl] = served_fraction(cap, d[sl, None], buffered=buffered)
            mean[sl] = np.mean(cap, axis=-1)
        return served, mean

    # ------------------------------------------------------------ per-region choices
    def region_rtt(self) -> dict:
        """Weighted RTT percentiles per region: orbital, and terrestrial per site (computed
        with the geometry, which they depend on alone: :attr:`Geometry.region_rtt`)."""
        return self.geometry.region_rtt

    @staticmethod
    def _region_rtt(g: Geometry) -> dict:
        """Per region: the orbital RTT summary (:func:`orbitcompute.latency.summarize_rtt`,
        the one computation of it) and the terrestrial p50/p95/p99 to every site."""

        groups = {reg.name: np.flatnonzero(g.owner == k) for k, reg in enumerate(g.regions)}
        summaries = summarize_rtt(quantity(g.rtt_orbital_ms, "ms"), g.weights, groups)
        out = {}
        for reg, summ in zip(g.regions, summaries):
            idx = groups[reg.name]
            orbital = {"p50": float(summ.p50.m), "p95": float(summ.p95.m), "p99": float(summ.p99.m),
                       "availability": float(summ.availability)}
            # (3, n_site): each site's weighted percentiles over the region's places
            ter = weighted_percentiles(g.rtt_terrestrial_ms[idx].T, g.weights[idx], [50, 95, 99])
            out[reg.name] = {"orbital": orbital, "terrestrial_p50": np.asarray(ter[0], float),
                             "terrestrial_p95": np.asarray(ter[1], float), "terrestrial_p99": np.asarray(ter[2], float)}
        return out

    def chosen_sites(self) -> np.ndarray:
        """Per region, the cheapest cloud region meeting the latency requirement at the
        scenario's values (the lowest-p95 site if none meets it), shape ``(n_region,)``."""
        if hasattr(self, "_chosen"):
            return self._chosen
        req = self.scenario.workload["latency_requirement"].m_as("ms")
        v = self._values({})
        p = self._economics_inputs(v)
        n_site = len(self.geometry.sites)
        cost = np.asarray(economics.terrestrial(p, self._site_arrays(np.arange(n_site)))["cost_per_accelerator_hour"])
        rtt = self.region_rtt()
        chosen = []
        for reg in self.geometry.regions:
            p95 = rtt[reg.name]["terrestrial_p95"]
            ok = p95 <= req
            chosen.append(int(np.argmin(np.where(ok, cost, np.inf))) if ok.any() else int(np.argmin(p95)))
        self._chosen = np.array(chosen)
        return self._chosen

    # ------------------------------------------------------------ the result
    def run(self) -> FeasibilityResult:
        """Evaluate at the scenario's values; verdict, binding constraint, break-evens."""
        self._progress("costs and verdicts")
        s = self.scenario
        base = self.evaluate({})
        req = s.workload["latency_requirement"].m_as("ms")
        rtt = self.region_rtt()
        sites = self.geometry.sites
        chosen = self.chosen_sites()
        lp = self._a("launch_price", "USD/kg")
        hi_lp = self.evaluate({"launch_price": np.array([lp, lp + 1000.0])})
        sp = self._a("array_specific_power", "W/kg")
        hi_sp = self.evaluate({"array_specific_power": np.array([sp, 2 * sp])})
        regions = []
        orb_launch_share = float(base["orbital:launch_usd"][0] / base["orbital:total_usd"][0])
        installed_cost = float(base["orbital:cost_per_accelerator_hour"][0])
        demand = float(base["demand_gbps"][0])
        buffered = self.workload_intensity()["buffered"]
        for k, reg in enumerate(self.geometry.regions):
            j = int(chosen[k])
            ter_cost = float(base[f"terrestrial:cost_per_accelerator_hour:{reg.name}"][0])
            orbital_cost = float(base[f"orbital:cost_per_accelerator_hour:{reg.name}"][0])
            o_rtt = rtt[reg.name]["orbital"]
            t_p95 = float(rtt[reg.name]["terrestrial_p95"][j])
            cap = {"demand_gbps": demand, "capacity_gbps": float(base[f"capacity_gbps:{reg.name}"][0]),
                   "served_fraction": float(base[f"served:{reg.name}"][0]), "buffered": buffered}
            verdict, code, binding = decide(
                orbital_p95_ms=float(o_rtt["p95"]), orbital_availability=float(o_rtt["availability"]),
                terrestrial_p95_ms=t_p95, requirement_ms=req, orbital_cost=orbital_cost, terrestrial_cost=ter_cost,
                installed_cost=installed_cost, launch_share=orb_launch_share, capacity=cap)
            # break-evens (the cost is linear in launch price and in 1 / specific power)
            key = f"orbital:cost_per_accelerator_hour:{reg.name}"
            be_lp = float(economics.break_even_linear(hi_lp[key][0], hi_lp[key][1], lp, lp + 1000.0, ter_cost))
            inv = float(economics.break_even_linear(hi_sp[key][0], hi_sp[key][1], 1 / sp, 1 / (2 * sp), ter_cost))
            be_sp = 1.0 / inv if inv > 0 else float("inf")
            be_price = self._electricity_break_even(j, orbital_cost)
            be_co2 = self._launch_co2_break_even(
                float(base[f"terrestrial:co2_kg_per_accelerator_hour:{reg.name}"][0]), reg.name)
            regions.append(RegionResult(
                region=reg.name, n_place=len(reg.places),
                orbital_rtt_ms=dict(o_rtt),
                terrestrial_site=f"{sites.providers[j]}:{sites.codes[j]} ({sites.names[j]})",
                terrestrial_rtt_ms={"p50": float(rtt[reg.name]["terrestrial_p50"][j]), "p95": t_p95,
                                    "p99": float(rtt[reg.name]["terrestrial_p99"][j])},
                orbital={m: float(base[f"orbital:{m}:{reg.name}" if m in DELIVERED_METRICS else f"orbital:{m}"][0])
                         for m in ("cost_per_accelerator_hour", "cost_per_pflop_day", "energy_cost_per_mwh",
                                   "co2_kg_per_accelerator_hour", "total_usd", "launch_mass_kg", "launches")},
                terrestrial={m: float(base[f"terrestrial:{m}:{reg.name}"][0]) for m in (
                    "cost_per_accelerator_hour", "cost_per_pflop_day", "energy_cost_per_mwh",
                    "co2_kg_per_accelerator_hour", "total_usd", "water_l")},
                verdict=verdict, binding_constraint=binding, binding_code=code, capacity=cap,
                terrestrial_site_index=j,
                break_even={"launch_price_usd_per_kg": be_lp if be_lp > 0 else None,
                            "array_specific_power_w_per_kg": be_sp if np.isfinite(be_sp) and be_sp > 0 else None,
                            "electricity_price_usd_per_kwh": be_price if be_price > 0 else None,
                            "launch_co2_kg_per_kg": be_co2 if be_co2 > 0 else None},
            ))
        g = self.geometry
        # the result's geometry: the model's, with the capacity series at this scenario's values
        g = dataclasses.replace(g, capacity_series_bps=np.asarray(self.capacity_series(), float))
        design = {
            "satellites": g.n_sat, "it_power_per_satellite_w": s.orbit["it_power_per_satellite"].m_as("W"),
            "array_w_per_w": g.array_w_per_w, "array_m2_per_kw": 1e3 * g.array_m2_per_w,
            "battery_wh_per_kw": 1e3 * g.battery_j_per_w / 3600.0,
            "radiator_m2_per_kw": 1e3 * g.radiator_m2_per_w, "radiator_net_w_m2": g.radiator_net_w_m2,
            "radiator_temperature_c": g.radiator_temperature_c,
            "launch_kg_per_kw": 1e3 * float(launch_mass_per_w(self._values({}), g)[0]),
            "sunlit_fraction": g.sunlit_fraction, "shadow_fraction_year": g.shadow_fraction_year,
            "worst_orbit_shadow": g.worst_orbit_shadow, "eclipse_seasons": g.seasons,
            "ground_stations": list(g.stations.names),
            "station_contact_fraction": [float(x) for x in g.station_contact],
            "demand_gbps": float(base["demand_gbps"][0]), "workload": self.workload_intensity(),
            "capacity_architecture": g.capacity.architecture, "intensity_curve": self.intensity_curve(),
            "weather": self._weather_summary(float(base["demand_gbps"][0]) * 1e9, installed_cost),
            "latency_architecture": "cluster over the relay's laser links" if g.relay is not None
            else "cluster through ground stations and fibre",
            "orbital_installed_usd_per_accelerator_hour": installed_cost,
            "orbital_costs_usd": {k.split(":", 1)[1]: float(base[k][0]) for k in base
                                  if k.startswith("orbital:") and k.endswith("_usd")},
        }
        return FeasibilityResult(scenario=s, regions=regions, design=design, assumptions=self.assumptions(),
                                 versions=versions(), geometry=g)

    def _weather_summary(self, demand_bps: float, installed_cost: float) -> dict | None:
        """Ground stations' downlinks under each weather model (None with a relay): the
        served fraction and orbital cost per delivered accelerator-hour, and per station the
        clear-sky fraction used, the contact fraction and the mean rate in contact."""
        g = self.geometry
        c = g.capacity
        if c.architecture != "ground":
            return None
        buffered = self.workload_intensity()["buffered"]
        L = self.scenario.links
        rows = []
        for (weather, corr), dist in c.weather_alternatives.items():
            f = float(dist.served(demand_bps, buffered=buffered))
            rows.append({"weather": weather, "correlation": corr, "served_fraction": f,
                         "orbital_cost_per_accelerator_hour": installed_cost / f if f > 0 else float("inf"),
                         "capacity_gbps": dist.mean / 1e9,
                         "scenario": weather == L["weather"] and corr == L["weather_correlation"]})
        r = c.station_rates_bps
        up = r > 0
        stations = [{"name": n, "clear_sky_fraction": float(p), "contact_fraction": float(np.mean(up[i])),
                     "mean_rate_in_contact_gbps": float(np.mean(r[i][up[i]]) / 1e9) if up[i].any() else 0.0}
                    for i, (n, p) in enumerate(zip(g.stations.names, g.station_clear_fraction))]
        return {"alternatives": rows, "stations": stations,
                "availability_independent": float(site_diversity(g.station_clear_fraction, "independent")),
                "availability_comonotone": float(site_diversity(g.station_clear_fraction, "comonotone"))}

    def _launch_co2_break_even(self, terrestrial_co2: float, region: str) -> float:
        """Launch emission factor [kgCO2/kg] at which orbital carbon per accelerator-hour
        delivered to ``region`` equals the terrestrial site's (REFERENCES case 11's
        ~370 kg/kg is such a figure)."""
        ef = self._a("launch_co2", "kg/kg")
        c = self.evaluate({"launch_co2": np.array([ef, ef + 100.0])})[f"orbital:co2_kg_per_accelerator_hour:{region}"]
        return float(economics.break_even_linear(c[0], c[1], ef, ef + 100.0, terrestrial_co2))

    def _electricity_break_even(self, site: int, orbital_cost: float) -> float:
        v = self._values({})
        p = self._economics_inputs(v)
        sa = self._site_arrays(np.array([site, site]))
        sa["electricity_usd_per_kwh"] = np.array([0.0, 0.1])
        c = np.asarray(economics.terrestrial(p, sa)["cost_per_accelerator_hour"], float).reshape(-1)
        return float(economics.break_even_linear(c[0], c[1], 0.0, 0.1, orbital_cost))


def run_feasibility(scenario: Scenario | None = None, *, quick: bool = False,
                    progress: Callable[[str], None] | None = None) -> FeasibilityResult:
    """Run a scenario end to end (the embedded default when None)."""
    return FeasibilityModel(scenario or Scenario.default(), quick=quick, progress=progress).run()



#: Scenario keys the geometry does not read (labels, site choice, economics, studies).
_NOT_GEOMETRY_KEYS = {"scenario": ("name", "description"), "terrestrial": ("pue",),
                      "workload": ("latency_requirement", "data_per_accelerator_hour", "accelerator", "preset",
                                   "buffered"),
                      "analysis": ("seed", "draws")}


def geometry_key(scenario: Scenario, quick: bool = False) -> str:
    """A string that changes whenever anything the geometry depends on changes."""
    import json


    timeline_only = read_assumptions("assumptions_timeline.csv")  # read by orbitcompute.timeline alone
    fixed = {k: (a.describe(), a.source) for k, a in sorted(scenario.assumptions.items())
             if (k not in MODEL_INPUTS or k in GEOMETRY_INPUTS) and k not in timeline_only}
    raw = {k: (dict(v) if isinstance(v, dict) else v) for k, v in scenario.raw.items() if k != "assumptions"}
    for section, keys in _NOT_GEOMETRY_KEYS.items():
        if isinstance(raw.get(section), dict):
            raw[section] = {k: v for k, v in raw[section].items() if k not in keys}
    parts = {"raw": raw, "fixed": fixed, "quick": quick}
    return json.dumps(parts, sort_keys=True, default=str)


_MODELS: "OrderedDict[str, FeasibilityModel]" = OrderedDict()  # geometry key -> model, this process
_MODELS_MAX = 2


def shared_model(scenario: Scenario, *, quick: bool = False,
                 progress: Callable[[str], None] | None = None) -> "FeasibilityModel":
    """A model of ``scenario`` that reuses the geometry of one of the last two models this
    process built through this function, when :func:`geometry_key` allows it (sweeps over
    economic assumptions then cost one evaluation per point, not one geometry)."""
    key = geometry_key(scenario, quick)
    if key in _MODELS:
        _MODELS.move_to_end(key)
        return _MODELS[key].with_scenario(scenario, progress=progress)
    m = FeasibilityModel(scenario, quick=quick, progress=progress)
    _MODELS[key] = m
    while len(_MODELS) > _MODELS_MAX:
        _MODELS.popitem(last=False)
    return m
