"""Customer identifiers: one index per distinct customer, and (customer, period) pairs."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .checks import first_index, to_array
from .errors import InvalidInputError, InvalidTypeError
from .labels import encode_labels

# Records handled per step where a temporary per record would otherwise be allocated.
_CHUNK_ROWS = 1 << 20


# The (customer, period) cells are marked in a boolean array when it holds at most this
# many cells per record (or at most _DENSE_MIN_CELLS in all); otherwise the keys are sorted.
_DENSE_CELLS_PER_RECORD = 8


_DENSE_MIN_CELLS = 1 << 20


def customer_index(customer_ids: Any, name: str = "customer_ids") -> tuple[NDArray[np.intp], int]:
    """Index of each record's customer in ``0..n_slots-1`` (two records, one customer: one index).

    One rule for every function taking customer identifiers: integers, strings, or
    whole-number floats; missing identifiers (``None``, NaN, pandas ``NA``, polars or
    pyarrow nulls) and the empty string raise, since counting them as one customer
    would merge different people.

    Integer identifiers with a compact range (at most about twice the number of
    records) are used directly, shifted to start at 0, so some slots may have no
    customer. Text identifiers (numpy, pandas, polars or pyarrow) are factorised by
    the engine that holds them (:func:`cskpi._core.labels.encode_labels` with
    ``sort=False``: the indices say which records share a customer, in no particular
    order); other identifiers (floats, sparse integers) by ``np.unique``.
    """
    if _is_text(customer_ids):
        codes, labels = encode_labels(customer_ids, name, sort=False, what="identifiers")
        _reject_empty(codes, labels, name)
        return codes, int(labels.shape[0])
    ids = to_array(customer_ids, name)
    kind = ids.dtype.kind
    n = ids.shape[0]
    if kind == "b":
        raise InvalidTypeError(f"{name} must be customer identifiers (integers or strings), not booleans")
    if kind not in "iufUSO":
        raise InvalidTypeError(
            f"{name} must be customer identifiers (integers or strings); got dtype {ids.dtype}"
        )
    if kind == "f":
        missing = np.isnan(ids)
        if missing.any():
            raise InvalidInputError(
                f"{name} must not contain missing identifiers (None, NaN or null); got nan at index "
                f"{first_index(missing)}"
            )
        if n and np.all(np.isfinite(ids)) and np.all(ids == np.floor(ids)) and np.abs(ids).max() < 2.0**53:
            ids = ids.astype(np.int64)
            kind = "i"
    if n and kind in "iu":
        low, high = int(ids.min()), int(ids.max())
        span = high - low + 1
        if span <= 2 * n + 1024 and high <= np.iinfo(np.intp).max:
            if low == 0:  # may be the input itself: callers never write to it
                return ids.astype(np.intp, copy=False), span
            shifted = ids.astype(np.intp)
            shifted -= low
            return shifted, span
    codes, labels = encode_labels(ids, name, sort=False, what="identifiers")
    _reject_empty(codes, labels, name)
    return codes, int(labels.shape[0])


def _is_text(ids: Any) -> bool:
    """Whether ``ids`` holds text by its dtype (numpy, pandas, polars, pyarrow), without converting it."""
    if isinstance(ids, np.ndarray):
        return ids.dtype.kind in "USO"
    module = type(ids).__module__.partition(".")[0]
    if module == "pandas" and getattr(ids, "ndim", 0) == 1:
        return getattr(ids.dtype, "kind", "") in "USO"
    if module == "polars" and hasattr(ids, "dtype"):
        return str(ids.dtype).startswith(("String", "Utf8", "Categorical", "Enum", "Binary"))
    if module == "pyarrow" and hasattr(ids, "type"):
        return str(ids.type).startswith(("string", "large_string", "binary", "large_binary", "dictionary"))
    return False


def _reject_empty(codes: NDArray[np.intp], labels: NDArray[Any], name: str) -> None:
    """Raise when the empty string (or empty bytes) is one of the distinct identifiers."""
    if labels.dtype.kind not in "USO" or not labels.shape[0]:
        return
    empty = [i for i, label in enumerate(labels.tolist()) if label in ("", b"")]  # k labels, not rows
    if empty:
        raise InvalidInputError(
            f"{name} must not contain empty strings (missing identifiers); got '' at index "
            f"{first_index(codes == empty[0])}"
        )


def active_pairs(
    customers: NDArray[np.intp], n_slots: int, offsets: NDArray[np.int64], width: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Distinct (customer, period) pairs, sorted by customer then period.

    ``offsets`` are the periods of the records counted from the first one, in
    ``0..width-1``. Where ``n_slots * width`` cells fit in a boolean array about eight
    times the number of records, the cells are marked by a scatter and read back in
    order (a bucket sort, no comparison sort); otherwise the cell keys are sorted once.
    """
    n = customers.shape[0]
    cells = n_slots * width
    if cells <= max(_DENSE_CELLS_PER_RECORD * n, _DENSE_MIN_CELLS):
        marks = np.zeros(cells, dtype=np.bool_)
        for start in range(0, n, _CHUNK_ROWS):  # chunks of records keep the key temporaries small
            cells_of_records = customers[start : start + _CHUNK_ROWS] * width
            cells_of_records += offsets[start : start + _CHUNK_ROWS]
            marks[cells_of_records] = True
        keys = np.flatnonzero(marks)  # sorted distinct cells (np.nonzero on 2-D is 3x slower)
        del marks
    else:
        keys = np.sort(customers.astype(np.int64) * width + offsets)
        if n:
            keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    rows = (keys // width).astype(np.intp, copy=False)
    for start in range(0, rows.shape[0], _CHUNK_ROWS):  # the period offset of each cell, in place
        keys[start : start + _CHUNK_ROWS] -= rows[start : start + _CHUNK_ROWS] * width
    return rows, keys.astype(np.intp, copy=False)


def customer_runs(rows: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """For pairs sorted by customer: index of each customer's first and last pair."""
    n = rows.shape[0]
    if n == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    change = np.flatnonzero(rows[1:] != rows[:-1]) + 1
    starts = np.concatenate(([0], change)).astype(np.intp)
    stops = np.concatenate((change - 1, [n - 1])).astype(np.intp)
    return starts, stops


def retained_pairs(rows: NDArray[np.intp], columns: NDArray[np.intp]) -> int:
    """Number of (customer, period) pairs followed by the same customer in the next period."""
    if rows.shape[0] < 2:
        return 0
    return int(np.count_nonzero((rows[1:] == rows[:-1]) & (columns[1:] == columns[:-1] + 1)))
