"""Retention by repeat contact: cskpi's cohort table against the pandas and polars idioms.

python benchmarks/bench_retention.py            # full size: 10M contacts of 1M customers
python benchmarks/bench_retention.py --smoke    # tiny sizes, a few seconds (CI)

The figure is the classic cohort matrix (first-contact month x months since first
contact, distinct customers per cell) of contacts spread over two years. The pandas
and polars idioms are the usual three steps: each customer's first period
(``groupby(...).transform("min")`` / ``min().over(...)``), de-duplicate the
(customer, cohort, offset) rows, count per (cohort, offset). Every candidate's matrix
is checked against cskpi's before timing. cskpi runs on one core; polars uses all
cores (its thread count is printed).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np

import cskpi
from harness import available, compare, machine

START = np.datetime64("2023-01-01T00:00:00", "s")
TWO_YEARS_SECONDS = 2 * 365 * 86_400


def contacts(n: int, n_customers: int, *, strings: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``n`` contacts of ``n_customers`` customers over two years (ids int64, or e-mail strings)."""
    rng = np.random.default_rng(5)
    ids = rng.integers(0, n_customers, n)
    timestamps = START + rng.integers(0, TWO_YEARS_SECONDS, n).astype("timedelta64[s]")
    if strings:  # e-mail addresses, as normalised by cskpi.normalize_email
        emails = np.char.add(np.char.add("customer", np.char.zfill(ids.astype(str), 7)), "@example.com")
        return emails, timestamps
    return ids, timestamps


def as_matrix(
    cohorts: np.ndarray, offsets: np.ndarray, sizes: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    """Dense (cohort, offset) matrix from the long counts of a data-frame idiom."""
    matrix = np.zeros(shape, dtype=np.int64)
    rank = np.searchsorted(np.unique(cohorts), cohorts)
    matrix[rank, offsets] = sizes
    return matrix


def pandas_cohorts(frame: Any) -> Any:
    period = frame.ts.dt.year * 12 + frame.ts.dt.month
    cohort = period.groupby(frame.id).transform("min")
    cells = frame[["id"]].assign(cohort=cohort, offset=period - cohort).drop_duplicates()
    return cells.groupby(["cohort", "offset"]).size()


def polars_cohorts(frame: Any) -> Any:
    import polars as pl

    period = pl.col("ts").dt.year().cast(pl.Int32) * 12 + pl.col("ts").dt.month().cast(pl.Int32)
    return (
        frame.with_columns(period=period)
        .with_columns(cohort=pl.col("period").min().over("id"))
        .select("id", "cohort", offset=pl.col("period") - pl.col("cohort"))
        .unique()
        .group_by("cohort", "offset")
        .len()
    )


def cohort_benchmark(n: int, n_customers: int, repeats: int, *, strings: bool) -> None:
    ids, timestamps = contacts(n, n_customers, strings=strings)
    table = cskpi.repeat_contact_retention(ids, timestamps, period="month")
    expected = table.classic_counts
    candidates: dict[str, Any] = {
        "cskpi": lambda: cskpi.repeat_contact_retention(ids, timestamps, period="month").classic_counts
    }
    if available("pandas"):
        import pandas as pd

        frame = pd.DataFrame({"id": ids, "ts": timestamps})
        long = pandas_cohorts(frame)
        got = as_matrix(
            long.index.get_level_values(0).to_numpy(),
            long.index.get_level_values(1).to_numpy(),
            long.to_numpy(),
            expected.shape,
        )
        assert np.array_equal(got, expected), "pandas idiom disagrees with cskpi"
        candidates["pandas (transform, drop_duplicates)"] = lambda: pandas_cohorts(frame)
    if available("polars"):
        import polars as pl

        pl_frame = pl.DataFrame({"id": ids, "ts": timestamps.astype("datetime64[us]")})
        long_pl = polars_cohorts(pl_frame)
        got = as_matrix(
            long_pl["cohort"].to_numpy(),
            long_pl["offset"].to_numpy(),
            long_pl["len"].to_numpy(),
            expected.shape,
        )
        assert np.array_equal(got, expected), "polars idiom disagrees with cskpi"
        candidates[f"polars ({pl.thread_pool_size()} threads)"] = lambda: polars_cohorts(pl_frame)
    kind = "string" if strings else "integer"
    compare(
        f"monthly cohort matrix, {n:,} contacts of {n_customers:,} customers ({kind} ids)",
        candidates,
        repeats=repeats,
    )


def companions_benchmark(n: int, n_customers: int, repeats: int) -> None:
    ids, timestamps = contacts(n, n_customers)
    candidates: dict[str, Any] = {
        "cskpi": lambda: cskpi.returned_within(ids, timestamps, window_seconds=30 * 86400).rate,
    }
    if available("pandas"):
        import pandas as pd

        frame = pd.DataFrame({"id": ids, "ts": timestamps})
        end = frame.ts.max()
        window = pd.Timedelta(days=30)

        def pandas_returned() -> float:
            ordered = frame.sort_values(["id", "ts"])
            first = ordered.groupby("id").ts.transform("min")
            later = ordered[ordered.ts > first]
            second = later.groupby("id").ts.min()
            firsts = ordered.groupby("id").ts.min()
            complete = firsts[end - firsts >= window]
            gap = second.reindex(complete.index) - complete
            return float((gap <= window).mean())

        ours = cskpi.returned_within(ids, timestamps, window_seconds=30 * 86400).rate
        assert abs(pandas_returned() - ours) < 1e-12
        candidates["pandas (sort, transform min, min)"] = pandas_returned
    compare(
        f"returned within 30 days, {n:,} contacts of {n_customers:,} customers", candidates, repeats=repeats
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes and two runs (CI)")
    args = parser.parse_args(argv)
    print(machine())
    if args.smoke:
        cohort_benchmark(20_000, 2_000, 2, strings=False)
        cohort_benchmark(5_000, 500, 2, strings=True)
        companions_benchmark(20_000, 2_000, 2)
    else:
        cohort_benchmark(10_000_000, 1_000_000, 5, strings=False)
        cohort_benchmark(10_000_000, 1_000_000, 5, strings=True)
        companions_benchmark(10_000_000, 1_000_000, 5)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
