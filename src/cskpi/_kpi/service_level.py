"""Service level in each published variant, and answer-time percentiles.

A service-level promise reads "80 % of contacts answered within 20 seconds". How
abandoned contacts enter that share differs between contact centres and platforms;
the five published formulas are each selected here by a name saying what happens to
the abandons (:data:`SERVICE_LEVEL_POLICIES`). :func:`service_level` counts answered
and abandoned contacts against one or many thresholds with one sort of the
thresholds and one ``searchsorted`` + ``bincount`` pass over the contacts, per group
when ``by=`` is given. :func:`answer_time_percentile` answers the inverse question
(the time within which p % were answered) with one sort by group and value.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.checks import abandoned_mask, check_confidence_level, check_quantiles, unwrap
from .._core.errors import InvalidInputError, InvalidTypeError, warn_undefined
from .._core.labels import (
    Groups,
    count_cells,
    count_true,
    grouped_quantile_bounds,
    grouped_quantiles,
    optional_groups,
)
from .._core.results import (
    ConfidenceInterval,
    Grouped,
    LabelledResult,
    Mergeable,
    arrays_equal,
    param,
    per_group,
    rate_confidence_interval,
    single_or_grouped,
    stat,
)
from .._core.stats import divide
from .._core.time import duration_seconds, to_seconds

__all__ = [
    "ABANDONED_POLICIES",
    "SERVICE_LEVEL_POLICIES",
    "AnswerTimePercentiles",
    "ServiceLevel",
    "answer_time_percentile",
    "service_level",
]

ServiceLevelPolicy: TypeAlias = Literal[
    "abandoned_within_as_met",
    "abandoned_ignored",
    "abandoned_as_missed",
    "abandoned_within_ignored",
    "short_abandoned_as_met",
]
#: The five published service-level formulas, in their published order (formula 1..5).
SERVICE_LEVEL_POLICIES: tuple[str, ...] = (
    "abandoned_within_as_met",
    "abandoned_ignored",
    "abandoned_as_missed",
    "abandoned_within_ignored",
    "short_abandoned_as_met",
)

AbandonedPolicy: TypeAlias = Literal["never_answered", "exclude"]
#: How :func:`answer_time_percentile` treats abandoned contacts.
ABANDONED_POLICIES: tuple[str, ...] = ("never_answered", "exclude")


def check_abandoned_policy(abandoned_policy: Any) -> None:
    """Raise unless ``abandoned_policy`` is one of :data:`ABANDONED_POLICIES`."""
    if not isinstance(abandoned_policy, str) or abandoned_policy not in ABANDONED_POLICIES:
        raise InvalidInputError(
            f"abandoned_policy must be one of {ABANDONED_POLICIES}; got {abandoned_policy!r}"
        )


def _check_policy(policy: Any, short_abandon_seconds: float | None, exclude_short_abandons: Any) -> str:
    if not isinstance(policy, str) or policy not in SERVICE_LEVEL_POLICIES:
        raise InvalidInputError(f"policy must be one of {SERVICE_LEVEL_POLICIES}; got {policy!r}")
    if not isinstance(exclude_short_abandons, bool | np.bool_):
        raise InvalidTypeError(
            f"exclude_short_abandons must be True or False; got {exclude_short_abandons!r}"
        )
    if short_abandon_seconds is None:
        if policy == "short_abandoned_as_met":
            raise InvalidInputError(
                "short_abandon_seconds must be given with policy 'short_abandoned_as_met' "
                "(it counts abandons shorter than that as met)"
            )
        if exclude_short_abandons:
            raise InvalidInputError("short_abandon_seconds must be given with exclude_short_abandons=True")
    if exclude_short_abandons and policy == "short_abandoned_as_met":
        raise InvalidInputError(
            "exclude_short_abandons=True contradicts policy 'short_abandoned_as_met', which counts "
            "short abandons as met; choose one"
        )
    return policy


def _thresholds(threshold_seconds: Any) -> tuple[NDArray[np.float64], float | tuple[float, ...]]:
    """Thresholds as a float array, and the parameter value stored in the result."""
    # Lists and tuples go through to_seconds, which reports a ragged one (np.ndim would raise).
    if not isinstance(threshold_seconds, list | tuple) and np.ndim(threshold_seconds) == 0:
        value = duration_seconds(threshold_seconds, "threshold_seconds")
        return np.array([value]), value
    array = to_seconds(threshold_seconds, "threshold_seconds")
    if array.shape[0] == 0:
        raise InvalidInputError("threshold_seconds must hold at least one threshold; got an empty array")
    return array, tuple(float(t) for t in array)


def quantile_levels(quantile: Any) -> tuple[NDArray[np.float64], float | tuple[float, ...]]:
    """Quantile levels (fractions in [0, 1]) as an array, and the parameter value stored in the result."""
    levels, scalar = check_quantiles(quantile)
    stored: float | tuple[float, ...] = float(levels[0]) if scalar else tuple(float(q) for q in levels)
    return levels, stored


# --------------------------------------------------------------------------- service level


@attrs.frozen(kw_only=True)
class ServiceLevel(Mergeable):
    """Counts of answered and abandoned contacts against a service-level threshold.

    Every count has the shape of the threshold axis (a scalar for one threshold, one
    entry per threshold for a curve), with a leading group axis in a grouped result.

    Attributes
    ----------
    n_answered_within : int or ndarray of int
        Answered contacts whose wait was at most the threshold.
    n_answered : int or ndarray of int
        Answered contacts.
    n_abandoned_within : int or ndarray of int
        Abandoned contacts that hung up after waiting at most the threshold.
    n_abandoned_short : int or ndarray of int
        Abandoned contacts that hung up after waiting strictly less than
        ``short_abandon_seconds`` (0 when it is None).
    n_abandoned : int or ndarray of int
        Abandoned contacts.
    policy : str
        The formula used (one of :data:`SERVICE_LEVEL_POLICIES`).
    threshold_seconds : float or tuple of float
        The threshold, or the thresholds of a curve [s].
    short_abandon_seconds : float or None
        Short-abandon time [s].
    exclude_short_abandons : bool
        Whether short abandons were removed from the population before applying the
        formula.
    """

    _headline = "score"
    _figures = ("n_offered", "n_met", "n_excluded")

    n_answered_within: Any = stat()
    n_answered: Any = stat()
    n_abandoned_within: Any = stat()
    n_abandoned_short: Any = stat()
    n_abandoned: Any = stat()
    policy: str = param()
    threshold_seconds: float | tuple[float, ...] = param()
    short_abandon_seconds: float | None = param()
    exclude_short_abandons: bool = param()

    @property
    def n_offered(self) -> Any:
        """Contacts offered: answered + abandoned."""
        return unwrap(np.add(self.n_answered, self.n_abandoned, dtype=np.int64))

    @property
    def n_abandoned_after(self) -> Any:
        """Abandoned contacts that waited longer than the threshold."""
        return unwrap(np.subtract(self.n_abandoned, self.n_abandoned_within, dtype=np.int64))

    @property
    def n_excluded(self) -> Any:
        """Short abandons removed from the population (0 unless ``exclude_short_abandons``)."""
        short = np.asarray(self.n_abandoned_short, dtype=np.int64)
        return unwrap(short if self.exclude_short_abandons else np.zeros_like(short))

    def _met_and_n(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        answered_within = np.asarray(self.n_answered_within, dtype=np.int64)
        answered = np.asarray(self.n_answered, dtype=np.int64)
        abandoned_within = np.asarray(self.n_abandoned_within, dtype=np.int64)
        short = np.asarray(self.n_abandoned_short, dtype=np.int64)
        abandoned = np.asarray(self.n_abandoned, dtype=np.int64)
        excluded = short if self.exclude_short_abandons else np.zeros_like(short)
        # Short abandons (wait < S) and abandons within T (wait <= T) are nested sets, one
        # inside the other whatever S and T are, so their overlap is the smaller count.
        excluded_within = np.minimum(excluded, abandoned_within)
        policy = self.policy
        if policy == "abandoned_within_as_met":
            return answered_within + abandoned_within - excluded_within, answered + abandoned - excluded
        if policy == "abandoned_ignored":
            return answered_within, answered
        if policy == "abandoned_as_missed":
            return answered_within, answered + abandoned - excluded
        if policy == "abandoned_within_ignored":
            # Left out: abandons within T, and short abandons when excluded (their union).
            left_out = abandoned_within + excluded - excluded_within
            return answered_within, answered + abandoned - left_out
        return answered_within + short, answered + abandoned  # short_abandoned_as_met

    @property
    def n_met(self) -> Any:
        """Contacts counted as meeting the threshold under ``policy`` (the numerator)."""
        return unwrap(self._met_and_n()[0])

    @property
    def n(self) -> Any:
        """Contacts the service level is taken over under ``policy`` (the denominator)."""
        return unwrap(self._met_and_n()[1])

    @property
    def score(self) -> Any:
        """Service level in [0, 1]: ``n_met / n``; NaN (with a warning) where n is 0."""
        met, n = self._met_and_n()
        return divide(met, n, "service level")

    def confidence_interval(
        self, confidence_level: float = 0.95, *, method: str = "wilson"
    ) -> ConfidenceInterval:
        """Interval for the service level (``n_met`` out of ``n``), in [0, 1]; Wilson by default.

        Treats the contacts as independent Bernoulli trials; contacts of one busy
        interval are positively correlated, so read it as a lower bound on the
        uncertainty. NaN where n is 0.

        Parameters
        ----------
        confidence_level : float, default 0.95
            Two-sided level in (0, 1).
        method : {'wilson', 'agresti-coull', 'clopper-pearson', 'jeffreys'}, default 'wilson'
            See :func:`cskpi.rate_interval`.

        Examples
        --------
        86 of 100 answered contacts within the threshold: [0.779, 0.915].

        >>> from cskpi import service_level
        >>> ci = service_level([5] * 86 + [40] * 14, 20).confidence_interval()
        >>> round(ci.low, 3), round(ci.high, 3)
        (0.779, 0.915)
        """
        met, n = self._met_and_n()
        return rate_confidence_interval(met, n, confidence_level, method)


def _count_against_thresholds(
    waits: NDArray[np.float64],
    mask: NDArray[np.bool_] | None,
    thresholds: NDArray[np.float64],
    groups: Groups | None,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Counts within each threshold and totals, per (group, answered/abandoned).

    Returns ``within`` of shape ``(groups, 2, k)`` (thresholds in the caller's order)
    and ``totals`` of shape ``(groups, 2)``; index 0 of the middle axis is answered,
    1 abandoned. One sort of the k thresholds, one ``searchsorted`` of the waits into
    them and one ``bincount`` over (group, category, bin) cells.
    """
    k = thresholds.shape[0]
    order = np.argsort(thresholds, kind="stable")
    # bins[i] = number of thresholds below wait i, so wait i <= sorted threshold j iff bins[i] <= j.
    # One threshold: a comparison (a bool viewed as 0/1 bytes) is several times faster than searchsorted.
    bins = (
        np.greater(waits, thresholds[0]).view(np.uint8)
        if k == 1
        else np.searchsorted(thresholds[order], waits, side="left")
    )
    n_groups = 1 if groups is None else groups.n_groups
    # Cell value = category * (k + 1) + bin, category 0 answered, 1 abandoned.
    values: NDArray[np.integer[Any]]
    if mask is None:
        values = bins
    elif 2 * (k + 1) <= 256:
        values = bins.astype(np.uint8) + mask.view(np.uint8) * np.uint8(k + 1)
    else:
        values = bins.astype(np.intp) + mask * (k + 1)
    counts = count_cells(
        values, 2 * (k + 1), codes=None if groups is None else groups.codes, n_groups=n_groups
    ).reshape(n_groups, 2, k + 1)
    within_sorted = np.cumsum(counts, axis=-1)[..., :k]
    inverse = np.empty(k, dtype=np.intp)
    inverse[order] = np.arange(k)
    return within_sorted[..., inverse], counts.sum(axis=-1)


@overload
def service_level(
    wait_seconds: Any,
    threshold_seconds: Any,
    *,
    abandoned: Any = None,
    policy: ServiceLevelPolicy = "abandoned_as_missed",
    short_abandon_seconds: Any = None,
    exclude_short_abandons: bool = False,
    by: None = None,
) -> ServiceLevel: ...
@overload
def service_level(
    wait_seconds: Any,
    threshold_seconds: Any,
    *,
    abandoned: Any = None,
    policy: ServiceLevelPolicy = "abandoned_as_missed",
    short_abandon_seconds: Any = None,
    exclude_short_abandons: bool = False,
    by: Any,
) -> Grouped[ServiceLevel]: ...
def service_level(
    wait_seconds: Any,
    threshold_seconds: Any,
    *,
    abandoned: Any = None,
    policy: ServiceLevelPolicy = "abandoned_as_missed",
    short_abandon_seconds: Any = None,
    exclude_short_abandons: bool = False,
    by: Any = None,
) -> ServiceLevel | Grouped[ServiceLevel]:
    r"""Service level: the share of contacts answered within a threshold, by a named published formula.

    Parameters
    ----------
    wait_seconds : array-like of float or timedelta64, shape (n,)
        Queue wait of each offered contact [s]: until an agent answered, or, for an
        abandoned contact, until it hung up. Finite and non-negative; NaN raises.
    threshold_seconds : float, timedelta64 or array-like of shape (k,)
        The service-level threshold T [s] ("within 20 seconds"), or several
        thresholds: the result then holds the whole service-level curve, one entry
        per threshold in the order given, from one pass over the contacts.
    abandoned : array-like of bool, shape (n,), optional
        True for contacts that abandoned before being answered. Must be boolean
        (0/1 integers raise). Default: every contact was answered.
    policy : str, default 'abandoned_as_missed'
        How abandoned contacts enter the share; the five published formulas
        (see Notes):

        - ``'abandoned_within_as_met'`` (formula 1): abandons within T count as met,
          later ones as missed;
        - ``'abandoned_ignored'`` (formula 2): abandons are left out;
        - ``'abandoned_as_missed'`` (formula 3): every abandon is a miss;
        - ``'abandoned_within_ignored'`` (formula 4): abandons within T are left
          out, later ones are missed;
        - ``'short_abandoned_as_met'`` (formula 5): short abandons (a wait under
          ``short_abandon_seconds``) count as met.
    short_abandon_seconds : float or timedelta64, optional
        Short-abandon time S [s]: an abandon after a wait strictly shorter than S is
        a short abandon. Required by formula 5 and by ``exclude_short_abandons``.
    exclude_short_abandons : bool, default False
        Remove short abandons from the population before applying the formula — from
        the denominator and, for formula 1, from the abandons within T in the
        numerator — as platforms with a short-abandon timer do. Cannot be combined
        with formula 5, which counts short abandons as met.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (queue, channel, interval…), computed in one vectorised pass.

    Returns
    -------
    ServiceLevel or Grouped[ServiceLevel]
        The counts (``n_answered_within``, ``n_answered``, ``n_abandoned_within``,
        ``n_abandoned_short``, ``n_abandoned``) with the ``policy`` and thresholds
        used; ``score`` is the service level in [0, 1] (an array over the thresholds
        for a curve), ``n_met`` and ``n`` its numerator and denominator, and
        ``confidence_interval()`` the Wilson interval. Results with the same policy,
        thresholds and short-abandon settings merge with ``+``.

    Notes
    -----
    "Within $T$" means a wait of at most $T$ seconds ($\text{wait} \le T$); a short abandon
    waited strictly less than $S$ ($\text{wait} < S$). With the notation $A$ = answered,
    $A_T$ = answered within $T$, $B$ = abandoned, $B_T$ = abandoned within $T$ and
    $B_{<S}$ = short abandons:

    1. ``'abandoned_within_as_met'``: $(A_T + B_T) / (A + B)$ — an abandon before
       $T$ counts as served in time, one after $T$ as a miss.
    2. ``'abandoned_ignored'``: $A_T / A$ — abandons play no part; the source
       advises against it.
    3. ``'abandoned_as_missed'``: $A_T / (A + B)$ — every abandon is a miss: the
       share of offered contacts answered within $T$, the literal reading of "80 % of
       calls answered in 20 seconds", never above any of the other four, and the
       default here.
    4. ``'abandoned_within_ignored'``: $A_T / (A + B - B_T)$ — abandons before $T$
       are left out (no chance to answer them in time), abandons after $T$ are misses.
    5. ``'short_abandoned_as_met'``: $(A_T + B_{<S}) / (A + B)$ — only the short
       abandons are given credit.

    With ``exclude_short_abandons=True`` the short abandons are removed from $A + B$
    and from $B_T$ first (formula 4 then leaves out the union of $B_T$ and $B_{<S}$). The
    published example — 1,000 answered, 860 within 20 s; 60 abandoned, 20 within
    20 s, 40 after, 10 within 5 s — gives 83.0 %, 86.0 %, 81.1 %, 82.7 % and 82.1 %
    for formulas 1-5. Where the denominator is 0 the service level is NaN with an
    :class:`UndefinedMetricWarning`.

    Cisco's Unified ICM offers three "service level types" that match formulas 4
    (abandoned calls ignored), 3 (negative impact) and 1 (positive impact), and a
    short-call timer that removes quick abandons from the calls offered.

    References
    ----------
    International Customer Management Institute (ICMI) (2002), "Service Level
    Calculations", Queue Tips — the five formulas and the worked example, reproduced
    by Call Centre Helper, "Service Level Threshold Calculations"
    (https://www.callcentrehelper.com/service-level-threshold-calculations-206890.htm).
    Cisco Systems, Unified ICM / Contact Center Enterprise reporting documentation,
    "Service level" and "Planning for short calls".

    Examples
    --------
    The published example, threshold 20 s and short-abandon time 5 s:

    >>> import numpy as np
    >>> from cskpi import service_level
    >>> waits = np.r_[[10.0] * 860, [30.0] * 140, [3.0] * 10, [12.0] * 10, [45.0] * 40]
    >>> gave_up = np.r_[[False] * 1000, [True] * 60]
    >>> sl = service_level(waits, 20, abandoned=gave_up, policy="abandoned_within_as_met")
    >>> round(sl.score, 4), sl.n_met, sl.n, sl.policy
    (0.8302, 880, 1060, 'abandoned_within_as_met')
    >>> round(service_level(waits, 20, abandoned=gave_up).score, 4)  # formula 3, the default
    0.8113

    The service-level curve over several thresholds, in one call:

    >>> service_level([5, 15, 25, 35], [10, 20, 30]).score.tolist()
    [0.25, 0.5, 0.75]
    """
    waits = to_seconds(wait_seconds, "wait_seconds")
    thresholds, stored_thresholds = _thresholds(threshold_seconds)
    mask = abandoned_mask(abandoned, ("wait_seconds", waits))
    short_limit = (
        None
        if short_abandon_seconds is None
        else duration_seconds(short_abandon_seconds, "short_abandon_seconds")
    )
    checked = _check_policy(policy, short_limit, exclude_short_abandons)
    groups = optional_groups(by, waits.shape[0])

    within, totals = _count_against_thresholds(waits, mask, thresholds, groups)
    k = thresholds.shape[0]
    if mask is None or short_limit is None:
        short = np.zeros(totals.shape[0], dtype=np.int64)
    else:
        short = np.atleast_1d(count_true(mask & (waits < short_limit), groups)).astype(np.int64)

    def shaped(per_threshold: NDArray[np.int64]) -> Any:
        # (groups, k) -> drop the group axis when ungrouped, the threshold axis for one threshold.
        out = per_threshold if groups is not None else per_threshold[0]
        return unwrap(out[..., 0]) if isinstance(stored_thresholds, float) else out

    def repeated(per_group: NDArray[np.int64]) -> Any:
        return shaped(np.repeat(per_group[:, None], k, axis=1))

    result = ServiceLevel(
        n_answered_within=shaped(within[:, 0, :]),
        n_answered=repeated(totals[:, 0]),
        n_abandoned_within=shaped(within[:, 1, :]),
        n_abandoned_short=repeated(short),
        n_abandoned=repeated(totals[:, 1]),
        policy=checked,
        threshold_seconds=stored_thresholds,
        short_abandon_seconds=short_limit,
        exclude_short_abandons=bool(exclude_short_abandons),
    )
    return single_or_grouped(result, groups)


# --------------------------------------------------------------------------- percentiles


def _labels_eq(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(arrays_equal(x, y) for x, y in zip(a, b, strict=True))
        )
    return a is b if a is None or b is None else arrays_equal(a, b)


@attrs.frozen(kw_only=True)
class AnswerTimePercentiles(LabelledResult):
    """Answer-time percentiles, overall or per group (not mergeable: percentiles are order statistics).

    Attributes
    ----------
    seconds : float or ndarray of float
        The percentile answer times [s]: a float for one percentile, shape (k,) for
        k percentiles, with a leading group axis (aligned with ``labels``) when
        grouped. ``inf`` when, with ``abandoned_policy='never_answered'``, fewer
        than p % of the contacts were answered at all; NaN for a group with no
        contact to take a percentile over.
    n : int or ndarray of int
        Contacts each percentile is taken over.
    quantiles : float or tuple of float
        The quantile levels, fractions in [0, 1].
    abandoned_policy : str
        How abandoned contacts entered (one of :data:`ABANDONED_POLICIES`).
    labels : ndarray, tuple of ndarray, or None
        Group labels (as :attr:`Grouped.labels`), or None when not grouped.
    names : tuple of str
        Name of each grouping key (empty when not grouped).
    ci_low_seconds, ci_high_seconds : float or ndarray of float, or None
        Distribution-free confidence bounds of each percentile [s], shaped like
        ``seconds`` (see :meth:`confidence_interval`); None when no
        ``confidence_level`` was given.
    confidence_level : float or None
        Level of those bounds.
    """

    _headline = "seconds"
    _axes = (("quantiles", "quantile"),)

    seconds: Any = per_group()
    n: Any = per_group()
    quantiles: float | tuple[float, ...]
    abandoned_policy: str
    labels: Any = attrs.field(default=None, eq=attrs.cmp_using(eq=_labels_eq))
    names: tuple[str, ...] = attrs.field(default=(), eq=False)  # column names, not part of the result
    # Derived from the same sample as ``seconds`` (and absent from histogram-based
    # results), so not part of equality.
    ci_low_seconds: Any = per_group(default=None, compare=False)
    ci_high_seconds: Any = per_group(default=None, compare=False)
    confidence_level: float | None = attrs.field(default=None, eq=False)

    @property
    def has_interval(self) -> bool:
        """Whether the bounds were computed (a ``confidence_level`` was given)."""
        return self.confidence_level is not None

    def confidence_interval(self, confidence_level: float | None = None) -> ConfidenceInterval:
        """Distribution-free interval of each percentile: two order statistics of the sample [s].

        ``[t_(l), t_(u)]`` covers the true percentile with probability at least the
        level for any continuous distribution of answer times: the number of waits
        below the true q-quantile is Binomial(n, q), and l, u are its α/2 and 1 - α/2
        quantiles (Conover 1999, 3.2). -inf / inf where the sample is too small for a
        bound at this level; NaN for an empty group. The bounds are computed with the
        percentiles, at the ``confidence_level`` given to
        :func:`answer_time_percentile` (without one, this raises).

        Examples
        --------
        The median of ten waits at 95 %: the 2nd and 9th smallest.

        >>> from cskpi import answer_time_percentile
        >>> waits = [2, 5, 8, 12, 15, 20, 30, 40, 90, 200]
        >>> p = answer_time_percentile(waits, quantile=0.5, confidence_level=0.95)
        >>> tuple(p.confidence_interval())
        (5.0, 90.0)
        """
        if self.confidence_level is None:
            raise InvalidInputError(
                "confidence_level was not given to answer_time_percentile, so no interval was computed: "
                "pass confidence_level=0.95 (or another level) to answer_time_percentile"
            )
        if confidence_level is not None and confidence_level != self.confidence_level:
            raise InvalidInputError(
                f"confidence_level must be {self.confidence_level}, the level the bounds were computed at "
                f"(pass confidence_level= to answer_time_percentile); got {confidence_level!r}"
            )
        return ConfidenceInterval(
            low=self.ci_low_seconds,
            high=self.ci_high_seconds,
            confidence_level=self.confidence_level,
            method="order-statistic",
        )


def answer_time_percentile(
    wait_seconds: Any,
    *,
    quantile: Any,
    abandoned: Any = None,
    abandoned_policy: AbandonedPolicy = "never_answered",
    by: Any = None,
    confidence_level: float | None = None,
) -> AnswerTimePercentiles:
    r"""The smallest time within which at least a fraction q of contacts were answered (inverted CDF).

    Parameters
    ----------
    wait_seconds : array-like of float or timedelta64, shape (n,)
        Queue wait of each offered contact [s] (for an abandoned contact, the time
        until it hung up). Finite and non-negative; NaN raises.
    quantile : float or array-like of float, shape (k,)
        Quantile levels, fractions in [0, 1]: ``0.9`` for the 90th percentile. A level
        above 1 raises (``90`` is not read as 90 %).
    abandoned : array-like of bool, shape (n,), optional
        True for contacts that abandoned. Must be boolean. Default: none abandoned.
    abandoned_policy : {'never_answered', 'exclude'}, default 'never_answered'
        ``'never_answered'``: abandoned contacts stay in the population with an
        infinite answer time, so the result is the time within which p % of all
        offered contacts were answered (``inf`` if fewer than p % were answered).
        It pairs with service-level formula ``'abandoned_as_missed'``.
        ``'exclude'``: percentiles of the answer times of answered contacts only
        (the population of ASA); pairs with ``'abandoned_ignored'``.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels; all groups come from one sort by (group, wait).
    confidence_level : float, optional
        Level of the distribution-free interval of each percentile
        (:meth:`AnswerTimePercentiles.confidence_interval`), e.g. 0.95. The bounds
        take a second selection pass over the waits, so they are computed only when a
        level is given.

    Returns
    -------
    AnswerTimePercentiles
        ``seconds`` (float, or array over percentiles and/or groups), ``n``, the
        ``quantiles`` and ``abandoned_policy`` used, and the group ``labels``.
        Percentiles are order statistics: results of two batches cannot be merged.

    Notes
    -----
    For the $m$ contacts of the population sorted by answer time $t_{(1)} \le \dots \le t_{(m)}$,
    the quantile at level $q$ is $t_{(\lceil q m \rceil)}$: the smallest observed $t$ with at
    least a fraction $q$ of the contacts answered within $t$ (Hyndman and Fan 1996, definition 1;
    numpy's ``method='inverted_cdf'``). It is always an observed wait, never an
    interpolation, which is what makes the two ways of checking a target agree:
    ``service_level(w, T).score >= q`` exactly when this quantile is
    ``<= T`` (with the paired policies above). In particular
    ``service_level(w, answer_time_percentile(w, quantile=q).seconds) >= q``.

    A group whose population is empty (no contact, or only abandoned ones with
    ``'exclude'``) gives NaN with an :class:`UndefinedMetricWarning`.

    References
    ----------
    R. J. Hyndman and Y. Fan (1996), "Sample Quantiles in Statistical Packages",
    The American Statistician 50(4), 361-365.

    Examples
    --------
    Ten answered calls: the 80th percentile is the 8th smallest wait (ceil(0.8 * 10)
    = 8), here 40 s, and 80 % of the calls were indeed answered within 40 s.

    >>> from cskpi import answer_time_percentile, service_level
    >>> waits = [2, 5, 8, 12, 15, 20, 30, 40, 90, 200]
    >>> p = answer_time_percentile(waits, quantile=[0.5, 0.8, 0.9])
    >>> p.seconds.tolist()
    [15.0, 40.0, 90.0]
    >>> service_level(waits, 40).score
    0.8

    With two of ten calls abandoned, at most 80 % can be answered in any time:

    >>> gave_up = [False] * 8 + [True] * 2
    >>> answer_time_percentile(waits, quantile=[0.8, 0.9], abandoned=gave_up).seconds.tolist()
    [40.0, inf]
    """
    waits = to_seconds(wait_seconds, "wait_seconds")
    fractions, stored = quantile_levels(quantile)
    mask = abandoned_mask(abandoned, ("wait_seconds", waits))
    check_abandoned_policy(abandoned_policy)
    groups = optional_groups(by, waits.shape[0])
    n_groups = 1 if groups is None else groups.n_groups
    codes = None if groups is None else groups.codes
    values = waits
    if mask is not None:
        if abandoned_policy == "exclude":
            values = waits[~mask]
            codes = None if codes is None else codes[~mask]
        else:
            values = np.where(mask, np.inf, waits)
    level = None if confidence_level is None else check_confidence_level(confidence_level)
    seconds, sizes = grouped_quantiles(values, codes, n_groups, fractions)
    # The bounds need a second selection pass: only when an interval is asked for.
    low: Any = None
    high: Any = None
    if level is not None:
        low, high = grouped_quantile_bounds(values, codes, n_groups, fractions, level)
    empty = sizes == 0
    if empty.any():
        warn_undefined("answer-time percentile is undefined for zero contacts; returning NaN")
    if isinstance(stored, float):
        seconds = seconds[:, 0]
        if level is not None:
            low, high = low[:, 0], high[:, 0]
    if groups is None:
        return AnswerTimePercentiles(
            seconds=unwrap(seconds[0]),
            n=int(sizes[0]),
            quantiles=stored,
            abandoned_policy=abandoned_policy,
            ci_low_seconds=None if level is None else unwrap(low[0]),
            ci_high_seconds=None if level is None else unwrap(high[0]),
            confidence_level=level,
        )
    labels = groups.labels[0] if len(groups.labels) == 1 else groups.labels
    return AnswerTimePercentiles(
        seconds=seconds,
        n=sizes.astype(np.int64),
        quantiles=stored,
        abandoned_policy=abandoned_policy,
        labels=labels,
        names=groups.names,
        ci_low_seconds=low,
        ci_high_seconds=high,
        confidence_level=level,
    )
