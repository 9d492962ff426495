"""``python -m cskpi [CSV]``: print the KPIs of a contacts file (default: the bundled example).

The file needs the columns it reports on: ``nps``, ``csat`` and ``ces`` (answers,
empty when not surveyed) and optionally ``channel`` to break the figures down.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._errors import InvalidInputError, InvalidTypeError
from ._io import example_contacts_path, numeric_column, read_csv_columns
from ._survey import ces, csat, nps


def _format(kind: str, label: str, result: Any) -> str:
    low, high = (
        result.confidence_interval(method="adjusted_wald") if kind == "nps" else result.confidence_interval()
    )
    if kind == "nps":
        return (
            f"{label:<10} NPS   {result.score:+7.1f}  95% CI [{low:+.1f}, {high:+.1f}]  n={result.n}"
            f"  promoters {result.promoter_share:.1%}  detractors {result.detractor_share:.1%}"
        )
    if kind == "csat":
        return (
            f"{label:<10} CSAT  {result.score:7.1%}  95% CI [{low:.1%}, {high:.1%}]  n={result.n}"
            f"  mean {result.mean:.2f} / 5"
        )
    return (
        f"{label:<10} CES   {result.score:7.2f}  95% CI [{low:.2f}, {high:.2f}]  n={result.n}"
        f"  easy {result.easy_share:.1%}"
    )


def _survey_lines(columns: dict[str, Any]) -> list[str]:
    """Overall and per-channel survey KPIs, each grouped metric in one pass."""
    metrics: dict[str, Callable[..., Any]] = {"nps": nps, "csat": csat, "ces": ces}
    overall: list[str] = []
    by_channel: dict[str, list[str]] = {}
    for kind, metric in metrics.items():
        if kind not in columns:
            continue
        answers = numeric_column(columns[kind], kind)
        answered = ~np.isnan(answers)
        if not answered.any():
            continue
        overall.append(_format(kind, "all", metric(answers[answered])))
        if "channel" in columns:
            grouped = metric(answers[answered], by=columns["channel"][answered])
            for label, result in grouped.items():
                by_channel.setdefault(label, []).append(_format(kind, label, result))
    return overall + [line for label in sorted(by_channel) for line in by_channel[label]]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m cskpi`` and the ``cskpi`` script."""
    parser = argparse.ArgumentParser(prog="cskpi", description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", help="contacts CSV (default: the bundled example)")
    args = parser.parse_args(argv)
    path = args.csv or example_contacts_path()
    try:
        columns = read_csv_columns(path)
        n_rows = len(next(iter(columns.values()))) if columns else 0
        print(f"cskpi survey KPIs for {path} ({n_rows} contacts)")
        lines = _survey_lines(columns)
    except (InvalidInputError, InvalidTypeError, OSError) as error:
        print(f"cskpi: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines) if lines else "no survey columns (nps, csat, ces) found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
