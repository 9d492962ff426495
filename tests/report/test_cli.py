"""End-to-end tests of the ``cskpi`` command line through a subprocess, on the example data and broken files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import cskpi
from cskpi.__main__ import example_standards_path
from cskpi._report.io import example_contacts_path

pytest.importorskip("pyarrow")  # the CLI reads files with pyarrow (the cli extra)

HEADER = "created,channel,wait_seconds,abandoned,nps"


def run(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cskpi", *arguments], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_report_example_text() -> None:
    completed = run("report", "--example")
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    assert out.startswith("KPI report of ") and "per month" in out
    for heading in (
        "contacts",
        "SL 20s",
        "ASA",
        "AHT",
        "abandoned",
        "FRT med.",
        "NPS",
        "CSAT",
        "CES",
        "Trend",
    ):
        assert heading in out
    # --example brings the bundled standards.
    assert "Standards" in out and "Calls answered within 20 s" in out
    assert completed.stderr == ""


def test_report_example_json_matches_library() -> None:
    completed = run("report", "--example", "--format", "json", "--by", "channel", "--period", "week")
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert data["by"] == "channel" and data["period"] == "week"
    expected = cskpi.kpi_report(
        example_contacts_path(), period="week", by="channel", standards=example_standards_path()
    )
    assert data["rows"] == json.loads(expected.to_json())["rows"]


def test_report_csv_and_markdown() -> None:
    completed = run("report", "--example", "--format", "csv", "--by", "channel")
    assert completed.returncode == 0, completed.stderr
    rows = list(csv.DictReader(io.StringIO(completed.stdout)))
    assert {row["channel"] for row in rows} == {"chat", "email", "phone"}
    assert "standard: CSAT at least 75 %" in rows[0]
    completed = run("report", "--example", "--format", "markdown")
    assert completed.returncode == 0 and completed.stdout.startswith("## KPI report")


def test_report_options(tmp_path: Path) -> None:
    output = tmp_path / "report.json"
    completed = run(
        "report", str(example_contacts_path()), "--format", "json", "--sl-threshold", "30",
        "--sl-policy", "abandoned_ignored", "--baseline", "2026-02", "--confidence", "0.9", "-o", str(output),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    data = json.loads(output.read_text())
    assert data["baseline"] == "2026-02" and data["settings"]["service_level_threshold"] == 30.0
    assert data["settings"]["service_level_policy"] == "abandoned_ignored" and data["standards"] is None


def test_column_mapping_by_flags_and_file(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text("opened_at;queue;team\n2026-01-05T09:00;10;a\n2026-01-06T09:00;30;b\n")
    completed = run(
        "report", str(path), "--delimiter", ";", "--column", "created=opened_at", "--column",
        "wait_seconds=queue", "--by", "team", "--format", "json",
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    rows = json.loads(completed.stdout)["rows"]
    assert [row["service_level"] for row in rows] == [1.0, 0.0]
    mapping = tmp_path / "columns.toml"
    mapping.write_text('[columns]\ncreated = "opened_at"\nwait_seconds = "queue"\n')
    completed = run("report", str(path), "--delimiter", ";", "--columns", str(mapping), "--format", "json")
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["rows"][0]["service_level"] == 0.5


def test_standards_file(tmp_path: Path) -> None:
    standards = tmp_path / "standards.toml"
    standards.write_text('[[standard]]\nname = "NPS 20"\nmetric = "nps"\ntarget = 20\n')
    completed = run("report", str(example_contacts_path()), "--standards", str(standards))
    assert completed.returncode == 0, completed.stderr
    assert "NPS 20" in completed.stdout and "Calls answered within 20 s" not in completed.stdout


def test_example_command_prints_bundled_files() -> None:
    completed = run("example")
    assert completed.returncode == 0
    assert completed.stdout == example_contacts_path().read_text()
    completed = run("example", "--standards")
    assert completed.returncode == 0 and "[[standard]]" in completed.stdout


def _write(tmp_path: Path, text: str, name: str = "contacts.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BROKEN = [
    # (file text, extra arguments, expected pieces of the one-line message)
    ("channel,nps\nphone,10\n", [], ["missing column 'created'", "--column created=NAME"]),
    (f"{HEADER}\n2026-01-05T09:00,phone,10,false,9\n2026-01-32T09:00,phone,10,false,9\n", [],
     ["row 2 (line 3), column 'created'", "'2026-01-32T09:00'"]),
    ("", [], ["is empty"]),
    ("\n\n", [], ["is empty"]),
    ("created;channel;wait_seconds\n2026-01-05T09:00;phone;10\n", [], ["delimited by ';'", "--delimiter"]),
    (f"{HEADER}\n2026-01-05T09:00,phone,ten,false,9\n", [], ["row 1 (line 2), column 'wait_seconds'", "'ten'"]),
    (f"{HEADER}\n2026-01-05T09:00,phone,-4,false,9\n", [], ["column 'wait_seconds'", "non-negative", "'-4'"]),
    (f"{HEADER}\n2026-01-05T09:00,phone,4,perhaps,9\n", [], ["column 'abandoned'", "'perhaps'"]),
    (f"{HEADER}\n2026-01-05T09:00,phone,4,false,9\n2026-01-05T09:00,phone,4,false,12\n", [],
     ["row 2 (line 3), column 'nps'", "0..10", "12.0"]),
    (f"{HEADER}\n2026-01-05T09:00,phone,4,false,9\n2026-01-05T09:00,phone,4\n", [],
     ["row 2 (line 3)", "expected 5 fields"]),
    ("created,resolved\n2026-01-05T09:00,2026-01-05T08:00\n", [], ["row 1 (line 2), column 'resolved'"]),
    ("created,created\n2026-01-05,2026-01-05\n", [], ["distinct", "'created'"]),
    (f"{HEADER}\n", [], ["at least one contact"]),
    (f"{HEADER}\n2026-01-05T09:00,phone,4,false,9\n", ["--by", "team"], ["no column named 'team'"]),
    (f"{HEADER}\n2026-01-05T09:00,phone,4,false,9\n", ["--column", "when"], ["--column must be ROLE=NAME"]),
    (f"{HEADER}\n2026-01-05T09:00,phone,4,false,9\n", ["--column", "start=created"], ["unknown column role"]),
    (f"{HEADER}\n2026-01-05T09:00,phone,4,false,9\n", ["--baseline", "2025-01"], ["baseline must fall"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "arguments", "pieces"), BROKEN)
def test_broken_files_one_line_error(
    tmp_path: Path, text: str, arguments: list[str], pieces: list[str]
) -> None:
    path = _write(tmp_path, text)
    completed = run("report", str(path), *arguments)
    assert completed.returncode == 2, completed.stdout
    assert completed.stdout == ""
    err = completed.stderr
    assert "Traceback" not in err
    assert err.startswith("cskpi: ") and err.count("\n") == 1, err
    option_error = any(word in err for word in ("--column", "unknown column role", "baseline"))
    assert str(path) in err or option_error, err
    for piece in pieces:
        assert piece in err, err


def test_bad_standards_file_one_line_error(tmp_path: Path) -> None:
    standards = _write(
        tmp_path, '[[standard]]\nname = "CSAT"\nmetric = "csat"\ntarget = 85\n', "standards.toml"
    )
    completed = run("report", "--example", "--standards", str(standards))
    assert completed.returncode == 2
    assert f"cskpi: {standards}: standard 1 ('CSAT'): field target must lie in [0, 1]" in completed.stderr
    assert completed.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["report"], "give a contacts CSV file, or --example"),
        (["report", "x.csv", "--example"], "either a CSV file or --example"),
        (["report", "/nonexistent/contacts.csv"], "/nonexistent/contacts.csv: no such file"),
        (["summary", "/nonexistent/contacts.csv"], "no such file"),
    ],
)
def test_usage_errors(arguments: list[str], message: str) -> None:
    completed = run(*arguments)
    assert completed.returncode == 2 and message in completed.stderr and "Traceback" not in completed.stderr


def test_directory_and_bad_encoding(tmp_path: Path) -> None:
    completed = run("report", str(tmp_path))
    assert completed.returncode == 2 and "is a directory" in completed.stderr
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"created,channel\n2026-01-05,caf\xe9\n")
    completed = run("report", str(path))
    assert (
        completed.returncode == 2 and "not UTF-8" in completed.stderr and "Traceback" not in completed.stderr
    )


def test_argparse_errors_exit_2() -> None:
    completed = run("report", "--example", "--period", "fortnight")
    assert completed.returncode == 2 and "invalid choice" in completed.stderr


# --------------------------------------------------------------------------- output files


def test_output_equal_to_an_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(example_contacts_path().read_text(encoding="utf-8"), encoding="utf-8")
    before = contacts.read_bytes()
    for target in (str(contacts), str(tmp_path / "." / "contacts.csv")):
        completed = run("report", str(contacts), "-o", target)
        assert completed.returncode == 2 and "Traceback" not in completed.stderr
        assert "is an input of this command" in completed.stderr and completed.stderr.count("\n") == 1
    standards = tmp_path / "standards.toml"
    standards.write_text(example_standards_path().read_text(encoding="utf-8"), encoding="utf-8")
    completed = run("report", str(contacts), "--standards", str(standards), "-o", str(standards))
    assert completed.returncode == 2 and "is an input of this command" in completed.stderr
    assert contacts.read_bytes() == before
    assert standards.read_text(encoding="utf-8") == example_standards_path().read_text(encoding="utf-8")


def test_output_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cskpi import __main__ as cli

    target = tmp_path / "report.json"
    target.write_text('{"previous": "report"}\n', encoding="utf-8")
    target.chmod(0o640)
    cli.write_output(str(target), "new report\n", inputs=[])
    assert target.read_text(encoding="utf-8") == "new report\n"
    assert target.stat().st_mode & 0o777 == 0o640  # the replaced file's mode is kept

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli.os, "replace", full_disk)
    with pytest.raises(cskpi.InvalidInputError, match="cannot write the output: No space left on device"):
        cli.write_output(str(target), "half a report", inputs=[])
    assert target.read_text(encoding="utf-8") == "new report\n"  # the previous file is untouched
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.json"]  # no temporary left


def test_output_under_a_file_or_missing_folder_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    for target in (blocker / "report.md", tmp_path / "missing" / "report.md"):
        completed = run("report", "--example", "-o", str(target))
        assert completed.returncode == 2, completed.stderr
        assert completed.stderr.startswith(f"cskpi: {target}: cannot write the output: ")
        assert completed.stderr.count("\n") == 1 and "Traceback" not in completed.stderr
