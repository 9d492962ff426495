"""File readers on Apache Arrow: CSV, Parquet (a file or a folder of files) and JSON lines.

One reader for every file format: :mod:`pyarrow.csv` streams a delimited text file
in record batches, :mod:`pyarrow.parquet` reads the columns of a Parquet file or of
a folder of Parquet files, :mod:`pyarrow.json` a file of JSON lines (one object per line; nested
objects become struct columns, reached with dotted names such as
``Agent.AfterContactWorkDuration``). Only the columns asked for are converted, so
memory follows the batch and those columns, not the widest cell of a column the
report does not use. CSV columns are read as text (the parsing rules of
:mod:`cskpi._report.parsing` convert them); Parquet and JSON columns keep their
types.

pyarrow is an optional dependency (the ``cli`` extra): without it, reading a file
raises :class:`cskpi._core.optional.MissingDependencyError` with the install line.
"""

from __future__ import annotations

import csv
import importlib
import os
import re
from pathlib import Path
from typing import Any

from .._core.errors import InvalidInputError
from .._core.optional import require

__all__ = ["FORMATS", "arrow", "column_names", "file_format", "line_of_row", "read_columns", "read_json"]

#: File formats: name -> file-name suffixes recognised.
FORMATS: dict[str, tuple[str, ...]] = {
    "csv": (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz"),
    "parquet": (".parquet", ".pq", ".parq"),
    "json": (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".json.gz"),
}
# Bytes of text parsed per record batch of a CSV or JSON file.
_BLOCK_BYTES = 1 << 22


def arrow() -> Any:
    """The :mod:`pyarrow` module, or a one-line install hint (``pip install "cskpi[cli]"``)."""
    return require("pyarrow", "reading files", "cli")


def _fail(path: str | Path, message: str) -> InvalidInputError:
    return InvalidInputError(f"{path}: {message}")


def file_format(path: str | Path, format: str | None = None) -> str:
    """The format of ``path``: ``format`` when given, else from its suffix (a folder is Parquet)."""
    if format is not None:
        if format not in FORMATS:
            raise InvalidInputError(f"format must be one of {', '.join(FORMATS)}; got {format!r}")
        return format
    if os.path.isdir(path):
        return "parquet"
    name = str(path).lower()
    for candidate, suffixes in FORMATS.items():
        if name.endswith(suffixes):
            return candidate
    return "csv"


def _header(path: str | Path, delimiter: str) -> list[str]:
    """The header row of a CSV file, checked for emptiness, duplicates and a likely wrong delimiter."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except UnicodeDecodeError:
        raise _fail(path, "is not UTF-8 text") from None
    if not first.strip():
        raise _fail(path, "is empty: expected a header row naming the columns")
    if first.count('"') % 2:
        raise _fail(path, "line 1: a quoted column name runs onto the next line; the header must be one line")
    header = next(csv.reader([first], delimiter=delimiter))
    stripped = [name.strip() for name in header]
    if len(header) == 1:
        for other in (";", "\t", "|", ","):
            if other != delimiter and other in first:
                shown = "\\t" if other == "\t" else other
                raise _fail(
                    path,
                    f"line 1: the header has one column {stripped[0][:60]!r} but contains {shown!r}; "
                    f"is the file delimited by {shown!r}? (pass --delimiter '{shown}')",
                )
    if len(set(stripped)) != len(stripped):
        duplicated = sorted({name for name in stripped if stripped.count(name) > 1})
        raise _fail(path, f"line 1: column names must be distinct; {duplicated[0]!r} appears twice")
    if any(name == "" for name in stripped):
        raise _fail(path, f"line 1: column {stripped.index('') + 1} has no name")
    return header


def column_names(path: str | Path, *, format: str | None = None, delimiter: str = ",") -> list[str]:
    """The column names of a file, read from its header (CSV), schema (Parquet) or first lines (JSON).

    Nested JSON objects are listed by dotted name (``Agent.Username``).
    """
    kind = file_format(path, format)
    if not os.path.exists(path):
        raise FileNotFoundError(2, "No such file or directory", str(path))
    if (
        os.path.isdir(path)
        and kind == "parquet"
        and not any(name.endswith(FORMATS["parquet"]) for _, _, files in os.walk(path) for name in files)
    ):
        raise _fail(path, "is a directory without Parquet files; give a contacts file")
    if kind == "csv":
        if len(delimiter) != 1:
            raise InvalidInputError(f"delimiter must be one character; got {delimiter!r}")
        return [name.strip() for name in _header(path, delimiter)]
    pa = arrow()
    schema = _dataset(path).schema if kind == "parquet" else read_json(path, pa).schema
    return _flat_names(pa, schema)


def _flat_names(pa: Any, schema: Any) -> list[str]:
    names: list[str] = []

    def walk(prefix: str, field: Any) -> None:
        names.append(prefix + field.name)
        if pa.types.is_struct(field.type):
            for i in range(field.type.num_fields):
                walk(prefix + field.name + ".", field.type.field(i))

    for field in schema:
        walk("", field)
    return names


def _parquet_files(path: str | Path) -> list[Any]:
    """The Parquet files of a file or a folder (every ``*.parquet`` below it, in name order)."""
    arrow()
    pq: Any = importlib.import_module("pyarrow.parquet")
    if os.path.isdir(path):
        names = sorted(
            os.path.join(folder, name)
            for folder, _, files in os.walk(path)
            for name in files
            if name.endswith(FORMATS["parquet"])
        )
    else:
        names = [str(path)]
    try:
        return [pq.ParquetFile(name) for name in names]
    except (OSError, ValueError) as error:
        raise _fail(path, f"is not a Parquet file or folder ({_first_line(error)})") from None


class _Schemas:
    """The schema shared by the Parquet files of a folder (the first file's)."""

    def __init__(self, files: list[Any]) -> None:
        self.schema = files[0].schema_arrow


def _dataset(path: str | Path) -> Any:
    return _Schemas(_parquet_files(path))


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _as_text(pa: Any, kind: Any) -> Any:
    """``kind`` with every timestamp (nested ones too) replaced by text."""
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        return pa.string()
    if pa.types.is_struct(kind):
        return pa.struct([pa.field(f.name, _as_text(pa, f.type)) for f in kind])
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return pa.list_(_as_text(pa, kind.value_type))
    return kind


def read_json(path: str | Path, pa: Any, *, newlines_in_values: bool = False) -> Any:
    """A JSON-lines file as a table; text that looks like a timestamp stays text.

    Arrow's inference would read ``2026-01-05T09:00:00Z`` as a naive timestamp,
    losing the offset: the file is read twice, the second time with the inferred
    schema whose timestamps are text, so the parsing rules see the offsets.
    """
    pa_json: Any = importlib.import_module("pyarrow.json")
    read = pa_json.ReadOptions(block_size=_BLOCK_BYTES)
    try:
        parse = pa_json.ParseOptions(newlines_in_values=newlines_in_values)
        table = pa_json.read_json(str(path), read_options=read, parse_options=parse)
        schema = pa.schema([pa.field(f.name, _as_text(pa, f.type)) for f in table.schema])
        if schema != table.schema:
            parse = pa_json.ParseOptions(explicit_schema=schema, newlines_in_values=newlines_in_values)
            table = pa_json.read_json(str(path), read_options=read, parse_options=parse)
    except pa.ArrowInvalid as error:
        raise _fail(path, f"is not JSON lines (one object per line): {_first_line(error)}") from None
    return table


def read_columns(
    path: str | Path,
    names: list[str],
    *,
    format: str | None = None,
    delimiter: str = ",",
    types: dict[str, str] | None = None,
) -> tuple[dict[str, Any], int]:
    """Read only the columns ``names`` of a file: ``({name: Arrow chunked array}, number of rows)``.

    CSV is streamed in record batches, the columns asked for kept (memory follows
    the batch and those columns, not the file); Parquet files are read column by
    column, only those asked for; JSON lines are parsed whole, then the columns are
    picked. Dotted
    names reach fields of nested objects. Empty lines of a CSV file are skipped.
    Errors name the file and, for a malformed CSV row, the row and line.
    """
    pa = arrow()
    kind = file_format(path, format)
    if kind == "csv":
        return _read_csv(pa, path, names, delimiter, types or {})
    if kind == "parquet":
        # Each file read by pyarrow.parquet, only the columns asked for (row groups stream
        # from disk); pyarrow.dataset is not used: importing it loads pandas when installed.
        files = _parquet_files(path)
        schema = files[0].schema_arrow
        top = sorted({name.split(".")[0] for name in names if name.split(".")[0] in schema.names})
        try:
            parts = [file.read(columns=top or schema.names[:1]) for file in files]
            table = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
        except (OSError, ValueError, pa.ArrowInvalid) as error:
            raise _fail(path, f"could not be read ({_first_line(error)})") from None
        return {name: _pick(pa, table, name) for name in names}, table.num_rows
    table = read_json(path, pa)
    return {name: _pick(pa, table, name) for name in names}, table.num_rows


def _pick(pa: Any, table: Any, name: str) -> Any:
    """A column by name, or a field of a struct column by dotted name."""
    pc: Any = importlib.import_module("pyarrow.compute")

    if name in table.column_names:
        return table.column(name)
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:split])
        if head in table.column_names:
            column = table.column(head)
            for field in parts[split:]:
                if not pa.types.is_struct(column.type) or column.type.get_field_index(field) < 0:
                    raise KeyError(name)
                column = pc.struct_field(column, field)
            return column
    raise KeyError(name)


#: Types a CSV reader may parse columns as (``read_columns(types=...)``), by Arrow's own rules.
CSV_TYPES = ("float", "bool")
_CONVERSION = re.compile(r"In CSV column #(?P<index>\d+): CSV conversion error")


def _read_csv(
    pa: Any, path: str | Path, names: list[str], delimiter: str, types: dict[str, str]
) -> tuple[dict[str, Any], int]:
    """The CSV columns ``names``; ``types`` (of :data:`CSV_TYPES`) asks the reader to parse some itself.

    Columns of ``types`` are parsed by Arrow's CSV reader as it reads (``'float'``,
    ``'bool'``), blanks as nulls; a column with a value the reader cannot parse so is
    read as text instead (the parsing rules then read it).
    """
    pa_csv: Any = importlib.import_module("pyarrow.csv")

    if len(delimiter) != 1:
        raise InvalidInputError(f"delimiter must be one character; got {delimiter!r}")
    raw = _header(path, delimiter)
    stripped = [name.strip() for name in raw]
    wanted = [raw[stripped.index(name)] for name in dict.fromkeys(names) if name in stripped]
    if not wanted:  # no column needed: the first one still counts the rows
        wanted = raw[:1]
    with open(path, "rb") as handle:
        header_only = not handle.readline().endswith(b"\n")  # no line break: no data row
    if header_only:
        empty = pa.chunked_array([], type=pa.string())
        return {name: empty for name in names if name in stripped}, 0
    read = pa_csv.ReadOptions(column_names=raw, skip_rows=1, block_size=_BLOCK_BYTES)
    parse = pa_csv.ParseOptions(delimiter=delimiter, quote_char='"', newlines_in_values=True)
    column_types = dict.fromkeys(wanted, pa.string())
    arrow_types = {"float": pa.float64(), "bool": pa.bool_()}
    for name in wanted:
        if types.get(name.strip()) in arrow_types:
            column_types[name] = arrow_types[types[name.strip()]]
    convert = pa_csv.ConvertOptions(
        column_types=column_types,
        include_columns=wanted,
        # Blank cells are nulls: the parsing rules then cast whole columns in one step.
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    batches = []
    try:
        with pa_csv.open_csv(
            str(path), read_options=read, parse_options=parse, convert_options=convert
        ) as stream:
            schema = stream.schema
            for batch in stream:
                batches.append(batch)
    except pa.ArrowInvalid as error:
        message = str(error)
        failed = _CONVERSION.match(message)
        if failed is not None and raw[int(failed["index"])].strip() in types:  # read that column as text
            others = {name: kind for name, kind in types.items() if name != raw[int(failed["index"])].strip()}
            return _read_csv(pa, path, names, delimiter, others)
        if "UTF8" in message or "UTF-8" in message:
            raise _fail(path, "is not UTF-8 text") from None
        raise _ragged(path, len(raw), delimiter, message) from None
    table = pa.Table.from_batches(batches, schema=schema)
    columns = {stripped[raw.index(name)]: table.column(name) for name in wanted}
    return {name: columns[name] for name in names if name in columns}, table.num_rows


def _ragged(path: str | Path, width: int, delimiter: str, message: str) -> InvalidInputError:
    """Error for the first data row without ``width`` fields (the file scanned again; error path only)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader, None)
            row = 0
            for fields in reader:
                if not fields:
                    continue
                row += 1
                if len(fields) != width:
                    return _fail(
                        path,
                        f"row {row} (line {reader.line_num}): expected {width} fields separated by "
                        f"{delimiter!r}; got {len(fields)}",
                    )
    except UnicodeDecodeError:
        return _fail(path, "is not UTF-8 text")
    except csv.Error as error:
        return _fail(path, f"could not be parsed ({error})")
    return _fail(path, f"could not be parsed ({message.strip().splitlines()[0]})")


def line_of_row(path: str | Path, row: int, delimiter: str = ",") -> int | None:
    """Line number (1-based) in a CSV file of data row ``row`` (0-based, empty lines skipped).

    Only used to word error messages (the file is scanned again with the csv module,
    so quoted fields spanning lines are counted right).
    """
    if file_format(path) != "csv":
        return None
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader, None)
            seen = -1
            for fields in reader:
                if fields:
                    seen += 1
                    if seen == row:
                        return reader.line_num
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None
