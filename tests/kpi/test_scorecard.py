"""Tests of the quality scorecard against hand-computed reviews and a slow reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cskpi import (
    InvalidInputError,
    InvalidTypeError,
    QAScore,
    UndefinedMetricWarning,
    qa_review_scores,
    qa_scorecard,
)
from helpers import read_only

WEIGHTS = [1.0, 2.0, 3.0]
CRITICAL = [False, True, False]


def test_review_scores_hand_computed() -> None:
    # Weights 1, 2, 3 (total 6); item 2 is critical.
    # Review 1 passes all: 6/6 = 1. Review 2 half-credit on item 3: (1 + 2 + 1.5) / 6 = 0.75.
    # Review 3 fails the critical item: 0 whatever else. Review 4 fails item 1 only: 5/6.
    checks = [[1, 1, 1], [1, 1, 0.5], [1, 0, 1], [0, 1, 1]]
    scores = qa_review_scores(checks, WEIGHTS, critical=CRITICAL)
    assert scores.tolist() == pytest.approx([1.0, 0.75, 0.0, 5 / 6])


def test_not_applicable_items_leave_numerator_and_denominator() -> None:
    # Item 1 not applicable: (2 * 1 + 3 * 0) / (2 + 3) = 0.4.
    checks = np.array([[np.nan, 1, 0]])
    with pytest.raises(InvalidInputError, match=r"checks must not contain NaN.*\(0, 0\)"):
        qa_review_scores(checks, WEIGHTS)
    assert qa_review_scores(checks, WEIGHTS, nan_policy="omit").tolist() == pytest.approx([0.4])
    # A not-applicable critical item is not a failure: (1 + 3) / (1 + 3) = 1.
    critical_na = np.array([[1, np.nan, 1]])
    scores = qa_review_scores(critical_na, WEIGHTS, critical=CRITICAL, nan_policy="omit")
    assert scores.tolist() == [1.0]


def test_review_without_applicable_items_is_undefined() -> None:
    checks = np.array([[np.nan, np.nan, np.nan], [1, 1, 1]])
    with pytest.warns(UndefinedMetricWarning, match="QA review score"):
        scores = qa_review_scores(checks, WEIGHTS, nan_policy="omit")
    assert math.isnan(scores[0]) and scores[1] == 1.0
    card = qa_scorecard(checks, WEIGHTS, nan_policy="omit")
    assert (card.n_reviews, card.n_unscored, card.score) == (1, 1, 1.0)


def test_booleans_are_pass_fail() -> None:
    checks = np.array([[True, True, False]])
    assert qa_review_scores(checks, WEIGHTS).tolist() == pytest.approx([0.5])


def test_scorecard_by_agent_hand_computed() -> None:
    checks = [[1, 1, 1], [1, 1, 0.5], [1, 0, 1], [0, 1, 1]]
    card = qa_scorecard(checks, WEIGHTS, critical=CRITICAL, by=["ann", "ann", "bob", "bob"])
    # ann: (1 + 0.75) / 2 = 0.875; bob: (0 + 5/6) / 2 = 0.41667, one critical failure.
    assert card.score.tolist() == pytest.approx([0.875, 5 / 12])
    assert card.critical_failure_rate.tolist() == [0.0, 0.5]
    bob = card["bob"]
    assert isinstance(bob, QAScore)
    assert bob.total == pytest.approx(5 / 6)
    assert bob.total_squares == pytest.approx(25 / 36)


def test_scorecard_interval_hand_computed() -> None:
    # Review scores 1, 0.75, 0, 5/6: mean 0.6458; sample variance from the sums.
    scores = np.array([1.0, 0.75, 0.0, 5 / 6])
    card = qa_scorecard([[1, 1, 1], [1, 1, 0.5], [1, 0, 1], [0, 1, 1]], WEIGHTS, critical=CRITICAL)
    assert card.score == pytest.approx(scores.mean())
    half = 1.959963984540054 * scores.std(ddof=1) / 2
    low, high = card.confidence_interval(method="normal")
    assert low == pytest.approx(max(scores.mean() - half, 0.0))
    assert high == pytest.approx(min(scores.mean() + half, 1.0))
    # Default Student's t with 3 degrees of freedom: t_{0.975, 3} = 3.182446 (t-tables: 3.182).
    half = 3.182446305 * scores.std(ddof=1) / 2
    low, high = card.confidence_interval()
    assert low == pytest.approx(max(scores.mean() - half, 0.0))
    assert high == pytest.approx(min(scores.mean() + half, 1.0))


def _reference_review(row: list[float], weights: list[float], critical: list[bool]) -> float:
    points = possible = 0.0
    for value, weight, is_critical in zip(row, weights, critical, strict=True):
        if math.isnan(value):
            continue
        if is_critical and value == 0:
            return 0.0
        points += weight * value
        possible += weight
    return points / possible if possible else math.nan


@st.composite
def scorecards(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n_items = draw(st.integers(1, 5))
    n_reviews = draw(st.integers(1, 30))
    critical = draw(hnp.arrays(np.bool_, n_items))
    weights = draw(hnp.arrays(np.float64, n_items, elements=st.sampled_from([0.5, 1.0, 2.0, 5.0])))
    values = draw(
        hnp.arrays(np.float64, (n_reviews, n_items), elements=st.sampled_from([0.0, 0.25, 0.5, 1.0, np.nan]))
    )
    values[:, critical] = np.where(np.isnan(values[:, critical]), np.nan, np.round(values[:, critical]))
    values[:, 0] = np.where(np.isnan(values[:, 0]), 1.0, values[:, 0])  # every review has one item
    labels = draw(hnp.arrays(np.int64, n_reviews, elements=st.integers(0, 3)))
    return values, weights, critical, labels


@given(scorecards())
def test_review_scores_match_reference(card: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]) -> None:
    values, weights, critical, _ = card
    fast = qa_review_scores(values, weights, critical=critical, nan_policy="omit")
    slow = [_reference_review(row, weights.tolist(), critical.tolist()) for row in values.tolist()]
    assert fast.tolist() == pytest.approx(slow)
    assert np.all((fast >= 0) & (fast <= 1))


@given(scorecards(), st.data())
def test_scorecard_grouped_and_merge(
    card: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    values, weights, critical, labels = card
    kwargs = {"critical": critical, "nan_policy": "omit"}
    grouped = qa_scorecard(values, weights, by=labels, **kwargs)
    for label in np.unique(labels):
        single = qa_scorecard(values[labels == label], weights, **kwargs)
        assert grouped[label].n_reviews == single.n_reviews
        assert grouped[label].total == pytest.approx(single.total)
        assert grouped[label].n_critical_failures == single.n_critical_failures
    cut = data.draw(st.integers(0, values.shape[0]))
    merged = qa_scorecard(values[:cut], weights, **kwargs) + qa_scorecard(values[cut:], weights, **kwargs)
    whole = qa_scorecard(values, weights, **kwargs)
    assert merged.n_reviews == whole.n_reviews
    assert merged.total == pytest.approx(whole.total)
    assert 0.0 <= whole.score <= 1.0


def test_inputs_not_modified() -> None:
    checks = read_only(np.array([[1.0, np.nan, 0.0]]))
    weights = read_only(np.array([1.0, 1.0, 1.0]))
    critical = read_only(np.array([True, False, False]))
    qa_scorecard(checks, weights, critical=critical, nan_policy="omit", by=read_only(np.array(["a"])))
    assert np.isnan(checks[0, 1])


BAD = [
    (
        {"checks": [[1, 2]], "weights": [1, 1]},
        InvalidInputError,
        "checks must be in [0, 1]; got 2.0 at index (0, 1)",
    ),
    ({"checks": [[1, -0.5]], "weights": [1, 1]}, InvalidInputError, "got -0.5 at index (0, 1)"),
    ({"checks": [1, 0], "weights": [1, 1]}, InvalidInputError, "checks must be 2-D"),
    ({"checks": [["a", "b"]], "weights": [1, 1]}, InvalidTypeError, "checks must contain numbers"),
    (
        {"checks": [[1, 0]], "weights": [1]},
        InvalidInputError,
        "weights must have one weight per item (2); got 1",
    ),
    (
        {"checks": [[1, 0]], "weights": [1, -1]},
        InvalidInputError,
        "weights must be finite and non-negative; got -1.0 at index 1",
    ),
    ({"checks": [[1, 0]], "weights": [1, np.nan]}, InvalidInputError, "weights must be finite"),
    ({"checks": [[1, 0]], "weights": [0, 0]}, InvalidInputError, "weights must not all be zero"),
    ({"checks": [[1, 0]], "weights": ["a", "b"]}, InvalidTypeError, "weights must be numbers"),
    (
        {"checks": [[1, 0]], "weights": [1, 1], "critical": [1, 0]},
        InvalidTypeError,
        "critical must be a boolean mask",
    ),
    (
        {"checks": [[1, 0]], "weights": [1, 1], "critical": [True]},
        InvalidInputError,
        "critical must have one flag per item (2)",
    ),
    (
        {"checks": [[0.5, 0]], "weights": [1, 1], "critical": [True, False]},
        InvalidInputError,
        "checks must be 0 (fail) or 1 (pass) on critical items; got 0.5 at index (0, 0)",
    ),
    (
        {"checks": [[1, 0]], "weights": [1, 1], "nan_policy": "ignore"},
        InvalidInputError,
        "nan_policy must be one of",
    ),
    ({"checks": None, "weights": [1, 1]}, InvalidTypeError, "checks must be array-like; got None"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
@pytest.mark.parametrize("function", [qa_review_scores, qa_scorecard])
def test_bad_input_matrix(function: object, kwargs: dict, error: type, message: str) -> None:
    arguments = dict(kwargs)
    checks, weights = arguments.pop("checks"), arguments.pop("weights")
    with pytest.raises(error) as raised:
        function(checks, weights, **arguments)  # type: ignore[operator]
    assert message in str(raised.value)


def test_scorecard_by_length_checked() -> None:
    with pytest.raises(InvalidInputError, match=r"by must have one label per row \(1\); got length 2"):
        qa_scorecard([[1, 0]], [1, 1], by=["a", "b"])
