"""Tests of the KPI report: values equal the metric functions, baseline, change, trend, conversions."""

from __future__ import annotations

import csv
import importlib.util
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
    grouped = kpi_report(columns, by="channel")
    assert grouped.cohorts is None and "retention" in [s.key for s in grouped.kpis]


def test_retention_per_group_hand_computed() -> None:
    # Group a: customers 1 and 2 first seen in January, 1 back in February (in a);
    # 3 first seen in February, not back. Group b: 4 in January and March (not back
    # the next month); 2 first seen in b in February, not back in b in March.
    # Customer 2's February contact is in b, so it is no return for group a.
    contacts = {
        "created": ["2026-01-03", "2026-01-09", "2026-02-02", "2026-02-20", "2026-02-21",
                    "2026-01-15", "2026-03-02", "2026-03-05"],
        "channel": ["a", "a", "a", "a", "b", "b", "b", "b"],
        "customer": ["1", "2", "1", "3", "2", "4", "4", ""],
    }  # fmt: skip
    report = kpi_report(contacts, period="month", by="channel")
    series = report["retention"]
    np.testing.assert_array_equal(series.values, [[0.5, 0.0, np.nan], [0.0, 0.0, np.nan]])
    assert series.n.tolist() == [[2, 1, 0], [1, 1, 0]]
    assert series.n_used.tolist() == [[2, 2, 0], [1, 1, 1]]
    assert {r: c.tolist() for r, c in series.excluded.items()} == {"no customer id": [[0, 0, 0], [0, 0, 1]]}
    # Ungrouped: January's cohort {1, 2, 4}, customers 1 and 2 back in February.
    overall = kpi_report(contacts, period="month")["retention"]
    assert overall.values[0, 0] == pytest.approx(2 / 3) and overall.n.tolist() == [[3, 1, 0]]


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
    # Trend from January (baseline) to March: ASA 20 -> 50 s, but one answered call in
    # March gives Welch's test nothing to go on: no clear change, no verdict.
    assert report["asa"].trend.tolist() == ["no clear change"] and report["asa"].verdict.tolist() == [""]
    assert report["asa"].test == "mean_difference"
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
    assert report["nps"].trend.tolist() == ["no clear change"]
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
    assert not series.change_clear[0, 1] and series.trend.tolist() == ["no clear change"]


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
        ({"created": ["2026-01-05"]}, {"empty_periods": None}, InvalidInputError, "empty_periods"),
        (
            {"created": ["2026-01-05"], "wait_seconds": [3]},
            {"service_level_policy": "short_abandoned_as_met"},
            InvalidInputError,
            "needs a short-abandon time",
        ),
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


# --------------------------------------------------------------------------- rows used and excluded

_FLAG = st.sampled_from([False, True])
_DURATION = st.sampled_from([np.nan, 0.0, 12.0, 95.0])


@settings(deadline=None, max_examples=30)
@given(
    days=hnp.arrays(np.int64, st.integers(1, 40), elements=st.integers(0, 70)),
    data=st.data(),
    policy=st.sampled_from(["abandoned_as_missed", "abandoned_ignored"]),
)
def test_every_row_is_used_or_excluded_with_a_reason(
    days: np.ndarray, data: st.DataObject, policy: str
) -> None:
    n = days.shape[0]
    draw = data.draw
    created = np.datetime64("2026-01-01T08:00") + days.astype("timedelta64[D]")
    hours = draw(hnp.arrays(np.float64, n, elements=st.sampled_from([np.nan, 1.0, 30.0])))
    ends = created + np.where(np.isnan(hours), 0, hours).astype("timedelta64[h]")
    contacts = {
        "created": created,
        "channel": draw(hnp.arrays("U1", n, elements=st.sampled_from(["a", "b", "c"]))),
        "customer": draw(hnp.arrays("U2", n, elements=st.sampled_from(["", "c1", "c2", "c3"]))),
        "wait_seconds": draw(hnp.arrays(np.float64, n, elements=_DURATION)),
        "abandoned": draw(hnp.arrays(bool, n, elements=_FLAG)),
        "talk_seconds": draw(hnp.arrays(np.float64, n, elements=_DURATION)),
        "first_reply": np.where(np.isnan(hours), np.datetime64("NaT"), ends),
        "resolved": np.where(draw(hnp.arrays(bool, n, elements=_FLAG)), np.datetime64("NaT"), ends),
        "nps": draw(hnp.arrays(np.float64, n, elements=st.sampled_from([np.nan, 0.0, 9.0]))),
        "csat": draw(hnp.arrays(np.float64, n, elements=st.sampled_from([np.nan, 1.0, 5.0]))),
        "ces": draw(hnp.arrays(np.float64, n, elements=st.sampled_from([np.nan, 2.0, 6.0]))),
    }
    for by in (None, "channel"):
        report = kpi_report(contacts, period="week", by=by, service_level_policy=policy)
        assert {s.key for s in report.kpis} >= {
            "service_level",
            "asa",
            "aht",
            "nps",
            "frt_median",
            "retention",
        }
        volume = report["volume"].values.astype(np.int64)
        for series in report.kpis:
            # Used + excluded = the cell's contacts, for every KPI and every cell.
            np.testing.assert_array_equal(series.n_rows, volume, err_msg=series.key)
            assert np.all(series.n_excluded >= 0), series.key
            if series.key not in ("volume", "open_cases", "retention"):
                # The rows used are the metric's own sample size.
                np.testing.assert_array_equal(series.n_used, series.n, err_msg=series.key)


def test_rows_used_and_excluded_hand_counted() -> None:
    # Six calls: 1 answered with a wait, 2 abandoned (one with a blank wait), 1 never
    # queued (blank wait, not abandoned), 2 answered without a survey answer.
    data = {
        "created": ["2026-01-05"] * 6,
        "wait_seconds": [10, None, 30, None, 5, 50],
        "abandoned": [False, True, False, False, False, True],
        "talk_seconds": [100, None, None, 60, 80, None],
        "nps": [10, None, 3, None, None, 9],
        "customer": ["a", "b", "", "a", "c", ""],
    }
    report = kpi_report(data, period="month")
    expected = {
        "volume": (6, {}),
        "service_level": (5, {"no queue wait": 1}),  # formula 3: abandons count as missed
        "asa": (3, {"no queue wait": 1, "not answered": 2}),
        "aht": (3, {"abandoned": 2, "no talk time": 1}),
        "abandonment_rate": (5, {"no queue wait": 1}),
        "nps": (3, {"not surveyed": 3}),
        "retention": (4, {"no customer id": 2}),
    }
    for key, (used, excluded) in expected.items():
        series = report[key]
        assert int(series.n_used.sum()) == used, key
        assert {r: int(c.sum()) for r, c in series.excluded.items()} == excluded, key
    ignored = kpi_report(data, period="month", service_level_policy="abandoned_ignored")["service_level"]
    assert {r: int(c.sum()) for r, c in ignored.excluded.items()} == {
        "no queue wait": 1,
        "abandoned (formula leaves abandons out)": 2,
    }
    # Present in every output: rows, JSON, CSV, the text and markdown footers.
    row = report.rows()[0]
    assert (row["asa_n_used"], row["asa_n_excluded"]) == (3, 3)
    assert (row["asa_excluded_no_queue_wait"], row["asa_excluded_not_answered"]) == (1, 2)
    kpis = {entry["key"]: entry for entry in json.loads(report.to_json())["kpis"]}
    assert kpis["aht"]["excluded"] == {"abandoned": 2, "no talk time": 1} and kpis["aht"]["n_used"] == 3
    header = next(csv.reader(io.StringIO(report.to_csv())))
    assert {"nps_n_used", "nps_n_excluded", "nps_excluded_not_surveyed"} <= set(header)
    text, markdown = report.to_text(), report.to_markdown()
    assert "Rows used (6 contacts)" in text and "### Rows used (6 contacts)" in markdown
    assert "abandoned 2; no talk time 1" in text and "no customer id 2" in markdown
    assert "formula abandoned_as_missed: an abandoned contact needs no wait, it counts as missed" in text
    for policy, rule in cskpi._report.standards.UNKNOWN_WAIT_RULES.items():
        if policy == "short_abandoned_as_met":  # needs short_abandon_seconds, which the report does not set
            continue
        waits = {**data, "wait_seconds": [10, 40, 30, None, 5, 50]}  # every abandon has its wait
        assert f"formula {policy}: {rule};" in kpi_report(waits, service_level_policy=policy).to_text()


def test_durations_exclude_pending_and_abandoned_contacts() -> None:
    data = {
        "created": ["2026-01-05T09:00"] * 4,
        "first_reply": ["2026-01-05T09:10", None, "2026-01-05T10:00", None],
        "resolved": [None, None, "2026-01-06T09:00", "2026-01-05T12:00"],
        "abandoned": [False, False, False, True],
    }
    report = kpi_report(data, period="month")
    frt, resolution = report["frt_median"], report["resolution_median"]
    assert frt.n_used.tolist() == [[2]] and {r: int(c.sum()) for r, c in frt.excluded.items()} == {
        "abandoned": 1,
        "no reply yet": 1,
    }
    assert {r: int(c.sum()) for r, c in resolution.excluded.items()} == {"abandoned": 1, "still open": 2}
    assert report["open_cases"].n_used.tolist() == [[3]]


# --------------------------------------------------------------------------- periods without contacts


def test_periods_without_contacts_are_omitted_or_marked() -> None:
    # Contacts on 3 of 10 days (1st, 2nd, 10th), channel b only on the 2nd.
    contacts = {
        "created": ["2026-03-01T09:00", "2026-03-02T09:00", "2026-03-02T10:00", "2026-03-10T09:00"],
        "channel": ["a", "a", "b", "a"],
        "nps": [10, 9, 0, 10],
    }
    report = kpi_report(contacts, period="day")
    assert report.periods.shape == (10,)  # the arrays cover the calendar
    assert [row["period"] for row in report.rows()] == ["2026-03-01", "2026-03-02", "2026-03-10"]
    assert len(report.table()[1]) == 3 and report.to_csv().count("\n") == 4
    assert "7 of 10 cells (day) without contacts are not shown." in report.to_text()
    shown = kpi_report(contacts, period="day", empty_periods="show")
    assert len(shown.rows()) == 10 and shown.rows()[2]["volume"] == 0
    labels = [row[0] for row in shown.table()[1]]
    assert labels[2] == "2026-03-03 (no contacts)" and labels[9] == "2026-03-10"
    assert "7 of 10 cells (day) without contacts are marked (no contacts)." in shown.to_text()
    # Grouped: a channel's day without contacts is a cell without contacts too.
    grouped = kpi_report(contacts, period="day", by="channel")
    assert [(row["channel"], row["period"]) for row in grouped.rows()] == [
        ("a", "2026-03-01"), ("a", "2026-03-02"), ("a", "2026-03-10"), ("b", "2026-03-02"),
    ]  # fmt: skip
    # The change still compares consecutive calendar days: NaN after an empty day.
    assert np.isnan(report["nps"].change[0, 9])
    with pytest.raises(InvalidInputError, match="empty_periods must be one of"):
        kpi_report(contacts, empty_periods="hide")


# --------------------------------------------------------------------------- trend


def _two_days(first: int, second: int) -> dict[str, Any]:
    return {"created": ["2026-01-05T09:00"] * first + ["2026-01-06T09:00"] * second}


def test_volume_trend_one_against_one_is_no_clear_change() -> None:
    series = kpi_report(_two_days(1, 1), period="day")["volume"]
    assert series.test == "poisson_counts"
    assert series.trend.tolist() == ["no clear change"] and series.verdict.tolist() == [""]
    assert not series.change_clear[0, 1]
    # 1 against 2 and 3 against 8 are not clear either; 10 against 40 is.
    assert kpi_report(_two_days(1, 2), period="day")["volume"].trend.tolist() == ["no clear change"]
    assert kpi_report(_two_days(3, 8), period="day")["volume"].trend.tolist() == ["no clear change"]
    assert kpi_report(_two_days(10, 40), period="day")["volume"].trend.tolist() == ["up"]
    assert kpi_report(_two_days(40, 10), period="day")["volume"].trend.tolist() == ["down"]


def _exact_binomial_clear(a: int, b: int, level: float) -> bool:
    """Slow reference: the two-sided (equal-tailed) exact binomial test of b ~ Bin(a + b, 1/2)."""
    from math import comb

    n = a + b
    upper = sum(comb(n, k) for k in range(b, n + 1)) / 2**n  # P(X >= b)
    lower = sum(comb(n, k) for k in range(0, b + 1)) / 2**n  # P(X <= b)
    return min(upper, lower) <= (1 - level) / 2


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_count_test_equals_the_exact_binomial_test(level: float) -> None:
    from cskpi._report.report import _counts_apart

    a, b = np.meshgrid(np.arange(0, 41), np.arange(0, 41))
    a, b = a.ravel().astype(np.float64), b.ravel().astype(np.float64)
    got = _counts_apart(a, b, level)
    expected = [_exact_binomial_clear(int(x), int(y), level) for x, y in zip(a, b, strict=True)]
    assert got.tolist() == expected
    # 5 against 15 at 95 %: P(X >= 15 | n = 20) = 0.0207 <= 0.025, clear; 5 against 14: 0.0318, not.
    assert _counts_apart(np.array([5.0, 5.0]), np.array([15.0, 14.0]), 0.95).tolist() == [True, False]


def test_means_trend_by_welch() -> None:
    # January waits mean 14 s, February 44 s, variance 10 each, five calls each:
    # Welch's interval of +30 s is far from 0 -> up (worse).
    created = ["2026-01-05"] * 5 + ["2026-02-05"] * 5
    waits = [10.0, 12.0, 14.0, 16.0, 18.0, 40.0, 42.0, 44.0, 46.0, 48.0]
    talk = [100.0, 300.0, 200.0, 250.0, 150.0, 110.0, 290.0, 210.0, 240.0, 160.0]
    report = kpi_report({"created": created, "wait_seconds": waits, "talk_seconds": talk}, period="month")
    asa = report["asa"]
    direct = cskpi.mean_difference((44.0, 10.0, 5), (14.0, 10.0, 5))
    assert direct.confidence_interval.low > 0
    assert (
        asa.test == "mean_difference" and asa.trend.tolist() == ["up"] and asa.verdict.tolist() == ["worse"]
    )
    assert asa.change_clear[0, 1]
    # AHT 200 s -> 202 s with a large spread: Welch's interval contains 0.
    aht = report["aht"]
    assert aht.values.tolist() == [[200.0, 202.0]]
    january, february = (float(np.var(part, ddof=1)) for part in (talk[:5], talk[5:]))
    aht_direct = cskpi.mean_difference((202.0, february, 5), (200.0, january, 5))
    assert aht_direct.confidence_interval.low < 0 < aht_direct.confidence_interval.high
    assert aht.test == "mean_difference" and aht.trend.tolist() == ["no clear change"]


def test_medians_have_no_test_and_retention_uses_rate_difference() -> None:
    created = ["2026-01-05T09:00"] * 30 + ["2026-02-05T09:00"] * 30
    reply = ["2026-01-05T09:01"] * 30 + ["2026-02-07T09:00"] * 30  # one minute -> two days
    report = kpi_report({"created": created, "first_reply": reply}, period="month")
    frt = report["frt_median"]
    assert frt.test == "none" and frt.trend.tolist() == ["no clear change"] and not frt.change_clear.any()
    # Retention: 20 of 20 January customers back in February, then 0 of 20 February newcomers back.
    customers = [f"c{i}" for i in range(20)] * 2 + [f"n{i}" for i in range(20)]
    created = ["2026-01-05"] * 20 + ["2026-02-05"] * 40 + ["2026-03-05"]
    retention = kpi_report({"created": created, "customer": [*customers, "c0"]}, period="month")["retention"]
    assert retention.test == "rate_difference"
    assert retention.values[0, :2].tolist() == [1.0, 0.0] and retention.change_clear[0, 1]


# --------------------------------------------------------------------------- limits


def test_report_limits_are_checked_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    from cskpi._report import standards as module

    with pytest.raises(
        InvalidInputError, match=r"column 'created', index 1: a year in 1900\.\.2200; got 1850-03-01"
    ):
        kpi_report({"created": ["2026-01-01", "1850-03-01"]})
    with pytest.raises(InvalidInputError, match=r"column 'created', index 0: a year in 1900\.\.2200"):
        cskpi.evaluate_standards(
            Standard(name="CSAT", metric="csat", target=0.8),
            {"created": ["2201-01-01"], "csat": [5]},
            period="month",
        )
    # Groups x periods: 3 channels x 10 days = 30 cells, above a limit of 20.
    monkeypatch.setattr(module, "MAX_CELLS", 20)
    contacts = {"created": ["2026-01-01", "2026-01-10", "2026-01-05"], "channel": ["a", "b", "c"]}
    with pytest.raises(InvalidInputError, match="by='channel' and period='day' give 3 groups x 10 periods"):
        kpi_report(contacts, period="day", by="channel")
    assert kpi_report(contacts, period="month", by="channel")["volume"].values.shape == (3, 1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"metric": ["csat"], "target": 0.8}, "metric must be one of"),
        ({"metric": "csat", "target": 10**400}, "target must be a finite number; got an integer of 401 digits"),
        ({"metric": "csat", "target": 0.8, "params": {"scale": [0, 10**12]}}, "at most 101 points"),
        ({"metric": "csat", "target": 0.8, "direction": {"at": 1}}, "direction must be one of"),
    ],
)  # fmt: skip
def test_standard_fields_of_the_wrong_kind_raise_cleanly(fields: dict[str, Any], message: str) -> None:
    with pytest.raises((InvalidInputError, InvalidTypeError), match=message):
        Standard(name="Goal", **fields)


def test_a_change_is_never_clear_where_it_is_blank() -> None:
    # Retention in the last period has no rate (its next period is not observed): its
    # change from the period before is blank, so it cannot be a clear change. Here 900 of
    # 1,000 new customers come back in January and in February; March has 1,000 new ones.
    rng = np.random.default_rng(0)

    def month(m: int, k: int) -> np.ndarray:
        return np.datetime64(f"2024-{m:02d}-01") + rng.integers(0, 28 * 86400, k).astype("timedelta64[s]")

    created = np.concatenate([month(1, 1000), month(2, 900), month(2, 1000), month(3, 900), month(3, 1000)])
    ids = [
        np.arange(1000),
        np.arange(900),
        np.arange(5000, 6000),
        np.arange(5000, 5900),
        np.arange(9000, 10000),
    ]
    report = kpi_report({"created": created, "customer": np.concatenate(ids).astype(str)}, period="month")
    retention = report["retention"]
    assert retention.values.tolist() == [[0.9, 0.9, pytest.approx(np.nan, nan_ok=True)]]
    assert retention.change_clear.tolist() == [[False, False, False]]
    reports = [report]
    if importlib.util.find_spec("pyarrow") is not None:  # the bundled example file is read by pyarrow
        reports.append(kpi_report(str(example_contacts_path()), period="month", by="channel"))
    for data in reports:
        for series in data.kpis:
            assert not (series.change_clear & np.isnan(series.change)).any(), series.key
            for row in data.rows():
                assert not (row.get(f"{series.key}_change_clear") and row.get(f"{series.key}_change") is None)
