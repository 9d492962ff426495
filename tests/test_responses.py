"""Tests of first response time, reply times and resolution time.

Hand-computed values carry their arithmetic in comments; published examples are
cited next to them; slow per-row / per-conversation references written in plain
Python check the vectorised implementations on random data.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cskpi import (
    BusinessHours,
    DurationTotals,
    Grouped,
    InvalidInputError,
    InvalidTypeError,
    ReplyTimes,
    ResolutionTime,
    ResponseTime,
    UndefinedMetricWarning,
    business_seconds,
    first_response_time,
    reply_times,
    resolution_time,
)
from helpers import read_only

MINUTE, HOUR = 60.0, 3600.0
WEEKDAYS_9_TO_5 = BusinessHours.weekdays("09:00", "17:00")


def _stamps(*values: str | None) -> np.ndarray:
    return np.array(["NaT" if v is None else v for v in values], dtype="datetime64[s]")


def _warns_if(flag: bool) -> Any:
    """``pytest.warns(UndefinedMetricWarning)`` when ``flag``, else a context that checks nothing."""
    return pytest.warns(UndefinedMetricWarning) if flag else contextlib.nullcontext()


def _inverted_cdf(values: list[float], q: float) -> float:
    return float(np.quantile(np.asarray(values, dtype=np.float64), q, method="inverted_cdf"))


# --------------------------------------------------------------------------- first response time


def test_first_response_time_hand_computed() -> None:
    created = _stamps("2024-05-13T09:00", "2024-05-13T10:00", "2024-05-13T11:00", "2024-05-13T12:00")
    replied = _stamps("2024-05-13T09:10", "2024-05-13T10:30", "2024-05-13T12:00", None)
    result = first_response_time(created, replied)
    assert isinstance(result, ResponseTime)
    # Answered after 10, 30 and 60 minutes; the fourth ticket has no reply yet.
    assert result.n == 3
    assert result.n_unanswered == 1
    assert result.unanswered_rate == 0.25  # 1 / 4
    assert result.mean_seconds == pytest.approx((10 + 30 + 60) / 3 * MINUTE)
    assert result.median_seconds == 30 * MINUTE  # ceil(0.5 * 3) = 2nd smallest
    assert result.p90_seconds == 60 * MINUTE  # ceil(0.9 * 3) = 3rd smallest
    assert result.totals == DurationTotals(n=3, n_open=1, total_seconds=100 * MINUTE, calendar=None)
    assert result.calendar is None
    assert result.labels is None


def test_first_response_time_issue_example_in_business_hours() -> None:
    # The issue: created Friday 16:30, answered Monday 09:30, Mon-Fri 09:00-17:00 -> 1 business hour
    # (calendar time: 2 days 17 h = 65 h).
    created, replied = _stamps("2024-05-10T16:30"), _stamps("2024-05-13T09:30")
    assert first_response_time(created, replied, calendar=WEEKDAYS_9_TO_5).mean_seconds == HOUR
    assert first_response_time(created, replied).mean_seconds == 65 * HOUR


def test_first_response_time_published_keeping_example() -> None:
    # Keeping, "Calculating First Response Time": arrives 6:00 pm, answered 8 am the next day,
    # schedule starting at 7 am -> 1 hour; without a schedule 14 hours.
    created, replied = _stamps("2024-05-14T18:00"), _stamps("2024-05-15T08:00")
    calendar = BusinessHours.weekdays("07:00", "17:00")
    assert first_response_time(created, replied, calendar=calendar).median_seconds == HOUR
    assert first_response_time(created, replied).median_seconds == 14 * HOUR


def test_first_response_time_grouped_hand_computed() -> None:
    created = _stamps(*["2024-05-13T09:00"] * 6)
    replied = _stamps(
        "2024-05-13T09:05",  # chat 5 min
        "2024-05-13T09:15",  # chat 15 min
        "2024-05-13T11:00",  # email 2 h
        None,  # email unanswered
        "2024-05-13T13:00",  # email 4 h
        None,  # phone unanswered
    )
    team = ["chat", "chat", "email", "email", "email", "phone"]
    with pytest.warns(UndefinedMetricWarning, match="first response time percentiles are undefined"):
        result = first_response_time(created, replied, by=team)
    assert isinstance(result.totals, Grouped)
    assert result.labels.tolist() == ["chat", "email", "phone"]
    assert result.n.tolist() == [2, 2, 0]
    assert result.n_unanswered.tolist() == [0, 1, 1]
    np.testing.assert_array_equal(result.median_seconds, [5 * MINUTE, 2 * HOUR, np.nan])
    np.testing.assert_array_equal(result.p90_seconds, [15 * MINUTE, 4 * HOUR, np.nan])
    with pytest.warns(UndefinedMetricWarning):
        mean = result.mean_seconds
    np.testing.assert_array_equal(mean, [10 * MINUTE, 3 * HOUR, np.nan])  # (5+15)/2, (2+4)/2
    assert result.totals["email"] == DurationTotals(n=2, n_open=1, total_seconds=6 * HOUR, calendar=None)


def test_first_response_time_several_keys() -> None:
    created = _stamps(*["2024-05-13T09:00"] * 3)
    replied = _stamps("2024-05-13T09:01", "2024-05-13T09:02", "2024-05-13T09:03")
    result = first_response_time(created, replied, by=(["a", "a", "b"], [1, 2, 1]))
    assert result.totals.keys() == [("a", 1), ("a", 2), ("b", 1)]
    assert result.median_seconds.tolist() == [60.0, 120.0, 180.0]


def test_all_unanswered_is_undefined() -> None:
    with pytest.warns(UndefinedMetricWarning):
        result = first_response_time(_stamps("2024-05-13T09:00"), _stamps(None))
    assert result.n == 0 and result.n_unanswered == 1
    assert np.isnan(result.median_seconds) and np.isnan(result.p90_seconds)
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(result.mean_seconds)


def test_empty_input_is_undefined() -> None:
    empty = np.array([], dtype="datetime64[s]")
    with pytest.warns(UndefinedMetricWarning):
        result = first_response_time(empty, empty)
    assert result.n == 0 and result.n_unanswered == 0
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(result.totals.open_rate)


def test_reply_at_creation_is_zero() -> None:
    result = first_response_time(_stamps("2024-05-13T09:00"), _stamps("2024-05-13T09:00"))
    assert result.median_seconds == 0.0


def test_accepts_strings_pandas_like_and_read_only_inputs() -> None:
    created = read_only(_stamps("2024-05-13T09:00", "2024-05-13T10:00"))
    replied = read_only(_stamps("2024-05-13T09:30", None))

    class SeriesLike:
        def __init__(self, values: np.ndarray) -> None:
            self.values = values

        def to_numpy(self) -> np.ndarray:
            return self.values

    from_arrays = first_response_time(created, replied)
    from_strings = first_response_time(["2024-05-13T09:00", "2024-05-13T10:00"], ["2024-05-13T09:30", "NaT"])
    from_series = first_response_time(SeriesLike(created), SeriesLike(replied))
    assert from_arrays == from_strings == from_series
    assert created.tolist() == _stamps("2024-05-13T09:00", "2024-05-13T10:00").tolist()


def test_totals_merge_and_refuse_other_calendars() -> None:
    created = _stamps("2024-05-13T09:00", "2024-05-13T10:00", "2024-05-13T11:00")
    replied = _stamps("2024-05-13T09:10", None, "2024-05-13T11:30")
    whole = first_response_time(created, replied)
    merged = (
        first_response_time(created[:1], replied[:1]).totals
        + first_response_time(created[1:], replied[1:]).totals
    )
    assert merged == whole.totals
    business = first_response_time(created, replied, calendar=WEEKDAYS_9_TO_5)
    assert business.calendar == WEEKDAYS_9_TO_5
    with pytest.raises(InvalidInputError, match="different calendar"):
        _ = whole.totals + business.totals


def test_percentile_summary_does_not_merge() -> None:
    # The summary holds percentiles: it has no ``+``; only its totals merge.
    result = first_response_time(_stamps("2024-05-13T09:00"), _stamps("2024-05-13T09:10"))
    with pytest.raises(TypeError):
        _ = result + result  # type: ignore[operator]


# --------------------------------------------------------------------------- resolution time


def test_resolution_time_hand_computed() -> None:
    created = _stamps("2024-05-13T09:00", "2024-05-13T09:00", "2024-05-13T09:00", "2024-05-10T16:00")
    resolved = _stamps("2024-05-13T11:00", "2024-05-13T15:00", None, "2024-05-13T10:00")
    result = resolution_time(created, resolved)
    assert isinstance(result, ResolutionTime)
    # 2 h, 6 h and Friday 16:00 -> Monday 10:00 = 66 h; one unresolved.
    assert (result.n, result.n_unresolved) == (3, 1)
    assert result.unresolved_rate == 0.25
    assert result.mean_seconds == pytest.approx((2 + 6 + 66) / 3 * HOUR)
    assert result.median_seconds == 6 * HOUR
    # In business hours the last ticket took Friday 16-17 + Monday 9-10 = 2 h: 2, 6, 2 -> mean 10/3 h.
    business = resolution_time(created, resolved, calendar=WEEKDAYS_9_TO_5)
    assert business.mean_seconds == pytest.approx(10 / 3 * HOUR)
    assert business.median_seconds == 2 * HOUR
    assert business.p90_seconds == 6 * HOUR


# --------------------------------------------------------------------------- shared properties


DURATION_FUNCTIONS: list[tuple[str, Callable[..., Any], str]] = [
    ("first_response_time", first_response_time, "first_reply"),
    ("resolution_time", resolution_time, "resolved"),
]

_BASE_S = 19_858 * 86_400  # 2024-05-13 00:00 (a Monday)


@st.composite
def tickets(draw: Any, *, min_size: int = 0, max_size: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Creation times within three weeks and end times 0-4 days later, some NaT."""
    n = draw(st.integers(min_size, max_size))
    created = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 21 * 86_400))) + _BASE_S
    waits = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 4 * 86_400)))
    missing = draw(hnp.arrays(np.bool_, n))
    ends = (created + waits).astype("datetime64[s]")
    ends[missing] = np.datetime64("NaT")
    return created.astype("datetime64[s]"), ends


def _reference_summary(
    created: np.ndarray, ended: np.ndarray, calendar: BusinessHours | None
) -> tuple[int, int, list[float]]:
    """Per-row loop: count measured and open rows, list the measured durations."""
    durations = []
    n_open = 0
    for start, end in zip(created, ended, strict=True):
        if np.isnat(end):
            n_open += 1
        elif calendar is None:
            durations.append(float((end - start) / np.timedelta64(1, "s")))
        else:
            durations.append(business_seconds(start, end, calendar=calendar))
    return len(durations), n_open, durations


@pytest.mark.parametrize(
    ("name", "function", "end_name"), DURATION_FUNCTIONS, ids=[f[0] for f in DURATION_FUNCTIONS]
)
@given(data=tickets(min_size=1), business=st.booleans())
def test_matches_per_row_reference(
    name: str,
    function: Callable[..., Any],
    end_name: str,
    data: tuple[np.ndarray, np.ndarray],
    business: bool,
) -> None:
    created, ended = data
    calendar = WEEKDAYS_9_TO_5 if business else None
    n, n_open, durations = _reference_summary(created, ended, calendar)
    if n == 0:
        with pytest.warns(UndefinedMetricWarning):
            result = function(created, ended, calendar=calendar)
        assert np.isnan(result.median_seconds)
        return
    result = function(created, ended, calendar=calendar)
    assert result.n == n
    assert result.totals.n_open == n_open
    assert result.mean_seconds == pytest.approx(sum(durations) / n, rel=1e-12)
    assert result.median_seconds == _inverted_cdf(durations, 0.5)
    assert result.p90_seconds == _inverted_cdf(durations, 0.9)
    assert min(durations) <= result.median_seconds <= result.p90_seconds <= max(durations)


@pytest.mark.parametrize(
    ("name", "function", "end_name"), DURATION_FUNCTIONS, ids=[f[0] for f in DURATION_FUNCTIONS]
)
@given(data=tickets(min_size=1), labels=st.data())
def test_grouped_equals_per_group(
    name: str, function: Callable[..., Any], end_name: str, data: tuple[np.ndarray, np.ndarray], labels: Any
) -> None:
    created, ended = data
    by = labels.draw(hnp.arrays("U1", created.shape[0], elements=st.sampled_from(["a", "b", "c"])))
    with_nan = np.isnat(ended)
    # Any group without a measured duration warns; silence-check only that the values agree.
    if all((~with_nan[by == g]).any() for g in set(by.tolist())):
        grouped = function(created, ended, by=by)
    else:
        with pytest.warns(UndefinedMetricWarning):
            grouped = function(created, ended, by=by)
    for position, label in enumerate(grouped.labels.tolist()):
        mask = by == label
        if (~with_nan[mask]).any():
            single = function(created[mask], ended[mask])
        else:
            with pytest.warns(UndefinedMetricWarning):
                single = function(created[mask], ended[mask])
        assert grouped.totals[label].n == single.n
        assert grouped.totals[label].n_open == single.totals.n_open
        assert grouped.totals[label].total_seconds == pytest.approx(single.totals.total_seconds)
        np.testing.assert_array_equal(grouped.median_seconds[position], single.median_seconds)
        np.testing.assert_array_equal(grouped.p90_seconds[position], single.p90_seconds)


@pytest.mark.parametrize(
    ("name", "function", "end_name"), DURATION_FUNCTIONS, ids=[f[0] for f in DURATION_FUNCTIONS]
)
@given(data=tickets(min_size=2), cut=st.floats(0, 1), order=st.randoms(use_true_random=False))
def test_merge_and_order_invariance(
    name: str,
    function: Callable[..., Any],
    end_name: str,
    data: tuple[np.ndarray, np.ndarray],
    cut: float,
    order: Any,
) -> None:
    created, ended = data
    with _warns_if(bool(np.isnat(ended).all())):
        whole = function(created, ended)
    permutation = list(range(created.shape[0]))
    order.shuffle(permutation)
    if not np.isnat(ended).all():
        assert function(created[permutation], ended[permutation]) == whole
    split = int(cut * created.shape[0])
    parts = []
    for piece in (slice(None, split), slice(split, None)):
        with _warns_if(bool(np.isnat(ended[piece]).all())):
            parts.append(function(created[piece], ended[piece]).totals)
    merged = parts[0] + parts[1]
    assert (merged.n, merged.n_open) == (whole.totals.n, whole.totals.n_open)
    assert merged.total_seconds == pytest.approx(whole.totals.total_seconds)


@given(data=tickets(min_size=1))
def test_business_time_never_exceeds_calendar_time(data: tuple[np.ndarray, np.ndarray]) -> None:
    created, ended = data
    if np.isnat(ended).all():
        return
    calendar_time = first_response_time(created, ended)
    business_time = first_response_time(created, ended, calendar=WEEKDAYS_9_TO_5)
    assert business_time.totals.total_seconds <= calendar_time.totals.total_seconds
    assert business_time.median_seconds <= calendar_time.median_seconds
    assert business_time.p90_seconds <= calendar_time.p90_seconds


# --------------------------------------------------------------------------- bad input

GOOD = ["2024-05-13T09:00", "2024-05-13T10:00"]
LATER = ["2024-05-13T09:30", "2024-05-13T10:30"]

BAD_TICKETS = [
    pytest.param(
        ["NaT", GOOD[1]], LATER, {}, InvalidInputError, "created must not contain NaT", id="nat-created"
    ),
    pytest.param(
        GOOD,
        ["2024-05-13T08:00", LATER[1]],
        {},
        InvalidInputError,
        "must not be before created",
        id="end-before-start",
    ),
    pytest.param(
        GOOD, LATER[:1], {}, InvalidInputError, "must have the same length as created", id="lengths"
    ),
    pytest.param([1.0, 2.0], LATER, {}, InvalidTypeError, "created must be timestamps", id="float-created"),
    pytest.param(GOOD, [True, False], {}, InvalidTypeError, "must be timestamps", id="bool-end"),
    pytest.param([GOOD], [LATER], {}, InvalidInputError, "created must be 1-D", id="2-D"),
    pytest.param(None, LATER, {}, InvalidTypeError, "created must be array-like", id="none"),
    pytest.param(GOOD, ["soon", "later"], {}, InvalidInputError, "must be timestamps", id="unparseable"),
    pytest.param(
        GOOD,
        LATER,
        {"calendar": "09:00-17:00"},
        InvalidTypeError,
        "calendar must be a BusinessHours",
        id="calendar-string",
    ),
    pytest.param(
        GOOD, LATER, {"by": ["a"]}, InvalidInputError, "by must have one label per row", id="by-length"
    ),
    pytest.param(
        GOOD, LATER, {"by": [np.nan, 1.0]}, InvalidInputError, "by must not contain missing labels", id="by-nan"
    ),
]


@pytest.mark.parametrize(
    ("name", "function", "end_name"), DURATION_FUNCTIONS, ids=[f[0] for f in DURATION_FUNCTIONS]
)
@pytest.mark.parametrize(("created", "ended", "kwargs", "error", "message"), BAD_TICKETS)
def test_bad_ticket_input_raises(
    name: str,
    function: Callable[..., Any],
    end_name: str,
    created: Any,
    ended: Any,
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error) as info:
        function(created, ended, **kwargs)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("name", "function", "end_name"), DURATION_FUNCTIONS, ids=[f[0] for f in DURATION_FUNCTIONS]
)
def test_end_before_start_names_argument_and_index(
    name: str, function: Callable[..., Any], end_name: str
) -> None:
    with pytest.raises(InvalidInputError, match=rf"{end_name} must not be before created; got .* at index 1"):
        function(GOOD + GOOD, [LATER[0], "2024-05-13T08:59", LATER[0], "NaT"])


# --------------------------------------------------------------------------- reply times


def test_reply_times_hand_computed() -> None:
    conversation = ["A", "A", "A", "A", "A", "A", "B", "B", "C", "C"]
    timestamps = _stamps(
        "2024-05-13T09:00",  # A customer
        "2024-05-13T09:05",  # A customer again: still waiting since 09:00
        "2024-05-13T09:20",  # A agent: reply after 20 min (from 09:00)
        "2024-05-13T09:25",  # A agent again: no new measurement
        "2024-05-13T10:00",  # A customer
        "2024-05-13T10:10",  # A agent: 10 min
        "2024-05-13T09:00",  # B agent first (outbound): not a reply
        "2024-05-13T09:30",  # B customer: never answered
        "2024-05-13T11:00",  # C customer
        "2024-05-13T12:30",  # C agent: 90 min
    )
    authors = [
        "customer",
        "customer",
        "agent",
        "agent",
        "customer",
        "agent",
        "agent",
        "customer",
        "customer",
        "agent",
    ]
    result = reply_times(conversation, timestamps, authors)
    assert isinstance(result, ReplyTimes)
    assert result.conversations.tolist() == ["A", "B", "C"]
    per = result.per_conversation
    assert per.n.tolist() == [2, 0, 1]
    assert per.n_unanswered.tolist() == [0, 1, 0]
    np.testing.assert_array_equal(
        per.median_seconds, [10 * MINUTE, np.nan, 90 * MINUTE]
    )  # A: ceil(0.5*2)=1st of 10,20
    np.testing.assert_array_equal(per.p90_seconds, [20 * MINUTE, np.nan, 90 * MINUTE])
    with pytest.warns(UndefinedMetricWarning):
        np.testing.assert_array_equal(per.mean_seconds, [15 * MINUTE, np.nan, 90 * MINUTE])
    np.testing.assert_array_equal(result.first_reply_seconds, [20 * MINUTE, np.nan, 90 * MINUTE])
    # First reply over conversations: A 20 min, C 90 min, B unanswered.
    assert (result.first_reply.n, result.first_reply.n_unanswered) == (2, 1)
    assert result.first_reply.mean_seconds == 55 * MINUTE  # (20 + 90) / 2
    assert result.first_reply.median_seconds == 20 * MINUTE
    # All replies pooled: 20, 10, 90 minutes and one unanswered turn.
    assert (result.all_replies.n, result.all_replies.n_unanswered) == (3, 1)
    assert result.all_replies.mean_seconds == 40 * MINUTE  # (20 + 10 + 90) / 3
    assert result.all_replies.median_seconds == 20 * MINUTE
    assert result.all_replies.p90_seconds == 90 * MINUTE


def test_published_convention_earliest_unanswered_customer_message() -> None:
    # Zoho Desk ("Response time - Cases, Example, and Important Notes") measures a response from
    # the earliest customer message yet to be replied; Zendesk's next-reply target starts at the
    # oldest unanswered customer comment. Customer at 10:00 and 10:40, agent at 11:00 -> 60 min, not 20.
    result = reply_times(
        [7, 7, 7],
        _stamps("2024-05-13T10:00", "2024-05-13T10:40", "2024-05-13T11:00"),
        ["customer", "customer", "agent"],
    )
    assert result.all_replies.median_seconds == 60 * MINUTE


def test_reply_times_unsorted_input_and_boolean_authors() -> None:
    timestamps = _stamps("2024-05-13T09:20", "2024-05-13T12:30", "2024-05-13T09:00", "2024-05-13T11:00")
    conversation = np.array([1, 2, 1, 2])
    is_agent = np.array([True, True, False, False])
    result = reply_times(conversation, timestamps, is_agent)
    as_strings = reply_times(conversation, timestamps, np.where(is_agent, "agent", "customer"))
    assert result == as_strings
    assert result.first_reply_seconds.tolist() == [20 * MINUTE, 90 * MINUTE]


def test_reply_times_exclude_drops_bot_and_notes() -> None:
    timestamps = _stamps("2024-05-13T09:00", "2024-05-13T09:00:05", "2024-05-13T09:10", "2024-05-13T09:30")
    authors = ["customer", "agent", "agent", "agent"]  # bot auto-reply, internal note, human reply
    bot_or_note = [False, True, True, False]
    with_bots = reply_times([1] * 4, timestamps, authors)
    without = reply_times([1] * 4, timestamps, authors, exclude=bot_or_note)
    assert with_bots.first_reply_seconds.tolist() == [5.0]
    assert without.first_reply_seconds.tolist() == [30 * MINUTE]


def test_reply_times_in_business_hours() -> None:
    # Customer writes Friday 16:30, agent replies Monday 09:30: 1 business hour (the issue's example).
    result = reply_times(
        ["t1", "t1"],
        _stamps("2024-05-10T16:30", "2024-05-13T09:30"),
        ["customer", "agent"],
        calendar=WEEKDAYS_9_TO_5,
    )
    assert result.first_reply.median_seconds == HOUR
    assert result.all_replies.calendar == WEEKDAYS_9_TO_5


def test_reply_times_equal_timestamps_keep_input_order() -> None:
    same = _stamps("2024-05-13T09:00", "2024-05-13T09:00")
    answered = reply_times([1, 1], same, ["customer", "agent"])
    assert answered.first_reply_seconds.tolist() == [0.0]
    with pytest.warns(UndefinedMetricWarning):
        unanswered = reply_times([1, 1], same, ["agent", "customer"])
    assert unanswered.first_reply.n_unanswered == 1


def test_reply_times_conversation_without_customer_message() -> None:
    # Conversation 2 has only agent messages: no turn, so it is in neither overall summary.
    result = reply_times(
        [1, 1, 2],
        _stamps("2024-05-13T09:00", "2024-05-13T09:01", "2024-05-13T09:00"),
        ["customer", "agent", "agent"],
    )
    assert result.conversations.tolist() == [1, 2]
    assert result.per_conversation.n.tolist() == [1, 0]
    assert result.per_conversation.n_unanswered.tolist() == [0, 0]
    assert (result.first_reply.n, result.first_reply.n_unanswered) == (1, 0)


def test_reply_times_empty_table_is_undefined() -> None:
    with pytest.warns(UndefinedMetricWarning):
        result = reply_times(
            np.array([], dtype=np.int64), np.array([], dtype="datetime64[s]"), np.array([], dtype=bool)
        )
    assert result.conversations.shape == (0,)
    assert result.all_replies.n == 0
    assert np.isnan(result.all_replies.median_seconds)


def test_reply_times_read_only_inputs() -> None:
    ids = read_only([1, 1])
    timestamps = read_only(_stamps("2024-05-13T09:00", "2024-05-13T09:01"))
    authors = read_only(["customer", "agent"])
    exclude = read_only([False, False])
    assert reply_times(ids, timestamps, authors, exclude=exclude).first_reply_seconds.tolist() == [60.0]


def _reference_reply_gaps(
    ids: list[int], stamps: list[int], agent: list[bool]
) -> dict[int, tuple[list[float], int]]:
    """Per conversation: walk its messages in time order and record each wait (plain Python)."""
    result: dict[int, tuple[list[float], int]] = {}
    for conversation in sorted(set(ids)):
        rows = sorted((stamps[i], i) for i in range(len(ids)) if ids[i] == conversation)
        gaps: list[float] = []
        waiting_since: int | None = None
        for stamp, i in rows:
            if not agent[i] and waiting_since is None:
                waiting_since = stamp
            elif agent[i] and waiting_since is not None:
                gaps.append(float(stamp - waiting_since))
                waiting_since = None
        result[conversation] = (gaps, int(waiting_since is not None))
    return result


@st.composite
def conversation_tables(draw: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 60))
    ids = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 6)))
    stamps = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 5_000)))  # ties are likely
    agent = draw(hnp.arrays(np.bool_, n))
    return ids, stamps, agent


@given(table=conversation_tables())
def test_reply_times_match_reference(table: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    ids, stamps, agent = table
    reference = _reference_reply_gaps(ids.tolist(), stamps.tolist(), agent.tolist())
    all_gaps = [gap for gaps, _ in reference.values() for gap in gaps]
    first_gaps = [gaps[0] for gaps, _ in reference.values() if gaps]
    with_turns = [c for c, (gaps, open_) in reference.items() if gaps or open_]
    expect_warning = not all_gaps or not first_gaps
    timestamps = (stamps + _BASE_S).astype("datetime64[s]")
    if expect_warning:
        with pytest.warns(UndefinedMetricWarning):
            result = reply_times(ids, timestamps, agent)
    else:
        result = reply_times(ids, timestamps, agent)
    assert result.conversations.tolist() == sorted(reference)
    per = result.per_conversation
    for position, conversation in enumerate(result.conversations.tolist()):
        gaps, unanswered = reference[conversation]
        assert per.n[position] == len(gaps)
        assert per.n_unanswered[position] == unanswered
        if gaps:
            assert per.totals.total_seconds[position] == pytest.approx(sum(gaps))
            assert per.median_seconds[position] == _inverted_cdf(gaps, 0.5)
            assert per.p90_seconds[position] == _inverted_cdf(gaps, 0.9)
            # The first turn is answered exactly when its gap is the first one listed and it was not
            # the only (open) turn; the reference lists answered gaps in order.
            assert result.first_reply_seconds[position] == gaps[0]
        else:
            assert np.isnan(per.median_seconds[position])
            assert np.isnan(result.first_reply_seconds[position])
    assert result.all_replies.n == len(all_gaps)
    assert result.all_replies.n_unanswered == sum(open_ for _, open_ in reference.values())
    assert result.first_reply.n + result.first_reply.n_unanswered == len(with_turns)
    assert result.first_reply.n == len(first_gaps)
    if all_gaps:
        assert result.all_replies.median_seconds == _inverted_cdf(all_gaps, 0.5)
        assert result.all_replies.p90_seconds == _inverted_cdf(all_gaps, 0.9)
        assert result.all_replies.totals.total_seconds == pytest.approx(sum(all_gaps))
    if first_gaps:
        assert result.first_reply.median_seconds == _inverted_cdf(first_gaps, 0.5)


@given(table=conversation_tables(), order=st.randoms(use_true_random=False))
def test_reply_times_invariant_to_row_order_with_distinct_times(
    table: tuple[np.ndarray, np.ndarray, np.ndarray], order: Any
) -> None:
    ids, _, agent = table
    stamps = (np.arange(ids.shape[0]) * 7 + _BASE_S).astype("datetime64[s]")  # distinct instants
    permutation = list(range(ids.shape[0]))
    order.shuffle(permutation)
    unanswerable = _needs_warning(ids, agent)
    with _warns_if(unanswerable):
        first = reply_times(ids, stamps, agent)
    with _warns_if(unanswerable):
        second = reply_times(ids[permutation], stamps[permutation], agent[permutation])
    assert first == second


def _needs_warning(ids: np.ndarray, agent: np.ndarray) -> bool:
    reference = _reference_reply_gaps(ids.tolist(), list(range(ids.shape[0])), agent.tolist())
    return not any(gaps for gaps, _ in reference.values())


BAD_CONVERSATIONS = [
    pytest.param(
        [1, 1],
        GOOD,
        ["customer", "bot"],
        {},
        InvalidInputError,
        "authors must be 'customer' or 'agent'",
        id="unknown-author",
    ),
    pytest.param(
        [1, 1], GOOD, ["Customer", "agent"], {}, InvalidInputError, "authors must be", id="capitalised"
    ),
    pytest.param([1, 1], GOOD, [0, 1], {}, InvalidTypeError, "authors must be the strings", id="int-authors"),
    pytest.param(
        [1, 1],
        GOOD,
        ["customer"],
        {},
        InvalidInputError,
        "authors must have the same length",
        id="authors-length",
    ),
    pytest.param(
        [1, 1],
        GOOD[:1],
        ["customer", "agent"],
        {},
        InvalidInputError,
        "timestamps must have the same length",
        id="timestamps-length",
    ),
    pytest.param(
        [1, 1],
        ["NaT", GOOD[1]],
        ["customer", "agent"],
        {},
        InvalidInputError,
        "timestamps must not contain NaT",
        id="nat",
    ),
    pytest.param(
        [1, 1],
        [1.0, 2.0],
        ["customer", "agent"],
        {},
        InvalidTypeError,
        "timestamps must be timestamps",
        id="float-timestamps",
    ),
    pytest.param(
        [np.nan, 1.0],
        GOOD,
        ["customer", "agent"],
        {},
        InvalidInputError,
        "conversation_ids must not contain missing labels",
        id="nan-id",
    ),
    pytest.param(
        [[1, 1]],
        [GOOD],
        [["customer", "agent"]],
        {},
        InvalidInputError,
        "conversation_ids must be 1-D",
        id="2-D",
    ),
    pytest.param(
        None,
        GOOD,
        ["customer", "agent"],
        {},
        InvalidTypeError,
        "conversation_ids must be array-like",
        id="none",
    ),
    pytest.param(
        [1, 1],
        GOOD,
        ["customer", "agent"],
        {"exclude": [0, 1]},
        InvalidTypeError,
        "exclude must be a boolean mask",
        id="exclude-ints",
    ),
    pytest.param(
        [1, 1],
        GOOD,
        ["customer", "agent"],
        {"exclude": [True]},
        InvalidInputError,
        "exclude must have the same length",
        id="exclude-length",
    ),
    pytest.param(
        [1, 1],
        GOOD,
        ["customer", "agent"],
        {"calendar": 8},
        InvalidTypeError,
        "calendar must be a BusinessHours",
        id="calendar-int",
    ),
]


@pytest.mark.parametrize(("ids", "timestamps", "authors", "kwargs", "error", "message"), BAD_CONVERSATIONS)
def test_bad_conversation_input_raises(
    ids: Any, timestamps: Any, authors: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        reply_times(ids, timestamps, authors, **kwargs)
    assert message in str(info.value)


def test_unknown_author_message_names_value_and_index() -> None:
    with pytest.raises(InvalidInputError, match=r"got 'system' at index 2"):
        reply_times([1, 1, 1], GOOD + GOOD[:1], ["customer", "agent", "system"])
