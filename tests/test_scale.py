"""The geometry on executors: identical results with and without a process pool or a
Dask cluster, and the command line's --workers / --scheduler.

Reference: the same search run in this process (``executor=None``).  The claim under
test is identity, so the tolerance is zero (``np.array_equal`` on every column, dtypes
equal): the groups are the same with and without an executor and each runs the same
code on the same arrays.  Groups are made small (``GROUP_PAIRS``, ``GROUP_SAT_SAMPLES``
patched in this process, where the split is decided) so that a small, fast input still
spreads over several groups and both workers.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import orbitcompute as oc
from orbitcompute import _scale, eclipse, visibility
from orbitcompute.cli import main
from orbitcompute.errors import InputError

START, STOP = "2026-06-21T00:00:00Z", "2026-06-21T03:00:00Z"
PASS_COLS = ("sat", "site", "rise_s", "culmination_s", "set_s", "max_elevation_rad", "rise_clipped", "set_clipped")
ECL_COLS = ("sat", "kind", "start_s", "end_s", "start_clipped", "end_clipped")


def _pool():
    # fork is fast (no re-import of numpy and skyfield in the workers), but forking a
    # process that runs other threads (a dask test leaves some) can deadlock: then spawn
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context(method))


def _inputs():
    con = oc.Constellation.walker_delta(total=120, planes=12, phasing=1, altitude=550 * oc.u.km,
                                        inclination=53 * oc.u.deg, epoch=START)
    sites = oc.GroundSites.cities()[:40]
    return con, sites


def _same(a, b, cols):
    assert len(a) == len(b)
    for k in cols:
        x, y = getattr(a, k), getattr(b, k)
        assert x.dtype == y.dtype, k
        assert np.array_equal(x, y), k  # tolerance: none (bit-for-bit identity is the claim)


@pytest.fixture
def small_groups(monkeypatch):
    monkeypatch.setattr(visibility, "GROUP_PAIRS", 1200)  # 30 satellites x 40 sites: 4 groups
    monkeypatch.setattr(eclipse, "GROUP_SAT_SAMPLES", 10_000)  # groups of ~15 satellites over a day or two


def test_passes_identical_on_a_process_pool(small_groups):
    con, sites = _inputs()
    serial = oc.find_passes(con, sites, START, STOP, 20 * oc.u.deg, executor=None)
    seen = []
    with _pool() as ex:
        par = oc.find_passes(con, sites, START, STOP, 20 * oc.u.deg, executor=ex,
                             progress=lambda d, n: seen.append((d, n)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert len(serial) > 500  # ~5 passes per site-hour for 120 satellites: the test has substance
    _same(serial, par, PASS_COLS)
    # the split itself does not change a bit either: one group (the default for this size)
    visibility.GROUP_PAIRS = 250_000
    _same(serial, oc.find_passes(con, sites, START, STOP, 20 * oc.u.deg, executor=None), PASS_COLS)


def _auto_checks() -> None:
    """The body of test_auto_forks_for_large_runs_only, run in a fresh single-threaded
    interpreter (a pytest process that ran the Dask tests has other threads, where "auto"
    rightly refuses to fork)."""
    assert _scale._can_fork(), "a fresh interpreter should be allowed to fork"
    # below the threshold: in this process
    assert _scale.run_groups(os.getpid, [(), ()], "auto", work=0.0) == [os.getpid()] * 2
    # above it: other processes, results in task order
    pids = _scale.run_groups(os.getpid, [(), (), ()], "auto", work=_scale.AUTO_MIN_WORK)
    assert os.getpid() not in pids
    assert _scale.run_groups(abs, [(-3,), (-1,), (-2,)], "auto", work=_scale.AUTO_MIN_WORK) == [3, 1, 2]
    # and find_passes gives the same table through it
    con, sites = _inputs()
    visibility.GROUP_PAIRS = 1200
    serial = oc.find_passes(con, sites, START, STOP, 20 * oc.u.deg, executor=None)
    _scale.AUTO_MIN_WORK = 0.0
    _same(serial, oc.find_passes(con, sites, START, STOP, 20 * oc.u.deg), PASS_COLS)


def test_auto_forks_for_large_runs_only():
    import subprocess
    import sys

    if _scale.cores() < 2 or "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("auto stays in one process on a single core or without fork")
    code = ("import importlib.util, sys; spec = importlib.util.spec_from_file_location('ts', sys.argv[1]); "
            "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); m._auto_checks(); print('ok')")
    p = subprocess.run([sys.executable, "-c", code, __file__], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and p.stdout.strip().endswith("ok"), p.stderr[-2000:]


def test_eclipses_identical_on_a_process_pool(small_groups):
    con = oc.Constellation.walker_delta(total=60, planes=6, phasing=1, altitude=550 * oc.u.km,
                                        inclination=53 * oc.u.deg, epoch="2026-03-20T00:00:00Z")
    a, b = "2026-03-20T00:00:00Z", "2026-03-22T00:00:00Z"
    serial = oc.find_eclipses(con, a, b, executor=None)
    with _pool() as ex:
        par = oc.find_eclipses(con, a, b, executor=ex)
    # ~30 orbits x 60 satellites x 3 rows (penumbra, umbra, penumbra): near the equinox
    # the beta angle of a 53 deg orbit stays below the ~68 deg at which eclipses stop
    assert len(serial) > 0.9 * 30 * 60 * 3
    _same(serial, par, ECL_COLS)


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address:RuntimeWarning")
def test_passes_and_eclipses_identical_on_a_dask_local_cluster(small_groups):
    # The filter: dask's in-process transport names itself after the machine's IP address
    # and warns when there is no route to the Internet (the tests run offline).
    distributed = pytest.importorskip("distributed")
    con, sites = _inputs()
    serial_p = oc.find_passes(con, sites, START, STOP, 20 * oc.u.deg, executor=None)
    serial_e = oc.find_eclipses(con, START, "2026-06-22T00:00:00Z", executor=None)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        ex = client.get_executor()
        par_p = oc.find_passes(con, sites, START, STOP, 20 * oc.u.deg, executor=ex)
        par_e = oc.find_eclipses(con, START, "2026-06-22T00:00:00Z", executor=ex)
        n_workers = len(client.scheduler_info()["workers"])
    assert n_workers == 2
    _same(serial_p, par_p, PASS_COLS)
    _same(serial_e, par_e, ECL_COLS)


def test_executor_validation():
    con, sites = _inputs()
    with pytest.raises(InputError, match="executor: expected None, 'auto' or a concurrent.futures.Executor"):
        oc.find_passes(con, sites, START, STOP, executor="fast")
    with pytest.raises(InputError, match="executor"):
        oc.find_eclipses(con, START, STOP, executor=4)


def test_cli_workers_gives_the_same_csv(tmp_path, capsys):
    out1, out2 = tmp_path / "p1.csv", tmp_path / "p2.csv"
    args = ["passes", "--walker", "120/12/1", "--altitude", "550", "--inclination", "53", "--cities", "40",
            "--hours", "3", "-q", "--csv"]
    assert main([*args, str(out1), "--workers", "1"]) == 0
    assert main([*args, str(out2), "--workers", "2"]) == 0
    assert out1.read_bytes() == out2.read_bytes()  # byte-identical files
    assert out1.read_text().count("\n") > 500
    capsys.readouterr()
    assert main(["passes", "--cities", "2", "--hours", "1", "--workers", "0"]) == 2
    assert "--workers: must be >= 1, got 0" in capsys.readouterr().err
    assert main(["eclipse", "--days", "1", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "give --workers or --scheduler, not both" in capsys.readouterr().err


def test_cli_scheduler_without_dask(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    assert main(["eclipse", "--days", "1", "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    err = capsys.readouterr().err
    assert "--scheduler tcp://127.0.0.1:8786: needs dask.distributed" in err
    assert "orbitcompute[dask]" in err


def _routes_equal(a, b):
    assert a.shape == b.shape and a.index == b.index
    for k in ("delay_s", "hops", "access", "server"):
        x, y = getattr(a, k), getattr(b, k)
        if x is None:
            assert y is None
            continue
        assert x.dtype == y.dtype, k
        assert np.array_equal(x, y, equal_nan=True), k  # tolerance: none (identity is the claim)


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address:RuntimeWarning")
def test_route_series_identical_on_executors():
    # dwell attachment looks ahead across block ends: the spans must carry it (a span cut
    # without its look-ahead would pick other satellites near its end and fail this)
    con = oc.Constellation.walker_delta(total=66, planes=6, phasing=1, altitude=550 * oc.u.km,
                                        inclination=53 * oc.u.deg, epoch=START)
    net = oc.Network.plus_grid(con)
    s = oc.GroundSites.cities(limit=6)
    t = oc.time_grid(START, "2026-06-21T00:40:00Z", step=60 * oc.u.s)
    kw = dict(min_elevation=10 * oc.u.deg, attach="dwell", max_bytes=200_000)  # blocks of a few times
    serial = oc.route(net, s[:3], s[3:], t, executor=None, **kw)
    assert np.isfinite(serial.delay_s).mean() > 0.5  # mostly connected: the comparison has substance
    with _pool() as ex:
        _routes_equal(serial, oc.route(net, s[:3], s[3:], t, executor=ex, **kw))
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        _routes_equal(serial, oc.route(net, s[:3], s[3:], t, executor=client.get_executor(), **kw))


def test_sunlight_history_identical_on_a_process_pool(monkeypatch):
    from orbitcompute import sun

    sso = oc.Constellation.sun_synchronous(altitude=650 * oc.u.km, ltan=18 * oc.u.hour, epoch=START)
    a, b = START, "2026-06-24T00:00:00Z"
    monkeypatch.setattr(sun, "SUNLIGHT_BLOCK", 10**9)
    whole = oc.sunlight_history(sso, a, b, 10 * oc.u.s)  # one block
    monkeypatch.setattr(sun, "SUNLIGHT_BLOCK", 5000)  # 26 blocks of the 25,921 samples
    serial = oc.sunlight_history(sso, a, b, 10 * oc.u.s)
    with _pool() as ex:
        par = oc.sunlight_history(sso, a, b, 10 * oc.u.s, executor=ex)
    assert 0.5 < whole.illuminated.mean() < 1.0  # a June dawn-dusk orbit: mostly lit, some shadow
    for k in ("t_s", "illuminated", "flux_w_m2", "beta_rad", "r_m", "v_m_s", "sun_unit"):
        assert np.array_equal(getattr(whole, k), getattr(serial, k)), k  # tolerance: none
        assert np.array_equal(getattr(serial, k), getattr(par, k)), k


def _blas_threads(_):
    return os.getpid(), [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_tasks_in_worker_processes_run_blas_on_one_thread():
    # Two workers on a 2-core machine, each with its own BLAS pool of 2 spinning threads,
    # made the all-pairs routing day 15 % slower (benchmarks/README.md); the workers are the
    # parallelism.  Reference: threadpoolctl's own report of the BLAS pools, in the task.
    here_pid, here = _blas_threads(None)
    if not here or max(here) < 2:
        pytest.skip("this BLAS runs one thread already")
    with _pool() as ex:
        out = _scale.run_groups(_blas_threads, [(k,) for k in range(4)], ex, work=0.0)
    assert all(pid != here_pid and threads and max(threads) == 1 for pid, threads in out)
    # in the caller's process (no executor) nothing is limited, and the limit is lifted after
    assert _scale.run_groups(_blas_threads, [(0,)], None, work=0.0)[0][1] == here
    assert _blas_threads(None)[1] == here
