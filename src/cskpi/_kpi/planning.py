"""Planning: how many answers for a target margin, and what change two samples can detect.

Both functions use the normal approximation the Wald interval and the two-sample z
test rest on; they broadcast over their numeric arguments (scalar in, scalar out).

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

from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from .._core.checks import check_confidence_level
from .._core.distributions import normal_ppf
from .._core.errors import InvalidInputError
from .._core.stats import check_method, normal_quantile

__all__ = ["minimum_detectable_change", "sample_size_for_margin"]


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
    """Smallest true change between two periods that a two-sided test detects with ``power``.

    Parameters
    ----------
    n_a, n_b : int or array_like
        Sample sizes of the two periods (or groups).
    kind, rate, promoter_share, detractor_share, confidence_level
        As in :func:`sample_size_for_margin` (the shares of the baseline period).
    power : float, default 0.8
        Probability of a significant result when the change is this large.

    Returns
    -------
    float or ndarray
        ``(z_{1-α/2} + z_{power}) · σ · sqrt(1/n_a + 1/n_b)``: a fraction for a rate,
        NPS points for the NPS.

    Notes
    -----
    σ is the baseline's per-observation standard deviation, taken for both periods.
    Where the variance grows with the change (a rate moving towards 0.5) the actual
    power is a little lower than ``power``: about 0.75 instead of 0.8 for a rate of 0.2
    and 800 answers a period.

    Examples
    --------
    Two weeks of 1,000 calls at a service level near 0.8: (1.96 + 0.8416) ·
    sqrt(0.16 · 0.002) = 0.0501, a change of about 5 points:

    >>> from cskpi import minimum_detectable_change
    >>> round(minimum_detectable_change(1000, 1000, rate=0.8), 4)
    0.0501
    """
    level = check_confidence_level(confidence_level)
    if isinstance(power, bool) or not isinstance(power, int | float) or not 0.0 < power < 1.0:
        raise InvalidInputError(f"power must be strictly between 0 and 1; got {power!r}")
    variance, scale = _unit_variance(kind, rate, promoter_share, detractor_share)
    a, b = _positive(n_a, "n_a"), _positive(n_b, "n_b")
    z_power = float(normal_ppf(power))
    change = np.asarray((normal_quantile(level) + z_power) * scale * np.sqrt(variance * (1.0 / a + 1.0 / b)))
    return float(change) if change.ndim == 0 else change.astype(np.float64)
