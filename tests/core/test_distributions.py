"""Accuracy of the numpy distribution functions at the corners, against mpmath.

mpmath is a test-only reference (skipped when absent): the t tail is a 40-digit
quadrature of the density, independent of the incomplete beta function and of the
expansion in 1/df that the library uses; the error of a quantile ``t`` is the Newton
distance ``|F(t) - p| / (f(t) |t|)`` to the exact root, relative to ``t``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cskpi._core.distributions import (
    _T_TAIL_SERIES,
    binomial_cdf,
    normal_ppf,
    t_quantile,
    t_two_sided_p,
)

mpmath = pytest.importorskip("mpmath")

# Every degree-of-freedom regime: the Cauchy distribution, small and moderate df on
# the incomplete-beta path, both sides of the switch at 10⁴, and far beyond.
T_DFS = [1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0, 1e3, 9999.0, 1e4, 1e5, 1e6, 1e8, 1e12, 1e14]
T_PS = [1e-15, 1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.025, 0.1, 0.25, 0.3, 0.45, 0.5 - 1e-9, 1 - 1e-6]


def _t_upper_tail(t: float, df: float) -> tuple[object, object]:
    """``P(T > |t|)`` and the density at ``t``, by quadrature at 40 digits."""
    with mpmath.workdps(40):
        t_abs, nu = abs(mpmath.mpf(t)), mpmath.mpf(df)
        log_c = mpmath.loggamma((nu + 1) / 2) - mpmath.loggamma(nu / 2) - mpmath.log(nu * mpmath.pi) / 2

        def density(s: object) -> object:
            return mpmath.exp(log_c - (nu + 1) / 2 * mpmath.log1p(s * s / nu))

        if t_abs < 1:
            return mpmath.mpf(0.5) - mpmath.quad(density, [0, t_abs]), density(t_abs)
        return mpmath.quad(density, [t_abs, 2 * t_abs, mpmath.inf]), density(t_abs)


@pytest.mark.parametrize("df", T_DFS)
def test_t_quantile_relative_error_below_1e_12(df: float) -> None:
    errors = []
    for p in T_PS:
        t = t_quantile(p, df)
        tail, density = _t_upper_tail(t, df)
        with mpmath.workdps(40):
            errors.append(float(abs(tail - mpmath.mpf(min(p, 1 - p))) / (density * abs(t))))
    assert max(errors) < 1e-12, dict(zip(T_PS, errors, strict=True))


@pytest.mark.parametrize(("df", "p"), [(1e6, 1e-6), (1e8, 1e-4), (1e12, 1e-4), (1e12, 1e-15), (1e14, 1e-9)])
def test_t_quantile_large_df_tails_regression(df: float, p: float) -> None:
    """Beyond 10⁵ df the continued fraction at x = df/(df + t²) next to 1 lost up to 1e-6 here."""
    t = t_quantile(p, df)
    tail, density = _t_upper_tail(t, df)
    assert float(abs(tail - p) / (density * abs(t))) < 1e-13


def test_t_quantile_next_to_the_median() -> None:
    """``1 - 2p`` is formed exactly: p = 1/2 - 1e-9 at df 1 was off by 3e-8."""
    p = 0.5 - 1e-9
    # Cauchy: t = tan(π (p - 1/2)), with p - 1/2 exact.
    assert t_quantile(p, 1.0) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-14)


def test_t_quantile_of_nan_is_nan() -> None:
    """A NaN probability gave a number (1.29 at df 5); NaN in p or df now gives NaN."""
    assert math.isnan(t_quantile(math.nan, 5.0))
    assert math.isnan(t_quantile(0.3, math.nan))
    assert np.isnan(t_quantile(np.array([0.1, math.nan]), 1e6)).tolist() == [False, True]


def test_t_quantile_infinite_df_is_normal() -> None:
    p = np.array([1e-15, 0.025, 0.3, 0.5, 0.975])
    np.testing.assert_allclose(t_quantile(p, np.inf), normal_ppf(p), rtol=1e-15, atol=0)
    assert t_two_sided_p(1.959963984540054, np.inf) == pytest.approx(0.05, rel=1e-14)


@pytest.mark.parametrize("df", [1e4, 1e5, 1e8, 1e12])
def test_t_two_sided_p_large_df(df: float) -> None:
    for t in [0.0, 0.3, 1.0, 2.5, 5.0, 8.0]:
        if t == 0.0:
            assert t_two_sided_p(t, df) == pytest.approx(1.0, rel=1e-15)
            continue
        tail, _ = _t_upper_tail(t, df)
        assert t_two_sided_p(t, df) == pytest.approx(float(2 * tail), rel=1e-13)
        assert t_two_sided_p(-t, df) == t_two_sided_p(t, df)


def test_t_tail_series_coefficients() -> None:
    """The c_k are the Taylor coefficients of sqrt(u / (1 - e^{-u})) at 0."""
    with mpmath.workdps(30):
        coefficients = mpmath.taylor(
            lambda u: mpmath.sqrt(u / -mpmath.expm1(-u)) if u != 0 else mpmath.mpf(1),
            0,
            len(_T_TAIL_SERIES) - 1,
        )
    np.testing.assert_allclose(_T_TAIL_SERIES, [float(c) for c in coefficients], rtol=1e-12, atol=1e-20)


@pytest.mark.parametrize(
    "p", [1e-300, 1e-100, 1e-30, 1e-15, 1e-9, 1e-4, 0.025, 0.3, 0.5 - 1e-9, 0.75, 0.975, 1 - 1e-9, 1 - 1e-15]
)
def test_normal_ppf_relative_error(p: float) -> None:
    with mpmath.workdps(40):
        root = mpmath.findroot(lambda x: mpmath.log(mpmath.ncdf(x) / mpmath.mpf(p)), float(normal_ppf(p)))
    assert normal_ppf(p) == pytest.approx(float(root), rel=1e-15)


def _binomial_cdf_exact(k: int, n: int, p: float) -> object:
    with mpmath.workdps(40):
        q = mpmath.mpf(p)
        return mpmath.fsum(mpmath.binomial(n, j) * q**j * (1 - q) ** (n - j) for j in range(k + 1))


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [
        (0, 1_000_000, 1e-9),
        (1, 1_000_000, 5e-6),
        (5, 1_000_000, 1e-5),
        (5, 1_000_000, 1e-4),  # a lower tail of about 1e-36
        (5, 10_000, 1e-3),
        (20, 10_000, 4e-3),
        (0, 2000, 0.5),  # 2^-2000 is below the float range: 0
        (3, 2000, 0.01),
        (20, 2000, 0.01),
        (1000, 2000, 0.5),
        (900, 2000, 0.5),
        (1990, 2000, 0.999),
        (1999, 2000, 0.9999),
        # Lower tails of 1e-4 to 1e-3 with n from 10⁵ to 10⁸: the continued fraction at
        # 1 - p next to 1 was off by up to 3e-10 here.
        (1, 100_000, 1e-4),
        (20, 100_000, 4e-4),
        (1, 1_000_000, 1e-5),
        (5, 1_000_000, 2e-5),
        (20, 10_000_000, 4e-6),
        (5, 100_000_000, 2e-7),
    ],
)
def test_binomial_cdf_relative_error_at_the_corners(k: int, n: int, p: float) -> None:
    exact = _binomial_cdf_exact(k, n, p)
    assert binomial_cdf(k, n, p) == pytest.approx(float(exact), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(("a", "b", "p"), [(0.5, 1e6, 1 - 1e-9), (50.0, 1e6, 0.975), (3.0, 1e6, 1 - 1e-9)])
def test_beta_quantile_large_shape_upper_tail(a: float, b: float, p: float) -> None:
    """With a shape of 10⁶ and p next to 1 the continued fraction left errors up to 8e-13."""
    from cskpi._core.distributions import beta_quantile

    x = beta_quantile(p, a, b)
    with mpmath.workdps(40):
        big_x = mpmath.mpf(x)
        probability = mpmath.betainc(a, b, 0, big_x, regularized=True)
        density = mpmath.exp(
            (a - 1) * mpmath.log(big_x) + (b - 1) * mpmath.log1p(-big_x) - mpmath.log(mpmath.beta(a, b))
        )
        assert float(abs(probability - p) / (density * big_x)) < 1e-13


@pytest.mark.parametrize(
    ("s", "z"),
    [(0.5, 0.1), (0.5, 30.0), (3.0, 2.0), (21.0, 40.0), (1000.0, 950.0), (1000.0, 1100.0), (1e5, 1e5 + 300)],
)
def test_gamma_upper_against_mpmath(s: float, z: float) -> None:
    """The regularized upper incomplete gamma function behind the large-shape expansion."""
    from cskpi._core.distributions import _gamma_upper

    with mpmath.workdps(40):
        exact = float(mpmath.gammainc(s, z, mpmath.inf, regularized=True))
    assert _gamma_upper(np.array([s]), np.array([z]))[0] == pytest.approx(exact, rel=1e-14)


@pytest.mark.parametrize("df", [1.0, 2.5, 10.0, 30.0, 100.0, 1000.0, 9999.0])
def test_t_two_sided_p_relative_error(df: float) -> None:
    """Against ``I_{df/(df+t²)}(df/2, 1/2)`` at 40 digits, from t next to 0 to tails of 1e-200."""
    for t in [1e-6, 0.3, 1.0, 2.5, 8.0, 30.0, 1000.0]:
        with mpmath.workdps(40):
            x = mpmath.mpf(df) / (df + mpmath.mpf(t) ** 2)
            exact = float(mpmath.betainc(mpmath.mpf(df) / 2, mpmath.mpf(1) / 2, 0, x, regularized=True))
        assert t_two_sided_p(t, df) == pytest.approx(exact, rel=1e-12, abs=1e-300), t
