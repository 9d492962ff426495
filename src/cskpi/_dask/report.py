"""The KPI report and the standards on a Dask DataFrame, computed where the partitions live.

Two passes over the data:

1. **The grid** (small): each partition gives its earliest and latest period, its
   group labels, its latest timestamp and its row count; merged, they fix the
   report's cells (groups x periods), as :func:`cskpi.kpi_report` would on all rows.
2. **The figures** (one ``dask.compute``): each partition is read as a contacts
   table, placed on that grid, and measured with the report's own code; it returns
   only partial results per cell (counts and sums, the dense result of each
   mergeable metric, duration histograms, and the rows each figure used and left
   out, per reason), which merge with ``+`` in a tree. The repeat-contact retention
   shuffles the rows by customer first (a customer's first contact decides their
   cohort, in each group with ``by``), then counts each partition's cohorts per
   cell. The client then assembles the report from the merged parts with the same
   code as in memory: values, intervals, changes, trend and standards.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.errors import InvalidInputError, UndefinedMetricWarning
from .._core.labels import factorize
from .._core.time import check_period, period_ordinals, period_starts
from .._kpi.responses import ResolutionTime, ResponseTime, first_response_time, resolution_time
from .._report.io import ROLES, ContactsTable, as_table
from .._report.report import (
    KPIReport,
    PlannedKPI,
    RetentionCounts,
    assemble_report,
    open_cases_measured,
    report_plan,
    retention_counts,
    retention_measured,
)
from .._report.standards import (
    MAX_PERIODS,
    MERGEABLE_MEASURES,
    Cells,
    Grid,
    Measured,
    Standard,
    StandardResults,
    build_cells,
    check_cells,
    check_years,
    duration_excluded,
    duration_inputs,
    measure,
    measured_from_result,
    standard_results,
)
from . import engine

__all__ = ["evaluate_standards_on_dask", "kpi_report_on_dask"]

_DURATIONS: dict[str, tuple[Callable[..., Any], type[Any], str]] = {
    "first_response_time": (first_response_time, ResponseTime, "first_reply"),
    "resolution_time": (resolution_time, ResolutionTime, "resolved"),
}
_STATISTICS = {"mean": "mean_seconds", "median": "median_seconds", "p90": "p90_seconds"}


@attrs.frozen(kw_only=True)
class _Options:
    """What every partition needs to read itself as the report's contacts table."""

    columns: Mapping[str, str] | None
    tz: str | None
    period: str | None
    by: str | None
    level: float


def _table(part: Any, options: _Options) -> ContactsTable:
    return as_table(part, options.columns, options.tz, by=options.by)


# --------------------------------------------------------------------------- 1. the grid


@attrs.frozen(kw_only=True)
class _GridPart:
    n_rows: int
    first: int
    last: int
    earliest: np.datetime64
    latest: np.datetime64
    groups: NDArray[Any] | None

    def __add__(self, other: _GridPart) -> _GridPart:
        groups = None
        if self.groups is not None and other.groups is not None:
            both = np.concatenate([self.groups, other.groups])
            groups = factorize(both, both.shape[0], name="by").labels[0]
        return _GridPart(
            n_rows=self.n_rows + other.n_rows,
            first=min(self.first, other.first),
            last=max(self.last, other.last),
            earliest=min(self.earliest, other.earliest),
            latest=max(self.latest, other.latest),
            groups=groups,
        )


def _grid_part(part: Any, options: _Options) -> _GridPart | None:
    table = _table(part, options)
    if table.n_rows == 0:
        return None
    created = table.local("created")
    check_years(table, created)  # a mistyped year, named in its partition and file
    ordinals = period_ordinals(created, check_period(options.period)) if options.period else np.zeros(1)
    groups = None
    if options.by is not None:
        groups = factorize(table.labels(options.by), table.n_rows, name=options.by).labels[0]
    return _GridPart(
        n_rows=table.n_rows,
        first=int(ordinals.min()),
        last=int(ordinals.max()),
        earliest=created.min(),
        latest=created.max(),
        groups=groups,
    )


def _cells(grid: Grid, options: _Options) -> Cells:
    """The report's cells without rows: the grid's groups and periods."""
    periods = None
    if options.period is not None:
        ordinals = np.arange(grid.first, grid.first + grid.n_periods, dtype=np.int64)
        periods = period_starts(ordinals, check_period(options.period))
    return Cells(
        codes=np.zeros(0, dtype=np.intp),
        n_groups=1 if grid.groups is None else grid.groups.shape[0],
        n_periods=grid.n_periods,
        groups=grid.groups,
        periods=periods,
        period=options.period,
        by=options.by,
    )


# --------------------------------------------------------------------------- 2. the figures


@attrs.frozen
class _Request:
    """One figure to measure: a key, how, the metric and its parameters."""

    key: str
    how: str
    metric: str
    params: Mapping[str, Any]


def _sum_counts(
    first: Mapping[str, NDArray[np.int64]], second: Mapping[str, NDArray[np.int64]]
) -> dict[str, NDArray[np.int64]]:
    return {reason: counts + second[reason] for reason, counts in first.items()}


@attrs.frozen
class _Part:
    """A figure's partial result over some partitions, with the rows it used and left out per cell."""

    figure: Any
    excluded: Mapping[str, NDArray[np.int64]]
    n_used: NDArray[np.int64] | None

    def __add__(self, other: _Part) -> _Part:
        n_used = None if self.n_used is None or other.n_used is None else self.n_used + other.n_used
        return _Part(self.figure + other.figure, _sum_counts(self.excluded, other.excluded), n_used)


@attrs.frozen
class _Parts:
    """Partial results of some partitions, by figure key; merge with ``+``."""

    parts: Mapping[str, _Part]

    def __add__(self, other: _Parts) -> _Parts:
        return _Parts({key: value + other.parts[key] for key, value in self.parts.items()})


def _measure_part(part: Any, options: _Options, grid: Grid, requests: tuple[_Request, ...]) -> _Parts | None:
    """Every requested figure's partial result over one partition, on the report's grid."""
    from ..dask import count_answer_times  # the duration histogram of cskpi.dask

    table = _table(part, options)
    if table.n_rows == 0:
        return None
    cells = build_cells(table, options.period, options.by, grid)
    parts: dict[str, _Part] = {}
    # warnings.catch_warnings is not thread-safe: on a threaded scheduler, partitions
    # measured at once would restore each other's filters.
    with engine.WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for request in requests:
            if request.how == "volume":
                counts = np.bincount(cells.codes, minlength=cells.n_cells).astype(np.int64)
                parts[request.key] = _Part(counts, {}, None)
            elif request.how == "open_cases":
                found = open_cases_measured(table, cells)
                parts[request.key] = _Part(found.values, found.excluded, found.n_used)
            elif request.metric in MERGEABLE_MEASURES:
                found = measure(request.metric, dict(request.params), table, cells, options.level)
                parts[request.key] = _Part(found.result, found.excluded, found.n_used)
            else:  # a duration: totals per cell and a histogram of durations per cell
                function, _, end_role = _DURATIONS[request.metric]
                (created, end), codes, calendar, call = duration_inputs(
                    table, cells, end_role, request.params
                )
                totals = call(function, created, end, calendar=calendar, by=codes).totals
                seconds = _elapsed(created, end, calendar)
                histogram = count_answer_times(seconds, by=_measured_codes(end, codes))
                excluded = duration_excluded(table, cells, end_role)
                parts[request.key] = _Part(_Durations(totals, histogram), excluded, None)
    return _Parts(parts)


def _measured_codes(end: Any, codes: NDArray[np.intp]) -> NDArray[np.intp]:
    from .._core.time import parse_times

    measured: NDArray[np.intp] = codes[~np.isnat(parse_times(end, "end", allow_nat=True).stamps)]
    return measured


def _elapsed(created: Any, end: Any, calendar: Any) -> NDArray[np.float64]:
    """Seconds from start to end of the measured items, in the order of the rows."""
    from .._core.business_hours import business_seconds
    from .._core.time import parse_times

    start_at = parse_times(created, "created").stamps
    end_at = parse_times(end, "end", allow_nat=True).stamps
    measured = ~np.isnat(end_at)
    if calendar is None:
        seconds: NDArray[np.float64] = (end_at[measured] - start_at[measured]) / np.timedelta64(1, "s")
        return seconds.astype(np.float64)
    return np.asarray(business_seconds(created[measured], end[measured], calendar=calendar), dtype=np.float64)


@attrs.frozen
class _Durations:
    totals: Any
    counts: Any

    def __add__(self, other: _Durations) -> _Durations:
        return _Durations(self.totals + other.totals, self.counts + other.counts)


def _finish(request: _Request, merged: _Part, cells: Cells, level: float) -> Measured:
    """A figure over all cells from its merged partial result."""
    excluded = dict(merged.excluded)
    if request.how == "volume":
        return Measured(values=merged.figure.astype(np.float64), n=merged.figure)
    if request.how == "open_cases":
        values = merged.figure
        return Measured(values=values, n=values.astype(np.int64), n_used=merged.n_used, excluded=excluded)
    if request.metric in MERGEABLE_MEASURES:
        return measured_from_result(request.metric, request.params, merged.figure, level, excluded=excluded)
    totals, counts = merged.figure.totals, merged.figure.counts
    values = np.full(cells.n_cells, np.nan)
    n = np.zeros(cells.n_cells, dtype=np.int64)
    labels = np.asarray(totals.labels, dtype=np.intp)
    n[labels] = np.asarray(totals.n)
    statistic = request.params["statistic"]
    if statistic == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            values[labels] = np.asarray(totals.values.total_seconds) / np.asarray(totals.n)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            fraction = 0.5 if statistic == "median" else 0.9
            found = counts.percentiles(quantile=fraction, abandoned_policy="exclude")
        if found.labels is not None:
            values[np.asarray(found.labels, dtype=np.intp)] = np.asarray(found.seconds, dtype=np.float64)
    return Measured(values=values, n=n, excluded=excluded)


def _grid(frame: Any, options: _Options, split_every: int) -> tuple[Grid, _GridPart]:
    dask = engine.dask_module("dask")
    (total,) = dask.compute(engine.tree(_tasks(_grid_part, frame, options), split_every))
    if total is None:
        raise InvalidInputError("contacts must hold at least one contact; got no data rows")
    n_periods = total.last - total.first + 1
    if n_periods > MAX_PERIODS:
        raise InvalidInputError(
            f"period={options.period!r} gives {n_periods:,} periods from "
            f"{total.earliest.astype('datetime64[s]')} to {total.latest.astype('datetime64[s]')}, more than "
            f"{MAX_PERIODS:,}; use a coarser period"
        )
    n_groups = 1 if total.groups is None else total.groups.shape[0]
    check_cells(n_groups, n_periods, options.period, options.by)
    return Grid(groups=total.groups, first=total.first, n_periods=n_periods), total


def _located(function: Callable[..., Any], index: int, files: Any, part: Any, *args: Any) -> Any:
    """``function(part, *args)`` on one partition, its errors naming the partition (and file)."""
    return engine.call_partition(function, index, (part,), {}, (engine.Slot(0), *args), {}, files)


def _tasks(function: Callable[..., Any], frame: Any, *args: Any) -> list[Any]:
    """One delayed call of ``function`` per partition of ``frame``."""
    delayed = engine.dask_module("dask").delayed
    files = engine.parquet_files(frame)
    return [
        delayed(_located, pure=True)(function, i, None if files is None else files[i], part, *args)
        for i, part in enumerate(frame.to_delayed())
    ]


def _used_columns(meta: ContactsTable, by: str | None) -> list[str]:
    """The frame's columns the report reads: every column of a role present, and ``by``'s."""
    used = [name for role in ROLES if meta.has(role) for name in meta.spec(role).columns]
    if by is not None:
        used.append(meta.column_of(by) if by in ROLES else by)
    names = set(meta.column_names)
    return [name for name in dict.fromkeys(used) if name in names]


def _measure_all(
    frame: Any,
    options: _Options,
    requests: tuple[_Request, ...],
    retention: bool,
    split_every: int = engine.SPLIT_EVERY,
) -> tuple[Cells, dict[str, Measured], RetentionCounts | None, int]:
    """The grid, then every figure in one ``dask.compute``; the retention counts when asked."""
    dask = engine.dask_module("dask")
    meta = _table(frame._meta, options)
    if not meta.has("created"):
        raise meta.missing("created", "needed to place contacts in periods (when the contact arrived)")
    # Only the columns the report reads travel from the files: the grid needs the
    # creation time (its columns) and the group column.
    by = None if options.by is None else (meta.column_of(options.by) if options.by in ROLES else options.by)
    frame = frame[_used_columns(meta, options.by)]
    grid_columns = [*meta.spec("created").columns] + ([by] if by is not None else [])
    grid, total = _grid(
        frame[[c for c in dict.fromkeys(grid_columns) if c in frame.columns]], options, split_every
    )
    cells = _cells(grid, options)
    lazy: list[Any] = [engine.tree(_tasks(_measure_part, frame, options, grid, requests), split_every)]
    if retention:
        shuffled = frame.shuffle(on=meta.column_of("customer"))
        lazy.append(engine.tree(_tasks(_retention_part, shuffled, options, grid, total.latest), split_every))
    computed = dask.compute(*lazy)
    merged = computed[0]
    measured = {
        request.key: _finish(request, merged.parts[request.key], cells, options.level) for request in requests
    }
    counts = computed[1] if retention else None
    return cells, measured, counts, total.n_rows


def _retention_part(
    part: Any, options: _Options, grid: Grid, latest: np.datetime64
) -> RetentionCounts | None:
    """A partition's repeat-contact cohorts per cell (shuffled: it holds every row of its customers)."""
    table = _table(part, options)
    if table.n_rows == 0:
        return None
    cells = build_cells(table, options.period, options.by, grid)
    with engine.WARNINGS_LOCK:  # retention_counts sets warning filters
        return retention_counts(table, cells, latest)


def kpi_report_on_dask(
    frame: Any,
    *,
    period: str,
    by: str | None,
    columns: Mapping[str, str] | None,
    standards: tuple[Standard, ...] | None,
    baseline: Any,
    tz: str | None,
    settings: dict[str, Any],
) -> KPIReport:
    """:func:`cskpi.kpi_report` of a Dask DataFrame (see the module notes)."""
    level = settings["confidence_level"]
    options = _Options(columns=columns, tz=tz, period=period, by=by, level=level)
    meta = _table(frame._meta, options)
    plan: list[PlannedKPI] = report_plan(meta.has, settings)
    requests = [
        _Request(item.key, item.how, item.metric, item.params) for item in plan if item.how != "retention"
    ]
    requests += [
        _Request(f"standard {i}", "measure", item.metric, item.parameters)
        for i, item in enumerate(standards or ())
    ]
    _check_requests(requests)
    retention = any(item.how == "retention" for item in plan)
    cells, measured, counts, n_rows = _measure_all(frame, options, tuple(requests), retention)
    cohorts = None
    if counts is not None:
        measured["retention"] = retention_measured(counts, cells)
        cohorts = counts.cohorts
    results: StandardResults | None = None
    if standards:
        measures = [measured[f"standard {i}"] for i in range(len(standards))]
        results = standard_results(standards, measures, cells, level)
    return assemble_report(
        plan,
        measured,
        cells,
        baseline,
        results,
        cohorts,
        n_contacts=n_rows,
        source=meta.source,
        settings=settings,
    )


def evaluate_standards_on_dask(
    standards: tuple[Standard, ...],
    frame: Any,
    *,
    period: str | None,
    by: str | None,
    columns: Mapping[str, str] | None,
    level: float,
    tz: str | None,
) -> StandardResults:
    """:func:`cskpi.evaluate_standards` of a Dask DataFrame (see the module notes)."""
    options = _Options(columns=columns, tz=tz, period=period, by=by, level=level)
    requests = [
        _Request(f"standard {i}", "measure", item.metric, item.parameters) for i, item in enumerate(standards)
    ]
    _check_requests(requests)
    cells, measured, _, _ = _measure_all(frame, options, tuple(requests), False)
    return standard_results(standards, [measured[request.key] for request in requests], cells, level)


def _check_requests(requests: list[_Request]) -> None:
    for request in requests:
        if (
            request.how == "measure"
            and request.metric not in MERGEABLE_MEASURES
            and request.metric not in _DURATIONS
        ):
            raise InvalidInputError(
                f"{request.metric} is not available on a Dask DataFrame: its distribution-free interval "
                "needs every wait of a cell in one place; compute it in memory, or use service_level"
            )
