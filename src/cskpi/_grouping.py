"""The vectorised group-by core used by every grouped metric.

``factorize`` turns ``by=`` (one label array, or a tuple of label arrays for several
keys) into integer codes ``0..n_groups-1`` once; grouped metrics then count with one
``np.bincount`` pass over ``code * width + value``. No Python loop runs over rows or
groups: integer and boolean keys with a compact range are factorised by a dense
scatter (O(n + range)), every other key by one sort (``np.unique``).
"""

from __future__ import annotations

import sys
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from ._errors import InvalidInputError, InvalidTypeError
from ._validation import arrays_equal, first_index, to_array

__all__ = ["Groups", "combine_codes", "count_cells", "decode_combos", "factorize", "optional_groups"]

# Rows handled per bincount call: keeps the intp temporaries of a large int8 input
# (8 bytes a row) in a few megabytes instead of a copy of the whole column.
_CHUNK_ROWS = 1 << 20


@attrs.frozen
class Groups:
    """Integer group codes with the label of each group.

    Attributes
    ----------
    codes : ndarray of intp
        Group index of each row, in ``0..n_groups-1``.
    labels : tuple of ndarray
        One array per key, each of length ``n_groups``; group ``g`` has labels
        ``tuple(key[g] for key in labels)``. Groups are sorted by their labels.
    names : tuple of str
        Name of each key (``"by"``, ``"by[0]"``… unless named by the caller).
    """

    codes: NDArray[np.intp] = attrs.field(eq=attrs.cmp_using(eq=arrays_equal))
    labels: tuple[NDArray[Any], ...] = attrs.field(eq=attrs.cmp_using(eq=arrays_equal))
    names: tuple[str, ...]

    @property
    def n_groups(self) -> int:
        return int(self.labels[0].shape[0])


def _factorize_one(key: NDArray[Any], name: str) -> tuple[NDArray[np.intp], NDArray[Any]]:
    kind = key.dtype.kind
    if kind == "f" and np.isnan(key).any():
        raise InvalidInputError(
            f"{name} must not contain NaN labels; got nan at index {first_index(np.isnan(key))}"
        )
    if kind in "mM" and np.isnat(key).any():
        raise InvalidInputError(
            f"{name} must not contain NaT labels; got NaT at index {first_index(np.isnat(key))}"
        )
    if kind == "c":
        raise InvalidTypeError(f"{name} must hold sortable labels; got dtype {key.dtype}")
    n = key.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.intp), key[:0]
    if kind in "biu":
        ints = key.view(np.uint8) if kind == "b" else key
        low = int(ints.min())
        high = int(ints.max())
        span = high - low + 1
        # Past ±2**62 the intp offsets and the arange labels below would wrap (int64 max as a
        # label came back as int64 min); np.unique below handles such keys exactly.
        if span <= 2 * n + 1024 and low >= -(2**62) and high <= 2**62:
            offset = ints.astype(np.intp, copy=False) - low if low else ints.astype(np.intp, copy=True)
            present = np.bincount(offset, minlength=span) > 0
            if present.all():  # every label in low..high occurs: the offsets are the codes
                return offset, np.arange(low, low + span).astype(key.dtype)
            lookup = np.cumsum(present, dtype=np.intp) - 1
            labels = (np.flatnonzero(present) + low).astype(key.dtype)
            return lookup[offset], labels
    try:
        labels, codes = np.unique(key, return_inverse=True)
    except (TypeError, ValueError):  # ValueError: arrays inside an object array cannot be ordered
        raise InvalidTypeError(
            f"{name} must hold labels of one comparable type; got mixed values in dtype {key.dtype}"
        ) from None
    return codes.reshape(-1).astype(np.intp, copy=False), labels


def combine_codes(
    codes: tuple[NDArray[np.intp], ...], sizes: tuple[int, ...]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Factorise the rows of several code arrays into one code per distinct combination.

    Returns ``(codes, combos)`` where ``combos[g]`` is the mixed-radix number
    ``sum(code_k * stride_k)`` of group ``g`` (sorted ascending).
    """
    combined = np.zeros(codes[0].shape[0], dtype=np.intp)
    for code, size in zip(codes, sizes, strict=True):
        combined *= size
        combined += code
    return _factorize_one(combined, "by")


def decode_combos(combos: NDArray[np.intp], key_labels: tuple[NDArray[Any], ...]) -> tuple[NDArray[Any], ...]:
    """Labels of each key for the mixed-radix combination codes made by :func:`combine_codes`."""
    decoded = []
    remainder = combos
    for labels in reversed(key_labels):
        size = labels.shape[0]
        decoded.append(labels[remainder % size])
        remainder = remainder // size
    return tuple(reversed(decoded))


def optional_groups(by: Any, n_rows: int) -> Groups | None:
    """``factorize(by, n_rows)``, or None when ``by`` is None (an ungrouped call)."""
    return None if by is None else factorize(by, n_rows, name="by")


def factorize(by: Any, n_rows: int, *, name: str = "by") -> Groups:
    """Factorise ``by`` (one label array or a tuple of label arrays) for ``n_rows`` rows."""
    keys = by if isinstance(by, tuple) else (by,)
    if not keys:
        raise InvalidInputError(f"{name} must hold at least one label array; got an empty tuple")
    names = (name,) if len(keys) == 1 else tuple(f"{name}[{i}]" for i in range(len(keys)))
    factorized = []
    for key_name, key in zip(names, keys, strict=True):
        array = to_array(key, key_name)
        if array.shape[0] != n_rows:
            raise InvalidInputError(
                f"{key_name} must have one label per row ({n_rows}); got length {array.shape[0]}"
            )
        factorized.append(_factorize_one(array, key_name))
    if len(factorized) == 1:
        codes, labels = factorized[0]
        return Groups(codes=codes, labels=(labels,), names=names)
    sizes = tuple(int(lab.shape[0]) for _, lab in factorized)
    codes, combos = combine_codes(tuple(c for c, _ in factorized), sizes)
    return Groups(codes=codes, labels=decode_combos(combos, tuple(lab for _, lab in factorized)), names=names)


def count_cells(
    values: NDArray[np.integer[Any]],
    width: int,
    *,
    codes: NDArray[np.intp] | None = None,
    n_groups: int = 1,
    keep: NDArray[np.bool_] | None = None,
) -> NDArray[np.int64]:
    """Count rows per (group, value) cell in one pass.

    ``values`` must already lie in ``0..width-1``. Returns an int64 array of shape
    ``(n_groups, width)`` (``(width,)`` when ``codes`` is None). Rows where ``keep`` is
    False are not counted. Counts are exact int64 whatever the input dtype.
    """
    flat_values = values.reshape(-1)
    flat_codes = None if codes is None else codes.reshape(-1)
    flat_keep = None if keep is None else keep.reshape(-1)
    n_cells = width * (1 if codes is None else n_groups)
    total = np.zeros(n_cells, dtype=np.int64)
    for start in range(0, max(flat_values.shape[0], 1), _CHUNK_ROWS):
        stop = start + _CHUNK_ROWS
        cells = flat_values[start:stop].astype(np.intp)
        if flat_codes is not None:
            cells += flat_codes[start:stop] * width
        if flat_keep is not None:
            cells = cells[flat_keep[start:stop]]
        total += np.bincount(cells, minlength=n_cells)
    return total if codes is None else total.reshape(n_groups, width)


def sort_within_groups(
    values: NDArray[np.float64], codes: NDArray[np.intp] | None, n_groups: int
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Values sorted by (group, value) and the row offset where each group starts.

    Returns ``(sorted_values, starts)`` with ``starts`` of length ``n_groups + 1``:
    group ``g`` occupies ``sorted_values[starts[g]:starts[g + 1]]`` in ascending order.
    One sort in all, never one per group.
    """
    if codes is None:
        return np.sort(values), np.array([0, values.shape[0]], dtype=np.int64)
    order = np.lexsort((values, codes))
    sizes = np.bincount(codes, minlength=n_groups)
    starts = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    return values[order], starts


def quantile_positions(sizes: NDArray[np.int64], fractions: NDArray[np.float64]) -> NDArray[np.int64]:
    """0-based rank of the inverted-CDF quantile: ``ceil(q * n) - 1``, clipped to ``0..n-1``.

    The smallest value x with at least a fraction q of the values at or below x is the
    ``ceil(q n)``-th smallest (Hyndman and Fan 1996, definition 1; numpy's
    ``method='inverted_cdf'``). ``q * n`` is shrunk by one part in 10¹² before the
    ceiling so that products such as ``0.7 * 10 = 7.000000000000001`` give rank 7,
    not 8. Shape: ``sizes[:, None]`` against ``fractions[None, :]``.
    """
    products = sizes[:, None].astype(np.float64) * fractions[None, :]
    ranks = np.ceil(products * (1.0 - 1e-12)).astype(np.int64) - 1
    return np.clip(ranks, 0, np.maximum(sizes[:, None] - 1, 0))


_SIGN_BIT = np.uint64(1 << 63)
# Histogram cells per refinement pass (groups x digit values): 4 Mi int64 = 32 MiB.
_MAX_CELLS = 1 << 22
# Candidates left when the remaining ones are simply sorted.
_FINAL_CANDIDATES = 1 << 16


def _sortable_keys(values: NDArray[np.float64]) -> NDArray[np.uint64]:
    """Unsigned keys whose integer order is the order of the floats (IEEE 754 trick)."""
    bits = values.view(np.uint64)
    negative = bits >= _SIGN_BIT
    if not negative.any():
        return bits | _SIGN_BIT
    return np.where(negative, ~bits, bits | _SIGN_BIT)


def grouped_order_statistics(
    values: NDArray[np.float64],
    codes: NDArray[np.intp] | None,
    n_groups: int,
    ranks: NDArray[np.int64],
) -> NDArray[np.float64]:
    """The ``ranks[g, j]``-th smallest value (0-based) of each group ``g``, by radix selection.

    Exact, and no full sort: the values are mapped to order-preserving 64-bit keys
    and each group's wanted element is located digit by digit, one ``np.bincount``
    histogram over (group, digit) cells per pass, keeping only the rows whose digits
    so far match their group's target. The few rows left are then sorted. A negative
    rank (an empty group) gives NaN. ``values`` must be free of NaN.

    Returns an array of shape ``ranks.shape``.
    """
    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    out = np.full(ranks.shape, np.nan)
    if flat.shape[0] == 0 or n_groups == 0:
        return out
    group_of = np.zeros(flat.shape[0], dtype=np.intp) if codes is None else codes
    bits = int(np.clip(22 - int(np.ceil(np.log2(max(n_groups, 1)))), 4, 16))
    first_shift = 64 - bits
    # The top 16 bits of each float (a strided view, no copy). Without a sign bit set, the
    # raw bits already sort like the values, so the first digit needs no key array; the
    # keys of the few candidates left are made when the refinement passes need them.
    top = flat.view(np.uint16)[3::4] if sys.byteorder == "little" else flat.view(np.uint16)[0::4]
    keys: NDArray[np.uint64] | None = None
    if int(top.max()) < 0x8000:
        digits = (top >> np.uint16(16 - bits)).astype(np.intp)
    else:
        keys = _sortable_keys(flat)
        # Digits are below 2**16, so the shifted keys reinterpret as intp without a copy.
        digits = (keys >> np.uint64(first_shift)).view(np.intp)

    def keys_of(rows_: NDArray[np.intp]) -> NDArray[np.uint64]:
        return keys[rows_] if keys is not None else _sortable_keys(flat[rows_])

    hist, cumulative = _digit_histogram(digits, group_of, n_groups, bits)
    rows = np.arange(n_groups)
    for column in range(ranks.shape[1]):
        wanted = ranks[:, column].astype(np.int64)
        target = np.argmax(cumulative > wanted[:, None], axis=1)
        remaining = wanted - (cumulative[rows, target] - hist[rows, target])
        candidates = np.flatnonzero(digits == target[group_of])
        shift = first_shift
        while candidates.shape[0] > _FINAL_CANDIDATES and shift > 0:
            step = min(bits, shift)
            shift -= step
            part = ((keys_of(candidates) >> np.uint64(shift)) & np.uint64((1 << step) - 1)).view(np.intp)
            part_groups = group_of[candidates]
            sub_hist, sub_cumulative = _digit_histogram(part, part_groups, n_groups, step)
            sub_target = np.argmax(sub_cumulative > remaining[:, None], axis=1)
            remaining = remaining - (sub_cumulative[rows, sub_target] - sub_hist[rows, sub_target])
            candidates = candidates[part == sub_target[part_groups]]
        candidate_groups = group_of[candidates]
        candidates = candidates[np.lexsort((keys_of(candidates), candidate_groups))]
        starts = np.searchsorted(group_of[candidates], rows)
        valid = wanted >= 0
        out[valid, column] = flat[candidates[starts[valid] + remaining[valid]]]
    return out


def _digit_histogram(
    digits: NDArray[np.intp], group_of: NDArray[np.intp], n_groups: int, bits: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    width = 1 << bits
    cells = np.left_shift(group_of, bits)
    cells += digits
    hist = np.bincount(cells, minlength=n_groups * width).reshape(n_groups, width)
    return hist, np.cumsum(hist, axis=1)


def grouped_quantiles(
    values: NDArray[np.float64], codes: NDArray[np.intp] | None, n_groups: int, fractions: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Inverted-CDF quantiles of each group: values of shape (n_groups, len(fractions)), and sizes.

    NaN for empty groups. See :func:`quantile_positions` for the definition and
    :func:`grouped_order_statistics` for the method.
    """
    sizes = (
        np.array([values.shape[0]], dtype=np.int64)
        if codes is None
        else np.bincount(codes, minlength=n_groups).astype(np.int64)
    )
    ranks = quantile_positions(sizes, fractions)
    ranks[sizes == 0] = -1
    return grouped_order_statistics(values, codes, n_groups, ranks), sizes
