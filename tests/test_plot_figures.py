"""Tests of the cskpi.plot functions the definitions pages draw: every formula's curve, answer-time
percentiles, staffing curves, the backlog (skipped without matplotlib).

The drawn values are checked against counts worked out by hand on small inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import cskpi  # noqa: E402
from cskpi import InvalidInputError, InvalidTypeError, plot  # noqa: E402

# Eight calls: seven answered (5, 12, 18, 25, 40, 60, 3 s), one abandoned after 8 s.
WAITS = [5.0, 12.0, 18.0, 25.0, 40.0, 60.0, 8.0, 3.0]
ABANDONED = [False] * 6 + [True, False]


@pytest.fixture(autouse=True)
def _close_figures() -> Any:
    yield
    plt.close("all")


def test_service_level_curve_draws_every_formula() -> None:
    ax = plot.service_level_curve(
        WAITS, abandoned=ABANDONED, policy=cskpi.SERVICE_LEVEL_POLICIES, short_abandon_seconds=5
    )
    lines = ax.get_lines()
    assert [line.get_label() for line in lines[:5]] == list(cskpi.SERVICE_LEVEL_POLICIES)
    at_20 = [float(line.get_ydata()[np.flatnonzero(line.get_xdata() == 20.0)[0]]) for line in lines[:5]]
    # Within 20 s: 4 answered (5, 12, 18, 3) and the abandon (8 s, not shorter than 5 s).
    # 1: (4 + 1) / 8; 2: 4 / 7; 3: 4 / 8; 4: 4 / (8 - 1); 5: (4 + 0) / 8.
    assert at_20 == pytest.approx([5 / 8, 4 / 7, 4 / 8, 4 / 7, 4 / 8])
    assert ax.get_title() == "Service level curves"
    assert len(lines) == 5 + 2  # the target and the threshold lines


def test_service_level_curve_formulas_by_group() -> None:
    ax = plot.service_level_curve(
        WAITS,
        abandoned=ABANDONED,
        policy=["abandoned_as_missed", "abandoned_ignored"],
        by=["a"] * 4 + ["b"] * 4,
    )
    labels = [line.get_label() for line in ax.get_lines()[:4]]
    assert labels == [
        "a, abandoned_as_missed",
        "b, abandoned_as_missed",
        "a, abandoned_ignored",
        "b, abandoned_ignored",
    ]
    # Group b: 40, 60, 8 (abandoned), 3 -> formula 3 at 20 s: 1 / 4; formula 2: 1 / 3.
    line_b3, line_b2 = ax.get_lines()[1], ax.get_lines()[3]
    assert line_b3.get_ydata()[50] == pytest.approx(1 / 4)
    assert line_b2.get_ydata()[50] == pytest.approx(1 / 3)


def test_answer_time_distribution_marks_the_percentiles() -> None:
    waits = [4, 8, 12, 15, 19, 26, 31, 45, 70, 120]
    ax = plot.answer_time_distribution(waits, quantiles=[0.5, 0.8, 0.9], bins=12)
    # Inverted CDF on 10 sorted times: t(5) = 19, t(8) = 45, t(9) = 70.
    assert [float(line.get_xdata()[0]) for line in ax.get_lines()] == [19.0, 45.0, 70.0]
    heights = [patch.get_height() for patch in ax.patches]
    assert sum(heights) == 10 and len(heights) == 12  # every time in one bar of 10 s
    assert heights[:3] == [2, 3, 1]  # [0, 10): 4, 8; [10, 20): 12, 15, 19; [20, 30): 26


def test_answer_time_distribution_puts_the_tail_in_the_last_bar() -> None:
    waits = [4, 8, 12, 15, 19, 26, 31, 45, 70, 120]
    ax = plot.answer_time_distribution(waits, quantiles=[0.9], bins=5, max_seconds=50)
    # Bars of 10 s up to 50 s: 4, 8 | 12, 15, 19 | 26 | 31 | 45, 70, 120 (the last three in the last bar).
    assert [patch.get_height() for patch in ax.patches] == [2, 3, 1, 1, 3]
    assert float(ax.get_lines()[0].get_xdata()[0]) == 70.0  # p90 from every time, not the clipped ones
    assert ax.get_xlabel() == "answer time (s); last bar: 50 s or more"


def test_answer_time_distribution_with_abandons_and_minutes() -> None:
    # Abandoned contacts are never answered: p50 is t(2) = 120 s, p90 is never reached.
    ax = plot.answer_time_distribution(
        [60, 120, 30, 600], abandoned=[False, False, True, True], quantiles=[0.5, 0.9], unit="min"
    )
    assert [float(line.get_xdata()[0]) for line in ax.get_lines() if len(line.get_xdata())] == [2.0]
    labels = ax.get_legend_handles_labels()[1]
    assert "p50 = 2 min" in labels and "p90: never reached" in labels
    assert "abandoned" in labels
    # With abandons left out (the population of ASA), p90 of (60, 120) is 120 s.
    excluded = plot.answer_time_distribution(
        [60, 120, 30, 600], abandoned=[False, False, True, True], quantiles=[0.9], abandoned_policy="exclude"
    )
    assert float(excluded.get_lines()[0].get_xdata()[0]) == 120.0


def test_staffing_curve_draws_each_model_over_the_traffic() -> None:
    calls = np.array([120.0, 600.0, 900.0, 300.0])
    erlang_c = cskpi.agents_required(calls, 300, 1800, service_level=0.8, threshold_seconds=20)
    erlang_a = cskpi.agents_required(
        calls, 300, 1800, service_level=0.8, threshold_seconds=20, patience_seconds=60
    )
    ax = plot.staffing_curve({"Erlang C": erlang_c, "Erlang A": erlang_a}, x=[8, 8.5, 9, 9.5], xlabel="hour")
    traffic, c, a = ax.patches
    # Offered traffic: calls x AHT / interval = calls / 6 Erlangs.
    np.testing.assert_allclose(traffic.get_data().values, calls / 6)
    np.testing.assert_array_equal(c.get_data().values, erlang_c.agents)
    np.testing.assert_array_equal(a.get_data().values, erlang_a.agents)
    np.testing.assert_array_equal(c.get_data().edges, [8, 8.5, 9, 9.5, 10])
    assert ax.get_legend_handles_labels()[1] == ["offered traffic (Erlangs)", "Erlang C", "Erlang A"]
    # One result alone, on interval numbers.
    alone = plot.staffing_curve(erlang_c)
    np.testing.assert_array_equal(alone.patches[1].get_data().edges, [0, 1, 2, 3, 4])


def test_open_cases_with_backlog() -> None:
    created = np.array(["2026-01-01T09:00", "2026-01-02T10:00", "2026-01-02T15:00"], "datetime64[s]")
    resolved = np.array(["2026-01-01T17:00", "2026-01-03T12:00", "NaT"], "datetime64[s]")
    ax = plot.open_cases_over_time(created, resolved, age_limit_seconds=86400)
    # At midnight of 3 Jan: two open (14 h and 9 h old), none older than a day;
    # at midnight of 4 Jan: one open, 33 h old.
    assert ax.get_lines()[0].get_ydata().tolist() == [0, 0, 2, 1]
    assert ax.get_lines()[1].get_ydata().tolist() == [0, 0, 0, 1]
    assert ax.get_lines()[1].get_label() == "open > 1 d"
    grouped = plot.open_cases_over_time(created, resolved, age_limit_seconds=3600, by=["x", "y", "y"])
    labels = [line.get_label() for line in grouped.get_lines()]
    assert labels == ["x", "x, open > 1 h", "y", "y, open > 1 h"]
    assert grouped.get_lines()[3].get_ydata().tolist() == [0, 0, 2, 1]


def test_retention_heatmap_colour_scale() -> None:
    ids = ["a", "b", "a", "b", "c", "a", "c", "d"]
    times = [
        "2024-01-03",
        "2024-01-31",
        "2024-03-01",
        "2024-02-01",
        "2024-02-15",
        "2024-03-20",
        "2024-04-02",
        "2024-04-30",
    ]
    table = cskpi.repeat_contact_retention(ids, times)
    # Classic rates [[1, .5, .5, 0], [1, 0, 1, nan], [1, nan, nan, nan]]: the largest after k = 0 is 1.
    ax = plot.retention_heatmap(table)
    assert ax.images[0].get_clim() == (0.0, 1.0)
    assert [text.get_text() for text in ax.texts] == [
        "100%",
        "50%",
        "50%",
        "0%",
        "100%",
        "0%",
        "100%",
        "100%",
    ]
    # Without the February cohort's return in April the largest later rate is 0.5.
    first_two = cskpi.repeat_contact_retention(ids[:4], times[:4])  # a: Jan, Mar; b: Jan, Feb
    assert plot.retention_heatmap(first_two).images[0].get_clim() == (0.0, 0.5)
    assert plot.retention_heatmap(first_two, vmax=0.8).images[0].get_clim() == (0.0, 0.8)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: plot.service_level_curve(WAITS, policy=[]), InvalidInputError, "at least one formula"),
        (lambda: plot.service_level_curve(WAITS, policy=["nope"]), InvalidInputError, "policy"),
        (lambda: plot.answer_time_distribution(WAITS, unit="hours"), InvalidInputError, "unit"),
        (lambda: plot.answer_time_distribution(WAITS, bins=0), InvalidInputError, "bins"),
        (lambda: plot.answer_time_distribution(WAITS, max_seconds=0), InvalidInputError, "max_seconds"),
        (lambda: plot.answer_time_distribution(WAITS, quantiles=[90]), InvalidInputError, "0.9"),
        (
            lambda: plot.retention_heatmap(cskpi.repeat_contact_retention(["a"], ["2024-01-01"]), vmax=2),
            InvalidInputError,
            "vmax",
        ),
        (lambda: plot.staffing_curve([1, 2]), InvalidTypeError, "Staffing"),  # type: ignore[arg-type]
        (lambda: plot.staffing_curve({}), InvalidTypeError, "Staffing"),
        (
            lambda: plot.staffing_curve(
                cskpi.agents_required([10.0, 20.0], 300, 1800, service_level=0.8, threshold_seconds=20),
                x=[0, 1, 2],
            ),
            InvalidInputError,
            "one start per interval",
        ),
        (
            lambda: plot.staffing_curve(
                cskpi.agents_required([10.0, 20.0, 5.0], 300, 1800, service_level=0.8, threshold_seconds=20),
                x=[0, 1, 3],
            ),
            InvalidInputError,
            "evenly spaced",
        ),
    ],
)
def test_bad_input(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_answer_time_distribution_reads_waits_as_the_percentile_does() -> None:
    pd = pytest.importorskip("pandas")
    seconds = [5.0, 12.0, 40.0, 8.0]
    for waits in (
        pd.Series(pd.to_timedelta(seconds, unit="s")),
        np.array([5, 12, 40, 8], dtype="timedelta64[s]"),
    ):
        ax = plot.answer_time_distribution(
            waits, abandoned=pd.Series([False, False, True, False]), quantiles=[0.5]
        )
        drawn = plot.answer_time_distribution(seconds, abandoned=[False, False, True, False], quantiles=[0.5])
        # The bars are in seconds too, not in the timedelta's own ticks.
        assert ax.get_xlim() == drawn.get_xlim() == (-2.0, 42.0)
        assert [float(line.get_xdata()[0]) for line in ax.get_lines()] == [8.0]
        plt.close("all")
    with pytest.raises(InvalidInputError, match="wait_seconds must hold at least one time"):
        plot.answer_time_distribution([], quantiles=[0.5])
    with pytest.raises(InvalidInputError, match="abandoned"):
        plot.answer_time_distribution(seconds, abandoned=[True], quantiles=[0.5])
