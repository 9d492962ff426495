"""Tickets over time: open cases and backlog at instants, flows per period, resolution,
first-contact resolution and reopen rates.

Conventions
-----------
* A ticket is open on the half-open interval ``(created, resolved]``: the count at an
  instant t is a snapshot taken *before* the events stamped t, so a ticket created at
  t is not yet open at t and a ticket resolved at t still is. With this convention
  the open count at the start of a period is exactly the balance carried into it,
  and ``open(start of next period) = open(start) + arrivals - resolutions`` holds
  without exception (:func:`ticket_flow`).
* ``resolved`` is NaT for a ticket still open; a resolution before creation raises.

Design
------
Counting at q instants never loops over instants or tickets: the instants are sorted
once, each event is placed among them with one ``np.searchsorted`` (O(n log q)), the
events are counted per (group, slot) with one ``np.bincount``, and a cumulative sum
over the slots gives the count at every instant. Backlog in business time uses the
same machinery after mapping instants to business-time coordinates (see
:func:`backlog`).
"""

from __future__ import annotations

from typing import Any, Literal, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.business_hours import BusinessHours, business_zone, open_until
from .._core.checks import check_same_length, describe_first, first_index, to_array
from .._core.errors import InvalidInputError, InvalidTypeError
from .._core.ids import customer_index
from .._core.labels import Groups, count_cells, factorize, optional_groups
from .._core.periods import (
    PARAM,
    TimeSeriesResult,
    as_int,
    check_not_before,
    count_periods,
    instant_bound,
    period_axis,
    period_index,
    period_labels_of,
)
from .._core.results import ARRAY_EQ, Grouped, Mergeable, param, single_or_grouped, stat
from .._core.stats import divide
from .._core.time import (
    US_PER_SECOND,
    Times,
    calendar_clock,
    check_period,
    duration_us,
    parse_times,
    parse_times_or_one,
    period_ordinals,
    same_clock,
    zone_offsets,
)

__all__ = [
    "Backlog",
    "OpenCases",
    "ReopenRate",
    "RepeatContactFCR",
    "ResolutionRate",
    "SingleReplyFCR",
    "TicketFlow",
    "backlog",
    "fcr_repeat_contact",
    "fcr_single_reply",
    "open_cases",
    "reopen_rate",
    "resolution_rate",
    "ticket_flow",
]

_DAY_SECONDS = 86_400
# Rows placed among the instants per searchsorted call (bounds the temporaries to a few MB).
_CHUNK_ROWS = 1 << 20


# --------------------------------------------------------------------------- inputs


def _tickets(
    created: Any, resolved: Any, created_name: str = "created", resolved_name: str = "resolved"
) -> tuple[Times, Times]:
    """Creation (no NaT) and resolution (NaT = open) times on one clock, checked pairwise."""
    opened = parse_times(created, created_name)
    closed = parse_times(resolved, resolved_name, allow_nat=True)
    same_clock(opened, closed)
    check_same_length((created_name, opened.stamps), (resolved_name, closed.stamps))
    check_not_before(opened.stamps, closed.stamps, created_name, resolved_name)
    return opened, closed


def _sorted_instants(instants: Any, *tickets: Times) -> tuple[Times, NDArray[np.int64], NDArray[np.intp]]:
    """The instants as given (read-only), sorted in µs, and the sorting order; same clock as the tickets."""
    times, _ = parse_times_or_one(instants, "instants")
    same_clock(*tickets, times)
    stamps = times.stamps
    micro = as_int(stamps)
    order = np.argsort(micro, kind="stable")
    frozen = stamps.copy()
    frozen.setflags(write=False)
    return attrs.evolve(times, stamps=frozen), micro[order], order


def _slot_counts(
    values: NDArray[np.int64],
    sorted_at: NDArray[np.int64],
    side: Literal["left", "right"],
    groups: Groups | None,
    keep: NDArray[np.bool_] | None = None,
    offset: int = 0,
) -> NDArray[np.int64]:
    """Rows per (group, slot), slot = ``searchsorted(sorted_at, values + offset, side)``.

    Streams the rows in chunks straight into ``count_cells`` so that no full-length
    slot array is held. Shape ``(q + 1,)`` or ``(n_groups, q + 1)`` for q instants.
    """
    width = sorted_at.shape[0] + 1
    n_groups = 1 if groups is None else groups.n_groups
    total = np.zeros(width if groups is None else (n_groups, width), dtype=np.int64)
    for start in range(0, values.shape[0], _CHUNK_ROWS):
        part = slice(start, start + _CHUNK_ROWS)
        chunk = values[part] + offset if offset else values[part]
        slots = np.searchsorted(sorted_at, chunk, side=side)
        total += count_cells(
            slots,
            width,
            codes=None if groups is None else groups.codes[part],
            n_groups=n_groups,
            keep=None if keep is None else keep[part],
        )
    return total


def _running(
    entered: NDArray[np.int64], exited: NDArray[np.int64], order: NDArray[np.intp]
) -> NDArray[np.int64]:
    """Entries minus exits up to each sorted instant (a cumulative sum over the slots),
    returned in the caller's instant order."""
    running = np.cumsum(entered - exited, axis=-1)[..., : order.shape[0]]
    counts = np.empty_like(running)
    counts[..., order] = running
    return counts


# --------------------------------------------------------------------------- open cases


@attrs.frozen(kw_only=True)
class OpenCases(TimeSeriesResult):
    """Number of open tickets at each instant.

    Attributes
    ----------
    n_open : ndarray of int64, shape (n_instants,)
        Tickets created before the instant and not resolved before it
        (``(n_groups, n_instants)`` inside a grouped result).
    instants : ndarray of datetime64[us], shape (n_instants,)
        The instants, in the order given.
    """

    _headline = "n_open"
    _axes = (("instants", "instant"),)

    n_open: Any = stat()
    instants: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, metadata=PARAM)


@overload
def open_cases(created: Any, resolved: Any, instants: Any, *, by: None = None) -> OpenCases: ...
@overload
def open_cases(created: Any, resolved: Any, instants: Any, *, by: Any) -> Grouped[OpenCases]: ...
def open_cases(
    created: Any, resolved: Any, instants: Any, *, by: Any = None
) -> OpenCases | Grouped[OpenCases]:
    r"""Number of tickets open at each of a set of instants.

    Parameters
    ----------
    created : array-like of datetime64, shape (n,)
        Creation time of each ticket (naive local timestamps of any unit, or
        time-zone-aware instants; NaT raises).
    resolved : array-like of datetime64, shape (n,)
        Resolution time of each ticket; NaT for a ticket still open. A resolution
        before its creation raises.
    instants : array-like of datetime64, or one timestamp
        The instants at which to count, in any order (a daily snapshot at midnight,
        the start of every hour…). All three arguments are naive, or all aware.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (team, queue, priority…).

    Returns
    -------
    OpenCases or Grouped[OpenCases]
        ``n_open`` aligned with ``instants``. Results at the same instants merge with
        ``+`` (open counts of disjoint sets of tickets add).

    Notes
    -----
    $$\mathrm{open}(t) = \#\{\text{created} < t\} - \#\{\text{resolved} < t\}:$$

    a ticket is open on $(\text{created}, \text{resolved}]$, so the count at $t$ is the
    snapshot taken before the events stamped $t$ (a ticket created at $t$ is not yet
    counted, one resolved at $t$ still is). Since every resolution follows its
    creation, the difference counts exactly the tickets with
    $\text{created} < t \le \text{resolved}$. This is the balance carried
    into t: evaluated at period starts it reconciles exactly with the arrivals and
    resolutions of :func:`ticket_flow`. Cost: one sort of the instants and
    $O(n \log q)$ to place the tickets among them, then one bincount and one
    cumulative sum; no loop over instants.

    References
    ----------
    J. D. C. Little (1961), "A Proof for the Queuing Formula: L = λW", Operations
    Research 9(3), 383-387 (the number in the system as arrivals minus departures).

    Examples
    --------
    Ticket A open 09:00-11:00, B 10:00-still open, C 10:30-10:45:

    >>> from cskpi import open_cases
    >>> created = ["2024-05-13T09:00", "2024-05-13T10:00", "2024-05-13T10:30"]
    >>> resolved = ["2024-05-13T11:00", "NaT", "2024-05-13T10:45"]
    >>> open_cases(created, resolved, ["2024-05-13T10:40", "2024-05-13T11:00", "2024-05-13T12:00"]).n_open
    array([3, 2, 1])

    At 11:00 A is still counted (resolved at that instant), C is not.
    """
    created_at, resolved_at = _tickets(created, resolved)
    times, ordered, order = _sorted_instants(instants, created_at, resolved_at)
    opened, closed, stamps = created_at.stamps, resolved_at.stamps, times.stamps
    groups = optional_groups(by, opened.shape[0])
    # Counted at the instants strictly after the event: slot = #{instants <= event}.
    entered = _slot_counts(as_int(opened), ordered, "right", groups)
    exited = _slot_counts(as_int(closed), ordered, "right", groups, keep=~np.isnat(closed))
    counts = _running(entered, exited, order)
    return single_or_grouped(OpenCases(n_open=counts, instants=stamps), groups)


# --------------------------------------------------------------------------- backlog


@attrs.frozen(kw_only=True)
class Backlog(TimeSeriesResult):
    """Open tickets and tickets in backlog (open and older than an age limit) at each instant.

    Attributes
    ----------
    n_open : ndarray of int64, shape (n_instants,)
        Open tickets at each instant, as in :func:`open_cases`.
    n_backlog : ndarray of int64, shape (n_instants,)
        Open tickets whose age at the instant is at least ``age_limit_seconds``.
    instants : ndarray of datetime64[us]
        The instants, in the order given.
    age_limit_seconds : float
        The age limit, in calendar or business seconds.
    calendar : BusinessHours or None
        The calendar ages are measured in; ``None`` for calendar time.
    """

    _headline = "n_backlog"
    _axes = (("instants", "instant"),)
    _figures = ("backlog_share",)

    n_open: Any = stat()
    n_backlog: Any = stat()
    instants: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, metadata=PARAM)
    age_limit_seconds: float = param()
    calendar: BusinessHours | None = param()

    @property
    def backlog_share(self) -> Any:
        """Fraction of open tickets that are in backlog, in [0, 1]; NaN (with a warning) with none open."""
        return divide(self.n_backlog, self.n_open, "backlog share")


def _business_us(
    stamps: list[NDArray[np.datetime64]], calendar: BusinessHours, zone: Any
) -> list[NDArray[np.int64]]:
    """Business-time coordinates ``B(t)`` (open µs since a fixed origin) of several arrays of instants.

    ``B(b) - B(a)`` is the business time between a and b; with a zone the instants are
    UTC and one table of UTC offsets covers every array, so the coordinates agree.
    Computed in chunks: the calendar makes several full-length temporaries.
    """
    table = None
    if zone is not None:
        table = zone_offsets(np.concatenate([as_int(s) for s in stamps]), zone)
    out = []
    for s in stamps:
        micros = as_int(s)
        coordinates = np.empty(s.shape[0], dtype=np.int64)
        for start in range(0, s.shape[0], _CHUNK_ROWS):
            part = micros[start : start + _CHUNK_ROWS]
            coordinates[start : start + part.shape[0]] = open_until(calendar, part, zone, table)
        out.append(coordinates)
    return out


@overload
def backlog(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    age_limit_seconds: Any,
    calendar: BusinessHours | None = None,
    tz: str | None = None,
    by: None = None,
) -> Backlog: ...
@overload
def backlog(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    age_limit_seconds: Any,
    calendar: BusinessHours | None = None,
    tz: str | None = None,
    by: Any,
) -> Grouped[Backlog]: ...
def backlog(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    age_limit_seconds: Any,
    calendar: BusinessHours | None = None,
    tz: str | None = None,
    by: Any = None,
) -> Backlog | Grouped[Backlog]:
    r"""Backlog at each instant: open tickets at least ``age_limit_seconds`` old.

    Parameters
    ----------
    created, resolved : array-like of datetime64, shape (n,)
        Creation and resolution time of each ticket (NaT resolution = still open).
    instants : array-like of datetime64, or one timestamp
        The instants at which to count, in any order.
    age_limit_seconds : float, timedelta64 or datetime.timedelta
        Age from which an open ticket is in backlog: 172800 (48 hours) in calendar
        time, or 2 * 8 * 3600 for two 8-hour business days with a ``calendar``.
    calendar : BusinessHours, optional
        Measure ages in the open time of this business-hours calendar
        (:class:`~cskpi.BusinessHours`); calendar time when omitted.
    tz : str, optional
        With a ``calendar``: the IANA time zone (``'Europe/Paris'``) in which
        time-zone-aware instants meet the schedule (default: the zone of a zoned
        column); business ages are then exact across daylight-saving changes.
        Naive timestamps with ``tz`` raise.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels.

    Returns
    -------
    Backlog or Grouped[Backlog]
        ``n_open`` and ``n_backlog`` aligned with ``instants``; ``backlog_share``.

    Notes
    -----
    A ticket is in backlog at $t$ when it is open at $t$ ($\text{created} < t \le \text{resolved}$,
    see :func:`open_cases`) and its age $B(t) - B(\text{created}) \ge L$, where $B$ is
    calendar time or the cumulative open time of the calendar (``business_seconds``
    from a fixed origin) and $L$ the age limit. An age of exactly $L$ counts
    ("unresolved after 48 hours"). With $b_i = B(\text{created}_i) + L$ the condition
    is $b_i \le B(t)$ and $t \le \text{resolved}_i$. Tickets resolved before reaching
    the limit ($B(\text{resolved}_i) < b_i$) are never in backlog and are dropped; for
    every other ticket, $\text{resolved}_i < t$ implies $b_i \le B(t)$, so over the
    remaining tickets

    $$\mathrm{backlog}(t) = \#\{b_i \le B(t)\} - \#\{\text{resolved}_i < t\}:$$

    two one-dimensional counts, done like :func:`open_cases` with one searchsorted
    against ``B`` of the sorted instants (B is non-decreasing, so sorting the instants
    sorts their coordinates). In business time a ticket's age does not grow while the
    calendar is closed: one that reaches the limit at Friday 17:00 stays in backlog
    over the weekend, one that would reach it on Monday 09:30 enters then. With
    ``age_limit_seconds=0`` the backlog is the open count.

    References
    ----------
    Zendesk, "Analyzing your ticket backlog history with Explore" (daily snapshots of
    unsolved tickets and their age), support.zendesk.com.

    Examples
    --------
    Tickets created Friday 10:00 (still open) and Friday 16:00 (resolved Monday
    11:00), calendar Monday-Friday 09:00-17:00, limit one business day (8 hours).
    Monday 10:00: the first is 8 business hours old (7 on Friday, 1 on Monday), in
    backlog; the second is 2 hours old. In calendar time both are over 8 hours old.

    >>> from cskpi import BusinessHours, backlog
    >>> created = ["2024-05-10T10:00", "2024-05-10T16:00"]
    >>> resolved = ["NaT", "2024-05-13T11:00"]
    >>> calendar = BusinessHours.weekdays("09:00", "17:00")
    >>> business = backlog(created, resolved, "2024-05-13T10:00", age_limit_seconds=8 * 3600,
    ...                    calendar=calendar)
    >>> business.n_open.tolist(), business.n_backlog.tolist()
    ([2], [1])
    >>> backlog(created, resolved, "2024-05-13T10:00", age_limit_seconds=8 * 3600).n_backlog.tolist()
    [2]
    """
    created_at, resolved_at = _tickets(created, resolved)
    limit = duration_us(age_limit_seconds, "age_limit_seconds")
    if calendar is not None and not isinstance(calendar, BusinessHours):
        raise InvalidTypeError(
            f"calendar must be a BusinessHours calendar or None; got {type(calendar).__name__}"
        )
    times, ordered, order = _sorted_instants(instants, created_at, resolved_at)
    opened, closed, stamps = created_at.stamps, resolved_at.stamps, times.stamps
    zone = None if calendar is None else business_zone(tz, created_at, resolved_at, times)
    if calendar is None and tz is not None:
        calendar_clock(tz, created_at, resolved_at, times)  # checks tz; naive data with tz raise
    groups = optional_groups(by, opened.shape[0])
    still_open = np.isnat(closed)
    entered = _slot_counts(as_int(opened), ordered, "right", groups)
    n_open = _running(
        entered, _slot_counts(as_int(closed), ordered, "right", groups, keep=~still_open), order
    )
    if limit == 0:
        n_backlog = n_open.copy()
    else:
        if calendar is None:
            # Ticket i enters the backlog at created + L; it ever does when resolved at or after that.
            reached = still_open | (as_int(closed) >= as_int(opened) + limit)
            due_at, search, offset = as_int(opened), ordered, limit
        else:
            created_b, instants_b, resolved_b = _business_us(
                [opened, stamps[order], closed[~still_open]], calendar, zone
            )
            due_at, search, offset = created_b, instants_b, limit
            reached = still_open.copy()
            reached[~still_open] = resolved_b >= created_b[~still_open] + limit
        # Counted at the sorted instants whose coordinate is at least due: slot = #{B(instant) < due}.
        entered_backlog = _slot_counts(due_at, search, "left", groups, keep=reached, offset=offset)
        exited_backlog = _slot_counts(as_int(closed), ordered, "right", groups, keep=reached & ~still_open)
        n_backlog = _running(entered_backlog, exited_backlog, order)
    result = Backlog(
        n_open=n_open,
        n_backlog=n_backlog,
        instants=stamps,
        age_limit_seconds=limit / US_PER_SECOND,
        calendar=calendar,
    )
    return single_or_grouped(result, groups)


# --------------------------------------------------------------------------- flow


@attrs.frozen(kw_only=True)
class TicketFlow(TimeSeriesResult):
    """Arrivals, resolutions and open balance per calendar period.

    Attributes
    ----------
    n_open_at_start : ndarray of int64, shape (n_periods,)
        Tickets open at the start of each period (created before it, not resolved
        before it): the balance carried into the period.
    n_arrivals : ndarray of int64, shape (n_periods,)
        Tickets created in each period.
    n_resolutions : ndarray of int64, shape (n_periods,)
        Tickets resolved in each period.
    period : str
        Calendar period.
    periods : ndarray of datetime64, shape (n_periods,)
        Start of each period.
    """

    # Tickets open at a period's start are a stock, not events: no zero padding across ranges.
    _zero_padded = False
    _headline = "n_open_at_end"
    _axes = (("periods", "period"),)
    _figures = ("net_change",)

    n_open_at_start: Any = stat()
    n_arrivals: Any = stat()
    n_resolutions: Any = stat()
    period: str = param()
    periods: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, metadata=PARAM)

    @property
    def net_change(self) -> Any:
        """Arrivals minus resolutions in each period (negative when the backlog shrinks)."""
        return np.asarray(self.n_arrivals) - np.asarray(self.n_resolutions)

    @property
    def n_open_at_end(self) -> Any:
        """Tickets open at the end of each period: ``n_open_at_start + net_change``."""
        return np.asarray(self.n_open_at_start) + self.net_change


@overload
def ticket_flow(
    created: Any,
    resolved: Any,
    *,
    period: str = "month",
    by: None = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> TicketFlow: ...
@overload
def ticket_flow(
    created: Any,
    resolved: Any,
    *,
    period: str = "month",
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
    by: Any,
) -> Grouped[TicketFlow]: ...
def ticket_flow(
    created: Any,
    resolved: Any,
    *,
    period: str = "month",
    by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> TicketFlow | Grouped[TicketFlow]:
    r"""Arrivals, resolutions, net change and open balance per calendar period.

    Parameters
    ----------
    created, resolved : array-like of datetime64, shape (n,)
        Creation and resolution time of each ticket (NaT resolution = still open).
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, default 'month'
        Calendar period.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels.
    start, end : timestamp, optional
        The range runs from the period containing ``start`` to the one containing
        ``end``. Defaults: the earliest creation and the latest creation or
        resolution. Tickets created before the range count in the opening balance.

    Returns
    -------
    TicketFlow or Grouped[TicketFlow]
        ``n_open_at_start``, ``n_arrivals`` and ``n_resolutions`` per period;
        ``net_change`` and ``n_open_at_end`` derive from them.

    Notes
    -----
    For period $p = [s_p, s_{p+1})$, the arrivals are the tickets created in $p$, the
    resolutions those resolved in $p$, and the opening balance is (the convention of
    :func:`open_cases`)

    $$\mathrm{open}(s_p) = \lvert\{\text{created} < s_p\}\rvert - \lvert\{\text{resolved} < s_p\}\rvert.$$

    Then, exactly,

    $$\mathrm{end}_p = \mathrm{start}_p + \mathrm{arrivals}_p - \mathrm{resolutions}_p
    = \mathrm{start}_{p+1} = \mathrm{open}(s_{p+1}),$$

    with $\mathrm{start}_p$ = ``n_open_at_start[p]`` and $\mathrm{end}_p$ =
    ``n_open_at_end[p]``. Counted with one bincount per event type over
    ``group * (n_periods + 2) + slot``, where two extra slots hold the events before
    and after the range.

    References
    ----------
    J. D. C. Little (1961), "A Proof for the Queuing Formula: L = λW", Operations
    Research 9(3), 383-387 (stock = cumulative arrivals minus departures).

    Examples
    --------
    Monday: two tickets in, one out; Tuesday: one in, two out.

    >>> from cskpi import ticket_flow
    >>> created = ["2024-05-13T09:00", "2024-05-13T10:00", "2024-05-14T09:00"]
    >>> resolved = ["2024-05-13T12:00", "2024-05-14T08:00", "2024-05-14T15:00"]
    >>> flow = ticket_flow(created, resolved, period="day")
    >>> flow.n_arrivals.tolist(), flow.n_resolutions.tolist(), flow.n_open_at_start.tolist()
    ([2, 1], [1, 2], [0, 1])
    >>> flow.net_change.tolist(), flow.n_open_at_end.tolist()
    ([1, -1], [1, 0])
    """
    created_at, resolved_at = _tickets(created, resolved)
    clock = calendar_clock(tz, created_at, resolved_at)
    opened, closed = clock.local(created_at), clock.local(resolved_at)
    valid = check_period(period)
    groups = optional_groups(by, opened.shape[0])
    was_resolved = ~np.isnat(closed)
    created_ord = period_ordinals(opened, valid)
    resolved_ord = period_ordinals(closed[was_resolved], valid)
    first, n_periods = period_axis(valid, [created_ord, resolved_ord], start, end, clock)
    # Slot 0: before the range, 1..n: the periods, n + 1: after the range.
    width = n_periods + 2
    codes = None if groups is None else groups.codes
    n_groups = 1 if groups is None else groups.n_groups
    created_slot = np.clip(created_ord - first + 1, 0, n_periods + 1)
    resolved_slot = np.zeros(opened.shape[0], dtype=np.int64)
    resolved_slot[was_resolved] = np.clip(resolved_ord - first + 1, 0, n_periods + 1)
    arrivals = count_cells(created_slot, width, codes=codes, n_groups=n_groups)
    resolutions = count_cells(resolved_slot, width, codes=codes, n_groups=n_groups, keep=was_resolved)
    opening = np.cumsum(arrivals - resolutions, axis=-1)[..., : n_periods + 1]
    result = TicketFlow(
        n_open_at_start=_squeeze(opening[..., :-1], groups),
        n_arrivals=_squeeze(arrivals[..., 1:-1], groups),
        n_resolutions=_squeeze(resolutions[..., 1:-1], groups),
        period=valid,
        periods=period_labels_of(valid, first, n_periods),
    )
    return single_or_grouped(result, groups)


def _squeeze(counts: NDArray[np.int64], groups: Groups | None) -> NDArray[np.int64]:
    return np.ascontiguousarray(counts if groups is not None else counts.reshape(-1))


# --------------------------------------------------------------------------- resolution rate


@attrs.frozen(kw_only=True)
class ResolutionRate(TimeSeriesResult):
    """Tickets assigned and, of those, resolved; per period of assignment.

    Attributes
    ----------
    n_assigned : int or ndarray of int64
        Tickets assigned (per period of assignment when ``period`` is set).
    n_resolved : int or ndarray of int64
        Of those, the tickets resolved (in the same period when ``same_period``).
    period : str or None
        Calendar period of assignment; ``None`` for one figure over all tickets.
    periods : ndarray of datetime64
        Start of each period (empty when ``period`` is None).
    same_period : bool
        Whether only resolutions within the period of assignment count.
    """

    _headline = "rate"
    _axes = (("periods", "period"),)
    _figures = ("n_unresolved",)

    n_assigned: Any = stat()
    n_resolved: Any = stat()
    period: str | None = param()
    periods: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ, metadata=PARAM)
    same_period: bool = param()

    @property
    def n_unresolved(self) -> Any:
        """Assigned tickets not (yet) resolved."""
        return self.n_assigned - self.n_resolved

    @property
    def rate(self) -> Any:
        """Resolution rate ``n_resolved / n_assigned`` in [0, 1]; NaN (with a warning) when none assigned."""
        return divide(self.n_resolved, self.n_assigned, "resolution rate")


@overload
def resolution_rate(
    assigned: Any,
    resolved: Any,
    *,
    period: str | None = None,
    by: None = None,
    same_period: bool = False,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> ResolutionRate: ...
@overload
def resolution_rate(
    assigned: Any,
    resolved: Any,
    *,
    period: str | None = None,
    same_period: bool = False,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
    by: Any,
) -> Grouped[ResolutionRate]: ...
def resolution_rate(
    assigned: Any,
    resolved: Any,
    *,
    period: str | None = None,
    by: Any = None,
    same_period: bool = False,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
) -> ResolutionRate | Grouped[ResolutionRate]:
    r"""Resolution rate: tickets resolved over tickets assigned, per agent or team and period.

    Parameters
    ----------
    assigned : array-like of datetime64, shape (n,)
        When each ticket was assigned (or created, for a team-level rate). NaT raises.
    resolved : array-like of datetime64, shape (n,)
        When it was resolved; NaT if not resolved. A resolution before assignment raises.
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, optional
        Report per calendar period of *assignment*; one figure when omitted.
    by : array-like or tuple of array-likes, shape (n,), optional
        Agent, team or any other labels.
    same_period : bool, default False
        Count a resolution only when it falls in the period of assignment (a strict
        "resolved within the period" rate). Requires ``period``.
    start, end : timestamp, optional
        Range of periods (as in :func:`volume`); assignments outside are not counted.
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) in which time-zone-aware instants are
        assigned to periods; default: the zone of a zoned column (pandas, polars,
        pyarrow). Offsets without a zone need it; naive timestamps with ``tz`` raise.

    Returns
    -------
    ResolutionRate or Grouped[ResolutionRate]
        ``n_assigned``, ``n_resolved`` and the ``rate`` derived from them.

    Notes
    -----
    Cohort definition:

    $$\text{rate}_p = \frac{\#\{\text{assigned in } p \text{ and resolved}\}}{\#\{\text{assigned in } p\}}.$$

    A ticket assigned in March and resolved in April counts in March, in both the
    numerator and the denominator, so the rate is a fraction in [0, 1] and the March
    figure can still rise while old tickets are being resolved (with
    ``same_period=True`` it cannot: April resolutions of March tickets never count).
    The flow ratio "resolutions in p / assignments in p" can exceed 1 and is not a
    rate; compute it from :func:`ticket_flow` when needed.

    References
    ----------
    Zendesk Developer Docs, "Ticket Metrics" API (``assigned_at``, ``solved_at``),
    developer.zendesk.com/api-reference/ticketing/tickets/ticket_metrics.

    Examples
    --------
    Agent A: two tickets in May, one resolved in May, one in June; agent B: one May
    ticket never resolved.

    >>> from cskpi import resolution_rate
    >>> assigned = ["2024-05-02", "2024-05-20", "2024-05-21"]
    >>> resolved = ["2024-05-03", "2024-06-02", "NaT"]
    >>> agents = ["A", "A", "B"]
    >>> resolution_rate(assigned, resolved, by=agents).rate.tolist()
    [1.0, 0.0]
    >>> strict = resolution_rate(assigned, resolved, period="month", by=agents, same_period=True)
    >>> strict["A"].rate.tolist()
    [0.5]
    """
    assigned_at, resolved_at = _tickets(assigned, resolved, "assigned", "resolved")
    opened, closed = assigned_at.stamps, resolved_at.stamps
    groups = optional_groups(by, opened.shape[0])
    if not isinstance(same_period, bool | np.bool_):
        raise InvalidTypeError(f"same_period must be True or False; got {same_period!r}")
    was_resolved = ~np.isnat(closed)
    if period is None:
        if same_period:
            raise InvalidInputError("same_period=True needs a period; got period=None")
        if start is not None or end is not None:
            raise InvalidInputError("start and end need a period; got period=None")
        if tz is not None:
            calendar_clock(tz, assigned_at, resolved_at)  # checks tz; naive data with tz raise
        assigned_n, resolved_n = _count_rows(None, groups, opened.shape[0]), _count_rows(was_resolved, groups)
        empty = np.zeros(0, dtype="datetime64[D]")
        empty.setflags(write=False)
        result = ResolutionRate(
            n_assigned=assigned_n, n_resolved=resolved_n, period=None, periods=empty, same_period=False
        )
        return single_or_grouped(result, groups)
    valid = check_period(period)
    clock = calendar_clock(tz, assigned_at, resolved_at)
    opened, closed = clock.local(assigned_at), clock.local(resolved_at)
    ordinals = period_ordinals(opened, valid)
    first, n_periods = period_axis(valid, [ordinals], start, end, clock)
    index, keep = period_index(ordinals, first, n_periods)
    credit = was_resolved.copy()
    if same_period:
        credit[was_resolved] = period_ordinals(closed[was_resolved], valid) == ordinals[was_resolved]
    resolved_keep = credit if keep is None else credit & keep
    result = ResolutionRate(
        n_assigned=count_periods(index, keep, n_periods, groups),
        n_resolved=count_periods(index, resolved_keep, n_periods, groups),
        period=valid,
        periods=period_labels_of(valid, first, n_periods),
        same_period=bool(same_period),
    )
    return single_or_grouped(result, groups)


def _count_rows(mask: NDArray[np.bool_] | None, groups: Groups | None, n_rows: int = 0) -> Any:
    """Number of rows (where ``mask``), per group when grouped (exact int64)."""
    if groups is None:
        return n_rows if mask is None else int(np.count_nonzero(mask))
    codes = groups.codes if mask is None else groups.codes[mask]
    return np.bincount(codes, minlength=groups.n_groups).astype(np.int64)


# --------------------------------------------------------------------------- first-contact resolution


@attrs.frozen(kw_only=True)
class RepeatContactFCR(Mergeable):
    """First-contact resolution from contact records (definition (a): no repeat contact).

    Attributes
    ----------
    n_contacts : int or ndarray of int
        Contacts whose whole repeat window is observed (the denominator).
    n_resolved : int or ndarray of int
        Of those, contacts not followed by another contact from the same customer
        (and reason) within the window.
    n_censored : int or ndarray of int
        Contacts left out because their window runs past ``end``.
    window_seconds : float
        The repeat-contact window.
    same_reason : bool
        Whether only a repeat about the same contact reason counts.
    """

    _headline = "rate"
    _figures = ("n_repeated",)

    n_contacts: Any = stat()
    n_resolved: Any = stat()
    n_censored: Any = stat()
    window_seconds: float = param()
    same_reason: bool = param()

    @property
    def n_repeated(self) -> Any:
        """Judged contacts followed by a repeat contact within the window."""
        return self.n_contacts - self.n_resolved

    @property
    def rate(self) -> Any:
        """FCR rate ``n_resolved / n_contacts`` in [0, 1]; NaN (with a warning) when no contact is judged."""
        return divide(self.n_resolved, self.n_contacts, "first-contact resolution rate")


@overload
def fcr_repeat_contact(
    customer_ids: Any,
    timestamps: Any,
    *,
    window_seconds: Any = 7 * _DAY_SECONDS,
    reasons: Any = None,
    end: Any = None,
    by: None = None,
) -> RepeatContactFCR: ...
@overload
def fcr_repeat_contact(
    customer_ids: Any,
    timestamps: Any,
    *,
    window_seconds: Any = 7 * _DAY_SECONDS,
    reasons: Any = None,
    end: Any = None,
    by: Any,
) -> Grouped[RepeatContactFCR]: ...
def fcr_repeat_contact(
    customer_ids: Any,
    timestamps: Any,
    *,
    window_seconds: Any = 7 * _DAY_SECONDS,
    reasons: Any = None,
    end: Any = None,
    by: Any = None,
) -> RepeatContactFCR | Grouped[RepeatContactFCR]:
    r"""First-contact resolution, definition (a): the customer does not contact again within a window.

    Parameters
    ----------
    customer_ids : array-like, shape (n,)
        Customer key of each contact (customer id, phone number, e-mail address).
    timestamps : array-like of datetime64, shape (n,)
        Time of each contact, to the microsecond: naive local timestamps or
        time-zone-aware instants (the window is then exact); NaT raises.
    window_seconds : float, timedelta64 or timedelta, default 604800 (7 days)
        Repeat window: a later contact at most this long after a contact makes it
        unresolved.
    reasons : array-like, shape (n,), optional
        Contact reason of each contact; when given, only a repeat about the same
        reason counts.
    end : timestamp, optional
        End of the observation, inclusive: contacts whose window runs past it
        (``t + window > end``) cannot be judged and are left out (counted
        in ``n_censored``). Default: the latest timestamp in the data. Pass a later
        instant (such as the data extract time) when the data are known complete.
        On the clock of ``timestamps`` (naive with naive, an instant with aware data).
    by : array-like or tuple of array-likes, shape (n,), optional
        Labels of each contact (agent, channel…); a contact is credited to its own
        label.

    Returns
    -------
    RepeatContactFCR or Grouped[RepeatContactFCR]
        ``n_contacts`` judged, ``n_resolved``, ``n_censored``; ``rate``.

    Notes
    -----
    Contact $i$ (customer $k$, time $t$) is resolved at first contact when no other contact
    of customer $k$ (about the same reason, when ``reasons`` is given) falls in
    $[t, t + \text{window}]$ after it. Every contact is judged, so in a chain of three
    contacts a week apart only the last can count as resolved. Two contacts at the
    same instant: the one listed first is the one repeated.
    $\mathrm{FCR} = n_\text{resolved} / n_\text{contacts}$ over the contacts whose window is
    fully observed; leaving out the censored ones avoids counting recent contacts as
    resolved only because their window has not elapsed yet. Computed with one sort by (customer, reason, time)
    and a comparison of each contact with the next. Merging (``+``) is valid for
    disjoint sets of customers only.

    References
    ----------
    SQM Group, "First Call Resolution: definition, benefits, measuring" (FCR as no
    repeat contact for the same reason within a window), sqmgroup.com, 2021.
    B. Cleveland (2019), *Call Center Management on Fast Forward*, 4th ed., ICMI Press.

    Examples
    --------
    Customer 1 calls on the 1st and again on the 5th (within 7 days); customer 2
    calls on the 1st only; data observed to the 20th. Judged: the 1st (repeated),
    the 5th and customer 2's call (resolved): FCR 2/3.

    >>> from cskpi import fcr_repeat_contact
    >>> result = fcr_repeat_contact([1, 1, 2], ["2024-05-01", "2024-05-05", "2024-05-01"],
    ...                             end="2024-05-20")
    >>> result.n_resolved, result.n_contacts, round(result.rate, 4)
    (2, 3, 0.6667)
    """
    times = parse_times(timestamps, "timestamps")
    stamps = times.stamps
    keys = to_array(customer_ids, "customer_ids")
    check_same_length(("timestamps", stamps), ("customer_ids", keys))
    n_rows = stamps.shape[0]
    window = duration_us(window_seconds, "window_seconds")
    customer_codes, _ = customer_index(keys, "customer_ids")  # the one rule for customer ids
    if reasons is None:
        customer = factorize(customer_codes, n_rows, name="customer_ids")
    else:
        reason_labels = to_array(reasons, "reasons")
        check_same_length(("timestamps", stamps), ("reasons", reason_labels))
        customer = factorize((customer_codes, reason_labels), n_rows, name="customer_ids")
    groups = optional_groups(by, n_rows)
    micro = as_int(stamps)
    order = np.lexsort((micro, customer.codes))
    key_sorted, time_sorted = customer.codes[order], micro[order]
    repeated_sorted = np.zeros(n_rows, dtype=bool)
    if n_rows > 1:
        repeated_sorted[:-1] = (key_sorted[1:] == key_sorted[:-1]) & (
            time_sorted[1:] - time_sorted[:-1] <= window
        )
    repeated = np.empty(n_rows, dtype=bool)
    repeated[order] = repeated_sorted
    latest = int(micro.max()) if n_rows else 0
    until = latest if end is None else instant_bound(end, "end", times)
    censored = micro > until - window
    judged = ~censored
    result = RepeatContactFCR(
        n_contacts=_count_rows(judged, groups),
        n_resolved=_count_rows(judged & ~repeated, groups),
        n_censored=_count_rows(censored, groups),
        window_seconds=window / US_PER_SECOND,
        same_reason=reasons is not None,
    )
    return single_or_grouped(result, groups)


def _counts(values: Any, name: str, meaning: str) -> NDArray[np.int64]:
    """Non-negative whole counts per ticket (integers or whole floats; booleans raise)."""
    array = to_array(values, name)
    kind = array.dtype.kind
    if kind == "b":
        raise InvalidTypeError(
            f"{name} must be counts of {meaning} (integers), not booleans "
            "(convert a yes/no column with .astype(int) if that is what it means)"
        )
    if kind not in "iuf":
        raise InvalidTypeError(f"{name} must be counts of {meaning} (integers); got dtype {array.dtype}")
    if kind == "f":
        missing = np.isnan(array)
        if missing.any():
            raise InvalidInputError(f"{name} must not contain NaN; got nan at index {first_index(missing)}")
        bad = (array != np.floor(array)) | np.isinf(array)
        if bad.any():
            raise InvalidInputError(
                f"{name} must be whole numbers of {meaning}; got {describe_first(array, bad)}"
            )
    negative = array < 0
    if negative.any():
        raise InvalidInputError(f"{name} must be non-negative counts; got {describe_first(array, negative)}")
    return array.astype(np.int64, copy=False)


def _resolved_mask(resolved: Any, n_rows: int, reference: str) -> NDArray[np.bool_]:
    """Which tickets are resolved: a boolean mask, or timestamps with NaT for unresolved."""
    if resolved is None:
        return np.ones(n_rows, dtype=bool)
    array = to_array(resolved, "resolved")
    if array.dtype.kind == "b":
        mask = array
    elif array.dtype.kind in "MUO":
        mask = ~np.isnat(parse_times(array, "resolved", allow_nat=True).stamps)
    else:
        raise InvalidTypeError(
            "resolved must be a boolean mask (True = resolved) or resolution timestamps (NaT = unresolved); "
            f"got dtype {array.dtype}"
        )
    if mask.shape[0] != n_rows:
        raise InvalidInputError(
            f"resolved must have the same length as {reference} ({n_rows}); got length {mask.shape[0]}"
        )
    return mask


@attrs.frozen(kw_only=True)
class SingleReplyFCR(Mergeable):
    """First-contact resolution from ticket data (definition (b): resolved with one agent reply).

    Attributes
    ----------
    n_resolved : int or ndarray of int
        Resolved tickets.
    n_single_reply : int or ndarray of int
        Resolved tickets with exactly one agent reply.
    n_zero_replies : int or ndarray of int
        Resolved tickets with no agent reply.
    count_zero_replies : bool
        Whether resolved tickets without a reply count as resolved at first contact.
    """

    _headline = "rate"

    n_resolved: Any = stat()
    n_single_reply: Any = stat()
    n_zero_replies: Any = stat()
    count_zero_replies: bool = param()

    @property
    def rate(self) -> Any:
        """FCR rate in [0, 1] (see :func:`fcr_single_reply` for the two denominators)."""
        if self.count_zero_replies:
            return divide(
                self.n_single_reply + self.n_zero_replies, self.n_resolved, "one-touch resolution rate"
            )
        return divide(self.n_single_reply, self.n_resolved - self.n_zero_replies, "one-touch resolution rate")


@overload
def fcr_single_reply(
    replies: Any, *, resolved: Any = None, by: None = None, count_zero_replies: bool = False
) -> SingleReplyFCR: ...
@overload
def fcr_single_reply(
    replies: Any, *, resolved: Any = None, by: Any, count_zero_replies: bool = False
) -> Grouped[SingleReplyFCR]: ...
def fcr_single_reply(
    replies: Any, *, resolved: Any = None, by: Any = None, count_zero_replies: bool = False
) -> SingleReplyFCR | Grouped[SingleReplyFCR]:
    r"""First-contact resolution, definition (b): tickets resolved with a single agent reply.

    Parameters
    ----------
    replies : array-like of int, shape (n,)
        Number of public agent replies on each ticket (Zendesk's ``replies``).
    resolved : array-like of bool or datetime64, shape (n,), optional
        Which tickets are resolved: a boolean mask, or resolution timestamps with NaT
        for unresolved. Default: every ticket is resolved.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels.
    count_zero_replies : bool, default False
        False: resolved tickets without any agent reply are left out of the rate.
        True: they count as resolved at first contact, as in Zendesk Explore's
        "One-touch tickets" (agent replies < 2).

    Returns
    -------
    SingleReplyFCR or Grouped[SingleReplyFCR]
        ``n_resolved``, ``n_single_reply``, ``n_zero_replies``; ``rate``.

    Notes
    -----
    Default: $\mathrm{FCR} = \#\{\text{resolved, replies} = 1\} / \#\{\text{resolved, replies} \ge 1\}$.
    With ``count_zero_replies``: $\#\{\text{resolved, replies} \le 1\} / \#\{\text{resolved}\}$. Unresolved
    tickets are outside both. Both variants derive from the same three counts.

    References
    ----------
    Zendesk, "How are one-touch resolutions calculated?", support.zendesk.com
    article 4408820618266; Zendesk Developer Docs, "Ticket Metrics" (``replies``).

    Examples
    --------
    Five resolved tickets with 1, 1, 2, 3 and 0 replies, and one unresolved ticket:
    2 of the 4 answered tickets were one-touch (0.5); counting the unanswered one,
    3 of 5 (0.6).

    >>> from cskpi import fcr_single_reply
    >>> replies = [1, 1, 2, 3, 0, 1]
    >>> done = [True, True, True, True, True, False]
    >>> fcr_single_reply(replies, resolved=done).rate
    0.5
    >>> fcr_single_reply(replies, resolved=done, count_zero_replies=True).rate
    0.6
    """
    counts = _counts(replies, "replies", "agent replies")
    if not isinstance(count_zero_replies, bool | np.bool_):
        raise InvalidTypeError(f"count_zero_replies must be True or False; got {count_zero_replies!r}")
    done = _resolved_mask(resolved, counts.shape[0], "replies")
    groups = optional_groups(by, counts.shape[0])
    result = SingleReplyFCR(
        n_resolved=_count_rows(done, groups),
        n_single_reply=_count_rows(done & (counts == 1), groups),
        n_zero_replies=_count_rows(done & (counts == 0), groups),
        count_zero_replies=bool(count_zero_replies),
    )
    return single_or_grouped(result, groups)


# --------------------------------------------------------------------------- reopen rate


@attrs.frozen(kw_only=True)
class ReopenRate(Mergeable):
    """Resolved tickets and how many of them were reopened.

    Attributes
    ----------
    n_resolved : int or ndarray of int
        Tickets resolved at least once.
    n_reopened : int or ndarray of int
        Of those, tickets reopened at least once.
    n_reopens : int or ndarray of int
        Total number of reopen events.
    """

    _headline = "rate"
    _figures = ("reopens_per_resolved",)

    n_resolved: Any = stat()
    n_reopened: Any = stat()
    n_reopens: Any = stat()

    @property
    def rate(self) -> Any:
        """Reopen rate ``n_reopened / n_resolved`` in [0, 1]; NaN (with a warning) when none resolved."""
        return divide(self.n_reopened, self.n_resolved, "reopen rate")

    @property
    def reopens_per_resolved(self) -> Any:
        """Mean number of reopen events per resolved ticket (may exceed 1)."""
        return divide(self.n_reopens, self.n_resolved, "reopens per resolved ticket")


@overload
def reopen_rate(reopens: Any, *, resolved: Any = None, by: None = None) -> ReopenRate: ...
@overload
def reopen_rate(reopens: Any, *, resolved: Any = None, by: Any) -> Grouped[ReopenRate]: ...
def reopen_rate(reopens: Any, *, resolved: Any = None, by: Any = None) -> ReopenRate | Grouped[ReopenRate]:
    r"""Reopen rate: share of resolved tickets that were reopened.

    Parameters
    ----------
    reopens : array-like of int, shape (n,)
        Number of times each ticket was reopened (Zendesk's ``reopens``); a boolean
        "was reopened" column raises (convert it with ``.astype(int)``).
    resolved : array-like of bool or datetime64, shape (n,), optional
        Which tickets are currently resolved (mask, or timestamps with NaT for
        unresolved). A reopened ticket has been resolved at least once and is always
        in the denominator. Default: every ticket has been resolved.
    by : array-like or tuple of array-likes, shape (n,), optional
        Group labels (the agent who resolved the ticket, team, channel…).

    Returns
    -------
    ReopenRate or Grouped[ReopenRate]
        ``n_resolved``, ``n_reopened``, ``n_reopens``; ``rate``.

    Notes
    -----
    $\text{reopen rate} = \#\{\text{reopens} \ge 1\} / \#\{\text{resolved at least once}\}$,
    where a ticket has been resolved at least once when it is resolved now or has been reopened. A
    ticket reopened three times counts once in the rate and three times in
    ``reopens_per_resolved``.

    References
    ----------
    Zendesk Developer Docs, "Ticket Metrics" API (``reopens``: number of times the
    ticket was reopened), developer.zendesk.com.

    Examples
    --------
    Four resolved tickets, one reopened twice; one ticket reopened and open again:
    2 of 5 tickets ever resolved were reopened.

    >>> from cskpi import reopen_rate
    >>> result = reopen_rate([0, 2, 0, 0, 1], resolved=[True, True, True, True, False])
    >>> result.n_reopened, result.n_resolved, result.rate, result.n_reopens
    (2, 5, 0.4, 3)
    """
    counts = _counts(reopens, "reopens", "reopen events")
    done = _resolved_mask(resolved, counts.shape[0], "reopens")
    groups = optional_groups(by, counts.shape[0])
    reopened = counts > 0
    ever = done | reopened
    if groups is None:
        n_reopens: Any = int(counts.sum())
    else:
        # An exact integer sum per group (bincount's weights are float64, inexact past 2**53).
        n_reopens = np.zeros(groups.n_groups, dtype=np.int64)
        np.add.at(n_reopens, groups.codes, counts)
    result = ReopenRate(
        n_resolved=_count_rows(ever, groups),
        n_reopened=_count_rows(reopened, groups),
        n_reopens=n_reopens,
    )
    return single_or_grouped(result, groups)
