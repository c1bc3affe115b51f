"""Running the heavy geometry on a ``concurrent.futures`` executor (private helpers).

:func:`~orbitcompute.visibility.find_passes` and :func:`~orbitcompute.eclipse.find_eclipses`
split their work into independent groups of satellites.  The groups are the same with
and without an executor (they depend only on the inputs and ``max_bytes``), every group
runs the same code on the same arrays, and the groups' results are joined in group
order, so the output is identical, bit for bit, whether the groups run in this process,
in a process pool or on a Dask cluster (on workers with the same numpy build and CPU
family: transcendental functions may round differently elsewhere).

The default, ``executor="auto"``, forks a process pool with one worker per available
core when a run is large enough to pay for it (:data:`AUTO_MIN_WORK`), on Linux, from a
process that runs no other thread (forking a multi-threaded process can deadlock); in
every other case the groups run one after the other in this process.  Each worker gets
the caller's ``max_bytes`` for the working arrays of its group, so ``n_workers x
max_bytes`` is the total budget of working arrays, plus the results.

A task that runs in another process than the caller's runs with that process's BLAS on
one thread (``threadpoolctl``): the workers are the parallelism, and OpenBLAS's own
threads, one pool per worker spinning for work, would otherwise crowd the cores (on the
2-core reference machine this cost 15 % of the all-pairs routing day on 2 workers).
The limit is lifted when the task returns; results do not depend on it.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from typing import Any, NamedTuple

from threadpoolctl import threadpool_limits

from .errors import InputError

#: A run is spread over the cores by ``executor="auto"`` when it has at least this many
#: satellite-site pairs x coarse samples (passes) or satellite x samples x 100 (eclipses):
#: about 5-10 s of work in one process on this project's 2-core reference machine, well
#: above the ~0.1 s a forked pool costs to start and the seconds its results take to come
#: back.
AUTO_MIN_WORK = 2e8


class Epoch(NamedTuple):
    """The two TT Julian-date parts of a skyfield ``Time`` that
    :func:`orbitcompute.time.offset` reads: ships to workers in 16 bytes, and offsets
    from it are bit-identical to offsets from the original ``Time``."""

    whole: float
    tt_fraction: float

    @classmethod
    def of(cls, t) -> "Epoch":
        return cls(float(t.whole), float(t.tt_fraction))


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1 and multiprocessing.parent_process() is None)


def _run(func: Callable, parent_pid: int, *args):
    if os.getpid() == parent_pid:
        return func(*args)
    with threadpool_limits(limits=1, user_api="blas"):
        return func(*args)


def in_worker(func: Callable) -> Callable:
    """``func`` as an executor should run it: in another process than this one, with BLAS
    on one thread for the duration of each call (see the module notes); picklable when
    ``func`` is.  Every submission of the package to an executor goes through it."""
    return functools.partial(_run, func, os.getpid())


def check_executor(executor: Any) -> None:
    if executor is None or executor == "auto" or isinstance(executor, Executor):
        return
    if callable(getattr(executor, "submit", None)):  # duck-typed executors (e.g. dask's)
        return
    raise InputError(
        f"executor: expected None, 'auto' or a concurrent.futures.Executor, got {executor!r}; "
        "for a Dask cluster pass distributed.Client(address).get_executor()"
    )


def check_pending(max_pending: Any) -> None:
    """Refuse a ``max_pending`` that is not None or a positive whole number (not a bool)."""
    if max_pending is not None and (isinstance(max_pending, bool) or not isinstance(max_pending, int)
                                    or max_pending < 1):
        raise InputError(f"max_pending: expected a positive whole number of groups, got {max_pending!r}")


def run_groups(func: Callable, tasks: Sequence[tuple], executor: Any, work: float,
               progress: Callable[[int, int], None] | None = None) -> list:
    """``[func(*args) for args in tasks]``, on ``executor`` when given, in task order.

    ``executor="auto"``: a forked pool of :func:`cores` workers when ``work >=
    AUTO_MIN_WORK`` and there are at least two tasks (see the module notes), else serial.
    ``progress(done, total)`` is called after each finished task (in completion order).
    Every task is submitted at once (see :func:`iter_groups` for a bounded window).
    """
    return list(iter_groups(func, tasks, len(tasks), executor, work, progress, max_pending=None))


def width(executor: Any) -> int:
    """How many tasks ``executor`` runs at once: the workers of a ``concurrent.futures``
    pool, the threads of a Dask cluster's workers, else the cores of this machine."""
    n = getattr(executor, "_max_workers", None)
    if isinstance(n, int) and n > 0:
        return n
    client = getattr(executor, "_client", None)  # distributed.Client(...).get_executor()
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:  # pragma: no cover - a client that cannot answer: fall back
            pass
    return cores()


def iter_groups(func: Callable, tasks: Iterable[tuple], n: int, executor: Any, work: float,
                progress: Callable[[int, int], None] | None = None, *,
                max_pending: int | None = None) -> Iterator:
    """``func(*args)`` for each of the ``n`` ``tasks``, yielded in task order.

    Like :func:`run_groups`, but a generator over a lazy iterable of tasks: at most
    ``max_pending`` tasks are submitted and not yet yielded (running, queued, or finished
    out of order and waiting in the reorder buffer), so the results held at any time are
    bounded by ``max_pending`` whatever ``n``.  ``None``: all submitted at once.  When the
    next task in order is slow, no further task is submitted until it finishes (the
    buffer never grows past ``max_pending``).  Closing the generator early cancels the
    tasks not yet started.
    """
    check_executor(executor)
    check_pending(max_pending)
    own = None
    if executor == "auto":
        executor = None
        if n >= 2 and work >= AUTO_MIN_WORK and cores() >= 2 and _can_fork():
            own = ProcessPoolExecutor(min(cores(), n), mp_context=multiprocessing.get_context("fork"))
            executor = own
    if executor is None:
        for k, args in enumerate(tasks):
            out = func(*args)
            if progress is not None:
                progress(k + 1, n)
            yield out
        return
    limit = n if max_pending is None else max_pending
    run = in_worker(func)
    it = iter(tasks)
    pending: dict[Any, int] = {}  # future -> task index
    ready: dict[int, Any] = {}  # finished out of order, waiting for their turn
    submitted = done = nxt = 0
    try:
        while nxt < n:
            while submitted < n and submitted - nxt < limit:
                pending[executor.submit(run, *next(it))] = submitted
                submitted += 1
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for f in finished:
                k = pending.pop(f)
                ready[k] = f.result()
                done += 1
                if progress is not None:
                    progress(done, n)
            while nxt in ready:
                yield ready.pop(nxt)
                nxt += 1
    finally:
        for f in pending:
            f.cancel()
        if own is not None:
            own.shutdown(wait=True, cancel_futures=True)


def scheduler_executor(address: str):
    """``distributed.Client(address).get_executor()`` and the client (to close), with a
    clear error when dask is not installed."""
    try:
        import distributed
    except ImportError as exc:
        raise InputError(
            f"--scheduler {address}: needs dask.distributed, which is not installed; "
            "pip install 'orbitcompute[dask]' (or drop --scheduler and use --workers N)"
        ) from exc
    try:
        client = distributed.Client(address, timeout=10)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"--scheduler {address}: cannot connect to a Dask scheduler there ({exc}); "
                         "start one with `dask scheduler` and give its tcp://host:port") from exc
    return client, client.get_executor()
