"""Contact-centre operations: grouped service level and p90 wait against pandas and polars.

python benchmarks/bench_operations.py            # 10M contacts in 1,000 groups
python benchmarks/bench_operations.py --smoke    # tiny sizes (CI)
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import cskpi
from harness import available, compare, machine


def _contacts(n: int, n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(4)
    waits = np.round(rng.exponential(30.0, n), 1)
    abandoned = rng.random(n) < 0.05
    groups = rng.integers(0, n_groups, n).astype(np.int32)
    return waits, abandoned, groups


def grouped_service_level(n: int, n_groups: int, repeats: int) -> None:
    waits, abandoned, groups = _contacts(n, n_groups)

    def ours() -> object:
        return cskpi.service_level(waits, 20.0, abandoned=abandoned, by=groups).score

    candidates: dict[str, object] = {"cskpi": ours}
    if available("pandas"):
        import pandas as pd

        frame = pd.DataFrame({"wait": waits, "abandoned": abandoned, "group": groups})

        def pandas_sl() -> object:
            met = (~frame.abandoned) & (frame.wait <= 20.0)
            return met.groupby(frame.group).mean()

        candidates["pandas"] = pandas_sl
        assert np.allclose(pandas_sl().to_numpy(), ours())  # type: ignore[attr-defined]
    if available("polars"):
        import polars as pl

        pframe = pl.DataFrame({"wait": waits, "abandoned": abandoned, "group": groups})
        candidates["polars"] = lambda: pframe.group_by("group").agg(
            ((~pl.col("abandoned")) & (pl.col("wait") <= 20.0)).mean()
        )
    title = f"service level (answered within 20 s / offered) by {n_groups:,} groups over {n:,} contacts"
    compare(title, candidates, repeats=repeats)  # type: ignore[arg-type]


def grouped_p90(n: int, n_groups: int, repeats: int) -> None:
    waits, _, groups = _contacts(n, n_groups)

    def ours() -> object:
        return cskpi.answer_time_percentile(waits, quantile=0.9, by=groups)

    candidates: dict[str, object] = {
        "cskpi": ours,
        "numpy lexsort (naive grouped sort)": lambda: waits[np.lexsort((waits, groups))],
    }
    if available("pandas"):
        import pandas as pd

        frame = pd.DataFrame({"wait": waits, "group": groups})
        candidates["pandas"] = lambda: frame.groupby("group").wait.quantile(0.9, interpolation="higher")
    if available("polars"):
        import polars as pl

        pframe = pl.DataFrame({"wait": waits, "group": groups})
        candidates["polars"] = lambda: pframe.group_by("group").agg(
            pl.col("wait").quantile(0.9, interpolation="higher")
        )
    compare(f"p90 wait by {n_groups:,} groups over {n:,} contacts", candidates, repeats=repeats)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(machine())
    n, n_groups, repeats = (20_000, 10, 2) if args.smoke else (10_000_000, 1_000, args.repeats)
    grouped_service_level(n, n_groups, repeats)
    grouped_p90(n, n_groups, repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
