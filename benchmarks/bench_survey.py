"""Survey KPIs: cskpi against the pandas and polars idioms for the same figure.

python benchmarks/bench_survey.py            # full size (100M flat scores, 10M grouped)
python benchmarks/bench_survey.py --smoke    # tiny sizes, a few seconds (CI)
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import cskpi
from harness import available, compare, machine


def flat_nps(n: int, repeats: int) -> None:
    scores = np.random.default_rng(1).integers(0, 11, n, dtype=np.int8)
    expected = 100.0 * (np.count_nonzero(scores >= 9) - np.count_nonzero(scores <= 6)) / n
    assert abs(cskpi.nps(scores).score - expected) < 1e-9
    candidates = {
        "cskpi": lambda: cskpi.nps(scores).score,
        "numpy read pass (scores.max())": lambda: scores.max(),
        "numpy count_nonzero": lambda: (
            100.0 * (np.count_nonzero(scores >= 9) - np.count_nonzero(scores <= 6)) / scores.shape[0]
        ),
    }
    if available("pandas"):
        import pandas as pd

        series = pd.Series(scores)
        candidates["pandas"] = lambda: 100.0 * ((series >= 9).mean() - (series <= 6).mean())
    if available("polars"):
        import polars as pl

        frame = pl.DataFrame({"score": scores})
        candidates["polars"] = lambda: frame.select(
            100.0 * ((pl.col("score") >= 9).mean() - (pl.col("score") <= 6).mean())
        ).item()
    compare(f"NPS of {n:,} int8 scores", candidates, repeats=repeats)


def grouped_nps(n: int, n_groups: int, repeats: int) -> None:
    rng = np.random.default_rng(2)
    scores = rng.integers(0, 11, n, dtype=np.int8)
    groups = rng.integers(0, n_groups, n).astype(np.int32)
    candidates: dict[str, object] = {"cskpi": lambda: cskpi.nps(scores, by=groups).score}
    if available("pandas"):
        import pandas as pd

        frame = pd.DataFrame({"score": scores, "group": groups})

        def pandas_nps() -> object:
            flags = frame.assign(promoter=frame.score >= 9, detractor=frame.score <= 6)
            shares = flags.groupby("group")[["promoter", "detractor"]].mean()
            return 100.0 * (shares.promoter - shares.detractor)

        candidates["pandas"] = pandas_nps
        check = pandas_nps()
        assert np.allclose(check.to_numpy(), cskpi.nps(scores, by=groups).score)  # type: ignore[attr-defined]
    if available("polars"):
        import polars as pl

        pframe = pl.DataFrame({"score": scores, "group": groups})
        candidates["polars"] = lambda: pframe.group_by("group").agg(
            (100.0 * ((pl.col("score") >= 9).mean() - (pl.col("score") <= 6).mean())).alias("nps")
        )
    compare(f"NPS by {n_groups:,} groups over {n:,} rows", candidates, repeats=repeats)  # type: ignore[arg-type]


def grouped_csat(n: int, n_groups: int, repeats: int) -> None:
    rng = np.random.default_rng(3)
    ratings = rng.integers(1, 6, n, dtype=np.int8)
    groups = rng.integers(0, n_groups, n).astype(np.int32)
    candidates: dict[str, object] = {"cskpi": lambda: cskpi.csat(ratings, by=groups).score}
    if available("pandas"):
        import pandas as pd

        frame = pd.DataFrame({"rating": ratings, "group": groups})
        candidates["pandas"] = lambda: (frame.rating >= 4).groupby(frame.group).mean()
    if available("polars"):
        import polars as pl

        pframe = pl.DataFrame({"rating": ratings, "group": groups})
        candidates["polars"] = lambda: pframe.group_by("group").agg((pl.col("rating") >= 4).mean())
    compare(f"CSAT by {n_groups:,} groups over {n:,} rows", candidates, repeats=repeats)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(machine())
    if args.smoke:
        flat_nps(100_000, 2)
        grouped_nps(20_000, 10, 2)
        grouped_csat(20_000, 10, 2)
    else:
        flat_nps(100_000_000, args.repeats)
        grouped_nps(10_000_000, 1_000, args.repeats)
        grouped_csat(10_000_000, 1_000, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
