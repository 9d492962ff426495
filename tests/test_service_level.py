"""Tests of service level (five published formulas, curves, groups) and answer-time percentiles."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cskpi import (
    ABANDONED_POLICIES,
    SERVICE_LEVEL_POLICIES,
    AnswerTimePercentiles,
    Grouped,
    InvalidInputError,
    InvalidTypeError,
    ServiceLevel,
    UndefinedMetricWarning,
    answer_time_percentile,
    service_level,
)
from helpers import assert_same_result, read_only

Z95 = 1.959963984540054

# Percentile abandoned policy -> the service-level policy over the same population.
MATCHING_POLICY = {"never_answered": "abandoned_as_missed", "exclude": "abandoned_ignored"}


# --------------------------------------------------------------------------- data


def published_example() -> tuple[np.ndarray, np.ndarray]:
    """ICMI (2002) "Service Level Calculations", reproduced by Call Centre Helper, "Service Level
    Threshold Calculations": 1,000 answered, 860 within 20 s; 60 abandoned, 20 within 20 s and
    40 after, 10 of the 60 within 5 s. Waits chosen to realise exactly those counts."""
    answered = [10.0] * 860 + [30.0] * 140
    abandoned = [3.0] * 10 + [12.0] * 10 + [45.0] * 40
    waits = np.array(answered + abandoned)
    mask = np.array([False] * 1000 + [True] * 60)
    return waits, mask


def reference_service_level(
    waits: Any,
    abandoned: Any,
    threshold: float,
    policy: str,
    short: float | None = None,
    exclude: bool = False,
) -> tuple[int, int]:
    """(met, n) by walking the contacts one by one and applying the policy's published wording."""
    met = n = 0
    for wait, gave_up in zip(waits, abandoned, strict=True):
        is_short = bool(gave_up) and short is not None and wait < short
        if exclude and is_short:
            continue  # not offered, as far as the service level is concerned
        if not gave_up or policy == "abandoned_within_as_met":
            n += 1
            met += wait <= threshold
        elif policy == "abandoned_as_missed":
            n += 1
        elif policy == "abandoned_within_ignored":
            n += wait > threshold
        elif policy == "short_abandoned_as_met":
            n += 1
            met += is_short
        # abandoned_ignored: the abandon plays no part
    return met, n


def reference_percentile(waits: Any, abandoned: Any, percent: float, policy: str) -> float:
    """Smallest observed t with at least p % of the population answered within t, from the definition."""
    population = sorted(
        math.inf if gave_up else float(wait)
        for wait, gave_up in zip(waits, abandoned, strict=True)
        if not (gave_up and policy == "exclude")
    )
    m = len(population)
    for t in population:
        if Fraction(sum(1 for x in population if x <= t)) / m >= Fraction(percent) / 100:
            return t
    raise AssertionError("unreachable: the largest value always qualifies")


@st.composite
def contacts(draw: Any, *, min_size: int = 0, max_size: int = 60) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(min_size, max_size))
    waits = draw(hnp.arrays(np.float64, n, elements=st.integers(0, 40).map(float)))
    mask = draw(hnp.arrays(np.bool_, n))
    return waits, mask


@st.composite
def settings(draw: Any) -> dict[str, Any]:
    """A policy with a short-abandon setting it accepts."""
    policy = draw(st.sampled_from(SERVICE_LEVEL_POLICIES))
    short = draw(st.one_of(st.none(), st.integers(0, 40).map(float)))
    if policy == "short_abandoned_as_met" and short is None:
        short = 5.0
    exclude = short is not None and policy != "short_abandoned_as_met" and draw(st.booleans())
    return {"policy": policy, "short_abandon_seconds": short, "exclude_short_abandons": exclude}


# --------------------------------------------------------------------------- published example


@pytest.mark.parametrize(
    ("policy", "met", "n", "published_percent"),
    [
        # Formula 1: (860 + 20) / (1000 + 60) = 880 / 1060 = 83.0 %  (published: 83 %)
        ("abandoned_within_as_met", 880, 1060, 83),
        # Formula 2: 860 / 1000 = 86 %  (published: 86 %)
        ("abandoned_ignored", 860, 1000, 86),
        # Formula 3: 860 / (1000 + 60) = 81.1 %  (published: 81 %)
        ("abandoned_as_missed", 860, 1060, 81),
        # Formula 4: 860 / (1000 + 40) = 82.7 %  (published: 83 %)
        ("abandoned_within_ignored", 860, 1040, 83),
        # Formula 5, by hand: (860 + 10) / (1000 + 60) = 870 / 1060 = 82.1 % (no figure published)
        ("short_abandoned_as_met", 870, 1060, 82),
    ],
)
def test_published_example(policy: str, met: int, n: int, published_percent: int) -> None:
    waits, mask = published_example()
    result = service_level(waits, 20, abandoned=mask, policy=policy, short_abandon_seconds=5)
    assert (result.n_answered, result.n_answered_within) == (1000, 860)
    assert (result.n_abandoned, result.n_abandoned_within, result.n_abandoned_after) == (60, 20, 40)
    assert result.n_abandoned_short == 10
    assert (result.n_met, result.n) == (met, n)
    assert result.score == met / n
    assert round(100 * result.score) == published_percent
    assert result.policy == policy
    assert result.threshold_seconds == 20.0 and result.short_abandon_seconds == 5.0


def test_published_example_with_short_abandons_excluded() -> None:
    # The 10 abandons under 5 s leave the population: offered 1050, abandoned within 20 s 10.
    waits, mask = published_example()

    def score(policy: str) -> float:
        return service_level(
            waits, 20, abandoned=mask, policy=policy, short_abandon_seconds=5, exclude_short_abandons=True
        ).score

    assert score("abandoned_within_as_met") == (860 + 10) / 1050
    assert score("abandoned_ignored") == 860 / 1000
    assert score("abandoned_as_missed") == 860 / 1050
    # Short abandons are inside "abandoned within 20 s", already left out by formula 4: unchanged.
    assert score("abandoned_within_ignored") == 860 / 1040


def test_policies_are_the_five_in_published_order() -> None:
    assert SERVICE_LEVEL_POLICIES == (
        "abandoned_within_as_met",
        "abandoned_ignored",
        "abandoned_as_missed",
        "abandoned_within_ignored",
        "short_abandoned_as_met",
    )


# --------------------------------------------------------------------------- hand-computed


def test_hand_computed_all_policies() -> None:
    # Answered: 5, 20, 25 s (2 within T = 20 s: the boundary 20 counts as within).
    # Abandoned: 2, 8, 30 s. Short abandon time S = 5 s -> one short abandon (2 s).
    waits = [5, 20, 25, 2, 8, 30]
    mask = [False, False, False, True, True, True]
    expected = {
        "abandoned_within_as_met": (2 + 2, 6),  # 2 answered + 2 abandoned (2, 8) within 20 s
        "abandoned_ignored": (2, 3),
        "abandoned_as_missed": (2, 6),
        "abandoned_within_ignored": (2, 3 + 1),  # only the 30 s abandon counts
        "short_abandoned_as_met": (2 + 1, 6),  # the 2 s abandon is short
    }
    for policy, (met, n) in expected.items():
        result = service_level(waits, 20, abandoned=mask, policy=policy, short_abandon_seconds=5)
        assert (result.n_met, result.n) == (met, n), policy
        assert result.score == met / n


def test_short_abandon_time_longer_than_threshold() -> None:
    # S = 10 s > T = 5 s. Abandons at 3 s (within T, short), 8 s (after T, short), 20 s.
    waits = [1, 4, 9, 3, 8, 20]
    mask = [False, False, False, True, True, True]
    kwargs = {"short_abandon_seconds": 10, "exclude_short_abandons": True}
    # Formula 1: short ones leave; abandoned within T left: 0 -> (2 + 0) / (3 + 1).
    assert service_level(waits, 5, abandoned=mask, policy="abandoned_within_as_met", **kwargs).score == 2 / 4
    # Formula 4: leave out abandons within T or short (3 s, 8 s) -> 2 / (3 + 1).
    assert service_level(waits, 5, abandoned=mask, policy="abandoned_within_ignored", **kwargs).score == 2 / 4
    # Without exclusion formula 4 keeps the 8 s abandon (after T): 2 / (3 + 2).
    assert service_level(waits, 5, abandoned=mask, policy="abandoned_within_ignored").score == 2 / 5
    # Formula 5 credits both short abandons even though one came after T: (2 + 2) / 6.
    assert (
        service_level(
            waits, 5, abandoned=mask, policy="short_abandoned_as_met", short_abandon_seconds=10
        ).score
        == 4 / 6
    )


def test_short_abandon_boundary_is_strict() -> None:
    # An abandon after exactly S seconds is not short (wait < S); within T is wait <= T.
    result = service_level([5.0, 5.0], 5, abandoned=[True, False], short_abandon_seconds=5)
    assert result.n_abandoned_short == 0
    assert result.n_abandoned_within == 1 and result.n_answered_within == 1


def test_without_abandoned_mask_every_policy_is_answered_within_over_answered() -> None:
    for policy in SERVICE_LEVEL_POLICIES:
        result = service_level([1, 2, 30, 40], 20, policy=policy, short_abandon_seconds=5)
        assert result.score == 0.5


def test_default_policy_counts_every_abandon_as_missed() -> None:
    result = service_level([1, 2, 3, 100], 20, abandoned=[False, False, True, False])
    assert result.policy == "abandoned_as_missed"
    assert result.score == 2 / 4


def test_wilson_interval_hand_computed() -> None:
    # 860 of 1060 (formula 3). Wilson: centre (p + z²/2n) / (1 + z²/n), half-width
    # z / (1 + z²/n) * sqrt(p(1-p)/n + z²/4n²).
    waits, mask = published_example()
    ci = service_level(waits, 20, abandoned=mask).confidence_interval()
    p, n = 860 / 1060, 1060
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 / (1 + Z95**2 / n) * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n))
    assert ci.low == pytest.approx(centre - half, rel=1e-12)
    assert ci.high == pytest.approx(centre + half, rel=1e-12)
    assert ci.method == "wilson" and ci.confidence_level == 0.95


def test_empty_input_is_undefined() -> None:
    result = service_level([], 20)
    assert result.n == 0
    with pytest.warns(UndefinedMetricWarning):
        assert math.isnan(result.score)


def test_zero_denominator_under_one_policy_only() -> None:
    # Only abandons: formula 2 has nothing to divide by, formula 3 gives 0.
    result = service_level([3.0, 50.0], 20, abandoned=[True, True], policy="abandoned_ignored")
    with pytest.warns(UndefinedMetricWarning):
        assert math.isnan(result.score)
    assert service_level([3.0, 50.0], 20, abandoned=[True, True]).score == 0.0


# --------------------------------------------------------------------------- curves, units, groups


def test_curve_over_thresholds_in_given_order() -> None:
    waits = [0, 5, 10, 10, 20, 60]
    curve = service_level(waits, [30, 0, 10, 10, 100])
    # Waits <= 30: 5 of 6; <= 0: 1; <= 10: 4 (ties count); <= 100: all.
    assert curve.n_answered_within.tolist() == [5, 1, 4, 4, 6]
    assert curve.n_answered.tolist() == [6] * 5
    assert curve.score.tolist() == [5 / 6, 1 / 6, 4 / 6, 4 / 6, 1.0]
    assert curve.threshold_seconds == (30.0, 0.0, 10.0, 10.0, 100.0)
    low, high = curve.confidence_interval()
    assert low.shape == high.shape == (5,)


def test_curve_equals_one_call_per_threshold() -> None:
    waits, mask = published_example()
    thresholds = [0, 3, 5, 10, 12, 20, 30, 45, 60]
    for policy in SERVICE_LEVEL_POLICIES:
        curve = service_level(waits, thresholds, abandoned=mask, policy=policy, short_abandon_seconds=5)
        for i, t in enumerate(thresholds):
            single = service_level(waits, t, abandoned=mask, policy=policy, short_abandon_seconds=5)
            assert curve.n_met[i] == single.n_met and curve.n[i] == single.n


def test_timedelta_inputs_equal_seconds() -> None:
    seconds = np.array([3.5, 20.0, 21.0, 60.0])
    deltas = (seconds * 1000).astype("timedelta64[ms]")
    mask = np.array([False, False, True, False])
    by_seconds = service_level(seconds, 20, abandoned=mask, short_abandon_seconds=4)
    by_deltas = service_level(
        deltas, np.timedelta64(20, "s"), abandoned=mask, short_abandon_seconds=np.timedelta64(4, "s")
    )
    assert by_seconds == by_deltas
    curve = service_level(deltas, np.array([10, 20], dtype="timedelta64[s]"))
    assert curve.threshold_seconds == (10.0, 20.0)
    assert curve.n_answered_within.tolist() == [1, 2]


def test_grouped_scalar_and_curve() -> None:
    waits = [5, 25, 10, 40, 15]
    mask = [False, False, True, False, False]
    queue = ["sales", "sales", "support", "support", "support"]
    grouped = service_level(waits, 20, abandoned=mask, by=queue)
    assert isinstance(grouped, Grouped)
    assert grouped.labels.tolist() == ["sales", "support"]
    # sales: 1 of 2 within 20 s; support: answered 40 (miss), 15 (hit), abandon -> 1 / 3.
    assert grouped.score.tolist() == [0.5, 1 / 3]
    assert grouped["support"] == service_level([10, 40, 15], 20, abandoned=[True, False, False])
    curve = service_level(waits, [10, 30], abandoned=mask, by=queue)
    assert curve.n_answered_within.shape == (2, 2)
    assert curve.n_answered_within.tolist() == [[1, 2], [0, 1]]
    assert curve["sales"].score.tolist() == [0.5, 1.0]


def test_grouped_by_two_keys() -> None:
    waits = [5, 25, 10, 40]
    result = service_level(waits, 20, by=(["a", "a", "b", "b"], [1, 2, 1, 1]))
    assert result.keys() == [("a", 1), ("a", 2), ("b", 1)]
    assert result[("b", 1)].score == 0.5


def test_merge_needs_equal_parameters() -> None:
    one = service_level([1, 30], 20)
    assert (one + one).n_answered == 4
    with pytest.raises(InvalidInputError, match="threshold_seconds"):
        _ = one + service_level([1, 30], 30)
    with pytest.raises(InvalidInputError, match="policy"):
        _ = one + service_level([1, 30], 20, policy="abandoned_ignored")


def test_read_only_inputs() -> None:
    waits = read_only([1.0, 30.0, 5.0])
    mask = read_only([False, True, False])
    thresholds = read_only([10.0, 20.0])
    result = service_level(waits, thresholds, abandoned=mask, by=read_only(["a", "a", "b"]))
    assert result["a"].n_answered_within.tolist() == [1, 1]
    assert answer_time_percentile(waits, quantile=read_only([0.5]), abandoned=mask).seconds.tolist() == [5.0]


def test_accepts_pandas_like_objects() -> None:
    class Column:
        def __init__(self, values: Any) -> None:
            self.values = np.asarray(values)

        def to_numpy(self) -> np.ndarray:
            return self.values

    result = service_level(Column([1.0, 30.0]), 20, abandoned=Column([False, True]))
    assert result.score == 0.5


# --------------------------------------------------------------------------- properties


@given(data=contacts(), thresholds=st.lists(st.integers(0, 45), min_size=1, max_size=6), kw=settings())
def test_matches_reference_implementation(
    data: tuple[np.ndarray, np.ndarray], thresholds: list[int], kw: dict[str, Any]
) -> None:
    waits, mask = data
    curve = service_level(waits, thresholds, abandoned=mask, **kw)
    for i, t in enumerate(thresholds):
        met, n = reference_service_level(
            waits, mask, t, kw["policy"], kw["short_abandon_seconds"], kw["exclude_short_abandons"]
        )
        assert (curve.n_met[i], curve.n[i]) == (met, n)


@given(
    data=contacts(min_size=1), thresholds=st.lists(st.integers(0, 45), min_size=1, max_size=6), kw=settings()
)
def test_every_share_is_a_fraction(
    data: tuple[np.ndarray, np.ndarray], thresholds: list[int], kw: dict[str, Any]
) -> None:
    waits, mask = data
    result = service_level(waits, thresholds, abandoned=mask, **kw)
    n = np.asarray(result.n)
    assert np.all((np.asarray(result.n_met) >= 0) & (np.asarray(result.n_met) <= n))
    if np.all(n > 0):
        score = result.score
        assert np.all((score >= 0) & (score <= 1))
        low, high = result.confidence_interval()
        assert np.all((low >= 0) & (low <= score + 1e-12) & (score <= high + 1e-12) & (high <= 1))


@given(data=contacts(min_size=1), kw=settings())
def test_service_level_never_falls_as_threshold_grows(
    data: tuple[np.ndarray, np.ndarray], kw: dict[str, Any]
) -> None:
    waits, mask = data
    mask = mask.copy()
    mask[0] = False  # one answered contact keeps every denominator positive
    thresholds = np.arange(0, 46, dtype=np.float64)
    score = service_level(waits, thresholds, abandoned=mask, **kw).score
    assert np.all(np.diff(score) >= 0)


@given(data=contacts(), kw=settings(), permutation_seed=st.randoms(use_true_random=False))
def test_order_invariant(
    data: tuple[np.ndarray, np.ndarray], kw: dict[str, Any], permutation_seed: Any
) -> None:
    waits, mask = data
    order = list(range(waits.shape[0]))
    permutation_seed.shuffle(order)
    assert_same_result(
        service_level(waits, [5, 20], abandoned=mask, **kw),
        service_level(waits[order], [5, 20], abandoned=mask[order], **kw),
    )


@given(data=contacts(), kw=settings(), cut=st.integers(0, 60), scalar=st.booleans())
def test_merge_equals_concatenation(
    data: tuple[np.ndarray, np.ndarray], kw: dict[str, Any], cut: int, scalar: bool
) -> None:
    waits, mask = data
    thresholds: Any = 20 if scalar else [0, 20, 7]
    merged = service_level(waits[:cut], thresholds, abandoned=mask[:cut], **kw) + service_level(
        waits[cut:], thresholds, abandoned=mask[cut:], **kw
    )
    assert_same_result(merged, service_level(waits, thresholds, abandoned=mask, **kw))


@given(data=contacts(min_size=1), kw=settings(), scalar=st.booleans(), labels_seed=st.data())
def test_grouped_equals_per_group(
    data: tuple[np.ndarray, np.ndarray], kw: dict[str, Any], scalar: bool, labels_seed: st.DataObject
) -> None:
    waits, mask = data
    labels = labels_seed.draw(hnp.arrays("U1", waits.shape[0], elements=st.sampled_from("xyz")))
    thresholds: Any = 20 if scalar else [20, 0, 33]
    grouped = service_level(waits, thresholds, abandoned=mask, by=labels, **kw)
    assert grouped.keys() == sorted(set(labels.tolist()))
    for label in grouped:
        keep = labels == label
        assert_same_result(grouped[label], service_level(waits[keep], thresholds, abandoned=mask[keep], **kw))


@given(
    data=contacts(min_size=1), thresholds=st.lists(st.integers(0, 45), min_size=1, max_size=5), kw=settings()
)
def test_grouped_merge_with_different_groups(
    data: tuple[np.ndarray, np.ndarray], thresholds: list[int], kw: dict[str, Any]
) -> None:
    waits, mask = data
    labels = np.where(waits > 20, "late", "early")
    cut = waits.shape[0] // 2
    merged = service_level(
        waits[:cut], thresholds, abandoned=mask[:cut], by=labels[:cut], **kw
    ) + service_level(waits[cut:], thresholds, abandoned=mask[cut:], by=labels[cut:], **kw)
    assert_same_result(merged, service_level(waits, thresholds, abandoned=mask, by=labels, **kw))


# --------------------------------------------------------------------------- percentiles


def test_percentile_hand_computed() -> None:
    waits = [2, 5, 8, 12, 15, 20, 30, 40, 90, 200]
    # ceil(0.5 * 10) = 5th smallest = 15; ceil(0.9 * 10) = 9th = 90; ceil(0.91 * 10) = 10th = 200;
    # ceil(0.7 * 10) = 7th = 30 (0.7 * 10 is 7.000000000000001 in floating point).
    result = answer_time_percentile(waits, quantile=[0.5, 0.9, 0.91, 0.7, 1.0, 0.001])
    assert result.seconds.tolist() == [15.0, 90.0, 200.0, 30.0, 200.0, 2.0]
    assert result.n == 10 and result.quantiles == (0.5, 0.9, 0.91, 0.7, 1.0, 0.001)
    assert result.labels is None
    single = answer_time_percentile(waits, quantile=0.8)
    assert single.seconds == 40.0 and single.quantiles == 0.8


def test_percentile_matches_numpy_inverted_cdf() -> None:
    rng = np.random.default_rng(7)
    waits = rng.exponential(30, size=1001).round(1)
    percents = np.array([1, 10, 25, 50, 75, 80, 90, 95, 99, 100])
    expected = np.quantile(waits, percents / 100, method="inverted_cdf")
    assert np.array_equal(answer_time_percentile(waits, quantile=percents / 100).seconds, expected)


def test_percentile_abandoned_policies() -> None:
    waits = [10, 20, 30, 5, 60]
    mask = [False, False, False, True, True]
    # never_answered: population 10, 20, 30, inf, inf: p40 = 2nd = 20, p60 = 3rd = 30, p61 = inf.
    never = answer_time_percentile(waits, quantile=[0.4, 0.6, 0.61], abandoned=mask)
    assert never.seconds.tolist() == [20.0, 30.0, math.inf]
    assert never.n == 5 and never.abandoned_policy == "never_answered"
    # exclude: population 10, 20, 30: p40 = ceil(1.2) = 2nd = 20, p67 = ceil(2.01) = 3rd = 30.
    excluded = answer_time_percentile(waits, quantile=[0.4, 0.67], abandoned=mask, abandoned_policy="exclude")
    assert excluded.seconds.tolist() == [20.0, 30.0]
    assert excluded.n == 3


def test_percentile_grouped() -> None:
    waits = [1, 2, 3, 4, 10, 20, 30]
    queue = ["a", "a", "a", "a", "b", "b", "b"]
    result = answer_time_percentile(waits, quantile=[0.5, 1.0], by=queue)
    assert result.labels.tolist() == ["a", "b"] and result.names == ("by",)
    # a: ceil(0.5 * 4) = 2nd = 2; b: ceil(0.5 * 3) = 2nd = 20.
    assert result.seconds.tolist() == [[2.0, 4.0], [20.0, 30.0]]
    assert result.n.tolist() == [4, 3]
    assert answer_time_percentile(waits, quantile=0.5, by=queue).seconds.tolist() == [2.0, 20.0]


def test_percentile_group_with_only_abandons_is_undefined() -> None:
    with pytest.warns(UndefinedMetricWarning):
        result = answer_time_percentile(
            [5, 6, 7], quantile=0.5, abandoned=[False, True, True], abandoned_policy="exclude", by=["a", "b", "b"]
        )
    assert result.seconds[0] == 5.0 and math.isnan(result.seconds[1])
    with pytest.warns(UndefinedMetricWarning):
        assert math.isnan(answer_time_percentile([], quantile=0.5).seconds)


def test_percentile_timedelta_input() -> None:
    waits = np.array([2, 5, 8, 12], dtype="timedelta64[s]")
    assert answer_time_percentile(waits, quantile=0.5).seconds == 5.0


def test_percentile_result_equality() -> None:
    a = answer_time_percentile([1, 2, 3], quantile=[0.5, 1.0], by=["x", "x", "y"])
    b = answer_time_percentile([1, 2, 3], quantile=[0.5, 1.0], by=["x", "x", "y"])
    assert isinstance(a, AnswerTimePercentiles) and a == b
    assert a != answer_time_percentile([1, 2, 4], quantile=[0.5, 1.0], by=["x", "x", "y"])


@given(
    data=contacts(min_size=1),
    percents=st.lists(st.sampled_from([1, 12.5, 25, 50, 70, 80, 90, 99.5, 100]), min_size=1, max_size=4),
    policy=st.sampled_from(ABANDONED_POLICIES),
)
def test_percentile_matches_reference(
    data: tuple[np.ndarray, np.ndarray], percents: list[float], policy: str
) -> None:
    waits, mask = data
    if policy == "exclude" and mask.all():
        return  # population empty: covered by the undefined test
    result = answer_time_percentile(
        waits, quantile=[p / 100 for p in percents], abandoned=mask, abandoned_policy=policy
    )
    assert result.seconds.tolist() == [reference_percentile(waits, mask, p, policy) for p in percents]


@given(data=contacts(min_size=1), percent=st.integers(1, 100), policy=st.sampled_from(ABANDONED_POLICIES))
def test_service_level_at_the_percentile_reaches_the_percentage(
    data: tuple[np.ndarray, np.ndarray], percent: int, policy: str
) -> None:
    waits, mask = data
    mask = mask.copy()
    mask[0] = False  # at least one answered contact
    t = answer_time_percentile(waits, quantile=percent / 100, abandoned=mask, abandoned_policy=policy).seconds
    sl = service_level(waits, 0, abandoned=mask, policy=MATCHING_POLICY[policy])
    if math.isinf(t):
        # Fewer than p % of the contacts were ever answered.
        assert sl.n_answered / sl.n < percent / 100
        return
    assert service_level(waits, t, abandoned=mask, policy=MATCHING_POLICY[policy]).score >= percent / 100
    # ... and t is the smallest such time: just below it the percentage is not reached.
    below = np.nextafter(t, -np.inf)
    if below >= 0:
        assert (
            service_level(waits, below, abandoned=mask, policy=MATCHING_POLICY[policy]).score < percent / 100
        )


@given(
    data=contacts(min_size=1),
    percent=st.integers(1, 100),
    target=st.integers(0, 45),
    policy=st.sampled_from(ABANDONED_POLICIES),
)
def test_target_checked_either_way_agrees(
    data: tuple[np.ndarray, np.ndarray], percent: int, target: int, policy: str
) -> None:
    # "p % within T" holds by the share within T exactly when the p-th percentile is <= T.
    waits, mask = data
    mask = mask.copy()
    mask[0] = False
    share = service_level(waits, target, abandoned=mask, policy=MATCHING_POLICY[policy]).score
    p_time = answer_time_percentile(
        waits, quantile=percent / 100, abandoned=mask, abandoned_policy=policy
    ).seconds
    assert (share >= percent / 100) == (p_time <= target)


def test_ninety_within_two_minutes_both_ways() -> None:
    # 100 calls: 88 within 120 s, 2 at 150 s, 10 at 100 s -> 98 within 120 s? No: count it.
    waits = [30.0] * 88 + [150.0] * 2 + [100.0] * 10
    # Within 120 s: 88 + 10 = 98 -> 98 % >= 90 %; p90 = 90th smallest = 100 s <= 120 s.
    assert service_level(waits, 120).score == 0.98
    assert answer_time_percentile(waits, quantile=0.9).seconds == 100.0
    waits = [30.0] * 85 + [150.0] * 15
    # Within 120 s: 85 % < 90 %; p90 = 90th smallest = 150 s > 120 s.
    assert service_level(waits, 120).score == 0.85
    assert answer_time_percentile(waits, quantile=0.9).seconds == 150.0


@given(data=contacts(min_size=1), labels_seed=st.data(), policy=st.sampled_from(ABANDONED_POLICIES))
def test_percentile_grouped_equals_per_group(
    data: tuple[np.ndarray, np.ndarray], labels_seed: st.DataObject, policy: str
) -> None:
    waits, mask = data
    labels = labels_seed.draw(hnp.arrays(np.int64, waits.shape[0], elements=st.integers(-2, 2)))
    percents = [0.1, 0.5, 0.9]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)  # groups of abandons only, with 'exclude'
        grouped = answer_time_percentile(waits, quantile=percents, abandoned=mask, abandoned_policy=policy, by=labels)
        for position, label in enumerate(grouped.labels.tolist()):
            keep = labels == label
            single = answer_time_percentile(
                waits[keep], quantile=percents, abandoned=mask[keep], abandoned_policy=policy
            )
            assert np.array_equal(grouped.seconds[position], single.seconds, equal_nan=True)
            assert grouped.n[position] == single.n


@given(data=contacts(min_size=1), seed=st.randoms(use_true_random=False))
def test_percentile_order_invariant(data: tuple[np.ndarray, np.ndarray], seed: Any) -> None:
    waits, mask = data
    order = list(range(waits.shape[0]))
    seed.shuffle(order)
    assert answer_time_percentile(waits, quantile=[0.25, 0.5, 0.99], abandoned=mask) == answer_time_percentile(
        waits[order], quantile=[0.25, 0.5, 0.99], abandoned=mask[order]
    )


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "names"),
    [
        ({"wait_seconds": None}, InvalidTypeError, "wait_seconds"),
        ({"wait_seconds": "12"}, InvalidTypeError, "wait_seconds"),
        (
            {"wait_seconds": [1.0, -3.0]},
            InvalidInputError,
            "wait_seconds must be non-negative.*-3.0 at index 1",
        ),
        ({"wait_seconds": [1.0, np.nan]}, InvalidInputError, "wait_seconds must not contain NaN.*index 1"),
        ({"wait_seconds": [1.0, np.inf]}, InvalidInputError, "wait_seconds must be finite"),
        ({"wait_seconds": [[1.0, 2.0]]}, InvalidInputError, "wait_seconds must be 1-D"),
        ({"wait_seconds": [True, False]}, InvalidTypeError, "wait_seconds"),
        ({"wait_seconds": ["a", "b"]}, InvalidTypeError, "wait_seconds"),
        ({"wait_seconds": np.array(["NaT", 1], dtype="timedelta64[s]")}, InvalidInputError, "wait_seconds"),
        ({"abandoned": [0, 1, 0]}, InvalidTypeError, "abandoned must be a boolean mask"),
        ({"abandoned": [0.0, 1.0, 0.0]}, InvalidTypeError, "abandoned must be a boolean mask"),
        (
            {"abandoned": [True, False]},
            InvalidInputError,
            "abandoned must have the same length as wait_seconds",
        ),
        ({"abandoned": [[True, False, True]]}, InvalidInputError, "abandoned must be 1-D"),
        ({"threshold_seconds": -1}, InvalidInputError, "threshold_seconds must be a non-negative duration"),
        ({"threshold_seconds": np.nan}, InvalidInputError, "threshold_seconds"),
        ({"threshold_seconds": None}, InvalidTypeError, "threshold_seconds"),
        ({"threshold_seconds": "20"}, InvalidTypeError, "threshold_seconds"),
        ({"threshold_seconds": True}, InvalidTypeError, "threshold_seconds"),
        ({"threshold_seconds": []}, InvalidInputError, "threshold_seconds must hold at least one"),
        (
            {"threshold_seconds": [10, -1]},
            InvalidInputError,
            "threshold_seconds must be non-negative.*index 1",
        ),
        ({"threshold_seconds": [[10, 20]]}, InvalidInputError, "threshold_seconds must be 1-D"),
        ({"policy": "formula_1"}, InvalidInputError, "policy must be one of"),
        ({"policy": 1}, InvalidInputError, "policy must be one of"),
        ({"policy": None}, InvalidInputError, "policy must be one of"),
        ({"policy": "short_abandoned_as_met"}, InvalidInputError, "short_abandon_seconds must be given"),
        ({"exclude_short_abandons": True}, InvalidInputError, "short_abandon_seconds must be given"),
        (
            {"exclude_short_abandons": True, "short_abandon_seconds": 5, "policy": "short_abandoned_as_met"},
            InvalidInputError,
            "exclude_short_abandons=True contradicts",
        ),
        (
            {"exclude_short_abandons": "yes", "short_abandon_seconds": 5},
            InvalidTypeError,
            "exclude_short_abandons",
        ),
        ({"short_abandon_seconds": -5}, InvalidInputError, "short_abandon_seconds"),
        ({"short_abandon_seconds": [5, 6]}, InvalidInputError, "short_abandon_seconds must be a single"),
        ({"by": ["a", "b"]}, InvalidInputError, "by must have one label per row"),
    ],
)
def test_service_level_bad_input(kwargs: dict[str, Any], error: type[Exception], names: str) -> None:
    arguments: dict[str, Any] = {"wait_seconds": [1.0, 5.0, 30.0], "threshold_seconds": 20}
    arguments.update(kwargs)
    if "abandoned" not in kwargs and isinstance(arguments["wait_seconds"], list):
        arguments["abandoned"] = (
            [False] * len(arguments["wait_seconds"]) if arguments["wait_seconds"] else None
        )
    waits = arguments.pop("wait_seconds")
    threshold = arguments.pop("threshold_seconds")
    with pytest.raises(error, match=names):
        service_level(waits, threshold, **arguments)


@pytest.mark.parametrize(
    ("kwargs", "error", "names"),
    [
        ({"quantile": [0.5, 101]}, InvalidInputError, r"fractions in \[0, 1\]; got 101 at index 1$"),
        ({"quantile": [-5]}, InvalidInputError, "quantile"),
        ({"quantile": [np.nan]}, InvalidInputError, "quantile must not contain NaN"),
        ({"quantile": []}, InvalidInputError, "quantile must hold at least one"),
        ({"quantile": True}, InvalidTypeError, "quantile"),
        ({"quantile": "90"}, InvalidTypeError, "quantile"),
        ({"quantile": None}, InvalidTypeError, "quantile"),
        ({"quantile": [[0.5]]}, InvalidInputError, "quantile must be 1-D"),
        ({"quantile": 90}, InvalidInputError, "did you mean 0.9"),
        ({"quantile": -0.1}, InvalidInputError, r"quantile levels are fractions in \[0, 1\]; got -0.1"),
        ({"abandoned_policy": "drop"}, InvalidInputError, "abandoned_policy must be one of"),
        ({"abandoned": [1, 0, 0]}, InvalidTypeError, "abandoned must be a boolean mask"),
        ({"abandoned": [True]}, InvalidInputError, "abandoned must have the same length"),
        ({"wait_seconds": [1.0, -2.0, 3.0]}, InvalidInputError, "wait_seconds must be non-negative"),
        ({"wait_seconds": [1.0, np.nan, 3.0]}, InvalidInputError, "wait_seconds must not contain NaN"),
        ({"by": [1, 2]}, InvalidInputError, "by must have one label per row"),
    ],
)
def test_percentile_bad_input(kwargs: dict[str, Any], error: type[Exception], names: str) -> None:
    arguments: dict[str, Any] = {"wait_seconds": [1.0, 5.0, 30.0], "quantile": 0.5}
    arguments.update(kwargs)
    with pytest.raises(error, match=names):
        answer_time_percentile(arguments.pop("wait_seconds"), quantile=arguments.pop("quantile"), **arguments)


def test_errors_are_builtin_subclasses() -> None:
    with pytest.raises(ValueError, match="wait_seconds"):
        service_level([-1.0], 20)
    with pytest.raises(TypeError, match="abandoned"):
        service_level([1.0], 20, abandoned=[1])


def test_inputs_are_not_modified() -> None:
    waits = np.array([3.0, 40.0, 10.0])
    mask = np.array([True, False, False])
    thresholds = np.array([30.0, 5.0])
    service_level(waits, thresholds, abandoned=mask, by=np.array([2, 1, 2]))
    answer_time_percentile(waits, quantile=np.array([0.9, 0.1]), abandoned=mask, by=np.array([2, 1, 2]))
    assert waits.tolist() == [3.0, 40.0, 10.0] and mask.tolist() == [True, False, False]
    assert thresholds.tolist() == [30.0, 5.0]


def test_result_says_which_policy_was_used() -> None:
    result = service_level([1.0], 20, policy="abandoned_within_ignored")
    assert isinstance(result, ServiceLevel)
    assert "abandoned_within_ignored" in repr(result)


@given(data=contacts(min_size=1), threshold=st.integers(0, 45), short=st.integers(0, 45))
def test_default_formula_is_never_above_the_others(
    data: tuple[np.ndarray, np.ndarray], threshold: int, short: int
) -> None:
    waits, mask = data
    mask = mask.copy()
    mask[0] = False
    scores = {
        policy: service_level(
            waits, threshold, abandoned=mask, policy=policy, short_abandon_seconds=short
        ).score
        for policy in SERVICE_LEVEL_POLICIES
    }
    assert all(scores["abandoned_as_missed"] <= score for score in scores.values())
