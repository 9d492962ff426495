"""Inputs are never modified, and counts never overflow.

* Every public function (the registry of ``test_bad_inputs.py``) is called with
  read-only numpy arrays, with plain lists and, when pandas is installed, with pandas
  Series; afterwards every input must be exactly as it was.
* Counting uses exact accumulators: a billion ``int8`` answers (a zero-stride
  ``numpy.broadcast_to`` view, so nothing of that size is allocated) count exactly;
  the counting core accumulates in int64 whatever the input dtype; narrow integer
  inputs on wide scales and ``timedelta64`` durations far from zero do not wrap.
"""

from __future__ import annotations

import copy
import datetime
import inspect
import warnings
from typing import Any

import numpy as np
import pytest

import cskpi
from cskpi._core.kernels import scan_thresholds
from cskpi._core.labels import count_cells
from cskpi._core.time import to_seconds
from test_bad_inputs import REGISTRY, Spec

# --------------------------------------------------------------------------- read-only inputs


def _freeze(value: Any) -> Any:
    """A read-only copy of every array in ``value`` (arrays, and the columns of a dict)."""
    if isinstance(value, np.ndarray):
        frozen = value.copy()
        frozen.setflags(write=False)
        return frozen
    if isinstance(value, dict):
        return {key: _freeze(column) for key, column in value.items()}
    return value


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and before.dtype == after.dtype
            and np.array_equal(before, after, equal_nan=before.dtype.kind in "fcmM")
        )
    if isinstance(before, dict):
        return before.keys() == after.keys() and all(_same(before[k], after[k]) for k in before)
    if isinstance(before, list | tuple):
        return len(before) == len(after) and all(_same(b, a) for b, a in zip(before, after, strict=True))
    if isinstance(before, float) and np.isnan(before):
        return isinstance(after, float) and np.isnan(after)
    return bool(before == after)


def _call_quietly(spec: Spec, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return spec.function(*args, **kwargs)


IDS = [spec.name for spec in REGISTRY]


@pytest.mark.parametrize("spec", REGISTRY, ids=IDS)
def test_read_only_arrays_work_and_stay_unchanged(spec: Spec) -> None:
    args, kwargs = spec.build()
    args = tuple(_freeze(value) for value in args)
    kwargs = {key: _freeze(value) for key, value in kwargs.items()}
    snapshot = copy.deepcopy((args, kwargs))
    _call_quietly(spec, args, kwargs)  # a write into a read-only array raises ValueError here
    assert _same(snapshot[0], args) and _same(snapshot[1], kwargs)


def _as_lists(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.dtype.kind not in "mM":
        return value.tolist()
    if isinstance(value, dict):
        return {key: _as_lists(column) for key, column in value.items()}
    return value


@pytest.mark.parametrize("spec", REGISTRY, ids=IDS)
def test_list_inputs_stay_unchanged(spec: Spec) -> None:
    args, kwargs = spec.build()
    args = tuple(_as_lists(value) for value in args)
    kwargs = {key: _as_lists(value) for key, value in kwargs.items()}
    snapshot = copy.deepcopy((args, kwargs))
    _call_quietly(spec, args, kwargs)
    assert _same(snapshot[0], args) and _same(snapshot[1], kwargs)


@pytest.mark.parametrize("spec", REGISTRY, ids=IDS)
def test_pandas_series_stay_unchanged(spec: Spec) -> None:
    pd = pytest.importorskip("pandas")
    args, kwargs = spec.build()
    bound = inspect.signature(spec.function).bind(*args, **kwargs)
    series = {
        name: pd.Series(value.copy())
        for name, value in bound.arguments.items()
        if isinstance(value, np.ndarray) and value.ndim == 1
    }
    if not series:
        pytest.skip(f"{spec.name} takes no 1-D array")
    bound.arguments.update(series)
    before = {name: column.copy(deep=True) for name, column in series.items()}
    _call_quietly(spec, bound.args, bound.kwargs)
    for name, column in series.items():
        pd.testing.assert_series_equal(column, before[name], check_exact=True)


def test_a_write_would_be_caught() -> None:
    """The read-only check has teeth: a function writing into its input fails it."""

    def scribbles(values: np.ndarray) -> float:
        values[0] = 0
        return 0.0

    frozen = _freeze(np.arange(3.0))
    with pytest.raises(ValueError, match="read-only"):
        scribbles(frozen)
    assert not _same(np.arange(3.0), np.array([0.0, 1.0, 2.5]))


# --------------------------------------------------------------------------- no integer overflow

BILLION = 10**9


def test_nps_counts_a_billion_int8_answers_exactly() -> None:
    # A zero-stride view: one byte of memory standing for a billion answers of 9.
    promoters = np.broadcast_to(np.array([9], dtype=np.int8), (BILLION,))
    result = cskpi.nps(promoters)
    assert (result.promoters, result.passives, result.detractors) == (BILLION, 0, 0)
    assert type(result.n) is int and result.n == BILLION
    assert result.score == 100.0


def test_flat_scan_counts_are_python_ints() -> None:
    """The threaded kernel behind flat NPS sums per-block counts as Python ints (no fixed width)."""
    low, high, counts = scan_thresholds(np.broadcast_to(np.array([3], dtype=np.uint8), (3 * 10**7,)), (7, 9))
    assert (low, high, counts) == (0, 3, [3 * 10**7, 3 * 10**7])
    assert all(type(count) is int for count in counts)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.bool_])
def test_counting_core_accumulates_in_int64(dtype: Any) -> None:
    values = np.broadcast_to(np.array([1], dtype=dtype), (2 * 10**6 + 7,))
    counts = count_cells(values, 2)
    assert counts.dtype == np.int64
    assert counts.tolist() == [0, 2 * 10**6 + 7]
    codes = np.zeros(values.shape[0], dtype=np.intp)
    grouped = count_cells(values, 2, codes=codes, n_groups=1)
    assert grouped.dtype == np.int64 and grouped.tolist() == [[0, 2 * 10**6 + 7]]


def test_grouped_counts_of_int8_answers_are_int64() -> None:
    scores = np.broadcast_to(np.array([10], dtype=np.int8), (10**6,))
    labels = np.broadcast_to(np.array([1], dtype=np.int8), (10**6,))
    grouped = cskpi.nps(scores, by=labels)
    assert grouped.promoters.dtype == np.int64 and grouped.promoters.tolist() == [10**6]


def test_int8_table_of_answers_broadcast_over_two_dimensions() -> None:
    # csat takes a (responses, aspects) table: 2 * 10**7 answers from two bytes.
    table = np.broadcast_to(np.array([[5, 1]], dtype=np.int8), (10**7, 2))
    per_aspect = cskpi.csat(table)
    assert per_aspect.n.tolist() == [10**7, 10**7]
    assert per_aspect.satisfied.tolist() == [10**7, 0]


def test_regression_int8_answers_on_a_wide_scale_do_not_wrap() -> None:
    # Shifting int8 answers by -low on the scale -100..100 wrapped 100 - (-100) to -56.
    answers = np.array([100, -100, 60, 0], dtype=np.int8)
    result = cskpi.csat(answers, scale=(-100, 100), satisfied_from=50)
    assert (result.n, result.satisfied) == (4, 2)  # 100 and 60
    grouped = cskpi.csat(answers, scale=(-100, 100), satisfied_from=50, by=["a", "a", "b", "b"])
    assert grouped.satisfied.tolist() == [1, 1]
    # Unsigned answers on a scale with negative points (uint8 minus a negative int).
    unsigned = cskpi.csat(np.array([5, 0, 3], dtype=np.uint8), scale=(-3, 10), satisfied_from=4)
    assert (unsigned.n, unsigned.satisfied) == (3, 1)


def test_regression_timedelta_durations_far_from_zero_do_not_wrap() -> None:
    # Going through timedelta64[ns] wrapped beyond 292 years: 200,000 days became negative.
    days = np.array([200_000, 1], dtype="timedelta64[D]")
    assert to_seconds(days, "wait_seconds").tolist() == [200_000 * 86_400.0, 86_400.0]
    assert cskpi.aht(days).score == (200_001 * 86_400.0) / 2  # (17.28e9 + 86400) / 2
    # A single threshold as timedelta64 (the scalar path): every wait is within it.
    assert cskpi.service_level([1.0, 30.0], np.timedelta64(200_000, "D")).score == 1.0


def test_timedelta_units_convert_exactly() -> None:
    # 1500 ms = 1.5 s; 7 ms = 0.007 s; 3 ticks of 10 s = 30 s; NaT -> NaN (allowed here).
    assert to_seconds(np.array([1500, 7], dtype="timedelta64[ms]"), "x").tolist() == [1.5, 0.007]
    assert to_seconds(np.array([3], dtype="timedelta64[10s]"), "x").tolist() == [30.0]
    converted = to_seconds(np.array([60, "NaT"], dtype="timedelta64[m]"), "x", allow_nan=True)
    assert converted[0] == 3600.0 and np.isnan(converted[1])
    assert cskpi.service_level([1.0, 30.0], datetime.timedelta(seconds=20)).score == 0.5
