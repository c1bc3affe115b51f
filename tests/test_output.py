"""The one writer (`_output.write_text`) and the one CSV writer (`_output.csv_text`)."""

from __future__ import annotations

import csv
import io

import pytest

import orbitcompute as oc
from orbitcompute._output import csv_text, write_text


def test_write_text_refuses_to_overwrite_and_leaves_no_temporary(tmp_path):
    p = tmp_path / "a.txt"
    assert write_text(p, "first\n") == p
    with pytest.raises(FileExistsError, match="overwrite=True"):
        write_text(p, "second\n")
    assert p.read_text() == "first\n"  # the user's file is untouched
    write_text(p, "second\n", overwrite=True)
    assert p.read_text() == "second\n"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt"]  # no stray temporary


def test_write_text_names_a_missing_directory(tmp_path):
    with pytest.raises(oc.InputError, match="does not exist"):
        write_text(tmp_path / "no" / "a.txt", "x")


def test_csv_text_round_trips_through_the_csv_module():
    rows = [{"a": 1, "b": "x,y", "c": None}, {"a": 2.5, "b": 'q"uote', "c": 0.1 + 0.2}]
    text = csv_text(rows)
    back = list(csv.DictReader(io.StringIO(text)))
    assert back == [{"a": "1", "b": "x,y", "c": ""}, {"a": "2.5", "b": 'q"uote', "c": repr(0.1 + 0.2)}]
    assert csv_text(rows, ["b"]).splitlines()[0] == "b"
    assert csv_text([]) == "\n"  # no rows and no columns: an empty header line


def test_mass_budget_csv_refuses_to_overwrite(tmp_path):
    b = oc.mass_budget(10 * oc.u.kW, array_power=12 * oc.u.kW)
    p = tmp_path / "mass.csv"
    text = b.to_csv(p)
    assert p.read_text() == text and text.startswith("item,mass_kg,assumption,source\n")
    with pytest.raises(FileExistsError):
        b.to_csv(p)
