"""Parsing rules of the input layer: how one column of a file becomes one contact role.

A :class:`ColumnSpec` says which column holds a role and how to read it (timestamp
format and time zone, a separate time column, duration unit, flag values and
inversion, which values mean *missing*). The converters below apply it to an Arrow
array with :mod:`pyarrow.compute` (cast, strptime, regular expressions, set
membership): no Python loop runs over rows. Each returns numpy arrays; a value that
breaks the rule raises :class:`BadValue` carrying its index, which the table turns
into a message naming the file, the row, the line and the column.

Rules (documented for users in ``docs/howto/mapping-file.md``):

* **missing**: values listed in ``missing`` (compared after trimming white space,
  case-insensitively) and nulls are missing. Default: the blank cell. A missing
  duration or score is NaN (not measured / not answered); a missing flag is false; a
  missing optional timestamp is NaT (not happened yet); a missing ``created`` raises;
  a missing customer id is excluded from customer-based figures (retention) when the
  mapping lists missing values for it, and raises otherwise.
* **durations**: a number (in ``unit``: seconds by default, or milliseconds, minutes,
  hours), ``H:MM:SS`` / ``HH:MM:SS`` (fractional seconds allowed, ``MM:SS`` too), or
  ISO 8601 (``PT2M23S``, ``P1DT2H``). Negative values raise.
* **timestamps**: ISO 8601 (``2026-01-31T09:30:00``, a space for ``T``, fractional
  seconds, a one-digit hour) by default, or any ``format`` of ``strptime``
  (``%S.%f`` reads fractions of a second to the microsecond; Twitter's
  ``Tue Oct 31 22:10:47 +0000 2017`` is recognised without a format). Values
  with a UTC offset are instants; naive values are wall-clock times, made instants
  only by a ``tz`` (an IANA zone): the library's timestamp rule. Wall-clock times
  repeated when clocks go back take the earlier instant; times skipped when clocks
  go forward raise. Years outside 1..9999 raise.
* **date + time**: ``time_column`` names a column holding the time of day of the
  date in ``column``; the two are joined with a space before parsing.
* **flags**: ``true_values`` and ``false_values`` (case-insensitive); ``invert``
  negates the result (an "Answered (Y/N)" column read as ``abandoned``).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.errors import InvalidInputError
from .._core.labels import Groups

__all__ = [
    "DURATION_UNITS",
    "KINDS",
    "BadValue",
    "ColumnSpec",
    "LabelCodes",
    "arrow_durations",
    "arrow_flags",
    "arrow_groups",
    "arrow_label_codes",
    "arrow_labels",
    "arrow_scores",
    "arrow_timestamps",
]

#: Kinds of role (see :data:`cskpi._report.io.ROLES`).
KINDS = ("timestamp", "optional_timestamp", "duration", "flag", "score", "label")
#: Duration units of plain numbers, in seconds.
DURATION_UNITS: dict[str, float] = {
    "milliseconds": 1e-3,
    "ms": 1e-3,
    "seconds": 1.0,
    "s": 1.0,
    "minutes": 60.0,
    "min": 60.0,
    "hours": 3600.0,
    "h": 3600.0,
}
DEFAULT_TRUE = ("1", "true", "t", "yes", "y")
DEFAULT_FALSE = ("0", "false", "f", "no", "n")
#: Formats tried, in order, when a timestamp column is not ISO 8601 and has no ``format``.
FALLBACK_FORMATS = ("%a %b %d %H:%M:%S %z %Y",)  # Twitter's created_at

_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
_CLOCK = r"^(?:(?P<h>\d+):)?(?P<m>[0-5]?\d):(?P<s>[0-5]?\d(?:\.\d*)?)$"
_ISO_DURATION = (
    r"^P(?:(?P<d>\d+(?:\.\d*)?)D)?(?:T(?:(?P<h>\d+(?:\.\d*)?)H)?(?:(?P<m>\d+(?:\.\d*)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d*)?)S)?)?$"
)
_OFFSET = r"(?:[T ]\d{1,2}:\d\d(?::\d\d(?:[.,]\d+)?)?)\s*(?:Z|[+-]\d\d(?::?\d\d)?)$"
_OFFSET_PART = r"(?P<offset>Z|[+-]\d\d(?::?\d\d)?)(?:\s+\d{4})?$"  # Twitter: the year follows
_FAILED = re.compile(r"Failed to parse string: '(?P<value>.*)' as a scalar")


class BadValue(Exception):
    """A value that breaks its column's rule: ``index`` in the column, the rule, the value."""

    def __init__(self, index: int, rule: str, value: Any) -> None:
        super().__init__(f"{rule}; got {value!r} at index {index}")
        self.index, self.rule, self.value = index, rule, value


def _strings(values: Sequence[Any], name: str) -> tuple[str, ...]:
    if isinstance(values, str) or not all(isinstance(value, str) for value in values):
        raise InvalidInputError(f"{name} must be a list of strings; got {values!r}")
    return tuple(values)  # trimmed and lower-cased by ColumnSpec


def _folded(values: Sequence[str]) -> tuple[str, ...]:
    """Values compared case-insensitively after trimming, kept as they are compared."""
    return tuple(str(value).strip().lower() for value in values)


def _folded_keys(pairs: Sequence[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    return tuple((str(key).strip().lower(), float(number)) for key, number in pairs)


@attrs.frozen(kw_only=True)
class ColumnSpec:
    """How one role is read: its column and the column's parsing options.

    Attributes
    ----------
    column : str
        The column's name in the file (``Agent.AfterContactWorkDuration`` reaches a
        field of a nested JSON object).
    missing : tuple of str
        Values that mean *missing*, compared case-insensitively after trimming.
    format : str or None
        ``strptime`` format of a timestamp column (None: ISO 8601).
    tz : str or None
        IANA zone of naive timestamps (they become instants).
    time_column : str or None
        Column with the time of day when ``column`` holds only the date.
    unit : str
        Unit of plain numbers in a duration column (:data:`DURATION_UNITS`).
    true_values, false_values : tuple of str
        Values of a flag column (case-insensitive).
    invert : bool
        Negate a flag (read ``abandoned`` from an "answered" column).
    present : bool
        A flag that is true where the column has a value (not missing), whatever it
        is: ``abandoned`` from the time a contact waited before abandoning.
    values : tuple of (str, float)
        Text answers of a score column and the number each stands for
        (``(("good", 5.0), ("bad", 1.0))``), compared case-insensitively.
    """

    column: str
    missing: tuple[str, ...] = attrs.field(default=("",), converter=_folded)
    format: str | None = None
    tz: str | None = None
    time_column: str | None = None
    unit: str = "seconds"
    true_values: tuple[str, ...] = attrs.field(default=DEFAULT_TRUE, converter=_folded)
    false_values: tuple[str, ...] = attrs.field(default=DEFAULT_FALSE, converter=_folded)
    invert: bool = False
    present: bool = False
    values: tuple[tuple[str, float], ...] = attrs.field(default=(), converter=_folded_keys)

    @property
    def plain(self) -> bool:
        """True when the spec only names a column (the numpy path reads it the same)."""
        return self == ColumnSpec(column=self.column)

    @property
    def columns(self) -> tuple[str, ...]:
        """The file columns this role reads."""
        return (self.column,) if self.time_column is None else (self.column, self.time_column)

    def check(self, kind: str, where: str) -> None:
        """Raise :class:`InvalidInputError` (naming ``where``) for options that do not fit ``kind``."""
        if self.unit not in DURATION_UNITS:
            raise InvalidInputError(
                f"{where}: unit must be one of {', '.join(DURATION_UNITS)}; got {self.unit!r}"
            )
        timestamp = kind in ("timestamp", "optional_timestamp")
        for option, used in (
            ("format", self.format is not None),
            ("tz", self.tz is not None),
            ("time_column", self.time_column is not None),
        ):
            if used and not timestamp:
                raise InvalidInputError(f"{where}: option {option!r} applies to timestamp roles only")
        if kind != "duration" and self.unit != "seconds":
            raise InvalidInputError(f"{where}: option 'unit' applies to duration roles only")
        if kind != "flag" and (
            self.invert
            or self.present
            or self.true_values != DEFAULT_TRUE
            or self.false_values != DEFAULT_FALSE
        ):
            raise InvalidInputError(
                f"{where}: options 'true', 'false', 'invert' and 'present' apply to flag roles only"
            )
        if kind != "score" and self.values:
            raise InvalidInputError(f"{where}: option 'values' applies to score roles only")
        if set(self.true_values) & set(self.false_values):
            both = sorted(set(self.true_values) & set(self.false_values))[0]
            raise InvalidInputError(f"{where}: {both!r} is both a true and a false value")


def spec_from_options(column: str, options: dict[str, Any], where: str) -> ColumnSpec:
    """A :class:`ColumnSpec` from the options of a mapping entry (names as in the mapping file)."""
    known = {
        "column",
        "missing",
        "format",
        "tz",
        "time",
        "unit",
        "true",
        "false",
        "invert",
        "present",
        "values",
    }
    unknown = sorted(set(options) - known)
    if unknown:
        raise InvalidInputError(
            f"{where}: unknown option {unknown[0]!r}; options are: {', '.join(sorted(known))}"
        )
    values: dict[str, Any] = {"column": column}
    if "missing" in options:
        values["missing"] = _strings(options["missing"], f"{where}.missing")
    for option, field in (("format", "format"), ("tz", "tz"), ("time", "time_column"), ("unit", "unit")):
        if option in options:
            if not isinstance(options[option], str):
                raise InvalidInputError(f"{where}.{option} must be a string; got {options[option]!r}")
            values[field] = options[option]
    if "true" in options:
        values["true_values"] = _strings(options["true"], f"{where}.true")
    if "false" in options:
        values["false_values"] = _strings(options["false"], f"{where}.false")
    for option in ("invert", "present"):
        if option in options:
            if not isinstance(options[option], bool):
                raise InvalidInputError(f"{where}.{option} must be true or false; got {options[option]!r}")
            values[option] = options[option]
    if "values" in options:
        table = options["values"]
        if not isinstance(table, dict) or not all(
            isinstance(number, int | float) and not isinstance(number, bool) for number in table.values()
        ):
            raise InvalidInputError(
                f"{where}.values must be a table of answer = number "
                f"(e.g. {{ Good = 5, Bad = 1 }}); got {table!r}"
            )
        values["values"] = tuple((str(key), float(number)) for key, number in table.items())
    if values.get("tz") is not None:
        from .._core.time import check_tz

        try:
            check_tz(values["tz"])
        except InvalidInputError:
            raise InvalidInputError(
                f"{where}.tz must be an IANA time zone name such as 'Europe/Paris'; got {values['tz']!r}"
            ) from None
    return ColumnSpec(**values)


# --------------------------------------------------------------------------- helpers


def _pa() -> tuple[Any, Any]:
    from .readers import arrow

    pa = arrow()
    pc: Any = importlib.import_module("pyarrow.compute")

    return pa, pc


def _combined(values: Any) -> Any:
    """One Arrow array from an array or chunked array (chunks concatenated)."""
    pa, _ = _pa()
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values


def _first(mask: Any) -> int:
    """Index of the first true value of an Arrow boolean array (nulls false); -1 when none."""
    _, pc = _pa()
    found = pc.index(pc.fill_null(mask, False), True).as_py()
    return int(found)


def is_text_type(kind: Any) -> bool:
    """Whether an Arrow type is text (``string`` or ``large_string``)."""
    pa, _ = _pa()
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _text(values: Any) -> tuple[Any, Any]:
    """Trimmed text of a string column, and where it is missing (null or a missing value)."""
    pa, pc = _pa()
    if not is_text_type(values.type):
        values = pc.cast(values, pa.string())
    text = pc.utf8_trim_whitespace(values)
    return text, pc.is_null(text)


def _missing(text: Any, spec: ColumnSpec) -> Any:
    _, pc = _pa()
    if spec.missing == ("",):  # the default: blank cells only (no lower-casing pass)
        return pc.or_(pc.is_null(text), pc.equal(text, ""))
    lowered = pc.utf8_lower(text)
    return pc.or_(pc.is_null(text), pc.is_in(lowered, value_set=_value_set(spec.missing)))


def _fast_floats(values: Any, spec: ColumnSpec) -> Any:
    """Plain numbers of a text column by one cast, or None when a value needs the general rules.

    The reader gives blank cells as nulls, so a column of numbers and blanks casts
    directly; anything else (padding, ``H:MM:SS``, declared missing values, text
    answers) takes the general path.
    """
    pa, pc = _pa()
    if spec.missing != ("",) or spec.values or not pa.types.is_string(values.type):
        return None
    try:
        return pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _value_set(values: tuple[str, ...]) -> Any:
    pa, _ = _pa()
    return pa.array(list(values), type=pa.string())


def _shown(values: Any, index: int) -> Any:
    return values[index].as_py()


def _floats(values: Any) -> NDArray[np.float64]:
    """An Arrow float column as numpy float64, nulls NaN."""
    pa, pc = _pa()
    return np.asarray(pc.fill_null(pc.cast(values, pa.float64()), np.nan).to_numpy(zero_copy_only=False))


# --------------------------------------------------------------------------- durations and scores


def _numbers(text: Any, missing: Any, rule: str) -> tuple[Any, Any]:
    """Plain numbers of a text column as float64 (null where missing or not a number), and the mask."""
    pa, pc = _pa()
    is_number = pc.fill_null(pc.match_substring_regex(text, _NUMBER), False)
    numbers = pc.cast(pc.if_else(is_number, text, pa.scalar(None, pa.string())), pa.float64())
    return numbers, is_number


def arrow_durations(values: Any, spec: ColumnSpec) -> NDArray[np.float64]:
    """A duration column as float seconds (NaN where missing); see the module notes for the forms."""
    pa, pc = _pa()
    rule = "a non-negative duration (a number of seconds, H:MM:SS, or ISO 8601 such as PT2M23S)"
    factor = DURATION_UNITS[spec.unit]
    fast = _fast_floats(values, spec)  # on the chunks as read: no copy of the column
    if fast is None:
        values = _combined(values)
    if fast is not None:
        seconds = pc.multiply(fast, factor)
    elif pa.types.is_duration(values.type):
        seconds = pc.divide(pc.cast(pc.cast(values, pa.duration("us")), pa.int64()), 1e6)
    elif (
        pa.types.is_integer(values.type)
        or pa.types.is_floating(values.type)
        or pa.types.is_decimal(values.type)
    ):
        seconds = pc.multiply(pc.cast(values, pa.float64()), factor)
    else:
        text, _ = _text(values)
        missing = _missing(text, spec)
        numbers, is_number = _numbers(text, missing, rule)
        seconds = pc.multiply(numbers, factor)
        known = pc.or_(missing, is_number)
        if not pc.all(known).as_py():
            for pattern, scales in (
                (_CLOCK, (3600.0, 60.0, 1.0)),
                (_ISO_DURATION, (86400.0, 3600.0, 60.0, 1.0)),
            ):
                parts = pc.extract_regex(pc.if_else(known, pa.scalar(None, pa.string()), text), pattern)
                matched = pc.fill_null(pc.is_valid(parts), False)
                if pattern == _ISO_DURATION:  # a bare 'P' or 'PT' names no amount
                    matched = pc.and_(matched, pc.invert(pc.is_in(text, value_set=_value_set(("P", "PT")))))
                if not pc.any(matched).as_py():
                    continue
                total = None
                names = [parts.type.field(i).name for i in range(parts.type.num_fields)]
                for field, scale in zip(names, scales, strict=True):
                    part = pc.struct_field(parts, field)
                    number = pc.cast(
                        pc.if_else(pc.equal(part, ""), pa.scalar(None, pa.string()), part), pa.float64()
                    )
                    term = pc.multiply(pc.fill_null(number, 0.0), scale)
                    total = term if total is None else pc.add(total, term)
                seconds = pc.if_else(matched, total, seconds)
                known = pc.or_(known, matched)
            bad = pc.invert(known)
            index = _first(bad)
            if index >= 0:
                raise BadValue(index, rule, _shown(values, index))
        seconds = pc.if_else(missing, pa.scalar(None, pa.float64()), seconds)
    result = _floats(seconds)
    negative = ~np.isnan(result) & (~np.isfinite(result) | (result < 0))
    if negative.any():
        index = int(np.argmax(negative))
        raise BadValue(index, rule, _shown(values, index))
    return result


def arrow_scores(values: Any, spec: ColumnSpec) -> NDArray[np.float64]:
    """A survey-answer column as floats (NaN where missing); answers must be whole numbers."""
    pa, pc = _pa()
    rule = "a survey answer (a whole number, or empty)"
    if pa.types.is_boolean(values.type):
        raise BadValue(0, rule, _shown(values, 0) if len(values) else None)
    fast = _fast_floats(values, spec)  # on the chunks as read: no copy of the column
    if fast is None:
        values = _combined(values)
    if fast is not None:
        result = _floats(fast)
    elif (
        pa.types.is_integer(values.type)
        or pa.types.is_floating(values.type)
        or pa.types.is_decimal(values.type)
    ):
        result = _floats(values)
    else:
        text, _ = _text(values)
        missing = _missing(text, spec)
        numbers, is_number = _numbers(text, missing, rule)
        if spec.values:  # text answers standing for numbers ("Good" = 5)
            keys = pa.array([key for key, _ in spec.values], pa.string())
            position = pc.index_in(pc.utf8_lower(text), value_set=keys)
            named = pc.take(pa.array([number for _, number in spec.values], pa.float64()), position)
            numbers = pc.if_else(pc.is_valid(position), named, numbers)
            is_number = pc.or_(is_number, pc.is_valid(position))
        index = _first(pc.invert(pc.or_(missing, is_number)))
        if index >= 0:
            raise BadValue(index, rule, _shown(values, index))
        result = _floats(pc.if_else(missing, pa.scalar(None, pa.float64()), numbers))
    bad = ~np.isnan(result) & (result != np.floor(result))
    if bad.any():
        index = int(np.argmax(bad))
        raise BadValue(index, rule, _shown(values, index))
    return result


# --------------------------------------------------------------------------- flags and labels


def arrow_flags(values: Any, spec: ColumnSpec) -> NDArray[np.bool_]:
    """A flag column as booleans: true values, false values, missing = false; ``invert`` negates."""
    pa, pc = _pa()
    default = (
        spec.true_values == DEFAULT_TRUE
        and spec.false_values == DEFAULT_FALSE
        and spec.missing == ("",)
        and not spec.present
    )
    if default and pa.types.is_string(values.type):
        try:  # true/false/1/0 and blanks (nulls): one cast
            cast = pc.cast(values, pa.bool_())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            cast = None
        if cast is not None:
            values = cast
    if not (spec.present or pa.types.is_boolean(values.type)):
        values = _combined(values)
    if spec.present:  # true where there is a value, whatever it is
        if is_text_type(values.type):
            text, _ = _text(values)
            there = pc.invert(pc.fill_null(_missing(text, spec), True))
        else:
            there = pc.is_valid(values)
        flags = np.asarray(there.to_numpy(zero_copy_only=False), dtype=bool)
        known = None  # every row has an answer: there or not
    elif pa.types.is_boolean(values.type):
        flags = np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)
        known = pc.is_valid(values)
    else:
        if pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
            values = (
                pc.cast(pc.cast(values, pa.int64()), pa.string())
                if pa.types.is_integer(values.type)
                else values
            )
        text, _ = _text(values)
        lowered = pc.utf8_lower(text)
        truthy = pc.fill_null(pc.is_in(lowered, value_set=_value_set(spec.true_values)), False)
        missing = _missing(text, spec)
        falsy = pc.is_in(lowered, value_set=_value_set(spec.false_values))
        recognised = pc.or_(pc.or_(truthy, falsy), missing)
        index = _first(pc.invert(pc.fill_null(recognised, True)))
        if index >= 0:
            accepted = "/".join(spec.true_values[:1] + spec.false_values[:1])
            rule = (
                f"one of the true values ({', '.join(spec.true_values)}) or false values "
                f"({', '.join(spec.false_values)}), e.g. {accepted}"
            )
            raise BadValue(index, rule, _shown(values, index))
        flags = np.asarray(truthy.to_numpy(zero_copy_only=False), dtype=bool)
        known = pc.invert(pc.fill_null(missing, True))
    if not spec.invert:
        return flags
    if known is None:
        return ~flags
    # A missing answer stays false once inverted: an unknown answer is not an abandonment.
    inverted: NDArray[np.bool_] = ~flags & np.asarray(known.to_numpy(zero_copy_only=False), dtype=bool)
    return inverted


@attrs.frozen(kw_only=True)
class LabelCodes:
    """A label column coded by its distinct values (in no particular order).

    ``codes`` gives each row's value (``0..len(absent)-1``); ``absent`` says which
    values are missing (null, or a value of the spec's ``missing`` after trimming);
    ``words`` (an Arrow string array) holds the distinct trimmed words, every missing
    value merged into the word ``''``, and ``word_of_value`` each value's word.
    """

    codes: NDArray[np.intp] = attrs.field(eq=False)
    word_of_value: NDArray[np.intp] = attrs.field(eq=False)
    words: Any = attrs.field(eq=False)
    absent: NDArray[np.bool_] = attrs.field(eq=False)

    @property
    def word_codes(self) -> NDArray[np.intp]:
        """Each row's word: rows share a code exactly when their trimmed labels are equal."""
        codes: NDArray[np.intp] = self.word_of_value[self.codes]
        return codes

    @property
    def known(self) -> NDArray[np.bool_]:
        """Rows whose label is present: not missing and not blank after trimming."""
        _, pc = _pa()
        blank = np.asarray(pc.equal(self.words, "").to_numpy(zero_copy_only=False), dtype=bool)
        known_value: NDArray[np.bool_] = ~blank[self.word_of_value]
        rows: NDArray[np.bool_] = known_value[self.codes]
        return rows


def arrow_label_codes(values: Any, spec: ColumnSpec) -> LabelCodes | None:
    """A label column's rows as codes of its distinct values, unsorted (see :class:`LabelCodes`).

    The column is dictionary-encoded once (a column read as a dictionary keeps its
    own): trimming and the missing values are worked out on the distinct values only,
    no row becomes a Python or numpy string and nothing is sorted. None for a column
    of integers without nulls, which the core factorises directly.
    """
    pa, pc = _pa()
    if pa.types.is_dictionary(values.type) and not pa.types.is_integer(values.type.value_type):
        codes, dictionary = _dictionary_parts(values)
    else:
        if pa.types.is_dictionary(values.type):
            values = pc.cast(values, values.type.value_type)
        if not is_text_type(values.type):
            if pa.types.is_integer(values.type) and values.null_count == 0:
                return None
            values = pc.cast(values, pa.string())
        # The chunks as read, encoded with one dictionary (no concatenated copy of the column).
        encoded = pc.dictionary_encode(values, null_encoding="encode")
        codes, dictionary = _dictionary_parts(encoded)
    if not is_text_type(dictionary.type):
        dictionary = pc.cast(dictionary, pa.string())
    trimmed = pc.utf8_trim_whitespace(dictionary)
    missing = pa.array(spec.missing, type=trimmed.type)
    absent = pc.or_(pc.is_null(trimmed), pc.is_in(pc.utf8_lower(trimmed), value_set=missing))
    # Trimmed or missing values may coincide: the words are the distinct results.
    words = pc.dictionary_encode(pc.if_else(absent, pa.scalar("", type=trimmed.type), trimmed))
    return LabelCodes(
        codes=codes,
        word_of_value=np.asarray(words.indices.to_numpy(zero_copy_only=False), dtype=np.intp),
        words=words.dictionary,
        absent=np.asarray(absent.to_numpy(zero_copy_only=False), dtype=bool),
    )


def _dictionary_parts(values: Any) -> tuple[NDArray[np.intp], Any]:
    """Row codes and dictionary of an Arrow dictionary column (chunks' dictionaries unified; null a value)."""
    pa, pc = _pa()
    if not isinstance(values, pa.ChunkedArray):
        values = pa.chunked_array([values], type=values.type)
    if len({_address(chunk.dictionary) for chunk in values.chunks}) > 1:
        values = values.unify_dictionaries()
    value_type = values.type.value_type
    if values.num_chunks == 0:
        return np.zeros(0, dtype=np.intp), pa.array([], type=value_type)
    dictionary = values.chunk(0).dictionary
    indices = pa.chunked_array([chunk.indices for chunk in values.chunks], type=values.type.index_type)
    null = len(dictionary)  # a null row is one more value, the null
    codes = np.asarray(pc.fill_null(indices, null).to_numpy(), dtype=np.intp)
    if values.null_count:
        dictionary = pa.concat_arrays([dictionary, pa.nulls(1, type=value_type)])
    return codes, dictionary


def _address(array: Any) -> tuple[int, ...]:
    """Where an array's buffers are: equal for chunks that share one dictionary."""
    buffers = tuple(0 if buffer is None else buffer.address for buffer in array.buffers())
    return (*buffers, array.offset, len(array))


def arrow_groups(values: Any, spec: ColumnSpec) -> tuple[Groups, NDArray[np.bool_] | None] | None:
    """The groups of a label column (trimmed; missing values the group ``''``) and where it is missing.

    The rows are coded once by :func:`arrow_label_codes` and only the distinct words
    are sorted (by code point, UTF-8 byte order, as numpy sorts text) and become
    Python strings: the groups are those :func:`cskpi._core.labels.factorize` gives
    for the column's text, without a string per row. None for a column of integers
    without nulls (the core groups them directly) and for an empty column.
    """
    pa, pc = _pa()
    coded = arrow_label_codes(values, spec)
    if coded is None or not len(coded.words):
        return None
    words = coded.words
    order = np.asarray(pc.array_sort_indices(words).to_numpy(), dtype=np.intp)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    uniques = np.asarray(words.take(pa.array(order)).to_numpy(zero_copy_only=False), dtype=str)
    groups = Groups(codes=rank[coded.word_codes], labels=(uniques,), names=(spec.column,))
    mask = coded.absent[coded.codes]
    return groups, (mask if mask.any() else None)


def arrow_labels(
    values: Any, spec: ColumnSpec
) -> tuple[NDArray[Any], NDArray[np.bool_] | None, Groups | None]:
    """A label column as numpy text (trimmed; missing values ``''``), where it is missing, its groups.

    The text of each row is one gather of its group's label (see :func:`arrow_groups`),
    so grouping by the column hashes no row again; groups None for a column of
    integers, which the core groups directly.
    """
    pa, pc = _pa()
    grouped = arrow_groups(values, spec)
    if grouped is not None:
        groups, mask = grouped
        return groups.labels[0][groups.codes], mask, groups
    values = _combined(values)
    if pa.types.is_dictionary(values.type):
        values = pc.cast(values, values.type.value_type)
    if len(values) == 0:
        return np.full(0, "", dtype=str), None, None
    return np.asarray(values.to_numpy(zero_copy_only=False)), None, None  # integers without nulls


# --------------------------------------------------------------------------- timestamps


def arrow_timestamps(
    values: Any, spec: ColumnSpec, *, time_values: Any = None, optional: bool
) -> tuple[NDArray[np.datetime64], bool | None, str | None]:
    """A timestamp column as ``datetime64[us]``: ``(stamps, aware, zone)``.

    ``aware`` is True when the stamps are UTC instants (values with offsets, or
    naive values with ``spec.tz``), False for wall-clock times, None when no value is
    present. ``zone`` names the zone instants are read in: ``spec.tz``, the single
    UTC offset shared by every value (``'+00:00'``), or None.
    """
    pa, pc = _pa()
    rule = (
        "a timestamp such as 2026-01-31T09:30:00"
        if spec.format is None
        else (f"a timestamp in the format {spec.format!r}")
    )
    rule += " (or empty)" if optional else ""
    if pa.types.is_timestamp(values.type) or pa.types.is_date(values.type):
        return _typed_timestamps(values, spec, optional, rule)
    if (
        pa.types.is_string(values.type)
        and time_values is None
        and spec.format is None
        and spec.missing == ("",)
        and values.null_count != len(values)
    ):
        try:  # naive ISO 8601, blanks as nulls (the reader's): one cast, no pattern matching
            naive = pc.cast(values, pa.timestamp("us"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            naive = None
        if naive is not None:
            return _typed_timestamps(naive, spec, optional, rule, source=values)
    values = _combined(values)
    text, _ = _text(values)
    missing = pc.fill_null(_missing(text, spec), True)
    shown = values  # what messages show of a row: the cell, or the date and time joined
    if time_values is not None:
        clock, _ = _text(_combined(time_values))
        clock_missing = pc.fill_null(_missing(clock, spec), True)
        # A one-digit hour (9:05) is padded so that ISO 8601 parsing accepts it.
        clock = pc.replace_substring_regex(clock, r"^(\d):", r"0\1:")
        missing = pc.or_(missing, clock_missing)
        text = pc.binary_join_element_wise(text, clock, " ")
        shown = text
    text = pc.if_else(missing, pa.scalar(None, pa.string()), text)
    if not optional:
        index = _first(missing)
        if index >= 0:
            raise BadValue(index, rule.replace(" (or empty)", ""), _shown(values, index))
    zone: str | None = spec.tz
    if spec.format is not None:
        parsed = _strptime(text, spec.format)
        _raise_unparsed(parsed, missing, shown, rule)
        aware = parsed.type.tz is not None
        offsets = None
    else:
        parsed, aware, offsets = _iso_or_fallback(text, missing, shown, rule)
    stamps = parsed
    if not aware and spec.tz is not None:
        stamps = _assume_zone(parsed, spec.tz, shown, rule)
        aware = True
    elif aware and zone is None and offsets is not None:
        distinct = [value for value in pc.unique(offsets).to_pylist() if value is not None]
        normal = {"+00:00" if value in ("Z", "+00", "+0000") else _normal_offset(value) for value in distinct}
        if len(normal) == 1:
            zone = normal.pop()
    ticks = np.asarray(
        pc.fill_null(
            pc.cast(pc.cast(stamps, pa.timestamp("us")), pa.int64()), np.iinfo(np.int64).min
        ).to_numpy(zero_copy_only=False),
        dtype=np.int64,
    )
    result = ticks.view("datetime64[us]")
    _check_years(result, shown, rule)
    present = bool((~np.isnat(result)).any())
    return result, (aware if present else None), zone


def _normal_offset(text: str) -> str:
    digits = text.replace(":", "")
    return f"{digits[:3]}:{digits[3:5] or '00'}"


# Seconds and their fraction, as ``%S.%f`` (or ``%S,%f``) reads them: 1 to 9 digits.
_FRACTION = r"(?P<seconds>:\d\d)[.,](?P<digits>\d{1,9})"


def _strptime(text: Any, format: str) -> Any:
    """``text`` parsed by a ``strptime`` format as microsecond timestamps (null where it does not fit).

    Arrow's ``strptime`` has no ``%f``: a format with ``%S.%f`` (or ``%S,%f``) is
    parsed without the fraction, which is read from the text (after the seconds) and
    added, kept to the microsecond as Python's ``%f`` keeps it.
    """
    pa, pc = _pa()
    fraction = next((f"%S{mark}%f" for mark in ".," if f"%S{mark}%f" in format), None)
    if fraction is None:
        return pc.strptime(text, format=format, unit="us", error_is_null=True)
    digits = pc.struct_field(pc.extract_regex(text, _FRACTION), "digits")
    whole = pc.replace_substring_regex(text, _FRACTION, r"\1", max_replacements=1)
    parsed = pc.strptime(whole, format=format.replace(fraction, "%S"), unit="us", error_is_null=True)
    six = pc.utf8_rpad(pc.utf8_slice_codeunits(digits, 0, 6), width=6, padding="0")
    micros = pc.cast(pc.cast(six, pa.int64()), pa.duration("us"))
    # A value without a fraction does not fit the format, as with Python's strptime.
    return pc.if_else(pc.is_null(digits), pa.scalar(None, parsed.type), pc.add(parsed, micros))


def _raise_unparsed(parsed: Any, missing: Any, values: Any, rule: str) -> None:
    _, pc = _pa()
    index = _first(pc.and_(pc.is_null(parsed), pc.invert(missing)))
    if index >= 0:
        raise BadValue(index, rule, _shown(values, index))


def _iso_or_fallback(text: Any, missing: Any, values: Any, rule: str) -> tuple[Any, bool, Any]:
    """ISO 8601 text (naive or with offsets, not mixed) parsed by Arrow's cast; else the fallback formats."""
    pa, pc = _pa()
    with_offset = pc.fill_null(pc.match_substring_regex(text, _OFFSET), False)
    n_offset = pc.sum(with_offset).as_py() or 0
    n_present = len(text) - text.null_count
    if 0 < n_offset < n_present:
        naive_at = _first(pc.and_(pc.invert(with_offset), pc.is_valid(text)))
        aware_at = _first(with_offset)
        raise BadValue(
            naive_at,
            f"{rule}, not mixing naive local timestamps and values with UTC offsets "
            f"(row {aware_at + 1} has {_shown(values, aware_at)!r})",
            _shown(values, naive_at),
        )
    aware = n_present > 0 and n_offset == n_present
    target = pa.timestamp("us", "UTC") if aware else pa.timestamp("us")
    # A one-digit hour and a comma before fractions are ISO 8601 too; Arrow wants 09:05 and a dot.
    normal = pc.replace_substring_regex(text, r"([T ])(\d):", r"\10\2:")
    normal = pc.replace_substring_regex(normal, r"(\d)\s+([+-]\d\d:?\d\d)$", r"\1\2")  # "09:30 +0000"
    try:
        parsed = pc.cast(normal, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        for fallback in FALLBACK_FORMATS:
            parsed = pc.strptime(text, format=fallback, unit="us", error_is_null=True)
            if parsed.null_count == text.null_count:
                aware = parsed.type.tz is not None
                offsets = pc.struct_field(pc.extract_regex(text, _OFFSET_PART), "offset") if aware else None
                return parsed, aware, offsets
        match = _FAILED.search(str(error))
        index = -1
        if match is not None:
            index = _first(pc.equal(normal, match["value"]))
        if index < 0:  # pragma: no cover - Arrow names the value it could not parse
            index = _first(pc.is_valid(text))
        raise BadValue(index, rule, _shown(values, index)) from None
    offsets = pc.struct_field(pc.extract_regex(text, _OFFSET_PART), "offset") if aware else None
    return parsed, aware, offsets


def _assume_zone(parsed: Any, tz: str, values: Any, rule: str) -> Any:
    """Naive wall-clock times in ``tz`` as UTC instants (repeated hour: the earlier instant)."""
    pa, pc = _pa()
    try:
        return pc.assume_timezone(parsed, timezone=tz, ambiguous="earliest", nonexistent="raise")
    except pa.ArrowInvalid:
        early = pc.assume_timezone(parsed, timezone=tz, ambiguous="earliest", nonexistent="earliest")
        late = pc.assume_timezone(parsed, timezone=tz, ambiguous="earliest", nonexistent="latest")
        index = _first(pc.not_equal(early, late))
        raise BadValue(
            max(index, 0),
            f"a wall-clock time that exists in {tz} (clocks moved forward past it)",
            _shown(values, max(index, 0)),
        ) from None


def _typed_timestamps(
    values: Any, spec: ColumnSpec, optional: bool, rule: str, source: Any = None
) -> tuple[NDArray[np.datetime64], bool | None, str | None]:
    """A typed Arrow timestamp or date column (Parquet) as ``(stamps, aware, zone)``.

    ``source`` is the text the stamps were parsed from, shown in messages.
    """
    pa, pc = _pa()
    shown = values if source is None else source
    if pa.types.is_date(values.type):
        values = pc.cast(values, pa.timestamp("us"))
    zone = values.type.tz
    aware = zone is not None
    if not aware and spec.tz is not None:
        values = _assume_zone(pc.cast(values, pa.timestamp("us")), spec.tz, shown, rule)
        aware, zone = True, spec.tz
    if not optional:
        index = _first(pc.is_null(values))
        if index >= 0:
            raise BadValue(index, rule.replace(" (or empty)", ""), None if source is None else "")
    ticks = pc.cast(pc.cast(values, pa.timestamp("us", values.type.tz)), pa.int64())
    result = np.asarray(
        pc.fill_null(ticks, np.iinfo(np.int64).min).to_numpy(zero_copy_only=False), dtype=np.int64
    ).view("datetime64[us]")
    _check_years(result, shown, rule)
    present = bool((~np.isnat(result)).any())
    return result, (aware if present else None), zone


_LOW = np.datetime64("0001-01-01", "us")
_HIGH = np.datetime64("9999-12-31T23:59:59.999999", "us")


def _check_years(stamps: NDArray[np.datetime64], values: Any, rule: str) -> None:
    """Years outside 1..9999 raise (checked before any per-period array is allocated)."""
    present = ~np.isnat(stamps)
    outside = present & ((stamps < _LOW) | (stamps > _HIGH))
    if outside.any():
        index = int(np.argmax(outside))
        raise BadValue(index, f"{rule} in years 1..9999", _shown(values, index))
