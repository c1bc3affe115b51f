"""Eclipse search: ``oc.find_eclipses`` against looping skyfield's ``is_sunlit``.

Workload (issue 3): the 1,584-satellite Walker shell (72 planes, F=1, 550 km, 53 deg),
one year (2026), conical shadow (umbra and penumbra).  ``find_eclipses`` samples every
10 deg of anomaly (160 s) and refines each entry and exit to 0.1 ms, so the ~8 s LEO
penumbra is resolved exactly, not by the step.

Measured, in one run:

* ``find_eclipses`` on the whole workload in a fresh subprocess: wall time, peak resident
  memory (``VmHWM`` of the child, imports included), rows, eclipses, the longest shadow
  per orbit;
* the incumbent: ``EarthSatellite.from_satrec(...).at(t).is_sunlit(eph)`` on a 1-s grid
  (what resolving a penumbra-length event by sampling needs), looped over a seeded sample
  of satellites for one day, timed before and after the big run (median); seconds per
  satellite-day and the extrapolation to the workload; the speed-up ratio;
* like for like on the sample: ``find_eclipses`` for the same satellites and day, timed
  interleaved with skyfield; flags compared (skyfield's spherical Earth and point Sun
  may differ from ours only within 15 s of one of our boundaries).

Run::

    python benchmarks/bench_eclipse.py           # full size (minutes)
    python benchmarks/bench_eclipse.py --quick   # smoke test (< 1 min)
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from _common import environment, fmt, maxrss_mib, median, run_json_subprocess, table

import orbitcompute as oc
from orbitcompute.time import offset

START = "2026-01-01T00:00:00Z"


def constellation(quick: bool):
    total, planes = (264, 24) if quick else (1584, 72)
    return oc.Constellation.walker_delta(total=total, planes=planes, phasing=1, altitude=550 * oc.u.km,
                                         inclination=53 * oc.u.deg, epoch=START)


def child(quick: bool) -> None:
    con = constellation(quick)
    stop = "2026-01-08T00:00:00Z" if quick else "2027-01-01T00:00:00Z"
    t0 = time.perf_counter()
    tab = oc.find_eclipses(con, START, stop)
    wall = time.perf_counter() - t0
    e = tab.eclipses()
    fr = oc.eclipse_fractions(tab, period=con.period)
    print(json.dumps({
        "wall_s": wall, "rows": len(tab), "eclipses": int(len(e["sat"])),
        "max_orbit_shadow": float(fr["any"].max()), "mean_shadow": float(fr["any"].mean()),
        "rss_peak_mib": maxrss_mib(), "n_sat": len(con), "days": 7 if quick else 365,
    }))


def skyfield_day(con, idx, secs):
    from skyfield.api import EarthSatellite

    from orbitcompute.ephemeris import planets

    eph = planets()
    t = offset(oc.to_time(START), secs)
    out = []
    for k in idx:
        sat = EarthSatellite.from_satrec(con._satrecs[k], t.ts)
        out.append(sat.at(t).is_sunlit(eph))
    return np.array(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--sample", type=int, default=4, help="satellites in the skyfield sample")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    if args.child:
        child(args.quick)
        return
    print(environment())
    con = constellation(args.quick)
    rng = np.random.default_rng(3)
    idx = np.sort(rng.choice(len(con), args.sample, replace=False))
    secs = np.arange(0.0, 86400.0)
    sub = con[idx]

    sky_times, ours_times = [], []

    def like_for_like():
        t0 = time.perf_counter()
        lit = skyfield_day(con, idx, secs)
        sky_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        tab = oc.find_eclipses(sub, START, "2026-01-02T00:00:00Z")
        ours_times.append(time.perf_counter() - t0)
        return lit, tab

    for _ in range(args.repeats):
        lit, tab = like_for_like()
    big = run_json_subprocess([__file__, "--child"] + (["--quick"] if args.quick else []))
    for _ in range(args.repeats):
        lit, tab = like_for_like()

    # agreement on the sample
    bad = 0
    for j in range(len(idx)):
        rows = tab.sat == j
        ours = np.zeros(len(secs), bool)
        for s0, s1 in zip(tab.start_s[rows], tab.end_s[rows]):
            ours |= (secs >= s0) & (secs < s1)
        edges = np.r_[tab.start_s[rows], tab.end_s[rows]]
        near = np.abs(secs[:, None] - edges[None, :]).min(axis=1) < 15 if edges.size else np.zeros(len(secs), bool)
        differ = (~lit[j]) != ours  # ours: any shadow incl. penumbra; skyfield: centre hidden
        bad += int(np.sum(differ & ~near))
    sky_per_sat_day = median(sky_times) / len(idx)
    ours_per_sat_day = median(ours_times) / len(idx)
    rows = [
        ["skyfield is_sunlit, 1-s grid, per satellite-day [s]", fmt(sky_per_sat_day, 3)],
        ["find_eclipses, same satellites and day, per satellite-day [s]", fmt(ours_per_sat_day, 4)],
        ["speed-up like for like", fmt(sky_per_sat_day / ours_per_sat_day, 1)],
        ["samples differing from skyfield outside 15 s of a boundary", str(bad)],
    ]
    if "error" in big:
        rows.append(["full workload", big["error"]])
    else:
        n_sat_days = big["n_sat"] * big["days"]
        rows += [
            [f"find_eclipses, {big['n_sat']} satellites x {big['days']} days: wall [s]", fmt(big["wall_s"], 1)],
            ["  peak RSS of the child [MiB]", fmt(big["rss_peak_mib"], 0)],
            ["  rows (umbra + penumbra intervals) / eclipses", f"{big['rows']:,} / {big['eclipses']:,}"],
            ["  longest shadow in one orbit / mean [fraction]",
             f"{big['max_orbit_shadow']:.4f} / {big['mean_shadow']:.4f}"],
            ["skyfield extrapolated to the workload [s]", fmt(sky_per_sat_day * n_sat_days, 0)],
            ["speed-up on the workload", fmt(sky_per_sat_day * n_sat_days / big["wall_s"], 0)],
        ]
    table(["quantity", "value"], rows, title="Eclipse search")


if __name__ == "__main__":
    main()
