"""Command-line report options and limits: empty periods, standards files and period counts that must fail in one line."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from cskpi.__main__ import main

# Contacts files are read with pyarrow (the cli extra); standards files are not.
needs_pyarrow = pytest.mark.skipif(
    importlib.util.find_spec("pyarrow") is None, reason="reading contacts files needs pyarrow"
)


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _contacts(tmp_path: Path, text: str = "") -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(text or "created,nps\n2026-03-01T09:00,10\n2026-03-02T09:00,9\n2026-03-10T09:00,3\n")
    return path


@needs_pyarrow
def test_empty_periods_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _contacts(tmp_path)
    status, out, _ = _run(capsys, "report", str(path), "--period", "day", "--format", "csv")
    assert status == 0 and out.count("\n") == 4  # header + three days with contacts
    status, out, _ = _run(capsys, "report", str(path), "--period", "day", "--empty-periods", "show")
    assert status == 0 and "2026-03-05 (no contacts)" in out
    assert "7 of 10 cells (day) without contacts are marked (no contacts)." in out


def _standard(body: str) -> str:
    return f'[[standard]]\nname = "Goal"\n{body}\n'


BAD_STANDARDS = [
    ("list.toml", _standard('metric = ["csat"]\ntarget = 0.8'), "standard 1 ('Goal'): field metric must be one of"),
    ("table.toml", _standard("metric = {name = 1}\ntarget = 0.8"), "field metric must be one of"),
    ("digits.toml", _standard('metric = "csat"\ntarget = ' + "9" * 400),
     "field target must be a finite number; got an integer of 400 digits"),
    ("param.toml", _standard('metric = "service_level"\ntarget = 0.8\n[standard.params]\nthreshold_seconds = '
                             + "9" * 400), "field params['threshold_seconds'] must be a finite number"),
    ("digits.json", '{"standard": [{"name": "Goal", "metric": "csat", "target": ' + "9" * 5000 + "}]}",
     "has a number with too many digits"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "is nested too deeply"),
    ("deep.toml", "x = " + "[" * 100_000 + "]" * 100_000, "is nested too deeply"),
    ("scale.toml", _standard('metric = "csat"\ntarget = 0.8\n[standard.params]\nscale = [0, 1000000000000]'),
     "field params['scale'] must have at most 101 points (such as [0, 100]); got [0, 1000000000000]"),
    ("direction.toml", _standard('metric = "csat"\ntarget = 0.8\ndirection = ["at_least"]'),
     "field direction must be one of"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "message"), BAD_STANDARDS, ids=[case[0] for case in BAD_STANDARDS])
def test_bad_standards_file_is_one_line_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    standards = tmp_path / name
    standards.write_text(text)
    # main() returns instead of raising: a traceback (TypeError, OverflowError,
    # RecursionError, MemoryError) would fail the test here.
    status, out, err = _run(capsys, "report", str(_contacts(tmp_path)), "--standards", str(standards))
    assert status == 2 and out == ""
    assert err.startswith(f"cskpi: {standards}: ") and err.count("\n") == 1, err
    assert message in err, err
    assert len(err) < 400  # the offending value is shown cut short


@needs_pyarrow
@pytest.mark.parametrize(
    ("text", "period", "message"),
    [
        ("created\n2026-01-05T09:00\n2500-01-06T09:00\n", "day",
         "contacts.csv: row 2 (line 3), column 'created': a year in 1900..2200; got 2500-01-06T09:00:00"),
        ("created\n1899-12-31T23:00\n2026-01-06T09:00\n", "year",
         "contacts.csv: row 1 (line 2), column 'created': a year in 1900..2200; got 1899-12-31T23:00:00"),
        ("created\n2026-01-05T09:00\n1960-01-06T09:00\n", "hour",
         "period='hour' gives 578,545 periods from 1960-01-06T09:00:00 (" ),
    ],
)  # fmt: skip
# 1960-01-06 to 2026-01-05: 66 years of 365 days, 17 leap days, less one day = 24,106 days =
# 578,544 hours, so 578,545 hourly periods counting both ends.
def test_period_span_is_checked_before_allocating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, period: str, message: str
) -> None:
    path = _contacts(tmp_path, text)
    status, out, err = _run(capsys, "report", str(path), "--period", period)
    assert status == 2 and out == "" and err.count("\n") == 1
    assert message in err, err
    if period == "hour":
        assert "row 2 (line 3), column 'created') to 2026-01-05T09:00:00" in err and "coarser period" in err
