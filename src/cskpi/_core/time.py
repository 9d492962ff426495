"""Timestamps, durations and calendar periods shared by every time-based metric.

Conventions
-----------
* Timestamps are local, naive ``datetime64`` values (no time zone): convert
  time-zone-aware data to the contact centre's local time before calling cskpi.
* Durations are float seconds; ``timedelta64`` input is converted to seconds.
* Calendar periods are ``'hour'``, ``'day'``, ``'week'`` (ISO weeks, starting on
  Monday), ``'month'``, ``'quarter'`` and ``'year'``. A period is identified by its
  start (a ``datetime64``) or by its ordinal (an integer counting periods since
  1970, so that ``ordinal(b) - ordinal(a)`` is the number of periods between them).
"""

from __future__ import annotations

import datetime
from typing import Any, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from .checks import describe_first, first_index, numbers_from_objects, to_array
from .errors import InvalidInputError, InvalidTypeError

__all__ = [
    "PERIODS",
    "US_PER_SECOND",
    "Period",
    "check_period",
    "duration_seconds",
    "duration_us",
    "period_labels",
    "period_ordinals",
    "period_starts",
    "timedelta_seconds",
    "to_datetime64",
    "to_seconds",
]

Period: TypeAlias = Literal["hour", "day", "week", "month", "quarter", "year"]
PERIODS: tuple[str, ...] = ("hour", "day", "week", "month", "quarter", "year")

# 1970-01-01 was a Thursday; the first Monday on or after it is 1970-01-05 (day 4).
_MONDAY_OFFSET = 4


def check_period(period: str) -> Period:
    """Validate a calendar period name."""
    if not isinstance(period, str) or period not in PERIODS:  # an array has no truth value
        raise InvalidInputError(f"period must be one of {PERIODS}; got {period!r}")
    return period  # type: ignore[return-value]


def to_datetime64(
    values: Any, name: str, *, allow_nat: bool = False, unit: str = "s"
) -> NDArray[np.datetime64]:
    """Convert timestamps to ``datetime64[unit]`` (default seconds).

    Accepts ``datetime64`` arrays, pandas/polars datetime Series, and ISO 8601
    strings. NaT raises unless ``allow_nat``; strings that do not parse raise
    :class:`InvalidInputError` naming the argument and the first bad value.
    """
    array = to_array(values, name)
    kind = array.dtype.kind
    if kind == "M":
        converted = array.astype(f"datetime64[{unit}]")
    elif kind in "UO":
        if kind == "O":
            # numpy would read numbers in an object array as ticks since 1970 (1.5 -> 00:00:01,
            # inf -> NaT with a RuntimeWarning): a wrong column, not timestamps. NaN and None
            # stay missing values (NaT).
            numbers = np.asarray(_is_number(array), dtype=bool)
            if numbers.any():
                raise InvalidTypeError(
                    f"{name} must be timestamps (datetime64 or ISO 8601 strings), not numbers; "
                    f"got {describe_first(array, numbers)}"
                )
        try:
            converted = array.astype(f"datetime64[{unit}]")
        except (ValueError, TypeError, OverflowError):  # OverflowError: an int too big in an object array
            bad = np.zeros(array.shape, dtype=bool)
            bad[_first_unparseable(array, unit)] = True
            rule = f"{name} must be timestamps (datetime64 or ISO 8601 strings)"
            raise InvalidInputError(f"{rule}; got {describe_first(array, bad)}") from None
    else:
        raise InvalidTypeError(
            f"{name} must be timestamps (datetime64 or ISO 8601 strings); got dtype {array.dtype}"
        )
    if not allow_nat:
        missing = np.isnat(converted)
        if missing.any():
            raise InvalidInputError(f"{name} must not contain NaT; got NaT at index {first_index(missing)}")
    return converted


def _number_not_nan(value: Any) -> bool:
    return isinstance(value, int | float | complex | np.number) and not (
        isinstance(value, float | np.floating) and np.isnan(value)
    )


_is_number = np.frompyfunc(_number_not_nan, 1, 1)


def _first_unparseable(array: NDArray[Any], unit: str) -> int:
    # Only reached on error: bisect for the first value numpy refuses to parse.
    low, high = 0, array.shape[0]
    while high - low > 1:
        middle = (low + high) // 2
        try:
            array[low:middle].astype(f"datetime64[{unit}]")
        except (ValueError, TypeError, OverflowError):
            high = middle
        else:
            low = middle
    return low


# Seconds in one unit of the coarse timedelta64 units (months and years at numpy's
# average lengths), and units in one second of the fine ones ('generic' counts as ns).
_SECONDS_PER_UNIT = {"Y": 31556952.0, "M": 2629746.0, "W": 604800.0, "D": 86400.0, "h": 3600.0, "m": 60.0}
_UNITS_PER_SECOND = {
    "s": 1.0,
    "ms": 1e3,
    "us": 1e6,
    "ns": 1e9,
    "ps": 1e12,
    "fs": 1e15,
    "as": 1e18,
    "generic": 1e9,
}


def timedelta_seconds(array: NDArray[np.timedelta64]) -> NDArray[np.float64]:
    """``timedelta64`` values as float seconds (NaT becomes NaN), without integer overflow.

    Converting through ``timedelta64[ns]`` wraps silently beyond ±292 years; scaling the
    integer ticks in floating point cannot overflow and is exact for sub-second units.
    """
    unit, count = np.datetime_data(array.dtype)
    ticks = array.view(np.int64).astype(np.float64) * count
    if unit in _SECONDS_PER_UNIT:
        seconds = ticks * _SECONDS_PER_UNIT[unit]
    else:
        seconds = ticks / _UNITS_PER_SECOND[unit]
    result: NDArray[np.float64] = np.where(np.isnat(array), np.nan, seconds)
    return result


def to_seconds(
    values: Any, name: str, *, allow_nan: bool = False, allow_negative: bool = False
) -> NDArray[np.float64]:
    """Convert durations to float seconds, checking for NaN and negative values.

    ``timedelta64`` input is converted exactly to seconds (NaT becomes NaN); numeric
    input is taken as seconds. Booleans, strings and other dtypes raise
    :class:`InvalidTypeError`.
    """
    array = to_array(values, name)
    kind = array.dtype.kind
    if kind == "m":
        seconds = timedelta_seconds(array)
    elif kind in "iuf":
        seconds = array.astype(np.float64, copy=False)
    elif kind == "O" or kind in "US":  # numbers with None/pandas.NA, or text: one rule in checks
        seconds = numbers_from_objects(array, name)
    else:
        raise InvalidTypeError(
            f"{name} must be durations in seconds (numbers or timedelta64); got dtype {array.dtype}"
        )
    if seconds.size:
        # Two reductions without temporaries: NaN propagates through min; -inf and negative
        # values show in min, +inf in max. Only a failed check pays for locating the value.
        low, high = float(seconds.min()), float(seconds.max())
        if np.isnan(low):
            missing = np.isnan(seconds)
            if not allow_nan:
                raise InvalidInputError(
                    f"{name} must not contain NaN; got nan at index {first_index(missing)}"
                )
            present = seconds[~missing]
            low, high = (float(present.min()), float(present.max())) if present.size else (0.0, 0.0)
        if np.isinf(low) or np.isinf(high):
            infinite = np.isinf(seconds)
            raise InvalidInputError(f"{name} must be finite; got {describe_first(seconds, infinite)}")
        if low < 0 and not allow_negative:
            negative = seconds < 0
            raise InvalidInputError(
                f"{name} must be non-negative durations; got {describe_first(seconds, negative)}"
            )
    return seconds


US_PER_SECOND = 1_000_000


def _scalar_duration(value: Any, name: str, positive: bool) -> tuple[float, int | None, str]:
    """One duration as float seconds, with its exact microseconds when given as a timedelta."""
    rule = f"{name} must be a {'positive' if positive else 'non-negative'} duration in seconds"
    if value is None or isinstance(value, bool | np.bool_ | str | bytes):
        raise InvalidTypeError(f"{rule} (a number, timedelta64 or timedelta); got {value!r}")
    exact_us: int | None = None
    if isinstance(value, datetime.timedelta):
        exact_us = (value.days * 86_400 + value.seconds) * US_PER_SECOND + value.microseconds
        seconds = value.total_seconds()
    else:
        array = np.asarray(value)
        if array.ndim != 0:
            raise InvalidInputError(f"{name} must be a single duration; got an array of shape {array.shape}")
        if array.dtype.kind == "m":
            if np.isnat(array):
                raise InvalidInputError(f"{rule}; got NaT")
            seconds = float(timedelta_seconds(array.reshape(1))[0])
            exact_us = int(array.astype("timedelta64[us]").astype(np.int64)) if abs(seconds) < 9e12 else None
        elif array.dtype.kind in "iuf":
            seconds = float(array)
        else:
            raise InvalidTypeError(f"{rule} (a number, timedelta64 or timedelta); got {value!r}")
    if not np.isfinite(seconds) or seconds < 0 or (positive and seconds == 0):
        raise InvalidInputError(f"{rule}; got {value!r}")
    return seconds, exact_us, rule


def duration_seconds(value: Any, name: str, *, positive: bool = False) -> float:
    """One duration (a number of seconds, ``timedelta64`` or ``datetime.timedelta``) as float seconds.

    Raises :class:`InvalidTypeError` for None, booleans and strings, and
    :class:`InvalidInputError` for arrays, NaN, NaT, infinite, negative (and, when
    ``positive``, zero) durations, naming the argument.
    """
    return _scalar_duration(value, name, positive)[0]


def duration_us(value: Any, name: str, *, positive: bool = False) -> int:
    """One duration as whole microseconds: exact for timedeltas, rounded for float seconds."""
    seconds, exact_us, rule = _scalar_duration(value, name, positive)
    micro = exact_us if exact_us is not None else round(seconds * US_PER_SECOND)
    if positive and micro == 0:
        raise InvalidInputError(f"{rule}; got {value!r} (below one microsecond)")
    return micro


def period_ordinals(timestamps: NDArray[np.datetime64], period: Period) -> NDArray[np.int64]:
    """Ordinal of the calendar period containing each timestamp (periods since 1970).

    Weeks are ISO weeks starting on Monday: ordinal 0 is the week of Monday 1970-01-05
    (the days 1970-01-01..04 fall in week -1).

    Examples
    --------
    >>> import numpy as np
    >>> from cskpi._core.time import period_ordinals
    >>> t = np.array(["2024-01-31T23:00", "2024-02-01T00:00"], dtype="datetime64[s]")
    >>> period_ordinals(t, "month").tolist(), period_ordinals(t, "quarter").tolist()
    ([648, 649], [216, 216])
    """
    if period == "hour":
        return timestamps.astype("datetime64[h]").astype(np.int64)
    if period == "day":
        return timestamps.astype("datetime64[D]").astype(np.int64)
    if period == "week":
        days = timestamps.astype("datetime64[D]").astype(np.int64)
        return (days - _MONDAY_OFFSET) // 7
    months = timestamps.astype("datetime64[M]").astype(np.int64)
    if period == "month":
        return months
    if period == "quarter":
        return months // 3
    return timestamps.astype("datetime64[Y]").astype(np.int64)


def period_starts(ordinals: NDArray[np.int64], period: Period) -> NDArray[np.datetime64]:
    """Start (``datetime64``) of each period given by its ordinal; inverse of :func:`period_ordinals`.

    Hours are returned as ``datetime64[h]``, days and weeks as ``datetime64[D]``,
    months and quarters as ``datetime64[M]``, years as ``datetime64[Y]``.
    """
    if period == "hour":
        return ordinals.astype("datetime64[h]")
    if period == "day":
        return ordinals.astype("datetime64[D]")
    if period == "week":
        return (ordinals * 7 + _MONDAY_OFFSET).astype("datetime64[D]")
    if period == "month":
        return ordinals.astype("datetime64[M]")
    if period == "quarter":
        return (ordinals * 3).astype("datetime64[M]")
    return ordinals.astype("datetime64[Y]")


def period_labels(timestamps: Any, period: str, *, name: str = "timestamps") -> NDArray[np.datetime64]:
    """Start of the calendar period of each timestamp, ready to use as a ``by=`` key.

    Examples
    --------
    >>> from cskpi._core.time import period_labels
    >>> period_labels(["2024-05-15T10:00", "2024-05-19T23:59"], "week").tolist()
    [datetime.date(2024, 5, 13), datetime.date(2024, 5, 13)]
    """
    valid = check_period(period)
    return period_starts(period_ordinals(to_datetime64(timestamps, name), valid), valid)
