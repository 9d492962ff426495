"""Customer identifiers: one index per distinct customer, and (customer, period) pairs."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .checks import describe_first, first_index, to_array
from .errors import InvalidInputError, InvalidTypeError
from .labels import factorize

# Records handled per step where a temporary per record would otherwise be allocated.
_CHUNK_ROWS = 1 << 20


# The (customer, period) cells are marked in a boolean array when it holds at most this
# many cells per record (or at most _DENSE_MIN_CELLS in all); otherwise the keys are sorted.
_DENSE_CELLS_PER_RECORD = 8


_DENSE_MIN_CELLS = 1 << 20


def customer_index(customer_ids: Any, name: str = "customer_ids") -> tuple[NDArray[np.intp], int]:
    """Index of each record's customer in ``0..n_slots-1`` (two records, one customer: one index).

    Integer identifiers with a compact range (at most about twice the number of
    records) are used directly, shifted to start at 0, so some slots may have no
    customer. Strings (and object arrays holding only strings) are factorised by
    hashing (:func:`_factorize_text`); other identifiers (floats, sparse integers,
    mixed objects) by ``np.unique`` through :func:`cskpi._core.labels.factorize`. NaN,
    ``None`` and empty-string identifiers raise: they are missing identifiers, and
    counting them as one customer would merge different people.
    """
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
                f"{name} must not contain NaN (missing identifiers); got nan at index {first_index(missing)}"
            )
        if n and np.all(np.isfinite(ids)) and np.all(ids == np.floor(ids)) and np.abs(ids).max() < 2.0**53:
            ids = ids.astype(np.int64)
            kind = "i"
    elif kind == "O":
        with np.errstate(invalid="ignore"):
            missing = np.asarray(ids == None) | np.asarray(ids != ids)  # noqa: E711 (elementwise)
        if missing.any():
            raise InvalidInputError(
                f"{name} must not contain missing identifiers (None or NaN); got "
                f"{describe_first(ids, missing)}"
            )
    if kind in "USO":
        empty = np.asarray(ids == ids.dtype.type() if kind != "O" else ids == "")
        if empty.any():
            raise InvalidInputError(
                f"{name} must not contain empty strings (missing identifiers); got '' at index "
                f"{first_index(empty)}"
            )
    if n and kind in "iu":
        low, high = int(ids.min()), int(ids.max())
        span = high - low + 1
        if span <= 2 * n + 1024 and high <= np.iinfo(np.intp).max:
            if low == 0:  # may be the input itself: callers never write to it
                return ids.astype(np.intp, copy=False), span
            shifted = ids.astype(np.intp)
            shifted -= low
            return shifted, span
    if n and kind == "O":
        is_text = np.frompyfunc(lambda value: isinstance(value, str), 1, 1)(ids).astype(np.bool_)
        if is_text.all():  # all strings: the fast text path; mixed types go to factorize (and raise)
            ids, kind = ids.astype(np.str_), "U"
    if n and kind in "US":
        hashed = _factorize_text(ids)
        if hashed is not None:
            return hashed
    groups = factorize(ids, n, name=name)
    return groups.codes, groups.n_groups


def _text_hash(codes: NDArray[Any]) -> NDArray[np.uint64]:
    """64-bit FNV-1a hash of each row of character codes (a loop over columns, not rows)."""
    hashed = np.full(codes.shape[0], 0xCBF29CE484222325, dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    for column in range(codes.shape[1]):
        hashed ^= codes[:, column]
        hashed *= prime  # wraps modulo 2**64, as FNV intends
    return hashed


def _factorize_text(ids: NDArray[Any]) -> tuple[NDArray[np.intp], int] | None:
    """Codes of string identifiers by hashing and sorting the hashes; None on a hash collision.

    Sorting fixed-width strings (``np.unique``) compares them character by character;
    sorting their 64-bit hashes is several times faster. Equal strings have equal
    hashes, so after the sort every customer's records are adjacent; two different
    strings with the same hash would end up in one run, so every run is checked for
    a change of string, and on any collision the caller falls back to ``np.unique``.
    Codes are in hash order, not alphabetical order (callers only need identity).
    """
    n = ids.shape[0]
    unit = np.uint8 if ids.dtype.kind == "S" else np.uint32
    # The characters of each identifier as one row of integers (a view, no copy).
    chars = np.ascontiguousarray(ids).view(unit).reshape(n, ids.dtype.itemsize // np.dtype(unit).itemsize)
    hashed = _text_hash(chars)
    order = np.argsort(hashed)
    hashed = hashed[order]
    new_run = hashed[1:] != hashed[:-1]
    ordered = chars[order]  # gathering rows of integers is far faster than gathering strings
    if np.any(~new_run & np.any(ordered[1:] != ordered[:-1], axis=1)):
        return None
    codes = np.empty(n, dtype=np.intp)
    codes[order] = np.concatenate(([0], np.cumsum(new_run, dtype=np.intp)))
    return codes, int(codes.max()) + 1 if n else 0


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
