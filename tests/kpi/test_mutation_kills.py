"""Tests written to kill mutants that survived the module test files (see docs/reliability.md).

Each test pins a behaviour the module tests left open: exact error messages (a message
that names the wrong argument misleads the caller), dtypes and Python scalar types of
results, exact bounds of intervals, and edge counts. Hand-computed values show their
arithmetic in a comment.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import cskpi
from cskpi import InvalidInputError, InvalidTypeError, UndefinedMetricWarning
from cskpi._core.stats import divide, normal_two_sided_p, wald_mean_interval, wilson_interval

# --------------------------------------------------------------------------- _stats


def test_two_sided_p_types_and_float64_arithmetic() -> None:
    # |z| = 1.959964 gives p = 0.05; a scalar gives a Python float, an array a float64 array.
    p = normal_two_sided_p(1.959963984540054)
    assert type(p) is float and abs(p - 0.05) < 1e-12
    array = normal_two_sided_p(np.array([0.0, 1.959963984540054]))
    assert array.dtype == np.float64 and array.tolist()[0] == 1.0
    # float32 input is computed in float64 (erfc of the exact float32 value over sqrt 2).
    z32 = np.float32(1.1)
    assert normal_two_sided_p(z32) == math.erfc(float(z32) / math.sqrt(2.0))


def test_divide_types_float64_and_no_numpy_warnings() -> None:
    assert type(divide(1, 4, "x")) is float and divide(1, 4, "x") == 0.25
    # float32 operands are divided in float64: 1/3 exactly as Python computes it.
    assert divide(np.float32(1.0), np.float32(3.0), "x") == 1.0 / 3.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(divide(math.inf, math.inf, "x"))  # no RuntimeWarning from numpy
    with pytest.warns(UndefinedMetricWarning, match="^share is undefined for zero observations"):
        result = divide(np.array([1.0, 2.0]), np.array([0.0, 4.0]), "share")
    assert math.isnan(result[0]) and result[1] == 0.5


def _wilson_reference(k: int, n: int, z: float) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_wilson_exact_ends_and_reference_values() -> None:
    z = 1.959963984540054
    for n in range(1, 80):
        low, high = wilson_interval(0, n, 0.95)
        assert low == 0.0 and high > 0.0
        low, high = wilson_interval(n, n, 0.95)
        assert high == 1.0 and low < 1.0
    # 1 of 10: centre (0.1 + 0.19207) / 1.38415 = 0.21105, half 0.19315 -> [0.0179, 0.4042]
    low, high = wilson_interval(1, 10, 0.95)
    assert type(low) is float and low > 0.0
    assert (low, high) == pytest.approx(_wilson_reference(1, 10, z), abs=1e-12)
    assert (round(low, 4), round(high, 4)) == (0.0179, 0.4042)
    # float32 counts give the float64 result; arrays give arrays.
    assert wilson_interval(np.float32(3), np.float32(7), 0.95) == wilson_interval(3, 7, 0.95)
    lows, highs = wilson_interval(np.array([1, 10]), np.array([10, 10]), 0.95)
    assert lows.dtype == np.float64 and highs.tolist()[1] == 1.0


def test_wilson_and_wald_at_zero_observations_are_nan_with_a_warning() -> None:
    with pytest.warns(UndefinedMetricWarning, match="Wilson interval is undefined for zero observations"):
        low, high = wilson_interval(0, 0, 0.95)
    assert math.isnan(low) and math.isnan(high)
    with pytest.warns(UndefinedMetricWarning, match="interval for a mean is undefined"):
        assert math.isnan(wald_mean_interval(1.0, 0.5, 0, 0.95)[0])


def test_wald_mean_interval_values_and_types() -> None:
    # mean 3, variance 4, n 16: 3 ± 1.959964 * sqrt(4 / 16) = 3 ± 0.979982
    low, high = wald_mean_interval(3.0, 4.0, 16, 0.95)
    assert type(low) is float
    assert (low, high) == pytest.approx((3.0 - 0.979981992270027, 3.0 + 0.979981992270027), abs=1e-12)
    lows, highs = wald_mean_interval(np.array([3.0, 1.0]), np.array([4.0, 0.0]), np.array([16, 4]), 0.9)
    assert lows.shape == (2,) and lows[1] == highs[1] == 1.0


# --------------------------------------------------------------------------- _scorecard

WEIGHTS = [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    ("checks", "weights", "critical", "error", "message"),
    [
        (
            np.array([[1, "x", 0]], dtype=object),
            WEIGHTS,
            None,
            InvalidTypeError,
            "checks must contain numbers in [0, 1]; got non-numeric values",
        ),
        (
            [["1", "0", "1"]],
            WEIGHTS,
            None,
            InvalidTypeError,
            "checks must contain numbers in [0, 1]; got dtype <U1",
        ),
        ([[1, 0, 1]], ["a", "b", "c"], None, InvalidTypeError, "weights must be numbers; got dtype <U1"),
        ([[1, 0, 1]], [True, True, True], None, InvalidTypeError, "weights must be numbers; got dtype bool"),
        (
            [[1, 0, 1]],
            [[1.0, 2.0, 3.0]],
            None,
            InvalidInputError,
            "weights must be 1-D; got an array of shape (1, 3)",
        ),
        ([[1, 0, 1]], [0, 0, 0], None, InvalidInputError, "weights must not all be zero"),
        (
            [[1, 0, 1]],
            WEIGHTS,
            [[True, False, False]],
            InvalidInputError,
            "critical must be 1-D; got an array of shape (1, 3)",
        ),
        (
            [[1, 0, 1]],
            WEIGHTS,
            [1, 0, 0],
            InvalidTypeError,
            "critical must be a boolean mask over the items; got dtype int64",
        ),
    ],
)
def test_scorecard_error_messages_are_exact(
    checks: object, weights: object, critical: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        cskpi.qa_review_scores(checks, weights, critical=critical)
    assert str(raised.value) == message


def test_scorecard_accepts_object_and_integer_tables() -> None:
    # Object arrays of numbers (pandas object columns) are numbers: (1 + 0 + 3 * 0.5) / 6 = 0.4167
    table = np.array([[1, 0, 0.5]], dtype=object)
    assert cskpi.qa_review_scores(table, WEIGHTS).tolist() == [2.5 / 6.0]
    assert cskpi.qa_review_scores(np.array([[1, 1, 0]], dtype=np.int8), WEIGHTS).tolist() == [0.5]


def test_review_score_warning_names_the_metric() -> None:
    with pytest.warns(UndefinedMetricWarning, match="^QA review score is undefined"):
        scores = cskpi.qa_review_scores([[np.nan, np.nan, np.nan], [1, 1, 1]], WEIGHTS, nan_policy="omit")
    assert math.isnan(scores[0]) and scores[1] == 1.0


def test_scorecard_unscored_reviews_flat_and_grouped() -> None:
    checks = [[np.nan] * 3, [1, 1, 1], [np.nan] * 3, [1, 0, 1]]
    card = cskpi.qa_scorecard([*checks, [1, 1, 1]], WEIGHTS, nan_policy="omit")
    assert (card.n_reviews, card.n_unscored) == (3, 2)
    # Group "z" has only an unscored review: its counts must still be there (minlength).
    grouped = cskpi.qa_scorecard(checks, WEIGHTS, nan_policy="omit", by=["a", "a", "z", "a"])
    assert grouped.n_reviews.tolist() == [2, 0]
    assert grouped.n_unscored.tolist() == [1, 1]
    assert grouped.total.tolist() == [1.0 + 4.0 / 6.0, 0.0]
    assert grouped.total.dtype == np.float64


def test_qa_confidence_interval_values_clipping_and_types() -> None:
    # Scores 1, 0.5, 0.5, 0: mean 0.5, sample variance (0.25 + 0 + 0 + 0.25) / 3 = 1/6,
    # half-width 1.959964 * sqrt(1/6 / 4) = 1.959964 * 0.204124 = 0.400076.
    card = cskpi.qa_scorecard([[1, 1, 1], [1, 1, 0], [1, 1, 0], [0, 0, 0]], [1.0, 1.0, 2.0])
    interval = card.confidence_interval(method="normal")
    assert type(interval.low) is float
    assert (interval.low, interval.high) == pytest.approx((0.5 - 0.400076, 0.5 + 0.400076), abs=1e-6)
    assert (interval.confidence_level, interval.method) == (0.95, "normal")
    assert card.confidence_interval().method == "t"
    # All perfect but one zero: the interval is clipped to [0, 1] on both sides.
    wide = cskpi.qa_scorecard([[1, 1, 1], [0, 0, 0]], WEIGHTS).confidence_interval(0.99)
    assert wide.low == 0.0 and wide.high == 1.0
    grouped = cskpi.qa_scorecard(
        [[1, 1, 1], [0, 0, 0], [1, 1, 1], [1, 1, 1]], WEIGHTS, by=["a", "a", "b", "b"]
    ).confidence_interval()
    assert grouped.low.tolist()[0] == 0.0 and grouped.high.tolist() == [1.0, 1.0]
    assert isinstance(grouped.low, np.ndarray)


def test_qa_confidence_interval_of_one_review_is_quiet_and_of_none_warns() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        one = cskpi.qa_scorecard([[1, 1, 1]], WEIGHTS).confidence_interval()
    with pytest.warns(UndefinedMetricWarning, match="undefined for zero observations"):
        none = cskpi.qa_scorecard(np.zeros((0, 3)), WEIGHTS).confidence_interval()
    assert math.isnan(one.low) or one.low <= 1.0
    assert math.isnan(none.low) and math.isnan(none.high)


def test_stats_results_are_float64_even_for_object_inputs() -> None:
    # pandas object columns reach these helpers as object arrays: results must still be floats.
    objects = np.array([1, 2], dtype=object)
    assert divide(objects, np.array([4.0, 4.0]), "x").dtype == np.float64
    assert divide(np.array([1.0, 2.0]), np.array([4, 4], dtype=object), "x").dtype == np.float64
    low, high = wilson_interval(objects, np.array([10, 10]), 0.95)
    assert low.dtype == np.float64 and high.dtype == np.float64
    low, high = wilson_interval(np.array([1, 2]), np.array([10, 10], dtype=object), 0.95)
    assert low.dtype == np.float64 and high.dtype == np.float64
    for mean, variance, n in (
        (objects, np.array([1.0, 1.0]), np.array([4, 4])),
        (np.array([1.0, 2.0]), np.array([1, 1], dtype=object), np.array([4, 4])),
        (np.array([1.0, 2.0]), np.array([1.0, 1.0]), np.array([4, 4], dtype=object)),
    ):
        low, high = wald_mean_interval(mean, variance, n, 0.95)
        assert low.dtype == np.float64 and high.dtype == np.float64


def test_wald_interval_of_zero_variance_over_zero_rows_warns() -> None:
    with pytest.warns(UndefinedMetricWarning, match="undefined for zero observations"):
        low, high = wald_mean_interval(0.0, 0.0, 0, 0.95)  # 0 / 0 inside: NaN
    assert math.isnan(low) and math.isnan(high)


# --------------------------------------------------------------------------- _survey


def test_nps_interval_messages_fields_and_empty() -> None:
    result = cskpi.nps([10] * 5 + [3] * 5)
    with pytest.raises(InvalidInputError) as raised:
        result.confidence_interval(method="exact")
    assert str(raised.value) == "method must be one of 'wald', 'adjusted_wald', 'bootstrap'; got 'exact'"
    interval = result.confidence_interval(0.9, method="adjusted_wald")
    assert (interval.confidence_level, interval.method) == (0.9, "adjusted_wald")
    empty = cskpi.nps(np.zeros(0, dtype=np.int64))
    with pytest.warns(UndefinedMetricWarning, match="NPS interval is undefined for zero observations"):
        assert math.isnan(empty.confidence_interval().low)
    with pytest.warns(UndefinedMetricWarning, match="margin of error is undefined"):
        assert math.isnan(empty.margin_of_error())


def test_nps_difference_messages_warnings_and_interval() -> None:
    a = cskpi.nps([10] * 50 + [7] * 30 + [2] * 20)
    b = cskpi.nps([10] * 40 + [7] * 30 + [2] * 30)
    with pytest.raises(InvalidTypeError) as raised:
        cskpi.nps_difference([10, 9], b)  # type: ignore[arg-type]
    assert str(raised.value) == "a must be an NPS result; got list"
    with pytest.raises(InvalidInputError) as raised:
        cskpi.nps_difference(cskpi.nps([10, 9], by=["x", "y"]), cskpi.nps([10], by=["x"]))
    assert str(raised.value) == "a and b must be grouped with the same labels to compare per group"
    # difference 20 points, se 100 * sqrt(0.61/100 + 0.69/100) = 11.402; 95 %: 20 ± 22.348
    test = cskpi.nps_difference(a, b, confidence_level=0.95)
    assert test.confidence_interval.high == pytest.approx(20.0 + 1.959963984540054 * 11.40175425, abs=1e-6)
    assert test.confidence_interval.low == pytest.approx(20.0 - 1.959963984540054 * 11.40175425, abs=1e-6)
    assert (test.confidence_interval.confidence_level, test.confidence_interval.method) == (0.95, "wald")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cskpi.nps_difference(a, cskpi.nps([10]))  # one answer in b: defined, no warning
        same = cskpi.nps_difference(a, a)  # difference 0 with variance: defined, no warning
    assert same.difference == 0.0 and same.p_value == 1.0
    with pytest.warns(
        UndefinedMetricWarning, match="^NPS difference is undefined when a sample has zero answers"
    ):
        cskpi.nps_difference(a, cskpi.nps(np.zeros(0, dtype=np.int64)))
    with pytest.warns(UndefinedMetricWarning, match="^NPS difference test is undefined when both samples"):
        cskpi.nps_difference(cskpi.nps([10, 10]), cskpi.nps([10]))


@pytest.mark.parametrize(
    ("answers", "scale", "satisfied_from", "expected"),
    [
        (np.array([100, -100, 60, 0], dtype=np.int8), (-100, 100), 50, (4, 2)),  # int8 shifted by 100
        (np.array([5, 0, 3], dtype=np.uint8), (-3, 10), 4, (3, 1)),  # uint8 minus a negative low
        (np.array([-2, 2, 1, 0], dtype=np.int64), (-2, 2), 1, (4, 2)),
        (np.array([-2.0, 2.0, np.nan, 1.0]), (-2, 2), 1, (3, 2)),  # floats, NaN omitted
    ],
)
def test_csat_on_scales_with_negative_points(
    answers: np.ndarray, scale: tuple[int, int], satisfied_from: int, expected: tuple[int, int]
) -> None:
    result = cskpi.csat(answers, scale=scale, satisfied_from=satisfied_from, nan_policy="omit")
    assert (result.n, result.satisfied) == expected
    grouped = cskpi.csat(
        answers, scale=scale, satisfied_from=satisfied_from, nan_policy="omit", by=["a"] * answers.shape[0]
    )
    assert (grouped.n.tolist(), grouped.satisfied.tolist()) == ([expected[0]], [expected[1]])


def test_grouped_and_aspect_counts_leave_out_missing_answers() -> None:
    # Grouped with NaN omitted: group a has 5 and NaN -> 1 answer; group b has 4, 3 -> 2.
    grouped = cskpi.csat([5.0, np.nan, 4.0, 3.0], by=["a", "a", "b", "b"], nan_policy="omit")
    assert grouped.n.tolist() == [1, 2] and grouped.satisfied.tolist() == [1, 1]
    table = np.array([[5.0, np.nan], [3.0, 4.0], [4.0, 2.0]])
    per_aspect = cskpi.csat(table, aspects=["x", "y"], nan_policy="omit", by=["g", "g", "h"])
    assert per_aspect.n.tolist() == [2, 1, 1, 1]
    assert per_aspect.names == ("by", "aspect")
    assert cskpi.csat(table, aspects=("x", "y"), nan_policy="omit").names == ("aspect",)
    # Aspect names from any iterable (dict keys), and a clear error for a table of names.
    assert cskpi.csat(table, aspects={"x": 0, "y": 1}.keys(), nan_policy="omit").labels.tolist() == ["x", "y"]
    with pytest.raises(InvalidInputError) as raised:
        cskpi.csat(table, aspects=[["x", "y"]], nan_policy="omit")
    assert str(raised.value).startswith("aspects must be 1-D")


def test_ces_nan_policy_and_grouping() -> None:
    with pytest.raises(InvalidInputError, match=r"^ratings must not contain NaN"):
        cskpi.ces([7.0, np.nan])
    with pytest.raises(InvalidInputError, match=r"^nan_policy must be one of"):
        cskpi.ces([7, 5], nan_policy="skip")  # type: ignore[arg-type]
    assert isinstance(cskpi.ces([7, 5], by=["a", "b"]), cskpi.Grouped)


def test_mean_interval_values_types_and_fields() -> None:
    # Ratings 7, 5, 3, 1: mean 4, sample variance (9 + 1 + 1 + 9) / 3 = 20/3,
    # half-width 1.959964 * sqrt(20/3 / 4) = 1.959964 * 1.290994 = 2.530303.
    interval = cskpi.ces([7, 5, 3, 1]).confidence_interval(0.95, method="normal")
    assert (interval.low, interval.high) == pytest.approx((4 - 2.5303026, 4 + 2.5303026), abs=1e-6)
    assert (interval.confidence_level, interval.method) == (0.95, "normal")
    # All answers equal: variance 0, the interval is the point itself.
    flat = cskpi.csat([4, 4, 4]).mean_confidence_interval()
    assert (flat.low, flat.high) == (4.0, 4.0)
    with pytest.warns(
        UndefinedMetricWarning, match="^the interval for a mean rating needs at least two answers"
    ):
        one = cskpi.ces([5], by=["a"]).confidence_interval()
    assert one.low.dtype == np.float64 and math.isnan(one.low[0])
    wilson = cskpi.csat([5, 4, 1]).confidence_interval(0.9)
    assert (wilson.confidence_level, wilson.method) == (0.9, "wilson")


# --------------------------------------------------------------------------- _operations


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cskpi.asa([-1.0]), "wait_seconds must be non-negative durations; got -1.0 at index 0"),
        (lambda: cskpi.asa([1.0], abandoned=[1]), "abandoned must be a boolean mask (True = abandoned)"),
        (
            lambda: cskpi.asa([1.0, 2.0], abandoned=[True]),
            "abandoned must have the same length as wait_seconds (2)",
        ),
        (lambda: cskpi.abandonment_rate([1]), "abandoned must be a boolean mask (True = abandoned)"),
        (lambda: cskpi.abandonment_rate([True], wait_seconds=[-1.0]), "wait_seconds must be non-negative"),
        (
            lambda: cskpi.abandonment_rate([True], short_abandon_seconds=5),
            "wait_seconds must be given with short_abandon_seconds (short abandons are found from the waits)",
        ),
        (lambda: cskpi.aht([-1.0]), "talk_seconds must be non-negative"),
        (lambda: cskpi.occupancy([-1.0], [1.0]), "handle_seconds must be non-negative"),
        (
            lambda: cskpi.occupancy([1.0, 2.0], [5.0]),
            "available_seconds must have the same length as handle_seconds (2); got length 1",
        ),
        (lambda: cskpi.handle_time_against_target([-1.0], 300), "handle_seconds must be non-negative"),
        (lambda: cskpi.handle_time_against_target([1.0], [-300.0]), "target_seconds must be non-negative"),
        (
            lambda: cskpi.handle_time_against_target([1.0, 2.0], [300.0, 300.0, 300.0]),
            "target_seconds must have the same length as handle_seconds (2); got length 3",
        ),
        (
            lambda: cskpi.handle_time_against_target([1.0], 300, deviation_edges=()),
            "deviation_edges must hold at least one edge; got an empty sequence",
        ),
        (
            lambda: cskpi.handle_time_against_target([1.0], 300, deviation_edges=[[0.1]]),
            "deviation_edges must be 1-D",
        ),
    ],
)
def test_operations_messages_name_the_argument(call: object, message: str) -> None:
    with pytest.raises((InvalidInputError, InvalidTypeError)) as raised:
        call()  # type: ignore[operator]
    assert str(raised.value).startswith(message), str(raised.value)


def test_deviation_edges_must_strictly_increase() -> None:
    with pytest.raises(InvalidInputError, match="deviation_edges") as raised:
        cskpi.handle_time_against_target([1.0], 300, deviation_edges=(0.0, 0.5, 0.5))
    assert "index 2" in str(raised.value)
    # A list works as well as a tuple.
    assert cskpi.handle_time_against_target(
        [250.0], 200, deviation_edges=[0.0, 0.5]
    ).deviation_counts.tolist() == [
        0,
        1,
        0,
    ]


def test_deviation_on_an_edge_falls_in_the_lower_bin() -> None:
    # 250 s against 200 s is +25 % exactly: the bin (10%, 25%] (edges are right-closed).
    result = cskpi.handle_time_against_target([250.0], 200)
    assert result.deviation_counts.tolist() == [0, 0, 0, 0, 0, 1, 0, 0, 0]
    assert result.bin_labels[5] == "(10%, 25%]"
    # Wilson interval of the within-target share (0 of 1): [0, 0.7935].
    interval = result.confidence_interval(0.95)
    assert interval.low == 0.0 and interval.high == pytest.approx(0.7934506, abs=1e-6)
    assert interval.confidence_level == 0.95


def test_grouped_asa_and_aht_keep_every_group() -> None:
    # Group z has only an abandoned call: no answered wait, but the group is kept (NaN ASA).
    grouped = cskpi.asa([10.0, 30.0, 99.0], abandoned=[False, False, True], by=["a", "a", "z"])
    assert grouped.n_answered.tolist() == [2, 0]
    assert grouped.total_wait_seconds.tolist() == [40.0, 0.0]
    handle = cskpi.aht([300.0, 200.0, 100.0], by=["a", "a", "b"])
    assert handle.mean_hold_seconds.tolist() == [0.0, 0.0]
    assert handle.mean_after_work_seconds.tolist() == [0.0, 0.0]


# --------------------------------------------------------------------------- _service_level


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: cskpi.service_level([1.0], 20, abandoned=[False], policy="short_abandoned_as_met"),
            "short_abandon_seconds must be given with policy 'short_abandoned_as_met' "
            "(it counts abandons shorter than that as met)",
        ),
        (
            lambda: cskpi.service_level([1.0], 20, exclude_short_abandons=True),
            "short_abandon_seconds must be given with exclude_short_abandons=True",
        ),
        (
            lambda: cskpi.service_level(
                [1.0],
                20,
                policy="short_abandoned_as_met",
                short_abandon_seconds=5,
                exclude_short_abandons=True,
            ),
            "exclude_short_abandons=True contradicts policy 'short_abandoned_as_met', which counts "
            "short abandons as met; choose one",
        ),
        (
            lambda: cskpi.service_level([1.0], []),
            "threshold_seconds must hold at least one threshold; got an empty array",
        ),
        (lambda: cskpi.service_level([1.0], 20, abandoned=[1]), "abandoned must be a boolean mask"),
        (
            lambda: cskpi.service_level([1.0, 2.0], 20, abandoned=[True]),
            "abandoned must have the same length as wait_seconds",
        ),
        (
            lambda: cskpi.answer_time_percentile([1.0], quantile=[]),
            "quantile must hold at least one level; got an empty array",
        ),
        (
            lambda: cskpi.answer_time_percentile([1.0], quantile=None),
            "quantile must be a number or an array of numbers in [0, 1]; got None",
        ),
        (
            lambda: cskpi.answer_time_percentile([1.0], quantile="90"),
            "quantile must be a number or an array of numbers in [0, 1]; got '90'",
        ),
        (
            lambda: cskpi.answer_time_percentile([1.0], quantile=150),
            "quantile levels are fractions in [0, 1]; got 150",
        ),
        (
            lambda: cskpi.answer_time_percentile([1.0], quantile=[0.5, 90]),
            "quantile levels are fractions in [0, 1]; got 90 at index 1 — did you mean 0.9?",
        ),
        (
            lambda: cskpi.answer_time_percentile([1.0], quantile=0.5, abandoned=[1]),
            "abandoned must be a boolean mask",
        ),
    ],
)
def test_service_level_messages_are_exact(call: object, message: str) -> None:
    with pytest.raises((InvalidInputError, InvalidTypeError)) as raised:
        call()  # type: ignore[operator]
    text = str(raised.value)
    assert text == message or (text.startswith(message) and not message.endswith(("0.9", ")"))), text


def test_percentile_results_compare_by_labels() -> None:
    waits = [1.0, 2.0, 3.0, 4.0]
    two_keys = (["a", "a", "b", "b"], [1, 2, 1, 2])
    first = cskpi.answer_time_percentile(waits, quantile=[0.5], by=two_keys)
    assert first == cskpi.answer_time_percentile(waits, quantile=[0.5], by=two_keys)
    assert first != cskpi.answer_time_percentile(
        waits, quantile=[0.5], by=(["a", "a", "b", "b"], [1, 2, 1, 3])
    )
    assert first != cskpi.answer_time_percentile(
        waits, quantile=[0.5], by=(["a", "a", "b", "b"], [1, 2, 1, 2], [0] * 4)
    )
    assert first != cskpi.answer_time_percentile(waits, quantile=[0.5], by=["a", "a", "b", "b"])
    assert first != cskpi.answer_time_percentile(waits, quantile=[0.5])
    flat = cskpi.answer_time_percentile(waits, quantile=[0.5])
    assert flat == cskpi.answer_time_percentile(waits, quantile=[0.5])
    with pytest.warns(UndefinedMetricWarning, match="^answer-time percentile is undefined for zero contacts"):
        cskpi.answer_time_percentile(np.zeros(0), quantile=[0.5])


def test_service_level_counts_are_integers() -> None:
    result = cskpi.service_level([5.0, 25.0, 3.0], 20, abandoned=[False, False, True])
    assert type(result.n) is int and result.n == 3 and result.n_met == 1
    grouped = cskpi.service_level([5.0, 25.0, 3.0], 20, abandoned=[False, False, True], by=["a", "a", "b"])
    assert grouped.n.dtype == np.int64 and grouped.n.tolist() == [2, 1]


# --------------------------------------------------------------------------- _queueing


class _Column:
    """A minimal column object with ``to_numpy()`` only (as pandas and polars Series have)."""

    def __init__(self, values: list[float]) -> None:
        self.values = values

    def to_numpy(self) -> np.ndarray:
        return np.array(self.values)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cskpi.erlang_b(-1.0, 2), "traffic must be finite and non-negative; got -1.0"),
        (
            lambda: cskpi.erlang_b([1.0, -1.0], 2),
            "traffic must be finite and non-negative; got -1.0 at index 1",
        ),
        (
            lambda: cskpi.erlang_b(1.0, 2.5),
            "servers must be whole numbers (a count of agents or lines); got 2.5",
        ),
        (lambda: cskpi.erlang_b(1.0, -2), "servers must be non-negative whole numbers; got -2.0"),
        (
            lambda: cskpi.erlang_c_asa(1.0, 2, aht_seconds=0.0),
            "aht_seconds must be finite and positive; got 0.0",
        ),
        (
            lambda: cskpi.erlang_c_answer_time(1.0, 2, aht_seconds=1.0, quantile=2.0),
            "quantile levels are fractions in [0, 1]; got 2 — did you mean 0.02?",
        ),
        (lambda: cskpi.lines_required(1.0, max_blocking=0.0), "max_blocking must be in (0, 1]; got 0.0"),
        (lambda: cskpi.scheduled_agents(3, shrinkage=1.0), "shrinkage must be in [0, 1); got 1.0"),
        (
            lambda: cskpi.erlang_b(np.array([1.0, 2.0]), np.array([1, 2, 3])),
            "traffic and servers must broadcast to one shape; got shapes traffic (2,), servers (3,)",
        ),
        (
            lambda: cskpi.erlang_b(np.array(["a"], dtype=object), 1),
            "traffic must be numbers; got non-numeric values of dtype object",
        ),
        (
            lambda: cskpi.erlang_b(1e11, 2),
            "traffic must be at most 1e+10 Erlangs (offered traffic); got 100000000000.0",
        ),
    ],
)
def test_queueing_messages_are_exact(call: object, message: str) -> None:
    with pytest.raises((InvalidInputError, InvalidTypeError)) as raised:
        call()  # type: ignore[operator]
    assert str(raised.value) == message


def test_queueing_accepts_columns_and_object_numbers() -> None:
    # Anything with to_numpy() (pandas, polars) and object arrays of numbers are numbers.
    assert cskpi.erlang_b(_Column([1.0, 1.0]), 1).tolist() == [0.5, 0.5]
    assert cskpi.erlang_b(np.array([1, 1.0], dtype=object), 2).tolist() == pytest.approx(
        [0.2, 0.2], rel=1e-15
    )
    assert cskpi.traffic_intensity(_Column([100.0]), aht_seconds=180, interval_seconds=1800).tolist() == [
        10.0
    ]
    # Erlang C is never below Erlang B (it is clipped to [B, 1]): 10 Erlangs, 11 agents.
    b, c = cskpi.erlang_b(10.0, 11), cskpi.erlang_c(10.0, 11)
    assert b <= c <= 1.0 and c == pytest.approx(0.6821, abs=1e-4)


# --------------------------------------------------------------------------- _staffing


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: cskpi.scheduled_agents(-1, shrinkage=0.3),
            "agents must be non-negative whole numbers; got -1.0",
        ),
        (
            lambda: cskpi.agents_required(-1, 180, 1800, service_level=0.8, threshold_seconds=20),
            "calls must be finite and non-negative; got -1.0",
        ),
        (
            lambda: cskpi.agents_required(10, 0, 1800, service_level=0.8, threshold_seconds=20),
            "aht_seconds must be finite and positive; got 0.0",
        ),
        (
            lambda: cskpi.agents_required(10, 180, 0, service_level=0.8, threshold_seconds=20),
            "interval_seconds must be finite and positive; got 0.0",
        ),
        (
            lambda: cskpi.agents_required(10, 180, 1800, service_level=0.8, threshold_seconds=-1),
            "threshold_seconds must be finite and non-negative; got -1.0",
        ),
        (
            lambda: cskpi.agents_required(
                10, 180, 1800, service_level=0.8, threshold_seconds=20, shrinkage=1.0
            ),
            "shrinkage must be in [0, 1); got 1.0",
        ),
        (
            lambda: cskpi.agents_required(
                10, 180, 1800, service_level=0.8, threshold_seconds=20, max_occupancy=0
            ),
            "max_occupancy must be in (0, 1]; got 0.0",
        ),
        (
            lambda: cskpi.agents_required_for_asa(1e9, 180, 1, asa_seconds=10),
            "calls * aht_seconds / interval_seconds must be at most 1e+10 Erlangs (offered traffic); "
            "got 180000000000.0 at index 0",
        ),
    ],
)
def test_staffing_messages_are_exact(call: object, message: str) -> None:
    with pytest.raises((InvalidInputError, InvalidTypeError)) as raised:
        call()  # type: ignore[operator]
    assert str(raised.value) == message


def test_staffing_results_keep_shape_parameters_and_integer_counts() -> None:
    # 14 / (1 - 0.3) = 20.000000000000004 schedules 20; 15 / 0.7 = 21.4 schedules 22.
    assert cskpi.scheduled_agents(14, shrinkage=0.3) == 20
    counts = cskpi.scheduled_agents(np.array([[14, 15]]), shrinkage=0.3)
    assert counts.dtype == np.int64 and counts.tolist() == [[20, 22]]
    grid = cskpi.agents_required(
        np.array([[100.0], [50.0]]), 180, 1800, service_level=0.8, threshold_seconds=20
    )
    assert (
        grid.agents.shape == (2, 1) and grid.traffic.shape == (2, 1) and grid.scheduled_agents.shape == (2, 1)
    )
    single = cskpi.agents_required(100, 180, 1800, service_level=0.8, threshold_seconds=20, shrinkage=0.3)
    assert (single.threshold_seconds, single.shrinkage) == (20.0, 0.3)
    asa = cskpi.agents_required_for_asa(100, 180, 1800, asa_seconds=10)
    assert asa.threshold_seconds is None and asa.service_level is None
    # Results compare by value, NaN-aware, and None only equals None.
    assert single == cskpi.agents_required(
        100, 180, 1800, service_level=0.8, threshold_seconds=20, shrinkage=0.3
    )
    assert asa != cskpi.agents_required_for_asa(100, 180, 1800, asa_seconds=10, threshold_seconds=20)
    assert single != cskpi.agents_required(
        100, 180, 1800, service_level=0.8, threshold_seconds=20, shrinkage=0.2
    )
    with pytest.warns(UndefinedMetricWarning, match="occupancy is undefined for zero agents"):
        idle = cskpi.agents_required(0, 180, 1800, service_level=0.8, threshold_seconds=20)
    with pytest.warns(UndefinedMetricWarning, match="occupancy is undefined for zero agents"):
        again = cskpi.agents_required(0, 180, 1800, service_level=0.8, threshold_seconds=20)
    assert math.isnan(idle.occupancy) and idle == again  # NaN fields compare equal
