"""The numpy-only distribution functions and the interval methods, against scipy/statsmodels and published values.

scipy and statsmodels are test-only references (skipped when absent): scipy.special.betainc,
scipy.stats.t / beta / binom, and statsmodels.stats.proportion.proportion_confint.
"""

from __future__ import annotations

import numpy as np
import pytest

from cskpi._core.distributions import (
    beta_quantile,
    betainc,
    binomial_cdf,
    normal_cdf,
    t_quantile,
    t_two_sided_p,
)


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
    # 1e-12 relative up to 10⁵ degrees of freedom; beyond, in tails below 10⁻³, the
    # continued fraction at 1 - x loses a few more digits (documented in t_quantile).
    moderate = df <= 1e5
    reference = scipy_stats.t.ppf(p, df)
    np.testing.assert_allclose(t_quantile(p, df[moderate]), reference[moderate], rtol=1e-12)
    np.testing.assert_allclose(t_quantile(p, df), reference, rtol=1e-12 if 1e-3 < p < 1 - 1e-3 else 3e-11)


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
