"""cskpi on Dask: the same KPIs on data larger than one machine, through mergeable partial results.

Every function here takes Dask Series (columns of one Dask DataFrame) or Dask arrays
and returns the same result object as the in-memory function of the same name
(:func:`cskpi.nps`, :func:`cskpi.service_level`, …). Each partition is reduced to
that function's result on the partition — a handful of counts and sums per group —
on the worker that holds it; the partial results are then merged with ``+`` in a
tree (``split_every`` at a time), so only partial results travel, never rows.
Grouped partial results with different labels align on merge (see
:class:`cskpi.Grouped`).

The module is optional: ``import cskpi`` never imports Dask, and this module
imports it only when one of its functions is called. Install it with
``pip install "dask[array,dataframe]" distributed``.

Conventions shared by every function:

* **Alignment by construction.** The Dask Series of one call must be columns of one
  Dask DataFrame after the same filters (element-wise expressions of them are fine);
  they are joined into one frame, read and partitioned once, and each partition is
  handed whole to the in-memory function. Anything else raises
  :class:`~cskpi.InvalidInputError` before computing. Dask arrays must have known
  chunk sizes; they are rechunked to the first array's chunks.
* **One mechanism.** :func:`reduce` runs every mergeable metric of the registry; the
  named functions here are thin wrappers of it. Metrics over a customer's whole
  history shuffle the rows by customer first; ``end`` and the range of periods,
  when not given, are those of all rows, as in memory.
* Options (thresholds, policies, scales) are checked at once, in the calling
  process, by running the in-memory function on the collections' empty metadata.
  Bad data (a negative wait, a score of 11) raises when the partition holding it is
  computed, with the in-memory message prefixed by the partition and, for Parquet,
  the file and the row inside it.
* ``compute=True`` (the default) computes on the current Dask scheduler — the
  ``distributed.Client`` you created, or Dask's local threads — and returns the
  result. ``compute=False`` returns a :class:`dask.delayed.Delayed` instead;
  compute several at once with ``dask.compute(a, b, c)``. Type checkers and IDEs
  see the result's class (``NPS`` without ``by``, ``Grouped[NPS]`` with it) and, with
  ``compute=False``, a :class:`Lazy` of it.
* Counts are exact. Sums of float durations (AHT, ASA totals) are added in a
  different order than in memory and agree with the in-memory result to rounding.

Percentiles are order statistics and are not sums; :func:`answer_time_percentile`
merges counts of contacts per (group, wait) instead, exactly while there are few
distinct waits, otherwise per fixed-resolution bin (see :class:`AnswerTimeCounts`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, Literal, overload

import attrs
import numpy as np

from ._core.checks import check_confidence_level
from ._core.errors import InvalidInputError, InvalidTypeError
from ._core.registry import REGISTRY, MetricSpec
from ._core.results import Grouped
from ._core.time import duration_seconds
from ._dask.docs import derived
from ._dask.engine import (
    SPLIT_EVERY,
    Layout,
    Slot,
    check_compute,
    dask_module,
    is_collection,
    run,
    run_many,
)
from ._dask.lazy import Lazy
from ._dask.partials import (
    DEFAULT_MAX_EXACT_VALUES,
    DEFAULT_RESOLUTION_SECONDS,
    AnswerTimeCounts,
    check_max_exact,
    count_answer_times,
    duration_finish,
    duration_partition,
    volume_finish,
    volume_partition,
)
from ._kpi import operations as _operations
from ._kpi import responses as _responses
from ._kpi import retention as _retention
from ._kpi import service_level as _service_level
from ._kpi import survey as _survey
from ._kpi import tickets as _tickets
from ._kpi import volume as _volume
from ._kpi.operations import AHT, ASA, AbandonmentRate
from ._kpi.responses import ResolutionTime, ResponseTime
from ._kpi.retention import CohortRetention
from ._kpi.service_level import AnswerTimePercentiles, ServiceLevel, check_abandoned_policy
from ._kpi.survey import CES, CSAT, NPS
from ._kpi.tickets import Backlog, OpenCases, RepeatContactFCR
from ._kpi.volume import Volume

__all__ = [
    "AnswerTimeCounts",
    "Figure",
    "Lazy",
    "abandonment_rate",
    "aht",
    "answer_time_counts",
    "answer_time_percentile",
    "asa",
    "backlog",
    "ces",
    "compute",
    "count_answer_times",
    "csat",
    "fcr_repeat_contact",
    "figure",
    "first_response_time",
    "nps",
    "open_cases",
    "reduce",
    "repeat_contact_retention",
    "resolution_time",
    "service_level",
    "volume",
]


def _call_if_none(result: Any, empty: Callable[[], Any]) -> Any:
    """The merged result, or the in-memory function on empty data (which may raise) when there is none."""
    return empty() if result is None else result


@overload
def reduce(
    function: Callable[..., Any],
    *args: Any,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
    **kwargs: Any,
) -> Any: ...


@overload
def reduce(
    function: Callable[..., Any],
    *args: Any,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
    **kwargs: Any,
) -> Lazy[Any]: ...


@overload
def reduce(
    function: Callable[..., Any],
    *args: Any,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
    **kwargs: Any,
) -> Any: ...


def reduce(
    function: Callable[..., Any],
    *args: Any,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
    **kwargs: Any,
) -> Any:
    """Run a mergeable metric of the registry (or any mergeable function) on Dask collections.

    Parameters
    ----------
    function : callable
        A cskpi metric whose results merge with ``+`` (every
        ``metrics(mergeable=True)`` of the registry: :func:`cskpi.occupancy`,
        :func:`cskpi.ticket_flow`, :func:`cskpi.repeat_rate`, …), or any function of
        the same kind.
    *args, **kwargs
        The arguments of ``function``. Dask Series (columns of one Dask DataFrame,
        also inside a tuple, as in ``by=(a, b)``) or Dask arrays are split into
        their partitions; every other argument (thresholds, options, plain arrays) is
        passed unchanged to every partition. For metrics over a customer's whole
        history, ``partitioned_by_customer`` and ``npartitions`` as in
        :func:`repeat_contact_retention`.
    split_every : int, default 8
        Partial results merged by one task of the reduction tree.
    compute : bool, default True
        Compute and return the result (True) or return a
        :class:`dask.delayed.Delayed` computing it (False).

    Returns
    -------
    object
        What ``function`` returns for the whole data: the sum, with ``+``, of its
        results on the partitions.

    Notes
    -----
    ``function`` runs on each partition where the partition lives; empty partitions
    are skipped; the partial results are merged ``split_every`` at a time, level by
    level (a tree reduction). The result equals ``function`` on all rows together
    exactly when ``function(a) + function(b) == function(a ++ b)``. The registry
    entry of a cskpi metric decides the rest:

    * a metric whose ``partition`` is the customer (repeat contacts, retention,
      customer value) is computed after shuffling the rows by customer, with ``end``
      defaulting to the latest timestamp of all rows;
    * a metric over a range of periods gets the earliest and latest timestamp of all
      rows as ``start`` and ``end`` when they are not given;
    * answer-time percentiles, first response and resolution times go through the
      mergeable histogram (:func:`answer_time_percentile`); metrics whose results do
      not merge (``engagement``…) raise, saying why.

    The options are checked first by calling ``function`` on the collections' empty
    metadata (for other functions than the registry's, ``function`` must accept
    empty data).

    Examples
    --------
    Occupancy of two agents' intervals in two chunks: 1,500 s handled out of 2,000 s
    available.

    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi
    >>> import cskpi.dask
    >>> handled = da.from_array(np.array([600.0, 300.0, 400.0, 200.0]), chunks=2)
    >>> available = da.from_array(np.array([800.0, 400.0, 500.0, 300.0]), chunks=2)
    >>> cskpi.dask.reduce(cskpi.occupancy, handled, available).score
    0.75
    """
    spec = _spec_of(function)
    if spec is None:
        return run(function, args, kwargs, split_every=split_every, compute=compute)
    special = _SPECIAL.get(spec.name)
    if special is not None:
        return special(*args, split_every=split_every, compute=compute, **kwargs)
    if not spec.mergeable:
        raise InvalidInputError(
            f"{spec.name} cannot run on Dask collections: {_NOT_MERGEABLE.get(spec.name, _NO_MERGE)}"
        )
    if spec.partition is not None:
        options = {
            name: kwargs.pop(name) for name in ("partitioned_by_customer", "npartitions") if name in kwargs
        }
        return _whole_history(
            function,
            args,
            kwargs,
            key=spec.partition,
            partitioned_by_customer=options.get("partitioned_by_customer", False),
            npartitions=options.get("npartitions"),
            split_every=split_every,
            compute=compute,
        )
    parameters = inspect.signature(function).parameters
    times = _AXIS.get(spec.name) or tuple(n for n, role in spec.data.items() if role in _TIME_ROLES)[:1]
    period = kwargs.get("period", parameters["period"].default if "period" in parameters else None)
    periodic = period is not None and {"start", "end"} <= set(parameters)
    return run(
        function,
        args,
        kwargs,
        ndim={name: (1, 2) for name, role in spec.data.items() if role in ("checks", "rating")},
        split_every=split_every,
        compute=compute,
        defaults=_bounds_filler(times, ("start", "end")) if periodic else None,
    )


#: Timestamp arguments whose earliest and latest values bound a metric's range of periods
#: (default: its first timestamp argument).
_AXIS = {"ticket_flow": ("created", "resolved")}
#: Roles of timestamp arguments.
_TIME_ROLES = ("timestamp", "created", "resolved", "reply")


def _bounds_filler(
    names: tuple[str, ...], bounds: tuple[str, ...]
) -> Callable[[inspect.BoundArguments, Layout], None]:
    """Fill ``start``/``end`` not given with the earliest/latest of the timestamp arguments ``names``.

    An in-memory function bounds its range of periods (or its observation) by the
    timestamps it sees; a partition sees only its own, so the bounds of all rows are
    computed with the rest and passed to every partition.
    """

    def fill(bound: inspect.BoundArguments, layout: Layout) -> None:
        slots = [slot for name in names if isinstance(slot := bound.arguments.get(name), Slot)]
        if not slots:
            return
        delayed = dask_module("dask").delayed
        for which in bounds:
            if bound.arguments.get(which) is not None:
                continue
            reducer = "min" if which == "start" else "max"
            columns = [
                layout.table[layout.column(slot.key)] if layout.kind == "frame" else layout.arrays[slot.key]
                for slot in slots
            ]
            extremes = [getattr(column, reducer)() for column in columns]
            bound.arguments[which] = delayed(_extreme, pure=True)(reducer, *extremes)

    return fill


@attrs.frozen
class Figure:
    """One figure for :func:`compute`: an in-memory metric, its arguments and the rows it reads."""

    function: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    where: Any = None


def figure(function: Callable[..., Any], *args: Any, where: Any = None, **kwargs: Any) -> Figure:
    """A figure to compute with others in one pass (see :func:`compute`).

    Parameters
    ----------
    function : callable
        A mergeable cskpi metric (:func:`cskpi.nps`, :func:`cskpi.service_level`, …),
        as for :func:`reduce`.
    *args, **kwargs
        Its arguments: Dask Series of one Dask DataFrame for the data, plain values for
        the options.
    where : dask.dataframe.Series of bool, optional
        The rows the figure reads (a column of the same frame, such as
        ``frame["wait_seconds"].notnull()``); default every row.

    Returns
    -------
    Figure
    """
    return Figure(function, args, dict(kwargs), where)


@overload
def compute(
    *figures: Figure, split_every: int = SPLIT_EVERY, compute: Literal[True] = True
) -> tuple[Any, ...]: ...


@overload
def compute(
    *figures: Figure, split_every: int = SPLIT_EVERY, compute: Literal[False]
) -> Lazy[tuple[Any, ...]]: ...


@overload
def compute(
    *figures: Figure, split_every: int = SPLIT_EVERY, compute: bool = True
) -> tuple[Any, ...] | Lazy[tuple[Any, ...]]: ...


def compute(*figures: Figure, split_every: int = SPLIT_EVERY, compute: bool = True) -> Any:
    """Compute several figures over one Dask DataFrame in one pass over its partitions.

    Parameters
    ----------
    *figures : Figure
        Made with :func:`figure`. Their Dask Series (and ``where`` masks) must all be
        columns of one Dask DataFrame after the same filters.
    split_every : int, default 8
        Partial results merged by one task of the reduction tree.
    compute : bool, default True
        Return the results (True), or one :class:`dask.delayed.Delayed` of their
        tuple (False), to compute with other Dask work in one ``dask.compute``.

    Returns
    -------
    tuple or dask.delayed.Delayed
        Each figure's result, in order: the same as :func:`reduce` of that figure
        (with its rows chosen by ``where``), and as the in-memory function on those rows.

    Notes
    -----
    The columns of every figure are joined into one frame, read once (only those
    columns), and each partition is handed to every figure in turn on the worker
    that holds it; the partial results of all figures travel together and merge per
    figure with ``+``. Separate calls (``compute=False`` then ``dask.compute``) read
    the files once per figure instead. A figure's rows are chosen with ``where``
    rather than by filtering the frame, so that every figure reads the same rows of
    the same partitions (the alignment rule). Metrics that shuffle by customer,
    percentiles and durations (histograms), and metrics over a range of periods
    without ``start`` and ``end`` are computed on their own.

    Examples
    --------
    NPS by channel, and the service level of the contacts that queued, in one pass.

    >>> import pytest; dd = pytest.importorskip("dask.dataframe")
    >>> import numpy as np, pandas as pd
    >>> import cskpi, cskpi.dask
    >>> frame = dd.from_pandas(pd.DataFrame({
    ...     "channel": ["chat", "phone", "phone", "chat", "phone", "email"],
    ...     "nps": [10, 9, 3, np.nan, 7, 10],
    ...     "wait_seconds": [5.0, 12.0, 40.0, 8.0, 25.0, np.nan],
    ... }), npartitions=2)
    >>> by_channel, sl = cskpi.dask.compute(
    ...     cskpi.dask.figure(cskpi.nps, frame["nps"], nan_policy="omit", by=frame["channel"]),
    ...     cskpi.dask.figure(cskpi.service_level, frame["wait_seconds"], 20,
    ...                       where=frame["wait_seconds"].notnull()),
    ... )
    >>> by_channel["chat"].score, by_channel["phone"].score, sl.value
    (100.0, 0.0, 0.6)
    """
    jobs = []
    for position, item in enumerate(figures):
        if not isinstance(item, Figure):
            raise InvalidTypeError(
                f"figures[{position}] must be made with cskpi.dask.figure(); got {type(item).__name__}"
            )
        spec = _spec_of(item.function)
        ndim: Mapping[str, tuple[int, ...]] = {}
        if spec is not None:
            name = spec.name
            if name in _SPECIAL or spec.partition is not None:
                raise InvalidInputError(
                    f"figures[{position}]: {name} has its own Dask path (a shuffle or a histogram); "
                    f"compute it on its own with cskpi.dask.reduce or cskpi.dask.{name}"
                )
            if not spec.mergeable:
                raise InvalidInputError(
                    f"{name} cannot run on Dask collections: {_NOT_MERGEABLE.get(name, _NO_MERGE)}"
                )
            parameters = inspect.signature(item.function).parameters
            bounded = {"start", "end"} <= set(parameters) and (
                item.kwargs.get("period", parameters["period"].default if "period" in parameters else None)
                is not None
            )
            if bounded and (item.kwargs.get("start") is None or item.kwargs.get("end") is None):
                raise InvalidInputError(
                    f"figures[{position}]: {name} over a range of periods needs start= and end= here "
                    "(cskpi.dask.reduce finds them from the data)"
                )
            ndim = {key: (1, 2) for key, role in spec.data.items() if role in ("checks", "rating")}
        jobs.append((item.function, item.args, item.kwargs, item.where, ndim))
    return run_many(jobs, split_every=split_every, compute=compute)


def _extreme(reducer: str, *values: Any) -> Any:
    """The earliest or latest of some timestamps, NaT left out (None when all are)."""
    present = [_scalar(value) for value in values]
    present = [value for value in present if value is not None and value == value]  # NaT != NaT
    if not present:
        return None
    return min(present) if reducer == "min" else max(present)


_NO_MERGE = "its result keeps no statistics that add across partitions; compute it in memory"
_NOT_MERGEABLE = {
    "engagement": (
        "contacts per customer need each customer's count and the spread of counts, which do not "
        "add; compute it in memory on the rows of the customers wanted, or use repeat_rate"
    ),
    "follower_growth": "running totals depend on the order of the rows; compute it in memory",
    "reply_times": "a conversation's replies must be read in order; compute it in memory",
    "channel_share": "compute cskpi.dask.volume by channel and divide",
}

#: Registry names handled by a function of this module with the in-memory signature.
_SPECIAL: dict[str, Callable[..., Any]] = {}


def _spec_of(function: Callable[..., Any]) -> MetricSpec | None:
    """The registry entry of an in-memory metric function, or None for any other function."""
    path = f"{getattr(function, '__module__', '')}:{getattr(function, '__name__', '')}"
    for spec in REGISTRY.values():
        if spec.path == path:
            return spec
    return None


# --------------------------------------------------------------------------- survey


@overload
def nps(
    scores: Any,
    *,
    by: None = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> NPS: ...


@overload
def nps(
    scores: Any,
    *,
    by: Any,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[NPS]: ...


@overload
def nps(
    scores: Any,
    *,
    by: Any = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[NPS | Grouped[NPS]]: ...


@overload
def nps(
    scores: Any,
    *,
    by: Any = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> NPS | Grouped[NPS] | Lazy[NPS | Grouped[NPS]]: ...


@derived(_survey.nps)
def nps(
    scores: Any,
    *,
    by: Any = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """Counts of promoters, passives and detractors add across partitions: the merged
    result is exact.

    Examples
    --------
    Four promoters, three passives, three detractors in three chunks: +10.

    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> scores = da.from_array(np.array([10, 9, 9, 10, 8, 7, 7, 6, 0, 3]), chunks=4)
    >>> result = cskpi.dask.nps(scores)
    >>> result.score, result.n
    (10.0, 10)
    """
    return run(
        _survey.nps,
        (scores,),
        {"by": by, "nan_policy": nan_policy},
        required=("scores", "by"),
        split_every=split_every,
        compute=compute,
    )


@overload
def csat(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    satisfied_from: int = 4,
    by: None = None,
    aspects: None = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> CSAT | Grouped[CSAT]: ...


@overload
def csat(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    satisfied_from: int = 4,
    by: Any,
    aspects: Any = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[CSAT]: ...


@overload
def csat(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    satisfied_from: int = 4,
    by: Any = None,
    aspects: Any,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[CSAT]: ...


@overload
def csat(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    satisfied_from: int = 4,
    by: Any = None,
    aspects: Any = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[CSAT | Grouped[CSAT]]: ...


@overload
def csat(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    satisfied_from: int = 4,
    by: Any = None,
    aspects: Any = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> CSAT | Grouped[CSAT] | Lazy[CSAT | Grouped[CSAT]]: ...


@derived(_survey.csat)
def csat(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    satisfied_from: int = 4,
    by: Any = None,
    aspects: Any = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """Counts per scale point add across partitions: the merged result is exact. A table of
    aspects is a Dask DataFrame (its column names become the aspect labels) or a 2-D
    Dask array.

    Parameters
    ----------
    ratings : dask.array.Array, dask.dataframe.Series or dask.dataframe.DataFrame
        Answers on the integer ``scale``: shape (n,), or a table (n, k) of one column
        per aspect.

    Examples
    --------
    Seven of ten answers are 4 or 5:

    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> ratings = da.from_array(np.array([5, 4, 4, 3, 5, 2, 4, 5, 1, 5]), chunks=3)
    >>> result = cskpi.dask.csat(ratings)
    >>> result.score, result.satisfied, result.n
    (0.7, 7, 10)
    """
    result = run(
        _survey.csat,
        (ratings,),
        {
            "scale": scale,
            "satisfied_from": satisfied_from,
            "by": by,
            "aspects": aspects,
            "nan_policy": nan_policy,
        },
        required=("ratings", "by"),
        ndim={"ratings": (1, 2)},
        split_every=split_every,
        compute=compute,
    )
    return result


@overload
def ces(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    easy_from: int = 5,
    by: None = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> CES: ...


@overload
def ces(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    easy_from: int = 5,
    by: Any,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[CES]: ...


@overload
def ces(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    easy_from: int = 5,
    by: Any = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[CES | Grouped[CES]]: ...


@overload
def ces(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    easy_from: int = 5,
    by: Any = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> CES | Grouped[CES] | Lazy[CES | Grouped[CES]]: ...


@derived(_survey.ces)
def ces(
    ratings: Any,
    *,
    scale: tuple[int, int] = (1, 7),
    easy_from: int = 5,
    by: Any = None,
    nan_policy: str = "raise",
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """Counts per scale point add across partitions: the merged result is exact.

    Examples
    --------
    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> result = cskpi.dask.ces(da.from_array(np.array([7, 6, 5, 5, 3, 1]), chunks=4))
    >>> result.score, round(result.easy_share, 4)
    (4.5, 0.6667)
    """
    return run(
        _survey.ces,
        (ratings,),
        {"scale": scale, "easy_from": easy_from, "by": by, "nan_policy": nan_policy},
        required=("ratings", "by"),
        split_every=split_every,
        compute=compute,
    )


# --------------------------------------------------------------------------- operations


@overload
def service_level(
    wait_seconds: Any,
    threshold_seconds: Any,
    *,
    abandoned: Any = None,
    policy: str = "abandoned_as_missed",
    short_abandon_seconds: Any = None,
    exclude_short_abandons: bool = False,
    by: None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> ServiceLevel: ...


@overload
def service_level(
    wait_seconds: Any,
    threshold_seconds: Any,
    *,
    abandoned: Any = None,
    policy: str = "abandoned_as_missed",
    short_abandon_seconds: Any = None,
    exclude_short_abandons: bool = False,
    by: Any,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[ServiceLevel]: ...


@overload
def service_level(
    wait_seconds: Any,
    threshold_seconds: Any,
    *,
    abandoned: Any = None,
    policy: str = "abandoned_as_missed",
    short_abandon_seconds: Any = None,
    exclude_short_abandons: bool = False,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[ServiceLevel | Grouped[ServiceLevel]]: ...


@overload
def service_level(
    wait_seconds: Any,
    threshold_seconds: Any,
    *,
    abandoned: Any = None,
    policy: str = "abandoned_as_missed",
    short_abandon_seconds: Any = None,
    exclude_short_abandons: bool = False,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> ServiceLevel | Grouped[ServiceLevel] | Lazy[ServiceLevel | Grouped[ServiceLevel]]: ...


@derived(_service_level.service_level)
def service_level(
    wait_seconds: Any,
    threshold_seconds: Any,
    *,
    abandoned: Any = None,
    policy: str = "abandoned_as_missed",
    short_abandon_seconds: Any = None,
    exclude_short_abandons: bool = False,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """Every variant is a ratio of counts of answered and abandoned contacts within and
    after T, which add across partitions: every variant and the whole curve are exact.

    Examples
    --------
    The published example (1,000 answered, 860 within 20 s; 60 abandoned, 20 within
    20 s), in chunks of 100 contacts: formula 1 gives 880 / 1,060 = 83.0 %.

    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> waits = np.r_[[10.0] * 860, [30.0] * 140, [3.0] * 10, [12.0] * 10, [45.0] * 40]
    >>> gave_up = np.r_[[False] * 1000, [True] * 60]
    >>> sl = cskpi.dask.service_level(
    ...     da.from_array(waits, chunks=100), 20,
    ...     abandoned=da.from_array(gave_up, chunks=100), policy="abandoned_within_as_met",
    ... )
    >>> round(sl.score, 4), sl.n_met, sl.n
    (0.8302, 880, 1060)
    """
    return run(
        _service_level.service_level,
        (wait_seconds, threshold_seconds),
        {
            "abandoned": abandoned,
            "policy": policy,
            "short_abandon_seconds": short_abandon_seconds,
            "exclude_short_abandons": exclude_short_abandons,
            "by": by,
        },
        required=("wait_seconds", "abandoned", "by"),
        split_every=split_every,
        compute=compute,
    )


@overload
def abandonment_rate(
    abandoned: Any,
    *,
    wait_seconds: Any = None,
    short_abandon_seconds: Any = None,
    by: None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> AbandonmentRate: ...


@overload
def abandonment_rate(
    abandoned: Any,
    *,
    wait_seconds: Any = None,
    short_abandon_seconds: Any = None,
    by: Any,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[AbandonmentRate]: ...


@overload
def abandonment_rate(
    abandoned: Any,
    *,
    wait_seconds: Any = None,
    short_abandon_seconds: Any = None,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[AbandonmentRate | Grouped[AbandonmentRate]]: ...


@overload
def abandonment_rate(
    abandoned: Any,
    *,
    wait_seconds: Any = None,
    short_abandon_seconds: Any = None,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> AbandonmentRate | Grouped[AbandonmentRate] | Lazy[AbandonmentRate | Grouped[AbandonmentRate]]: ...


@derived(_operations.abandonment_rate)
def abandonment_rate(
    abandoned: Any,
    *,
    wait_seconds: Any = None,
    short_abandon_seconds: Any = None,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """The counts add across partitions: exact.

    Examples
    --------
    6 of 100 calls abandoned, in chunks of 30:

    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> gave_up = da.from_array(np.array([True] * 6 + [False] * 94), chunks=30)
    >>> cskpi.dask.abandonment_rate(gave_up).score
    0.06
    """
    return run(
        _operations.abandonment_rate,
        (abandoned,),
        {"wait_seconds": wait_seconds, "short_abandon_seconds": short_abandon_seconds, "by": by},
        required=("abandoned", "wait_seconds", "by"),
        split_every=split_every,
        compute=compute,
    )


@overload
def aht(
    talk_seconds: Any,
    hold_seconds: Any = None,
    after_work_seconds: Any = None,
    *,
    by: None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> AHT: ...


@overload
def aht(
    talk_seconds: Any,
    hold_seconds: Any = None,
    after_work_seconds: Any = None,
    *,
    by: Any,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[AHT]: ...


@overload
def aht(
    talk_seconds: Any,
    hold_seconds: Any = None,
    after_work_seconds: Any = None,
    *,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[AHT | Grouped[AHT]]: ...


@overload
def aht(
    talk_seconds: Any,
    hold_seconds: Any = None,
    after_work_seconds: Any = None,
    *,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> AHT | Grouped[AHT] | Lazy[AHT | Grouped[AHT]]: ...


@derived(_operations.aht)
def aht(
    talk_seconds: Any,
    hold_seconds: Any = None,
    after_work_seconds: Any = None,
    *,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """The counts are exact; the float totals are summed per partition, then across
    partitions, and agree with the in-memory totals to rounding (exactly for whole
    seconds).

    Examples
    --------
    (300 + 30 + 60 + 200 + 0 + 10) / 2 = 300 s:

    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> talk = da.from_array(np.array([300.0, 200.0]), chunks=1)
    >>> hold = da.from_array(np.array([30.0, 0.0]), chunks=1)
    >>> wrap = da.from_array(np.array([60.0, 10.0]), chunks=1)
    >>> cskpi.dask.aht(talk, hold, wrap).score
    300.0
    """
    return run(
        _operations.aht,
        (talk_seconds, hold_seconds, after_work_seconds),
        {"by": by},
        required=("talk_seconds", "hold_seconds", "after_work_seconds", "by"),
        split_every=split_every,
        compute=compute,
    )


@overload
def asa(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    by: None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> ASA: ...


@overload
def asa(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    by: Any,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[ASA]: ...


@overload
def asa(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[ASA | Grouped[ASA]]: ...


@overload
def asa(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> ASA | Grouped[ASA] | Lazy[ASA | Grouped[ASA]]: ...


@derived(_operations.asa)
def asa(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """The total wait is a float sum per partition, then across partitions: it agrees with
    the in-memory one to rounding.

    Examples
    --------
    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> cskpi.dask.asa(da.from_array(np.array([10.0, 20.0, 30.0, 60.0]), chunks=3)).score
    30.0
    """
    return run(
        _operations.asa,
        (wait_seconds,),
        {"abandoned": abandoned, "by": by},
        required=("wait_seconds", "abandoned", "by"),
        split_every=split_every,
        compute=compute,
    )


# --------------------------------------------------------------------------- volume


@overload
def volume(
    timestamps: Any,
    *,
    period: str = "month",
    by: None = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Volume: ...


@overload
def volume(
    timestamps: Any,
    *,
    period: str = "month",
    by: Any,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[Volume]: ...


@overload
def volume(
    timestamps: Any,
    *,
    period: str = "month",
    by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[Volume | Grouped[Volume]]: ...


@overload
def volume(
    timestamps: Any,
    *,
    period: str = "month",
    by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Volume | Grouped[Volume] | Lazy[Volume | Grouped[Volume]]: ...


@derived(_volume.volume)
def volume(
    timestamps: Any,
    *,
    period: str = "month",
    by: Any = None,
    start: Any = None,
    end: Any = None,
    tz: str | None = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """Each partition is counted over its own periods (clipped to ``start`` and ``end``);
    two partial volumes are padded with zero periods to the union of their ranges and
    added, and the final range is the one chosen for all contacts: exact, in one pass
    (a data set partitioned by month has one month a file).

    Examples
    --------
    Three contacts on Monday, none on Tuesday, one on Wednesday, in two chunks:

    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> days = np.array(["2024-05-13T08:00", "2024-05-13T09:30", "2024-05-13T23:59", "2024-05-15T00:00"],
    ...                 dtype="datetime64[m]")
    >>> result = cskpi.dask.volume(da.from_array(days, chunks=2), period="day")
    >>> result.n_contacts.tolist(), [str(day) for day in result.periods]
    ([3, 0, 1], ['2024-05-13', '2024-05-14', '2024-05-15'])
    """
    from ._kpi.volume import volume as memory_volume

    return run(
        memory_volume,
        (timestamps,),
        {"period": period, "by": by, "start": start, "end": end, "tz": tz},
        required=("timestamps", "by"),
        split_every=split_every,
        compute=compute,
        partition=volume_partition,
        finish=functools.partial(volume_finish, period=period, start=start, end=end, tz=tz),
    )


# --------------------------------------------------------------------------- whole history of a customer


def _check_partitioned(partitioned_by_customer: Any) -> bool:
    if not isinstance(partitioned_by_customer, bool | np.bool_):
        raise InvalidTypeError(
            f"partitioned_by_customer must be True or False; got {partitioned_by_customer!r}"
        )
    return bool(partitioned_by_customer)


def _check_npartitions(npartitions: Any) -> int | None:
    if npartitions is not None and (
        isinstance(npartitions, bool) or not isinstance(npartitions, int | np.integer) or npartitions < 1
    ):
        raise InvalidInputError(f"npartitions must be a positive integer; got {npartitions!r}")
    return None if npartitions is None else int(npartitions)


def _scalar(value: Any) -> Any:
    """The latest timestamp as the in-memory functions take it: a numpy scalar or an ISO 8601 string."""
    if isinstance(value, np.ndarray):
        return value[()]
    if hasattr(value, "to_datetime64"):  # a pandas Timestamp
        return value.isoformat() if getattr(value, "tzinfo", None) is not None else value.to_datetime64()
    return value


def _whole_history(
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    key: str,
    partitioned_by_customer: Any,
    npartitions: Any,
    split_every: Any,
    compute: Any,
) -> Any:
    """A metric over each customer's whole history: shuffle by customer, then merge per-partition results.

    The results of disjoint sets of customers merge exactly, but a partition holding
    only part of a customer's contacts would miss their repeats and take a later
    contact for a first one: the rows are first shuffled so that each customer's
    contacts sit in one partition (skipped when ``partitioned_by_customer``). The
    end of the observation, when not given, is the latest timestamp of all rows.
    """
    shuffle = not _check_partitioned(partitioned_by_customer)
    parts = _check_npartitions(npartitions)
    parameters = inspect.signature(function).parameters
    return run(
        function,
        args,
        kwargs,
        required=tuple(name for name in ("customer_ids", "timestamps", "amounts") if name in parameters),
        split_every=split_every,
        compute=compute,
        finish=_call_if_none,
        check_options=False,
        shuffle_on=key if shuffle else None,
        npartitions=parts,
        defaults=_bounds_filler(("timestamps",), ("end",) if "end" in parameters else ()),
    )


@overload
def repeat_contact_retention(
    customer_ids: Any,
    timestamps: Any,
    *,
    period: str = "month",
    convention: str = "classic",
    end: Any = None,
    tz: str | None = None,
    partitioned_by_customer: bool = False,
    npartitions: int | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> CohortRetention: ...


@overload
def repeat_contact_retention(
    customer_ids: Any,
    timestamps: Any,
    *,
    period: str = "month",
    convention: str = "classic",
    end: Any = None,
    tz: str | None = None,
    partitioned_by_customer: bool = False,
    npartitions: int | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[CohortRetention]: ...


@overload
def repeat_contact_retention(
    customer_ids: Any,
    timestamps: Any,
    *,
    period: str = "month",
    convention: str = "classic",
    end: Any = None,
    tz: str | None = None,
    partitioned_by_customer: bool = False,
    npartitions: int | None = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> CohortRetention | Lazy[CohortRetention]: ...


@derived(_retention.repeat_contact_retention)
def repeat_contact_retention(
    customer_ids: Any,
    timestamps: Any,
    *,
    period: str = "month",
    convention: str = "classic",
    end: Any = None,
    tz: str | None = None,
    partitioned_by_customer: bool = False,
    npartitions: int | None = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """A cohort is the period of a customer's first contact, which a partition knows only
    if it holds all of that customer's contacts: the rows are shuffled by customer
    first, each partition's table is computed where it lives, and the tables (of
    disjoint customers) merge with ``+``. ``end`` defaults to the latest timestamp of
    all rows, as in memory; nothing is gathered to one process.

    Examples
    --------
    Customer 1 comes in January and March, 2 in January and February, 3 in February,
    in partitions that split customers 1 and 2:

    >>> import pytest; dd = pytest.importorskip("dask.dataframe")
    >>> import pandas as pd
    >>> import cskpi.dask
    >>> records = dd.from_pandas(pd.DataFrame({
    ...     "customer": [1, 2, 1, 2, 3],
    ...     "at": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-03-02", "2024-02-11", "2024-02-28"]),
    ... }), npartitions=3, sort=False)
    >>> table = cskpi.dask.repeat_contact_retention(records["customer"], records["at"])
    >>> table.sizes.tolist(), table.classic_counts.tolist()
    ([2, 1], [[2, 1, 1], [1, 0, 0]])
    """
    # The options are checked on one made-up record (the function refuses empty data).
    _retention.repeat_contact_retention(
        np.zeros(1, dtype=np.int64),
        np.array(["1970-01-01"], dtype="datetime64[s]"),
        period=period,  # type: ignore[arg-type]
        convention=convention,  # type: ignore[arg-type]
    )
    return _whole_history(
        _retention.repeat_contact_retention,
        (customer_ids, timestamps),
        {"period": period, "convention": convention, "end": end, "tz": tz},
        key="customer_ids",
        partitioned_by_customer=partitioned_by_customer,
        npartitions=npartitions,
        split_every=split_every,
        compute=compute,
    )


# --------------------------------------------------------------------------- percentiles


@overload
def answer_time_counts(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    by: Any = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> AnswerTimeCounts: ...


@overload
def answer_time_counts(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    by: Any = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[AnswerTimeCounts]: ...


@overload
def answer_time_counts(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    by: Any = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> AnswerTimeCounts | Lazy[AnswerTimeCounts]: ...


def answer_time_counts(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    by: Any = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """Count Dask contacts per (group, wait): :func:`count_answer_times` on each partition, merged.

    Parameters
    ----------
    wait_seconds : dask.array.Array or dask.dataframe.Series, shape (n,)
        Queue wait of each offered contact [s].
    abandoned : Dask array or Series of bool, shape (n,), optional
        True for contacts that abandoned.
    by : Dask array or Series, or tuple of them, shape (n,), optional
        Group labels, partitioned like ``wait_seconds``.
    resolution_seconds : float, default 1.0
        Bin width [s] once the table is rounded.
    max_exact_values : int or None, default 100000
        Most distinct (group, wait) pairs kept exactly.
    split_every : int, default 8
        Partial results merged by one task of the reduction tree.
    compute : bool, default True
        Return the result (True) or a :class:`dask.delayed.Delayed` of it (False).

    Returns
    -------
    AnswerTimeCounts
        The table of all contacts; ``exact`` says whether it kept the exact waits.

    Notes
    -----
    The rule, whatever the partitioning: the table keeps the exact waits when all
    the data has at most ``max_exact_values`` distinct (group, wait) pairs, and its
    percentiles then equal :func:`cskpi.answer_time_percentile`. Otherwise every wait
    is rounded up to the next multiple r of ``resolution_seconds`` (a histogram with
    bins ``((k - 1) r, k r]``) and each percentile is the exact one rounded up the
    same way: at least the exact value t and below ``t + r``, equal to t when the
    waits are whole multiples of r. A partial result then holds at most one count
    per group and bin, however many contacts it covers.

    Examples
    --------
    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> waits = da.from_array(np.array([12.0, 3.0, 12.0, 40.0]), chunks=2)
    >>> counts = cskpi.dask.answer_time_counts(waits)
    >>> counts.seconds.tolist(), counts.counts.tolist(), counts.exact
    ([3.0, 12.0, 40.0], [1, 2, 1], True)
    """
    return run(
        count_answer_times,
        (wait_seconds,),
        {
            "abandoned": abandoned,
            "by": by,
            "resolution_seconds": resolution_seconds,
            "max_exact_values": max_exact_values,
        },
        required=("wait_seconds", "abandoned", "by"),
        split_every=split_every,
        compute=compute,
    )


def _percentiles_of(counts: AnswerTimeCounts, quantile: Any, abandoned_policy: str, level: Any) -> Any:
    return counts.percentiles(quantile=quantile, abandoned_policy=abandoned_policy, confidence_level=level)


@overload
def answer_time_percentile(
    wait_seconds: Any,
    *,
    quantile: Any,
    abandoned: Any = None,
    abandoned_policy: str = "never_answered",
    by: Any = None,
    confidence_level: float | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> AnswerTimePercentiles: ...


@overload
def answer_time_percentile(
    wait_seconds: Any,
    *,
    quantile: Any,
    abandoned: Any = None,
    abandoned_policy: str = "never_answered",
    by: Any = None,
    confidence_level: float | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[AnswerTimePercentiles]: ...


@overload
def answer_time_percentile(
    wait_seconds: Any,
    *,
    quantile: Any,
    abandoned: Any = None,
    abandoned_policy: str = "never_answered",
    by: Any = None,
    confidence_level: float | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> AnswerTimePercentiles | Lazy[AnswerTimePercentiles]: ...


@derived(_service_level.answer_time_percentile)
def answer_time_percentile(
    wait_seconds: Any,
    *,
    quantile: Any,
    abandoned: Any = None,
    abandoned_policy: str = "never_answered",
    by: Any = None,
    confidence_level: float | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """Percentiles are order statistics and do not add: each partition counts its
    contacts per (group, wait) (:func:`count_answer_times`), the tables merge with ``+``
    and the percentiles, and their intervals, are read from the merged counts — exact
    while the data has at most ``max_exact_values`` distinct (group, wait) pairs, else
    to ``resolution_seconds`` (see Notes).

    Notes
    -----
    * **Exact** when the whole data has at most ``max_exact_values`` distinct
      (group, wait) pairs — few groups and waits recorded to the second, or little
      data after grouping: equal to :func:`cskpi.answer_time_percentile`.
    * **Otherwise a fixed-resolution histogram**: each wait is rounded up to the next
      multiple r of ``resolution_seconds``, and each percentile is the exact one
      rounded up the same way, ``r * ceil(t / r)``: never below the exact value t,
      less than r above it, and equal to it for waits in whole multiples of r. The
      partial results then hold at most one count per group and bin, however many
      contacts there are. :func:`answer_time_counts` tells which case applied
      (``exact``).

    With ``compute=False`` the percentiles are read in the task that finishes the
    Delayed; a warning for a group without contacts is then emitted on that worker.

    Examples
    --------
    Ten answered calls in three chunks: the 80th percentile is the 8th smallest wait.

    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> waits = da.from_array(np.array([2, 5, 8, 12, 15, 20, 30, 40, 90, 200.0]), chunks=4)
    >>> cskpi.dask.answer_time_percentile(waits, quantile=[0.5, 0.8, 0.9]).seconds.tolist()
    [15.0, 40.0, 90.0]

    With at most 5 distinct waits kept exactly, the waits are rounded up to 10 s bins:

    >>> rounded = cskpi.dask.answer_time_percentile(
    ...     waits, quantile=0.5, resolution_seconds=10, max_exact_values=5
    ... )
    >>> rounded.seconds
    20.0
    """
    _service_level.quantile_levels(quantile)
    check_abandoned_policy(abandoned_policy)
    if confidence_level is not None:
        check_confidence_level(confidence_level)
    # Either the counts or their Delayed, as ``compute`` says.
    counts: Any = answer_time_counts(
        wait_seconds,
        abandoned=abandoned,
        by=by,
        resolution_seconds=resolution_seconds,
        max_exact_values=max_exact_values,
        split_every=split_every,
        compute=compute,
    )
    if check_compute(compute):
        return _percentiles_of(counts, quantile, abandoned_policy, confidence_level)
    return dask_module("dask").delayed(_percentiles_of, pure=True)(
        counts, quantile, abandoned_policy, confidence_level
    )


# --------------------------------------------------------------------------- tickets


def _in_memory(value: Any, name: str) -> Any:
    if is_collection(value):
        raise InvalidTypeError(
            f"{name} must be in memory (a list, numpy array or one timestamp), the same for every "
            f"partition; got {type(value).__name__} (compute it first)"
        )
    return value


@overload
def open_cases(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    by: None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> OpenCases: ...


@overload
def open_cases(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    by: Any,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[OpenCases]: ...


@overload
def open_cases(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[OpenCases | Grouped[OpenCases]]: ...


@overload
def open_cases(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> OpenCases | Grouped[OpenCases] | Lazy[OpenCases | Grouped[OpenCases]]: ...


@derived(_tickets.open_cases)
def open_cases(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    by: Any = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """Each ticket counts on its own, so the counts of disjoint sets of tickets add:
    exact. ``instants`` are in memory, the same for every partition.

    Examples
    --------
    Ticket A open 09:00-11:00, B 10:00-still open, C 10:30-10:45, one ticket a chunk:

    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> created = np.array(["2024-05-13T09:00", "2024-05-13T10:00", "2024-05-13T10:30"], "M8[m]")
    >>> resolved = np.array(["2024-05-13T11:00", "NaT", "2024-05-13T10:45"], "M8[m]")
    >>> at = ["2024-05-13T10:40", "2024-05-13T11:00", "2024-05-13T12:00"]
    >>> cskpi.dask.open_cases(da.from_array(created, chunks=1), da.from_array(resolved, chunks=1), at).n_open
    array([3, 2, 1])
    """
    from ._kpi.tickets import open_cases as memory_open_cases

    return run(
        memory_open_cases,
        (created, resolved, _in_memory(instants, "instants")),
        {"by": by},
        required=("created", "resolved", "by"),
        split_every=split_every,
        compute=compute,
    )


@overload
def backlog(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    age_limit_seconds: Any,
    calendar: Any = None,
    by: None = None,
    tz: str | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Backlog: ...


@overload
def backlog(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    age_limit_seconds: Any,
    calendar: Any = None,
    by: Any,
    tz: str | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[Backlog]: ...


@overload
def backlog(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    age_limit_seconds: Any,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[Backlog | Grouped[Backlog]]: ...


@overload
def backlog(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    age_limit_seconds: Any,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Backlog | Grouped[Backlog] | Lazy[Backlog | Grouped[Backlog]]: ...


@derived(_tickets.backlog)
def backlog(
    created: Any,
    resolved: Any,
    instants: Any,
    *,
    age_limit_seconds: Any,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """Each ticket counts on its own, so the counts of disjoint sets of tickets add:
    exact. ``instants`` are in memory, the same for every partition.

    Examples
    --------
    At 12:00, A (09:00) and B (11:30) are open; only A is two hours old:

    >>> import pytest; da = pytest.importorskip("dask.array")
    >>> import numpy as np
    >>> import cskpi.dask
    >>> created = da.from_array(np.array(["2024-05-13T09:00", "2024-05-13T11:30"], "M8[m]"), chunks=1)
    >>> resolved = da.from_array(np.array(["NaT", "NaT"], "M8[m]"), chunks=1)
    >>> result = cskpi.dask.backlog(created, resolved, ["2024-05-13T12:00"], age_limit_seconds=7200)
    >>> result.n_open.tolist(), result.n_backlog.tolist()
    ([2], [1])
    """
    from ._kpi.tickets import backlog as memory_backlog

    return run(
        memory_backlog,
        (created, resolved, _in_memory(instants, "instants")),
        {"age_limit_seconds": age_limit_seconds, "calendar": calendar, "by": by, "tz": tz},
        required=("created", "resolved", "by"),
        split_every=split_every,
        compute=compute,
    )


_SPECIAL.update(
    volume=volume,
    answer_time_percentile=answer_time_percentile,
    repeat_contact_retention=repeat_contact_retention,
)


# --------------------------------------------------------------------------- durations


def _durations(
    function: Callable[..., Any],
    cls: type[Any],
    created: Any,
    ended: Any,
    options: dict[str, Any],
    resolution_seconds: Any,
    max_exact_values: Any,
    split_every: Any,
    compute: Any,
) -> Any:
    resolution = duration_seconds(resolution_seconds, "resolution_seconds", positive=True)
    limit = check_max_exact(max_exact_values)
    return run(
        function,
        (created, ended),
        options,
        required=(*list(inspect.signature(function).parameters)[:2], "by"),
        split_every=split_every,
        compute=compute,
        partition=functools.partial(
            duration_partition, function, resolution_seconds=resolution, max_exact_values=limit
        ),
        finish=functools.partial(duration_finish, cls=cls),
        check_options=False,
    )


@overload
def first_response_time(
    created: Any,
    first_reply: Any,
    *,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> ResponseTime: ...


@overload
def first_response_time(
    created: Any,
    first_reply: Any,
    *,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[ResponseTime]: ...


@overload
def first_response_time(
    created: Any,
    first_reply: Any,
    *,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> ResponseTime | Lazy[ResponseTime]: ...


@derived(_responses.first_response_time)
def first_response_time(
    created: Any,
    first_reply: Any,
    *,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """The totals (counts, sums) merge exactly; the median and p90 are read from a merged
    count of tickets per (group, duration) (:func:`count_answer_times`): equal to the
    in-memory ones while the data has at most ``max_exact_values`` distinct (group,
    duration) pairs, else each rounded up to the next multiple of
    ``resolution_seconds``.

    Examples
    --------
    Replies after 10, 30 and 60 minutes, one ticket open, in two partitions:

    >>> import pytest; dd = pytest.importorskip("dask.dataframe")
    >>> import pandas as pd
    >>> import cskpi.dask
    >>> tickets = dd.from_pandas(pd.DataFrame({
    ...     "created": pd.to_datetime(["2024-05-13 09:00", "2024-05-13 10:00", "2024-05-13 11:00",
    ...                                "2024-05-13 12:00"]),
    ...     "reply": pd.to_datetime(["2024-05-13 09:10", "2024-05-13 10:30", "2024-05-13 12:00", None]),
    ... }), npartitions=2)
    >>> frt = cskpi.dask.first_response_time(tickets["created"], tickets["reply"])
    >>> frt.n, frt.median_seconds / 60, frt.p90_seconds / 60
    (3, 30.0, 60.0)
    """
    from ._kpi.responses import ResponseTime
    from ._kpi.responses import first_response_time as memory

    return _durations(
        memory,
        ResponseTime,
        created,
        first_reply,
        {"calendar": calendar, "by": by, "tz": tz},
        resolution_seconds,
        max_exact_values,
        split_every,
        compute,
    )


@overload
def resolution_time(
    created: Any,
    resolved: Any,
    *,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> ResolutionTime: ...


@overload
def resolution_time(
    created: Any,
    resolved: Any,
    *,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[ResolutionTime]: ...


@overload
def resolution_time(
    created: Any,
    resolved: Any,
    *,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> ResolutionTime | Lazy[ResolutionTime]: ...


@derived(_responses.resolution_time)
def resolution_time(
    created: Any,
    resolved: Any,
    *,
    calendar: Any = None,
    by: Any = None,
    tz: str | None = None,
    resolution_seconds: float = DEFAULT_RESOLUTION_SECONDS,
    max_exact_values: int | None = DEFAULT_MAX_EXACT_VALUES,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """As :func:`first_response_time`, with ``resolved`` as the end: totals exact, median
    and p90 from a merged count of tickets per (group, duration).

    Examples
    --------
    >>> import pytest; dd = pytest.importorskip("dask.dataframe")
    >>> import pandas as pd
    >>> import cskpi.dask
    >>> tickets = dd.from_pandas(pd.DataFrame({
    ...     "created": pd.to_datetime(["2024-05-13 09:00"] * 3),
    ...     "resolved": pd.to_datetime(["2024-05-13 11:00", "2024-05-13 15:00", None]),
    ... }), npartitions=2)
    >>> result = cskpi.dask.resolution_time(tickets["created"], tickets["resolved"])
    >>> result.mean_seconds / 3600, result.n, result.n_unresolved
    (4.0, 2, 1)
    """
    from ._kpi.responses import ResolutionTime
    from ._kpi.responses import resolution_time as memory

    return _durations(
        memory,
        ResolutionTime,
        created,
        resolved,
        {"calendar": calendar, "by": by, "tz": tz},
        resolution_seconds,
        max_exact_values,
        split_every,
        compute,
    )


_SPECIAL.update(first_response_time=first_response_time, resolution_time=resolution_time)


@overload
def fcr_repeat_contact(
    customer_ids: Any,
    timestamps: Any,
    *,
    window_seconds: Any = 604800,
    reasons: Any = None,
    end: Any = None,
    by: None = None,
    partitioned_by_customer: bool = False,
    npartitions: int | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> RepeatContactFCR: ...


@overload
def fcr_repeat_contact(
    customer_ids: Any,
    timestamps: Any,
    *,
    window_seconds: Any = 604800,
    reasons: Any = None,
    end: Any = None,
    by: Any,
    partitioned_by_customer: bool = False,
    npartitions: int | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[True] = True,
) -> Grouped[RepeatContactFCR]: ...


@overload
def fcr_repeat_contact(
    customer_ids: Any,
    timestamps: Any,
    *,
    window_seconds: Any = 604800,
    reasons: Any = None,
    end: Any = None,
    by: Any = None,
    partitioned_by_customer: bool = False,
    npartitions: int | None = None,
    split_every: int = SPLIT_EVERY,
    compute: Literal[False],
) -> Lazy[RepeatContactFCR | Grouped[RepeatContactFCR]]: ...


@overload
def fcr_repeat_contact(
    customer_ids: Any,
    timestamps: Any,
    *,
    window_seconds: Any = 604800,
    reasons: Any = None,
    end: Any = None,
    by: Any = None,
    partitioned_by_customer: bool = False,
    npartitions: int | None = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> RepeatContactFCR | Grouped[RepeatContactFCR] | Lazy[RepeatContactFCR | Grouped[RepeatContactFCR]]: ...


@derived(_tickets.fcr_repeat_contact)
def fcr_repeat_contact(
    customer_ids: Any,
    timestamps: Any,
    *,
    window_seconds: Any = 604800,
    reasons: Any = None,
    end: Any = None,
    by: Any = None,
    partitioned_by_customer: bool = False,
    npartitions: int | None = None,
    split_every: int = SPLIT_EVERY,
    compute: bool = True,
) -> Any:
    """A repeat is seen only where both contacts of a customer are: the rows are shuffled
    by customer first, the in-memory function runs on each partition with ``end``
    defaulting to the latest timestamp of all rows, and the counts (of disjoint
    customers) add.

    Examples
    --------
    Customer 7 calls again two days later, the two calls in different partitions; the
    last contact (9, on the last day) is too recent to judge: 2 of 3 resolved.

    >>> import pytest; dd = pytest.importorskip("dask.dataframe")
    >>> import pandas as pd
    >>> import cskpi.dask
    >>> records = dd.from_pandas(pd.DataFrame({
    ...     "customer": [7, 8, 9, 7],
    ...     "at": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-02-20", "2024-01-03"]),
    ... }), npartitions=2, sort=False)
    >>> result = cskpi.dask.fcr_repeat_contact(records["customer"], records["at"])
    >>> result.n_contacts, result.n_censored, result.n_resolved
    (3, 1, 2)
    """
    from ._kpi.tickets import fcr_repeat_contact as memory

    return _whole_history(
        memory,
        (customer_ids, timestamps),
        {"window_seconds": window_seconds, "reasons": reasons, "end": end, "by": by},
        key="customer_ids",
        partitioned_by_customer=partitioned_by_customer,
        npartitions=npartitions,
        split_every=split_every,
        compute=compute,
    )
