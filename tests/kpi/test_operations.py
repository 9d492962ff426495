"""Tests of ASA, AHT, abandonment rate, occupancy and handle time against target."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cskpi import (
    AHT,
    ASA,
    AbandonmentRate,
    HandleTimeAgainstTarget,
    InvalidInputError,
    InvalidTypeError,
    Occupancy,
    UndefinedMetricWarning,
    abandonment_rate,
    aht,
    answer_time_percentile,
    asa,
    handle_time_against_target,
    occupancy,
    service_level,
)
from helpers import assert_same_result, read_only

Z95 = 1.959963984540054


def published_example() -> tuple[np.ndarray, np.ndarray]:
    """ICMI (2002) "Service Level Calculations" / Call Centre Helper data: 1,000 answered (860 within
    20 s), 60 abandoned (10 within 5 s, 20 within 20 s, 40 after)."""
    waits = np.array([10.0] * 860 + [30.0] * 140 + [3.0] * 10 + [12.0] * 10 + [45.0] * 40)
    mask = np.array([False] * 1000 + [True] * 60)
    return waits, mask


durations = st.integers(0, 600).map(float)


@st.composite
def rows(draw: Any, columns: int, *, min_size: int = 0, max_size: int = 50) -> tuple[np.ndarray, ...]:
    n = draw(st.integers(min_size, max_size))
    return tuple(draw(hnp.arrays(np.float64, n, elements=durations)) for _ in range(columns))


def _labels(data: st.DataObject, n: int) -> np.ndarray:
    return data.draw(hnp.arrays("U1", n, elements=st.sampled_from("abc")))


# --------------------------------------------------------------------------- ASA


def test_asa_hand_computed() -> None:
    # Answered waits 10, 20, 60 -> (10 + 20 + 60) / 3 = 30 s; the 90 s abandon is left out.
    result = asa([10, 20, 60, 90], abandoned=[False, False, False, True])
    assert isinstance(result, ASA)
    assert (result.n_answered, result.total_wait_seconds, result.score) == (3, 90.0, 30.0)


def test_asa_published_data() -> None:
    # ICMI data: 860 answered at 10 s and 140 at 30 s -> (8,600 + 4,200) / 1,000 = 12.8 s.
    waits, mask = published_example()
    assert asa(waits, abandoned=mask).score == pytest.approx(12.8, rel=1e-12)


def test_asa_median_and_p90_from_the_percentile_call() -> None:
    waits, mask = published_example()
    spread = answer_time_percentile(waits, quantile=[0.5, 0.9], abandoned=mask, abandoned_policy="exclude")
    # Answered waits: 860 x 10 s then 140 x 30 s: the 500th and 900th are 10 s and 30 s.
    assert spread.seconds.tolist() == [10.0, 30.0]
    assert spread.n == asa(waits, abandoned=mask).n_answered


def test_asa_timedelta_and_grouped() -> None:
    waits = np.array([10, 20, 60, 90], dtype="timedelta64[s]")
    grouped = asa(waits, by=["a", "a", "b", "b"])
    assert grouped.score.tolist() == [15.0, 75.0]
    assert grouped["b"] == asa([60.0, 90.0])


def test_asa_undefined_without_answered_contacts() -> None:
    with pytest.warns(UndefinedMetricWarning):
        assert math.isnan(asa([5.0], abandoned=[True]).score)
    with pytest.warns(UndefinedMetricWarning):
        assert math.isnan(asa([]).score)


@given(data=st.data())
def test_asa_matches_reference_and_merges(data: st.DataObject) -> None:
    (waits,) = data.draw(rows(1, min_size=1))
    mask = data.draw(hnp.arrays(np.bool_, waits.shape[0]))
    answered = [w for w, m in zip(waits.tolist(), mask.tolist(), strict=True) if not m]
    result = asa(waits, abandoned=mask)
    assert result.n_answered == len(answered)
    assert result.total_wait_seconds == pytest.approx(sum(answered))
    if answered:
        assert result.score == pytest.approx(sum(answered) / len(answered))
        assert min(answered) <= result.score <= max(answered)
    cut = data.draw(st.integers(0, waits.shape[0]))
    assert_same_result(
        asa(waits[:cut], abandoned=mask[:cut]) + asa(waits[cut:], abandoned=mask[cut:]),
        result,
        atol=1e-6,
    )


# --------------------------------------------------------------------------- AHT


def test_aht_hand_computed() -> None:
    # (300 + 30 + 60) + (200 + 0 + 10) = 600 over 2 calls = 300 s.
    result = aht([300, 200], [30, 0], [60, 10])
    assert isinstance(result, AHT)
    assert result.n_handled == 2 and result.total_handle_seconds == 600.0
    assert result.score == 300.0
    assert (result.mean_talk_seconds, result.mean_hold_seconds, result.mean_after_work_seconds) == (
        250.0,
        15.0,
        35.0,
    )


def test_aht_missing_components_count_as_zero() -> None:
    assert aht([100, 200]).score == 150.0
    assert aht([100, 200], after_work_seconds=[20, 40]).score == 180.0
    assert aht([100, 200], after_work_seconds=[20, 40]).total_hold_seconds == 0.0


def test_aht_grouped_by_agent_with_breakdown() -> None:
    result = aht([300, 200, 100], [0, 60, 0], [30, 30, 0], by=["ann", "ann", "bob"])
    # ann: (300 + 200 + 0 + 60 + 30 + 30) / 2 = 310; bob: 100.
    assert result.labels.tolist() == ["ann", "bob"]
    assert result.score.tolist() == [310.0, 100.0]
    assert result.mean_hold_seconds.tolist() == [30.0, 0.0]
    assert result["bob"] == aht([100.0], [0.0], [0.0])
    # Groups merge: a second batch for bob only.
    merged = result + aht([200], [0], [0], by=["bob"])
    assert merged["bob"].score == 150.0 and merged["ann"].score == 310.0


def test_aht_timedelta_components() -> None:
    talk = np.array([5, 3], dtype="timedelta64[m]")
    assert aht(talk, np.array([30, 30], dtype="timedelta64[s]")).score == 270.0


@given(data=st.data())
def test_aht_properties(data: st.DataObject) -> None:
    talk, hold, wrap = data.draw(rows(3, min_size=1))
    result = aht(talk, hold, wrap)
    # Reference: per-contact handle times, then their mean.
    handle = [t + h + w for t, h, w in zip(talk.tolist(), hold.tolist(), wrap.tolist(), strict=True)]
    assert result.score == pytest.approx(sum(handle) / len(handle))
    parts = result.mean_talk_seconds + result.mean_hold_seconds + result.mean_after_work_seconds
    assert parts == pytest.approx(result.score)
    order = data.draw(st.permutations(range(talk.shape[0])))
    assert_same_result(aht(talk[order], hold[order], wrap[order]), result, atol=1e-6)
    cut = data.draw(st.integers(0, talk.shape[0]))
    assert_same_result(
        aht(talk[:cut], hold[:cut], wrap[:cut]) + aht(talk[cut:], hold[cut:], wrap[cut:]),
        result,
        atol=1e-6,
    )
    labels = _labels(data, talk.shape[0])
    grouped = aht(talk, hold, wrap, by=labels)
    for label in grouped:
        keep = labels == label
        assert_same_result(grouped[label], aht(talk[keep], hold[keep], wrap[keep]), atol=1e-6)


# --------------------------------------------------------------------------- abandonment


def test_abandonment_published_data() -> None:
    # ICMI data: 60 abandoned of 1,060 offered = 5.66 %; without the 10 abandons under 5 s:
    # (60 - 10) / (1,060 - 10) = 50 / 1,050 = 4.76 %.
    waits, mask = published_example()
    result = abandonment_rate(mask)
    assert isinstance(result, AbandonmentRate)
    assert (result.n_abandoned, result.n_offered, result.score) == (60, 1060, 60 / 1060)
    short = abandonment_rate(mask, wait_seconds=waits, short_abandon_seconds=5)
    assert (short.n_abandoned_short, short.n, short.n_counted_abandoned) == (10, 1050, 50)
    assert short.score == 50 / 1050


def test_abandonment_short_boundary_and_wait_without_limit() -> None:
    # Abandon after exactly 5 s is not short (wait < 5 s).
    result = abandonment_rate([True, True, False], wait_seconds=[5.0, 4.9, 1.0], short_abandon_seconds=5)
    assert result.n_abandoned_short == 1 and result.score == 1 / 2
    # Waits without a short-abandon limit change nothing.
    assert abandonment_rate([True, False], wait_seconds=[1.0, 2.0]).score == 0.5


def test_abandonment_wilson_interval() -> None:
    ci = abandonment_rate([True] * 6 + [False] * 94).confidence_interval()
    p, n = 0.06, 100
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 / (1 + Z95**2 / n) * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n))
    assert (ci.low, ci.high) == pytest.approx((centre - half, centre + half), rel=1e-12)


def test_abandonment_agrees_with_service_level_counts() -> None:
    waits, mask = published_example()
    sl = service_level(waits, 20, abandoned=mask, short_abandon_seconds=5)
    rate = abandonment_rate(mask, wait_seconds=waits, short_abandon_seconds=5)
    assert (sl.n_abandoned, sl.n_offered, sl.n_abandoned_short) == (
        rate.n_abandoned,
        rate.n_offered,
        rate.n_abandoned_short,
    )


def test_abandonment_undefined_when_only_short_abandons() -> None:
    result = abandonment_rate([True], wait_seconds=[1.0], short_abandon_seconds=5)
    with pytest.warns(UndefinedMetricWarning):
        assert math.isnan(result.score)


@given(data=st.data(), limit=st.one_of(st.none(), st.integers(0, 600)))
def test_abandonment_properties(data: st.DataObject, limit: int | None) -> None:
    (waits,) = data.draw(rows(1, min_size=1))
    mask = data.draw(hnp.arrays(np.bool_, waits.shape[0]))
    result = abandonment_rate(mask, wait_seconds=waits, short_abandon_seconds=limit)
    short = [
        m and limit is not None and w < limit for w, m in zip(waits.tolist(), mask.tolist(), strict=True)
    ]
    assert result.n == len(short) - sum(short)
    assert result.n_counted_abandoned == int(mask.sum()) - sum(short)
    if result.n:
        assert 0.0 <= result.score <= 1.0
    cut = data.draw(st.integers(0, waits.shape[0]))
    assert_same_result(
        abandonment_rate(mask[:cut], wait_seconds=waits[:cut], short_abandon_seconds=limit)
        + abandonment_rate(mask[cut:], wait_seconds=waits[cut:], short_abandon_seconds=limit),
        result,
        atol=1e-6,
    )
    labels = _labels(data, waits.shape[0])
    grouped = abandonment_rate(mask, wait_seconds=waits, short_abandon_seconds=limit, by=labels)
    for label in grouped:
        keep = labels == label
        assert_same_result(
            grouped[label],
            abandonment_rate(mask[keep], wait_seconds=waits[keep], short_abandon_seconds=limit),
            atol=1e-6,
        )


# --------------------------------------------------------------------------- occupancy


def test_occupancy_hand_computed() -> None:
    # (1,500 + 1,200) / (1,800 + 1,800) = 2,700 / 3,600 = 0.75: time-weighted, not a mean of ratios.
    result = occupancy([1500, 1200], [1800, 1800])
    assert isinstance(result, Occupancy)
    assert result.score == 0.75 and result.idle_seconds == 900.0
    # Mean of ratios would give (1,500/1,800 + 0/100) / 2 = 0.417; the measured ratio is 1,500 / 1,900.
    assert occupancy([1500, 0], [1800, 100]).score == 1500 / 1900


def test_occupancy_grouped_and_timedelta() -> None:
    handle = np.array([25, 10, 30], dtype="timedelta64[m]")
    available = np.array([30, 30, 30], dtype="timedelta64[m]")
    result = occupancy(handle, available, by=["ann", "ann", "bob"])
    assert result.score.tolist() == [35 / 60, 1.0]


def test_occupancy_undefined_without_available_time() -> None:
    with pytest.warns(UndefinedMetricWarning):
        assert math.isnan(occupancy([0.0], [0.0]).score)


@given(data=st.data())
def test_occupancy_properties(data: st.DataObject) -> None:
    handle, extra = data.draw(rows(2, min_size=1))
    available = handle + extra
    result = occupancy(handle, available)
    if available.sum() > 0:
        assert 0.0 <= result.score <= 1.0
        assert result.score == pytest.approx(handle.sum() / available.sum())
    cut = data.draw(st.integers(0, handle.shape[0]))
    assert_same_result(
        occupancy(handle[:cut], available[:cut]) + occupancy(handle[cut:], available[cut:]),
        result,
        atol=1e-6,
    )
    labels = _labels(data, handle.shape[0])
    grouped = occupancy(handle, available, by=labels)
    for label in grouped:
        keep = labels == label
        assert_same_result(grouped[label], occupancy(handle[keep], available[keep]), atol=1e-6)


# --------------------------------------------------------------------------- handle time against target


def test_handle_time_hand_computed() -> None:
    # Target 300 s: 240 (-20 %, bin (-25 %, -10 %]), 300 (0 %, bin (-10 %, 0 %]),
    # 330 (+10 %, bin (0 %, 10 %]), 600 (+100 %, bin (50 %, 100 %]); 2 of 4 within target.
    result = handle_time_against_target([240, 300, 330, 600], 300)
    assert isinstance(result, HandleTimeAgainstTarget)
    assert (result.n, result.n_within, result.score) == (4, 2, 0.5)
    assert result.deviation_counts.tolist() == [0, 0, 1, 1, 1, 0, 0, 1, 0]
    assert result.distribution.tolist() == [0, 0, 0.25, 0.25, 0.25, 0, 0, 0.25, 0]
    assert result.bin_labels == (
        "<= -50%",
        "(-50%, -25%]",
        "(-25%, -10%]",
        "(-10%, 0%]",
        "(0%, 10%]",
        "(10%, 25%]",
        "(25%, 50%]",
        "(50%, 100%]",
        "> 100%",
    )


def test_handle_time_per_contact_targets_and_custom_edges() -> None:
    # Billing target 600 s, returns 180 s. 540/600 = -10 %; 200/180 = +11.1 %; 180/180 = 0.
    result = handle_time_against_target([540, 200, 180], [600, 180, 180], deviation_edges=[-0.05, 0, 0.1])
    assert result.deviation_counts.tolist() == [1, 1, 0, 1]
    assert result.n_within == 2 and result.deviation_edges == (-0.05, 0.0, 0.1)


def test_handle_time_grouped_and_timedelta() -> None:
    handle = np.array([4, 6, 5], dtype="timedelta64[m]")
    result = handle_time_against_target(handle, np.timedelta64(5, "m"), by=["a", "a", "b"])
    assert result.score.tolist() == [0.5, 1.0]
    assert result.deviation_counts.shape == (2, 9)
    assert result["b"].deviation_counts.tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0]


def test_handle_time_merge_needs_equal_edges() -> None:
    one = handle_time_against_target([100.0], 120)
    with pytest.raises(InvalidInputError, match="deviation_edges"):
        _ = one + handle_time_against_target([100.0], 120, deviation_edges=[0.0])


def reference_bins(handle: Any, target: Any, edges: list[float]) -> list[int]:
    counts = [0] * (len(edges) + 1)
    for h, t in zip(handle, target, strict=True):
        d = (h - t) / t
        index = next((i for i, edge in enumerate(edges) if d <= edge), len(edges))
        counts[index] += 1
    return counts


@given(
    data=st.data(),
    edges=st.lists(
        st.sampled_from([-0.75, -0.5, -0.2, 0.0, 0.2, 0.5, 1.0, 3.0]), min_size=1, unique=True
    ).map(sorted),
)
def test_handle_time_properties(data: st.DataObject, edges: list[float]) -> None:
    (handle,) = data.draw(rows(1, min_size=1))
    target = data.draw(hnp.arrays(np.float64, handle.shape[0], elements=st.integers(1, 600).map(float)))
    result = handle_time_against_target(handle, target, deviation_edges=edges)
    assert result.deviation_counts.tolist() == reference_bins(handle.tolist(), target.tolist(), edges)
    assert result.deviation_counts.sum() == result.n == handle.shape[0]
    assert result.n_within == int((handle <= target).sum())
    assert 0.0 <= result.score <= 1.0
    if 0.0 in edges:
        assert result.deviation_counts[: edges.index(0.0) + 1].sum() == result.n_within
    cut = data.draw(st.integers(0, handle.shape[0]))
    assert_same_result(
        handle_time_against_target(handle[:cut], target[:cut], deviation_edges=edges)
        + handle_time_against_target(handle[cut:], target[cut:], deviation_edges=edges),
        result,
        atol=1e-6,
    )
    labels = _labels(data, handle.shape[0])
    grouped = handle_time_against_target(handle, target, deviation_edges=edges, by=labels)
    for label in grouped:
        keep = labels == label
        assert_same_result(
            grouped[label],
            handle_time_against_target(handle[keep], target[keep], deviation_edges=edges),
            atol=1e-6,
        )


# --------------------------------------------------------------------------- shared behaviour


def test_read_only_inputs() -> None:
    waits, mask = read_only([10.0, 20.0]), read_only([False, True])
    assert asa(waits, abandoned=mask).score == 10.0
    assert aht(waits, waits, waits).score == 45.0
    assert abandonment_rate(mask, wait_seconds=waits, short_abandon_seconds=30).score == 0.0
    assert occupancy(waits, read_only([20.0, 20.0])).score == 0.75
    assert handle_time_against_target(waits, read_only([10.0, 10.0])).score == 0.5


def test_inputs_are_not_modified() -> None:
    talk = np.array([10, 20])
    hold = np.array([1.5, 2.5])
    aht(talk, hold, by=np.array([1, 1]))
    handle_time_against_target(hold, np.array([2.0, 2.0]))
    assert talk.tolist() == [10, 20] and hold.tolist() == [1.5, 2.5]


def test_empty_inputs_are_undefined() -> None:
    for result in (
        aht([]),
        abandonment_rate(np.zeros(0, dtype=bool)),
        occupancy([], []),
        handle_time_against_target([], 60),
    ):
        with pytest.warns(UndefinedMetricWarning):
            assert math.isnan(result.score)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: asa([1.0, -3.0]), InvalidInputError, "wait_seconds must be non-negative.*-3.0 at index 1"),
        (lambda: asa([1.0, np.nan]), InvalidInputError, "wait_seconds must not contain NaN"),
        (lambda: asa(None), InvalidTypeError, "wait_seconds"),
        (lambda: asa([[1.0]]), InvalidInputError, "wait_seconds must be 1-D"),
        (lambda: asa([1.0, 2.0], abandoned=[0, 1]), InvalidTypeError, "abandoned must be a boolean mask"),
        (lambda: asa([1.0, 2.0], abandoned=[True]), InvalidInputError, "abandoned must have the same length"),
        (lambda: asa([1.0, 2.0], by=["a"]), InvalidInputError, "by must have one label per row"),
        (lambda: aht([1.0, 2.0], [1.0]), InvalidInputError, "hold_seconds must have the same length as talk"),
        (
            lambda: aht([1.0], after_work_seconds=[-1.0]),
            InvalidInputError,
            "after_work_seconds must be non-neg",
        ),
        (lambda: aht([1.0], [np.nan]), InvalidInputError, "hold_seconds must not contain NaN"),
        (lambda: aht(["1"]), InvalidTypeError, "talk_seconds"),
        (lambda: aht([True]), InvalidTypeError, "talk_seconds"),
        (lambda: abandonment_rate([1, 0]), InvalidTypeError, "abandoned must be a boolean mask"),
        (lambda: abandonment_rate(None), InvalidTypeError, "abandoned"),
        (
            lambda: abandonment_rate([True], short_abandon_seconds=5),
            InvalidInputError,
            "wait_seconds must be given",
        ),
        (
            lambda: abandonment_rate([True], wait_seconds=[1.0, 2.0]),
            InvalidInputError,
            "wait_seconds must have the same length as abandoned",
        ),
        (
            lambda: abandonment_rate([True], wait_seconds=[1.0], short_abandon_seconds=-1),
            InvalidInputError,
            "short_abandon_seconds must be a non-negative duration",
        ),
        (
            lambda: abandonment_rate([True], wait_seconds=[1.0], short_abandon_seconds="5"),
            InvalidTypeError,
            "short_abandon_seconds",
        ),
        (
            lambda: occupancy([10.0], [5.0]),
            InvalidInputError,
            "handle_seconds must not exceed available_seconds",
        ),
        (
            lambda: occupancy([1.0, 2.0], [5.0]),
            InvalidInputError,
            "available_seconds must have the same length",
        ),
        (lambda: occupancy([1.0], [-5.0]), InvalidInputError, "available_seconds must be non-negative"),
        (
            lambda: handle_time_against_target([1.0], 0),
            InvalidInputError,
            "target_seconds must be a positive",
        ),
        (lambda: handle_time_against_target([1.0], -5), InvalidInputError, "target_seconds"),
        (lambda: handle_time_against_target([1.0], None), InvalidTypeError, "target_seconds"),
        (
            lambda: handle_time_against_target([1.0, 2.0], [1.0, 0.0]),
            InvalidInputError,
            "target_seconds.*index 1",
        ),
        (
            lambda: handle_time_against_target([1.0, 2.0], [1.0]),
            InvalidInputError,
            "target_seconds must have",
        ),
        (
            lambda: handle_time_against_target([1.0], 5, deviation_edges=[0.1, 0.0]),
            InvalidInputError,
            "deviation_edges must be strictly increasing; got 0.0 at index 1",
        ),
        (
            lambda: handle_time_against_target([1.0], 5, deviation_edges=[]),
            InvalidInputError,
            "deviation_edges",
        ),
        (
            lambda: handle_time_against_target([1.0], 5, deviation_edges=[np.nan]),
            InvalidInputError,
            "deviation_edg",
        ),
        (
            lambda: handle_time_against_target([1.0], 5, deviation_edges=["a"]),
            InvalidTypeError,
            "deviation_edges",
        ),
    ],
)
def test_bad_input(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


# --------------------------------------------------------------------------- mean intervals


@given(
    waits=st.lists(st.floats(0, 3600, allow_nan=False), min_size=2, max_size=40),
    level=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_asa_and_aht_intervals_match_scipys_t_interval(waits: list[float], level: float) -> None:
    stats = pytest.importorskip("scipy.stats")  # test-only reference
    data = np.asarray(waits)
    mean, sem = float(np.mean(data)), float(np.std(data, ddof=1) / np.sqrt(data.size))
    expected = (mean, mean) if sem == 0 else stats.t.interval(level, data.size - 1, loc=mean, scale=sem)
    # The variance comes from merged sums (n, Σx, Σx²): its rounding can leave a
    # half-width of up to about 0.01 s where the waits are all equal near an hour.
    for result in (asa(data), aht(data * 0.5, data * 0.25, data * 0.25)):
        low, high = result.confidence_interval(level)
        assert low == pytest.approx(expected[0], rel=1e-9, abs=1e-2)
        assert high == pytest.approx(expected[1], rel=1e-9, abs=1e-2)


def test_asa_and_aht_intervals_merge_and_group() -> None:
    waits = np.array([10.0, 20.0, 60.0, 5.0, 90.0, 30.0])
    gave_up = np.array([False, False, False, True, False, False])
    whole = asa(waits, abandoned=gave_up).confidence_interval()
    merged = (
        asa(waits[:3], abandoned=gave_up[:3]) + asa(waits[3:], abandoned=gave_up[3:])
    ).confidence_interval()
    assert merged.low == pytest.approx(whole.low) and merged.high == pytest.approx(whole.high)
    grouped = asa(waits, abandoned=gave_up, by=["a", "a", "a", "b", "b", "b"]).confidence_interval()
    alone = asa(waits[:3]).confidence_interval()
    assert grouped.low[0] == pytest.approx(alone.low) and grouped.high[0] == pytest.approx(alone.high)
    with pytest.warns(UndefinedMetricWarning, match="at least two answered contacts"):
        one = asa([12.0]).confidence_interval()
    assert np.isnan(one.low) and np.isnan(one.high)
    normal = aht([300.0, 200.0, 250.0]).confidence_interval(method="normal")
    half = 1.959963984540054 * 50.0 / np.sqrt(3)  # s = 50
    assert normal.low == pytest.approx(250 - half) and normal.high == pytest.approx(250 + half)
    with pytest.raises(InvalidInputError, match="method must be one of 't', 'normal'"):
        aht([300.0, 200.0]).confidence_interval(method="wald")
