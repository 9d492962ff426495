"""Planning: sample sizes for a margin (by hand, against the NPS interval) and the minimum
detectable change (by hand, against statsmodels' power for the two-proportion z-test as a
test-only reference, and by seeded simulation of the tests the library carries out)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cskpi
from cskpi import UndefinedMetricWarning
from cskpi._core.distributions import normal_cdf
from cskpi._core.errors import InvalidInputError

Z_975, Z_80 = 1.959963984540054, 0.8416212335729143


def test_sample_size_classic_values() -> None:
    # z² p q / m²: 1.959964² · 0.25 / 0.05² = 384.15 -> 385; at 99 %: 2.5758² · 0.25 / 0.0025 = 663.5 -> 664.
    assert cskpi.sample_size_for_margin(0.05) == 385
    assert cskpi.sample_size_for_margin(0.05, confidence_level=0.99) == 664
    assert cskpi.sample_size_for_margin(0.03, rate=0.8) == math.ceil(Z_975**2 * 0.16 / 0.0009)
    assert cskpi.sample_size_for_margin(np.array([0.1, 0.05])).tolist() == [97, 385]
    # NPS ±5 points, worst case v = 1: 1.96² · 100² / 25 = 1536.6 -> 1537.
    assert cskpi.sample_size_for_margin(5, kind="nps") == 1537


def test_sample_size_meets_the_margin_of_the_nps_interval() -> None:
    n = cskpi.sample_size_for_margin(5, kind="nps", promoter_share=0.5, detractor_share=0.2)
    promoters, detractors = round(0.5 * n), round(0.2 * n)
    result = cskpi.NPS(promoters=promoters, passives=n - promoters - detractors, detractors=detractors)
    assert result.margin_of_error() <= 5.0 + 0.01
    smaller = n - 20
    p2, d2 = round(0.5 * smaller), round(0.2 * smaller)
    assert cskpi.NPS(promoters=p2, passives=smaller - p2 - d2, detractors=d2).margin_of_error() > 5.0


def test_minimum_detectable_change_solves_the_power_equation_by_hand() -> None:
    """Fleiss, Levin & Paik (2003), chapter 4: Δ = z_α sqrt(p̄q̄(1/n_a + 1/n_b)) + z_β sqrt(p_a q_a/n_a + p_b q_b/n_b)."""
    n_a, n_b, p_a = 1000, 400, 0.8
    change = cskpi.minimum_detectable_change(n_a, n_b, rate=p_a)
    p_b = p_a - change  # towards 1/2
    pooled = (n_a * p_a + n_b * p_b) / (n_a + n_b)
    null = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    alternative = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    assert change == pytest.approx(Z_975 * null + Z_80 * alternative, rel=1e-12)
    # Mirror image: a rate of 0.2 moves up by the same amount.
    assert cskpi.minimum_detectable_change(n_a, n_b, rate=0.2) == pytest.approx(change, rel=1e-12)
    # NPS: passives fixed, the score moves towards 0 and its variance grows.
    p, d = 0.4, 0.2
    nps_change = cskpi.minimum_detectable_change(500, 300, kind="nps", promoter_share=p, detractor_share=d)
    s_b = (p - d) - nps_change / 100
    v_a, v_b = p + d - (p - d) ** 2, p + d - s_b**2
    assert nps_change / 100 == pytest.approx((Z_975 + Z_80) * math.sqrt(v_a / 500 + v_b / 300), rel=1e-12)


def test_minimum_detectable_change_against_statsmodels_power() -> None:
    """statsmodels' power of the pooled two-proportion z-test at the change is the nominal power."""
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    for rate in (0.02, 0.2, 0.5, 0.8, 0.97):
        for n_a, n_b in ((1000, 1000), (800, 800), (200, 2000), (3000, 150), (60, 60)):
            for power in (0.8, 0.9):
                change = cskpi.minimum_detectable_change(n_a, n_b, rate=rate, power=power)
                toward_half = 1.0 if rate <= 0.5 else -1.0
                # The near rejection region alone (one-sided at α/2) is what the formula solves.
                near = proportion.power_proportions_2indep(
                    toward_half * change,
                    rate,
                    n_b,
                    ratio=n_a / n_b,
                    alpha=0.025,
                    alternative="larger" if toward_half > 0 else "smaller",
                ).power
                assert near == pytest.approx(power, abs=1e-6), (rate, n_a, n_b, power)
                # The two-sided power adds the far region: a hair more.
                both = proportion.power_proportions_2indep(
                    toward_half * change, rate, n_b, ratio=n_a / n_b, alpha=0.05
                ).power
                assert power <= both < power + 1e-3


@pytest.mark.parametrize(
    ("rate", "n_a", "n_b"), [(0.2, 800, 800), (0.8, 1000, 1000), (0.5, 300, 300), (0.1, 500, 2000)]
)
def test_minimum_detectable_change_has_the_stated_power_in_simulation(
    rate: float, n_a: int, n_b: int
) -> None:
    """At the detectable change, rate_difference's score test rejects with the stated power.

    The earlier formula (baseline variance for both periods) gave 0.75 at a rate of 0.2
    and 800 answers a period; 20,000 seeded replicates give a standard error of 0.003.
    """
    change = cskpi.minimum_detectable_change(n_a, n_b, rate=rate, power=0.8)
    p_b = rate + (change if rate <= 0.5 else -change)
    rng = np.random.default_rng(11)
    size = 20_000
    k_a, k_b = rng.binomial(n_a, rate, size), rng.binomial(n_b, p_b, size)
    test = cskpi.rate_difference((k_b, np.full(size, n_b)), (k_a, np.full(size, n_a)))
    assert np.mean(test.p_value < 0.05) == pytest.approx(0.8, abs=0.015)


@pytest.mark.parametrize(
    ("p", "d", "n"), [(0.4, 0.2, 500), (0.5, 0.5, 300), (0.1, 0.6, 400), (0.3, 0.3, 800)]
)
def test_minimum_detectable_change_nps_has_the_stated_power_in_simulation(p: float, d: float, n: int) -> None:
    """The NPS Wald test (Rocks 2016), computed here by its formula, rejects with the stated power."""
    change = cskpi.minimum_detectable_change(n, n, kind="nps", promoter_share=p, detractor_share=d) / 100
    sign = -1.0 if p > d else 1.0
    p_b, d_b = p + sign * change / 2, d - sign * change / 2  # passives fixed
    rng = np.random.default_rng(12)
    size = 20_000
    a = rng.multinomial(n, [p, d, 1 - p - d], size) / n
    b = rng.multinomial(n, [p_b, d_b, max(1 - p_b - d_b, 0.0)], size) / n

    def mean_and_variance(shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        score = shares[:, 0] - shares[:, 1]
        return score, shares[:, 0] + shares[:, 1] - score**2

    (s_a, v_a), (s_b, v_b) = mean_and_variance(a), mean_and_variance(b)
    z = (s_b - s_a) / np.sqrt(v_a / n + v_b / n)
    p_value = 2 * np.asarray(normal_cdf(-np.abs(z)))
    assert np.mean(p_value < 0.05) == pytest.approx(0.8, abs=0.015)


def test_minimum_detectable_change_broadcasts_and_warns_when_out_of_reach() -> None:
    sizes = np.array([100, 1000, 10_000])
    changes = cskpi.minimum_detectable_change(sizes, sizes, rate=0.3)
    assert changes.shape == (3,) and np.all(np.diff(changes) < 0)
    np.testing.assert_allclose(changes, [cskpi.minimum_detectable_change(n, n, rate=0.3) for n in sizes])
    # One answer a period: no rate change can reach 80 % power.
    with pytest.warns(UndefinedMetricWarning, match="no change within the range"):
        assert math.isnan(cskpi.minimum_detectable_change(1, 1, rate=0.5))
    with pytest.raises(InvalidInputError, match="power must be strictly between 0 and 1; got 80"):
        cskpi.minimum_detectable_change(10, 10, power=80)
    with pytest.raises(InvalidInputError, match="promoter_share \\+ detractor_share must be at most 1"):
        cskpi.minimum_detectable_change(10, 10, kind="nps", promoter_share=0.7, detractor_share=0.5)
