"""Array coercion and input checks shared by every cskpi function.

One layer, one message format: ``<name> must be <rule>; got <value> at index <i>``.
Nothing here copies or modifies its input unless a conversion is unavoidable
(a list becomes an array; a float array of whole numbers becomes integers).
pandas and polars are never imported: objects exposing ``to_numpy()`` or
``__array__`` are converted through those protocols.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from .errors import InvalidInputError, InvalidTypeError

__all__ = [
    "NanPolicy",
    "arrays_equal",
    "check_confidence_level",
    "check_integer_scale",
    "check_nan_policy",
    "check_quantiles",
    "check_same_length",
    "describe_first",
    "first_index",
    "integer_scores",
    "missing_objects",
    "numbers_from_objects",
    "to_array",
    "unwrap",
]

NanPolicy: TypeAlias = Literal["raise", "omit"]
_NAN_POLICIES = ("raise", "omit")


def to_array(values: Any, name: str, *, ndim: int | tuple[int, ...] = 1) -> NDArray[Any]:
    """Convert an array-like argument to a numpy array without copying when possible.

    Accepts numpy arrays, lists, tuples, ranges and any object with ``to_numpy()``
    (pandas, polars) or ``__array__``. Raises :class:`InvalidTypeError` for ``None``,
    strings and scalars, and :class:`InvalidInputError` for ragged nested sequences
    or the wrong number of dimensions.
    """
    if values is None:
        raise InvalidTypeError(f"{name} must be array-like; got None")
    if isinstance(values, str | bytes):
        raise InvalidTypeError(f"{name} must be array-like, not a single string; got {values!r}")
    if isinstance(values, np.ma.MaskedArray):
        values = _unmasked(values, name)
    if isinstance(values, np.ndarray):
        array = values
    elif hasattr(values, "to_numpy"):
        try:
            array = np.asarray(values.to_numpy())
        except Exception as exc:  # pyarrow refuses a zero-copy to_numpy() of dates or nulls
            if not hasattr(values, "__array__"):
                raise InvalidTypeError(f"{name} could not be converted to an array ({exc})") from None
            array = np.asarray(values)
    elif isinstance(values, list | tuple | range) or hasattr(values, "__array__"):
        try:
            array = np.asarray(values)
        except ValueError as exc:  # numpy refuses ragged nested sequences
            raise InvalidInputError(
                f"{name} must be a rectangular array; got a ragged sequence ({exc})"
            ) from None
        # numpy turns [True, 9, 10] into [1, 9, 10]: keep the booleans visible to the checks
        if (
            isinstance(values, list | tuple)
            and array.ndim == 1
            and array.dtype.kind in "iuf"
            and any(isinstance(item, bool | np.bool_) for item in values)
        ):
            array = np.asarray(values, dtype=object)
    else:
        raise InvalidTypeError(
            f"{name} must be array-like (list, tuple, numpy array, pandas or polars Series); "
            f"got {type(values).__name__}"
        )
    if isinstance(array, np.ma.MaskedArray):  # a pandas/polars object never gives one; __array__ may
        array = _unmasked(array, name)
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if array.ndim not in allowed:
        wanted = " or ".join(f"{d}-D" for d in allowed)
        raise InvalidInputError(f"{name} must be {wanted}; got an array of shape {array.shape}")
    return array


def _unmasked(values: np.ma.MaskedArray[Any, Any], name: str) -> NDArray[Any]:
    """A masked array with each masked entry replaced by the missing marker of its kind.

    A masked entry is a missing entry, exactly as NaN, NaT, ``None``, pandas ``NA`` or a
    polars/pyarrow null: NaN in floats, NaT in datetimes and durations, ``None`` (an
    object array) otherwise. The argument's own missing-value rule then applies, so a
    masked score is omitted or raises with ``nan_policy``, a masked flag raises, and
    nothing masked is counted.
    """
    hidden = np.ma.getmaskarray(values)
    data = np.ma.getdata(values)
    if not hidden.any():
        return data
    if data.dtype.kind == "f":
        return np.where(hidden, np.nan, data)
    if data.dtype.kind in "mM":
        return np.where(hidden, np.array("NaT", dtype=data.dtype), data)
    out = data.astype(object)
    out[hidden] = None
    return out


_MISSING_TYPES = ("NoneType", "NAType", "NaTType")


def missing_objects(array: NDArray[Any]) -> NDArray[np.bool_]:
    """True where an object array holds a missing value: None, NaN, ``pandas.NA`` or ``NaT``."""
    if array.size == 0:
        return np.zeros(array.shape, dtype=bool)
    check = np.frompyfunc(
        lambda item: type(item).__name__ in _MISSING_TYPES or (isinstance(item, float) and item != item), 1, 1
    )
    return np.asarray(check(array), dtype=bool)


def _number_objects(array: NDArray[Any]) -> NDArray[np.bool_]:
    """True where an object array holds a real number that is not a boolean."""
    if array.size == 0:
        return np.zeros(array.shape, dtype=bool)
    check = np.frompyfunc(
        lambda item: (
            isinstance(item, int | float | np.integer | np.floating) and not isinstance(item, bool | np.bool_)
        ),
        1,
        1,
    )
    return np.asarray(check(array), dtype=bool)


def numbers_from_objects(array: NDArray[Any], name: str) -> NDArray[np.float64]:
    """Numbers held in an object or string array, as float64 with NaN for missing values.

    Missing values (None, NaN, ``pandas.NA`` — what pandas nullable dtypes, polars and
    pyarrow give for nulls) become NaN, so that the caller's NaN rule applies to them.
    Strings raise even when they hold digits (``"9"`` is text, not a score), and so do
    booleans (True is not 1 second or a score of 1).
    """
    if array.dtype.kind in "US":
        if array.size == 0:
            return np.zeros(array.shape, dtype=np.float64)
        index = first_index(np.ones(array.shape, dtype=bool))
        raise InvalidTypeError(f"{name} must contain numbers; got str {str(array[index])!r} at index {index}")
    missing = missing_objects(array)
    numbers = _number_objects(array)
    bad = ~(missing | numbers)
    if bad.any():
        index = first_index(bad)
        value = array[index]
        if isinstance(value, bool | np.bool_):
            raise InvalidTypeError(
                f"{name} must contain numbers, not booleans; got {bool(value)!r} at index {index}"
            )
        raise InvalidTypeError(
            f"{name} must contain numbers; got {type(value).__name__} {value!r} at index {index}"
        )
    result = np.full(array.shape, np.nan)
    result[numbers] = array[numbers].astype(np.float64)
    return result


def check_quantiles(quantile: Any, name: str = "quantile") -> tuple[NDArray[np.float64], bool]:
    """Quantile levels as a 1-D float array of fractions in [0, 1], and whether a scalar was given.

    Every quantile level in cskpi is a fraction: 0.9 for the 90th percentile. A level
    above 1 (a percent passed by habit) raises and names the fraction it likely meant.
    """
    scalar = not isinstance(quantile, list | tuple) and np.ndim(quantile) == 0
    if scalar:
        if quantile is None or isinstance(quantile, str | bytes | bool | np.bool_):
            raise InvalidTypeError(
                f"{name} must be a number or an array of numbers in [0, 1]; got {quantile!r}"
            )
        array = np.asarray([quantile])
    else:
        array = to_array(quantile, name)
    kind = array.dtype.kind
    if kind == "O" or kind in "US":
        levels = numbers_from_objects(array, name)
    elif kind == "b" or kind not in "iuf":
        raise InvalidTypeError(f"{name} must contain numbers in [0, 1]; got dtype {array.dtype}")
    else:
        levels = array.astype(np.float64)
    if levels.shape[0] == 0:
        raise InvalidInputError(f"{name} must hold at least one level; got an empty array")

    def where(index: Any) -> str:
        return "" if scalar else f" at index {index}"

    missing = np.isnan(levels)
    if missing.any():
        raise InvalidInputError(f"{name} must not contain NaN; got nan{where(first_index(missing))}")
    above = levels > 1
    if above.any():
        index = first_index(above)
        value = levels[index]
        shown = int(value) if float(value).is_integer() else float(value)
        hint = f" — did you mean {float(value) / 100:g}?" if value <= 100 else ""
        raise InvalidInputError(f"{name} levels are fractions in [0, 1]; got {shown!r}{where(index)}{hint}")
    below = levels < 0
    if below.any():
        index = first_index(below)
        raise InvalidInputError(
            f"{name} levels are fractions in [0, 1]; got {float(levels[index])!r}{where(index)}"
        )
    return levels, scalar


def unwrap(value: Any) -> Any:
    """A Python scalar for 0-d arrays and numpy scalars; arrays unchanged (scalar in, scalar out)."""
    array = np.asarray(value)
    return array.item() if array.ndim == 0 else array


def arrays_equal(a: Any, b: Any) -> bool:
    """Equality of array-valued fields: ``numpy.array_equal``, with NaN equal to NaN for float data.

    ``None`` (an optional field left empty) equals only ``None``.
    """
    if a is None or b is None:
        return a is b
    left, right = np.asarray(a), np.asarray(b)
    if left.dtype.kind in "fc" and right.dtype.kind in "fc":
        return bool(np.array_equal(left, right, equal_nan=True))
    return bool(np.array_equal(left, right))


def first_index(mask: NDArray[np.bool_]) -> tuple[int, ...] | int:
    """Index of the first True in ``mask``: an int for 1-D masks, a tuple otherwise."""
    flat = int(np.argmax(mask.ravel()))
    if mask.ndim == 1:
        return flat
    return tuple(int(i) for i in np.unravel_index(flat, mask.shape))


def describe_first(array: NDArray[Any], mask: NDArray[np.bool_]) -> str:
    """``"<first value where mask is True> at index <i>"`` with the value as a plain Python repr."""
    index = first_index(mask)
    value = array[index]
    shown = value.item() if isinstance(value, np.generic) else value
    return f"{shown!r} at index {index}"


def check_nan_policy(nan_policy: str) -> NanPolicy:
    """Validate a ``nan_policy`` argument (scipy's name): 'raise' or 'omit'."""
    if not isinstance(nan_policy, str) or nan_policy not in _NAN_POLICIES:  # an array has no truth value
        raise InvalidInputError(f"nan_policy must be one of {_NAN_POLICIES}; got {nan_policy!r}")
    return nan_policy  # type: ignore[return-value]


def check_integer_scale(scale: Any, name: str = "scale") -> tuple[int, int]:
    """Validate an inclusive integer scale ``(low, high)`` with ``low < high``."""
    try:
        low, high = scale
    except (TypeError, ValueError):
        raise InvalidTypeError(f"{name} must be a pair (low, high) of integers; got {scale!r}") from None
    for bound in (low, high):
        if isinstance(bound, bool) or not isinstance(bound, int | np.integer):
            raise InvalidTypeError(f"{name} must be a pair (low, high) of integers; got {scale!r}")
    if not low < high:
        raise InvalidInputError(f"{name} must satisfy low < high; got {scale!r}")
    return int(low), int(high)


# The largest level whose upper tail quantile 1 - α/2 is below 1 in float64: 1 - 2**-52.
_MAX_LEVEL = 1.0 - 2.0**-52


def check_confidence_level(confidence_level: float) -> float:
    """Validate a confidence level strictly between 0 and 1."""
    if isinstance(confidence_level, bool) or not isinstance(
        confidence_level, float | int | np.floating | np.integer
    ):
        raise InvalidTypeError(f"confidence_level must be a number; got {confidence_level!r}")
    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        raise InvalidInputError(
            f"confidence_level must be strictly between 0 and 1; got {confidence_level!r}"
        )
    if not 0.5 + level / 2 < 1.0:  # the upper tail 1 - α/2 must stay below 1 in floating point
        raise InvalidInputError(
            f"confidence_level must be at most {_MAX_LEVEL!r} (closer to 1 leaves no tail a "
            f"float can hold); got {confidence_level!r}"
        )
    return level


def check_same_length(first: tuple[str, NDArray[Any]], *others: tuple[str, NDArray[Any]]) -> int:
    """Check that arrays share their first dimension; return that length."""
    name, array = first
    length = array.shape[0]
    for other_name, other in others:
        if other.shape[0] != length:
            raise InvalidInputError(
                f"{other_name} must have the same length as {name} ({length}); got length {other.shape[0]}"
            )
    return int(length)


def integer_scores(
    values: Any,
    name: str,
    low: int,
    high: int,
    *,
    nan_policy: NanPolicy = "raise",
    ndim: int | tuple[int, ...] = 1,
) -> tuple[NDArray[np.integer[Any]], NDArray[np.bool_] | None]:
    """Validate answers on the integer scale ``low..high``.

    Returns the answers as an integer array (the input itself when it already has an
    integer dtype) and a mask of the answers to keep, or ``None`` when all are kept.
    Float input is accepted when every value is a whole number; NaN (and ``None`` in an
    object array) marks a missing answer, which raises unless ``nan_policy='omit'``.
    Missing answers are returned as ``low`` in the integer array and False in the mask.
    """
    array = to_array(values, name, ndim=ndim)
    kind = array.dtype.kind
    if kind == "O" or kind in "US":
        array = numbers_from_objects(array, name)
        kind = "f"
    if kind == "b":
        raise InvalidTypeError(f"{name} must contain integer scores, not booleans")
    if kind not in "iuf":
        raise InvalidTypeError(
            f"{name} must contain integer scores on {low}..{high}; got dtype {array.dtype}"
        )
    rule = f"{name} must be integers in {low}..{high}"
    if kind in "iu":
        if array.size and (array.min() < low or array.max() > high):
            raise InvalidInputError(f"{rule}; got {describe_first(array, (array < low) | (array > high))}")
        return array, None
    missing = np.isnan(array)
    keep: NDArray[np.bool_] | None = None
    if missing.any():
        if nan_policy == "raise":
            raise InvalidInputError(
                f"{name} must not contain NaN (pass nan_policy='omit' to skip missing answers); "
                f"got {describe_first(array, missing)}"
            )
        keep = ~missing
        filled = np.where(missing, low, array)
    else:
        filled = array
    bad = (filled < low) | (filled > high) | (filled != np.floor(filled))
    if bad.any():
        raise InvalidInputError(f"{rule}; got {describe_first(array, bad)}")
    smallest = np.min_scalar_type(high) if low >= 0 else np.int64
    return filled.astype(np.promote_types(smallest, np.int16)), keep


def boolean_mask(values: Any, name: str, meaning: str) -> NDArray[np.bool_]:
    """A 1-D boolean mask; integer 0/1 columns raise so that a wrong column is not taken silently."""
    mask = to_array(values, name)
    if mask.dtype.kind == "O":  # pandas 'boolean' and polars/pyarrow booleans with nulls
        mask = _booleans_from_objects(mask, name)
    if mask.dtype.kind != "b":
        raise InvalidTypeError(
            f"{name} must be a boolean mask (True = {meaning}); got dtype {mask.dtype} "
            f"(convert 0/1 columns with .astype(bool))"
        )
    return mask


def _booleans_from_objects(array: NDArray[Any], name: str) -> NDArray[Any]:
    """An object array of booleans as a bool array; a missing flag raises (it is neither True nor False)."""
    missing = missing_objects(array)
    if missing.any():
        raise InvalidInputError(
            f"{name} must not contain missing values; got {array[first_index(missing)]!r} "
            f"at index {first_index(missing)}"
        )
    if array.size == 0:
        return array
    flags = np.frompyfunc(lambda item: isinstance(item, bool | np.bool_), 1, 1)
    if np.asarray(flags(array), dtype=bool).all():
        return array.astype(bool)
    return array


def abandoned_mask(abandoned: Any, reference: tuple[str, NDArray[Any]]) -> NDArray[np.bool_] | None:
    if abandoned is None:
        return None
    mask = boolean_mask(abandoned, "abandoned", "abandoned")
    check_same_length(reference, ("abandoned", mask))
    return mask


def check_counts(values: Any, name: str, unit: str = "customers") -> NDArray[np.float64]:
    """Counts (scalar or array): finite, non-negative whole numbers, returned as float64."""
    if isinstance(values, bool | np.bool_):
        raise InvalidTypeError(f"{name} must be counts of {unit}, not booleans; got {values!r}")
    if isinstance(values, int | float | np.integer | np.floating):
        array = np.asarray(values)
    else:
        array = to_array(values, name, ndim=(0, 1, 2))
    kind = array.dtype.kind
    if kind == "O" or kind in "US":
        array = numbers_from_objects(array, name)
    elif kind == "b" or kind not in "iuf":
        raise InvalidTypeError(f"{name} must be counts of {unit} (numbers); got dtype {array.dtype}")
    counts = array.astype(np.float64)
    if counts.ndim == 0:
        bad_value = not np.isfinite(counts) or counts < 0 or counts != np.floor(counts)
        if bad_value:
            shown = first_shown(counts, counts >= 0)
            raise InvalidInputError(f"{name} must be a non-negative whole number of {unit}; got {shown!r}")
        return counts
    missing = np.isnan(counts)
    if missing.any():
        raise InvalidInputError(f"{name} must not contain NaN; got nan at index {first_index(missing)}")
    bad = ~np.isfinite(counts) | (counts < 0) | (counts != np.floor(counts))
    if bad.any():
        raise InvalidInputError(
            f"{name} must be non-negative whole numbers of {unit}; got {describe_first(counts, bad)}"
        )
    return counts


def broadcast_named(*named: tuple[str, NDArray[np.float64]]) -> list[NDArray[np.float64]]:
    try:
        return list(np.broadcast_arrays(*(array for _, array in named)))
    except ValueError:
        shapes = ", ".join(f"{name} {array.shape}" for name, array in named)
        raise InvalidInputError(
            f"{' and '.join(n for n, _ in named)} must have matching shapes; got {shapes}"
        ) from None


def index_note(mask: NDArray[np.bool_]) -> str:
    return "" if mask.ndim == 0 else f" at index {first_index(mask)}"


def first_shown(array: NDArray[np.float64], mask: NDArray[np.bool_]) -> Any:
    value = array if array.ndim == 0 else array[first_index(mask)]
    number = float(value)
    return int(number) if number.is_integer() else number


def check_numbers(values: Any, name: str) -> NDArray[np.float64]:
    if isinstance(values, bool | np.bool_):
        raise InvalidTypeError(f"{name} must be a number, not a boolean; got {values!r}")
    if isinstance(values, int | float | np.integer | np.floating):
        number = np.asarray(values, dtype=np.float64)
        if np.isnan(number):
            raise InvalidInputError(f"{name} must not be NaN; got nan")
        return number
    array = to_array(values, name, ndim=(0, 1, 2))
    if array.dtype.kind == "O" or array.dtype.kind in "US":
        array = numbers_from_objects(array, name)
    elif array.dtype.kind == "b" or array.dtype.kind not in "iuf":
        raise InvalidTypeError(f"{name} must contain numbers; got dtype {array.dtype}")
    numbers = array.astype(np.float64)
    missing = np.isnan(numbers)
    if missing.any():
        raise InvalidInputError(f"{name} must not contain NaN; got nan{index_note(missing)}")
    return numbers


def check_fractions(values: Any, name: str) -> NDArray[np.float64]:
    numbers = check_numbers(values, name)
    bad = np.isnan(numbers) | (numbers < 0) | (numbers > 1)
    if np.any(bad):
        raise InvalidInputError(
            f"{name} must be in [0, 1]; got {first_shown(numbers, bad)!r}{index_note(bad)}"
        )
    return numbers


def check_positive(values: Any, name: str) -> NDArray[np.float64]:
    numbers = check_numbers(values, name)
    bad = ~np.isfinite(numbers) | (numbers <= 0)
    if np.any(bad):
        raise InvalidInputError(
            f"{name} must be positive and finite; got {first_shown(numbers, bad)!r}{index_note(bad)}"
        )
    return numbers
