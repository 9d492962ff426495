"""Comparisons: Newcombe's interval (published table), Welch (scipy), Holm (statsmodels), compare()."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cskpi
from cskpi import UndefinedMetricWarning
from cskpi._core.errors import InvalidInputError, InvalidTypeError
from cskpi._core.stats import rate_interval

# Newcombe (1998), "Interval estimation for the difference between independent proportions",
# Statistics in Medicine 17, 873-890, Table II, method 10 (score interval, hybrid), 95 %.
NEWCOMBE_TABLE_II = {
    ((56, 70), (48, 80)): (0.0524, 0.3339),
    ((9, 10), (3, 10)): (0.1705, 0.8090),
    ((5, 56), (0, 29)): (-0.0381, 0.1926),
    ((0, 10), (0, 20)): (-0.1611, 0.2775),
    ((0, 10), (0, 10)): (-0.2775, 0.2775),
    ((10, 10), (0, 20)): (0.6791, 1.0000),
    ((10, 10), (0, 10)): (0.6075, 1.0000),
}


@pytest.mark.parametrize(("pair", "expected"), list(NEWCOMBE_TABLE_II.items()))
def test_newcombe_published_values(
    pair: tuple[tuple[int, int], tuple[int, int]], expected: tuple[float, float]
) -> None:
    test = cskpi.rate_difference(*pair)
    low, high = test.confidence_interval
    assert (round(low, 4), round(high, 4)) == expected
    assert test.method == test.confidence_interval.method == "newcombe"
    assert test.difference == pytest.approx(pair[0][0] / pair[0][1] - pair[1][0] / pair[1][1])


def test_newcombe_from_wilson_bounds_by_hand() -> None:
    # The formula spelled out from two Wilson intervals (Newcombe 1998, method 10).
    (l1, u1), (l2, u2) = rate_interval(30, 50, 0.9), rate_interval(20, 60, 0.9)
    p1, p2 = 0.6, 1 / 3
    low, high = cskpi.rate_difference((30, 50), (20, 60), confidence_level=0.9).confidence_interval
    assert low == pytest.approx(p1 - p2 - math.hypot(p1 - l1, u2 - p2), rel=1e-13)
    assert high == pytest.approx(p1 - p2 + math.hypot(u1 - p1, p2 - l2), rel=1e-13)


def test_rate_difference_p_value_is_the_chi_square_test() -> None:
    """The score z test equals Pearson's chi-square test of the 2x2 table without continuity correction."""
    scipy_stats = pytest.importorskip("scipy.stats")
    for (k1, n1), (k2, n2) in [((56, 70), (48, 80)), ((9, 10), (3, 10)), ((120, 400), (150, 410))]:
        table = [[k1, n1 - k1], [k2, n2 - k2]]
        expected = scipy_stats.chi2_contingency(table, correction=False)[1]
        test = cskpi.rate_difference((k1, n1), (k2, n2))
        assert test.p_value == pytest.approx(expected, rel=1e-10)
        assert test.statistic**2 == pytest.approx(
            scipy_stats.chi2_contingency(table, correction=False)[0], rel=1e-10
        )


def test_rate_difference_of_results_and_groups() -> None:
    before = cskpi.service_level([5] * 80 + [40] * 20, 20)
    after = cskpi.service_level([5] * 70 + [40] * 30, 20)
    test = cskpi.rate_difference(after, before)
    assert test.difference == pytest.approx(-0.1)
    assert tuple(test.confidence_interval) == tuple(
        cskpi.rate_difference((70, 100), (80, 100)).confidence_interval
    )
    grouped_a = cskpi.abandonment_rate([True, False, False, True], by=["x", "x", "y", "y"])
    grouped_b = cskpi.abandonment_rate([False, False, True, True], by=["x", "x", "y", "y"])
    per_group = cskpi.rate_difference(grouped_a, grouped_b)
    assert per_group.difference.tolist() == [0.5, -0.5]
    with pytest.raises(InvalidInputError, match="same labels"):
        cskpi.rate_difference(grouped_a, cskpi.abandonment_rate([True, False], by=["x", "z"]))
    with pytest.raises(InvalidInputError, match="same labels"):
        cskpi.rate_difference(grouped_a, before)


def test_rate_difference_empty_and_bad_inputs() -> None:
    with pytest.warns(UndefinedMetricWarning, match="rate difference is undefined"):
        test = cskpi.rate_difference((0, 0), (3, 10))
    assert (
        math.isnan(test.difference) and math.isnan(test.p_value) and math.isnan(test.confidence_interval.low)
    )
    with pytest.raises(InvalidInputError, match="a must have 0 <= successes <= n"):
        cskpi.rate_difference((11, 10), (3, 10))
    with pytest.raises(InvalidInputError, match="b must be a rate result or a"):
        cskpi.rate_difference((1, 10), (3, 10, 5))
    with pytest.raises(InvalidTypeError, match="a must be a rate result"):
        cskpi.rate_difference(0.5, (3, 10))
    with pytest.raises(InvalidInputError, match="a must be a rate result whose value is a fraction"):
        cskpi.rate_difference(cskpi.ces([7, 5, 3]), (3, 10))


def test_welch_against_scipy() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(3)
    for _ in range(20):
        n1, n2 = rng.integers(2, 80, 2)
        a, b = rng.normal(4, 1.5, n1), rng.normal(3.6, 0.8, n2)
        test = cskpi.mean_difference(
            (a.mean(), a.var(ddof=1), n1), (b.mean(), b.var(ddof=1), n2), confidence_level=0.9
        )
        reference = scipy_stats.ttest_ind(a, b, equal_var=False)
        assert test.statistic == pytest.approx(reference.statistic, rel=1e-10)
        assert test.p_value == pytest.approx(reference.pvalue, rel=1e-9)
        interval = reference.confidence_interval(0.9)
        assert tuple(test.confidence_interval) == pytest.approx((interval.low, interval.high), rel=1e-10)
        assert test.df == pytest.approx(reference.df, rel=1e-12)


def test_welch_hand_example_and_results() -> None:
    test = cskpi.mean_difference((5.0, 2.0, 10), (4.0, 1.0, 10))
    assert test.statistic == pytest.approx(1 / math.sqrt(0.3))
    assert test.df == pytest.approx(0.09 / (0.04 / 9 + 0.01 / 9))
    ces_a, ces_b = cskpi.ces([7, 6, 6, 5, 7]), cskpi.ces([3, 4, 5, 4])
    from_results = cskpi.mean_difference(ces_a, ces_b)
    from_numbers = cskpi.mean_difference((ces_a.mean, ces_a.variance, 5), (ces_b.mean, ces_b.variance, 4))
    assert from_results.p_value == from_numbers.p_value and from_results.method == "welch"
    with pytest.warns(UndefinedMetricWarning, match="two observations"):
        assert math.isnan(cskpi.mean_difference((1.0, 0.0, 1), (2.0, 1.0, 5)).p_value)
    with pytest.raises(InvalidTypeError, match="a must be a result with mean, variance and n"):
        cskpi.mean_difference(cskpi.service_level([1.0], 20), ces_b)


def test_holm_against_statsmodels() -> None:
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    rng = np.random.default_rng(5)
    for size in (1, 2, 5, 30):
        p = rng.uniform(0, 0.2, size)
        np.testing.assert_allclose(cskpi.holm(p), multitest.multipletests(p, method="holm")[1], rtol=1e-14)
    with_nan = cskpi.holm([0.01, np.nan, 0.04])
    assert math.isnan(with_nan[1]) and with_nan[[0, 2]].tolist() == pytest.approx([0.02, 0.04])


def test_compare_equals_pairwise_calls_and_holm() -> None:
    rng = np.random.default_rng(8)
    teams = rng.choice(np.array(["north", "south", "east", "west"]), 600)
    waits = rng.exponential(np.where(teams == "east", 30.0, 15.0))
    grouped = cskpi.service_level(waits, 20, by=teams)
    result = cskpi.compare(grouped, baseline="north")
    keys = grouped.keys()
    base = grouped["north"]
    pairwise = [cskpi.rate_difference(grouped[key], base) for key in keys]
    np.testing.assert_allclose(result.p_value, [t.p_value for t in pairwise], rtol=1e-12)
    np.testing.assert_allclose(result.ci_low, [t.confidence_interval.low for t in pairwise], rtol=1e-12)
    others = [i for i, key in enumerate(keys) if key != "north"]
    np.testing.assert_allclose(result.p_adjusted[others], cskpi.holm(result.p_value[others]), rtol=1e-14)
    assert math.isnan(result.p_adjusted[keys.index("north")])
    assert result.significant.tolist() == [key == "east" for key in keys]
    table = result.to_dict()
    assert table["by"].tolist() == keys and set(table) >= {"estimate", "p_adjusted", "significant", "ci_low"}


def test_compare_means_and_errors() -> None:
    ratings = [5, 4, 5, 4, 2, 1, 2, 3, 5, 5, 4, 5]
    teams = ["a"] * 4 + ["b"] * 4 + ["c"] * 4
    result = cskpi.compare(cskpi.ces(ratings, scale=(1, 5), easy_from=4, by=teams), baseline="a", kind="mean")
    direct = cskpi.mean_difference(
        cskpi.ces([2, 1, 2, 3], scale=(1, 5), easy_from=4), cskpi.ces([5, 4, 5, 4], scale=(1, 5), easy_from=4)
    )
    assert result.p_value[1] == pytest.approx(direct.p_value, rel=1e-12)
    with pytest.raises(InvalidInputError, match="baseline must be one of the group labels; got 'z'"):
        cskpi.compare(cskpi.csat(ratings, by=teams), baseline="z")
    with pytest.raises(InvalidInputError, match="kind must be one of 'rate', 'mean', 'nps'"):
        cskpi.compare(cskpi.csat(ratings, by=teams), baseline="a", kind="share")
    with pytest.raises(InvalidTypeError, match="grouped must be a Grouped result"):
        cskpi.compare(cskpi.csat(ratings), baseline="a")


def test_compare_nps_equals_nps_difference() -> None:
    rng = np.random.default_rng(21)
    scores = rng.integers(0, 11, 900)
    agents = rng.choice(np.array(["ann", "bob", "cy"]), 900)
    grouped = cskpi.nps(scores, by=agents)
    result = cskpi.compare(grouped, baseline="bob", kind="nps", confidence_level=0.9)
    for position, key in enumerate(grouped.keys()):
        direct = cskpi.nps_difference(grouped[key], grouped["bob"], confidence_level=0.9)
        assert result.difference[position] == pytest.approx(direct.difference, abs=1e-12)
        assert result.ci_low[position] == pytest.approx(direct.confidence_interval.low, abs=1e-9)
        if key != "bob":
            assert result.p_value[position] == pytest.approx(direct.p_value, rel=1e-12)
            assert result.comparison.statistic[position] == pytest.approx(direct.statistic, rel=1e-12)
    assert result.p_value[grouped.keys().index("bob")] == 1.0
    with pytest.raises(InvalidTypeError, match="grouped NPS result for kind='nps'"):
        cskpi.compare(cskpi.csat([5, 1], by=["a", "b"]), baseline="a", kind="nps")
