"""Fast paths of the report: label codes, reader-parsed columns and period cells equal the plain paths."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cskpi import InvalidInputError, kpi_report
from cskpi._report.io import ContactsTable
from cskpi._report.parsing import ColumnSpec

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _contacts(seed: int, n: int = 600) -> dict[str, list[str]]:
    """Text customer ids with blanks, padding, anonymous callers, repeats across channels and months."""
    rng = np.random.default_rng(seed)
    day = rng.integers(0, 150, n)
    created = [
        str(np.datetime64("2026-01-01") + int(d)) + f"T{h:02d}:00"
        for d, h in zip(day, rng.integers(0, 24, n), strict=True)
    ]
    channel = rng.choice(["phone", "chat", " email"], n).tolist()  # a padded label: the same channel trimmed
    ids = rng.integers(0, 60, n)
    customer = [f"c{i}" if i % 7 else f" c{i} " for i in ids]  # padded ids: the same customer
    for index in rng.choice(n, 40, replace=False):
        customer[index] = rng.choice(["", "   ", "anonymous", "ANONYMOUS "])
    return {"created": created, "channel": channel, "customer": customer}


def _slow_retention(contacts: dict[str, list[str]], missing: tuple[str, ...]) -> dict[str, Any]:
    """Per channel and month: customers first seen there, and those back there the next month (loops)."""
    months = sorted({c[:7] for c in contacts["created"]})
    first_month = min(months)
    all_months = [str(m) for m in np.arange(np.datetime64(first_month), np.datetime64(max(months)) + 1)]
    channels = sorted({c.strip() for c in contacts["channel"]})
    seen: dict[tuple[str, str], set[str]] = {}
    no_id = {(g, m): 0 for g in channels for m in all_months}
    for created, channel, customer in zip(
        contacts["created"], contacts["channel"], contacts["customer"], strict=True
    ):
        key = customer.strip()
        if key == "" or key.lower() in missing:
            no_id[channel.strip(), created[:7]] += 1
            continue
        seen.setdefault((channel.strip(), key), set()).add(created[:7])
    sizes = {(g, m): 0 for g in channels for m in all_months}
    back = dict(sizes)
    for (channel, _), active in seen.items():
        first = min(active)
        sizes[channel, first] += 1
        following = str(np.datetime64(first) + 1)
        back[channel, first] += following in active
    return {"channels": channels, "months": all_months, "sizes": sizes, "back": back, "no_id": no_id}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_retention_from_arrow_codes_equals_in_memory_path_and_slow_reference(
    seed: int, tmp_path: Path
) -> None:
    contacts = _contacts(seed)
    spec = {"customer": ColumnSpec(column="customer", missing=("", "anonymous"))}
    in_memory = kpi_report(ContactsTable(contacts, columns=spec), period="month", by="channel")
    # The same data as a pyarrow Table (strings, then dictionary-encoded) and as a CSV file.
    strings = pa.table(contacts)
    dictionary = pa.table({**contacts, "customer": pa.array(contacts["customer"]).dictionary_encode()})
    path = tmp_path / "contacts.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(contacts))
        writer.writerows(zip(*contacts.values(), strict=True))
    # And as Parquet, whose text label columns the reader codes as dictionaries.
    parquet = tmp_path / "contacts.parquet"
    pq.write_table(strings, parquet, row_group_size=150)  # several row groups
    reference = _slow_retention(contacts, ("anonymous",))
    for data in (strings, dictionary, path, parquet):
        report = kpi_report(ContactsTable(data, columns=spec), period="month", by="channel")
        series, expected = report["retention"], in_memory["retention"]
        np.testing.assert_array_equal(series.values, expected.values)
        np.testing.assert_array_equal(series.n, expected.n)
        np.testing.assert_array_equal(series.n_used, expected.n_used)
        np.testing.assert_array_equal(series.n_excluded, expected.n_excluded)
        assert report.groups.tolist() == reference["channels"]
        assert [str(p)[:7] for p in report.periods] == reference["months"]
        for g, channel in enumerate(reference["channels"]):
            for p, month in enumerate(reference["months"]):
                size, came_back = reference["sizes"][channel, month], reference["back"][channel, month]
                assert series.n[g, p] == size
                assert series.excluded["no customer id"][g, p] == reference["no_id"][channel, month]
                if p < len(reference["months"]) - 1 and size:
                    assert series.values[g, p] == came_back / size
                else:
                    assert np.isnan(series.values[g, p])


def test_ungrouped_retention_from_arrow_codes_keeps_the_cohort_table() -> None:
    contacts = _contacts(3)
    spec = {"customer": ColumnSpec(column="customer", missing=("", "anonymous"))}
    from_arrow = kpi_report(ContactsTable(pa.table(contacts), columns=spec), period="month")
    in_memory = kpi_report(ContactsTable(contacts, columns=spec), period="month")
    assert from_arrow.cohorts == in_memory.cohorts
    np.testing.assert_array_equal(from_arrow["retention"].values, in_memory["retention"].values)


def test_label_codes_share_a_code_exactly_for_equal_trimmed_labels() -> None:
    labels = ["b", " a", "a ", None, "", "anonymous", "b", "c", "  "]
    spec = {"customer": ColumnSpec(column="customer", missing=("", "anonymous"))}
    chunked = pa.chunked_array(
        [pa.array(labels[:4]).dictionary_encode(), pa.array(labels[4:]).dictionary_encode()]
    )
    created = ["2026-01-01"] * len(labels)
    text_chunks = pa.chunked_array([pa.array(labels[:4]), pa.array(labels[4:])])
    for column in (pa.array(labels), chunked, text_chunks, labels):
        table = ContactsTable({"created": created, "customer": column}, columns=spec)
        codes, known = table.label_codes("customer")
        assert known.tolist() == [True, True, True, False, False, False, True, True, False]
        present = [label.strip() for label, k in zip(labels, known, strict=True) if k]  # type: ignore[union-attr]
        shown = codes[known]
        for i, left in enumerate(present):
            for j, right in enumerate(present):
                assert (shown[i] == shown[j]) == (left == right)


def test_dictionary_columns_give_the_labels_and_groups_of_text() -> None:
    labels = ["b", " a", None, "a ", "c", "", "b"]
    chunked = pa.chunked_array(
        [pa.array(labels[:3]).dictionary_encode(), pa.array(labels[3:]).dictionary_encode()]
    )
    created = ["2026-01-01"] * len(labels)
    text = ContactsTable({"created": created, "channel": pa.array(labels)})
    coded = ContactsTable({"created": created, "channel": chunked})
    assert coded.get("channel").tolist() == text.get("channel").tolist() == ["b", "a", "", "a", "c", "", "b"]
    assert coded.groups("channel") == text.groups("channel")


def test_parquet_label_columns_are_read_as_dictionaries_and_report_as_text(tmp_path: Path) -> None:
    contacts = _contacts(4)
    contacts["agent"] = [f"agent {i % 5}" if i % 11 else "" for i in range(len(contacts["created"]))]
    contacts["wait_seconds"] = [str(i % 40) for i in range(len(contacts["created"]))]
    path = tmp_path / "contacts.parquet"
    pq.write_table(pa.table(contacts), path, row_group_size=100)
    table = ContactsTable(path)
    table.plan("agent")
    assert table.n_rows == len(
        contacts["created"]
    )  # read: the planned label columns come as Arrow dictionaries, the others as text
    for name in ("channel", "agent", "customer"):
        assert pa.types.is_dictionary(table.raw(name).type), name
    assert not pa.types.is_dictionary(table.raw("wait_seconds").type)
    for by in ("channel", "agent", None):
        from_parquet = kpi_report(ContactsTable(path), period="month", by=by)
        in_memory = kpi_report(ContactsTable(contacts), period="month", by=by)
        assert {**from_parquet.to_dict(), "source": None} == in_memory.to_dict()
    assert ContactsTable(path).get("agent").tolist() == [label.strip() for label in contacts["agent"]]


def test_a_parquet_label_column_mapped_with_other_roles_stays_text(tmp_path: Path) -> None:
    # A column read by a label role and a duration role is not coded by the reader.
    path = tmp_path / "contacts.parquet"
    pq.write_table(pa.table({"created": ["2026-01-01", "2026-01-02"], "x": ["12", "30"]}), path)
    columns = {"agent": ColumnSpec(column="x"), "wait_seconds": ColumnSpec(column="x")}
    table = ContactsTable(path, columns=columns)
    assert table.get("wait_seconds").tolist() == [12.0, 30.0]
    assert table.get("agent").tolist() == ["12", "30"]
    assert not pa.types.is_dictionary(table.raw("x").type)


def test_groups_first_then_text_equal_text_first(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        "created,channel\n2026-01-01, b\n2026-01-02,\n2026-01-03,a\n2026-01-04,b \n", encoding="utf-8"
    )
    grouped_first, text_first = ContactsTable(path), ContactsTable(path)
    groups = grouped_first.groups("channel")
    labels = text_first.get("channel")
    assert groups == text_first.groups("channel")
    assert grouped_first.get("channel").tolist() == labels.tolist() == ["b", "", "a", "b"]
    assert groups.labels[0].tolist() == ["", "a", "b"] and groups.codes.tolist() == [2, 0, 1, 2]


def test_csv_reader_parses_plain_numbers_and_flags_and_falls_back_to_text(tmp_path: Path) -> None:
    from cskpi._report.readers import read_columns

    path = tmp_path / "contacts.csv"
    path.write_text(
        "created,wait_seconds,talk_seconds,abandoned,nps,csat\n"
        "2026-01-05T09:00,12,0:01:40,true,9,\n"
        "2026-01-06T09:00,,95, yes ,,4\n"
        "2026-02-03T09:00, 30 ,1e2,False,10,5\n",
        encoding="utf-8",
    )
    types = {"wait_seconds": "float", "talk_seconds": "float", "abandoned": "bool", "nps": "float"}
    read, n_rows = read_columns(path, list(types), types=types)
    assert n_rows == 3
    # Numbers (padded ones too) parsed by the reader; H:MM:SS and ' yes ' leave their columns as text.
    assert read["wait_seconds"].to_pylist() == [12.0, None, 30.0]
    assert read["nps"].to_pylist() == [9.0, None, 10.0]
    assert read["talk_seconds"].to_pylist() == ["0:01:40", "95", "1e2"]
    assert read["abandoned"].to_pylist() == ["true", " yes ", "False"]
    # The report of the file equals the report of the same cells given as Arrow text.
    text = {
        row[0]: list(row[1:])
        for row in zip(*csv.reader(path.read_text(encoding="utf-8").splitlines()), strict=True)
    }
    from_file = kpi_report(ContactsTable(path), period="month").to_dict()
    in_memory = kpi_report(ContactsTable(pa.table(text)), period="month").to_dict()
    assert from_file["rows"] == in_memory["rows"]
    assert from_file["rows"][0]["abandonment_rate"] == 1.0 and from_file["rows"][1]["aht"] == 100.0


def test_a_bad_number_read_by_the_csv_reader_is_shown_as_the_file_has_it(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        "created,wait_seconds,nps\n2026-01-05T09:00,12,9\n2026-01-06T09:00,-3,9.5\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInputError, match=r"row 2 \(line 3\), column 'wait_seconds'.*got '-3'"):
        kpi_report(ContactsTable(path), period="month")
    path.write_text(
        "created,wait_seconds,nps\n2026-01-05T09:00,12,9\n2026-01-06T09:00,3,9.50\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInputError, match=r"row 2 \(line 3\), column 'nps'.*got '9.50'"):
        kpi_report(ContactsTable(path), period="month")


def test_grouping_by_a_number_column_of_a_csv_file_groups_its_text(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        "created,wait_seconds,nps\n2026-01-05T09:00,12,9\n2026-01-06T09:00,3,10\n", encoding="utf-8"
    )
    report = kpi_report(ContactsTable(path), period="month", by="nps")
    assert report.groups.tolist() == ["10", "9"]


@pytest.mark.parametrize("period", ["hour", "day", "week", "month", "quarter", "year"])
def test_cells_place_contacts_in_the_periods_of_period_ordinals(period: str) -> None:
    from cskpi._core.time import period_ordinals
    from cskpi._report.standards import build_cells

    rng = np.random.default_rng(5)
    seconds = rng.integers(-3 * 365 * 86_400, 3 * 365 * 86_400, 2_000)  # both sides of 1970
    stamps = np.datetime64("1970-01-01T00:00:00", "us") + (
        seconds * 1_000_000 + rng.integers(0, 10**6, 2_000)
    )
    if period == "hour":
        stamps = stamps[np.abs(seconds) < 200 * 86_400]
    cells = build_cells(ContactsTable({"created": stamps}), period, None)
    ordinals = period_ordinals(stamps, period)  # type: ignore[arg-type]
    np.testing.assert_array_equal(cells.codes, ordinals - ordinals.min())


def test_years_outside_the_range_are_found_at_their_first_instant() -> None:
    from cskpi._report.standards import check_years

    table = ContactsTable({"created": ["1900-01-01T00:00"]})
    inside = np.array(["1900-01-01T00:00:00", "2200-12-31T23:59:59.999999"], dtype="datetime64[us]")
    check_years(table, inside)
    for outside in ("1899-12-31T23:59:59.999999", "2201-01-01T00:00:00", "NaT"):
        with pytest.raises(InvalidInputError, match=r"a year in 1900\.\.2200"):
            check_years(table, np.array(["2026-01-01", outside], dtype="datetime64[us]"))


@pytest.mark.parametrize("period", ["hour", "day", "week", "month", "quarter", "year"])
def test_stamp_ordinals_equal_period_ordinals(period: str) -> None:
    from cskpi._core.periods import stamp_ordinals
    from cskpi._core.time import period_ordinals

    rng = np.random.default_rng(11)
    micros = (
        rng.integers(-(10**15), 10**15, 500) if period != "hour" else rng.integers(-(10**13), 10**13, 500)
    )
    stamps = micros.astype("datetime64[us]")
    # Few days for many rows (the per-day table) on both sides of 1970, and many days.
    narrow = (rng.integers(-100 * 86_400, 100 * 86_400, 500) * 10**6 + rng.integers(0, 10**6, 500)).astype(
        "datetime64[us]"
    )
    for values in (
        stamps,
        narrow,
        stamps.astype("datetime64[s]"),
        np.append(narrow, np.datetime64("NaT")),
        stamps[:0],
    ):
        expected = period_ordinals(values, period)  # type: ignore[arg-type]
        np.testing.assert_array_equal(stamp_ordinals(values, period), expected)  # type: ignore[arg-type]


def test_retention_with_more_groups_than_one_byte_holds() -> None:
    contacts = _contacts(4, n=3_000)
    rng = np.random.default_rng(4)
    contacts["channel"] = [f"agent-{i}" for i in rng.integers(0, 300, 3_000)]
    spec = {"customer": ColumnSpec(column="customer", missing=("", "anonymous"))}
    report = kpi_report(ContactsTable(pa.table(contacts), columns=spec), period="month", by="channel")
    reference = _slow_retention(contacts, ("anonymous",))
    assert report.groups.tolist() == reference["channels"] and len(reference["channels"]) > 256
    series = report["retention"]
    for g, channel in enumerate(reference["channels"]):
        for p, month in enumerate(reference["months"]):
            assert series.n[g, p] == reference["sizes"][channel, month]
            if p < len(reference["months"]) - 1 and reference["sizes"][channel, month]:
                assert (
                    series.values[g, p]
                    == reference["back"][channel, month] / reference["sizes"][channel, month]
                )
