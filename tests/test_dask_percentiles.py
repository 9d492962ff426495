"""Percentile intervals from mergeable counts of waits (no Dask needed: the counts are in memory)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cskpi
from cskpi.dask import count_answer_times


@given(
    waits=st.lists(st.integers(0, 40), min_size=1, max_size=60),
    seed=st.integers(0, 2**16),
    quantiles=st.lists(st.sampled_from([0.1, 0.5, 0.8, 0.9, 0.95, 1.0]), min_size=1, max_size=3, unique=True),
    level=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
    policy=st.sampled_from(["never_answered", "exclude"]),
)
def test_interval_from_merged_counts_equals_in_memory(
    waits: list[int], seed: int, quantiles: list[float], level: float, policy: str
) -> None:
    # Exact counts (few distinct waits, many ties), split in two parts and merged: the
    # percentiles and both order-statistic bounds are the in-memory ones, per group.
    rng = np.random.default_rng(seed)
    values = np.asarray(waits, dtype=float) + rng.choice([0.0, 0.5], len(waits))
    gave_up = rng.random(len(waits)) < 0.2
    groups = rng.choice(np.array(["a", "b", "c"]), len(waits))
    cut = int(rng.integers(0, len(waits) + 1))
    counts = count_answer_times(values[:cut], abandoned=gave_up[:cut], by=groups[:cut]) + count_answer_times(
        values[cut:], abandoned=gave_up[cut:], by=groups[cut:]
    )
    with warnings.catch_warnings():  # a group of abandons only, with 'exclude': NaN in both
        warnings.simplefilter("ignore", cskpi.UndefinedMetricWarning)
        got = counts.percentiles(quantile=quantiles, abandoned_policy=policy, confidence_level=level)
        want = cskpi.answer_time_percentile(
            values,
            quantile=quantiles,
            abandoned=gave_up,
            abandoned_policy=policy,
            by=groups,
            confidence_level=level,
        )
    assert got.labels.tolist() == want.labels.tolist()
    np.testing.assert_array_equal(got.n, want.n)
    for name in ("seconds", "ci_low_seconds", "ci_high_seconds"):
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)
    assert got.confidence_interval().confidence_level == level


def test_interval_hand_computed_and_rounded() -> None:
    # The median of ten waits at 95 %: ranks 2 and 9 (Conover 1999, table A3: n = 10,
    # r = 2, s = 9 covers 97.9 %), the 2nd and 9th smallest: 5 and 90 s.
    waits = [2, 5, 8, 12, 15, 20, 30, 40, 90, 200]
    median = count_answer_times(waits).percentiles(quantile=0.5, confidence_level=0.95)
    assert (median.seconds, *median.confidence_interval()) == (15.0, 5.0, 90.0)
    # Once rounded (at most 3 distinct waits kept exactly), each bound is the exact one
    # rounded up to the next multiple of the 10 s resolution.
    rounded = count_answer_times([w + 0.5 for w in waits], resolution_seconds=10, max_exact_values=3)
    assert not rounded.exact
    found = rounded.percentiles(quantile=0.5, confidence_level=0.95)
    assert (found.seconds, *found.confidence_interval()) == (20.0, 10.0, 100.0)
    assert math.ceil(5.5 / 10) * 10 == 10 and math.ceil(90.5 / 10) * 10 == 100
    # Too few waits for a 99 % lower bound of the 10th percentile: -inf, as in memory.
    small = count_answer_times([3.0, 4.0, 9.0]).percentiles(quantile=0.1, confidence_level=0.99)
    assert small.ci_low_seconds == -math.inf
    assert (
        small.ci_low_seconds
        == cskpi.answer_time_percentile([3.0, 4.0, 9.0], quantile=0.1, confidence_level=0.99).ci_low_seconds
    )


def test_without_a_level_there_is_no_interval() -> None:
    found = count_answer_times([1.0, 2.0]).percentiles(quantile=0.5)
    assert not found.has_interval
    with pytest.raises(cskpi.InvalidInputError, match="confidence_level"):
        count_answer_times([1.0, 2.0]).percentiles(quantile=0.5, confidence_level=95)
