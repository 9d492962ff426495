"""cskpi.dask against Dask's own groupby and polars ``scan_parquet``, on a Parquet data set with text keys.

python benchmarks/bench_dask.py                     # 20 M rows in 40 files (minutes)
python benchmarks/bench_dask.py --rows 5e6 --files 20
python benchmarks/bench_dask.py --smoke             # tiny sizes, seconds (CI)

Writes a synthetic contacts data set (agent and channel names as text, NaN where a
survey was not answered or a contact did not queue) with pyarrow, starts a
``distributed.LocalCluster`` of two worker processes (one thread each), and times,
in one run and alternately:

* the 7-figure set (NPS, CSAT, CES, service level, abandonment, AHT, ASA) by
  ``--by`` (agent by default): ``cskpi.dask`` as seven calls (one ``dask.compute``
  over the seven, each with its interval, each reading its own columns) and as one
  pass (``cskpi.dask.compute``: every partition read once for the seven); Dask's own
  ``groupby().sum()`` of the same counts and sums
  (the figures without intervals); polars ``scan_parquet().group_by().agg()`` on this
  machine's threads;
* the monthly report: ``cskpi.kpi_report(frame, period="month", by="channel")`` on the
  cluster; Dask's groupby of the report's counts and sums by (month, channel);
  polars the same.

Each line gives the median time and the ratio to Dask's groupby. The counts of
cskpi.dask and of Dask's groupby are checked equal.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from harness import available

CHANNELS = np.array(["chat", "email", "phone", "social"])


def survey(rng: np.random.Generator, size: int, low: int, high: int, share: float) -> Any:
    """Answers on a low..high scale for a ``share`` of the contacts, NaN for the others."""
    answers = rng.integers(low, high + 1, size).astype(float)
    return np.where(rng.random(size) < share, answers, np.nan)


def write_data_set(directory: Path, n_rows: int, n_files: int, n_agents: int, seed: int = 7) -> None:
    """``n_files`` Parquet files of synthetic contacts (written file by file: bounded memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    agents = np.array([f"agent {k:05d}" for k in range(n_agents)])
    start = np.datetime64("2026-01-01T00:00:00", "s")
    for index, size in enumerate(np.diff(np.linspace(0, n_rows, n_files + 1).astype(np.int64))):
        channel = CHANNELS[rng.integers(0, CHANNELS.shape[0], size)]
        queued = channel != "email"
        abandoned = queued & (rng.random(size) < 0.05)
        wait = np.where(queued, np.round(rng.exponential(25.0, size)), np.nan)
        talk = np.where(abandoned, np.nan, rng.integers(30, 900, size).astype(float))

        table = pa.table(
            {
                "created": start + np.sort(rng.integers(0, 120 * 86400, size)).astype("timedelta64[s]"),
                "channel": channel,
                "agent": agents[rng.integers(0, n_agents, size)],
                "wait_seconds": wait,
                "abandoned": abandoned,
                "talk_seconds": talk,
                "hold_seconds": np.where(abandoned, np.nan, rng.integers(0, 120, size).astype(float)),
                "after_work_seconds": np.where(abandoned, np.nan, rng.integers(0, 200, size).astype(float)),
                "nps": survey(rng, size, 0, 10, 0.3),
                "csat": survey(rng, size, 1, 5, 0.3),
                "ces": survey(rng, size, 1, 7, 0.2),
            }
        )
        pq.write_table(table, directory / f"part.{index:03d}.parquet")


# --------------------------------------------------------------------------- the 7 figures


def cskpi_figures(frame: Any, by: str) -> tuple[Any, ...]:
    import dask

    import cskpi.dask as cd

    queued = frame[frame["wait_seconds"].notnull()]
    answered = frame[~frame["abandoned"]]
    return dask.compute(
        cd.nps(frame["nps"], nan_policy="omit", by=frame[by], compute=False),
        cd.csat(frame["csat"], nan_policy="omit", by=frame[by], compute=False),
        cd.ces(frame["ces"], nan_policy="omit", by=frame[by], compute=False),
        cd.service_level(
            queued["wait_seconds"], 20, abandoned=queued["abandoned"], by=queued[by], compute=False
        ),
        cd.abandonment_rate(queued["abandoned"], by=queued[by], compute=False),
        cd.aht(
            answered["talk_seconds"],
            answered["hold_seconds"],
            answered["after_work_seconds"],
            by=answered[by],
            compute=False,
        ),
        cd.asa(queued["wait_seconds"], abandoned=queued["abandoned"], by=queued[by], compute=False),
    )


def cskpi_one_pass(frame: Any, by: str) -> tuple[Any, ...]:
    """The 7 figures in one pass over the partitions (``cskpi.dask.compute``), rows chosen by ``where``."""
    import cskpi
    import cskpi.dask as cd

    queued, handled = frame["wait_seconds"].notnull(), ~frame["abandoned"]
    return cd.compute(
        cd.figure(cskpi.nps, frame["nps"], nan_policy="omit", by=frame[by]),
        cd.figure(cskpi.csat, frame["csat"], nan_policy="omit", by=frame[by]),
        cd.figure(cskpi.ces, frame["ces"], nan_policy="omit", by=frame[by]),
        cd.figure(
            cskpi.service_level,
            frame["wait_seconds"],
            20,
            abandoned=frame["abandoned"],
            by=frame[by],
            where=queued,
        ),
        cd.figure(cskpi.abandonment_rate, frame["abandoned"], by=frame[by], where=queued),
        cd.figure(
            cskpi.aht,
            frame["talk_seconds"],
            frame["hold_seconds"],
            frame["after_work_seconds"],
            by=frame[by],
            where=handled,
        ),
        cd.figure(cskpi.asa, frame["wait_seconds"], abandoned=frame["abandoned"], by=frame[by], where=queued),
    )


def shared_read(frame: Any, by: str) -> tuple[Any, ...]:
    """The 7 figures reading every column once, shared by the figures (``engine.SHARED_READS``)."""
    from cskpi._dask import engine

    engine.SHARED_READS = True
    try:
        return cskpi_figures(frame, by)
    finally:
        engine.SHARED_READS = False


def indicator_columns(frame: Any) -> dict[str, Any]:
    """The counts and sums behind the 7 figures, as columns (Dask or polars expressions alike)."""
    queued = frame["wait_seconds"].notnull()
    answered = queued & ~frame["abandoned"]
    handled = ~frame["abandoned"]
    return {
        "nps_n": frame["nps"].notnull(),
        "promoters": frame["nps"] >= 9,
        "detractors": frame["nps"] <= 6,
        "csat_n": frame["csat"].notnull(),
        "satisfied": frame["csat"] >= 4,
        "ces_n": frame["ces"].notnull(),
        "ces_sum": frame["ces"].fillna(0),
        "offered": queued,
        "within": answered & (frame["wait_seconds"] <= 20),
        "abandoned_n": queued & frame["abandoned"],
        "handled": handled,
        "handle_sum": (
            frame["talk_seconds"].fillna(0)
            + frame["hold_seconds"].fillna(0)
            + frame["after_work_seconds"].fillna(0)
        ).where(handled, 0),
        "answered": answered,
        "wait_sum": frame["wait_seconds"].where(answered, 0),
    }


def dask_figures(frame: Any, keys: list[str]) -> Any:
    columns = indicator_columns(frame)
    table = frame[keys].assign(**{name: column.astype("float64") for name, column in columns.items()})
    return table.groupby(keys).sum().compute()


def polars_figures(pattern: str, keys: list[str]) -> Any:
    import polars as pl

    nps, csat, ces = pl.col("nps"), pl.col("csat"), pl.col("ces")
    wait, abandoned = pl.col("wait_seconds"), pl.col("abandoned")
    queued = wait.is_not_null()
    answered = queued & ~abandoned
    handle = pl.col("talk_seconds").fill_null(0) + pl.col("hold_seconds").fill_null(0)
    handle = handle + pl.col("after_work_seconds").fill_null(0)
    frame = pl.scan_parquet(pattern)
    if "month" in keys:
        frame = frame.with_columns(pl.col("created").dt.truncate("1mo").alias("month"))
    return (
        frame.with_columns(
            [
                pl.when(pl.col(c).is_nan()).then(None).otherwise(pl.col(c)).alias(c)
                for c in ("nps", "csat", "ces")
            ]
            + [wait.fill_nan(None).alias("wait_seconds")]
        )
        .group_by(keys)
        .agg(
            nps_n=nps.is_not_null().sum(),
            promoters=(nps >= 9).sum(),
            detractors=(nps <= 6).sum(),
            csat_n=csat.is_not_null().sum(),
            satisfied=(csat >= 4).sum(),
            ces_n=ces.is_not_null().sum(),
            ces_sum=ces.sum(),
            offered=queued.sum(),
            within=(answered & (wait <= 20)).sum(),
            abandoned_n=(queued & abandoned).sum(),
            handled=(~abandoned).sum(),
            handle_sum=pl.when(~abandoned).then(handle).otherwise(0).sum(),
            answered=answered.sum(),
            wait_sum=pl.when(answered).then(wait).otherwise(0).sum(),
        )
        .collect()
    )


def dask_report_figures(frame: Any) -> Any:
    return dask_figures(
        frame.assign(month=frame["created"].dt.to_period("M").dt.start_time), ["month", "channel"]
    )


# --------------------------------------------------------------------------- timing


def timed(candidates: dict[str, Callable[[], Any]], runs: int) -> dict[str, float]:
    """Median wall time of each candidate over ``runs`` alternating runs [s]."""
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(runs):
        for name, function in candidates.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def table(title: str, medians: dict[str, float], reference: str) -> None:
    print(f"\n{title}\n\n| candidate | median [s] | ratio to {reference} |\n|---|---:|---:|")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds:.2f} | {seconds / medians[reference]:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run (CI)")
    parser.add_argument("--rows", type=float, default=20e6, help="rows in the data set (default 20 M)")
    parser.add_argument("--files", type=int, default=40, help="Parquet files (default 40)")
    parser.add_argument("--agents", type=int, default=2000, help="distinct agent names (default 2,000)")
    parser.add_argument("--by", default="agent", choices=("agent", "channel"), help="group of the 7 figures")
    parser.add_argument("--runs", type=int, default=3, help="runs per candidate (median)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the LocalCluster")
    parser.add_argument(
        "--part", choices=("all", "figures", "report"), default="all", help="what to time (default all)"
    )
    parser.add_argument(
        "--shared-read", action="store_true", help="also time the 7 calls sharing one unoptimized read"
    )
    args = parser.parse_args(argv)
    needed = ("dask", "distributed", "pyarrow", "pandas")
    if not all(available(module) for module in needed):
        print(f"skipped: needs {', '.join(needed)}")
        return 0
    import dask
    import dask.dataframe as dd
    import distributed

    import cskpi

    n_rows, n_files, n_agents, runs = int(args.rows), args.files, args.agents, args.runs
    if args.smoke:
        n_rows, n_files, n_agents, runs = 20_000, 4, 50, 1
    print(
        f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"dask {dask.__version__}, cskpi {cskpi.__version__}"
        + (f", polars {__import__('polars').__version__}" if available("polars") else "")
    )
    directory = Path(tempfile.mkdtemp(prefix="cskpi-bench-dask-"))
    try:
        start = time.perf_counter()
        write_data_set(directory, n_rows, n_files, n_agents)
        written = time.perf_counter() - start
        print(f"{n_rows:,} rows in {n_files} files, {n_agents:,} agents: written in {written:.1f} s")
        pattern = str(directory / "*.parquet")
        with (
            distributed.LocalCluster(
                n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster),
        ):
            frame = dd.read_parquet(directory)
            # Same counts from both: the service level's offered contacts per group.
            sl = cskpi_figures(frame, args.by)[3]
            grouped = dask_figures(frame, [args.by])
            assert sl.n_offered.sum() == grouped["offered"].sum(), "cskpi.dask and dask's groupby disagree"
            assert sorted(sl.keys()) == sorted(grouped[grouped["offered"] > 0].index.tolist())
            one_pass = cskpi_one_pass(frame, args.by)
            for got, separate in zip(one_pass, cskpi_figures(frame, args.by), strict=True):
                assert np.array_equal(np.asarray(got.n), np.asarray(separate.n)), (
                    "one pass and calls disagree"
                )
            candidates: dict[str, Callable[[], Any]] = {
                "cskpi.dask, 7 calls (one read per figure)": lambda: cskpi_figures(frame, args.by),
                "cskpi.dask.compute, 7 figures in one pass": lambda: cskpi_one_pass(frame, args.by),
                "dask groupby().sum()": lambda: dask_figures(frame, [args.by]),
            }
            if args.shared_read:
                candidates["cskpi.dask, 7 calls sharing one unoptimized read"] = lambda: shared_read(
                    frame, args.by
                )
            if available("polars"):
                candidates["polars scan_parquet (this machine)"] = lambda: polars_figures(pattern, [args.by])
            if args.part in ("all", "figures"):
                medians = timed(candidates, runs)
                table(f"7 figures by {args.by}", medians, "dask groupby().sum()")
            if args.part == "figures":
                return 0
            report = {
                "cskpi kpi_report on Dask (8 KPIs, trend)": lambda: cskpi.kpi_report(
                    frame, period="month", by="channel"
                ),
                "dask groupby by (month, channel)": lambda: dask_report_figures(frame),
            }
            if available("polars"):
                report["polars scan_parquet by (month, channel)"] = lambda: polars_figures(
                    pattern, ["month", "channel"]
                )
            table("Monthly report by channel", timed(report, runs), "dask groupby by (month, channel)")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
