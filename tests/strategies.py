"""Hypothesis strategies shared by the test suite."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@st.composite
def nps_scores(draw: Any, *, min_size: int = 0, max_size: int = 200) -> np.ndarray:
    """1-D integer arrays of 0-10 answers, in a random integer dtype."""
    dtype = draw(st.sampled_from([np.int8, np.uint8, np.int16, np.int32, np.int64]))
    return draw(hnp.arrays(dtype, st.integers(min_size, max_size), elements=st.integers(0, 10)))


@st.composite
def scale_and_ratings(
    draw: Any, *, min_size: int = 0, max_size: int = 200
) -> tuple[tuple[int, int], int, np.ndarray]:
    """An integer scale (low, high), a threshold on it, and ratings on it."""
    low = draw(st.integers(-3, 2))
    high = draw(st.integers(low + 1, low + 11))
    threshold = draw(st.integers(low, high))
    ratings = draw(hnp.arrays(np.int64, st.integers(min_size, max_size), elements=st.integers(low, high)))
    return (low, high), threshold, ratings


def labels_for(size: int) -> st.SearchStrategy[np.ndarray]:
    """Group labels of one of several kinds (ints, strings, booleans, dates) for ``size`` rows."""
    ints = hnp.arrays(np.int64, size, elements=st.integers(-3, 3))
    big_ints = hnp.arrays(np.int64, size, elements=st.sampled_from([-(10**12), 7, 10**15]))
    strings = hnp.arrays("U6", size, elements=st.sampled_from(["phone", "chat", "email", "é"]))
    bools = hnp.arrays(np.bool_, size)
    dates = hnp.arrays(np.int64, size, elements=st.integers(19000, 19003)).map(
        lambda a: a.astype("datetime64[D]")
    )
    return st.one_of(ints, big_ints, strings, bools, dates)


@st.composite
def scores_with_labels(draw: Any, *, max_size: int = 150) -> tuple[np.ndarray, np.ndarray]:
    scores = draw(nps_scores(min_size=1, max_size=max_size))
    labels = draw(labels_for(scores.shape[0]))
    return scores, labels


def split_point(size: int) -> st.SearchStrategy[int]:
    return st.integers(0, size)


def text_keys(size: int) -> st.SearchStrategy[list[str]]:
    """Text labels for ``size`` rows: short, long, accented, differing only at the end or by case."""
    alphabet = ["a", "A", "ab", "ab ", "é", "agent-0001", "agent-0002", "agent-00010", "x" * 30, "日本"]
    return st.lists(st.sampled_from(alphabet), min_size=size, max_size=size)
