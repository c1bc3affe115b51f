"""Pass windows of a Starlink-like shell over a few cities, and what they add up to.

Run:  python examples/passes_over_cities.py [--hours H] [--out passes.csv]

Builds a Walker delta shell (1,584 satellites, 72 planes, 550 km, 53 deg), finds every pass
above 25 deg over five cities for a few hours, prints per-city contact statistics and the
fraction of time with at least 1, 2 and 4 satellites in view, and optionally writes the pass
table as CSV (refusing to overwrite an existing file).
"""

from __future__ import annotations

import argparse

import orbitcompute as oc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=6.0, help="window length [h]")
    ap.add_argument("--out", default=None, help="write the pass table to this CSV file")
    args = ap.parse_args(argv)

    start = oc.to_time("2026-06-21T00:00:00Z")
    stop = oc.time.offset(start, args.hours * 3600.0)
    shell = oc.Constellation.walker_delta(total=1584, planes=72, phasing=1, altitude=550 * oc.u.km,
                                          inclination=53 * oc.u.deg, epoch=start)
    cities = oc.GroundSites.from_latlon(
        [51.507, 40.713, -33.869, 35.690, 1.352], [-0.128, -74.006, 151.209, 139.692, 103.820],
        names=["London", "New York", "Sydney", "Tokyo", "Singapore"],
    )
    passes = oc.find_passes(shell, cities, start, stop, min_elevation=25 * oc.u.deg)
    stats = oc.contact_statistics(passes)
    cover = {k: oc.coverage(passes, k) for k in (1, 2, 4)}

    print(f"{len(passes)} passes of {len(shell)} satellites over {len(cities)} cities in {args.hours:g} h")
    print(f"{'city':<12}{'passes':>8}{'mean in view':>14}{'>=1 [%]':>9}{'>=2 [%]':>9}{'>=4 [%]':>9}")
    for j, name in enumerate(cities.names):
        print(f"{name:<12}{stats.site_passes[j]:>8d}{stats.site_mean_in_view[j]:>14.2f}"
              f"{100 * cover[1][j]:>9.1f}{100 * cover[2][j]:>9.1f}{100 * cover[4][j]:>9.1f}")
    longest = passes.duration.to("min").max()
    print(f"longest pass: {longest:.2f~P}, highest culmination: {passes.max_elevation.max():.2f~P}")
    if args.out:
        passes.to_csv(args.out)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
