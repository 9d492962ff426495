"""Ticket and conversation durations: first response time, reply times, resolution time.

Each duration is measured in calendar time (``calendar=None``) or in the open time
of a :class:`~cskpi.BusinessHours` calendar. Tickets still waiting for their end
event (no reply yet, not resolved yet: NaT) are counted and reported, never
dropped silently. Means come from additive totals (:class:`DurationTotals`, which
merge with ``+``); medians and 90th percentiles are inverted-CDF order statistics,
which do not merge: to combine batches, concatenate the raw data and call again.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.business_hours import (
    BusinessHours,
    business_zone,
    check_calendar,
    check_not_before,
    elapsed_microseconds,
)
from .._core.checks import check_same_length, first_index, to_array
from .._core.errors import InvalidInputError, InvalidTypeError, warn_undefined
from .._core.labels import Groups, factorize, grouped_quantiles
from .._core.results import Grouped, LabelledResult, Mergeable, Tabular, array_field, param, per_group, stat
from .._core.stats import divide
from .._core.time import Times, calendar_clock, parse_times, same_clock

__all__ = [
    "DurationTotals",
    "ReplyTimes",
    "ResolutionTime",
    "ResponseTime",
    "first_response_time",
    "reply_times",
    "resolution_time",
]

_US_PER_SECOND = 1_000_000
_FRACTIONS = np.array([0.5, 0.9])


@attrs.frozen(kw_only=True)
class DurationTotals(Mergeable):
    """Additive totals of a set of durations; merge two batches with ``+``.

    Attributes
    ----------
    n : int or ndarray of int
        Number of measured durations (the end event happened).
    n_open : int or ndarray of int
        Number of items whose end event has not happened (NaT end): unanswered
        tickets, unresolved tickets, unanswered customer messages.
    total_seconds : float or ndarray of float
        Sum of the measured durations, in seconds.
    calendar : BusinessHours or None
        The business-hours calendar the durations were measured in, ``None`` for
        calendar time. Totals merge only when their calendars are equal.

    Examples
    --------
    Two batches of first response times (10 and 30 minutes; then 20 minutes and one
    unanswered) merge into n = 3, mean (10 + 30 + 20) / 3 = 20 minutes.

    >>> from cskpi import first_response_time
    >>> monday = first_response_time(["2024-05-13T09:00"] * 2, ["2024-05-13T09:10", "2024-05-13T09:30"])
    >>> tuesday = first_response_time(["2024-05-14T09:00"] * 2, ["2024-05-14T09:20", "NaT"])
    >>> both = monday.totals + tuesday.totals
    >>> both.n, both.n_open, both.mean_seconds / 60
    (3, 1, 20.0)
    """

    _headline = "mean_seconds"
    _figures = ("open_rate",)

    n: Any = stat()
    n_open: Any = stat()
    total_seconds: Any = stat()
    calendar: BusinessHours | None = param()

    @property
    def n_items(self) -> Any:
        """Measured plus open items."""
        return self.n + self.n_open

    @property
    def mean_seconds(self) -> Any:
        """Mean measured duration in seconds; NaN (with a warning) when none was measured."""
        return divide(self.total_seconds, self.n, "mean duration")

    @property
    def open_rate(self) -> Any:
        """Fraction of items still open (no end event), in [0, 1]."""
        return divide(self.n_open, self.n_items, "open rate")


@attrs.frozen(kw_only=True)
class _DurationSummary(LabelledResult):
    """Totals (mergeable) with the median and 90th percentile (not mergeable)."""

    totals: Any  # DurationTotals or Grouped[DurationTotals]
    median_seconds: Any = per_group()
    p90_seconds: Any = per_group()

    @property
    def n(self) -> Any:
        """Number of measured durations."""
        return self.totals.n

    @property
    def mean_seconds(self) -> Any:
        """Mean measured duration in seconds; NaN (with a warning) when none was measured."""
        return self.totals.mean_seconds

    @property
    def calendar(self) -> BusinessHours | None:
        """The business-hours calendar used, or ``None`` for calendar time."""
        calendar: BusinessHours | None = self.totals.calendar
        return calendar

    @property
    def labels(self) -> Any:
        """Group labels of a grouped result (one array, or a tuple for several keys); ``None`` otherwise."""
        return self.totals.labels if isinstance(self.totals, Grouped) else None


@attrs.frozen(kw_only=True)
class ResponseTime(_DurationSummary):
    """First response (or reply) times: totals, median and 90th percentile.

    Attributes
    ----------
    totals : DurationTotals or Grouped[DurationTotals]
        Additive part: ``n`` answered, ``n_open`` unanswered, ``total_seconds``.
        Merge two batches with ``a.totals + b.totals``.
    median_seconds, p90_seconds : float or ndarray of float
        Inverted-CDF median and 90th percentile of the answered durations, in
        seconds (arrays aligned with ``labels`` when grouped). These do not merge.

    Examples
    --------
    >>> from cskpi import first_response_time
    >>> frt = first_response_time(["2024-05-13T09:00"] * 3, ["2024-05-13T09:10", "2024-05-13T09:40", "NaT"])
    >>> frt.n, frt.n_unanswered, frt.median_seconds / 60, frt.unanswered_rate
    (2, 1, 10.0, 0.3333333333333333)
    """

    _headline = "median_seconds"
    _figures = ("n_unanswered", "unanswered_rate")

    @property
    def n_unanswered(self) -> Any:
        """Number of items with no reply yet (not part of the mean or percentiles)."""
        return self.totals.n_open

    @property
    def unanswered_rate(self) -> Any:
        """Fraction of items with no reply yet, in [0, 1]."""
        return self.totals.open_rate


@attrs.frozen(kw_only=True)
class ResolutionTime(_DurationSummary):
    """Resolution times: totals, median and 90th percentile.

    Attributes
    ----------
    totals : DurationTotals or Grouped[DurationTotals]
        Additive part: ``n`` resolved, ``n_open`` unresolved, ``total_seconds``.
        Merge two batches with ``a.totals + b.totals``.
    median_seconds, p90_seconds : float or ndarray of float
        Inverted-CDF median and 90th percentile of the resolved durations, in
        seconds (arrays aligned with ``labels`` when grouped). These do not merge.

    Examples
    --------
    >>> from cskpi import resolution_time
    >>> result = resolution_time(["2024-05-13T09:00"] * 2, ["2024-05-13T17:00", "NaT"])
    >>> result.p90_seconds / 3600, result.n_unresolved, result.unresolved_rate
    (8.0, 1, 0.5)
    """

    _headline = "median_seconds"
    _figures = ("n_unresolved", "unresolved_rate")

    @property
    def n_unresolved(self) -> Any:
        """Number of tickets not resolved yet (not part of the mean or percentiles)."""
        return self.totals.n_open

    @property
    def unresolved_rate(self) -> Any:
        """Fraction of tickets not resolved yet, in [0, 1]."""
        return self.totals.open_rate


@attrs.frozen(kw_only=True)
class ReplyTimes(Tabular):
    """Reply times of a conversation table, per conversation and overall.

    Attributes
    ----------
    per_conversation : ResponseTime
        Grouped by conversation: ``labels`` are the conversation ids (sorted),
        ``totals.n`` the answered customer turns, ``n_unanswered`` 1 where the last
        customer turn is still waiting, ``mean_seconds``, ``median_seconds`` and
        ``p90_seconds`` of that conversation's reply times (NaN where it has none).
    first_reply_seconds : ndarray of float
        Reply time of the first customer turn of each conversation (NaN when that
        turn is unanswered or the conversation has no customer message), aligned
        with ``per_conversation.labels``.
    first_reply : ResponseTime
        Over conversations: the first reply time of every conversation that has a
        customer message; ``n_unanswered`` counts conversations never answered.
    all_replies : ResponseTime
        Over every customer turn of every conversation, pooled.

    Examples
    --------
    >>> from cskpi import reply_times
    >>> result = reply_times(["a", "a", "b", "b"],
    ...                      ["2024-05-13T09:00", "2024-05-13T09:02", "2024-05-13T09:00", "2024-05-13T09:06"],
    ...                      ["customer", "agent", "customer", "agent"])
    >>> result.conversations.tolist(), result.first_reply_seconds.tolist()
    (['a', 'b'], [120.0, 360.0])
    """

    def _columns(self) -> dict[str, Any]:
        # One row per conversation: its reply-time summary and its first reply time.
        columns = self.per_conversation._columns()
        columns["first_reply_seconds"] = np.asarray(self.first_reply_seconds)
        return columns

    per_conversation: ResponseTime
    first_reply_seconds: NDArray[np.float64] = array_field()
    first_reply: ResponseTime
    all_replies: ResponseTime

    @property
    def conversations(self) -> Any:
        """Conversation ids, sorted, aligned with the per-conversation arrays."""
        return self.per_conversation.labels


def _percentiles(
    durations: NDArray[np.float64], codes: NDArray[np.intp] | None, n_groups: int, what: str | None
) -> NDArray[np.float64]:
    """Inverted-CDF median and p90 per group, shape (n_groups, 2).

    NaN for groups with no duration, with a warning unless ``what`` is None.
    """
    values, sizes = grouped_quantiles(durations, codes, n_groups, _FRACTIONS)
    if what is not None and np.any(sizes == 0):
        warn_undefined(f"{what} percentiles are undefined with no measured duration; returning NaN")
    return values


def _summarize(
    durations: NDArray[np.float64],
    measured: NDArray[np.bool_],
    groups: Groups | None,
    calendar: BusinessHours | None,
    what: str | None,
) -> tuple[Any, Any, Any]:
    """Totals (plain or grouped) and the median and p90 of the measured durations."""
    values = durations[measured]
    if groups is None:
        totals = DurationTotals(
            n=int(values.shape[0]),
            n_open=int(measured.shape[0] - values.shape[0]),
            total_seconds=float(values.sum()),
            calendar=calendar,
        )
        median, p90 = _percentiles(values, None, 1, what)[0]
        return totals, float(median), float(p90)
    n_groups = groups.n_groups
    codes = groups.codes[measured]
    grouped = DurationTotals(
        n=np.bincount(codes, minlength=n_groups).astype(np.int64),
        n_open=np.bincount(groups.codes[~measured], minlength=n_groups).astype(np.int64),
        total_seconds=np.bincount(codes, weights=values, minlength=n_groups),
        calendar=calendar,
    )
    quantiles = _percentiles(values, codes, n_groups, what)
    return Grouped(grouped, groups), quantiles[:, 0], quantiles[:, 1]


def _calendar(calendar: Any) -> BusinessHours | None:
    return None if calendar is None else check_calendar(calendar)


def _durations(
    start_at: NDArray[np.datetime64],
    end_at: NDArray[np.datetime64],
    measured: NDArray[np.bool_],
    calendar: BusinessHours | None,
    zone: Any = None,
) -> NDArray[np.float64]:
    """Seconds from start to end where measured, 0 elsewhere (open items have NaT ends)."""
    start_us = start_at.view(np.int64)
    end_us = np.where(measured, end_at.view(np.int64), start_us)
    elapsed: NDArray[np.float64] = elapsed_microseconds(start_us, end_us, calendar, zone) / _US_PER_SECOND
    return elapsed


def _zone(tz: Any, calendar: BusinessHours | None, *times: Times) -> Any:
    """The zone of business hours for aware instants; ``None`` without a calendar or for naive data."""
    same_clock(*times)
    if calendar is None:
        if tz is not None:
            calendar_clock(tz, *times)  # checks tz; naive data with tz raise
        return None
    return business_zone(tz, *times)


def start_end_seconds(
    start: Any, end: Any, start_name: str, end_name: str, calendar: Any, by: Any, tz: Any = None
) -> tuple[NDArray[np.float64], NDArray[np.bool_], Groups | None, BusinessHours | None]:
    """Seconds from start to end (0 where not measured), where measured, the groups and the calendar.

    The durations every response and resolution figure sums: business seconds with a
    calendar, else elapsed seconds; an item whose end is NaT (still open) is not measured.
    """
    checked = _calendar(calendar)
    start_times = parse_times(start, start_name)
    end_times = parse_times(end, end_name, allow_nat=True)
    zone = _zone(tz, checked, start_times, end_times)
    start_at, end_at = start_times.stamps, end_times.stamps
    n_rows = check_same_length((start_name, start_at), (end_name, end_at))
    measured = ~np.isnat(end_at)
    check_not_before(start_at, end_at, start_name, end_name, where=measured)
    groups = None if by is None else factorize(by, n_rows, name="by")
    return _durations(start_at, end_at, measured, checked, zone), measured, groups, checked


def first_response_time(
    created: Any, first_reply: Any, *, calendar: Any = None, by: Any = None, tz: str | None = None
) -> ResponseTime:
    r"""First response time (FRT): from ticket creation to the first agent reply.

    Parameters
    ----------
    created : array-like of datetime64, shape (n,)
        Creation time of each ticket (``datetime64``, ISO 8601 strings, pandas,
        polars or pyarrow datetime columns), to the microsecond: naive local
        timestamps or time-zone-aware instants. NaT raises.
    first_reply : array-like of datetime64, shape (n,)
        Time of the first public agent reply, on the same clock as ``created``
        (both naive or both aware); NaT for tickets not answered yet, which are
        counted in ``n_unanswered`` and left out of the mean and percentiles. A
        reply before its ticket's creation raises.
    calendar : BusinessHours, optional
        Measure in business hours of this calendar; calendar time when omitted.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (team, channel, priority…), or a tuple of label arrays.
    tz : str, optional
        With a ``calendar``: the IANA time zone (``'Europe/Paris'``) in which
        time-zone-aware instants meet the schedule (default: the zone of a zoned
        column). Business seconds are then exact across daylight-saving changes.
        Naive timestamps with ``tz`` raise.

    Returns
    -------
    ResponseTime
        ``n`` (answered), ``n_unanswered``, ``mean_seconds``, ``median_seconds`` and
        ``p90_seconds``, in seconds; ``totals`` is the mergeable part (counts and
        sum). With ``by``, ``totals`` is a :class:`Grouped` result and the other
        figures are arrays aligned with ``labels``. The percentiles do not merge.

    Notes
    -----
    $\mathrm{FRT}_i = \text{first reply}_i - \text{created}_i$ in calendar time, or the business seconds
    between them (:func:`business_seconds`). $\text{mean} = \sum_i \mathrm{FRT}_i / n$ over answered
    tickets; the median and p90 are the inverted-CDF percentiles (the smallest
    duration such that at least 50 % / 90 % of answered tickets were answered
    within it; Hyndman and Fan 1996, definition 1). Means and percentiles are NaN,
    with an :class:`UndefinedMetricWarning`, for a group with no answered ticket.
    This follows the help-desk definition: ticket creation to the first public
    agent comment, in calendar or business hours (Zendesk).

    References
    ----------
    Zendesk, "Calculating first reply time" and "About native Support time duration
    metrics", support.zendesk.com articles 4408821871642 and 4408834848154.
    R. J. Hyndman and Y. Fan (1996), "Sample quantiles in statistical packages",
    The American Statistician 50(4), 361-365.

    Examples
    --------
    Three tickets answered after 10, 30 and 60 minutes, one not answered yet:
    mean 33.3 minutes, median 30, p90 60.

    >>> from cskpi import first_response_time
    >>> frt = first_response_time(
    ...     ["2024-05-13T09:00", "2024-05-13T10:00", "2024-05-13T11:00", "2024-05-13T12:00"],
    ...     ["2024-05-13T09:10", "2024-05-13T10:30", "2024-05-13T12:00", "NaT"],
    ... )
    >>> frt.n, frt.n_unanswered, frt.mean_seconds / 60, frt.median_seconds / 60, frt.p90_seconds / 60
    (3, 1, 33.333333333333336, 30.0, 60.0)

    In business hours, a ticket created Friday 16:30 and answered Monday 09:30
    waited one hour:

    >>> from cskpi import BusinessHours
    >>> first_response_time(["2024-05-10T16:30"], ["2024-05-13T09:30"],
    ...                     calendar=BusinessHours.weekdays("09:00", "17:00")).median_seconds
    3600.0
    """
    durations, measured, groups, checked = start_end_seconds(
        created, first_reply, "created", "first_reply", calendar, by, tz
    )
    totals, median, p90 = _summarize(durations, measured, groups, checked, "first response time")
    return ResponseTime(totals=totals, median_seconds=median, p90_seconds=p90)


def resolution_time(
    created: Any, resolved: Any, *, calendar: Any = None, by: Any = None, tz: str | None = None
) -> ResolutionTime:
    r"""Resolution time: from ticket creation to resolution.

    Parameters
    ----------
    created : array-like of datetime64, shape (n,)
        Creation time of each ticket, to the microsecond: naive local timestamps or
        time-zone-aware instants (durations between instants are exact). NaT raises.
    resolved : array-like of datetime64, shape (n,)
        Resolution time, on the same clock as ``created`` (mixing naive and aware
        raises); NaT for tickets not resolved yet, which are counted in
        ``n_unresolved`` and left out of the mean and percentiles. A resolution
        before its ticket's creation raises.
    calendar : BusinessHours, optional
        Measure in business hours of this calendar; calendar time when omitted.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels, or a tuple of label arrays.
    tz : str, optional
        With a ``calendar``: the IANA time zone (``'Europe/Paris'``) in which
        time-zone-aware instants meet the schedule (default: the zone of a zoned
        column). Business seconds are then exact across daylight-saving changes.
        Naive timestamps with ``tz`` raise.

    Returns
    -------
    ResolutionTime
        ``n`` (resolved), ``n_unresolved``, ``mean_seconds``, ``median_seconds`` and
        ``p90_seconds``; ``totals`` is the mergeable part. With ``by``, arrays
        aligned with ``labels``. The percentiles do not merge.

    Notes
    -----
    $\text{resolution}_i = \text{resolved}_i - \text{created}_i$ (calendar time or business seconds),
    summarised as in :func:`first_response_time`. Pass the first resolution for
    Zendesk's "first resolution time" or the final one for its "full resolution
    time"; time in a paused status (pending, on hold) is not subtracted. Open
    tickets are reported, not dropped: a mean over resolved tickets alone flatters
    a backlog of old open tickets, so read it together with ``n_unresolved``.

    References
    ----------
    Zendesk, "About native Support time duration metrics" (first and full
    resolution time), support.zendesk.com article 4408834848154.

    Examples
    --------
    Tickets resolved after 2 h and 6 h, one still open: mean 4 h, one unresolved.

    >>> from cskpi import resolution_time
    >>> result = resolution_time(
    ...     ["2024-05-13T09:00", "2024-05-13T09:00", "2024-05-13T09:00"],
    ...     ["2024-05-13T11:00", "2024-05-13T15:00", None],
    ... )
    >>> result.mean_seconds / 3600, result.n, result.n_unresolved
    (4.0, 2, 1)
    """
    durations, measured, groups, checked = start_end_seconds(
        created, resolved, "created", "resolved", calendar, by, tz
    )
    totals, median, p90 = _summarize(durations, measured, groups, checked, "resolution time")
    return ResolutionTime(totals=totals, median_seconds=median, p90_seconds=p90)


def _is_agent(authors: Any, n_rows: int) -> NDArray[np.bool_]:
    array = to_array(authors, "authors")
    if array.shape[0] != n_rows:
        raise InvalidInputError(
            f"authors must have the same length as conversation_ids ({n_rows}); got length {array.shape[0]}"
        )
    kind = array.dtype.kind
    if kind == "b":
        return array
    if kind not in "UO":
        raise InvalidTypeError(
            "authors must be the strings 'customer' and 'agent' or a boolean is-agent mask; "
            f"got dtype {array.dtype}"
        )
    agent = np.asarray(array == "agent", dtype=bool)
    customer = np.asarray(array == "customer", dtype=bool)
    bad = ~(agent | customer)
    if bad.any():
        index = first_index(bad)
        value = array[index]
        shown = value.item() if isinstance(value, np.generic) else value
        raise InvalidInputError(f"authors must be 'customer' or 'agent'; got {shown!r} at index {index}")
    return agent


def _exclude_mask(exclude: Any, n_rows: int) -> NDArray[np.bool_] | None:
    if exclude is None:
        return None
    array = to_array(exclude, "exclude")
    if array.dtype.kind != "b":
        raise InvalidTypeError(
            f"exclude must be a boolean mask of the messages to drop; got dtype {array.dtype}"
        )
    if array.shape[0] != n_rows:
        raise InvalidInputError(
            f"exclude must have the same length as conversation_ids ({n_rows}); got length {array.shape[0]}"
        )
    return array


def reply_times(
    conversation_ids: Any,
    timestamps: Any,
    authors: Any,
    *,
    exclude: Any = None,
    calendar: Any = None,
    tz: str | None = None,
) -> ReplyTimes:
    """Reply times of a conversation table: every customer turn to the next agent reply.

    Parameters
    ----------
    conversation_ids : array-like, shape (n,)
        Conversation (ticket) of each message: any sortable labels.
    timestamps : array-like of datetime64, shape (n,)
        Time of each message, to the microsecond: naive local timestamps or
        time-zone-aware instants. NaT raises. The table need not be sorted.
    authors : array-like, shape (n,)
        Who wrote each message: the strings ``'customer'`` and ``'agent'`` (exactly,
        anything else raises), or a boolean array that is True for agent messages.
    exclude : array-like of bool, shape (n,), optional
        True for messages to leave out before anything is measured: internal notes,
        automated or bot replies, system events. An excluded agent message does not
        answer the customer; an excluded customer message does not start a wait.
    calendar : BusinessHours, optional
        Measure in business hours of this calendar; calendar time when omitted.
    tz : str, optional
        With a ``calendar``: the IANA time zone (``'Europe/Paris'``) in which
        time-zone-aware instants meet the schedule (default: the zone of a zoned
        column). Business seconds are then exact across daylight-saving changes.
        Naive timestamps with ``tz`` raise.

    Returns
    -------
    ReplyTimes
        ``per_conversation`` (grouped by conversation: count, mean, median and p90
        of its reply times, 1 in ``n_unanswered`` when its last customer turn is
        still waiting), ``first_reply_seconds`` per conversation, and two overall
        summaries: ``first_reply`` (first reply time over conversations) and
        ``all_replies`` (every reply time pooled). Totals merge with ``+``;
        percentiles do not.

    Notes
    -----
    Messages are sorted once by (conversation, timestamp); messages with equal
    timestamps keep their input order. A *customer turn* is a run of consecutive
    customer messages in a conversation; its reply time is measured from the
    **first** (earliest unanswered) customer message of the run to the next agent
    message of the same conversation: the customer has been waiting since then.
    Further customer messages before the reply, and further agent messages after
    it, start no new measurement. Agent messages before any customer message
    (outbound contacts) are not replies. A turn with no later agent message is
    unanswered: counted in ``n_unanswered``, left out of the times. This is the
    convention of Zendesk's next-reply-time target (from the oldest unanswered
    customer comment) and of Zoho Desk's response time (from the earliest customer
    message yet to be replied).

    No loop runs over conversations or messages: the next agent message of every
    row comes from one reverse cumulative minimum over the sorted table.

    References
    ----------
    Zendesk, "Defining and using SLA policies" (next reply time), support.zendesk.com
    article 4408829459866.
    Zoho Desk, "Response time - Cases, Example, and Important Notes", help.zoho.com.

    Examples
    --------
    Conversation 1: the customer writes at 09:00 and 09:05, the agent replies at
    09:20 (20 minutes from 09:00), the customer writes at 10:00 and the agent
    replies at 10:10 (10 minutes). Conversation 2: one customer message, no reply.

    >>> from cskpi import reply_times
    >>> result = reply_times(
    ...     [1, 1, 1, 1, 1, 2],
    ...     ["2024-05-13T09:00", "2024-05-13T09:05", "2024-05-13T09:20",
    ...      "2024-05-13T10:00", "2024-05-13T10:10", "2024-05-13T09:00"],
    ...     ["customer", "customer", "agent", "customer", "agent", "customer"],
    ... )
    >>> result.all_replies.n, result.all_replies.n_unanswered, result.all_replies.mean_seconds / 60
    (2, 1, 15.0)
    >>> result.first_reply.n, result.first_reply.n_unanswered, result.first_reply.median_seconds / 60
    (1, 1, 20.0)
    """
    checked = _calendar(calendar)
    ids = to_array(conversation_ids, "conversation_ids")
    parsed = parse_times(timestamps, "timestamps")
    zone = _zone(tz, checked, parsed)
    stamps = parsed.stamps
    n_rows = check_same_length(("conversation_ids", ids), ("timestamps", stamps))
    agent = _is_agent(authors, n_rows)
    excluded = _exclude_mask(exclude, n_rows)
    groups = factorize(ids, n_rows, name="conversation_ids")
    codes, times = groups.codes, stamps.astype(np.int64)
    if excluded is not None:
        codes, times, agent = codes[~excluded], times[~excluded], agent[~excluded]

    order = np.lexsort((times, codes))
    codes, times, agent = codes[order], times[order], agent[order]
    n_kept = codes.shape[0]
    new_conversation = np.ones(n_kept, dtype=bool)
    new_conversation[1:] = codes[1:] != codes[:-1]
    after_agent = np.zeros(n_kept, dtype=bool)
    after_agent[1:] = agent[:-1]
    turn_starts = np.flatnonzero(~agent & (new_conversation | after_agent))
    # Index of the first agent message at or after each row (n_kept where none).
    candidates = np.where(agent, np.arange(n_kept), n_kept)
    next_agent = np.minimum.accumulate(candidates[::-1])[::-1]
    replies = next_agent[turn_starts]
    turn_codes = codes[turn_starts]
    answered = replies < n_kept
    answered[answered] = codes[replies[answered]] == turn_codes[answered]
    reply_at = np.where(answered, times[np.minimum(replies, max(n_kept - 1, 0))], times[turn_starts])
    durations = elapsed_microseconds(times[turn_starts], reply_at, checked, zone) / _US_PER_SECOND

    turn_groups = Groups(codes=turn_codes, labels=groups.labels, names=("conversation_ids",))
    # Conversations without an answered turn are expected: NaN there without a warning at call time.
    per_totals, per_median, per_p90 = _summarize(durations, answered, turn_groups, checked, None)
    first_turn = np.ones(turn_codes.shape[0], dtype=bool)
    first_turn[1:] = turn_codes[1:] != turn_codes[:-1]
    first_seconds = np.full(groups.n_groups, np.nan)
    first_answered = first_turn & answered
    first_seconds[turn_codes[first_answered]] = durations[first_answered]
    first_totals, first_median, first_p90 = _summarize(
        durations[first_turn], answered[first_turn], None, checked, "first reply time"
    )
    all_totals, all_median, all_p90 = _summarize(durations, answered, None, checked, "reply time")
    return ReplyTimes(
        per_conversation=ResponseTime(totals=per_totals, median_seconds=per_median, p90_seconds=per_p90),
        first_reply_seconds=first_seconds,
        first_reply=ResponseTime(totals=first_totals, median_seconds=first_median, p90_seconds=first_p90),
        all_replies=ResponseTime(totals=all_totals, median_seconds=all_median, p90_seconds=all_p90),
    )
