"""Business-hours calendars and the open time between two instants.

A :class:`BusinessHours` calendar is a weekly schedule (zero or more open intervals
per weekday) plus a set of holidays (whole dates on which it is closed). Durations
in business hours count only the seconds at which the calendar is open.

Conventions
-----------
* The schedule is written in wall-clock time. Naive timestamps are wall-clock times
  of the calendar's zone, so a daylight-saving change is not seen (a local day
  always has 24 hours). Time-zone-aware instants are read in the zone given by
  ``tz=`` (or their column's zone), and durations between them are exact: an open
  hour skipped by a spring-forward change is not counted, one lived twice in the
  autumn is counted twice.
* Open intervals are half-open, ``[start, end)``: with 09:00-17:00 the calendar is
  open at 09:00:00 and closed at 17:00:00.
* A shift that runs past midnight is written as two intervals on consecutive days
  (Monday 22:00-24:00 and Tuesday 00:00-06:00).
* Instants are resolved to the microsecond; durations are returned in float seconds.

Design
------
``business(t)`` is the number of open microseconds from a fixed origin (the Monday
1970-01-05) to ``t``: whole weeks times the open time of a week, plus the open time
of the current week up to ``t`` (one ``np.searchsorted`` over the week's interval
starts), minus the open time of the holidays before ``t`` (one ``np.searchsorted``
over the sorted holidays and a cumulative sum of their open time). The duration
between ``a`` and ``b`` is ``business(b) - business(a)``: exact integer arithmetic,
no loop over rows, days or weeks.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from .checks import check_same_length, first_index
from .errors import InvalidInputError, InvalidTypeError
from .time import (
    Times,
    calendar_clock,
    parse_times,
    parse_times_or_one,
    to_datetime64,
    zone_offsets,
)

__all__ = ["BusinessHours", "business_seconds"]

Interval: TypeAlias = tuple[int, int]
"""An open interval of one day, ``(start, end)`` in seconds after midnight, ``end <= 86400``."""

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_SECONDS = 86_400
_US_PER_SECOND = 1_000_000
_DAY_US = _DAY_SECONDS * _US_PER_SECOND
# 1970-01-01 was a Thursday; day 4 since the epoch (1970-01-05) is the first Monday.
_MONDAY_EPOCH_DAY = 4
_TIME_PATTERN = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def _format_time(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def _parse_time(value: Any, name: str) -> int:
    """Seconds after midnight of ``'HH:MM'``, ``'HH:MM:SS'`` (up to ``'24:00'``) or a ``datetime.time``."""
    if isinstance(value, datetime.time):
        if value.tzinfo is not None:
            raise InvalidInputError(f"{name} must be a naive local time of day; got {value!r}")
        if value.microsecond:
            raise InvalidInputError(f"{name} must be a whole number of seconds; got {value!r}")
        return value.hour * 3600 + value.minute * 60 + value.second
    if not isinstance(value, str):
        raise InvalidTypeError(
            f"{name} must be a time of day as an 'HH:MM' or 'HH:MM:SS' string or a datetime.time; "
            f"got {type(value).__name__} {value!r}"
        )
    match = _TIME_PATTERN.fullmatch(value.strip())
    if match is None:
        raise InvalidInputError(f"{name} must be a time of day written 'HH:MM' or 'HH:MM:SS'; got {value!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    secs = int(match.group(3) or 0)
    if hours > 24 or minutes > 59 or secs > 59 or (hours == 24 and (minutes or secs)):
        raise InvalidInputError(f"{name} must be a time of day between 00:00 and 24:00; got {value!r}")
    return hours * 3600 + minutes * 60 + secs


def _is_time_like(value: Any) -> bool:
    return isinstance(value, str | datetime.time)


def _day_intervals(entry: Any, name: str) -> tuple[Interval, ...]:
    """Validate the open intervals of one weekday."""
    if entry is None:
        return ()
    if isinstance(entry, str):
        raise InvalidTypeError(
            f"{name} must be a (start, end) pair or a list of (start, end) pairs; got the string {entry!r}"
        )
    try:
        items = list(entry)
    except TypeError:
        raise InvalidTypeError(
            f"{name} must be a (start, end) pair or a list of (start, end) pairs; got {type(entry).__name__}"
        ) from None
    if len(items) == 2 and all(_is_time_like(item) for item in items):
        items = [tuple(items)]  # one interval written as a bare pair
    intervals: list[Interval] = []
    for i, pair in enumerate(items):
        item_name = f"{name}[{i}]"
        if isinstance(pair, str) or not isinstance(pair, Iterable):
            raise InvalidTypeError(f"{item_name} must be a (start, end) pair of times; got {pair!r}")
        parts = list(pair)
        if len(parts) != 2:
            raise InvalidInputError(f"{item_name} must be a (start, end) pair of times; got {pair!r}")
        start = _parse_time(parts[0], f"{item_name} start")
        end = _parse_time(parts[1], f"{item_name} end")
        if end <= start:
            raise InvalidInputError(
                f"{item_name} end must be after start; got ({_format_time(start)!r}, {_format_time(end)!r})"
            )
        intervals.append((start, end))
    for i in range(1, len(intervals)):
        previous, current = intervals[i - 1], intervals[i]
        shown = f"({_format_time(current[0])!r}, {_format_time(current[1])!r})"
        if current == previous:
            raise InvalidInputError(f"{name} must not repeat an interval; got {shown} twice at index {i}")
        if current[0] < previous[0]:
            raise InvalidInputError(
                f"{name} intervals must be sorted by start time; got {shown} after "
                f"({_format_time(previous[0])!r}, {_format_time(previous[1])!r}) at index {i}"
            )
        if current[0] < previous[1]:
            raise InvalidInputError(
                f"{name} intervals must not overlap; got {shown} starting before the previous interval "
                f"ends at {_format_time(previous[1])!r} at index {i}"
            )
    return tuple(intervals)


def _weekday_index(key: Any) -> int:
    if isinstance(key, str):
        lowered = key.strip().lower()
        if lowered in WEEKDAYS:
            return WEEKDAYS.index(lowered)
        if lowered in _FULL_NAMES:
            return _FULL_NAMES.index(lowered)
    elif isinstance(key, int | np.integer) and not isinstance(key, bool) and 0 <= key <= 6:
        return int(key)
    raise InvalidInputError(
        f"schedule keys must be weekdays ('mon'..'sun', 'monday'..'sunday' or 0..6 from Monday); got {key!r}"
    )


def _normalise_schedule(schedule: Any) -> tuple[tuple[Interval, ...], ...]:
    """Seven tuples (Monday..Sunday) of sorted, disjoint ``(start, end)`` seconds."""
    if isinstance(schedule, Mapping):
        days: list[tuple[Interval, ...] | None] = [None] * 7
        for key, entry in schedule.items():
            index = _weekday_index(key)
            if days[index] is not None:
                raise InvalidInputError(f"schedule names {_FULL_NAMES[index]} twice; got key {key!r}")
            days[index] = _day_intervals(entry, f"schedule[{WEEKDAYS[index]!r}]")
        return tuple(day or () for day in days)
    if isinstance(schedule, str) or not isinstance(schedule, Iterable):
        raise InvalidTypeError(
            "schedule must be a mapping from weekday to open intervals or a sequence of 7 entries "
            f"(Monday..Sunday); got {type(schedule).__name__}"
        )
    entries = list(schedule)
    if len(entries) != 7:
        raise InvalidInputError(
            f"schedule must have one entry per weekday (7, Monday..Sunday); got {len(entries)} entries"
        )
    return tuple(_day_intervals(entry, f"schedule[{i}]") for i, entry in enumerate(entries))


def _normalise_holidays(holidays: Any) -> tuple[np.datetime64, ...]:
    """Sorted distinct holiday dates as ``datetime64[D]`` scalars."""
    if holidays is None:
        return ()
    if isinstance(holidays, str):
        holidays = [holidays]
    array_like = isinstance(holidays, np.ndarray) or hasattr(holidays, "to_numpy")
    values = holidays if array_like else list(holidays)
    if len(values) == 0:
        return ()
    stamps = to_datetime64(values, "holidays", unit="s")
    not_midnight = stamps.astype(np.int64) % _DAY_SECONDS != 0
    if not_midnight.any():
        index = first_index(not_midnight)
        raise InvalidInputError(
            f"holidays must be dates without a time of day; got {stamps[index]} at index {index}"
        )
    return tuple(np.unique(stamps.astype("datetime64[D]")))


def _schedule_repr(schedule: tuple[tuple[Interval, ...], ...]) -> str:
    days = {
        WEEKDAYS[i]: [(_format_time(start), _format_time(end)) for start, end in day]
        for i, day in enumerate(schedule)
        if day
    }
    return repr(days)


def _holidays_repr(holidays: tuple[np.datetime64, ...]) -> str:
    return repr([str(day) for day in holidays])


@attrs.frozen
class _Tables:
    """Precomputed arrays for :func:`business_seconds` (microseconds)."""

    starts: NDArray[np.int64]  # start of each open interval, offset from Monday 00:00
    lengths: NDArray[np.int64]  # length of each interval
    open_before: NDArray[np.int64]  # open time of the week before each interval starts
    week_open: int  # open time of a whole week
    day_start_open: NDArray[np.int64]  # open time of the week before each weekday starts
    holiday_days: NDArray[np.int64]  # sorted holidays, days since 1970-01-01
    holiday_open_before: NDArray[np.int64]  # open time of holidays 0..k-1 (length n_holidays + 1)


def _build_tables(schedule: tuple[tuple[Interval, ...], ...], holidays: tuple[np.datetime64, ...]) -> _Tables:
    starts = [day * _DAY_SECONDS + start for day, intervals in enumerate(schedule) for start, _ in intervals]
    lengths = [end - start for intervals in schedule for start, end in intervals]
    starts_us = np.asarray(starts, dtype=np.int64) * _US_PER_SECOND
    lengths_us = np.asarray(lengths, dtype=np.int64) * _US_PER_SECOND
    open_before = np.zeros(lengths_us.shape[0], dtype=np.int64)
    np.cumsum(lengths_us[:-1], out=open_before[1:])
    day_open = np.array([sum(end - start for start, end in day) for day in schedule], dtype=np.int64)
    day_open_us = day_open * _US_PER_SECOND
    day_start_open = np.concatenate([[0], np.cumsum(day_open_us)[:-1]]).astype(np.int64)
    holiday_days = np.asarray(holidays, dtype="datetime64[D]").astype(np.int64).reshape(-1)
    holiday_weekdays = (holiday_days - _MONDAY_EPOCH_DAY) % 7
    holiday_open_before = np.zeros(holiday_days.shape[0] + 1, dtype=np.int64)
    np.cumsum(day_open_us[holiday_weekdays], out=holiday_open_before[1:])
    return _Tables(
        starts=starts_us,
        lengths=lengths_us,
        open_before=open_before,
        week_open=int(day_open_us.sum()),
        day_start_open=day_start_open,
        holiday_days=holiday_days,
        holiday_open_before=holiday_open_before,
    )


@attrs.frozen(kw_only=True)
class BusinessHours:
    """A business-hours calendar: open intervals per weekday, and holidays.

    Parameters
    ----------
    schedule : mapping or sequence of 7
        Open intervals of each weekday. Either a mapping from weekday
        (``'mon'``..``'sun'``, ``'monday'``..``'sunday'``, case-insensitive, or
        ``0``..``6`` from Monday) to its intervals, where weekdays left out are
        closed, or a sequence of seven entries from Monday to Sunday. Each entry is
        ``None`` or ``[]`` (closed), one ``(start, end)`` pair, or a list of pairs
        for split shifts. Times are ``'HH:MM'`` or ``'HH:MM:SS'`` strings (local time,
        ``'24:00'`` allowed as an end) or :class:`datetime.time`. Within a day the
        intervals must be sorted by start, must not overlap (touching is allowed)
        and must not repeat; each must end after it starts.
    holidays : array-like of dates, optional
        Dates on which the calendar is closed all day (``datetime64[D]``, ISO 8601
        strings, ``datetime.date``). Order and repeats do not matter; a time of day
        raises.

    Attributes
    ----------
    schedule : tuple of 7 tuples of (int, int)
        Open intervals of Monday..Sunday in seconds after midnight.
    holidays : tuple of numpy.datetime64
        Sorted, distinct holiday dates.

    Notes
    -----
    Intervals are half-open, ``[start, end)``. A shift past midnight is written as
    two intervals on consecutive days. The schedule is wall-clock time: naive
    timestamps are used as they are, time-zone-aware instants are read in a zone
    (``tz=``) and durations between them are exact. The calendar is immutable and
    hashable; two calendars are equal when their schedules and holidays are.

    Examples
    --------
    >>> from cskpi import BusinessHours
    >>> calendar = BusinessHours(
    ...     schedule={"mon": [("08:00", "12:00"), ("13:00", "17:00")], "sat": ("10:00", "14:00")},
    ...     holidays=["2024-12-25"],
    ... )
    >>> calendar.open_seconds_per_week / 3600
    12.0
    >>> calendar
    BusinessHours(schedule={'mon': [('08:00', '12:00'), ('13:00', '17:00')], 'sat': [('10:00', '14:00')]},
                  holidays=['2024-12-25'])
    """

    schedule: tuple[tuple[Interval, ...], ...] = attrs.field(
        converter=_normalise_schedule, repr=_schedule_repr
    )
    holidays: tuple[np.datetime64, ...] = attrs.field(
        default=(), converter=_normalise_holidays, repr=_holidays_repr
    )
    _tables: _Tables = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_tables", _build_tables(self.schedule, self.holidays))

    @classmethod
    def weekdays(cls, start: Any = "09:00", end: Any = "17:00", *, holidays: Any = ()) -> BusinessHours:
        """Monday to Friday from ``start`` to ``end``, closed at weekends and on ``holidays``.

        Examples
        --------
        >>> from cskpi import BusinessHours
        >>> BusinessHours.weekdays("09:00", "17:00").open_seconds_per_week / 3600
        40.0
        """
        return cls(schedule={day: [(start, end)] for day in WEEKDAYS[:5]}, holidays=holidays)

    @classmethod
    def every_day(cls, start: Any = "00:00", end: Any = "24:00", *, holidays: Any = ()) -> BusinessHours:
        """Every day from ``start`` to ``end`` (by default round the clock), closed on ``holidays``.

        Examples
        --------
        >>> from cskpi import BusinessHours
        >>> BusinessHours.every_day().open_seconds_per_week / 3600
        168.0
        """
        return cls(schedule=[[(start, end)]] * 7, holidays=holidays)

    @property
    def open_seconds_per_week(self) -> float:
        """Open time of a week without holidays, in seconds."""
        return self._tables.week_open / _US_PER_SECOND

    def is_open(self, timestamps: Any, *, tz: str | None = None) -> NDArray[np.bool_]:
        """Whether the calendar is open at each timestamp.

        Naive timestamps are wall-clock times of the calendar; time-zone-aware
        instants are read in the zone ``tz`` (an IANA name such as
        ``'Europe/Paris'``), by default their column's own zone.

        Examples
        --------
        >>> from cskpi import BusinessHours
        >>> BusinessHours.weekdays().is_open(["2024-05-10T16:59", "2024-05-10T17:00", "2024-05-11T12:00"])
        array([ True, False, False])
        >>> BusinessHours.weekdays().is_open(["2024-05-10T14:30Z"], tz="Europe/Paris")  # 16:30 in Paris
        array([ True])
        """
        times = parse_times(timestamps, "timestamps")
        stamps = calendar_clock(tz, times, need="business hours").local(times).view(np.int64)
        tables = self._tables
        days, offsets, _ = _split(stamps)
        inside = np.zeros(stamps.shape[0], dtype=bool)
        if tables.starts.shape[0]:
            index = np.searchsorted(tables.starts, offsets, side="right") - 1
            safe = np.maximum(index, 0)
            inside = (index >= 0) & (offsets - tables.starts[safe] < tables.lengths[safe])
        if tables.holiday_days.shape[0]:
            position = np.searchsorted(tables.holiday_days, days)
            capped = np.minimum(position, tables.holiday_days.shape[0] - 1)
            inside &= tables.holiday_days[capped] != days
        return inside

    def _open_until(self, stamps_us: NDArray[np.int64]) -> NDArray[np.int64]:
        """Open microseconds from the origin (Monday 1970-01-05 00:00) to each instant; may be negative."""
        tables = self._tables
        days, offsets, weeks = _split(stamps_us)
        within = _open_in_week(tables, offsets)
        total = weeks * tables.week_open + within
        if tables.holiday_days.shape[0]:
            position = np.searchsorted(tables.holiday_days, days)
            total -= tables.holiday_open_before[position]
            capped = np.minimum(position, tables.holiday_days.shape[0] - 1)
            on_holiday = tables.holiday_days[capped] == days
            weekday = (days - _MONDAY_EPOCH_DAY) % 7
            total -= np.where(on_holiday, within - tables.day_start_open[weekday], 0)
        return total


def _split(stamps_us: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Days since the epoch, offset in the week (from Monday 00:00) and week number of each instant."""
    days = stamps_us // _DAY_US
    weeks = (days - _MONDAY_EPOCH_DAY) // 7
    offsets = stamps_us - (weeks * 7 + _MONDAY_EPOCH_DAY) * _DAY_US
    return days, offsets, weeks


def _open_in_week(tables: _Tables, offsets: NDArray[np.int64]) -> NDArray[np.int64]:
    """Open microseconds from Monday 00:00 to each offset in the week."""
    if not tables.starts.shape[0]:
        return np.zeros(offsets.shape[0], dtype=np.int64)
    index = np.searchsorted(tables.starts, offsets, side="right") - 1
    safe = np.maximum(index, 0)
    elapsed = np.minimum(offsets - tables.starts[safe], tables.lengths[safe])
    return np.where(index >= 0, tables.open_before[safe] + elapsed, 0)


def check_calendar(calendar: Any, name: str = "calendar") -> BusinessHours:
    """Validate a calendar argument."""
    if not isinstance(calendar, BusinessHours):
        raise InvalidTypeError(f"{name} must be a BusinessHours calendar; got {type(calendar).__name__}")
    return calendar


def open_until(
    calendar: BusinessHours,
    micros: NDArray[np.int64],
    zone: datetime.tzinfo | None = None,
    table: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None,
) -> NDArray[np.int64]:
    """Open microseconds from the origin to each instant (``B(t)``).

    Without ``zone`` the instants are wall-clock times. With a zone they are UTC
    instants: ``B`` is taken at their wall-clock time in the zone, plus, for every
    change of UTC offset before the instant, ``B(T + o_before) - B(T + o_after)``
    (minus the open time skipped by a spring-forward change, plus the open time lived
    twice in the autumn), so that ``B(b) - B(a)`` is the open time that elapsed.
    ``table`` is :func:`cskpi._core.time.zone_offsets` over every instant that will
    be compared (a shared table keeps the coordinates of several arrays consistent).
    """
    if zone is None:
        return calendar._open_until(micros)
    breaks, offsets = zone_offsets(micros, zone) if table is None else table
    index = np.clip(np.searchsorted(breaks, micros, side="right") - 1, 0, None)
    total = calendar._open_until(micros + offsets[index])
    if breaks.shape[0] > 1:
        at = breaks[1:]
        jumps = calendar._open_until(at + offsets[:-1]) - calendar._open_until(at + offsets[1:])
        total += np.concatenate(([0], np.cumsum(jumps)))[index]
    return total


def elapsed_microseconds(
    start_us: NDArray[np.int64],
    end_us: NDArray[np.int64],
    calendar: BusinessHours | None,
    zone: datetime.tzinfo | None = None,
) -> NDArray[np.int64]:
    """Calendar (``calendar=None``) or business microseconds from each start to each end.

    With ``zone``, starts and ends are UTC instants and the business time is exact
    across changes of UTC offset (see :func:`open_until`).
    """
    if calendar is None:
        return end_us - start_us
    if zone is None:
        return calendar._open_until(end_us) - calendar._open_until(start_us)
    table = zone_offsets(np.concatenate((start_us, end_us)), zone)
    return open_until(calendar, end_us, zone, table) - open_until(calendar, start_us, zone, table)


def business_zone(tz: Any, *times: Times) -> datetime.tzinfo | None:
    """The zone in which aware instants meet a business-hours calendar; ``None`` for naive data."""
    return calendar_clock(tz, *times, need="business hours").zone  # naive data with tz= raise


def check_not_before(
    start: NDArray[np.datetime64],
    end: NDArray[np.datetime64],
    start_name: str,
    end_name: str,
    where: NDArray[np.bool_] | None = None,
) -> None:
    """Raise when an end instant precedes its start (only rows in ``where`` are checked)."""
    before = end < start
    if where is not None:
        before &= where
    if before.any():
        index = first_index(before)
        raise InvalidInputError(
            f"{end_name} must not be before {start_name}; got {end[index]} before {start_name} "
            f"{start[index]} at index {index}"
        )


_Stamp: TypeAlias = str | datetime.date | np.datetime64


@overload
def business_seconds(
    starts: _Stamp, ends: _Stamp, *, calendar: BusinessHours, tz: str | None = None
) -> float: ...
@overload
def business_seconds(
    starts: Any, ends: Any, *, calendar: BusinessHours, tz: str | None = None
) -> NDArray[np.float64] | float: ...
def business_seconds(
    starts: Any, ends: Any, *, calendar: BusinessHours, tz: str | None = None
) -> NDArray[np.float64] | float:
    r"""Open seconds of a business-hours calendar between pairs of timestamps.

    Parameters
    ----------
    starts, ends : array-like of datetime64, shape (n,), or single timestamps
        Naive local timestamps (``datetime64``, ISO 8601 strings, ``datetime``,
        pandas/polars/pyarrow datetime columns), or time-zone-aware instants (both
        arguments the same kind). NaT raises. Each end must not be before its start.
    calendar : BusinessHours
        The weekly schedule and holidays, in wall-clock time.
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) in which aware instants meet the
        schedule; default: the zone of a zoned column. Offsets without a zone need
        it; naive timestamps with ``tz`` raise.

    Returns
    -------
    float or ndarray of float64, shape (n,)
        Seconds between each start and end during which the calendar is open
        (a float when both arguments are single timestamps).

    Notes
    -----
    $\texttt{business\_seconds}(a, b) = B(b) - B(a)$, where $B(t)$ is the open time from a
    fixed origin to $t$: whole weeks times the weekly open time, plus the open time
    of $t$'s week up to $t$, minus the open time of holidays before $t$. The
    result is additive ($\mathrm{bs}(a, c) = \mathrm{bs}(a, b) + \mathrm{bs}(b, c)$), never
    exceeds the calendar duration, and is 0 when both instants fall in the same closed period. This is
    the business-hours convention of help-desk software: the clock runs only while
    the schedule is open, and a ticket that arrives while closed starts counting when
    the schedule next opens (Zendesk; Keeping). Instants are used to the
    microsecond. Between aware instants the result is the open time that elapsed,
    exact across daylight-saving changes.

    References
    ----------
    Zendesk, "About native Support time duration metrics" (calendar and business
    hours), support.zendesk.com article 4408834848154.
    Keeping, "Calculating First Response Time" (schedules and off-hours arrivals),
    keeping.com/help/articles/calculating-first-response-time.

    Examples
    --------
    Created Friday 16:30, answered Monday 09:30, open Monday-Friday 09:00-17:00:
    30 minutes on Friday plus 30 minutes on Monday, one business hour.

    >>> from cskpi import BusinessHours, business_seconds
    >>> calendar = BusinessHours.weekdays("09:00", "17:00")
    >>> business_seconds("2024-05-10T16:30", "2024-05-13T09:30", calendar=calendar)
    3600.0
    >>> business_seconds(["2024-05-13T08:00", "2024-05-13T18:00"], ["2024-05-13T10:00", "2024-05-14T08:59"],
    ...                  calendar=calendar).tolist()
    [3600.0, 0.0]
    """
    checked = check_calendar(calendar)
    start_times, start_scalar = parse_times_or_one(starts, "starts")
    end_times, end_scalar = parse_times_or_one(ends, "ends")
    zone = business_zone(tz, start_times, end_times)
    start_at, end_at = start_times.stamps, end_times.stamps
    check_same_length(("starts", start_at), ("ends", end_at))
    check_not_before(start_at, end_at, "starts", "ends")
    elapsed = elapsed_microseconds(start_at.view(np.int64), end_at.view(np.int64), checked, zone)
    seconds = elapsed / _US_PER_SECOND
    if start_scalar and end_scalar:
        return float(seconds[0])
    return seconds
