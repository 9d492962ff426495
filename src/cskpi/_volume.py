"""Contact volume per calendar period, and the share of volume by channel.

Also holds the helpers shared by the ticket and engagement modules: timestamps as
naive ``datetime64[us]`` (time-zone-aware input raises), a dense range of calendar
periods, and :class:`TimeSeriesResult`, the base of every mergeable result indexed
by periods or instants.

Every count is one ``np.bincount`` pass over ``group * n_periods + period`` (see
:func:`cskpi._grouping.count_cells`); periods without contacts are zeros, never
missing rows.
"""

from __future__ import annotations

import datetime
import warnings
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from ._errors import InvalidInputError, InvalidTypeError
from ._grouping import Groups, count_cells, factorize, optional_groups
from ._results import _STAT, ARRAY_EQ, Mergeable, _param_names, param, single_or_grouped, stat
from ._stats import divide
from ._time import (
    Period,
    check_period,
    period_ordinals,
    period_starts,
    to_datetime64,
)
from ._validation import check_same_length, describe_first, first_index, to_array, unwrap

__all__ = ["ChannelShare", "Volume", "channel_share", "volume"]


# --------------------------------------------------------------------------- timestamps


# A parameter field holding an array (period starts, instants, labels), compared by value:
# ``attrs.field(eq=ARRAY_EQ, metadata=PARAM)``.
PARAM = {_STAT: False}


def _time_zone_of(values: Any) -> Any:
    """The time zone of a pandas or polars datetime column, ``None`` when naive or unknown."""
    dtype = getattr(values, "dtype", None)
    return getattr(dtype, "tz", None) or getattr(dtype, "time_zone", None)


def _first_zoned(array: NDArray[Any]) -> int:
    # Only reached on error: bisect for the first value numpy warns about (an offset or a tzinfo).
    low, high = 0, array.shape[0]
    while high - low > 1:
        middle = (low + high) // 2
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            try:
                array[low:middle].astype("datetime64[us]")
            except (UserWarning, ValueError, TypeError):
                high = middle
            else:
                low = middle
    return low


def to_instants(values: Any, name: str, *, allow_nat: bool = False) -> NDArray[np.datetime64]:
    """Naive local timestamps as ``datetime64[us]``; any datetime unit is accepted.

    ISO 8601 strings and ``datetime`` objects are parsed; a time zone (a pandas or
    polars zoned column, a ``tzinfo``, or an offset such as ``+02:00`` or ``Z`` in a
    string) raises :class:`InvalidInputError` naming the argument, because numpy would
    silently convert it to UTC. NaT raises unless ``allow_nat``.
    """
    if isinstance(values, list | tuple) and len(values) == 0:
        return np.zeros(0, dtype="datetime64[us]")
    zone = _time_zone_of(values)
    if zone is not None:
        raise InvalidInputError(
            f"{name} must be naive local timestamps; got a column with time zone {zone} "
            "(convert to local time and drop the zone first)"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        try:
            return to_datetime64(values, name, allow_nat=allow_nat, unit="us")
        except UserWarning:
            array = to_array(values, name)
            zoned = np.zeros(array.shape, dtype=bool)
            zoned[_first_zoned(array)] = True
            raise InvalidInputError(
                f"{name} must be naive local timestamps (no time zone or UTC offset); "
                f"got {describe_first(array, zoned)}"
            ) from None


def to_stamps(values: Any, name: str) -> NDArray[np.datetime64]:
    """Like :func:`to_instants` (no NaT), but a ``datetime64`` array keeps its own unit (no copy).

    For functions that only need calendar periods of one column.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind == "M" and values.ndim == 1:
        missing = np.isnat(values)
        if missing.any():
            raise InvalidInputError(f"{name} must not contain NaT; got NaT at index {first_index(missing)}")
        return values
    return to_instants(values, name)


def to_instant(value: Any, name: str) -> np.datetime64:
    """One naive timestamp (``str``, ``datetime``, ``date``, ``datetime64``, pandas ``Timestamp``) in µs."""
    if value is None or isinstance(value, list | tuple | np.ndarray):
        raise InvalidTypeError(f"{name} must be a single timestamp; got {type(value).__name__}")
    if isinstance(value, bool | int | float | np.number):
        raise InvalidTypeError(f"{name} must be a timestamp (datetime64 or ISO 8601 string); got {value!r}")
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        raise InvalidInputError(f"{name} must be a naive local timestamp; got {value!r}")
    stamp: np.datetime64 = to_instants([value], name)[0]
    return stamp


def instants_or_one(values: Any, name: str) -> tuple[NDArray[np.datetime64], bool]:
    """Timestamps, accepting a single timestamp too; returns whether it was a single one."""
    single = isinstance(values, str | datetime.datetime | datetime.date | np.datetime64)
    if single:
        return to_instants([values], name), True
    return to_instants(values, name), False


def as_int(stamps: NDArray[np.datetime64]) -> NDArray[np.int64]:
    """Microseconds since the epoch of ``datetime64[us]`` values (NaT is ``int64`` minimum)."""
    return stamps.view(np.int64)


def check_not_before(
    start: NDArray[np.datetime64], end: NDArray[np.datetime64], start_name: str, end_name: str
) -> None:
    """Raise when an end instant precedes its start (NaT ends are never before)."""
    before = end < start
    if before.any():
        index = first_index(before)
        raise InvalidInputError(
            f"{end_name} must not be before {start_name}; got {end[index]} before "
            f"{start_name} {start[index]} at index {index}"
        )


# --------------------------------------------------------------------------- periods


def period_axis(period: Period, ordinals: list[NDArray[np.int64]], start: Any, end: Any) -> tuple[int, int]:
    """``(first ordinal, number of periods)`` of a dense range of calendar periods.

    The range runs from the period containing ``start`` (default: the earliest
    ordinal in ``ordinals``) to the period containing ``end`` (default: the latest),
    both included. Empty data without ``start``/``end`` gives an empty range.
    """
    present = [o for o in ordinals if o.shape[0]]
    if start is not None:
        first = int(period_ordinals(np.array([to_instant(start, "start")]), period)[0])
    elif present:
        first = min(int(o.min()) for o in present)
    else:
        first = None
    if end is not None:
        last = int(period_ordinals(np.array([to_instant(end, "end")]), period)[0])
    elif present:
        last = max(int(o.max()) for o in present)
    else:
        last = None
    if first is None and last is None:
        return 0, 0
    if first is None:
        first = last
    if last is None:
        last = first
    assert first is not None
    assert last is not None
    if last < first:
        raise InvalidInputError(f"end must not be before start; got start={start!r}, end={end!r}")
    return first, last - first + 1


def period_index(
    ordinals: NDArray[np.int64], first: int, n_periods: int, keep: NDArray[np.bool_] | None = None
) -> tuple[NDArray[np.intp], NDArray[np.bool_] | None]:
    """Position of each row in the period range, and the rows to count (inside the range and ``keep``)."""
    index = ordinals - first
    inside = (index >= 0) & (index < n_periods)
    if keep is not None:
        inside &= keep
    if inside.all():
        return index.astype(np.intp, copy=False), None
    return np.where(inside, index, 0).astype(np.intp, copy=False), inside


def period_labels_of(period: Period, first: int, n_periods: int) -> NDArray[np.datetime64]:
    """Start of each period of a range, read-only."""
    labels = period_starts(np.arange(first, first + n_periods, dtype=np.int64), period)
    labels.setflags(write=False)
    return labels


def count_periods(
    index: NDArray[np.intp], keep: NDArray[np.bool_] | None, n_periods: int, groups: Groups | None
) -> NDArray[np.int64]:
    """Counts per period, shape ``(n_periods,)`` or ``(n_groups, n_periods)``: one bincount pass."""
    if groups is None:
        return count_cells(index, n_periods, keep=keep)
    return count_cells(index, n_periods, codes=groups.codes, n_groups=groups.n_groups, keep=keep)


def growth(values: Any, what: str = "growth rate") -> Any:
    """Period-over-period relative change along the last axis: ``(x[p] - x[p-1]) / x[p-1]``.

    The first period has no predecessor and is NaN; a previous value of 0 gives NaN
    with an :class:`UndefinedMetricWarning`; NaN values propagate.
    """
    array = np.asarray(values, dtype=np.float64)
    out = np.full(array.shape, np.nan)
    if array.shape[-1] > 1:
        previous = array[..., :-1]
        with np.errstate(invalid="ignore"):
            out[..., 1:] = divide(array[..., 1:] - previous, previous, what)
    return out


class TimeSeriesResult(Mergeable):
    """Mergeable result whose parameters may be arrays (period starts, instants, labels).

    Two results merge only when every parameter is equal, arrays compared by value;
    so results over the same period range (pass the same ``start`` and ``end``) or at
    the same instants merge, others raise :class:`InvalidInputError`.
    """

    __slots__ = ()

    def _check_mergeable(self, other: object) -> None:
        if type(other) is not type(self):
            raise InvalidTypeError(
                f"cannot add {type(other).__name__} to {type(self).__name__}: "
                "only results of the same kind merge"
            )
        for name in _param_names(type(self)):
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, np.ndarray) or isinstance(theirs, np.ndarray):
                same = (
                    isinstance(mine, np.ndarray)
                    and isinstance(theirs, np.ndarray)
                    and mine.dtype == theirs.dtype
                    and np.array_equal(mine, theirs)
                )
            else:
                same = bool(mine == theirs)
            if not same:
                raise InvalidInputError(
                    f"cannot add {type(self).__name__} results with different {name}: "
                    f"{_short(mine)} and {_short(theirs)}"
                )


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.shape[0] == 0:
            return "[] (empty)"
        return f"[{value[0]} … {value[-1]}] ({value.shape[0]} values)"
    return repr(value)


# --------------------------------------------------------------------------- volume


@attrs.frozen(kw_only=True)
class Volume(TimeSeriesResult):
    """Number of contacts per calendar period.

    Attributes
    ----------
    n_contacts : ndarray of int64, shape (n_periods,)
        Contacts in each period (``(n_groups, n_periods)`` inside a grouped result;
        ``grouped[label].n_contacts`` is one group's row). Periods without contacts
        are 0.
    period : str
        ``'hour'``, ``'day'``, ``'week'``, ``'month'``, ``'quarter'`` or ``'year'``.
    periods : ndarray of datetime64
        Start of each period (the labels of ``n_contacts``' last axis).
    """

    n_contacts: Any = stat()
    period: str = param()
    periods: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, metadata=PARAM)

    @property
    def n_periods(self) -> int:
        """Number of periods in the range."""
        return int(self.periods.shape[0])

    @property
    def total(self) -> Any:
        """Contacts over the whole range (per group when grouped)."""
        return unwrap(np.asarray(self.n_contacts).sum(axis=-1))

    @property
    def growth_rate(self) -> Any:
        """Period-over-period change ``(n[p] - n[p-1]) / n[p-1]``: NaN for the first period,
        NaN with an :class:`UndefinedMetricWarning` after a period of zero contacts."""
        return growth(self.n_contacts, "volume growth rate")


def volume(
    timestamps: Any,
    *,
    period: str = "day",
    by: Any = None,
    start: Any = None,
    end: Any = None,
) -> Any:
    """Number of contacts (or tickets, calls…) per calendar period.

    Parameters
    ----------
    timestamps : array-like of datetime64, shape (n,)
        Arrival time of each contact: naive local ``datetime64`` of any unit, ISO 8601
        strings, ``datetime`` objects, or a pandas/polars datetime Series. NaT and
        time-zone-aware values raise.
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, default 'day'
        Calendar period; weeks are ISO weeks starting on Monday.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (channel, queue, team…), or a tuple for several keys; counted in
        the same bincount pass.
    start, end : timestamp, optional
        The range runs from the period containing ``start`` to the period containing
        ``end``, both included. Defaults: the earliest and the latest timestamp.
        Contacts outside the range are not counted.

    Returns
    -------
    Volume or Grouped[Volume]
        ``n_contacts`` per period, with the period starts in ``periods``; every group
        of a grouped result has the same dense range of periods.

    Notes
    -----
    A contact at instant t belongs to the period ``[start_p, start_{p+1})`` that
    contains t (periods are half-open, so midnight belongs to the day it starts).
    ``n_contacts[g, p] = #{i : by_i = g, t_i ∈ period p}``, counted in one
    ``np.bincount`` over ``g * n_periods + p``. Results over the same range merge
    with ``+`` (pass ``start`` and ``end`` to give batches the same range).

    References
    ----------
    ISO 8601-1:2019, "Date and time — Representations for information interchange"
    (calendar weeks starting on Monday).

    Examples
    --------
    Three contacts on Monday, none on Tuesday, one on Wednesday:

    >>> from cskpi import volume
    >>> days = ["2024-05-13T08:00", "2024-05-13T09:30", "2024-05-13T23:59", "2024-05-15T00:00"]
    >>> result = volume(days, period="day")
    >>> result.n_contacts.tolist(), [str(d) for d in result.periods]
    ([3, 0, 1], ['2024-05-13', '2024-05-14', '2024-05-15'])
    >>> by_channel = volume(days, period="week", by=["phone", "chat", "phone", "phone"])
    >>> by_channel["phone"].n_contacts.tolist(), by_channel.total.tolist()
    ([3], [1, 3])
    """
    stamps = to_stamps(timestamps, "timestamps")
    valid = check_period(period)
    groups = optional_groups(by, stamps.shape[0])
    ordinals = period_ordinals(stamps, valid)
    first, n_periods = period_axis(valid, [ordinals], start, end)
    index, keep = period_index(ordinals, first, n_periods)
    counts = count_periods(index, keep, n_periods, groups)
    result = Volume(n_contacts=counts, period=valid, periods=period_labels_of(valid, first, n_periods))
    return single_or_grouped(result, groups)


# --------------------------------------------------------------------------- channel share


@attrs.frozen(kw_only=True)
class ChannelShare(TimeSeriesResult):
    """Contacts per channel and period; the shares of volume derive from the counts.

    Attributes
    ----------
    n_contacts : ndarray of int64, shape (n_channels, n_periods)
        Contacts of each channel in each period.
    channels : ndarray, shape (n_channels,)
        Channel labels (rows of ``n_contacts``).
    period : str
        Calendar period.
    periods : ndarray of datetime64, shape (n_periods,)
        Start of each period (columns of ``n_contacts``).
    """

    n_contacts: Any = stat()
    channels: NDArray[Any] = attrs.field(eq=ARRAY_EQ, metadata=PARAM)
    period: str = param()
    periods: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, metadata=PARAM)

    @property
    def total(self) -> NDArray[np.int64]:
        """Contacts over all channels in each period, shape ``(n_periods,)``."""
        total: NDArray[np.int64] = np.asarray(self.n_contacts).sum(axis=0)
        return total

    @property
    def shares(self) -> NDArray[np.float64]:
        """Share of each channel in each period's volume, in [0, 1], shape ``(n_channels, n_periods)``.

        Each column sums to 1; a period without contacts is NaN with an
        :class:`UndefinedMetricWarning`.
        """
        shares: NDArray[np.float64] = divide(
            self.n_contacts, np.broadcast_to(self.total, np.shape(self.n_contacts)), "channel share"
        )
        return np.asarray(shares, dtype=np.float64).reshape(np.shape(self.n_contacts))

    @property
    def share_change(self) -> NDArray[np.float64]:
        """Change of each channel's share from the previous period, in share points (fractions).

        ``share[c, p] - share[c, p-1]``, in [-1, 1]; NaN for the first period and next
        to a period without contacts. Each column sums to 0.
        """
        shares = self.shares
        change = np.full(shares.shape, np.nan)
        change[:, 1:] = shares[:, 1:] - shares[:, :-1]
        return change


def channel_share(
    timestamps: Any,
    channels: Any,
    *,
    period: str = "month",
    categories: Any = None,
    start: Any = None,
    end: Any = None,
) -> ChannelShare:
    """Share of contact volume by channel per calendar period, and its change between periods.

    Parameters
    ----------
    timestamps : array-like of datetime64, shape (n,)
        Arrival time of each contact (naive local timestamps; NaT raises).
    channels : array-like, shape (n,)
        Channel of each contact (``'phone'``, ``'email'``, ``'chat'``, ``'social'``…).
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, default 'month'
        Calendar period.
    categories : array-like, optional
        The channels to report, in this order; channels without contacts get zero
        rows, and a contact on a channel not listed raises. Default: the channels
        present, sorted. Pass the same ``categories``, ``start`` and ``end`` to
        batches that are to be merged with ``+``.
    start, end : timestamp, optional
        Range of periods, as in :func:`volume`.

    Returns
    -------
    ChannelShare
        ``n_contacts`` per channel and period; ``shares`` and ``share_change`` derive
        from them.

    Notes
    -----
    ``share[c, p] = n[c, p] / Σ_c n[c, p]`` and
    ``share_change[c, p] = share[c, p] - share[c, p-1]`` (an absolute change in
    share points, not a relative change). Shares of a period without contacts are
    undefined (NaN with an :class:`UndefinedMetricWarning`). All counts come from
    one bincount pass over ``channel * n_periods + period``.

    References
    ----------
    ICMI / B. Cleveland (2019), *Call Center Management on Fast Forward*, 4th ed.,
    ICMI Press (contact mix by channel as a workload-forecasting input).

    Examples
    --------
    January: 3 phone, 1 chat; February: 2 phone, 2 chat. Phone's share falls from
    0.75 to 0.5, a change of -0.25.

    >>> from cskpi import channel_share
    >>> t = ["2024-01-03", "2024-01-09", "2024-01-20", "2024-01-22",
    ...      "2024-02-01", "2024-02-02", "2024-02-10", "2024-02-28"]
    >>> c = ["phone", "phone", "phone", "chat", "phone", "chat", "phone", "chat"]
    >>> mix = channel_share(t, c, period="month")
    >>> mix.channels.tolist(), mix.shares.tolist()
    (['chat', 'phone'], [[0.25, 0.5], [0.75, 0.5]])
    >>> mix.share_change[:, 1].tolist()
    [0.25, -0.25]
    """
    stamps = to_stamps(timestamps, "timestamps")
    labels = to_array(channels, "channels")
    check_same_length(("timestamps", stamps), ("channels", labels))
    valid = check_period(period)
    codes, channel_labels = _channel_codes(labels, categories)
    ordinals = period_ordinals(stamps, valid)
    first, n_periods = period_axis(valid, [ordinals], start, end)
    index, keep = period_index(ordinals, first, n_periods)
    counts = count_cells(index, n_periods, codes=codes, n_groups=channel_labels.shape[0], keep=keep)
    return ChannelShare(
        n_contacts=counts,
        channels=channel_labels,
        period=valid,
        periods=period_labels_of(valid, first, n_periods),
    )


def _channel_codes(labels: NDArray[Any], categories: Any) -> tuple[NDArray[np.intp], NDArray[Any]]:
    groups = factorize(labels, labels.shape[0], name="channels")
    found = groups.labels[0]
    if categories is None:
        found.setflags(write=False)
        return groups.codes, found
    wanted = to_array(categories, "categories")
    if np.unique(wanted).shape[0] != wanted.shape[0]:
        raise InvalidInputError(f"categories must be distinct; got {wanted.tolist()!r}")
    # Map each found label to its position in ``categories`` (one sort over the categories).
    order = np.argsort(wanted, kind="stable")
    ordered = wanted[order]
    if found.shape[0] and not wanted.shape[0]:
        raise InvalidInputError(f"channels must be one of categories []; got {labels[0].item()!r} at index 0")
    position = np.minimum(np.searchsorted(ordered, found), max(wanted.shape[0] - 1, 0))
    unknown = ordered[position] != found if found.shape[0] else np.zeros(0, dtype=bool)
    if unknown.any():
        raise InvalidInputError(
            f"channels must be one of categories {wanted.tolist()!r}; "
            f"got {describe_first(labels, labels == found[unknown][0])}"
        )
    mapping = order[position]
    codes: NDArray[np.intp] = mapping[groups.codes].astype(np.intp, copy=False)
    frozen = wanted.copy()
    frozen.setflags(write=False)
    return codes, frozen
