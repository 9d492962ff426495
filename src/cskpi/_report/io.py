"""Contacts tables: reading a CSV into named columns, and typed access to the columns a KPI needs.

A *contacts table* is one row per contact with columns in *roles* (:data:`ROLES`):
when it was created, its channel and agent, the queue wait, talk, hold and
after-contact-work seconds, whether it was abandoned, survey answers, the customer,
and the first-reply and resolution timestamps. :class:`ContactsTable` wraps a dict of
columns, a pandas or polars DataFrame (through duck typing: ``.columns`` and
``table[name].to_numpy()``; neither library is imported) or the columns read from a
CSV file, maps role names to the table's own column names, converts each column
once, on first use, and reports bad values by file, row and column.

The CSV reader uses pyarrow or polars when one of them is installed and numpy's C
reader (:func:`numpy.loadtxt`) otherwise; every column is read as text and converted
with vectorised numpy operations, never a Python loop over rows.
"""

from __future__ import annotations

import csv
import importlib
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from numpy.typing import NDArray

from .._core.errors import InvalidInputError, InvalidTypeError
from .._core.time import check_tz, check_years, column_zone, local_clock, parse_times, to_datetime64

__all__ = [
    "ROLES",
    "ContactsTable",
    "as_table",
    "example_contacts_path",
    "located",
    "numeric_column",
    "read_csv_columns",
]

#: Column roles of a contacts table: role name -> (kind, meaning). Kinds: ``timestamp``
#: (required value), ``optional_timestamp`` (empty = not happened yet), ``duration``
#: (seconds, empty = not measured), ``flag`` (true/false, 1/0, yes/no; empty = false),
#: ``score`` (survey answer, empty = not answered), ``label`` (text).
ROLES: dict[str, tuple[str, str]] = {
    "created": ("timestamp", "when the contact arrived (ISO 8601, local time)"),
    "channel": ("label", "channel (phone, chat, email…)"),
    "agent": ("label", "agent who handled the contact"),
    "customer": ("label", "customer identifier (for repeat-contact retention)"),
    "wait_seconds": ("duration", "queue wait until answered or abandoned [s]"),
    "abandoned": ("flag", "true when the customer hung up before an answer"),
    "talk_seconds": ("duration", "talk time [s]"),
    "hold_seconds": ("duration", "hold time [s]"),
    "after_work_seconds": ("duration", "after-contact work [s]"),
    "first_reply": ("optional_timestamp", "first agent reply (empty: no reply yet)"),
    "resolved": ("optional_timestamp", "resolution time (empty: still open)"),
    "nps": ("score", "likelihood to recommend, 0-10 (empty: not surveyed)"),
    "csat": ("score", "satisfaction answer (empty: not surveyed)"),
    "ces": ("score", "effort answer (empty: not surveyed)"),
}

_US = np.dtype("datetime64[us]")
_TRUE = ("1", "true", "t", "yes", "y")
_FALSE = ("0", "false", "f", "no", "n", "")
# Files at least this large show a progress line on a terminal while they are read.
_PROGRESS_BYTES = 32 * 1024 * 1024
_CHUNK_LINES = 200_000
_INDEX_PATTERN = re.compile(r"^(?P<head>.*?)(?: at index (?P<index>\d+))(?P<tail>.*)$", re.DOTALL)


def example_contacts_path() -> Path:
    """Path of the bundled example contacts CSV (synthetic data; see ``scripts/make_example_data.py``)."""
    return Path(str(resources.files("cskpi").joinpath("data", "example_contacts.csv")))


# --------------------------------------------------------------------------- CSV reading


def _fail(path: str | Path, message: str) -> InvalidInputError:
    return InvalidInputError(f"{path}: {message}")


def _header(path: str | Path, delimiter: str) -> list[str]:
    """The header row of a CSV file, checked for emptiness, duplicates and a likely wrong delimiter."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except UnicodeDecodeError:
        raise _fail(path, "is not UTF-8 text") from None
    if not first.strip():
        raise _fail(path, "is empty: expected a header row naming the columns")
    if first.count('"') % 2:  # parsers split a header spanning lines differently
        raise _fail(path, "line 1: a quoted column name runs onto the next line; the header must be one line")
    header = [name.strip() for name in next(csv.reader([first], delimiter=delimiter))]
    if len(header) == 1:
        for other in (";", "\t", "|", ","):
            if other != delimiter and other in first:
                shown = "\\t" if other == "\t" else other
                raise _fail(
                    path,
                    f"line 1: the header has one column {header[0][:60]!r} but contains {shown!r}; "
                    f"is the file delimited by {shown!r}? (pass --delimiter '{shown}')",
                )
    if len(set(header)) != len(header):
        duplicated = sorted({name for name in header if header.count(name) > 1})
        raise _fail(path, f"line 1: column names must be distinct; {duplicated[0]!r} appears twice")
    if any(name == "" for name in header):
        raise _fail(path, f"line 1: column {header.index('') + 1} has no name")
    return header


class _Progress:
    """A one-line progress indicator on stderr, shown only when stderr is a terminal."""

    def __init__(self, path: str | Path, enabled: bool | None) -> None:
        size = os.path.getsize(path)
        stream: TextIO = sys.stderr
        if enabled is None:
            enabled = size >= _PROGRESS_BYTES and stream.isatty()
        self.enabled, self.size, self.name, self.stream = enabled, max(size, 1), Path(path).name, stream

    def update(self, done_bytes: int) -> None:
        if self.enabled:
            share = min(done_bytes / self.size, 1.0)
            self.stream.write(f"\rreading {self.name}: {share:4.0%}")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (len(self.name) + 16) + "\r")
            self.stream.flush()


def read_csv_columns(
    path: str | Path, *, delimiter: str = ",", engine: str = "auto", progress: bool | None = None
) -> dict[str, NDArray[np.str_]]:
    """Read a delimited text file with a header row into text columns.

    Parameters
    ----------
    path : str or Path
        The file (UTF-8, optional byte-order mark).
    delimiter : str, default ','
        Field delimiter (one character). A header of one column containing another
        common delimiter (``;``, tab, ``|``) is reported as a wrong delimiter.
    engine : {'auto', 'pyarrow', 'polars', 'numpy'}, default 'auto'
        Parser: ``'auto'`` takes pyarrow, else polars, when importable, and numpy's
        C reader otherwise. All give the same columns.
    progress : bool, optional
        Show a progress line on stderr. Default: only for files of 32 MB or more,
        and only when stderr is a terminal.

    Returns
    -------
    dict of str to ndarray of str
        One text column per header name, in file order; empty fields are ``''``.
        Quoted fields (``"a, b"``) are supported. A file with a header and no data
        row gives empty columns. Whatever the engine, :class:`InvalidInputError`
        naming the line is raised for a file with an odd number of double quotes (a
        quoted field never closed) and for a carriage return without a line feed
        (lines must end in ``\n`` or ``\r\n``). Quote as RFC 4180 does (a field
        holding a quote is enclosed in quotes, inner quotes doubled): for a quote
        inside an unquoted field, or text after a closing quote, the engines differ.

    Examples
    --------
    >>> from cskpi._report.io import example_contacts_path, read_csv_columns
    >>> columns = read_csv_columns(example_contacts_path())
    >>> columns["channel"][:3].tolist()
    ['phone', 'email', 'email']
    """
    if len(delimiter) != 1:
        raise InvalidInputError(f"delimiter must be one character; got {delimiter!r}")
    if engine not in ("auto", "pyarrow", "polars", "numpy"):
        raise InvalidInputError(f"engine must be 'auto', 'pyarrow', 'polars' or 'numpy'; got {engine!r}")
    header = _header(path, delimiter)
    if not _scan_body(path):  # no data row: the same empty columns from every engine
        return {name: np.zeros(0, dtype=str) for name in header}
    chosen = engine
    if engine == "auto":
        chosen = "numpy"
        for candidate in ("pyarrow", "polars"):
            try:
                importlib.import_module(candidate)
            except ImportError:
                continue
            chosen = candidate
            break
    reader: Callable[..., list[NDArray[np.str_]]] = {
        "pyarrow": _read_pyarrow,
        "polars": _read_polars,
        "numpy": _read_numpy,
    }[chosen]
    meter = _Progress(path, progress)
    try:
        columns = reader(path, header, delimiter, meter)
    finally:
        meter.close()
    if columns and columns[0].shape[0]:
        # Rows whose fields are all empty (blank lines) are not contacts: every engine drops them.
        blank = np.logical_and.reduce([column == "" for column in columns])
        if blank.any():
            columns = [column[~blank] for column in columns]
    return dict(zip(header, columns, strict=True))


def _scan_body(path: str | Path) -> bool:
    """Whether the file has a data line that is not blank; raise where the parsers disagree.

    One pass over the bytes. Two things are read differently by each parser, so they
    are rejected, naming the line: a quoted field that is never closed (numpy and
    pyarrow drop the row, polars runs on to the end; seen as an odd number of double
    quotes, reported at the last one), and a carriage return without a line feed
    (old Mac line endings: a line break for numpy and pyarrow, not for polars).
    """
    quotes = 0
    last_quote_line = 0
    lines_before = 0
    has_data = False
    header_done = False
    pending_cr = False  # the block before ended with \r: its \n must start this block
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_SCAN_BLOCK), b""):
            if pending_cr and not block.startswith(b"\n"):
                raise _bare_carriage_return(path, lines_before + 1)
            bare = _BARE_CR.search(block)
            if bare is not None and bare.start() < len(block) - 1:
                raise _bare_carriage_return(path, lines_before + block.count(b"\n", 0, bare.start()) + 1)
            pending_cr = bare is not None
            count = block.count(b'"')
            if count:
                quotes += count
                last = block.rfind(b'"')
                last_quote_line = lines_before + block.count(b"\n", 0, last) + 1
            if not has_data:
                body = block
                if not header_done:  # the header ends at the first line feed
                    end = block.find(b"\n")
                    body = b"" if end < 0 else block[end + 1 :]
                    header_done = end >= 0
                has_data = bool(body.strip())
            lines_before += block.count(b"\n")
    if pending_cr:
        raise _bare_carriage_return(path, lines_before + 1)
    if quotes % 2:
        raise _fail(
            path,
            f"line {last_quote_line}: a quoted field is never closed (the file has an odd number "
            f"of double quotes)",
        )
    return has_data


_BARE_CR = re.compile(rb"\r(?!\n)")
_SCAN_BLOCK = 1 << 24  # bytes read at a time by _scan_body


def _bare_carriage_return(path: str | Path, line: int) -> InvalidInputError:
    return _fail(
        path,
        f"line {line}: a carriage return without a line feed; save the file with \\n or \\r\\n line endings",
    )


def line_of_row(path: str | Path, row: int, delimiter: str = ",") -> int | None:
    """Line number (1-based) in the file of data row ``row`` (0-based, blank rows skipped).

    Only used to word error messages: the file is scanned again with the csv module,
    so quoted fields spanning lines are counted right.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader, None)
            seen = -1
            for fields in reader:
                if any(field.strip() for field in fields):
                    seen += 1
                    if seen == row:
                        return reader.line_num
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def _text(values: Any) -> NDArray[np.str_]:
    array = np.asarray(values)
    if array.dtype.kind != "U":
        array = np.where(array == None, "", array).astype(str)  # noqa: E711 (element-wise None test)
    return array


def _ragged(path: str | Path, width: int, delimiter: str, message: str = "") -> InvalidInputError:
    """Error for the first data row without ``width`` fields, found by scanning the file with the csv module.

    Only reached on error; rows count non-blank data rows from 1, lines are the file's.
    Only empty lines are skipped: a line of spaces is a row of one field, as pyarrow
    reads it.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader, None)
            row = 0
            for fields in reader:
                if not fields:  # an empty line, skipped by every engine
                    continue
                if len(fields) != width:
                    return _fail(
                        path,
                        f"row {row + 1} (line {reader.line_num}): expected {width} fields separated by "
                        f"{delimiter!r}; got {len(fields)}",
                    )
                if any(field.strip() for field in fields):  # rows of blank fields are dropped
                    row += 1
    except UnicodeDecodeError:
        return _fail(path, "is not UTF-8 text")
    except csv.Error as error:
        return _fail(path, f"could not be parsed ({error})")
    detail = f" ({message.splitlines()[0]})" if message else ""
    return _fail(path, f"could not be parsed{detail}")


def _read_numpy(
    path: str | Path, header: list[str], delimiter: str, meter: _Progress
) -> list[NDArray[np.str_]]:
    parts: list[NDArray[np.str_]] = []
    width = len(header)
    for _, lines, done in _line_chunks(path):
        try:
            with warnings.catch_warnings():
                # An empty line kept inside a quoted field makes loadtxt warn about how it
                # counts rows against max_rows, which cskpi does not use.
                warnings.filterwarnings("ignore", message="Input line", category=UserWarning)
                table = np.loadtxt(
                    lines, delimiter=delimiter, dtype=str, quotechar='"', ndmin=2, comments=None
                )
        except ValueError:
            raise _ragged(path, width, delimiter) from None
        if table.shape[0] and table.shape[1] != width:
            raise _ragged(path, width, delimiter)
        parts.append(table)
        meter.update(done)
    if not parts:
        return [np.zeros(0, dtype=str) for _ in header]
    table = np.concatenate(parts) if len(parts) > 1 else parts[0]
    return [np.char.strip(table[:, i]) for i in range(width)]


def _line_chunks(path: str | Path) -> Iterator[tuple[int, list[str], int]]:
    """Chunks of data lines: (line number of the first, the lines, bytes read so far).

    Only empty lines are skipped (as pyarrow does: a line of spaces is a row), and not
    inside a quoted field, whose line breaks and empty lines are part of its value; a
    chunk never ends inside a quoted field.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            handle.readline()
            line_number, done = 2, 0
            quoted = False  # inside a quoted field that runs over line breaks
            while True:
                lines = [line for _, line in zip(range(_CHUNK_LINES), handle, strict=False)]
                full = len(lines) == _CHUNK_LINES
                kept: list[str] = []
                position = 0
                while position < len(lines):
                    line = lines[position]
                    if quoted or line.rstrip("\r\n"):
                        kept.append(line)
                    if line.count('"') % 2:
                        quoted = not quoted
                    position += 1
                    if position == len(lines) and quoted and full:  # finish the field first
                        following = handle.readline()
                        if following:
                            lines.append(following)
                done += sum(len(line) for line in lines)
                if kept:
                    yield line_number, kept, done
                line_number += len(lines)
                if not full:
                    return
    except UnicodeDecodeError:
        raise _fail(path, "is not UTF-8 text") from None


def _read_pyarrow(
    path: str | Path, header: list[str], delimiter: str, meter: _Progress
) -> list[NDArray[np.str_]]:
    # Imported by name: optional, and untyped (mypy must not need them installed).
    pa: Any = importlib.import_module("pyarrow")
    pa_csv: Any = importlib.import_module("pyarrow.csv")

    raw_names = _raw_header(path, delimiter)
    read = pa_csv.ReadOptions(column_names=raw_names, skip_rows=1, block_size=1 << 24)
    parse = pa_csv.ParseOptions(delimiter=delimiter, quote_char='"')
    convert = pa_csv.ConvertOptions(
        column_types=dict.fromkeys(raw_names, pa.string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    batches = []
    done = 0
    try:
        with pa_csv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert) as stream:
            for batch in stream:
                batches.append(batch)
                done += batch.nbytes
                meter.update(done)
    except pa.ArrowInvalid as error:
        raise _pyarrow_error(path, str(error), len(header), delimiter) from None
    table = pa.Table.from_batches(batches, schema=None if batches else _string_schema(pa, raw_names))
    return [np.char.strip(_text(table.column(i).to_numpy(zero_copy_only=False))) for i in range(len(header))]


def _string_schema(pa: Any, names: list[str]) -> Any:
    return pa.schema([(name, pa.string()) for name in names])


def _raw_header(path: str | Path, delimiter: str) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader([handle.readline()], delimiter=delimiter))


def _pyarrow_error(path: str | Path, message: str, width: int, delimiter: str) -> InvalidInputError:
    if "UTF8" in message or "UTF-8" in message:
        return _fail(path, "is not UTF-8 text")
    return _ragged(path, width, delimiter, message)


def _read_polars(
    path: str | Path, header: list[str], delimiter: str, meter: _Progress
) -> list[NDArray[np.str_]]:
    pl: Any = importlib.import_module("polars")

    try:
        frame = pl.read_csv(
            path,
            separator=delimiter,
            infer_schema=False,
            quote_char='"',
            encoding="utf8",
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        raise _pyarrow_error(path, str(error), len(header), delimiter) from None
    # polars pads short rows with empty fields instead of failing: count each line's delimiters.
    if _has_short_rows(pl, path, len(header), delimiter):
        raise _ragged(path, len(header), delimiter)
    meter.update(meter.size)
    return [np.char.strip(_text(frame.to_series(i).to_numpy())) for i in range(len(header))]


def _has_short_rows(pl: Any, path: str | Path, width: int, delimiter: str) -> bool:
    """Whether a line has fewer than ``width`` fields (polars pads them silently).

    Without quote characters in the file, the delimiters of every line are counted by
    polars itself (the file read as one column of lines, split on the unit separator
    ``\x1f``); with quotes or a unit separator, the csv module scans the file.
    """
    with open(path, "rb") as handle:
        # The csv module scans files with quotes, or with the unit separator that the
        # one-column read below uses as its (otherwise absent) delimiter.
        slow = any(b'"' in block or b"\x1f" in block for block in iter(lambda: handle.read(1 << 24), b""))
    if slow:
        return "expected" in str(_ragged(path, width, delimiter))
    lines = pl.read_csv(
        path, has_header=False, separator="\x1f", quote_char=None, infer_schema=False, new_columns=["line"],
        skip_rows=1,
    )["line"]  # fmt: skip
    text = lines.fill_null("")
    # Delimiters are counted on the raw line: stripping would drop a trailing tab delimiter.
    counts = text.str.count_matches(delimiter, literal=True)
    return bool(((text.str.strip_chars("\r") != "") & (counts != width - 1)).any())


def numeric_column(column: NDArray[np.str_], name: str) -> NDArray[np.float64]:
    """Convert a text column to floats; empty fields become NaN.

    Raises :class:`InvalidInputError` naming the column, the first bad value and its
    line in the file (1-based, the header being line 1).
    """
    stripped = np.char.strip(column)
    filled = np.where(stripped == "", "nan", stripped)
    try:
        return filled.astype(np.float64)
    except ValueError:
        bad = _first_failing(filled, np.float64)
        raise InvalidInputError(
            f"{name} must contain numbers; got {str(column[bad])!r} on line {bad + 2}"
        ) from None


def _first_failing(column: NDArray[Any], dtype: Any) -> int:
    # Only reached on error: find the first field the conversion rejects, half by half.
    low, high = 0, column.shape[0]
    while high - low > 1:
        middle = (low + high) // 2
        try:
            column[low:middle].astype(dtype)
        except (ValueError, TypeError):
            high = middle
        else:
            low = middle
    return low


# --------------------------------------------------------------------------- contacts tables


def _columns_of(data: Any) -> tuple[list[str], Callable[[str], Any]]:
    """Column names and a getter for a mapping of columns or a DataFrame (duck typed)."""
    if isinstance(data, Mapping):
        return [str(name) for name in data], lambda name: data[name]
    columns = getattr(data, "columns", None)
    if columns is not None and hasattr(data, "__getitem__"):
        return [str(name) for name in list(columns)], lambda name: data[name]
    raise InvalidTypeError(
        "contacts must be a dict of columns, a pandas or polars DataFrame, or the path of a CSV file; "
        f"got {type(data).__name__}"
    )


def _as_array(values: Any) -> NDArray[Any]:
    if hasattr(values, "to_numpy"):
        return np.asarray(values.to_numpy())
    return np.asarray(values)


def as_table(contacts: Any, columns: Mapping[str, str] | None, tz: Any) -> ContactsTable:
    """The contacts as a :class:`ContactsTable`: a table is used as it is unless ``tz`` is given."""
    if is_table(contacts):
        if tz is None:
            table: ContactsTable = contacts
            return table
        return ContactsTable(contacts, columns=contacts._mapping, tz=tz)
    return ContactsTable(contacts, columns=columns, tz=tz)


def is_table(data: Any) -> bool:
    """True for a :class:`ContactsTable` (by marker, so that a module imported twice still matches)."""
    return getattr(data, "_cskpi_contacts_table", False) is True


class ContactsTable:
    """Typed, validated access to the columns of a contacts table (converted once, on first use).

    Parameters
    ----------
    data : dict of array-likes, DataFrame, or str / Path
        The columns, a pandas or polars DataFrame, or the path of a CSV file.
    columns : mapping of str to str, optional
        Role name -> the table's column name, for tables whose columns are named
        otherwise (``{"created": "opened_at", "wait_seconds": "queue_time"}``).
        Roles not mapped are looked up under their own name.
    delimiter : str, default ','
        Delimiter of a CSV file.
    engine : str, default 'auto'
        CSV parser (see :func:`read_csv_columns`).

    Notes
    -----
    Errors name the source, the row and the column: ``contacts.csv: row 4 (line 5),
    column 'wait': …`` for a file, ``column 'wait' must be …; got … at index 3`` for
    in-memory data. Rows count data rows from 1, blank lines skipped; lines are the
    file's own (the header is line 1).
    """

    _cskpi_contacts_table = True

    def __init__(
        self,
        data: Any,
        *,
        columns: Mapping[str, str] | None = None,
        delimiter: str = ",",
        engine: str = "auto",
        progress: bool | None = None,
        tz: str | None = None,
    ) -> None:
        self.source: str | None = None
        self.zone = check_tz(tz)
        self._delimiter = delimiter
        if isinstance(data, str | os.PathLike):
            self.source = str(data)
            data = read_csv_columns(self.source, delimiter=delimiter, engine=engine, progress=progress)
        self._zones: dict[str, Any] = {}
        if is_table(data):
            self.source, self._delimiter = data.source, data._delimiter
            self._zones = dict(data._zones)
            self.zone = self.zone or data.zone
            data = data._raw
        names, getter = _columns_of(data)
        mapping = dict(columns or {})
        unknown = sorted(set(mapping) - set(ROLES))
        if unknown:
            raise InvalidInputError(
                f"columns must map role names ({', '.join(ROLES)}) to column names; "
                f"got unknown role {unknown[0]!r}"
            )
        for role, name in mapping.items():
            if not isinstance(name, str):
                raise InvalidTypeError(f"columns[{role!r}] must be a column name (str); got {name!r}")
        self._raw: dict[str, NDArray[Any]] = {}
        lengths: dict[str, int] = {}
        for name in names:
            column = getter(name)
            zone = column_zone(column)
            if zone is not None:  # a zoned pandas/polars/pyarrow column: kept as its UTC instants
                self._zones[name] = zone
                array = parse_times(column, f"column {name!r}", allow_nat=True).stamps
            else:
                array = _as_array(column)
            if array.ndim != 1:
                raise InvalidInputError(f"column {name!r} must be 1-D; got an array of shape {array.shape}")
            self._raw[name] = array
            lengths[name] = array.shape[0]
        if len(set(lengths.values())) > 1:
            first = names[0]
            other = next(name for name in names if lengths[name] != lengths[first])
            raise InvalidInputError(
                f"column {other!r} must have the same length as column {first!r} ({lengths[first]}); "
                f"got length {lengths[other]}"
            )
        self.n_rows = next(iter(lengths.values())) if lengths else 0
        self._mapping = {role: mapping.get(role, role) for role in ROLES}
        self._cache: dict[str, NDArray[Any]] = {}

    @property
    def column_names(self) -> list[str]:
        """The table's column names."""
        return list(self._raw)

    def column_of(self, role: str) -> str:
        """The table's column name for a role."""
        return self._mapping[role]

    def has(self, role: str) -> bool:
        """True when the table has the column of ``role``."""
        return self._mapping[role] in self._raw

    def where(self, column: str, index: int) -> str:
        """Location for messages: ``file: row r (line l), column 'c'``, or ``column 'c', index i``."""
        if self.source is not None:
            line = line_of_row(self.source, index, self._delimiter)
            where = f"row {index + 1}" + ("" if line is None else f" (line {line})")
            return f"{self.source}: {where}, column {column!r}"
        return f"column {column!r}, index {index}"

    def _error(self, column: str, index: int, rule: str, value: Any) -> InvalidInputError:
        shown = value.item() if isinstance(value, np.generic) else value
        if self.source is not None:
            return InvalidInputError(f"{self.where(column, index)}: {rule}; got {shown!r}")
        return InvalidInputError(f"column {column!r} must be {rule}; got {shown!r} at index {index}")

    def missing(self, role: str, why: str) -> InvalidInputError:
        """Error for a role whose column is not in the table."""
        column = self._mapping[role]
        found = ", ".join(self._raw) if self._raw else "none"
        mapped = "" if column == role else f" (mapped from role {role!r})"
        where = f"{self.source}: " if self.source is not None else ""
        return InvalidInputError(
            f"{where}missing column {column!r}{mapped}, {why}; columns found: {found}. "
            f"Name the column with --column {role}=NAME or columns={{{role!r}: NAME}}"
        )

    def raw(self, name: str) -> NDArray[Any]:
        """A column by the table's own name, unconverted."""
        if name not in self._raw:
            found = ", ".join(self._raw) if self._raw else "none"
            where = f"{self.source}: " if self.source is not None else ""
            raise InvalidInputError(f"{where}no column named {name!r}; columns found: {found}")
        return self._raw[name]

    def labels(self, name: str) -> NDArray[Any]:
        """A label column (for grouping) by the table's own name or by role; text is stripped."""
        column = self._mapping.get(name, name)
        array = self.raw(column) if column in self._raw else self.raw(name)
        if array.dtype.kind == "U":
            return np.char.strip(array)
        if array.dtype.kind == "O":
            return _text(array)
        return array

    def get(self, role: str) -> NDArray[Any]:
        """The column of ``role``, converted to its kind (see :data:`ROLES`) and validated."""
        if role in self._cache:
            return self._cache[role]
        column = self._mapping[role]
        if column not in self._raw:
            raise self.missing(role, f"needed for {ROLES[role][1]}")
        kind = ROLES[role][0]
        converter: Callable[[NDArray[Any], str, str], NDArray[Any]] = {
            "timestamp": self._timestamps,
            "optional_timestamp": self._timestamps,
            "duration": self._durations,
            "flag": self._flags,
            "score": self._scores,
            "label": lambda array, column, kind: self.labels(column),
        }[kind]
        converted: NDArray[Any] = converter(self._raw[column], column, kind)
        self._cache[role] = converted
        return converted

    @property
    def aware(self) -> bool:
        """True when the timestamps are instants (a ``tz`` or zoned columns), read in :attr:`clock_zone`."""
        return self.zone is not None or bool(self._zones)

    @property
    def clock_zone(self) -> Any:
        """The zone in which instants are read as wall clocks: ``tz``, else the columns' zone."""
        if self.zone is not None:
            return self.zone
        zones = set(self._zones.values())
        if len(zones) > 1:
            raise InvalidInputError(
                f"the timestamp columns have different time zones ({', '.join(sorted(map(str, zones)))}); "
                "pass tz= (--tz) to choose the zone of the report"
            )
        return next(iter(zones), None)

    def local(self, role: str) -> NDArray[np.datetime64]:
        """A timestamp column as wall-clock times (instants read in :attr:`clock_zone`), for calendars."""
        stamps = self.get(role)
        zone = self.clock_zone
        return stamps if zone is None else local_clock(stamps, zone)

    def _numbers(self, array: NDArray[Any], column: str, rule: str) -> NDArray[np.float64]:
        kind = array.dtype.kind
        if kind == "b":
            raise InvalidTypeError(f"column {column!r} must hold numbers, not booleans")
        if kind in "iuf":
            return array.astype(np.float64, copy=False)
        text = _text(array) if kind == "O" else array
        if text.dtype.kind != "U":
            raise InvalidTypeError(f"column {column!r} must hold numbers; got dtype {array.dtype}")
        stripped = np.char.strip(text)
        filled = np.where(stripped == "", "nan", stripped)
        try:
            return filled.astype(np.float64)
        except ValueError:
            bad = _first_failing(filled, np.float64)
            raise self._error(column, bad, rule, str(text[bad])) from None

    def _durations(self, array: NDArray[Any], column: str, kind: str) -> NDArray[np.float64]:
        if array.dtype.kind == "m":
            seconds = np.where(
                np.isnat(array), np.nan, array.astype("timedelta64[us]").astype(np.int64) / 1e6
            )
        else:
            seconds = self._numbers(array, column, "a number of seconds")
        bad = ~np.isnan(seconds) & (~np.isfinite(seconds) | (seconds < 0))
        if bad.any():
            index = int(np.argmax(bad))
            raise self._error(column, index, "a non-negative number of seconds", _shown(array, index))
        return seconds

    def _scores(self, array: NDArray[Any], column: str, kind: str) -> NDArray[np.float64]:
        values = self._numbers(array, column, "a survey answer (a whole number, or empty)")
        bad = ~np.isnan(values) & (values != np.floor(values))
        if bad.any():
            index = int(np.argmax(bad))
            raise self._error(
                column, index, "a survey answer (a whole number, or empty)", _shown(array, index)
            )
        return values

    def _flags(self, array: NDArray[Any], column: str, kind: str) -> NDArray[np.bool_]:
        dtype = array.dtype.kind
        if dtype == "b":
            return array
        rule = "true/false, yes/no or 1/0 (empty = false)"
        if dtype in "iuf":
            numbers = array.astype(np.float64)
            missing = np.isnan(numbers)
            bad = ~missing & (numbers != 0) & (numbers != 1)
            if bad.any():
                index = int(np.argmax(bad))
                raise self._error(column, index, rule, _shown(array, index))
            flags: NDArray[np.bool_] = ~missing & (numbers == 1)
            return flags
        text = np.char.lower(np.char.strip(_text(array) if dtype == "O" else array))
        truthy = np.isin(text, _TRUE)
        bad = ~truthy & ~np.isin(text, _FALSE)
        if bad.any():
            index = int(np.argmax(bad))
            raise self._error(column, index, rule, _shown(array, index))
        return truthy

    def _timestamps(self, array: NDArray[Any], column: str, kind: str) -> NDArray[np.datetime64]:
        """Naive local timestamps of a column as ``datetime64[us]`` (sub-second precision kept)."""
        optional = kind == "optional_timestamp"
        if self.aware:
            return self._instants(array, column, optional)
        rule = "a local timestamp such as 2026-01-31T09:30:00" + (" (or empty)" if optional else "")
        dtype = array.dtype.kind
        if dtype == "M":
            if getattr(array.dtype, "tz", None) is not None:
                raise InvalidTypeError(
                    f"column {column!r} must hold naive local timestamps, not time-zone-aware"
                )
            stamps = array.astype(_US)
        elif dtype == "O" and not _holds_text(array):
            try:
                stamps = to_datetime64(array, f"column {column!r}", allow_nat=True)
            except InvalidInputError as error:
                raise InvalidTypeError(
                    f"column {column!r} must hold naive local timestamps ({error})"
                ) from None
            except InvalidTypeError:
                raise InvalidTypeError(f"column {column!r} must hold timestamps; got dtype object") from None
        elif dtype in "UO":
            text = np.char.strip(_text(array))
            zoned = (
                np.char.endswith(text, "Z")
                | (np.char.rfind(text, "+") > 10)
                | (np.char.rfind(text, "-") > 10)
            )
            if zoned.any():
                index = int(np.argmax(zoned))
                raise self._error(
                    column, index, rule + " without a time zone (or pass tz= / --tz)", str(text[index])
                )
            relative = np.isin(np.char.lower(text), ("now", "today"))
            if relative.any():
                index = int(np.argmax(relative))
                raise self._error(column, index, rule + ", not a relative word", str(text[index]))
            filled = np.where(text == "", "NaT", text)
            try:
                parsed = filled.astype("datetime64")
            except ValueError:
                bad = _first_failing(filled, "datetime64")
                raise self._error(column, bad, rule, str(text[bad])) from None
            try:
                check_years(parsed, text, column)
            except InvalidInputError:
                outside = (parsed < np.datetime64("0001-01-01")) | (parsed >= np.datetime64("10000-01-01"))
                index = int(np.argmax(outside))
                raise self._error(column, index, rule + " in years 1..9999", str(text[index])) from None
            stamps = parsed.astype(_US)
        else:
            raise InvalidTypeError(f"column {column!r} must hold timestamps; got dtype {array.dtype}")
        if not optional:
            missing = np.isnat(stamps)
            if missing.any():
                index = int(np.argmax(missing))
                raise self._error(column, index, rule, _shown(array, index))
        return stamps

    def _instants(self, array: NDArray[Any], column: str, optional: bool) -> NDArray[np.datetime64]:
        """A timestamp column of an aware table: UTC instants (the core's timestamp rule)."""
        name = f"column {column!r}"
        if column in self._zones:  # UTC instants already
            return parse_times(array, name, allow_nat=optional).stamps
        if array.dtype.kind in "UO":
            text = np.char.strip(_text(array)) if array.dtype.kind == "U" or _holds_text(array) else None
            if text is not None:
                array = np.where(text == "", "NaT", text)
        times = parse_times(array, name, allow_nat=optional)
        if times.aware is False:
            raise InvalidInputError(
                f"{name} must hold time-zone-aware instants (offsets such as +02:00 or Z) when the report "
                "has a time zone; got naive local timestamps (ambiguous: drop tz / --tz, or add offsets)"
            )
        return times.stamps


def _holds_text(array: NDArray[Any]) -> bool:
    """True when an object column holds text (its first non-missing value is a str)."""
    for value in array[: min(array.shape[0], 1000)]:
        if value is not None:
            return isinstance(value, str)
    return True


def _shown(array: NDArray[Any], index: int) -> Any:
    value = array[index]
    return value.item() if isinstance(value, np.generic) else value


def located(
    error: InvalidInputError, table: ContactsTable, column: str, rows: NDArray[np.intp] | None
) -> InvalidInputError:
    """Rewrite a metric function's ``… at index i`` error to name the table's row and column.

    ``rows`` maps the index in the array given to the metric back to the table row
    (None when the whole column was passed).
    """
    message = str(error)
    match = _INDEX_PATTERN.match(message)
    if match is None:
        return InvalidInputError(f"{table.source + ': ' if table.source else ''}column {column!r}: {message}")
    index = int(match["index"])
    row = int(rows[index]) if rows is not None and index < rows.shape[0] else index
    head = match["head"] + match["tail"]
    if table.source is not None:
        return InvalidInputError(f"{table.where(column, row)}: {head}")
    return InvalidInputError(f"column {column!r}: {head} at index {row}")
