"""Side-by-side timing harness shared by the benchmark scripts.

Every candidate (cskpi, the pandas idiom, the polars idiom, a plain numpy reference…)
runs in the same process on the same data; runs alternate between candidates so that
machine noise hits all of them alike; the median of the runs is reported with its
ratio to cskpi. Peak memory is measured in a separate run per candidate with
:mod:`tracemalloc`, which sees numpy's and Python's allocations but not those made by
polars' Rust allocator (reported as "n/a" for polars).
"""

from __future__ import annotations

import gc
import importlib.util
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Row:
    benchmark: str
    candidate: str
    median_seconds: float
    ratio_to_cskpi: float
    peak_mib: float | None


def available(module: str) -> bool:
    """Whether an optional library (pandas, polars) is installed."""
    return importlib.util.find_spec(module) is not None


def _peak_mib(function: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def median_seconds(function: Callable[[np.ndarray], object], data: np.ndarray, runs: int) -> float:
    """Median wall time of ``function(data)`` over ``runs`` calls [s] (one candidate alone)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_bytes(function: Callable[[np.ndarray], object], data: np.ndarray) -> int:
    """Peak traced allocation of one ``function(data)`` call [bytes]."""
    return round(_peak_mib(lambda: function(data)) * 2**20)


def compare(
    benchmark: str,
    candidates: dict[str, Callable[[], object]],
    *,
    repeats: int = 5,
    untracked: tuple[str, ...] = ("polars",),
) -> list[Row]:
    """Time each candidate ``repeats`` times, alternating, and print a table of medians.

    The candidate named ``"cskpi"`` is the baseline of the ratio column (ratio > 1
    means slower than cskpi).
    """
    for function in candidates.values():  # warm-up: imports, caches, page faults
        function()
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, function in candidates.items():
            gc.collect()
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians.get("cskpi", next(iter(medians.values())))
    rows = [
        Row(
            benchmark=benchmark,
            candidate=name,
            median_seconds=medians[name],
            ratio_to_cskpi=medians[name] / base,
            peak_mib=None if any(name.startswith(u) for u in untracked) else _peak_mib(function),
        )
        for name, function in candidates.items()
    ]
    print_rows(rows)
    return rows


def print_rows(rows: list[Row]) -> None:
    print(f"\n## {rows[0].benchmark}")
    print(f"| {'candidate':<34} | {'median':>10} | {'× cskpi':>8} | {'peak MiB':>9} |")
    print(f"|{'-' * 36}|{'-' * 12}|{'-' * 10}|{'-' * 11}|")
    for row in rows:
        peak = "n/a" if row.peak_mib is None else f"{row.peak_mib:.1f}"
        median = f"{1e3 * row.median_seconds:>7.1f} ms"
        print(f"| {row.candidate:<34} | {median} | {row.ratio_to_cskpi:>8.2f} | {peak:>9} |")


def machine() -> str:
    """One line describing the machine and library versions, for the results table."""
    parts = [
        platform.platform(),
        platform.processor() or platform.machine(),
        f"Python {platform.python_version()}",
    ]
    parts.append(f"numpy {np.__version__}")
    for module in ("pandas", "polars"):
        if available(module):
            parts.append(f"{module} {__import__(module).__version__}")
    return ", ".join(parts)
