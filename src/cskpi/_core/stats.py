"""Confidence intervals and tests shared by the metric modules.

All functions broadcast over numpy arrays so that grouped results get one interval
per group in one call. Normal quantiles come from the standard library's
:class:`statistics.NormalDist`, beta and t quantiles from :mod:`.distributions`
(numpy only, no scipy dependency).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .checks import check_confidence_level, unwrap
from .distributions import beta_quantile, binomial_cdf, t_quantile
from .errors import InvalidInputError, warn_undefined

__all__ = [
    "MEAN_METHODS",
    "RATE_METHODS",
    "bootstrap_generator",
    "check_method",
    "divide",
    "mean_interval",
    "moments_interval",
    "nan_where_empty",
    "normal_quantile",
    "normal_two_sided_p",
    "order_statistic_ranks",
    "rate_interval",
    "score_difference",
    "wald_mean_interval",
    "wilson_interval",
]

#: Interval methods for a binomial proportion, the first the default (see :func:`rate_interval`).
RATE_METHODS = ("wilson", "agresti-coull", "clopper-pearson", "jeffreys")
#: Interval methods for a mean, the first the default (see :func:`mean_interval`).
MEAN_METHODS = ("t", "normal")


def check_method(method: Any, choices: tuple[str, ...], name: str = "method") -> str:
    """``method`` if it is one of ``choices``, else :class:`InvalidInputError` listing them."""
    if not isinstance(method, str) or method not in choices:  # an array has no truth value
        listed = ", ".join(repr(choice) for choice in choices)
        raise InvalidInputError(f"{name} must be one of {listed}; got {method!r}")
    return method


_STANDARD_NORMAL = NormalDist()
_erfc = np.frompyfunc(math.erfc, 1, 1)


def normal_quantile(confidence_level: float) -> float:
    """Two-sided standard normal critical value ``z`` for a confidence level (1.959964 for 0.95)."""
    level = check_confidence_level(confidence_level)
    return _STANDARD_NORMAL.inv_cdf(0.5 + level / 2.0)


def normal_two_sided_p(z: Any) -> Any:
    """Two-sided p-value ``P(|Z| >= |z|) = erfc(|z| / sqrt 2)`` of a standard normal statistic.

    Evaluated per element with :func:`math.erfc` (one call per group, never per row).
    """
    z_array = np.asarray(z, dtype=np.float64)
    p = np.asarray(_erfc(np.abs(z_array) / math.sqrt(2.0)), dtype=np.float64)
    return p.item() if p.ndim == 0 else p


def bootstrap_generator(random_state: Any, n_resamples: Any) -> np.random.Generator:
    """A :class:`numpy.random.Generator` from a seed, a generator or None, after checking ``n_resamples``."""
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int | np.integer) or n_resamples < 1:
        raise InvalidInputError(f"n_resamples must be a positive integer; got {n_resamples!r}")
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or (
        isinstance(random_state, int | np.integer)
        and not isinstance(random_state, bool)
        and random_state >= 0
    ):
        return np.random.default_rng(random_state)
    raise InvalidInputError(
        f"random_state must be a non-negative integer, a numpy Generator or None; got {random_state!r}"
    )


def divide(numerator: Any, denominator: Any, what: str) -> Any:
    """``numerator / denominator``, NaN with one :class:`UndefinedMetricWarning` where the denominator is 0.

    Returns a float for scalar input and a float array otherwise.
    """
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    empty = den == 0
    if np.any(empty):
        warn_undefined(f"{what} is undefined for zero observations; returning NaN")
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(empty, np.nan, num / np.where(empty, 1.0, den))
    return result.item() if result.ndim == 0 else result


def nan_where_empty(low: Any, high: Any, n: Any, what: str) -> tuple[Any, Any]:
    """Interval bounds with NaN where ``n`` is 0, and one :class:`UndefinedMetricWarning` if any.

    The library's rule for undefined intervals: an interval (or a p-value) over zero
    observations is NaN, never a number such as (0, 1); for a grouped result only the
    empty groups are NaN, with one warning for all of them.
    """
    count = np.asarray(n)
    empty = count == 0
    if not np.any(empty):
        return low, high
    warn_undefined(f"{what} is undefined for zero observations; returning NaN")
    low_out = np.where(empty, np.nan, np.asarray(low, dtype=np.float64))
    high_out = None if high is None else unwrap(np.where(empty, np.nan, np.asarray(high, dtype=np.float64)))
    return unwrap(low_out), high_out


def wilson_interval(successes: Any, n: Any, confidence_level: float) -> tuple[Any, Any]:
    """Wilson score interval for a binomial proportion (Wilson 1927).

    ``center = (p + z²/2n) / (1 + z²/n)``, ``half = z / (1 + z²/n) * sqrt(p(1-p)/n + z²/4n²)``.
    NaN, with one :class:`UndefinedMetricWarning`, where ``n`` is 0 (see :func:`nan_where_empty`).
    """
    z = normal_quantile(confidence_level)
    k = np.asarray(successes, dtype=np.float64)
    total = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / total
        z2n = z * z / total
        center = (p + z2n / 2.0) / (1.0 + z2n)
        half = z / (1.0 + z2n) * np.sqrt(p * (1.0 - p) / total + z2n / (4.0 * total))
    # The exact bounds at k = 0 and k = n are 0 and 1; set them so rounding cannot
    # leave the point estimate a hair outside its own interval.
    low = np.where(k == 0, 0.0, np.clip(center - half, 0.0, 1.0))
    high = np.where(k == total, 1.0, np.clip(center + half, 0.0, 1.0))
    return nan_where_empty(unwrap(low), unwrap(high), total, "the Wilson interval")


def score_difference(
    promoter_a: Any, detractor_a: Any, n_a: Any, promoter_b: Any, detractor_b: Any, n_b: Any
) -> tuple[Any, Any]:
    """Difference of two +1/0/-1 score means and its standard error (the two-sample NPS test).

    With shares p (promoters) and d (detractors) the per-respondent score has mean
    ``p - d`` and variance ``v = p + d - (p - d)²``; the difference ``(p_a - d_a) -
    (p_b - d_b)`` has standard error ``sqrt(v_a / n_a + v_b / n_b)`` (Rocks 2016). As
    fractions, not NPS points; NaN where an n is 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        pa, da, na = (np.asarray(x, dtype=np.float64) for x in (promoter_a, detractor_a, n_a))
        pb, db, nb = (np.asarray(x, dtype=np.float64) for x in (promoter_b, detractor_b, n_b))
        difference = (pa - da) - (pb - db)
        variance = (pa + da - (pa - da) ** 2) / na + (pb + db - (pb - db) ** 2) / nb
        return difference, np.sqrt(variance)


def wald_mean_interval(mean: Any, variance: Any, n: Any, confidence_level: float) -> tuple[Any, Any]:
    """Normal-approximation interval ``mean ± z * sqrt(variance / n)``; NaN (one warning) where n is 0."""
    z = normal_quantile(confidence_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = z * np.sqrt(np.asarray(variance, dtype=np.float64) / np.asarray(n, dtype=np.float64))
    centre = np.asarray(mean, dtype=np.float64)
    return nan_where_empty(unwrap(centre - half), unwrap(centre + half), n, "the interval for a mean")


def rate_interval(successes: Any, n: Any, confidence_level: float, method: str = "wilson") -> tuple[Any, Any]:
    """Two-sided interval for a binomial proportion ``successes / n`` by a named method.

    Parameters
    ----------
    successes, n : int or array_like of int
        Counts, broadcast together (one interval per group).
    confidence_level : float
        Two-sided level in (0, 1).
    method : {'wilson', 'agresti-coull', 'clopper-pearson', 'jeffreys'}
        ``'wilson'``: the score interval (Wilson 1927). ``'agresti-coull'``: the Wald
        interval around ``(k + z²/2) / (n + z²)`` with ``n + z²`` trials, clipped to
        [0, 1] (Agresti & Coull 1998). ``'clopper-pearson'``: the exact interval,
        ``[B(α/2; k, n-k+1), B(1-α/2; k+1, n-k)]`` with 0 at k = 0 and 1 at k = n.
        ``'jeffreys'``: the equal-tailed interval of the Beta(k + 1/2, n - k + 1/2)
        posterior, with the lower bound 0 at k = 0 and the upper bound 1 at k = n
        (Brown, Cai & DasGupta 2001, section 4.1.2).

    Returns
    -------
    tuple
        ``(low, high)`` in [0, 1], floats or arrays; NaN, with one
        :class:`UndefinedMetricWarning`, where ``n`` is 0.

    Notes
    -----
    Brown, Cai & DasGupta (2001) recommend Wilson or Jeffreys for small n and
    Agresti-Coull for n of 40 and more; Clopper-Pearson guarantees at least the nominal
    coverage at every true rate and is therefore wider than the others.

    References
    ----------
    L. D. Brown, T. T. Cai and A. DasGupta (2001), "Interval Estimation for a Binomial
    Proportion", Statistical Science 16(2), 101-133, doi:10.1214/ss/1009213286.
    A. Agresti and B. A. Coull (1998), "Approximate Is Better than 'Exact' for
    Interval Estimation of Binomial Proportions", The American Statistician 52(2),
    119-126, doi:10.1080/00031305.1998.10480550.
    C. J. Clopper and E. S. Pearson (1934), "The use of confidence or fiducial limits
    illustrated in the case of the binomial", Biometrika 26(4), 404-413,
    doi:10.1093/biomet/26.4.404.

    Examples
    --------
    0 successes in 10: the exact upper bound solves ``(1 - p)^10 = 0.025``, so it is
    ``1 - 0.025^(1/10) = 0.3085``:

    >>> low, high = rate_interval(0, 10, 0.95, "clopper-pearson")
    >>> low, round(high, 4)
    (0.0, 0.3085)
    """
    check_method(method, RATE_METHODS)
    if method == "wilson":
        return wilson_interval(successes, n, confidence_level)
    level = check_confidence_level(confidence_level)
    k = np.asarray(successes, dtype=np.float64)
    total = np.asarray(n, dtype=np.float64)
    k, total = np.broadcast_arrays(k, total)
    alpha = 1.0 - level
    if method == "agresti-coull":
        z = normal_quantile(level)
        with np.errstate(divide="ignore", invalid="ignore"):
            n_tilde = total + z * z
            p_tilde = (k + z * z / 2.0) / n_tilde
            half = z * np.sqrt(p_tilde * (1.0 - p_tilde) / n_tilde)
        low, high = np.clip(p_tilde - half, 0.0, 1.0), np.clip(p_tilde + half, 0.0, 1.0)
    else:
        shift = 0.0 if method == "clopper-pearson" else 0.5
        valid = total > 0
        safe_n = np.where(valid, total, 1.0)
        safe_k = np.where(valid, k, 0.0)
        # Beta shapes must be positive; the bounds at k = 0 and k = n are set below.
        a_low = np.where(safe_k > 0, safe_k + shift, 1.0)
        b_low = safe_n - safe_k + 1.0 - shift
        a_high = safe_k + 1.0 - shift
        b_high = np.where(safe_k < safe_n, safe_n - safe_k + shift, 1.0)
        low = beta_quantile(np.full(k.shape, alpha / 2.0), a_low, b_low)
        high = beta_quantile(np.full(k.shape, 1.0 - alpha / 2.0), a_high, b_high, upper=alpha / 2.0)
        low = np.where(safe_k <= 0, 0.0, low)
        high = np.where(safe_k >= safe_n, 1.0, high)
    return nan_where_empty(unwrap(low), unwrap(high), total, f"the {method} interval")


def mean_interval(
    mean: Any, variance: Any, n: Any, confidence_level: float, method: str = "t"
) -> tuple[Any, Any]:
    """Interval ``mean ± c * sqrt(variance / n)`` with ``c`` from Student's t or the normal.

    Parameters
    ----------
    mean, variance, n : float or array_like
        Sample mean, sample variance (divisor n - 1) and sample size, broadcast together.
    confidence_level : float
        Two-sided level in (0, 1).
    method : {'t', 'normal'}
        ``'t'``: ``c = t_{1-α/2, n-1}``, exact for normally distributed data and the
        normal value in the limit, so it is the default at every n. ``'normal'``:
        ``c = z_{1-α/2}``, the large-sample interval (about 92 % coverage at n = 10
        for a nominal 95 %).

    Returns
    -------
    tuple
        ``(low, high)``; NaN (with a warning) where n is 0; NaN where n is 1 (no variance).

    Examples
    --------
    Mean 4, variance 20/3, n = 4: ``t_{0.975, 3} = 3.1824``, half-width
    3.1824 * sqrt(20/3 / 4) = 4.1085:

    >>> low, high = mean_interval(4.0, 20 / 3, 4, 0.95)
    >>> round(low, 4), round(high, 4)
    (-0.1085, 8.1085)
    """
    check_method(method, MEAN_METHODS)
    if method == "normal":
        return wald_mean_interval(mean, variance, n, confidence_level)
    level = check_confidence_level(confidence_level)
    total = np.asarray(n, dtype=np.float64)
    df = np.where(total > 1, total - 1.0, np.nan)
    critical = np.where(np.isnan(df), np.nan, t_quantile(0.5 + level / 2.0, np.where(np.isnan(df), 1.0, df)))
    with np.errstate(divide="ignore", invalid="ignore"):
        half = critical * np.sqrt(np.asarray(variance, dtype=np.float64) / total)
    centre = np.asarray(mean, dtype=np.float64)
    return nan_where_empty(unwrap(centre - half), unwrap(centre + half), n, "the interval for a mean")


def _smallest_k(n: NDArray[np.float64], q: NDArray[np.float64], p: float, strict: bool) -> NDArray[np.int64]:
    """Smallest k in 0..n with ``F(k) >= p`` (``> p`` when ``strict``), F the Binomial(n, q) CDF."""
    low = np.full(n.shape, -1, dtype=np.int64)  # F(low) below the target (F(-1) = 0)
    high = n.astype(np.int64)  # F(n) = 1 reaches it
    while np.any(high - low > 1):
        middle = (low + high) // 2
        cdf = np.asarray(binomial_cdf(middle, n, q), dtype=np.float64)
        reached = cdf > p if strict else cdf >= p
        high = np.where(reached, middle, high)
        low = np.where(reached, low, middle)
    return high


def order_statistic_ranks(
    sizes: Any, fractions: Any, confidence_level: float
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    r"""0-based ranks ``(l, u)`` of the distribution-free interval ``[x_(l), x_(u)]`` for quantiles.

    Parameters
    ----------
    sizes : array_like of int, shape (g,)
        Sample size of each group.
    fractions : array_like of float, shape (k,)
        Quantile levels in [0, 1].
    confidence_level : float

    Returns
    -------
    tuple of ndarray of int, shape (g, k)
        ``l`` is -1 where no order statistic is a lower bound at this level (the bound
        is then -inf, or the smallest possible value), ``u`` is ``n`` where none is an
        upper bound (+inf).

    Notes
    -----
    The number of observations below the true $q$-quantile is $\mathrm{Binomial}(n, q)$,
    with distribution function $F$, for continuous data, so
    $P(x_{(l)} \le \xi_q < x_{(u)}) = F(u - 1) - F(l - 1)$ with 1-based ranks. The lower
    rank is the largest with $F(l - 1) \le \alpha/2$, the upper the smallest with
    $F(u - 1) \ge 1 - \alpha/2$; the coverage is at least the nominal level
    whatever the distribution (Conover 1999, section 3.2; Hahn & Meeker 1991, 5.2).

    References
    ----------
    W. J. Conover (1999), *Practical Nonparametric Statistics*, 3rd ed., Wiley.

    Examples
    --------
    The median of 10 observations at 95 %: ``F(1) = 0.0107 <= 0.025 < F(2) = 0.0547``
    gives the 2nd smallest as the lower bound, and by symmetry the 9th as the upper:

    >>> low, high = order_statistic_ranks([10], [0.5], 0.95)
    >>> int(low[0, 0]) + 1, int(high[0, 0]) + 1
    (2, 9)
    """
    alpha = 1.0 - check_confidence_level(confidence_level)
    n = np.asarray(sizes, dtype=np.float64)[:, None]
    q = np.asarray(fractions, dtype=np.float64)[None, :]
    n, q = np.broadcast_arrays(n, q)
    # 1-based l = smallest k with F(k) > α/2 (so F(l - 1) <= α/2); 0-based that is k - 1.
    lower = _smallest_k(n, q, alpha / 2.0, strict=True) - 1
    # 1-based u = smallest k with F(k) >= 1 - α/2, plus 1; 0-based that is k.
    upper = _smallest_k(n, q, 1.0 - alpha / 2.0, strict=False)
    return lower, upper


def moments_interval(
    n: Any,
    total: Any,
    squares: Any,
    confidence_level: float,
    method: str,
    what: str,
    items: str = "observations",
) -> tuple[Any, Any]:
    """Interval for a mean from its sufficient statistics ``n``, ``Σx`` and ``Σx²``.

    The sample variance is ``(Σx² - (Σx)² / n) / (n - 1)`` (clipped at 0 against
    rounding), then :func:`mean_interval`. Fewer than two observations give NaN with
    an :class:`UndefinedMetricWarning` naming ``what`` and the ``items`` counted. The three sums merge by
    addition, so batches and partitions combine exactly for counts; on durations in
    seconds the rounding of ``Σx²`` stays far below any variance that matters.

    Examples
    --------
    Waits 10, 20 and 60 s: mean 30, s² = 700, ``t_{0.975, 2} = 4.30265``, half-width
    4.30265 * sqrt(700 / 3) = 65.72:

    >>> low, high = moments_interval(3, 90.0, 4100.0, 0.95, "t", "the ASA")
    >>> round(low, 2), round(high, 2)
    (-35.72, 95.72)
    """
    check_method(method, MEAN_METHODS)
    n = np.asarray(n, dtype=np.float64)
    total = np.asarray(total, dtype=np.float64)
    squares = np.asarray(squares, dtype=np.float64)
    if np.any(n < 2):
        warn_undefined(f"the interval for {what} needs at least two {items}; returning NaN")
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / n
        variance = np.where(n < 2, np.nan, np.maximum(squares - total * total / n, 0.0) / (n - 1))
    low, high = mean_interval(mean, variance, n, confidence_level, method)
    return unwrap(low), unwrap(high)
