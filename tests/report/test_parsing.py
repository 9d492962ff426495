"""Parsing rules of the input layer (cskpi._report.parsing): each rule against hand-computed values."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pytest

from cskpi import InvalidInputError, abandonment_rate, kpi_report, repeat_contact_retention
from cskpi._report.io import ContactsTable
from cskpi._report.parsing import ColumnSpec, spec_from_options

pytest.importorskip("pyarrow")


def _table(tmp_path: Path, text: str, **columns: ColumnSpec | str) -> ContactsTable:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    return ContactsTable(path, columns=columns)


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0:10:10", 610.0),  # H:MM:SS with a one-digit hour
        ("00:02:23", 143.0),  # HH:MM:SS
        ("12:01:00", 43260.0),
        ("02:23", 143.0),  # MM:SS
        ("1:00:00.25", 3600.25),
        ("PT2M23S", 143.0),  # ISO 8601
        ("PT1H", 3600.0),
        ("P1DT1H", 90000.0),
        ("PT0.5S", 0.5),
        ("42", 42.0),
        ("42.5", 42.5),
        (" 7 ", 7.0),
        ("", np.nan),
    ],
)
def test_duration_forms(text: str, seconds: float) -> None:
    table = ContactsTable(
        {"created": ["2026-01-05T09:00"], "wait": [text]},
        # A spec with parsing options goes through the Arrow parsing rules.
        columns={"wait_seconds": ColumnSpec(column="wait", missing=("", "-"))},
    )
    np.testing.assert_array_equal(table.get("wait_seconds"), [seconds])


def test_duration_units_and_missing_values(tmp_path: Path) -> None:
    spec = spec_from_options("Talk (min)", {"unit": "minutes", "missing": ["", "-", "n/a"]}, "talk")
    table = _table(tmp_path, "created,Talk (min)\n2026-01-05,2.5\n2026-01-05,-\n2026-01-05,N/A\n2026-01-05,0:01:30\n",
                   talk_seconds=spec)  # fmt: skip
    # Plain numbers are in the unit; H:MM:SS says its own unit.
    np.testing.assert_array_equal(table.get("talk_seconds"), [150.0, np.nan, np.nan, 90.0])


@pytest.mark.parametrize("bad", ["-4", "1:75", "PT", "ten", "P1X"])
def test_bad_duration_names_file_row_and_column(bad: str, tmp_path: Path) -> None:
    table = _table(tmp_path, f"created,wait_seconds\n2026-01-05,10\n2026-01-05,{bad}\n")
    with pytest.raises(
        InvalidInputError, match=r"row 2 \(line 3\), column 'wait_seconds': a non-negative duration"
    ):
        table.get("wait_seconds")


# --------------------------------------------------------------------------- flags


def test_answered_column_read_as_abandoned_by_inversion(tmp_path: Path) -> None:
    # Regression: mapping `abandoned` to "Answered (Y/N)" reported 100 % abandonment.
    text = "created,Answered (Y/N)\n" + "".join(
        f"2026-01-0{day}T09:00,{answer}\n" for day, answer in zip(range(1, 9), "YYYNYYNY", strict=True)
    )
    spec = spec_from_options("Answered (Y/N)", {"true": ["Y"], "false": ["N"], "invert": True}, "x")
    table = _table(tmp_path, text, abandoned=spec)
    abandoned = table.get("abandoned")
    assert abandoned.tolist() == [False, False, False, True, False, False, True, False]
    report = kpi_report(table, period="month")
    assert report["abandonment_rate"].values.tolist() == [[0.25]]  # 2 of 8, by hand
    assert abandonment_rate(abandoned).value == 0.25


def test_flag_values_are_case_insensitive_and_missing_is_false() -> None:
    spec = ColumnSpec(column="Status", true_values=("abandoned",), false_values=("handled",))
    table = ContactsTable(
        {"created": ["2026-01-05"] * 4, "Status": ["Abandoned", "handled", "", " HANDLED "]},
        columns={"abandoned": spec},
    )
    assert table.get("abandoned").tolist() == [True, False, False, False]


def test_inverted_flag_keeps_missing_false() -> None:
    spec = ColumnSpec(column="answered", true_values=("y",), false_values=("n",), invert=True)
    table = ContactsTable(
        {"created": ["2026-01-05"] * 3, "answered": ["Y", "N", ""]}, columns={"abandoned": spec}
    )
    assert table.get("abandoned").tolist() == [False, True, False]  # unknown is not abandoned


@pytest.mark.parametrize("answers", [("true", "false"), ("1", "0"), ("yes", "no"), ("Y", "N")])
def test_an_inverted_blank_flag_is_false_however_the_answers_are_spelled(
    answers: tuple[str, str], tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    yes, no = answers
    spec = ColumnSpec(column="answered", invert=True)
    if yes == "Y":
        spec = ColumnSpec(column="answered", true_values=("y",), false_values=("n",), invert=True)
    # A CSV file (its reader parses true/false and 1/0 as booleans itself), in memory, Parquet.
    csv = _table(
        tmp_path, f"created,answered\n2026-01-05,{yes}\n2026-01-05,{no}\n2026-01-05,\n", abandoned=spec
    )
    rows = {"created": ["2026-01-05"] * 3, "answered": [yes, no, None]}
    parquet = tmp_path / "answers.parquet"
    pq.write_table(pa.table({"created": rows["created"], "answered": pa.array([True, False, None])}), parquet)
    tables = [
        csv,
        ContactsTable(rows, columns={"abandoned": spec}),
        ContactsTable(parquet, columns={"abandoned": spec}),
    ]
    for table in tables:
        assert table.get("abandoned").tolist() == [False, True, False]  # the blank is not an abandonment


def test_unknown_flag_value_names_row_and_column(tmp_path: Path) -> None:
    spec = ColumnSpec(column="Answered", true_values=("y",), false_values=("n",), invert=True)
    table = _table(tmp_path, "created,Answered\n2026-01-05,Y\n2026-01-05,maybe\n", abandoned=spec)
    with pytest.raises(
        InvalidInputError, match=r"row 2 \(line 3\), column 'Answered': one of the true values \(y\)"
    ):
        table.get("abandoned")


# --------------------------------------------------------------------------- missing customers


def test_unknown_callers_are_missing_customers_not_one_customer(tmp_path: Path) -> None:
    # Regression: '0' (unknown caller) made every anonymous caller one returning customer.
    text = (
        "created,Caller\n"
        "2026-01-05,0\n2026-01-06,0\n2026-01-07,anonymous\n2026-01-08,555-1\n2026-01-09,555-2\n"
        "2026-02-05,0\n2026-02-06,555-3\n2026-02-07,Anonymous\n"
    )
    spec = spec_from_options("Caller", {"missing": ["", "0", "anonymous"]}, "customer")
    table = _table(tmp_path, text, customer=spec)
    report = kpi_report(table, period="month")
    # Known January customers: 555-1 and 555-2, neither back in February: retention 0/2.
    assert report["retention"].values[0, 0] == 0.0
    assert report["retention"].n[0, 0] == 2
    expected = repeat_contact_retention(
        ["555-1", "555-2", "555-3"], ["2026-01-08", "2026-01-09", "2026-02-06"]
    )
    assert expected.classic_rates[0, 1] == 0.0
    # Without the missing values, '0' is one customer coming back: 1 of 4 January customers.
    numbered = text.replace("anonymous", "7").replace("Anonymous", "8")
    plain = kpi_report(_table(tmp_path, numbered, customer="Caller"), period="month")
    assert plain["retention"].values[0, 0] == pytest.approx(1 / 4)


def test_empty_customer_cell_is_an_unknown_caller_counted_as_excluded(tmp_path: Path) -> None:
    # Regression: one empty customer cell aborted the report naming no file, row or column.
    # A blank id is an unknown caller: left out of retention, and counted as such.
    path = tmp_path / "contacts.csv"
    path.write_text("created,customer\n2026-01-05,a\n2026-01-06,\n2026-02-01,a\n", encoding="utf-8")
    for contacts in (
        ContactsTable(path),
        {"created": ["2026-01-05", "2026-01-06", "2026-02-01"], "customer": ["a", " ", "a"]},
    ):
        series = kpi_report(contacts, period="month")["retention"]
        assert series.values[0, 0] == 1.0 and series.n[0].tolist() == [1, 0]
        assert {reason: counts.tolist() for reason, counts in series.excluded.items()} == {
            "no customer id": [[1, 0]]
        }


# --------------------------------------------------------------------------- timestamps


def test_date_and_time_columns_combine_into_created(tmp_path: Path) -> None:
    spec = spec_from_options("Date", {"time": "Time"}, "created")
    table = _table(
        tmp_path, "Date,Time\n2026-01-05,9:10:10\n2026-01-05,17:02:03.5\n2026-01-06,00:00:00\n", created=spec
    )
    expected = np.array(
        ["2026-01-05T09:10:10", "2026-01-05T17:02:03.5", "2026-01-06T00:00:00"], "datetime64[us]"
    )
    np.testing.assert_array_equal(table.get("created"), expected)


def test_date_and_time_columns_with_a_format(tmp_path: Path) -> None:
    spec = spec_from_options("Date", {"time": "Time", "format": "%d/%m/%Y %H:%M:%S"}, "created")
    table = _table(tmp_path, "Date,Time\n31/01/2026,9:10:10\n01/02/2026,23:59:59\n", created=spec)
    expected = np.array(["2026-01-31T09:10:10", "2026-02-01T23:59:59"], "datetime64[us]")
    np.testing.assert_array_equal(table.get("created"), expected)


@pytest.mark.parametrize("mark", [".", ","])
def test_a_format_with_fractions_of_a_second(tmp_path: Path, mark: str) -> None:
    # %f as Python's strptime reads it: 1 to 6 digits, kept to the microsecond (more are cut).
    spec = spec_from_options("Date", {"time": "Time", "format": f"%d/%m/%Y %H:%M:%S{mark}%f"}, "created")
    text = (
        f"Date;Time\n05/04/2026;05:31:19{mark}085\n05/04/2026;9:00:00{mark}5\n"
        f"06/04/2026;23:59:59{mark}123456789\n"
    )
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    table = ContactsTable(path, columns={"created": spec}, delimiter=";")
    expected = [
        datetime.datetime.strptime(f"{date} {time}", f"%d/%m/%Y %H:%M:%S{mark}%f")
        for date, time in [("05/04/2026", f"05:31:19{mark}085"), ("05/04/2026", f"09:00:00{mark}5")]
    ] + [datetime.datetime(2026, 4, 6, 23, 59, 59, 123456)]
    assert table.get("created").tolist() == expected


def test_a_date_and_time_that_do_not_fit_the_format_are_shown_together(tmp_path: Path) -> None:
    spec = spec_from_options("Date", {"time": "Time", "format": "%d/%m/%Y %H:%M:%S.%f"}, "created")
    table = _table(tmp_path, "Date,Time\n05/04/2026,05:31:19.085\n05/04/2026,05:31:19\n", created=spec)
    with pytest.raises(
        InvalidInputError, match=r"row 2 \(line 3\), column 'Date': .*got '05/04/2026 05:31:19'"
    ):
        table.get("created")


def test_a_wall_clock_time_skipped_by_dst_names_the_date_and_time(tmp_path: Path) -> None:
    spec = spec_from_options("Date", {"time": "Time", "tz": "Europe/London"}, "created")
    table = _table(tmp_path, "Date,Time\n2026-03-29,00:59:59\n2026-03-29,01:30:00\n", created=spec)
    with pytest.raises(InvalidInputError, match=r"clocks moved forward past it\); got '2026-03-29 01:30:00'"):
        table.get("created")


def test_timestamps_with_one_offset_are_instants_in_that_offset(tmp_path: Path) -> None:
    # Regression: zoned timestamps were rejected.
    table = _table(tmp_path, "created\n2017-10-31T22:10:47+00:00\n2017-11-01T01:30:00+00:00\n")
    stamps = table.get("created")
    assert stamps.tolist() == [
        datetime.datetime(2017, 10, 31, 22, 10, 47),
        datetime.datetime(2017, 11, 1, 1, 30),
    ]
    assert table.aware and table.clock_zone.utcoffset(None) == datetime.timedelta(0)
    report = kpi_report(table, period="month")
    assert report.periods.astype("datetime64[D]").astype(str).tolist() == ["2017-10-01", "2017-11-01"]


def test_offsets_are_read_in_the_report_zone(tmp_path: Path) -> None:
    text = "created\n2026-03-31T23:30:00+00:00\n2026-04-01T00:30:00+02:00\n"
    path = tmp_path / "zoned.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match="different UTC offsets; name the time zone"):
        kpi_report(ContactsTable(path), period="month")
    # In Paris (UTC+2 in April) the first is 01:30 on 1 April, the second 00:30 on 1 April.
    report = kpi_report(ContactsTable(path, tz="Europe/Paris"), period="month")
    assert report.periods.astype("datetime64[D]").astype(str).tolist() == ["2026-04-01"]
    assert report["volume"].values.tolist() == [[2.0]]


def test_twitter_timestamps_are_recognised(tmp_path: Path) -> None:
    # Regression: Twitter's created_at format was rejected.
    table = _table(tmp_path, "created\nTue Oct 31 22:10:47 +0000 2017\nWed Nov 01 03:00:00 +0000 2017\n")
    assert table.get("created").tolist() == [
        datetime.datetime(2017, 10, 31, 22, 10, 47),
        datetime.datetime(2017, 11, 1, 3, 0),
    ]
    assert table.clock_zone.utcoffset(None) == datetime.timedelta(0)
    path = tmp_path / "mixed.csv"
    path.write_text("created\nTue Oct 31 22:10:47 +0000 2017\nWed Nov 01 03:00:00 -0130 2017\n")
    table = ContactsTable(path, tz="UTC")
    assert table.get("created").tolist() == [
        datetime.datetime(2017, 10, 31, 22, 10, 47),
        datetime.datetime(2017, 11, 1, 4, 30),  # 03:00 at UTC-01:30
    ]


def test_naive_timestamps_in_a_named_zone_across_a_dst_change(tmp_path: Path) -> None:
    # Europe/Paris leaves summer time on 2026-10-25 at 03:00 (back to 02:00).
    spec = spec_from_options("created", {"tz": "Europe/Paris"}, "created")
    text = "created\n2026-10-24T12:00:00\n2026-10-25T01:30:00\n2026-10-25T02:30:00\n2026-10-25T12:00:00\n"
    table = _table(tmp_path, text, created=spec)
    utc = table.get("created").astype(str).tolist()
    assert utc == [
        "2026-10-24T10:00:00.000000",  # UTC+2
        "2026-10-24T23:30:00.000000",  # UTC+2
        "2026-10-25T00:30:00.000000",  # repeated hour: the earlier instant (UTC+2)
        "2026-10-25T11:00:00.000000",  # UTC+1
    ]
    # Periods follow the Paris wall clock: two contacts on each day.
    report = kpi_report(table, period="day")
    assert report["volume"].values.tolist() == [[1.0, 3.0]]


def test_wall_clock_time_skipped_by_dst_names_the_row(tmp_path: Path) -> None:
    spec = spec_from_options("created", {"tz": "Europe/Paris"}, "created")
    table = _table(tmp_path, "created\n2026-03-29T01:30:00\n2026-03-29T02:30:00\n", created=spec)
    with pytest.raises(
        InvalidInputError, match=r"row 2 \(line 3\), column 'created': a wall-clock time that exists"
    ):
        table.get("created")


def test_sub_second_timestamps_keep_microseconds(tmp_path: Path) -> None:
    table = _table(tmp_path, "created,first_reply\n2026-01-05 09:00:00.123456,2026-01-05T09:00:01.5\n")
    assert table.get("created").tolist() == [datetime.datetime(2026, 1, 5, 9, 0, 0, 123456)]
    assert table.get("first_reply").tolist() == [datetime.datetime(2026, 1, 5, 9, 0, 1, 500000)]


def test_mixed_naive_and_offset_timestamps_raise(tmp_path: Path) -> None:
    table = _table(tmp_path, "created\n2026-01-05T09:00:00\n2026-01-05T10:00:00Z\n")
    with pytest.raises(InvalidInputError, match=r"row 1 \(line 2\), column 'created'.*not mixing naive"):
        table.get("created")


def test_missing_created_names_the_row(tmp_path: Path) -> None:
    table = _table(tmp_path, "created,nps\n2026-01-05,9\n,10\n")
    with pytest.raises(InvalidInputError, match=r"row 2 \(line 3\), column 'created': a timestamp"):
        table.get("created")


@pytest.mark.parametrize("text", ["20260-01-01", "0000-12-31T10:00"])
def test_years_outside_1_to_9999_raise(text: str, tmp_path: Path) -> None:
    table = _table(tmp_path, f"created\n2026-01-01\n{text}\n")
    with pytest.raises(InvalidInputError, match=r"row 2 \(line 3\), column 'created'"):
        table.get("created")


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("options", "kind", "message"),
    [
        ({"unit": "fortnights"}, "duration", "unit must be one of"),
        ({"unit": "minutes"}, "score", "'unit' applies to duration roles only"),
        ({"format": "%Y"}, "duration", "'format' applies to timestamp roles only"),
        ({"invert": True}, "timestamp", "apply to flag roles only"),
        ({"true": ["y"], "false": ["y"]}, "flag", "'y' is both a true and a false value"),
    ],
)
def test_options_that_do_not_fit_the_role_raise(options: dict[str, object], kind: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        spec_from_options("x", options, "roles.x").check(kind, "roles.x")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"colour": "red"}, "unknown option 'colour'"),
        ({"missing": "0"}, "missing must be a list of strings"),
        ({"invert": "yes"}, "invert must be true or false"),
        ({"tz": "Mars/Olympus"}, "tz must be an IANA time zone"),
        ({"format": 3}, "format must be a string"),
    ],
)
def test_bad_options_name_the_key(options: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        spec_from_options("x", options, "mine.toml: roles.x")


def test_a_spec_compares_its_values_trimmed_and_case_insensitively_however_it_is_built() -> None:
    direct = ColumnSpec(
        column="answered", true_values=("Y",), false_values=(" N ",), missing=("", "N/A"), invert=True
    )
    mapped = spec_from_options(
        "answered",
        {"true": ["Y"], "false": [" N "], "missing": ["", "N/A"], "invert": True},
        "roles.abandoned",
    )
    assert direct == mapped
    assert direct.true_values == ("y",) and direct.false_values == ("n",) and direct.missing == ("", "n/a")
    table = ContactsTable(
        {"created": ["2026-01-05"] * 4, "answered": ["Y", "n", "N/A", ""]}, columns={"abandoned": direct}
    )
    assert table.get("abandoned").tolist() == [False, True, False, False]
    scores = ColumnSpec(column="rating", values=(("Good", 5), (" BAD", 1)))
    assert scores.values == (("good", 5.0), ("bad", 1.0))
    rated = ContactsTable(
        {"created": ["2026-01-05"] * 2, "rating": ["good", "Bad"]}, columns={"csat": scores}
    )
    assert rated.get("csat").tolist() == [5.0, 1.0]
