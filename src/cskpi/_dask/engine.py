"""One mechanism for every mergeable metric on Dask: align, run per partition, merge in a tree.

The alignment rule. The Dask collections among a call's arguments must hold the same
rows in the same order, and that is decided *before* anything is computed:

* Dask Series (and a Dask DataFrame for a table argument) must be columns of one
  Dask DataFrame after the same row operations (the same filters): their expressions
  share their input and every operation that changes rows. They are then joined
  into one frame of internal columns, read and partitioned once; each partition of
  that frame is handed whole to the in-memory metric. Columns are never paired by
  position across separately computed collections: Dask may split a Parquet data set
  into partitions differently for different column sets.
* Dask arrays must have the same length; their chunks are aligned by rechunking to
  the first array's (known) chunks.

Anything else raises :class:`~cskpi.InvalidInputError` naming the two arguments.

Errors raised by the metric on a worker are re-raised with the partition's number
and, for a Parquet data set, its file (and the row inside the file, when the
partition's index is the reader's row number).
"""

from __future__ import annotations

import functools
import inspect
import operator
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np

from .._core.errors import InvalidInputError, InvalidTypeError
from .._core.optional import require

__all__ = [
    "SPLIT_EVERY",
    "WARNINGS_LOCK",
    "Layout",
    "Slot",
    "check_compute",
    "check_split_every",
    "gather",
    "merge",
    "parquet_files",
    "partial_results",
    "run",
    "tree",
]

#: Partial results merged by one task of the reduction tree.
SPLIT_EVERY = 8

#: Whether the figures of one ``dask.compute`` read the files through the graph as built
#: (every column, read once and shared by the figures) rather than through each
#: figure's optimized graph (its own columns only, files fused into fewer partitions).
#: Measured slower (benchmarks/bench_dask.py: 1.97x against 1.49x Dask's groupby on
#: 5 M rows), so off; kept for that comparison.
SHARED_READS = False

#: Held while a partition's code changes the warning filters (``catch_warnings`` is not
#: thread-safe, and a threaded scheduler runs partitions of one process at once).
WARNINGS_LOCK = threading.Lock()


def dask_module(module: str) -> Any:
    """Import an optional dependency, or raise an ImportError saying how to install it."""
    return require(module, "cskpi.dask", "dask")


def is_collection(value: Any) -> bool:
    return bool(dask_module("dask").is_dask_collection(value))


@attrs.frozen
class Slot:
    """Stands for one Dask collection among the arguments until a partition replaces it."""

    key: int


@attrs.frozen
class Column:
    """How a slot is read from a partition of the joined table."""

    internal: tuple[str, ...]
    original: Any  # the Series name, or the DataFrame's column labels
    table: bool  # a DataFrame argument (one column per aspect)


@attrs.frozen(kw_only=True)
class Layout:
    """The aligned data of one call: a joined Dask DataFrame, or aligned Dask arrays."""

    kind: str  # 'frame' or 'array'
    table: Any = None
    columns: Mapping[int, Column] = attrs.field(factory=dict)
    arrays: tuple[Any, ...] = ()
    names: Mapping[int, str] = attrs.field(factory=dict)
    metas: Mapping[int, Any] = attrs.field(factory=dict)
    sources: Mapping[str, Any] = attrs.field(factory=dict)  # internal column -> its Dask Series

    def column(self, key: int) -> str:
        """Internal name of a one-column slot of the table (the customer column for a shuffle)."""
        return self.columns[key].internal[0]


# --------------------------------------------------------------------------- alignment


def _row_lineage(collection: Any) -> frozenset[str] | None:
    """Names of the expressions that set a collection's rows (its input, filters…); None if unknown."""
    try:
        from dask.dataframe.dask_expr._expr import Elemwise
    except ImportError:  # pragma: no cover - a Dask without expressions
        return None
    expr = getattr(collection, "expr", None)
    if expr is None:
        return None
    return frozenset(e._name for e in expr.walk() if not isinstance(e, Elemwise))


def _co_aligned(*collections: Any) -> bool:
    try:
        from dask.dataframe.dask_expr._expr import are_co_aligned
    except ImportError:  # pragma: no cover
        return True
    return bool(are_co_aligned(*(c.expr for c in collections)))  # type: ignore[no-untyped-call]


def _not_aligned(name: str, reference: str) -> InvalidInputError:
    return InvalidInputError(
        f"{name} must be a column of the same Dask DataFrame as {reference}, after the same filters "
        "(columns of one frame are read and partitioned together; collections built from different "
        "frames or different filters cannot be paired row by row); got a collection with other rows. "
        f"Take both from one frame: rows = frame[mask]; then pass rows[...] for {reference} and {name}"
    )


def _known(chunks: tuple[float, ...]) -> bool:
    return not any(np.isnan(c) for c in chunks)


def _kind(name: str, value: Any, ndim: tuple[int, ...]) -> str:
    """'array' or 'frame'; raises for other collections and wrong dimensions."""
    da = dask_module("dask.array")
    dd = dask_module("dask.dataframe")
    if isinstance(value, da.Array):
        if value.ndim not in ndim:
            wanted = " or ".join(f"{d}-D" for d in ndim)
            raise InvalidInputError(f"{name} must be {wanted}; got a Dask array of shape {value.shape}")
        return "array"
    if isinstance(value, dd.Series):
        return "frame"
    if isinstance(value, dd.DataFrame):
        if 2 not in ndim:
            raise InvalidInputError(f"{name} must be 1-D (a Dask Series); got a Dask DataFrame")
        return "frame"
    if isinstance(value, dd.Index):
        raise InvalidTypeError(
            f"{name} must be a Dask Series (a column); got a Dask Index (use frame.index.to_series())"
        )
    raise InvalidTypeError(
        f"{name} must be a Dask array or a Dask Series; got {type(value).__name__}"
        + ("" if is_collection(value) else " (use the in-memory cskpi function for in-memory data)")
    )


def _aligned_array(reference: tuple[str, Any], other: tuple[str, Any]) -> Any:
    (ref_name, ref), (name, value) = reference, other
    ref_chunks, chunks = ref.chunks[0], value.chunks[0]
    if not (_known(ref_chunks) and _known(chunks)):
        raise InvalidInputError(
            f"{name} and {ref_name} must be Dask arrays with known chunk sizes to be paired row by row; "
            "got unknown chunks (call compute_chunk_sizes(), or pass columns of one Dask DataFrame)"
        )
    if value.shape[0] != ref.shape[0]:
        raise InvalidInputError(
            f"{name} must have the same length as {ref_name} ({ref.shape[0]}); got length {value.shape[0]}"
        )
    if chunks != ref_chunks:
        value = value.rechunk({0: ref_chunks})
    if value.ndim == 2 and value.numblocks[1] != 1:
        value = value.rechunk({1: -1})
    return value


def _meta(value: Any) -> Any:
    """The empty in-memory object (numpy array or pandas object) standing for a collection."""
    if isinstance(value, dask_module("dask.array").Array):
        return np.empty((0, *value.shape[1:]), dtype=value.dtype)
    return value._meta


def substitute(value: Any, table: Mapping[int, Any]) -> Any:
    """Replace slots (also inside a tuple such as ``by``) by their entry in ``table``."""
    if isinstance(value, tuple):
        return tuple(substitute(item, table) for item in value)
    if isinstance(value, Slot):
        return table[value.key]
    return value


def gather(
    bound: inspect.BoundArguments, required: tuple[str, ...] = (), ndim: Mapping[str, tuple[int, ...]] = {}
) -> Layout:
    """Check and align the Dask collections among ``bound``'s arguments, replacing each by a :class:`Slot`.

    Raises before anything is computed when a required argument is not a Dask
    collection, when kinds are mixed, or when the collections cannot be aligned.
    """
    found: list[tuple[str, Any]] = []

    def collect(name: str, value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(collect(f"{name}[{i}]", item) for i, item in enumerate(value))
        if value is not None and is_collection(value):
            found.append((name, value))
            return Slot(len(found) - 1)
        return value

    for name, value in list(bound.arguments.items()):
        if required and name == required[0] and value is None:
            raise InvalidTypeError(f"{name} must be a Dask array or a Dask Series; got None")
        if name in required and value is not None:
            for i, item in enumerate(value if isinstance(value, tuple) else (value,)):
                if not is_collection(item):
                    where = f"{name}[{i}]" if isinstance(value, tuple) else name
                    raise InvalidTypeError(
                        f"{where} must be a Dask array or a Dask Series; got {type(item).__name__} "
                        "(use the in-memory cskpi function for in-memory data)"
                    )
        bound.arguments[name] = collect(name, value)
    if not found:
        raise InvalidTypeError("at least one argument must be a Dask array or a Dask Series; got none")
    kinds = [_kind(name, value, ndim.get(name.split("[")[0], (1,))) for name, value in found]
    names = {key: name for key, (name, _) in enumerate(found)}
    metas = {key: _meta(value) for key, (_, value) in enumerate(found)}
    for (name, value), kind in zip(found[1:], kinds[1:], strict=True):
        if kind != kinds[0]:
            wanted = "Dask arrays" if kinds[0] == "array" else "Dask Series"
            raise InvalidTypeError(
                f"{name} must be of the same kind as {found[0][0]} ({wanted}); got {type(value).__name__}"
            )
    if kinds[0] == "array":
        first = found[0][1]
        if first.ndim == 2 and first.numblocks[1] != 1:
            first = first.rechunk({1: -1})
        arrays = [first] + [_aligned_array((found[0][0], first), item) for item in found[1:]]
        return Layout(kind="array", arrays=tuple(arrays), names=names, metas=metas)
    lineage = _row_lineage(found[0][1])
    for name, value in found[1:]:
        if _row_lineage(value) != lineage or not _co_aligned(found[0][1], value):
            raise _not_aligned(name, found[0][0])
    columns: dict[int, Column] = {}
    assigned: dict[str, Any] = {}
    for key, (_, value) in enumerate(found):
        if isinstance(value, dask_module("dask.dataframe").DataFrame):
            internal = tuple(f"_c{key}_{j}" for j in range(len(value.columns)))
            columns[key] = Column(internal, tuple(value.columns), True)
            assigned.update({col: value[label] for col, label in zip(internal, value.columns, strict=True)})
        else:
            columns[key] = Column((f"_c{key}",), value.name, False)
            assigned[f"_c{key}"] = value
    first_name, first = next(iter(assigned.items()))
    table = first.to_frame(name=first_name)
    rest = dict(list(assigned.items())[1:])
    if rest:
        table = table.assign(**rest)
    return Layout(kind="frame", table=table, columns=columns, names=names, metas=metas, sources=assigned)


def _as_table(layout: Layout) -> Layout:
    """Aligned 1-D Dask arrays as the columns of one Dask DataFrame (to shuffle their rows together)."""
    dd = dask_module("dask.dataframe")
    columns: dict[int, Column] = {}
    frames = []
    for key, array in enumerate(layout.arrays):
        if array.ndim != 1:
            shape = array.shape
            raise InvalidInputError(f"{layout.names[key]} must be 1-D; got a Dask array of shape {shape}")
        if array.dtype.kind in "mM" and np.datetime_data(array.dtype)[0] not in ("s", "ms", "us", "ns"):
            array = array.astype(f"{array.dtype.kind}8[s]")  # the units pandas holds
        frames.append(dd.from_dask_array(array, columns=f"_c{key}"))
        columns[key] = Column((f"_c{key}",), None, False)
    table = dd.concat(frames, axis=1) if len(frames) > 1 else frames[0].to_frame()
    return attrs.evolve(layout, kind="frame", table=table, columns=columns, arrays=())


def on_metadata(function: Callable[..., Any], bound: inspect.BoundArguments, layout: Layout) -> Any:
    """``function`` bound to the empty metadata of every collection (call it for the empty result)."""
    args = tuple(substitute(value, layout.metas) for value in bound.args)
    kwargs = {name: substitute(value, layout.metas) for name, value in bound.kwargs.items()}
    return functools.partial(function, *args, **kwargs)


# --------------------------------------------------------------------------- where a partition comes from


def parquet_files(table: Any, optimized: bool = True) -> list[tuple[str, ...]] | None:
    """The Parquet files of each partition of ``table`` when it reads them row-wise; None otherwise.

    ``optimized``: the partitions are those of the optimized graph (files may be fused
    into one partition), or of the graph as built (one file a partition).
    """
    try:
        from dask.dataframe.dask_expr._expr import Blockwise
        from dask.dataframe.dask_expr.io.io import FusedIO

        expression = table.optimize(fuse=False).expr if optimized else table.expr
        readers: dict[str, tuple[Any, Any]] = {}
        for node in expression.walk():
            if isinstance(node, FusedIO):
                readers[node._name] = (node, node.operand("_expr"))  # type: ignore[no-untyped-call]
            elif type(node).__name__.startswith("ReadParquet"):
                readers[node._name] = (None, node)
            elif not isinstance(node, Blockwise):
                return None  # rows move between partitions (a shuffle, a repartition)
        if len(readers) != 1:
            return None
        ((fused, reader),) = readers.values()
        paths = _reader_paths(reader)
        if paths is None:
            return None
        buckets = fused._fusion_buckets if fused is not None else [[i] for i in range(len(paths))]
        files = [tuple(paths[i] for i in bucket) for bucket in buckets]
        n_partitions = table.optimize().npartitions if optimized else table.npartitions
        return files if len(files) == n_partitions else None
    except Exception:  # pragma: no cover - best effort only: the message then names the partition
        return None


def _reader_paths(reader: Any) -> list[str] | None:
    """One file per partition of a Parquet reader expression, when each partition is one file."""
    try:
        parts = reader._plan["parts"]
        paths = []
        for part in parts:
            piece = part["piece"] if isinstance(part, dict) else part
            path = piece[0] if isinstance(piece, tuple | list) else getattr(piece, "path", None)
            if not isinstance(path, str):
                return None
            paths.append(path)
        return paths if len(paths) == reader.npartitions else None
    except Exception:
        return None


_AT_INDEX = re.compile(r"at index (\d+)")


def _located(message: str, index: int, part: Any, files: tuple[str, ...] | None) -> str:
    """``message`` prefixed with the partition (and file), its row position made file-relative."""
    where = f"partition {index}"
    if files:
        shown = [path.rsplit("/", 1)[-1] for path in files]
        where += f" (file {shown[0]})" if len(shown) == 1 else f" (one of the files {', '.join(shown)})"
    found = _AT_INDEX.search(message)
    if found is not None and files and hasattr(part, "index"):
        position = int(found.group(1))
        labels = part.index
        if position < len(labels) and np.issubdtype(labels.dtype, np.integer):
            row = int(labels[position])
            file_word = "the file" if len(files) == 1 else "its file"
            message = message.replace(
                found.group(0), f"at index {position} of the partition (row {row} of {file_word})", 1
            )
    return f"{where}: {message}"


def _reraise(exc: Exception, message: str) -> Exception:
    """An exception of ``exc``'s class with ``message`` (the class itself when it takes one argument)."""
    try:
        located = type(exc)(message)
    except Exception:  # pragma: no cover - an exception class with another signature
        return InvalidInputError(message)
    return located


# --------------------------------------------------------------------------- per partition


def call_partition(
    function: Callable[..., Any],
    index: int,
    data: Any,
    columns: Mapping[int, Column],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    files: tuple[str, ...] | None,
) -> Any:
    """``function`` on one partition; None when it holds no row. Errors name the partition and file."""
    if columns:  # a partition of the joined table
        values: dict[int, Any] = {}
        for key, column in columns.items():
            if column.table:
                values[key] = data[list(column.internal)].set_axis(list(column.original), axis=1)
            else:
                values[key] = data[column.internal[0]].rename(column.original)
        n_rows = len(data)
    else:  # one block of each Dask array
        values = dict(enumerate(data))
        n_rows = len(data[0])
    if n_rows == 0:
        return None
    args = tuple(substitute(value, values) for value in args)
    kwargs = {name: substitute(value, values) for name, value in kwargs.items()}
    try:
        return function(*args, **kwargs)
    except (InvalidInputError, InvalidTypeError) as exc:
        # The partition whose index gives rows inside the files: the joined table, or a
        # frame partition passed whole (the report's).
        frame = data if columns else (data[0] if len(data) == 1 and hasattr(data[0], "index") else None)
        raise _reraise(exc, _located(str(exc), index, frame, files)) from None
    except (ValueError, TypeError) as exc:
        # A library below (pandas, numpy) failed on this partition's data: say where.
        raise _reraise(exc, _located(f"{type(exc).__name__}: {exc}", index, None, files)) from exc


def merge(*parts: Any) -> Any:
    """Sum of the partial results that are not None (None when all are)."""
    present = [part for part in parts if part is not None]
    if not present:
        return None
    return functools.reduce(operator.add, present)


def tree(parts: list[Any], split_every: int) -> Any:
    """Merge delayed partial results ``split_every`` at a time, level by level, into one."""
    delayed = dask_module("dask").delayed
    if not parts:
        return delayed(None)
    level = parts
    while len(level) > 1:
        level = [
            delayed(merge, pure=True)(*level[i : i + split_every]) for i in range(0, len(level), split_every)
        ]
    return level[0]


def check_split_every(split_every: Any) -> int:
    if isinstance(split_every, bool) or not isinstance(split_every, int | np.integer) or split_every < 2:
        raise InvalidInputError(f"split_every must be an integer of at least 2; got {split_every!r}")
    return int(split_every)


def check_compute(compute: Any) -> bool:
    if not isinstance(compute, bool | np.bool_):
        raise InvalidTypeError(f"compute must be True or False; got {compute!r}")
    return bool(compute)


def partial_results(
    partition: Callable[..., Any],
    bound: inspect.BoundArguments,
    layout: Layout,
    table: Any = None,
) -> list[Any]:
    """One delayed call of ``partition`` per partition of the aligned data (``table``: a shuffled one)."""
    delayed = dask_module("dask").delayed
    args, kwargs = bound.args, dict(bound.kwargs)
    if layout.kind == "array":
        blocks = []
        for array in layout.arrays:
            grid = array.to_delayed()
            blocks.append(list(grid.reshape(grid.shape[0], -1)[:, 0]))
        return [
            delayed(call_partition, pure=True)(partition, i, tuple(row), {}, args, kwargs, None)
            for i, row in enumerate(zip(*blocks, strict=True))
        ]
    frame = layout.table if table is None else table
    files = parquet_files(frame, not SHARED_READS) if table is None else None
    parts = frame.to_delayed(optimize_graph=not SHARED_READS)
    return [
        delayed(call_partition, pure=True)(
            partition, i, part, layout.columns, args, kwargs, None if files is None else files[i]
        )
        for i, part in enumerate(parts)
    ]


def _or_empty(result: Any, empty: Any) -> Any:
    return empty if result is None else result


def run(
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    required: tuple[str, ...] = (),
    ndim: Mapping[str, tuple[int, ...]] | None = None,
    split_every: Any = SPLIT_EVERY,
    compute: Any = True,
    partition: Callable[..., Any] | None = None,
    finish: Callable[[Any, Any], Any] = _or_empty,
    check_options: bool = True,
    shuffle_on: str | None = None,
    npartitions: int | None = None,
    defaults: Callable[[inspect.BoundArguments, Layout], None] | None = None,
) -> Any:
    """``partition`` (default ``function``) on every aligned partition, merged with ``+``, then ``finish``.

    ``function`` is the in-memory function: its signature names the arguments, and it
    is called at once on the collections' empty metadata to check the options (unless
    ``check_options`` is False, for functions that refuse empty data). With
    ``shuffle_on`` (a data argument), the joined table is first shuffled so that all
    rows of one value of that argument sit in one partition. ``defaults`` may fill
    options from the data (lazily) once the layout is known.
    """
    split = check_split_every(split_every)
    eager = check_compute(compute)
    try:
        bound = inspect.signature(function).bind(*args, **kwargs)
    except TypeError as exc:
        raise InvalidTypeError(f"{getattr(function, '__name__', 'function')}: {exc}") from None
    layout = gather(bound, required, ndim or {})
    empty = on_metadata(function, bound, layout)
    if check_options:
        empty = empty()
    table = None
    if shuffle_on is not None:
        slot = bound.arguments[shuffle_on]
        if layout.kind == "array":
            layout = _as_table(layout)
        table = layout.table.shuffle(on=layout.column(slot.key), npartitions=npartitions)
    if defaults is not None:
        defaults(bound, layout)
    delayed = dask_module("dask").delayed
    parts = partial_results(partition or function, bound, layout, table)
    result = delayed(finish, pure=True)(tree(parts, split), empty)
    return result.compute() if eager else result


# --------------------------------------------------------------------------- several figures in one pass


@attrs.frozen
class Item:
    """One figure of a batch: the function, its arguments (slots for columns) and its columns."""

    function: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    columns: Mapping[int, Column]
    where: str | None  # internal name of the figure's row mask, if any


@attrs.frozen
class Results:
    """Partial results of several figures (None where a partition held none of a figure's rows)."""

    parts: tuple[Any, ...]

    def __add__(self, other: Results) -> Results:
        return Results(tuple(merge(a, b) for a, b in zip(self.parts, other.parts, strict=True)))


def batch_partition(data: Any, index: int, files: tuple[str, ...] | None, items: tuple[Item, ...]) -> Results:
    """Every figure's partial result over one partition of the joined table (its own rows for each)."""
    parts = []
    for item in items:
        rows = data
        if item.where is not None:  # only the figure's own columns are filtered
            used = list(dict.fromkeys(name for column in item.columns.values() for name in column.internal))
            rows = data[used][data[item.where].to_numpy(dtype=bool)]
        parts.append(call_partition(item.function, index, rows, item.columns, item.args, item.kwargs, files))
    return Results(tuple(parts))


def _shared(series: Any, assigned: dict[str, Any]) -> str:
    """The internal name of ``series`` in the joined table: the same for the same expression."""
    name = f"_s{getattr(series, '_name', len(assigned))}"
    assigned.setdefault(name, series)
    return name


def _finish_all(merged: Results | None, finishes: tuple[Callable[[Any], Any], ...]) -> tuple[Any, ...]:
    parts = merged.parts if merged is not None else (None,) * len(finishes)
    return tuple(finish(part) for finish, part in zip(finishes, parts, strict=True))


def run_many(
    figures: list[
        tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], Any, Mapping[str, tuple[int, ...]]]
    ],
    *,
    split_every: Any = SPLIT_EVERY,
    compute: Any = True,
) -> Any:
    """Several figures over the columns of one Dask DataFrame in one pass over its partitions.

    Each figure is ``(function, args, kwargs, where, ndim)``: the in-memory function,
    its arguments (Dask Series among them), an optional boolean Dask Series choosing
    its rows, and the dimensions its arguments may have. Every Series of every figure
    (and every ``where``) must be a column of the same frame after the same filters:
    they are joined into one frame, read once, and each partition is handed to every
    figure (the rows of its ``where``). Results merge with ``+`` per figure; the
    result is the tuple of the figures' results.
    """
    split = check_split_every(split_every)
    eager = check_compute(compute)
    if not figures:
        raise InvalidInputError("figures must hold at least one figure; got none")
    items, finishes, reference = [], [], None
    assigned: dict[str, Any] = {}
    for position, (function, args, kwargs, where, ndim) in enumerate(figures):
        name = f"figure {position}"
        try:
            bound = inspect.signature(function).bind(*args, **kwargs)
        except TypeError as exc:
            raise InvalidTypeError(f"{name} ({getattr(function, '__name__', 'function')}): {exc}") from None
        layout = gather(bound, (), ndim)
        if layout.kind != "frame":
            raise InvalidTypeError(
                f"{name} must take columns of a Dask DataFrame (Dask Series); got Dask arrays"
            )
        empty = on_metadata(function, bound, layout)()  # the options, checked now
        columns: dict[int, Column] = {}
        for key, column in layout.columns.items():
            # A column used by several figures (the group labels) is carried once.
            internal = tuple(_shared(layout.sources[part], assigned) for part in column.internal)
            columns[key] = Column(internal, column.original, column.table)
        where_name = None
        if where is not None:
            if not isinstance(where, dask_module("dask.dataframe").Series) or where.dtype.kind != "b":
                raise InvalidTypeError(
                    f"{name}: where must be a boolean Dask Series (a column of the same frame); got "
                    f"{getattr(where, 'dtype', type(where).__name__)}"
                )
            where_name = _shared(where, assigned)
        first = layout.table
        if reference is None:
            reference = (name, first)
        elif _row_lineage(first) != _row_lineage(reference[1]) or not _co_aligned(reference[1], first):
            raise _not_aligned(name, reference[0])
        if where is not None and (
            _row_lineage(where) != _row_lineage(reference[1]) or not _co_aligned(reference[1], where)
        ):
            raise _not_aligned(f"{name}'s where", reference[0])
        items.append(Item(function, bound.args, dict(bound.kwargs), columns, where_name))
        finishes.append(functools.partial(_or_empty, empty=empty))
    (first_name, first_column), *rest = assigned.items()
    table = first_column.to_frame(name=first_name)
    if rest:
        table = table.assign(**dict(rest))
    delayed = dask_module("dask").delayed
    files = parquet_files(table, not SHARED_READS)
    parts = [
        delayed(batch_partition, pure=True)(part, i, None if files is None else files[i], tuple(items))
        for i, part in enumerate(table.to_delayed(optimize_graph=not SHARED_READS))
    ]
    result = delayed(_finish_all, pure=True)(tree(parts, split), tuple(finishes))
    return result.compute() if eager else result
