"""Tests of the business-hours calendar and business_seconds.

Reference values are hand-computed (arithmetic in the comments) or taken from the
published examples cited next to them; a slow interval-walking reference written
in plain Python checks the vectorised implementation on random calendars.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cskpi import BusinessHours, InvalidInputError, InvalidTypeError, business_seconds
from cskpi._core.business_hours import check_not_before, elapsed_microseconds
from helpers import read_only

HOUR = 3600.0
WEEKDAYS_9_TO_5 = BusinessHours.weekdays("09:00", "17:00")


def _stamps(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[us]")


# --------------------------------------------------------------------------- hand-computed values


def test_issue_example_friday_to_monday_is_one_business_hour() -> None:
    # The issue's example: created Friday 16:30, answered Monday 09:30, Mon-Fri 09:00-17:00:
    # Friday 16:30-17:00 (30 min) + Monday 09:00-09:30 (30 min) = 3600 s.
    assert business_seconds("2024-05-10T16:30", "2024-05-13T09:30", calendar=WEEKDAYS_9_TO_5) == 3600.0


def test_published_example_keeping_off_hours_arrival() -> None:
    # Keeping, "Calculating First Response Time": a ticket arriving at 6:00 pm, outside
    # the schedule, answered at 8 am the next day when the schedule starts at 7 am, has a
    # first response time of 1 hour (14 hours without a schedule).
    calendar = BusinessHours.weekdays("07:00", "17:00")
    assert business_seconds("2024-05-14T18:00", "2024-05-15T08:00", calendar=calendar) == 1 * HOUR
    assert (
        business_seconds("2024-05-14T18:00", "2024-05-15T08:00", calendar=BusinessHours.every_day())
        == 14 * HOUR
    )


def test_published_example_keeping_off_hours_reply_is_zero() -> None:
    # Keeping: a ticket arriving when no one works and answered off-hours has a response
    # time of 0 hours: Tuesday 18:00 to Tuesday 22:00 with a 07:00-17:00 schedule.
    calendar = BusinessHours.weekdays("07:00", "17:00")
    assert business_seconds("2024-05-14T18:00", "2024-05-14T22:00", calendar=calendar) == 0.0


def test_hand_computed_values() -> None:
    calendar = BusinessHours(
        schedule={
            "mon": [("08:00", "12:00"), ("13:00", "17:00")],  # split shift, 8 h
            "tue": ("09:00", "17:00"),  # 8 h
            "wed": ("09:00", "17:00"),
            "thu": ("09:00", "17:00"),
            "fri": ("09:00", "15:00"),  # 6 h
            "sat": ("10:00", "14:00"),  # 4 h
        },
        holidays=["2024-12-25", "2024-12-26"],
    )
    start = _stamps(
        "2024-05-13T11:00",  # Monday, inside the morning shift
        "2024-05-13T12:15",  # Monday lunch break (closed)
        "2024-05-17T14:00",  # Friday, one hour before closing
        "2024-05-13T00:00",  # a whole week from Monday midnight
        "2024-12-24T16:00",  # Tuesday before two holidays
        "2024-12-25T10:00",  # on a holiday
        "2024-05-11T13:59:59.5",  # Saturday, half a second before 13:59:59.5 + 0.5 s
        "2024-05-12T12:00",  # Sunday (closed all day)
        "2024-05-13T08:00",
    )
    end = _stamps(
        "2024-05-13T14:00",
        "2024-05-13T12:45",
        "2024-05-18T11:00",
        "2024-05-20T00:00",
        "2024-12-27T10:00",
        "2024-12-25T16:00",
        "2024-05-11T14:30",
        "2024-05-12T23:00",
        "2024-07-08T08:00",  # eight weeks later, same instant
    )
    expected = [
        2 * HOUR,  # Monday 11:00-12:00 (1 h) + 13:00-14:00 (1 h)
        0.0,  # 12:15-12:45 falls in the lunch break
        2 * HOUR,  # Friday 14:00-15:00 (1 h) + Saturday 10:00-11:00 (1 h)
        42 * HOUR,  # 8 + 8 + 8 + 8 + 6 + 4 = 42 h per week
        2 * HOUR,  # Tuesday 16:00-17:00 (1 h), 25th and 26th holidays, Friday 09:00-10:00 (1 h)
        0.0,  # the whole interval is on a holiday
        0.5,  # Saturday closes at 14:00: 13:59:59.5 to 14:00:00 is half a second
        0.0,  # Sunday is closed
        8 * 42 * HOUR,  # eight whole weeks
    ]
    assert business_seconds(start, end, calendar=calendar).tolist() == expected


def test_touching_intervals_equal_one_interval() -> None:
    # 09:00-12:00 followed by 12:00-17:00 is open 09:00-17:00 without a gap.
    split = BusinessHours(schedule={"mon": [("09:00", "12:00"), ("12:00", "17:00")]})
    whole = BusinessHours(schedule={"mon": ("09:00", "17:00")})
    start, end = (
        _stamps("2024-05-13T08:00", "2024-05-13T11:00"),
        _stamps("2024-05-13T18:00", "2024-05-13T13:00"),
    )
    assert (
        business_seconds(start, end, calendar=split).tolist()
        == business_seconds(start, end, calendar=whole).tolist()
    )
    assert business_seconds(start, end, calendar=whole).tolist() == [8 * HOUR, 2 * HOUR]


def test_midnight_shift_across_days() -> None:
    # Night shift Monday 22:00-24:00 and Tuesday 00:00-06:00: Monday 23:00 to Tuesday 01:00 is 2 h.
    calendar = BusinessHours(schedule={"mon": ("22:00", "24:00"), "tue": ("00:00", "06:00")})
    assert business_seconds("2024-05-13T23:00", "2024-05-14T01:00", calendar=calendar) == 2 * HOUR
    assert calendar.open_seconds_per_week == 8 * HOUR


def test_dates_before_1970() -> None:
    # 1969-12-26 was a Friday and 1969-12-29 a Monday: same one business hour as the issue example.
    assert business_seconds("1969-12-26T16:30", "1969-12-29T09:30", calendar=WEEKDAYS_9_TO_5) == HOUR


def test_always_open_calendar_counts_calendar_time() -> None:
    # 2024-05-10T16:30 to 2024-05-13T09:30 is 2 days 17 h = 65 h.
    assert (
        business_seconds("2024-05-10T16:30", "2024-05-13T09:30", calendar=BusinessHours.every_day())
        == 65 * HOUR
    )


def test_closed_calendar_counts_nothing() -> None:
    calendar = BusinessHours(schedule={})
    assert business_seconds(["2024-01-01"], ["2024-12-31"], calendar=calendar).tolist() == [0.0]
    assert calendar.open_seconds_per_week == 0.0


def test_holiday_on_a_closed_day_changes_nothing() -> None:
    # 2024-05-11 is a Saturday: a holiday then removes no open time.
    with_holiday = BusinessHours.weekdays(holidays=["2024-05-11"])
    assert business_seconds("2024-05-10T16:00", "2024-05-13T10:00", calendar=with_holiday) == 2 * HOUR


def test_scalar_and_array_returns() -> None:
    scalar = business_seconds(
        np.datetime64("2024-05-13T09:00"), datetime.datetime(2024, 5, 13, 10), calendar=WEEKDAYS_9_TO_5
    )
    assert isinstance(scalar, float)
    assert scalar == HOUR
    array = business_seconds(["2024-05-13T09:00"], ["2024-05-13T10:00"], calendar=WEEKDAYS_9_TO_5)
    assert isinstance(array, np.ndarray)
    assert array.dtype == np.float64
    assert array.tolist() == [HOUR]
    empty = business_seconds(
        np.array([], dtype="datetime64[s]"), np.array([], dtype="datetime64[s]"), calendar=WEEKDAYS_9_TO_5
    )
    assert empty.shape == (0,)


def test_read_only_inputs_are_not_modified() -> None:
    start = read_only(_stamps("2024-05-10T16:30", "2024-05-13T08:00"))
    end = read_only(_stamps("2024-05-13T09:30", "2024-05-13T10:00"))
    assert business_seconds(start, end, calendar=WEEKDAYS_9_TO_5).tolist() == [HOUR, HOUR]
    assert start.tolist() == _stamps("2024-05-10T16:30", "2024-05-13T08:00").tolist()


def test_is_open() -> None:
    calendar = BusinessHours.weekdays(holidays=["2024-05-15"])
    stamps = _stamps(
        "2024-05-13T09:00",  # opening instant: open
        "2024-05-13T16:59:59.999999",
        "2024-05-13T17:00",  # closing instant: closed (half-open intervals)
        "2024-05-15T12:00",  # holiday
        "2024-05-12T12:00",  # Sunday
        "2024-05-13T08:59:59",
    )
    assert calendar.is_open(stamps).tolist() == [True, True, False, False, False, False]


# --------------------------------------------------------------------------- the calendar class


def test_schedule_forms_are_equivalent() -> None:
    by_name = BusinessHours(schedule={"Monday": [("09:00", "17:00")], "SAT": ("10:00", "14:00")})
    by_index = BusinessHours(schedule={0: ("09:00", "17:00"), 5: [(datetime.time(10), datetime.time(14))]})
    by_sequence = BusinessHours(
        schedule=[("09:00", "17:00"), None, [], None, None, [("10:00:00", "14:00:00")], None]
    )
    assert by_name == by_index == by_sequence
    assert hash(by_name) == hash(by_sequence)
    assert by_name.schedule[0] == ((9 * 3600, 17 * 3600),)
    assert by_name.schedule[5] == ((10 * 3600, 14 * 3600),)
    assert by_name.schedule[1] == ()


def test_holidays_are_sorted_and_distinct() -> None:
    calendar = BusinessHours.weekdays(
        holidays=["2024-12-26", datetime.date(2024, 12, 25), np.datetime64("2024-12-26")]
    )
    assert [str(day) for day in calendar.holidays] == ["2024-12-25", "2024-12-26"]
    assert calendar == BusinessHours.weekdays(
        holidays=np.array(["2024-12-25", "2024-12-26"], dtype="datetime64[D]")
    )
    assert calendar != BusinessHours.weekdays()


def test_repr_round_trips() -> None:
    calendar = BusinessHours(
        schedule={"mon": [("08:00", "12:00"), ("13:00", "17:30:15")]}, holidays=["2024-12-25"]
    )
    text = repr(calendar)
    assert "'08:00'" in text and "'17:30:15'" in text and "'2024-12-25'" in text
    assert eval(text, {"BusinessHours": BusinessHours}) == calendar


def test_calendar_is_immutable() -> None:
    calendar = BusinessHours.weekdays()
    with pytest.raises(AttributeError):
        calendar.holidays = ()  # type: ignore[misc]


def test_convenience_constructors() -> None:
    assert BusinessHours.weekdays().open_seconds_per_week == 40 * HOUR
    assert BusinessHours.weekdays("08:30", "18:00").open_seconds_per_week == 5 * 9.5 * HOUR
    assert BusinessHours.every_day("06:00", "22:00").open_seconds_per_week == 7 * 16 * HOUR
    assert BusinessHours.every_day().open_seconds_per_week == 168 * HOUR


# --------------------------------------------------------------------------- bad input


BAD_SCHEDULES = [
    pytest.param(
        {"mon": ("17:00", "09:00")},
        InvalidInputError,
        "schedule['mon'][0] end must be after start",
        id="end-before-start",
    ),
    pytest.param(
        {"mon": ("09:00", "09:00")},
        InvalidInputError,
        "schedule['mon'][0] end must be after start",
        id="empty-interval",
    ),
    pytest.param(
        {"tue": [("13:00", "17:00"), ("09:00", "12:00")]},
        InvalidInputError,
        "schedule['tue'] intervals must be sorted",
        id="unsorted",
    ),
    pytest.param(
        {"wed": [("09:00", "13:00"), ("12:00", "17:00")]},
        InvalidInputError,
        "schedule['wed'] intervals must not overlap",
        id="overlapping",
    ),
    pytest.param(
        {"thu": [("09:00", "12:00"), ("09:00", "12:00")]},
        InvalidInputError,
        "schedule['thu'] must not repeat an interval",
        id="duplicated",
    ),
    pytest.param(
        {"fri": ("09:00", "25:00")},
        InvalidInputError,
        "schedule['fri'][0] end must be a time of day",
        id="after-24h",
    ),
    pytest.param({"fri": ("09:00", "24:30")}, InvalidInputError, "schedule['fri'][0] end", id="past-24:00"),
    pytest.param({"fri": ("09:60", "12:00")}, InvalidInputError, "schedule['fri'][0] start", id="minute-60"),
    pytest.param({"fri": ("-1:00", "12:00")}, InvalidInputError, "schedule['fri'][0] start", id="negative"),
    pytest.param({"fri": ("9am", "5pm")}, InvalidInputError, "schedule['fri'][0] start", id="am-pm"),
    pytest.param(
        {"fri": (9, 17)}, InvalidTypeError, "schedule['fri'][0] must be a (start, end) pair", id="ints"
    ),
    pytest.param({"fri": [(9, 17)]}, InvalidTypeError, "schedule['fri'][0] start", id="int-times"),
    pytest.param({"fri": "09:00-17:00"}, InvalidTypeError, "schedule['fri']", id="string-day"),
    pytest.param(
        {"fri": [("09:00", "12:00", "13:00")]}, InvalidInputError, "schedule['fri'][0]", id="triple"
    ),
    pytest.param(
        {"funday": ("09:00", "17:00")}, InvalidInputError, "schedule keys must be weekdays", id="unknown-day"
    ),
    pytest.param(
        {"mon": ("09:00", "12:00"), 0: ("13:00", "17:00")},
        InvalidInputError,
        "schedule names monday twice",
        id="day-twice",
    ),
    pytest.param(
        [("09:00", "17:00")] * 6, InvalidInputError, "schedule must have one entry per weekday", id="six-days"
    ),
    pytest.param(None, InvalidTypeError, "schedule must be a mapping", id="none"),
    pytest.param("mon", InvalidTypeError, "schedule must be a mapping", id="string"),
    pytest.param(
        {"mon": (datetime.time(9, tzinfo=datetime.UTC), "17:00")},
        InvalidInputError,
        "schedule['mon'][0] start must be a naive",
        id="aware-time",
    ),
]


@pytest.mark.parametrize(("schedule", "error", "message"), BAD_SCHEDULES)
def test_bad_schedules_raise(schedule: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        BusinessHours(schedule=schedule)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("holidays", "error", "message"),
    [
        pytest.param(
            ["2024-12-25T10:00"], InvalidInputError, "holidays must be dates without a time", id="time"
        ),
        pytest.param(["2024-12-25", "NaT"], InvalidInputError, "holidays must not contain NaT", id="nat"),
        pytest.param(["Christmas"], InvalidInputError, "holidays must be timestamps", id="unparseable"),
        pytest.param(np.array([20000, 20001]), InvalidTypeError, "holidays must be timestamps", id="ints"),
        pytest.param([["2024-12-25"]], InvalidInputError, "holidays must be 1-D", id="2-D"),
    ],
)
def test_bad_holidays_raise(holidays: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        BusinessHours.weekdays(holidays=holidays)
    assert message in str(info.value)


MONDAY = "2024-05-13T10:00"
BAD_DURATIONS = [
    pytest.param(
        [MONDAY, "2024-05-13T12:00"],
        [MONDAY, "2024-05-13T11:00"],
        WEEKDAYS_9_TO_5,
        InvalidInputError,
        "ends must not be before starts",
        id="end-before-start",
    ),
    pytest.param(
        ["NaT"], [MONDAY], WEEKDAYS_9_TO_5, InvalidInputError, "starts must not contain NaT", id="nat-start"
    ),
    pytest.param(
        [MONDAY], ["NaT"], WEEKDAYS_9_TO_5, InvalidInputError, "ends must not contain NaT", id="nat-end"
    ),
    pytest.param(
        [MONDAY, MONDAY],
        [MONDAY],
        WEEKDAYS_9_TO_5,
        InvalidInputError,
        "ends must have the same length",
        id="lengths",
    ),
    pytest.param(
        np.array([1.0]),
        [MONDAY],
        WEEKDAYS_9_TO_5,
        InvalidTypeError,
        "starts must be timestamps",
        id="float-start",
    ),
    pytest.param(
        [MONDAY],
        np.array([True]),
        WEEKDAYS_9_TO_5,
        InvalidTypeError,
        "ends must be timestamps",
        id="bool-end",
    ),
    pytest.param([[MONDAY]], [[MONDAY]], WEEKDAYS_9_TO_5, InvalidInputError, "starts must be 1-D", id="2-D"),
    pytest.param(None, [MONDAY], WEEKDAYS_9_TO_5, InvalidTypeError, "starts must be array-like", id="none"),
    pytest.param(
        [MONDAY],
        ["tomorrow"],
        WEEKDAYS_9_TO_5,
        InvalidInputError,
        "ends must be timestamps",
        id="unparseable",
    ),
    pytest.param(
        [MONDAY],
        [MONDAY],
        {"mon": ("09:00", "17:00")},
        InvalidTypeError,
        "calendar must be a BusinessHours",
        id="calendar-dict",
    ),
    pytest.param(
        [MONDAY], [MONDAY], None, InvalidTypeError, "calendar must be a BusinessHours", id="calendar-none"
    ),
]


@pytest.mark.parametrize(("start", "end", "calendar", "error", "message"), BAD_DURATIONS)
def test_bad_business_seconds_input_raises(
    start: Any, end: Any, calendar: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        business_seconds(start, end, calendar=calendar)
    assert message in str(info.value)


def test_end_before_start_message_names_the_index() -> None:
    with pytest.raises(InvalidInputError, match=r"ends must not be before starts; got .* at index 1"):
        business_seconds(
            [MONDAY, "2024-05-13T12:00", "2024-05-13T12:00"],
            [MONDAY, "2024-05-13T11:00", "2024-05-13T11:00"],
            calendar=WEEKDAYS_9_TO_5,
        )


# --------------------------------------------------------------------------- slow reference and properties

_DAY_US = 86_400 * 1_000_000
_EPOCH = datetime.datetime(1970, 1, 1)


def _reference_business_us(start_us: int, end_us: int, calendar: BusinessHours) -> int:
    """Walk day by day through [start, end) and add the overlap with each open interval."""
    holidays = {int(day.astype(np.int64)) for day in calendar.holidays}
    total = 0
    day = start_us // _DAY_US
    while day * _DAY_US < end_us:
        weekday = (_EPOCH + datetime.timedelta(days=day)).weekday()  # Monday is 0
        if day not in holidays:
            for open_s, close_s in calendar.schedule[weekday]:
                low = max(start_us, day * _DAY_US + open_s * 1_000_000)
                high = min(end_us, day * _DAY_US + close_s * 1_000_000)
                total += max(0, high - low)
        day += 1
    return total


def _reference_next_open_us(t_us: int, calendar: BusinessHours) -> int | None:
    """First instant at or after t at which the calendar is open (None if none within 60 days)."""
    holidays = {int(day.astype(np.int64)) for day in calendar.holidays}
    day = t_us // _DAY_US
    for _ in range(60):
        weekday = (_EPOCH + datetime.timedelta(days=day)).weekday()
        if day not in holidays:
            for open_s, close_s in calendar.schedule[weekday]:
                opens, closes = day * _DAY_US + open_s * 1_000_000, day * _DAY_US + close_s * 1_000_000
                if closes > t_us:
                    return max(opens, t_us)
        day += 1
    return None


@st.composite
def calendars(draw: Any, *, with_holidays: bool = True) -> BusinessHours:
    """Random weekly schedules (0-3 intervals a day, on a 1-second grid) with a few holidays."""
    schedule = []
    for _ in range(7):
        n_intervals = draw(st.integers(0, 3))
        points = sorted(
            draw(st.sets(st.integers(0, 86_400), min_size=2 * n_intervals, max_size=2 * n_intervals))
        )
        schedule.append([(_hms(points[i]), _hms(points[i + 1])) for i in range(0, len(points), 2)])
    holidays = draw(st.lists(st.integers(19_700, 19_760), max_size=8 if with_holidays else 0))
    return BusinessHours(schedule=schedule, holidays=np.array(holidays, dtype="datetime64[D]"))


def _hms(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


# Instants between 2023-12-25 and 2024-03-14 (holidays are drawn in 2023-12-09..2024-02-07),
# with a chance of landing on whole hours so that interval edges are hit.
_LOW_US, _HIGH_US = 19_716 * _DAY_US, 19_796 * _DAY_US
instants = st.one_of(
    st.integers(_LOW_US, _HIGH_US),
    st.integers(_LOW_US // 3_600_000_000, _HIGH_US // 3_600_000_000).map(lambda h: h * 3_600_000_000),
)


def _as_stamps(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64).astype("datetime64[us]")


@given(calendar=calendars(), pairs=st.lists(st.tuples(instants, instants), min_size=1, max_size=8))
def test_matches_slow_reference(calendar: BusinessHours, pairs: list[tuple[int, int]]) -> None:
    starts = [min(a, b) for a, b in pairs]
    ends = [max(a, b) for a, b in pairs]
    fast = business_seconds(_as_stamps(starts), _as_stamps(ends), calendar=calendar)
    expected = [_reference_business_us(s, e, calendar) / 1e6 for s, e in zip(starts, ends, strict=True)]
    assert fast.tolist() == expected


@given(calendar=calendars(), a=instants, b=instants)
def test_bounded_by_calendar_duration(calendar: BusinessHours, a: int, b: int) -> None:
    start, end = min(a, b), max(a, b)
    seconds = business_seconds(_as_stamps([start]), _as_stamps([end]), calendar=calendar)[0]
    assert 0.0 <= seconds <= (end - start) / 1e6


@given(calendar=calendars(), points=st.lists(instants, min_size=3, max_size=3))
def test_additive(calendar: BusinessHours, points: list[int]) -> None:
    a, b, c = sorted(points)
    ab, bc, ac = business_seconds(_as_stamps([a, b, a]), _as_stamps([b, c, c]), calendar=calendar)
    # Whole microseconds divided by 1e6: compare in microseconds to avoid float rounding.
    assert round(ab * 1e6) + round(bc * 1e6) == round(ac * 1e6)


@given(calendar=calendars(), t=instants, fraction=st.floats(0.0, 1.0))
def test_zero_within_one_closed_period(calendar: BusinessHours, t: int, fraction: float) -> None:
    next_open = _reference_next_open_us(t, calendar)
    assume(next_open is not None and next_open > t)
    assert next_open is not None
    end = t + int(fraction * (next_open - t))
    assert not calendar.is_open(_as_stamps([t]))[0]
    assert business_seconds(_as_stamps([t]), _as_stamps([end]), calendar=calendar).tolist() == [0.0]


@given(calendar=calendars(), start=instants, ends=st.lists(instants, min_size=2, max_size=6))
def test_monotone_in_end(calendar: BusinessHours, start: int, ends: list[int]) -> None:
    ordered = sorted(e for e in ends if e >= start)
    seconds = business_seconds(_as_stamps([start] * len(ordered)), _as_stamps(ordered), calendar=calendar)
    assert np.all(np.diff(seconds) >= 0)


@given(a=instants, b=instants)
def test_round_the_clock_equals_calendar_time(a: int, b: int) -> None:
    start, end = min(a, b), max(a, b)
    assert (
        business_seconds(_as_stamps([start]), _as_stamps([end]), calendar=BusinessHours.every_day())[0]
        == (end - start) / 1e6
    )


@given(calendar=calendars(), t=instants)
def test_is_open_matches_reference(calendar: BusinessHours, t: int) -> None:
    # Open at t exactly when the next opening at or after t is t itself.
    assert calendar.is_open(_as_stamps([t]))[0] == (_reference_next_open_us(t, calendar) == t)


@given(
    calendar=calendars(with_holidays=False),
    a=instants,
    b=instants,
    weeks=st.integers(-300, 300),
)
def test_whole_week_shift_invariant_without_holidays(
    calendar: BusinessHours, a: int, b: int, weeks: int
) -> None:
    start, end = min(a, b), max(a, b)
    shift = weeks * 7 * _DAY_US
    base = business_seconds(_as_stamps([start]), _as_stamps([end]), calendar=calendar)
    moved = business_seconds(_as_stamps([start + shift]), _as_stamps([end + shift]), calendar=calendar)
    assert base.tolist() == moved.tolist()


# --------------------------------------------------------------------------- edge cases and exact messages
# Each test below pins a behaviour that the tests above leave open (found by mutation testing).


def test_datetime_time_keeps_hours_minutes_and_seconds() -> None:
    # 09:30:15 is 9 * 3600 + 30 * 60 + 15 = 34215 s; 17:45:30 is 61200 + 2700 + 30 = 63930 s.
    calendar = BusinessHours(schedule={"mon": (datetime.time(9, 30, 15), datetime.time(17, 45, 30))})
    assert calendar.schedule[0] == ((34_215, 63_930),)
    assert calendar == BusinessHours(schedule={"mon": ("09:30:15", "17:45:30")})


def test_seconds_60_is_not_a_time_of_day() -> None:
    message = "schedule['mon'][0] start must be a time of day between 00:00 and 24:00; got '09:00:60'"
    with pytest.raises(InvalidInputError, match=re.escape(message)):
        BusinessHours(schedule={"mon": ("09:00:60", "17:00")})
    # 59 seconds is the last valid value: 09:00:59 is 32459 s.
    assert BusinessHours(schedule={"mon": ("09:00:59", "17:00")}).schedule[0] == ((32_459, 61_200),)


EXACT_SCHEDULE_MESSAGES = [
    pytest.param(
        {"mon": (datetime.time(9, 0, 0, 500), "17:00")},
        InvalidInputError,
        "schedule['mon'][0] start must be a whole number of seconds; got datetime.time(9, 0, 0, 500)",
        id="microseconds",
    ),
    pytest.param(
        {"fri": [(9, "17:00")]},
        InvalidTypeError,
        "schedule['fri'][0] start must be a time of day as an 'HH:MM' or 'HH:MM:SS' string or a "
        "datetime.time; got int 9",
        id="int-start",
    ),
    pytest.param(
        {"mon": 9},
        InvalidTypeError,
        "schedule['mon'] must be a (start, end) pair or a list of (start, end) pairs; got int",
        id="not-iterable-day",
    ),
    pytest.param(
        {"thu": [("09:00", "12:00"), ("09:00", "12:00")]},
        InvalidInputError,
        "schedule['thu'] must not repeat an interval; got ('09:00', '12:00') twice at index 1",
        id="duplicated",
    ),
    pytest.param(
        # Unsorted, and the second interval also overlaps the first: the order is reported.
        {"tue": [("13:00", "17:00"), ("09:00", "14:00")]},
        InvalidInputError,
        "schedule['tue'] intervals must be sorted by start time; got ('09:00', '14:00') after "
        "('13:00', '17:00') at index 1",
        id="unsorted-overlapping",
    ),
    pytest.param(
        # Same start, different end: sorted (ties allowed) but overlapping.
        {"wed": [("09:00", "12:00"), ("09:00", "13:00")]},
        InvalidInputError,
        "schedule['wed'] intervals must not overlap; got ('09:00', '13:00') starting before the previous "
        "interval ends at '12:00' at index 1",
        id="same-start",
    ),
    pytest.param(
        5,
        InvalidTypeError,
        "schedule must be a mapping from weekday to open intervals or a sequence of 7 entries "
        "(Monday..Sunday); got int",
        id="int-schedule",
    ),
    pytest.param(
        [("17:00", "09:00"), None, None, None, None, None, None],
        InvalidInputError,
        "schedule[0][0] end must be after start; got ('17:00', '09:00')",
        id="sequence-entry-name",
    ),
]


@pytest.mark.parametrize(("schedule", "error", "message"), EXACT_SCHEDULE_MESSAGES)
def test_bad_schedule_exact_messages(schedule: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        BusinessHours(schedule=schedule)


@pytest.mark.parametrize("key", [True, False, -1, 7, 3.0, "7"])
def test_weekday_keys_outside_0_to_6_raise(key: Any) -> None:
    message = (
        f"schedule keys must be weekdays ('mon'..'sun', 'monday'..'sunday' or 0..6 from Monday); got {key!r}"
    )
    with pytest.raises(InvalidInputError, match=f"^{re.escape(message)}$"):
        BusinessHours(schedule={key: ("09:00", "17:00")})


def test_weekday_key_6_is_sunday() -> None:
    sunday = BusinessHours(schedule={"sun": ("10:00", "14:00")})
    assert BusinessHours(schedule={6: ("10:00", "14:00")}) == sunday
    assert BusinessHours(schedule={np.int64(6): ("10:00", "14:00")}) == sunday
    assert sunday.schedule[6] == ((36_000, 50_400),)


class _Column:
    """A minimal column object: ``to_numpy()`` and a length, but no iteration (like some dataframe
    libraries' column types). ``to_array`` accepts anything with ``to_numpy()``."""

    def __init__(self, values: Any) -> None:
        self._values = np.asarray(values)

    def __len__(self) -> int:
        return len(self._values)

    def to_numpy(self) -> np.ndarray:
        return self._values


CHRISTMAS = [np.datetime64("2024-12-25"), np.datetime64("2024-12-26")]


@pytest.mark.parametrize(
    "make_holidays",  # a factory: a generator is used up by one run, and tests may run twice
    [
        pytest.param(lambda: {"2024-12-26", "2024-12-25"}, id="set"),
        pytest.param(lambda: (day for day in ["2024-12-26", "2024-12-25"]), id="generator"),
        pytest.param(lambda: _Column(["2024-12-25", "2024-12-26"]), id="to_numpy-column"),
        pytest.param(lambda: _Column(np.array(CHRISTMAS, dtype="datetime64[D]")), id="to_numpy-datetime64"),
    ],
)
def test_holiday_containers(make_holidays: Any) -> None:
    assert list(BusinessHours.weekdays(holidays=make_holidays()).holidays) == CHRISTMAS


def test_single_holiday_string() -> None:
    calendar = BusinessHours.weekdays(holidays="2024-12-25")
    assert list(calendar.holidays) == [np.datetime64("2024-12-25")]
    # Wednesday 2024-12-25 is closed: Tuesday 16:00 to Thursday 10:00 is 1 h + 1 h.
    assert business_seconds("2024-12-24T16:00", "2024-12-26T10:00", calendar=calendar) == 2 * HOUR


def test_holidays_from_pandas() -> None:
    pd = pytest.importorskip("pandas")
    series = pd.Series(pd.to_datetime(["2024-12-26", "2024-12-25"]))
    assert list(BusinessHours.weekdays(holidays=series).holidays) == CHRISTMAS
    with pytest.raises(
        InvalidInputError, match=re.escape("holidays must not contain NaT; got NaT at index 1")
    ):
        BusinessHours.weekdays(holidays=pd.Series(pd.to_datetime(["2024-12-25", None])))
    # A data frame is 2-D, even when its column names look like dates.
    frame = pd.DataFrame({"2024-12-25": [1]})
    with pytest.raises(
        InvalidInputError, match=re.escape("holidays must be 1-D; got an array of shape (1, 1)")
    ):
        BusinessHours.weekdays(holidays=frame)


def test_holiday_with_time_message_names_the_index() -> None:
    message = "holidays must be dates without a time of day; got 2024-12-25T10:00:00 at index 1"
    with pytest.raises(InvalidInputError, match=f"^{re.escape(message)}$"):
        BusinessHours.weekdays(holidays=["2024-12-24", "2024-12-25T10:00"])


def test_holiday_far_from_1970_is_outside_the_years() -> None:
    # The first midnight at or after 2**53 seconds (about 285 million years after 1970): outside
    # the years 1..9999 every timestamp must fall in.
    midnight = -(-(2**53) // 86_400) * 86_400
    holidays = np.array([midnight, midnight + 1], dtype="datetime64[s]")
    with pytest.raises(
        InvalidInputError, match=r"^holidays must be timestamps in years 1\.\.9999; got .* at index 0$"
    ):
        BusinessHours.weekdays(holidays=holidays)


def test_every_day_keeps_its_holidays() -> None:
    calendar = BusinessHours.every_day(holidays=["2024-12-25"])
    assert list(calendar.holidays) == [np.datetime64("2024-12-25")]
    # Round the clock, closed on the 25th: 24th 12:00 to 26th 12:00 is 12 h + 12 h.
    assert business_seconds("2024-12-24T12:00", "2024-12-26T12:00", calendar=calendar) == 24 * HOUR


def test_monday_holiday() -> None:
    # 2024-05-13 is a Monday holiday; Mon-Fri 09:00-17:00.
    calendar = BusinessHours.weekdays(holidays=["2024-05-13"])
    start = _stamps("2024-05-13T10:00", "2024-05-10T16:00", "2024-05-13T10:00")
    end = _stamps("2024-05-14T10:00", "2024-05-13T12:00", "2024-05-13T16:00")
    expected = [
        1 * HOUR,  # Monday is closed; Tuesday 09:00-10:00
        1 * HOUR,  # Friday 16:00-17:00; Monday is closed
        0.0,  # both instants on the holiday
    ]
    assert business_seconds(start, end, calendar=calendar).tolist() == expected
    assert calendar.is_open(_stamps("2024-05-13T10:00", "2024-05-14T10:00")).tolist() == [False, True]


def test_last_of_several_holidays() -> None:
    # Wednesday 25th and Thursday 26th December 2024 closed; Mon-Fri 09:00-17:00.
    calendar = BusinessHours.weekdays(holidays=["2024-12-25", "2024-12-26"])
    start = _stamps("2024-12-26T12:00", "2024-12-24T16:00", "2024-12-26T09:00")
    end = _stamps("2024-12-27T10:00", "2024-12-26T12:00", "2024-12-26T17:00")
    expected = [
        1 * HOUR,  # the 26th is closed; Friday 09:00-10:00
        1 * HOUR,  # Tuesday 16:00-17:00; the 25th and 26th are closed
        0.0,  # a whole working day on the last holiday
    ]
    assert business_seconds(start, end, calendar=calendar).tolist() == expected
    stamps = _stamps("2024-12-25T12:00", "2024-12-26T12:00", "2024-12-27T12:00")
    assert calendar.is_open(stamps).tolist() == [False, False, True]


@pytest.mark.parametrize(
    ("calendar", "day"),
    [
        # 9999-12-31 is a Friday (datetime.date(9999, 12, 31).weekday() == 4): about 6e16 open
        # microseconds after the origin with 40 h a week, far beyond float64's 2**53 ~ 9e15.
        pytest.param(WEEKDAYS_9_TO_5, "9999-12-31", id="weekdays-9999"),
        # 2500-01-01 (a Friday): about 1.7e16 microseconds after the origin round the clock.
        pytest.param(BusinessHours.every_day(), "2500-01-01", id="every-day-2500"),
    ],
)
def test_microsecond_exact_far_from_1970(calendar: BusinessHours, day: str) -> None:
    # Integer microseconds are exact everywhere datetime64[us] reaches; float64 would round
    # to multiples of 2-8 us here.
    start = _stamps(f"{day}T16:59:59.999997", f"{day}T10:00:00.000001")
    end = _stamps(f"{day}T16:59:59.999999", f"{day}T10:00:00.000004")
    assert business_seconds(start, end, calendar=calendar).tolist() == [2e-6, 3e-6]


def test_is_open_is_exact_to_the_microsecond_far_from_1970() -> None:
    stamps = _stamps("9999-12-31T16:59:59.999999", "9999-12-31T17:00", "9999-12-31T08:59:59.999999")
    assert WEEKDAYS_9_TO_5.is_open(stamps).tolist() == [True, False, False]


@pytest.mark.parametrize(
    "calendar",
    [
        pytest.param(BusinessHours(schedule={}), id="closed"),
        pytest.param(BusinessHours(schedule={}, holidays=["2024-05-13"]), id="closed-with-holiday"),
    ],
)
def test_is_open_on_a_closed_calendar(calendar: BusinessHours) -> None:
    result = calendar.is_open(_stamps("2024-05-13T10:00", "2024-05-14T10:00"))
    assert result.dtype == np.bool_
    assert result.tolist() == [False, False]


@pytest.mark.parametrize(
    ("timestamps", "error", "message"),
    [
        pytest.param(
            ["NaT"], InvalidInputError, "timestamps must not contain NaT; got NaT at index 0", id="nat"
        ),
        pytest.param(
            ["2024-05-13T10:00", "tomorrow"],
            InvalidInputError,
            "timestamps must be timestamps (datetime64 or ISO 8601 strings); got 'tomorrow' at index 1",
            id="unparseable",
        ),
        pytest.param(None, InvalidTypeError, "timestamps must be array-like; got None", id="none"),
    ],
)
def test_is_open_bad_input_names_the_argument(timestamps: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        WEEKDAYS_9_TO_5.is_open(timestamps)


def test_business_seconds_exact_messages() -> None:
    message = "calendar must be a BusinessHours calendar; got dict"
    with pytest.raises(InvalidTypeError, match=f"^{re.escape(message)}$"):
        business_seconds([MONDAY], [MONDAY], calendar={"mon": ("09:00", "17:00")})
    message = "ends must have the same length as starts (2); got length 1"
    with pytest.raises(InvalidInputError, match=f"^{re.escape(message)}$"):
        business_seconds([MONDAY, MONDAY], [MONDAY], calendar=WEEKDAYS_9_TO_5)


def test_one_scalar_and_one_array_give_an_array() -> None:
    # A float only when both arguments are single timestamps.
    for start, end in [(MONDAY, ["2024-05-13T11:00"]), ([MONDAY], "2024-05-13T11:00")]:
        result = business_seconds(start, end, calendar=WEEKDAYS_9_TO_5)
        assert isinstance(result, np.ndarray)
        assert result.tolist() == [HOUR]


def test_elapsed_microseconds_without_a_calendar_is_calendar_time() -> None:
    start = np.array([10, 1_000_000], dtype=np.int64)
    end = np.array([25, 4_000_000], dtype=np.int64)
    assert elapsed_microseconds(start, end, None).tolist() == [15, 3_000_000]
    # With a calendar: Friday 16:30 to Monday 09:30 is 1 h = 3.6e9 us.
    stamps = _stamps("2024-05-10T16:30", "2024-05-13T09:30").astype(np.int64)
    assert elapsed_microseconds(stamps[:1], stamps[1:], WEEKDAYS_9_TO_5).tolist() == [3_600_000_000]


def test_check_not_before_checks_only_the_rows_in_where() -> None:
    start = _stamps("2024-05-13T10:00", "2024-05-13T10:00", "2024-05-13T10:00")
    end = _stamps("2024-05-13T09:00", "2024-05-13T11:00", "2024-05-13T10:00")
    # Row 0 ends before it starts but is not checked; rows 1 and 2 are in order.
    check_not_before(start, end, "created", "resolved", where=np.array([False, True, True]))
    message = "resolved must not be before created; got 2024-05-13T09:00:00.000000 before created"
    with pytest.raises(InvalidInputError, match=re.escape(message)):
        check_not_before(start, end, "created", "resolved", where=np.array([True, True, False]))
