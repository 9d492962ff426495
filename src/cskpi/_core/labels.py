"""The vectorised group-by core used by every grouped metric.

``factorize`` turns ``by=`` (one label array, or a tuple of label arrays for several
keys) into integer codes ``0..n_groups-1`` once; grouped metrics then count with one
``np.bincount`` pass over ``code * width + value``. No Python loop runs over rows or
groups.

The engine that holds the labels does the hashing, called on the object the user
passed (pandas, polars and pyarrow are never imported for it):

============================================  ===========================================
labels                                        method
============================================  ===========================================
pandas Series or Index (any dtype)            ``factorize(sort=False)``; categorical:
                                              its codes and categories
polars Series                                 text: polars' categorical codes;
                                              others: ``to_arrow()``, then as pyarrow
pyarrow Array or ChunkedArray                 ``dictionary_encode()`` (chunks unified);
                                              dictionary arrays as they are
numpy ``str_``/``bytes_`` arrays, lists       a 64-bit hash of each row's characters and
                                              a hash table, checked exactly (one sort
                                              on a collision)
numpy object arrays of strings                ``pyarrow.array(..., type=dictionary)``
                                              block by block, the blocks' labels merged
                                              and sorted by pyarrow; without pyarrow
                                              (and for ``bytes`` labels), a Python
                                              ``dict`` (``hash()`` and ``==``)
integers and booleans with a compact range    a dense scatter, O(n + range)
anything else                                 one sort, ``np.unique``
============================================  ===========================================

Only the ``k`` distinct labels are then sorted, and the codes remapped with one gather,
so groups come out in label order whatever the order of the rows. In an object array,
``bytes`` mixed with ``str`` are read as their UTF-8 text (``b"a"`` and ``"a"`` are the
label ``"a"``), as numpy reads such a list; an array of ``bytes`` alone keeps bytes labels.
"""

from __future__ import annotations

import itertools
import sys
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .checks import arrays_equal, to_array
from .errors import InvalidInputError, InvalidTypeError
from .optional import optional_module
from .stats import order_statistic_ranks

__all__ = [
    "Groups",
    "KeepMissing",
    "combine_codes",
    "count_cells",
    "decode_combos",
    "encode_labels",
    "factorize",
    "keep_missing",
    "optional_groups",
]

# Rows handled per bincount call: the cell codes of a chunk (8 bytes a row) stay in a
# reused 2 MiB buffer instead of a copy of the whole column.
_CHUNK_ROWS = 1 << 18
# Rows per block of the hash-table look-ups and checks: their temporaries (8 bytes a
# row, a few arrays) stay within a core's L2 cache.
_CACHE_ROWS = 1 << 15

# Mixed-radix products of several keys' sizes stay below this bound (int64 with room).
_RADIX_LIMIT = 1 << 62

_MISSING = "(None, NaN or null)"


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
        Name of each key: the key's own name (a named pandas or polars Series), else
        the argument it came from (``"by"``, ``"by[0]"``…).
    """

    codes: NDArray[np.intp] = attrs.field(eq=attrs.cmp_using(eq=arrays_equal))
    labels: tuple[NDArray[Any], ...] = attrs.field(eq=attrs.cmp_using(eq=arrays_equal))
    names: tuple[str, ...]

    @property
    def n_groups(self) -> int:
        return int(self.labels[0].shape[0])


@attrs.frozen
class KeepMissing:
    """Labels whose missing entries form a group of their own (made by :func:`keep_missing`)."""

    values: Any
    label: Any = "(missing)"


def keep_missing(labels: Any, label: Any = "(missing)") -> KeepMissing:
    """Mark a ``by=`` key whose missing labels form one group of their own.

    By default a missing label (``None``, NaN, NaT, pandas ``NA``, a polars or pyarrow
    null) in ``by=`` raises, since a row without a group would otherwise be dropped or
    merged silently. Wrapping the key in ``keep_missing`` counts those rows in one more
    group, labelled ``label``, placed after every other group.

    Parameters
    ----------
    labels : array-like, shape (n,)
        The group label of each row (list, numpy array, pandas, polars or pyarrow).
    label : str or scalar, default "(missing)"
        Label of the group of missing rows. It must differ from every label present.

    Returns
    -------
    KeepMissing
        A marker accepted wherever ``by=`` (or one key of a ``by=`` tuple) is.

    Examples
    --------
    Two promoters of team a, one detractor without a team:

    >>> import cskpi
    >>> result = cskpi.nps([9, 10, 3], by=cskpi.keep_missing(["a", "a", None]))
    >>> result.keys()
    ['a', '(missing)']
    >>> result["(missing)"].score
    -100.0
    """
    if isinstance(labels, KeepMissing):
        labels = labels.values
    return KeepMissing(values=labels, label=label)


def _is_missing_scalar(value: Any) -> bool:
    """None, NaN, NaT, pandas NA (whose comparisons are neither True nor False)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pandas.NA: bool(NA != NA) raises
        return True
    except ValueError:  # an array inside an object array: not a label (np.unique reports it)
        return False


_missing_objects = np.frompyfunc(_is_missing_scalar, 1, 1)


def _missing_mask(values: NDArray[Any]) -> NDArray[np.bool_] | None:
    """Which of ``values`` are missing, or None when none can be (cheap on the k uniques)."""
    kind = values.dtype.kind
    if kind in "fc":
        mask: NDArray[np.bool_] = np.isnan(values)
    elif kind in "mM":
        mask = np.isnat(values)
    elif kind == "O" and values.shape[0]:
        mask = _missing_objects(values).astype(np.bool_)
    else:
        return None
    return mask if mask.any() else None


def _shown(value: Any) -> str:
    if isinstance(value, np.datetime64 | np.timedelta64):
        return "NaT"
    if isinstance(value, np.generic):
        value = value.item()
    if hasattr(value, "as_py"):  # a pyarrow scalar
        value = value.as_py()
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _value_at(key: Any, index: int) -> Any:
    if hasattr(key, "iloc"):
        return key.iloc[index]
    return key[index]


def _remap(
    table: NDArray[np.intp], codes: NDArray[np.integer[Any]], out: NDArray[np.intp] | None = None
) -> NDArray[np.intp]:
    """``table[codes]`` as intp, for codes in ``-1..len(table)-1`` (-1 reads the last entry).

    Taken in blocks of rows whose intp indices stay in the CPU cache, without bounds
    checks (``mode="wrap"``; every code is in range): about twice as fast as
    ``table[codes]`` on millions of rows.
    """
    result = np.empty(codes.shape[0], dtype=np.intp) if out is None else out
    for start in range(0, codes.shape[0], _CACHE_ROWS):
        stop = start + _CACHE_ROWS
        np.take(table, codes[start:stop].astype(np.intp, copy=False), out=result[start:stop], mode="wrap")
    return result


# --------------------------------------------------------------------------- engines
#
# Each returns ``(codes, uniques, unused)``: integer codes (any signed width, or unsigned
# when no row is missing) with -1 for a missing row,
# the distinct labels in any order (some of which may themselves be missing values, a
# NaN kept by pyarrow for example), and whether some uniques may occur in no row
# (the categories of a categorical).


_Raw = tuple[NDArray[np.integer[Any]], NDArray[Any], bool]


def _module_of(key: Any) -> str:
    return type(key).__module__.partition(".")[0]


def _from_pandas(key: Any) -> _Raw | None:
    if getattr(key, "ndim", 1) != 1 or not hasattr(key, "factorize"):
        return None  # a DataFrame: to_array reports it
    dtype = key.dtype
    if getattr(dtype, "name", "") == "category":
        categorical = key.cat if hasattr(key, "cat") else key
        codes = np.asarray(categorical.codes).astype(np.intp)
        return codes, _pandas_values(categorical.categories), True
    codes, uniques = key.factorize(sort=False, use_na_sentinel=True)
    return np.asarray(codes).astype(np.intp, copy=False), _pandas_values(uniques), False


def _pandas_values(uniques: Any) -> NDArray[Any]:
    """A pandas Index or array of distinct (non-missing) values as a numpy array."""
    numpy_dtype = getattr(uniques.dtype, "numpy_dtype", None)  # nullable Int64, boolean, Float64
    if numpy_dtype is not None:
        return np.asarray(uniques.to_numpy(dtype=numpy_dtype))
    return np.asarray(uniques.to_numpy() if hasattr(uniques, "to_numpy") else uniques)


def _from_arrow(key: Any) -> _Raw | None:
    """pyarrow Array or ChunkedArray: its dictionary encoding."""
    if not hasattr(key, "dictionary_encode") and not hasattr(key, "indices"):
        return None
    type_name = str(key.type)
    # Only a dictionary the user made may hold values that occur in no row.
    unused = type_name.startswith("dictionary")
    if not unused:
        if type_name in ("null",):
            return np.full(len(key), -1, dtype=np.intp), np.zeros(0, dtype=object), False
        key = key.dictionary_encode()
    if hasattr(key, "chunks"):  # ChunkedArray: one dictionary for all chunks, then one index array
        key = key.unify_dictionaries()
        chunks = key.chunks
        if not chunks:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=object), False
        dictionary = chunks[0].dictionary
        indices = [_arrow_indices(chunk) for chunk in chunks]
        codes = indices[0] if len(indices) == 1 else np.concatenate(indices)
    else:
        dictionary = key.dictionary
        codes = _arrow_indices(key)
    return codes, np.asarray(dictionary.to_numpy(zero_copy_only=False)), unused


def _arrow_indices(chunk: Any) -> NDArray[np.integer[Any]]:
    """The indices of a dictionary array as numpy integers (a view when it has no nulls), -1 for null."""
    indices = chunk.indices
    if indices.null_count:
        indices = indices.fill_null(-1) if str(indices.type).startswith("int") else None
        if indices is None:  # unsigned indices: widen first so -1 fits
            indices = chunk.indices.cast("int64").fill_null(-1)
    return np.asarray(indices.to_numpy(zero_copy_only=False))


def _from_polars(key: Any) -> _Raw | None:
    if type(key).__name__ != "Series":
        return None
    if type(key.dtype).__name__ in ("String", "Categorical", "Enum"):
        raw = _polars_categories(key)
        if raw is not None:
            return raw
    if optional_module("pyarrow") is None:
        return None
    return _from_arrow(key.to_arrow())


def _polars_categories(key: Any) -> _Raw | None:
    """Text labels of a polars Series through polars' own categorical encoding.

    A String column is cast to Categorical (polars hashes it on its own threads); its
    physical codes index the dtype's categories (``categories.to_series()``, or the
    Enum's category list). Codes may come from a mapping shared by the whole process,
    so the codes present are found by one ``bincount`` and renumbered in label order by
    one gather; when the codes are far sparser than the rows, None sends the column
    through pyarrow instead.
    """
    polars = sys.modules.get("polars")
    if polars is None:  # pragma: no cover - a polars Series implies polars is imported
        return None
    categorical = key.cast(polars.Categorical) if type(key.dtype).__name__ == "String" else key
    physical = categorical.to_physical()
    n = key.shape[0]
    highest = physical.max()
    if highest is None:  # empty, or every label missing
        return np.full(n, -1, dtype=np.intp), np.zeros(0, dtype=object), False
    top = int(highest) + 1
    categories = getattr(categorical.dtype, "categories", None)  # polars < 2 has none on Categorical
    if categories is None:
        return None
    names = categories.to_series() if hasattr(categories, "to_series") else categories
    if top > 4 * n + (1 << 20) or len(names) < top:
        return None
    if physical.null_count():
        physical = physical.fill_null(top)  # one past the largest code: a missing row
    raw = np.asarray(physical.to_numpy())
    present = np.flatnonzero(np.bincount(raw, minlength=top + 1)[:top])
    labels = np.asarray(names.gather(present).to_numpy(), dtype=object)
    order = np.argsort(labels, kind="stable")
    table = np.full(top + 1, -1, dtype=np.intp)
    table[present[order]] = np.arange(present.shape[0], dtype=np.intp)
    return _remap(table, raw), labels[order], False


def _from_engine(key: Any) -> _Raw | None:
    module = _module_of(key)
    if module == "pandas":
        return _from_pandas(key)
    if module == "polars":
        return _from_polars(key)
    if module == "pyarrow":
        return _from_arrow(key)
    return None


# --------------------------------------------------------------------------- numpy keys


def _from_numpy(key: NDArray[Any], name: str) -> _Raw:
    kind = key.dtype.kind
    if kind == "c":
        raise InvalidTypeError(f"{name} must hold sortable labels; got dtype {key.dtype}")
    n = key.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.intp), key[:0], False
    if kind in "biu":
        dense = _dense_integers(key)
        if dense is not None:
            return dense[0], dense[1], False
    if kind in "USO":
        text = _text_codes(key)
        if text is not None:
            return text
    if kind == "O":
        missing = _missing_objects(key).astype(np.bool_)
        if missing.any():
            codes = np.full(n, -1, dtype=np.intp)
            present, labels, _ = _from_numpy(key[~missing], name)
            codes[~missing] = present
            return codes, labels, False
    try:
        labels, codes = np.unique(key, return_inverse=True)
    except (TypeError, ValueError):  # ValueError: arrays inside an object array cannot be ordered
        raise InvalidTypeError(
            f"{name} must hold labels of one comparable type; got mixed values in dtype {key.dtype}"
        ) from None
    return codes.reshape(-1).astype(np.intp, copy=False), labels, False


def _dense_integers(key: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[Any]] | None:
    """Sorted codes of integer or boolean labels with a compact range, by one scatter."""
    n = key.shape[0]
    ints = key.view(np.uint8) if key.dtype.kind == "b" else key
    low = int(ints.min())
    high = int(ints.max())
    span = high - low + 1
    # Past ±2**62 the intp offsets and the arange labels below would wrap (int64 max as a
    # label came back as int64 min); np.unique handles such keys exactly.
    if span > 2 * n + 1024 or low < -(2**62) or high > 2**62:
        return None
    offset = ints.astype(np.intp, copy=False) - low if low else ints.astype(np.intp, copy=True)
    present = np.zeros(span, dtype=bool)
    present[offset] = True
    if present.all():  # every label in low..high occurs: the offsets are the codes
        return offset, np.arange(low, low + span).astype(key.dtype)
    lookup = np.cumsum(present, dtype=np.intp) - 1
    labels = (np.flatnonzero(present) + low).astype(key.dtype)
    return lookup[offset], labels


def _text_codes(key: NDArray[Any]) -> _Raw | None:
    """Text labels: fixed-width strings by hashing their characters, objects by pyarrow or hash().

    Returns None where the ``np.unique`` path must decide: a hash collision, object
    arrays that pyarrow cannot read as text, unhashable objects.
    """
    if key.dtype.kind in "US":  # numpy hashes fixed-width rows faster than pyarrow converts them
        hashed = _hash_codes(key)
        return None if hashed is None else (hashed[0], key[hashed[1]], False)
    pyarrow = optional_module("pyarrow")
    if pyarrow is not None:
        return _arrow_text(key, pyarrow)
    return _object_codes(key)


# Rows of an object array converted by one ``pyarrow.array`` call: small dictionary
# arrays are built without regrowing one large buffer, and their indices are remapped
# while they are still in the CPU cache.
_ARROW_BLOCK = 1 << 16


def _arrow_text(key: NDArray[Any], pyarrow: Any) -> _Raw | None:
    """An object array of ``str`` (None, NaN or NA for missing) through pyarrow.

    Each block of rows is converted straight into a dictionary array (pyarrow hashes
    each string while it copies it; missing values become nulls). The blocks'
    dictionaries, about ``k`` strings each, are merged into one by pyarrow and sorted
    (UTF-8 byte order is code-point order, Python's order of str); each block's indices
    then go through a table of ``k`` entries to their sorted codes, so the rows are
    remapped once. pyarrow reads a ``bytes`` value as its UTF-8 text: when the first
    label present is ``bytes`` (an array of bytes labels), and for objects pyarrow does
    not read as text, the exact ``dict`` path decides instead.
    """
    n = key.shape[0]
    text = pyarrow.dictionary(pyarrow.int32(), pyarrow.string())
    try:
        blocks = [
            pyarrow.array(key[start : start + _ARROW_BLOCK], type=text, from_pandas=True)
            for start in range(0, n, _ARROW_BLOCK)
        ]
    except (pyarrow.ArrowException, TypeError, ValueError):  # numbers, bytes not UTF-8, surrogates
        return _object_codes(key)
    if any(hasattr(block, "chunks") for block in blocks):  # pragma: no cover - over 2 GiB of text a block
        return _object_codes(key)
    merged = pyarrow.concat_arrays([block.dictionary for block in blocks]).dictionary_encode()
    compute: Any = optional_module("pyarrow.compute")
    order = np.asarray(compute.array_sort_indices(merged.dictionary).to_numpy())
    uniques = np.asarray(merged.dictionary.take(order).to_numpy(zero_copy_only=False))
    rank = np.empty(order.shape[0], dtype=np.intp)  # sorted position of each merged label
    rank[order] = np.arange(order.shape[0], dtype=np.intp)
    to_sorted = rank[np.asarray(merged.indices.to_numpy())]  # block dictionaries, one after another
    codes = np.empty(n, dtype=np.intp)
    entry = 0
    for start, block in zip(range(0, n, _ARROW_BLOCK), blocks, strict=True):
        size = len(block.dictionary)
        table = np.append(to_sorted[entry : entry + size], -1)  # index -1 (a null) reads the -1
        entry += size
        _remap(table, _arrow_indices(block), out=codes[start : start + len(block)])
    present = np.flatnonzero(codes[:_ARROW_BLOCK] >= 0)
    first = present[0] if present.shape[0] else np.argmax(codes >= 0)
    if uniques.shape[0] and not isinstance(key[first], str):
        return _object_codes(key)  # bytes labels stay bytes
    return codes, uniques, False


_is_text = np.frompyfunc(lambda value: isinstance(value, str | bytes), 1, 1)
_is_bytes = np.frompyfunc(lambda value: isinstance(value, bytes), 1, 1)
_utf8_text = np.frompyfunc(lambda value: value.decode() if isinstance(value, bytes) else value, 1, 1)


def _object_codes(key: NDArray[Any]) -> _Raw | None:
    """Objects numbered by a Python ``dict``: their ``hash()`` (cached by str objects) and ``==``.

    One C-level pass: ``dict.setdefault`` gives each row the number of the first row
    holding an equal object (the dict resolves hash collisions by ``==``), and these
    numbers are made dense by one gather. Missing values (None, NaN, NA) come out as
    labels of their own; the caller turns them into missing rows.
    """
    table: dict[Any, int] = {}
    try:
        first_rows = np.fromiter(
            map(table.setdefault, key, itertools.count()), dtype=np.intp, count=key.shape[0]
        )
    except (TypeError, ValueError):  # unhashable values, comparisons that give no plain True or False
        return None
    firsts = np.fromiter(table.values(), dtype=np.intp, count=len(table))
    uniques = key[firsts]
    missing = _missing_mask(uniques)
    present = uniques if missing is None else uniques[~missing]
    text = np.asarray(_is_text(present), dtype=bool)
    if text.any() and not text.all():
        return None  # text mixed with other values: np.unique refuses them with a clear error
    # Only the k first rows of the lookup are written: the other pages are never touched.
    lookup = np.empty(key.shape[0], dtype=np.intp)
    lookup[firsts] = np.arange(firsts.shape[0], dtype=np.intp)
    codes = _remap(lookup, first_rows)
    binary = np.asarray(_is_bytes(present), dtype=bool)
    if binary.any() and not binary.all():
        # str and bytes together: the bytes are read as UTF-8 text, as numpy reads such a
        # list and pyarrow such an array, so b"a" and "a" are one label "a".
        try:
            text_uniques = _utf8_text(uniques)
        except UnicodeDecodeError:
            return None  # np.unique refuses the mix with a clear error
        merged = _object_codes(text_uniques)
        if merged is None:  # pragma: no cover - the k values are text or missing
            return None
        return merged[0][codes], merged[1], False
    return codes, uniques, False


# Odd 64-bit multipliers of the text hash, one per word of a row (fixed: results never
# depend on them, only the speed would on an unlucky draw), and Fibonacci hashing's
# multiplier 2**64 / golden ratio for the table slots.
_HASH_WEIGHTS = np.random.default_rng(0x5EED).integers(0, 2**63, 1024, dtype=np.uint64) * np.uint64(
    2
) + np.uint64(1)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
# Rows whose distinct hashes seed the table before all rows are looked up.
_SEED_ROWS = 1 << 16


def _text_hash(words: NDArray[Any]) -> NDArray[np.uint64]:
    """64-bit hash of each row of ``words``: ``sum(word_j * weight_j) mod 2**64``.

    One integer matrix-vector product per chunk of rows (the chunk's words widened to
    uint64 in a small buffer). Distinct rows rarely share a hash; those that do are
    caught by the exact comparison in :func:`_hash_codes`.
    """
    n, width = words.shape
    weights = _HASH_WEIGHTS[:width] if width <= _HASH_WEIGHTS.shape[0] else np.resize(_HASH_WEIGHTS, width)
    hashed = np.empty(n, dtype=np.uint64)
    step = max(1, _CHUNK_ROWS // max(width, 1))
    for start in range(0, n, step):
        np.matmul(words[start : start + step].astype(np.uint64), weights, out=hashed[start : start + step])
    return hashed


def _slots(hashed: NDArray[np.uint64], bits: int) -> NDArray[np.intp]:
    return ((hashed * _GOLDEN) >> np.uint64(64 - bits)).astype(np.intp)


def _hash_table(distinct: NDArray[np.uint64]) -> tuple[NDArray[np.intp], int]:
    """Open-addressing table (linear probing, load at most 1/4) of the distinct hashes, vectorised."""
    bits = max(6, int(distinct.shape[0] * 4 - 1).bit_length())
    table = np.full(1 << bits, -1, dtype=np.intp)
    pending = np.arange(distinct.shape[0], dtype=np.intp)
    slot = _slots(distinct, bits)
    mask = (1 << bits) - 1
    while pending.shape[0]:
        free = table[slot] == -1
        table[slot[free]] = pending[free]  # several may race for one slot: one of them wins
        lost = table[slot] != pending
        pending, slot = pending[lost], (slot[lost] + 1) & mask
    return table, bits


def _look_up(
    hashed: NDArray[np.uint64], distinct: NDArray[np.uint64], table: NDArray[np.intp], bits: int
) -> NDArray[np.intp]:
    """Index in ``distinct`` of each hash, -1 where it is not there."""
    mask = (1 << bits) - 1
    slot = _slots(hashed, bits)
    codes = table[slot]
    # Go on probing where the slot holds another hash; an empty slot (-1) ends the search
    # (distinct[-1] is read for it, and discarded).
    rows = np.flatnonzero((distinct[codes] != hashed) & (codes >= 0))
    while rows.shape[0]:
        slot_rows = (slot[rows] + 1) & mask
        slot[rows] = slot_rows
        found = table[slot_rows]
        codes[rows] = found
        rows = rows[(distinct[found] != hashed[rows]) & (found >= 0)]
    return codes


def _hash_factorize(hashed: NDArray[np.uint64]) -> tuple[NDArray[np.intp], NDArray[np.uint64]]:
    """Codes of 64-bit keys (in no particular order) and the distinct keys, without a full sort.

    The distinct keys of the first rows seed a hash table; the keys of the rows not
    found there are added, then those rows are looked up again. Two passes over the
    rows whatever the number of distinct keys.
    """
    distinct = np.unique(hashed[:_SEED_ROWS])
    table, bits = _hash_table(distinct)
    codes = _look_up_in_blocks(hashed, distinct, table, bits)
    new_rows = np.flatnonzero(codes < 0)
    if new_rows.shape[0]:
        extra = np.unique(hashed[new_rows])
        distinct = np.concatenate([distinct, extra])
        table, bits = _hash_table(distinct)
        codes[new_rows] = _look_up_in_blocks(hashed[new_rows], distinct, table, bits)
    return codes, distinct


def _look_up_in_blocks(
    hashed: NDArray[np.uint64], distinct: NDArray[np.uint64], table: NDArray[np.intp], bits: int
) -> NDArray[np.intp]:
    """:func:`_look_up` over blocks of rows whose temporaries stay in the CPU cache (about 3x faster)."""
    codes = np.empty(hashed.shape[0], dtype=np.intp)
    for start in range(0, hashed.shape[0], _CACHE_ROWS):
        stop = start + _CACHE_ROWS
        codes[start:stop] = _look_up(hashed[start:stop], distinct, table, bits)
    return codes


def _hash_codes(key: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[np.intp]] | None:
    """Codes of fixed-width strings and the row of one occurrence of each; None on a collision.

    Each string is read as a row of 8-, 4- or 1-byte words (a view, no copy). A row of
    one word is its own exact key; longer rows are hashed to 64 bits. The distinct keys
    are found with a hash table (:func:`_hash_factorize`); then every row is compared
    with the representative row of its code, so two strings sharing a hash are detected
    and the caller falls back to ``np.unique``.
    """
    n = key.shape[0]
    itemsize = key.dtype.itemsize
    unit = np.uint64 if itemsize % 8 == 0 else np.uint32 if itemsize % 4 == 0 else np.uint8
    words = np.ascontiguousarray(key).view(unit).reshape(n, itemsize // np.dtype(unit).itemsize)
    hashed = words[:, 0].astype(np.uint64) if words.shape[1] == 1 else _text_hash(words)
    codes, distinct = _hash_factorize(hashed)
    representative = np.empty(distinct.shape[0], dtype=np.intp)
    representative[codes] = np.arange(n, dtype=np.intp)
    if words.shape[1] > 1:
        chosen = words[representative]
        # Small blocks: the gathered rows are compared while still in the cache.
        step = max(1, _CACHE_ROWS * 8 // (words.shape[1] * words.dtype.itemsize))
        buffer = np.empty((min(step, n), words.shape[1]), dtype=words.dtype)
        for start in range(0, n, step):
            block = codes[start : start + step]
            gathered = buffer[: block.shape[0]]
            np.take(chosen, block, axis=0, out=gathered)
            if not np.array_equal(gathered, words[start : start + step]):
                return None
    return codes, representative


# --------------------------------------------------------------------------- one key


def encode_labels(
    key: Any, name: str, n_rows: int | None = None, *, sort: bool = True, what: str = "labels"
) -> tuple[NDArray[np.intp], NDArray[Any]]:
    """Codes ``0..k-1`` of one key and its ``k`` distinct labels (sorted unless ``sort=False``).

    ``key`` may be wrapped in :func:`keep_missing`; otherwise a missing label raises
    ``<name> must not contain missing <what> (None, NaN or null); got <value> at index <i>``.
    ``n_rows`` (when given) is the length the key must have.
    """
    kept: KeepMissing | None = key if isinstance(key, KeepMissing) else None
    if kept is not None:
        key = kept.values
    raw = _from_engine(key)
    if raw is None:
        array = to_array(key, name)
        raw = _from_numpy(array, name)
        key = array
    codes, uniques, unused = raw
    if n_rows is not None and codes.shape[0] != n_rows:
        raise InvalidInputError(f"{name} must have one label per row ({n_rows}); got length {codes.shape[0]}")
    missing_uniques = _missing_mask(uniques)
    if missing_uniques is not None:  # e.g. NaN kept as a value: its rows are missing rows
        keep = ~missing_uniques
        remap = np.where(keep, np.cumsum(keep, dtype=np.intp) - 1, -1)
        codes = np.where(codes >= 0, remap[codes], -1)
        uniques = uniques[keep]
    k = uniques.shape[0]
    missing_rows = bool(codes.shape[0]) and int(codes.min()) < 0
    if missing_rows and kept is None:
        index = int(np.argmax(codes < 0))
        raise InvalidInputError(
            f"{name} must not contain missing {what} {_MISSING}; got {_shown(_value_at(key, index))} "
            f"at index {index}"
        )
    if unused and k:
        counts = np.bincount(codes[codes >= 0] if missing_rows else codes, minlength=k)
        if not counts.all():
            present = counts > 0
            remap = np.where(present, np.cumsum(present, dtype=np.intp) - 1, -1)
            codes = np.where(codes >= 0, remap[codes], -1)
            uniques, k = uniques[present], int(np.count_nonzero(present))
    if sort and k > 1:
        try:
            # Engines that sort their k labels themselves (pyarrow text, polars) need only
            # this check, in k comparisons; the others are sorted here.
            ordered = bool(np.all(uniques[1:] > uniques[:-1]))
            order = np.arange(k) if ordered else np.argsort(uniques, kind="stable")
        except TypeError:
            raise InvalidTypeError(
                f"{name} must hold labels of one comparable type; got mixed values in dtype {uniques.dtype}"
            ) from None
        if not ordered and np.any(order[1:] < order[:-1]):
            rank = np.empty(k + 1, dtype=np.intp)
            rank[order] = np.arange(k, dtype=np.intp)
            rank[k] = -1  # code -1 (a missing row) stays -1
            codes = _remap(rank, codes)  # the engines' narrow codes become intp in this one gather
            uniques = uniques[order]
    result: NDArray[np.intp] = codes.astype(np.intp, copy=False)
    if kept is not None and missing_rows:
        result = np.where(result < 0, k, result)
        uniques = _append_label(uniques, kept.label, name)
    return result, uniques


def _append_label(uniques: NDArray[Any], label: Any, name: str) -> NDArray[Any]:
    if label in uniques.tolist():  # k labels: a plain comparison of Python values
        raise InvalidInputError(
            f"{name} must not already contain the label of its missing group; got {label!r} "
            "among the labels (choose another keep_missing label)"
        )
    if uniques.dtype.kind in "US" and isinstance(label, str | bytes):
        return np.concatenate([uniques, np.array([label])])
    joined = np.empty(uniques.shape[0] + 1, dtype=object)
    joined[:-1] = uniques
    joined[-1] = label
    return joined


# --------------------------------------------------------------------------- several keys


def combine_codes(
    codes: tuple[NDArray[np.intp], ...], sizes: tuple[int, ...]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Factorise the rows of several code arrays into one code per distinct combination.

    Returns ``(codes, combos)``: ``codes`` numbers the distinct combinations
    ``0..n_groups-1`` in lexicographic order of the key codes, and ``combos`` (shape
    ``(n_groups, n_keys)``) holds the code of each key in each group. Keys are combined
    as mixed-radix numbers ``code_0 * size_1 + code_1 ...``; whenever the next product
    would pass ``2**62`` the combination so far is first re-coded densely (to at most
    ``n`` values), so any number of keys of any size combine without overflow.
    """
    combined = np.zeros(codes[0].shape[0], dtype=np.intp)
    span = 1
    for code, size in zip(codes, sizes, strict=True):
        if span * size > _RADIX_LIMIT:
            combined, distinct = _dense_codes(combined)
            span = distinct
        combined *= size
        combined += code
        span *= size
    result, _ = _dense_codes(combined)
    n_groups = int(result.max()) + 1 if result.shape[0] else 0
    first_row = np.empty(n_groups, dtype=np.intp)
    first_row[result] = np.arange(result.shape[0], dtype=np.intp)  # any row of each group will do
    combos = np.empty((n_groups, len(codes)), dtype=np.intp)
    for column, code in enumerate(codes):
        combos[:, column] = code[first_row]
    return result, combos


def _dense_codes(combined: NDArray[np.intp]) -> tuple[NDArray[np.intp], int]:
    """Codes ``0..k-1`` of non-negative integers, in increasing order of value, and ``k``."""
    if combined.shape[0] == 0:
        return combined, 0
    dense = _dense_integers(combined)
    if dense is None:
        distinct, inverse = np.unique(combined, return_inverse=True)
        return inverse.reshape(-1).astype(np.intp, copy=False), int(distinct.shape[0])
    return dense[0], int(dense[1].shape[0])


def decode_combos(combos: NDArray[np.intp], key_labels: tuple[NDArray[Any], ...]) -> tuple[NDArray[Any], ...]:
    """Labels of each key for the combinations made by :func:`combine_codes`."""
    return tuple(labels[combos[:, column]] for column, labels in enumerate(key_labels))


def optional_groups(by: Any, n_rows: int) -> Groups | None:
    """``factorize(by, n_rows)``, or None when ``by`` is None (an ungrouped call)."""
    return None if by is None else factorize(by, n_rows, name="by")


def factorize(by: Any, n_rows: int, *, name: str = "by", sort: bool = True) -> Groups:
    """Factorise ``by`` (one label array or a tuple of label arrays) for ``n_rows`` rows.

    Each key may be a list, a numpy array, a pandas Series or Index, a polars Series,
    a pyarrow Array or ChunkedArray, or any of these wrapped in :func:`keep_missing`.
    Groups are sorted by their labels (lexicographically over the keys) unless
    ``sort=False``, which numbers them in an unspecified order (identity only).
    """
    keys = by if isinstance(by, tuple) else (by,)
    if not keys:
        raise InvalidInputError(f"{name} must hold at least one label array; got an empty tuple")
    arguments = (name,) if len(keys) == 1 else tuple(f"{name}[{i}]" for i in range(len(keys)))
    factorized = [
        encode_labels(key, key_name, n_rows, sort=sort) for key_name, key in zip(arguments, keys, strict=True)
    ]
    names = key_names(keys, arguments)
    if len(factorized) == 1:
        codes, labels = factorized[0]
        return Groups(codes=codes, labels=(labels,), names=names)
    sizes = tuple(int(lab.shape[0]) for _, lab in factorized)
    codes, combos = combine_codes(tuple(c for c, _ in factorized), sizes)
    return Groups(codes=codes, labels=decode_combos(combos, tuple(lab for _, lab in factorized)), names=names)


def key_names(keys: tuple[Any, ...], arguments: tuple[str, ...]) -> tuple[str, ...]:
    """Column names of the keys: each key's own ``name`` (a named pandas or polars Series,
    a pyarrow field through :func:`keep_missing`), else the argument (``by``, ``by[0]``…).

    Falls back to the argument names for all keys when two keys would share a name.
    """
    own = []
    for key, argument in zip(keys, arguments, strict=True):
        inner = key.values if isinstance(key, KeepMissing) else key
        label = getattr(inner, "name", None)
        own.append(label if isinstance(label, str) and label and not callable(label) else argument)
    return tuple(own) if len(set(own)) == len(own) else arguments


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


def grouped_quantile_bounds(
    values: NDArray[np.float64],
    codes: NDArray[np.intp] | None,
    n_groups: int,
    fractions: NDArray[np.float64],
    confidence_level: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Distribution-free confidence bounds of each group's quantiles: two arrays (n_groups, k).

    The bounds are order statistics of the group at the ranks of
    :func:`.stats.order_statistic_ranks`, found by the same selection as
    :func:`grouped_quantiles`; -inf (+inf) where the sample is too small for a lower
    (upper) bound at this level, NaN for empty groups.
    """
    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    shape = (max(n_groups, 1) if codes is None else n_groups, fractions.shape[0])
    if flat.shape[0] == 0 or n_groups == 0:
        return np.full(shape, np.nan), np.full(shape, np.nan)
    first = _first_pass(flat, codes, n_groups)
    sizes = first.hist.sum(axis=1)
    lower, upper = order_statistic_ranks(sizes, fractions, confidence_level)
    empty = (sizes == 0)[:, None]
    no_lower, no_upper = lower < 0, upper >= sizes[:, None]
    low = _select(flat, codes, n_groups, np.where(no_lower | empty, -1, lower), first)
    high = _select(flat, codes, n_groups, np.where(no_upper | empty, -1, upper), first)
    low = np.where(no_lower & ~empty, -np.inf, low)
    high = np.where(no_upper & ~empty, np.inf, high)
    return low, high


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
