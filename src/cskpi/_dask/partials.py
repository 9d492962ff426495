"""Partial results of :mod:`cskpi.dask` that are not an in-memory result: volumes over a
partition's own periods, counts of waits and durations per (group, value), and duration
summaries whose median and p90 are read from such counts. Each merges with ``+``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.checks import abandoned_mask, check_confidence_level, unwrap
from .._core.errors import InvalidInputError, InvalidTypeError, warn_undefined
from .._core.histogram import ValueCounts, resolution_steps, round_up, tabulate
from .._core.labels import Groups, factorize, quantile_positions
from .._core.results import Grouped
from .._core.stats import order_statistic_ranks
from .._core.time import duration_seconds, period_ordinals, period_starts, to_seconds
from .._kpi import service_level as _service_level
from .engine import (
    WARNINGS_LOCK,
)

_NO_CODES: NDArray[np.intp] = np.zeros(0, dtype=np.intp)


@attrs.frozen(kw_only=True)
class VolumePart:
    """Volume of some partitions over the periods they have contacts in, with their first and last period.

    ``result`` counts the contacts over the partitions' own range of periods, clipped
    to ``start`` and ``end`` (None when no contact falls in it); ``first`` and
    ``last`` are the ordinals of the earliest and latest contact, not clipped, so
    that the final range is chosen exactly as :func:`cskpi.volume` chooses it.
    """

    result: Any
    first: int
    last: int

    def __add__(self, other: VolumePart) -> VolumePart:
        return VolumePart(
            result=_add_volumes(self.result, other.result),
            first=min(self.first, other.first),
            last=max(self.last, other.last),
        )


def _volume_values(result: Any) -> Any:
    return result.values if isinstance(result, Grouped) else result


def _first_period(result: Any) -> int | None:
    values = _volume_values(result)
    if values.periods.shape[0] == 0:
        return None
    return int(period_ordinals(values.periods[:1], values.period)[0])


def _reframe(result: Any, first: int, n_periods: int) -> Any:
    """The volume over the periods ``first .. first + n_periods - 1``: zeros where it had none."""
    from .._core.periods import period_labels_of

    values = _volume_values(result)
    counts = np.asarray(values.n_contacts, dtype=np.int64)
    own_first = _first_period(result)
    framed = np.zeros((*counts.shape[:-1], n_periods), dtype=np.int64)
    if own_first is not None:
        low, high = max(own_first, first), min(own_first + counts.shape[-1], first + n_periods)
        if low < high:
            framed[..., low - first : high - first] = counts[..., low - own_first : high - own_first]
    framed_values = attrs.evolve(
        values, n_contacts=framed, periods=period_labels_of(values.period, first, n_periods)
    )
    if not isinstance(result, Grouped):
        return framed_values
    labels = result.labels if isinstance(result.labels, tuple) else (result.labels,)
    return Grouped(framed_values, Groups(codes=_NO_CODES, labels=labels, names=result.names))


def _add_volumes(a: Any, b: Any) -> Any:
    """``a + b`` once both cover the union of their ranges of periods."""
    if a is None or b is None:
        return b if a is None else a
    ranges = [
        (first, first + _volume_values(r).periods.shape[0])
        for r in (a, b)
        if (first := _first_period(r)) is not None
    ]
    if not ranges:
        return a + b
    low, high = min(r[0] for r in ranges), max(r[1] for r in ranges)
    return _reframe(a, low, high - low) + _reframe(b, low, high - low)


def _ordinal(value: Any, name: str, period: Any, clock: Any) -> int:
    return int(period_ordinals(np.array([clock.bound(value, name)]), period)[0])


def volume_partition(
    timestamps: Any,
    *,
    period: Any = "day",
    by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: Any = None,
) -> VolumePart:
    """One partition's volume over its own periods clipped to ``[start, end]`` (same signature as volume)."""
    from .._core.periods import calendar_stamps
    from .._kpi.volume import volume as memory_volume

    stamps, clock = calendar_stamps(timestamps, "timestamps", tz)  # wall clock: counted as naive below
    first, last = (int(o) for o in period_ordinals(np.array([stamps.min(), stamps.max()]), period))
    low = first if start is None else max(first, _ordinal(start, "start", period, clock))
    high = last if end is None else min(last, _ordinal(end, "end", period, clock))
    if low <= high:
        bounds = period_starts(np.array([low, high], dtype=np.int64), period)
        result = memory_volume(stamps, period=period, by=by, start=bounds[0], end=bounds[1])
        return VolumePart(result=result, first=first, last=last)
    # No contact of this partition falls in the range: keep its groups, with no periods.
    if by is None:
        return VolumePart(result=None, first=first, last=last)
    groups = factorize(by, stamps.shape[0], name="by")
    nothing = memory_volume(stamps[:0], period=period)
    counts = np.zeros((groups.n_groups, 0), dtype=np.int64)
    return VolumePart(
        result=Grouped(attrs.evolve(nothing, n_contacts=counts), groups), first=first, last=last
    )


def volume_finish(
    part: VolumePart | None, empty: Any, *, period: Any, start: Any, end: Any, tz: Any = None
) -> Any:
    """The merged volume over the range :func:`cskpi.volume` chooses for all the data."""
    from .._core.periods import period_axis
    from .._core.time import Clock, check_tz

    if part is None:
        return empty
    clock = Clock(zone=check_tz(tz), aware=None)  # naive bounds are wall-clock times
    first, n_periods = period_axis(
        period, [np.array([part.first, part.last], dtype=np.int64)], start, end, clock
    )
    return _reframe(empty if part.result is None else part.result, first, n_periods)


def check_max_exact(max_exact_values: Any) -> int | None:
    if max_exact_values is None:
        return None
    if isinstance(max_exact_values, bool) or not isinstance(max_exact_values, int | np.integer):
        raise InvalidTypeError(
            f"max_exact_values must be a non-negative integer or None; got {max_exact_values!r}"
        )
    if max_exact_values < 0:
        raise InvalidInputError(
            f"max_exact_values must be a non-negative integer or None; got {max_exact_values!r}"
        )
    return int(max_exact_values)


@attrs.frozen(kw_only=True)
class AnswerTimeCounts(ValueCounts):
    """Contacts counted per (group, answer time): a mergeable table from which answer-time percentiles follow.

    Percentiles are order statistics and do not add, but the counts of contacts at
    each distinct wait do. While the table holds at most ``max_exact_values``
    distinct (group, wait) pairs it keeps the exact waits; beyond that every wait
    is rounded *up* to the next multiple of ``resolution_seconds`` (a fixed-
    resolution histogram), and stays so through every later merge.

    Attributes
    ----------
    labels : tuple of ndarray
        Group labels of each row, one array per grouping key (empty when not grouped).
    seconds : ndarray of float, shape (m,)
        Each row's wait [s]: exact, or rounded up to a multiple of
        ``resolution_seconds``; ``inf`` for abandoned contacts. Rows are sorted by
        labels, then wait.
    counts : ndarray of int64, shape (m,)
        Contacts of the row's group with the row's wait.
    names : tuple of str
        Name of each grouping key.
    resolution_seconds : float
        Width of the histogram bins [s] once rounded.
    max_exact_values : int or None
        Most distinct (group, wait) pairs kept exactly (None: no limit).
    exact : bool
        True while the waits are exact; False once rounded.
    """

    def percentiles(
        self,
        *,
        quantile: Any,
        abandoned_policy: str = "never_answered",
        confidence_level: float | None = None,
    ) -> _service_level.AnswerTimePercentiles:
        """Answer-time percentiles of the counted contacts (as :func:`cskpi.answer_time_percentile`).

        Parameters
        ----------
        quantile : float or array-like of float, shape (k,)
            Quantile levels, fractions in [0, 1] (0.9 for the 90th percentile).
        abandoned_policy : {'never_answered', 'exclude'}, default 'never_answered'
            Abandoned contacts kept with an infinite answer time, or left out.
        confidence_level : float, optional
            Level of the distribution-free interval of each percentile (0.95).

        Returns
        -------
        AnswerTimePercentiles
            Equal to ``cskpi.answer_time_percentile`` on the same contacts while
            ``exact``, interval included; once rounded, each percentile and each
            bound is the exact one rounded up to the next multiple of
            ``resolution_seconds``.

        Notes
        -----
        The quantile at level q of m contacts is the ``ceil(q m)``-th smallest wait
        (Hyndman and Fan 1996, definition 1), found here by a binary search in the
        cumulative counts of each group. Rounding up is monotone, and the order
        statistics of rounded waits are the rounded order statistics, so a rounded
        percentile ``r * ceil(t / r)`` lies in ``[t, t + r)`` for the exact
        percentile t, and equals t when the waits are whole multiples of r (waits
        recorded in whole seconds, at ``r = 1``).

        The interval ``[t_(l), t_(u)]`` is the in-memory one: the ranks l and u come
        from the Binomial(n, q) count of waits below the true percentile (Conover
        1999, 3.2), and the order statistics at those ranks are read from the
        cumulative counts like the percentile itself — exact while ``exact``, else
        rounded up to the bin like every order statistic.

        References
        ----------
        R. J. Hyndman and Y. Fan (1996), "Sample Quantiles in Statistical Packages",
        The American Statistician 50(4), 361-365.
        W. J. Conover (1999), *Practical Nonparametric Statistics*, 3rd ed., Wiley,
        section 3.2.

        Examples
        --------
        Ten answered calls: the 80th percentile is the 8th smallest wait, 40 s.

        >>> from cskpi.dask import count_answer_times
        >>> counts = count_answer_times([2, 5, 8, 12, 15, 20, 30, 40, 90, 200])
        >>> counts.percentiles(quantile=[0.5, 0.8, 0.9]).seconds.tolist()
        [15.0, 40.0, 90.0]
        """
        fractions, stored = _service_level.quantile_levels(quantile)
        _service_level.check_abandoned_policy(abandoned_policy)
        m = self.seconds.shape[0]
        weights = (
            self.counts
            if abandoned_policy == "never_answered"
            else np.where(np.isinf(self.seconds), 0, self.counts)
        )
        changed = np.zeros(m, dtype=bool)
        if m:
            changed[0] = True
            for key in self.labels:
                changed[1:] |= key[1:] != key[:-1]
        starts = np.flatnonzero(changed) if self.labels else np.zeros(1, dtype=np.intp)
        cumulative = np.cumsum(weights, dtype=np.int64)
        ends = np.append(starts[1:], m)
        before = (
            np.where(starts > 0, cumulative[np.maximum(starts - 1, 0)], 0) if m else np.zeros(1, np.int64)
        )
        sizes = (cumulative[ends - 1] - before) if m else np.zeros(1, dtype=np.int64)
        empty = sizes == 0

        def order_statistics(ranks: NDArray[np.int64]) -> NDArray[np.float64]:
            """The wait at each 0-based rank of each group (NaN for an empty group)."""
            if not m:
                return np.full(ranks.shape, np.nan)
            positions = np.searchsorted(cumulative, before[:, None] + ranks, side="right")
            found: NDArray[np.float64] = np.where(
                empty[:, None], np.nan, self.seconds[np.minimum(positions, m - 1)]
            )
            return found

        seconds = order_statistics(quantile_positions(sizes.astype(np.int64), fractions))
        bounds: list[Any] = [None, None]
        level = None if confidence_level is None else check_confidence_level(confidence_level)
        if level is not None:
            lower, upper = order_statistic_ranks(sizes, fractions, level)
            top = np.maximum(sizes[:, None] - 1, 0)
            bounds = [
                np.where((lower < 0) & ~empty[:, None], -np.inf, order_statistics(np.clip(lower, 0, top))),
                np.where(
                    (upper >= sizes[:, None]) & ~empty[:, None],
                    np.inf,
                    order_statistics(np.minimum(upper, top)),
                ),
            ]
        if empty.any():
            warn_undefined("answer-time percentile is undefined for zero contacts; returning NaN")
        if isinstance(stored, float):
            seconds = seconds[:, 0]
            bounds = [None if bound is None else bound[:, 0] for bound in bounds]
        if not self.labels:
            return _service_level.AnswerTimePercentiles(
                seconds=unwrap(seconds[0]),
                n=int(sizes[0]),
                quantiles=stored,
                abandoned_policy=abandoned_policy,
                ci_low_seconds=None if level is None else unwrap(bounds[0][0]),
                ci_high_seconds=None if level is None else unwrap(bounds[1][0]),
                confidence_level=level,
            )
        labels = tuple(key[starts] for key in self.labels)
        return _service_level.AnswerTimePercentiles(
            seconds=seconds,
            n=sizes.astype(np.int64),
            quantiles=stored,
            abandoned_policy=abandoned_policy,
            labels=labels[0] if len(labels) == 1 else labels,
            names=self.names,
            ci_low_seconds=bounds[0],
            ci_high_seconds=bounds[1],
            confidence_level=level,
        )


DEFAULT_RESOLUTION_SECONDS = 1.0
DEFAULT_MAX_EXACT_VALUES = 100_000


def count_answer_times(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    by: Any = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
) -> AnswerTimeCounts:
    """Count in-memory contacts per (group, wait): the mergeable partial result behind Dask percentiles.

    Parameters
    ----------
    wait_seconds : array-like of float or timedelta64, shape (n,)
        Queue wait of each offered contact [s]; finite and non-negative.
    abandoned : array-like of bool, shape (n,), optional
        True for contacts that abandoned (counted with an infinite answer time).
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels.
    resolution_seconds : float, default 1.0
        Bin width [s] used once the table is rounded.
    max_exact_values : int or None, default 100000
        Keep exact waits while there are at most this many distinct (group, wait)
        pairs; None keeps them exact whatever their number.

    Returns
    -------
    AnswerTimeCounts
        Mergeable with ``+``; :meth:`AnswerTimeCounts.percentiles` gives the
        percentiles.

    Notes
    -----
    Whether the merged table is exact does not depend on how the data was split:
    a part has no more distinct pairs than the whole, so a part is rounded only when
    the whole has more than ``max_exact_values`` pairs, and then the whole is rounded
    too.

    Examples
    --------
    >>> from cskpi.dask import count_answer_times
    >>> counts = count_answer_times([20.5, 3.2, 20.5], abandoned=[False, False, True])
    >>> counts.seconds.tolist(), counts.counts.tolist(), counts.exact
    ([3.2, 20.5, inf], [1, 1, 1], True)
    >>> count_answer_times([20.5, 3.2, 20.5], max_exact_values=0).seconds.tolist()
    [4.0, 21.0]
    """
    waits = to_seconds(wait_seconds, "wait_seconds")
    mask = abandoned_mask(abandoned, ("wait_seconds", waits))
    resolution = duration_seconds(resolution_seconds, "resolution_seconds", positive=True)
    limit = check_max_exact(max_exact_values)
    values = waits if mask is None else np.where(mask, np.inf, waits)
    groups = None if by is None else factorize(by, waits.shape[0], name="by")
    n_rows = values.shape[0]
    exact = True
    uniques, inverse = _exact_codes(values)
    if limit is not None and uniques.shape[0] > limit:
        exact = False
        uniques, inverse = _bin_codes(values, resolution)
    width = uniques.shape[0]
    codes = inverse.reshape(-1).astype(np.intp, copy=False)
    if groups is not None:
        codes = groups.codes * width + codes
    n_cells = width * (1 if groups is None else groups.n_groups)
    if n_cells <= 4 * n_rows + 1024:
        dense = np.bincount(codes, minlength=n_cells)
        cells = np.flatnonzero(dense)
        counts = dense[cells].astype(np.int64)
    else:
        cells, counts = np.unique(codes, return_counts=True)
    group_index, value_index = np.divmod(cells, width)
    table = AnswerTimeCounts(
        labels=() if groups is None else tuple(key[group_index] for key in groups.labels),
        seconds=uniques[value_index].astype(np.float64),
        counts=counts.astype(np.int64),
        names=() if groups is None else groups.names,
        resolution_seconds=resolution,
        max_exact_values=limit,
        exact=exact,
    )
    if exact and limit is not None and cells.shape[0] > limit:
        # Few distinct waits but too many (group, wait) pairs: round the (smaller) table.
        return tabulate(
            AnswerTimeCounts,
            table.labels,
            table.seconds,
            table.counts,
            names=table.names,
            resolution_seconds=resolution,
            max_exact_values=limit,
            exact=False,
        )
    return table


def _exact_codes(values: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Distinct waits and the index of each value among them (whole seconds without a sort)."""
    finite = np.isfinite(values)
    whole = values[finite]
    if whole.size and np.array_equal(whole, np.floor(whole)):
        dense = _dense_codes(values, finite, 1.0)
        if dense is not None:
            return dense
    uniques, inverse = np.unique(values, return_inverse=True)
    return uniques, inverse.reshape(-1).astype(np.intp)


def _bin_codes(
    values: NDArray[np.float64], resolution: float
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Distinct rounded-up waits ``k * resolution`` and the index of each value among them."""
    steps = resolution_steps(values, resolution)
    dense = _dense_codes(steps, np.isfinite(steps), resolution)
    if dense is not None:
        return dense
    uniques, inverse = np.unique(round_up(values, resolution), return_inverse=True)
    return uniques, inverse.reshape(-1).astype(np.intp)


def _dense_codes(
    steps: NDArray[np.float64], finite: NDArray[np.bool_], resolution: float
) -> tuple[NDArray[np.float64], NDArray[np.intp]] | None:
    """Codes of whole-number ``steps`` by a dense scatter over their range (None when it is not compact).

    The values are ``steps * resolution``; ``inf`` (abandoned contacts) comes last.
    """
    if not finite.any():
        return None
    low, high = float(steps[finite].min()), float(steps[finite].max())
    span = int(high - low) + 2  # one more for inf
    if span > 4 * steps.shape[0] + 1024:
        return None
    offsets = np.where(finite, steps - low, span - 1).astype(np.intp)
    present = np.bincount(offsets, minlength=span) > 0
    lookup = np.cumsum(present, dtype=np.intp) - 1
    kept = np.flatnonzero(present)
    # The same product k * resolution as round_up, so that bins compare equal on merge.
    bins = np.where(kept == span - 1, np.inf, (kept + low) * resolution)
    return bins, lookup[offsets]


@attrs.frozen(kw_only=True)
class DurationPart:
    """Mergeable part of a duration summary: the totals, and the durations counted per (group, value)."""

    totals: Any
    counts: AnswerTimeCounts

    def __add__(self, other: DurationPart) -> DurationPart:
        return DurationPart(totals=self.totals + other.totals, counts=self.counts + other.counts)


def duration_partition(
    function: Callable[..., Any],
    created: Any,
    ended: Any,
    *,
    calendar: Any = None,
    by: Any = None,
    tz: Any = None,
    resolution_seconds: float,
    max_exact_values: int | None,
) -> DurationPart:
    """One partition's totals (from the in-memory function, which checks the data) and duration counts."""
    import warnings

    from .._core.business_hours import business_seconds
    from .._core.errors import UndefinedMetricWarning
    from .._core.time import parse_times

    with WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)  # percentiles of a part are not used
        result = function(created, ended, calendar=calendar, by=by, tz=tz)
    start = parse_times(created, "created").stamps
    end = parse_times(ended, "end", allow_nat=True).stamps
    measured = ~np.isnat(end)
    if calendar is None:
        seconds = (end[measured] - start[measured]) / np.timedelta64(1, "s")
    else:
        seconds = np.asarray(
            business_seconds(created[measured], ended[measured], calendar=calendar, tz=tz), dtype=np.float64
        )
    kept = None if by is None else tuple(key[measured] for key in (by if isinstance(by, tuple) else (by,)))
    counts = count_answer_times(
        seconds.astype(np.float64),
        by=None if kept is None else (kept[0] if len(kept) == 1 else kept),
        resolution_seconds=resolution_seconds,
        max_exact_values=max_exact_values,
    )
    return DurationPart(totals=result.totals, counts=counts)


def duration_finish(part: DurationPart | None, empty: Callable[[], Any], *, cls: type[Any]) -> Any:
    """The summary of all partitions: merged totals, median and p90 read from the merged counts."""
    if part is None:
        return empty()
    percentiles = part.counts.percentiles(quantile=[0.5, 0.9], abandoned_policy="exclude")
    if not isinstance(part.totals, Grouped):
        median, p90 = (float(value) for value in percentiles.seconds)
        return cls(totals=part.totals, median_seconds=median, p90_seconds=p90)
    found = dict(zip(percentiles.keys(), np.atleast_2d(percentiles.seconds), strict=True))
    keys = part.totals.keys()
    missing = np.full(2, np.nan)
    values = np.array([found.get(key, missing) for key in keys], dtype=np.float64).reshape(len(keys), 2)
    if any(key not in found for key in keys):
        warn_undefined(f"{cls.__name__} percentiles are undefined with no measured duration; returning NaN")
    return cls(totals=part.totals, median_seconds=values[:, 0], p90_seconds=values[:, 1])
