"""The numpy-only distribution functions and the interval methods, against scipy/statsmodels and published values.

scipy and statsmodels are test-only references (skipped when absent): scipy.special.betainc,
scipy.stats.t / beta / binom, and statsmodels.stats.proportion.proportion_confint.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import cskpi
from cskpi._core.distributions import (
    beta_quantile,
    betainc,
    binomial_cdf,
    normal_cdf,
    t_quantile,
    t_two_sided_p,
)
from cskpi._core.errors import InvalidInputError, UndefinedMetricWarning
from cskpi._core.stats import MEAN_METHODS, RATE_METHODS, mean_interval, rate_interval


@pytest.fixture(scope="module")
def scipy_stats():
    return pytest.importorskip("scipy.stats")


@pytest.fixture(scope="module")
def scipy_special():
    return pytest.importorskip("scipy.special")


def _random_shapes(seed: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    log_low, log_high = np.log(0.3), np.log(1e5)
    return np.exp(rng.uniform(log_low, log_high, size)), np.exp(rng.uniform(log_low, log_high, size))


def test_betainc_against_scipy(scipy_special) -> None:
    a, b = _random_shapes(1, 3000)
    x = np.random.default_rng(2).uniform(0.0, 1.0, a.shape[0])
    reference = scipy_special.betainc(a, b, x)
    np.testing.assert_allclose(betainc(a, b, x), reference, rtol=1e-11, atol=1e-300)


def test_betainc_closed_forms() -> None:
    x = np.linspace(0.0, 1.0, 11)
    np.testing.assert_allclose(betainc(1.0, 1.0, x), x, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(betainc(2.0, 1.0, x), x**2, rtol=1e-14, atol=1e-15)  # CDF of Beta(2, 1)
    np.testing.assert_allclose(betainc(1.0, 3.0, x), 1.0 - (1.0 - x) ** 3, rtol=1e-13, atol=1e-15)
    assert betainc(7.5, 7.5, 0.5) == pytest.approx(0.5, abs=1e-14)


def test_beta_quantile_against_scipy(scipy_special) -> None:
    a, b = _random_shapes(3, 3000)
    p = np.random.default_rng(4).uniform(0.0, 1.0, a.shape[0])
    np.testing.assert_allclose(beta_quantile(p, a, b), scipy_special.betaincinv(a, b, p), rtol=1e-12)


@pytest.mark.parametrize("p", [1e-10, 0.005, 0.025, 0.5, 0.975, 0.995, 1 - 1e-10])
def test_beta_quantile_clopper_pearson_shapes(scipy_stats, p: float) -> None:
    """The shapes Clopper-Pearson bounds use: Beta(k + 1, n - k) for every k of n = 200 and of 10⁶.

    At n = 10⁶ scipy's own quantile is off by up to ~1e-12 in probability (checked with
    mpmath below), so the comparison there is looser; mpmath decides.
    """
    for n, rtol in ((200, 1e-12), (1_000_000, 2e-11)):
        k = np.unique(np.r_[np.arange(0, 200), np.linspace(0, n - 1, 200).astype(int)])
        np.testing.assert_allclose(
            beta_quantile(p, k + 1, n - k), scipy_stats.beta.ppf(p, k + 1, n - k), rtol=rtol
        )


@pytest.mark.parametrize(("k", "p"), [(0, 0.975), (2, 0.025), (2, 0.975), (16, 0.975), (40, 0.5)])
def test_beta_quantile_against_mpmath(k: int, p: float) -> None:
    mpmath = pytest.importorskip("mpmath")
    n = 1_000_000
    x = beta_quantile(p, k + 1, n - k)
    with mpmath.workdps(30):
        probability = mpmath.betainc(k + 1, n - k, 0, x, regularized=True)
        density = mpmath.exp(
            k * mpmath.log(x) + (n - k - 1) * mpmath.log1p(-x) - mpmath.log(mpmath.beta(k + 1, n - k))
        )
        # The distance to the exact root, relative to x: |F(x) - p| / (f(x) x).
        assert float(abs(probability - p) / (density * x)) < 1e-12


def test_beta_quantile_inverts_betainc() -> None:
    a, b = _random_shapes(5, 500)
    p = np.random.default_rng(6).uniform(0.0, 1.0, a.shape[0])
    np.testing.assert_allclose(betainc(a, b, beta_quantile(p, a, b)), p, rtol=1e-10, atol=1e-14)


def test_beta_quantile_precise_upper_tail(scipy_stats) -> None:
    x = beta_quantile(1 - 1e-14, 3.0, 40.0, upper=1e-14)
    assert x == pytest.approx(scipy_stats.beta.isf(1e-14, 3.0, 40.0), rel=1e-12)


@pytest.mark.parametrize("p", [1e-9, 1e-4, 0.025, 0.1, 0.4, 0.6, 0.75, 0.9, 0.975, 0.995])
def test_t_quantile_against_scipy(scipy_stats, p: float) -> None:
    rng = np.random.default_rng(7)
    df = np.r_[np.arange(1, 60), np.exp(rng.uniform(0.0, np.log(1e7), 300)), rng.uniform(0.3, 5.0, 60)]
    reference = scipy_stats.t.ppf(p, df)
    np.testing.assert_allclose(t_quantile(p, df), reference, rtol=1e-12)


def test_t_quantile_table_values() -> None:
    """Closed forms (df 1: Cauchy, df 2) and the printed t-table (Student 1908; Fisher & Yates)."""
    assert t_quantile(0.75, 1) == pytest.approx(1.0, rel=1e-14)
    assert t_quantile(0.975, 1) == pytest.approx(np.tan(np.pi * 0.475), rel=1e-13)
    p = 0.9
    assert t_quantile(p, 2) == pytest.approx((2 * p - 1) / np.sqrt(2 * p * (1 - p)), rel=1e-13)
    table = {(0.975, 5): 2.571, (0.975, 10): 2.228, (0.975, 30): 2.042, (0.995, 20): 2.845}
    for (level, df), value in table.items():
        assert round(t_quantile(level, df), 3) == value
    assert t_quantile(0.5, 7) == 0.0


def test_t_two_sided_p_against_scipy(scipy_stats) -> None:
    rng = np.random.default_rng(8)
    df = np.r_[np.arange(1, 60), np.exp(rng.uniform(0.0, np.log(1e6), 300))]
    t = rng.normal(0.0, 3.0, df.shape[0])
    np.testing.assert_allclose(t_two_sided_p(t, df), 2 * scipy_stats.t.sf(np.abs(t), df), rtol=1e-9)
    assert t_two_sided_p(1.0, 1) == pytest.approx(0.5, rel=1e-14)  # Cauchy: P(|T| > 1) = 1/2


def test_binomial_cdf_against_scipy(scipy_stats) -> None:
    rng = np.random.default_rng(9)
    k = rng.integers(0, 1000, 1000)
    n = k + rng.integers(0, 1000, 1000)
    p = rng.uniform(0.0, 1.0, 1000)
    np.testing.assert_allclose(binomial_cdf(k, n, p), scipy_stats.binom.cdf(k, n, p), rtol=1e-11, atol=1e-15)
    assert binomial_cdf(-1, 5, 0.3) == 0.0
    assert binomial_cdf(5, 5, 0.3) == 1.0
    assert binomial_cdf(1, 2, 0.5) == pytest.approx(0.75, rel=1e-15)


def test_normal_cdf() -> None:
    assert normal_cdf(0.0) == 0.5
    assert normal_cdf(1.959963984540054) == pytest.approx(0.975, rel=1e-15)


# --------------------------------------------------------------------------- interval methods

# statsmodels' names for the same methods (statsmodels.stats.proportion.proportion_confint).
_STATSMODELS = {
    "wilson": "wilson",
    "agresti-coull": "agresti_coull",
    "clopper-pearson": "beta",
    "jeffreys": "jeffreys",
}


@pytest.mark.parametrize("method", RATE_METHODS)
@pytest.mark.parametrize("level", [0.8, 0.95, 0.99])
def test_rate_interval_against_statsmodels(method: str, level: float) -> None:
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    n = np.repeat([1, 7, 30, 100, 2500], [2, 8, 31, 101, 60])
    k = np.r_[0, 1, np.arange(8), np.arange(31), np.arange(101), np.linspace(0, 2500, 60).astype(int)]
    low, high = rate_interval(k, n, level, method)
    ref_low, ref_high = proportion.proportion_confint(k, n, alpha=1 - level, method=_STATSMODELS[method])
    if method == "jeffreys":
        # Brown, Cai & DasGupta (2001, 4.1.2) set the bound to 0 at k = 0 and 1 at k = n;
        # statsmodels keeps the beta quantiles there.
        ref_low = np.where(k == 0, 0.0, ref_low)
        ref_high = np.where(k == n, 1.0, ref_high)
    np.testing.assert_allclose(low, ref_low, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(high, ref_high, rtol=1e-10, atol=1e-13)


def test_clopper_pearson_newcombe_table() -> None:
    """The 'exact' column of Newcombe (1998), Table II (doi:10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E)."""
    table = {
        (81, 263): (0.2527, 0.3676),
        (15, 148): (0.0578, 0.1617),
        (0, 20): (0.0, 0.1684),
        (1, 29): (0.0009, 0.1776),
    }
    for (k, n), expected in table.items():
        low, high = rate_interval(k, n, 0.95, "clopper-pearson")
        assert (round(low, 4), round(high, 4)) == expected


def test_clopper_pearson_closed_forms() -> None:
    # k = 0: the upper bound solves (1 - p)^n = alpha/2; k = n: the lower bound solves p^n = alpha/2.
    for n in (1, 5, 40, 1000):
        low, high = rate_interval(0, n, 0.95, "clopper-pearson")
        assert low == 0.0 and high == pytest.approx(1 - 0.025 ** (1 / n), rel=1e-12)
        low, high = rate_interval(n, n, 0.9, "clopper-pearson")
        assert high == 1.0 and low == pytest.approx(0.05 ** (1 / n), rel=1e-12)


def test_agresti_coull_by_hand() -> None:
    # Agresti & Coull (1998): add z²/2 successes and z²/2 failures. 3 of 10 at 95 %:
    # n~ = 13.8415, p~ = (3 + 1.92073) / 13.8415 = 0.355505, half 1.95996 * sqrt(p~ q~ / n~) = 0.252167.
    z = 1.959963984540054
    n_tilde = 10 + z * z
    p_tilde = (3 + z * z / 2) / n_tilde
    half = z * math.sqrt(p_tilde * (1 - p_tilde) / n_tilde)
    assert rate_interval(3, 10, 0.95, "agresti-coull") == pytest.approx(
        (p_tilde - half, p_tilde + half), rel=1e-14
    )
    assert round(p_tilde - half, 4) == 0.1033 and round(p_tilde + half, 4) == 0.6077


@pytest.mark.parametrize("method", RATE_METHODS)
def test_rate_interval_properties(method: str) -> None:
    n = np.repeat(np.arange(1, 60), np.arange(2, 61))
    k = np.concatenate([np.arange(m + 1) for m in range(1, 60)])
    low, high = rate_interval(k, n, 0.95, method)
    estimate = k / n
    assert np.all((low >= 0) & (low <= estimate) & (estimate <= high) & (high <= 1))
    # Symmetry: the interval of n - k is the mirror image of that of k.
    mirror_low, mirror_high = rate_interval(n - k, n, 0.95, method)
    np.testing.assert_allclose(mirror_low, 1 - high, atol=1e-12)
    np.testing.assert_allclose(mirror_high, 1 - low, atol=1e-12)
    # Wider at a higher level.
    wide_low, wide_high = rate_interval(k, n, 0.99, method)
    assert np.all(wide_low <= low) and np.all(wide_high >= high)
    assert isinstance(rate_interval(3, 10, 0.95, method)[0], float)


def test_clopper_pearson_has_at_least_nominal_coverage() -> None:
    """Exact coverage by summing binomial probabilities over all k (Brown, Cai & DasGupta 2001, fig. 5)."""
    from cskpi._core.distributions import binomial_cdf

    n = 25
    k = np.arange(n + 1)
    low, high = rate_interval(k, np.full(n + 1, n), 0.95, "clopper-pearson")
    for p in np.linspace(0.01, 0.99, 99):
        pmf = np.diff(np.r_[0.0, binomial_cdf(k, n, p)])
        coverage = pmf[(low <= p) & (p <= high)].sum()
        assert coverage >= 0.95 - 1e-12


@pytest.mark.parametrize("method", RATE_METHODS)
def test_rate_interval_empty_groups_are_nan(method: str) -> None:
    with pytest.warns(UndefinedMetricWarning, match="undefined for zero observations"):
        low, high = rate_interval(np.array([0, 3]), np.array([0, 10]), 0.95, method)
    assert math.isnan(low[0]) and math.isnan(high[0]) and 0 < low[1] < high[1] < 1


def test_method_names_are_validated() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"^method must be one of 'wilson', 'agresti-coull', 'clopper-pearson', 'jeffreys'; got 'wald'$",
    ):
        rate_interval(1, 2, 0.95, "wald")
    with pytest.raises(InvalidInputError, match=r"^method must be one of 't', 'normal'; got 'z'$"):
        mean_interval(1.0, 1.0, 3, 0.95, "z")
    with pytest.raises(InvalidInputError, match="method must be one of"):
        rate_interval(1, 2, 0.95, np.array(["wilson"]))  # type: ignore[arg-type]


def test_mean_interval_t_against_scipy(scipy_stats) -> None:
    n = np.array([2, 3, 5, 10, 30, 1000])
    mean, variance = np.linspace(1, 6, 6), np.linspace(0.5, 3, 6)
    low, high = mean_interval(mean, variance, n, 0.9)
    ref_low, ref_high = scipy_stats.t.interval(0.9, n - 1, loc=mean, scale=np.sqrt(variance / n))
    np.testing.assert_allclose(low, ref_low, rtol=1e-12)
    np.testing.assert_allclose(high, ref_high, rtol=1e-12)
    assert MEAN_METHODS[0] == "t"


def test_mean_interval_of_one_observation_is_nan_and_quiet() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, high = mean_interval(np.array([3.0, 4.0]), np.array([np.nan, 1.0]), np.array([1, 4]), 0.95)
    assert math.isnan(low[0]) and math.isnan(high[0]) and low[1] < 4 < high[1]


# --------------------------------------------------------------------------- the result classes


def _rate_results() -> dict[str, tuple[object, int, int]]:
    """Each rate result with its successes and n (4 of 10 in every case)."""
    return {
        "service_level": (cskpi.service_level([5] * 4 + [40] * 6, 20), 4, 10),
        "abandonment_rate": (cskpi.abandonment_rate([True] * 4 + [False] * 6), 4, 10),
        "csat": (cskpi.csat([5] * 4 + [1] * 6), 4, 10),
    }


@pytest.mark.parametrize("method", RATE_METHODS)
@pytest.mark.parametrize("name", ["service_level", "abandonment_rate", "csat"])
def test_rate_results_offer_every_method(name: str, method: str) -> None:
    result, k, n = _rate_results()[name]
    interval = result.confidence_interval(0.9, method=method)  # type: ignore[attr-defined]
    assert (interval.low, interval.high) == rate_interval(k, n, 0.9, method)
    assert (interval.confidence_level, interval.method) == (0.9, method)
    with pytest.raises(InvalidInputError, match="method must be one of 'wilson'"):
        result.confidence_interval(method="wald")  # type: ignore[attr-defined]


def test_grouped_rate_result_interval_per_group() -> None:
    result = cskpi.csat([5, 5, 1, 4, 1, 1], by=["a", "a", "a", "b", "b", "b"])
    interval = result.confidence_interval(method="clopper-pearson")
    expected = rate_interval(np.array([2, 1]), np.array([3, 3]), 0.95, "clopper-pearson")
    np.testing.assert_array_equal(interval.low, expected[0])
    np.testing.assert_array_equal(interval.high, expected[1])


def test_handle_time_against_target_interval_methods() -> None:
    result = cskpi.handle_time_against_target([100, 200, 300, 400], 250)
    low, high = result.confidence_interval(method="jeffreys")
    assert (low, high) == rate_interval(result.n_within, result.n, 0.95, "jeffreys")


def test_mean_results_default_to_t() -> None:
    ces = cskpi.ces([7, 5, 3, 1])
    t_interval = ces.confidence_interval()
    normal = ces.confidence_interval(method="normal")
    assert t_interval.method == "t" and normal.method == "normal"
    assert t_interval.low < normal.low < normal.high < t_interval.high
    assert tuple(t_interval) == mean_interval(4.0, 20 / 3, 4, 0.95, "t")
    with pytest.raises(InvalidInputError, match="method must be one of 't', 'normal'"):
        ces.confidence_interval(method="wilson")


# --------------------------------------------------------------------------- NPS bootstrap


def test_nps_bootstrap_is_seeded_and_close_to_wald() -> None:
    result = cskpi.nps([10] * 250 + [8] * 150 + [3] * 100)
    first = result.confidence_interval(method="bootstrap", random_state=7)
    again = result.confidence_interval(method="bootstrap", random_state=7)
    assert (first.low, first.high) == (again.low, again.high) and first.method == "bootstrap"
    wald = result.confidence_interval()
    # n = 500: the percentile bootstrap and the Wald interval agree to well under a point.
    assert first.low == pytest.approx(wald.low, abs=1.0) and first.high == pytest.approx(wald.high, abs=1.0)
    generator = result.confidence_interval(method="bootstrap", random_state=np.random.default_rng(7))
    assert (generator.low, generator.high) == (first.low, first.high)


def test_nps_bootstrap_coverage_of_a_known_population() -> None:
    # True shares 0.5 / 0.3 / 0.2 (NPS 30), n = 60: the 90 % bootstrap interval covers 30
    # in roughly 90 % of 300 seeded samples (binomial sd of the rate 1.7 %).
    rng = np.random.default_rng(11)
    counts = rng.multinomial(60, [0.5, 0.3, 0.2], size=300)
    grouped = cskpi.NPS(promoters=counts[:, 0], passives=counts[:, 1], detractors=counts[:, 2])
    low, high = grouped.confidence_interval(0.9, method="bootstrap", n_resamples=2000, random_state=1)
    coverage = np.mean((low <= 30) & (high >= 30))
    assert 0.84 <= coverage <= 0.95


def test_nps_bootstrap_groups_and_empty() -> None:
    result = cskpi.nps([10, 10, 0, 9, 3, 10], by=["a", "a", "a", "b", "b", "b"])
    interval = result.confidence_interval(method="bootstrap", random_state=0, n_resamples=500)
    assert interval.low.shape == (2,) and np.all(interval.low <= interval.high)
    all_promoters = cskpi.nps([10] * 5).confidence_interval(method="bootstrap", random_state=0)
    assert (all_promoters.low, all_promoters.high) == (100.0, 100.0)
    empty = cskpi.nps(np.zeros(0, dtype=np.int64))
    with pytest.warns(UndefinedMetricWarning, match="NPS interval is undefined"):
        assert math.isnan(empty.confidence_interval(method="bootstrap", random_state=0).low)
    with pytest.raises(InvalidInputError, match="n_resamples must be a positive integer; got 0"):
        result.confidence_interval(method="bootstrap", n_resamples=0)
    with pytest.raises(InvalidInputError, match="random_state must be"):
        result.confidence_interval(method="bootstrap", random_state="seed")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- percentile intervals


def test_order_statistic_ranks_by_hand_and_coverage() -> None:
    from cskpi._core.distributions import binomial_cdf
    from cskpi._core.stats import order_statistic_ranks

    # Median of 10 at 95 %: F(1) = 11/1024 <= 0.025 < F(2) = 56/1024 -> lower 2nd smallest;
    # F(8) = 1013/1024 >= 0.975 > F(7) = 968/1024 -> upper 9th smallest (Conover 1999, table A3).
    low, high = order_statistic_ranks([10], [0.5], 0.95)
    assert (low[0, 0] + 1, high[0, 0] + 1) == (2, 9)
    sizes = np.arange(1, 300)
    fractions = np.array([0.5, 0.8, 0.9, 0.95])
    low, high = order_statistic_ranks(sizes, fractions, 0.9)
    n, q = sizes[:, None], fractions[None, :]
    # Coverage F(u - 1) - F(l - 1) in 1-based ranks = F(high) - F(low) in 0-based ones.
    coverage = np.asarray(binomial_cdf(high, n, q)) - np.asarray(binomial_cdf(low, n, q))
    assert np.all(coverage >= 0.9 - 1e-12)
    # Tight: moving either bound one rank inwards loses the guarantee (where both exist).
    inner_low = np.asarray(binomial_cdf(high, n, q)) - np.asarray(binomial_cdf(low + 1, n, q))
    inner_high = np.asarray(binomial_cdf(high - 1, n, q)) - np.asarray(binomial_cdf(low, n, q))
    both = (low >= 0) & (high < n)
    assert np.all((inner_low[both] < 0.95) & (inner_high[both] < 0.95))


def test_percentile_interval_brackets_the_estimate_and_matches_sorting() -> None:
    rng = np.random.default_rng(12)
    waits = rng.exponential(25.0, 700)
    teams = rng.choice(np.array(["a", "b", "c"]), 700)
    result = cskpi.answer_time_percentile(waits, quantile=[0.5, 0.9], by=teams, confidence_level=0.9)
    low, high = result.confidence_interval()
    assert result.confidence_interval().method == "order-statistic"
    from cskpi._core.stats import order_statistic_ranks

    for g, team in enumerate(result.labels):
        ordered = np.sort(waits[teams == team])
        lower_rank, upper_rank = order_statistic_ranks([ordered.shape[0]], [0.5, 0.9], 0.9)
        np.testing.assert_array_equal(low[g], ordered[lower_rank[0]])
        np.testing.assert_array_equal(high[g], ordered[upper_rank[0]])
    assert np.all((low <= result.seconds) & (result.seconds <= high))
    one = result["b"]
    assert one.confidence_interval().low.tolist() == low[1].tolist()
    with pytest.raises(InvalidInputError, match=r"confidence_level must be 0\.9, the level"):
        result.confidence_interval(0.95)


def test_percentile_interval_small_samples_are_unbounded() -> None:
    # Two waits: no order statistic is a 95 % bound of the 90th percentile above.
    low, high = cskpi.answer_time_percentile(
        [10.0, 20.0], quantile=0.9, confidence_level=0.95
    ).confidence_interval()
    assert high == math.inf and low == 10.0
    with pytest.warns(UndefinedMetricWarning):
        empty = cskpi.answer_time_percentile(np.zeros(0), quantile=0.5, confidence_level=0.95)
    interval = empty.confidence_interval()
    assert math.isnan(interval.low) and math.isnan(interval.high)


def test_percentile_interval_only_when_a_level_is_given() -> None:
    # The bounds cost a second selection pass: without a level none are computed.
    result = cskpi.answer_time_percentile([10.0, 20.0, 30.0], quantile=0.5)
    assert result.ci_low_seconds is None and "ci_low" not in result.to_dict()
    with pytest.raises(InvalidInputError, match=r"pass confidence_level=0\.95"):
        result.confidence_interval()
    with_level = cskpi.answer_time_percentile([10.0, 20.0, 30.0], quantile=0.5, confidence_level=0.5)
    assert "ci_low" in with_level.to_dict() and with_level.seconds == result.seconds
