"""Service standards: measurable targets declared as data, evaluated per period and group.

A :class:`Standard` names a metric of the library, its parameters, a target, a
direction (``at_least`` or ``at_most``) and an optional tolerated value short of the
target ("at least 80 %, 75 % tolerated"). :func:`evaluate_standards` computes every
standard's metric over a contacts table by calling the metric function once, with
``by=`` the (group, period) cell of each contact, and compares the achieved values
with the targets. Standards load from and save to TOML or JSON files
(:func:`load_standards`, :func:`save_standards`).

This module holds no formula: each metric of :data:`STANDARD_METRICS` is computed by
the library's public function of that name (``service_level``, ``nps``…).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import math
import re
import sys
import tomllib
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.business_hours import BusinessHours, business_seconds
from .._core.checks import check_confidence_level
from .._core.errors import InvalidInputError, InvalidTypeError, UndefinedMetricWarning
from .._core.periods import stamp_ordinals
from .._core.registry import DERIVED, REGISTRY, UNITS
from .._core.registry import MetricSpec as RegistrySpec
from .._core.results import ARRAY_EQ, stat_names
from .._core.time import PERIODS, ZonedStamps, check_period, period_ordinals, period_starts
from .._kpi.operations import abandonment_rate, aht, asa
from .._kpi.responses import first_response_time, resolution_time
from .._kpi.service_level import (
    ABANDONED_POLICIES,
    SERVICE_LEVEL_POLICIES,
    answer_time_percentile,
    service_level,
)
from .._kpi.survey import ces, csat, nps
from .io import ContactsTable, as_table, located

__all__ = [
    "DIRECTIONS",
    "STANDARD_METRICS",
    "STATUSES",
    "Standard",
    "StandardResults",
    "evaluate_standards",
    "load_standards",
    "save_standards",
]

#: Directions of a standard: the achieved value must be at least, or at most, the target.
DIRECTIONS: tuple[str, ...] = ("at_least", "at_most")
#: Statuses of an evaluated standard, from best to worst; ``undefined`` when the
#: metric has no value (no contact in the cell).
STATUSES: tuple[str, ...] = ("met", "within_tolerance", "not_met", "undefined")
_FIELDS = ("name", "metric", "target", "direction", "tolerated", "params", "description")


# --------------------------------------------------------------------------- cells


@attrs.frozen(kw_only=True)
class Cells:
    """The (group, period) cell of each contact: cell ``g * n_periods + p``."""

    codes: NDArray[np.intp] = attrs.field(eq=False)
    n_groups: int
    n_periods: int
    groups: NDArray[Any] | None = attrs.field(eq=False)
    periods: NDArray[np.datetime64] | None = attrs.field(eq=False)
    period: str | None
    by: str | None

    @property
    def n_cells(self) -> int:
        return self.n_groups * self.n_periods


@attrs.frozen(kw_only=True)
class Grid:
    """A grid of cells fixed in advance (for a part of the contacts): its groups and periods."""

    groups: NDArray[Any] | None
    first: int  # ordinal of the first period
    n_periods: int


#: Years a report's contacts may fall in: a timestamp outside is a typing error (``20260-01-05``).
YEARS: tuple[int, int] = (1900, 2200)
#: Most periods a report may span, and most (group, period) cells: checked before allocating.
MAX_PERIODS = 100_000
MAX_CELLS = 20_000_000


def check_years(table: ContactsTable, stamps: NDArray[np.datetime64]) -> None:
    """Raise, naming the row and column, for a year outside :data:`YEARS` (a mistyped year)."""
    # Compared with the first instants of the first year and of the year after the last
    # (no calendar conversion of every row); NaT is outside, as its year is none of them.
    first, after = np.datetime64(f"{YEARS[0]:04d}-01-01"), np.datetime64(f"{YEARS[1] + 1:04d}-01-01")
    outside = ~(stamps >= first) | (stamps >= after)
    if outside.any():
        index = int(np.argmax(outside))
        raise InvalidInputError(
            f"{table.where(table.column_of('created'), index)}: a year in {YEARS[0]}..{YEARS[1]}; "
            f"got {_shown_stamp(stamps, index)} (a mistyped year?)"
        )


def _shown_stamp(stamps: NDArray[np.datetime64], index: int) -> str:
    return str(stamps[index].astype("datetime64[s]"))


def _check_span(table: ContactsTable, stamps: NDArray[np.datetime64], period: str, n_periods: int) -> None:
    """Raise, naming the row and column, for a year outside :data:`YEARS` or too many periods."""
    check_years(table, stamps)
    column = table.column_of("created")
    if n_periods > MAX_PERIODS:
        first, last = int(np.argmin(stamps)), int(np.argmax(stamps))
        raise InvalidInputError(
            f"period={period!r} gives {n_periods:,} periods from {_shown_stamp(stamps, first)} "
            f"({table.where(column, first)}) to {_shown_stamp(stamps, last)} ({table.where(column, last)}), "
            f"more than {MAX_PERIODS:,}; use a coarser period"
        )


def check_cells(n_groups: int, n_periods: int, period: str | None, by: str | None) -> None:
    """Raise when groups x periods exceed :data:`MAX_CELLS` (before allocating them)."""
    if n_groups * n_periods > MAX_CELLS:
        raise InvalidInputError(
            f"by={by!r} and period={period!r} give {n_groups:,} groups x {n_periods:,} periods, more than "
            f"{MAX_CELLS:,} cells; use a coarser period or a column with fewer groups"
        )


def build_cells(table: ContactsTable, period: str | None, by: str | None, grid: Grid | None = None) -> Cells:
    """Factorise the contacts into a dense grid of groups x calendar periods (one sort, no loop).

    With ``grid``, the cells are those of the grid (the contacts are a part of a
    larger table whose groups and periods it holds).
    """
    if grid is not None:
        return _cells_on_grid(table, period, by, grid)
    if table.n_rows == 0:
        where = f"{table.source}: " if table.source else ""
        raise InvalidInputError(f"{where}contacts must hold at least one contact; got no data rows")
    group_codes = np.zeros(table.n_rows, dtype=np.intp)
    groups = None
    n_groups = 1
    if by is not None:
        if not isinstance(by, str):
            raise InvalidTypeError(f"by must be the name of a column (str); got {by!r}")
        grouped = table.groups(by)
        group_codes, groups, n_groups = grouped.codes, grouped.labels[0], grouped.n_groups
    period_codes = np.zeros(table.n_rows, dtype=np.intp)
    periods = None
    n_periods = 1
    if period is not None:
        valid = check_period(period)
        stamps = table.local("created")
        ordinals = stamp_ordinals(stamps, valid)
        first, last = int(ordinals.min()), int(ordinals.max())
        n_periods = last - first + 1
        _check_span(table, stamps, valid, n_periods)
        period_codes = (ordinals - first).astype(np.intp)
        periods = period_starts(np.arange(first, last + 1, dtype=np.int64), valid)
    check_cells(n_groups, n_periods, period, by)
    return Cells(
        codes=group_codes * n_periods + period_codes,
        n_groups=n_groups,
        n_periods=n_periods,
        groups=groups,
        periods=periods,
        period=period,
        by=by,
    )


def _cells_on_grid(table: ContactsTable, period: str | None, by: str | None, grid: Grid) -> Cells:
    group_codes = np.zeros(table.n_rows, dtype=np.intp)
    if by is not None:
        assert grid.groups is not None
        labels = table.groups(by)
        position = np.searchsorted(grid.groups, labels.labels[0])
        group_codes = position[labels.codes].astype(np.intp)
    period_codes = np.zeros(table.n_rows, dtype=np.intp)
    periods = None
    if period is not None:
        valid = check_period(period)
        period_codes = (period_ordinals(table.local("created"), valid) - grid.first).astype(np.intp)
        periods = period_starts(np.arange(grid.first, grid.first + grid.n_periods, dtype=np.int64), valid)
    return Cells(
        codes=group_codes * grid.n_periods + period_codes,
        n_groups=1 if grid.groups is None else grid.groups.shape[0],
        n_periods=grid.n_periods,
        groups=grid.groups,
        periods=periods,
        period=period,
        by=by,
    )


@attrs.frozen(kw_only=True)
class Measured:
    """A metric over the cells: value, sample size and interval, each of shape (n_cells,).

    ``excluded`` counts, per reason, the rows of each cell the metric left out;
    ``n_used`` the rows it used (``n`` itself when None). Together they add up to the
    rows of the cell: no row leaves a figure silently.
    """

    values: NDArray[np.float64]
    n: NDArray[np.int64]
    low: NDArray[np.float64] | None = None
    high: NDArray[np.float64] | None = None
    result: Any = None  # the dense result object (counts per cell), when the metric has one
    excluded: dict[str, NDArray[np.int64]] = attrs.field(factory=dict)
    n_used: NDArray[np.int64] | None = None

    @property
    def rows_used(self) -> NDArray[np.int64]:
        """Rows of each cell the metric used."""
        return np.asarray(self.n if self.n_used is None else self.n_used, dtype=np.int64)


def per_cell(cells: Cells, mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Number of rows of each cell where ``mask`` holds (one ``bincount``)."""
    return _rows_per_cell(cells, np.flatnonzero(mask))


def _rows_per_cell(cells: Cells, rows: NDArray[np.intp]) -> NDArray[np.int64]:
    return np.bincount(cells.codes[rows], minlength=cells.n_cells).astype(np.int64)


def dense(grouped: Any, n_cells: int) -> Any:
    """A grouped result (labels = cell codes) as one result with a row for every cell (zeros where absent)."""
    values = grouped.values
    labels = np.asarray(grouped.labels, dtype=np.intp)
    changes = {}
    for name in stat_names(type(values)):
        field = np.asarray(getattr(values, name))
        full = np.zeros((n_cells, *field.shape[1:]), dtype=field.dtype)
        full[labels] = field
        changes[name] = full
    return attrs.evolve(values, **changes)


def _scatter(values: Any, labels: Any, n_cells: int, fill: float = np.nan) -> NDArray[np.float64]:
    out = np.full(n_cells, fill, dtype=np.float64)
    out[np.asarray(labels, dtype=np.intp)] = np.asarray(values, dtype=np.float64)
    return out


def _interval(result: Any, confidence_level: float, **options: Any) -> tuple[Any, Any]:
    interval = result.confidence_interval(confidence_level, **options)
    return np.asarray(interval.low, dtype=np.float64), np.asarray(interval.high, dtype=np.float64)


#: Standards metrics measured from one dense result whose parts merge with ``+``.
MERGEABLE_MEASURES = frozenset(
    {"service_level", "asa", "aht", "abandonment_rate", "first_response_within", "nps", "csat", "ces"}
)


#: False while measuring partial results that are merged before their intervals are
#: taken (a Dask partition's): intervals of a part are never read.
_INTERVALS = contextvars.ContextVar("intervals", default=True)


@contextlib.contextmanager
def without_intervals() -> Iterator[None]:
    """Measure without intervals (``low`` and ``high`` None): for partial results merged later."""
    token = _INTERVALS.set(False)
    try:
        yield
    finally:
        _INTERVALS.reset(token)


def measured_from_result(
    metric: str,
    parameters: Mapping[str, Any],
    result: Any,
    level: float,
    *,
    excluded: Mapping[str, NDArray[np.int64]] | None = None,
) -> Measured:
    """A metric of :data:`MERGEABLE_MEASURES` over the cells from its dense result (counts per cell).

    ``excluded`` counts, per reason, the rows of each cell the metric left out; like
    the result's counts, counts of parts of the contacts add up.
    """
    left_out = dict(excluded or {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        if metric in ("asa", "aht") or not _INTERVALS.get():  # no interval
            return Measured(
                values=np.asarray(result.value), n=np.asarray(result.n), result=result, excluded=left_out
            )
        options = {"method": parameters["method"]} if "method" in parameters else {}
        low, high = _interval(result, level, **options)
        return Measured(
            values=np.asarray(result.value),
            n=np.asarray(result.n),
            low=low,
            high=high,
            result=result,
            excluded=left_out,
        )


# --------------------------------------------------------------------------- metrics


@attrs.frozen
class _Parameter:
    kind: str  # seconds, positive_seconds, percent, choice, scale, integer, hours
    default: Any = None
    choices: tuple[str, ...] = ()
    required: bool = False


@attrs.frozen
class MetricSpec:
    """How a standard's metric is computed from a contacts table.

    Name, label, unit, direction and bounds are the metric's registry entry
    (:data:`cskpi._core.registry.REGISTRY`, or ``DERIVED`` for composed KPIs); this
    class adds only what a contacts table needs: the columns, the parameters a
    standard may set and how to compute the metric per cell.
    """

    name: str
    roles: tuple[str, ...]
    parameters: dict[str, _Parameter]
    compute: Callable[[ContactsTable, Cells, dict[str, Any], float], Measured]
    # Targets may lie anywhere the metric's parameters allow (CES: any scale); None: the registry's bounds.
    target_bounds: tuple[float, float] | None = None

    @property
    def entry(self) -> RegistrySpec:
        """The metric's registry entry."""
        return REGISTRY[self.name] if self.name in REGISTRY else DERIVED[self.name]

    @property
    def label(self) -> str:
        return self.entry.label

    @property
    def unit(self) -> str:
        return self.entry.unit

    @property
    def better(self) -> str:
        better = self.entry.better
        assert better is not None, f"a standard needs a metric with a direction; {self.name} has none"
        return better

    @property
    def bounds(self) -> tuple[float, float]:
        if self.target_bounds is not None:
            return self.target_bounds
        return self.entry.bounds or (-math.inf, math.inf)


class MetricCall:
    """Call a metric function, turning its ``at index i`` errors into the table's row and column."""

    def __init__(self, table: ContactsTable, arguments: dict[str, str], rows: NDArray[np.intp] | None = None):
        self.table, self.arguments, self.rows = table, arguments, rows

    def __call__(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except InvalidInputError as error:
            argument = str(error).split(" ", 1)[0]
            role = self.arguments.get(argument, next(iter(self.arguments.values())))
            raise located(error, self.table, self.table.column_of(role), self.rows) from None


def _known(table: ContactsTable, role: str) -> NDArray[np.bool_]:
    known: NDArray[np.bool_] = ~np.isnan(table.get(role))
    return known


# Service-level formulas that read an abandoned contact's time to abandon (1, 4 and 5);
# formulas 2 and 3 need no wait for an abandoned contact.
_NEEDS_ABANDON_WAIT = frozenset(
    {"abandoned_within_as_met", "abandoned_within_ignored", "short_abandoned_as_met"}
)

#: How each service-level formula treats a contact whose queue wait is unknown (blank).
UNKNOWN_WAIT_RULES: dict[str, str] = {
    "abandoned_within_as_met": "a blank wait of an abandoned contact is an error naming its row",
    "abandoned_ignored": "abandoned contacts are left out, their wait is never read",
    "abandoned_as_missed": "an abandoned contact needs no wait, it counts as missed",
    "abandoned_within_ignored": "a blank wait of an abandoned contact is an error naming its row",
    "short_abandoned_as_met": "a blank wait of an abandoned contact is an error naming its row",
}

#: Why a service-level formula leaves queued contacts out of its denominator.
_POLICY_EXCLUSIONS = {
    "abandoned_ignored": "abandoned (formula leaves abandons out)",
    "abandoned_within_ignored": "abandoned within the threshold (formula leaves them out)",
}
#: The reason counted for contacts that never queued (blank wait, not abandoned).
NO_WAIT = "no queue wait"


def never_queued(table: ContactsTable, cells: Cells) -> NDArray[np.int64]:
    """Per cell, the contacts with a blank wait that did not abandon: they never queued."""

    def rows() -> NDArray[np.intp]:  # found once per table, counted per call's cells
        blank = np.isnan(table.get("wait_seconds"))
        if table.has("abandoned"):
            blank &= ~table.get("abandoned")
        return np.flatnonzero(blank)

    return _rows_per_cell(cells, table.derived("no wait", rows))


def queued_waits(
    table: ContactsTable, needs_abandon_wait: str | None = None
) -> tuple[NDArray[np.float64], NDArray[np.bool_] | None, NDArray[np.intp]]:
    """Queue waits of the contacts that queued, their abandoned flags, and their rows.

    A contact queued when its wait is known or when it abandoned: exports leave the wait
    blank when nobody answered, and such a contact still counts as abandoned. Its wait
    is read as 0 where the figure does not depend on it. ``needs_abandon_wait`` names
    what does (a formula or short abandons): then a blank wait of an abandoned contact
    raises, naming the file, row and column.
    """
    waits, flags, rows, first_blank = table.derived("queued waits", lambda: _queued_waits(table))
    if needs_abandon_wait is not None and first_blank >= 0:
        index = first_blank
        column = table.column_of("wait_seconds")
        raise InvalidInputError(
            f"{table.where(column, index)}: an abandoned contact has a blank wait, and {needs_abandon_wait} "
            "needs the time to abandon; fill the column, or use policy 'abandoned_as_missed' "
            "(formula 3), which needs no wait for abandoned contacts"
        )
    return waits, flags, rows


def _queued_waits(
    table: ContactsTable,
) -> tuple[NDArray[np.float64], NDArray[np.bool_] | None, NDArray[np.intp], int]:
    """:func:`queued_waits` of the table, and the first abandoned contact with a blank wait (-1: none)."""
    wait = table.get("wait_seconds")
    known = ~np.isnan(wait)
    if not table.has("abandoned"):
        rows = np.flatnonzero(known)
        return wait[rows], None, rows, -1
    flags = table.get("abandoned")
    blank = flags & ~known
    first_blank = int(np.argmax(blank)) if blank.any() else -1
    rows = np.flatnonzero(known | flags)
    return np.where(blank[rows], 0.0, wait[rows]), flags[rows], rows, first_blank


def _measure_service_level(
    table: ContactsTable, cells: Cells, params: dict[str, Any], level: float
) -> Measured:
    policy = params["policy"]
    short = params.get("short_abandon_seconds")
    needs = (
        f"policy {policy!r}"
        if policy in _NEEDS_ABANDON_WAIT
        else ("short_abandon_seconds" if short is not None else None)
    )
    waits, abandoned, rows = queued_waits(table, needs)
    call = MetricCall(table, {"wait_seconds": "wait_seconds", "abandoned": "abandoned"}, rows)
    grouped = call(
        service_level,
        waits,
        params["threshold_seconds"],
        abandoned=abandoned,
        policy=params["policy"],
        short_abandon_seconds=params.get("short_abandon_seconds"),
        by=cells.codes[rows],
    )
    result = dense(grouped, cells.n_cells)
    excluded = {NO_WAIT: never_queued(table, cells)}
    left_out = _POLICY_EXCLUSIONS.get(policy, "short abandon" if short is not None else None)
    if left_out is not None:  # the formula's own exclusions: queued contacts not in its denominator
        excluded[left_out] = _rows_per_cell(cells, rows) - np.asarray(result.n)
    return measured_from_result("service_level", params, result, level, excluded=excluded)


def _measure_percentile(table: ContactsTable, cells: Cells, params: dict[str, Any], level: float) -> Measured:
    waits, abandoned, rows = queued_waits(table)
    call = MetricCall(table, {"wait_seconds": "wait_seconds", "abandoned": "abandoned"}, rows)
    result = call(
        answer_time_percentile,
        waits,
        quantile=params["percentile"] / 100.0,  # the standards file gives a percent
        abandoned=abandoned,
        abandoned_policy=params["abandoned_policy"],
        by=cells.codes[rows],
        confidence_level=level,
    )
    # The distribution-free interval of the percentile (two order statistics) decides
    # whether a pass or miss is statistically clear.
    low, high = result.confidence_interval()
    n = _scatter(result.n, result.labels, cells.n_cells, 0).astype(np.int64)
    excluded = {NO_WAIT: never_queued(table, cells)}
    if params["abandoned_policy"] == "exclude":
        excluded["not answered"] = _rows_per_cell(cells, rows) - n
    return Measured(
        values=_scatter(result.seconds, result.labels, cells.n_cells),
        n=n,
        low=_scatter(low, result.labels, cells.n_cells),
        high=_scatter(high, result.labels, cells.n_cells),
        excluded=excluded,
    )


def _measure_asa(table: ContactsTable, cells: Cells, params: dict[str, Any], level: float) -> Measured:
    waits, abandoned, rows = queued_waits(table)
    call = MetricCall(table, {"wait_seconds": "wait_seconds", "abandoned": "abandoned"}, rows)
    result = dense(call(asa, waits, abandoned=abandoned, by=cells.codes[rows]), cells.n_cells)
    excluded = {NO_WAIT: never_queued(table, cells)}
    if table.has("abandoned"):
        excluded["not answered"] = per_cell(cells, table.get("abandoned"))
    return measured_from_result("asa", params, result, level, excluded=excluded)


def _measure_aht(table: ContactsTable, cells: Cells, params: dict[str, Any], level: float) -> Measured:
    handled = _known(table, "talk_seconds")
    excluded = {}
    if table.has("abandoned"):
        abandoned = table.get("abandoned")
        excluded["abandoned"] = per_cell(cells, abandoned)
        handled &= ~abandoned
    excluded["no talk time"] = per_cell(cells, ~_known(table, "talk_seconds") & ~excluded_rows(table))
    rows = np.flatnonzero(handled)
    # A blank hold or after-work time is none (0); the columns hold no infinity (durations are checked).
    parts = [
        _blank_as_zero(table.get(role)[rows]) if table.has(role) else None
        for role in ("hold_seconds", "after_work_seconds")
    ]
    call = MetricCall(table, {"talk_seconds": "talk_seconds", "hold_seconds": "hold_seconds"}, rows)
    grouped = call(aht, table.get("talk_seconds")[rows], parts[0], parts[1], by=cells.codes[rows])
    return measured_from_result("aht", params, dense(grouped, cells.n_cells), level, excluded=excluded)


def _blank_as_zero(seconds: NDArray[np.float64]) -> NDArray[np.float64]:
    """The durations (a copy of the column's rows) with NaN, a blank cell, as 0, in place."""
    np.copyto(seconds, 0.0, where=np.isnan(seconds))
    return seconds


def _measure_abandonment(
    table: ContactsTable, cells: Cells, params: dict[str, Any], level: float
) -> Measured:
    short = params.get("short_abandon_seconds")
    if short is not None and not table.has("wait_seconds"):
        raise table.missing("wait_seconds", "needed for short abandons (queue waits in seconds)")
    # Only contacts that queued can abandon: with a wait column, those with a wait and
    # those that abandoned (a blank wait where nobody answered).
    if table.has("wait_seconds"):
        queued, _, rows = queued_waits(table, None if short is None else "short_abandon_seconds")
        waits = None if short is None else queued
    else:
        rows, waits = np.arange(table.n_rows), None
    call = MetricCall(table, {"abandoned": "abandoned", "wait_seconds": "wait_seconds"}, rows)
    grouped = call(
        abandonment_rate,
        table.get("abandoned")[rows],
        wait_seconds=waits,
        short_abandon_seconds=short,
        by=cells.codes[rows],
    )
    result = dense(grouped, cells.n_cells)
    excluded = {NO_WAIT: never_queued(table, cells)} if table.has("wait_seconds") else {}
    if short is not None:
        excluded["short abandon"] = _rows_per_cell(cells, rows) - np.asarray(result.n)
    return measured_from_result("abandonment_rate", params, result, level, excluded=excluded)


def _on_clock(table: ContactsTable, *stamps: NDArray[np.datetime64]) -> tuple[Any, ...]:
    """Timestamp columns as the metrics should read them: instants with their zone in an aware table."""
    zone = table.clock_zone
    return stamps if zone is None else tuple(ZonedStamps(utc=s, zone=zone) for s in stamps)


def _calendar(params: dict[str, Any]) -> BusinessHours | None:
    hours = params.get("business_hours")
    return None if hours is None else BusinessHours.weekdays(hours[0], hours[1])


_STATISTICS = {"mean": "mean_seconds", "median": "median_seconds", "p90": "p90_seconds"}


def duration_inputs(
    table: ContactsTable, cells: Cells, end_role: str, params: Mapping[str, Any]
) -> tuple[tuple[Any, ...], NDArray[np.intp], BusinessHours | None, MetricCall]:
    """Start and end timestamps, cell codes and calendar of the contacts a duration metric times."""
    # Abandoned contacts never reached an agent: they have no reply or resolution to time.
    rows = np.flatnonzero(~table.get("abandoned")) if table.has("abandoned") else None
    call = MetricCall(table, {"created": "created", end_role: end_role}, rows)
    created, end = table.get("created"), table.get(end_role)
    codes = cells.codes
    if rows is not None:
        created, end, codes = created[rows], end[rows], codes[rows]
    return _on_clock(table, created, end), codes, _calendar(dict(params)), call


def excluded_rows(table: ContactsTable) -> NDArray[np.bool_]:
    """The abandoned contacts (all False without the column): they never reached an agent."""
    return table.get("abandoned") if table.has("abandoned") else np.zeros(table.n_rows, dtype=bool)


def _abandoned(table: ContactsTable, cells: Cells) -> dict[str, NDArray[np.int64]]:
    return {"abandoned": per_cell(cells, table.get("abandoned"))} if table.has("abandoned") else {}


#: Why a contact has no duration yet, by the role of its end timestamp.
_PENDING = {"first_reply": "no reply yet", "resolved": "still open"}


def duration_excluded(table: ContactsTable, cells: Cells, end_role: str) -> dict[str, NDArray[np.int64]]:
    """Per cell and reason, the contacts a duration metric leaves out: abandoned, or not ended yet."""
    excluded = _abandoned(table, cells)
    excluded[_PENDING[end_role]] = per_cell(cells, np.isnat(table.get(end_role)) & ~excluded_rows(table))
    return excluded


def _measure_duration(
    function: Callable[..., Any], end_role: str
) -> Callable[[ContactsTable, Cells, dict[str, Any], float], Measured]:
    def measure(table: ContactsTable, cells: Cells, params: dict[str, Any], level: float) -> Measured:
        (created, end), codes, calendar, call = duration_inputs(table, cells, end_role, params)
        result = call(function, created, end, calendar=calendar, by=codes)
        labels = result.labels
        values = getattr(result, _STATISTICS[params["statistic"]])
        return Measured(
            values=_scatter(values, labels, cells.n_cells),
            n=_scatter(result.n, labels, cells.n_cells, 0).astype(np.int64),
            result=result,
            excluded=duration_excluded(table, cells, end_role),
        )

    return measure


def _measure_response_within(
    table: ContactsTable, cells: Cells, params: dict[str, Any], level: float
) -> Measured:
    created, reply, codes = table.get("created"), table.get("first_reply"), cells.codes
    rows = None
    if table.has("abandoned"):  # abandoned contacts never reached an agent
        rows = np.flatnonzero(~table.get("abandoned"))
        created, reply, codes = created[rows], reply[rows], codes[rows]
    answered = ~np.isnat(reply)
    calendar = _calendar(params) or BusinessHours.every_day()
    answered_rows = np.flatnonzero(answered) if rows is None else rows[answered]
    call = MetricCall(table, {"starts": "created", "ends": "first_reply"}, answered_rows)
    elapsed = np.zeros(created.shape[0])
    if answered.any():
        starts, ends = _on_clock(table, created[answered], reply[answered])
        elapsed[answered] = call(business_seconds, starts, ends, calendar=calendar)
    # Tickets not answered yet count as missed: service level's 'abandoned_as_missed' formula.
    grouped = service_level(
        elapsed, params["threshold_seconds"], abandoned=~answered, policy="abandoned_as_missed", by=codes
    )
    result = dense(grouped, cells.n_cells)
    return measured_from_result(
        "first_response_within", params, result, level, excluded=_abandoned(table, cells)
    )


def _measure_survey(
    function: Callable[..., Any], role: str, options: Callable[[dict[str, Any]], dict[str, Any]]
) -> Callable[[ContactsTable, Cells, dict[str, Any], float], Measured]:
    def measure(table: ContactsTable, cells: Cells, params: dict[str, Any], level: float) -> Measured:
        call = MetricCall(table, {"scores": role, "ratings": role})
        grouped = call(function, table.get(role), by=cells.codes, nan_policy="omit", **options(params))
        result = dense(grouped, cells.n_cells)
        excluded = {"not surveyed": per_cell(cells, np.isnan(table.get(role)))}
        return measured_from_result(role, params, result, level, excluded=excluded)

    return measure


_SECONDS = _Parameter("seconds")
_HOURS = _Parameter("hours")
_STATISTIC = _Parameter("choice", "median", ("mean", "median", "p90"))

#: The metrics a standard can be set on, by name.
STANDARD_METRICS: dict[str, MetricSpec] = {
    spec.name: spec
    for spec in (
        MetricSpec(
            "service_level",
            ("wait_seconds",),
            {
                "threshold_seconds": _Parameter("positive_seconds", 20.0, required=True),
                "policy": _Parameter("choice", "abandoned_as_missed", SERVICE_LEVEL_POLICIES),
                "short_abandon_seconds": _SECONDS,
            },
            _measure_service_level,
        ),
        MetricSpec(
            "answer_time_percentile",
            ("wait_seconds",),
            {
                "percentile": _Parameter("percent", 90.0),
                "abandoned_policy": _Parameter("choice", "never_answered", ABANDONED_POLICIES),
            },
            _measure_percentile,
        ),
        MetricSpec("asa", ("wait_seconds",), {}, _measure_asa),
        MetricSpec("aht", ("talk_seconds",), {}, _measure_aht),
        MetricSpec(
            "abandonment_rate",
            ("abandoned",),
            {"short_abandon_seconds": _SECONDS},
            _measure_abandonment,
        ),
        MetricSpec(
            "first_response_time",
            ("created", "first_reply"),
            {"statistic": _STATISTIC, "business_hours": _HOURS},
            _measure_duration(first_response_time, "first_reply"),
        ),
        MetricSpec(
            "first_response_within",
            ("created", "first_reply"),
            {"threshold_seconds": _Parameter("positive_seconds", required=True), "business_hours": _HOURS},
            _measure_response_within,
        ),
        MetricSpec(
            "resolution_time",
            ("created", "resolved"),
            {"statistic": _STATISTIC, "business_hours": _HOURS},
            _measure_duration(resolution_time, "resolved"),
        ),
        MetricSpec(
            "nps",
            ("nps",),
            {"method": _Parameter("choice", "wald", ("wald", "adjusted_wald"))},
            _measure_survey(nps, "nps", lambda params: {}),
        ),
        MetricSpec(
            "csat",
            ("csat",),
            {"scale": _Parameter("scale", (1, 5)), "satisfied_from": _Parameter("integer", 4)},
            _measure_survey(
                csat,
                "csat",
                lambda params: {"scale": params["scale"], "satisfied_from": params["satisfied_from"]},
            ),
        ),
        MetricSpec(
            "ces",
            ("ces",),
            {"scale": _Parameter("scale", (1, 7)), "easy_from": _Parameter("integer", 5)},
            _measure_survey(
                ces, "ces", lambda params: {"scale": params["scale"], "easy_from": params["easy_from"]}
            ),
            (-math.inf, math.inf),  # the scale is a parameter
        ),
    )
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _finite(value: Any) -> float | None:
    """The number as a finite float, or None (not a number, infinite, NaN, or too large for a float)."""
    if not _is_number(value):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return number if math.isfinite(number) else None


def _shown(value: Any, limit: int = 60) -> str:
    """``repr`` of a value for a message, cut short (a number of hundreds of digits, a long list)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        size = abs(value)
        power = int(math.log10(size))  # floor(log10), corrected where the float rounds across a power of 10
        power += (10 ** (power + 1) <= size) - (10**power > size)
        return f"an integer of {power + 1} digits"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Most points a rating scale may have (0..100): the counts have a column per point.
MAX_SCALE_POINTS = 101


def _check_parameter(name: str, spec: _Parameter, value: Any) -> Any:
    field = f"params[{name!r}]"
    if spec.kind in ("seconds", "positive_seconds", "percent"):
        finite = _finite(value)
        if finite is None:
            raise InvalidTypeError(f"{field} must be a finite number; got {_shown(value)}")
        number = finite
        if spec.kind == "seconds" and number < 0:
            raise InvalidInputError(f"{field} must be a non-negative number of seconds; got {value!r}")
        if spec.kind == "positive_seconds" and number <= 0:
            raise InvalidInputError(f"{field} must be a positive number of seconds; got {value!r}")
        if spec.kind == "percent" and not 0 < number <= 100:
            raise InvalidInputError(f"{field} must be a percentage in (0, 100] (90, not 0.9); got {value!r}")
        return number
    if spec.kind == "choice":
        if value not in spec.choices:
            raise InvalidInputError(f"{field} must be one of {spec.choices}; got {value!r}")
        return value
    if spec.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise InvalidTypeError(f"{field} must be an integer; got {_shown(value)}")
        return int(value)
    if spec.kind == "scale":
        if (
            not isinstance(value, list | tuple)
            or len(value) != 2
            or not all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in value)
            or not value[0] < value[1]
        ):
            raise InvalidInputError(
                f"{field} must be a pair [low, high] of integers with low < high; got {_shown(value)}"
            )
        if int(value[1]) - int(value[0]) + 1 > MAX_SCALE_POINTS:
            raise InvalidInputError(
                f"{field} must have at most {MAX_SCALE_POINTS} points (such as [0, 100]); got {_shown(value)}"
            )
        return (int(value[0]), int(value[1]))
    # hours: a pair of "HH:MM" strings
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, str) and re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", v) for v in value)
    ):
        raise InvalidInputError(
            f"{field} must be a pair [start, end] of 'HH:MM' times (weekdays); got {value!r}"
        )
    try:
        BusinessHours.weekdays(value[0], value[1])
    except (InvalidInputError, InvalidTypeError) as error:
        raise InvalidInputError(f"{field} must be valid opening hours: {error}") from None
    return (str(value[0]), str(value[1]))


def _params(value: Any) -> tuple[tuple[str, Any], ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, tuple) and all(isinstance(item, tuple) and len(item) == 2 for item in value):
        items = list(value)
    else:
        raise InvalidTypeError(f"params must be a table (mapping) of parameter values; got {value!r}")
    for key, _ in items:
        if not isinstance(key, str):
            raise InvalidTypeError(f"params must have text keys; got {key!r}")
    return tuple(sorted(items))


# --------------------------------------------------------------------------- standards


@attrs.frozen(kw_only=True)
class Standard:
    """A measurable service standard: a metric, its parameters, a target and a direction.

    Parameters
    ----------
    name : str
        Unique, readable name ("Calls answered within 20 s").
    metric : str
        One of :data:`STANDARD_METRICS`: ``'service_level'``, ``'answer_time_percentile'``,
        ``'asa'``, ``'aht'``, ``'abandonment_rate'``, ``'first_response_time'``,
        ``'first_response_within'``, ``'resolution_time'``, ``'nps'``, ``'csat'``, ``'ces'``.
    target : float
        The goal, in the metric's unit: a fraction in [0, 1] for rates (0.8, not 80),
        NPS points, seconds for times.
    direction : {'at_least', 'at_most'}, optional
        Whether the achieved value must be at least or at most the target. Default:
        ``'at_least'`` for metrics where higher is better, ``'at_most'`` otherwise.
    tolerated : float, optional
        A value short of the target still tolerated (the "minimum" of a standard with
        a minimum and a goal): at most the target for ``at_least``, at least it for
        ``at_most``.
    params : mapping, optional
        The metric's parameters; those left out take their defaults:

        * ``service_level``: ``threshold_seconds`` (required), ``policy``
          (``'abandoned_as_missed'``), ``short_abandon_seconds``.
        * ``answer_time_percentile``: ``percentile`` (90), ``abandoned_policy``.
        * ``abandonment_rate``: ``short_abandon_seconds``.
        * ``first_response_time``, ``resolution_time``: ``statistic`` (``'mean'``,
          ``'median'`` (default) or ``'p90'``), ``business_hours`` (``['09:00', '17:00']``:
          weekdays, measured in business hours).
        * ``first_response_within``: ``threshold_seconds`` (required),
          ``business_hours``; tickets without a reply count as missed.
        * ``nps``: ``method`` (``'wald'`` or ``'adjusted_wald'``, for the interval).
        * ``csat``: ``scale`` ([1, 5]), ``satisfied_from`` (4); ``ces``: ``scale``
          ([1, 7]), ``easy_from`` (5).
    description : str, optional
        Free text kept with the standard.

    Notes
    -----
    Invalid fields raise :class:`InvalidInputError` or :class:`InvalidTypeError` naming
    the field. ``parameters`` gives the parameters with the defaults filled in.

    Examples
    --------
    >>> from cskpi import Standard
    >>> sl = Standard(name="Calls within 20 s", metric="service_level", target=0.8,
    ...               tolerated=0.75, params={"threshold_seconds": 20})
    >>> sl.direction, sl.parameters["policy"]
    ('at_least', 'abandoned_as_missed')
    """

    _cskpi_standard: ClassVar[bool] = True

    name: str
    metric: str
    target: float
    direction: str = None  # type: ignore[assignment]  # resolved from the metric in post-init
    tolerated: float | None = None
    params: tuple[tuple[str, Any], ...] = attrs.field(default=(), converter=_params)
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidInputError(f"name must be a non-empty string; got {self.name!r}")
        if not isinstance(self.metric, str) or self.metric not in STANDARD_METRICS:
            raise InvalidInputError(
                f"metric must be one of {tuple(STANDARD_METRICS)}; got {_shown(self.metric)}"
            )
        spec = STANDARD_METRICS[self.metric]
        if self.direction is None:
            object.__setattr__(self, "direction", "at_least" if spec.better == "higher" else "at_most")
        if not isinstance(self.direction, str) or self.direction not in DIRECTIONS:
            raise InvalidInputError(f"direction must be one of {DIRECTIONS}; got {_shown(self.direction)}")
        low, high = spec.bounds
        for field in ("target", "tolerated"):
            value = getattr(self, field)
            if value is None and field == "tolerated":
                continue
            number = _finite(value)
            if number is None:
                raise InvalidTypeError(f"{field} must be a finite number; got {_shown(value)}")
            if not low <= number <= high:
                raise InvalidInputError(
                    f"{field} must lie in [{low:g}, {high:g}] for metric {self.metric!r} "
                    f"({UNITS[spec.unit]}); "
                    f"got {value!r}"
                )
            object.__setattr__(self, field, number)
        if self.tolerated is not None:
            wrong = (
                self.tolerated > self.target if self.direction == "at_least" else self.tolerated < self.target
            )
            if wrong:
                side = "at most" if self.direction == "at_least" else "at least"
                raise InvalidInputError(
                    f"tolerated must be {side} the target ({self.target:g}) "
                    f"for direction {self.direction!r}; "
                    f"got {self.tolerated:g}"
                )
        if not isinstance(self.description, str):
            raise InvalidTypeError(f"description must be a string; got {self.description!r}")
        checked = {}
        for key, value in self.params:
            if key not in spec.parameters:
                known = ", ".join(spec.parameters) or "none"
                raise InvalidInputError(
                    f"params must be parameters of {self.metric!r} ({known}); got unknown parameter {key!r}"
                )
            checked[key] = _check_parameter(key, spec.parameters[key], value)
        for key, parameter in spec.parameters.items():
            if parameter.required and key not in checked:
                raise InvalidInputError(f"params[{key!r}] is required for metric {self.metric!r}")
        object.__setattr__(self, "params", tuple(sorted(checked.items())))

    @property
    def parameters(self) -> dict[str, Any]:
        """The metric's parameters, defaults filled in (None for optional ones not given)."""
        spec = STANDARD_METRICS[self.metric]
        values = {key: parameter.default for key, parameter in spec.parameters.items()}
        values.update(self.params)
        return values

    @property
    def unit(self) -> str:
        """Unit of target and achieved values: ``'fraction'``, ``'seconds'``, ``'points'`` or ``'score'``."""
        return STANDARD_METRICS[self.metric].unit

    def to_dict(self) -> dict[str, Any]:
        """The standard as plain data (the form written to TOML and JSON files)."""
        out: dict[str, Any] = {"name": self.name, "metric": self.metric, "target": self.target}
        out["direction"] = self.direction
        if self.tolerated is not None:
            out["tolerated"] = self.tolerated
        if self.description:
            out["description"] = self.description
        if self.params:
            out["params"] = {
                key: list(value) if isinstance(value, tuple) else value for key, value in self.params
            }
        return out


# --------------------------------------------------------------------------- results


@attrs.frozen(kw_only=True, repr=False)
class StandardResults:
    """Standards evaluated per group and period (not mergeable: it holds figures, not counts).

    Every array has shape ``(n_standards, n_groups, n_periods)``: standards in the
    order given, groups sorted (one group when ``by`` is None), periods consecutive
    (one period when ``period`` is None).

    Attributes
    ----------
    standards : tuple of Standard
    achieved : ndarray of float
        The metric's value in each cell, in the standard's unit; NaN where undefined
        (no contact, or a zero denominator).
    n : ndarray of int
        The sample size the value is taken over (answers, contacts, tickets).
    low, high : ndarray of float
        Confidence interval of the achieved value; NaN for metrics without an
        interval (ASA, AHT, response and resolution times, percentiles).
    groups : ndarray or None
        Group labels (axis 1).
    periods : ndarray of datetime64 or None
        Period starts (axis 2).
    period, by : str or None
        The calendar period and the grouping column.
    confidence_level : float
    """

    standards: tuple[Standard, ...]
    achieved: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    n: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)
    low: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    high: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    groups: NDArray[Any] | None = attrs.field(eq=ARRAY_EQ)
    periods: NDArray[np.datetime64] | None = attrs.field(eq=ARRAY_EQ)
    period: str | None
    by: str | None
    confidence_level: float

    def _per_standard(self, values: Iterable[Any]) -> NDArray[Any]:
        return np.asarray(list(values))[:, None, None]

    @property
    def target(self) -> NDArray[np.float64]:
        """Target of each standard, broadcast to the shape of ``achieved``."""
        values = self._per_standard(s.target for s in self.standards).astype(np.float64)
        return np.broadcast_to(values, self.achieved.shape)

    @property
    def _at_least(self) -> NDArray[np.bool_]:
        return self._per_standard(s.direction == "at_least" for s in self.standards).astype(bool)

    @property
    def gap(self) -> NDArray[np.float64]:
        """How far the achieved value is on the good side of the target (negative: short of it)."""
        difference = self.achieved - self.target
        return np.where(self._at_least, difference, -difference)

    @property
    def status(self) -> NDArray[np.str_]:
        """``'met'``, ``'within_tolerance'``, ``'not_met'`` or ``'undefined'`` (no value) per cell."""
        tolerated = self._per_standard(
            np.nan if s.tolerated is None else s.tolerated for s in self.standards
        ).astype(np.float64)
        at_least = self._at_least
        with np.errstate(invalid="ignore"):
            met = np.where(at_least, self.achieved >= self.target, self.achieved <= self.target)
            tolerable = np.where(at_least, self.achieved >= tolerated, self.achieved <= tolerated)
        status = np.where(met, "met", np.where(tolerable, "within_tolerance", "not_met"))
        return np.where(np.isnan(self.achieved), "undefined", status)

    @property
    def met(self) -> NDArray[np.bool_]:
        """True where the standard is met."""
        met: NDArray[np.bool_] = self.status == "met"
        return met

    @property
    def has_interval(self) -> NDArray[np.bool_]:
        """True where the achieved value has a confidence interval."""
        known: NDArray[np.bool_] = ~np.isnan(self.low) & ~np.isnan(self.high)
        return known

    @property
    def clear(self) -> NDArray[np.bool_]:
        """True where the pass or miss is statistically clear: the whole confidence interval
        lies on the same side of the target as the achieved value. False without an interval."""
        at_least = self._at_least
        target = self.target
        status = self.status
        with np.errstate(invalid="ignore"):
            clear_pass = np.where(at_least, self.low >= target, self.high <= target)
            clear_miss = np.where(at_least, self.high < target, self.low > target)
        clear: NDArray[np.bool_] = (
            self.has_interval & np.where(status == "met", clear_pass, clear_miss) & (status != "undefined")
        )
        return clear

    @property
    def evidence(self) -> NDArray[np.str_]:
        """``'clear'``, ``'not clear'`` or ``'no interval'`` per cell, in words."""
        words = np.where(self.clear, "clear", "not clear")
        return np.where(self.has_interval, words, "no interval")

    def rows(self) -> list[dict[str, Any]]:
        """One dict per (standard, group, period) cell, in array order (plain Python values)."""
        status, gap, clear, target = self.status, self.gap, self.clear, self.target
        has_interval = self.has_interval
        out = []
        for index in np.ndindex(self.achieved.shape):
            standard = self.standards[index[0]]
            row: dict[str, Any] = {"standard": standard.name, "metric": standard.metric}
            if self.groups is not None:
                row[self.by or "group"] = plain_value(self.groups[index[1]])
            if self.periods is not None:
                row["period"] = str(self.periods[index[2]])
            row.update(
                target=float(target[index]),
                direction=standard.direction,
                tolerated=standard.tolerated,
                achieved=plain_value(self.achieved[index]),
                gap=plain_value(gap[index]),
                n=int(self.n[index]),
                low=plain_value(self.low[index]),
                high=plain_value(self.high[index]),
                status=str(status[index]),
                clear=bool(clear[index]) if has_interval[index] else None,
            )
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready: NaN becomes None, dates ISO strings)."""
        return {
            "period": self.period,
            "by": self.by,
            "confidence_level": self.confidence_level,
            "standards": [standard.to_dict() for standard in self.standards],
            "results": self.rows(),
        }

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (requires pandas)."""
        from .._core.optional import require

        return require("pandas", "to_pandas()").DataFrame(self.rows())

    def to_polars(self) -> Any:
        """The rows as a polars DataFrame (requires polars)."""
        from .._core.optional import require

        return require("polars", "to_polars()").DataFrame(self.rows())

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Headers and formatted cells of the results table."""
        from .._core.display import format_value

        headers = ["standard", "target"]
        if self.groups is not None:
            headers.append(self.by or "group")
        if self.periods is not None:
            headers.append("period")
        headers += ["achieved", "n", "status", "evidence"]
        status, evidence = self.status, self.evidence
        cells = []
        for index in np.ndindex(self.achieved.shape):
            standard = self.standards[index[0]]
            sign = "≥" if standard.direction == "at_least" else "≤"
            row = [standard.name, f"{sign} {format_value(standard.target, standard.unit)}"]
            if self.groups is not None:
                row.append(str(self.groups[index[1]]))
            if self.periods is not None:
                row.append(str(self.periods[index[2]]))
            row += [
                format_value(self.achieved[index], standard.unit),
                str(int(self.n[index])),
                str(status[index]).replace("_", " "),
                str(evidence[index]),
            ]
            cells.append(row)
        return headers, cells

    def __repr__(self) -> str:
        from .._core.display import text_table

        headers, cells = self.table()
        return f"StandardResults({len(self.standards)} standards)\n" + text_table(headers, cells)

    def _repr_html_(self) -> str:
        from .._core.display import html_table

        headers, cells = self.table()
        return html_table(headers, cells, caption=f"{len(self.standards)} service standards")


def plain_value(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _is_standard(value: Any) -> bool:
    # By marker rather than isinstance, so that a module imported twice (doctest collection) still matches.
    return getattr(value, "_cskpi_standard", False) is True


def standard_list(standards: Any) -> tuple[Standard, ...]:
    if _is_standard(standards):
        return (standards,)
    if isinstance(standards, str | Path):
        return load_standards(standards)
    if not isinstance(standards, list | tuple):
        raise InvalidTypeError(
            "standards must be a Standard, a list or tuple of Standard objects, or the path of a "
            f"standards file; got {type(standards).__name__}"
        )
    items = tuple(standards)
    for index, item in enumerate(items):
        if not _is_standard(item):
            raise InvalidTypeError(
                f"standards must hold Standard objects; got {type(item).__name__} at index {index}"
            )
    names = [standard.name for standard in items]
    if len(set(names)) != len(names):
        repeated = next(name for name in names if names.count(name) > 1)
        raise InvalidInputError(f"standards must have distinct names; got {repeated!r} twice")
    return items


def evaluate_standards(
    standards: Any,
    contacts: Any,
    *,
    period: str | None = None,
    by: str | None = None,
    columns: Mapping[str, str] | None = None,
    confidence_level: float = 0.95,
    tz: str | None = None,
) -> StandardResults:
    """Evaluate service standards on a contacts table, per calendar period and group, in one call.

    Parameters
    ----------
    standards : Standard, sequence of Standard, or str / Path
        The standards, or the path of a TOML or JSON standards file.
    contacts : dict of array-likes, DataFrame, str or Path
        One row per contact: a dict of columns, a pandas or polars DataFrame, the path
        of a CSV file, or a Dask DataFrame (computed on its workers). Columns are found
        by role name (``created``,
        ``wait_seconds``, ``abandoned``, ``talk_seconds``, ``first_reply``,
        ``resolved``, ``nps``, ``csat``, ``ces``…; see :data:`cskpi._report.io.ROLES`),
        or through ``columns``.
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, optional
        Evaluate per calendar period of the ``created`` column (every period from
        the first to the last contact). Default: over the whole table.
    by : str, optional
        Name of a column to evaluate per group of (``'channel'``, ``'agent'``).
    columns : mapping of str to str, optional
        Role name -> column name for tables whose columns are named otherwise.
    confidence_level : float, default 0.95
        Level of the intervals that decide whether a pass or miss is clear.
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) of the report: timestamps with UTC offsets
        (or zoned DataFrame columns) are instants, placed in periods by their wall
        clock in this zone, and durations between them are exact. Default: naive
        local timestamps, or the zone of zoned columns. Naive timestamps with ``tz``
        raise.

    Returns
    -------
    StandardResults
        ``achieved``, ``n``, ``low``/``high``, ``status``, ``gap``, ``clear`` per
        (standard, group, period).

    Notes
    -----
    Each standard's metric is computed by its library function (``service_level``,
    ``nps``…) called once with ``by=`` the cell (group x period) of every contact,
    so all cells come from one vectorised pass. A standard is *met* when the
    achieved value is on the target's side (``>=`` for ``at_least``, ``<=`` for
    ``at_most``), *within tolerance* when it is not but reaches ``tolerated``, and
    *undefined* when the metric has no value in the cell. A pass or miss is *clear*
    when the metric's confidence interval (Wilson for rates, Wald for NPS, normal for
    CES) lies entirely on the side of the target the achieved value is on; metrics
    without an interval are reported as such (``has_interval`` False), never as clear.
    Empty cells give NaN without a warning.

    Examples
    --------
    Eight calls of which six answered within 20 s: 75 %, short of 80 % but within the
    tolerated 70 %; with eight calls the Wilson interval (0.41, 0.93) straddles the
    target, so the miss is not clear.

    >>> from cskpi import Standard, evaluate_standards
    >>> calls = {"wait_seconds": [5, 8, 12, 15, 19, 3, 40, 75]}
    >>> sl = Standard(name="SL 80/20", metric="service_level", target=0.8, tolerated=0.7,
    ...               params={"threshold_seconds": 20})
    >>> result = evaluate_standards(sl, calls)
    >>> result.achieved.item(), result.status.item(), result.clear.item()
    (0.75, 'within_tolerance', False)
    """
    items = standard_list(standards)
    level = check_confidence_level(confidence_level)
    if period is not None and period not in PERIODS:
        raise InvalidInputError(f"period must be one of {PERIODS}; got {period!r}")
    if type(contacts).__module__.startswith("dask.") and hasattr(contacts, "map_partitions"):
        # A Dask DataFrame: measured on the workers, then the same assembly.
        from .._dask.report import evaluate_standards_on_dask

        return evaluate_standards_on_dask(
            items, contacts, period=period, by=by, columns=columns, level=level, tz=tz
        )
    table = as_table(contacts, columns, tz)
    cells = build_cells(table, period, by)
    measures = [measure(item.metric, item.parameters, table, cells, level) for item in items]
    return standard_results(items, measures, cells, level)


def standard_results(
    items: tuple[Standard, ...], measures: list[Measured], cells: Cells, level: float
) -> StandardResults:
    """The standards' statuses from each standard's metric measured over the cells."""
    shape = (len(items), cells.n_groups, cells.n_periods)
    achieved = np.full(shape, np.nan)
    n = np.zeros(shape, dtype=np.int64)
    low = np.full(shape, np.nan)
    high = np.full(shape, np.nan)
    for position, measured in enumerate(measures):  # a loop over standards, not rows or groups
        achieved[position] = measured.values.reshape(shape[1:])
        n[position] = measured.n.reshape(shape[1:])
        if measured.low is not None and measured.high is not None:
            low[position] = measured.low.reshape(shape[1:])
            high[position] = measured.high.reshape(shape[1:])
    return StandardResults(
        standards=items,
        achieved=achieved,
        n=n,
        low=low,
        high=high,
        groups=cells.groups,
        periods=cells.periods,
        period=cells.period,
        by=cells.by,
        confidence_level=level,
    )


def measure(
    metric: str, parameters: dict[str, Any], table: ContactsTable, cells: Cells, confidence_level: float
) -> Measured:
    """Compute one metric of :data:`STANDARD_METRICS` over the cells (no warnings for empty cells)."""
    spec = check_roles(metric, table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        return spec.compute(table, cells, parameters, confidence_level)


def check_roles(metric: str, table: ContactsTable) -> MetricSpec:
    """The metric's spec, once the table is found to have every column the metric reads."""
    spec = STANDARD_METRICS[metric]
    for role in spec.roles:
        if not table.has(role):
            raise table.missing(role, f"needed for {spec.label} ({ROLE_MEANINGS.get(role, role)})")
    return spec


ROLE_MEANINGS = {
    "created": "the contact's creation time",
    "wait_seconds": "queue waits in seconds",
    "talk_seconds": "talk time in seconds",
    "abandoned": "the abandoned flag",
    "first_reply": "first-reply timestamps",
    "resolved": "resolution timestamps",
    "nps": "0-10 answers",
    "csat": "CSAT answers",
    "ces": "CES answers",
}


# --------------------------------------------------------------------------- files


def _file_error(source: str, index: int | None, name: Any, message: str) -> InvalidInputError:
    where = source
    if index is not None:
        where += f": standard {index + 1}" + (f" ({name!r})" if isinstance(name, str) else "")
    return InvalidInputError(f"{where}: {message}")


def standards_from_data(data: Any, *, source: str = "standards") -> tuple[Standard, ...]:
    """Standards from parsed TOML/JSON data: ``{"standard": [{...}, ...]}`` or a list of tables."""
    entries = data.get("standard") if isinstance(data, Mapping) else data
    if isinstance(data, Mapping):
        extra = sorted(set(data) - {"standard"})
        if extra:
            raise _file_error(
                source, None, None, f"unknown top-level key {extra[0]!r} (expected [[standard]] tables)"
            )
    if entries is None:
        raise _file_error(
            source, None, None, "no standards: expected [[standard]] tables (TOML) or a 'standard' list"
        )
    if not isinstance(entries, list):
        raise _file_error(
            source, None, None, f"'standard' must be a list of tables; got {type(entries).__name__}"
        )
    standards = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise _file_error(source, index, None, f"must be a table of fields; got {type(entry).__name__}")
        name = entry.get("name")
        unknown = sorted(set(entry) - set(_FIELDS))
        if unknown:
            raise _file_error(
                source, index, name, f"unknown field {unknown[0]!r} (fields: {', '.join(_FIELDS)})"
            )
        for field in ("name", "metric", "target"):
            if field not in entry:
                raise _file_error(source, index, name, f"field {field!r} is required")
        try:
            standards.append(Standard(**{str(key): value for key, value in entry.items()}))
        except (InvalidInputError, InvalidTypeError) as error:
            raise _file_error(source, index, name, f"field {error}") from None
    try:
        return standard_list(standards)
    except InvalidInputError as error:
        raise _file_error(source, None, None, str(error)) from None


def load_standards(path: str | Path) -> tuple[Standard, ...]:
    """Load standards from a TOML (``.toml``) or JSON (``.json``) file.

    Parameters
    ----------
    path : str or Path
        A file holding ``[[standard]]`` tables (TOML) or ``{"standard": [...]}`` (JSON,
        or a bare list), each with the fields of :class:`Standard`: ``name``,
        ``metric``, ``target`` (required), ``direction``, ``tolerated``,
        ``description`` and a ``params`` table.

    Returns
    -------
    tuple of Standard

    Raises
    ------
    InvalidInputError
        For a file that cannot be parsed or a standard that is invalid; the message
        names the file, the standard (position and name) and the field.

    Examples
    --------
    A TOML standards file::

        [[standard]]
        name = "Calls answered within 20 s"
        metric = "service_level"
        target = 0.8
        tolerated = 0.75

        [standard.params]
        threshold_seconds = 20
    """
    source = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in (".toml", ".json"):
        raise InvalidInputError(
            f"{source}: standards files must be .toml or .json; got {suffix or 'no suffix'!r}"
        )
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInputError(f"{source}: cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"{source}: is not UTF-8 text") from None
    try:
        data = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInputError(f"{source}: is not valid TOML ({error})") from None
    except json.JSONDecodeError as error:
        raise InvalidInputError(f"{source}: is not valid JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise InvalidInputError(f"{source}: is nested too deeply to be a standards file") from None
    except ValueError:  # an integer beyond Python's digit limit for text conversion
        raise InvalidInputError(
            f"{source}: has a number with too many digits (more than {sys.get_int_max_str_digits()})"
        ) from None
    return standards_from_data(data, source=source)


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_value(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInputError(f"cannot write a non-finite number to TOML; got {value!r}")
        return repr(value)
    if isinstance(value, str):
        # JSON string escapes are TOML basic-string escapes; DEL must be escaped too in TOML.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise InvalidTypeError(f"cannot write {type(value).__name__} to TOML; got {value!r}")


def standards_to_toml(standards: Iterable[Standard]) -> str:
    """The TOML text of a standards file (``[[standard]]`` tables)."""
    lines = ["# Service standards (cskpi). Rates are fractions (0.8 = 80 %), times in seconds."]
    for standard in standards:
        data = standard.to_dict()
        params = data.pop("params", None)
        lines += ["", "[[standard]]"]
        lines += [f"{_toml_key(key)} = {_toml_value(value)}" for key, value in data.items()]
        if params:
            lines += ["", "[standard.params]"]
            lines += [f"{_toml_key(key)} = {_toml_value(value)}" for key, value in params.items()]
    return "\n".join(lines) + "\n"


def save_standards(standards: Any, path: str | Path) -> None:
    """Write standards to a TOML (``.toml``) or JSON (``.json``) file that :func:`load_standards` reads back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cskpi import Standard, load_standards, save_standards
    >>> csat_goal = Standard(name="CSAT 85 %", metric="csat", target=0.85)
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "standards.toml"
    >>> save_standards([csat_goal], path)
    >>> load_standards(path) == (csat_goal,)
    True
    """
    items = standard_list(standards)
    suffix = Path(path).suffix.lower()
    if suffix == ".toml":
        text = standards_to_toml(items)
    elif suffix == ".json":
        text = json.dumps(
            {"standard": [standard.to_dict() for standard in items]}, indent=2, ensure_ascii=False
        )
        text += "\n"
    else:
        raise InvalidInputError(f"path must end in .toml or .json; got {str(path)!r}")
    Path(path).write_text(text, encoding="utf-8")
