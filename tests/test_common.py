"""Shared invariance tests driven by a registry of mergeable KPI functions.

Each entry says how to draw valid per-row data for the function; the tests then check,
for every entry, the properties every cskpi metric must have: order invariance, merge
(``f(a) + f(b) == f(a ++ b)``), grouped equals per-group, bounded headline figure,
read-only inputs, and an undefined (NaN + warning) headline on empty input.
Adding a function to ``REGISTRY`` gives it all of these tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cskpi
from cskpi import UndefinedMetricWarning
from helpers import assert_same_result


@attrs.frozen
class Entry:
    name: str
    function: Callable[..., Any]
    # Draws the positional data arrays for n rows (each array's first axis is n).
    draw_rows: Callable[[st.DataObject, int], tuple[np.ndarray, ...]]
    kwargs: dict[str, Any] = attrs.field(factory=dict)
    headline: str = "score"
    bounds: tuple[float, float] = (0.0, 1.0)
    # Zero rows of valid input (the headline must be NaN with a warning).
    empty: tuple[np.ndarray, ...] = (np.zeros(0, dtype=np.int64),)


def _ints(low: int, high: int) -> Callable[[st.DataObject, int], tuple[np.ndarray, ...]]:
    def draw(data: st.DataObject, n: int) -> tuple[np.ndarray, ...]:
        return (data.draw(hnp.arrays(np.int64, n, elements=st.integers(low, high))),)

    return draw


def _checklist(data: st.DataObject, n: int) -> tuple[np.ndarray, ...]:
    checks = data.draw(hnp.arrays(np.float64, (n, 3), elements=st.sampled_from([0.0, 0.5, 1.0])))
    checks[:, 1] = np.round(checks[:, 1])  # the critical item is pass/fail
    return (checks,)


REGISTRY = [
    Entry("nps", cskpi.nps, _ints(0, 10), bounds=(-100.0, 100.0)),
    Entry("csat", cskpi.csat, _ints(1, 5)),
    Entry("csat_1_10", cskpi.csat, _ints(1, 10), kwargs={"scale": (1, 10), "satisfied_from": 9}),
    Entry("ces", cskpi.ces, _ints(1, 7), bounds=(1.0, 7.0)),
    Entry(
        "qa_scorecard",
        lambda checks, **kw: cskpi.qa_scorecard(checks, [1.0, 2.0, 3.0], **kw),
        _checklist,
        kwargs={"critical": [False, True, False]},
        empty=(np.zeros((0, 3)),),
    ),
]


def _take(arrays: tuple[np.ndarray, ...], index: Any) -> tuple[np.ndarray, ...]:
    return tuple(array[index] for array in arrays)


ids = [entry.name for entry in REGISTRY]


@pytest.mark.parametrize("entry", REGISTRY, ids=ids)
@given(data=st.data())
def test_order_invariant(entry: Entry, data: st.DataObject) -> None:
    n = data.draw(st.integers(0, 60))
    rows = entry.draw_rows(data, n)
    permutation = data.draw(st.permutations(range(n)))
    assert_same_result(
        entry.function(*rows, **entry.kwargs),
        entry.function(*_take(rows, list(permutation)), **entry.kwargs),
        atol=1e-9,
    )


@pytest.mark.parametrize("entry", REGISTRY, ids=ids)
@given(data=st.data())
def test_merge_equals_concatenation(entry: Entry, data: st.DataObject) -> None:
    n = data.draw(st.integers(0, 60))
    rows = entry.draw_rows(data, n)
    cut = data.draw(st.integers(0, n))
    merged = entry.function(*_take(rows, slice(None, cut)), **entry.kwargs) + entry.function(
        *_take(rows, slice(cut, None)), **entry.kwargs
    )
    assert_same_result(merged, entry.function(*rows, **entry.kwargs), atol=1e-9)


@pytest.mark.parametrize("entry", REGISTRY, ids=ids)
@given(data=st.data())
def test_grouped_equals_per_group(entry: Entry, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 60))
    rows = entry.draw_rows(data, n)
    labels = data.draw(hnp.arrays("U2", n, elements=st.sampled_from(["a", "b", "c"])))
    grouped = entry.function(*rows, by=labels, **entry.kwargs)
    assert grouped.keys() == sorted(set(labels.tolist()))
    for label in grouped:
        assert_same_result(
            grouped[label], entry.function(*_take(rows, labels == label), **entry.kwargs), atol=1e-9
        )


@pytest.mark.parametrize("entry", REGISTRY, ids=ids)
@given(data=st.data())
def test_headline_is_bounded(entry: Entry, data: st.DataObject) -> None:
    rows = entry.draw_rows(data, data.draw(st.integers(1, 60)))
    value = getattr(entry.function(*rows, **entry.kwargs), entry.headline)
    low, high = entry.bounds
    assert low <= value <= high


@pytest.mark.parametrize("entry", REGISTRY, ids=ids)
@given(data=st.data())
def test_read_only_inputs(entry: Entry, data: st.DataObject) -> None:
    rows = entry.draw_rows(data, data.draw(st.integers(1, 20)))
    copies = tuple(array.copy() for array in rows)
    for array in rows:
        array.setflags(write=False)
    entry.function(*rows, **entry.kwargs)
    for array, copy in zip(rows, copies, strict=True):
        assert np.array_equal(array, copy)


@pytest.mark.parametrize("entry", REGISTRY, ids=ids)
def test_empty_input_is_undefined(entry: Entry) -> None:
    result = entry.function(*entry.empty, **entry.kwargs)
    with pytest.warns(UndefinedMetricWarning):
        value = getattr(result, entry.headline)
    assert np.isnan(value)
