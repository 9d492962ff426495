"""Tests of the KPI report: values equal the metric functions, baseline, change, trend, conversions."""

from __future__ import annotations

import csv
import io
import json
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cskpi
from cskpi import InvalidInputError, InvalidTypeError, Standard, kpi_report
from cskpi._core.time import period_labels
from cskpi._report.io import ContactsTable, example_contacts_path
from helpers import example_text_columns


@pytest.fixture(scope="module")
def columns() -> dict[str, Any]:
    table = ContactsTable(example_text_columns())  # the bundled example, read by the csv module
    return {name: table.get(name) for name in ("created", "channel", "customer", "wait_seconds", "abandoned",
                                               "talk_seconds", "hold_seconds", "after_work_seconds",
                                               "first_reply", "resolved", "nps", "csat", "ces")}  # fmt: skip


@pytest.fixture(scope="module")
def report(columns: dict[str, Any]) -> cskpi.KPIReport:
    return kpi_report(columns, period="month", by="channel")


def _cells(report: cskpi.KPIReport, grouped: Any, months: np.ndarray) -> list[tuple[tuple[int, int], Any]]:
    """(group index, period index) of each label of a Grouped result keyed by (channel, month)."""
    groups = report.groups.tolist()
    periods = report.periods.astype(months.dtype)
    return [
        ((groups.index(channel), int(np.flatnonzero(periods == month)[0])), result)
        for (channel, month), result in grouped.items()
    ]


def test_report_values_equal_metric_functions(report: cskpi.KPIReport, columns: dict[str, Any]) -> None:
    months = period_labels(columns["created"], "month")
    channel = columns["channel"]
    queued = ~np.isnan(columns["wait_seconds"])
    handled = ~columns["abandoned"]
    checks = {
        "service_level": cskpi.service_level(
            columns["wait_seconds"][queued], 20, abandoned=columns["abandoned"][queued],
            by=(channel[queued], months[queued]),
        ),
        "asa": cskpi.asa(columns["wait_seconds"][queued], abandoned=columns["abandoned"][queued],
                         by=(channel[queued], months[queued])),
        "abandonment_rate": cskpi.abandonment_rate(columns["abandoned"][queued], by=(channel[queued], months[queued])),
        "aht": cskpi.aht(columns["talk_seconds"][handled], columns["hold_seconds"][handled],
                         columns["after_work_seconds"][handled], by=(channel[handled], months[handled])),
        "nps": cskpi.nps(columns["nps"], by=(channel, months), nan_policy="omit"),
        "csat": cskpi.csat(columns["csat"], by=(channel, months), nan_policy="omit"),
        "ces": cskpi.ces(columns["ces"], by=(channel, months), nan_policy="omit"),
    }  # fmt: skip
    for key, grouped in checks.items():
        series = report[key]
        for cell, result in _cells(report, grouped, months):
            assert series.values[cell] == result.score, key
            assert series.n[cell] == result.n, key
    nps_grouped = checks["nps"]
    for cell, result in _cells(report, nps_grouped, months):
        low, high = result.confidence_interval()
        assert (report["nps"].low[cell], report["nps"].high[cell]) == (low, high)
    # Volume, first response and resolution medians, open cases.
    volume = cskpi.volume(columns["created"], period="month", by=channel)
    np.testing.assert_array_equal(report["volume"].values, volume.n_contacts)
    frt = cskpi.first_response_time(columns["created"][handled], columns["first_reply"][handled],
                                    by=(channel[handled], months[handled]))  # fmt: skip
    resolution = cskpi.resolution_time(columns["created"][handled], columns["resolved"][handled],
                                       by=(channel[handled], months[handled]))  # fmt: skip
    for position, (name, month) in enumerate(zip(*frt.labels, strict=True)):
        cell = (report.groups.tolist().index(name), int(np.flatnonzero(report.periods == month)[0]))
        assert report["frt_median"].values[cell] == frt.median_seconds[position]
        assert report["resolution_median"].values[cell] == resolution.median_seconds[position]
    ends = (report.periods + np.timedelta64(1, "M")).astype("datetime64[s]")
    opened = cskpi.open_cases(
        columns["created"][handled], columns["resolved"][handled], ends, by=channel[handled]
    )
    np.testing.assert_array_equal(report["open_cases"].values, opened.n_open)


def test_retention_equals_cohort_table(columns: dict[str, Any]) -> None:
    report = kpi_report(columns, period="month")
    cohorts = cskpi.repeat_contact_retention(columns["customer"], columns["created"], period="month")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cskpi.UndefinedMetricWarning)
        expected = cohorts.classic_rates[:, 1]
    np.testing.assert_array_equal(report["retention"].values[0], expected)
    np.testing.assert_array_equal(report["retention"].n[0], cohorts.sizes)
    assert report.cohorts == cohorts
    # Retention needs the whole customer history, so it is not broken down by group.
    assert "retention" not in [s.key for s in kpi_report(columns, by="channel").kpis]


def test_hand_computed_small_report() -> None:
    contacts = {
        "created": ["2026-01-05T09:00", "2026-01-20T10:00", "2026-02-03T11:00", "2026-02-10T12:00",
                    "2026-03-02T09:00"],
        "wait_seconds": [10.0, 30.0, 15.0, 5.0, 50.0],
        "nps": [10, 6, 9, 10, np.nan],
    }  # fmt: skip
    report = kpi_report(contacts, period="month")
    assert [s.key for s in report.kpis] == ["volume", "service_level", "asa", "nps"]
    # January: 1 of 2 within 20 s, ASA (10 + 30) / 2 = 20; February 2 of 2, ASA 10; March 0 of 1, ASA 50.
    assert report["service_level"].values.tolist() == [[0.5, 1.0, 0.0]]
    assert report["asa"].values.tolist() == [[20.0, 10.0, 50.0]]
    assert report["volume"].values.tolist() == [[2.0, 2.0, 1.0]]
    # NPS: January (1 promoter, 1 detractor) = 0, February 100, March no answer (NaN, n = 0).
    nps_values = report["nps"].values[0]
    assert nps_values[:2].tolist() == [0.0, 100.0] and np.isnan(nps_values[2])
    assert report["nps"].n.tolist() == [[2, 2, 0]]
    # Changes from the previous period; the first is NaN.
    change = report["asa"].change[0]
    assert np.isnan(change[0]) and change[1:].tolist() == [-10.0, 40.0]
    # Trend from January (baseline) to March: ASA 20 -> 50 s, +150 % > 5 %: up (worse).
    assert report["asa"].trend.tolist() == ["up"] and report["asa"].verdict.tolist() == ["worse"]
    # NPS in March is undefined: no trend.
    assert report["nps"].trend.tolist() == [""]


def test_survey_changes_flagged_only_beyond_margin() -> None:
    # Period 1: 40 promoters, 30 passives, 30 detractors (NPS 10); period 2: 50/30/20 (NPS 30).
    # nps_difference: z = 1.754, interval of the difference (-2.4, 42.4) contains 0 -> not flagged.
    first = [10] * 40 + [7] * 30 + [2] * 30
    second = [10] * 50 + [7] * 30 + [2] * 20
    created = ["2026-01-10"] * 100 + ["2026-02-10"] * 100
    report = kpi_report({"created": created, "nps": first + second}, period="month")
    direct = cskpi.nps_difference(cskpi.nps(second), cskpi.nps(first))
    assert direct.confidence_interval.low < 0 < direct.confidence_interval.high
    assert report["nps"].change[0, 1] == pytest.approx(20.0)
    assert not report["nps"].change_clear[0, 1] and report["nps"].test == "nps_difference"
    assert report["nps"].trend.tolist() == ["flat"]
    # Four times the sample: the same +20 points is now beyond the margin (interval excludes 0).
    report = kpi_report({"created": created * 4, "nps": (first + second) * 4}, period="month")
    assert report["nps"].change_clear[0, 1] and report["nps"].trend.tolist() == ["up"]
    assert report["nps"].verdict.tolist() == ["better"]


def test_rate_changes_use_newcombes_interval_of_the_difference() -> None:
    # CSAT 80 % (40 of 50) in January, 62 % (31 of 50) in February. The two Wilson
    # intervals overlap ([0.670, 0.889] and [0.482, 0.741]), yet the difference is
    # clear: Newcombe's interval of 0.80 - 0.62 is [0.0019, 0.3439], above 0.
    created = ["2026-01-10"] * 50 + ["2026-02-10"] * 50
    ratings = [5] * 40 + [1] * 10 + [5] * 31 + [1] * 19
    report = kpi_report({"created": created, "csat": ratings}, period="month")
    series = report["csat"]
    assert series.test == "rate_difference"
    first, second = cskpi.csat(ratings[:50]), cskpi.csat(ratings[50:])
    assert second.confidence_interval().high > first.confidence_interval().low  # they overlap
    direct = cskpi.rate_difference(second, first)
    assert direct.confidence_interval.high < 0
    assert series.change_clear[0, 1] and series.trend.tolist() == ["down"]
    assert series.verdict.tolist() == ["worse"]
    # One more satisfied answer in February (32 of 50): the interval contains 0, no clear change.
    ratings = [5] * 40 + [1] * 10 + [5] * 32 + [1] * 18
    series = kpi_report({"created": created, "csat": ratings}, period="month")["csat"]
    assert not series.change_clear[0, 1] and series.trend.tolist() == ["flat"]


def test_baseline_choice(columns: dict[str, Any]) -> None:
    default = kpi_report(columns, period="month")
    chosen = kpi_report(columns, period="month", baseline="2026-02-15")
    assert default.baseline_index == 0 and str(default.baseline) == "2026-01"
    assert chosen.baseline_index == 1 and str(chosen.baseline) == "2026-02"
    assert chosen["volume"].baseline[0] == default["volume"].values[0, 1]
    assert kpi_report(columns, period="month", baseline=-1).baseline_index == 3
    with pytest.raises(InvalidInputError, match="baseline must fall in one of the report's periods"):
        kpi_report(columns, period="month", baseline="2025-06")
    with pytest.raises(InvalidInputError, match="baseline must be a period of the report"):
        kpi_report(columns, period="month", baseline=9)


def test_standards_in_report(columns: dict[str, Any]) -> None:
    standards = [Standard(name="SL", metric="service_level", target=0.8, params={"threshold_seconds": 20})]
    report = kpi_report(columns, period="month", by="channel", standards=standards)
    assert report.standards is not None
    direct = cskpi.evaluate_standards(standards, columns, period="month", by="channel")
    assert report.standards == direct
    assert "Standards" in report.to_text() and "standard: SL" in report.rows()[0]


def test_conversions(report: cskpi.KPIReport) -> None:
    rows = report.rows()
    assert len(rows) == 3 * 4  # channels x months
    data = json.loads(report.to_json())
    assert data["groups"] == ["chat", "email", "phone"] and data["periods"][0] == "2026-01"
    assert data["rows"][0]["channel"] == "chat"
    # E-mails have no queue: their service level is None in JSON, empty in CSV.
    email = next(row for row in data["rows"] if row["channel"] == "email")
    assert email["service_level"] is None
    parsed = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert len(parsed) == 12 and parsed[4]["channel"] == "email" and parsed[4]["service_level"] == ""
    markdown = report.to_markdown()
    assert markdown.startswith("## KPI report") and "| period | channel |" in markdown
    assert "<table" in report._repr_html_() and "KPIReport(period='month'" in repr(report)
    text = report.to_text()
    assert "Trend" in text and "nps_difference" in text
    pytest.importorskip("pandas")
    frame = report.to_pandas()
    assert frame.shape[0] == 12 and frame["period"].dtype.kind == "M"
    assert frame.loc[0, "volume"] == report["volume"].values[0, 0]
    polars = pytest.importorskip("polars")
    assert report.to_polars().shape[0] == 12 and report.to_polars().schema["period"] == polars.Date


def test_dataframes_give_the_same_report(columns: dict[str, Any]) -> None:
    pandas = pytest.importorskip("pandas")
    polars = pytest.importorskip("polars")
    expected = kpi_report(columns, period="week", by="channel")
    # polars holds datetimes in ms, us or ns.
    frame_columns = {
        key: value.astype("datetime64[us]") if value.dtype.kind == "M" else value
        for key, value in columns.items()
    }
    assert kpi_report(pandas.DataFrame(frame_columns), period="week", by="channel") == expected
    assert kpi_report(polars.DataFrame(frame_columns), period="week", by="channel") == expected
    from_csv = kpi_report(example_contacts_path(), period="week", by="channel")
    assert from_csv.kpis == expected.kpis


def test_column_mapping() -> None:
    contacts = {"opened": ["2026-01-05", "2026-01-06"], "queue": [3.0, 40.0]}
    report = kpi_report(contacts, columns={"created": "opened", "wait_seconds": "queue"}, period="day")
    assert report["service_level"].values.tolist() == [[1.0, 0.0]]


@pytest.mark.parametrize(
    ("contacts", "kwargs", "error", "message"),
    [
        ({"wait_seconds": [1.0]}, {}, InvalidInputError, "missing column 'created'"),
        ({"created": []}, {}, InvalidInputError, "at least one contact"),
        ({"created": ["2026-01-05"]}, {"period": "fortnight"}, InvalidInputError, "period"),
        ({"created": ["2026-01-05"]}, {"by": "team"}, InvalidInputError, "no column named 'team'"),
        ({"created": ["2026-01-05"]}, {"by": ["team"]}, InvalidTypeError, "by must be the name"),
        (
            {"created": ["2026-01-05"]},
            {"service_level_policy": "x"},
            InvalidInputError,
            "service_level_policy",
        ),
        ({"created": ["2026-01-05"]}, {"trend_tolerance": -1}, InvalidInputError, "trend_tolerance"),
        ({"created": ["2026-01-05"]}, {"confidence_level": 95}, InvalidInputError, "confidence_level"),
        ({"created": ["2026-13-05"]}, {}, InvalidInputError, "column 'created' must be a local timestamp"),
        ({"created": ["2026-01-05T10:00Z"]}, {}, InvalidInputError, "without a time zone"),
        ({"created": ["2026-01-05", None]}, {}, InvalidInputError, "at index 1"),
        (
            {"created": ["2026-01-05"], "wait_seconds": ["x"]},
            {},
            InvalidInputError,
            "'wait_seconds' must be a number",
        ),
        (
            {"created": ["2026-01-05"], "abandoned": ["maybe"]},
            {},
            InvalidInputError,
            "'abandoned' must be true/false",
        ),
        (
            {"created": ["2026-01-05"], "abandoned": [2]},
            {},
            InvalidInputError,
            "'abandoned' must be true/false",
        ),
        ({"created": ["2026-01-05"], "nps": [7.5]}, {}, InvalidInputError, "'nps' must be a survey answer"),
        ({"created": ["2026-01-05"], "nps": [True]}, {}, InvalidTypeError, "'nps' must hold numbers"),
        ({"created": ["2026-01-05", "2026-01-06"], "nps": [1]}, {}, InvalidInputError, "same length"),
        ({"created": [[1, 2]]}, {}, InvalidInputError, "1-D"),
        ("not a table", {}, InvalidInputError, "No such file"),
        (42, {}, InvalidTypeError, "contacts must be a dict"),
        (
            {"created": ["2026-01-05T10:00"], "resolved": ["2026-01-05T09:00"]},
            {},
            InvalidInputError,
            "column 'resolved'",
        ),
    ],
)
def test_bad_input(contacts: Any, kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises((error, FileNotFoundError), match=message):
        kpi_report(contacts, **kwargs)


def test_inputs_not_modified_and_read_only(columns: dict[str, Any]) -> None:
    copies = {key: value.copy() for key, value in columns.items()}
    frozen = {}
    for key, value in columns.items():
        array = value.copy()
        array.setflags(write=False)
        frozen[key] = array
    assert kpi_report(frozen, period="month") == kpi_report(columns, period="month")
    for key, value in columns.items():
        np.testing.assert_array_equal(value, copies[key])


@settings(deadline=None, max_examples=40)
@given(
    days=hnp.arrays(np.int64, st.integers(1, 60), elements=st.integers(0, 90)),
    data=st.data(),
)
def test_random_tables(days: np.ndarray, data: st.DataObject) -> None:
    n = days.shape[0]
    waits = data.draw(hnp.arrays(np.float64, n, elements=st.floats(0, 100, allow_nan=False)))
    answers = data.draw(hnp.arrays(np.float64, n, elements=st.sampled_from([np.nan, 0.0, 7.0, 10.0])))
    channel = data.draw(hnp.arrays("U1", n, elements=st.sampled_from(["a", "b"])))
    created = np.datetime64("2026-01-01") + days.astype("timedelta64[D]")
    contacts = {"created": created, "wait_seconds": waits, "nps": answers, "channel": channel}
    report = kpi_report(contacts, period="week", by="channel")
    # Volume adds up to the table; rates stay in [0, 1], NPS in [-100, 100].
    assert report["volume"].values.sum() == n
    sl = report["service_level"].values
    assert np.all((sl[~np.isnan(sl)] >= 0) & (sl[~np.isnan(sl)] <= 1))
    score = report["nps"].values
    assert np.all(np.abs(score[~np.isnan(score)]) <= 100)
    # Change is the difference of consecutive periods; the overall report is the groups merged.
    np.testing.assert_array_equal(report["asa"].change[:, 1:], np.diff(report["asa"].values, axis=1))
    overall = kpi_report(contacts, period="week")
    np.testing.assert_array_equal(overall["volume"].values[0], report["volume"].values.sum(axis=0))
    # One period holding every contact: the service level of the whole table.
    whole = kpi_report(contacts, period="year")["service_level"].values
    if whole.shape == (1, 1):
        assert whole[0, 0] == cskpi.service_level(waits, 20).score


def test_abandoned_contacts_with_a_blank_wait_still_count() -> None:
    # Call-centre exports leave the wait blank when nobody answered. Six calls: three
    # answered after 10, 30 and 5 s, three abandoned (two with a blank wait).
    data = {
        "created": ["2026-01-05"] * 6,
        "wait_seconds": [10, None, 30, None, 5, 50],
        "abandoned": [False, True, False, True, False, True],
    }
    report = kpi_report(data, period="month")
    assert report["abandonment_rate"].values.tolist() == [[0.5]]  # 3 of 6, not 1 of 4
    assert report["abandonment_rate"].n.tolist() == [[6]]
    # Formula 3 (the default): answered within 20 s / offered = 2 / 6; no wait needed.
    assert report["service_level"].values[0, 0] == pytest.approx(2 / 6)
    assert report["service_level"].n.tolist() == [[6]]
    assert report["asa"].values.tolist() == [[15.0]]  # answered calls only
    # Formula 2 ignores abandons: 2 of the 3 answered.
    ignored = kpi_report(data, period="month", service_level_policy="abandoned_ignored")
    assert ignored["service_level"].values[0, 0] == pytest.approx(2 / 3)


@pytest.mark.parametrize("policy", ["abandoned_within_as_met", "abandoned_within_ignored"])
def test_a_formula_that_needs_the_time_to_abandon_names_the_blank_cell(policy: str, tmp_path: Any) -> None:
    pytest.importorskip("pyarrow")  # files are read with pyarrow
    path = tmp_path / "calls.csv"
    path.write_text("created,wait_seconds,abandoned\n2026-01-05,10,false\n2026-01-05,,true\n")
    with pytest.raises(InvalidInputError) as caught:
        kpi_report(str(path), period="month", service_level_policy=policy)
    message = str(caught.value)
    assert f"{path}: row 2 (line 3), column 'wait_seconds'" in message
    assert f"policy {policy!r} needs the time to abandon" in message
