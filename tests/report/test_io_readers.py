"""The Arrow file readers: CSV, Parquet (file and folder) and JSON lines, only the needed columns."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cskpi import InvalidInputError, kpi_report
from cskpi._core.optional import unavailable
from cskpi._report.io import ContactsTable, example_contacts_path
from cskpi._report.readers import column_names, file_format, read_columns

pa = pytest.importorskip("pyarrow")


def _write(folder: Path, text: str, name: str = "contacts.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_columns_match_the_csv_module() -> None:
    rows = _csv_rows(example_contacts_path())
    names = column_names(example_contacts_path())
    columns, n_rows = read_columns(example_contacts_path(), names)
    assert names == list(rows[0]) and n_rows == len(rows)
    for name in names:
        # Blank cells are nulls.
        assert columns[name].to_pylist() == [row[name] or None for row in rows], name


def test_only_requested_columns_are_read(tmp_path: Path) -> None:
    path = _write(tmp_path, 'a,b,c\n1,"x, y",3\n\n4,,6\n')
    columns, n_rows = read_columns(path, ["b"])
    assert list(columns) == ["b"] and n_rows == 2  # the empty line is skipped
    assert columns["b"].to_pylist() == ["x, y", None]  # a blank cell is null
    columns, n_rows = read_columns(path, [])
    assert columns == {} and n_rows == 2


@pytest.mark.parametrize("text", ["a,b\n", "a,b", "a,b\r\n\r\n"], ids=["newline", "no-newline", "crlf"])
def test_header_only_file_has_no_rows(text: str, tmp_path: Path) -> None:
    columns, n_rows = read_columns(_write(tmp_path, text), ["a", "b"])
    assert n_rows == 0 and all(len(column) == 0 for column in columns.values())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2\n3\n", r"row 2 \(line 3\): expected 2 fields separated by ','; got 1"),
        ("a,b\n1,2\n   \n3,4\n", r"row 2 \(line 3\): expected 2 fields"),  # a line of spaces is a row
        ("", "is empty: expected a header row"),
        ("a;b;c\n1;2;3\n", "is the file delimited by ';'"),
        ("a,a\n1,2\n", "'a' appears twice"),
        ('a,"b\nc",d\n1,2\n', "line 1: a quoted column name runs onto the next line"),
    ],
)
def test_malformed_csv_names_file_row_and_line(text: str, message: str, tmp_path: Path) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InvalidInputError, match=message) as error:
        read_columns(path, column_names(path))
    assert str(error.value).startswith(str(path))


def test_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"created,channel\n2026-01-05,caf\xe9\n")
    with pytest.raises(InvalidInputError, match="is not UTF-8 text"):
        read_columns(path, ["channel"])


def test_quoted_fields_over_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, 'a,b\n1,"x\n\ny"\n2,"p ""q""\nr"\n3,z\n')
    columns, _ = read_columns(path, ["a", "b"])
    assert columns["a"].to_pylist() == ["1", "2", "3"]
    assert columns["b"].to_pylist() == ["x\n\ny", 'p "q"\nr', "z"]


def test_row_and_line_of_a_bad_cell_after_a_multiline_field(tmp_path: Path) -> None:
    path = _write(tmp_path, 'created,note,nps\n2026-01-05,"two\nlines",9\n2026-01-06,x,eleven\n')
    with pytest.raises(InvalidInputError, match=r"row 2 \(line 4\), column 'nps'.*'eleven'"):
        kpi_report(ContactsTable(path))


def _example_table() -> dict[str, list[str]]:
    rows = _csv_rows(example_contacts_path())
    return {name: [row[name] for row in rows] for name in rows[0]}


def test_parquet_file_and_folder_give_the_csv_report(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    csv_report = kpi_report(ContactsTable(example_contacts_path()), period="month", by="channel")
    table = pa.table(_example_table())
    pq.write_table(table, tmp_path / "contacts.parquet")
    folder = tmp_path / "dataset"
    folder.mkdir()
    half = table.num_rows // 2
    pq.write_table(table.slice(0, half), folder / "part-0.parquet")
    pq.write_table(table.slice(half), folder / "part-1.parquet")
    for source in (tmp_path / "contacts.parquet", folder):
        assert file_format(source) == "parquet"
        report = kpi_report(ContactsTable(source), period="month", by="channel")
        assert report.n_contacts == csv_report.n_contacts
        for mine, theirs in zip(report.kpis, csv_report.kpis, strict=True):
            np.testing.assert_allclose(mine.values, theirs.values, equal_nan=True, err_msg=mine.key)


def test_typed_parquet_columns(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    created = np.array(["2026-01-05T09:00", "2026-01-05T10:00", "2026-02-01T09:00"], dtype="datetime64[us]")
    table = pa.table(
        {
            "created": pa.array(created),
            "wait_seconds": pa.array([10, 30, None], pa.int64()),
            "abandoned": pa.array([False, False, True]),
            "nps": pa.array([10.0, 6.0, None]),
        }
    )
    pq.write_table(table, tmp_path / "typed.parquet")
    contacts = ContactsTable(tmp_path / "typed.parquet")
    assert contacts.get("created").tolist() == created.tolist()
    np.testing.assert_array_equal(contacts.get("wait_seconds"), [10.0, 30.0, np.nan])
    assert contacts.get("abandoned").tolist() == [False, False, True]


def test_json_lines_with_nested_fields(tmp_path: Path) -> None:
    lines = [
        {"InitiationTimestamp": "2026-01-05T09:00:00Z", "Agent": {"AfterContactWorkDuration": 30}},
        {"InitiationTimestamp": "2026-01-05T09:10:00Z", "Agent": None},
    ]
    path = _write(tmp_path, "".join(json.dumps(line) + "\n" for line in lines), "ctr.jsonl")
    assert "Agent.AfterContactWorkDuration" in column_names(path)
    columns, n_rows = read_columns(path, ["Agent.AfterContactWorkDuration"])
    assert n_rows == 2 and columns["Agent.AfterContactWorkDuration"].to_pylist() == [30, None]


def test_one_megabyte_cell_in_an_unused_column_reads_in_little_memory(tmp_path: Path) -> None:
    # Read as fixed-width text, a column is as wide as its longest cell: 2,000 rows of a
    # column with one 1 MB cell took 2000 * 1 MB * 4 bytes (8 GB). Only the needed columns
    # are converted now; the peak resident memory of the reading process shows it.
    path = tmp_path / "wide.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("created,nps,note\n")
        for i in range(2000):
            note = "x" * 1_000_000 if i == 7 else "short"
            handle.write(f"2026-01-{1 + i % 28:02d}T09:00,{i % 11},{note}\n")
    script = textwrap.dedent(
        f"""
        import resource, sys
        from cskpi import kpi_report
        from cskpi._report.io import ContactsTable
        import pyarrow, numpy
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        report = kpi_report(ContactsTable({str(path)!r}), period="month")
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(report.n_contacts, (after - before) // 1024)
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    n_contacts, grown_mb = map(int, completed.stdout.split())
    assert n_contacts == 2000
    assert grown_mb < 64, f"reading grew the process by {grown_mb} MB"


def test_impossible_year_is_rejected_naming_file_row_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "created,nps\n2026-01-05T09:00,9\n20260-01-02T09:00,10\n")
    for period in ("day", "month"):
        with pytest.raises(
            InvalidInputError, match=r"row 2 \(line 3\), column 'created'.*'20260-01-02T09:00'"
        ):
            kpi_report(ContactsTable(path), period=period)


def test_in_memory_inputs_need_no_pyarrow() -> None:
    contacts = {"created": ["2026-01-05T09:00", "2026-02-05T09:00"], "wait_seconds": [10, 30], "nps": [10, 6]}
    with unavailable("pyarrow"):
        report = kpi_report(contacts, period="month")
    assert report["nps"].values.tolist() == [[100.0, -100.0]]


def test_reading_a_file_without_pyarrow_says_how_to_install(tmp_path: Path) -> None:
    with (
        unavailable("pyarrow"),
        pytest.raises(ImportError, match=r"pip install pyarrow \(cskpi's \"cli\" extra\)"),
    ):
        ContactsTable(example_contacts_path())
    script = "import sys; sys.modules['pyarrow'] = None\nfrom cskpi.__main__ import main\nsys.exit(main())"
    for arguments in (["report", "--example"], ["report", str(example_contacts_path())]):
        completed = subprocess.run(
            [sys.executable, "-c", script.replace("main()", f"main({arguments!r})")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode == 2
        assert (
            completed.stderr.count("\n") == 1
            and 'pip install pyarrow (cskpi\'s "cli" extra)' in completed.stderr
        )
        assert "Traceback" not in completed.stderr


# --------------------------------------------------------------------------- JSON lines, streamed


def _ctr(i: int) -> dict[str, object]:
    """An Amazon Connect contact record; every fifth contact abandoned (no agent)."""
    record: dict[str, object] = {
        "ContactId": f"c{i}",
        "Channel": "VOICE" if i % 3 else "CHAT",
        "InitiationTimestamp": f"2026-0{1 + i % 2}-{1 + i % 28:02d}T09:{i % 60:02d}:00.{i % 1000:03d}Z",
        "Queue": {"Duration": i % 50 if i % 4 else (i % 50) + 0.5},  # integers and decimals
        "Agent": None,
        "CustomerEndpoint": {"Address": f"+1555{i % 37:04d}"},
    }
    if i % 5:
        record["Agent"] = {
            "Username": f"agent{i % 7}",
            "ConnectedToAgentTimestamp": "2026-01-01T09:00:00Z",
            "AgentInteractionDuration": 100 + i % 90,
            "CustomerHoldDuration": i % 11,
            "AfterContactWorkDuration": 20 + i % 13,
        }
    return record


def _ctr_as_csv(records: list[dict[str, object]], path: Path) -> None:
    """The same records as a CSV file whose headers are the dotted names (blank: absent)."""
    names = [
        "InitiationTimestamp",
        "Channel",
        "Queue.Duration",
        "CustomerEndpoint.Address",
        "Agent.Username",
        "Agent.ConnectedToAgentTimestamp",
        "Agent.AgentInteractionDuration",
        "Agent.CustomerHoldDuration",
        "Agent.AfterContactWorkDuration",
    ]

    def field(record: dict[str, object], name: str) -> object:
        value: object = record
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return "" if value is None else value

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows([field(record, name) for name in names] for record in records)


def _same_report(mine: object, theirs: object) -> None:
    assert mine.n_contacts == theirs.n_contacts  # type: ignore[attr-defined]
    for a, b in zip(mine.kpis, theirs.kpis, strict=True):  # type: ignore[attr-defined]
        assert a.key == b.key
        np.testing.assert_allclose(a.values, b.values, equal_nan=True, err_msg=a.key)


def test_json_lines_in_small_blocks_give_the_csv_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cskpi import read_contacts
    from cskpi._report import readers

    # Blocks of ~600 bytes: the first block's contacts are all abandoned (Agent null), so
    # the Agent object, and decimals among the queue durations, only appear in later blocks.
    monkeypatch.setattr(readers, "_BLOCK_BYTES", 600)
    records = [_ctr(i) for i in range(0, 40, 5)] + [_ctr(i) for i in range(300)]
    path = _write(tmp_path, "".join(json.dumps(record) + "\n" for record in records), "ctr.jsonl")
    _ctr_as_csv(records, tmp_path / "ctr.csv")
    assert readers._json_layout(path).n_rows == len(records)
    assert "Agent.AfterContactWorkDuration" in column_names(path)
    from_json = read_contacts(path, schema="amazon-connect")
    from_csv = read_contacts(tmp_path / "ctr.csv", schema="amazon-connect", format="csv")
    assert from_json.get("abandoned").sum() == sum(record["Agent"] is None for record in records)
    np.testing.assert_array_equal(from_json.get("wait_seconds"), from_csv.get("wait_seconds"))
    np.testing.assert_array_equal(from_json.get("created"), from_csv.get("created"))
    for by in (None, "agent"):
        _same_report(
            kpi_report(from_json, period="month", by=by), kpi_report(from_csv, period="month", by=by)
        )


@pytest.mark.parametrize("block", [64, 600, 1 << 22])
def test_records_back_to_back_as_firehose_delivers_them_give_the_json_lines_report(
    block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cskpi import read_contacts
    from cskpi._report import readers

    # Kinesis Data Firehose writes contact records to S3 with no line break between them.
    records = [_ctr(i) for i in range(120)]
    for i, record in enumerate(records):  # brackets, quotes and backslashes inside strings
        record["Attributes"] = {"note": ['}{"x": [1]}', 'say "hi" {', "c:\\", '\\"]}'][i % 4]}
    lines = _write(tmp_path, "".join(json.dumps(record) + "\n" for record in records), "ctr.jsonl")
    glued = _write(tmp_path, "".join(json.dumps(record) for record in records), "ctr-firehose.json")
    monkeypatch.setattr(readers, "_BLOCK_BYTES", block)
    blocks = list(readers._line_blocks(pa, glued, block))
    assert b"".join(blocks).replace(b"\n", b"") == glued.read_bytes()
    if block < glued.stat().st_size:  # streamed: cut after whole records, never inside one
        longest = max(len(line) for line in lines.read_bytes().splitlines())
        assert len(blocks) > 1 and max(map(len, blocks)) < block + 2 * longest
    assert column_names(glued) == column_names(lines)
    notes_glued, n_glued = read_columns(glued, ["Attributes.note", "ContactId"])
    notes_lines, n_lines = read_columns(lines, ["Attributes.note", "ContactId"])
    assert n_glued == n_lines == len(records)
    assert notes_glued["Attributes.note"].to_pylist() == [r["Attributes"]["note"] for r in records]
    assert notes_glued["ContactId"].to_pylist() == notes_lines["ContactId"].to_pylist()
    for by in (None, "agent"):
        _same_report(
            kpi_report(read_contacts(glued, schema="amazon-connect"), period="month", by=by),
            kpi_report(read_contacts(lines, schema="amazon-connect"), period="month", by=by),
        )


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.dictionaries(
            st.text(alphabet='ab{}[]"\\ \u00e9', max_size=4),
            st.one_of(
                st.text(alphabet='xy{}[]"\\ \n\u00e9', max_size=6),
                st.lists(st.integers(-5, 5), max_size=3),
                st.dictionaries(
                    st.text(alphabet='k}"\\', max_size=2), st.text(alphabet='v]{"\\', max_size=3), max_size=2
                ),
            ),
            max_size=3,
        ),
        min_size=1,
        max_size=5,
    ),
    spaces=st.sampled_from(["", " ", "\r\n"]),
    data=st.data(),
)
def test_a_scan_finds_the_end_of_the_last_whole_record(values: list[Any], spaces: str, data: Any) -> None:
    from cskpi._report.readers import _Scan

    texts = [json.dumps(value, ensure_ascii=False).encode() for value in values]
    ends, text = [], b""
    for piece in texts:
        text += piece
        ends.append(len(text))
        text += spaces.encode()
    cut = data.draw(st.integers(0, len(text)), label="cut")
    expected = max([end for end in ends if end <= cut], default=0)
    assert _Scan().over(text[:cut]).end == expected


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.dictionaries(
            st.text(alphabet='a{"\\', max_size=3),
            st.text(alphabet='x}]"\\\\', max_size=8),  # runs of backslashes before quotes
            max_size=3,
        ),
        min_size=1,
        max_size=4,
    ),
    data=st.data(),
)
def test_a_scan_carried_over_pieces_equals_one_scan_of_the_whole(values: list[Any], data: Any) -> None:
    from cskpi._report.readers import _Scan

    text = b"".join(json.dumps(value).encode() for value in values)
    cut = data.draw(st.integers(0, len(text)), label="cut")
    first = _Scan().over(text[:cut])
    carried, whole = first.over(text[cut:]), _Scan().over(text)
    assert carried[:3] == whole[:3]  # depth, inside a string, escaping backslash
    assert whole.end == (cut + carried.end if carried.end else first.end)


def test_a_long_record_without_line_breaks_is_scanned_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cskpi._report import readers

    # One record over many blocks: each block is scanned once, not the whole record again.
    record = json.dumps({"created": "2026-01-05T09:00", "note": "x\\" * 5_000 + '"}{['})
    path = _write(tmp_path, record + record, "long.json")
    scanned: list[int] = []
    over = readers._Scan.over
    monkeypatch.setattr(
        readers._Scan, "over", lambda self, text: scanned.append(len(text)) or over(self, text)
    )
    blocks = list(readers._line_blocks(pa, path, 1000))
    assert blocks == [record.encode() + b"\n"] * 2
    assert sum(scanned) <= 2 * path.stat().st_size


@pytest.mark.parametrize("separator", ["\n", ""])  # JSON lines, and records back to back (Firehose)
def test_json_lines_huge_unused_value_reads_in_bounded_memory(separator: str, tmp_path: Path) -> None:
    # 3,000 records with a 20 kB unused note each and one 5 MB note: a 65 MB file. Read
    # whole, Arrow holds the file's text and its columns (over 130 MB); streamed, only a
    # block of lines and the needed fields (Arrow's memory plus Python's, the blocks of text).
    path = tmp_path / "ctr.jsonl"
    records = [_ctr(i) for i in range(3000)]
    with open(path, "w", encoding="utf-8") as handle:
        for i, record in enumerate(records):
            note = "x" * 5_000_000 if i == 7 else "note " * 4_000
            handle.write(json.dumps({**record, "Attributes": {"note": note}}) + separator)
    script = textwrap.dedent(
        f"""
        import json, tracemalloc, pyarrow
        from cskpi import kpi_report, read_contacts
        tracemalloc.start()
        report = kpi_report(read_contacts({str(path)!r}, schema="amazon-connect"), period="month")
        peak = pyarrow.default_memory_pool().max_memory() + tracemalloc.get_traced_memory()[1]
        figures = {{kpi.key: kpi.values.tolist() for kpi in report.kpis}}
        print(json.dumps([report.n_contacts, peak, figures]))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    n_contacts, peak, figures = json.loads(completed.stdout)
    assert n_contacts == 3000
    assert peak < 48 * 2**20, f"reading took {peak / 2**20:.0f} MiB"
    _ctr_as_csv(records, tmp_path / "ctr.csv")
    from cskpi import read_contacts

    expected = kpi_report(
        read_contacts(tmp_path / "ctr.csv", schema="amazon-connect", format="csv"), period="month"
    )
    for kpi in expected.kpis:
        np.testing.assert_allclose(
            np.array(figures[kpi.key], dtype=float), kpi.values, equal_nan=True, err_msg=kpi.key
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1}\n{"a": 2}\n{"a": \n', r"row 3: is not a JSON object on one line"),
        ('{"a": 1}\n[1, 2]\n', r"row 2: is not a JSON object \(found array\)"),
        ('{"a": {"b": 1}}\n{"a": {"b": "x"}}\n', r"row 2: field 'a.b' changes type from number to string"),
        ("", "is empty: expected JSON lines"),
        ("\n\n", "is empty: expected JSON lines"),
    ],
)
def test_malformed_json_lines_name_the_row(text: str, message: str, tmp_path: Path) -> None:
    path = _write(tmp_path, text, "bad.jsonl")
    with pytest.raises(InvalidInputError, match=message) as error:
        column_names(path)
    assert str(error.value).startswith(str(path)) and "\n" not in str(error.value)


def test_json_field_changing_type_between_blocks_names_the_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cskpi._report import readers

    lines = [{"created": "2026-01-05T09:00", "wait": 10 + i} for i in range(6)]
    lines += [{"created": "2026-01-05T09:00", "wait": "ten"}]
    path = _write(tmp_path, "".join(json.dumps(line) + "\n" for line in lines), "mixed.jsonl")
    # Within one block, Arrow names the row; across blocks, the block's rows.
    with pytest.raises(InvalidInputError, match=r": row 7: field 'wait' changes type from number to string$"):
        column_names(path)
    monkeypatch.setattr(readers, "_BLOCK_BYTES", 16)  # one line a block (lines are ~44 bytes)
    with pytest.raises(
        InvalidInputError, match=r": rows 7-7: field 'wait' changes type from int64 to string$"
    ):
        column_names(path)


def test_json_lines_gzip_and_blank_lines(tmp_path: Path) -> None:
    import gzip

    text = '{"created": "2026-01-05T09:00:00+01:00", "n": 1}\n\n{"created": "2026-01-06T09:00:00Z"}'
    path = tmp_path / "lines.jsonl.gz"
    path.write_bytes(gzip.compress(text.encode()))
    columns, n_rows = read_columns(path, ["created", "n"])
    assert n_rows == 2
    assert columns["created"].to_pylist() == ["2026-01-05T09:00:00+01:00", "2026-01-06T09:00:00Z"]
    assert columns["n"].to_pylist() == [1, None]


@pytest.mark.parametrize("block", [3, 8, 1 << 20])  # block edges inside \r\n and around quotes
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'created,agent\n2026-01-01,"A1\n2026-01-02,A2\n2026-01-03,A3\n',
            r"line 2: a quoted field is never closed",
        ),
        ('created,agent\n2026-01-01,"A ""1"""\n2026-01-02,"A2\n', r"line 3: a quoted field is never closed"),
        ("created,agent\r2026-01-01,A1\r2026-01-02,A2\r", r"line 1: a carriage return without a line feed"),
        (
            "created,agent\r\n2026-01-01,A1\r\n2026-01-02,A2\r",
            r"line 3: a carriage return without a line feed",
        ),
        (
            "created,agent\r\n2026-01-01,A1\r2026-01-02,A2\r\n",
            r"line 2: a carriage return without a line feed",
        ),
    ],
)
def test_an_unclosed_quote_or_a_bare_carriage_return_is_refused_naming_the_line(
    text: str, message: str, block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cskpi._report import readers

    # Read on, an unclosed quote swallows the rest of the file into one cell, and rows
    # ended by a lone \r run into each other: both would give a report of the wrong rows.
    monkeypatch.setattr(readers, "_SCAN_BLOCK", block)
    path = _write(tmp_path, text)
    with pytest.raises(InvalidInputError, match=message) as error:
        read_columns(path, ["created", "agent"])
    assert str(error.value).startswith(str(path))


@pytest.mark.parametrize("block", [3, 1 << 20])
def test_crlf_quoted_line_breaks_and_blank_bodies_are_read(
    block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cskpi._report import readers

    monkeypatch.setattr(readers, "_SCAN_BLOCK", block)
    crlf = _write(tmp_path, 'created,agent\r\n2026-01-01,"A\r\n1"\r\n2026-01-02,A2\r\n', "crlf.csv")
    columns, n_rows = read_columns(crlf, ["agent"])
    assert n_rows == 2 and columns["agent"].to_pylist() == ["A\r\n1", "A2"]
    for body in ("", "\n", "\n\n\n"):
        columns, n_rows = read_columns(_write(tmp_path, "created,agent" + body, "empty.csv"), ["agent"])
        assert n_rows == 0


def test_gzip_compressed_csv_gives_the_report_of_the_plain_file(tmp_path: Path) -> None:
    import gzip

    plain = example_contacts_path()
    packed = tmp_path / "contacts.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert column_names(packed) == column_names(plain)
    _same_report(
        kpi_report(ContactsTable(packed), by="channel"), kpi_report(ContactsTable(plain), by="channel")
    )
    bad = tmp_path / "bad.csv.gz"
    bad.write_bytes(gzip.compress(b'created,agent\n2026-01-01,"A1\n2026-01-02,A2\n'))
    with pytest.raises(InvalidInputError, match=r"line 2: a quoted field is never closed"):
        read_columns(bad, ["agent"])
