"""Plots of cskpi results (optional: needs matplotlib, the ``plot`` extra).

Every function draws on a matplotlib ``Axes`` (a new figure when ``ax`` is None) and
returns it (:func:`report_overview` returns the ``Figure``). matplotlib is imported
when a function is called, never when cskpi is imported. The figures show what the
metric functions computed; nothing is recomputed here:

* :func:`nps_trend` — NPS per period with its confidence band (from a
  :class:`~cskpi.KPIReport`, or a contacts table);
* :func:`service_level_curve` — the service-level curve of :func:`~cskpi.service_level`
  over thresholds, against a target, for one formula or several;
* :func:`answer_time_distribution` — a histogram of answer (or response) times with
  the percentiles of :func:`~cskpi.answer_time_percentile`;
* :func:`staffing_curve` — agents required per interval (:func:`~cskpi.agents_required`),
  one or several models, against the offered traffic;
* :func:`retention_heatmap` — a cohort table of :func:`~cskpi.repeat_contact_retention`;
* :func:`open_cases_over_time` — :func:`~cskpi.open_cases` at regular instants, and the
  :func:`~cskpi.backlog` (open longer than an age limit) with ``age_limit_seconds``;
* :func:`report_overview` — one small panel per KPI of a report;
* :func:`control_chart` — a :class:`~cskpi.ControlChart` with its limits and signals.

Examples
--------
>>> import cskpi, cskpi.plot  # doctest: +SKIP
>>> report = cskpi.kpi_report(cskpi._report.io.example_contacts_path(), by="channel")  # doctest: +SKIP
>>> cskpi.plot.report_overview(report).savefig("overview.png")  # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ._core.checks import abandoned_mask
from ._core.errors import InvalidInputError, InvalidTypeError, UndefinedMetricWarning
from ._core.optional import require
from ._core.time import period_ordinals, period_starts, to_datetime64, to_seconds
from ._kpi.control import ControlChart
from ._kpi.queueing.staffing import Staffing
from ._kpi.retention import CohortRetention
from ._kpi.service_level import answer_time_percentile, service_level
from ._kpi.tickets import backlog, open_cases
from ._report.report import KPIReport, kpi_report

__all__ = [
    "answer_time_distribution",
    "control_chart",
    "nps_trend",
    "open_cases_over_time",
    "report_overview",
    "retention_heatmap",
    "service_level_curve",
    "staffing_curve",
]

_STEPS = ("hour", "day", "week")


def _pyplot() -> Any:
    """matplotlib.pyplot, imported on first use (optional dependency)."""
    return require("matplotlib.pyplot", "cskpi.plot", "plot")


def _axes(ax: Any, figsize: tuple[float, float] = (7.0, 4.0)) -> Any:
    if ax is not None:
        return ax
    _, new_ax = _pyplot().subplots(figsize=figsize, layout="constrained")
    return new_ax


def _as_report(data: Any, **options: Any) -> KPIReport:
    if getattr(data, "_cskpi_report", False) is True:
        report: KPIReport = data
        return report
    return kpi_report(data, **options)


def _period_axis(ax: Any, periods: Any) -> Any:
    """Positions 0..n-1 for the periods, labelled with their starts (``2026-01``, ``2026-01-05``)."""
    positions = np.arange(len(periods))
    step = max(1, len(periods) // 8)
    ax.set_xticks(positions[::step], [str(start) for start in periods][::step])
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return positions


def nps_trend(data: Any, *, period: str = "month", by: str | None = None, ax: Any = None) -> Any:
    """NPS per period with its confidence band, one line per group.

    Parameters
    ----------
    data : KPIReport or contacts table
        A report with an ``nps`` KPI, or a contacts table (dict of columns, DataFrame
        or CSV path with ``created`` and ``nps`` columns), reported with
        :func:`~cskpi.kpi_report` using ``period`` and ``by``.
    period, by : str, optional
        Used only when ``data`` is a contacts table.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Lines of the NPS, bands of its confidence interval (the report's level,
        Wald), in NPS points.
    """
    report = _as_report(data, period=period, by=by)
    series = report.kpi("nps")
    ax = _axes(ax)
    x = _period_axis(ax, report.periods)
    labels = ["all"] if report.groups is None else [str(g) for g in report.groups]
    for group, label in enumerate(labels):
        (line,) = ax.plot(x, series.values[group], marker="o", label=label)
        ax.fill_between(x, series.low[group], series.high[group], color=line.get_color(), alpha=0.15)
    ax.axhline(0.0, color="grey", linewidth=0.8)
    level = report.settings["confidence_level"]
    ax.set_title(f"NPS per {report.period} with {level:.0%} confidence band")
    ax.set_ylabel("NPS (points)")
    if report.groups is not None:
        ax.legend(title=report.by)
    return ax


def service_level_curve(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    target: float = 0.8,
    threshold_seconds: float = 20.0,
    policy: str | Sequence[str] = "abandoned_as_missed",
    short_abandon_seconds: float | None = None,
    max_seconds: float | None = None,
    by: Any = None,
    ax: Any = None,
) -> Any:
    """The service-level curve (share answered within t, for every t) against a target.

    Parameters
    ----------
    wait_seconds, abandoned, short_abandon_seconds, by
        As in :func:`~cskpi.service_level` (one curve per group with ``by``).
    target : float, default 0.8
        Target service level, a fraction in [0, 1], drawn as a horizontal line.
    threshold_seconds : float, default 20
        Threshold of the standard [s], drawn as a vertical line.
    policy : str or sequence of str, default 'abandoned_as_missed'
        The formula (a name of :data:`~cskpi.SERVICE_LEVEL_POLICIES`), or several: one
        curve per formula (and per group), to compare them on the same contacts.
    max_seconds : float, optional
        Right end of the curve [s]; default four times the threshold.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        One line per formula and group, in that order, then the target and threshold
        lines. Each curve is :func:`~cskpi.service_level` at 201 thresholds from 0 to
        ``max_seconds``.

    Examples
    --------
    Eight calls, one abandoned after 8 s; the five formulas on one axes:

    >>> import pytest; _ = pytest.importorskip("matplotlib")
    >>> import cskpi, cskpi.plot
    >>> waits = [5, 12, 18, 25, 40, 60, 8, 3]
    >>> ax = cskpi.plot.service_level_curve(
    ...     waits, abandoned=[False] * 6 + [True, False], policy=cskpi.SERVICE_LEVEL_POLICIES,
    ...     short_abandon_seconds=5)
    >>> [line.get_label() for line in ax.get_lines()][:2]
    ['abandoned_within_as_met', 'abandoned_ignored']
    >>> float(ax.get_lines()[2].get_ydata()[50])  # formula 3 at 20 s: 4 of 8 within 20 s
    0.5
    """
    if not 0.0 <= float(target) <= 1.0:
        raise InvalidInputError(f"target must be a fraction in [0, 1] (0.8, not 80); got {target!r}")
    end = 4.0 * float(threshold_seconds) if max_seconds is None else float(max_seconds)
    if not end > 0:
        raise InvalidInputError(f"max_seconds must be positive; got {max_seconds!r}")
    policies = [policy] if isinstance(policy, str) else list(policy)
    if not policies:
        raise InvalidInputError("policy must name at least one formula; got an empty sequence")
    thresholds = np.linspace(0.0, end, 201)
    ax = _axes(ax)
    for name in policies:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            result = service_level(  # type: ignore[call-overload]
                wait_seconds,
                thresholds,
                abandoned=abandoned,
                policy=name,
                short_abandon_seconds=short_abandon_seconds,
                by=by,
            )
            scores = np.atleast_2d(result.score)
        groups = ["all"] if by is None else [str(label) for label in result]
        for row, group in zip(scores, groups, strict=True):
            label = group if len(policies) == 1 else (name if by is None else f"{group}, {name}")
            ax.plot(thresholds, row, label=label)
    ax.axhline(target, color="tab:red", linestyle="--", linewidth=1, label=f"target {target:.0%}")
    ax.axvline(threshold_seconds, color="grey", linestyle=":", linewidth=1)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel("threshold (s)")
    ax.set_ylabel("share answered within threshold")
    ax.set_title(f"Service level curve ({policies[0]})" if len(policies) == 1 else "Service level curves")
    ax.legend(fontsize=8 if len(policies) > 1 else None)
    return ax


_UNITS = {"s": 1.0, "min": 60.0, "h": 3600.0}


def answer_time_distribution(
    wait_seconds: Any,
    *,
    abandoned: Any = None,
    quantiles: Sequence[float] = (0.5, 0.8, 0.9),
    abandoned_policy: str = "never_answered",
    bins: int = 40,
    unit: str = "s",
    max_seconds: float | None = None,
    ax: Any = None,
) -> Any:
    """A histogram of answer times with their percentiles marked.

    Parameters
    ----------
    wait_seconds, abandoned, abandoned_policy
        As in :func:`~cskpi.answer_time_percentile`: queue waits (or any response
        times) [s], and which contacts were abandoned. Abandoned contacts are drawn
        apart, stacked on the answered ones, at the time they gave up.
    quantiles : sequence of float, default (0.5, 0.8, 0.9)
        Levels, fractions in [0, 1], of the percentiles drawn as vertical lines (a
        percentile that is infinite, fewer than that share having been answered, is
        left out of the picture and its legend says so).
    bins : int, default 40
        Number of equal-width bars from 0 to the longest time.
    unit : {'s', 'min', 'h'}, default 's'
        Unit of the time axis (the data stay in seconds).
    max_seconds : float, optional
        Right end of the histogram [s], for a long tail: longer times are counted in
        the last bar (the axis label says so). Default: the longest time.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        One vertical line per percentile, at ``answer_time_percentile(...).seconds``
        (computed on all the times, whatever ``max_seconds``).

    Examples
    --------
    >>> import pytest; _ = pytest.importorskip("matplotlib")
    >>> import cskpi.plot
    >>> ax = cskpi.plot.answer_time_distribution([4, 8, 12, 15, 19, 26, 31, 45, 70, 120],
    ...                                          quantiles=[0.5, 0.9])
    >>> [float(line.get_xdata()[0]) for line in ax.get_lines()]  # t(5) and t(9)
    [19.0, 70.0]
    """
    if unit not in _UNITS:
        raise InvalidInputError(f"unit must be one of {tuple(_UNITS)}; got {unit!r}")
    if not (isinstance(bins, int | np.integer) and bins > 0):
        raise InvalidInputError(f"bins must be a positive integer; got {bins!r}")
    levels = [float(q) for q in quantiles]
    # Read as the percentile reads them (timedeltas, pandas, polars, Arrow; checked).
    waits = to_seconds(wait_seconds, "wait_seconds")
    mask = abandoned_mask(abandoned, ("wait_seconds", waits))
    if waits.shape[0] == 0:
        raise InvalidInputError("wait_seconds must hold at least one time to draw; got none")
    percentiles = answer_time_percentile(
        waits,
        quantile=levels,
        abandoned=mask,
        abandoned_policy=abandoned_policy,  # type: ignore[arg-type]
    )
    gave_up = np.zeros(waits.shape, dtype=bool) if mask is None else mask
    scale = _UNITS[unit]
    end = max(float(waits.max()), 1.0) if max_seconds is None else float(max_seconds)
    if not end > 0:
        raise InvalidInputError(f"max_seconds must be positive; got {max_seconds!r}")
    edges = np.linspace(0.0, end / scale, bins + 1)
    shown = np.minimum(waits, end) / scale  # the tail in the last bar
    ax = _axes(ax)
    stacked = [shown[~gave_up]] + ([shown[gave_up]] if gave_up.any() else [])
    labels = ["answered"] + (["abandoned"] if gave_up.any() else [])
    ax.hist(stacked, bins=edges, stacked=True, label=labels, color=["tab:blue", "tab:orange"][: len(stacked)])
    colors = ("black", "tab:red", "tab:purple", "tab:green", "tab:brown")
    for index, (level, seconds) in enumerate(zip(levels, np.atleast_1d(percentiles.seconds), strict=True)):
        name = f"p{100 * level:g}"
        if np.isfinite(seconds):
            ax.axvline(
                seconds / scale,
                color=colors[index % len(colors)],
                linestyle="--",
                linewidth=1.2,
                label=f"{name} = {seconds / scale:.3g} {unit}",
            )
        else:
            ax.plot([], [], " ", label=f"{name}: never reached")
    clipped = max_seconds is not None and float(waits.max()) > end
    ax.set_xlabel(
        f"answer time ({unit})" + (f"; last bar: {end / scale:g} {unit} or more" if clipped else "")
    )
    ax.set_ylabel("contacts")
    ax.set_title(f"Answer times of {waits.shape[0]:,} contacts")
    ax.legend(fontsize=8)
    return ax


def staffing_curve(
    staffing: Staffing | Mapping[str, Staffing],
    *,
    x: Any = None,
    xlabel: str = "interval",
    ax: Any = None,
) -> Any:
    """Agents required per interval, one stepped line per staffing result, over the offered traffic.

    Parameters
    ----------
    staffing : Staffing or mapping of str to Staffing
        From :func:`~cskpi.agents_required` over a day (or any run of intervals); a
        mapping draws several, labelled by its keys (Erlang C and Erlang A, say).
        They must have the same number of intervals.
    x : array of float, optional
        The start of each interval (hours of the day, say); evenly spaced. Default:
        the interval numbers 0, 1, 2…
    xlabel : str, default 'interval'
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        The offered traffic (Erlangs) of the first result as a grey area, then one
        step line per result (its ``agents``).

    Examples
    --------
    >>> import pytest; _ = pytest.importorskip("matplotlib")
    >>> import cskpi, cskpi.plot
    >>> calls = [120, 300, 450, 280]
    >>> staffing = cskpi.agents_required(calls, 300, 1800, service_level=0.8, threshold_seconds=20)
    >>> staffing.agents.tolist()
    [25, 57, 83, 53]
    >>> ax = cskpi.plot.staffing_curve({"Erlang C": staffing}, x=[8, 8.5, 9, 9.5], xlabel="hour")
    >>> ax.patches[-1].get_data().values.tolist()
    [25.0, 57.0, 83.0, 53.0]
    """
    results = {"agents": staffing} if isinstance(staffing, Staffing) else staffing
    if (
        not isinstance(results, Mapping)
        or not results
        or not all(isinstance(result, Staffing) for result in results.values())
    ):
        raise InvalidTypeError(
            f"staffing must be a Staffing result or a mapping of names to them; got {type(staffing).__name__}"
        )
    first = next(iter(results.values()))
    n = np.atleast_1d(first.agents).shape[0]
    if any(np.atleast_1d(result.agents).shape[0] != n for result in results.values()):
        raise InvalidInputError("staffing results must have the same number of intervals")
    starts = np.arange(n, dtype=float) if x is None else np.asarray(x, dtype=float)
    if starts.shape != (n,):
        raise InvalidInputError(f"x must hold one start per interval ({n}); got shape {starts.shape}")
    step = float(starts[1] - starts[0]) if n > 1 else 1.0
    if n > 1 and not np.allclose(np.diff(starts), step):
        raise InvalidInputError("x must be evenly spaced (the start of each interval)")
    edges = np.append(starts, starts[-1] + step)
    ax = _axes(ax)
    ax.stairs(
        np.atleast_1d(first.traffic), edges, fill=True, color="lightgrey", label="offered traffic (Erlangs)"
    )
    for name, result in results.items():
        ax.stairs(np.atleast_1d(result.agents).astype(float), edges, linewidth=1.5, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("agents")
    ax.set_xlim(edges[0], edges[-1])
    ax.set_title("Agents required per interval")
    ax.legend(fontsize=8)
    return ax


def control_chart(chart: ControlChart, *, title: str | None = None, ax: Any = None) -> Any:
    """A control chart: the points, the centre line, the 3σ limits (stepped where they vary) and signals.

    Parameters
    ----------
    chart : ControlChart
        From :func:`~cskpi.p_chart`, :func:`~cskpi.u_chart` or :func:`~cskpi.xmr_chart`.
    title : str, optional
        Default: the kind of chart.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Line 0 the points, line 1 the centre, lines 2 and 3 the lower and upper limits;
        the flagged points are marked in red.
    """
    if not isinstance(chart, ControlChart):
        raise InvalidTypeError(f"chart must be a ControlChart; got {type(chart).__name__}")
    ax = _axes(ax)
    positions = np.arange(chart.n)
    ax.plot(positions, chart.observed, marker="o", markersize=3, color="tab:blue", label="observed")
    ax.plot(positions, np.full(chart.n, chart.center), color="grey", linewidth=1, label="centre")
    ax.step(positions, chart.lower, where="mid", color="tab:red", linestyle="--", linewidth=1, label="limits")
    ax.step(positions, chart.upper, where="mid", color="tab:red", linestyle="--", linewidth=1)
    flagged = chart.signal
    if flagged.any():
        ax.plot(positions[flagged], np.asarray(chart.observed)[flagged], "o", color="tab:red", label="signal")
    if chart.period is not None:
        _period_axis(ax, [str(label) for label in np.asarray(chart.period)])
    names = {"p": "p-chart", "p'": "Laney p′-chart", "u": "u-chart", "xmr": "individuals (XmR) chart"}
    ax.set_title(title if title is not None else names.get(chart.kind, chart.kind))
    ax.legend(fontsize=8)
    return ax


def retention_heatmap(
    cohorts: CohortRetention, *, rolling: bool = False, vmax: float | None = None, ax: Any = None
) -> Any:
    """Cohort retention as a heatmap: cohorts (rows) by periods since first contact (columns).

    Parameters
    ----------
    cohorts : CohortRetention
        From :func:`~cskpi.repeat_contact_retention` (or a report's ``cohorts``).
    rolling : bool, default False
        Show the rolling rates instead of the classic ones.
    vmax : float, optional
        Top of the colour scale, a fraction in (0, 1]. Default: the largest rate after
        the first period (whose rate is always 1), so that the differences between
        later periods show; the first column is then drawn in the top colour.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Cells are annotated with the rate in percent; unobserved cells are blank.
    """
    if not hasattr(cohorts, "classic_rates"):
        raise InvalidTypeError(f"cohorts must be a CohortRetention result; got {type(cohorts).__name__}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        rates = np.asarray(cohorts.rolling_rates if rolling else cohorts.classic_rates, dtype=float)
    if vmax is None:
        later = rates[:, 1:]
        top = float(np.nanmax(later)) if np.isfinite(later).any() else 1.0
        top = top if top > 0 else 1.0
    else:
        top = float(vmax)
        if not 0.0 < top <= 1.0:
            raise InvalidInputError(f"vmax must be a fraction in (0, 1]; got {vmax!r}")
    ax = _axes(ax, figsize=(1.0 + 0.7 * rates.shape[1], 1.0 + 0.45 * rates.shape[0]))
    image = ax.imshow(np.ma.masked_invalid(rates), cmap="viridis", vmin=0.0, vmax=top, aspect="auto")
    for (row, column), value in np.ndenumerate(rates):
        if not np.isnan(value):
            color = "white" if value < 0.6 * top else "black"
            ax.text(column, row, f"{value:.0%}", ha="center", va="center", fontsize=8, color=color)
    ax.set_xticks(range(rates.shape[1]))
    ax.set_yticks(range(rates.shape[0]), [str(start) for start in cohorts.cohorts])
    ax.set_xlabel(f"{cohorts.period}s since first contact")
    ax.set_ylabel("cohort (first contact)")
    ax.set_title(f"Repeat-contact retention ({'rolling' if rolling else 'classic'})")
    ax.figure.colorbar(image, ax=ax, label="share of cohort")
    return ax


def open_cases_over_time(
    created: Any,
    resolved: Any,
    *,
    every: str = "day",
    age_limit_seconds: float | None = None,
    by: Any = None,
    ax: Any = None,
) -> Any:
    """Tickets open over time: :func:`~cskpi.open_cases` at the start of every hour, day or week.

    Parameters
    ----------
    created, resolved, by
        As in :func:`~cskpi.open_cases` (NaT resolved = still open).
    every : {'hour', 'day', 'week'}, default 'day'
        Spacing of the snapshots, from the first creation to the last event.
    age_limit_seconds : float, optional
        Also draw the :func:`~cskpi.backlog`: the tickets open for longer than this
        [s] at each snapshot (shaded, or dashed per group).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        A step line of the open tickets (one per group), and with ``age_limit_seconds``
        the backlog under it.

    Examples
    --------
    Three tickets; the third is still open. At midnight of 3 January two are open, one
    of them for longer than a day:

    >>> import pytest; _ = pytest.importorskip("matplotlib")
    >>> import numpy as np, cskpi.plot
    >>> created = np.array(["2026-01-01T09:00", "2026-01-02T10:00", "2026-01-02T15:00"], "datetime64[s]")
    >>> resolved = np.array(["2026-01-01T17:00", "2026-01-03T12:00", "NaT"], "datetime64[s]")
    >>> ax = cskpi.plot.open_cases_over_time(created, resolved, age_limit_seconds=12 * 3600)
    >>> ax.get_lines()[0].get_ydata().tolist(), ax.get_lines()[1].get_ydata().tolist()
    ([0, 0, 2, 1], [0, 0, 1, 1])
    """
    if every not in _STEPS:
        raise InvalidInputError(f"every must be one of {_STEPS}; got {every!r}")
    start = to_datetime64(created, "created")
    end = to_datetime64(resolved, "resolved", allow_nat=True)
    if start.shape[0] == 0:
        raise InvalidInputError("created must hold at least one ticket; got an empty array")
    last = max(start.max(), end[~np.isnat(end)].max()) if (~np.isnat(end)).any() else start.max()
    # Snapshots at the start of every period (ISO weeks start on Monday), one past the last event.
    bounds = period_ordinals(np.asarray([start.min(), last]), every)  # type: ignore[arg-type]
    ordinals = np.arange(int(bounds[0]), int(bounds[1]) + 2, dtype=np.int64)
    instants = period_starts(ordinals, every).astype("datetime64[s]")  # type: ignore[arg-type]
    if age_limit_seconds is None:
        result: Any = open_cases(start, end, instants, by=by)
    else:
        result = backlog(start, end, instants, age_limit_seconds=age_limit_seconds, by=by)
    ax = _axes(ax)
    x = instants.astype("datetime64[s]")
    names = ["open"] if by is None else [str(label) for label in result]
    opened = np.atleast_2d(result.n_open)
    old = None if age_limit_seconds is None else np.atleast_2d(result.n_backlog)
    for row, name in enumerate(names):
        (line,) = ax.step(x, opened[row], where="post", label=name)
        if old is not None:
            limit = _duration_text(float(age_limit_seconds))  # type: ignore[arg-type]
            label = f"open > {limit}" if by is None else f"{name}, open > {limit}"
            if by is None:
                ax.step(x, old[row], where="post", color="tab:red", label=label)
                ax.fill_between(x, old[row], step="post", color="tab:red", alpha=0.25)
            else:
                ax.step(x, old[row], where="post", color=line.get_color(), linestyle="--", label=label)
    if by is not None or old is not None:
        ax.legend(fontsize=8)
    ax.set_ylabel("open tickets")
    ax.set_title(f"Open cases at the start of each {every}" + ("" if old is None else " and the backlog"))
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return ax


def _duration_text(seconds: float) -> str:
    """``86400`` -> ``'1 d'``, ``14400`` -> ``'4 h'``, ``90`` -> ``'90 s'``."""
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"


def report_overview(report: KPIReport, *, kpis: Sequence[str] | None = None, columns: int = 3) -> Any:
    """One panel per KPI of a report (lines per group over the periods), with standards' targets.

    Parameters
    ----------
    report : KPIReport
    kpis : sequence of str, optional
        Keys of the KPIs to show (default: all of the report's).
    columns : int, default 3
        Panels per row.

    Returns
    -------
    matplotlib Figure
    """
    if getattr(report, "_cskpi_report", False) is not True:
        raise InvalidTypeError(f"report must be a KPIReport; got {type(report).__name__}")
    keys = [series.key for series in report.kpis] if kpis is None else list(kpis)
    if not keys:
        raise InvalidInputError("kpis must name at least one KPI of the report")
    chosen = [report.kpi(key) for key in keys]
    rows = -(-len(chosen) // columns)
    figure, axes = _pyplot().subplots(
        rows, columns, figsize=(4.0 * columns, 2.8 * rows), squeeze=False, layout="constrained"
    )
    labels = ["all"] if report.groups is None else [str(g) for g in report.groups]
    targets: dict[str, float] = {}
    if report.standards is not None:
        for standard in report.standards.standards:
            params = standard.parameters
            same_service_level = (
                params.get("threshold_seconds") == report.settings["service_level_threshold"]
                and params.get("policy") == report.settings["service_level_policy"]
            )
            if standard.metric != "service_level" or same_service_level:
                targets.setdefault(_KPI_OF_METRIC.get(standard.metric, ""), standard.target)
    for ax, series in zip(axes.ravel(), chosen, strict=False):
        scale = 100.0 if series.unit == "fraction" else 1.0
        x = _period_axis(ax, report.periods)
        for group, label in enumerate(labels):
            ax.plot(x, series.values[group] * scale, marker="o", markersize=3, label=label)
        if series.key in targets:
            ax.axhline(targets[series.key] * scale, color="tab:red", linestyle="--", linewidth=1)
        unit = {"fraction": "%", "seconds": "s", "points": "points", "count": "", "score": ""}[series.unit]
        ax.set_title(series.label + (f" ({unit})" if unit else ""), fontsize=10)
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    for ax in axes.ravel()[len(chosen) :]:
        ax.set_visible(False)
    if report.groups is not None:
        axes.ravel()[0].legend(fontsize=7, title=report.by, title_fontsize=7)
    figure.suptitle(f"KPIs per {report.period}")
    return figure


# Which report KPI a standard's metric is drawn on.
_KPI_OF_METRIC = {
    "service_level": "service_level",
    "asa": "asa",
    "aht": "aht",
    "abandonment_rate": "abandonment_rate",
    "nps": "nps",
    "csat": "csat",
    "ces": "ces",
}
