"""Streamed pass tables (``oc.stream_passes``, ``orbitcompute passes --csv/--parquet``).

Reference: the in-memory table of ``oc.find_passes`` on the same inputs.  The claim under
test is identity, so there is no tolerance: the streamed CSV is byte for byte the text of
``PassTable.to_csv`` (``exact=False``), its exact columns parse back (``float()`` of the
shortest round-trip repr) to arrays equal to the table's (``np.array_equal``), and the
Parquet columns equal them exactly.  Groups are made small (``GROUP_PAIRS`` patched in
this process, where the split is decided) so that a small input spreads over several
groups and both workers of a pool, and finishes out of order.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

import orbitcompute as oc
from orbitcompute import _scale, _table, visibility
from orbitcompute.cli import main
from orbitcompute.errors import InputError

START, STOP = "2026-06-21T00:00:00Z", "2026-06-21T03:00:00Z"
EL = 20 * oc.u.deg


def _pool():
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context(method))


@pytest.fixture(scope="module")
def inputs():
    con = oc.Constellation.walker_delta(total=120, planes=12, phasing=1, altitude=550 * oc.u.km,
                                        inclination=53 * oc.u.deg, epoch=START)
    return con, oc.GroundSites.cities()[:40]


@pytest.fixture
def small_groups(monkeypatch):
    monkeypatch.setattr(visibility, "GROUP_PAIRS", 1200)  # 30 satellites x 40 sites: 4 groups


def _exact_rows(path):
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return {k: np.array([float(r[k]) for r in rows]) for k in oc.PassTable.EXACT_COLUMNS}, rows


def test_streamed_csv_is_the_in_memory_table(inputs, small_groups, tmp_path):
    con, sites = inputs
    ref = oc.find_passes(con, sites, START, STOP, EL, executor=None)
    assert len(ref) > 500  # the test has substance
    seen = []
    s = oc.stream_passes(con, sites, START, STOP, tmp_path / "p.csv", EL, exact=False, executor=None,
                         progress=lambda d, n: seen.append((d, n)))
    assert (tmp_path / "p.csv").read_text(encoding="utf-8") == ref.to_csv()  # byte for byte
    assert (s.rows, s.groups, s.format, s.path) == (len(ref), 4, "csv", tmp_path / "p.csv")
    assert s.bytes == (tmp_path / "p.csv").stat().st_size
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    # exact=True (the default): the stored floats come back bit for bit
    s = oc.stream_passes(con, sites, START, STOP, tmp_path / "x.csv", EL, executor=None)
    cols, rows = _exact_rows(tmp_path / "x.csv")
    assert list(rows[0]) == [*oc.PassTable.COLUMNS, *oc.PassTable.EXACT_COLUMNS]
    for k in oc.PassTable.EXACT_COLUMNS:
        assert np.array_equal(cols[k], getattr(ref, k)), k  # tolerance: none
    assert [r["satellite"] for r in rows] == [ref.satellite_names[k] for k in ref.sat]
    assert [r["site"] for r in rows] == [ref.site_names[k] for k in ref.site]


@pytest.mark.parametrize("max_pending", [1, 3, None])
def test_streamed_on_a_process_pool_is_identical(inputs, small_groups, tmp_path, max_pending):
    con, sites = inputs
    oc.stream_passes(con, sites, START, STOP, tmp_path / "serial.csv", EL, executor=None)
    seen = []
    with _pool() as ex:
        s = oc.stream_passes(con, sites, START, STOP, tmp_path / "pool.csv", EL, executor=ex,
                             max_pending=max_pending, progress=lambda d, n: seen.append((d, n)))
    assert (tmp_path / "pool.csv").read_bytes() == (tmp_path / "serial.csv").read_bytes()
    assert s.groups == 4 and seen[-1] == (4, 4) and len(seen) == 4


def test_streamed_parquet_equals_the_table_exactly(inputs, small_groups, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    con, sites = inputs
    ref = oc.find_passes(con, sites, START, STOP, EL, executor=None)
    with _pool() as ex:
        s = oc.stream_passes(con, sites, START, STOP, tmp_path / "p.parquet", EL, format="parquet", executor=ex)
    f = pq.ParquetFile(tmp_path / "p.parquet")
    assert f.num_row_groups == s.groups == 4 and f.metadata.num_rows == s.rows == len(ref)
    assert f.schema_arrow.metadata[b"start"] == b"2026-06-21T00:00:00.000000Z"
    t = f.read()
    for k in oc.PassTable.EXACT_COLUMNS:
        assert np.array_equal(t[k].to_numpy(), getattr(ref, k)), k  # tolerance: none
    want = ref.columns()
    for k in oc.PassTable.COLUMNS:
        assert t[k].to_pylist() == list(np.asarray(want[k]).tolist()), k


def test_refuses_to_overwrite_and_leaves_no_half_file(inputs, tmp_path, monkeypatch):
    con, sites = inputs
    p = tmp_path / "p.csv"
    p.write_text("precious\n")

    def no_search(*a, **k):  # the refusal comes before any search
        raise AssertionError("searched although the file exists")

    monkeypatch.setattr(visibility, "_search_group", no_search)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        oc.stream_passes(con, sites, START, STOP, p, EL, executor=None)
    assert p.read_text() == "precious\n" and sorted(x.name for x in tmp_path.iterdir()) == ["p.csv"]
    monkeypatch.undo()
    # an interrupt while the file is put in place: the old file stays, no temporary is left
    real_replace = _table.os.replace

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(_table.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        oc.stream_passes(con, sites, START, STOP, p, EL, executor=None, overwrite=True)
    assert p.read_text() == "precious\n" and sorted(x.name for x in tmp_path.iterdir()) == ["p.csv"]
    monkeypatch.setattr(_table.os, "replace", real_replace)
    s = oc.stream_passes(con, sites, START, STOP, p, EL, executor=None, overwrite=True)
    assert p.read_text().startswith("satellite,site,rise") and s.rows > 0


def test_input_errors(inputs, tmp_path, monkeypatch):
    con, sites = inputs
    with pytest.raises(InputError, match="format: expected 'csv' or 'parquet'"):
        oc.stream_passes(con, sites, START, STOP, tmp_path / "p.txt", EL, format="txt")
    with pytest.raises(InputError, match="path: expected a file path"):
        oc.stream_passes(con, sites, START, STOP, EL)
    with pytest.raises(InputError, match="max_pending"):
        oc.stream_passes(con, sites, START, STOP, tmp_path / "p.csv", EL, max_pending=0)
    with pytest.raises(InputError, match="does not exist"):
        oc.stream_passes(con, sites, START, STOP, tmp_path / "nodir" / "p.csv", EL)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    with pytest.raises(InputError, match=r"orbitcompute\[parquet\]"):
        oc.stream_passes(con, sites, START, STOP, tmp_path / "p.parquet", EL, format="parquet")
    assert list(tmp_path.iterdir()) == []


def test_empty_constellation_writes_the_header(tmp_path):
    sites = oc.GroundSites.cities()[:3]
    con = oc.Constellation.walker_delta(total=1, planes=1, phasing=0, altitude=550 * oc.u.km,
                                        inclination=53 * oc.u.deg, epoch=START)[:0]
    s = oc.stream_passes(con, sites, START, STOP, tmp_path / "p.csv", EL, exact=False)
    assert s.rows == 0 and (tmp_path / "p.csv").read_text() == oc.find_passes(con, sites, START, STOP, EL).to_csv()


def test_reorder_buffer_is_bounded():
    """Tasks finishing in reverse order: the results held (submitted, not yet yielded)
    never exceed max_pending, and they come out in task order."""
    n, limit = 12, 3
    held = []
    state = {"submitted": 0, "yielded": 0}

    def slow_first(k):
        time.sleep(0.02 * (limit - k % limit))  # in each window the first task is the slowest
        return k

    class Counting(ThreadPoolExecutor):
        def submit(self, fn, *args):
            state["submitted"] += 1
            held.append(state["submitted"] - state["yielded"])
            return super().submit(fn, *args)

    with Counting(4) as ex:
        out = []
        for r in _scale.iter_groups(slow_first, ((k,) for k in range(n)), n, ex, 0.0, max_pending=limit):
            state["yielded"] += 1
            out.append(r)
    assert out == list(range(n)) and max(held) <= limit


def test_cli_streams_the_same_csv_as_in_memory(tmp_path, capsys):
    args = ["passes", "--walker", "120/12/1", "--altitude", "550", "--inclination", "53", "--cities", "40",
            "--hours", "3", "-q"]
    assert main([*args, "--csv", "-"]) == 0  # the in-memory path
    in_memory = capsys.readouterr().out
    assert main([*args, "--csv", str(tmp_path / "p.csv"), "--workers", "2", "--max-rows", "5"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "p.csv").read_text(encoding="utf-8") == in_memory  # byte for byte
    n = in_memory.count("\n") - 1
    assert f"{n:,} passes" in out and f"{n - 5:,} more rows in {tmp_path / 'p.csv'}" in out
    first = in_memory.splitlines()[1].split(",")
    assert first[1] in out.splitlines()[4] and first[3] in out.splitlines()[4]  # row 1 printed
    assert main([*args, "--csv", "x.csv", "--parquet", "y.parquet"]) == 2
    assert "give --csv or --parquet, not both" in capsys.readouterr().err


def test_cli_parquet(tmp_path, capsys):
    pq = pytest.importorskip("pyarrow.parquet")
    args = ["passes", "--walker", "24/6/1", "--altitude", "550", "--inclination", "53", "--cities", "10",
            "--hours", "3", "-q"]
    assert main([*args, "--csv", "-"]) == 0
    ref = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert main([*args, "--parquet", str(tmp_path / "p.parquet")]) == 0
    t = pq.read_table(tmp_path / "p.parquet").to_pylist()
    assert len(t) == len(ref) > 0
    assert [(r["constellation"], r["satellite"], r["site"], r["rise"]) for r in t] == \
        [(r["constellation"], r["satellite"], r["site"], r["rise"]) for r in ref]
    assert main([*args, "--parquet", str(tmp_path / "p.parquet")]) == 3  # exists, no --force
    assert main([*args, "--parquet", str(tmp_path / "p.parquet"), "--force", "--json"]) == 0
    assert len(pq.read_table(tmp_path / "p.parquet")) == len(ref)
