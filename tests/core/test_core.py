"""Tests of the shared core: validation, group-by, results, statistics, calendar periods."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cskpi
from cskpi import ConfidenceInterval, InvalidInputError, InvalidTypeError, UndefinedMetricWarning
from cskpi._core.checks import integer_scores, to_array
from cskpi._core.labels import count_cells, factorize, quantile_positions, sort_within_groups
from cskpi._core.stats import divide, normal_quantile, normal_two_sided_p, wilson_interval
from cskpi._core.time import period_labels, period_ordinals, period_starts, to_datetime64, to_seconds
from helpers import read_only, skip_under_mutmut
from strategies import labels_for

# --------------------------------------------------------------------------- validation


def test_to_array_does_not_copy_arrays() -> None:
    array = read_only(np.arange(3))
    assert to_array(array, "x") is array


def test_integer_scores_returns_keep_mask_for_omitted_nan() -> None:
    values, keep = integer_scores([1.0, np.nan, 3.0], "x", 0, 5, nan_policy="omit")
    assert values.tolist() == [1, 0, 3]
    assert keep is not None and keep.tolist() == [True, False, True]
    values, keep = integer_scores(np.array([4, 5], dtype=np.int8), "x", 0, 5)
    assert keep is None and values.dtype == np.int8


def test_integer_scores_object_arrays_with_none() -> None:
    values, keep = integer_scores(np.array([1, None, 2], dtype=object), "x", 0, 5, nan_policy="omit")
    assert values.tolist() == [1, 0, 2] and keep is not None and keep.tolist() == [True, False, True]


# --------------------------------------------------------------------------- group-by


@given(st.integers(0, 60).flatmap(labels_for))
def test_factorize_matches_numpy_unique(labels: np.ndarray) -> None:
    groups = factorize(labels, labels.shape[0])
    expected_labels, expected_codes = np.unique(labels, return_inverse=True)
    assert np.array_equal(groups.labels[0], expected_labels)
    assert np.array_equal(groups.codes, expected_codes.reshape(-1))
    assert groups.labels[0].dtype == labels.dtype


@given(st.integers(1, 40).flatmap(lambda n: st.tuples(labels_for(n), labels_for(n))))
def test_factorize_two_keys_round_trips(keys: tuple[np.ndarray, np.ndarray]) -> None:
    first, second = keys
    groups = factorize((first, second), first.shape[0])
    # Each row's labels are recovered from its code, and groups are distinct and sorted.
    assert np.array_equal(groups.labels[0][groups.codes], first)
    assert np.array_equal(groups.labels[1][groups.codes], second)
    pairs = list(zip(groups.labels[0].tolist(), groups.labels[1].tolist(), strict=True))
    assert len(set(pairs)) == len(pairs) == groups.n_groups
    assert pairs == sorted(pairs)


def test_factorize_dense_path_for_sparse_ints_falls_back_to_sort() -> None:
    labels = np.array([10**15, -(10**15), 10**15])
    groups = factorize(labels, 3)
    assert groups.labels[0].tolist() == [-(10**15), 10**15]
    assert groups.codes.tolist() == [1, 0, 1]


def test_factorize_mixed_object_labels_raise() -> None:
    with pytest.raises(InvalidTypeError, match="by must hold labels of one comparable type"):
        factorize(np.array(["a", 1], dtype=object), 2)


@given(
    hnp.arrays(np.int8, st.integers(0, 300), elements=st.integers(0, 4)),
    st.integers(1, 4),
    st.booleans(),
)
def test_count_cells_matches_loop(values: np.ndarray, n_groups: int, use_keep: bool) -> None:
    rng = np.random.default_rng(values.shape[0])
    codes = rng.integers(0, n_groups, values.shape[0]).astype(np.intp)
    keep = rng.random(values.shape[0]) < 0.7 if use_keep else None
    counts = count_cells(values, 5, codes=codes, n_groups=n_groups, keep=keep)
    expected = np.zeros((n_groups, 5), dtype=np.int64)
    for value, code, kept in zip(
        values, codes, keep if keep is not None else [True] * len(values), strict=True
    ):
        if kept:
            expected[code, value] += 1
    assert np.array_equal(counts, expected)


def test_count_cells_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    import cskpi._core.labels as grouping

    monkeypatch.setattr(grouping, "_CHUNK_ROWS", 7)
    values = np.arange(50, dtype=np.int8) % 3
    assert count_cells(values, 3).tolist() == [17, 17, 16]


def test_counts_do_not_overflow_small_dtypes() -> None:
    # 300 answers of 10 in an int8 array: counts are int64, not wrapped int8.
    values = np.full(300, 10, dtype=np.int8)
    assert count_cells(values, 11)[10] == 300
    assert count_cells(values, 11).dtype == np.int64


@given(
    hnp.arrays(np.float64, st.integers(1, 80), elements=st.floats(0, 1000)),
    st.lists(st.floats(0.01, 1.0), min_size=1, max_size=5),
)
def test_grouped_quantiles_match_numpy_inverted_cdf(values: np.ndarray, fractions: list[float]) -> None:
    codes = (np.arange(values.shape[0]) % 3).astype(np.intp)
    n_groups = int(min(3, values.shape[0]))
    ordered, starts = sort_within_groups(values, codes, n_groups)
    positions = quantile_positions(np.diff(starts), np.asarray(fractions))
    result = ordered[starts[:-1, None] + positions]
    for group in range(n_groups):
        expected = np.quantile(values[codes == group], fractions, method="inverted_cdf")
        assert result[group].tolist() == expected.tolist()


def test_quantile_positions_survive_rounding() -> None:
    # 0.7 * 10 = 7.000000000000001 in floating point: the 7th smallest, not the 8th.
    assert quantile_positions(np.array([10]), np.array([0.7, 0.9, 1.0, 0.0])).tolist() == [[6, 8, 9, 0]]


# --------------------------------------------------------------------------- statistics


def test_normal_quantile_and_p_value() -> None:
    assert normal_quantile(0.95) == pytest.approx(1.959963984540054)
    assert normal_quantile(0.90) == pytest.approx(1.6448536269514722)
    assert normal_two_sided_p(1.959963984540054) == pytest.approx(0.05)
    assert normal_two_sided_p(np.array([0.0, -1.959963984540054])).tolist() == pytest.approx([1.0, 0.05])


def test_divide_warns_once_and_returns_nan() -> None:
    with pytest.warns(UndefinedMetricWarning, match="rate is undefined") as record:
        result = divide(np.array([1, 0, 2]), np.array([2, 0, 0]), "rate")
    assert len(record) == 1
    assert result[0] == 0.5 and math.isnan(result[1]) and math.isnan(result[2])
    assert divide(1, 4, "rate") == 0.25


def test_wilson_interval_brown_cai_dasgupta_example() -> None:
    # Hand: k = 8, n = 10, z = 1.96: centre = (0.8 + 0.19208) / 1.38416 = 0.71674;
    # half = 1.96 / 1.38416 * sqrt(0.016 + 0.0096040) = 0.22657 -> [0.4902, 0.9433].
    low, high = wilson_interval(8, 10, 0.95)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)


def test_confidence_interval_unpacks() -> None:
    low, high = ConfidenceInterval(low=1.0, high=2.0, confidence_level=0.9, method="wald")
    assert (low, high) == (1.0, 2.0)


# --------------------------------------------------------------------------- time


def test_period_ordinals_and_starts_round_trip() -> None:
    t = np.array(
        ["1970-01-01T00:00", "1970-01-05T12:00", "2024-12-31T23:59", "2025-01-01T00:00"],
        dtype="datetime64[s]",
    )
    weeks = period_ordinals(t, "week")
    # 1970-01-01 is a Thursday: it lies in the ISO week starting Monday 1969-12-29 (ordinal -1).
    assert weeks.tolist()[:2] == [-1, 0]
    assert period_starts(weeks, "week").astype(str).tolist()[:2] == ["1969-12-29", "1970-01-05"]
    # 2024-12-31 is a Tuesday; its week starts Monday 2024-12-30, as does 2025-01-01's.
    assert period_starts(weeks, "week").astype(str).tolist()[2:] == ["2024-12-30", "2024-12-30"]
    assert period_starts(period_ordinals(t, "quarter"), "quarter").astype(str).tolist() == [
        "1970-01",
        "1970-01",
        "2024-10",
        "2025-01",
    ]
    assert period_starts(period_ordinals(t, "year"), "year").astype(str).tolist() == [
        "1970",
        "1970",
        "2024",
        "2025",
    ]
    assert period_starts(period_ordinals(t, "hour"), "hour").astype(str).tolist()[1] == "1970-01-05T12"
    assert period_starts(period_ordinals(t, "day"), "day").astype(str).tolist()[3] == "2025-01-01"


@given(hnp.arrays(np.int64, st.integers(1, 50), elements=st.integers(-(10**9), 4 * 10**9)))
def test_week_periods_start_on_monday_and_contain_the_instant(seconds: np.ndarray) -> None:
    t = seconds.astype("datetime64[s]")
    starts = period_starts(period_ordinals(t, "week"), "week")
    # numpy's weekday via busday_offset: Monday is the day a 'Mon' roll keeps unchanged.
    assert np.array_equal(np.busday_offset(starts, 0, roll="forward", weekmask="Mon"), starts)
    delta = t - starts.astype("datetime64[s]")
    assert np.all(delta >= np.timedelta64(0, "s")) and np.all(delta < np.timedelta64(7 * 86400, "s"))


def test_to_datetime64_errors() -> None:
    with pytest.raises(InvalidInputError, match=r"created must be timestamps .* got 'yesterday' at index 1"):
        to_datetime64(["2024-01-01", "yesterday"], "created")
    with pytest.raises(InvalidInputError, match="created must not contain NaT; got NaT at index 0"):
        to_datetime64(np.array(["NaT"], dtype="datetime64[s]"), "created")
    with pytest.raises(InvalidTypeError, match="created must be timestamps"):
        to_datetime64([1.5], "created")
    assert np.isnat(to_datetime64(np.array(["NaT"], dtype="datetime64[s]"), "x", allow_nat=True)[0])


def test_to_seconds() -> None:
    assert to_seconds(np.array([1500, 2000], dtype="timedelta64[ms]"), "wait").tolist() == [1.5, 2.0]
    assert to_seconds([1, 2], "wait").tolist() == [1.0, 2.0]
    with pytest.raises(InvalidInputError, match=r"wait must be non-negative durations; got -1.0 at index 1"):
        to_seconds([1, -1], "wait")
    with pytest.raises(InvalidInputError, match="wait must not contain NaN; got nan at index 0"):
        to_seconds([np.nan], "wait")
    with pytest.raises(InvalidInputError, match="wait must be finite"):
        to_seconds([np.inf], "wait")
    with pytest.raises(InvalidTypeError, match="wait must contain numbers; got str '1' at index 0"):
        to_seconds(["1"], "wait")
    assert math.isnan(to_seconds(np.array(["NaT"], dtype="timedelta64[s]"), "w", allow_nan=True)[0])


def test_period_labels_validates_period() -> None:
    with pytest.raises(InvalidInputError, match="period must be one of"):
        period_labels(["2024-01-01"], "fortnight")
    assert period_labels(["2024-05-31T23:00"], "month").astype(str).tolist() == ["2024-05"]


@pytest.mark.parametrize("final_candidates", [1, 1 << 16])
@given(
    hnp.arrays(
        np.float64,
        st.integers(0, 120),
        elements=st.one_of(
            st.floats(-1e6, 1e6, allow_nan=False),
            st.sampled_from([0.0, -0.0, 1.5, np.inf, -np.inf, 5e-324, 1e-320, 1e300, -1.7e308, 1.7e308]),
        ),
    ),
    st.integers(1, 6),
    st.lists(st.floats(0.001, 1.0), min_size=1, max_size=4),
)
def test_radix_selection_matches_sorting(
    final_candidates: int, values: np.ndarray, n_groups: int, fractions: list[float]
) -> None:
    import cskpi._core.labels as grouping

    saved = grouping._FINAL_CANDIDATES
    grouping._FINAL_CANDIDATES = final_candidates  # 1 forces every refinement pass
    try:
        codes = (np.arange(values.shape[0]) * 7 % n_groups).astype(np.intp)
        got, sizes = grouping.grouped_quantiles(values, codes, n_groups, np.asarray(fractions))
    finally:
        grouping._FINAL_CANDIDATES = saved
    assert sizes.tolist() == np.bincount(codes, minlength=n_groups).tolist()
    for group in range(n_groups):
        members = values[codes == group]
        if members.size == 0:
            assert np.all(np.isnan(got[group]))
        else:
            expected = np.quantile(members, fractions, method="inverted_cdf")
            assert np.array_equal(got[group], expected)


@pytest.mark.parametrize(
    "values",
    [
        np.array([-1.7e308, 1.7e308, 0.0, 1.0, -1.0] * 3),  # the range overflows: taken in halves
        np.array([0.0, 5e-324, 1e-323, 5e-324, 0.0, 2e-323]),  # a subnormal range: divided by
        np.full(50, 7.25),  # every candidate tied
        np.r_[np.full(40, 3.0), [1.0, 2.0, np.inf, -np.inf]],
        np.geomspace(1e-300, 1e300, 97),  # one bucket holds nearly all rows: sorted early
    ],
)
@pytest.mark.parametrize("final_candidates", [1, 1 << 16])
def test_bucket_selection_edge_ranges(values: np.ndarray, final_candidates: int) -> None:
    import cskpi._core.labels as grouping

    fractions = np.array([0.0001, 0.25, 0.5, 0.9, 1.0])
    saved = grouping._FINAL_CANDIDATES
    grouping._FINAL_CANDIDATES = final_candidates
    try:
        codes = (np.arange(values.shape[0]) % 2).astype(np.intp)
        got, _ = grouping.grouped_quantiles(values, codes, 2, fractions)
    finally:
        grouping._FINAL_CANDIDATES = saved
    for group in range(2):
        expected = np.quantile(values[codes == group], fractions, method="inverted_cdf")
        assert np.array_equal(got[group], expected)


def test_radix_selection_ungrouped() -> None:
    from cskpi._core.labels import grouped_quantiles

    values = np.array([3.0, -1.0, 2.0, 2.0, 10.0])
    got, sizes = grouped_quantiles(values, None, 1, np.array([0.2, 0.5, 1.0]))
    # Sorted: -1, 2, 2, 3, 10 -> ranks ceil(q n) - 1 = 0, 2, 4.
    assert got.tolist() == [[-1.0, 2.0, 10.0]] and sizes.tolist() == [5]


def test_percentile_results_index_by_label() -> None:
    from cskpi import answer_time_percentile, first_response_time, resolution_time

    waits = [5.0, 50.0, 10.0, 20.0, 30.0]
    queues = ["a", "a", "b", "b", "b"]
    grouped = answer_time_percentile(waits, quantile=[0.5, 0.9], by=queues)
    # Queue a: waits 5, 50 -> p50 = 5 (rank ceil(1) = 1st), p90 = 50; queue b: 10, 20, 30 -> 20, 30.
    assert grouped["a"].seconds.tolist() == [5.0, 50.0]
    assert grouped["b"] == answer_time_percentile([10.0, 20.0, 30.0], quantile=[0.5, 0.9])
    assert grouped.keys() == ["a", "b"]
    with pytest.raises(KeyError):
        grouped["c"]
    with pytest.raises(TypeError, match="not grouped"):
        answer_time_percentile(waits, quantile=0.9)["a"]

    created = np.array(["2024-05-13T09:00"] * 3, dtype="datetime64[s]")
    replied = np.array(["2024-05-13T09:10", "2024-05-13T09:30", "NaT"], dtype="datetime64[s]")
    frt = first_response_time(created, replied, by=["x", "y", "y"])
    single = frt["y"]
    assert single == first_response_time(created[1:], replied[1:])
    assert single.n == 1 and single.n_unanswered == 1 and single.median_seconds == 1800.0
    assert resolution_time(created, replied, by=[1, 2, 2])[2].p90_seconds == 1800.0


def test_results_render_as_html_tables() -> None:
    from cskpi import answer_time_percentile, nps

    single = nps([10, 9, 0])._repr_html_()
    assert single.startswith("<table") and "<td>33.33</td>" in single
    grouped = nps([10, 9, 0], by=["a", "a", "b"])._repr_html_()
    assert "Grouped[NPS] (2 groups)" in grouped and "<td>a</td>" in grouped
    assert answer_time_percentile([1.0, 2.0], quantile=0.5)._repr_html_().startswith("<table")


class _RefusesZeroCopy:
    """Like a pyarrow array of dates with a null: to_numpy() refuses, __array__ copies."""

    def to_numpy(self) -> np.ndarray:
        raise RuntimeError("Needed to copy 1 chunks with 1 nulls, but zero_copy_only was True")

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.array(["2024-01-01", "NaT"], dtype="datetime64[D]")


class _CannotConvert:
    def to_numpy(self) -> np.ndarray:
        raise RuntimeError("no numpy view of this column")


def test_to_array_falls_back_to_array_protocol_and_names_the_argument() -> None:
    assert to_array(_RefusesZeroCopy(), "holidays").astype(str).tolist() == ["2024-01-01", "NaT"]
    with pytest.raises(InvalidTypeError, match=r"^holidays could not be converted to an array \(no numpy"):
        to_array(_CannotConvert(), "holidays")


@skip_under_mutmut
@pytest.mark.parametrize(
    "call",
    [
        lambda: cskpi.nps([]).score,  # a property of a result, through divide()
        lambda: cskpi.service_level([], 20).score,
        lambda: cskpi.erlang_c_occupancy(1.0, 0),
        lambda: cskpi.answer_time_percentile(np.zeros(0), quantile=0.9),
    ],
)
def test_warnings_point_at_the_callers_line(call: Any) -> None:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    assert caught and all(warning.filename == __file__ for warning in caught), [
        (warning.filename, warning.lineno) for warning in caught
    ]
