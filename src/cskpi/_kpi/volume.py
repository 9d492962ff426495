"""Contact volume per calendar period, and the share of volume by channel.

Periods are calendar periods of wall-clock times: naive timestamps as given, aware
instants in the zone of ``tz=`` or of their column (:mod:`cskpi._core.time`).

Every count is one ``np.bincount`` pass over ``group * n_periods + period`` (see
:func:`cskpi._core.labels.count_cells`); periods without contacts are zeros, never
missing rows.
"""

from __future__ import annotations

from typing import Any, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.checks import check_same_length, describe_first, to_array, unwrap
from .._core.errors import InvalidInputError
from .._core.labels import count_cells, factorize, optional_groups
from .._core.periods import (
    PARAM,
    TimeSeriesResult,
    count_periods,
    growth,
    period_axis,
    period_index,
    period_labels_of,
    stamp_ordinals,
    to_stamps,
)
from .._core.results import ARRAY_EQ, Grouped, param, single_or_grouped, stat
from .._core.stats import divide
from .._core.time import check_period

__all__ = ["ChannelShare", "Volume", "channel_share", "volume"]


# --------------------------------------------------------------------------- timestamps


# --------------------------------------------------------------------------- periods


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

    _headline = "n_contacts"
    _axes = (("periods", "period"),)

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


@overload
def volume(
    timestamps: Any,
    *,
    period: str = "month",
    by: None = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> Volume: ...
@overload
def volume(
    timestamps: Any,
    *,
    period: str = "month",
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
    by: Any,
) -> Grouped[Volume]: ...
def volume(
    timestamps: Any,
    *,
    period: str = "month",
    by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> Volume | Grouped[Volume]:
    r"""Number of contacts (or tickets, calls…) per calendar period.

    Parameters
    ----------
    timestamps : array-like of datetime64, shape (n,)
        Arrival time of each contact: naive local ``datetime64`` of any unit, ISO 8601
        strings, ``datetime`` objects, or a pandas/polars/pyarrow datetime column;
        or time-zone-aware instants (offsets such as ``+02:00`` or ``Z``, zoned
        columns), read in the zone given by ``tz``. NaT raises.
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, default 'month'
        Calendar period; weeks are ISO weeks starting on Monday.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (channel, queue, team…), or a tuple for several keys; counted in
        the same bincount pass.
    start, end : timestamp, optional
        The range runs from the period containing ``start`` to the period containing
        ``end``, both included. Defaults: the earliest and the latest timestamp.
        Contacts outside the range are not counted. Naive bounds are wall-clock
        times in the zone of the data.
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) in which time-zone-aware instants are
        assigned to periods; default: the zone of a zoned column (pandas, polars,
        pyarrow). Offsets without a zone need it; naive timestamps with ``tz`` raise.

    Returns
    -------
    Volume or Grouped[Volume]
        ``n_contacts`` per period, with the period starts in ``periods``; every group
        of a grouped result has the same dense range of periods.

    Notes
    -----
    A contact at instant $t$ belongs to the period $[s_p, s_{p+1})$ that
    contains $t$ (periods are half-open, so midnight belongs to the day it starts).
    $n_{g,p} = \#\{i : \text{by}_i = g,\ t_i \in [s_p, s_{p+1})\}$, counted in one
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
    stamps, clock = to_stamps(timestamps, "timestamps", tz)
    valid = check_period(period)
    groups = optional_groups(by, stamps.shape[0])
    ordinals = stamp_ordinals(stamps, valid)
    first, n_periods = period_axis(valid, [ordinals], start, end, clock)
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

    _headline = "shares"
    _axes = (("channels", "channel"), ("periods", "period"))

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
    tz: str | None = None,
) -> ChannelShare:
    r"""Share of contact volume by channel per calendar period, and its change between periods.

    Parameters
    ----------
    timestamps : array-like of datetime64, shape (n,)
        Arrival time of each contact (naive local timestamps or time-zone-aware
        instants, as in :func:`volume`; NaT raises).
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
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) in which time-zone-aware instants are
        assigned to periods; default: the zone of a zoned column (pandas, polars,
        pyarrow). Offsets without a zone need it; naive timestamps with ``tz`` raise.

    Returns
    -------
    ChannelShare
        ``n_contacts`` per channel and period; ``shares`` and ``share_change`` derive
        from them.

    Notes
    -----
    $$\text{share}_{c,p} = \frac{n_{c,p}}{\sum_{c'} n_{c',p}}, \qquad
    \text{share change}_{c,p} = \text{share}_{c,p} - \text{share}_{c,p-1}$$

    (an absolute change in share points, not a relative change). Shares of a period without contacts are
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
    stamps, clock = to_stamps(timestamps, "timestamps", tz)
    labels = to_array(channels, "channels")
    check_same_length(("timestamps", stamps), ("channels", labels))
    valid = check_period(period)
    codes, channel_labels = _channel_codes(labels, categories)
    ordinals = stamp_ordinals(stamps, valid)
    first, n_periods = period_axis(valid, [ordinals], start, end, clock)
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
