"""Contacts tables: typed access to the columns a KPI needs, read from a file or from memory.

A *contacts table* is one row per contact with columns in *roles* (:data:`ROLES`):
when it was created, its channel and agent, the queue wait, talk, hold and
after-contact-work seconds, whether it was abandoned, survey answers, the customer,
and the first-reply and resolution timestamps. :class:`ContactsTable` wraps a dict of
columns, a pandas or polars DataFrame (through duck typing: ``.columns`` and
``table[name].to_numpy()``; neither library is imported), a pyarrow Table, or a
file (CSV, Parquet, JSON lines; read by :mod:`cskpi._report.readers`, only the
columns in roles), maps roles to the table's own columns (a name, or a
:class:`~cskpi._report.parsing.ColumnSpec` with parsing options), converts each
column once, on first use, and reports bad values by file, row and column.

Columns read from a file, and columns with parsing options, are converted by the
parsing rules of :mod:`cskpi._report.parsing` (pyarrow compute kernels); plain
in-memory columns by vectorised numpy operations, so that dicts and DataFrames need
no pyarrow.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._core.errors import InvalidInputError, InvalidTypeError
from .._core.labels import Groups, factorize
from .._core.time import (
    check_tz,
    check_years,
    column_zone,
    local_clock,
    parse_times,
    to_datetime64,
    zone_from_name,
)
from .parsing import (
    DEFAULT_FALSE,
    DEFAULT_TRUE,
    BadValue,
    ColumnSpec,
    arrow_durations,
    arrow_flags,
    arrow_groups,
    arrow_label_codes,
    arrow_labels,
    arrow_scores,
    arrow_timestamps,
    is_text_type,
)
from .readers import arrow, column_names, file_format, line_of_row, place_of_row, read_columns

__all__ = [
    "ROLES",
    "ContactsTable",
    "as_table",
    "example_contacts_path",
    "located",
    "numeric_column",
    "read_contacts",
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
_TRUE = DEFAULT_TRUE
_FALSE = (*DEFAULT_FALSE, "")  # a blank flag is false
_INDEX_PATTERN = re.compile(r"^(?P<head>.*?)(?: at index (?P<index>\d+))(?P<tail>.*)$", re.DOTALL)


def example_contacts_path() -> Path:
    """Path of the bundled example contacts CSV (synthetic data; see ``scripts/make_example_data.py``)."""
    return Path(str(resources.files("cskpi").joinpath("data", "example_contacts.csv")))


def _text(values: Any) -> NDArray[np.str_]:
    array = np.asarray(values)
    if array.dtype.kind != "U":
        array = np.where(array == None, "", array).astype(str)  # noqa: E711 (element-wise None test)
    return array


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
    """Column names and a getter for a mapping of columns, a DataFrame or a pyarrow Table (duck typed)."""
    if isinstance(data, Mapping):
        return [str(name) for name in data], lambda name: data[name]
    if hasattr(data, "column_names") and hasattr(data, "column") and hasattr(data, "num_rows"):  # pyarrow
        return [str(name) for name in data.column_names], lambda name: data.column(name)
    columns = getattr(data, "columns", None)
    if columns is not None and hasattr(data, "__getitem__"):
        return [str(name) for name in list(columns)], lambda name: data[name]
    raise InvalidTypeError(
        "contacts must be a dict of columns, a pandas or polars DataFrame, a pyarrow Table, or the path "
        f"of a file (CSV, Parquet, JSON lines); got {type(data).__name__}"
    )


def _is_arrow(values: Any) -> bool:
    return type(values).__module__.partition(".")[0] == "pyarrow" and hasattr(values, "type")


def _as_array(values: Any) -> NDArray[Any]:
    if hasattr(values, "to_numpy"):
        array = np.asarray(values.to_numpy())
        if array.dtype == object and hasattr(values, "isna"):
            # A pandas column read as objects (text of the ``str``, ``string`` or
            # ``object`` dtypes, a categorical, a nullable ``boolean``): a missing value
            # (NaN, NA, NaT) as None, the blank of object columns, not the text 'nan' or
            # '<NA>'. pandas finds the missing values.
            return np.asarray(values.to_numpy(dtype=object, na_value=None))
        return array
    return np.asarray(values)


def _specs(columns: Mapping[str, Any] | None) -> dict[str, ColumnSpec]:
    """Role -> :class:`ColumnSpec` of a ``columns`` mapping (a name or a spec per role)."""
    mapping = dict(columns or {})
    unknown = sorted(set(mapping) - set(ROLES))
    if unknown:
        raise InvalidInputError(
            f"columns must map role names ({', '.join(ROLES)}) to column names; "
            f"got unknown role {unknown[0]!r}"
        )
    specs: dict[str, ColumnSpec] = {}
    for role in ROLES:
        value = mapping.get(role, role)
        if isinstance(value, ColumnSpec):
            value.check(ROLES[role][0], f"columns[{role!r}]")
            specs[role] = value
        elif isinstance(value, str):
            specs[role] = ColumnSpec(column=value)
        else:
            raise InvalidTypeError(f"columns[{role!r}] must be a column name (str); got {value!r}")
    return specs


def as_table(
    contacts: Any, columns: Mapping[str, Any] | None, tz: Any, *, by: str | None = None
) -> ContactsTable:
    """The contacts as a :class:`ContactsTable` (a table is used as it is unless ``tz`` is given).

    ``by`` is the report's group column: a file is then read without the label
    columns the report will not use (see :meth:`ContactsTable.plan`).
    """
    if is_table(contacts):
        table: ContactsTable = (
            contacts if tz is None else ContactsTable(contacts, columns=contacts._specs, tz=tz)
        )
    else:
        table = ContactsTable(contacts, columns=columns, tz=tz)
    table.plan(by)
    return table


def is_table(data: Any) -> bool:
    """True for a :class:`ContactsTable` (by marker, so that a module imported twice still matches)."""
    return getattr(data, "_cskpi_contacts_table", False) is True


def read_contacts(
    path: str | os.PathLike[str],
    *,
    schema: str | None = None,
    mapping: str | os.PathLike[str] | None = None,
    columns: Mapping[str, Any] | None = None,
    tz: str | None = None,
    delimiter: str | None = None,
    format: str | None = None,
) -> ContactsTable:
    """Read a contacts file (CSV, Parquet, JSON lines) through an export schema or a mapping file.

    Only the columns in roles (and a ``by`` column, when a report asks for one) are
    read (a CSV file streamed in record batches), and converted by the parsing rules of the
    schema or mapping. Needs pyarrow (the ``cli`` extra).

    Parameters
    ----------
    path : str or Path
        The file; a folder is read as a Parquet dataset. The format follows the
        suffix (``.csv``, ``.tsv``, ``.parquet``, ``.jsonl``/``.json``) unless given.
    schema : str, optional
        A named export schema: ``'generic'`` (cskpi's own column names, the default),
        ``'zendesk'``, ``'freshdesk'``, ``'amazon-connect'``, ``'genesys'`` (see
        :data:`cskpi._report.schemas.SCHEMAS`).
    mapping : str or Path, optional
        A mapping file (TOML) of roles to columns with parsing options; see the
        mapping-file reference. Not with ``schema``.
    columns : mapping of str to str or ColumnSpec, optional
        Role -> column overrides, applied over the schema or mapping.
    tz : str, optional
        IANA zone in which instants are read as wall-clock times (periods).
    delimiter : str, optional
        CSV delimiter (default: the schema's or mapping's, else ``','``).
    format : {'csv', 'parquet', 'json'}, optional
        File format, when the suffix does not tell.

    Returns
    -------
    ContactsTable
        Pass it to :func:`cskpi.kpi_report` (or :func:`cskpi.evaluate_standards`).

    Examples
    --------
    >>> import pytest; _ = pytest.importorskip("pyarrow")
    >>> from cskpi import kpi_report, read_contacts
    >>> from cskpi._report.io import example_contacts_path
    >>> table = read_contacts(example_contacts_path(), schema="generic")
    >>> report = kpi_report(table, period="quarter")
    >>> report.n_contacts, report["volume"].values.tolist()
    (5667, [[4347.0, 1320.0]])
    """
    from .schemas import load_mapping, schema_specs

    if schema is not None and mapping is not None:
        raise InvalidInputError("give either schema= or mapping=, not both")
    if mapping is not None:
        loaded = load_mapping(mapping)
    else:
        loaded = schema_specs("generic" if schema is None else schema)
    specs = dict(loaded.columns)
    specs.update(columns or {})
    if loaded.format == "genesys" and format is None:
        from .genesys import flatten_conversations

        table = ContactsTable(
            flatten_conversations(path), columns=specs, tz=tz if tz is not None else loaded.tz
        )
        table.source, table._format = os.fspath(path), "json"
        return table
    return ContactsTable(
        path,
        columns=specs,
        tz=tz if tz is not None else loaded.tz,
        delimiter=delimiter if delimiter is not None else loaded.delimiter,
        format=format if format is not None else loaded.format,
    )


class ContactsTable:
    """Typed, validated access to the columns of a contacts table (converted once, on first use).

    Parameters
    ----------
    data : dict of array-likes, DataFrame, pyarrow Table, or str / Path
        The columns, a pandas or polars DataFrame, a pyarrow Table, or the path of a
        file (CSV, Parquet file or folder, JSON lines; read with pyarrow).
    columns : mapping of str to str or ColumnSpec, optional
        Role name -> the table's column name, for tables whose columns are named
        otherwise (``{"created": "opened_at", "wait_seconds": "queue_time"}``), or a
        :class:`~cskpi._report.parsing.ColumnSpec` with parsing options. Roles not
        mapped are looked up under their own name.
    delimiter : str, default ','
        Delimiter of a CSV file.
    format : {'csv', 'parquet', 'json'}, optional
        Format of a file (default: from its suffix).
    tz : str, optional
        IANA zone in which instants are read as wall-clock times.

    Notes
    -----
    Errors name the source, the row and the column: ``contacts.csv: row 4 (line 5),
    column 'wait': …`` for a file, ``column 'wait' must be …; got … at index 3`` for
    in-memory data. Rows count data rows from 1, empty lines skipped; lines are the
    file's own (the header is line 1).
    """

    _cskpi_contacts_table = True

    def __init__(
        self,
        data: Any,
        *,
        columns: Mapping[str, Any] | None = None,
        delimiter: str = ",",
        format: str | None = None,
        tz: str | None = None,
    ) -> None:
        self.source: str | None = None
        self.zone = check_tz(tz)
        self._delimiter = delimiter
        self._format = format
        self._specs = _specs(columns)
        self._zones: dict[str, Any] = {}
        self._known: dict[str, NDArray[np.bool_]] = {}
        self._cache: dict[str, NDArray[Any]] = {}
        self._groups: dict[str, Groups] = {}  # label columns' groups, by the name asked for
        self._codes: dict[str, tuple[NDArray[np.intp], NDArray[np.bool_]]] = {}  # see label_codes
        self._grouped: set[str] = set()  # label roles converted to their groups only (see groups)
        self._derived: dict[str, Any] = {}  # see derived
        self._parsed: set[str] = set()  # CSV columns the reader parsed itself (see _reader_types)
        self._raw: dict[str, Any] = {}
        self._n_rows: int | None = None
        self._plan: set[str] | None = None
        if isinstance(data, str | os.PathLike):
            self.source = os.fspath(data)
            if not os.path.exists(self.source):  # before the install hint: a wrong path first
                raise FileNotFoundError(2, "No such file or directory", self.source)
            arrow()  # the install hint now, not at the first column read
            self._names = column_names(self.source, format=format, delimiter=delimiter)
            self._loaded = False
            return
        self._loaded = True
        if is_table(data):
            self.source, self._delimiter, self._format = data.source, data._delimiter, data._format
            self._zones = dict(data._zones)
            self.zone = self.zone or data.zone
            self._names = list(data._names)
            self._raw, self._n_rows, self._loaded = dict(data._raw), data._n_rows, data._loaded
            self._plan = data._plan
            return
        names, getter = _columns_of(data)
        lengths: dict[str, int] = {}
        for name in names:
            column = getter(name)
            zone = column_zone(column)
            if _is_arrow(column):  # kept as it is: the parsing rules read Arrow
                array: Any = column
                lengths[name] = len(column)
            elif zone is not None:  # a zoned pandas/polars column: kept as its UTC instants
                self._zones[name] = zone
                array = parse_times(column, f"column {name!r}", allow_nat=True).stamps
            else:
                array = _as_array(column)
            if not _is_arrow(array):
                if array.ndim != 1:
                    raise InvalidInputError(
                        f"column {name!r} must be 1-D; got an array of shape {array.shape}"
                    )
                lengths[name] = array.shape[0]
            self._raw[name] = array
        if len(set(lengths.values())) > 1:
            first = names[0]
            other = next(name for name in names if lengths[name] != lengths[first])
            raise InvalidInputError(
                f"column {other!r} must have the same length as column {first!r} ({lengths[first]}); "
                f"got length {lengths[other]}"
            )
        self._names = names
        self._n_rows = next(iter(lengths.values())) if lengths else 0

    @property
    def n_rows(self) -> int:
        """Number of rows (contacts); reading a file's columns on first use."""
        if not self._loaded:
            self._load()
        assert self._n_rows is not None
        return self._n_rows

    def plan(self, by: str | None) -> None:
        """Before a file is read, say which label columns a report will use: the customer and ``by``.

        The first read of a file then takes every column in a role except the label
        roles (channel, agent, customer) that the report will not group or count by;
        a column asked for later is read then. Without a plan every column in a role
        is read at once.
        """
        if self._loaded or self.source is None:
            return
        # The customer column is always used (repeat-contact retention, per group with ``by``).
        self._plan = {self._specs["customer"].column}
        if by is not None:
            spec = self._specs.get(by)
            self._plan.add(by if spec is None or ROLES[by][0] != "label" else spec.column)

    def _load(self, extra: tuple[str, ...] = ()) -> None:
        """Read from the file, in one pass, the columns in roles (first read) and ``extra`` not read yet."""
        assert self.source is not None
        wanted: list[str] = []
        if not self._loaded:
            for role, spec in self._specs.items():
                skipped = (
                    self._plan is not None and ROLES[role][0] == "label" and spec.column not in self._plan
                )
                if spec.column in self._names and not skipped:
                    wanted += [name for name in spec.columns if name in self._names]
            wanted += [name for name in (self._plan or ()) if name in self._names]
        wanted += [name for name in extra if name in self._names]
        todo = [name for name in dict.fromkeys(wanted) if name not in self._raw]
        if self._loaded and not todo:
            return
        kind = file_format(self.source, self._format)
        types: dict[str, str] = {}
        if kind == "csv":
            types = self._reader_types()
        elif kind == "parquet":  # label columns coded by the reader (see _label_columns)
            types = dict.fromkeys(self._label_columns(), "label")
        read, n_rows = read_columns(
            self.source, todo, format=self._format, delimiter=self._delimiter, types=types
        )
        if kind == "csv":
            self._parsed |= {name for name in types if name in read and not is_text_type(read[name].type)}
        self._raw.update(read)
        self._n_rows = n_rows
        self._loaded = True
        _return_arrow_memory()  # the reader's buffers

    def _label_columns(self) -> list[str]:
        """Columns read only by label roles with default rules, or planned as groups: text to code.

        A Parquet file's text columns of these are read as Arrow dictionaries: the reader
        codes their values while it decodes the file (on its own threads), and the labels
        are then worked out on the distinct values only.
        """
        roles: dict[str, bool] = {}
        for role, spec in self._specs.items():
            label = ROLES[role][0] == "label" and spec.time_column is None
            for name in spec.columns:
                roles[name] = roles.get(name, True) and label
        return [name for name, label in roles.items() if label] + [
            name for name in self._plan or () if name not in roles
        ]

    def _reader_types(self) -> dict[str, str]:
        """CSV columns the reader may parse itself: numbers and true/false of roles with default rules.

        Arrow's CSV reader parses the numbers of a duration or score column and the
        true/false/1/0 of a flag column as the parsing rules' first step (one Arrow cast
        of the text) would, blanks as nulls, while it reads; a column with any other value
        is read as text. Columns with parsing options, read by two roles, or grouped by
        stay text. A bad value is reported from the text (see :meth:`get`).
        """
        wanted: dict[str, str | None] = {}
        for role, spec in self._specs.items():
            kind, parsed = ROLES[role][0], None
            plain = spec.missing == ("",) and not spec.values and spec.time_column is None
            if kind in ("duration", "score") and plain:
                parsed = "float"
            elif kind == "flag" and plain and not spec.present:
                default = spec.true_values == DEFAULT_TRUE and spec.false_values == DEFAULT_FALSE
                parsed = "bool" if default else None
            for name in spec.columns:
                mine = parsed if name == spec.column else None
                wanted[name] = mine if wanted.get(name, mine) == mine else None
        for name in self._plan or ():
            wanted[name] = None
        return {name: kind for name, kind in wanted.items() if kind is not None}

    def _text_of(self, name: str) -> None:
        """Read again, as text, a column the CSV reader parsed (for messages that show cells, and labels)."""
        if name in self._parsed:
            assert self.source is not None
            self._parsed.discard(name)
            read, _ = read_columns(self.source, [name], format=self._format, delimiter=self._delimiter)
            self._raw[name] = read[name]

    @property
    def column_names(self) -> list[str]:
        """The table's column names."""
        return list(self._names)

    def column_of(self, role: str) -> str:
        """The table's column name for a role."""
        return self._specs[role].column

    def spec(self, role: str) -> ColumnSpec:
        """How the table reads a role (its column and parsing options)."""
        return self._specs[role]

    def has(self, role: str) -> bool:
        """True when the table has the column of ``role``."""
        return self._specs[role].column in self._names

    def known(self, role: str) -> NDArray[np.bool_] | None:
        """Rows whose ``role`` value is present (None: every row); a label role's declared missing values."""
        self.get(role)
        return self._known.get(role)

    def where(self, column: str, index: int) -> str:
        """Location for messages: ``file: row r (line l), column 'c'``, or ``column 'c', index i``."""
        if self.source is not None:
            place = place_of_row(self.source, index)
            if place is not None:  # a folder of Parquet files: the file and its row
                return f"{place[0]}: row {place[1]}, column {column!r}"
            line = line_of_row(self.source, index, self._delimiter) if self._format in (None, "csv") else None
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
        column = self._specs[role].column
        found = ", ".join(self._names) if self._names else "none"
        mapped = "" if column == role else f" (mapped from role {role!r})"
        where = f"{self.source}: " if self.source is not None else ""
        return InvalidInputError(
            f"{where}missing column {column!r}{mapped}, {why}; columns found: {found}. "
            f"Name the column with --column {role}=NAME or columns={{{role!r}: NAME}}"
        )

    def raw(self, name: str) -> Any:
        """A column by the table's own name, unconverted (read from the file on first use)."""
        if name not in self._names:
            found = ", ".join(self._names) if self._names else "none"
            where = f"{self.source}: " if self.source is not None else ""
            raise InvalidInputError(f"{where}no column named {name!r}; columns found: {found}")
        if name not in self._raw:
            self._load((name,))
        self._text_of(name)
        return self._raw[name]

    def labels(self, name: str) -> NDArray[Any]:
        """A label column (for grouping) by the table's own name or by role; text is stripped."""
        if name in self._specs and self.has(name):
            return self.get(name) if ROLES[name][0] == "label" else self.raw(self._specs[name].column)
        array = self.raw(name)
        if _is_arrow(array):
            converted: tuple[NDArray[Any], Any, Groups | None] = self._convert(
                lambda: arrow_labels(array, ColumnSpec(column=name)), name
            )
            if converted[2] is not None:
                self._groups[name] = converted[2]
            return converted[0]
        return self._plain_labels(array)

    def groups(self, name: str) -> Groups:
        """The groups of a label column (by role or the table's own name), factorised once.

        A column read by Arrow brings its groups from its dictionary encoding; other
        columns are factorised by :func:`cskpi._core.labels.factorize`. Blank labels
        are the group ``''``.
        """
        if name in self._specs and name not in self._cache and self.has(name) and ROLES[name][0] == "label":
            # A label role read by Arrow: its groups without the text of every row (which
            # :meth:`get` gathers from them only when asked).
            spec = self._specs[name]
            array = self.raw(spec.column)
            if _is_arrow(array):
                grouped = self._convert(lambda: arrow_groups(array, spec), spec.column)
                if grouped is not None:
                    self._groups[name] = grouped[0]
                    self._check_known(name, grouped[1])
                    self._grouped.add(name)
                    self._release(spec.columns)
        if name not in self._groups:
            labels = self.labels(name)
            if name not in self._groups:
                self._groups[name] = factorize(labels, self.n_rows, name=name)
        return self._groups[name]

    def label_codes(self, role: str) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
        """Integer codes of a label role's values, and the rows whose value is known.

        What figures about customers need: which rows share a label, never the labels
        themselves. Known rows share a code exactly when their labels (trimmed) are
        equal; codes are numbered in no particular order. A row is unknown when its
        label is blank, None or NaN, or a value the mapping lists as missing (an
        anonymous caller). A column read by Arrow is dictionary-encoded once, without
        sorting its values or turning any row into a string; other columns are
        converted by :meth:`get` and factorised.
        """
        if role in self._codes:
            return self._codes[role]
        spec = self._specs[role]
        coded = None
        if role not in self._cache and self.has(role):
            array = self.raw(spec.column)
            if _is_arrow(array):
                coded = self._convert(lambda: arrow_label_codes(array, spec), spec.column)
        if coded is not None:
            codes, known = coded.word_codes, coded.known
        else:
            labels = self.get(role)
            known = known_labels(labels)
            declared = self.known(role)
            if declared is not None:
                known &= declared
            if labels.dtype.kind == "U":  # the column's groups, factorised once
                codes = self.groups(role).codes
            else:
                codes = np.zeros(labels.shape[0], dtype=np.intp)
                rows = np.flatnonzero(known)
                codes[rows] = factorize(labels[rows], rows.shape[0], name=spec.column, sort=False).codes
        self._codes[role] = (codes, known)
        self._release(spec.columns)
        return codes, known

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, once per table: arrays derived from its columns that several figures share."""
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]

    def _convert(self, run: Callable[[], Any], column: str) -> Any:
        try:
            return run()
        except BadValue as bad:
            raise self._error(column, bad.index, bad.rule, bad.value) from None

    def get(self, role: str) -> NDArray[Any]:
        """The column of ``role``, converted to its kind (see :data:`ROLES`) and validated."""
        if role in self._cache:
            return self._cache[role]
        spec = self._specs[role]
        column = spec.column
        if not self.has(role):
            raise self.missing(role, f"needed for {ROLES[role][1]}")
        kind = ROLES[role][0]
        if role in self._grouped:  # the text of each row, from the role's groups
            groups = self._groups[role]
            self._cache[role] = groups.labels[0][groups.codes]
            return self._cache[role]
        if column in self._names and column not in self._raw:
            self._load((column,))
        array = self._raw[column] if column in self._parsed else self.raw(column)
        if spec.time_column is not None and spec.time_column not in self._names:
            raise self.missing(role, f"(its time of day, column {spec.time_column!r}, is not in the table)")
        if _is_arrow(array) or not spec.plain:
            try:
                converted = self._arrow_get(role, kind, spec, array)
            except (InvalidInputError, InvalidTypeError):
                if column not in self._parsed:
                    raise
                # Parsed by the reader: the message shows the cell as the file has it.
                converted = self._arrow_get(role, kind, spec, self.raw(column))
        else:
            converter: Callable[[NDArray[Any], str, str], NDArray[Any]] = {
                "timestamp": self._timestamps,
                "optional_timestamp": self._timestamps,
                "duration": self._durations,
                "flag": self._flags,
                "score": self._scores,
                "label": lambda array, column, kind: self._label_role(role, array),
            }[kind]
            converted = converter(array, column, kind)
        self._cache[role] = converted
        self._release(spec.columns)
        return converted

    def _release(self, columns: tuple[str, ...]) -> None:
        """Drop a file's text columns once every role reading them is converted (memory)."""
        if self.source is None or self._format == "json":
            return
        released = False
        for name in columns:
            users = [role for role, spec in self._specs.items() if name in spec.columns and self.has(role)]
            if all(role in self._cache or role in self._codes or role in self._grouped for role in users):
                released = self._raw.pop(name, None) is not None or released
        if released:
            _return_arrow_memory()

    def _arrow_get(self, role: str, kind: str, spec: ColumnSpec, array: Any) -> NDArray[Any]:
        """A role converted by the parsing rules of :mod:`cskpi._report.parsing`."""
        column = spec.column
        if not _is_arrow(array):  # in-memory data with parsing options
            pa = arrow()
            array = pa.array(_text(array) if array.dtype.kind in "UO" else array)
        if kind == "duration":
            result: NDArray[Any] = self._convert(lambda: arrow_durations(array, spec), column)
        elif kind == "score":
            result = self._convert(lambda: arrow_scores(array, spec), column)
        elif kind == "flag":
            result = self._convert(lambda: arrow_flags(array, spec), column)
        elif kind == "label":
            result, missing, groups = self._convert(lambda: arrow_labels(array, spec), column)
            if groups is not None:
                self._groups[role] = groups
            self._check_known(role, missing)
        else:
            result = self._arrow_timestamps(kind, spec, array)
        return result

    def _check_known(self, role: str, missing: NDArray[np.bool_] | None) -> None:
        """Rows whose customer id is missing (blank, or a value the mapping lists) are unknown callers."""
        if missing is not None and role == "customer":
            self._known[role] = ~missing

    def _arrow_timestamps(self, kind: str, spec: ColumnSpec, array: Any) -> NDArray[np.datetime64]:
        column = spec.column
        optional = kind == "optional_timestamp"
        clock = self.raw(spec.time_column) if spec.time_column is not None else None
        if clock is not None and not _is_arrow(clock):
            clock = arrow().array(_text(clock))
        stamps: NDArray[np.datetime64]
        stamps, aware, zone = self._convert(
            lambda: arrow_timestamps(array, spec, time_values=clock, optional=optional), column
        )
        if aware is None:
            return stamps
        if aware:
            if zone is not None:
                self._zones[column] = zone_from_name(zone)
            elif self.zone is None:
                raise InvalidInputError(
                    f"{self.source + ': ' if self.source else ''}column {column!r} holds timestamps with "
                    "different UTC offsets; name the time zone of the report with tz= (--tz) or "
                    "tz in the mapping"
                )
            return stamps
        if self.aware:
            raise InvalidInputError(
                f"{self.source + ': ' if self.source else ''}column {column!r} must hold time-zone-aware "
                "instants (offsets such as +02:00 or Z) when the report has a time zone; got naive local "
                "timestamps (ambiguous: drop tz / --tz, add offsets, or name their zone with tz in the "
                "mapping)"
            )
        return stamps

    def _label_role(self, role: str, array: NDArray[Any]) -> NDArray[Any]:
        """A label role of an in-memory table: text stripped; a blank customer id is an unknown caller."""
        labels = self._plain_labels(array)
        if role == "customer" and labels.dtype.kind == "U":
            blank = labels == ""
            if blank.any():
                self._check_known(role, blank)
        return labels

    def _plain_labels(self, array: NDArray[Any]) -> NDArray[Any]:
        """Labels of an in-memory column: text (objects too: lists, pandas, polars) stripped."""
        if array.dtype.kind in "UO":
            stripped: NDArray[Any] = np.char.strip(_text(array))
            return stripped
        return array

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
        if zone is None:
            return stamps
        local: NDArray[np.datetime64] = self.derived(f"local {role}", lambda: local_clock(stamps, zone))
        return local

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


def _return_arrow_memory() -> None:
    """Give the memory Arrow's allocator keeps from freed buffers back to the system.

    Arrow's allocators keep freed pages for reuse; the report allocates its arrays
    with numpy, so without this the pages of the text columns already converted (and
    of the reader's buffers) would stay in the process's resident memory, beside them.
    """
    arrow().default_memory_pool().release_unused()


def known_labels(labels: NDArray[Any]) -> NDArray[np.bool_]:
    """Rows with a label: blank text, None and NaN are unknown (anonymous callers, not one customer)."""
    if labels.dtype.kind == "f":
        known: NDArray[np.bool_] = ~np.isnan(labels)
    elif labels.dtype.kind == "U":
        known = labels != ""
    else:  # integers (text columns come stripped, None as '')
        known = np.ones(labels.shape[0], dtype=bool)
    return known


def _holds_text(array: NDArray[Any]) -> bool:
    """True when an object column holds text (its first non-missing value is a str).

    Missing are None, NaN and pandas' NA; only the first 1,000 values are looked at.
    """
    for value in array[: min(array.shape[0], 1000)]:
        if value is None or type(value).__name__ == "NAType" or (isinstance(value, float) and value != value):
            continue
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
