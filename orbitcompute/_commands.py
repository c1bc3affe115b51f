"""The subcommands of :mod:`orbitcompute.cli` (``report``, ``passes``, ``eclipse``, ``power``,
``latency``, ``sweep``, ``sobol``, ``timeline``, ``optimize``)."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import signal
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import timeline as tl
from ._cliutil import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    REPORT_STAGES,
    _UI,
    executor_of,
    _apply_sets,
    _emit,
    _load,
    _model,
    _parse_set,
    _quantity,
    _scenario,
    _SizingOnlyModel,
    _table,
    _time_arg,
    _window,
    check_output_dir,
)
from ._output import csv_text
from ._table import TableWriter
from ._sobol import _check_n, _salib
from .design import DesignSpace, optimize
from .eclipse import eclipse_seasons, find_eclipses, UMBRA
from .errors import InputError
from .feasibility import satellite_mass_budget
from .orbits import Constellation
from .report import write_report
from .scenario import Scenario, SCHEMA
from .sensitivity import default_studies, monte_carlo, sobol
from .stations import GroundSites
from .sweeps import ScenarioPoint, sweep
from .time import to_time
from .units import Quantity, u
from .visibility import PassTable, contact_statistics, coverage, find_passes, stream_passes


# ====================================================================== constellations and sites
def _add_constellation_options(p: argparse.ArgumentParser, *, single_default: str) -> None:
    g = p.add_argument_group("constellation (default: " + single_default + ")")
    x = g.add_mutually_exclusive_group()
    x.add_argument("--tle", metavar="FILE", help="TLE/3LE file")
    x.add_argument("--omm", metavar="FILE", help="CCSDS OMM file (XML, KVN, CelesTrak JSON or CSV)")
    x.add_argument("--walker", metavar="T/P/F", help="Walker delta total/planes/phasing, e.g. 1584/72/1 "
                   "(with --altitude and --inclination)")
    x.add_argument("--sso", action="store_true", help="sun-synchronous satellites (with --altitude and --ltan)")
    g.add_argument("--altitude", metavar="ALT", help="altitude (bare number: km)")
    g.add_argument("--inclination", metavar="INC", help="inclination for --walker (bare number: deg)")
    g.add_argument("--ltan", metavar="LTAN", help="local time of the ascending node for --sso (bare number: hours; "
                   "default 18)")
    g.add_argument("--count", type=int, default=1, metavar="N", help="satellites per plane for --sso (default 1)")
    g.add_argument("--planes", type=int, default=1, metavar="P", help="planes for --sso (default 1)")
    g.add_argument("--epoch", metavar="TIME", help="epoch of --walker/--sso elements (default: the window start)")
    g.add_argument("--strict", action=argparse.BooleanOptionalAction, default=True,
                   help="refuse a TLE/OMM file with a malformed record (default) or skip such records "
                        "(--no-strict)")


def _elements_epoch(con):
    """Latest element epoch of an SGP4 constellation, floored to the minute."""
    import datetime as dt


    jd = max(s.jdsatepoch + s.jdsatepochF for s in con._satrecs)
    t = dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=jd - 2451545.0)
    return to_time(t.replace(second=0, microsecond=0), "epoch")


def _file_arg(path: str, option: str) -> Path:
    p = Path(path)
    if not p.is_file():
        what = "is a directory" if p.is_dir() else "does not exist"
        raise InputError(f"{option} {path}: the file {what}; check the path")
    return p


def _constellations(args, default_start, default: str) -> tuple[list[tuple[str, Any]], Any]:
    """[(label, Constellation)] and the default window start for these elements."""

    for opt, val in (("--altitude", args.altitude), ("--inclination", args.inclination), ("--ltan", args.ltan)):
        if val is not None and not (args.walker or args.sso):
            raise InputError(f"{opt} applies to --walker or --sso; add one of them (or drop {opt})")
    if args.tle or args.omm:
        opt, path = ("--tle", args.tle) if args.tle else ("--omm", args.omm)
        f = _file_arg(path, opt)
        con = (Constellation.from_tle(f, strict=args.strict) if args.tle
               else Constellation.from_omm(f, strict=args.strict))
        if len(con) == 0:
            raise InputError(f"{opt} {path}: no valid element set in the file")
        return [(f.stem, con)], _elements_epoch(con)
    epoch = _time_arg(args.epoch, "--epoch") if args.epoch else None
    start = _time_arg(args.start, "--start") if getattr(args, "start", None) else default_start
    epoch = epoch or start
    if args.walker:
        try:
            total, planes, phasing = (int(x) for x in args.walker.split("/"))
        except ValueError:
            raise InputError(f"--walker {args.walker!r}: expected TOTAL/PLANES/PHASING as integers, e.g. "
                             "--walker 1584/72/1") from None
        if args.altitude is None or args.inclination is None:
            raise InputError("--walker needs --altitude and --inclination, e.g. --walker 1584/72/1 --altitude 550 "
                             "--inclination 53")
        con = Constellation.walker_delta(total, planes, phasing, altitude=_quantity(args.altitude, "km", "--altitude"),
                                         inclination=_quantity(args.inclination, "deg", "--inclination"), epoch=epoch)
        return [(f"walker {args.walker}", con)], start
    if args.sso:
        if args.altitude is None:
            raise InputError("--sso needs --altitude, e.g. --sso --altitude 650 --ltan 18")
        con = Constellation.sun_synchronous(altitude=_quantity(args.altitude, "km", "--altitude"),
                                            ltan=_quantity(args.ltan or "18", "hour", "--ltan"), epoch=epoch,
                                            count=args.count, planes=args.planes)
        return [("sso", con)], start
    # the embedded default scenario: its relay shell and a 4-satellite sample of its cluster

    s = Scenario.default()
    r, c = s.relay, s.cluster
    out = []
    if "relay" in default:
        out.append(("relay", Constellation.walker_delta(r["total"], r["planes"], r["phasing"], altitude=r["altitude"],
                                                        inclination=r["inclination"], epoch=epoch)))
    if "cluster" in default:
        out.append(("cluster", Constellation.sun_synchronous(altitude=c["altitude"], ltan=c["ltan"], epoch=epoch,
                                                             count=4, name_prefix="DC")))
    return out, start


def _sites(args):
    if args.sites:
        return GroundSites.from_csv(_file_arg(args.sites, "--sites"))
    if args.cities < 1:
        raise InputError(f"--cities: must be at least 1, got {args.cities}")
    return GroundSites.cities(limit=args.cities)


def _default_start():
    return to_time(Scenario.default().scenario["start"], "start")


# ====================================================================== report
def cmd_report(args, ui: _UI) -> int:
    out = Path(args.out)
    if (out.exists() or out.is_symlink()) and not args.force:
        raise FileExistsError(
            f"the report directory {out} already exists (from an earlier run?), and nothing was written. "
            f"Pass --force to replace it once the new report is complete, or --out DIR to write elsewhere.")
    check_output_dir(out)  # a file in the path, a read-only location: refused before the model runs
    if args.pdf:
        import importlib.util

        if importlib.util.find_spec("weasyprint") is None:
            raise InputError("--pdf needs the optional package weasyprint, which is not installed: pip install "
                             "weasyprint (or leave out --pdf; report.html prints to PDF from any browser)")
    if args.sobol:
        _salib()  # a missing SALib or a bad --sobol fails here, before the geometry is built
        _check_n(args.sobol)
    s = _scenario(args)
    if args.draws is not None and args.draws < 1:
        raise InputError(f"--draws: must be at least 1, got {args.draws}")
    draws = args.draws if args.draws is not None else s.analysis["draws"]
    seed = args.seed if args.seed is not None else s.analysis["seed"]
    ui.progress.expected = 7 + 1 + REPORT_STAGES  # model stages (fewer if the geometry is reused), MC, report
    model = _model(s, args.quick, ui.progress.stage)
    ui.progress.expected = ui.progress.n_stage + 1 + 1 + REPORT_STAGES
    result = model.run()
    ui.progress.stage(f"Monte Carlo ({draws:,} draws)")
    mc = monte_carlo(model, draws, seed=seed)
    so = None
    if args.sobol:
        ui.progress.stage(f"Sobol indices (n = {args.sobol:,})")
        so = sobol(model, "ratio:*", n=args.sobol, seed=seed)
    # the model layer runs the default studies (tornado, timeline, crossover); the report lays them out
    done = default_studies(model, result, monte_carlo=mc, progress=ui.progress.stage)
    try:
        write_report(result, out, **done, sobol=so, force=args.force, pdf=args.pdf, progress=ui.progress.stage)
    except OSError as exc:  # a full disk, a location gone read-only: say where (write_report removed its temp)
        if isinstance(exc, FileExistsError):
            raise
        raise InputError(f"--out {out}: could not write the report ({exc.strerror or exc}); nothing was left "
                         "there: free some space or choose another --out") from None
    ui.progress.close()
    if args.json:
        text = (out / "results.json").read_text(encoding="utf-8")
        ui.out.write(text if text.endswith("\n") else text + "\n")
        return EXIT_OK
    rows = [{"region": r.region, "verdict": r.verdict,
             "orbital": r.orbital["cost_per_accelerator_hour"], "terrestrial": r.terrestrial["cost_per_accelerator_hour"],
             "orbital_p95": r.orbital_rtt_ms["p95"], "terrestrial_p95": r.terrestrial_rtt_ms["p95"],
             "site": r.terrestrial_site} for r in result.regions]
    ui.out.write(f"{s.name}" + (" (quick geometry)" if args.quick else "") + "\n\n")
    ui.out.write(_table(rows, [("region", "region", "", "s"), ("verdict", "verdict", "", "s"),
                               ("orbital", "orbital", "USD/acc-h", ".2f"),
                               ("terrestrial", "terrestrial", "USD/acc-h", ".2f"),
                               ("orbital_p95", "orbital p95", "ms", ".0f"),
                               ("terrestrial_p95", "terr. p95", "ms", ".0f"), ("site", "terrestrial site", "", "s")]))
    ui.out.write("\nbinding constraints:\n")
    for r in result.regions:
        ui.out.write(f"  {r.region}: {r.binding_constraint}\n")
    ui.out.write(f"\nreport: {out / 'report.html'}\n")
    return EXIT_OK


# ====================================================================== passes
_PASS_COLS = [("constellation", "constellation", "", "s"), ("satellite", "satellite", "", "s"),
              ("site", "site", "", "s"), ("rise", "rise (UTC)", "", "s"), ("set", "set (UTC)", "", "s"),
              ("max_elevation_deg", "max el.", "deg", ".1f"), ("duration_min", "duration", "min", ".2f")]
_SUMMARY_COLS = [("constellation", "constellation", "", "s"), ("site", "site", "", "s"),
                 ("passes", "passes", "", "d"), ("mean_in_view", "in view", "mean", ".2f"),
                 ("coverage_k1", "cov>=1", "%", ".1f"), ("coverage_k2", "cov>=2", "%", ".1f"),
                 ("longest_gap_min", "longest gap", "min", ".1f"), ("mean_revisit_min", "mean revisit", "min", ".1f")]


def cmd_passes(args, ui: _UI) -> int:
    cons, start0 = _constellations(args, _default_start(), "relay+cluster")
    if args.hours is not None and args.stop:
        raise InputError("give --stop or --hours, not both")
    start, stop = _window(args, start0, 86400.0, "--hours", None if args.hours is None else args.hours * 3600.0)
    if not 0.0 <= args.min_elevation < 90.0:
        raise InputError(f"--min-elevation: {args.min_elevation:g} deg is outside 0..90 deg")
    sites = _sites(args)
    parquet = getattr(args, "parquet", None)
    if parquet and args.csv:
        raise InputError("give --csv or --parquet, not both (the passes are written to one file)")
    if parquet and args.summary:
        raise InputError("--parquet writes the pass list; drop --summary (its --csv writes the per-site table)")
    head = (f"window {start.utc_iso()} .. {stop.utc_iso()}, {len(sites)} sites, minimum elevation "
            f"{args.min_elevation:g} deg\n")
    cols = ["constellation", "satellite", "site", "rise", "culmination", "set", "max_elevation_deg",
            "duration_s", "rise_clipped", "set_clipped"]
    target = parquet or (args.csv if args.csv and args.csv != "-" else None)
    if target and not args.summary and not args.json:
        return _stream_passes_cli(args, ui, cons, sites, start, stop, head, cols, target,
                                  "parquet" if parquet else "csv")
    rows = []
    summary = []
    for label, con in cons:
        ui.progress.note(f"passes of {label} ({len(con)} satellites) over {len(sites)} sites")
        with executor_of(args) as ex:
            passes = find_passes(con, sites, start, stop, min_elevation=args.min_elevation * u.deg, executor=ex,
                                 progress=lambda d, n: ui.progress.update(d, n, "satellite groups"))
        if args.summary:
            st = contact_statistics(passes)
            cov1, cov2 = coverage(passes, 1), coverage(passes, 2)
            for j, name in enumerate(sites.names):
                summary.append({"constellation": label, "site": name, "passes": int(st.site_passes[j]),
                                "coverage_k1": float(cov1[j]), "coverage_k2": float(cov2[j]),
                                "mean_in_view": float(st.site_mean_in_view[j]),
                                "longest_gap_min": float(st.site_longest_gap_s[j] / 60.0),
                                "mean_revisit_min": float(st.site_mean_revisit_s[j] / 60.0)})
        else:
            for r in passes.rows():
                r = {"constellation": label, **r}
                r["duration_min"] = r["duration_s"] / 60.0
                rows.append(r)
    if args.summary:
        pct = [dict(r, coverage_k1=100 * r["coverage_k1"], coverage_k2=100 * r["coverage_k2"]) for r in summary]
        _emit(ui, args, summary, lambda: head + _table(pct, _SUMMARY_COLS, args.max_rows))
    else:
        if parquet:  # with --json: the table is in memory anyway; the one writer puts it in the file
            with TableWriter(parquet, cols, format="parquet", overwrite=args.force) as w:
                w.write({c: [r[c] for r in rows] for c in cols})
        _emit(ui, args, [{c: r[c] for c in cols} for r in rows],
              lambda: head + f"{len(rows):,} passes\n" + _table(rows, _PASS_COLS, args.max_rows),
              csv_text=lambda: csv_text(rows, cols))
        if parquet:
            ui.info(f"wrote {parquet}")
    return EXIT_OK


def _stream_passes_cli(args, ui: _UI, cons, sites, start, stop, head: str, cols: list[str], path: str,
                       fmt: str) -> int:
    """``passes --csv PATH`` / ``--parquet PATH``: the passes streamed to the file group by
    group (:func:`orbitcompute.stream_passes`, memory independent of the number of
    satellites); stdout gets the first ``--max-rows`` rows, read back from the file."""
    names = ["constellation", *PassTable.COLUMNS, *(PassTable.EXACT_COLUMNS if fmt == "parquet" else ())]
    assert names[:len(cols)] == cols
    total = 0
    with TableWriter(path, names, format=fmt, overwrite=args.force) as writer:
        for label, con in cons:
            ui.progress.note(f"passes of {label} ({len(con)} satellites) over {len(sites)} sites, streamed to {path}")
            with executor_of(args) as ex:
                s = stream_passes(con, sites, start, stop, path, min_elevation=args.min_elevation * u.deg,
                                  exact=fmt == "parquet", executor=ex, writer=writer,
                                  extra_columns={"constellation": label},
                                  progress=lambda d, n: ui.progress.update(d, n, "satellite groups"))
            total += s.rows
    shown = _read_head(path, fmt, args.max_rows)
    for r in shown:
        r["duration_min"] = r["duration_s"] / 60.0
    ui.progress.close()
    ui.out.write(head + f"{total:,} passes\n" + _table(shown, _PASS_COLS, 0))
    if total > len(shown):
        ui.out.write(f"... {total - len(shown):,} more rows in {path} (--max-rows 0 shows all)\n")
    ui.out.flush()
    ui.info(f"wrote {path}")
    return EXIT_OK


def _read_head(path: str, fmt: str, n: int) -> list[dict]:
    """The first ``n`` rows (0: all) of a pass file written by :func:`_stream_passes_cli`."""
    import csv
    import itertools

    if fmt == "parquet":
        import pyarrow.parquet as pq

        f = pq.ParquetFile(path)
        if not n:
            return f.read().to_pylist()
        batch = next(f.iter_batches(batch_size=n), None)
        return [] if batch is None else batch.to_pylist()[:n]
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(itertools.islice(csv.DictReader(fh), n or None))
    for r in rows:
        for k in ("max_elevation_deg", "duration_s"):
            r[k] = float(r[k])
        for k in ("rise_clipped", "set_clipped"):
            r[k] = r[k] == "True"
    return rows


# ====================================================================== eclipse
def cmd_eclipse(args, ui: _UI) -> int:
    cons, start0 = _constellations(args, _default_start(), "cluster")
    if args.days is not None and args.stop:
        raise InputError("give --stop or --days, not both")
    start, stop = _window(args, start0, 365.0 * 86400.0, "--days", None if args.days is None else args.days * 86400.0)
    label, con = cons[0]
    ui.progress.note(f"eclipses of {label} ({len(con)} satellites)")
    with executor_of(args) as ex:
        table = find_eclipses(con, start, stop, executor=ex,
                              progress=lambda d, n: ui.progress.update(d, n, "satellite groups"))
    seasons = eclipse_seasons(table, con.period)
    window = table.window_s
    e = table.eclipses()
    n_sat = len(con)
    longest = np.zeros(n_sat)
    if len(e["sat"]):
        np.maximum.at(longest, e["sat"], e["duration_s"])
    n_ecl = np.bincount(e["sat"], minlength=n_sat) if len(e["sat"]) else np.zeros(n_sat, int)
    n_seasons = np.bincount(seasons.sat, minlength=n_sat) if len(seasons) else np.zeros(n_sat, int)
    shadow = table.shadow_seconds("any") / window
    umbra = table.shadow_seconds("umbra") / window
    sats = [{"satellite": con.names[i], "shadow_fraction": float(shadow[i]), "umbra_fraction": float(umbra[i]),
             "eclipses": int(n_ecl[i]), "longest_eclipse_min": float(longest[i] / 60.0) if n_ecl[i] else None,
             "seasons": int(n_seasons[i])} for i in range(n_sat)]
    season_rows = list(seasons.rows())
    head = f"{label}: window {start.utc_iso()} .. {stop.utc_iso()} ({window / 86400.0:.1f} days), conical shadow\n"

    def text():
        s = head + _table([dict(r, shadow_fraction=100 * r["shadow_fraction"], umbra_fraction=100 * r["umbra_fraction"])
                           for r in sats],
                          [("satellite", "satellite", "", "s"), ("shadow_fraction", "in shadow", "%", ".2f"),
                           ("umbra_fraction", "in umbra", "%", ".2f"), ("eclipses", "eclipses", "", "d"),
                           ("longest_eclipse_min", "longest", "min", ".2f"), ("seasons", "seasons", "", "d")],
                          args.max_rows)
        s += f"\neclipse seasons (eclipses on consecutive orbits): {len(season_rows)}\n"
        if season_rows:
            s += _table(season_rows, [("satellite", "satellite", "", "s"), ("start", "start (UTC)", "", "s"),
                                      ("end", "end (UTC)", "", "s"), ("duration_days", "length", "days", ".1f"),
                                      ("n_eclipses", "eclipses", "", "d"), ("max_eclipse_s", "longest", "s", ".0f")],
                        args.max_rows)
        return s

    _emit(ui, args, sats, text, json_obj={"constellation": label, "start": start.utc_iso(), "stop": stop.utc_iso(),
                                         "model": table.model, "satellites": sats, "seasons": season_rows,
                                         "umbra_intervals": int(np.sum(table.kind == UMBRA)),
                                         "intervals": len(table)},
          csv_text=lambda: table.to_csv())
    return EXIT_OK


# ====================================================================== power
def _power_scenario(args):
    s = _scenario(args)
    sets = []
    if args.altitude is not None:
        sets.append(("orbit.cluster.altitude", str(_quantity(args.altitude, "km", "--altitude"))))
    if args.ltan is not None and args.inclination is not None:
        raise InputError("give --ltan (a sun-synchronous orbit) or --inclination (a circular orbit at that "
                         "inclination), not both")
    if args.ltan is not None:
        sets += [("orbit.cluster.kind", "sun_synchronous"),
                 ("orbit.cluster.ltan", str(_quantity(args.ltan, "hour", "--ltan")))]
    if args.inclination is not None:
        sets += [("orbit.cluster.kind", "walker_delta"), ("orbit.cluster.planes", 1), ("orbit.cluster.phasing", 0),
                 ("orbit.cluster.inclination", str(_quantity(args.inclination, "deg", "--inclination")))]
    if args.it_power is not None:
        sets.append(("orbit.it_power_per_satellite", str(_quantity(args.it_power, "kW", "--it-power"))))
    return _apply_sets(s, sets)


def cmd_power(args, ui: _UI) -> int:
    s = _power_scenario(args)
    ui.progress.expected = 3
    g = _SizingOnlyModel(s, quick=args.quick, progress=ui.progress.stage).geometry
    arr, bat, rad = g.array, g.battery, g.radiator
    p_it = s.orbit["it_power_per_satellite"]
    load_w = g.load_w
    budget = satellite_mass_budget(s.assumptions, g, p_it.m_as("W"))
    cluster = g.cluster
    kw = p_it.m_as("kW")
    rows = [
        ("orbit", "altitude", s.cluster["altitude"].m_as("km"), "km"),
        ("orbit", "inclination", float(cluster.inclination.m_as("deg")[0]), "deg"),
        ("orbit", "period", float(cluster.period.m_as("min")[0]), "min"),
        ("orbit", "satellites in the cluster", g.n_sat, ""),
        ("load", "compute power per satellite", p_it.m_as("W"), "W"),
        ("load", "load incl. bus", load_w, "W"),
        ("sunlight", "sunlit fraction (year)", g.sunlit_fraction, "-"),
        ("sunlight", "shadow fraction (year)", g.shadow_fraction_year, "-"),
        ("sunlight", "worst-orbit shadow fraction", g.worst_orbit_shadow, "-"),
        ("sunlight", "eclipse seasons", len(g.seasons), ""),
    ]
    rows += [("array", r["quantity"], r["value"], r["unit"]) for r in arr.rows()]
    if bat is not None:
        rows += [("battery", "capacity", bat.capacity_j / 3600.0, "Wh"), ("battery", "depth of discharge", bat.dod, "-"),
                 ("battery", "cycles over life", bat.cycles, ""),
                 ("battery", "worst eclipse", bat.worst_eclipse_s / 60.0, "min"),
                 ("battery", "mass", bat.mass_kg, "kg")]
    rows += [("radiator", "area", rad.area_m2, "m^2"), ("radiator", "temperature", rad.temperature_k - 273.15, "degC"),
             ("radiator", "net rejection", rad.net_w_m2, "W/m^2"), ("radiator", "absorbed", rad.absorbed_w_m2, "W/m^2"),
             ("radiator", "mass", rad.mass_kg, "kg"),
             ("per kW of compute", "array area", arr.area_m2 / kw, "m^2/kW"),
             ("per kW of compute", "battery energy", (bat.capacity_j / 3600.0 / kw) if bat else 0.0, "Wh/kW"),
             ("per kW of compute", "radiator area", rad.area_m2 / kw, "m^2/kW"),
             ("per kW of compute", "launch mass", budget.launch_mass_kg / kw, "kg/kW")]
    table_rows = [{"section": sec, "quantity": q, "value": v, "unit": un} for sec, q, v, un in rows]
    mass_rows = budget.table()
    csv_rows = table_rows + [{"section": "mass budget", "quantity": r["item"], "value": r["mass_kg"], "unit": "kg"}
                             for r in mass_rows]

    def text():
        t = f"{s.name}: one satellite" + (" (quick: 5x coarser sunlight sampling)" if args.quick else "") + "\n\n"
        t += _table(table_rows, [("section", "", "", "s"), ("quantity", "quantity", "", "s"), ("value", "value", "", "n"),
                                 ("unit", "unit", "", "s")])
        t += "\nmass budget (one satellite)\n" + str(budget) + "\n"
        return t

    _emit(ui, args, csv_rows, text, json_obj={"scenario": s.name, "source": s.source, "sizing": table_rows,
                                             "mass_budget": mass_rows, "seasons": g.seasons})
    return EXIT_OK


# ====================================================================== latency
def cmd_latency(args, ui: _UI) -> int:
    s = _scenario(args)
    ui.progress.expected = 7
    model = _model(s, args.quick, ui.progress.stage)
    g = model.geometry
    rtt = model.region_rtt()
    chosen = model.chosen_sites()
    sites = g.sites
    req = s.workload["latency_requirement"].m_as("ms")
    rows = []
    for k, reg in enumerate(g.regions):
        j = int(chosen[k])
        ter = g.rtt_terrestrial_ms[g.owner == k][:, j]
        t50, t95, t99 = (float(rtt[reg.name][f"terrestrial_p{q}"][j]) for q in (50, 95, 99))
        o = rtt[reg.name]["orbital"]
        rows.append({"region": reg.name, "orbital_p50_ms": o["p50"], "orbital_p95_ms": o["p95"],
                     "orbital_p99_ms": o["p99"], "orbital_availability": o["availability"],
                     "terrestrial_site": f"{sites.providers[j]}:{sites.codes[j]}", "terrestrial_p50_ms": t50,
                     "terrestrial_p95_ms": t95, "terrestrial_p99_ms": t99,
                     "terrestrial_availability": float(np.mean(np.isfinite(ter))), "requirement_p95_ms": req})
    arch = ("cluster over the relay's laser links" if g.relay is not None
            else "cluster through ground stations and fibre")
    head = (f"{s.name}: round-trip times, population-weighted over {len(g.times)} snapshots"
            f"{' (quick)' if args.quick else ''}; orbital: {arch}; terrestrial: the cheapest cloud region meeting "
            f"the {req:g} ms p95 requirement (else the fastest), over fibre")
    head = textwrap.fill(head, 100, break_long_words=False, break_on_hyphens=False) + "\n"

    def text():
        return head + _table([dict(r, orbital_availability=100 * r["orbital_availability"]) for r in rows], [
            ("region", "region", "", "s"), ("orbital_p50_ms", "orb p50", "ms", ".1f"),
            ("orbital_p95_ms", "orb p95", "ms", ".1f"), ("orbital_p99_ms", "orb p99", "ms", ".1f"),
            ("orbital_availability", "orb path", "%", ".1f"), ("terrestrial_site", "terrestrial site", "", "s"),
            ("terrestrial_p50_ms", "ter p50", "ms", ".1f"), ("terrestrial_p95_ms", "ter p95", "ms", ".1f"),
            ("terrestrial_p99_ms", "ter p99", "ms", ".1f")])

    _emit(ui, args, rows, text)
    return EXIT_OK


# ====================================================================== sweep
_SWEEP_OUTPUTS = ("orbital:cost_per_accelerator_hour", "orbital:cost_per_pflop_day", "orbital:co2_kg_per_accelerator_hour",
                  "orbital:total_usd", "orbital:launch_mass_kg", "orbital:launches")

def SweepPoint(raw: dict, source: str, quick: bool, axes: dict[str, str], outputs: Sequence[str]):
    """Deprecated: :class:`orbitcompute.sweeps.ScenarioPoint` (``text=True``) is the
    one sweep driver; this name goes in the next release."""
    import warnings

    warnings.warn("orbitcompute.cli.SweepPoint is deprecated: use orbitcompute.sweeps.ScenarioPoint(raw, "
                  "source, quick, outputs, units, text=True)", DeprecationWarning, stacklevel=2)
    return ScenarioPoint(raw, source, quick, outputs, axes, text=True)


def _sweep_axis(name: str, text: str, scenario) -> tuple[list, str]:
    """Values of one ``--set NAME=V1,V2`` axis and their unit.

    Quantities become floats in one unit (so the CSV columns are numbers): for an
    assumption its own unit (bare numbers are taken in it), for a scenario key the unit
    of the first value (each value needs a unit).  Other values stay as written.
    """

    values = [v.strip() for v in text.split(",") if v.strip()]
    if not values:
        raise InputError(f"--set {name}=: give at least one value, e.g. --set {name}=V1,V2")
    if "." in name:
        section, key = name.rsplit(".", 1)
        spec = SCHEMA.get(section, {}).get(key)
        if spec is None or spec[0] != "quantity":
            return values, ""  # validated by the scenario schema, value by value
        if not any(c.isalpha() for c in values[0]):
            raise InputError(f"--set {name}={text}: give each value with its unit, e.g. "
                             f"--set '{name}=650 km,700 km'")
        unit = f"{_quantity(values[0], spec[1], f'--set {name}').to(Quantity(values[0]).units).units:~P}"
        return [float(_quantity(v, unit, f"--set {name}").m) for v in values], unit
    if name not in scenario.assumptions:
        return values, ""  # the scenario validation names it and suggests close names
    unit = scenario.assumptions[name].unit
    parsed = []
    for v in values:
        try:
            parsed.append(float(v))
        except ValueError:
            parsed.append(float(_quantity(v, unit or "dimensionless", f"--set {name}").m))
    return parsed, unit


def cmd_sweep(args, ui: _UI) -> int:
    import dataclasses


    s = _apply_sets(_load(args.scenario), [_parse_set(t, "--fix") for t in (args.fix or [])])
    if not args.set:
        raise InputError("sweep needs at least one --set NAME=V1,V2,..., e.g. --set launch_price=200,500,1500")
    if args.workers < 1:
        raise InputError(f"--workers: must be at least 1, got {args.workers}")
    grid: dict[str, list] = {}
    units: dict[str, str] = {}
    for t in args.set:
        name, text = _parse_set(t)
        if name in grid:
            raise InputError(f"--set {name} is given twice; list all its values in one --set {name}=V1,V2")
        grid[name], units[name] = _sweep_axis(name, text, s)
    check = ScenarioPoint(s.raw, s.source, args.quick, [], units, text=True)
    check.validate(grid)  # every value alone must make a valid scenario: bad input fails here, before any work
    ui.progress.note("geometry of the first point")
    first = _model(check.scenario({k: v[0] for k, v in grid.items()}), args.quick)
    outputs = list(args.output or [])
    keys = first.evaluate({}) if outputs else {}
    for k in outputs:
        if k not in keys:
            close = [c for c in sorted(keys) if k.split(":")[-1] in c][:5] or sorted(keys)[:8]
            raise InputError(f"--output {k!r} is not an output of the model; outputs are e.g. {', '.join(close)}")
    regions = [reg.name for reg in first.geometry.regions]
    if not outputs:
        outputs = list(_SWEEP_OUTPUTS)
        for r in regions:
            outputs += [f"terrestrial:cost_per_accelerator_hour:{r}", f"ratio:{r}"]
    func = ScenarioPoint(s.raw, s.source, args.quick, outputs, units, text=True)
    n = math.prod(len(v) for v in grid.values())
    ui.progress.update(0, n)
    with worker_pool(min(args.workers, n)) as ex:
        result = sweep(func, grid, executor=ex, progress=ui.progress.update)
    known = first.describe()["output_units"]  # the model's one table of output units
    out_units = {k: known.get(k, "") for k in outputs}
    result = dataclasses.replace(result, units={**result.units, **units, **out_units})
    if result.n_failed == len(result):
        raise InputError(f"every sweep point failed; the first error: {result.errors[0]}")
    rows = list(result.rows())
    shown = [(k, k, units[k], ".6g" if units[k] else "s") for k in grid]
    if "orbital:cost_per_accelerator_hour" in outputs:
        shown.append(("orbital:cost_per_accelerator_hour", "orbital", "USD/acc-h", ".2f"))
    shown += [(f"ratio:{r}", f"{r[:13]}", "orb/ter", ".3f") for r in regions if f"ratio:{r}" in outputs]
    if len(shown) == len(grid):
        shown += [(k, k, out_units[k], ".6g") for k in outputs]
    if result.n_failed:
        shown.append(("error", "error", "", "s"))

    def text():
        t = (f"{s.name}: sweep of {', '.join(grid)} over {n} points ({result.elapsed_s:.1f} s"
             f"{', quick geometry' if args.quick else ''})")
        if any(k.startswith("ratio:") for k, *_ in shown):
            t += "; ratio = orbital / terrestrial cost per accelerator-hour (< 1: orbital cheaper)"
        return t + "\n" + _table(rows, shown)

    _emit(ui, args, rows, text, json_obj=json.loads(result.to_json()), csv_text=lambda: result.to_csv())
    if result.n_failed:
        ui.info(f"{result.n_failed} of {n} points failed (see the error column)")
        return EXIT_BAD_INPUT
    return EXIT_OK


def _ignore_sigint() -> None:
    """Sweep workers leave Ctrl-C to the parent, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def worker_pool(workers: int):
    """A process pool of ``workers`` processes for a command's ``--workers`` (None for 1):
    its workers ignore Ctrl-C, and on any exception (Ctrl-C included) they are stopped at
    once rather than after their current point."""
    from concurrent.futures import ProcessPoolExecutor

    if workers <= 1:
        yield None
        return
    ex = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint)
    try:
        yield ex
    except BaseException:
        for proc in list((getattr(ex, "_processes", None) or {}).values()):
            proc.terminate()
        ex.shutdown(wait=False, cancel_futures=True)
        raise
    ex.shutdown()


# ====================================================================== sobol
def cmd_sobol(args, ui: _UI) -> int:
    _salib()  # a missing SALib or a bad --n fails here, before the geometry is built
    _check_n(args.n)
    if args.top < 0:
        raise InputError(f"--top: must be 0 (all) or more, got {args.top}")
    s = _scenario(args)
    ui.progress.expected = 7
    model = _model(s, args.quick, ui.progress.stage)
    result = sobol(model, list(args.output or ["ratio:*"]), n=args.n, seed=args.seed,
                   num_resamples=args.resamples, conf_level=args.conf_level, progress=ui.progress.update)
    conv = result.convergence()
    pct = f"{100 * result.conf_level:g}%"

    def text():
        t = (f"{s.name}: Sobol' indices over {len(result.assumption)} assumptions, n = {result.n} "
             f"({result.n_evaluations:,} model points, {result.elapsed_s:.1f} s"
             f"{', quick geometry' if args.quick else ''}); +- = {pct} bootstrap half-width\n")
        for o in result.outputs:
            c = conv[o]
            t += (f"\n{o}: max |ST(n) - ST(n/2)| = {c['max_abs_ST_change']:.3f} ({c['assumption']}); "
                  f"largest ST +- {c['max_ST_conf']:.3f}\n")
            t += _table(result.top(o, args.top or None), [
                ("assumption", "assumption", "", "s"), ("S1", "S1", "-", ".3f"), ("S1_conf", "+-", "", ".3f"),
                ("ST", "ST", "-", ".3f"), ("ST_conf", "+-", "", ".3f"), ("ST_change", "ST change", "n/2->n", ".3f")])
        return t

    _emit(ui, args, list(result.rows()), text, json_obj=json.loads(result.to_json()),
          csv_text=lambda: result.to_csv())
    bad = {o: int(k) for o, k in zip(result.outputs, result.n_nonfinite) if k}
    if bad:
        ui.info(f"outputs with non-finite model values have no indices (NaN): {bad}")
        return EXIT_BAD_INPUT
    return EXIT_OK


# ====================================================================== timeline
def cmd_timeline(args, ui: _UI) -> int:
    s = _scenario(args)
    curves = tl.default_curves()
    if args.launch_path:
        curves["launch_price"] = tl.parse_path(args.launch_path, "USD/kg")
    if args.horizon is not None and not args.horizon > 0:
        raise InputError(f"--horizon: must be a positive number of years, got {args.horizon}")
    if args.step is not None and not args.step > 0:
        raise InputError(f"--step: must be a positive number of years, got {args.step}")
    ui.progress.expected = 7 + 2
    model = _model(s, args.quick, ui.progress.stage)
    ui.progress.expected = ui.progress.n_stage + 2
    result = model.run()
    ui.progress.stage("time to full power and cost of delay")
    tres = tl.timeline(model, result=result)
    start = tres.decision_year
    horizon = 20.0 if args.horizon is None else float(args.horizon)
    xres = tl.crossover(model, curves, years=[start, start + horizon], step=args.step or 1.0,
                        include_delay=args.delay, result=result)
    labels = {r["region"]: r for r in xres.summary()}
    rows = []
    for row in tres.rows():
        x = labels[row["region"]]
        rows.append(dict(row, crossover_year=x["crossover_year"], crossover=x["label"]))

    def text():
        head = (f"{s.name}{' (quick geometry)' if args.quick else ''}: time to full power from {start:g} and the "
                f"crossover year with the launch price {curves['launch_price'].describe()}"
                f"{' (costs including delay)' if args.delay else ''}")
        head = textwrap.fill(head, 100, break_long_words=False, break_on_hyphens=False) + "\n"
        t = head + _table([dict(r, country=r["country"] + ("*" if r["time_to_power_default"] else "")) for r in rows], [
            ("region", "region", "", "s"), ("country", "site country", "", "s"),
            ("terrestrial_years", "ground", "years", ".1f"), ("orbital_years", "orbit", "years", ".1f"),
            ("orbit_earlier_years", "orbit earlier", "years", ".1f"),
            ("orbital_usd_per_accelerator_hour", "orbital", "USD/acc-h", ".2f"),
            ("terrestrial_usd_per_accelerator_hour", "ground", "USD/acc-h", ".2f"),
            ("orbital_usd_per_accelerator_hour_with_delay", "orb+delay", "USD/acc-h", ".2f"),
            ("terrestrial_usd_per_accelerator_hour_with_delay", "gnd+delay", "USD/acc-h", ".2f"),
            ("crossover", "crossover", "", "s")])
        if any(r["time_to_power_default"] for r in rows):
            t += "* no country source for the grid lead time: the documented default (wide range) is used\n"
        return t

    _emit(ui, args, rows, text, json_obj={"scenario": s.name, "source": s.source, "timeline": tres.to_dict(),
                                          "crossover": xres.to_dict()})
    return EXIT_OK


# ====================================================================== optimize
def cmd_optimize(args, ui: _UI) -> int:


    s = _scenario(args)
    for name, v, lo in (("--pop", args.pop, 2), ("--generations", args.generations, 1), ("--workers", args.workers, 1),
                        ("--seed", args.seed, 0)):
        if v < lo:
            raise InputError(f"{name}: must be at least {lo}, got {v}")
    out_dir = Path(args.write_front) if args.write_front else None
    if out_dir is not None:  # fail before the search, not after it
        if out_dir.exists() and not out_dir.is_dir():
            raise InputError(f"--write-front {out_dir}: exists and is not a directory; give a directory path")
        if not out_dir.parent.is_dir():
            raise InputError(f"--write-front {out_dir}: the directory {out_dir.parent} does not exist; create it first")
        if out_dir.is_dir() and any(out_dir.glob("design-*.toml")) and not args.force:
            raise FileExistsError(f"{out_dir} already holds design-*.toml files; nothing was run. Pass --force to "
                                  "replace them, or choose another directory")
    space = DesignSpace.default(s)
    space.check(s)
    total = args.pop * args.generations
    ui.progress.update(0, total, "designs")

    def progress(done, n):
        ui.progress.update(done, n, "designs")

    kw = dict(regions=args.region or None, objective=args.objective, pop_size=args.pop, generations=args.generations,
              seed=args.seed, quick=args.quick, progress=progress)
    with worker_pool(args.workers) as ex:
        result = optimize(s, space, executor=ex, **kw)
    if result.n_failed == len(result):
        raise InputError(f"every design failed; the first error: {result.errors[0]}")
    written = []
    if out_dir is not None:
        out_dir.mkdir(exist_ok=True)
        for i in sorted({p.index for r in result.regions for p in result.front(r)}):
            path = out_dir / f"design-{i}.toml"
            result.write_toml(i, path, overwrite=args.force)
            written.append(path)
    rows = []
    for r in result.regions:
        for p in result.front(r):
            rows.append({"region": r, "point": p.index, **p.values,
                         "cost_usd_per_accelerator_hour": p.cost_usd_per_accelerator_hour[r], "p95_ms": p.p95_ms[r]})
    short = {"orbit.cluster.altitude": ("alt", "km"), "orbit.cluster.ltan": ("LTAN", "h"),
             "orbit.cluster.inclination": ("incl", "deg"), "orbit.it_power_per_satellite": ("P/sat", "kW"),
             "orbit.battery": ("battery", ""), "orbit.ground_stations": ("GS", ""), "orbit.relay.kind": ("relay", "")}
    shown = [("region", "region", "", "s"), ("point", "point", "", "d")]
    for v in result.space:
        head, unit = short.get(v.key, (v.key.rsplit(".", 1)[1], v.unit))
        shown.append((v.key, head, unit, ".6g" if v.kind == "real" else "s" if v.kind != "int" else "d"))
    shown += [("cost_usd_per_accelerator_hour", "orbital", "USD/acc-h", ".2f"), ("p95_ms", "p95 RTT", "ms", ".1f")]

    def text():
        t = (f"{s.name}: design search, {len(result)} designs ({result.n_failed} failed) in {result.elapsed_s:.1f} s"
             f"{', quick geometry' if args.quick else ''}; Pareto front of orbital cost vs p95 RTT per region")
        t = textwrap.fill(t, 100, break_long_words=False, break_on_hyphens=False)
        return t + "\n" + _table([{k: (str(v) if isinstance(v, bool) else v) for k, v in r.items()} for r in rows],
                                 shown)

    _emit(ui, args, rows, text, json_obj=json.loads(result.to_json()), csv_text=lambda: result.to_csv())
    if written:
        ui.info(f"wrote {len(written)} front designs as scenario files in {out_dir}")
    if not result.feasible.any():
        ui.info("no design met the path-availability limit in every region (see the availability columns)")
    return EXIT_OK
