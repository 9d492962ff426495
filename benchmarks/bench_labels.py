"""Grouped KPIs by text labels: cskpi on every input kind against pandas' and polars' group-by.

python benchmarks/bench_labels.py            # full size (5M rows, 1,000 agents)
python benchmarks/bench_labels.py --smoke    # tiny sizes, a few seconds (CI)
python benchmarks/bench_labels.py --kind "numpy object" --metrics NPS --repeats 7

Grouped NPS (``cskpi.nps(scores, by=agents)``) and grouped service level
(``cskpi.service_level(wait, 20, abandoned=abandoned, by=agents)``) with the agent
labels held as a numpy object or str array, a pandas Series (object, ``string``,
``string[pyarrow]``), a polars Series or a pyarrow array, each timed against pandas'
``groupby`` on a frame holding the same labels and polars' ``group_by``. The
"without pyarrow" rows run cskpi as if pyarrow were not installed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import numpy as np

import cskpi
from cskpi._core.optional import unavailable
from harness import Row, available, compare, machine

THRESHOLD = 20.0


def make_data(n: int, n_agents: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    names = np.array([f"agent-{i:04d}{'-team' * (i % 3)}" for i in range(n_agents)])
    return {
        "agent": names[rng.integers(0, n_agents, n)],
        "agent_id": rng.integers(0, n_agents, n).astype(np.int32),
        "score": rng.integers(0, 11, n, dtype=np.int8),
        "wait": rng.exponential(30.0, n),
        "abandoned": rng.random(n) < 0.1,
    }


def label_kinds(agents: np.ndarray) -> dict[str, tuple[Callable[[], Any], str | None, bool]]:
    """Input kind -> (maker of the labels, pandas dtype of the reference frame, hide pyarrow)."""
    kinds: dict[str, tuple[Callable[[], Any], str | None, bool]] = {
        "numpy object": (lambda: agents.astype(object), "object", False),
        "numpy str": (lambda: agents, "object", False),
        "numpy object, without pyarrow": (lambda: agents.astype(object), "object", True),
        "numpy str, without pyarrow": (lambda: agents, "object", True),
    }
    if available("pandas"):
        import pandas as pd

        kinds["pandas object"] = (lambda: pd.Series(agents, dtype=object), "object", False)
        kinds["pandas string"] = (lambda: pd.Series(agents, dtype="string[python]"), "string[python]", False)
        if available("pyarrow"):
            kinds["pandas string[pyarrow]"] = (
                lambda: pd.Series(agents, dtype="string[pyarrow]"),
                "string[pyarrow]",
                False,
            )
    if available("polars") and available("pyarrow"):
        import polars as pl

        kinds["polars String"] = (lambda: pl.Series(agents.tolist()), "string[pyarrow]", False)
    if available("pyarrow"):
        import pyarrow as pa

        def chunked() -> Any:
            step = max(1, agents.shape[0] // 8)
            return pa.chunked_array([pa.array(agents[i : i + step]) for i in range(0, agents.shape[0], step)])

        kinds["pyarrow ChunkedArray (8 chunks)"] = (chunked, "string[pyarrow]", False)
    return kinds


def _context(hide: bool) -> AbstractContextManager[None]:
    return unavailable("pyarrow") if hide else nullcontext()


def grouped(
    data: dict[str, np.ndarray],
    metric: str,
    repeats: int,
    summary: list[tuple[str, str, list[Row]]],
    kinds: list[str] | None = None,
) -> None:
    scores, wait, abandoned = data["score"], data["wait"], data["abandoned"]
    agents = data["agent"]
    n = agents.shape[0]
    met = (~abandoned) & (wait <= THRESHOLD)
    for kind, (make, pandas_dtype, hide) in label_kinds(agents).items():
        if kinds is not None and kind not in kinds:
            continue
        labels = make()

        def run_cskpi(labels: Any = labels, hide: bool = hide) -> Any:
            with _context(hide):
                if metric == "NPS":
                    return cskpi.nps(scores, by=labels).score
                return cskpi.service_level(wait, THRESHOLD, abandoned=abandoned, by=labels).score

        candidates: dict[str, Callable[[], object]] = {"cskpi": run_cskpi}
        if available("pandas"):
            import pandas as pd

            frame = pd.DataFrame(
                {
                    "agent": pd.Series(agents, dtype=pandas_dtype),
                    "score": scores,
                    "wait": wait,
                    "abandoned": abandoned,
                }
            )

            def run_pandas(frame: Any = frame) -> Any:
                if metric == "NPS":
                    flags = frame.assign(promoter=frame.score >= 9, detractor=frame.score <= 6)
                    shares = flags.groupby("agent")[["promoter", "detractor"]].mean()
                    return 100.0 * (shares.promoter - shares.detractor)
                flags = frame.assign(met=(~frame.abandoned) & (frame.wait <= THRESHOLD))
                return flags.groupby("agent")["met"].mean()

            candidates["pandas groupby"] = run_pandas
            expected = run_pandas()
            got = run_cskpi()
            assert np.allclose(np.asarray(got, dtype=float), expected.to_numpy(dtype=float))
        if available("polars"):
            import polars as pl

            pl_frame = pl.DataFrame({"agent": agents, "score": scores, "met": met})

            def run_polars(pl_frame: Any = pl_frame) -> Any:
                if metric == "NPS":
                    return pl_frame.group_by("agent").agg(
                        100.0 * ((pl.col("score") >= 9).mean() - (pl.col("score") <= 6).mean())
                    )
                return pl_frame.group_by("agent").agg(pl.col("met").mean())

            candidates["polars group_by"] = run_polars
        rows = compare(f"grouped {metric} of {n:,} rows by {kind} labels", candidates, repeats=repeats)
        summary.append((metric, kind, rows))
    if kinds is not None and "numpy int32 ids" not in kinds:
        return
    ids = data["agent_id"]
    candidates = {
        "cskpi": (lambda: cskpi.nps(scores, by=ids).score)
        if metric == "NPS"
        else (lambda: cskpi.service_level(wait, THRESHOLD, abandoned=abandoned, by=ids).score)
    }
    if available("pandas"):
        import pandas as pd

        id_frame = pd.DataFrame({"agent": ids, "score": scores, "met": met})
        candidates["pandas groupby"] = (
            (
                lambda: (
                    id_frame.assign(p=id_frame.score >= 9, d=id_frame.score <= 6)
                    .groupby("agent")[["p", "d"]]
                    .mean()
                )
            )
            if metric == "NPS"
            else (lambda: id_frame.groupby("agent")["met"].mean())
        )
    summary.append(
        (metric, "numpy int32 ids", compare(f"grouped {metric} by int32 ids", candidates, repeats=repeats))
    )


def print_summary(summary: list[tuple[str, str, list[Row]]]) -> None:
    print("\n## Summary: median seconds, and cskpi's time as a multiple of pandas' (target <= 1.0)")
    print("| metric | labels | cskpi | pandas | cskpi / pandas | polars |")
    print("|---|---|---:|---:|---:|---:|")
    for metric, kind, rows in summary:
        times = {row.candidate: row.median_seconds for row in rows}
        pandas = times.get("pandas groupby")
        polars = times.get("polars group_by")
        ratio = f"{times['cskpi'] / pandas:.2f}" if pandas else "n/a"
        print(
            f"| {metric} | {kind} | {times['cskpi']:.3f} | {pandas or float('nan'):.3f} | {ratio} | "
            f"{polars or float('nan'):.3f} |"
        )


def _load() -> str:
    """The 1-, 5- and 15-minute load averages (other work on the machine skews timings)."""
    return " / ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--kind",
        action="append",
        help='an input kind to run, as named in the summary (repeatable, e.g. --kind "numpy object"); '
        "default: all",
    )
    parser.add_argument("--metrics", default="NPS,service level", help="comma-separated: NPS, service level")
    args = parser.parse_args(argv)
    print(machine() + (f", pyarrow {__import__('pyarrow').__version__}" if available("pyarrow") else ""))
    print(f"load average at start: {_load()}")
    summary: list[tuple[str, str, list[Row]]] = []
    n, n_agents, repeats = (20_000, 50, 1) if args.smoke else (5_000_000, 1_000, args.repeats)
    data = make_data(n, n_agents)
    kinds = args.kind
    for metric in (metric.strip() for metric in args.metrics.split(",")):
        grouped(data, metric, repeats, summary, kinds)
    print_summary(summary)
    print(f"load average at end: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
