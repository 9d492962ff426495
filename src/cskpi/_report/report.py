"""KPI reports: the standard KPI set per calendar period and group, with baseline, change and trend.

:func:`kpi_report` takes one contacts table (a dict of columns, a pandas or polars
DataFrame, or a CSV file) and computes, per period and optional group, every KPI
whose columns are present: volume, service level, ASA, AHT, abandonment, first
response and resolution times, NPS with its margin of error, CSAT, CES,
repeat-contact retention, and the status of service standards. Each KPI is computed
by the library's function (``volume``, ``service_level``, ``nps``…) called once with
``by=`` the (group, period) cell of every contact; this module adds no formula of its
own, only the comparison of periods.
"""

from __future__ import annotations

import csv
import io
import json
import math
import warnings
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import attrs
import numpy as np
from numpy.typing import NDArray

from .._core.checks import check_confidence_level
from .._core.display import (
    MISSING,
    format_change,
    format_value,
    html_table,
    markdown_table,
    text_table,
)
from .._core.distributions import binomial_cdf
from .._core.errors import InvalidInputError, InvalidTypeError, UndefinedMetricWarning
from .._core.optional import require
from .._core.registry import REGISTRY
from .._core.results import ARRAY_EQ
from .._core.time import (
    PERIODS,
    check_period,
    duration_seconds,
    period_ordinals,
    period_starts,
    to_datetime64,
)
from .._kpi.compare import mean_difference, rate_difference
from .._kpi.retention import CohortRetention, repeat_contact_retention
from .._kpi.service_level import SERVICE_LEVEL_POLICIES
from .._kpi.survey import nps_difference
from .._kpi.tickets import open_cases
from .io import ContactsTable, as_table
from .standards import (
    UNKNOWN_WAIT_RULES,
    Cells,
    Measured,
    MetricCall,
    StandardResults,
    build_cells,
    excluded_rows,
    measure,
    per_cell,
    plain_value,
    standard_list,
    standard_results,
)

__all__ = ["KPIReport", "KPISeries", "kpi_report"]

#: The words of a trend: a statistically clear rise or fall, or neither; ``''`` when undefined.
NO_CLEAR_CHANGE = "no clear change"
TRENDS: tuple[str, ...] = ("up", "down", NO_CLEAR_CHANGE, "")
#: What the report's rows and tables do with a group's period without contacts.
EMPTY_PERIODS: tuple[str, ...] = ("omit", "show")


@attrs.frozen(kw_only=True, repr=False)
class KPISeries:
    """One KPI of a report over groups and periods.

    Attributes
    ----------
    key, label : str
        Machine name (``'service_level'``) and column title (``'SL 20s'``).
    unit : str
        ``'count'``, ``'fraction'`` (in [0, 1]), ``'seconds'``, ``'points'`` (NPS) or
        ``'score'`` (mean answer, CES).
    better : str or None
        ``'higher'``, ``'lower'``, or None when neither is better (volume).
    values, n : ndarray, shape (n_groups, n_periods)
        The KPI and its sample size per cell; NaN where undefined.
    low, high : ndarray, shape (n_groups, n_periods)
        Confidence interval of each value; NaN for KPIs without one.
    change : ndarray, shape (n_groups, n_periods)
        Change from the previous period (NaN for the first period).
    change_clear : ndarray of bool, shape (n_groups, n_periods)
        Whether that change is beyond the noise (see ``test``).
    test : str
        How changes are judged, at the report's confidence level (see
        :data:`TESTS`): ``'nps_difference'`` (NPS: the interval of the difference
        from :func:`~cskpi.nps_difference` excludes 0), ``'rate_difference'``
        (rates: Newcombe's interval of the difference, :func:`~cskpi.rate_difference`,
        excludes 0), ``'mean_difference'`` (ASA, AHT, CES: Welch's interval of the
        difference of the means, :func:`~cskpi.mean_difference`, excludes 0),
        ``'poisson_counts'`` (volume, open cases: the exact conditional binomial
        test of two Poisson counts) or ``'none'`` (medians without an interval:
        never clear).
    baseline, latest : ndarray, shape (n_groups,)
        Value in the baseline period and in the last period.
    trend : ndarray of str, shape (n_groups,)
        ``'up'`` or ``'down'`` when the change from the baseline to the last period
        is statistically clear by ``test``, ``'no clear change'`` otherwise; ``''``
        where either value is undefined.
    n_used : ndarray of int, shape (n_groups, n_periods)
        Rows (contacts) of each cell the KPI was computed from.
    reasons : tuple of str
        Why the KPI leaves rows out (``'no queue wait'``, ``'not surveyed'``…).
    n_excluded : ndarray of int, shape (n_reasons, n_groups, n_periods)
        Rows of each cell left out, per reason. ``n_used`` plus the excluded rows
        of all reasons is the number of contacts of the cell.
    """

    key: str
    label: str
    unit: str
    better: str | None
    values: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    n: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)
    low: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    high: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    change: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    change_clear: NDArray[np.bool_] = attrs.field(eq=ARRAY_EQ)
    test: str
    baseline: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    latest: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ)
    trend: NDArray[np.str_] = attrs.field(eq=ARRAY_EQ)
    n_used: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)
    reasons: tuple[str, ...]
    n_excluded: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ)

    @property
    def excluded(self) -> dict[str, NDArray[np.int64]]:
        """Rows left out of each cell, per reason: arrays of shape (n_groups, n_periods)."""
        return dict(zip(self.reasons, self.n_excluded, strict=True))

    @property
    def n_rows(self) -> NDArray[np.int64]:
        """Rows of each cell: used plus excluded (the cell's contacts)."""
        total: NDArray[np.int64] = self.n_used + self.n_excluded.sum(axis=0, dtype=np.int64)
        return total

    @property
    def has_interval(self) -> bool:
        """True when the KPI has confidence intervals."""
        return bool(np.any(~np.isnan(self.low)))

    @property
    def verdict(self) -> NDArray[np.str_]:
        """``'better'``, ``'worse'`` or ``''`` for each group's trend, from the KPI's polarity."""
        if self.better is None:
            return np.full(self.trend.shape, "", dtype="<U6")
        improving = "up" if self.better == "higher" else "down"
        worsening = "down" if self.better == "higher" else "up"
        return np.where(self.trend == improving, "better", np.where(self.trend == worsening, "worse", ""))

    def __repr__(self) -> str:
        return f"KPISeries({self.key!r}, unit={self.unit!r}, shape={self.values.shape})"


def _shifted(result: Any, shape: tuple[int, int], columns: slice | int) -> Any:
    """The dense per-cell result restricted to some period columns of every group."""
    changes = {}
    for field in attrs.fields(type(result)):
        if field.metadata.get("cskpi_stat"):
            array = np.asarray(getattr(result, field.name))
            changes[field.name] = array.reshape(shape + array.shape[1:])[:, columns].reshape(
                -1, *array.shape[1:]
            )
    return attrs.evolve(result, **changes)


def _counts_apart(
    earlier: NDArray[np.float64], later: NDArray[np.float64], confidence_level: float
) -> NDArray[np.bool_]:
    """Whether two counts differ beyond Poisson noise: the conditional binomial test.

    Given ``n = a + b`` events, two Poisson counts with equal means split as
    ``b ~ Binomial(n, 1/2)``. The change is clear when the two-sided, equal-tailed
    exact test rejects equal means at ``1 - level``: ``P(X <= b) <= (1 - level) / 2``
    (a fall) or ``P(X >= b) = P(X <= a) <= (1 - level) / 2`` (a rise; the two tails
    mirror each other at p = 1/2). This is the same as the exact (Clopper-Pearson)
    interval of ``b / n`` excluding 1/2. Two periods of equal length are compared as
    they are.
    """
    tail = (1.0 - confidence_level) / 2.0
    known = ~np.isnan(earlier) & ~np.isnan(later)
    a, b = np.where(known, earlier, 0.0), np.where(known, later, 0.0)
    n = a + b
    fall = np.asarray(binomial_cdf(b, n, 0.5)) <= tail
    rise = np.asarray(binomial_cdf(a, n, 0.5)) <= tail
    apart: NDArray[np.bool_] = known & (fall | rise)
    return apart


def _mean_stats(result: Any) -> tuple[Any, Any, Any]:
    """(mean, sample variance, n) of a mean result: its own ``variance``, or from its sums of squares."""
    n = np.asarray(result.n, dtype=np.float64)
    if hasattr(type(result), "variance"):
        return np.asarray(result.mean, dtype=np.float64), np.asarray(result.variance, dtype=np.float64), n
    squares = next(f.name for f in attrs.fields(type(result)) if f.name.startswith("total_squared"))
    mean = np.asarray(result.value, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        deviations = np.maximum(np.asarray(getattr(result, squares), dtype=np.float64) - n * mean * mean, 0.0)
        variance = deviations / (n - 1.0)
    return mean, variance, n


def _has_moments(result: Any) -> bool:
    """True for a mean result that knows its variance (CES, CSAT) or its sum of squares (ASA, AHT)."""
    kind = type(result)
    return hasattr(kind, "variance") or any(f.name.startswith("total_squared") for f in attrs.fields(kind))


def _shifted_stats(stats: tuple[Any, ...], shape: tuple[int, int], columns: slice | int) -> tuple[Any, ...]:
    return tuple(np.asarray(part).reshape(shape)[:, columns].reshape(-1) for part in stats)


#: How a change of each kind of KPI is judged (``KPISeries.test``).
TESTS: dict[str, str] = {
    "nps_difference": "the interval of the difference of two NPS (nps_difference) excludes 0",
    "rate_difference": "Newcombe's interval of the difference of two rates (rate_difference) excludes 0",
    "mean_difference": "Welch's interval of the difference of two means (mean_difference) excludes 0",
    "poisson_counts": "the exact conditional binomial test of two Poisson counts rejects equal means",
    "none": "no test: a median without an interval is never called up or down",
}


def _compare(
    key: str,
    unit: str,
    measured: Measured,
    shape: tuple[int, int],
    first: slice | int,
    second: slice | int,
    confidence_level: float,
) -> tuple[NDArray[np.float64], NDArray[np.bool_], str]:
    """Difference ``second - first`` of period columns, and whether it is statistically clear."""
    values = measured.values.reshape(shape)
    later, earlier = values[:, second], values[:, first]
    difference = later - earlier
    result = measured.result

    def excludes_zero(interval: Any) -> NDArray[np.bool_]:
        low = np.asarray(interval.low).reshape(difference.shape)
        high = np.asarray(interval.high).reshape(difference.shape)
        with np.errstate(invalid="ignore"):
            clear: NDArray[np.bool_] = (low > 0) | (high < 0)
        return clear

    if key == "nps" and result is not None:
        test = nps_difference(
            _shifted(result, shape, second), _shifted(result, shape, first), confidence_level=confidence_level
        )
        return difference, excludes_zero(test.confidence_interval), "nps_difference"
    if unit == "fraction":
        # A rate: Newcombe's interval of the difference of the two periods' rates.
        if result is not None:
            pair_b, pair_a = _shifted(result, shape, second), _shifted(result, shape, first)
        else:  # retention has no result object: successes = rate x n, exact integers
            # No rate (the last period, whose next is not observed): no observations to compare.
            defined = ~np.isnan(measured.values)
            n = np.where(defined, measured.n, 0).astype(np.float64)
            successes = np.round(np.where(defined, measured.values, 0.0) * n)
            pair_b = _shifted_stats((successes, n), shape, second)
            pair_a = _shifted_stats((successes, n), shape, first)
        rates = rate_difference(pair_b, pair_a, confidence_level=confidence_level)
        return difference, excludes_zero(rates.confidence_interval), "rate_difference"
    if unit == "count":
        return difference, _counts_apart(earlier, later, confidence_level), "poisson_counts"
    if result is not None and _has_moments(result):
        stats = _mean_stats(result)
        means = mean_difference(
            _shifted_stats(stats, shape, second),
            _shifted_stats(stats, shape, first),
            confidence_level=confidence_level,
        )
        return difference, excludes_zero(means.confidence_interval), "mean_difference"
    return difference, np.zeros(difference.shape, dtype=bool), "none"


def _series(
    key: str,
    label: str,
    unit: str,
    better: str | None,
    measured: Measured,
    shape: tuple[int, int],
    baseline: int,
    confidence_level: float,
) -> KPISeries:
    n_periods = shape[1]
    values = measured.values.reshape(shape)
    nan = np.full(shape, np.nan)
    change = np.full(shape, np.nan)
    change_clear = np.zeros(shape, dtype=bool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        if n_periods > 1:
            difference, clear, test = _compare(
                key, unit, measured, shape, slice(0, -1), slice(1, None), confidence_level
            )
            change[:, 1:] = difference
            change_clear[:, 1:] = clear
        last = n_periods - 1
        overall, overall_clear, test = _compare(
            key,
            unit,
            measured,
            shape,
            slice(baseline, baseline + 1),
            slice(last, last + 1),
            confidence_level,
        )
    overall, overall_clear = overall[:, 0], overall_clear[:, 0]
    trend = np.where(overall_clear, np.where(overall > 0, "up", "down"), NO_CLEAR_CHANGE)
    trend = np.where(np.isnan(overall), "", trend)
    reasons = tuple(measured.excluded)
    excluded = np.zeros((len(reasons), *shape), dtype=np.int64)
    for index, reason in enumerate(reasons):
        excluded[index] = np.asarray(measured.excluded[reason]).reshape(shape)
    return KPISeries(
        key=key,
        label=label,
        unit=unit,
        better=better,
        values=values,
        n=measured.n.reshape(shape).astype(np.int64),
        low=nan if measured.low is None else measured.low.reshape(shape),
        high=nan if measured.high is None else measured.high.reshape(shape),
        change=change,
        change_clear=change_clear,
        test=test,
        baseline=values[:, baseline].copy(),
        latest=values[:, last].copy(),
        trend=trend.astype("<U15"),
        n_used=measured.rows_used.reshape(shape).astype(np.int64),
        reasons=reasons,
        n_excluded=excluded,
    )


# --------------------------------------------------------------------------- the report


@attrs.frozen(kw_only=True, repr=False)
class KPIReport:
    """A KPI report: KPIs per group and calendar period, baseline, change, trend and standards.

    Attributes
    ----------
    period : str
        The calendar period of the columns (``'day'``, ``'week'``, ``'month'``…).
    by : str or None
        The grouping column, or None.
    periods : ndarray of datetime64, shape (n_periods,)
        Start of every period from the first contact's to the last contact's.
    groups : ndarray or None, shape (n_groups,)
        Group labels (sorted), or None when not grouped.
    baseline_index : int
        Position of the baseline period in ``periods``.
    kpis : tuple of KPISeries
        The KPIs computed, in report order (only those whose columns exist).
    standards : StandardResults or None
        Standards evaluated on the same groups and periods.
    cohorts : CohortRetention or None
        The repeat-contact cohort table behind the retention KPI of an ungrouped
        report (None with ``by``: each group has its own table).
    n_contacts : int
        Rows of the contacts table.
    source : str or None
        The CSV file read, if any.
    settings : dict
        Options used (service-level threshold and policy, confidence level, empty
        periods).
    """

    _cskpi_report: ClassVar[bool] = True

    period: str
    by: str | None
    periods: NDArray[np.datetime64] = attrs.field(eq=ARRAY_EQ)
    groups: NDArray[Any] | None = attrs.field(eq=ARRAY_EQ)
    baseline_index: int
    kpis: tuple[KPISeries, ...]
    standards: StandardResults | None
    cohorts: CohortRetention | None
    n_contacts: int
    source: str | None
    settings: dict[str, Any]

    # ----------------------------------------------------------------- access

    @property
    def n_groups(self) -> int:
        """Number of groups (1 when not grouped)."""
        return 1 if self.groups is None else int(self.groups.shape[0])

    @property
    def baseline(self) -> np.datetime64:
        """Start of the baseline period."""
        return self.periods[self.baseline_index]  # type: ignore[no-any-return]

    def kpi(self, key: str) -> KPISeries:
        """The KPI of that key (``'nps'``, ``'service_level'``…)."""
        for series in self.kpis:
            if series.key == key:
                return series
        raise KeyError(f"no KPI {key!r} in this report; it has {', '.join(s.key for s in self.kpis)}")

    def __getitem__(self, key: str) -> KPISeries:
        return self.kpi(key)

    @property
    def has_contacts(self) -> NDArray[np.bool_]:
        """True for each (group, period) cell with at least one contact."""
        active: NDArray[np.bool_] = self.kpi("volume").values > 0
        return active

    def _cells(self) -> list[tuple[int, int]]:
        """The (group, period) cells the rows and tables show, per ``settings['empty_periods']``."""
        show = self.settings.get("empty_periods", "omit") == "show"
        active = self.has_contacts
        return [
            (group, position)
            for group in range(self.n_groups)
            for position in range(self.periods.shape[0])
            if show or active[group, position]
        ]

    def _group_label(self, group: int) -> Any:
        return None if self.groups is None else plain_value(self.groups[group])

    def rows(self) -> list[dict[str, Any]]:
        """One dict per (group, period) cell: each KPI's value, n, interval and change (NaN as None).

        Cells without contacts are left out unless the report was made with
        ``empty_periods='show'``.
        """
        out = []
        status = None if self.standards is None else self.standards.status
        for group, position in self._cells():
            start = self.periods[position]
            row: dict[str, Any] = {"period": str(start)}
            if self.groups is not None:
                row[self.by or "group"] = self._group_label(group)
            for series in self.kpis:
                row[series.key] = plain_value(series.values[group, position])
                row[f"{series.key}_n"] = int(series.n[group, position])
                row[f"{series.key}_n_used"] = int(series.n_used[group, position])
                row[f"{series.key}_n_excluded"] = int(series.n_excluded[:, group, position].sum())
                for reason, counts in series.excluded.items():
                    row[f"{series.key}_excluded_{_slug(reason)}"] = int(counts[group, position])
                if series.has_interval:
                    row[f"{series.key}_low"] = plain_value(series.low[group, position])
                    row[f"{series.key}_high"] = plain_value(series.high[group, position])
                row[f"{series.key}_change"] = plain_value(series.change[group, position])
                if series.test != "none":
                    row[f"{series.key}_change_clear"] = bool(series.change_clear[group, position])
            if status is not None and self.standards is not None:
                for index, standard in enumerate(self.standards.standards):
                    row[f"standard: {standard.name}"] = str(status[index, group, position])
            out.append(row)
        return out

    def trend_rows(self) -> list[dict[str, Any]]:
        """One dict per (KPI, group): baseline, latest, change, trend (up/down/no clear change), verdict."""
        out = []
        for series in self.kpis:
            verdict = series.verdict
            for group in range(self.n_groups):
                row: dict[str, Any] = {"kpi": series.key}
                if self.groups is not None:
                    row[self.by or "group"] = self._group_label(group)
                baseline, latest = series.baseline[group], series.latest[group]
                row.update(
                    baseline=plain_value(baseline),
                    latest=plain_value(latest),
                    change=plain_value(latest - baseline),
                    trend=str(series.trend[group]),
                    verdict=str(verdict[group]),
                    test=series.test,
                )
                out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The whole report as plain data (JSON-ready: NaN as None, dates as ISO strings)."""
        return {
            "source": self.source,
            "n_contacts": self.n_contacts,
            "period": self.period,
            "by": self.by,
            "periods": [str(start) for start in self.periods],
            "groups": None if self.groups is None else [plain_value(g) for g in self.groups],
            "baseline": str(self.baseline),
            "settings": dict(self.settings),
            "kpis": [
                {
                    "key": s.key,
                    "label": s.label,
                    "unit": s.unit,
                    "better": s.better,
                    "test": s.test,
                    "n_used": int(s.n_used.sum()),
                    "n_excluded": int(s.n_excluded.sum()),
                    "excluded": {reason: int(counts.sum()) for reason, counts in s.excluded.items()},
                }
                for s in self.kpis
            ],
            "rows": self.rows(),
            "trend": self.trend_rows(),
            "standards": None if self.standards is None else self.standards.to_dict(),
        }

    def to_pandas(self) -> Any:
        """The per-cell rows as a pandas DataFrame (requires pandas; ``period`` as datetime64)."""
        pandas = require("pandas", "to_pandas()")
        frame = pandas.DataFrame(self.rows())
        frame["period"] = pandas.to_datetime(frame["period"])
        return frame

    def to_polars(self) -> Any:
        """The per-cell rows as a polars DataFrame (requires polars; ``period`` as a date)."""
        polars = require("polars", "to_polars()")
        frame = polars.DataFrame(self.rows())
        return frame.with_columns(polars.col("period").str.to_date(strict=False))

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def to_csv(self) -> str:
        """The per-cell rows as CSV text (one row per group and period, empty cells for undefined)."""
        rows = self.rows()
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: "" if value is None else value for key, value in row.items()})
        return buffer.getvalue()

    # ----------------------------------------------------------------- tables

    def _label(self, start: Any) -> str:
        text = str(start)
        return text

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Headers and formatted cells of the main table (one row per group and period).

        Survey and rate columns carry ``±`` half-widths (NPS) and a ``↑``/``↓`` mark
        where the change from the previous period is beyond the noise.
        """
        headers = ["period"] + ([self.by or "group"] if self.groups is not None else [])
        headers += [series.label for series in self.kpis]
        cells = []
        active = self.has_contacts
        for group, position in self._cells():
            label = self._label(self.periods[position])
            if not active[group, position]:
                label += " (no contacts)"
            row = [label] + ([str(self.groups[group])] if self.groups is not None else [])
            for series in self.kpis:
                row.append(_cell(series, group, position))
            cells.append(row)
        return headers, cells

    def trend_table(self) -> tuple[list[str], list[list[str]]]:
        """Headers and formatted cells of the trend table (KPI x group)."""
        headers = ["KPI"] + ([self.by or "group"] if self.groups is not None else [])
        headers += [f"baseline {self.baseline}", f"latest {self.periods[-1]}", "change", "trend"]
        cells = []
        for series in self.kpis:
            verdict = series.verdict
            for group in range(self.n_groups):
                row = [series.label] + ([str(self.groups[group])] if self.groups is not None else [])
                change = series.latest[group] - series.baseline[group]
                trend = str(series.trend[group]) or MISSING
                if verdict[group]:
                    trend += f" ({verdict[group]})"
                row += [
                    format_value(series.baseline[group], series.unit),
                    format_value(series.latest[group], series.unit),
                    format_change(change, series.unit),
                    trend,
                ]
                cells.append(row)
        return headers, cells

    def rows_used_table(self) -> tuple[list[str], list[list[str]]]:
        """Headers and cells of the rows-used table: per KPI, rows used and rows left out, with reasons.

        Counts are summed over all groups and periods of the report; used plus
        excluded is the number of contacts for every KPI.
        """
        headers = ["KPI", "rows used", "excluded", "why excluded"]
        cells = []
        for series in self.kpis:
            excluded = int(series.n_excluded.sum())
            reasons = [
                f"{reason} {int(counts.sum()):,}"
                for reason, counts in series.excluded.items()
                if counts.sum()
            ]
            cells.append(
                [
                    series.label,
                    f"{int(series.n_used.sum()):,}",
                    f"{excluded:,}",
                    "; ".join(reasons) or MISSING,
                ]
            )
        return headers, cells

    def _title(self) -> str:
        source = f" of {self.source}" if self.source else ""
        grouped = f" and {self.by}" if self.by else ""
        return (
            f"KPI report{source}: {self.n_contacts:,} contacts, {self.periods[0]} to {self.periods[-1]}, "
            f"per {self.period}{grouped}"
        )

    def _notes(self) -> list[str]:
        settings = self.settings
        level = f"{settings['confidence_level']:.0%}"
        notes = []
        keys = {series.key for series in self.kpis}
        if "service_level" in keys:
            policy = settings["service_level_policy"]
            notes.append(
                f"SL: share answered within {settings['service_level_threshold']:g} s, formula {policy}: "
                f"{UNKNOWN_WAIT_RULES[policy]}; a blank wait without abandon is left out ('no queue wait')."
            )
        notes.append(
            f"± is the {level} margin of error; ↑/↓ mark changes from the previous period that are "
            f"statistically clear at {level} (NPS: nps_difference; rates: rate_difference; ASA, AHT, CES: "
            "Welch's mean_difference; counts: exact Poisson test; medians: never)."
        )
        empty = int(np.count_nonzero(~self.has_contacts))
        if empty:
            per = f"{self.by} and {self.period}" if self.by else self.period
            shown = "marked (no contacts)" if settings.get("empty_periods") == "show" else "not shown"
            notes.append(
                f"{empty:,} of {self.has_contacts.size:,} cells ({per}) without contacts are {shown}."
            )
        notes.append("Trend: latest period vs baseline by the same tests; 'no clear change' unless clear.")
        return notes

    def to_text(self) -> str:
        """The report as plain-text tables (what ``cskpi report`` prints)."""
        parts = [self._title(), "", text_table(*self.table()), "", "Trend", text_table(*self.trend_table())]
        if self.standards is not None:
            parts += ["", "Standards", text_table(*self.standards.table())]
        parts += ["", f"Rows used ({self.n_contacts:,} contacts)", text_table(*self.rows_used_table())]
        parts += ["", *self._notes()]
        return "\n".join(parts)

    def to_markdown(self) -> str:
        """The report as Markdown (title, tables, notes)."""
        parts = [f"## {self._title()}", "", markdown_table(*self.table()), "", "### Trend", ""]
        parts.append(markdown_table(*self.trend_table()))
        if self.standards is not None:
            parts += ["", "### Standards", "", markdown_table(*self.standards.table())]
        parts += ["", f"### Rows used ({self.n_contacts:,} contacts)", ""]
        parts.append(markdown_table(*self.rows_used_table()))
        parts += [""] + [f"* {note}" for note in self._notes()]
        return "\n".join(parts) + "\n"

    def __repr__(self) -> str:
        kpis = ", ".join(series.key for series in self.kpis)
        grouped = f", by={self.by!r} ({self.n_groups} groups)" if self.by else ""
        head = (
            f"KPIReport(period={self.period!r}{grouped}, {self.periods.shape[0]} periods, "
            f"{self.n_contacts} contacts; kpis: {kpis})"
        )
        return head + "\n" + text_table(*self.table())

    def _repr_html_(self) -> str:
        parts = [html_table(*self.table(), caption=self._title())]
        parts.append(html_table(*self.trend_table(), caption="Trend"))
        if self.standards is not None:
            parts.append(self.standards._repr_html_())
        parts.append(html_table(*self.rows_used_table(), caption="Rows used"))
        notes = "".join(f"<li>{note}</li>" for note in self._notes())
        return "<div>" + "".join(parts) + f"<ul style='font-size:smaller'>{notes}</ul></div>"


def _slug(reason: str) -> str:
    """A reason as part of a column name: ``'no queue wait'`` -> ``'no_queue_wait'``."""
    return "_".join("".join(c if c.isalnum() else " " for c in reason).split())


def _cell(series: KPISeries, group: int, position: int) -> str:
    value = series.values[group, position]
    text = format_value(value, series.unit)
    if text == MISSING:
        return text
    if series.key == "nps" and not math.isnan(series.low[group, position]):
        half = (series.high[group, position] - series.low[group, position]) / 2
        text += f" ±{half:.1f}"
    if series.change_clear[group, position]:
        text += " ↑" if series.change[group, position] > 0 else " ↓"
    return text


# --------------------------------------------------------------------------- computing


def _volume_measured(table: ContactsTable, cells: Cells) -> Measured:
    """Contacts per cell, as :func:`volume` counts them: every row is in one cell of the report."""
    counts = np.bincount(cells.codes, minlength=cells.n_cells).astype(np.int64)
    return Measured(values=counts.astype(np.float64), n=counts)  # every row counts


def _retention_parts(
    codes: NDArray[np.intp], known: NDArray[np.bool_], created: NDArray[np.datetime64], cells: Cells
) -> Iterator[tuple[int, NDArray[np.intp], NDArray[np.datetime64]]]:
    """Each group's customer codes and contact times (rows with a customer id only)."""
    rows = None if known.all() else np.flatnonzero(known)
    if rows is not None:
        codes, created = codes[rows], created[rows]
    if cells.n_groups == 1:
        yield 0, codes, created
        return
    # The rows sorted by group: one stable sort, a radix sort on the narrowest integers.
    narrow = np.uint8 if cells.n_groups <= 1 << 8 else np.uint16 if cells.n_groups <= 1 << 16 else np.intp
    group_codes = np.empty(codes.shape[0], dtype=narrow)
    np.floor_divide(
        cells.codes if rows is None else cells.codes[rows], cells.n_periods, out=group_codes, casting="unsafe"
    )
    order = np.argsort(group_codes, kind="stable")
    bounds = np.zeros(cells.n_groups + 1, dtype=np.intp)
    np.cumsum(np.bincount(group_codes, minlength=cells.n_groups), out=bounds[1:])
    del group_codes
    for group in range(cells.n_groups):
        members = order[bounds[group] : bounds[group + 1]]
        yield group, codes[members], created[members]


@attrs.frozen(kw_only=True)
class RetentionCounts:
    """Repeat-contact cohorts over the cells; counts of disjoint sets of customers add with ``+``.

    Per cell (group x period): ``sizes`` the customers first seen in the group that
    period, ``back`` those of them with a contact in the same group the next period,
    ``n_used`` and ``no_id`` the rows with and without a customer id. ``cohorts`` is
    the whole cohort table of an ungrouped report (None with groups, or without ids).
    """

    sizes: NDArray[np.int64]
    back: NDArray[np.int64]
    n_used: NDArray[np.int64]
    no_id: NDArray[np.int64]
    cohorts: CohortRetention | None

    def __add__(self, other: RetentionCounts) -> RetentionCounts:
        cohorts = self.cohorts
        if cohorts is None or other.cohorts is None:
            cohorts = cohorts if other.cohorts is None else other.cohorts
        else:
            cohorts = cohorts + other.cohorts
        return RetentionCounts(
            sizes=self.sizes + other.sizes,
            back=self.back + other.back,
            n_used=self.n_used + other.n_used,
            no_id=self.no_id + other.no_id,
            cohorts=cohorts,
        )


def retention_counts(table: ContactsTable, cells: Cells, end: np.datetime64) -> RetentionCounts:
    """Repeat-contact cohorts of the table's customers over the cells, observed up to ``end``.

    With groups, each group is its own history: a customer's cohort is their first
    contact *in the group*, and they count as back when they contact *the same group*
    the next period. :func:`repeat_contact_retention` has no ``by``, so it is called
    once per group (a loop over groups, each call vectorised over its contacts), on
    customer codes factorised once for the whole table. The counts are exact for a
    part of the contacts that holds every contact of its customers.
    """
    codes, known = table.label_codes("customer")  # a mapping's missing ids (anonymous callers) unknown
    sizes = np.zeros((cells.n_groups, cells.n_periods), dtype=np.int64)
    back = np.zeros((cells.n_groups, cells.n_periods), dtype=np.int64)
    assert cells.periods is not None
    table_of_all: CohortRetention | None = None
    for group, customers, created in _retention_parts(codes, known, table.local("created"), cells):
        if customers.shape[0] == 0:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            cohorts = repeat_contact_retention(
                customers,
                created,
                period=cells.period,  # type: ignore[arg-type]
                end=end,
            )
        position = np.searchsorted(cells.periods, cohorts.cohorts.astype(cells.periods.dtype))
        sizes[group, position] = cohorts.sizes
        if cohorts.classic_counts.shape[1] > 1:
            back[group, position] = cohorts.classic_counts[:, 1]
        if cells.by is None:
            table_of_all = cohorts
    return RetentionCounts(
        sizes=sizes.reshape(-1),
        back=back.reshape(-1),
        n_used=per_cell(cells, known),
        no_id=per_cell(cells, ~known),
        cohorts=table_of_all,
    )


def retention_measured(counts: RetentionCounts, cells: Cells) -> Measured:
    """Share of each cell's new customers who came back the next period (NaN in the last period)."""
    sizes = counts.sizes.reshape(cells.n_groups, cells.n_periods)
    back = counts.back.reshape(cells.n_groups, cells.n_periods)
    # The next period of the last one is not observed: every group is observed up to
    # the report's last contact.
    defined = sizes > 0
    defined[:, -1] = False
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(defined, back / np.where(defined, sizes, 1), np.nan)
    return Measured(
        values=values.reshape(-1).astype(np.float64),
        n=counts.sizes,
        n_used=counts.n_used,
        excluded={"no customer id": counts.no_id},
    )


def _retention_measured(table: ContactsTable, cells: Cells) -> tuple[Measured, CohortRetention | None]:
    """Repeat-contact retention per cell: customers first seen in the period who came back the next."""
    end = table.local("created").max()  # every group is observed up to the report's last contact
    counts = retention_counts(table, cells, end)
    return retention_measured(counts, cells), counts.cohorts


def open_cases_measured(table: ContactsTable, cells: Cells) -> Measured:
    """Tickets open at the end of each period (:func:`open_cases` at the next period's start)."""
    assert cells.period is not None
    assert cells.periods is not None
    valid = check_period(cells.period)
    ends = period_starts(period_ordinals(cells.periods.astype("datetime64[s]"), valid) + 1, valid)
    rows = np.flatnonzero(~table.get("abandoned")) if table.has("abandoned") else np.arange(table.n_rows)
    labels = None if cells.by is None else (cells.codes // cells.n_periods)[rows]  # group of each row
    call = MetricCall(table, {"created": "created", "resolved": "resolved"}, rows)
    # Counted on the wall clock of the report's zone, like the periods whose ends these are.
    result = call(open_cases, table.local("created")[rows], table.local("resolved")[rows], ends, by=labels)
    counts = np.zeros((cells.n_groups, cells.n_periods))
    if labels is None:
        counts[0] = result.n_open
    else:
        counts[np.asarray(result.labels, dtype=np.intp)] = result.n_open
    flat = counts.reshape(-1)
    abandoned = excluded_rows(table)
    excluded = {"abandoned": per_cell(cells, abandoned)} if table.has("abandoned") else {}
    return Measured(
        values=flat, n=flat.astype(np.int64), n_used=per_cell(cells, ~abandoned), excluded=excluded
    )


def _baseline_index(baseline: Any, periods: NDArray[np.datetime64], period: str) -> int:
    if baseline is None:
        return 0
    if isinstance(baseline, int | np.integer) and not isinstance(baseline, bool):
        index = int(baseline)
        if not -periods.shape[0] <= index < periods.shape[0]:
            raise InvalidInputError(
                f"baseline must be a period of the report (0..{periods.shape[0] - 1}); got {index}"
            )
        return int(index % periods.shape[0])
    stamp = to_datetime64(np.asarray([str(baseline)]), "baseline")[0]
    start = period_starts(period_ordinals(np.asarray([stamp]), period), period)[0]  # type: ignore[arg-type]
    matches = np.flatnonzero(periods == start)
    if matches.shape[0] == 0:
        raise InvalidInputError(
            f"baseline must fall in one of the report's periods ({periods[0]} to {periods[-1]}); "
            f"got {baseline!r}"
        )
    return int(matches[0])


def kpi_report(
    contacts: Any,
    *,
    period: str = "month",
    by: str | None = None,
    columns: Mapping[str, str] | None = None,
    standards: Any = None,
    baseline: Any = None,
    service_level_threshold: float = 20.0,
    service_level_policy: str = "abandoned_as_missed",
    confidence_level: float = 0.95,
    tz: str | None = None,
    empty_periods: str = "omit",
) -> KPIReport:
    """The standard KPI set of a contacts table per calendar period (and group), with trend and standards.

    Parameters
    ----------
    contacts : dict of array-likes, DataFrame, str or Path
        One row per contact: a dict of columns, a pandas or polars DataFrame, the
        path of a CSV file, or a Dask DataFrame (computed on its workers; see the Dask
        how-to). Columns are found by role name — ``created`` (required),
        ``channel``, ``agent``, ``customer``, ``wait_seconds``, ``abandoned``,
        ``talk_seconds``, ``hold_seconds``, ``after_work_seconds``, ``first_reply``,
        ``resolved``, ``nps``, ``csat``, ``ces`` — or through ``columns``. Empty
        cells mean "not measured" (no queue, no answer, not resolved yet).
    period : {'hour', 'day', 'week', 'month', 'quarter', 'year'}, default 'month'
        Calendar period of the report's columns (weeks start on Monday).
    by : str, optional
        A column to break every KPI down by (``'channel'``, ``'agent'``).
    columns : mapping of str to str, optional
        Role name -> column name, for tables named otherwise.
    standards : Standard, sequence of Standard, or path, optional
        Service standards to evaluate per group and period (see
        :func:`evaluate_standards`).
    baseline : period, optional
        The baseline period: a date in it (``'2026-01'``, ``'2026-01-15'``) or its
        position. Default: the first period.
    service_level_threshold : float, default 20
        Service-level threshold T [s]: the share answered within T.
    service_level_policy : str, default 'abandoned_as_missed'
        How abandoned contacts enter the service level (see :func:`service_level`).
    confidence_level : float, default 0.95
        Level of the intervals, margins of error and change tests.
    tz : str, optional
        IANA time zone (``'Europe/Paris'``) of the report: timestamps with UTC offsets
        (or zoned DataFrame columns) are instants, placed in periods by their wall
        clock in this zone, and durations between them are exact. Default: naive
        local timestamps, or the zone of zoned columns. Naive timestamps with ``tz``
        raise.
    empty_periods : {'omit', 'show'}, default 'omit'
        What the report's rows and tables (``rows()``, ``to_csv()``, ``to_text()``…)
        do with a period in which a group has no contact: leave it out, or show it
        marked ``(no contacts)``. The KPI arrays always cover every period from the
        first contact to the last, so changes compare consecutive calendar periods.

    Returns
    -------
    KPIReport
        ``kpis`` (one :class:`KPISeries` per KPI, arrays of shape (groups,
        periods)), the standards' results, ``to_dict()``, ``to_pandas()``,
        ``to_polars()``, ``to_text()``, ``to_markdown()``, ``to_csv()``, ``to_json()``,
        and an HTML display in notebooks.

    Notes
    -----
    KPIs and their functions (each called once with ``by=`` the cell of each
    contact; a KPI is left out when its columns are missing):

    ========================  =====================================================
    ``volume``                :func:`volume` — contacts created in the period
                              (counted on the report's cells)
    ``service_level``         :func:`service_level` over contacts with a queue wait
    ``asa``                   :func:`asa` over answered contacts
    ``aht``                   :func:`aht` over handled (not abandoned) contacts
    ``abandonment_rate``      :func:`abandonment_rate`
    ``frt_median``            :func:`first_response_time`, median, not abandoned
    ``resolution_median``     :func:`resolution_time`, median, not abandoned
    ``open_cases``            :func:`open_cases` at the end of the period
    ``nps``, ``csat``, ``ces``  :func:`nps`, :func:`csat`, :func:`ces` (unanswered skipped)
    ``retention``             :func:`repeat_contact_retention`: share of the
                              customers first seen in the period who came back
                              the next period; with ``by``, first seen in the
                              group and back in the same group
    ========================  =====================================================

    Changes from one period to the next, and the trend from the baseline to the
    last period, are called ``up`` or ``down`` only when they are statistically
    clear at ``confidence_level``, otherwise ``no clear change``: for the NPS when
    the interval of the difference from :func:`nps_difference` excludes 0; for rates
    (service level, abandonment, CSAT, retention) when Newcombe's interval of the
    difference from :func:`rate_difference` excludes 0; for means (ASA, AHT, CES)
    when Welch's interval from :func:`mean_difference` excludes 0; for counts
    (volume, open cases) by the exact conditional test of two Poisson counts (given
    ``a + b`` contacts, the later period's ``b`` is Binomial(a + b, 1/2) when the
    two rates are equal; periods of unequal length, such as months, are compared as
    they are). The median response and resolution times have no interval, and their
    changes are never called clear. Cells without data are NaN, without warnings.

    References
    ----------
    J. Przyborowski and H. Wilenski (1940), "Homogeneity of results in testing
    samples from Poisson series", Biometrika 31(3/4), 313-323,
    doi:10.2307/2332612 (the conditional binomial test of two Poisson counts).

    Examples
    --------
    >>> from cskpi import kpi_report
    >>> contacts = {
    ...     "created": ["2026-01-05T09:00", "2026-01-20T10:00", "2026-02-03T11:00", "2026-02-10T12:00"],
    ...     "wait_seconds": [10, 30, 15, 5],
    ...     "nps": [10, 6, 9, 10],
    ... }
    >>> report = kpi_report(contacts, period="month")
    >>> [series.key for series in report.kpis]
    ['volume', 'service_level', 'asa', 'nps']
    >>> report["service_level"].values.tolist(), report["nps"].values.tolist()
    ([[0.5, 1.0]], [[0.0, 100.0]])
    """
    if period not in PERIODS:
        raise InvalidInputError(f"period must be one of {PERIODS}; got {period!r}")
    if service_level_policy not in SERVICE_LEVEL_POLICIES:
        raise InvalidInputError(
            f"service_level_policy must be one of {SERVICE_LEVEL_POLICIES}; got {service_level_policy!r}"
        )
    if service_level_policy == "short_abandoned_as_met":
        raise InvalidInputError(
            "service_level_policy 'short_abandoned_as_met' needs a short-abandon time, which the report "
            "does not take; use another formula, or a standard with params short_abandon_seconds"
        )
    level = check_confidence_level(confidence_level)
    if by is not None and not isinstance(by, str):
        raise InvalidTypeError(f"by must be the name of a column (str); got {by!r}")
    if empty_periods not in EMPTY_PERIODS:
        raise InvalidInputError(f"empty_periods must be one of {EMPTY_PERIODS}; got {empty_periods!r}")
    items = None if standards is None else standard_list(standards)
    settings = {
        "service_level_threshold": float(service_level_threshold),
        "service_level_policy": service_level_policy,
        "confidence_level": level,
        "empty_periods": empty_periods,
    }
    if is_dask_frame(contacts):  # computed on the Dask workers: partial results, then this assembly
        from .._dask.report import kpi_report_on_dask

        return kpi_report_on_dask(
            contacts, period=period, by=by, columns=columns, standards=items, baseline=baseline, tz=tz,
            settings=settings,
        )  # fmt: skip
    table = as_table(contacts, columns, tz, by=by)
    if not table.has("created"):
        raise table.missing("created", "needed to place contacts in periods (when the contact arrived)")
    cells = build_cells(table, period, by)
    plan = report_plan(table.has, settings)
    measured: dict[str, Measured] = {}
    cohorts = None
    # Retention first: its temporaries (customer codes, rows sorted by group) are freed
    # before the other KPIs' columns are converted, so the two never add up in memory.
    for item in sorted(plan, key=lambda item: item.how != "retention"):  # a loop over KPIs, not rows
        if item.how == "volume":
            measured[item.key] = _volume_measured(table, cells)
        elif item.how == "open_cases":
            measured[item.key] = open_cases_measured(table, cells)
        elif item.how == "retention":
            measured[item.key], cohorts = _retention_measured(table, cells)
        else:
            measured[item.key] = measure(item.metric, item.params, table, cells, level)
    results = None
    if items:  # evaluate_standards on the report's own table and cells
        measures = [measure(item.metric, item.parameters, table, cells, level) for item in items]
        results = standard_results(items, measures, cells, level)
    return assemble_report(
        plan, measured, cells, baseline, results, cohorts, n_contacts=table.n_rows, source=table.source,
        settings=settings,
    )  # fmt: skip


def is_dask_frame(contacts: Any) -> bool:
    """Whether ``contacts`` is a Dask DataFrame (checked without importing Dask)."""
    return type(contacts).__module__.startswith("dask.") and hasattr(contacts, "map_partitions")


@attrs.frozen
class PlannedKPI:
    """One KPI of the report: its key, registry metric, how it is measured and its parameters."""

    key: str
    metric: str
    how: str  # 'volume', 'measure' (a standards metric), 'open_cases' or 'retention'
    params: dict[str, Any] = attrs.field(factory=dict)
    title: dict[str, Any] = attrs.field(factory=dict)


def report_plan(has: Any, settings: Mapping[str, Any]) -> list[PlannedKPI]:
    """The KPIs of the report for a table with the columns ``has(role)`` says it has, in order."""
    plan = [PlannedKPI("volume", "volume", "volume")]
    if has("wait_seconds"):
        threshold = settings["service_level_threshold"]
        params = {
            "threshold_seconds": duration_seconds(threshold, "service_level_threshold"),
            "policy": settings["service_level_policy"],
        }
        plan.append(
            PlannedKPI("service_level", "service_level", "measure", params, {"threshold_seconds": threshold})
        )
        plan.append(PlannedKPI("asa", "asa", "measure"))
    if has("talk_seconds"):
        plan.append(PlannedKPI("aht", "aht", "measure"))
    if has("abandoned"):
        plan.append(
            PlannedKPI("abandonment_rate", "abandonment_rate", "measure", {"short_abandon_seconds": None})
        )
    duration = {"statistic": "median", "business_hours": None}
    if has("first_reply"):
        plan.append(PlannedKPI("frt_median", "first_response_time", "measure", duration))
    if has("resolved"):
        plan.append(PlannedKPI("resolution_median", "resolution_time", "measure", duration))
        plan.append(PlannedKPI("open_cases", "open_cases", "open_cases"))
    if has("nps"):
        plan.append(PlannedKPI("nps", "nps", "measure", {"method": "wald"}))
    if has("csat"):
        plan.append(PlannedKPI("csat", "csat", "measure", {"scale": (1, 5), "satisfied_from": 4}))
    if has("ces"):
        plan.append(PlannedKPI("ces", "ces", "measure", {"scale": (1, 7), "easy_from": 5}))
    if has("customer"):
        plan.append(PlannedKPI("retention", "repeat_contact_retention", "retention"))
    return plan


def assemble_report(
    plan: list[PlannedKPI],
    measured: Mapping[str, Measured],
    cells: Cells,
    baseline: Any,
    results: StandardResults | None,
    cohorts: CohortRetention | None,
    *,
    n_contacts: int,
    source: str | None,
    settings: dict[str, Any],
) -> KPIReport:
    """The report from the measured KPIs over the cells: trends, changes and standards."""
    assert cells.periods is not None
    assert cells.period is not None
    shape = (cells.n_groups, cells.n_periods)
    base = _baseline_index(baseline, cells.periods, cells.period)
    level = settings["confidence_level"]
    kpis = []
    for item in plan:
        # Column title, unit and direction are the metric's registry entry.
        spec = REGISTRY[item.metric]
        label = spec.column_title(**item.title)
        kpis.append(_series(item.key, label, spec.unit, spec.better, measured[item.key], shape, base, level))
    return KPIReport(
        period=cells.period,
        by=cells.by,
        periods=cells.periods,
        groups=cells.groups,
        baseline_index=base,
        kpis=tuple(kpis),
        standards=results,
        cohorts=cohorts,
        n_contacts=n_contacts,
        source=source,
        settings=settings,
    )
