"""Comparisons: is one rate or mean really different from another?

:func:`rate_difference` compares two rates (service level, abandonment, CSAT, FCR…)
with Newcombe's hybrid score interval and the two-proportion score test;
:func:`mean_difference` compares two means (CES, mean ratings, QA scores) with
Welch's t; :func:`compare` compares every group of a grouped result with one
baseline group in one vectorised call, with Holm's correction for the number of
comparisons. Every comparison is a :class:`Comparison` with the ``difference``, its
``confidence_interval`` and the ``p_value``, the field names of
:class:`cskpi.NPSDifference`.

A rate result is any result whose ``value`` is a fraction of its ``n`` (the
successes are ``value * n``); a mean result has ``mean``, ``variance`` and ``n``.
Plain numbers work as well: ``(successes, n)`` for a rate, ``(mean, variance, n)``
for a mean.
"""

from __future__ import annotations

import warnings
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.checks import check_confidence_level, unwrap
from .._core.distributions import normal_cdf, t_quantile, t_two_sided_p
from .._core.errors import InvalidInputError, InvalidTypeError, UndefinedMetricWarning, warn_undefined
from .._core.results import ConfidenceInterval, Grouped, Tabular, label_position
from .._core.stats import check_method, normal_quantile, score_difference, wilson_interval

__all__ = [
    "Comparison",
    "GroupComparison",
    "compare",
    "holm",
    "mean_difference",
    "rate_difference",
]

_F = NDArray[np.float64]


@attrs.frozen(kw_only=True)
class Comparison(Tabular):
    """Result of :func:`rate_difference` and :func:`mean_difference`: ``a - b`` with its interval and test.

    Attributes
    ----------
    estimate_a, estimate_b : float or ndarray
        The two rates (fractions in [0, 1]) or means (in the unit of the data).
    difference : float or ndarray
        ``estimate_a - estimate_b``.
    confidence_interval : ConfidenceInterval
        Interval for the difference.
    statistic : float or ndarray
        Test statistic: the score z for rates, Welch's t for means.
    df : float or ndarray or None
        Welch-Satterthwaite degrees of freedom (means); None for rates.
    p_value : float or ndarray
        Two-sided p-value of "no difference".
    method : str
        ``'newcombe'`` or ``'welch'``.
    """

    _headline = "difference"
    _figures = ("estimate_a", "estimate_b", "statistic", "p_value")

    estimate_a: Any
    estimate_b: Any
    difference: Any
    confidence_interval: ConfidenceInterval
    statistic: Any
    df: Any
    p_value: Any
    method: str

    @property
    def n(self) -> Any:
        """Not a sample: a comparison has no ``n`` of its own (None)."""
        return None


def _rate_counts(result: Any, name: str) -> tuple[_F, _F]:
    """Successes and n of a rate result or of a ``(successes, n)`` pair."""
    if isinstance(result, tuple):
        if len(result) != 2:
            raise InvalidInputError(f"{name} must be a rate result or a (successes, n) pair; got {result!r}")
        successes, n = (np.asarray(part, dtype=np.float64) for part in result)
    else:
        try:
            n = np.asarray(result.n, dtype=np.float64)
        except AttributeError:
            raise InvalidTypeError(
                f"{name} must be a rate result (with value and n) or a (successes, n) pair; "
                f"got {type(result).__name__}"
            ) from None
        with np.errstate(invalid="ignore"):
            value = np.asarray(np.nan_to_num(_quiet_value(result)), dtype=np.float64)
        successes = np.round(value * n)
        if np.any(np.abs(value * n - successes) > 1e-6 * np.maximum(n, 1.0)) or np.any(value > 1.0):
            raise InvalidInputError(f"{name} must be a rate result whose value is a fraction of its n")
    if np.any(successes < 0) or np.any(successes > n) or np.any(n < 0):
        raise InvalidInputError(
            f"{name} must have 0 <= successes <= n; got {unwrap(successes)!r} of {unwrap(n)!r}"
        )
    return successes, n


def _quiet_value(result: Any) -> Any:
    """A result's value without the warning of empty groups (they are reported by the comparison)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        return result.value


def _newcombe(
    k_a: _F, n_a: _F, k_b: _F, n_b: _F, confidence_level: float
) -> tuple[_F, _F, _F, _F, _F, _F, _F]:
    """Rates, difference, Newcombe bounds, score z and p of arrays of counts (NaN where a sample is empty)."""
    empty = (n_a == 0) | (n_b == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_a, p_b = k_a / n_a, k_b / n_b
        with warnings.catch_warnings():  # emptiness is reported once below
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            low_a, high_a = (
                np.asarray(v, dtype=np.float64) for v in wilson_interval(k_a, n_a, confidence_level)
            )
            low_b, high_b = (
                np.asarray(v, dtype=np.float64) for v in wilson_interval(k_b, n_b, confidence_level)
            )
        difference = p_a - p_b
        low = difference - np.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
        high = difference + np.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
        pooled = (k_a + k_b) / (n_a + n_b)
        se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n_a + 1.0 / n_b))
        z = np.where(se > 0, difference / np.where(se > 0, se, 1.0), np.where(difference == 0, 0.0, np.nan))
    p = 2.0 * np.asarray(normal_cdf(-np.abs(z)), dtype=np.float64)
    p = np.where(empty, np.nan, np.where(se > 0, p, 1.0))
    nan = np.where(empty, np.nan, 0.0)
    return p_a + nan, p_b + nan, difference + nan, low + nan, high + nan, z + nan, p


def rate_difference(a: Any, b: Any, *, confidence_level: float = 0.95) -> Comparison:
    r"""Difference of two independent rates, ``a - b``, with Newcombe's hybrid score interval.

    Parameters
    ----------
    a, b : rate result, Grouped rate result, or (successes, n)
        The two rates: results such as ``service_level(...)``, ``csat(...)``,
        ``abandonment_rate(...)`` (``value`` a fraction of ``n``), or count pairs;
        arrays of counts (or grouped results with the same labels) compare element by
        element.
    confidence_level : float, default 0.95
        Two-sided level of the interval.

    Returns
    -------
    Comparison
        ``difference`` (a fraction), its ``confidence_interval`` (method
        ``'newcombe'``), the score ``statistic`` z and the two-sided ``p_value``.

    Notes
    -----
    With Wilson intervals $(l_a, u_a)$ and $(l_b, u_b)$ of the two rates and
    $\delta = p_a - p_b$, Newcombe's method 10 is

    $$L = \delta - \sqrt{(p_a - l_a)^2 + (u_b - p_b)^2}, \qquad
    U = \delta + \sqrt{(u_a - p_a)^2 + (p_b - l_b)^2}.$$

    The p-value is the two-proportion score test,
    $z = \delta / \sqrt{\bar p (1 - \bar p) (1/n_a + 1/n_b)}$ with the pooled rate $\bar p$; it is 1 when
    both samples are all successes or all failures. NaN, with an
    :class:`UndefinedMetricWarning`, where a sample is empty.

    References
    ----------
    R. G. Newcombe (1998), "Interval estimation for the difference between independent
    proportions: comparison of eleven methods", Statistics in Medicine 17(8), 873-890,
    doi:10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I.

    Examples
    --------
    Newcombe's first example, 56/70 against 48/80: difference 0.2, interval
    [0.0524, 0.3339].

    >>> from cskpi import rate_difference
    >>> test = rate_difference((56, 70), (48, 80))
    >>> low, high = test.confidence_interval
    >>> round(test.difference, 4), round(low, 4), round(high, 4)
    (0.2, 0.0524, 0.3339)
    """
    level = check_confidence_level(confidence_level)
    _same_groups(a, b)
    k_a, n_a = _rate_counts(a, "a")
    k_b, n_b = _rate_counts(b, "b")
    k_a, n_a, k_b, n_b = np.broadcast_arrays(k_a, n_a, k_b, n_b)
    if np.any((n_a == 0) | (n_b == 0)):
        warn_undefined("a rate difference is undefined when a sample has zero observations; returning NaN")
    p_a, p_b, difference, low, high, z, p = _newcombe(k_a, n_a, k_b, n_b, level)
    return Comparison(
        estimate_a=unwrap(p_a),
        estimate_b=unwrap(p_b),
        difference=unwrap(difference),
        confidence_interval=ConfidenceInterval(
            low=unwrap(low), high=unwrap(high), confidence_level=confidence_level, method="newcombe"
        ),
        statistic=unwrap(z),
        df=None,
        p_value=unwrap(p),
        method="newcombe",
    )


def _mean_stats(result: Any, name: str) -> tuple[_F, _F, _F]:
    """Mean, sample variance and n of a mean result or a ``(mean, variance, n)`` triple."""
    if isinstance(result, tuple):
        if len(result) != 3:
            raise InvalidInputError(
                f"{name} must be a mean result or a (mean, variance, n) triple; got {result!r}"
            )
        mean, variance, n = (np.asarray(part, dtype=np.float64) for part in result)
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UndefinedMetricWarning)
                mean = np.asarray(result.mean, dtype=np.float64)
                variance = np.asarray(result.variance, dtype=np.float64)
                n = np.asarray(result.n, dtype=np.float64)
        except AttributeError:
            raise InvalidTypeError(
                f"{name} must be a result with mean, variance and n, or a (mean, variance, n) triple; "
                f"got {type(result).__name__}"
            ) from None
    if np.any(n < 0) or np.any(variance < 0):
        raise InvalidInputError(f"{name} must have n >= 0 and variance >= 0")
    return mean, variance, n


def _welch(
    mean_a: _F, var_a: _F, n_a: _F, mean_b: _F, var_b: _F, n_b: _F, level: float
) -> tuple[_F, _F, _F, _F, _F, _F]:
    with np.errstate(divide="ignore", invalid="ignore"):
        va, vb = var_a / n_a, var_b / n_b
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (n_a - 1.0) + vb**2 / (n_b - 1.0))
        difference = mean_a - mean_b
        t = difference / se
    undefined = (n_a < 2) | (n_b < 2) | ~(se > 0)
    safe_df = np.where(undefined, 1.0, df)
    critical = np.asarray(t_quantile(0.5 + level / 2.0, safe_df), dtype=np.float64)
    p = np.asarray(t_two_sided_p(np.where(undefined, 0.0, t), safe_df), dtype=np.float64)
    nan = np.where(undefined, np.nan, 0.0)
    return (
        difference,
        difference - critical * se + nan,
        difference + critical * se + nan,
        t + nan,
        df + nan,
        p + nan,
    )


def mean_difference(a: Any, b: Any, *, confidence_level: float = 0.95) -> Comparison:
    r"""Difference of two independent means, ``a - b``, by Welch's t (unequal variances).

    Parameters
    ----------
    a, b : mean result, Grouped mean result, or (mean, variance, n)
        Results with ``mean``, ``variance`` (divisor n - 1) and ``n`` (``ces(...)``,
        ``csat(...)`` for the mean rating), or the three numbers.
    confidence_level : float, default 0.95
        Two-sided level of the interval.

    Returns
    -------
    Comparison
        ``difference``, its ``confidence_interval`` (method ``'welch'``), Welch's
        ``statistic`` t, its degrees of freedom ``df`` and the two-sided ``p_value``.

    Notes
    -----
    $$t = \frac{m_a - m_b}{\sqrt{s_a^2/n_a + s_b^2/n_b}}$$

    with the Welch-Satterthwaite degrees of freedom

    $$\nu = \frac{(s_a^2/n_a + s_b^2/n_b)^2}{(s_a^2/n_a)^2/(n_a - 1) + (s_b^2/n_b)^2/(n_b - 1)};$$

    the interval is $m_a - m_b \pm t_{1-\alpha/2,\,\nu} \cdot \mathrm{se}$. NaN where a sample has fewer than
    two observations or both variances are 0.

    References
    ----------
    B. L. Welch (1947), "The generalization of 'Student's' problem when several
    different population variances are involved", Biometrika 34(1-2), 28-35,
    doi:10.1093/biomet/34.1-2.28.

    Examples
    --------
    Means 5 and 4, variances 2 and 1, 10 answers each: se = sqrt(0.3) = 0.5477,
    t = 1.826, df = 0.09 / (0.04/9 + 0.01/9) = 16.2.

    >>> from cskpi import mean_difference
    >>> test = mean_difference((5.0, 2.0, 10), (4.0, 1.0, 10))
    >>> round(test.statistic, 3), round(test.df, 1), round(test.p_value, 3)
    (1.826, 16.2, 0.086)
    """
    level = check_confidence_level(confidence_level)
    _same_groups(a, b)
    stats_a = _mean_stats(a, "a")
    stats_b = _mean_stats(b, "b")
    mean_a, var_a, n_a, mean_b, var_b, n_b = np.broadcast_arrays(*stats_a, *stats_b)
    if np.any((n_a < 2) | (n_b < 2)):
        warn_undefined("a mean difference needs two observations in each sample; returning NaN")
    difference, low, high, t, df, p = _welch(mean_a, var_a, n_a, mean_b, var_b, n_b, level)
    return Comparison(
        estimate_a=unwrap(mean_a),
        estimate_b=unwrap(mean_b),
        difference=unwrap(difference),
        confidence_interval=ConfidenceInterval(
            low=unwrap(low), high=unwrap(high), confidence_level=confidence_level, method="welch"
        ),
        statistic=unwrap(t),
        df=unwrap(df),
        p_value=unwrap(p),
        method="welch",
    )


def _same_groups(a: Any, b: Any) -> None:
    grouped = (isinstance(a, Grouped), isinstance(b, Grouped))
    if any(grouped) and (not all(grouped) or a.keys() != b.keys()):
        raise InvalidInputError("a and b must be grouped with the same labels to compare per group")


def _nps_against(values: Any, position: int, level: float) -> Comparison:
    """Wald comparison of every group's NPS with the group at ``position`` (NPS points)."""
    try:
        promoters, detractors = (
            np.asarray(getattr(values, name), dtype=np.float64) for name in ("promoters", "detractors")
        )
        n = np.asarray(values.n, dtype=np.float64)
    except AttributeError:
        raise InvalidTypeError(
            f"grouped must be a grouped NPS result for kind='nps'; got {type(values).__name__}"
        ) from None
    empty = (n == 0) | (n[position] == 0)
    if np.any(empty):
        warn_undefined("an NPS difference is undefined when a sample has zero answers; returning NaN")
    with np.errstate(divide="ignore", invalid="ignore"):
        p, d = promoters / n, detractors / n
    difference, se = score_difference(p, d, n, p[position], d[position], n[position])
    nan = np.where(empty, np.nan, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, difference / np.where(se > 0, se, 1.0), 0.0) + nan
    p_value = np.where(se > 0, 2.0 * np.asarray(normal_cdf(-np.abs(z)), dtype=np.float64), 1.0) + nan
    critical = normal_quantile(level)
    return Comparison(
        estimate_a=100.0 * (p - d) + nan,
        estimate_b=np.full(n.shape, 100.0 * (p[position] - d[position])) + nan,
        difference=100.0 * difference + nan,
        confidence_interval=ConfidenceInterval(
            low=100.0 * (difference - critical * se) + nan,
            high=100.0 * (difference + critical * se) + nan,
            confidence_level=level,
            method="wald",
        ),
        statistic=z,
        df=None,
        p_value=p_value,
        method="wald",
    )


def holm(p_values: Any) -> NDArray[np.float64]:
    r"""Holm's step-down adjustment of p-values for multiple comparisons.

    Parameters
    ----------
    p_values : array_like of float
        Unadjusted p-values in [0, 1]; NaN entries are left out of the count and stay NaN.

    Returns
    -------
    ndarray
        Adjusted p-values: reject where ``adjusted <= α`` to keep the family-wise
        error rate at α.

    Notes
    -----
    With the $m$ p-values sorted, $p_{(1)} \le \dots \le p_{(m)}$, the adjusted value of the
    $i$-th is $\max_{j \le i} \min(1, (m - j + 1)\, p_{(j)})$.

    References
    ----------
    S. Holm (1979), "A simple sequentially rejective multiple test procedure",
    Scandinavian Journal of Statistics 6(2), 65-70.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=np.float64)
    flat = p.reshape(-1)
    valid = np.flatnonzero(~np.isnan(flat))
    order = valid[np.argsort(flat[valid], kind="stable")]
    m = order.shape[0]
    scaled = np.minimum(1.0, (m - np.arange(m)) * flat[order])
    adjusted = np.full_like(flat, np.nan)
    adjusted[order] = np.maximum.accumulate(scaled)
    return adjusted.reshape(p.shape)


@attrs.frozen(kw_only=True)
class GroupComparison(Tabular):
    """Result of :func:`compare`: every group against the baseline group.

    Attributes
    ----------
    labels : ndarray or tuple of ndarray
        Group labels (the baseline's row compares it with itself: difference 0, p 1).
    names : tuple of str
        Names of the grouping keys.
    baseline : object
        The baseline label.
    comparison : Comparison
        The per-group comparisons (arrays aligned with the labels).
    p_adjusted : ndarray
        Holm-adjusted p-values over the non-baseline groups (NaN for the baseline).
    significant : ndarray of bool
        ``p_adjusted <= 1 - confidence_level``.
    """

    _headline = "difference"
    _figures = ("estimate", "baseline_estimate", "ci_low", "ci_high", "p_value", "p_adjusted", "significant")

    labels: Any = attrs.field(eq=False)
    names: tuple[str, ...]
    baseline: Any
    comparison: Comparison
    p_adjusted: Any = attrs.field(eq=False)
    significant: Any = attrs.field(eq=False)

    @property
    def difference(self) -> Any:
        """Group minus baseline, per group."""
        return self.comparison.difference

    @property
    def estimate(self) -> Any:
        """Each group's rate or mean."""
        return self.comparison.estimate_a

    @property
    def baseline_estimate(self) -> Any:
        """The baseline's rate or mean, repeated per group."""
        return self.comparison.estimate_b

    @property
    def ci_low(self) -> Any:
        """Lower bound of the difference's interval (not adjusted for multiplicity)."""
        return self.comparison.confidence_interval.low

    @property
    def ci_high(self) -> Any:
        """Upper bound of the difference's interval."""
        return self.comparison.confidence_interval.high

    @property
    def p_value(self) -> Any:
        """Unadjusted two-sided p-values."""
        return self.comparison.p_value

    @property
    def n(self) -> Any:
        """Not a sample (None)."""
        return None


def compare(
    grouped: Grouped[Any], *, baseline: Any, kind: str = "rate", confidence_level: float = 0.95
) -> GroupComparison:
    """Compare every group of a grouped result with one baseline group, Holm-corrected.

    Parameters
    ----------
    grouped : Grouped
        A grouped rate result (``service_level(..., by=...)``, ``csat(..., by=...)``)
        or, with ``kind='mean'``, a grouped result with ``mean``, ``variance`` and ``n``.
    baseline : label
        The group the others are compared with: a team, an agent, a period
        (``grouped.keys()[-2]`` for the period before the last).
    kind : {'rate', 'mean', 'nps'}, default 'rate'
        ``'rate'``: :func:`rate_difference` (Newcombe); ``'mean'``:
        :func:`mean_difference` (Welch); ``'nps'``: the two-sample Wald test of
        :func:`cskpi.nps_difference` on a grouped NPS (differences in NPS points).
    confidence_level : float, default 0.95
        Level of the intervals; ``significant`` uses α = 1 - confidence_level on the
        Holm-adjusted p-values.

    Returns
    -------
    GroupComparison
        Per group: ``estimate``, ``difference`` from the baseline, its interval
        (``ci_low``, ``ci_high``), ``p_value``, ``p_adjusted`` and ``significant``.

    Notes
    -----
    All groups are compared in one vectorised pass. The intervals are per comparison;
    the Holm adjustment (:func:`holm`) keeps the chance of any false "significant"
    among the m = groups - 1 comparisons at α.

    Examples
    --------
    Three teams' CSAT: A 8/10, B 9/10, C 30/100; C is clearly below A, B is not
    clearly different:

    >>> from cskpi import compare, csat
    >>> ratings = [5] * 8 + [1] * 2 + [5] * 9 + [1] + [5] * 30 + [1] * 70
    >>> teams = ["A"] * 10 + ["B"] * 10 + ["C"] * 100
    >>> result = compare(csat(ratings, by=teams), baseline="A")
    >>> result.significant.tolist()
    [False, False, True]
    """
    if not isinstance(grouped, Grouped):
        raise InvalidTypeError(
            f"grouped must be a Grouped result (computed with by=); got {type(grouped).__name__}"
        )
    check_method(kind, ("rate", "mean", "nps"), "kind")
    level = check_confidence_level(confidence_level)
    labels = grouped.labels
    key_labels = labels if isinstance(labels, tuple) else (labels,)
    try:
        position = label_position(key_labels, baseline)
    except KeyError:
        raise InvalidInputError(f"baseline must be one of the group labels; got {baseline!r}") from None
    values = grouped.values
    if kind == "rate":
        k, n = _rate_counts(values, "grouped")
        k, n = np.broadcast_to(k, n.shape), n
        comparison = rate_difference(
            (k, n), (np.full_like(k, k[position]), np.full_like(n, n[position])), confidence_level=level
        )
    elif kind == "nps":
        comparison = _nps_against(values, position, level)
    else:
        mean, variance, n = _mean_stats(values, "grouped")
        baseline_stats = tuple(np.full_like(part, part[position]) for part in (mean, variance, n))
        comparison = mean_difference((mean, variance, n), baseline_stats, confidence_level=level)
    p = np.array(comparison.p_value, dtype=np.float64, ndmin=1)
    others = p.copy()
    others[position] = np.nan
    adjusted = holm(others)
    with np.errstate(invalid="ignore"):
        significant = adjusted <= 1.0 - level
    return GroupComparison(
        labels=labels,
        names=grouped.names,
        baseline=baseline,
        comparison=comparison,
        p_adjusted=adjusted,
        significant=significant,
    )
