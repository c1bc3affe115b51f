"""Tests of orbitcompute.elements: TLE/3LE and CCSDS OMM text to SGP4 satellites.

Fixtures are in ``tests/data/elements/``; see the README there for where each set comes from.
The independent reference is skyfield's ``EarthSatellite``, which reads the TLE text itself
and propagates through its own frame chain.
"""

from __future__ import annotations

import json
import re
from datetime import date
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import orbitcompute as oc
from orbitcompute.elements import parse_omm, parse_tle, tle_checksum
from orbitcompute.errors import InputError, ParseError
from orbitcompute.time import timescale

DATA = Path(__file__).parent / "data" / "elements"
TLE_FILE = DATA / "sats.tle"
BAD_TLE_FILE = DATA / "sats_with_errors.tle"
OMM_FORMATS = ("xml", "kvn", "json", "csv")

NAMES_TLE = ["ISS (ZARYA)", "MARIO", "VANGUARD 1", "08195", "AMC-4", "SYNTH STARLINK-LIKE"]
NAMES_OMM = ["ISS (ZARYA)", "MARIO", "VANGUARD 1", "MOLNIYA 2-14", "AMC-4", "SYNTH STARLINK-LIKE"]
SATNUMS = [25544, 55123, 5, 8195, 25954, 270001]

ISS1 = "1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991"
ISS2 = "2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482"
MARIO1 = "1 55123U 98067UQ  23115.44827133  .00787702  29408-3  15680-2 0  9999"
MARIO2 = "2 55123  51.6242 216.2930 0014649 331.8976  28.1241 15.99081912 18396"

# skyfield's TEME comes back through its TEME -> GCRS -> TEME rotations; those are
# orthonormal to ~1e-15, i.e. < 1e-7 m at GEO radius.  1 mm leaves room for that and
# nothing else: both sides run the same SGP4 on the same TLE digits.
SKYFIELD_TOL_M = 1e-3
# OMM vs TLE of the same satellite with the same digits: only the unit conversions
# differ (sgp4init from OMM values vs twoline2rv's own arithmetic) and the epoch split
# (days since 1949 vs year/day-of-year, both to ~1e-11 day).  Measured: < 1 mm over
# 3 days (worst: the Molniya, 0.7 mm).  A TLE and an OMM that were each rounded
# separately would differ by up to ~100 m; the limit of 1 m shows the same digits went in.
OMM_VS_TLE_TOL_M = 1.0


def tle_lines(path: Path = TLE_FILE) -> list[tuple[str, str]]:
    lines = [s.rstrip() for s in path.read_text().splitlines()]
    return [(a, b) for a, b in pairwise(lines) if a.startswith("1 ") and b.startswith("2 ")]


def fix(line: str) -> str:
    """The line with column 69 set to its correct checksum (to isolate a field error)."""
    return line[:68] + str(tle_checksum(line))


def put(line: str, col: int, text: str) -> str:
    """``line`` with ``text`` written from 1-based column ``col`` on."""
    return line[:col - 1] + text + line[col - 1 + len(text):]


def raises_at(text: str, line: int, *fragments: str, source: str = "bad.tle", parse=parse_tle, **kw):
    with pytest.raises(ParseError) as info:
        parse(text, source=source, **kw)
    err = info.value
    assert (err.source, err.line) == (source, line), str(err)
    assert str(err).startswith(f"{source}, line {line}: "), str(err)
    for frag in fragments:
        assert frag in str(err), str(err)
    return err


# ------------------------------------------------------------------ TLE: good input
def test_checksums_of_fixtures_match_column_69():
    pairs = tle_lines()
    assert len(pairs) == 6
    for l1, l2 in pairs:
        assert tle_checksum(l1) == int(l1[68]) and tle_checksum(l2) == int(l2[68])
    # by hand: the digits of ISS1 sum to 189, its two '-' add 2: 191 -> 1
    assert sum(int(c) for c in ISS1[:68] if c.isdigit()) == 189 and ISS1.count("-") == 2
    assert tle_checksum(ISS1) == 1
    assert tle_checksum("1 00005U 58002B   20287.20333880 -.00000016  00000-0 -22483-4 0  999") == 8


def test_parse_fixture_file():
    names, sats, problems = parse_tle(TLE_FILE.read_text(), source="sats.tle")
    assert names == NAMES_TLE
    assert [s.satnum for s in sats] == SATNUMS
    assert [s.error for s in sats] == [0] * 6
    assert problems == []
    assert sats[5].satnum_str == "T0001"  # Alpha-5
    assert sats[0].intldesg == "98067A" and sats[0].revnum == 20248


def test_tle_propagation_matches_skyfield():
    """Reference: skyfield EarthSatellite on the same two lines (TEME, several times)."""
    from skyfield.api import EarthSatellite
    from skyfield.sgp4lib import TEME

    ts = timescale()
    _, sats, _ = parse_tle(TLE_FILE.read_text())
    for sat, (l1, l2) in zip(sats, tle_lines()):
        ref = EarthSatellite(l1, l2, ts=ts)
        t = ts.tt_jd(ref.epoch.tt + np.array([-0.5, 0.0, 0.01, 0.3, 1.0, 2.5]))
        r_ref = ref.at(t).frame_xyz(TEME).m
        fr = t.tai_fraction - t._leap_seconds() / 86400.0  # UTC, as skyfield feeds SGP4
        err, r, _ = sat.sgp4_array(t.whole, fr)
        assert not err.any()
        assert np.max(np.abs(r.T * 1e3 - r_ref)) < SKYFIELD_TOL_M
        assert abs((sat.jdsatepoch + sat.jdsatepochF) - (ref.model.jdsatepoch + ref.model.jdsatepochF)) < 1e-9


def test_two_and_three_line_sets_mixed_with_crlf_and_blanks():
    text = f"\r\n  \r\n0 ISS (ZARYA)   \r\n{ISS1}  \r\n{ISS2}\r\n\r\n{MARIO1}\t\r\n{MARIO2}\r\n"
    names, sats, problems = parse_tle(text)
    assert names == ["ISS (ZARYA)", "55123"]
    assert [s.satnum for s in sats] == [25544, 55123] and problems == []


def test_alpha5_two_line_set_named_by_catalogue():
    l1, l2 = tle_lines()[5]
    names, sats, _ = parse_tle(f"{l1}\n{l2}\n")
    assert names == ["T0001"] and sats[0].satnum == 270001


# ------------------------------------------------------------------ TLE: bad input
def _bad_cases():
    def three(a, b):  # a 3LE set: line 1 is on line 2 of the text, line 2 on line 3
        return f"ISS (ZARYA)\n{a}\n{b}\n"

    return [
        ("checksum", three(ISS1[:68] + "7", ISS2), 2,
         ["checksum is 7 but the line's digits give 1", "'-' counts as 1", "corrupted or truncated"]),
        ("checksum not a digit", three(ISS1, ISS2[:68] + "x"), 3, ["column 69 holds 'x'"]),
        ("too short", three(ISS1[:67], ISS2), 2, ["67 characters long, expected 69"]),
        ("too long (Vallado test columns)", three(ISS1, ISS2 + "      0.0      1440.0"), 3,
         ["90 characters long, expected 69"]),
        ("line number digit", three(ISS1, "3" + ISS2[1:]), 3, ["column 1 is '3'", "starts with '2'"]),
        ("catalogue mismatch", three(ISS1, MARIO2), 3,
         ["catalogue number is '55123' on line 2 but '25544' on line 1"]),
        ("catalogue letter O", three(fix(put(ISS1, 3, "O5544")), fix(put(ISS2, 3, "O5544"))), 2,
         ["catalogue number 'O5544'", "Alpha-5"]),
        ("unparsable inclination", three(ISS1, fix(put(ISS2, 9, " 51.6x39"))), 3,
         ["inclination [deg] ' 51.6x39' (columns 9-16) is not a decimal number", "' 51.6439'"]),
        ("inclination range", three(ISS1, fix(put(ISS2, 9, "181.6439"))), 3, ["is not in 0..180"]),
        ("mean motion zero", three(ISS1, fix(put(ISS2, 53, " 0.00000000"))), 3,
         ["mean motion [rev/day]", "is not above 0"]),
        ("eccentricity garbage", three(ISS1, fix(put(ISS2, 27, "00-7417"))), 3,
         ["eccentricity '00-7417' (columns 27-33)", "implied leading decimal point"]),
        ("eccentricity with a point", three(ISS1, fix(put(ISS2, 27, ".007417"))), 3,
         ["eccentricity '.007417'"]),
        ("epoch", three(fix(put(ISS1, 19, "19343.6933x541")), ISS2), 2, ["epoch '19343.6933x541'"]),
        ("epoch day 400", three(fix(put(ISS1, 19, "19400.69339541")), ISS2), 2, ["day of year in 1..366"]),
        ("bstar", three(fix(put(ISS1, 54, " 3879.-4")), ISS2), 2,
         ["BSTAR drag term", "' 3879.-4' (columns 54-61)", "implied-decimal"]),
        ("ndot", three(fix(put(ISS1, 34, " .0000x764")), ISS2), 2, ["mean motion derivative / 2"]),
        ("shifted field", three(fix(put(ISS1, 9, "X")), ISS2), 2, ["column 9 holds 'X'", "shifted"]),
        ("missing line 2 at end of file", f"{ISS1}\n{ISS2}\n\n{MARIO1}\n", 4,
         ["line 1 of satellite '55123' is not followed by its line 2", "the text ends"]),
        ("line 1 followed by a name", f"{MARIO1}\nISS (ZARYA)\n{ISS1}\n{ISS2}\n", 1,
         ["not followed by its line 2", "line 2 is 'ISS (ZARYA)'"]),
        ("line 2 first", f"{ISS2}\n{ISS1}\n{ISS2}\n", 1, ["line 2 (starts with '2 ') has no line 1"]),
        ("name line at end", f"{ISS1}\n{ISS2}\nISS (ZARYA)\n", 3, ["name line 'ISS (ZARYA)' is not followed"]),
    ]


@pytest.mark.parametrize("text, line, fragments", [c[1:] for c in _bad_cases()],
                         ids=[c[0] for c in _bad_cases()])
def test_bad_tle_names_source_and_line(text, line, fragments):
    raises_at(text, line, *fragments)


def test_non_strict_skips_bad_records_and_reports_lines():
    text = BAD_TLE_FILE.read_text()
    names, sats, problems = parse_tle(text, source="sats_with_errors.tle", strict=False)
    assert names == ["ISS (ZARYA)", "VANGUARD 1", "AMC-4"]
    assert [s.satnum for s in sats] == [25544, 5, 25954]
    assert [(p.source, p.line) for p in problems] == [("sats_with_errors.tle", 5), ("sats_with_errors.tle", 10)]
    assert "checksum is 9 but the line's digits give 4" in str(problems[0])
    assert "no line 1 before it" in str(problems[1])
    raises_at(text, 5, "checksum", source="sats_with_errors.tle")  # strict: the first one


def test_parse_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_tle(ISS2)


@settings(max_examples=300, deadline=None)
@given(which=st.sampled_from([0, 1]), data=st.data(),
       new=st.characters(exclude_categories=("Cs",)))
def test_any_single_character_corruption_of_a_digit_is_caught_or_parses(which, data, new):
    """Never an exception other than ParseError; a digit changed into another digit is always
    caught (by the checksum, or by the line-number check in column 1)."""
    lines = [ISS1, ISS2]
    digits = [k for k, c in enumerate(lines[which]) if c.isdigit()]
    k = data.draw(st.sampled_from(digits))
    old = lines[which][k]
    lines[which] = lines[which][:k] + new + lines[which][k + 1:]
    text = "ISS (ZARYA)\n" + "\n".join(lines) + "\n"
    try:
        _, sats, _ = parse_tle(text, source="fuzz.tle")
    except ParseError as err:
        assert err.source == "fuzz.tle" and err.line >= 1
        return
    assert new == old or new not in "0123456789"  # a digit -> another digit never passes
    assert len(sats) == 1 and sats[0].satnum == 25544


# ------------------------------------------------------------------ OMM
def omm_text(fmt: str) -> str:
    return (DATA / f"sats.{fmt}").read_text()


@pytest.mark.parametrize("fmt", OMM_FORMATS)
def test_omm_fixture_matches_tle(fmt):
    """The OMM files carry the TLE digits, so the satellites agree to ~mm (OMM_VS_TLE_TOL_M)."""
    names, sats, problems = parse_omm(omm_text(fmt), format=fmt, source=f"sats.{fmt}")
    assert names == NAMES_OMM and problems == []
    assert parse_omm(omm_text(fmt))[0] == names  # the format is sniffed the same
    _, tle_sats, _ = parse_tle(TLE_FILE.read_text())
    for a, b in zip(tle_sats, sats):
        for attr in ("satnum", "satnum_str", "intldesg", "classification", "elnum", "revnum", "ephtype"):
            assert getattr(a, attr) == getattr(b, attr), attr
        assert abs((a.jdsatepoch + a.jdsatepochF) - (b.jdsatepoch + b.jdsatepochF)) < 1e-9  # [day]
        jd = np.full(9, a.jdsatepoch)
        fr = a.jdsatepochF + np.linspace(-1.0, 3.0, 9)  # [day]
        ea, ra, _ = a.sgp4_array(jd, fr)
        eb, rb, _ = b.sgp4_array(jd, fr)
        assert not ea.any() and not eb.any()
        assert np.max(np.linalg.norm(ra - rb, axis=-1)) * 1e3 < OMM_VS_TLE_TOL_M


def _omm_break(fmt: str, what: str) -> tuple[str, int]:
    """Break the 2nd record (MARIO) of a fixture; return the text and the expected line."""
    text = omm_text(fmt)
    lines = text.splitlines()
    if what == "epoch":
        pattern = {"xml": r"<EPOCH>2023[^<]*</EPOCH>", "kvn": r"EPOCH = 2023.*\n",
                   "json": r'"EPOCH": "2023[^"]*",\n', "csv": r",2023-04-25T10:45:30\.642912,"}[fmt]
        broken = re.sub(pattern, ",," if fmt == "csv" else "", text)
    else:
        old = {"xml": "<MEAN_MOTION>15.99081912<", "kvn": "MEAN_MOTION = 15.99081912",
               "json": '"MEAN_MOTION": 15.99081912', "csv": ",15.99081912,"}[fmt]
        broken = text.replace(old, old.replace("15.99081912", '"15.99O81912"' if fmt == "json" else "15.99O81912"))
    assert broken != text
    if fmt in ("xml", "json"):
        return broken, 2  # the record number
    if fmt == "csv":
        return broken, 3  # header on line 1, ISS on 2, MARIO on 3
    starts = [k for k, s in enumerate(lines, 1) if s.startswith("CCSDS_OMM_VERS")]
    mm = [k for k, s in enumerate(lines, 1) if s.startswith("MEAN_MOTION = 15.99081912")]
    return broken, starts[1] if what == "epoch" else mm[0]  # KVN: record start / the field's line


@pytest.mark.parametrize("fmt", OMM_FORMATS)
@pytest.mark.parametrize("what", ["epoch", "mean_motion"])
def test_omm_bad_record(fmt, what):
    text, line = _omm_break(fmt, what)
    frags = ["EPOCH is missing from this record"] if what == "epoch" else [
        "MEAN_MOTION is '15.99O81912', not a number", "rev/day"]
    if fmt in ("xml", "json"):
        frags.append(f"{fmt.upper()} record 2 (")
    raises_at(text, line, *frags, source=f"sats.{fmt}", parse=parse_omm)
    names, sats, problems = parse_omm(text, source=f"sats.{fmt}", strict=False)
    assert names == [n for n in NAMES_OMM if n != "MARIO"] and len(sats) == 5
    assert [p.line for p in problems] == [line]


MINIMAL_KVN = """\
COMMENT only the required keys
NORAD_CAT_ID = 25544
EPOCH = 2019-12-09T16:38:29.363424
MEAN_MOTION = 15.50103472 [rev/day]
ECCENTRICITY = .0007417
INCLINATION = 51.6439 [deg]
RA_OF_ASC_NODE = 211.2001 [deg]
ARG_OF_PERICENTER = 17.6667 [deg]
MEAN_ANOMALY = 85.6398 [deg]
BSTAR = .38792E-4 [1/ER]
MEAN_MOTION_DOT = .00001764 [rev/day**2]
"""


def test_omm_defaults_and_name_fallback():
    names, sats, _ = parse_omm(MINIMAL_KVN)
    sat = sats[0]
    assert names == ["25544"]
    assert (sat.classification, sat.elnum, sat.revnum, sat.ephtype) == ("U", 999, 0, 0)
    ref = parse_tle(f"{ISS1}\n{ISS2}")[1][0]
    _, r1, _ = ref.sgp4(ref.jdsatepoch, ref.jdsatepochF + 0.5)
    _, r2, _ = sat.sgp4(ref.jdsatepoch, ref.jdsatepochF + 0.5)
    assert np.linalg.norm(np.subtract(r1, r2)) * 1e3 < OMM_VS_TLE_TOL_M


@pytest.mark.parametrize("epoch", ["2019-12-09T16:38:29.363424Z", "2019-343T16:38:29.363424",
                                   "2019-12-09T16:38:29.3634240"])
def test_omm_epoch_forms(epoch):
    base = parse_omm(MINIMAL_KVN)[1][0]
    sat = parse_omm(MINIMAL_KVN.replace("2019-12-09T16:38:29.363424", epoch))[1][0]
    assert abs((sat.jdsatepoch + sat.jdsatepochF) - (base.jdsatepoch + base.jdsatepochF)) < 1e-10


def test_omm_epoch_without_fraction():
    sat = parse_omm(MINIMAL_KVN.replace("16:38:29.363424", "16:38:29"))[1][0]
    jd_midnight = 2451544.5 + (date(2019, 12, 9) - date(2000, 1, 1)).days  # 2000-01-01 0h = JD 2451544.5
    expected = jd_midnight + (16 * 3600 + 38 * 60 + 29) / 86400  # [day]
    assert sat.jdsatepoch + sat.jdsatepochF == pytest.approx(expected, abs=1e-9)


def test_omm_bare_omm_root_namespace_and_single_json_object():
    xml = omm_text("xml")
    first = xml[xml.index("<omm"):xml.index("</omm>") + 6]
    assert parse_omm(first)[0] == ["ISS (ZARYA)"]
    namespaced = xml.replace("<ndm>", '<ndm xmlns="urn:ccsds:recommendation:navigation:schema:ndmxml">')
    assert parse_omm(namespaced)[0] == NAMES_OMM
    obj = json.loads(omm_text("json"))[0]
    assert parse_omm(json.dumps(obj))[0] == ["ISS (ZARYA)"]
    assert parse_omm(omm_text("csv").replace("\n", "\r\n"), format="CSV")[0] == NAMES_OMM


@pytest.mark.parametrize("old, new, line, fragment", [
    ("ECCENTRICITY = .0007417", "ECCENTRICITY = 1.2", 5, "ECCENTRICITY is 1.2 [-], expected 0 <= e < 1"),
    ("EPOCH = 2019-12-09T16:38:29.363424", "EPOCH = 2019-13-09T16:38:29", 3, "not an ISO 8601 UTC time"),
    ("EPOCH = 2019-12-09T16:38:29.363424", "EPOCH = 2019-12-09 16:38", 3, "EPOCH is '2019-12-09 16:38'"),
    ("NORAD_CAT_ID = 25544", "NORAD_CAT_ID = 400000", 2, "integer in 0..339999"),
    ("COMMENT only the required keys", "MEAN_ELEMENT_THEORY = DSST", 1, "not for SGP4"),
    ("COMMENT only the required keys", "REF_FRAME = GCRF", 1, "referred to TEME"),
    ("BSTAR = .38792E-4 [1/ER]", "BSTAR = nan", 10, "BSTAR is 'nan', not a number"),
])
def test_omm_bad_values(old, new, line, fragment):
    raises_at(MINIMAL_KVN.replace(old, new), line, fragment, source="x.kvn", parse=parse_omm)


def test_omm_unreadable_files():
    raises_at('[{"OBJECT_NAME": "X",\n "EPOCH": }]', 2, "not valid JSON", source="x.json", parse=parse_omm)
    raises_at("<ndm>\n<omm>\n</ndm>", 3, "not well-formed XML", source="x.xml", parse=parse_omm)
    with pytest.raises(ParseError, match="root is <opm>"):
        parse_omm("<opm/>")
    raises_at(f"{ISS1}\n{ISS2}\n", 1, "expected 'KEY = value'", "parse_tle", source="x.kvn", parse=parse_omm)
    with pytest.raises(InputError, match="format: 'yaml' is unknown"):
        parse_omm(MINIMAL_KVN, format="yaml")
    assert parse_omm("") == ([], [], []) and parse_tle("\n\n") == ([], [], [])


# ------------------------------------------------------------------ public API
def test_constellation_from_tle_path_text_and_str_path():
    for src in (TLE_FILE, str(TLE_FILE), TLE_FILE.read_text()):
        con = oc.Constellation.from_tle(src)
        assert con.names == tuple(NAMES_TLE) and len(con) == 6 and con.skipped == ()


@pytest.mark.parametrize("fmt", OMM_FORMATS)
def test_constellation_from_omm(fmt):
    con = oc.Constellation.from_omm(DATA / f"sats.{fmt}")
    assert con.names == tuple(NAMES_OMM) and len(con) == 6


def test_constellation_non_strict_and_strict_file():
    con = oc.Constellation.from_tle(BAD_TLE_FILE, strict=False)
    assert con.names == ("ISS (ZARYA)", "VANGUARD 1", "AMC-4")
    assert [(Path(p.source).name, p.line) for p in con.skipped] == [(BAD_TLE_FILE.name, 5), (BAD_TLE_FILE.name, 10)]
    with pytest.raises(ParseError, match=r"sats_with_errors\.tle, line 5: checksum"):
        oc.Constellation.from_tle(BAD_TLE_FILE)


def test_constellation_positions_match_skyfield():
    from skyfield.api import EarthSatellite
    from skyfield.sgp4lib import TEME

    ts = timescale()
    pick = [2, 4]  # VANGUARD 1 and AMC-4: long-lived, so 2020 times are valid for both
    con = oc.Constellation.from_tle(TLE_FILE)[pick]
    times = oc.time_grid("2020-10-13T00:00:00Z", "2020-10-13T06:00:00Z", step=3600 * oc.u.s)
    r = con.positions(times, frame="teme").to("m").m
    for k, (l1, l2) in zip(range(len(pick)), [tle_lines()[j] for j in pick]):
        ref = EarthSatellite(l1, l2, ts=ts).at(times).frame_xyz(TEME).m.T
        assert np.all(np.isfinite(ref))
        assert np.max(np.abs(r[k] - ref)) < SKYFIELD_TOL_M
