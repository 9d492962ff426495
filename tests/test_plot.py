"""Tests of cskpi.plot: every plot renders to a non-empty PNG (skipped without matplotlib)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
pytest.importorskip("pyarrow")  # the plots are drawn from the bundled example file (the cli extra)
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import cskpi  # noqa: E402
from cskpi import InvalidInputError, InvalidTypeError, plot  # noqa: E402
from cskpi.__main__ import example_standards_path  # noqa: E402
from cskpi._report.io import ContactsTable, example_contacts_path  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def table() -> ContactsTable:
    return ContactsTable(example_contacts_path())


@pytest.fixture(scope="module")
def report() -> cskpi.KPIReport:
    return cskpi.kpi_report(example_contacts_path(), period="month", standards=example_standards_path())


def _save(figure: Any, path: Path) -> None:
    figure.savefig(path)
    plt.close(figure)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 5_000


def test_nps_trend(tmp_path: Path) -> None:
    grouped = cskpi.kpi_report(example_contacts_path(), period="week", by="channel")
    ax = plot.nps_trend(grouped)
    # One line per channel, one band each, in the report's values.
    assert len(ax.get_lines()) == 3 + 1  # three channels and the zero line
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), grouped["nps"].values[0])
    _save(ax.figure, tmp_path / "nps.png")
    # From a contacts table directly.
    _save(plot.nps_trend(example_contacts_path(), period="month").figure, tmp_path / "nps_table.png")


def test_service_level_curve(tmp_path: Path, table: ContactsTable) -> None:
    queued = ~np.isnan(table.get("wait_seconds"))
    waits, gave_up = table.get("wait_seconds")[queued], table.get("abandoned")[queued]
    ax = plot.service_level_curve(waits, abandoned=gave_up, target=0.8, threshold_seconds=20)
    line = ax.get_lines()[0]
    # The curve at 20 s is the service level at 20 s.
    x, y = line.get_xdata(), line.get_ydata()
    assert y[np.flatnonzero(x == 20.0)[0]] == cskpi.service_level(waits, 20, abandoned=gave_up).score
    assert np.all(np.diff(y) >= 0)
    _save(ax.figure, tmp_path / "sl.png")
    by_channel = plot.service_level_curve(waits, abandoned=gave_up, by=table.get("channel")[queued])
    assert len(by_channel.get_lines()) == 2 + 2  # chat, phone, target and threshold lines
    _save(by_channel.figure, tmp_path / "sl_by.png")


def test_retention_heatmap(tmp_path: Path, report: cskpi.KPIReport) -> None:
    assert report.cohorts is not None
    ax = plot.retention_heatmap(report.cohorts)
    assert len(ax.texts) == int(report.cohorts.observed.sum())
    _save(ax.figure, tmp_path / "retention.png")
    _save(plot.retention_heatmap(report.cohorts, rolling=True).figure, tmp_path / "rolling.png")


def test_open_cases_over_time(tmp_path: Path, table: ContactsTable) -> None:
    handled = ~table.get("abandoned")
    created, resolved = table.get("created")[handled], table.get("resolved")[handled]
    ax = plot.open_cases_over_time(created, resolved, every="day")
    x, y = ax.get_lines()[0].get_xdata(), ax.get_lines()[0].get_ydata()
    np.testing.assert_array_equal(y, cskpi.open_cases(created, resolved, np.asarray(x)).n_open)
    _save(ax.figure, tmp_path / "open.png")
    weekly = plot.open_cases_over_time(created, resolved, every="week", by=table.get("channel")[handled])
    _save(weekly.figure, tmp_path / "open_weekly.png")


def test_report_overview(tmp_path: Path, report: cskpi.KPIReport) -> None:
    figure = plot.report_overview(report)
    visible = [ax for ax in figure.axes if ax.get_visible() and ax.get_title()]
    assert [ax.get_title().split(" (")[0] for ax in visible] == [series.label for series in report.kpis]
    _save(figure, tmp_path / "overview.png")
    _save(plot.report_overview(report, kpis=["nps", "csat"], columns=2), tmp_path / "two.png")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: plot.service_level_curve([1.0], target=80), InvalidInputError, "fraction"),
        (lambda: plot.service_level_curve([1.0], max_seconds=0), InvalidInputError, "max_seconds"),
        (
            lambda: plot.open_cases_over_time(["2026-01-01"], ["NaT"], every="month"),
            InvalidInputError,
            "every",
        ),
        (
            lambda: plot.open_cases_over_time(np.array([], "M8[s]"), np.array([], "M8[s]")),
            InvalidInputError,
            "at least one",
        ),
        (lambda: plot.retention_heatmap("cohorts"), InvalidTypeError, "CohortRetention"),  # type: ignore[arg-type]
        (lambda: plot.report_overview("report"), InvalidTypeError, "KPIReport"),  # type: ignore[arg-type]
        (lambda: plot.nps_trend({"created": ["2026-01-01"]}), KeyError, "no KPI 'nps'"),
    ],
)
def test_bad_input(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()
    plt.close("all")


def test_importing_cskpi_does_not_import_matplotlib() -> None:
    code = "import sys, cskpi, cskpi.plot; print('matplotlib' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"


def test_control_chart(tmp_path: Path) -> None:
    chart = cskpi.p_chart([3, 4, 2, 3, 13, 4], [100, 120, 90, 100, 100, 110], period=list("MTWTFS"))
    ax = plot.control_chart(chart)
    lines = ax.get_lines()
    np.testing.assert_array_equal(lines[0].get_ydata(), chart.observed)
    np.testing.assert_array_equal(lines[3].get_ydata(), chart.upper)
    # The one flagged day is marked.
    assert lines[-1].get_xdata().tolist() == [4]
    _save(ax.figure, tmp_path / "control.png")
    with pytest.raises(InvalidTypeError, match="chart must be a ControlChart"):
        plot.control_chart(cskpi.csat([5, 4]))  # type: ignore[arg-type]
