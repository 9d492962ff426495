"""The vectorised group-by core used by every grouped metric.

``factorize`` turns ``by=`` (one label array, or a tuple of label arrays for several
keys) into integer codes ``0..n_groups-1`` once; grouped metrics then count with one
``np.bincount`` pass over ``code * width + value``. No Python loop runs over rows or
groups: integer and boolean keys with a compact range are factorised by a dense
scatter (O(n + range)), every other key by one sort (``np.unique``).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .checks import arrays_equal, first_index, to_array
from .errors import InvalidInputError, InvalidTypeError

__all__ = ["Groups", "combine_codes", "count_cells", "decode_combos", "factorize", "optional_groups"]

# Rows handled per bincount call: the cell codes of a chunk (8 bytes a row) stay in a
# reused 2 MiB buffer instead of a copy of the whole column.
_CHUNK_ROWS = 1 << 18


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
            present = np.zeros(span, dtype=bool)
            present[offset] = True
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
    buffer = np.empty(min(flat_values.shape[0], _CHUNK_ROWS), dtype=np.intp)
    for start in range(0, flat_values.shape[0], _CHUNK_ROWS):
        stop = start + _CHUNK_ROWS
        part = flat_values[start:stop]
        cells = buffer[: part.shape[0]]
        if flat_codes is None:
            np.copyto(cells, part)
        else:
            np.multiply(flat_codes[start:stop], width, out=cells)
            cells += part
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


# Histogram cells of the first pass (groups x buckets): 256 Ki int64 = 2 MiB, cache-resident.
_CELLS = 1 << 18
# Rows per chunk of the first pass: its float and intp temporaries stay in the L3 cache.
_SELECT_CHUNK = 1 << 20
# Candidates left when the remaining ones are simply sorted.
_FINAL_CANDIDATES = 1 << 16


def _positions(
    values: NDArray[np.float64], low: Any, high: Any, buckets: int, out: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """``(values - low) / (high - low) * buckets``, non-decreasing in ``values``.

    Every step rounds monotonically, so rows keep their order across buckets, which is
    all the selection needs. For ``low <= values <= high`` the result lies in
    ``[0, buckets]``. ``low``/``high`` are floats or per-row arrays. Spans beyond the
    largest float are taken in halves, and a span too small for its reciprocal is
    divided by; a zero span gives 0 for finite values, and infinite values stay infinite.
    """
    if np.ndim(low) == 0 and np.ndim(high) == 0:
        span = float(high) - float(low)
        scale = buckets / span if span > 0 else 1.0
        if np.isfinite(span) and np.isfinite(scale):  # the usual case: two cheap passes
            result: NDArray[np.float64] = np.subtract(values, low, out=out)
            result *= scale
            return result
    # Both branches of each np.where are computed; the overflowing one is thrown away.
    with np.errstate(over="ignore"):
        span_all = np.subtract(high, low)
        overflow = ~np.isfinite(span_all)
        numerator: NDArray[np.float64] = np.where(
            overflow, np.multiply(values, 0.5) - np.multiply(low, 0.5), np.subtract(values, low)
        )
    denominator = np.where(overflow, np.multiply(high, 0.5) - np.multiply(low, 0.5), span_all)
    numerator /= np.where(denominator > 0, denominator, 1.0)
    numerator *= buckets
    if out is None:
        return numerator
    np.copyto(out, numerator)
    return out


@attrs.frozen
class _FirstPass:
    """Bucket histogram of every group over ``stride`` buckets: bucket 0 holds -inf,
    bucket ``stride - 1`` holds +inf, and the buckets between split the finite range."""

    cells: NDArray[np.intp]  # bucket cell of each row: group * stride + bucket
    hist: NDArray[np.int64]  # (n_groups, stride)
    stride: int


def _first_pass(flat: NDArray[np.float64], group_of: NDArray[np.intp] | None, n_groups: int) -> _FirstPass:
    n = flat.shape[0]
    stride = max(16, _CELLS // max(n_groups, 1))
    n_cells = n_groups * stride
    low = float(flat.min())
    high = float(flat.max())
    infinite = not (np.isfinite(low) and np.isfinite(high))
    if infinite:
        finite = np.isfinite(flat)
        low = float(np.min(flat, where=finite, initial=np.inf))
        high = float(np.max(flat, where=finite, initial=-np.inf))
        if low > high:  # no finite value at all
            low = high = 0.0
    # Finite x goes to bucket floor(1.5 + (x - low) / (high - low) * (stride - 3)) in 1..stride-2.
    cells = np.empty(n, dtype=np.intp)
    hist = np.zeros(n_cells, dtype=np.int64)
    scaled_buffer = np.empty(min(n, _SELECT_CHUNK))
    offset_buffer = np.empty(min(n, _SELECT_CHUNK), dtype=np.intp)
    for start in range(0, n, _SELECT_CHUNK):
        part = flat[start : start + _SELECT_CHUNK]
        scaled = scaled_buffer[: part.shape[0]]
        _positions(part, low, high, stride - 3, out=scaled)
        scaled += 1.5
        if infinite:  # -inf to bucket 0, +inf to the last bucket
            np.clip(scaled, 0.0, stride - 1.0, out=scaled)
        cell = cells[start : start + _SELECT_CHUNK]
        np.copyto(cell, scaled, casting="unsafe")
        if group_of is not None:
            offset = offset_buffer[: part.shape[0]]
            np.multiply(group_of[start : start + _SELECT_CHUNK], stride, out=offset)
            cell += offset
        hist += np.bincount(cell, minlength=n_cells)
    return _FirstPass(cells=cells, hist=hist.reshape(n_groups, stride), stride=stride)


def _locate(hist: NDArray[np.int64], wanted: NDArray[np.int64]) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """The bucket holding each group's ``wanted``-th value and its rank inside that bucket."""
    cumulative = np.cumsum(hist, axis=1)
    bucket = np.argmax(cumulative > wanted[:, None], axis=1)
    rows = np.arange(hist.shape[0])
    return bucket, wanted - (cumulative[rows, bucket] - hist[rows, bucket])


def _select(
    flat: NDArray[np.float64],
    group_of: NDArray[np.intp] | None,
    n_groups: int,
    ranks: NDArray[np.int64],
    first: _FirstPass,
) -> NDArray[np.float64]:
    out = np.full(ranks.shape, np.nan)
    stride = first.stride
    groups = np.arange(n_groups)
    for column in range(ranks.shape[1]):
        wanted = ranks[:, column].astype(np.int64)
        valid = wanted >= 0
        bucket, remaining = _locate(first.hist, np.where(valid, wanted, 0))
        # Ranks in the infinite buckets need no candidates.
        out[valid & (bucket == 0), column] = -np.inf
        out[valid & (bucket == stride - 1), column] = np.inf
        active = valid & (bucket > 0) & (bucket < stride - 1)
        is_target = np.zeros(n_groups * stride, dtype=bool)
        is_target[groups[active] * stride + bucket[active]] = True
        rows = np.flatnonzero(is_target[first.cells])
        values = flat[rows]
        value_groups = np.zeros(rows.shape[0], dtype=np.intp) if group_of is None else group_of[rows]
        out[:, column] = _refine(values, value_groups, remaining, active, out[:, column])
    return out


def _refine(
    values: NDArray[np.float64],
    value_groups: NDArray[np.intp],
    remaining: NDArray[np.int64],
    active: NDArray[np.bool_],
    out: NDArray[np.float64],
) -> NDArray[np.float64]:
    """The ``remaining[g]``-th smallest of each active group's candidate ``values``.

    Narrows the candidates bucket by bucket over each group's own range while that
    halves them at least; groups whose candidates are all equal are answered at once;
    what is left is sorted once.
    """
    out = out.copy()
    n_groups = remaining.shape[0]
    width = 256
    while values.shape[0] > _FINAL_CANDIDATES:
        low = np.full(n_groups, np.inf)
        high = np.full(n_groups, -np.inf)
        np.minimum.at(low, value_groups, values)
        np.maximum.at(high, value_groups, values)
        tied = active & (low == high)
        out[tied] = low[tied]
        active = active & ~tied
        position = _positions(values, low[value_groups], high[value_groups], width)
        bucket = np.minimum(position, width - 1).astype(np.intp)
        hist = np.bincount(value_groups * width + bucket, minlength=n_groups * width).reshape(n_groups, width)
        target, remaining = _locate(hist, remaining)
        keep = active[value_groups] & (bucket == target[value_groups])
        kept = int(np.count_nonzero(keep))
        values, value_groups = values[keep], value_groups[keep]
        if 2 * kept > keep.shape[0]:  # a skewed range: sorting what is left is cheaper
            break
    order = np.lexsort((values, value_groups))
    ordered_groups = value_groups[order]
    starts = np.searchsorted(ordered_groups, np.arange(n_groups))
    picked = np.flatnonzero(active)
    out[picked] = values[order][starts[picked] + remaining[picked]]
    return out


def grouped_order_statistics(
    values: NDArray[np.float64],
    codes: NDArray[np.intp] | None,
    n_groups: int,
    ranks: NDArray[np.int64],
) -> NDArray[np.float64]:
    """The ``ranks[g, j]``-th smallest value (0-based) of each group ``g``, by bucket selection.

    Exact, and no full sort. One chunked pass puts every row in one of a few hundred
    buckets splitting the finite range evenly (a histogram of (group, bucket) cells
    that stays in cache); each group's wanted value lies in a known bucket, so only
    the rows of those buckets are kept. These candidates are narrowed the same way
    over each group's own range, then the few left are sorted. A negative rank (an
    empty group) gives NaN. ``values`` must be free of NaN.

    Returns an array of shape ``ranks.shape``.
    """
    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    if flat.shape[0] == 0 or n_groups == 0:
        return np.full(ranks.shape, np.nan)
    return _select(flat, codes, n_groups, ranks, _first_pass(flat, codes, n_groups))


def grouped_quantiles(
    values: NDArray[np.float64], codes: NDArray[np.intp] | None, n_groups: int, fractions: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Inverted-CDF quantiles of each group: values of shape (n_groups, len(fractions)), and sizes.

    NaN for empty groups. See :func:`quantile_positions` for the definition and
    :func:`grouped_order_statistics` for the method.
    """
    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    if flat.shape[0] == 0 or n_groups == 0:
        sizes = np.zeros(max(n_groups, 1) if codes is None else n_groups, dtype=np.int64)
        return np.full((sizes.shape[0], fractions.shape[0]), np.nan), sizes
    first = _first_pass(flat, codes, n_groups)
    sizes = first.hist.sum(axis=1)
    ranks = quantile_positions(sizes, fractions)
    ranks[sizes == 0] = -1
    return _select(flat, codes, n_groups, ranks, first), sizes


def count_true(mask: NDArray[np.bool_], groups: Groups | None) -> Any:
    """Number of True rows, per group when ``groups`` is given (exact int64)."""
    if groups is None:
        return int(np.count_nonzero(mask))
    return np.bincount(groups.codes[mask], minlength=groups.n_groups).astype(np.int64)


def sum_by_group(
    values: NDArray[np.float64], groups: Groups | None, keep: NDArray[np.bool_] | None = None
) -> Any:
    """Sum of ``values`` (over the rows where ``keep``), per group when ``groups`` is given."""
    if groups is None:
        return float(values.sum() if keep is None else values[keep].sum())
    codes = groups.codes if keep is None else groups.codes[keep]
    kept = values if keep is None else values[keep]
    return np.bincount(codes, weights=kept, minlength=groups.n_groups).astype(np.float64)
