"""The verdict for one user region as a rule (:func:`decide`): which option serves the
region's users, and the binding constraint as a code with its sentence."""

from __future__ import annotations

import numpy as np

__all__ = ["FULLY_SERVED", "MIN_PATH_AVAILABILITY", "decide"]


#: Fraction of time a region must have a path to the cluster for orbit to serve it.
MIN_PATH_AVAILABILITY = 0.99
#: Served fraction below which the links, not the installed compute, limit the output.
FULLY_SERVED = 1.0 - 1e-9


def decide(*, orbital_p95_ms: float, orbital_availability: float, terrestrial_p95_ms: float, requirement_ms: float,
           orbital_cost: float, terrestrial_cost: float, installed_cost: float | None = None,
           launch_share: float = float("nan"), capacity: dict | None = None) -> tuple[str, str, str]:
    """The verdict for one region as a rule: which option serves the region's users, and why.

    Orbit meets the requirement when its p95 RTT is within it and a path exists at least
    :data:`MIN_PATH_AVAILABILITY` of the time; the terrestrial site when its p95 is within
    it.  Of the options that meet it the cheaper per delivered accelerator-hour wins; if
    neither does, the cheaper.  The binding constraint is a code with its sentence:
    ``"latency"`` (an option fails the requirement), ``"availability"`` (orbit has no path
    often enough), ``"capacity"`` (orbit would be cheaper if its links carried the whole
    workload) or ``"cost"``.

    Returns
    -------
    verdict : {"orbital", "terrestrial"}
    code : {"cost", "latency", "availability", "capacity"}
    sentence : str

    Examples
    --------
    >>> decide(orbital_p95_ms=60, orbital_availability=1.0, terrestrial_p95_ms=40, requirement_ms=100,
    ...        orbital_cost=11.0, terrestrial_cost=2.5, launch_share=0.54)[:2]
    ('terrestrial', 'cost')
    """
    req = requirement_ms
    orb_lat = bool(orbital_p95_ms <= req)
    orb_avail = orbital_availability >= MIN_PATH_AVAILABILITY
    orb_ok = orb_lat and orb_avail
    ter_ok = bool(terrestrial_p95_ms <= req)
    cheaper = orbital_cost < terrestrial_cost
    ratio = orbital_cost / terrestrial_cost
    if orb_ok and ter_ok:
        verdict = "orbital" if cheaper else "terrestrial"
    elif orb_ok or ter_ok:
        verdict = "orbital" if orb_ok else "terrestrial"
    else:
        verdict = "orbital" if cheaper else "terrestrial"
    cap = capacity or {}
    served = cap.get("served_fraction", 1.0)
    short = served < FULLY_SERVED
    cap_txt = (f"the links carry {100 * served:.1f} % of the workload's {cap.get('demand_gbps', float('nan')):,.1f} "
               f"Gbit/s (mean capacity {cap.get('capacity_gbps', float('nan')):,.1f} Gbit/s"
               f"{', buffered' if cap.get('buffered') else ''})") if short else ""
    if not orb_ok and not ter_ok:
        orb_txt = f"{orbital_p95_ms:.0f} ms" if np.isfinite(orbital_p95_ms) else "no path"
        return verdict, "latency", (f"latency: neither option meets the {req:g} ms p95 requirement (orbital p95 "
                                    f"{orb_txt}, best site {terrestrial_p95_ms:.0f} ms); cost decides")
    if not orb_ok and not np.isfinite(orbital_p95_ms):
        return verdict, "latency", "latency: no orbital path from this region's places in the analysed window"
    if not orb_ok and not orb_avail:
        return verdict, "availability", (f"availability: a path to the cluster {100 * orbital_availability:.1f} % "
                                         f"of the time (p95 RTT {orbital_p95_ms:.0f} ms) vs the "
                                         f"{100 * MIN_PATH_AVAILABILITY:g} % needed")
    if not orb_ok:
        return verdict, "latency", (f"latency: orbital p95 RTT {orbital_p95_ms:.0f} ms (path "
                                    f"{100 * orbital_availability:.1f} % of the time) vs the {req:g} ms requirement")
    if not ter_ok and not cheaper:
        return verdict, "latency", (f"latency: no cloud region meets the {req:g} ms p95 requirement (best "
                                    f"{terrestrial_p95_ms:.0f} ms); orbital does ({orbital_p95_ms:.0f} ms) at "
                                    f"{ratio:.2f}x the terrestrial cost" + (f"; {cap_txt}" if short else ""))
    if cheaper:
        return verdict, "cost", f"cost: orbital is {1 / ratio:.2f}x cheaper per accelerator-hour"
    if short and installed_cost is not None and installed_cost < terrestrial_cost:
        return verdict, "capacity", (f"capacity: {cap_txt}, so orbital costs {ratio:.2f}x terrestrial per delivered "
                                     f"accelerator-hour; carrying it all, orbital would cost "
                                     f"{installed_cost / terrestrial_cost:.2f}x")
    return verdict, "cost", (f"cost: orbital costs {ratio:.2f}x terrestrial per accelerator-hour "
                             f"(launch is {100 * launch_share:.0f} % of the orbital cost)"
                             + (f"; {cap_txt}" if short else ""))
