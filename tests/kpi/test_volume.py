"""Tests for contact volume per period and channel share (cskpi._kpi.volume)."""

from __future__ import annotations

import datetime
import re
import types

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
    ticket_flow,
    volume,
)
from cskpi._core import periods as periods_module
from cskpi._core.business_hours import check_not_before
from cskpi._core.periods import as_int, growth, period_index
from cskpi._core.time import PERIODS, parse_time, parse_times, parse_times_or_one
from cskpi._kpi.volume import Volume
from helpers import read_only

BASE = np.datetime64("2024-01-01T00:00", "s")  # a Monday


def to_instants(values, name, *, allow_nat=False):
    return parse_times(values, name, allow_nat=allow_nat).stamps


def to_instant(value, name):
    return parse_time(value, name).stamps[0]


def instants_or_one(values, name):
    times, single = parse_times_or_one(values, name)
    return times.stamps, single


def to_stamps(values, name):
    return periods_module.to_stamps(values, name)[0]


def exact(message: str) -> str:
    """A ``match`` pattern for exactly ``message`` (``pytest.raises`` searches, so anchor it)."""
    return "^" + re.escape(message) + "$"


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
        empty = volume(np.array([], dtype="datetime64[s]"), period="day")
        assert empty.n_contacts.shape == (0,) and empty.total == 0
        padded = volume([], period="month", start="2024-01-15", end="2024-03-01")
        assert padded.n_contacts.tolist() == [0, 0, 0]

    def test_read_only_and_not_modified(self):
        stamps = read_only(np.array(["2024-05-13", "2024-05-14"], dtype="datetime64[ns]"))
        assert volume(stamps, by=read_only(["a", "b"]), period="day").n_contacts.tolist() == [[1, 0], [0, 1]]

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

    def test_merge_over_different_ranges_pads_with_zeros(self):
        # 1 May and 3 May: the union range is 1-3 May, 2 May has no contact in either batch.
        merged = volume(["2024-05-01"], period="day") + volume(["2024-05-03"], period="day")
        assert merged == volume(["2024-05-01", "2024-05-03"], period="day")
        assert merged.n_contacts.tolist() == [1, 0, 1]
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
        (lambda: volume(None, period="day"), InvalidTypeError, "timestamps must be array-like"),
        (lambda: volume("2024-05-01", period="day"), InvalidTypeError, "timestamps must be array-like"),
        (lambda: volume([1.5, 2.5], period="day"), InvalidTypeError, "timestamps must be timestamps"),
        (
            lambda: volume(["2024-05-01", "soon"], period="day"),
            InvalidInputError,
            "timestamps must be timestamps.*'soon' at index 1",
        ),
        (
            lambda: volume(["2024-05-01T10:00-05:00"], period="day"),
            InvalidInputError,
            "timestamps are instants with UTC offsets but no time zone",
        ),
        (
            lambda: volume(np.array(["2024-05-01", "NaT"], dtype="datetime64[s]"), period="day"),
            InvalidInputError,
            "NaT at index 1",
        ),
        (
            lambda: volume(np.zeros((2, 2), dtype="datetime64[s]"), period="day"),
            InvalidInputError,
            "timestamps must be 1-D",
        ),
        (lambda: volume(["2024-05-01"], period="fortnight"), InvalidInputError, "period must be one of"),
        (lambda: volume(["2024-05-01"], period=None), InvalidInputError, "period must be one of"),
        (
            lambda: volume(["2024-05-01"], by=["a", "b"], period="day"),
            InvalidInputError,
            "by must have one label per row",
        ),
        (
            lambda: volume(["2024-05-01"], by=[np.nan], period="day"),
            InvalidInputError,
            "by must not contain missing labels",
        ),
        (
            lambda: volume(["2024-05-01"], start="2024-06-01", end="2024-05-01", period="day"),
            InvalidInputError,
            "end must not be before start",
        ),
        (
            lambda: volume(["2024-05-01"], start=20240501, period="day"),
            InvalidTypeError,
            "start must be a timestamp",
        ),
        (
            lambda: volume(["2024-05-01"], end="never", period="day"),
            InvalidInputError,
            "end must be timestamps",
        ),
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


# --------------------------------------------------------------------------- mutation kills
# Tests written against surviving mutmut mutants of cskpi._kpi.volume (issue 11): exact messages,
# time zones, the range edges, the grouped paths and the shared helpers used by _tickets and
# _engagement. The equivalent survivors are listed in the mutation notes, not tested.

PARSE_RULE = "timestamps must be timestamps (datetime64 or ISO 8601 strings); got "


class ZonedColumn:
    """A stand-in for a zoned pandas (``dtype.tz``) or polars (``dtype.time_zone``) datetime column.

    ``to_numpy()`` gives the UTC instants, as polars does; the dtype's zone tells how to read them.
    """

    def __init__(self, **zone: str) -> None:
        self.dtype = types.SimpleNamespace(**zone)

    def to_numpy(self) -> np.ndarray:
        return np.array(["2024-05-01T21:30", "2024-05-01T22:30"], dtype="datetime64[us]")


class TestTimeZones:
    @pytest.mark.parametrize("zone", [{"tz": "Europe/Paris"}, {"time_zone": "Europe/Paris"}])
    def test_zoned_column_is_read_in_its_zone(self, zone):
        # 21:30 and 22:30 UTC are 23:30 on 1 May and 00:30 on 2 May in Paris (UTC+2 in May).
        assert volume(ZonedColumn(**zone), period="day").n_contacts.tolist() == [1, 1]
        assert channel_share(ZonedColumn(**zone), ["phone", "chat"], period="day").n_contacts.tolist() == [
            [0, 1],
            [1, 0],
        ]

    def test_naive_column_with_a_dtype_is_counted(self):
        # A dtype with neither attribute (a naive column) is not taken for a zoned one.
        column = ZonedColumn()
        assert volume(column, period="day").n_contacts.tolist() == [2]

    @pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 8])
    def test_first_offset_is_named_when_mixed(self, n):
        # The value reported is the first one with an offset, with the first naive one.
        for position in range(n):
            values = [f"2024-05-01T{hour:02d}:00" for hour in range(n)]
            values[position] += "+02:00"
            naive = 0 if position else 1
            if n == 1:
                continue
            message = (
                "timestamps must not mix naive local timestamps and time-zone-aware instants; got "
                f"{values[position]!r} at index {position} and {values[naive]!r} at index {naive}"
            )
            with pytest.raises(InvalidInputError, match=exact(message)):
                volume(values, period="day")

    def test_offsets_without_a_zone_need_tz(self):
        with pytest.raises(InvalidInputError, match=r"pass tz='Europe/Paris'"):
            volume(["2024-05-01T10:00+02:00"], period="day")
        assert volume(["2024-05-01T23:30Z"], period="day", tz="Europe/Paris").periods.tolist() == [
            datetime.date(2024, 5, 2)
        ]

    def test_start_end_time_zone(self):
        aware = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
        with pytest.raises(
            InvalidInputError,
            match=exact(f"start must be a naive local timestamp like the data; got the instant {aware!r}"),
        ):
            volume(["2024-05-01"], start=aware, period="day")
        # An aware bound with aware data is read in the zone: 1 May 00:00 UTC is 02:00 in Paris.
        result = volume(["2024-05-02T12:00Z"], start=aware, period="day", tz="Europe/Paris")
        assert result.n_contacts.tolist() == [0, 1]
        # A naive datetime is accepted as a bound.
        naive = volume(["2024-05-02"], period="day", start=datetime.datetime(2024, 5, 1, 23, 59))
        assert naive.n_contacts.tolist() == [0, 1]


class TestTimestampHelpers:
    @pytest.mark.parametrize("empty", [[], ()])
    def test_empty_sequence_is_empty_microseconds(self, empty):
        stamps = to_instants(empty, "x")
        assert stamps.dtype == np.dtype("datetime64[us]") and stamps.shape == (0,)
        # No contact at all, not one at the epoch: an empty range.
        result = volume(empty, period="year")
        assert result.n_contacts.tolist() == [] and result.periods.tolist() == [] and result.total == 0

    def test_microseconds_kept(self):
        stamps = to_instants(["2024-05-01T00:00:00.000001", np.datetime64("2024-05-01T00:00:01", "ns")], "x")
        assert stamps.dtype == np.dtype("datetime64[us]")
        # 2024-05-01 is 19844 days after 1970-01-01 (54 years, 13 of them leap, + 121 days of 2024):
        # 19844 * 86400 s = 1714521600 s.
        assert as_int(stamps).tolist() == [1_714_521_600_000_001, 1_714_521_601_000_000]

    def test_nat_string_raises_unless_allowed(self):
        with pytest.raises(
            InvalidInputError, match=exact("timestamps must not contain NaT; got NaT at index 1")
        ):
            volume(["2024-05-01", "NaT"], period="day")
        with pytest.raises(InvalidInputError, match=exact("x must not contain NaT; got NaT at index 0")):
            to_instants(["NaT"], "x")
        kept = to_instants(["2024-05-01", "NaT"], "x", allow_nat=True)
        assert kept.dtype == np.dtype("datetime64[us]")
        assert kept[0] == np.datetime64("2024-05-01T00:00", "us") and np.isnat(kept[1])

    def test_datetime64_array_kept_as_is(self):
        # Documented: a 1-D datetime64 array keeps its own unit and is not copied.
        stamps = np.array(["2024-05-01", "2024-05-03"], dtype="datetime64[s]")
        assert to_stamps(stamps, "timestamps") is stamps
        # Other arrays are converted: strings parse, timedeltas are not timestamps.
        text = np.array(["2024-05-01", "2024-05-03"])
        assert to_stamps(text, "timestamps").dtype == np.dtype("datetime64[us]")
        assert volume(text, period="day").n_contacts.tolist() == [1, 0, 1]
        deltas = np.array([1, 2], dtype="timedelta64[s]")
        message = PARSE_RULE + "dtype timedelta64[s]"
        with pytest.raises(InvalidTypeError, match=exact(message)):
            to_stamps(deltas, "timestamps")
        with pytest.raises(InvalidTypeError, match=exact(message)):
            volume(deltas, period="day")
        nat = np.array(["2024-05-01", "NaT"], dtype="datetime64[D]")
        with pytest.raises(InvalidInputError, match=exact("t must not contain NaT; got NaT at index 1")):
            to_stamps(nat, "t")

    @pytest.mark.parametrize(
        ("value", "kind"),
        [
            (None, "NoneType"),
            (["2024-05-01"], "list"),
            (("2024-05-01",), "tuple"),
            (np.array(["2024-05-01"]), "ndarray"),
        ],
    )
    def test_bound_must_be_single(self, value, kind):
        with pytest.raises(InvalidTypeError, match=exact(f"start must be a single timestamp; got {kind}")):
            to_instant(value, "start")
        if value is not None:  # None means "no bound" in volume()
            with pytest.raises(InvalidTypeError, match=exact(f"end must be a single timestamp; got {kind}")):
                volume(["2024-05-01"], end=value, period="day")

    @pytest.mark.parametrize(
        "value",
        ["2024-05-01T10:30", datetime.datetime(2024, 5, 1, 10, 30), np.datetime64("2024-05-01T10:30", "m")],
    )
    def test_instants_or_one_single(self, value):
        stamps, single = instants_or_one(value, "at")
        assert single is True
        assert stamps.dtype == np.dtype("datetime64[us]")
        assert stamps.tolist() == [datetime.datetime(2024, 5, 1, 10, 30)]

    def test_instants_or_one_date_and_many(self):
        stamps, single = instants_or_one(datetime.date(2024, 5, 1), "at")
        assert single is True and stamps.tolist() == [datetime.datetime(2024, 5, 1)]
        stamps, single = instants_or_one(["2024-05-01", "2024-05-02T06:00"], "at")
        assert single is False
        assert stamps.dtype == np.dtype("datetime64[us]")
        assert stamps.tolist() == [datetime.datetime(2024, 5, 1), datetime.datetime(2024, 5, 2, 6)]

    @pytest.mark.parametrize("value", ["soon", ["2024-05-01", "soon"]])
    def test_instants_or_one_names_the_argument(self, value):
        index = 0 if isinstance(value, str) else 1
        with pytest.raises(
            InvalidInputError,
            match=exact(
                f"at must be timestamps (datetime64 or ISO 8601 strings); got 'soon' at index {index}"
            ),
        ):
            instants_or_one(value, "at")

    def test_as_int_is_microseconds_since_epoch(self):
        stamps = np.array(
            ["1970-01-01T00:00:01", "1969-12-31T23:59:59.999999", "NaT"], dtype="datetime64[us]"
        )
        micro = as_int(stamps)
        assert micro.dtype == np.int64
        assert micro.tolist() == [1_000_000, -1, np.iinfo(np.int64).min]

    def test_check_not_before(self):
        start = to_instants(["2024-05-01T10:00"] * 4, "created")
        # Equal instants and a NaT end are never "before".
        check_not_before(
            start,
            to_instants(["2024-05-01T10:00", "NaT"] * 2, "resolved", allow_nat=True),
            "created",
            "resolved",
        )
        end = to_instants(
            ["2024-05-01T10:00", "2024-05-01T11:00", "2024-05-01T09:00", "2024-05-01T08:00"], "resolved"
        )
        message = (
            "resolved must not be before created; got 2024-05-01T09:00:00.000000 before "
            "created 2024-05-01T10:00:00.000000 at index 2"
        )
        with pytest.raises(InvalidInputError, match=exact(message)):
            check_not_before(start, end, "created", "resolved")


class TestPeriodRange:
    def test_empty_data_with_one_bound(self):
        # One bound and no data: the range is the one period containing the bound.
        for bound in ({"start": "2024-05-01T15:00"}, {"end": "2024-05-01T15:00"}):
            result = volume([], period="day", **bound)
            assert result.n_contacts.tolist() == [0]
            assert [str(p) for p in result.periods] == ["2024-05-01"]

    def test_contacts_just_outside_the_range(self):
        # Range 1..5 May (5 days): 30 April is one period before, 6 May is one period after (index 5 ==
        # n_periods); neither is counted, in the flat and the grouped paths.
        stamps = ["2024-04-30T23:59", "2024-05-02", "2024-05-06T00:00", "2024-05-05T23:59"]
        kw = {"period": "day", "start": "2024-05-01", "end": "2024-05-05"}
        assert volume(stamps, **kw).n_contacts.tolist() == [0, 1, 0, 0, 1]
        grouped = volume(stamps, by=["a", "b", "a", "b"], **kw)
        assert grouped.labels.tolist() == ["a", "b"]
        assert grouped.n_contacts.tolist() == [[0, 0, 0, 0, 0], [0, 1, 0, 0, 1]]

    def test_period_index_with_keep(self):
        # Ordinals 9..13 over the range 10..12: rows 0 and 4 are outside; keep drops row 2.
        ordinals = np.array([9, 10, 11, 12, 13], dtype=np.int64)
        index, inside = period_index(ordinals, 10, 3, np.array([True, True, False, True, True]))
        assert inside is not None and inside.tolist() == [False, True, False, True, False]
        assert index[inside].tolist() == [0, 2]
        index, inside = period_index(ordinals[1:4], 10, 3, np.array([True, True, True]))
        assert inside is None and index.tolist() == [0, 1, 2]

    def test_periods_are_read_only_and_labelled(self):
        result = volume(["2024-05-01", "2024-05-03"], period="day")
        assert result.period == "day"
        grouped = volume(["2024-05-01", "2024-05-03"], period="month", by=["a", "b"])
        assert grouped["a"].period == "month"
        mix = channel_share(["2024-01-03", "2024-02-01"], ["phone", "chat"], period="month")
        assert mix.period == "month"
        assert [str(p) for p in mix.periods] == ["2024-01", "2024-02"]
        for labels in (result.periods, mix.periods, mix.channels):
            with pytest.raises(ValueError, match="read-only"):
                labels[0] = labels[-1]


class TestGrowth:
    def test_two_periods(self):
        # May 1 contact, June 2: +100 %.
        result = volume(["2024-05-01", "2024-06-01", "2024-06-30"], period="month")
        assert np.isnan(result.growth_rate[0]) and result.growth_rate[1] == 1.0

    def test_default_name_in_warning(self):
        with pytest.warns(
            UndefinedMetricWarning,
            match=exact("growth rate is undefined for zero observations; returning NaN"),
        ):
            out = growth([0, 1])
        assert np.isnan(out).all()

    def test_unsigned_counts_do_not_wrap(self):
        # 5 -> 3 is -40 %, even for unsigned input where 3 - 5 would wrap around.
        out = growth(np.array([5, 3], dtype=np.uint64))
        assert np.isnan(out[0]) and out[1] == pytest.approx(-0.4)

    def test_infinite_values_give_nan_silently(self):
        # inf - inf is NaN: propagated without a numpy RuntimeWarning (the suite turns warnings into errors).
        out = growth([np.inf, np.inf, 2.0])
        assert np.isnan(out).all()


class TestMergeRules:
    def test_different_kinds(self):
        message = "cannot add ChannelShare to Volume: only results of the same kind merge"
        with pytest.raises(InvalidTypeError, match=exact(message)):
            _ = volume(["2024-05-01"], period="day") + channel_share(["2024-05-01"], ["phone"])

    @pytest.mark.parametrize(
        ("left", "right", "shown"),
        [
            (
                ["2024-05-01"],
                ["2024-05-02"],
                "[2024-05-01 … 2024-05-01] (1 values) and [2024-05-02 … 2024-05-02] (1 values)",
            ),
            (
                ["2024-05-01", "2024-05-03"],
                ["2024-05-05", "2024-05-02"],
                "[2024-05-01 … 2024-05-03] (3 values) and [2024-05-02 … 2024-05-05] (4 values)",
            ),
            ([], ["2024-05-01"], "[] (empty) and [2024-05-01 … 2024-05-01] (1 values)"),
            (["2024-05-01"], [], "[2024-05-01 … 2024-05-01] (1 values) and [] (empty)"),
        ],
    )
    def test_different_periods_message(self, left, right, shown):
        # Volumes merge over the union of their ranges; ticket flows (a stock) do not.
        assert volume(left, period="day") + volume(right, period="day") == volume(left + right, period="day")
        message = f"cannot add TicketFlow results with different periods: {shown}"
        with pytest.raises(InvalidInputError, match=exact(message)):
            _ = ticket_flow(left, [None] * len(left), period="day") + ticket_flow(
                right, [None] * len(right), period="day"
            )

    def test_different_period_and_channels_message(self):
        message = "cannot add Volume results with different period: 'day' and 'month'"
        with pytest.raises(InvalidInputError, match=exact(message)):
            _ = volume(["2024-05-01"], period="day") + volume(["2024-05-01"], period="month")
        message = "cannot add ChannelShare results with different channels: [chat … phone] (2 values) and [email … phone] (2 values)"
        with pytest.raises(InvalidInputError, match=exact(message)):
            _ = channel_share(["2024-05-01"] * 2, ["phone", "chat"]) + channel_share(
                ["2024-05-01"] * 2, ["email", "phone"]
            )

    def test_empty_results_merge(self):
        assert (volume([], period="day") + volume([], period="day")).n_contacts.tolist() == []

    def test_array_parameter_never_equals_a_non_array(self):
        # Hand-built results: an array parameter on one side only never matches, even when
        # ``array == list`` would broadcast to all-True.
        periods = np.array(["2024-05-01"], dtype="datetime64[D]")
        left = Volume(n_contacts=np.array([1]), period="day", periods=periods)
        right = Volume(n_contacts=np.array([2]), period="day", periods=[periods[0]])
        with pytest.raises(
            InvalidInputError,
            match=r"^cannot add Volume results with different periods: \[2024-05-01 … 2024-05-01\] \(1 values\) and \[",
        ):
            _ = left + right
        assert (left + left).n_contacts.tolist() == [2]


class TestChannelShareEdges:
    def test_timestamps_named_in_messages(self):
        with pytest.raises(InvalidInputError, match=exact(PARSE_RULE + "'soon' at index 1")):
            channel_share(["2024-05-01", "soon"], ["phone", "chat"])
        nat = np.array(["2024-05-01", "NaT"], dtype="datetime64[s]")
        with pytest.raises(
            InvalidInputError, match=exact("timestamps must not contain NaT; got NaT at index 1")
        ):
            channel_share(nat, ["phone", "chat"])
        with pytest.raises(
            InvalidInputError,
            match=exact("channels must have the same length as timestamps (1); got length 2"),
        ):
            channel_share(["2024-05-01"], ["phone", "chat"])

    def test_channels_and_categories_named_in_messages(self):
        with pytest.raises(
            InvalidInputError,
            match=exact("channels must not contain missing labels (None, NaN or null); got nan at index 1"),
        ):
            channel_share(["2024-05-01", "2024-05-02"], [1.0, np.nan])
        with pytest.raises(
            InvalidTypeError, match=exact("categories must be array-like, not a single string; got 'phone'")
        ):
            channel_share(["2024-05-01"], ["phone"], categories="phone")

    @pytest.mark.parametrize(
        ("channels", "categories", "message"),
        [
            # No categories at all: the first contact is the one named.
            (["phone", "chat"], [], "channels must be one of categories []; got 'phone' at index 0"),
            # 'phone' sorts after every category (searchsorted lands past the end).
            (
                ["chat", "phone"],
                ["chat", "email"],
                "channels must be one of categories ['chat', 'email']; got 'phone' at index 1",
            ),
            (
                ["chat", "phone"],
                ["chat"],
                "channels must be one of categories ['chat']; got 'phone' at index 1",
            ),
            (
                ["chat", "apple"],
                ["chat"],
                "channels must be one of categories ['chat']; got 'apple' at index 1",
            ),
        ],
    )
    def test_unknown_channel(self, channels, categories, message):
        with pytest.raises(InvalidInputError, match=exact(message)):
            channel_share(["2024-05-01"] * len(channels), channels, categories=categories)

    def test_single_category(self):
        mix = channel_share(["2024-05-01", "2024-05-02"], ["chat", "chat"], period="day", categories=["chat"])
        assert mix.n_contacts.tolist() == [[1, 1]]

    def test_contacts_outside_the_range_not_counted(self):
        # Range 1..3 May: 30 April and 1 June are outside.
        mix = channel_share(
            ["2024-04-30", "2024-05-02", "2024-06-01", "2024-05-03"],
            ["chat", "phone", "chat", "chat"],
            period="day",
            start="2024-05-01",
            end="2024-05-03",
        )
        assert mix.channels.tolist() == ["chat", "phone"]
        assert mix.n_contacts.tolist() == [[0, 0, 1], [0, 1, 0]]

    def test_channels_read_only_with_categories(self):
        mix = channel_share(["2024-05-01"], ["phone"], categories=["phone", "chat"])
        assert mix.channels.tolist() == ["phone", "chat"]
        with pytest.raises(ValueError, match="read-only"):
            mix.channels[0] = "x"
