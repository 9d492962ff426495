"""Kill tests for the measures behind service standards (``cskpi._report.standards``): each metric's rows,
parameters, intervals, result objects and error locations, checked against the public metric
functions called directly on the same rows (an independent path) or against hand computations.

The survey and duration measures are closures built by a factory when the registry is created;
the tests also build them afresh (``_rebuilt``) so that the factory itself runs under test.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pytest

import cskpi
from cskpi import (
    InvalidInputError,
    InvalidTypeError,
    Standard,
    UndefinedMetricWarning,
    evaluate_standards,
)
from cskpi._report import standards as _standards
from cskpi._report.io import ContactsTable
from cskpi._report.standards import Measured, build_cells, measure

# The registry's options for each survey metric, restated: the factory takes them as an argument.
_SURVEY_OPTIONS = {
    "nps": lambda params: {},
    "csat": lambda params: {"scale": params["scale"], "satisfied_from": params["satisfied_from"]},
    "ces": lambda params: {"scale": params["scale"], "easy_from": params["easy_from"]},
}
_DURATION_END = {"first_response_time": "first_reply", "resolution_time": "resolved"}


def _rebuilt(metric: str) -> Any:
    """The metric's compute function, built by its factory now (not the one built at import)."""
    if metric in _SURVEY_OPTIONS:
        function = {"nps": cskpi.nps, "csat": cskpi.csat, "ces": cskpi.ces}[metric]
        return _standards._measure_survey(function, metric, _SURVEY_OPTIONS[metric])
    function = {"first_response_time": cskpi.first_response_time, "resolution_time": cskpi.resolution_time}[
        metric
    ]
    return _standards._measure_duration(function, _DURATION_END[metric])


def _measure(
    standard: Standard,
    contacts: Any,
    *,
    period: str | None = None,
    by: str | None = None,
    level: float = 0.95,
) -> Measured:
    """One standard's metric over the cells, through the factory-built closure when there is one."""
    table = contacts if isinstance(contacts, ContactsTable) else ContactsTable(contacts)
    cells = build_cells(table, period, by)
    if standard.metric in _SURVEY_OPTIONS or standard.metric in _DURATION_END:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            return _rebuilt(standard.metric)(table, cells, standard.parameters, level)
    return measure(standard.metric, standard.parameters, table, cells, level)


def _exact(message: str) -> str:
    return "^" + re.escape(message) + "$"


class _LenientDurations(ContactsTable):
    """A contacts table that leaves the sign check of durations to the metric function.

    ``evaluate_standards`` takes any contacts table as it is; the metric's own ``… at index i``
    errors must then still name the table's column and row (not the index in the metric's subset).
    """

    def _durations(self, array: Any, column: str, kind: str) -> Any:
        return np.asarray(array, dtype=np.float64)


def _missing(column: str, why: str, found: str) -> str:
    return (
        f"missing column {column!r}, {why}; columns found: {found}. "
        f"Name the column with --column {column}=NAME or columns={{{column!r}: NAME}}"
    )


# --------------------------------------------------------------------------- measure() and parameters


@pytest.mark.parametrize(
    ("metric", "params", "role", "why"),
    [
        ("nps", {}, "nps", "needed for NPS (0-10 answers)"),
        ("aht", {}, "talk_seconds", "needed for AHT (talk time in seconds)"),
        ("asa", {}, "wait_seconds", "needed for ASA (queue waits in seconds)"),
        ("first_response_within", {"threshold_seconds": 60}, "created", "needed for first responses within "
         "threshold (the contact's creation time)"),
    ],
)  # fmt: skip
def test_missing_role_names_metric_and_meaning(
    metric: str, params: dict[str, Any], role: str, why: str
) -> None:
    standard = Standard(name="s", metric=metric, target=0.5, params=params)
    with pytest.raises(InvalidInputError, match=_exact(_missing(role, why, "csat"))):
        evaluate_standards(standard, {"csat": [5]})


@pytest.mark.parametrize(
    ("params", "message"),
    [
        # A list of pairs is neither a mapping nor a tuple of pairs.
        ([("threshold_seconds", 20)], "params must be a table (mapping) of parameter values; "
         "got [('threshold_seconds', 20)]"),
        # A tuple whose items are not all 2-tuples.
        ((["threshold_seconds", 20],), "params must be a table (mapping) of parameter values; "
         "got (['threshold_seconds', 20],)"),
        ((("threshold_seconds", 20, 1),), "params must be a table (mapping) of parameter values; "
         "got (('threshold_seconds', 20, 1),)"),
        ({1: 20}, "params must have text keys; got 1"),
    ],
)  # fmt: skip
def test_params_shape_messages(params: Any, message: str) -> None:
    with pytest.raises(InvalidTypeError, match=_exact(message)):
        Standard(name="SL", metric="service_level", target=0.8, params=params)


def test_pairs_tuple_accepted() -> None:
    standard = Standard(name="SL", metric="service_level", target=0.8, params=(("threshold_seconds", 20),))
    assert standard.parameters["threshold_seconds"] == 20.0


# --------------------------------------------------------------------------- service level


def test_service_level_short_abandons_and_result() -> None:
    # Waits 5, 30 answered; 3 and 40 abandoned. Short abandons (< 5 s) count as met:
    # met = 5 s answer + 3 s abandon = 2 of 4 offered -> 0.5 (without the short rule: 1 of 4).
    waits = np.array([5.0, 30.0, 3.0, 40.0])
    gave_up = np.array([False, False, True, True])
    params = {"threshold_seconds": 20, "policy": "short_abandoned_as_met", "short_abandon_seconds": 5}
    standard = Standard(name="SL", metric="service_level", target=0.8, params=params)
    direct = cskpi.service_level(
        waits, 20, abandoned=gave_up, policy="short_abandoned_as_met", short_abandon_seconds=5
    )
    assert direct.score == 0.5
    measured = _measure(standard, {"wait_seconds": waits, "abandoned": gave_up})
    assert measured.values.tolist() == [0.5] and measured.n.tolist() == [4]
    assert measured.result is not None and measured.result.n_abandoned_short.tolist() == [1]
    low, high = direct.confidence_interval()
    assert (measured.low.tolist(), measured.high.tolist()) == ([low], [high])


def test_service_level_error_without_index_names_the_wait_column() -> None:
    standard = Standard(name="SL", metric="service_level", target=0.8,
                        params={"threshold_seconds": 20, "policy": "short_abandoned_as_met"})  # fmt: skip
    message = (
        "column 'wait_seconds': short_abandon_seconds must be given with policy 'short_abandoned_as_met' "
        "(it counts abandons shorter than that as met)"
    )
    with pytest.raises(InvalidInputError, match=_exact(message)):
        evaluate_standards(standard, {"wait_seconds": [1.0, 2.0]})


_NEGATIVE_WAIT = "column 'wait_seconds': wait_seconds must be non-negative durations; got -3.0 at index 3"


@pytest.mark.parametrize(
    ("metric", "params"),
    [
        ("service_level", {"threshold_seconds": 20}),
        ("asa", {}),
        ("answer_time_percentile", {}),
        ("abandonment_rate", {"short_abandon_seconds": 1}),
    ],
)
def test_wait_errors_name_table_row(metric: str, params: dict[str, Any]) -> None:
    # Row 1 did not queue (no wait), so the metric sees rows 0, 2, 3 and fails at its index 2:
    # the message must name table row 3 of column 'wait_seconds'.
    contacts = {"wait_seconds": [1.0, np.nan, 2.0, -3.0], "abandoned": [False, False, True, False]}
    standard = Standard(name="s", metric=metric, target=0.5, params=params)
    with pytest.raises(InvalidInputError, match=_exact(_NEGATIVE_WAIT)):
        evaluate_standards(standard, _LenientDurations(contacts))


# --------------------------------------------------------------------------- ASA and percentiles


def test_asa_leaves_abandoned_out() -> None:
    # Answered waits 10 and 20 (the 90 s abandon is left out): ASA = 15 s over 2 answered.
    contacts = {"wait_seconds": [10.0, 20.0, 90.0], "abandoned": [False, False, True]}
    measured = _measure(Standard(name="ASA", metric="asa", target=30), contacts)
    assert measured.values.tolist() == [15.0]
    assert measured.result is not None and measured.result.total_wait_seconds.tolist() == [30.0]
    direct = cskpi.asa([10.0, 20.0, 90.0], abandoned=[False, False, True])
    assert direct.score == 15.0


@pytest.mark.parametrize("policy", ["never_answered", "exclude"])
def test_percentile_abandoned_policy(policy: str) -> None:
    # Waits 10, 20, 30 answered and a 40 s abandon; 60th percentile by the inverted CDF (rank ceil(p n)):
    # never_answered: 4 offered, rank ceil(2.4) = 3 -> 30 s; exclude: 3 answered, rank ceil(1.8) = 2 -> 20 s.
    waits, gave_up = [10.0, 20.0, 30.0, 40.0], [False, False, False, True]
    expected = {"never_answered": 30.0, "exclude": 20.0}[policy]
    direct = cskpi.answer_time_percentile(waits, quantile=0.6, abandoned=gave_up, abandoned_policy=policy)
    assert direct.seconds == expected
    standard = Standard(name="p60", metric="answer_time_percentile", target=60,
                        params={"percentile": 60, "abandoned_policy": policy})  # fmt: skip
    measured = _measure(standard, {"wait_seconds": waits, "abandoned": gave_up})
    assert measured.values.tolist() == [expected]
    assert measured.n.dtype == np.int64 and measured.n.tolist() == [direct.n]


def test_percentile_interval_is_the_order_statistic_interval() -> None:
    # The percentile's distribution-free interval at the standards' level decides "clear".
    waits = np.random.default_rng(2).exponential(20.0, 400)
    standard = Standard(name="p90", metric="answer_time_percentile", target=60, params={"percentile": 90})
    measured = _measure(standard, {"wait_seconds": waits}, level=0.8)
    direct = cskpi.answer_time_percentile(waits, quantile=0.9, confidence_level=0.8)
    low, high = direct.confidence_interval()
    assert (measured.low.tolist(), measured.high.tolist()) == ([low], [high])
    assert measured.low[0] < direct.seconds < measured.high[0] < 60


# --------------------------------------------------------------------------- AHT


_AHT_CONTACTS = {
    "talk_seconds": [100.0, np.nan, 200.0, 300.0],
    "hold_seconds": [10.0, np.nan, 20.0, np.nan],
    "after_work_seconds": [5.0, 5.0, np.nan, 15.0],
    "abandoned": [False, False, False, True],
}


def test_aht_handled_rows_and_parts() -> None:
    # Handled: talk known and not abandoned -> rows 0 and 2; empty hold/after count as 0.
    # (100 + 10 + 5 + 200 + 20 + 0) / 2 = 167.5 s.
    measured = _measure(Standard(name="AHT", metric="aht", target=400), _AHT_CONTACTS)
    assert measured.values.tolist() == [167.5] and measured.n.tolist() == [2]
    direct = cskpi.aht([100.0, 200.0], [10.0, 20.0], [5.0, 0.0])
    assert direct.score == 167.5
    assert measured.result is not None and measured.result.score.tolist() == [167.5]


def test_aht_without_optional_parts() -> None:
    # Talk only: (100 + 200) / 2 = 150 s.
    contacts = {"talk_seconds": [100.0, 200.0]}
    assert _measure(Standard(name="AHT", metric="aht", target=400), contacts).values.tolist() == [150.0]


@pytest.mark.parametrize(
    ("talk", "hold", "message"),
    [
        ([1.0, np.nan, 2.0, -3.0], [0.0, 0.0, 0.0, 0.0],
         "column 'talk_seconds': talk_seconds must be non-negative durations; got -3.0 at index 3"),
        ([1.0, np.nan, 2.0, 3.0], [0.0, 0.0, 0.0, -1.0],
         "column 'hold_seconds': hold_seconds must be non-negative durations; got -1.0 at index 3"),
    ],
)  # fmt: skip
def test_aht_errors_name_table_row(talk: list[float], hold: list[float], message: str) -> None:
    # Row 1 has no talk time (not handled): the metric's index 2 is table row 3.
    contacts = {"talk_seconds": talk, "hold_seconds": hold}
    with pytest.raises(InvalidInputError, match=_exact(message)):
        evaluate_standards(Standard(name="AHT", metric="aht", target=400), _LenientDurations(contacts))


# --------------------------------------------------------------------------- abandonment


def test_abandonment_only_queued_contacts_and_short_abandons() -> None:
    # Queued rows 0-3 (row 4 is an e-mail without a wait); abandons after 2 s and 30 s.
    waits = [2.0, 30.0, 50.0, 3.0, np.nan]
    gave_up = [True, True, False, False, False]
    plain = Standard(name="A", metric="abandonment_rate", target=0.05)
    measured = _measure(plain, {"wait_seconds": waits, "abandoned": gave_up}, level=0.8)
    assert measured.values.tolist() == [0.5] and measured.n.tolist() == [4]  # 2 of 4 queued
    direct = cskpi.abandonment_rate(gave_up[:4])
    low, high = direct.confidence_interval(0.8)
    assert (measured.low.tolist(), measured.high.tolist()) == ([low], [high])
    assert measured.result is not None and measured.result.n_abandoned.tolist() == [2]
    # Without a short-abandon rule and without a wait column every row was offered: 2 of 5.
    assert _measure(plain, {"abandoned": gave_up}).values.tolist() == [0.4]
    # Abandons under 5 s are not counted as offered: 1 abandon of 3 offered.
    short = Standard(name="A5", metric="abandonment_rate", target=0.05, params={"short_abandon_seconds": 5})
    direct_short = cskpi.abandonment_rate(gave_up[:4], wait_seconds=waits[:4], short_abandon_seconds=5)
    assert direct_short.score == pytest.approx(1 / 3)
    measured_short = _measure(short, {"wait_seconds": waits, "abandoned": gave_up})
    assert measured_short.values.tolist() == [direct_short.score] and measured_short.n.tolist() == [3]


def test_abandonment_short_rule_needs_waits() -> None:
    short = Standard(name="A5", metric="abandonment_rate", target=0.05, params={"short_abandon_seconds": 5})
    message = _missing("wait_seconds", "needed for short abandons (queue waits in seconds)", "abandoned")
    with pytest.raises(InvalidInputError, match=_exact(message)):
        evaluate_standards(short, {"abandoned": [True, False]})


# --------------------------------------------------------------------------- first response within


_MONDAY = "2026-01-05"


def test_response_within_leaves_abandoned_out_with_interval() -> None:
    # Non-abandoned tickets: replied after 10 min, and never -> 1 of 2 within an hour.
    # The abandoned one (replied after 2 h) is left out.
    contacts = {
        "created": [f"{_MONDAY}T09:00"] * 3,
        "first_reply": [f"{_MONDAY}T09:10", f"{_MONDAY}T11:00", ""],
        "abandoned": [False, True, False],
    }
    standard = Standard(
        name="1h", metric="first_response_within", target=0.9, params={"threshold_seconds": 3600}
    )
    measured = _measure(standard, contacts, level=0.8)
    assert measured.values.tolist() == [0.5] and measured.n.tolist() == [2]
    direct = cskpi.service_level([600.0, 0.0], 3600, abandoned=[False, True])  # unanswered = missed
    assert direct.score == 0.5
    low, high = direct.confidence_interval(0.8)
    assert (measured.low.tolist(), measured.high.tolist()) == ([low], [high])
    assert measured.result is not None and measured.result.score.tolist() == [0.5]


@pytest.mark.parametrize("abandoned", [None, [False, True, False, False, False]])
def test_response_within_error_names_table_row(abandoned: list[bool] | None) -> None:
    # Rows 1 and 2 have no reply (row 1 is also abandoned in the second case): business_seconds sees the
    # answered rows 0, 3, 4 and fails at its index 2 (reply before creation); the message names row 4.
    contacts: dict[str, Any] = {
        "created": [f"{_MONDAY}T09:00", f"{_MONDAY}T09:00", f"{_MONDAY}T09:00", f"{_MONDAY}T09:00",
                    f"{_MONDAY}T10:00"],
        "first_reply": [f"{_MONDAY}T09:10", "", "", f"{_MONDAY}T09:20", f"{_MONDAY}T09:30"],
    }  # fmt: skip
    if abandoned is not None:
        contacts["abandoned"] = abandoned
    message = (
        "column 'first_reply': ends must not be before starts; got 2026-01-05T09:30:00.000000 before "
        "starts 2026-01-05T10:00:00.000000 at index 4"
    )
    standard = Standard(
        name="1h", metric="first_response_within", target=0.9, params={"threshold_seconds": 3600}
    )
    with pytest.raises(InvalidInputError, match=_exact(message)):
        evaluate_standards(standard, contacts)


def test_business_hours_end_is_used() -> None:
    # Open 09:00-12:00 on weekdays: created Monday 11:30, answered 14:00 -> 30 business minutes (1800 s).
    # With the default close at 17:00 it would be 2.5 h.
    contacts = {
        "created": [f"{_MONDAY}T11:30"],
        "first_reply": [f"{_MONDAY}T14:00"],
        "resolved": [f"{_MONDAY}T14:00"],
    }
    hours = {"threshold_seconds": 3600, "business_hours": ["09:00", "12:00"]}
    within = Standard(name="1bh", metric="first_response_within", target=0.9, params=hours)
    assert evaluate_standards(within, contacts).achieved.item() == 1.0
    calendar = cskpi.BusinessHours.weekdays("09:00", "12:00")
    assert cskpi.business_seconds(np.datetime64(f"{_MONDAY}T11:30"), np.datetime64(f"{_MONDAY}T14:00"),
                                  calendar=calendar) == 1800.0  # fmt: skip
    for metric in ("first_response_time", "resolution_time"):
        standard = Standard(name="t", metric=metric, target=3600,
                            params={"statistic": "mean", "business_hours": ["09:00", "12:00"]})  # fmt: skip
        assert _measure(standard, contacts).values.tolist() == [1800.0]


# --------------------------------------------------------------------------- durations (factory-built)


_DURATION_CONTACTS = {
    # Monday: 10 min, 30 min (abandoned: left out), 50 min, 20 min; Wednesday: 1 h, none yet. Tuesday empty.
    "created": [f"{_MONDAY}T09:00"] * 4 + ["2026-01-07T09:00"] * 2,
    "first_reply": [f"{_MONDAY}T09:10", f"{_MONDAY}T09:30", f"{_MONDAY}T09:50", f"{_MONDAY}T09:20",
                    "2026-01-07T10:00", ""],
    "abandoned": [False, True, False, False, False, False],
}  # fmt: skip
_DURATION_CONTACTS["resolved"] = _DURATION_CONTACTS["first_reply"]


@pytest.mark.parametrize("metric", sorted(_DURATION_END))
@pytest.mark.parametrize(
    ("statistic", "monday"),
    # Monday's measured durations (abandoned left out): 600, 3000, 1200 s; inverted-CDF median = rank
    # ceil(0.5 * 3) = 2nd = 1200 s, p90 = rank ceil(2.7) = 3rd = 3000 s.
    [("mean", 1600.0), ("median", 1200.0), ("p90", 3000.0)],
)
def test_duration_per_day_with_empty_day(metric: str, statistic: str, monday: float) -> None:
    standard = Standard(name="t", metric=metric, target=3600, params={"statistic": statistic})
    measured = _measure(standard, _DURATION_CONTACTS, period="day")
    # Days Monday, Tuesday (no contact), Wednesday (one 3600 s duration, one open).
    assert measured.values[0] == monday and np.isnan(measured.values[1]) and measured.values[2] == 3600.0
    assert measured.n.dtype == np.int64 and measured.n.tolist() == [3, 0, 1]
    # Against the public function on the same rows (abandoned row dropped), per day.
    created = np.array(_DURATION_CONTACTS["created"], dtype="datetime64[s]")
    end = np.array(
        [value or "NaT" for value in _DURATION_CONTACTS[_DURATION_END[metric]]], dtype="datetime64[s]"
    )
    keep = [0, 2, 3, 4, 5]
    function = {"first_response_time": cskpi.first_response_time, "resolution_time": cskpi.resolution_time}[
        metric
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        direct = function(created[keep], end[keep], by=[0, 0, 0, 2, 2])
    assert getattr(direct, f"{statistic}_seconds").tolist() == [monday, 3600.0]
    assert measured.result is not None and measured.result.n.tolist() == direct.n.tolist() == [3, 1]


@pytest.mark.parametrize("metric", sorted(_DURATION_END))
def test_duration_without_abandoned_column(metric: str) -> None:
    # All six rows count: Monday 600, 1800, 3000, 1200 -> mean 6600 / 4 = 1650 s.
    contacts = {key: value for key, value in _DURATION_CONTACTS.items() if key != "abandoned"}
    standard = Standard(name="t", metric=metric, target=3600, params={"statistic": "mean"})
    measured = _measure(standard, contacts, period="day")
    assert measured.values[0] == 1650.0 and measured.n.tolist() == [4, 0, 1]


@pytest.mark.parametrize("metric", sorted(_DURATION_END))
def test_duration_error_names_table_row(metric: str) -> None:
    # Row 1 is abandoned (left out): the end before creation in row 3 is the metric's index 2.
    end = _DURATION_END[metric]
    contacts = {
        "created": [f"{_MONDAY}T09:00", f"{_MONDAY}T09:00", f"{_MONDAY}T09:00", f"{_MONDAY}T10:00"],
        end: [f"{_MONDAY}T09:10", f"{_MONDAY}T09:30", f"{_MONDAY}T09:20", f"{_MONDAY}T09:30"],
        "abandoned": [False, True, False, False],
    }
    message = (
        f"column {end!r}: {end} must not be before created; got 2026-01-05T09:30:00.000000 before "
        "created 2026-01-05T10:00:00.000000 at index 3"
    )
    standard = Standard(name="t", metric=metric, target=3600)
    with pytest.raises(InvalidInputError, match=_exact(message)):
        _measure(standard, contacts)


# --------------------------------------------------------------------------- surveys (factory-built)


_SURVEY_CONTACTS = {
    "created": [f"{_MONDAY}T09:00"] * 5 + ["2026-01-07T09:00"] * 3,
    "nps": [10, 9, np.nan, 3, 7, 10, np.nan, 0],
    "csat": [5, 6, np.nan, 7, 3, 4, 2, np.nan],
    "ces": [7, 5, 4, np.nan, 6, 1, 2, 3],
}


@pytest.mark.parametrize("method", ["wald", "adjusted_wald"])
def test_nps_per_day_equals_nps(method: str) -> None:
    standard = Standard(name="NPS", metric="nps", target=0, params={"method": method})
    measured = _measure(standard, _SURVEY_CONTACTS, period="day", level=0.8)
    # Monday answers 10, 9, 3, 7: 2 promoters, 1 detractor of 4 -> 25; Wednesday 10, 0 -> 0.
    assert measured.values[0] == 25.0 and np.isnan(measured.values[1]) and measured.values[2] == 0.0
    assert measured.n.tolist() == [4, 0, 2]
    for cell, answers in ((0, [10, 9, 3, 7]), (2, [10, 0])):
        direct = cskpi.nps(answers)
        low, high = direct.confidence_interval(0.8, method=method)
        assert (measured.low[cell], measured.high[cell]) == (low, high)
    assert measured.result is not None and measured.result.n.tolist() == [4, 0, 2]


def test_csat_and_ces_use_scale_options() -> None:
    # CSAT on 1..7, satisfied from 6: Monday 5, 6, 7, 3 -> 2 of 4; Wednesday 4, 2 -> 0 of 2.
    csat = Standard(name="CSAT", metric="csat", target=0.8, params={"scale": [1, 7], "satisfied_from": 6})
    measured = _measure(csat, _SURVEY_CONTACTS, period="day", level=0.8)
    assert measured.values[0] == 0.5 and measured.values[2] == 0.0 and measured.n.tolist() == [4, 0, 2]
    direct = cskpi.csat([5, 6, 7, 3], scale=(1, 7), satisfied_from=6)
    assert (measured.low[0], measured.high[0]) == tuple(direct.confidence_interval(0.8))
    # CES on 1..9, easy from 7: Monday 7, 5, 4, 6 -> mean 5.5; Wednesday 1, 2, 3 -> 2.
    ces = Standard(name="CES", metric="ces", target=5, params={"scale": [1, 9], "easy_from": 7})
    measured_ces = _measure(ces, _SURVEY_CONTACTS, period="day")
    direct_ces = cskpi.ces([7, 5, 4, 6], scale=(1, 9), easy_from=7)
    assert measured_ces.values[0] == direct_ces.score == 5.5 and measured_ces.values[2] == 2.0
    low, high = direct_ces.confidence_interval()
    assert (measured_ces.low[0], measured_ces.high[0]) == (low, high)


def test_survey_error_names_column() -> None:
    message = "column 'nps': scores must be integers in 0..10; got 11.0 at index 3"
    with pytest.raises(InvalidInputError, match=_exact(message)):
        _measure(Standard(name="NPS", metric="nps", target=0), {"nps": [10, np.nan, 5, 11]})


def test_confidence_level_reaches_rate_intervals() -> None:
    # 6 of 8 within 20 s; at 80 % the Wilson interval is narrower than at 95 %.
    waits = [5, 8, 12, 15, 19, 3, 40, 75]
    standard = Standard(name="SL", metric="service_level", target=0.8, params={"threshold_seconds": 20})
    result = evaluate_standards(standard, {"wait_seconds": waits}, confidence_level=0.8)
    low, high = cskpi.service_level(waits, 20).confidence_interval(0.8)
    assert (result.low.item(), result.high.item()) == (low, high)
    assert (low, high) != tuple(cskpi.service_level(waits, 20).confidence_interval(0.95))
