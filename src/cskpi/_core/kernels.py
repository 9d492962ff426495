"""Fast counting kernels for flat (ungrouped) scans of large integer arrays.

The plain vectorised forms (``np.count_nonzero(values < t)``, ``values.max()``) make a
full-size boolean temporary per threshold and read the data once per operation. The
kernel here walks the array in blocks that stay in cache, reuses one boolean buffer,
and splits large arrays across threads (numpy releases the GIL inside ufuncs). The
plain form is kept as the reference the tests compare against.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["scan_thresholds", "scan_thresholds_reference"]

# Elements per block: 1 MiB of int8 plus a 1 MiB boolean buffer stay within L2/L3.
_BLOCK = 1 << 20
# Below this many elements one thread is faster than the cost of handing work out.
_PARALLEL_MIN = 1 << 23
_executor: ThreadPoolExecutor | None = None


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=_workers(), thread_name_prefix="cskpi")
    return _executor


def _scan(part: NDArray[np.integer[Any]], thresholds: Sequence[int]) -> tuple[int, int, list[int]]:
    counts = [0] * len(thresholds)
    if part.shape[0] == 0:
        return 0, 0, counts
    # Unsigned data cannot go below 0: skip the pass that looks for the minimum.
    unsigned = part.dtype.kind == "u"
    low = 0 if unsigned else int(part[0])
    high = int(part[0])
    buffer = np.empty(min(_BLOCK, part.shape[0]), dtype=bool)
    for start in range(0, part.shape[0], _BLOCK):
        block = part[start : start + _BLOCK]
        flags = buffer[: block.shape[0]]
        if not unsigned:
            low = min(low, int(block.min()))
        high = max(high, int(block.max()))
        for position, threshold in enumerate(thresholds):
            np.less(block, threshold, out=flags)
            counts[position] += int(np.count_nonzero(flags))
    return low, high, counts


def scan_thresholds(
    values: NDArray[np.integer[Any]], thresholds: Sequence[int]
) -> tuple[int, int, list[int]]:
    """Minimum, maximum, and the number of values below each threshold, in one blocked pass.

    Returns ``(min, max, [count(values < t) for t in thresholds])``; ``(0, 0, zeros)``
    for an empty array. Counts are exact Python ints. For unsigned input the minimum
    is reported as 0 without a pass over the data (it cannot be lower): pass a
    ``uint8`` view of ``int8`` scores on a non-negative scale, and negative answers
    show up as values of 128 and more, above any such scale.
    """
    flat = values.reshape(-1)
    size = flat.shape[0]
    workers = _workers()
    if size < _PARALLEL_MIN or workers == 1:
        return _scan(flat, thresholds)
    step = -(-size // workers)
    parts = [flat[start : start + step] for start in range(0, size, step)]
    results = list(_pool().map(lambda part: _scan(part, thresholds), parts))
    low = min(result[0] for result in results)
    high = max(result[1] for result in results)
    counts = [sum(result[2][i] for result in results) for i in range(len(thresholds))]
    return low, high, counts


def scan_thresholds_reference(
    values: NDArray[np.integer[Any]], thresholds: Sequence[int]
) -> tuple[int, int, list[int]]:
    """The plain vectorised form of :func:`scan_thresholds`, kept as its test reference."""
    if values.size == 0:
        return 0, 0, [0] * len(thresholds)
    return (
        0 if values.dtype.kind == "u" else int(values.min()),
        int(values.max()),
        [int(np.count_nonzero(values < threshold)) for threshold in thresholds],
    )
