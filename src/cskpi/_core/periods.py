"""Time axes of period series and instants: the shared machinery of volume, tickets and engagement."""

from __future__ import annotations

import datetime
import warnings
from typing import Any, Self

import attrs
import numpy as np
from numpy.typing import NDArray

from .checks import describe_first, first_index, to_array
from .errors import InvalidInputError, InvalidTypeError
from .labels import Groups, count_cells
from .results import STAT_KEY, Mergeable, param_names, stat_names
from .stats import divide
from .time import Period, period_ordinals, period_starts, to_datetime64

# A parameter field holding an array (period starts, instants, labels), compared by value:
# ``attrs.field(eq=ARRAY_EQ, metadata=PARAM)``.
PARAM = {STAT_KEY: False}


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


_SECONDS_PER_DAY = 86_400
_SECONDS_DTYPE = np.dtype("datetime64[s]")


def record_seconds(timestamps: Any, n_rows: int, name: str = "timestamps") -> NDArray[np.int64]:
    """Timestamps as int64 seconds since 1970, checked against the number of records.

    A 1-D ``datetime64[s]`` array is used through a view (never modified) instead of
    the copy :func:`cskpi._core.time.to_datetime64` makes, so that large inputs cost no
    extra memory.
    """
    if isinstance(timestamps, np.ndarray) and timestamps.ndim == 1 and timestamps.dtype == _SECONDS_DTYPE:
        if np.isnat(timestamps).any():
            to_datetime64(timestamps, name)  # raises the library's NaT message
        seconds = timestamps.view(np.int64)
    else:
        seconds = to_datetime64(timestamps, name).view(np.int64)
    if seconds.shape[0] != n_rows:
        raise InvalidInputError(
            f"{name} must have the same length as customer_ids ({n_rows}); got length {seconds.shape[0]}"
        )
    return seconds


def fast_period_ordinals(seconds: NDArray[np.int64], period: Period) -> NDArray[np.int64]:
    """``period_ordinals`` of timestamps in seconds, through a per-day lookup table.

    Calendar conversion of every record (``datetime64[s] -> [M]``) costs about 50 ns a
    record; the days spanned are usually few, so the period of each *day* is computed
    once with :func:`cskpi._core.time.period_ordinals` and gathered.
    """
    if period == "hour":
        return seconds // 3600
    days = seconds // _SECONDS_PER_DAY
    if period == "day" or days.shape[0] == 0:
        return days if period == "day" else days.copy()
    first, last = int(days.min()), int(days.max())
    if last - first + 1 > days.shape[0]:
        return period_ordinals(days.astype("datetime64[D]"), period)
    table = period_ordinals(np.arange(first, last + 1).astype("datetime64[D]"), period)
    days -= first  # in place: ``days`` is our own array
    # Each output element depends only on the index at the same position, so the lookup
    # can overwrite its indices ('clip' takes the unbuffered path; all indices are in range).
    return np.take(table, days, out=days, mode="clip")


def end_ordinal(end: Any, period: Period, latest: int, name: str = "end") -> int:
    """Ordinal of the period containing ``end``; it must not precede the latest record."""
    stamp = to_datetime64(np.asarray([end]) if np.ndim(end) == 0 else end, name)
    if stamp.shape != (1,):
        raise InvalidInputError(f"{name} must be one timestamp; got {stamp.shape[0]} values")
    ordinal = int(period_ordinals(stamp, period)[0])
    if ordinal < latest:
        raise InvalidInputError(
            f"{name} must not fall before the period of the latest timestamp; got {stamp[0]!s} "
            f"({period} {ordinal} < {latest})"
        )
    return ordinal
