"""Tickets: open cases at 1,000 instants and daily volume over 10 million tickets, against pandas and polars.

python benchmarks/bench_tickets.py            # 10M tickets, 1,000 instants
python benchmarks/bench_tickets.py --smoke    # tiny sizes (CI)

Each idiom is checked against cskpi's answer before it is timed.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import cskpi
from harness import available, compare, machine

YEAR_SECONDS = 365 * 86_400


def _tickets(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tickets created over one year (second resolution), open about two days, 10 % still open."""
    rng = np.random.default_rng(44)
    start = np.datetime64("2024-01-01T00:00:00", "s")
    created = start + rng.integers(0, YEAR_SECONDS, n).astype("timedelta64[s]")
    durations = rng.exponential(2 * 86_400, n).astype(np.int64).astype("timedelta64[s]")
    resolved = created + durations
    resolved[rng.random(n) < 0.10] = np.datetime64("NaT")
    teams = rng.integers(0, 20, n).astype(np.int16)
    return created, resolved, teams


def _instants(n_instants: int) -> np.ndarray:
    start = np.datetime64("2024-01-01T00:00:00", "s")
    step = YEAR_SECONDS // n_instants
    return start + (np.arange(n_instants, dtype=np.int64) * step + 43_200).astype("timedelta64[s]")


def open_cases_at_instants(n: int, n_instants: int, repeats: int) -> None:
    created, resolved, _ = _tickets(n)
    instants = _instants(n_instants)
    expected = cskpi.open_cases(created, resolved, instants).n_open

    def ours() -> object:
        return cskpi.open_cases(created, resolved, instants).n_open

    def numpy_two_sorts() -> object:
        # The direct numpy answer: sort both columns, count with searchsorted (same convention).
        done = np.sort(resolved[~np.isnat(resolved)])
        return np.searchsorted(np.sort(created), instants, "left") - np.searchsorted(done, instants, "left")

    candidates: dict[str, object] = {"cskpi": ours, "numpy sort + searchsorted": numpy_two_sorts}
    assert np.array_equal(numpy_two_sorts(), expected)  # type: ignore[arg-type]
    if available("pandas"):
        import pandas as pd

        frame = pd.DataFrame({"created": created, "resolved": resolved})
        moments = pd.DataFrame({"at": instants})

        def pandas_events() -> object:
            # The usual idiom: +1/-1 event table, sort, running sum, as-of join on the instants
            # (strictly before each instant, the convention cskpi uses).
            events = pd.concat(
                [
                    pd.DataFrame({"time": frame["created"], "delta": 1}),
                    pd.DataFrame({"time": frame["resolved"].dropna(), "delta": -1}),
                ],
                ignore_index=True,
            ).sort_values("time", kind="stable")
            events["open"] = events["delta"].cumsum()
            events = events.groupby("time", sort=False).tail(1)
            joined = pd.merge_asof(moments, events, left_on="at", right_on="time", allow_exact_matches=False)
            return joined["open"].fillna(0).astype(np.int64).to_numpy()

        assert np.array_equal(pandas_events(), expected)  # type: ignore[arg-type]
        candidates["pandas events + cumsum + merge_asof"] = pandas_events
    if available("polars"):
        import polars as pl

        # polars has no second resolution: give it microseconds (converted before timing).
        pframe = pl.DataFrame(
            {"created": created.astype("datetime64[us]"), "resolved": resolved.astype("datetime64[us]")}
        )
        pmoments = pl.DataFrame({"at": instants.astype("datetime64[us]")})

        def polars_events() -> object:
            events = (
                pl.concat(
                    [
                        pframe.select(pl.col("created").alias("time"), pl.lit(1).alias("delta")),
                        pframe.filter(pl.col("resolved").is_not_null()).select(
                            pl.col("resolved").alias("time"), pl.lit(-1).alias("delta")
                        ),
                    ]
                )
                .with_columns(pl.col("time").cast(pl.Datetime("us")))
                .group_by("time")
                .agg(pl.col("delta").sum())
                .sort("time")
                .with_columns(pl.col("delta").cum_sum().alias("open"))
            )
            # join_asof matches "time <= at"; shift the instants back by 1 µs for "strictly before".
            shifted = pmoments.with_columns((pl.col("at") - pl.duration(microseconds=1)).alias("key"))
            joined = shifted.join_asof(events, left_on="key", right_on="time", strategy="backward")
            return joined["open"].fill_null(0).to_numpy()

        assert np.array_equal(polars_events(), expected)  # type: ignore[arg-type]
        candidates["polars events + cum_sum + join_asof"] = polars_events
    compare(f"open cases at {n_instants:,} instants over {n:,} tickets", candidates, repeats=repeats)  # type: ignore[arg-type]


def backlog_business_time(n: int, n_instants: int, repeats: int) -> None:
    created, resolved, teams = _tickets(n)
    instants = _instants(n_instants)
    calendar = cskpi.BusinessHours.weekdays("09:00", "17:00")
    candidates = {
        "cskpi": lambda: cskpi.backlog(created, resolved, instants, age_limit_seconds=2 * 8 * 3600).n_backlog,
        "cskpi, business hours": lambda: (
            cskpi.backlog(
                created, resolved, instants, age_limit_seconds=2 * 8 * 3600, calendar=calendar
            ).n_backlog
        ),
        "cskpi, business hours, by 20 teams": lambda: (
            cskpi.backlog(
                created, resolved, instants, age_limit_seconds=2 * 8 * 3600, calendar=calendar, by=teams
            ).n_backlog
        ),
    }
    title = f"backlog (2 days, or 2 business days, old) at {n_instants:,} instants over {n:,} tickets"
    compare(title, candidates, repeats=repeats)


def volume_per_day(n: int, repeats: int) -> None:
    created, _, _ = _tickets(n)
    expected = cskpi.volume(created, period="day").n_contacts

    def ours() -> object:
        return cskpi.volume(created, period="day").n_contacts

    def numpy_bincount() -> object:
        days = created.astype("datetime64[D]").astype(np.int64)
        return np.bincount(days - days.min())

    candidates: dict[str, object] = {"cskpi": ours, "numpy astype + bincount": numpy_bincount}
    assert np.array_equal(numpy_bincount(), expected)  # type: ignore[arg-type]
    if available("pandas"):
        import pandas as pd

        frame = pd.DataFrame({"created": created})

        def pandas_resample() -> object:
            return frame.resample("D", on="created").size().to_numpy()

        assert np.array_equal(pandas_resample(), expected)  # type: ignore[arg-type]
        candidates["pandas resample('D').size()"] = pandas_resample
    if available("polars"):
        import polars as pl

        pframe = pl.DataFrame({"created": created.astype("datetime64[us]")})

        def polars_truncate() -> object:
            return (
                pframe.group_by(pl.col("created").dt.truncate("1d").alias("day"))
                .len()
                .sort("day")
                .get_column("len")
                .to_numpy()
            )

        if np.array_equal(polars_truncate(), expected):  # no zero-filling: equal only when no day is empty
            candidates["polars dt.truncate + group_by.len"] = polars_truncate
    compare(f"volume per day over {n:,} tickets", candidates, repeats=repeats)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(machine())
    n, n_instants, repeats = (20_000, 50, 2) if args.smoke else (10_000_000, 1_000, args.repeats)
    open_cases_at_instants(n, n_instants, repeats)
    backlog_business_time(n, n_instants, repeats)
    volume_per_day(n, repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
