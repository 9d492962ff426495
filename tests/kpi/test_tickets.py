"""Tests for open cases, backlog, ticket flow, resolution rate, FCR and reopen rate (cskpi._kpi.tickets)."""

from __future__ import annotations

import datetime
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cskpi
from cskpi import (
    BusinessHours,
    Grouped,
    InvalidInputError,
    InvalidTypeError,
    UndefinedMetricWarning,
    backlog,
    business_seconds,
    fcr_repeat_contact,
    fcr_single_reply,
    open_cases,
    reopen_rate,
    resolution_rate,
    ticket_flow,
)
from cskpi._kpi import tickets as tickets_module
from helpers import read_only

BASE = np.datetime64("2024-05-06T00:00", "s")  # a Monday
NAT = np.datetime64("NaT", "s")
HOUR = 3600
DAY = 86_400


def at(*seconds: float | None) -> np.ndarray:
    """Timestamps ``BASE + s`` (None = NaT)."""
    return np.array([NAT if s is None else BASE + np.timedelta64(int(s), "s") for s in seconds])


# --------------------------------------------------------------------------- strategies (own file)


@st.composite
def tickets(draw: st.DrawFn, max_size: int = 30, span: int = 10 * DAY) -> dict[str, np.ndarray]:
    """Tickets with creation in ``[0, span)`` seconds after BASE on a coarse grid (ties are
    likely), resolution after creation or NaT, and a group label 0..2."""
    n = draw(st.integers(0, max_size))
    grid = draw(st.sampled_from([1, 60, HOUR, 4 * HOUR]))
    created = np.array(draw(st.lists(st.integers(0, span // grid), min_size=n, max_size=n)), dtype=np.int64)
    lengths = draw(st.lists(st.one_of(st.none(), st.integers(0, 3 * DAY // grid)), min_size=n, max_size=n))
    resolved = np.array(
        [
            NAT if d is None else BASE + np.timedelta64(int((c + d) * grid), "s")
            for c, d in zip(created, lengths, strict=True)
        ],
        dtype="datetime64[s]",
    )
    groups = np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)), dtype=np.int64)
    return {"created": BASE + (created * grid).astype("timedelta64[s]"), "resolved": resolved, "by": groups}


def instants(draw: st.DrawFn, span: int = 14 * DAY) -> np.ndarray:
    values = draw(st.lists(st.integers(-DAY // HOUR, span // HOUR), min_size=1, max_size=12))
    return BASE + (np.array(values, dtype=np.int64) * HOUR).astype("timedelta64[s]")


# --------------------------------------------------------------------------- slow references


def open_reference(created: np.ndarray, resolved: np.ndarray, moments: np.ndarray) -> np.ndarray:
    """Obvious loop: open at t iff created < t <= resolved (NaT = still open)."""
    out = []
    for t in moments:
        count = 0
        for c, r in zip(created, resolved, strict=True):
            if c < t and (np.isnat(r) or t <= r):
                count += 1
        out.append(count)
    return np.array(out, dtype=np.int64)


def backlog_reference(created, resolved, moments, limit_seconds, calendar=None) -> np.ndarray:
    """Obvious loop: open at t and age (calendar or business seconds) >= limit."""
    out = []
    for t in moments:
        count = 0
        for c, r in zip(created, resolved, strict=True):
            if not (c < t and (np.isnat(r) or t <= r)):
                continue
            age = (
                (t - c) / np.timedelta64(1, "s")
                if calendar is None
                else business_seconds(c, t, calendar=calendar)
            )
            if age >= limit_seconds:
                count += 1
        out.append(count)
    return np.array(out, dtype=np.int64)


# --------------------------------------------------------------------------- open cases


class TestOpenCases:
    def test_hand_computed(self):
        # A open 09:00-11:00, B 10:00-still open, C 10:30-10:45.
        created = at(9 * HOUR, 10 * HOUR, 10.5 * HOUR)
        resolved = at(11 * HOUR, None, 10.75 * HOUR)
        moments = at(8 * HOUR, 9 * HOUR, 9.5 * HOUR, 10.6 * HOUR, 10.75 * HOUR, 11 * HOUR, 12 * HOUR)
        # 08:00: none. 09:00: A created at this instant, not yet counted (0). 09:30: A (1).
        # 10:36: A, B, C (3). 10:45: C resolved at this instant, still counted (3).
        # 11:00: A still counted, C gone: A, B (2). 12:00: B (1).
        assert open_cases(created, resolved, moments).n_open.tolist() == [0, 0, 1, 3, 3, 2, 1]

    def test_little_sample_path(self):
        # Little (1961), sample-path form: the time integral of the number open equals the total time
        # spent open, Σ (resolved - created), for tickets inside the window. Tickets open 2 h, 30 min
        # and 5 h: 7.5 h = 450 minutes; sampling open_cases at every minute sums to 450.
        created = at(0, HOUR, 2 * HOUR)
        resolved = at(2 * HOUR, 1.5 * HOUR, 7 * HOUR)
        minutes = BASE + np.arange(1, 8 * 60 + 1).astype("timedelta64[m]")
        assert open_cases(created, resolved, minutes).n_open.sum() == 120 + 30 + 300

    def test_instant_order_is_kept_and_single_instant(self):
        created, resolved = at(0, HOUR), at(2 * HOUR, None)
        result = open_cases(created, resolved, at(3 * HOUR, HOUR / 2, 1.5 * HOUR))
        assert result.n_open.tolist() == [1, 1, 2]
        assert (
            result.instants.tolist() == at(3 * HOUR, HOUR / 2, 1.5 * HOUR).astype("datetime64[us]").tolist()
        )
        assert open_cases(created, resolved, "2024-05-06T01:30").n_open.tolist() == [2]

    def test_grouped(self):
        created, resolved = at(0, 0, HOUR), at(None, HOUR, None)
        grouped = open_cases(created, resolved, at(HOUR / 2, 2 * HOUR), by=["a", "b", "a"])
        assert isinstance(grouped, Grouped)
        # a: ticket 0 open from 0 (both instants), ticket 2 from 1 h (second instant): [1, 2]; b: [1, 0].
        assert grouped.n_open.tolist() == [[1, 2], [1, 0]]
        assert grouped["a"].n_open.tolist() == [1, 2]

    def test_empty_tickets(self):
        result = open_cases(np.array([], dtype="datetime64[s]"), np.array([], dtype="datetime64[s]"), at(0))
        assert result.n_open.tolist() == [0]

    def test_mixed_units_and_strings(self):
        created = np.array(["2024-05-06T09:00:00.000000001"], dtype="datetime64[ns]")
        resolved = np.array(["2024-05-06T10"], dtype="datetime64[h]")
        assert open_cases(created, resolved, ["2024-05-06T09:30"]).n_open.tolist() == [1]

    def test_pandas_and_polars_columns(self):
        pd = pytest.importorskip("pandas")
        created = pd.Series(pd.to_datetime(["2024-05-06 09:00", "2024-05-06 10:00"]))
        resolved = pd.Series(pd.to_datetime(["2024-05-06 11:00", None]))
        assert open_cases(
            created, resolved, pd.Series(pd.to_datetime(["2024-05-06 10:30"]))
        ).n_open.tolist() == [2]
        pl = pytest.importorskip("polars")
        created_pl = pl.Series([datetime.datetime(2024, 5, 6, 9), datetime.datetime(2024, 5, 6, 10)])
        resolved_pl = pl.Series([datetime.datetime(2024, 5, 6, 11), None], dtype=pl.Datetime("us"))
        assert open_cases(created_pl, resolved_pl, ["2024-05-06T10:30"]).n_open.tolist() == [2]

    def test_read_only_inputs(self):
        created, resolved = read_only(at(0, HOUR)), read_only(at(2 * HOUR, None))
        result = open_cases(created, resolved, read_only(at(HOUR * 1.5)), by=read_only([1, 2]))
        assert result.n_open.tolist() == [[1], [1]]

    @given(data=st.data())
    def test_matches_reference(self, data):
        t = data.draw(tickets())
        moments = instants(data.draw)
        result = open_cases(t["created"], t["resolved"], moments)
        assert np.array_equal(result.n_open, open_reference(t["created"], t["resolved"], moments))
        assert (result.n_open >= 0).all()

    @given(data=st.data())
    def test_grouped_equals_per_group_and_merge(self, data):
        t = data.draw(tickets())
        moments = instants(data.draw)
        grouped = open_cases(t["created"], t["resolved"], moments, by=t["by"])
        for label, result in grouped.items():
            mask = t["by"] == label
            assert result == open_cases(t["created"][mask], t["resolved"][mask], moments)
        cut = data.draw(st.integers(0, t["by"].shape[0]))
        whole = open_cases(t["created"], t["resolved"], moments)
        parts = open_cases(t["created"][:cut], t["resolved"][:cut], moments) + open_cases(
            t["created"][cut:], t["resolved"][cut:], moments
        )
        assert parts == whole

    def test_merge_needs_same_instants(self):
        a = open_cases(at(0), at(None), at(HOUR))
        b = open_cases(at(0), at(None), at(2 * HOUR))
        with pytest.raises(InvalidInputError, match="instants"):
            _ = a + b


# --------------------------------------------------------------------------- backlog


class TestBacklog:
    def test_hand_computed_calendar(self):
        # Tickets created at 0 h (open), 10 h (resolved at 60 h), 40 h (open); limit 48 h.
        created, resolved = at(0, 10 * HOUR, 40 * HOUR), at(None, 60 * HOUR, None)
        moments = at(47 * HOUR, 48 * HOUR, 58 * HOUR, 60 * HOUR, 61 * HOUR, 88 * HOUR)
        result = backlog(created, resolved, moments, age_limit_seconds=48 * HOUR)
        # 47 h: ages 47, 37, 7 -> 0. 48 h: ticket 0 is exactly 48 h old -> 1. 58 h: ticket 1 is 48 h -> 2.
        # 60 h: ticket 1 resolved at this instant, still counted -> 2. 61 h: -> 1. 88 h: ticket 2 is 48 h -> 2.
        assert result.n_backlog.tolist() == [0, 1, 2, 2, 1, 2]
        assert result.n_open.tolist() == [3, 3, 3, 3, 2, 2]
        assert result.backlog_share.tolist() == [0.0, 1 / 3, 2 / 3, 2 / 3, 0.5, 1.0]

    def test_timedelta_limit(self):
        created, resolved = at(0), at(None)
        for limit in (np.timedelta64(2, "h"), datetime.timedelta(hours=2), 7200):
            assert backlog(created, resolved, at(2 * HOUR), age_limit_seconds=limit).n_backlog.tolist() == [1]

    def test_business_hours(self):
        # Calendar Mon-Fri 09:00-17:00. Ticket created Friday 2024-05-10 10:00 (open) and Friday 16:00
        # (resolved Monday 11:00); limit 8 business hours (one business day).
        calendar = BusinessHours.weekdays("09:00", "17:00")
        created = np.array(["2024-05-10T10:00", "2024-05-10T16:00"], dtype="datetime64[s]")
        resolved = np.array(["NaT", "2024-05-13T11:00"], dtype="datetime64[s]")
        moments = np.array(
            [
                "2024-05-10T17:00",
                "2024-05-11T12:00",
                "2024-05-13T09:59",
                "2024-05-13T10:00",
                "2024-05-13T17:00",
            ],
            dtype="datetime64[s]",
        )
        result = backlog(created, resolved, moments, age_limit_seconds=8 * HOUR, calendar=calendar)
        # Friday 17:00: first ticket 7 business hours old -> 0. Saturday: still 7 -> 0.
        # Monday 09:59: 7 h 59 min -> 0. Monday 10:00: 8 h -> 1; second ticket 2 h old.
        # Monday 17:00: first 15 h; second resolved at 11:00 -> 1.
        assert result.n_backlog.tolist() == [0, 0, 0, 1, 1]
        calendar_time = backlog(created, resolved, moments, age_limit_seconds=8 * HOUR)
        # In calendar time: Friday 17:00 ages 7 h and 1 h -> 0; Saturday 12:00 ages 26 h and 20 h -> 2;
        # Monday 09:59 and 10:00 -> 2; Monday 17:00 the second is resolved -> 1.
        assert calendar_time.n_backlog.tolist() == [0, 2, 2, 2, 1]

    def test_business_hours_stays_in_backlog_over_weekend(self):
        # Reaches exactly 8 business hours at Friday 17:00 and stays at 8 over the weekend (age >= limit).
        calendar = BusinessHours.weekdays("09:00", "17:00")
        created = np.array(["2024-05-10T09:00"], dtype="datetime64[s]")
        resolved = np.array(["2024-05-11T12:00"], dtype="datetime64[s]")
        moments = np.array(
            ["2024-05-10T16:59", "2024-05-10T17:00", "2024-05-11T12:00", "2024-05-11T12:01"],
            dtype="datetime64[s]",
        )
        result = backlog(created, resolved, moments, age_limit_seconds=8 * HOUR, calendar=calendar)
        assert result.n_backlog.tolist() == [0, 1, 1, 0]

    def test_zero_limit_is_open_count(self):
        created, resolved = at(0, HOUR), at(HOUR, None)
        moments = at(0, HOUR, 2 * HOUR)
        calendar = BusinessHours.weekdays()
        for cal in (None, calendar):
            result = backlog(created, resolved, moments, age_limit_seconds=0, calendar=cal)
            assert np.array_equal(result.n_backlog, result.n_open)

    @given(data=st.data())
    def test_matches_reference_calendar(self, data):
        t = data.draw(tickets())
        moments = instants(data.draw)
        limit = data.draw(st.sampled_from([0, 1, HOUR, 48 * HOUR]))
        result = backlog(t["created"], t["resolved"], moments, age_limit_seconds=limit)
        assert np.array_equal(
            result.n_backlog, backlog_reference(t["created"], t["resolved"], moments, limit)
        )
        assert (result.n_backlog >= 0).all() and (result.n_backlog <= result.n_open).all()

    @settings(max_examples=40)
    @given(data=st.data())
    def test_matches_reference_business(self, data):
        t = data.draw(tickets(max_size=12))
        moments = instants(data.draw)
        limit = data.draw(st.sampled_from([1, HOUR, 8 * HOUR, 20 * HOUR]))
        calendar = data.draw(
            st.sampled_from(
                [
                    BusinessHours.weekdays("09:00", "17:00"),
                    BusinessHours(
                        schedule={"mon": [("08:00", "12:00"), ("13:00", "17:00")], "sat": ("10:00", "14:00")},
                        holidays=["2024-05-08"],
                    ),
                ]
            )
        )
        result = backlog(t["created"], t["resolved"], moments, age_limit_seconds=limit, calendar=calendar)
        expected = backlog_reference(t["created"], t["resolved"], moments, limit, calendar)
        assert np.array_equal(result.n_backlog, expected)

    @given(data=st.data())
    def test_monotone_in_limit_grouped_and_merge(self, data):
        t = data.draw(tickets())
        moments = instants(data.draw)
        small, large = sorted(data.draw(st.lists(st.integers(0, 3 * DAY), min_size=2, max_size=2)))
        a = backlog(t["created"], t["resolved"], moments, age_limit_seconds=small)
        b = backlog(t["created"], t["resolved"], moments, age_limit_seconds=large)
        assert (b.n_backlog <= a.n_backlog).all()
        grouped = backlog(t["created"], t["resolved"], moments, age_limit_seconds=small, by=t["by"])
        for label, result in grouped.items():
            mask = t["by"] == label
            assert result == backlog(
                t["created"][mask], t["resolved"][mask], moments, age_limit_seconds=small
            )
        cut = data.draw(st.integers(0, t["by"].shape[0]))
        halves = [
            backlog(t["created"][s], t["resolved"][s], moments, age_limit_seconds=small)
            for s in (slice(None, cut), slice(cut, None))
        ]
        assert halves[0] + halves[1] == a

    def test_merge_needs_same_limit_and_calendar(self):
        a = backlog(at(0), at(None), at(HOUR), age_limit_seconds=60)
        with pytest.raises(InvalidInputError, match="age_limit_seconds"):
            _ = a + backlog(at(0), at(None), at(HOUR), age_limit_seconds=120)
        with pytest.raises(InvalidInputError, match="calendar"):
            _ = a + backlog(
                at(0), at(None), at(HOUR), age_limit_seconds=60, calendar=BusinessHours.weekdays()
            )

    def test_no_open_ticket_share_is_nan_with_warning(self):
        with pytest.warns(UndefinedMetricWarning, match="backlog share"):
            share = backlog(at(0), at(HOUR), at(2 * HOUR), age_limit_seconds=60).backlog_share
        assert np.isnan(share).all()


# --------------------------------------------------------------------------- flow


class TestTicketFlow:
    def test_hand_computed(self):
        # Monday: 09:00 in (out 12:00), 10:00 in (out Tuesday 08:00). Tuesday: 09:00 in (out 15:00).
        created = at(9 * HOUR, 10 * HOUR, DAY + 9 * HOUR)
        resolved = at(12 * HOUR, DAY + 8 * HOUR, DAY + 15 * HOUR)
        flow = ticket_flow(created, resolved, period="day")
        assert flow.n_arrivals.tolist() == [2, 1]  # Monday 2, Tuesday 1
        assert flow.n_resolutions.tolist() == [1, 2]
        assert flow.n_open_at_start.tolist() == [0, 1]  # one Monday ticket carried into Tuesday
        assert flow.net_change.tolist() == [1, -1]
        assert flow.n_open_at_end.tolist() == [1, 0]

    def test_range_and_carry_in(self):
        # A ticket created the week before the range is in the opening balance until resolved.
        created = at(-7 * DAY, DAY, DAY)
        resolved = at(2 * DAY + HOUR, None, 3 * DAY)
        flow = ticket_flow(created, resolved, period="day", start="2024-05-06", end="2024-05-09")
        assert flow.n_open_at_start.tolist() == [1, 1, 3, 2]
        assert flow.n_arrivals.tolist() == [0, 2, 0, 0]
        assert flow.n_resolutions.tolist() == [0, 0, 1, 1]
        assert [str(p) for p in flow.periods] == ["2024-05-06", "2024-05-07", "2024-05-08", "2024-05-09"]

    def test_midnight_belongs_to_the_new_day(self):
        # Created at Tuesday 00:00, resolved at Wednesday 00:00: arrival on Tuesday, resolution on Wednesday.
        flow = ticket_flow(at(DAY), at(2 * DAY), period="day")
        assert [str(p) for p in flow.periods] == ["2024-05-07", "2024-05-08"]
        assert flow.n_arrivals.tolist() == [1, 0] and flow.n_resolutions.tolist() == [0, 1]

    @given(data=st.data(), period=st.sampled_from(["hour", "day", "week", "month"]))
    def test_reconciles_with_open_cases(self, data, period):
        t = data.draw(tickets())
        flow = ticket_flow(t["created"], t["resolved"], period=period, by=t["by"])
        grouped_open = open_cases(t["created"], t["resolved"], flow.periods, by=t["by"])
        for position, (_, result) in enumerate(flow.items()):
            # The balance carried into each period is the open count at its start …
            assert np.array_equal(result.n_open_at_start, grouped_open.n_open[position])
            # … and the closing balance of a period is the opening balance of the next.
            assert np.array_equal(result.n_open_at_end[:-1], result.n_open_at_start[1:])
            assert (result.n_open_at_start >= 0).all() and (result.n_open_at_end >= 0).all()
        whole = ticket_flow(t["created"], t["resolved"], period=period)
        assert whole.n_arrivals.sum() == t["created"].shape[0]
        assert whole.n_resolutions.sum() == (~np.isnat(t["resolved"])).sum()
        if whole.periods.shape[0]:
            # Ends at zero or at the tickets still open.
            assert whole.n_open_at_end[-1] == np.isnat(t["resolved"]).sum()

    @given(data=st.data())
    def test_merge_with_fixed_range(self, data):
        t = data.draw(tickets())
        cut = data.draw(st.integers(0, t["by"].shape[0]))
        kw = {"period": "day", "start": "2024-05-01", "end": "2024-05-25"}
        whole = ticket_flow(t["created"], t["resolved"], **kw)
        parts = ticket_flow(t["created"][:cut], t["resolved"][:cut], **kw) + ticket_flow(
            t["created"][cut:], t["resolved"][cut:], **kw
        )
        assert parts == whole

    def test_merge_needs_same_range(self):
        a = ticket_flow(at(0), at(None), period="day")
        b = ticket_flow(at(DAY), at(None), period="day")
        with pytest.raises(InvalidInputError, match="periods"):
            _ = a + b


# --------------------------------------------------------------------------- resolution rate


class TestResolutionRate:
    def test_hand_computed(self):
        assigned = np.array(["2024-05-02", "2024-05-20", "2024-05-21", "2024-06-01"], dtype="datetime64[s]")
        resolved = np.array(["2024-05-03", "2024-06-02", "NaT", "2024-06-01"], dtype="datetime64[s]")
        agents = ["A", "A", "B", "B"]
        overall = resolution_rate(assigned, resolved)
        assert (overall.n_assigned, overall.n_resolved, overall.rate) == (4, 3, 0.75)  # 3 of 4 resolved
        cohort = resolution_rate(assigned, resolved, period="month", by=agents)
        # A: May 2 assigned, 2 resolved (one in June counts in May); B: May 1 assigned 0 resolved, June 1/1.
        assert cohort.n_assigned.tolist() == [[2, 0], [1, 1]]
        assert cohort.n_resolved.tolist() == [[2, 0], [0, 1]]
        strict = resolution_rate(assigned, resolved, period="month", by=agents, same_period=True)
        assert strict.n_resolved.tolist() == [[1, 0], [0, 1]]  # A's June resolution of a May ticket drops
        with pytest.warns(UndefinedMetricWarning):
            assert strict["A"].rate.tolist()[0] == 0.5

    @given(data=st.data(), same=st.booleans())
    def test_bounds_grouped_merge(self, data, same):
        t = data.draw(tickets())
        kw = {"period": "day", "same_period": same, "start": "2024-05-06", "end": "2024-05-16"}
        grouped = resolution_rate(t["created"], t["resolved"], by=t["by"], **kw)
        assert (grouped.n_resolved <= grouped.n_assigned).all() and (grouped.n_resolved >= 0).all()
        for label, result in grouped.items():
            mask = t["by"] == label
            assert result == resolution_rate(t["created"][mask], t["resolved"][mask], **kw)
        cut = data.draw(st.integers(0, t["by"].shape[0]))
        whole = resolution_rate(t["created"], t["resolved"], **kw)
        parts = resolution_rate(t["created"][:cut], t["resolved"][:cut], **kw) + resolution_rate(
            t["created"][cut:], t["resolved"][cut:], **kw
        )
        assert parts == whole
        # Strict counting never credits more than the cohort counting.
        loose = resolution_rate(
            t["created"], t["resolved"], period="day", start="2024-05-06", end="2024-05-16"
        )
        assert (whole.n_resolved <= loose.n_resolved).all()

    def test_same_period_needs_period(self):
        with pytest.raises(InvalidInputError, match="same_period"):
            resolution_rate(at(0), at(HOUR), same_period=True)

    def test_nothing_assigned_is_nan(self):
        empty = np.array([], dtype="datetime64[s]")
        with pytest.warns(UndefinedMetricWarning, match="resolution rate"):
            assert np.isnan(resolution_rate(empty, empty).rate)


# --------------------------------------------------------------------------- FCR (a)


def repeat_flags(customers, times, window_seconds, until, reasons=None):
    """Obvious O(n²) loop, per contact: (repeated, censored). Contact i is repeated if another contact j
    of the same key comes after it (or at the same instant, listed later) within the window; it is
    censored when t + window > until."""
    n = len(times)
    repeated, censored = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for i in range(n):
        key = (customers[i], None if reasons is None else reasons[i])
        for j in range(n):
            other = (customers[j], None if reasons is None else reasons[j])
            if j == i or other != key:
                continue
            gap = (times[j] - times[i]) / np.timedelta64(1, "s")
            if (0 < gap <= window_seconds) or (gap == 0 and j > i):
                repeated[i] = True
        censored[i] = times[i] + np.timedelta64(int(window_seconds), "s") > until
    return repeated, censored


class TestRepeatContactFCR:
    def test_hand_computed(self):
        # Customer 1: 1st and 5th (4 days apart, within 7): the 1st is repeated. Customer 2: the 1st only.
        # Observed to the 20th, so every window (to the 12th at the latest) is complete.
        result = fcr_repeat_contact([1, 1, 2], ["2024-05-01", "2024-05-05", "2024-05-01"], end="2024-05-20")
        assert (result.n_contacts, result.n_resolved, result.n_censored) == (3, 2, 0)
        assert result.rate == pytest.approx(2 / 3)

    def test_window_is_inclusive_and_reason_restriction(self):
        customers = ["x", "x", "x"]
        times = ["2024-05-01", "2024-05-08", "2024-05-20"]  # exactly 7 days, then 12 days
        reasons = ["billing", "billing", "billing"]
        result = fcr_repeat_contact(customers, times, end="2024-06-30")
        assert (result.n_contacts, result.n_resolved) == (3, 2)  # 1st repeated at exactly 7 days
        different = fcr_repeat_contact(
            customers, times, reasons=["billing", "delivery", "billing"], end="2024-06-30"
        )
        assert different.n_resolved == 3 and different.same_reason
        assert fcr_repeat_contact(customers, times, reasons=reasons, end="2024-06-30").n_resolved == 2

    def test_default_observation_end_censors_recent_contacts(self):
        # Latest contact on the 20th: contacts after the 13th cannot be judged with a 7-day window.
        result = fcr_repeat_contact(["a", "b", "c"], ["2024-05-01", "2024-05-14", "2024-05-20"])
        assert (result.n_contacts, result.n_censored) == (1, 2)

    def test_repeat_call_definition(self):
        # SQM Group's operational definition (sqmgroup.com, "First Call Resolution - definition …", 2021):
        # a call is resolved at first contact when the customer does not call again within the window.
        # 25 customers call once and 13 call twice two days apart: of 51 calls, the 13 first calls of the
        # repeat callers are not resolved, FCR = 38 / 51.
        customers = list(range(25)) + [100 + k for k in range(13) for _ in range(2)]
        times = ["2024-05-01"] * 25 + ["2024-05-01", "2024-05-03"] * 13
        result = fcr_repeat_contact(customers, times, end="2024-06-01")
        assert (result.n_resolved, result.n_contacts) == (38, 51)
        assert result.n_repeated == 13

    @given(data=st.data())
    def test_matches_reference(self, data):
        n = data.draw(st.integers(0, 25))
        customers = data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
        reasons = data.draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n))
        days = data.draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))
        times = BASE + (np.array(days, dtype=np.int64) * DAY).astype("timedelta64[s]")
        window = data.draw(st.sampled_from([0, DAY, 7 * DAY]))
        reasons_used = reasons if data.draw(st.booleans()) else None
        labels = np.array(
            data.draw(st.lists(st.sampled_from(["p", "q"]), min_size=n, max_size=n)), dtype="<U1"
        )
        until = BASE + np.timedelta64(data.draw(st.integers(20, 40)) * DAY, "s")
        result = fcr_repeat_contact(customers, times, window_seconds=window, end=until, reasons=reasons_used)
        repeated, censored = repeat_flags(customers, list(times), window, until, reasons_used)
        judged = ~censored
        assert (result.n_contacts, result.n_resolved, result.n_censored) == (
            judged.sum(),
            (judged & ~repeated).sum(),
            censored.sum(),
        )
        assert 0 <= result.n_resolved <= result.n_contacts
        # Grouped: each contact is credited to its own label; repeats are found across all labels.
        grouped = fcr_repeat_contact(
            customers, times, window_seconds=window, end=until, reasons=reasons_used, by=labels
        )
        for label, part in grouped.items():
            mask = labels == label
            assert (part.n_contacts, part.n_resolved, part.n_censored) == (
                (judged & mask).sum(),
                (judged & ~repeated & mask).sum(),
                (censored & mask).sum(),
            )
        # Order invariance (ties at the same instant change which contact is repeated, not how many).
        perm = np.array(data.draw(st.permutations(range(n))), dtype=np.int64)
        shuffled = fcr_repeat_contact(
            np.array(customers)[perm] if n else customers,
            times[perm],
            window_seconds=window,
            end=until,
            reasons=None if reasons_used is None else np.array(reasons_used)[perm],
        )
        assert shuffled == result

    def test_merge_disjoint_customers(self):
        a = fcr_repeat_contact([1, 1], ["2024-05-01", "2024-05-02"], end="2024-06-01")
        b = fcr_repeat_contact([2], ["2024-05-01"], end="2024-06-01")
        both = fcr_repeat_contact([1, 1, 2], ["2024-05-01", "2024-05-02", "2024-05-01"], end="2024-06-01")
        assert a + b == both
        with pytest.raises(InvalidInputError, match="window_seconds"):
            _ = a + fcr_repeat_contact([2], ["2024-05-01"], window_seconds=DAY, end="2024-06-01")


# --------------------------------------------------------------------------- FCR (b), reopen rate


class TestSingleReplyAndReopen:
    def test_single_reply_hand_computed(self):
        replies = [1, 1, 2, 3, 0, 1]
        done = [True, True, True, True, True, False]
        result = fcr_single_reply(replies, resolved=done)
        assert (result.n_resolved, result.n_single_reply, result.n_zero_replies) == (5, 2, 1)
        assert result.rate == 0.5  # 2 one-reply of 4 answered resolved tickets
        # Zendesk Explore "One-touch tickets": IF agent replies < 2 AND status solved/closed
        # (support.zendesk.com article 4408820618266): 3 of 5 solved tickets.
        assert fcr_single_reply(replies, resolved=done, count_zero_replies=True).rate == 0.6

    def test_resolved_as_timestamps(self):
        result = fcr_single_reply([1, 2], resolved=np.array(["2024-05-01", "NaT"], dtype="datetime64[s]"))
        assert (result.n_resolved, result.n_single_reply) == (1, 1)

    def test_reopen_hand_computed(self):
        result = reopen_rate([0, 2, 0, 0, 1], resolved=[True, True, True, True, False])
        # Ever resolved: 4 resolved now + 1 reopened (it was resolved before): 5; reopened: 2; events 3.
        assert (result.n_resolved, result.n_reopened, result.n_reopens) == (5, 2, 3)
        assert result.rate == 0.4 and result.reopens_per_resolved == 0.6

    def test_reopen_grouped_and_booleans_refused(self):
        grouped = reopen_rate([1, 0, 0, 3], by=["a", "a", "b", "b"])
        assert grouped.rate.tolist() == [0.5, 0.5] and grouped.n_reopens.tolist() == [1, 3]
        with pytest.raises(InvalidTypeError, match=r"reopens must be counts.*not booleans.*astype\(int\)"):
            reopen_rate([True, False])

    @given(data=st.data())
    def test_properties(self, data):
        n = data.draw(st.integers(0, 40))
        replies = np.array(data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), dtype=np.int64)
        done = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        labels = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)), dtype=np.int64)
        for function, kw in ((fcr_single_reply, {"resolved": done}), (reopen_rate, {"resolved": done})):
            grouped = function(replies, by=labels, **kw)
            for label, result in grouped.items():
                mask = labels == label
                assert result == function(replies[mask], resolved=done[mask])
            cut = data.draw(st.integers(0, n))
            whole = function(replies, **kw)
            assert (
                function(replies[:cut], resolved=done[:cut]) + function(replies[cut:], resolved=done[cut:])
                == whole
            )
        single = fcr_single_reply(replies, resolved=done)
        assert single.n_single_reply + single.n_zero_replies <= single.n_resolved
        # Order invariance.
        perm = np.array(data.draw(st.permutations(range(n))), dtype=np.int64)
        assert fcr_single_reply(replies[perm], resolved=done[perm]) == single

    def test_undefined(self):
        with pytest.warns(UndefinedMetricWarning):
            assert np.isnan(fcr_single_reply([0, 0]).rate)
        with pytest.warns(UndefinedMetricWarning):
            assert np.isnan(reopen_rate([0], resolved=[False]).rate)


# --------------------------------------------------------------------------- bad input


OK_CREATED = np.array(["2024-05-06T09:00", "2024-05-06T10:00"], dtype="datetime64[s]")
OK_RESOLVED = np.array(["2024-05-06T11:00", "NaT"], dtype="datetime64[s]")
OK_AT = np.array(["2024-05-06T10:30"], dtype="datetime64[s]")


@pytest.mark.parametrize(
    ("call", "error", "names"),
    [
        (
            lambda: open_cases(OK_CREATED, OK_CREATED[::-1], OK_AT),
            InvalidInputError,
            "resolved must not be before created",
        ),
        (
            lambda: open_cases(OK_CREATED, OK_RESOLVED[:1], OK_AT),
            InvalidInputError,
            "resolved must have the same length",
        ),
        (
            lambda: open_cases(OK_CREATED[:, None], OK_RESOLVED, OK_AT),
            InvalidInputError,
            "created must be 1-D",
        ),
        (lambda: open_cases(None, OK_RESOLVED, OK_AT), InvalidTypeError, "created must be array-like"),
        (lambda: open_cases([1, 2], OK_RESOLVED, OK_AT), InvalidTypeError, "created must be timestamps"),
        (
            lambda: open_cases(["2024-05-06", "yesterday"], OK_RESOLVED, OK_AT),
            InvalidInputError,
            "created must be timestamps",
        ),
        (
            lambda: open_cases(["2024-05-06T09:00+02:00", "2024-05-06"], OK_RESOLVED, OK_AT),
            InvalidInputError,
            "created must not mix naive local timestamps and time-zone-aware instants",
        ),
        (
            lambda: open_cases(OK_CREATED, ["2024-05-06T11:00Z", "NaT"], OK_AT),
            InvalidInputError,
            "created and resolved must both be naive local timestamps or both be time-zone-aware",
        ),
        (
            lambda: open_cases(np.array(["NaT", "2024-05-06"], dtype="datetime64[s]"), OK_RESOLVED, OK_AT),
            InvalidInputError,
            "created must not contain NaT",
        ),
        (
            lambda: open_cases(OK_CREATED, OK_RESOLVED, ["NaT"]),
            InvalidInputError,
            "instants must not contain NaT",
        ),
        (
            lambda: open_cases(OK_CREATED, OK_RESOLVED, OK_AT, by=["a"]),
            InvalidInputError,
            "by must have one label per row",
        ),
        (
            lambda: backlog(OK_CREATED, OK_RESOLVED, OK_AT, age_limit_seconds=-1),
            InvalidInputError,
            "age_limit_seconds",
        ),
        (
            lambda: backlog(OK_CREATED, OK_RESOLVED, OK_AT, age_limit_seconds=np.nan),
            InvalidInputError,
            "age_limit_seconds",
        ),
        (
            lambda: backlog(OK_CREATED, OK_RESOLVED, OK_AT, age_limit_seconds="2 days"),
            InvalidTypeError,
            "age_limit_seconds",
        ),
        (
            lambda: backlog(OK_CREATED, OK_RESOLVED, OK_AT, age_limit_seconds=[1, 2]),
            InvalidInputError,
            "age_limit_seconds",
        ),
        (
            lambda: backlog(OK_CREATED, OK_RESOLVED, OK_AT, age_limit_seconds=60, calendar="9-5"),
            InvalidTypeError,
            "calendar",
        ),
        (
            lambda: ticket_flow(OK_CREATED, OK_RESOLVED, period="fortnight"),
            InvalidInputError,
            "period must be one of",
        ),
        (
            lambda: ticket_flow(OK_CREATED, OK_RESOLVED, start="2024-06-01", end="2024-05-01", period="day"),
            InvalidInputError,
            "end",
        ),
        (lambda: ticket_flow(OK_CREATED, OK_RESOLVED, start=[1], period="day"), InvalidTypeError, "start"),
        (
            lambda: ticket_flow(OK_CREATED, OK_RESOLVED, end="2024-06-01T00:00+01:00", period="day"),
            InvalidInputError,
            "end",
        ),
        (
            lambda: resolution_rate(OK_CREATED, OK_CREATED[::-1]),
            InvalidInputError,
            "resolved must not be before assigned",
        ),
        (lambda: resolution_rate(OK_CREATED, OK_RESOLVED, period="weekly"), InvalidInputError, "period"),
        (lambda: resolution_rate(OK_CREATED, OK_RESOLVED, same_period=1), InvalidTypeError, "same_period"),
        (
            lambda: fcr_repeat_contact([1], OK_CREATED),
            InvalidInputError,
            "customer_ids must have the same length",
        ),
        (
            lambda: fcr_repeat_contact([1, 2], OK_CREATED, window_seconds=-5),
            InvalidInputError,
            "window_seconds",
        ),
        (lambda: fcr_repeat_contact([1, 2], OK_CREATED, reasons=["a"]), InvalidInputError, "reasons"),
        (
            lambda: fcr_repeat_contact([1, np.nan], OK_CREATED),
            InvalidInputError,
            "customer_ids must not contain missing identifiers",
        ),
        (
            lambda: fcr_repeat_contact([1, 2], OK_CREATED, end=5),
            InvalidTypeError,
            "end",
        ),
        (lambda: fcr_single_reply([1, -1]), InvalidInputError, "replies must be non-negative"),
        (lambda: fcr_single_reply([1, 1.5]), InvalidInputError, "replies must be whole numbers"),
        (lambda: fcr_single_reply([1, np.nan]), InvalidInputError, "replies must not contain NaN"),
        (lambda: fcr_single_reply(["1"]), InvalidTypeError, "replies must be counts"),
        (lambda: fcr_single_reply([True, False]), InvalidTypeError, "replies must be counts"),
        (
            lambda: fcr_single_reply([1, 2], resolved=np.array([1, 0], dtype=np.int64)),
            InvalidTypeError,
            "resolved must be a boolean mask",
        ),
        (
            lambda: fcr_single_reply([1, 2], resolved=[True]),
            InvalidInputError,
            "resolved must have the same length",
        ),
        (lambda: fcr_single_reply([1], count_zero_replies="yes"), InvalidTypeError, "count_zero_replies"),
        (lambda: reopen_rate([[1, 2]]), InvalidInputError, "reopens must be 1-D"),
        (lambda: reopen_rate(None), InvalidTypeError, "reopens must be array-like"),
        (lambda: reopen_rate([-1]), InvalidInputError, "reopens must be non-negative"),
    ],
)
def test_bad_input(call, error, names):
    with pytest.raises(error, match=names):
        call()


def test_bad_input_messages_give_the_index():
    with pytest.raises(InvalidInputError, match=r"at index 1"):
        open_cases(
            OK_CREATED, np.array(["2024-05-06T11:00", "2024-05-06T09:59"], dtype="datetime64[s]"), OK_AT
        )
    with pytest.raises(InvalidInputError, match=r"'2024-05-06T09:00\+02:00' at index 1"):
        open_cases(["2024-05-06", "2024-05-06T09:00+02:00"], OK_RESOLVED, OK_AT)


def test_time_zone_aware_columns_do_not_mix_with_naive_ones():
    pd = pytest.importorskip("pandas")
    zoned = pd.Series(pd.to_datetime(["2024-05-06 09:00", "2024-05-06 10:00"]).tz_localize("Europe/Paris"))
    with pytest.raises(InvalidInputError, match=r"created and resolved must both be .*Europe/Paris"):
        open_cases(zoned, OK_RESOLVED, OK_AT)
    aware = [datetime.datetime(2024, 5, 6, 9, tzinfo=datetime.UTC)]
    with pytest.raises(InvalidInputError, match="created and instants must both be naive"):
        open_cases(OK_CREATED, OK_RESOLVED, aware)
    with pytest.raises(InvalidInputError, match="timestamps and end must both be naive"):
        fcr_repeat_contact([1, 2], OK_CREATED, end=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))


def test_inputs_are_not_modified():
    created, resolved = OK_CREATED.copy(), OK_RESOLVED.copy()
    backlog(created, resolved, OK_AT, age_limit_seconds=60, calendar=BusinessHours.weekdays(), by=[1, 2])
    ticket_flow(created, resolved, period="day")
    assert np.array_equal(created, OK_CREATED) and np.array_equal(resolved, OK_RESOLVED, equal_nan=True)


def test_public_names():
    for name in (
        "open_cases",
        "backlog",
        "ticket_flow",
        "resolution_rate",
        "fcr_repeat_contact",
        "fcr_single_reply",
        "reopen_rate",
    ):
        assert name in cskpi.__all__


# --------------------------------------------------------------------------- edges and exact messages
# Found by mutation testing (issue 11): boundaries, range clipping, result parameters, chunked
# counting and the exact text of every error message of this module.


def exact(message: str) -> str:
    """``match=`` pattern for exactly ``message`` (``match`` searches, so anchor it)."""
    return f"^{re.escape(message)}$"


class TestCountingEdges:
    def test_open_count_at_microsecond_resolution(self):
        # Open on (created, resolved]: not yet at created, already one microsecond later; still at
        # resolved, gone one microsecond later.
        created = np.array(["2024-05-06T09:00:00.000000"], dtype="datetime64[us]")
        resolved = np.array(["2024-05-06T10:00:00.000000"], dtype="datetime64[us]")
        moments = np.array(
            [
                "2024-05-06T09:00:00.000000",
                "2024-05-06T09:00:00.000001",
                "2024-05-06T10:00:00.000000",
                "2024-05-06T10:00:00.000001",
            ],
            dtype="datetime64[us]",
        )
        assert open_cases(created, resolved, moments).n_open.tolist() == [0, 1, 1, 0]
        result = backlog(created, resolved, moments, age_limit_seconds=1)
        assert result.n_open.tolist() == [0, 1, 1, 0]
        assert result.n_backlog.tolist() == [0, 0, 1, 0]  # age 1 h >= 1 s only at 10:00

    def test_counts_are_int64_and_result_arrays_read_only(self):
        moments = at(HOUR, 3 * HOUR)
        results = [
            open_cases(at(0, HOUR), at(2 * HOUR, None), moments),
            open_cases(at(0, HOUR), at(2 * HOUR, None), moments, by=["a", "b"]),
            backlog(at(0, HOUR), at(2 * HOUR, None), moments, age_limit_seconds=60),
            backlog(at(0, HOUR), at(2 * HOUR, None), moments, age_limit_seconds=60, by=["a", "b"]),
        ]
        for result in results:
            counts = [result.n_open] + ([result.n_backlog] if hasattr(result, "n_backlog") else [])
            for array in counts:
                assert array.dtype == np.int64  # documented: ndarray of int64
            assert not result.instants.flags.writeable
            with pytest.raises(ValueError, match="read-only"):
                result.instants[0] = BASE

    def test_chunked_counting_matches_reference(self, monkeypatch):
        # Rows are placed among the instants in chunks of _CHUNK_ROWS (2**20): with chunks of 7 rows,
        # 60 tickets span nine chunks, and every count must still equal the obvious loop.
        monkeypatch.setattr(tickets_module, "_CHUNK_ROWS", 7)
        rng = np.random.default_rng(11)
        n = 60
        start = rng.integers(0, 5 * DAY // HOUR, n) * HOUR
        length = rng.integers(0, 3 * DAY // HOUR, n) * HOUR
        created = BASE + start.astype("timedelta64[s]")
        resolved = np.where(rng.random(n) < 0.3, NAT, BASE + (start + length).astype("timedelta64[s]"))
        labels = rng.integers(0, 3, n)
        moments = BASE + (rng.integers(-1, 8 * DAY // HOUR, 15) * HOUR).astype("timedelta64[s]")
        calendar = BusinessHours.weekdays("09:00", "17:00")
        assert np.array_equal(
            open_cases(created, resolved, moments).n_open, open_reference(created, resolved, moments)
        )
        for cal, limit in ((None, 20 * HOUR), (calendar, 8 * HOUR)):
            expected = backlog_reference(created, resolved, moments, limit, cal)
            assert np.array_equal(
                backlog(created, resolved, moments, age_limit_seconds=limit, calendar=cal).n_backlog, expected
            )
        grouped_open = open_cases(created, resolved, moments, by=labels)
        grouped_backlog = backlog(created, resolved, moments, age_limit_seconds=20 * HOUR, by=labels)
        for label in range(3):
            mask = labels == label
            assert np.array_equal(
                grouped_open[label].n_open, open_reference(created[mask], resolved[mask], moments)
            )
            assert np.array_equal(
                grouped_backlog[label].n_backlog,
                backlog_reference(created[mask], resolved[mask], moments, 20 * HOUR),
            )


class TestBacklogEdges:
    def test_resolved_exactly_at_the_age_limit(self):
        # Created at 0, resolved at 2 h, limit 2 h: at 2 h it is still open (resolved at that instant)
        # and exactly 2 h old, so in backlog; before it is too young, after it is resolved.
        created, resolved = at(0), at(2 * HOUR)
        moments = at(HOUR, 2 * HOUR, 3 * HOUR)
        for cal in (None, BusinessHours.every_day()):
            result = backlog(created, resolved, moments, age_limit_seconds=2 * HOUR, calendar=cal)
            assert result.n_backlog.tolist() == [0, 1, 0]
            assert result.n_open.tolist() == [1, 1, 0]

    def test_result_parameters(self):
        moments = at(3 * HOUR, HOUR)
        result = backlog(at(0), at(None), moments, age_limit_seconds=np.timedelta64(90, "m"))
        assert result.age_limit_seconds == 5400.0  # seconds, not microseconds
        assert result.calendar is None
        assert np.array_equal(result.instants, moments) and result.instants.dtype == "datetime64[us]"
        assert result.n_backlog.tolist() == [1, 0]

    def test_nothing_at_all_in_business_time(self):
        empty = np.array([], dtype="datetime64[s]")
        result = backlog(empty, empty, empty, age_limit_seconds=60, calendar=BusinessHours.weekdays())
        assert result.n_open.shape == (0,) and result.n_backlog.shape == (0,)
        assert result.n_backlog.dtype == np.int64

    @pytest.mark.parametrize(
        ("kw", "error", "message"),
        [
            (
                {"age_limit_seconds": -1},
                InvalidInputError,
                "age_limit_seconds must be a non-negative duration in seconds; got -1",
            ),
            (
                {"age_limit_seconds": 60, "calendar": "9-5"},
                InvalidTypeError,
                "calendar must be a BusinessHours calendar or None; got str",
            ),
        ],
    )
    def test_messages(self, kw, error, message):
        with pytest.raises(error, match=exact(message)):
            backlog(OK_CREATED, OK_RESOLVED, OK_AT, **kw)


class TestFlowRange:
    def test_events_outside_the_range(self):
        # Range: Wednesday 8 and Thursday 9 May. Events two or more days outside it on both sides.
        # A: Mon 6 -> Mon 6 (all before the range).   B: Mon 6 -> Wed 8 10:00.
        # C: Thu 9 09:00 -> Sun 12 (after the range).  D: Sun 12, open (created after the range).
        # E: Tue 7, open (carried in).
        created = at(0, 0, 3 * DAY + 9 * HOUR, 6 * DAY, DAY)
        resolved = at(12 * HOUR, 2 * DAY + 10 * HOUR, 6 * DAY, None, None)
        flow = ticket_flow(created, resolved, period="day", start="2024-05-08", end="2024-05-09")
        assert [str(p) for p in flow.periods] == ["2024-05-08", "2024-05-09"]
        assert flow.period == "day"
        # Open at Wed 00:00: B and E (A already resolved) -> 2; at Thu 00:00: E -> 1 (B resolved Wed).
        assert flow.n_open_at_start.tolist() == [2, 1]
        assert flow.n_arrivals.tolist() == [0, 1]  # C on Thursday
        assert flow.n_resolutions.tolist() == [1, 0]  # B on Wednesday
        assert flow.n_open_at_end.tolist() == [1, 2]  # E, then E and C
        grouped = ticket_flow(
            created,
            resolved,
            period="day",
            start="2024-05-08",
            end="2024-05-09",
            by=["x", "y", "x", "x", "y"],
        )
        # x: A, C, D -> nothing open at the start, C arrives Thursday. y: B, E -> [2, 1], B resolved Wed.
        assert grouped.n_open_at_start.tolist() == [[0, 0], [2, 1]]
        assert grouped.n_arrivals.tolist() == [[0, 1], [0, 0]]
        assert grouped.n_resolutions.tolist() == [[0, 0], [1, 0]]


class TestResolutionRateEdges:
    ASSIGNED = np.array(["2024-05-02", "2024-05-20", "2024-05-21"], dtype="datetime64[s]")
    RESOLVED = np.array(["2024-05-03", "2024-06-02", "NaT"], dtype="datetime64[s]")

    def test_one_figure_per_group(self):
        grouped = resolution_rate(self.ASSIGNED, self.RESOLVED, by=["A", "A", "B"])
        assert isinstance(grouped, Grouped)
        # A: 2 assigned, both resolved; B: 1 assigned, not resolved.
        assert grouped.n_assigned.tolist() == [2, 1] and grouped.n_resolved.tolist() == [2, 0]
        assert grouped["B"].n_unresolved == 1

    def test_parameters_without_period(self):
        result = resolution_rate(self.ASSIGNED, self.RESOLVED)
        assert (result.n_assigned, result.n_resolved) == (3, 2)
        assert result.period is None and result.same_period is False
        assert result.periods.shape == (0,) and result.periods.dtype.kind == "M"
        assert not result.periods.flags.writeable

    def test_range_leaves_out_assignments_outside_it(self):
        # Months May and June (start 15 May, end 10 June). Outside: an April ticket (resolved) and a July
        # ticket (resolved). Inside: May 2 (resolved May 3), May 20 (open), June 5 (resolved July 3).
        assigned = np.array(
            ["2024-04-20", "2024-05-02", "2024-05-20", "2024-06-05", "2024-07-01"], dtype="datetime64[s]"
        )
        resolved = np.array(
            ["2024-04-22", "2024-05-03", "NaT", "2024-07-03", "2024-07-02"], dtype="datetime64[s]"
        )
        kw = {"period": "month", "start": "2024-05-15", "end": "2024-06-10"}
        cohort = resolution_rate(assigned, resolved, **kw)
        assert cohort.period == "month" and cohort.same_period is False
        assert np.array_equal(cohort.periods, np.array(["2024-05-01", "2024-06-01"], dtype="datetime64[D]"))
        assert cohort.n_assigned.tolist() == [2, 1]  # May: 2nd and 20th; June: 5th
        assert cohort.n_resolved.tolist() == [1, 1]  # the June ticket counts (resolved in July)
        strict = resolution_rate(assigned, resolved, same_period=True, **kw)
        assert strict.same_period is True
        assert strict.n_resolved.tolist() == [1, 0]  # the June ticket was resolved in July

    @pytest.mark.parametrize(
        ("kw", "message"),
        [
            ({"same_period": True}, "same_period=True needs a period; got period=None"),
            ({"start": "2024-05-01"}, "start and end need a period; got period=None"),
            ({"end": "2024-05-01"}, "start and end need a period; got period=None"),
            ({"start": "2024-05-01", "end": "2024-06-01"}, "start and end need a period; got period=None"),
        ],
    )
    def test_options_that_need_a_period(self, kw, message):
        with pytest.raises(InvalidInputError, match=exact(message)):
            resolution_rate(OK_CREATED, OK_RESOLVED, **kw)


class TestFCREdges:
    def test_no_contacts(self):
        result = fcr_repeat_contact([], [])
        assert (result.n_contacts, result.n_resolved, result.n_censored) == (0, 0, 0)

    def test_window_in_seconds(self):
        assert fcr_repeat_contact([1], ["2024-05-01"]).window_seconds == 604800.0  # 7 days
        result = fcr_repeat_contact([1], ["2024-05-01"], window_seconds=datetime.timedelta(hours=2))
        assert result.window_seconds == 7200.0

    def test_whole_float_counts_are_accepted(self):
        # Counts read from a CSV as floats: 1.0, 2.0, 0.0, 1.0 replies, all resolved.
        result = fcr_single_reply(np.array([1.0, 2.0, 0.0, 1.0]))
        assert (result.n_resolved, result.n_single_reply, result.n_zero_replies) == (4, 2, 1)
        reopened = reopen_rate(np.array([0.0, 3.0]))
        assert (reopened.n_reopened, reopened.n_reopens) == (1, 3)

    def test_counts_are_exact_beyond_float_precision(self):
        # 2**53 + 1 is not representable as a float64: an exact integer sum keeps the last unit.
        assert reopen_rate([2**53 + 1, 0]).n_reopens == 2**53 + 1

    def test_grouped_reopen_events_are_exact(self):
        assert reopen_rate([2**53 + 1, 0], by=["a", "a"]).n_reopens.tolist() == [2**53 + 1]


TIMESTAMPS_WITH_NAT = np.array(["2024-05-01", "NaT"], dtype="datetime64[s]")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: fcr_repeat_contact([1, 2], TIMESTAMPS_WITH_NAT),
            InvalidInputError,
            "timestamps must not contain NaT; got NaT at index 1",
        ),
        (
            lambda: fcr_repeat_contact(None, OK_CREATED),
            InvalidTypeError,
            "customer_ids must be array-like; got None",
        ),
        (
            lambda: fcr_repeat_contact([1], OK_CREATED),
            InvalidInputError,
            "customer_ids must have the same length as timestamps (2); got length 1",
        ),
        (
            lambda: fcr_repeat_contact([1, 2], OK_CREATED, window_seconds=-5),
            InvalidInputError,
            "window_seconds must be a non-negative duration in seconds; got -5",
        ),
        (
            lambda: fcr_repeat_contact([1, 2], OK_CREATED, reasons="abc"),
            InvalidTypeError,
            "reasons must be array-like, not a single string; got 'abc'",
        ),
        (
            lambda: fcr_repeat_contact([1, 2], OK_CREATED, reasons=["a"]),
            InvalidInputError,
            "reasons must have the same length as timestamps (2); got length 1",
        ),
        (
            lambda: fcr_repeat_contact([1, 2], OK_CREATED, end=5),
            InvalidTypeError,
            "end must be a timestamp (datetime64 or ISO 8601 string); got 5",
        ),
        (
            lambda: fcr_single_reply([True, False]),
            InvalidTypeError,
            "replies must be counts of agent replies (integers), not booleans "
            "(convert a yes/no column with .astype(int) if that is what it means)",
        ),
        (
            lambda: fcr_single_reply([1, 1.5]),
            InvalidInputError,
            "replies must be whole numbers of agent replies; got 1.5 at index 1",
        ),
        (
            lambda: reopen_rate([True, False]),
            InvalidTypeError,
            "reopens must be counts of reopen events (integers), not booleans "
            "(convert a yes/no column with .astype(int) if that is what it means)",
        ),
        (
            lambda: reopen_rate([0, 2.5]),
            InvalidInputError,
            "reopens must be whole numbers of reopen events; got 2.5 at index 1",
        ),
        (
            lambda: fcr_single_reply([1, 2], resolved="yes"),
            InvalidTypeError,
            "resolved must be array-like, not a single string; got 'yes'",
        ),
        (
            lambda: reopen_rate([1, 2], resolved=["2024-05-01", "bogus"]),
            InvalidInputError,
            "resolved must be timestamps (datetime64 or ISO 8601 strings); got 'bogus' at index 1",
        ),
        (
            lambda: fcr_single_reply([1, 2], resolved=np.array([1, 0], dtype=np.int64)),
            InvalidTypeError,
            "resolved must be a boolean mask (True = resolved) or resolution timestamps (NaT = unresolved); "
            "got dtype int64",
        ),
        (
            lambda: fcr_single_reply([1, 2], resolved=[True]),
            InvalidInputError,
            "resolved must have the same length as replies (2); got length 1",
        ),
        (
            lambda: reopen_rate([1, 2], resolved=[True]),
            InvalidInputError,
            "resolved must have the same length as reopens (2); got length 1",
        ),
    ],
)
def test_exact_messages(call, error, message):
    with pytest.raises(error, match=exact(message)):
        call()


def test_customer_key_named_with_reasons():
    # With reasons the key is the pair (customer, reason); a bad customer is still named as such.
    with pytest.raises(
        InvalidInputError,
        match=r"^customer_ids must not contain missing identifiers \(None, NaN or null\); got nan at index 1$",
    ):
        fcr_repeat_contact([1, np.nan], OK_CREATED, reasons=["a", "b"])
