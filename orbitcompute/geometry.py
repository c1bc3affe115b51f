"""The geometry of a feasibility model, typed: what :class:`~orbitcompute.feasibility.FeasibilityModel`
computes once (sizing per watt, a year of sunlight, places, RTT series, ground stations, link
capacity) and every study, figure and command reads.

:class:`Geometry` is a frozen dataclass with one documented field per item, so a reader sees
what exists and a typo fails at once (``AttributeError``); :class:`RelayCapacity` and
:class:`StationCapacity` are the two shapes of :attr:`Geometry.capacity` (a relay carries the
data, or ground stations do).  A :class:`~orbitcompute.result.FeasibilityResult` read back from
JSON has ``geometry=None``.

``result.geometry["x"]`` (the dict of earlier releases) still works for one release, with a
``DeprecationWarning``: use ``result.geometry.x``.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the model layer builds these, nothing is imported at run time
    import numpy as np
    from skyfield.timelib import Time

    from .capacity import CapacityDistribution
    from .eclipse import EclipseTable, EclipseYear
    from .links import OpticalTerminal
    from .orbits import Constellation
    from .power import ArraySizing, BatterySizing, EnergySeries
    from .regions import Region
    from .stations import GroundSites
    from .sun import SunlightHistory
    from .terrestrial import TerrestrialSites
    from .thermal import RadiatorSizing
    from .visibility import PassTable

__all__ = ["Geometry", "RelayCapacity", "StationCapacity"]


class _DeprecatedItems:
    """``obj["name"]`` as a deprecated alias of ``obj.name`` (the dicts of earlier releases)."""

    __slots__ = ()
    #: not iterable: the dict of earlier releases was; iterate ``dataclasses.fields(obj)``
    __iter__ = None

    def __getitem__(self, key: str) -> Any:
        names = [f.name for f in dataclasses.fields(self)]
        if key not in names:
            raise KeyError(f"{type(self).__name__} has no field {key!r}; fields: {', '.join(names)}")
        warnings.warn(f"result.geometry[{key!r}] is deprecated: use result.geometry.{key}"
                      if isinstance(self, Geometry) else
                      f"{type(self).__name__}[{key!r}] is deprecated: use the attribute .{key}",
                      DeprecationWarning, stacklevel=2)
        return getattr(self, key)

    def __contains__(self, key: object) -> bool:
        warnings.warn(f"'key in {type(self).__name__}' is deprecated: the fields are attributes "
                      "(see dataclasses.fields)", DeprecationWarning, stacklevel=2)
        return key in {f.name for f in dataclasses.fields(self)}


@dataclass(frozen=True, eq=False, kw_only=True)
class RelayCapacity(_DeprecatedItems):
    """Link capacity when a relay carries the data (:attr:`Geometry.capacity`, ``architecture = "relay"``).

    Computed at the scenario's link terminals (:mod:`orbitcompute.capacity`); the relay's
    share of its user links (``relay_share``, ``relay_user_capacity``) is applied in
    :meth:`~orbitcompute.feasibility.FeasibilityModel.evaluate`, vectorized over draws.

    Attributes
    ----------
    architecture : str
        ``"relay"``.
    egress_bps : ndarray (n_time,) [bit/s]
        The whole cluster's optical egress into the relay per time step (the representative
        satellites' terminal rates scaled to every satellite of the cluster).
    relay_satellites : ndarray of int64 (n_region, n_time)
        Relay satellites in view of each region's places per time step
        (:func:`~orbitcompute.capacity.relay_access_counts`).
    isl_terminal : OpticalTerminal
        The cluster's and the relay's laser terminal (``orbit.links.isl_terminal``).
    link_ranges_m : ndarray (n_cluster, n_time, links) [m]
        Range from each representative cluster satellite to its nearest relay partners
        (NaN: no partner); ``links`` is ``orbit.links.cluster_terminals``.
    """

    architecture: str = field(default="relay", init=False)
    egress_bps: np.ndarray
    relay_satellites: np.ndarray
    isl_terminal: OpticalTerminal
    link_ranges_m: np.ndarray


@dataclass(frozen=True, eq=False, kw_only=True)
class StationCapacity(_DeprecatedItems):
    """Link capacity when ground stations carry the data (no relay; :attr:`Geometry.capacity`,
    ``architecture = "ground"``).

    Attributes
    ----------
    architecture : str
        ``"ground"``.
    station_rates_bps : ndarray (n_station, n_time) [bit/s]
        Downlink rate of each station per time step under a clear sky (0 out of contact).
    station_range_m : ndarray (n_station, n_time) [m]
        Range to the satellite each station tracks (NaN: none above the mask).
    station_elevation_rad : ndarray (n_station, n_time) [rad]
        Elevation of that satellite.
    downlink_terminal : OpticalTerminal
        The cluster's downlink terminal (``orbit.links.downlink_terminal``).
    receiver : OpticalTerminal
        The ground receiver (:meth:`~orbitcompute.links.OpticalTerminal.ground_receiver`).
    distribution : CapacityDistribution
        Capacity over time and weather at the scenario's weather model and correlation.
    weather_alternatives : dict of (str, str) -> CapacityDistribution
        The same downlinks under the other weather models, keyed ``(weather, correlation)``
        (``("clear", "independent")``, ``("flat", ...)``, ``("site", ...)`` with optical sites).
    """

    architecture: str = field(default="ground", init=False)
    station_rates_bps: np.ndarray
    station_range_m: np.ndarray
    station_elevation_rad: np.ndarray
    downlink_terminal: OpticalTerminal
    receiver: OpticalTerminal
    distribution: CapacityDistribution
    weather_alternatives: dict


#: The fields :meth:`FeasibilityModel._latency` fills (None in the sizing-only geometry of the
#: ``orbitcompute power`` command).
LATENCY_FIELDS = ("regions", "places", "owner", "weights", "sites", "times", "rtt_orbital_ms",
                  "rtt_terrestrial_ms", "stations", "station_clear_fraction", "station_contact",
                  "station_site_clear_fraction", "passes", "access_cluster")


@dataclass(frozen=True, eq=False, kw_only=True)
class Geometry(_DeprecatedItems):
    """Everything :class:`~orbitcompute.feasibility.FeasibilityModel` computes once per
    geometry (:meth:`~orbitcompute.feasibility.FeasibilityModel.geometry_key`) and the
    vectorized evaluation, the figures and the commands read.

    Per-watt figures are per watt of IT (compute) power of one satellite.  Shapes use
    ``n_place`` (the weighted cities of all regions, region by region), ``n_time`` (the
    latency snapshots), ``n_site`` (cloud regions), ``n_station`` (ground stations) and
    ``n_region``.  The latency, station and capacity fields are None only in the
    sizing-only geometry of the ``orbitcompute power`` command.

    Attributes
    ----------
    quick : bool
        Whether this is the coarse geometry of ``FeasibilityModel(..., quick=True)``.
    n_sat : int
        Satellites in the whole cluster (IT power / IT power per satellite, rounded up).
    load_w : float [W]
        One satellite's electrical load: compute plus bus
        (:func:`~orbitcompute.feasibility.satellite_load_w`).
    array_w_per_w : float [W/W]
        Solar-array beginning-of-life power per watt of compute.
    battery_j_per_w : float [J/W]
        Battery capacity per watt of compute (0 without a battery).
    radiator_m2_per_w : float [m^2/W]
        Radiator area per watt of compute.
    array_m2_per_w : float [m^2/W]
        Solar-array area per watt of compute.
    availability : float [-]
        Fraction of time the compute is powered (1 with a battery, else the sunlit fraction).
    sunlit_fraction : float [-]
        Fraction of the year the sizing satellite is sunlit (:attr:`history`).
    shadow_fraction_year : float [-]
        Fraction of the year in any shadow (umbra or penumbra, :attr:`eclipses`).
    worst_orbit_shadow : float [-]
        Largest fraction of one orbit in shadow.
    seasons : list of dict
        Eclipse seasons: ``{"start": ISO str, "end": ISO str, "days": float}`` each.
    radiator_net_w_m2 : float [W/m^2]
        Net heat rejected per square metre of radiator on the hot orbit.
    radiator_temperature_c : float [degC]
        Radiator temperature.
    array : ArraySizing
        The array sized for one satellite's load (compute plus bus) on the worst orbit.
    battery : BatterySizing or None
        The battery (None with ``orbit.battery = false``).
    radiator : RadiatorSizing
        The radiator of one satellite.
    history : SunlightHistory
        A year of sunlight of cluster satellite 0.
    eclipses : EclipseTable
        The year's eclipses of that satellite.
    cluster : Constellation
        The cluster's representative satellites (up to 12; 4 in a quick geometry).
    relay : Constellation or None
        The relay shell (None: no relay, ground stations carry the data).
    regions : list of Region
        The user regions, in output order.
    places : GroundSites (n_place,)
        Every region's places, named ``"<region>:<city>"``.
    owner : ndarray of int (n_place,)
        Index into :attr:`regions` of each place.
    weights : ndarray (n_place,) [-]
        Population weight of each place within its region.
    sites : TerrestrialSites (n_site,)
        The cloud regions a region's workload may run in instead.
    times : skyfield Time (n_time,)
        The latency snapshots (``analysis.latency_hours`` at ``analysis.latency_step``).
    rtt_orbital_ms : ndarray (n_place, n_time) [ms]
        Round-trip time from each place to the cluster (over the relay's laser links, or
        through ground stations and fibre); NaN where there is no path.
    rtt_terrestrial_ms : ndarray (n_place, n_site) [ms]
        Round-trip time over fibre from each place to each cloud region.
    stations : GroundSites (n_station,)
        The ground stations.
    station_clear_fraction : ndarray (n_station,) [-]
        Probability that each station's sky is clear, under the scenario's weather model.
    station_contact : ndarray (n_station,) [-]
        Fraction of the first day each station is in contact with the access cluster.
    station_site_clear_fraction : ndarray (n_station,) [-] or None
        The optical sites' own clear-sky fractions (None when the stations are not optical
        ground sites).
    passes : PassTable
        Contact windows of :attr:`access_cluster` with :attr:`stations` over the first day.
    access_cluster : Constellation
        The satellites the stations can reach: :attr:`cluster` with a relay, else the whole
        cluster up to ``ACCESS_SATELLITES_MAX``.
    capacity : RelayCapacity or StationCapacity
        Link capacity per time step (``capacity.architecture`` is ``"relay"`` or ``"ground"``).
    region_rtt : dict
        Per region name: ``{"orbital": {"p50", "p95", "p99" [ms], "availability" [-]},
        "terrestrial_p50"|"terrestrial_p95"|"terrestrial_p99": ndarray (n_site,) [ms]}``,
        population-weighted (:meth:`~orbitcompute.feasibility.FeasibilityModel.region_rtt`).
    eclipse_year : EclipseYear
        Figure data: cluster satellite 0's eclipses and beta angle over the analysed year
        (:func:`~orbitcompute.eclipse.eclipse_year`).
    worst_orbit_energy : EnergySeries
        Figure data: one satellite's power and stored energy over the orbit that sized the
        array, every 10 s, at end of life, from a full battery.
    ground_tracks : dict
        Figure data: tracks over one cluster orbit, 30 s apart: ``cluster_lat_deg``,
        ``cluster_lon_deg`` (n_cluster, n_time) [deg]; ``relay_lat_deg``, ``relay_lon_deg``
        (n_sample, n_time) [deg] for up to 6 relay satellites (0 rows without a relay);
        ``relay_satellites`` (the relay's size) and ``period_s`` [s].
    capacity_series_bps : ndarray (n_region, n_time) [bit/s] or None
        Capacity available to each region per time step at the scenario's values; set on a
        result's geometry by :meth:`~orbitcompute.feasibility.FeasibilityModel.run` (None in
        a model's own geometry).

    Examples
    --------
    >>> import dataclasses, orbitcompute as oc
    >>> [f.name for f in dataclasses.fields(oc.Geometry)][:4]
    ['quick', 'n_sat', 'load_w', 'array_w_per_w']
    """

    # sizing (power, thermal, a year of sunlight)
    quick: bool
    n_sat: int
    load_w: float
    array_w_per_w: float
    battery_j_per_w: float
    radiator_m2_per_w: float
    array_m2_per_w: float
    availability: float
    sunlit_fraction: float
    shadow_fraction_year: float
    worst_orbit_shadow: float
    seasons: list
    radiator_net_w_m2: float
    radiator_temperature_c: float
    array: ArraySizing
    battery: BatterySizing | None
    radiator: RadiatorSizing
    history: SunlightHistory
    eclipses: EclipseTable
    cluster: Constellation
    relay: Constellation | None
    # latency, places and ground stations (LATENCY_FIELDS)
    regions: list[Region] | None
    places: GroundSites | None
    owner: np.ndarray | None
    weights: np.ndarray | None
    sites: TerrestrialSites | None
    times: Time | None
    rtt_orbital_ms: np.ndarray | None
    rtt_terrestrial_ms: np.ndarray | None
    stations: GroundSites | None
    station_clear_fraction: np.ndarray | None
    station_contact: np.ndarray | None
    station_site_clear_fraction: np.ndarray | None
    passes: PassTable | None
    access_cluster: Constellation | None
    # built from the above
    capacity: RelayCapacity | StationCapacity | None
    region_rtt: dict | None
    eclipse_year: EclipseYear | None = None
    worst_orbit_energy: EnergySeries | None = None
    ground_tracks: dict | None = None
    capacity_series_bps: np.ndarray | None = None

    def __repr__(self) -> str:
        regions = None if self.regions is None else [r.name for r in self.regions]
        return (f"Geometry(quick={self.quick}, n_sat={self.n_sat}, relay={self.relay is not None}, "
                f"regions={regions}, capacity={None if self.capacity is None else self.capacity.architecture!r})")
