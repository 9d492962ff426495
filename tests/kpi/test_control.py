"""Control charts (formulas by hand; planted shifts flagged; stable processes rarely)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cskpi
from cskpi import SIGNAL_RULES, UndefinedMetricWarning
from cskpi._core.errors import InvalidInputError
from cskpi._kpi.control import signals


def test_p_chart_limits_by_hand() -> None:
    # Montgomery (2009), 7.2.2: p̄ = Σk / Σn, limits p̄ ± 3 sqrt(p̄(1-p̄)/n_i), per point.
    k, n = np.array([12, 15, 8, 10, 30]), np.array([200, 300, 150, 250, 400])
    chart = cskpi.p_chart(k, n)
    p_bar = 75 / 1300
    sigma = np.sqrt(p_bar * (1 - p_bar) / n)
    assert chart.center == pytest.approx(p_bar)
    np.testing.assert_allclose(chart.upper, p_bar + 3 * sigma)
    np.testing.assert_allclose(chart.lower, np.maximum(p_bar - 3 * sigma, 0))
    np.testing.assert_allclose(chart.observed, k / n)
    assert chart.kind == "p" and chart.n == 5


def test_laney_p_prime_by_hand() -> None:
    # Laney (2002): z_i = (p_i - p̄)/σ_i, σ_z = mean|Δz| / 1.128, limits p̄ ± 3 σ_i σ_z.
    rng = np.random.default_rng(4)
    n = rng.integers(5000, 20000, 30)
    true_rates = 0.08 + rng.normal(0, 0.01, 30)  # more variation between days than binomial
    k = rng.binomial(n, true_rates)
    plain = cskpi.p_chart(k, n)
    laney = cskpi.p_chart(k, n, laney=True)
    p_bar = k.sum() / n.sum()
    sigma = np.sqrt(p_bar * (1 - p_bar) / n)
    z = (k / n - p_bar) / sigma
    sigma_z = np.mean(np.abs(np.diff(z))) / 1.128
    np.testing.assert_allclose(laney.upper, p_bar + 3 * sigma * sigma_z)
    assert laney.kind == "p'" and sigma_z > 3
    # The plain p-chart cries wolf on overdispersed large intervals; p′ does not.
    assert plain.signals["beyond_limits"].sum() > 10
    assert laney.signals["beyond_limits"].sum() <= 1


def test_p_chart_of_a_grouped_result_uses_its_periods() -> None:
    days = np.repeat(np.array(["2024-05-01", "2024-05-02", "2024-05-03"], dtype="datetime64[D]"), 100)
    abandoned = np.zeros(300, dtype=bool)
    abandoned[:5] = abandoned[100:104] = abandoned[200:230] = True
    chart = cskpi.p_chart(cskpi.abandonment_rate(abandoned, by=days))
    np.testing.assert_allclose(chart.observed, [0.05, 0.04, 0.30])
    assert chart.to_dict()["period"].tolist() == days[::100].tolist()
    with pytest.raises(InvalidInputError, match="not both"):
        cskpi.p_chart(cskpi.abandonment_rate(abandoned, by=days), [1, 2, 3])


def test_u_chart_by_hand() -> None:
    # Montgomery (2009), 7.3.3: ū = Σc/Σe, limits ū ± 3 sqrt(ū/e_i), per 1,000 contacts here.
    c, e = np.array([4, 9, 3, 20]), np.array([1500.0, 2500.0, 1000.0, 2000.0])
    chart = cskpi.u_chart(c, e, per=1000)
    u = 36 / 7000
    np.testing.assert_allclose(chart.upper, 1000 * (u + 3 * np.sqrt(u / e)))
    np.testing.assert_allclose(chart.lower, 1000 * np.maximum(u - 3 * np.sqrt(u / e), 0))
    assert chart.center == pytest.approx(1000 * u)
    assert chart.signals["beyond_limits"].tolist() == [False, False, False, True]


def test_xmr_by_hand() -> None:
    # Montgomery (2009), 6.4: x̄ ± 3 MR̄ / d2, d2 = 1.128 (= x̄ ± 2.66 MR̄).
    x = np.array([300.0, 310.0, 290.0, 305.0, 295.0, 400.0])
    chart = cskpi.xmr_chart(x)
    mr_bar = np.mean(np.abs(np.diff(x)))
    assert chart.center == pytest.approx(x.mean())
    np.testing.assert_allclose(chart.upper, x.mean() + 3 * mr_bar / 1.128)
    assert round(3 / 1.128, 2) == 2.66


def test_rules_on_planted_patterns() -> None:
    z = np.zeros(20)
    z[3] = 3.5  # beyond the limits
    z[6], z[8] = 2.5, 2.2  # two of three beyond 2σ
    z[10:14] = [1.5, 1.2, 0.2, 1.1]  # only three of four beyond 1σ: not yet four of five
    found = signals(z, z)
    assert np.flatnonzero(found["beyond_limits"]).tolist() == [3]
    assert np.flatnonzero(found["two_of_three"]).tolist() == [8]
    assert not found["four_of_five"][:14].any()
    run = np.r_[np.full(7, 0.5), -0.5, np.full(8, 0.3)]
    assert np.flatnonzero(signals(run, run, "run_of_eight")["run_of_eight"]).tolist() == [15]
    trend = np.array([0.0, 1, 2, 3, 4, 5, 4, 3])
    assert np.flatnonzero(signals(trend * 0.1, trend, "trend_of_six")["trend_of_six"]).tolist() == [5]
    with pytest.raises(InvalidInputError, match="rules must name rules among 'beyond_limits'"):
        signals(z, z, ("nelson_9",))


def test_planted_shift_is_flagged_and_stable_process_rarely() -> None:
    """Seeded: a shift of the abandonment rate from 5 % to 9 % after day 30 is flagged within days;
    over 200 stable charts of 40 days at 5 % a false beyond-limits signal is rare."""
    rng = np.random.default_rng(20240601)
    n = rng.integers(300, 600, 40)
    rates = np.where(np.arange(40) < 30, 0.05, 0.09)
    chart = cskpi.p_chart(rng.binomial(n, rates), n)
    # The limits come from all 40 days, so the shifted days are beyond them; the run rules
    # also see the first 30 days sitting below the (raised) centre line - a real signal.
    beyond = np.flatnonzero(chart.signals["beyond_limits"])
    assert beyond.shape[0] > 0 and beyond.min() >= 30 and beyond.min() <= 34
    assert chart.signal[30:].sum() >= 5
    false_alarm_points = 0
    charts_with_signal = 0
    for _ in range(200):
        n = rng.integers(300, 600, 40)
        stable = cskpi.p_chart(rng.binomial(n, 0.05), n, rules="beyond_limits")
        false_alarm_points += int(stable.signal.sum())
        charts_with_signal += bool(stable.signal.any())
    # Nominal 0.27 % per point for 3σ limits (skewed binomial: somewhat more above): < 1 %.
    assert false_alarm_points / (200 * 40) < 0.01
    assert charts_with_signal / 200 < 0.25


def test_xmr_flags_a_planted_level_shift() -> None:
    rng = np.random.default_rng(7)
    aht = np.r_[rng.normal(300, 10, 25), rng.normal(330, 10, 10)]
    chart = cskpi.xmr_chart(aht)
    assert chart.signal[25:].any() and not chart.signals["beyond_limits"][:25].any()


def test_charts_to_dict_and_empty_points() -> None:
    chart = cskpi.p_chart([3, 0, 5], [100, 0, 100], period=["mon", "tue", "wed"])
    table = chart.to_dict()
    assert table["period"].tolist() == ["mon", "tue", "wed"]
    assert set(SIGNAL_RULES) | {"value", "center", "lower", "upper", "signal"} <= set(table)
    assert math.isnan(table["value"][1]) and not table["signal"][1]
    with pytest.warns(UndefinedMetricWarning, match="needs at least one trial"):
        cskpi.p_chart([0], [0])
    with pytest.warns(UndefinedMetricWarning, match="XmR chart needs at least one value"):
        cskpi.xmr_chart([np.nan])


def test_p_chart_matches_montgomerys_orange_juice_can_example() -> None:
    # Montgomery, Introduction to Statistical Quality Control, 6th ed. (Wiley, 2009),
    # chapter 7, the frozen orange juice cans: 30 samples of 50 cans, 347 nonconforming.
    # Published trial limits: centre 0.2313, UCL 0.4102, LCL 0.0524; samples 15 and 23
    # plot above the UCL.
    nonconforming = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22]
    nonconforming += [8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]
    chart = cskpi.p_chart(nonconforming, [50] * 30)
    assert round(chart.center, 4) == 0.2313
    assert np.round(chart.upper, 4).tolist() == [0.4102] * 30
    assert np.round(chart.lower, 4).tolist() == [0.0524] * 30
    assert (np.flatnonzero(chart.signals["beyond_limits"]) + 1).tolist() == [15, 23]
