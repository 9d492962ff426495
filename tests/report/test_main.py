"""Tests of ``python -m cskpi`` without a command and of ``cskpi summary`` on the bundled example and small files."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cskpi import csat, nps
from cskpi.__main__ import main
from cskpi._report.io import ContactsTable, example_contacts_path, numeric_column

pytest.importorskip("pyarrow")  # files are read with pyarrow (the cli extra)


def _example_rows() -> list[dict[str, str]]:
    """The bundled example read by the csv module: an independent reference."""
    with open(example_contacts_path(), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_main_prints_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    n_rows = len(_example_rows())
    assert f"({n_rows} contacts)" in out
    # The overall NPS printed equals the library's figure on the same column.
    answers = numeric_column(np.array([row["nps"] for row in _example_rows()]), "nps")
    expected = nps(answers, nan_policy="omit")
    assert f"NPS   {expected.score:+7.1f}" in out
    assert f"n={expected.n}" in out
    for channel in ("chat", "email", "phone"):
        assert channel in out
    assert "SL 20s" in out and "cskpi report --example" in out


def test_main_on_own_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text('channel,nps,csat\nphone,10,5\nphone,0,\n"chat, web",9,4\n')
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    # Overall NPS: promoters 10 and 9, detractor 0 -> (2 - 1) / 3 = +33.3; CSAT 2/2.
    assert "all        NPS     +33.3" in out
    assert "all        CSAT   100.0%" in out
    assert "chat, web" in out
    # The same through the explicit command.
    assert main(["summary", str(path)]) == 0
    assert "all        NPS     +33.3" in capsys.readouterr().out


def test_main_reports_bad_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("nps\n10\nten\n")
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    # File, row, line and column named on one line.
    assert f"{path}: row 2 (line 3), column 'nps'" in err and "'ten'" in err
    assert err.count("\n") == 1
    path.write_text("nps\n10\n11\n")
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: row 2 (line 3), column 'nps': scores must be integers in 0..10; got 11.0" in err


def test_main_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["/nonexistent/contacts.csv"]) == 2
    assert "cskpi: /nonexistent/contacts.csv: no such file" in capsys.readouterr().err


def test_numeric_column_blank_is_nan() -> None:
    column = np.array(["1", " ", "", "4.0"])
    values = numeric_column(column, "x")
    assert values[0] == 1.0 and np.isnan(values[1]) and np.isnan(values[2]) and values[3] == 4.0
    assert csat(values, nan_policy="omit").n == 2


def test_summary_survey_lines_match_functions() -> None:
    table = ContactsTable(example_contacts_path())
    answers = table.get("csat")
    expected = csat(answers[~np.isnan(answers)])
    assert table.get("csat").shape[0] == table.n_rows
    assert expected.n == int((~np.isnan(answers)).sum())


def test_module_entry_point_runs() -> None:
    completed = subprocess.run([sys.executable, "-m", "cskpi"], capture_output=True, text=True, check=True)
    assert "NPS" in completed.stdout and "CSAT" in completed.stdout and "CES" in completed.stdout
    assert completed.stderr == ""
