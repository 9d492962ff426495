"""Tests for contact volume per period and channel share (cskpi._volume)."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cskpi import (
    Grouped,
    InvalidInputError,
    InvalidTypeError,
    UndefinedMetricWarning,
    channel_share,
    volume,
)
from cskpi._time import PERIODS
from helpers import read_only

BASE = np.datetime64("2024-01-01T00:00", "s")  # a Monday


@st.composite
def contacts(draw: st.DrawFn, max_size: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps over about 400 days (so every period kind has several periods) and channel labels."""
    n = draw(st.integers(0, max_size))
    seconds = draw(st.lists(st.integers(0, 400 * 86_400), min_size=n, max_size=n))
    channels = draw(st.lists(st.sampled_from(["chat", "email", "phone"]), min_size=n, max_size=n))
    return BASE + np.array(seconds, dtype=np.int64).astype("timedelta64[s]"), np.array(channels, dtype="<U5")


def volume_reference(stamps: np.ndarray, period: str) -> dict[str, int]:
    """Obvious loop with the standard library's calendar: period start (as text) -> count."""
    counts: dict[str, int] = {}
    for stamp in stamps.astype("datetime64[s]").tolist():
        if period == "hour":
            key = stamp.replace(minute=0, second=0).isoformat(timespec="hours")
        elif period == "day":
            key = stamp.date().isoformat()
        elif period == "week":
            key = (stamp.date() - datetime.timedelta(days=stamp.weekday())).isoformat()
        elif period == "month":
            key = f"{stamp.year:04d}-{stamp.month:02d}"
        elif period == "quarter":
            key = f"{stamp.year:04d}-{3 * ((stamp.month - 1) // 3) + 1:02d}"
        else:
            key = f"{stamp.year:04d}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def as_text(periods: np.ndarray, period: str) -> list[str]:
    if period == "hour":
        return [str(p)[:13] for p in periods]
    return [str(p) for p in periods]


class TestVolume:
    def test_hand_computed(self):
        # Monday 13 May: 08:00, 09:30, 23:59 -> 3; Tuesday -> 0; Wednesday 00:00 -> 1 (midnight starts the day).
        days = ["2024-05-13T08:00", "2024-05-13T09:30", "2024-05-13T23:59", "2024-05-15T00:00"]
        result = volume(days, period="day")
        assert result.n_contacts.tolist() == [3, 0, 1]
        assert [str(d) for d in result.periods] == ["2024-05-13", "2024-05-14", "2024-05-15"]
        assert result.total == 4 and result.n_periods == 3

    def test_iso_week_published_example(self):
        # Python documentation, datetime.date.isocalendar: 2003-12-29 (a Monday) is day 1 of ISO week 1
        # of 2004, and 2004-01-04 (a Sunday) is day 7 of that week. ISO 8601 weeks start on Monday.
        result = volume(["2003-12-28", "2003-12-29", "2004-01-01", "2004-01-04", "2004-01-05"], period="week")
        assert [str(p) for p in result.periods] == ["2003-12-22", "2003-12-29", "2004-01-05"]
        assert result.n_contacts.tolist() == [1, 3, 1]

    def test_quarter_and_year(self):
        stamps = ["2023-12-31T23:59:59", "2024-01-01", "2024-03-31", "2024-04-01", "2024-12-31"]
        assert volume(stamps, period="quarter").n_contacts.tolist() == [1, 2, 1, 0, 1]
        assert volume(stamps, period="year").n_contacts.tolist() == [1, 4]

    def test_explicit_range_pads_and_drops(self):
        # Range 1-5 May: the contact on 30 April is outside (not counted), 2 and 4 May inside, rest zeros.
        result = volume(
            ["2024-04-30", "2024-05-02", "2024-05-04"], period="day", start="2024-05-01", end="2024-05-05"
        )
        assert result.n_contacts.tolist() == [0, 1, 0, 1, 0]
        only_start = volume(["2024-05-03"], period="day", start="2024-05-01")
        assert only_start.n_contacts.tolist() == [0, 0, 1]

    def test_grouped_dense_range(self):
        grouped = volume(
            ["2024-05-13", "2024-05-13", "2024-05-15"], period="day", by=["phone", "chat", "phone"]
        )
        assert isinstance(grouped, Grouped)
        assert grouped.labels.tolist() == ["chat", "phone"]
        assert grouped.n_contacts.tolist() == [[1, 0, 0], [1, 0, 1]]  # every group has all three days
        assert grouped["phone"].n_contacts.tolist() == [1, 0, 1]

    def test_growth_rate(self):
        # 2 -> 4 (+100 %) -> 3 (-25 %).
        result = volume(["2024-05-01"] * 2 + ["2024-06-01"] * 4 + ["2024-07-01"] * 3, period="month")
        assert np.isnan(result.growth_rate[0])
        assert result.growth_rate[1:].tolist() == [1.0, -0.25]
        with pytest.warns(UndefinedMetricWarning, match="volume growth rate"):
            growth = volume(["2024-05-01", "2024-07-01"], period="month").growth_rate
        # May 1 -> June 0: -100 %; July after a month of zero contacts: undefined.
        assert np.isnan(growth[0]) and growth[1] == -1.0 and np.isnan(growth[2])

    def test_empty(self):
        empty = volume(np.array([], dtype="datetime64[s]"))
        assert empty.n_contacts.shape == (0,) and empty.total == 0
        padded = volume([], period="month", start="2024-01-15", end="2024-03-01")
        assert padded.n_contacts.tolist() == [0, 0, 0]

    def test_read_only_and_not_modified(self):
        stamps = read_only(np.array(["2024-05-13", "2024-05-14"], dtype="datetime64[ns]"))
        assert volume(stamps, by=read_only(["a", "b"])).n_contacts.tolist() == [[1, 0], [0, 1]]

    @given(data=contacts(), period=st.sampled_from(PERIODS))
    def test_matches_reference(self, data, period):
        stamps, _ = data
        result = volume(stamps, period=period)
        expected = volume_reference(stamps, period)
        labels = as_text(result.periods, period)
        assert {k: v for k, v in zip(labels, result.n_contacts.tolist(), strict=True) if v} == expected
        assert (result.n_contacts >= 0).all() and result.total == stamps.shape[0]
        if stamps.shape[0]:
            assert result.n_contacts[0] > 0 and result.n_contacts[-1] > 0  # range from min to max

    @given(data=contacts(), period=st.sampled_from(PERIODS), cut=st.integers(0, 40))
    def test_grouped_equals_per_group_merge_and_order(self, data, period, cut):
        stamps, channels = data
        kw = {"period": period, "start": "2024-01-01", "end": "2025-02-10"}
        grouped = volume(stamps, by=channels, **kw)
        for label, result in grouped.items():
            assert result == volume(stamps[channels == label], **kw)
        whole = volume(stamps, **kw)
        assert volume(stamps[:cut], **kw) + volume(stamps[cut:], **kw) == whole
        assert volume(stamps[::-1], **kw) == whole

    def test_merge_needs_same_range(self):
        with pytest.raises(InvalidInputError, match="periods"):
            _ = volume(["2024-05-01"]) + volume(["2024-05-02"])
        with pytest.raises(InvalidInputError, match="period"):
            _ = volume(["2024-05-01"], period="day") + volume(["2024-05-01"], period="month")


class TestChannelShare:
    T = (
        "2024-01-03",
        "2024-01-09",
        "2024-01-20",
        "2024-01-22",
        "2024-02-01",
        "2024-02-02",
        "2024-02-10",
        "2024-02-28",
    )
    C = ("phone", "phone", "phone", "chat", "phone", "chat", "phone", "chat")

    def test_hand_computed(self):
        # January: 3 phone, 1 chat -> 0.75 / 0.25. February: 2 / 2 -> 0.5 / 0.5. Change: phone -0.25, chat +0.25.
        mix = channel_share(self.T, self.C, period="month")
        assert mix.channels.tolist() == ["chat", "phone"]
        assert mix.n_contacts.tolist() == [[1, 2], [3, 2]]
        assert mix.shares.tolist() == [[0.25, 0.5], [0.75, 0.5]]
        assert mix.total.tolist() == [4, 4]
        change = mix.share_change
        assert np.isnan(change[:, 0]).all() and change[:, 1].tolist() == [0.25, -0.25]

    def test_categories_fix_rows_and_order(self):
        mix = channel_share(self.T, self.C, period="month", categories=["phone", "email", "chat"])
        assert mix.channels.tolist() == ["phone", "email", "chat"]
        assert mix.n_contacts.tolist() == [[3, 2], [0, 0], [1, 2]]
        with pytest.raises(InvalidInputError, match=r"channels must be one of categories.*'chat' at index 3"):
            channel_share(self.T, self.C, categories=["phone", "email"])
        with pytest.raises(InvalidInputError, match="categories must be distinct"):
            channel_share(self.T, self.C, categories=["phone", "phone", "chat"])

    def test_empty_period_is_nan_with_warning(self):
        mix = channel_share(["2024-01-05", "2024-03-05"], ["phone", "chat"], period="month")
        with pytest.warns(UndefinedMetricWarning, match="channel share"):
            shares = mix.shares
        assert np.isnan(shares[:, 1]).all() and shares[:, 0].tolist() == [0.0, 1.0]

    @given(data=contacts(), period=st.sampled_from(["week", "month", "quarter"]), cut=st.integers(0, 40))
    def test_properties(self, data, period, cut):
        stamps, channels = data
        categories = ["chat", "email", "phone"]
        kw = {"period": period, "categories": categories, "start": "2024-01-01", "end": "2025-02-10"}
        mix = channel_share(stamps, channels, **kw)
        # Rows are the per-channel volumes.
        for row, label in enumerate(categories):
            assert np.array_equal(
                mix.n_contacts[row],
                volume(
                    stamps[channels == label], period=period, start="2024-01-01", end="2025-02-10"
                ).n_contacts,
            )
        assert (
            channel_share(stamps[:cut], channels[:cut], **kw)
            + channel_share(stamps[cut:], channels[cut:], **kw)
            == mix
        )
        busy = mix.total > 0
        if busy.any():
            shares = mix.shares[:, busy] if busy.all() else mix.n_contacts[:, busy] / mix.total[busy]
            assert np.allclose(shares.sum(axis=0), 1.0) and (shares >= 0).all() and (shares <= 1).all()


@pytest.mark.parametrize(
    ("call", "error", "names"),
    [
        (lambda: volume(None), InvalidTypeError, "timestamps must be array-like"),
        (lambda: volume("2024-05-01"), InvalidTypeError, "timestamps must be array-like"),
        (lambda: volume([1.5, 2.5]), InvalidTypeError, "timestamps must be timestamps"),
        (
            lambda: volume(["2024-05-01", "soon"]),
            InvalidInputError,
            "timestamps must be timestamps.*'soon' at index 1",
        ),
        (lambda: volume(["2024-05-01T10:00-05:00"]), InvalidInputError, "timestamps must be naive"),
        (
            lambda: volume(np.array(["2024-05-01", "NaT"], dtype="datetime64[s]")),
            InvalidInputError,
            "NaT at index 1",
        ),
        (
            lambda: volume(np.zeros((2, 2), dtype="datetime64[s]")),
            InvalidInputError,
            "timestamps must be 1-D",
        ),
        (lambda: volume(["2024-05-01"], period="fortnight"), InvalidInputError, "period must be one of"),
        (lambda: volume(["2024-05-01"], period=None), InvalidInputError, "period must be one of"),
        (lambda: volume(["2024-05-01"], by=["a", "b"]), InvalidInputError, "by must have one label per row"),
        (lambda: volume(["2024-05-01"], by=[np.nan]), InvalidInputError, "by must not contain NaN"),
        (
            lambda: volume(["2024-05-01"], start="2024-06-01", end="2024-05-01"),
            InvalidInputError,
            "end must not be before start",
        ),
        (lambda: volume(["2024-05-01"], start=20240501), InvalidTypeError, "start must be a timestamp"),
        (lambda: volume(["2024-05-01"], end="never"), InvalidInputError, "end must be timestamps"),
        (
            lambda: channel_share(["2024-05-01"], ["a", "b"]),
            InvalidInputError,
            "channels must have the same length",
        ),
        (lambda: channel_share(["2024-05-01"], None), InvalidTypeError, "channels must be array-like"),
        (lambda: channel_share(["2024-05-01"], ["a"], period="weekly"), InvalidInputError, "period"),
    ],
)
def test_bad_input(call, error, names):
    with pytest.raises(error, match=names):
        call()
