"""Staffing many intervals in one call against a per-interval scalar loop.

Usage: ``python benchmarks/bench_queueing.py [--smoke]``

Times :func:`cskpi.agents_required` on 10,000 intervals with traffic from 5 to 5,000
Erlangs (80% of calls answered within 20 s, AHT 180 s, half-hour intervals) against
a plain Python loop that staffs one interval at a time the way spreadsheet and
scalar libraries do: the Erlang B recursion from 0 to N, then N += 1 until the
target is met. Prints the median of several runs, the speed-up, the peak memory of
the vectorised call (tracemalloc) and whether both give the same agents.
``--smoke`` uses a few intervals and one run so CI finishes in seconds.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

import cskpi
from harness import median_seconds, peak_bytes

AHT_SECONDS = 180.0
INTERVAL_SECONDS = 1800.0
SERVICE_LEVEL = 0.8
THRESHOLD_SECONDS = 20.0


def naive_agents(calls: float) -> int:
    """One interval, scalar Python: the textbook algorithm, no vectorisation."""
    traffic = calls * AHT_SECONDS / INTERVAL_SECONDS
    n = math.floor(traffic) + 1
    b = 1.0
    for k in range(1, n + 1):  # Erlang B recursion up to the first stable staffing
        b = traffic * b / (k + traffic * b)
    while True:
        c = n * b / (n - traffic * (1.0 - b))
        if 1.0 - c * math.exp(-(n - traffic) * THRESHOLD_SECONDS / AHT_SECONDS) >= SERVICE_LEVEL:
            return n
        n += 1
        b = traffic * b / (n + traffic * b)


def loop_staffing(calls: np.ndarray) -> np.ndarray:
    return np.array([naive_agents(float(c)) for c in calls])


def vector_staffing(calls: np.ndarray) -> np.ndarray:
    result = cskpi.agents_required(
        calls,
        AHT_SECONDS,
        INTERVAL_SECONDS,
        service_level=SERVICE_LEVEL,
        threshold_seconds=THRESHOLD_SECONDS,
    )
    agents: np.ndarray = result.agents
    return agents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run (for CI)")
    args = parser.parse_args()
    size, runs, loop_runs = (20, 1, 1) if args.smoke else (10_000, 7, 5)

    rng = np.random.default_rng(2024)
    traffic = rng.uniform(5.0, 5_000.0, size)
    calls = traffic * INTERVAL_SECONDS / AHT_SECONDS

    vector = vector_staffing(calls)
    loop = loop_staffing(calls)
    same = bool(np.array_equal(vector, loop))

    t_vector = median_seconds(vector_staffing, calls, runs)
    t_loop = median_seconds(loop_staffing, calls, loop_runs)
    peak = peak_bytes(vector_staffing, calls)

    print(f"agents_required on {size:,} intervals, traffic 5..5,000 Erlangs, 80% in 20 s")
    print(f"  vectorised (one call)   median of {runs}: {t_vector * 1e3:9.1f} ms")
    print(f"  scalar loop per interval median of {loop_runs}: {t_loop * 1e3:9.1f} ms")
    print(f"  speed-up: {t_loop / t_vector:.1f}x   peak memory (vectorised): {peak / 2**20:.1f} MiB")
    print(f"  same agents as the loop: {same}")
    if not same:
        raise SystemExit("vectorised and scalar staffing disagree")


if __name__ == "__main__":
    main()
