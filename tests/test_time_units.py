"""Tests of orbitcompute.time (to_time, time_grid, seconds_between) and orbitcompute.units.

Independent references
----------------------
* skyfield's own ``Timescale.utc`` (UTC with its bundled leap-second table) for what a
  given UTC instant is;
* astropy ``Time`` (ERFA's leap seconds; only UTC <-> TAI <-> TT conversions are used,
  which need no IERS table, and automatic IERS downloads are switched off anyway);
* Python's ``datetime`` arithmetic for offsets.

Tolerances
----------
``SPLIT_JD_TOL_S``: two ways of building the same instant as a TT split Julian date
round the day fraction independently; float64 resolves a day fraction below 1 to
2**-52 day = 1.9e-11 s, so differences of a few 1e-11 s are rounding, not error.
The brief's 1 us for astropy is far looser than needed; we check 1e-9 s.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import orbitcompute as oc
from orbitcompute import units
from orbitcompute.constants import DAY_S
from orbitcompute.time import (
    iso_utc,
    offset,
    seconds_between,
    time_grid,
    timescale,
    to_time,
)

SPLIT_JD_TOL_S = 1e-9
ASTROPY_TOL_S = 1e-6  # the brief's figure; measured 0.0 s

UTC = dt.UTC
REF_ISO = "2026-06-21T00:00:00Z"


def ref_time():
    return timescale().utc(2026, 6, 21)


def _astropy_time():
    from astropy.utils import iers

    iers.conf.auto_download = False
    iers.conf.auto_max_age = None
    from astropy.time import Time as ATime

    return ATime


def _close(t, ref, tol=SPLIT_JD_TOL_S):
    return np.all(np.abs(seconds_between(ref, t)) < tol)


# ----------------------------------------------------------------------- to_time
@pytest.mark.parametrize(
    "value",
    [
        "2026-06-21T00:00:00Z",
        "2026-06-21T00:00:00z",
        "2026-06-21t00:00:00z",
        "2026-06-21T00:00:00+00:00",
        "2026-06-21T05:30:00+05:30",
        "2026-06-21T05:30:00+0530",
        "2026-06-20T19:00:00-05:00",
        "  2026-06-21T00:00:00Z ",
        dt.datetime(2026, 6, 21, tzinfo=UTC),
        dt.datetime(2026, 6, 21, 2, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        dt.datetime(2026, 6, 20, 14, tzinfo=dt.timezone(dt.timedelta(hours=-10))),
        np.datetime64("2026-06-21T00:00:00"),
        np.datetime64("2026-06-21T00:00:00.000000000"),
        np.datetime64("2026-06-21"),
    ],
    ids=repr,
)
def test_to_time_scalar_inputs(value):
    t = to_time(value)
    assert t.shape == ()
    assert _close(t, ref_time())


def test_to_time_fractional_seconds():
    t = to_time("2026-06-21T00:00:00.123456Z")
    assert abs(seconds_between(ref_time(), t) - 0.123456) < SPLIT_JD_TOL_S
    t = to_time(np.datetime64("2026-06-21T00:00:00.000000250"))
    assert abs(seconds_between(ref_time(), t) - 250e-9) < SPLIT_JD_TOL_S


def test_to_time_skyfield_passthrough():
    t = timescale().utc(2026, 6, [21, 22])
    assert to_time(t) is t


def test_to_time_astropy_scalar_and_array():
    ATime = _astropy_time()
    a = ATime("2026-06-21T00:00:00", scale="utc")
    assert abs(seconds_between(ref_time(), to_time(a))) < ASTROPY_TOL_S
    # an array, across the 2016 leap second, and in another scale
    arr = ATime(["2016-12-31T23:59:59.5", "2016-12-31T23:59:60.5", "2017-01-01T00:00:00.5"], scale="utc")
    t = to_time(arr)
    assert t.shape == (3,)
    ref = timescale().utc(2016, 12, 31, 23, 59, [59.5, 60.5, 61.5])
    assert np.all(np.abs(seconds_between(ref, t)) < ASTROPY_TOL_S)
    # 1 s of UTC label but 2 s of physical time across the leap second
    assert abs(seconds_between(t[0], t[2]) - 2.0) < SPLIT_JD_TOL_S
    tai = ATime(2461212.5, format="jd", scale="tai")
    assert abs(seconds_between(timescale().tai_jd(2461212.5), to_time(tai))) < ASTROPY_TOL_S


def test_to_time_datetime64_posix_convention_across_leap_second():
    """numpy datetime64 has no leap seconds (POSIX); read as UTC labels, 23:59:59 -> 00:00:00
    across 2016-12-31 spans 2 SI seconds."""
    a = to_time(np.datetime64("2016-12-31T23:59:59"))
    b = to_time(np.datetime64("2017-01-01T00:00:00"))
    assert abs(seconds_between(a, b) - 2.0) < SPLIT_JD_TOL_S
    assert _close(to_time(np.datetime64("1969-12-31T23:59:59.5")), timescale().utc(1969, 12, 31, 23, 59, 59.5))


def test_to_time_datetime64_array_keeps_shape():
    arr = np.array(["2026-06-21T00:00:00", "2026-06-21T00:01:00"], dtype="datetime64[s]")
    t = to_time(arr)
    assert t.shape == (2,)
    assert _close(t, timescale().utc(2026, 6, 21, 0, [0, 1]))


@pytest.mark.parametrize(
    "seq",
    [
        ["2026-06-21T00:00:00Z", "2026-06-21T00:01:00+00:00"],
        ("2026-06-21T00:00:00Z", "2026-06-21T00:01:00Z"),
        np.array(["2026-06-21T00:00:00Z", "2026-06-21T00:01:00Z"]),
        [dt.datetime(2026, 6, 21, tzinfo=UTC), dt.datetime(2026, 6, 21, 0, 1, tzinfo=UTC)],
    ],
    ids=["list-str", "tuple-str", "ndarray-str", "list-datetime"],
)
def test_to_time_sequences(seq):
    t = to_time(seq)
    assert t.shape == (2,)
    assert _close(t, timescale().utc(2026, 6, 21, 0, [0, 1]))


def _seq_datetime64():
    return [np.datetime64("2026-06-21T00:00:00"), np.datetime64("2026-06-21T00:01:00")]


def _seq_skyfield():
    ts = timescale()
    return [ts.utc(2026, 6, 21, 0, 0), ts.utc(2026, 6, 21, 0, 1)]


def _seq_astropy():
    ATime = _astropy_time()
    return [ATime("2026-06-21T00:00:00", scale="utc"), ATime("2026-06-21T00:01:00", scale="utc")]




@pytest.mark.parametrize(
    "make",
    [
        pytest.param(_seq_datetime64),
        pytest.param(_seq_skyfield),
        pytest.param(_seq_astropy),
    ],
    ids=["list-datetime64", "list-skyfield", "list-astropy"],
)
def test_to_time_lists_of_other_time_types(make):
    t = to_time(make())
    assert t.shape == (2,)
    assert _close(t, timescale().utc(2026, 6, 21, 0, [0, 1]), ASTROPY_TOL_S)


def test_naive_string_refused_with_fix():
    with pytest.raises(oc.TimeError) as exc:
        to_time("2026-06-21T00:00:00", "epoch")
    msg = str(exc.value)
    assert "epoch" in msg and "no UTC offset" in msg
    assert "'2026-06-21T00:00:00Z'" in msg  # the corrected code
    # the suggested fix works
    assert _close(to_time("2026-06-21T00:00:00Z"), ref_time())


def test_naive_datetime_refused_with_fix():
    naive = dt.datetime(2026, 6, 21, 12, 30)
    with pytest.raises(oc.TimeError) as exc:
        to_time(naive, "start")
    msg = str(exc.value)
    assert "start" in msg and "naive" in msg
    fix = "datetime.datetime(2026, 6, 21, 12, 30, tzinfo=datetime.timezone.utc)"
    assert fix in msg
    assert _close(to_time(eval(fix, {"datetime": dt})), timescale().utc(2026, 6, 21, 12, 30))
    # one naive item in a list is enough to refuse the list
    with pytest.raises(oc.TimeError, match="naive"):
        to_time([dt.datetime(2026, 6, 21, tzinfo=UTC), naive])


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("yesterdayZ", "cannot parse"),
        ("2026-13-01T00:00:00Z", "cannot parse"),
        ([], "empty"),
        (5, "cannot interpret"),
        (None, "cannot interpret"),
        (["2026-06-21T00:00:00Z", 5], "cannot interpret"),
    ],
    ids=repr,
)
def test_to_time_refusals(value, fragment):
    with pytest.raises(oc.TimeError, match=fragment):
        to_time(value)


def test_datetime64_nat_is_not_a_date():
    with pytest.raises(oc.TimeError):
        to_time(np.datetime64("NaT"))


def test_time_errors_are_value_errors():
    assert issubclass(oc.TimeError, oc.InputError)
    with pytest.raises(ValueError):
        to_time("2026-06-21T00:00:00")


# --------------------------------------------------------------------- time_grid
def test_time_grid_endpoints_length_spacing():
    t = time_grid("2026-06-21T00:00:00Z", "2026-06-21T01:00:00Z", step=60 * oc.u.s)
    assert len(t) == 61
    assert _close(t[0], ref_time())
    assert _close(t[-1], timescale().utc(2026, 6, 21, 1))
    assert t[-1].utc_iso() == "2026-06-21T01:00:00Z"
    d = seconds_between(t[:-1], t[1:])
    assert np.abs(d - 60.0).max() < SPLIT_JD_TOL_S


def test_time_grid_step_in_other_time_units():
    a = time_grid(REF_ISO, "2026-06-21T02:00:00Z", step=0.5 * oc.u.hour)
    b = time_grid(REF_ISO, "2026-06-21T02:00:00Z", step=1800 * oc.u.s)
    assert len(a) == len(b) == 5
    np.testing.assert_array_equal(a.tt_fraction, b.tt_fraction)


def test_time_grid_spacing_exact_in_tt_over_a_month():
    """30 days at 1 s: every spacing and every offset from start is exact to the float64
    resolution of the split date's fraction (it grows to ~30 days here, ulp 3.6e-15 day
    = 3e-10 s; measured worst 1.7e-10 s per step, 4.7e-10 s from start)."""
    t = time_grid(REF_ISO, "2026-07-21T00:00:00Z", step=1 * oc.u.s)
    assert len(t) == 30 * 86400 + 1
    tol = 4 * np.spacing(np.abs(t.tt_fraction).max()) * DAY_S
    assert np.abs(seconds_between(t[:-1], t[1:]) - 1.0).max() <= tol
    assert np.abs(seconds_between(t[0], t) - np.arange(len(t))).max() <= tol


def test_time_grid_is_uniform_in_tt_across_a_leap_second():
    """Documented: spacing is TT; the 2016-12-31 leap second shifts later UTC labels."""
    t = time_grid("2016-12-31T23:59:00Z", "2017-01-01T00:01:00Z", step=60 * oc.u.s)
    assert len(t) == 3  # 121 SI seconds between the labels
    assert np.abs(seconds_between(t[:-1], t[1:]) - 60).max() < SPLIT_JD_TOL_S
    assert list(t.utc_iso()) == ["2016-12-31T23:59:00Z", "2016-12-31T23:59:60Z", "2017-01-01T00:00:59Z"]


def test_time_grid_stop_off_grid_and_equal_start():
    t = time_grid(REF_ISO, "2026-06-21T00:10:30Z", step=60 * oc.u.s)
    assert len(t) == 11
    assert seconds_between(t[-1], to_time("2026-06-21T00:10:30Z")) == pytest.approx(30.0, abs=SPLIT_JD_TOL_S)
    one = time_grid(REF_ISO, REF_ISO, step=60 * oc.u.s)
    assert one.shape == (1,)


def test_time_grid_accepts_mixed_time_types():
    ATime = _astropy_time()
    t = time_grid(dt.datetime(2026, 6, 21, tzinfo=UTC), ATime("2026-06-21T00:05:00", scale="utc"), step=1 * oc.u.min)
    assert len(t) == 6


def test_time_grid_stop_before_start():
    with pytest.raises(oc.InputError, match="before start.*swap"):
        time_grid("2026-06-21T01:00:00Z", REF_ISO, step=60 * oc.u.s)


@pytest.mark.parametrize("step", [0 * oc.u.s, -60 * oc.u.s, float("nan") * oc.u.s, float("inf") * oc.u.s])
def test_time_grid_step_not_positive(step):
    with pytest.raises(oc.InputError, match="step: must be a positive time"):
        time_grid(REF_ISO, "2026-06-21T01:00:00Z", step=step)


def test_time_grid_step_wrong_unit():
    with pytest.raises(oc.UnitError) as exc:
        time_grid(REF_ISO, "2026-06-21T01:00:00Z", step=60 * oc.u.m)
    assert isinstance(exc.value, TypeError)
    msg = str(exc.value)
    assert "step" in msg and "[length]" in msg and "[time]" in msg


def test_time_grid_bare_number_step_suggests_seconds():
    with pytest.raises(oc.UnitError) as exc:
        time_grid(REF_ISO, "2026-06-21T01:00:00Z", step=60)
    assert "`step=60 * oc.u.s`" in str(exc.value)


def test_time_grid_refuses_arrays_and_huge_grids():
    with pytest.raises(oc.TimeError, match="single time"):
        time_grid([REF_ISO, REF_ISO], "2026-06-21T01:00:00Z", step=60 * oc.u.s)
    with pytest.raises(oc.InputError, match="larger step"):
        time_grid(REF_ISO, "2026-06-22T00:00:00Z", step=1 * oc.u.ms)


def test_time_grid_array_step_is_refused_with_a_teaching_error():
    with pytest.raises(oc.OrbitComputeError, match="step"):
        time_grid(REF_ISO, "2026-06-21T01:00:00Z", step=[1, 2] * oc.u.s)


def test_time_grid_millisecond_step_keeps_on_grid_stop():
    t = time_grid("2026-06-21T02:03:27.873Z", "2026-06-21T02:03:30.081Z", step=4 * oc.u.ms)
    assert len(t) == 553
    assert iso_utc(t[-1:])[0] == "2026-06-21T02:03:30.081Z"


_starts = st.datetimes(min_value=dt.datetime(1980, 1, 1), max_value=dt.datetime(2045, 1, 1)).map(
    lambda d: d.replace(microsecond=(d.microsecond // 1000) * 1000, tzinfo=UTC)
)


@settings(max_examples=80, deadline=None)
@given(start=_starts, step_s=st.integers(1, 7200), n=st.integers(0, 400), extra=st.floats(0.0, 0.999))
def test_time_grid_length_property(start, step_s, n, extra):
    """Stop on the grid (extra=0) or inside the last step: n + 1 points, the last one not
    after stop and less than one step before it.  Steps >= 1 s (for ms steps see the
    test above)."""
    stop = start + dt.timedelta(seconds=n * step_s + extra * step_s)
    t = time_grid(start, stop, step=step_s * oc.u.s)
    # the grid is uniform in TT: a UTC leap second inside the window adds one second
    leap = round(float(seconds_between(to_time(start), to_time(stop))) - (n + extra) * step_s)
    n = int(np.floor((n * step_s + extra * step_s + leap) / step_s + 1e-9))
    assert len(t) == n + 1
    t_stop = to_time(stop)
    left = seconds_between(t[-1], t_stop)
    assert -SPLIT_JD_TOL_S < left < step_s
    assert abs(seconds_between(t[0], to_time(start))) < SPLIT_JD_TOL_S
    if n:
        assert np.abs(seconds_between(t[:-1], t[1:]) - step_s).max() < SPLIT_JD_TOL_S * 10


@settings(max_examples=40, deadline=None)
@given(start=_starts, back=st.floats(1e-3, 1e7), step_s=st.floats(1e-3, 1e5))
def test_time_grid_reversed_property(start, back, step_s):
    stop = start - dt.timedelta(seconds=back)
    with pytest.raises(oc.InputError, match="before start"):
        time_grid(start, stop, step=step_s * oc.u.s)


@settings(max_examples=40, deadline=None)
@given(step=st.one_of(st.floats(-1e6, 0.0), st.just(float("nan"))))
def test_time_grid_nonpositive_step_property(step):
    with pytest.raises(oc.InputError, match="step"):
        time_grid(REF_ISO, "2026-06-21T01:00:00Z", step=step * oc.u.s)


@settings(max_examples=30, deadline=None)
@given(unit=st.sampled_from(["m", "km", "deg", "kg", "Hz", "m/s", "dimensionless"]), value=st.floats(1.0, 1e4))
def test_time_grid_wrong_dimension_property(unit, value):
    with pytest.raises(oc.UnitError, match="step"):
        time_grid(REF_ISO, "2026-06-21T01:00:00Z", step=value * oc.u(unit))


def test_offset_and_iso_utc():
    t = offset(ref_time(), [0.0, 1.5, 86400.0])
    np.testing.assert_allclose(seconds_between(ref_time(), t), [0.0, 1.5, 86400.0], atol=SPLIT_JD_TOL_S)
    assert iso_utc(t)[1] == "2026-06-21T00:00:01.500Z"
    # places=0 rounds to the nearest second (skyfield's utc_strftime)
    assert iso_utc(t, places=0) == ["2026-06-21T00:00:00Z", "2026-06-21T00:00:02Z", "2026-06-22T00:00:00Z"]
    assert iso_utc(offset(ref_time(), [1.25]), places=0) == ["2026-06-21T00:00:01Z"]


# ------------------------------------------------------------------------- units
def test_one_registry():
    assert oc.u is units.u
    assert isinstance(oc.u, pint.UnitRegistry)
    assert oc.Quantity is oc.u.Quantity
    assert (550 * oc.u.km)._REGISTRY is oc.u
    assert units.quantity([1.0, 2.0], "m")._REGISTRY is oc.u


def test_magnitude_converts():
    np.testing.assert_allclose(units.magnitude(550 * oc.u.km, "m", "altitude"), 550e3, rtol=0, atol=0)
    np.testing.assert_allclose(units.magnitude(180 * oc.u.deg, "rad", "i"), np.pi, rtol=1e-15)
    np.testing.assert_allclose(units.magnitude(1.5 * oc.u.hour, "s", "step"), 5400.0, rtol=1e-15)
    m = units.magnitude([1, 2, 3] * oc.u.min, "s", "t")
    assert m.dtype == np.float64 and m.shape == (3,)
    np.testing.assert_array_equal(m, [60.0, 120.0, 180.0])
    assert units.magnitude(3, "km", "altitude_km", allow_float=True) == 3.0
    q = units.quantity(np.array([1.0, 2.0]), "m/s")
    assert q.units == oc.u("m/s").units


def test_magnitude_refuses_another_registry():
    other = pint.UnitRegistry()
    with pytest.raises(oc.UnitError) as exc:
        units.magnitude(550 * other.km, "m", "altitude")
    assert "another pint registry" in str(exc.value) and "oc.u.km" in str(exc.value)
    # and at a public boundary
    with pytest.raises(oc.UnitError, match="another pint registry"):
        time_grid(REF_ISO, "2026-06-21T01:00:00Z", step=60 * other.s)


def test_magnitude_wrong_dimension_names_both():
    with pytest.raises(oc.UnitError) as exc:
        units.magnitude(5 * oc.u.kg, "m", "altitude")
    msg = str(exc.value)
    assert "altitude" in msg and "[mass]" in msg and "[length]" in msg


def test_magnitude_bare_number_refused_unless_allowed():
    with pytest.raises(oc.UnitError, match=r"`altitude=550 \* oc.u.m`"):
        units.magnitude(550, "m", "altitude")
    with pytest.raises(oc.UnitError, match="expected a number"):
        units.magnitude("abc", "m", "altitude_m", allow_float=True)


def test_error_hierarchy():
    assert issubclass(oc.InputError, ValueError)
    assert issubclass(oc.UnitError, TypeError)
    assert issubclass(oc.TimeError, oc.InputError)
    assert issubclass(oc.ParseError, oc.InputError)
    for cls in (oc.InputError, oc.UnitError, oc.TimeError, oc.ParseError):
        assert issubclass(cls, oc.OrbitComputeError)
    e = oc.ParseError("f.tle", 3, "bad checksum")
    assert (e.source, e.line, e.reason) == ("f.tle", 3, "bad checksum")
    assert str(e) == "f.tle, line 3: bad checksum"
    assert str(oc.ParseError("<text>", None, "empty")) == "<text>: empty"


def test_error_codes_table():
    codes = oc.ERROR_CODES
    assert codes is oc.errors.ERROR_CODES
    assert codes[0] == "ok"
    assert set(range(1, 7)) <= set(codes)  # SGP4's own codes (AIAA 2006-6753)
    assert all(isinstance(k, int) and -128 <= k <= 127 for k in codes)  # fit int8 arrays
    assert all(isinstance(v, str) and v for v in codes.values())
