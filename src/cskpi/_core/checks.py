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
    "check_same_length",
    "describe_first",
    "first_index",
    "integer_scores",
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
    else:
        raise InvalidTypeError(
            f"{name} must be array-like (list, tuple, numpy array, pandas or polars Series); "
            f"got {type(values).__name__}"
        )
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if array.ndim not in allowed:
        wanted = " or ".join(f"{d}-D" for d in allowed)
        raise InvalidInputError(f"{name} must be {wanted}; got an array of shape {array.shape}")
    return array


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
    if kind == "O":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise InvalidTypeError(
                f"{name} must contain numbers; got non-numeric values of dtype object"
            ) from None
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
    if mask.dtype.kind != "b":
        raise InvalidTypeError(
            f"{name} must be a boolean mask (True = {meaning}); got dtype {mask.dtype} "
            f"(convert 0/1 columns with .astype(bool))"
        )
    return mask


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
    if kind == "O":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise InvalidTypeError(f"{name} must be counts of {unit}; got non-numeric values") from None
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
    if array.dtype.kind == "b" or array.dtype.kind not in "iuf":
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
