"""Rendering helpers: value formatting, text / Markdown / HTML tables, and a generic result renderer.

Used by the KPI report, the standards results and the command line. Nothing here
computes a metric: :func:`result_html` and :func:`result_rows` only read the fields
and headline properties (``score``, ``n``, ``confidence_interval()``) of a result.
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from .errors import UndefinedMetricWarning
from .registry import display_figures
from .results import Grouped

__all__ = [
    "format_value",
    "html_table",
    "markdown_table",
    "result_html",
    "result_rows",
    "text_table",
]

MISSING = "–"


def format_seconds(seconds: float) -> str:
    """A duration in the largest readable unit: ``45 s``, ``12.5 min``, ``3.2 h``, ``2.1 d``.

    Examples
    --------
    >>> from cskpi._core.display import format_seconds
    >>> format_seconds(45.2), format_seconds(750), format_seconds(11520), format_seconds(181440)
    ('45.2 s', '12.5 min', '3.2 h', '2.1 d')
    """
    if seconds < 100:
        return f"{seconds:.1f} s"
    if seconds < 6000:
        return f"{seconds / 60:.1f} min"
    if seconds < 172_800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86_400:.1f} d"


def format_value(value: Any, unit: str) -> str:
    """Format a figure for a table: fractions as percentages, seconds readably, NaN as a dash.

    Examples
    --------
    >>> from cskpi._core.display import format_value
    >>> format_value(0.8534, "fraction"), format_value(31.25, "points"), format_value(float("nan"), "count")
    ('85.3%', '+31.2', '–')
    """
    if value is None:
        return MISSING
    number = float(value)
    if math.isnan(number):
        return MISSING
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if unit == "fraction":
        return f"{number:.1%}"
    if unit == "seconds":
        return format_seconds(number)
    if unit == "points":
        return f"{number:+.1f}"
    if unit == "count":
        return f"{number:,.0f}"
    return f"{number:.2f}"


def format_change(value: Any, unit: str) -> str:
    """A change between two figures: percentage points for fractions, signed otherwise."""
    if value is None or math.isnan(float(value)):
        return MISSING
    number = float(value)
    if unit == "fraction":
        return f"{100 * number:+.1f} pp"
    if unit == "seconds":
        sign = "+" if number >= 0 else "-"
        return sign + format_seconds(abs(number))
    if unit == "count":
        return f"{number:+,.0f}"
    return f"{number:+.1f}"


def text_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] | None = None
) -> str:
    """A plain-text table with aligned columns (numbers right-aligned unless ``right`` says otherwise).

    Examples
    --------
    >>> from cskpi._core.display import text_table
    >>> print(text_table(["channel", "NPS"], [["chat", "+12.0"], ["phone", "-3.5"]]))
    channel    NPS
    chat     +12.0
    phone     -3.5
    """
    if right is None:
        right = [all(_numeric(row[i]) for row in rows) and bool(rows) for i in range(len(headers))]
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)])


def _numeric(text: str) -> bool:
    stripped = text.strip().lstrip("+-±≥≤ ").replace(",", "").replace(".", "", 1)
    return text == MISSING or (bool(stripped) and (stripped[0].isdigit() or stripped[0] == "∞"))


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table (pipes in cells escaped).

    Examples
    --------
    >>> from cskpi._core.display import markdown_table
    >>> print(markdown_table(["a", "b"], [["1", "x|y"]]))
    | a | b |
    | --- | --- |
    | 1 | x\\|y |
    """

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return "\n".join(
        [line(headers), "| " + " | ".join("---" for _ in headers) + " |", *(line(r) for r in rows)]
    )


def html_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, caption: str | None = None) -> str:
    """A compact HTML table (escaped), for ``_repr_html_`` in Jupyter.

    Examples
    --------
    >>> from cskpi._core.display import html_table
    >>> html_table(["a"], [["<1>"]])[-50:]
    '<tbody><tr><td>&lt;1&gt;</td></tr></tbody></table>'
    """
    parts = ['<table class="cskpi">']
    if caption:
        parts.append(f'<caption style="text-align:left">{html.escape(caption)}</caption>')
    parts.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


# --------------------------------------------------------------------------- generic results


# The headline figures of every registered metric, in their display order.
_HEADLINES = display_figures()


def _headline_values(result: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for name in _HEADLINES:
            try:
                value = getattr(result, name)
            except (AttributeError, TypeError, ValueError):
                continue
            if callable(value) or value is None:
                continue
            values[name] = value
        interval = getattr(result, "confidence_interval", None)
        if callable(interval):
            try:
                low, high = interval()
            except (TypeError, ValueError):
                pass
            else:
                values["ci_low"], values["ci_high"] = low, high
    return values


def _cell(value: Any) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return MISSING if math.isnan(value) else f"{value:.4g}"
    if isinstance(value, np.ndarray):
        if value.size > 6:
            return f"array of shape {value.shape}"
        return "[" + ", ".join(_cell(v) for v in value.ravel()) + "]"
    return str(value)


def result_rows(result: Any) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of a result: one row (plain result) or one row per group (``Grouped``).

    Reads the headline properties (``score``, ``n``, ``mean_seconds``…), the
    confidence interval when the result has one, and the parameter fields.
    """
    grouped = isinstance(result, Grouped)
    values = result.values if grouped else result
    headline = _headline_values(values)
    params = {}
    if attrs.has(type(values)):
        for field in attrs.fields(type(values)):
            if not field.metadata.get("cskpi_stat", False) and field.name not in headline:
                params[field.name] = getattr(values, field.name)
    headers = list(headline)
    if not grouped:
        return headers + list(params), [
            [_cell(v) for v in headline.values()] + [_cell(v) for v in params.values()]
        ]
    keys = result.keys()
    rows = []
    for position, key in enumerate(keys):
        label = " / ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
        rows.append([label] + [_cell(np.asarray(v)[position]) for v in headline.values()])
    return [", ".join(result.names), *headers], rows


def result_html(result: Any) -> str:
    """Compact HTML table of a result or grouped result (see :func:`result_rows`).

    Examples
    --------
    >>> from cskpi import nps
    >>> from cskpi._core.display import result_html
    >>> "<td>10</td>" in result_html(nps([10, 9, 9, 10, 8, 7, 7, 6, 0, 3]))
    True
    """
    headers, rows = result_rows(result)
    name = type(result.values).__name__ if isinstance(result, Grouped) else type(result).__name__
    caption = f"Grouped[{name}] ({len(rows)} groups)" if isinstance(result, Grouped) else name
    return html_table(headers, rows, caption=caption)
