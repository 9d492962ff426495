"""Control charts: is a KPI's movement over intervals a signal or noise?

:func:`p_chart` (rates, with Laney's p′ correction for large, varying volumes),
:func:`u_chart` (counts per unit of exposure: complaints per 1,000 contacts) and
:func:`xmr_chart` (individual values: AHT or ASA per interval) return a
:class:`ControlChart` with the centre line, the limits of every point and the points
each named signal rule flags. The rules read the points in σ units from the centre
(per point, as the limits of a p- or u-chart vary with the volume):

``'beyond_limits'``
    A point beyond the 3σ limits (Western Electric rule 1, Nelson rule 1).
``'two_of_three'``
    Two of three consecutive points beyond 2σ on the same side (WE 2, Nelson 5).
``'four_of_five'``
    Four of five consecutive points beyond 1σ on the same side (WE 3, Nelson 6).
``'run_of_eight'``
    Eight consecutive points on the same side of the centre (WE 4; Nelson 2 uses nine).
``'trend_of_six'``
    Six consecutive points steadily increasing or decreasing (Nelson 3).

A rule flags the point that completes its pattern.

References
----------
Western Electric Company (1956), *Statistical Quality Control Handbook*, Indianapolis.
L. S. Nelson (1984), "The Shewhart Control Chart — Tests for Special Causes",
Journal of Quality Technology 16(4), 237-239, doi:10.1080/00224065.1984.11978921.
D. C. Montgomery (2009), *Introduction to Statistical Quality Control*, 6th ed., Wiley:
section 7.2 (p-chart with variable sample size), 7.3.3 (u-chart), 6.4 (individuals
and moving-range chart, d₂ = 1.128 for moving ranges of two).
D. B. Laney (2002), "Improved control charts for attributes", Quality Engineering
14(4), 531-537, doi:10.1081/QEN-120003555.
"""

from __future__ import annotations

import warnings
from typing import Any

import attrs
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from .._core.checks import to_array
from .._core.errors import InvalidInputError, UndefinedMetricWarning, warn_undefined
from .._core.results import Grouped, Tabular

__all__ = [
    "SIGNAL_RULES",
    "ControlChart",
    "p_chart",
    "u_chart",
    "xmr_chart",
]

#: The named signal rules, in the order of their columns (see the module docstring).
SIGNAL_RULES = ("beyond_limits", "two_of_three", "four_of_five", "run_of_eight", "trend_of_six")
_D2 = 1.128  # E|X1 - X2| / σ for two normal observations (Montgomery, Appendix VI)

_F = NDArray[np.float64]


@attrs.frozen(kw_only=True)
class ControlChart(Tabular):
    """A control chart: per point its value, the centre line, the 3σ limits and the signals.

    Attributes
    ----------
    kind : str
        ``'p'``, ``"p'"`` (Laney), ``'u'`` or ``'xmr'``.
    period : ndarray or None
        The point labels (periods, intervals) when known.
    observed : ndarray of float
        The charted figure per point (a rate, a count per ``per`` units, a value).
    center : float
        The centre line.
    sigma : ndarray of float
        One standard deviation of each point about the centre (per point for p and u).
    lower, upper : ndarray of float
        The 3σ control limits of each point (clipped to the figure's range).
    signals : dict of str to ndarray of bool
        For each rule of ``rules``, the points it flags.
    """

    _headline = "observed"

    kind: str
    period: Any = attrs.field(eq=False)
    observed: Any = attrs.field(eq=False)
    center: float
    sigma: Any = attrs.field(eq=False)
    lower: Any = attrs.field(eq=False)
    upper: Any = attrs.field(eq=False)
    signals: dict[str, Any] = attrs.field(eq=False)

    @property
    def n(self) -> int:
        """Number of points."""
        return int(np.shape(self.observed)[0])

    @property
    def signal(self) -> NDArray[np.bool_]:
        """Points flagged by any rule."""
        flags = np.zeros(self.n, dtype=bool)
        for flagged in self.signals.values():
            flags |= flagged
        return flags

    def _columns(self) -> dict[str, Any]:
        columns: dict[str, Any] = {}
        columns["period"] = np.arange(self.n) if self.period is None else np.asarray(self.period)
        columns["value"] = np.asarray(self.observed, dtype=np.float64)
        columns["center"] = np.full(self.n, self.center)
        columns["lower"] = np.asarray(self.lower, dtype=np.float64)
        columns["upper"] = np.asarray(self.upper, dtype=np.float64)
        for rule, flagged in self.signals.items():
            columns[rule] = np.asarray(flagged)
        columns["signal"] = self.signal
        return columns


def _check_rules(rules: Any) -> tuple[str, ...]:
    chosen = (rules,) if isinstance(rules, str) else tuple(rules)
    for rule in chosen:
        if not isinstance(rule, str) or rule not in SIGNAL_RULES:
            listed = ", ".join(repr(name) for name in SIGNAL_RULES)
            raise InvalidInputError(f"rules must name rules among {listed}; got {rule!r}")
    return chosen


def _last_of_window(hits: NDArray[np.bool_], width: int, needed: int) -> NDArray[np.bool_]:
    """Points ending a window of ``width`` points with at least ``needed`` hits, the point itself a hit."""
    flagged = np.zeros(hits.shape[0], dtype=bool)
    if hits.shape[0] >= width:
        counts = sliding_window_view(hits, width).sum(axis=-1)
        flagged[width - 1 :] = (counts >= needed) & hits[width - 1 :]
    return flagged


def signals(z: Any, values: Any, rules: Any = SIGNAL_RULES) -> dict[str, NDArray[np.bool_]]:
    """The points each named rule flags, from the points' distances ``z`` to the centre in σ units.

    ``values`` (the charted figures) decide the trend rule, which does not depend on σ.
    NaN distances (empty intervals) never count as hits.
    """
    z_ = np.asarray(z, dtype=np.float64)
    found: dict[str, NDArray[np.bool_]] = {}
    for rule in _check_rules(rules):
        if rule == "beyond_limits":
            found[rule] = np.abs(z_) > 3.0
        elif rule in ("two_of_three", "four_of_five"):
            width, needed, bound = (3, 2, 2.0) if rule == "two_of_three" else (5, 4, 1.0)
            found[rule] = _last_of_window(z_ > bound, width, needed) | _last_of_window(
                z_ < -bound, width, needed
            )
        elif rule == "run_of_eight":
            found[rule] = _last_of_window(z_ > 0, 8, 8) | _last_of_window(z_ < 0, 8, 8)
        else:
            steps = np.diff(np.asarray(values, dtype=np.float64))
            rising = np.r_[False, _last_of_window(steps > 0, 5, 5)]
            falling = np.r_[False, _last_of_window(steps < 0, 5, 5)]
            found[rule] = rising | falling
    return found


def _counts_of(successes: Any, n: Any, what: str) -> tuple[_F, _F, Any]:
    """Counts per point (and the period labels) from arrays or a grouped rate result."""
    if isinstance(successes, Grouped):
        if n is not None:
            raise InvalidInputError(f"{what}: give a grouped result alone or counts with n, not both")
        total = np.asarray(successes.n, dtype=np.float64)
        with warnings.catch_warnings():  # empty periods are NaN points, not an error
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            value = np.nan_to_num(np.asarray(successes.value, dtype=np.float64))
        labels = successes.labels
        return np.round(value * total), total, labels if not isinstance(labels, tuple) else None
    if n is None:
        raise InvalidInputError(f"{what}: n is required with counts")
    k = np.asarray(to_array(successes, "successes"), dtype=np.float64)
    total = np.asarray(to_array(n, "n"), dtype=np.float64)
    if k.shape != total.shape:
        raise InvalidInputError(
            f"successes and n must have the same length; got {k.shape[0]} and {total.shape[0]}"
        )
    bad = np.flatnonzero(~((k >= 0) & (k <= total) & np.isfinite(total)))
    if bad.shape[0]:
        i = int(bad[0])
        raise InvalidInputError(f"successes must lie in 0..n; got {k[i]!r} of {total[i]!r} at index {i}")
    return k, total, None


def p_chart(
    successes: Any, n: Any = None, *, laney: bool = False, rules: Any = SIGNAL_RULES, period: Any = None
) -> ControlChart:
    r"""p-chart (or Laney p′-chart) of a rate over intervals: abandonment, service level, FCR.

    Parameters
    ----------
    successes : array-like of int, shape (k,), or Grouped rate result
        Events per interval (abandons, calls answered in time), or a rate result
        grouped by period (``abandonment_rate(..., by=day)``), whose labels become
        the periods.
    n : array-like of int, shape (k,)
        Trials per interval (offered contacts); omitted with a grouped result.
    laney : bool, default False
        Scale the limits by the observed spread of the standardised points (Laney's
        p′): wider where the rates vary between intervals more than binomially, as
        they do when the intervals are large (a plain p-chart then flags almost every
        point), narrower where they vary less.
    rules : str or sequence of str, default all of :data:`SIGNAL_RULES`
        The signal rules to apply.
    period : array-like, shape (k,), optional
        Labels of the intervals (ignored for a grouped result).

    Returns
    -------
    ControlChart
        ``observed`` the rates, ``center`` the pooled rate, per point ``sigma``,
        ``lower`` and ``upper`` (clipped to [0, 1]) and the ``signals``.

    Notes
    -----
    $\bar p = \sum_i k_i / \sum_i n_i$, $\sigma_i = \sqrt{\bar p (1 - \bar p) / n_i}$, limits
    $\bar p \pm 3 \sigma_i$ (Montgomery 2009, 7.2.2). Laney p′: with
    $z_i = (p_i - \bar p) / \sigma_i$, $\sigma_z = \overline{\lvert z_i - z_{i-1} \rvert} / 1.128$
    and the limits become $\bar p \pm 3 \sigma_i \sigma_z$.
    Intervals with n = 0 have NaN values and limits and never signal.

    Examples
    --------
    Abandons out of 100 calls on five days; pooled rate 0.05, σ = sqrt(0.05 · 0.95 /
    100) = 0.0218, limits [0, 0.115]: day 5's 0.13 is beyond them.

    >>> from cskpi import p_chart
    >>> chart = p_chart([3, 4, 2, 3, 13], [100] * 5)
    >>> round(chart.center, 3), round(float(chart.upper[0]), 4)
    (0.05, 0.1154)
    >>> chart.signals["beyond_limits"].tolist()
    [False, False, False, False, True]
    """
    k, total, labels = _counts_of(successes, n, "p_chart")
    if labels is None and period is not None:
        labels = np.asarray(to_array(period, "period"))
    if total.sum() == 0:
        warn_undefined("a p-chart needs at least one trial; returning NaN")
    with np.errstate(divide="ignore", invalid="ignore"):
        center = float(k.sum() / total.sum())
        values = np.where(total > 0, k / total, np.nan)
        sigma = np.where(total > 0, np.sqrt(center * (1.0 - center) / total), np.nan)
        z = (values - center) / sigma
    kind = "p"
    if laney:
        kind = "p'"
        spread = _moving_range_sigma(z)
        sigma = sigma * spread
        with np.errstate(divide="ignore", invalid="ignore"):
            z = z / spread
    lower = np.clip(center - 3.0 * sigma, 0.0, 1.0)
    upper = np.clip(center + 3.0 * sigma, 0.0, 1.0)
    return ControlChart(
        kind=kind,
        period=labels,
        observed=values,
        center=center,
        sigma=sigma,
        lower=lower,
        upper=upper,
        signals=signals(z, values, rules),
    )


def _moving_range_sigma(x: _F) -> float:
    """``mean |x_i - x_{i-1}| / d₂`` over consecutive finite points (NaN with fewer than two)."""
    finite = x[np.isfinite(x)]
    if finite.shape[0] < 2:
        warn_undefined("a moving range needs two points; returning NaN")
        return float("nan")
    return float(np.mean(np.abs(np.diff(finite))) / _D2)


def u_chart(
    counts: Any, exposure: Any, *, per: float = 1.0, rules: Any = SIGNAL_RULES, period: Any = None
) -> ControlChart:
    r"""u-chart of events per unit of exposure: complaints per 1,000 contacts, errors per 100 tickets.

    Parameters
    ----------
    counts : array-like of int, shape (k,)
        Events per interval (complaints).
    exposure : array-like of float, shape (k,)
        Units of exposure per interval (contacts handled).
    per : float, default 1.0
        Scale of the charted rate: ``per=1000`` charts complaints per 1,000 contacts.
    rules, period
        As in :func:`p_chart`.

    Returns
    -------
    ControlChart
        ``observed`` the rates per ``per`` units; limits clipped at 0.

    Notes
    -----
    $\bar u = \sum_i c_i / \sum_i e_i$, $\sigma_i = \sqrt{\bar u / e_i}$, limits
    $\bar u \pm 3 \sigma_i$, all times ``per`` (Montgomery 2009, 7.3.3: the Poisson model of the counts).

    Examples
    --------
    4, 6, 5 and 25 complaints over 2,000 contacts each: ū = 5 per 1,000, σ =
    sqrt(0.005 / 2000) · 1000 = 1.58, upper limit 9.74 per 1,000.

    >>> from cskpi import u_chart
    >>> chart = u_chart([4, 6, 5, 25], [2000] * 4, per=1000)
    >>> round(chart.center, 2), round(float(chart.upper[0]), 2)
    (5.0, 9.74)
    >>> chart.signals["beyond_limits"].tolist()
    [False, False, False, True]
    """
    c = np.asarray(to_array(counts, "counts"), dtype=np.float64)
    e = np.asarray(to_array(exposure, "exposure"), dtype=np.float64)
    if c.shape != e.shape:
        raise InvalidInputError(
            f"counts and exposure must have the same length; got {c.shape[0]} and {e.shape[0]}"
        )
    bad = np.flatnonzero(~((c >= 0) & (e >= 0) & np.isfinite(c) & np.isfinite(e)))
    if bad.shape[0]:
        i = int(bad[0])
        raise InvalidInputError(
            f"counts and exposure must be finite and >= 0; got {c[i]!r}, {e[i]!r} at index {i}"
        )
    if isinstance(per, bool) or not isinstance(per, int | float) or not per > 0:
        raise InvalidInputError(f"per must be a positive number; got {per!r}")
    if e.sum() == 0:
        warn_undefined("a u-chart needs some exposure; returning NaN")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = float(c.sum() / e.sum())
        values = np.where(e > 0, c / e, np.nan)
        sigma = np.where(e > 0, np.sqrt(rate / e), np.nan)
        z = (values - rate) / sigma
    return ControlChart(
        kind="u",
        period=None if period is None else np.asarray(to_array(period, "period")),
        observed=values * per,
        center=rate * per,
        sigma=sigma * per,
        lower=np.maximum(rate - 3.0 * sigma, 0.0) * per,
        upper=(rate + 3.0 * sigma) * per,
        signals=signals(z, values, rules),
    )


def xmr_chart(values: Any, *, rules: Any = SIGNAL_RULES, period: Any = None) -> ControlChart:
    """Individuals (XmR) chart of one value per interval: AHT, ASA, a mean rating.

    Parameters
    ----------
    values : array-like of float, shape (k,)
        The figure per interval (NaN for an interval without a value: skipped by the
        moving ranges, never a signal).
    rules, period
        As in :func:`p_chart`.

    Returns
    -------
    ControlChart
        ``center`` the mean, ``sigma = MR̄ / 1.128`` for every point, limits
        ``center ± 3 σ`` (the familiar ``x̄ ± 2.66 MR̄``).

    Notes
    -----
    The spread comes from the average moving range of consecutive values, not the
    overall standard deviation, so a shift in the level does not widen the limits
    (Montgomery 2009, 6.4; d₂ = 1.128).

    Examples
    --------
    AHT per day 300, 310, 290, 305, 295 s: mean 300, moving ranges 10, 20, 15, 10,
    MR̄ = 13.75, limits 300 ± 2.66 · 13.75 = [263.4, 336.6].

    >>> from cskpi import xmr_chart
    >>> chart = xmr_chart([300, 310, 290, 305, 295])
    >>> round(float(chart.lower[0]), 1), round(float(chart.upper[0]), 1)
    (263.4, 336.6)
    """
    x = np.asarray(to_array(values, "values"), dtype=np.float64)
    if np.any(np.isinf(x)):
        raise InvalidInputError(
            f"values must be finite or NaN; got inf at index {int(np.flatnonzero(np.isinf(x))[0])}"
        )
    finite = x[np.isfinite(x)]
    if finite.shape[0] == 0:
        warn_undefined("an XmR chart needs at least one value; returning NaN")
    center = float(finite.mean()) if finite.shape[0] else float("nan")
    sigma = _moving_range_sigma(x) if finite.shape[0] else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x - center) / sigma if sigma > 0 else np.where(x == center, 0.0, np.nan)
    sigmas = np.full(x.shape, sigma)
    return ControlChart(
        kind="xmr",
        period=None if period is None else np.asarray(to_array(period, "period")),
        observed=x,
        center=center,
        sigma=sigmas,
        lower=center - 3.0 * sigmas,
        upper=center + 3.0 * sigmas,
        signals=signals(z, x, rules),
    )
