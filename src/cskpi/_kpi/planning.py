"""Planning: how many answers for a target margin, and what change two samples can detect.

The sample size uses the normal approximation the Wald interval rests on; the
detectable change solves the power equation of the two-sample test, each variance at
the true figure of its period. Both broadcast over their numeric arguments (scalar
in, scalar out).

For a rate the per-observation variance is ``p (1 - p)``; for the NPS it is the
variance of the per-respondent score (+1, 0, -1), ``v = p + d - (p - d)²`` with the
promoter and detractor shares p and d (Rocks 2016), in NPS points ``100² v``.
Without a guess of the shares, the defaults are the worst cases: ``p = 0.5`` for a
rate, ``p = d = 0.5`` (v = 1) for the NPS.

References
----------
J. L. Fleiss, B. Levin and M. C. Paik (2003), *Statistical Methods for Rates and
Proportions*, 3rd ed., Wiley, chapter 4, doi:10.1002/0471445428.
B. Rocks (2016), "Interval Estimation for the 'Net Promoter Score'", The American
Statistician 70(4), 365-372, doi:10.1080/00031305.2016.1158124.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from .._core.checks import check_confidence_level
from .._core.distributions import normal_ppf
from .._core.errors import InvalidInputError, warn_undefined
from .._core.stats import check_method, normal_quantile

__all__ = ["minimum_detectable_change", "sample_size_for_margin"]

_F = NDArray[np.float64]


def _fraction(value: Any, name: str) -> Any:
    array = np.asarray(value, dtype=np.float64)
    bad = np.flatnonzero(~((array >= 0.0) & (array <= 1.0)).reshape(-1))
    if bad.shape[0]:
        raise InvalidInputError(f"{name} must be a fraction in [0, 1]; got {array.reshape(-1)[bad[0]]!r}")
    return array


def _unit_variance(kind: str, rate: Any, promoter_share: Any, detractor_share: Any) -> tuple[Any, float]:
    """Per-observation variance and the scale of the figure (1 for a rate, 100 for NPS points)."""
    check_method(kind, ("rate", "nps"), "kind")
    if kind == "rate":
        p = _fraction(0.5 if rate is None else rate, "rate")
        return p * (1.0 - p), 1.0
    p = _fraction(0.5 if promoter_share is None else promoter_share, "promoter_share")
    d = _fraction(0.5 if detractor_share is None else detractor_share, "detractor_share")
    if np.any(p + d > 1.0 + 1e-12):
        raise InvalidInputError("promoter_share + detractor_share must be at most 1")
    return p + d - (p - d) ** 2, 100.0


def _positive(value: Any, name: str) -> Any:
    array = np.asarray(value, dtype=np.float64)
    bad = np.flatnonzero(~(array > 0.0).reshape(-1) | ~np.isfinite(array).reshape(-1))
    if bad.shape[0]:
        raise InvalidInputError(f"{name} must be positive and finite; got {array.reshape(-1)[bad[0]]!r}")
    return array


@overload
def sample_size_for_margin(
    margin: float,
    *,
    kind: str = ...,
    rate: float | None = ...,
    promoter_share: float | None = ...,
    detractor_share: float | None = ...,
    confidence_level: float = ...,
) -> int: ...
@overload
def sample_size_for_margin(
    margin: Any,
    *,
    kind: str = ...,
    rate: Any = ...,
    promoter_share: Any = ...,
    detractor_share: Any = ...,
    confidence_level: float = ...,
) -> int | NDArray[np.int64]: ...
def sample_size_for_margin(
    margin: Any,
    *,
    kind: str = "rate",
    rate: Any = None,
    promoter_share: Any = None,
    detractor_share: Any = None,
    confidence_level: float = 0.95,
) -> int | NDArray[np.int64]:
    """Answers needed for a confidence interval of half-width at most ``margin``.

    Parameters
    ----------
    margin : float or array_like
        Target half-width: a fraction for a rate (0.05 for ±5 percentage points),
        NPS points for the NPS (5 for ±5 points).
    kind : {'rate', 'nps'}, default 'rate'
    rate : float or array_like, optional
        Expected rate (kind 'rate'); default 0.5, the worst case.
    promoter_share, detractor_share : float or array_like, optional
        Expected shares (kind 'nps'); default 0.5 each, the worst case (v = 1).
    confidence_level : float, default 0.95

    Returns
    -------
    int or ndarray of int
        ``n = ceil(z² σ² / margin²)``, with ``σ² = p (1 - p)`` for a rate and
        ``100² v`` for the NPS.

    Examples
    --------
    The classic ±5 points at 95 % for an unknown rate: 1.96² · 0.25 / 0.05² = 384.1,
    so 385 answers; for ±5 NPS points with shares 0.5 / 0.2 (v = 0.61), 938:

    >>> from cskpi import sample_size_for_margin
    >>> sample_size_for_margin(0.05)
    385
    >>> sample_size_for_margin(5, kind="nps", promoter_share=0.5, detractor_share=0.2)
    938
    """
    level = check_confidence_level(confidence_level)
    variance, scale = _unit_variance(kind, rate, promoter_share, detractor_share)
    m = _positive(margin, "margin")
    z = normal_quantile(level)
    exact = z * z * variance * scale * scale / (m * m)
    # A hair of tolerance so that 384.0000000001 from rounding does not become 385.
    n = np.maximum(np.ceil(exact * (1.0 - 1e-12)), 1.0).astype(np.int64)
    return int(n) if n.ndim == 0 else n


_BISECTIONS = 80


def _smallest_change(excess: Callable[[_F], _F], reach: _F) -> _F:
    """The change ``Δ`` in ``(0, reach]`` where ``excess(Δ) = Δ - required(Δ)`` turns non-negative.

    Bisection on every row at once (80 halvings of ``[0, reach]``: to the last bit);
    NaN with :class:`UndefinedMetricWarning` where even ``reach`` falls short.
    """
    low, high = np.zeros_like(reach), reach.copy()
    for _ in range(_BISECTIONS):
        middle = 0.5 * (low + high)
        enough = excess(middle) >= 0.0
        high = np.where(enough, middle, high)
        low = np.where(enough, low, middle)
    reachable = (reach > 0.0) & (excess(reach) >= 0.0)
    if not reachable.all():
        warn_undefined(
            "no change within the range of the figure is detected with this power at these sample "
            "sizes; returning NaN"
        )
    return np.where(reachable, high, np.nan)


@overload
def minimum_detectable_change(
    n_a: float,
    n_b: float,
    *,
    kind: str = ...,
    rate: float | None = ...,
    promoter_share: float | None = ...,
    detractor_share: float | None = ...,
    confidence_level: float = ...,
    power: float = ...,
) -> float: ...
@overload
def minimum_detectable_change(
    n_a: Any,
    n_b: Any,
    *,
    kind: str = ...,
    rate: Any = ...,
    promoter_share: Any = ...,
    detractor_share: Any = ...,
    confidence_level: float = ...,
    power: float = ...,
) -> float | NDArray[np.float64]: ...
def minimum_detectable_change(
    n_a: Any,
    n_b: Any,
    *,
    kind: str = "rate",
    rate: Any = None,
    promoter_share: Any = None,
    detractor_share: Any = None,
    confidence_level: float = 0.95,
    power: float = 0.8,
) -> float | NDArray[np.float64]:
    r"""Smallest true change from period a to period b that a two-sided test detects with ``power``.

    Parameters
    ----------
    n_a, n_b : int or array_like
        Sample sizes of the baseline period (or group) a and of the period b compared with it.
    kind, rate, promoter_share, detractor_share, confidence_level
        As in :func:`sample_size_for_margin`: the rate or the shares of the baseline
        period a.
    power : float, default 0.8
        Probability of a significant result when the change is this large.

    Returns
    -------
    float or ndarray
        The size of the change (positive): a fraction for a rate, NPS points for the
        NPS. It is the change in the harder direction, towards the larger variance (a
        rate towards 1/2, an NPS towards 0), so a change of this size either way is
        detected with at least ``power``. NaN with :class:`UndefinedMetricWarning`
        where no change within [0, 1] (within ±100 for the NPS) reaches the power.

    Notes
    -----
    The change $\Delta$ solves the power equation of the test that
    :func:`rate_difference` and :func:`nps_difference` carry out, with each variance
    at the true rates of the two periods (Fleiss, Levin & Paik 2003, chapter 4;
    Chow, Shao & Wang 2008, chapter 4): for a rate $p_a$, $p_b = p_a \pm \Delta$,
    the pooled score test rejects with probability ``power`` when

    $$\Delta = z_{1-\alpha/2} \sqrt{\bar p (1 - \bar p) (1/n_a + 1/n_b)}
    + z_\text{power} \sqrt{p_a q_a / n_a + p_b q_b / n_b},$$

    $\bar p = (n_a p_a + n_b p_b) / (n_a + n_b)$ (the pooled rate expected under the
    null), $q = 1 - p$, the first term the rejection threshold under the null, the second the
    spread of the observed difference under the alternative. For the NPS the Wald
    test's variance is estimated from both periods, so

    $$\Delta = (z_{1-\alpha/2} + z_\text{power}) \sqrt{v_a / n_a + v_b / n_b}$$

    in score units (×100 for NPS points), with $v = p + d - (p - d)^2$; the change is
    taken to move respondents between promoters and detractors (passives fixed), so
    $v_b = p_a + d_a - (s_a \pm \Delta)^2$ with $s_a = p_a - d_a$. Both equations are
    solved for $\Delta$ by bisection, every row at once. The far rejection region (a
    significant change in the wrong direction) is neglected, as in the sources: it
    adds to the power, at most $5 \cdot 10^{-4}$ over sample sizes from 60 to 3,000 and rates
    from 0.02 to 0.98.

    References
    ----------
    J. L. Fleiss, B. Levin and M. C. Paik (2003), *Statistical Methods for Rates and
    Proportions*, 3rd ed., Wiley, chapter 4, doi:10.1002/0471445428.
    S.-C. Chow, J. Shao and H. Wang (2008), *Sample Size Calculations in Clinical
    Research*, 2nd ed., Chapman & Hall/CRC, chapter 4, doi:10.1201/9781584889830.

    Examples
    --------
    Two weeks of 1,000 calls at a service level near 0.8: a drop of 5.24 points, to
    0.7476, is detected with power 0.8 at the 5 % level (pooled rate 0.7738:
    1.96 · sqrt(0.7738 · 0.2262 · 0.002) + 0.8416 · sqrt(0.00016 + 0.7476 · 0.2524 / 1000)
    = 0.0367 + 0.0157 = 0.0524):

    >>> from cskpi import minimum_detectable_change
    >>> round(minimum_detectable_change(1000, 1000, rate=0.8), 4)
    0.0524
    """
    level = check_confidence_level(confidence_level)
    if isinstance(power, bool) or not isinstance(power, int | float) or not 0.0 < power < 1.0:
        raise InvalidInputError(f"power must be strictly between 0 and 1; got {power!r}")
    check_method(kind, ("rate", "nps"), "kind")
    a, b = _positive(n_a, "n_a"), _positive(n_b, "n_b")
    z_level, z_power = normal_quantile(level), float(normal_ppf(power))
    if kind == "rate":
        p_a = _fraction(0.5 if rate is None else rate, "rate")
        p_a, a, b = np.broadcast_arrays(p_a, a, b)
        sign = np.where(p_a <= 0.5, 1.0, -1.0)
        weight_b = b / (a + b)

        def rate_excess(change: _F) -> _F:
            p_b = p_a + sign * change
            pooled = p_a + sign * change * weight_b
            null = np.sqrt(np.maximum(pooled * (1.0 - pooled), 0.0) * (1.0 / a + 1.0 / b))
            alternative = np.sqrt(p_a * (1.0 - p_a) / a + np.maximum(p_b * (1.0 - p_b), 0.0) / b)
            result: _F = change - z_level * null - z_power * alternative
            return result

        change = _smallest_change(rate_excess, np.where(sign > 0, 1.0 - p_a, p_a))
    else:
        _unit_variance(kind, rate, promoter_share, detractor_share)  # checks the shares
        p = _fraction(0.5 if promoter_share is None else promoter_share, "promoter_share")
        d = _fraction(0.5 if detractor_share is None else detractor_share, "detractor_share")
        p, d, a, b = np.broadcast_arrays(p, d, a, b)
        score, answered = p - d, p + d
        sign = np.where(score > 0.0, -1.0, 1.0)
        variance_a = answered - score * score

        def nps_excess(change: _F) -> _F:
            variance_b = np.maximum(answered - (score + sign * change) ** 2, 0.0)
            result: _F = change - (z_level + z_power) * np.sqrt(variance_a / a + variance_b / b)
            return result

        change = 100.0 * _smallest_change(nps_excess, answered + np.abs(score))
    return float(change) if change.ndim == 0 else change.astype(np.float64)
