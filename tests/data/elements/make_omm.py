"""Write sats.xml, sats.kvn, sats.json and sats.csv from sats.tle (test fixtures).

Run from anywhere: ``python tests/data/elements/make_omm.py``.  The OMM values are the
TLE columns copied as text (CelesTrak's TLE -> OMM mapping), so both describe the same
elements digit for digit; the epoch is exact because a TLE epoch step of 1e-8 day is
exactly 864 microseconds.  Deliberately independent of orbitcompute.elements: plain
column slicing, no sgp4.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
NAMES = {"08195": "MOLNIYA 2-14"}  # 2-line set in sats.tle; named in the OMM files
ALPHA5 = "ABCDEFGHJKLMNPQRSTUVWXYZ"
KEYS = ["OBJECT_NAME", "OBJECT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION",
        "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY", "EPHEMERIS_TYPE",
        "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR",
        "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"]
UNITS = {"MEAN_MOTION": "rev/day", "INCLINATION": "deg", "RA_OF_ASC_NODE": "deg",
         "ARG_OF_PERICENTER": "deg", "MEAN_ANOMALY": "deg", "BSTAR": "1/ER",
         "MEAN_MOTION_DOT": "rev/day**2", "MEAN_MOTION_DDOT": "rev/day**3"}


def implied(field: str) -> str:
    """' 38792-4' -> '0.38792E-4'."""
    return f"{field[0].strip()}0.{field[1:6].replace(' ', '0')}E{field[6].replace(' ', '+')}{field[7]}"


def catnum(field: str) -> str:
    field = field.strip()
    if field[0].isalpha():
        return str((ALPHA5.index(field[0]) + 10) * 10000 + int(field[1:]))
    return str(int(field))


def epoch(field: str) -> str:
    yy, day, frac = int(field[:2]), int(field[2:5]), int(field[6:14])
    year = 2000 + yy if yy < 57 else 1900 + yy
    t = datetime(year, 1, 1) + timedelta(days=day - 1, microseconds=frac * 864)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")


def intl(field: str) -> str:
    field = field.strip()
    if not field:
        return ""
    yy = int(field[:2])
    return f"{2000 + yy if yy < 57 else 1900 + yy}-{field[2:]}"


def records() -> list[dict[str, str]]:
    lines = [s.rstrip() for s in (HERE / "sats.tle").read_text().splitlines() if s.strip()]
    out, name = [], None
    for line in lines:
        if not line.startswith(("1 ", "2 ")):
            name = line.removeprefix("0 ")
        elif line[0] == "1":
            l1 = line
        else:
            l2 = line
            cat = l1[2:7]
            out.append({
                "OBJECT_NAME": name or NAMES[cat], "OBJECT_ID": intl(l1[9:17]),
                "EPOCH": epoch(l1[18:32]), "MEAN_MOTION": l2[52:63].strip(),
                "ECCENTRICITY": "0." + l2[26:33], "INCLINATION": l2[8:16].strip(),
                "RA_OF_ASC_NODE": l2[17:25].strip(), "ARG_OF_PERICENTER": l2[34:42].strip(),
                "MEAN_ANOMALY": l2[43:51].strip(), "EPHEMERIS_TYPE": l1[62].strip() or "0",
                "CLASSIFICATION_TYPE": l1[7], "NORAD_CAT_ID": catnum(cat),
                "ELEMENT_SET_NO": str(int(l1[64:68])), "REV_AT_EPOCH": str(int(l2[63:68])),
                "BSTAR": implied(l1[53:61]), "MEAN_MOTION_DOT": l1[33:43].strip().replace(".", "0.", 1),
                "MEAN_MOTION_DDOT": implied(l1[44:52]),
            })
            name = None
    return out


def write_kvn(recs) -> None:
    meta = ["OBJECT_NAME", "OBJECT_ID"]
    text = []
    for r in recs:
        text += ["CCSDS_OMM_VERS = 3.0", "COMMENT orbitcompute test fixture, same values as sats.tle",
                 "CREATION_DATE = 2024-01-01T00:00:00", "ORIGINATOR = ORBITCOMPUTE TESTS", ""]
        text += [f"{k} = {r[k]}" for k in meta]
        text += ["CENTER_NAME = EARTH", "REF_FRAME = TEME", "TIME_SYSTEM = UTC",
                 "MEAN_ELEMENT_THEORY = SGP4", "", "COMMENT Mean Keplerian elements"]
        text += [f"{k} = {r[k]}" + (f" [{UNITS[k]}]" if k in UNITS else "") for k in KEYS[2:9]]
        text += ["", "COMMENT TLE parameters"]
        text += [f"{k} = {r[k]}" + (f" [{UNITS[k]}]" if k in UNITS else "") for k in KEYS[9:]]
        text += [""]
    (HERE / "sats.kvn").write_text("\n".join(text))


def write_xml(recs) -> None:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<ndm>"]
    groups = ((KEYS[:2], "metadata", ["CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "MEAN_ELEMENT_THEORY"]),
              (KEYS[2:9], "meanElements", []), (KEYS[9:], "tleParameters", []))
    fixed = {"CENTER_NAME": "EARTH", "REF_FRAME": "TEME", "TIME_SYSTEM": "UTC", "MEAN_ELEMENT_THEORY": "SGP4"}
    for r in recs:
        out += ['<omm id="CCSDS_OMM_VERS" version="3.0">', "<header><CREATION_DATE/><ORIGINATOR/></header>",
                "<body><segment>"]
        for keys, tag, extra in groups:
            if tag == "meanElements":
                out.append("<data>")
            out.append(f"<{tag}>" + "".join(f"<{k}>{r[k]}</{k}>" for k in keys)
                       + "".join(f"<{k}>{fixed[k]}</{k}>" for k in extra) + f"</{tag}>")
        out += ["</data>", "</segment></body>", "</omm>"]
    out.append("</ndm>")
    (HERE / "sats.xml").write_text("\n".join(out) + "\n")


def write_json(recs) -> None:
    """CelesTrak JSON uses numbers; the third record keeps strings to test both."""
    def number(text: str):
        return int(text) if text.isdigit() else float(text)

    numeric = set(KEYS[3:10]) | set(KEYS[11:])
    objs = [{k: number(r[k]) if k in numeric and j != 2 else r[k] for k in KEYS}
            for j, r in enumerate(recs)]
    (HERE / "sats.json").write_text(json.dumps(objs, indent=1) + "\n")


def write_csv(recs) -> None:
    rows = [",".join(KEYS)] + [",".join(r[k] for k in KEYS) for r in recs]
    (HERE / "sats.csv").write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    recs = records()
    for write in (write_kvn, write_xml, write_json, write_csv):
        write(recs)
