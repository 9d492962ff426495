"""The KPI report and the standards on a Dask DataFrame, computed where the partitions live.

One pass over the data (one ``dask.compute``): each partition is read as a contacts
table, placed on *its own* cells (its groups x the periods from its first contact to
its last, keyed by absolute period ordinals, periods since 1970), and measured with
the report's own code. It returns only partial results per cell (counts and sums, the
dense result of each mergeable metric, duration histograms, and the rows each figure
used and left out, per reason). Two partial results merge with ``+`` in a tree: the
union of their groups and periods is the merged cells, and each part is moved onto
them (a scatter of its per-cell arrays), then added. The merged cells are the
report's cells: every group seen, every period from the first contact to the last,
as :func:`cskpi.kpi_report` finds on all rows. Open cases count per cell the tickets
created and, per period of any later date, the tickets resolved, so that a ticket
resolved after its partition's last period still closes in the report's. The
repeat-contact retention shuffles the rows by customer first (a customer's first
contact decides their cohort, in each group with ``by``), then counts each
partition's cohorts the same way. The client then assembles the report from the
merged parts with the same code as in memory: values, intervals, changes, trend
and standards.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.errors import InvalidInputError, UndefinedMetricWarning
from .._core.histogram import ValueCounts
from .._core.labels import factorize
from .._core.optional import optional_module
from .._core.results import stat_names
from .._core.time import check_period, period_ordinals, period_starts
from .._kpi.responses import first_response_time, resolution_time, start_end_seconds
from .._kpi.tickets import open_cases
from .._report.io import ROLES, ContactsTable, as_table
from .._report.report import (
    KPIReport,
    PlannedKPI,
    RetentionCounts,
    assemble_report,
    report_plan,
    retention_counts,
    retention_measured,
)
from .._report.standards import (
    MAX_PERIODS,
    MERGEABLE_MEASURES,
    NO_WAIT,
    STANDARD_METRICS,
    Cells,
    Measured,
    MetricCall,
    Standard,
    StandardResults,
    build_cells,
    check_cells,
    check_roles,
    dense,
    duration_excluded,
    duration_inputs,
    excluded_rows,
    measure,
    measured_from_result,
    never_queued,
    per_cell,
    queued_waits,
    standard_results,
    without_intervals,
)
from . import engine
from .partials import count_answer_times

__all__ = ["evaluate_standards_on_dask", "kpi_report_on_dask"]

_DURATIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "first_response_time": (first_response_time, "first_reply"),
    "resolution_time": (resolution_time, "resolved"),
}


@attrs.frozen(kw_only=True)
class _Options:
    """What every partition needs to read itself as the report's contacts table."""

    columns: Mapping[str, str] | None
    tz: str | None
    period: str | None
    by: str | None
    level: float


def _table(part: Any, options: _Options) -> ContactsTable:
    return as_table(_arrow_table(part), options.columns, options.tz, by=options.by)


def _arrow_table(part: Any) -> Any:
    """A pandas partition's columns, its text as pyarrow arrays; other partitions as they are.

    Dask's Parquet reader gives text columns backed by Arrow: handed over without
    copies, they are factorised from Arrow's dictionary encoding and never become
    Python objects. Numbers, flags and timestamps stay pandas columns, read as an
    in-memory pandas frame's are (NaN stays NaN, no null bitmap to build and fill).
    """
    pa = optional_module("pyarrow")
    if pa is None or not hasattr(part, "columns") or not hasattr(part, "dtypes"):
        return part
    columns: dict[str, Any] = {}
    for name, dtype in part.dtypes.items():
        column = part[name]
        if type(dtype).__name__ in ("StringDtype", "ArrowDtype") and getattr(dtype, "kind", "O") in "OSU":
            with contextlib.suppress(pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                column = pa.array(column)  # else read as pandas text
        columns[str(name)] = column
    return columns


@attrs.frozen
class _Request:
    """One figure to measure: a key, how, the metric and its parameters."""

    key: str
    how: str
    metric: str
    params: Mapping[str, Any]


# --------------------------------------------------------------------------- cells of parts


@attrs.frozen
class _Span:
    """The cells of some partitions: their groups (sorted labels) and their periods (absolute ordinals)."""

    groups: NDArray[Any] | None = attrs.field(eq=False)
    first: int
    n_periods: int

    @property
    def n_groups(self) -> int:
        return 1 if self.groups is None else int(self.groups.shape[0])

    def same(self, other: _Span) -> bool:
        if (self.first, self.n_periods) != (other.first, other.n_periods):
            return False
        if self.groups is None or other.groups is None:
            return self.groups is other.groups
        return self.groups.shape == other.groups.shape and bool(np.all(self.groups == other.groups))


@attrs.frozen
class _Move:
    """Where a part's cells go among merged cells: cell i to ``index[i]``, group g to ``groups[g]``."""

    index: NDArray[np.intp]
    groups: NDArray[np.intp]
    n_cells: int


def _union(first: _Span, second: _Span) -> tuple[_Span, _Move, _Move]:
    """The cells of both spans (groups and periods of either), and where each span's cells go."""
    groups = None
    if first.groups is not None and second.groups is not None:
        both = np.concatenate([first.groups, second.groups])
        groups = factorize(both, both.shape[0], name="by").labels[0]
    start = min(first.first, second.first)
    end = max(first.first + first.n_periods, second.first + second.n_periods)
    span = _Span(groups, start, end - start)

    def move(part: _Span) -> _Move:
        group_index = (
            np.zeros(1, dtype=np.intp)
            if groups is None
            else np.searchsorted(groups, part.groups).astype(np.intp)  # type: ignore[arg-type]
        )
        shift = part.first - start
        index = (group_index[:, None] * span.n_periods + shift + np.arange(part.n_periods)).reshape(-1)
        return _Move(index.astype(np.intp), group_index, span.n_groups * span.n_periods)

    return span, move(first), move(second)


def _moved(value: Any, move: _Move) -> Any:
    """A partial result over a part's cells, placed on the merged cells (zeros elsewhere)."""
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        placed = np.zeros((move.n_cells, *value.shape[1:]), dtype=value.dtype)
        placed[move.index] = value
        return placed
    if isinstance(value, dict):
        return {key: _moved(item, move) for key, item in value.items()}
    if isinstance(value, ValueCounts):  # labelled by cell code; the move keeps their order
        return attrs.evolve(value, labels=(move.index[np.asarray(value.labels[0], dtype=np.intp)],))
    if isinstance(value, _Part | _Durations | _OpenEvents):
        return value.moved(move)
    if isinstance(value, RetentionCounts):  # its cohort table is on the calendar already
        arrays = {name: _moved(getattr(value, name), move) for name in ("sizes", "back", "n_used", "no_id")}
        return attrs.evolve(value, **arrays)
    # A dense result: every statistic has one row per cell.
    return attrs.evolve(
        value, **{name: _moved(np.asarray(getattr(value, name)), move) for name in stat_names(type(value))}
    )


@attrs.frozen
class _Stamp:
    """A partition's earliest or latest contact, and where it is (for messages)."""

    at: np.datetime64
    where: str


@attrs.frozen
class _OnSpan:
    """Partial results of some partitions over their cells; merge with ``+``."""

    span: _Span
    value: Any
    n_rows: int
    earliest: _Stamp
    latest: _Stamp

    def __add__(self, other: _OnSpan) -> _OnSpan:
        if self.span.same(other.span):
            span, value = self.span, _added(self.value, other.value)
        else:
            span, mine, theirs = _union(self.span, other.span)
            value = _added(_moved(self.value, mine), _moved(other.value, theirs))
        return _OnSpan(
            span,
            value,
            self.n_rows + other.n_rows,
            min(self.earliest, other.earliest, key=lambda stamp: stamp.at),
            max(self.latest, other.latest, key=lambda stamp: stamp.at),
        )


def _added(first: Any, second: Any) -> Any:
    if isinstance(first, dict):
        return {key: value + second[key] for key, value in first.items()}
    return first + second


def _where(index: int, files: tuple[str, ...] | None, part: Any, column: str, position: int) -> str:
    """``partition i, file f, column 'c', row r of the file`` (the row where the reader numbers rows)."""
    where = f"partition {index}"
    if files:
        where += ", file " + ", ".join(path.rsplit("/", 1)[-1] for path in files)
    where += f", column {column!r}"
    labels = getattr(part, "index", None)
    if files and len(files) == 1 and labels is not None and np.issubdtype(labels.dtype, np.integer):
        return f"{where}, row {int(labels[position])} of the file"
    return f"{where}, index {position} of the partition"


def _on_cells(
    part: Any, index: int, files: tuple[str, ...] | None, options: _Options, measure_cells: Callable[..., Any]
) -> _OnSpan | None:
    """``measure_cells(table, cells)`` over one partition's own cells, with the span of those cells."""
    table = _table(part, options)
    if table.n_rows == 0:
        return None
    cells = build_cells(table, options.period, options.by)  # checks years and the span, naming the row
    first = 0
    if options.period is not None:
        assert cells.periods is not None
        valid = check_period(options.period)
        first = int(period_ordinals(cells.periods[:1].astype("datetime64[s]"), valid)[0])
    span = _Span(cells.groups, first, cells.n_periods)
    created = table.local("created")
    low, high = int(np.argmin(created)), int(np.argmax(created))
    column = table.column_of("created")
    return _OnSpan(
        span,
        measure_cells(table, cells, first),
        table.n_rows,
        _Stamp(created[low], _where(index, files, part, column, low)),
        _Stamp(created[high], _where(index, files, part, column, high)),
    )


# --------------------------------------------------------------------------- the figures


@attrs.frozen
class _Part:
    """A figure's partial result over some cells, with the rows it used and left out per cell."""

    figure: Any
    excluded: Mapping[str, NDArray[np.int64]]
    n_used: NDArray[np.int64] | None

    def __add__(self, other: _Part) -> _Part:
        n_used = None if self.n_used is None or other.n_used is None else self.n_used + other.n_used
        return _Part(self.figure + other.figure, _added(self.excluded, other.excluded), n_used)

    def moved(self, move: _Move) -> _Part:
        return _Part(_moved(self.figure, move), _moved(dict(self.excluded), move), _moved(self.n_used, move))


@attrs.frozen
class _Durations:
    """Totals per cell (dense) and a histogram of durations per cell."""

    totals: Any
    counts: Any

    def __add__(self, other: _Durations) -> _Durations:
        return _Durations(self.totals + other.totals, self.counts + other.counts)

    def moved(self, move: _Move) -> _Durations:
        return _Durations(_moved(self.totals, move), _moved(self.counts, move))


@attrs.frozen
class _OpenEvents:
    """Tickets created per cell, and tickets resolved per (group, period ordinal) at any date.

    A ticket is open at the end of period p when created in p or before and not
    resolved by then: ``open = #{created <= p} - #{resolved <= p}`` (periods by
    ordinal), the :func:`cskpi.open_cases` count at the next period's start.
    """

    created: NDArray[np.int64]
    resolved_groups: NDArray[np.intp]
    resolved_ordinals: NDArray[np.int64]
    resolved_counts: NDArray[np.int64]

    def __add__(self, other: _OpenEvents) -> _OpenEvents:
        return _OpenEvents(
            self.created + other.created,
            np.concatenate([self.resolved_groups, other.resolved_groups]),
            np.concatenate([self.resolved_ordinals, other.resolved_ordinals]),
            np.concatenate([self.resolved_counts, other.resolved_counts]),
        )

    def moved(self, move: _Move) -> _OpenEvents:
        return _OpenEvents(
            _moved(self.created, move),
            move.groups[self.resolved_groups],
            self.resolved_ordinals,
            self.resolved_counts,
        )

    def open_at_ends(self, span: _Span) -> NDArray[np.float64]:
        """Open tickets at the end of each period of ``span``, per cell."""
        shape = (span.n_groups, span.n_periods)
        events = self.created.reshape(shape).astype(np.int64)
        offset = self.resolved_ordinals - span.first
        inside = offset < span.n_periods  # resolved after the last period: open at every end
        np.subtract.at(events, (self.resolved_groups[inside], offset[inside]), self.resolved_counts[inside])
        return np.cumsum(events, axis=1).reshape(-1).astype(np.float64)


def _open_events(table: ContactsTable, cells: Cells, first: int) -> _Part:
    """Tickets created per cell and resolved per (group, period) of one partition (abandoned left out)."""
    assert cells.period is not None
    valid = check_period(cells.period)
    abandoned = excluded_rows(table)
    rows = np.flatnonzero(~abandoned)
    created, resolved = table.local("created")[rows], table.local("resolved")[rows]
    # The checks of open_cases (a resolution before its creation raises, naming the row).
    MetricCall(table, {"created": "created", "resolved": "resolved"}, rows)(
        open_cases, created, resolved, created[:1]
    )
    done = ~np.isnat(resolved)
    ordinals, counts = np.unique(
        np.stack([cells.codes[rows][done] // cells.n_periods, period_ordinals(resolved[done], valid)]),
        axis=1,
        return_counts=True,
    )
    events = _OpenEvents(
        per_cell(cells, ~abandoned),
        ordinals[0].astype(np.intp),
        ordinals[1].astype(np.int64),
        counts.astype(np.int64),
    )
    excluded = {"abandoned": per_cell(cells, abandoned)} if table.has("abandoned") else {}
    return _Part(events, excluded, per_cell(cells, ~abandoned))


def _measure_cells(
    table: ContactsTable, cells: Cells, first: int, requests: tuple[_Request, ...], level: float
) -> dict[str, _Part]:
    """Every requested figure's partial result over one partition's cells."""
    parts: dict[str, _Part] = {}
    # warnings.catch_warnings is not thread-safe: on a threaded scheduler, partitions
    # measured at once would restore each other's filters.
    with engine.WARNINGS_LOCK, warnings.catch_warnings(), without_intervals():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for request in requests:
            if request.how == "volume":
                counts = np.bincount(cells.codes, minlength=cells.n_cells).astype(np.int64)
                parts[request.key] = _Part(counts, {}, None)
            elif request.how == "open_cases":
                parts[request.key] = _open_events(table, cells, first)
            elif request.metric in MERGEABLE_MEASURES:
                found = measure(request.metric, dict(request.params), table, cells, level)
                parts[request.key] = _Part(found.result, found.excluded, found.n_used)
            elif request.metric == "answer_time_percentile":
                parts[request.key] = _percentile_part(table, cells, request.params)
            else:  # a duration: totals per cell and a histogram of durations per cell
                function, end_role = _DURATIONS[request.metric]
                (created, end), codes, calendar, call = duration_inputs(
                    table, cells, end_role, request.params
                )
                totals = dense(
                    call(function, created, end, calendar=calendar, by=codes).totals, cells.n_cells
                )
                seconds, measured, _, _ = start_end_seconds(created, end, "created", end_role, calendar, None)
                histogram = count_answer_times(seconds[measured], by=codes[measured])
                excluded = duration_excluded(table, cells, end_role)
                parts[request.key] = _Part(_Durations(totals, histogram), excluded, None)
    return parts


def _percentile_part(table: ContactsTable, cells: Cells, params: Mapping[str, Any]) -> _Part:
    """Queued contacts counted per (cell, wait), and per cell those left out (as in memory)."""
    waits, abandoned, rows = queued_waits(table)  # the columns are checked on the frame (check_roles)
    codes = cells.codes[rows]
    call = MetricCall(table, {"wait_seconds": "wait_seconds", "abandoned": "abandoned"}, rows)
    counts = call(count_answer_times, waits, abandoned=abandoned, by=codes)
    excluded = {NO_WAIT: never_queued(table, cells)}
    if params["abandoned_policy"] == "exclude":
        gave_up = np.zeros(rows.shape[0], dtype=bool) if abandoned is None else abandoned
        excluded["not answered"] = np.bincount(codes[gave_up], minlength=cells.n_cells).astype(np.int64)
    return _Part(counts, excluded, None)


def _percentile_finish(merged: _Part, cells: Cells, params: Mapping[str, Any], level: float) -> Measured:
    """Percentile and distribution-free interval per cell from the merged counts of waits."""
    values, low, high = (np.full(cells.n_cells, np.nan) for _ in range(3))
    n = np.zeros(cells.n_cells, dtype=np.int64)
    counts = merged.figure
    if counts.seconds.shape[0]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            found = counts.percentiles(
                quantile=params["percentile"] / 100.0,  # the standards file gives a percent
                abandoned_policy=params["abandoned_policy"],
                confidence_level=level,
            )
        labels = np.asarray(found.labels, dtype=np.intp)
        values[labels], n[labels] = found.seconds, found.n
        low[labels], high[labels] = found.ci_low_seconds, found.ci_high_seconds
    return Measured(values=values, n=n, low=low, high=high, excluded=dict(merged.excluded))


def _finish(request: _Request, merged: _Part, cells: Cells, span: _Span, level: float) -> Measured:
    """A figure over all cells from its merged partial result."""
    excluded = dict(merged.excluded)
    if request.how == "volume":
        return Measured(values=merged.figure.astype(np.float64), n=merged.figure)
    if request.how == "open_cases":
        values = merged.figure.open_at_ends(span)
        return Measured(values=values, n=values.astype(np.int64), n_used=merged.n_used, excluded=excluded)
    if request.metric in MERGEABLE_MEASURES:
        return measured_from_result(request.metric, request.params, merged.figure, level, excluded=excluded)
    if request.metric == "answer_time_percentile":
        return _percentile_finish(merged, cells, request.params, level)
    totals, counts = merged.figure.totals, merged.figure.counts
    n = np.asarray(totals.n, dtype=np.int64)
    values = np.full(cells.n_cells, np.nan)
    statistic = request.params["statistic"]
    if statistic == "mean":
        measured = n > 0
        values[measured] = np.asarray(totals.total_seconds)[measured] / n[measured]
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            fraction = 0.5 if statistic == "median" else 0.9
            found = counts.percentiles(quantile=fraction, abandoned_policy="exclude")
        if found.labels is not None:
            values[np.asarray(found.labels, dtype=np.intp)] = np.asarray(found.seconds, dtype=np.float64)
    return Measured(values=values, n=n, excluded=excluded)


def _cells(total: _OnSpan, options: _Options) -> Cells:
    """The report's cells from the merged span, checked as in memory before any per-cell figure."""
    span = total.span
    if span.n_periods > MAX_PERIODS:
        show = [str(stamp.at.astype("datetime64[s]")) for stamp in (total.earliest, total.latest)]
        raise InvalidInputError(
            f"period={options.period!r} gives {span.n_periods:,} periods from {show[0]} "
            f"({total.earliest.where}) to {show[1]} ({total.latest.where}), more than {MAX_PERIODS:,}; "
            "use a coarser period"
        )
    check_cells(span.n_groups, span.n_periods, options.period, options.by)
    periods = None
    if options.period is not None:
        ordinals = np.arange(span.first, span.first + span.n_periods, dtype=np.int64)
        periods = period_starts(ordinals, check_period(options.period))
    return Cells(
        codes=np.zeros(0, dtype=np.intp),
        n_groups=span.n_groups,
        n_periods=span.n_periods,
        groups=span.groups,
        periods=periods,
        period=options.period,
        by=options.by,
    )


def _tasks(function: Callable[..., Any], frame: Any, *args: Any) -> list[Any]:
    """One delayed ``function(part, index, files, *args)`` per partition, its errors located."""
    delayed = engine.dask_module("dask").delayed
    files = engine.parquet_files(frame)
    tasks = []
    for i, part in enumerate(frame.to_delayed()):
        where = None if files is None else files[i]
        tasks.append(
            delayed(engine.call_partition, pure=True)(
                function, i, (part,), {}, (engine.Slot(0), i, where, *args), {}, where
            )
        )
    return tasks


def _used_columns(meta: ContactsTable, by: str | None) -> list[str]:
    """The frame's columns the report reads: every column of a role present, and ``by``'s."""
    used = [name for role in ROLES if meta.has(role) for name in meta.spec(role).columns]
    if by is not None:
        used.append(meta.column_of(by) if by in ROLES else by)
    names = set(meta.column_names)
    return [name for name in dict.fromkeys(used) if name in names]


def _figures_part(
    part: Any, index: int, files: tuple[str, ...] | None, options: _Options, requests: tuple[_Request, ...]
) -> _OnSpan | None:
    def measure_cells(table: ContactsTable, cells: Cells, first: int) -> dict[str, _Part]:
        return _measure_cells(table, cells, first, requests, options.level)

    return _on_cells(part, index, files, options, measure_cells)


def _retention_part(
    part: Any, index: int, files: tuple[str, ...] | None, options: _Options
) -> _OnSpan | None:
    """A partition's repeat-contact cohorts per cell (shuffled: it holds every row of its customers)."""

    def measure_cells(table: ContactsTable, cells: Cells, first: int) -> RetentionCounts:
        # Observed up to the partition's last contact: its customers have no later one.
        with engine.WARNINGS_LOCK:  # retention_counts sets warning filters
            return retention_counts(table, cells, table.local("created").max())

    return _on_cells(part, index, files, options, measure_cells)


def _measure_all(
    frame: Any,
    options: _Options,
    requests: tuple[_Request, ...],
    retention: bool,
    split_every: int = engine.SPLIT_EVERY,
) -> tuple[Cells, dict[str, Measured], RetentionCounts | None, int]:
    """Every figure (and the retention counts when asked) in one ``dask.compute``, on the merged cells."""
    dask = engine.dask_module("dask")
    meta = _table(frame._meta, options)
    if not meta.has("created"):
        raise meta.missing("created", "needed to place contacts in periods (when the contact arrived)")
    for request in requests:  # a missing column is found before any partition is read
        if request.metric in STANDARD_METRICS:
            check_roles(request.metric, meta)
    frame = frame[_used_columns(meta, options.by)]  # only the columns the report reads travel
    lazy: list[Any] = [engine.tree(_tasks(_figures_part, frame, options, requests), split_every)]
    if retention:
        shuffled = frame.shuffle(on=meta.column_of("customer"))
        lazy.append(engine.tree(_tasks(_retention_part, shuffled, options), split_every))
    computed = dask.compute(*lazy)
    total: _OnSpan | None = computed[0]
    if total is None:
        raise InvalidInputError("contacts must hold at least one contact; got no data rows")
    cells = _cells(total, options)
    measured = {
        request.key: _finish(request, total.value[request.key], cells, total.span, options.level)
        for request in requests
    }
    counts = None
    if retention:
        kept: _OnSpan = computed[1]
        _, _, move = _union(total.span, kept.span)  # the shuffled rows' cells among the report's
        counts = _moved(kept.value, move)
    return cells, measured, counts, total.n_rows


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
    cells, measured, _, _ = _measure_all(frame, options, tuple(requests), False)
    return standard_results(standards, [measured[request.key] for request in requests], cells, level)
