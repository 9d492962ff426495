"""Confidence intervals and tests shared by the metric modules.

All functions broadcast over numpy arrays so that grouped results get one interval
per group in one call. Only the standard library's :class:`statistics.NormalDist`
is used for normal quantiles (no scipy dependency).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np

from .checks import check_confidence_level, unwrap
from .errors import warn_undefined

__all__ = [
    "divide",
    "nan_where_empty",
    "normal_quantile",
    "normal_two_sided_p",
    "wald_mean_interval",
    "wilson_interval",
]

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


def wald_mean_interval(mean: Any, variance: Any, n: Any, confidence_level: float) -> tuple[Any, Any]:
    """Normal-approximation interval ``mean ± z * sqrt(variance / n)``; NaN (one warning) where n is 0."""
    z = normal_quantile(confidence_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = z * np.sqrt(np.asarray(variance, dtype=np.float64) / np.asarray(n, dtype=np.float64))
    centre = np.asarray(mean, dtype=np.float64)
    return nan_where_empty(unwrap(centre - half), unwrap(centre + half), n, "the interval for a mean")
