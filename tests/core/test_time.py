"""The timestamp rule: naive wall-clock times, aware instants, zones, precision and bounds.

Reference values are worked out by hand from the Europe/Paris rules (UTC+1 in winter,
UTC+2 in summer; changes on 2024-03-31 at 01:00 UTC and 2024-10-27 at 01:00 UTC) and
checked against the standard library's :mod:`zoneinfo` where a loop over rows is the
obviously-correct reference.
"""

from __future__ import annotations

import datetime
import warnings
import zoneinfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cskpi
from cskpi import (
    BusinessHours,
    InvalidInputError,
    InvalidTypeError,
    business_seconds,
    fcr_repeat_contact,
    resolution_time,
    returned_within,
    volume,
)
from cskpi._core.time import check_tz, local_clock, parse_times, zone_offsets

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC


def _hours(result: object) -> list[str]:
    return [str(p) for p in result.periods]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- defects fixed


def test_offset_strings_are_instants_everywhere() -> None:
    # 10:00+02:00 is 08:00 UTC: two hours before 10:00 UTC, not four (and no numpy warning).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = resolution_time(["2024-01-01T10:00+02:00"], ["2024-01-01T10:00Z"])
    assert result.mean_seconds == 7200.0
    counted = volume(["2024-01-01T10:00+02:00"], period="hour", tz="Europe/Paris")
    # 08:00 UTC in Paris in January (UTC+1) is 09:00.
    assert _hours(counted) == ["2024-01-01T09"] and counted.n_contacts.tolist() == [1]


def test_naive_and_aware_arguments_never_mix() -> None:
    with pytest.raises(
        InvalidInputError, match=r"^created and resolved must both be naive .* got created \(time"
    ):
        resolution_time(["2024-01-01T10:00+02:00"], ["2024-01-01T12:00"])
    with pytest.raises(InvalidInputError, match=r"^starts and ends must both be naive"):
        business_seconds("2024-01-01T10:00", "2024-01-01T12:00Z", calendar=BusinessHours.every_day())
    with pytest.raises(
        InvalidInputError, match=r"^timestamps must not mix naive .* at index 0 and .* at index 1$"
    ):
        returned_within(["a", "a"], ["2024-01-01T10:00Z", "2024-01-01T11:00"], window_seconds=60)


def test_business_seconds_of_offsets_are_exact() -> None:
    # 07:00Z-09:00Z is 08:00-10:00 in Paris in January: one open hour from 09:00.
    calendar = BusinessHours.weekdays("09:00", "17:00")
    assert (
        business_seconds("2024-01-08T07:00Z", "2024-01-08T09:00Z", calendar=calendar, tz="Europe/Paris")
        == 3600
    )
    with pytest.raises(InvalidInputError, match=r"business hours need one: pass tz='Europe/Paris'"):
        business_seconds("2024-01-08T07:00Z", "2024-01-08T09:00Z", calendar=calendar)


@pytest.mark.parametrize("word", ["now", "today", "NOW", "Today"])
def test_relative_words_raise(word: str) -> None:
    with pytest.raises(
        InvalidInputError, match=rf"^timestamps must be fixed timestamps.*got {word!r} at index 1$"
    ):
        volume(["2024-01-01", word])
    with pytest.raises(InvalidInputError, match="relative words"):
        volume(np.array(["2024-01-01", word], dtype=object))


@pytest.mark.parametrize("year", ["0000-01-01", "10000-01-01", "300000-01-01", "-0001-01-01"])
def test_years_outside_1_to_9999_raise(year: str) -> None:
    with pytest.raises(
        InvalidInputError,
        match=rf"^timestamps must be timestamps in years 1\.\.9999; got '{year}' at index 0$",
    ):
        volume([year])
    with pytest.raises(InvalidInputError, match=r"years 1\.\.9999"):
        volume(np.array([year], dtype="datetime64[D]"))


def test_years_1_and_9999_are_accepted() -> None:
    result = volume(["0001-01-01", "9999-12-31T23:59:59.999999"], period="year")
    assert result.n_contacts.sum() == 2 and str(result.periods[0]) == "0001"


def test_sub_second_returns_are_returns() -> None:
    # 0.8 s later is a return within 60 s, not a duplicate of the first contact.
    times = ["2024-01-01T10:00:00.000", "2024-01-01T10:00:00.800"]
    result = returned_within(["a", "a"], times, window_seconds=60, end="2024-01-01T10:01:00.000")
    assert (result.returned, result.customers) == (1, 1)
    # The same pair through FCR: the first contact is repeated within the window.
    fcr = fcr_repeat_contact(["a", "a"], times, window_seconds=60, end="2024-01-01T10:02")
    assert (fcr.n_contacts, fcr.n_resolved) == (2, 1)
    # A window of 0.5 s: 0.8 s later is outside it.
    short = returned_within(["a", "a"], times, window_seconds=0.5, end="2024-01-01T10:01")
    assert short.returned == 0


def test_nanoseconds_are_kept_to_the_microsecond() -> None:
    created = np.array(["2024-01-01T10:00:00.000000000"], dtype="datetime64[ns]")
    replied = np.array(["2024-01-01T10:00:00.001002999"], dtype="datetime64[ns]")
    assert cskpi.first_response_time(created, replied).median_seconds == pytest.approx(0.001002)


# --------------------------------------------------------------------------- input kinds


def test_pandas_zoned_series_with_nat() -> None:
    pd = pytest.importorskip("pandas")
    stamps = pd.to_datetime(["2024-03-30T23:30", "NaT", "2024-03-31T12:00"]).tz_localize("Europe/Paris")
    created = pd.Series(stamps[[0, 0, 0]])
    resolved = pd.Series(stamps[[2, 1, 2]])
    result = resolution_time(created, resolved)
    # NaT follows the rule of resolved: an open ticket. 23:30 (UTC+1) to 12:00 (UTC+2) is 11.5 h.
    assert (result.n, result.n_unresolved) == (2, 1)
    assert result.mean_seconds == 11.5 * 3600
    # NaT in created (no NaT allowed) raises with the library's message, not a pandas one.
    with pytest.raises(InvalidInputError, match=r"^created must not contain NaT; got NaT at index 1$"):
        resolution_time(pd.Series(stamps), pd.Series(stamps))
    # The zone of the column decides the days: no tz= needed.
    days = volume(pd.Series(stamps[[0, 2]]), period="day")
    assert _hours(days) == ["2024-03-30", "2024-03-31"] and days.n_contacts.tolist() == [1, 1]
    index = volume(pd.DatetimeIndex(stamps[[0, 2]]), period="day")
    assert index.n_contacts.tolist() == [1, 1]


def test_polars_zoned_datetime_with_nulls() -> None:
    pl = pytest.importorskip("polars")
    utc = [datetime.datetime(2024, 10, 26, 22, 30), None, datetime.datetime(2024, 10, 27, 23, 30)]
    column = pl.Series(utc).dt.replace_time_zone("UTC").dt.convert_time_zone("Europe/Paris")
    # Paris: 2024-10-27 00:30 (UTC+2) and 2024-10-28 00:30 (UTC+1).
    with pytest.raises(InvalidInputError, match="must not contain NaT; got NaT at index 1"):
        volume(column, period="day")
    days = volume(column.drop_nulls(), period="day")
    assert _hours(days) == ["2024-10-27", "2024-10-28"] and days.n_contacts.tolist() == [1, 1]
    # The same instants read in another zone: 22:30 and 23:30 UTC are still the 26th and 27th.
    other = volume(column.drop_nulls(), period="day", tz="UTC")
    assert _hours(other) == ["2024-10-26", "2024-10-27"]


def test_pyarrow_timestamp_with_zone() -> None:
    pa = pytest.importorskip("pyarrow")
    column = pa.array(
        [datetime.datetime(2024, 1, 1, 23, 30, tzinfo=UTC), None], pa.timestamp("us", tz="Europe/Paris")
    )
    times = parse_times(column, "t", allow_nat=True)
    assert times.aware and times.zone == PARIS
    assert str(times.stamps[0]) == "2024-01-01T23:30:00.000000" and np.isnat(times.stamps[1])
    assert _hours(volume(column.drop_null(), period="day")) == ["2024-01-02"]
    fixed = pa.array([datetime.datetime(2024, 1, 1, 23, 30, tzinfo=UTC)], pa.timestamp("us", tz="+02:00"))
    assert _hours(volume(fixed, period="hour")) == ["2024-01-02T01"]


def test_datetime_with_tzinfo() -> None:
    aware = [
        datetime.datetime(2024, 7, 1, 22, 30, tzinfo=UTC),
        datetime.datetime(2024, 7, 2, 3, tzinfo=PARIS),
    ]
    # 22:30 UTC on 1 July is 00:30 on 2 July in Paris; 03:00 in Paris is 01:00 UTC on 2 July.
    assert volume(aware, period="day", tz="Europe/Paris").n_contacts.tolist() == [2]
    assert volume(aware, period="day", tz="UTC").n_contacts.tolist() == [1, 1]


def test_tz_with_naive_data_raises() -> None:
    with pytest.raises(
        InvalidInputError, match=r"^tz='Europe/Paris' is for time-zone-aware instants, but timestamps"
    ):
        volume(["2024-01-01T10:00"], tz="Europe/Paris")
    with pytest.raises(InvalidInputError, match="ambiguous"):
        business_seconds(
            "2024-01-01T10:00", "2024-01-01T12:00", calendar=BusinessHours.every_day(), tz="Europe/Paris"
        )


def test_tz_must_be_an_iana_name() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"^tz must be an IANA time zone name such as 'Europe/Paris'; got 'Mars/Olympus'$",
    ):
        volume(["2024-01-01T10:00Z"], tz="Mars/Olympus")
    with pytest.raises(InvalidTypeError, match=r"^tz must be an IANA .* got int 2$"):
        check_tz(2)


# --------------------------------------------------------------------------- daylight saving


def test_hourly_volume_over_the_spring_change() -> None:
    # One contact every 30 minutes from 00:00 to 02:30 UTC on 2024-03-31. Paris wall clock:
    # 01:00, 01:30, (02:xx does not exist) 03:00, 03:30, 04:00, 04:30.
    instants = np.arange("2024-03-31T00:00", "2024-03-31T03:00", 30, dtype="datetime64[m]")
    text = [f"{t}Z" for t in instants.astype(str)]
    result = volume(text, period="hour", tz="Europe/Paris")
    assert _hours(result) == ["2024-03-31T01", "2024-03-31T02", "2024-03-31T03", "2024-03-31T04"]
    assert result.n_contacts.tolist() == [2, 0, 2, 2]


def test_hourly_volume_over_the_autumn_change() -> None:
    # 00:00 to 01:30 UTC on 2024-10-27 in Paris: 02:00, 02:30 (UTC+2), then 02:00, 02:30 again (UTC+1).
    text = ["2024-10-27T00:00Z", "2024-10-27T00:30Z", "2024-10-27T01:00Z", "2024-10-27T01:30Z"]
    result = volume(text, period="hour", tz="Europe/Paris")
    assert _hours(result) == ["2024-10-27T02"] and result.n_contacts.tolist() == [4]


def test_day_bucketing_of_2330_utc() -> None:
    # 23:30 UTC is the next day in Paris in winter (00:30) and in summer (01:30).
    text = ["2024-01-15T23:30Z", "2024-07-15T23:30Z"]
    result = volume(text, period="month", tz="Europe/Paris")
    days = volume(text, period="day", tz="Europe/Paris")
    assert str(days.periods[0]) == "2024-01-16" and str(days.periods[-1]) == "2024-07-16"
    assert result.n_contacts.sum() == 2
    # Without a zone the same strings cannot be put in days.
    with pytest.raises(InvalidInputError, match="pass tz="):
        volume(text, period="day")


def test_business_hours_over_the_spring_change() -> None:
    # Open round the clock: 00:30 UTC to 01:30 UTC is one elapsed hour, although the Paris wall
    # clock goes from 01:30 to 03:30.
    calendar = BusinessHours.every_day()
    one = business_seconds("2024-03-31T00:30Z", "2024-03-31T01:30Z", calendar=calendar, tz="Europe/Paris")
    assert one == 3600.0
    # Naive wall-clock times see two hours (a local day always has 24 hours).
    assert business_seconds("2024-03-31T01:30", "2024-03-31T03:30", calendar=calendar) == 7200.0
    # Open 01:00-05:00 on Sundays: the night of the change has 3 open hours, not 4.
    night = BusinessHours(schedule={"sun": ("01:00", "05:00")})
    whole = business_seconds("2024-03-30T12:00Z", "2024-03-31T12:00Z", calendar=night, tz="Europe/Paris")
    assert whole == 3 * 3600.0


def test_business_hours_over_the_autumn_change() -> None:
    # Open 01:00-05:00 on Sundays: 02:00-03:00 is lived twice on 2024-10-27, 5 open hours.
    night = BusinessHours(schedule={"sun": ("01:00", "05:00")})
    whole = business_seconds("2024-10-26T12:00Z", "2024-10-27T12:00Z", calendar=night, tz="Europe/Paris")
    assert whole == 5 * 3600.0
    # Inside the repeated hour: 00:15Z (02:15 CEST) to 01:15Z (02:15 CET) is one open hour.
    inside = business_seconds("2024-10-27T00:15Z", "2024-10-27T01:15Z", calendar=night, tz="Europe/Paris")
    assert inside == 3600.0


def test_business_hours_equal_a_row_by_row_reference() -> None:
    # Reference: walk each pair minute by minute with zoneinfo, counting the minutes whose wall
    # clock is open. Instants on whole minutes, open hours on whole hours: the count is exact.
    calendar = BusinessHours.weekdays("08:00", "18:00", holidays=["2024-04-01"])
    rng = np.random.default_rng(7)
    base = np.datetime64("2024-03-28T00:00", "m").astype(np.int64)
    starts = base + rng.integers(0, 7 * 1440, 40)
    ends = starts + rng.integers(0, 3 * 1440, 40)
    expected = []
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        minutes = 0
        for m in range(a, b):
            wall = datetime.datetime.fromtimestamp(m * 60, PARIS)
            open_day = wall.weekday() < 5 and wall.date() != datetime.date(2024, 4, 1)
            minutes += open_day and 8 <= wall.hour < 18
        expected.append(minutes * 60.0)
    got = business_seconds(
        starts.astype("datetime64[m]").astype("datetime64[us]").astype(str).astype(object) + "Z",
        ends.astype("datetime64[m]").astype("datetime64[us]").astype(str).astype(object) + "Z",
        calendar=calendar,
        tz="Europe/Paris",
    )
    assert got.tolist() == expected


def test_is_open_reads_instants_in_the_zone() -> None:
    calendar = BusinessHours.weekdays("09:00", "17:00")
    # 07:30Z is 09:30 in Paris in summer and 08:30 in winter.
    assert calendar.is_open(["2024-07-01T07:30Z", "2024-01-08T07:30Z"], tz="Europe/Paris").tolist() == [
        True,
        False,
    ]


# --------------------------------------------------------------------------- zone offsets


def test_local_clock_equals_zoneinfo_row_by_row() -> None:
    rng = np.random.default_rng(3)
    micros = rng.integers(-(10**16), 3 * 10**15, 500)  # 1653 to 2065
    stamps = micros.astype("datetime64[us]")
    for zone_name in ("Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"):
        zone = zoneinfo.ZoneInfo(zone_name)
        got = local_clock(stamps, zone)
        epoch = datetime.datetime(1970, 1, 1, tzinfo=UTC)
        expected = [
            np.datetime64(
                (epoch + datetime.timedelta(microseconds=int(u))).astimezone(zone).replace(tzinfo=None), "us"
            )
            for u in micros
        ]
        assert got.tolist() == np.array(expected).tolist(), zone_name


def test_zone_offsets_locate_the_changes_to_the_second() -> None:
    start = np.datetime64("2024-01-01", "us").astype(np.int64)
    end = np.datetime64("2024-12-31", "us").astype(np.int64)
    breaks, offsets = zone_offsets(np.array([start, end]), PARIS)
    changes = breaks[1:].astype("datetime64[us]").astype(str).tolist()
    assert changes == ["2024-03-31T01:00:00.000000", "2024-10-27T01:00:00.000000"]
    assert (offsets // 3_600_000_000).tolist() == [1, 2, 1]


# --------------------------------------------------------------------------- report


def test_report_keeps_milliseconds() -> None:
    # First replies 1, 2 and 3 ms after creation: median 2 ms in the API and in the report.
    contacts = {
        "created": ["2024-01-01T10:00:00.000", "2024-01-01T11:00:00.000", "2024-01-01T12:00:00"],
        "first_reply": ["2024-01-01T10:00:00.001", "2024-01-01T11:00:00.003", "2024-01-01T12:00:00.002"],
    }
    api = cskpi.first_response_time(contacts["created"], contacts["first_reply"])
    report = cskpi.kpi_report(contacts, period="month")
    assert api.median_seconds == pytest.approx(0.002)
    assert report["frt_median"].values.tolist() == [[pytest.approx(0.002)]]


@pytest.mark.parametrize("word", ["now", "today"])
def test_report_refuses_relative_words(word: str) -> None:
    with pytest.raises(InvalidInputError, match="not a relative word"):
        cskpi.kpi_report({"created": ["2024-01-01", word]}, period="month")


def test_report_refuses_years_outside_1_to_9999() -> None:
    with pytest.raises(InvalidInputError, match=r"in years 1\.\.9999"):
        cskpi.kpi_report({"created": ["2024-01-01", "300000-01-01"]}, period="month")


def test_report_with_a_time_zone() -> None:
    # 23:30 UTC on 31 January is 00:30 on 1 February in Paris; the reply 90 min later crosses
    # no change of offset: 5400 s either way.
    contacts = {
        "created": ["2024-01-15T10:00Z", "2024-01-31T23:30Z"],
        "first_reply": ["2024-01-15T10:00:00.5Z", "2024-02-01T01:00Z"],
    }
    report = cskpi.kpi_report(contacts, period="month", tz="Europe/Paris")
    assert [str(p) for p in report.periods] == ["2024-01", "2024-02"]
    assert report["volume"].values.tolist() == [[1, 1]]
    assert report["frt_median"].values.tolist() == [[0.5, 5400.0]]
    with pytest.raises(InvalidInputError, match=r"without a time zone \(or pass tz= / --tz\)"):
        cskpi.kpi_report(contacts, period="month")
    with pytest.raises(InvalidInputError, match="ambiguous"):
        cskpi.kpi_report({"created": ["2024-01-15T10:00"]}, period="month", tz="Europe/Paris")


def test_report_durations_over_a_change_are_exact() -> None:
    # Created 00:30 UTC, resolved 01:30 UTC on 2024-03-31: one hour, although Paris went 01:30 -> 03:30.
    contacts = {"created": ["2024-03-31T00:30Z"], "resolved": ["2024-03-31T01:30Z"]}
    report = cskpi.kpi_report(contacts, period="day", tz="Europe/Paris")
    assert report["resolution_median"].values.tolist() == [[3600.0]]


def test_report_reads_a_zoned_dataframe_in_its_zone() -> None:
    pd = pytest.importorskip("pandas")
    created = pd.to_datetime(["2024-01-31T23:30", "2024-02-01T00:30"], utc=True)
    frame = pd.DataFrame(
        {
            "created": created.tz_convert("Europe/Paris"),
            "first_reply": (created + pd.Timedelta(minutes=10)).tz_convert("Europe/Paris"),
        }
    )
    mixed = frame.assign(first_reply=frame["first_reply"].dt.tz_convert("UTC"))
    with pytest.raises(InvalidInputError, match="different time zones"):
        cskpi.kpi_report(mixed, period="month")
    report = cskpi.kpi_report(frame, period="month")
    assert [str(p) for p in report.periods] == ["2024-02"] and report["volume"].values.tolist() == [[2]]
    assert report["frt_median"].values.tolist() == [[600.0]]
    # Read in UTC instead, the first contact is in January. Business hours 09:00-17:00 on weekdays:
    # 31 January 23:30 UTC is closed (0 s); 1 February 00:30 UTC too.
    frt = cskpi.Standard(
        name="FRT", metric="first_response_time", target=3600, params={"business_hours": ["09:00", "17:00"]}
    )
    standards = cskpi.evaluate_standards(frt, frame, period="month", tz="UTC")
    assert [str(p) for p in standards.periods] == ["2024-01", "2024-02"]
    assert standards.achieved.tolist() == [[[0.0, 0.0]]]


def test_cli_tz_option(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from cskpi.__main__ import main

    pytest.importorskip("pyarrow")  # the CLI reads files with pyarrow
    path = tmp_path / "contacts.csv"
    path.write_text("created\n2024-01-31T23:30Z\n2024-02-01T10:00Z\n", encoding="utf-8")
    assert main(["report", str(path), "--tz", "Europe/Paris", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "2024-02" in out and "2024-01" not in out
    assert main(["report", str(path), "--tz", "UTC", "--format", "csv"]) == 0
    assert "2024-01" in capsys.readouterr().out


# --------------------------------------------------------------------------- tz= in every calendar function

# 23:30 UTC on 31 January is 00:30 on 1 February in Paris (UTC+1).
LATE = "2024-01-31T23:30Z"


def _month(result: object) -> list[str]:
    return [str(p)[:7] for p in result.periods]  # type: ignore[attr-defined]


def test_tz_in_period_functions() -> None:
    paris = {"tz": "Europe/Paris", "period": "month"}
    assert _month(cskpi.channel_share([LATE], ["phone"], **paris)) == ["2024-02"]
    assert _month(cskpi.ticket_flow([LATE], [LATE], **paris)) == ["2024-02"]
    assert _month(cskpi.resolution_rate([LATE], ["NaT"], **paris)) == ["2024-02"]
    assert _month(cskpi.complaints([LATE], **paris)) == ["2024-02"]
    assert _month(cskpi.reviews([5], [LATE], **paris)) == ["2024-02"]
    assert _month(cskpi.follower_growth([10], [LATE], **paris)) == ["2024-02"]
    assert _month(cskpi.engagement(["a"], [LATE], **paris)) == ["2024-02"]
    cohorts = cskpi.repeat_contact_retention(["a"], [LATE], **paris)
    assert [str(c)[:7] for c in cohorts.cohorts] == ["2024-02"]
    # The same instants read in UTC stay in January.
    assert _month(cskpi.complaints([LATE], period="month", tz="UTC")) == ["2024-01"]


def test_tz_in_clv_inputs() -> None:
    # 2023-12-31T23:30Z is New Year's Day 2024 in Paris: both orders fall in 2024, one active year.
    inputs = cskpi.clv_inputs(
        [1, 1], ["2023-12-31T23:30Z", "2024-06-01T12:00Z"], [10.0, 20.0], tz="Europe/Paris"
    )
    assert (inputs.active_periods, inputs.orders) == (1, 2)
    utc = cskpi.clv_inputs([1, 1], ["2023-12-31T23:30Z", "2024-06-01T12:00Z"], [10.0, 20.0], tz="UTC")
    assert utc.active_periods == 2


def test_complaints_with_contacts_on_two_clocks_raise() -> None:
    with pytest.raises(InvalidInputError, match=r"^timestamps and contacts must both be naive"):
        cskpi.complaints([LATE], contacts=["2024-01-31T23:30"], tz="Europe/Paris")


# 2024-03-31 in Paris: 00:30Z is 01:30 (UTC+1) and 01:30Z is 03:30 (UTC+2), one hour apart.
SPRING = ("2024-03-31T00:30Z", "2024-03-31T01:30Z")


def test_durations_over_the_spring_change() -> None:
    always = BusinessHours.every_day()
    frt = cskpi.first_response_time([SPRING[0]], [SPRING[1]], calendar=always, tz="Europe/Paris")
    assert frt.median_seconds == 3600.0
    assert cskpi.resolution_time([SPRING[0]], [SPRING[1]]).median_seconds == 3600.0
    replies = cskpi.reply_times(
        [1, 1], list(SPRING), ["customer", "agent"], calendar=always, tz="Europe/Paris"
    )
    assert replies.first_reply_seconds.tolist() == [3600.0]
    review = cskpi.reviews([5], [SPRING[0]], responded=[SPRING[1]], period="day", tz="Europe/Paris")
    assert review.response_seconds.tolist() == [3600.0]
    # returned_within: the return is 3600 s after the first contact, inside a one-hour window.
    back = returned_within(["a", "a"], list(SPRING), window_seconds=3600, end="2024-03-31T02:00Z")
    assert (back.returned, back.customers) == (1, 1)


def test_backlog_ages_over_the_spring_change() -> None:
    # Created 00:00Z, counted at 02:00Z: two elapsed hours (the Paris wall clock shows three).
    created, at = ["2024-03-31T00:00Z"], "2024-03-31T02:00Z"
    always = BusinessHours.every_day()
    exact = cskpi.backlog(
        created, ["NaT"], at, age_limit_seconds=2.5 * 3600, calendar=always, tz="Europe/Paris"
    )
    assert exact.n_backlog.tolist() == [0]
    reached = cskpi.backlog(
        created, ["NaT"], at, age_limit_seconds=2 * 3600, calendar=always, tz="Europe/Paris"
    )
    assert reached.n_backlog.tolist() == [1]
    calendar_time = cskpi.backlog(created, ["NaT"], at, age_limit_seconds=2 * 3600)
    assert calendar_time.n_backlog.tolist() == [1]


def test_dask_volume_with_tz() -> None:
    da = pytest.importorskip("dask.array")
    import cskpi.dask

    text = np.array([LATE, "2024-01-15T12:00Z", "2024-02-10T12:00Z"])
    result = cskpi.dask.volume(da.from_array(text, chunks=1), period="month", tz="Europe/Paris")
    assert _month(result) == ["2024-01", "2024-02"] and result.n_contacts.tolist() == [1, 2]


def test_pandas_nat_objects_are_missing_values() -> None:
    pd = pytest.importorskip("pandas")
    created = np.array([pd.Timestamp("2024-01-01T09:00"), pd.Timestamp("2024-01-01T09:00")], dtype=object)
    resolved = np.array([pd.Timestamp("2024-01-01T10:00"), pd.NaT], dtype=object)
    result = resolution_time(created, resolved)
    assert (result.n, result.n_unresolved, result.mean_seconds) == (1, 1, 3600.0)
    aware = np.array([pd.Timestamp("2024-01-01T10:00", tz="UTC"), pd.NA], dtype=object)
    times = parse_times(aware, "t", allow_nat=True)
    assert times.aware and np.isnat(times.stamps[1])


def test_report_zoned_columns_with_nat() -> None:
    pd = pytest.importorskip("pandas")
    created = pd.to_datetime(["2024-01-31T23:30", "2024-02-01T00:30"], utc=True).tz_convert("Europe/Paris")
    reply = pd.Series([created[0] + pd.Timedelta(minutes=5), pd.NaT], dtype="datetime64[ns, Europe/Paris]")
    frame = pd.DataFrame({"created": created, "first_reply": reply})
    report = cskpi.kpi_report(frame, period="month")
    assert [str(p) for p in report.periods] == ["2024-02"]
    assert report["frt_median"].values.tolist() == [[300.0]]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 40 * 86_400), min_size=3, max_size=3),
    st.sampled_from(["Europe/Paris", "America/New_York", "Australia/Sydney"]),
)
def test_business_seconds_of_instants_are_additive(offsets: list[int], zone: str) -> None:
    # B(a, c) = B(a, b) + B(b, c) for instants a <= b <= c spread over both European changes of 2024.
    a, b, c = sorted(np.datetime64("2024-03-20T00:00", "s") + np.array(offsets, dtype="timedelta64[s]"))
    calendar = BusinessHours(
        schedule={"mon": ("01:30", "03:30"), "sun": [("00:00", "02:30"), ("02:45", "24:00")]}
    )
    stamps = [f"{t}Z" for t in (a, b, c)]
    whole = business_seconds(stamps[0], stamps[2], calendar=calendar, tz=zone)
    parts = business_seconds(stamps[0], stamps[1], calendar=calendar, tz=zone) + business_seconds(
        stamps[1], stamps[2], calendar=calendar, tz=zone
    )
    assert whole == parts
    assert 0 <= whole <= (c - a) / np.timedelta64(1, "s")
