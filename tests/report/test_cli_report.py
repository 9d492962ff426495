"""Command-line report options and limits: empty periods, standards files and period counts that must fail in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cskpi.__main__ import main


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _contacts(tmp_path: Path, text: str = "") -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(text or "created,nps\n2026-03-01T09:00,10\n2026-03-02T09:00,9\n2026-03-10T09:00,3\n")
    return path


def test_empty_periods_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _contacts(tmp_path)
    status, out, _ = _run(capsys, "report", str(path), "--period", "day", "--format", "csv")
    assert status == 0 and out.count("\n") == 4  # header + three days with contacts
    status, out, _ = _run(capsys, "report", str(path), "--period", "day", "--empty-periods", "show")
    assert status == 0 and "2026-03-05 (no contacts)" in out
    assert "7 of 10 cells (day) without contacts are marked (no contacts)." in out
