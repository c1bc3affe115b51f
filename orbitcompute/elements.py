"""Element sets: TLE/3LE and CCSDS OMM text to initialised SGP4 satellites.

:func:`parse_tle` reads two-line and three-line element sets; :func:`parse_omm` reads
CCSDS Orbit Mean-Elements Messages (CCSDS 502.0-B-3) with SGP4 mean elements as XML,
KVN, or CelesTrak's JSON and CSV.  Both check every record *before* handing it to sgp4
(whose own TLE reader accepts garbage silently) and say which line is wrong, the value
seen and what was expected.  With ``strict=False`` bad records are skipped and returned
as :class:`~orbitcompute.errors.ParseError` objects; the batch goes on.

An element set that parses but that SGP4 cannot initialise (``satrec.error != 0``, e.g.
a mean motion too low for the theory) is returned as it is: propagating it gives NaN
and the SGP4 error code, like a decayed satellite.

References: TLE layout, CelesTrak "NORAD Two-Line Element Set Format"
(https://celestrak.org/NORAD/documentation/tle-fmt.php); Alpha-5 catalogue numbers,
https://www.space-track.org/documentation#tle-alpha5; OMM, CCSDS 502.0-B-3 (2023),
https://public.ccsds.org/Pubs/502x0b3e1.pdf; SGP4, Vallado et al. 2006, AIAA 2006-6753.

Examples
--------
>>> from orbitcompute.elements import parse_tle
>>> names, sats, problems = parse_tle('''ISS (ZARYA)
... 1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991
... 2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482''')
>>> names, sats[0].satnum, problems
(['ISS (ZARYA)'], 25544, [])
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .errors import InputError, ParseError

if TYPE_CHECKING:
    from sgp4.api import Satrec

__all__ = ["parse_omm", "parse_tle", "tle_checksum"]

_Good = tuple[str, "Satrec"]
_Result = tuple[list[str], list["Satrec"], list[ParseError]]

# ---------------------------------------------------------------- shared helpers


def _split_lines(text: str) -> list[str]:
    """Lines of ``text`` (CRLF, CR or LF endings; a leading BOM dropped), unstripped."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _show(text: str, width: int = 30) -> str:
    """``repr`` of ``text`` shortened to about ``width`` characters, for messages."""
    return repr(text if len(text) <= width else text[:width] + "...")


def _collect(records: Iterable[_Good | ParseError], strict: bool) -> _Result:
    """Split records into names, satrecs and problems; raise the first problem if strict."""
    names, sats, problems = [], [], []
    for rec in records:
        if isinstance(rec, ParseError):
            if strict:
                raise rec
            problems.append(rec)
        else:
            names.append(rec[0])
            sats.append(rec[1])
    return names, sats, problems


# ---------------------------------------------------------------- TLE / 3LE

_TLE_LEN = 69
_BLANKS = {"1": (2, 9, 18, 33, 44, 53, 62, 64), "2": (2, 8, 17, 26, 34, 43, 52)}
_CATNUM = r"^(?:[ 0-9]{4}[0-9]|[A-HJ-NP-Z][0-9]{4})$"  # Alpha-5 skips the letters I and O
_DECIMAL = r"^ *[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$"
_IMPLIED = r"^[ +-][ 0-9]{4}[0-9][ +-][0-9]$"  # ' 38792-4' is 0.38792e-4
_INTEGER = r"^ *[0-9]*$"
_DEC = "a decimal number"
_IMP = "in the implied-decimal form: sign, 5 digits, exponent sign, exponent digit"
_CAT = ("catalogue number", 3, 7, _CATNUM,
        "5 digits or Alpha-5 (a letter, not I or O, and 4 digits)", "'25544' or 'A0001'")
# (name [unit], first column, last column (1-based), pattern, pattern in words, example)
_TLE_FIELDS = {
    "1": (_CAT,
          ("epoch", 19, 32, r"^[0-9]{2}(?:[0-9]{3}| [1-9][0-9]|  [1-9])\.[0-9]+$",
           "YYDDD.DDDDDDDD (the day of year may be blank-padded on the left, never split)",
           "'19343.69339541'"),
          ("mean motion derivative / 2 [rev/day^2]", 34, 43, _DECIMAL, _DEC, "' .00001764'"),
          ("second derivative / 6 [rev/day^3]", 45, 52, _IMPLIED, _IMP, "' 00000-0' for 0"),
          ("BSTAR drag term [1/earth radii]", 54, 61, _IMPLIED, _IMP, "' 38792-4' for 0.38792e-4"),
          ("ephemeris type", 63, 63, r"^[ 0-9]$", "a digit", "'0'"),
          ("element set number", 65, 68, _INTEGER, "an integer", "' 999'")),
    "2": (_CAT,
          ("inclination [deg]", 9, 16, _DECIMAL, _DEC, "' 51.6439'"),
          ("right ascension of the ascending node [deg]", 18, 25, _DECIMAL, _DEC, "'211.2001'"),
          ("eccentricity", 27, 33, r"^[ 0-9]{7}$",
           "7 digits with an implied leading decimal point (so 0 <= e < 1)", "'0007417' for 0.0007417"),
          ("argument of perigee [deg]", 35, 42, _DECIMAL, _DEC, "' 17.6667'"),
          ("mean anomaly [deg]", 44, 51, _DECIMAL, _DEC, "' 85.6398'"),
          ("mean motion [rev/day]", 53, 63, _DECIMAL, _DEC, "'15.50103472'"),
          ("revolution number", 64, 68, _INTEGER, "an integer", "'20248'")),
}
_ANGLE = (lambda x: 0 <= x <= 360, "in 0..360")
_TLE_RANGES = {  # name: (test of the float value, allowed range in words)
    "epoch": (lambda x: 1 <= x % 1000 < 367, "a day of year in 1..366"),  # x = YYDDD.DDD
    "inclination [deg]": (lambda x: 0 <= x <= 180, "in 0..180"),
    "right ascension of the ascending node [deg]": _ANGLE,
    "argument of perigee [deg]": _ANGLE,
    "mean anomaly [deg]": _ANGLE,
    "mean motion [rev/day]": (lambda x: x > 0, "above 0"),
}


def tle_checksum(line: str) -> int:
    """Modulo-10 checksum of the first 68 columns of a TLE line.

    Digits count their value, ``'-'`` counts 1, every other character 0.

    Parameters
    ----------
    line : str
        A TLE line 1 or 2 (only the first 68 characters are used).

    Returns
    -------
    int
        The digit expected in column 69, 0..9.
    """
    return sum(int(c) if c in "0123456789" else c == "-" for c in line[:68]) % 10


def _check_tle_line(line: str, digit: str, num: int, source: str) -> None:
    """Check line number, length, checksum, blank columns and every field of one line.

    Raises
    ------
    ParseError
        Naming ``source``, line ``num``, the value seen and what was expected.
    """
    def bad(reason: str) -> ParseError:
        return ParseError(source, num, reason)

    if line[:1] != digit:
        raise bad(f"column 1 is {line[:1]!r} but a TLE line {digit} starts with '{digit}' "
                  f"(line seen: {_show(line)}); lines may be out of order or corrupted")
    if len(line) != _TLE_LEN:
        raise bad(f"line {digit} is {len(line)} characters long, expected {_TLE_LEN} (after "
                  "trailing whitespace); it may be truncated, wrapped or carry extra text")
    if line[68] not in "0123456789":
        raise bad(f"checksum column 69 holds {line[68]!r}, expected a digit 0-9")
    given, calc = int(line[68]), tle_checksum(line)
    if given != calc:
        raise bad(f"checksum is {given} but the line's digits give {calc} (modulo-10 sum, '-' "
                  "counts as 1); the line may be corrupted or truncated")
    for col in _BLANKS[digit]:
        if line[col - 1] != " ":
            raise bad(f"column {col} holds {line[col - 1]!r} but must be blank in a TLE line "
                      f"{digit}; the fields are probably shifted")
    for name, first, last, pattern, words, example in _TLE_FIELDS[digit]:
        text = line[first - 1:last]
        if not re.fullmatch(pattern, text):
            raise bad(f"{name} {text!r} (columns {first}-{last}) is not {words}; expected e.g. "
                      f"{example}")
        test, span = _TLE_RANGES.get(name, (None, ""))
        if test is None:
            continue
        try:  # the patterns admit only what float() reads; this guards the next pattern edit
            value = float(text[:2]) * 1000 + float(text[2:]) if name == "epoch" else float(text)
        except ValueError:
            raise bad(f"{name} {text!r} (columns {first}-{last}) is not {words}; expected e.g. "
                      f"{example}") from None
        if not test(value):
            raise bad(f"{name} {text!r} (columns {first}-{last}) is not {span}")


def _tle_kind(line: str) -> str:
    """'1' or '2' for a line that starts like a TLE line, '?' for a TLE-long line with a
    wrong first column, 'name' otherwise."""
    if line[:2] in ("1 ", "2 "):
        return line[0]
    return "?" if len(line) >= 60 else "name"


def _tle_pair(l1: str, n1: int, l2: str, n2: int, name: str | None, source: str) -> _Good | ParseError:
    """Validate and build one set; a ParseError is returned, not raised."""
    from sgp4 import api

    try:
        _check_tle_line(l1, "1", n1, source)
        _check_tle_line(l2, "2", n2, source)
    except ParseError as exc:
        return exc
    cat1, cat2 = l1[2:7], l2[2:7]
    if cat1 != cat2:
        return ParseError(source, n2, f"catalogue number is {cat2!r} on line 2 but {cat1!r} "
                          f"on line 1 (line {n1}); both lines must be of one satellite "
                          "(sets mixed up or a line missing?)")
    try:
        sat = api.Satrec.twoline2rv(l1, l2)
    except (ValueError, RuntimeError) as exc:  # not expected after the checks above
        return ParseError(source, n1, f"sgp4 could not read this set ({exc})")
    return (name or cat1.strip()), sat


def _tle_records(text: str, source: str) -> Iterator[_Good | ParseError]:
    """Group the non-blank lines into (name,) line 1, line 2 sets and check each."""
    lines = [(k, s.rstrip()) for k, s in enumerate(_split_lines(text), 1) if s.strip()]
    i, n = 0, len(lines)

    def found(j: int) -> str:
        return "the text ends" if j >= n else f"line {lines[j][0]} is {_show(lines[j][1])}"

    while i < n:
        num, line = lines[i]
        kind, name = _tle_kind(line), None
        if kind == "name":
            name_num, name = num, line.strip()
            name = name[2:].strip() if name.startswith("0 ") else name
            i += 1
            if i >= n or _tle_kind(lines[i][1]) not in ("1", "?"):
                yield ParseError(source, name_num, f"name line {_show(name)} is not followed by a "
                                 f"TLE line 1 ({found(i)}); a 3LE set is a name line, then line 1, "
                                 "then line 2")
                continue
            num, line = lines[i]
            kind = _tle_kind(line)
        i += 1
        if kind == "2":
            yield ParseError(source, num, "line 2 (starts with '2 ') has no line 1 before it; "
                             "each set needs its line 1 immediately before its line 2")
            continue
        if i >= n or _tle_kind(lines[i][1]) not in ("2", "?"):
            try:
                _check_tle_line(line, "1", num, source)
            except ParseError as exc:
                yield exc
                continue
            yield ParseError(source, num, f"line 1 of satellite {line[2:7]!r} is not "
                             f"followed by its line 2 ({found(i)}); the set is incomplete")
            continue
        num2, line2 = lines[i]
        i += 1
        yield _tle_pair(line, num, line2, num2, name or None, source)


def parse_tle(text: str, *, source: str = "<text>", strict: bool = True) -> _Result:
    """Parse TLE and 3LE element sets.

    Two-line sets and three-line sets (a name line first; CelesTrak's leading ``"0 "`` is
    removed) may be mixed; blank lines, trailing whitespace and CRLF endings are ignored.
    Each line is checked for its line number, length (69 columns), modulo-10 checksum,
    blank separator columns, catalogue number (5 digits or Alpha-5, the same on both
    lines) and every numeric field before sgp4 reads it.

    Parameters
    ----------
    text : str
        The element sets.
    source : str
        File name used in error messages.
    strict : bool
        If True, raise on the first bad record; if False, skip bad records and return
        their errors.

    Returns
    -------
    names : list of str, length ``n_good``
        The name line, or the catalogue number (e.g. ``"25544"``) for a 2-line set.
    satrecs : list of sgp4.api.Satrec, length ``n_good``
        Built by ``Satrec.twoline2rv`` (WGS72 constants, as skyfield does).
    problems : list of ParseError
        One per skipped record (always empty when ``strict`` is True).

    Raises
    ------
    ParseError
        If ``strict`` and a record is malformed; the message names ``source``, the
        1-based line, the value seen and what was expected.
    """
    return _collect(_tle_records(text, source), strict)


# ---------------------------------------------------------------- OMM

_OMM_REQUIRED = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
                 "ARG_OF_PERICENTER", "MEAN_ANOMALY", "NORAD_CAT_ID", "BSTAR")
_OMM_DEFAULTS = {"CLASSIFICATION_TYPE": "U", "OBJECT_ID": "", "EPHEMERIS_TYPE": "0",
                 "ELEMENT_SET_NO": "999", "REV_AT_EPOCH": "0", "MEAN_MOTION_DOT": "0",
                 "MEAN_MOTION_DDOT": "0"}
# key: (unit, example, test, range text).  Every value must also be finite.  The bounds are
# those of the TLE field each key mirrors (CelesTrak's OMMs are TLEs re-encoded), so an OMM
# holds nothing a TLE could not; angles may be given in -360..360 deg.
_ANGLE_OMM = (lambda x: -360 <= x <= 360, "-360..360")
_OMM_NUMBERS = {
    "MEAN_MOTION": ("rev/day", "15.50103472", lambda x: 0 < x < 100,
                    "above 0 and below 100 (the TLE field NN.NNNNNNNN)"),
    "ECCENTRICITY": ("-", "0.0007417", lambda x: 0 <= x < 1, "0 <= e < 1"),
    "INCLINATION": ("deg", "51.6439", lambda x: 0 <= x <= 180, "0..180"),
    "RA_OF_ASC_NODE": ("deg", "211.2001", *_ANGLE_OMM),
    "ARG_OF_PERICENTER": ("deg", "17.6667", *_ANGLE_OMM),
    "MEAN_ANOMALY": ("deg", "85.6398", *_ANGLE_OMM),
    "BSTAR": ("1/earth radii", "0.38792E-4", lambda x: abs(x) < 1e9,
              "of magnitude below 1e9 (the TLE field's 0.99999e9)"),
    "MEAN_MOTION_DOT": ("rev/day^2", "0.00001764", lambda x: abs(x) < 1,
                        "of magnitude below 1 (the TLE field's .99999999)"),
    "MEAN_MOTION_DDOT": ("rev/day^3", "0", lambda x: abs(x) < 1e9,
                         "of magnitude below 1e9 (the TLE field's 0.99999e9)"),
}
_OMM_INTEGERS = {"NORAD_CAT_ID": (0, 339999), "EPHEMERIS_TYPE": (0, 9),
                 "ELEMENT_SET_NO": (0, 99999), "REV_AT_EPOCH": (0, 10**9)}
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_EPOCH_ISO = re.compile(r"^([0-9]{4})-(?:([0-9]{2})-([0-9]{2})|([0-9]{3}))T([0-9]{2}):([0-9]{2}):"
                        r"([0-9]{2}(?:\.[0-9]*)?)Z?$")
_SGP4_EPOCH0 = datetime(1949, 12, 31)  # sgp4init counts epoch days from here [UTC]
_NDOT_UNITS = 1036800.0 / math.pi  # rev/day^2 -> rad/min^2 (as sgp4.omm and SGP4.cpp)
_NDDOT_UNITS = 2985984000.0 / 2.0 / math.pi  # rev/day^3 -> rad/min^3
_KVN_LINE = re.compile(r"^([A-Za-z0-9_]+)\s*=\s*(.*)$")

# an OMM record from a reader: (line or record number, label for messages, fields,
# line of each field or None)
_OmmRecord = tuple[int, str, dict[str, str], dict[str, int] | None]


def _sniff(text: str) -> str:
    s = text.lstrip("\ufeff \t\r\n")
    if s.startswith("<"):
        return "xml"
    if s[:1] and s[0] in "[{":
        return "json"
    head = s.split("\n", 1)[0].upper()
    return "csv" if "," in head and ("OBJECT_NAME" in head or "NORAD_CAT_ID" in head) else "kvn"


def _omm_epoch(text: str) -> float:
    """Days since 1949-12-31 00:00 UTC [day] of an ISO 8601 OMM epoch; ValueError if bad."""
    m = _EPOCH_ISO.fullmatch(text)
    if not m:
        raise ValueError(text)
    year, month, day, doy, hh, mm, ss = m.groups()
    if doy is None:
        date = datetime(int(year), int(month), int(day))
    else:
        date = datetime(int(year), 1, 1) + timedelta(days=int(doy) - 1)
        if not 1 <= int(doy) or date.year != int(year):
            raise ValueError(text)
    if int(hh) > 23 or int(mm) > 59 or float(ss) >= 61:  # 60.x: a leap second
        raise ValueError(text)
    return (date - _SGP4_EPOCH0).days + (int(hh) * 3600 + int(mm) * 60 + float(ss)) / 86400.0


def _omm_values(fields: dict[str, str], bad) -> dict:
    """Check the OMM fields and convert them to numbers (defaults filled in).

    ``bad(key, reason)`` makes the ParseError to raise.
    """
    for key in _OMM_REQUIRED:
        if key not in fields:
            raise bad(key, f"{key} is missing from this record; an OMM for SGP4 needs "
                      f"{', '.join(_OMM_REQUIRED)}")
    f = {**_OMM_DEFAULTS, **fields}
    out = {}
    for key, (unit, example, test, span) in _OMM_NUMBERS.items():
        if not _NUMBER.fullmatch(f[key]):
            raise bad(key, f"{key} is {_show(f[key])}, not a number; expected e.g. {example} [{unit}]")
        out[key] = float(f[key])  # finite unless the text overflows (e.g. 1e999 -> inf)
        if not math.isfinite(out[key]):
            raise bad(key, f"{key} is {_show(f[key])}, which overflows a float (not finite); "
                      f"expected e.g. {example} [{unit}]")
        if not test(out[key]):
            raise bad(key, f"{key} is {out[key]:g} [{unit}], expected {span}")
    for key, (lo, hi) in _OMM_INTEGERS.items():
        if not re.fullmatch(r"\+?[0-9]+", f[key]) or not lo <= int(f[key]) <= hi:
            raise bad(key, f"{key} is {_show(f[key])}, expected an integer in {lo}..{hi}")
        out[key] = int(f[key])
    try:
        out["EPOCH"] = _omm_epoch(f["EPOCH"])
    except (ValueError, OverflowError):
        raise bad("EPOCH", f"EPOCH is {_show(f['EPOCH'])}, not an ISO 8601 UTC time; expected "
                  "e.g. '2019-12-09T16:38:29.363423' (fractional seconds and a trailing 'Z' "
                  "optional)") from None
    cls = f["CLASSIFICATION_TYPE"]
    if not re.fullmatch(r"[A-Za-z]", cls):
        raise bad("CLASSIFICATION_TYPE", f"CLASSIFICATION_TYPE is {_show(cls)}; expected one ASCII "
                  "letter, e.g. 'U' (unclassified), 'C' or 'S'")
    out["CLASSIFICATION_TYPE"] = cls
    theory = f.get("MEAN_ELEMENT_THEORY", "SGP4").upper()
    if "SGP4" not in theory or "XP" in theory or out["EPHEMERIS_TYPE"] == 4:
        raise bad("MEAN_ELEMENT_THEORY", f"MEAN_ELEMENT_THEORY is {theory!r} (EPHEMERIS_TYPE "
                  f"{out['EPHEMERIS_TYPE']}); these mean elements are not for SGP4, which needs "
                  "'SGP4' (type 0)")
    for key, want in (("REF_FRAME", "TEME"), ("TIME_SYSTEM", "UTC")):
        if f.get(key, want).upper() != want:
            raise bad(key, f"{key} is {f[key]!r}; SGP4 mean elements are referred to {want}")
    return out


def _omm_satrec(rec: _OmmRecord, source: str) -> _Good | ParseError:
    """Build one satellite from an OMM record; a ParseError is returned, not raised."""
    from sgp4 import api

    where, label, fields, lines = rec

    def bad(key: str, reason: str) -> ParseError:
        at = lines.get(key, where) if lines else where  # KVN: the field's own line
        return ParseError(source, at, f"{label}{reason}")

    try:
        v = _omm_values(fields, bad)
    except ParseError as exc:
        return exc
    deg = math.pi / 180.0
    sat = api.Satrec()
    try:
        sat.sgp4init(api.WGS72, "i", v["NORAD_CAT_ID"], v["EPOCH"], v["BSTAR"],
                     v["MEAN_MOTION_DOT"] / _NDOT_UNITS, v["MEAN_MOTION_DDOT"] / _NDDOT_UNITS,
                     v["ECCENTRICITY"], v["ARG_OF_PERICENTER"] * deg, v["INCLINATION"] * deg,
                     v["MEAN_ANOMALY"] * deg, v["MEAN_MOTION"] * math.pi / 720.0,
                     v["RA_OF_ASC_NODE"] * deg)
    except (ValueError, RuntimeError) as exc:  # not expected after the checks above
        return ParseError(source, where, f"{label}sgp4 could not initialise this record ({exc})")
    sat.classification = v["CLASSIFICATION_TYPE"]
    oid = fields.get("OBJECT_ID", "")
    sat.intldesg = oid[2:].replace("-", "") if re.fullmatch(r"[0-9]{4}-[0-9]{3}[A-Z]{0,3}", oid) else ""
    sat.ephtype, sat.elnum, sat.revnum = v["EPHEMERIS_TYPE"], v["ELEMENT_SET_NO"], v["REV_AT_EPOCH"]
    return fields.get("OBJECT_NAME") or str(v["NORAD_CAT_ID"]), sat


def _kvn_records(text: str, source: str) -> Iterator[_OmmRecord | ParseError]:
    """KVN: ``KEY = value [unit]`` lines; a record starts at CCSDS_OMM_VERS or when a key
    repeats.  The record's number is its first line."""
    rec: _OmmRecord | None = None
    error: ParseError | None = None
    for num, raw in enumerate(_split_lines(text), 1):
        line = raw.strip()
        if not line or line.startswith("COMMENT") or line in ("META_START", "META_STOP"):
            continue
        m = _KVN_LINE.match(line)
        key = m.group(1).upper() if m else None
        if rec is None or key == "CCSDS_OMM_VERS" or (key is not None and key in rec[2]):
            if rec is not None:
                yield error or rec
            rec, error = (num, "", {}, {}), None
        if m is None:
            error = error or ParseError(source, num, f"expected 'KEY = value' (CCSDS OMM KVN), "
                                        f"got {_show(line)}; for TLEs use parse_tle")
            continue
        value = re.sub(r"\s*\[[^\]]*\]", "", m.group(2)).strip()
        if value:
            rec[2][key], rec[3][key] = value, num
    if rec is not None:
        yield error or rec


def _csv_records(text: str, source: str) -> Iterator[_OmmRecord | ParseError]:
    """CelesTrak CSV: a header line, then one record per line (its line number)."""
    rows = csv.reader(_split_lines(text))
    header: list[str] | None = None
    try:
        for row in rows:
            if not any(c.strip() for c in row):
                continue
            if header is None:
                header, hline = [h.strip().upper() for h in row], rows.line_num
                continue
            if len(row) != len(header):
                yield ParseError(source, rows.line_num, f"{len(row)} comma-separated values but "
                                 f"the header (line {hline}) has {len(header)} columns; a value "
                                 "may hold an unquoted comma")
                continue
            yield rows.line_num, "", {h: c.strip() for h, c in zip(header, row) if c.strip()}, None
    except csv.Error as exc:
        raise ParseError(source, rows.line_num, f"not readable as CSV ({exc})") from None


_JSON_MAX_DEPTH = 3  # a list of objects is depth 2; one level more is still reported per record
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _json_depth(text: str) -> tuple[int, int]:
    """Deepest bracket nesting of ``text`` outside strings, and the 1-based line where it is
    first reached (a linear scan, so that ``json.loads`` never recurses past
    :data:`_JSON_MAX_DEPTH`)."""
    import numpy as np

    bare = _JSON_STRING.sub(lambda m: "_" * (m.end() - m.start()) if "\n" not in m.group()
                            else re.sub(r"[^\n]", "_", m.group()), text)
    brackets = np.frombuffer(re.sub(r"[^\[\]{}]+", "", bare).encode("ascii"), dtype=np.uint8)
    if not brackets.size:
        return 0, 1
    depth = np.cumsum(np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1).astype(np.int32))
    k = int(np.argmax(depth))
    at = next(itertools.islice(re.finditer(r"[\[\]{}]", bare), k, None)).start()
    return int(depth[k]), bare.count("\n", 0, at) + 1


def _json_records(text: str, source: str) -> Iterator[_OmmRecord | ParseError]:
    """CelesTrak JSON: a list of objects (or one object); records are counted from 1."""
    depth, line = _json_depth(text)
    if depth > _JSON_MAX_DEPTH:
        raise ParseError(source, line, f"JSON nested {depth} levels deep; an OMM file is a list of "
                         f"flat objects (2 levels) and at most {_JSON_MAX_DEPTH} are read, e.g. "
                         '[{"OBJECT_NAME": "ISS (ZARYA)", "EPOCH": "2019-12-09T16:38:29", ...}]')
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ParseError(source, exc.lineno, f"not valid JSON ({exc.msg}, column {exc.colno}); "
                         "expected a list of OMM objects as CelesTrak serves them") from None
    data = [data] if isinstance(data, dict) else data
    if not isinstance(data, list):
        raise ParseError(source, None, f"the JSON holds a {type(data).__name__}; expected a "
                         "list of OMM objects or one object")
    for k, item in enumerate(data, 1):
        label = f"JSON record {k} (object number {k} counting from 1; not a line number): "
        if not isinstance(item, dict):
            yield ParseError(source, k, f"{label}is a {type(item).__name__}, expected an object "
                             'like {"OBJECT_NAME": ..., "EPOCH": ..., ...}')
            continue
        fields = {str(key).upper(): (repr(v) if isinstance(v, float) else str(v)).strip()
                  for key, v in item.items() if v is not None}
        yield k, label, {key: v for key, v in fields.items() if v}, None


def _xml_records(text: str, source: str) -> Iterator[_OmmRecord | ParseError]:
    """CCSDS NDM/XML: every ``<segment>`` is a record, counted from 1; namespaces ignored."""
    try:
        root = ET.fromstring(text.lstrip("\ufeff \t\r\n"))
    except ET.ParseError as exc:
        raise ParseError(source, exc.position[0], f"not well-formed XML ({exc})") from None

    def local(tag) -> str:
        return str(tag).rsplit("}", 1)[-1]

    if local(root.tag) not in ("ndm", "omm"):
        raise ParseError(source, None, f"the XML root is <{local(root.tag)}>; expected a CCSDS "
                         "<ndm> holding <omm> messages, or one <omm>")
    segments = [el for el in root.iter() if local(el.tag) == "segment"]
    for k, seg in enumerate(segments, 1):
        fields = {local(el.tag).upper(): (el.text or "").strip() for el in seg.iter() if len(el) == 0}
        label = f"XML record {k} (<segment> number {k} counting from 1; not a line number): "
        yield k, label, {key: v for key, v in fields.items() if v}, None


_READERS = {"xml": _xml_records, "kvn": _kvn_records, "json": _json_records, "csv": _csv_records}


def parse_omm(text: str, *, format: str | None = None, source: str = "<text>", strict: bool = True) -> _Result:
    """Parse CCSDS OMM mean elements for SGP4 (CCSDS 502.0-B-3).

    Parameters
    ----------
    text : str
        The messages.
    format : {"xml", "kvn", "json", "csv"} or None
        ``None`` sniffs it: ``<`` starts XML, ``[`` or ``{`` JSON, a first line with
        commas and ``OBJECT_NAME`` (or ``NORAD_CAT_ID``) CSV, anything else KVN.
    source : str
        File name used in error messages.
    strict : bool
        If True, raise on the first bad record; if False, skip bad records and return
        their errors.

    Returns
    -------
    names : list of str, length ``n_good``
        ``OBJECT_NAME``, or ``NORAD_CAT_ID`` if there is none.
    satrecs : list of sgp4.api.Satrec, length ``n_good``
        Initialised with ``sgp4init`` on WGS72 constants, as ``sgp4.omm.initialize``:
        angles [deg], ``MEAN_MOTION`` [rev/day], ``MEAN_MOTION_DOT`` [rev/day^2] and
        ``MEAN_MOTION_DDOT`` [rev/day^3] as in the TLE (already halved and divided by
        six), ``BSTAR`` [1/earth radii], ``EPOCH`` ISO 8601 in UTC.
    problems : list of ParseError
        One per skipped record (always empty when ``strict`` is True).

    Raises
    ------
    ParseError
        If ``strict`` and a record is malformed, or (always) if the text cannot be read as
        the format.  Its "line" is the bad field's line (KVN; a missing field: the
        record's first line), the record's line (CSV), or the record number counted
        from 1 (XML, JSON).  Required fields: EPOCH, MEAN_MOTION,
        ECCENTRICITY, INCLINATION, RA_OF_ASC_NODE, ARG_OF_PERICENTER, MEAN_ANOMALY,
        NORAD_CAT_ID, BSTAR; the rest default to CLASSIFICATION_TYPE 'U', ELEMENT_SET_NO
        999, REV_AT_EPOCH 0, EPHEMERIS_TYPE 0 and mean-motion derivatives 0.
    InputError
        If ``format`` is not one of the four.
    """
    fmt = _sniff(text) if format is None else str(format).lower()
    if fmt not in _READERS:
        raise InputError(f"format: {format!r} is unknown; choose one of {tuple(_READERS)} or None "
                         "to detect it from the text")
    records = (rec if isinstance(rec, ParseError) else _omm_satrec(rec, source)
               for rec in _READERS[fmt](text, source))
    return _collect(records, strict)
