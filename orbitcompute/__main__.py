"""Command line: ``orbitcompute`` (or ``python -m orbitcompute``).

Until the feasibility report exists, the main job prints visibility statistics of the
embedded default scenario: a Starlink-like relay shell (1,584 satellites, 72 planes,
550 km, 53 deg) and a dawn-dusk sun-synchronous compute cluster (650 km, 18:00 LTAN)
over the world's largest cities for one day.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time as _time


from . import __version__
from .errors import OrbitComputeError

DEFAULT_EPOCH = "2026-06-21T00:00:00Z"


def _default_scenario(n_cities: int):
    from . import Constellation, GroundSites, u

    relay = Constellation.walker_delta(total=1584, planes=72, phasing=1, altitude=550 * u.km,
                                       inclination=53 * u.deg, epoch=DEFAULT_EPOCH)
    cluster = Constellation.sun_synchronous(altitude=650 * u.km, ltan=18 * u.hour, epoch=DEFAULT_EPOCH,
                                            count=4, name_prefix="DC")
    return relay, cluster, GroundSites.cities(limit=n_cities)


def _summary_rows(con, sites, start, stop, min_el_deg):
    from . import contact_statistics, coverage, find_passes, u

    passes = find_passes(con, sites, start, stop, min_elevation=min_el_deg * u.deg)
    st = contact_statistics(passes)
    cov1, cov2 = coverage(passes, 1), coverage(passes, 2)
    rows = []
    for j, name in enumerate(sites.names):
        rows.append({
            "site": name,
            "passes": int(st.site_passes[j]),
            "coverage_k1": float(cov1[j]),
            "coverage_k2": float(cov2[j]),
            "mean_in_view": float(st.site_mean_in_view[j]),
            "longest_gap_min": float(st.site_longest_gap_s[j] / 60.0),
            "mean_revisit_min": float(st.site_mean_revisit_s[j] / 60.0),
        })
    return passes, rows


def _print_table(title, rows, out):
    out.write(f"\n{title}\n")
    out.write(f"{'site':<22}{'passes':>8}{'in view':>9}{'cov>=1':>9}{'cov>=2':>9}{'longest gap':>13}{'mean revisit':>14}\n")
    out.write(f"{'':<22}{'':>8}{'(mean)':>9}{'[%]':>9}{'[%]':>9}{'[min]':>13}{'[min]':>14}\n")
    for r in rows:
        revisit = r["mean_revisit_min"]
        revisit_txt = "-" if revisit != revisit else f"{revisit:.1f}"  # NaN: one unbroken contact
        out.write(f"{r['site'][:21]:<22}{r['passes']:>8d}{r['mean_in_view']:>9.2f}{100 * r['coverage_k1']:>9.1f}"
                  f"{100 * r['coverage_k2']:>9.1f}{r['longest_gap_min']:>13.1f}{revisit_txt:>14}\n")


def cmd_summary(args) -> int:
    from .time import to_time

    start = to_time(args.start, "--start")
    stop = to_time(args.stop, "--stop") if args.stop else None
    if stop is None:
        from .time import offset
        stop = offset(start, args.hours * 3600.0)
    relay, cluster, sites = _default_scenario(args.cities)
    out = sys.stdout
    out.write(f"orbitcompute {__version__}: visibility summary of the default scenario\n")
    out.write(f"window {start.utc_iso()} .. {stop.utc_iso()}, {len(sites)} largest cities (GeoNames), "
              f"minimum elevation {args.min_elevation:g} deg\n")
    all_rows = []
    for label, con in (("relay shell: Walker 1584/72/1, 550 km, 53 deg", relay),
                       ("compute cluster: 4 satellites, dawn-dusk SSO 650 km, LTAN 18:00", cluster)):
        t0 = _time.perf_counter()
        passes, rows = _summary_rows(con, sites, start, stop, args.min_elevation)
        dt = _time.perf_counter() - t0
        _print_table(f"{label}: {len(passes)} passes ({dt:.1f} s)", rows, out)
        all_rows += [dict(r, constellation=label) for r in rows]
    if args.csv:
        from pathlib import Path

        p = Path(args.csv)
        if p.exists() and not args.force:
            raise OrbitComputeError(f"{p} exists; pass --force to overwrite it or choose another --csv path")
        with open(p, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=["constellation", *rows[0].keys()])
            w.writeheader()
            w.writerows(all_rows)
        out.write(f"\nwrote {p}\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="orbitcompute", description="Orbital vs terrestrial compute feasibility.")
    p.add_argument("--version", action="version", version=f"orbitcompute {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command")
    s = sub.add_parser("summary", parents=[common],
                       help="visibility statistics of the default scenario (the default command)")
    s.add_argument("--start", default=DEFAULT_EPOCH, help="window start, ISO 8601 UTC (default %(default)s)")
    s.add_argument("--stop", default=None, help="window stop, ISO 8601 UTC (default: start + --hours)")
    s.add_argument("--hours", type=float, default=24.0, help="window length if --stop is not given [h]")
    s.add_argument("--cities", type=int, default=20, help="number of largest cities (default %(default)s)")
    s.add_argument("--min-elevation", type=float, default=25.0, help="minimum elevation [deg]")
    s.add_argument("--csv", default=None, help="also write the table to this CSV file")
    s.add_argument("--force", action="store_true", help="overwrite an existing --csv file")
    s.set_defaults(func=cmd_summary)
    return p


def main(argv=None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv = ["summary", *argv]
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        args = parser.parse_args(["summary", *argv])
    try:
        return args.func(args)
    except (OrbitComputeError, ValueError, TypeError, OSError) as exc:
        if getattr(args, "debug", False):
            raise
        sys.stderr.write(f"orbitcompute: error: {exc}\n(run with --debug for a traceback)\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
