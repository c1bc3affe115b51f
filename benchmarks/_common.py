"""Small helpers shared by the benchmark scripts (timing, tables, memory, subprocesses).

Not part of the package; the scripts put this folder on ``sys.path`` by being run as
``python benchmarks/bench_X.py``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

MiB = 2**20


def median(xs):
    return statistics.median(xs)


def _status_mib(field: str) -> float | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:  # pragma: no cover - not Linux
        pass
    return None


def maxrss_mib() -> float:
    """Peak resident set size of this process so far [MiB].

    Linux's ``VmHWM`` (the ``ru_maxrss`` of this process image).  ``getrusage``'s
    ``ru_maxrss`` itself is not used: Linux carries the parent's peak RSS into a child
    across fork+exec, so a subprocess started by a big parent would report the parent's
    figure.
    """
    hwm = _status_mib("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rss_mib() -> float | None:
    """Current resident set size [MiB] (Linux ``VmRSS``)."""
    return _status_mib("VmRSS")


def limit_address_space(gib: float | None) -> None:
    """Guard a shared machine: make a runaway allocation fail with MemoryError instead of
    pushing the machine into swap/OOM.  Address space is larger than RSS (thread stacks,
    OpenBLAS buffers), so give the cap some headroom over the figure being checked."""
    if gib:
        cap = int(gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def library_version() -> str:
    """Commit of the checkout and whether orbitcompute/ has uncommitted edits (read-only git)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    import orbitcompute

    pkg = os.path.dirname(os.path.abspath(orbitcompute.__file__))
    if os.path.dirname(pkg) != root:
        return f"orbitcompute from {pkg}"
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "--no-optional-locks", "-C", root, "status", "--porcelain", "--",
                                "orbitcompute"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "orbitcompute (commit unknown)"
    return f"orbitcompute @ {head or '?'}{' + uncommitted edits' if dirty else ''}"


def environment() -> str:
    import numpy
    import sgp4
    import skyfield
    from sgp4.api import accelerated

    try:
        load = "load avg %.2f %.2f %.2f" % os.getloadavg()
    except OSError:  # pragma: no cover
        load = "load avg n/a"
    return (
        f"{_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC | {platform.node()} | "
        f"{os.cpu_count()} CPUs | {load} | Python {platform.python_version()} | numpy {numpy.__version__} | "
        f"sgp4 {sgp4.__version__} (accelerated={accelerated}) | skyfield {skyfield.__version__} | {library_version()}"
    )


def table(headers, rows, title: str | None = None) -> str:
    """A plain aligned text table (GitHub-markdown compatible)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    w = [max(len(r[k]) for r in cells) for k in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.rjust(w[k]) if k else c.ljust(w[k]) for k, c in enumerate(r)) + " |"  # noqa: E731
    out = [line(cells[0]), "|" + "|".join("-" * (x + 2) for x in w) + "|"] + [line(r) for r in cells[1:]]
    text = "\n".join(out)
    if title:
        text = f"\n{title}\n{text}"
    print(text, flush=True)
    return text


def run_json_subprocess(args: list[str], timeout: float | None = None) -> dict:
    """Run ``python <args>`` and parse the last stdout line as JSON.

    Returns ``{"error": ...}`` (with the tail of stderr) if the child fails.
    """
    t0 = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s", "wall_s": time.perf_counter() - t0}
    lines = [x for x in p.stdout.strip().splitlines() if x.startswith("{")]
    if p.returncode != 0 or not lines:
        tail = " | ".join(p.stderr.strip().splitlines()[-3:])
        return {"error": f"exit code {p.returncode}: {tail}", "wall_s": time.perf_counter() - t0}
    out = json.loads(lines[-1])
    out.setdefault("wall_s", time.perf_counter() - t0)
    return out


def fmt(x, nd=2):
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{nd}f}"
