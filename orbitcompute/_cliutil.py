"""Shared pieces of the command line (:mod:`orbitcompute.cli`): exit codes and defaults,
progress bar, option parsing, scenario overrides, shared models and output helpers."""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import tempfile
import time as _time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._output import csv_text as _csv
from ._output import json_text, write_text
from ._scale import _can_fork, scheduler_executor
from .errors import InputError
from .feasibility import FeasibilityModel, shared_model
from .geometry import LATENCY_FIELDS
from .scenario import load_scenario, text_value
from .time import offset, seconds_between, to_time
from .units import parse_quantity, Quantity


# ====================================================================== constants
EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_EXISTS, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
#: progress stages of write_report (tornado, Monte Carlo, files, summary, figures, ...), for the bar
REPORT_STAGES = 16
COMMANDS = ("report", "passes", "eclipse", "power", "latency", "sweep", "sobol", "timeline", "optimize")
DEFAULT_REPORT_DIR = "orbitcompute-report"
_GLOBAL_FLAGS = ("--debug", "--quiet", "-q", "--progress")

EXIT_CODES_TEXT = """\
exit codes:
  0    success
  1    unexpected internal error (please report it with the --debug output)
  2    bad input: missing file, malformed TLE/OMM/CSV, bad scenario value or option,
       or an output location that cannot be written (read-only, full disk)
  3    an output file or report directory exists and --force was not given
  130  interrupted (Ctrl-C); outputs are written atomically, none is left half done"""


# ====================================================================== progress
class Progress:
    """A small text progress display on stderr (no third-party dependency).

    ``stage(name)`` advances a stage counter (model stages, report figures);
    ``update(done, total)`` draws a bar (sweep points).  On a terminal the line is
    redrawn in place; otherwise (``--progress`` into a file or pipe) one line per step.
    """

    WIDTH = 24

    def __init__(self, stream=None, *, enabled: bool = True, expected_stages: int = 0):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.t0 = _time.perf_counter()
        self.n_stage = 0
        self.expected = expected_stages
        self._drawn = False

    def _write(self, text: str) -> None:
        if not self.enabled:
            return
        if self.tty:
            cols = 100
            try:
                cols = os.get_terminal_size(self.stream.fileno()).columns
            except (OSError, ValueError, AttributeError):
                pass
            self.stream.write("\r\x1b[K" + text[:max(20, cols - 1)])
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self._drawn = True

    def _bar(self, frac: float) -> str:
        k = round(self.WIDTH * min(max(frac, 0.0), 1.0))
        return "[" + "#" * k + "." * (self.WIDTH - k) + "]"

    def stage(self, name: Any, *_: Any, **__: Any) -> None:
        """Start a named stage (accepts extra arguments so any callback signature fits)."""
        self.n_stage += 1
        total = max(self.expected, self.n_stage)
        self._write(f"{self._bar(self.n_stage / total)} {self.n_stage}/{total} {name} "
                    f"({_time.perf_counter() - self.t0:.1f} s)")

    def update(self, done: int, total: int, what: str = "points") -> None:
        elapsed = _time.perf_counter() - self.t0
        eta = f", ~{elapsed / done * (total - done):.0f} s left" if 0 < done < total else ""
        self._write(f"{self._bar(done / total if total else 1.0)} {done}/{total} {what} ({elapsed:.1f} s{eta})")

    def note(self, text: str) -> None:
        """A one-off message (e.g. "finding passes ...")."""
        self._write(f"{text} ({_time.perf_counter() - self.t0:.1f} s)")

    def close(self) -> None:
        if self.enabled and self.tty and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        self._drawn = False


class _UI:
    """Where a command writes: stdout for results, stderr for notes and progress."""

    def __init__(self, args):
        self.out = sys.stdout
        self.err = sys.stderr
        self.quiet = bool(getattr(args, "quiet", False))
        show = (getattr(args, "progress", False) or self.err.isatty()) and not self.quiet
        self.progress = Progress(self.err, enabled=show)

    def info(self, text: str) -> None:
        if not self.quiet:
            self.progress.close()
            self.err.write(text + "\n")
            self.err.flush()


# ====================================================================== parsing helpers
def _quantity(text: str, unit: str, option: str):
    """Parse an option value such as ``"550 km"``; a bare number is taken in ``unit``."""
    import pint


    try:
        q = parse_quantity(str(text).strip())
    except InputError as exc:
        raise InputError(f"{option}: cannot read {text!r} as a quantity ({exc}); write a number (taken in "
                         f"{unit}) or a number with its unit, e.g. '550 {unit}'") from None
    if q.dimensionless and not isinstance(q.m, str):
        q = Quantity(float(q.m), unit)
    try:
        return q.to(unit)
    except pint.errors.DimensionalityError:
        raise InputError(f"{option}: {text!r} is not in units of {unit} (got {q.units:~P}); write a number "
                         f"with a unit of that dimension, e.g. '550 {unit}'") from None


def _time_arg(text: str, option: str):
    return to_time(text, option)


def _window(args, default_start, default_span_s: float, span_option: str, span_s: float | None):
    """(start, stop) from --start/--stop and a span option; stop must follow start."""

    start = _time_arg(args.start, "--start") if args.start else default_start
    if args.stop:
        stop = _time_arg(args.stop, "--stop")
    else:
        span = default_span_s if span_s is None else span_s
        if not span > 0:
            raise InputError(f"{span_option}: must be positive, got {span:g} s")
        stop = offset(start, span)
    if not float(seconds_between(start, stop)) > 0:
        raise InputError(f"--stop ({stop.utc_iso()}) must be after start ({start.utc_iso()}); swap them or "
                         "give a later --stop")
    return start, stop


def _parse_set(text: str, option: str = "--set") -> tuple[str, str]:
    if "=" not in text:
        raise InputError(f"{option} {text!r}: expected NAME=VALUE, e.g. {option} launch_price=500 or "
                         f"{option} orbit.cluster.altitude='700 km'")
    name, value = text.split("=", 1)
    name, value = name.strip(), value.strip()
    if not name or not value:
        raise InputError(f"{option} {text!r}: both NAME and VALUE are needed, e.g. {option} launch_price=500")
    return name, value


# ====================================================================== scenarios
def _load(path: str | None):
    if path is not None and not Path(path).is_file():
        what = "is a directory" if Path(path).is_dir() else "does not exist"
        raise InputError(f"scenario file {path} {what}; give the path of a scenario TOML file (see "
                         "examples/*.toml) or leave SCENARIO out for the embedded default")
    return load_scenario(path)


def _apply_sets(scenario, sets: Sequence[tuple[str, Any]]):
    """A copy of ``scenario`` with scenario keys (``orbit.cluster.altitude``) or
    assumptions (``launch_price``) set from ``--set`` text; validated like a scenario file."""

    if not sets:
        return scenario
    names = ", ".join(n for n, _ in sets)
    values = {n: text_value(n, v, scenario.assumptions) for n, v in sets}
    return scenario.with_values(values, source=f"{scenario.source} + --set {names}")


def _scenario(args):
    sets = [_parse_set(t) for t in (getattr(args, "set", None) or [])]
    return _apply_sets(_load(getattr(args, "scenario", None)), sets)


# ---------------------------------------------------------------------- models (geometry shared)
def _model(scenario, quick: bool, progress: Callable[[str], None] | None = None):
    """A FeasibilityModel of ``scenario`` sharing geometry within this process
    (:func:`orbitcompute.feasibility.shared_model`)."""
    return shared_model(scenario, quick=quick, progress=progress)


class _SizingOnlyModel(FeasibilityModel):
    """The power, thermal and eclipse part of the feasibility geometry, without latency."""

    def _latency(self, cluster, relay, n_sat: int) -> dict:
        return dict.fromkeys(LATENCY_FIELDS)  # every latency field None

    def _capacity(self, g) -> None:
        return None


# ====================================================================== output helpers
def _json_text(obj) -> str:
    return json_text(obj)


def check_output_dir(out: str | os.PathLike, option: str = "--out") -> None:
    """Refuse, before any work, an output directory whose location cannot be written.

    The nearest existing ancestor of ``out`` must be a directory in which a directory can
    be made (probed with a temporary one, so that read-only mounts and missing permissions
    fail here for root too); else :class:`InputError` naming ``option``, the path and the fix.
    """
    p = Path(out).absolute()
    anc = p.parent
    while not anc.exists() and anc != anc.parent:
        anc = anc.parent
    if not anc.is_dir():
        raise InputError(f"{option} {out}: {anc} is a file, not a directory, so the report cannot be written "
                         f"there; choose an {option} under a directory")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=f".{p.name}.probe-", dir=anc))
    except OSError as exc:
        raise InputError(f"{option} {out}: cannot write in {anc} ({exc.strerror or exc}); choose a writable "
                         f"{option} or fix the directory's permissions") from None


def write_atomically(path: str | os.PathLike, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically (:func:`orbitcompute._output.write_text`),
    refusing an existing path unless ``force`` (``FileExistsError``, exit code 3)."""
    return write_text(path, text, overwrite=force, hint="pass --force to replace it")


def _emit(ui: _UI, args, rows: list[dict], table: Callable[[], str], *, json_obj=None,
          csv_text: Callable[[], str] | None = None) -> None:
    """Print ``table()`` (or JSON with --json) and write --csv (``-`` for stdout)."""
    csv_path = getattr(args, "csv", None)
    text_csv = (csv_text or (lambda: _csv(rows)))
    if csv_path and csv_path != "-":
        write_atomically(csv_path, text_csv(), force=getattr(args, "force", False))
    ui.progress.close()
    if getattr(args, "json", False):
        ui.out.write(_json_text(rows if json_obj is None else json_obj))
    elif csv_path == "-":
        ui.out.write(text_csv())
    else:
        ui.out.write(table())
    ui.out.flush()
    if csv_path and csv_path != "-":
        ui.info(f"wrote {csv_path}")


def _fmt(v, spec: str) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    if isinstance(v, str) or spec == "s":
        return str(v)
    if spec == "n":  # a readable number of any size: 4 significant digits, thousands separated
        if isinstance(v, (bool, np.bool_)):
            return str(bool(v))
        if isinstance(v, (int, np.integer)) or (abs(v) >= 1e4 and abs(v) < 1e15):
            return f"{v:,.0f}"
        return f"{v:.4g}"
    return format(v, spec)


def _table(rows: Sequence[dict], cols: Sequence[tuple[str, str, str, str]], max_rows: int = 0) -> str:
    """Aligned text table; ``cols`` = (key, header, unit, format spec)."""
    shown = rows if not max_rows or len(rows) <= max_rows else rows[:max_rows]
    cells = [[_fmt(r.get(k), spec) for k, _, _, spec in cols] for r in shown]
    heads = [h for _, h, _, _ in cols]
    units = [f"[{u}]" if u else "" for _, _, u, _ in cols]
    widths = [max([len(heads[j]), len(units[j])] + [len(c[j]) for c in cells]) for j in range(len(cols))]
    left = [spec == "s" for _, _, _, spec in cols]

    def line(vals):
        return "  ".join(v.ljust(w) if lf else v.rjust(w) for v, w, lf in zip(vals, widths, left)).rstrip()

    out = [line(heads)]
    if any(units):
        out.append(line(units))
    out += [line(c) for c in cells]
    if len(shown) < len(rows):
        out.append(f"... {len(rows) - len(shown):,} more rows (--max-rows 0 shows all; --csv FILE or --json "
                   "for the whole table)")
    return "\n".join(out) + "\n"




# ====================================================================== executors
def scale_args(p) -> None:
    """``--workers N`` and ``--scheduler ADDRESS`` of the geometry commands (passes, eclipse)."""
    g = p.add_argument_group("parallel runs (see docs/scale.md)")
    g.add_argument("--workers", type=int, metavar="N",
                   help="search the satellite groups in N local processes (1: in this process; default: all "
                        "cores for large runs, one process for small ones)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="run the groups on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs "
                        "pip install \"orbitcompute[dask]\")")


@contextlib.contextmanager
def executor_of(args):
    """The ``executor=`` for ``--workers`` / ``--scheduler`` (closed on exit)."""
    workers, address = getattr(args, "workers", None), getattr(args, "scheduler", None)
    if workers is not None and address:
        raise InputError("give --workers or --scheduler, not both")
    if address:
        client, ex = scheduler_executor(address)
        try:
            yield ex
        finally:
            client.close()
        return
    if workers is None:
        yield "auto"
        return
    if workers < 1:
        raise InputError(f"--workers: must be >= 1, got {workers}")
    if workers == 1:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor


    ctx = multiprocessing.get_context("fork" if _can_fork() else "spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as ex:
        yield ex
