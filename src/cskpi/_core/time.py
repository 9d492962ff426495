"""Timestamps, durations and calendar periods shared by every time-based metric.

Conventions
-----------
* Naive timestamps (no zone, no UTC offset) are wall-clock times in the contact
  centre's own zone. Aware values (an offset such as ``+02:00`` or ``Z`` in a string,
  a ``datetime`` with ``tzinfo``, a pandas, polars or pyarrow column with a zone) are
  instants. The two are never mixed: within a column or between two arguments of
  one call, mixing raises :class:`InvalidInputError` naming both.
* Durations between instants are exact (instants are subtracted in UTC); durations
  between naive timestamps are wall-clock differences.
* Where a calendar is needed (periods, business hours), aware instants are read as
  wall-clock times in a zone: ``tz=`` (an IANA name, resolved with :mod:`zoneinfo`),
  else the column's own zone; offsets without a zone raise. Naive data with ``tz=``
  raises (it would be ambiguous).
* Timestamps are resolved to the microsecond (``datetime64[us]``); years outside
  1..9999 and the relative words ``'now'`` and ``'today'`` raise.
* Durations are float seconds; ``timedelta64`` input is converted to seconds.
* Calendar periods are ``'hour'``, ``'day'``, ``'week'`` (ISO weeks, starting on
  Monday), ``'month'``, ``'quarter'`` and ``'year'``. A period is identified by its
  start (a ``datetime64``) or by its ordinal (an integer counting periods since
  1970, so that ``ordinal(b) - ordinal(a)`` is the number of periods between them).
"""

from __future__ import annotations

import datetime
import re
import warnings
import zoneinfo
from typing import Any, Literal, TypeAlias

import attrs
import numpy as np
from numpy.typing import NDArray

from .checks import describe_first, first_index, missing_objects, numbers_from_objects, to_array
from .errors import InvalidInputError, InvalidTypeError

__all__ = [
    "NAIVE_CLOCK",
    "PERIODS",
    "US_PER_SECOND",
    "Clock",
    "Period",
    "Times",
    "ZonedStamps",
    "calendar_clock",
    "check_period",
    "check_tz",
    "column_zone",
    "duration_seconds",
    "duration_us",
    "local_clock",
    "parse_time",
    "parse_times",
    "parse_times_or_one",
    "period_labels",
    "period_ordinals",
    "period_starts",
    "same_clock",
    "timedelta_seconds",
    "to_datetime64",
    "to_seconds",
    "zone_offsets",
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


_RELATIVE_WORDS = ("now", "today")
_US = np.dtype("datetime64[us]")
# Units whose whole range lies inside years 1..9999 (no check needed): finer than microseconds.
_NARROW_UNITS = ("ns", "ps", "fs", "as")
_YEAR_RULE = "years 1..9999"
_NAT_TICKS = np.iinfo(np.int64).min


@attrs.frozen(eq=False)
class Times:
    """One timestamp argument, parsed: ``datetime64[us]`` values and what they mean.

    ``stamps`` are UTC instants when ``aware`` and wall-clock times when not;
    ``aware`` is ``None`` when no value is present (an empty or all-NaT column), which
    mixes with either kind. ``zone`` is the column's own time zone, if it has one.
    """

    stamps: NDArray[np.datetime64]
    aware: bool | None
    zone: datetime.tzinfo | None
    name: str

    def describe(self) -> str:
        if self.aware is None:
            return f"{self.name} (no values)"
        if not self.aware:
            return f"{self.name} (naive local timestamps)"
        return f"{self.name} (time-zone-aware instants{'' if self.zone is None else f' in {self.zone}'})"


def check_tz(tz: Any, name: str = "tz") -> datetime.tzinfo | None:
    """An IANA time-zone name (or a ``tzinfo``) as a ``tzinfo``; ``None`` stays ``None``."""
    if tz is None or isinstance(tz, datetime.tzinfo):
        return tz
    rule = f"{name} must be an IANA time zone name such as 'Europe/Paris'"
    if not isinstance(tz, str):
        raise InvalidTypeError(f"{rule}; got {type(tz).__name__} {tz!r}")
    try:
        return zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInputError(f"{rule}; got {tz!r}") from None


_OFFSET_NAME = re.compile(r"([+-])(\d{2}):?(\d{2})")


def zone_from_name(zone: Any) -> datetime.tzinfo:
    """A column's zone (a ``tzinfo``, an IANA name, or a fixed offset such as ``'+02:00'``)."""
    if isinstance(zone, datetime.tzinfo):
        return zone
    text = str(zone)
    match = _OFFSET_NAME.fullmatch(text)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        delta = datetime.timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        return datetime.timezone(sign * delta)
    zone_info = check_tz(text, "time zone of the column")
    assert zone_info is not None
    return zone_info


def _column_zone(values: Any) -> Any:
    """The time zone of a pandas, polars or pyarrow datetime column; ``None`` when naive or unknown."""
    dtype = getattr(values, "dtype", None)
    zone = getattr(dtype, "tz", None) or getattr(dtype, "time_zone", None)
    if zone is None:
        zone = getattr(getattr(values, "type", None), "tz", None)  # pyarrow Array / ChunkedArray
    return zone


def _utc_of_zoned(values: Any, name: str) -> NDArray[Any]:
    """The UTC instants of a zoned column, as the engine that owns it gives them."""
    if hasattr(getattr(values, "dt", None), "tz_convert"):  # pandas Series
        values = values.dt.tz_convert(None)
    elif hasattr(values, "tz_convert"):  # pandas DatetimeIndex
        values = values.tz_convert(None)
    # polars and pyarrow export zoned timestamps as their UTC instants.
    return to_array(values, name)


def _text_flags(text: Any) -> tuple[bool, bool]:
    """``(has a UTC offset, is a relative word)`` of one ISO 8601 string."""
    stripped = text.strip()
    if stripped.lower() in _RELATIVE_WORDS:
        return False, True
    upper = stripped.upper()
    time_at = max(upper.find("T"), upper.find(" "))
    if time_at < 0:
        return False, False
    offset = upper.endswith("Z") or upper.rfind("+") > time_at or upper.rfind("-") > time_at
    return offset, False


def _object_flags(item: Any) -> int:
    # 0: naive or missing, 1: aware, 2: a relative word ('now', 'today').
    if isinstance(item, datetime.datetime):
        return int(item.tzinfo is not None and item.utcoffset() is not None)
    if isinstance(item, str):
        offset, relative = _text_flags(item)
        return 2 if relative else int(offset)
    return 0


_object_kinds = np.frompyfunc(_object_flags, 1, 1)


def _string_relative(array: NDArray[Any]) -> NDArray[np.bool_]:
    """Where a string array holds ``'now'`` or ``'today'`` (numpy reads them in any case, unpadded)."""
    lengths = np.strings.str_len(array)
    candidates = (lengths == 3) | (lengths == 5)
    relative = np.zeros(array.shape, dtype=bool)
    if candidates.any():
        relative[candidates] = np.isin(np.strings.lower(array[candidates]), _RELATIVE_WORDS)
    return relative


def _string_offsets(array: NDArray[Any]) -> NDArray[np.bool_]:
    """Vectorised offset test of :func:`_text_flags` (only run once numpy reported an offset)."""
    # numpy parses only unpadded text with an upper-case 'T' (or a space) and 'Z'.
    time_at = np.maximum(np.strings.find(array, "T"), np.strings.find(array, " "))
    offset = (time_at >= 0) & (
        np.strings.endswith(array, "Z")
        | (np.strings.rfind(array, "+") > time_at)
        | (np.strings.rfind(array, "-") > time_at)
    )
    return np.asarray(offset, dtype=bool)


def _check_long_years(array: NDArray[Any], converted: NDArray[np.datetime64], name: str) -> None:
    """Raise for text whose year lies outside 1..9999, which microseconds may not hold (wrap).

    A year of four digits puts the first hyphen at position 4; only the other values
    (five-digit or signed years) are parsed again, in the unit numpy chooses for them.
    """
    unusual = (np.strings.find(array, "-") != 4) & ~np.isnat(converted)
    if not unusual.any():
        return
    exact = array[unusual].astype("datetime64")
    low = np.datetime64("0001-01-01", "D").astype(exact.dtype)
    high = np.datetime64("10000-01-01", "D").astype(exact.dtype)
    outside = (exact < low) | (exact >= high)
    if outside.any():
        bad = np.zeros(array.shape, dtype=bool)
        bad[np.flatnonzero(unusual)[outside]] = True
        raise InvalidInputError(
            f"{name} must be timestamps in {_YEAR_RULE}; got {describe_first(array, bad)}"
        )


def _parse(array: NDArray[Any], name: str) -> tuple[NDArray[np.datetime64], NDArray[np.bool_] | None]:
    """Timestamps in their own unit, and where a value carried a UTC offset (``None``: nowhere)."""
    kind = array.dtype.kind
    rule = f"{name} must be timestamps (datetime64 or ISO 8601 strings)"
    if kind == "M":
        return array, None
    if kind not in "UO":
        raise InvalidTypeError(f"{rule}; got dtype {array.dtype}")
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
        missing = missing_objects(array)
        if missing.any():  # pandas NaT and NA, NaN: numpy parses None as NaT, not them
            array = array.copy()
            array[missing] = None
        flags = np.asarray(_object_kinds(array), dtype=np.int8) if array.size else np.zeros(0, np.int8)
        offset: NDArray[np.bool_] | None = flags == 1
        relative = flags == 2
    else:
        offset, relative = None, _string_relative(array)
    if relative.any():
        raise InvalidInputError(
            f"{name} must be fixed timestamps, not relative words whose meaning depends on the day "
            f"of the run; got {describe_first(array, relative)}"
        )
    try:
        with warnings.catch_warnings():
            # numpy converts an offset to UTC with this warning: strings are searched for offsets
            # only when it is given; object arrays were classified above.
            warnings.filterwarnings("error", "no explicit representation of timezones", UserWarning)
            # Text is parsed straight to microseconds (twice as fast as letting numpy choose the
            # unit); years that could overflow them are checked in their own unit below.
            unit = "datetime64" if kind == "O" else "datetime64[us]"
            try:
                converted = array.astype(unit)
            except UserWarning:
                zulu = np.strings.endswith(array, "Z") if kind == "U" else None
                if zulu is not None and zulu.all():
                    # UTC throughout (what APIs export): parsed without the suffix, and so
                    # without one warning per value.
                    converted, offset = np.strings.slice(array, 0, -1).astype(unit), zulu
                else:
                    warnings.filterwarnings("ignore", "no explicit representation of timezones", UserWarning)
                    converted = array.astype(unit)
                    if offset is None:
                        offset = _string_offsets(array)
    except (ValueError, TypeError, OverflowError):  # OverflowError: an int too big in an object array
        bad = np.zeros(array.shape, dtype=bool)
        bad[_first_unparseable(array)] = True
        raise InvalidInputError(f"{rule}; got {describe_first(array, bad)}") from None
    if kind == "U":
        _check_long_years(array, converted, name)
    if offset is None:
        return converted, None
    return converted, (offset if offset.any() else None)


def check_years(converted: NDArray[np.datetime64], source: NDArray[Any], name: str) -> None:
    """Raise unless every timestamp falls in years 1..9999 (NaT passes)."""
    unit, _ = np.datetime_data(converted.dtype)
    if unit not in _NARROW_UNITS and unit != "generic" and converted.size:
        low = np.datetime64("0001-01-01", "D").astype(converted.dtype)
        high = np.datetime64("10000-01-01", "D").astype(converted.dtype)
        # Two integer reductions, no temporaries; NaT is the smallest int64, and only when it
        # is there are the present values looked at.
        native = (
            converted if converted.dtype.isnative else converted.astype(converted.dtype.newbyteorder("="))
        )
        ticks = native.view(np.int64)
        smallest, largest = int(ticks.min()), int(ticks.max())
        if smallest == _NAT_TICKS:
            present = ticks[ticks != _NAT_TICKS]
            if not present.size:
                return
            smallest = int(present.min())
        if smallest < int(low.view(np.int64)) or largest >= int(high.view(np.int64)):
            outside = (converted < low) | (converted >= high)  # NaT compares False
            raise InvalidInputError(
                f"{name} must be timestamps in {_YEAR_RULE}; got {describe_first(source, outside)}"
            )


def _checked_us(
    converted: NDArray[np.datetime64], source: NDArray[Any], name: str, allow_nat: bool
) -> NDArray[np.datetime64]:
    """Years 1..9999, then ``datetime64[us]``; NaT raises unless ``allow_nat``."""
    check_years(converted, source, name)
    stamps = converted if converted.dtype == _US else converted.astype(_US)
    if not allow_nat:
        missing = np.isnat(stamps)
        if missing.any():
            raise InvalidInputError(f"{name} must not contain NaT; got NaT at index {first_index(missing)}")
    return stamps


def parse_times(values: Any, name: str, *, allow_nat: bool = False) -> Times:
    """Parse one timestamp argument by the library's rule (see the module notes).

    Accepts ``datetime64`` of any unit, ISO 8601 strings (with or without an offset),
    ``datetime``/``date`` objects, and pandas, polars or pyarrow datetime columns with
    or without a zone. A column mixing naive and aware values raises; NaT raises
    unless ``allow_nat``. A single timestamp (not in a sequence) raises
    :class:`InvalidTypeError`: use :func:`parse_time`.
    """
    if isinstance(values, list | tuple) and len(values) == 0:
        return Times(stamps=np.zeros(0, dtype=_US), aware=None, zone=None, name=name)
    zone = _column_zone(values)
    if zone is not None:
        tzinfo = zone_from_name(zone)
        array = _utc_of_zoned(values, name)
        converted, _ = _parse(array, name)
        stamps = _checked_us(converted, array, name, allow_nat)
        return Times(stamps=stamps, aware=True, zone=tzinfo, name=name)  # aware by its type, NaT or not
    array = to_array(values, name)
    converted, offset = _parse(array, name)
    stamps = _checked_us(converted, array, name, allow_nat)
    present = ~np.isnat(stamps)
    if offset is None:
        return Times(stamps=stamps, aware=False if present.any() else None, zone=None, name=name)
    naive = present & ~offset
    if naive.any():
        raise InvalidInputError(
            f"{name} must not mix naive local timestamps and time-zone-aware instants; got "
            f"{describe_first(array, offset)} and {describe_first(array, naive)}"
        )
    return Times(stamps=stamps, aware=True, zone=None, name=name)


def parse_time(value: Any, name: str) -> Times:
    """One timestamp (``str``, ``datetime``, ``date``, ``datetime64``, pandas ``Timestamp``), no NaT."""
    if value is None or isinstance(value, list | tuple | np.ndarray):
        raise InvalidTypeError(f"{name} must be a single timestamp; got {type(value).__name__}")
    if isinstance(value, bool | int | float | np.number):
        raise InvalidTypeError(f"{name} must be a timestamp (datetime64 or ISO 8601 string); got {value!r}")
    return parse_times(np.array([value], dtype=object), name)


def parse_times_or_one(values: Any, name: str, *, allow_nat: bool = False) -> tuple[Times, bool]:
    """:func:`parse_times`, accepting a single timestamp too; returns whether it was a single one."""
    if isinstance(values, str | datetime.datetime | datetime.date | np.datetime64):
        return parse_time(values, name), True
    return parse_times(values, name, allow_nat=allow_nat), False


def same_clock(*times: Times) -> None:
    """Raise when naive timestamps and aware instants meet in one call, naming both arguments."""
    present = [t for t in times if t.aware is not None]
    other = next((t for t in present if t.aware != present[0].aware), None) if present else None
    if other is not None:
        first = present[0]
        raise InvalidInputError(
            f"{first.name} and {other.name} must both be naive local timestamps or both be time-zone-aware "
            f"instants; got {first.describe()} and {other.describe()}"
        )


def to_datetime64(
    values: Any, name: str, *, allow_nat: bool = False, unit: str = "us"
) -> NDArray[np.datetime64]:
    """Naive timestamps as ``datetime64[unit]`` (default microseconds); aware values raise.

    For arguments that only make sense as wall-clock values (holiday dates, a report
    baseline). Accepts ``datetime64`` arrays, pandas/polars datetime Series, and ISO
    8601 strings. NaT raises unless ``allow_nat``; strings that do not parse raise
    :class:`InvalidInputError` naming the argument and the first bad value.
    """
    times = parse_times(values, name, allow_nat=allow_nat)
    if times.aware:
        raise InvalidInputError(
            f"{name} must be naive local timestamps (no time zone or UTC offset); got {times.describe()}"
        )
    return times.stamps if unit == "us" else times.stamps.astype(f"datetime64[{unit}]")


# --------------------------------------------------------------------------- zones


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_DAY_US = 86_400 * 1_000_000
# Evaluation instants are kept inside the years datetime can hold after any UTC offset.
_FIRST_US = (datetime.datetime(1, 1, 2, tzinfo=datetime.UTC) - _EPOCH) // datetime.timedelta(microseconds=1)
_LAST_US = (datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC) - _EPOCH) // datetime.timedelta(
    microseconds=1
)
# Ranges longer than this many days are sampled weekly instead of daily.
_DAILY_LIMIT = 40_000


def _offset_us(zone: datetime.tzinfo, us: int) -> int:
    moment = _EPOCH + datetime.timedelta(microseconds=min(max(us, _FIRST_US), _LAST_US))
    offset = moment.astimezone(zone).utcoffset()
    return 0 if offset is None else offset // datetime.timedelta(microseconds=1)


def zone_offsets(
    utc_us: NDArray[np.int64], zone: datetime.tzinfo
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """UTC offsets of ``zone`` over the range of ``utc_us``: ``(breaks, offsets)`` in µs.

    ``offsets[k]`` holds from ``breaks[k]`` (a UTC instant) to the next break; the
    first break is at or before the earliest instant. The zone is evaluated (through
    :mod:`zoneinfo` or any ``tzinfo``) once a day over the range, once a week beyond
    about a century, and each change of offset is located to the second by bisection:
    the cost grows with the span of the data, not with the number of rows. Offsets
    are assumed not to change twice within one sampling step.
    """
    utc_us = utc_us[utc_us != _NAT_TICKS]  # NaT as integers
    if utc_us.shape[0] == 0:
        return np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    first_day, last_day = int(utc_us.min()) // _DAY_US, int(utc_us.max()) // _DAY_US + 1
    step = 1 if last_day - first_day <= _DAILY_LIMIT else 7
    grid = list(range(first_day * _DAY_US, (last_day + step) * _DAY_US, step * _DAY_US))
    values = [_offset_us(zone, point) for point in grid]
    breaks, offsets = [grid[0]], [values[0]]
    for i in range(1, len(grid)):
        if values[i] == offsets[-1]:
            continue
        low, high = grid[i - 1] // 1_000_000, grid[i] // 1_000_000  # seconds: offset(high) is the new one
        while high - low > 1:
            middle = (low + high) // 2
            if _offset_us(zone, middle * 1_000_000) == values[i]:
                high = middle
            else:
                low = middle
        breaks.append(high * 1_000_000)
        offsets.append(values[i])
    return np.asarray(breaks, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


def local_clock(utc: NDArray[np.datetime64], zone: datetime.tzinfo) -> NDArray[np.datetime64]:
    """Wall-clock times in ``zone`` of UTC instants (``datetime64[us]``; NaT stays NaT), vectorised."""
    ticks = utc.view(np.int64)
    present = ~np.isnat(utc)
    breaks, offsets = zone_offsets(ticks[present], zone)
    position = np.searchsorted(breaks, ticks, side="right") - 1
    shifted = ticks + offsets[np.clip(position, 0, None)]
    return np.where(present, shifted, ticks).view(_US)


@attrs.frozen(eq=False)
class _ZoneDtype:
    tz: datetime.tzinfo


@attrs.frozen(eq=False)
class ZonedStamps:
    """UTC instants (``datetime64[us]``) with the zone they are read in: a zoned column.

    The input layer reads it like a pandas column with a zone, so that instants held
    as plain ``datetime64`` (the columns of a report table) keep their meaning when
    they are passed to a metric.
    """

    utc: NDArray[np.datetime64]
    zone: datetime.tzinfo

    @property
    def dtype(self) -> _ZoneDtype:
        return _ZoneDtype(self.zone)

    def to_numpy(self) -> NDArray[np.datetime64]:
        return self.utc

    def __len__(self) -> int:
        return int(self.utc.shape[0])


def column_zone(values: Any) -> datetime.tzinfo | None:
    """The time zone of a pandas, polars or pyarrow datetime column; ``None`` when naive."""
    zone = _column_zone(values)
    return None if zone is None else zone_from_name(zone)


@attrs.frozen
class Clock:
    """How the timestamps of one call are read as calendar (wall-clock) times.

    ``zone`` is ``None`` for naive data (used as given), else the zone in which
    aware instants are read; ``aware`` is ``None`` when no value was present.
    """

    zone: datetime.tzinfo | None
    aware: bool | None

    def local(self, times: Times) -> NDArray[np.datetime64]:
        """Wall-clock ``datetime64[us]`` of one parsed argument."""
        if not times.aware or self.zone is None:
            return times.stamps
        return local_clock(times.stamps, self.zone)

    def bound(self, value: Any, name: str) -> np.datetime64:
        """One bound (``start``/``end``) as wall clock: naive bounds are wall-clock times in the zone."""
        times = parse_time(value, name)
        if times.aware:
            if self.aware is False:
                raise InvalidInputError(
                    f"{name} must be a naive local timestamp like the data; got the instant {value!r}"
                )
            if self.zone is None:
                raise InvalidInputError(
                    f"{name} is an instant with a UTC offset but no time zone, and calendar periods need "
                    f"one; got {value!r} (pass tz='Europe/Paris' or a naive local time)"
                )
        stamp: np.datetime64 = self.local(times)[0]
        return stamp


NAIVE_CLOCK = Clock(zone=None, aware=None)


def calendar_clock(tz: Any, *times: Times, need: str = "calendar periods") -> Clock:
    """Resolve the zone in which the timestamps of one call are read (see the module notes).

    Raises when naive and aware arguments are mixed, when ``tz`` is given for naive
    data (ambiguous), and when aware instants have no zone and no ``tz`` is given.
    """
    zone = check_tz(tz)
    same_clock(*times)
    aware = next((t.aware for t in times if t.aware is not None), None)
    if aware is False:
        if zone is not None:
            naive = next(t for t in times if t.aware is False)
            raise InvalidInputError(
                f"tz={tz!r} is for time-zone-aware instants, but {naive.name} are naive local timestamps "
                "(ambiguous: drop tz= for wall-clock data, or give the timestamps an offset or zone)"
            )
        return Clock(zone=None, aware=False)
    if zone is None:
        zones = {t.zone for t in times if t.zone is not None}
        if len(zones) > 1:
            raise InvalidInputError(
                f"{' and '.join(t.describe() for t in times if t.zone is not None)} have different time "
                f"zones; pass tz= to choose the zone of {need}"
            )
        if zones:
            zone = zones.pop()
        elif aware:
            instants = next(t for t in times if t.aware)
            raise InvalidInputError(
                f"{instants.name} are instants with UTC offsets but no time zone, and {need} need one: "
                "pass tz='Europe/Paris' (an IANA name) or convert to naive local time"
            )
    return Clock(zone=zone, aware=aware)


def _number_not_nan(value: Any) -> bool:
    return isinstance(value, int | float | complex | np.number) and not (
        isinstance(value, float | np.floating) and np.isnan(value)
    )


_is_number = np.frompyfunc(_number_not_nan, 1, 1)


def _first_unparseable(array: NDArray[Any]) -> int:
    # Only reached on error: bisect for the first value numpy refuses to parse.
    low, high = 0, array.shape[0]
    while high - low > 1:
        middle = (low + high) // 2
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                array[low:middle].astype("datetime64")
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
