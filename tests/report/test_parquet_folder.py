"""A folder of Parquet files as input: every file below it in name order, only the needed columns,
one file at a time; Hive-style partition folders as text columns; errors naming the file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from cskpi import InvalidInputError, kpi_report, read_contacts
from cskpi.__main__ import main
from cskpi._report.io import ContactsTable, example_contacts_path
from cskpi._report.readers import column_names, read_columns

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pa_csv = pytest.importorskip("pyarrow.csv")


def _example() -> object:
    """The bundled example as an Arrow table of text columns (as the CSV reader sees them)."""
    names = column_names(example_contacts_path())
    columns, _ = read_columns(example_contacts_path(), names)
    return pa.table(columns)


def _same_report(mine: object, theirs: object) -> None:
    assert mine.n_contacts == theirs.n_contacts  # type: ignore[attr-defined]
    for a, b in zip(mine.kpis, theirs.kpis, strict=True):  # type: ignore[attr-defined]
        assert a.key == b.key
        np.testing.assert_allclose(a.values, b.values, equal_nan=True, err_msg=a.key)


def _split(table: object, folder: Path, n_files: int) -> list[Path]:
    """``table`` cut into ``n_files`` files under Hive-style folders, returned in name order."""
    edges = np.linspace(0, table.num_rows, n_files + 1).astype(int)  # type: ignore[attr-defined]
    paths = []
    for i in range(n_files):
        # part-10 sorts before part-2: the files are read in name (text) order.
        path = folder / f"region={'eu' if i < n_files // 2 else 'us'}" / f"part-{i}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.slice(edges[i], edges[i + 1] - edges[i]), path)  # type: ignore[attr-defined]
        paths.append(path)
    return sorted(paths, key=lambda path: path.relative_to(folder).parts)


def test_many_files_give_the_report_of_their_concatenation(tmp_path: Path) -> None:
    table = _example()
    folder = tmp_path / "dataset"
    order = _split(table, folder, 24)
    (folder / "_SUCCESS").write_text("")  # writers' markers are skipped
    (folder / "region=eu" / ".part-0.parquet.crc").write_bytes(b"\x00")
    single = tmp_path / "all.parquet"
    pq.write_table(pa.concat_tables([pq.read_table(path) for path in order]), single)
    # Rows in name order: the concatenation of the files sorted by folder, then name.
    mine, n_rows = read_columns(folder, ["created", "nps"])
    theirs = pq.read_table(single)
    assert n_rows == table.num_rows
    assert mine["created"].to_pylist() == theirs.column("created").to_pylist()
    assert mine["nps"].to_pylist() == theirs.column("nps").to_pylist()
    for by in (None, "channel"):
        _same_report(
            kpi_report(read_contacts(folder), period="month", by=by),
            kpi_report(read_contacts(single), period="month", by=by),
        )
    # The whole file is the bundled CSV in another order: the same report.
    _same_report(
        kpi_report(read_contacts(folder), period="month"),
        kpi_report(read_contacts(example_contacts_path()), period="month"),
    )


def test_hive_partition_folders_are_text_columns(tmp_path: Path) -> None:
    table = _example()
    folder = tmp_path / "dataset"
    order = _split(table, folder, 6)
    assert column_names(folder)[-1] == "region"
    contacts = ContactsTable(folder)
    regions = contacts.labels("region")
    sizes = [pq.read_metadata(path).num_rows for path in order]
    assert regions.tolist() == [
        path.parent.name.removeprefix("region=")
        for path, n in zip(order, sizes, strict=True)
        for _ in range(n)
    ]
    report = kpi_report(ContactsTable(folder), period="month", by="region")
    assert report["volume"].values.sum(axis=1).tolist() == [sum(sizes[:3]), sum(sizes[3:])]
    # A file's own column of the partition's name wins; "%20" is decoded; Hive's null is null.
    other = tmp_path / "other"
    for part, region in (
        ("region=north%20east", None),
        ("region=__HIVE_DEFAULT_PARTITION__", None),
        ("x", "own"),
    ):
        (other / part).mkdir(parents=True)
        columns = {"created": ["2026-01-05T09:00"]} | ({"region": [region]} if region else {})
        pq.write_table(pa.table(columns), other / part / "part-0.parquet")
    columns, _ = read_columns(other, ["region"])
    # Name order: "region=__HIVE_DEFAULT_PARTITION__" < "region=north%20east" < "x".
    assert columns["region"].to_pylist() == [None, "north east", "own"]


def test_label_columns_of_a_folder_are_read_as_dictionaries(tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    for part, columns in (
        (
            "region=eu/a.parquet",
            {"created": ["2026-01-05T09:00", "2026-02-05T09:00"], "agent": [" ann", None]},
        ),
        ("region=eu/b.parquet", {"created": ["2026-01-06T09:00"]}),  # no agent column: null
        ("region=us/c.parquet", {"created": ["2026-02-07T09:00"], "agent": ["bob"], "region": ["own"]}),
    ):
        (folder / part).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table(columns), folder / part)
    columns, n_rows = read_columns(
        folder, ["agent", "region", "created"], types={"agent": "label", "region": "label"}
    )
    assert n_rows == 4
    for name in ("agent", "region"):
        assert pa.types.is_dictionary(columns[name].type), name
    assert columns["agent"].to_pylist() == [" ann", None, None, "bob"]
    assert columns["region"].to_pylist() == ["eu", "eu", "eu", "own"]
    assert not pa.types.is_dictionary(columns["created"].type)
    # The report reads them so, and equals the report of the same rows in memory.
    rows = {
        "created": ["2026-01-05T09:00", "2026-02-05T09:00", "2026-01-06T09:00", "2026-02-07T09:00"],
        "agent": [" ann", "", "", "bob"],
        "region": ["eu", "eu", "eu", "own"],
    }
    for by in ("agent", "region"):
        mine, theirs = kpi_report(ContactsTable(folder), by=by), kpi_report(ContactsTable(rows), by=by)
        assert mine.groups.tolist() == theirs.groups.tolist()
        _same_report(mine, theirs)


def test_files_with_different_columns_and_types(tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    folder.mkdir()
    pq.write_table(
        pa.table({"created": ["2026-01-05T09:00"], "wait_seconds": pa.array([10], pa.int32())}),
        folder / "a.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "created": ["2026-01-06T09:00"],
                "wait_seconds": pa.array([3_000_000_000], pa.int64()),
                "nps": [9],
            }
        ),
        folder / "b.parquet",
    )
    assert column_names(folder) == ["created", "wait_seconds", "nps"]
    columns, n_rows = read_columns(folder, ["wait_seconds", "nps"])
    assert n_rows == 2
    assert columns["wait_seconds"].type == pa.int64()
    assert columns["wait_seconds"].to_pylist() == [10, 3_000_000_000]
    assert columns["nps"].to_pylist() == [None, 9]  # missing from the first file: null there
    pq.write_table(
        pa.table({"created": ["x"], "nps": pa.array([b"\x01"], pa.binary())}), folder / "c.parquet"
    )
    with pytest.raises(
        InvalidInputError, match=r"c\.parquet: its columns do not match the folder's earlier files"
    ):
        column_names(folder)


def test_bad_cell_names_the_file_and_its_row(tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    for i, scores in enumerate(([9, 10], [7, 8, 11])):
        (folder / f"month=2026-0{i + 1}").mkdir(parents=True)
        created = [f"2026-0{i + 1}-0{day + 1}T09:00" for day in range(len(scores))]
        pq.write_table(
            pa.table({"created": created, "nps": scores}), folder / f"month=2026-0{i + 1}" / "part-0.parquet"
        )
    bad = folder / "month=2026-02" / "part-0.parquet"
    with pytest.raises(InvalidInputError, match=rf"^{bad}: row 3, column 'nps'.*11"):
        kpi_report(read_contacts(folder))


def _cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_reads_a_folder_and_refuses_bad_ones_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "dataset"
    _split(_example(), folder, 5)
    status, out, err = _cli(capsys, "report", str(folder), "--by", "region", "--format", "json")
    assert status == 0, err
    assert json.loads(out)["groups"] == ["eu", "us"]
    status, out, _ = _cli(capsys, "report", str(folder), "--format", "csv")
    csv_status, from_csv, _ = _cli(capsys, "report", str(example_contacts_path()), "--format", "csv")
    assert status == csv_status == 0 and out == from_csv
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "mixed").mkdir()
    pq.write_table(pa.table({"created": ["2026-01-05T09:00"]}), tmp_path / "mixed" / "part-0.parquet")
    (tmp_path / "mixed" / "notes.csv").write_text("a,b\n")
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "part-0.parquet").write_text("not parquet")
    cases = [
        ((str(empty),), "is a directory without Parquet files"),
        ((str(tmp_path / "mixed"),), "holds 'notes.csv', which is not a Parquet file"),
        ((str(tmp_path / "fake"),), "part-0.parquet: is not a Parquet file"),
        (
            (str(folder), "--input-format", "csv"),
            "is a directory: a directory is read as Parquet files, not as csv",
        ),
    ]
    cases.append(
        ((str(folder), "-o", str(folder / "report.txt")), "is inside the input folder"),
    )
    for arguments, message in cases:
        status, _, err = _cli(capsys, "report", *arguments)
        assert status == 2, (arguments, err)
        assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (folder / "report.txt").exists()


def test_only_the_needed_columns_are_read(tmp_path: Path) -> None:
    # 40 files each with a 1 MB unused text cell: 40 MB of text the report never converts.
    folder = tmp_path / "dataset"
    folder.mkdir()
    for i in range(40):
        note = ["x" * 1_000_000] + ["short"] * 99
        created = [f"2026-01-{1 + (i + row) % 28:02d}T09:00" for row in range(100)]
        pq.write_table(
            pa.table({"created": created, "nps": [row % 11 for row in range(100)], "note": note}),
            folder / f"part-{i:02d}.parquet",
        )
    script = textwrap.dedent(
        f"""
        import pyarrow
        from cskpi import kpi_report, read_contacts
        report = kpi_report(read_contacts({str(folder)!r}), period="month")
        print(report.n_contacts, pyarrow.default_memory_pool().max_memory())
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    n_contacts, peak = map(int, completed.stdout.split())
    assert n_contacts == 4000
    assert peak < 8 * 2**20, f"reading took {peak / 2**20:.1f} MiB of Arrow memory"


def test_a_folder_rewritten_between_reads_is_read_anew(tmp_path: Path) -> None:
    # The folder's schema is kept between reads only while its files are unchanged.
    folder = tmp_path / "dataset"
    folder.mkdir()
    pq.write_table(pa.table({"a": [1, 2]}), folder / "part-0.parquet")
    assert column_names(folder) == ["a"]
    pq.write_table(pa.table({"a": [1, 2], "b": ["x", "y"]}), folder / "part-0.parquet")
    assert column_names(folder) == ["a", "b"]
    pq.write_table(pa.table({"c": [3.0]}), folder / "part-1.parquet")
    columns, n_rows = read_columns(folder, ["b", "c"])
    assert n_rows == 3
    assert columns["b"].to_pylist() == ["x", "y", None] and columns["c"].to_pylist() == [None, None, 3.0]


def test_a_dotted_column_name_reads_alike_from_a_file_and_a_folder(tmp_path: Path) -> None:
    # pandas' json_normalize writes nested fields as columns named 'Agent.Username'; a
    # struct column 'Queue' is reached by the dotted name 'Queue.Duration'.
    table = pa.table(
        {
            "created": ["2026-01-05T09:00", "2026-01-06T09:00"],
            "Agent.Username": ["ann", "bob"],
            "Queue": [{"Duration": 12}, {"Duration": 30}],
        }
    )
    single = tmp_path / "records.parquet"
    pq.write_table(table, single)
    folder = tmp_path / "records"
    folder.mkdir()
    pq.write_table(table, folder / "part-0.parquet")
    for path in (single, folder):
        columns, n_rows = read_columns(path, ["Agent.Username", "Queue.Duration"])
        assert n_rows == 2
        assert columns["Agent.Username"].to_pylist() == ["ann", "bob"]
        assert columns["Queue.Duration"].to_pylist() == [12, 30]
        contacts = read_contacts(path, columns={"agent": "Agent.Username", "wait_seconds": "Queue.Duration"})
        assert contacts.get("agent").tolist() == ["ann", "bob"]
        assert contacts.get("wait_seconds").tolist() == [12.0, 30.0]
