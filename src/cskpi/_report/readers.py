"""File readers on Apache Arrow: CSV, Parquet (a file or a folder of files) and JSON lines.

One reader for every file format: :mod:`pyarrow.csv` streams a delimited text file
in record batches, :mod:`pyarrow.parquet` reads the columns of a Parquet file or of
every Parquet file below a folder (one file at a time, in name order; Hive-style
``key=value`` folders become text columns), :mod:`pyarrow.json` a file of JSON
lines (one object per line; nested objects become struct columns, reached with
dotted names such as ``Agent.AfterContactWorkDuration``), parsed in blocks of
lines. Only the columns asked for are converted, so memory follows the block and
those columns, not the file or the widest cell of a column the report does not
use. CSV columns are read as text (the parsing rules of
:mod:`cskpi._report.parsing` convert them); Parquet and JSON columns keep their
types.

pyarrow is an optional dependency (the ``cli`` extra): without it, reading a file
raises :class:`cskpi._core.optional.MissingDependencyError` with the install line.
"""

from __future__ import annotations

import csv
import functools
import gzip
import importlib
import io
import os
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .._core.errors import InvalidInputError
from .._core.optional import require

__all__ = [
    "FORMATS",
    "arrow",
    "column_names",
    "file_format",
    "line_of_row",
    "place_of_row",
    "read_columns",
    "read_json",
]

#: File formats: name -> file-name suffixes recognised.
FORMATS: dict[str, tuple[str, ...]] = {
    "csv": (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz"),
    "parquet": (".parquet", ".pq", ".parq"),
    "json": (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".json.gz"),
}
# Bytes of text parsed per record batch of a CSV or JSON file.
_BLOCK_BYTES = 1 << 22


def arrow() -> Any:
    """The :mod:`pyarrow` module, or a one-line install hint (``pip install pyarrow``, the ``cli`` extra)."""
    return require("pyarrow", "reading files", "cli")


def _merged_schema(pa: Any, unified: Any, schema: Any) -> Any:
    """``schema`` merged into ``unified`` (None: nothing yet), types widened as Arrow permits."""
    return schema if unified is None else pa.unify_schemas([unified, schema], promote_options="permissive")


def _fail(path: str | Path, message: str) -> InvalidInputError:
    return InvalidInputError(f"{path}: {message}")


def file_format(path: str | Path, format: str | None = None) -> str:
    """The format of ``path``: ``format`` when given, else from its suffix (a folder is Parquet)."""
    if format is not None:
        if format not in FORMATS:
            raise InvalidInputError(f"format must be one of {', '.join(FORMATS)}; got {format!r}")
        if format != "parquet" and os.path.isdir(path):
            raise _fail(path, f"is a directory: a directory is read as Parquet files, not as {format}")
        return format
    if os.path.isdir(path):
        return "parquet"
    name = str(path).lower()
    for candidate, suffixes in FORMATS.items():
        if name.endswith(suffixes):
            return candidate
    return "csv"


def _open_bytes(path: str | Path) -> Any:
    """A file's bytes, decompressed when its name ends in ``.gz`` (as Arrow's readers do)."""
    return gzip.open(path, "rb") if str(path).lower().endswith(".gz") else open(path, "rb")


def _open_text(path: str | Path) -> io.TextIOWrapper:
    """A CSV file as text for the csv module (UTF-8, a byte-order mark skipped)."""
    return io.TextIOWrapper(_open_bytes(path), encoding="utf-8-sig", newline="")


def _header(path: str | Path, delimiter: str) -> list[str]:
    """The header row of a CSV file, checked for emptiness, duplicates and a likely wrong delimiter."""
    try:
        with _open_text(path) as handle:
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
    """The column names of a file, read from its header (CSV), schema (Parquet) or every line (JSON).

    A folder's names are the union of its Parquet files' columns, then its Hive-style
    partition keys. Nested objects are listed by dotted name (``Agent.Username``).
    """
    kind = file_format(path, format)
    if not os.path.exists(path):
        raise FileNotFoundError(2, "No such file or directory", str(path))
    if os.path.isdir(path):
        return _flat_names(arrow(), _folder(path).schema)
    if kind == "csv":
        if len(delimiter) != 1:
            raise InvalidInputError(f"delimiter must be one character; got {delimiter!r}")
        return [name.strip() for name in _header(path, delimiter)]
    pa = arrow()
    schema = _dataset(path).schema if kind == "parquet" else _json_layout(path).schema
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


def _parquet_files(
    path: str | Path, read_dictionary: list[str] | None = None, metadata: Any = None
) -> list[Any]:
    """The Parquet file ``path`` (a folder is read by :func:`_read_parquet_folder`).

    Columns of ``read_dictionary`` are read as Arrow dictionaries (their values coded
    while the file is decoded, one dictionary for the whole column); ``metadata``, the
    file's footer already read, is not parsed again.
    """
    arrow()
    pq: Any = importlib.import_module("pyarrow.parquet")
    names = [str(path)]
    try:
        return [pq.ParquetFile(name, metadata=metadata, read_dictionary=read_dictionary) for name in names]
    except (OSError, ValueError) as error:
        raise _fail(path, f"is not a Parquet file or folder ({_first_line(error)})") from None


class _Schemas:
    """The schema of a Parquet file."""

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


def _text_schema(pa: Any, schema: Any) -> Any:
    """``schema`` with every timestamp field (nested ones too) read as text (see :func:`_as_text`)."""
    return pa.schema([pa.field(field.name, _as_text(pa, field.type)) for field in schema])


def read_json(path: str | Path, pa: Any, *, newlines_in_values: bool = False) -> Any:
    """A whole JSON file as a table; text that looks like a timestamp stays text.

    For documents that cannot be cut into lines (a pretty-printed object, as a
    Genesys Cloud query result is): the file is read whole. Arrow's inference would
    read ``2026-01-05T09:00:00Z`` as a naive timestamp, losing the offset: the file
    is read twice, the second time with the inferred schema whose timestamps are
    text, so the parsing rules see the offsets. JSON-lines files are streamed by
    :func:`read_columns` instead.
    """
    pa_json: Any = importlib.import_module("pyarrow.json")
    read = pa_json.ReadOptions(block_size=_BLOCK_BYTES)
    try:
        parse = pa_json.ParseOptions(newlines_in_values=newlines_in_values)
        table = pa_json.read_json(str(path), read_options=read, parse_options=parse)
        schema = _text_schema(pa, table.schema)
        if schema != table.schema:
            parse = pa_json.ParseOptions(explicit_schema=schema, newlines_in_values=newlines_in_values)
            table = pa_json.read_json(str(path), read_options=read, parse_options=parse)
    except pa.ArrowInvalid as error:
        raise _fail(path, f"is not JSON lines (one object per line): {_first_line(error)}") from None
    return table


class _JsonLayout(NamedTuple):
    """What a scan of a JSON-lines file found: its schema (timestamps as text) and its rows."""

    schema: Any
    n_rows: int


def _line_blocks(pa: Any, path: str | Path, size: int) -> Iterator[bytes]:
    """The file's bytes in blocks of whole lines, about ``size`` each (longer when a record is).

    A block without a line break is cut after its last whole record instead: records
    written back to back (``{...}{...}``, as Kinesis Data Firehose delivers them) are
    streamed too; Arrow's JSON reader reads several records on one line. Each byte is
    scanned once (:class:`_Scan` carries the state from block to block). Compressed
    files (``.gz``) are decompressed on the fly, as Arrow's readers do.
    """
    with pa.input_stream(str(path)) as stream:
        pieces: list[Any] = []
        state: _Scan | None = _Scan()  # where the bytes held in ``pieces`` leave the scan
        while chunk := stream.read(size):
            end = chunk.rfind(b"\n") + 1
            if end:
                yield b"".join([*pieces, memoryview(chunk)[:end]])
                pieces, state = [chunk[end:]], None
                continue
            if state is None:  # the rest of a block after its line break or its last record
                state = _Scan().over(b"".join(pieces))
            state = state.over(chunk)
            if state.end:
                yield b"".join([*pieces, memoryview(chunk)[: state.end]]) + b"\n"
                pieces, state = [chunk[state.end :]], None
            else:  # a record longer than the block
                pieces.append(chunk)
        tail = b"".join(pieces)
        if tail.strip():
            yield tail + b"\n"


class _Scan(NamedTuple):
    """Where a scan of JSON text stands: bracket depth, inside a string, after an escaping backslash.

    ``end`` is where the last whole top-level value of the text just scanned ends (0: none).
    """

    depth: int = 0
    inside: bool = False
    escape: bool = False
    end: int = 0

    def over(self, text: bytes) -> _Scan:
        """The scan carried on over ``text``, vectorised on the positions of quotes, backslashes, brackets.

        A quote opens or closes a string unless an odd number of backslashes precedes it;
        brackets inside strings do not count.
        """
        raw = np.frombuffer(text, dtype=np.uint8)
        quotes = np.flatnonzero(raw == ord('"'))
        slashes = np.flatnonzero(raw == ord("\\"))
        escape = self.escape
        if slashes.shape[0]:
            # Runs of consecutive backslashes (one starting the text continues the carried one).
            starts = np.flatnonzero(np.diff(slashes, prepend=-2) != 1)
            first = slashes[starts]
            last = slashes[np.append(starts[1:] - 1, slashes.shape[0] - 1)]
            odd = (last - first + 1 + ((first == 0) & self.escape)) % 2 == 1
            quotes = quotes[~np.isin(quotes - 1, last[odd])]
            escape = bool(last[-1] == raw.shape[0] - 1 and odd[-1])
        elif raw.shape[0]:
            escape = False
        if self.escape and quotes.shape[0] and quotes[0] == 0:
            quotes = quotes[1:]  # escaped by the backslash that ended the text before
        curly, square = (raw == ord("{")) | (raw == ord("}")), (raw == ord("[")) | (raw == ord("]"))
        brackets = np.flatnonzero(curly | square)
        # Outside strings: an even number of string quotes before (counting one open string).
        brackets = brackets[(np.searchsorted(quotes, brackets) + self.inside) % 2 == 0]
        opening = (raw[brackets] == ord("{")) | (raw[brackets] == ord("["))
        depth = self.depth + np.cumsum(np.where(opening, 1, -1))
        ends = brackets[~opening & (depth == 0)]
        inside = bool((quotes.shape[0] + self.inside) % 2)
        return _Scan(
            depth=int(depth[-1]) if depth.shape[0] else self.depth,
            inside=inside,
            escape=escape and inside,
            end=int(ends[-1]) + 1 if ends.shape[0] else 0,
        )


def _row_error(path: str | Path, first_row: int, error: BaseException) -> InvalidInputError:
    """A JSON parse error located by row (data rows counted from 1, empty lines skipped)."""
    message = _first_line(error).removeprefix("JSON parse error: ")
    match = re.search(r"(.*?)\.? in row (\d+)$", message)
    if match is None:
        return _fail(path, f"is not JSON lines (one object per line): {message}")
    row = first_row + int(match.group(2)) + 1
    changed = re.fullmatch(r"Column\((.*)\) changed from (\w+) to (\w+)", match.group(1))
    if changed is not None:
        field = changed.group(1).strip("/").replace("/", ".")
        if not field:
            return _fail(path, f"row {row}: is not a JSON object (found {changed.group(3)})")
        return _fail(
            path, f"row {row}: field {field!r} changes type from {changed.group(2)} to {changed.group(3)}"
        )
    return _fail(path, f"row {row}: is not a JSON object on one line ({match.group(1)})")


@functools.lru_cache(maxsize=8)
def _scan_json(path: str, size: int, mtime_ns: int) -> _JsonLayout:
    """One pass over a JSON-lines file, block by block: the schema of every line and the rows.

    Each block's types are inferred by Arrow, timestamps turned to text (Arrow
    would drop their offsets), then the blocks' schemas unified (a field null in one
    block and an object in another is an object; integers and decimals are
    decimals). Memory follows the block. Cached by the file's path, size and
    modification time, so reading the names and then the columns scans it once.
    """
    pa = arrow()
    pa_json: Any = importlib.import_module("pyarrow.json")
    unified: Any = None
    n_rows = 0
    for block in _line_blocks(pa, path, _BLOCK_BYTES):
        if not block.strip():  # empty lines only
            continue
        try:
            read = pa_json.ReadOptions(block_size=len(block) + 1)
            table = pa_json.read_json(pa.BufferReader(block), read_options=read)
        except pa.ArrowInvalid as error:
            raise _row_error(path, n_rows, error) from None
        schema = _text_schema(pa, table.schema)
        try:
            unified = _merged_schema(pa, unified, schema)
        except (pa.ArrowTypeError, pa.ArrowInvalid) as error:
            merge = re.search(r"Field (.*) has incompatible types: (\S+) vs (\S+)", str(error))
            what = (
                f"field {merge.group(1)!r} changes type from {merge.group(2)} to {merge.group(3)}"
                if merge
                else f"a field changes type ({_first_line(error)})"
            )
            raise _fail(path, f"rows {n_rows + 1}-{n_rows + table.num_rows}: {what}") from None
        n_rows += table.num_rows
    if unified is None:
        raise _fail(path, "is empty: expected JSON lines, one object per line")
    return _JsonLayout(unified, n_rows)


def _json_layout(path: str | Path) -> _JsonLayout:
    name = os.path.abspath(path)
    status = os.stat(name)
    return _scan_json(name, status.st_size, status.st_mtime_ns)


def _resolve(schema: Any, name: str) -> tuple[str, tuple[str, ...]] | None:
    """The top-level field and the path of nested fields a dotted ``name`` reaches, or None."""
    if name in schema.names:
        return name, ()
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:split])
        if head in schema.names:
            kind = schema.field(head).type
            for field in parts[split:]:
                if not hasattr(kind, "get_field_index") or kind.get_field_index(field) < 0:
                    return None
                kind = kind.field(field).type
            return head, tuple(parts[split:])
    return None


def _pruned(pa: Any, kind: Any, paths: list[tuple[str, ...]]) -> Any:
    """``kind`` keeping only the nested fields on ``paths`` (the whole type when a path ends here)."""
    if any(not path for path in paths):
        return kind
    heads = list(dict.fromkeys(path[0] for path in paths))
    return pa.struct(
        [
            pa.field(head, _pruned(pa, kind.field(head).type, [p[1:] for p in paths if p[0] == head]))
            for head in heads
        ]
    )


def _json_batches(pa: Any, path: str | Path, schema: Any, block_size: int) -> Iterator[Any]:
    """Record batches of the fields of ``schema`` only, one per block of whole lines; other fields skipped.

    Each block is parsed by :func:`pyarrow.json.read_json` with the explicit schema,
    so memory follows the block (its text and the needed fields). Arrow's own
    streaming reader (:func:`pyarrow.json.open_json`, pyarrow 19 and later) was
    measured at about 1.6 times this speed but holding eight blocks or more (82 MiB
    for 10 MiB blocks of a file with 20 kB of unused text a line, against 10 MiB
    here), and it is missing from the older pyarrow versions the ``cli`` extra allows.
    """
    pa_json: Any = importlib.import_module("pyarrow.json")
    parse = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    for block in _line_blocks(pa, path, block_size):
        if block.strip():
            read = pa_json.ReadOptions(block_size=len(block) + 1)
            yield from pa_json.read_json(
                pa.BufferReader(block), read_options=read, parse_options=parse
            ).to_batches()


def _read_json_lines(pa: Any, path: str | Path, names: list[str]) -> tuple[dict[str, Any], int]:
    """The columns ``names`` (dotted names reach nested fields) of a JSON-lines file, streamed."""
    layout = _json_layout(path)
    wanted: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        found = _resolve(layout.schema, name)
        if found is None:
            raise KeyError(name)
        wanted.setdefault(found[0], []).append(found[1])
    if not wanted:  # no column needed: the scan counted the rows
        return {}, layout.n_rows
    schema = pa.schema(
        [pa.field(top, _pruned(pa, layout.schema.field(top).type, paths)) for top, paths in wanted.items()]
    )
    try:
        table = pa.Table.from_batches(list(_json_batches(pa, path, schema, _BLOCK_BYTES)), schema=schema)
    except pa.ArrowInvalid as error:  # the file changed since the scan
        raise _fail(path, f"could not be read ({_first_line(error)})") from None
    return {name: _pick(pa, table, name) for name in names}, table.num_rows


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
    column, only those asked for, and a folder's files one at a time (see
    :func:`_read_parquet_folder`); JSON lines are parsed in blocks of lines, only the
    fields asked for converted (a first pass, shared with :func:`column_names`,
    finds every line's fields and types). Dotted names reach fields of nested
    objects. Empty lines of a CSV or JSON-lines file are skipped. Errors name the
    file and, for a malformed CSV or JSON line, the row. ``types`` asks the CSV reader
    to parse some columns itself (see :func:`_read_csv`); ``'label'`` there asks a
    Parquet file's text column to be read as an Arrow dictionary; other formats and
    kinds are ignored.
    """
    pa = arrow()
    kind = file_format(path, format)
    if kind == "csv":
        return _read_csv(pa, path, names, delimiter, types or {})
    if kind == "parquet" and os.path.isdir(path):
        return _read_parquet_folder(pa, path, names, types or {})
    if kind == "parquet":
        # Each file read by pyarrow.parquet, only the columns asked for (row groups stream
        # from disk); pyarrow.dataset is not used: importing it loads pandas when installed.
        files = _parquet_files(path)
        schema = files[0].schema_arrow
        # The top-level column of each name (a dotted name may be a column's own name).
        top = sorted({found[0] for found in map(functools.partial(_resolve, schema), names) if found})
        coded = _coded(pa, schema, top, types)
        if coded:  # text to be coded: read as Arrow dictionaries, coded by the reader's threads
            files = _parquet_files(path, read_dictionary=coded, metadata=files[0].metadata)
        try:
            parts = [file.read(columns=top or schema.names[:1]) for file in files]
            table = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
        except (OSError, ValueError, pa.ArrowInvalid) as error:
            raise _fail(path, f"could not be read ({_first_line(error)})") from None
        return {name: _pick(pa, table, name) for name in names}, table.num_rows
    return _read_json_lines(pa, path, names)


def _coded(pa: Any, schema: Any, tops: list[str], types: dict[str, str] | None) -> list[str]:
    """The columns of ``tops`` that ``types`` calls labels and the schema holds as text."""
    text = {name for name in tops if pa.types.is_string(schema.field(name).type)}
    text |= {name for name in tops if pa.types.is_large_string(schema.field(name).type)}
    return [name for name, wanted in (types or {}).items() if wanted == "label" and name in text]


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
    if not _scan_body(path):  # a header and at most empty lines: no data row
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


def _scan_body(path: str | Path) -> bool:
    """Whether a CSV file has a data line that is not blank; raise where a reader would guess.

    One pass over the bytes, in blocks read into one buffer and counted by numpy. Two
    things are refused, naming the line: a quoted field that is never closed (an odd
    number of double quotes, reported at the last one: read on, it would swallow the
    rest of the file into one cell), and a carriage return without a line feed (old
    Mac line endings, where every row would run into the next). Lines are counted only
    to word an error.
    """
    buffer = bytearray(_SCAN_BLOCK)
    view = np.frombuffer(buffer, dtype=np.uint8)
    quotes, last_quote, offset = 0, -1, 0
    has_data, header_done, pending_cr = False, False, False  # pending: a block ended with \r
    with _open_bytes(path) as handle:
        while size := handle.readinto(buffer):
            block = view[:size]
            if pending_cr and block[0] != ord("\n"):
                raise _bare_carriage_return(path, _line_at(path, offset - 1))
            pending_cr = bool(block[-1] == ord("\r"))
            if buffer.find(b"\r", 0, size) >= 0:
                returns = np.flatnonzero(block == ord("\r"))
                inside = returns[returns < size - 1]
                bare = inside[block[inside + 1] != ord("\n")]
                if bare.shape[0]:
                    raise _bare_carriage_return(path, _line_at(path, offset + int(bare[0])))
            count = int(np.count_nonzero(block == ord('"')))
            if count:
                quotes += count
                last_quote = offset + buffer.rfind(b'"', 0, size)
            if not has_data:
                start = 0
                if not header_done:  # the header ends at the first line feed
                    start = buffer.find(b"\n", 0, size) + 1
                    header_done = start > 0
                has_data = header_done and bool(bytes(buffer[start:size]).strip())
            offset += size
    if pending_cr:
        raise _bare_carriage_return(path, _line_at(path, offset - 1))
    if quotes % 2:
        raise _fail(
            path,
            f"line {_line_at(path, last_quote)}: a quoted field is never closed (the file has an odd "
            "number of double quotes)",
        )
    return has_data


def _line_at(path: str | Path, position: int) -> int:
    """The line (1-based) of byte ``position`` of a file (read again; error messages only)."""
    with _open_bytes(path) as handle:
        return int(handle.read(position).count(b"\n")) + 1


_SCAN_BLOCK = 1 << 20  # bytes read at a time by _scan_body (a buffer that stays in cache)


def _bare_carriage_return(path: str | Path, line: int) -> InvalidInputError:
    return _fail(
        path,
        f"line {line}: a carriage return without a line feed; save the file with \\n or \\r\\n line endings",
    )


def _ragged(path: str | Path, width: int, delimiter: str, message: str) -> InvalidInputError:
    """Error for the first data row without ``width`` fields (the file scanned again; error path only)."""
    try:
        with _open_text(path) as handle:
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


# --------------------------------------------------------------------------- folders of Parquet files

# Names skipped in a folder, as Spark, Hive and pyarrow.dataset do (``_SUCCESS``, ``.crc`` files).
_SKIPPED = (".", "_")
# Hive's name for a partition whose value was null.
_HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


class _Folder(NamedTuple):
    """A folder of Parquet files: their paths (relative, in reading order), partition keys and schema."""

    files: list[str]
    partitions: list[dict[str, str | None]]
    schema: Any
    columns: list[frozenset[str]]  # each file's own columns


def _folder_files(path: str | Path) -> list[str]:
    """The Parquet files below ``path`` (relative paths), sorted by folder then name; other files refused."""
    found: list[str] = []
    for folder, folders, files in os.walk(path):
        folders[:] = [name for name in folders if not name.startswith(_SKIPPED)]
        for name in files:
            if name.startswith(_SKIPPED):
                continue
            relative = os.path.relpath(os.path.join(folder, name), path)
            if not name.lower().endswith(FORMATS["parquet"]):
                raise _fail(
                    path,
                    f"holds {relative!r}, which is not a Parquet file: a directory input holds only "
                    f"{', '.join(FORMATS['parquet'])} files (names starting with '.' or '_' are skipped)",
                )
            found.append(relative)
    if not found:
        raise _fail(path, f"is a directory without Parquet files ({', '.join(FORMATS['parquet'])})")
    return sorted(found, key=lambda relative: relative.split(os.sep))


def _partition(relative: str) -> dict[str, str | None]:
    """Hive-style partition keys of a file's folders: ``month=2026-01/part-0.parquet`` -> month."""
    keys: dict[str, str | None] = {}
    for part in relative.split(os.sep)[:-1]:
        key, equals, value = part.partition("=")
        if equals and key:
            value = urllib.parse.unquote(value)
            keys[urllib.parse.unquote(key)] = None if value == _HIVE_NULL else value
    return keys


def _open_parquet(folder: str | Path, relative: str, read_dictionary: list[str] | None = None) -> Any:
    pq: Any = importlib.import_module("pyarrow.parquet")
    name = os.path.join(folder, relative)
    try:
        return pq.ParquetFile(name, read_dictionary=read_dictionary)
    except (OSError, ValueError) as error:
        raise _fail(name, f"is not a Parquet file ({_first_line(error)})") from None


def _folder(path: str | Path) -> _Folder:
    """The files of a folder and their shared schema, from each file's footer (one file open at a time).

    The schema is the union of the files' columns, types widened where files differ
    (``int32`` and ``int64``: ``int64``); then the partition keys not already a
    column, as text. Cached by the files' names, sizes and modification times, so
    reading a folder's column names and then its columns opens each footer once for both.
    """
    files = _folder_files(path)
    stamps = tuple(
        (relative, status.st_size, status.st_mtime_ns)
        for relative in files
        for status in [os.stat(os.path.join(path, relative))]
    )
    return _folder_of(str(path), os.path.abspath(path), stamps)


@functools.lru_cache(maxsize=8)
def _folder_of(path: str, absolute: str, stamps: tuple[tuple[str, int, int], ...]) -> _Folder:
    """:func:`_folder` of ``path`` (as given, for messages; ``absolute`` and ``stamps`` key the cache)."""
    pa = arrow()
    files = [relative for relative, _, _ in stamps]
    unified: Any = None
    columns = []
    for relative in files:
        with _open_parquet(path, relative) as file:
            schema = file.schema_arrow
        columns.append(frozenset(schema.names))
        try:
            unified = _merged_schema(pa, unified, schema)
        except (pa.ArrowTypeError, pa.ArrowInvalid) as error:
            raise _fail(
                os.path.join(path, relative),
                f"its columns do not match the folder's earlier files ({_first_line(error)})",
            ) from None
    partitions = [_partition(relative) for relative in files]
    keys = [key for keys in partitions for key in keys if key not in unified.names]
    for key in dict.fromkeys(keys):
        unified = unified.append(pa.field(key, pa.string()))
    return _Folder(files, partitions, unified.remove_metadata(), columns)


def _read_parquet_folder(
    pa: Any, path: str | Path, names: list[str], types: dict[str, str]
) -> tuple[dict[str, Any], int]:
    """The columns ``names`` of every Parquet file below ``path``, file by file, in name order.

    Only the needed columns of each file are read, one file open at a time. A column
    missing from a file is null for its rows; a partition key is the file's folder's
    value (text; a file's own column of that name wins). Text columns that ``types``
    calls labels are read as Arrow dictionaries (one per file).
    """
    folder = _folder(path)
    tops: list[str] = []
    for name in names:
        found = _resolve(folder.schema, name)
        if found is None:
            raise KeyError(name)
        tops.append(found[0])
    tops = list(dict.fromkeys(tops))
    coded = _coded(pa, folder.schema, tops, types)
    parts = []
    n_rows = 0
    for relative, keys, own in zip(folder.files, folder.partitions, folder.columns, strict=True):
        where = os.path.join(path, relative)
        with _open_parquet(path, relative, [name for name in coded if name in own] or None) as file:
            present = [top for top in tops if top in file.schema_arrow.names]
            n = file.metadata.num_rows
            try:
                table = file.read(columns=present) if present else None
            except (OSError, ValueError) as error:
                raise _fail(where, f"could not be read ({_first_line(error)})") from None
        n_rows += n
        if not tops:
            continue
        columns = []
        for top in tops:
            kind = folder.schema.field(top).type
            if top in coded:
                kind = pa.dictionary(pa.int32(), kind)
            if table is not None and top in present:
                column = table.column(top)
                try:
                    columns.append(column if column.type == kind else _as_type(pa, column, kind))
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as error:
                    raise _fail(
                        where,
                        f"column {top!r} of type {column.type} cannot be read as {kind} "
                        f"({_first_line(error)})",
                    ) from None
            elif keys.get(top) is not None:
                value = pa.repeat(pa.scalar(keys[top], pa.string()), n)
                columns.append(_as_type(pa, value, kind) if top in coded else value)
            else:
                columns.append(pa.nulls(n, kind))
        parts.append(pa.Table.from_arrays(columns, names=tops))
    if not tops:
        return {}, n_rows
    table = pa.concat_tables(parts)
    return {name: _pick(pa, table, name) for name in names}, table.num_rows


def _as_type(pa: Any, column: Any, kind: Any) -> Any:
    """A column cast to ``kind``; text to a dictionary type is dictionary-encoded."""
    pc: Any = importlib.import_module("pyarrow.compute")

    if pa.types.is_dictionary(kind) and not pa.types.is_dictionary(column.type):
        return pc.dictionary_encode(column.cast(kind.value_type)).cast(kind)
    return column.cast(kind)


def place_of_row(path: str | Path, row: int) -> tuple[str, int] | None:
    """For a folder of Parquet files: the file holding data row ``row`` (0-based) and its row there (1-based).

    Only used to word error messages (the files' footers are read again).
    """
    if not os.path.isdir(path):
        return None
    try:
        start = 0
        for relative in _folder_files(path):
            with _open_parquet(path, relative) as file:
                n = file.metadata.num_rows
            if row < start + n:
                return os.path.join(path, relative), row - start + 1
            start += n
    except InvalidInputError:
        return None
    return None


def line_of_row(path: str | Path, row: int, delimiter: str = ",") -> int | None:
    """Line number (1-based) in a CSV file of data row ``row`` (0-based, empty lines skipped).

    Only used to word error messages (the file is scanned again with the csv module,
    so quoted fields spanning lines are counted right).
    """
    if file_format(path) != "csv":
        return None
    try:
        with _open_text(path) as handle:
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
