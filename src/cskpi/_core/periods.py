"""Time axes of period series and instants: the shared machinery of volume, tickets and engagement."""

from __future__ import annotations

from typing import Any, Self

import attrs
import numpy as np
from numpy.typing import NDArray

from .checks import first_index, to_array
from .errors import InvalidInputError, InvalidTypeError
from .labels import Groups, count_cells
from .results import STAT_KEY, Mergeable, param_names, stat_names
from .stats import divide
from .time import (
    NAIVE_CLOCK,
    Clock,
    Period,
    Times,
    calendar_clock,
    check_years,
    parse_time,
    parse_times,
    period_ordinals,
    period_starts,
    same_clock,
    to_datetime64,
)

# A parameter field holding an array (period starts, instants, labels), compared by value:
# ``attrs.field(eq=ARRAY_EQ, metadata=PARAM)``.
PARAM = {STAT_KEY: False}


def calendar_stamps(
    values: Any, name: str, tz: Any = None, *, allow_nat: bool = False
) -> tuple[NDArray[np.datetime64], Clock]:
    """One timestamp argument read as wall-clock ``datetime64[us]``, and the clock that reads it.

    The library's timestamp rule (:mod:`cskpi._core.time`): naive values are used as
    given, aware instants are read in ``tz`` or in the column's own zone.
    """
    times = parse_times(values, name, allow_nat=allow_nat)
    clock = calendar_clock(tz, times)
    return clock.local(times), clock


def calendar_columns(
    tz: Any, *columns: tuple[Any, str, bool]
) -> tuple[list[NDArray[np.datetime64]], list[Times], Clock]:
    """Several timestamp arguments ``(values, name, allow_nat)`` of one call, on one clock.

    Returns their wall-clock ``datetime64[us]`` values, the parsed arguments (whose
    ``stamps`` are the instants, for exact durations) and the clock; mixing naive and
    aware arguments raises, naming both.
    """
    times = [parse_times(values, name, allow_nat=allow_nat) for values, name, allow_nat in columns]
    clock = calendar_clock(tz, *times)
    return [clock.local(t) for t in times], times, clock


def to_stamps(values: Any, name: str, tz: Any = None) -> tuple[NDArray[np.datetime64], Clock]:
    """Like :func:`calendar_stamps` (no NaT), but a naive ``datetime64`` array keeps its own unit (no copy).

    For functions that only need calendar periods of one column.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind == "M" and values.ndim == 1:
        clock = calendar_clock(
            tz, Times(stamps=values, aware=False if values.size else None, zone=None, name=name)
        )
        missing = np.isnat(values)
        if missing.any():
            raise InvalidInputError(f"{name} must not contain NaT; got NaT at index {first_index(missing)}")
        check_years(values, values, name)
        return values, clock
    return calendar_stamps(values, name, tz)


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


def period_axis(
    period: Period, ordinals: list[NDArray[np.int64]], start: Any, end: Any, clock: Clock = NAIVE_CLOCK
) -> tuple[int, int]:
    """``(first ordinal, number of periods)`` of a dense range of calendar periods.

    ``start`` and ``end`` are read by ``clock`` (a naive bound is a wall-clock time
    in the data's zone).

    The range runs from the period containing ``start`` (default: the earliest
    ordinal in ``ordinals``) to the period containing ``end`` (default: the latest),
    both included. Empty data without ``start``/``end`` gives an empty range.
    """
    present = [o for o in ordinals if o.shape[0]]
    if start is not None:
        first = int(period_ordinals(np.array([clock.bound(start, "start")]), period)[0])
    elif present:
        first = min(int(o.min()) for o in present)
    else:
        first = None
    if end is not None:
        last = int(period_ordinals(np.array([clock.bound(end, "end")]), period)[0])
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

    Results over different ranges of the same calendar period (``volume(jan) +
    volume(feb)``) merge over the union of their ranges, every statistic padded with
    zeros for the periods a result does not cover: counts of events per period add.
    Classes whose statistics are stocks (tickets open at a period's start) set
    ``_zero_padded = False`` and merge only over the same range. Every other
    parameter must be equal, arrays compared by value (results at the same instants
    merge), else :class:`InvalidInputError`.
    """

    __slots__ = ()

    _zero_padded: bool = True

    def _aligned(self, other: Self) -> tuple[Self, Self]:
        if type(other) is not type(self):
            self._check_mergeable(other)
        names = param_names(type(self))
        mine, theirs = getattr(self, "periods", None), getattr(other, "periods", None)
        period = getattr(self, "period", None)
        if (
            not self._zero_padded
            or "periods" not in names
            or period is None
            or period != getattr(other, "period", None)
            or not isinstance(mine, np.ndarray)
            or not isinstance(theirs, np.ndarray)
            or (mine.shape == theirs.shape and np.array_equal(mine, theirs))
        ):
            self._check_mergeable(other)
            return self, other
        ordinals = [period_ordinals(mine, period), period_ordinals(theirs, period)]
        present = [o for o in ordinals if o.shape[0]]
        first = min(int(o.min()) for o in present)
        n_periods = max(int(o.max()) for o in present) - first + 1
        labels = period_labels_of(period, first, n_periods)
        padded = []
        for result, positions in zip((self, other), ordinals, strict=True):
            changes: dict[str, Any] = {"periods": labels}
            for name in stat_names(type(self)):
                values = np.asarray(getattr(result, name))
                full = np.zeros((*values.shape[:-1], n_periods), dtype=values.dtype)
                full[..., positions - first] = values
                changes[name] = full
            padded.append(attrs.evolve(result, **changes))  # type: ignore[misc]
        padded[0]._check_mergeable(padded[1])
        return padded[0], padded[1]

    def _check_mergeable(self, other: object) -> None:
        if type(other) is not type(self):
            raise InvalidTypeError(
                f"cannot add {type(other).__name__} to {type(self).__name__}: "
                "only results of the same kind merge"
            )
        for name in param_names(type(self)):
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


_DAY_US = 86_400 * 1_000_000
_HOUR_US = 3_600 * 1_000_000
_US_DTYPE = np.dtype("datetime64[us]")


def record_times(timestamps: Any, n_rows: int, name: str = "timestamps") -> Times:
    """Timestamps of records (no NaT), checked against the number of records.

    A naive 1-D ``datetime64[us]`` array is used as it is (never modified) instead of
    being copied, so that large inputs cost no extra memory.
    """
    if isinstance(timestamps, np.ndarray) and timestamps.ndim == 1 and timestamps.dtype == _US_DTYPE:
        if np.isnat(timestamps).any():
            to_datetime64(timestamps, name)  # raises the library's NaT message
        check_years(timestamps, timestamps, name)
        times = Times(stamps=timestamps, aware=False if timestamps.size else None, zone=None, name=name)
    else:
        times = parse_times(timestamps, name)
    if times.stamps.shape[0] != n_rows:
        raise InvalidInputError(
            f"{name} must have the same length as customer_ids ({n_rows}); got length {times.stamps.shape[0]}"
        )
    return times


def _single(value: Any, name: str) -> Any:
    """A bound given as a one-element array, unwrapped; other values as they are."""
    if isinstance(value, list | tuple | np.ndarray) or hasattr(value, "to_numpy"):
        values = to_array(value, name)
        if values.shape != (1,):
            raise InvalidInputError(f"{name} must be one timestamp; got {values.shape[0]} values")
        return values[0]
    return value


def instant_bound(value: Any, name: str, data: Times) -> int:
    """One bound compared with instants (not calendar periods), as µs on the data's clock.

    Naive bounds go with naive data and aware bounds with aware data; mixing raises.
    """
    bound = parse_time(_single(value, name), name)
    same_clock(data, bound)
    return int(bound.stamps.view(np.int64)[0])


def fast_period_ordinals(micros: NDArray[np.int64], period: Period) -> NDArray[np.int64]:
    """``period_ordinals`` of wall-clock timestamps in microseconds, through a per-day lookup table.

    Calendar conversion of every record (``datetime64[us] -> [M]``) costs about 50 ns a
    record; the days spanned are usually few, so the period of each *day* is computed
    once with :func:`cskpi._core.time.period_ordinals` and gathered.
    """
    if period == "hour":
        return micros // _HOUR_US
    days = micros // _DAY_US
    if period == "day" or days.shape[0] == 0:
        return days
    first, last = int(days.min()), int(days.max())
    if last - first + 1 > days.shape[0]:
        return period_ordinals(days.astype("datetime64[D]"), period)
    table = period_ordinals(np.arange(first, last + 1).astype("datetime64[D]"), period)
    days -= first  # in place: ``days`` is our own array
    # Each output element depends only on the index at the same position, so the lookup
    # can overwrite its indices ('clip' takes the unbuffered path; all indices are in range).
    return np.take(table, days, out=days, mode="clip")


def stamp_ordinals(stamps: NDArray[np.datetime64], period: Period) -> NDArray[np.int64]:
    """:func:`cskpi._core.time.period_ordinals` of timestamps; per day (see :func:`fast_period_ordinals`)
    for microsecond stamps without NaT, the same ordinals without converting every row."""
    if stamps.dtype == np.dtype("datetime64[us]") and stamps.shape[0] and not np.isnat(stamps).any():
        return fast_period_ordinals(stamps.view(np.int64), period)
    return period_ordinals(stamps, period)


def end_ordinal(end: Any, period: Period, latest: int, clock: Clock = NAIVE_CLOCK, name: str = "end") -> int:
    """Ordinal of the period containing ``end`` (read by ``clock``); it must not precede the latest record."""
    stamp = clock.bound(_single(end, name), name)
    ordinal = int(period_ordinals(np.array([stamp]), period)[0])
    if ordinal < latest:
        raise InvalidInputError(
            f"{name} must not fall before the period of the latest timestamp; got {stamp!s} "
            f"({period} {ordinal} < {latest})"
        )
    return ordinal
