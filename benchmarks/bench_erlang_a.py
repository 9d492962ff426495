"""Staffing many intervals with abandonment (Erlang A) in one call against a per-interval loop.

Usage: ``python benchmarks/bench_erlang_a.py [--smoke]``

Times :func:`cskpi.agents_required` with ``patience_seconds`` on 10,000 half-hour
intervals with traffic from 5 to 2,000 Erlangs (80% of calls answered within 20 s,
AHT 300 s, mean patience 400 s) against a loop that staffs one interval at a time
with scalar calls of the same function, and against pyworkforce's per-interval
``ErlangA`` staffing when that is installed (a version with ``ErlangA``; otherwise
it says so). Prints the medians, the speed-up, the peak memory of the vectorised call
(tracemalloc) and whether the loop gives the same agents. ``--smoke`` uses a few
intervals and one run so CI finishes in seconds.
"""

from __future__ import annotations

import argparse
import importlib
import time
from typing import Any

import numpy as np

import cskpi
from harness import median_seconds, peak_bytes

AHT_SECONDS = 300.0
INTERVAL_SECONDS = 1800.0
PATIENCE_SECONDS = 400.0
SERVICE_LEVEL = 0.8
THRESHOLD_SECONDS = 20.0


def staff(calls: Any) -> Any:
    return cskpi.agents_required(
        calls,
        AHT_SECONDS,
        INTERVAL_SECONDS,
        service_level=SERVICE_LEVEL,
        threshold_seconds=THRESHOLD_SECONDS,
        patience_seconds=PATIENCE_SECONDS,
    ).agents


def loop_staffing(calls: np.ndarray) -> np.ndarray:
    return np.array([staff(float(c)) for c in calls])


def pyworkforce_staffing(calls: np.ndarray) -> np.ndarray | None:
    """Per-interval pyworkforce ErlangA staffing, or None when it is not installed."""
    try:
        queuing = importlib.import_module("pyworkforce.queuing")
    except ImportError:
        return None
    erlang_a = getattr(queuing, "ErlangA", None)
    if erlang_a is None:
        return None
    out = []
    for c in calls:  # pyworkforce takes times in minutes
        model = erlang_a(
            transactions=float(c),
            aht=AHT_SECONDS / 60,
            asa=THRESHOLD_SECONDS / 60,
            interval=INTERVAL_SECONDS / 60,
            patience=PATIENCE_SECONDS / 60,
        )
        out.append(model.required_positions(service_level=SERVICE_LEVEL)["raw_positions"])
    return np.array(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run (for CI)")
    args = parser.parse_args()
    size, runs, loop_size, loop_runs = (20, 1, 20, 1) if args.smoke else (10_000, 7, 1_000, 3)

    rng = np.random.default_rng(2024)
    traffic = rng.uniform(5.0, 2_000.0, size)
    calls = traffic * INTERVAL_SECONDS / AHT_SECONDS

    vector = staff(calls)
    loop = loop_staffing(calls[:loop_size])
    same = bool(np.array_equal(vector[:loop_size], loop))

    t_vector = median_seconds(staff, calls, runs)
    t_loop = median_seconds(loop_staffing, calls[:loop_size], loop_runs) * size / loop_size
    peak = peak_bytes(staff, calls)
    erlang_c = cskpi.agents_required(
        calls, AHT_SECONDS, INTERVAL_SECONDS, service_level=SERVICE_LEVEL, threshold_seconds=THRESHOLD_SECONDS
    ).agents

    print(
        f"agents_required with patience on {size:,} intervals, traffic 5..2,000 Erlangs, "
        f"AHT {AHT_SECONDS:.0f} s, patience {PATIENCE_SECONDS:.0f} s, 80% in 20 s"
    )
    print(f"  vectorised (one call)      median of {runs}: {t_vector * 1e3:9.1f} ms")
    print(
        f"  scalar loop per interval   median of {loop_runs} on {loop_size:,}, scaled: {t_loop * 1e3:9.1f} ms"
    )
    print(f"  speed-up: {t_loop / t_vector:.1f}x   peak memory (vectorised): {peak / 2**20:.1f} MiB")
    print(f"  same agents as the loop: {same}")
    print(f"  agents saved against Erlang C: {int((erlang_c - vector).sum()):,} of {int(erlang_c.sum()):,}")
    few = calls[: min(size, 20)]
    start = time.perf_counter()
    theirs = pyworkforce_staffing(few)
    if theirs is None:
        print("  pyworkforce ErlangA: not installed (no version with ErlangA)")
    else:
        per = (time.perf_counter() - start) / few.size
        ours = vector[: few.size]
        print(
            f"  pyworkforce ErlangA per interval: {per * 1e3:.1f} ms; same agents on "
            f"{int(np.count_nonzero(theirs == ours))} of {few.size}; more agents on "
            f"{int(np.count_nonzero(theirs > ours))} (largest excess {int((theirs - ours).max())})"
        )
    if not same:
        raise SystemExit("vectorised and scalar staffing disagree")


if __name__ == "__main__":
    main()
