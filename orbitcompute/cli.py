"""The ``orbitcompute`` command line (also ``python -m orbitcompute``).

Subcommands: ``report`` (the default: a feasibility report of a scenario), ``passes``,
``eclipse``, ``power``, ``latency``, ``sweep``, ``sobol``, ``timeline`` and ``optimize``; see ``orbitcompute --help`` and
``docs/cli.md``.  Every subcommand is a thin layer over the library: it parses options,
calls the same functions a Python user would, prints a table on stdout (or ``--json``),
writes ``--csv`` files atomically, and maps failures to documented exit codes:

==== ==============================================================================
code meaning
==== ==============================================================================
0    success
1    unexpected internal error (a bug: please report it with the ``--debug`` output)
2    bad input: missing file, malformed TLE/OMM/CSV, bad scenario value or option, or an
     output location that cannot be written (read-only, full disk)
3    an output file or report directory exists and ``--force`` was not given
130  interrupted (Ctrl-C); outputs are written atomically, so none is left half done
==== ==============================================================================

Progress goes to stderr, only when stderr is a terminal or ``--progress`` is given, and
never with ``--quiet``.

The pieces live in private modules: ``_cliutil`` (exit codes, defaults, progress bar,
option parsing, scenario overrides, shared models, output) and ``_commands`` (one
function per subcommand); this module builds the parser and runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
import traceback
from collections.abc import Sequence

from . import __version__
from ._cliutil import (
    _GLOBAL_FLAGS,
    COMMANDS,
    DEFAULT_REPORT_DIR,
    EXIT_BAD_INPUT,
    EXIT_CODES_TEXT,
    EXIT_EXISTS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    _UI,
    Progress,
    scale_args,
    write_atomically,
)
from ._commands import (
    SweepPoint,
    _add_constellation_options,
    cmd_eclipse,
    cmd_latency,
    cmd_passes,
    cmd_power,
    cmd_report,
    cmd_sobol,
    cmd_sweep,
    cmd_optimize,
    cmd_timeline,
)
from .errors import OrbitComputeError

__all__ = ["EXIT_BAD_INPUT", "EXIT_EXISTS", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_OK", "Progress", "SweepPoint",
           "build_parser", "main", "write_atomically"]


# ====================================================================== parser
class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog):
        super().__init__(prog, max_help_position=32, width=min(100, max(60, _term_width())))


def _term_width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 100


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="orbitcompute", formatter_class=_Formatter,
        description="Would a compute workload be better served from orbit or from the ground, per user region?\n"
                    "Without a command: `orbitcompute report` on the embedded default scenario, into "
                    f"./{DEFAULT_REPORT_DIR}.",
        epilog="examples:\n"
               "  orbitcompute                                  # report of the default scenario\n"
               "  orbitcompute report examples/starcloud_40mw.toml --out starcloud\n"
               "  orbitcompute report --set launch_price=200 --out cheap-launch\n"
               "  orbitcompute passes --tle stations.tle --cities 10 --hours 6 --csv passes.csv\n"
               "  orbitcompute passes --summary                 # relay shell and cluster over 20 cities\n"
               "  orbitcompute eclipse --sso --altitude 650 --ltan 18 --days 365\n"
               "  orbitcompute power --altitude 1000 --ltan 18\n"
               "  orbitcompute latency --json\n"
               "  orbitcompute sweep --set launch_price=100,200,500,1500 --csv sweep.csv\n"
               "  orbitcompute sobol --quick --n 1024 --output 'ratio:*'\n\n"
               "  orbitcompute timeline --launch-path 2026:1500,2030:500,2035:200\n"
               "  orbitcompute optimize --pop 12 --generations 4 --workers 2 --write-front front\n\n"
               "`orbitcompute COMMAND --help` describes each command.\n\n" + EXIT_CODES_TEXT)
    p.add_argument("--version", action="version", version=f"orbitcompute {__version__}")
    _add_global(p, argparse.ArgumentParser)
    common = argparse.ArgumentParser(add_help=False)
    _add_global(common, None)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name, help_, description, examples, func):
        sp = sub.add_parser(name, parents=[common], help=help_, formatter_class=_Formatter,
                            description=textwrap.fill(description, min(100, max(60, _term_width())) - 2),
                            epilog="examples:\n" + "".join(f"  {e}\n" for e in examples) + "\n" + EXIT_CODES_TEXT)
        sp.set_defaults(func=func)
        return sp

    def scenario_args(sp, quick_help="coarser geometry (fewer satellites, places and samples), for a first look "
                                      "and tests"):
        sp.add_argument("scenario", nargs="?", metavar="SCENARIO",
                        help="scenario TOML file (default: the embedded default scenario)")
        sp.add_argument("--set", action="append", metavar="NAME=VALUE",
                        help="change one value: an assumption (launch_price=200, a bare number in the unit of the "
                             "assumption table) or a scenario key (orbit.cluster.altitude='700 km'); repeatable")
        sp.add_argument("--quick", action="store_true", help=quick_help)

    def output_args(sp, what="the table"):
        sp.add_argument("--csv", metavar="PATH", help=f"also write {what} as CSV ('-': CSV on stdout instead of "
                                                      "the table)")
        sp.add_argument("--json", action="store_true", help="print JSON on stdout instead of the table")
        sp.add_argument("--force", action="store_true", help="replace an existing --csv file")

    # report
    sp = add("report", "feasibility report of a scenario (the default command)",
             "Run the feasibility model of SCENARIO and write DIR/report.html (self-contained), DIR/results.json and "
             "DIR/regions.csv; print the verdict per region.  The directory is written whole or not at all.",
             ["orbitcompute report", "orbitcompute report examples/starcloud_40mw.toml --out starcloud --force",
              "orbitcompute report --quick --json > results.json"], cmd_report)
    scenario_args(sp)
    sp.add_argument("--out", default=DEFAULT_REPORT_DIR, metavar="DIR",
                    help="report directory (default ./%(default)s); must not exist unless --force")
    sp.add_argument("--force", action="store_true", help="replace an existing DIR, once the new report is complete")
    sp.add_argument("--draws", type=int, metavar="N", help="Monte Carlo draws (default: the scenario's "
                                                            "analysis.draws)")
    sp.add_argument("--seed", type=int, metavar="S", help="Monte Carlo seed (default: the scenario's analysis.seed)")
    sp.add_argument("--pdf", action="store_true", help="also write report.pdf (needs weasyprint)")
    sp.add_argument("--sobol", type=int, default=0, metavar="N",
                    help="add a Sobol section of every region's cost ratio with base sample N, a power of 2 "
                         "(needs SALib: pip install \"orbitcompute[sobol]\"; N = 1024 takes ~10-30 s); "
                         "default 0: none")
    sp.add_argument("--json", action="store_true", help="print results.json on stdout instead of the verdict table")

    # passes
    sp = add("passes", "pass windows of a constellation over sites",
             "Every pass above the minimum elevation of each satellite over each site in the window, or with "
             "--summary contact statistics per site (passes, mean satellites in view, coverage, gaps, revisit).",
             ["orbitcompute passes --summary --cities 5 --hours 6",
              "orbitcompute passes --walker 1584/72/1 --altitude 550 --inclination 53 --sites sites.csv --csv p.csv",
              "orbitcompute passes --tle stations.tle --min-elevation 10 --json"], cmd_passes)
    _add_constellation_options(sp, single_default="the default scenario's relay shell and 4 cluster satellites")
    g = sp.add_argument_group("sites and window")
    g.add_argument("--cities", type=int, default=20, metavar="N", help="the N largest cities (default %(default)s)")
    g.add_argument("--sites", metavar="CSV", help="sites from a CSV file (name, latitude_deg, longitude_deg[, "
                                                  "height_m]) instead of --cities")
    g.add_argument("--start", metavar="TIME", help="window start, ISO 8601 UTC (default: the scenario start "
                                                   "2026-01-01T00:00:00Z, or the latest TLE/OMM epoch)")
    g.add_argument("--stop", metavar="TIME", help="window stop (default: start + --hours)")
    g.add_argument("--hours", type=float, metavar="H", help="window length [h] (default 24)")
    g.add_argument("--min-elevation", type=float, default=25.0, metavar="DEG",
                   help="minimum elevation [deg] (default %(default)s)")
    sp.add_argument("--summary", action="store_true", help="contact statistics per site instead of the pass list")
    sp.add_argument("--max-rows", type=int, default=50, metavar="N", help="rows printed (default %(default)s; 0: all)")
    output_args(sp, "the passes (streamed to the file, group by group)")
    sp.add_argument("--parquet", metavar="PATH", help="write the passes to a Parquet file instead, one row group "
                                                      "per satellite group, with the exact times in TT seconds "
                                                      "(needs pip install \"orbitcompute[parquet]\")")
    scale_args(sp)

    # eclipse
    sp = add("eclipse", "eclipses, shadow fraction and eclipse seasons",
             "Umbra and penumbra intervals of every satellite (conical shadow), the fraction of time in shadow, the "
             "longest eclipse and the eclipse seasons; --csv writes every interval.",
             ["orbitcompute eclipse", "orbitcompute eclipse --sso --altitude 650 --ltan 18 --csv eclipses.csv",
              "orbitcompute eclipse --tle sats.tle --days 30 --json"], cmd_eclipse)
    _add_constellation_options(sp, single_default="4 satellites of the default scenario's dawn-dusk cluster")
    g = sp.add_argument_group("window")
    g.add_argument("--start", metavar="TIME", help="window start, ISO 8601 UTC (default: the scenario start, or the "
                                                   "latest TLE/OMM epoch)")
    g.add_argument("--stop", metavar="TIME", help="window stop (default: start + --days)")
    g.add_argument("--days", type=float, metavar="D", help="window length [days] (default 365)")
    sp.add_argument("--max-rows", type=int, default=50, metavar="N", help="rows printed (default %(default)s; 0: all)")
    output_args(sp, "every eclipse interval")
    scale_args(sp)

    # power
    sp = add("power", "array, battery, radiator and mass budget of one satellite",
             "Size the solar array, battery and radiator of one compute satellite over a year of sunlight, and its "
             "mass budget, with the functions and values the feasibility model uses.",
             ["orbitcompute power", "orbitcompute power --altitude 1000 --ltan 18 --it-power 200",
              "orbitcompute power examples/suncatcher_2035.toml --json"], cmd_power)
    scenario_args(sp, "sunlight sampled 5x coarser")
    g = sp.add_argument_group("orbit (override the scenario's cluster orbit)")
    g.add_argument("--altitude", metavar="ALT", help="altitude (bare number: km)")
    g.add_argument("--ltan", metavar="LTAN", help="sun-synchronous at this local time of the ascending node (bare "
                                                  "number: hours)")
    g.add_argument("--inclination", metavar="INC", help="a circular orbit at this inclination (bare number: deg)")
    g.add_argument("--it-power", metavar="P", help="compute power per satellite (bare number: kW)")
    output_args(sp)

    # latency
    sp = add("latency", "round-trip times per user region, orbital and terrestrial",
             "Population-weighted RTT percentiles per region: the orbital cluster (over the relay's laser links, or "
             "through ground stations) and the terrestrial cloud region the model chooses.",
             ["orbitcompute latency", "orbitcompute latency examples/ground_access_no_relay.toml --csv rtt.csv"],
             cmd_latency)
    scenario_args(sp)
    output_args(sp)

    # sweep
    sp = add("sweep", "Cartesian sweep of assumptions or scenario keys",
             "Evaluate the model on every combination of the values given.  Assumption-only points reuse the "
             "geometry; scenario keys (orbit.cluster.altitude, workload.latency_requirement, ...) rebuild it per "
             "distinct value.  Outputs: model keys of FeasibilityModel.evaluate.",
             ["orbitcompute sweep --set launch_price=100,200,500,1500",
              "orbitcompute sweep --set launch_price=200,1500 --set 'orbit.cluster.altitude=600 km,900 km' --workers 2",
              "orbitcompute sweep examples/starcloud_40mw.toml --set utilization=0.5,0.7,0.9 --csv sweep.csv"],
             cmd_sweep)
    sp.add_argument("scenario", nargs="?", metavar="SCENARIO",
                    help="scenario TOML file (default: the embedded default scenario)")
    sp.add_argument("--set", action="append", metavar="NAME=V1,V2,...",
                    help="values of one grid axis: an assumption (bare numbers in its unit) or a scenario key with "
                         "units ('orbit.cluster.altitude=600 km,900 km'); repeatable")
    sp.add_argument("--fix", action="append", metavar="NAME=VALUE", help="set a value for every point (as --set of "
                                                                         "the other commands); repeatable")
    sp.add_argument("--output", action="append", metavar="KEY",
                    help="model output to record (e.g. ratio:Europe); repeatable (default: orbital costs, launch "
                         "mass, and terrestrial cost and ratio per region)")
    sp.add_argument("--workers", type=int, default=1, metavar="N", help="processes (default 1)")
    sp.add_argument("--quick", action="store_true", help="coarser geometry, for a first look and tests")
    output_args(sp, "the sweep table")

    # sobol
    sp = add("sobol", "global sensitivity: first- and total-order Sobol indices (SALib)",
             "First- and total-order Sobol' indices of model outputs over every assumption range, with SALib "
             "(pip install \"orbitcompute[sobol]\"): a Saltelli design of N (D + 2) points mapped through each "
             "assumption's distribution, evaluated in one vectorized call, bootstrap confidence intervals, and "
             "the change of the total-order indices from N/2 to N.  Outputs: model keys of "
             "FeasibilityModel.evaluate or glob patterns (default 'ratio:*', every region's cost ratio).",
             ["orbitcompute sobol --quick", "orbitcompute sobol --n 4096 --output 'ratio:Europe' --csv sobol.csv",
              "orbitcompute sobol examples/starcloud_40mw.toml --quick --n 1024 --json > sobol.json"], cmd_sobol)
    scenario_args(sp)
    sp.add_argument("--n", type=int, default=4096, metavar="N",
                    help="base sample size, a power of 2 (default %(default)s; the model runs N (D + 2) points)")
    sp.add_argument("--output", action="append", metavar="KEY",
                    help="model output or glob pattern (e.g. ratio:Europe, 'ratio:*', orbital:cost_per_accelerator_hour); "
                         "repeatable (default: 'ratio:*')")
    sp.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the scrambled Sobol' sequence "
                                                                     "(default %(default)s; bootstrap: S + 1)")
    sp.add_argument("--resamples", type=int, default=1000, metavar="R",
                    help="bootstrap resamples for the confidence intervals (default %(default)s)")
    sp.add_argument("--conf-level", type=float, default=0.95, metavar="P",
                    help="confidence level of the intervals (default %(default)s)")
    sp.add_argument("--top", type=int, default=10, metavar="K",
                    help="assumptions printed per output, largest ST first (default %(default)s; 0: all)")
    output_args(sp, "every index (one row per output and assumption)")
    # timeline
    sp = add("timeline", "time to full power, cost of delay and crossover year per region",
             "Years to full power of the orbital build (lead time, manufacturing, launches) and of the terrestrial "
             "site (grid connection and construction at its country), the cost per accelerator-hour with and "
             "without the cost of delay, and the first year in which orbit is cheaper as the launch price follows "
             "a path (default: Falcon 9 2024 -> Starship -> Suncatcher's mid-2030s projection).",
             ["orbitcompute timeline --quick", "orbitcompute timeline --launch-path 2026:1500,2030:500,2035:200",
              "orbitcompute timeline examples/suncatcher_2035.toml --delay --csv timeline.csv"], cmd_timeline)
    scenario_args(sp)
    sp.add_argument("--launch-path", metavar="Y:V,...", help="launch price path YEAR:USD_PER_KG,... (log-linear "
                                                             "between points, flat beyond)")
    sp.add_argument("--horizon", type=float, metavar="YEARS", help="years searched for a crossover (default 20)")
    sp.add_argument("--step", type=float, metavar="YEARS", help="year grid step (default 1)")
    sp.add_argument("--delay", action="store_true", help="crossover on the costs including delay")
    output_args(sp)

    # optimize
    sp = add("optimize", "design search: Pareto front of orbital cost vs p95 RTT per region",
             "Search the default design space (altitude, LTAN or inclination, compute power per satellite, battery, "
             "ground stations, relay or none) with NSGA-II (pymoo) for designs minimising the orbital cost per "
             "accelerator-hour and the p95 RTT; assumptions stay at the scenario's values.  Prints each region's "
             "Pareto front; --csv/--json give every evaluated design; --write-front writes each front design as a "
             "complete scenario file.  Needs pymoo: pip install \"orbitcompute[design]\".",
             ["orbitcompute optimize --quick --pop 8 --generations 2",
              "orbitcompute optimize --pop 24 --generations 8 --workers 2 --write-front front --csv designs.csv",
              "orbitcompute optimize examples/starcloud_40mw.toml --region Europe --objective mean --json"],
             cmd_optimize)
    scenario_args(sp)
    sp.add_argument("--pop", type=int, default=12, metavar="N", help="designs per generation (default %(default)s)")
    sp.add_argument("--generations", type=int, default=4, metavar="G", help="generations (default %(default)s)")
    sp.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the optimiser (default %(default)s)")
    sp.add_argument("--objective", choices=("worst", "mean"), default="worst",
                    help="what the optimiser minimises over regions (default %(default)s)")
    sp.add_argument("--region", action="append", metavar="NAME",
                    help="optimise for this region only (repeatable; default all; every region is reported)")
    sp.add_argument("--workers", type=int, default=1, metavar="N", help="processes (default 1)")
    sp.add_argument("--write-front", metavar="DIR", help="write every front design as DIR/design-<point>.toml")
    output_args(sp, "every evaluated design")
    return p


def _add_global(p, is_main) -> None:
    d = {} if is_main else {"default": argparse.SUPPRESS}
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors", **d)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no notes on stderr", **d)
    p.add_argument("--progress", action="store_true", help="show progress even when stderr is not a terminal", **d)


def _with_default_command(argv: list[str]) -> list[str]:
    i = 0
    while i < len(argv) and argv[i] in _GLOBAL_FLAGS:
        i += 1
    if i == len(argv) or argv[i] not in (*COMMANDS, "-h", "--help", "--version"):
        argv = [*argv[:i], "report", *argv[i:]]
    return argv


def _error(text: str) -> None:
    sys.stderr.write(f"orbitcompute: error: {text}\n")
    sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code.

    Results go to ``sys.stdout``, progress and errors to ``sys.stderr``; exit codes are
    listed in the module docstring (0 success, 1 internal error, 2 bad input, 3 output
    exists, 130 interrupted).  Without a command, ``report`` is meant.

    Examples
    --------
    >>> from orbitcompute.cli import main
    >>> main(["passes", "--walker", "24/3"])     # bad input: one line on stderr
    2
    >>> main(["eclipse", "--walker", "1/1/0", "--altitude", "550", "--inclination", "0",
    ...       "--start", "2026-03-20T00:00:00Z", "--days", "0.1", "--json", "--quiet"])  # doctest: +ELLIPSIS
    {
     "constellation": "walker 1/1/0",
     ...
    0
    """
    argv = _with_default_command(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    ui = _UI(args)
    debug = args.debug
    hint = "" if debug else " (run with --debug for a traceback)"
    try:
        return args.func(args, ui)
    except KeyboardInterrupt:
        ui.progress.close()
        _error("interrupted; no partial output was left")
        return EXIT_INTERRUPTED
    except FileExistsError as exc:
        ui.progress.close()
        _error(str(exc))
        return EXIT_EXISTS
    except BrokenPipeError:  # `orbitcompute passes | head`: stop quietly
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep the interpreter from complaining at exit
        except OSError:
            pass
        return EXIT_OK
    except (OrbitComputeError, OSError) as exc:  # OSError: missing file, unwritable or full output location
        ui.progress.close()
        if debug:
            traceback.print_exc()
        msg = str(exc)
        if isinstance(exc, OSError) and not isinstance(exc, OrbitComputeError) and exc.filename:
            msg = f"{exc.filename}: {exc.strerror or exc}"
        _error(msg + hint)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - a bug: say so, keep the exit code distinct
        ui.progress.close()
        if debug:
            traceback.print_exc()
        _error(f"internal error {type(exc).__name__}: {exc}. This is a bug in orbitcompute; please report it "
               "with the output of the same command run with --debug" + ("" if debug else "."))
        return EXIT_INTERNAL
    finally:
        ui.progress.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

